/* The configuration file: defaults for the options, "key = value" per line. */
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

static int conf_fail(struct conf_error *err, unsigned line, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

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

/* One line (NUL-terminated, no newline) into OPT. SEEN holds the keys set on earlier lines. */
static int conf_line(char *line, unsigned no, struct options *opt, char seen[][24], unsigned *seen_line,
		     size_t *nseen, struct conf_error *err)
{
	char *eq, *key, *value, shown_key[64], shown_value[128];
	const char *want;
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
	for (size_t i = 0; i < *nseen; i++)
		if (strcmp(seen[i], key) == 0)
			return conf_fail(err, no, "'%s' is already set on line %u", shown_key, seen_line[i]);
	if (!*value)
		return conf_fail(err, no, "'%s' has no value", shown_key);
	r = options_set_config(opt, key, value, &want);
	if (r == -ENOENT)
		return conf_fail(err, no, "unknown key '%s' (the keys are %s)", shown_key, options_config_keys());
	if (r < 0)
		return conf_fail(err, no, "invalid %s '%s': %s", shown_key, shown_value, want);
	/* known keys are short: the list of them bounds SEEN */
	snprintf(seen[*nseen], sizeof(seen[0]), "%s", key);
	seen_line[(*nseen)++] = no;
	return 0;
}

int conffile_parse(const char *buf, size_t len, struct options *opt, struct conf_error *err)
{
	char seen[32][24];
	unsigned seen_line[32];
	size_t nseen = 0;
	unsigned no = 0;

	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		_cleanup_free_ char *line = NULL;
		int r;

		no++;
		if (memchr(buf + pos, '\0', end - pos))
			return conf_fail(err, no, "a NUL byte: this is not a text file");
		line = xstrndup(buf + pos, end - pos);
		r = conf_line(line, no, opt, seen, seen_line, &nseen, err);
		if (r < 0)
			return r;
		pos = end + 1;
	}
	return 0;
}

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

int conffile_load(const char *path, bool must_exist, struct options *opt)
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
	r = conffile_parse(b.data, b.len, opt, &err);
	buf_free(&b);
	if (r < 0) {
		fprintf(stderr, "cgtop: %s:%u: %s; fix the file or use --no-config\n", shown, err.line, err.text);
		return 2;
	}
	return 0;
}
