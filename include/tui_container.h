/* The details panel of one container: what its engine said about it. Separate from the
 * screens so the container view can be wired in without touching them. */
#ifndef CGTOP_TUI_CONTAINER_H
#define CGTOP_TUI_CONTAINER_H

#include <stddef.h>

struct container_info;
struct view_row;

/* Draw what CI holds (name, runtime and ID, image, state, config_id, its NETWORK line
 * when not NULL, labels ...) in the box of H lines and W columns at (Y, X); "name
 * unknown" when no engine knows the ID (CI->meta NULL). Every string is sanitized.
 * Returns the number of lines used. */
int tui_container_draw(const struct container_info *ci, const char *network, int y, int x, int h,
		       int w);

/* How many lines tui_container_draw() would like for CI. */
int tui_container_lines(const struct container_info *ci, const char *network);

/* The panel's "Network:" line of row VR (in BUF, or a constant), raw: its namespace's
 * rates and totals, "the host's", or whom it shares it with; NULL when not known. */
const char *tui_container_network(const struct view_row *vr, char *buf, size_t len);

#endif
