/* The table screen: one line per row of the model, in columns. The columns are a table
 * (the container's identity, then the table of figures) that layout, titles and cells
 * loop over; a narrow terminal keeps them in a stated order of priority (layout_columns). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "container.h"
#include "fields.h"
#include "format.h"
#include "history.h"
#include "tui_draw.h"
#include "tui_screen.h"
#include "util.h"

/* Columns, in the order they are drawn: the container's identity, the labels asked for
 * with --label (as many as LABELS_MAX), then every figure of the table of figures
 * (fields.c) that has a screen width, in its order. */
#define LABELS_MAX 16
enum {
	COL_TREND,      /* T: a sparkline of the figure the rows are ordered by */
	COL_ID,
	COL_CONFIG,
	COL_LABELS,
	COL_FIGURES = COL_LABELS + LABELS_MAX,
	COL__N = COL_FIGURES + F_COUNT,
};

/* Which columns a narrow terminal keeps, the most wanted first (man/cgtop.1 says the
 * same). Rank 0 is never left out: the name (NAME_MIN columns at least), %CPU (or CPU
 * Time), Memory and the column the rows are ordered by. Then the figures that answer an
 * incident's questions, by their entry's tui_drop: Flags (1), %Lim (2); then the name
 * takes what is left, up to its longest (RANK_NAME_FULL); then the labels the user asked
 * for; then Tasks (5), Read/s (6), Write/s (8), IO/s (9); then ID, NetRx/s and NetTx/s
 * (11: a container's network, where it has one of its own), Config. A column that does
 * not fit is left out and the next one tried; what no column takes widens the name. */
enum {
	RANK_NAME_FULL = 3,
	RANK_LABELS = 4,
	RANK_ID = 10,
	RANK_CONFIG = 12,
	RANK_LAST = RANK_CONFIG,
};

/* The identity columns; the figures' come from their entries. */
struct id_column {
	const char *title;
	int width;
	int rank;           /* RANK_*: higher is left out sooner */
};

static const struct id_column id_columns[COL_LABELS] = {
	[COL_TREND] = { "Trend", 8, 0 }, /* asked for: never left out */
	[COL_ID] = { "ID", 12, RANK_ID },
	[COL_CONFIG] = { "Config", 14, RANK_CONFIG },
};

#define NAME_MIN 16       /* the name column's least width, its gap included */
#define NAME_WANT_MAX 41  /* ... and the most it takes before other columns */
#define LABEL_WIDTH_MAX 24 /* a label column's most (its title's width at least) */

/* The figure of column C, or NULL for an identity or label column. */
static const struct figure *col_figure(int c)
{
	return c >= COL_FIGURES ? &figures[c - COL_FIGURES] : NULL;
}

/* The label key of column C (raw, from the command line), or NULL when C is no label's
 * column or no label was asked for it. */
static const char *col_label(const struct tui *t, int c)
{
	size_t l = (size_t)(c - COL_LABELS);

	return c >= COL_LABELS && c < COL_FIGURES && l < t->opt->nlabels ? t->opt->labels[l] : NULL;
}

/* Whether the text of column C is drawn from its left (names, IDs, label values); figures
 * are right-aligned. */
static bool col_left(int c)
{
	return c < COL_FIGURES;
}

/* Whether --label asked for KEY (then its column says what the Config column would). */
static bool label_asked(const struct tui *t, const char *key)
{
	for (size_t l = 0; l < t->opt->nlabels && l < LABELS_MAX; l++)
		if (strcmp(t->opt->labels[l], key) == 0)
			return true;
	return false;
}

static bool col_sorted(const struct tui *t, int c);

/* Column C's rank (see above): 0 never goes. */
static int col_rank(const struct tui *t, int c)
{
	if (col_sorted(t, c))
		return 0;
	if (c < COL_LABELS)
		return id_columns[c].rank;
	return c < COL_FIGURES ? RANK_LABELS : col_figure(c)->tui_drop;
}

/* A name as drawn: raw text (sanitized when drawn), and whether it is a container's
 * name or a group's value rather than a path or a unit. */
struct shown_name {
	const char *raw;
	bool is_name;
	char buf[300];
};

/* The name shown for model row V into N: see row_name(). */
static const struct shown_name *row_name(const struct tui *t, const struct model_row *v, struct shown_name *n);

/* How wide the name column would like to be: its longest name as drawn (the tree's
 * indentation included) and the gap after it, from NAME_MIN to NAME_WANT_MAX. */
static int name_wanted(const struct tui *t)
{
	int want = NAME_MIN;

	for (size_t i = 0; i < t->m.nvis && want < NAME_WANT_MAX; i++) {
		const struct model_row *v = &t->m.vis[i];
		struct shown_name n;
		_cleanup_free_ char *s = sanitize_dup(row_name(t, v, &n)->raw);
		int w = (int)tui_text_width(s) + 1 + (t->m.tree ? 2 * (int)v->indent + 2 : 0);

		if (w > want)
			want = w;
	}
	return want < NAME_WANT_MAX ? want : NAME_WANT_MAX;
}

/* How wide the column of label KEY would like to be: its title or its longest value
 * among the rows, up to LABEL_WIDTH_MAX. */
static int label_wanted(const struct tui *t, const char *key)
{
	_cleanup_free_ char *title = sanitize_dup(key);
	int want = (int)tui_text_width(title);

	for (size_t i = 0; i < t->m.nvis && want < LABEL_WIDTH_MAX; i++) {
		const struct view_row *vr = &t->m.v->rows[t->m.vis[i].row];
		const char *val = vr->ctr ? container_label(vr->ctr, key) : NULL;
		_cleanup_free_ char *s = val ? sanitize_dup(val) : NULL;

		if (s && (int)tui_text_width(s) > want)
			want = (int)tui_text_width(s);
	}
	return want < LABEL_WIDTH_MAX ? want : LABEL_WIDTH_MAX;
}

/* Which columns fit in COLS, rank by rank (see above); returns their widths (0: left
 * out) in W and the name's width. */
static int layout_columns(const struct tui *t, int w[COL__N], bool *dropped)
{
	int want[COL__N], name = NAME_MIN, left = COLS - NAME_MIN, last = RANK_LAST;

	*dropped = false;
	for (int c = 0; c < COL__N; c++) {
		const struct figure *f = col_figure(c);

		if (f)
			want[c] = fig_column_shown(f, t->params.cpu_time) ? f->tui_width : 0;
		else if (c >= COL_LABELS)
			want[c] = col_label(t, c) ? label_wanted(t, col_label(t, c)) : 0;
		else if (c == COL_TREND)
			want[c] = t->trend ? id_columns[c].width : 0;
		else if (c == COL_CONFIG)
			want[c] = t->m.any_config && !label_asked(t, "config_id") ? id_columns[c].width : 0;
		else
			want[c] = t->m.any_ctr ? id_columns[c].width : 0;
		w[c] = 0;
		if (want[c] && col_rank(t, c) > last) /* a figure ranked after ID and Config */
			last = col_rank(t, c);
	}
	for (int rank = 0; rank <= last; rank++) {
		if (rank == RANK_NAME_FULL) {
			int more = name_wanted(t) - name;

			if (more > left)
				more = left;
			if (more > 0) {
				name += more;
				left -= more;
			}
		}
		for (int c = 0; c < COL__N; c++) {
			if (!want[c] || col_rank(t, c) != rank)
				continue;
			if (rank == 0 || want[c] + 1 <= left) {
				w[c] = want[c];
				left -= want[c] + 1;
			} else {
				*dropped = true;
			}
		}
	}
	name += left;
	return name > 1 ? name : 1;
}

/* True when column C shows (part of) the sort key. */
static bool col_sorted(const struct tui *t, int c)
{
	const struct figure *f = col_figure(c);

	return f && t->params.order != ORDER_PATH && f->sort == t->params.order;
}

/* The arrow after the sort column's title: which way the order runs. */
static const char *sort_arrow(const struct tui *t)
{
	bool down = (t->params.order == ORDER_PATH) == t->params.reverse; /* numbers: biggest first */

	if (tui_draw_utf8())
		return down ? "\u25bc" : "\u25b2";
	return down ? "v" : "^";
}

/* Column C's cell for row VR into BUF (raw: a label's value comes from an engine). */
static const char *cell(const struct tui *t, const struct view_row *vr, int c, char *buf, size_t len)
{
	const char *val;

	if (col_label(t, c)) {
		val = vr->ctr ? container_label(vr->ctr, col_label(t, c)) : NULL;
		return val ? val : vr->ctr ? "-" : "";
	}
	switch (c) {
	case COL_ID:
		return vr->ctr ? container_short_id(vr->ctr) : "";
	case COL_CONFIG:
		if (!vr->ctr)
			return "";
		return vr->ctr->meta && vr->ctr->meta->config_id ? vr->ctr->meta->config_id : "-";
	default:
		return fig_cell(col_figure(c), vr->fig, 0, buf, len);
	}
}

/* Whether cell S of column C flags trouble in the last interval (a capital letter; the
 * letters themselves say it without colour). */
static bool is_trouble(int c, const char *s)
{
	const struct figure *f = col_figure(c);

	return f && f->format == FMT_FLAGS && strpbrk(s, "URKXOFMTP") != NULL;
}

/* The last component of PATH ("/" stays "/"). */
static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
}

/* The row's name; in the tree a cgroup's last component, but the container's name for
 * the cgroup of a container an engine named ("keystone", not docker-<64 hex>.scope, as
 * the batch --all output's Container column; "keystone (conmon)" for its monitor's). */
static const struct shown_name *row_name(const struct tui *t, const struct model_row *v, struct shown_name *n)
{
	const struct view_row *vr = &t->m.v->rows[v->row];
	const char *name = vr->ctr ? container_name(vr->ctr) : NULL;
	struct container_ref ref;

	n->is_name = vr->kind != VIEW_CGROUP;
	n->raw = vr->name;
	if (!t->m.tree || !v->indent)
		return n;
	n->raw = basename_of(vr->name);
	if (name && vr->path && cgpath_container_id(vr->path, &ref) && strcmp(ref.id, vr->ctr->ref.id) == 0) {
		snprintf(n->buf, sizeof(n->buf), "%s%s", name, ref.runtime == RT_CONMON ? " (conmon)" : "");
		n->raw = n->buf;
		n->is_name = true;
	}
	return n;
}

/* Draw name N in W columns at (Y, X), cut where names differ: a container's name or a
 * group's value at its end ("neutron_metadata_…": names share their start, the service,
 * and differ after it), a path or unit in its middle (it shares its start, the slice, and
 * the end says the kind of unit). */
static void put_name(const struct shown_name *n, int y, int x, int w)
{
	if (n->is_name)
		tui_put_raw_cut(y, x, w, n->raw);
	else
		tui_put_raw_short(y, x, w, n->raw);
}

/* In the name column's title from X, W wide: how many rows are scrolled away above the
 * first row drawn and below the last ("^3 v40"), so that nothing is hidden unmarked. */
static void scroll_marks(const struct tui *t, int y, int x, int w, size_t rows)
{
	size_t above = tui_model_above(&t->m), below = tui_model_below(&t->m, rows);
	char buf[64];
	int n = 0;

	if (!above && !below)
		return;
	if (above)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s%zu", tui_draw_utf8() ? "\u2191" : "^", above);
	if (below)
		snprintf(buf + n, sizeof(buf) - (size_t)n, "%s%s%zu", above ? " " : "", tui_draw_utf8() ? "\u2193" : "v", below);
	if (tui_text_width(buf) > (size_t)(w > 0 ? w : 0)) /* no cut figure: the arrows alone */
		snprintf(buf, sizeof(buf), "%s%s", above ? (tui_draw_utf8() ? "\u2191" : "^") : "",
			 below ? (tui_draw_utf8() ? "\u2193" : "v") : "");
	tui_put_right(y, x, w, buf);
}

/* The table in lines [Y, Y+H): titles, then the rows. */
static void table_draw(struct tui *t, int y, int h)
{
	int w[COL__N], namew = layout_columns(t, w, &t->dropped), x;
	int rows = h - 1;

	if (h <= 0)
		return;
	tui_fill(y, 0, ST_HEADER);
	if (t->params.order == ORDER_PATH)
		tui_style(ST_HEADER_SORT);
	x = tui_put(y, 0, namew, t->m.tree ? "Cgroup tree" : t->params.all ? "Path" : "Name");
	if (t->params.order == ORDER_PATH)
		x += tui_put(y, x, namew - x, sort_arrow(t));
	if (rows > 0) {
		tui_model_scroll(&t->m, (size_t)rows);
		scroll_marks(t, y, x + 1, namew - 2 - x, (size_t)rows);
	}
	x = namew;
	for (int c = 0; c < COL__N; c++) {
		char title[32];

		if (!w[c])
			continue;
		tui_style(col_sorted(t, c) ? ST_HEADER_SORT : ST_HEADER);
		if (col_label(t, c)) {
			tui_put_raw_cut(y, x + 1, w[c], col_label(t, c));
			x += w[c] + 1;
			continue;
		}
		snprintf(title, sizeof(title), "%s%s",
			 col_figure(c) ? col_figure(c)->title :
			 c == COL_TREND ? hist_series_trend_title(hist_order_series(t->params.order)) : id_columns[c].title,
			 col_sorted(t, c) ? sort_arrow(t) : "");
		if (col_left(c))
			tui_put(y, x + 1, w[c], title);
		else
			tui_put_right(y, x + 1, w[c], title);
		x += w[c] + 1;
	}
	tui_style(ST_NORMAL);
	y++;
	t->table_h = rows;
	if (rows <= 0)
		return;
	if (!t->snap) {
		tui_put(y, 1, COLS - 1, "taking the first sample...");
		return;
	}
	if (t->m.nvis == 0) {
		tui_put(y, 1, COLS - 1, t->m.filter[0] ? "no row matches the filter (Esc clears it)" : "no cgroups");
		return;
	}
	for (int i = 0; i < rows && t->m.top + (size_t)i < t->m.nvis; i++) {
		const struct model_row *v = &t->m.vis[t->m.top + (size_t)i];
		const struct view_row *vr = &t->m.v->rows[v->row];
		bool sel = t->m.top + (size_t)i == t->m.sel;
		int ly = y + i, nx = 0;
		struct shown_name n;

		if (sel)
			tui_fill(ly, 0, ST_SELECTED);
		else
			tui_style(ST_NORMAL);
		if (t->m.tree) {
			for (unsigned k = 0; k < v->indent && nx + 2 < namew; k++)
				nx += tui_put(ly, nx, 2, "  ");
			nx += tui_put(ly, nx, namew - nx, !v->branch ? "  " : v->collapsed ? "+ " : "- ");
		}
		put_name(row_name(t, v, &n), ly, nx, namew - nx - 1);
		x = namew;
		{
			char state[64];

			/* a container that is not running: its state where its figures would be,
			 * and its flags (K U R X) in their column, as every row has them */
			if (fig_state_text(vr->fig, state, sizeof(state))) {
				int flags = COL_FIGURES + F_TROUBLE, fx = COLS;
				char buf[64];

				for (int c = 0; c < COL_FIGURES; c++) {
					if (!w[c])
						continue;
					if (c == COL_TREND) /* no figure behind it: its history */
						tui_history_trend(t, vr, ly, x + 1, w[c]);
					else
						tui_put_raw(ly, x + 1, w[c], cell(t, vr, c, NULL, 0));
					x += w[c] + 1;
				}
				if (w[flags]) {
					fx = x;
					for (int c = COL_FIGURES; c < flags; c++)
						fx += w[c] ? w[c] + 1 : 0;
				}
				if (!sel)
					tui_style(ST_TROUBLE);
				if (fx - x - 1 >= 12 || !w[flags]) {
					tui_put_raw(ly, x + 1, fx - x - 1, state);
				} else if (w[flags]) {
					/* Flags right after the name (ordered by trouble on a narrow
					 * screen): the state text after it */
					tui_put_raw(ly, fx + w[flags] + 2, COLS - fx - w[flags] - 2, state);
				}
				if (w[flags])
					tui_put_right(ly, fx + 1, w[flags], cell(t, vr, flags, buf, sizeof(buf)));
				if (!sel)
					tui_style(ST_NORMAL);
				continue;
			}
		}
		for (int c = 0; c < COL__N; c++) {
			char buf[64];
			const char *s;

			if (!w[c])
				continue;
			if (c == COL_TREND) {
				tui_history_trend(t, vr, ly, x + 1, w[c]);
				x += w[c] + 1;
				continue;
			}
			s = cell(t, vr, c, buf, sizeof(buf));
			if (!sel && strcmp(s, "-") == 0)
				tui_style(ST_DIM);
			else if (!sel && is_trouble(c, s))
				tui_style(ST_TROUBLE);
			if (col_left(c))
				tui_put_raw_cut(ly, x + 1, w[c], s);
			else
				tui_put_right(ly, x + 1, w[c], s);
			if (!sel)
				tui_style(ST_NORMAL);
			x += w[c] + 1;
		}
	}
	tui_style(ST_NORMAL);
}

const struct tui_screen tui_screen_table = {
	.name = "table",
	.draw = table_draw,
	.key = tui_keys_table,
	.keys = "q quit  ? help  / filter  Enter tasks  a tree  s summary  p t c m i ! order  r reverse  x stopped  space pause",
	.seek_keys = "q quit  space play/pause  n/. next  b/, back  g go to time  Home/End first/last  ? help  / filter",
};
