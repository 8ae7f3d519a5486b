/* The sampler's insides, shared by its walk (sampler.c) and its readers of cgroup files
 * (sampler_read.c): which files each hierarchy's roles read, and the sampler's state. */
#ifndef CGTOP_SAMPLER_WALK_H
#define CGTOP_SAMPLER_WALK_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "fdcache.h"
#include "netns.h"
#include "sampler.h"

enum role {
	ROLE_CPU = 1u << 0,
	ROLE_MEMORY = 1u << 1,
	ROLE_IO = 1u << 2,
	ROLE_PIDS = 1u << 3,
	ROLE_PROCS = 1u << 4,
	ROLE_CPU_LIMIT = 1u << 5,
	ROLE_PSI = 1u << 6,
};

/* The files a refresh reads in cgroups; each hierarchy keeps descriptors of those its roles need. */
enum cg_file {
	CGF_CPUACCT_USAGE,
	CGF_CPU_STAT,
	CGF_MEM_USAGE,
	CGF_MEM_LIMIT,
	CGF_MEM_CURRENT,
	CGF_MEM_MAX,
	CGF_MEM_STAT,
	CGF_PIDS_CURRENT,
	CGF_THROTTLE_BYTES,
	CGF_THROTTLE_OPS,
	CGF_CFQ_BYTES,
	CGF_CFQ_OPS,
	CGF_BFQ_BYTES,
	CGF_BFQ_OPS,
	CGF_IO_STAT,
	CGF_CFS_QUOTA,
	CGF_CFS_PERIOD,
	CGF_CPU_MAX,
	CGF_MEM_MAX_USAGE,
	CGF_MEM_FAILCNT,
	CGF_MEM_OOM_CONTROL,
	CGF_MEMSW_USAGE,
	CGF_MEM_PEAK,
	CGF_MEM_EVENTS,
	CGF_MEM_SWAP_CURRENT,
	CGF_PIDS_MAX,
	CGF_PIDS_EVENTS,
	CGF_CPU_PRESSURE,
	CGF_MEM_PRESSURE,
	CGF_IO_PRESSURE,
	CGF_COUNT
};

/* The name of each file in a cgroup directory. */
extern const char *const cg_file_name[CGF_COUNT];

/* Limits change rarely (a `docker update`, a unit's new TasksMax), and some counters
 * cannot move without a limit of the cgroup's own: a cgroup's limits, and those counters
 * where it has no limit, are read at its first visit and then again after RARE_REFRESHES
 * refreshes or RARE_MS milliseconds, whichever comes first; in between, the figures
 * are the memo's (what they said when last read). */
#define RARE_REFRESHES 10
#define RARE_MS 10000

/* The memo each cgroup directory of a walk keeps with it (fdcache_memo): 12 bytes and 8
 * a figure, 4-byte aligned (was 16 and 8, 8-byte aligned, after slots padded to 8). */
struct rare_memo {
	uint32_t due_at;   /* the refresh number from which its rare files are read again; 0: never read */
	uint32_t due_ms;   /* the time (ms on the sampler's clock) from which they are anyway */
	uint32_t known;    /* bit i: v[i] was known */
	fdc_u64 v[];       /* the figures of the walk's memo_fields, in that order */
};

/* One hierarchy's walk: its roles, and the descriptors kept in it between refreshes. */
struct walk {
	int hi;
	unsigned roles;
	bool v2;
	long fs_magic;                 /* statfs of its root, 0 until known */
	struct fdcache cache;
	const char *files[CGF_COUNT];  /* the files read in its cgroups, by cache slot */
	int slot[CGF_COUNT];           /* cache slot of each file, -1 when never read here */
	enum cg_field memo_fields[8];  /* the figures its memo keeps (limits, and counters
					* that move only under a limit) */
	size_t nmemo;
};

/* What a visit of one cgroup reads besides its counters: whether its rare files are due
 * (limits; counters that move only under a limit, where it has none), and whether an
 * ancestor has a task limit (v1 pids.events counts the forks refused in the cgroup by
 * its own limit or an ancestor's). */
struct visit_rare {
	bool due;
	bool pids_capped;
};

/* What one process had done at the previous sample, for the /proc/<pid>/io estimate. */
struct pid_io {
	pid_t pid;
	uint64_t rbytes, wbytes;
};

struct pid_io_set {
	struct pid_io *v;
	size_t n, cap;
};

/* Per-row flags of one refresh: read cgroup.procs here (a listed ancestor counts by
 * processes), the row's own tasks come from that count (no pids.current), an I/O
 * estimate is made here. */
enum { NEED_PROCS = 1, TASKS_FROM_PROCS = 2, NEED_EST = 4 };

struct sampler {
	const struct rootfs *root;
	const struct cg_hierarchies *hs;
	struct sampler_options opt;
	struct notes *notes;
	struct snapshot *cur, *prev;
	struct walk *walks;      /* one per hierarchy */
	struct fd_budget budget; /* shared by the walks' caches */
	struct buf buf;
	struct buf *dents;       /* getdents64 buffers, one per depth of the walk */
	size_t ndents;
	/* The previous sample's rows as a tree, indexed like them (built before that sample
	 * is packed): each row's first child and next sibling, -1 for none. A directory the
	 * fdcache says is unchanged (fdcache_kids_unchanged) is not listed: its children
	 * there are its subdirectories, visited by name. 8 bytes a row. */
	int32_t *kid_first, *kid_next;
	size_t kids_n, kids_cap;
	uint32_t dirs_listed, dirs_named; /* this refresh (sampler_dirs_walked) */
	pid_t *pids;
	size_t pids_cap;
	/* per-row scratch, indexed like cur->rows */
	uint64_t *own_procs;
	uint64_t *est_rbytes, *est_wbytes;
	uint8_t *need_procs;
	size_t scratch_cap;
	struct pid_io_set pidio_prev, pidio_cur;
	uint64_t prev_boot_ns;   /* CLOCK_BOOTTIME of the previous sample */
	uint32_t refresh;        /* number of the refresh under way, from 1 */
	uint32_t now_ms;         /* its time, ms on the sampler's clock (wraps) */
	long clk_tck;
	int procfd;              /* ROOT/proc */
	struct netns_reader net; /* the containers' network namespaces */
	uint32_t bfq_refresh;    /* the refresh bfq_used was found for (0: none yet) */
	bool bfq_used;           /* a block device's scheduler is BFQ (or it cannot be told) */
	char path[PATH_MAX];
};

/* Read file F of the visited cgroup into s->buf; a vanished cgroup or unreadable file is
 * not an error worth more than a '-' (and, when unreadable, one note). */
ssize_t read_cg(struct sampler *s, const struct walk *w, struct fdc_visit *v, enum cg_file f);
/* The same for a file read now and then: its descriptor is kept only while the budget
 * has room after the files read at every refresh (fdcache_read_rare). */
ssize_t read_cg_rare(struct sampler *s, const struct walk *w, struct fdc_visit *v, enum cg_file f);
/* Whether v1's blkio.bfq.* files can list a device at this refresh: some block device's
 * active scheduler is BFQ (/sys/block/DEV/queue/scheduler says "[bfq]"), or the devices
 * cannot be told (no /sys/block below the root). Looked at once a refresh. */
bool sampler_bfq_used(struct sampler *s);
/* The figures each role reads in the visited cgroup, into R. */
void sample_cpu(struct sampler *s, const struct walk *w, struct fdc_visit *fv, struct cg_row *r);
void sample_cpu_limit(struct sampler *s, const struct walk *w, struct fdc_visit *fv,
		      const struct visit_rare *vr, struct cg_row *r);
void sample_memory_events(struct sampler *s, const struct walk *w, struct fdc_visit *fv,
			  const struct visit_rare *vr, struct cg_row *r);
void sample_pids(struct sampler *s, const struct walk *w, struct fdc_visit *fv,
		 const struct visit_rare *vr, struct cg_row *r);
void sample_psi(struct sampler *s, const struct walk *w, struct fdc_visit *fv, struct cg_row *r);
void sample_memory(struct sampler *s, const struct walk *w, struct fdc_visit *fv,
		   const struct visit_rare *vr, struct cg_row *r);
void sample_root_memory_v2(struct sampler *s, struct cg_row *r);
bool sample_blkio(struct sampler *s, const struct walk *w, struct fdc_visit *fv, struct cg_row *r);
void sample_iostat(struct sampler *s, const struct walk *w, struct fdc_visit *fv, struct cg_row *r);

#endif
