/* Turning figures and untrusted strings into text for people. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "format.h"
#include "util.h"

/* V in decimal, ending at END (20 digits at most before it); returns where it begins. */
static char *u64_digits(char *end, uint64_t v)
{
	char *p = end;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

char *format_u64(char *out, size_t outlen, uint64_t v)
{
	char tmp[24], *p = u64_digits(tmp + sizeof(tmp), v);
	size_t n = (size_t)(tmp + sizeof(tmp) - p);

	if (!outlen)
		return out;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

char *format_bytes(char *out, size_t outlen, uint64_t bytes)
{
	static const char units[] = "KMGTPE";
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1024 && outlen >= 6) {
		char *p = out + strlen(format_u64(out, outlen, bytes));

		p[0] = 'B';
		p[1] = '\0';
		return out;
	}
	if (bytes < 1024) {
		snprintf(out, outlen, "%lluB", (unsigned long long)bytes);
		return out;
	}
	if (bytes < (UINT64_C(1) << 53) && outlen >= 24) {
		/* what snprintf's "%.1f%c" writes, without it (a tenth of the cost; a text
		 * refresh at 10,000 rows writes 30,000 of them): the value is BYTES / 2^S
		 * exactly (S = 10 a unit), and "%.1f" rounds ten times it to the nearest
		 * integer, a tie to the even one */
		unsigned s = 10;
		uint64_t tenths, rest, half;
		char tmp[24], *end = tmp + sizeof(tmp) - 2, *p;

		while (s < 50 && bytes >> s >= 1024)
			s += 10;
		tenths = (bytes * 10) >> s;
		rest = (bytes * 10) & ((UINT64_C(1) << s) - 1);
		half = UINT64_C(1) << (s - 1);
		if (rest > half || (rest == half && (tenths & 1)))
			tenths++;
		end[0] = units[s / 10 - 1];
		end[1] = '\0';
		*--end = (char)('0' + tenths % 10);
		*--end = '.';
		p = u64_digits(end, tenths / 10);
		memcpy(out, p, (size_t)(tmp + sizeof(tmp) - p));
		return out;
	}
	while (v >= 1024.0 && u < (int)sizeof(units) - 2) {
		v /= 1024.0;
		u++;
	}
	snprintf(out, outlen, "%.1f%c", v, units[u]);
	return out;
}

char *format_cpu_time(char *out, size_t outlen, uint64_t ns)
{
	uint64_t cs = ns / 10000000u; /* hundredths of a second */
	uint64_t s = cs / 100;

	if (s < 60)
		snprintf(out, outlen, "%llu.%02llus", (unsigned long long)s, (unsigned long long)(cs % 100));
	else if (s < 3600)
		snprintf(out, outlen, "%llum%02llu.%02llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60), (unsigned long long)(cs % 100));
	else
		snprintf(out, outlen, "%lluh%02llum%02llus", (unsigned long long)(s / 3600),
			 (unsigned long long)(s / 60 % 60), (unsigned long long)(s % 60));
	return out;
}

/* Drop the trailing zeros of a decimal fraction in S, and the point when nothing follows it. */
static void trim_fraction(char *s)
{
	char *dot = strchr(s, '.'), *end;

	if (!dot)
		return;
	end = s + strlen(s);
	while (end > dot + 1 && end[-1] == '0')
		*--end = '\0';
	if (end == dot + 1)
		*dot = '\0';
}

char *format_fixed(char *out, size_t outlen, double v, int decimals)
{
	static const double scales[] = { 1, 10, 100, 1000 };

	if (decimals >= 0 && decimals <= 3 && !signbit(v) && v < 1e12 && outlen >= 32) {
		/* N: V * SC rounded as printf does, to the nearest integer and a tie to the
		 * even one, on the exact value (fma's sign is that of the exact V * SC - M) */
		double sc = scales[decimals];
		uint64_t n = (uint64_t)(v * sc);
		double t;
		char tmp[32], *p = tmp + sizeof(tmp);

		if (fma(v, sc, -(double)n) < 0)
			n--;
		else if (fma(v, sc, -(double)(n + 1)) >= 0)
			n++;
		t = fma(v, sc, -((double)n + 0.5));
		if (t > 0 || (t == 0 && (n & 1)))
			n++;
		*--p = '\0';
		for (int i = 0; i < decimals; i++, n /= 10)
			*--p = (char)('0' + n % 10);
		if (decimals)
			*--p = '.';
		p = u64_digits(p, n);
		memcpy(out, p, (size_t)(tmp + sizeof(tmp) - p));
		return out;
	}
	snprintf(out, outlen, "%.*f", decimals, v);
	return out;
}

char *format_decimal(char *out, size_t outlen, double v, int decimals)
{
	if (v == 0)
		v = 0; /* no "-0" */
	format_fixed(out, outlen, v, decimals);
	trim_fraction(out);
	if (strcmp(out, "-0") == 0) /* a tiny negative rounded away */
		snprintf(out, outlen, "0");
	return out;
}

char *format_ns_seconds(char *out, size_t outlen, uint64_t ns)
{
	snprintf(out, outlen, "%llu.%09llu", (unsigned long long)(ns / 1000000000u),
		 (unsigned long long)(ns % 1000000000u));
	trim_fraction(out);
	return out;
}

char *format_rfc3339(char *out, size_t outlen, uint64_t real_ns)
{
	time_t t = (time_t)(real_ns / 1000000000u);
	struct tm tm;
	char date[32], zone[32];
	long off;

	localtime_r(&t, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	off = tm.tm_gmtoff / 60;
	snprintf(zone, sizeof(zone), "%c%02ld:%02ld", off < 0 ? '-' : '+', (off < 0 ? -off : off) / 60,
		 (off < 0 ? -off : off) % 60);
	snprintf(out, outlen, "%s.%03u%s", date, (unsigned)(real_ns / 1000000u % 1000u), zone);
	return out;
}

/* Decode one UTF-8 sequence at S (N bytes left). Returns its length, 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10FFFF ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Code points that must not reach a terminal as they are. */
static bool unsafe_cp(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || /* C0, DEL, C1 */
	       c == 0x061C || c == 0x200E || c == 0x200F ||           /* bidi marks */
	       (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
	       c == 0x2028 || c == 0x2029 || c == 0xFEFF;
}

char *sanitize(char *out, size_t outlen, const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	if (outlen == 0)
		return out;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t l = utf8_decode(s + i, len - i, &cp);
		char esc[16];
		const char *piece;
		size_t pl;

		if (l == 0) {
			snprintf(esc, sizeof(esc), "\\x%02x", s[i]);
			piece = esc;
			pl = strlen(esc);
			l = 1;
		} else if (unsafe_cp(cp)) {
			if (cp < 0x100)
				snprintf(esc, sizeof(esc), "\\x%02x", (unsigned)cp);
			else
				snprintf(esc, sizeof(esc), "\\u{%04x}", (unsigned)cp);
			piece = esc;
			pl = strlen(esc);
		} else {
			piece = (const char *)s + i;
			pl = l;
		}
		if (o + pl >= outlen)
			break; /* truncated, never mid-sequence */
		memcpy(out + o, piece, pl);
		o += pl;
		i += l;
	}
	out[o] = '\0';
	return out;
}

char *sanitize_dup(const char *in)
{
	size_t len = strlen(in), cap = len * 8 + 1; /* "\u{202e}" is 8 bytes for 3 */
	char *out = xmalloc(cap);

	return sanitize(out, cap, in, len);
}

size_t text_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), w = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l;
		int cw;

		if (s[i] < 0x80) { /* one column, as utf8_decode() and the rule below say */
			w++;
			i++;
			continue;
		}
		l = utf8_decode(s + i, n - i, &cp);
		if (l == 0) {
			w++;
			i++;
			continue;
		}
		cw = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
		w += cw < 0 ? 1 : (size_t)cw;
		i += l;
	}
	return w;
}

char *format_age(char *out, size_t outlen, uint64_t now, uint64_t then)
{
	uint64_t d = now > then ? now - then : 0;

	if (d == 0)
		snprintf(out, outlen, "now");
	else if (d < 60)
		snprintf(out, outlen, "%llus ago", (unsigned long long)d);
	else if (d < 3600)
		snprintf(out, outlen, "%llum ago", (unsigned long long)(d / 60));
	else if (d < 86400)
		snprintf(out, outlen, "%lluh ago", (unsigned long long)(d / 3600));
	else
		snprintf(out, outlen, "%llud ago", (unsigned long long)(d / 86400));
	return out;
}
