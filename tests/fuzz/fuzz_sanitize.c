/* Fuzz target: sanitize() and sanitize_dup(): whatever comes in, what comes out is valid
 * UTF-8 without control characters, C1 controls or bidi overrides. */
#include "config.h"

#include <locale.h>

#include "format.h"
#include "fuzz.h"

/* True when S holds a byte or sequence a terminal would act on. */
static int unsafe(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; u[i]; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			return 1;
		if (u[i] == 0xc2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f)
			return 1; /* C1 */
		if (u[i] == 0xe2 && u[i + 1] == 0x80 && u[i + 2] >= 0xaa && u[i + 2] <= 0xae)
			return 1; /* LRE..RLO */
		if (u[i] == 0xe2 && u[i + 1] == 0x81 && u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9)
			return 1; /* LRI..PDI */
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	char small[17], *big = malloc(size * 8 + 1), *cstr, *dup;

	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = 1;
	}
	if (!big)
		abort();
	sanitize(small, sizeof(small), (const char *)data, size);
	sanitize(big, size * 8 + 1, (const char *)data, size);
	if (unsafe(small) || unsafe(big))
		abort();
	text_width(big);
	cstr = fuzz_cstr(data, size);
	dup = sanitize_dup(cstr);
	if (unsafe(dup))
		abort();
	free(dup);
	free(cstr);
	free(big);
	return 0;
}
