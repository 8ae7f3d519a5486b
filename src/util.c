/* Small helpers shared by every module. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static void oom(void)
{
	fputs("cgtop: out of memory\n", stderr);
	exit(1);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom();
	return q;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	/* never past N bytes: callers pass buffers that are not NUL-terminated (strndup
	 * may be given those too, but sanitizers' strict string checks read to a NUL) */
	const char *nul = memchr(s, '\0', n);
	size_t len = nul ? (size_t)(nul - s) : n;
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* Grow B so it can hold WANT bytes plus a terminating NUL. */
int buf_reserve(struct buf *b, size_t want)
{
	size_t cap;

	if (want + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < want + 1) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
	return 0;
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Chunks are kept in a list in the order they were made; CUR is the one being filled,
 * those after it are empty (after a reset) and filled next. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

#define ARENA_CHUNK (64u * 1024u - sizeof(struct arena_chunk) - 64u)

void *arena_alloc(struct arena *a, size_t n, size_t align)
{
	struct arena_chunk *c = a->cur;
	size_t at;

	for (;;) {
		if (c) {
			at = (c->used + align - 1) & ~(align - 1);
			if (at <= c->cap && n <= c->cap - at) {
				c->used = at + n;
				a->cur = c;
				return (char *)c->data + at;
			}
			if (c->next) {
				c = c->next;
				c->used = 0;
				continue;
			}
		}
		/* a new chunk at the end of the list: big enough for N */
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		struct arena_chunk *nc = xmalloc(sizeof(*nc) + cap);

		nc->next = NULL;
		nc->used = 0;
		nc->cap = cap;
		if (c)
			c->next = nc;
		else
			a->head = nc;
		c = nc;
	}
}

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n, _Alignof(max_align_t));

	memset(p, 0, n);
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	size_t len = strlen(s);
	char *p = arena_alloc(a, len + 1, 1);

	memcpy(p, s, len + 1);
	return p;
}

void arena_reset(struct arena *a)
{
	a->cur = a->head;
	if (a->cur)
		a->cur->used = 0;
}

void arena_free(struct arena *a)
{
	for (struct arena_chunk *c = a->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = a->cur = NULL;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t now_monotonic_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t now_realtime_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

/* Write LEN bytes at P to FD, whole, retrying after EINTR; 0 or -errno. */
int write_all(int fd, const void *p, size_t len)
{
	const char *c = p;

	while (len) {
		ssize_t w = write(fd, c, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -ENOSPC;
		c += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Read all of FD into B, at most MAX bytes (-EFBIG past them). cgroupfs and procfs files
 * report size 0, so read until EOF. */
ssize_t read_all(int fd, size_t max, struct buf *b)
{
	b->len = 0;
	for (;;) {
		ssize_t n;

		if (buf_reserve(b, b->len + 4096) < 0)
			return -ENOMEM;
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (b->len > max)
			return -EFBIG;
	}
	b->data[b->len] = '\0';
	return (ssize_t)b->len;
}
