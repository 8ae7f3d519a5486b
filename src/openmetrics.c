/* Metrics front end: OpenMetrics 1.0 and Prometheus 0.0.4 text expositions of a view. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "container.h"
#include "format.h"
#include "openmetrics.h"
#include "util.h"

enum metric_id {
	M_TASKS,
	M_CPU_SECONDS,
	M_CPU_PERCENT,
	M_MEM,
	M_MEM_WS,
	M_MEM_CACHE,
	M_MEM_LIMIT,
	M_IO_RBYTES,
	M_IO_WBYTES,
	M_IO_RIOS,
	M_IO_WIOS,
	M_IO_RBPS,
	M_IO_WBPS,
	M_IO_RIOPS,
	M_IO_WIOPS,
};

struct metric {
	enum metric_id id;
	const char *name; /* the OpenMetrics family name: counters without _total */
	bool counter;
	const char *unit; /* the name's unit suffix, or NULL */
	const char *help;
};

static const struct metric metrics[] = {
	{ M_TASKS, "cgtop_tasks", false, NULL,
	  "Tasks: pids.current (threads), else the processes in cgroup.procs of the cgroup and its descendants." },
	{ M_CPU_SECONDS, "cgtop_cpu_seconds", true, "seconds",
	  "CPU time used: cpuacct.usage (v1) or usage_usec of cpu.stat (v2)." },
	{ M_CPU_PERCENT, "cgtop_cpu_percent", false, "percent",
	  "CPU use over the last interval; 100 is one CPU busy." },
	{ M_MEM, "cgtop_memory_bytes", false, "bytes",
	  "Memory use: memory.usage_in_bytes (v1) or memory.current (v2)." },
	{ M_MEM_WS, "cgtop_memory_working_set_bytes", false, "bytes",
	  "Memory use less inactive file pages (what docker stats shows)." },
	{ M_MEM_CACHE, "cgtop_memory_cache_bytes", false, "bytes",
	  "Page cache: total_cache (v1) or file (v2) of memory.stat." },
	{ M_MEM_LIMIT, "cgtop_memory_limit_bytes", false, "bytes",
	  "Memory limit: memory.limit_in_bytes (v1) or memory.max (v2); no sample when unlimited." },
	{ M_IO_RBYTES, "cgtop_io_read_bytes", true, "bytes",
	  "Bytes read from block devices (blkio or io.stat)." },
	{ M_IO_WBYTES, "cgtop_io_write_bytes", true, "bytes",
	  "Bytes written to block devices (blkio or io.stat)." },
	{ M_IO_RIOS, "cgtop_io_read_ops", true, NULL,
	  "Read operations on block devices (blkio or io.stat)." },
	{ M_IO_WIOS, "cgtop_io_write_ops", true, NULL,
	  "Write operations on block devices (blkio or io.stat)." },
	{ M_IO_RBPS, "cgtop_io_read_bytes_per_second", false, "bytes_per_second",
	  "Bytes read per second over the last interval (estimated from /proc/PID/io where the kernel keeps no counters)." },
	{ M_IO_WBPS, "cgtop_io_write_bytes_per_second", false, "bytes_per_second",
	  "Bytes written per second over the last interval (estimated from /proc/PID/io where the kernel keeps no counters)." },
	{ M_IO_RIOPS, "cgtop_io_read_ops_per_second", false, NULL,
	  "Read operations per second over the last interval." },
	{ M_IO_WIOPS, "cgtop_io_write_ops_per_second", false, NULL,
	  "Write operations per second over the last interval." },
};

/* The value of metric M for R as text, or NULL when it is not known. */
static const char *metric_value(enum metric_id m, const struct cg_row *r, char *buf, size_t len)
{
	switch (m) {
#define U64(bit, field)                                                        \
	if (!row_has(r, bit))                                                  \
		return NULL;                                                   \
	snprintf(buf, len, "%llu", (unsigned long long)r->field);              \
	return buf;
#define RATE(bit, field)                                                       \
	return row_has(r, bit) && isfinite(r->field) ? format_decimal(buf, len, r->field, 3) : NULL;
	case M_TASKS:
		U64(F_TASKS, tasks)
	case M_CPU_SECONDS:
		return row_has(r, F_CPU_NS) ? format_ns_seconds(buf, len, r->cpu_ns) : NULL;
	case M_CPU_PERCENT:
		RATE(F_CPU_RATE, cpu_percent)
	case M_MEM:
		U64(F_MEM_USAGE, mem_usage)
	case M_MEM_WS:
		U64(F_MEM_WS, mem_ws)
	case M_MEM_CACHE:
		U64(F_MEM_CACHE, mem_cache)
	case M_MEM_LIMIT:
		if (r->mem_limit == UINT64_MAX)
			return NULL; /* unlimited: no number describes it */
		U64(F_MEM_LIMIT, mem_limit)
	case M_IO_RBYTES:
		U64(F_IO_RBYTES, io_rbytes)
	case M_IO_WBYTES:
		U64(F_IO_WBYTES, io_wbytes)
	case M_IO_RIOS:
		U64(F_IO_RIOS, io_rios)
	case M_IO_WIOS:
		U64(F_IO_WIOS, io_wios)
	case M_IO_RBPS:
		RATE(F_IO_RBPS, io_rbps)
	case M_IO_WBPS:
		RATE(F_IO_WBPS, io_wbps)
	case M_IO_RIOPS:
		RATE(F_IO_RIOPS, io_riops)
	case M_IO_WIOPS:
		RATE(F_IO_WIOPS, io_wiops)
#undef U64
#undef RATE
	}
	return NULL;
}

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

static const char *kind_label(enum view_kind k)
{
	return k == VIEW_CONTAINER ? "container" : k == VIEW_GROUP ? "group" : "cgroup";
}

/* "{path=\"…\",name=\"…\",…}" for row R, newly allocated (B is scratch space). */
static char *row_labels(struct buf *b, const struct view_row *r)
{
	const struct container_info *c = r->ctr;
	const struct container_meta *m = c ? c->meta : NULL;

	b->len = 0;
	buf_reserve(b, 256);
	b->data[b->len++] = '{';
	b->data[b->len] = '\0';
	add_label(b, "path", r->path);
	add_label(b, "name", r->name);
	add_label(b, "container_id", c ? c->short_id : NULL);
	add_label(b, "image", m ? m->image : NULL);
	add_label(b, "config_id", c ? container_label(c, "config_id") : NULL);
	add_label(b, "kind", kind_label(r->kind));
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

int output_metrics(FILE *f, const struct view *v, enum metrics_dialect d)
{
	char **labels = xcalloc(v->n ? v->n : 1, sizeof(*labels));
	struct buf scratch = { 0 };

	for (size_t i = 0; i < v->n; i++)
		labels[i] = row_labels(&scratch, &v->rows[i]);
	buf_free(&scratch);
	for (size_t k = 0; k < ARRAY_SIZE(metrics); k++) {
		const struct metric *m = &metrics[k];
		/* Prometheus 0.0.4 names the family as its samples; OpenMetrics without _total */
		const char *family_suffix = m->counter && d == METRICS_PROMETHEUS ? "_total" : "";
		const char *sample_suffix = m->counter ? "_total" : "";
		bool header = false;

		for (size_t i = 0; i < v->n; i++) {
			char val[64];

			if (!metric_value(m->id, &v->rows[i].fig, val, sizeof(val)))
				continue;
			if (!header) {
				fprintf(f, "# HELP %s%s %s\n", m->name, family_suffix, m->help);
				fprintf(f, "# TYPE %s%s %s\n", m->name, family_suffix, m->counter ? "counter" : "gauge");
				if (m->unit && d == METRICS_OPENMETRICS)
					fprintf(f, "# UNIT %s %s\n", m->name, m->unit);
				header = true;
			}
			fprintf(f, "%s%s%s %s\n", m->name, sample_suffix, labels[i], val);
		}
	}
	/* OpenMetrics' end; a comment to Prometheus 0.0.4 readers, where it still tells one
	 * sample from the next in a stream */
	fputs("# EOF\n", f);
	for (size_t i = 0; i < v->n; i++)
		free(labels[i]);
	free(labels);
	return stream_status(f);
}
