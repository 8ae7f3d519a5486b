/* Recordings on disk: every sample written to a file while cgtop runs (one write(2) per
 * sample), and the file read back, indexed and stepped through for a replay elsewhere.
 * The bytes themselves are record_codec.h's. */
#ifndef CGTOP_RECORD_FILE_H
#define CGTOP_RECORD_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "container.h"
#include "hierarchy.h"
#include "record_codec.h"
#include "snapshot.h"

/* --- writing a file ------------------------------------------------------------------- */

struct recorder;
/* Create PATH for a new recording (O_EXCL: an existing file is refused, -EEXIST), or with
 * APPEND add to an existing recording of this version (or create it). Returns 0 or -errno
 * (-EINVAL: not a recording; -EPROTONOSUPPORT: another version). */
int recorder_open(struct recorder **out, const char *path, bool append);
/* Write one sample, whole, with one write(2): a killed cgtop leaves every sample before
 * intact. Returns 0 or -errno (a short write is -ENOSPC). */
int recorder_write(struct recorder *r, const struct snapshot *s, enum cg_mode mode,
		   const struct ctr_table *ctrs);
/* Bytes written so far (header included). */
uint64_t recorder_bytes(const struct recorder *r);
void recorder_close(struct recorder *r);

/* --- reading a file ------------------------------------------------------------------- */

struct recording {
	char *path;
	unsigned char *data;
	size_t len;
	size_t *offsets;      /* of each good record */
	uint64_t *real_ns;    /* each good record's wall time */
	size_t n;
	bool damaged;         /* a record at damaged_at could not be read */
	size_t damaged_at;
	/* the sample last returned and the one before it, for rates and stepping */
	struct rec_sample cur, prev;
	ssize_t cur_i, prev_i;
};

/* Read and index PATH. Returns 0 (see ->damaged), or -errno (-EINVAL: not a recording,
 * -EPROTONOSUPPORT: newer format, with *VERSION set). */
int recording_open(struct recording *r, const char *path, uint32_t *version);
void recording_close(struct recording *r);
/* Sample I (0-based) with its rates, valid until the next call. NULL when I is out of range. */
const struct rec_sample *recording_seek(struct recording *r, size_t i);
/* Index of the first sample at or after wall time REAL_NS (the last one when none). */
size_t recording_find_time(struct recording *r, uint64_t real_ns);
/* Parse what a user types to jump in a replay: "HH:MM:SS" (local time, on the day of
 * REF_NS, a wall time) or RFC 3339 ("2026-11-22T10:21:26Z", fractions and "+01:00"
 * allowed, a space for the T too). Returns 0 with *OUT in ns, or -EINVAL. */
int recording_parse_time(const char *s, uint64_t ref_ns, uint64_t *out);
/* The one line that says where a damaged recording stopped, into BUF. */
const char *recording_damage_message(const struct recording *r, char *buf, size_t len);

#endif
