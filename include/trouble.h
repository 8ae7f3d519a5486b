/* Trouble: which incident signals a row shows (its flags), how bad that is (the trouble
 * order, worst first), and the events a batch output and the journal report. Made of
 * the figures of one row (fields.h); no file is read here. */
#ifndef CGTOP_TROUBLE_H
#define CGTOP_TROUBLE_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot.h"
#include "view.h"

/* P: some tasks stalled (cpu, memory or io pressure) at least this share of the interval. */
#define TROUBLE_PRESSURE_PERCENT 10.0
/* A container its engine restarted less than this many seconds ago counts as crash-looping. */
#define TROUBLE_RESTART_RECENT_S 60

/* The flags of R into BUF (at least 10 bytes), worst first: a container's U unhealthy,
 * R restarting, restarted by its engine in the last minute or in the last interval (r: since cgtop started), K OOM-killed
 * in its engine's words, X exited with a non-zero code; then O OOM kill, F refused fork,
 * M memory limit hit, T throttled (CPU quota used up), P pressure at or above
 * TROUBLE_PRESSURE_PERCENT: a capital in the last interval; o f m t in small letters when
 * only since cgtop started. "." when none; false when R knows none of the figures. */
/* Whether container row R was restarted by its engine less than TROUBLE_RESTART_RECENT_S
 * ago (RestartCount above 0, StartedAt that recent): view.c sets cg_life's restarted_lately
 * from it, and a group has it when a member has. */
bool trouble_restarted_lately(const struct cg_row *r);

bool trouble_flags(const struct cg_row *r, char *buf, size_t len);
/* How bad R is, for the trouble order (higher is worse): a container OOM-killed (its
 * engine's word), unhealthy, restarting, exited with a non-zero code; OOM kills in the
 * interval, then
 * refused forks, memory limit hits, share of periods throttled, pressure (at or above the
 * threshold), then counts since the start (OOM kills, forks, limit hits, throttling).
 * False when R knows none of the figures. */
bool trouble_score(const struct cg_row *r, double *out);
/* Whether R had an event in the last interval (an OOM kill, a memory limit hit or a
 * refused fork), and what it was into BUF: "1 OOM kill, memory limit 64.0M". */
bool trouble_event(const struct cg_row *r, char *buf, size_t len);
/* Whether row R of a view reports its events: a container, a group, a top-level cgroup,
 * or (--all) a container's own cgroup; not "/" and not the cgroups below those, whose
 * events their parents report again. */
bool trouble_event_row(const struct view_row *r);
/* The event's word for JSON and the journal: "oom_kill", "memory_limit_hit" and
 * "refused_fork" as R had them in the last interval, space-separated, into BUF. */
/* Who R is in an event line, raw bytes (sanitize before printing): "keystone
 * (b25aa6e03826)" for a container, "/system.slice" for a cgroup; WITH_ID false: the
 * name alone. */
const char *trouble_row_name(const struct view_row *r, bool with_id, char *buf, size_t len);
const char *trouble_event_kinds(const struct cg_row *r, char *buf, size_t len);

/* Whether container row R started, stopped, restarted, became unhealthy or was
 * OOM-killed (its engine's word) since the previous sample (cg_life's events), and what
 * happened into BUF ("restarted, exit code 3, restart count 4"), the events' words into
 * KINDS ("restart stop unhealthy oom_killed start"), the journal's priority into
 * *PRIORITY: 4 (warning) for unhealthy, OOM-killed or a non-zero exit, else 5. */
bool trouble_life_event(const struct view_row *r, char *buf, size_t len, char *kinds, size_t klen,
			int *priority);

#endif
