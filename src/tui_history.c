/* The history on the screen: fed from each published sample (live and replayed alike),
 * drawn as the drill-down's history panel and as the table's trend column. The ring and
 * the text are history.c's; this file only feeds and puts. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "history.h"
#include "tui_draw.h"
#include "tui_screen.h"
#include "util.h"

/* Samples a refill reads at most (10 minutes at 0.15 s). */
#define REFILL_MAX 4096

void tui_history_feed(struct tui *t)
{
	const struct sample *smp = app_sample(t->app);
	size_t i = smp->index, from = 0;

	if (t->seekable && (t->hist_index < 0 || i != (size_t)t->hist_index + 1)) {
		/* a jump: the history up to sample I is read again from the recording,
		 * through the same publish as playing it, from 10 minutes before it */
		uint64_t real = smp->snap->real_ns;

		hist_clear(t->hist);
		if (i > 0 && real > HIST_KEEP_NS && app_find_time(t->app, real - HIST_KEEP_NS, &from) < 0)
			from = i;
		if (from > i)
			from = i;
		if (i - from > REFILL_MAX)
			from = i - REFILL_MAX;
		for (size_t j = from; j < i; j++) {
			if (app_take_at(t->app, j) < 0)
				break;
			app_publish(t->app, 0);
			hist_feed_view(t->hist, app_view(t->app), app_sample(t->app)->snap);
		}
		if (from < i) {
			app_take_at(t->app, i);
			app_publish(t->app, 0);
			t->smp = app_sample(t->app);
			t->snap = t->smp->snap;
		}
	}
	hist_feed_view(t->hist, app_view(t->app), t->snap);
	t->hist_index = (ssize_t)i;
}

int tui_history_draw(struct tui *t, const char *key, const struct view_row *vr, int y, int h)
{
	char text[HIST_PANEL_LINES][HIST_LINE_MAX];
	int n;

	if (h <= 0)
		return 0;
	n = hist_panel(hist_find(t->hist, key), vr ? vr->fig : NULL, tui_draw_utf8(), COLS - 1, text);
	if (n > h)
		n = h;
	for (int i = 0; i < n; i++) {
		/* the titles of the lines: the first line and each figure's name */
		tui_style(i == 0 ? ST_TITLE : ST_NORMAL);
		tui_put(y + i, 1, COLS - 1, text[i]);
	}
	tui_style(ST_NORMAL);
	return n;
}

void tui_history_trend(struct tui *t, const struct view_row *vr, int y, int x, int w)
{
	_cleanup_free_ char *key = tui_model_row_key(vr);
	const struct hist_row *r = hist_find(t->hist, key);
	float cells[HIST_SLOTS];
	char buf[HIST_SLOTS * 4 + 1];
	size_t n;

	if (w <= 0)
		return;
	if (w > HIST_SLOTS)
		w = HIST_SLOTS;
	n = hist_cells(r, hist_order_series(t->params.order), (size_t)w, cells);
	tui_put(y, x, w, hist_sparkline(buf, sizeof(buf), cells, n, (size_t)w, 0, tui_draw_utf8()));
}
