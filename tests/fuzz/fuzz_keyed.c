/* Fuzz target: single-value and keyed cgroup files: cpuacct.usage, pids.current,
 * memory.max ("max"), cpu.stat, memory.events, memory.oom_control, pids.events
 * (parse_u64, parse_u64_or_max, parse_keyed_u64). */
#include "config.h"

#include <stdbool.h>

#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	uint64_t v;
	bool unlimited;

	parse_u64(buf, size, &v);
	parse_u64_or_max(buf, size, &v, &unlimited);
	parse_keyed_u64(buf, size, "usage_usec", &v);
	parse_keyed_u64(buf, size, "nr_throttled", &v);
	parse_keyed_u64(buf, size, "user", &v); /* cpuacct.stat */
	parse_keyed_u64(buf, size, "throttled_time", &v);
	parse_keyed_u64(buf, size, "oom_kill", &v);
	parse_keyed_u64(buf, size, "max", &v);
	return 0;
}
