/* The TUI's key bindings: one table mapping each key to an action (htop's Action.c), in
 * three scopes: every screen, the table, and a source that can go back (a recording).
 * The two line editors (the filter, the time to go to) take keys before any binding. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "container.h"
#include "format.h"
#include "record_file.h"
#include "tui_draw.h"
#include "tui_screen.h"
#include "tui_tasks.h"
#include "tui_worker.h"

enum key_scope {
	ON_ANY = 1u << 0,   /* every screen (after the screen's own keys) */
	ON_TABLE = 1u << 1, /* the table */
	ON_SEEK = 1u << 2,  /* a source that can go back, before the screen's keys */
};

struct binding {
	int key;
	unsigned scope;
	void (*run)(struct tui *t);
};

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
	tui_timer_in(t, d);
}

/* ---------------------------------------------------------------- every screen */

static void act_quit(struct tui *t)
{
	tui_quit(t, 0);
}

static void act_help(struct tui *t)
{
	t->help_scroll = 0;
	tui_set_screen(t, &tui_screen_help);
}

/* Pause or resume; a recording plays from the start again when at its end. */
static void act_pause(struct tui *t)
{
	size_t i = t->smp ? t->smp->index : 0;

	t->paused = !t->paused;
	if (t->paused)
		return;
	if (t->smp && t->smp->last) {
		i = 0;
		tui_want_sample(t, 0);
	}
	/* the next sample after the source's own pace; the host's right away */
	tui_timer_in(t, app_gap_ns(t->app, i));
}

static void act_slower(struct tui *t)
{
	change_interval(t, 1);
}

static void act_faster(struct tui *t)
{
	change_interval(t, -1);
}

static void act_cpu_time(struct tui *t)
{
	t->params.cpu_time = !t->params.cpu_time;
	tui_set_view(t);
}

/* ---------------------------------------------------------------- the table */

/* Order the rows by O ('r' reverses). The selection is the model's: on the top row of the
 * new order until the user moves it, on the row the user moved to after (only r, Home and
 * g go back to the top). */
static void set_order(struct tui *t, enum sort_order o)
{
	t->params.order = o;
	tui_set_view(t);
}

static void act_order_path(struct tui *t) { set_order(t, ORDER_PATH); }
static void act_order_tasks(struct tui *t) { set_order(t, ORDER_TASKS); }
static void act_order_cpu(struct tui *t) { set_order(t, ORDER_CPU); }
static void act_order_memory(struct tui *t) { set_order(t, ORDER_MEMORY); }
static void act_order_io(struct tui *t) { set_order(t, ORDER_IO); }
static void act_order_trouble(struct tui *t) { set_order(t, ORDER_TROUBLE); }
static void act_figures(struct tui *t) { tui_figures_open(t); }
static void act_trend(struct tui *t) { t->trend = !t->trend; }

static void act_reverse(struct tui *t)
{
	t->params.reverse = !t->params.reverse;
	tui_model_to_top(&t->m);
	tui_set_view(t);
}

static void act_tree(struct tui *t)
{
	t->m.tree = !t->m.tree;
	tui_set_view(t);
}

/* Containers that are not running: shown (the default) or hidden. */
static void act_stopped(struct tui *t)
{
	t->params.hide_down = !t->params.hide_down;
	tui_set_view(t);
}

static void act_summary(struct tui *t)
{
	tui_set_screen(t, &tui_screen_summary);
}

static void act_filter(struct tui *t)
{
	t->editing = true;
}

static void act_filter_clear(struct tui *t)
{
	tui_model_filter_clear(&t->m);
	tui_rebuild(t);
}

/* A page: the rows drawn but one. */
static long page(const struct tui *t)
{
	return t->table_h > 1 ? t->table_h - 1 : 1;
}

static void act_down(struct tui *t) { tui_model_move(&t->m, 1); }
static void act_up(struct tui *t) { tui_model_move(&t->m, -1); }
static void act_page_down(struct tui *t) { tui_model_move(&t->m, page(t)); }
static void act_page_up(struct tui *t) { tui_model_move(&t->m, -page(t)); }
static void act_first(struct tui *t) { tui_model_to_top(&t->m); }
static void act_last(struct tui *t) { tui_model_move(&t->m, (long)t->m.nvis); }
static void act_left(struct tui *t) { tui_model_left(&t->m); }
static void act_right(struct tui *t) { tui_model_right(&t->m); }

/* The container of snapshot row I (raw): its name, or "?<short id>" when no engine
 * names it; NULL when the row is no container's. */
static const char *row_container(const struct tui *t, size_t i)
{
	const struct ctr_table *ct = t->smp ? t->smp->ctrs : NULL;
	const struct container_info *c;
	ssize_t k = ct && i < ct->row_cap ? ct->row_ctr[i] : -1;

	if (k < 0 || (size_t)k >= ct->n)
		return NULL;
	c = &ct->v[k];
	return container_name(c) ? container_name(c) : c->unknown_name;
}

/* Open the drill-down on the selected row; a group's says which container each task is
 * in. */
static void act_tasks(struct tui *t)
{
	const struct view_row *vr = tui_model_selected(&t->m);
	const char **paths, **owners = NULL;
	_cleanup_free_ char *key = NULL;

	if (!vr)
		return;
	paths = xcalloc(vr->nmembers ? vr->nmembers : 1, sizeof(*paths));
	if (vr->kind == VIEW_GROUP)
		owners = xcalloc(vr->nmembers ? vr->nmembers : 1, sizeof(*owners));
	for (size_t i = 0; i < vr->nmembers; i++) {
		size_t row = t->m.v->members[vr->first_member + i];

		paths[i] = t->snap->rows[row].path;
		if (owners)
			owners[i] = row_container(t, row);
	}
	key = tui_model_row_key(vr);
	tui_tasks_free(t->tasks);
	t->tasks = tui_tasks_new(key, vr->name ? vr->name : vr->path, paths, vr->nmembers, owners);
	t->tasks_gen++;
	free(paths);
	free(owners);
	tui_set_screen(t, &tui_screen_tasks);
	if (!t->pr) {
		tui_tasks_set_unavailable(t->tasks, t->no_tasks);
		return;
	}
	t->want |= WORK_TASKS;
}

/* ---------------------------------------------------------------- going back */

/* From the sample asked for last: keys pressed faster than the worker all count. */
static size_t seek_base(const struct tui *t)
{
	return t->asked >= 0 ? (size_t)t->asked : t->smp ? t->smp->index : 0;
}

static void act_next_sample(struct tui *t)
{
	size_t i = seek_base(t);

	if (i + 1 < app_count(t->app))
		tui_want_sample(t, i + 1);
	else
		snprintf(t->message, sizeof(t->message), "the last sample of the recording");
}

static void act_prev_sample(struct tui *t)
{
	size_t i = seek_base(t);

	if (i > 0)
		tui_want_sample(t, i - 1);
	else
		snprintf(t->message, sizeof(t->message), "the first sample of the recording");
}

static void act_first_sample(struct tui *t)
{
	tui_want_sample(t, 0);
}

static void act_last_sample(struct tui *t)
{
	tui_want_sample(t, app_count(t->app) - 1);
}

static void act_ask_time(struct tui *t)
{
	t->asking_time = true;
	t->when[0] = '\0';
}

static const struct binding bindings[] = {
	{ 'q', ON_ANY, act_quit },
	{ 'h', ON_ANY, act_help },
	{ '?', ON_ANY, act_help },
	{ TUI_KEY(KEY_F(1)), ON_ANY, act_help },
	{ ' ', ON_ANY, act_pause },
	{ '+', ON_ANY, act_slower },
	{ '-', ON_ANY, act_faster },
	{ '%', ON_ANY, act_cpu_time },

	{ 'p', ON_TABLE, act_order_path },
	{ 't', ON_TABLE, act_order_tasks },
	{ 'c', ON_TABLE, act_order_cpu },
	{ 'm', ON_TABLE, act_order_memory },
	{ 'i', ON_TABLE, act_order_io },
	{ '!', ON_TABLE, act_order_trouble },
	{ 'f', ON_TABLE, act_figures },
	{ 'T', ON_TABLE, act_trend },
	{ 'r', ON_TABLE, act_reverse },
	{ 'a', ON_TABLE, act_tree },
	{ 's', ON_TABLE, act_summary },
	{ 'x', ON_TABLE, act_stopped },
	{ '/', ON_TABLE, act_filter },
	{ TUI_ESC, ON_TABLE, act_filter_clear },
	{ TUI_KEY(KEY_DOWN), ON_TABLE, act_down },
	{ 'j', ON_TABLE, act_down },
	{ TUI_KEY(KEY_UP), ON_TABLE, act_up },
	{ 'k', ON_TABLE, act_up },
	{ TUI_KEY(KEY_NPAGE), ON_TABLE, act_page_down },
	{ TUI_KEY(KEY_PPAGE), ON_TABLE, act_page_up },
	{ TUI_KEY(KEY_HOME), ON_TABLE, act_first },
	{ 'g', ON_TABLE, act_first },
	{ TUI_KEY(KEY_END), ON_TABLE, act_last },
	{ 'G', ON_TABLE, act_last },
	{ TUI_KEY(KEY_LEFT), ON_TABLE, act_left },
	{ TUI_KEY(KEY_RIGHT), ON_TABLE, act_right },
	{ '\n', ON_TABLE, act_tasks },
	{ '\r', ON_TABLE, act_tasks },
	{ TUI_KEY(KEY_ENTER), ON_TABLE, act_tasks },

	{ 'n', ON_SEEK, act_next_sample },
	{ '.', ON_SEEK, act_next_sample },
	{ 'b', ON_SEEK, act_prev_sample },
	{ ',', ON_SEEK, act_prev_sample },
	{ TUI_KEY(KEY_HOME), ON_SEEK, act_first_sample },
	{ TUI_KEY(KEY_END), ON_SEEK, act_last_sample },
	{ 'g', ON_SEEK, act_ask_time },
};

/* Run the action bound to KEY in SCOPE. Returns false when there is none. */
static bool run_binding(struct tui *t, int key, unsigned scope)
{
	for (size_t i = 0; i < ARRAY_SIZE(bindings); i++)
		if (bindings[i].key == key && (bindings[i].scope & scope)) {
			bindings[i].run(t);
			return true;
		}
	return false;
}

bool tui_keys_table(struct tui *t, int key)
{
	return run_binding(t, key, ON_TABLE);
}

/* ---------------------------------------------------------------- line editors */

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
		tui_model_filter_clear(&t->m);
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
	tui_rebuild(t);
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
		tui_want_sample(t, i);
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

/* Dispatch one key: a line editor, a whole-terminal screen, the source's keys, the
 * screen's, then those of every screen. */
void tui_keys_handle(struct tui *t, int key)
{
	t->message[0] = '\0';
	if (key == TUI_KEY(KEY_RESIZE))
		return;
	if (t->editing) {
		key_filter(t, key);
		return;
	}
	if (t->asking_time) {
		key_when(t, key);
		return;
	}
	if (t->screen->whole) {
		t->screen->key(t, key);
		return;
	}
	if (t->seekable && run_binding(t, key, ON_SEEK))
		return;
	if (t->screen->key(t, key))
		return;
	run_binding(t, key, ON_ANY);
}
