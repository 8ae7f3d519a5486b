/* The rows the table shows: filter, tree, collapsed branches, and a selection that follows
 * its row. No drawing here. */
#include "config.h"

#include <string.h>

#include "container.h"
#include "tui_model.h"
#include "util.h"

char *tui_model_row_key(const struct view_row *r)
{
	const char *tail = r->path ? r->path : "";
	char kind = 'p';
	size_t n;
	char *k;

	if (r->kind == VIEW_CONTAINER && r->ctr) {
		kind = 'c';
		tail = r->ctr->ref.id;
	} else if (r->kind == VIEW_GROUP) {
		kind = 'g';
		tail = r->name ? r->name : "";
	}
	n = strlen(tail);
	k = xmalloc(n + 3);
	k[0] = kind;
	k[1] = ':';
	memcpy(k + 2, tail, n + 1);
	return k;
}

/* Compares without building R's key. */
bool tui_model_row_is(const struct view_row *r, const char *key)
{
	if (!key)
		return false;
	if (key[0] == 'c')
		return r->kind == VIEW_CONTAINER && r->ctr && strcmp(key + 2, r->ctr->ref.id) == 0;
	if (key[0] == 'g')
		return r->kind == VIEW_GROUP && r->name && strcmp(key + 2, r->name) == 0;
	return r->kind == VIEW_CGROUP && r->path && strcmp(key + 2, r->path) == 0;
}

const struct view_row *tui_model_find(const struct view *v, const char *key)
{
	for (size_t i = 0; key && v && i < v->n; i++)
		if (tui_model_row_is(&v->rows[i], key))
			return &v->rows[i];
	return NULL;
}

bool tui_model_row_matches(const struct view_row *r, const char *f)
{
	const struct container_meta *m;

	if (!*f)
		return true;
	if ((r->name && strcasestr(r->name, f)) || (r->path && strcasestr(r->path, f)))
		return true;
	if (!r->ctr)
		return false;
	if (strcasestr(r->ctr->ref.id, f) || (container_name(r->ctr) && strcasestr(container_name(r->ctr), f)))
		return true;
	m = r->ctr->meta;
	if (!m)
		return false;
	if ((m->image && strcasestr(m->image, f)) || (m->config_id && strcasestr(m->config_id, f)))
		return true;
	for (size_t i = 0; i < m->nlabels; i++)
		if (m->label_values[i] && strcasestr(m->label_values[i], f))
			return true;
	return false;
}

/* A UTF-8 character's continuation bytes go with it. */
void tui_model_filter_backspace(struct tui_model *m)
{
	char *f = m->filter;
	size_t n = strlen(f);

	while (n > 0 && ((unsigned char)f[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	f[n] = '\0';
}

bool tui_model_is_collapsed(const struct tui_model *m, const char *path)
{
	for (size_t i = 0; i < m->ncollapsed; i++)
		if (strcmp(m->collapsed[i], path) == 0)
			return true;
	return false;
}

/* Collapse (COLLAPSE true) or expand the branch at PATH. */
static void set_collapsed(struct tui_model *m, const char *path, bool collapse)
{
	for (size_t i = 0; i < m->ncollapsed; i++)
		if (strcmp(m->collapsed[i], path) == 0) {
			if (!collapse) {
				free(m->collapsed[i]);
				m->collapsed[i] = m->collapsed[--m->ncollapsed];
			}
			return;
		}
	if (!collapse)
		return;
	m->collapsed = xrealloc(m->collapsed, (m->ncollapsed + 1) * sizeof(*m->collapsed));
	m->collapsed[m->ncollapsed++] = xstrdup(path);
}

/* Append a shown row. */
static void vis_add(struct tui_model *m, size_t row, unsigned indent, bool branch, bool collapsed)
{
	if (m->nvis == m->vis_cap) {
		m->vis_cap = m->vis_cap ? m->vis_cap * 2 : 256;
		m->vis = xrealloc(m->vis, m->vis_cap * sizeof(*m->vis));
	}
	m->vis[m->nvis++] = (struct model_row){ row, indent, branch, collapsed };
}

/* Children lists of the tree, in view (sorted) order. */
struct tree {
	ssize_t *first, *last, *next;
	bool *shown;   /* matches the filter itself or through a descendant */
};

/* Mark which rows the filter keeps (a match keeps its ancestors). Returns ROW's mark. */
static bool tree_mark(struct tui_model *m, struct tree *tr, size_t row)
{
	bool keep = tui_model_row_matches(&m->v->rows[row], m->filter);

	for (ssize_t c = tr->first[row]; c >= 0; c = tr->next[c])
		keep = tree_mark(m, tr, (size_t)c) || keep;
	tr->shown[row] = keep;
	return keep;
}

/* Emit ROW and, unless collapsed, its children. */
static void tree_emit(struct tui_model *m, struct tree *tr, size_t row, unsigned indent)
{
	bool branch = tr->first[row] >= 0;
	bool coll = branch && tui_model_is_collapsed(m, m->v->rows[row].path);

	if (!tr->shown[row])
		return;
	vis_add(m, row, indent, branch, coll);
	if (coll)
		return;
	for (ssize_t c = tr->first[row]; c >= 0; c = tr->next[c])
		tree_emit(m, tr, (size_t)c, indent + 1);
}

/* The rows in tree order: children under their parents, siblings in sort order. */
static void build_tree(struct tui_model *m)
{
	const struct snapshot *s = m->snap;
	size_t n = m->v->n;
	ssize_t *by_snap = xmalloc((s->n ? s->n : 1) * sizeof(*by_snap));
	struct tree tr = {
		.first = xmalloc((n ? n : 1) * sizeof(ssize_t)),
		.last = xmalloc((n ? n : 1) * sizeof(ssize_t)),
		.next = xmalloc((n ? n : 1) * sizeof(ssize_t)),
		.shown = xcalloc(n ? n : 1, sizeof(bool)),
	};
	ssize_t roots_first = -1, roots_last = -1;

	for (size_t i = 0; i < s->n; i++)
		by_snap[i] = -1;
	for (size_t i = 0; i < n; i++) {
		const struct view_row *r = &m->v->rows[i];

		if (r->nmembers)
			by_snap[m->v->members[r->first_member]] = (ssize_t)i;
		tr.first[i] = tr.last[i] = tr.next[i] = -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct view_row *r = &m->v->rows[i];
		ssize_t p = r->parent >= 0 && (size_t)r->parent < s->n ? by_snap[r->parent] : -1;

		if (p >= 0) {
			if (tr.last[p] >= 0)
				tr.next[tr.last[p]] = (ssize_t)i;
			else
				tr.first[p] = (ssize_t)i;
			tr.last[p] = (ssize_t)i;
		} else {
			if (roots_last >= 0)
				tr.next[roots_last] = (ssize_t)i;
			else
				roots_first = (ssize_t)i;
			roots_last = (ssize_t)i;
		}
	}
	for (ssize_t r = roots_first; r >= 0; r = tr.next[r])
		tree_mark(m, &tr, (size_t)r);
	for (ssize_t r = roots_first; r >= 0; r = tr.next[r])
		tree_emit(m, &tr, (size_t)r, 0);
	free(by_snap);
	free(tr.first);
	free(tr.last);
	free(tr.next);
	free(tr.shown);
}

void tui_model_rebuild(struct tui_model *m, const struct view *v, const struct snapshot *s)
{
	m->v = v;
	m->snap = s;
	m->nvis = 0;
	m->any_ctr = m->any_config = false;
	if (!v || !s)
		return;
	for (size_t i = 0; i < v->n; i++) {
		const struct container_info *c = v->rows[i].ctr;

		m->any_ctr = m->any_ctr || c;
		m->any_config = m->any_config || (c && c->meta && c->meta->config_id);
	}
	if (m->tree) {
		build_tree(m);
	} else {
		for (size_t i = 0; i < v->n; i++)
			if (tui_model_row_matches(&v->rows[i], m->filter))
				vis_add(m, i, 0, false, false);
	}
	if (!m->chosen)
		m->sel = 0;
	for (size_t i = 0; m->chosen && i < m->nvis; i++)
		if (tui_model_row_is(&v->rows[m->vis[i].row], m->sel_key)) {
			m->sel = i;
			return;
		}
	/* the row is gone (or filtered out): stay at the same place */
	if (m->sel >= m->nvis)
		m->sel = m->nvis ? m->nvis - 1 : 0;
	free(m->sel_key);
	m->sel_key = m->nvis ? tui_model_row_key(&v->rows[m->vis[m->sel].row]) : NULL;
}

const struct view_row *tui_model_row(const struct tui_model *m, size_t i)
{
	return i < m->nvis ? &m->v->rows[m->vis[i].row] : NULL;
}

const struct view_row *tui_model_selected(const struct tui_model *m)
{
	return tui_model_row(m, m->sel);
}

void tui_model_select(struct tui_model *m, size_t i)
{
	if (m->nvis == 0)
		return;
	m->chosen = true;
	m->sel = i < m->nvis ? i : m->nvis - 1;
	free(m->sel_key);
	m->sel_key = tui_model_row_key(&m->v->rows[m->vis[m->sel].row]);
}

void tui_model_move(struct tui_model *m, long delta)
{
	long s = (long)m->sel + delta;

	if (m->nvis == 0)
		return;
	if (s < 0)
		s = 0;
	if ((size_t)s >= m->nvis)
		s = (long)m->nvis - 1;
	tui_model_select(m, (size_t)s);
}

void tui_model_to_top(struct tui_model *m)
{
	m->chosen = false;
	m->sel = m->top = 0;
	free(m->sel_key);
	m->sel_key = m->nvis ? tui_model_row_key(&m->v->rows[m->vis[0].row]) : NULL;
}

void tui_model_filter_clear(struct tui_model *m)
{
	if (m->filter[0] && m->nvis)
		tui_model_select(m, m->sel);
	m->filter[0] = '\0';
}

/* The least scrolling that shows the selection; no empty lines below the last row. */
void tui_model_scroll(struct tui_model *m, size_t rows)
{
	if (!m->chosen)
		m->top = 0;
	if (m->sel < m->top)
		m->top = m->sel;
	if (rows && m->sel >= m->top + rows)
		m->top = m->sel - rows + 1;
	if (m->top + rows > m->nvis)
		m->top = m->nvis > rows ? m->nvis - rows : 0;
}

size_t tui_model_above(const struct tui_model *m)
{
	return m->top < m->nvis ? m->top : 0;
}

size_t tui_model_below(const struct tui_model *m, size_t rows)
{
	return m->top + rows < m->nvis ? m->nvis - m->top - rows : 0;
}

void tui_model_left(struct tui_model *m)
{
	const struct model_row *r;

	if (!m->tree || m->nvis == 0)
		return;
	r = &m->vis[m->sel];
	if (r->branch && !r->collapsed) {
		set_collapsed(m, m->v->rows[r->row].path, true);
		tui_model_rebuild(m, m->v, m->snap);
		return;
	}
	for (size_t i = m->sel; i-- > 0;)
		if (m->vis[i].indent < r->indent) {
			tui_model_select(m, i);
			return;
		}
}

void tui_model_right(struct tui_model *m)
{
	const struct model_row *r;

	if (!m->tree || m->nvis == 0)
		return;
	r = &m->vis[m->sel];
	if (r->branch && r->collapsed) {
		set_collapsed(m, m->v->rows[r->row].path, false);
		tui_model_rebuild(m, m->v, m->snap);
	}
}

void tui_model_free(struct tui_model *m)
{
	free(m->vis);
	free(m->sel_key);
	for (size_t i = 0; i < m->ncollapsed; i++)
		free(m->collapsed[i]);
	free(m->collapsed);
	memset(m, 0, sizeof(*m));
}
