/* Batch front end: text columns or JSON Lines, one block per iteration. */
#ifndef CGTOP_OUTPUT_H
#define CGTOP_OUTPUT_H

#include <stdio.h>

#include "options.h"
#include "source.h"
#include "view.h"

/* The most text columns before the figures (the --label columns past it are left out). */
#define TEXT_COLS_MAX (8 + 16)
/* The narrowest name column of the text output (the longest TripleO container names,
 * such as neutron_metadata_agent, fit). */
#define TEXT_NAME_MIN 24

/* The widths of the text output's columns, kept from one sample to the next so a log's
 * columns stay put: each column, by title, as wide as in the first sample that showed
 * it. Zero it before the first sample. */
struct text_layout {
	const char *title[TEXT_COLS_MAX * 2]; /* the options' or static strings */
	size_t width[TEXT_COLS_MAX * 2];
	size_t n;
};

/* Write one iteration of V (made of sample S, which gives the time and the host). Returns
 * 0, or -errno when the stream failed (EPIPE included). LAYOUT (NULL: none) keeps the
 * columns' widths from one call to the next. */
int output_text(FILE *f, struct text_layout *layout, const struct view *v, const struct sample *s,
		const struct options *opt);
/* One object per row, then one per event: "time", "host" (null when not known), ... */
int output_json(FILE *f, const struct view *v, const struct sample *s, const struct options *opt,
		unsigned long iteration);

#endif
