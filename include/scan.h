/* Scanning helpers shared by the parsers: lines and numbers in [p, end), never past end.
 * Internal to parse.c and parse_procs.c. */
#ifndef CGTOP_SCAN_H
#define CGTOP_SCAN_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* The next line of [*p, end) without its newline; false at the end. */
static inline bool next_line(const char **p, const char *end, const char **line, size_t *len)
{
	const char *nl;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	*line = *p;
	*len = nl ? (size_t)(nl - *p) : (size_t)(end - *p);
	*p = nl ? nl + 1 : end;
	return true;
}

/* Parse decimal digits at [*p, end) into *out; advances *p. -EINVAL or -ERANGE. */
static inline int take_u64(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	const char *s = *p;

	if (s >= end || *s < '0' || *s > '9')
		return -EINVAL;
	while (s < end && *s >= '0' && *s <= '9') {
		unsigned d = (unsigned)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
		s++;
	}
	*p = s;
	*out = v;
	return 0;
}

#endif
