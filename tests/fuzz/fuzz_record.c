/* Fuzz target: a recording (record_codec.c): its header, then every record as
 * recording_open() walks them, each decoded whole. */
#include "config.h"

#include "fuzz.h"
#include "record_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t version = 0;
	size_t off;

	if (rec_check_header(data, size, &version) < 0)
		return 0;
	off = REC_HEADER_LEN;
	while (off < size) {
		struct rec_sample rs, prev = { 0 };
		size_t used = 0;

		if (rec_decode_sample(data + off, size - off, &used, &rs) < 0)
			break;
		/* rates from itself as the sample before: every path is found, every counter
		 * compared */
		if (rec_decode_sample(data + off, size - off, &used, &prev) == 0) {
			rec_sample_compute_rates(&rs, &prev);
			rec_sample_free(&prev);
		}
		for (size_t k = 0; k < rs.nctrs; k++) {
			fuzz_touch(rs.ctrs[k].id);
			fuzz_touch(rs.ctrs[k].path);
			fuzz_touch(rec_sample_container(&rs, rs.ctrs[k].id)->id);
		}
		rec_sample_free(&rs);
		off += used;
	}
	return 0;
}
