/* Fuzz target: pressure files: cpu.pressure, memory.pressure, io.pressure and
 * /proc/pressure's (parse_psi). */
#include "config.h"

#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct psi_totals t;

	parse_psi((const char *)data, size, &t);
	return 0;
}
