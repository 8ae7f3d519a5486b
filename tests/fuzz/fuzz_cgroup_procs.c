/* Fuzz target: cgroup.procs and tasks (parse_pid_list: sorted, unique PIDs). */
#include "config.h"

#include <sys/types.h>

#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pid_t *pids = NULL;
	size_t cap = 0;
	ssize_t n = parse_pid_list((const char *)data, size, &pids, &cap);

	/* what it returns is sorted, unique and positive */
	for (ssize_t i = 0; i < n; i++)
		if (pids[i] <= 0 || (i > 0 && pids[i] <= pids[i - 1]))
			abort();
	free(pids);
	return 0;
}
