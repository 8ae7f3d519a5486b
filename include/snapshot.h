/* One sample of every cgroup: the model that every front end reads. */
#ifndef CGTOP_SNAPSHOT_H
#define CGTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

/* The figures of a row: each has its entry in the table of figures (fields.h), which also
 * gives its slot in a recording. */
enum cg_field {
	F_TASKS,
	F_CPU_NS,
	F_MEM_USAGE,
	F_MEM_WS,
	F_MEM_CACHE,
	F_MEM_LIMIT,     /* valid and mem_limit == UINT64_MAX means "no limit" */
	F_IO_RBYTES,
	F_IO_WBYTES,
	F_IO_RIOS,
	F_IO_WIOS,
	F_CPU_RATE,
	F_IO_RBPS,
	F_IO_WBPS,
	F_IO_RIOPS,
	F_IO_WIOPS,
	F_MEM_PERCENT,   /* derived for people: memory use / limit (fields.c) */
	F_IO_OPS,        /* derived for people: read and write operations per second */
	/* incident signals: limits, throttling, limit hits, OOM kills, pressure */
	F_CPU_LIMIT,     /* nano-CPUs (1e9 is one CPU); UINT64_MAX: no quota */
	F_CPU_LIMIT_PERCENT, /* derived for people: CPU use / limit */
	F_CPU_PERIODS,
	F_CPU_THROTTLED,
	F_CPU_THROTTLED_NEW,   /* change of F_CPU_THROTTLED over the interval */
	F_CPU_THROTTLED_SINCE, /* change of F_CPU_THROTTLED since cgtop started */
	F_CPU_THROTTLED_PERCENT, /* throttled periods / periods over the interval */
	F_CPU_THROTTLED_NS,
	F_CPU_THROTTLED_RATE,
	F_MEM_PEAK,
	F_MEM_SWAP,
	F_MEM_LIMIT_HITS,
	F_MEM_LIMIT_HITS_NEW,
	F_MEM_LIMIT_HITS_SINCE,
	F_MEM_OOM_KILLS,
	F_MEM_OOM_KILLS_NEW,
	F_MEM_OOM_KILLS_SINCE,
	F_MEM_UNDER_OOM,
	F_PIDS_LIMIT,    /* UINT64_MAX: no limit */
	F_PIDS_REFUSED,
	F_PIDS_REFUSED_NEW,
	F_PIDS_REFUSED_SINCE,
	F_PSI_CPU_SOME_NS,
	F_PSI_CPU_FULL_NS,
	F_PSI_MEM_SOME_NS,
	F_PSI_MEM_FULL_NS,
	F_PSI_IO_SOME_NS,
	F_PSI_IO_FULL_NS,
	F_PSI_CPU_SOME,  /* percent of the interval stalled, from the totals above */
	F_PSI_CPU_FULL,
	F_PSI_MEM_SOME,
	F_PSI_MEM_FULL,
	F_PSI_IO_SOME,
	F_PSI_IO_FULL,
	/* network, per container: its namespace's interfaces but lo (netns.c) */
	F_NET_RX_BYTES,
	F_NET_TX_BYTES,
	F_NET_RX_PACKETS,
	F_NET_TX_PACKETS,
	F_NET_RX_RATE,   /* bytes per second */
	F_NET_TX_RATE,
	F_NET_RX_PPS,    /* packets per second */
	F_NET_TX_PPS,
	F_TROUBLE,       /* derived for people: the flags and the trouble order (trouble.c) */
	/* a container's lifecycle, as its engine tells it (container.h: ctr_life) */
	F_CTR_STATE,     /* enum ctr_state */
	F_CTR_HEALTH,    /* enum ctr_health */
	F_CTR_RESTARTS,  /* the engine's RestartCount */
	F_CTR_RESTARTS_SEEN, /* restarts since cgtop first saw the container */
	F_CTR_EXIT_CODE, /* of its last run */
	F_CTR_OOM_KILLED, /* 1: the engine says its last run was OOM-killed */
	F_CTR_STARTED_AT, /* Unix seconds */
	F_CTR_FINISHED_AT,
	F_COUNT
};

/* A set of figures: one bit per enum cg_field (more than 64 figures: GCC's and clang's
 * 128-bit integer, so masks stay plain integers that | and & work on). */
__extension__ typedef unsigned __int128 fieldmask;
#define FIELD_BIT(f) ((fieldmask)1 << (f))
_Static_assert(F_COUNT <= 128, "a row's valid mask is 128 bits");

enum io_source {
	IO_SRC_NONE,
	IO_SRC_THROTTLE,  /* v1 blkio.throttle.* (counts only with a throttle rule) */
	IO_SRC_CFQ,       /* v1 blkio.io_service_bytes (CFQ) */
	IO_SRC_BFQ,       /* v1 blkio.bfq.io_service_bytes (BFQ) */
	IO_SRC_IOSTAT,    /* v2 io.stat */
	IO_SRC_PROC,      /* estimate: sum of /proc/<pid>/io of the cgroup's tasks */
};

/* Where a container's network figures come from (cg_net's kind). */
enum net_ns_kind {
	NET_NS_NONE,   /* not a container's main cgroup, or its namespace could not be read */
	NET_NS_OWN,    /* a namespace of its own (or the one it shares, counted on this row) */
	NET_NS_HOST,   /* the host's namespace: no figures (they would be the host's) */
	NET_NS_SHARED, /* a namespace counted on another row (cg_net's holder): no figures here */
};

/* The figures only some rows have live in blocks outside the row, which a row gets when
 * it has one of them (a NULL block: none of them known): pressure (v2 cgroups), network
 * (a container's main cgroup) and lifecycle (a container an engine knows, and groups).
 * On a RHEL 7 host no row has any; 10,000 rows in two snapshots would otherwise carry
 * 264 bytes each of zeros. The blocks come from the arena of the row's owner (its
 * snapshot's, or the view's for the sums a view makes), rewound with it. */
struct cg_psi {
	uint64_t ns[6];      /* cpu some, cpu full, memory some, full, io some, full */
	double percent[6];
};

/* network: the namespace of one of the cgroup's tasks, when the cgroup is a container's
 * (netns.c). A row has this block only with a kind other than NET_NS_NONE. */
struct cg_net {
	uint8_t kind;        /* enum net_ns_kind */
	ssize_t holder;      /* NET_NS_SHARED: the row counting the namespace, else -1 */
	uint64_t ino;        /* the namespace's inode (0: not known) */
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
	double rx_bps, tx_bps, rx_pps, tx_pps;
};

/* a container's lifecycle, as its engine tells it (set by view.c) */
struct cg_life {
	uint64_t state, health, restarts, restarts_seen, exit_code;
	uint64_t oom_killed, started_at, finished_at;
	/* not figures: the sample's wall time (Unix seconds, for ages) and the lifecycle
	 * events (CTR_EV_* of container.h) of the interval, set with the figures above */
	uint64_t now;
	unsigned events;
	bool restarted_lately; /* trouble_restarted_lately(): of the row or a member */
};

/* The incident figures: CPU quota and throttling, memory limit hits and OOM kills,
 * refused forks. Unlike the blocks above, a row without this one is not a row that does
 * not know them (their valid bits say that, as for the figures in the row): it is a row
 * where each holds its default, no quota and no event, as it is on most cgroups of a
 * host, and reads cg_lim_none. Writing a default into a row without the block changes
 * nothing; writing another value makes the block (row_lim_put()). Not here: the task
 * limit, which systemd's DefaultTasksMax sets on every service of most hosts. */
struct cg_lim {
	uint64_t cpu_limit;  /* nano-CPUs; UINT64_MAX: no quota */
	uint64_t cpu_periods, cpu_throttled, cpu_throttled_new, cpu_throttled_since;
	uint64_t cpu_throttled_ns;
	double cpu_throttled_percent, cpu_throttled_rate;
	uint64_t mem_limit_hits, mem_limit_hits_new, mem_limit_hits_since;
	uint64_t mem_oom_kills, mem_oom_kills_new, mem_oom_kills_since;
	uint64_t mem_under_oom;
	uint64_t pids_refused, pids_refused_new, pids_refused_since;
};

/* 10,000 cgroups make 20,000 rows in the sampler's two snapshots (the screen's; batch
 * output packs the previous one, snapshot_pack()): each byte here is 20 KB there. The small members sit together before the mask (which a 16-byte alignment puts at
 * offset 16), so the row is 240 bytes, not 256. */
struct cg_row {
	char *path;      /* "/" or "/system.slice/docker-….scope" (raw bytes from the kernel) */
	int32_t parent;  /* index of the parent row, -1 for "/" or when not sampled (a
			  * snapshot has fewer than 2^31 - 1 rows: snapshot_row() asserts it) */
	unsigned hier_mask; /* bit i: present in hierarchy i */
	fieldmask valid; /* FIELD_BIT(f) for each field that holds a real value */
	unsigned depth;  /* 0 for "/" */
	uint8_t io_source;

	uint64_t tasks;
	uint64_t cpu_ns;
	uint64_t mem_usage;
	uint64_t mem_ws;
	uint64_t mem_cache;
	uint64_t mem_limit;
	uint64_t io_rbytes, io_wbytes, io_rios, io_wios;
	uint64_t cpu_read_ns, io_read_ns; /* monotonic time the counters were read */
	double cpu_percent;  /* 100 = one CPU */
	double io_rbps, io_wbps, io_riops, io_wiops;

	/* figures of use, not of incidents (and the peak is seldom 0 where known) */
	uint64_t mem_peak, mem_swap;
	/* UINT64_MAX: no limit. In the row, not in cg_lim: systemd gives every unit but
	 * slices a TasksMax (DefaultTasksMax, 15% of the kernel's pid_max), so on most
	 * systemd hosts nearly every service and scope has a pids.max */
	uint64_t pids_limit;

	/* the blocks (NULL: none), and where they come from: never shared by two rows,
	 * so a copy of a row is made with row_copy() */
	struct cg_psi *psi;
	struct cg_net *net;
	struct cg_life *life;
	struct cg_lim *lim;
	struct arena *arena;
};

/* What a row without the block reads: nothing known (a network holder of -1); for the
 * incident figures, their defaults (no quota, no event). */
extern const struct cg_psi cg_psi_none;
extern const struct cg_net cg_net_none;
extern const struct cg_life cg_life_none;
extern const struct cg_lim cg_lim_none;

static inline const struct cg_psi *row_psi(const struct cg_row *r)
{
	return r->psi ? r->psi : &cg_psi_none;
}

static inline const struct cg_net *row_net(const struct cg_row *r)
{
	return r->net ? r->net : &cg_net_none;
}

static inline const struct cg_life *row_life(const struct cg_row *r)
{
	return r->life ? r->life : &cg_life_none;
}

static inline const struct cg_lim *row_lim(const struct cg_row *r)
{
	return r->lim ? r->lim : &cg_lim_none;
}

/* R's block, made (from its arena) when it has none yet: for setting a value. */
struct cg_psi *row_psi_mk(struct cg_row *r);
struct cg_net *row_net_mk(struct cg_row *r);
struct cg_life *row_life_mk(struct cg_row *r);

/* The one way to set an incident figure: the SIZE bytes at V into R's cg_lim at OFFSET,
 * the block made only for a value other than the default there (a default into a row
 * without the block is a no-op: it reads that default already). */
void row_lim_put(struct cg_row *r, size_t offset, const void *v, size_t size);
/* The same by MEMBER of struct cg_lim: ROW_LIM_SET(r, cpu_limit, n). V is converted to
 * the member's type first, so a default compares as the member holds it. */
#define ROW_LIM_SET(r, member, v)                                                          \
	_Generic(cg_lim_none.member, double: row_lim_put_double, default: row_lim_put_u64)( \
		(r), offsetof(struct cg_lim, member), (v))

static inline void row_lim_put_u64(struct cg_row *r, size_t offset, uint64_t v)
{
	row_lim_put(r, offset, &v, sizeof(v));
}

static inline void row_lim_put_double(struct cg_row *r, size_t offset, double v)
{
	row_lim_put(r, offset, &v, sizeof(v));
}

/* An empty row whose blocks come from ARENA. */
void row_init(struct cg_row *r, struct arena *arena);
/* SRC into DST (whose arena DST keeps): DST gets blocks of its own, copies of SRC's. */
void row_copy(struct cg_row *dst, const struct cg_row *src);

/* Storage for the rows' paths (snapshot.c), kept when a snapshot is reused so a refresh
 * of an unchanged tree allocates nothing. Two snapshots may share one (snapshot_pair()):
 * a row whose path the other snapshot has points at the other's string, so the sampler's
 * two snapshots of an unchanged tree keep each path once. A string stays where it is
 * until no snapshot of the store uses it: a path from a snapshot's row is valid until
 * that snapshot is reset or freed, shared or not. */
struct path_store;

struct snapshot {
	uint64_t mono_ns;   /* when the sample was taken (monotonic) */
	uint64_t real_ns;   /* the same moment on the wall clock */
	uint64_t interval_ns; /* since the previous sample, 0 for the first */
	struct cg_row *rows; /* NULL once packed (snapshot_pack()) */
	size_t n, cap;
	/* packed: per row, what the next sample's interval figures read of it, instead of
	 * its rows (snapshot.c says how a packed row's words go). They stay allocated after
	 * a reset, for the next snapshot_pack() that gives S packed rows again. */
	bool packed;
	struct packed_rows {
		uint64_t *w;        /* the rows' words, one row after the other */
		size_t cap, used;   /* words */
		uint32_t *at;       /* where each row's words begin */
		size_t at_cap;
	} pk;
	/* path -> row index (open addressing, UINT32_MAX empty): 32 bits, half the slots'
	 * bytes; snapshot_row() asserts a snapshot stays below 2^31 - 1 rows (a row's
	 * parent is 32 bits, signed), which the rows themselves (hundreds of bytes each)
	 * could never reach in memory */
	uint32_t *index;
	size_t index_cap;
	struct path_store *paths; /* the rows' paths: its own, or shared with PEER's */
	struct snapshot *peer;    /* snapshot_pair()'s other snapshot, or NULL */
	uint8_t mark;             /* which of the store's two users this snapshot is */
	struct arena arena; /* the rows' blocks (pressure, network, lifecycle) */
};

struct snapshot *snapshot_new(void);
void snapshot_free(struct snapshot *s);
/* A new snapshot sharing OTHER's path storage (OTHER shares with no other yet): each
 * takes the paths the other has from it rather than making copies of its own, while
 * its rows are made (snapshot_row()). The other snapshot must not change meanwhile:
 * the sampler fills one while the other is the previous sample. */
struct snapshot *snapshot_pair(struct snapshot *other);
/* Empty S for the next sample, keeping its storage (the paths' blocks it alone used
 * are freed but one). */
void snapshot_reset(struct snapshot *s);
/* Keep of S only what the interval figures of the sample after it read (the sampler's
 * previous sample, once nothing else reads it): per row its path, the valid bits and the
 * members that the table of figures names for rates, ratios, changes and the counts
 * since the start (fields.h: rate_of, ratio_of; their reading times), and its blocks'
 * pointers (the blocks stay in S's arena), each member only when it is not 0: 20 to 110
 * bytes where a row has 240. S's rows are gone (s->rows is NULL): snapshot_find(),
 * snapshot_compute_rates(x, S) and snapshot_row_before() still work, and its paths stay
 * where they were. S's rows array becomes HEIR's (empty, reset or new, and not S) for
 * its next rows, and HEIR's packed words S's: at each refresh the two arrays change
 * hands, an unchanged tree allocates nothing. */
void snapshot_pack(struct snapshot *s, struct snapshot *heir);
/* Row J of S as the interval figures of the sample after it read it: S's own row, or,
 * when S is packed, TMP filled with what snapshot_pack() kept of it (the rest zero, its
 * parent -1, no arena: not for writing). */
const struct cg_row *snapshot_row_before(const struct snapshot *s, size_t j, struct cg_row *tmp);
/* The bytes of S's rows (full or packed) in use: what the tests bound. */
size_t snapshot_rows_size(const struct snapshot *s);
/* The bytes of S's path storage (shared with its peer's): what the tests bound. */
size_t snapshot_paths_size(const struct snapshot *s);
/* The row for PATH, created when missing. Returns its index. */
size_t snapshot_row(struct snapshot *s, const char *path, size_t pathlen);
/* The same with HASH = snapshot_path_hash(PATH, PATHLEN), known to the caller. */
size_t snapshot_row_hashed(struct snapshot *s, const char *path, size_t pathlen, uint64_t hash);
/* The index's hash of a path (util.h: path_hash_add), which a walk builds up component
 * by component. */
uint64_t snapshot_path_hash(const char *path, size_t len);
/* Index of PATH or -1. */
ssize_t snapshot_find(const struct snapshot *s, const char *path);
/* The same for the PATHLEN bytes of PATH, whose hash is HASH (snapshot_path_hash()). */
ssize_t snapshot_find_hashed(const struct snapshot *s, const char *path, size_t pathlen, uint64_t hash);
/* The path of row J of S, full or packed. */
const char *snapshot_row_path(const struct snapshot *s, size_t j);
static inline bool row_has(const struct cg_row *r, enum cg_field f)
{
	return (r->valid & FIELD_BIT(f)) != 0;
}
/* Fill the rates, ratios and changes over the interval of CUR from PREV (same path seen
 * in both, counters not reset). PREV may be packed. */
void snapshot_compute_rates(struct snapshot *cur, const struct snapshot *prev);

#endif
