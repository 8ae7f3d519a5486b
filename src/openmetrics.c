/* Metrics front end: OpenMetrics 1.0 and Prometheus 0.0.4 text expositions of a view. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "container.h"
#include "fields.h"
#include "format.h"
#include "openmetrics.h"
#include "util.h"

char *metrics_label_value(const char *raw)
{
	char *clean = sanitize_dup(raw), *out = xmalloc(strlen(clean) * 2 + 1), *o = out;

	for (const char *p = clean; *p; p++) {
		if (*p == '\\' || *p == '"') {
			*o++ = '\\';
			*o++ = *p;
		} else if (*p == '\n') { /* sanitize() leaves none; the format's own escape anyway */
			*o++ = '\\';
			*o++ = 'n';
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	free(clean);
	return out;
}

static void add_label(struct buf *b, const char *name, const char *raw)
{
	char *val;
	size_t need;

	if (!raw || !*raw)
		return; /* an empty label is the same as no label: leave it out */
	val = metrics_label_value(raw);
	need = b->len + strlen(name) + strlen(val) + 8;
	buf_reserve(b, need);
	b->len += (size_t)snprintf(b->data + b->len, b->cap - b->len, "%s%s=\"%s\"",
				   b->len > 1 ? "," : "", name, val);
	free(val);
}

/* "{host=\"…\",path=\"…\",name=\"…\",…}" for row R of HOST (NULL: not known), newly
 * allocated (B is scratch space). */
static char *row_labels(struct buf *b, const struct view_row *r, const char *host)
{
	const struct attr_ctx x = { .host = host };
	const struct row_attr *a;

	b->len = 0;
	buf_reserve(b, 256);
	b->data[b->len++] = '{';
	b->data[b->len] = '\0';
	for (int pos = 1; (a = attr_by_label_pos(pos)); pos++) {
		struct attr_val v = { 0 };

		if (a->get(r, &x, &v))
			add_label(b, a->label, v.s);
		attr_val_free(&v);
	}
	buf_reserve(b, b->len + 2);
	b->data[b->len++] = '}';
	b->data[b->len] = '\0';
	return xstrdup(b->data);
}

static int stream_status(FILE *f)
{
	if (fflush(f) != 0 || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

/* The containers' state and health as one info family:
 * cgtop_container_state_info{…,state="exited",health="none"} 1 (OpenMetrics' type info;
 * a gauge of that name to Prometheus 0.0.4). LABELS: each row's, "{…}". */
static void state_info(FILE *f, const struct view *v, char *const *labels, enum metrics_dialect d)
{
	bool header = false;

	for (size_t i = 0; i < v->n; i++) {
		const struct cg_row *r = v->rows[i].fig;
		const char *st = row_has(r, F_CTR_STATE) ? ctr_state_word((unsigned)row_life(r)->state) : NULL;
		const char *he = row_has(r, F_CTR_HEALTH) ? ctr_health_word((unsigned)row_life(r)->health) : NULL;
		size_t n = strlen(labels[i]);

		if (!st || !he || v->rows[i].kind == VIEW_GROUP || n < 2)
			continue;
		if (!header) {
			if (d == METRICS_OPENMETRICS) {
				fputs("# HELP cgtop_container_state The container's state and health as its engine says them.\n", f);
				fputs("# TYPE cgtop_container_state info\n", f);
			} else {
				fputs("# HELP cgtop_container_state_info The container's state and health as its engine says them.\n", f);
				fputs("# TYPE cgtop_container_state_info gauge\n", f);
			}
			header = true;
		}
		/* the labels the figures' keys: state="exited",health="none" */
		fprintf(f, "cgtop_container_state_info%.*s,%s=\"%s\",%s=\"%s\"} 1\n", (int)(n - 1), labels[i],
			figure(F_CTR_STATE)->key, st, figure(F_CTR_HEALTH)->key, he);
	}
}

int output_metrics(FILE *f, const struct view *v, enum metrics_dialect d, const char *host)
{
	char **labels = xcalloc(v->n ? v->n : 1, sizeof(*labels));
	struct buf scratch = { 0 };

	for (size_t i = 0; i < v->n; i++)
		labels[i] = row_labels(&scratch, &v->rows[i], host);
	buf_free(&scratch);
	for (size_t k = 0; k < F_COUNT; k++) {
		const struct figure *m = &figures[k];
		bool counter = m->kind == FIG_COUNTER;
		/* Prometheus 0.0.4 names the family as its samples; OpenMetrics without _total */
		const char *family_suffix = counter && d == METRICS_PROMETHEUS ? "_total" : "";
		const char *sample_suffix = counter ? "_total" : "";
		bool header = false;

		if (!m->metric)
			continue;
		for (size_t i = 0; i < v->n; i++) {
			char val[64];

			if (!fig_number(m, v->rows[i].fig, true, val, sizeof(val)))
				continue;
			if (!header) {
				fprintf(f, "# HELP %s%s %s\n", m->metric, family_suffix, m->help);
				fprintf(f, "# TYPE %s%s %s\n", m->metric, family_suffix, counter ? "counter" : "gauge");
				if (m->metric_unit && d == METRICS_OPENMETRICS)
					fprintf(f, "# UNIT %s %s\n", m->metric, m->metric_unit);
				header = true;
			}
			fprintf(f, "%s%s%s %s\n", m->metric, sample_suffix, labels[i], val);
		}
	}
	state_info(f, v, labels, d);
	/* OpenMetrics' end; a comment to Prometheus 0.0.4 readers, where it still tells one
	 * sample from the next in a stream */
	fputs("# EOF\n", f);
	for (size_t i = 0; i < v->n; i++)
		free(labels[i]);
	free(labels);
	return stream_status(f);
}
