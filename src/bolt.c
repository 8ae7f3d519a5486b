/* A read-only reader of bbolt files over a buffer: meta pages, the root bucket, branch
 * and leaf pages, nested and inline buckets (go.etcd.io/bbolt page.go, bucket.go). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "bolt.h"

/* bbolt's constants (page.go, db.go) */
#define PAGE_HEADER 16u        /* id u64, flags u16, count u16, overflow u32 */
#define ELEM_SIZE 16u          /* a branch or leaf element */
#define BUCKET_HEADER 16u      /* root page u64, sequence u64 */
#define FLAG_BRANCH 0x01u
#define FLAG_LEAF 0x02u
#define FLAG_META 0x04u
#define LEAF_BUCKET 0x01u      /* a leaf element whose value is a bucket */
#define BOLT_MAGIC 0xED0CDAEDu
#define BOLT_VERSION 2u
#define META_SUM_LEN 56u       /* the meta's bytes before its checksum */
/* A tree deeper than this is a loop: 64 levels of even 2 keys is more than a file holds. */
#define MAX_DEPTH 64

/* bbolt writes its integers in the machine's order: read them so (unaligned). */
static uint16_t rd16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t fnv64a(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* A branch or leaf page as read: where it starts and how many bytes are its own. */
struct node {
	const unsigned char *p;
	size_t span;
	uint16_t flags, count;
};

/* The meta page at offset OFF of DB's buffer, page ID WANT_ID, into *M when valid. */
static bool read_meta(const unsigned char *buf, size_t len, size_t off, uint64_t want_id,
		      struct bolt_db *m)
{
	const unsigned char *p, *meta;
	uint32_t ps;

	if (off > len || len - off < PAGE_HEADER + META_SUM_LEN + 8)
		return false;
	p = buf + off;
	meta = p + PAGE_HEADER;
	if (rd64(p) != want_id || (rd16(p + 8) & FLAG_META) == 0 || rd32(meta) != BOLT_MAGIC ||
	    rd32(meta + 4) != BOLT_VERSION || rd64(meta + META_SUM_LEN) != fnv64a(meta, META_SUM_LEN))
		return false;
	ps = rd32(meta + 8);
	if (ps < 512 || ps > 65536 || (ps & (ps - 1)) != 0)
		return false;
	m->page_size = ps;
	m->root = rd64(meta + 16);
	m->high_water = rd64(meta + 40);
	m->txid = rd64(meta + 48);
	return m->root >= 2 && m->root < m->high_water;
}

int bolt_open(struct bolt_db *db, const void *buf, size_t len)
{
	static const uint32_t sizes[] = { 4096, 8192, 16384, 65536, 512, 1024, 2048, 32768 };
	struct bolt_db m0 = { 0 }, m1 = { 0 };
	bool ok0, ok1 = false;

	memset(db, 0, sizeof(*db));
	if (len > BOLT_MAX_SIZE)
		return -EFBIG;
	ok0 = read_meta(buf, len, 0, 0, &m0);
	/* the second meta page is one page in: its size from the first, or guessed as
	 * bbolt does (the OS page size) when the first is torn */
	if (ok0)
		ok1 = read_meta(buf, len, m0.page_size, 1, &m1) && m1.page_size == m0.page_size;
	for (size_t i = 0; !ok0 && !ok1 && i < sizeof(sizes) / sizeof(sizes[0]); i++)
		ok1 = read_meta(buf, len, sizes[i], 1, &m1) && m1.page_size == sizes[i];
	if (!ok0 && !ok1)
		return -EINVAL;
	/* both valid: the newer transaction's, as bbolt does */
	*db = ok0 && (!ok1 || m0.txid >= m1.txid) ? m0 : m1;
	db->buf = buf;
	db->len = len;
	return 0;
}

void bolt_root(const struct bolt_db *db, struct bolt_bucket *out)
{
	memset(out, 0, sizeof(*out));
	out->db = db;
	out->root = db->root;
}

/* Check the page region P (SPAN bytes) as a branch or leaf node into *N. */
static int node_check(const unsigned char *p, size_t span, struct node *n)
{
	if (span < PAGE_HEADER)
		return -EIO;
	n->p = p;
	n->span = span;
	n->flags = rd16(p + 8);
	n->count = rd16(p + 10);
	if ((n->flags & (FLAG_BRANCH | FLAG_LEAF)) == 0 ||
	    (n->flags & (FLAG_BRANCH | FLAG_LEAF)) == (FLAG_BRANCH | FLAG_LEAF))
		return -EIO;
	if ((size_t)n->count * ELEM_SIZE > span - PAGE_HEADER)
		return -EIO;
	return 0;
}

/* The branch or leaf page PGID of DB into *N. */
static int node_at(const struct bolt_db *db, uint64_t pgid, struct node *n)
{
	const unsigned char *p;
	uint64_t off, pages;

	/* pages 0 and 1 are the metas; every page in use is below the high water mark */
	if (pgid < 2 || pgid >= db->high_water || pgid > db->len / db->page_size)
		return -EIO;
	off = pgid * db->page_size;
	if (db->len - off < db->page_size)
		return -EIO;
	p = db->buf + off;
	if (rd64(p) != pgid)
		return -EIO; /* not the page it should be: torn, or being rewritten */
	pages = 1 + (uint64_t)rd32(p + 12);
	if (pages > (db->len - off) / db->page_size || pgid + pages > db->high_water)
		return -EIO;
	return node_check(p, (size_t)(pages * db->page_size), n);
}

/* The root node of bucket B. */
static int bucket_node(const struct bolt_bucket *b, struct node *n)
{
	if (b->root == 0) {
		if (!b->inline_page)
			return -EIO;
		if (node_check(b->inline_page, b->inline_len, n) < 0 || !(n->flags & FLAG_LEAF))
			return -EIO;
		return 0;
	}
	return node_at(b->db, b->root, n);
}

/* Element I of node N: its key (and for a leaf its value and flags; for a branch the
 * child page in *CHILD). */
static int elem(const struct node *n, size_t i, const unsigned char **key, size_t *klen,
		const unsigned char **val, size_t *vlen, uint32_t *flags, uint64_t *child)
{
	size_t at = PAGE_HEADER + i * ELEM_SIZE;
	const unsigned char *e = n->p + at;
	uint64_t pos, ks, vs = 0, end;

	if (n->flags & FLAG_LEAF) {
		*flags = rd32(e);
		pos = rd32(e + 4);
		ks = rd32(e + 8);
		vs = rd32(e + 12);
	} else {
		pos = rd32(e);
		ks = rd32(e + 4);
		*child = rd64(e + 8);
	}
	/* positions count from the element itself */
	end = at + pos + ks + vs;
	if (end > n->span)
		return -EIO;
	*key = e + pos;
	*klen = (size_t)ks;
	if (n->flags & FLAG_LEAF) {
		*val = e + pos + ks;
		*vlen = (size_t)vs;
	}
	return 0;
}

/* bytes.Compare */
static int key_cmp(const unsigned char *a, size_t al, const unsigned char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	if (c)
		return c;
	return al < bl ? -1 : al > bl;
}

int bolt_get(const struct bolt_bucket *b, const void *key, size_t klen, const unsigned char **val,
	     size_t *vlen, bool *is_bucket)
{
	struct node n;
	int r = bucket_node(b, &n);

	for (int depth = 0; r == 0; depth++) {
		const unsigned char *k, *v = NULL;
		size_t kl, vl = 0, pick = 0;
		uint32_t fl = 0;
		uint64_t child = 0;

		if (depth > MAX_DEPTH)
			return -EIO;
		if (n.flags & FLAG_LEAF) {
			for (size_t i = 0; i < n.count; i++) {
				if ((r = elem(&n, i, &k, &kl, &v, &vl, &fl, &child)) < 0)
					return r;
				if (key_cmp(k, kl, key, klen) == 0) {
					*val = v;
					*vlen = vl;
					*is_bucket = (fl & LEAF_BUCKET) != 0;
					return 1;
				}
			}
			return 0;
		}
		if (n.count == 0)
			return -EIO; /* bbolt never writes an empty branch */
		/* the child whose first key is the last one not above KEY */
		for (size_t i = 0; i < n.count; i++) {
			if ((r = elem(&n, i, &k, &kl, &v, &vl, &fl, &child)) < 0)
				return r;
			if (i > 0 && key_cmp(k, kl, key, klen) > 0)
				break;
			pick = i;
		}
		if ((r = elem(&n, pick, &k, &kl, &v, &vl, &fl, &child)) < 0)
			return r;
		r = node_at(b->db, child, &n);
	}
	return r;
}

int bolt_bucket_from_value(const struct bolt_db *db, const unsigned char *val, size_t vlen,
			   struct bolt_bucket *out)
{
	memset(out, 0, sizeof(*out));
	out->db = db;
	if (vlen < BUCKET_HEADER)
		return -EIO;
	out->root = rd64(val);
	if (out->root == 0) {
		struct node n;

		/* an inline bucket: its only page follows the header, inside the value */
		out->inline_page = val + BUCKET_HEADER;
		out->inline_len = vlen - BUCKET_HEADER;
		if (node_check(out->inline_page, out->inline_len, &n) < 0 || !(n.flags & FLAG_LEAF))
			return -EIO;
	}
	return 0;
}

int bolt_bucket(const struct bolt_bucket *b, const char *name, struct bolt_bucket *out)
{
	const unsigned char *v;
	size_t vl;
	bool is_bucket;
	int r = bolt_get(b, name, strlen(name), &v, &vl, &is_bucket);

	if (r <= 0)
		return r;
	if (!is_bucket)
		return 0;
	r = bolt_bucket_from_value(b->db, v, vl, out);
	return r < 0 ? r : 1;
}

/* Visit node N and below, DEPTH levels down, with a budget of pages *LEFT. */
static int visit(const struct bolt_db *db, const struct node *n, int depth, size_t *left,
		 bolt_visit_fn fn, void *ud)
{
	if (depth > MAX_DEPTH || *left == 0)
		return -EIO;
	(*left)--;
	for (size_t i = 0; i < n->count; i++) {
		const unsigned char *k, *v = NULL;
		size_t kl, vl = 0;
		uint32_t fl = 0;
		uint64_t child = 0;
		struct node c;
		int r = elem(n, i, &k, &kl, &v, &vl, &fl, &child);

		if (r < 0)
			return r;
		if (n->flags & FLAG_LEAF)
			r = fn(ud, k, kl, v, vl, (fl & LEAF_BUCKET) != 0);
		else if ((r = node_at(db, child, &c)) == 0)
			r = visit(db, &c, depth + 1, left, fn, ud);
		if (r)
			return r;
	}
	return 0;
}

int bolt_foreach(const struct bolt_bucket *b, bolt_visit_fn fn, void *ud)
{
	struct node n;
	/* a well-formed tree visits each page once: more is a loop */
	size_t left = (size_t)(b->db->len / b->db->page_size) + 1;
	int r = bucket_node(b, &n);

	return r < 0 ? r : visit(b->db, &n, 0, &left, fn, ud);
}
