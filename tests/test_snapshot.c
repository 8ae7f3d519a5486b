/* Snapshots on their own: the rows' size, their index by path, and the paths' storage. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fields.h"
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
	struct cg_row tmp;

	assert_true(s->n >= n + 1);
	assert_string_equal(snapshot_row_before(s, 0, &tmp)->path, "/");
	for (unsigned k = 0; k < n; k++) {
		name(p, sizeof(p), first + k * step);
		assert_string_equal(snapshot_row_before(s, k + 1, &tmp)->path, p);
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
 * the storage must stay bounded however long it goes on. With PACK, as the sampler runs
 * it for batch output: the previous sample packed at the start of each refresh, its rows
 * array going to the sample being filled. */
static void churn_with(bool pack)
{
	struct snapshot *s[2] = { snapshot_new(), NULL };
	size_t most = 0;

	s[1] = snapshot_pair(s[0]);
	for (unsigned t = 0; t < 60; t++) {
		struct snapshot *cur = s[t % 2], *prev = s[(t + 1) % 2];
		/* a sliding window (renames), every other sample a gap (gone, then back) */
		unsigned first = t * 150, n = t % 2 ? 1000 : 600, step = t % 3 ? 1 : 2;

		snapshot_reset(cur);
		if (!pack && t % 7 == 3)
			snapshot_reset(cur); /* reset twice: nothing to drop the second time */
		if (pack && t > 0) {
			struct cg_row *rows = prev->rows;

			snapshot_pack(prev, cur);
			assert_true(prev->packed);
			assert_null(prev->rows);
			assert_ptr_equal(cur->rows, rows); /* handed down, not made anew */
		}
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

static void churn(void **state)
{
	(void)state;
	churn_with(false);
}

static void churn_packed(void **state)
{
	(void)state;
	churn_with(true);
}

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Row "/rK" (K < N) of S with every stored figure set from the generator X, most valid;
 * with BLOCKS the blocks' figures too (the blocks made), else none. The values are small,
 * so that a counter is as often ahead of the same row's in another sample as behind. */
static void random_rows(struct snapshot *s, unsigned n, unsigned skip, uint64_t seed)
{
	uint64_t x = seed;

	for (unsigned k = 0; k < n; k++) {
		char p[32];
		struct cg_row *r;
		size_t i;
		bool blocks = k % 3 != 0;

		if (skip && k % skip == 0)
			continue;
		snprintf(p, sizeof(p), "/r%u", k);
		i = snapshot_row(s, p, strlen(p)); /* before reading s->rows: it may move */
		r = &s->rows[i];
		for (i = 0; i < F_COUNT; i++) {
			const struct figure *f = &figures[i];
			uint64_t v = rnd(&x) % 64;

			if (f->kind == FIG_DERIVED || (f->block != BLK_ROW && !blocks))
				continue;
			if (fig_is_double(f))
				fig_set_double(f, r, (double)v / 7);
			else
				fig_set_u64(f, r, v);
			if (rnd(&x) % 5)
				r->valid |= FIELD_BIT(f->id);
		}
		if (blocks)
			row_net_mk(r)->ino = 1 + rnd(&x) % 4 / 3; /* mostly the same namespace */
		r->io_source = rnd(&x) % 4 ? IO_SRC_IOSTAT : IO_SRC_PROC;
		r->cpu_read_ns = rnd(&x) % 4 ? 5000000000ull + rnd(&x) % 1000000 : 0;
		r->io_read_ns = rnd(&x) % 4 ? 5000000000ull + rnd(&x) % 1000000 : 0;
		r->tasks = rnd(&x);
		r->parent = 0;
	}
}

/* The rates, ratios and changes over an interval are the same from a packed previous
 * sample as from the full one, for every figure of the table: rows with and without
 * blocks, rows new in the sample or gone from it, counters ahead and behind, another I/O
 * source, another network namespace, reading times known or not. The packed sample is
 * much smaller, and its rows array went to its heir. */
static void packed_rates(void **state)
{
	struct snapshot *pa = snapshot_new(), *pb = snapshot_new(), *heir = snapshot_new();
	struct snapshot *ca = snapshot_new(), *cb = snapshot_new();
	fieldmask rates = fig_rate_bits(), seen = 0;
	struct cg_row *rows;

	(void)state;
	random_rows(pa, 300, 7, 42);
	random_rows(pb, 300, 7, 42);
	pa->mono_ns = pb->mono_ns = 1000000000ull;
	rows = pb->rows;
	snapshot_pack(pb, heir);
	assert_true(pb->packed);
	assert_null(pb->rows);
	assert_ptr_equal(heir->rows, rows);
	assert_int_equal(pb->n, pa->n);
	assert_true(snapshot_rows_size(pb) * 2 < pb->n * sizeof(struct cg_row));
	assert_int_equal(snapshot_rows_size(pa), pa->n * sizeof(struct cg_row));
	for (size_t j = 0; j < pa->n; j++) {
		struct cg_row tmp;

		assert_string_equal(snapshot_row_before(pb, j, &tmp)->path, pa->rows[j].path);
		assert_int_equal(snapshot_find(pb, pa->rows[j].path), (ssize_t)j);
	}
	assert_int_equal(snapshot_find(pb, "/r7"), -1);
	/* the next sample: some rows gone (every 5th), some new (from 300 on) */
	random_rows(ca, 330, 5, 4242);
	random_rows(cb, 330, 5, 4242);
	ca->mono_ns = cb->mono_ns = 3000000000ull;
	snapshot_compute_rates(ca, pa);
	snapshot_compute_rates(cb, pb);
	assert_int_equal(ca->interval_ns, cb->interval_ns);
	assert_int_equal(ca->n, cb->n);
	for (size_t i = 0; i < ca->n; i++) {
		const struct cg_row *a = &ca->rows[i], *b = &cb->rows[i];

		assert_string_equal(a->path, b->path);
		assert_true(a->valid == b->valid);
		seen |= a->valid & rates;
		for (size_t k = 0; k < F_COUNT; k++) {
			const struct figure *f = &figures[k];

			if (f->kind == FIG_DERIVED)
				continue;
			/* the bytes, doubles as they are */
			if (fig_u64(f, a) != fig_u64(f, b))
				fail_msg("row %s, figure %s: %llu from the full row, %llu from the packed one",
					 a->path, f->key, (unsigned long long)fig_u64(f, a),
					 (unsigned long long)fig_u64(f, b));
		}
	}
	/* every rate, ratio and change of the table was made somewhere */
	assert_true(seen == rates);
	snapshot_free(pa);
	snapshot_free(pb);
	snapshot_free(heir);
	snapshot_free(ca);
	snapshot_free(cb);
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
		cmocka_unit_test(churn_packed),
		cmocka_unit_test(packed_rates),
		cmocka_unit_test(sparse_blocks),
		cmocka_unit_test(long_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
