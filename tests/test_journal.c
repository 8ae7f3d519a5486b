/* The journal entries of a hand-made view: fields for known values only, the message people
 * read, sanitized values. (journal.test sends them to a real journald.) */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"
#include "journal.h"
#include "view.h"

#define ID1 "b25aa6e03826d42d0d4ad6788365cc7e1db006f24278c57cc4160f5fd1b19d2a"
#define ID2 "b2a5531d8b296cc72d3c009e756e4ff3c9aa7c36171f79b93a512e4b65402f13"

static struct cg_row *add(struct snapshot *s, const char *path)
{
	size_t i = snapshot_row(s, path, strlen(path)); /* may move s->rows */

	return &s->rows[i];
}

static struct snapshot *sample(void)
{
	struct snapshot *s = snapshot_new();
	struct cg_row *r;

	add(s, "/")->valid = 0;
	r = add(s, "/system.slice/docker-" ID1 ".scope");
	r->depth = 2;
	r->tasks = 11;
	r->cpu_ns = 41234567890123ull;
	r->cpu_percent = 12.3456;
	r->mem_usage = 104439808; /* 99.6M */
	r->mem_ws = 82305024;
	r->io_rbps = 0;
	r->io_wbps = 1258291.2; /* 1.2M */
	r->io_source = IO_SRC_THROTTLE;
	r->valid = FIELD_BIT(F_TASKS) | FIELD_BIT(F_CPU_NS) | FIELD_BIT(F_CPU_RATE) | FIELD_BIT(F_MEM_USAGE) |
		   FIELD_BIT(F_MEM_WS) | FIELD_BIT(F_IO_RBPS) | FIELD_BIT(F_IO_WBPS);
	/* a container no engine knows, with a name made of control bytes in its path */
	r = add(s, "/system.slice/docker-" ID2 ".scope");
	r->depth = 2;
	r->tasks = 24;
	r->valid = FIELD_BIT(F_TASKS);
	r = add(s, "/bad\nname\x1b[31m");
	r->depth = 1;
	r->mem_usage = 1024;
	r->io_rbps = 2048;
	r->io_source = IO_SRC_PROC;
	r->valid = FIELD_BIT(F_MEM_USAGE) | FIELD_BIT(F_IO_RBPS);
	return s;
}

static const struct view_row *find(const struct view *v, const char *path)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->rows[i].path, path) == 0)
			return &v->rows[i];
	fail_msg("no row %s", path);
	return NULL;
}

static const struct view_row *find_name(const struct view *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->rows[i].name, name) == 0)
			return &v->rows[i];
	fail_msg("no row named %s", name);
	return NULL;
}

static void test_entries(void **state)
{
	struct snapshot *s = sample();
	struct ctr_table t = { 0 };
	struct view v = { 0 };
	static char id[] = ID1, name[] = "keystone", image[] = "rhosp13/keystone:13.0";
	static char k1[] = "config_id", v1[] = "tripleo_step3\n";
	char *keys[] = { k1 }, *values[] = { v1 };
	struct container_meta meta = { .id = id, .name = name, .image = image, .nlabels = 1,
				       .label_keys = keys, .label_values = values };
	struct journal_entry e;

	ctr_table_build(&t, s);
	for (size_t i = 0; i < t.n; i++)
		if (strcmp(t.v[i].ref.id, ID1) == 0)
			t.v[i].meta = &meta; /* what an engine would say */
	view_build_containers(&v, s, &t);

	journal_entry_build(&e, find(&v, "/system.slice/docker-" ID1 ".scope"), 7);
	assert_string_equal(journal_entry_get(&e, "MESSAGE"),
			    "keystone (b25aa6e03826) cpu 12.3% mem 99.6M tasks 11 read 0B/s write 1.2M/s");
	assert_string_equal(journal_entry_get(&e, "PRIORITY"), "6");
	assert_string_equal(journal_entry_get(&e, "SYSLOG_IDENTIFIER"), "cgtop");
	assert_string_equal(journal_entry_get(&e, "CGTOP_ITERATION"), "7");
	assert_string_equal(journal_entry_get(&e, "CGTOP_KIND"), "container");
	assert_string_equal(journal_entry_get(&e, "CGTOP_PATH"), "/system.slice/docker-" ID1 ".scope");
	assert_string_equal(journal_entry_get(&e, "CGTOP_CONTAINER_NAME"), "keystone");
	assert_string_equal(journal_entry_get(&e, "CGTOP_CONTAINER_ID"), "b25aa6e03826");
	assert_string_equal(journal_entry_get(&e, "CGTOP_CONTAINER_ID_FULL"), ID1);
	assert_string_equal(journal_entry_get(&e, "CGTOP_IMAGE"), "rhosp13/keystone:13.0");
	assert_string_equal(journal_entry_get(&e, "CGTOP_CONFIG_ID"), "tripleo_step3\\x0a");
	assert_string_equal(journal_entry_get(&e, "CGTOP_CPU_PERCENT"), "12.346");
	assert_string_equal(journal_entry_get(&e, "CGTOP_CPU_NS"), "41234567890123");
	assert_string_equal(journal_entry_get(&e, "CGTOP_MEMORY_BYTES"), "104439808");
	assert_string_equal(journal_entry_get(&e, "CGTOP_MEMORY_WORKING_SET_BYTES"), "82305024");
	assert_string_equal(journal_entry_get(&e, "CGTOP_TASKS"), "11");
	assert_string_equal(journal_entry_get(&e, "CGTOP_IO_READ_BPS"), "0");
	assert_string_equal(journal_entry_get(&e, "CGTOP_IO_WRITE_BPS"), "1258291");
	assert_string_equal(journal_entry_get(&e, "CGTOP_IO_SOURCE"), "blkio-throttle");
	journal_entry_free(&e);

	/* unknown name and values: no field for them, not an empty or a 0 one */
	journal_entry_build(&e, find(&v, "/system.slice/docker-" ID2 ".scope"), 1);
	assert_string_equal(journal_entry_get(&e, "MESSAGE"), "?b2a5531d8b29 tasks 24");
	assert_null(journal_entry_get(&e, "CGTOP_CONTAINER_NAME"));
	assert_null(journal_entry_get(&e, "CGTOP_IMAGE"));
	assert_null(journal_entry_get(&e, "CGTOP_CONFIG_ID"));
	assert_null(journal_entry_get(&e, "CGTOP_CPU_PERCENT"));
	assert_null(journal_entry_get(&e, "CGTOP_CPU_NS"));
	assert_null(journal_entry_get(&e, "CGTOP_MEMORY_BYTES"));
	assert_null(journal_entry_get(&e, "CGTOP_IO_READ_BPS"));
	assert_null(journal_entry_get(&e, "CGTOP_IO_SOURCE"));
	assert_string_equal(journal_entry_get(&e, "CGTOP_CONTAINER_ID"), "b2a5531d8b29");
	journal_entry_free(&e);

	/* a cgroup: control bytes escaped in every field; an estimated rate marked in the message */
	journal_entry_build(&e, find(&v, "/bad\nname\x1b[31m"), 1);
	assert_string_equal(journal_entry_get(&e, "CGTOP_PATH"), "/bad\\x0aname\\x1b[31m");
	assert_string_equal(journal_entry_get(&e, "MESSAGE"), "/bad\\x0aname\\x1b[31m mem 1.0K read ~2.0K/s");
	assert_string_equal(journal_entry_get(&e, "CGTOP_KIND"), "cgroup");
	assert_string_equal(journal_entry_get(&e, "CGTOP_IO_SOURCE"), "proc");
	assert_null(journal_entry_get(&e, "CGTOP_CONTAINER_ID"));
	assert_null(journal_entry_get(&e, "CGTOP_IO_WRITE_BPS"));
	for (size_t i = 0; i < e.n; i++)
		for (const char *p = e.field[i]; *p; p++)
			assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
	journal_entry_free(&e);

	/* a group: its value and how many containers it sums */
	view_build_groups(&v, s, &t, GROUP_LABEL, "config_id");
	journal_entry_build(&e, find(&v, ""), 1);
	assert_string_equal(journal_entry_get(&e, "CGTOP_KIND"), "group");
	assert_null(journal_entry_get(&e, "CGTOP_PATH"));
	journal_entry_free(&e);
	for (size_t i = 0; i < v.n; i++) {
		if (v.rows[i].kind != VIEW_GROUP || strcmp(v.rows[i].name, "(none)") != 0)
			continue;
		journal_entry_build(&e, &v.rows[i], 1);
		assert_string_equal(journal_entry_get(&e, "CGTOP_GROUP"), "(none)");
		assert_string_equal(journal_entry_get(&e, "CGTOP_GROUP_CONTAINERS"), "1");
		assert_string_equal(journal_entry_get(&e, "MESSAGE"), "(none) (1 container) tasks 24");
		journal_entry_free(&e);
	}

	view_free(&v);
	ctr_table_free(&t);
	snapshot_free(s);
}

#define POD "/kubepods/burstable/pod3f1e2d4c-8b7a-4e5f-9a6b-1c2d3e4f5a6b"
#define APP "7e77b80f286829fb960d9389484c796b072dd8385148d1a0e07d870dde60a722"
#define PAUSE "5eef615509897a9d0ec8eb45caab1c40e353a9ddfbb32b7f2e024b1ec9d471cc"

/* A Kubernetes pod: CGTOP_POD and CGTOP_NAMESPACE on the containers (their own labels,
 * or for the sandbox its pod's) and on the pod's own cgroup. */
static void test_kubernetes(void **state)
{
	struct snapshot *s = snapshot_new();
	struct ctr_table t = { 0 };
	struct view v = { 0 };
	static char pod_uid[] = "3f1e2d4c-8b7a-4e5f-9a6b-1c2d3e4f5a6b", pod_name[] = "shop/web-1";
	static char app_id[] = APP, app_name[] = "shop/web-1/gunicorn";
	static char kp[] = "io.kubernetes.pod.name", kn[] = "io.kubernetes.pod.namespace";
	static char vp[] = "web-1", vn[] = "shop", evil[] = "shop\033[2J";
	char *keys[] = { kn, kp }, *pod_values[] = { vn, vp }, *app_values[] = { evil, vp };
	struct container_meta pod_meta = { .id = pod_uid, .name = pod_name, .nlabels = 2,
					   .label_keys = keys, .label_values = pod_values };
	struct container_meta app_meta = { .id = app_id, .name = app_name, .nlabels = 2,
					   .label_keys = keys, .label_values = app_values };
	struct journal_entry e;
	size_t i;

	(void)state;
	i = snapshot_row(s, "/", 1);
	s->rows[i].valid = 0;
	i = snapshot_row(s, POD, strlen(POD));
	s->rows[i].parent = 0;
	s->rows[i].depth = 3;
	i = snapshot_row(s, POD "/" APP, strlen(POD "/" APP));
	s->rows[i].parent = 1;
	s->rows[i].depth = 4;
	i = snapshot_row(s, POD "/" PAUSE, strlen(POD "/" PAUSE));
	s->rows[i].parent = 1;
	s->rows[i].depth = 4;
	ctr_table_build(&t, s);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.npods, 1);
	t.pods[0].meta = &pod_meta;
	for (size_t k = 0; k < t.n; k++) {
		assert_ptr_equal(t.v[k].pod, &t.pods[0]);
		if (strcmp(t.v[k].ref.id, APP) == 0)
			t.v[k].meta = &app_meta;
	}
	view_build_cgroups(&v, s, &t);
	journal_entry_build(&e, find(&v, POD "/" APP), 1);
	assert_string_equal(journal_entry_get(&e, "CGTOP_POD"), "web-1");
	assert_string_equal(journal_entry_get(&e, "CGTOP_NAMESPACE"), "shop\\x1b[2J"); /* its own, escaped */
	journal_entry_free(&e);
	journal_entry_build(&e, find(&v, POD "/" PAUSE), 1);
	assert_string_equal(journal_entry_get(&e, "CGTOP_POD"), "web-1");
	assert_string_equal(journal_entry_get(&e, "CGTOP_NAMESPACE"), "shop");
	assert_string_equal(journal_entry_get(&e, "MESSAGE"), POD "/" PAUSE " (shop/web-1/?5eef61550989)");
	journal_entry_free(&e);
	journal_entry_build(&e, find(&v, POD), 1);
	assert_string_equal(journal_entry_get(&e, "CGTOP_POD"), "web-1");
	assert_string_equal(journal_entry_get(&e, "CGTOP_NAMESPACE"), "shop");
	assert_null(journal_entry_get(&e, "CGTOP_CONTAINER_ID"));
	journal_entry_free(&e);
	journal_entry_build(&e, find(&v, "/"), 1);
	assert_null(journal_entry_get(&e, "CGTOP_POD"));
	journal_entry_free(&e);

	/* the container view: the sandbox by its pod; groups by pod */
	view_build_containers(&v, s, &t);
	assert_non_null(find_name(&v, "shop/web-1/?5eef61550989"));
	assert_non_null(find_name(&v, "shop/web-1/gunicorn"));
	view_build_groups(&v, s, &t, GROUP_POD, NULL);
	assert_int_equal(find_name(&v, "shop/web-1")->ngroup, 1);
	assert_int_equal(find_name(&v, "shop\033[2J/web-1")->ngroup, 1);
	view_build_groups(&v, s, &t, GROUP_NAMESPACE, NULL);
	assert_int_equal(find_name(&v, "shop")->ngroup, 1);
	view_free(&v);
	ctr_table_free(&t);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
		cmocka_unit_test(test_kubernetes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
