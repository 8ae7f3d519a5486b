/* The TUI's worker thread. The main thread hands it one job at a time and does not
 * publish a sample, touch the task reader or read the notes until the job is collected. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "tui_summary.h"
#include "tui_worker.h"
#include "util.h"

struct tui_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int efd;
	bool quit;
	bool queued;     /* a job is waiting for the thread */
	bool busy;       /* a job is queued or running, not yet collected (main thread) */
	unsigned what;
	ssize_t seek;
	pid_t pid;
	char **paths;
	size_t npaths;
	bool path_of_task;
	pid_t *pids;     /* scratch for path_of_task */
	size_t pids_cap;
	struct app *app;
	struct procs_reader *pr;
	struct tui_work_result res;
	struct task_list tasks;
};

/* Free the copied paths of the last job. */
static void free_paths(struct tui_worker *w)
{
	for (size_t i = 0; i < w->npaths; i++)
		free(w->paths[i]);
	free(w->paths);
	w->paths = NULL;
	w->npaths = 0;
}

/* For each task of the list just read, the first of the job's paths whose cgroup (or one
 * below it) lists it: which container of a group a task belongs to. */
static ssize_t *paths_of_tasks(struct tui_worker *w)
{
	ssize_t *of = xmalloc((w->tasks.n ? w->tasks.n : 1) * sizeof(*of));

	for (size_t k = 0; k < w->tasks.n; k++)
		of[k] = -1;
	for (size_t i = 0; i < w->npaths; i++) {
		ssize_t n = procs_list_pids(w->pr, w->paths[i], &w->pids, &w->pids_cap);

		for (size_t k = 0; n > 0 && k < w->tasks.n; k++) {
			pid_t pid = w->tasks.v[k].pid;
			size_t lo = 0, hi = (size_t)n;

			if (of[k] >= 0)
				continue;
			while (lo < hi) { /* procs_list_pids sorts them */
				size_t mid = lo + (hi - lo) / 2;

				if (w->pids[mid] < pid)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < (size_t)n && w->pids[lo] == pid)
				of[k] = (ssize_t)i;
		}
	}
	return of;
}

/* Run one job: everything here may take long on a big host. */
static void run_job(struct tui_worker *w)
{
	uint64_t t0 = now_monotonic_ns();

	memset(&w->res, 0, sizeof(w->res));
	if (w->what & WORK_RECORD)
		app_record(w->app);
	if (w->what & WORK_DETAIL)
		procs_read_where(app_root(w->app), w->pid, &w->res.where);
	if (w->what & WORK_CONTROLLERS)
		w->res.nctls = tui_summary_read(app_root(w->app), app_hierarchies(w->app), &w->res.ctls);
	if (w->what & WORK_SAMPLE)
		w->res.taken = w->seek >= 0 ? app_take_at(w->app, (size_t)w->seek) : app_take(w->app);
	if ((w->what & WORK_TASKS) && w->pr) {
		procs_sample(w->pr, (const char *const *)w->paths, w->npaths, now_monotonic_ns(), &w->tasks);
		if (w->path_of_task)
			w->res.task_path = paths_of_tasks(w);
	}
	w->res.done = w->what;
	w->res.took_ns = now_monotonic_ns() - t0;
}

/* The thread: wait for a job, run it, say so on the eventfd. */
static void *worker_main(void *arg)
{
	struct tui_worker *w = arg;
	uint64_t one = 1;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->queued && !w->quit)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->quit)
			break;
		pthread_mutex_unlock(&w->lock);
		run_job(w);
		pthread_mutex_lock(&w->lock);
		w->queued = false;
		while (write(w->efd, &one, sizeof(one)) < 0 && errno == EINTR)
			;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* Make the worker and start its thread. */
struct tui_worker *tui_worker_new(struct app *a, struct procs_reader *pr)
{
	struct tui_worker *w = xcalloc(1, sizeof(*w));
	int e;

	w->app = a;
	w->pr = pr;
	w->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->efd < 0) {
		e = errno;
		free(w);
		errno = e;
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	e = pthread_create(&w->thread, NULL, worker_main, w);
	if (e) {
		close(w->efd);
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->wake);
		free(w);
		errno = e;
		return NULL;
	}
	return w;
}

/* Stop the thread once its job is done, then free everything. */
void tui_worker_free(struct tui_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->quit = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	close(w->efd);
	free_paths(w);
	task_where_free(&w->res.where); /* a job finished and not collected */
	free(w->res.ctls);
	free(w->res.task_path);
	free(w->pids);
	task_list_free(&w->tasks);
	free(w);
}

/* The eventfd that says a job has finished. */
int tui_worker_fd(const struct tui_worker *w)
{
	return w->efd;
}

/* Whether a job is queued or running. */
bool tui_worker_busy(const struct tui_worker *w)
{
	return w->busy;
}

/* Hand the thread a job unless one is under way. */
bool tui_worker_start(struct tui_worker *w, const struct tui_job *job)
{
	if (w->busy)
		return false;
	pthread_mutex_lock(&w->lock);
	free_paths(w);
	if (job->what & WORK_TASKS) {
		w->paths = xcalloc(job->npaths ? job->npaths : 1, sizeof(*w->paths));
		for (size_t i = 0; i < job->npaths; i++)
			w->paths[i] = xstrdup(job->paths[i]);
		w->npaths = job->npaths;
	}
	w->path_of_task = job->path_of_task;
	w->what = job->what;
	w->seek = job->seek;
	w->pid = job->pid;
	w->queued = true;
	w->busy = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	return true;
}

/* Take the finished job's result; the worker is idle after. */
bool tui_worker_collect(struct tui_worker *w, struct tui_work_result *res, struct task_list *tasks)
{
	uint64_t n;
	bool done;

	if (read(w->efd, &n, sizeof(n)) != (ssize_t)sizeof(n))
		return false;
	pthread_mutex_lock(&w->lock);
	done = !w->queued;
	pthread_mutex_unlock(&w->lock);
	if (!done)
		return false;
	w->busy = false;
	*res = w->res;
	/* what was read belongs to the collector now */
	memset(&w->res.where, 0, sizeof(w->res.where));
	w->res.ctls = NULL;
	w->res.task_path = NULL;
	if ((w->res.done & WORK_TASKS) && tasks) {
		struct task_list t = *tasks;

		*tasks = w->tasks;
		w->tasks = t;
	}
	return true;
}
