/* Batch front end: text columns or JSON Lines, one block per iteration. */
#ifndef CGTOP_OUTPUT_H
#define CGTOP_OUTPUT_H

#include <stdio.h>

#include "options.h"
#include "snapshot.h"

/* Row indices of S in display order (by OPT's order), hiding nothing. Caller frees. */
size_t *rows_sorted(const struct snapshot *s, enum sort_order order, bool reverse);

size_t *rows_sorted_opt(const struct snapshot *s, enum sort_order order, bool reverse, bool cpu_time);
/* "blkio-throttle", "io.stat", "proc", … or NULL. */
const char *io_source_name(enum io_source src);

/* Write one iteration. Returns 0, or -errno when the stream failed (EPIPE included). */
int output_text(FILE *f, const struct snapshot *s, const struct options *opt);
int output_json(FILE *f, const struct snapshot *s, const struct options *opt, unsigned long iteration);

#endif
