/* Cgroup directories and counter files kept open across refreshes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
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

long fd_budget_default(void)
{
	struct rlimit rl;
	long cur;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	cur = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (1u << 20) ? (1l << 20) : (long)rl.rlim_cur;
	return cur > 256 ? cur - 256 : 0;
}

void fdcache_init(struct fdcache *c, struct fd_budget *b, const char *const *files, size_t nfiles)
{
	memset(c, 0, sizeof(*c));
	c->budget = b;
	c->files = files;
	c->nfiles = nfiles;
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

static void node_free(struct fdcache *c, struct fdc_node *n)
{
	drop_fds(c, n);
	free(n);
}

void fdcache_free(struct fdcache *c)
{
	for (size_t i = 0; i < c->tabcap; i++)
		for (struct fdc_node *n = c->tab[i], *next; n; n = next) {
			next = n->next;
			node_free(c, n);
		}
	free(c->tab);
	c->tab = NULL;
	c->tabcap = c->n = 0;
}

void fdcache_begin(struct fdcache *c, long fs_magic)
{
	c->refresh++;
	if (c->refresh == 0)
		c->refresh = 1; /* 0 means "never" in fdc_slot.absent */
	c->nlink_counts_subdirs = fs_magic == CGROUP_SUPER_MAGIC || fs_magic == CGROUP2_SUPER_MAGIC ||
				  fs_magic == TMPFS_MAGIC || fs_magic == EXT4_SUPER_MAGIC ||
				  fs_magic == XFS_SUPER_MAGIC;
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

static struct fdc_node *node_new(struct fdcache *c, uint64_t h, const struct stat *st)
{
	struct fdc_node *n = xmalloc(sizeof(*n) + c->nfiles * sizeof(n->slot[0]));

	n->next = NULL;
	n->hash = h;
	n->ino = st->st_ino;
	n->ctime = st->st_ctim;
	n->dirfd = -1;
	n->seen = 0;
	for (size_t i = 0; i < c->nfiles; i++)
		n->slot[i] = (struct fdc_slot){ .fd = -1, .absent = 0 };
	return n;
}

static struct fdc_node *node_get(struct fdcache *c, uint64_t h, const struct stat *st)
{
	struct fdc_node *n;

	if (c->tabcap)
		for (n = c->tab[h & (c->tabcap - 1)]; n; n = n->next)
			if (n->hash == h)
				return n;
	if (c->n + 1 > c->tabcap)
		grow(c);
	n = node_new(c, h, st);
	n->next = c->tab[h & (c->tabcap - 1)];
	c->tab[h & (c->tabcap - 1)] = n;
	c->n++;
	return n;
}

static bool same_dir(const struct fdc_node *n, const struct stat *st)
{
	return n->ino == st->st_ino && n->ctime.tv_sec == st->st_ctim.tv_sec &&
	       n->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

/* The directory at the node's path is ST: when it is another one than the descriptors were
 * opened in, they go. */
static void revalidate(struct fdcache *c, struct fdc_node *n, const struct stat *st)
{
	if (same_dir(n, st))
		return;
	drop_fds(c, n);
	n->ino = st->st_ino;
	n->ctime = st->st_ctim;
}

int fdcache_visit(struct fdcache *c, struct fdc_visit *v, int parentfd, const char *name,
		  uint64_t h, struct stat *st)
{
	struct fdc_node *n;

	if (fstatat(parentfd, name, st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISDIR(st->st_mode))
		return -ENOTDIR;
	n = node_get(c, h, st);
	*v = (struct fdc_visit){ .c = c, .node = n, .parentfd = parentfd, .name = name, .tmpfd = -1 };
	if (n->seen == c->refresh) {
		/* another path of the same hash was here this refresh, and may still be
		 * listing its directory with the node's descriptor: leave it alone */
		v->node = node_new(c, h, st);
		v->orphan = true;
		return 0;
	}
	revalidate(c, n, st);
	n->seen = c->refresh;
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
	if (fstat(v->tmpfd, &st) == 0)
		revalidate(v->c, v->node, &st);
	return v->tmpfd;
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
	int dfd, fd;

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
	dfd = dir_fd(v);
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, c->files[slot], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		n = -errno;
		if (n == -ENOENT)
			sl->absent = c->refresh;
		return n;
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

bool fdcache_may_have_subdirs(const struct fdcache *c, const struct stat *st)
{
	return !c->nlink_counts_subdirs || st->st_nlink != 2;
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
