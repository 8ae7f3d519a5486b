/* Batch front end: text columns or JSON Lines, one block per iteration. */
#ifndef CGTOP_OUTPUT_H
#define CGTOP_OUTPUT_H

#include <stdio.h>

#include "options.h"
#include "snapshot.h"
#include "view.h"

/* "blkio-throttle", "io.stat", "proc", … or NULL. */
const char *io_source_name(enum io_source src);

/* Write one iteration of V (taken from S, which gives the time). Returns 0, or -errno
 * when the stream failed (EPIPE included). */
int output_text(FILE *f, const struct view *v, const struct snapshot *s, const struct options *opt);
int output_json(FILE *f, const struct view *v, const struct snapshot *s, const struct options *opt,
		unsigned long iteration);

#endif
