/* The rows a front end shows, built from a snapshot. */
#include "config.h"

#include <string.h>

#include "util.h"
#include "view.h"

static void view_reset(struct view *v)
{
	v->n = 0;
	v->nmembers = 0;
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
	r->first_member = v->nmembers;
	return r;
}

static void view_add_member(struct view *v, struct view_row *r, size_t snap_row)
{
	if (v->nmembers == v->members_cap) {
		v->members_cap = v->members_cap ? v->members_cap * 2 : 256;
		v->members = xrealloc(v->members, v->members_cap * sizeof(*v->members));
	}
	v->members[v->nmembers++] = snap_row;
	r->nmembers++;
}

void view_build_cgroups(struct view *v, const struct snapshot *s)
{
	view_reset(v);
	for (size_t i = 0; i < s->n; i++) {
		struct view_row *r = view_add(v);

		r->kind = VIEW_CGROUP;
		r->name = s->rows[i].path;
		r->path = s->rows[i].path;
		r->fig = s->rows[i];
		r->fig.path = NULL;
		view_add_member(v, r, i);
	}
}

static struct {
	enum sort_order order;
	bool reverse, cpu_time;
} sort_by;

static bool key_of(const struct view_row *r, double *k)
{
	const struct cg_row *f = &r->fig;

	switch (sort_by.order) {
	case ORDER_TASKS:
		*k = (double)f->tasks;
		return row_has(f, F_TASKS);
	case ORDER_CPU:
		if (sort_by.cpu_time) {
			*k = (double)f->cpu_ns;
			return row_has(f, F_CPU_NS);
		}
		*k = f->cpu_percent;
		return row_has(f, F_CPU_RATE);
	case ORDER_MEMORY:
		*k = (double)f->mem_usage;
		return row_has(f, F_MEM_USAGE);
	case ORDER_IO:
		*k = (row_has(f, F_IO_RBPS) ? f->io_rbps : 0) + (row_has(f, F_IO_WBPS) ? f->io_wbps : 0);
		return row_has(f, F_IO_RBPS) || row_has(f, F_IO_WBPS);
	case ORDER_PATH:
		break;
	}
	return false;
}

static int cmp_view_rows(const void *a, const void *b)
{
	const struct view_row *x = a, *y = b;
	double kx = 0, ky = 0;
	int c = 0;

	if (sort_by.order != ORDER_PATH) {
		bool hx = key_of(x, &kx), hy = key_of(y, &ky);

		if (hx != hy)
			return hx ? -1 : 1; /* rows without a value last, in either direction */
		if (hx && kx != ky)
			c = kx > ky ? -1 : 1;
		if (c)
			return sort_by.reverse ? -c : c;
	}
	c = strcmp(x->name, y->name);
	if (!c)
		c = strcmp(x->path, y->path);
	return sort_by.order == ORDER_PATH && sort_by.reverse ? -c : c;
}

void view_sort(struct view *v, enum sort_order order, bool reverse, bool cpu_time)
{
	sort_by.order = order;
	sort_by.reverse = reverse;
	sort_by.cpu_time = cpu_time;
	qsort(v->rows, v->n, sizeof(*v->rows), cmp_view_rows);
}

void view_free(struct view *v)
{
	free(v->rows);
	free(v->members);
	memset(v, 0, sizeof(*v));
}
