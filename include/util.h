/* Small helpers shared by every module: cleanup attributes, growable buffers. */
#ifndef CGTOP_UTIL_H
#define CGTOP_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void freep(void *p)
{
	free(*(void **)p);
}
#define _cleanup_free_ __attribute__((cleanup(freep)))

/* FNV-1a, continued from H over P: a path's hash can be built up component by component. */
#define FNV1A_INIT 1469598103934665603ull
static inline uint64_t fnv1a(uint64_t h, const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* A growable byte buffer, reused across reads so a refresh does not churn memory. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

int buf_reserve(struct buf *b, size_t want);
void buf_free(struct buf *b);

/* Monotonic and wall clocks in nanoseconds. */
uint64_t now_monotonic_ns(void);
uint64_t now_realtime_ns(void);

/* Allocation that cannot fail quietly: on out-of-memory cgtop prints and exits. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
