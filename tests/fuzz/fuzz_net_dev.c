/* Fuzz target: /proc/<pid>/net/dev (parse_net_dev) and the namespace links' text
 * (parse_ns_link). */
#include "config.h"

#include "fuzz.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_dev d;
	uint64_t ino;

	parse_net_dev((const char *)data, size, &d);
	parse_ns_link((const char *)data, size, "net", &ino);
	return 0;
}
