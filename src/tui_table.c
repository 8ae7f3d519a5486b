/* The table screen: one line per row of the model, in columns. The columns are a table
 * (table_columns) that layout, titles and cells loop over; narrow terminals drop the
 * columns with the highest `drop` first. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "container.h"
#include "format.h"
#include "tui_draw.h"
#include "tui_screen.h"

enum col_id { COL_ID, COL_CONFIG, COL_TASKS, COL_CPU, COL_MEM, COL_MEMPCT, COL_READ, COL_WRITE, COL_IOPS, COL__N };

struct column {
	const char *title;
	int width;
	bool ctr_only;      /* only when rows are containers (and, for Config, one has it) */
	int drop;           /* dropped first when narrow: higher drops earlier, 0 never */
};

static const struct column table_columns[COL__N] = {
	[COL_ID] = { "ID", 12, true, 4 },
	[COL_CONFIG] = { "Config", 14, true, 6 },
	[COL_TASKS] = { "Tasks", 6, false, 2 },
	[COL_CPU] = { "%CPU", 7, false, 0 },
	[COL_MEM] = { "Memory", 8, false, 0 },
	[COL_MEMPCT] = { "%Lim", 5, false, 7 },
	[COL_READ] = { "Read/s", 8, false, 3 },
	[COL_WRITE] = { "Write/s", 8, false, 5 },
	[COL_IOPS] = { "IO/s", 7, false, 8 },
};

#define NAME_MIN 16

/* Which columns fit in COLS next to a name of at least NAME_MIN; returns their widths
 * (0: hidden) in W and the name's width. */
static int layout_columns(const struct tui *t, int w[COL__N], bool *dropped)
{
	int total = 0, name;

	*dropped = false;
	for (int c = 0; c < COL__N; c++) {
		w[c] = table_columns[c].width;
		if (table_columns[c].ctr_only && (!t->m.any_ctr || (c == COL_CONFIG && !t->m.any_config)))
			w[c] = 0;
		if (c == COL_CPU && t->params.cpu_time)
			w[c] = 10;
		total += w[c] ? w[c] + 1 : 0;
	}
	while (COLS - total < NAME_MIN) {
		int worst = -1;

		for (int c = 0; c < COL__N; c++)
			if (w[c] && table_columns[c].drop && (worst < 0 || table_columns[c].drop > table_columns[worst].drop))
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

/* True when column C shows the sort key. */
static bool col_sorted(const struct tui *t, int c)
{
	switch (t->params.order) {
	case ORDER_TASKS:
		return c == COL_TASKS;
	case ORDER_CPU:
		return c == COL_CPU;
	case ORDER_MEMORY:
		return c == COL_MEM;
	case ORDER_IO:
		return c == COL_READ || c == COL_WRITE;
	case ORDER_PATH:
		break;
	}
	return false;
}

/* The arrow after the sort column's title: which way the order runs. */
static const char *sort_arrow(const struct tui *t)
{
	bool down = (t->params.order == ORDER_PATH) == t->params.reverse; /* numbers: biggest first */

	if (tui_draw_utf8())
		return down ? "\u25bc" : "\u25b2";
	return down ? "v" : "^";
}

/* One figure cell of R for column C into BUF. */
static const char *cell(const struct tui *t, const struct view_row *vr, int c, char *buf, size_t len)
{
	const struct cg_row *r = &vr->fig;
	bool est = r->io_source == IO_SRC_PROC;
	char tmp[32];

	switch (c) {
	case COL_ID:
		return vr->ctr ? vr->ctr->short_id : "";
	case COL_CONFIG:
		if (!vr->ctr)
			return "";
		return vr->ctr->meta && vr->ctr->meta->config_id ? vr->ctr->meta->config_id : "-";
	case COL_TASKS:
		if (!row_has(r, F_TASKS))
			return "-";
		snprintf(buf, len, "%llu", (unsigned long long)r->tasks);
		return buf;
	case COL_CPU:
		if (t->params.cpu_time)
			return row_has(r, F_CPU_NS) ? format_cpu_time(buf, len, r->cpu_ns) : "-";
		if (!row_has(r, F_CPU_RATE))
			return "-";
		snprintf(buf, len, "%.1f", r->cpu_percent);
		return buf;
	case COL_MEM:
		return tui_cell_bytes(buf, len, row_has(r, F_MEM_USAGE), r->mem_usage);
	case COL_MEMPCT:
		if (!row_has(r, F_MEM_USAGE) || !row_has(r, F_MEM_LIMIT) || r->mem_limit == UINT64_MAX ||
		    r->mem_limit == 0)
			return "-";
		snprintf(buf, len, "%.0f", (double)r->mem_usage * 100.0 / (double)r->mem_limit);
		return buf;
	case COL_READ:
	case COL_WRITE: {
		bool rd = c == COL_READ;

		if (!row_has(r, rd ? F_IO_RBPS : F_IO_WBPS))
			return "-";
		format_bytes(tmp, sizeof(tmp), (uint64_t)(rd ? r->io_rbps : r->io_wbps));
		snprintf(buf, len, "%s%s", est ? "~" : "", tmp);
		return buf;
	}
	case COL_IOPS:
		if (!row_has(r, F_IO_RIOPS) && !row_has(r, F_IO_WIOPS))
			return "-";
		snprintf(buf, len, "%.0f", (row_has(r, F_IO_RIOPS) ? r->io_riops : 0) +
						   (row_has(r, F_IO_WIOPS) ? r->io_wiops : 0));
		return buf;
	}
	return "";
}

/* The last component of PATH ("/" stays "/"). */
static const char *basename_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s && s[1] ? s + 1 : path;
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
		tui_put(y, x, namew - x, sort_arrow(t));
	x = namew;
	for (int c = 0; c < COL__N; c++) {
		char title[32];

		if (!w[c])
			continue;
		snprintf(title, sizeof(title), "%s%s", c == COL_CPU && t->params.cpu_time ? "CPU Time" : table_columns[c].title,
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
	if (t->m.sel < t->top)
		t->top = t->m.sel;
	if (t->m.sel >= t->top + (size_t)rows)
		t->top = t->m.sel - (size_t)rows + 1;
	if (t->top + (size_t)rows > t->m.nvis)
		t->top = t->m.nvis > (size_t)rows ? t->m.nvis - (size_t)rows : 0;
	for (int i = 0; i < rows && t->top + (size_t)i < t->m.nvis; i++) {
		const struct model_row *v = &t->m.vis[t->top + (size_t)i];
		const struct view_row *vr = &t->m.v->rows[v->row];
		bool sel = t->top + (size_t)i == t->m.sel;
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
			s = cell(t, vr, c, buf, sizeof(buf));
			if (!sel && strcmp(s, "-") == 0)
				tui_style(ST_DIM);
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
	.keys = "q quit  ? help  / filter  Enter tasks  a tree  s summary  p t c m i order  r reverse  space pause",
	.seek_keys = "q quit  space play/pause  n/. next  b/, back  g go to time  Home/End first/last  ? help  / filter",
};
