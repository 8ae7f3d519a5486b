/* Trouble: the flags a row shows, the trouble order (worst first) and the event lines,
 * from rows whose incident figures are set by hand. */
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

#include "container.h"
#include "fields.h"
#include "format.h"
#include "host.h"
#include "journal.h"
#include "output.h"
#include "trouble.h"
#include "view.h"

/* The blocks of the rows the tests make (kept, reachable, till the end). */
static struct arena test_arena;
#define TEST_ROW { .parent = -1, .arena = &test_arena }

/* Set u64 figure F of R to V, known. */
static void set(struct cg_row *r, enum cg_field f, uint64_t v)
{
	fig_set_u64(figure(f), r, v);
	r->valid |= FIELD_BIT(f);
}

/* Set double figure F of R to V, known. */
static void setd(struct cg_row *r, enum cg_field f, double v)
{
	fig_set_double(figure(f), r, v);
	r->valid |= FIELD_BIT(f);
}

/* A row that knows every incident figure, all of them quiet (zero). */
static struct cg_row quiet(void)
{
	struct cg_row r = TEST_ROW;

	set(&r, F_MEM_OOM_KILLS_NEW, 0);
	set(&r, F_MEM_OOM_KILLS_SINCE, 0);
	set(&r, F_PIDS_REFUSED_NEW, 0);
	set(&r, F_PIDS_REFUSED_SINCE, 0);
	set(&r, F_MEM_LIMIT_HITS_NEW, 0);
	set(&r, F_MEM_LIMIT_HITS_SINCE, 0);
	set(&r, F_CPU_THROTTLED_NEW, 0);
	set(&r, F_CPU_THROTTLED_SINCE, 0);
	setd(&r, F_CPU_THROTTLED_PERCENT, 0);
	setd(&r, F_PSI_CPU_SOME, 0);
	setd(&r, F_PSI_MEM_SOME, 0);
	setd(&r, F_PSI_IO_SOME, 0);
	return r;
}

static const char *flags(const struct cg_row *r)
{
	static char buf[16];

	return fig_cell(figure(F_TROUBLE), r, 0, buf, sizeof(buf));
}

static void test_flags(void **state)
{
	struct cg_row r = TEST_ROW;

	(void)state;
	/* nothing known (the first sample of a kernel without these files): unknown, not "." */
	assert_string_equal(flags(&r), "-");
	r = quiet();
	assert_string_equal(flags(&r), ".");
	/* every sign in the last interval, worst first */
	set(&r, F_CPU_THROTTLED_NEW, 3);
	set(&r, F_MEM_LIMIT_HITS_NEW, 2);
	set(&r, F_MEM_OOM_KILLS_NEW, 1);
	set(&r, F_PIDS_REFUSED_NEW, 4);
	setd(&r, F_PSI_IO_SOME, 55.0);
	assert_string_equal(flags(&r), "OFMTP");
	/* since the start only: small letters; pressure has no count since the start */
	r = quiet();
	set(&r, F_MEM_OOM_KILLS_SINCE, 1);
	set(&r, F_MEM_LIMIT_HITS_SINCE, 7);
	set(&r, F_CPU_THROTTLED_SINCE, 9);
	assert_string_equal(flags(&r), "omt");
	/* in the interval wins over since the start */
	set(&r, F_MEM_LIMIT_HITS_NEW, 1);
	assert_string_equal(flags(&r), "oMt");
	/* the pressure threshold: 10% of the interval, any of cpu, memory, io (some) */
	r = quiet();
	setd(&r, F_PSI_CPU_SOME, 9.99);
	setd(&r, F_PSI_MEM_SOME, 9.5);
	assert_string_equal(flags(&r), ".");
	setd(&r, F_PSI_MEM_SOME, TROUBLE_PRESSURE_PERCENT);
	assert_string_equal(flags(&r), "P");
	/* a row knowing only pressure (v2 without a CPU quota, say) */
	row_init(&r, &test_arena);
	setd(&r, F_PSI_CPU_SOME, 30);
	assert_string_equal(flags(&r), "P");
}

/* A view of one cgroup row per entry of ROWS, named by NAMES, sorted by trouble. */
static void sorted(const struct cg_row *rows, const char *const *names, size_t n, bool reverse,
		   const char **out)
{
	struct snapshot *s = snapshot_new();
	struct view v = { 0 };

	for (size_t i = 0; i < n; i++) {
		size_t k = snapshot_row(s, names[i], strlen(names[i]));
		char *path = s->rows[k].path;

		row_copy(&s->rows[k], &rows[i]);
		s->rows[k].path = path;
		s->rows[k].depth = 1;
	}
	view_build_cgroups(&v, s, NULL);
	view_sort(&v, ORDER_TROUBLE, reverse, false);
	assert_int_equal(v.n, n);
	for (size_t i = 0; i < n; i++)
		out[i] = NULL;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < n; k++)
			if (strcmp(v.rows[i].path, names[k]) == 0)
				out[i] = names[k];
	view_free(&v);
	snapshot_free(s);
}

static void test_order(void **state)
{
	/* given in the order they must come out, worst first */
	static const char *const names[] = {
		"/oom", "/oom1", "/forks", "/hits99", "/hits1", "/thr90", "/thr1", "/pressure50",
		"/pressure10", "/oom_since", "/forks_since", "/hits_since", "/quiet", "/unknown",
	};
	enum { N = sizeof(names) / sizeof(names[0]) };
	struct cg_row rows[N];
	const char *out[N];
	size_t i = 0;

	(void)state;
	for (size_t k = 0; k < N; k++)
		rows[k] = quiet();
	set(&rows[i], F_MEM_OOM_KILLS_NEW, 2), set(&rows[i++], F_PIDS_REFUSED_NEW, 1);
	set(&rows[i++], F_MEM_OOM_KILLS_NEW, 1);
	/* one refused fork outranks 99 limit hits, the worst throttling and pressure */
	set(&rows[i++], F_PIDS_REFUSED_NEW, 1);
	set(&rows[i], F_MEM_LIMIT_HITS_NEW, 500), setd(&rows[i++], F_PSI_MEM_SOME, 100);
	set(&rows[i], F_MEM_LIMIT_HITS_NEW, 1), set(&rows[i], F_CPU_THROTTLED_NEW, 100);
	setd(&rows[i++], F_CPU_THROTTLED_PERCENT, 100);
	set(&rows[i], F_CPU_THROTTLED_NEW, 90), setd(&rows[i++], F_CPU_THROTTLED_PERCENT, 90);
	set(&rows[i], F_CPU_THROTTLED_NEW, 1), setd(&rows[i++], F_CPU_THROTTLED_PERCENT, 0.4);
	setd(&rows[i++], F_PSI_IO_SOME, 50);
	setd(&rows[i], F_PSI_CPU_SOME, 10), set(&rows[i++], F_CPU_THROTTLED_SINCE, 5);
	set(&rows[i++], F_MEM_OOM_KILLS_SINCE, 1);
	set(&rows[i], F_PIDS_REFUSED_SINCE, 1), setd(&rows[i++], F_PSI_CPU_SOME, 9.9);
	set(&rows[i++], F_MEM_LIMIT_HITS_SINCE, 1);
	i++; /* quiet */
	memset(&rows[i++], 0, sizeof(rows[0])); /* knows none: last, in either direction */
	assert_int_equal(i, N);
	sorted(rows, names, N, false, out);
	for (size_t k = 0; k < N; k++)
		assert_string_equal(out[k], names[k]);
	/* reversed: the quietest first, the row knowing nothing still last */
	sorted(rows, names, N, true, out);
	for (size_t k = 0; k + 1 < N; k++)
		assert_string_equal(out[k], names[N - 2 - k]);
	assert_string_equal(out[N - 1], "/unknown");
}

/* The score sums shown columns of the order: only the flags column has it. */
static void test_order_is_the_flags_column(void **state)
{
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < F_COUNT; i++)
		if (figures[i].sort == ORDER_TROUBLE) {
			assert_int_equal(figures[i].id, F_TROUBLE);
			assert_true(fig_column_shown(&figures[i], false));
			assert_true(fig_column_shown(&figures[i], true));
			n++;
		}
	assert_int_equal(n, 1);
}

static void test_events(void **state)
{
	struct cg_row r = quiet();
	char buf[160];

	(void)state;
	assert_false(trouble_event(&r, buf, sizeof(buf)));
	/* throttling and pressure are states, not events */
	set(&r, F_CPU_THROTTLED_NEW, 50);
	setd(&r, F_PSI_MEM_SOME, 80);
	assert_false(trouble_event(&r, buf, sizeof(buf)));
	set(&r, F_MEM_OOM_KILLS_NEW, 1);
	set(&r, F_MEM_LIMIT, 64ull << 20);
	assert_true(trouble_event(&r, buf, sizeof(buf)));
	assert_string_equal(buf, "1 OOM kill, memory limit 64.0M");
	set(&r, F_MEM_OOM_KILLS_NEW, 0);
	set(&r, F_MEM_LIMIT_HITS_NEW, 3);
	set(&r, F_PIDS_REFUSED_NEW, 2);
	set(&r, F_PIDS_LIMIT, 10);
	assert_true(trouble_event(&r, buf, sizeof(buf)));
	assert_string_equal(buf, "3 memory limit hits, 2 refused forks, memory limit 64.0M, task limit 10");
	/* no limit (or not known): not named */
	set(&r, F_MEM_LIMIT, UINT64_MAX);
	r.valid &= ~FIELD_BIT(F_PIDS_LIMIT);
	assert_true(trouble_event(&r, buf, sizeof(buf)));
	assert_string_equal(buf, "3 memory limit hits, 2 refused forks");
	/* a short buffer is cut, still a string */
	assert_true(trouble_event(&r, buf, 8));
	assert_string_equal(buf, "3 memor");
}

/* OUT of output_text (JSON when JSON) of V. */
static char *capture(const struct view *v, const struct snapshot *s, bool json)
{
	struct options o = { .order = ORDER_TROUBLE };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct sample smp = { .snap = s };

	assert_int_equal(json ? output_json(f, v, &smp, &o, 2) : output_text(f, NULL, v, &smp, &o), 0);
	fclose(f);
	return out;
}

/* The event lines: text, JSON, journal; from a top-level cgroup, not from one below it
 * (its parent reports it) nor from "/". */
static void test_event_outputs(void **state)
{
	static const char *const paths[] = { "/", "/keystone.slice", "/keystone.slice/inner" };
	struct snapshot *s = snapshot_new();
	struct view v = { 0 };
	struct journal_entry e = { .n = 0 };
	char *out;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		size_t k = snapshot_row(s, paths[i], strlen(paths[i]));
		char *path = s->rows[k].path;
		struct cg_row q = quiet();

		row_copy(&s->rows[k], &q);
		s->rows[k].path = path;
		s->rows[k].depth = (unsigned)i;
		set(&s->rows[k], F_MEM_OOM_KILLS_NEW, 1);
		set(&s->rows[k], F_MEM_OOM_KILLS_SINCE, 1);
		set(&s->rows[k], F_MEM_LIMIT, 64ull << 20);
	}
	s->real_ns = 1764590400000000000ull;
	view_build_cgroups(&v, s, NULL);
	view_sort(&v, ORDER_PATH, false, false);
	out = capture(&v, s, false);
	assert_non_null(strstr(out, " event /keystone.slice: 1 OOM kill, memory limit 64.0M\n"));
	assert_null(strstr(out, "event /keystone.slice/inner"));
	assert_null(strstr(out, "event /:"));
	/* the flags column of each of them */
	assert_non_null(strstr(out, "/keystone.slice/inner"));
	free(out);
	{
		/* --stamp: the time and the host before "event", as before every row */
		struct options o = { .order = ORDER_TROUBLE, .stamp = true };
		struct sample smp = { .snap = s, .hostname = "ctl0" };
		char ts[64], want[160];
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);

		assert_int_equal(output_text(f, NULL, &v, &smp, &o), 0);
		fclose(f);
		format_rfc3339(ts, sizeof(ts), s->real_ns);
		snprintf(want, sizeof(want), "\n%s ctl0 event /keystone.slice: 1 OOM kill, memory limit 64.0M\n", ts);
		assert_non_null(strstr(out, want));
		snprintf(want, sizeof(want), "\n%s ctl0 /keystone.slice/inner ", ts);
		assert_non_null(strstr(out, want));
		free(out);
	}
	out = capture(&v, s, true);
	assert_non_null(strstr(out, "{\"time\":"));
	/* a sample of no known host: "host" null on the rows and the events */
	assert_non_null(strstr(out, "\"host\":null,\"iteration\":2,\"kind\":\"event\""));
	assert_non_null(strstr(out, "\"kind\":\"event\",\"event\":\"oom_kill\",\"row_kind\":\"cgroup\","
				    "\"name\":\"/keystone.slice\""));
	assert_non_null(strstr(out, "\"message\":\"1 OOM kill, memory limit 64.0M\",\"memory_oom_kills_interval\":1,"
				    "\"memory_oom_kills_since_start\":1,"));
	assert_null(strstr(out, "\"path\":\"/keystone.slice/inner\",\"container_id\""));
	free(out);
	for (size_t k = 0; k < v.n; k++) {
		bool want = strcmp(v.rows[k].path, "/keystone.slice") == 0;

		assert_int_equal(journal_event_build(&e, &v.rows[k], 2), want);
		if (!want)
			continue;
		assert_string_equal(journal_entry_get(&e, "MESSAGE"), "/keystone.slice: 1 OOM kill, memory limit 64.0M");
		assert_string_equal(journal_entry_get(&e, "PRIORITY"), "4");
		assert_string_equal(journal_entry_get(&e, "CGTOP_EVENT"), "oom_kill");
		assert_string_equal(journal_entry_get(&e, "CGTOP_MEMORY_OOM_KILLS_INTERVAL"), "1");
		assert_string_equal(journal_entry_get(&e, "CGTOP_PATH"), "/keystone.slice");
		journal_entry_free(&e);
	}
	view_free(&v);
	snapshot_free(s);
}

/* The header's host pressure: the growth of /proc/pressure's some total over the time
 * between two readings. */
/* A container row as view.c makes it from what the engine says: its figures in
 * life_figs (a row's own are read-only; life_fig gives them back writable). */
static struct cg_row life_figs[16];

static struct cg_row *life_fig(const struct view_row *r)
{
	return &life_figs[r->fig - life_figs];
}

static struct view_row life_row(unsigned st, unsigned health, unsigned exit_code, bool oom,
				unsigned restarts, unsigned events)
{
	static struct container_info ci = { .unknown_name = "?0b8a0cc7f205" };
	static size_t nfigs;
	struct cg_row *f = &life_figs[nfigs++ % ARRAY_SIZE(life_figs)];
	struct view_row r = { .kind = VIEW_CONTAINER, .name = "crashloop", .path = "", .ctr = &ci, .fig = f };

	row_init(f, &test_arena);
	row_life_mk(f)->state = st;
	row_life_mk(f)->health = health;
	row_life_mk(f)->exit_code = exit_code;
	row_life_mk(f)->oom_killed = oom;
	row_life_mk(f)->restarts = restarts;
	row_life_mk(f)->now = 1796145300;
	row_life_mk(f)->finished_at = 1796145300 - 125;
	row_life_mk(f)->events = events;
	f->valid = FIELD_BIT(F_CTR_STATE) | FIELD_BIT(F_CTR_HEALTH) | FIELD_BIT(F_CTR_EXIT_CODE) |
		   FIELD_BIT(F_CTR_OOM_KILLED) | FIELD_BIT(F_CTR_RESTARTS) | FIELD_BIT(F_CTR_FINISHED_AT);
	return r;
}

/* A container's lifecycle: its state in place of the figures, its flags, its place in
 * the trouble order, its events and their priority. */
static void test_lifecycle(void **state)
{
	struct view_row exited7 = life_row(CST_EXITED, CHE_NONE, 7, false, 0, 0);
	struct view_row oom = life_row(CST_EXITED, CHE_NONE, 137, true, 0, CTR_EV_STOP | CTR_EV_OOM);
	struct view_row loop = life_row(CST_RESTARTING, CHE_NONE, 3, false, 4, CTR_EV_RESTART);
	struct view_row sick = life_row(CST_RUNNING, CHE_UNHEALTHY, 0, false, 0, CTR_EV_UNHEALTHY);
	struct view_row fine = life_row(CST_RUNNING, CHE_HEALTHY, 0, false, 0, CTR_EV_START);
	struct cg_row sick_tasks;
	char buf[256], kinds[64];
	double a, b;
	int prio;

	(void)state;
	assert_string_equal(fig_state_text(exited7.fig, buf, sizeof(buf)), "exited (7) 2m ago");
	assert_string_equal(fig_state_text(loop.fig, buf, sizeof(buf)), "restarting");
	/* a row with cgroup figures shows them, not its state */
	sick_tasks = *sick.fig;
	sick_tasks.valid |= FIELD_BIT(F_TASKS);
	sick.fig = &sick_tasks;
	assert_null(fig_state_text(sick.fig, buf, sizeof(buf)));

	assert_true(trouble_flags(exited7.fig, buf, sizeof(buf)));
	assert_string_equal(buf, "X");
	assert_true(trouble_flags(oom.fig, buf, sizeof(buf)));
	assert_string_equal(buf, "KX");
	assert_true(trouble_flags(loop.fig, buf, sizeof(buf)));
	assert_string_equal(buf, "R");
	assert_true(trouble_flags(sick.fig, buf, sizeof(buf)));
	assert_string_equal(buf, "U");
	assert_true(trouble_flags(fine.fig, buf, sizeof(buf)));
	assert_string_equal(buf, ".");

	/* OOM-killed before unhealthy before crash-looping before a bad exit before fine */
	assert_true(trouble_score(oom.fig, &a) && trouble_score(sick.fig, &b) && a > b);
	assert_true(trouble_score(loop.fig, &a) && a < b);
	assert_true(trouble_score(exited7.fig, &b) && b < a);
	assert_true(trouble_score(fine.fig, &a) && a < b);

	assert_true(trouble_life_event(&loop, buf, sizeof(buf), kinds, sizeof(kinds), &prio));
	assert_string_equal(buf, "restarted, exit code 3, restart count 4");
	assert_string_equal(kinds, "restart");
	assert_int_equal(prio, 4);
	assert_true(trouble_life_event(&oom, buf, sizeof(buf), kinds, sizeof(kinds), &prio));
	assert_string_equal(buf, "exited, OOM-killed (engine), exit code 137");
	assert_string_equal(kinds, "stop oom_killed");
	assert_int_equal(prio, 4);
	assert_true(trouble_life_event(&sick, buf, sizeof(buf), kinds, sizeof(kinds), &prio));
	assert_string_equal(kinds, "unhealthy");
	assert_int_equal(prio, 4);
	assert_true(trouble_life_event(&fine, buf, sizeof(buf), kinds, sizeof(kinds), &prio));
	assert_string_equal(buf, "started");
	assert_int_equal(prio, 5);
	assert_false(trouble_life_event(&exited7, buf, sizeof(buf), kinds, sizeof(kinds), &prio));

	/* a crash loop caught running between two restarts, with no event in this interval
	 * (a fresh cgtop): restarted by its engine 20 s ago, it is R; 5 minutes ago, it is fine */
	loop = life_row(CST_RUNNING, CHE_NONE, 3, false, 4, 0);
	struct cg_row *lf = life_fig(&loop), *ff = life_fig(&fine);
	row_life_mk(lf)->started_at = row_life(lf)->now - 20;
	lf->valid |= FIELD_BIT(F_CTR_STARTED_AT);
	assert_true(trouble_restarted_lately(lf));
	row_life_mk(lf)->restarted_lately = true; /* as view.c sets it */
	assert_true(trouble_flags(lf, buf, sizeof(buf)));
	assert_string_equal(buf, "R");
	assert_true(trouble_score(lf, &a) && trouble_score(ff, &b) && a > b);
	row_life_mk(lf)->started_at = row_life(lf)->now - TROUBLE_RESTART_RECENT_S;
	assert_false(trouble_restarted_lately(lf));
	row_life_mk(lf)->restarted_lately = false;
	assert_true(trouble_flags(lf, buf, sizeof(buf)));
	assert_string_equal(buf, ".");
	/* never restarted: a fresh start is no crash loop */
	row_life_mk(ff)->started_at = row_life(ff)->now - 5;
	ff->valid |= FIELD_BIT(F_CTR_STARTED_AT);
	row_life_mk(ff)->events = 0;
	assert_false(trouble_restarted_lately(ff));
	assert_true(trouble_flags(ff, buf, sizeof(buf)));
	assert_string_equal(buf, ".");
}

static void test_host_pressure(void **state)
{
	struct host_info prev = { 0 }, cur = { 0 };

	(void)state;
	prev.psi_read_ns = 1000000000ull;
	cur.psi_read_ns = 3000000000ull; /* 2 s later */
	for (int i = 0; i < 3; i++)
		prev.psi_total_valid[i] = cur.psi_total_valid[i] = true;
	prev.psi_some_us[0] = 4692882952ull, cur.psi_some_us[0] = 4692882952ull + 1960000; /* 1.96 s */
	prev.psi_some_us[1] = 16925, cur.psi_some_us[1] = 16925;
	prev.psi_some_us[2] = 71901233, cur.psi_some_us[2] = 71901233 - 1; /* went back */
	host_psi_share(&cur, &prev);
	assert_true(cur.psi_share_valid[0]);
	assert_true(fabs(cur.psi_some_percent[0] - 98.0) < 1e-9);
	assert_true(cur.psi_share_valid[1]);
	assert_true(cur.psi_some_percent[1] == 0);
	assert_false(cur.psi_share_valid[2]);
	/* the first reading: nothing to compare with */
	memset(&prev, 0, sizeof(prev));
	host_psi_share(&cur, &prev);
	assert_false(cur.psi_share_valid[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_order_is_the_flags_column),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_event_outputs),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_host_pressure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
