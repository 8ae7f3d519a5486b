/*
 * touchmem MIB: allocate MIB mebibytes, write to every page so that all of
 * it is resident and charged to the memory cgroup, print "ready" on stdout
 * and sleep until killed.  Test helper for cgtop's live test.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	unsigned long mib;
	size_t len;
	char *buf;

	if (argc != 2) {
		fprintf(stderr, "usage: touchmem MIB\n");
		return 2;
	}
	errno = 0;
	mib = strtoul(argv[1], &end, 10);
	if (errno != 0 || end == argv[1] || *end != '\0' || mib == 0 ||
	    mib > 1024UL * 1024UL) {
		fprintf(stderr, "touchmem: bad size '%s'\n", argv[1]);
		return 2;
	}
	len = (size_t)mib * 1024U * 1024U;
	buf = malloc(len);
	if (buf == NULL) {
		fprintf(stderr, "touchmem: cannot allocate %lu MiB\n", mib);
		return 1;
	}
	/* Non-zero so that no page can stay mapped to the shared zero page. */
	memset(buf, 0xa5, len);
	/* Keep the compiler from discarding the writes. */
	if (((volatile char *)buf)[len - 1] != (char)0xa5)
		return 1;

	if (printf("ready\n") < 0 || fflush(stdout) != 0)
		return 1;
	for (;;)
		pause();
	return 0;
}
