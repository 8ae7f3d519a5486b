/* The TUI's summary screen: the controllers /proc/cgroups lists and where each is
 * mounted, the cgroups under each top-level slice, and every note so far. */
#ifndef CGTOP_TUI_SUMMARY_H
#define CGTOP_TUI_SUMMARY_H

#include "hierarchy.h"
#include "host.h"
#include "rootfs.h"
#include "snapshot.h"

struct tui_summary;

struct tui_summary *tui_summary_new(void);
void tui_summary_free(struct tui_summary *ts);
/* Read /proc/cgroups through R (HS gives the cgroup2 mount) into *OUT: what the worker
 * does for tui_summary_set_controllers(). Returns how many, or -errno. */
ssize_t tui_summary_read(const struct rootfs *r, const struct cg_hierarchies *hs, struct host_controller **out);
/* Show CTLS (N of them, or -errno; taken over). */
void tui_summary_set_controllers(struct tui_summary *ts, struct host_controller *ctls, ssize_t n);
/* Recount SNAP's rows per top-level slice. */
void tui_summary_count(struct tui_summary *ts, const struct snapshot *snap);
/* Draw in lines [Y, Y+H). NOTES[0..NNOTES) (raw) are listed at the end. */
void tui_summary_draw(struct tui_summary *ts, const struct cg_hierarchies *hs, const char *const *notes,
		      size_t nnotes, int y, int h);
/* Scroll by DELTA lines. */
void tui_summary_scroll(struct tui_summary *ts, int delta);

#endif
