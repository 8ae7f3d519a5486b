/* Fuzz target: the CPU quota files: cpu.cfs_quota_us (v1) and cpu.max (v2)
 * (parse_cfs_quota, parse_cpu_max), and the quota as nano-CPUs. */
#include "config.h"

#include <stdbool.h>

#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	uint64_t quota, period, n;
	bool unlimited;

	if (parse_cfs_quota(buf, size, &quota, &unlimited) == 0 && !unlimited)
		cpu_quota_nanocpus(quota, 100000, &n);
	if (parse_cpu_max(buf, size, &quota, &period, &unlimited) == 0 && !unlimited)
		cpu_quota_nanocpus(quota, period, &n);
	return 0;
}
