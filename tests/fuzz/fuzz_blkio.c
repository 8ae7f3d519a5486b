/* Fuzz target: the v1 blkio files ("MAJ:MIN Read N" lines and "Total N"):
 * throttle.io_service_bytes_recursive, io_serviced, the CFQ and BFQ ones. */
#include "config.h"

#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct blkio_rw rw;

	if (parse_blkio_rwstat((const char *)data, size, &rw) == 0 && rw.ndevices > size)
		abort(); /* a device is counted per line: never more than the bytes */
	return 0;
}
