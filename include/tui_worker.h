/* The TUI's worker thread: every file the screen needs is read here, away from the thread
 * that reads keys (samples through app_take, the recording written, a cgroup's tasks, a
 * task's cgroups and unit, /proc/cgroups), so a slow host never holds a key back. */
#ifndef CGTOP_TUI_WORKER_H
#define CGTOP_TUI_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/types.h>

#include "app.h"
#include "host.h"
#include "procs.h"

enum {
	WORK_SAMPLE = 1u << 0,      /* the next sample, or the one asked for (app_take) */
	WORK_TASKS = 1u << 1,       /* the tasks of the requested cgroups */
	WORK_RECORD = 1u << 2,      /* write the published sample to the recording (first) */
	WORK_DETAIL = 1u << 3,      /* where one task runs (procs_read_where) */
	WORK_CONTROLLERS = 1u << 4, /* /proc/cgroups, for the summary */
};

/* One job: what to do, and for what. */
struct tui_job {
	unsigned what;              /* WORK_* bits */
	ssize_t seek;               /* WORK_SAMPLE: sample SEEK (>= 0) instead of the next */
	const char *const *paths;   /* WORK_TASKS: the cgroups (copied) */
	size_t npaths;
	bool path_of_task;          /* WORK_TASKS: and which of them each task is in */
	pid_t pid;                  /* WORK_DETAIL */
};

/* What a finished job hands over; the collector owns WHERE and CTLS. */
struct tui_work_result {
	unsigned done;                /* WORK_* bits */
	int taken;                    /* WORK_SAMPLE: what app_take said (0: publish it) */
	struct task_where where;      /* WORK_DETAIL */
	struct host_controller *ctls; /* WORK_CONTROLLERS: NCTLS of them, or -errno */
	ssize_t nctls;
	ssize_t *task_path;           /* WORK_TASKS with path_of_task: per task of the list
				       * swapped in, the index of the first path holding it
				       * (-1: none, it has moved); the collector owns it */
	uint64_t took_ns;             /* how long the job ran */
};

struct tui_worker;

/* Start the thread. A's take half, its root and hierarchies, and PR (may be NULL) are
 * used only by it while a job runs. Returns NULL (with errno) when the thread cannot be
 * made. */
struct tui_worker *tui_worker_new(struct app *a, struct procs_reader *pr);
/* Stop the thread (after the running job, if any) and free. */
void tui_worker_free(struct tui_worker *w);
/* A descriptor that becomes readable when a job has finished. */
int tui_worker_fd(const struct tui_worker *w);
/* True while a job runs: no sample may be published and the reader must not be touched. */
bool tui_worker_busy(const struct tui_worker *w);
/* Start JOB. Returns false when a job is still running. */
bool tui_worker_start(struct tui_worker *w, const struct tui_job *job);
/* After the descriptor became readable: the finished job's result. With WORK_TASKS the
 * task list is swapped into *TASKS (the previous one goes back to the worker).
 * Returns false when no job had finished. */
bool tui_worker_collect(struct tui_worker *w, struct tui_work_result *res, struct task_list *tasks);

#endif
