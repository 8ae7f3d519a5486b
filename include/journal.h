/* Journal front end: one structured entry per row of a view and sample, to the systemd
 * journal (sd_journal_sendv), for `journalctl SYSLOG_IDENTIFIER=cgtop`. */
#ifndef CGTOP_JOURNAL_H
#define CGTOP_JOURNAL_H

#include <stddef.h>

#include "fields.h"
#include "view.h"

/* journald's native socket, where libsystemd sends entries */
#define JOURNAL_SOCKET "/run/systemd/journal/socket"

/* Whether a journal takes entries: a datagram socket connected to JOURNAL_SOCKET, because
 * sd_journal_send() drops entries silently when the socket file is missing. Returns 0 or
 * -errno (-ENOENT: no socket; -ECONNREFUSED: a socket no one listens on). */
int journal_probe(void);

#define JOURNAL_MAX_FIELDS 128

/* The fields of one entry, "KEY=value" each, every value sanitized. */
struct journal_entry {
	char *field[JOURNAL_MAX_FIELDS];
	size_t n;
};

/* The entry for row R of sample ITERATION: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER and a
 * CGTOP_* field for every value known (unknown values have no field). */
void journal_entry_build(struct journal_entry *e, const struct view_row *r, unsigned long iteration);
/* The warning (PRIORITY=4) for an OOM kill, a memory limit hit or a refused fork of R in
 * the last interval: MESSAGE "keystone: 1 OOM kill, memory limit 64.0M", CGTOP_EVENT
 * ("oom_kill memory_limit_hit refused_fork", those that happened) and R's fields. False
 * (E untouched) when R had none or does not report events (trouble_event_row). */
bool journal_event_build(struct journal_entry *e, const struct view_row *r, unsigned long iteration);
/* The entry of R's lifecycle event (trouble_life_event()) since the previous sample:
 * name, ID, image, the lifecycle figures, priority 4 for unhealthy, OOM-killed or a
 * non-zero exit, else 5; false when it had none. */
bool journal_life_event_build(struct journal_entry *e, const struct view_row *r, unsigned long iteration);
/* The entry of kind OBJ (AOBJ_ROW, AOBJ_EVENT, AOBJ_LIFE: the three above) of R, written
 * with X's host and iteration; false (E untouched) for an event R did not have. */
bool journal_build(struct journal_entry *e, const struct view_row *r, enum attr_obj obj,
		   const struct attr_ctx *x);
/* The value of field KEY in E, or NULL. */
const char *journal_entry_get(const struct journal_entry *e, const char *key);
void journal_entry_free(struct journal_entry *e);

/* Send one entry per row of V, each with CGTOP_HOST=HOST unless HOST is NULL (journald
 * stamps every entry with its own host's _HOSTNAME: HOST is for samples of another host,
 * --root). Returns 0, or -errno from the first entry that failed. */
int output_journal(const struct view *v, unsigned long iteration, const char *host);

#endif
