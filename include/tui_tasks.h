/* The TUI's drill-down: the tasks of one row (cgroup or container), refreshed live, and
 * the details of one task (its cgroups in every hierarchy, its systemd unit). The files
 * are read by the worker (tui_worker.h); this module only keeps and draws. */
#ifndef CGTOP_TUI_TASKS_H
#define CGTOP_TUI_TASKS_H

#include <stdbool.h>
#include <stddef.h>

#include "procs.h"
#include "rootfs.h"

struct container_info;
struct tui_tasks;

/* A drill-down into the row known by KEY (tui_model_row_key), titled TITLE (raw), whose tasks
 * are those of the cgroups PATHS (copied). OWNERS (NULL: none), one per path, names the
 * container each path belongs to (raw, copied): the list then has a container column. */
struct tui_tasks *tui_tasks_new(const char *key, const char *title, const char *const *paths, size_t npaths,
				const char *const *owners);
void tui_tasks_free(struct tui_tasks *tt);

/* The key of the row it was opened on. */
const char *tui_tasks_row_key(const struct tui_tasks *tt);
/* The cgroups whose tasks it lists. */
const char *const *tui_tasks_paths(const struct tui_tasks *tt, size_t *npaths);
/* The list the sampling thread's results are swapped into; call tui_tasks_updated() after. */
struct task_list *tui_tasks_list(struct tui_tasks *tt);
/* The list changed: keep the selection on the same PID. TASK_PATH (taken over; NULL when
 * not read) gives for each task the index of the path it is in (-1: none). */
void tui_tasks_updated(struct tui_tasks *tt, ssize_t *task_path);
/* Whether it was opened with OWNERS (the worker must say which path each task is in). */
bool tui_tasks_has_owners(const struct tui_tasks *tt);

/* No list will come (a replay has no live /proc): show WHY (static text) instead. */
void tui_tasks_set_unavailable(struct tui_tasks *tt, const char *why);

/* Draw in lines [Y, Y+H). PANEL (with CTX; NULL: none) draws the row's history under the
 * title in the lines it is given and returns how many it used; CTR, when the row is a
 * container, adds its details panel (with NETWORK, its "Network:" line, when not NULL). */
void tui_tasks_draw(struct tui_tasks *tt, int y, int h, const struct container_info *ctr,
		    const char *network, int (*panel)(void *ctx, int y, int h), void *ctx);

enum tui_tasks_result {
	TT_UNHANDLED, /* not a key of this screen */
	TT_HANDLED,
	TT_BACK,      /* leave the drill-down */
};

/* Handle KEY (see TUI_KEY); H is the height last drawn (for paging). */
enum tui_tasks_result tui_tasks_key(struct tui_tasks *tt, int key, int h);

/* The task whose details are open and not yet read (procs_read_where), or 0. */
pid_t tui_tasks_detail_wanted(const struct tui_tasks *tt);
/* What was read for W->pid: taken over when that task's details are still open, else
 * freed. */
void tui_tasks_detail_set(struct tui_tasks *tt, struct task_where *w);

#endif
