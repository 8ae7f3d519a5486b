/* Discovery of the cgroup hierarchies from mountinfo, cross-checked with libcgroup. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libcgroup.h>

#include "hierarchy.h"
#include "parse.h"

static const struct {
	const char *name;
	unsigned bit;
} v1_controllers[] = {
	{ "cpu", CTL_CPU },       { "cpuacct", CTL_CPUACCT }, { "memory", CTL_MEMORY },
	{ "blkio", CTL_BLKIO },   { "pids", CTL_PIDS },       { "cpuset", CTL_OTHER },
	{ "devices", CTL_OTHER }, { "freezer", CTL_OTHER },   { "net_cls", CTL_OTHER },
	{ "net_prio", CTL_OTHER }, { "perf_event", CTL_OTHER }, { "hugetlb", CTL_OTHER },
	{ "rdma", CTL_OTHER },    { "misc", CTL_OTHER },
};

const char *cg_mode_name(enum cg_mode m)
{
	switch (m) {
	case CG_MODE_V1:
		return "v1";
	case CG_MODE_HYBRID:
		return "hybrid";
	case CG_MODE_V2:
		return "v2";
	case CG_MODE_NONE:
		break;
	}
	return "none";
}

struct discover_ctx {
	const struct rootfs *r;
	struct cg_hierarchies *hs;
	struct buf buf;
};

/* v2 "cgroup.controllers": "cpuset cpu io memory hugetlb pids". */
static unsigned v2_controller_bits(const char *list)
{
	unsigned bits = 0;
	_cleanup_free_ char *copy = xstrdup(list);
	char *save = NULL;

	for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) {
		if (strcmp(t, "memory") == 0)
			bits |= CTL_MEMORY;
		else if (strcmp(t, "io") == 0)
			bits |= CTL_IO;
		else if (strcmp(t, "pids") == 0)
			bits |= CTL_PIDS;
		else if (strcmp(t, "cpu") == 0)
			bits |= CTL_CPU;
		else
			bits |= CTL_OTHER;
	}
	return bits;
}

static bool have_hierarchy(const struct cg_hierarchies *hs, const char *name, bool v2)
{
	for (size_t i = 0; i < hs->n; i++)
		if (hs->h[i].v2 == v2 && strcmp(hs->h[i].name, name) == 0)
			return true;
	return false;
}

static int on_mount(const struct mountinfo_entry *e, void *userdata)
{
	struct discover_ctx *c = userdata;
	struct cg_hierarchies *hs = c->hs;
	struct cg_hierarchy h = { 0 };
	char name[256] = "";

	if (strcmp(e->fstype, "cgroup2") == 0) {
		int fd;

		if (have_hierarchy(hs, "cgroup2", true))
			return 0; /* the same v2 tree mounted twice */
		h.v2 = true;
		snprintf(name, sizeof(name), "cgroup2");
		fd = rootfs_openat(c->r, e->mount_point, O_RDONLY | O_DIRECTORY);
		if (fd >= 0) {
			if (read_file_at(fd, "cgroup.controllers", &c->buf) >= 0)
				h.controllers = v2_controller_bits(c->buf.data);
			close(fd);
		}
	} else if (strcmp(e->fstype, "cgroup") == 0) {
		_cleanup_free_ char *opts = xstrdup(e->super_opts);
		char *save = NULL;

		for (char *t = strtok_r(opts, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			bool known = false;

			if (strncmp(t, "name=", 5) == 0) {
				if (strcmp(t, "name=systemd") == 0)
					h.controllers |= CTL_SYSTEMD;
				known = true;
			}
			for (size_t i = 0; !known && i < ARRAY_SIZE(v1_controllers); i++)
				if (strcmp(t, v1_controllers[i].name) == 0) {
					h.controllers |= v1_controllers[i].bit;
					known = true;
				}
			if (!known)
				continue; /* rw, relatime, clone_children, release_agent=… */
			if (name[0])
				strncat(name, ",", sizeof(name) - strlen(name) - 1);
			strncat(name, t, sizeof(name) - strlen(name) - 1);
		}
		if (!name[0] || have_hierarchy(hs, name, false))
			return 0;
	} else {
		return 0;
	}
	h.mount_point = xstrdup(e->mount_point);
	h.root = xstrdup(e->root);
	h.name = xstrdup(name);
	hs->h = xrealloc(hs->h, (hs->n + 1) * sizeof(*hs->h));
	hs->h[hs->n++] = h;
	return 0;
}

struct cgroups_ctx {
	const char *want;
	bool found;
	bool enabled;
};

static int on_proc_cgroups(const char *name, int hierarchy, unsigned long num, bool enabled, void *ud)
{
	struct cgroups_ctx *c = ud;

	if (strcmp(name, c->want) == 0) {
		c->found = true;
		c->enabled = enabled;
	}
	return 0;
}

/* Say why a controller's figures are missing: disabled at boot, or just not mounted. */
static void note_missing(const struct rootfs *r, struct notes *notes, const char *ctl,
			 const char *columns)
{
	struct buf b = { 0 };
	struct cgroups_ctx c = { .want = ctl };

	if (rootfs_read(r, "/proc/cgroups", &b) >= 0)
		parse_proc_cgroups(b.data, b.len, on_proc_cgroups, &c);
	buf_free(&b);
	if (c.found && !c.enabled)
		notes_add(notes, ctl,
			  "the %s controller is disabled (cgroup_disable=%s on the kernel command line?): %s show '-'",
			  ctl, ctl, columns);
	else
		notes_add(notes, ctl, "the %s controller is not mounted: %s show '-'", ctl, columns);
}

static int find_v1(const struct cg_hierarchies *hs, unsigned bit)
{
	for (size_t i = 0; i < hs->n; i++)
		if (!hs->h[i].v2 && (hs->h[i].controllers & bit))
			return (int)i;
	return -1;
}

static int find_v2(const struct cg_hierarchies *hs, unsigned bit)
{
	for (size_t i = 0; i < hs->n; i++)
		if (hs->h[i].v2 && (bit == 0 || (hs->h[i].controllers & bit)))
			return (int)i;
	return -1;
}

void hierarchies_choose_sources(struct cg_hierarchies *hs, struct notes *notes)
{
	bool v1 = false, v2 = find_v2(hs, 0) >= 0;
	int any = hs->n ? 0 : -1;

	for (size_t i = 0; i < hs->n; i++)
		if (!hs->h[i].v2 && (hs->h[i].controllers & ~(unsigned)CTL_SYSTEMD))
			v1 = true;
	hs->mode = v1 && v2 ? CG_MODE_HYBRID : v1 ? CG_MODE_V1 : v2 ? CG_MODE_V2 : CG_MODE_NONE;

	/* v2's cpu.stat usage_usec is kept by the cgroup core, with or without the cpu controller. */
	hs->src.cpu = find_v1(hs, CTL_CPUACCT);
	if (hs->src.cpu < 0)
		hs->src.cpu = find_v2(hs, 0);
	/* the quota and the throttling are the cpu controller's, wherever cpuacct is */
	hs->src.cpu_limit = find_v1(hs, CTL_CPU);
	if (hs->src.cpu_limit < 0)
		hs->src.cpu_limit = find_v2(hs, CTL_CPU);
	hs->src.memory = find_v1(hs, CTL_MEMORY);
	if (hs->src.memory < 0)
		hs->src.memory = find_v2(hs, CTL_MEMORY);
	hs->src.io = find_v1(hs, CTL_BLKIO);
	if (hs->src.io < 0)
		hs->src.io = find_v2(hs, CTL_IO);
	hs->src.pids = find_v1(hs, CTL_PIDS);
	if (hs->src.pids < 0)
		hs->src.pids = find_v2(hs, CTL_PIDS);
	hs->src.procs = find_v1(hs, CTL_SYSTEMD);
	if (hs->src.procs < 0)
		hs->src.procs = find_v2(hs, 0);
	if (hs->src.procs < 0)
		hs->src.procs = any;
	/* pressure is kept by the cgroup core in every cgroup2 directory, whichever
	 * controllers the tree has */
	hs->src.psi = find_v2(hs, 0);
	(void)notes;
}

/* The child's side of libcgroup_mounts(): never returns. */
static void __attribute__((noreturn)) libcgroup_child(int fd)
{
	void *handle = NULL;
	struct cgroup_mount_point mp;
	bool ok = true;
	int r;

	cgroup_set_logger(NULL, CGROUP_LOG_ERROR, NULL); /* its messages would go to our terminal */
	r = cgroup_init();
	if (r != 0) {
		const char *e = cgroup_strerror(r);

		_exit(write_all(fd, "E", 1) == 0 && write_all(fd, e, strlen(e) + 1) == 0 ? 0 : 1);
	}
	for (r = cgroup_get_controller_begin(&handle, &mp); r == 0 && ok;
	     r = cgroup_get_controller_next(&handle, &mp))
		ok = write_all(fd, "C", 1) == 0 && write_all(fd, mp.name, strlen(mp.name) + 1) == 0 &&
		     write_all(fd, mp.path, strlen(mp.path) + 1) == 0;
	cgroup_get_controller_end(&handle);
	_exit(ok ? 0 : 1);
}

int libcgroup_mounts(struct buf *out)
{
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	out->len = 0;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(fds[0]);
		close(fds[1]);
		return -e;
	}
	if (pid == 0) {
		close(fds[0]);
		libcgroup_child(fds[1]);
	}
	close(fds[1]);
	n = read_all(fds[0], (size_t)1 << 20, out); /* 100 controllers: at most 800 KiB */
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return n < 0 ? (int)n : 0;
}

/* libcgroup's word against the kernel's: a controller it places where mountinfo (or,
 * for v2, cgroup.controllers) does not agree is reported and ignored. Asked in a child
 * (libcgroup_mounts): a check only, so without a child to spare there is none. */
static void crosscheck_libcgroup(const struct cg_hierarchies *hs, struct notes *notes)
{
	struct buf b = { 0 };
	const char *p, *end;

	if (libcgroup_mounts(&b) < 0 || !b.len) {
		buf_free(&b);
		return;
	}
	p = b.data;
	end = b.data + b.len;
	if (*p == 'E') {
		notes_add(notes, "libcgroup-init",
			  "libcgroup could not read the mount table (%s); using /proc/self/mountinfo alone",
			  p + 1);
		buf_free(&b);
		return;
	}
	while (p < end && *p == 'C') {
		const char *name = p + 1, *path = name + strlen(name) + 1;
		bool agrees = false;

		if (path >= end)
			break; /* cut short: the child failed */
		p = path + strlen(path) + 1;
		for (size_t i = 0; i < hs->n && !agrees; i++) {
			const struct cg_hierarchy *h = &hs->h[i];

			if (strcmp(h->mount_point, path) != 0)
				continue;
			if (h->v2) {
				_cleanup_free_ char *one = xstrdup(name);
				unsigned bit = v2_controller_bits(one);

				agrees = bit == CTL_OTHER ? true : (h->controllers & bit) != 0;
			} else {
				agrees = opts_has(h->name, name);
			}
		}
		if (!agrees) {
			char key[FILENAME_MAX + 16];

			snprintf(key, sizeof(key), "libcgroup:%s", name);
			notes_add(notes, key,
				  "libcgroup reports the %s controller at %s, which the kernel's mount table does not confirm; ignoring it",
				  name, path);
		}
	}
	buf_free(&b);
}

int hierarchies_discover(const struct rootfs *r, bool use_libcgroup, struct cg_hierarchies *out,
			 struct notes *notes)
{
	struct discover_ctx c = { .r = r, .hs = out };
	unsigned nbad = 0;
	ssize_t n;
	int ret;

	memset(out, 0, sizeof(*out));
	n = rootfs_read(r, "/proc/self/mountinfo", &c.buf);
	if (n < 0) {
		buf_free(&c.buf);
		return (int)n;
	}
	ret = parse_mountinfo(c.buf.data, c.buf.len, on_mount, &c, &nbad);
	buf_free(&c.buf);
	if (ret < 0)
		return ret;
	if (nbad)
		notes_add(notes, "mountinfo-bad", "%u malformed line%s in /proc/self/mountinfo skipped",
			  nbad, nbad == 1 ? "" : "s");
	if (out->n == 0)
		return -ENOENT;
	hierarchies_choose_sources(out, notes);
	if (out->src.cpu < 0)
		note_missing(r, notes, "cpuacct", "the CPU columns");
	if (out->src.memory < 0)
		note_missing(r, notes, "memory", "the memory columns");
	if (out->src.io < 0)
		note_missing(r, notes, out->mode == CG_MODE_V2 ? "io" : "blkio", "the I/O columns");
	if (use_libcgroup)
		crosscheck_libcgroup(out, notes);
	return 0;
}

void hierarchies_free(struct cg_hierarchies *hs)
{
	for (size_t i = 0; i < hs->n; i++) {
		free(hs->h[i].mount_point);
		free(hs->h[i].root);
		free(hs->h[i].name);
	}
	free(hs->h);
	memset(hs, 0, sizeof(*hs));
}

uint64_t hierarchies_mask_of(const struct rootfs *r, const struct cg_hierarchies *hs,
			     const char *path)
{
	uint64_t mask = 0;

	for (size_t i = 0; i < hs->n && i < 64; i++) {
		char full[4096];
		int fd;

		if (snprintf(full, sizeof(full), "%s%s", hs->h[i].mount_point, path) >= (int)sizeof(full))
			continue;
		fd = rootfs_openat(r, full, O_RDONLY | O_DIRECTORY);
		if (fd < 0)
			continue;
		close(fd);
		for (size_t j = 0; j < i && fd >= 0; j++) /* a hierarchy mounted twice: once */
			if ((mask & (1ull << j)) && strcmp(hs->h[j].name, hs->h[i].name) == 0)
				fd = -1;
		if (fd >= 0)
			mask |= 1ull << i;
	}
	return mask;
}
