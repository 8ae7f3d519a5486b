/* The container engines' JSON, parsed with json-c: list answers of the Docker and podman
 * APIs, docker's config.v2.json, podman's containers.json. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "meta_json.h"
#include "util.h"

/* Parse LEN bytes of BUF as one JSON value (whitespace may follow it) into *OUT. */
static int json_parse_buf(const char *buf, size_t len, struct json_object **out)
{
	struct json_tokener *tok;
	struct json_object *o;
	enum json_tokener_error e;
	size_t end;

	*out = NULL;
	if (len > META_MAX_BODY)
		return -EFBIG;
	tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	if (!tok)
		return -ENOMEM;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!o)
		return e == json_tokener_continue ? -ENODATA : -EBADMSG;
	for (; end < len; end++)
		if (!strchr(" \t\r\n", buf[end]) || buf[end] == '\0') {
			json_object_put(o);
			return -EBADMSG;
		}
	*out = o;
	return 0;
}

/* The member KEY of object O if it has TYPE, else NULL. */
static struct json_object *jget(struct json_object *o, const char *key, enum json_type type)
{
	struct json_object *v;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

/* A copy of the string member KEY of O, or NULL. */
static char *jdup(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key, json_type_string);

	return v ? xstrdup(json_object_get_string(v)) : NULL;
}

/* The boolean member KEY of O; false when missing or of another type. */
static bool jbool(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key, json_type_boolean);

	return v && json_object_get_boolean(v);
}

/* The member KEY of O as a pid, or 0. */
static int jpid(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key, json_type_int);
	int64_t pid = v ? json_object_get_int64(v) : 0;

	return pid > 0 && pid <= INT_MAX ? (int)pid : 0;
}

/* The value of label KEY in M, or NULL. */
static const char *label_value(const struct container_meta *m, const char *key)
{
	for (size_t i = 0; i < m->nlabels; i++)
		if (strcmp(m->label_keys[i], key) == 0)
			return m->label_values[i];
	return NULL;
}

/* Copy the string-valued members of the object LABELS into M's label arrays. */
static void take_labels(struct container_meta *m, struct json_object *labels)
{
	struct json_object_iterator it, end;
	size_t n;

	if (!labels)
		return;
	n = (size_t)json_object_object_length(labels);
	m->label_keys = xcalloc(n, sizeof(*m->label_keys));
	m->label_values = xcalloc(n, sizeof(*m->label_values));
	it = json_object_iter_begin(labels);
	end = json_object_iter_end(labels);
	for (; !json_object_iter_equal(&it, &end) && m->nlabels < n; json_object_iter_next(&it)) {
		struct json_object *v = json_object_iter_peek_value(&it);

		if (!json_object_is_type(v, json_type_string))
			continue;
		m->label_keys[m->nlabels] = xstrdup(json_object_iter_peek_name(&it));
		m->label_values[m->nlabels] = xstrdup(json_object_get_string(v));
		m->nlabels++;
	}
}

/* Fill the fields derived from others: the shown name and the well-known labels. */
static void finish_meta(struct container_meta *m)
{
	const char *v;

	if ((v = label_value(m, "config_id")))
		m->config_id = xstrdup(v);
	if ((v = label_value(m, "managed_by")))
		m->managed_by = xstrdup(v);
	v = label_value(m, "container_name");
	if (v && *v)
		m->name = xstrdup(v);
	else if (m->engine_name)
		m->name = xstrdup(m->engine_name);
}

/* The health in a list entry's Status: docker says "Up 2 hours (healthy)", podman's
 * libpod list says just "healthy". */
static char *health_from_status(const char *status)
{
	static const struct {
		const char *docker, *libpod, *health;
	} map[] = {
		{ "(healthy)", "healthy", "healthy" },
		{ "(unhealthy)", "unhealthy", "unhealthy" },
		{ "(health: starting)", "starting", "starting" },
	};

	if (!status)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strstr(status, map[i].docker) || strcmp(status, map[i].libpod) == 0)
			return xstrdup(map[i].health);
	return NULL;
}

/* The container's own name from a Names array: docker lists link aliases ("/web/db")
 * too, so the first name with no '/' after the leading one wins. */
static char *pick_name(struct json_object *names)
{
	const char *first = NULL;
	size_t n = names ? json_object_array_length(names) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(names, i);
		const char *s;

		if (!json_object_is_type(v, json_type_string))
			continue;
		s = json_object_get_string(v);
		if (*s == '/')
			s++;
		if (!first)
			first = s;
		if (!strchr(s, '/'))
			return xstrdup(s);
	}
	return first ? xstrdup(first) : NULL;
}

/* One entry of a /containers/json answer into M. Returns false when it has no Id. */
static bool entry_from_list(struct json_object *e, struct container_meta *m)
{
	struct json_object *id = jget(e, "Id", json_type_string);
	struct json_object *status = jget(e, "Status", json_type_string);

	if (!id || json_object_get_string_len(id) == 0)
		return false;
	m->id = xstrdup(json_object_get_string(id));
	m->engine_name = pick_name(jget(e, "Names", json_type_array));
	m->image = jdup(e, "Image");
	m->state = jdup(e, "State");
	m->health = health_from_status(status ? json_object_get_string(status) : NULL);
	m->status = jdup(e, "Status");
	m->main_pid = jpid(e, "Pid"); /* podman's libpod list only */
	take_labels(m, jget(e, "Labels", json_type_object));
	finish_meta(m);
	return true;
}

int meta_parse_containers_json(const char *buf, size_t len, struct meta_list *out)
{
	struct json_object *root;
	size_t n;
	int r = json_parse_buf(buf, len, &root);

	if (r < 0)
		return r;
	if (!json_object_is_type(root, json_type_array)) {
		json_object_put(root);
		return -EINVAL;
	}
	n = json_object_array_length(root);
	for (size_t i = 0; i < n; i++) {
		struct container_meta m = { 0 };

		if (entry_from_list(json_object_array_get_idx(root, i), &m))
			*meta_list_push(out) = m;
		else
			container_meta_free(&m);
	}
	json_object_put(root);
	return 0;
}

/* docker's State.StateString() from the flags config.v2.json keeps. */
static char *state_from_config(struct json_object *st)
{
	const char *s;
	struct json_object *started = jget(st, "StartedAt", json_type_string);

	if (!st)
		return NULL;
	if (jbool(st, "Running"))
		s = jbool(st, "Paused") ? "paused" : jbool(st, "Restarting") ? "restarting" : "running";
	else if (jbool(st, "RemovalInProgress"))
		s = "removing";
	else if (jbool(st, "Dead"))
		s = "dead";
	else if (!started || strncmp(json_object_get_string(started), "0001-01-01T", 11) == 0)
		s = "created";
	else
		s = "exited";
	return xstrdup(s);
}

/* An engine's time ("2026-12-01T17:13:33.163379588Z") as Unix seconds; 0 for Go's zero
 * time ("0001-01-01T00:00:00Z"), a missing or unreadable one. */
static long long time_of(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key, json_type_string);
	struct tm tm = { 0 };
	int sec_off = 0, end = 0;
	char zone[16] = "";
	const char *s, *frac;
	time_t t;

	if (!v)
		return 0;
	s = json_object_get_string(v);
	/* %n: where the seconds end, which is not always byte 19 ("1971-1-1T1:1:1") */
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec, &end) != 6 || end <= 0 || tm.tm_year < 1971)
		return 0;
	/* the zone after the seconds and their fraction: Z or +hh:mm / -hh:mm */
	frac = s + end;
	if (*frac == '.')
		for (frac++; *frac >= '0' && *frac <= '9'; frac++)
			;
	snprintf(zone, sizeof(zone), "%s", frac);
	if (zone[0] == '+' || zone[0] == '-') {
		int hh = 0, mm = 0;

		if (sscanf(zone + 1, "%2d:%2d", &hh, &mm) == 2)
			sec_off = (hh * 3600 + mm * 60) * (zone[0] == '-' ? -1 : 1);
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	return t == (time_t)-1 ? 0 : (long long)t - sec_off;
}

/* The integer member KEY of O, or DEF. */
static long long jint(struct json_object *o, const char *key, long long def)
{
	struct json_object *v = jget(o, key, json_type_int);

	return v ? (long long)json_object_get_int64(v) : def;
}

/* The lifecycle of an inspect answer or config.v2.json ROOT, whose State is ST, into M:
 * state, health, exit code, OOM kill, restarts, times, the last probe's output. */
static void take_life(struct json_object *root, struct json_object *st, struct container_meta *m)
{
	struct json_object *health = jget(st, "Health", json_type_object);
	struct json_object *log = jget(health, "Log", json_type_array);
	struct json_object *status = jget(st, "Status", json_type_string);
	struct json_object *policy = jget(jget(root, "HostConfig", json_type_object), "RestartPolicy",
					  json_type_object);
	long long v;

	/* an inspect names the state; config.v2.json keeps only the flags */
	m->state = status ? xstrdup(json_object_get_string(status)) : state_from_config(st);
	m->health = jdup(health, "Status");
	if (!st)
		return;
	m->life.known = true;
	m->life.oom_killed = jbool(st, "OOMKilled");
	v = jint(st, "ExitCode", 0);
	m->life.exit_code = v >= INT_MIN && v <= INT_MAX ? (int)v : 0;
	v = jint(root, "RestartCount", 0);
	m->life.restart_count = v > 0 && v <= INT_MAX ? (unsigned)v : 0;
	v = jint(health, "FailingStreak", 0);
	m->life.failing_streak = v > 0 && v <= INT_MAX ? (int)v : 0;
	m->life.started_at = time_of(st, "StartedAt");
	m->life.finished_at = time_of(st, "FinishedAt");
	if (log && json_object_array_length(log) > 0) {
		struct json_object *last = json_object_array_get_idx(log, json_object_array_length(log) - 1);
		struct json_object *out = jget(last, "Output", json_type_string);

		if (out)
			snprintf(m->life.health_log, sizeof(m->life.health_log), "%s",
				 json_object_get_string(out));
	}
	if ((policy = jget(policy, "Name", json_type_string)))
		snprintf(m->life.restart_policy, sizeof(m->life.restart_policy), "%s",
			 json_object_get_string(policy));
}

int meta_parse_inspect(const char *buf, size_t len, struct container_meta *out)
{
	struct json_object *root, *config, *name;
	int r;

	memset(out, 0, sizeof(*out));
	r = json_parse_buf(buf, len, &root);
	if (r < 0)
		return r;
	if (!jget(root, "Id", json_type_string) ||
	    json_object_get_string_len(jget(root, "Id", json_type_string)) == 0) {
		json_object_put(root);
		return -EINVAL;
	}
	config = jget(root, "Config", json_type_object);
	name = jget(root, "Name", json_type_string);
	out->id = jdup(root, "Id");
	if (name) {
		const char *s = json_object_get_string(name);

		out->engine_name = xstrdup(*s == '/' ? s + 1 : s);
	}
	out->image = jdup(config, "Image");
	take_life(root, jget(root, "State", json_type_object), out);
	if (jbool(jget(root, "State", json_type_object), "Running"))
		out->main_pid = jpid(jget(root, "State", json_type_object), "Pid");
	take_labels(out, jget(config, "Labels", json_type_object));
	finish_meta(out);
	json_object_put(root);
	return 0;
}

int meta_parse_restart_policy(const char *buf, size_t len, char *out, size_t outlen)
{
	struct json_object *root, *name;
	int r = json_parse_buf(buf, len, &root);

	if (r < 0)
		return r;
	name = jget(jget(root, "RestartPolicy", json_type_object), "Name", json_type_string);
	if (!name) {
		json_object_put(root);
		return -EINVAL;
	}
	snprintf(out, outlen, "%s", json_object_get_string(name));
	json_object_put(root);
	return 0;
}

int meta_parse_config_v2(const char *buf, size_t len, struct container_meta *out)
{
	struct json_object *root, *config, *state, *name;
	int r;

	memset(out, 0, sizeof(*out));
	r = json_parse_buf(buf, len, &root);
	if (r < 0)
		return r;
	if (!jget(root, "ID", json_type_string)) {
		json_object_put(root);
		return -EINVAL;
	}
	config = jget(root, "Config", json_type_object);
	state = jget(root, "State", json_type_object);
	name = jget(root, "Name", json_type_string);
	out->id = jdup(root, "ID");
	if (name) {
		const char *s = json_object_get_string(name);

		out->engine_name = xstrdup(*s == '/' ? s + 1 : s);
	}
	out->image = jdup(config, "Image");
	take_life(root, state, out);
	if (jbool(state, "Running"))
		out->main_pid = jpid(state, "Pid");
	take_labels(out, jget(config, "Labels", json_type_object));
	finish_meta(out);
	json_object_put(root);
	return 0;
}

int meta_parse_podman_storage(const char *buf, size_t len, struct meta_list *out)
{
	struct json_object *root;
	size_t n;
	int r = json_parse_buf(buf, len, &root);

	if (r < 0)
		return r;
	if (!json_object_is_type(root, json_type_array)) {
		json_object_put(root);
		return -EINVAL;
	}
	n = json_object_array_length(root);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(root, i);
		struct json_object *id = jget(e, "id", json_type_string);
		struct json_object *md = jget(e, "metadata", json_type_string);
		struct json_object *mdo = NULL;
		struct container_meta *m;

		if (!id || json_object_get_string_len(id) == 0)
			continue;
		m = meta_list_push(out);
		m->id = xstrdup(json_object_get_string(id));
		m->engine_name = pick_name(jget(e, "names", json_type_array));
		/* metadata is a JSON document inside a string: {"image-name": …, "name": …} */
		if (md && json_parse_buf(json_object_get_string(md),
					 (size_t)json_object_get_string_len(md), &mdo) == 0) {
			m->image = jdup(mdo, "image-name");
			if (!m->engine_name)
				m->engine_name = jdup(mdo, "name");
			json_object_put(mdo);
		}
		finish_meta(m);
	}
	json_object_put(root);
	return 0;
}

/* libpod's ContainerState.String() (libpod/define/containerstate.go) */
static char *state_from_libpod(struct json_object *st)
{
	static const char *const names[] = { "unknown", "configured", "created", "running", "stopped",
					     "paused", "exited", "removing", "stopping" };
	struct json_object *v = jget(st, "state", json_type_int);
	int64_t s = v ? json_object_get_int64(v) : -1;

	return s >= 0 && s < (int64_t)ARRAY_SIZE(names) ? xstrdup(names[s]) : NULL;
}

int meta_parse_libpod_config(const char *cfg, size_t cfg_len, const char *state, size_t state_len,
			     struct container_meta *out)
{
	struct json_object *root, *st = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	r = json_parse_buf(cfg, cfg_len, &root);
	if (r < 0)
		return r;
	if (!jget(root, "id", json_type_string) ||
	    json_object_get_string_len(jget(root, "id", json_type_string)) == 0) {
		json_object_put(root);
		return -EINVAL;
	}
	out->id = jdup(root, "id");
	out->engine_name = jdup(root, "name");
	out->image = jdup(root, "rootfsImageName");
	take_labels(out, jget(root, "labels", json_type_object));
	/* the state is a hint only: as current as podman's last write of it */
	if (state && json_parse_buf(state, state_len, &st) == 0) {
		struct json_object *code = jget(st, "exitCode", json_type_int);
		struct json_object *restarts = jget(st, "restartCount", json_type_int);

		out->state = state_from_libpod(st);
		if (out->state && strcmp(out->state, "running") == 0)
			out->main_pid = jpid(st, "pid");
		/* libpod's ContainerState: its omitempty fields are absent when 0 or false */
		out->life.known = true;
		out->life.exit_code = code ? (int)json_object_get_int(code) : 0;
		out->life.oom_killed = jbool(st, "oomKilled");
		out->life.restart_count = restarts && json_object_get_int64(restarts) > 0 ?
					  (unsigned)json_object_get_int64(restarts) : 0;
		out->life.started_at = time_of(st, "startedTime");
		out->life.finished_at = time_of(st, "finishedTime");
		json_object_put(st);
	}
	finish_meta(out);
	json_object_put(root);
	return 0;
}

/* Whether two Status texts of the list say the same but for the time in them: the first
 * word and the parenthesized parts ("Up 37 minutes (healthy)" and "Up 38 minutes
 * (healthy)" are the same; "Exited (7) 2 minutes ago" and "Restarting (7) 1 second ago"
 * are not). */
bool meta_status_same(const char *a, const char *b)
{
	size_t wa = strcspn(a, " "), wb = strcspn(b, " ");

	if (wa != wb || strncmp(a, b, wa) != 0)
		return false;
	for (a += wa, b += wb;;) {
		const char *pa = strchr(a, '('), *pb = strchr(b, '(');
		const char *ea, *eb;

		if (!pa || !pb)
			return !pa && !pb;
		ea = strchr(pa, ')');
		eb = strchr(pb, ')');
		if (!ea || !eb)
			return !ea && !eb && strcmp(pa, pb) == 0;
		if (ea - pa != eb - pb || strncmp(pa, pb, (size_t)(ea - pa)) != 0)
			return false;
		a = ea + 1;
		b = eb + 1;
	}
}

/* The exit code in a Status text of the list ("Exited (7) 2 minutes ago", "Restarting (3)
 * 1 second ago"), or -1. */
int meta_status_exit_code(const char *status)
{
	int code;

	if (status && (sscanf(status, "Exited (%d)", &code) == 1 ||
		       sscanf(status, "Restarting (%d)", &code) == 1) && code >= 0)
		return code;
	return -1;
}
