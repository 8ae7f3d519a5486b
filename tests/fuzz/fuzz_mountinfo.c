/* Fuzz target: /proc/self/mountinfo (parse_mountinfo), the first file cgtop reads. */
#include "config.h"

#include "fuzz.h"
#include "parse.h"

/* Look at every field the parser hands out, as hierarchy discovery does. */
static int on_mount(const struct mountinfo_entry *e, void *ud)
{
	size_t *n = ud;

	*n += fuzz_touch(e->root) + fuzz_touch(e->mount_point) + fuzz_touch(e->fstype) +
	      fuzz_touch(e->source) + fuzz_touch(e->super_opts);
	if (opts_has(e->super_opts, "cpuacct"))
		(*n)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	unsigned bad = 0;

	parse_mountinfo((const char *)data, size, on_mount, &n, &bad);
	return 0;
}
