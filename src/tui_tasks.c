/* The TUI's drill-down into the tasks of a row, and the details of one task. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "format.h"
#include "tui_container.h"
#include "history.h"
#include "tui_draw.h"
#include "tui_screen.h"
#include "tui_tasks.h"
#include "tui_worker.h"
#include "util.h"

struct task_detail {
	pid_t pid;
	char *cmdline;            /* raw */
	char user[33];
	char state;
	long threads;
	bool have_where;          /* the worker has read ... */
	struct task_where w;      /* ... its cgroups and unit */
	size_t scroll;
};

struct tui_tasks {
	char *key;
	char *title;
	char **paths;
	size_t npaths;
	char **owners;                /* per path: its container's name (raw), or NULL */
	ssize_t *task_path;           /* per task of the list: its path, -1 none; or NULL */
	struct task_list list;
	bool have_list;
	const char *unavailable;      /* why there is no list (a replay), or NULL */
	pid_t sel_pid;
	size_t sel, top;
	struct task_detail *detail;   /* non-NULL while a task's details are shown */
};

/* A drill-down with its own copies of the key, title and paths. */
struct tui_tasks *tui_tasks_new(const char *key, const char *title, const char *const *paths, size_t npaths,
				const char *const *owners)
{
	struct tui_tasks *tt = xcalloc(1, sizeof(*tt));

	tt->key = xstrdup(key);
	tt->title = xstrdup(title);
	tt->paths = xcalloc(npaths ? npaths : 1, sizeof(*tt->paths));
	for (size_t i = 0; i < npaths; i++)
		tt->paths[i] = xstrdup(paths[i]);
	tt->npaths = npaths;
	if (owners) {
		tt->owners = xcalloc(npaths ? npaths : 1, sizeof(*tt->owners));
		for (size_t i = 0; i < npaths; i++)
			tt->owners[i] = owners[i] ? xstrdup(owners[i]) : NULL;
	}
	return tt;
}

bool tui_tasks_has_owners(const struct tui_tasks *tt)
{
	return tt && tt->owners;
}

/* Free a task's details. */
static void detail_free(struct task_detail *d)
{
	if (!d)
		return;
	free(d->cmdline);
	task_where_free(&d->w);
	free(d);
}

/* Free a drill-down and its task list. */
void tui_tasks_free(struct tui_tasks *tt)
{
	if (!tt)
		return;
	for (size_t i = 0; i < tt->npaths; i++) {
		free(tt->paths[i]);
		if (tt->owners)
			free(tt->owners[i]);
	}
	free(tt->paths);
	free(tt->owners);
	free(tt->task_path);
	free(tt->key);
	free(tt->title);
	task_list_free(&tt->list);
	detail_free(tt->detail);
	free(tt);
}

/* The key of the row the drill-down belongs to. */
const char *tui_tasks_row_key(const struct tui_tasks *tt)
{
	return tt->key;
}

/* The cgroups the drill-down lists tasks of. */
const char *const *tui_tasks_paths(const struct tui_tasks *tt, size_t *npaths)
{
	*npaths = tt->npaths;
	return (const char *const *)tt->paths;
}

/* The task list results are swapped into. */
struct task_list *tui_tasks_list(struct tui_tasks *tt)
{
	return &tt->list;
}

/* Put the selection back on its PID after new tasks came in. */
void tui_tasks_set_unavailable(struct tui_tasks *tt, const char *why)
{
	tt->unavailable = why;
}

void tui_tasks_updated(struct tui_tasks *tt, ssize_t *task_path)
{
	free(tt->task_path);
	tt->task_path = task_path;
	tt->have_list = true;
	for (size_t i = 0; i < tt->list.n; i++)
		if (tt->list.v[i].pid == tt->sel_pid) {
			tt->sel = i;
			return;
		}
	if (tt->sel >= tt->list.n)
		tt->sel = tt->list.n ? tt->list.n - 1 : 0;
	tt->sel_pid = tt->list.n ? tt->list.v[tt->sel].pid : 0;
}

/* Open the details of the selected task; where it runs is read by the worker
 * (tui_tasks_detail_wanted). */
static void detail_open(struct tui_tasks *tt)
{
	const struct task *t = &tt->list.v[tt->sel];
	struct task_detail *d = xcalloc(1, sizeof(*d));

	d->pid = t->pid;
	d->cmdline = xstrdup(t->cmdline ? t->cmdline : "");
	snprintf(d->user, sizeof(d->user), "%s", t->user);
	d->state = t->state;
	d->threads = t->threads;
	detail_free(tt->detail);
	tt->detail = d;
}

pid_t tui_tasks_detail_wanted(const struct tui_tasks *tt)
{
	return tt && tt->detail && !tt->detail->have_where ? tt->detail->pid : 0;
}

/* Kept only when the details of W->pid are still shown. */
void tui_tasks_detail_set(struct tui_tasks *tt, struct task_where *w)
{
	if (!tt || !tt->detail || tt->detail->pid != w->pid || tt->detail->have_where) {
		task_where_free(w);
		return;
	}
	tt->detail->w = *w;
	tt->detail->have_where = true;
	memset(w, 0, sizeof(*w));
}

/* Start time as ps shows it: "HH:MM" today, else "MonDD". */
static const char *start_text(char *buf, size_t len, const struct task *t)
{
	time_t when, now = time(NULL);
	struct tm tw, tn;

	if (!t->start_valid)
		return "-";
	when = (time_t)t->start_real_s;
	localtime_r(&when, &tw);
	localtime_r(&now, &tn);
	if (tw.tm_year == tn.tm_year && tw.tm_yday == tn.tm_yday)
		strftime(buf, len, "%H:%M", &tw);
	else
		strftime(buf, len, "%b%d", &tw);
	return buf;
}

#define OWNER_WIDTH_MAX 24

/* The container of task K (raw), when the drill-down has owners: "" until the worker
 * said, "-" for a task in none of the paths (it moved meanwhile). */
static const char *task_owner(const struct tui_tasks *tt, size_t k)
{
	ssize_t p = tt->task_path ? tt->task_path[k] : -2;

	if (p == -2)
		return "";
	return p >= 0 && tt->owners[p] ? tt->owners[p] : "-";
}

/* The container column's width: "CONTAINER" or its longest name, up to OWNER_WIDTH_MAX;
 * 0 without owners. */
static int owner_width(const struct tui_tasks *tt)
{
	int w = 9;

	for (size_t i = 0; tt->owners && i < tt->npaths && w < OWNER_WIDTH_MAX; i++) {
		_cleanup_free_ char *s = tt->owners[i] ? sanitize_dup(tt->owners[i]) : NULL;

		if (s && (int)tui_text_width(s) > w)
			w = (int)tui_text_width(s);
	}
	return !tt->owners ? 0 : w < OWNER_WIDTH_MAX ? w : OWNER_WIDTH_MAX;
}

/* The task table in [Y, Y+H); with owners (a group's tasks) a CONTAINER column before
 * the command line. */
static void draw_list(struct tui_tasks *tt, int y, int h)
{
	static const char fmt_head[] = "%7s %-9s %s %6s %8s %4s %-5s  ";
	int rows = h - 1, ow = owner_width(tt), x;

	if (h <= 0)
		return;
	tui_fill(y, 0, ST_HEADER);
	x = tui_printf(y, 0, COLS, fmt_head, "PID", "USER", "S", "%CPU", "RSS", "THR", "START");
	if (ow) {
		tui_put(y, x, ow, "CONTAINER");
		x += ow + 1;
	}
	tui_put(y, x, COLS - x, "COMMAND");
	tui_style(ST_HEADER_SORT); /* always ordered by %CPU, busiest first */
	tui_put_right(y, 20, 6, tui_draw_utf8() ? "%CPU\u25bc" : "%CPUv");
	tui_style(ST_NORMAL);
	y++;
	if (tt->unavailable) {
		tui_put(y, 1, COLS - 1, tt->unavailable);
		return;
	}
	if (!tt->have_list) {
		tui_put(y, 1, COLS - 1, "reading tasks...");
		return;
	}
	if (tt->list.err < 0) {
		tui_style(ST_WARN);
		tui_printf(y, 1, COLS - 1, "cannot list the tasks: %s (the cgroup may be gone)",
			   strerror(-tt->list.err));
		tui_style(ST_NORMAL);
		return;
	}
	if (tt->list.n == 0) {
		tui_put(y, 1, COLS - 1, "no tasks in this cgroup or below it");
		return;
	}
	if (rows < 1)
		return;
	if (tt->sel < tt->top)
		tt->top = tt->sel;
	if (tt->sel >= tt->top + (size_t)rows)
		tt->top = tt->sel - (size_t)rows + 1;
	for (int i = 0; i < rows && tt->top + (size_t)i < tt->list.n; i++) {
		const struct task *t = &tt->list.v[tt->top + (size_t)i];
		char cpu[16] = "-", rss[32], start[32], user[40], line[160];
		_cleanup_free_ char *u = sanitize_dup(t->user[0] ? t->user : "-");
		bool sel = tt->top + (size_t)i == tt->sel;

		if (t->cpu_valid)
			snprintf(cpu, sizeof(cpu), "%.1f", t->cpu_percent);
		snprintf(user, sizeof(user), "%.9s", u);
		snprintf(line, sizeof(line), "%7d %-9s %c %6s %8s %4ld %-5s  ", (int)t->pid, user,
			 t->state ? t->state : '?', cpu, tui_cell_bytes(rss, sizeof(rss), t->rss_valid, t->rss_bytes),
			 t->threads, start_text(start, sizeof(start), t));
		if (sel)
			tui_fill(y + i, 0, ST_SELECTED);
		else
			tui_style(ST_NORMAL);
		x = tui_put(y + i, 0, COLS, line);
		if (ow) {
			tui_put_raw_cut(y + i, x, ow, task_owner(tt, tt->top + (size_t)i));
			x += ow + 1;
		}
		tui_put_raw(y + i, x, COLS - x, t->cmdline ? t->cmdline : "");
	}
	tui_style(ST_NORMAL);
}

/* Draw TEXT (raw) wrapped over at most MAXL lines from (Y, X). Returns lines used. */
static int draw_wrapped(int y, int x, int maxl, const char *raw)
{
	_cleanup_free_ char *s = sanitize_dup(raw);
	size_t len = strlen(s), off = 0;
	int w = COLS - x, n = 0;

	if (w <= 0)
		return 0;
	while (n < maxl && (off < len || n == 0)) {
		size_t take = 0, cols = 0;

		/* take as many whole characters as fit in W columns */
		while (off + take < len) {
			size_t l = 1;
			char piece[8];

			while (off + take + l < len && ((unsigned char)s[off + take + l] & 0xC0) == 0x80)
				l++;
			if (l >= sizeof(piece))
				break;
			memcpy(piece, s + off + take, l);
			piece[l] = '\0';
			if (cols + tui_text_width(piece) > (size_t)w)
				break;
			cols += tui_text_width(piece);
			take += l;
		}
		if (take == 0 && off < len)
			break;
		{
			_cleanup_free_ char *chunk = xstrndup(s + off, take);

			tui_put(y + n, x, w, chunk);
		}
		off += take;
		n++;
	}
	return n;
}

/* The details of one task in [Y, Y+H). */
static void draw_detail(const struct task_detail *d, int y, int h)
{
	int end = y + h, used;
	char head[128];

	tui_fill(y, 0, ST_HEADER);
	snprintf(head, sizeof(head), "Task %d  state %c  %ld thread%s  user ", (int)d->pid,
		 d->state ? d->state : '?', d->threads, d->threads == 1 ? "" : "s");
	used = tui_put(y, 1, COLS - 1, head);
	tui_put_raw(y, 1 + used, COLS - 1 - used, d->user[0] ? d->user : "-");
	tui_style(ST_NORMAL);
	if (++y >= end)
		return;
	tui_style(ST_TITLE);
	used = tui_put(y, 1, COLS - 1, "Command:");
	tui_style(ST_NORMAL);
	y += draw_wrapped(y, 2 + used, end - y > 4 ? 3 : 1, d->cmdline);
	if (y >= end)
		return;
	tui_style(ST_TITLE);
	used = tui_put(y, 1, COLS - 1, "systemd unit:");
	tui_style(ST_NORMAL);
	if (!d->have_where) {
		tui_put(y, 2 + used, COLS - 2 - used, "reading...");
		return;
	}
	if (d->w.unit_err == 1)
		tui_put(y, 2 + used, COLS - 2 - used, "not available with --root");
	else if (d->w.unit_err < 0)
		tui_printf(y, 2 + used, COLS - 2 - used, "none (%s)", strerror(-d->w.unit_err));
	else {
		int w2 = tui_put_raw(y, 2 + used, COLS - 2 - used, d->w.unit);

		if (d->w.slice) {
			used += 2 + w2 + 2;
			tui_style(ST_TITLE);
			w2 = tui_put(y, used, COLS - used, "slice:");
			tui_style(ST_NORMAL);
			tui_put_raw(y, used + w2 + 1, COLS - used - w2 - 1, d->w.slice);
		}
	}
	if (++y >= end)
		return;
	y++;
	if (y >= end)
		return;
	tui_fill(y, 0, ST_HEADER);
	tui_printf(y, 1, COLS - 1, "%-4s %-24s %s", "ID", "CONTROLLERS", "CGROUP (/proc/PID/cgroup)");
	tui_style(ST_NORMAL);
	y++;
	if (d->w.ncgs < 0) {
		tui_style(ST_WARN);
		tui_printf(y, 1, COLS - 1, d->w.ncgs == -ENOENT ? "process %d has exited" : "cannot read /proc/%d/cgroup: %s",
			   (int)d->pid, strerror((int)-d->w.ncgs));
		tui_style(ST_NORMAL);
		return;
	}
	for (size_t i = d->scroll; i < (size_t)d->w.ncgs && y < end; i++, y++) {
		const struct task_cgroup *c = &d->w.cgs[i];
		char id[16];
		int x;

		snprintf(id, sizeof(id), "%d", c->hierarchy);
		tui_put(y, 1, 4, id);
		x = 6;
		tui_put_raw(y, x, 24, c->controllers[0] ? c->controllers : "(cgroup2)");
		x += 25;
		tui_put_raw(y, x, COLS - x, c->path);
	}
}

/* Draw the task list (with a container's panel) or one task's details. */
void tui_tasks_draw(struct tui_tasks *tt, int y, int h, const struct container_info *ctr,
		    const char *network, int (*panel)(void *ctx, int y, int h), void *ctx)
{
	int used;

	if (h <= 0)
		return;
	if (tt->detail) {
		draw_detail(tt->detail, y, h);
		return;
	}
	tui_style(ST_TITLE);
	used = tui_put(y, 0, COLS, "Tasks of ");
	tui_style(ST_NORMAL);
	used += tui_put_raw(y, used, COLS - used, tt->title);
	if (tt->have_list && tt->list.err == 0)
		tui_printf(y, used, COLS - used, "  (%zu task%s)", tt->list.n, tt->list.n == 1 ? "" : "s");
	y++;
	h--;
	if (panel && h > 8) {
		/* the row's history: what a drill-down is opened for in an incident; the
		 * task list keeps three lines at least */
		int lines = panel(ctx, y, h - 4 < HIST_PANEL_LINES ? h - 4 : HIST_PANEL_LINES);

		y += lines + 1;
		h -= lines + 1;
	}
	if (ctr && h > 6) {
		/* the panel takes what the list does not need: its titles and up to 5 tasks
		 * (a blank line between) */
		size_t tasks = tt->have_list && tt->list.n ? tt->list.n : 1;
		int list = 1 + (tasks < 5 ? (int)tasks : 5);
		int want = tui_container_lines(ctr, network), lines = want < h - list - 1 ? want : h - list - 1;

		if (lines < h / 2)
			lines = want < h / 2 ? want : h / 2;

		lines = tui_container_draw(ctr, network, y, 1, lines, COLS - 1);
		y += lines + 1;
		h -= lines + 1;
	}
	draw_list(tt, y, h);
}

/* Move the selection by DELTA rows within N. */
static size_t moved(size_t sel, long delta, size_t n)
{
	long s = (long)sel + delta;

	if (n == 0 || s < 0)
		return 0;
	if ((size_t)s >= n)
		return n - 1;
	return (size_t)s;
}

/* Move, open a task's details, or go back. */
enum tui_tasks_result tui_tasks_key(struct tui_tasks *tt, int key, int h)
{
	size_t n = tt->list.n;
	long page = h > 3 ? h - 2 : 1;

	if (tt->detail) {
		switch (key) {
		case TUI_ESC:
		case 127:
		case 8:
		case TUI_KEY(KEY_BACKSPACE):
		case TUI_KEY(KEY_LEFT):
			detail_free(tt->detail);
			tt->detail = NULL;
			return TT_HANDLED;
		case TUI_KEY(KEY_DOWN):
		case 'j':
			if (tt->detail->w.ncgs > 0 && tt->detail->scroll + 1 < (size_t)tt->detail->w.ncgs)
				tt->detail->scroll++;
			return TT_HANDLED;
		case TUI_KEY(KEY_UP):
		case 'k':
			if (tt->detail->scroll)
				tt->detail->scroll--;
			return TT_HANDLED;
		default:
			return TT_UNHANDLED;
		}
	}
	switch (key) {
	case TUI_ESC:
	case 127:
	case 8:
	case TUI_KEY(KEY_BACKSPACE):
	case TUI_KEY(KEY_LEFT):
		return TT_BACK;
	case TUI_KEY(KEY_DOWN):
	case 'j':
		tt->sel = moved(tt->sel, 1, n);
		break;
	case TUI_KEY(KEY_UP):
	case 'k':
		tt->sel = moved(tt->sel, -1, n);
		break;
	case TUI_KEY(KEY_NPAGE):
		tt->sel = moved(tt->sel, page, n);
		break;
	case TUI_KEY(KEY_PPAGE):
		tt->sel = moved(tt->sel, -page, n);
		break;
	case TUI_KEY(KEY_HOME):
	case 'g':
		tt->sel = 0;
		break;
	case TUI_KEY(KEY_END):
	case 'G':
		tt->sel = n ? n - 1 : 0;
		break;
	case '\n':
	case '\r':
	case TUI_KEY(KEY_ENTER):
		if (n)
			detail_open(tt);
		return TT_HANDLED;
	default:
		return TT_UNHANDLED;
	}
	if (n)
		tt->sel_pid = tt->list.v[tt->sel].pid;
	return TT_HANDLED;
}

/* ---------------------------------------------------------------- the screen */

/* The history panel of the drill-down's row. */
static int history_panel(void *ctx, int y, int h)
{
	struct tui *t = ctx;

	return tui_history_draw(t, tui_tasks_row_key(t->tasks), tui_model_find(t->m.v, tui_tasks_row_key(t->tasks)), y, h);
}

/* The drill-down: the row's history, the details panel when its row is a container still
 * shown, the tasks. */
static void screen_draw(struct tui *t, int y, int h)
{
	const struct view_row *vr = tui_model_find(t->m.v, tui_tasks_row_key(t->tasks));
	char net[CONTAINER_SHOWN_MAX + 64];

	tui_tasks_draw(t->tasks, y, h, vr ? vr->ctr : NULL,
		       vr && vr->ctr ? tui_container_network(vr, net, sizeof(net)) : NULL,
		       history_panel, t);
	t->table_h = h;
}

/* The list's keys; back to the table closes the drill-down. */
static bool screen_key(struct tui *t, int key)
{
	enum tui_tasks_result r = tui_tasks_key(t->tasks, key, t->table_h);

	if (r == TT_BACK) {
		tui_tasks_free(t->tasks);
		t->tasks = NULL;
		tui_set_screen(t, &tui_screen_table);
	}
	if (tui_tasks_detail_wanted(t->tasks))
		t->want |= WORK_DETAIL; /* read by the worker, not here */
	return r != TT_UNHANDLED;
}

const struct tui_screen tui_screen_tasks = {
	.name = "tasks",
	.draw = screen_draw,
	.key = screen_key,
	.work = WORK_TASKS,
	.keys = "Enter task details  Esc back  space pause  +/- refresh  ? help  q quit",
};
