/* The interactive front end: a live table of cgroups (and, with the container view,
 * containers), sorting, filtering, a cgroup tree, and drill-down into tasks. */
#ifndef CGTOP_TUI_H
#define CGTOP_TUI_H

#include <stdbool.h>

#include "app.h"

/* True when standard input and output are a terminal that terminfo can drive. Otherwise
 * prints one line to stderr suggesting --batch and returns false. Call before ncurses. */
bool tui_terminal_ok(void);

/* Block the signals the screen handles itself (SIGWINCH, SIGINT, SIGTERM, SIGHUP) so
 * they reach only its event loop. Call before any thread is started (app_open starts
 * the metadata thread): a thread that does not block them could take a SIGTERM and end
 * cgtop with the terminal left raw. */
void tui_block_signals(void);

/* Run the screen on the pipeline A (with the options OPT it was opened with) until 'q'
 * or a signal; the terminal is restored on every way out. Samples are taken (app_take) in
 * a thread of the TUI's own and published (app_publish) in the calling thread.
 * Returns the exit status: 0 after 'q' or SIGINT, 128+N after SIGTERM or SIGHUP, 1 on
 * an error (said on stderr after the terminal is restored). */
int tui_run(struct app *a, const struct options *opt);

#endif
