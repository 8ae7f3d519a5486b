/* Parsers of /proc/<pid>/status, cmdline, /proc/uptime and /etc/passwd: pure functions
 * over (buffer, length); the buffer need not be NUL-terminated. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "parse_procs.h"
#include "scan.h"

/* Decimal digits at [*p, end) into *out (at most UINT32_MAX); advances *p. */
static int take_u32(const char **p, const char *end, uint32_t *out)
{
	uint64_t v;
	int r = take_u64(p, end, &v);

	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

/* The real UID of a /proc/PID/status. */
int parse_status_uid(const char *buf, size_t len, uid_t *uid)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;

	while (next_line(&p, end, &line, &ll)) {
		const char *q = line + 4, *le = line + ll;
		uint32_t v;

		if (ll < 4 || memcmp(line, "Uid:", 4) != 0)
			continue;
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		if (take_u32(&q, le, &v) < 0 || (q < le && *q != ' ' && *q != '\t'))
			return -EINVAL;
		*uid = (uid_t)v;
		return 0;
	}
	return -ENOENT;
}

/* A /proc/PID/cmdline with its NULs turned into spaces. */
size_t parse_cmdline(const char *buf, size_t len, char *out, size_t outlen)
{
	size_t o = 0;

	if (outlen == 0)
		return 0;
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len && o + 1 < outlen; i++)
		out[o++] = buf[i] == '\0' ? ' ' : buf[i];
	out[o] = '\0';
	return o;
}

/* Seconds since boot from /proc/uptime. */
int parse_uptime(const char *buf, size_t len, double *seconds)
{
	const char *p = buf, *end = buf + len;
	uint64_t whole = 0;
	double frac = 0, scale = 0.1;
	bool digits = false;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && *p >= '0' && *p <= '9') {
		if (whole > UINT64_MAX / 10 - 10)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(*p - '0');
		digits = true;
		p++;
	}
	if (!digits)
		return -EINVAL;
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, scale /= 10)
			frac += scale * (*p - '0');
	if (p < end && *p != ' ' && *p != '\n' && *p != '\t')
		return -EINVAL;
	*seconds = (double)whole + frac;
	return 0;
}

/* The user name of UID in an /etc/passwd. */
int parse_passwd_name(const char *buf, size_t len, uid_t uid, char *out, size_t outlen)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;

	while (next_line(&p, end, &line, &ll)) {
		const char *le = line + ll, *c1, *c2, *q;
		uint32_t v;
		size_t nl;

		if (ll == 0 || line[0] == '#' || memchr(line, '\0', ll))
			continue;
		c1 = memchr(line, ':', ll);                               /* end of name */
		c2 = c1 ? memchr(c1 + 1, ':', (size_t)(le - c1 - 1)) : NULL; /* end of password */
		if (!c1 || !c2 || c1 == line)
			continue;
		q = c2 + 1;
		if (take_u32(&q, le, &v) < 0 || q >= le || *q != ':' || (uid_t)v != uid)
			continue;
		nl = (size_t)(c1 - line);
		if (nl + 1 > outlen)
			return -ENOBUFS;
		memcpy(out, line, nl);
		out[nl] = '\0';
		return 0;
	}
	return -ENOENT;
}
