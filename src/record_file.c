/* Recordings on disk: a recorder appends one encoded sample per write(2); a recording is
 * mapped, indexed, and stepped through with its rates (the bytes are record_codec.c's). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "record_file.h"

/* ---- writing a file ---- */

struct recorder {
	int fd;
	struct rec_encoder *enc;
	struct buf out;
	uint64_t bytes;
};

int recorder_open(struct recorder **out, const char *path, bool append)
{
	struct recorder *r;
	struct stat st;
	int fd, e;

	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_EXCL), 0644);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		e = -errno;
		close(fd);
		return e;
	}
	r = xcalloc(1, sizeof(*r));
	r->fd = fd;
	r->enc = rec_encoder_new();
	if (append && st.st_size > 0) {
		unsigned char h[REC_HEADER_LEN];
		uint32_t version;
		int rfd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t got = rfd < 0 ? -1 : pread(rfd, h, sizeof(h), 0);

		if (rfd >= 0)
			close(rfd);
		e = got < 0 ? -EIO : rec_check_header(h, (size_t)got, &version);
		if (e == 0 && version != REC_VERSION)
			e = -EPROTONOSUPPORT;
		if (e < 0) {
			recorder_close(r);
			return e;
		}
		r->bytes = (uint64_t)st.st_size;
	} else {
		rec_encode_header(&r->out, REC_VERSION);
		e = write_all(fd, r->out.data, r->out.len);
		if (e < 0) {
			recorder_close(r);
			return e;
		}
		r->bytes = r->out.len;
	}
	*out = r;
	return 0;
}

int recorder_write(struct recorder *r, const struct snapshot *s, enum cg_mode mode,
		   const struct ctr_table *ctrs)
{
	int e;

	r->out.len = 0;
	rec_encode_sample(r->enc, &r->out, s, mode, ctrs);
	e = write_all(r->fd, r->out.data, r->out.len);
	if (e == 0)
		r->bytes += r->out.len;
	else if (ftruncate(r->fd, (off_t)r->bytes) < 0) {
		/* the part written stays: a replay stops there and says so */
	}
	return e;
}

uint64_t recorder_bytes(const struct recorder *r)
{
	return r->bytes;
}

void recorder_close(struct recorder *r)
{
	if (!r)
		return;
	close(r->fd);
	rec_encoder_free(r->enc);
	buf_free(&r->out);
	free(r);
}

/* ---- reading a file ---- */

/* Map PATH (a recording may be big: pages are read as samples are). */
static int map_file(const char *path, unsigned char **data, size_t *len)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		e = -errno;
		close(fd);
		return e;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL; /* a recording is a file */
	}
	*len = (size_t)st.st_size;
	*data = NULL;
	if (*len == 0) {
		close(fd);
		return 0;
	}
	p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
	e = p == MAP_FAILED ? -errno : 0;
	close(fd);
	if (e == 0)
		*data = p;
	return e;
}

/* map_file() undone. */
static void unmap_file(unsigned char *data, size_t len)
{
	if (data)
		munmap(data, len);
}

int recording_open(struct recording *r, const char *path, uint32_t *version)
{
	size_t off, cap = 0;
	int e;

	memset(r, 0, sizeof(*r));
	r->cur_i = r->prev_i = -1;
	e = map_file(path, &r->data, &r->len);
	if (e < 0)
		return e;
	e = rec_check_header(r->data, r->len, version);
	if (e < 0) {
		unmap_file(r->data, r->len);
		r->data = NULL;
		return e;
	}
	r->path = xstrdup(path);
	for (off = REC_HEADER_LEN; off < r->len;) {
		struct rec_sample rs;
		size_t used;

		if (rec_decode_sample(r->data + off, r->len - off, &used, &rs) < 0) {
			r->damaged = true;
			r->damaged_at = off;
			break;
		}
		if (r->n == cap) {
			cap = cap ? cap * 2 : 64;
			r->offsets = xrealloc(r->offsets, cap * sizeof(*r->offsets));
			r->real_ns = xrealloc(r->real_ns, cap * sizeof(*r->real_ns));
		}
		r->offsets[r->n] = off;
		r->real_ns[r->n] = rs.snap->real_ns;
		r->n++;
		rec_sample_free(&rs);
		off += used;
	}
	return 0;
}

void recording_close(struct recording *r)
{
	rec_sample_free(&r->cur);
	rec_sample_free(&r->prev);
	free(r->path);
	unmap_file(r->data, r->len);
	free(r->offsets);
	free(r->real_ns);
	memset(r, 0, sizeof(*r));
}

/* Decode sample I of R into OUT, sharing its paths with BEFORE's (may be NULL). */
static void load(struct recording *r, size_t i, struct rec_sample *out, struct rec_sample *before)
{
	size_t used;

	/* every record was read once by recording_open(): this cannot fail */
	if (rec_decode_sample_after(r->data + r->offsets[i], r->len - r->offsets[i], &used, out,
				    before) < 0)
		abort();
}

const struct rec_sample *recording_seek(struct recording *r, size_t i)
{
	struct rec_sample tmp;

	if (i >= r->n)
		return NULL;
	if (r->cur_i == (ssize_t)i)
		return &r->cur;
	if (r->cur_i >= 0 && (size_t)r->cur_i + 1 == i) {
		/* the usual step forward: the current sample becomes the one before */
		tmp = r->prev;
		r->prev = r->cur;
		r->prev_i = r->cur_i;
		memset(&r->cur, 0, sizeof(r->cur));
		rec_sample_free(&tmp);
	} else {
		rec_sample_free(&r->prev);
		r->prev_i = -1;
		if (i > 0) {
			load(r, i - 1, &r->prev, NULL);
			r->prev_i = (ssize_t)i - 1;
		}
	}
	rec_sample_free(&r->cur);
	load(r, i, &r->cur, r->prev_i >= 0 ? &r->prev : NULL);
	r->cur_i = (ssize_t)i;
	rec_sample_compute_rates(&r->cur, r->prev_i >= 0 ? &r->prev : NULL);
	return &r->cur;
}

size_t recording_find_time(struct recording *r, uint64_t real_ns)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->real_ns[i] >= real_ns)
			return i;
	return r->n ? r->n - 1 : 0;
}

const char *recording_damage_message(const struct recording *r, char *buf, size_t len)
{
	snprintf(buf, len, "recording damaged at byte %zu (sample %zu): replayed %zu samples",
		 r->damaged_at, r->n + 1, r->n);
	return buf;
}

/* "[.fraction]" at *P into nanoseconds. */
static uint64_t parse_fraction(const char **p)
{
	uint64_t ns = 0, scale = 100000000u;

	if (**p != '.' && **p != ',')
		return 0;
	for ((*p)++; **p >= '0' && **p <= '9'; (*p)++) {
		ns += (uint64_t)(**p - '0') * scale;
		scale /= 10;
	}
	return ns;
}

int recording_parse_time(const char *s, uint64_t ref_ns, uint64_t *out)
{
	struct tm tm;
	const char *p;
	time_t t;
	uint64_t frac;

	while (*s == ' ')
		s++;
	memset(&tm, 0, sizeof(tm));
	if ((p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) || (p = strptime(s, "%Y-%m-%d %H:%M:%S", &tm))) {
		long off = 0;

		frac = parse_fraction(&p);
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if ((*p == '+' || *p == '-') && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
			   p[3] == ':' && p[4] >= '0' && p[4] <= '9' && p[5] >= '0' && p[5] <= '9') {
			off = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600L + ((p[4] - '0') * 10 + (p[5] - '0')) * 60L;
			if (*p == '-')
				off = -off;
			p += 6;
		} else {
			return -EINVAL; /* RFC 3339 says which zone */
		}
		while (*p == ' ')
			p++;
		if (*p)
			return -EINVAL;
		t = timegm(&tm);
		if (t == (time_t)-1 || t - off < 0)
			return -EINVAL;
		*out = (uint64_t)(t - off) * 1000000000u + frac;
		return 0;
	}
	/* HH:MM:SS on the day of the reference, local time as the header shows it */
	{
		time_t ref = (time_t)(ref_ns / 1000000000u);
		struct tm day;

		localtime_r(&ref, &day);
		memset(&tm, 0, sizeof(tm));
		p = strptime(s, "%H:%M:%S", &tm);
		if (!p)
			return -EINVAL;
		frac = parse_fraction(&p);
		while (*p == ' ')
			p++;
		if (*p)
			return -EINVAL;
		day.tm_hour = tm.tm_hour;
		day.tm_min = tm.tm_min;
		day.tm_sec = tm.tm_sec;
		day.tm_isdst = -1;
		t = mktime(&day);
		if (t == (time_t)-1 || t < 0)
			return -EINVAL;
		*out = (uint64_t)t * 1000000000u + frac;
		return 0;
	}
}
