/* One refresh of the whole pipeline: sampler -> containers -> metadata -> view. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "sandbox.h"

/* ctr_table's way to find a container's cgroups in every hierarchy */
static size_t paths_of(void *ud, const char *path, char ***out, size_t *n)
{
	struct app *a = ud;

	return hierarchies_paths_of(&a->root, &a->hs, path, out, n);
}

/* --replay: the recording instead of the host. */
static int open_replay(struct app *a, struct options *opt)
{
	uint32_t version = 0;
	int r;

	a->replay = xcalloc(1, sizeof(*a->replay));
	r = recording_open(a->replay, opt->replay, &version);
	if (r == -EINVAL)
		fprintf(stderr, "cgtop: '%s' is not a cgtop recording (made with --record)\n", opt->replay);
	else if (r == -EPROTONOSUPPORT)
		fprintf(stderr, "cgtop: '%s' is a recording of format version %u; this cgtop reads version %u: replay it with a newer cgtop\n",
			opt->replay, version, REC_VERSION);
	else if (r < 0)
		fprintf(stderr, "cgtop: cannot read --replay '%s': %s\n", opt->replay, strerror(-r));
	else if (a->replay->n == 0 && !a->replay->damaged)
		fprintf(stderr, "cgtop: '%s' holds no samples\n", opt->replay);
	if (r < 0 || (a->replay->n == 0 && !a->replay->damaged)) {
		free(a->replay);
		a->replay = NULL;
		return 1;
	}
	return 0;
}

int app_open(struct app *a, struct options *opt)
{
	/* the working set and page cache are in the JSON, the metrics and the journal only: the
	 * text and the screen do not need memory.stat */
	bool machine = opt->journal || opt->format == FORMAT_JSON || opt->format == FORMAT_OPENMETRICS ||
		       opt->format == FORMAT_PROMETHEUS || opt->record; /* a recording holds every figure */
	struct sampler_options sopt = { .max_depth = opt->max_depth, .clock = now_monotonic_ns,
					.memory_stat = machine };
	struct meta_options mopt = {
		.docker_socket = opt->docker_socket,
		.docker_root = opt->docker_root,
		.podman_socket = opt->podman_socket,
		.podman_storage = opt->podman_storage,
	};
	int r;

	memset(a, 0, sizeof(*a));
	a->opt = opt;
	a->root.fd = -1;
	if (opt->replay) {
		r = open_replay(a, opt);
		if (r == 0)
			a->sandbox = sandbox_enter(&a->notes);
		return r;
	}
	r = rootfs_open(&a->root, opt->root ? opt->root : "/");
	if (r < 0) {
		fprintf(stderr, "cgtop: cannot open --root '%s': %s\n", opt->root, strerror(-r));
		notes_free(&a->notes);
		return 1;
	}
	r = hierarchies_discover(&a->root, a->root.is_host, &a->hs, &a->notes);
	if (r < 0) {
		const char *where = a->root.is_host ? "" : a->root.path;

		if (r == -ENOENT)
			fprintf(stderr, "cgtop: no cgroup hierarchy is mounted (per %s/proc/self/mountinfo)\n", where);
		else
			fprintf(stderr, "cgtop: cannot read %s/proc/self/mountinfo: %s\n", where, strerror(-r));
		rootfs_close(&a->root);
		notes_free(&a->notes);
		return 1;
	}
	a->sampler = sampler_new(&a->root, &a->hs, &sopt, &a->notes);
	a->meta = meta_store_new(&a->root, &mopt, &a->notes);
	/* a container's cgroups in every hierarchy: in the JSON and the TUI, not the text */
	if (!opt->batch || opt->format == FORMAT_JSON || opt->record)
		a->ctrs.paths_of = paths_of;
	a->ctrs.paths_ud = a;
	if (opt->record) {
		r = recorder_open(&a->rec, opt->record, opt->record_append);
		if (r < 0) {
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
			app_close(a);
			return 1;
		}
	}
	/* start-up is over (files to write are open): give up the rest, in every thread */
	a->sandbox = sandbox_enter(&a->notes);
	return 0;
}

void app_close(struct app *a)
{
	recorder_close(a->rec);
	a->rec = NULL;
	if (a->replay) {
		recording_close(a->replay);
		free(a->replay);
		a->replay = NULL;
	}
	view_free(&a->view);
	ctr_table_free(&a->ctrs);
	meta_store_free(a->meta);
	sampler_free(a->sampler);
	hierarchies_free(&a->hs);
	notes_free(&a->notes);
	rootfs_close(&a->root);
}

/* Give every container what the engines know of it; true when all are named. */
static bool attach_meta(struct app *a)
{
	bool all = true;

	meta_store_sync(a->meta);
	for (size_t k = 0; k < a->ctrs.n; k++) {
		struct container_info *c = &a->ctrs.v[k];

		c->meta = meta_store_lookup(a->meta, c->ref.id);
		if (!container_name(c))
			all = false;
	}
	return all;
}

void app_rebuild_view(struct app *a)
{
	const struct options *o = a->opt;

	if (!a->snap)
		return;
	if (o->all)
		view_build_cgroups(&a->view, a->snap, &a->ctrs);
	else if (o->group_label || o->group_image)
		view_build_groups(&a->view, a->snap, &a->ctrs, o->group_label);
	else
		view_build_containers(&a->view, a->snap, &a->ctrs);
	view_sort(&a->view, o->order, o->reverse, o->cpu == CPU_TIME);
}

void app_refresh(struct app *a, uint64_t wait_ns)
{
	app_take(a, sampler_refresh(a->sampler, now_monotonic_ns(), now_realtime_ns()), wait_ns);
}

void app_take(struct app *a, const struct snapshot *snap, uint64_t wait_ns)
{
	const char **ids;
	size_t nids = 0;
	bool named;

	a->snap = snap;
	ctr_table_build(&a->ctrs, a->snap);
	ids = xcalloc(a->ctrs.n ? a->ctrs.n : 1, sizeof(*ids));
	for (size_t k = 0; k < a->ctrs.n; k++)
		if (a->ctrs.v[k].ref.runtime != RT_MACHINED && a->ctrs.v[k].ref.runtime != RT_LXC)
			ids[nids++] = a->ctrs.v[k].ref.id;
	meta_store_want(a->meta, ids, nids);
	free(ids);
	named = attach_meta(a);
	if (!named && wait_ns) {
		uint64_t deadline = now_monotonic_ns() + wait_ns;
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		/* until named, or the engines have said all they will */
		while (!named && now_monotonic_ns() < deadline) {
			bool pending = meta_store_pending(a->meta);

			named = attach_meta(a);
			if (named || !pending)
				break;
			nanosleep(&ts, NULL);
		}
	}
	/* the engines had their chance (a wait, or a refresh since the first): say so once */
	if (!named && (wait_ns || a->refreshes > 0))
		notes_add(&a->notes, "unnamed",
			  "some containers have no name (shown as ?ID): no container engine named them; give --docker-socket=PATH, --docker-root=DIR or --podman-socket=PATH, or run cgtop as root");
	a->refreshes++;
	if (a->rec) {
		int r = recorder_write(a->rec, a->snap, a->hs.mode, &a->ctrs);

		/* stop recording, say why once; the front end decides how to end */
		if (r < 0) {
			a->rec_error = r;
			recorder_close(a->rec);
			a->rec = NULL;
		}
	}
	app_rebuild_view(a);
}

const char *app_record_error(const struct app *a, char *buf, size_t len)
{
	snprintf(buf, len, "cannot write the recording '%s': %s; recording stopped",
		 a->opt->record, strerror(-a->rec_error));
	return buf;
}

void app_replay_seek(struct app *a, size_t i)
{
	const struct rec_sample *rs;

	if (i >= a->replay->n)
		i = a->replay->n - 1;
	rs = recording_seek(a->replay, i);
	a->replay_i = i;
	a->snap = rs->snap;
	a->hs.mode = rs->mode;
	ctr_table_build(&a->ctrs, a->snap);
	/* what the recording says of each container, not what this host would */
	for (size_t k = 0; k < a->ctrs.n; k++) {
		struct container_info *c = &a->ctrs.v[k];
		const struct rec_container *rc = rec_sample_container(rs, c->ref.id);

		for (size_t p = 0; p < c->npaths; p++)
			free(c->hier_paths[p]);
		free(c->hier_paths);
		c->hier_paths = NULL;
		c->npaths = 0;
		c->meta = rc && rc->has_meta ? &rc->meta : NULL;
		if (!rc || !rc->npaths)
			continue;
		c->hier_paths = xcalloc(rc->npaths, sizeof(char *));
		for (size_t p = 0; p < rc->npaths; p++)
			c->hier_paths[p] = xstrdup(rc->hier_paths[p]);
		c->npaths = rc->npaths;
	}
	a->refreshes++;
	app_rebuild_view(a);
}
