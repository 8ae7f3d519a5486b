/* Fuzz target: /proc/<pid>/stat (parse_proc_stat: comm may hold ')' and spaces), and the
 * one-line /proc files beside it (loadavg, uptime). */
#include "config.h"

#include "fuzz.h"
#include "parse.h"
#include "parse_procs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proc_stat st;
	double load[3], up;
	uint64_t ntasks;

	if (parse_proc_stat((const char *)data, size, &st) == 0 && fuzz_touch(st.comm) >= sizeof(st.comm))
		abort(); /* comm must stay NUL-terminated within its array */
	parse_loadavg((const char *)data, size, load, &ntasks);
	parse_uptime((const char *)data, size, &up);
	return 0;
}
