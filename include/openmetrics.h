/* Metrics front end: the rows of a view as OpenMetrics 1.0 text, or as the Prometheus text
 * format 0.0.4 that node_exporter's textfile collector reads. */
#ifndef CGTOP_OPENMETRICS_H
#define CGTOP_OPENMETRICS_H

#include <stdio.h>

#include "view.h"

enum metrics_dialect {
	METRICS_OPENMETRICS, /* counter families without _total, UNIT lines, "# EOF" */
	METRICS_PROMETHEUS,  /* counter families named ..._total, no UNIT */
};

/* Write one exposition of V: for each metric that has a sample, its HELP, TYPE (and UNIT)
 * lines and one sample per row; a value the kernel did not give has no sample; "# EOF" at the
 * end (a comment to Prometheus 0.0.4 readers). Each sample is labelled with HOST (the
 * host's name, so that a fleet's alerts say which host; NULL: no such label), the row's
 * path, name, container ID, image, config_id and managed_by labels and kind. Returns 0,
 * or -errno when the stream failed. */
int output_metrics(FILE *f, const struct view *v, enum metrics_dialect d, const char *host);

/* RAW as a label value: sanitized (no control bytes, valid UTF-8), then \, " and newline
 * escaped as the exposition formats want. Newly allocated. */
char *metrics_label_value(const char *raw);

#endif
