/* Fuzz target: container identity from a cgroup path (cgpath_container_id) and systemd
 * unit name unescaping (unit_unescape). Both take C strings: the input is cut at a NUL. */
#include "config.h"

#include "container.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_cstr(data, size);
	struct container_ref ref;
	char *u;

	if (cgpath_container_id(path, &ref) && fuzz_touch(ref.id) >= sizeof(ref.id))
		abort();
	u = unit_unescape(path);
	if (strlen(u) > strlen(path))
		abort(); /* unescaping never makes a name longer */
	free(u);
	free(path);
	return 0;
}
