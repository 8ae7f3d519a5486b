/* Messages for the user, each said once. */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "notes.h"
#include "util.h"

bool notes_add(struct notes *ns, const char *key, const char *fmt, ...)
{
	va_list ap;
	char text[1024];

	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->keys[i], key) == 0)
			return false;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ns->keys = xrealloc(ns->keys, (ns->n + 1) * sizeof(*ns->keys));
	ns->texts = xrealloc(ns->texts, (ns->n + 1) * sizeof(*ns->texts));
	ns->keys[ns->n] = xstrdup(key);
	/* a note may quote a cgroup path or an engine's answer: keep it terminal-safe for
	 * every front end (stderr, the TUI, a log) */
	ns->texts[ns->n] = sanitize_dup(text);
	ns->n++;
	return true;
}

const char *notes_next_unshown(struct notes *ns)
{
	if (ns->shown >= ns->n)
		return NULL;
	return ns->texts[ns->shown++];
}

void notes_free(struct notes *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		free(ns->keys[i]);
		free(ns->texts[i]);
	}
	free(ns->keys);
	free(ns->texts);
	memset(ns, 0, sizeof(*ns));
}

struct notes_inbox {
	pthread_mutex_t lock;
	struct notes posted;    /* not published yet; texts as formatted, sanitized on delivery */
	struct notes published; /* not delivered yet */
	char **keys;         /* every key ever posted, sorted */
	size_t nkeys;
};

/* qsort/bsearch comparison of two char * array elements. */
static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct notes_inbox *notes_inbox_new(void)
{
	struct notes_inbox *in = xcalloc(1, sizeof(*in));

	pthread_mutex_init(&in->lock, NULL);
	return in;
}

void notes_inbox_free(struct notes_inbox *in)
{
	if (!in)
		return;
	pthread_mutex_destroy(&in->lock);
	notes_free(&in->posted);
	notes_free(&in->published);
	for (size_t i = 0; i < in->nkeys; i++)
		free(in->keys[i]);
	free(in->keys);
	free(in);
}

bool notes_post(struct notes_inbox *in, const char *key, const char *fmt, ...)
{
	va_list ap;
	char text[1024];
	struct notes *q = &in->posted;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&in->lock);
	if (in->nkeys > 0 && bsearch(&key, in->keys, in->nkeys, sizeof(*in->keys), cmp_strp)) {
		pthread_mutex_unlock(&in->lock);
		return false;
	}
	in->keys = xrealloc(in->keys, (in->nkeys + 1) * sizeof(*in->keys));
	in->keys[in->nkeys++] = xstrdup(key);
	qsort(in->keys, in->nkeys, sizeof(*in->keys), cmp_strp);
	q->keys = xrealloc(q->keys, (q->n + 1) * sizeof(*q->keys));
	q->texts = xrealloc(q->texts, (q->n + 1) * sizeof(*q->texts));
	q->keys[q->n] = xstrdup(key);
	q->texts[q->n] = xstrdup(text);
	q->n++;
	pthread_mutex_unlock(&in->lock);
	return true;
}

void notes_publish(struct notes_inbox *in)
{
	struct notes *to = &in->published, *from = &in->posted;

	pthread_mutex_lock(&in->lock);
	if (from->n > 0) {
		to->keys = xrealloc(to->keys, (to->n + from->n) * sizeof(*to->keys));
		to->texts = xrealloc(to->texts, (to->n + from->n) * sizeof(*to->texts));
		memcpy(to->keys + to->n, from->keys, from->n * sizeof(*to->keys));
		memcpy(to->texts + to->n, from->texts, from->n * sizeof(*to->texts));
		to->n += from->n;
		free(from->keys);
		free(from->texts);
		memset(from, 0, sizeof(*from));
	}
	pthread_mutex_unlock(&in->lock);
}

void notes_deliver(struct notes_inbox *in, struct notes *ns)
{
	struct notes q;

	pthread_mutex_lock(&in->lock);
	q = in->published;
	memset(&in->published, 0, sizeof(in->published));
	pthread_mutex_unlock(&in->lock);
	for (size_t i = 0; i < q.n; i++)
		notes_add(ns, q.keys[i], "%s", q.texts[i]);
	notes_free(&q);
}
