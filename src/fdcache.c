/* Cgroup directories and counter files kept open across refreshes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <unistd.h>

#include "fdcache.h"
#include "rootfs.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef XFS_SUPER_MAGIC
#define XFS_SUPER_MAGIC 0x58465342
#endif

/* The kernel's ceiling for RLIMIT_NOFILE (fs.nr_open), at most 2^20; 0 when unknown. Read
 * from this kernel's /proc, not through the root handle: it limits this process, whatever
 * host copy --root names. */
static long nr_open_max(void)
{
	char buf[32];
	long v = 0;
	int fd = open("/proc/sys/fs/nr_open", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	v = strtol(buf, NULL, 10);
	return v > (1l << 20) ? (1l << 20) : v > 0 ? v : 0;
}

long fd_budget_default(void)
{
	struct rlimit rl;
	long cur;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	/* Kept descriptors are what makes a refresh cheap, and a host with thousands of
	 * cgroups needs tens of thousands of them (six to twenty files a cgroup): as root
	 * (CAP_SYS_RESOURCE), raise the hard limit itself up to the kernel's fs.nr_open,
	 * rather than fall back to open, read and close for the files past it. */
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < (1u << 20)) {
		struct rlimit want;
		long nr_open = nr_open_max();

		if (nr_open > (long)rl.rlim_max) {
			want.rlim_cur = want.rlim_max = (rlim_t)nr_open;
			if (setrlimit(RLIMIT_NOFILE, &want) == 0)
				rl = want;
		}
	}
	/* Else take the hard limit, as hosts set the soft one low (1024) for select()'s sake,
	 * which cgtop does not use. Capped at 2^20 so a huge limit does not mean a huge table. */
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < rl.rlim_max && rl.rlim_cur < (1u << 20)) {
		struct rlimit want = rl;

		want.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > (1u << 20) ? (1u << 20) : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &want) == 0)
			rl = want;
	}
	cur = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (1u << 20) ? (1l << 20) : (long)rl.rlim_cur;
	return cur > 256 ? cur - 256 : 0;
}

static struct fdc_node *node_at(const struct fdcache *c, uint32_t id);

/* The watch descriptor of node ID of cache CTX: what the watch map looks its entries up by. */
static int node_wd(const void *ctx, uint32_t id)
{
	return node_at(ctx, id)->wd;
}

void fdcache_init(struct fdcache *c, struct fd_budget *b, const char *const *files, size_t nfiles)
{
	memset(c, 0, sizeof(*c));
	c->budget = b;
	c->files = files;
	c->nfiles = nfiles;
	c->ifd = -1;
	c->wds.wd_of = node_wd;
}

_Static_assert(sizeof(struct fdc_node) == 28, "a node header is 28 bytes");
_Static_assert(_Alignof(struct fdc_node) == 4, "a node is 4-byte aligned");

void fd_budget_refreshed(struct fd_budget *b)
{
	b->rare_ok = !b->ran_short;
}

/* Whether B has room for one more kept descriptor; when it has not, it ran short. */
static bool budget_room(struct fd_budget *b)
{
	if (b->used < b->limit)
		return true;
	b->ran_short = true;
	return false;
}

static void keep(struct fdcache *c)
{
	c->budget->used++;
}

static void release(struct fdcache *c, int *fd)
{
	if (*fd < 0)
		return;
	close(*fd);
	*fd = -1;
	c->budget->used--;
}

/* --- file slots ---------------------------------------------------------------- */

static int slot_fd(fdc_slot s)
{
	return s && !(s & FDC_SLOT_ABSENT) ? (int)(s - 1) : -1;
}

/* Whether a slot's file was found missing less than FDC_ABSENT_REFRESHES refreshes ago.
 * The difference is taken modulo 2^31, the slot's width: right across the wrap of the
 * refresh number (a file missing for 2^31 refreshes, 68 years at one a second, would
 * wait up to FDC_ABSENT_REFRESHES more). */
static bool slot_absent(const struct fdcache *c, fdc_slot s)
{
	return (s & FDC_SLOT_ABSENT) && ((c->refresh - s) & FDC_REFRESH_MASK) < FDC_ABSENT_REFRESHES;
}

static fdc_slot slot_missing(const struct fdcache *c)
{
	return FDC_SLOT_ABSENT | (c->refresh & FDC_REFRESH_MASK);
}

/* Close a slot's descriptor; it is then neither kept nor known missing. */
static void release_slot(struct fdcache *c, fdc_slot *s)
{
	int fd = slot_fd(*s);

	release(c, &fd);
	*s = 0;
}

/* Whether FD fits a slot: every descriptor does (they stay below fs.nr_open, < 2^31 - 1),
 * but a slot must never read as another one. */
static bool slot_fits(int fd)
{
	return fd >= 0 && (unsigned)fd < FDC_REFRESH_MASK;
}

static unsigned stamp(const struct fdcache *c)
{
	return c->refresh & ((1u << FDC_SEEN_BITS) - 1);
}

/* --- kept directory descriptors ------------------------------------------- */

static size_t dirfd_home(const struct fdc_dirfds *m, uint32_t id)
{
	return (size_t)(id * 0x9e3779b1u) & (m->cap - 1);
}

/* The index of node ID's entry, or of the empty one where it would go. */
static size_t dirfd_index(const struct fdc_dirfds *m, uint32_t id)
{
	size_t i = dirfd_home(m, id);

	while (m->e[i].id && m->e[i].id != id)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The kept directory descriptor of node ID (whose dirkept is set). */
static int dirfd_get(const struct fdc_dirfds *m, uint32_t id)
{
	return m->e[dirfd_index(m, id)].fd;
}

static void dirfd_put(struct fdc_dirfds *m, uint32_t id, int fd)
{
	size_t i;

	if (4 * (m->n + 1) > 3 * m->cap) {
		struct fdc_dirfd *old = m->e;
		size_t oldcap = m->cap;

		m->cap = m->cap ? m->cap * 2 : 16;
		m->e = xcalloc(m->cap, sizeof(*m->e));
		for (size_t j = 0; j < oldcap; j++)
			if (old[j].id)
				m->e[dirfd_index(m, old[j].id)] = old[j];
		free(old);
	}
	i = dirfd_index(m, id);
	m->n += !m->e[i].id;
	m->e[i] = (struct fdc_dirfd){ .id = id, .fd = fd };
}

/* Forget node ID's entry (it has one), with backward shift as in fdc_wdmap_del(); its
 * descriptor is returned. */
static int dirfd_take(struct fdc_dirfds *m, uint32_t id)
{
	size_t mask = m->cap - 1, i = dirfd_index(m, id);
	int fd = m->e[i].fd;

	for (size_t j = i;;) {
		size_t home;

		j = (j + 1) & mask;
		if (!m->e[j].id)
			break;
		home = dirfd_home(m, m->e[j].id);
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->e[i] = m->e[j];
			i = j;
		}
	}
	m->e[i].id = 0;
	m->n--;
	return fd;
}

/* Forget every descriptor of node ID (N): they belong to a directory that is no longer
 * at its path. */
static void drop_fds(struct fdcache *c, uint32_t id, struct fdc_node *n)
{
	if (n->dirkept) {
		int fd = dirfd_take(&c->dirfds, id);

		release(c, &fd);
		n->dirkept = 0;
	}
	for (size_t i = 0; i < c->nfiles; i++)
		release_slot(c, &n->slot[i]);
}

/* --- watch descriptors ------------------------------------------------------ */

static size_t wd_home(const struct fdc_wdmap *m, int wd)
{
	/* the kernel hands out watch descriptors in sequence: times an odd number, a range of
	 * them still falls on entries of their own, but scattered, not in one run that a
	 * look-up of a descriptor not there would walk to its end */
	return (size_t)((uint32_t)wd * 0x9e3779b1u) & (m->cap - 1);
}

/* The index of WD's entry, or of the empty one where it would go. */
static size_t wd_index(const struct fdc_wdmap *m, const void *ctx, int wd)
{
	size_t i = wd_home(m, wd);

	while (m->e[i] && m->wd_of(ctx, m->e[i]) != wd)
		i = (i + 1) & (m->cap - 1);
	return i;
}

uint32_t fdc_wdmap_get(const struct fdc_wdmap *m, const void *ctx, int wd)
{
	if (!m->cap || wd < 0)
		return 0;
	return m->e[wd_index(m, ctx, wd)];
}

void fdc_wdmap_put(struct fdc_wdmap *m, const void *ctx, uint32_t id)
{
	int wd = m->wd_of(ctx, id);
	size_t i;

	if (4 * (m->n + 1) > 3 * m->cap) {
		uint32_t *old = m->e;
		size_t oldcap = m->cap;

		m->cap = m->cap ? m->cap * 2 : 64;
		m->e = xcalloc(m->cap, sizeof(*m->e));
		for (size_t j = 0; j < oldcap; j++)
			if (old[j]) {
				for (i = wd_home(m, m->wd_of(ctx, old[j])); m->e[i]; i = (i + 1) & (m->cap - 1))
					;
				m->e[i] = old[j];
			}
		free(old);
	}
	i = wd_index(m, ctx, wd);
	if (!m->e[i])
		m->n++;
	m->e[i] = id;
}

bool fdc_wdmap_del(struct fdc_wdmap *m, const void *ctx, int wd)
{
	size_t mask = m->cap - 1, i;

	if (!m->cap || wd < 0)
		return false;
	i = wd_index(m, ctx, wd);
	if (!m->e[i])
		return false;
	/* no tombstones: the entries after it in its run move back over the hole when their
	 * home is not between the hole and where they are */
	for (size_t j = i;;) {
		size_t home;

		j = (j + 1) & mask;
		if (!m->e[j])
			break;
		home = wd_home(m, m->wd_of(ctx, m->e[j]));
		if (((j - home) & mask) >= ((j - i) & mask)) {
			m->e[i] = m->e[j];
			i = j;
		}
	}
	m->e[i] = 0;
	m->n--;
	return true;
}

void fdc_wdmap_free(struct fdc_wdmap *m)
{
	free(m->e);
	m->e = NULL;
	m->cap = m->n = 0;
}

/* --- node storage -------------------------------------------------------------- */

static struct fdc_node *node_at(const struct fdcache *c, uint32_t id)
{
	size_t i = id - 1;

	return (struct fdc_node *)(void *)(c->slabs[i / FDC_SLAB_NODES] + i % FDC_SLAB_NODES * c->node_size);
}

/* Where a node's memo starts: right after its slots, 4-byte aligned like them (its
 * 64-bit members are fdc_u64). */
static size_t memo_offset(const struct fdcache *c)
{
	return sizeof(struct fdc_node) + c->nfiles * sizeof(fdc_slot);
}

static void *node_memo(const struct fdcache *c, struct fdc_node *n)
{
	return c->memo_size ? (char *)n + memo_offset(c) : NULL;
}

/* A node for the path of hash H, from the free list or a slab, as new; its number in *ID. */
static struct fdc_node *node_new(struct fdcache *c, uint64_t h, uint32_t *id)
{
	struct fdc_node *n;

	if (!c->node_size)
		c->node_size = (memo_offset(c) + c->memo_size + 3) & ~(size_t)3;
	if (c->free) {
		*id = c->free;
		c->free = node_at(c, *id)->next;
	} else {
		if (c->made == c->nslabs * FDC_SLAB_NODES) {
			if (c->made > UINT32_MAX - FDC_SLAB_NODES)
				abort(); /* 4 billion directories */
			if (c->nslabs == c->slabcap) {
				c->slabcap = c->slabcap ? c->slabcap * 2 : 4;
				c->slabs = xrealloc(c->slabs, c->slabcap * sizeof(*c->slabs));
			}
			c->slabs[c->nslabs++] = xmalloc(FDC_SLAB_NODES * c->node_size);
		}
		*id = ++c->made;
	}
	n = node_at(c, *id);
	memset(n, 0, c->node_size); /* slots 0: nothing kept, nothing missing */
	n->hash = h;
	n->wd = -1;
	n->list = 1;
	return n;
}

static void unwatch(struct fdcache *c, struct fdc_node *n);

/* Give node ID back, its descriptors closed, for the next new directory to use. */
static void node_release(struct fdcache *c, uint32_t id)
{
	struct fdc_node *n = node_at(c, id);

	unwatch(c, n);
	drop_fds(c, id, n);
	n->next = c->free;
	c->free = id;
}

/* A ctime as one number: nanoseconds, which wrap only for times 584 years apart. */
static uint64_t ctime_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
}

/* A bijection of 64-bit numbers (splitmix64's finalizer): two ctimes never mix to one. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* What tells the directory at a node's path from another one made there since: on
 * cgroupfs its inode number, never reused there; elsewhere, where inodes are reused
 * (tmpfs, ext4), the inode number and the ctime, mixed into one number. A directory
 * with its inode and another ctime then never compares equal (the mix is a bijection);
 * another inode with another ctime does, at one chance in 2^64, as two paths share one
 * hash. It was the inode number in the node and the ctime in a side array of 8 bytes a
 * node (480 KB for the 60,000 directories of the fixture). */
static uint64_t dir_identity(const struct fdcache *c, ino_t ino, const struct timespec *ctime)
{
	return c->watch ? (uint64_t)ino : (uint64_t)ino ^ mix64(ctime_ns(ctime));
}

/* --- watches ------------------------------------------------------------------- */

static void wd_remove(struct fdcache *c, struct fdc_node *n)
{
	fdc_wdmap_del(&c->wds, c, n->wd);
	n->wd = -1;
}

static void unwatch(struct fdcache *c, struct fdc_node *n)
{
	if (n->wd < 0)
		return;
	/* fails harmlessly when the directory is gone (its watch went with it) */
	inotify_rm_watch(c->ifd, n->wd);
	wd_remove(c, n);
}

/* Watch NAME below PARENTFD (node ID's directory) for subdirectories made, removed or
 * renamed (a file of cgroupfs is never made or removed by a system call). Without a watch
 * the node is stat'ed at each visit instead. */
static void watch(struct fdcache *c, uint32_t id, int parentfd, const char *name)
{
	char path[64 + NAME_MAX];
	struct fdc_node *n = node_at(c, id);
	uint32_t other;
	int wd;

	if (c->watch_failed)
		return;
	if (c->ifd < 0) {
		c->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (c->ifd < 0) {
			c->watch_failed = true;
			return;
		}
	}
	/* inotify takes a path only: this one resolves through the parent's descriptor */
	snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", parentfd, name);
	wd = inotify_add_watch(c->ifd, path,
			       IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_ONLYDIR | IN_DONT_FOLLOW);
	if (wd < 0) {
		if (errno == ENOSPC || errno == ENOMEM || errno == EACCES || errno == EPERM ||
		    (errno == ENOENT && access("/proc/self/fd", F_OK) < 0))
			c->watch_failed = true;
		return;
	}
	other = fdc_wdmap_get(&c->wds, c, wd);
	if (other == id)
		return;
	/* the entry is found by the watch descriptor of the node it names: put takes the
	 * place of OTHER's (the same directory seen through another node: one watch) while
	 * OTHER still has it, then OTHER lets it go */
	n->wd = wd;
	fdc_wdmap_put(&c->wds, c, id);
	if (other)
		node_at(c, other)->wd = -1;
}

/* Mark the directories whose subdirectories changed (events since they were last read). */
static void read_events(struct fdcache *c)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));

	if (c->ifd < 0)
		return;
	for (;;) {
		ssize_t len = read(c->ifd, buf, sizeof(buf));

		if (len <= 0)
			break;
		for (ssize_t off = 0; off < len;) {
			const struct inotify_event *ev = (const struct inotify_event *)(void *)(buf + off);
			uint32_t id;
			struct fdc_node *n;

			off += (ssize_t)(sizeof(*ev) + ev->len);
			if (ev->mask & IN_Q_OVERFLOW) {
				/* lost during a walk, they may be of a directory it has passed:
				 * the next refresh lists all too */
				c->list_all = true;
				c->lost = true;
				continue;
			}
			id = fdc_wdmap_get(&c->wds, c, ev->wd);
			if (!id)
				continue;
			n = node_at(c, id);
			if (ev->mask & IN_IGNORED) {
				/* its directory went (or the watch did): watch and look again */
				wd_remove(c, n);
				n->list = 1;
			} else if (ev->mask & (IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM)) {
				n->poked = 1;
			}
		}
	}
}

/* --- nodes ------------------------------------------------------------------- */

void fdcache_free(struct fdcache *c)
{
	/* closing the inotify descriptor removes every watch at once */
	if (c->ifd >= 0)
		close(c->ifd);
	c->ifd = -1;
	for (size_t i = 0; i < c->tabcap; i++)
		for (uint32_t id = c->tab[i]; id;) {
			struct fdc_node *n = node_at(c, id);

			drop_fds(c, id, n);
			id = n->next;
		}
	for (size_t i = 0; i < c->nslabs; i++)
		free(c->slabs[i]);
	free(c->slabs);
	free(c->tab);
	fdc_wdmap_free(&c->wds);
	free(c->dirfds.e);
	c->dirfds = (struct fdc_dirfds){ 0 };
	c->slabs = NULL;
	c->tab = NULL;
	c->nslabs = c->slabcap = c->tabcap = c->n = c->node_size = 0;
	c->made = c->free = 0;
}

void fdcache_begin(struct fdcache *c, long fs_magic)
{
	/* no number is reserved: a slot says "missing" by a flag, a node is compared with
	 * this number only once it was visited */
	c->refresh++;
	c->nlink_counts_subdirs = fs_magic == CGROUP_SUPER_MAGIC || fs_magic == CGROUP2_SUPER_MAGIC ||
				  fs_magic == TMPFS_MAGIC || fs_magic == EXT4_SUPER_MAGIC ||
				  fs_magic == XFS_SUPER_MAGIC;
	c->watch = fs_magic == CGROUP_SUPER_MAGIC || fs_magic == CGROUP2_SUPER_MAGIC;
	c->list_all = c->lost; /* events lost during the last refresh */
	read_events(c);
	c->lost = false; /* lost before this refresh began: it lists all */
}

void fdcache_sweep(struct fdcache *c)
{
	for (size_t i = 0; i < c->tabcap; i++) {
		uint32_t *pp = &c->tab[i];

		while (*pp) {
			uint32_t id = *pp;
			struct fdc_node *n = node_at(c, id);

			if (n->seen == stamp(c)) {
				pp = &n->next;
				continue;
			}
			*pp = n->next;
			node_release(c, id);
			c->n--;
		}
	}
}

static void grow(struct fdcache *c)
{
	size_t cap = c->tabcap ? c->tabcap * 2 : 256;
	uint32_t *tab = xcalloc(cap, sizeof(*tab));

	for (size_t i = 0; i < c->tabcap; i++)
		for (uint32_t id = c->tab[i], next; id; id = next) {
			struct fdc_node *n = node_at(c, id);

			next = n->next;
			n->next = tab[n->hash & (cap - 1)];
			tab[n->hash & (cap - 1)] = id;
		}
	free(c->tab);
	c->tab = tab;
	c->tabcap = cap;
}

static struct fdc_node *node_find(struct fdcache *c, uint64_t h, uint32_t *id)
{
	struct fdc_node *n;

	if (c->tabcap)
		for (*id = c->tab[h & (c->tabcap - 1)]; *id; *id = n->next) {
			n = node_at(c, *id);
			if (n->hash == h)
				return n;
		}
	return NULL;
}

static struct fdc_node *node_get(struct fdcache *c, uint64_t h, uint32_t *id, bool *fresh)
{
	struct fdc_node *n = node_find(c, h, id);

	*fresh = false;
	if (n)
		return n;
	if (c->n + 1 > c->tabcap)
		grow(c);
	n = node_new(c, h, id);
	n->next = c->tab[h & (c->tabcap - 1)];
	c->tab[h & (c->tabcap - 1)] = *id;
	c->n++;
	*fresh = true;
	return n;
}

/* The directory at node ID's path is INO (and CTIME where inodes are reused): when it is
 * another one than the descriptors were opened in, they go, and it is listed anew. */
static void revalidate(struct fdcache *c, uint32_t id, ino_t ino, const struct timespec *ctime, bool fresh)
{
	struct fdc_node *n = node_at(c, id);
	uint64_t ident = dir_identity(c, ino, ctime);

	if (!fresh && n->ident == ident)
		return;
	drop_fds(c, id, n);
	unwatch(c, n);
	if (c->memo_size)
		memset(node_memo(c, n), 0, c->memo_size); /* what the old directory's files said */
	n->ident = ident;
	n->list = 1;
}

int fdcache_visit(struct fdcache *c, struct fdc_visit *v, int parentfd, const char *name,
		  uint64_t h, ino_t ino)
{
	static const struct timespec no_time;
	struct fdc_node *n;
	struct stat st;
	bool fresh;

	*v = (struct fdc_visit){ .c = c, .parentfd = parentfd, .name = name, .tmpfd = -1, .dirfd = -1 };
	if (ino == FDC_INO_KNOWN) {
		/* its parent is unchanged since the last refresh, which visited all of its
		 * subdirectories: a node still here (the sweep takes the others) is one of
		 * them, at this path; none, and it is not in this hierarchy */
		n = node_find(c, h, &v->id);
		if (!n)
			return -ENOENT;
		if (n->seen != stamp(c)) {
			v->node = n;
			goto seen;
		}
		/* visited already this refresh, by another path of the same hash: from now
		 * on every directory is listed, and this one is stat'ed */
		c->collided = true;
		ino = 0;
	}
	if (!c->watch || !ino) {
		if (fstatat(parentfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		ino = st.st_ino;
		v->have_stat = true;
		v->nlink = st.st_nlink;
	}
	n = node_get(c, h, &v->id, &fresh);
	v->node = n;
	if (!fresh && n->seen == stamp(c)) {
		/* another path of the same hash was here this refresh, and may still be
		 * listing its directory with the node's descriptor: leave it alone */
		v->node = node_new(c, h, &v->id);
		v->node->ident = dir_identity(c, ino, v->have_stat ? &st.st_ctim : &no_time);
		v->orphan = true;
		return 0;
	}
	revalidate(c, v->id, ino, v->have_stat ? &st.st_ctim : &no_time, fresh);
seen:
	v->kids = n->kids;
	n->kids = 0; /* until fdcache_listed() says its subdirectories were all visited */
	if (n->dirkept)
		v->dirfd = dirfd_get(&c->dirfds, v->id);
	n->seen = stamp(c);
	/* watched before it is listed: a subdirectory made in between is reported */
	if (c->watch && n->wd < 0)
		watch(c, v->id, parentfd, name);
	return 0;
}

void fdcache_visit_end(struct fdc_visit *v)
{
	if (v->tmpfd >= 0)
		close(v->tmpfd);
	v->tmpfd = -1;
	if (v->orphan) {
		node_release(v->c, v->id);
		v->node = NULL;
		v->orphan = false;
	}
}

bool fdcache_want_list(struct fdc_visit *v)
{
	const struct fdc_node *n = v->node;
	struct stat st;

	if (v->c->watch && !v->orphan) {
		if (n->poked || n->had_subdirs || v->c->list_all)
			return true;
		if (n->wd >= 0 && !n->list)
			return false;
		/* new here, or not watched: its link count, taken after the watch was set */
	}
	/* no watch to say: the link count of a directory is 2 plus its subdirectories */
	if (!v->c->nlink_counts_subdirs)
		return true;
	if (!v->have_stat) {
		if (fstatat(v->parentfd, v->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return false;
		v->have_stat = true;
		v->nlink = st.st_nlink;
	}
	if (v->nlink != 2)
		return true;
	v->node->list = 0;
	v->node->had_subdirs = 0;
	return false;
}

void fdcache_listed(struct fdc_visit *v, bool subdirs, bool all_visited)
{
	/* not its poke: an event read while it was listed (by the question about a
	 * directory below) may tell of a subdirectory removed after the listing saw it */
	v->node->had_subdirs = subdirs;
	v->node->kids = all_visited && !v->orphan;
	v->node->list = 0;
}

bool fdcache_kids_unchanged(struct fdc_visit *v)
{
	struct fdcache *c = v->c;

	if (!c->watch || v->orphan || !v->kids || c->collided || c->list_all)
		return false;
	/* the events since the refresh began: a subdirectory made or removed a moment ago
	 * is seen as a listing would see it */
	read_events(c);
	return !c->list_all && v->node->wd >= 0 && !v->node->poked && !v->node->list;
}

/* --- reading ----------------------------------------------------------------- */

/* A descriptor of the visited directory for openat(): the kept one, or one opened for
 * this visit (checked to be the directory the kept files belong to). */
static int dir_fd(struct fdc_visit *v)
{
	struct stat st;

	if (v->dirfd >= 0)
		return v->dirfd;
	if (v->tmpfd >= 0)
		return v->tmpfd;
	v->tmpfd = openat(v->parentfd, v->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (v->tmpfd < 0)
		return -errno;
	if (!v->orphan && fstat(v->tmpfd, &st) == 0)
		revalidate(v->c, v->id, st.st_ino, &st.st_ctim, false);
	return v->tmpfd;
}

/* The visited directory's descriptor, kept from now on when the budget allows: it is
 * needed at every refresh. */
static int dir_fd_kept(struct fdc_visit *v)
{
	struct fdc_node *n = v->node;
	int fd = dir_fd(v);

	/* dir_fd() may have found another directory at the path and dropped the node's */
	if (fd >= 0 && v->dirfd < 0 && !v->orphan && budget_room(v->c->budget)) {
		v->dirfd = v->tmpfd;
		v->tmpfd = -1;
		dirfd_put(&v->c->dirfds, v->id, v->dirfd);
		n->dirkept = 1;
		keep(v->c);
		return v->dirfd;
	}
	return fd;
}

/* Open FILE of the visited directory for reading. With the directory open (kept, or for
 * this visit) through its descriptor; else by its path below the parent's, NAME/FILE:
 * past the descriptor budget (10,000 cgroups against an RLIMIT_NOFILE of 20,000) that
 * spares an open, an fstat and a close of the directory in every hierarchy of every
 * cgroup at every refresh. The directory is the one the visit found at the path (the
 * parent's listing or a stat said so), as when it is opened; a cgroup removed and made
 * again since is seen at the next visit. Returns the descriptor or -errno. */
static int open_file(struct fdc_visit *v, const char *file)
{
	char path[PATH_MAX];
	int dfd, fd;

	if (v->dirfd < 0 && v->tmpfd < 0) {
		/* "%s/%s" by hand: snprintf was 870 instructions a file, and 70,000 files a
		 * refresh are opened so at 10,000 cgroups */
		size_t nl = strlen(v->name), fl = strlen(file);

		if (nl + 1 + fl < sizeof(path)) {
			memcpy(path, v->name, nl);
			path[nl] = '/';
			memcpy(path + nl + 1, file, fl + 1);
			fd = openat(v->parentfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			return fd < 0 ? -errno : fd;
		}
	}
	dfd = dir_fd(v);
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Read FD from its start into B. cgroupfs files are seq_files: one read returns all there
 * is when the buffer has room, so a short read is the end and needs no second call. */
static ssize_t pread_all(int fd, struct buf *b)
{
	b->len = 0;
	for (;;) {
		size_t room;
		ssize_t n;

		if (buf_reserve(b, b->len + 4096) < 0)
			return -ENOMEM;
		room = b->cap - b->len - 1;
		n = pread(fd, b->data + b->len, room, (off_t)b->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		b->len += (size_t)n;
		if ((size_t)n < room)
			break;
	}
	b->data[b->len] = '\0';
	return (ssize_t)b->len;
}

/* Read file SLOT of the visited directory into B: fdcache_read(), or fdcache_read_rare()
 * when RARE. */
static ssize_t read_slot(struct fdc_visit *v, size_t slot, struct buf *b, bool rare)
{
	struct fdcache *c = v->c;
	fdc_slot *sl = &v->node->slot[slot];
	bool keep_it = !rare || c->budget->rare_ok;
	ssize_t n;
	int fd;

	if (slot_fd(*sl) >= 0) {
		n = pread_all(slot_fd(*sl), b);
		/* a rare file kept while rare files were (or a counter's kept while it was read
		 * at every refresh): read once more, and let go */
		if (!keep_it)
			release_slot(c, sl);
		if (n >= 0 || (n != -ENODEV && n != -ENOENT))
			return n;
		/* the cgroup was removed after the descriptor was opened; a new one may be at
		 * the path now: never read the old descriptor again, read the path afresh */
		drop_fds(c, v->id, v->node);
		v->dirfd = -1;
		if (v->tmpfd >= 0)
			close(v->tmpfd);
		v->tmpfd = -1;
	}
	if (slot_absent(c, *sl))
		return -ENOENT;
	fd = open_file(v, c->files[slot]);
	if (fd < 0) {
		if (fd == -ENOENT)
			*sl = slot_missing(c);
		return fd;
	}
	*sl = 0;
	n = pread_all(fd, b);
	if (n >= 0 && !v->orphan && slot_fits(fd) && keep_it && budget_room(c->budget)) {
		*sl = (fdc_slot)fd + 1;
		keep(c);
	} else {
		close(fd);
	}
	return n;
}

ssize_t fdcache_read(struct fdc_visit *v, size_t slot, struct buf *b)
{
	return read_slot(v, slot, b, false);
}

ssize_t fdcache_read_rare(struct fdc_visit *v, size_t slot, struct buf *b)
{
	return read_slot(v, slot, b, true);
}

void *fdcache_memo(struct fdc_visit *v)
{
	return node_memo(v->c, v->node);
}

ssize_t fdcache_read_once(struct fdc_visit *v, const char *file, struct buf *b)
{
	int dfd = dir_fd_kept(v);

	return dfd < 0 ? dfd : read_file_at(dfd, file, b);
}

int fdcache_dirfd(struct fdc_visit *v)
{
	/* what a listing from here on sees needs no poke; an event read after now pokes it
	 * again, for the next refresh */
	v->node->poked = 0;
	if (v->dirfd >= 0) {
		if (lseek(v->dirfd, 0, SEEK_SET) < 0)
			return -errno;
		return v->dirfd;
	}
	return dir_fd_kept(v);
}

size_t fdcache_kept(const struct fdcache *c)
{
	size_t k = 0;

	for (size_t i = 0; i < c->tabcap; i++)
		for (uint32_t id = c->tab[i]; id;) {
			const struct fdc_node *n = node_at(c, id);

			k += n->dirkept;
			for (size_t s = 0; s < c->nfiles; s++)
				k += slot_fd(n->slot[s]) >= 0;
			id = n->next;
		}
	return k;
}

size_t fdcache_node_bytes(const struct fdcache *c)
{
	return c->nslabs * FDC_SLAB_NODES * c->node_size + c->slabcap * sizeof(*c->slabs) +
	       c->tabcap * sizeof(*c->tab) + c->dirfds.cap * sizeof(*c->dirfds.e) +
	       c->wds.cap * sizeof(*c->wds.e);
}
