/* The sampler's readers: the figures of one cgroup from its files, each role's own. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "parse.h"
#include "sampler_walk.h"

const char *const cg_file_name[CGF_COUNT] = {
	[CGF_CPUACCT_USAGE] = "cpuacct.usage",
	[CGF_CPU_STAT] = "cpu.stat",
	[CGF_MEM_USAGE] = "memory.usage_in_bytes",
	[CGF_MEM_LIMIT] = "memory.limit_in_bytes",
	[CGF_MEM_CURRENT] = "memory.current",
	[CGF_MEM_MAX] = "memory.max",
	[CGF_MEM_STAT] = "memory.stat",
	[CGF_PIDS_CURRENT] = "pids.current",
	[CGF_THROTTLE_BYTES] = "blkio.throttle.io_service_bytes_recursive",
	[CGF_THROTTLE_OPS] = "blkio.throttle.io_serviced_recursive",
	[CGF_CFQ_BYTES] = "blkio.io_service_bytes_recursive",
	[CGF_CFQ_OPS] = "blkio.io_serviced_recursive",
	[CGF_BFQ_BYTES] = "blkio.bfq.io_service_bytes_recursive",
	[CGF_BFQ_OPS] = "blkio.bfq.io_serviced_recursive",
	[CGF_IO_STAT] = "io.stat",
	[CGF_CFS_QUOTA] = "cpu.cfs_quota_us",
	[CGF_CFS_PERIOD] = "cpu.cfs_period_us",
	[CGF_CPU_MAX] = "cpu.max",
	[CGF_MEM_MAX_USAGE] = "memory.max_usage_in_bytes",
	[CGF_MEM_FAILCNT] = "memory.failcnt",
	[CGF_MEM_OOM_CONTROL] = "memory.oom_control",
	[CGF_MEMSW_USAGE] = "memory.memsw.usage_in_bytes",
	[CGF_MEM_PEAK] = "memory.peak",
	[CGF_MEM_EVENTS] = "memory.events",
	[CGF_MEM_SWAP_CURRENT] = "memory.swap.current",
	[CGF_PIDS_MAX] = "pids.max",
	[CGF_PIDS_EVENTS] = "pids.events",
	[CGF_CPU_PRESSURE] = "cpu.pressure",
	[CGF_MEM_PRESSURE] = "memory.pressure",
	[CGF_IO_PRESSURE] = "io.pressure",
};

/* N, after one note when reading file F was refused: a vanished cgroup or unreadable
 * file is not an error worth more than a '-'. */
static ssize_t noted(struct sampler *s, enum cg_file f, ssize_t n)
{
	if (n == -EACCES || n == -EPERM)
		notes_add(s->notes, "eacces",
			  "permission denied reading %s and possibly other cgroup files: those cells show '-' (run cgtop as root to see them)",
			  cg_file_name[f]);
	return n;
}

/* Read file F of the visited cgroup (kept open when it has a slot). */
ssize_t read_cg(struct sampler *s, const struct walk *w, struct fdc_visit *v, enum cg_file f)
{
	return noted(s, f, w->slot[f] >= 0 ? fdcache_read(v, (size_t)w->slot[f], &s->buf)
					   : fdcache_read_once(v, cg_file_name[f], &s->buf));
}

/* The same for a file read now and then: kept open only while the descriptor budget has
 * room after the files read at every refresh (fdcache_read_rare). */
ssize_t read_cg_rare(struct sampler *s, const struct walk *w, struct fdc_visit *v, enum cg_file f)
{
	return noted(s, f, w->slot[f] >= 0 ? fdcache_read_rare(v, (size_t)w->slot[f], &s->buf)
					   : fdcache_read_once(v, cg_file_name[f], &s->buf));
}

/* Read file F for a counter that moves only under a limit: at every refresh (its
 * descriptor kept) when LIMITED, else only when the rare files are due (as one of them),
 * else not at all (the memo's value stands). */
static ssize_t read_under_limit(struct sampler *s, const struct walk *w, struct fdc_visit *fv,
				const struct visit_rare *vr, bool limited, enum cg_file f)
{
	if (limited)
		return read_cg(s, w, fv, f);
	return vr->due ? read_cg_rare(s, w, fv, f) : -EAGAIN;
}

/* Whether limit figure F of R may be a limit: known and not "none", or not known (a
 * counter is then read as if it were). */
static bool may_be_limited(const struct cg_row *r, enum cg_field f)
{
	return !row_has(r, f) || fig_u64(figure(f), r) != UINT64_MAX;
}

/* The throttling counters of cpu.stat in s->buf: throttled time in ns (v1) or usec (v2). */
static void cpu_throttling(struct sampler *s, bool v2, struct cg_row *r)
{
	uint64_t v;

	if (parse_keyed_u64(s->buf.data, s->buf.len, "nr_periods", &v) == 0) {
		ROW_LIM_SET(r, cpu_periods, v);
		r->valid |= FIELD_BIT(F_CPU_PERIODS);
	}
	if (parse_keyed_u64(s->buf.data, s->buf.len, "nr_throttled", &v) == 0) {
		ROW_LIM_SET(r, cpu_throttled, v);
		r->valid |= FIELD_BIT(F_CPU_THROTTLED);
	}
	if (parse_keyed_u64(s->buf.data, s->buf.len, v2 ? "throttled_usec" : "throttled_time", &v) == 0 &&
	    (!v2 || v <= UINT64_MAX / 1000)) {
		ROW_LIM_SET(r, cpu_throttled_ns, v2 ? v * 1000 : v);
		r->valid |= FIELD_BIT(F_CPU_THROTTLED_NS);
	}
}

void sample_cpu(struct sampler *s, const struct walk *w, struct fdc_visit *fv, struct cg_row *r)
{
	uint64_t v;

	if (!w->v2) {
		if (read_cg(s, w, fv, CGF_CPUACCT_USAGE) >= 0 && parse_u64(s->buf.data, s->buf.len, &v) == 0) {
			r->cpu_ns = v;
			r->valid |= FIELD_BIT(F_CPU_NS);
		}
		return;
	}
	if (read_cg(s, w, fv, CGF_CPU_STAT) < 0)
		return;
	if (parse_keyed_u64(s->buf.data, s->buf.len, "usage_usec", &v) == 0 && v <= UINT64_MAX / 1000) {
		r->cpu_ns = v * 1000;
		r->valid |= FIELD_BIT(F_CPU_NS);
	}
	if (w->roles & ROLE_CPU_LIMIT)
		cpu_throttling(s, true, r);
}

/* The CPU limit: v1 cpu.cfs_quota_us and cpu.cfs_period_us, or v2 cpu.max. */
static void cpu_limit(struct sampler *s, const struct walk *w, struct fdc_visit *fv, struct cg_row *r)
{
	uint64_t quota, period, n;
	bool unlimited;

	if (w->v2) {
		if (read_cg_rare(s, w, fv, CGF_CPU_MAX) < 0 ||
		    parse_cpu_max(s->buf.data, s->buf.len, &quota, &period, &unlimited) < 0)
			return;
	} else {
		if (read_cg_rare(s, w, fv, CGF_CFS_QUOTA) < 0 ||
		    parse_cfs_quota(s->buf.data, s->buf.len, &quota, &unlimited) < 0)
			return;
		if (!unlimited && (read_cg_rare(s, w, fv, CGF_CFS_PERIOD) < 0 ||
				   parse_u64(s->buf.data, s->buf.len, &period) < 0))
			return;
	}
	if (unlimited)
		ROW_LIM_SET(r, cpu_limit, UINT64_MAX);
	else if (cpu_quota_nanocpus(quota, period, &n) == 0)
		ROW_LIM_SET(r, cpu_limit, n);
	else
		return;
	r->valid |= FIELD_BIT(F_CPU_LIMIT);
}

/* The CPU limit when due, and the throttling of cpu.stat unless sample_cpu() read it.
 * nr_periods, nr_throttled and throttled_time count the periods of the cgroup's own
 * quota (its bandwidth timer runs only with one; a cgroup held back by an ancestor's
 * quota is throttled in the ancestor's counters): without a quota they cannot move. */
void sample_cpu_limit(struct sampler *s, const struct walk *w, struct fdc_visit *fv,
		      const struct visit_rare *vr, struct cg_row *r)
{
	if (vr->due)
		cpu_limit(s, w, fv, r);
	if ((!w->v2 || !(w->roles & ROLE_CPU)) &&
	    read_under_limit(s, w, fv, vr, may_be_limited(r, F_CPU_LIMIT), CGF_CPU_STAT) >= 0)
		cpu_throttling(s, w->v2, r);
}

/* One u64 of file F into figure FIELD of R: a single number, or KEY's when KEY is set. */
static bool read_u64(struct sampler *s, const struct walk *w, struct fdc_visit *fv, enum cg_file f,
		     const char *key, uint64_t *out)
{
	if (read_cg(s, w, fv, f) < 0)
		return false;
	return (key ? parse_keyed_u64(s->buf.data, s->buf.len, key, out)
		    : parse_u64(s->buf.data, s->buf.len, out)) == 0;
}

#define SET(r, field, member, v) ((r)->member = (v), (r)->valid |= FIELD_BIT(field))
/* the same for an incident figure (snapshot.h: struct cg_lim) */
#define SET_LIM(r, field, member, v) (ROW_LIM_SET(r, member, v), (r)->valid |= FIELD_BIT(field))

/* Peak, swap, limit hits and OOM kills (after sample_memory(), which read the usage and
 * the limit). v1's memory.failcnt counts the charges that failed at the cgroup's own
 * limit (the page counter that was over its maximum): without a limit it cannot move.
 * OOM kills can (an ancestor's limit, the host out of memory), v2's memory.events "max"
 * too (it counts the descendants' limits): read at every refresh. */
void sample_memory_events(struct sampler *s, const struct walk *w, struct fdc_visit *fv,
			  const struct visit_rare *vr, struct cg_row *r)
{
	uint64_t v;

	if (w->v2) {
		if (read_u64(s, w, fv, CGF_MEM_PEAK, NULL, &v))
			SET(r, F_MEM_PEAK, mem_peak, v);
		if (read_u64(s, w, fv, CGF_MEM_SWAP_CURRENT, NULL, &v))
			SET(r, F_MEM_SWAP, mem_swap, v);
		if (read_cg(s, w, fv, CGF_MEM_EVENTS) < 0)
			return;
		if (parse_keyed_u64(s->buf.data, s->buf.len, "max", &v) == 0)
			SET_LIM(r, F_MEM_LIMIT_HITS, mem_limit_hits, v);
		if (parse_keyed_u64(s->buf.data, s->buf.len, "oom_kill", &v) == 0)
			SET_LIM(r, F_MEM_OOM_KILLS, mem_oom_kills, v);
		return;
	}
	if (read_u64(s, w, fv, CGF_MEM_MAX_USAGE, NULL, &v))
		SET(r, F_MEM_PEAK, mem_peak, v);
	if (read_under_limit(s, w, fv, vr, may_be_limited(r, F_MEM_LIMIT), CGF_MEM_FAILCNT) >= 0 &&
	    parse_u64(s->buf.data, s->buf.len, &v) == 0)
		SET_LIM(r, F_MEM_LIMIT_HITS, mem_limit_hits, v);
	/* memory and swap together, only where swap is accounted (swapaccount=1); read
	 * after the usage, it may briefly be below it */
	if (row_has(r, F_MEM_USAGE) && read_u64(s, w, fv, CGF_MEMSW_USAGE, NULL, &v))
		SET(r, F_MEM_SWAP, mem_swap, v > r->mem_usage ? v - r->mem_usage : 0);
	if (read_cg(s, w, fv, CGF_MEM_OOM_CONTROL) < 0)
		return;
	if (parse_keyed_u64(s->buf.data, s->buf.len, "under_oom", &v) == 0)
		SET_LIM(r, F_MEM_UNDER_OOM, mem_under_oom, v);
	/* no oom_kill line before 4.13 (RHEL 7): unknown, not 0 */
	if (parse_keyed_u64(s->buf.data, s->buf.len, "oom_kill", &v) == 0)
		SET_LIM(r, F_MEM_OOM_KILLS, mem_oom_kills, v);
}

/* Tasks, the task limit when due, and the refused forks. v1's pids.events counts the
 * forks refused in the cgroup, by its own limit or an ancestor's: it cannot move where
 * neither has one. v2's counts the refusals by its limit and its descendants' (kernel
 * 6.11 and later), or like v1 (before): read at every refresh. */
void sample_pids(struct sampler *s, const struct walk *w, struct fdc_visit *fv,
		 const struct visit_rare *vr, struct cg_row *r)
{
	uint64_t v;
	bool unlimited;

	if (read_u64(s, w, fv, CGF_PIDS_CURRENT, NULL, &v))
		SET(r, F_TASKS, tasks, v);
	if (vr->due && read_cg_rare(s, w, fv, CGF_PIDS_MAX) >= 0 &&
	    parse_u64_or_max(s->buf.data, s->buf.len, &v, &unlimited) == 0)
		SET(r, F_PIDS_LIMIT, pids_limit, unlimited ? UINT64_MAX : v);
	if (read_under_limit(s, w, fv, vr, w->v2 || vr->pids_capped || may_be_limited(r, F_PIDS_LIMIT),
			     CGF_PIDS_EVENTS) >= 0 &&
	    parse_keyed_u64(s->buf.data, s->buf.len, "max", &v) == 0)
		SET_LIM(r, F_PIDS_REFUSED, pids_refused, v);
}

/* Pressure: the some and full totals of cpu.pressure, memory.pressure, io.pressure. */
void sample_psi(struct sampler *s, const struct walk *w, struct fdc_visit *fv, struct cg_row *r)
{
	static const enum cg_file files[3] = { CGF_CPU_PRESSURE, CGF_MEM_PRESSURE, CGF_IO_PRESSURE };
	struct psi_totals t;

	for (size_t i = 0; i < 3; i++) {
		if (read_cg(s, w, fv, files[i]) < 0 || parse_psi(s->buf.data, s->buf.len, &t) < 0)
			continue;
		/* the pressure block made only for a row that has some (none on v1) */
		if (t.some_us <= UINT64_MAX / 1000) {
			row_psi_mk(r)->ns[2 * i] = t.some_us * 1000;
			r->valid |= FIELD_BIT(F_PSI_CPU_SOME_NS + 2 * i);
		}
		if (t.has_full && t.full_us <= UINT64_MAX / 1000) {
			row_psi_mk(r)->ns[2 * i + 1] = t.full_us * 1000;
			r->valid |= FIELD_BIT(F_PSI_CPU_SOME_NS + 2 * i + 1);
		}
	}
}

/* v1 reports "no limit" as the largest page-aligned value (9223372036854771712 with 4K pages). */
#define V1_NO_LIMIT 0x7FFFFFFFFFFF0000ull

/* Usage, the limit when due; with the memory_stat option also the working set and the page cache,
 * from memory.stat, the costliest file of a cgroup (the kernel sums it over the subtree). */
void sample_memory(struct sampler *s, const struct walk *w, struct fdc_visit *fv,
		   const struct visit_rare *vr, struct cg_row *r)
{
	bool v2 = w->v2;
	uint64_t usage, v;
	bool unlimited = false;

	if (read_cg(s, w, fv, v2 ? CGF_MEM_CURRENT : CGF_MEM_USAGE) < 0 ||
	    parse_u64(s->buf.data, s->buf.len, &usage) < 0)
		return;
	r->mem_usage = usage;
	r->valid |= FIELD_BIT(F_MEM_USAGE);
	if (vr->due && read_cg_rare(s, w, fv, v2 ? CGF_MEM_MAX : CGF_MEM_LIMIT) >= 0 &&
	    parse_u64_or_max(s->buf.data, s->buf.len, &v, &unlimited) == 0) {
		r->mem_limit = unlimited || v >= V1_NO_LIMIT ? UINT64_MAX : v;
		r->valid |= FIELD_BIT(F_MEM_LIMIT);
	}
	if (!s->opt.memory_stat || read_cg(s, w, fv, CGF_MEM_STAT) < 0)
		return;
	/* The working set is what `docker stats` shows: usage less inactive file pages. */
	if (parse_keyed_u64(s->buf.data, s->buf.len, v2 ? "inactive_file" : "total_inactive_file", &v) == 0) {
		r->mem_ws = v < usage ? usage - v : 0;
		r->valid |= FIELD_BIT(F_MEM_WS);
	}
	if (parse_keyed_u64(s->buf.data, s->buf.len, v2 ? "file" : "total_cache", &v) == 0) {
		r->mem_cache = v;
		r->valid |= FIELD_BIT(F_MEM_CACHE);
	}
}

/* v2 "/" has no memory.current: like systemd-cgtop, the host's used memory stands for it. */
void sample_root_memory_v2(struct sampler *s, struct cg_row *r)
{
	uint64_t total, avail;

	if (rootfs_read(s->root, "/proc/meminfo", &s->buf) < 0 ||
	    parse_meminfo(s->buf.data, s->buf.len, "MemTotal", &total) < 0 ||
	    parse_meminfo(s->buf.data, s->buf.len, "MemAvailable", &avail) < 0)
		return;
	r->mem_usage = total > avail ? total - avail : 0;
	r->mem_ws = r->mem_usage;
	r->valid |= FIELD_BIT(F_MEM_USAGE) | FIELD_BIT(F_MEM_WS);
}

/* Read a v1 bytes/ops pair of files into R. Returns 1 when they list a device, 0 when
 * they list none, -errno when unreadable or malformed. */
static int blkio_pair(struct sampler *s, const struct walk *w, struct fdc_visit *fv,
		      enum cg_file bytes_file, enum cg_file ops_file, struct cg_row *r)
{
	const char *bytes = cg_file_name[bytes_file];
	struct blkio_rw b, o;
	ssize_t n = read_cg(s, w, fv, bytes_file);

	if (n < 0)
		return (int)n;
	if (parse_blkio_rwstat(s->buf.data, s->buf.len, &b) < 0) {
		notes_add(s->notes, bytes, "malformed %s in %s: its I/O shows '-'", bytes, r->path);
		return -EINVAL;
	}
	if (b.ndevices == 0)
		return 0;
	r->io_rbytes = b.read;
	r->io_wbytes = b.write;
	r->valid |= FIELD_BIT(F_IO_RBYTES) | FIELD_BIT(F_IO_WBYTES);
	if (read_cg(s, w, fv, ops_file) >= 0 && parse_blkio_rwstat(s->buf.data, s->buf.len, &o) == 0) {
		r->io_rios = o.read;
		r->io_wios = o.write;
		r->valid |= FIELD_BIT(F_IO_RIOS) | FIELD_BIT(F_IO_WIOS);
	}
	return 1;
}

/* v1 block I/O. Recent kernels count blkio.throttle.* only for I/O to a device that has a
 * throttle rule in some cgroup, so an empty file may mean "not counted", not "no I/O".
 * Order: the throttle counters when they list a device; CFQ or BFQ counters when they do;
 * else an estimate from /proc/<pid>/io of the cgroup's tasks. Returns true when the
 * estimate is needed. */
bool sample_blkio(struct sampler *s, const struct walk *w, struct fdc_visit *fv, struct cg_row *r)
{
	int t = blkio_pair(s, w, fv, CGF_THROTTLE_BYTES, CGF_THROTTLE_OPS, r);

	if (t > 0) {
		r->io_source = IO_SRC_THROTTLE;
		return false;
	}
	/* garbage or unreadable leaves the cells at '-'; a missing file (3.10 kernels have no
	 * throttle *_recursive files) moves on to CFQ */
	if (t < 0 && t != -ENOENT)
		return false;
	if (blkio_pair(s, w, fv, CGF_CFQ_BYTES, CGF_CFQ_OPS, r) > 0) {
		r->io_source = IO_SRC_CFQ;
		return false;
	}
	/* BFQ counts only on a device it schedules: with none, its files list no device
	 * (10,000 idle scopes: 10,000 files a refresh not read) */
	if (sampler_bfq_used(s) && blkio_pair(s, w, fv, CGF_BFQ_BYTES, CGF_BFQ_OPS, r) > 0) {
		r->io_source = IO_SRC_BFQ;
		return false;
	}
	r->io_source = IO_SRC_PROC;
	return true;
}

void sample_iostat(struct sampler *s, const struct walk *w, struct fdc_visit *fv, struct cg_row *r)
{
	struct io_stat io;

	if (read_cg(s, w, fv, CGF_IO_STAT) < 0 || parse_io_stat(s->buf.data, s->buf.len, &io) < 0)
		return;
	r->io_rbytes = io.rbytes;
	r->io_wbytes = io.wbytes;
	r->io_rios = io.rios;
	r->io_wios = io.wios;
	r->io_source = IO_SRC_IOSTAT;
	r->valid |= FIELD_BIT(F_IO_RBYTES) | FIELD_BIT(F_IO_WBYTES) | FIELD_BIT(F_IO_RIOS) |
		    FIELD_BIT(F_IO_WIOS);
}
