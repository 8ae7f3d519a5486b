/* The recent history of every row the screen shows: a bounded ring per row, fed from the
 * rows made of each published sample (live or replayed alike), and the sparklines and
 * figures drawn from it. No ncurses here: the ring, its scaling and the text of the
 * history panel have unit tests (tests/test_history.c).
 *
 * A row's ring has HIST_SLOTS slots. A slot holds the lowest and highest value of each
 * series over the samples it covers; every slot covers the same number of samples (the
 * row's width, a power of two). When the ring is full and covers less than HIST_KEEP_NS,
 * neighbouring slots are merged in pairs (the width doubles); once it covers that long,
 * the oldest slot gives way. So a row keeps between 10 and 20 minutes at any interval,
 * in a fixed amount of memory. */
#ifndef CGTOP_HISTORY_H
#define CGTOP_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"
#include "view.h"

#define HIST_SLOTS 64
#define HIST_KEEP_NS (600ull * 1000000000ull) /* at least 10 minutes */
/* A row not fed for this many samples (gone, or not in the view shown) is forgotten. */
#define HIST_FORGET 64

enum hist_series {
	HS_CPU,      /* %CPU (100: one CPU) */
	HS_MEM,      /* memory use, bytes */
	HS_IO,       /* bytes read and written per second */
	HS_THROTTLE, /* % of the CPU periods throttled */
	HS_PRESSURE, /* % of time stalled: the worst of cpu, memory and io "some" */
	HS_TASKS,
	HS__N
};

struct hist_slot {
	uint32_t t_ms;       /* its first sample, ms after the history's origin */
	uint16_t n;          /* samples in it */
	float lo[HS__N];     /* NaN: no sample in it knew the value */
	float hi[HS__N];
};

struct hist_row {
	char *key;           /* tui_model_row_key() of its row */
	struct hist_row *next; /* in the hash chain */
	uint64_t fed;        /* the feed it was last fed in */
	uint32_t last_ms;    /* its latest sample's time */
	uint32_t width;      /* samples per slot */
	uint16_t first, n;   /* the oldest slot, slots used */
	double last[HS__N];  /* the latest sample's values (NaN: not known) */
	double peak[HS__N];  /* the highest since the row was first fed (NaN: never known) */
	struct hist_slot slots[HIST_SLOTS];
};

struct history;

struct history *hist_new(void);
void hist_free(struct history *h);
/* Forget everything (a replay that jumps). */
void hist_clear(struct history *h);

/* Feed one sample taken at T_NS (monotonic or wall clock, as long as it is always the
 * same): hist_begin(), hist_add() for each row, hist_end() (forgets rows not fed for
 * HIST_FORGET samples). A row missed by some feeds gets a gap for each. */
void hist_begin(struct history *h, uint64_t t_ns);
void hist_add(struct history *h, const char *key, const struct cg_row *fig);
void hist_end(struct history *h);
/* All of it for the rows of V (made from S): the way the screen feeds it. */
void hist_feed_view(struct history *h, const struct view *v, const struct snapshot *s);

/* The history of the row known by KEY, or NULL. */
const struct hist_row *hist_find(const struct history *h, const char *key);
/* Rows kept, and the bytes they take (the rings, keys and the hash table). */
size_t hist_count(const struct history *h);
size_t hist_bytes(const struct history *h);

/* The value of series S in a row's figures, NaN when not known. */
double hist_value(const struct cg_row *fig, enum hist_series s);
/* Over the slots of R: the lowest and highest value of S (NaN when none), and the time
 * from the first sample to the latest in ns. Returns false when R has no slot. */
bool hist_range(const struct hist_row *r, enum hist_series s, double *lo, double *hi, uint64_t *span_ns);
/* The values of S in at most NCELLS cells (each the highest of the slots it covers,
 * NaN: a gap) into OUT, oldest first. Returns how many cells (fewer than NCELLS when
 * there are fewer slots). */
size_t hist_cells(const struct hist_row *r, enum hist_series s, size_t ncells, float *out);
/* The level (0 lowest .. 7 highest) of V on a scale from 0 to TOP; -1 for a gap (NaN). */
int hist_level(double v, double top);
/* N cells as a sparkline, right-aligned in WIDTH columns, scaled from 0 to TOP (top <= 0:
 * the highest cell): block characters (U+2581..U+2588) when UTF8, else ASCII "_.-:=+*#";
 * a gap is a space. Returns BUF. */
char *hist_sparkline(char *buf, size_t len, const float *cells, size_t n, size_t width, double top, bool utf8);

/* The history panel of a row: its lines of text (none wider than WIDTH columns), from
 * its history R (NULL: none yet) and its latest figures FIG (the memory limit, the
 * kernel's peak). Returns the number of lines (at most HIST_PANEL_LINES). */
#define HIST_PANEL_LINES 7
#define HIST_LINE_MAX 1024
int hist_panel(const struct hist_row *r, const struct cg_row *fig, bool utf8, int width,
	       char out[HIST_PANEL_LINES][HIST_LINE_MAX]);
/* The series a table ordered by ORDER shows as its trend, and its column title. */
enum hist_series hist_order_series(enum sort_order order);
const char *hist_series_trend_title(enum hist_series s);

#endif
