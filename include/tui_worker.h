/* The TUI's sampling thread: takes samples (cgroups, host facts, a cgroup's tasks) away
 * from the thread that reads keys, so a slow walk of a big host never holds a key back. */
#ifndef CGTOP_TUI_WORKER_H
#define CGTOP_TUI_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "host.h"
#include "procs.h"
#include "rootfs.h"
#include "sampler.h"

enum {
	WORK_CGROUPS = 1u << 0, /* a snapshot and the host facts */
	WORK_TASKS = 1u << 1,   /* the tasks of the requested cgroups */
};

/* What a finished job hands over. Valid until the next job is started. */
struct tui_work_result {
	unsigned done;                 /* WORK_* bits */
	const struct snapshot *snap;   /* with WORK_CGROUPS (the sampler keeps it) */
	struct host_info host;         /* with WORK_CGROUPS */
	uint64_t took_ns;              /* how long the job ran */
};

struct tui_worker;

/* Start the thread. SAMPLER, PR and R are used only by it while a job runs.
 * Returns NULL (with errno) when the thread cannot be made. */
struct tui_worker *tui_worker_new(struct sampler *sampler, struct procs_reader *pr, const struct rootfs *r);
/* Stop the thread (after the running job, if any) and free. */
void tui_worker_free(struct tui_worker *w);
/* A descriptor that becomes readable when a job has finished. */
int tui_worker_fd(const struct tui_worker *w);
/* True while a job runs: the sampler and the reader must not be touched then. */
bool tui_worker_busy(const struct tui_worker *w);
/* Start a job doing WHAT (WORK_* bits); with WORK_TASKS, of PATHS (copied). Returns
 * false when a job is still running. */
bool tui_worker_start(struct tui_worker *w, unsigned what, const char *const *paths, size_t npaths);
/* After the descriptor became readable: the finished job's result. With WORK_TASKS the
 * task list is swapped into *TASKS (the previous one goes back to the worker).
 * Returns false when no job had finished. */
bool tui_worker_collect(struct tui_worker *w, struct tui_work_result *res, struct task_list *tasks);

#endif
