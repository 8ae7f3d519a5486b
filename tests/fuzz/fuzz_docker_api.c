/* Fuzz target: the answer of GET /containers/json (Docker, podman's compat and libpod
 * lists: meta_parse_containers_json). */
#include "config.h"

#include "fuzz.h"
#include "meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct meta_list l = { 0 };

	meta_parse_containers_json((const char *)data, size, &l);
	for (size_t k = 0; k < l.n; k++) {
		fuzz_touch(l.v[k].id);
		fuzz_touch(l.v[k].name);
		fuzz_touch(l.v[k].image);
		for (size_t i = 0; i < l.v[k].nlabels; i++)
			fuzz_touch(l.v[k].label_keys[i]), fuzz_touch(l.v[k].label_values[i]);
	}
	meta_list_free(&l);
	return 0;
}
