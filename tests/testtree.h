/* Building small host trees (proc/, sys/fs/cgroup/…) in a temporary directory for tests. */
#ifndef CGTOP_TESTTREE_H
#define CGTOP_TESTTREE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p of the directory part of PATH */
static inline void tt_mkdirs(const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(tmp, 0755);
			*p = '/';
		}
}

/* Write CONTENT to ROOT/REL, creating directories. */
static inline void tt_write(const char *root, const char *rel, const char *content)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	tt_mkdirs(path);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		abort();
	}
	fputs(content, f);
	fclose(f);
}

static inline void tt_mkdir(const char *root, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s/", root, rel);
	tt_mkdirs(path);
}

static inline char *tt_new(void)
{
	char tmpl[] = "/tmp/cgtop-test-XXXXXX";
	char *d = mkdtemp(tmpl);

	if (!d)
		abort();
	return strdup(d);
}

static inline void tt_remove(char *root)
{
	char cmd[4200];

	/* only ever our own mkdtemp directory */
	if (strncmp(root, "/tmp/cgtop-test-", 16) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", root);
	}
	free(root);
}

#endif
