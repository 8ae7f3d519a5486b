/* Small helpers shared by every module: cleanup attributes, growable buffers. */
#ifndef CGTOP_UTIL_H
#define CGTOP_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* A path's hash, built up a component ("/name", its slash first) at a time:
 * PATH_HASH_INIT for the path "", path_hash_add(H, "/name", LEN) for H's path and
 * "/name" after it. Eight bytes a step (FNV-1a's byte a step was a tenth of a refresh's
 * instructions at 10,000 cgroups); only ever compared with hashes made the same way
 * (snapshot_path_hash() cuts a whole path into its components), never written to a file
 * or a recording: a change of the function changes no output. (The engine worker also
 * hashes container IDs with it, meta_store.c and meta_fetch.c, within one run.) */
#define PATH_HASH_INIT FNV1A_INIT
static inline uint64_t path_hash_add(uint64_t h, const char *p, size_t len)
{
	uint64_t w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ull;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, p, len);
	h = (h ^ w ^ ((uint64_t)len << 56)) * 0xBF58476D1CE4E5B9ull; /* the length: "ab", "ab\0" */
	/* the rest of splitmix64's finalizer: a product carries a byte's change only upward,
	 * and tables index by the low bits ("/node-1" … "/node-z" shared one slot) */
	h ^= h >> 27;
	h *= 0x94D049BB133111EBull;
	return h ^ (h >> 31);
}

/* A growable byte buffer, reused across reads so a refresh does not churn memory. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

int buf_reserve(struct buf *b, size_t want);
void buf_free(struct buf *b);

/* Write LEN bytes at P to FD, whole, retrying after EINTR; 0 or -errno (-ENOSPC when
 * nothing more is taken). */
int write_all(int fd, const void *p, size_t len);
/* Read FD to its end into B (NUL-terminated), at most MAX bytes (-EFBIG past them):
 * cgroupfs and procfs files report size 0, and a pipe has none. Its length or -errno. */
ssize_t read_all(int fd, size_t max, struct buf *b);

/* A bump allocator for many small things that die together (a refresh's container
 * IDs): no per-item header, freed or emptied at once. Emptying keeps the chunks, so a
 * refresh like the last one allocates nothing. Pointers stay valid until then. */
struct arena_chunk;
struct arena {
	struct arena_chunk *head; /* all chunks, the one being filled first */
	struct arena_chunk *cur;
};

void *arena_alloc(struct arena *a, size_t n, size_t align);
char *arena_strdup(struct arena *a, const char *s);
/* N zeroed bytes, aligned for any type (the blocks of rows: snapshot.h). */
void *arena_zalloc(struct arena *a, size_t n);
/* Empty A, keeping its chunks for the next items. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

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
