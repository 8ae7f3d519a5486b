/* Recordings: every sample (rows, counters, valid bits, container identity and metadata)
 * written to a file while cgtop runs, and read back for a replay elsewhere.
 *
 * File: "CGTOPREC", u32 LE format version, u32 LE flags (0); then one record per sample:
 * u32 LE payload length, u32 LE CRC-32 (IEEE) of the payload, the payload. Payload
 * numbers are LEB128 varints; each sample has its own string table (every string once).
 * man/cgtop.1 (FILES) describes the payload. */
#ifndef CGTOP_RECORD_H
#define CGTOP_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container.h"
#include "hierarchy.h"
#include "snapshot.h"
#include "util.h"

#define REC_MAGIC "CGTOPREC"
#define REC_VERSION 1u
#define REC_HEADER_LEN 16u
#define REC_FRAME_LEN 8u                 /* length and CRC before each payload */
#define REC_MAX_PAYLOAD (256u << 20)     /* a record larger than this is damage */

/* One container of a recorded sample. */
struct rec_container {
	enum ctr_runtime runtime;
	char *id;
	char *path;            /* its main cgroup path */
	char **hier_paths;     /* "HIERARCHY:PATH" */
	size_t npaths;
	bool has_meta;
	struct container_meta meta;
};

/* One recorded sample, decoded. Rates are not in the file: recording_seek() computes them
 * from the sample before, as the sampler did (the /proc/<pid>/io estimates excepted, which
 * are stored). */
struct rec_sample {
	struct snapshot *snap;
	enum cg_mode mode;
	struct rec_container *ctrs;
	size_t nctrs;
};

void rec_sample_free(struct rec_sample *rs);
/* The recorded container with ID, or NULL. */
const struct rec_container *rec_sample_container(const struct rec_sample *rs, const char *id);

/* --- encoding ------------------------------------------------------------------------- */

/* The 16-byte file header of format version VERSION (tests make newer ones). */
void rec_encode_header(struct buf *out, uint32_t version);

struct rec_encoder;
struct rec_encoder *rec_encoder_new(void);
void rec_encoder_free(struct rec_encoder *e);
/* Append to OUT the record (frame and payload) of sample S with containers CTRS (may be
 * NULL) in cgroup mode MODE. */
void rec_encode_sample(struct rec_encoder *e, struct buf *out, const struct snapshot *s,
		       enum cg_mode mode, const struct ctr_table *ctrs);

/* --- decoding ------------------------------------------------------------------------- */

/* Check a file's first LEN bytes. Returns 0; -EPROTONOSUPPORT (a newer format, *VERSION
 * says which); -EINVAL (not a cgtop recording, or too short to tell). */
int rec_check_header(const void *p, size_t len, uint32_t *version);
/* Decode the record at P (LEN bytes available) into OUT (its snapshot made here) and set
 * *USED to the bytes it took. Returns 0, -ENODATA (cut short) or -EBADMSG (CRC or
 * contents wrong). */
int rec_decode_sample(const void *p, size_t len, size_t *used, struct rec_sample *out);

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
