/* The owner of the pipeline: a source of samples (the host or a recording) -> the rows a
 * front end shows (view.h), with the recorder as one more consumer of each sample. Front
 * ends (batch, TUI) ask it for samples and views; they never read kernel files, and
 * never ask whether they are replaying. */
#ifndef CGTOP_APP_H
#define CGTOP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes.h"
#include "options.h"
#include "source.h"
#include "view.h"

struct app;

/* How the rows are made and ordered. */
struct view_params {
	enum sort_order order;
	bool reverse;
	bool cpu_time;            /* order CPU by time used, not by rate */
	bool all;                 /* one row per cgroup */
	enum group_by group_by;   /* containers summed per label value, image, pod or namespace */
	const char *group_label;  /* the label of GROUP_LABEL */
	bool hide_down;           /* no rows for containers that are not running */
};

/* Open the source OPT names, the recording to write; then give up what cgtop does not
 * need (sandbox.h). Returns 0 with *OUT set, or 1 after printing why cgtop cannot run. */
int app_open(struct app **out, const struct options *opt);
void app_close(struct app *a);

/* The view parameters the options ask for. */
struct view_params app_view_params(const struct options *opt);
/* Show the rows as P says from now on (rebuilds the view of the current sample). */
void app_set_view(struct app *a, const struct view_params *p);

/* How long a sample waits at most for the engines to name the containers that were not in
 * the sample before it (all of them in the first): long enough for an engine on this host
 * to answer, short enough that neither the screen nor the log is late. */
#define APP_NAME_WAIT_NS (200u * 1000000ull)

/* Take the next sample, publish it and record it. WAIT_NS > 0: wait up to that long for the
 * engines to name containers new in this sample. Returns 0, or -ENODATA when the source has
 * no more samples. */
int app_refresh(struct app *a, uint64_t wait_ns);

/* The same in parts, for a front end that reads files in a thread of its own.
 * app_take() (the next sample) and app_take_at() (sample I; -EOPNOTSUPP when the source
 * cannot go back) may run in another thread while the current sample is read; then
 * app_publish(), in the reading thread, makes it current: names, view. app_record()
 * writes the current sample to the recording (--record); it only reads the sample, so
 * it may run in another thread until the next publish. */
int app_take(struct app *a);
int app_take_at(struct app *a, size_t i);
void app_publish(struct app *a, uint64_t wait_ns);
void app_record(struct app *a);

/* The current sample (NULL before the first) and the rows made of it. */
const struct sample *app_sample(const struct app *a);
const struct view *app_view(const struct app *a);

/* The file each sample replaces (--output), or NULL: standard output. */
struct outfile *app_output(struct app *a);

/* How many samples the source holds (0: no end, samples come at the front end's pace). */
size_t app_count(const struct app *a);
/* Into *I the first sample at or after wall time REAL_NS. Returns 0, -ERANGE when every
 * sample is older (*I is the last), -EOPNOTSUPP when the source cannot go back. */
int app_find_time(struct app *a, uint64_t real_ns, size_t *i);
/* How long the source waited after sample I (0: the front end's interval applies). */
uint64_t app_gap_ns(const struct app *a, size_t i);
/* The reader of a cgroup's tasks, or NULL with *WHY saying why there is none. */
struct procs_reader *app_tasks_reader(struct app *a, const char **why);
/* Where the samples come from, for the summary and a task's details. */
const struct cg_hierarchies *app_hierarchies(const struct app *a);
const struct rootfs *app_root(const struct app *a);

/* Every note so far (added to by the sampling thread while a take runs). */
struct notes *app_notes(struct app *a);
/* The one line saying the samples end early (a damaged recording), or NULL. */
const char *app_problem(const struct app *a, char *buf, size_t len);
/* The one line saying why the recording stopped, into BUF; NULL while it goes on. */
const char *app_record_error(const struct app *a, char *buf, size_t len);

#endif
