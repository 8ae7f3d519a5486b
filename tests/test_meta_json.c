/* Unit tests of the metadata parsers (engine list answers, config.v2.json, podman's
 * containers.json) on answers captured from real Docker and podman engines,
 * and on hostile variants of them. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "meta.h"
#include "util.h"

#define S(lit) (lit), (sizeof(lit) - 1)

/* tests/fixtures/docker: keystone (paunch), captured by tests/fixtures/docker/capture.sh */
#define KS_ID "6a65a6e8109c13144e4a1eb3876f3d71b7d81ddb770491ed32e30d72be762da4"
#define KS_CRON_ID "7bfd6ec97d634572fc3ec8b29e17b5d06adda92e1b5da6375c3d7fcb4e7df2c0"
#define KS_DB_ID "ac6dc0497958b0d5112850c0947328cf072628ed7a6a49e82f42cc635351eb65"
/* tests/fixtures/meta/docker-states */
#define ST_HEALTHY "81f5dec49529a33296004a814b7bfa0f354d9195e013b3979704b423e4eb1025"
#define ST_UNHEALTHY "93e73f173474433262ce3a18b61bbff33bdc604f8268b7490b2c12f3ade3d457"
#define ST_STARTING "6fda5f9b8536914092146b2adc7fc2aaab3f244c60b898016fdca82acabc2c18"
#define ST_PAUSED "413ae938a008ffb9e477ec9a586a7a1c91aecc761023e12ed37afe7b2fc86734"
#define ST_CREATED "22a640b4b20d9e747ee0a2f17e3cb73c1dfd8faeffab10adbe04cd6e69e30c73"
/* tests/fixtures/meta/docker-lifecycle */
#define LC_LOOP "0b8a0cc7f2058c1fd0e4ee38ad628e376ce25709bc2b437f4c805d6ca743dc1b"
#define LC_EXIT7 "740cec5ae337e74933ed870dc6f4d1b3772cb5bb6debd4e3947cdcf38b87c550"
#define LC_OOM "fd9561c0d62b9bcf27936c258428f35782e1f7521d6b9f110922d77d932e9a48"
#define LC_SICK "4f6d66ea02c9ae505e3e3d17fa0188f4b645ef40bf7434345ae73e29cacb7f30"
/* tests/fixtures/podman */
#define PM_WEB1 "c985d04926c5f95177b33a8b6df6f15cf935c59e5aa9ba0105e5ced3d22d4cff"
#define PM_KEYSTONE "96cd28c24e9a3e715dea4dc85a35b72732b010688fcd7a1052c985b48df699a9"
#define PM_ONESHOT "bfe322327acd71469be5f1214b5f16ad35caadb26a134dc16e6075081c3e1689"

/* Read fixture NAME (relative to tests/fixtures) into B; fails the test if missing. */
static void fixture(const char *name, struct buf *b)
{
	char path[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open fixture %s", path);
	b->len = 0;
	for (;;) {
		assert_int_equal(buf_reserve(b, b->len + 65536), 0);
		n = fread(b->data + b->len, 1, 65536, f);
		b->len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	b->data[b->len] = '\0';
}

static const struct container_meta *find(const struct meta_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].id, id) == 0)
			return &l->v[i];
	fail_msg("container %.12s not in the list", id);
	return NULL;
}

static const char *label(const struct container_meta *m, const char *key)
{
	for (size_t i = 0; i < m->nlabels; i++)
		if (strcmp(m->label_keys[i], key) == 0)
			return m->label_values[i];
	return NULL;
}

/* The three paunch containers of tests/fixtures/docker as any source must show them. */
static void assert_keystone_trio(const struct meta_list *l, bool with_pid)
{
	const struct container_meta *m;

	m = find(l, KS_ID);
	assert_string_equal(m->name, "keystone");
	assert_string_equal(m->engine_name, "keystone");
	assert_string_equal(m->image, "cgtop-busybox");
	assert_string_equal(m->state, "running");
	assert_string_equal(m->config_id, "tripleo_step3");
	assert_string_equal(m->managed_by, "paunch");
	assert_int_equal(m->nlabels, 4);
	assert_string_equal(label(m, "container_name"), "keystone");
	assert_non_null(strstr(label(m, "config_data"), "\"KOLLA_CONFIG_STRATEGY=COPY_ALWAYS\""));
	assert_null(m->health);
	assert_int_equal(m->main_pid, with_pid ? 21541 : 0);

	m = find(l, KS_CRON_ID);
	assert_string_equal(m->name, "keystone_cron");
	assert_string_equal(m->state, "running");
	assert_string_equal(m->config_id, "tripleo_step3");
	assert_string_equal(m->managed_by, "paunch");
	assert_int_equal(m->nlabels, 3);
	assert_int_equal(m->main_pid, with_pid ? 21720 : 0);

	m = find(l, KS_DB_ID);
	assert_string_equal(m->name, "keystone_db_sync");
	assert_string_equal(m->state, "exited");
	assert_string_equal(m->image, "cgtop-busybox");
	assert_int_equal(m->main_pid, 0);
}

static void test_docker_list(void **state)
{
	struct buf b = { 0 };
	struct meta_list l = { 0 };

	fixture("docker/containers-json.json", &b);
	assert_int_equal(meta_parse_containers_json(b.data, b.len, &l), 0);
	assert_int_equal(l.n, 3);
	assert_keystone_trio(&l, false);
	meta_list_free(&l);
	buf_free(&b);
}

static void test_docker_config_v2(void **state)
{
	static const char *const ids[] = { KS_ID, KS_CRON_ID, KS_DB_ID };
	struct meta_list l = { 0 };
	struct buf b = { 0 };
	char name[256];

	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		snprintf(name, sizeof(name), "docker/var-lib-docker/containers/%s/config.v2.json", ids[i]);
		fixture(name, &b);
		l.v = xrealloc(l.v, (l.n + 1) * sizeof(*l.v));
		assert_int_equal(meta_parse_config_v2(b.data, b.len, &l.v[l.n]), 0);
		assert_string_equal(l.v[l.n].id, ids[i]);
		l.n++;
	}
	assert_keystone_trio(&l, true);
	meta_list_free(&l);
	buf_free(&b);
}

/* Health and run states, as Docker's list says them and as config.v2.json does. */
static void test_docker_states(void **state)
{
	static const struct {
		const char *id, *name, *state, *health;
		int pid;
	} want[] = {
		{ ST_HEALTHY, "nova_api", "running", "healthy", 6399 },
		{ ST_UNHEALTHY, "web_unhealthy", "running", "unhealthy", 6569 },
		{ ST_STARTING, "web_starting", "running", "starting", 6751 },
		{ ST_PAUSED, "web_paused", "paused", NULL, 6938 },
		{ ST_CREATED, "web_created", "created", NULL, 0 },
	};
	struct buf b = { 0 };
	struct meta_list l = { 0 };
	char name[256];

	fixture("meta/docker-states/containers-json.json", &b);
	assert_int_equal(meta_parse_containers_json(b.data, b.len, &l), 0);
	assert_int_equal(l.n, 5);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const struct container_meta *m = find(&l, want[i].id);
		struct container_meta c;

		assert_string_equal(m->name, want[i].name);
		assert_string_equal(m->state, want[i].state);
		if (want[i].health)
			assert_string_equal(m->health, want[i].health);
		else
			assert_null(m->health);
		assert_int_equal(m->main_pid, 0);

		snprintf(name, sizeof(name), "meta/docker-states/root/var/lib/docker/containers/%s/config.v2.json",
			 want[i].id);
		fixture(name, &b);
		assert_int_equal(meta_parse_config_v2(b.data, b.len, &c), 0);
		assert_string_equal(c.name, want[i].name);
		assert_string_equal(c.state, want[i].state);
		if (want[i].health)
			assert_string_equal(c.health, want[i].health);
		else
			assert_null(c.health);
		assert_int_equal(c.main_pid, want[i].pid);
		assert_string_equal(c.image, "cgtop-busybox");
		container_meta_free(&c);
	}
	/* the label container_name wins over the engine's name */
	assert_string_equal(find(&l, ST_HEALTHY)->engine_name, "web_healthy");
	assert_string_equal(find(&l, ST_HEALTHY)->config_id, "tripleo_step4");
	assert_string_equal(find(&l, ST_HEALTHY)->managed_by, "tripleo_ansible");
	assert_null(find(&l, ST_PAUSED)->config_id);
	assert_int_equal(find(&l, ST_PAUSED)->nlabels, 0);
	meta_list_free(&l);
	buf_free(&b);
}

/* The lifecycle of crash-looping, exited, OOM-killed and unhealthy containers, from the
 * inspect answers and, the same but the restart policy, from config.v2.json. */
static void test_docker_lifecycle(void **state)
{
	static const struct {
		const char *id, *file, *state, *health, *policy, *log;
		int exit_code, streak;
		unsigned restarts;
		bool oom;
		long long started, finished;
	} want[] = {
		/* date -u -d 2026-12-01T17:13:33Z +%s = 1796145213 */
		{ LC_LOOP, "crashloop", "restarting", NULL, "always", "", 3, 0, 4, false,
		  1796145213, 1796145215 },
		{ LC_EXIT7, "exit7", "exited", NULL, "no", "", 7, 0, 0, false, 1796145204, 1796145204 },
		{ LC_OOM, "oomer", "exited", NULL, "no", "", 137, 0, 0, true, 1796145208, 1796145208 },
		{ LC_SICK, "sick", "running", "unhealthy", "no", "probe says no\n", 0, 7, 0, false,
		  1796145210, 0 },
	};
	struct buf b = { 0 };
	char name[256];

	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		struct container_meta m, c;

		snprintf(name, sizeof(name), "meta/docker-lifecycle/inspect%s.json", want[i].file);
		fixture(name, &b);
		assert_int_equal(meta_parse_inspect(b.data, b.len, &m), 0);
		snprintf(name, sizeof(name), "meta/docker-lifecycle/root/var/lib/docker/containers/%s/config.v2.json",
			 want[i].id);
		fixture(name, &b);
		assert_int_equal(meta_parse_config_v2(b.data, b.len, &c), 0);
		assert_string_equal(m.id, want[i].id);
		assert_string_equal(m.name, want[i].file);
		assert_string_equal(m.image, "cgtop-busybox");
		assert_string_equal(m.life.restart_policy, want[i].policy);
		assert_string_equal(c.life.restart_policy, "");
		for (int k = 0; k < 2; k++) {
			const struct container_meta *x = k ? &c : &m;

			assert_true(x->life.known);
			assert_string_equal(x->state, want[i].state);
			if (want[i].health)
				assert_string_equal(x->health, want[i].health);
			else
				assert_null(x->health);
			assert_int_equal(x->life.exit_code, want[i].exit_code);
			assert_int_equal(x->life.oom_killed, want[i].oom);
			assert_int_equal(x->life.restart_count, want[i].restarts);
			assert_int_equal(x->life.failing_streak, want[i].streak);
			assert_int_equal(x->life.started_at, want[i].started);
			assert_int_equal(x->life.finished_at, want[i].finished);
			assert_string_equal(x->life.health_log, want[i].log);
		}
		container_meta_free(&m);
		container_meta_free(&c);
		snprintf(name, sizeof(name), "meta/docker-lifecycle/root/var/lib/docker/containers/%s/hostconfig.json",
			 want[i].id);
		fixture(name, &b);
		assert_int_equal(meta_parse_restart_policy(b.data, b.len, name, sizeof(name)), 0);
		assert_string_equal(name, want[i].policy);
	}
	/* the list: Status kept for the next fetch to compare, states as it says them */
	{
		struct meta_list l = { 0 };

		fixture("meta/docker-lifecycle/containers-json.json", &b);
		assert_int_equal(meta_parse_containers_json(b.data, b.len, &l), 0);
		assert_int_equal(l.n, 4);
		assert_string_equal(find(&l, LC_EXIT7)->status, "Exited (7) 9 seconds ago");
		assert_string_equal(find(&l, LC_EXIT7)->state, "exited");
		assert_string_equal(find(&l, LC_SICK)->health, "unhealthy");
		assert_false(find(&l, LC_OOM)->life.known); /* the list says nothing of OOM kills */
		meta_list_free(&l);
	}
	/* not an inspect answer; the words of the states */
	assert_int_equal(meta_parse_inspect(S("{\"State\":{}}"), &(struct container_meta){ 0 }), -EINVAL);
	assert_int_equal(meta_parse_inspect(S("[1"), &(struct container_meta){ 0 }), -ENODATA);
	assert_int_equal(ctr_state_of("exited"), CST_EXITED);
	assert_int_equal(ctr_state_of("stopped"), CST_EXITED);
	assert_int_equal(ctr_state_of("restarting"), CST_RESTARTING);
	assert_int_equal(ctr_state_of("bogus"), 0);
	assert_string_equal(ctr_state_word(CST_DEAD), "dead");
	assert_int_equal(ctr_health_of("unhealthy"), CHE_UNHEALTHY);
	assert_string_equal(ctr_health_word(CHE_NONE), "none");
	buf_free(&b);
}

/* The three podman containers of tests/fixtures/podman as its libpod list shows them. */
static void assert_podman_trio(const struct meta_list *l, bool libpod)
{
	const struct container_meta *m = find(l, PM_WEB1);

	assert_string_equal(m->name, "nova_api");
	assert_string_equal(m->engine_name, "web1");
	assert_string_equal(m->image, "localhost/cgtop-busybox:latest");
	assert_string_equal(m->state, "running");
	assert_string_equal(m->config_id, "tripleo_step4");
	assert_string_equal(m->managed_by, "tripleo_ansible");
	assert_int_equal(m->main_pid, libpod ? 5943 : 0);
	assert_null(m->health);

	m = find(l, PM_KEYSTONE);
	assert_string_equal(m->name, "keystone");
	assert_string_equal(m->config_id, "tripleo_step3");
	assert_string_equal(m->managed_by, "paunch");
	assert_int_equal(m->main_pid, libpod ? 6387 : 0);
	/* podman's Docker-compatible list drops the health */
	if (libpod)
		assert_string_equal(m->health, "healthy");
	else
		assert_null(m->health);

	m = find(l, PM_ONESHOT);
	assert_string_equal(m->name, "oneshot");
	assert_string_equal(m->state, "exited");
	assert_string_equal(label(m, "app"), "batch");
	assert_null(m->config_id);
	assert_int_equal(m->main_pid, 0);
}

static void test_podman_lists(void **state)
{
	struct buf b = { 0 };
	struct meta_list l = { 0 };

	fixture("podman/libpod-containers-json.json", &b);
	assert_int_equal(meta_parse_containers_json(b.data, b.len, &l), 0);
	assert_int_equal(l.n, 3);
	assert_podman_trio(&l, true);
	meta_list_free(&l);

	fixture("podman/compat-containers-json.json", &b);
	assert_int_equal(meta_parse_containers_json(b.data, b.len, &l), 0);
	assert_int_equal(l.n, 3);
	assert_podman_trio(&l, false);
	meta_list_free(&l);

	buf_free(&b);
}

static void test_podman_storage(void **state)
{
	struct buf b = { 0 };
	struct meta_list l = { 0 };
	const struct container_meta *m;

	fixture("podman/root/var/lib/containers/storage/overlay-containers/containers.json", &b);
	assert_int_equal(meta_parse_podman_storage(b.data, b.len, &l), 0);
	assert_int_equal(l.n, 8);
	m = find(&l, PM_WEB1);
	/* no labels in this file: the engine name it is */
	assert_string_equal(m->name, "web1");
	assert_string_equal(m->image, "localhost/cgtop-busybox:latest");
	assert_int_equal(m->nlabels, 0);
	assert_null(m->state);
	assert_string_equal(find(&l, PM_KEYSTONE)->name, "keystone");
	assert_string_equal(find(&l, PM_ONESHOT)->name, "oneshot");
	meta_list_free(&l);
	/* the list answer is not a storage file and the other way round: no crash, no entries */
	assert_int_equal(meta_parse_containers_json(b.data, b.len, &l), 0);
	assert_int_equal(l.n, 0);
	buf_free(&b);
}

/* Every proper prefix of a real document is an error (never a crash, never a result). */
static void test_truncated(void **state)
{
	static const char *const files[] = {
		"docker/containers-json.json",
		"docker/var-lib-docker/containers/" KS_ID "/config.v2.json",
		"podman/root/var/lib/containers/storage/overlay-containers/containers.json",
	};
	struct buf b = { 0 };

	for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
		size_t end;

		fixture(files[f], &b);
		end = b.len;
		while (end > 0 && strchr(" \n\r\t", b.data[end - 1]))
			end--;
		for (size_t len = 0; len < end; len++) {
			struct meta_list l = { 0 };
			struct container_meta m;
			int r;

			r = f == 1 ? meta_parse_config_v2(b.data, len, &m) :
			    f == 0 ? meta_parse_containers_json(b.data, len, &l) :
				     meta_parse_podman_storage(b.data, len, &l);
			if (r != -ENODATA && r != -EBADMSG)
				fail_msg("%s cut at %zu of %zu: %d", files[f], len, end, r);
			assert_int_equal(l.n, 0);
			if (f == 1)
				assert_null(m.id);
		}
	}
	buf_free(&b);
}

static void test_not_json(void **state)
{
	struct meta_list l = { 0 };
	struct container_meta m;
	static const char nul[] = "[\0]";
	char deep[20000];

	assert_int_equal(meta_parse_containers_json(S(""), &l), -ENODATA);
	assert_int_equal(meta_parse_containers_json(S("   \n"), &l), -ENODATA);
	assert_int_equal(meta_parse_containers_json(S("<html><body>502 Bad Gateway</body></html>"), &l), -EBADMSG);
	assert_int_equal(meta_parse_containers_json(S("[] trailing"), &l), -EBADMSG);
	assert_int_equal(meta_parse_containers_json(S("[]\n"), &l), 0);
	assert_int_equal(meta_parse_containers_json(nul, sizeof(nul) - 1, &l), -EBADMSG);
	assert_int_equal(meta_parse_containers_json(S("\xff\xfe[]"), &l), -EBADMSG);
	/* an error object from the engine is JSON, but not a list */
	assert_int_equal(meta_parse_containers_json(S("{\"message\":\"client version 1.99 is too new\"}"), &l),
			 -EINVAL);
	assert_int_equal(meta_parse_config_v2(S("[1,2,3]"), &m), -EINVAL);
	assert_int_equal(meta_parse_config_v2(S("{\"Name\":\"/x\"}"), &m), -EINVAL);
	assert_int_equal(meta_parse_config_v2(S("not json"), &m), -EBADMSG);
	assert_int_equal(meta_parse_podman_storage(S("{}"), &l), -EINVAL);
	assert_int_equal(l.n, 0);

	/* nesting far past json-c's depth limit */
	memset(deep, '[', sizeof(deep));
	assert_int_equal(meta_parse_containers_json(deep, sizeof(deep), &l), -EBADMSG);
	assert_int_equal(l.n, 0);
}

static void test_wrong_types(void **state)
{
	static const char list[] =
		"[1, null, \"x\", [], {},"
		" {\"Id\": 42, \"Names\": [\"/n\"]},"
		" {\"Id\": \"\", \"Names\": [\"/n\"]},"
		" {\"Id\": \"aaa\", \"Names\": \"/notalist\", \"Labels\": [\"a=b\"], \"State\": {\"Running\": true},"
		"  \"Status\": 7, \"Image\": null, \"Pid\": \"12\"},"
		" {\"Id\": \"bbb\", \"Names\": [7, \"/web/db\", \"/db\"], \"Pid\": -5,"
		"  \"Labels\": {\"n\": 1, \"container_name\": \"\", \"managed_by\": \"paunch\", \"o\": {}, \"p\": null}},"
		" {\"Id\": \"ccc\", \"Names\": [\"/web/db\"], \"Pid\": 99999999999}]";
	static const char config[] =
		"{\"ID\": \"ddd\", \"Name\": 5, \"Config\": [], \"State\": {\"Running\": \"yes\", \"Pid\": 77,"
		" \"Health\": {\"Status\": 3}}}";
	struct meta_list l = { 0 };
	struct container_meta m;

	assert_int_equal(meta_parse_containers_json(list, sizeof(list) - 1, &l), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0].id, "aaa");
	assert_null(l.v[0].name);
	assert_null(l.v[0].engine_name);
	assert_null(l.v[0].image);
	assert_null(l.v[0].state);
	assert_null(l.v[0].health);
	assert_int_equal(l.v[0].nlabels, 0);
	assert_int_equal(l.v[0].main_pid, 0);
	/* link aliases ("/web/db") are not the container's own name; an empty label is no name */
	assert_string_equal(l.v[1].id, "bbb");
	assert_string_equal(l.v[1].name, "db");
	assert_int_equal(l.v[1].nlabels, 2);
	assert_string_equal(l.v[1].managed_by, "paunch");
	assert_int_equal(l.v[1].main_pid, 0);
	assert_string_equal(l.v[2].name, "web/db");
	assert_int_equal(l.v[2].main_pid, 0);
	meta_list_free(&l);

	assert_int_equal(meta_parse_config_v2(config, sizeof(config) - 1, &m), 0);
	assert_string_equal(m.id, "ddd");
	assert_null(m.name);
	assert_null(m.image);
	assert_string_equal(m.state, "created");
	assert_null(m.health);
	assert_int_equal(m.main_pid, 0);
	container_meta_free(&m);
}

/* A label value of 64 KiB and 1,000 labels are kept whole. */
static void test_big_labels(void **state)
{
	struct buf b = { 0 };
	struct meta_list l = { 0 };
	struct container_meta m;
	size_t big = 65536;
	char *p;

	assert_int_equal(buf_reserve(&b, big + 1000 * 40 + 512), 0);
	p = b.data;
	p += sprintf(p, "[{\"Id\":\"%s\",\"Names\":[\"/big\"],\"Labels\":{\"huge\":\"", KS_ID);
	memset(p, 'x', big);
	p += big;
	p += sprintf(p, "\"");
	for (int i = 0; i < 999; i++)
		p += sprintf(p, ",\"label%03d\":\"value %d\"", i, i);
	p += sprintf(p, "}}]");
	b.len = (size_t)(p - b.data);
	assert_int_equal(meta_parse_containers_json(b.data, b.len, &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].nlabels, 1000);
	assert_int_equal(strlen(label(&l.v[0], "huge")), big);
	assert_string_equal(label(&l.v[0], "label998"), "value 998");
	assert_string_equal(l.v[0].name, "big");
	meta_list_free(&l);

	/* the same labels in a config.v2.json, with the name label last of 1,001 */
	p = b.data;
	p += sprintf(p, "{\"ID\":\"%s\",\"Name\":\"/big\",\"Config\":{\"Labels\":{", KS_ID);
	for (int i = 0; i < 1000; i++)
		p += sprintf(p, "\"label%03d\":\"value %d\",", i, i);
	p += sprintf(p, "\"container_name\":\"");
	memset(p, 'n', big);
	p += big;
	p += sprintf(p, "\"}}}");
	b.len = (size_t)(p - b.data);
	assert_int_equal(meta_parse_config_v2(b.data, b.len, &m), 0);
	assert_int_equal(m.nlabels, 1001);
	assert_int_equal(strlen(m.name), big);
	assert_string_equal(m.engine_name, "big");
	container_meta_free(&m);
	buf_free(&b);
}

/* Names are stored as the engine sent them; the display sanitizes. */
static void test_raw_names(void **state)
{
	static const char list[] =
		"[{\"Id\":\"e1\",\"Names\":[\"/\\u001b[31mred\\u0007\"],\"Image\":\"img\\ttab\"},"
		" {\"Id\":\"e2\",\"Names\":[\"/bad\xff\xfeutf8\xc3\"]},"
		" {\"Id\":\"e3\",\"Names\":[\"/nul\\u0000hidden\"]},"
		" {\"Id\":\"e4\",\"Names\":[\"/caf\\u00e9\"],\"Labels\":{\"container_name\":\"line\\nbreak\"}}]";
	struct meta_list l = { 0 };

	assert_int_equal(meta_parse_containers_json(list, sizeof(list) - 1, &l), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].name, "\x1b[31mred\a");
	assert_string_equal(l.v[0].image, "img\ttab");
	assert_string_equal(l.v[1].name, "bad\xff\xfeutf8\xc3");
	assert_string_equal(l.v[2].name, "nul");
	assert_string_equal(l.v[3].name, "line\nbreak");
	assert_string_equal(l.v[3].engine_name, "caf\xc3\xa9");
	meta_list_free(&l);
}

/* The list's Status texts, as docker 20.10 writes them (seen on the private engine): the
 * time in them is not a change; the word, the health and the exit code are. */
static void test_status_same(void **state)
{
	(void)state;
	assert_true(meta_status_same("Up 37 minutes (healthy)", "Up 38 minutes (healthy)"));
	assert_true(meta_status_same("Up About an hour", "Up 2 hours"));
	assert_true(meta_status_same("Exited (7) 2 minutes ago", "Exited (7) 3 minutes ago"));
	assert_true(meta_status_same("Created", "Created"));
	assert_false(meta_status_same("Up 37 minutes (healthy)", "Up 37 minutes (unhealthy)"));
	assert_false(meta_status_same("Up 3 minutes (health: starting)", "Up 3 minutes (healthy)"));
	assert_false(meta_status_same("Exited (7) 2 minutes ago", "Exited (3) 2 minutes ago"));
	assert_false(meta_status_same("Exited (3) 1 second ago", "Restarting (3) 1 second ago"));
	assert_false(meta_status_same("Up 3 minutes (Paused)", "Up 3 minutes"));
	assert_false(meta_status_same("Up 3 minutes (bad", "Up 3 minutes (bad)"));
	assert_false(meta_status_same("", "Up"));
	assert_true(meta_status_same("", ""));

	assert_int_equal(meta_status_exit_code("Exited (7) 2 minutes ago"), 7);
	assert_int_equal(meta_status_exit_code("Restarting (3) Less than a second ago"), 3);
	assert_int_equal(meta_status_exit_code("Exited (137) 5 seconds ago"), 137);
	assert_int_equal(meta_status_exit_code("Up 2 seconds (healthy)"), -1);
	assert_int_equal(meta_status_exit_code("Exited (-1) 1 second ago"), -1);
	assert_int_equal(meta_status_exit_code("Exited"), -1);
	assert_int_equal(meta_status_exit_code(NULL), -1);
}

/* libpod's ContainerState (the "state" of its BoltDB or SQLite database, as podman 4 and
 * 5 write it; omitempty fields absent when 0 or false): the lifecycle without the API. */
static void test_libpod_lifecycle(void **state)
{
	static const char cfg[] = "{\"id\":\"4f6d66ea02c9ae505e3e3d17fa0188f4b645ef40bf7434345ae73e29cacb7f30\","
				  "\"name\":\"p_exit7\",\"labels\":{\"config_id\":\"tripleo_step3\"}}";
	static const char exited[] = "{\"state\":6,\"startedTime\":\"2026-12-01T17:59:59.25Z\","
				     "\"finishedTime\":\"2026-12-01T18:00:00.5+00:00\",\"exitCode\":7,\"exited\":true,"
				     "\"restartCount\":2}";
	static const char oom[] = "{\"state\":6,\"finishedTime\":\"2026-12-01T18:00:00Z\",\"exitCode\":137,"
				  "\"oomKilled\":true}";
	static const char running[] = "{\"state\":3,\"pid\":4242,\"startedTime\":\"2026-12-01T18:00:00Z\","
				      "\"finishedTime\":\"0001-01-01T00:00:00Z\"}";
	struct container_meta m;

	(void)state;
	assert_int_equal(meta_parse_libpod_config(cfg, strlen(cfg), exited, strlen(exited), &m), 0);
	assert_string_equal(m.state, "exited");
	assert_true(m.life.known);
	assert_int_equal(m.life.exit_code, 7);
	assert_false(m.life.oom_killed);
	assert_int_equal(m.life.restart_count, 2);
	assert_int_equal(m.life.started_at, 1796147999); /* date -d 2026-12-01T17:59:59Z +%s */
	assert_int_equal(m.life.finished_at, 1796148000);
	assert_int_equal(m.main_pid, 0);
	container_meta_free(&m);

	assert_int_equal(meta_parse_libpod_config(cfg, strlen(cfg), oom, strlen(oom), &m), 0);
	assert_int_equal(m.life.exit_code, 137);
	assert_true(m.life.oom_killed);
	assert_int_equal(m.life.restart_count, 0);
	assert_int_equal(m.life.started_at, 0);
	container_meta_free(&m);

	assert_int_equal(meta_parse_libpod_config(cfg, strlen(cfg), running, strlen(running), &m), 0);
	assert_string_equal(m.state, "running");
	assert_int_equal(m.main_pid, 4242);
	assert_int_equal(m.life.exit_code, 0);
	assert_int_equal(m.life.finished_at, 0); /* year 1: never finished */
	container_meta_free(&m);

	/* no state: nothing known of the lifecycle */
	assert_int_equal(meta_parse_libpod_config(cfg, strlen(cfg), NULL, 0, &m), 0);
	assert_false(m.life.known);
	container_meta_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker_list),
		cmocka_unit_test(test_docker_config_v2),
		cmocka_unit_test(test_docker_states),
		cmocka_unit_test(test_docker_lifecycle),
		cmocka_unit_test(test_podman_lists),
		cmocka_unit_test(test_podman_storage),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_big_labels),
		cmocka_unit_test(test_raw_names),
		cmocka_unit_test(test_status_same),
		cmocka_unit_test(test_libpod_lifecycle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
