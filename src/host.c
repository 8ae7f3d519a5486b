/* Host-wide facts: host name, uptime, load, memory, /proc/cgroups. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "host.h"
#include "parse.h"
#include "parse_procs.h"

/* Copy the first line of B into OUT (without the newline). */
static void first_line(const struct buf *b, char *out, size_t outlen)
{
	size_t n = strcspn(b->data, "\n");

	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, b->data, n);
	out[n] = '\0';
}

/* The host name of the root: its files first, so a fixture tree names itself. */
void host_name_read(const struct rootfs *r, char *out, size_t outlen, struct buf *b)
{
	out[0] = '\0';
	if (rootfs_read(r, "/proc/sys/kernel/hostname", b) > 0 ||
	    rootfs_read(r, "/etc/hostname", b) > 0)
		first_line(b, out, outlen);
	/* the live root without /proc/sys: the kernel's own answer (a tree has none) */
	if (!out[0] && r->is_host && gethostname(out, outlen) < 0)
		out[0] = '\0';
	out[outlen - 1] = '\0';
}

/* Read the header's host facts; what cannot be read stays invalid. */
void host_info_read(const struct rootfs *r, struct host_info *hi, struct buf *b)
{
	uint64_t ntasks;
	long n;

	memset(hi, 0, sizeof(*hi));
	host_name_read(r, hi->hostname, sizeof(hi->hostname), b);
	if (rootfs_read(r, "/proc/uptime", b) >= 0 && parse_uptime(b->data, b->len, &hi->uptime_s) == 0)
		hi->uptime_valid = true;
	if (rootfs_read(r, "/proc/loadavg", b) >= 0 && parse_loadavg(b->data, b->len, hi->load, &ntasks) == 0)
		hi->load_valid = true;
	if (rootfs_read(r, "/proc/meminfo", b) >= 0 &&
	    parse_meminfo(b->data, b->len, "MemTotal", &hi->memtotal) == 0)
		hi->memtotal_valid = true;
	n = r->is_host ? sysconf(_SC_NPROCESSORS_ONLN) : 0;
	hi->ncpus = n > 0 ? (int)n : 0;
	hi->psi_read_ns = now_monotonic_ns();
	for (int i = 0; i < 3; i++) {
		static const char *const files[3] = { "/proc/pressure/cpu", "/proc/pressure/memory",
						      "/proc/pressure/io" };
		struct psi_totals pt;

		if (rootfs_read(r, files[i], b) >= 0 && parse_psi(b->data, b->len, &pt) == 0 && pt.has_some) {
			hi->psi_total_valid[i] = true;
			hi->psi_some_us[i] = pt.some_us;
		}
	}
}

void host_psi_share(struct host_info *cur, const struct host_info *prev)
{
	for (int i = 0; i < 3; i++) {
		cur->psi_share_valid[i] = false;
		if (!cur->psi_total_valid[i] || !prev->psi_total_valid[i] ||
		    cur->psi_some_us[i] < prev->psi_some_us[i] || cur->psi_read_ns <= prev->psi_read_ns)
			continue;
		cur->psi_some_percent[i] = (double)(cur->psi_some_us[i] - prev->psi_some_us[i]) * 1e5 /
					   (double)(cur->psi_read_ns - prev->psi_read_ns);
		if (cur->psi_some_percent[i] > 100)
			cur->psi_some_percent[i] = 100;
		cur->psi_share_valid[i] = true;
	}
}

/* True when WORD is one of the space-separated words of LIST. */
static bool word_in(const char *list, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list; *p;) {
		size_t n;

		p += strspn(p, " \t\n");
		n = strcspn(p, " \t\n");
		if (n == wl && memcmp(p, word, n) == 0)
			return true;
		p += n;
	}
	return false;
}

struct controllers_ctx {
	struct host_controller *v;
	size_t n;
};

/* parse_proc_cgroups() callback: append one controller. */
static int on_controller(const char *name, int hierarchy, unsigned long num, bool enabled, void *ud)
{
	struct controllers_ctx *c = ud;
	struct host_controller *hc;

	c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	hc = &c->v[c->n++];
	snprintf(hc->name, sizeof(hc->name), "%s", name);
	hc->hierarchy = hierarchy;
	hc->num_cgroups = num;
	hc->enabled = enabled;
	return 0;
}

/* The controllers of /proc/cgroups, marked when cgroup2 offers them. */
ssize_t host_read_controllers(const struct rootfs *r, const char *v2_mount, struct host_controller **out)
{
	struct buf b = { 0 };
	struct controllers_ctx c = { 0 };
	ssize_t n = rootfs_read(r, "/proc/cgroups", &b);
	int ret;

	*out = NULL;
	if (n < 0) {
		buf_free(&b);
		return n;
	}
	ret = parse_proc_cgroups(b.data, b.len, on_controller, &c);
	if (ret < 0) {
		buf_free(&b);
		free(c.v);
		return ret;
	}
	if (v2_mount) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/cgroup.controllers", v2_mount);
		if (rootfs_read(r, path, &b) >= 0)
			for (size_t i = 0; i < c.n; i++)
				c.v[i].on_v2 = word_in(b.data, c.v[i].name);
	}
	buf_free(&b);
	*out = c.v;
	return (ssize_t)c.n;
}
