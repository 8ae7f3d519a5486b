/* The recording format, pure: samples into bytes and back, CRC and varints (format in
 * record_codec.h and man/cgtop.1, FILES). No file is opened here. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "meta.h"
#include "record_codec.h"

/* ---- CRC-32 (IEEE 802.3, as zlib's crc32) ---- */

static uint32_t crc_table[256];

/* The table of CRC-32's byte steps, made once. */
static void crc_init(void)
{
	if (crc_table[1])
		return;
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

/* CRC-32 (IEEE) of LEN bytes at P, as zlib's crc32() gives it. */
static uint32_t crc32_ieee(const unsigned char *p, size_t len)
{
	uint32_t c = 0xffffffffu;

	crc_init();
	for (size_t i = 0; i < len; i++)
		c = crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* V as 4 bytes little-endian at P. */
static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

/* The 4 bytes little-endian at P. */
static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Append N bytes at P to B. */
static void buf_put(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, b->len + n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

/* Append V to B as an LEB128 varint. */
static void put_varint(struct buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	buf_put(b, tmp, n);
}

/* A signed number as an unsigned one, small when near 0. */
static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

/* zigzag() undone. */
static int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

void rec_encode_header(struct buf *out, uint32_t version)
{
	unsigned char h[REC_HEADER_LEN];

	memcpy(h, REC_MAGIC, 8);
	put_le32(h + 8, version);
	put_le32(h + 12, 0);
	buf_put(out, h, sizeof(h));
}

/* ---- encoder: a string table per sample, each string once ---- */

struct rec_encoder {
	struct buf strs;    /* the table: varint length, bytes, … */
	struct buf body;    /* what refers to it */
	size_t nstr;
	/* (hash, offset+1 of the string in strs, index) open addressing */
	struct slot { uint64_t hash; size_t off, len; size_t idx; } *slots;
	size_t cap;
};

struct rec_encoder *rec_encoder_new(void)
{
	return xcalloc(1, sizeof(struct rec_encoder));
}

void rec_encoder_free(struct rec_encoder *e)
{
	if (!e)
		return;
	buf_free(&e->strs);
	buf_free(&e->body);
	free(e->slots);
	free(e);
}

/* Double the string hash table, rehashing every slot. */
static void intern_grow(struct rec_encoder *e)
{
	struct slot *old = e->slots;
	size_t oldcap = e->cap;

	e->cap = e->cap ? e->cap * 2 : 256;
	e->slots = xcalloc(e->cap, sizeof(*e->slots));
	for (size_t i = 0; i < oldcap; i++) {
		size_t j;

		if (!old[i].off)
			continue;
		for (j = old[i].hash & (e->cap - 1); e->slots[j].off; j = (j + 1) & (e->cap - 1))
			;
		e->slots[j] = old[i];
	}
	free(old);
}

/* The index of S in this sample's table, added when new. */
static size_t intern(struct rec_encoder *e, const char *s)
{
	size_t len = strlen(s), j;
	uint64_t h = fnv1a(FNV1A_INIT, s, len);

	if ((e->nstr + 1) * 2 > e->cap)
		intern_grow(e);
	for (j = h & (e->cap - 1); e->slots[j].off; j = (j + 1) & (e->cap - 1)) {
		const struct slot *sl = &e->slots[j];

		if (sl->hash == h && sl->len == len && memcmp(e->strs.data + sl->off - 1, s, len) == 0)
			return sl->idx;
	}
	put_varint(&e->strs, len);
	e->slots[j] = (struct slot){ .hash = h, .off = e->strs.len + 1, .len = len, .idx = e->nstr };
	buf_put(&e->strs, s, len);
	return e->nstr++;
}

/* An optional string: 0 for NULL, else index + 1. */
static void put_opt_str(struct rec_encoder *e, const char *s)
{
	put_varint(&e->body, s ? intern(e, s) + 1 : 0);
}

/* A read time relative to the sample's: small. 0 means "not stamped". */
static void put_stamp(struct buf *b, uint64_t t, uint64_t mono)
{
	put_varint(b, t ? zigzag((int64_t)(t - mono)) + 1 : 0);
}

/* D's 8 bytes, little-endian. */
static void put_double(struct buf *b, double d)
{
	uint64_t v;
	unsigned char tmp[8];

	memcpy(&v, &d, sizeof(v));
	for (int i = 0; i < 8; i++)
		tmp[i] = (unsigned char)(v >> (8 * i));
	buf_put(b, tmp, 8);
}

/* A row's figures in a record: a mask of the slots present (each figure's rec_slot in
 * fields.c), the REC_VARINT ones as varints in slot order, the two reading times, then the
 * REC_ESTIMATE ones as doubles in slot order. Rates are not stored but as estimates. A
 * slot this cgtop does not know is a varint of a newer figure: read and dropped. */

/* Row slots (fig_rec_row_slot()): what a row says of its network namespace (cg_net's
 * kind, ino, holder + 1), written as the varints of figures are; and
 * SLOT_MORE, set when the mask of slots 64-127 follows the first (version 4: no value of
 * its own). */
enum { SLOT_NET_NS = FIG_REC_ROW_SLOTS, SLOT_NET_INO, SLOT_NET_HOLDER, SLOT_MORE };
_Static_assert(SLOT_MORE == 63, "the first mask's last bit says a second follows");

#define SLOT_BIT(slot) ((fieldmask)1 << (slot))

/* R's value of row slot SLOT; false when it has none. */
static bool row_slot_value(const struct cg_row *r, int slot, uint64_t *v)
{
	const struct cg_net *n = row_net(r);

	switch (slot) {
	case SLOT_NET_NS:
		*v = n->kind;
		return n->kind != NET_NS_NONE;
	case SLOT_NET_INO:
		*v = n->ino;
		return n->kind != NET_NS_NONE && n->ino != 0;
	case SLOT_NET_HOLDER:
		*v = (uint64_t)(n->holder + 1);
		return n->kind == NET_NS_SHARED && n->holder >= 0;
	}
	return false;
}

/* Row slot SLOT of R read as V from a record of NROWS rows; false when V is damage. */
static bool row_slot_set(struct cg_row *r, int slot, uint64_t v, size_t nrows)
{
	switch (slot) {
	case SLOT_NET_NS:
		if (v > NET_NS_SHARED)
			return false;
		if (v != NET_NS_NONE) /* no block for no kind */
			row_net_mk(r)->kind = (uint8_t)v;
		return true;
	case SLOT_NET_INO:
		row_net_mk(r)->ino = v;
		return true;
	case SLOT_NET_HOLDER:
		if (v == 0 || v > nrows)
			return false;
		row_net_mk(r)->holder = (ssize_t)v - 1;
		return true;
	}
	return true; /* a newer cgtop's: dropped */
}

/* The slots of R's figures that are recorded, and of its row slots. */
static fieldmask recorded_mask(const struct cg_row *r)
{
	fieldmask mask = 0;
	uint64_t v;

	for (int slot = FIG_REC_ROW_SLOTS; slot < FIG_REC_ROW_SLOTS_END; slot++)
		if (row_slot_value(r, slot, &v))
			mask |= SLOT_BIT(slot);

	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *f = &figures[i];

		if (f->rec == REC_NONE || !row_has(r, f->id))
			continue;
		if (f->rec == REC_ESTIMATE && r->io_source != IO_SRC_PROC)
			continue;
		mask |= SLOT_BIT(f->rec_slot);
	}
	if (mask >> 64)
		mask |= SLOT_BIT(SLOT_MORE);
	return mask;
}

/* "HIERARCHY:PATH" as two strings: the path is mostly a row's, stored already. */
static void put_hier_path(struct rec_encoder *e, const char *hp)
{
	const char *colon = strchr(hp, ':');
	char name[256];

	if (!colon || (size_t)(colon - hp) >= sizeof(name)) {
		put_varint(&e->body, intern(e, hp));
		put_varint(&e->body, 0);
		return;
	}
	memcpy(name, hp, (size_t)(colon - hp));
	name[colon - hp] = '\0';
	put_varint(&e->body, intern(e, name));
	put_opt_str(e, colon + 1);
}

/* A container's metadata: its strings, main PID and labels. */
static void encode_meta(struct rec_encoder *e, const struct container_meta *m)
{
	struct buf *b = &e->body;

	put_opt_str(e, m->id);
	put_opt_str(e, m->name);
	put_opt_str(e, m->engine_name);
	put_opt_str(e, m->image);
	put_opt_str(e, m->state);
	put_opt_str(e, m->health);
	put_opt_str(e, m->config_id);
	put_opt_str(e, m->managed_by);
	put_varint(b, zigzag(m->main_pid));
	put_varint(b, m->nlabels);
	for (size_t i = 0; i < m->nlabels; i++) {
		put_opt_str(e, m->label_keys[i]);
		put_opt_str(e, m->label_values[i]);
	}
}

void rec_encode_sample(struct rec_encoder *e, struct buf *out, const struct snapshot *s,
		       enum cg_mode mode, const struct ctr_table *ctrs)
{
	struct buf *b = &e->body;
	unsigned char frame[REC_FRAME_LEN] = { 0 };
	size_t start, nctrs = ctrs ? ctrs->n : 0;

	e->strs.len = 0;
	e->body.len = 0;
	e->nstr = 0;
	if (e->cap)
		memset(e->slots, 0, e->cap * sizeof(*e->slots));

	put_varint(b, s->mono_ns);
	put_varint(b, s->real_ns);
	put_varint(b, (uint64_t)mode);
	put_varint(b, s->n);
	for (size_t i = 0; i < s->n; i++) {
		const struct cg_row *r = &s->rows[i];
		fieldmask mask = recorded_mask(r);

		put_varint(b, intern(e, r->path));
		put_varint(b, r->depth);
		put_varint(b, (uint64_t)(r->parent + 1));
		put_varint(b, (uint64_t)mask);
		if (mask & SLOT_BIT(SLOT_MORE))
			put_varint(b, (uint64_t)(mask >> 64));
		put_varint(b, r->hier_mask);
		put_varint(b, r->io_source);
		for (int slot = 0; slot < FIG_REC_SLOTS; slot++) {
			const struct figure *f = fig_by_slot(slot);
			uint64_t v;

			if (!(mask & SLOT_BIT(slot)) || slot == SLOT_MORE)
				continue;
			if (fig_rec_row_slot(slot) && row_slot_value(r, slot, &v))
				put_varint(b, v);
			else if (f && f->rec == REC_VARINT)
				put_varint(b, fig_u64(f, r));
		}
		put_stamp(b, r->cpu_read_ns, s->mono_ns);
		put_stamp(b, r->io_read_ns, s->mono_ns);
		for (int slot = 0; slot < FIG_REC_SLOTS; slot++) {
			const struct figure *f = fig_by_slot(slot);

			if ((mask & SLOT_BIT(slot)) && f && f->rec == REC_ESTIMATE)
				put_double(b, fig_double(f, r));
		}
	}
	put_varint(b, nctrs);
	for (size_t k = 0; k < nctrs; k++) {
		const struct container_info *c = &ctrs->v[k];

		put_varint(b, (uint64_t)c->ref.runtime);
		put_varint(b, intern(e, c->ref.id));
		put_opt_str(e, c->path);
		put_varint(b, container_cgroup_count(c));
		for (size_t i = 0, n = container_cgroup_count(c); i < n; i++) {
			char hp[4096 + 256];

			put_hier_path(e, container_cgroup_text(c, i, hp, sizeof(hp)));
		}
		put_varint(b, c->meta != NULL);
		if (c->meta)
			encode_meta(e, c->meta);
	}
	/* version 3: each container's lifecycle, in the same order (a version-2 body ends
	 * before it) */
	put_varint(b, nctrs);
	for (size_t k = 0; k < nctrs; k++) {
		const struct container_info *c = &ctrs->v[k];
		const struct ctr_life *l = c->meta ? &c->meta->life : &(const struct ctr_life){ 0 };

		put_varint(b, (uint64_t)l->known | (uint64_t)l->oom_killed << 1);
		put_varint(b, zigzag(l->exit_code));
		put_varint(b, l->restart_count);
		put_varint(b, zigzag(l->failing_streak));
		put_varint(b, zigzag(l->started_at));
		put_varint(b, zigzag(l->finished_at));
		put_opt_str(e, l->restart_policy[0] ? l->restart_policy : NULL);
		put_opt_str(e, l->health_log[0] ? l->health_log : NULL);
		put_varint(b, zigzag(c->restarts_seen));
		put_varint(b, c->events);
	}

	/* frame, then the string table, then the body */
	start = out->len;
	buf_put(out, frame, sizeof(frame));
	put_varint(out, e->nstr);
	buf_put(out, e->strs.data, e->strs.len);
	buf_put(out, e->body.data, e->body.len);
	put_le32(frame, (uint32_t)(out->len - start - REC_FRAME_LEN));
	put_le32(frame + 4, crc32_ieee((unsigned char *)out->data + start + REC_FRAME_LEN,
				       out->len - start - REC_FRAME_LEN));
	memcpy(out->data + start, frame, sizeof(frame));
}

/* ---- decoder ---- */

struct reader {
	const unsigned char *p, *end;
	bool bad;
	char **strs;
	size_t nstr;
};

/* The LEB128 varint at the reader (0 and ->bad past the end or longer than 64 bits). */
static uint64_t get_varint(struct reader *rd)
{
	uint64_t v = 0;

	for (unsigned shift = 0; shift < 64; shift += 7) {
		unsigned char c;

		if (rd->p >= rd->end) {
			rd->bad = true;
			return 0;
		}
		c = *rd->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	rd->bad = true;
	return 0;
}

/* A count of items each taking at least MIN bytes: no more than the bytes left allow. */
static size_t get_count(struct reader *rd, size_t min)
{
	uint64_t n = get_varint(rd);

	if (n > (uint64_t)(rd->end - rd->p) / min) {
		rd->bad = true;
		return 0;
	}
	return (size_t)n;
}

/* A string of the table by index ("" and ->bad when out of range). */
static const char *get_str(struct reader *rd)
{
	uint64_t i = get_varint(rd);

	if (i >= rd->nstr) {
		rd->bad = true;
		return "";
	}
	return rd->strs[i];
}

/* An optional string (put_opt_str()), copied; NULL for none. */
static char *get_opt_str(struct reader *rd)
{
	uint64_t i = get_varint(rd);

	if (i == 0)
		return NULL;
	if (i > rd->nstr) {
		rd->bad = true;
		return NULL;
	}
	return xstrdup(rd->strs[i - 1]);
}

/* A read time stamp (put_stamp()) back to monotonic ns. */
static uint64_t get_stamp(struct reader *rd, uint64_t mono)
{
	uint64_t v = get_varint(rd);

	return v ? mono + (uint64_t)unzigzag(v - 1) : 0;
}

/* The 8-byte little-endian double at the reader. */
static double get_double(struct reader *rd)
{
	uint64_t v = 0;
	double d;

	if (rd->end - rd->p < 8) {
		rd->bad = true;
		return 0;
	}
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)rd->p[i] << (8 * i);
	rd->p += 8;
	memcpy(&d, &v, sizeof(d));
	return d;
}

/* "HIERARCHY:PATH" from its two strings (no path: the first string alone). */
static char *get_hier_path(struct reader *rd)
{
	const char *name = get_str(rd);
	uint64_t i = get_varint(rd);
	char *out;

	if (i == 0)
		return xstrdup(name);
	if (i > rd->nstr) {
		rd->bad = true;
		return xstrdup("");
	}
	out = xmalloc(strlen(name) + 1 + strlen(rd->strs[i - 1]) + 1);
	sprintf(out, "%s:%s", name, rd->strs[i - 1]);
	return out;
}

void rec_sample_free(struct rec_sample *rs)
{
	snapshot_free(rs->snap);
	for (size_t k = 0; k < rs->nctrs; k++) {
		struct rec_container *c = &rs->ctrs[k];

		free(c->id);
		free(c->path);
		for (size_t i = 0; i < c->npaths; i++)
			free(c->hier_paths[i]);
		free(c->hier_paths);
		container_meta_free(&c->meta);
	}
	free(rs->ctrs);
	memset(rs, 0, sizeof(*rs));
}

/* Recorded containers by ID (for qsort() and bsearch()). */
static int cmp_container(const void *a, const void *b)
{
	return strcmp(((const struct rec_container *)a)->id, ((const struct rec_container *)b)->id);
}

const struct rec_container *rec_sample_container(const struct rec_sample *rs, const char *id)
{
	struct rec_container key = { .id = (char *)(uintptr_t)id };

	return rs->nctrs ? bsearch(&key, rs->ctrs, rs->nctrs, sizeof(key), cmp_container) : NULL;
}

/* A container's metadata (encode_meta()) into M. */
static void decode_meta(struct reader *rd, struct container_meta *m)
{
	m->id = get_opt_str(rd);
	m->name = get_opt_str(rd);
	m->engine_name = get_opt_str(rd);
	m->image = get_opt_str(rd);
	m->state = get_opt_str(rd);
	m->health = get_opt_str(rd);
	m->config_id = get_opt_str(rd);
	m->managed_by = get_opt_str(rd);
	m->main_pid = (int)unzigzag(get_varint(rd));
	m->nlabels = get_count(rd, 2);
	m->label_keys = xcalloc(m->nlabels ? m->nlabels : 1, sizeof(char *));
	m->label_values = xcalloc(m->nlabels ? m->nlabels : 1, sizeof(char *));
	for (size_t i = 0; i < m->nlabels && !rd->bad; i++) {
		m->label_keys[i] = get_opt_str(rd);
		m->label_values[i] = get_opt_str(rd);
		if (!m->label_keys[i])
			m->label_keys[i] = xstrdup("");
		if (!m->label_values[i])
			m->label_values[i] = xstrdup("");
	}
}

/* The payload after the string table: rows, then containers. */
static void decode_body(struct reader *rd, struct rec_sample *out)
{
	struct snapshot *s = out->snap;
	size_t nrows, nctrs;

	s->mono_ns = get_varint(rd);
	s->real_ns = get_varint(rd);
	out->mode = (enum cg_mode)get_varint(rd);
	nrows = get_count(rd, 8);
	for (size_t i = 0; i < nrows && !rd->bad; i++) {
		const char *path = get_str(rd);
		size_t idx;
		struct cg_row *r;
		uint64_t parent;
		fieldmask mask;

		if (snapshot_find(s, path) >= 0) {
			rd->bad = true; /* a path twice */
			break;
		}
		idx = snapshot_row(s, path, strlen(path));
		r = &s->rows[idx];
		r->depth = (unsigned)get_varint(rd);
		parent = get_varint(rd);
		r->parent = parent > nrows ? -1 : (int32_t)parent - 1;
		mask = get_varint(rd); /* 64 slots: every bit is one (version 1 used 32) */
		if (mask & SLOT_BIT(SLOT_MORE)) /* version 4: slots 64-127 */
			mask |= (fieldmask)get_varint(rd) << 64;
		r->hier_mask = (unsigned)get_varint(rd);
		r->io_source = (uint8_t)get_varint(rd);
		for (int slot = 0; slot < FIG_REC_SLOTS; slot++) {
			const struct figure *f = fig_by_slot(slot);
			uint64_t v;

			if (!(mask & SLOT_BIT(slot)) || slot == SLOT_MORE || (f && f->rec == REC_ESTIMATE))
				continue;
			if (f && f->rec == REC_NONE) {
				rd->bad = true; /* a rate is never stored as a counter */
				break;
			}
			v = get_varint(rd);
			if (fig_rec_row_slot(slot)) {
				if (!row_slot_set(r, slot, v, nrows)) {
					rd->bad = true;
					break;
				}
			} else if (f) { /* else a figure of a newer cgtop */
				fig_set_u64(f, r, v);
				r->valid |= FIELD_BIT(f->id);
			}
		}
		r->cpu_read_ns = get_stamp(rd, s->mono_ns);
		r->io_read_ns = get_stamp(rd, s->mono_ns);
		for (int slot = 0; slot < FIG_REC_SLOTS; slot++) {
			const struct figure *f = fig_by_slot(slot);

			if ((mask & SLOT_BIT(slot)) && f && f->rec == REC_ESTIMATE) {
				fig_set_double(f, r, get_double(rd));
				r->valid |= FIELD_BIT(f->id);
			}
		}
	}
	if (rd->bad)
		return;
	nctrs = get_count(rd, 5);
	out->ctrs = xcalloc(nctrs ? nctrs : 1, sizeof(*out->ctrs));
	for (size_t k = 0; k < nctrs && !rd->bad; k++) {
		struct rec_container *c = &out->ctrs[k];

		out->nctrs++;
		c->runtime = (enum ctr_runtime)get_varint(rd);
		c->id = xstrdup(get_str(rd));
		c->path = get_opt_str(rd);
		c->npaths = get_count(rd, 1);
		c->hier_paths = xcalloc(c->npaths ? c->npaths : 1, sizeof(char *));
		for (size_t i = 0; i < c->npaths && !rd->bad; i++)
			c->hier_paths[i] = get_hier_path(rd);
		c->has_meta = get_varint(rd) != 0;
		if (c->has_meta)
			decode_meta(rd, &c->meta);
		c->restarts_seen = -1;
	}
	/* version 3: the containers' lifecycles, when the body goes on */
	if (!rd->bad && rd->p < rd->end && get_count(rd, 5) == out->nctrs) {
		for (size_t k = 0; k < out->nctrs && !rd->bad; k++) {
			struct rec_container *c = &out->ctrs[k];
			struct ctr_life *l = &c->meta.life;
			uint64_t flags = get_varint(rd);
			char *policy, *log;

			l->known = flags & 1;
			l->oom_killed = (flags >> 1) & 1;
			l->exit_code = (int)unzigzag(get_varint(rd));
			l->restart_count = (unsigned)get_varint(rd);
			l->failing_streak = (int)unzigzag(get_varint(rd));
			l->started_at = unzigzag(get_varint(rd));
			l->finished_at = unzigzag(get_varint(rd));
			policy = get_opt_str(rd);
			log = get_opt_str(rd);
			snprintf(l->restart_policy, sizeof(l->restart_policy), "%s", policy ? policy : "");
			snprintf(l->health_log, sizeof(l->health_log), "%s", log ? log : "");
			free(policy);
			free(log);
			c->restarts_seen = (int)unzigzag(get_varint(rd));
			c->events = (unsigned)get_varint(rd);
			if (!c->has_meta)
				memset(l, 0, sizeof(*l));
		}
	}
	if (rd->p != rd->end)
		rd->bad = true; /* bytes the body does not account for */
	else if (out->nctrs > 1)
		qsort(out->ctrs, out->nctrs, sizeof(*out->ctrs), cmp_container); /* found by ID */
}

int rec_decode_sample(const void *p, size_t len, size_t *used, struct rec_sample *out)
{
	return rec_decode_sample_after(p, len, used, out, NULL);
}

int rec_decode_sample_after(const void *p, size_t len, size_t *used, struct rec_sample *out,
			    struct rec_sample *before)
{
	const unsigned char *u = p;
	struct reader rd = { 0 };
	uint32_t plen;

	memset(out, 0, sizeof(*out));
	if (len < REC_FRAME_LEN)
		return -ENODATA;
	plen = get_le32(u);
	if (plen > REC_MAX_PAYLOAD)
		return -EBADMSG;
	if (len - REC_FRAME_LEN < plen)
		return -ENODATA;
	if (crc32_ieee(u + REC_FRAME_LEN, plen) != get_le32(u + 4))
		return -EBADMSG;
	rd.p = u + REC_FRAME_LEN;
	rd.end = rd.p + plen;
	rd.nstr = get_count(&rd, 1);
	rd.strs = xcalloc(rd.nstr ? rd.nstr : 1, sizeof(char *));
	for (size_t i = 0; i < rd.nstr && !rd.bad; i++) {
		uint64_t l = get_varint(&rd);

		if (rd.bad || l > (uint64_t)(rd.end - rd.p) || memchr(rd.p, '\0', (size_t)l)) {
			rd.bad = true;
			rd.nstr = i;
			break;
		}
		rd.strs[i] = xstrndup((const char *)rd.p, (size_t)l);
		rd.p += l;
	}
	out->snap = before && before->snap && !before->snap->peer ? snapshot_pair(before->snap)
								  : snapshot_new();
	if (!rd.bad)
		decode_body(&rd, out);
	for (size_t i = 0; i < rd.nstr; i++)
		free(rd.strs[i]);
	free(rd.strs);
	if (rd.bad) {
		rec_sample_free(out);
		return -EBADMSG;
	}
	*used = REC_FRAME_LEN + plen;
	return 0;
}

int rec_check_header(const void *p, size_t len, uint32_t *version)
{
	const unsigned char *u = p;

	if (len < REC_HEADER_LEN || memcmp(u, REC_MAGIC, 8) != 0)
		return -EINVAL;
	*version = get_le32(u + 8);
	if (*version == 0)
		return -EINVAL;
	if (*version > REC_VERSION)
		return -EPROTONOSUPPORT;
	return 0;
}

void rec_sample_compute_rates(struct rec_sample *cur, const struct rec_sample *prev)
{
	/* rates as the sampler made them: from the sample before, the stored
	 * /proc/<pid>/io estimates put back over them. Only the estimates are kept
	 * meanwhile, not copies of the rows (and their blocks): 10,000 rows would copy
	 * 3.7 MiB for a few rates. */
	struct snapshot *s = cur->snap;
	fieldmask estimates = fig_estimate_bits();
	const struct figure *est[F_COUNT];
	size_t ne = 0, cells;
	double *had;
	bool *known;

	for (size_t fi = 0; fi < F_COUNT; fi++)
		if (estimates & FIELD_BIT(figures[fi].id))
			est[ne++] = &figures[fi];
	cells = s->n * ne;
	had = xcalloc(cells ? cells : 1, sizeof(*had));
	known = xcalloc(cells ? cells : 1, sizeof(*known));
	for (size_t k = 0; k < s->n; k++)
		for (size_t e = 0; e < ne; e++) {
			known[k * ne + e] = row_has(&s->rows[k], est[e]->id);
			had[k * ne + e] = fig_double(est[e], &s->rows[k]);
		}
	snapshot_compute_rates(s, prev ? prev->snap : NULL);
	for (size_t k = 0; k < s->n; k++)
		for (size_t e = 0; e < ne; e++) {
			if (!known[k * ne + e])
				continue;
			fig_set_double(est[e], &s->rows[k], had[k * ne + e]);
			s->rows[k].valid |= FIELD_BIT(est[e]->id);
		}
	free(known);
	free(had);
}
