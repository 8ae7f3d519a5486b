/* The table of figures: one entry per figure cgtop shows (tasks, CPU, memory, I/O …),
 * saying where its value lives in a row, how groups sum it, how it is written in every
 * output (text and screen columns, JSON, journal, OpenMetrics/Prometheus) and where it
 * goes in a recording. Every front end loops over this table; none names a figure.
 *
 * Adding a figure: a constant in enum cg_field and a member in struct cg_row or one of
 * its blocks (snapshot.h), its entry in fields.c, and the code that reads it (sampler.c). A test
 * (tests/test_fields.c) checks that every entry is complete and that every output
 * shows it. */
#ifndef CGTOP_FIELDS_H
#define CGTOP_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "options.h"
#include "snapshot.h"
#include "view.h"

/* What a figure is. */
enum fig_kind {
	FIG_COUNTER, /* a u64 that only grows (CPU time, bytes read): metrics' counter */
	FIG_GAUGE,   /* a u64 read as it is (tasks, memory use, a limit) */
	FIG_RATE,    /* a double: the rate of a counter over the interval, computed */
	FIG_RATIO,   /* a double: the change of one counter (rate_of) over the interval as a
		      * percentage of another's (ratio_of), computed: throttled periods */
	FIG_DELTA,   /* a u64: the change of a counter of events (rate_of) over the interval,
		      * computed: OOM kills in the last interval */
	FIG_SINCE,   /* a u64: the change of a counter of events (rate_of) since cgtop started
		      * (the sampler's baseline: the value at its first sample, 0 for a cgroup
		      * made after it), recorded: a replay shows the recording cgtop's */
	FIG_DERIVED, /* a double computed from other figures of the same row, for people
		      * only (the machine outputs carry what it is made of) */
};

/* How a value is written for people: columns of the text output and of the screen. */
enum fig_format {
	FMT_COUNT,      /* 12; "max" when no limit */
	FMT_BYTES,      /* 1.5K, 220.9M (raw: exact bytes) */
	FMT_CPU_TIME,   /* 3m07.10s (raw: nanoseconds) */
	FMT_PERCENT,    /* 12.3 (raw: 12.345) */
	FMT_PERCENT0,   /* 12 */
	FMT_BYTE_RATE,  /* 1.2M, "~1.2M" when estimated from /proc/PID/io (raw: bytes) */
	FMT_OP_RATE,    /* 37 */
	FMT_NET_RATE,   /* 1.2M (raw: bytes), never an estimate */
	FMT_CPUS,       /* nano-CPUs as CPUs: 0.20 (raw: nano-CPUs); "max" when no limit */
	FMT_DECIMAL,    /* 0.85 (raw: 0.853) */
	FMT_FLAGS,      /* the trouble flags of the row: "OT", "." (trouble.h) */
	FMT_WORD,       /* a word of a list (WORDS): a container's state, its health */
	FMT_AGE,        /* Unix seconds as an age: "2m ago" (raw: the seconds) */
};

/* How a value is written for machines (JSON, journal; metrics but for CPU seconds). */
enum fig_number {
	NUM_U64,      /* exact integer */
	NUM_ROUND,    /* a double rounded to an integer (bytes per second) */
	NUM_DECIMAL3, /* a double with three decimals at most (percent, operations/s) */
	NUM_WORD,     /* a u64 written as its word (WORDS): JSON string, journal word */
};

/* How a group of rows (a container's cgroups, the containers of a group) sums it. */
enum fig_sum {
	SUM_ADD, /* the sum of the members that know it */
	SUM_MIN, /* the smallest: the tightest limit binds */
	SUM_MAX, /* the largest: the worst member (a share of time throttled or stalled) */
};

/* When a column is shown. */
enum fig_show {
	SHOW_NEVER,       /* not a column */
	SHOW_ALWAYS,
	SHOW_CPU_PERCENT, /* the CPU column when --cpu=percentage */
	SHOW_CPU_TIME,    /* the CPU column when --cpu=time */
};

/* Which reading time a rate divides by (struct cg_row's cpu_read_ns or io_read_ns), or
 * the time between the two samples (files read in other walks than CPU time's). */
enum fig_stamp { STAMP_CPU, STAMP_IO, STAMP_REFRESH };

/* How a figure travels in a recording. */
enum fig_rec {
	REC_NONE,     /* not stored: computed again on replay (rates, derived figures) */
	REC_VARINT,   /* a u64, stored as a varint */
	REC_ESTIMATE, /* a rate stored as a double when it is an estimate (io_source proc):
		       * nothing to compute it from on replay */
};

/* Where a figure's value lives: in the row, or in one of its blocks (snapshot.h), which
 * a row without that block does not know. */
enum fig_block {
	BLK_ROW,
	BLK_PSI,  /* struct cg_psi */
	BLK_NET,  /* struct cg_net */
	BLK_LIFE, /* struct cg_life */
	BLK_LIM,  /* struct cg_lim: a row without it reads the defaults (cg_lim_none) */
};

struct figure {
	enum cg_field id;
	const char *key;       /* JSON key; the journal's field is CGTOP_ and the key in capitals */
	enum fig_kind kind;
	enum fig_block block;  /* where the value is: the row or one of its blocks */
	size_t offset;         /* of the value in struct cg_row (or the block): uint64_t, or
				* double for rates and derived figures */
	enum fig_sum sum;
	bool limit;            /* UINT64_MAX means "no limit"; SUM_ADD of limits: the sum, no
				* limit when a member has none */
	bool group_adds;       /* the containers of a group add it up (SUM_ADD) whatever
				* sum says of a container's own cgroups */
	const char *unlimited_key; /* JSON: a boolean saying so (limits) */
	bool net;              /* a figure of the container's network namespace: its cell says
				* "host" or "shared" where the row has none for that reason
				* (cg_net's kind), and a rate needs the same namespace in both
				* samples */

	/* rates: of which counter, divided by what (ns per s to percent of one CPU: 1e7),
	 * over which reading time; the same I/O source in both samples when io. Ratios,
	 * deltas and figures since the start: of which counter (and ratios: over which) */
	enum cg_field rate_of;
	enum cg_field ratio_of;
	double rate_divisor;
	enum fig_stamp stamp;
	/* a share of time (pressure): at most this (0: no cap). The stalled time the kernel
	 * adds up between two reads can slip past the reads' own interval by the time a
	 * refresh takes; the kernel's averages cap the same way (psi.c, update_averages) */
	double rate_max;
	/* derived figures */
	bool (*derive)(const struct cg_row *r, double *out);

	/* for people */
	const char *title;     /* column title (text output and screen) */
	enum fig_format format;
	enum fig_show show;
	int text_width;        /* column width in the text output */
	int tui_width;         /* column width on the screen */
	int tui_drop;          /* dropped when narrow: higher drops first, 0 never */
	enum sort_order sort;  /* the order whose key this column is (its title is marked;
				* the key sums the shown columns of one order); ORDER_PATH: none */
	/* for machines */
	enum fig_number number;
	const char *(*word)(unsigned v); /* FMT_WORD, NUM_WORD: the word of a value */
	const char *metric;    /* OpenMetrics family, counters without _total */
	const char *metric_unit; /* the family's unit suffix (OpenMetrics' # UNIT), or NULL */
	bool metric_nano;      /* written divided by 1e9: nanoseconds as seconds, nano-CPUs as CPUs */
	const char *help;      /* the family's help text: what it is and where it comes from */
	/* a container's engine says it (lifecycle), not a cgroup: set on container rows
	 * (view.c) from the metadata, which a recording keeps, not as a figure */
	bool engine;
	/* in a recording: the bit of the recorded valid mask (fixed for ever once used) */
	enum fig_rec rec;
	int rec_slot;
	/* the journal's message ("cpu 12.3% mem 99.6M …"): its word, or NULL */
	const char *message_word;
	const char *message_unit;
	int message_pos;       /* its place in the message, 1 first */
};

/* Every figure, in the order the outputs show them (JSON keys, columns, metric families). */
extern const struct figure figures[F_COUNT];

/* The entry of figure F. */
const struct figure *figure(enum cg_field f);
/* Slots of a recording's valid mask: 64 up to format version 3, 128 from version 4 (slot
 * REC_SLOT_MORE set: a second mask of slots 64-127 follows). */
#define FIG_REC_SLOTS 128
/* Slots FIG_REC_ROW_SLOTS to FIG_REC_ROW_SLOTS_END - 1 hold a row's attributes that are no
 * figure (record_codec.c: the network namespace's kind, inode and holder; 63 says that the
 * mask goes on), never a figure's rec_slot. */
#define FIG_REC_ROW_SLOTS 60
#define FIG_REC_ROW_SLOTS_END 64
static inline bool fig_rec_row_slot(int slot)
{
	return slot >= FIG_REC_ROW_SLOTS && slot < FIG_REC_ROW_SLOTS_END;
}
/* The figure recorded in SLOT (rates, ratios and deltas too: their slots are kept), or NULL. */
const struct figure *fig_by_slot(int slot);

/* Whether R knows F's value (derived figures: whether it can be computed), and it. */
bool fig_value(const struct figure *f, const struct cg_row *r, double *out);
/* The exact u64 of F in R (REC_VARINT, NUM_U64 figures). */
uint64_t fig_u64(const struct figure *f, const struct cg_row *r);
void fig_set_u64(const struct figure *f, struct cg_row *r, uint64_t v);
double fig_double(const struct figure *f, const struct cg_row *r);
void fig_set_double(const struct figure *f, struct cg_row *r, double v);
/* F known and a limit that is not "no limit": the one number a machine output writes. */
bool fig_limited(const struct figure *f, const struct cg_row *r);

/* Flags of fig_cell(). */
#define CELL_RAW 1u  /* exact bytes and nanoseconds instead of human units */

/* F's cell for R as people read it into BUF ("-" when not known). */
const char *fig_cell(const struct figure *f, const struct cg_row *r, unsigned flags, char *buf,
		     size_t len);
/* F's value for R as a machine reads it (NUM_*, CPU seconds for metrics when METRIC),
 * or NULL when not known or no number describes it (no limit). */
const char *fig_number(const struct figure *f, const struct cg_row *r, bool metric, char *buf,
		       size_t len);
/* A container row without cgroup figures (not running): its state as people read it in
 * place of the figures ("exited (137) 2m ago", "restarting", "created") into BUF; NULL
 * for a row with cgroup figures or no state. */
const char *fig_state_text(const struct cg_row *r, char *buf, size_t len);
/* Whether column F is shown when CPU is shown as time (CPU_TIME) or a percentage. */
bool fig_column_shown(const struct figure *f, bool cpu_time);
/* The journal's field name of F ("CGTOP_" and the key in capitals) into BUF. */
const char *fig_journal_field(const struct figure *f, char *buf, size_t len);

/* Add the figures of SRC to DST as groups sum them; a figure is known once any member
 * knows it. DST's blocks come from its own arena. */
void fig_add_row(struct cg_row *dst, const struct cg_row *src);
/* The same for the containers of a group: a figure that says group_adds is added up. */
void fig_add_group(struct cg_row *dst, const struct cg_row *src);
/* The valid bits of every rate, ratio and delta (computed from counters of two samples,
 * not recorded as such). */
fieldmask fig_rate_bits(void);
/* The rates stored in a recording when they are estimates. */
fieldmask fig_estimate_bits(void);
/* Whether F's value is a double (rates, ratios, derived figures) rather than a u64. */
bool fig_is_double(const struct figure *f);

/* The table of row attributes: what describes a row rather than measures it (its host,
 * kind, name, path, container, pod …), one entry each, saying under which key each
 * output writes it and how to get its value. JSON rows and events, journal entries and
 * metric labels loop over this table; none names an attribute.
 *
 * Adding an attribute: its entry in row_attrs[] (fields.c) and its getter there. A test
 * (tests/test_fields.c) checks that every entry is complete and that every output
 * carries it. */

/* How JSON writes an attribute's value. */
enum attr_type {
	ATTR_STRING, /* a string */
	ATTR_INT,    /* an integer */
	ATTR_BOOL,   /* a boolean */
	ATTR_MAP,    /* an object of strings (a container's labels); the journal: a field per
		      * key, the attribute's field the prefix of their names */
	ATTR_LIST,   /* an array of strings (a container's cgroups) */
	ATTR_OBJECT, /* an object of the attributes of AOBJ_CONTAINER (the container) */
};

/* The JSON objects (and journal entries: ATTR_IN bits) that carry attributes. */
enum attr_obj {
	AOBJ_ROW,       /* a row of a sample: {"time":…,"kind":"container",…} */
	AOBJ_EVENT,     /* an OOM kill, a memory limit hit, a refused fork: {"kind":"event",…} */
	AOBJ_LIFE,      /* a container's lifecycle event (restart, stop, unhealthy …) */
	AOBJ_CONTAINER, /* the "container" object of rows and lifecycle events (JSON only) */
	AOBJ_COUNT,
};
#define ATTR_IN(obj) (1u << (obj))

/* What a row is written with: the sample's and, for an event, the event's. */
struct attr_ctx {
	const char *time;        /* RFC 3339 */
	const char *host;        /* the host's name, NULL when not known */
	unsigned long iteration;
	const char *event;       /* an event's kinds ("oom_kill", "restart stop"), NULL for a row */
	const char *message;     /* an event's text for people */
	int priority;            /* an event's syslog priority */
};

/* An attribute's value: known or not is what its getter returns. */
struct attr_val {
	const char *s;       /* ATTR_STRING */
	bool clean;          /* s is an ID, a word or a time: written as it is, not sanitized */
	int64_t n;           /* ATTR_INT */
	bool b;              /* ATTR_BOOL */
	char *const *keys;   /* ATTR_MAP: COUNT keys and values; ATTR_LIST: COUNT values */
	char *const *vals;
	size_t count;
	char *owned;         /* s when made for this value: freed by attr_val_free() */
	char **owned_vals;   /* vals when made for this value (COUNT strings): freed too */
};

struct row_attr {
	/* JSON: the key in each object (NULL: not in it); in rows and events after the
	 * figures rather than before; on a row object only where row_if says so (absent,
	 * not null, elsewhere). In each object the keys come in the table's order. */
	const char *json[AOBJ_COUNT];
	bool json_tail;
	enum attr_type type;
	bool (*row_if)(const struct view_row *r);
	/* the journal: the field (ATTR_MAP: the prefix of the fields), in the entries of
	 * journal_in (ATTR_IN bits), where journal_if says so when set */
	const char *journal;
	unsigned journal_in;
	bool (*journal_if)(const struct view_row *r);
	/* metrics: the label, and its place among a sample's labels (1 first) */
	const char *label;
	int label_pos;
	/* whether R (written with X) has a value, and it into V */
	bool (*get)(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v);
};

/* Every attribute, in the order JSON writes them. */
extern const struct row_attr row_attrs[];
extern const size_t row_attrs_n;
/* The attribute whose metric label is at place POS (1 first), or NULL past the last. */
const struct row_attr *attr_by_label_pos(int pos);
void attr_val_free(struct attr_val *v);

/* "container", "group" or "cgroup" */
const char *view_kind_name(enum view_kind k);
/* "blkio-throttle", "io.stat", "proc" …, NULL for IO_SRC_NONE */
const char *io_source_name(enum io_source src);
/* Where a row's network figures come from: "own", "host", "shared", or NULL (not a
 * container's, or not known). */
const char *net_ns_name(enum net_ns_kind kind);

#endif
