/* The tasks of a cgroup: PIDs from cgroup.procs of the cgroup and its descendants,
 * figures from /proc/<pid>/{stat,status,cmdline}, all through the root handle. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-login.h>

#include "parse.h"
#include "parse_procs.h"
#include "procs.h"
#include "util.h"

/* What a process had used at the previous sample. */
struct prev_cpu {
	pid_t pid;
	uint64_t starttime;
	uint64_t ticks;
};

struct uid_name {
	uid_t uid;
	char name[33];
};

struct procs_reader {
	const struct rootfs *root;
	const struct cg_hierarchies *hs;
	int procfd;                  /* ROOT/proc */
	struct buf buf;
	pid_t *tmp;                  /* one cgroup.procs, parsed */
	size_t tmp_cap;
	pid_t *pids;                 /* every PID of a sample */
	size_t pids_cap;
	struct prev_cpu *prev, *cur;
	size_t nprev, ncur, prev_cap, cur_cap;
	uint64_t prev_mono_ns;
	struct uid_name *users;      /* names looked up so far: NSS may be slow (LDAP) */
	size_t nusers;
	struct buf passwd;           /* ROOT/etc/passwd with --root */
	bool passwd_read;
	bool btime_read;
	bool btime_valid;
	uint64_t btime;              /* boot time, seconds since the epoch */
	long clk_tck;
};

/* Empty L, keeping its storage. */
void task_list_clear(struct task_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].cmdline);
	l->n = 0;
	l->err = 0;
}

/* Free L and its storage. */
void task_list_free(struct task_list *l)
{
	task_list_clear(l);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* A reader below R, with ROOT/proc opened once. */
struct procs_reader *procs_reader_new(const struct rootfs *r, const struct cg_hierarchies *hs)
{
	struct procs_reader *pr = xcalloc(1, sizeof(*pr));

	pr->root = r;
	pr->hs = hs;
	pr->procfd = rootfs_openat(r, "/proc", O_RDONLY | O_DIRECTORY);
	pr->clk_tck = sysconf(_SC_CLK_TCK);
	if (pr->clk_tck <= 0)
		pr->clk_tck = 100;
	return pr;
}

/* Free the reader and what it remembers. */
void procs_reader_free(struct procs_reader *pr)
{
	if (!pr)
		return;
	if (pr->procfd >= 0)
		close(pr->procfd);
	buf_free(&pr->buf);
	buf_free(&pr->passwd);
	free(pr->tmp);
	free(pr->pids);
	free(pr->prev);
	free(pr->cur);
	free(pr->users);
	free(pr);
}

/* Append the PIDs of the cgroup at DIRFD and of every cgroup below it to *PIDS[*N].
 * Takes ownership of DIRFD. Cgroups that vanish meanwhile are skipped. */
static void collect_tree(struct procs_reader *pr, int dirfd, pid_t **pids, size_t *n, size_t *cap)
{
	ssize_t k = read_file_at(dirfd, "cgroup.procs", &pr->buf);
	struct dirent *de;
	DIR *d;

	if (k >= 0)
		k = parse_pid_list(pr->buf.data, pr->buf.len, &pr->tmp, &pr->tmp_cap);
	for (ssize_t i = 0; i < k; i++) {
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 256;
			*pids = xrealloc(*pids, *cap * sizeof(**pids));
		}
		(*pids)[(*n)++] = pr->tmp[i];
	}
	d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return;
	}
	while ((de = readdir(d))) {
		int fd;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		fd = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0)
			collect_tree(pr, fd, pids, n, cap);
	}
	closedir(d);
}

/* Open cgroup PATH in hierarchy HI. Returns an fd or -errno. */
static int open_cgroup(struct procs_reader *pr, int hi, const char *path)
{
	char full[PATH_MAX];
	const char *mp = pr->hs->h[hi].mount_point;

	if (strcmp(path, "/") == 0)
		path = "";
	if ((size_t)snprintf(full, sizeof(full), "%s%s", mp, path) >= sizeof(full))
		return -ENAMETOOLONG;
	return rootfs_openat(pr->root, full, O_RDONLY | O_DIRECTORY);
}

/* Append the PIDs of PATH and below; the hierarchy listing processes first, then any. */
static int collect_path(struct procs_reader *pr, const char *path, pid_t **pids, size_t *n, size_t *cap)
{
	int first = pr->hs->src.procs, fd = -ENOENT;

	if (first >= 0 && (size_t)first < pr->hs->n)
		fd = open_cgroup(pr, first, path);
	for (size_t i = 0; fd == -ENOENT && i < pr->hs->n; i++)
		if ((int)i != first)
			fd = open_cgroup(pr, (int)i, path);
	if (fd < 0)
		return fd;
	collect_tree(pr, fd, pids, n, cap);
	return 0;
}

/* qsort order of PIDs. */
static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/* Sort PIDS[0..N) and drop repeats; returns the new count. */
static size_t sort_unique(pid_t *pids, size_t n)
{
	size_t u = 0;

	if (n == 0)
		return 0;
	qsort(pids, n, sizeof(*pids), cmp_pid);
	for (size_t i = u = 1; i < n; i++)
		if (pids[i] != pids[u - 1])
			pids[u++] = pids[i];
	return u;
}

/* The sorted, unique PIDs of PATH and below. */
ssize_t procs_list_pids(struct procs_reader *pr, const char *path, pid_t **pids, size_t *cap)
{
	size_t n = 0;
	int r = collect_path(pr, path, pids, &n, cap);

	if (r < 0)
		return r;
	return (ssize_t)sort_unique(*pids, n);
}

/* The name of UID: cached; NSS on the live host, ROOT/etc/passwd with --root. */
static void user_name(struct procs_reader *pr, uid_t uid, char *out, size_t outlen)
{
	struct uid_name *u;
	bool found = false;

	for (size_t i = 0; i < pr->nusers; i++)
		if (pr->users[i].uid == uid) {
			snprintf(out, outlen, "%s", pr->users[i].name);
			return;
		}
	pr->users = xrealloc(pr->users, (pr->nusers + 1) * sizeof(*pr->users));
	u = &pr->users[pr->nusers++];
	u->uid = uid;
	if (pr->root->is_host) {
		struct passwd pw, *res = NULL;
		char sbuf[16384];

		if (getpwuid_r(uid, &pw, sbuf, sizeof(sbuf), &res) == 0 && res && res->pw_name &&
		    strlen(res->pw_name) < sizeof(u->name)) {
			snprintf(u->name, sizeof(u->name), "%s", res->pw_name);
			found = true;
		}
	} else {
		if (!pr->passwd_read) {
			pr->passwd_read = true;
			if (rootfs_read(pr->root, "/etc/passwd", &pr->passwd) < 0)
				buf_free(&pr->passwd);
		}
		found = pr->passwd.data &&
			parse_passwd_name(pr->passwd.data, pr->passwd.len, uid, u->name, sizeof(u->name)) == 0;
	}
	if (!found)
		snprintf(u->name, sizeof(u->name), "%u", (unsigned)uid);
	snprintf(out, outlen, "%s", u->name);
}

/* Boot time from ROOT/proc/stat, read once. */
static void read_btime(struct procs_reader *pr)
{
	if (pr->btime_read)
		return;
	pr->btime_read = true;
	pr->btime_valid = rootfs_read(pr->root, "/proc/stat", &pr->buf) >= 0 &&
			  parse_keyed_u64(pr->buf.data, pr->buf.len, "btime", &pr->btime) == 0;
}

/* Read one task. Returns false when it is gone (or unreadable). */
static bool read_task(struct procs_reader *pr, pid_t pid, struct task *t)
{
	char name[48], cmd[4096];
	struct proc_stat st;
	uint64_t rss;
	size_t cl;

	memset(t, 0, sizeof(*t));
	t->pid = pid;
	snprintf(name, sizeof(name), "%d/stat", (int)pid);
	if (read_file_at(pr->procfd, name, &pr->buf) < 0 ||
	    parse_proc_stat(pr->buf.data, pr->buf.len, &st) < 0)
		return false;
	t->state = st.state;
	t->cpu_ticks = st.utime + st.stime;
	t->starttime = st.starttime;
	t->threads = st.num_threads;
	if (pr->btime_valid) {
		t->start_real_s = pr->btime + st.starttime / (uint64_t)pr->clk_tck;
		t->start_valid = true;
	}
	snprintf(name, sizeof(name), "%d/status", (int)pid);
	if (read_file_at(pr->procfd, name, &pr->buf) >= 0) {
		t->uid_valid = parse_status_uid(pr->buf.data, pr->buf.len, &t->uid) == 0;
		if (parse_meminfo(pr->buf.data, pr->buf.len, "VmRSS", &rss) == 0) {
			t->rss_bytes = rss;
			t->rss_valid = true;
		}
	}
	if (!t->rss_valid && st.rss_pages == 0) {
		t->rss_valid = true; /* a kernel thread or a zombie: no memory of its own */
	}
	if (t->uid_valid)
		user_name(pr, t->uid, t->user, sizeof(t->user));
	snprintf(name, sizeof(name), "%d/cmdline", (int)pid);
	cl = read_file_at(pr->procfd, name, &pr->buf) >= 0 ? parse_cmdline(pr->buf.data, pr->buf.len, cmd, sizeof(cmd)) : 0;
	if (cl == 0)
		snprintf(cmd, sizeof(cmd), "[%s]", st.comm);
	t->cmdline = xstrdup(cmd);
	return true;
}

/* bsearch order of the previous sample's entries. */
static int cmp_prev(const void *a, const void *b)
{
	pid_t x = ((const struct prev_cpu *)a)->pid, y = ((const struct prev_cpu *)b)->pid;

	return (x > y) - (x < y);
}

/* Busiest first: tasks with a rate by rate, then by CPU time used, then by PID. */
static int cmp_task(const void *a, const void *b)
{
	const struct task *x = a, *y = b;

	if (x->cpu_valid != y->cpu_valid)
		return x->cpu_valid ? -1 : 1;
	if (x->cpu_valid && x->cpu_percent != y->cpu_percent)
		return x->cpu_percent > y->cpu_percent ? -1 : 1;
	if (x->cpu_ticks != y->cpu_ticks)
		return x->cpu_ticks > y->cpu_ticks ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Read the tasks of PATHS; %CPU from the previous call's CPU time. */
int procs_sample(struct procs_reader *pr, const char *const *paths, size_t npaths,
		 uint64_t mono_ns, struct task_list *out)
{
	size_t n = 0, found = 0;
	double dt = pr->prev_mono_ns && mono_ns > pr->prev_mono_ns ? (double)(mono_ns - pr->prev_mono_ns) / 1e9 : 0;
	struct prev_cpu *swap;
	int err = -ENOENT;

	task_list_clear(out);
	out->mono_ns = mono_ns;
	if (pr->procfd < 0)
		return out->err = pr->procfd;
	read_btime(pr);
	for (size_t i = 0; i < npaths; i++) {
		int r = collect_path(pr, paths[i], &pr->pids, &n, &pr->pids_cap);

		if (r == 0)
			found++;
		else
			err = r;
	}
	if (npaths && !found)
		return out->err = err;
	n = sort_unique(pr->pids, n);
	pr->ncur = 0;
	for (size_t i = 0; i < n; i++) {
		struct task t;
		struct prev_cpu key = { .pid = pr->pids[i] }, *old;

		if (!read_task(pr, pr->pids[i], &t))
			continue; /* exited since cgroup.procs was read: routine */
		old = pr->nprev ? bsearch(&key, pr->prev, pr->nprev, sizeof(key), cmp_prev) : NULL;
		if (old && old->starttime == t.starttime && dt > 0 && t.cpu_ticks >= old->ticks) {
			t.cpu_percent = (double)(t.cpu_ticks - old->ticks) / (double)pr->clk_tck / dt * 100.0;
			t.cpu_valid = true;
		}
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 64;
			out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
		}
		out->v[out->n++] = t;
		if (pr->ncur == pr->cur_cap) {
			pr->cur_cap = pr->cur_cap ? pr->cur_cap * 2 : 64;
			pr->cur = xrealloc(pr->cur, pr->cur_cap * sizeof(*pr->cur));
		}
		pr->cur[pr->ncur++] = (struct prev_cpu){ t.pid, t.starttime, t.cpu_ticks };
	}
	if (out->n > 1) /* qsort(NULL, 0, …) is undefined */
		qsort(out->v, out->n, sizeof(*out->v), cmp_task);
	/* PIDs were read in order, so cur is sorted for the next bsearch */
	swap = pr->prev;
	pr->prev = pr->cur;
	pr->cur = swap;
	pr->nprev = pr->ncur;
	n = pr->prev_cap;
	pr->prev_cap = pr->cur_cap;
	pr->cur_cap = n;
	pr->prev_mono_ns = mono_ns;
	return 0;
}

struct cgroups_ctx {
	struct task_cgroup *v;
	size_t n;
};

/* parse_proc_cgroup() callback: append one membership line. */
static int on_cgroup_line(int hierarchy, const char *controllers, const char *path, void *ud)
{
	struct cgroups_ctx *c = ud;

	c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	c->v[c->n].hierarchy = hierarchy;
	c->v[c->n].controllers = xstrdup(controllers);
	c->v[c->n].path = xstrdup(path);
	c->n++;
	return 0;
}

/* The lines of ROOT/proc/PID/cgroup. */
ssize_t procs_read_cgroups(const struct rootfs *r, pid_t pid, struct task_cgroup **out)
{
	char path[64];
	struct buf b = { 0 };
	struct cgroups_ctx c = { 0 };
	ssize_t n;
	int ret;

	*out = NULL;
	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	n = rootfs_read(r, path, &b);
	if (n < 0) {
		buf_free(&b);
		return n;
	}
	ret = parse_proc_cgroup(b.data, b.len, on_cgroup_line, &c);
	buf_free(&b);
	if (ret < 0) {
		task_cgroups_free(c.v, c.n);
		return ret;
	}
	*out = c.v;
	return (ssize_t)c.n;
}

/* Free what procs_read_cgroups() returned. */
void task_cgroups_free(struct task_cgroup *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].controllers);
		free(v[i].path);
	}
	free(v);
}

/* Its cgroups, and its unit and slice from libsystemd on the host (not under --root:
 * libsystemd reads this machine's /proc). */
void procs_read_where(const struct rootfs *r, pid_t pid, struct task_where *out)
{
	memset(out, 0, sizeof(*out));
	out->pid = pid;
	out->ncgs = procs_read_cgroups(r, pid, &out->cgs);
	if (r->is_host) {
		out->unit_err = sd_pid_get_unit(pid, &out->unit);
		if (sd_pid_get_slice(pid, &out->slice) < 0)
			out->slice = NULL;
	} else {
		out->unit_err = 1;
	}
}

/* Free what procs_read_where() read. */
void task_where_free(struct task_where *w)
{
	if (w->ncgs > 0)
		task_cgroups_free(w->cgs, (size_t)w->ncgs);
	else
		free(w->cgs);
	free(w->unit);
	free(w->slice);
	memset(w, 0, sizeof(*w));
}
