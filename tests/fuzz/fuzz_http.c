/* Fuzz target: the HTTP/1.1 framing of an engine's answer (meta_http_response): status
 * line, headers, Content-Length, chunked or read-to-EOF bodies; complete or cut short. */
#include "config.h"

#include <stdbool.h>

#include "fuzz.h"
#include "meta.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf body = { 0 };
	int status;

	for (int eof = 0; eof < 2; eof++) {
		int r = meta_http_response((const char *)data, size, eof, &status, &body);

		if (r == 0 && body.len > size)
			abort(); /* a body is never bigger than what came */
		if (r == 0 && body.data && body.data[body.len] != '\0')
			abort();
	}
	/* every prefix is an answer still coming in */
	if (size < 512)
		for (size_t n = 0; n < size; n++)
			meta_http_response((const char *)data, n, false, &status, &body);
	buf_free(&body);
	return 0;
}
