/* Parsers of kernel file formats: pure functions over (buffer, length). The buffer
 * need not be NUL-terminated, so every parser can be fuzzed as it is. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "scan.h"
#include "util.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_spaces(const char **p, const char *end)
{
	while (*p < end && is_space(**p))
		(*p)++;
}

/* Only white space is left in [p, end). */
static bool only_spaces(const char *p, const char *end)
{
	skip_spaces(&p, end);
	return p == end;
}

int parse_u64(const char *buf, size_t len, uint64_t *out)
{
	const char *p = buf, *end = buf + len;
	uint64_t v;
	int r;

	skip_spaces(&p, end);
	r = take_u64(&p, end, &v);
	if (r < 0)
		return r;
	if (!only_spaces(p, end))
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_u64_or_max(const char *buf, size_t len, uint64_t *out, bool *unlimited)
{
	const char *p = buf, *end = buf + len;

	skip_spaces(&p, end);
	if (end - p >= 3 && memcmp(p, "max", 3) == 0 && only_spaces(p + 3, end)) {
		*unlimited = true;
		*out = UINT64_MAX;
		return 0;
	}
	*unlimited = false;
	return parse_u64(buf, len, out);
}

int parse_keyed_u64(const char *buf, size_t len, const char *key, uint64_t *out)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll, kl = strlen(key);

	while (next_line(&p, end, &line, &ll)) {
		const char *v;

		if (ll <= kl || memcmp(line, key, kl) != 0 || (line[kl] != ' ' && line[kl] != ':'))
			continue;
		v = line + kl + (line[kl] == ':');
		skip_spaces(&v, line + ll);
		if (take_u64(&v, line + ll, out) < 0 || !only_spaces(v, line + ll))
			return -EINVAL;
		return 0;
	}
	return -ENOENT;
}

int parse_meminfo(const char *buf, size_t len, const char *key, uint64_t *bytes)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll, kl = strlen(key);

	while (next_line(&p, end, &line, &ll)) {
		const char *v, *le = line + ll;
		uint64_t kb;

		if (ll <= kl || memcmp(line, key, kl) != 0 || line[kl] != ':')
			continue;
		v = line + kl + 1;
		skip_spaces(&v, le);
		if (take_u64(&v, le, &kb) < 0 || kb > UINT64_MAX / 1024)
			return -EINVAL;
		skip_spaces(&v, le);
		if (!(v == le || (le - v == 2 && memcmp(v, "kB", 2) == 0)))
			return -EINVAL;
		*bytes = kb * 1024;
		return 0;
	}
	return -ENOENT;
}

int parse_cfs_quota(const char *buf, size_t len, uint64_t *quota_us, bool *unlimited)
{
	const char *p = buf, *end = buf + len;

	skip_spaces(&p, end);
	if (end - p >= 2 && memcmp(p, "-1", 2) == 0 && only_spaces(p + 2, end)) {
		*unlimited = true;
		*quota_us = UINT64_MAX;
		return 0;
	}
	*unlimited = false;
	return parse_u64(buf, len, quota_us);
}

int parse_cpu_max(const char *buf, size_t len, uint64_t *quota_us, uint64_t *period_us, bool *unlimited)
{
	const char *p = buf, *end = buf + len;
	uint64_t quota = UINT64_MAX, period;
	bool max = false;

	skip_spaces(&p, end);
	if (end - p >= 3 && memcmp(p, "max", 3) == 0) {
		max = true;
		p += 3;
	} else if (take_u64(&p, end, &quota) < 0) {
		return -EINVAL;
	}
	if (p == end || (*p != ' ' && *p != '\t'))
		return -EINVAL;
	skip_spaces(&p, end);
	if (take_u64(&p, end, &period) < 0 || !only_spaces(p, end) || period == 0)
		return -EINVAL;
	*quota_us = quota;
	*period_us = period;
	*unlimited = max;
	return 0;
}

int cpu_quota_nanocpus(uint64_t quota_us, uint64_t period_us, uint64_t *out)
{
	uint64_t whole, rest;

	if (period_us == 0)
		return -EINVAL;
	/* quota/period CPUs, in steps that cannot overflow unnoticed: the whole CPUs, then
	 * the remainder (below the period, itself at most a second in the kernel's rules,
	 * but any u64 is taken) */
	whole = quota_us / period_us;
	rest = quota_us % period_us;
	if (whole > (UINT64_MAX - 1) / 1000000000u)
		return -ERANGE;
	whole *= 1000000000u;
	if (rest > UINT64_MAX / 1000000000u)
		rest = (uint64_t)((long double)rest * 1e9L / (long double)period_us);
	else
		rest = rest * 1000000000u / period_us;
	if (whole > UINT64_MAX - 1 - rest)
		return -ERANGE;
	*out = whole + rest;
	return 0;
}

/* A word at [*p, end) up to white space; advances *p past trailing spaces. */
static bool take_word(const char **p, const char *end, const char **w, size_t *wl)
{
	const char *s;

	skip_spaces(p, end);
	s = *p;
	while (*p < end && !is_space(**p))
		(*p)++;
	*w = s;
	*wl = (size_t)(*p - s);
	skip_spaces(p, end);
	return *wl > 0;
}

static bool word_is(const char *w, size_t wl, const char *lit)
{
	return wl == strlen(lit) && memcmp(w, lit, wl) == 0;
}

/* "MAJ:MIN" */
static bool is_devnum(const char *w, size_t wl)
{
	const char *colon = memchr(w, ':', wl);
	uint64_t v;
	const char *p = w;

	if (!colon || colon == w || colon == w + wl - 1)
		return false;
	if (take_u64(&p, colon, &v) < 0 || p != colon)
		return false;
	p = colon + 1;
	return take_u64(&p, w + wl, &v) == 0 && p == w + wl;
}

int parse_blkio_rwstat(const char *buf, size_t len, struct blkio_rw *out)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;

	memset(out, 0, sizeof(*out));
	while (next_line(&p, end, &line, &ll)) {
		const char *q = line, *le = line + ll, *w1, *w2;
		size_t l1, l2;
		uint64_t v;

		if (!take_word(&q, le, &w1, &l1))
			continue; /* blank line */
		if (word_is(w1, l1, "Total")) {
			if (take_u64(&q, le, &v) < 0 || !only_spaces(q, le))
				return -EINVAL;
			continue;
		}
		if (!is_devnum(w1, l1) || !take_word(&q, le, &w2, &l2))
			return -EINVAL;
		if (take_u64(&q, le, &v) < 0 || !only_spaces(q, le))
			return -EINVAL;
		if (word_is(w2, l2, "Read")) {
			out->read += v;
			out->ndevices++;
		} else if (word_is(w2, l2, "Write")) {
			out->write += v;
		}
	}
	return 0;
}

int parse_io_stat(const char *buf, size_t len, struct io_stat *out)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;

	memset(out, 0, sizeof(*out));
	while (next_line(&p, end, &line, &ll)) {
		const char *q = line, *le = line + ll, *w;
		size_t wl;

		if (!take_word(&q, le, &w, &wl))
			continue;
		if (!is_devnum(w, wl))
			return -EINVAL;
		out->ndevices++;
		while (take_word(&q, le, &w, &wl)) {
			const char *eq = memchr(w, '=', wl), *v;
			uint64_t *dst = NULL, val;

			if (!eq)
				return -EINVAL;
			if (word_is(w, (size_t)(eq - w), "rbytes"))
				dst = &out->rbytes;
			else if (word_is(w, (size_t)(eq - w), "wbytes"))
				dst = &out->wbytes;
			else if (word_is(w, (size_t)(eq - w), "rios"))
				dst = &out->rios;
			else if (word_is(w, (size_t)(eq - w), "wios"))
				dst = &out->wios;
			v = eq + 1;
			if (take_u64(&v, w + wl, &val) < 0 || v != w + wl) {
				if (dst)
					return -EINVAL;
				continue; /* other keys (cost.*, latency) may not be numbers */
			}
			if (dst)
				*dst += val;
		}
	}
	return 0;
}

int parse_psi(const char *buf, size_t len, struct psi_totals *out)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;

	memset(out, 0, sizeof(*out));
	while (next_line(&p, end, &line, &ll)) {
		const char *q = line, *le = line + ll, *w;
		size_t wl;
		uint64_t *dst;
		bool *has, total = false;

		if (!take_word(&q, le, &w, &wl))
			continue;
		if (word_is(w, wl, "some")) {
			dst = &out->some_us;
			has = &out->has_some;
		} else if (word_is(w, wl, "full")) {
			dst = &out->full_us;
			has = &out->has_full;
		} else {
			return -EINVAL;
		}
		if (*has)
			return -EINVAL; /* a line twice */
		while (take_word(&q, le, &w, &wl)) {
			const char *eq = memchr(w, '=', wl), *v;

			if (!eq)
				return -EINVAL;
			if (!word_is(w, (size_t)(eq - w), "total"))
				continue; /* avg10=0.00 and the like: the decaying averages, not used */
			v = eq + 1;
			if (take_u64(&v, w + wl, dst) < 0 || v != w + wl)
				return -EINVAL;
			total = true;
		}
		if (!total)
			return -EINVAL;
		*has = true;
	}
	return out->has_some ? 0 : -EINVAL;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

ssize_t parse_pid_list(const char *buf, size_t len, pid_t **pids, size_t *cap)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll, n = 0, u;

	while (next_line(&p, end, &line, &ll)) {
		const char *q = line, *le = line + ll;
		uint64_t v;

		skip_spaces(&q, le);
		if (q == le)
			continue;
		if (take_u64(&q, le, &v) < 0 || !only_spaces(q, le) || v == 0 || v > INT32_MAX)
			return -EINVAL;
		if (n == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			*pids = xrealloc(*pids, *cap * sizeof(**pids));
		}
		(*pids)[n++] = (pid_t)v;
	}
	if (n == 0)
		return 0;
	qsort(*pids, n, sizeof(**pids), cmp_pid);
	for (size_t i = u = 1; i < n; i++)
		if ((*pids)[i] != (*pids)[u - 1])
			(*pids)[u++] = (*pids)[i];
	return (ssize_t)u;
}

/* Undo mountinfo's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash). */
static void unescape_octal(char *s)
{
	char *w = s;

	for (char *r = s; *r;) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
		    r[3] >= '0' && r[3] <= '7') {
			*w++ = (char)(((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
			r += 4;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

int parse_mountinfo(const char *buf, size_t len, mountinfo_cb cb, void *userdata, unsigned *nbad)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;
	unsigned bad = 0;
	int r = 0;

	while (next_line(&p, end, &line, &ll)) {
		_cleanup_free_ char *copy = NULL;
		char *fields[64], *save = NULL, *tok;
		size_t nf = 0, sep = 0;
		struct mountinfo_entry e;

		if (ll == 0)
			continue;
		if (memchr(line, '\0', ll)) {
			bad++;
			continue;
		}
		copy = xstrndup(line, ll);
		for (tok = strtok_r(copy, " ", &save); tok && nf < ARRAY_SIZE(fields);
		     tok = strtok_r(NULL, " ", &save))
			fields[nf++] = tok;
		for (size_t i = 6; i < nf; i++)
			if (strcmp(fields[i], "-") == 0) {
				sep = i;
				break;
			}
		if (nf < 10 || sep == 0 || sep + 3 > nf) {
			bad++;
			continue;
		}
		e.root = fields[3];
		e.mount_point = fields[4];
		e.fstype = fields[sep + 1];
		e.source = fields[sep + 2];
		e.super_opts = sep + 3 < nf ? fields[sep + 3] : fields[sep + 2];
		if (sep + 3 >= nf) {
			bad++;
			continue;
		}
		unescape_octal(e.root);
		unescape_octal(e.mount_point);
		unescape_octal(e.source);
		unescape_octal(e.super_opts);
		r = cb(&e, userdata);
		if (r < 0)
			break;
	}
	if (nbad)
		*nbad = bad;
	return r < 0 ? r : 0;
}

int parse_proc_cgroup(const char *buf, size_t len, proc_cgroup_cb cb, void *userdata)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;
	unsigned good = 0;

	while (next_line(&p, end, &line, &ll)) {
		_cleanup_free_ char *copy = NULL;
		char *c1, *c2;
		const char *q;
		uint64_t id;
		int r;

		if (ll == 0)
			continue;
		if (memchr(line, '\0', ll))
			return -EINVAL;
		copy = xstrndup(line, ll);
		c1 = strchr(copy, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			return -EINVAL;
		*c1 = *c2 = '\0';
		q = copy;
		if (take_u64(&q, c1, &id) < 0 || q != c1 || id > INT32_MAX || c2[1] != '/')
			return -EINVAL;
		r = cb((int)id, c1 + 1, c2 + 1, userdata);
		if (r < 0)
			return r;
		good++;
	}
	return good ? 0 : -EINVAL;
}

int parse_proc_cgroups(const char *buf, size_t len, proc_cgroups_cb cb, void *userdata)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;

	while (next_line(&p, end, &line, &ll)) {
		const char *q = line, *le = line + ll, *w;
		size_t wl;
		uint64_t hier, num, en;
		char name[64];
		int r;

		if (ll == 0 || line[0] == '#')
			continue;
		if (!take_word(&q, le, &w, &wl) || wl >= sizeof(name))
			return -EINVAL;
		memcpy(name, w, wl);
		name[wl] = '\0';
		if (take_u64(&q, le, &hier) < 0 || hier > INT32_MAX)
			return -EINVAL;
		skip_spaces(&q, le);
		if (take_u64(&q, le, &num) < 0)
			return -EINVAL;
		skip_spaces(&q, le);
		if (take_u64(&q, le, &en) < 0 || !only_spaces(q, le))
			return -EINVAL;
		r = cb(name, (int)hier, (unsigned long)num, en != 0, userdata);
		if (r < 0)
			return r;
	}
	return 0;
}

int parse_proc_io(const char *buf, size_t len, struct proc_io *out)
{
	int r1 = parse_keyed_u64(buf, len, "read_bytes", &out->read_bytes);
	int r2 = parse_keyed_u64(buf, len, "write_bytes", &out->write_bytes);

	return r1 < 0 ? r1 : r2;
}

int parse_proc_stat(const char *buf, size_t len, struct proc_stat *out)
{
	const char *open = memchr(buf, '(', len), *close = NULL, *p, *end = buf + len;
	uint64_t v[52];
	size_t n = 0, cl;

	for (const char *q = buf + len; q > buf; q--)
		if (q[-1] == ')') {
			close = q - 1;
			break;
		}
	if (!open || !close || close < open)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	cl = (size_t)(close - open - 1);
	if (cl >= sizeof(out->comm))
		cl = sizeof(out->comm) - 1;
	memcpy(out->comm, open + 1, cl);
	out->comm[cl] = '\0';
	p = close + 1;
	skip_spaces(&p, end);
	if (p >= end)
		return -EINVAL;
	out->state = *p++;
	/* fields 4.. are numbers (some may be negative: only the ones we use must not be) */
	while (n < ARRAY_SIZE(v)) {
		skip_spaces(&p, end);
		if (p >= end)
			break;
		if (*p == '-') {
			p++;
			v[n] = 0;
			if (take_u64(&p, end, &v[n]) < 0)
				return -EINVAL;
			v[n] = 0;
		} else if (take_u64(&p, end, &v[n]) < 0) {
			return -EINVAL;
		}
		n++;
	}
	/* v[0] is field 4 (ppid); utime 14, stime 15, num_threads 20, starttime 22, rss 24 */
	if (n < 21)
		return -EINVAL;
	out->ppid = (int)v[0];
	out->utime = v[10];
	out->stime = v[11];
	out->num_threads = (long)v[16];
	out->starttime = v[18];
	out->rss_pages = v[20];
	return 0;
}

int parse_loadavg(const char *buf, size_t len, double load[3], uint64_t *ntasks)
{
	char tmp[128];
	unsigned long running, total;

	if (len >= sizeof(tmp) || memchr(buf, '\0', len))
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	if (sscanf(tmp, "%lf %lf %lf %lu/%lu", &load[0], &load[1], &load[2], &running, &total) != 5)
		return -EINVAL;
	*ntasks = total;
	return 0;
}

bool opts_has(const char *list, const char *ctl)
{
	size_t cl = strlen(ctl);

	for (const char *p = list; *p;) {
		const char *c = strchr(p, ',');
		size_t l = c ? (size_t)(c - p) : strlen(p);

		if (l == cl && memcmp(p, ctl, l) == 0)
			return true;
		if (!c)
			break;
		p = c + 1;
	}
	return false;
}

/* *SUM += V, -ERANGE when it does not fit. */
static int add_u64(uint64_t *sum, uint64_t v)
{
	if (v > UINT64_MAX - *sum)
		return -ERANGE;
	*sum += v;
	return 0;
}

int parse_net_dev(const char *buf, size_t len, struct net_dev *out)
{
	const char *p = buf, *end = buf + len, *line;
	size_t ll;

	memset(out, 0, sizeof(*out));
	while (next_line(&p, end, &line, &ll)) {
		const char *q = line, *le = line + ll, *name, *colon;
		uint64_t v[10];
		size_t nl;
		int r;

		if (only_spaces(line, le) || memchr(line, '|', ll))
			continue; /* the two title lines */
		skip_spaces(&q, le);
		/* the kernel pads the name to 6 columns and may write "eth0:123" with no space */
		colon = memchr(q, ':', (size_t)(le - q));
		if (!colon || colon == q)
			return -EINVAL;
		name = q;
		nl = (size_t)(colon - q);
		q = colon + 1;
		/* receive: bytes packets errs drop fifo frame compressed multicast; transmit:
		 * bytes packets … (16 numbers; only the first ten are needed) */
		for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
			skip_spaces(&q, le);
			r = take_u64(&q, le, &v[i]);
			if (r < 0)
				return r;
			if (q < le && !is_space(*q))
				return -EINVAL;
		}
		if (nl == 2 && memcmp(name, "lo", 2) == 0)
			continue;
		if ((r = add_u64(&out->rx_bytes, v[0])) < 0 || (r = add_u64(&out->rx_packets, v[1])) < 0 ||
		    (r = add_u64(&out->tx_bytes, v[8])) < 0 || (r = add_u64(&out->tx_packets, v[9])) < 0)
			return r;
		out->nifaces++;
	}
	return 0;
}

int parse_ns_link(const char *buf, size_t len, const char *type, uint64_t *ino)
{
	const char *p = buf, *end = buf + len;
	size_t tl = strlen(type);
	uint64_t v;

	if (len < tl + 3 || memcmp(p, type, tl) != 0 || p[tl] != ':' || p[tl + 1] != '[')
		return -EINVAL;
	p += tl + 2;
	if (take_u64(&p, end, &v) < 0 || p >= end || *p != ']' || !only_spaces(p + 1, end))
		return -EINVAL;
	*ino = v;
	return 0;
}
