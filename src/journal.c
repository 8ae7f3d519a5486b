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
#include "output.h"
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

/* An event's container labels, one field each: CGTOP_LABEL_ and the key in capitals with
 * anything but letters and digits as '_' (journald's rule for field names), cut to its
 * 64 bytes; "config_id" is CGTOP_LABEL_CONFIG_ID. */
static void add_labels(struct journal_entry *e, const struct container_meta *m)
{
	for (size_t i = 0; m && i < m->nlabels; i++) {
		char key[65] = "CGTOP_LABEL_";
		size_t n = strlen(key);

		for (const char *k = m->label_keys[i]; *k && n < sizeof(key) - 1; k++)
			key[n++] = (*k >= 'a' && *k <= 'z') ? (char)(*k - 'a' + 'A') :
				   ((*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9')) ? *k : '_';
		key[n] = '\0';
		if (n > strlen("CGTOP_LABEL_"))
			add_str(e, key, m->label_values[i]);
	}
}

static const char *kind_name(enum view_kind k)
{
	return k == VIEW_CONTAINER ? "container" : k == VIEW_GROUP ? "group" : "cgroup";
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
		PUT("%s (%s)", r->name, r->ctr->short_id);
	else if (r->kind == VIEW_GROUP)
		PUT("%s (%zu container%s)", r->name, r->ngroup, r->ngroup == 1 ? "" : "s");
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

/* R's entry: its figures, and EVENT (NULL: the row's figures as a message, at PRIORITY
 * 6) what happened, as a warning. */
static void entry_build(struct journal_entry *e, const struct view_row *r, unsigned long iteration,
			const char *event, const char *life_kinds, int priority)
{
	const struct cg_row *f = r->fig;
	const struct container_info *c = r->ctr;
	const char *src = io_source_name((enum io_source)f->io_source);
	char num[32];

	e->n = 0;
	if (event) {
		char who[512], kinds[64];

		add(e, "MESSAGE", "%s: %s", trouble_row_name(r, false, who, sizeof(who)), event);
		add(e, "PRIORITY", "%d", priority);
		add(e, "CGTOP_EVENT", "%s", life_kinds ? life_kinds : trouble_event_kinds(f, kinds, sizeof(kinds)));
	} else {
		message(e, r);
		add(e, "PRIORITY", "6");
	}
	add(e, "SYSLOG_IDENTIFIER", "cgtop");
	add(e, "CGTOP_ITERATION", "%lu", iteration);
	add(e, "CGTOP_KIND", "%s", kind_name(r->kind));
	add_str(e, "CGTOP_PATH", r->path);
	if (c) {
		add_str(e, "CGTOP_CONTAINER_NAME", container_name(c));
		add_str(e, "CGTOP_CONTAINER_ID", c->short_id);
		add_str(e, "CGTOP_CONTAINER_ID_FULL", c->ref.id);
		add_str(e, "CGTOP_IMAGE", c->meta ? c->meta->image : NULL);
		add_str(e, "CGTOP_CONFIG_ID", container_label(c, "config_id"));
	}
	add_str(e, "CGTOP_NAMESPACE", container_k8s_namespace(c ? c : r->pod));
	add_str(e, "CGTOP_POD", container_k8s_pod(c ? c : r->pod));
	if (r->kind == VIEW_GROUP) {
		add_str(e, "CGTOP_GROUP", r->name);
		add(e, "CGTOP_GROUP_CONTAINERS", "%zu", r->ngroup);
	}
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *fig = &figures[i];
		char key[64];

		if (fig_number(fig, f, false, num, sizeof(num)))
			add(e, fig_journal_field(fig, key, sizeof(key)), "%s", num);
	}
	if (src && (row_has(f, F_IO_RBPS) || row_has(f, F_IO_RBYTES)))
		add(e, "CGTOP_IO_SOURCE", "%s", src);
	add_str(e, "CGTOP_NETWORK_NAMESPACE", net_ns_name((enum net_ns_kind)f->net_ns));
	add_str(e, "CGTOP_NETWORK_SHARED_WITH", r->net_shared_with);
	/* an event's container labels last: those past JOURNAL_MAX_FIELDS are the ones left
	 * out, never the figures */
	if (event && c)
		add_labels(e, c->meta);
}

void journal_entry_build(struct journal_entry *e, const struct view_row *r, unsigned long iteration)
{
	entry_build(e, r, iteration, NULL, NULL, 6);
}

bool journal_event_build(struct journal_entry *e, const struct view_row *r, unsigned long iteration)
{
	char what[256];

	if (!trouble_event_row(r) || !trouble_event(r->fig, what, sizeof(what)))
		return false;
	entry_build(e, r, iteration, what, NULL, 4);
	return true;
}

bool journal_life_event_build(struct journal_entry *e, const struct view_row *r, unsigned long iteration)
{
	char what[256], kinds[64];
	int prio;

	if (!trouble_life_event(r, what, sizeof(what), kinds, sizeof(kinds), &prio))
		return false;
	entry_build(e, r, iteration, what, kinds, prio);
	if (r->ctr && r->ctr->meta && r->ctr->meta->life.health_log[0] && (r->fig->ctr_events & CTR_EV_UNHEALTHY))
		add_str(e, "CGTOP_HEALTH_LOG", r->ctr->meta->life.health_log);
	return true;
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
	for (size_t k = 0; k < 3 * v->n; k++) {
		struct journal_entry e = { .n = 0 };
		struct iovec iov[JOURNAL_MAX_FIELDS];
		int r;

		if (k < v->n)
			journal_entry_build(&e, &v->rows[k], iteration);
		else if (k < 2 * v->n && !journal_event_build(&e, &v->rows[k - v->n], iteration))
			continue;
		else if (k >= 2 * v->n && !journal_life_event_build(&e, &v->rows[k - 2 * v->n], iteration))
			continue;
		if (host && *host)
			add(&e, "CGTOP_HOST", "%s", host);
		for (size_t i = 0; i < e.n; i++)
			iov[i] = (struct iovec){ .iov_base = e.field[i], .iov_len = strlen(e.field[i]) };
		r = sd_journal_sendv(iov, (int)e.n);
		journal_entry_free(&e);
		if (r < 0)
			return r;
	}
	return 0;
}
