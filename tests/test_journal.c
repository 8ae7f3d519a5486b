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
	view_build_groups(&v, s, &t, "config_id");
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
