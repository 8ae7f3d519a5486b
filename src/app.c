/* The owner of the pipeline: source -> sample -> recorder and view. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "outfile.h"
#include "record_file.h"
#include "sandbox.h"

struct app {
	const struct options *opt;
	struct notes notes;
	struct source *src;
	const struct sample *cur;     /* the latest published sample */
	struct view_params params;
	struct view view;
	struct recorder *rec;         /* --record: every sample published goes there */
	int rec_error;                /* -errno of the write that stopped the recording */
	struct outfile *out;          /* --output: the file each sample replaces */
	struct sandbox_state sandbox; /* what app_open() gave up */
};

/* Open the file a recording is written to; say why not. */
static int open_recorder(struct app *a, const struct options *opt)
{
	int r = recorder_open(&a->rec, opt->record, opt->record_append);

	if (r == 0)
		return 0;
	if (r == -EEXIST)
		fprintf(stderr, "cgtop: --record: '%s' exists: give a new file, or --record-append=%s to add to it\n",
			opt->record, opt->record);
	else if (r == -EINVAL)
		fprintf(stderr, "cgtop: --record-append: '%s' is not a cgtop recording\n", opt->record);
	else if (r == -EPROTONOSUPPORT)
		fprintf(stderr, "cgtop: --record-append: '%s' is a recording of another format version: give a new file\n",
			opt->record);
	else
		fprintf(stderr, "cgtop: cannot create --record '%s': %s\n", opt->record, strerror(-r));
	return 1;
}

struct view_params app_view_params(const struct options *opt)
{
	return (struct view_params){
		.order = opt->order,
		.reverse = opt->reverse,
		.cpu_time = opt->cpu == CPU_TIME,
		.all = opt->all,
		.group_by = opt->group_by,
		.group_label = opt->group_label,
	};
}

int app_open(struct app **out, const struct options *opt)
{
	struct app *a = xcalloc(1, sizeof(*a));
	int r;

	a->opt = opt;
	a->params = app_view_params(opt);
	if (opt->replay)
		r = source_replay_open(&a->src, opt->replay);
	else
		r = source_live_open(&a->src, opt, &a->notes);
	if (r == 0 && opt->record)
		r = open_recorder(a, opt);
	if (r == 0 && opt->output && (r = outfile_open(&a->out, opt->output)) < 0) {
		fprintf(stderr, "cgtop: cannot write --output '%s': %s\n", opt->output, strerror(-r));
		r = 1;
	}
	if (r) {
		app_close(a);
		return 1;
	}
	/* start-up is over (files to write are open): give up the rest, in every thread */
	a->sandbox = sandbox_enter(&a->notes, a->out ? outfile_dirfd(a->out) : -1);
	*out = a;
	return 0;
}

void app_close(struct app *a)
{
	if (!a)
		return;
	recorder_close(a->rec);
	outfile_close(a->out);
	view_free(&a->view);
	if (a->src)
		a->src->ops->free(a->src);
	notes_free(&a->notes);
	free(a);
}

/* The rows of the current sample, as the parameters say. */
static void build_view(struct app *a)
{
	const struct view_params *p = &a->params;

	if (!a->cur)
		return;
	a->view.hide_down = p->hide_down;
	if (p->all)
		view_build_cgroups(&a->view, a->cur->snap, a->cur->ctrs);
	else if (p->group_by != GROUP_NONE)
		view_build_groups(&a->view, a->cur->snap, a->cur->ctrs, p->group_by, p->group_label);
	else
		view_build_containers(&a->view, a->cur->snap, a->cur->ctrs);
	view_sort(&a->view, p->order, p->reverse, p->cpu_time);
}

void app_set_view(struct app *a, const struct view_params *p)
{
	a->params = *p;
	build_view(a);
}

int app_take(struct app *a)
{
	return a->src->ops->refresh(a->src);
}

int app_take_at(struct app *a, size_t i)
{
	return a->src->ops->seek(a->src, i);
}

void app_publish(struct app *a, uint64_t wait_ns)
{
	a->cur = a->src->ops->publish(a->src, wait_ns);
	build_view(a);
}

void app_record(struct app *a)
{
	int r;

	if (!a->rec || !a->cur)
		return;
	r = recorder_write(a->rec, a->cur->snap, a->cur->mode, a->cur->ctrs);
	/* stop recording, say why once; the front end decides how to end */
	if (r < 0) {
		a->rec_error = r;
		recorder_close(a->rec);
		a->rec = NULL;
	}
}

int app_refresh(struct app *a, uint64_t wait_ns)
{
	int r = app_take(a);

	if (r < 0)
		return r;
	app_publish(a, wait_ns);
	app_record(a);
	return 0;
}

const struct sample *app_sample(const struct app *a)
{
	return a->cur;
}

const struct view *app_view(const struct app *a)
{
	return &a->view;
}

size_t app_count(const struct app *a)
{
	return a->src->ops->count(a->src);
}

int app_find_time(struct app *a, uint64_t real_ns, size_t *i)
{
	return a->src->ops->find_time(a->src, real_ns, i);
}

uint64_t app_gap_ns(const struct app *a, size_t i)
{
	return a->src->ops->gap_ns(a->src, i);
}

struct outfile *app_output(struct app *a)
{
	return a->out;
}

struct procs_reader *app_tasks_reader(struct app *a, const char **why)
{
	return a->src->ops->tasks(a->src, why);
}

const struct cg_hierarchies *app_hierarchies(const struct app *a)
{
	return a->src->ops->hierarchies(a->src);
}

const struct rootfs *app_root(const struct app *a)
{
	return a->src->ops->root(a->src);
}

struct notes *app_notes(struct app *a)
{
	return &a->notes;
}

const char *app_problem(const struct app *a, char *buf, size_t len)
{
	return a->src->ops->problem(a->src, buf, len);
}

const char *app_record_error(const struct app *a, char *buf, size_t len)
{
	if (!a->rec_error)
		return NULL;
	snprintf(buf, len, "cannot write the recording '%s': %s; recording stopped",
		 a->opt->record, strerror(-a->rec_error));
	return buf;
}
