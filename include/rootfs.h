/* The one handle through which cgtop reads the host: "/" live, or a fixture tree. */
#ifndef CGTOP_ROOTFS_H
#define CGTOP_ROOTFS_H

#include <stdbool.h>
#include <sys/types.h>

#include "util.h"

struct rootfs {
	int fd;         /* O_PATH-like directory descriptor of the root */
	char *path;     /* as given by the user, for messages */
	bool is_host;   /* true when the root is "/" (libcgroup may be asked) */
};

/* Open DIR as the root every host read is relative to. Returns 0 or -errno. */
int rootfs_open(struct rootfs *r, const char *dir);
void rootfs_close(struct rootfs *r);

/* openat() of an absolute host path ("/proc/self/mountinfo") below the root. */
int rootfs_openat(const struct rootfs *r, const char *path, int flags);

/* Read the whole of NAME (relative to DIRFD) into B (NUL-terminated). Returns length or -errno. */
ssize_t read_file_at(int dirfd, const char *name, struct buf *b);

/* Read the whole of an absolute host path below the root into B. Returns length or -errno. */
ssize_t rootfs_read(const struct rootfs *r, const char *path, struct buf *b);

/* The same for a file that is not the kernel's (an engine's metadata): only a regular
 * file (else -EINVAL; a FIFO does not block the open) and at most MAX bytes (else -EFBIG). */
ssize_t rootfs_read_capped(const struct rootfs *r, const char *path, size_t max, struct buf *b);

#endif
