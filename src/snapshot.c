/* One sample of every cgroup, indexed by path, and rates between two samples. */
#include "config.h"

#include <assert.h>
#include <string.h>

#include "fields.h"
#include "snapshot.h"
#include "util.h"

#define NO_ROW UINT32_MAX

#define PATH_BLOCK 65536

const struct cg_psi cg_psi_none;
const struct cg_net cg_net_none = { .kind = NET_NS_NONE, .holder = -1 };
const struct cg_life cg_life_none;
const struct cg_lim cg_lim_none = { .cpu_limit = UINT64_MAX };

struct cg_psi *row_psi_mk(struct cg_row *r)
{
	if (!r->psi)
		r->psi = arena_zalloc(r->arena, sizeof(*r->psi));
	return r->psi;
}

struct cg_net *row_net_mk(struct cg_row *r)
{
	if (!r->net) {
		r->net = arena_zalloc(r->arena, sizeof(*r->net));
		r->net->holder = -1;
	}
	return r->net;
}

struct cg_life *row_life_mk(struct cg_row *r)
{
	if (!r->life)
		r->life = arena_zalloc(r->arena, sizeof(*r->life));
	return r->life;
}

/* R's incident block, made holding the defaults when it has none. */
static struct cg_lim *lim_mk(struct cg_row *r)
{
	if (!r->lim) {
		r->lim = arena_alloc(r->arena, sizeof(*r->lim), _Alignof(struct cg_lim));
		*r->lim = cg_lim_none;
	}
	return r->lim;
}

void row_lim_put(struct cg_row *r, size_t offset, const void *v, size_t size)
{
	/* bytes, not values: a -0.0 share is not the default's 0.0 */
	if (!r->lim && memcmp((const char *)&cg_lim_none + offset, v, size) == 0)
		return;
	memcpy((char *)lim_mk(r) + offset, v, size);
}

void row_init(struct cg_row *r, struct arena *arena)
{
	memset(r, 0, sizeof(*r));
	r->parent = -1;
	r->arena = arena;
}

void row_copy(struct cg_row *dst, const struct cg_row *src)
{
	struct arena *arena = dst->arena;

	*dst = *src;
	dst->arena = arena;
	dst->psi = NULL;
	dst->net = NULL;
	dst->life = NULL;
	dst->lim = NULL;
	if (src->lim)
		*lim_mk(dst) = *src->lim;
	if (src->psi)
		*row_psi_mk(dst) = *src->psi;
	if (src->net)
		*row_net_mk(dst) = *src->net;
	if (src->life)
		*row_life_mk(dst) = *src->life;
}

uint64_t snapshot_path_hash(const char *path, size_t len)
{
	uint64_t h = PATH_HASH_INIT;
	size_t i = 0;

	/* a component at a time, as a walk makes it: "/a/b" is "/a" then "/b" */
	while (i < len) {
		const char *slash = len - i > 1 ? memchr(path + i + 1, '/', len - i - 1) : NULL;
		size_t end = slash ? (size_t)(slash - path) : len;

		h = path_hash_add(h, path + i, end - i);
		i = end;
	}
	return h;
}

static uint64_t hash_path(const char *p, size_t len)
{
	return snapshot_path_hash(p, len);
}

/* A copy of PATH in the snapshot's blocks: they are rewound, not freed, by a reset. */
static char *path_copy(struct snapshot *s, const char *path, size_t len)
{
	struct path_block *b = s->block;
	char *p;

	while (b && b->used + len + 1 > b->cap)
		b = b->next;
	if (!b) {
		size_t cap = len + 1 > PATH_BLOCK ? len + 1 : PATH_BLOCK;

		b = xmalloc(sizeof(*b) + cap);
		b->used = 0;
		b->cap = cap;
		b->next = NULL;
		if (s->block) {
			b->next = s->block->next;
			s->block->next = b;
		} else {
			b->next = s->blocks;
			s->blocks = b;
		}
	}
	s->block = b;
	p = b->data + b->used;
	memcpy(p, path, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

struct snapshot *snapshot_new(void)
{
	return xcalloc(1, sizeof(struct snapshot));
}

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	for (struct path_block *b = s->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	arena_free(&s->arena);
	free(s->rows);
	free(s->index);
	free(s);
}

void snapshot_reset(struct snapshot *s)
{
	for (struct path_block *b = s->blocks; b; b = b->next)
		b->used = 0;
	s->block = s->blocks;
	arena_reset(&s->arena);
	for (size_t i = 0; i < s->index_cap; i++)
		s->index[i] = NO_ROW;
	s->n = 0;
	s->mono_ns = s->real_ns = s->interval_ns = 0;
}

static void index_insert_hashed(struct snapshot *s, size_t row, uint64_t h)
{
	size_t mask = s->index_cap - 1;
	size_t i = (size_t)h & mask;

	while (s->index[i] != NO_ROW)
		i = (i + 1) & mask;
	s->index[i] = (uint32_t)row;
}

static void index_insert(struct snapshot *s, size_t row)
{
	const char *p = s->rows[row].path;

	index_insert_hashed(s, row, hash_path(p, strlen(p)));
}

static void index_grow(struct snapshot *s)
{
	size_t cap = s->index_cap ? s->index_cap * 2 : 256;

	free(s->index);
	s->index = xmalloc(cap * sizeof(*s->index));
	for (size_t i = 0; i < cap; i++)
		s->index[i] = NO_ROW;
	s->index_cap = cap;
	for (size_t r = 0; r < s->n; r++)
		index_insert(s, r);
}

static ssize_t find_hashed(const struct snapshot *s, const char *path, size_t len, uint64_t h)
{
	size_t mask, i;

	if (!s->index_cap)
		return -1;
	mask = s->index_cap - 1;
	for (i = (size_t)h & mask; s->index[i] != NO_ROW; i = (i + 1) & mask) {
		const char *p = s->rows[s->index[i]].path;

		if (strncmp(p, path, len) == 0 && p[len] == '\0')
			return (ssize_t)s->index[i];
	}
	return -1;
}

ssize_t snapshot_find(const struct snapshot *s, const char *path)
{
	size_t len = strlen(path);

	return find_hashed(s, path, len, hash_path(path, len));
}

size_t snapshot_row(struct snapshot *s, const char *path, size_t pathlen)
{
	return snapshot_row_hashed(s, path, pathlen, hash_path(path, pathlen));
}

size_t snapshot_row_hashed(struct snapshot *s, const char *path, size_t pathlen, uint64_t hash)
{
	ssize_t found = find_hashed(s, path, pathlen, hash);
	struct cg_row *r;
	unsigned depth = 0;

	if (found >= 0)
		return (size_t)found;
	assert(s->n < INT32_MAX); /* the index's slots are 32-bit, a row's parent signed 32 */
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->rows = xrealloc(s->rows, s->cap * sizeof(*s->rows));
	}
	r = &s->rows[s->n];
	row_init(r, &s->arena);
	r->path = path_copy(s, path, pathlen);
	for (size_t i = 0; i < pathlen; i++)
		if (path[i] == '/' && i + 1 < pathlen)
			depth++;
	r->depth = depth;
	s->n++;
	if (s->n * 2 > s->index_cap)
		index_grow(s);
	else
		index_insert_hashed(s, s->n - 1, hash);
	return s->n - 1;
}

/* The counter went forward: a rate over DT seconds; else the row was recreated. */
static bool rate(uint64_t now, uint64_t before, double dt, double *out)
{
	if (now < before)
		return false;
	*out = (double)(now - before) / dt;
	return true;
}

/* Seconds between two reads of a counter; the refresh interval DT when not stamped. */
static double read_interval(uint64_t now, uint64_t before, double dt)
{
	if (now && before && now > before)
		return (double)(now - before) / 1e9;
	return dt;
}

/* The change of counter C from P to R, when both know it and it did not go back (a
 * cgroup made again). */
static bool delta(const struct figure *c, const struct cg_row *r, const struct cg_row *p, uint64_t *out)
{
	uint64_t now, before;

	if (!row_has(r, c->id) || !row_has(p, c->id))
		return false;
	now = fig_u64(c, r);
	before = fig_u64(c, p);
	if (now < before)
		return false;
	*out = now - before;
	return true;
}

/* Figure F (a rate, ratio or change over the interval) of R from the sample P before,
 * DT seconds earlier. */
static void compute(const struct figure *f, struct cg_row *r, const struct cg_row *p, double dt)
{
	const struct figure *c = figure(f->rate_of);
	bool io = f->stamp == STAMP_IO;
	uint64_t d, of;
	double v;

	switch (f->kind) {
	case FIG_RATE:
		/* each counter over the time between its own two reads; an I/O rate only
		 * between samples of the same source */
		if (io && r->io_source != p->io_source)
			return;
		/* a container started again has a new namespace, its counters from 0 */
		if (f->net && row_net(r)->ino != row_net(p)->ino)
			return;
		if (!row_has(r, c->id) || !row_has(p, c->id))
			return;
		if (!rate(fig_u64(c, r), fig_u64(c, p),
			  f->stamp == STAMP_REFRESH ? dt
			  : io ? read_interval(r->io_read_ns, p->io_read_ns, dt)
			       : read_interval(r->cpu_read_ns, p->cpu_read_ns, dt), &v))
			return;
		v /= f->rate_divisor;
		if (f->rate_max > 0 && v > f->rate_max)
			v = f->rate_max;
		fig_set_double(f, r, v);
		break;
	case FIG_RATIO:
		/* no period elapsed (no quota, or the cgroup idle): no share to give */
		if (!delta(c, r, p, &d) || !delta(figure(f->ratio_of), r, p, &of) || of == 0)
			return;
		fig_set_double(f, r, (double)d * 100.0 / (double)of);
		break;
	case FIG_DELTA:
		if (!delta(c, r, p, &d))
			return;
		fig_set_u64(f, r, d);
		break;
	default:
		return;
	}
	r->valid |= FIELD_BIT(f->id);
}

void snapshot_compute_rates(struct snapshot *cur, const struct snapshot *prev)
{
	fieldmask rates = fig_rate_bits();
	double dt;

	if (!prev || cur->mono_ns <= prev->mono_ns) {
		cur->interval_ns = 0;
		return;
	}
	cur->interval_ns = cur->mono_ns - prev->mono_ns;
	dt = (double)cur->interval_ns / 1e9;
	for (size_t i = 0; i < cur->n; i++) {
		struct cg_row *r = &cur->rows[i];
		ssize_t j = snapshot_find(prev, r->path);

		r->valid &= ~rates;
		if (j < 0)
			continue;
		for (size_t k = 0; k < F_COUNT; k++)
			if (rates & FIELD_BIT(figures[k].id))
				compute(&figures[k], r, &prev->rows[j], dt);
	}
}
