/* Container metadata: names, labels, images and states from the container engines.
 *
 * A worker thread does all the I/O (API requests over unix sockets, docker's and podman's
 * files); the main thread only swaps in finished results, so a slow or broken engine
 * never holds up the display. Only GET requests are sent, and no program is run. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <json-c/json.h>

#include "meta.h"

#define DEFAULT_DOCKER_SOCKET "/var/run/docker.sock"
#define DEFAULT_DOCKER_ROOT "/var/lib/docker"
#define DEFAULT_PODMAN_SOCKET "/run/podman/podman.sock"
#define DEFAULT_PODMAN_STORAGE "/var/lib/containers/storage"
#define DEFAULT_TIMEOUT_MS 500

/* Close *FD if open; for _cleanup_close_. */
static inline void closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define _cleanup_close_ __attribute__((cleanup(closep)))

/* Longest status line plus headers accepted before the body. */
#define MAX_HEAD (64u << 10)

/* ------------------------------------------------------------------ JSON parsers */

void container_meta_free(struct container_meta *m)
{
	if (!m)
		return;
	free(m->id);
	free(m->name);
	free(m->engine_name);
	free(m->image);
	free(m->state);
	free(m->health);
	free(m->config_id);
	free(m->managed_by);
	for (size_t i = 0; i < m->nlabels; i++) {
		free(m->label_keys[i]);
		free(m->label_values[i]);
	}
	free(m->label_keys);
	free(m->label_values);
	memset(m, 0, sizeof(*m));
}

void meta_list_free(struct meta_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		container_meta_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Append an empty entry to L and return it. */
static struct container_meta *list_push(struct meta_list *l)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/* Parse LEN bytes of BUF as one JSON value (whitespace may follow it) into *OUT. */
static int json_parse_buf(const char *buf, size_t len, struct json_object **out)
{
	struct json_tokener *tok;
	struct json_object *o;
	enum json_tokener_error e;
	size_t end;

	*out = NULL;
	if (len > META_MAX_BODY)
		return -EFBIG;
	tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	if (!tok)
		return -ENOMEM;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (!o)
		return e == json_tokener_continue ? -ENODATA : -EBADMSG;
	for (; end < len; end++)
		if (!strchr(" \t\r\n", buf[end]) || buf[end] == '\0') {
			json_object_put(o);
			return -EBADMSG;
		}
	*out = o;
	return 0;
}

/* The member KEY of object O if it has TYPE, else NULL. */
static struct json_object *jget(struct json_object *o, const char *key, enum json_type type)
{
	struct json_object *v;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

/* A copy of the string member KEY of O, or NULL. */
static char *jdup(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key, json_type_string);

	return v ? xstrdup(json_object_get_string(v)) : NULL;
}

/* The boolean member KEY of O; false when missing or of another type. */
static bool jbool(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key, json_type_boolean);

	return v && json_object_get_boolean(v);
}

/* The member KEY of O as a pid, or 0. */
static int jpid(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key, json_type_int);
	int64_t pid = v ? json_object_get_int64(v) : 0;

	return pid > 0 && pid <= INT_MAX ? (int)pid : 0;
}

/* The value of label KEY in M, or NULL. */
static const char *label_value(const struct container_meta *m, const char *key)
{
	for (size_t i = 0; i < m->nlabels; i++)
		if (strcmp(m->label_keys[i], key) == 0)
			return m->label_values[i];
	return NULL;
}

/* Copy the string-valued members of the object LABELS into M's label arrays. */
static void take_labels(struct container_meta *m, struct json_object *labels)
{
	struct json_object_iterator it, end;
	size_t n;

	if (!labels)
		return;
	n = (size_t)json_object_object_length(labels);
	m->label_keys = xcalloc(n, sizeof(*m->label_keys));
	m->label_values = xcalloc(n, sizeof(*m->label_values));
	it = json_object_iter_begin(labels);
	end = json_object_iter_end(labels);
	for (; !json_object_iter_equal(&it, &end) && m->nlabels < n; json_object_iter_next(&it)) {
		struct json_object *v = json_object_iter_peek_value(&it);

		if (!json_object_is_type(v, json_type_string))
			continue;
		m->label_keys[m->nlabels] = xstrdup(json_object_iter_peek_name(&it));
		m->label_values[m->nlabels] = xstrdup(json_object_get_string(v));
		m->nlabels++;
	}
}

/* Fill the fields derived from others: the shown name and the well-known labels. */
static void finish_meta(struct container_meta *m)
{
	const char *v;

	if ((v = label_value(m, "config_id")))
		m->config_id = xstrdup(v);
	if ((v = label_value(m, "managed_by")))
		m->managed_by = xstrdup(v);
	v = label_value(m, "container_name");
	if (v && *v)
		m->name = xstrdup(v);
	else if (m->engine_name)
		m->name = xstrdup(m->engine_name);
}

/* The health in a list entry's Status: docker says "Up 2 hours (healthy)", podman's
 * libpod list says just "healthy". */
static char *health_from_status(const char *status)
{
	static const struct {
		const char *docker, *libpod, *health;
	} map[] = {
		{ "(healthy)", "healthy", "healthy" },
		{ "(unhealthy)", "unhealthy", "unhealthy" },
		{ "(health: starting)", "starting", "starting" },
	};

	if (!status)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strstr(status, map[i].docker) || strcmp(status, map[i].libpod) == 0)
			return xstrdup(map[i].health);
	return NULL;
}

/* The container's own name from a Names array: docker lists link aliases ("/web/db")
 * too, so the first name with no '/' after the leading one wins. */
static char *pick_name(struct json_object *names)
{
	const char *first = NULL;
	size_t n = names ? json_object_array_length(names) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(names, i);
		const char *s;

		if (!json_object_is_type(v, json_type_string))
			continue;
		s = json_object_get_string(v);
		if (*s == '/')
			s++;
		if (!first)
			first = s;
		if (!strchr(s, '/'))
			return xstrdup(s);
	}
	return first ? xstrdup(first) : NULL;
}

/* One entry of a /containers/json answer into M. Returns false when it has no Id. */
static bool entry_from_list(struct json_object *e, struct container_meta *m)
{
	struct json_object *id = jget(e, "Id", json_type_string);
	struct json_object *status = jget(e, "Status", json_type_string);

	if (!id || json_object_get_string_len(id) == 0)
		return false;
	m->id = xstrdup(json_object_get_string(id));
	m->engine_name = pick_name(jget(e, "Names", json_type_array));
	m->image = jdup(e, "Image");
	m->state = jdup(e, "State");
	m->health = health_from_status(status ? json_object_get_string(status) : NULL);
	m->main_pid = jpid(e, "Pid"); /* podman's libpod list only */
	take_labels(m, jget(e, "Labels", json_type_object));
	finish_meta(m);
	return true;
}

int meta_parse_containers_json(const char *buf, size_t len, struct meta_list *out)
{
	struct json_object *root;
	size_t n;
	int r = json_parse_buf(buf, len, &root);

	if (r < 0)
		return r;
	if (!json_object_is_type(root, json_type_array)) {
		json_object_put(root);
		return -EINVAL;
	}
	n = json_object_array_length(root);
	for (size_t i = 0; i < n; i++) {
		struct container_meta m = { 0 };

		if (entry_from_list(json_object_array_get_idx(root, i), &m))
			*list_push(out) = m;
		else
			container_meta_free(&m);
	}
	json_object_put(root);
	return 0;
}

/* docker's State.StateString() from the flags config.v2.json keeps. */
static char *state_from_config(struct json_object *st)
{
	const char *s;
	struct json_object *started = jget(st, "StartedAt", json_type_string);

	if (!st)
		return NULL;
	if (jbool(st, "Running"))
		s = jbool(st, "Paused") ? "paused" : jbool(st, "Restarting") ? "restarting" : "running";
	else if (jbool(st, "RemovalInProgress"))
		s = "removing";
	else if (jbool(st, "Dead"))
		s = "dead";
	else if (!started || strncmp(json_object_get_string(started), "0001-01-01T", 11) == 0)
		s = "created";
	else
		s = "exited";
	return xstrdup(s);
}

int meta_parse_config_v2(const char *buf, size_t len, struct container_meta *out)
{
	struct json_object *root, *config, *state, *name;
	int r;

	memset(out, 0, sizeof(*out));
	r = json_parse_buf(buf, len, &root);
	if (r < 0)
		return r;
	if (!jget(root, "ID", json_type_string)) {
		json_object_put(root);
		return -EINVAL;
	}
	config = jget(root, "Config", json_type_object);
	state = jget(root, "State", json_type_object);
	name = jget(root, "Name", json_type_string);
	out->id = jdup(root, "ID");
	if (name) {
		const char *s = json_object_get_string(name);

		out->engine_name = xstrdup(*s == '/' ? s + 1 : s);
	}
	out->image = jdup(config, "Image");
	out->state = state_from_config(state);
	out->health = jdup(jget(state, "Health", json_type_object), "Status");
	if (jbool(state, "Running"))
		out->main_pid = jpid(state, "Pid");
	take_labels(out, jget(config, "Labels", json_type_object));
	finish_meta(out);
	json_object_put(root);
	return 0;
}

int meta_parse_podman_storage(const char *buf, size_t len, struct meta_list *out)
{
	struct json_object *root;
	size_t n;
	int r = json_parse_buf(buf, len, &root);

	if (r < 0)
		return r;
	if (!json_object_is_type(root, json_type_array)) {
		json_object_put(root);
		return -EINVAL;
	}
	n = json_object_array_length(root);
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(root, i);
		struct json_object *id = jget(e, "id", json_type_string);
		struct json_object *md = jget(e, "metadata", json_type_string);
		struct json_object *mdo = NULL;
		struct container_meta *m;

		if (!id || json_object_get_string_len(id) == 0)
			continue;
		m = list_push(out);
		m->id = xstrdup(json_object_get_string(id));
		m->engine_name = pick_name(jget(e, "names", json_type_array));
		/* metadata is a JSON document inside a string: {"image-name": …, "name": …} */
		if (md && json_parse_buf(json_object_get_string(md),
					 (size_t)json_object_get_string_len(md), &mdo) == 0) {
			m->image = jdup(mdo, "image-name");
			if (!m->engine_name)
				m->engine_name = jdup(mdo, "name");
			json_object_put(mdo);
		}
		finish_meta(m);
	}
	json_object_put(root);
	return 0;
}

/* ------------------------------------------------------------------ HTTP */

/* The next line of [P, END): its length without the line end into *LEN, and where the
 * following line starts. NULL when the line is not complete yet. */
static const char *next_line(const char *p, const char *end, size_t *len)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	if (!nl)
		return NULL;
	*len = (size_t)(nl - p);
	if (*len > 0 && p[*len - 1] == '\r')
		(*len)--;
	return nl + 1;
}

/* Whether header line L (LEN bytes) is NAME, and if so where its value starts. */
static const char *header_value(const char *l, size_t len, const char *name, size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || l[n] != ':' || strncasecmp(l, name, n) != 0)
		return NULL;
	l += n + 1;
	len -= n + 1;
	while (len > 0 && (*l == ' ' || *l == '\t'))
		l++, len--;
	while (len > 0 && (l[len - 1] == ' ' || l[len - 1] == '\t'))
		len--;
	*vlen = len;
	return l;
}

/* Parse an unsigned number of BASE (10 or 16) from [S, S+LEN), all of it. */
static int parse_size(const char *s, size_t len, int base, size_t *out)
{
	size_t v = 0;

	if (len == 0)
		return -EBADMSG;
	for (size_t i = 0; i < len; i++) {
		int d;

		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (base == 16 && s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return -EBADMSG;
		if (v > (SIZE_MAX - (size_t)d) / (size_t)base)
			return -EFBIG;
		v = v * (size_t)base + (size_t)d;
	}
	*out = v;
	return 0;
}

/* What the status line and headers say: how the body is framed and where it starts. */
struct http_head {
	int status;
	size_t head_len;
	bool chunked;
	bool has_length;
	size_t length;
};

/* Parse the status line and headers of BUF. Returns 0, -EAGAIN (incomplete), -EBADMSG. */
static int http_parse_head(const char *buf, size_t len, struct http_head *h)
{
	static const char proto[] = "HTTP/1.";
	const char *p = buf, *end = buf + len, *next, *v;
	size_t l, vl;

	memset(h, 0, sizeof(*h));
	/* say "not HTTP" as soon as the first bytes show it, not only at the end */
	if (memcmp(buf, proto, len < 7 ? len : 7) != 0)
		return -EBADMSG;
	next = next_line(p, end, &l);
	if (!next)
		return len > MAX_HEAD ? -EBADMSG : -EAGAIN;
	if (l < 12 || p[8] != ' ' || p[7] < '0' || p[7] > '9' || p[9] < '1' || p[9] > '5' ||
	    p[10] < '0' || p[10] > '9' || p[11] < '0' || p[11] > '9' || (l > 12 && p[12] != ' '))
		return -EBADMSG;
	h->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	for (p = next; (next = next_line(p, end, &l)); p = next) {
		if (l == 0) {
			h->head_len = (size_t)(next - buf);
			return h->head_len > MAX_HEAD ? -EBADMSG : 0;
		}
		if (!memchr(p, ':', l) || *p == ' ' || *p == '\t')
			return -EBADMSG;
		if ((v = header_value(p, l, "Content-Length", &vl))) {
			if (parse_size(v, vl, 10, &h->length) < 0)
				return -EBADMSG;
			h->has_length = true;
		} else if ((v = header_value(p, l, "Transfer-Encoding", &vl))) {
			h->chunked = vl >= 7 && strncasecmp(v + vl - 7, "chunked", 7) == 0;
		}
	}
	return (size_t)(p - buf) > MAX_HEAD ? -EBADMSG : -EAGAIN;
}

/* Append N bytes at P to B, keeping it NUL-terminated. */
static int buf_append(struct buf *b, const char *p, size_t n)
{
	if (b->len + n > META_MAX_BODY)
		return -EFBIG;
	if (buf_reserve(b, b->len + n) < 0)
		return -ENOMEM;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

/* Decode a chunked body from [P, END) into BODY. Returns 0, -EAGAIN, -EBADMSG, -EFBIG. */
static int http_dechunk(const char *p, const char *end, struct buf *body)
{
	for (;;) {
		const char *next = NULL, *semi;
		size_t l, size;
		int r;

		next = next_line(p, end, &l);
		if (!next)
			return (size_t)(end - p) > 1024 ? -EBADMSG : -EAGAIN;
		semi = memchr(p, ';', l);
		if (semi)
			l = (size_t)(semi - p);
		while (l > 0 && (p[l - 1] == ' ' || p[l - 1] == '\t'))
			l--;
		r = parse_size(p, l, 16, &size);
		if (r < 0)
			return r;
		p = next;
		if (size == 0) {
			/* trailers, then an empty line */
			while ((next = next_line(p, end, &l))) {
				if (l == 0)
					return 0;
				p = next;
			}
			return -EAGAIN;
		}
		if (size > META_MAX_BODY - body->len)
			return -EFBIG;
		if ((size_t)(end - p) < size + 2) {
			/* a CR LF must follow the data, so a wrong one is garbage even now */
			if ((size_t)(end - p) >= size + 1 && p[size] != '\r' && p[size] != '\n')
				return -EBADMSG;
			return -EAGAIN;
		}
		if ((r = buf_append(body, p, size)) < 0)
			return r;
		p += size;
		if (p[0] == '\r' && p[1] == '\n')
			p += 2;
		else if (p[0] == '\n')
			p += 1;
		else
			return -EBADMSG;
	}
}

int meta_http_response(const char *buf, size_t len, bool eof, int *status, struct buf *body)
{
	struct http_head h;
	const char *p, *end = buf + len;
	int r;

	body->len = 0;
	if (body->data)
		body->data[0] = '\0';
	*status = 0;
	r = http_parse_head(buf, len, &h);
	if (r == -EAGAIN)
		return eof ? -EPIPE : -EAGAIN;
	if (r < 0)
		return r;
	*status = h.status;
	p = buf + h.head_len;
	if (h.status / 100 == 1 || h.status == 204 || h.status == 304)
		return 0;
	if (h.chunked) {
		r = http_dechunk(p, end, body);
		return r == -EAGAIN && eof ? -EPIPE : r;
	}
	if (h.has_length) {
		if (h.length > META_MAX_BODY)
			return -EFBIG;
		if ((size_t)(end - p) < h.length)
			return eof ? -EPIPE : -EAGAIN;
		return buf_append(body, p, h.length);
	}
	if (!eof)
		return (size_t)(end - p) > META_MAX_BODY ? -EFBIG : -EAGAIN;
	return buf_append(body, p, (size_t)(end - p));
}

/* Milliseconds left until DEADLINE (monotonic ns), at least 0. */
static int ms_left(uint64_t deadline)
{
	uint64_t now = now_monotonic_ns();

	if (now >= deadline)
		return 0;
	return (int)((deadline - now + 999999) / 1000000);
}

/* Wait until FD is ready for EVENTS, DEADLINE passes (-ETIMEDOUT) or CANCEL_FD is
 * readable (-ECANCELED). */
static int wait_fd(int fd, short events, int cancel_fd, uint64_t deadline)
{
	for (;;) {
		struct pollfd p[2] = { { .fd = fd, .events = events }, { .fd = cancel_fd, .events = POLLIN } };
		int left = ms_left(deadline);
		int r;

		if (left == 0)
			return -ETIMEDOUT;
		r = poll(p, cancel_fd >= 0 ? 2 : 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		if (cancel_fd >= 0 && p[1].revents)
			return -ECANCELED;
		if (p[0].revents)
			return 0;
	}
}

/* Connect to the unix socket PATH before DEADLINE. Returns the descriptor or -errno. */
static int unix_connect(const char *path, int cancel_fd, uint64_t deadline)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, r, err = 0;
	socklen_t elen = sizeof(err);

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
		return fd;
	if (errno != EINPROGRESS) {
		r = -errno;
		close(fd);
		return r;
	}
	r = wait_fd(fd, POLLOUT, cancel_fd, deadline);
	if (r == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		r = -errno;
	else if (r == 0 && err)
		r = -err;
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

/* Whether the answer in RAW may be complete, so that parsing it is worth the time:
 * the full body of a Content-Length answer, or a chunked one ending in the last chunk. */
static bool maybe_complete(const struct buf *raw, const struct http_head *h)
{
	static const char last[] = "0\r\n\r\n";

	if (h->has_length && !h->chunked)
		return raw->len - h->head_len >= h->length;
	if (h->chunked)
		return raw->len - h->head_len >= sizeof(last) - 1 &&
		       memcmp(raw->data + raw->len - (sizeof(last) - 1), last, sizeof(last) - 1) == 0;
	return false;
}

/* GET PATH over the unix socket SOCK, giving up after TIMEOUT_MS in all. The raw answer
 * goes to RAW, the body to BODY, the status to *STATUS. Returns 0 or -errno (see
 * meta_http_response(), plus connection errors, -ETIMEDOUT and -ECANCELED). */
static int http_get(const char *sock, const char *host, const char *path, int timeout_ms,
		    int cancel_fd, struct buf *raw, struct buf *body, int *status)
{
	uint64_t deadline = now_monotonic_ns() + (uint64_t)timeout_ms * 1000000u;
	_cleanup_close_ int fd = -1;
	char req[512];
	size_t sent = 0, reqlen;
	struct http_head h = { 0 };
	bool have_head = false;
	int r, n;

	*status = 0;
	raw->len = 0;
	n = snprintf(req, sizeof(req),
		     "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: cgtop/" PACKAGE_VERSION
		     "\r\nAccept: application/json\r\nConnection: close\r\n\r\n", path, host);
	if (n < 0 || (size_t)n >= sizeof(req))
		return -ENAMETOOLONG;
	reqlen = (size_t)n;
	fd = unix_connect(sock, cancel_fd, deadline);
	if (fd < 0)
		return fd;
	while (sent < reqlen) {
		ssize_t w = send(fd, req + sent, reqlen - sent, MSG_NOSIGNAL);

		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if ((r = wait_fd(fd, POLLOUT, cancel_fd, deadline)) < 0)
				return r;
			continue;
		}
		if (w < 0)
			return -errno;
		sent += (size_t)w;
	}
	for (;;) {
		ssize_t got;

		if ((r = wait_fd(fd, POLLIN, cancel_fd, deadline)) < 0)
			return r;
		/* the body's limit, plus room for headers and chunk framing */
		if (raw->len >= MAX_HEAD + META_MAX_BODY + META_MAX_BODY / 16)
			return -EFBIG;
		if (buf_reserve(raw, raw->len + 65536) < 0)
			return -ENOMEM;
		got = recv(fd, raw->data + raw->len, 65536, 0);
		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (got < 0 && errno != ECONNRESET)
			return -errno;
		if (got <= 0)
			/* the peer closed: whatever came is all there is */
			return meta_http_response(raw->data, raw->len, true, status, body);
		raw->len += (size_t)got;
		raw->data[raw->len] = '\0';
		if (!have_head) {
			r = http_parse_head(raw->data, raw->len, &h);
			if (r < 0 && r != -EAGAIN)
				return r;
			have_head = r == 0;
		}
		if (have_head && maybe_complete(raw, &h)) {
			r = meta_http_response(raw->data, raw->len, false, status, body);
			if (r != -EAGAIN)
				return r;
		}
	}
}

/* Read the regular file at host PATH (below the root) into B, at most META_MAX_BODY. */
static ssize_t read_capped(const struct rootfs *root, const char *path, struct buf *b)
{
	struct stat st;
	ssize_t r = 0;
	_cleanup_close_ int fd = rootfs_openat(root, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);

	if (fd < 0)
		return fd;
	b->len = 0;
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (!S_ISREG(st.st_mode))
		r = -EINVAL;
	while (r == 0) {
		ssize_t got;

		if (b->len > META_MAX_BODY) {
			r = -EFBIG;
			break;
		}
		if (buf_reserve(b, b->len + 65536) < 0) {
			r = -ENOMEM;
			break;
		}
		got = read(fd, b->data + b->len, 65536);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			r = -errno;
		else if (got == 0)
			break;
		else
			b->len += (size_t)got;
	}
	if (r < 0)
		return r;
	b->data[b->len] = '\0';
	return (ssize_t)b->len;
}

/* ------------------------------------------------------------------ the store */

/* What one fetch found: entries for the IDs it was asked about, sorted by ID. */
struct meta_fetch {
	struct meta_list list;
	char **ids;     /* the IDs asked about, sorted */
	size_t nids;
};

/* Notes made by the worker, for the main thread: only it may touch struct notes. */
struct note_queue {
	char **keys;
	char **texts;
	size_t n;
};

struct meta_store {
	const struct rootfs *root;
	struct notes *notes;
	char *docker_socket;      /* NULL when not used */
	bool docker_explicit;     /* given by the user: a missing socket is worth a note */
	char *docker_root;
	char *podman_socket;
	bool podman_explicit;
	char *podman_storage;
	int timeout_ms;

	/* main thread only */
	struct meta_list cur;     /* adopted results, sorted by ID */
	char **want;              /* the set last asked about, sorted */
	size_t nwant;
	uint64_t last_ask_ns;
	const char **scratch;     /* want()'s sorted view of its argument */
	size_t scratch_cap;

	/* shared with the worker, under lock; the worker never holds it during I/O */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	char **req;               /* the next set to fetch */
	size_t nreq;
	bool req_new;
	bool fetching;            /* the worker is at a fetch */
	struct meta_fetch *done;  /* finished, not adopted yet */
	struct note_queue queue;
	bool stop;

	/* the worker's own */
	pthread_t thread;
	bool running;
	int cancel_fd;            /* eventfd: readable once meta_store_free() wants the worker gone */
	struct buf raw, body, file;
	struct note_queue made;   /* notes of the fetch under way */
	char **sent;              /* keys already queued: each kind is said once */
	size_t nsent;
};

/* qsort/bsearch comparison of two char * array elements. */
static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* bsearch comparison of an ID with a container_meta. */
static int cmp_id_meta(const void *id, const void *m)
{
	return strcmp(id, ((const struct container_meta *)m)->id);
}

/* qsort comparison of two container_meta by ID. */
static int cmp_meta(const void *a, const void *b)
{
	return strcmp(((const struct container_meta *)a)->id, ((const struct container_meta *)b)->id);
}

/* Free the N strings of V and V. */
static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Whether the sorted array V of N strings holds S. */
static bool strv_has(char *const *v, size_t n, const char *s)
{
	return n > 0 && bsearch(&s, v, n, sizeof(*v), cmp_strp) != NULL;
}

/* The entry for ID among the first N (sorted by ID) of L, or NULL. */
static struct container_meta *list_find_n(const struct meta_list *l, size_t n, const char *id)
{
	if (n == 0)
		return NULL;
	return bsearch(id, l->v, n, sizeof(*l->v), cmp_id_meta);
}

/* The entry of the ID-sorted list L for ID, or NULL. */
static struct container_meta *list_find(const struct meta_list *l, const char *id)
{
	return list_find_n(l, l->n, id);
}

/* Sort L by ID, for list_find(). */
static void list_sort(struct meta_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_meta);
}

/* Move the entries of FROM whose ID is among the sorted IDS and not yet in the sorted
 * list TO into TO (sorted again, one entry per ID); free the rest and FROM's array. */
static void list_take(struct meta_list *to, struct meta_list *from, char *const *ids, size_t n)
{
	size_t before = to->n, j = 0;

	for (size_t i = 0; i < from->n; i++) {
		if (strv_has(ids, n, from->v[i].id) && !list_find_n(to, before, from->v[i].id))
			*list_push(to) = from->v[i];
		else
			container_meta_free(&from->v[i]);
	}
	free(from->v);
	from->v = NULL;
	from->n = 0;
	list_sort(to);
	/* an engine listing an ID twice: keep one */
	for (size_t i = 0; i < to->n; i++) {
		if (j > 0 && strcmp(to->v[j - 1].id, to->v[i].id) == 0)
			container_meta_free(&to->v[i]);
		else
			to->v[j++] = to->v[i];
	}
	to->n = j;
}

/* Whether S is a 64-hex container ID, the only kind used in a file path. */
static bool is_hex_id(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 64;
}

/* Free the notes of Q and empty it. */
static void queue_free(struct note_queue *q)
{
	strv_free(q->keys, q->n);
	strv_free(q->texts, q->n);
	memset(q, 0, sizeof(*q));
}

/* Move the notes of FROM to the end of TO. */
static void queue_move(struct note_queue *to, struct note_queue *from)
{
	if (from->n == 0)
		return;
	to->keys = xrealloc(to->keys, (to->n + from->n) * sizeof(*to->keys));
	to->texts = xrealloc(to->texts, (to->n + from->n) * sizeof(*to->texts));
	memcpy(to->keys + to->n, from->keys, from->n * sizeof(*to->keys));
	memcpy(to->texts + to->n, from->texts, from->n * sizeof(*to->texts));
	to->n += from->n;
	free(from->keys);
	free(from->texts);
	memset(from, 0, sizeof(*from));
}

/* Make a note in the worker, unless one with KEY was made before. */
static void worker_note(struct meta_store *s, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void worker_note(struct meta_store *s, const char *key, const char *fmt, ...)
{
	va_list ap;
	char text[1024];
	struct note_queue *q = &s->made;

	if (strv_has(s->sent, s->nsent, key))
		return;
	s->sent = xrealloc(s->sent, (s->nsent + 1) * sizeof(*s->sent));
	s->sent[s->nsent++] = xstrdup(key);
	qsort(s->sent, s->nsent, sizeof(*s->sent), cmp_strp);
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	q->keys = xrealloc(q->keys, (q->n + 1) * sizeof(*q->keys));
	q->texts = xrealloc(q->texts, (q->n + 1) * sizeof(*q->texts));
	q->keys[q->n] = xstrdup(key);
	q->texts[q->n] = xstrdup(text);
	q->n++;
}

/* Whether meta_store_free() has asked the worker to stop. */
static bool cancelled(const struct meta_store *s)
{
	struct pollfd p = { .fd = s->cancel_fd, .events = POLLIN };

	return s->cancel_fd >= 0 && poll(&p, 1, 0) > 0;
}

/* How a failed API request is named in a note's key and said in its text. */
struct api_failure {
	const char *kind;
	bool unreachable;   /* no answer at all, rather than a wrong one */
	char why[160];
};

/* Describe error R of a request (HTTP STATUS when R is -EPROTO) into F. */
static void describe_failure(int r, int status, int timeout_ms, struct api_failure *f)
{
	f->unreachable = true;
	switch (r) {
	case -ENOENT:
		f->kind = "missing";
		snprintf(f->why, sizeof(f->why), "no such socket");
		return;
	case -ECONNREFUSED:
		f->kind = "refused";
		snprintf(f->why, sizeof(f->why), "connection refused");
		return;
	case -EACCES:
	case -EPERM:
		f->kind = "denied";
		snprintf(f->why, sizeof(f->why), "permission denied");
		return;
	case -ETIMEDOUT:
		f->kind = "timeout";
		snprintf(f->why, sizeof(f->why), "no answer within %d ms", timeout_ms);
		return;
	default:
		break;
	}
	f->unreachable = false;
	switch (r) {
	case -EBADMSG:
		f->kind = "garbage";
		snprintf(f->why, sizeof(f->why), "the answer is not HTTP");
		break;
	case -EPIPE:
		f->kind = "closed";
		snprintf(f->why, sizeof(f->why), "the connection closed in the middle of the answer");
		break;
	case -EFBIG:
		f->kind = "toobig";
		snprintf(f->why, sizeof(f->why), "the answer is larger than %u MiB", META_MAX_BODY >> 20);
		break;
	case -EPROTO:
		f->kind = "status";
		snprintf(f->why, sizeof(f->why), "HTTP status %d", status);
		break;
	case -ENODATA:
		f->kind = "json";
		snprintf(f->why, sizeof(f->why), "the JSON answer is truncated");
		break;
	case -EINVAL:
		f->kind = "json";
		snprintf(f->why, sizeof(f->why), "the answer is JSON but not a list of containers");
		break;
	case -EILSEQ:
		f->kind = "json";
		snprintf(f->why, sizeof(f->why), "the answer is not JSON");
		break;
	default:
		f->kind = "error";
		f->unreachable = true;
		errno = -r;
		snprintf(f->why, sizeof(f->why), "%m"); /* strerror() is not thread-safe */
		break;
	}
}

/* GET PATH from the engine at SOCK and append the containers it lists to OUT.
 * Returns 0, -EPROTO (HTTP status not 200, in *STATUS), -EILSEQ/-ENODATA/-EINVAL (not
 * the JSON expected) or the errors of http_get(). */
static int api_list(struct meta_store *s, const char *sock, const char *host, const char *path,
		    struct meta_list *out, int *status)
{
	int r = http_get(sock, host, path, s->timeout_ms, s->cancel_fd, &s->raw, &s->body, status);

	if (r < 0)
		return r;
	if (*status != 200)
		return -EPROTO;
	r = meta_parse_containers_json(s->body.data ? s->body.data : "", s->body.len, out);
	return r == -EBADMSG ? -EILSEQ : r;
}

/* Ask the Docker API for its list (into OUT), with a note when that fails. */
static void fetch_docker_api(struct meta_store *s, struct meta_list *out)
{
	struct api_failure f;
	char key[64];
	int status = 0;
	int r = api_list(s, s->docker_socket, "docker", "/containers/json?all=1", out, &status);

	if (r == 0 || r == -ECANCELED || (r == -ENOENT && !s->docker_explicit))
		return;
	describe_failure(r, status, s->timeout_ms, &f);
	snprintf(key, sizeof(key), "meta-docker-api-%s", f.kind);
	worker_note(s, key,
		    "%s the Docker API at %s (%s): container names come from %s/containers/*/config.v2.json; run as root or give --docker-socket",
		    f.unreachable ? "cannot reach" : "no usable answer from", s->docker_socket, f.why,
		    s->docker_root);
}

/* Ask podman's own API for its list (into OUT), then its Docker-compatible one if the
 * first is not there (podman 3 and older), with a note when both fail. */
static void fetch_podman_api(struct meta_store *s, struct meta_list *out)
{
	struct api_failure f;
	char key[64];
	int status = 0;
	int r = api_list(s, s->podman_socket, "podman", "/v4.0.0/libpod/containers/json?all=true",
			 out, &status);

	if (r == -EPROTO)
		r = api_list(s, s->podman_socket, "podman", "/containers/json?all=1", out, &status);
	if (r == 0 || r == -ECANCELED || (r == -ENOENT && !s->podman_explicit))
		return;
	describe_failure(r, status, s->timeout_ms, &f);
	snprintf(key, sizeof(key), "meta-podman-api-%s", f.kind);
	worker_note(s, key,
		    "%s the podman API at %s (%s): podman container names come from %s/overlay-containers/containers.json (no labels there); run as root or give --podman-socket",
		    f.unreachable ? "cannot reach" : "no usable answer from", s->podman_socket, f.why,
		    s->podman_storage);
}

/* What read_capped()'s error R means, for a note, in BUF (N bytes). */
static const char *read_error_text(int r, char *buf, size_t n)
{
	if (r == -EINVAL)
		return "not a regular file";
	if (r == -EFBIG)
		return "larger than 16 MiB";
	errno = -r;
	snprintf(buf, n, "%m"); /* strerror() is not thread-safe */
	return buf;
}

/* What a parser's error means, for a note. */
static const char *parse_error_text(int r)
{
	switch (r) {
	case -ENODATA:
		return "truncated JSON";
	case -EBADMSG:
		return "not JSON";
	case -EFBIG:
		return "larger than 16 MiB";
	default:
		return "JSON of an unexpected shape";
	}
}

/* docker's config.v2.json of every wanted ID: the whole entry for IDs the API did not
 * list, the main pid (which the list lacks) for the others. */
static void fetch_docker_files(struct meta_store *s, struct meta_fetch *f)
{
	struct meta_list extra = { 0 };
	char path[PATH_MAX], why[128];
	int read_err = 0;
	char err_path[PATH_MAX] = "";

	for (size_t i = 0; i < f->nids && !cancelled(s); i++) {
		const char *id = f->ids[i];
		struct container_meta m, *known;
		ssize_t n;
		int r;

		if (!is_hex_id(id))
			continue;
		snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", s->docker_root, id);
		known = list_find(&f->list, id);
		n = read_capped(s->root, path, &s->file);
		if (n == -ENOENT || n == -ENOTDIR)
			continue;
		if (n < 0) {
			if (!known && !read_err) {
				read_err = (int)n;
				snprintf(err_path, sizeof(err_path), "%s", path);
			}
			continue;
		}
		r = meta_parse_config_v2(s->file.data, s->file.len, &m);
		if (r < 0) {
			worker_note(s, "meta-docker-config-parse",
				    "%s is %s: container %.12s is shown by its ID unless the Docker API names it",
				    path, parse_error_text(r), id);
			continue;
		}
		if (known) {
			if (!known->main_pid)
				known->main_pid = m.main_pid;
			if (!known->health && m.health) {
				known->health = m.health;
				m.health = NULL;
			}
			container_meta_free(&m);
			continue;
		}
		/* the directory names the container, whatever the file says */
		free(m.id);
		m.id = xstrdup(id);
		*list_push(&extra) = m;
	}
	if (read_err)
		worker_note(s, "meta-docker-config-read",
			    "cannot read %s (%s): Docker containers the API does not name are shown by ID; run as root or give --docker-socket",
			    err_path, read_error_text(read_err, why, sizeof(why)));
	for (size_t i = 0; i < extra.n; i++)
		*list_push(&f->list) = extra.v[i];
	free(extra.v);
	list_sort(&f->list);
}

/* Whether some ID asked about has no entry yet. */
static bool any_unknown(const struct meta_fetch *f)
{
	for (size_t i = 0; i < f->nids; i++)
		if (!list_find(&f->list, f->ids[i]))
			return true;
	return false;
}

/* podman's containers.json (in the directory of whichever storage driver is in use):
 * names and images of the IDs still unknown. */
static void fetch_podman_files(struct meta_store *s, struct meta_fetch *f)
{
	static const char *const drivers[] = { "overlay", "vfs", "btrfs", "zfs" };
	struct meta_list all = { 0 };
	char path[PATH_MAX], why[128];
	ssize_t n = -ENOENT;
	int r;

	if (!any_unknown(f))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(drivers) && n == -ENOENT; i++) {
		snprintf(path, sizeof(path), "%s/%s-containers/containers.json", s->podman_storage, drivers[i]);
		n = read_capped(s->root, path, &s->file);
	}
	if (n == -ENOENT || n == -ENOTDIR)
		return;
	if (n < 0) {
		worker_note(s, "meta-podman-storage-read",
			    "cannot read %s (%s): podman containers the API does not name are shown by ID; run as root or give --podman-socket",
			    path, read_error_text((int)n, why, sizeof(why)));
		return;
	}
	r = meta_parse_podman_storage(s->file.data, s->file.len, &all);
	if (r < 0) {
		worker_note(s, "meta-podman-storage-parse",
			    "%s is %s: podman containers the API does not name are shown by ID", path,
			    parse_error_text(r));
		return;
	}
	list_take(&f->list, &all, f->ids, f->nids);
}

/* Free a fetch's result and the IDs it was asked about. */
static void fetch_free(struct meta_fetch *f)
{
	if (!f)
		return;
	meta_list_free(&f->list);
	strv_free(f->ids, f->nids);
	free(f);
}

/* One fetch: every source in turn, each filling in what the ones before left unknown.
 * Takes IDS (sorted, N of them). */
static struct meta_fetch *fetch(struct meta_store *s, char **ids, size_t n)
{
	struct meta_fetch *f = xcalloc(1, sizeof(*f));
	struct meta_list all = { 0 };

	f->ids = ids;
	f->nids = n;
	if (s->docker_socket)
		fetch_docker_api(s, &all);
	if (s->podman_socket && !cancelled(s))
		fetch_podman_api(s, &all);
	list_take(&f->list, &all, ids, n);
	fetch_docker_files(s, f);
	if (!cancelled(s))
		fetch_podman_files(s, f);
	return f;
}

/* The worker thread: waits for a request, fetches, posts the result and its notes. */
static void *worker_main(void *arg)
{
	struct meta_store *s = arg;

	for (;;) {
		struct meta_fetch *f, *old;
		char **ids;
		size_t n;

		pthread_mutex_lock(&s->lock);
		while (!s->stop && !s->req_new)
			pthread_cond_wait(&s->wake, &s->lock);
		if (s->stop) {
			pthread_mutex_unlock(&s->lock);
			break;
		}
		ids = s->req;
		n = s->nreq;
		s->req = NULL;
		s->nreq = 0;
		s->req_new = false;
		s->fetching = true;
		pthread_mutex_unlock(&s->lock);

		f = fetch(s, ids, n);

		pthread_mutex_lock(&s->lock);
		queue_move(&s->queue, &s->made);
		old = s->done;
		s->done = f;
		s->fetching = false;
		pthread_mutex_unlock(&s->lock);
		/* a result the main thread never adopted: superseded */
		fetch_free(old);
	}
	return NULL;
}

/* The socket to use for an engine: the option if given ("" = none), else DEFAULT on
 * the host only. *EXPLICIT tells whether the user chose it. */
static char *pick_socket(const struct rootfs *r, const char *opt, const char *def, bool *explicit)
{
	*explicit = opt != NULL;
	if (opt)
		return *opt ? xstrdup(opt) : NULL;
	return r->is_host ? xstrdup(def) : NULL;
}

struct meta_store *meta_store_new(const struct rootfs *r, const struct meta_options *o,
				  struct notes *notes)
{
	static const struct meta_options defaults = { 0 };
	struct meta_store *s = xcalloc(1, sizeof(*s));
	const char *dh = getenv("DOCKER_HOST");
	sigset_t all, old;
	int rc;

	if (!o)
		o = &defaults;
	s->root = r;
	s->notes = notes;
	s->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
	s->docker_root = xstrdup(o->docker_root ? o->docker_root : DEFAULT_DOCKER_ROOT);
	s->podman_storage = xstrdup(o->podman_storage ? o->podman_storage : DEFAULT_PODMAN_STORAGE);
	if (!o->docker_socket && r->is_host && dh && *dh) {
		if (strncmp(dh, "unix://", 7) == 0 && dh[7]) {
			s->docker_socket = xstrdup(dh + 7);
			s->docker_explicit = true;
		} else {
			notes_add(notes, "meta-docker-host",
				  "DOCKER_HOST=%s is not a unix:// socket: cgtop asks only a local engine, at %s; give --docker-socket to choose another",
				  dh, DEFAULT_DOCKER_SOCKET);
		}
	}
	if (!s->docker_socket)
		s->docker_socket = pick_socket(r, o->docker_socket, DEFAULT_DOCKER_SOCKET,
					       &s->docker_explicit);
	s->podman_socket = pick_socket(r, o->podman_socket, DEFAULT_PODMAN_SOCKET, &s->podman_explicit);
	s->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	/* signals (SIGWINCH, SIGINT, …) are for the main thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&s->thread, NULL, worker_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	s->running = rc == 0;
	if (rc)
		notes_add(notes, "meta-thread",
			  "cannot start the thread that asks container engines for names (%s): containers are shown by ID",
			  strerror(rc));
	return s;
}

void meta_store_free(struct meta_store *s)
{
	if (!s)
		return;
	if (s->running) {
		pthread_mutex_lock(&s->lock);
		s->stop = true;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->lock);
		if (s->cancel_fd >= 0)
			eventfd_write(s->cancel_fd, 1);
		pthread_join(s->thread, NULL);
	}
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->lock);
	if (s->cancel_fd >= 0)
		close(s->cancel_fd);
	meta_list_free(&s->cur);
	strv_free(s->want, s->nwant);
	free(s->scratch);
	strv_free(s->req, s->nreq);
	fetch_free(s->done);
	queue_free(&s->queue);
	queue_free(&s->made);
	strv_free(s->sent, s->nsent);
	buf_free(&s->raw);
	buf_free(&s->body);
	buf_free(&s->file);
	free(s->docker_socket);
	free(s->docker_root);
	free(s->podman_socket);
	free(s->podman_storage);
	free(s);
}

void meta_store_want(struct meta_store *s, const char *const *ids, size_t n)
{
	uint64_t now = now_monotonic_ns();
	size_t nw = 0, nold;
	char **req, **old;
	bool changed;

	/* a sorted, de-duplicated view first, so an unchanged set costs no allocation */
	if (n > s->scratch_cap) {
		s->scratch = xrealloc(s->scratch, n * sizeof(*s->scratch));
		s->scratch_cap = n;
	}
	for (size_t i = 0; i < n; i++)
		s->scratch[i] = ids[i];
	if (n > 1)
		qsort(s->scratch, n, sizeof(*s->scratch), cmp_strp);
	for (size_t i = 0; i < n; i++)
		if (nw == 0 || strcmp(s->scratch[nw - 1], s->scratch[i]) != 0)
			s->scratch[nw++] = s->scratch[i];
	changed = nw != s->nwant;
	for (size_t i = 0; i < nw && !changed; i++)
		changed = strcmp(s->scratch[i], s->want[i]) != 0;

	if (changed) {
		strv_free(s->want, s->nwant);
		s->want = xcalloc(nw, sizeof(*s->want));
		for (size_t i = 0; i < nw; i++)
			s->want[i] = xstrdup(s->scratch[i]);
		s->nwant = nw;
	} else {
		bool unknown = false;

		for (size_t i = 0; i < nw && !unknown; i++)
			unknown = !meta_store_lookup(s, s->want[i]);
		if (!unknown || now - s->last_ask_ns < META_RETRY_NS)
			return;
	}
	if (s->nwant == 0 || !s->running)
		return;
	s->last_ask_ns = now;
	req = xcalloc(s->nwant, sizeof(*req));
	for (size_t i = 0; i < s->nwant; i++)
		req[i] = xstrdup(s->want[i]);
	pthread_mutex_lock(&s->lock);
	/* a request the worker has not taken yet is replaced by this newer one */
	old = s->req;
	nold = s->nreq;
	s->req = req;
	s->nreq = s->nwant;
	s->req_new = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	strv_free(old, nold);
}

bool meta_store_pending(struct meta_store *s)
{
	bool pending;

	pthread_mutex_lock(&s->lock);
	pending = s->req_new || s->fetching || s->done;
	pthread_mutex_unlock(&s->lock);
	return pending;
}

void meta_store_sync(struct meta_store *s)
{
	struct meta_fetch *f;
	struct note_queue q;
	size_t nfound;

	pthread_mutex_lock(&s->lock);
	f = s->done;
	s->done = NULL;
	q = s->queue;
	memset(&s->queue, 0, sizeof(s->queue));
	pthread_mutex_unlock(&s->lock);

	for (size_t i = 0; i < q.n; i++)
		notes_add(s->notes, q.keys[i], "%s", q.texts[i]);
	queue_free(&q);
	if (!f)
		return;
	nfound = f->list.n;
	/* what an earlier fetch knew about an ID this one could not name stays known: an
	 * engine that is briefly unreachable does not turn names back into hashes */
	for (size_t i = 0; i < s->cur.n; i++) {
		struct container_meta *e = &s->cur.v[i];

		if (strv_has(f->ids, f->nids, e->id) && !list_find_n(&f->list, nfound, e->id)) {
			*list_push(&f->list) = *e;
			memset(e, 0, sizeof(*e));
		}
	}
	list_sort(&f->list);
	meta_list_free(&s->cur);
	s->cur = f->list;
	f->list.v = NULL;
	f->list.n = 0;
	fetch_free(f);
}

const struct container_meta *meta_store_lookup(struct meta_store *s, const char *id)
{
	return list_find(&s->cur, id);
}
