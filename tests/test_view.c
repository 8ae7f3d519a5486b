/* The views: containers summed over their cgroups, groups by label, unescaped names,
 * sorting with unknown values last. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"
#include "fields.h"
#include "view.h"

#define ID1 "1111111111111111111111111111111111111111111111111111111111111111"
#define ID2 "2222222222222222222222222222222222222222222222222222222222222222"

static struct cg_row *add(struct snapshot *s, const char *path, uint64_t mem, double cpu)
{
	size_t i = snapshot_row(s, path, strlen(path)); /* may move s->rows */
	struct cg_row *r = &s->rows[i];

	r->mem_usage = mem;
	r->cpu_percent = cpu;
	r->valid = FIELD_BIT(F_MEM_USAGE) | FIELD_BIT(F_CPU_RATE);
	return r;
}

static struct snapshot *sample(void)
{
	struct snapshot *s = snapshot_new();

	add(s, "/", 1000, 150.0);
	add(s, "/machine.slice", 700, 60.0);
	add(s, "/machine.slice/libpod-" ID1 ".scope", 300, 50.0);
	add(s, "/machine.slice/libpod-conmon-" ID1 ".scope", 10, 0.5);
	add(s, "/system.slice", 250, 20.0);
	add(s, "/system.slice/docker-" ID2 ".scope", 200, 10.0)->valid &= ~FIELD_BIT(F_CPU_RATE);
	add(s, "/system.slice/system-ceph\\x2dmon.slice", 40, 5.0);
	return s;
}

static void test_containers(void **state)
{
	struct snapshot *s = sample();
	struct ctr_table t = { 0 };
	struct view v = { 0 };

	ctr_table_build(&t, s);
	assert_int_equal(t.n, 2);
	view_build_containers(&v, s, &t);
	view_sort(&v, ORDER_CPU, false, false);
	/* containers first (podman's with its conmon summed), then "/" and the top level */
	assert_int_equal(v.n, 2 + 3);
	assert_int_equal(v.rows[0].kind, VIEW_CONTAINER);
	assert_string_equal(v.rows[0].ctr->ref.id, ID1);
	assert_int_equal(v.rows[0].ctr->ref.runtime, RT_PODMAN);
	assert_int_equal(v.rows[0].nmembers, 2);
	assert_int_equal(v.rows[0].fig->mem_usage, 310);
	assert_float_equal(v.rows[0].fig->cpu_percent, 50.5, 1e-9);
	assert_string_equal(v.rows[0].path, "/machine.slice/libpod-" ID1 ".scope");
	/* no engine knows it: "?" and the short ID */
	assert_false(v.rows[0].name_known);
	assert_string_equal(v.rows[0].name, "?111111111111");
	/* the docker container has no CPU rate: after the one that has, whatever the order */
	assert_string_equal(v.rows[1].ctr->ref.id, ID2);
	assert_false(row_has(v.rows[1].fig, F_CPU_RATE));
	/* one cgroup, no engine, no event: its row points at the cgroup's figures; the
	 * podman container (two cgroups) has a sum of its own */
	assert_ptr_equal(v.rows[1].fig, &s->rows[snapshot_find(s, "/system.slice/docker-" ID2 ".scope")]);
	assert_int_equal(v.nsums, 1);
	assert_ptr_equal(v.rows[0].fig, &v.sums[0]);
	view_sort(&v, ORDER_CPU, true, false);
	assert_string_equal(v.rows[1].ctr->ref.id, ID2);
	assert_string_equal(v.rows[2].name, "/system.slice");
	assert_string_equal(v.rows[3].name, "/machine.slice");
	assert_string_equal(v.rows[4].name, "/");
	view_sort(&v, ORDER_MEMORY, false, false);
	assert_string_equal(v.rows[0].ctr->ref.id, ID1);
	assert_string_equal(v.rows[2].name, "/");
	view_free(&v);
	ctr_table_free(&t);
	snapshot_free(s);
}

static void test_all_and_unescape(void **state)
{
	struct snapshot *s = sample();
	struct ctr_table t = { 0 };
	struct view v = { 0 };
	bool seen = false;

	ctr_table_build(&t, s);
	view_build_cgroups(&v, s, &t);
	assert_int_equal(v.n, s->n);
	for (size_t i = 0; i < v.n; i++) {
		if (strstr(v.rows[i].path, "ceph")) {
			assert_string_equal(v.rows[i].name, "/system.slice/system-ceph-mon.slice");
			assert_string_equal(v.rows[i].path, "/system.slice/system-ceph\\x2dmon.slice");
			seen = true;
		}
		if (strstr(v.rows[i].path, "docker-"))
			assert_string_equal(container_short_id(v.rows[i].ctr), "222222222222");
		if (strcmp(v.rows[i].path, "/system.slice") == 0)
			assert_null(v.rows[i].ctr);
	}
	assert_true(seen);
	view_free(&v);
	ctr_table_free(&t);
	snapshot_free(s);
}

/* Network: the podman container (with its conmon, which has no namespace of its own to
 * count) holds a namespace the docker one shares: the docker row says so and by whom,
 * its cells say "shared"; a group of both counts the namespace once; a container in the
 * host's namespace says "host". */
static void test_network(void **state)
{
	struct snapshot *s = sample();
	struct ctr_table t = { 0 };
	struct view v = { 0 };
	struct container_meta m1 = { 0 };
	char web[] = "web\x1b[31m", c1[] = "pod", p1[] = "p";
	char *k1[] = { c1 }, *v1[] = { p1 };
	const struct figure *rx = figure(F_NET_RX_RATE);
	struct cg_row *h, *d;
	char buf[64];

	(void)state;
	h = &s->rows[snapshot_find(s, "/machine.slice/libpod-" ID1 ".scope")];
	row_net_mk(h)->kind = NET_NS_OWN;
	row_net_mk(h)->ino = 4026532301u;
	row_net_mk(h)->rx_bytes = 1000;
	row_net_mk(h)->rx_bps = 250.0;
	h->valid |= FIELD_BIT(F_NET_RX_BYTES) | FIELD_BIT(F_NET_RX_RATE);
	d = &s->rows[snapshot_find(s, "/system.slice/docker-" ID2 ".scope")];
	row_net_mk(d)->kind = NET_NS_SHARED;
	row_net_mk(d)->ino = 4026532301u;
	row_net_mk(d)->holder = snapshot_find(s, "/machine.slice/libpod-" ID1 ".scope");
	m1.name = web;
	m1.nlabels = 1;
	m1.label_keys = k1;
	m1.label_values = v1;
	ctr_table_build(&t, s);
	t.v[0].meta = &m1;
	t.v[1].meta = &m1; /* the same label: one group */
	view_build_containers(&v, s, &t);
	assert_int_equal(row_net(v.rows[0].fig)->kind, NET_NS_OWN);
	assert_int_equal(row_net(v.rows[0].fig)->rx_bytes, 1000);
	assert_string_equal(fig_cell(rx, v.rows[0].fig, 0, buf, sizeof(buf)), "250B");
	assert_null(v.rows[0].net_shared_with);
	assert_int_equal(row_net(v.rows[1].fig)->kind, NET_NS_SHARED);
	assert_false(row_has(v.rows[1].fig, F_NET_RX_BYTES));
	assert_string_equal(fig_cell(rx, v.rows[1].fig, 0, buf, sizeof(buf)), "shared");
	assert_string_equal(v.rows[1].net_shared_with, web); /* raw: the outputs sanitize */
	/* "/" and the slices are no container's */
	assert_int_equal(row_net(v.rows[2].fig)->kind, NET_NS_NONE);
	assert_string_equal(fig_cell(rx, v.rows[2].fig, 0, buf, sizeof(buf)), "-");
	view_build_groups(&v, s, &t, GROUP_LABEL, "pod");
	assert_string_equal(v.rows[0].name, "p");
	assert_int_equal(v.rows[0].ngroup, 2);
	assert_int_equal(row_net(v.rows[0].fig)->rx_bytes, 1000);
	assert_int_equal(row_net(v.rows[0].fig)->kind, NET_NS_OWN);
	/* --all: the cgroup rows say the same */
	view_build_cgroups(&v, s, &t);
	for (size_t i = 0; i < v.n; i++)
		if (row_net(v.rows[i].fig)->kind == NET_NS_SHARED)
			assert_string_equal(v.rows[i].net_shared_with, web);
	d = &s->rows[snapshot_find(s, "/system.slice/docker-" ID2 ".scope")];
	row_net_mk(d)->kind = NET_NS_HOST;
	view_build_containers(&v, s, &t);
	assert_string_equal(fig_cell(rx, v.rows[1].fig, 0, buf, sizeof(buf)), "host");
	assert_string_equal(fig_cell(figure(F_NET_TX_BYTES), v.rows[1].fig, CELL_RAW, buf, sizeof(buf)), "host");
	view_free(&v);
	t.v[0].meta = t.v[1].meta = NULL;
	ctr_table_free(&t);
	snapshot_free(s);
}

static void test_groups(void **state)
{
	struct snapshot *s = sample();
	struct ctr_table t = { 0 };
	struct view v = { 0 };
	struct container_meta m1 = { 0 }, m2 = { 0 };
	char c1[] = "config_id", c2[] = "container_name", s3[] = "tripleo_step3", ks[] = "keystone";
	char heat[] = "heat_api";
	char *k1[] = { c1, c2 }, *v1[] = { s3, ks };
	char *k2[] = { c1 }, *v2[] = { s3 };

	m1.name = ks;
	m1.nlabels = 2;
	m1.label_keys = k1;
	m1.label_values = v1;
	m2.name = heat;
	m2.nlabels = 1;
	m2.label_keys = k2;
	m2.label_values = v2;
	ctr_table_build(&t, s);
	t.v[0].meta = &m1;
	t.v[1].meta = &m2;
	view_build_groups(&v, s, &t, GROUP_LABEL, "config_id");
	view_sort(&v, ORDER_MEMORY, false, false);
	assert_int_equal(v.rows[0].kind, VIEW_GROUP);
	assert_string_equal(v.rows[0].name, "tripleo_step3");
	assert_int_equal(v.rows[0].ngroup, 2);
	assert_int_equal(v.rows[0].nmembers, 3);
	assert_int_equal(v.rows[0].fig->mem_usage, 510);
	/* one of the two has a CPU rate: the sum knows it */
	assert_float_equal(v.rows[0].fig->cpu_percent, 50.5, 1e-9);
	/* a group's limit is the sum of its containers' (a container's own: its tightest
	 * cgroup's, the conmon's none aside); %Lim over that sum */
	{
		double pct;
		struct cg_row *r1 = &s->rows[snapshot_find(s, "/machine.slice/libpod-" ID1 ".scope")];
		struct cg_row *cm = &s->rows[snapshot_find(s, "/machine.slice/libpod-conmon-" ID1 ".scope")];
		struct cg_row *r2 = &s->rows[snapshot_find(s, "/system.slice/docker-" ID2 ".scope")];

		r1->mem_limit = 1000;
		cm->mem_limit = UINT64_MAX;
		r2->mem_limit = 2000;
		r1->valid |= FIELD_BIT(F_MEM_LIMIT);
		cm->valid |= FIELD_BIT(F_MEM_LIMIT);
		r2->valid |= FIELD_BIT(F_MEM_LIMIT);
		/* %Lim is the working set's share: make it the usage (no inactive cache) */
		r1->mem_ws = r1->mem_usage;
		cm->mem_ws = cm->mem_usage;
		r2->mem_ws = r2->mem_usage;
		r1->valid |= FIELD_BIT(F_MEM_WS);
		cm->valid |= FIELD_BIT(F_MEM_WS);
		r2->valid |= FIELD_BIT(F_MEM_WS);
		ctr_table_build(&t, s);
		t.v[0].meta = &m1;
		t.v[1].meta = &m2;
		view_build_containers(&v, s, &t);
		for (size_t i = 0; i < v.n; i++)
			if (v.rows[i].ctr && strcmp(v.rows[i].ctr->ref.id, ID1) == 0)
				assert_int_equal(v.rows[i].fig->mem_limit, 1000);
		view_build_groups(&v, s, &t, GROUP_LABEL, "config_id");
		assert_string_equal(v.rows[0].name, "tripleo_step3");
		assert_int_equal(v.rows[0].fig->mem_limit, 3000);
		assert_true(fig_value(figure(F_MEM_PERCENT), v.rows[0].fig, &pct));
		assert_float_equal(pct, 17.0, 1e-9);
		/* one member without a limit: the group has none, and no %Lim */
		r2->mem_limit = UINT64_MAX;
		ctr_table_build(&t, s);
		t.v[0].meta = &m1;
		t.v[1].meta = &m2;
		view_build_groups(&v, s, &t, GROUP_LABEL, "config_id");
		assert_int_equal(v.rows[0].fig->mem_limit, UINT64_MAX);
		assert_false(fig_value(figure(F_MEM_PERCENT), v.rows[0].fig, &pct));
	}
	view_build_groups(&v, s, &t, GROUP_LABEL, "nonexistent");
	assert_string_equal(v.rows[0].name, "(none)");
	assert_int_equal(v.rows[0].ngroup, 2);
	/* a group's wall time (for ages) is the sample's, also when its last container is a
	 * plain one (no metadata: its row is its cgroup's, which has no lifecycle block); a
	 * top-level cgroup's unescaped name is the group view's own, not the container
	 * view's it was built from (freed: ASan saw it read) */
	add(s, "/my\\x2dapp.slice", 5, 0.1);
	s->real_ns = 1800000000ull * 1000000000ull;
	ctr_table_build(&t, s);
	t.v[0].meta = &m1;
	t.v[1].meta = NULL;
	view_build_groups(&v, s, &t, GROUP_LABEL, "nonexistent");
	assert_string_equal(v.rows[0].name, "(none)");
	assert_int_equal(row_life(v.rows[0].fig)->now, 1800000000u);
	{
		bool found = false;

		for (size_t i = 0; i < v.n; i++)
			if (v.rows[i].kind == VIEW_CGROUP && strcmp(v.rows[i].path, "/my\\x2dapp.slice") == 0) {
				assert_string_equal(v.rows[i].name, "/my-app.slice");
				found = true;
			}
		assert_true(found);
	}
	view_free(&v);
	ctr_table_free(&t);
	snapshot_free(s);
}

/* The blocks of the rows a view sums (pressure, network, lifecycle) are the view's own,
 * copies of its members' (never the snapshot's), and a rebuild of the same sample makes
 * them again in the same place: the view's arena is rewound, nothing new allocated. A
 * plain container (one cgroup, no metadata) is its cgroup's row, without blocks when the
 * cgroup has none. */
static void test_blocks(void **state)
{
	struct snapshot *s = sample();
	struct ctr_table t = { 0 };
	struct view v = { 0 };
	struct container_meta m1 = { 0 };
	static const struct cg_row none; /* not found */
	char name[] = "web";
	const struct cg_row *c1 = &none, *c2 = &none, *h;
	struct cg_row *r;
	const void *psi, *net, *life;
	double d;

	(void)state;
	r = &s->rows[snapshot_find(s, "/machine.slice/libpod-" ID1 ".scope")];
	fig_set_double(figure(F_PSI_CPU_SOME), r, 30.0);
	r->valid |= FIELD_BIT(F_PSI_CPU_SOME);
	row_net_mk(r)->kind = NET_NS_OWN;
	fig_set_u64(figure(F_NET_RX_BYTES), r, 1000);
	r->valid |= FIELD_BIT(F_NET_RX_BYTES);
	h = r;
	m1.name = name;
	ctr_table_build(&t, s);
	t.v[0].meta = &m1;
	view_build_containers(&v, s, &t);
	for (size_t i = 0; i < v.n; i++) {
		if (v.rows[i].kind == VIEW_CONTAINER && strcmp(v.rows[i].ctr->ref.id, ID1) == 0)
			c1 = v.rows[i].fig;
		if (v.rows[i].kind == VIEW_CONTAINER && strcmp(v.rows[i].ctr->ref.id, ID2) == 0)
			c2 = v.rows[i].fig;
	}
	assert_ptr_not_equal(c1, &none);
	assert_ptr_not_equal(c2, &none);
	/* the podman container with its conmon: a sum, with blocks of its own */
	assert_ptr_not_equal(c1, h);
	assert_non_null(c1->psi);
	assert_ptr_not_equal(c1->psi, h->psi);
	assert_true(fig_value(figure(F_PSI_CPU_SOME), c1, &d));
	assert_float_equal(d, 30.0, 1e-9);
	assert_non_null(c1->net);
	assert_ptr_not_equal(c1->net, h->net);
	assert_int_equal(c1->net->kind, NET_NS_OWN);
	assert_int_equal(fig_u64(figure(F_NET_RX_BYTES), c1), 1000);
	assert_non_null(c1->life); /* its engine's */
	assert_null(h->life);
	/* the docker one: its cgroup's row, which has no block */
	assert_ptr_equal(c2, &s->rows[snapshot_find(s, "/system.slice/docker-" ID2 ".scope")]);
	assert_null(c2->psi);
	assert_null(c2->net);
	assert_null(c2->life);
	assert_false(fig_value(figure(F_PSI_CPU_SOME), c2, &d));
	/* built again: the same blocks */
	psi = c1->psi, net = c1->net, life = c1->life;
	view_build_containers(&v, s, &t);
	for (size_t i = 0; i < v.n; i++)
		if (v.rows[i].kind == VIEW_CONTAINER && strcmp(v.rows[i].ctr->ref.id, ID1) == 0)
			c1 = v.rows[i].fig;
	assert_ptr_equal(c1->psi, psi);
	assert_ptr_equal(c1->net, net);
	assert_ptr_equal(c1->life, life);
	/* a group of both: the worst pressure, the one namespace, in blocks of its own (the
	 * container view it was summed from is gone) */
	view_build_groups(&v, s, &t, GROUP_LABEL, "nonexistent");
	assert_int_equal(v.rows[0].kind, VIEW_GROUP);
	assert_int_equal(v.rows[0].ngroup, 2);
	c1 = v.rows[0].fig;
	assert_true(fig_value(figure(F_PSI_CPU_SOME), c1, &d));
	assert_float_equal(d, 30.0, 1e-9);
	assert_false(fig_value(figure(F_PSI_MEM_SOME), c1, &d));
	assert_ptr_not_equal(c1->psi, h->psi);
	assert_int_equal(row_net(c1)->kind, NET_NS_OWN);
	assert_ptr_not_equal(c1->net, h->net);
	assert_int_equal(fig_u64(figure(F_NET_RX_BYTES), c1), 1000);
	assert_non_null(c1->life);
	view_free(&v);
	t.v[0].meta = NULL;
	ctr_table_free(&t);
	snapshot_free(s);
}

/* A row is 64 bytes (10,000 containers' rows were 0.96 MB at 96): 32-bit indices, the
 * kind, section and flag packed beside the group count, which all still hold their
 * values. */
static void test_row_size(void **state)
{
	struct view_row r = { .parent = -1, .first_member = UINT32_MAX, .nmembers = UINT32_MAX,
			      .ngroup = VIEW_NGROUP_MAX, .kind = VIEW_GROUP, .section = 1,
			      .name_known = true };

	(void)state;
	assert_int_equal(sizeof(struct view_row), 64);
	assert_int_equal(sizeof(*((struct view *)NULL)->members), 4);
	assert_int_equal(r.parent, -1);
	assert_int_equal(r.ngroup, VIEW_NGROUP_MAX);
	assert_int_equal(r.kind, VIEW_GROUP);
	assert_int_equal(r.section, 1);
	assert_true(r.name_known);
	r.kind = VIEW_CGROUP;
	r.section = 0;
	r.name_known = false;
	assert_int_equal(r.ngroup, VIEW_NGROUP_MAX);
	assert_int_equal(r.kind, VIEW_CGROUP);
}

/* view_sort() moves the rows in place, cycle by cycle: rows in an order made of cycles
 * of several lengths (and rows already in place) come out sorted, each once, with the
 * sections apart. */
static void test_sort_in_place(void **state)
{
	/* memory of row i: its place when sorted, biggest first */
	static const unsigned place[] = { 3, 0, 1, 2, 4, 9, 6, 5, 8, 7, 10, 11 };
	struct snapshot *s = snapshot_new();
	struct view v = { 0 };
	char path[32];

	(void)state;
	for (size_t i = 0; i < sizeof(place) / sizeof(place[0]); i++) {
		snprintf(path, sizeof(path), "/r%02zu", i);
		add(s, path, 1000 - 10 * place[i], 1.0);
	}
	view_build_cgroups(&v, s, NULL);
	/* the last row in section 1: after all others, whatever its figures */
	v.rows[0].section = 1;
	view_sort(&v, ORDER_MEMORY, false, false);
	assert_int_equal(v.n, sizeof(place) / sizeof(place[0]));
	for (size_t k = 0; k + 1 < v.n; k++) {
		unsigned want = k < 3 ? (unsigned)k : (unsigned)k + 1;

		snprintf(path, sizeof(path), "/r%02zu", (size_t)0);
		for (size_t i = 0; i < v.n; i++)
			if (place[i] == want)
				snprintf(path, sizeof(path), "/r%02zu", i);
		assert_string_equal(v.rows[k].path, path);
		assert_int_equal(v.rows[k].section, 0);
		assert_int_equal(v.rows[k].fig->mem_usage, 1000 - 10 * want);
	}
	assert_string_equal(v.rows[v.n - 1].path, "/r00");
	assert_int_equal(v.rows[v.n - 1].section, 1);
	/* reversed: the same rows the other way, section 1 still last */
	view_sort(&v, ORDER_MEMORY, true, false);
	for (size_t k = 0; k + 1 < v.n; k++)
		assert_true(v.rows[k].fig->mem_usage <= (k + 2 < v.n ? v.rows[k + 1].fig->mem_usage : UINT64_MAX));
	assert_string_equal(v.rows[v.n - 1].path, "/r00");
	view_free(&v);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_containers),
		cmocka_unit_test(test_all_and_unescape),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_network),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_row_size),
		cmocka_unit_test(test_sort_in_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
