/* The table screen: one line per row of the model, in columns. The columns are a table
 * (the container's identity, then the table of figures) that layout, titles and cells
 * loop over; narrow terminals drop the columns with the highest `drop` first. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "container.h"
#include "fields.h"
#include "format.h"
#include "tui_draw.h"
#include "tui_screen.h"

/* Columns: the container's identity, then every figure of the table of figures (fields.c)
 * that has a screen width, in its order. */
enum { COL_ID, COL_CONFIG, COL_FIGURES, COL__N = COL_FIGURES + F_COUNT };

/* The identity columns; the figures' come from their entries. */
struct id_column {
	const char *title;
	int width;
	int drop;           /* dropped first when narrow: higher drops earlier, 0 never */
};

static const struct id_column id_columns[COL_FIGURES] = {
	[COL_ID] = { "ID", 12, 7 },
	[COL_CONFIG] = { "Config", 14, 10 },
};

/* The figure of column C, or NULL for an identity column. */
static const struct figure *col_figure(int c)
{
	return c >= COL_FIGURES ? &figures[c - COL_FIGURES] : NULL;
}

/* How soon column C goes when the terminal is narrow (0: never). */
static int col_drop(int c)
{
	return c < COL_FIGURES ? id_columns[c].drop : col_figure(c)->tui_drop;
}

#define NAME_MIN 16

/* Which columns fit in COLS next to a name of at least NAME_MIN; returns their widths
 * (0: hidden) in W and the name's width. */
static int layout_columns(const struct tui *t, int w[COL__N], bool *dropped)
{
	int total = 0, name;

	*dropped = false;
	for (int c = 0; c < COL__N; c++) {
		const struct figure *f = col_figure(c);

		if (f)
			w[c] = fig_column_shown(f, t->params.cpu_time) ? f->tui_width : 0;
		else
			w[c] = !t->m.any_ctr || (c == COL_CONFIG && !t->m.any_config) ? 0 : id_columns[c].width;
		total += w[c] ? w[c] + 1 : 0;
	}
	while (COLS - total < NAME_MIN) {
		int worst = -1;

		for (int c = 0; c < COL__N; c++)
			if (w[c] && col_drop(c) && (worst < 0 || col_drop(c) > col_drop(worst)))
				worst = c;
		if (worst < 0)
			break;
		total -= w[worst] + 1;
		w[worst] = 0;
		*dropped = true;
	}
	name = COLS - total;
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

/* Column C's cell for row VR into BUF. */
static const char *cell(const struct view_row *vr, int c, char *buf, size_t len)
{
	switch (c) {
	case COL_ID:
		return vr->ctr ? vr->ctr->short_id : "";
	case COL_CONFIG:
		if (!vr->ctr)
			return "";
		return vr->ctr->meta && vr->ctr->meta->config_id ? vr->ctr->meta->config_id : "-";
	default:
		return fig_cell(col_figure(c), &vr->fig, 0, buf, len);
	}
}

/* Whether cell S of column C flags trouble in the last interval (a capital letter; the
 * letters themselves say it without colour). */
static bool is_trouble(int c, const char *s)
{
	const struct figure *f = col_figure(c);

	return f && f->format == FMT_FLAGS && strpbrk(s, "OFMTP") != NULL;
}

/* The last component of PATH ("/" stays "/"). */
static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
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
		snprintf(title, sizeof(title), "%s%s", c < COL_FIGURES ? id_columns[c].title : col_figure(c)->title,
			 col_sorted(t, c) ? sort_arrow(t) : "");
		tui_style(col_sorted(t, c) ? ST_HEADER_SORT : ST_HEADER);
		if (c == COL_ID || c == COL_CONFIG)
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

		if (sel)
			tui_fill(ly, 0, ST_SELECTED);
		else
			tui_style(ST_NORMAL);
		if (t->m.tree) {
			for (unsigned k = 0; k < v->indent && nx + 2 < namew; k++)
				nx += tui_put(ly, nx, 2, "  ");
			nx += tui_put(ly, nx, namew - nx, !v->branch ? "  " : v->collapsed ? "+ " : "- ");
			tui_put_raw_short(ly, nx, namew - nx - 1, v->indent ? basename_of(vr->name) : vr->name);
		} else {
			tui_put_raw_short(ly, 0, namew - 1, vr->name);
		}
		x = namew;
		for (int c = 0; c < COL__N; c++) {
			char buf[64];
			const char *s;

			if (!w[c])
				continue;
			s = cell(vr, c, buf, sizeof(buf));
			if (!sel && strcmp(s, "-") == 0)
				tui_style(ST_DIM);
			else if (!sel && is_trouble(c, s))
				tui_style(ST_TROUBLE);
			if (c == COL_ID || c == COL_CONFIG)
				tui_put_raw(ly, x + 1, w[c], s);
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
	.keys = "q quit  ? help  / filter  Enter tasks  a tree  s summary  p t c m i ! order  r reverse  space pause",
	.seek_keys = "q quit  space play/pause  n/. next  b/, back  g go to time  Home/End first/last  ? help  / filter",
};
