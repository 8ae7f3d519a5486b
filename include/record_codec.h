/* The recording format, pure: samples to bytes and bytes back to samples, in buffers (no
 * file descriptors; record_file.h writes and reads the files).
 *
 * File: "CGTOPREC", u32 LE format version, u32 LE flags (0); then one record per sample:
 * u32 LE payload length, u32 LE CRC-32 (IEEE) of the payload, the payload. Payload
 * numbers are LEB128 varints; each sample has its own string table (every string once).
 * man/cgtop.1 (FILES) describes the payload. */
#ifndef CGTOP_RECORD_CODEC_H
#define CGTOP_RECORD_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container.h"
#include "hierarchy.h"
#include "snapshot.h"
#include "util.h"

#define REC_MAGIC "CGTOPREC"
/* 1: 32 slots of figures (0-14 used); 2: 64 slots, the incident signals in 15-47; 3: the
 * containers' lifecycles after them (exit code, OOM kill, restarts, times, events); 4: 128
 * slots (a row's mask with slot 63 set is followed by the mask of slots 64-127: network
 * packets in 64-67). This cgtop reads all four; an older one refuses a newer version (what
 * it does not know would read as damage). */
#define REC_VERSION 4u
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
	struct container_meta meta;  /* meta.life: version 3 */
	int restarts_seen;           /* version 3; -1 unknown */
	unsigned events;             /* CTR_EV_* of the sample (version 3) */
};

/* One recorded sample, decoded. Rates are not in the file: rec_sample_compute_rates()
 * computes them from the sample before, as the sampler did (the /proc/<pid>/io estimates
 * excepted, which are stored). */
struct rec_sample {
	struct snapshot *snap;
	enum cg_mode mode;
	struct rec_container *ctrs;
	size_t nctrs;
};

void rec_sample_free(struct rec_sample *rs);
/* The recorded container with ID, or NULL. */
const struct rec_container *rec_sample_container(const struct rec_sample *rs, const char *id);
/* The rates of CUR from PREV (NULL: none before it), as the sampler made them; the
 * /proc/<pid>/io estimates the recording stored stay. */
void rec_sample_compute_rates(struct rec_sample *cur, const struct rec_sample *prev);

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
/* The same, OUT's snapshot sharing its paths with BEFORE's (snapshot_pair()) when that
 * shares them with no other: a replay's two samples keep each path once. Either may be
 * freed first; BEFORE must not change while OUT is decoded. */
int rec_decode_sample_after(const void *p, size_t len, size_t *used, struct rec_sample *out,
			    struct rec_sample *before);

#endif
