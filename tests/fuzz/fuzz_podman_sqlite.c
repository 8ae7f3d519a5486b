/* Fuzz target: podman 5's db.sql (podman_sqlite_list): libsqlite3 over a copy in memory,
 * with the file's schema distrusted, then libpod's JSON through json-c. */
#include "config.h"

#include "fuzz.h"
#include "podman_db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct meta_list l = { 0 };

	podman_sqlite_list(data, size, &l);
	for (size_t k = 0; k < l.n; k++)
		fuzz_touch(l.v[k].id), fuzz_touch(l.v[k].name), fuzz_touch(l.v[k].image);
	meta_list_free(&l);
	return 0;
}
