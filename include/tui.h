/* The interactive front end: a live table of cgroups (and, with the container view,
 * containers), sorting, filtering, a cgroup tree, and drill-down into tasks. */
#ifndef CGTOP_TUI_H
#define CGTOP_TUI_H

#include <stdbool.h>

#include "hierarchy.h"
#include "notes.h"
#include "options.h"
#include "rootfs.h"
#include "sampler.h"

struct tui_setup {
	const struct rootfs *root;
	const struct cg_hierarchies *hs;
	struct sampler *sampler;     /* used by the TUI's sampling thread only */
	struct notes *notes;
	const struct options *opt;
};

/* True when standard input and output are a terminal that terminfo can drive. Otherwise
 * prints one line to stderr suggesting --batch and returns false. Call before ncurses. */
bool tui_terminal_ok(void);

/* Run the screen until 'q' or a signal; the terminal is restored on every way out.
 * Returns the exit status: 0 after 'q' or SIGINT, 128+N after SIGTERM or SIGHUP, 1 on
 * an error (said on stderr after the terminal is restored). */
int tui_run(const struct tui_setup *setup);

#endif
