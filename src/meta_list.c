/* Lists of what the engines say about containers, and sorted sets of container IDs. */
#include "config.h"

#include <string.h>

#include "meta_list.h"
#include "util.h"

void container_meta_free(struct container_meta *m)
{
	if (!m)
		return;
	free(m->id);
	free(m->name);
	free(m->engine_name);
	free(m->image);
	free(m->state);
	free(m->health);
	free(m->status);
	free(m->config_id);
	free(m->managed_by);
	for (size_t i = 0; i < m->nlabels; i++) {
		free(m->label_keys[i]);
		free(m->label_values[i]);
	}
	free(m->label_keys);
	free(m->label_values);
	memset(m, 0, sizeof(*m));
}

void meta_list_free(struct meta_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		container_meta_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Append an empty entry to L and return it. */
struct container_meta *meta_list_push(struct meta_list *l)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

int meta_ids_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool meta_ids_has(const char *const *v, size_t n, const char *s)
{
	return n > 0 && bsearch(&s, v, n, sizeof(*v), meta_ids_cmp) != NULL;
}

void meta_ids_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A request for 10,000 containers was 10,001 allocations, made again at each change of
 * the set (and by the worker for a full fetch after a quick one): one instead, shared,
 * with the strings borrowed when their keeper holds them. */
struct meta_ids *meta_ids_new(const char *const *ids, size_t n, const struct meta_ids_keeper *k)
{
	size_t bytes = sizeof(struct meta_ids) + (n + 1) * sizeof(char *);
	int token = k ? k->hold(k->ud) : -1;
	struct meta_ids *v;
	char *p;

	if (token < 0)
		for (size_t i = 0; i < n; i++)
			bytes += strlen(ids[i]) + 1;
	v = xmalloc(bytes);
	atomic_init(&v->refs, 1);
	v->keeper = token < 0 ? NULL : k;
	v->token = token;
	v->n = n;
	p = (char *)(v->v + n + 1);
	for (size_t i = 0; i < n; i++) {
		size_t len;

		if (v->keeper) {
			v->v[i] = ids[i];
			continue;
		}
		len = strlen(ids[i]) + 1;
		v->v[i] = memcpy(p, ids[i], len);
		p += len;
	}
	v->v[n] = NULL;
	return v;
}

struct meta_ids *meta_ids_ref(struct meta_ids *v)
{
	atomic_fetch_add_explicit(&v->refs, 1, memory_order_relaxed);
	return v;
}

void meta_ids_unref(struct meta_ids *v)
{
	/* acq_rel: every holder's reads of the strings come before the release */
	if (!v || atomic_fetch_sub_explicit(&v->refs, 1, memory_order_acq_rel) != 1)
		return;
	if (v->keeper)
		v->keeper->release(v->keeper->ud, v->token);
	free(v);
}

/* bsearch comparison of an ID with a container_meta. */
static int cmp_id_meta(const void *id, const void *m)
{
	return strcmp(id, ((const struct container_meta *)m)->id);
}

/* qsort comparison of two container_meta by ID. */
static int cmp_meta(const void *a, const void *b)
{
	return strcmp(((const struct container_meta *)a)->id, ((const struct container_meta *)b)->id);
}

struct container_meta *meta_list_find_n(const struct meta_list *l, size_t n, const char *id)
{
	if (n == 0)
		return NULL;
	return bsearch(id, l->v, n, sizeof(*l->v), cmp_id_meta);
}

struct container_meta *meta_list_find(const struct meta_list *l, const char *id)
{
	return meta_list_find_n(l, l->n, id);
}

void meta_list_sort(struct meta_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_meta);
}

void meta_list_take(struct meta_list *to, struct meta_list *from, const char *const *ids, size_t n)
{
	size_t before = to->n, j = 0;

	for (size_t i = 0; i < from->n; i++) {
		if ((!ids || meta_ids_has(ids, n, from->v[i].id)) && !meta_list_find_n(to, before, from->v[i].id))
			*meta_list_push(to) = from->v[i];
		else
			container_meta_free(&from->v[i]);
	}
	free(from->v);
	from->v = NULL;
	from->n = 0;
	meta_list_sort(to);
	/* an engine listing an ID twice: keep one */
	for (size_t i = 0; i < to->n; i++) {
		if (j > 0 && strcmp(to->v[j - 1].id, to->v[i].id) == 0)
			container_meta_free(&to->v[i]);
		else
			to->v[j++] = to->v[i];
	}
	to->n = j;
}


void meta_list_take_all(struct meta_list *to, struct meta_list *from)
{
	meta_list_take(to, from, NULL, 0);
}
