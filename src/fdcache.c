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

void fdcache_init(struct fdcache *c, struct fd_budget *b, const char *const *files, size_t nfiles)
{
	memset(c, 0, sizeof(*c));
	c->budget = b;
	c->files = files;
	c->nfiles = nfiles;
	c->ifd = -1;
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

/* Forget every descriptor of N: they belong to a directory that is no longer at its path. */
static void drop_fds(struct fdcache *c, struct fdc_node *n)
{
	release(c, &n->dirfd);
	for (size_t i = 0; i < c->nfiles; i++) {
		release(c, &n->slot[i].fd);
		n->slot[i].absent = 0;
	}
}

/* --- watch descriptors ------------------------------------------------------ */

static struct fdc_node **wd_bucket(struct fdcache *c, int wd)
{
	return &c->wtab[(unsigned)wd & (c->wtabcap - 1)];
}

static struct fdc_node *wd_find(struct fdcache *c, int wd)
{
	if (!c->wtabcap)
		return NULL;
	for (struct fdc_node *n = *wd_bucket(c, wd); n; n = n->wnext)
		if (n->wd == wd)
			return n;
	return NULL;
}

static void wd_remove(struct fdcache *c, struct fdc_node *n)
{
	for (struct fdc_node **pp = wd_bucket(c, n->wd); *pp; pp = &(*pp)->wnext)
		if (*pp == n) {
			*pp = n->wnext;
			c->nw--;
			break;
		}
	n->wnext = NULL;
	n->wd = -1;
}

static void wd_insert(struct fdcache *c, struct fdc_node *n)
{
	if (c->nw + 1 > c->wtabcap) {
		size_t cap = c->wtabcap ? c->wtabcap * 2 : 256;
		struct fdc_node **old = c->wtab;
		size_t oldcap = c->wtabcap;

		c->wtab = xcalloc(cap, sizeof(*c->wtab));
		c->wtabcap = cap;
		for (size_t i = 0; i < oldcap; i++)
			for (struct fdc_node *m = old[i], *next; m; m = next) {
				next = m->wnext;
				m->wnext = *wd_bucket(c, m->wd);
				*wd_bucket(c, m->wd) = m;
			}
		free(old);
	}
	n->wnext = *wd_bucket(c, n->wd);
	*wd_bucket(c, n->wd) = n;
	c->nw++;
}

static void unwatch(struct fdcache *c, struct fdc_node *n)
{
	if (n->wd < 0)
		return;
	/* fails harmlessly when the directory is gone (its watch went with it) */
	inotify_rm_watch(c->ifd, n->wd);
	wd_remove(c, n);
}

/* Watch NAME below PARENTFD (N's directory) for new subdirectories. Without a watch the
 * node is stat'ed at each visit instead. */
static void watch(struct fdcache *c, struct fdc_node *n, int parentfd, const char *name)
{
	char path[64 + NAME_MAX];
	struct fdc_node *other;
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
	wd = inotify_add_watch(c->ifd, path, IN_CREATE | IN_MOVED_TO | IN_ONLYDIR | IN_DONT_FOLLOW);
	if (wd < 0) {
		if (errno == ENOSPC || errno == ENOMEM || errno == EACCES || errno == EPERM ||
		    (errno == ENOENT && access("/proc/self/fd", F_OK) < 0))
			c->watch_failed = true;
		return;
	}
	other = wd_find(c, wd);
	if (other == n)
		return;
	if (other)
		wd_remove(c, other); /* the same directory seen through another node: one watch */
	n->wd = wd;
	wd_insert(c, n);
}

/* Mark the directories with new subdirectories (events since the last refresh). */
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
			struct fdc_node *n;

			off += (ssize_t)(sizeof(*ev) + ev->len);
			if (ev->mask & IN_Q_OVERFLOW) {
				c->list_all = true;
				continue;
			}
			n = wd_find(c, ev->wd);
			if (!n)
				continue;
			if (ev->mask & IN_IGNORED) {
				/* its directory went (or the watch did): watch and look again */
				wd_remove(c, n);
				n->list = true;
			} else if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
				n->poked = true;
			}
		}
	}
}

/* --- nodes ------------------------------------------------------------------- */

static void node_free(struct fdcache *c, struct fdc_node *n)
{
	unwatch(c, n);
	drop_fds(c, n);
	free(n);
}

void fdcache_free(struct fdcache *c)
{
	/* closing the inotify descriptor removes every watch at once */
	if (c->ifd >= 0)
		close(c->ifd);
	c->ifd = -1;
	for (size_t i = 0; i < c->tabcap; i++)
		for (struct fdc_node *n = c->tab[i], *next; n; n = next) {
			next = n->next;
			n->wd = -1;
			node_free(c, n);
		}
	free(c->tab);
	free(c->wtab);
	c->tab = c->wtab = NULL;
	c->tabcap = c->n = c->wtabcap = c->nw = 0;
}

void fdcache_begin(struct fdcache *c, long fs_magic)
{
	c->refresh++;
	if (c->refresh == 0)
		c->refresh = 1; /* 0 means "never" in fdc_slot.absent */
	c->nlink_counts_subdirs = fs_magic == CGROUP_SUPER_MAGIC || fs_magic == CGROUP2_SUPER_MAGIC ||
				  fs_magic == TMPFS_MAGIC || fs_magic == EXT4_SUPER_MAGIC ||
				  fs_magic == XFS_SUPER_MAGIC;
	c->watch = fs_magic == CGROUP_SUPER_MAGIC || fs_magic == CGROUP2_SUPER_MAGIC;
	c->list_all = false;
	read_events(c);
}

void fdcache_sweep(struct fdcache *c)
{
	for (size_t i = 0; i < c->tabcap; i++) {
		struct fdc_node **pp = &c->tab[i];

		while (*pp) {
			struct fdc_node *n = *pp;

			if (n->seen == c->refresh) {
				pp = &n->next;
				continue;
			}
			*pp = n->next;
			node_free(c, n);
			c->n--;
		}
	}
}

static void grow(struct fdcache *c)
{
	size_t cap = c->tabcap ? c->tabcap * 2 : 256;
	struct fdc_node **tab = xcalloc(cap, sizeof(*tab));

	for (size_t i = 0; i < c->tabcap; i++)
		for (struct fdc_node *n = c->tab[i], *next; n; n = next) {
			next = n->next;
			n->next = tab[n->hash & (cap - 1)];
			tab[n->hash & (cap - 1)] = n;
		}
	free(c->tab);
	c->tab = tab;
	c->tabcap = cap;
}

/* Where a node's memo starts: after its slots, aligned for 64-bit members. */
static size_t memo_offset(const struct fdcache *c)
{
	size_t off = sizeof(struct fdc_node) + c->nfiles * sizeof(struct fdc_slot);

	return (off + 7) & ~(size_t)7;
}

static void *node_memo(const struct fdcache *c, struct fdc_node *n)
{
	return c->memo_size ? (char *)n + memo_offset(c) : NULL;
}

static struct fdc_node *node_new(struct fdcache *c, uint64_t h)
{
	struct fdc_node *n = xmalloc(memo_offset(c) + c->memo_size);

	memset(n, 0, memo_offset(c) + c->memo_size);
	n->hash = h;
	n->dirfd = -1;
	n->wd = -1;
	n->list = true;
	for (size_t i = 0; i < c->nfiles; i++)
		n->slot[i] = (struct fdc_slot){ .fd = -1, .absent = 0 };
	return n;
}

static struct fdc_node *node_get(struct fdcache *c, uint64_t h, bool *fresh)
{
	struct fdc_node *n;

	*fresh = false;
	if (c->tabcap)
		for (n = c->tab[h & (c->tabcap - 1)]; n; n = n->next)
			if (n->hash == h)
				return n;
	if (c->n + 1 > c->tabcap)
		grow(c);
	n = node_new(c, h);
	n->next = c->tab[h & (c->tabcap - 1)];
	c->tab[h & (c->tabcap - 1)] = n;
	c->n++;
	*fresh = true;
	return n;
}

/* The directory at the node's path is INO (and CTIME where inodes are reused): when it
 * is another one than the descriptors were opened in, they go, and it is listed anew. */
static void revalidate(struct fdcache *c, struct fdc_node *n, ino_t ino, const struct timespec *ctime,
		       bool fresh)
{
	if (!fresh && n->ino == ino &&
	    (c->watch || (n->ctime.tv_sec == ctime->tv_sec && n->ctime.tv_nsec == ctime->tv_nsec)))
		return;
	drop_fds(c, n);
	unwatch(c, n);
	if (c->memo_size)
		memset(node_memo(c, n), 0, c->memo_size); /* what the old directory's files said */
	n->ino = ino;
	n->ctime = c->watch ? (struct timespec){ 0, 0 } : *ctime;
	n->list = true;
}

int fdcache_visit(struct fdcache *c, struct fdc_visit *v, int parentfd, const char *name,
		  uint64_t h, ino_t ino)
{
	static const struct timespec no_time;
	struct fdc_node *n;
	struct stat st;
	bool fresh;

	*v = (struct fdc_visit){ .c = c, .parentfd = parentfd, .name = name, .tmpfd = -1 };
	if (!c->watch || !ino) {
		if (fstatat(parentfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		ino = st.st_ino;
		v->have_stat = true;
		v->nlink = st.st_nlink;
	}
	n = node_get(c, h, &fresh);
	v->node = n;
	if (!fresh && n->seen == c->refresh) {
		/* another path of the same hash was here this refresh, and may still be
		 * listing its directory with the node's descriptor: leave it alone */
		v->node = node_new(c, h);
		v->node->ino = ino;
		v->orphan = true;
		return 0;
	}
	revalidate(c, n, ino, v->have_stat ? &st.st_ctim : &no_time, fresh);
	n->seen = c->refresh;
	/* watched before it is listed: a subdirectory made in between is reported */
	if (c->watch && n->wd < 0)
		watch(c, n, parentfd, name);
	return 0;
}

void fdcache_visit_end(struct fdc_visit *v)
{
	if (v->tmpfd >= 0)
		close(v->tmpfd);
	v->tmpfd = -1;
	if (v->orphan) {
		free(v->node);
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
	v->node->list = false;
	v->node->had_subdirs = false;
	return false;
}

void fdcache_listed(struct fdc_visit *v, bool subdirs)
{
	v->node->had_subdirs = subdirs;
	v->node->list = false;
	v->node->poked = false;
}

/* --- reading ----------------------------------------------------------------- */

/* A descriptor of the visited directory for openat(): the kept one, or one opened for
 * this visit (checked to be the directory the kept files belong to). */
static int dir_fd(struct fdc_visit *v)
{
	struct stat st;

	if (v->node->dirfd >= 0)
		return v->node->dirfd;
	if (v->tmpfd >= 0)
		return v->tmpfd;
	v->tmpfd = openat(v->parentfd, v->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (v->tmpfd < 0)
		return -errno;
	if (!v->orphan && fstat(v->tmpfd, &st) == 0)
		revalidate(v->c, v->node, st.st_ino, &st.st_ctim, false);
	return v->tmpfd;
}

/* The visited directory's descriptor, kept from now on when the budget allows: it is
 * needed at every refresh. */
static int dir_fd_kept(struct fdc_visit *v)
{
	struct fdc_node *n = v->node;
	int fd = dir_fd(v);

	/* dir_fd() may have found another directory at the path and dropped the node's */
	if (fd >= 0 && n->dirfd < 0 && !v->orphan && v->c->budget->used < v->c->budget->limit) {
		n->dirfd = v->tmpfd;
		v->tmpfd = -1;
		keep(v->c);
		return n->dirfd;
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

	if (v->node->dirfd < 0 && v->tmpfd < 0) {
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

ssize_t fdcache_read(struct fdc_visit *v, size_t slot, struct buf *b)
{
	struct fdcache *c = v->c;
	struct fdc_slot *sl = &v->node->slot[slot];
	ssize_t n;
	int fd;

	if (sl->fd >= 0) {
		n = pread_all(sl->fd, b);
		if (n >= 0 || (n != -ENODEV && n != -ENOENT))
			return n;
		/* the cgroup was removed after the descriptor was opened; a new one may be at
		 * the path now: never read the old descriptor again, read the path afresh */
		drop_fds(c, v->node);
		if (v->tmpfd >= 0)
			close(v->tmpfd);
		v->tmpfd = -1;
	}
	if (sl->absent && c->refresh - sl->absent < FDC_ABSENT_REFRESHES)
		return -ENOENT;
	fd = open_file(v, c->files[slot]);
	if (fd < 0) {
		if (fd == -ENOENT)
			sl->absent = c->refresh;
		return fd;
	}
	sl->absent = 0;
	n = pread_all(fd, b);
	if (n >= 0 && sl->fd < 0 && !v->orphan && c->budget->used < c->budget->limit) {
		sl->fd = fd;
		keep(c);
	} else {
		close(fd);
	}
	return n;
}

ssize_t fdcache_read_unkept(struct fdc_visit *v, size_t slot, struct buf *b)
{
	struct fdc_slot *sl = &v->node->slot[slot];
	ssize_t n;
	int fd;

	if (sl->fd >= 0) {
		/* kept while it was read at every refresh: read it once more, and let it go */
		n = pread_all(sl->fd, b);
		release(v->c, &sl->fd);
		if (n >= 0 || (n != -ENODEV && n != -ENOENT))
			return n;
		drop_fds(v->c, v->node);
		if (v->tmpfd >= 0)
			close(v->tmpfd);
		v->tmpfd = -1;
	}
	if (sl->absent && v->c->refresh - sl->absent < FDC_ABSENT_REFRESHES)
		return -ENOENT;
	fd = open_file(v, v->c->files[slot]);
	if (fd < 0) {
		if (fd == -ENOENT)
			sl->absent = v->c->refresh;
		return fd;
	}
	sl->absent = 0;
	n = pread_all(fd, b);
	close(fd);
	return n;
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
	if (v->node->dirfd >= 0) {
		if (lseek(v->node->dirfd, 0, SEEK_SET) < 0)
			return -errno;
		return v->node->dirfd;
	}
	return dir_fd_kept(v);
}

size_t fdcache_kept(const struct fdcache *c)
{
	size_t k = 0;

	for (size_t i = 0; i < c->tabcap; i++)
		for (const struct fdc_node *n = c->tab[i]; n; n = n->next) {
			k += n->dirfd >= 0;
			for (size_t s = 0; s < c->nfiles; s++)
				k += n->slot[s].fd >= 0;
		}
	return k;
}
