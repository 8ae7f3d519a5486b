/* Fuzz target: docker's containers/<id>/config.v2.json (meta_parse_config_v2). */
#include "config.h"

#include "fuzz.h"
#include "meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct container_meta m;

	if (meta_parse_config_v2((const char *)data, size, &m) == 0) {
		fuzz_touch(m.id);
		fuzz_touch(m.name);
		for (size_t i = 0; i < m.nlabels; i++)
			fuzz_touch(m.label_keys[i]), fuzz_touch(m.label_values[i]);
		container_meta_free(&m);
	}
	return 0;
}
