/* Unit tests of the bbolt reader (src/bolt.c) and of podman's database read through it
 * (src/podman_db.c), on a bolt_state.db made by podman 4.3 (tests/fixtures/podman-db,
 * README there), checked against what `podman ps -a` said of it, and on damaged,
 * truncated and looping copies of it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "bolt.h"
#include "meta.h"
#include "meta_json.h"
#include "meta_list.h"
#include "podman_db.h"
#include "util.h"

#define S_(lit) (lit), (sizeof(lit) - 1)
#define NCTR 62 /* containers in the fixture (podman-ps-a.txt) */
#define KEYSTONE_S1 "0bfc483350ec6deba50f7e273e1862bc6b1f0f005a32a1a3c12f5ebcddbbe8e7"
#define PLAIN "5bddc496bc0c1b1c3dd935a17ee9be62e53a05580fbe4ee2a96b1b0c8b8f44c9"

/* Read fixture NAME (relative to tests/fixtures) into B. */
static void fixture(const char *name, struct buf *b)
{
	char path[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open fixture %s", path);
	b->len = 0;
	for (;;) {
		assert_int_equal(buf_reserve(b, b->len + 65536), 0);
		n = fread(b->data + b->len, 1, 65536, f);
		b->len += n;
		if (n == 0)
			break;
	}
	fclose(f);
}

static int count_keys(void *ud, const unsigned char *k, size_t kl, const unsigned char *v, size_t vl,
		      bool is_bucket)
{
	(void)k, (void)kl, (void)v, (void)vl, (void)is_bucket;
	(*(size_t *)ud)++;
	return 0;
}

struct ordered {
	unsigned char last[256];
	size_t last_len, n;
	bool sorted;
};

/* Keys come in bbolt's order (bytes.Compare). */
static int check_order(void *ud, const unsigned char *k, size_t kl, const unsigned char *v, size_t vl,
		       bool is_bucket)
{
	struct ordered *o = ud;
	size_t m = kl < o->last_len ? kl : o->last_len;
	int c = memcmp(o->last, k, m);

	(void)v, (void)vl, (void)is_bucket;
	if (o->n && (c > 0 || (c == 0 && o->last_len >= kl)))
		o->sorted = false;
	assert_true(kl <= sizeof(o->last));
	memcpy(o->last, k, kl);
	o->last_len = kl;
	o->n++;
	return 0;
}

/* libpod's buckets (libpod/boltdb_state.go), as podman 4.3 made them */
static void test_bolt_buckets(void **state)
{
	static const char *const names[] = { "all-ctrs", "allPods", "allVolumes", "ctr", "exec", "exit-code",
					     "exit-code-time-stamp", "id-registry", "name-registry",
					     "ns-registry", "pod", "runtime-config", "vol", "volume-ctrs" };
	struct buf b = { 0 };
	struct bolt_db db;
	struct bolt_bucket root, sub, ctr, deps;
	const unsigned char *v;
	size_t vl, n = 0;
	bool is_bucket;
	struct ordered o = { .sorted = true };

	(void)state;
	fixture("podman-db/bolt_state.db", &b);
	assert_int_equal(bolt_open(&db, b.data, b.len), 0);
	assert_int_equal(db.page_size, 4096);
	bolt_root(&db, &root);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		assert_int_equal(bolt_get(&root, names[i], strlen(names[i]), &v, &vl, &is_bucket), 1);
		assert_true(is_bucket);
	}
	assert_int_equal(bolt_foreach(&root, count_keys, &n), 0);
	assert_int_equal(n, ARRAY_SIZE(names));
	assert_int_equal(bolt_get(&root, S_("nope"), &v, &vl, &is_bucket), 0);
	/* an inline bucket with keys: runtime-config (a few short paths) */
	assert_int_equal(bolt_bucket(&root, "runtime-config", &sub), 1);
	assert_int_equal(sub.root, 0);
	assert_int_equal(bolt_get(&sub, S_("graph-root"), &v, &vl, &is_bucket), 1);
	assert_false(is_bucket);
	assert_int_equal(vl, strlen("/tmp/pmfix/storage"));
	assert_memory_equal(v, "/tmp/pmfix/storage", vl);
	/* an empty inline bucket: a container's dependencies */
	assert_int_equal(bolt_bucket(&root, "ctr", &ctr), 1);
	assert_int_equal(bolt_bucket(&ctr, KEYSTONE_S1, &sub), 1);
	assert_int_equal(bolt_bucket(&sub, "dependencies", &deps), 1);
	assert_int_equal(deps.root, 0);
	n = 0;
	assert_int_equal(bolt_foreach(&deps, count_keys, &n), 0);
	assert_int_equal(n, 0);
	/* a key that is not a bucket is not taken for one */
	assert_int_equal(bolt_bucket(&sub, "config", &deps), 0);
	/* all-ctrs: 62 keys of 64 bytes are more than a page holds: branch pages */
	assert_int_equal(bolt_bucket(&root, "all-ctrs", &sub), 1);
	assert_int_not_equal(sub.root, 0);
	assert_int_equal(bolt_foreach(&sub, check_order, &o), 0);
	assert_int_equal(o.n, NCTR);
	assert_true(o.sorted);
	assert_int_equal(bolt_get(&sub, S_(PLAIN), &v, &vl, &is_bucket), 1);
	assert_int_equal(bolt_get(&sub, S_(KEYSTONE_S1), &v, &vl, &is_bucket), 1);
	assert_int_equal(bolt_get(&sub, S_("0"), &v, &vl, &is_bucket), 0);
	assert_int_equal(bolt_get(&sub, S_("ffff"), &v, &vl, &is_bucket), 0);
	buf_free(&b);
}

static const struct container_meta *find(const struct meta_list *l, const char *id)
{
	static const struct container_meta none;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return &l->v[i];
	fail_msg("container %.12s not in the list", id);
	return &none;
}

static const char *label(const struct container_meta *m, const char *key)
{
	for (size_t i = 0; i < m->nlabels; i++)
		if (strcmp(m->label_keys[i], key) == 0)
			return m->label_values[i];
	return NULL;
}

/* L holds every container as `podman ps -a` showed it: ID, name, image and labels
 * ("map[config_id:tripleo_step1 container_name:keystone managed_by:tripleo_ansible]"). */
static void check_as_podman_ps(const struct meta_list *l)
{
	struct buf ps = { 0 };
	char *line, *save = NULL;
	size_t lines = 0;

	fixture("podman-db/podman-ps-a.txt", &ps);
	assert_int_equal(buf_reserve(&ps, ps.len + 1), 0);
	ps.data[ps.len] = '\0';
	assert_int_equal(l->n, NCTR);
	for (line = strtok_r(ps.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[65], name[64], image[128], labels[512] = "";
		const struct container_meta *m;
		char want[600];

		assert_true(sscanf(line, "%64s %63s %127s %511[^\n]", id, name, image, labels) == 4);
		m = find(l, id);
		assert_string_equal(m->engine_name, name);
		assert_string_equal(m->image, image);
		assert_string_equal(m->state, "configured"); /* created, never started */
		assert_int_equal(m->main_pid, 0);
		lines++;
		if (strcmp(labels, "map[]") == 0) {
			assert_int_equal(m->nlabels, 0);
			assert_string_equal(m->name, name);
			continue;
		}
		/* podman prints a Go map: keys sorted */
		snprintf(want, sizeof(want), "map[config_id:%s container_name:%s managed_by:%s]",
			 label(m, "config_id"), label(m, "container_name"), label(m, "managed_by"));
		assert_string_equal(labels, want);
		assert_int_equal(m->nlabels, 3);
		/* the shown name is the label's, as for every other source */
		assert_string_equal(m->name, label(m, "container_name"));
		assert_string_equal(m->config_id, label(m, "config_id"));
		assert_string_equal(m->managed_by, "tripleo_ansible");
	}
	assert_int_equal(lines, NCTR);
	buf_free(&ps);
}

static void test_podman_bolt_list(void **state)
{
	struct buf b = { 0 };
	struct meta_list l = { 0 };

	(void)state;
	fixture("podman-db/bolt_state.db", &b);
	assert_int_equal(podman_bolt_list(b.data, b.len, &l), 0);
	check_as_podman_ps(&l);
	meta_list_free(&l);
	buf_free(&b);
}

/* A file cut anywhere, or a page overwritten (as by a writer in the middle of a
 * transaction), gives an error or fewer containers, never a crash or a read outside. */
static void test_bolt_damaged(void **state)
{
	struct buf b = { 0 };
	unsigned char *copy;
	struct meta_list l = { 0 };
	int r;

	(void)state;
	fixture("podman-db/bolt_state.db", &b);
	copy = malloc(b.len);
	assert_non_null(copy);
	/* cut: every page boundary and a few odd lengths (a heap copy, so ASan sees any
	 * read past the end) */
	for (size_t len = 0; len < b.len; len += len < 16384 ? 509 : 4096) {
		unsigned char *cut = malloc(len ? len : 1);

		memcpy(cut, b.data, len);
		r = podman_bolt_list(cut, len, &l);
		assert_true(r == 0 || r == -EINVAL || r == -EIO);
		assert_true(l.n <= NCTR);
		meta_list_free(&l);
		free(cut);
	}
	/* a page overwritten with another page's bytes or with noise */
	for (size_t pg = 2; pg < b.len / 4096; pg++) {
		memcpy(copy, b.data, b.len);
		if (pg % 2)
			memset(copy + pg * 4096, 0xa5, 4096);
		else
			memcpy(copy + pg * 4096, copy + ((pg * 7) % (b.len / 4096)) * 4096, 4096);
		r = podman_bolt_list(copy, b.len, &l);
		assert_true(r == 0 || r == -EIO || r == -EINVAL);
		meta_list_free(&l);
	}
	/* both meta pages torn: not a database */
	memcpy(copy, b.data, b.len);
	copy[16 + 60] ^= 1;
	copy[4096 + 16 + 60] ^= 1;
	assert_int_equal(podman_bolt_list(copy, b.len, &l), -EINVAL);
	/* one torn: the other is used */
	copy[16 + 60] ^= 1;
	assert_int_equal(podman_bolt_list(copy, b.len, &l), 0);
	assert_true(l.n > 0);
	meta_list_free(&l);
	assert_int_equal(podman_bolt_list(copy, BOLT_MAX_SIZE + 1u, &l), -EFBIG);
	assert_int_equal(podman_bolt_list("", 0, &l), -EINVAL);
	free(copy);
	buf_free(&b);
}

/* A branch page pointing at itself is a loop the reader leaves with an error. */
static void test_bolt_loop(void **state)
{
	struct buf b = { 0 };
	struct bolt_db db;
	struct bolt_bucket root, sub;
	const unsigned char *v;
	size_t vl, n = 0, branches = 0;
	bool is_bucket;

	(void)state;
	fixture("podman-db/bolt_state.db", &b);
	for (uint64_t pg = 2; pg < b.len / 4096; pg++) {
		unsigned char *p = (unsigned char *)b.data + pg * 4096;
		uint64_t id;
		uint16_t flags;

		memcpy(&id, p, 8);
		memcpy(&flags, p + 8, 2);
		if (id != pg || flags != 0x01)
			continue;
		branches++;
		for (uint16_t cnt = 0, i = 0; memcpy(&cnt, p + 10, 2), i < cnt; i++)
			memcpy(p + 16 + i * 16u + 8, &id, 8); /* every child: itself */
	}
	assert_true(branches > 0);
	assert_int_equal(bolt_open(&db, b.data, b.len), 0);
	bolt_root(&db, &root);
	assert_int_equal(bolt_bucket(&root, "all-ctrs", &sub), 1);
	assert_int_equal(bolt_foreach(&sub, count_keys, &n), -EIO);
	assert_int_equal(bolt_get(&sub, S_(PLAIN), &v, &vl, &is_bucket), -EIO);
	buf_free(&b);
}

/* podman 5's tables as libpod creates them (libpod/sqlite_state_internal.go,
 * createSQLiteTables, podman v5): the two read here and those they refer to. */
static const char podman5_schema[] =
	"CREATE TABLE DBConfig(ID INTEGER PRIMARY KEY NOT NULL, SchemaVersion INTEGER NOT NULL,"
	" OS TEXT NOT NULL, StaticDir TEXT NOT NULL, TmpDir TEXT NOT NULL, GraphRoot TEXT NOT NULL,"
	" RunRoot TEXT NOT NULL, GraphDriver TEXT NOT NULL, VolumeDir TEXT NOT NULL, CHECK (ID IN (1)));"
	"CREATE TABLE IDNamespace(ID TEXT PRIMARY KEY NOT NULL);"
	"CREATE TABLE ContainerConfig(ID TEXT PRIMARY KEY NOT NULL, Name TEXT UNIQUE NOT NULL,"
	" PodID TEXT, JSON TEXT NOT NULL,"
	" FOREIGN KEY (ID) REFERENCES IDNamespace(ID) DEFERRABLE INITIALLY DEFERRED,"
	" FOREIGN KEY (ID) REFERENCES ContainerState(ID) DEFERRABLE INITIALLY DEFERRED,"
	" FOREIGN KEY (PodID) REFERENCES PodConfig(ID));"
	"CREATE TABLE ContainerState(ID TEXT PRIMARY KEY NOT NULL, State INTEGER NOT NULL,"
	" ExitCode INTEGER, JSON TEXT NOT NULL,"
	" FOREIGN KEY (ID) REFERENCES ContainerConfig(ID) DEFERRABLE INITIALLY DEFERRED,"
	" CHECK (ExitCode BETWEEN -1 AND 255));"
	"CREATE TABLE PodConfig(ID TEXT PRIMARY KEY NOT NULL, Name TEXT UNIQUE NOT NULL,"
	" JSON TEXT NOT NULL);"
	"INSERT INTO DBConfig VALUES (1, 1, 'linux', '/var/lib/containers/storage/libpod',"
	" '/run/libpod', '/var/lib/containers/storage', '/run/containers/storage', 'overlay',"
	" '/var/lib/containers/storage/volumes');";

struct sqlite_fill {
	const struct bolt_db *bdb;
	sqlite3 *db;
	sqlite3_stmt *cfg, *st;
};

/* One container of the BoltDB fixture into the SQLite tables, its JSON as podman wrote it. */
static int fill_one(void *ud, const unsigned char *k, size_t kl, const unsigned char *v, size_t vl,
		    bool is_bucket)
{
	struct sqlite_fill *f = ud;
	struct bolt_bucket b;
	const unsigned char *cfg, *st;
	size_t cl, sl;
	bool sub;
	struct container_meta m;

	assert_true(is_bucket);
	assert_int_equal(bolt_bucket_from_value(f->bdb, v, vl, &b), 0);
	assert_int_equal(bolt_get(&b, "config", 6, &cfg, &cl, &sub), 1);
	assert_int_equal(bolt_get(&b, "state", 5, &st, &sl, &sub), 1);
	assert_int_equal(meta_parse_libpod_config((const char *)cfg, cl, NULL, 0, &m), 0);
	sqlite3_reset(f->cfg);
	sqlite3_bind_text(f->cfg, 1, (const char *)k, (int)kl, SQLITE_TRANSIENT);
	sqlite3_bind_text(f->cfg, 2, m.engine_name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(f->cfg, 3, (const char *)cfg, (int)cl, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(f->cfg), SQLITE_DONE);
	sqlite3_reset(f->st);
	sqlite3_bind_text(f->st, 1, (const char *)k, (int)kl, SQLITE_TRANSIENT);
	sqlite3_bind_text(f->st, 2, (const char *)st, (int)sl, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(f->st), SQLITE_DONE);
	container_meta_free(&m);
	return 0;
}

/* podman 5's db.sql holding the containers of the BoltDB fixture, into OUT. */
static void make_podman5_db(struct buf *out)
{
	struct buf b = { 0 };
	struct bolt_db bdb;
	struct bolt_bucket root, ctr;
	struct sqlite_fill f = { .bdb = &bdb };
	sqlite3_int64 size = 0;
	unsigned char *img;

	fixture("podman-db/bolt_state.db", &b);
	assert_int_equal(bolt_open(&bdb, b.data, b.len), 0);
	bolt_root(&bdb, &root);
	assert_int_equal(bolt_bucket(&root, "ctr", &ctr), 1);
	assert_int_equal(sqlite3_open(":memory:", &f.db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(f.db, podman5_schema, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(f.db, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(f.db, "INSERT INTO ContainerConfig VALUES (?, ?, NULL, ?)", -1,
					    &f.cfg, NULL), SQLITE_OK);
	/* 1: configured, the state of every container of the fixture */
	assert_int_equal(sqlite3_prepare_v2(f.db, "INSERT INTO ContainerState VALUES (?, 1, 0, ?)", -1,
					    &f.st, NULL), SQLITE_OK);
	assert_int_equal(bolt_foreach(&ctr, fill_one, &f), 0);
	sqlite3_finalize(f.cfg);
	sqlite3_finalize(f.st);
	assert_int_equal(sqlite3_exec(f.db, "INSERT INTO IDNamespace SELECT ID FROM ContainerConfig; COMMIT",
				      NULL, NULL, NULL), SQLITE_OK);
	img = sqlite3_serialize(f.db, "main", &size, 0);
	assert_non_null(img);
	out->len = 0;
	assert_int_equal(buf_reserve(out, (size_t)size), 0);
	memcpy(out->data, img, (size_t)size);
	out->len = (size_t)size;
	sqlite3_free(img);
	sqlite3_close(f.db);
	buf_free(&b);
}

/* podman 5's database, made here with libpod's schema and podman 4's JSON, and the copy
 * of it committed as tests/fixtures/podman-db/db.sql: the same containers. */
static void test_podman_sqlite_list(void **state)
{
	struct buf b = { 0 };
	struct meta_list l = { 0 };

	(void)state;
	make_podman5_db(&b);
	assert_int_equal(podman_sqlite_list(b.data, b.len, &l), 0);
	check_as_podman_ps(&l);
	meta_list_free(&l);
	fixture("podman-db/db.sql", &b);
	assert_int_equal(podman_sqlite_list(b.data, b.len, &l), 0);
	check_as_podman_ps(&l);
	meta_list_free(&l);
	buf_free(&b);
}

/* SQL run on a scratch database, serialized into OUT. */
static void make_db(const char *sql, struct buf *out)
{
	sqlite3 *db;
	sqlite3_int64 size = 0;
	unsigned char *img;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	img = sqlite3_serialize(db, "main", &size, 0);
	assert_non_null(img);
	out->len = 0;
	assert_int_equal(buf_reserve(out, (size_t)size), 0);
	memcpy(out->data, img, (size_t)size);
	out->len = (size_t)size;
	sqlite3_free(img);
	sqlite3_close(db);
}

/* Cut, damaged, foreign and hostile databases: an error or fewer containers. */
static void test_podman_sqlite_hostile(void **state)
{
	struct buf b = { 0 }, x = { 0 };
	struct meta_list l = { 0 };
	int r;

	(void)state;
	fixture("podman-db/db.sql", &b);
	for (size_t len = 0; len < b.len; len += len < 8192 ? 100 : 4096) {
		unsigned char *cut = malloc(len ? len : 1);

		memcpy(cut, b.data, len);
		r = podman_sqlite_list(cut, len, &l);
		assert_true(r == 0 || r == -EINVAL || r == -EIO);
		assert_true(l.n <= NCTR);
		meta_list_free(&l);
		free(cut);
	}
	for (size_t pg = 1; pg < b.len / 4096; pg += 3) {
		assert_int_equal(buf_reserve(&x, b.len), 0);
		memcpy(x.data, b.data, b.len);
		memset(x.data + pg * 4096 + 8, 0x5a, 512);
		r = podman_sqlite_list(x.data, b.len, &l);
		assert_true(r == 0 || r == -EINVAL || r == -EIO);
		meta_list_free(&l);
	}
	/* not libpod's: no such table, or a view in its place */
	make_db("CREATE TABLE t(x); INSERT INTO t VALUES (1);", &x);
	assert_int_equal(podman_sqlite_list(x.data, x.len, &l), -EINVAL);
	make_db("CREATE TABLE ContainerState(ID, State, ExitCode, JSON);"
		"CREATE VIEW ContainerConfig AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c)"
		" SELECT n AS ID, n AS JSON FROM c;", &x);
	assert_int_equal(podman_sqlite_list(x.data, x.len, &l), -EINVAL);
	assert_int_equal(l.n, 0);
	/* rows that are not libpod's JSON are skipped */
	make_db("CREATE TABLE ContainerState(ID, State, ExitCode, JSON);"
		"CREATE TABLE ContainerConfig(ID, Name, PodID, JSON);"
		"INSERT INTO ContainerConfig VALUES ('a', 'a', NULL, NULL), ('b', 'b', NULL, x'00ff'),"
		" ('c', 'c', NULL, 42), ('d', 'd', NULL, '{\"id\":\"d\",\"name\":\"dd\"}');"
		"INSERT INTO ContainerState VALUES ('d', 3, 0, '{\"state\":3,\"pid\":77}');", &x);
	assert_int_equal(podman_sqlite_list(x.data, x.len, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].engine_name, "dd");
	assert_string_equal(l.v[0].state, "running");
	assert_int_equal(l.v[0].main_pid, 77);
	meta_list_free(&l);
	assert_int_equal(podman_sqlite_list(b.data, PODMAN_SQLITE_MAX_SIZE + 1u, &l), -EFBIG);
	assert_int_equal(podman_sqlite_list("SQLite format 2", 16, &l), -EINVAL);
	buf_free(&x);
	buf_free(&b);
}

/* Rootless podman's storage of each real user, from /etc/passwd */
static void test_rootless_storages(void **state)
{
	static const char passwd[] =
		"root:x:0:0:root:/root:/bin/bash\n"
		"# a comment\n"
		"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
		"stack:x:1000:1000:TripleO:/home/stack:/bin/bash\n"
		"svc:x:999:999::/var/lib/svc:/usr/sbin/nologin\n"
		"broken:x:1001\n"
		"rel:x:1002:1002::home/rel:/bin/sh\n"
		"slash:x:1003:1003::/:/bin/sh\n"
		"neg:x:-1:1::/home/neg:/bin/sh\n"
		"ops:x:1004:1004::/home/ops";
	char **v;
	size_t n = podman_rootless_storages(passwd, sizeof(passwd) - 1, &v);

	(void)state;
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "/home/stack/.local/share/containers/storage");
	assert_string_equal(v[1], "/home/ops/.local/share/containers/storage");
	meta_ids_free(v, n);
	assert_int_equal(podman_rootless_storages("", 0, &v), 0);
	meta_ids_free(v, 0);
}

/* --- the database as the metadata store reads it from a host (meta_fetch.c) ------------- */

#define UNKNOWN "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"

struct host {
	char dir[64];        /* the root: DIR/storage/libpod/bolt_state.db */
	char db[192];
	struct rootfs root;
	struct notes notes;
	struct meta_store *store;
	struct buf good;     /* the fixture's bytes */
	unsigned asks;
};

/* A root holding podman's storage with the fixture's BoltDB, and a store reading it. */
static void host_open(struct host *h)
{
	static const struct meta_options o = { .podman_storage = "/storage" };
	char path[128];
	int fd;

	memset(h, 0, sizeof(*h));
	snprintf(h->dir, sizeof(h->dir), "/tmp/cgtop-podman-db.XXXXXX");
	assert_non_null(mkdtemp(h->dir));
	snprintf(path, sizeof(path), "%s/storage", h->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/storage/libpod", h->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(h->db, sizeof(h->db), "%s/bolt_state.db", path);
	fixture("podman-db/bolt_state.db", &h->good);
	fd = open(h->db, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, h->good.data, h->good.len), (ssize_t)h->good.len);
	close(fd);
	h->root.fd = -1;
	assert_int_equal(rootfs_open(&h->root, h->dir), 0);
	h->store = meta_store_new(&h->root, &o, &h->notes);
}

static void host_close(struct host *h)
{
	meta_store_free(h->store);
	rootfs_close(&h->root);
	notes_free(&h->notes);
	unlink(h->db);
	*strrchr(h->db, '/') = '\0';
	rmdir(h->db);
	*strrchr(h->db, '/') = '\0';
	rmdir(h->db);
	rmdir(h->dir);
	buf_free(&h->good);
}

/* Ask the store about keystone_s1 and PLAIN (and, every other time, an ID nobody knows:
 * a set that changed, so a fetch each time) and adopt the answer. */
static void host_ask(struct host *h)
{
	const char *ids[] = { KEYSTONE_S1, PLAIN, UNKNOWN };
	struct timespec ts = { 0, 2 * 1000 * 1000 };

	meta_store_want(h->store, ids, h->asks++ % 2 ? 3 : 2);
	for (int i = 0; i < 5000; i++) {
		meta_store_sync(h->store);
		if (!meta_store_pending(h->store))
			return;
		nanosleep(&ts, NULL);
	}
	fail_msg("the store's fetch did not end in 10 s");
}

/* What the store says of keystone_s1: always what podman said, whatever the file is. */
static void expect_keystone(struct host *h)
{
	const struct container_meta *m = meta_store_lookup(h->store, KEYSTONE_S1);

	assert_non_null(m);
	assert_string_equal(m->name, "keystone");
	assert_string_equal(m->engine_name, "keystone_s1");
	assert_string_equal(m->config_id, "tripleo_step1");
}

static bool has_note(const struct host *h, const char *key)
{
	for (size_t i = 0; i < h->notes.n; i++)
		if (strcmp(h->notes.keys[i], key) == 0)
			return true;
	return false;
}

/* Every note is one of the database's: busy (torn twice) or unreadable. */
static void only_db_notes(const struct host *h)
{
	for (size_t i = 0; i < h->notes.n; i++)
		if (strcmp(h->notes.keys[i], "meta-podman-db-busy") != 0 &&
		    strcmp(h->notes.keys[i], "meta-podman-db-read") != 0)
			fail_msg("unexpected note %s: %s", h->notes.keys[i], h->notes.texts[i]);
}

/* A database cut short (podman killed while it grew the file, a copy cut off): the names
 * and labels known before stay, with a note; the whole file again gives them all. */
static void test_store_truncated(void **state)
{
	static const size_t lengths[] = { 1 << 19, 3 * 4096, 8192, 4096, 17, 0 };
	struct host h;
	int fd;

	(void)state;
	host_open(&h);
	host_ask(&h);
	expect_keystone(&h);
	assert_non_null(meta_store_lookup(h.store, PLAIN));
	assert_int_equal(h.notes.n, 0);
	for (size_t i = 0; i < ARRAY_SIZE(lengths); i++) {
		assert_int_equal(truncate(h.db, (off_t)lengths[i]), 0);
		host_ask(&h);
		expect_keystone(&h);
		assert_non_null(meta_store_lookup(h.store, PLAIN));
		assert_null(meta_store_lookup(h.store, UNKNOWN));
	}
	/* a cut past the meta pages is a torn read (read twice), a file without them is
	 * not a database */
	assert_true(has_note(&h, "meta-podman-db-busy"));
	assert_true(has_note(&h, "meta-podman-db-read"));
	only_db_notes(&h);
	/* whole again */
	fd = open(h.db, O_WRONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, h.good.data, h.good.len), (ssize_t)h.good.len);
	close(fd);
	host_ask(&h);
	expect_keystone(&h);
	host_close(&h);
}

struct rewriter {
	const char *path;
	const struct buf *good;
	volatile int stop;
	unsigned rounds;
};

/* A writer at work on the file, in place as bbolt writes (pages, then a meta page):
 * pages overwritten with noise, or the file cut, then the good bytes again. */
static void *rewrite(void *arg)
{
	struct rewriter *w = arg;
	size_t len = w->good->len, pages = len / 4096;
	unsigned char noise[4096];
	int fd = open(w->path, O_WRONLY | O_CLOEXEC);

	memset(noise, 0xa5, sizeof(noise));
	if (fd < 0)
		return NULL;
	while (!w->stop) {
		size_t pg = 2 + w->rounds * 7 % (pages - 2);

		if (w->rounds % 3 == 0) {
			if (ftruncate(fd, (off_t)(len / 2)) != 0)
				break;
		} else if (pwrite(fd, noise, sizeof(noise), (off_t)(pg * 4096)) != (ssize_t)sizeof(noise)) {
			break;
		}
		sched_yield();
		if (pwrite(fd, w->good->data, len, 0) != (ssize_t)len)
			break;
		w->rounds++;
	}
	close(fd);
	return NULL;
}

/* A database rewritten while the store reads it, again and again: every answer is
 * podman's or the one before, never a crash (the ASan build runs this too). */
static void test_store_rewritten(void **state)
{
	struct rewriter w = { 0 };
	struct host h;
	pthread_t t;

	(void)state;
	host_open(&h);
	host_ask(&h);
	expect_keystone(&h);
	w.path = h.db;
	w.good = &h.good;
	assert_int_equal(pthread_create(&t, NULL, rewrite, &w), 0);
	for (int i = 0; i < 60; i++) {
		host_ask(&h);
		expect_keystone(&h);
		assert_non_null(meta_store_lookup(h.store, PLAIN));
	}
	w.stop = 1;
	pthread_join(t, NULL);
	assert_true(w.rounds > 0);
	only_db_notes(&h);
	print_message("%u rewrites during 60 fetches; notes: %zu\n", w.rounds, h.notes.n);
	/* the writer done: everything again, from the file */
	host_ask(&h);
	host_ask(&h);
	expect_keystone(&h);
	host_close(&h);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bolt_buckets),
		cmocka_unit_test(test_podman_bolt_list),
		cmocka_unit_test(test_bolt_damaged),
		cmocka_unit_test(test_bolt_loop),
		cmocka_unit_test(test_podman_sqlite_list),
		cmocka_unit_test(test_podman_sqlite_hostile),
		cmocka_unit_test(test_rootless_storages),
		cmocka_unit_test(test_store_truncated),
		cmocka_unit_test(test_store_rewritten),
	};

	/* --write-sqlite FILE: write the podman 5 database made from the BoltDB fixture
	 * (how tests/fixtures/podman-db/db.sql was made) */
	if (argc == 3 && strcmp(argv[1], "--write-sqlite") == 0) {
		struct buf b = { 0 };
		FILE *f = fopen(argv[2], "wb");

		make_podman5_db(&b);
		if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0)
			return 1;
		buf_free(&b);
		return 0;
	}

	return cmocka_run_group_tests(tests, NULL, NULL);
}
