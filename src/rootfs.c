/* The root handle: every read of the host goes through here. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rootfs.h"

int rootfs_open(struct rootfs *r, const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	r->fd = fd;
	r->path = xstrdup(dir);
	r->is_host = strcmp(dir, "/") == 0;
	return 0;
}

void rootfs_close(struct rootfs *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	free(r->path);
	r->path = NULL;
}

int rootfs_openat(const struct rootfs *r, const char *path, int flags)
{
	int fd;

	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	fd = openat(r->fd, path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

ssize_t read_file_at(int dirfd, const char *name, struct buf *b)
{
	ssize_t n;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -errno;
	n = read_all(fd, SIZE_MAX, b);
	close(fd);
	return n;
}

ssize_t rootfs_read(const struct rootfs *r, const char *path, struct buf *b)
{
	ssize_t n;
	int fd = rootfs_openat(r, path, O_RDONLY);

	if (fd < 0)
		return fd;
	n = read_all(fd, SIZE_MAX, b);
	close(fd);
	return n;
}

ssize_t rootfs_read_capped(const struct rootfs *r, const char *path, size_t max, struct buf *b)
{
	struct stat st;
	ssize_t n;
	int fd = rootfs_openat(r, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);

	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0)
		n = -errno;
	else if (!S_ISREG(st.st_mode))
		n = -EINVAL;
	else
		n = read_all(fd, max, b);
	close(fd);
	return n;
}
