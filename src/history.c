/* The recent history of every row: the rings, and the sparklines and text drawn from them
 * (history.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "format.h"
#include "history.h"
#include "tui_model.h"
#include "util.h"

#define DNAN ((double)NAN)

struct history {
	struct hist_row **table; /* hash chains by key */
	size_t cap, n;           /* cap: a power of two */
	uint64_t feed;           /* feeds so far (the one being fed) */
	uint64_t origin_ns;      /* the first feed's time: slot times are relative to it */
	bool have_origin;
	uint32_t now_ms;         /* the feed being fed */
	uint32_t prev_ms;        /* the one before, for the times of gaps */
};

struct history *hist_new(void)
{
	struct history *h = xcalloc(1, sizeof(*h));

	h->cap = 64;
	h->table = xcalloc(h->cap, sizeof(*h->table));
	return h;
}

void hist_clear(struct history *h)
{
	for (size_t i = 0; i < h->cap; i++) {
		struct hist_row *r = h->table[i], *next;

		for (; r; r = next) {
			next = r->next;
			free(r->key);
			free(r);
		}
		h->table[i] = NULL;
	}
	h->n = 0;
	h->feed = 0;
	h->have_origin = false;
	h->now_ms = h->prev_ms = 0;
}

void hist_free(struct history *h)
{
	if (!h)
		return;
	hist_clear(h);
	free(h->table);
	free(h);
}

static uint64_t key_hash(const char *key)
{
	return snapshot_path_hash(key, strlen(key));
}

const struct hist_row *hist_find(const struct history *h, const char *key)
{
	const struct hist_row *r = h->table[key_hash(key) & (h->cap - 1)];

	while (r && strcmp(r->key, key) != 0)
		r = r->next;
	return r;
}

size_t hist_count(const struct history *h)
{
	return h->n;
}

size_t hist_bytes(const struct history *h)
{
	size_t b = sizeof(*h) + h->cap * sizeof(*h->table);

	for (size_t i = 0; i < h->cap; i++)
		for (const struct hist_row *r = h->table[i]; r; r = r->next)
			b += sizeof(*r) + strlen(r->key) + 1;
	return b;
}

/* Twice as many chains. */
static void grow(struct history *h)
{
	size_t cap = h->cap * 2;
	struct hist_row **t = xcalloc(cap, sizeof(*t));

	for (size_t i = 0; i < h->cap; i++) {
		struct hist_row *r = h->table[i], *next;

		for (; r; r = next) {
			size_t b = key_hash(r->key) & (cap - 1);

			next = r->next;
			r->next = t[b];
			t[b] = r;
		}
	}
	free(h->table);
	h->table = t;
	h->cap = cap;
}

void hist_begin(struct history *h, uint64_t t_ns)
{
	if (!h->have_origin) {
		h->origin_ns = t_ns;
		h->have_origin = true;
	}
	h->feed++;
	h->prev_ms = h->now_ms;
	h->now_ms = t_ns > h->origin_ns ? (uint32_t)((t_ns - h->origin_ns) / 1000000u) : 0;
}

/* Logical slot I of R (0 the oldest). */
static struct hist_slot *slot(struct hist_row *r, size_t i)
{
	return &r->slots[(r->first + i) % HIST_SLOTS];
}

static const struct hist_slot *cslot(const struct hist_row *r, size_t i)
{
	return &r->slots[(r->first + i) % HIST_SLOTS];
}

/* A sample's value into the range LO..HI (NaN: none yet). */
static void widen(float *lo, float *hi, float v)
{
	if (isnan(v))
		return;
	if (isnan(*lo) || v < *lo)
		*lo = v;
	if (isnan(*hi) || v > *hi)
		*hi = v;
}

/* Merge the slots in pairs: half as many, each twice as wide. */
static void coalesce(struct hist_row *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i += 2, n++) {
		struct hist_slot m = *slot(r, i);

		if (i + 1 < r->n) {
			const struct hist_slot *b = slot(r, i + 1);

			m.n = (uint16_t)(m.n + b->n);
			for (int s = 0; s < HS__N; s++) {
				widen(&m.lo[s], &m.hi[s], b->lo[s]);
				widen(&m.lo[s], &m.hi[s], b->hi[s]);
			}
		}
		*slot(r, n) = m;
	}
	r->n = (uint16_t)n;
	r->width *= 2;
}

/* One sample of R at T_MS (its values V, NaN when not known). */
static void push(struct hist_row *r, uint32_t t_ms, const float v[HS__N])
{
	struct hist_slot *s = r->n ? slot(r, r->n - 1u) : NULL;

	if (!s || s->n >= r->width) {
		if (r->n == HIST_SLOTS) {
			if (t_ms - slot(r, 0)->t_ms < HIST_KEEP_NS / 1000000u) {
				coalesce(r);
			} else {
				r->first = (uint16_t)((r->first + 1) % HIST_SLOTS);
				r->n--;
			}
		}
		s = r->n ? slot(r, r->n - 1u) : NULL;
		if (!s || s->n >= r->width) {
			s = slot(r, r->n++);
			s->t_ms = t_ms;
			s->n = 0;
			for (int k = 0; k < HS__N; k++)
				s->lo[k] = s->hi[k] = NAN;
		}
	}
	s->n++;
	for (int k = 0; k < HS__N; k++)
		widen(&s->lo[k], &s->hi[k], v[k]);
	r->last_ms = t_ms;
}

double hist_value(const struct cg_row *fig, enum hist_series s)
{
	double v = DNAN;

	switch (s) {
	case HS_CPU:
		return row_has(fig, F_CPU_RATE) ? fig->cpu_percent : DNAN;
	case HS_MEM:
		return row_has(fig, F_MEM_USAGE) ? (double)fig->mem_usage : DNAN;
	case HS_IO:
		if (row_has(fig, F_IO_RBPS) || row_has(fig, F_IO_WBPS))
			v = (row_has(fig, F_IO_RBPS) ? fig->io_rbps : 0) + (row_has(fig, F_IO_WBPS) ? fig->io_wbps : 0);
		return v;
	case HS_THROTTLE:
		return row_has(fig, F_CPU_THROTTLED_PERCENT) ? row_lim(fig)->cpu_throttled_percent : DNAN;
	case HS_PRESSURE:
		for (int i = 0; i < 3; i++)
			if (row_has(fig, (enum cg_field)(F_PSI_CPU_SOME + 2 * i)) && fig->psi &&
			    !(fig->psi->percent[2 * i] <= v))
				v = fig->psi->percent[2 * i];
		return v;
	case HS_TASKS:
		return row_has(fig, F_TASKS) ? (double)fig->tasks : DNAN;
	default:
		return NAN;
	}
}

void hist_add(struct history *h, const char *key, const struct cg_row *fig)
{
	uint64_t hash = key_hash(key);
	struct hist_row *r = h->table[hash & (h->cap - 1)];
	float v[HS__N], gap[HS__N];

	while (r && strcmp(r->key, key) != 0)
		r = r->next;
	if (r && r->fed == h->feed)
		return; /* the same key twice in one sample: the first counts */
	if (!r) {
		if (h->n >= h->cap) {
			grow(h);
		}
		r = xcalloc(1, sizeof(*r));
		r->key = xstrdup(key);
		r->width = 1;
		for (int k = 0; k < HS__N; k++)
			r->peak[k] = DNAN;
		r->next = h->table[hash & (h->cap - 1)];
		h->table[hash & (h->cap - 1)] = r;
		h->n++;
	} else if (r->fed + 1 < h->feed) {
		/* missed samples: a gap each, at times between its last and this one */
		uint64_t missed = h->feed - r->fed - 1;
		uint32_t from = r->last_ms, to = h->prev_ms >= from ? h->prev_ms : from;

		for (int k = 0; k < HS__N; k++)
			gap[k] = NAN;
		if (missed > 4 * HIST_SLOTS)
			missed = 4 * HIST_SLOTS;
		for (uint64_t i = 1; i <= missed; i++)
			push(r, from + (uint32_t)((uint64_t)(to - from) * i / missed), gap);
	}
	for (int k = 0; k < HS__N; k++) {
		r->last[k] = hist_value(fig, (enum hist_series)k);
		v[k] = (float)r->last[k];
		if (!isnan(r->last[k]) && !(r->last[k] <= r->peak[k]))
			r->peak[k] = r->last[k];
	}
	push(r, h->now_ms, v);
	r->fed = h->feed;
}

void hist_end(struct history *h)
{
	for (size_t i = 0; i < h->cap; i++) {
		struct hist_row **p = &h->table[i];

		while (*p) {
			struct hist_row *r = *p;

			if (h->feed - r->fed >= HIST_FORGET) {
				*p = r->next;
				free(r->key);
				free(r);
				h->n--;
			} else {
				p = &r->next;
			}
		}
	}
}

void hist_feed_view(struct history *h, const struct view *v, const struct snapshot *s)
{
	hist_begin(h, s->mono_ns);
	for (size_t i = 0; i < v->n; i++) {
		_cleanup_free_ char *key = tui_model_row_key(&v->rows[i]);

		hist_add(h, key, v->rows[i].fig);
	}
	hist_end(h);
}

bool hist_range(const struct hist_row *r, enum hist_series s, double *lo, double *hi, uint64_t *span_ns)
{
	float l = NAN, u = NAN;

	*lo = *hi = DNAN;
	*span_ns = 0;
	if (!r || r->n == 0)
		return false;
	for (size_t i = 0; i < r->n; i++) {
		widen(&l, &u, cslot(r, i)->lo[s]);
		widen(&l, &u, cslot(r, i)->hi[s]);
	}
	*lo = l;
	*hi = u;
	*span_ns = (uint64_t)(r->last_ms - cslot(r, 0)->t_ms) * 1000000u;
	return true;
}

size_t hist_cells(const struct hist_row *r, enum hist_series s, size_t ncells, float *out)
{
	size_t n = r ? r->n : 0;

	if (n == 0 || ncells == 0)
		return 0;
	if (n <= ncells) {
		for (size_t i = 0; i < n; i++)
			out[i] = cslot(r, i)->hi[s];
		return n;
	}
	for (size_t c = 0; c < ncells; c++) {
		float lo = NAN, hi = NAN;

		for (size_t i = c * n / ncells; i < (c + 1) * n / ncells; i++)
			widen(&lo, &hi, cslot(r, i)->hi[s]);
		out[c] = hi;
	}
	return ncells;
}

int hist_level(double v, double top)
{
	int l;

	if (isnan(v))
		return -1;
	if (!(top > 0) || v <= 0)
		return 0;
	l = (int)(v / top * 8);
	return l > 7 ? 7 : l;
}

char *hist_sparkline(char *buf, size_t len, const float *cells, size_t n, size_t width, double top, bool utf8)
{
	static const char *const blocks[8] = {
		"\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588",
	};
	static const char ascii[] = "_.-:=+*#";
	size_t used = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (n > width) {
		cells += n - width;
		n = width;
	}
	if (!(top > 0))
		for (size_t i = 0; i < n; i++)
			if (!isnan(cells[i]) && !((double)cells[i] <= top))
				top = cells[i];
	for (size_t i = 0; i < width; i++) {
		int l = i < width - n ? -1 : hist_level(cells[i - (width - n)], top);
		const char *c = l < 0 ? " " : utf8 ? blocks[l] : (char[]){ ascii[l], '\0' };
		size_t cl = strlen(c);

		if (used + cl + 1 > len)
			break;
		memcpy(buf + used, c, cl);
		used += cl;
	}
	buf[used] = '\0';
	return buf;
}

/* V of series S as the panel writes it into BUF: "-" when not known. */
static const char *value_text(char *buf, size_t len, enum hist_series s, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (s == HS_MEM || s == HS_IO)
		format_bytes(buf, len, v <= 0 ? 0 : (uint64_t)llround(v));
	else if (s == HS_TASKS)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.1f", v);
	return buf;
}

/* A duration for people: "45s", "4m10s", "1h02m". */
static const char *span_text(char *buf, size_t len, uint64_t ns)
{
	uint64_t s = (ns + 500000000u) / 1000000000u;

	if (s < 60)
		snprintf(buf, len, "%llus", (unsigned long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)(s / 60), (unsigned long long)(s % 60));
	else
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)(s / 3600), (unsigned long long)(s / 60 % 60));
	return buf;
}

/* The series the panel draws, in order, with their labels. */
static const struct {
	enum hist_series s;
	const char *label;
} panel_series[] = {
	{ HS_CPU, "%CPU" },
	{ HS_MEM, "Memory" },
	{ HS_IO, "I/O B/s" },
	{ HS_THROTTLE, "%Throttle" },
	{ HS_PRESSURE, "%Pressure" },
};

#define LABEL_W 10
#define STATS_W 33 /* " min%7s max%7s now%7s" */
#define LIMIT_W 13 /* " limit%7s": the memory line's */

int hist_panel(const struct hist_row *r, const struct cg_row *fig, bool utf8, int width,
	       char lines[HIST_PANEL_LINES][HIST_LINE_MAX])
{
	int n = 0, gw = width - LABEL_W - STATS_W - LIMIT_W;
	char span[32], each[64], a[32], b[32], c[32], d[32];
	double lo, hi;
	uint64_t span_ns = 0;
	bool limited = fig && row_has(fig, F_MEM_LIMIT) && fig->mem_limit != UINT64_MAX;

	if (width <= 0)
		return 0;
	if (gw > HIST_SLOTS)
		gw = HIST_SLOTS;
	if (!r || r->n == 0) {
		snprintf(lines[n++], HIST_LINE_MAX, "History: none yet (it starts with the next sample)");
	} else {
		unsigned samples = (unsigned)(r->n - 1u) * r->width + cslot(r, r->n - 1u)->n;
		unsigned per_cell = r->width * (gw > 0 && r->n > (unsigned)gw ? (r->n + (unsigned)gw - 1) / (unsigned)gw : 1u);

		hist_range(r, HS_CPU, &lo, &hi, &span_ns);
		span_text(span, sizeof(span), span_ns);
		if (per_cell > 1 && samples > 1)
			snprintf(each, sizeof(each), ", a cell the highest of up to %s",
				 span_text(a, sizeof(a), span_ns / (samples - 1u) * per_cell));
		else
			each[0] = '\0';
		snprintf(lines[n++], HIST_LINE_MAX, "History of the last %s (%u sample%s%s)", span, samples,
			 samples == 1 ? "" : "s", each);
	}
	for (size_t i = 0; i < ARRAY_SIZE(panel_series); i++) {
		enum hist_series s = panel_series[i].s;
		float cells[HIST_SLOTS];
		char spark[HIST_SLOTS * 4 + 1] = "";
		size_t nc = 0;
		double top = 0;

		hist_range(r, s, &lo, &hi, &span_ns);
		if (gw > 0) {
			nc = hist_cells(r, s, (size_t)gw, cells);
			if (s == HS_MEM && limited && !(hi > (double)fig->mem_limit))
				top = (double)fig->mem_limit; /* a full cell: at the limit */
			hist_sparkline(spark, sizeof(spark), cells, nc, (size_t)gw, top, utf8);
		}
		if (s == HS_MEM && limited)
			snprintf(d, sizeof(d), " limit%7s", format_bytes(b, sizeof(b), fig->mem_limit));
		else
			d[0] = '\0';
		snprintf(lines[n++], HIST_LINE_MAX, "%-*s%s min%7s max%7s now%7s%s", LABEL_W, panel_series[i].label,
			 spark, value_text(a, sizeof(a), s, lo), value_text(b, sizeof(b), s, hi),
			 value_text(c, sizeof(c), s, r ? r->last[s] : DNAN), d);
	}
	/* the peaks since the start, the kernel's beside memory's */
	if (fig && row_has(fig, F_MEM_PEAK))
		snprintf(d, sizeof(d), " (kernel's %s)", format_bytes(span, sizeof(span), fig->mem_peak));
	else
		d[0] = '\0';
	snprintf(lines[n++], HIST_LINE_MAX, "Peak since start: %%CPU %s  mem %s%s  I/O %s/s",
		 value_text(a, sizeof(a), HS_CPU, r ? r->peak[HS_CPU] : DNAN),
		 value_text(b, sizeof(b), HS_MEM, r ? r->peak[HS_MEM] : DNAN), d,
		 value_text(c, sizeof(c), HS_IO, r ? r->peak[HS_IO] : DNAN));
	/* no line wider than the panel: cut at a column (the block characters are one each) */
	for (int i = 0; i < n; i++) {
		int cols = 0;
		char *p = lines[i];

		for (; *p && cols < width; p++)
			if (((unsigned char)*p & 0xC0) != 0x80)
				cols++;
		while (((unsigned char)*p & 0xC0) == 0x80)
			p++;
		*p = '\0';
	}
	return n;
}

enum hist_series hist_order_series(enum sort_order order)
{
	switch (order) {
	case ORDER_TASKS:
		return HS_TASKS;
	case ORDER_MEMORY:
		return HS_MEM;
	case ORDER_IO:
		return HS_IO;
	default:
		return HS_CPU;
	}
}

const char *hist_series_trend_title(enum hist_series s)
{
	switch (s) {
	case HS_TASKS:
		return "Tasks~";
	case HS_MEM:
		return "Memory~";
	case HS_IO:
		return "I/O~";
	default:
		return "%CPU~";
	}
}
