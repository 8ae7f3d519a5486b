/* Fuzz target: /proc/<pid>/cgroup (parse_proc_cgroup) and /proc/cgroups (parse_proc_cgroups). */
#include "config.h"

#include <stdbool.h>

#include "fuzz.h"
#include "parse.h"

/* Every line's fields, touched. */
static int on_line(int id, const char *controllers, const char *path, void *ud)
{
	size_t *n = ud;

	*n += (size_t)(id >= 0) + fuzz_touch(controllers) + fuzz_touch(path);
	return 0;
}

/* Every controller's fields, touched. */
static int on_ctl(const char *name, int hierarchy, unsigned long num, bool enabled, void *ud)
{
	size_t *n = ud;

	*n += fuzz_touch(name) + (size_t)hierarchy + num + enabled;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;

	parse_proc_cgroup((const char *)data, size, on_line, &n);
	parse_proc_cgroups((const char *)data, size, on_ctl, &n);
	return 0;
}
