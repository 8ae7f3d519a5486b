/* The sampler: walks the hierarchies that give figures, once per refresh, and merges
 * what each says about a cgroup path into one row of a new snapshot. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "fdcache.h"
#include "fields.h"
#include "netns.h"
#include "parse.h"
#include "sampler.h"

#include "rootfs.h"
#include "sampler_walk.h"

static unsigned roles_of(const struct cg_hierarchies *hs, int i)
{
	unsigned roles = 0;

	if (hs->src.cpu == i)
		roles |= ROLE_CPU;
	if (hs->src.memory == i)
		roles |= ROLE_MEMORY;
	if (hs->src.io == i)
		roles |= ROLE_IO;
	if (hs->src.pids == i)
		roles |= ROLE_PIDS;
	if (hs->src.procs == i)
		roles |= ROLE_PROCS;
	if (hs->src.cpu_limit == i)
		roles |= ROLE_CPU_LIMIT;
	if (hs->src.psi == i)
		roles |= ROLE_PSI;
	return roles;
}

static void keep_file(struct walk *w, enum cg_file f)
{
	w->slot[f] = (int)w->cache.nfiles;
	w->files[w->cache.nfiles++] = cg_file_name[f];
}

_Static_assert(sizeof(struct rare_memo) == 12 && _Alignof(struct rare_memo) == 4,
	       "a memo is 12 bytes, then its figures, at 4-byte alignment");

static void memo_field(struct walk *w, enum cg_field f)
{
	w->memo_fields[w->nmemo++] = f;
}

/* The figures a cgroup's memo keeps in walk W: its limits, and the counters read only
 * under a limit (sampler_read.c says which). */
static void memo_init(struct walk *w)
{
	if (w->roles & ROLE_CPU_LIMIT) {
		memo_field(w, F_CPU_LIMIT);
		if (!w->v2 || !(w->roles & ROLE_CPU)) {
			memo_field(w, F_CPU_PERIODS);
			memo_field(w, F_CPU_THROTTLED);
			memo_field(w, F_CPU_THROTTLED_NS);
		}
	}
	if (w->roles & ROLE_MEMORY) {
		memo_field(w, F_MEM_LIMIT);
		if (!w->v2)
			memo_field(w, F_MEM_LIMIT_HITS);
	}
	if (w->roles & ROLE_PIDS) {
		memo_field(w, F_PIDS_LIMIT);
		if (!w->v2)
			memo_field(w, F_PIDS_REFUSED);
	}
	if (w->nmemo)
		w->cache.memo_size = sizeof(struct rare_memo) + w->nmemo * sizeof(fdc_u64);
}

/* Whether the rare files of the cgroup with memo M (NULL: none) are to be read now. */
static bool memo_due(const struct sampler *s, const struct rare_memo *m)
{
	return !m || m->due_at == 0 || (int32_t)(s->refresh - m->due_at) >= 0 ||
	       (int32_t)(s->now_ms - m->due_ms) >= 0;
}

/* R's memo figures as they were last read, where this refresh did not read them. */
static void memo_restore(const struct walk *w, const struct rare_memo *m, struct cg_row *r)
{
	for (size_t i = 0; i < w->nmemo; i++) {
		const struct figure *f = figure(w->memo_fields[i]);

		if (!(m->known & (UINT32_C(1) << i)))
			continue;
		fig_set_u64(f, r, m->v[i]);
		r->valid |= FIELD_BIT(f->id);
	}
}

/* Keep R's memo figures for the refreshes that will not read them; when they were read
 * (DUE), say when they are due again. The first read sets the next at one to
 * RARE_REFRESHES refreshes (and as much of RARE_MS) after it, by the path's HASH, so the
 * cgroups of a host made at once are not read again all in one refresh. */
static void memo_save(const struct sampler *s, const struct walk *w, struct rare_memo *m,
		      const struct cg_row *r, bool due, uint64_t hash)
{
	uint32_t turns = m->due_at ? RARE_REFRESHES : 1 + (uint32_t)(hash % RARE_REFRESHES);

	m->known = 0;
	for (size_t i = 0; i < w->nmemo; i++) {
		const struct figure *f = figure(w->memo_fields[i]);

		if (!row_has(r, f->id))
			continue;
		m->v[i] = fig_u64(f, r);
		m->known |= UINT32_C(1) << i;
	}
	if (!due)
		return;
	m->due_at = s->refresh + turns;
	if (m->due_at == 0)
		m->due_at = 1; /* 0 is "never read" */
	m->due_ms = s->now_ms + (uint32_t)((uint64_t)RARE_MS * turns / RARE_REFRESHES);
}

/* The files the roles of hierarchy HI read in every cgroup, kept open between refreshes
 * (limits, read now and then, see RARE_REFRESHES, only while the descriptor budget has
 * room after the files read at every refresh: fdcache_read_rare).
 * cgroup.procs is not among them: a kept v1 cgroup.procs serves the same PID list again
 * for a second after a read. */
static void walk_init(struct sampler *s, struct walk *w, int hi)
{
	const struct cg_hierarchy *h = &s->hs->h[hi];

	w->hi = hi;
	w->roles = roles_of(s->hs, hi);
	w->v2 = h->v2;
	for (size_t f = 0; f < CGF_COUNT; f++)
		w->slot[f] = -1;
	fdcache_init(&w->cache, &s->budget, w->files, 0);
	if (w->roles & ROLE_CPU)
		keep_file(w, w->v2 ? CGF_CPU_STAT : CGF_CPUACCT_USAGE);
	if (w->roles & ROLE_CPU_LIMIT) {
		/* v2's cpu.stat gives the usage and the throttling both, read once */
		if (!w->v2 || !(w->roles & ROLE_CPU))
			keep_file(w, CGF_CPU_STAT);
		if (w->v2) {
			keep_file(w, CGF_CPU_MAX);
		} else {
			keep_file(w, CGF_CFS_QUOTA);
			keep_file(w, CGF_CFS_PERIOD);
		}
	}
	if (w->roles & ROLE_MEMORY) {
		keep_file(w, w->v2 ? CGF_MEM_CURRENT : CGF_MEM_USAGE);
		keep_file(w, w->v2 ? CGF_MEM_MAX : CGF_MEM_LIMIT);
		if (s->opt.memory_stat)
			keep_file(w, CGF_MEM_STAT);
		if (w->v2) {
			keep_file(w, CGF_MEM_PEAK);
			keep_file(w, CGF_MEM_EVENTS);
			keep_file(w, CGF_MEM_SWAP_CURRENT);
		} else {
			keep_file(w, CGF_MEM_MAX_USAGE);
			keep_file(w, CGF_MEM_FAILCNT);
			keep_file(w, CGF_MEM_OOM_CONTROL);
			keep_file(w, CGF_MEMSW_USAGE);
		}
	}
	if (w->roles & ROLE_PIDS) {
		keep_file(w, CGF_PIDS_CURRENT);
		keep_file(w, CGF_PIDS_MAX);
		keep_file(w, CGF_PIDS_EVENTS);
	}
	if (w->roles & ROLE_PSI) {
		keep_file(w, CGF_CPU_PRESSURE);
		keep_file(w, CGF_MEM_PRESSURE);
		keep_file(w, CGF_IO_PRESSURE);
	}
	if ((w->roles & ROLE_IO) && w->v2)
		keep_file(w, CGF_IO_STAT);
	if ((w->roles & ROLE_IO) && !w->v2)
		for (enum cg_file f = CGF_THROTTLE_BYTES; f <= CGF_BFQ_OPS; f++)
			keep_file(w, f);
	memo_init(w);
}

struct sampler *sampler_new(const struct rootfs *r, const struct cg_hierarchies *hs,
			    const struct sampler_options *opt, struct notes *notes)
{
	struct sampler *s = xcalloc(1, sizeof(*s));

	s->root = r;
	s->hs = hs;
	s->opt = *opt;
	s->notes = notes;
	s->clk_tck = sysconf(_SC_CLK_TCK);
	if (s->clk_tck <= 0)
		s->clk_tck = 100;
	s->procfd = rootfs_openat(r, "/proc", O_RDONLY | O_DIRECTORY);
	s->budget.limit = opt->fd_budget > 0 ? opt->fd_budget : opt->fd_budget < 0 ? 0 : fd_budget_default();
	s->walks = xcalloc(hs->n ? hs->n : 1, sizeof(*s->walks));
	for (size_t i = 0; i < hs->n; i++)
		walk_init(s, &s->walks[i], (int)i);
	return s;
}

void sampler_free(struct sampler *s)
{
	if (!s)
		return;
	snapshot_free(s->cur);
	snapshot_free(s->prev);
	buf_free(&s->buf);
	free(s->pids);
	free(s->own_procs);
	free(s->est_rbytes);
	free(s->est_wbytes);
	free(s->need_procs);
	free(s->pidio_prev.v);
	free(s->pidio_cur.v);
	if (s->procfd >= 0)
		close(s->procfd);
	for (size_t i = 0; i < s->hs->n; i++)
		fdcache_free(&s->walks[i].cache);
	free(s->walks);
	netns_reader_free(&s->net);
	for (size_t i = 0; i < s->ndents; i++)
		buf_free(&s->dents[i]);
	free(s->dents);
	free(s->kid_first);
	free(s->kid_next);
	free(s);
}

size_t sampler_fds_kept(const struct sampler *s)
{
	return (size_t)s->budget.used;
}

void sampler_dirs_walked(const struct sampler *s, size_t *listed, size_t *named)
{
	*listed = s->dirs_listed;
	*named = s->dirs_named;
}

static void scratch_fit(struct sampler *s)
{
	size_t want = s->cur->n;

	if (want <= s->scratch_cap)
		return;
	want = s->cur->cap;
	s->own_procs = xrealloc(s->own_procs, want * sizeof(*s->own_procs));
	s->est_rbytes = xrealloc(s->est_rbytes, want * sizeof(*s->est_rbytes));
	s->est_wbytes = xrealloc(s->est_wbytes, want * sizeof(*s->est_wbytes));
	s->need_procs = xrealloc(s->need_procs, want * sizeof(*s->need_procs));
	for (size_t i = s->scratch_cap; i < want; i++) {
		s->own_procs[i] = s->est_rbytes[i] = s->est_wbytes[i] = 0;
		s->need_procs[i] = 0;
	}
	s->scratch_cap = want;
}

static int cmp_pid_io(const void *a, const void *b)
{
	pid_t x = ((const struct pid_io *)a)->pid, y = ((const struct pid_io *)b)->pid;

	return (x > y) - (x < y);
}

static uint64_t boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Add what PID moved since the previous sample to row ROW's estimate. A PID not seen then
 * counts whole only if it started after that sample (else its past is unknown). */
static void estimate_pid(struct sampler *s, pid_t pid, size_t row)
{
	char name[32];
	struct proc_io io;
	struct pid_io key = { .pid = pid }, *old;
	uint64_t dr = 0, dw = 0;
	ssize_t n;

	if (s->procfd < 0)
		return;
	snprintf(name, sizeof(name), "%d/io", (int)pid);
	n = read_file_at(s->procfd, name, &s->buf);
	if (n == -EACCES || n == -EPERM)
		notes_add(s->notes, "proc-io-eacces",
			  "cannot read /proc/PID/io of some processes (%s; other users' processes unless cgtop runs as root): the I/O estimates ('~') leave them out",
			  strerror((int)-n));
	if (n < 0 || parse_proc_io(s->buf.data, s->buf.len, &io) < 0)
		return; /* exited, a kernel thread, or not ours to read */
	if (s->pidio_cur.n == s->pidio_cur.cap) {
		s->pidio_cur.cap = s->pidio_cur.cap ? s->pidio_cur.cap * 2 : 256;
		s->pidio_cur.v = xrealloc(s->pidio_cur.v, s->pidio_cur.cap * sizeof(*s->pidio_cur.v));
	}
	s->pidio_cur.v[s->pidio_cur.n++] = (struct pid_io){ pid, io.read_bytes, io.write_bytes };
	old = s->pidio_prev.n ? bsearch(&key, s->pidio_prev.v, s->pidio_prev.n, sizeof(key), cmp_pid_io) : NULL;
	if (old) {
		dr = io.read_bytes >= old->rbytes ? io.read_bytes - old->rbytes : 0;
		dw = io.write_bytes >= old->wbytes ? io.write_bytes - old->wbytes : 0;
	} else if (s->prev_boot_ns) {
		struct proc_stat st;

		snprintf(name, sizeof(name), "%d/stat", (int)pid);
		if (read_file_at(s->procfd, name, &s->buf) >= 0 &&
		    parse_proc_stat(s->buf.data, s->buf.len, &st) == 0 &&
		    st.starttime * (1000000000u / (uint64_t)s->clk_tck) >= s->prev_boot_ns) {
			dr = io.read_bytes;
			dw = io.write_bytes;
		}
	}
	s->est_rbytes[row] += dr;
	s->est_wbytes[row] += dw;
}

bool sampler_bfq_used(struct sampler *s)
{
	int dfd;
	DIR *d;
	struct dirent *de;
	bool used = false;

	if (s->bfq_refresh == s->refresh)
		return s->bfq_used;
	s->bfq_refresh = s->refresh;
	dfd = rootfs_openat(s->root, "/sys/block", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return s->bfq_used = true; /* cannot be told: read them */
	}
	while (!used && (de = readdir(d))) {
		char name[NAME_MAX + 32];

		if (de->d_name[0] == '.')
			continue;
		snprintf(name, sizeof(name), "%s/queue/scheduler", de->d_name);
		used = read_file_at(dirfd(d), name, &s->buf) > 0 && strstr(s->buf.data, "[bfq]");
	}
	closedir(d);
	return s->bfq_used = used;
}

/* The getdents64 buffer for a directory at DEPTH: a parent's stays intact while its
 * children are walked. */
static struct buf *dents_buf(struct sampler *s, unsigned depth)
{
	if (depth >= s->ndents) {
		size_t n = depth + 8;

		s->dents = xrealloc(s->dents, n * sizeof(*s->dents));
		memset(s->dents + s->ndents, 0, (n - s->ndents) * sizeof(*s->dents));
		s->ndents = n;
	}
	buf_reserve(&s->dents[depth], 32768);
	return &s->dents[depth];
}

/* The previous sample's rows as a tree (s->kid_first, s->kid_next), while its rows are
 * whole: a child's row names its parent's. */
static void kids_build(struct sampler *s)
{
	const struct snapshot *p = s->prev;

	s->kids_n = 0;
	if (!p || p->packed || !p->n)
		return;
	if (p->n > s->kids_cap) {
		s->kids_cap = p->n + p->n / 4;
		s->kid_first = xrealloc(s->kid_first, s->kids_cap * sizeof(*s->kid_first));
		s->kid_next = xrealloc(s->kid_next, s->kids_cap * sizeof(*s->kid_next));
	}
	for (size_t i = 0; i < p->n; i++)
		s->kid_first[i] = -1;
	/* from the last row back: each parent's children in the order of their rows */
	for (size_t i = p->n; i-- > 0;) {
		int32_t up = p->rows[i].parent;

		s->kid_next[i] = -1;
		if (up >= 0 && (size_t)up < p->n && (size_t)up != i) {
			s->kid_next[i] = s->kid_first[up];
			s->kid_first[up] = (int32_t)i;
		}
	}
	s->kids_n = p->n;
}

/* The previous sample's row of the cgroup at s->path (PATHLEN bytes, hash HASH), or -1. */
static ssize_t prev_row(const struct sampler *s, size_t pathlen, uint64_t hash)
{
	if (!s->kids_n)
		return -1;
	return pathlen ? snapshot_find_hashed(s->prev, s->path, pathlen, hash) : snapshot_find(s->prev, "/");
}

static int walk_dir(struct sampler *s, struct walk *w, int parentfd, const char *name, ino_t ino,
		    size_t pathlen, uint64_t hash, unsigned depth, ssize_t parent, ssize_t owner,
		    bool need_procs, bool need_est, bool pids_capped);

/* Visit the subdirectories of the visited cgroup V (at s->path, PATHLEN bytes, hash HASH)
 * that the previous sample has as children of its row PREV, by name: V's directory is
 * unchanged since then. True when one of them is in this hierarchy. */
static bool walk_kids(struct sampler *s, struct walk *w, int dirfd, ssize_t prow, size_t pathlen,
		      uint64_t hash, unsigned depth, ssize_t row, bool need_procs, bool need_est,
		      bool pids_capped)
{
	bool subdirs = false;

	for (int32_t j = s->kid_first[prow]; j >= 0; j = s->kid_next[j]) {
		const char *name = snapshot_row_path(s->prev, (size_t)j) + pathlen + 1;
		size_t nl = strlen(name);

		if (pathlen + 1 + nl >= sizeof(s->path))
			continue; /* never visited: not a child of the tree */
		s->path[pathlen] = '/';
		memcpy(s->path + pathlen + 1, name, nl + 1);
		/* -ENOENT: not in this hierarchy (the last refresh saw it in another) */
		if (walk_dir(s, w, dirfd, name, FDC_INO_KNOWN, pathlen + 1 + nl,
			     path_hash_add(hash, s->path + pathlen, nl + 1), depth + 1, row, row,
			     need_procs, need_est, pids_capped) == 0)
			subdirs = true;
		s->path[pathlen] = '\0';
	}
	return subdirs;
}

/* Visit the cgroup NAME below PARENTFD, whose path (s->path, PATHLEN bytes) hashes to
 * HASH, then its children. Figures of a cgroup at DEPTH go to its own row, or when deeper
 * than --depth to the deepest listed ancestor's (OWNER). Returns 0, or -errno when it is
 * not there (fdcache_visit). */
static int walk_dir(struct sampler *s, struct walk *w, int parentfd, const char *name, ino_t ino,
		    size_t pathlen, uint64_t hash, unsigned depth, ssize_t parent, ssize_t owner,
		    bool need_procs, bool need_est, bool pids_capped)
{
	struct snapshot *snap = s->cur;
	bool visible = depth <= s->opt.max_depth;
	bool subdirs = false, need_est_here;
	ssize_t row = owner;
	struct cg_row *r = NULL;
	struct fdc_visit v;
	struct visit_rare vr = { .pids_capped = pids_capped };
	struct rare_memo *memo;
	struct buf *db;
	bool all_visited;
	ssize_t prow;
	int dirfd, e;

	e = fdcache_visit(&w->cache, &v, parentfd, name, hash, ino);
	if (e < 0)
		return e; /* vanished since its parent was listed: routine */
	memo = fdcache_memo(&v);
	vr.due = memo_due(s, memo);
	if (visible) {
		row = pathlen ? (ssize_t)snapshot_row_hashed(snap, s->path, pathlen, hash)
			      : (ssize_t)snapshot_row(snap, "/", 1);
		scratch_fit(s);
		r = &snap->rows[row];
		r->hier_mask |= 1u << w->hi;
		if (parent >= 0)
			r->parent = (int32_t)parent;
		if (!vr.due)
			memo_restore(w, memo, r);
		if (w->roles & ROLE_CPU) {
			r->cpu_read_ns = s->opt.clock ? s->opt.clock() : snap->mono_ns;
			sample_cpu(s, w, &v, r);
		}
		if (w->roles & ROLE_CPU_LIMIT)
			sample_cpu_limit(s, w, &v, &vr, r);
		if (w->roles & ROLE_MEMORY) {
			if (w->v2 && depth == 0) {
				sample_root_memory_v2(s, r);
			} else {
				sample_memory(s, w, &v, &vr, r);
				sample_memory_events(s, w, &v, &vr, r);
			}
		}
		if ((w->roles & ROLE_PIDS) && depth > 0) {
			sample_pids(s, w, &v, &vr, r);
			pids_capped = pids_capped || (row_has(r, F_PIDS_LIMIT) && r->pids_limit != UINT64_MAX);
		}
		if (memo)
			memo_save(s, w, memo, r, vr.due, hash);
		if (w->roles & ROLE_PSI)
			sample_psi(s, w, &v, r);
		if (w->roles & ROLE_IO) {
			r->io_read_ns = s->opt.clock ? s->opt.clock() : snap->mono_ns;
			if (w->v2)
				sample_iostat(s, w, &v, r);
			else
				need_est = sample_blkio(s, w, &v, r) || need_est;
		}
		if ((w->roles & ROLE_PROCS) && depth > 0 && !row_has(r, F_TASKS)) {
			need_procs = true;
			s->need_procs[row] |= TASKS_FROM_PROCS;
		}
		if ((w->roles & ROLE_PROCS) && need_procs)
			s->need_procs[row] |= NEED_PROCS;
		if ((w->roles & ROLE_IO) && need_est)
			s->need_procs[row] |= NEED_EST;
	}
	/* An estimate needs the cgroup's processes, unless pids.current (read before, in the
	 * pids hierarchy) says it has none: systemd and the container engines put a process
	 * at the same path in every hierarchy, so the list would be empty; an empty container
	 * then costs no open of cgroup.procs at each refresh. */
	need_est_here = need_est;
	if (need_est && r && row_has(r, F_TASKS) && r->tasks == 0)
		need_est_here = false;
	if (row >= 0 && (((w->roles & ROLE_PROCS) && need_procs) || ((w->roles & ROLE_IO) && need_est_here))) {
		ssize_t n = fdcache_read_once(&v, "cgroup.procs", &s->buf);

		n = n >= 0 ? parse_pid_list(s->buf.data, s->buf.len, &s->pids, &s->pids_cap) : n;
		if (n > 0 && (w->roles & ROLE_PROCS) && need_procs)
			s->own_procs[row] += (uint64_t)n;
		if (n > 0 && (w->roles & ROLE_IO) && need_est_here) {
			/* estimate_pid() reuses s->buf, the PID list is already parsed */
			for (ssize_t i = 0; i < n; i++)
				estimate_pid(s, s->pids[i], (size_t)row);
		}
	}
	/* a cgroup known to have no subdirectory is not listed: most are leaves, and
	 * listing one costs more than reading its counters */
	if ((!visible && !need_procs && !need_est) || !fdcache_want_list(&v))
		goto out;
	/* its children can be named again without a listing only where each is a row of
	 * its own (not deeper than --depth) */
	all_visited = visible && depth < s->opt.max_depth;
	prow = all_visited ? prev_row(s, pathlen, hash) : -1;
	if (prow >= 0 && fdcache_kids_unchanged(&v)) {
		dirfd = fdcache_dirfd(&v);
		if (dirfd < 0)
			goto out;
		s->dirs_named++;
		subdirs = walk_kids(s, w, dirfd, prow, pathlen, hash, depth, row, need_procs, need_est,
				    pids_capped);
		fdcache_listed(&v, subdirs, true);
		goto out;
	}
	dirfd = fdcache_dirfd(&v);
	if (dirfd < 0)
		goto out;
	s->dirs_listed++;
	db = dents_buf(s, depth);
	for (;;) {
		char *data = db->data; /* dents_buf() of a deeper level may move s->dents, not this */
		ssize_t len = getdents64(dirfd, data, db->cap);

		if (len < 0)
			all_visited = false;
		if (len <= 0)
			break;
		for (ssize_t off = 0; off < len;) {
			struct dirent64 *de = (struct dirent64 *)(void *)(data + off);
			size_t nl;

			off += de->d_reclen;
			if (de->d_type != DT_DIR || de->d_name[0] == '.')
				continue;
			nl = strlen(de->d_name);
			subdirs = true;
			if (pathlen + 1 + nl >= sizeof(s->path)) {
				all_visited = false;
				continue;
			}
			s->path[pathlen] = '/';
			memcpy(s->path + pathlen + 1, de->d_name, nl + 1);
			if (walk_dir(s, w, dirfd, de->d_name, de->d_ino, pathlen + 1 + nl,
				     path_hash_add(hash, s->path + pathlen, nl + 1), depth + 1,
				     visible ? row : parent, row, need_procs, need_est, pids_capped) < 0)
				all_visited = false;
			s->path[pathlen] = '\0';
		}
	}
	fdcache_listed(&v, subdirs, all_visited);
out:
	fdcache_visit_end(&v);
	return 0;
}

/* Tasks by cgroup.procs: a row's count is its own processes plus its children's. */
static void sum_procs(struct sampler *s, const struct cg_hierarchies *hs)
{
	struct snapshot *snap = s->cur;
	unsigned maxdepth = 0;

	for (size_t i = 0; i < snap->n; i++)
		if (snap->rows[i].depth > maxdepth)
			maxdepth = snap->rows[i].depth;
	for (unsigned d = maxdepth + 1; d-- > 0;)
		for (size_t i = 0; i < snap->n; i++) {
			struct cg_row *r = &snap->rows[i];

			if (r->depth != d)
				continue;
			if ((s->need_procs[i] & TASKS_FROM_PROCS) && (r->hier_mask & (1u << hs->src.procs))) {
				r->tasks = s->own_procs[i];
				r->valid |= FIELD_BIT(F_TASKS);
			}
			/* processes, never pids.current's threads, add up into a parent's count */
			if (r->parent >= 0 && (s->need_procs[r->parent] & NEED_PROCS) &&
			    (s->need_procs[i] & NEED_PROCS))
				s->own_procs[r->parent] += s->own_procs[i];
			/* a child's estimate was made because its parent needed one */
			if (r->parent >= 0 && (s->need_procs[r->parent] & NEED_EST)) {
				s->est_rbytes[r->parent] += s->est_rbytes[i];
				s->est_wbytes[r->parent] += s->est_wbytes[i];
			}
		}
}

/* "/" has no pids.current; /proc/loadavg counts every task on the host, as systemd-cgtop does. */
static void root_tasks(struct sampler *s)
{
	ssize_t i = snapshot_find(s->cur, "/");
	double load[3];
	uint64_t n;

	if (i < 0 || rootfs_read(s->root, "/proc/loadavg", &s->buf) < 0 ||
	    parse_loadavg(s->buf.data, s->buf.len, load, &n) < 0)
		return;
	s->cur->rows[i].tasks = n;
	s->cur->rows[i].valid |= FIELD_BIT(F_TASKS);
}

static void finish_estimates(struct sampler *s, double dt)
{
	struct snapshot *snap = s->cur;

	for (size_t i = 0; i < snap->n; i++) {
		struct cg_row *r = &snap->rows[i];

		if (r->io_source != IO_SRC_PROC || dt <= 0)
			continue;
		r->io_rbps = (double)s->est_rbytes[i] / dt;
		r->io_wbps = (double)s->est_wbytes[i] / dt;
		r->valid |= FIELD_BIT(F_IO_RBPS) | FIELD_BIT(F_IO_WBPS);
	}
}

/* The FIG_SINCE figures: each counter of events less its baseline, the value cgtop first
 * saw for that cgroup. A cgroup of the first sample starts from its value then (a counter
 * that was already 5 is not 5 OOM kills now); one that appears later was made since cgtop
 * started, so all its events count; a counter that went back belongs to a cgroup made
 * again, counted from 0. The baseline travels from sample to sample as the counter less
 * the count since the start: nothing is kept for cgroups that are gone. */
static void count_since_start(struct sampler *s)
{
	const struct snapshot *prev = s->prev;
	struct snapshot *cur = s->cur;

	for (size_t i = 0; i < cur->n; i++) {
		struct cg_row *r = &cur->rows[i], tmp;
		ssize_t j = prev ? snapshot_find(prev, r->path) : -1;
		const struct cg_row *p = j >= 0 ? snapshot_row_before(prev, (size_t)j, &tmp) : NULL;

		for (size_t k = 0; k < F_COUNT; k++) {
			const struct figure *f = &figures[k], *c;
			uint64_t v, base;

			if (f->kind != FIG_SINCE)
				continue;
			c = figure(f->rate_of);
			if (!row_has(r, c->id))
				continue;
			v = fig_u64(c, r);
			if (!prev)
				base = v;                    /* cgtop's first sample */
			else if (!p)
				base = 0;                    /* a cgroup made since */
			else if (!row_has(p, c->id) || !row_has(p, f->id))
				base = v;                    /* first read now: its past unknown */
			else if (v < fig_u64(c, p))
				base = 0;                    /* made again */
			else
				base = fig_u64(c, p) - fig_u64(f, p);
			fig_set_u64(f, r, v - base);
			r->valid |= FIELD_BIT(f->id);
		}
	}
}

const struct snapshot *sampler_refresh(struct sampler *s, uint64_t mono_ns, uint64_t real_ns)
{
	const struct cg_hierarchies *hs = s->hs;
	struct pid_io_set tmp;
	struct snapshot *tmpsnap;
	int order[16];
	size_t norder = 0;

	/* the snapshot before last becomes the new one, its storage reused */
	tmpsnap = s->prev;
	s->prev = s->cur;
	if (tmpsnap)
		snapshot_reset(tmpsnap);
	/* the two share their paths: a cgroup still there keeps its path once */
	s->cur = tmpsnap ? tmpsnap : s->prev ? snapshot_pair(s->prev) : snapshot_new();
	/* nothing reads the last sample but this refresh: of its rows, keep what the interval
	 * figures read; its rows array takes the new sample's rows, never two at once */
	kids_build(s);
	s->dirs_listed = s->dirs_named = 0;
	if (s->opt.pack_prev && s->prev)
		snapshot_pack(s->prev, s->cur);
	s->cur->mono_ns = mono_ns;
	s->cur->real_ns = real_ns;
	if (++s->refresh == 0)
		s->refresh = 1;
	s->now_ms = (uint32_t)(mono_ns / 1000000u);
	if (s->scratch_cap) {
		memset(s->own_procs, 0, s->scratch_cap * sizeof(*s->own_procs));
		memset(s->est_rbytes, 0, s->scratch_cap * sizeof(*s->est_rbytes));
		memset(s->est_wbytes, 0, s->scratch_cap * sizeof(*s->est_wbytes));
		memset(s->need_procs, 0, s->scratch_cap * sizeof(*s->need_procs));
	}
	s->pidio_cur.n = 0;

	/* pids first, so the procs walk knows which rows still need counting */
	if (hs->src.pids >= 0)
		order[norder++] = hs->src.pids;
	for (size_t i = 0; i < hs->n && norder < ARRAY_SIZE(order); i++)
		if ((int)i != hs->src.pids && roles_of(hs, (int)i))
			order[norder++] = (int)i;
	for (size_t k = 0; k < norder; k++) {
		const struct cg_hierarchy *h = &hs->h[order[k]];
		struct walk *w = &s->walks[order[k]];
		const char *mnt = h->mount_point;
		struct stat st;
		int e = 0;

		while (*mnt == '/')
			mnt++;
		if (!*mnt)
			mnt = ".";
		if (fstatat(s->root->fd, mnt, &st, 0) < 0)
			e = errno;
		else if (!S_ISDIR(st.st_mode))
			e = ENOTDIR;
		if (e) {
			notes_add(s->notes, h->mount_point, "cannot open %s: %s", h->mount_point, strerror(e));
			continue;
		}
		if (!w->fs_magic) {
			struct statfs sf;
			int fd = openat(s->root->fd, mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

			if (fd >= 0 && fstatfs(fd, &sf) == 0)
				w->fs_magic = (long)sf.f_type;
			if (fd >= 0)
				close(fd);
		}
		fdcache_begin(&w->cache, w->fs_magic);
		s->path[0] = '\0';
		walk_dir(s, w, s->root->fd, mnt, 0, 0, PATH_HASH_INIT, 0, -1, -1, false, false, false);
		fdcache_sweep(&w->cache);
	}
	root_tasks(s);
	sum_procs(s, hs);
	count_since_start(s);
	netns_sample(&s->net, s->root, s->procfd, hs, s->cur);
	snapshot_compute_rates(s->cur, s->prev);
	finish_estimates(s, s->prev ? (double)s->cur->interval_ns / 1e9 : 0);

	if (s->pidio_cur.n > 1) /* qsort(NULL, 0, …) is undefined */
		qsort(s->pidio_cur.v, s->pidio_cur.n, sizeof(*s->pidio_cur.v), cmp_pid_io);
	tmp = s->pidio_prev;
	s->pidio_prev = s->pidio_cur;
	s->pidio_cur = tmp;
	s->prev_boot_ns = boottime_ns();
	fd_budget_refreshed(&s->budget); /* rare files may be kept from now on, or no more */
	return s->cur;
}
