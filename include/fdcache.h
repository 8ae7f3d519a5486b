/* Cgroup directories and counter files kept open across refreshes, so that a refresh
 * costs about one pread() per figure instead of an openat(), read()s and a close(). */
#ifndef CGTOP_FDCACHE_H
#define CGTOP_FDCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util.h"

/* The descriptors every cache of one sampler may keep between them. The files read at
 * every refresh come first: a rarely read file (a limit) is kept only while the budget
 * has never run short, from the second refresh on (fd_budget_refreshed). */
struct fd_budget {
	long limit;     /* at most this many kept */
	long used;
	bool ran_short; /* a descriptor was once not kept for want of room: sticky */
	bool rare_ok;   /* rarely read files may be kept: a whole refresh is over, and the
			 * budget had not run short by its end */
};

/* The end of a refresh of every cache sharing B: from now on, rarely read files are kept
 * if the budget has never run short. Once it has, they never are again (sticky: the
 * counters that lacked room then may lack it again, and a rare file kept in the
 * meantime would take it), and those kept are let go at their next read, within the
 * rare files' period. */
void fd_budget_refreshed(struct fd_budget *b);

/* The limit to use: RLIMIT_NOFILE less 256 for everything else (libraries, sockets, the
 * /proc reads of the I/O estimate), and never below 0. */
long fd_budget_default(void);

/* A re-probe of a file found missing waits this many refreshes: controllers come and go
 * rarely (a v2 subtree_control change, a blkio policy loaded), and a missing file costs a
 * failed openat() each time it is looked for. */
#define FDC_ABSENT_REFRESHES 8

/* A file slot, 4 bytes: 0 when its file is neither kept open nor known to be missing;
 * FDC_SLOT_ABSENT plus the refresh number (modulo 2^31) when it was found missing; else
 * its kept descriptor plus 1. There is one per file read per cgroup per hierarchy (20
 * of them a cgroup on the 10,000-cgroup fixture): they were 8 bytes, an int each for the
 * descriptor and the refresh. */
typedef uint32_t fdc_slot;
#define FDC_SLOT_ABSENT 0x80000000u
#define FDC_REFRESH_MASK 0x7fffffffu /* the bits of a refresh number a slot keeps */
#define FDC_SEEN_BITS 27             /* those fdc_node.seen keeps */

/* A 64-bit number at a 4-byte boundary: what a node and its memo hold, so that neither
 * is padded to 8 bytes (x86-64 and arm64 load it as fast; the compiler splits the load
 * where it must). */
typedef uint64_t fdc_u64 __attribute__((aligned(4)));

/* One cgroup directory of one hierarchy, as last seen: 28 bytes, then its slots (4 bytes
 * each) and memo, and nothing more: a node is 4-byte aligned, its size a multiple of 4.
 * Nodes live in slabs (FDC_SLAB_NODES a block) and are named by number, from 1. */
struct fdc_node {
	fdc_u64 hash;           /* of the path: the key (two paths of one hash would only take
				 * turns reopening the node, never read each other's files,
				 * since a node is checked against the directory at the path) */
	fdc_u64 ident;          /* identity of the directory the descriptors belong to: its
				 * inode number, mixed with its ctime where inodes are reused */
	uint32_t next;          /* the next node of its hash chain, or of the free list; 0: none */
	int wd;                 /* inotify watch of new subdirectories, or -1 */
	unsigned seen : FDC_SEEN_BITS; /* refresh number (modulo 2^27) when last visited (mark
					* and sweep: every node is visited or swept each refresh) */
	unsigned dirkept : 1;     /* its directory's descriptor is kept (fdcache.dirfds) */
	unsigned list : 1;        /* new, made again or unwatched: look at its link count */
	unsigned poked : 1;       /* inotify says a subdirectory was made, removed or renamed
				   * in it: list it */
	unsigned had_subdirs : 1; /* its last listing found subdirectories */
	unsigned kids : 1;        /* its subdirectories were all visited at the last refresh
				   * (fdcache_listed): while it is watched and not poked, they
				   * are the same ones (fdcache_kids_unchanged) */
	fdc_slot slot[];          /* then the cache's memo_size bytes of memo (fdcache_memo) */
};

#define FDC_SLAB_NODES 256

/* Watch descriptor to node number, by open addressing (linear probing, at most 3/4
 * full): only cgroupfs hierarchies have watches. An entry is the node number alone, 4
 * bytes: the watch descriptor it is found by is the node's own (fdc_node.wd), which
 * WD_OF reads (a node's is set before it is put, and unset only after it is deleted).
 * It was a pair of ints at most half full, 16 to 32 bytes a watch where it is now 5.3
 * to 10.7 (256 KiB at 10,000 watches, now 64 KiB, in each of 6 hierarchies). */
typedef int (*fdc_wd_of)(const void *ctx, uint32_t id);
struct fdc_wdmap {
	uint32_t *e; /* node numbers; 0: empty */
	size_t cap, n;
	fdc_wd_of wd_of; /* the watch descriptor of node ID of CTX (the cache) */
};
/* The node number of watch WD, or 0 (exposed for tests, like the two below). CTX is
 * what WD_OF reads, for every call. */
uint32_t fdc_wdmap_get(const struct fdc_wdmap *m, const void *ctx, int wd);
/* Map the watch descriptor of ID (>= 0) to ID, replacing what it mapped to. */
void fdc_wdmap_put(struct fdc_wdmap *m, const void *ctx, uint32_t id);
/* Forget WD; true when it was there. */
bool fdc_wdmap_del(struct fdc_wdmap *m, const void *ctx, int wd);
/* Free its entries (WD_OF stays). */
void fdc_wdmap_free(struct fdc_wdmap *m);

/* Node number to kept directory descriptor, by open addressing (at most 3/4 full). A
 * directory's descriptor is kept only where it is listed (it has subdirectories) or its
 * cgroup.procs read: few of 10,000 leaves, so it is not in every node (it was, 4 bytes
 * of each of them). */
struct fdc_dirfd {
	uint32_t id; /* 0: empty */
	int fd;
};
struct fdc_dirfds {
	struct fdc_dirfd *e;
	size_t cap, n;
};

/* The nodes of one hierarchy, keyed by the hash of their path. */
struct fdcache {
	struct fd_budget *budget;
	const char *const *files; /* the file of each slot */
	size_t nfiles;
	size_t memo_size;          /* bytes of memo per node, set before the first visit (a
				    * multiple of 4: the memo is 4-byte aligned, see fdc_u64) */
	size_t node_size;          /* bytes of a node with its slots and memo, once known */
	unsigned refresh;          /* number of the refresh under way (wraps: compared modulo
				    * FDC_REFRESH_MASK + 1 in slots, 2^FDC_SEEN_BITS in nodes) */
	bool nlink_counts_subdirs; /* st_nlink == 2 says "no subdirectory" (cgroupfs, tmpfs, ext4, xfs) */
	/* On cgroupfs a directory is not stat'ed at each refresh: its identity is the inode
	 * number its parent's listing gives (never reused there), and inotify tells which
	 * directories got a subdirectory. Elsewhere (fixture trees) each is stat'ed. */
	bool watch;
	bool watch_failed;         /* inotify unusable or out of watches: stat instead */
	bool list_all;             /* events were lost: list every directory this refresh */
	bool lost;                 /* events were lost since this refresh began */
	/* two paths of one hash were visited in one refresh (a node's identity is checked
	 * against the directory only where it is listed or stat'ed): no directory is taken
	 * to be unchanged from then on, every one with subdirectories is listed */
	bool collided;
	int ifd;                   /* inotify, -1 until the first watch */
	char **slabs;              /* FDC_SLAB_NODES nodes each */
	size_t nslabs, slabcap;
	uint32_t made;             /* nodes ever handed out of the slabs (the highest number) */
	uint32_t free;             /* first node of the free list (removed cgroups'), 0: none */
	uint32_t *tab;             /* first node of each hash chain by path */
	size_t tabcap, n;
	struct fdc_wdmap wds;
	struct fdc_dirfds dirfds;
};

/* A node being read during a walk: how to reach its directory again. */
struct fdc_visit {
	struct fdcache *c;
	struct fdc_node *node;
	uint32_t id;        /* NODE's number */
	int parentfd;       /* the parent's directory, open for the duration of the visit */
	const char *name;   /* relative to parentfd */
	int tmpfd;          /* the directory opened for this visit only, or -1 */
	int dirfd;          /* NODE's kept directory descriptor, or -1 */
	bool have_stat;     /* NLINK is known */
	nlink_t nlink;
	bool orphan;        /* NODE is this visit's own (its path's hash was taken this
			     * refresh by another path): nothing is kept, it is released at the end */
	bool kids;          /* NODE's kids bit when the visit began (fdcache_visit clears it) */
};

void fdcache_init(struct fdcache *c, struct fd_budget *b, const char *const *files, size_t nfiles);
void fdcache_free(struct fdcache *c);
/* Start a refresh: every node is stale until fdcache_visit() sees it again, and the
 * directories inotify reports new subdirectories in are to be listed. FS_MAGIC is the
 * hierarchy root's filesystem (statfs f_type), or 0 when unknown. */
void fdcache_begin(struct fdcache *c, long fs_magic);
/* Close and forget the nodes this refresh did not visit (vanished cgroups). */
void fdcache_sweep(struct fdcache *c);

/* Visit the directory NAME below PARENTFD, whose path in the hierarchy hashes to H
 * (snapshot_path_hash(PATH, LEN)) and whose inode number the parent's listing gave as INO
 * (0 when not listed: a hierarchy's root): find or make its node and mark it seen. A
 * different directory at the path (a cgroup removed and made again) drops the old
 * descriptors first. INO is FDC_INO_KNOWN for a subdirectory of a parent that was not
 * listed because fdcache_kids_unchanged() said so: its node, when the last refresh
 * visited it, is taken as it is (no stat, no identity check); none means the directory
 * is not in this hierarchy (-ENOENT, no system call). Returns 0, or -errno when it is
 * gone or not a directory. */
#define FDC_INO_KNOWN ((ino_t)-1)
int fdcache_visit(struct fdcache *c, struct fdc_visit *v, int parentfd, const char *name,
		  uint64_t h, ino_t ino);
/* End a visit: close what it opened for itself. */
void fdcache_visit_end(struct fdc_visit *v);

/* Read file SLOT of the visited directory into B (NUL-terminated): pread() of the kept
 * descriptor, opening it first when needed and the budget allows; beyond the budget an
 * open, read and close. A descriptor of a removed cgroup (ENODEV) is dropped and the
 * path read afresh. Returns the length or -errno (-ENOENT: no such file). */
ssize_t fdcache_read(struct fdc_visit *v, size_t slot, struct buf *b);
/* The same for a file read only now and then (a limit, a counter that cannot move
 * without one), whose descriptor is better spent on a file read at every refresh: kept
 * (and re-read by pread) only while the budget allows rare files (fd_budget.rare_ok)
 * and has room; else opened, read and closed, and a kept one is read once more and
 * closed, so that the files read at every refresh get the descriptors back. */
ssize_t fdcache_read_rare(struct fdc_visit *v, size_t slot, struct buf *b);
/* The visited directory's memo: memo_size bytes, 4-byte aligned, its user keeps with it
 * from refresh to refresh (what its rarely read files said), zeroed when the node is made and when
 * another directory turns up at its path. NULL when memo_size is 0. */
void *fdcache_memo(struct fdc_visit *v);
/* Read a file that is never kept (cgroup.procs, whose v1 PID list a kept descriptor
 * serves stale while it is read again within a second); the directory's descriptor is
 * kept instead, within the budget. */
ssize_t fdcache_read_once(struct fdc_visit *v, const char *file, struct buf *b);
/* The visited directory for listing its subdirectories, positioned at its start (kept
 * when the budget allows). -errno when it cannot be opened. What inotify told of it is
 * taken as seen from now on. */
int fdcache_dirfd(struct fdc_visit *v);
/* True when the visited directory is to be listed: it may have subdirectories that are
 * not known yet (it is new, had some, got one, or its link count says so). */
bool fdcache_want_list(struct fdc_visit *v);
/* What its listing found: SUBDIRS, and ALL_VISITED when each of them was visited (its
 * caller can name them again at the next refresh without a listing). */
void fdcache_listed(struct fdc_visit *v, bool subdirs, bool all_visited);
/* True when the visited directory's subdirectories are the ones its last visit saw, all
 * visited then: on cgroupfs it is watched for subdirectories made, removed and renamed,
 * no event came (the events are read again first), none were lost, and no two paths
 * have shared a hash. The caller then visits them by name with FDC_INO_KNOWN instead of
 * listing the directory (a slice of 1,000 scopes costs three getdents64 calls and 50 us
 * a hierarchy). */
bool fdcache_kids_unchanged(struct fdc_visit *v);

/* Descriptors kept by C (for tests). */
size_t fdcache_kept(const struct fdcache *c);
/* Bytes C holds for its nodes: slabs, side arrays and hash tables (for tests and
 * measurements). */
size_t fdcache_node_bytes(const struct fdcache *c);

#endif
