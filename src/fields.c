/* The table of figures, and what every output needs of an entry: its value, its cell,
 * its number, how groups sum it. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fields.h"
#include "format.h"

#define U64_AT(member) .offset = offsetof(struct cg_row, member)
#define DOUBLE_AT(member) .offset = offsetof(struct cg_row, member)

/* %Lim: memory use as a percentage of the limit, when there is one. */
static bool derive_mem_percent(const struct cg_row *r, double *out)
{
	if (!row_has(r, F_MEM_USAGE) || !row_has(r, F_MEM_LIMIT) || r->mem_limit == UINT64_MAX ||
	    r->mem_limit == 0)
		return false;
	*out = (double)r->mem_usage * 100.0 / (double)r->mem_limit;
	return true;
}

/* IO/s: read and write operations per second together. */
static bool derive_iops(const struct cg_row *r, double *out)
{
	if (!row_has(r, F_IO_RIOPS) && !row_has(r, F_IO_WIOPS))
		return false;
	*out = (row_has(r, F_IO_RIOPS) ? r->io_riops : 0) + (row_has(r, F_IO_WIOPS) ? r->io_wiops : 0);
	return true;
}

const struct figure figures[F_COUNT] = {
	{
		.id = F_TASKS, .key = "tasks", .kind = FIG_GAUGE, U64_AT(tasks), .sum = SUM_ADD,
		.title = "Tasks", .format = FMT_COUNT, .show = SHOW_ALWAYS,
		.text_width = 7, .tui_width = 6, .tui_drop = 2, .sort = ORDER_TASKS,
		.number = NUM_U64, .metric = "cgtop_tasks",
		.help = "Tasks: pids.current (threads), else the processes in cgroup.procs of the cgroup and its descendants.",
		.rec = REC_VARINT, .rec_slot = 0,
		.message_word = "tasks", .message_pos = 3,
	},
	{
		.id = F_CPU_RATE, .key = "cpu_percent", .kind = FIG_RATE, DOUBLE_AT(cpu_percent),
		.sum = SUM_ADD, .rate_of = F_CPU_NS, .rate_divisor = 1e7, .stamp = STAMP_CPU,
		.title = "%CPU", .format = FMT_PERCENT, .show = SHOW_CPU_PERCENT,
		.text_width = 8, .tui_width = 7, .tui_drop = 0, .sort = ORDER_CPU,
		.number = NUM_DECIMAL3, .metric = "cgtop_cpu_percent", .metric_unit = "percent",
		.help = "CPU use over the last interval; 100 is one CPU busy.",
		.rec = REC_NONE, .rec_slot = 10,
		.message_word = "cpu", .message_unit = "%", .message_pos = 1,
	},
	{
		.id = F_CPU_NS, .key = "cpu_ns", .kind = FIG_COUNTER, U64_AT(cpu_ns), .sum = SUM_ADD,
		.title = "CPU Time", .format = FMT_CPU_TIME, .show = SHOW_CPU_TIME,
		.text_width = 8, .tui_width = 10, .tui_drop = 0, .sort = ORDER_CPU,
		.number = NUM_U64, .metric = "cgtop_cpu_seconds", .metric_unit = "seconds",
		.metric_ns_seconds = true,
		.help = "CPU time used: cpuacct.usage (v1) or usage_usec of cpu.stat (v2).",
		.rec = REC_VARINT, .rec_slot = 1,
	},
	{
		.id = F_MEM_USAGE, .key = "memory_bytes", .kind = FIG_GAUGE, U64_AT(mem_usage),
		.sum = SUM_ADD,
		.title = "Memory", .format = FMT_BYTES, .show = SHOW_ALWAYS,
		.text_width = 9, .tui_width = 8, .tui_drop = 0, .sort = ORDER_MEMORY,
		.number = NUM_U64, .metric = "cgtop_memory_bytes", .metric_unit = "bytes",
		.help = "Memory use: memory.usage_in_bytes (v1) or memory.current (v2).",
		.rec = REC_VARINT, .rec_slot = 2,
		.message_word = "mem", .message_pos = 2,
	},
	{
		.id = F_MEM_WS, .key = "memory_working_set_bytes", .kind = FIG_GAUGE, U64_AT(mem_ws),
		.sum = SUM_ADD, .title = "WorkSet", .format = FMT_BYTES, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_working_set_bytes", .metric_unit = "bytes",
		.help = "Memory use less inactive file pages (what docker stats shows).",
		.rec = REC_VARINT, .rec_slot = 3,
	},
	{
		.id = F_MEM_CACHE, .key = "memory_cache_bytes", .kind = FIG_GAUGE, U64_AT(mem_cache),
		.sum = SUM_ADD, .title = "Cache", .format = FMT_BYTES, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_cache_bytes", .metric_unit = "bytes",
		.help = "Page cache: total_cache (v1) or file (v2) of memory.stat.",
		.rec = REC_VARINT, .rec_slot = 4,
	},
	{
		.id = F_MEM_LIMIT, .key = "memory_limit_bytes", .kind = FIG_GAUGE, U64_AT(mem_limit),
		.sum = SUM_MIN, .limit = true, .unlimited_key = "memory_unlimited",
		.title = "Limit", .format = FMT_BYTES, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_limit_bytes", .metric_unit = "bytes",
		.help = "Memory limit: memory.limit_in_bytes (v1) or memory.max (v2); no sample when unlimited.",
		.rec = REC_VARINT, .rec_slot = 5,
	},
	{
		.id = F_MEM_PERCENT, .key = "memory_limit_percent", .kind = FIG_DERIVED,
		.derive = derive_mem_percent,
		.title = "%Lim", .format = FMT_PERCENT0, .show = SHOW_ALWAYS,
		.tui_width = 5, .tui_drop = 7,
	},
	{
		.id = F_IO_RBYTES, .key = "io_read_bytes", .kind = FIG_COUNTER, U64_AT(io_rbytes),
		.sum = SUM_ADD, .title = "Read", .format = FMT_BYTES, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_io_read_bytes", .metric_unit = "bytes",
		.help = "Bytes read from block devices (blkio or io.stat).",
		.rec = REC_VARINT, .rec_slot = 6,
	},
	{
		.id = F_IO_WBYTES, .key = "io_write_bytes", .kind = FIG_COUNTER, U64_AT(io_wbytes),
		.sum = SUM_ADD, .title = "Written", .format = FMT_BYTES, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_io_write_bytes", .metric_unit = "bytes",
		.help = "Bytes written to block devices (blkio or io.stat).",
		.rec = REC_VARINT, .rec_slot = 7,
	},
	{
		.id = F_IO_RIOS, .key = "io_read_ops", .kind = FIG_COUNTER, U64_AT(io_rios),
		.sum = SUM_ADD, .title = "Reads", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_io_read_ops",
		.help = "Read operations on block devices (blkio or io.stat).",
		.rec = REC_VARINT, .rec_slot = 8,
	},
	{
		.id = F_IO_WIOS, .key = "io_write_ops", .kind = FIG_COUNTER, U64_AT(io_wios),
		.sum = SUM_ADD, .title = "Writes", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_io_write_ops",
		.help = "Write operations on block devices (blkio or io.stat).",
		.rec = REC_VARINT, .rec_slot = 9,
	},
	{
		.id = F_IO_RBPS, .key = "io_read_bps", .kind = FIG_RATE, DOUBLE_AT(io_rbps),
		.sum = SUM_ADD, .rate_of = F_IO_RBYTES, .rate_divisor = 1, .stamp = STAMP_IO,
		.title = "Read/s", .format = FMT_BYTE_RATE, .show = SHOW_ALWAYS,
		.text_width = 9, .tui_width = 8, .tui_drop = 3, .sort = ORDER_IO,
		.number = NUM_ROUND, .metric = "cgtop_io_read_bytes_per_second",
		.metric_unit = "bytes_per_second",
		.help = "Bytes read per second over the last interval (estimated from /proc/PID/io where the kernel keeps no counters).",
		.rec = REC_ESTIMATE, .rec_slot = 11,
		.message_word = "read", .message_unit = "/s", .message_pos = 4,
	},
	{
		.id = F_IO_WBPS, .key = "io_write_bps", .kind = FIG_RATE, DOUBLE_AT(io_wbps),
		.sum = SUM_ADD, .rate_of = F_IO_WBYTES, .rate_divisor = 1, .stamp = STAMP_IO,
		.title = "Write/s", .format = FMT_BYTE_RATE, .show = SHOW_ALWAYS,
		.text_width = 9, .tui_width = 8, .tui_drop = 5, .sort = ORDER_IO,
		.number = NUM_ROUND, .metric = "cgtop_io_write_bytes_per_second",
		.metric_unit = "bytes_per_second",
		.help = "Bytes written per second over the last interval (estimated from /proc/PID/io where the kernel keeps no counters).",
		.rec = REC_ESTIMATE, .rec_slot = 12,
		.message_word = "write", .message_unit = "/s", .message_pos = 5,
	},
	{
		.id = F_IO_RIOPS, .key = "io_read_iops", .kind = FIG_RATE, DOUBLE_AT(io_riops),
		.sum = SUM_ADD, .rate_of = F_IO_RIOS, .rate_divisor = 1, .stamp = STAMP_IO,
		.title = "Reads/s", .format = FMT_OP_RATE, .show = SHOW_NEVER,
		.number = NUM_DECIMAL3, .metric = "cgtop_io_read_ops_per_second",
		.help = "Read operations per second over the last interval.",
		.rec = REC_NONE, .rec_slot = 13,
	},
	{
		.id = F_IO_WIOPS, .key = "io_write_iops", .kind = FIG_RATE, DOUBLE_AT(io_wiops),
		.sum = SUM_ADD, .rate_of = F_IO_WIOS, .rate_divisor = 1, .stamp = STAMP_IO,
		.title = "Writes/s", .format = FMT_OP_RATE, .show = SHOW_NEVER,
		.number = NUM_DECIMAL3, .metric = "cgtop_io_write_ops_per_second",
		.help = "Write operations per second over the last interval.",
		.rec = REC_NONE, .rec_slot = 14,
	},
	{
		.id = F_IO_OPS, .key = "io_ops_per_second", .kind = FIG_DERIVED, .derive = derive_iops,
		.title = "IO/s", .format = FMT_OP_RATE, .show = SHOW_ALWAYS,
		.tui_width = 7, .tui_drop = 8,
	},
};

static const struct figure *by_id[F_COUNT];
static const struct figure *by_slot[FIG_REC_SLOTS];

/* The indexes from a figure's id and recording slot to its entry, made before main()
 * runs (no thread yet). */
__attribute__((constructor)) static void index_figures(void)
{
	for (size_t i = 0; i < F_COUNT; i++) {
		by_id[figures[i].id] = &figures[i];
		if (figures[i].rec != REC_NONE || figures[i].kind == FIG_RATE)
			by_slot[figures[i].rec_slot] = &figures[i];
	}
}

const struct figure *fig_by_slot(int slot)
{
	return slot >= 0 && slot < FIG_REC_SLOTS ? by_slot[slot] : NULL;
}

const struct figure *figure(enum cg_field f)
{
	return by_id[f];
}

uint64_t fig_u64(const struct figure *f, const struct cg_row *r)
{
	uint64_t v;

	memcpy(&v, (const char *)r + f->offset, sizeof(v));
	return v;
}

void fig_set_u64(const struct figure *f, struct cg_row *r, uint64_t v)
{
	memcpy((char *)r + f->offset, &v, sizeof(v));
}

double fig_double(const struct figure *f, const struct cg_row *r)
{
	double v;

	memcpy(&v, (const char *)r + f->offset, sizeof(v));
	return v;
}

void fig_set_double(const struct figure *f, struct cg_row *r, double v)
{
	memcpy((char *)r + f->offset, &v, sizeof(v));
}

/* Rates and derived figures are doubles; the rest are u64. */
static bool is_double(const struct figure *f)
{
	return f->kind == FIG_RATE || f->kind == FIG_DERIVED;
}

bool fig_value(const struct figure *f, const struct cg_row *r, double *out)
{
	if (f->kind == FIG_DERIVED)
		return f->derive(r, out);
	if (!row_has(r, f->id))
		return false;
	*out = is_double(f) ? fig_double(f, r) : (double)fig_u64(f, r);
	return true;
}

bool fig_limited(const struct figure *f, const struct cg_row *r)
{
	return row_has(r, f->id) && !(f->limit && fig_u64(f, r) == UINT64_MAX);
}

bool fig_column_shown(const struct figure *f, bool cpu_time)
{
	switch (f->show) {
	case SHOW_ALWAYS:
		return true;
	case SHOW_CPU_PERCENT:
		return !cpu_time;
	case SHOW_CPU_TIME:
		return cpu_time;
	case SHOW_NEVER:
		break;
	}
	return false;
}

const char *fig_cell(const struct figure *f, const struct cg_row *r, unsigned flags, char *buf,
		     size_t len)
{
	bool raw = flags & CELL_RAW;
	char tmp[32];
	double d;

	if (f->kind == FIG_DERIVED || f->kind == FIG_RATE) {
		if (!fig_value(f, r, &d))
			return "-";
	} else if (!row_has(r, f->id)) {
		return "-";
	}
	switch (f->format) {
	case FMT_COUNT:
		snprintf(buf, len, "%llu", (unsigned long long)fig_u64(f, r));
		break;
	case FMT_BYTES:
		if (raw)
			snprintf(buf, len, "%llu", (unsigned long long)fig_u64(f, r));
		else
			format_bytes(buf, len, fig_u64(f, r));
		break;
	case FMT_CPU_TIME:
		if (raw)
			snprintf(buf, len, "%llu", (unsigned long long)fig_u64(f, r));
		else
			format_cpu_time(buf, len, fig_u64(f, r));
		break;
	case FMT_PERCENT:
		snprintf(buf, len, raw ? "%.3f" : "%.1f", d);
		break;
	case FMT_PERCENT0:
	case FMT_OP_RATE:
		snprintf(buf, len, "%.0f", d);
		break;
	case FMT_BYTE_RATE:
		if (raw)
			snprintf(tmp, sizeof(tmp), "%.0f", d);
		else
			format_bytes(tmp, sizeof(tmp), (uint64_t)llround(d));
		snprintf(buf, len, "%s%s", r->io_source == IO_SRC_PROC ? "~" : "", tmp);
		break;
	}
	return buf;
}

const char *fig_number(const struct figure *f, const struct cg_row *r, bool metric, char *buf,
		       size_t len)
{
	double d;

	if (f->kind == FIG_DERIVED || !fig_limited(f, r))
		return NULL;
	if (metric && f->metric_ns_seconds)
		return format_ns_seconds(buf, len, fig_u64(f, r));
	switch (f->number) {
	case NUM_U64:
		snprintf(buf, len, "%llu", (unsigned long long)fig_u64(f, r));
		return buf;
	case NUM_ROUND:
		d = fig_double(f, r);
		if (!isfinite(d))
			return NULL;
		if (metric)
			return format_decimal(buf, len, d, 3);
		snprintf(buf, len, "%llu", (unsigned long long)llround(d));
		return buf;
	case NUM_DECIMAL3:
		d = fig_double(f, r);
		return isfinite(d) ? format_decimal(buf, len, d, 3) : NULL;
	}
	return NULL;
}

const char *fig_journal_field(const struct figure *f, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "CGTOP_%s", f->key);

	for (size_t i = 6; i < n && i < len; i++)
		if (buf[i] >= 'a' && buf[i] <= 'z')
			buf[i] = (char)(buf[i] - 'a' + 'A');
	return buf;
}

void fig_add_row(struct cg_row *dst, const struct cg_row *src)
{
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *f = &figures[i];

		if (f->kind == FIG_DERIVED || !row_has(src, f->id))
			continue;
		if (is_double(f)) {
			double v = fig_double(f, src);

			fig_set_double(f, dst, row_has(dst, f->id) ? fig_double(f, dst) + v : v);
		} else if (f->sum == SUM_MIN) {
			uint64_t v = fig_u64(f, src);

			if (!row_has(dst, f->id) || v < fig_u64(f, dst))
				fig_set_u64(f, dst, v);
		} else {
			uint64_t v = fig_u64(f, src);

			fig_set_u64(f, dst, row_has(dst, f->id) ? fig_u64(f, dst) + v : v);
		}
		dst->valid |= FIELD_BIT(f->id);
	}
	if (src->io_source == IO_SRC_PROC || dst->io_source == IO_SRC_NONE)
		dst->io_source = src->io_source;
	if (dst->depth == 0 || src->depth < dst->depth)
		dst->depth = src->depth;
}

uint32_t fig_rate_bits(void)
{
	uint32_t bits = 0;

	for (size_t i = 0; i < F_COUNT; i++)
		if (figures[i].kind == FIG_RATE)
			bits |= FIELD_BIT(figures[i].id);
	return bits;
}

uint32_t fig_estimate_bits(void)
{
	uint32_t bits = 0;

	for (size_t i = 0; i < F_COUNT; i++)
		if (figures[i].rec == REC_ESTIMATE)
			bits |= FIELD_BIT(figures[i].id);
	return bits;
}
