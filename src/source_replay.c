/* The replay source: the samples of a recording (--replay FILE), each with the containers,
 * names and cgroup paths recorded with it, not what this host would say. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "record_file.h"
#include "source.h"

struct replay {
	struct source src;
	struct recording rec;
	struct cg_hierarchies hs;  /* none: only the recorded mode, for the summary */
	struct rootfs root;        /* none: a replay reads no file of this host */
	struct ctr_table ctrs;
	char ***blocks;            /* the names of the sample's containers' hierarchies */
	size_t nblocks, blocks_cap;
	size_t want;               /* the sample refresh or seek took */
	bool shown;                /* a sample was published */
	struct sample cur;
};

/* Container C's cgroups as recorded (RC's "HIERARCHY:PATH", at most CTR_HIER_MAX), with
 * names of its own in the recorded order: bit i is the recorded entry i, so the order
 * lscgroup gave is kept whatever other containers' hierarchies were. The names' block
 * is kept in P until the next sample. */
static void add_recorded_paths(struct replay *p, struct container_info *c, const struct rec_container *rc)
{
	size_t n = rc->npaths < CTR_HIER_MAX ? rc->npaths : CTR_HIER_MAX, bytes = 0;
	char **names, *at;

	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		bytes += strlen(rc->hier_paths[i]) + 1;
	names = xmalloc(n * sizeof(*names) + bytes);
	at = (char *)(names + n);
	for (size_t i = 0; i < n; i++) {
		const char *hp = rc->hier_paths[i], *colon = strchr(hp, ':');
		size_t len = colon ? (size_t)(colon - hp) : strlen(hp);

		names[i] = at;
		memcpy(at, hp, len);
		at[len] = '\0';
		at += len + 1;
	}
	if (p->nblocks == p->blocks_cap) {
		p->blocks_cap = p->blocks_cap ? 2 * p->blocks_cap : 16;
		p->blocks = xrealloc(p->blocks, p->blocks_cap * sizeof(*p->blocks));
	}
	p->blocks[p->nblocks++] = names;
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(rc->hier_paths[i], ':');

		container_cgroups_add(&c->cgroups, (const char *const *)names, colon ? colon + 1 : "", 1ull << i);
	}
}

/* The sample after the one shown (the first before any). */
static int replay_refresh(struct source *s)
{
	struct replay *p = (struct replay *)s;
	size_t next = p->shown ? p->cur.index + 1 : 0;

	if (next >= p->rec.n)
		return -ENODATA;
	p->want = next;
	return 0;
}

static int replay_seek(struct source *s, size_t i)
{
	struct replay *p = (struct replay *)s;

	if (p->rec.n == 0)
		return -ENODATA;
	p->want = i < p->rec.n ? i : p->rec.n - 1;
	return 0;
}

/* Decode the sample taken; its containers as recorded. */
static const struct sample *replay_publish(struct source *s, uint64_t wait_ns)
{
	struct replay *p = (struct replay *)s;
	const struct rec_sample *rs = recording_seek(&p->rec, p->want);
	char ***old = p->blocks;
	size_t nold = p->nblocks;

	(void)wait_ns; /* the names are those recorded */
	p->blocks = NULL;
	p->nblocks = p->blocks_cap = 0;
	ctr_table_build(&p->ctrs, rs->snap);
	for (size_t k = 0; k < p->ctrs.n; k++) {
		struct container_info *c = &p->ctrs.v[k];
		const struct rec_container *rc = rec_sample_container(rs, c->ref.id);

		container_cgroups_free(c->cgroups);
		c->cgroups = NULL;
		c->meta = rc && rc->has_meta ? &rc->meta : NULL;
		c->restarts_seen = rc ? rc->restarts_seen : -1;
		c->events = rc ? rc->events : 0;
		if (rc)
			add_recorded_paths(p, c, rc);
	}
	/* the previous sample's names: its containers' cgroups are gone */
	for (size_t i = 0; i < nold; i++)
		free(old[i]);
	free(old);
	/* containers recorded without a cgroup (not running then): rows with their state */
	for (size_t k = 0; k < rs->nctrs; k++) {
		const struct rec_container *rc = &rs->ctrs[k];

		struct container_info *c;

		if (!rc->has_meta || (rc->path && *rc->path) || ctr_table_find(&p->ctrs, rc->id))
			continue;
		c = ctr_table_add_down(&p->ctrs, rc->id, rc->runtime, &rc->meta);
		c->restarts_seen = rc->restarts_seen;
		c->events = rc->events;
	}
	p->hs.mode = rs->mode;
	p->shown = true;
	p->cur = (struct sample){
		.snap = rs->snap,
		.ctrs = &p->ctrs,
		.mode = rs->mode,
		.index = p->want,
		.count = p->rec.n,
		.last = p->want + 1 >= p->rec.n,
		.origin = p->rec.path,
	};
	return &p->cur;
}

static size_t replay_count(const struct source *s)
{
	return ((const struct replay *)s)->rec.n;
}

static int replay_find_time(struct source *s, uint64_t real_ns, size_t *i)
{
	struct recording *rec = &((struct replay *)s)->rec;

	*i = recording_find_time(rec, real_ns);
	return rec->n && real_ns > rec->real_ns[rec->n - 1] ? -ERANGE : 0;
}

/* The recorded wait after sample I: at most a minute, a second when unknown. */
static uint64_t replay_gap_ns(const struct source *s, size_t i)
{
	const struct recording *rec = &((const struct replay *)s)->rec;
	uint64_t d;

	if (i + 1 >= rec->n || rec->real_ns[i + 1] <= rec->real_ns[i])
		return 1000000000u;
	d = rec->real_ns[i + 1] - rec->real_ns[i];
	return d > 60000000000u ? 60000000000u : d;
}

static struct procs_reader *replay_tasks(struct source *s, const char **why)
{
	(void)s;
	*why = "the task list is not available in a replay (it needs the live /proc)";
	return NULL;
}

static const struct cg_hierarchies *replay_hierarchies(const struct source *s)
{
	return &((const struct replay *)s)->hs;
}

static const struct rootfs *replay_root(const struct source *s)
{
	return &((const struct replay *)s)->root;
}

static const char *replay_problem(const struct source *s, char *buf, size_t len)
{
	const struct recording *rec = &((const struct replay *)s)->rec;

	return rec->damaged ? recording_damage_message(rec, buf, len) : NULL;
}

static void replay_free(struct source *s)
{
	struct replay *p = (struct replay *)s;

	ctr_table_free(&p->ctrs);
	for (size_t i = 0; i < p->nblocks; i++)
		free(p->blocks[i]);
	free(p->blocks);
	recording_close(&p->rec);
	free(p);
}

static const struct source_ops replay_ops = {
	.refresh = replay_refresh,
	.seek = replay_seek,
	.publish = replay_publish,
	.count = replay_count,
	.find_time = replay_find_time,
	.gap_ns = replay_gap_ns,
	.tasks = replay_tasks,
	.hierarchies = replay_hierarchies,
	.root = replay_root,
	.problem = replay_problem,
	.free = replay_free,
};

/* Read and index the recording; say why when it cannot be replayed. */
int source_replay_open(struct source **out, const char *path)
{
	struct replay *p = xcalloc(1, sizeof(*p));
	uint32_t version = 0;
	int r;

	p->src.ops = &replay_ops;
	p->root.fd = -1;
	r = recording_open(&p->rec, path, &version);
	if (r == -EINVAL)
		fprintf(stderr, "cgtop: '%s' is not a cgtop recording (made with --record)\n", path);
	else if (r == -EPROTONOSUPPORT)
		fprintf(stderr, "cgtop: '%s' is a recording of format version %u; this cgtop reads version %u: replay it with a newer cgtop\n",
			path, version, REC_VERSION);
	else if (r < 0)
		fprintf(stderr, "cgtop: cannot read --replay '%s': %s\n", path, strerror(-r));
	else if (p->rec.n == 0 && !p->rec.damaged)
		fprintf(stderr, "cgtop: '%s' holds no samples\n", path);
	if (r < 0 || (p->rec.n == 0 && !p->rec.damaged)) {
		if (r >= 0)
			recording_close(&p->rec);
		free(p);
		return 1;
	}
	*out = &p->src;
	return 0;
}
