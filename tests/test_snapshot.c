/* Snapshots on their own: the rows' size, their index by path, and the paths' storage. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "snapshot.h"

/* 10,000 cgroups are 20,000 rows in the sampler's two snapshots: a row must not grow back
 * to the 256 bytes it was (a 64-bit parent and the small members after the mask). */
static void row_size(void **state)
{
	(void)state;
	if (sizeof(void *) != 8)
		skip();
	assert_true(sizeof(struct cg_row) <= 240);
	assert_int_equal(offsetof(struct cg_row, valid) % _Alignof(fieldmask), 0);
}

/* A row's parent holds -1 and every index a snapshot can have. */
static void parent_range(void **state)
{
	struct snapshot *s = snapshot_new();
	size_t a = snapshot_row(s, "/", 1), b = snapshot_row(s, "/a", 2);

	(void)state;
	assert_int_equal(s->rows[a].parent, -1);
	s->rows[b].parent = (int32_t)a;
	assert_int_equal(s->rows[b].parent, 0);
	s->rows[a].parent = INT32_MAX - 1;
	assert_true(s->rows[a].parent > 0);
	snapshot_free(s);
}

/* Path I of a sample: long, like a container's scope ("/cgtop.slice/docker-<hex>.scope"). */
static void name(char *out, size_t len, unsigned i)
{
	snprintf(out, len, "/cgtop.slice/docker-%08x%056u.scope", i * 2654435761u, i);
}

/* S filled with the paths FIRST .. FIRST + N - 1 (STEP apart). */
static void fill(struct snapshot *s, unsigned first, unsigned n, unsigned step)
{
	char p[128];

	snapshot_row(s, "/", 1);
	for (unsigned k = 0; k < n; k++) {
		name(p, sizeof(p), first + k * step);
		snapshot_row(s, p, strlen(p));
	}
}

/* The first N + 1 rows of S (filled from FIRST, STEP apart) have the paths they were made
 * with, and find themselves. */
static void check_rows(const struct snapshot *s, unsigned first, unsigned n, unsigned step)
{
	char p[128];

	assert_true(s->n >= n + 1);
	assert_string_equal(s->rows[0].path, "/");
	for (unsigned k = 0; k < n; k++) {
		name(p, sizeof(p), first + k * step);
		assert_string_equal(s->rows[k + 1].path, p);
		assert_int_equal(snapshot_find(s, p), (ssize_t)k + 1);
	}
}

/* Every row of S has the path fill() made it with, and finds itself. */
static void check(const struct snapshot *s, unsigned first, unsigned n, unsigned step)
{
	assert_int_equal(s->n, n + 1);
	check_rows(s, first, n, step);
}

/* The sampler's two snapshots of an unchanged tree hold each path once: the second takes
 * the first's strings, and keeps them when the first is reset and filled again. */
static void shared_unchanged(void **state)
{
	struct snapshot *a = snapshot_new(), *b = snapshot_pair(a);
	size_t one;

	(void)state;
	fill(a, 0, 2000, 1);
	one = snapshot_paths_size(a);
	fill(b, 0, 2000, 1);
	check(b, 0, 2000, 1);
	for (size_t i = 0; i < b->n; i++)
		assert_ptr_equal(b->rows[i].path, a->rows[i].path);
	assert_int_equal(snapshot_paths_size(b), one);
	for (int round = 0; round < 4; round++) {
		struct snapshot *fresh = round % 2 ? b : a, *old = round % 2 ? a : b;

		snapshot_reset(fresh);
		check(old, 0, 2000, 1);
		fill(fresh, 0, 2000, 1);
		check(fresh, 0, 2000, 1);
		check(old, 0, 2000, 1);
		assert_int_equal(snapshot_paths_size(a), one);
	}
	snapshot_free(a);
	check(b, 0, 2000, 1); /* the other's paths outlive its peer */
	snapshot_free(b);
}

/* Churn over many samples, as the sampler alternates: cgroups that go and come back,
 * others renamed (a new path each sample). The previous sample's paths must stay intact
 * while the next is filled (a string reused too early shows here, and under ASan), and
 * the storage must stay bounded however long it goes on. */
static void churn(void **state)
{
	struct snapshot *s[2] = { snapshot_new(), NULL };
	size_t most = 0;

	(void)state;
	s[1] = snapshot_pair(s[0]);
	for (unsigned t = 0; t < 60; t++) {
		struct snapshot *cur = s[t % 2], *prev = s[(t + 1) % 2];
		/* a sliding window (renames), every other sample a gap (gone, then back) */
		unsigned first = t * 150, n = t % 2 ? 1000 : 600, step = t % 3 ? 1 : 2;

		snapshot_reset(cur);
		if (t % 7 == 3)
			snapshot_reset(cur); /* reset twice: nothing to drop the second time */
		fill(cur, first, n, step);
		check(cur, first, n, step);
		if (t > 0) {
			unsigned pt = t - 1;

			check(prev, pt * 150, pt % 2 ? 1000 : 600, pt % 3 ? 1 : 2);
		}
		if (snapshot_paths_size(cur) > most)
			most = snapshot_paths_size(cur);
	}
	/* 1,600 paths of ~105 bytes in use at most: about 170 KB, 3 blocks of 64 KiB; with
	 * the garbage, never more than twice that and a block or two */
	assert_true(most <= 8 * 65536);
	snapshot_free(s[1]);
	snapshot_free(s[0]);
}

/* A block kept for a few of its strings while the rest went is emptied: those strings are
 * copied anew, not shared from it, and it is freed once the snapshot holding them is
 * reset. A long run of a few survivors must not keep every block they were in. */
static void sparse_blocks(void **state)
{
	struct snapshot *s[2] = { snapshot_new(), NULL };
	size_t big;

	(void)state;
	s[1] = snapshot_pair(s[0]);
	fill(s[0], 0, 5000, 1); /* about 525 KB, 9 blocks */
	big = snapshot_paths_size(s[0]);
	assert_true(big >= 8 * 65536);
	for (unsigned t = 1; t < 8; t++) {
		struct snapshot *cur = s[t % 2];

		snapshot_reset(cur);
		/* every 100th of the first sample's survives, beside 50 new ones each time */
		fill(cur, 0, 50, 100);
		for (unsigned k = 0; k < 50; k++) {
			char p[128];

			name(p, sizeof(p), 100000 + t * 50 + k);
			snapshot_row(cur, p, strlen(p));
		}
		assert_int_equal(cur->n, 101);
	}
	check_rows(s[1], 0, 50, 100);
	check_rows(s[0], 0, 50, 100);
	assert_true(snapshot_paths_size(s[0]) <= 2 * 65536);
	snapshot_free(s[0]);
	snapshot_free(s[1]);
}

/* A path longer than a block gets one of its own; freed with the snapshots. */
static void long_path(void **state)
{
	struct snapshot *a = snapshot_new(), *b = snapshot_pair(a);
	size_t len = 100000;
	char *p = malloc(len + 1);

	(void)state;
	assert_non_null(p);
	memset(p, 'x', len);
	p[0] = '/';
	p[len] = '\0';
	snapshot_row(a, p, len);
	snapshot_row(b, p, len);
	assert_ptr_equal(a->rows[0].path, b->rows[0].path);
	snapshot_reset(a);
	assert_string_equal(b->rows[0].path, p);
	snapshot_reset(b);
	snapshot_row(a, "/a", 2);
	assert_string_equal(a->rows[0].path, "/a");
	free(p);
	snapshot_free(b);
	snapshot_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(row_size),
		cmocka_unit_test(parent_range),
		cmocka_unit_test(shared_unchanged),
		cmocka_unit_test(churn),
		cmocka_unit_test(sparse_blocks),
		cmocka_unit_test(long_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
