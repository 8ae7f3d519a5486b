/* Batch front end: text columns or JSON Lines, one block per iteration. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "container.h"
#include "fields.h"
#include "format.h"
#include "output.h"
#include "trouble.h"
#include "util.h"

static int stream_status(FILE *f)
{
	if (fflush(f) != 0 || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}

/* Text cells from a container engine (names, label values) wider than this are cut and
 * end in "...": a label value may be 64 KiB, a name 255 bytes of escapes, and one such
 * cell would widen its column in every row. Paths are never cut. JSON keeps it all. */
#define TEXT_CELL_MAX 64

/* Cut S (sanitized, newly allocated) to TEXT_CELL_MAX columns, whole characters only. */
static char *cell_clip(char *s)
{
	size_t i = 0, w = 0, n = strlen(s);

	if (text_width(s) <= TEXT_CELL_MAX)
		return s;
	while (i < n) {
		char one[8];
		size_t l = 1, cw;

		while (i + l < n && ((unsigned char)s[i + l] & 0xC0) == 0x80 && l < 4)
			l++;
		memcpy(one, s + i, l);
		one[l] = '\0';
		cw = text_width(one);
		if (w + cw > TEXT_CELL_MAX - 3)
			break;
		w += cw;
		i += l;
	}
	memcpy(s + i, "...", 4);
	return s;
}

/* The host's name as one text cell: sanitized, a blank escaped as the sanitizer escapes
 * control bytes (so the cell stays one field for awk), "-" when not known. */
static char *host_cell(const char *host)
{
	char *clean, *out;
	size_t n = 0;

	if (!host || !*host)
		return xstrdup("-");
	clean = sanitize_dup(host);
	out = xmalloc(4 * strlen(clean) + 1);
	for (const char *p = clean; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			n += (size_t)sprintf(out + n, "\\x%02x", (unsigned char)*p);
			continue;
		}
		out[n++] = *p;
	}
	out[n] = '\0';
	free(clean);
	return out;
}

/* The text columns before the figures: with --stamp the time and host, then name or path,
 * and container details. */
struct text_cols {
	const char *title[TEXT_COLS_MAX];
	size_t width[TEXT_COLS_MAX];
	size_t n;
	size_t first_name;  /* the index of the Name (Path, Group) column */
};

static size_t text_columns(struct text_cols *tc, const struct view *v, const struct options *opt,
			   bool *with_config)
{
	size_t n = 0;

	*with_config = false;
	for (size_t i = 0; i < v->n; i++)
		if (v->rows[i].ctr && container_label(v->rows[i].ctr, "config_id"))
			*with_config = true;
	if (opt->stamp) {
		tc->title[n++] = "Time";
		tc->title[n++] = "Host";
	}
	tc->first_name = n;
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

/* The text cells of row R for the columns of TC, sanitized, newly allocated; TS and HOST
 * are those of the sample (for --stamp). */
static void text_cells(char **cells, const struct text_cols *tc, const struct view_row *r,
		       const struct options *opt, bool with_config, const char *ts, const char *host)
{
	size_t n = 0;
	char tmp[32];

	if (opt->stamp) {
		cells[n++] = xstrdup(ts);
		cells[n++] = xstrdup(host);
	}
	cells[n] = sanitize_dup(r->name);
	if (r->kind != VIEW_CGROUP) /* a container's name or a label's value, not a path */
		cells[n] = cell_clip(cells[n]);
	n++;
	if (opt->all) {
		char shown[CONTAINER_SHOWN_MAX];
		/* a pod's own cgroup: namespace/pod */
		const char *pod = !r->ctr && r->pod && r->pod->path == r->path ? container_name(r->pod) : NULL;

		cells[n++] = cell_clip(sanitize_dup(r->ctr ? container_shown_name(r->ctr, shown, sizeof(shown))
						    : pod ? pod : ""));
	} else if (r->kind == VIEW_GROUP) {
		snprintf(tmp, sizeof(tmp), "%zu", (size_t)r->ngroup);
		cells[n++] = xstrdup(tmp);
	} else {
		cells[n++] = xstrdup(r->ctr ? container_short_id(r->ctr) : "");
		if (with_config) {
			const char *cfg = container_label(r->ctr, "config_id");

			cells[n++] = cell_clip(sanitize_dup(cfg ? cfg : r->ctr ? "-" : ""));
		}
	}
	for (size_t l = 0; l < opt->nlabels && n < tc->n; l++) {
		const char *val = container_label(r->ctr, opt->labels[l]);

		cells[n++] = cell_clip(sanitize_dup(val ? val : r->ctr ? "-" : ""));
	}
}

/* The width the column TITLE keeps in LAYOUT: the one it had in the first sample that
 * showed it, else (a new column) WANT, remembered from now on. */
static size_t kept_width(struct text_layout *layout, const char *title, size_t want)
{
	if (!layout)
		return want;
	for (size_t i = 0; i < layout->n; i++)
		if (strcmp(layout->title[i], title) == 0)
			return layout->width[i];
	if (layout->n < ARRAY_SIZE(layout->title)) {
		layout->title[layout->n] = title;
		layout->width[layout->n++] = want;
	}
	return want;
}

/* The figures' columns of the text output: their titles (R NULL) or R's cells, each
 * right-aligned in its width, then the end of the line. */
static void figure_columns(FILE *f, const struct cg_row *r, const struct options *opt)
{
	const char *sep = "";
	char state[64];

	/* a container that is not running: its state where its figures would be */
	if (r && fig_state_text(r, state, sizeof(state))) {
		fprintf(f, "%s\n", state);
		return;
	}
	/* the line is made here and written at once: fprintf's "%*s" for each cell cost a
	 * fifth of a text refresh */
	char line[F_COUNT * 64], *p = line;

	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *fig = &figures[i];
		char buf[48];
		const char *cell;
		size_t n;

		if (!fig->text_width || !fig_column_shown(fig, opt->cpu == CPU_TIME))
			continue;
		cell = r ? fig_cell(fig, r, opt->raw ? CELL_RAW : 0, buf, sizeof(buf)) : fig->title;
		n = strlen(cell);
		if (n > 48)
			n = 48; /* a cell is at most its buffer; a title is a word */
		p = stpcpy(p, sep);
		for (size_t w = n; w < (size_t)fig->text_width; w++)
			*p++ = ' ';
		memcpy(p, cell, n);
		p += n;
		sep = " ";
	}
	*p++ = '\n';
	fwrite(line, 1, (size_t)(p - line), f);
}

/* A line per row with an OOM kill, a memory limit hit or a refused fork in the last
 * interval: "TIME event keystone (b25aa6e03826): 1 OOM kill, memory limit 64.0M"; with
 * --stamp the host (in its column's width) after the time. */
static void text_events(FILE *f, const struct view *v, const char *ts, const char *host, int host_width)
{
	for (size_t k = 0; k < v->n; k++) {
		char what[256], who[512];
		_cleanup_free_ char *clean = NULL;

		if (!trouble_event_row(&v->rows[k]) || !trouble_event(v->rows[k].fig, what, sizeof(what)))
			continue;
		clean = sanitize_dup(trouble_row_name(&v->rows[k], true, who, sizeof(who)));
		if (host)
			fprintf(f, "%s %s%*s event %s: %s\n", ts, host,
				host_width - (int)text_width(host), "", clean, what);
		else
			fprintf(f, "%s event %s: %s\n", ts, clean, what);
	}
	for (size_t k = 0; k < v->n; k++) {
		char what[256], who[512], kinds[64];
		_cleanup_free_ char *clean = NULL;
		int prio;

		if (!trouble_life_event(&v->rows[k], what, sizeof(what), kinds, sizeof(kinds), &prio))
			continue;
		clean = sanitize_dup(trouble_row_name(&v->rows[k], true, who, sizeof(who)));
		fprintf(f, "%s event %s: %s\n", ts, clean, what);
	}
}

/* N spaces */
static void pad(FILE *f, size_t n)
{
	static const char spaces[] = "                                ";

	for (size_t k; n; n -= k) {
		k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		fwrite(spaces, 1, k, f);
	}
}

/* Row R's cells in CELLS (text_cells()) and their display widths in W. */
static void row_cells(char **cells, size_t *w, const struct text_cols *tc, const struct view_row *r,
		      const struct options *opt, bool with_config, const char *ts, const char *host)
{
	text_cells(cells, tc, r, opt, with_config, ts, host);
	for (size_t c = 0; c < tc->n; c++)
		w[c] = text_width(cells[c]);
}

static void free_cells(char **cells, size_t n)
{
	for (size_t c = 0; c < n; c++)
		free(cells[c]);
}

int output_text(FILE *f, struct text_layout *layout, const struct view *v, const struct sample *s,
		const struct options *opt)
{
	struct text_cols tc;
	bool with_config;
	size_t ncols = text_columns(&tc, v, opt, &with_config);
	char *cells[TEXT_COLS_MAX];
	size_t w[TEXT_COLS_MAX];
	_cleanup_free_ char *host = host_cell(s->hostname);
	char ts[64];

	format_rfc3339(ts, sizeof(ts), s->snap->real_ns);
	for (size_t c = 0; c < ncols; c++) {
		tc.width[c] = text_width(tc.title[c]);
		/* room for most container names from the first sample on */
		if ((c == tc.first_name || (opt->all && c == tc.first_name + 1)) &&
		    tc.width[c] < TEXT_NAME_MIN)
			tc.width[c] = TEXT_NAME_MIN;
	}
	/* Two passes over the rows, each making a row's cells and freeing them: the widths,
	 * then the lines. Every cell of every row kept until printing took 1 MB at 10,000
	 * rows; making them twice costs little (the figures, most of a line, once). */
	for (size_t i = 0; i < v->n; i++) {
		row_cells(cells, w, &tc, &v->rows[i], opt, with_config, ts, host);
		for (size_t c = 0; c < ncols; c++)
			if (w[c] > tc.width[c])
				tc.width[c] = w[c];
		free_cells(cells, ncols);
	}
	/* a log's columns stay where its first sample put them; a longer cell later pushes
	 * only the rest of its own row */
	for (size_t c = 0; c < ncols; c++)
		tc.width[c] = kept_width(layout, tc.title[c], tc.width[c]);
	fprintf(f, "%s\n", ts);
	for (size_t c = 0; c < ncols; c++)
		fprintf(f, "%-*s ", (int)tc.width[c], tc.title[c]);
	figure_columns(f, NULL, opt);
	for (size_t k = 0; k < v->n; k++) {
		row_cells(cells, w, &tc, &v->rows[k], opt, with_config, ts, host);
		/* pad by display width, not bytes, so UTF-8 names keep the columns straight */
		for (size_t c = 0; c < ncols; c++) {
			fputs(cells[c], f);
			pad(f, (w[c] < tc.width[c] ? tc.width[c] - w[c] : 0) + 1);
		}
		free_cells(cells, ncols);
		figure_columns(f, v->rows[k].fig, opt);
	}
	text_events(f, v, ts, opt->stamp ? host : NULL, opt->stamp ? (int)tc.width[1] : 0);
	fputc('\n', f);
	return stream_status(f);
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

/* The value of attribute A for R (written with X) as JSON: null when not known. */
static struct json_object *attr_json(const struct row_attr *a, const struct view_row *r,
				     const struct attr_ctx *x);

/* The attributes of R that JSON object OBJ carries, in or after (TAIL) its head. */
static void add_attrs(struct json_object *o, enum attr_obj obj, bool tail, const struct view_row *r,
		      const struct attr_ctx *x)
{
	for (size_t i = 0; i < row_attrs_n; i++) {
		const struct row_attr *a = &row_attrs[i];

		if (!a->json[obj] || (obj != AOBJ_CONTAINER && a->json_tail != tail))
			continue;
		if (obj == AOBJ_ROW && a->row_if && !a->row_if(r))
			continue;
		json_object_object_add(o, a->json[obj], attr_json(a, r, x));
	}
}

static struct json_object *attr_json(const struct row_attr *a, const struct view_row *r,
				     const struct attr_ctx *x)
{
	struct attr_val v = { 0 };
	struct json_object *o = NULL;

	if (!a->get(r, x, &v))
		return NULL;
	switch (a->type) {
	case ATTR_STRING:
		o = v.clean ? json_object_new_string(v.s) : jstr(v.s);
		break;
	case ATTR_INT:
		o = json_object_new_int64(v.n);
		break;
	case ATTR_BOOL:
		o = json_object_new_boolean(v.b);
		break;
	case ATTR_MAP:
		o = json_object_new_object();
		for (size_t i = 0; i < v.count; i++) {
			char *k = sanitize_dup(v.keys[i]);

			json_object_object_add(o, k, jstr(v.vals[i]));
			free(k);
		}
		break;
	case ATTR_LIST:
		o = json_object_new_array();
		for (size_t i = 0; i < v.count; i++)
			json_object_array_add(o, jstr(v.vals[i]));
		break;
	case ATTR_OBJECT:
		o = json_object_new_object();
		add_attrs(o, AOBJ_CONTAINER, false, r, x);
		break;
	}
	attr_val_free(&v);
	return o;
}

/* Every figure of R under its key: a number, or null when not known (and, for a limit,
 * whether there is none). */
static void add_figures(struct json_object *o, const struct cg_row *r)
{
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *f = &figures[i];
		struct json_object *val = NULL;

		if (f->kind == FIG_DERIVED)
			continue;
		if (fig_limited(f, r)) {
			switch (f->number) {
			case NUM_U64:
				val = json_object_new_uint64(fig_u64(f, r));
				break;
			case NUM_ROUND:
				val = json_object_new_uint64((uint64_t)llround(fig_double(f, r)));
				break;
			case NUM_DECIMAL3:
				val = json_object_new_double(round(fig_double(f, r) * 1000.0) / 1000.0);
				break;
			case NUM_WORD:
				val = f->word((unsigned)fig_u64(f, r)) ?
					      json_object_new_string(f->word((unsigned)fig_u64(f, r))) : NULL;
				break;
			}
		}
		json_object_object_add(o, f->key, val);
		if (f->unlimited_key)
			json_object_object_add(o, f->unlimited_key,
					       row_has(r, f->id) ? json_object_new_boolean(!fig_limited(f, r)) : NULL);
	}
}

/* The figures an event object carries. */
static const enum cg_field event_figures[] = {
	F_MEM_OOM_KILLS_NEW, F_MEM_OOM_KILLS_SINCE, F_MEM_LIMIT_HITS_NEW, F_MEM_LIMIT_HITS_SINCE,
	F_MEM_LIMIT, F_MEM_USAGE, F_PIDS_REFUSED_NEW, F_PIDS_REFUSED_SINCE, F_PIDS_LIMIT, F_TASKS,
};

/* An object per row with an OOM kill, a memory limit hit or a refused fork in the last
 * interval, after the sample's rows: {"kind":"event","event":"oom_kill",...}. */
static void json_events(FILE *f, const struct view *v, const char *ts, const char *host,
			unsigned long iteration)
{
	for (size_t k = 0; k < v->n; k++) {
		const struct view_row *vr = &v->rows[k];
		char what[256], kinds[64];
		struct json_object *o;
		struct attr_ctx x = { .time = ts, .host = host, .iteration = iteration, .message = what };

		if (!trouble_event_row(vr) || !trouble_event(vr->fig, what, sizeof(what)))
			continue;
		o = json_object_new_object();
		x.event = trouble_event_kinds(vr->fig, kinds, sizeof(kinds));
		add_attrs(o, AOBJ_EVENT, false, vr, &x);
		for (size_t i = 0; i < sizeof(event_figures) / sizeof(event_figures[0]); i++) {
			const struct figure *fig = figure(event_figures[i]);

			json_object_object_add(o, fig->key, fig_limited(fig, vr->fig) ?
					       json_object_new_uint64(fig_u64(fig, vr->fig)) : NULL);
		}
		add_attrs(o, AOBJ_EVENT, true, vr, &x);
		fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
		fputc('\n', f);
		json_object_put(o);
	}
	/* then the containers' lifecycle events: {"kind":"event","event":"restart stop",...} */
	for (size_t k = 0; k < v->n; k++) {
		const struct view_row *vr = &v->rows[k];
		char what[256], kinds[64];
		struct json_object *o;
		struct attr_ctx x = { .time = ts, .host = host, .iteration = iteration, .message = what,
				      .event = kinds };

		if (!trouble_life_event(vr, what, sizeof(what), kinds, sizeof(kinds), &x.priority))
			continue;
		o = json_object_new_object();
		add_attrs(o, AOBJ_LIFE, false, vr, &x);
		for (enum cg_field fi = F_CTR_STATE; fi <= F_CTR_FINISHED_AT; fi++) {
			const struct figure *fig = figure(fi);
			char num[64];

			if (fig->number == NUM_WORD)
				json_object_object_add(o, fig->key, jstr(fig_number(fig, vr->fig, false, num, sizeof(num))));
			else
				json_object_object_add(o, fig->key, fig_limited(fig, vr->fig) ?
						       json_object_new_uint64(fig_u64(fig, vr->fig)) : NULL);
		}
		/* the health log, and the container as its rows have it: full ID, labels, image */
		add_attrs(o, AOBJ_LIFE, true, vr, &x);
		fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
		fputc('\n', f);
		json_object_put(o);
	}
}

int output_json(FILE *f, const struct view *v, const struct sample *s, const struct options *opt,
		unsigned long iteration)
{
	char ts[64];
	struct attr_ctx x = { .time = ts, .host = s->hostname, .iteration = iteration };

	format_rfc3339(ts, sizeof(ts), s->snap->real_ns);
	for (size_t k = 0; k < v->n; k++) {
		struct json_object *o = json_object_new_object();

		add_attrs(o, AOBJ_ROW, false, &v->rows[k], &x);
		add_figures(o, v->rows[k].fig);
		add_attrs(o, AOBJ_ROW, true, &v->rows[k], &x);
		fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
		fputc('\n', f);
		json_object_put(o);
	}
	json_events(f, v, ts, s->hostname, iteration);
	return stream_status(f);
}
