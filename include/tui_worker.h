/* The TUI's sampling thread: takes samples (app_take: cgroups, containers, host facts) and
 * a cgroup's tasks away from the thread that reads keys, so a slow walk of a big host
 * never holds a key back. */
#ifndef CGTOP_TUI_WORKER_H
#define CGTOP_TUI_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/types.h>

#include "app.h"
#include "procs.h"

enum {
	WORK_SAMPLE = 1u << 0, /* the next sample, or the one asked for (app_take) */
	WORK_TASKS = 1u << 1,  /* the tasks of the requested cgroups */
};

/* What a finished job hands over. */
struct tui_work_result {
	unsigned done;   /* WORK_* bits */
	int taken;       /* with WORK_SAMPLE: what app_take said (0: publish it) */
	uint64_t took_ns; /* how long the job ran */
};

struct tui_worker;

/* Start the thread. A's take half and PR (may be NULL) are used only by it while a job
 * runs. Returns NULL (with errno) when the thread cannot be made. */
struct tui_worker *tui_worker_new(struct app *a, struct procs_reader *pr);
/* Stop the thread (after the running job, if any) and free. */
void tui_worker_free(struct tui_worker *w);
/* A descriptor that becomes readable when a job has finished. */
int tui_worker_fd(const struct tui_worker *w);
/* True while a job runs: no sample may be published and the reader must not be touched. */
bool tui_worker_busy(const struct tui_worker *w);
/* Start a job doing WHAT (WORK_* bits); with WORK_SAMPLE, sample SEEK (>= 0) instead of
 * the next; with WORK_TASKS, of PATHS (copied). Returns false when a job is still running. */
bool tui_worker_start(struct tui_worker *w, unsigned what, ssize_t seek, const char *const *paths,
		      size_t npaths);
/* After the descriptor became readable: the finished job's result. With WORK_TASKS the
 * task list is swapped into *TASKS (the previous one goes back to the worker).
 * Returns false when no job had finished. */
bool tui_worker_collect(struct tui_worker *w, struct tui_work_result *res, struct task_list *tasks);

#endif
