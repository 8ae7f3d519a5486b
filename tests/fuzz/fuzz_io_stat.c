/* Fuzz target: the v2 io.stat ("MAJ:MIN rbytes=N wbytes=N ..." per device). */
#include "config.h"

#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct io_stat io;

	if (parse_io_stat((const char *)data, size, &io) == 0 && io.ndevices > size)
		abort();
	return 0;
}
