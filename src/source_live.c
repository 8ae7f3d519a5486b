/* The live source: samples of this host (or of --root DIR) taken by the sampler, each with
 * its containers, their cgroups in every hierarchy and what the engines say of them. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "meta.h"
#include "procs.h"
#include "sampler.h"
#include "source.h"

struct live {
	struct source src;
	struct rootfs root;
	struct cg_hierarchies hs;
	struct notes *notes;
	struct sampler *sampler;
	struct meta_store *meta;
	/* the published sample's containers and host facts, and those of the sample being
	 * taken: a worker fills one while the screen reads the other */
	struct ctr_table ctrs[2];
	struct host_info host[2];
	unsigned back;                 /* the half refresh fills */
	const struct snapshot *taken;  /* by refresh, not yet published */
	uint64_t took_ns;
	bool want_host;                /* the screen shows host facts, metrics the host name */
	struct buf scratch;
	struct procs_reader *pr;       /* made on first use */
	unsigned long published;
	struct sample cur;
};

/* ctr_table's way to find a container's cgroups in every hierarchy */
static size_t paths_of(void *ud, const char *path, char ***out, size_t *n)
{
	struct live *l = ud;

	return hierarchies_paths_of(&l->root, &l->hs, path, out, n);
}

/* A sample of the host into the back half: cgroups, containers, their paths, host facts.
 * Everything here reads files and may take long on a big host. */
static int live_refresh(struct source *s)
{
	struct live *l = (struct live *)s;
	uint64_t t0 = now_monotonic_ns();

	l->taken = sampler_refresh(l->sampler, t0, now_realtime_ns());
	ctr_table_build(&l->ctrs[l->back], l->taken);
	if (l->want_host) {
		host_info_read(&l->root, &l->host[l->back], &l->scratch);
		host_psi_share(&l->host[l->back], &l->host[!l->back]);
	}
	l->took_ns = now_monotonic_ns() - t0;
	return 0;
}

/* The host has no past to go back to. */
static int live_seek(struct source *s, size_t i)
{
	(void)s;
	(void)i;
	return -EOPNOTSUPP;
}

/* Give every container of T what the engines know of it; true when all are named. */
static bool attach_meta(struct live *l, struct ctr_table *t)
{
	bool all = true;

	meta_store_sync(l->meta);
	for (size_t k = 0; k < t->n; k++) {
		struct container_info *c = &t->v[k];

		c->meta = meta_store_lookup(l->meta, c->ref.id);
		if (!container_name(c))
			all = false;
	}
	return all;
}

/* The sample taken becomes the current one, with the engines' names (never waits for
 * I/O but for the WAIT_NS asked for). */
static const struct sample *live_publish(struct source *s, uint64_t wait_ns)
{
	struct live *l = (struct live *)s;
	struct ctr_table *t = &l->ctrs[l->back];
	const char **ids;
	size_t nids = 0;
	bool named;

	ids = xcalloc(t->n ? t->n : 1, sizeof(*ids));
	for (size_t k = 0; k < t->n; k++)
		if (t->v[k].ref.runtime != RT_MACHINED && t->v[k].ref.runtime != RT_LXC)
			ids[nids++] = t->v[k].ref.id;
	meta_store_want(l->meta, ids, nids);
	free(ids);
	named = attach_meta(l, t);
	if (!named && wait_ns) {
		uint64_t deadline = now_monotonic_ns() + wait_ns;
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		/* until named, or the engines have said all they will */
		while (!named && now_monotonic_ns() < deadline) {
			bool pending = meta_store_pending(l->meta);

			named = attach_meta(l, t);
			if (named || !pending)
				break;
			nanosleep(&ts, NULL);
		}
	}
	/* the engines had their chance (a wait, or a refresh since the first): say so once */
	if (!named && (wait_ns || l->published > 0))
		notes_add(l->notes, "unnamed",
			  "some containers have no name (shown as ?ID): no container engine named them; give --docker-socket=PATH, --docker-root=DIR or --podman-socket=PATH, or run cgtop as root");
	l->published++;
	l->cur = (struct sample){
		.snap = l->taken,
		.ctrs = t,
		.mode = l->hs.mode,
		.host = l->want_host ? &l->host[l->back] : NULL,
		.took_ns = l->took_ns,
		.index = l->published - 1,
	};
	l->back ^= 1;
	return &l->cur;
}

static size_t live_count(const struct source *s)
{
	(void)s;
	return 0;
}

static int live_find_time(struct source *s, uint64_t real_ns, size_t *i)
{
	(void)s;
	(void)real_ns;
	*i = 0;
	return -EOPNOTSUPP;
}

static uint64_t live_gap_ns(const struct source *s, size_t i)
{
	(void)s;
	(void)i;
	return 0;
}

/* The host's /proc, read by a reader made on first use. */
static struct procs_reader *live_tasks(struct source *s, const char **why)
{
	struct live *l = (struct live *)s;

	if (!l->pr)
		l->pr = procs_reader_new(&l->root, &l->hs);
	*why = NULL;
	return l->pr;
}

static const struct cg_hierarchies *live_hierarchies(const struct source *s)
{
	return &((const struct live *)s)->hs;
}

static const struct rootfs *live_root(const struct source *s)
{
	return &((const struct live *)s)->root;
}

static const char *live_problem(const struct source *s, char *buf, size_t len)
{
	(void)s;
	(void)buf;
	(void)len;
	return NULL;
}

static void live_free(struct source *s)
{
	struct live *l = (struct live *)s;

	procs_reader_free(l->pr);
	ctr_table_free(&l->ctrs[0]);
	ctr_table_free(&l->ctrs[1]);
	meta_store_free(l->meta);
	sampler_free(l->sampler);
	hierarchies_free(&l->hs);
	rootfs_close(&l->root);
	buf_free(&l->scratch);
	free(l);
}

static const struct source_ops live_ops = {
	.refresh = live_refresh,
	.seek = live_seek,
	.publish = live_publish,
	.count = live_count,
	.find_time = live_find_time,
	.gap_ns = live_gap_ns,
	.tasks = live_tasks,
	.hierarchies = live_hierarchies,
	.root = live_root,
	.problem = live_problem,
	.free = live_free,
};

/* Open the root, find the hierarchies, start the sampler and the metadata store. */
int source_live_open(struct source **out, const struct options *opt, struct notes *notes)
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
	struct live *l = xcalloc(1, sizeof(*l));
	int r;

	l->src.ops = &live_ops;
	l->notes = notes;
	l->root.fd = -1;
	r = rootfs_open(&l->root, opt->root ? opt->root : "/");
	if (r < 0) {
		fprintf(stderr, "cgtop: cannot open --root '%s': %s\n", opt->root, strerror(-r));
		free(l);
		return 1;
	}
	r = hierarchies_discover(&l->root, l->root.is_host, &l->hs, notes);
	if (r < 0) {
		const char *where = l->root.is_host ? "" : l->root.path;

		if (r == -ENOENT)
			fprintf(stderr, "cgtop: no cgroup hierarchy is mounted (per %s/proc/self/mountinfo)\n", where);
		else
			fprintf(stderr, "cgtop: cannot read %s/proc/self/mountinfo: %s\n", where, strerror(-r));
		rootfs_close(&l->root);
		free(l);
		return 1;
	}
	l->sampler = sampler_new(&l->root, &l->hs, &sopt, notes);
	l->meta = meta_store_new(&l->root, &mopt, notes);
	/* a container's cgroups in every hierarchy: in the JSON and the TUI, not the text */
	for (int h = 0; h < 2; h++) {
		if (!opt->batch || opt->format == FORMAT_JSON || opt->record)
			l->ctrs[h].paths_of = paths_of;
		l->ctrs[h].paths_ud = l;
	}
	/* the metrics carry the host's name: a fleet's alerts say which controller */
	l->want_host = !opt->batch || opt->format == FORMAT_OPENMETRICS || opt->format == FORMAT_PROMETHEUS;
	*out = &l->src;
	return 0;
}
