/* Turning figures and untrusted strings into text for people. */
#ifndef CGTOP_FORMAT_H
#define CGTOP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 1024-based units like systemd-cgtop: "512B", "1.5K", "220.9M", "10.3G". */
char *format_bytes(char *out, size_t outlen, uint64_t bytes);
/* "%llu" of V, without snprintf. */
char *format_u64(char *out, size_t outlen, uint64_t v);
/* "%.*f" of V with DECIMALS, without snprintf where it can (0 to 3 decimals, 0 <= V < 1e12). */
char *format_fixed(char *out, size_t outlen, double v, int decimals);
/* CPU time: "4.52s", "3m07.10s", "5h02m07s". */
char *format_cpu_time(char *out, size_t outlen, uint64_t ns);
/* How long before NOW (Unix seconds) the moment THEN was, as people say it: "45s ago",
 * "2m ago", "3h ago", "5d ago"; "now" for a moment not before NOW. */
char *format_age(char *out, size_t outlen, uint64_t now, uint64_t then);
/* V rounded to DECIMALS places, trailing zeros dropped: 12.3, 0.125, 7 (for machines). */
char *format_decimal(char *out, size_t outlen, double v, int decimals);
/* Nanoseconds as exact seconds, trailing zeros dropped: 89701.913617278, 0.5, 3. */
char *format_ns_seconds(char *out, size_t outlen, uint64_t ns);
/* RFC 3339 local time with milliseconds: "2026-11-22T09:15:00.123+00:00". */
char *format_rfc3339(char *out, size_t outlen, uint64_t real_ns);

/* Copy IN (LEN bytes, from the kernel or a container engine) into OUT so that it is
 * safe on a terminal: valid printable UTF-8 is kept; control bytes, C1 controls,
 * invalid UTF-8 and bidirectional overrides become \xNN or \u{NNNN} escapes.
 * Always NUL-terminates; returns OUT. */
char *sanitize(char *out, size_t outlen, const char *in, size_t len);
/* The same into a new string. */
char *sanitize_dup(const char *in);

/* Display width (columns) of a sanitized UTF-8 string. */
size_t text_width(const char *s);

#endif
