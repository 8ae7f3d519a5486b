/* The interactive front end: the event loop, the header and the table of rows.
 * Samples are taken by the worker thread (tui_worker.c); this thread only reads keys,
 * builds the rows to show from the latest snapshot and draws. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>
#include <term.h>
#include <systemd/sd-event.h>

#include "container.h"
#include "format.h"
#include "procs.h"
#include "record.h"
#include "tui.h"
#include "tui_draw.h"
#include "tui_help.h"
#include "tui_model.h"
#include "tui_summary.h"
#include "tui_tasks.h"
#include "tui_worker.h"
#include "view.h"

enum tui_screen { SCR_TABLE, SCR_TASKS, SCR_SUMMARY };

struct tui {
	struct app *app;              /* the pipeline: samples and the rows made of them */
	const struct options *opt;
	sd_event *ev;
	sd_event_source *input, *wake, *timer, *sigs[4];
	struct procs_reader *pr;
	struct tui_worker *worker;
	SCREEN *scr;

	const struct sample *smp;     /* the latest published; NULL before the first */
	const struct snapshot *snap;  /* its snapshot */
	const char *no_tasks;         /* why there is no task list (t->pr NULL) */
	char **notes;                 /* copies of every note so far, for the summary */
	size_t nnotes;
	struct host_info host;

	struct tui_model m;           /* the rows shown: filter, tree, selection */
	struct view_params params;    /* how the app makes the rows */
	size_t ncontainers;
	size_t top;                   /* the first row drawn */
	int table_h;                  /* rows of the table last drawn, for paging */

	uint64_t delay_ns;
	bool paused;
	unsigned want;                /* WORK_* bits to ask for when the worker is free */
	ssize_t want_seek;            /* with WORK_SAMPLE: this sample, not the next (>= 0) */
	ssize_t asked;                /* the sample last asked for, until it is shown */
	bool seekable;                /* the source can go back (a recording) */

	bool editing;                 /* the filter (t->m.filter) is being typed */

	/* a source that can go back (a recording): n, b, g go through it */
	char when[64];                /* the time typed after `g` */
	bool asking_time;
	bool rec_reported;            /* the recording's write error is in the notes */

	enum tui_screen screen;
	bool help;
	int help_scroll;
	struct tui_tasks *tasks;
	unsigned tasks_gen;           /* counts drill-downs opened */
	unsigned job_tasks_gen;       /* the drill-down the running job reads tasks for */
	struct tui_summary *summary;

	const char *note;             /* the latest note (owned by the notes) */
	char message[256];            /* a passing message for the bottom line */
	int exit_status;
};

/* ---------------------------------------------------------------- rows */

/* Show the rows of the app's view (re-made after a new sample or new parameters): the
 * model filters them, puts them in tree order and keeps the selection on its row. */
static void rebuild(struct tui *t)
{
	tui_model_rebuild(&t->m, t->snap ? app_view(t->app) : NULL, t->snap);
	t->ncontainers = t->smp ? t->smp->ctrs->n : 0;
}

/* Make the app's rows as the parameters now say (the tree is every cgroup, whatever the
 * default view is), then rebuild. */
static void set_view(struct tui *t)
{
	struct view_params p = t->params;

	p.all = p.all || t->m.tree;
	app_set_view(t->app, &p);
	rebuild(t);
}

/* ---------------------------------------------------------------- drawing */

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
static void draw_table(struct tui *t, int y, int h, bool *dropped)
{
	int w[COL__N], namew = layout_columns(t, w, dropped), x;
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

/* Uptime as "3d 04:12" or "04:12". */
static void uptime_text(char *buf, size_t len, double s)
{
	unsigned long m = (unsigned long)(s / 60), d = m / 1440;

	if (d)
		snprintf(buf, len, "%lud %02lu:%02lu", d, m / 60 % 24, m % 60);
	else
		snprintf(buf, len, "%02lu:%02lu", m / 60, m % 60);
}

/* An interval as "1s", "0.5s", "2.5s". */
static void interval_text(char *buf, size_t len, uint64_t ns)
{
	if (ns % 1000000000u == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(ns / 1000000000u));
	else
		snprintf(buf, len, "%.2gs", (double)ns / 1e9);
}

/* A piece of header text: written at *X when it fits, then a gap. */
static void header_piece(int y, int *x, enum tui_style st, const char *text)
{
	if (*x >= COLS)
		return;
	tui_style(st);
	*x += tui_put(y, *x, COLS - *x, text);
	tui_style(ST_NORMAL);
	if (*x < COLS)
		*x += tui_put(y, *x, COLS - *x, "  ");
}

/* The two header lines. */
static void draw_header(struct tui *t, int nlines)
{
	char buf[160], num[32], num2[32];
	const struct cg_row *root = NULL;
	ssize_t ri;
	int x = 0;
	time_t now = t->snap ? (time_t)(t->snap->real_ns / 1000000000u) : time(NULL);
	struct tm tm;

	header_piece(0, &x, ST_TITLE, "cgtop");
	if (t->smp && t->smp->origin) {
		_cleanup_free_ char *file = sanitize_dup(t->smp->origin);
		char ts[64];

		format_rfc3339(ts, sizeof(ts), t->snap->real_ns);
		snprintf(buf, sizeof(buf), "REPLAY %s %s (sample %zu of %zu)", file, ts, t->smp->index + 1, t->smp->count);
		header_piece(0, &x, ST_WARN, buf);
	}
	if (t->host.hostname[0]) {
		_cleanup_free_ char *h = sanitize_dup(t->host.hostname);

		header_piece(0, &x, ST_TITLE, h);
	}
	localtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	if (!t->seekable) /* a recording's time is in its REPLAY piece */
		header_piece(0, &x, ST_NORMAL, buf);
	if (t->host.uptime_valid) {
		uptime_text(num, sizeof(num), t->host.uptime_s);
		snprintf(buf, sizeof(buf), "up %s", num);
		header_piece(0, &x, ST_NORMAL, buf);
	}
	if (t->host.load_valid) {
		snprintf(buf, sizeof(buf), "load %.2f %.2f %.2f", t->host.load[0], t->host.load[1], t->host.load[2]);
		header_piece(0, &x, ST_NORMAL, buf);
	}
	if (t->paused)
		header_piece(0, &x, ST_WARN, "PAUSED");
	if (nlines < 2)
		return;
	x = 0;
	snprintf(buf, sizeof(buf), "cgroup %s", cg_mode_name(app_hierarchies(t->app)->mode));
	header_piece(1, &x, ST_NORMAL, buf);
	snprintf(buf, sizeof(buf), "containers %zu", t->ncontainers);
	header_piece(1, &x, ST_NORMAL, buf);
	ri = t->snap ? snapshot_find(t->snap, "/") : -1;
	root = ri >= 0 ? &t->snap->rows[ri] : NULL;
	if (root && row_has(root, F_CPU_RATE))
		snprintf(buf, sizeof(buf), "CPU %.1f%%", root->cpu_percent);
	else
		snprintf(buf, sizeof(buf), "CPU -");
	if (t->host.ncpus)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " of %d00%%", t->host.ncpus);
	header_piece(1, &x, ST_NORMAL, buf);
	snprintf(buf, sizeof(buf), "memory %s", tui_cell_bytes(num, sizeof(num), root && row_has(root, F_MEM_USAGE),
								 root ? root->mem_usage : 0));
	if (t->host.memtotal_valid)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " of %s",
			 format_bytes(num2, sizeof(num2), t->host.memtotal));
	header_piece(1, &x, ST_NORMAL, buf);
	/* a recording has its own pace; the host is sampled at the screen's interval */
	interval_text(num, sizeof(num), t->seekable ? (t->snap ? t->snap->interval_ns : 0) : t->delay_ns);
	if (t->seekable && !(t->snap && t->snap->interval_ns))
		snprintf(num, sizeof(num), "-"); /* the first sample of a recording: no interval */
	snprintf(buf, sizeof(buf), "%s %s", t->seekable ? "recorded every" : "refresh", num);
	if (t->smp && t->smp->took_ns > t->delay_ns) {
		/* a walk slower than the interval: the refresh is slower than asked */
		interval_text(num2, sizeof(num2), t->smp->took_ns / 10000000u * 10000000u);
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " (a sample takes %s)", num2);
	}
	header_piece(1, &x, ST_NORMAL, buf);
	if (t->paused)
		header_piece(1, &x, ST_WARN, "PAUSED");
}

/* The line under the header: the filter, or the latest note. */
static void draw_info(struct tui *t, int y)
{
	int x;

	if (t->m.filter[0] && !t->editing) {
		x = tui_put(y, 0, COLS, "filter: ");
		tui_style(ST_INPUT);
		x += tui_put_raw(y, x, COLS - x, t->m.filter);
		tui_style(ST_NORMAL);
		tui_printf(y, x, COLS - x, "  (%zu of %zu rows; Esc clears)", t->m.nvis, t->m.v ? t->m.v->n : 0);
	} else if (t->note) {
		tui_style(ST_DIM);
		x = tui_put(y, 0, COLS, "note: ");
		tui_put_raw(y, x, COLS - x, t->note);
		tui_style(ST_NORMAL);
	}
}

/* The bottom line: the filter being typed, a message, or the keys. */
static void draw_bottom(struct tui *t, bool small)
{
	int y = LINES - 1, x;

	if (t->asking_time) {
		x = tui_put(y, 0, COLS, "Go to time (HH:MM:SS or RFC 3339): ");
		tui_style(ST_INPUT);
		x += tui_put_raw(y, x, COLS - x, t->when);
		tui_style(ST_NORMAL);
		move(y, x < COLS ? x : COLS - 1);
		return;
	}
	if (t->editing) {
		x = tui_put(y, 0, COLS, "Filter: ");
		tui_style(ST_INPUT);
		x += tui_put_raw(y, x, COLS - x, t->m.filter);
		tui_style(ST_NORMAL);
		move(y, x < COLS ? x : COLS - 1);
		tui_put(y, x + 1, COLS - x - 1, "  (Enter keeps it, Esc clears it)");
		return;
	}
	tui_fill(y, 0, ST_HEADER);
	if (t->message[0])
		tui_put(y, 0, COLS, t->message);
	else if (small)
		tui_printf(y, 0, COLS, "terminal %dx%d: not everything fits; enlarge it (? help, q quit)", COLS, LINES);
	else if (t->screen == SCR_TASKS)
		tui_put(y, 0, COLS, "Enter task details  Esc back  space pause  +/- refresh  ? help  q quit");
	else if (t->screen == SCR_SUMMARY)
		tui_put(y, 0, COLS, "Up/Down scroll  Esc back  ? help  q quit");
	else if (t->seekable)
		tui_put(y, 0, COLS, "q quit  space play/pause  n/. next  b/, back  g go to time  Home/End first/last  ? help  / filter");
	else
		tui_put(y, 0, COLS, "q quit  ? help  / filter  Enter tasks  a tree  s summary  p t c m i order  r reverse  space pause");
	tui_style(ST_NORMAL);
}

/* The view row the drill-down was opened on, when it is still there. */
static const struct view_row *tasks_row(const struct tui *t)
{
	return tui_model_find(t->m.v, t->tasks ? tui_tasks_row_key(t->tasks) : NULL);
}

/* Draw the whole screen: erase() and draw, and let ncurses send only what changed. */
static void draw(struct tui *t)
{
	bool small = COLS < 60 || LINES < 10, dropped = false;
	int head = LINES >= 8 ? 3 : LINES >= 4 ? 1 : 0, body_y, body_h;

	erase();
	curs_set(t->editing || t->asking_time ? 1 : 0);
	if (LINES < 3 || COLS < 8) {
		tui_printf(0, 0, COLS, "cgtop: terminal too small (%dx%d)", COLS, LINES);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	if (t->help) {
		tui_help_draw(t->help_scroll);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	draw_header(t, head >= 2 ? 2 : head);
	if (head >= 3)
		draw_info(t, 2);
	body_y = head;
	body_h = LINES - 1 - head;
	switch (t->screen) {
	case SCR_TABLE:
		draw_table(t, body_y, body_h, &dropped);
		break;
	case SCR_TASKS: {
		const struct view_row *vr = tasks_row(t);

		tui_tasks_draw(t->tasks, body_y, body_h, vr ? vr->ctr : NULL);
		t->table_h = body_h;
		break;
	}
	case SCR_SUMMARY:
		tui_summary_draw(t->summary, app_hierarchies(t->app), (const char *const *)t->notes, t->nnotes, body_y,
				 body_h);
		t->table_h = body_h;
		break;
	}
	draw_bottom(t, small || dropped);
	wnoutrefresh(stdscr);
	doupdate();
}

/* ---------------------------------------------------------------- sampling */

/* Ask the worker for what is wanted, if it is free. */
static void kick_worker(struct tui *t)
{
	const char *const *paths = NULL;
	size_t n = 0;
	unsigned what = t->want;

	if (!t->worker || !what || tui_worker_busy(t->worker))
		return;
	if (t->screen == SCR_TASKS && t->tasks && t->pr)
		paths = tui_tasks_paths(t->tasks, &n);
	else
		what &= ~(unsigned)WORK_TASKS;
	if (!what) {
		t->want = 0;
		return;
	}
	if (tui_worker_start(t->worker, what, (what & WORK_SAMPLE) ? t->want_seek : -1, paths, n)) {
		t->want = 0;
		t->want_seek = -1;
		t->job_tasks_gen = t->tasks_gen;
	}
}

/* Ask for sample I (a source that can go back) instead of the next. */
static void want_sample(struct tui *t, size_t i)
{
	t->want |= WORK_SAMPLE;
	t->want_seek = t->asked = (ssize_t)i;
	kick_worker(t);
}

/* Copy the notes not yet seen: the sampling thread may add notes while it runs, so
 * the screen draws from copies made while it is idle. */
static void take_notes(struct tui *t)
{
	const char *n;

	while ((n = notes_next_unshown(app_notes(t->app)))) {
		t->notes = xrealloc(t->notes, (t->nnotes + 1) * sizeof(*t->notes));
		t->notes[t->nnotes++] = xstrdup(n);
		t->note = t->notes[t->nnotes - 1];
	}
}

/* How long to wait after sample I: the source's own pace (a recording's), else the
 * screen's interval. */
static uint64_t pace_ns(const struct tui *t, size_t i)
{
	uint64_t gap = app_gap_ns(t->app, i);

	return gap ? gap : t->delay_ns;
}

/* The timer: time for the next sample. */
static int on_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct tui *t = userdata;
	size_t next = t->smp ? t->smp->index + 1 : 0;

	if (!t->paused) {
		t->want |= WORK_SAMPLE | (t->screen == SCR_TASKS ? WORK_TASKS : 0);
		kick_worker(t);
	}
	sd_event_source_set_time(s, usec + pace_ns(t, next) / 1000);
	sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	return 0;
}

/* A new sample was taken: publish it (names, recorder, rows) and rebuild. */
static void show_sample(struct tui *t)
{
	char msg[512];

	app_publish(t->app, 0); /* names from the engines are never waited for here */
	t->smp = app_sample(t->app);
	t->snap = t->smp->snap;
	if (t->asked == (ssize_t)t->smp->index)
		t->asked = -1;
	if (t->smp->host)
		t->host = *t->smp->host;
	if (!t->rec_reported && app_record_error(t->app, msg, sizeof(msg))) {
		/* the screen goes on; cgtop says it again and exits 1 when it ends */
		notes_add(app_notes(t->app), "record", "%s", msg);
		t->rec_reported = true;
	}
	rebuild(t);
	if (t->screen == SCR_SUMMARY)
		tui_summary_refresh(t->summary, app_root(t->app), app_hierarchies(t->app), t->snap);
}

/* The worker finished: take its sample and tasks, draw. */
static int on_worker(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct tui *t = userdata;
	struct tui_work_result res;
	struct task_list scratch = { 0 };
	/* tasks read for a drill-down closed (or replaced) meanwhile are dropped */
	bool same = t->tasks && t->job_tasks_gen == t->tasks_gen;
	struct task_list *tasks = same ? tui_tasks_list(t->tasks) : &scratch;

	if (!tui_worker_collect(t->worker, &res, tasks)) {
		task_list_free(&scratch);
		return 0;
	}
	if (res.done & WORK_SAMPLE) {
		if (res.taken == 0)
			show_sample(t);
		/* the end of a recording: stop playing there */
		if (res.taken == -ENODATA || (res.taken == 0 && t->smp->last && !t->paused))
			t->paused = true;
	}
	if ((res.done & WORK_TASKS) && same)
		tui_tasks_updated(t->tasks);
	task_list_free(&scratch);
	take_notes(t);
	kick_worker(t);
	draw(t);
	return 0;
}

/* ---------------------------------------------------------------- keys */

static const uint64_t intervals_ns[] = {
	100000000u, 200000000u, 500000000u, 1000000000u, 2000000000u, 3000000000u,
	5000000000u, 10000000000u, 30000000000u, 60000000000u,
};

/* Refresh less (DIR > 0) or more often: the next step of intervals_ns. */
static void change_interval(struct tui *t, int dir)
{
	uint64_t d = t->delay_ns;

	if (dir > 0) {
		for (size_t i = 0; i < ARRAY_SIZE(intervals_ns); i++)
			if (intervals_ns[i] > d) {
				d = intervals_ns[i];
				break;
			}
	} else {
		for (size_t i = ARRAY_SIZE(intervals_ns); i-- > 0;)
			if (intervals_ns[i] < d) {
				d = intervals_ns[i];
				break;
			}
	}
	t->delay_ns = d;
	sd_event_source_set_time_relative(t->timer, d / 1000);
	sd_event_source_set_enabled(t->timer, SD_EVENT_ONESHOT);
}

/* Order the rows by O ('r' reverses). */
static void set_order(struct tui *t, enum sort_order o)
{
	t->params.order = o;
	set_view(t);
}

/* Open the drill-down on the selected row. */
static void open_tasks(struct tui *t)
{
	const struct view_row *vr;
	const char **paths;
	_cleanup_free_ char *key = NULL;

	if (t->m.nvis == 0)
		return;
	vr = &t->m.v->rows[t->m.vis[t->m.sel].row];
	paths = xcalloc(vr->nmembers ? vr->nmembers : 1, sizeof(*paths));
	for (size_t i = 0; i < vr->nmembers; i++)
		paths[i] = t->snap->rows[t->m.v->members[vr->first_member + i]].path;
	key = tui_model_row_key(vr);
	tui_tasks_free(t->tasks);
	t->tasks = tui_tasks_new(key, vr->name ? vr->name : vr->path, paths, vr->nmembers);
	t->tasks_gen++;
	free(paths);
	t->screen = SCR_TASKS;
	if (!t->pr) {
		tui_tasks_set_unavailable(t->tasks, t->no_tasks);
		return;
	}
	t->want |= WORK_TASKS;
	kick_worker(t);
}

/* A key while the filter is typed. */
static void key_filter(struct tui *t, int key)
{
	switch (key) {
	case '\n':
	case '\r':
	case TUI_KEY(KEY_ENTER):
		t->editing = false;
		break;
	case TUI_ESC:
		t->editing = false;
		t->m.filter[0] = '\0';
		break;
	case 127:
	case 8:
	case TUI_KEY(KEY_BACKSPACE):
		tui_model_filter_backspace(&t->m);
		break;
	default:
		if (key >= 0x20 && key != 0x7F) {
			char mb[MB_LEN_MAX + 1];
			mbstate_t st;
			size_t l, fl;

			memset(&st, 0, sizeof(st));
			l = wcrtomb(mb, (wchar_t)key, &st);
			fl = strlen(t->m.filter);
			if (l != (size_t)-1 && fl + l < sizeof(t->m.filter)) {
				memcpy(t->m.filter + fl, mb, l);
				t->m.filter[fl + l] = '\0';
			}
		}
		break;
	}
	rebuild(t);
}

/* Keys that work on every screen. Returns true when KEY was one. */
static bool key_global(struct tui *t, int key)
{
	switch (key) {
	case 'q':
		t->exit_status = 0;
		sd_event_exit(t->ev, 0);
		return true;
	case 'h':
	case '?':
	case TUI_KEY(KEY_F(1)):
		t->help = true;
		t->help_scroll = 0;
		return true;
	case ' ':
		t->paused = !t->paused;
		if (!t->paused) {
			size_t i = t->smp ? t->smp->index : 0;

			/* a recording plays from the start again when at its end */
			if (t->smp && t->smp->last) {
				i = 0;
				want_sample(t, 0);
			}
			/* the next sample after the source's own pace; the host's right away */
			sd_event_source_set_time_relative(t->timer, app_gap_ns(t->app, i) / 1000);
			sd_event_source_set_enabled(t->timer, SD_EVENT_ONESHOT);
		}
		return true;
	case '+':
		change_interval(t, 1);
		return true;
	case '-':
		change_interval(t, -1);
		return true;
	case '%':
		t->params.cpu_time = !t->params.cpu_time;
		set_view(t);
		return true;
	}
	return false;
}

/* A key on the table. */
static void key_table(struct tui *t, int key)
{
	long page = t->table_h > 1 ? t->table_h - 1 : 1;

	switch (key) {
	case 'p':
		set_order(t, ORDER_PATH);
		break;
	case 't':
		set_order(t, ORDER_TASKS);
		break;
	case 'c':
		set_order(t, ORDER_CPU);
		break;
	case 'm':
		set_order(t, ORDER_MEMORY);
		break;
	case 'i':
		set_order(t, ORDER_IO);
		break;
	case 'r':
		t->params.reverse = !t->params.reverse;
		set_view(t);
		break;
	case 'a':
		t->m.tree = !t->m.tree;
		set_view(t);
		break;
	case 's':
		t->screen = SCR_SUMMARY;
		tui_summary_refresh(t->summary, app_root(t->app), app_hierarchies(t->app), t->snap);
		break;
	case '/':
		t->editing = true;
		break;
	case TUI_ESC:
		t->m.filter[0] = '\0';
		rebuild(t);
		break;
	case TUI_KEY(KEY_DOWN):
	case 'j':
		tui_model_move(&t->m, 1);
		break;
	case TUI_KEY(KEY_UP):
	case 'k':
		tui_model_move(&t->m, -1);
		break;
	case TUI_KEY(KEY_NPAGE):
		tui_model_move(&t->m, page);
		break;
	case TUI_KEY(KEY_PPAGE):
		tui_model_move(&t->m, -page);
		break;
	case TUI_KEY(KEY_HOME):
	case 'g':
		tui_model_move(&t->m, -(long)t->m.nvis);
		break;
	case TUI_KEY(KEY_END):
	case 'G':
		tui_model_move(&t->m, (long)t->m.nvis);
		break;
	case TUI_KEY(KEY_LEFT):
		tui_model_left(&t->m);
		break;
	case TUI_KEY(KEY_RIGHT):
		tui_model_right(&t->m);
		break;
	case '\n':
	case '\r':
	case TUI_KEY(KEY_ENTER):
		open_tasks(t);
		break;
	}
}

/* A key while the time to go to is typed; Enter goes to the first sample at or after it. */
static void key_when(struct tui *t, int key)
{
	size_t l = strlen(t->when), i;
	uint64_t ns;

	switch (key) {
	case '\n':
	case '\r':
	case TUI_KEY(KEY_ENTER):
		t->asking_time = false;
		if (recording_parse_time(t->when, t->snap ? t->snap->real_ns : 0, &ns) < 0) {
			_cleanup_free_ char *w = sanitize_dup(t->when);

			snprintf(t->message, sizeof(t->message), "'%s' is not a time: give HH:MM:SS or RFC 3339 (2026-11-22T10:21:26Z)", w);
			return;
		}
		if (app_find_time(t->app, ns, &i) == -ERANGE)
			snprintf(t->message, sizeof(t->message), "no sample at or after that time: the last one is shown");
		want_sample(t, i);
		return;
	case TUI_ESC:
		t->asking_time = false;
		return;
	case 127:
	case 8:
	case TUI_KEY(KEY_BACKSPACE):
		if (l)
			t->when[l - 1] = '\0';
		return;
	default:
		/* digits, ':', '-', '+', 'T', 'Z', '.', ' ': ASCII is all a time needs */
		if (key >= 0x20 && key < 0x7f && l + 1 < sizeof(t->when)) {
			t->when[l] = (char)key;
			t->when[l + 1] = '\0';
		}
		return;
	}
}

/* The keys of a source that can go back (a recording). Returns true when KEY was one. */
static bool key_seek(struct tui *t, int key)
{
	/* from the sample asked for last, keys pressed faster than the worker count */
	size_t i = t->asked >= 0 ? (size_t)t->asked : t->smp ? t->smp->index : 0, n = app_count(t->app);

	switch (key) {
	case 'n':
	case '.':
		if (i + 1 < n)
			want_sample(t, i + 1);
		else
			snprintf(t->message, sizeof(t->message), "the last sample of the recording");
		return true;
	case 'b':
	case ',':
		if (i > 0)
			want_sample(t, i - 1);
		else
			snprintf(t->message, sizeof(t->message), "the first sample of the recording");
		return true;
	case TUI_KEY(KEY_HOME):
		want_sample(t, 0);
		return true;
	case TUI_KEY(KEY_END):
		want_sample(t, n - 1);
		return true;
	case 'g':
		t->asking_time = true;
		t->when[0] = '\0';
		return true;
	}
	return false;
}

/* Dispatch one key. */
static void handle_key(struct tui *t, int key)
{
	t->message[0] = '\0';
	if (key == TUI_KEY(KEY_RESIZE))
		return;
	if (t->help) {
		if (key == TUI_KEY(KEY_DOWN) || key == 'j' || key == TUI_KEY(KEY_NPAGE)) {
			if (t->help_scroll + 1 < tui_help_lines())
				t->help_scroll++;
		} else if (key == TUI_KEY(KEY_UP) || key == 'k' || key == TUI_KEY(KEY_PPAGE)) {
			if (t->help_scroll > 0)
				t->help_scroll--;
		} else {
			t->help = false;
		}
		return;
	}
	if (t->editing) {
		key_filter(t, key);
		return;
	}
	if (t->asking_time) {
		key_when(t, key);
		return;
	}
	if (t->seekable && key_seek(t, key))
		return;
	if (t->screen == SCR_TASKS) {
		enum tui_tasks_result r = tui_tasks_key(t->tasks, key, t->table_h, app_root(t->app));

		if (r == TT_BACK) {
			tui_tasks_free(t->tasks);
			t->tasks = NULL;
			t->screen = SCR_TABLE;
		}
		if (r != TT_UNHANDLED)
			return;
		key_global(t, key);
		return;
	}
	if (t->screen == SCR_SUMMARY) {
		switch (key) {
		case TUI_ESC:
		case 127:
		case 8:
		case 's':
		case TUI_KEY(KEY_BACKSPACE):
		case TUI_KEY(KEY_LEFT):
			t->screen = SCR_TABLE;
			return;
		case TUI_KEY(KEY_DOWN):
		case 'j':
			tui_summary_scroll(t->summary, 1);
			return;
		case TUI_KEY(KEY_UP):
		case 'k':
			tui_summary_scroll(t->summary, -1);
			return;
		case TUI_KEY(KEY_NPAGE):
			tui_summary_scroll(t->summary, t->table_h);
			return;
		case TUI_KEY(KEY_PPAGE):
			tui_summary_scroll(t->summary, -t->table_h);
			return;
		}
		key_global(t, key);
		return;
	}
	if (!key_global(t, key))
		key_table(t, key);
}

/* Standard input is readable: take every key there is, then draw once. */
static int on_input(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct tui *t = userdata;
	wint_t ch;
	int r, n = 0;

	while ((r = get_wch(&ch)) != ERR) {
		handle_key(t, r == KEY_CODE_YES ? TUI_KEY((int)ch) : (int)ch);
		n++;
	}
	if (n == 0 && (revents & (EPOLLHUP | EPOLLERR))) {
		t->exit_status = 1; /* the terminal went away */
		sd_event_exit(t->ev, 1);
		return 0;
	}
	kick_worker(t);
	draw(t);
	return 0;
}

/* SIGWINCH: take the new size now; SIGINT, SIGTERM, SIGHUP: leave (the terminal is
 * restored on the way out). */
static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata)
{
	struct tui *t = userdata;
	struct winsize ws;

	if (si->ssi_signo == SIGWINCH) {
		if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
			resizeterm(ws.ws_row, ws.ws_col);
		draw(t);
		return 0;
	}
	t->exit_status = si->ssi_signo == SIGINT ? 0 : 128 + (int)si->ssi_signo;
	sd_event_exit(t->ev, t->exit_status);
	return 0;
}

/* ---------------------------------------------------------------- setup */

bool tui_terminal_ok(void)
{
	const char *term = getenv("TERM");
	int err = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "cgtop: the interactive screen needs a terminal on standard input and output; use 'cgtop --batch'\n");
		return false;
	}
	if (!term || !*term || strcmp(term, "dumb") == 0) {
		fprintf(stderr, "cgtop: TERM is %s%s%s: the interactive screen needs a real terminal; use 'cgtop --batch' for plain text\n",
			term && *term ? "'" : "", term && *term ? term : "not set", term && *term ? "'" : "");
		return false;
	}
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		_cleanup_free_ char *t = sanitize_dup(term);

		fprintf(stderr, "cgtop: no terminfo entry for TERM '%s': use 'cgtop --batch', or set TERM to one this host knows (e.g. xterm)\n", t);
		return false;
	}
	if (!tigetstr("cup") || tigetstr("cup") == (char *)-1) {
		_cleanup_free_ char *t = sanitize_dup(term);

		del_curterm(cur_term);
		fprintf(stderr, "cgtop: the terminal '%s' cannot move the cursor; use 'cgtop --batch'\n", t);
		return false;
	}
	del_curterm(cur_term);
	return true;
}

static const int caught_signals[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP };
static sigset_t mask_before;      /* the signal mask before tui_block_signals() */
static bool blocked;

/* Block caught_signals in this thread and every thread started after. */
void tui_block_signals(void)
{
	sigset_t mask;

	if (blocked)
		return;
	sigemptyset(&mask);
	for (size_t i = 0; i < ARRAY_SIZE(caught_signals); i++)
		sigaddset(&mask, caught_signals[i]);
	sigprocmask(SIG_BLOCK, &mask, &mask_before);
	blocked = true;
}

/* Undo tui_block_signals(). */
static void unblock_signals(void)
{
	if (blocked)
		sigprocmask(SIG_SETMASK, &mask_before, NULL);
	blocked = false;
}

/* Free everything the loop made. */
static void tui_teardown(struct tui *t)
{
	tui_worker_free(t->worker); /* waits for a running job: nothing touches its data after */
	sd_event_source_unref(t->input);
	sd_event_source_unref(t->wake);
	sd_event_source_unref(t->timer);
	for (size_t i = 0; i < ARRAY_SIZE(t->sigs); i++)
		sd_event_source_unref(t->sigs[i]);
	sd_event_unref(t->ev);
	for (size_t i = 0; i < t->nnotes; i++)
		free(t->notes[i]);
	free(t->notes);
	tui_model_free(&t->m);
	tui_tasks_free(t->tasks);
	tui_summary_free(t->summary);
}

/* Set up the terminal, the worker and the event loop; run until asked to stop. */
int tui_run(struct app *a, const struct options *opt)
{
	struct tui t = { .app = a, .opt = opt, .want_seek = -1, .asked = -1 };
	const char *nc = getenv("NO_COLOR");
	char msg[512];
	int r;

	t.params = app_view_params(opt);
	t.delay_ns = opt->delay_ns;
	t.seekable = app_count(a) > 0;
	t.summary = tui_summary_new();

	/* blocked before the worker exists, so it inherits the mask and the signals reach
	 * only the event loop's signalfd (main() has done it before the metadata thread) */
	tui_block_signals();

	t.pr = app_tasks_reader(a, &t.no_tasks);
	t.worker = tui_worker_new(a, t.pr);
	if (!t.worker) {
		fprintf(stderr, "cgtop: cannot start the sampling thread: %s\n", strerror(errno));
		tui_teardown(&t);
		unblock_signals();
		return 1;
	}
	r = sd_event_new(&t.ev);
	if (r >= 0)
		r = sd_event_add_io(t.ev, &t.wake, tui_worker_fd(t.worker), EPOLLIN, on_worker, &t);
	if (r >= 0)
		r = sd_event_add_io(t.ev, &t.input, STDIN_FILENO, EPOLLIN, on_input, &t);
	for (size_t i = 0; r >= 0 && i < ARRAY_SIZE(caught_signals); i++)
		r = sd_event_add_signal(t.ev, &t.sigs[i], caught_signals[i], on_signal, &t);
	if (r >= 0)
		r = sd_event_add_time_relative(t.ev, &t.timer, CLOCK_MONOTONIC, pace_ns(&t, 0) / 1000, 1000,
					       on_timer, &t);
	if (r < 0) {
		fprintf(stderr, "cgtop: cannot set up the event loop: %s\n", strerror(-r));
		tui_teardown(&t);
		unblock_signals();
		return 1;
	}

	t.scr = newterm(NULL, stdout, stdin);
	if (!t.scr) {
		fprintf(stderr, "cgtop: cannot start the screen on this terminal; use 'cgtop --batch'\n");
		tui_teardown(&t);
		unblock_signals();
		return 1;
	}
	set_term(t.scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(50);
	tui_draw_init(!opt->no_color && !(nc && *nc));
	if (app_problem(a, msg, sizeof(msg)))
		notes_add(app_notes(a), "damaged", "%s", msg);
	take_notes(&t); /* those of discovery, before the worker may add more */

	/* the first sample right away, drawn as soon as it is there; a recording waits on
	 * its first sample, paused: space plays it at the recorded pace */
	t.paused = t.seekable;
	t.want = WORK_SAMPLE;
	kick_worker(&t);
	draw(&t);
	r = sd_event_loop(t.ev);

	endwin();
	delscreen(t.scr);
	tui_teardown(&t);
	unblock_signals();
	if (r < 0) {
		fprintf(stderr, "cgtop: the event loop failed: %s\n", strerror(-r));
		return 1;
	}
	return app_record_error(a, msg, sizeof(msg)) ? 1 : t.exit_status;
}
