/* The TUI's summary screen. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "format.h"
#include "host.h"
#include "parse.h"
#include "tui_draw.h"
#include "tui_screen.h"
#include "tui_summary.h"
#include "tui_worker.h"
#include "util.h"

struct slice_count {
	char *name;    /* raw first path component, "/system.slice" */
	size_t n;      /* rows at or below it */
};

struct tui_summary {
	bool have_ctls;         /* the worker has read /proc/cgroups ... */
	struct host_controller *ctls;
	ssize_t nctls;          /* ... (or -errno) */
	struct slice_count *slices;
	size_t nslices;
	size_t total_rows;
	int scroll;
};

/* An empty summary. */
struct tui_summary *tui_summary_new(void)
{
	return xcalloc(1, sizeof(struct tui_summary));
}

/* Forget the counted slices. */
static void slices_clear(struct tui_summary *ts)
{
	for (size_t i = 0; i < ts->nslices; i++)
		free(ts->slices[i].name);
	free(ts->slices);
	ts->slices = NULL;
	ts->nslices = 0;
}

/* Free the summary and what it read. */
void tui_summary_free(struct tui_summary *ts)
{
	if (!ts)
		return;
	free(ts->ctls);
	slices_clear(ts);
	free(ts);
}

/* Most cgroups first, then by name. */
static int cmp_slice(const void *a, const void *b)
{
	const struct slice_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* /proc/cgroups, each controller marked when the cgroup2 mount offers it. */
ssize_t tui_summary_read(const struct rootfs *r, const struct cg_hierarchies *hs, struct host_controller **out)
{
	const char *v2 = NULL;

	for (size_t i = 0; i < hs->n && !v2; i++)
		if (hs->h[i].v2)
			v2 = hs->h[i].mount_point;
	return host_read_controllers(r, v2, out);
}

void tui_summary_set_controllers(struct tui_summary *ts, struct host_controller *ctls, ssize_t n)
{
	free(ts->ctls);
	ts->ctls = ctls;
	ts->nctls = n;
	ts->have_ctls = true;
}

/* Recount cgroups per top-level cgroup. */
void tui_summary_count(struct tui_summary *ts, const struct snapshot *snap)
{
	slices_clear(ts);
	ts->total_rows = snap ? snap->n : 0;
	for (size_t i = 0; snap && i < snap->n; i++) {
		const char *p = snap->rows[i].path, *slash;
		size_t len, k;

		if (snap->rows[i].depth == 0 || p[0] != '/')
			continue;
		slash = strchr(p + 1, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		for (k = 0; k < ts->nslices; k++)
			if (strlen(ts->slices[k].name) == len && memcmp(ts->slices[k].name, p, len) == 0)
				break;
		if (k == ts->nslices) {
			ts->slices = xrealloc(ts->slices, (ts->nslices + 1) * sizeof(*ts->slices));
			ts->slices[k].name = xstrndup(p, len);
			ts->slices[k].n = 0;
			ts->nslices++;
		}
		ts->slices[k].n++;
	}
	if (ts->nslices > 1) /* qsort(NULL, 0, …) is undefined */
		qsort(ts->slices, ts->nslices, sizeof(*ts->slices), cmp_slice);
}

/* Scroll by DELTA lines (not above the top). */
void tui_summary_scroll(struct tui_summary *ts, int delta)
{
	ts->scroll += delta;
	if (ts->scroll < 0)
		ts->scroll = 0;
}

/* Where controller C is mounted, into OUT. */
static void mount_of(const struct cg_hierarchies *hs, const struct host_controller *c, char *out, size_t len)
{
	for (size_t i = 0; i < hs->n; i++)
		if (!hs->h[i].v2 && opts_has(hs->h[i].name, c->name)) {
			snprintf(out, len, "%s", hs->h[i].mount_point);
			return;
		}
	for (size_t i = 0; c->hierarchy == 0 && c->on_v2 && i < hs->n; i++)
		if (hs->h[i].v2) {
			snprintf(out, len, "%s (cgroup2)", hs->h[i].mount_point);
			return;
		}
	snprintf(out, len, c->hierarchy == 0 ? "not mounted (nor offered by cgroup2)" : "not mounted");
}

/* A line counter that draws only what falls in the visible window. */
struct lines {
	int y0, h, skip, n;
};

/* The screen row of the next line, or -1 when it is scrolled away or below the window. */
static int line_at(struct lines *l)
{
	int i = l->n++ - l->skip;

	return i >= 0 && i < l->h ? l->y0 + i : -1;
}

/* Draw controllers, their mounts, cgroups per top-level cgroup and the notes. */
void tui_summary_draw(struct tui_summary *ts, const struct cg_hierarchies *hs, const char *const *notes,
		      size_t nnotes, int y, int h)
{
	struct lines l = { .y0 = y, .h = h, .skip = ts->scroll };
	int row;

	if ((row = line_at(&l)) >= 0) {
		tui_style(ST_TITLE);
		tui_printf(row, 0, COLS, "Controllers (/proc/cgroups)   cgroup mode: %s", cg_mode_name(hs->mode));
	}
	if ((row = line_at(&l)) >= 0) {
		tui_fill(row, 0, ST_HEADER);
		tui_printf(row, 1, COLS - 1, "%-12s %9s %11s %-7s %s", "CONTROLLER", "HIERARCHY", "NUM_CGROUPS",
			   "ENABLED", "MOUNTED AT");
	}
	tui_style(ST_NORMAL);
	if (!ts->have_ctls && (row = line_at(&l)) >= 0)
		tui_put(row, 1, COLS - 1, "reading /proc/cgroups...");
	if (ts->nctls < 0 && (row = line_at(&l)) >= 0)
		tui_printf(row, 1, COLS - 1, "cannot read /proc/cgroups: %s", strerror((int)-ts->nctls));
	for (ssize_t i = 0; i < ts->nctls; i++) {
		const struct host_controller *c = &ts->ctls[i];
		char where[512], line[700];
		_cleanup_free_ char *name = sanitize_dup(c->name);

		if ((row = line_at(&l)) < 0)
			continue;
		mount_of(hs, c, where, sizeof(where));
		snprintf(line, sizeof(line), "%-12s %9d %11lu %-7s ", name, c->hierarchy, c->num_cgroups,
			 c->enabled ? "yes" : "no");
		tui_put(row, 1, COLS - 1, line);
		tui_put_raw(row, 1 + (int)tui_text_width(line), COLS - 1 - (int)tui_text_width(line), where);
	}
	line_at(&l);
	if ((row = line_at(&l)) >= 0) {
		tui_style(ST_TITLE);
		tui_printf(row, 0, COLS, "Cgroups per top-level slice (%zu listed in all)", ts->total_rows);
	}
	if ((row = line_at(&l)) >= 0) {
		tui_fill(row, 0, ST_HEADER);
		tui_printf(row, 1, COLS - 1, "%8s  %s", "CGROUPS", "TOP-LEVEL");
	}
	tui_style(ST_NORMAL);
	for (size_t i = 0; i < ts->nslices; i++) {
		if ((row = line_at(&l)) < 0)
			continue;
		tui_printf(row, 1, 9, "%8zu", ts->slices[i].n);
		tui_put_raw(row, 11, COLS - 11, ts->slices[i].name);
	}
	if (nnotes) {
		line_at(&l);
		if ((row = line_at(&l)) >= 0) {
			tui_style(ST_TITLE);
			tui_put(row, 0, COLS, "Notes");
			tui_style(ST_NORMAL);
		}
		for (size_t i = 0; i < nnotes; i++)
			if ((row = line_at(&l)) >= 0)
				tui_put_raw(row, 1, COLS - 1, notes[i]);
	}
	if (ts->scroll > 0 && ts->scroll >= l.n)
		ts->scroll = l.n > 0 ? l.n - 1 : 0;
}

/* ---------------------------------------------------------------- the screen */

static void screen_draw(struct tui *t, int y, int h)
{
	tui_summary_draw(t->summary, app_hierarchies(t->app), (const char *const *)t->notes, t->nnotes, y, h);
	t->table_h = h;
}

/* Scroll, or back to the table. */
static bool screen_key(struct tui *t, int key)
{
	switch (key) {
	case TUI_ESC:
	case 127:
	case 8:
	case 's':
	case TUI_KEY(KEY_BACKSPACE):
	case TUI_KEY(KEY_LEFT):
		tui_set_screen(t, &tui_screen_table);
		return true;
	case TUI_KEY(KEY_DOWN):
	case 'j':
		tui_summary_scroll(t->summary, 1);
		return true;
	case TUI_KEY(KEY_UP):
	case 'k':
		tui_summary_scroll(t->summary, -1);
		return true;
	case TUI_KEY(KEY_NPAGE):
		tui_summary_scroll(t->summary, t->table_h);
		return true;
	case TUI_KEY(KEY_PPAGE):
		tui_summary_scroll(t->summary, -t->table_h);
		return true;
	}
	return false;
}

/* Opened, or a new sample: the count per slice again, and the controllers (read by the
 * worker). */
static void screen_update(struct tui *t)
{
	tui_summary_count(t->summary, t->snap);
	t->want |= WORK_CONTROLLERS;
}

const struct tui_screen tui_screen_summary = {
	.name = "summary",
	.draw = screen_draw,
	.key = screen_key,
	.update = screen_update,
	.keys = "Up/Down scroll  Esc back  ? help  q quit",
};
