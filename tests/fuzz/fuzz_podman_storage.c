/* Fuzz target: podman's <storage>/overlay-containers/containers.json
 * (meta_parse_podman_storage). */
#include "config.h"

#include "fuzz.h"
#include "meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct meta_list l = { 0 };

	meta_parse_podman_storage((const char *)data, size, &l);
	for (size_t k = 0; k < l.n; k++)
		fuzz_touch(l.v[k].id), fuzz_touch(l.v[k].name), fuzz_touch(l.v[k].image);
	meta_list_free(&l);
	return 0;
}
