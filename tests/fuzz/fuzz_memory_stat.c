/* Fuzz target: memory.stat (v1 total_* and v2 keys) and /proc/meminfo, as the sampler
 * reads them for the working set, the cache and the v2 root's memory. */
#include "config.h"

#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "total_inactive_file", "total_cache", "inactive_file", "file",
					    "total_rss", "anon" };
	const char *buf = (const char *)data;
	uint64_t v;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		parse_keyed_u64(buf, size, keys[i], &v);
	parse_meminfo(buf, size, "MemTotal", &v);
	parse_meminfo(buf, size, "MemAvailable", &v);
	return 0;
}
