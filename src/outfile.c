/* --output FILE: write a temporary file beside FILE, then rename it over FILE. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"
#include "util.h"

struct outfile {
	int dirfd;
	char *name;  /* FILE's last component */
	char *tmp;   /* ".NAME.tmp": no *.prom glob takes it for a file of metrics */
};

/* Create (or truncate) the temporary file for writing; its descriptor, or -errno. */
static int open_tmp(const struct outfile *o)
{
	int fd = openat(o->dirfd, o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);

	return fd < 0 ? -errno : fd;
}

int outfile_open(struct outfile **out, const char *path)
{
	struct outfile *o;
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!*path || (slash && !slash[1]))
		return -EISDIR;
	o = xcalloc(1, sizeof(*o));
	dir = slash ? xstrdup(path) : xstrdup(".");
	if (slash)
		dir[slash == path ? 1 : slash - path] = '\0'; /* "/x" is in "/" */
	o->name = xstrdup(slash ? slash + 1 : path);
	o->tmp = xmalloc(strlen(o->name) + 6);
	sprintf(o->tmp, ".%s.tmp", o->name);
	o->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	fd = o->dirfd < 0 ? -errno : open_tmp(o);
	if (fd < 0) {
		outfile_close(o);
		return fd;
	}
	close(fd);
	*out = o;
	return 0;
}

void outfile_close(struct outfile *o)
{
	if (!o)
		return;
	if (o->dirfd >= 0)
		close(o->dirfd);
	free(o->name);
	free(o->tmp);
	free(o);
}

int outfile_dirfd(const struct outfile *o)
{
	return o->dirfd;
}

int outfile_replace(struct outfile *o, int (*fill)(FILE *f, void *ud), void *ud)
{
	int fd = open_tmp(o), r;
	FILE *f;

	if (fd < 0)
		return fd;
	f = fdopen(fd, "w");
	if (!f) {
		r = -errno;
		close(fd);
		return r;
	}
	r = fill(f, ud);
	if (fclose(f) != 0 && r == 0)
		r = errno ? -errno : -EIO;
	if (r == 0 && renameat(o->dirfd, o->tmp, o->dirfd, o->name) < 0)
		r = -errno;
	return r;
}
