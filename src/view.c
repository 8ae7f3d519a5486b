/* The rows a front end shows, built from a snapshot. */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "container.h"
#include "fields.h"
#include "trouble.h"
#include "util.h"
#include "view.h"

static void view_reset(struct view *v)
{
	for (size_t i = 0; i < v->nowned; i++)
		free(v->owned[i]);
	v->nowned = 0;
	v->n = 0;
	v->nmembers = 0;
	v->nsums = 0;
	/* the sums' blocks: no row points at them any more */
	if (v->arena)
		arena_reset(v->arena);
}

/* Room for N more sums, made before any row points into v->sums. */
static void sums_reserve(struct view *v, size_t n)
{
	if (v->nsums + n <= v->sums_cap)
		return;
	v->sums_cap = v->nsums + n;
	v->sums = xrealloc(v->sums, v->sums_cap * sizeof(*v->sums));
}

/* A zeroed sum of figures (sums_reserve() made room for it). */
static struct cg_row *sum_new(struct view *v)
{
	struct cg_row *f = &v->sums[v->nsums++];

	if (!v->arena)
		v->arena = xcalloc(1, sizeof(*v->arena));
	row_init(f, v->arena);
	return f;
}

/* Keep S (newly allocated) until V is rebuilt; returns it. */
static const char *view_own(struct view *v, char *s)
{
	if (v->nowned == v->owned_cap) {
		v->owned_cap = v->owned_cap ? v->owned_cap * 2 : 16;
		v->owned = xrealloc(v->owned, v->owned_cap * sizeof(*v->owned));
	}
	v->owned[v->nowned++] = s;
	return s;
}

/* PATH as people read it: systemd's \xNN escapes undone. The view owns the copy. */
static const char *display_path(struct view *v, const char *path)
{
	if (!strstr(path, "\\x"))
		return path;
	return view_own(v, unit_unescape(path));
}

static struct view_row *view_add(struct view *v)
{
	struct view_row *r;

	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 256;
		v->rows = xrealloc(v->rows, v->cap * sizeof(*v->rows));
	}
	r = &v->rows[v->n++];
	memset(r, 0, sizeof(*r));
	r->parent = -1;
	r->first_member = (uint32_t)v->nmembers;
	return r;
}

static void view_add_member(struct view *v, struct view_row *r, size_t snap_row)
{
	assert(snap_row <= CTR_TABLE_MAX);
	if (v->nmembers == v->members_cap) {
		v->members_cap = v->members_cap ? v->members_cap * 2 : 256;
		v->members = xrealloc(v->members, v->members_cap * sizeof(*v->members));
	}
	v->members[v->nmembers++] = (uint32_t)snap_row;
	r->nmembers++;
}

/* Who counts the network namespace R shares (its network block's holder, a row of S): its container's
 * name as rows show it, else its cgroup path. */
static void set_shared_with(struct view *v, struct view_row *r, const struct snapshot *s,
			    const struct ctr_table *t)
{
	ssize_t h = row_net(r->fig)->holder;
	char shown[CONTAINER_SHOWN_MAX];

	r->net_shared_with = NULL;
	if (row_net(r->fig)->kind != NET_NS_SHARED || h < 0 || (size_t)h >= s->n)
		return;
	if (t && t->row_ctr && t->row_ctr[h] >= 0)
		r->net_shared_with = view_own(v, xstrdup(container_shown_name(&t->v[t->row_ctr[h]], shown,
									     sizeof(shown))));
	else
		r->net_shared_with = display_path(v, s->rows[h].path);
}

/* A row for cgroup I of S as it is, in SECTION; CTR is its container, if any, POD its
 * pod. */
static void add_cgroup_row(struct view *v, const struct snapshot *s, size_t i, int section,
			   const struct container_info *ctr, const struct container_info *pod)
{
	struct view_row *r = view_add(v);

	r->kind = VIEW_CGROUP;
	r->section = section;
	r->ctr = ctr;
	r->pod = pod;
	r->name_known = true;
	r->name = display_path(v, s->rows[i].path);
	r->path = s->rows[i].path;
	r->fig = &s->rows[i];
	r->parent = (int32_t)s->rows[i].parent;
	view_add_member(v, r, i);
}

void view_build_cgroups(struct view *v, const struct snapshot *s, const struct ctr_table *t)
{
	view_reset(v);
	assert(s->n <= CTR_TABLE_MAX); /* 32-bit indices (view.h) */
	for (size_t i = 0; i < s->n; i++)
		add_cgroup_row(v, s, i, 0, t && t->row_ctr[i] >= 0 ? &t->v[t->row_ctr[i]] : NULL,
			       t && t->row_pod[i] >= 0 ? &t->pods[t->row_pod[i]] : NULL);
	for (size_t k = 0; k < v->n; k++)
		set_shared_with(v, &v->rows[k], s, t);
}

/* The lifecycle figures of container C (what its engine says) into F; NOW_S: the
 * sample's wall time, for ages. */
static void set_life(struct cg_row *f, const struct container_info *c, uint64_t now_s)
{
	const struct container_meta *m = c->meta;
	unsigned st = m ? ctr_state_of(m->state) : 0;
	struct cg_life *l = row_life_mk(f);

	l->now = now_s;
	l->events = c->events;
	if (!m)
		return;
	if (st) {
		fig_set_u64(figure(F_CTR_STATE), f, st);
		fig_set_u64(figure(F_CTR_HEALTH), f, ctr_health_of(m->health));
		f->valid |= FIELD_BIT(F_CTR_STATE) | FIELD_BIT(F_CTR_HEALTH);
	}
	if (m->life.known) {
		l->restarts = m->life.restart_count;
		l->oom_killed = m->life.oom_killed;
		f->valid |= FIELD_BIT(F_CTR_RESTARTS) | FIELD_BIT(F_CTR_OOM_KILLED);
		if (m->life.exit_code >= 0) {
			l->exit_code = (uint64_t)m->life.exit_code;
			f->valid |= FIELD_BIT(F_CTR_EXIT_CODE);
		}
		if (m->life.started_at > 0) {
			l->started_at = (uint64_t)m->life.started_at;
			f->valid |= FIELD_BIT(F_CTR_STARTED_AT);
		}
		if (m->life.finished_at > 0) {
			l->finished_at = (uint64_t)m->life.finished_at;
			f->valid |= FIELD_BIT(F_CTR_FINISHED_AT);
		}
	}
	if (c->restarts_seen >= 0) {
		l->restarts_seen = (uint64_t)c->restarts_seen;
		f->valid |= FIELD_BIT(F_CTR_RESTARTS_SEEN);
	}
	l->restarted_lately = trouble_restarted_lately(f);
}

/* Container C (row R, its members bucketed) has nothing to add to its one cgroup's
 * figures: no engine's lifecycle, no event (set_life() would set only the sample's time,
 * which only ages of lifecycle figures read). */
static bool plain_container(const struct container_info *c, const struct view_row *r)
{
	return r->nmembers == 1 && !c->meta && !c->events;
}

void view_build_containers(struct view *v, const struct snapshot *s, const struct ctr_table *t)
{
	size_t base, nsums;

	view_reset(v);
	assert(s->n <= CTR_TABLE_MAX); /* 32-bit indices (view.h) */
	/* one row per container, members in snapshot order */
	for (size_t k = 0; k < t->n; k++) {
		const struct container_info *c = &t->v[k];
		const char *name = container_name(c);
		struct view_row *r = view_add(v);

		r->kind = VIEW_CONTAINER;
		r->section = 0;
		r->ctr = c;
		r->pod = c->pod;
		r->name_known = name != NULL;
		if (!name && c->pod && container_name(c->pod)) {
			char shown[CONTAINER_SHOWN_MAX];

			r->name = view_own(v, xstrdup(container_shown_name(c, shown, sizeof(shown))));
		} else {
			r->name = name ? name : c->unknown_name;
		}
		r->path = c->path;
	}
	/* bucket the member rows by container in one pass: counts, offsets, fill */
	if (v->members_cap < s->n) {
		v->members_cap = s->n;
		v->members = xrealloc(v->members, v->members_cap * sizeof(*v->members));
	}
	for (size_t i = 0; i < s->n; i++)
		if (t->row_ctr[i] >= 0)
			v->rows[t->row_ctr[i]].nmembers++;
	base = 0;
	for (size_t k = 0; k < t->n; k++) {
		v->rows[k].first_member = (uint32_t)base;
		base += v->rows[k].nmembers;
		v->rows[k].nmembers = 0;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct view_row *r;

		if (t->row_ctr[i] < 0)
			continue;
		r = &v->rows[t->row_ctr[i]];
		v->members[r->first_member + r->nmembers++] = (uint32_t)i;
	}
	v->nmembers = base;
	/* A container has figures of its own (its engine's lifecycle figures beside its
	 * cgroups' sum), but for one of a single cgroup that nothing is known of (no engine
	 * names it, no event): that row points at its cgroup's figures, as a cgroup's row
	 * does, which saves a copy of a row a container (3.8 MB at 10,000). */
	nsums = 0;
	for (size_t k = 0; k < t->n; k++)
		if (!plain_container(&t->v[k], &v->rows[k]))
			nsums++;
	sums_reserve(v, nsums);
	for (size_t k = 0; k < t->n; k++) {
		struct view_row *r = &v->rows[k];
		const struct container_info *c = &t->v[k];
		struct cg_row *sum;

		if (plain_container(c, r)) {
			r->fig = &s->rows[v->members[r->first_member]];
			continue;
		}
		r->fig = sum = sum_new(v);
		set_life(sum, c, s->real_ns / 1000000000ull);
		for (size_t m = 0; m < r->nmembers; m++)
			fig_add_row(sum, &s->rows[v->members[r->first_member + m]]);
	}
	for (size_t k = 0; k < t->n; k++)
		set_shared_with(v, &v->rows[k], s, t);
	/* containers that are not running (no cgroup), unless hidden */
	if (v->hide_down) {
		size_t j = 0;

		for (size_t k = 0; k < v->n; k++)
			if (v->rows[k].nmembers || (v->rows[k].path && *v->rows[k].path))
				v->rows[j++] = v->rows[k];
		v->n = j;
	}
	/* then the host ("/") and the top-level cgroups that are not containers */
	for (size_t i = 0; i < s->n; i++)
		if (s->rows[i].depth <= 1 && t->row_ctr[i] < 0)
			add_cgroup_row(v, s, i, 1, NULL, NULL);
}

/* The group container C belongs to by BY (LABEL for GROUP_LABEL), or NULL. A pod is
 * "namespace/pod" (a pod's name is unique only in its namespace), made in V. */
static const char *group_key(struct view *v, const struct container_info *c, enum group_by by,
			     const char *label)
{
	const char *ns, *pod;
	char *key;

	switch (by) {
	case GROUP_LABEL:
		return container_label(c, label);
	case GROUP_IMAGE:
		return c->meta ? c->meta->image : NULL;
	case GROUP_NAMESPACE:
		return container_k8s_namespace(c);
	case GROUP_POD:
		ns = container_k8s_namespace(c);
		pod = container_k8s_pod(c);
		if (!ns || !pod)
			return NULL;
		if (asprintf(&key, "%s/%s", ns, pod) < 0)
			return NULL;
		return view_own(v, key);
	case GROUP_NONE:
		break;
	}
	return NULL;
}

void view_build_groups(struct view *v, const struct snapshot *s, const struct ctr_table *t,
		       enum group_by by, const char *label)
{
	struct view tmp = { 0 };
	const char **keys;
	size_t ngroups;

	tmp.hide_down = v->hide_down;
	view_build_containers(&tmp, s, t);
	view_reset(v);
	sums_reserve(v, tmp.n);
	keys = xcalloc(tmp.n + 1, sizeof(*keys));
	for (size_t i = 0; i < tmp.n && tmp.rows[i].kind == VIEW_CONTAINER; i++) {
		const struct view_row *c = &tmp.rows[i];
		const char *key = group_key(v, c->ctr, by, label);
		struct view_row *g = NULL;

		if (!key)
			key = "(none)";
		keys[i] = key;
		for (size_t k = 0; k < v->n; k++)
			if (strcmp(v->rows[k].name, key) == 0)
				g = &v->rows[k];
		if (!g) {
			g = view_add(v);
			g->kind = VIEW_GROUP;
			g->name = key; /* in the container metadata (alive as long as T) or V's own */
			g->name_known = true;
			g->path = "";
			g->fig = sum_new(v);
		}
		/* v->sums holds every group's: reserved above, never moved */
		{
			struct cg_row *gf = &v->sums[g->fig - v->sums];
			struct cg_life *gl;

			fig_add_group(gf, c->fig);
			/* the sample's wall time, for ages: a plain container's row is its
			 * cgroup's, which has no lifecycle */
			gl = row_life_mk(gf);
			gl->now = s->real_ns / 1000000000ull;
			gl->events |= row_life(c->fig)->events;
			gl->restarted_lately |= row_life(c->fig)->restarted_lately;
		}
		assert(g->ngroup < VIEW_NGROUP_MAX);
		g->ngroup++;
	}
	/* members of a group: its containers' rows, gathered group by group */
	ngroups = v->n;
	for (size_t k = 0; k < ngroups; k++) {
		struct view_row *g = &v->rows[k];

		g->first_member = (uint32_t)v->nmembers;
		for (size_t i = 0; i < tmp.n && tmp.rows[i].kind == VIEW_CONTAINER; i++) {
			const struct view_row *c = &tmp.rows[i];

			if (strcmp(keys[i], g->name) != 0)
				continue;
			for (size_t m = 0; m < c->nmembers; m++)
				view_add_member(v, g, tmp.members[c->first_member + m]);
		}
	}
	free(keys);
	for (size_t i = 0; i < tmp.n; i++) {
		struct view_row *r;

		if (tmp.rows[i].kind == VIEW_CONTAINER)
			continue;
		r = view_add(v);
		*r = tmp.rows[i];
		/* a name tmp unescaped is tmp's, freed below: V's own copy */
		r->name = display_path(v, r->path);
		r->first_member = (uint32_t)v->nmembers;
		r->nmembers = 0;
		view_add_member(v, r, tmp.members[tmp.rows[i].first_member]);
	}
	view_free(&tmp);
}

static struct {
	enum sort_order order;
	bool reverse, cpu_time;
} sort_by;

/* The sort key of R: the sum of the shown figures of the order (read and write for I/O);
 * false when R knows none of them. */
static bool key_of(const struct view_row *r, double *k)
{
	bool known = false;

	*k = 0;
	if (sort_by.order == ORDER_PATH)
		return false;
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *f = &figures[i];
		double v;

		if (f->sort != sort_by.order || !fig_column_shown(f, sort_by.cpu_time) ||
		    !fig_value(f, r->fig, &v))
			continue;
		*k += v;
		known = true;
	}
	return known;
}

/* A row with its sort key, worked out once rather than at each of the n log n
 * comparisons (each a loop over the table of figures); 16 bytes. */
struct keyed_row {
	double key;
	uint32_t row;  /* index into the view's rows */
	bool has_key;
};

static const struct view_row *sort_rows;

static int cmp_keyed_rows(const void *a, const void *b)
{
	const struct keyed_row *kx = a, *ky = b;
	const struct view_row *x = &sort_rows[kx->row], *y = &sort_rows[ky->row];
	int c = 0;

	if (x->section != y->section)
		return x->section < y->section ? -1 : 1;
	if (sort_by.order != ORDER_PATH) {
		if (kx->has_key != ky->has_key)
			return kx->has_key ? -1 : 1; /* rows without a value last, in either direction */
		if (kx->has_key && kx->key != ky->key)
			c = kx->key > ky->key ? -1 : 1;
		if (c)
			return sort_by.reverse ? -c : c;
	}
	c = strcmp(x->name, y->name);
	if (!c)
		c = strcmp(x->path, y->path);
	return sort_by.order == ORDER_PATH && sort_by.reverse ? -c : c;
}

#define ROW_PLACED UINT32_MAX

void view_sort(struct view *v, enum sort_order order, bool reverse, bool cpu_time)
{
	struct keyed_row *k;

	sort_by.order = order;
	sort_by.reverse = reverse;
	sort_by.cpu_time = cpu_time;
	if (v->n < 2) /* qsort(NULL, 0, …) is undefined */
		return;
	assert(v->n < ROW_PLACED);
	k = xmalloc(v->n * sizeof(*k));
	for (size_t i = 0; i < v->n; i++) {
		k[i].row = (uint32_t)i;
		k[i].has_key = key_of(&v->rows[i], &k[i].key);
	}
	sort_rows = v->rows;
	qsort(k, v->n, sizeof(*k), cmp_keyed_rows);
	sort_rows = NULL;
	/* row k[i].row goes to place i: moved in place, cycle by cycle (a sorted copy of
	 * the rows took 0.6 MB at 10,000) */
	for (size_t i = 0; i < v->n; i++) {
		struct view_row first;
		size_t at = i;

		if (k[i].row == ROW_PLACED)
			continue;
		first = v->rows[i];
		while (k[at].row != i) {
			size_t from = k[at].row;

			v->rows[at] = v->rows[from];
			k[at].row = ROW_PLACED;
			at = from;
		}
		v->rows[at] = first;
		k[at].row = ROW_PLACED;
	}
	free(k);
}

void view_free(struct view *v)
{
	view_reset(v);
	free(v->owned);
	free(v->rows);
	free(v->members);
	free(v->sums);
	if (v->arena)
		arena_free(v->arena);
	free(v->arena);
	memset(v, 0, sizeof(*v));
}
