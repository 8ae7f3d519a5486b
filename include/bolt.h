/* A read-only reader of bbolt (BoltDB) files, the database of podman 4's libpod
 * (bolt_state.db). Pure over a buffer: the file as read, never written. Follows bbolt's
 * documented page format (go.etcd.io/bbolt: page.go, node.go, bucket.go, db.go): two
 * meta pages with an FNV-64a checksum, the root bucket, branch and leaf pages (with
 * overflow pages), nested and inline buckets. Anything else (a freelist is never read,
 * a torn or foreign file) is refused with an error, never followed out of the buffer. */
#ifndef CGTOP_BOLT_H
#define CGTOP_BOLT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest database read (64 MiB): libpod keeps ~20 KiB per container. */
#define BOLT_MAX_MIB 64
#define BOLT_MAX_SIZE ((size_t)BOLT_MAX_MIB << 20)

/* An open database: the buffer and what its newest valid meta page says. */
struct bolt_db {
	const unsigned char *buf;
	size_t len;
	uint32_t page_size;
	uint64_t high_water; /* pages in use: every page ID read is below it */
	uint64_t root;       /* the root bucket's page */
	uint64_t txid;
};

/* A bucket: its root page, or for an inline bucket the page held in its value. */
struct bolt_bucket {
	const struct bolt_db *db;
	uint64_t root;               /* 0: inline */
	const unsigned char *inline_page;
	size_t inline_len;
};

/* Open the database in BUF (LEN bytes, kept by the caller while DB is used).
 * Returns 0, -EFBIG (larger than BOLT_MAX_SIZE), -EINVAL (not a bbolt file: no valid
 * meta page), -EIO (a meta page points outside the file). */
int bolt_open(struct bolt_db *db, const void *buf, size_t len);

/* The root bucket, holding the top-level buckets. */
void bolt_root(const struct bolt_db *db, struct bolt_bucket *out);

/* Look KEY (KLEN bytes) up in bucket B. Returns 1 with the value in VAL and VLEN (pointing into
 * the buffer) and *IS_BUCKET set, 0 when absent, -EIO when a page is not what it should be. */
int bolt_get(const struct bolt_bucket *b, const void *key, size_t klen, const unsigned char **val,
	     size_t *vlen, bool *is_bucket);

/* The nested bucket NAME (a C string) of B into OUT. Returns 1, 0 when absent or not a
 * bucket, -EIO. */
int bolt_bucket(const struct bolt_bucket *b, const char *name, struct bolt_bucket *out);

/* The bucket whose value (as bolt_get() gives it) is VAL, VLEN bytes, into OUT.
 * Returns 0 or -EIO (too short, or an inline page of the wrong kind). */
int bolt_bucket_from_value(const struct bolt_db *db, const unsigned char *val, size_t vlen,
			   struct bolt_bucket *out);

/* Call FN for each key of B in order, with its value and whether it is a bucket, until
 * FN returns non-zero (returned). Returns 0, FN's value, or -EIO. */
typedef int (*bolt_visit_fn)(void *ud, const unsigned char *key, size_t klen,
			     const unsigned char *val, size_t vlen, bool is_bucket);
int bolt_foreach(const struct bolt_bucket *b, bolt_visit_fn fn, void *ud);

#endif
