/* --output FILE: each sample replaces FILE whole, so that a reader (node_exporter's textfile
 * collector) sees the previous sample or the new one, never half of one. */
#ifndef CGTOP_OUTFILE_H
#define CGTOP_OUTFILE_H

#include <stdio.h>

struct outfile;

/* Open the directory of PATH and make sure a file can be made in it: the temporary file
 * ".NAME.tmp" beside it is created (empty) now, before the sandbox. Returns 0 with *OUT
 * set, or -errno. */
int outfile_open(struct outfile **out, const char *path);
void outfile_close(struct outfile *o);

/* The directory's descriptor: the one the sandbox lets files be made and renamed in. */
int outfile_dirfd(const struct outfile *o);

/* Write the temporary file with FILL (which returns 0 or -errno), then rename it over the
 * file. Returns 0, or -errno (the file keeps its previous content). */
int outfile_replace(struct outfile *o, int (*fill)(FILE *f, void *ud), void *ud);

#endif
