/* The figures screen: every figure of the selected row, its value, the limit it is held
 * to and where the kernel keeps it (the entry's help, the metrics' HELP text). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "tui_draw.h"
#include "tui_screen.h"

static int fig_scroll;

/* The limit figure F is held to, or F_COUNT when none. */
static enum cg_field limit_of(enum cg_field f)
{
	switch (f) {
	case F_TASKS:
	case F_PIDS_REFUSED:
	case F_PIDS_REFUSED_NEW:
	case F_PIDS_REFUSED_SINCE:
		return F_PIDS_LIMIT;
	case F_CPU_RATE:
	case F_CPU_LIMIT_PERCENT:
	case F_CPU_THROTTLED_PERCENT:
		return F_CPU_LIMIT;
	case F_MEM_USAGE:
	case F_MEM_WS:
	case F_MEM_PEAK:
	case F_MEM_PERCENT:
	case F_MEM_LIMIT_HITS:
	case F_MEM_LIMIT_HITS_NEW:
	case F_MEM_LIMIT_HITS_SINCE:
	case F_MEM_OOM_KILLS:
	case F_MEM_OOM_KILLS_NEW:
	case F_MEM_OOM_KILLS_SINCE:
		return F_MEM_LIMIT;
	default:
		return F_COUNT;
	}
}

/* Where a derived figure comes from (the others: their help). */
static const char *derived_source(enum cg_field f)
{
	switch (f) {
	case F_MEM_PERCENT:
		return "The working set over the memory limit, in percent (page cache it can reclaim left out).";
	case F_IO_OPS:
		return "Read and write operations per second together.";
	case F_CPU_LIMIT_PERCENT:
		return "CPU use over the CPU limit, in percent: 100 uses all of it.";
	case F_TROUBLE:
		return "O OOM kill, F fork refused, M memory limit hit, T throttled, P pressure >= 10%; small: since start.";
	default:
		return "";
	}
}

static void screen_draw(struct tui *t, int y, int h)
{
	const struct view_row *vr = tui_model_selected(&t->m);
	int line = 0, rows = h - 1;

	t->table_h = rows;
	if (h <= 0)
		return;
	tui_fill(y, 0, ST_HEADER);
	tui_put(y, 0, COLS, "Figure                              Value     Limit");
	tui_style(ST_NORMAL);
	if (!vr) {
		tui_put(y + 1, 1, COLS - 1, "no row selected");
		return;
	}
	tui_style(ST_TITLE);
	tui_put_raw_short(y + 1, 0, COLS, vr->name);
	tui_style(ST_NORMAL);
	line = 1;
	if (fig_scroll > 2 * (int)F_COUNT - (rows - 1))
		fig_scroll = 2 * (int)F_COUNT - (rows - 1);
	if (fig_scroll < 0)
		fig_scroll = 0;
	for (int i = fig_scroll; i < 2 * (int)F_COUNT && line < rows; i++, line++) {
		const struct figure *f = &figures[i / 2];
		char val[64], lim[64];
		enum cg_field l = limit_of(f->id);

		if (i % 2) {
			tui_style(ST_DIM);
			tui_put(y + 1 + line, 4, COLS - 4, f->help ? f->help : derived_source(f->id));
			tui_style(ST_NORMAL);
			continue;
		}
		tui_put(y + 1 + line, 1, 34, f->kind == FIG_DERIVED ? f->title : f->key);
		tui_put_right(y + 1 + line, 35, 9, fig_cell(f, vr->fig, 0, val, sizeof(val)));
		if (l != F_COUNT)
			tui_put_right(y + 1 + line, 45, 9, row_has(vr->fig, l) && !fig_limited(figure(l), vr->fig) ? "none" :
					   fig_cell(figure(l), vr->fig, 0, lim, sizeof(lim)));
	}
}

static bool screen_key(struct tui *t, int key)
{
	switch (key) {
	case TUI_ESC:
	case 127:
	case 8:
	case 'f':
	case TUI_KEY(KEY_BACKSPACE):
	case TUI_KEY(KEY_LEFT):
		tui_set_screen(t, &tui_screen_table);
		return true;
	case TUI_KEY(KEY_DOWN):
	case 'j':
		fig_scroll++;
		return true;
	case TUI_KEY(KEY_UP):
	case 'k':
		fig_scroll--;
		return true;
	case TUI_KEY(KEY_NPAGE):
	case ' ':
		fig_scroll += t->table_h;
		return true;
	case TUI_KEY(KEY_PPAGE):
		fig_scroll -= t->table_h;
		return true;
	}
	return false;
}

/* Opened: from the top. */
void tui_figures_open(struct tui *t)
{
	fig_scroll = 0;
	tui_set_screen(t, &tui_screen_figures);
}

const struct tui_screen tui_screen_figures = {
	.name = "figures",
	.draw = screen_draw,
	.key = screen_key,
	.keys = "Up/Down PgUp/PgDn scroll  Esc back  ? help  q quit",
};
