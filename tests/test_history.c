/* The history ring (history.c): the values it keeps against the samples that made them,
 * coalescing, its bounds, gaps, the scaling of sparklines, and the history panel's text
 * as the details screen draws it. */
#include "config.h"

#include <malloc.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"
#include "format.h"
#include "history.h"
#include "tui_model.h"
#include "view.h"

#define SEC 1000000000ull

/* A row's figures: CPU %, memory bytes (both known). */
static struct cg_row fig(double cpu, uint64_t mem)
{
	struct cg_row r = { 0 };

	r.cpu_percent = cpu;
	r.mem_usage = mem;
	r.valid = FIELD_BIT(F_CPU_RATE) | FIELD_BIT(F_MEM_USAGE);
	return r;
}

/* Feed KEY one sample at T seconds. */
static void feed(struct history *h, double t, const struct cg_row *r)
{
	hist_begin(h, (uint64_t)(t * SEC));
	hist_add(h, "p:/a", r);
	hist_end(h);
}

static void test_empty(void **state)
{
	struct history *h = hist_new();
	char lines[HIST_PANEL_LINES][HIST_LINE_MAX];
	float cells[8];
	double lo, hi;
	uint64_t span;
	int n;

	(void)state;
	assert_null(hist_find(h, "p:/a"));
	assert_int_equal(hist_cells(NULL, HS_CPU, 8, cells), 0);
	assert_false(hist_range(NULL, HS_CPU, &lo, &hi, &span));
	n = hist_panel(NULL, NULL, true, 80, lines);
	assert_int_equal(n, 7);
	assert_string_equal(lines[0], "History: none yet (it starts with the next sample)");
	/* nothing known is "-", never 0 */
	assert_non_null(strstr(lines[1], "min      - max      - now      -"));
	assert_string_equal(lines[6], "Peak since start: %CPU -  mem -  I/O -/s");
	hist_free(h);
}

static void test_one_point(void **state)
{
	struct history *h = hist_new();
	struct cg_row r = fig(50, 1000);
	const struct hist_row *hr;
	char buf[64];
	float cells[8];
	double lo, hi;
	uint64_t span;

	(void)state;
	feed(h, 100, &r);
	hr = hist_find(h, "p:/a");
	assert_non_null(hr);
	assert_true(hist_range(hr, HS_CPU, &lo, &hi, &span));
	assert_true(lo == 50 && hi == 50);
	assert_int_equal(span, 0);
	assert_int_equal(hist_cells(hr, HS_CPU, 8, cells), 1);
	assert_true(cells[0] == 50);
	/* right-aligned, the one value at the top of its own scale */
	assert_string_equal(hist_sparkline(buf, sizeof(buf), cells, 1, 4, 0, true), "   \u2588");
	assert_string_equal(hist_sparkline(buf, sizeof(buf), cells, 1, 4, 0, false), "   #");
	/* not known: a gap, not a zero */
	assert_int_equal(hist_cells(hr, HS_IO, 8, cells), 1);
	assert_true(isnan(cells[0]));
	assert_string_equal(hist_sparkline(buf, sizeof(buf), cells, 1, 3, 0, true), "   ");
	hist_free(h);
}

static void test_constant(void **state)
{
	struct history *h = hist_new();
	const struct hist_row *hr;
	char buf[64];
	float cells[16];
	size_t n;

	(void)state;
	for (int i = 0; i < 5; i++) {
		struct cg_row r = fig(20, 0);

		feed(h, i, &r);
	}
	hr = hist_find(h, "p:/a");
	n = hist_cells(hr, HS_CPU, 16, cells);
	assert_int_equal(n, 5);
	assert_string_equal(hist_sparkline(buf, sizeof(buf), cells, n, 5, 0, true),
			    "\u2588\u2588\u2588\u2588\u2588");
	/* a constant zero: the lowest block, not a gap */
	n = hist_cells(hr, HS_MEM, 16, cells);
	assert_string_equal(hist_sparkline(buf, sizeof(buf), cells, n, 5, 0, false), "_____");
	hist_free(h);
}

/* Every cell is the sample that made it, and its block is its share of the top. */
static void test_values_and_scaling(void **state)
{
	struct history *h = hist_new();
	const struct hist_row *hr;
	float cells[64];
	char buf[256];
	double lo, hi;
	uint64_t span;
	size_t n;

	(void)state;
	for (int i = 0; i < 30; i++) {
		struct cg_row r = fig(i * 3.0, (uint64_t)i << 20);

		feed(h, 10 + i * 0.5, &r);
	}
	hr = hist_find(h, "p:/a");
	assert_true(hist_range(hr, HS_CPU, &lo, &hi, &span));
	assert_true(lo == 0 && hi == 87);
	assert_int_equal(span, 29 * SEC / 2);
	assert_true(hr->last[HS_CPU] == 87 && hr->peak[HS_CPU] == 87);
	assert_true(hr->last[HS_MEM] == 29 << 20);
	n = hist_cells(hr, HS_CPU, 64, cells);
	assert_int_equal(n, 30);
	for (int i = 0; i < 30; i++)
		assert_true(cells[i] == i * 3.0f);
	/* eight levels from 0 to the top */
	assert_int_equal(hist_level(0, 87), 0);
	assert_int_equal(hist_level(87, 87), 7);
	assert_int_equal(hist_level(43.5, 87), 4);
	assert_int_equal(hist_level(10.8, 87), 0);
	assert_int_equal(hist_level(10.9, 87), 1);
	assert_int_equal(hist_level(NAN, 87), -1);
	assert_int_equal(hist_level(5, 0), 0);
	/* fewer cells than samples: each the highest of the samples it covers */
	n = hist_cells(hr, HS_CPU, 10, cells);
	assert_int_equal(n, 10);
	for (int c = 0; c < 10; c++)
		assert_true(cells[c] == (c * 3 + 2) * 3.0f);
	hist_sparkline(buf, sizeof(buf), cells, n, 10, 0, false);
	assert_string_equal(buf, "_.-::=+*##");
	hist_free(h);
}

/* A full ring that covers less than 10 minutes merges its slots in pairs. */
static void test_coalescing(void **state)
{
	struct history *h = hist_new();
	const struct hist_row *hr;
	double lo, hi;
	uint64_t span;

	(void)state;
	for (int i = 0; i < HIST_SLOTS; i++) {
		struct cg_row r = fig(i % 2 ? 10 : 30, 0);

		feed(h, i, &r);
	}
	hr = hist_find(h, "p:/a");
	assert_int_equal(hr->n, HIST_SLOTS);
	assert_int_equal(hr->width, 1);
	{
		struct cg_row r = fig(99, 0);

		feed(h, HIST_SLOTS, &r);
	}
	assert_int_equal(hr->width, 2);
	assert_int_equal(hr->n, HIST_SLOTS / 2 + 1);
	for (size_t i = 0; i < HIST_SLOTS / 2; i++) {
		const struct hist_slot *s = &hr->slots[(hr->first + i) % HIST_SLOTS];

		assert_int_equal(s->n, 2);
		assert_true(s->lo[HS_CPU] == 10 && s->hi[HS_CPU] == 30);
		assert_int_equal(s->t_ms, 2 * i * 1000);
	}
	assert_true(hist_range(hr, HS_CPU, &lo, &hi, &span));
	assert_true(lo == 10 && hi == 99);
	assert_int_equal(span, HIST_SLOTS * SEC);
	hist_free(h);
}

/* At any interval the ring holds at least 10 minutes, in HIST_SLOTS slots, and a row's
 * memory does not grow. */
static void test_bounds(void **state)
{
	static const double intervals[] = { 0.1, 1, 2, 10, 60 };

	(void)state;
	for (size_t k = 0; k < sizeof(intervals) / sizeof(intervals[0]); k++) {
		struct history *h = hist_new();
		const struct hist_row *hr;
		size_t bytes = 0;
		double lo, hi;
		uint64_t span;

		for (int i = 0; i < 30000; i++) {
			struct cg_row r = fig(i, 0);

			feed(h, i * intervals[k], &r);
			if (i == 100)
				bytes = hist_bytes(h);
		}
		hr = hist_find(h, "p:/a");
		assert_true(hr->n <= HIST_SLOTS);
		assert_true((hr->width & (hr->width - 1)) == 0);
		assert_int_equal(hist_bytes(h), bytes);
		assert_true(hist_range(hr, HS_CPU, &lo, &hi, &span));
		assert_true(span >= 600 * SEC);
		/* the ring keeps no more than it must: under twice the 10 minutes, or its
		 * slots at the slowest intervals */
		assert_true(span < 1200 * SEC + (uint64_t)(2 * intervals[k] * SEC) ||
			    hr->width == 1);
		assert_true(hi == 29999);
		assert_true(lo == 29999 - (double)(hr->n - 1) * hr->width - (hr->slots[(hr->first + hr->n - 1u) % HIST_SLOTS].n - 1));
		hist_free(h);
	}
}

/* 5000 rows fed for long enough that every ring is full: the memory the README states,
 * counted by hist_bytes() and by the allocator. */
static void test_5000_rows(void **state)
{
	struct history *h = hist_new();
	struct mallinfo2 before = mallinfo2(), after;
	char key[80];
	size_t bytes;

	(void)state;
	for (int i = 0; i < 2 * HIST_SLOTS; i++) {
		struct cg_row r = fig(i, (uint64_t)i << 20);

		hist_begin(h, (uint64_t)i * 10 * SEC);
		for (int k = 0; k < 5000; k++) {
			snprintf(key, sizeof(key), "c:%064d", k);
			hist_add(h, key, &r);
		}
		hist_end(h);
	}
	after = mallinfo2();
	bytes = hist_bytes(h);
	print_message("5000 rows: %zu bytes by hist_bytes, %zu allocated, %zu per row (struct hist_row %zu)\n",
		      bytes, after.uordblks - before.uordblks, bytes / 5000, sizeof(struct hist_row));
	assert_int_equal(hist_count(h), 5000);
	assert_int_equal(hist_find(h, "c:0000000000000000000000000000000000000000000000000000000000004999")->n, HIST_SLOTS);
	assert_true(bytes < 20u << 20);
	assert_true(after.uordblks - before.uordblks < 20u << 20);
	hist_free(h);
}

/* A figure not known in a sample, and samples a row missed, are gaps. */
static void test_gaps(void **state)
{
	struct history *h = hist_new();
	const struct hist_row *hr;
	float cells[16];
	char buf[64];
	size_t n;
	struct cg_row a = fig(40, 0), none = { 0 };

	(void)state;
	feed(h, 0, &a);
	feed(h, 1, &none);
	feed(h, 2, &a);
	/* two samples without the row */
	for (int i = 3; i < 5; i++) {
		hist_begin(h, (uint64_t)i * SEC);
		hist_add(h, "p:/b", &a);
		hist_end(h);
	}
	feed(h, 5, &a);
	hr = hist_find(h, "p:/a");
	n = hist_cells(hr, HS_CPU, 16, cells);
	assert_int_equal(n, 6);
	assert_string_equal(hist_sparkline(buf, sizeof(buf), cells, n, 6, 0, false), "# #  #");
	assert_int_equal(hr->slots[(hr->first + 3) % HIST_SLOTS].t_ms, 3000);
	assert_int_equal(hr->slots[(hr->first + 4) % HIST_SLOTS].t_ms, 4000);
	/* the latest sample did not know the value: "now" is "-", the peak stays */
	feed(h, 6, &none);
	assert_true(isnan(hr->last[HS_CPU]));
	assert_true(hr->peak[HS_CPU] == 40);
	hist_free(h);
}

/* Rows not fed for HIST_FORGET samples are forgotten; a clear forgets everything. */
static void test_forget(void **state)
{
	struct history *h = hist_new();
	struct cg_row a = fig(1, 1);

	(void)state;
	feed(h, 0, &a);
	for (int i = 1; i < HIST_FORGET; i++) {
		hist_begin(h, (uint64_t)i * SEC);
		hist_add(h, "p:/b", &a);
		hist_end(h);
		assert_non_null(hist_find(h, "p:/a"));
	}
	hist_begin(h, (uint64_t)HIST_FORGET * SEC);
	hist_add(h, "p:/b", &a);
	hist_end(h);
	assert_null(hist_find(h, "p:/a"));
	assert_int_equal(hist_count(h), 1);
	for (int i = 0; i < 3000; i++) {
		char key[32];

		snprintf(key, sizeof(key), "p:/r%d", i);
		hist_add(h, key, &a);
	}
	assert_int_equal(hist_count(h), 3001);
	assert_non_null(hist_find(h, "p:/r2999"));
	hist_clear(h);
	assert_int_equal(hist_count(h), 0);
	assert_null(hist_find(h, "p:/b"));
	hist_free(h);
}

/* Display columns of a line as the screen draws it. */
static size_t cols(const char *s)
{
	return text_width(s);
}

/* The details screen's history panel: one line per figure, none wider than the
 * terminal, with the values of the samples. */
static void test_panel(void **state)
{
	struct history *h = hist_new();
	const struct hist_row *hr;
	char lines[HIST_PANEL_LINES][HIST_LINE_MAX];
	struct cg_row r = { 0 };
	int n;

	(void)state;
	for (int i = 0; i < 120; i++) {
		r = fig(i < 60 ? 2.0 : 95.5, (uint64_t)(100 + i) << 20);
		r.io_rbps = i * 1024.0;
		r.valid |= FIELD_BIT(F_IO_RBPS);
		feed(h, i, &r);
	}
	r.mem_limit = 512ull << 20;
	r.mem_peak = 300ull << 20;
	r.valid |= FIELD_BIT(F_MEM_LIMIT) | FIELD_BIT(F_MEM_PEAK);
	hr = hist_find(h, "p:/a");
	n = hist_panel(hr, &r, true, 80, lines);
	assert_int_equal(n, 7);
	for (int i = 0; i < n; i++) {
		print_message("%s|\n", lines[i]);
		assert_true(cols(lines[i]) <= 80);
	}
	assert_string_equal(lines[0], "History of the last 1m59s (120 samples, a cell the highest of up to 6s)");
	assert_int_equal(cols(lines[1]), 80 - 13);
	assert_non_null(strstr(lines[1], " min    2.0 max   95.5 now   95.5"));
	assert_true(strncmp(lines[1], "%CPU      \u2581", strlen("%CPU      \u2581")) == 0);
	assert_non_null(strstr(lines[1], "\u2588 min"));
	assert_non_null(strstr(lines[2], " min 100.0M max 219.0M now 219.0M limit 512.0M"));
	assert_int_equal(cols(lines[2]), 80);
	assert_non_null(strstr(lines[3], " min     0B max 119.0K now 119.0K"));
	assert_non_null(strstr(lines[4], " min      - max      - now      -"));
	assert_string_equal(lines[6], "Peak since start: %CPU 95.5  mem 219.0M (kernel's 300.0M)  I/O 119.0K/s");
	/* memory against its limit: 219M of 512M is the fourth level at most */
	assert_null(strstr(lines[2], "\u2585"));
	assert_non_null(strstr(lines[2], "\u2584"));
	/* ASCII, and narrow: cut at a column, never inside a character */
	n = hist_panel(hr, &r, false, 80, lines);
	for (int i = 0; i < n; i++)
		for (const char *p = lines[i]; *p; p++)
			assert_true((unsigned char)*p < 0x80);
	n = hist_panel(hr, &r, true, 50, lines);
	for (int i = 0; i < n; i++)
		assert_true(cols(lines[i]) <= 50);
	assert_string_equal(lines[1], "%CPU       min    2.0 max   95.5 now   95.5");
	hist_free(h);
}

/* The screen's way of feeding: the rows of a view, by their keys. */
static void test_feed_view(void **state)
{
	struct snapshot *s = snapshot_new();
	struct ctr_table t = { 0 };
	struct view v = { 0 };
	struct history *h = hist_new();
	size_t i = snapshot_row(s, "/", 1);
	const struct hist_row *hr;

	(void)state;
	s->rows[i].parent = -1;
	s->rows[i].tasks = 7;
	s->rows[i].valid = FIELD_BIT(F_TASKS);
	s->mono_ns = 5 * SEC;
	ctr_table_build(&t, s);
	view_build_cgroups(&v, s, &t);
	hist_feed_view(h, &v, s);
	hr = hist_find(h, "p:/");
	assert_non_null(hr);
	assert_true(hr->last[HS_TASKS] == 7);
	assert_int_equal(hist_order_series(ORDER_TASKS), HS_TASKS);
	view_free(&v);
	ctr_table_free(&t);
	snapshot_free(s);
	hist_free(h);
}

/* The pressure series: the worst "some" share of cpu, memory and io, from the row's
 * pressure block; none (NaN) without the block (a v1 cgroup), or with a block that knows
 * none of the three. */
static void test_pressure_value(void **state)
{
	struct arena arena = { 0 };
	struct cg_row r;

	(void)state;
	row_init(&r, &arena);
	assert_true(isnan(hist_value(&r, HS_PRESSURE)));
	/* a valid bit without its block says nothing either */
	r.valid = FIELD_BIT(F_PSI_MEM_SOME);
	assert_null(r.psi);
	assert_true(isnan(hist_value(&r, HS_PRESSURE)));
	/* a block of full shares only */
	r.valid = FIELD_BIT(F_PSI_CPU_FULL);
	row_psi_mk(&r)->percent[1] = 90.0;
	assert_true(isnan(hist_value(&r, HS_PRESSURE)));
	row_psi_mk(&r)->percent[0] = 12.0;
	row_psi_mk(&r)->percent[2] = 40.0;
	row_psi_mk(&r)->percent[4] = 5.0;
	r.valid |= FIELD_BIT(F_PSI_CPU_SOME) | FIELD_BIT(F_PSI_MEM_SOME) | FIELD_BIT(F_PSI_IO_SOME);
	assert_float_equal(hist_value(&r, HS_PRESSURE), 40.0, 1e-9);
	r.valid &= ~FIELD_BIT(F_PSI_MEM_SOME);
	assert_float_equal(hist_value(&r, HS_PRESSURE), 12.0, 1e-9);
	arena_free(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_one_point),
		cmocka_unit_test(test_constant),
		cmocka_unit_test(test_values_and_scaling),
		cmocka_unit_test(test_coalescing),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_5000_rows),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_forget),
		cmocka_unit_test(test_panel),
		cmocka_unit_test(test_feed_view),
		cmocka_unit_test(test_pressure_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
