/* The table of figures: every entry complete and consistent, and every output (text,
 * JSON, OpenMetrics, Prometheus, journal, recording) shows every figure it should, with
 * the value the row holds. A figure added to the table is checked here without a line
 * of this file changing. The same for the table of row attributes (JSON, journal,
 * metric labels); an attribute added needs a value on the fixture rows. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "fields.h"
#include "container.h"
#include "format.h"
#include "journal.h"
#include "openmetrics.h"
#include "output.h"
#include "record_codec.h"
#include "trouble.h"
#include "view.h"

/* A value for figure F unlike any other's: u64 figures 1000 + 7 * slot, rates 0.5 more;
 * words (a container's state and health) their last value. */
static double value_for(const struct figure *f)
{
	if (f->number == NUM_WORD)
		return f->id == F_CTR_STATE ? CST_DEAD : CHE_UNHEALTHY;
	return 1000.0 + 7.0 * (double)f->id + (fig_is_double(f) ? 0.5 : 0.0);
}

/* One cgroup row knowing every figure, estimated I/O so that recorded rates travel. */
static struct snapshot *full_sample(void)
{
	struct snapshot *s = snapshot_new();
	size_t i = snapshot_row(s, "/", 1);
	struct cg_row *r = &s->rows[i];

	s->mono_ns = 5000000000ull;
	s->real_ns = 1764590400000000000ull;
	r->io_source = IO_SRC_PROC;
	for (size_t k = 0; k < F_COUNT; k++) {
		const struct figure *f = &figures[k];

		if (f->kind == FIG_DERIVED)
			continue;
		if (fig_is_double(f))
			fig_set_double(f, r, value_for(f));
		else
			fig_set_u64(f, r, (uint64_t)value_for(f));
		r->valid |= FIELD_BIT(f->id);
	}
	/* %Lim needs memory below its limit */
	r->mem_limit = r->mem_usage * 4;
	return s;
}

static void test_entries_complete(void **state)
{
	bool seen[F_COUNT] = { false };
	bool slot[FIG_REC_SLOTS] = { false };

	(void)state;
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *f = &figures[i];

		assert_true(f->id < F_COUNT);
		assert_false(seen[f->id]);
		seen[f->id] = true;
		assert_ptr_equal(figure(f->id), f);
		assert_non_null(f->key);
		assert_non_null(f->title);
		for (size_t j = 0; j < i; j++) {
			assert_string_not_equal(f->key, figures[j].key);
			if (f->metric && figures[j].metric)
				assert_string_not_equal(f->metric, figures[j].metric);
		}
		if (f->show != SHOW_NEVER)
			assert_true(f->tui_width > 0 || f->text_width > 0);
		if (f->text_width || f->tui_width)
			assert_int_not_equal(f->show, SHOW_NEVER);
		if (f->kind == FIG_DERIVED) {
			/* for people only: made of figures the machine outputs carry */
			assert_non_null(f->derive);
			assert_null(f->metric);
			assert_int_equal(f->rec, REC_NONE);
			continue;
		}
		assert_null(f->derive);
		assert_non_null(f->help);
		/* words: in the info family cgtop_container_state_info, as labels */
		if (f->number == NUM_WORD) {
			assert_null(f->metric);
			assert_non_null(f->word);
		} else {
			assert_non_null(f->metric);
			assert_true(strncmp(f->metric, "cgtop_", 6) == 0);
		}
		assert_true(f->rec_slot >= 0 && f->rec_slot < FIG_REC_SLOTS);
		assert_false(fig_rec_row_slot(f->rec_slot));
		assert_false(slot[f->rec_slot]);
		slot[f->rec_slot] = true;
		assert_ptr_equal(fig_by_slot(f->rec_slot), f);
		if (f->kind == FIG_RATE || f->kind == FIG_RATIO || f->kind == FIG_DELTA ||
		    f->kind == FIG_SINCE) {
			const struct figure *c = figure(f->rate_of);

			/* made of a counter: of two samples and not recorded, or since the
			 * start and recorded (a replay has not the baseline) */
			assert_int_equal(c->kind, FIG_COUNTER);
			if (f->kind == FIG_RATE)
				assert_true(f->rate_divisor > 0);
			if (f->kind == FIG_RATIO)
				assert_int_equal(figure(f->ratio_of)->kind, FIG_COUNTER);
			if (f->kind == FIG_SINCE)
				assert_int_equal(f->rec, REC_VARINT);
			else
				assert_int_not_equal(f->rec, REC_VARINT);
			assert_true((fig_rate_bits() & FIELD_BIT(f->id)) != 0 || f->kind == FIG_SINCE);
		} else if (f->engine) {
			/* what the engine says travels in the container's metadata */
			assert_int_equal(f->rec, REC_NONE);
		} else {
			/* a u64 read from the kernel is recorded */
			assert_int_equal(f->rec, REC_VARINT);
			assert_int_not_equal(f->number, NUM_DECIMAL3);
		}
		if (f->unlimited_key)
			assert_true(f->limit);
	}
	for (size_t i = 0; i < F_COUNT; i++)
		assert_true(seen[i]);
	/* the first fifteen slots are those of recordings made before the table */
	assert_int_equal(figure(F_TASKS)->rec_slot, 0);
	assert_int_equal(figure(F_IO_WIOS)->rec_slot, 9);
	assert_int_equal(figure(F_IO_RBPS)->rec_slot, 11);
	assert_int_equal(figure(F_IO_WBPS)->rec_slot, 12);
}

/* The view of the full sample: one cgroup row. */
static void full_view(struct snapshot **s, struct view *v)
{
	*s = full_sample();
	view_build_cgroups(v, *s, NULL);
	assert_int_equal(v->n, 1);
}

static char *capture_text(const struct view *v, const struct snapshot *s, const struct options *o)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct sample smp = { .snap = s };

	assert_int_equal(output_text(f, NULL, v, &smp, o), 0);
	fclose(f);
	return out;
}

static void test_text_shows_every_column(void **state)
{
	struct snapshot *s;
	struct view v = { 0 };
	struct options o;

	(void)state;
	full_view(&s, &v);
	options_init(&o);
	for (int cpu_time = 0; cpu_time <= 1; cpu_time++) {
		char *out;

		o.cpu = cpu_time ? CPU_TIME : CPU_PERCENT;
		o.raw = true;
		out = capture_text(&v, s, &o);
		for (size_t i = 0; i < F_COUNT; i++) {
			const struct figure *f = &figures[i];
			char cell[64], want[80];

			if (!f->text_width)
				continue;
			if (!fig_column_shown(f, cpu_time)) {
				assert_null(strstr(out, f->title));
				continue;
			}
			/* the title in the header line, the exact value in the row */
			assert_non_null(strstr(out, f->title));
			snprintf(want, sizeof(want), " %s", fig_cell(f, &s->rows[0], CELL_RAW, cell, sizeof(cell)));
			assert_non_null(strstr(out, want));
		}
		free(out);
	}
	options_free(&o);
	view_free(&v);
	snapshot_free(s);
}

/* Line N (from 1) of TEXT, newly allocated. */
static char *nth_line(const char *text, int n)
{
	for (; n > 1 && text; n--) {
		text = strchr(text, '\n');
		text = text ? text + 1 : NULL;
	}
	assert_non_null(text);
	return strndup(text, strcspn(text, "\n"));
}

/* A log's columns stay put: a longer name in the second sample widens neither the header
 * nor the other rows (that name's own row is pushed), and %Lim is a column. */
static void test_text_widths_stay(void **state)
{
	static const char long_name[] = "/a-cgroup-name-longer-than-anything-before.slice";
	struct snapshot *s[2];
	struct view v[2] = { { 0 }, { 0 } };
	struct text_layout layout = { .n = 0 };
	struct options o;
	char *out[2], *head[2], *row[2], *wide_head;

	(void)state;
	options_init(&o);
	for (int k = 0; k < 2; k++) {
		s[k] = snapshot_new();
		s[k]->real_ns = 1764590400000000000ull + (uint64_t)k * 1000000000u;
		for (int i = 0; i < (k ? 2 : 1); i++) {
			const char *path = i ? long_name : "/short.slice";
			size_t r = snapshot_row(s[k], path, strlen(path));

			s[k]->rows[r].depth = 1;
			fig_set_u64(figure(F_TASKS), &s[k]->rows[r], 3);
			s[k]->rows[r].valid |= FIELD_BIT(F_TASKS);
			fig_set_u64(figure(F_MEM_USAGE), &s[k]->rows[r], 256u << 20);
			fig_set_u64(figure(F_MEM_LIMIT), &s[k]->rows[r], 1024u << 20);
			fig_set_u64(figure(F_MEM_WS), &s[k]->rows[r], 256u << 20);
			s[k]->rows[r].valid |= FIELD_BIT(F_MEM_USAGE) | FIELD_BIT(F_MEM_LIMIT) |
					       FIELD_BIT(F_MEM_WS);
		}
		view_build_cgroups(&v[k], s[k], NULL);
		view_sort(&v[k], ORDER_PATH, false, false);
	}
	for (int k = 0; k < 2; k++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		struct sample smp = { .snap = s[k] };

		assert_int_equal(output_text(f, &layout, &v[k], &smp, &o), 0);
		fclose(f);
		out[k] = text;
		head[k] = nth_line(text, 2);
		row[k] = nth_line(text, 3 + k); /* the long name sorts first */
		assert_non_null(strstr(row[k], "/short.slice "));
	}
	assert_string_equal(head[0], head[1]);
	assert_string_equal(row[0], row[1]);
	/* %Lim: a working set of 256M of 1G */
	assert_non_null(strstr(head[0], " Memory   WorkSet  %Lim "));
	assert_non_null(strstr(row[0], " 256.0M    25 "));
	/* the long name whole, one blank after it, its row the longer */
	assert_non_null(strstr(out[1], long_name));
	wide_head = nth_line(out[1], 3);
	assert_true(strlen(wide_head) > strlen(row[1]));
	free(wide_head);
	/* without the layout the second sample would widen every row: what a log must not do */
	{
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);
		struct sample smp = { .snap = s[1] };

		assert_int_equal(output_text(f, NULL, &v[1], &smp, &o), 0);
		fclose(f);
		wide_head = nth_line(text, 2);
		assert_string_not_equal(wide_head, head[0]);
		free(wide_head);
		free(text);
	}
	for (int k = 0; k < 2; k++) {
		free(out[k]);
		free(head[k]);
		free(row[k]);
		view_free(&v[k]);
		snapshot_free(s[k]);
	}
	options_free(&o);
}

static void test_json_shows_every_figure(void **state)
{
	struct snapshot *s;
	struct view v = { 0 };
	struct options o;
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	struct json_object *j;

	(void)state;
	full_view(&s, &v);
	options_init(&o);
	f = open_memstream(&out, &len);
	assert_int_equal(output_json(f, &v, &(struct sample){ .snap = s }, &o, 1), 0);
	fclose(f);
	j = json_tokener_parse(out);
	assert_non_null(j);
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *fig = &figures[i];
		struct json_object *val;
		double want;

		if (fig->kind == FIG_DERIVED)
			continue;
		assert_true(json_object_object_get_ex(j, fig->key, &val));
		assert_non_null(val);
		assert_true(fig_value(fig, &s->rows[0], &want));
		if (fig->number == NUM_WORD)
			assert_string_equal(json_object_get_string(val), fig->word((unsigned)want));
		else
			assert_float_equal(json_object_get_double(val), want, 0.5);
		if (fig->unlimited_key) {
			assert_true(json_object_object_get_ex(j, fig->unlimited_key, &val));
			assert_false(json_object_get_boolean(val));
		}
	}
	json_object_put(j);
	free(out);
	options_free(&o);
	view_free(&v);
	snapshot_free(s);
}

static void test_metrics_show_every_figure(void **state)
{
	struct snapshot *s;
	struct view v = { 0 };

	(void)state;
	full_view(&s, &v);
	for (int d = 0; d < 2; d++) {
		enum metrics_dialect dialect = d ? METRICS_PROMETHEUS : METRICS_OPENMETRICS;
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);

		assert_int_equal(output_metrics(f, &v, dialect, NULL), 0);
		fclose(f);
		for (size_t i = 0; i < F_COUNT; i++) {
			const struct figure *fig = &figures[i];
			bool counter = fig->kind == FIG_COUNTER;
			char type[160], sample[160], val[64];

			if (fig->kind == FIG_DERIVED)
				continue;
			if (fig->number == NUM_WORD) {
				/* the state and health: labels of one info sample */
				assert_non_null(strstr(out, d ? "# TYPE cgtop_container_state_info gauge\n"
							      : "# TYPE cgtop_container_state info\n"));
				assert_non_null(strstr(out, "cgtop_container_state_info{path=\"/\",name=\"/\",kind=\"cgroup\",state=\"dead\",health=\"unhealthy\"} 1\n"));
				continue;
			}
			snprintf(type, sizeof(type), "# TYPE %s%s %s\n", fig->metric,
				 counter && d ? "_total" : "", counter ? "counter" : "gauge");
			assert_non_null(strstr(out, type));
			snprintf(sample, sizeof(sample), "%s%s{path=\"/\",name=\"/\",kind=\"cgroup\"} %s\n",
				 fig->metric, counter ? "_total" : "",
				 fig_number(fig, &s->rows[0], true, val, sizeof(val)));
			assert_non_null(strstr(out, sample));
		}
		free(out);
	}
	view_free(&v);
	snapshot_free(s);
}

static void test_journal_shows_every_figure(void **state)
{
	struct snapshot *s;
	struct view v = { 0 };
	struct journal_entry e = { .n = 0 };

	(void)state;
	full_view(&s, &v);
	journal_entry_build(&e, &v.rows[0], 1);
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *fig = &figures[i];
		char key[64], val[64];

		if (fig->kind == FIG_DERIVED)
			continue;
		fig_journal_field(fig, key, sizeof(key));
		assert_non_null(journal_entry_get(&e, key));
		assert_string_equal(journal_entry_get(&e, key), fig_number(fig, &s->rows[0], false, val, sizeof(val)));
	}
	assert_string_equal(journal_entry_get(&e, "CGTOP_CPU_NS"), "1007");
	journal_entry_free(&e);
	view_free(&v);
	snapshot_free(s);
}

static void test_recording_keeps_every_figure(void **state)
{
	struct snapshot *s = full_sample();
	struct rec_encoder *enc = rec_encoder_new();
	struct buf b = { 0 };
	struct rec_sample rs;
	size_t used = 0;

	(void)state;
	rec_encode_sample(enc, &b, s, CG_MODE_HYBRID, NULL);
	assert_int_equal(rec_decode_sample(b.data, b.len, &used, &rs), 0);
	assert_int_equal(used, b.len);
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *f = &figures[i];

		if (f->rec == REC_NONE)
			continue;
		assert_true(row_has(&rs.snap->rows[0], f->id));
		if (f->rec == REC_VARINT)
			assert_int_equal(fig_u64(f, &rs.snap->rows[0]), fig_u64(f, &s->rows[0]));
		else
			assert_float_equal(fig_double(f, &rs.snap->rows[0]), fig_double(f, &s->rows[0]), 0);
	}
	rec_sample_free(&rs);
	buf_free(&b);
	rec_encoder_free(enc);
	snapshot_free(s);
}

static void test_groups_sum(void **state)
{
	struct arena arena = { 0 };
	struct cg_row a, b, sum;

	(void)state;
	row_init(&a, &arena);
	row_init(&b, &arena);
	row_init(&sum, &arena);
	a.mem_limit = 100;
	a.mem_usage = 10;
	a.cpu_percent = 1.5;
	a.valid = FIELD_BIT(F_MEM_LIMIT) | FIELD_BIT(F_MEM_USAGE) | FIELD_BIT(F_CPU_RATE);
	b.mem_limit = 50;
	b.mem_usage = 20;
	b.tasks = 3;
	b.valid = FIELD_BIT(F_MEM_LIMIT) | FIELD_BIT(F_MEM_USAGE) | FIELD_BIT(F_TASKS);
	fig_add_row(&sum, &a);
	fig_add_row(&sum, &b);
	assert_int_equal(sum.mem_limit, 50); /* the tightest limit */
	assert_int_equal(sum.mem_usage, 30);
	assert_int_equal(sum.tasks, 3);
	assert_float_equal(sum.cpu_percent, 1.5, 1e-12);
	assert_false(row_has(&sum, F_CPU_NS));
	arena_free(&arena);
}

/* The incident figures (the figures of struct cg_lim), and their defaults. */
static bool lim_figure(const struct figure *f)
{
	return f->block == BLK_LIM;
}

static bool lim_default(const struct figure *f, const struct cg_row *r)
{
	if (fig_is_double(f))
		return fig_double(f, r) == 0.0;
	return fig_u64(f, r) == (f->id == F_CPU_LIMIT ? UINT64_MAX : 0);
}

/* Defaults written into a row without the incident block make none, and it reads them;
 * any other value makes it, and the block's other figures read their defaults still. */
static void test_lim_block_one_value(void **state)
{
	struct arena arena = { 0 };
	size_t nlim = 0;

	(void)state;
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *f = &figures[i];
		struct cg_row r;

		if (!lim_figure(f))
			continue;
		nlim++;
		row_init(&r, &arena);
		for (size_t k = 0; k < F_COUNT; k++) {
			const struct figure *g = &figures[k];

			if (!lim_figure(g))
				continue;
			if (fig_is_double(g))
				fig_set_double(g, &r, 0.0);
			else
				fig_set_u64(g, &r, g->id == F_CPU_LIMIT ? UINT64_MAX : 0);
			r.valid |= FIELD_BIT(g->id);
		}
		assert_null(r.lim);
		for (size_t k = 0; k < F_COUNT; k++)
			if (lim_figure(&figures[k]))
				assert_true(lim_default(&figures[k], &r));
		/* one value off its default: a quota, one OOM kill, a share */
		if (fig_is_double(f))
			fig_set_double(f, &r, 12.5);
		else
			fig_set_u64(f, &r, f->id == F_CPU_LIMIT ? 200000000 : 1);
		assert_non_null(r.lim);
		for (size_t k = 0; k < F_COUNT; k++) {
			const struct figure *g = &figures[k];
			double d;

			if (!lim_figure(g))
				continue;
			assert_true(fig_value(g, &r, &d));
			if (g != f)
				assert_true(lim_default(g, &r));
			else
				assert_true(d == (fig_is_double(f) ? 12.5 : f->id == F_CPU_LIMIT ? 2e8 : 1.0));
		}
		/* with the block, a default is stored like any value */
		if (fig_is_double(f))
			fig_set_double(f, &r, 0.0);
		else
			fig_set_u64(f, &r, f->id == F_CPU_LIMIT ? UINT64_MAX : 0);
		assert_true(lim_default(f, &r));
	}
	assert_int_equal(nlim, 18);
	/* by member, as sampler_read.c sets them */
	{
		struct cg_row r;

		row_init(&r, &arena);
		ROW_LIM_SET(&r, cpu_limit, UINT64_MAX);
		ROW_LIM_SET(&r, cpu_throttled_percent, 0.0);
		ROW_LIM_SET(&r, mem_oom_kills, 0);
		assert_null(r.lim);
		ROW_LIM_SET(&r, mem_oom_kills, 1);
		assert_non_null(r.lim);
		assert_true(row_lim(&r)->cpu_limit == UINT64_MAX);
		assert_int_equal(row_lim(&r)->mem_oom_kills, 1);
		assert_int_equal(row_lim(&r)->pids_refused, 0);
	}
	arena_free(&arena);
}

/* Group sums of rows with and without the incident block are what they would be with
 * every value in the row: a member without the block and without a quota makes the
 * group's none (not 0, not ignored), its shares are 0 against the worst, its counts
 * add 0; a sum of members without the block has none either. */
static void test_lim_block_sums(void **state)
{
	struct arena arena = { 0 }, own = { 0 };
	struct cg_row a, b, z, sum, sum2, sum3;
	const fieldmask bits = FIELD_BIT(F_CPU_LIMIT) | FIELD_BIT(F_CPU_THROTTLED_PERCENT) |
			      FIELD_BIT(F_MEM_OOM_KILLS_NEW) | FIELD_BIT(F_PIDS_REFUSED) |
			      FIELD_BIT(F_CPU_THROTTLED_RATE);
	char cell[32];

	(void)state;
	row_init(&a, &arena);
	row_init(&b, &arena);
	row_init(&z, &arena);
	row_init(&sum, &own);
	row_init(&sum2, &own);
	row_init(&sum3, &own);
	ROW_LIM_SET(&a, cpu_limit, 200000000);
	ROW_LIM_SET(&a, cpu_throttled_percent, 97.5);
	ROW_LIM_SET(&a, cpu_throttled_rate, 0.25);
	ROW_LIM_SET(&a, mem_oom_kills_new, 1);
	ROW_LIM_SET(&a, pids_refused, 7);
	a.valid = bits;
	ROW_LIM_SET(&b, cpu_limit, 1500000000);
	ROW_LIM_SET(&b, cpu_throttled_percent, 3.0);
	ROW_LIM_SET(&b, mem_oom_kills_new, 2);
	b.valid = bits;
	/* Z: all of them known, all at their defaults: no block */
	ROW_LIM_SET(&z, cpu_limit, UINT64_MAX);
	ROW_LIM_SET(&z, cpu_throttled_percent, 0.0);
	ROW_LIM_SET(&z, mem_oom_kills_new, 0);
	z.valid = bits;
	assert_non_null(a.lim);
	assert_non_null(b.lim);
	assert_null(z.lim);

	/* with the block only: limits 0.2 + 1.5 CPUs, the worst share, counts added */
	fig_add_row(&sum, &a);
	fig_add_row(&sum, &b);
	assert_int_equal(fig_u64(figure(F_CPU_LIMIT), &sum), 1700000000);
	assert_float_equal(fig_double(figure(F_CPU_THROTTLED_PERCENT), &sum), 97.5, 1e-12);
	assert_float_equal(fig_double(figure(F_CPU_THROTTLED_RATE), &sum), 0.25, 1e-12);
	assert_int_equal(fig_u64(figure(F_MEM_OOM_KILLS_NEW), &sum), 3);
	assert_int_equal(fig_u64(figure(F_PIDS_REFUSED), &sum), 7);
	assert_true(sum.lim != a.lim && sum.lim != b.lim); /* its own */

	/* Z first, then A and B: Z has no quota, the group none; shares max(0, 97.5, 3);
	 * counts 0 + 1 + 2 */
	fig_add_row(&sum2, &z);
	assert_null(sum2.lim);
	fig_add_row(&sum2, &a);
	fig_add_row(&sum2, &b);
	assert_true(fig_u64(figure(F_CPU_LIMIT), &sum2) == UINT64_MAX);
	assert_false(fig_limited(figure(F_CPU_LIMIT), &sum2));
	assert_string_equal(fig_cell(figure(F_CPU_LIMIT), &sum2, 0, cell, sizeof(cell)), "max");
	assert_float_equal(fig_double(figure(F_CPU_THROTTLED_PERCENT), &sum2), 97.5, 1e-12);
	assert_int_equal(fig_u64(figure(F_MEM_OOM_KILLS_NEW), &sum2), 3);
	assert_int_equal(fig_u64(figure(F_PIDS_REFUSED), &sum2), 7);
	assert_true(sum2.valid == bits);

	/* B then Z: the same, the other way round */
	fig_add_row(&sum3, &b);
	fig_add_row(&sum3, &z);
	assert_true(fig_u64(figure(F_CPU_LIMIT), &sum3) == UINT64_MAX);
	assert_float_equal(fig_double(figure(F_CPU_THROTTLED_PERCENT), &sum3), 3.0, 1e-12);
	assert_int_equal(fig_u64(figure(F_MEM_OOM_KILLS_NEW), &sum3), 2);

	/* members without the block: a sum without one, reading the defaults */
	row_init(&sum3, &own);
	fig_add_row(&sum3, &z);
	fig_add_row(&sum3, &z);
	assert_null(sum3.lim);
	assert_true(sum3.valid == bits);
	assert_true(fig_u64(figure(F_CPU_LIMIT), &sum3) == UINT64_MAX);
	assert_string_equal(fig_cell(figure(F_MEM_OOM_KILLS_NEW), &sum3, 0, cell, sizeof(cell)), "0");
	arena_free(&arena);
	arena_free(&own);
}

/* Row "/q" of S, its throttling and OOM counters known, as given. */
static struct cg_row *lim_row(struct snapshot *s, uint64_t periods, uint64_t throttled,
			      uint64_t throttled_ns, uint64_t oom)
{
	size_t i = snapshot_row(s, "/q", 2); /* before s->rows: it may move them */
	struct cg_row *r = &s->rows[i];

	fig_set_u64(figure(F_CPU_PERIODS), r, periods);
	fig_set_u64(figure(F_CPU_THROTTLED), r, throttled);
	fig_set_u64(figure(F_CPU_THROTTLED_NS), r, throttled_ns);
	fig_set_u64(figure(F_MEM_OOM_KILLS), r, oom);
	r->valid |= FIELD_BIT(F_CPU_PERIODS) | FIELD_BIT(F_CPU_THROTTLED) |
		    FIELD_BIT(F_CPU_THROTTLED_NS) | FIELD_BIT(F_MEM_OOM_KILLS);
	return r;
}

/* Changes, shares and rates between two samples where only one row has the block: made
 * by the computation in the second (its counters moved from their defaults), and none
 * where the first had it and the counters went back (a cgroup made again): its changes
 * not known, rather than taken from the defaults. */
static void test_lim_block_rates(void **state)
{
	struct snapshot *p = snapshot_new(), *c = snapshot_new();
	struct cg_row *r;

	(void)state;
	/* before: all at 0, no block; after: 190 of 200 periods throttled, 1 s of it, an
	 * OOM kill */
	p->mono_ns = 10 * 1000000000ull;
	r = lim_row(p, 0, 0, 0, 0);
	assert_null(r->lim);
	c->mono_ns = 12 * 1000000000ull;
	r = lim_row(c, 200, 190, 1000000000, 1);
	snapshot_compute_rates(c, p);
	assert_non_null(r->lim);
	assert_true(row_has(r, F_CPU_THROTTLED_NEW) && row_has(r, F_CPU_THROTTLED_PERCENT) &&
		    row_has(r, F_CPU_THROTTLED_RATE) && row_has(r, F_MEM_OOM_KILLS_NEW));
	assert_int_equal(row_lim(r)->cpu_throttled_new, 190);
	assert_float_equal(row_lim(r)->cpu_throttled_percent, 95.0, 1e-9);
	assert_float_equal(row_lim(r)->cpu_throttled_rate, 0.5, 1e-9);
	assert_int_equal(row_lim(r)->mem_oom_kills_new, 1);
	assert_true(row_lim(r)->cpu_limit == UINT64_MAX);

	/* the other way: the block before, none after (counters back at 0) */
	snapshot_reset(p);
	snapshot_reset(c);
	p->mono_ns = 10 * 1000000000ull;
	r = lim_row(p, 200, 190, 1000000000, 3);
	assert_non_null(r->lim);
	c->mono_ns = 12 * 1000000000ull;
	r = lim_row(c, 0, 0, 0, 0);
	snapshot_compute_rates(c, p);
	assert_null(r->lim);
	assert_false(row_has(r, F_CPU_THROTTLED_NEW));
	assert_false(row_has(r, F_CPU_THROTTLED_PERCENT));
	assert_false(row_has(r, F_CPU_THROTTLED_RATE));
	assert_false(row_has(r, F_MEM_OOM_KILLS_NEW));

	/* neither has it, the counters known at 0: changes of 0 known, no share (no
	 * period elapsed), still no block */
	snapshot_reset(p);
	snapshot_reset(c);
	p->mono_ns = 10 * 1000000000ull;
	lim_row(p, 0, 0, 0, 0);
	c->mono_ns = 12 * 1000000000ull;
	r = lim_row(c, 0, 0, 0, 0);
	snapshot_compute_rates(c, p);
	assert_null(r->lim);
	assert_true(row_has(r, F_CPU_THROTTLED_NEW) && row_has(r, F_MEM_OOM_KILLS_NEW) &&
		    row_has(r, F_CPU_THROTTLED_RATE));
	assert_false(row_has(r, F_CPU_THROTTLED_PERCENT));
	assert_int_equal(fig_u64(figure(F_MEM_OOM_KILLS_NEW), r), 0);
	snapshot_free(p);
	snapshot_free(c);
}

/* Each figure's value lies inside the block the table says: pressure in the pressure
 * block, the namespace's figures in the network block, the engine's in the lifecycle
 * block, the incident figures (but the peak, the swap and the task limit) in theirs,
 * the rest in the row. */
static void test_figure_blocks(void **state)
{
	(void)state;
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *f = &figures[i];
		bool psi = f->id >= F_PSI_CPU_SOME_NS && f->id <= F_PSI_IO_FULL;
		bool lim = f->id >= F_CPU_LIMIT && f->id <= F_PIDS_REFUSED_SINCE && f->id != F_MEM_PEAK &&
			   f->id != F_MEM_SWAP && f->id != F_PIDS_LIMIT;
		size_t size = sizeof(struct cg_row);

		if (f->kind == FIG_DERIVED)
			continue;
		switch (f->block) {
		case BLK_ROW:
			assert_false(psi || lim || f->net || f->engine);
			break;
		case BLK_LIM:
			assert_true(lim);
			size = sizeof(struct cg_lim);
			break;
		case BLK_PSI:
			assert_true(psi);
			size = sizeof(struct cg_psi);
			break;
		case BLK_NET:
			assert_true(f->net);
			size = sizeof(struct cg_net);
			break;
		case BLK_LIFE:
			assert_true(f->engine);
			size = sizeof(struct cg_life);
			break;
		}
		assert_true(f->offset + sizeof(uint64_t) <= size);
	}
	print_message("sizeof(struct cg_row) %zu, cg_psi %zu, cg_net %zu, cg_life %zu, cg_lim %zu\n",
		      sizeof(struct cg_row), sizeof(struct cg_psi), sizeof(struct cg_net),
		      sizeof(struct cg_life), sizeof(struct cg_lim));
}

/* Group sums of rows with and without the blocks of pressure and network (snapshot.h):
 * a figure the sum knows only from a member with the block, the sum's blocks its own
 * (from its own arena), none made for members that have none; a valid bit whose block
 * is missing counts as not known, in a sum as in a cell. */
static void test_groups_sum_blocks(void **state)
{
	struct arena arena = { 0 }, own = { 0 };
	struct cg_row a, b, c, sum, sum2, odd;
	const struct figure *cpu_some = figure(F_PSI_CPU_SOME), *mem_full_ns = figure(F_PSI_MEM_FULL_NS);
	const struct figure *rx = figure(F_NET_RX_BYTES);
	char cell[32];
	double d;

	(void)state;
	row_init(&a, &arena);
	row_init(&b, &arena);
	row_init(&c, &arena);
	row_init(&odd, &arena);
	row_init(&sum, &own);
	row_init(&sum2, &own);
	/* A: pressure and a namespace of its own; B: neither (a v1 cgroup); C: pressure and
	 * a namespace counted elsewhere */
	fig_set_double(cpu_some, &a, 12.5);
	fig_set_u64(mem_full_ns, &a, 3000);
	row_net_mk(&a)->kind = NET_NS_OWN;
	row_net_mk(&a)->ino = 4026532301u;
	fig_set_u64(rx, &a, 1000);
	a.valid = FIELD_BIT(F_PSI_CPU_SOME) | FIELD_BIT(F_PSI_MEM_FULL_NS) | FIELD_BIT(F_NET_RX_BYTES);
	b.tasks = 4;
	b.valid = FIELD_BIT(F_TASKS);
	fig_set_double(cpu_some, &c, 40.0);
	fig_set_u64(mem_full_ns, &c, 500);
	row_net_mk(&c)->kind = NET_NS_SHARED;
	row_net_mk(&c)->holder = 7;
	c.valid = FIELD_BIT(F_PSI_CPU_SOME) | FIELD_BIT(F_PSI_MEM_FULL_NS);

	/* without blocks: the sum makes none */
	fig_add_row(&sum, &b);
	assert_null(sum.psi);
	assert_null(sum.net);
	assert_null(sum.life);
	assert_string_equal(fig_cell(cpu_some, &sum, 0, cell, sizeof(cell)), "-");
	assert_string_equal(fig_cell(rx, &sum, 0, cell, sizeof(cell)), "-");
	/* then one with: its values, in blocks of the sum's own */
	fig_add_row(&sum, &a);
	assert_non_null(sum.psi);
	assert_ptr_not_equal(sum.psi, a.psi);
	assert_non_null(sum.net);
	assert_ptr_not_equal(sum.net, a.net);
	assert_true(fig_value(cpu_some, &sum, &d));
	assert_float_equal(d, 12.5, 1e-12);
	assert_int_equal(fig_u64(mem_full_ns, &sum), 3000);
	assert_int_equal(fig_u64(rx, &sum), 1000);
	assert_int_equal(sum.net->kind, NET_NS_OWN);
	assert_int_equal(sum.net->ino, 4026532301u);
	assert_int_equal(sum.tasks, 4);
	/* and the third: the worst share, the stalled times added, the own namespace kept */
	fig_add_row(&sum, &c);
	assert_true(fig_value(cpu_some, &sum, &d));
	assert_float_equal(d, 40.0, 1e-12);
	assert_int_equal(fig_u64(mem_full_ns, &sum), 3500);
	assert_int_equal(sum.net->kind, NET_NS_OWN);
	assert_int_equal(fig_u64(rx, &sum), 1000);
	/* the members' blocks are untouched */
	assert_float_equal(a.psi->percent[0], 12.5, 1e-12);
	assert_int_equal(a.psi->ns[3], 3000);
	/* the other order: B after C; the namespace counted elsewhere says "shared" */
	fig_add_row(&sum2, &c);
	fig_add_row(&sum2, &b);
	assert_int_equal(row_net(&sum2)->kind, NET_NS_SHARED);
	assert_int_equal(row_net(&sum2)->holder, 7);
	assert_string_equal(fig_cell(rx, &sum2, 0, cell, sizeof(cell)), "shared");
	assert_int_equal(fig_u64(mem_full_ns, &sum2), 500);
	assert_int_equal(sum2.tasks, 4);
	/* a valid bit whose block is missing: not known, and not summed */
	odd.valid = FIELD_BIT(F_PSI_CPU_SOME) | FIELD_BIT(F_NET_RX_BYTES);
	assert_false(fig_value(cpu_some, &odd, &d));
	assert_false(fig_limited(rx, &odd));
	assert_null(fig_number(rx, &odd, false, cell, sizeof(cell)));
	assert_string_equal(fig_cell(cpu_some, &odd, 0, cell, sizeof(cell)), "-");
	assert_int_equal(fig_u64(rx, &odd), 0);
	row_init(&sum2, &own);
	fig_add_row(&sum2, &odd);
	assert_false(row_has(&sum2, F_PSI_CPU_SOME));
	assert_null(sum2.psi);
	/* a copy of a row has blocks of its own */
	row_init(&sum2, &own);
	row_copy(&sum2, &a);
	assert_ptr_equal(sum2.arena, &own);
	assert_ptr_not_equal(sum2.psi, a.psi);
	assert_ptr_not_equal(sum2.net, a.net);
	assert_float_equal(sum2.psi->percent[0], 12.5, 1e-12);
	assert_int_equal(sum2.net->rx_bytes, 1000);
	arena_free(&arena);
	arena_free(&own);
}

/* %Lim is the working set's share of the memory limit, not the usage's: page cache the
 * kernel can reclaim before an OOM kill is left out; '-' without a working set. */
static void test_limit_percent_of_working_set(void **state)
{
	struct cg_row r = { 0 };
	char cell[32];

	(void)state;
	r.mem_usage = 900 * 1048576ull;  /* 900M used, 700M of it inactive page cache */
	r.mem_ws = 200 * 1048576ull;
	r.mem_limit = 1024 * 1048576ull;
	r.valid = FIELD_BIT(F_MEM_USAGE) | FIELD_BIT(F_MEM_WS) | FIELD_BIT(F_MEM_LIMIT);
	assert_string_equal(fig_cell(figure(F_MEM_PERCENT), &r, 0, cell, sizeof(cell)), "20");
	assert_string_equal(fig_cell(figure(F_MEM_WS), &r, 0, cell, sizeof(cell)), "200.0M");
	r.valid &= ~FIELD_BIT(F_MEM_WS);
	assert_string_equal(fig_cell(figure(F_MEM_PERCENT), &r, 0, cell, sizeof(cell)), "-");
	r.valid |= FIELD_BIT(F_MEM_WS);
	r.mem_limit = UINT64_MAX;
	assert_string_equal(fig_cell(figure(F_MEM_PERCENT), &r, 0, cell, sizeof(cell)), "-");
}

/* CPU and task limits add up (what the members may use together), and none when a member
 * has none; a share of time throttled or stalled is the worst member's; events add up. */
static void test_groups_sum_signals(void **state)
{
	struct arena arena = { 0 };
	struct cg_row a, b, c, sum, sum2;
	const fieldmask bits = FIELD_BIT(F_CPU_LIMIT) | FIELD_BIT(F_PIDS_LIMIT) |
			      FIELD_BIT(F_CPU_THROTTLED_PERCENT) | FIELD_BIT(F_PSI_CPU_SOME) |
			      FIELD_BIT(F_MEM_OOM_KILLS_NEW) | FIELD_BIT(F_CPU_RATE);
	char cell[32];

	(void)state;
	row_init(&a, &arena);
	row_init(&b, &arena);
	row_init(&c, &arena);
	row_init(&sum, &arena);
	row_init(&sum2, &arena);
	ROW_LIM_SET(&a, cpu_limit, 200000000); /* --cpus=0.2 */
	a.pids_limit = 5;
	ROW_LIM_SET(&a, cpu_throttled_percent, 97.5);
	row_psi_mk(&a)->percent[0] = 12.5;
	ROW_LIM_SET(&a, mem_oom_kills_new, 1);
	a.cpu_percent = 19.0;
	a.valid = bits;
	ROW_LIM_SET(&b, cpu_limit, 1500000000);
	b.pids_limit = 100;
	ROW_LIM_SET(&b, cpu_throttled_percent, 3.0);
	row_psi_mk(&b)->percent[0] = 40.0;
	ROW_LIM_SET(&b, mem_oom_kills_new, 2);
	b.cpu_percent = 1.0;
	b.valid = bits;
	fig_add_row(&sum, &a);
	fig_add_row(&sum, &b);
	assert_int_equal(row_lim(&sum)->cpu_limit, 1700000000);
	assert_int_equal(sum.pids_limit, 105);
	assert_float_equal(row_lim(&sum)->cpu_throttled_percent, 97.5, 1e-12);
	assert_float_equal(row_psi(&sum)->percent[0], 40.0, 1e-12);
	assert_int_equal(row_lim(&sum)->mem_oom_kills_new, 3);
	assert_string_equal(fig_cell(figure(F_CPU_LIMIT), &sum, 0, cell, sizeof(cell)), "1.70");
	/* CPU use as a percentage of the limit: 20% of a CPU against 1.7 CPUs */
	assert_string_equal(fig_cell(figure(F_CPU_LIMIT_PERCENT), &sum, 0, cell, sizeof(cell)), "12");
	assert_string_equal(fig_cell(figure(F_CPU_LIMIT_PERCENT), &a, 0, cell, sizeof(cell)), "95");
	/* a member without a limit: the group has none */
	ROW_LIM_SET(&c, cpu_limit, UINT64_MAX);
	c.pids_limit = UINT64_MAX;
	c.valid = FIELD_BIT(F_CPU_LIMIT) | FIELD_BIT(F_PIDS_LIMIT);
	fig_add_row(&sum2, &a);
	fig_add_row(&sum2, &c);
	fig_add_row(&sum2, &b);
	assert_true(row_lim(&sum2)->cpu_limit == UINT64_MAX);
	assert_true(sum2.pids_limit == UINT64_MAX);
	assert_false(fig_limited(figure(F_CPU_LIMIT), &sum2));
	assert_string_equal(fig_cell(figure(F_PIDS_LIMIT), &sum2, 0, cell, sizeof(cell)), "max");
	assert_string_equal(fig_cell(figure(F_CPU_LIMIT_PERCENT), &sum2, 0, cell, sizeof(cell)), "-");
	/* not known anywhere: '-', never 0 */
	assert_string_equal(fig_cell(figure(F_MEM_OOM_KILLS), &sum2, 0, cell, sizeof(cell)), "-");
	assert_string_equal(fig_cell(figure(F_PSI_MEM_FULL), &sum2, 0, cell, sizeof(cell)), "-");
	arena_free(&arena);
}

/* ---- the table of row attributes ---- */

/* journald's rule for a field name: capitals, digits and '_', at most 64 bytes, not
 * starting with '_' (those are journald's own) */
static bool journal_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || s[0] == '_' || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* [a-zA-Z_][a-zA-Z0-9_]* */
static bool label_name_ok(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

/* Whether KEY is a figure's JSON key (or a limit's "unlimited" key). */
static bool figure_key(const char *key)
{
	for (size_t i = 0; i < F_COUNT; i++)
		if (strcmp(figures[i].key, key) == 0 ||
		    (figures[i].unlimited_key && strcmp(figures[i].unlimited_key, key) == 0))
			return true;
	return false;
}

static void test_attrs_complete(void **state)
{
	int nlabels = 0;

	(void)state;
	assert_true(row_attrs_n > 0 && row_attrs_n <= 64);
	for (size_t i = 0; i < row_attrs_n; i++) {
		const struct row_attr *a = &row_attrs[i];
		bool json = false;

		assert_non_null(a->get);
		for (int o = 0; o < AOBJ_COUNT; o++) {
			if (!a->json[o])
				continue;
			json = true;
			assert_true(label_name_ok(a->json[o])); /* lower-case words, like the figures' */
			/* unique in its object, the figures' keys included where figures go */
			for (size_t j = 0; j < i; j++)
				if (row_attrs[j].json[o])
					assert_string_not_equal(a->json[o], row_attrs[j].json[o]);
			if (o != AOBJ_CONTAINER)
				assert_false(figure_key(a->json[o]));
		}
		/* at least one output writes it */
		assert_true(json || a->journal || a->label);
		/* the container object is the value of an ATTR_OBJECT, not one itself */
		if (a->type == ATTR_OBJECT)
			assert_null(a->json[AOBJ_CONTAINER]);
		if (a->row_if)
			assert_non_null(a->json[AOBJ_ROW]);
		if (a->json_tail)
			assert_true(a->json[AOBJ_ROW] || a->json[AOBJ_EVENT] || a->json[AOBJ_LIFE]);
		if (a->journal) {
			char field[64];

			assert_true(strncmp(a->journal, "CGTOP_", 6) == 0);
			assert_true(journal_name_ok(a->journal));
			/* a map's prefix leaves room for a key */
			if (a->type == ATTR_MAP)
				assert_true(a->journal[strlen(a->journal) - 1] == '_' && strlen(a->journal) < 48);
			assert_true(a->type == ATTR_STRING || a->type == ATTR_INT || a->type == ATTR_MAP);
			assert_int_not_equal(a->journal_in, 0);
			assert_int_equal(a->journal_in & ~(ATTR_IN(AOBJ_ROW) | ATTR_IN(AOBJ_EVENT) | ATTR_IN(AOBJ_LIFE)), 0);
			for (size_t j = 0; j < i; j++)
				if (row_attrs[j].journal)
					assert_string_not_equal(a->journal, row_attrs[j].journal);
			for (size_t f = 0; f < F_COUNT; f++)
				assert_string_not_equal(a->journal, fig_journal_field(&figures[f], field, sizeof(field)));
		} else {
			assert_int_equal(a->journal_in, 0);
			assert_null(a->journal_if);
		}
		if (a->label) {
			assert_true(label_name_ok(a->label));
			assert_int_equal(a->type, ATTR_STRING);
			assert_true(a->label_pos > 0);
			assert_ptr_equal(attr_by_label_pos(a->label_pos), a);
			/* the info family's own labels are the state and health figures' keys */
			assert_string_not_equal(a->label, figure(F_CTR_STATE)->key);
			assert_string_not_equal(a->label, figure(F_CTR_HEALTH)->key);
			for (size_t j = 0; j < i; j++)
				if (row_attrs[j].label) {
					assert_string_not_equal(a->label, row_attrs[j].label);
					assert_int_not_equal(a->label_pos, row_attrs[j].label_pos);
				}
			nlabels++;
		} else {
			assert_int_equal(a->label_pos, 0);
		}
	}
	/* the labels' places are 1 … n, none left out */
	for (int pos = 1; pos <= nlabels; pos++)
		assert_non_null(attr_by_label_pos(pos));
	assert_null(attr_by_label_pos(nlabels + 1));
	assert_string_equal(view_kind_name(VIEW_CONTAINER), "container");
	assert_string_equal(view_kind_name(VIEW_GROUP), "group");
	assert_string_equal(view_kind_name(VIEW_CGROUP), "cgroup");
}

/* Rows with a value for every attribute: a container (an OOM kill, a lifecycle event,
 * every piece of metadata, I/O, a shared network namespace), a group, a pod's own
 * cgroup. Names and labels hold bytes the outputs must escape. */
#define AFX_ROWS 3
static struct {
	char *keys[7], *vals[7], *pod_keys[2], *pod_vals[2];
	struct ctr_cgroups *cgroups;
	struct container_meta meta, pod_meta;
	struct container_info ctr, pod;
	struct cg_row fig[AFX_ROWS];
	struct view_row rows[AFX_ROWS];
	struct view v;
	struct snapshot snap;
	char ts[64];
} afx;

static const char afx_host[] = "ctl0\x1b";
/* the blocks of afx's rows: rewound by each fixture, kept (reachable) till the end */
static struct arena afx_arena;

static void attr_fixture(void)
{
	static char k0[] = "config_id", v0[] = "tripleo_step3", k1[] = "managed_by", v1[] = "paunch",
		    k2[] = "io.kubernetes.pod.name", v2[] = "web-1\x1b", k3[] = "io.kubernetes.pod.namespace",
		    v3[] = "prod\n", k4[] = "container_name", v4[] = "keystone", k5[] = "weird key!",
		    v5[] = "x\"y\\", k6[] = "empty", v6[] = "";
	/* "0::/system.slice/docker-b25aa6e03826.scope" and "memory:/x\n" */
	static const char *const hier_names[] = { "0:", "memory" };
	static char id[] = "b25aa6e03826d42d0d4ad6788365cc7e", name[] = "keystone\x01",
		    engine_name[] = "keystone\t", image[] = "rhosp13/keystone:13.0\n", st[] = "running",
		    health[] = "unhealthy";

	container_cgroups_free(afx.cgroups);
	memset(&afx, 0, sizeof(afx));
	afx.keys[0] = k0, afx.keys[1] = k1, afx.keys[2] = k2, afx.keys[3] = k3, afx.keys[4] = k4;
	afx.keys[5] = k5, afx.keys[6] = k6;
	afx.vals[0] = v0, afx.vals[1] = v1, afx.vals[2] = v2, afx.vals[3] = v3, afx.vals[4] = v4;
	afx.vals[5] = v5, afx.vals[6] = v6;
	afx.pod_keys[0] = k2, afx.pod_keys[1] = k3, afx.pod_vals[0] = v2, afx.pod_vals[1] = v3;
	container_cgroups_add(&afx.cgroups, hier_names, "/system.slice/docker-b25aa6e03826.scope", 1);
	container_cgroups_add(&afx.cgroups, hier_names, "/x\n", 2);
	afx.meta = (struct container_meta){ .id = id, .name = name, .engine_name = engine_name,
					    .image = image, .state = st, .health = health, .main_pid = 4242, .nlabels = 7,
					    .label_keys = afx.keys, .label_values = afx.vals };
	snprintf(afx.meta.life.health_log, sizeof(afx.meta.life.health_log), "curl: (7) failed\n\x1b[31m");
	afx.ctr = (struct container_info){ .ref = { .runtime = RT_DOCKER, .id = "b25aa6e03826d42d0d4ad6788365cc7e" },
					   .unknown_name = "?b25aa6e03826", .meta = &afx.meta,
					   .path = "/system.slice/docker-b25aa6e03826.scope", .cgroups = afx.cgroups };
	afx.pod_meta = (struct container_meta){ .nlabels = 2, .label_keys = afx.pod_keys,
						.label_values = afx.pod_vals };
	afx.pod = (struct container_info){ .unknown_name = "?3f1e2d4c8b7a", .meta = &afx.pod_meta,
					   .path = "/kubepods/pod3f1e2d4c" };
	arena_reset(&afx_arena);
	for (int i = 0; i < AFX_ROWS; i++) {
		row_init(&afx.fig[i], &afx_arena);
		afx.fig[i].depth = (unsigned)i + 1;
		afx.fig[i].tasks = 10 + (unsigned)i;
		afx.fig[i].valid = FIELD_BIT(F_TASKS);
	}
	ROW_LIM_SET(&afx.fig[0], mem_oom_kills_new, 1);
	afx.fig[0].mem_limit = 64ull << 20;
	row_life_mk(&afx.fig[0])->state = CST_RUNNING;
	row_life_mk(&afx.fig[0])->health = CHE_UNHEALTHY;
	row_life_mk(&afx.fig[0])->events = CTR_EV_UNHEALTHY | CTR_EV_RESTART;
	afx.fig[0].io_source = IO_SRC_IOSTAT;
	afx.fig[0].io_rbytes = 4096;
	row_net_mk(&afx.fig[0])->kind = NET_NS_SHARED;
	afx.fig[0].valid |= FIELD_BIT(F_MEM_OOM_KILLS_NEW) | FIELD_BIT(F_MEM_LIMIT) | FIELD_BIT(F_CTR_STATE) |
			    FIELD_BIT(F_CTR_HEALTH) | FIELD_BIT(F_IO_RBYTES);
	afx.rows[0] = (struct view_row){ .kind = VIEW_CONTAINER, .name = "keystone\x01", .name_known = true,
					 .path = afx.ctr.path, .ctr = &afx.ctr, .fig = &afx.fig[0],
					 .net_shared_with = "nova_api\n", .parent = -1 };
	afx.rows[1] = (struct view_row){ .kind = VIEW_GROUP, .name = "tripleo_step\x7f", .path = "",
					 .fig = &afx.fig[1], .ngroup = 4, .parent = -1 };
	afx.rows[2] = (struct view_row){ .kind = VIEW_CGROUP, .name = afx.pod.path, .path = afx.pod.path,
					 .pod = &afx.pod, .fig = &afx.fig[2], .parent = -1 };
	afx.v = (struct view){ .rows = afx.rows, .n = AFX_ROWS };
	afx.snap.real_ns = 1764590400000000000ull;
	format_rfc3339(afx.ts, sizeof(afx.ts), afx.snap.real_ns);
}

/* What an output carried of each attribute (a value, not null or left out). */
enum { OUT_JSON, OUT_JOURNAL, OUT_LABELS, OUTS };
static int carried[64][OUTS];

/* JSON object O of kind OBJ for R written with X: every key an attribute's or a
 * figure's, every attribute of OBJ there with R's value (null when it has none). */
static void check_json_attrs(struct json_object *o, enum attr_obj obj, const struct view_row *r,
			     const struct attr_ctx *x)
{
	json_object_object_foreach(o, key, unused) {
		bool known = obj != AOBJ_CONTAINER && figure_key(key);

		(void)unused;
		for (size_t i = 0; i < row_attrs_n && !known; i++)
			known = row_attrs[i].json[obj] && strcmp(row_attrs[i].json[obj], key) == 0;
		if (!known)
			fail_msg("JSON key %s is in no table", key);
	}
	for (size_t i = 0; i < row_attrs_n; i++) {
		const struct row_attr *a = &row_attrs[i];
		struct attr_val v = { 0 };
		struct json_object *val = NULL;
		bool present;

		if (!a->json[obj])
			continue;
		present = json_object_object_get_ex(o, a->json[obj], &val);
		if (obj == AOBJ_ROW && a->row_if && !a->row_if(r)) {
			assert_false(present);
			continue;
		}
		assert_true(present);
		if (!a->get(r, x, &v)) {
			assert_null(val);
			continue;
		}
		assert_non_null(val);
		carried[i][OUT_JSON]++;
		switch (a->type) {
		case ATTR_STRING: {
			char *want = sanitize_dup(v.s);

			assert_string_equal(json_object_get_string(val), want);
			free(want);
			break;
		}
		case ATTR_INT:
			assert_int_equal(json_object_get_int64(val), v.n);
			break;
		case ATTR_BOOL:
			assert_int_equal(json_object_get_boolean(val), v.b);
			break;
		case ATTR_MAP:
			assert_int_equal(json_object_object_length(val), v.count);
			for (size_t k = 0; k < v.count; k++) {
				char *name = sanitize_dup(v.keys[k]), *want = sanitize_dup(v.vals[k]);
				struct json_object *item;

				assert_true(json_object_object_get_ex(val, name, &item));
				assert_string_equal(json_object_get_string(item), want);
				free(name);
				free(want);
			}
			break;
		case ATTR_LIST:
			assert_int_equal(json_object_array_length(val), v.count);
			for (size_t k = 0; k < v.count; k++) {
				char *want = sanitize_dup(v.vals[k]);

				assert_string_equal(json_object_get_string(json_object_array_get_idx(val, k)), want);
				free(want);
			}
			break;
		case ATTR_OBJECT:
			check_json_attrs(val, AOBJ_CONTAINER, r, x);
			break;
		}
		attr_val_free(&v);
	}
}

/* X for R's object of kind OBJ: an event's kinds, text and priority (WHAT, KINDS its
 * room); false when R had no such event. */
static bool event_ctx(enum attr_obj obj, const struct view_row *r, struct attr_ctx *x, char *what,
		      char *kinds)
{
	if (obj == AOBJ_EVENT) {
		if (!trouble_event_row(r) || !trouble_event(r->fig, what, 256))
			return false;
		x->event = trouble_event_kinds(r->fig, kinds, 64);
		x->message = what;
		x->priority = 4;
	} else if (obj == AOBJ_LIFE) {
		if (!trouble_life_event(r, what, 256, kinds, 64, &x->priority))
			return false;
		x->event = kinds;
		x->message = what;
	}
	return true;
}

/* Line N (from 0) of OUT parsed. */
static struct json_object *json_line(const char *out, size_t n)
{
	char *line = nth_line(out, (int)n + 1);
	struct json_object *j = json_tokener_parse(line);

	assert_non_null(j);
	free(line);
	return j;
}

/* The JSON rows and both kinds of event objects carry every attribute of theirs. */
static void test_json_carries_every_attribute(void **state)
{
	struct options o;
	struct sample smp;
	char *out = NULL;
	size_t len = 0, line = 0;
	FILE *f;

	(void)state;
	attr_fixture();
	memset(carried, 0, sizeof(carried));
	options_init(&o);
	smp = (struct sample){ .snap = &afx.snap, .hostname = afx_host };
	f = open_memstream(&out, &len);
	assert_int_equal(output_json(f, &afx.v, &smp, &o, 7), 0);
	fclose(f);
	for (enum attr_obj obj = AOBJ_ROW; obj <= AOBJ_LIFE; obj++)
		for (size_t k = 0; k < afx.v.n; k++) {
			const struct view_row *r = &afx.rows[k];
			struct attr_ctx x = { .time = afx.ts, .host = afx_host, .iteration = 7 };
			char what[256], kinds[64];
			struct json_object *j;

			if (!event_ctx(obj, r, &x, what, kinds))
				continue;
			j = json_line(out, line++);
			check_json_attrs(j, obj, r, &x);
			json_object_put(j);
		}
	/* three rows, an OOM kill, a lifecycle event, nothing else */
	assert_int_equal(line, 5);
	for (const char *p = out; (p = strchr(p, '\n')); p++)
		len--;
	assert_int_equal(len, strlen(out) - 5);
	for (size_t i = 0; i < row_attrs_n; i++) {
		const struct row_attr *a = &row_attrs[i];

		if (a->json[AOBJ_ROW] || a->json[AOBJ_EVENT] || a->json[AOBJ_LIFE] || a->json[AOBJ_CONTAINER])
			if (!carried[i][OUT_JSON])
				fail_msg("no fixture row has a JSON value for attribute %zu", i);
	}
	free(out);
	options_free(&o);
}

/* A map's field: PREFIX and KEY in capitals, anything but letters and digits '_'. */
static void map_field(char *buf, size_t len, const char *prefix, const char *key)
{
	size_t n = (size_t)snprintf(buf, len, "%s", prefix);

	for (; *key && n + 1 < len && n < 64; key++)
		buf[n++] = (*key >= 'a' && *key <= 'z') ? (char)(*key - 'a' + 'A') :
			   ((*key >= 'A' && *key <= 'Z') || (*key >= '0' && *key <= '9')) ? *key : '_';
	buf[n] = '\0';
}

/* The journal's entries (rows, events, lifecycle events) carry every attribute of theirs
 * that has a value, sanitized, and no CGTOP_ field outside the tables. */
static void test_journal_carries_every_attribute(void **state)
{
	(void)state;
	attr_fixture();
	memset(carried, 0, sizeof(carried));
	for (enum attr_obj obj = AOBJ_ROW; obj <= AOBJ_LIFE; obj++)
		for (size_t k = 0; k < afx.v.n; k++) {
			const struct view_row *r = &afx.rows[k];
			struct attr_ctx x = { .host = afx_host, .iteration = 7 };
			struct journal_entry e = { .n = 0 };
			char what[256], kinds[64];

			assert_int_equal(journal_build(&e, r, obj, &x), event_ctx(obj, r, &x, what, kinds));
			if (!event_ctx(obj, r, &x, what, kinds))
				continue;
			/* every CGTOP_ field a figure's or an attribute's */
			for (size_t i = 0; i < e.n; i++) {
				bool known = strncmp(e.field[i], "CGTOP_", 6) != 0;
				size_t kl = strcspn(e.field[i], "=");

				for (size_t f = 0; f < F_COUNT && !known; f++) {
					char field[64];

					fig_journal_field(&figures[f], field, sizeof(field));
					known = strlen(field) == kl && strncmp(e.field[i], field, kl) == 0;
				}
				for (size_t a = 0; a < row_attrs_n && !known; a++) {
					const char *j = row_attrs[a].journal;

					known = j && (row_attrs[a].type == ATTR_MAP ? strncmp(e.field[i], j, strlen(j)) == 0 :
						      strlen(j) == kl && strncmp(e.field[i], j, kl) == 0);
				}
				if (!known)
					fail_msg("journal field %s is in no table", e.field[i]);
			}
			for (size_t i = 0; i < row_attrs_n; i++) {
				const struct row_attr *a = &row_attrs[i];
				struct attr_val v = { 0 };
				bool want;

				if (!a->journal)
					continue;
				want = (a->journal_in & ATTR_IN(obj)) && (!a->journal_if || a->journal_if(r)) &&
				       a->get(r, &x, &v);
				if (a->type == ATTR_MAP) {
					for (size_t m = 0; want && m < v.count; m++) {
						char field[80], *clean = sanitize_dup(v.vals[m]);

						map_field(field, sizeof(field), a->journal, v.keys[m]);
						if (*clean)
							assert_string_equal(journal_entry_get(&e, field), clean);
						else
							assert_null(journal_entry_get(&e, field));
						free(clean);
					}
					if (want && v.count)
						carried[i][OUT_JOURNAL]++;
				} else if (a->type == ATTR_INT) {
					char num[32];

					if (want) {
						snprintf(num, sizeof(num), "%lld", (long long)v.n);
						assert_string_equal(journal_entry_get(&e, a->journal), num);
						carried[i][OUT_JOURNAL]++;
					} else {
						assert_null(journal_entry_get(&e, a->journal));
					}
				} else if (want && v.s && *v.s) {
					char *clean = sanitize_dup(v.s);

					assert_string_equal(journal_entry_get(&e, a->journal), clean);
					carried[i][OUT_JOURNAL]++;
					free(clean);
				} else {
					assert_null(journal_entry_get(&e, a->journal));
				}
				attr_val_free(&v);
			}
			journal_entry_free(&e);
		}
	for (size_t i = 0; i < row_attrs_n; i++)
		if (row_attrs[i].journal && !carried[i][OUT_JOURNAL])
			fail_msg("no fixture entry has journal field %s", row_attrs[i].journal);
}

/* Every sample of a row carries the row's labels, in their places, and no other. */
static void test_metrics_carry_every_attribute(void **state)
{
	(void)state;
	attr_fixture();
	memset(carried, 0, sizeof(carried));
	for (int d = 0; d < 2; d++) {
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);
		const char *p = out;

		assert_int_equal(output_metrics(f, &afx.v, d ? METRICS_PROMETHEUS : METRICS_OPENMETRICS, afx_host), 0);
		fclose(f);
		p = out;
		for (size_t k = 0; k < afx.v.n; k++) {
			const struct view_row *r = &afx.rows[k];
			const struct attr_ctx x = { .host = afx_host };
			const char *sample = strstr(p, "\ncgtop_tasks{");
			char *line;
			size_t at = 0;
			int nlabels = 0;

			assert_non_null(sample);
			line = strndup(sample + 12, strcspn(sample + 1, "\n") - 11);
			p = sample + 1;
			for (int pos = 1; attr_by_label_pos(pos); pos++) {
				const struct row_attr *a = attr_by_label_pos(pos);
				struct attr_val v = { 0 };
				char want[512], *val;
				const char *hit;

				if (!a->get(r, &x, &v) || !v.s || !*v.s) {
					snprintf(want, sizeof(want), "%s=\"", a->label);
					hit = strstr(line, want);
					assert_true(!hit || (hit[-1] != '{' && hit[-1] != ','));
					attr_val_free(&v);
					continue;
				}
				val = metrics_label_value(v.s);
				snprintf(want, sizeof(want), "%s%s=\"%s\"", nlabels ? "," : "{", a->label, val);
				hit = strstr(line + at, want);
				if (!hit)
					fail_msg("row %zu: no %s in %s", k, want, line);
				at = (size_t)(hit - line) + strlen(want); /* in its place */
				nlabels++;
				carried[a - row_attrs][OUT_LABELS]++;
				free(val);
				attr_val_free(&v);
			}
			/* nothing but them */
			assert_int_equal(line[at], '}');
			free(line);
		}
		free(out);
	}
	for (size_t i = 0; i < row_attrs_n; i++)
		if (row_attrs[i].label && !carried[i][OUT_LABELS])
			fail_msg("no fixture row has metric label %s", row_attrs[i].label);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_complete),
		cmocka_unit_test(test_limit_percent_of_working_set),
		cmocka_unit_test(test_text_shows_every_column),
		cmocka_unit_test(test_text_widths_stay),
		cmocka_unit_test(test_json_shows_every_figure),
		cmocka_unit_test(test_metrics_show_every_figure),
		cmocka_unit_test(test_journal_shows_every_figure),
		cmocka_unit_test(test_recording_keeps_every_figure),
		cmocka_unit_test(test_groups_sum),
		cmocka_unit_test(test_groups_sum_signals),
		cmocka_unit_test(test_groups_sum_blocks),
		cmocka_unit_test(test_figure_blocks),
		cmocka_unit_test(test_lim_block_one_value),
		cmocka_unit_test(test_lim_block_sums),
		cmocka_unit_test(test_lim_block_rates),
		cmocka_unit_test(test_attrs_complete),
		cmocka_unit_test(test_json_carries_every_attribute),
		cmocka_unit_test(test_journal_carries_every_attribute),
		cmocka_unit_test(test_metrics_carry_every_attribute),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
