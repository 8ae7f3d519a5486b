/* Unit tests of units, times and the terminal sanitizer. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "format.h"
#include "notes.h"

static void test_bytes(void **state)
{
	char b[32];

	/* the same figures systemd-cgtop prints in the seed notes */
	assert_string_equal(format_bytes(b, sizeof(b), 0), "0B");
	assert_string_equal(format_bytes(b, sizeof(b), 1023), "1023B");
	assert_string_equal(format_bytes(b, sizeof(b), 1024), "1.0K");
	assert_string_equal(format_bytes(b, sizeof(b), 7340032), "7.0M");
	assert_string_equal(format_bytes(b, sizeof(b), 231630028), "220.9M");
	assert_string_equal(format_bytes(b, sizeof(b), 11059540787ull), "10.3G");
	assert_string_equal(format_bytes(b, sizeof(b), UINT64_MAX), "16.0E");
	/* a tie is rounded to the even tenth, as printf does (1.25K, 1.75K); 1023.99K is
	 * still in K */
	assert_string_equal(format_bytes(b, sizeof(b), 1280), "1.2K");
	assert_string_equal(format_bytes(b, sizeof(b), 1792), "1.8K");
	assert_string_equal(format_bytes(b, sizeof(b), 1048570), "1024.0K");
}

/* snprintf's "%.1f%c" of BYTES in its unit: what format_bytes wrote before it did
 * without snprintf */
static void bytes_by_printf(char *out, size_t len, uint64_t bytes)
{
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024) {
		snprintf(out, len, "%lluB", (unsigned long long)bytes);
		return;
	}
	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	snprintf(out, len, "%.1f%c", v, "KMGTPE"[u]);
}

static void test_bytes_as_printf(void **state)
{
	char a[32], b[32];
	uint64_t x = 0x9E3779B97F4A7C15ull;

	for (unsigned i = 0; i < 2000000; i++) {
		uint64_t v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* every magnitude, and in each the ties (a multiple of 2^(S-1) / 5) */
		v = x >> (x % 64);
		if (i % 4 == 0)
			v = (v % 100000 * 2 + 1) * 5 << (x % 45) >> 1;
		format_bytes(a, sizeof(a), v);
		bytes_by_printf(b, sizeof(b), v);
		if (strcmp(a, b) != 0)
			fail_msg("%llu: %s, printf says %s", (unsigned long long)v, a, b);
	}
	for (uint64_t v = 0; v < 3000000; v++) {
		format_bytes(a, sizeof(a), v);
		bytes_by_printf(b, sizeof(b), v);
		if (strcmp(a, b) != 0)
			fail_msg("%llu: %s, printf says %s", (unsigned long long)v, a, b);
	}
}

/* format_fixed writes what snprintf's "%.*f" writes: random values of every magnitude
 * it takes, the ties (a quarter, an eighth ... of an odd number: exact halves of the
 * last decimal) and the values next to them */
static void fixed_check(double v, int decimals)
{
	char a[64], b[64];

	format_fixed(a, sizeof(a), v, decimals);
	snprintf(b, sizeof(b), "%.*f", decimals, v);
	if (strcmp(a, b) != 0)
		fail_msg("%.17g with %d decimals: %s, printf says %s", v, decimals, a, b);
}

static void test_fixed_as_printf(void **state)
{
	uint64_t x = 0x2545F4914F6CDD1Dull;

	for (unsigned i = 0; i < 300000; i++) {
		double v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = (double)(x >> 11) / (double)(1ull << 53) * pow(10, (double)(x % 15) - 3);
		for (int d = 0; d <= 3; d++)
			fixed_check(v, d);
	}
	for (uint64_t m = 0; m < 20000; m++) {
		for (int k = 1; k <= 6; k++) {
			double v = (double)(2 * m + 1) / (double)(1u << k);

			for (int d = 0; d <= 3; d++) {
				fixed_check(v, d);
				fixed_check(nextafter(v, 0), d);
				fixed_check(nextafter(v, INFINITY), d);
			}
		}
	}
	fixed_check(-0.0, 1);
	fixed_check(-1.25, 1);
	fixed_check(NAN, 1);
	fixed_check(INFINITY, 0);
	fixed_check(1e13, 1);
	fixed_check(999999999999.99, 1);
}

static void test_cpu_time(void **state)
{
	char b[32];

	assert_string_equal(format_cpu_time(b, sizeof(b), 4520000000ull), "4.52s");
	assert_string_equal(format_cpu_time(b, sizeof(b), 187100000000ull), "3m07.10s");
	assert_string_equal(format_cpu_time(b, sizeof(b), 18127000000000ull), "5h02m07s");
}

static void test_machine_numbers(void **state)
{
	char b[64];

	assert_string_equal(format_decimal(b, sizeof(b), 12.3, 3), "12.3");
	assert_string_equal(format_decimal(b, sizeof(b), 0.1254, 3), "0.125");
	assert_string_equal(format_decimal(b, sizeof(b), 7.0, 3), "7");
	assert_string_equal(format_decimal(b, sizeof(b), 0.0, 3), "0");
	assert_string_equal(format_decimal(b, sizeof(b), -0.0, 3), "0");
	assert_string_equal(format_decimal(b, sizeof(b), -0.0001, 3), "0");
	assert_string_equal(format_decimal(b, sizeof(b), 1234567.8126, 3), "1234567.813");
	assert_string_equal(format_decimal(b, sizeof(b), 2.0 / 3.0, 3), "0.667");
	/* cpuacct.usage of rhel7's "/" in EXPECTED.md */
	assert_string_equal(format_ns_seconds(b, sizeof(b), 89701913617278ull), "89701.913617278");
	assert_string_equal(format_ns_seconds(b, sizeof(b), 500000000), "0.5");
	assert_string_equal(format_ns_seconds(b, sizeof(b), 3000000000ull), "3");
	assert_string_equal(format_ns_seconds(b, sizeof(b), 0), "0");
	assert_string_equal(format_ns_seconds(b, sizeof(b), 1), "0.000000001");
	assert_string_equal(format_ns_seconds(b, sizeof(b), UINT64_MAX), "18446744073.709551615");
}

static void test_rfc3339(void **state)
{
	char b[64];

	setenv("TZ", "UTC", 1);
	assert_string_equal(format_rfc3339(b, sizeof(b), 1795338900123456789ull), "2026-11-22T09:15:00.123+00:00");
	setenv("TZ", "Asia/Kolkata", 1);
	/* +05:30 when the zone database is there; UTC otherwise (then the offset is +00:00) */
	format_rfc3339(b, sizeof(b), 1795338900123456789ull);
	assert_true(strcmp(b, "2026-11-22T14:45:00.123+05:30") == 0 || strcmp(b, "2026-11-22T09:15:00.123+00:00") == 0);
	setenv("TZ", "UTC", 1);
}

static void check_sanitize(const char *in, size_t len, const char *want)
{
	char out[256];

	assert_string_equal(sanitize(out, sizeof(out), in, len), want);
}

static void test_sanitize(void **state)
{
	/* plain paths and unit names pass as they are, backslashes included */
	check_sanitize("/system.slice/system-ceph\\x2dmon.slice", 38, "/system.slice/system-ceph\\x2dmon.slice");
	/* ESC, newline, BEL and DEL are escaped, never sent */
	check_sanitize("a\x1b[2Jb", 6, "a\\x1b[2Jb");
	check_sanitize("x\ny\a\x7f", 5, "x\\x0ay\\x07\\x7f");
	/* C1 control U+009B (CSI) as UTF-8, and as a raw byte (invalid UTF-8) */
	check_sanitize("\xc2\x9b" "31m", 5, "\\x9b31m");
	check_sanitize("\x9b" "31m", 4, "\\x9b31m");
	/* bidirectional override U+202E */
	check_sanitize("abc\xe2\x80\xae" "gpj.exe", 13, "abc\\u{202e}gpj.exe");
	/* valid UTF-8 is kept */
	check_sanitize("k\xc3\xb6nig-\xe6\x97\xa5", 10, "k\xc3\xb6nig-\xe6\x97\xa5");
	/* overlong encodings and surrogates are invalid */
	check_sanitize("\xc0\xaf", 2, "\\xc0\\xaf");
	check_sanitize("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");
	/* a truncated sequence at the end */
	check_sanitize("ok\xe2\x80", 4, "ok\\xe2\\x80");
	/* embedded NUL bytes cannot hide what follows */
	check_sanitize("a\0b", 3, "a\\x00b");
}

static void test_sanitize_truncates_whole(void **state)
{
	char out[6];
	char *d;

	/* never cut an escape or a character in half */
	assert_string_equal(sanitize(out, sizeof(out), "ab\x1b", 3), "ab");
	assert_string_equal(sanitize(out, sizeof(out), "abcd\xc3\xb6", 6), "abcd");
	d = sanitize_dup("\xe2\x80\xae\xe2\x80\xae");
	assert_string_equal(d, "\\u{202e}\\u{202e}");
	free(d);
}

static void test_notes_sanitized(void **state)
{
	struct notes ns = { 0 };

	/* a note quoting a hostile cgroup path is terminal-safe for every front end */
	assert_true(notes_add(&ns, "k", "malformed %s in %s", "io", "/evil\x1b]0;pwned\x07\n"));
	assert_string_equal(notes_next_unshown(&ns), "malformed io in /evil\\x1b]0;pwned\\x07\\x0a");
	notes_free(&ns);
}

static void test_width(void **state)
{
	setlocale(LC_ALL, "C.UTF-8");
	assert_int_equal(text_width("/system.slice"), 13);
	assert_int_equal(text_width("k\xc3\xb6nig"), 5);
	assert_int_equal(text_width("\xe6\x97\xa5\xe6\x9c\xac"), 4); /* two wide CJK characters */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes),    cmocka_unit_test(test_bytes_as_printf),
		cmocka_unit_test(test_fixed_as_printf), cmocka_unit_test(test_cpu_time),
		cmocka_unit_test(test_machine_numbers),
		cmocka_unit_test(test_rfc3339),  cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_sanitize_truncates_whole), cmocka_unit_test(test_width),
		cmocka_unit_test(test_notes_sanitized),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
