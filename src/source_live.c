/* The live source: samples of this host (or of --root DIR) taken by the sampler, each with
 * its containers, their cgroups in every hierarchy and what the engines say of them. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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
	const char **hier_names;       /* hs's names, by index: the containers' cgroups name them */
	struct notes *notes;
	struct sampler *sampler;
	struct meta_store *meta;
	/* the published sample's containers and host facts, and those of the sample being
	 * taken: a worker fills one while the screen reads the other */
	struct ctr_table ctrs[2];
	struct ctr_ids *ids;           /* both tables' IDs, each once */
	struct meta_ids_keeper keeper; /* lends them to the metadata worker's requests */
	struct host_info host[2];
	unsigned back;                 /* the half refresh fills */
	const struct snapshot *taken;  /* by refresh, not yet published */
	uint64_t took_ns;
	bool want_host;                /* the screen shows host facts; batch output does not */
	struct buf scratch;
	struct procs_reader *pr;       /* made on first use */
	unsigned long published;
	char unnamed[160];             /* the published sample's note of containers without a name */
	struct sample cur;
	struct ctr_life_seen *seen;    /* the containers of the previous sample */
	size_t nseen;
	bool seen_ready;               /* they were known from an adopted fetch */
};

/* ctr_table's way to find a container's cgroups in every hierarchy */
static uint64_t paths_of(void *ud, const char *path)
{
	struct live *l = ud;

	return hierarchies_mask_of(&l->root, &l->hs, path);
}

/* The metadata worker's requests borrow the tables' IDs: pinned in their store until
 * the worker is done with them (a copy of 10,000 took 0.73 MB at each poll, two at
 * once while the previous fetch's awaited adoption). */
static int ids_hold(void *ud)
{
	return ctr_ids_pin(ud);
}

static void ids_release(void *ud, int pin)
{
	ctr_ids_unpin(ud, pin);
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
	} else {
		/* batch output stamps its rows with the host's name: read each time, it may change */
		host_name_read(&l->root, l->host[l->back].hostname, sizeof(l->host[l->back].hostname),
			       &l->scratch);
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

/* True when C has no name and is not a pod's sandbox: in a named pod, a container without
 * a log link of its own is the sandbox (pause), which the kubelet names by its pod only. */
static bool unnamed(const struct container_info *c)
{
	return !container_name(c) && !(c->pod && c->pod->meta);
}

/* Give every container of T what the engines know of it; true when all are named. */
static bool attach_meta(struct live *l, struct ctr_table *t)
{
	bool all = true;

	meta_store_sync(l->meta);
	for (size_t k = 0; k < t->npods; k++)
		t->pods[k].meta = meta_store_lookup(l->meta, t->pods[k].ref.id);
	for (size_t k = 0; k < t->n; k++) {
		struct container_info *c = &t->v[k];

		c->meta = meta_store_lookup(l->meta, c->ref.id);
		if (unnamed(c))
			all = false;
	}
	return all;
}

/* True when a container of T has no name and was not in the sample before (PREV): a
 * container's first row waits for the engines, later rows do not. */
static bool new_unnamed(const struct ctr_table *t, const struct ctr_table *prev)
{
	for (size_t k = 0; k < t->n; k++)
		if (unnamed(&t->v[k]) && !ctr_table_find(prev, t->v[k].ref.id))
			return true;
	return false;
}

/* Into l->unnamed: how many of T's containers have no name and the cause seen (TIMED_OUT:
 * the engines' answer was still awaited); "" when all have one. Short enough for one line
 * of an 80-column screen; the engines' own notes say more. */
static void describe_unnamed(struct live *l, const struct ctr_table *t, bool timed_out)
{
	const char *why = meta_store_why(l->meta);
	size_t n = 0;

	for (size_t k = 0; k < t->n; k++)
		n += unnamed(&t->v[k]);
	l->unnamed[0] = '\0';
	if (!n)
		return;
	if (timed_out)
		why = "no answer from the engines in time";
	else if (!why[0])
		why = meta_store_asks_engines(l->meta) ? "the engines do not know them" : "no engine's files name them";
	snprintf(l->unnamed, sizeof(l->unnamed), "%zu container%s without a name (?ID): %s", n,
		 n == 1 ? "" : "s", why);
}

/* Rows for the containers the engines know that have no cgroup in T: exited,
 * restarting (between two runs), created, dead; running by the engine's last word. */
static void add_down(struct live *l, struct ctr_table *t)
{
	size_t n;
	const struct container_meta *all = meta_store_all(l->meta, &n);

	for (size_t i = 0; i < n; i++) {
		const struct container_meta *m = &all[i];
		unsigned st = ctr_state_of(m->state);

		/* one the engine still calls running whose cgroup is gone (it just ended) or not
		 * made yet is a row too: a crash loop's row never blinks out */
		if (!m->engine || !st || ctr_table_find(t, m->id))
			continue;
		ctr_table_add_down(t, m->id, (enum ctr_runtime)m->engine, m);
	}
}

static int seen_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ctr_life_seen *)a)->id, ((const struct ctr_life_seen *)b)->id);
}

/* The old record of ID among the previous sample's (sorted by ID), or NULL. */
static const struct ctr_life_seen *seen_find(const struct ctr_life_seen *v, size_t n, const char *id)
{
	struct ctr_life_seen key = { .id = id };

	if (!n)
		return NULL;
	return bsearch(&key, v, n, sizeof(*v), seen_cmp);
}

/* Each container's events since the previous sample (start, stop, restart, unhealthy,
 * OOM-killed) and its restarts since cgtop first saw it, from what the engines said then
 * and say now; the records for the next sample. */
static void track_life(struct live *l, struct ctr_table *t)
{
	/* a record only for a container something is known of: one of zeros says no more
	 * than none (p == NULL below), and 10,000 containers no engine names would take
	 * 0.4 MB of them, twice (this sample's and the previous one's). Room for all, not
	 * zeroed: what is not written is not touched. Each record's ID is T's, in the
	 * tables' store (l->ids), which keeps it while T's build holds it: until T is built
	 * again, after the next sample is published, when the records are made anew (T is
	 * the table published now, live_publish(); refresh builds the other one). */
	struct ctr_life_seen *now = xmalloc((t->n ? t->n : 1) * sizeof(*now));
	size_t nnow = 0;
	bool ready = meta_store_adopted(l->meta) > 0;

	for (size_t k = 0; k < t->n; k++) {
		struct container_info *c = &t->v[k];
		const struct container_meta *m = c->meta;
		const struct ctr_life_seen *p = seen_find(l->seen, l->nseen, c->ref.id);
		struct ctr_life_seen *e;

		if (!m || !ctr_state_of(m->state)) {
			if (p) {
				now[nnow] = *p;
				now[nnow++].id = c->ref.id; /* p's is the previous table's */
			}
			continue;
		}
		e = &now[nnow++];
		memset(e, 0, sizeof(*e));
		e->id = c->ref.id;
		e->life = m->life.known;
		e->life_stale = m->life_stale;
		e->restarts = m->life.restart_count;
		e->started_at = m->life.started_at;
		e->finished_at = m->life.finished_at;
		e->oom_killed = m->life.oom_killed;
		e->state = (unsigned char)ctr_state_of(m->state);
		e->health = (unsigned char)ctr_health_of(m->health);
		c->events = ctr_life_step(p, e, l->seen_ready && l->published > 0);
		c->restarts_seen = e->life ? e->seen : -1;
	}
	if (nnow > 1)
		qsort(now, nnow, sizeof(*now), seen_cmp);
	free(l->seen);
	l->seen = now;
	l->nseen = nnow;
	l->seen_ready = ready;
}

/* The sample taken becomes the current one, with the engines' names (never waits for
 * I/O but for the WAIT_NS asked for, and only for containers new in this sample). */
#define ROOT_NAME_WAIT_NS (5000u * 1000000ull)

static const struct sample *live_publish(struct source *s, uint64_t wait_ns)
{
	struct live *l = (struct live *)s;
	struct ctr_table *t = &l->ctrs[l->back];
	const char **ids;
	size_t nids = 0;
	bool named;

	ids = xcalloc(t->n + t->npods + 1, sizeof(*ids));
	for (size_t k = 0; k < t->n; k++)
		if (t->v[k].ref.runtime != RT_MACHINED && t->v[k].ref.runtime != RT_LXC)
			ids[nids++] = t->v[k].ref.id;
	for (size_t k = 0; k < t->npods; k++)
		ids[nids++] = t->pods[k].ref.id; /* pod UIDs: the kubelet's log links name them */
	meta_store_want(l->meta, ids, nids);
	free(ids);
	named = attach_meta(l, t);
	/* under --root with no engine's socket the names come from files only (another
	 * machine's tree: nothing can hang), and a test's or a post-mortem's output must not
	 * depend on how busy this machine is: wait for them up to 5 s */
	if (wait_ns && !l->root.is_host && !meta_store_asks_engines(l->meta) &&
	    wait_ns < ROOT_NAME_WAIT_NS)
		wait_ns = ROOT_NAME_WAIT_NS;
	if (!named && wait_ns && new_unnamed(t, &l->ctrs[l->back ^ 1])) {
		uint64_t deadline = now_monotonic_ns() + wait_ns;
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		/* until named, or the engines have said all they will */
		while (!named && now_monotonic_ns() < deadline) {
			bool pending = meta_store_pending(l->meta);

			named = attach_meta(l, t);
			if (named || !pending || !new_unnamed(t, &l->ctrs[l->back ^ 1]))
				break;
			nanosleep(&ts, NULL);
		}
	}
	/* the lists' poll keeps a fetch pending: "in time" only when none answered for these IDs */
	describe_unnamed(l, t,
			 !named && !meta_store_answered(l->meta) && meta_store_pending(l->meta));
	add_down(l, t);
	track_life(l, t);
	l->published++;
	l->cur = (struct sample){
		.snap = l->taken,
		.ctrs = t,
		.mode = l->hs.mode,
		.host = l->want_host ? &l->host[l->back] : NULL,
		.hostname = l->host[l->back].hostname[0] ? l->host[l->back].hostname : NULL,
		.took_ns = l->took_ns,
		.index = l->published - 1,
		.unnamed = l->unnamed[0] ? l->unnamed : NULL,
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
	free(l->seen);
	/* first: its requests' pins on the tables' IDs go with it */
	meta_store_free(l->meta);
	ctr_table_free(&l->ctrs[0]);
	ctr_table_free(&l->ctrs[1]);
	ctr_ids_free(l->ids);
	free(l->hier_names);
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
	/* every output shows the working set (the text and the screen its column and %Lim).
	 * Batch output is done with a sample (written, recorded) before the next is taken,
	 * in the one thread: the previous sample is packed; the screen reads it meanwhile */
	struct sampler_options sopt = { .max_depth = opt->max_depth, .clock = now_monotonic_ns,
					.memory_stat = true, .pack_prev = opt->batch };
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
	l->hier_names = xcalloc(l->hs.n + 1, sizeof(*l->hier_names));
	for (size_t i = 0; i < l->hs.n; i++)
		l->hier_names[i] = l->hs.h[i].name;
	l->ids = ctr_ids_new();
	l->keeper = (struct meta_ids_keeper){ .hold = ids_hold, .release = ids_release, .ud = l->ids };
	meta_store_lend(l->meta, &l->keeper);
	for (int h = 0; h < 2; h++) {
		l->ctrs[h].ids = l->ids;
		if (!opt->batch || opt->format == FORMAT_JSON || opt->record)
			l->ctrs[h].paths_of = paths_of;
		l->ctrs[h].paths_ud = l;
		l->ctrs[h].hier_names = l->hier_names;
	}
	l->want_host = !opt->batch; /* batch reads only the host name (each sample) */
	*out = &l->src;
	return 0;
}
