/* Journal front end: one structured entry per row and sample, to the systemd journal. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "container.h"
#include "fields.h"
#include "format.h"
#include "journal.h"
#include "trouble.h"
#include "util.h"

int journal_probe(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = JOURNAL_SOCKET };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)&sa, sizeof(sa)) < 0)
		r = -errno;
	close(fd);
	return r;
}

static void add(struct journal_entry *e, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Add KEY=value; the value is sanitized, so no field holds a control byte or bad UTF-8. */
static void add(struct journal_entry *e, const char *key, const char *fmt, ...)
{
	_cleanup_free_ char *raw = NULL, *clean = NULL;
	va_list ap;
	int n;

	if (e->n == JOURNAL_MAX_FIELDS)
		return;
	va_start(ap, fmt);
	n = vasprintf(&raw, fmt, ap);
	va_end(ap);
	if (n < 0) {
		raw = NULL;
		return;
	}
	clean = sanitize_dup(raw);
	if (asprintf(&e->field[e->n], "%s=%s", key, clean) < 0)
		e->field[e->n] = NULL;
	else
		e->n++;
}

static void add_str(struct journal_entry *e, const char *key, const char *val)
{
	if (val && *val)
		add(e, key, "%s", val);
}

/* A map's fields (an event's container labels): PREFIX and the key in capitals with
 * anything but letters and digits as '_' (journald's rule for field names), cut to its
 * 64 bytes; label "config_id" is CGTOP_LABEL_CONFIG_ID. */
static void add_map(struct journal_entry *e, const char *prefix, const struct attr_val *v)
{
	for (size_t i = 0; i < v->count; i++) {
		char key[65];
		size_t n = strlen(prefix), start = n;

		if (n >= sizeof(key) - 1)
			return;
		memcpy(key, prefix, n);
		for (const char *k = v->keys[i]; *k && n < sizeof(key) - 1; k++)
			key[n++] = (*k >= 'a' && *k <= 'z') ? (char)(*k - 'a' + 'A') :
				   ((*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9')) ? *k : '_';
		key[n] = '\0';
		if (n > start)
			add_str(e, key, v->vals[i]);
	}
}

/* The fields of R's attributes (written with X) that entry OBJ carries; its maps (MAPS)
 * or the others. */
static void add_attrs(struct journal_entry *e, enum attr_obj obj, bool maps, const struct view_row *r,
		      const struct attr_ctx *x)
{
	for (size_t i = 0; i < row_attrs_n; i++) {
		const struct row_attr *a = &row_attrs[i];
		struct attr_val v = { 0 };

		if (!a->journal || !(a->journal_in & ATTR_IN(obj)) || (a->type == ATTR_MAP) != maps ||
		    (a->journal_if && !a->journal_if(r)))
			continue;
		if (a->get(r, x, &v)) {
			if (a->type == ATTR_MAP)
				add_map(e, a->journal, &v);
			else if (a->type == ATTR_INT)
				add(e, a->journal, "%lld", (long long)v.n);
			else if (a->type == ATTR_STRING)
				add_str(e, a->journal, v.s);
		}
		attr_val_free(&v);
	}
}

/* "keystone (b25aa6e03826) cpu 12.3% mem 99.6M tasks 11 read 0B/s write 1.2M/s": what is
 * known of R, for people reading `journalctl -t cgtop`. */
static void message(struct journal_entry *e, const struct view_row *r)
{
	const struct cg_row *f = r->fig;
	char msg[1024], num[48];
	size_t n = 0;
	char shown[CONTAINER_SHOWN_MAX];

#define PUT(...) \
	n += (size_t)snprintf(msg + n, n < sizeof(msg) ? sizeof(msg) - n : 0, __VA_ARGS__)
	if (r->kind == VIEW_CONTAINER && r->name_known)
		PUT("%s (%s)", r->name, container_short_id(r->ctr));
	else if (r->kind == VIEW_GROUP)
		PUT("%s (%zu container%s)", r->name, (size_t)r->ngroup, r->ngroup == 1 ? "" : "s");
	else if (r->kind == VIEW_CGROUP && r->ctr)
		PUT("%s (%s)", r->name, container_shown_name(r->ctr, shown, sizeof(shown)));
	else
		PUT("%s", r->name);
	for (int pos = 1; pos <= F_COUNT; pos++)
		for (size_t i = 0; i < F_COUNT; i++) {
			const struct figure *fig = &figures[i];

			if (fig->message_pos != pos || !row_has(f, fig->id))
				continue;
			PUT(" %s %s%s", fig->message_word, fig_cell(fig, f, 0, num, sizeof(num)),
			    fig->message_unit ? fig->message_unit : "");
		}
#undef PUT
	add(e, "MESSAGE", "%s", msg);
}

/* R's entry of kind OBJ: its attributes and figures, and for an event (X's event) what
 * happened, as a warning (X's priority); a row's figures as a message, at priority 6. */
static void entry_build(struct journal_entry *e, const struct view_row *r, enum attr_obj obj,
			const struct attr_ctx *x)
{
	const struct cg_row *f = r->fig;
	char num[32];

	e->n = 0;
	if (x->event) {
		char who[512];

		add(e, "MESSAGE", "%s: %s", trouble_row_name(r, false, who, sizeof(who)), x->message);
		add(e, "PRIORITY", "%d", x->priority);
	} else {
		message(e, r);
		add(e, "PRIORITY", "6");
	}
	add(e, "SYSLOG_IDENTIFIER", "cgtop");
	add_attrs(e, obj, false, r, x);
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *fig = &figures[i];
		char key[64];

		if (fig_number(fig, f, false, num, sizeof(num)))
			add(e, fig_journal_field(fig, key, sizeof(key)), "%s", num);
	}
	/* maps (an event's container labels) last: those past JOURNAL_MAX_FIELDS are the
	 * ones left out, never the figures */
	add_attrs(e, obj, true, r, x);
}

static bool event_entry(struct journal_entry *e, const struct view_row *r, const struct attr_ctx *x)
{
	char what[256], kinds[64];
	struct attr_ctx ex = *x;

	if (!trouble_event_row(r) || !trouble_event(r->fig, what, sizeof(what)))
		return false;
	ex.event = trouble_event_kinds(r->fig, kinds, sizeof(kinds));
	ex.message = what;
	ex.priority = 4;
	entry_build(e, r, AOBJ_EVENT, &ex);
	return true;
}

static bool life_entry(struct journal_entry *e, const struct view_row *r, const struct attr_ctx *x)
{
	char what[256], kinds[64];
	struct attr_ctx ex = *x;

	if (!trouble_life_event(r, what, sizeof(what), kinds, sizeof(kinds), &ex.priority))
		return false;
	ex.event = kinds;
	ex.message = what;
	entry_build(e, r, AOBJ_LIFE, &ex);
	return true;
}

bool journal_build(struct journal_entry *e, const struct view_row *r, enum attr_obj obj,
		   const struct attr_ctx *x)
{
	switch (obj) {
	case AOBJ_EVENT:
		return event_entry(e, r, x);
	case AOBJ_LIFE:
		return life_entry(e, r, x);
	case AOBJ_ROW:
	case AOBJ_CONTAINER:
	case AOBJ_COUNT:
		break;
	}
	entry_build(e, r, AOBJ_ROW, x);
	return true;
}

void journal_entry_build(struct journal_entry *e, const struct view_row *r, unsigned long iteration)
{
	entry_build(e, r, AOBJ_ROW, &(struct attr_ctx){ .iteration = iteration });
}

bool journal_event_build(struct journal_entry *e, const struct view_row *r, unsigned long iteration)
{
	return event_entry(e, r, &(struct attr_ctx){ .iteration = iteration });
}

bool journal_life_event_build(struct journal_entry *e, const struct view_row *r, unsigned long iteration)
{
	return life_entry(e, r, &(struct attr_ctx){ .iteration = iteration });
}

const char *journal_entry_get(const struct journal_entry *e, const char *key)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i < e->n; i++)
		if (strncmp(e->field[i], key, kl) == 0 && e->field[i][kl] == '=')
			return e->field[i] + kl + 1;
	return NULL;
}

void journal_entry_free(struct journal_entry *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->field[i]);
	e->n = 0;
}

int output_journal(const struct view *v, unsigned long iteration, const char *host)
{
	/* the rows, then the events (warnings), then the containers' lifecycle events */
	for (enum attr_obj obj = AOBJ_ROW; obj <= AOBJ_LIFE; obj++) {
		for (size_t k = 0; k < v->n; k++) {
			struct journal_entry e = { .n = 0 };
			struct iovec iov[JOURNAL_MAX_FIELDS];
			struct attr_ctx x = { .host = host, .iteration = iteration };
			int r;

			if (!journal_build(&e, &v->rows[k], obj, &x))
				continue;
			for (size_t i = 0; i < e.n; i++)
				iov[i] = (struct iovec){ .iov_base = e.field[i], .iov_len = strlen(e.field[i]) };
			r = sd_journal_sendv(iov, (int)e.n);
			journal_entry_free(&e);
			if (r < 0)
				return r;
		}
	}
	return 0;
}
