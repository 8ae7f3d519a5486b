/* The table's rows without a screen: filter, tree order, collapsed branches, and a
 * selection that stays on its row when the rows are re-sorted or refreshed. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"
#include "tui_model.h"
#include "view.h"

#define ID1 "1111111111111111111111111111111111111111111111111111111111111111"
#define ID2 "2222222222222222222222222222222222222222222222222222222222222222"
#define ID3 "3333333333333333333333333333333333333333333333333333333333333333"

/* A row at PATH under the row PARENT (-1: a root), with MEM bytes of memory. */
static void add(struct snapshot *s, const char *path, ssize_t parent, uint64_t mem)
{
	size_t i = snapshot_row(s, path, strlen(path));

	s->rows[i].parent = parent;
	s->rows[i].mem_usage = mem;
	s->rows[i].valid = FIELD_BIT(F_MEM_USAGE);
}

/* /, two slices, a container scope and a service under them. */
static struct snapshot *sample(void)
{
	struct snapshot *s = snapshot_new();

	add(s, "/", -1, 1000);                                       /* 0 */
	add(s, "/machine.slice", 0, 700);                             /* 1 */
	add(s, "/machine.slice/libpod-" ID1 ".scope", 1, 300);        /* 2 */
	add(s, "/system.slice", 0, 250);                              /* 3 */
	add(s, "/system.slice/ceph-mon.service", 3, 40);              /* 4 */
	return s;
}

struct fixture {
	struct snapshot *s;
	struct ctr_table t;
	struct view v;
	struct tui_model m;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->s = sample();
	ctr_table_build(&f->t, f->s);
	view_build_cgroups(&f->v, f->s, &f->t);
	view_sort(&f->v, ORDER_PATH, false, false);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	tui_model_free(&f->m);
	view_free(&f->v);
	ctr_table_free(&f->t);
	snapshot_free(f->s);
	free(f);
	return 0;
}

/* The path of the row shown at I. */
static const char *shown(const struct tui_model *m, size_t i)
{
	const struct view_row *r = tui_model_row(m, i);

	return r ? r->path : "(none)";
}

static void test_flat_filter(void **state)
{
	struct fixture *f = *state;

	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.nvis, 5);
	assert_true(f->m.any_ctr);
	assert_false(f->m.any_config);
	/* part of a path, ASCII case ignored */
	strcpy(f->m.filter, "CEPH");
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.nvis, 1);
	assert_string_equal(shown(&f->m, 0), "/system.slice/ceph-mon.service");
	/* a container's ID matches its row */
	strcpy(f->m.filter, "111111");
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.nvis, 1);
	assert_string_equal(shown(&f->m, 0), "/machine.slice/libpod-" ID1 ".scope");
	/* a character (not a byte) at a time comes off the filter */
	strcpy(f->m.filter, "ab\xc3\xa9");
	tui_model_filter_backspace(&f->m);
	assert_string_equal(f->m.filter, "ab");
	f->m.filter[0] = '\0';
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.nvis, 5);
	/* nothing matches: no row, no selection */
	strcpy(f->m.filter, "nothing-like-this");
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.nvis, 0);
	assert_null(tui_model_selected(&f->m));
}

static void test_selection_follows_row(void **state)
{
	struct fixture *f = *state;

	tui_model_rebuild(&f->m, &f->v, f->s);
	tui_model_move(&f->m, 3);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice");
	/* re-sorted by memory: the same row stays selected, elsewhere */
	view_sort(&f->v, ORDER_MEMORY, false, false);
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice");
	assert_int_equal(f->m.sel, 3);
	/* clamped at both ends */
	tui_model_move(&f->m, 100);
	assert_int_equal(f->m.sel, 4);
	tui_model_move(&f->m, -100);
	assert_int_equal(f->m.sel, 0);
	/* a filter that hides the row: the selection stays at its place (clamped) */
	tui_model_move(&f->m, 4);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice/ceph-mon.service");
	strcpy(f->m.filter, "machine");
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.nvis, 2);
	assert_int_equal(f->m.sel, 1);
	assert_string_equal(tui_model_selected(&f->m)->path, shown(&f->m, 1));
	/* a row is found again by its key */
	{
		char *k = tui_model_row_key(tui_model_selected(&f->m));

		assert_ptr_equal(tui_model_find(&f->v, k), tui_model_selected(&f->m));
		free(k);
	}
}

/* Until the user moves the selection, it is the top row of whatever order the rows are in
 * (the first frame's order is not the one the operator reads). */
static void test_top_until_moved(void **state)
{
	struct fixture *f = *state;

	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.sel, 0);
	assert_string_equal(tui_model_selected(&f->m)->path, "/");
	/* the order changes (the next sample, a sort key): the selection is its top row */
	view_sort(&f->v, ORDER_PATH, true, false);
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.sel, 0);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice/ceph-mon.service");
	tui_model_scroll(&f->m, 2);
	assert_int_equal(f->m.top, 0);
	/* once moved, the selection follows its row */
	tui_model_move(&f->m, 1);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice");
	view_sort(&f->v, ORDER_PATH, false, false);
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice");
	assert_int_equal(f->m.sel, 3);
	/* back to the top (r, Home, g): the top row again, whatever the order */
	tui_model_to_top(&f->m);
	view_sort(&f->v, ORDER_MEMORY, false, false);
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.sel, 0);
	assert_string_equal(tui_model_selected(&f->m)->path, "/");
	view_sort(&f->v, ORDER_PATH, true, false);
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice/ceph-mon.service");
}

/* A sort key after the user moved the selection: it stays on that row, wherever the new
 * order puts it, and the view scrolls to it; a sort key before any move: the top row. */
static void test_sort_key_keeps_moved_row(void **state)
{
	struct fixture *f = *state;

	tui_model_rebuild(&f->m, &f->v, f->s);
	view_sort(&f->v, ORDER_MEMORY, false, false);
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_string_equal(tui_model_selected(&f->m)->path, "/");
	tui_model_move(&f->m, 4);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice/ceph-mon.service");
	/* by path (p), reversed by path, by memory again: always the same row */
	view_sort(&f->v, ORDER_PATH, false, false);
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice/ceph-mon.service");
	assert_int_equal(f->m.sel, 4);
	tui_model_scroll(&f->m, 2);
	assert_int_equal(f->m.top, 3);
	view_sort(&f->v, ORDER_PATH, true, false);
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice/ceph-mon.service");
	assert_int_equal(f->m.sel, 0);
	tui_model_scroll(&f->m, 2);
	assert_int_equal(f->m.top, 0);
	assert_int_equal(tui_model_below(&f->m, 2), 3);
}

/* Filtering picks a row: when the filter is cleared the row it found stays selected and
 * is followed; before, the selection is the top row of the rows that match. */
static void test_filter_picks_row(void **state)
{
	struct fixture *f = *state;

	view_sort(&f->v, ORDER_MEMORY, false, false);
	tui_model_rebuild(&f->m, &f->v, f->s);
	strcpy(f->m.filter, "slice");
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.nvis, 4);
	assert_string_equal(tui_model_selected(&f->m)->path, "/machine.slice");
	assert_false(f->m.chosen);
	strcpy(f->m.filter, "ceph");
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice/ceph-mon.service");
	tui_model_filter_clear(&f->m);
	assert_string_equal(f->m.filter, "");
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.nvis, 5);
	assert_true(f->m.chosen);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice/ceph-mon.service");
	assert_int_equal(f->m.sel, 4);
	view_sort(&f->v, ORDER_PATH, true, false);
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice/ceph-mon.service");
	/* Home: the top again, and an empty filter cleared picks nothing */
	tui_model_to_top(&f->m);
	tui_model_filter_clear(&f->m);
	view_sort(&f->v, ORDER_MEMORY, false, false);
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_false(f->m.chosen);
	assert_string_equal(tui_model_selected(&f->m)->path, "/");
	/* a filter that matches nothing picks nothing either */
	strcpy(f->m.filter, "nothing-like-this");
	tui_model_rebuild(&f->m, &f->v, f->s);
	tui_model_filter_clear(&f->m);
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_false(f->m.chosen);
	assert_string_equal(tui_model_selected(&f->m)->path, "/");
}

/* The view scrolls as little as shows the selection; rows out of view are counted. */
static void test_scroll(void **state)
{
	struct fixture *f = *state;

	tui_model_rebuild(&f->m, &f->v, f->s);
	tui_model_scroll(&f->m, 2);
	assert_int_equal(f->m.top, 0);
	assert_int_equal(tui_model_above(&f->m), 0);
	assert_int_equal(tui_model_below(&f->m, 2), 3);
	tui_model_move(&f->m, 4);
	tui_model_scroll(&f->m, 2);
	assert_int_equal(f->m.top, 3);
	assert_int_equal(tui_model_above(&f->m), 3);
	assert_int_equal(tui_model_below(&f->m, 2), 0);
	tui_model_move(&f->m, -2);
	tui_model_scroll(&f->m, 2);
	assert_int_equal(f->m.top, 2);
	assert_int_equal(tui_model_above(&f->m), 2);
	assert_int_equal(tui_model_below(&f->m, 2), 1);
	tui_model_move(&f->m, 1);
	tui_model_scroll(&f->m, 2);
	assert_int_equal(f->m.top, 2);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice");
	/* the selected row sorted up above the view: the view goes with it */
	view_sort(&f->v, ORDER_PATH, true, false);
	tui_model_rebuild(&f->m, &f->v, f->s);
	tui_model_scroll(&f->m, 2);
	assert_string_equal(tui_model_selected(&f->m)->path, "/system.slice");
	assert_int_equal(f->m.sel, 1);
	assert_int_equal(f->m.top, 1);
	/* Home: the top of the order, nothing above */
	tui_model_to_top(&f->m);
	tui_model_scroll(&f->m, 2);
	assert_int_equal(f->m.top, 0);
	assert_int_equal(tui_model_above(&f->m), 0);
	/* every row fits: nothing out of view */
	tui_model_scroll(&f->m, 24);
	assert_int_equal(tui_model_below(&f->m, 24), 0);
	assert_int_equal(tui_model_above(&f->m), 0);
}

/* --group-by: the first frame groups every container under "(none)" (no labels yet); when
 * the labels come, Enter opens the top group, not "(none)". */
static void test_groups_top(void **state)
{
	struct snapshot *s = snapshot_new();
	struct ctr_table t = { 0 };
	struct view v = { 0 };
	struct tui_model m = { 0 };
	struct container_meta m1 = { 0 }, m2 = { 0 };
	char c1[] = "config_id", s4[] = "tripleo_step4", ks[] = "keystone", heat[] = "heat_api";
	char *k1[] = { c1 }, *v1[] = { s4 };

	(void)state;
	add(s, "/", -1, 5000);
	add(s, "/machine.slice", 0, 4000);
	add(s, "/machine.slice/libpod-" ID1 ".scope", 1, 3000);
	add(s, "/machine.slice/libpod-" ID2 ".scope", 1, 900);
	add(s, "/machine.slice/libpod-" ID3 ".scope", 1, 100);
	ctr_table_build(&t, s);
	view_build_groups(&v, s, &t, GROUP_LABEL, "config_id");
	view_sort(&v, ORDER_MEMORY, false, false);
	tui_model_rebuild(&m, &v, s);
	assert_string_equal(tui_model_selected(&m)->name, "(none)");
	/* the labels arrive for two of three: their group holds more memory than "(none)" */
	m1.name = ks;
	m1.nlabels = 1;
	m1.label_keys = k1;
	m1.label_values = v1;
	m2.name = heat;
	m2.nlabels = 1;
	m2.label_keys = k1;
	m2.label_values = v1;
	t.v[0].meta = &m1;
	t.v[1].meta = &m2;
	view_build_groups(&v, s, &t, GROUP_LABEL, "config_id");
	view_sort(&v, ORDER_MEMORY, false, false);
	tui_model_rebuild(&m, &v, s);
	assert_string_equal(v.rows[0].name, "tripleo_step4");
	assert_string_equal(v.rows[1].name, "(none)");
	assert_string_equal(tui_model_selected(&m)->name, "tripleo_step4");
	tui_model_free(&m);
	view_free(&v);
	for (size_t i = 0; i < t.n; i++)
		t.v[i].meta = NULL;
	ctr_table_free(&t);
	snapshot_free(s);
}

/* In the tree (every cgroup) a container's cgroup is found by the container's name. */
static void test_filter_container_name(void **state)
{
	struct fixture *f = *state;
	struct container_meta meta = { 0 };
	char ks[] = "keystone";

	meta.name = ks;
	f->t.v[0].meta = &meta;
	f->m.tree = true;
	strcpy(f->m.filter, "KEYST");
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.nvis, 3);
	assert_string_equal(shown(&f->m, 2), "/machine.slice/libpod-" ID1 ".scope");
	f->t.v[0].meta = NULL;
}

static void test_tree(void **state)
{
	struct fixture *f = *state;

	f->m.tree = true;
	tui_model_rebuild(&f->m, &f->v, f->s);
	/* children under their parents, siblings in path order */
	assert_int_equal(f->m.nvis, 5);
	assert_string_equal(shown(&f->m, 0), "/");
	assert_string_equal(shown(&f->m, 1), "/machine.slice");
	assert_string_equal(shown(&f->m, 3), "/system.slice");
	assert_int_equal(f->m.vis[0].indent, 0);
	assert_int_equal(f->m.vis[2].indent, 2);
	assert_true(f->m.vis[1].branch);
	assert_false(f->m.vis[2].branch);
	/* left on a leaf goes to its parent; left on the branch collapses it */
	tui_model_select(&f->m, 2);
	tui_model_left(&f->m);
	assert_string_equal(tui_model_selected(&f->m)->path, "/machine.slice");
	tui_model_left(&f->m);
	assert_int_equal(f->m.nvis, 4);
	assert_true(f->m.vis[1].collapsed);
	assert_true(tui_model_is_collapsed(&f->m, "/machine.slice"));
	assert_string_equal(shown(&f->m, 2), "/system.slice");
	/* collapsed stays collapsed across a refresh; right expands */
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.nvis, 4);
	tui_model_right(&f->m);
	assert_int_equal(f->m.nvis, 5);
	assert_string_equal(tui_model_selected(&f->m)->path, "/machine.slice");
	/* a match keeps its ancestors */
	strcpy(f->m.filter, "ceph");
	tui_model_rebuild(&f->m, &f->v, f->s);
	assert_int_equal(f->m.nvis, 3);
	assert_string_equal(shown(&f->m, 0), "/");
	assert_string_equal(shown(&f->m, 1), "/system.slice");
	assert_string_equal(shown(&f->m, 2), "/system.slice/ceph-mon.service");
}

static void test_no_sample_yet(void **state)
{
	struct fixture *f = *state;

	tui_model_rebuild(&f->m, NULL, NULL);
	assert_int_equal(f->m.nvis, 0);
	assert_null(tui_model_selected(&f->m));
	tui_model_move(&f->m, 1);
	tui_model_left(&f->m);
	assert_int_equal(f->m.sel, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flat_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection_follows_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_top_until_moved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sort_key_keeps_moved_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filter_picks_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scroll, setup, teardown),
		cmocka_unit_test(test_groups_top),
		cmocka_unit_test_setup_teardown(test_filter_container_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_sample_yet, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
