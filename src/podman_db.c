/* podman's own database of containers, read-only: libpod's BoltDB through bolt.c, its
 * SQLite through libsqlite3 over a copy in memory. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bolt.h"
#include "meta_json.h"
#include "podman_db.h"
#include "util.h"

struct bolt_walk {
	const struct bolt_db *db;
	struct meta_list *out;
};

/* One key of the "ctr" bucket: a container's bucket, named by its ID. */
static int bolt_container(void *ud, const unsigned char *key, size_t klen, const unsigned char *val,
			  size_t vlen, bool is_bucket)
{
	struct bolt_walk *w = ud;
	struct bolt_bucket b;
	struct container_meta m;
	const unsigned char *cfg, *st = NULL;
	size_t cfg_len, st_len = 0;
	bool sub;
	int r;

	(void)key;
	(void)klen;
	if (!is_bucket)
		return 0;
	if ((r = bolt_bucket_from_value(w->db, val, vlen, &b)) < 0)
		return r;
	r = bolt_get(&b, "config", 6, &cfg, &cfg_len, &sub);
	if (r < 0)
		return r;
	if (r == 0 || sub)
		return 0;
	r = bolt_get(&b, "state", 5, &st, &st_len, &sub);
	if (r < 0)
		return r;
	if (r == 0 || sub)
		st = NULL;
	if (meta_parse_libpod_config((const char *)cfg, cfg_len, (const char *)st, st_len, &m) == 0)
		*meta_list_push(w->out) = m;
	return 0;
}

int podman_bolt_list(const void *buf, size_t len, struct meta_list *out)
{
	struct bolt_db db;
	struct bolt_bucket root, ctrs;
	struct bolt_walk w = { .db = &db, .out = out };
	int r = bolt_open(&db, buf, len);

	if (r < 0)
		return r;
	bolt_root(&db, &root);
	r = bolt_bucket(&root, "ctr", &ctrs);
	if (r <= 0)
		return r < 0 ? r : -EINVAL; /* libpod makes its buckets when it creates the file */
	return bolt_foreach(&ctrs, bolt_container, &w);
}

/* SQLite's virtual machine steps allowed per query: a hostile file's schema cannot make
 * a fetch last (a real one needs a few thousand per container). */
#define SQLITE_MAX_STEPS 50000000
#define SQLITE_STEP_CHECK 1000

struct sqlite_budget {
	long left;
};

static int sqlite_progress(void *ud)
{
	struct sqlite_budget *b = ud;

	b->left -= SQLITE_STEP_CHECK;
	return b->left < 0;
}

/* What an SQLite result code means here. */
static int sqlite_err(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_CORRUPT:
	case SQLITE_IOERR:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EIO; /* torn: a checkpoint was writing while the file was read */
	default:
		return -EINVAL;
	}
}

int podman_sqlite_list(const void *buf, size_t len, struct meta_list *out)
{
	static const char magic[16] = "SQLite format 3";
	/* libpod's schema (libpod/sqlite_state_internal.go, createSQLiteTables):
	 * ContainerConfig(ID, Name, PodID, JSON), ContainerState(ID, State, ExitCode, JSON) */
	static const char query[] =
		"SELECT c.JSON, s.JSON FROM ContainerConfig AS c "
		"LEFT JOIN ContainerState AS s ON s.ID = c.ID";
	struct sqlite_budget budget = { SQLITE_MAX_STEPS };
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	unsigned char *copy;
	int rc, r = 0;

	if (len > PODMAN_SQLITE_MAX_SIZE)
		return -EFBIG;
	if (len < 512 || memcmp(buf, magic, sizeof(magic)) != 0)
		return -EINVAL;
	/* an in-memory database, never a file: nothing opened, locked or written on the host */
	rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return -ENOMEM;
	}
	/* the schema is the file's: nothing in it may run functions, nothing may write */
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, (int *)NULL);
	sqlite3_progress_handler(db, SQLITE_STEP_CHECK, sqlite_progress, &budget);
	copy = sqlite3_malloc64(len);
	if (!copy) {
		sqlite3_close(db);
		return -ENOMEM;
	}
	memcpy(copy, buf, len);
	rc = sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
				 SQLITE_DESERIALIZE_READONLY | SQLITE_DESERIALIZE_FREEONCLOSE);
	if (rc != SQLITE_OK) {
		sqlite3_close(db);
		return sqlite_err(rc);
	}
	rc = sqlite3_prepare_v2(db, query, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		r = rc == SQLITE_ERROR ? -EINVAL : sqlite_err(rc); /* no such table: not libpod's */
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct container_meta m;
		const char *cfg = (const char *)sqlite3_column_text(st, 0);
		size_t cfg_len = (size_t)sqlite3_column_bytes(st, 0);
		const char *state = (const char *)sqlite3_column_text(st, 1);
		size_t state_len = (size_t)sqlite3_column_bytes(st, 1);

		if (cfg && meta_parse_libpod_config(cfg, cfg_len, state, state_len, &m) == 0)
			*meta_list_push(out) = m;
	}
	if (rc != SQLITE_DONE)
		r = rc == SQLITE_INTERRUPT ? -EINVAL : sqlite_err(rc);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return r;
}

/* Field I (from 0) of the passwd LINE (LL bytes), its length in *N; NULL when missing. */
static const char *passwd_field(const char *line, size_t ll, int i, size_t *n)
{
	const char *p = line, *end = line + ll, *c;

	for (; i > 0; i--) {
		if (!(c = memchr(p, ':', (size_t)(end - p))))
			return NULL;
		p = c + 1;
	}
	c = memchr(p, ':', (size_t)(end - p));
	*n = (size_t)((c ? c : end) - p);
	return p;
}

size_t podman_rootless_storages(const char *buf, size_t len, char ***out)
{
	static const char tail[] = "/.local/share/containers/storage";
	const char *p = buf, *end = buf + len;
	size_t n = 0;

	*out = NULL;
	while (p < end && n < PODMAN_ROOTLESS_MAX_USERS) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line = p, *f, *home;
		size_t ll = (size_t)((nl ? nl : end) - p), fl = 0, hl = 0;
		char num[12], *e;
		unsigned long uid;

		p = nl ? nl + 1 : end;
		if (ll == 0 || line[0] == '#' || memchr(line, '\0', ll))
			continue;
		f = passwd_field(line, ll, 2, &fl);
		home = passwd_field(line, ll, 5, &hl);
		if (!f || !home || fl == 0 || fl >= sizeof(num) || hl < 2 || home[0] != '/' ||
		    hl + sizeof(tail) > 4096)
			continue;
		memcpy(num, f, fl);
		num[fl] = '\0';
		uid = strtoul(num, &e, 10);
		if (*e || num[0] < '0' || num[0] > '9' || uid < 1000 || uid == 65534 || uid > 0xfffffffful)
			continue;
		if (n % 16 == 0)
			*out = xrealloc(*out, (n + 16) * sizeof(**out));
		(*out)[n] = xmalloc(hl + sizeof(tail));
		memcpy((*out)[n], home, hl);
		memcpy((*out)[n] + hl, tail, sizeof(tail));
		n++;
	}
	return n;
}
