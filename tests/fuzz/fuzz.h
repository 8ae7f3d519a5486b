/* Shared by the fuzz targets: each defines LLVMFuzzerTestOneInput() over one parser.
 * Built with --enable-fuzzing, libFuzzer drives it; in a normal build replay.c does, over
 * the files kept in tests/fuzz/regress/<target>/ and the seeds (make check). */
#ifndef CGTOP_FUZZ_H
#define CGTOP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of the input, for the functions that take C strings. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Touch every byte of a string a parser handed back, so a bad pointer shows at once. */
static inline size_t fuzz_touch(const char *s)
{
	return s ? strlen(s) : 0;
}

#endif
