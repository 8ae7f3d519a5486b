/* The table of figures, and what every output needs of an entry: its value, its cell,
 * its number, how groups sum it. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "fields.h"
#include "format.h"
#include "trouble.h"
#include "util.h"

#define U64_AT(member) .block = BLK_ROW, .offset = offsetof(struct cg_row, member)
#define DOUBLE_AT(member) .block = BLK_ROW, .offset = offsetof(struct cg_row, member)
/* in a block (snapshot.h): pressure, network, lifecycle */
#define PSI_AT(member) .block = BLK_PSI, .offset = offsetof(struct cg_psi, member)
#define NET_AT(member) .block = BLK_NET, .offset = offsetof(struct cg_net, member)
#define LIFE_AT(member) .block = BLK_LIFE, .offset = offsetof(struct cg_life, member)
#define LIM_AT(member) .block = BLK_LIM, .offset = offsetof(struct cg_lim, member)

/* %Lim: the working set as a percentage of the memory limit, when there is one. The
 * working set, not the usage: the kernel reclaims inactive page cache before it
 * OOM-kills, so a usage at 100% of the limit may be mostly cache it can drop. */
static bool derive_mem_percent(const struct cg_row *r, double *out)
{
	if (!row_has(r, F_MEM_WS) || !row_has(r, F_MEM_LIMIT) || r->mem_limit == UINT64_MAX ||
	    r->mem_limit == 0)
		return false;
	*out = (double)r->mem_ws * 100.0 / (double)r->mem_limit;
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

/* CPU use as a percentage of the CPU limit, when there is one: 100 uses all of it. */
static bool derive_cpu_limit_percent(const struct cg_row *r, double *out)
{
	uint64_t limit = row_lim(r)->cpu_limit;

	if (!row_has(r, F_CPU_RATE) || !row_has(r, F_CPU_LIMIT) || limit == UINT64_MAX || limit == 0)
		return false;
	*out = r->cpu_percent * 1e9 / (double)limit;
	return true;
}

const struct figure figures[F_COUNT] = {
	{
		.id = F_TASKS, .key = "tasks", .kind = FIG_GAUGE, U64_AT(tasks), .sum = SUM_ADD,
		.title = "Tasks", .format = FMT_COUNT, .show = SHOW_ALWAYS,
		.text_width = 7, .tui_width = 6, .tui_drop = 5, .sort = ORDER_TASKS,
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
		.metric_nano = true,
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
		.sum = SUM_ADD, .title = "WorkSet", .format = FMT_BYTES, .show = SHOW_ALWAYS,
		.text_width = 9, .tui_width = 8, .tui_drop = 4,
		.number = NUM_U64, .metric = "cgtop_memory_working_set_bytes", .metric_unit = "bytes",
		.help = "Working set: memory use less inactive file pages, total_inactive_file (v1) or inactive_file (v2) of memory.stat (what docker stats and the kubelet show).",
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
		/* a container's tightest limit binds (its conmon has none); a group's is
		 * the sum of its containers', none when one has none */
		.sum = SUM_MIN, .limit = true, .group_adds = true, .unlimited_key = "memory_unlimited",
		.title = "Limit", .format = FMT_BYTES, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_limit_bytes", .metric_unit = "bytes",
		.help = "Memory limit: memory.limit_in_bytes (v1) or memory.max (v2); no sample when unlimited.",
		.rec = REC_VARINT, .rec_slot = 5,
	},
	{
		.id = F_MEM_PERCENT, .key = "memory_limit_percent", .kind = FIG_DERIVED,
		.derive = derive_mem_percent,
		.title = "%Lim", .format = FMT_PERCENT0, .show = SHOW_ALWAYS,
		.text_width = 5, .tui_width = 5, .tui_drop = 2,
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
		.text_width = 9, .tui_width = 8, .tui_drop = 6, .sort = ORDER_IO,
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
		.text_width = 9, .tui_width = 8, .tui_drop = 8, .sort = ORDER_IO,
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
		.tui_width = 7, .tui_drop = 9,
	},
	{
		.id = F_CPU_LIMIT, .key = "cpu_limit_nanocpus", .kind = FIG_GAUGE, LIM_AT(cpu_limit),
		.sum = SUM_ADD, .limit = true, .unlimited_key = "cpu_unlimited",
		.title = "CPULim", .format = FMT_CPUS, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_cpu_limit_cpus", .metric_unit = "cpus", .metric_nano = true,
		.help = "CPU limit in CPUs: cpu.cfs_quota_us over cpu.cfs_period_us (v1 cpu controller) or cpu.max (v2); no sample when unlimited.",
		.rec = REC_VARINT, .rec_slot = 15,
	},
	{
		.id = F_CPU_LIMIT_PERCENT, .key = "cpu_limit_percent", .kind = FIG_DERIVED,
		.derive = derive_cpu_limit_percent,
		.title = "%CPULim", .format = FMT_PERCENT0, .show = SHOW_NEVER,
	},
	{
		.id = F_CPU_PERIODS, .key = "cpu_periods", .kind = FIG_COUNTER, LIM_AT(cpu_periods), .sum = SUM_ADD,
		.title = "Periods", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_cpu_periods",
		.help = "Enforcement periods elapsed under a CPU quota: nr_periods of cpu.stat (v1 cpu controller, v2).",
		.rec = REC_VARINT, .rec_slot = 16,
	},
	{
		.id = F_CPU_THROTTLED, .key = "cpu_throttled_periods", .kind = FIG_COUNTER, LIM_AT(cpu_throttled), .sum = SUM_ADD,
		.title = "cpu_throttled_periods", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_cpu_throttled_periods",
		.help = "Periods in which the cgroup was throttled, its quota used up: nr_throttled of cpu.stat.",
		.rec = REC_VARINT, .rec_slot = 17,
	},
	{
		.id = F_CPU_THROTTLED_NEW, .key = "cpu_throttled_periods_interval", .kind = FIG_DELTA, LIM_AT(cpu_throttled_new),
		.sum = SUM_ADD, .rate_of = F_CPU_THROTTLED,
		.title = "cpu_throttled_periods_interval", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_cpu_throttled_periods_interval",
		.help = "Periods in which the cgroup was throttled, its quota used up in the last interval (nr_throttled of cpu.stat).",
		.rec = REC_NONE, .rec_slot = 18,
	},
	{
		.id = F_CPU_THROTTLED_SINCE, .key = "cpu_throttled_periods_since_start", .kind = FIG_SINCE, LIM_AT(cpu_throttled_since),
		.sum = SUM_ADD, .rate_of = F_CPU_THROTTLED,
		.title = "cpu_throttled_periods_since_start", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_cpu_throttled_periods_since_start",
		.help = "Periods in which the cgroup was throttled, its quota used up since cgtop started (nr_throttled of cpu.stat, less its value at cgtop's first sample; all of those of a cgroup made since).",
		.rec = REC_VARINT, .rec_slot = 19,
	},
	{
		.id = F_CPU_THROTTLED_PERCENT, .key = "cpu_throttled_percent", .kind = FIG_RATIO,
		LIM_AT(cpu_throttled_percent), .sum = SUM_MAX,
		.rate_of = F_CPU_THROTTLED, .ratio_of = F_CPU_PERIODS,
		.title = "%Thr", .format = FMT_PERCENT, .show = SHOW_NEVER,
		.number = NUM_DECIMAL3, .metric = "cgtop_cpu_throttled_percent", .metric_unit = "percent",
		.help = "Share of the last interval's periods in which the cgroup was throttled: nr_throttled over nr_periods of cpu.stat.",
		.rec = REC_NONE, .rec_slot = 20,
	},
	{
		.id = F_CPU_THROTTLED_NS, .key = "cpu_throttled_ns", .kind = FIG_COUNTER, LIM_AT(cpu_throttled_ns), .sum = SUM_ADD,
		.title = "Throttled", .format = FMT_CPU_TIME, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_cpu_throttled_seconds", .metric_unit = "seconds", .metric_nano = true,
		.help = "Time the cgroup was throttled, summed over CPUs: throttled_time (v1, ns) or throttled_usec (v2) of cpu.stat.",
		.rec = REC_VARINT, .rec_slot = 21,
	},
	{
		.id = F_CPU_THROTTLED_RATE, .key = "cpu_throttled_seconds_per_second", .kind = FIG_RATE,
		LIM_AT(cpu_throttled_rate), .sum = SUM_ADD,
		.rate_of = F_CPU_THROTTLED_NS, .rate_divisor = 1e9, .stamp = STAMP_REFRESH,
		.title = "Thr/s", .format = FMT_DECIMAL, .show = SHOW_NEVER,
		.number = NUM_DECIMAL3, .metric = "cgtop_cpu_throttled_seconds_per_second",
		.metric_unit = "seconds_per_second",
		.help = "Throttled time per second over the last interval, summed over CPUs (throttled_time or throttled_usec of cpu.stat).",
		.rec = REC_NONE, .rec_slot = 22,
	},
	{
		.id = F_MEM_PEAK, .key = "memory_peak_bytes", .kind = FIG_GAUGE, U64_AT(mem_peak), .sum = SUM_ADD,
		.title = "Peak", .format = FMT_BYTES, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_peak_bytes", .metric_unit = "bytes",
		.help = "Largest memory use seen by the kernel: memory.max_usage_in_bytes (v1) or memory.peak (v2, kernel 5.19 and later).",
		.rec = REC_VARINT, .rec_slot = 23,
	},
	{
		.id = F_MEM_SWAP, .key = "memory_swap_bytes", .kind = FIG_GAUGE, U64_AT(mem_swap), .sum = SUM_ADD,
		.title = "Swap", .format = FMT_BYTES, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_swap_bytes", .metric_unit = "bytes",
		.help = "Swap used: memory.memsw.usage_in_bytes less memory.usage_in_bytes (v1, with swapaccount) or memory.swap.current (v2).",
		.rec = REC_VARINT, .rec_slot = 24,
	},
	{
		.id = F_MEM_LIMIT_HITS, .key = "memory_limit_hits", .kind = FIG_COUNTER, LIM_AT(mem_limit_hits), .sum = SUM_ADD,
		.title = "memory_limit_hits", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_limit_hits",
		.help = "Times memory use hit the limit: memory.failcnt (v1) or max of memory.events (v2, descendants included).",
		.rec = REC_VARINT, .rec_slot = 25,
	},
	{
		.id = F_MEM_LIMIT_HITS_NEW, .key = "memory_limit_hits_interval", .kind = FIG_DELTA, LIM_AT(mem_limit_hits_new),
		.sum = SUM_ADD, .rate_of = F_MEM_LIMIT_HITS,
		.title = "memory_limit_hits_interval", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_limit_hits_interval",
		.help = "Times memory use hit the limit in the last interval (memory.failcnt (v1) or max of memory.events (v2, descendants included)).",
		.rec = REC_NONE, .rec_slot = 26,
	},
	{
		.id = F_MEM_LIMIT_HITS_SINCE, .key = "memory_limit_hits_since_start", .kind = FIG_SINCE, LIM_AT(mem_limit_hits_since),
		.sum = SUM_ADD, .rate_of = F_MEM_LIMIT_HITS,
		.title = "memory_limit_hits_since_start", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_limit_hits_since_start",
		.help = "Times memory use hit the limit since cgtop started (memory.failcnt (v1) or max of memory.events (v2, descendants included), less its value at cgtop's first sample; all of those of a cgroup made since).",
		.rec = REC_VARINT, .rec_slot = 27,
	},
	{
		.id = F_MEM_OOM_KILLS, .key = "memory_oom_kills", .kind = FIG_COUNTER, LIM_AT(mem_oom_kills), .sum = SUM_ADD,
		.title = "memory_oom_kills", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_oom_kills",
		.help = "Processes killed by the OOM killer: oom_kill of memory.oom_control (v1, kernel 4.13 and later) or of memory.events (v2).",
		.rec = REC_VARINT, .rec_slot = 28,
	},
	{
		.id = F_MEM_OOM_KILLS_NEW, .key = "memory_oom_kills_interval", .kind = FIG_DELTA, LIM_AT(mem_oom_kills_new),
		.sum = SUM_ADD, .rate_of = F_MEM_OOM_KILLS,
		.title = "memory_oom_kills_interval", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_oom_kills_interval",
		.help = "Processes killed by the OOM killer in the last interval (oom_kill of memory.oom_control (v1, kernel 4.13 and later) or of memory.events (v2)).",
		.rec = REC_NONE, .rec_slot = 29,
	},
	{
		.id = F_MEM_OOM_KILLS_SINCE, .key = "memory_oom_kills_since_start", .kind = FIG_SINCE, LIM_AT(mem_oom_kills_since),
		.sum = SUM_ADD, .rate_of = F_MEM_OOM_KILLS,
		.title = "memory_oom_kills_since_start", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_oom_kills_since_start",
		.help = "Processes killed by the OOM killer since cgtop started (oom_kill of memory.oom_control (v1, kernel 4.13 and later) or of memory.events (v2), less its value at cgtop's first sample; all of those of a cgroup made since).",
		.rec = REC_VARINT, .rec_slot = 30,
	},
	{
		.id = F_MEM_UNDER_OOM, .key = "memory_under_oom", .kind = FIG_GAUGE, LIM_AT(mem_under_oom), .sum = SUM_ADD,
		.title = "UnderOOM", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_memory_under_oom",
		.help = "1 while the cgroup is out of memory with its OOM killer disabled, its tasks stopped: under_oom of memory.oom_control (v1); for a group, how many members are.",
		.rec = REC_VARINT, .rec_slot = 31,
	},
	{
		.id = F_PIDS_LIMIT, .key = "pids_limit", .kind = FIG_GAUGE, U64_AT(pids_limit), .sum = SUM_ADD, .limit = true, .unlimited_key = "pids_unlimited",
		.title = "TaskLim", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_pids_limit",
		.help = "Task limit: pids.max; no sample when unlimited.",
		.rec = REC_VARINT, .rec_slot = 32,
	},
	{
		.id = F_PIDS_REFUSED, .key = "pids_refused_forks", .kind = FIG_COUNTER, LIM_AT(pids_refused), .sum = SUM_ADD,
		.title = "pids_refused_forks", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_pids_refused_forks",
		.help = "Forks refused at the task limit: max of pids.events.",
		.rec = REC_VARINT, .rec_slot = 33,
	},
	{
		.id = F_PIDS_REFUSED_NEW, .key = "pids_refused_forks_interval", .kind = FIG_DELTA, LIM_AT(pids_refused_new),
		.sum = SUM_ADD, .rate_of = F_PIDS_REFUSED,
		.title = "pids_refused_forks_interval", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_pids_refused_forks_interval",
		.help = "Forks refused at the task limit in the last interval (max of pids.events).",
		.rec = REC_NONE, .rec_slot = 34,
	},
	{
		.id = F_PIDS_REFUSED_SINCE, .key = "pids_refused_forks_since_start", .kind = FIG_SINCE, LIM_AT(pids_refused_since),
		.sum = SUM_ADD, .rate_of = F_PIDS_REFUSED,
		.title = "pids_refused_forks_since_start", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_pids_refused_forks_since_start",
		.help = "Forks refused at the task limit since cgtop started (max of pids.events, less its value at cgtop's first sample; all of those of a cgroup made since).",
		.rec = REC_VARINT, .rec_slot = 35,
	},
	{
		.id = F_PSI_CPU_SOME_NS, .key = "pressure_cpu_some_ns", .kind = FIG_COUNTER, PSI_AT(ns[0]), .sum = SUM_ADD,
		.title = "cpu_some", .format = FMT_CPU_TIME, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_pressure_cpu_some_seconds", .metric_unit = "seconds", .metric_nano = true,
		.help = "Time some tasks of the cgroup were stalled on cpu: total of the some line of cpu.pressure (cgroup v2), in seconds.",
		.rec = REC_VARINT, .rec_slot = 36,
	},
	{
		.id = F_PSI_CPU_FULL_NS, .key = "pressure_cpu_full_ns", .kind = FIG_COUNTER, PSI_AT(ns[1]), .sum = SUM_ADD,
		.title = "cpu_full", .format = FMT_CPU_TIME, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_pressure_cpu_full_seconds", .metric_unit = "seconds", .metric_nano = true,
		.help = "Time all tasks of the cgroup were stalled on cpu: total of the full line of cpu.pressure (cgroup v2), in seconds.",
		.rec = REC_VARINT, .rec_slot = 37,
	},
	{
		.id = F_PSI_MEM_SOME_NS, .key = "pressure_memory_some_ns", .kind = FIG_COUNTER, PSI_AT(ns[2]), .sum = SUM_ADD,
		.title = "memory_some", .format = FMT_CPU_TIME, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_pressure_memory_some_seconds", .metric_unit = "seconds", .metric_nano = true,
		.help = "Time some tasks of the cgroup were stalled on memory: total of the some line of memory.pressure (cgroup v2), in seconds.",
		.rec = REC_VARINT, .rec_slot = 38,
	},
	{
		.id = F_PSI_MEM_FULL_NS, .key = "pressure_memory_full_ns", .kind = FIG_COUNTER, PSI_AT(ns[3]), .sum = SUM_ADD,
		.title = "memory_full", .format = FMT_CPU_TIME, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_pressure_memory_full_seconds", .metric_unit = "seconds", .metric_nano = true,
		.help = "Time all tasks of the cgroup were stalled on memory: total of the full line of memory.pressure (cgroup v2), in seconds.",
		.rec = REC_VARINT, .rec_slot = 39,
	},
	{
		.id = F_PSI_IO_SOME_NS, .key = "pressure_io_some_ns", .kind = FIG_COUNTER, PSI_AT(ns[4]), .sum = SUM_ADD,
		.title = "io_some", .format = FMT_CPU_TIME, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_pressure_io_some_seconds", .metric_unit = "seconds", .metric_nano = true,
		.help = "Time some tasks of the cgroup were stalled on io: total of the some line of io.pressure (cgroup v2), in seconds.",
		.rec = REC_VARINT, .rec_slot = 40,
	},
	{
		.id = F_PSI_IO_FULL_NS, .key = "pressure_io_full_ns", .kind = FIG_COUNTER, PSI_AT(ns[5]), .sum = SUM_ADD,
		.title = "io_full", .format = FMT_CPU_TIME, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_pressure_io_full_seconds", .metric_unit = "seconds", .metric_nano = true,
		.help = "Time all tasks of the cgroup were stalled on io: total of the full line of io.pressure (cgroup v2), in seconds.",
		.rec = REC_VARINT, .rec_slot = 41,
	},
	{
		.id = F_PSI_CPU_SOME, .key = "pressure_cpu_some_percent", .kind = FIG_RATE,
		PSI_AT(percent[0]), .sum = SUM_MAX,
		.rate_of = F_PSI_CPU_SOME_NS, .rate_divisor = 1e7, .stamp = STAMP_REFRESH, .rate_max = 100,
		.title = "%cpu_some", .format = FMT_PERCENT, .show = SHOW_NEVER,
		.number = NUM_DECIMAL3, .metric = "cgtop_pressure_cpu_some_percent", .metric_unit = "percent",
		.help = "Share of the last interval in which some tasks of the cgroup were stalled on cpu: from the total of cpu.pressure, not its averages (cgroup v2).",
		.rec = REC_NONE, .rec_slot = 42,
	},
	{
		.id = F_PSI_CPU_FULL, .key = "pressure_cpu_full_percent", .kind = FIG_RATE,
		PSI_AT(percent[1]), .sum = SUM_MAX,
		.rate_of = F_PSI_CPU_FULL_NS, .rate_divisor = 1e7, .stamp = STAMP_REFRESH, .rate_max = 100,
		.title = "%cpu_full", .format = FMT_PERCENT, .show = SHOW_NEVER,
		.number = NUM_DECIMAL3, .metric = "cgtop_pressure_cpu_full_percent", .metric_unit = "percent",
		.help = "Share of the last interval in which all tasks of the cgroup were stalled on cpu: from the total of cpu.pressure, not its averages (cgroup v2).",
		.rec = REC_NONE, .rec_slot = 43,
	},
	{
		.id = F_PSI_MEM_SOME, .key = "pressure_memory_some_percent", .kind = FIG_RATE,
		PSI_AT(percent[2]), .sum = SUM_MAX,
		.rate_of = F_PSI_MEM_SOME_NS, .rate_divisor = 1e7, .stamp = STAMP_REFRESH, .rate_max = 100,
		.title = "%memory_some", .format = FMT_PERCENT, .show = SHOW_NEVER,
		.number = NUM_DECIMAL3, .metric = "cgtop_pressure_memory_some_percent", .metric_unit = "percent",
		.help = "Share of the last interval in which some tasks of the cgroup were stalled on memory: from the total of memory.pressure, not its averages (cgroup v2).",
		.rec = REC_NONE, .rec_slot = 44,
	},
	{
		.id = F_PSI_MEM_FULL, .key = "pressure_memory_full_percent", .kind = FIG_RATE,
		PSI_AT(percent[3]), .sum = SUM_MAX,
		.rate_of = F_PSI_MEM_FULL_NS, .rate_divisor = 1e7, .stamp = STAMP_REFRESH, .rate_max = 100,
		.title = "%memory_full", .format = FMT_PERCENT, .show = SHOW_NEVER,
		.number = NUM_DECIMAL3, .metric = "cgtop_pressure_memory_full_percent", .metric_unit = "percent",
		.help = "Share of the last interval in which all tasks of the cgroup were stalled on memory: from the total of memory.pressure, not its averages (cgroup v2).",
		.rec = REC_NONE, .rec_slot = 45,
	},
	{
		.id = F_PSI_IO_SOME, .key = "pressure_io_some_percent", .kind = FIG_RATE,
		PSI_AT(percent[4]), .sum = SUM_MAX,
		.rate_of = F_PSI_IO_SOME_NS, .rate_divisor = 1e7, .stamp = STAMP_REFRESH, .rate_max = 100,
		.title = "%io_some", .format = FMT_PERCENT, .show = SHOW_NEVER,
		.number = NUM_DECIMAL3, .metric = "cgtop_pressure_io_some_percent", .metric_unit = "percent",
		.help = "Share of the last interval in which some tasks of the cgroup were stalled on io: from the total of io.pressure, not its averages (cgroup v2).",
		.rec = REC_NONE, .rec_slot = 46,
	},
	{
		.id = F_PSI_IO_FULL, .key = "pressure_io_full_percent", .kind = FIG_RATE,
		PSI_AT(percent[5]), .sum = SUM_MAX,
		.rate_of = F_PSI_IO_FULL_NS, .rate_divisor = 1e7, .stamp = STAMP_REFRESH, .rate_max = 100,
		.title = "%io_full", .format = FMT_PERCENT, .show = SHOW_NEVER,
		.number = NUM_DECIMAL3, .metric = "cgtop_pressure_io_full_percent", .metric_unit = "percent",
		.help = "Share of the last interval in which all tasks of the cgroup were stalled on io: from the total of io.pressure, not its averages (cgroup v2).",
		.rec = REC_NONE, .rec_slot = 47,
	},
	{
		.id = F_NET_RX_BYTES, .key = "network_receive_bytes", .kind = FIG_COUNTER,
		NET_AT(rx_bytes), .sum = SUM_ADD, .net = true,
		.title = "NetRx", .format = FMT_BYTES, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_network_receive_bytes", .metric_unit = "bytes",
		.help = "Bytes received by the interfaces of the container's network namespace but lo: /proc/PID/net/dev of one of its tasks, once per namespace (none for a container in the host's namespace or one counted on another container).",
		.rec = REC_VARINT, .rec_slot = 56,
	},
	{
		.id = F_NET_TX_BYTES, .key = "network_transmit_bytes", .kind = FIG_COUNTER,
		NET_AT(tx_bytes), .sum = SUM_ADD, .net = true,
		.title = "NetTx", .format = FMT_BYTES, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_network_transmit_bytes", .metric_unit = "bytes",
		.help = "Bytes sent by the interfaces of the container's network namespace but lo (as cgtop_network_receive_bytes).",
		.rec = REC_VARINT, .rec_slot = 57,
	},
	{
		.id = F_NET_RX_PACKETS, .key = "network_receive_packets", .kind = FIG_COUNTER,
		NET_AT(rx_packets), .sum = SUM_ADD, .net = true,
		.title = "NetRxPk", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_network_receive_packets",
		.help = "Packets received by the interfaces of the container's network namespace but lo (as cgtop_network_receive_bytes).",
		.rec = REC_VARINT, .rec_slot = 64,
	},
	{
		.id = F_NET_TX_PACKETS, .key = "network_transmit_packets", .kind = FIG_COUNTER,
		NET_AT(tx_packets), .sum = SUM_ADD, .net = true,
		.title = "NetTxPk", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_network_transmit_packets",
		.help = "Packets sent by the interfaces of the container's network namespace but lo (as cgtop_network_receive_bytes).",
		.rec = REC_VARINT, .rec_slot = 65,
	},
	{
		.id = F_NET_RX_RATE, .key = "network_receive_bps", .kind = FIG_RATE,
		NET_AT(rx_bps), .sum = SUM_ADD, .net = true,
		.rate_of = F_NET_RX_BYTES, .rate_divisor = 1, .stamp = STAMP_REFRESH,
		.title = "NetRx/s", .format = FMT_NET_RATE, .show = SHOW_ALWAYS,
		.text_width = 8, .tui_width = 8, .tui_drop = 11,
		.number = NUM_ROUND, .metric = "cgtop_network_receive_bytes_per_second",
		.metric_unit = "bytes_per_second",
		.help = "Bytes received per second over the last interval by the interfaces of the container's network namespace but lo.",
		.rec = REC_NONE, .rec_slot = 58,
	},
	{
		.id = F_NET_TX_RATE, .key = "network_transmit_bps", .kind = FIG_RATE,
		NET_AT(tx_bps), .sum = SUM_ADD, .net = true,
		.rate_of = F_NET_TX_BYTES, .rate_divisor = 1, .stamp = STAMP_REFRESH,
		.title = "NetTx/s", .format = FMT_NET_RATE, .show = SHOW_ALWAYS,
		.text_width = 8, .tui_width = 8, .tui_drop = 11,
		.number = NUM_ROUND, .metric = "cgtop_network_transmit_bytes_per_second",
		.metric_unit = "bytes_per_second",
		.help = "Bytes sent per second over the last interval by the interfaces of the container's network namespace but lo.",
		.rec = REC_NONE, .rec_slot = 59,
	},
	{
		.id = F_NET_RX_PPS, .key = "network_receive_pps", .kind = FIG_RATE,
		NET_AT(rx_pps), .sum = SUM_ADD, .net = true,
		.rate_of = F_NET_RX_PACKETS, .rate_divisor = 1, .stamp = STAMP_REFRESH,
		.title = "NetRxPk/s", .format = FMT_OP_RATE, .show = SHOW_NEVER,
		.number = NUM_DECIMAL3, .metric = "cgtop_network_receive_packets_per_second",
		.help = "Packets received per second over the last interval by the interfaces of the container's network namespace but lo.",
		.rec = REC_NONE, .rec_slot = 66,
	},
	{
		.id = F_NET_TX_PPS, .key = "network_transmit_pps", .kind = FIG_RATE,
		NET_AT(tx_pps), .sum = SUM_ADD, .net = true,
		.rate_of = F_NET_TX_PACKETS, .rate_divisor = 1, .stamp = STAMP_REFRESH,
		.title = "NetTxPk/s", .format = FMT_OP_RATE, .show = SHOW_NEVER,
		.number = NUM_DECIMAL3, .metric = "cgtop_network_transmit_packets_per_second",
		.help = "Packets sent per second over the last interval by the interfaces of the container's network namespace but lo.",
		.rec = REC_NONE, .rec_slot = 67,
	},
	{
		.id = F_TROUBLE, .key = "trouble", .kind = FIG_DERIVED, .derive = trouble_score,
		.title = "Flags", .format = FMT_FLAGS, .show = SHOW_ALWAYS,
		.text_width = 5, .tui_width = 6, .tui_drop = 1, .sort = ORDER_TROUBLE,
	},
	/* a container's lifecycle: set on container rows from what the engine says (view.c),
	 * not read from cgroups, not recorded (a recording keeps the state and health words
	 * with the container's metadata) */
	{
		.id = F_CTR_STATE, .key = "state", .kind = FIG_GAUGE, LIFE_AT(state), .sum = SUM_MAX,
		.title = "State", .format = FMT_WORD, .show = SHOW_NEVER,
		.number = NUM_WORD, .word = ctr_state_word,
		.help = "The container's state as its engine says it: running, exited, restarting, created, paused, dead.",
		.engine = true, .rec = REC_NONE, .rec_slot = 48,
	},
	{
		.id = F_CTR_HEALTH, .key = "health", .kind = FIG_GAUGE, LIFE_AT(health), .sum = SUM_MAX,
		.title = "Health", .format = FMT_WORD, .show = SHOW_NEVER,
		.number = NUM_WORD, .word = ctr_health_word,
		.help = "The result of the container's health check: healthy, unhealthy, starting; none without one.",
		.engine = true, .rec = REC_NONE, .rec_slot = 49,
	},
	{
		.id = F_CTR_RESTARTS, .key = "restarts", .kind = FIG_COUNTER, LIFE_AT(restarts),
		.sum = SUM_ADD, .title = "Restarts", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_container_restarts",
		.help = "Restarts of the container by its restart policy: the engine's RestartCount.",
		.engine = true, .rec = REC_NONE, .rec_slot = 50,
	},
	{
		.id = F_CTR_RESTARTS_SEEN, .key = "restarts_seen", .kind = FIG_GAUGE, LIFE_AT(restarts_seen),
		.sum = SUM_ADD, .title = "Restarts+", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_container_restarts_seen",
		.help = "Restarts of the container seen since cgtop started (its restart count rose, or it started again).",
		.engine = true, .rec = REC_NONE, .rec_slot = 51,
	},
	{
		.id = F_CTR_EXIT_CODE, .key = "exit_code", .kind = FIG_GAUGE, LIFE_AT(exit_code),
		.sum = SUM_MAX, .title = "Exit", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_container_exit_code",
		.help = "Exit code of the container's last run (0 while it never exited), as its engine says.",
		.engine = true, .rec = REC_NONE, .rec_slot = 52,
	},
	{
		.id = F_CTR_OOM_KILLED, .key = "oom_killed", .kind = FIG_GAUGE, LIFE_AT(oom_killed),
		.sum = SUM_MAX, .title = "OOMKilled", .format = FMT_COUNT, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_container_oom_killed",
		.help = "1 when the container's engine says its last run was OOM-killed (State.OOMKilled), else 0.",
		.engine = true, .rec = REC_NONE, .rec_slot = 53,
	},
	{
		.id = F_CTR_STARTED_AT, .key = "started_at", .kind = FIG_GAUGE, LIFE_AT(started_at),
		.sum = SUM_MAX, .title = "Started", .format = FMT_AGE, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_container_started_time_seconds", .metric_unit = "seconds",
		.help = "When the container's last run started, Unix seconds.",
		.engine = true, .rec = REC_NONE, .rec_slot = 54,
	},
	{
		.id = F_CTR_FINISHED_AT, .key = "finished_at", .kind = FIG_GAUGE, LIFE_AT(finished_at),
		.sum = SUM_MAX, .title = "Finished", .format = FMT_AGE, .show = SHOW_NEVER,
		.number = NUM_U64, .metric = "cgtop_container_finished_time_seconds", .metric_unit = "seconds",
		.help = "When the container's last run ended, Unix seconds.",
		.engine = true, .rec = REC_NONE, .rec_slot = 55,
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
		if (figures[i].kind != FIG_DERIVED)
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

/* Where F's value is in R: in the row or in one of its blocks; NULL when R has not that
 * block, which says the value is not known as a cleared valid bit does (but for the
 * incident block: without it, R holds the defaults of cg_lim_none). */
static const void *fig_at(const struct figure *f, const struct cg_row *r)
{
	const void *b = NULL;

	switch (f->block) {
	case BLK_ROW:
		b = r;
		break;
	case BLK_PSI:
		b = r->psi;
		break;
	case BLK_NET:
		b = r->net;
		break;
	case BLK_LIFE:
		b = r->life;
		break;
	case BLK_LIM:
		b = row_lim(r);
		break;
	}
	return b ? (const char *)b + f->offset : NULL;
}

/* Set F in R to the SIZE bytes at V: the block made when R has none; the incident
 * block only for a value other than its default (row_lim_put()). */
static void fig_put(const struct figure *f, struct cg_row *r, const void *v, size_t size)
{
	void *b = r;

	switch (f->block) {
	case BLK_ROW:
		break;
	case BLK_PSI:
		b = row_psi_mk(r);
		break;
	case BLK_NET:
		b = row_net_mk(r);
		break;
	case BLK_LIFE:
		b = row_life_mk(r);
		break;
	case BLK_LIM:
		row_lim_put(r, f->offset, v, size);
		return;
	}
	memcpy((char *)b + f->offset, v, size);
}

uint64_t fig_u64(const struct figure *f, const struct cg_row *r)
{
	const void *p = fig_at(f, r);
	uint64_t v = 0;

	if (p)
		memcpy(&v, p, sizeof(v));
	return v;
}

void fig_set_u64(const struct figure *f, struct cg_row *r, uint64_t v)
{
	fig_put(f, r, &v, sizeof(v));
}

double fig_double(const struct figure *f, const struct cg_row *r)
{
	const void *p = fig_at(f, r);
	double v = 0;

	if (p)
		memcpy(&v, p, sizeof(v));
	return v;
}

void fig_set_double(const struct figure *f, struct cg_row *r, double v)
{
	fig_put(f, r, &v, sizeof(v));
}

/* Whether R knows F: its valid bit, and the block the value is in. */
static bool fig_known(const struct figure *f, const struct cg_row *r)
{
	return row_has(r, f->id) && fig_at(f, r) != NULL;
}

/* Rates, ratios and derived figures are doubles; the rest are u64. */
bool fig_is_double(const struct figure *f)
{
	return f->kind == FIG_RATE || f->kind == FIG_RATIO || f->kind == FIG_DERIVED;
}

bool fig_value(const struct figure *f, const struct cg_row *r, double *out)
{
	if (f->kind == FIG_DERIVED)
		return f->derive(r, out);
	if (!fig_known(f, r))
		return false;
	*out = fig_is_double(f) ? fig_double(f, r) : (double)fig_u64(f, r);
	return true;
}

bool fig_limited(const struct figure *f, const struct cg_row *r)
{
	return fig_known(f, r) && !(f->limit && fig_u64(f, r) == UINT64_MAX);
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

	if (f->net && !fig_known(f, r) && row_net(r)->kind == NET_NS_HOST)
		return "host";
	if (f->net && !fig_known(f, r) && row_net(r)->kind == NET_NS_SHARED)
		return "shared";
	if (fig_is_double(f)) {
		if (!fig_value(f, r, &d))
			return "-";
	} else if (!fig_known(f, r)) {
		return "-";
	} else if (f->limit && fig_u64(f, r) == UINT64_MAX && f->format != FMT_BYTES) {
		return "max"; /* the kernel's word (memory's "no limit" keeps its bytes) */
	}
	switch (f->format) {
	case FMT_COUNT:
		format_u64(buf, len, fig_u64(f, r));
		break;
	case FMT_CPUS:
		if (raw)
			snprintf(buf, len, "%llu", (unsigned long long)fig_u64(f, r));
		else
			format_fixed(buf, len, (double)fig_u64(f, r) / 1e9, 2);
		break;
	case FMT_DECIMAL:
		format_fixed(buf, len, d, raw ? 3 : 2);
		break;
	case FMT_BYTES:
		if (raw)
			format_u64(buf, len, fig_u64(f, r));
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
		format_fixed(buf, len, d, raw ? 3 : 1);
		break;
	case FMT_FLAGS:
		if (!trouble_flags(r, buf, len))
			return "-";
		break;
	case FMT_WORD:
		snprintf(buf, len, "%s", f->word((unsigned)fig_u64(f, r)) ? f->word((unsigned)fig_u64(f, r)) : "?");
		break;
	case FMT_AGE:
		if (raw || !row_life(r)->now)
			snprintf(buf, len, "%llu", (unsigned long long)fig_u64(f, r));
		else
			format_age(buf, len, row_life(r)->now, fig_u64(f, r));
		break;
	case FMT_PERCENT0:
	case FMT_OP_RATE:
		format_fixed(buf, len, d, 0);
		break;
	case FMT_BYTE_RATE:
		if (raw)
			format_fixed(tmp, sizeof(tmp), d, 0);
		else
			format_bytes(tmp, sizeof(tmp), (uint64_t)llround(d));
		if (len > 1 && r->io_source == IO_SRC_PROC) {
			*buf = '~';
			snprintf(buf + 1, len - 1, "%s", tmp);
		} else if (len) {
			size_t n = strnlen(tmp, len - 1);

			memcpy(buf, tmp, n);
			buf[n] = '\0';
		}
		break;
	case FMT_NET_RATE:
		if (raw)
			snprintf(buf, len, "%.0f", d);
		else
			format_bytes(buf, len, (uint64_t)llround(d));
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
	if (metric && f->metric_nano)
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
	case NUM_WORD:
		if (!f->word((unsigned)fig_u64(f, r)))
			return NULL;
		snprintf(buf, len, "%s", f->word((unsigned)fig_u64(f, r)));
		return buf;
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

/* How much a row's network namespace says: figures of its own first, then a namespace
 * counted elsewhere, then the host's. */
static int net_rank(uint8_t kind)
{
	return kind == NET_NS_OWN ? 3 : kind == NET_NS_SHARED ? 2 : kind == NET_NS_HOST ? 1 : 0;
}

/* Add SRC's figures into DST; GROUP: SRC is a container of a group. */
static void add_row(struct cg_row *dst, const struct cg_row *src, bool group)
{
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct figure *f = &figures[i];
		enum fig_sum sum = group && f->group_adds ? SUM_ADD : f->sum;

		if (f->kind == FIG_DERIVED || !fig_known(f, src))
			continue;
		if (fig_is_double(f)) {
			double v = fig_double(f, src), had = fig_double(f, dst);

			if (!row_has(dst, f->id))
				fig_set_double(f, dst, v);
			else if (sum == SUM_MAX)
				fig_set_double(f, dst, v > had ? v : had);
			else if (sum == SUM_MIN)
				fig_set_double(f, dst, v < had ? v : had);
			else
				fig_set_double(f, dst, had + v);
		} else {
			uint64_t v = fig_u64(f, src), had = fig_u64(f, dst);

			if (!row_has(dst, f->id))
				fig_set_u64(f, dst, v);
			else if (sum == SUM_MAX)
				fig_set_u64(f, dst, v > had ? v : had);
			else if (sum == SUM_MIN)
				fig_set_u64(f, dst, v < had ? v : had);
			else if (f->limit && (v == UINT64_MAX || had == UINT64_MAX))
				fig_set_u64(f, dst, UINT64_MAX); /* a member without a limit: none */
			else
				fig_set_u64(f, dst, v > UINT64_MAX - 1 - had ? UINT64_MAX - 1 : had + v);
		}
		dst->valid |= FIELD_BIT(f->id);
	}
	if (src->io_source == IO_SRC_PROC || dst->io_source == IO_SRC_NONE)
		dst->io_source = src->io_source;
	if (dst->depth == 0 || src->depth < dst->depth)
		dst->depth = src->depth;
	/* a container's main cgroup says where its network is (its monitor's is the
	 * host's); a group counts the namespaces of its own containers */
	if (net_rank(row_net(src)->kind) > net_rank(row_net(dst)->kind)) {
		struct cg_net *n = row_net_mk(dst);

		n->kind = src->net->kind;
		n->holder = src->net->holder;
		n->ino = src->net->ino;
	}
}

void fig_add_row(struct cg_row *dst, const struct cg_row *src)
{
	add_row(dst, src, false);
}

void fig_add_group(struct cg_row *dst, const struct cg_row *src)
{
	add_row(dst, src, true);
}

fieldmask fig_rate_bits(void)
{
	fieldmask bits = 0;

	for (size_t i = 0; i < F_COUNT; i++)
		if (figures[i].kind == FIG_RATE || figures[i].kind == FIG_RATIO ||
		    figures[i].kind == FIG_DELTA)
			bits |= FIELD_BIT(figures[i].id);
	return bits;
}

fieldmask fig_estimate_bits(void)
{
	fieldmask bits = 0;

	for (size_t i = 0; i < F_COUNT; i++)
		if (figures[i].rec == REC_ESTIMATE)
			bits |= FIELD_BIT(figures[i].id);
	return bits;
}

/* The figures a container's engine gives, rather than its cgroups. */
#define LIFE_BITS                                                                              \
	(FIELD_BIT(F_CTR_STATE) | FIELD_BIT(F_CTR_HEALTH) | FIELD_BIT(F_CTR_RESTARTS) |            \
	 FIELD_BIT(F_CTR_RESTARTS_SEEN) | FIELD_BIT(F_CTR_EXIT_CODE) | FIELD_BIT(F_CTR_OOM_KILLED) | \
	 FIELD_BIT(F_CTR_STARTED_AT) | FIELD_BIT(F_CTR_FINISHED_AT))

const char *fig_state_text(const struct cg_row *r, char *buf, size_t len)
{
	const struct cg_life *life;
	char age[32];
	const char *word;

	if (!row_has(r, F_CTR_STATE) || (r->valid & ~LIFE_BITS))
		return NULL;
	life = row_life(r);
	word = ctr_state_word((unsigned)life->state);
	if (!word)
		return NULL;
	if ((life->state == CST_EXITED || life->state == CST_DEAD) && row_has(r, F_CTR_EXIT_CODE)) {
		if (row_has(r, F_CTR_FINISHED_AT) && life->now)
			snprintf(buf, len, "%s (%llu) %s", word, (unsigned long long)life->exit_code,
				 format_age(age, sizeof(age), life->now, life->finished_at));
		else
			snprintf(buf, len, "%s (%llu)", word, (unsigned long long)life->exit_code);
	} else {
		snprintf(buf, len, "%s", word);
	}
	return buf;
}

const char *view_kind_name(enum view_kind k)
{
	return k == VIEW_CONTAINER ? "container" : k == VIEW_GROUP ? "group" : "cgroup";
}

const char *io_source_name(enum io_source src)
{
	switch (src) {
	case IO_SRC_THROTTLE:
		return "blkio-throttle";
	case IO_SRC_CFQ:
		return "blkio-cfq";
	case IO_SRC_BFQ:
		return "blkio-bfq";
	case IO_SRC_IOSTAT:
		return "io.stat";
	case IO_SRC_PROC:
		return "proc";
	case IO_SRC_NONE:
		break;
	}
	return NULL;
}

const char *net_ns_name(enum net_ns_kind kind)
{
	switch (kind) {
	case NET_NS_OWN:
		return "own";
	case NET_NS_HOST:
		return "host";
	case NET_NS_SHARED:
		return "shared";
	case NET_NS_NONE:
		break;
	}
	return NULL;
}

/* The getters of the attributes: V's string to sanitize, an ID or word (clean), … */
static bool text(struct attr_val *v, const char *s)
{
	v->s = s;
	return s != NULL;
}

static bool word(struct attr_val *v, const char *s)
{
	v->clean = true;
	return text(v, s);
}

static bool number(struct attr_val *v, int64_t n)
{
	v->n = n;
	return true;
}

/* The container a row's pod and namespace are of: its container's, else its pod's. */
static const struct container_info *k8s_of(const struct view_row *r)
{
	return r->ctr ? r->ctr : r->pod;
}

static const struct container_meta *meta_of(const struct view_row *r)
{
	return r->ctr ? r->ctr->meta : NULL;
}

static bool get_time(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)r;
	return word(v, x->time);
}

static bool get_host(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)r;
	return text(v, x->host);
}

static bool get_iteration(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)r;
	return number(v, (int64_t)x->iteration);
}

static bool get_record_kind(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)r;
	return word(v, x->event ? "event" : NULL);
}

static bool get_event(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)r;
	return word(v, x->event);
}

static bool get_kind(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return word(v, view_kind_name(r->kind));
}

static bool get_name(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, r->name);
}

static bool get_path(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, r->path);
}

static bool get_depth(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return number(v, (int)r->fig->depth);
}

static bool get_group(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, r->kind == VIEW_GROUP ? r->name : NULL);
}

static bool get_id(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return word(v, r->ctr ? r->ctr->ref.id : NULL);
}

static bool get_short_id(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return word(v, r->ctr ? container_short_id(r->ctr) : NULL);
}

static bool get_message(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)r;
	return word(v, x->message);
}

static bool get_priority(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)r;
	return number(v, x->priority);
}

static bool get_runtime(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return word(v, r->ctr ? ctr_runtime_name(r->ctr->ref.runtime) : NULL);
}

static bool get_container_name(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, r->ctr ? container_name(r->ctr) : NULL);
}

static bool get_name_known(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	v->b = r->ctr && container_name(r->ctr) != NULL;
	return r->ctr != NULL;
}

static bool get_engine_name(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, meta_of(r) ? meta_of(r)->engine_name : NULL);
}

static bool get_image(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, meta_of(r) ? meta_of(r)->image : NULL);
}

static bool get_state(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, meta_of(r) ? meta_of(r)->state : NULL);
}

static bool get_health(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, meta_of(r) ? meta_of(r)->health : NULL);
}

static bool get_config_id(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, r->ctr ? container_label(r->ctr, "config_id") : NULL);
}

static bool get_managed_by(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, r->ctr ? container_label(r->ctr, "managed_by") : NULL);
}

static bool get_io_source(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return word(v, io_source_name((enum io_source)r->fig->io_source));
}

static bool get_net_ns(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, net_ns_name((enum net_ns_kind)row_net(r->fig)->kind));
}

static bool get_net_shared_with(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, r->net_shared_with);
}

static bool get_containers(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return r->kind == VIEW_GROUP && number(v, (int64_t)r->ngroup);
}

static bool get_health_log(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	const struct container_meta *m = meta_of(r);

	(void)x;
	return text(v, m && m->life.health_log[0] ? m->life.health_log : NULL);
}

static bool get_container(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	(void)v;
	return r->ctr != NULL;
}

static bool get_pod(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, container_k8s_pod(k8s_of(r)));
}

static bool get_namespace(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	return text(v, container_k8s_namespace(k8s_of(r)));
}

static bool get_main_pid(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	const struct container_meta *m = meta_of(r);

	(void)x;
	return m && m->main_pid > 0 && number(v, m->main_pid);
}

static bool get_labels(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	const struct container_meta *m = meta_of(r);

	(void)x;
	if (!m)
		return false;
	v->keys = m->label_keys;
	v->vals = m->label_values;
	v->count = m->nlabels;
	return true;
}

static bool get_cgroups(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	if (!r->ctr)
		return false;
	/* "HIERARCHY:PATH", made from the container's paths and hierarchy bits */
	v->count = container_cgroup_count(r->ctr);
	v->owned_vals = xcalloc(v->count ? v->count : 1, sizeof(*v->owned_vals));
	for (size_t i = 0; i < v->count; i++) {
		char hp[4096 + 256];

		v->owned_vals[i] = xstrdup(container_cgroup_text(r->ctr, i, hp, sizeof(hp)));
	}
	v->vals = v->owned_vals;
	return true;
}

static bool get_paunch_command(const struct view_row *r, const struct attr_ctx *x, struct attr_val *v)
{
	(void)x;
	v->owned = r->ctr ? container_paunch_command(r->ctr) : NULL;
	return text(v, v->owned);
}

/* Where a row object differs from the other outputs. */
static bool row_is_group(const struct view_row *r)
{
	return r->kind == VIEW_GROUP;
}

static bool row_is_container(const struct view_row *r)
{
	return r->ctr != NULL;
}

/* a pod's own cgroup (--all): a container's row has its pod in its container object */
static bool row_is_pod_cgroup(const struct view_row *r)
{
	return !r->ctr && r->pod && r->pod->path == r->path;
}

/* the journal names an I/O source only beside the I/O figures it is the source of */
static bool row_has_io(const struct view_row *r)
{
	return row_has(r->fig, F_IO_RBPS) || row_has(r->fig, F_IO_RBYTES);
}

/* the journal keeps the health log for the event that made it: unhealthy */
static bool row_turned_unhealthy(const struct view_row *r)
{
	return (row_life(r->fig)->events & CTR_EV_UNHEALTHY) != 0;
}

#define ROW ATTR_IN(AOBJ_ROW)
#define EVENTS (ATTR_IN(AOBJ_EVENT) | ATTR_IN(AOBJ_LIFE))
#define ALL (ROW | EVENTS)
#define IN(row, event, life, ctr) { [AOBJ_ROW] = row, [AOBJ_EVENT] = event, [AOBJ_LIFE] = life, \
				    [AOBJ_CONTAINER] = ctr }

const struct row_attr row_attrs[] = {
	{ .json = IN("time", "time", "time", NULL), .get = get_time },
	{ .json = IN("host", "host", "host", NULL), .get = get_host,
	  .journal = "CGTOP_HOST", .journal_in = ALL, .label = "host", .label_pos = 1 },
	{ .json = IN("iteration", "iteration", "iteration", NULL), .type = ATTR_INT, .get = get_iteration,
	  .journal = "CGTOP_ITERATION", .journal_in = ALL },
	/* what the object is: an event (a row's kind says what the row is) */
	{ .json = IN(NULL, "kind", "kind", NULL), .get = get_record_kind },
	{ .json = IN(NULL, "event", "event", NULL), .get = get_event,
	  .journal = "CGTOP_EVENT", .journal_in = EVENTS },
	{ .json = IN("kind", "row_kind", "row_kind", NULL), .get = get_kind,
	  .journal = "CGTOP_KIND", .journal_in = ALL, .label = "kind", .label_pos = 10 },
	{ .json = IN("name", "name", "name", NULL), .get = get_name, .label = "name", .label_pos = 3 },
	{ .json = IN("path", "path", NULL, NULL), .get = get_path,
	  .journal = "CGTOP_PATH", .journal_in = ALL, .label = "path", .label_pos = 2 },
	{ .json = IN("depth", NULL, NULL, NULL), .type = ATTR_INT, .get = get_depth },
	/* the journal's name of a group row */
	{ .get = get_group, .journal = "CGTOP_GROUP", .journal_in = ALL },
	{ .json = IN(NULL, NULL, NULL, "id"), .get = get_id,
	  .journal = "CGTOP_CONTAINER_ID_FULL", .journal_in = ALL },
	{ .json = IN(NULL, "container_id", "container_id", "short_id"), .get = get_short_id,
	  .journal = "CGTOP_CONTAINER_ID", .journal_in = ALL, .label = "container_id", .label_pos = 4 },
	{ .json = IN(NULL, "message", "message", NULL), .get = get_message },
	{ .json = IN(NULL, NULL, "priority", NULL), .type = ATTR_INT, .get = get_priority },
	{ .json = IN(NULL, NULL, NULL, "runtime"), .get = get_runtime },
	{ .json = IN(NULL, NULL, NULL, "name"), .get = get_container_name,
	  .journal = "CGTOP_CONTAINER_NAME", .journal_in = ALL },
	{ .json = IN(NULL, NULL, NULL, "name_known"), .type = ATTR_BOOL, .get = get_name_known },
	{ .json = IN(NULL, NULL, NULL, "engine_name"), .get = get_engine_name },
	{ .json = IN(NULL, NULL, NULL, "image"), .get = get_image,
	  .journal = "CGTOP_IMAGE", .journal_in = ALL, .label = "image", .label_pos = 5 },
	{ .json = IN(NULL, NULL, NULL, "state"), .get = get_state },
	{ .json = IN(NULL, NULL, NULL, "health"), .get = get_health },
	{ .json = IN(NULL, NULL, NULL, "config_id"), .get = get_config_id,
	  .journal = "CGTOP_CONFIG_ID", .journal_in = ALL, .label = "config_id", .label_pos = 6 },
	{ .json = IN(NULL, NULL, NULL, "managed_by"), .get = get_managed_by,
	  .label = "managed_by", .label_pos = 7 },
	/* after the figures */
	{ .json = IN("io_source", NULL, NULL, NULL), .json_tail = true, .get = get_io_source,
	  .journal = "CGTOP_IO_SOURCE", .journal_in = ALL, .journal_if = row_has_io },
	{ .json = IN("network_namespace", NULL, NULL, NULL), .json_tail = true, .get = get_net_ns,
	  .journal = "CGTOP_NETWORK_NAMESPACE", .journal_in = ALL },
	{ .json = IN("network_shared_with", NULL, NULL, NULL), .json_tail = true,
	  .get = get_net_shared_with, .journal = "CGTOP_NETWORK_SHARED_WITH", .journal_in = ALL },
	{ .json = IN("containers", NULL, NULL, NULL), .json_tail = true, .type = ATTR_INT,
	  .row_if = row_is_group, .get = get_containers,
	  .journal = "CGTOP_GROUP_CONTAINERS", .journal_in = ALL },
	{ .json = IN(NULL, NULL, "health_log", NULL), .json_tail = true, .get = get_health_log,
	  .journal = "CGTOP_HEALTH_LOG", .journal_in = ATTR_IN(AOBJ_LIFE),
	  .journal_if = row_turned_unhealthy },
	{ .json = IN("container", NULL, "container", NULL), .json_tail = true, .type = ATTR_OBJECT,
	  .row_if = row_is_container, .get = get_container },
	{ .json = IN("pod", NULL, NULL, "pod"), .json_tail = true, .row_if = row_is_pod_cgroup,
	  .get = get_pod, .journal = "CGTOP_POD", .journal_in = ALL, .label = "pod", .label_pos = 9 },
	{ .json = IN("namespace", NULL, NULL, "namespace"), .json_tail = true,
	  .row_if = row_is_pod_cgroup, .get = get_namespace,
	  .journal = "CGTOP_NAMESPACE", .journal_in = ALL, .label = "namespace", .label_pos = 8 },
	{ .json = IN(NULL, NULL, NULL, "main_pid"), .type = ATTR_INT, .get = get_main_pid },
	/* an event's labels last in its journal entry: those past its room are left out */
	{ .json = IN(NULL, NULL, NULL, "labels"), .type = ATTR_MAP, .get = get_labels,
	  .journal = "CGTOP_LABEL_", .journal_in = EVENTS },
	{ .json = IN(NULL, NULL, NULL, "cgroups"), .type = ATTR_LIST, .get = get_cgroups },
	{ .json = IN(NULL, NULL, NULL, "paunch_command"), .get = get_paunch_command },
};
const size_t row_attrs_n = ARRAY_SIZE(row_attrs);

#undef ROW
#undef EVENTS
#undef ALL
#undef IN

const struct row_attr *attr_by_label_pos(int pos)
{
	for (size_t i = 0; i < row_attrs_n; i++)
		if (row_attrs[i].label && row_attrs[i].label_pos == pos)
			return &row_attrs[i];
	return NULL;
}

void attr_val_free(struct attr_val *v)
{
	for (size_t i = 0; v->owned_vals && i < v->count; i++)
		free(v->owned_vals[i]);
	free(v->owned_vals);
	free(v->owned);
	*v = (struct attr_val){ 0 };
}
