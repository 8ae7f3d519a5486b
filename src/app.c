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

int app_open(struct app *a, struct options *opt)
{
	/* the working set and page cache are in the JSON, the metrics and the journal only: the
	 * text and the screen do not need memory.stat */
	bool machine = opt->journal || opt->format == FORMAT_JSON || opt->format == FORMAT_OPENMETRICS ||
		       opt->format == FORMAT_PROMETHEUS;
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
	/* before any thread starts (the metadata worker below), so that all inherit it */
	a->sandbox = sandbox_enter(&a->notes);
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
	if (!opt->batch || opt->format == FORMAT_JSON)
		a->ctrs.paths_of = paths_of;
	a->ctrs.paths_ud = a;
	return 0;
}

void app_close(struct app *a)
{
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
	app_rebuild_view(a);
}
