/* Batch front end: text columns or JSON Lines, one block per iteration. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "format.h"
#include "output.h"
#include "util.h"

struct sort_ctx {
	const struct snapshot *s;
	enum sort_order order;
	bool reverse;
	bool cpu_time;
};

static struct sort_ctx sort_ctx; /* qsort has no user pointer */

/* A row's key for ORDER; false when the row has no value for it. */
static bool sort_key(const struct cg_row *r, enum sort_order o, double *k)
{
	switch (o) {
	case ORDER_TASKS:
		*k = (double)r->tasks;
		return row_has(r, F_TASKS);
	case ORDER_CPU:
		if (sort_ctx.cpu_time) {
			*k = (double)r->cpu_ns;
			return row_has(r, F_CPU_NS);
		}
		*k = r->cpu_percent;
		return row_has(r, F_CPU_RATE);
	case ORDER_MEMORY:
		*k = (double)r->mem_usage;
		return row_has(r, F_MEM_USAGE);
	case ORDER_IO:
		*k = r->io_rbps + r->io_wbps;
		return row_has(r, F_IO_RBPS) || row_has(r, F_IO_WBPS);
	case ORDER_PATH:
		break;
	}
	return false;
}

static int cmp_rows(const void *a, const void *b)
{
	const struct cg_row *x = &sort_ctx.s->rows[*(const size_t *)a];
	const struct cg_row *y = &sort_ctx.s->rows[*(const size_t *)b];
	double kx = 0, ky = 0;
	bool hx, hy;
	int c = 0;

	if (sort_ctx.order != ORDER_PATH) {
		hx = sort_key(x, sort_ctx.order, &kx);
		hy = sort_key(y, sort_ctx.order, &ky);
		if (hx != hy)
			return hx ? -1 : 1; /* rows without a value last, whatever the direction */
		if (hx && kx != ky)
			c = kx > ky ? -1 : 1; /* biggest first */
		if (c)
			return sort_ctx.reverse ? -c : c;
	}
	c = strcmp(x->path, y->path);
	return sort_ctx.order == ORDER_PATH && sort_ctx.reverse ? -c : c;
}

size_t *rows_sorted_opt(const struct snapshot *s, enum sort_order order, bool reverse, bool cpu_time)
{
	size_t *idx = xmalloc((s->n ? s->n : 1) * sizeof(*idx));

	for (size_t i = 0; i < s->n; i++)
		idx[i] = i;
	sort_ctx = (struct sort_ctx){ s, order, reverse, cpu_time };
	qsort(idx, s->n, sizeof(*idx), cmp_rows);
	return idx;
}

size_t *rows_sorted(const struct snapshot *s, enum sort_order order, bool reverse)
{
	return rows_sorted_opt(s, order, reverse, false);
}

static int stream_status(FILE *f)
{
	if (fflush(f) != 0 || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

static const char *cell_bytes(char *buf, size_t len, bool valid, uint64_t v, bool raw)
{
	if (!valid)
		return "-";
	if (raw)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else
		format_bytes(buf, len, v);
	return buf;
}

/* I/O rate cell; estimates from /proc/<pid>/io are marked with '~'. */
static const char *cell_rate(char *buf, size_t len, bool valid, double v, bool raw, bool estimate)
{
	char tmp[32];

	if (!valid)
		return "-";
	if (raw)
		snprintf(tmp, sizeof(tmp), "%.0f", v);
	else
		format_bytes(tmp, sizeof(tmp), (uint64_t)llround(v));
	snprintf(buf, len, "%s%s", estimate ? "~" : "", tmp);
	return buf;
}

int output_text(FILE *f, const struct snapshot *s, const struct options *opt)
{
	_cleanup_free_ size_t *idx = rows_sorted_opt(s, opt->order, opt->reverse, opt->cpu == CPU_TIME);
	char **names = xcalloc(s->n ? s->n : 1, sizeof(*names));
	char ts[64];
	size_t w = 4;

	for (size_t i = 0; i < s->n; i++) {
		size_t tw;

		names[i] = sanitize_dup(s->rows[i].path);
		tw = text_width(names[i]);
		if (tw > w)
			w = tw;
	}
	fprintf(f, "%s\n", format_rfc3339(ts, sizeof(ts), s->real_ns));
	fprintf(f, "%-*s %7s %8s %9s %9s %9s\n", (int)w, "Path", "Tasks",
		opt->cpu == CPU_TIME ? "CPU Time" : "%CPU", "Memory", "Read/s", "Write/s");
	for (size_t k = 0; k < s->n; k++) {
		const struct cg_row *r = &s->rows[idx[k]];
		const char *name = names[idx[k]];
		char tasks[24] = "-", cpu[32] = "-", mem[32], rd[40], wr[40];
		bool est = r->io_source == IO_SRC_PROC;

		if (row_has(r, F_TASKS))
			snprintf(tasks, sizeof(tasks), "%llu", (unsigned long long)r->tasks);
		if (opt->cpu == CPU_TIME && row_has(r, F_CPU_NS)) {
			if (opt->raw)
				snprintf(cpu, sizeof(cpu), "%llu", (unsigned long long)r->cpu_ns);
			else
				format_cpu_time(cpu, sizeof(cpu), r->cpu_ns);
		} else if (opt->cpu == CPU_PERCENT && row_has(r, F_CPU_RATE)) {
			snprintf(cpu, sizeof(cpu), opt->raw ? "%.3f" : "%.1f", r->cpu_percent);
		}
		/* pad by display width, not bytes, so UTF-8 names keep the columns straight */
		fprintf(f, "%s%*s %7s %8s %9s %9s %9s\n", name, (int)(w - text_width(name)), "", tasks, cpu,
			cell_bytes(mem, sizeof(mem), row_has(r, F_MEM_USAGE), r->mem_usage, opt->raw),
			cell_rate(rd, sizeof(rd), row_has(r, F_IO_RBPS), r->io_rbps, opt->raw, est),
			cell_rate(wr, sizeof(wr), row_has(r, F_IO_WBPS), r->io_wbps, opt->raw, est));
	}
	fputc('\n', f);
	for (size_t i = 0; i < s->n; i++)
		free(names[i]);
	free(names);
	return stream_status(f);
}

const char *io_source_name(enum io_source src)
{
	switch (src) {
	case IO_SRC_THROTTLE:
		return "blkio-throttle";
	case IO_SRC_CFQ:
		return "blkio-cfq";
	case IO_SRC_BFQ:
		return "blkio-bfq";
	case IO_SRC_IOSTAT:
		return "io.stat";
	case IO_SRC_PROC:
		return "proc";
	case IO_SRC_NONE:
		break;
	}
	return NULL;
}

static void add_u64(struct json_object *o, const char *key, bool valid, uint64_t v)
{
	json_object_object_add(o, key, valid ? json_object_new_uint64(v) : NULL);
}

static void add_double(struct json_object *o, const char *key, bool valid, double v)
{
	json_object_object_add(o, key, valid ? json_object_new_double(round(v * 1000.0) / 1000.0) : NULL);
}

int output_json(FILE *f, const struct snapshot *s, const struct options *opt, unsigned long iteration)
{
	_cleanup_free_ size_t *idx = rows_sorted_opt(s, opt->order, opt->reverse, opt->cpu == CPU_TIME);
	char ts[64];

	format_rfc3339(ts, sizeof(ts), s->real_ns);
	for (size_t k = 0; k < s->n; k++) {
		const struct cg_row *r = &s->rows[idx[k]];
		struct json_object *o = json_object_new_object();
		_cleanup_free_ char *path = sanitize_dup(r->path);
		const char *src = io_source_name((enum io_source)r->io_source);
		bool limited = row_has(r, F_MEM_LIMIT) && r->mem_limit != UINT64_MAX;

		json_object_object_add(o, "time", json_object_new_string(ts));
		json_object_object_add(o, "iteration", json_object_new_uint64(iteration));
		json_object_object_add(o, "path", json_object_new_string(path));
		json_object_object_add(o, "depth", json_object_new_int((int)r->depth));
		add_u64(o, "tasks", row_has(r, F_TASKS), r->tasks);
		add_double(o, "cpu_percent", row_has(r, F_CPU_RATE), r->cpu_percent);
		add_u64(o, "cpu_ns", row_has(r, F_CPU_NS), r->cpu_ns);
		add_u64(o, "memory_bytes", row_has(r, F_MEM_USAGE), r->mem_usage);
		add_u64(o, "memory_working_set_bytes", row_has(r, F_MEM_WS), r->mem_ws);
		add_u64(o, "memory_cache_bytes", row_has(r, F_MEM_CACHE), r->mem_cache);
		add_u64(o, "memory_limit_bytes", limited, r->mem_limit);
		json_object_object_add(o, "memory_unlimited",
				       row_has(r, F_MEM_LIMIT) ? json_object_new_boolean(!limited) : NULL);
		add_u64(o, "io_read_bytes", row_has(r, F_IO_RBYTES), r->io_rbytes);
		add_u64(o, "io_write_bytes", row_has(r, F_IO_WBYTES), r->io_wbytes);
		add_u64(o, "io_read_ops", row_has(r, F_IO_RIOS), r->io_rios);
		add_u64(o, "io_write_ops", row_has(r, F_IO_WIOS), r->io_wios);
		add_u64(o, "io_read_bps", row_has(r, F_IO_RBPS), (uint64_t)llround(r->io_rbps));
		add_u64(o, "io_write_bps", row_has(r, F_IO_WBPS), (uint64_t)llround(r->io_wbps));
		add_double(o, "io_read_iops", row_has(r, F_IO_RIOPS), r->io_riops);
		add_double(o, "io_write_iops", row_has(r, F_IO_WIOPS), r->io_wiops);
		json_object_object_add(o, "io_source", src ? json_object_new_string(src) : NULL);
		fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
		fputc('\n', f);
		json_object_put(o);
	}
	return stream_status(f);
}
