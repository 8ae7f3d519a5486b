/* The TUI's event loop: keys, signals, the sampling timer and the worker (sd-event), and
 * the frame around the current screen. Samples are taken by the worker thread
 * (tui_worker.c); this thread reads keys, publishes samples, builds the rows and draws. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>
#include <systemd/sd-event.h>

#include "format.h"
#include "history.h"
#include "tui.h"
#include "tui_draw.h"
#include "tui_screen.h"
#include "tui_summary.h"
#include "tui_tasks.h"
#include "tui_worker.h"

/* ---------------------------------------------------------------- rows and screens */

/* Show the rows of the app's view (re-made after a new sample or new parameters): the
 * model filters them, puts them in tree order and keeps the selection on its row. */
void tui_rebuild(struct tui *t)
{
	tui_model_rebuild(&t->m, t->snap ? app_view(t->app) : NULL, t->snap);
	t->ncontainers = t->smp ? t->smp->ctrs->n : 0;
}

/* The tree is every cgroup, whatever the default view is. */
void tui_set_view(struct tui *t)
{
	struct view_params p = t->params;

	p.all = p.all || t->m.tree;
	app_set_view(t->app, &p);
	tui_rebuild(t);
}

void tui_set_screen(struct tui *t, const struct tui_screen *s)
{
	if (s->whole)
		t->under = t->screen;
	t->screen = s;
	if (s->update)
		s->update(t);
}

const struct tui_screen *tui_base_screen(const struct tui *t)
{
	return t->screen->whole ? t->under : t->screen;
}

void tui_quit(struct tui *t, int status)
{
	t->exit_status = status;
	sd_event_exit(t->ev, status);
}

void tui_timer_in(struct tui *t, uint64_t ns)
{
	sd_event_source_set_time_relative(t->timer, ns / 1000);
	sd_event_source_set_enabled(t->timer, SD_EVENT_ONESHOT);
}

/* Draw the whole terminal: erase() and draw, and let ncurses send only what changed. */
void tui_draw(struct tui *t)
{
	bool small = COLS < 60 || LINES < 10;
	int head = LINES >= 8 ? 3 : LINES >= 4 ? 1 : 0;

	erase();
	curs_set(t->editing || t->asking_time ? 1 : 0);
	t->dropped = false;
	if (LINES < 3 || COLS < 8) {
		tui_printf(0, 0, COLS, "cgtop: terminal too small (%dx%d)", COLS, LINES);
	} else if (t->screen->whole) {
		t->screen->draw(t, 0, LINES);
	} else {
		tui_header_draw(t, head >= 2 ? 2 : head);
		if (head >= 3)
			tui_info_draw(t, 2);
		t->screen->draw(t, head, LINES - 1 - head);
		tui_bottom_draw(t, small || t->dropped);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* ---------------------------------------------------------------- sampling */

/* Ask the worker for what is wanted, if it is free. */
void tui_kick_worker(struct tui *t)
{
	struct tui_job job = { .what = t->want, .seek = -1 };

	if (!t->worker || !job.what || tui_worker_busy(t->worker))
		return;
	if (t->tasks && t->pr) {
		job.paths = tui_tasks_paths(t->tasks, &job.npaths);
		job.path_of_task = tui_tasks_has_owners(t->tasks);
	} else
		job.what &= ~(unsigned)WORK_TASKS;
	job.pid = tui_tasks_detail_wanted(t->tasks);
	if (!job.pid)
		job.what &= ~(unsigned)WORK_DETAIL;
	if (job.what & WORK_SAMPLE)
		job.seek = t->want_seek;
	if (!job.what) {
		t->want = 0;
		return;
	}
	if (tui_worker_start(t->worker, &job)) {
		t->want = 0;
		t->want_seek = -1;
		t->job_tasks_gen = t->tasks_gen;
	}
}

void tui_want_sample(struct tui *t, size_t i)
{
	t->want |= WORK_SAMPLE;
	t->want_seek = t->asked = (ssize_t)i;
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
		t->want |= WORK_SAMPLE | tui_base_screen(t)->work;
		tui_kick_worker(t);
	}
	sd_event_source_set_time(s, usec + pace_ns(t, next) / 1000);
	sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	return 0;
}

/* A new sample was taken: publish it (names, rows), have it recorded, and rebuild. */
static void show_sample(struct tui *t)
{
	/* a container's first row waits a moment (never more) for the engines to name it;
	 * the keys wait no longer than that, and only when a container appears */
	app_publish(t->app, APP_NAME_WAIT_NS);
	t->want |= WORK_RECORD;
	t->smp = app_sample(t->app);
	t->snap = t->smp->snap;
	if (t->asked == (ssize_t)t->smp->index)
		t->asked = -1;
	if (t->smp->host)
		t->host = *t->smp->host;
	tui_history_feed(t);
	tui_rebuild(t);
	if (tui_base_screen(t)->update)
		tui_base_screen(t)->update(t);
}

/* The worker finished: take what it read, draw. */
static int on_worker(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct tui *t = userdata;
	char msg[512];
	struct tui_work_result res;
	struct task_list scratch = { 0 };
	/* tasks read for a drill-down closed (or replaced) meanwhile are dropped */
	bool same = t->tasks && t->job_tasks_gen == t->tasks_gen;
	struct task_list *tasks = same ? tui_tasks_list(t->tasks) : &scratch;

	if (!tui_worker_collect(t->worker, &res, tasks)) {
		task_list_free(&scratch);
		return 0;
	}
	if ((res.done & WORK_RECORD) && !t->rec_reported && app_record_error(t->app, msg, sizeof(msg))) {
		/* the screen goes on; cgtop says it again and exits 1 when it ends */
		notes_add(app_notes(t->app), "record", "%s", msg);
		t->rec_reported = true;
	}
	if (res.done & WORK_DETAIL)
		tui_tasks_detail_set(t->tasks, &res.where);
	if (res.done & WORK_CONTROLLERS)
		tui_summary_set_controllers(t->summary, res.ctls, res.nctls);
	if (res.done & WORK_SAMPLE) {
		if (res.taken == 0)
			show_sample(t);
		/* the end of a recording: stop playing there */
		if (res.taken == -ENODATA || (res.taken == 0 && t->smp->last && !t->paused))
			t->paused = true;
	}
	if ((res.done & WORK_TASKS) && same)
		tui_tasks_updated(t->tasks, res.task_path);
	else
		free(res.task_path);
	task_list_free(&scratch);
	take_notes(t);
	tui_kick_worker(t);
	tui_draw(t);
	return 0;
}

/* Standard input is readable: take every key there is, then draw once. */
static int on_input(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct tui *t = userdata;
	wint_t ch;
	int r, n = 0;

	while ((r = get_wch(&ch)) != ERR) {
		tui_keys_handle(t, r == KEY_CODE_YES ? TUI_KEY((int)ch) : (int)ch);
		n++;
	}
	if (n == 0 && (revents & (EPOLLHUP | EPOLLERR))) {
		tui_quit(t, 1); /* the terminal went away */
		return 0;
	}
	tui_kick_worker(t);
	tui_draw(t);
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
		tui_draw(t);
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
	hist_free(t->hist);
}

/* Set up the terminal, the worker and the event loop; run until asked to stop. */
int tui_run(struct app *a, const struct options *opt)
{
	struct tui t = { .app = a, .opt = opt, .want_seek = -1, .asked = -1, .hist_index = -1,
			 .screen = &tui_screen_table };
	const char *nc = getenv("NO_COLOR");
	char msg[512];
	int r;

	t.params = app_view_params(opt);
	t.delay_ns = opt->delay_ns;
	t.seekable = app_count(a) > 0;
	t.summary = tui_summary_new();
	t.hist = hist_new();

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
	/* Home and End as tmux, screen, the Linux console and rxvt send them, whatever the
	 * terminfo entry of TERM says (xterm's has \eOH and \eOF only) */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[7~", KEY_HOME);
	define_key("\033[8~", KEY_END);
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
	tui_kick_worker(&t);
	tui_draw(&t);
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
