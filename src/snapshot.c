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

/* A packed row (snapshot_pack()) is words: its path; a header of bits, first its valid
 * bits of the figures kept (bit i: lay.bits[i]), then one per kept member of struct
 * cg_row saying whether the member is stored (not 0); then each stored member in a word
 * of its own (at most 8 bytes, from the word's first byte). A member that is 0 takes no
 * word: most cgroups have no block, many no I/O. What is kept is the table of figures'
 * to say, read once before main() runs: a new rate is one entry there, and packing keeps
 * what it reads. */
#define PK_MAX_MEMBERS 32

struct pk_member {
	uint16_t offset, size;
};

static struct {
	enum cg_field bits[F_COUNT];
	size_t nbits;
	struct pk_member m[PK_MAX_MEMBERS];
	size_t nm;
	size_t hw;       /* words of the header */
} lay;

/* The entry of figure ID, found in the table itself: fields.c's index (figure()) is made
 * by a constructor too, which may run after this file's. */
static const struct figure *pk_figure(enum cg_field id)
{
	for (size_t k = 0; k < F_COUNT; k++)
		if (figures[k].id == id)
			return &figures[k];
	abort();
}

static void pk_member(size_t offset, size_t size)
{
	for (size_t i = 0; i < lay.nm; i++)
		if (lay.m[i].offset == offset)
			return;
	if (lay.nm == PK_MAX_MEMBERS || size > sizeof(uint64_t))
		abort();
	lay.m[lay.nm++] = (struct pk_member){ (uint16_t)offset, (uint16_t)size };
}

/* Keep figure ID of a packed row: its valid bit, and its value (in the row) or the
 * pointer to the block holding it. */
static void pk_figure_kept(enum cg_field id)
{
	const struct figure *f = pk_figure(id);
	size_t i;

	for (i = 0; i < lay.nbits && lay.bits[i] != id; i++)
		;
	if (i == lay.nbits)
		lay.bits[lay.nbits++] = id;
	switch (f->block) {
	case BLK_ROW:
		pk_member(f->offset, sizeof(uint64_t));
		break;
	case BLK_PSI:
		pk_member(offsetof(struct cg_row, psi), sizeof(void *));
		break;
	case BLK_NET:
		pk_member(offsetof(struct cg_row, net), sizeof(void *));
		break;
	case BLK_LIFE:
		pk_member(offsetof(struct cg_row, life), sizeof(void *));
		break;
	case BLK_LIM:
		pk_member(offsetof(struct cg_row, lim), sizeof(void *));
		break;
	}
}

/* What compute() below and the sampler's count since the start read of the row before:
 * a rate's counter and the time it was read at (an I/O rate: its source too; a network
 * rate: the namespace), a ratio's two counters, a change's counter, a count since the
 * start's counter and the count itself. */
__attribute__((constructor)) static void pk_layout(void)
{
	for (size_t k = 0; k < F_COUNT; k++) {
		const struct figure *f = &figures[k];

		switch (f->kind) {
		case FIG_RATE:
			pk_figure_kept(f->rate_of);
			if (f->stamp == STAMP_CPU)
				pk_member(offsetof(struct cg_row, cpu_read_ns), sizeof(uint64_t));
			if (f->stamp == STAMP_IO) {
				pk_member(offsetof(struct cg_row, io_read_ns), sizeof(uint64_t));
				pk_member(offsetof(struct cg_row, io_source), sizeof(uint8_t));
			}
			if (f->net)
				pk_member(offsetof(struct cg_row, net), sizeof(void *));
			break;
		case FIG_RATIO:
			pk_figure_kept(f->rate_of);
			pk_figure_kept(f->ratio_of);
			break;
		case FIG_DELTA:
			pk_figure_kept(f->rate_of);
			break;
		case FIG_SINCE:
			pk_figure_kept(f->rate_of);
			pk_figure_kept(f->id);
			break;
		default:
			break;
		}
	}
	lay.hw = (lay.nbits + lay.nm + 63) / 64;
}

/* The most words a packed row takes. */
static size_t pk_words_max(void)
{
	return 1 + lay.hw + lay.nm;
}

static void hdr_set(uint64_t *h, size_t bit)
{
	h[bit / 64] |= UINT64_C(1) << (bit % 64);
}

static bool hdr_has(const uint64_t *h, size_t bit)
{
	return (h[bit / 64] >> (bit % 64)) & 1;
}

/* R packed at W. Returns the words it took. */
static size_t pk_put(uint64_t *w, const struct cg_row *r)
{
	uint64_t *h = &w[1];
	size_t n = 1 + lay.hw;

	w[0] = 0;
	memcpy(&w[0], &r->path, sizeof(r->path));
	for (size_t i = 0; i < lay.hw; i++)
		h[i] = 0;
	for (size_t i = 0; i < lay.nbits; i++)
		if (row_has(r, lay.bits[i]))
			hdr_set(h, i);
	for (size_t i = 0; i < lay.nm; i++) {
		uint64_t v = 0;

		memcpy(&v, (const char *)r + lay.m[i].offset, lay.m[i].size);
		if (!v)
			continue;
		hdr_set(h, lay.nbits + i);
		w[n++] = v;
	}
	return n;
}

/* The path of row I of S, full or packed. */
static char *row_path(const struct snapshot *s, size_t i)
{
	char *p;

	if (!s->packed)
		return s->rows[i].path;
	memcpy(&p, &s->pk.w[s->pk.at[i]], sizeof(p));
	return p;
}

void snapshot_pack(struct snapshot *s, struct snapshot *heir)
{
	struct packed_rows pk = heir->pk;
	size_t most = s->n * pk_words_max();

	assert(!s->packed && !heir->packed && heir->n == 0 && heir != s);
	assert(most < UINT32_MAX);
	/* room for every row at its largest: what is not written is not touched, so not
	 * resident (a large array is mmap()ed), and an array reused needs no check */
	if (pk.cap < most) {
		free(pk.w);
		pk.cap = most + most / 4;
		pk.w = xmalloc(pk.cap * sizeof(*pk.w));
	}
	if (pk.at_cap < s->n) {
		free(pk.at);
		pk.at_cap = s->n + s->n / 4;
		pk.at = xmalloc(pk.at_cap * sizeof(*pk.at));
	}
	pk.used = 0;
	for (size_t i = 0; i < s->n; i++) {
		pk.at[i] = (uint32_t)pk.used;
		pk.used += pk_put(&pk.w[pk.used], &s->rows[i]);
	}
	free(heir->rows);
	heir->rows = s->rows;
	heir->cap = s->cap;
	heir->pk = s->pk;
	s->rows = NULL;
	s->cap = 0;
	s->pk = pk;
	s->packed = true;
}

const struct cg_row *snapshot_row_before(const struct snapshot *s, size_t j, struct cg_row *tmp)
{
	const uint64_t *w, *h;
	size_t n = 1 + lay.hw;

	if (!s->packed)
		return &s->rows[j];
	w = &s->pk.w[s->pk.at[j]];
	h = &w[1];
	row_init(tmp, NULL);
	memcpy(&tmp->path, &w[0], sizeof(tmp->path));
	for (size_t i = 0; i < lay.nbits; i++)
		if (hdr_has(h, i))
			tmp->valid |= FIELD_BIT(lay.bits[i]);
	for (size_t i = 0; i < lay.nm; i++)
		if (hdr_has(h, lay.nbits + i))
			memcpy((char *)tmp + lay.m[i].offset, &w[n++], lay.m[i].size);
	return tmp;
}

size_t snapshot_rows_size(const struct snapshot *s)
{
	if (s->packed)
		return s->pk.used * sizeof(*s->pk.w) + s->n * sizeof(*s->pk.at);
	return s->n * sizeof(*s->rows);
}

/* The paths' storage. A string is a header of 4 bytes, then its bytes and a NUL: the
 * header holds the number of its block (bits 0-29) and the marks of the store's users
 * that have it (bits 30 and 31). Only the header changes while a string lives, never its
 * bytes, and strings never move: a snapshot's paths may be read (by the screen's thread)
 * while the other snapshot of the store is filled (by the sampler's). A block none of
 * whose strings is used any more is filled again; one more than half unused is "sparse":
 * its strings are shared no more, a snapshot needing one makes a copy of its own, so the
 * block empties once the snapshot holding it is reset. Churn (paths that go and others
 * that come) thus costs at most about twice the paths in use, however long it goes on. */
#define PATH_HDR 4u
#define HDR_BLOCK 0x3fffffffu
#define HDR_MARKS 30
#define NO_BLOCK SIZE_MAX

struct path_block {
	size_t used, cap;
	size_t live;    /* bytes (headers included) of the strings some snapshot has */
	bool sparse;    /* shared from no more, filled no more (until empty) */
	char data[];
};

struct path_store {
	struct path_block **b; /* by number, as a header names them */
	size_t n, cap;
	size_t fill;           /* the block new strings go to, or NO_BLOCK */
	unsigned users;        /* snapshots using the store (1 or 2) */
};

static uint32_t path_hdr(const char *p)
{
	uint32_t h;

	memcpy(&h, p - PATH_HDR, sizeof(h));
	return h;
}

static void path_hdr_set(char *p, uint32_t h)
{
	memcpy(p - PATH_HDR, &h, sizeof(h));
}

static struct path_store *path_store_new(void)
{
	struct path_store *ps = xcalloc(1, sizeof(*ps));

	ps->fill = NO_BLOCK;
	return ps;
}

/* A block of the store with room for NEED bytes: the one being filled, else a new one
 * (in the first free slot of the table, whose numbers the headers hold). Returns its
 * number. */
static size_t path_room(struct path_store *ps, size_t need)
{
	struct path_block *b;
	size_t i, cap;

	if (ps->fill != NO_BLOCK && ps->b[ps->fill]->cap - ps->b[ps->fill]->used >= need)
		return ps->fill;
	for (i = 0; i < ps->n && ps->b[i]; i++)
		;
	if (i == ps->n) {
		assert(ps->n < HDR_BLOCK);
		if (ps->n == ps->cap) {
			ps->cap = ps->cap ? ps->cap * 2 : 16;
			ps->b = xrealloc(ps->b, ps->cap * sizeof(*ps->b));
		}
		ps->n++;
	}
	cap = need > PATH_BLOCK ? need : PATH_BLOCK;
	b = xmalloc(sizeof(*b) + cap);
	b->used = b->live = 0;
	b->cap = cap;
	b->sparse = false;
	ps->b[i] = b;
	return ps->fill = i;
}

/* A copy of PATH in S's store, S's own. */
static char *path_copy(struct snapshot *s, const char *path, size_t len)
{
	size_t need = PATH_HDR + len + 1;
	size_t i = path_room(s->paths, need);
	struct path_block *b = s->paths->b[i];
	char *p = b->data + b->used + PATH_HDR;

	path_hdr_set(p, (uint32_t)i | (uint32_t)s->mark << HDR_MARKS);
	memcpy(p, path, len);
	p[len] = '\0';
	b->used += need;
	b->live += need;
	return p;
}

static ssize_t find_hashed(const struct snapshot *s, const char *path, size_t len, uint64_t h);

/* PATH for a new row of S: the peer's string when it has the path (HASH its hash), else
 * a copy. */
static char *path_get(struct snapshot *s, const char *path, size_t len, uint64_t hash)
{
	const struct snapshot *peer = s->peer;
	ssize_t j = peer ? find_hashed(peer, path, len, hash) : -1;
	char *p;
	uint32_t h;

	if (j < 0)
		return path_copy(s, path, len);
	p = row_path(peer, (size_t)j);
	h = path_hdr(p);
	if (s->paths->b[h & HDR_BLOCK]->sparse)
		return path_copy(s, path, len);
	path_hdr_set(p, h | (uint32_t)s->mark << HDR_MARKS);
	return p;
}

/* S's rows leave their paths: a string no snapshot has any more is garbage; a block of
 * garbage only is freed (the one being filled is rewound), one of more than half garbage
 * is sparse. An unchanged tree frees nothing: its paths are the other snapshot's too. */
static void paths_drop(struct snapshot *s)
{
	struct path_store *ps = s->paths;

	for (size_t i = 0; i < s->n; i++) {
		char *p = row_path(s, i);
		uint32_t h = path_hdr(p) & ~((uint32_t)s->mark << HDR_MARKS);

		path_hdr_set(p, h);
		if (!(h >> HDR_MARKS))
			ps->b[h & HDR_BLOCK]->live -= PATH_HDR + strlen(p) + 1;
	}
	for (size_t i = 0; i < ps->n; i++) {
		struct path_block *b = ps->b[i];

		if (!b)
			continue;
		if (!b->live && i != ps->fill) {
			free(b);
			ps->b[i] = NULL;
			continue;
		}
		if (!b->live)
			b->used = 0;
		b->sparse = b->live < b->used - b->live;
	}
	if (ps->fill != NO_BLOCK && ps->b[ps->fill]->sparse)
		ps->fill = NO_BLOCK;
}

size_t snapshot_paths_size(const struct snapshot *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->paths->n; i++)
		if (s->paths->b[i])
			n += s->paths->b[i]->cap;
	return n;
}

struct snapshot *snapshot_new(void)
{
	struct snapshot *s = xcalloc(1, sizeof(struct snapshot));

	s->paths = path_store_new();
	s->paths->users = 1;
	s->mark = 1;
	return s;
}

struct snapshot *snapshot_pair(struct snapshot *other)
{
	struct snapshot *s = xcalloc(1, sizeof(struct snapshot));

	assert(!other->peer && other->paths->users == 1);
	s->paths = other->paths;
	s->paths->users = 2;
	s->mark = (uint8_t)(3 - other->mark);
	s->peer = other;
	other->peer = s;
	return s;
}

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	if (s->peer) {
		paths_drop(s);
		s->peer->peer = NULL;
		s->paths->users--;
	} else {
		for (size_t i = 0; i < s->paths->n; i++)
			free(s->paths->b[i]); /* NULL: a slot freed */
		free(s->paths->b);
		free(s->paths);
	}
	arena_free(&s->arena);
	free(s->rows);
	free(s->pk.w);
	free(s->pk.at);
	free(s->index);
	free(s);
}

void snapshot_reset(struct snapshot *s)
{
	paths_drop(s);
	arena_reset(&s->arena);
	for (size_t i = 0; i < s->index_cap; i++)
		s->index[i] = NO_ROW;
	s->n = 0;
	s->packed = false; /* its words stay, for the next snapshot_pack() */
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
		const char *p = row_path(s, s->index[i]);

		if (strncmp(p, path, len) == 0 && p[len] == '\0')
			return (ssize_t)s->index[i];
	}
	return -1;
}

const char *snapshot_row_path(const struct snapshot *s, size_t j)
{
	return row_path(s, j);
}

ssize_t snapshot_find_hashed(const struct snapshot *s, const char *path, size_t len, uint64_t hash)
{
	return find_hashed(s, path, len, hash);
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
	assert(!s->packed);	assert(s->n < INT32_MAX); /* the index's slots are 32-bit, a row's parent signed 32 */
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->rows = xrealloc(s->rows, s->cap * sizeof(*s->rows));
	}
	r = &s->rows[s->n];
	row_init(r, &s->arena);
	r->path = path_get(s, path, pathlen, hash);
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
		struct cg_row *r = &cur->rows[i], tmp;
		ssize_t j = snapshot_find(prev, r->path);
		const struct cg_row *p;

		r->valid &= ~rates;
		if (j < 0)
			continue;
		p = snapshot_row_before(prev, (size_t)j, &tmp);
		for (size_t k = 0; k < F_COUNT; k++)
			if (rates & FIELD_BIT(figures[k].id))
				compute(&figures[k], r, p, dt);
	}
}
