/* Unit tests of the bbolt reader (src/bolt.c) and of podman's database read through it
 * (src/podman_db.c), on a bolt_state.db made by podman 4.3 (tests/fixtures/podman-db,
 * README there), checked against what `podman ps -a` said of it, and on damaged,
 * truncated and looping copies of it. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bolt.h"
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

/* Every container as `podman ps -a` showed it: ID, name, image and labels
 * ("map[config_id:tripleo_step1 container_name:keystone managed_by:tripleo_ansible]"). */
static void test_podman_bolt_list(void **state)
{
	struct buf b = { 0 }, ps = { 0 };
	struct meta_list l = { 0 };
	char *line, *save = NULL;
	size_t lines = 0;

	(void)state;
	fixture("podman-db/bolt_state.db", &b);
	fixture("podman-db/podman-ps-a.txt", &ps);
	assert_int_equal(buf_reserve(&ps, ps.len + 1), 0);
	ps.data[ps.len] = '\0';
	assert_int_equal(podman_bolt_list(b.data, b.len, &l), 0);
	assert_int_equal(l.n, NCTR);
	for (line = strtok_r(ps.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[65], name[64], image[128], labels[512] = "";
		const struct container_meta *m;
		char want[600];

		assert_true(sscanf(line, "%64s %63s %127s %511[^\n]", id, name, image, labels) == 4);
		m = find(&l, id);
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
	meta_list_free(&l);
	buf_free(&ps);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bolt_buckets),
		cmocka_unit_test(test_podman_bolt_list),
		cmocka_unit_test(test_bolt_damaged),
		cmocka_unit_test(test_bolt_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
