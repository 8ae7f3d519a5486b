/* Batch front end: text columns or JSON Lines, one block per iteration. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "container.h"
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

/* The text columns before the figures: name or path, and container details. */
struct text_cols {
	const char *title[8 + 16];
	size_t width[8 + 16];
	size_t n;
};

static size_t text_columns(struct text_cols *tc, const struct view *v, const struct options *opt,
			   bool *with_config)
{
	size_t n = 0;

	*with_config = false;
	for (size_t i = 0; i < v->n; i++)
		if (v->rows[i].ctr && container_label(v->rows[i].ctr, "config_id"))
			*with_config = true;
	tc->title[n++] = opt->all ? "Path" : v->n && v->rows[0].kind == VIEW_GROUP ? "Group" : "Name";
	if (opt->all) {
		tc->title[n++] = "Container";
	} else {
		tc->title[n++] = v->n && v->rows[0].kind == VIEW_GROUP ? "Containers" : "ID";
		if (*with_config && v->n && v->rows[0].kind != VIEW_GROUP)
			tc->title[n++] = "Config";
	}
	for (size_t l = 0; l < opt->nlabels && n < ARRAY_SIZE(tc->title); l++)
		tc->title[n++] = opt->labels[l];
	tc->n = n;
	return n;
}

/* The text cells of row R for the columns of TC, sanitized, newly allocated. */
static void text_cells(char **cells, const struct text_cols *tc, const struct view_row *r,
		       const struct options *opt, bool with_config)
{
	size_t n = 0;
	char tmp[32];

	cells[n++] = sanitize_dup(r->name);
	if (opt->all) {
		const char *name = r->ctr ? container_name(r->ctr) : NULL;

		cells[n++] = sanitize_dup(r->ctr ? (name ? name : r->ctr->unknown_name) : "");
	} else if (r->kind == VIEW_GROUP) {
		snprintf(tmp, sizeof(tmp), "%zu", r->ngroup);
		cells[n++] = xstrdup(tmp);
	} else {
		cells[n++] = xstrdup(r->ctr ? r->ctr->short_id : "");
		if (with_config) {
			const char *cfg = container_label(r->ctr, "config_id");

			cells[n++] = sanitize_dup(cfg ? cfg : r->ctr ? "-" : "");
		}
	}
	for (size_t l = 0; l < opt->nlabels && n < tc->n; l++) {
		const char *val = container_label(r->ctr, opt->labels[l]);

		cells[n++] = sanitize_dup(val ? val : r->ctr ? "-" : "");
	}
}

int output_text(FILE *f, const struct view *v, const struct snapshot *s, const struct options *opt)
{
	struct text_cols tc;
	bool with_config;
	size_t ncols = text_columns(&tc, v, opt, &with_config);
	char **cells = xcalloc((v->n ? v->n : 1) * ncols, sizeof(*cells));
	char ts[64];

	for (size_t c = 0; c < ncols; c++)
		tc.width[c] = text_width(tc.title[c]);
	for (size_t i = 0; i < v->n; i++) {
		text_cells(cells + i * ncols, &tc, &v->rows[i], opt, with_config);
		for (size_t c = 0; c < ncols; c++) {
			size_t w = text_width(cells[i * ncols + c]);

			if (w > tc.width[c])
				tc.width[c] = w;
		}
	}
	fprintf(f, "%s\n", format_rfc3339(ts, sizeof(ts), s->real_ns));
	for (size_t c = 0; c < ncols; c++)
		fprintf(f, "%-*s ", (int)tc.width[c], tc.title[c]);
	fprintf(f, "%7s %8s %9s %9s %9s\n", "Tasks", opt->cpu == CPU_TIME ? "CPU Time" : "%CPU",
		"Memory", "Read/s", "Write/s");
	for (size_t k = 0; k < v->n; k++) {
		const struct cg_row *r = &v->rows[k].fig;
		char tasks[24] = "-", cpu[32] = "-", mem[32], rd[40], wr[40];
		bool est = r->io_source == IO_SRC_PROC;

		/* pad by display width, not bytes, so UTF-8 names keep the columns straight */
		for (size_t c = 0; c < ncols; c++) {
			const char *cell = cells[k * ncols + c];

			fprintf(f, "%s%*s ", cell, (int)(tc.width[c] - text_width(cell)), "");
		}
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
		fprintf(f, "%7s %8s %9s %9s %9s\n", tasks, cpu,
			cell_bytes(mem, sizeof(mem), row_has(r, F_MEM_USAGE), r->mem_usage, opt->raw),
			cell_rate(rd, sizeof(rd), row_has(r, F_IO_RBPS), r->io_rbps, opt->raw, est),
			cell_rate(wr, sizeof(wr), row_has(r, F_IO_WBPS), r->io_wbps, opt->raw, est));
	}
	fputc('\n', f);
	for (size_t i = 0; i < v->n * ncols; i++)
		free(cells[i]);
	free(cells);
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

static struct json_object *jstr(const char *raw)
{
	char *clean;
	struct json_object *o;

	if (!raw)
		return NULL;
	clean = sanitize_dup(raw);
	o = json_object_new_string(clean);
	free(clean);
	return o;
}

/* The "container" object: identity, metadata, paths in every hierarchy. */
static struct json_object *container_json(const struct container_info *c)
{
	struct json_object *o = json_object_new_object(), *labels, *paths;
	const struct container_meta *m = c->meta;
	char *paunch = container_paunch_command(c);

	json_object_object_add(o, "id", json_object_new_string(c->ref.id));
	json_object_object_add(o, "short_id", json_object_new_string(c->short_id));
	json_object_object_add(o, "runtime", json_object_new_string(ctr_runtime_name(c->ref.runtime)));
	json_object_object_add(o, "name", jstr(container_name(c)));
	json_object_object_add(o, "name_known", json_object_new_boolean(container_name(c) != NULL));
	json_object_object_add(o, "engine_name", jstr(m ? m->engine_name : NULL));
	json_object_object_add(o, "image", jstr(m ? m->image : NULL));
	json_object_object_add(o, "state", jstr(m ? m->state : NULL));
	json_object_object_add(o, "health", jstr(m ? m->health : NULL));
	json_object_object_add(o, "config_id", jstr(container_label(c, "config_id")));
	json_object_object_add(o, "managed_by", jstr(container_label(c, "managed_by")));
	json_object_object_add(o, "main_pid", m && m->main_pid > 0 ? json_object_new_int(m->main_pid) : NULL);
	labels = json_object_new_object();
	for (size_t i = 0; m && i < m->nlabels; i++) {
		char *k = sanitize_dup(m->label_keys[i]);

		json_object_object_add(labels, k, jstr(m->label_values[i]));
		free(k);
	}
	json_object_object_add(o, "labels", m ? labels : NULL);
	if (!m)
		json_object_put(labels);
	paths = json_object_new_array();
	for (size_t i = 0; i < c->npaths; i++)
		json_object_array_add(paths, jstr(c->hier_paths[i]));
	json_object_object_add(o, "cgroups", paths);
	json_object_object_add(o, "paunch_command", jstr(paunch));
	free(paunch);
	return o;
}

static const char *kind_name(enum view_kind k)
{
	return k == VIEW_CONTAINER ? "container" : k == VIEW_GROUP ? "group" : "cgroup";
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
		json_object_object_add(o, "kind", json_object_new_string(kind_name(v->rows[k].kind)));
		json_object_object_add(o, "name", jstr(v->rows[k].name));
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
		if (v->rows[k].kind == VIEW_GROUP)
			json_object_object_add(o, "containers", json_object_new_uint64(v->rows[k].ngroup));
		if (v->rows[k].ctr)
			json_object_object_add(o, "container", container_json(v->rows[k].ctr));
		fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
		fputc('\n', f);
		json_object_put(o);
	}
	return stream_status(f);
}
