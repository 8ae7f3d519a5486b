/* Inside the TUI: its state, shared by the tui_*.c files, and its screens. A screen is a
 * set of callbacks (tmux's window modes): the loop draws the current one, gives it the
 * keys it does not take first, and tells it (update) when a new sample is shown. */
#ifndef CGTOP_TUI_SCREEN_H
#define CGTOP_TUI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <curses.h>
#include <systemd/sd-event.h>

#include "app.h"
#include "host.h"
#include "tui_model.h"

struct tui;

struct tui_screen {
	const char *name;
	/* Draw the body in lines [Y, Y+H) (the whole terminal when WHOLE). */
	void (*draw)(struct tui *t, int y, int h);
	/* Handle KEY (see TUI_KEY); false when it is not one of this screen's. */
	bool (*key)(struct tui *t, int key);
	/* A new sample is shown, or the screen was opened; NULL when nothing is to do. */
	void (*update)(struct tui *t);
	unsigned work;         /* WORK_* bits to take with each sample while it is open */
	bool whole;            /* draws the whole terminal, takes every key (help) */
	const char *keys;      /* the bottom line */
	const char *seek_keys; /* ... when the source can go back, if other */
};

extern const struct tui_screen tui_screen_table, tui_screen_tasks, tui_screen_summary, tui_screen_help;
/* tui_figures.c: every figure of the selected row, its limit and its kernel source */
extern const struct tui_screen tui_screen_figures;
void tui_figures_open(struct tui *t);

struct tui {
	struct app *app;              /* the pipeline: samples and the rows made of them */
	const struct options *opt;
	sd_event *ev;
	sd_event_source *input, *wake, *timer, *sigs[4];
	struct procs_reader *pr;      /* NULL: no task lists (no_tasks says why) */
	const char *no_tasks;
	struct tui_worker *worker;
	SCREEN *scr;

	const struct sample *smp;     /* the latest published; NULL before the first */
	const struct snapshot *snap;  /* its snapshot */
	char **notes;                 /* copies of every note so far, for the summary */
	size_t nnotes;
	struct host_info host;

	struct tui_model m;           /* the rows shown: filter, tree, selection */
	struct view_params params;    /* how the app makes the rows */
	size_t ncontainers;
	int table_h;                  /* lines of the body last drawn, for paging */
	bool dropped;                 /* the table last drawn left columns out */

	uint64_t delay_ns;
	bool paused;
	unsigned want;                /* WORK_* bits to ask for when the worker is free */
	ssize_t want_seek;            /* with WORK_SAMPLE: this sample, not the next (>= 0) */
	ssize_t asked;                /* the sample last asked for, until it is shown */
	bool seekable;                /* the source can go back (a recording) */

	bool editing;                 /* the filter (t->m.filter) is being typed */
	bool asking_time;             /* the time to go to is being typed ... */
	char when[64];                /* ... here */
	bool rec_reported;            /* the recording's write error is in the notes */

	const struct tui_screen *screen;
	const struct tui_screen *under; /* the screen below a whole-terminal one (help) */
	int help_scroll;
	struct tui_tasks *tasks;      /* the drill-down, while open */
	unsigned tasks_gen;           /* counts drill-downs opened */
	unsigned job_tasks_gen;       /* the drill-down the running job reads tasks for */
	struct tui_summary *summary;
	struct history *hist;         /* the recent history of the rows shown (history.h) */
	ssize_t hist_index;           /* the sample fed last (a replay that jumps refills) */
	bool trend;                   /* the table's trend column (T) */

	const char *note;             /* the latest note (owned by the notes) */
	char message[256];            /* a passing message for the bottom line */
	int exit_status;
};

/* tui_loop.c: the event loop, the worker, the frame. Callbacks only add to t->want: the
 * loop starts the worker after each key and each job collected (never while the notes
 * are being copied). */
void tui_draw(struct tui *t);
void tui_kick_worker(struct tui *t);
/* Ask for sample I (a source that can go back) instead of the next. */
void tui_want_sample(struct tui *t, size_t i);
/* Show the app's rows again (after a new sample, filter or tree state). */
void tui_rebuild(struct tui *t);
/* Make the app's rows as t->params and the tree say, then rebuild. */
void tui_set_view(struct tui *t);
/* Open screen S (its refresh runs). */
void tui_set_screen(struct tui *t, const struct tui_screen *s);
/* The screen under a whole-terminal one: the one samples are taken for. */
const struct tui_screen *tui_base_screen(const struct tui *t);
/* Arm the sampling timer to fire in NS. */
void tui_timer_in(struct tui *t, uint64_t ns);
/* Leave the loop with STATUS. */
void tui_quit(struct tui *t, int status);

/* tui_history.c: the history panel of the row known by KEY (VR its latest figures) in
 * lines [Y, Y+H); returns the lines used. */
int tui_history_draw(struct tui *t, const char *key, const struct view_row *vr, int y, int h);
/* The trend of the sorted figure of VR in W columns at (Y, X). */
void tui_history_trend(struct tui *t, const struct view_row *vr, int y, int x, int w);
/* Feed the history the sample just published; a replay that jumped (or went back) is
 * refilled from the recording first, so that it shows the history up to that moment. */
void tui_history_feed(struct tui *t);

/* tui_header.c: the lines around the body */
void tui_header_draw(struct tui *t, int nlines);
void tui_info_draw(struct tui *t, int y);
void tui_bottom_draw(struct tui *t, bool small);

/* tui_keys.c: the key bindings */
void tui_keys_handle(struct tui *t, int key);
/* The table's keys (its screen's key callback). */
bool tui_keys_table(struct tui *t, int key);

#endif
