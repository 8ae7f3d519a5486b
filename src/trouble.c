/* Trouble: a row's flags, its place in the trouble order and its events, from its
 * incident figures (OOM kills, refused forks, memory limit hits, throttling, pressure). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "format.h"
#include "container.h"
#include "trouble.h"

/* The signs, worst first: the counter of events in the interval, the same since the start
 * (F_COUNT: none), the flag's letter. */
static const struct sign {
	enum cg_field interval, since;
	char letter;
} signs[] = {
	{ F_MEM_OOM_KILLS_NEW, F_MEM_OOM_KILLS_SINCE, 'O' },
	{ F_PIDS_REFUSED_NEW, F_PIDS_REFUSED_SINCE, 'F' },
	{ F_MEM_LIMIT_HITS_NEW, F_MEM_LIMIT_HITS_SINCE, 'M' },
	{ F_CPU_THROTTLED_NEW, F_CPU_THROTTLED_SINCE, 'T' },
};

static const enum cg_field pressure[] = { F_PSI_CPU_SOME, F_PSI_MEM_SOME, F_PSI_IO_SOME };

/* F of R when known, else 0. */
static uint64_t count(const struct cg_row *r, enum cg_field f)
{
	return row_has(r, f) ? fig_u64(figure(f), r) : 0;
}

/* The largest share of the interval some tasks of R were stalled; false when unknown. */
static bool worst_pressure(const struct cg_row *r, double *out)
{
	bool known = false;

	*out = 0;
	for (size_t i = 0; i < sizeof(pressure) / sizeof(pressure[0]); i++) {
		double v;

		if (!fig_value(figure(pressure[i]), r, &v))
			continue;
		if (v > *out)
			*out = v;
		known = true;
	}
	return known;
}

/* A container's lifecycle signs: U unhealthy, R restarting or restarted in the interval
 * (r: since cgtop started), K OOM-killed in its engine's words, X exited with a non-zero
 * code. */
static bool unhealthy(const struct cg_row *r)
{
	return row_has(r, F_CTR_HEALTH) && row_life(r)->health == CHE_UNHEALTHY;
}

bool trouble_restarted_lately(const struct cg_row *r)
{
	const struct cg_life *l = row_life(r);

	return row_has(r, F_CTR_RESTARTS) && l->restarts > 0 && row_has(r, F_CTR_STARTED_AT) &&
	       l->now >= l->started_at && l->now - l->started_at < TROUBLE_RESTART_RECENT_S;
}

/* Restarting, restarted in the last interval, or (cg_life's restarted_lately) restarted
 * by its engine less than TROUBLE_RESTART_RECENT_S ago: a crash loop caught between two
 * of its runs is still one. */
static bool restarting(const struct cg_row *r)
{
	const struct cg_life *l = row_life(r);

	return (row_has(r, F_CTR_STATE) && l->state == CST_RESTARTING) ||
	       (l->events & CTR_EV_RESTART) || l->restarted_lately;
}

static bool engine_oom(const struct cg_row *r)
{
	return row_has(r, F_CTR_OOM_KILLED) && row_life(r)->oom_killed;
}

static bool bad_exit(const struct cg_row *r)
{
	const struct cg_life *l = row_life(r);

	return row_has(r, F_CTR_STATE) && (l->state == CST_EXITED || l->state == CST_DEAD) &&
	       row_has(r, F_CTR_EXIT_CODE) && l->exit_code != 0;
}

/* Whether R knows any figure the flags are made of. */
static bool knows_any(const struct cg_row *r)
{
	double p;

	if (row_has(r, F_CTR_STATE))
		return true;
	for (size_t i = 0; i < sizeof(signs) / sizeof(signs[0]); i++)
		if (row_has(r, signs[i].interval) || row_has(r, signs[i].since))
			return true;
	return worst_pressure(r, &p);
}

bool trouble_flags(const struct cg_row *r, char *buf, size_t len)
{
	size_t n = 0;
	double p;

	if (len < 10 || !knows_any(r))
		return false;
	if (unhealthy(r))
		buf[n++] = 'U';
	if (restarting(r))
		buf[n++] = 'R';
	else if (count(r, F_CTR_RESTARTS_SEEN))
		buf[n++] = 'r';
	if (engine_oom(r))
		buf[n++] = 'K';
	if (bad_exit(r))
		buf[n++] = 'X';
	for (size_t i = 0; i < sizeof(signs) / sizeof(signs[0]); i++) {
		if (count(r, signs[i].interval))
			buf[n++] = signs[i].letter;
		else if (count(r, signs[i].since))
			buf[n++] = (char)(signs[i].letter - 'A' + 'a');
	}
	if (worst_pressure(r, &p) && p >= TROUBLE_PRESSURE_PERCENT)
		buf[n++] = 'P';
	if (!n)
		buf[n++] = '.';
	buf[n] = '\0';
	return true;
}

/* V, at most 99: a count's digits in the score. */
static double upto99(uint64_t v)
{
	return (double)(v < 99 ? v : 99);
}

bool trouble_score(const struct cg_row *r, double *out)
{
	double s = 0, p;

	if (!knows_any(r))
		return false;
	/* tiers two decimal digits apart, so a worse sign always outranks a lesser one;
	 * every sum is an integer below 2^53, exact in a double */
	/* a container's lifecycle first: OOM-killed, unhealthy, crash-looping, exited badly */
	if (engine_oom(r))
		s += 4e15;
	if (unhealthy(r))
		s += 2e15;
	if (restarting(r))
		s += 1e15;
	if (bad_exit(r))
		s += 1e14;
	s += upto99(count(r, F_MEM_OOM_KILLS_NEW)) * 1e12;
	s += upto99(count(r, F_PIDS_REFUSED_NEW)) * 1e10;
	s += upto99(count(r, F_MEM_LIMIT_HITS_NEW)) * 1e8;
	if (count(r, F_CPU_THROTTLED_NEW)) {
		double share = 0;

		if (fig_value(figure(F_CPU_THROTTLED_PERCENT), r, &share))
			share = round(fmin(fmax(share, 0), 100));
		s += (1 + share) * 1e5;
	}
	if (worst_pressure(r, &p) && p >= TROUBLE_PRESSURE_PERCENT)
		s += round(fmin(p, 100)) * 1e2;
	for (size_t i = 0; i < sizeof(signs) / sizeof(signs[0]); i++)
		if (count(r, signs[i].since))
			s += (double)(8u >> i);
	if (count(r, F_CTR_RESTARTS_SEEN))
		s += 16; /* above the counts since the start, which sum to 15 at most */
	*out = s;
	return true;
}

/* Append ", " (unless first) and TEXT to BUF of LEN holding N bytes. */
static size_t add_part(char *buf, size_t len, size_t n, const char *text)
{
	int w = snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? ", " : "", text);

	return w < 0 ? n : n + (size_t)w;
}

/* Append " " (unless first) and WORD to BUF of LEN holding N bytes. */
static size_t add_word(char *buf, size_t len, size_t n, const char *word)
{
	int w = snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? " " : "", word);

	return w < 0 ? n : n + (size_t)w;
}

bool trouble_event(const struct cg_row *r, char *buf, size_t len)
{
	uint64_t oom = count(r, F_MEM_OOM_KILLS_NEW), hits = count(r, F_MEM_LIMIT_HITS_NEW),
		 forks = count(r, F_PIDS_REFUSED_NEW);
	char part[64], num[32];
	size_t n = 0;

	if (!oom && !hits && !forks)
		return false;
	buf[0] = '\0';
	if (oom) {
		snprintf(part, sizeof(part), "%llu OOM kill%s", (unsigned long long)oom, oom == 1 ? "" : "s");
		n = add_part(buf, len, n, part);
	}
	if (hits) {
		snprintf(part, sizeof(part), "%llu memory limit hit%s", (unsigned long long)hits,
			 hits == 1 ? "" : "s");
		n = add_part(buf, len, n, part);
	}
	if (forks) {
		snprintf(part, sizeof(part), "%llu refused fork%s", (unsigned long long)forks,
			 forks == 1 ? "" : "s");
		n = add_part(buf, len, n, part);
	}
	if ((oom || hits) && fig_limited(figure(F_MEM_LIMIT), r)) {
		format_bytes(num, sizeof(num), r->mem_limit);
		snprintf(part, sizeof(part), "memory limit %s", num);
		n = add_part(buf, len, n, part);
	}
	if (forks && fig_limited(figure(F_PIDS_LIMIT), r)) {
		snprintf(part, sizeof(part), "task limit %llu", (unsigned long long)r->pids_limit);
		n = add_part(buf, len, n, part);
	}
	return true;
}

bool trouble_event_row(const struct view_row *r)
{
	switch (r->kind) {
	case VIEW_CONTAINER:
	case VIEW_GROUP:
		return true;
	case VIEW_CGROUP:
		break;
	}
	if (r->fig->depth == 1)
		return true;
	return r->ctr && r->path && r->ctr->path && strcmp(r->path, r->ctr->path) == 0;
}

const char *trouble_event_kinds(const struct cg_row *r, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (count(r, F_MEM_OOM_KILLS_NEW))
		n = add_word(buf, len, n, "oom_kill");
	if (count(r, F_MEM_LIMIT_HITS_NEW))
		n = add_word(buf, len, n, "memory_limit_hit");
	if (count(r, F_PIDS_REFUSED_NEW))
		n = add_word(buf, len, n, "refused_fork");
	return buf;
}

const char *trouble_row_name(const struct view_row *r, bool with_id, char *buf, size_t len)
{
	char shown[CONTAINER_SHOWN_MAX];

	if (!with_id)
		snprintf(buf, len, "%s", r->name);
	else if (r->kind == VIEW_CONTAINER)
		snprintf(buf, len, "%s (%s)", r->name, container_short_id(r->ctr));
	else if (r->kind == VIEW_GROUP)
		snprintf(buf, len, "%s (%zu container%s)", r->name, (size_t)r->ngroup, r->ngroup == 1 ? "" : "s");
	else if (r->ctr)
		snprintf(buf, len, "%s (%s)", r->name, container_shown_name(r->ctr, shown, sizeof(shown)));
	else
		snprintf(buf, len, "%s", r->name);
	return buf;
}

bool trouble_life_event(const struct view_row *r, char *buf, size_t len, char *kinds, size_t klen,
			int *priority)
{
	const struct cg_row *f = r->fig;
	const struct cg_life *l = row_life(f);
	unsigned ev = l->events;
	bool bad_exit = row_has(f, F_CTR_EXIT_CODE) && l->exit_code != 0;
	char part[96];
	size_t n = 0, k = 0;

	if (r->kind != VIEW_CONTAINER || !ev)
		return false;
	buf[0] = kinds[0] = '\0';
	*priority = 5;
	if (ev & CTR_EV_START) {
		n = add_part(buf, len, n, "started");
		k = add_word(kinds, klen, k, "start");
	}
	if (ev & CTR_EV_RESTART) {
		n = add_part(buf, len, n, "restarted");
		k = add_word(kinds, klen, k, "restart");
	}
	if (ev & CTR_EV_STOP) {
		n = add_part(buf, len, n, l->state == CST_DEAD ? "dead" : "exited");
		k = add_word(kinds, klen, k, "stop");
	}
	if (ev & CTR_EV_UNHEALTHY) {
		n = add_part(buf, len, n, "unhealthy");
		k = add_word(kinds, klen, k, "unhealthy");
		*priority = 4;
	}
	if (ev & CTR_EV_OOM) {
		n = add_part(buf, len, n, "OOM-killed (engine)");
		k = add_word(kinds, klen, k, "oom_killed");
		*priority = 4;
	}
	if ((ev & (CTR_EV_STOP | CTR_EV_RESTART)) && row_has(f, F_CTR_EXIT_CODE)) {
		snprintf(part, sizeof(part), "exit code %llu", (unsigned long long)l->exit_code);
		n = add_part(buf, len, n, part);
		if (bad_exit)
			*priority = 4;
	}
	if (row_has(f, F_CTR_RESTARTS) && l->restarts) {
		snprintf(part, sizeof(part), "restart count %llu", (unsigned long long)l->restarts);
		n = add_part(buf, len, n, part);
	}
	return true;
}
