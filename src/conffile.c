/* The configuration file: "key = value" per line, each handed to a setter. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conffile.h"
#include "format.h"
#include "util.h"

/* The biggest configuration file cgtop reads: a few hundred bytes is usual. */
#define CONF_MAX_BYTES (1024 * 1024)

static int conf_fail(struct conf_error *err, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Say in ERR what is wrong on LINE; returns -EINVAL. */
static int conf_fail(struct conf_error *err, unsigned line, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A blank between words (a '\r' too: files written on Windows). */
static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* S without the blanks around it, in place. */
static char *trim(char *s)
{
	char *end;

	while (blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && blank(end[-1]))
		*--end = '\0';
	return s;
}

/* The keys set on earlier lines, and on which: each may be given once. */
struct seen {
	char **keys;
	unsigned *lines;
	size_t n;
};

/* The line that set KEY before, or 0. */
static unsigned seen_on(const struct seen *seen, const char *key)
{
	for (size_t i = 0; i < seen->n; i++)
		if (strcmp(seen->keys[i], key) == 0)
			return seen->lines[i];
	return 0;
}

/* KEY is set on line NO. */
static void seen_add(struct seen *seen, const char *key, unsigned no)
{
	seen->keys = xrealloc(seen->keys, (seen->n + 1) * sizeof(*seen->keys));
	seen->lines = xrealloc(seen->lines, (seen->n + 1) * sizeof(*seen->lines));
	seen->keys[seen->n] = xstrdup(key);
	seen->lines[seen->n++] = no;
}

/* Forget every key seen. */
static void seen_free(struct seen *seen)
{
	for (size_t i = 0; i < seen->n; i++)
		free(seen->keys[i]);
	free(seen->keys);
	free(seen->lines);
	memset(seen, 0, sizeof(*seen));
}

/* One line (NUL-terminated, no newline) to SET. SEEN holds the keys set on earlier lines. */
static int conf_line(char *line, unsigned no, conffile_set_fn *set, void *ud, struct seen *seen,
		     struct conf_error *err)
{
	char *eq, *key, *value, shown_key[64], shown_value[128];
	const char *want = NULL;
	unsigned before;
	int r;

	line = trim(line);
	if (!*line || *line == '#')
		return 0;
	for (char *p = line + 1; *p; p++)
		if (*p == '#' && blank(p[-1])) {
			*p = '\0'; /* "delay = 10  # seconds" */
			break;
		}
	eq = strchr(line, '=');
	if (!eq) {
		sanitize(shown_value, sizeof(shown_value), line, strlen(line));
		return conf_fail(err, no, "expected 'key = value', found '%s'", shown_value);
	}
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	sanitize(shown_key, sizeof(shown_key), key, strlen(key));
	sanitize(shown_value, sizeof(shown_value), value, strlen(value));
	if (!*key)
		return conf_fail(err, no, "no key before '='");
	before = seen_on(seen, key);
	if (before)
		return conf_fail(err, no, "'%s' is already set on line %u", shown_key, before);
	if (!*value)
		return conf_fail(err, no, "'%s' has no value", shown_key);
	r = set(ud, key, value, &want);
	if (r == -ENOENT && want)
		return conf_fail(err, no, "unknown key '%s' (the keys are %s)", shown_key, want);
	if (r == -ENOENT)
		return conf_fail(err, no, "unknown key '%s'", shown_key);
	if (r < 0)
		return conf_fail(err, no, "invalid %s '%s': %s", shown_key, shown_value,
				 want ? want : strerror(-r));
	seen_add(seen, key, no);
	return 0;
}

int conffile_parse(const char *buf, size_t len, conffile_set_fn *set, void *ud, struct conf_error *err)
{
	struct seen seen = { 0 };
	unsigned no = 0;
	int r = 0;

	for (size_t pos = 0; pos < len && r == 0;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		_cleanup_free_ char *line = NULL;

		no++;
		if (memchr(buf + pos, '\0', end - pos)) {
			r = conf_fail(err, no, "a NUL byte: this is not a text file");
			break;
		}
		line = xstrndup(buf + pos, end - pos);
		r = conf_line(line, no, set, ud, &seen, err);
		pos = end + 1;
	}
	seen_free(&seen);
	return r;
}

/* The user's configuration file (see conffile.h). */
char *conffile_default_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *path;

	/* the XDG base directory specification: a relative path is invalid, ignore it */
	if (xdg && xdg[0] == '/') {
		if (asprintf(&path, "%s/cgtop/config", xdg) < 0)
			return NULL;
		return path;
	}
	if (!home || home[0] != '/') {
		const struct passwd *pw = getpwuid(getuid());

		home = pw && pw->pw_dir && pw->pw_dir[0] == '/' ? pw->pw_dir : NULL;
	}
	if (!home || asprintf(&path, "%s/.config/cgtop/config", home) < 0)
		return NULL;
	return path;
}

/* Read the whole file at PATH into B (NUL-terminated). Returns 0 or -errno: -EINVAL when it
 * is not a regular file, -EFBIG when it is too big. */
static int read_conf(const char *path, struct buf *b)
{
	/* non-blocking, so that a FIFO cannot hang the start; a symlink is followed */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK), r = 0;
	struct stat st;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (S_ISDIR(st.st_mode))
		r = -EISDIR;
	else if (!S_ISREG(st.st_mode))
		r = -EINVAL;
	b->len = 0;
	while (r == 0) {
		ssize_t n;

		if (b->len > CONF_MAX_BYTES) {
			r = -EFBIG;
			break;
		}
		buf_reserve(b, b->len + 4096);
		n = read(fd, b->data + b->len, b->cap - b->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			r = -errno;
		if (n <= 0)
			break;
		b->len += (size_t)n;
	}
	if (b->data)
		b->data[b->len] = '\0';
	close(fd);
	return r;
}

int conffile_load(const char *path, bool must_exist, conffile_set_fn *set, void *ud)
{
	struct buf b = { 0 };
	struct conf_error err = { 0 };
	_cleanup_free_ char *shown = NULL;
	int r;

	if (!path)
		return 0;
	r = read_conf(path, &b);
	if (r == -ENOENT && !must_exist) {
		buf_free(&b);
		return 0;
	}
	shown = sanitize_dup(path);
	if (r < 0) {
		fprintf(stderr, "cgtop: cannot read the configuration file %s: %s\n", shown,
			r == -EINVAL ? "not a regular file" : r == -EFBIG ? "bigger than 1 MiB" : strerror(-r));
		buf_free(&b);
		return 2;
	}
	r = conffile_parse(b.data, b.len, set, ud, &err);
	buf_free(&b);
	if (r < 0) {
		fprintf(stderr, "cgtop: %s:%u: %s; fix the file or use --no-config\n", shown, err.line, err.text);
		return 2;
	}
	return 0;
}
