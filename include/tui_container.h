/* The details panel of one container: what its engine said about it. Separate from the
 * screens so the container view can be wired in without touching them. */
#ifndef CGTOP_TUI_CONTAINER_H
#define CGTOP_TUI_CONTAINER_H

struct container_info;

/* Draw what CI holds (name, runtime and ID, image, state, config_id, labels ...) in the
 * box of H lines and W columns at (Y, X); "name unknown" when no engine knows the ID
 * (CI->meta NULL). Every string is sanitized. Returns the number of lines used. */
int tui_container_draw(const struct container_info *ci, int y, int x, int h, int w);

/* How many lines tui_container_draw() would like for CI. */
int tui_container_lines(const struct container_info *ci);

#endif
