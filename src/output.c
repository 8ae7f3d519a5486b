/* Batch front end: text columns or JSON Lines, one block per iteration. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "format.h"
#include "output.h"
#include "util.h"

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

int output_text(FILE *f, const struct view *v, const struct snapshot *s, const struct options *opt)
{
	char **names = xcalloc(v->n ? v->n : 1, sizeof(*names));
	char ts[64];
	size_t w = 4;

	for (size_t i = 0; i < v->n; i++) {
		size_t tw;

		names[i] = sanitize_dup(v->rows[i].name);
		tw = text_width(names[i]);
		if (tw > w)
			w = tw;
	}
	fprintf(f, "%s\n", format_rfc3339(ts, sizeof(ts), s->real_ns));
	fprintf(f, "%-*s %7s %8s %9s %9s %9s\n", (int)w, "Path", "Tasks",
		opt->cpu == CPU_TIME ? "CPU Time" : "%CPU", "Memory", "Read/s", "Write/s");
	for (size_t k = 0; k < v->n; k++) {
		const struct cg_row *r = &v->rows[k].fig;
		const char *name = names[k];
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
	for (size_t i = 0; i < v->n; i++)
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

int output_json(FILE *f, const struct view *v, const struct snapshot *s, const struct options *opt,
		unsigned long iteration)
{
	char ts[64];

	format_rfc3339(ts, sizeof(ts), s->real_ns);
	for (size_t k = 0; k < v->n; k++) {
		const struct cg_row *r = &v->rows[k].fig;
		struct json_object *o = json_object_new_object();
		_cleanup_free_ char *path = sanitize_dup(v->rows[k].path);
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
