/* The metrics front end on a hand-made view: label values escaped after sanitize(), unknown
 * values and unlimited memory without a sample, metadata labels, both dialects. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"
#include "openmetrics.h"
#include "view.h"

#define ID1 "b25aa6e03826d42d0d4ad6788365cc7e1db006f24278c57cc4160f5fd1b19d2a"

static void test_label_value(void **state)
{
	struct {
		const char *raw, *want;
	} cases[] = {
		{ "plain", "plain" },
		{ "a\"b", "a\\\"b" },
		{ "a\\b", "a\\\\b" },
		/* a newline is a control byte: sanitize() makes it \x0a, whose backslash is escaped */
		{ "a\nb", "a\\\\x0ab" },
		{ "\x1b[31m", "\\\\x1b[31m" },
		{ "\xe2\x80\xae", "\\\\u{202e}" }, /* U+202E, right-to-left override */
		{ "\xff", "\\\\xff" },              /* not UTF-8 */
		{ "caf\xc3\xa9", "caf\xc3\xa9" },   /* valid UTF-8 stays */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *v = metrics_label_value(cases[i].raw);

		assert_string_equal(v, cases[i].want);
		free(v);
	}
}

/* Output of V in dialect D, as a string. */
static char *render(const struct view *v, enum metrics_dialect d, const char *host)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(output_metrics(f, v, d, host), 0);
	fclose(f);
	return text;
}

static struct snapshot *sample(void)
{
	struct snapshot *s = snapshot_new();
	const char *paths[] = { "/", "/system.slice", "/system.slice/docker-" ID1 ".scope",
				"/user.slice" };

	for (size_t i = 0; i < 4; i++) {
		size_t k = snapshot_row(s, paths[i], strlen(paths[i])); /* may move s->rows */
		struct cg_row *r = &s->rows[k];

		r->depth = i == 2 ? 2 : i ? 1 : 0;
		r->tasks = 10 + i;
		r->cpu_ns = 1500000000ull * (i + 1);
		r->mem_usage = 1048576 * (i + 1);
		r->mem_limit = i == 2 ? 1073741824 : UINT64_MAX;
		r->valid = FIELD_BIT(F_TASKS) | FIELD_BIT(F_CPU_NS) | FIELD_BIT(F_MEM_USAGE) |
			   FIELD_BIT(F_MEM_LIMIT);
	}
	/* /user.slice: nothing known but its tasks */
	s->rows[3].valid = FIELD_BIT(F_TASKS);
	return s;
}

static void test_exposition(void **state)
{
	struct snapshot *s = sample();
	struct ctr_table t = { 0 };
	struct view v = { 0 };
	static char id[] = ID1, name[] = "heat_api", image[] = "rhosp13/heat-api:13.0";
	static char k1[] = "config_id", k2[] = "com.example.empty", v1[] = "tripleo_step4", v2[] = "";
	static char k3[] = "managed_by", v3[] = "tripleo_ansible";
	char *label_keys[] = { k1, k2, k3 }, *label_values[] = { v1, v2, v3 };
	struct container_meta meta = { .id = id, .name = name, .image = image, .nlabels = 3,
				       .label_keys = label_keys, .label_values = label_values };
	char *om, *prom;

	ctr_table_build(&t, s);
	assert_int_equal(t.n, 1);
	t.v[0].meta = &meta;
	view_build_containers(&v, s, &t);
	view_sort(&v, ORDER_PATH, false, false);
	om = render(&v, METRICS_OPENMETRICS, NULL);

	/* the container: name, short ID, image, config_id and managed_by from its metadata */
	assert_non_null(strstr(om, "cgtop_tasks{path=\"/system.slice/docker-" ID1 ".scope\",name=\"heat_api\","
				   "container_id=\"b25aa6e03826\",image=\"rhosp13/heat-api:13.0\","
				   "config_id=\"tripleo_step4\",managed_by=\"tripleo_ansible\",kind=\"container\"} 12\n"));
	/* a cgroup: no container labels at all, not empty ones */
	assert_non_null(strstr(om, "cgtop_tasks{path=\"/\",name=\"/\",kind=\"cgroup\"} 10\n"));
	/* exact seconds; the counter's family has no _total, its samples do */
	assert_non_null(strstr(om, "# TYPE cgtop_cpu_seconds counter\n# UNIT cgtop_cpu_seconds seconds\n"));
	assert_non_null(strstr(om, "cgtop_cpu_seconds_total{path=\"/\",name=\"/\",kind=\"cgroup\"} 1.5\n"));
	/* only the limited container has a limit sample */
	assert_non_null(strstr(om, "kind=\"container\"} 1073741824\n"));
	assert_null(strstr(om, "cgtop_memory_limit_bytes{path=\"/\""));
	/* /user.slice knows only its tasks; no rates in a first sample: no family at all */
	assert_null(strstr(om, "cgtop_memory_bytes{path=\"/user.slice\""));
	assert_null(strstr(om, "cpu_percent"));
	assert_null(strstr(om, "per_second"));
	assert_string_equal(om + strlen(om) - 6, "# EOF\n");

	/* no host given: no host label */
	assert_null(strstr(om, "host="));

	prom = render(&v, METRICS_PROMETHEUS, "controller-0");
	assert_non_null(strstr(prom, "# TYPE cgtop_cpu_seconds_total counter\n"));
	assert_null(strstr(prom, "# UNIT"));
	/* the host's name first, on every sample */
	assert_non_null(strstr(prom, "cgtop_cpu_seconds_total{host=\"controller-0\",path=\"/\",name=\"/\",kind=\"cgroup\"} 1.5\n"));
	assert_non_null(strstr(prom, "cgtop_tasks{host=\"controller-0\",path=\"/system.slice/docker-" ID1 ".scope\",name=\"heat_api\","));
	for (const char *p = prom; (p = strstr(p, "\ncgtop_")); p++)
		assert_int_equal(strncmp(strchr(p, '{'), "{host=\"controller-0\",", 21), 0);
	free(om);
	free(prom);

	/* a host name is a label value like any other: sanitized, then escaped */
	prom = render(&v, METRICS_PROMETHEUS, "ctl\"0\x1b[31m");
	assert_non_null(strstr(prom, "{host=\"ctl\\\"0\\\\x1b[31m\",path=\"/\","));
	free(prom);

	/* groups: no path label, the group value as the name */
	view_build_groups(&v, s, &t, GROUP_LABEL, "config_id");
	view_sort(&v, ORDER_PATH, false, false);
	om = render(&v, METRICS_OPENMETRICS, NULL);
	assert_non_null(strstr(om, "cgtop_tasks{name=\"tripleo_step4\",kind=\"group\"} 12\n"));
	free(om);

	view_free(&v);
	ctr_table_free(&t);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_value),
		cmocka_unit_test(test_exposition),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
