/* Unit tests of the metadata store against a fake engine: a unix-socket server in a thread
 * of this test that answers like Docker (real captured answers), slowly, with garbage, by
 * hanging up, or not at all; and of its file fallbacks on fixture roots. Every
 * meta_store_sync() must return at once, whatever the engine does. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "engine_http.h"
#include "meta.h"
#include "meta_list.h"
#include "util.h"

#define KS_ID "6a65a6e8109c13144e4a1eb3876f3d71b7d81ddb770491ed32e30d72be762da4"
#define KS_CRON_ID "7bfd6ec97d634572fc3ec8b29e17b5d06adda92e1b5da6375c3d7fcb4e7df2c0"
#define KS_DB_ID "ac6dc0497958b0d5112850c0947328cf072628ed7a6a49e82f42cc635351eb65"
#define PM_WEB1 "c985d04926c5f95177b33a8b6df6f15cf935c59e5aa9ba0105e5ced3d22d4cff"
#define PM_KEYSTONE "96cd28c24e9a3e715dea4dc85a35b72732b010688fcd7a1052c985b48df699a9"
#define UNKNOWN_ID "0000000000000000000000000000000000000000000000000000000000000000"

static const char *const keystone_ids[] = { KS_ID, KS_CRON_ID, KS_DB_ID };

/* The longest a meta_store_sync() may take: it must never wait for the engine. */
#define SYNC_MAX_NS (50ull * 1000000ull)

enum behaviour {
	ANSWER,       /* send REPLY in small pieces, then close */
	ANSWER_HOLD,  /* send REPLY, then keep the connection open until stopped */
	SLOW,         /* say nothing for a long time, then answer */
	HANG_UP,      /* send the first CUT bytes of REPLY, then close */
	KEEP_ALIVE,   /* send REPLY to every request on the connection until the client closes */
};

struct fake_engine {
	char dir[64];
	char path[128];
	int listen_fd;
	int stop[2];
	pthread_t thread;
	bool running;
	pthread_mutex_t lock;
	enum behaviour how;
	struct buf reply;
	size_t cut;
	int connections;
	int requests;
	int lists;             /* requests for a list of containers (the others: inspects) */
	char request[2048];
	char list_request[2048]; /* the last of those */
};

static uint64_t now_ns(void)
{
	return now_monotonic_ns();
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait up to MS for the stop pipe; true if the engine is being stopped. */
static bool engine_wait(struct fake_engine *e, int ms)
{
	struct pollfd p = { .fd = e->stop[0], .events = POLLIN };

	return poll(&p, 1, ms) > 0;
}

/* Wait up to MS for the stop pipe or for the client to hang up; true if either came. */
static bool engine_hold(struct fake_engine *e, int fd, int ms)
{
	struct pollfd p[2] = { { .fd = e->stop[0], .events = POLLIN }, { .fd = fd, .events = POLLIN } };

	return poll(p, 2, ms) > 0;
}

/* Send N bytes at P, in pieces of a few bytes and then larger ones, as a real socket may. */
static void send_pieces(struct fake_engine *e, int fd, const char *p, size_t n)
{
	size_t off = 0, piece = 1;

	while (off < n) {
		size_t k = n - off < piece ? n - off : piece;
		ssize_t w = send(fd, p + off, k, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		off += (size_t)w;
		piece = piece < 4096 ? piece * 3 : piece;
		if (engine_wait(e, 0))
			return;
	}
}

static void *engine_main(void *arg)
{
	struct fake_engine *e = arg;

	for (;;) {
		struct pollfd p[2] = { { .fd = e->listen_fd, .events = POLLIN }, { .fd = e->stop[0], .events = POLLIN } };
		char req[2048], *reply;
		size_t len = 0, rlen, cut;
		enum behaviour how;
		int fd;

		if (poll(p, 2, -1) < 0 || p[1].revents)
			break;
		fd = accept(e->listen_fd, NULL, NULL);
		if (fd < 0)
			continue;
		pthread_mutex_lock(&e->lock);
		e->connections++;
		pthread_mutex_unlock(&e->lock);
next_request:
		/* the request, up to its empty line */
		len = 0;
		while (len < sizeof(req) - 1 && !memmem(req, len, "\r\n\r\n", 4)) {
			struct pollfd q[2] = { { .fd = fd, .events = POLLIN }, { .fd = e->stop[0], .events = POLLIN } };
			ssize_t n;

			if (poll(q, 2, 2000) <= 0 || q[1].revents)
				break;
			n = recv(fd, req + len, sizeof(req) - 1 - len, 0);
			if (n <= 0)
				break;
			len += (size_t)n;
		}
		req[len] = '\0';
		pthread_mutex_lock(&e->lock);
		if (len > 0)
			e->requests++;
		memcpy(e->request, req, len + 1);
		if (len > 0 && !strstr(req, "/json HTTP/")) {
			e->lists++;
			memcpy(e->list_request, req, len + 1);
		}
		how = e->how;
		reply = xmalloc(e->reply.len + 1);
		memcpy(reply, e->reply.data, e->reply.len);
		rlen = e->reply.len;
		cut = e->cut < rlen ? e->cut : rlen;
		pthread_mutex_unlock(&e->lock);

		switch (how) {
		case ANSWER:
			send_pieces(e, fd, reply, rlen);
			break;
		case ANSWER_HOLD:
			send_pieces(e, fd, reply, rlen);
			engine_hold(e, fd, 10000);
			break;
		case SLOW:
			if (!engine_hold(e, fd, 5000))
				send_pieces(e, fd, reply, rlen);
			break;
		case HANG_UP:
			send_pieces(e, fd, reply, cut);
			break;
		case KEEP_ALIVE:
			if (len > 0) {
				send_pieces(e, fd, reply, rlen);
				free(reply);
				goto next_request;
			}
			break;
		}
		free(reply);
		close(fd);
	}
	return NULL;
}

/* Make a scratch directory (also usable as an empty root) in *DIR. */
static void scratch_dir(char *dir, size_t n)
{
	snprintf(dir, n, "/tmp/cgtop-meta.XXXXXX");
	assert_non_null(mkdtemp(dir));
}

/* Bind the engine's socket; listen and serve only when SERVE (else: connection refused). */
static void engine_start(struct fake_engine *e, bool serve)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(e, 0, sizeof(*e));
	scratch_dir(e->dir, sizeof(e->dir));
	snprintf(e->path, sizeof(e->path), "%s/docker.sock", e->dir);
	strcpy(sa.sun_path, e->path);
	pthread_mutex_init(&e->lock, NULL);
	assert_int_equal(pipe(e->stop), 0);
	e->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(e->listen_fd >= 0);
	assert_int_equal(bind(e->listen_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (!serve) {
		/* a socket file nobody listens on: connect() is refused */
		close(e->listen_fd);
		e->listen_fd = -1;
		return;
	}
	assert_int_equal(listen(e->listen_fd, 8), 0);
	assert_int_equal(pthread_create(&e->thread, NULL, engine_main, e), 0);
	e->running = true;
}

static void engine_stop(struct fake_engine *e)
{
	if (e->running) {
		assert_int_equal(write(e->stop[1], "x", 1), 1);
		pthread_join(e->thread, NULL);
	}
	if (e->listen_fd >= 0)
		close(e->listen_fd);
	close(e->stop[0]);
	close(e->stop[1]);
	unlink(e->path);
	rmdir(e->dir);
	buf_free(&e->reply);
	pthread_mutex_destroy(&e->lock);
}

static int engine_connections(struct fake_engine *e)
{
	int n;

	pthread_mutex_lock(&e->lock);
	n = e->connections;
	pthread_mutex_unlock(&e->lock);
	return n;
}

/* How many list requests the engine had: one per fetch (inspects come after it). */
static int engine_lists(struct fake_engine *e)
{
	int n;

	pthread_mutex_lock(&e->lock);
	n = e->lists;
	pthread_mutex_unlock(&e->lock);
	return n;
}

static int engine_requests(struct fake_engine *e)
{
	int n;

	pthread_mutex_lock(&e->lock);
	n = e->requests;
	pthread_mutex_unlock(&e->lock);
	return n;
}

static void engine_behave(struct fake_engine *e, enum behaviour how)
{
	pthread_mutex_lock(&e->lock);
	e->how = how;
	pthread_mutex_unlock(&e->lock);
}

/* Read fixture NAME (relative to tests/fixtures) into B. */
static void fixture(const char *name, struct buf *b)
{
	char path[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open fixture %s", path);
	b->len = 0;
	do {
		assert_int_equal(buf_reserve(b, b->len + 65536), 0);
		n = fread(b->data + b->len, 1, 65536, f);
		b->len += n;
	} while (n > 0);
	fclose(f);
	b->data[b->len] = '\0';
}

/* What the engine answers from now on: N bytes at P; HANG_UP sends only the first CUT. */
static void engine_reply(struct fake_engine *e, const char *p, size_t n, size_t cut)
{
	pthread_mutex_lock(&e->lock);
	e->reply.len = 0;
	assert_int_equal(buf_reserve(&e->reply, n), 0);
	memcpy(e->reply.data, p, n);
	e->reply.len = n;
	e->cut = cut;
	pthread_mutex_unlock(&e->lock);
}

/* The engine answers with fixture NAME as it is (a raw HTTP answer); returns its length. */
static size_t reply_fixture(struct fake_engine *e, const char *name, size_t cut)
{
	struct buf raw = { 0 };
	size_t n;

	fixture(name, &raw);
	engine_reply(e, raw.data, raw.len, cut);
	n = raw.len;
	buf_free(&raw);
	return n;
}

/* The engine answers with Content-Length around the body of fixture NAME; returns the
 * answer's length. */
static size_t reply_with_length(struct fake_engine *e, const char *name, size_t cut)
{
	struct buf body = { 0 }, raw = { 0 };
	size_t n;
	int h;

	fixture(name, &body);
	assert_int_equal(buf_reserve(&raw, body.len + 256), 0);
	h = snprintf(raw.data, 256,
		     "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
		     "Content-Length: %zu\r\n\r\n", body.len);
	memcpy(raw.data + h, body.data, body.len);
	n = (size_t)h + body.len;
	engine_reply(e, raw.data, n, cut);
	buf_free(&body);
	buf_free(&raw);
	return n;
}

static void reply_text(struct fake_engine *e, const char *text)
{
	engine_reply(e, text, strlen(text), SIZE_MAX);
}

/* A store on ROOTDIR asking the socket SOCK (NULL: none) within TIMEOUT_MS. */
struct harness {
	struct rootfs root;
	struct notes notes;
	struct meta_store *store;
	uint64_t slowest_sync_ns;
};

static void harness_open(struct harness *h, const char *rootdir, const char *sock,
			 const char *docker_root, int timeout_ms)
{
	struct meta_options o = {
		.docker_socket = sock ? sock : "",
		.docker_root = docker_root,
		.timeout_ms = timeout_ms,
	};

	memset(h, 0, sizeof(*h));
	assert_int_equal(rootfs_open(&h->root, rootdir), 0);
	h->store = meta_store_new(&h->root, &o, &h->notes);
	assert_non_null(h->store);
}

static void harness_close(struct harness *h)
{
	meta_store_free(h->store);
	notes_free(&h->notes);
	rootfs_close(&h->root);
}

/* One meta_store_sync(), timed. */
static void timed_sync(struct harness *h)
{
	uint64_t t0 = now_ns(), dt;

	meta_store_sync(h->store);
	dt = now_ns() - t0;
	if (dt > h->slowest_sync_ns)
		h->slowest_sync_ns = dt;
	if (dt > SYNC_MAX_NS)
		fail_msg("meta_store_sync() took %llu ms", (unsigned long long)(dt / 1000000));
}

/* Sync every 5 ms until ID is known or a note came, for at most MS. True if ID is known. */
static bool wait_known_or_note(struct harness *h, const char *id, int ms)
{
	uint64_t end = now_ns() + (uint64_t)ms * 1000000u;

	while (now_ns() < end) {
		timed_sync(h);
		if (meta_store_lookup(h->store, id))
			return true;
		if (h->notes.n > 0)
			return false;
		sleep_ms(5);
	}
	return false;
}

/* Keep syncing for MS, so that anything the worker might still do shows up. */
static void settle(struct harness *h, int ms)
{
	uint64_t end = now_ns() + (uint64_t)ms * 1000000u;

	while (now_ns() < end) {
		timed_sync(h);
		sleep_ms(5);
	}
}

static void assert_note(struct harness *h, size_t i, const char *part)
{
	assert_true(h->notes.n > i);
	if (!strstr(h->notes.texts[i], part))
		fail_msg("note '%s' does not say '%s'", h->notes.texts[i], part);
}

#define S_GET "GET /containers/json?all=1 HTTP/1.1\r\n"

/* A normal answer with Content-Length: names, labels, and the request cgtop sent. */
static void test_content_length(void **state)
{
	struct fake_engine e;
	struct harness h;
	char empty[64], req[sizeof(e.request)];
	const struct container_meta *m;

	engine_start(&e, true);
	reply_with_length(&e, "docker/containers-json.json", SIZE_MAX);
	scratch_dir(empty, sizeof(empty));
	harness_open(&h, empty, e.path, NULL, 2000);
	meta_store_want(h.store, keystone_ids, ARRAY_SIZE(keystone_ids));
	assert_true(wait_known_or_note(&h, KS_ID, 3000));
	m = meta_store_lookup(h.store, KS_ID);
	assert_string_equal(m->name, "keystone");
	assert_string_equal(m->config_id, "tripleo_step3");
	assert_string_equal(m->managed_by, "paunch");
	assert_string_equal(meta_store_lookup(h.store, KS_CRON_ID)->name, "keystone_cron");
	assert_string_equal(meta_store_lookup(h.store, KS_DB_ID)->state, "exited");
	assert_null(meta_store_lookup(h.store, UNKNOWN_ID));
	assert_int_equal(h.notes.n, 0);
	/* only a GET, with the headers Docker needs, and no body */
	pthread_mutex_lock(&e.lock);
	memcpy(req, e.list_request, sizeof(req));
	pthread_mutex_unlock(&e.lock);
	assert_true(strncmp(req, S_GET, strlen(S_GET)) == 0);
	assert_non_null(strstr(req, "\r\nHost: docker\r\n"));
	assert_non_null(strstr(req, "\r\nAccept: application/json\r\n"));
	assert_non_null(strstr(req, "\r\nUser-Agent: cgtop/"));
	assert_null(strstr(req, "Content-Length"));
	assert_true(strlen(strstr(req, "\r\n\r\n")) == 4);
	/* the first fetch awaits names: quick (the list only), then a full one at once
	 * (the list and the inspects) */
	settle(&h, 300);
	assert_int_equal(engine_lists(&e), 2);

	/* the same set again, all known, within META_POLL_NS: no new request */
	meta_store_want(h.store, keystone_ids, ARRAY_SIZE(keystone_ids));
	settle(&h, 100);
	assert_int_equal(engine_lists(&e), 2);
	/* a changed set (one container gone, none new): one new request */
	meta_store_want(h.store, keystone_ids, 2);
	settle(&h, 300);
	assert_int_equal(engine_lists(&e), 3);
	assert_string_equal(meta_store_lookup(h.store, KS_ID)->name, "keystone");
	harness_close(&h);
	engine_stop(&e);
	rmdir(empty);
}

/* The real answers with their real chunk framing (Docker's and podman's). */
static void test_chunked(void **state)
{
	static const char *const podman_ids[] = { PM_WEB1, PM_KEYSTONE };
	struct fake_engine e;
	struct harness h;
	char empty[64];

	engine_start(&e, true);
	reply_fixture(&e, "docker/containers-json.http", SIZE_MAX);
	scratch_dir(empty, sizeof(empty));
	harness_open(&h, empty, e.path, NULL, 2000);
	meta_store_want(h.store, keystone_ids, ARRAY_SIZE(keystone_ids));
	assert_true(wait_known_or_note(&h, KS_CRON_ID, 3000));
	assert_string_equal(meta_store_lookup(h.store, KS_CRON_ID)->name, "keystone_cron");
	assert_string_equal(meta_store_lookup(h.store, KS_ID)->image, "cgtop-busybox");
	assert_int_equal(h.notes.n, 0);
	harness_close(&h);

	/* podman's own list on the socket: pid and health come with it */
	reply_fixture(&e, "podman/libpod-containers-json-chunked.http", SIZE_MAX);
	harness_open(&h, empty, e.path, NULL, 2000);
	meta_store_want(h.store, podman_ids, ARRAY_SIZE(podman_ids));
	assert_true(wait_known_or_note(&h, PM_KEYSTONE, 3000));
	assert_string_equal(meta_store_lookup(h.store, PM_WEB1)->name, "nova_api");
	assert_int_equal(meta_store_lookup(h.store, PM_WEB1)->main_pid, 5943);
	assert_string_equal(meta_store_lookup(h.store, PM_KEYSTONE)->health, "healthy");
	assert_int_equal(h.notes.n, 0);
	harness_close(&h);
	engine_stop(&e);
	rmdir(empty);
}

/* GET FIXTURE's raw answer from E through the client H into BODY; returns the status. */
static int get_fixture(struct fake_engine *e, struct engine_http *h, const char *fixture_name,
		       struct buf *body)
{
	const struct engine_get req = { .socket = e->path, .host = "docker",
					.path = "/containers/json?all=1", .timeout_ms = 2000,
					.max_body = META_MAX_BODY };
	int status = 0;

	reply_fixture(e, fixture_name, SIZE_MAX);
	assert_int_equal(engine_http_get(h, &req, body, &status), 0);
	return status;
}

/* The client alone, on the captured answers: each framing decodes to the JSON it framed
 * (what the hand-written parser's tests checked before libcurl). */
static void test_client_decodes_fixtures(void **state)
{
	struct fake_engine e;
	struct engine_http *h;
	struct buf body = { 0 };
	struct meta_list l = { 0 };

	engine_start(&e, true);
	h = engine_http_new(-1);
	assert_non_null(h);
	/* chunked */
	assert_int_equal(get_fixture(&e, h, "docker/containers-json.http", &body), 200);
	assert_int_equal(body.data[0], '[');
	assert_int_equal(meta_parse_containers_json(body.data, body.len, &l), 0);
	assert_int_equal(l.n, 3);
	meta_list_sort(&l);
	assert_string_equal(meta_list_find(&l, KS_CRON_ID)->name, "keystone_cron");
	meta_list_free(&l);
	/* Content-Length */
	assert_int_equal(get_fixture(&e, h, "docker/containers-json-one.http", &body), 200);
	assert_int_equal(body.len, 848);
	assert_int_equal(meta_parse_containers_json(body.data, body.len, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, "keystone_cron");
	meta_list_free(&l);
	/* several chunks */
	assert_int_equal(get_fixture(&e, h, "docker/container-inspect-keystone.http", &body), 200);
	assert_int_equal(body.data[0], '{');
	assert_int_equal(body.data[body.len - 1], '\n');
	assert_non_null(strstr(body.data, "\"Pid\":21541"));
	assert_int_equal(get_fixture(&e, h, "podman/libpod-containers-json-chunked.http", &body), 200);
	assert_int_equal(meta_parse_containers_json(body.data, body.len, &l), 0);
	assert_int_equal(l.n, 8);
	meta_list_free(&l);
	assert_int_equal(get_fixture(&e, h, "meta/docker-states/containers-json.http", &body), 200);
	assert_int_equal(meta_parse_containers_json(body.data, body.len, &l), 0);
	assert_int_equal(l.n, 5);
	meta_list_free(&l);
	/* an error status is returned like any other: the caller judges it */
	reply_text(&e, "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}");
	{
		const struct engine_get req = { .socket = e.path, .host = "podman", .path = "/x",
						.timeout_ms = 2000, .max_body = 100 };
		int status = 0;

		assert_int_equal(engine_http_get(h, &req, &body, &status), 0);
		assert_int_equal(status, 404);
		assert_string_equal(body.data, "{}");
		/* the cap is the caller's */
		reply_text(&e, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
			       "40\r\n0123456789012345678901234567890123456789012345678901234567890123\r\n"
			       "40\r\n0123456789012345678901234567890123456789012345678901234567890123\r\n0\r\n\r\n");
		assert_int_equal(engine_http_get(h, &req, &body, &status), -EFBIG);
	}
	engine_http_free(h);
	buf_free(&body);
	engine_stop(&e);
}

/* One client, one connection: requests one after the other reuse it while the engine
 * keeps it open, and a new one is made when the engine has closed it. */
static void test_client_reuses_connection(void **state)
{
	struct fake_engine e;
	struct engine_http *h;
	struct buf body = { 0 };

	engine_start(&e, true);
	engine_behave(&e, KEEP_ALIVE);
	h = engine_http_new(-1);
	assert_non_null(h);
	for (int i = 0; i < 3; i++)
		assert_int_equal(get_fixture(&e, h, "docker/containers-json-one.http", &body), 200);
	assert_int_equal(engine_requests(&e), 3);
	assert_int_equal(engine_connections(&e), 1);
	/* the engine closes after each answer: a fresh connection each time, no error */
	engine_behave(&e, ANSWER);
	for (int i = 0; i < 2; i++)
		assert_int_equal(get_fixture(&e, h, "docker/containers-json-one.http", &body), 200);
	assert_int_equal(engine_requests(&e), 5);
	assert_int_equal(body.len, 848);
	engine_http_free(h);
	buf_free(&body);
	engine_stop(&e);
}

/* An engine that answers but keeps the connection open: done at the end of the body,
 * not at the timeout. */
static void test_answer_without_close(void **state)
{
	struct fake_engine e;
	struct harness h;
	char empty[64];
	uint64_t t0;

	engine_start(&e, true);
	engine_behave(&e, ANSWER_HOLD);
	reply_fixture(&e, "docker/containers-json.http", SIZE_MAX);
	scratch_dir(empty, sizeof(empty));
	harness_open(&h, empty, e.path, NULL, 4000);
	t0 = now_ns();
	meta_store_want(h.store, keystone_ids, ARRAY_SIZE(keystone_ids));
	assert_true(wait_known_or_note(&h, KS_ID, 3000));
	assert_true(now_ns() - t0 < 2000ull * 1000000ull);
	harness_close(&h);

	reply_with_length(&e, "docker/containers-json.json", SIZE_MAX);
	harness_open(&h, empty, e.path, NULL, 4000);
	t0 = now_ns();
	meta_store_want(h.store, keystone_ids, ARRAY_SIZE(keystone_ids));
	assert_true(wait_known_or_note(&h, KS_ID, 3000));
	assert_true(now_ns() - t0 < 2000ull * 1000000ull);
	harness_close(&h);
	engine_stop(&e);
	rmdir(empty);
}

/* An engine slower than the timeout: the display never waits, the name stays unknown,
 * one note says so, and the same set is not asked again within 10 s. */
static void test_slow(void **state)
{
	struct fake_engine e;
	struct harness h;
	char empty[64];
	uint64_t t0;

	engine_start(&e, true);
	engine_behave(&e, SLOW);
	reply_with_length(&e, "docker/containers-json.json", SIZE_MAX);
	scratch_dir(empty, sizeof(empty));
	harness_open(&h, empty, e.path, NULL, 200);
	t0 = now_ns();
	meta_store_want(h.store, keystone_ids, ARRAY_SIZE(keystone_ids));
	assert_true(now_ns() - t0 < SYNC_MAX_NS);
	assert_false(wait_known_or_note(&h, KS_ID, 3000));
	/* the note comes when the 200 ms are up, not before and not much later */
	assert_true(now_ns() - t0 >= 190ull * 1000000ull);
	assert_true(now_ns() - t0 < 1500ull * 1000000ull);
	assert_int_equal(h.notes.n, 1);
	assert_note(&h, 0, "cannot reach the Docker API at ");
	assert_note(&h, 0, "(no answer within 200 ms)");
	assert_note(&h, 0, "/var/lib/docker/containers/*/config.v2.json");
	assert_true(h.slowest_sync_ns < SYNC_MAX_NS);

	for (int i = 0; i < 20; i++) {
		meta_store_want(h.store, keystone_ids, ARRAY_SIZE(keystone_ids));
		settle(&h, 20);
	}
	assert_null(meta_store_lookup(h.store, KS_ID));
	assert_int_equal(engine_connections(&e), 1);
	assert_int_equal(h.notes.n, 1);
	harness_close(&h);
	engine_stop(&e);
	rmdir(empty);
}

/* Run a store against E (already told how to behave) until the note; check its text. */
static void expect_one_note(struct fake_engine *e, const char *part)
{
	struct harness h;
	char empty[64];

	scratch_dir(empty, sizeof(empty));
	harness_open(&h, empty, e->path, NULL, 1000);
	meta_store_want(h.store, keystone_ids, ARRAY_SIZE(keystone_ids));
	assert_false(wait_known_or_note(&h, KS_ID, 3000));
	settle(&h, 50);
	assert_int_equal(h.notes.n, 1);
	assert_note(&h, 0, part);
	assert_null(meta_store_lookup(h.store, KS_ID));
	harness_close(&h);
	rmdir(empty);
}

/* The one note a fetch from E leaves ends with END: no advice after it. */
static void expect_note_ends(struct fake_engine *e, const char *end)
{
	struct harness h;
	char empty[64];
	size_t l, el = strlen(end);

	scratch_dir(empty, sizeof(empty));
	harness_open(&h, empty, e->path, NULL, 1000);
	meta_store_want(h.store, keystone_ids, ARRAY_SIZE(keystone_ids));
	assert_false(wait_known_or_note(&h, KS_ID, 3000));
	settle(&h, 50);
	assert_int_equal(h.notes.n, 1);
	l = strlen(h.notes.texts[0]);
	assert_true(l >= el);
	assert_string_equal(h.notes.texts[0] + l - el, end);
	harness_close(&h);
	rmdir(empty);
}

static void test_garbage(void **state)
{
	struct fake_engine e;

	engine_start(&e, true);
	reply_text(&e, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n\x00\x01\x02\xff");
	expect_one_note(&e, "no usable answer from the Docker API at ");
	expect_one_note(&e, "(the answer is not HTTP)");
	reply_text(&e, "HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n<html>nginx</html>\r\n");
	expect_one_note(&e, "(the answer is not JSON)");
	reply_text(&e, "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"Id\": \"x\"}\r\n\r\n");
	expect_one_note(&e, "(the answer is JSON but not a list of containers)");
	reply_text(&e, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 22\r\n\r\n{\"message\":\"boom!!\"}\r\n");
	expect_one_note(&e, "(HTTP status 500)");
	reply_text(&e, "HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\n[");
	expect_one_note(&e, "(the answer is larger than 16 MiB)");
	engine_stop(&e);
}

static void test_closed_mid_answer(void **state)
{
	struct fake_engine e;
	size_t n;

	engine_start(&e, true);
	engine_behave(&e, HANG_UP);
	n = reply_with_length(&e, "docker/containers-json.json", SIZE_MAX);
	reply_with_length(&e, "docker/containers-json.json", n / 2);
	expect_one_note(&e, "(the connection closed in the middle of the answer)");
	/* in the chunk framing */
	n = reply_fixture(&e, "docker/containers-json.http", SIZE_MAX);
	reply_fixture(&e, "docker/containers-json.http", n - 4);
	expect_one_note(&e, "(the connection closed in the middle of the answer)");
	/* right after connecting */
	reply_fixture(&e, "docker/containers-json.http", 0);
	expect_one_note(&e, "(the connection closed in the middle of the answer)");
	engine_stop(&e);
}

static void test_refused_and_missing(void **state)
{
	struct fake_engine e;

	engine_start(&e, false);
	expect_one_note(&e, "cannot reach the Docker API at ");
	expect_one_note(&e, "(connection refused)");
	/* no advice to run as root or give the socket: it was given, and root is no cure
	 * for a refused connection */
	expect_note_ends(&e, "/containers/*/config.v2.json");
	/* a socket the user named that does not exist */
	unlink(e.path);
	expect_one_note(&e, "(no such socket)");
	engine_stop(&e);
}

/* No API: everything from config.v2.json under the root, at a --root fixture tree. */
static void test_config_v2_fallback(void **state)
{
	struct harness h;
	const struct container_meta *m;
	static const char *const ids[] = { KS_ID, KS_CRON_ID, KS_DB_ID, UNKNOWN_ID, "../../etc", "x" };

	harness_open(&h, FIXTURES "/docker", NULL, "/var-lib-docker", 500);
	meta_store_want(h.store, ids, ARRAY_SIZE(ids));
	assert_true(wait_known_or_note(&h, KS_ID, 3000));
	m = meta_store_lookup(h.store, KS_ID);
	assert_string_equal(m->name, "keystone");
	assert_string_equal(m->image, "cgtop-busybox");
	assert_string_equal(m->state, "running");
	assert_string_equal(m->config_id, "tripleo_step3");
	assert_string_equal(m->managed_by, "paunch");
	assert_int_equal(m->main_pid, 21541);
	assert_int_equal(meta_store_lookup(h.store, KS_CRON_ID)->main_pid, 21720);
	assert_string_equal(meta_store_lookup(h.store, KS_DB_ID)->state, "exited");
	assert_null(meta_store_lookup(h.store, UNKNOWN_ID));
	assert_null(meta_store_lookup(h.store, "../../etc"));
	settle(&h, 50);
	assert_int_equal(h.notes.n, 0);
	harness_close(&h);
}

/* The API names the containers, config.v2.json adds the main pid the list lacks. */
static void test_api_plus_config_v2(void **state)
{
	struct fake_engine e;
	struct harness h;
	const struct container_meta *m;

	engine_start(&e, true);
	reply_fixture(&e, "meta/docker-states/containers-json.http", SIZE_MAX);
	harness_open(&h, FIXTURES "/meta/docker-states/root", e.path, NULL, 2000);
	{
		static const char *const ids[] = {
			"81f5dec49529a33296004a814b7bfa0f354d9195e013b3979704b423e4eb1025",
			"413ae938a008ffb9e477ec9a586a7a1c91aecc761023e12ed37afe7b2fc86734",
		};

		meta_store_want(h.store, ids, ARRAY_SIZE(ids));
		assert_true(wait_known_or_note(&h, ids[0], 3000));
		m = meta_store_lookup(h.store, ids[0]);
		assert_string_equal(m->name, "nova_api");
		assert_string_equal(m->health, "healthy");
		assert_int_equal(m->main_pid, 6399);
		m = meta_store_lookup(h.store, ids[1]);
		assert_string_equal(m->state, "paused");
		assert_int_equal(m->main_pid, 6938);
	}
	assert_int_equal(h.notes.n, 0);
	harness_close(&h);
	engine_stop(&e);
}

/* Write TEXT to ROOT/var/lib/docker/containers/ID/config.v2.json. */
static void put_config(const char *root, const char *id, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/%s", root, id);
	assert_int_equal(mkdir(path, 0755), 0);
	strcat(path, "/config.v2.json");
	if (!text) {
		assert_int_equal(mkfifo(path, 0644), 0);
		return;
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_config(const char *root, const char *id)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/var/lib/docker/containers/%s/config.v2.json", root, id);
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
}

/* Broken config.v2.json files: truncated, not JSON, not a file. One note each kind. */
static void test_config_v2_broken(void **state)
{
	struct harness h;
	char root[64], path[PATH_MAX];

	scratch_dir(root, sizeof(root));
	snprintf(path, sizeof(path), "%s/var", root);
	assert_int_equal(mkdir(path, 0755), 0);
	strcat(path, "/lib");
	assert_int_equal(mkdir(path, 0755), 0);
	strcat(path, "/docker");
	assert_int_equal(mkdir(path, 0755), 0);
	strcat(path, "/containers");
	assert_int_equal(mkdir(path, 0755), 0);
	put_config(root, KS_ID, "{\"ID\":\"" KS_ID "\",\"Name\":\"/keystone\",\"Config\":{\"Labels\":{");
	put_config(root, KS_CRON_ID, "\x7f" "ELF\x02\x01\x01");
	put_config(root, KS_DB_ID, NULL);

	harness_open(&h, root, NULL, NULL, 500);
	meta_store_want(h.store, keystone_ids, ARRAY_SIZE(keystone_ids));
	assert_false(wait_known_or_note(&h, KS_ID, 3000));
	settle(&h, 100);
	assert_int_equal(h.notes.n, 2);
	assert_note(&h, 0, "/config.v2.json is ");
	assert_note(&h, 0, "is shown by its ID unless the Docker API names it");
	assert_note(&h, 1, "cannot read /var/lib/docker/containers/" KS_DB_ID "/config.v2.json (not a regular file)");
	for (size_t i = 0; i < ARRAY_SIZE(keystone_ids); i++)
		assert_null(meta_store_lookup(h.store, keystone_ids[i]));
	harness_close(&h);

	for (size_t i = 0; i < ARRAY_SIZE(keystone_ids); i++)
		remove_config(root, keystone_ids[i]);
	for (int i = 0; i < 4; i++) {
		rmdir(path);
		*strrchr(path, '/') = '\0';
	}
	assert_int_equal(rmdir(root), 0);
}

/* No API: podman's names from its storage's containers.json. */
static void test_podman_storage_fallback(void **state)
{
	static const char *const ids[] = { PM_WEB1, PM_KEYSTONE, UNKNOWN_ID };
	struct harness h;

	harness_open(&h, FIXTURES "/podman/root", NULL, NULL, 500);
	meta_store_want(h.store, ids, ARRAY_SIZE(ids));
	assert_true(wait_known_or_note(&h, PM_WEB1, 3000));
	/* that file has no labels: podman's own name, not the container_name label */
	assert_string_equal(meta_store_lookup(h.store, PM_WEB1)->name, "web1");
	assert_string_equal(meta_store_lookup(h.store, PM_WEB1)->image, "localhost/cgtop-busybox:latest");
	assert_string_equal(meta_store_lookup(h.store, PM_KEYSTONE)->name, "keystone");
	assert_null(meta_store_lookup(h.store, UNKNOWN_ID));
	settle(&h, 50);
	assert_int_equal(h.notes.n, 0);
	harness_close(&h);
}

/* Names once known stay known when a later request fails. */
static void test_known_names_survive_failure(void **state)
{
	struct fake_engine e;
	struct harness h;
	char empty[64];
	const char *more[] = { KS_ID, KS_CRON_ID, UNKNOWN_ID };

	engine_start(&e, true);
	reply_with_length(&e, "docker/containers-json.json", SIZE_MAX);
	scratch_dir(empty, sizeof(empty));
	harness_open(&h, empty, e.path, NULL, 1000);
	meta_store_want(h.store, keystone_ids, 2);
	assert_true(wait_known_or_note(&h, KS_ID, 3000));
	settle(&h, 300); /* the full fetch after the quick first one */
	assert_int_equal(engine_lists(&e), 2);
	reply_text(&e, "garbage");
	meta_store_want(h.store, more, ARRAY_SIZE(more));
	assert_false(wait_known_or_note(&h, UNKNOWN_ID, 3000));
	assert_int_equal(h.notes.n, 1);
	assert_note(&h, 0, "(the answer is not HTTP)");
	assert_string_equal(meta_store_lookup(h.store, KS_ID)->name, "keystone");
	assert_string_equal(meta_store_lookup(h.store, KS_CRON_ID)->name, "keystone_cron");
	assert_int_equal(engine_lists(&e), 3);
	harness_close(&h);
	engine_stop(&e);
	rmdir(empty);
}

/* Freeing the store while the worker waits on a slow engine does not wait for it. */
static void test_free_while_busy(void **state)
{
	struct fake_engine e;
	struct harness h;
	char empty[64];
	uint64_t t0;

	engine_start(&e, true);
	engine_behave(&e, SLOW);
	reply_with_length(&e, "docker/containers-json.json", SIZE_MAX);
	scratch_dir(empty, sizeof(empty));
	harness_open(&h, empty, e.path, NULL, 5000);
	meta_store_want(h.store, keystone_ids, ARRAY_SIZE(keystone_ids));
	while (engine_connections(&e) == 0)
		sleep_ms(5);
	t0 = now_ns();
	harness_close(&h);
	assert_true(now_ns() - t0 < 500ull * 1000000ull);
	engine_stop(&e);
	rmdir(empty);
}

/* Requests replaced while the worker holds one (each a single allocation, meta_ids_new):
 * the one the worker took stays its own, the ones it never took are freed (ASan). */
static void test_requests_replaced_while_busy(void **state)
{
	static const char *const other[] = { "0123456789abcdef", "x", "" };
	struct fake_engine e;
	struct harness h;
	char empty[64];

	(void)state;
	engine_start(&e, true);
	engine_behave(&e, SLOW);
	reply_with_length(&e, "docker/containers-json.json", SIZE_MAX);
	scratch_dir(empty, sizeof(empty));
	harness_open(&h, empty, e.path, NULL, 5000);
	meta_store_want(h.store, keystone_ids, ARRAY_SIZE(keystone_ids));
	while (engine_connections(&e) == 0)
		sleep_ms(5);
	meta_store_want(h.store, keystone_ids, 2);
	meta_store_want(h.store, other, ARRAY_SIZE(other));
	meta_store_want(h.store, keystone_ids, 1);
	harness_close(&h);
	engine_stop(&e);
	rmdir(empty);
}

/* A keeper of IDs that counts what the store asks of it; the strings it lends are
 * its own copies, freed once all are released (ASan: no request reads one later). */
struct lender {
	atomic_int holds, releases;
	char ids[3][72];
	const char *v[3];
};

static int lender_hold(void *ud)
{
	struct lender *l = ud;

	return atomic_fetch_add(&l->holds, 1);
}

static void lender_release(void *ud, int token)
{
	struct lender *l = ud;

	assert_true(token >= 0 && token < atomic_load(&l->holds));
	atomic_fetch_add(&l->releases, 1);
}

static void lender_init(struct lender *l, struct meta_ids_keeper *k)
{
	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < ARRAY_SIZE(l->ids); i++) {
		snprintf(l->ids[i], sizeof(l->ids[i]), "%s", keystone_ids[i]);
		l->v[i] = l->ids[i];
	}
	*k = (struct meta_ids_keeper){ .hold = lender_hold, .release = lender_release, .ud = l };
}

/* Requests borrow the keeper's strings: one hold per request made, released once the
 * worker (slow engine: it holds the first) and the store are done with each. */
static void test_requests_borrow_while_busy(void **state)
{
	struct meta_ids_keeper k;
	struct lender l;
	struct fake_engine e;
	struct harness h;
	char empty[64];

	(void)state;
	lender_init(&l, &k);
	engine_start(&e, true);
	engine_behave(&e, SLOW);
	reply_with_length(&e, "docker/containers-json.json", SIZE_MAX);
	scratch_dir(empty, sizeof(empty));
	harness_open(&h, empty, e.path, NULL, 5000);
	meta_store_lend(h.store, &k);
	meta_store_want(h.store, l.v, ARRAY_SIZE(l.v));
	while (engine_connections(&e) == 0)
		sleep_ms(5);
	assert_int_equal(atomic_load(&l.holds), 1);
	meta_store_want(h.store, l.v, 2);
	meta_store_want(h.store, l.v, 1);
	/* the one the worker never took is let go at once; the worker's is still held */
	assert_int_equal(atomic_load(&l.holds), 3);
	assert_int_equal(atomic_load(&l.releases), 1);
	harness_close(&h);
	assert_int_equal(atomic_load(&l.releases), 3);
	engine_stop(&e);
	rmdir(empty);
}

/* The full fetch after a quick one asks about the same IDs: the same request, not a
 * copy nor another hold; its strings are let go once the last result is adopted. */
static void test_follow_up_shares_request(void **state)
{
	struct meta_ids_keeper k;
	struct lender l;
	struct fake_engine e;
	struct harness h;
	char empty[64];

	(void)state;
	lender_init(&l, &k);
	engine_start(&e, true);
	reply_with_length(&e, "docker/containers-json.json", SIZE_MAX);
	scratch_dir(empty, sizeof(empty));
	harness_open(&h, empty, e.path, NULL, 2000);
	meta_store_lend(h.store, &k);
	meta_store_want(h.store, l.v, ARRAY_SIZE(l.v));
	assert_true(wait_known_or_note(&h, KS_ID, 3000));
	assert_string_equal(meta_store_lookup(h.store, KS_ID)->name, "keystone");
	settle(&h, 300);
	assert_int_equal(engine_lists(&e), 2); /* quick, then full */
	assert_false(meta_store_pending(h.store));
	assert_int_equal(atomic_load(&l.holds), 1);
	assert_int_equal(atomic_load(&l.releases), 1);
	/* the names stay the store's own once the strings are let go */
	memset(l.ids, 'x', sizeof(l.ids));
	assert_string_equal(meta_store_lookup(h.store, KS_ID)->name, "keystone");
	harness_close(&h);
	engine_stop(&e);
	rmdir(empty);
}

/* A keeper that declines (no pin free) gets a copy: nothing borrowed, nothing released. */
static int decline_hold(void *ud)
{
	(void)ud;
	return -1;
}

static void no_release(void *ud, int token)
{
	(void)ud;
	(void)token;
	fail_msg("a request released strings it copied");
}

/* The pointers, NULL after them, then the strings (copied), in one allocation; or the
 * keeper's strings themselves. */
static void test_ids_new(void **state)
{
	static const char *const ids[] = { "abc", "", "0123456789abcdef0123456789abcdef" };
	const struct meta_ids_keeper decline = { .hold = decline_hold, .release = no_release };
	struct meta_ids_keeper k;
	struct lender l;
	struct meta_ids *v = meta_ids_new(ids, ARRAY_SIZE(ids), NULL);

	(void)state;
	assert_int_equal(v->n, ARRAY_SIZE(ids));
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		assert_string_equal(v->v[i], ids[i]);
		assert_ptr_not_equal(v->v[i], ids[i]);
		assert_true((const char *)v->v[i] >= (const char *)(v->v + ARRAY_SIZE(ids) + 1));
	}
	assert_null(v->v[ARRAY_SIZE(ids)]);
	meta_ids_unref(v);
	v = meta_ids_new(NULL, 0, NULL);
	assert_null(v->v[0]);
	meta_ids_unref(v);
	v = meta_ids_new(ids, ARRAY_SIZE(ids), &decline);
	assert_ptr_not_equal(v->v[0], ids[0]);
	assert_string_equal(v->v[0], ids[0]);
	meta_ids_unref(v);

	lender_init(&l, &k);
	v = meta_ids_new(l.v, ARRAY_SIZE(l.v), &k);
	for (size_t i = 0; i < ARRAY_SIZE(l.v); i++)
		assert_ptr_equal(v->v[i], l.v[i]);
	assert_ptr_equal(meta_ids_ref(v), v);
	meta_ids_unref(v);
	assert_int_equal(atomic_load(&l.releases), 0);
	meta_ids_unref(v);
	assert_int_equal(atomic_load(&l.holds), 1);
	assert_int_equal(atomic_load(&l.releases), 1);
	meta_ids_unref(NULL);
}

/* On the host root, $DOCKER_HOST names the socket; on a fixture root it is not used. */
static void test_docker_host_env(void **state)
{
	struct meta_options defaults = { .timeout_ms = 2000 };
	struct fake_engine e;
	struct rootfs root;
	struct notes notes = { 0 };
	struct meta_store *s;
	char url[256], empty[64];
	uint64_t end;

	engine_start(&e, true);
	reply_with_length(&e, "docker/containers-json.json", SIZE_MAX);
	snprintf(url, sizeof(url), "unix://%s", e.path);
	assert_int_equal(setenv("DOCKER_HOST", url, 1), 0);

	assert_int_equal(rootfs_open(&root, "/"), 0);
	assert_true(root.is_host);
	s = meta_store_new(&root, &defaults, &notes);
	meta_store_want(s, keystone_ids, ARRAY_SIZE(keystone_ids));
	for (end = now_ns() + 3000000000ull; now_ns() < end && !meta_store_lookup(s, KS_ID);) {
		meta_store_sync(s);
		sleep_ms(5);
	}
	assert_non_null(meta_store_lookup(s, KS_ID));
	assert_string_equal(meta_store_lookup(s, KS_ID)->name, "keystone");
	/* quick, then full */
	for (end = now_ns() + 3000000000ull; now_ns() < end && engine_lists(&e) < 2;)
		sleep_ms(5);
	sleep_ms(100);
	assert_int_equal(engine_lists(&e), 2);
	meta_store_free(s);
	rootfs_close(&root);

	/* a fixture root: sockets only when given as options */
	scratch_dir(empty, sizeof(empty));
	assert_int_equal(rootfs_open(&root, empty), 0);
	s = meta_store_new(&root, &defaults, &notes);
	meta_store_want(s, keystone_ids, ARRAY_SIZE(keystone_ids));
	for (end = now_ns() + 300000000ull; now_ns() < end;) {
		meta_store_sync(s);
		sleep_ms(5);
	}
	assert_null(meta_store_lookup(s, KS_ID));
	assert_int_equal(engine_lists(&e), 2); /* none since the host's two */
	meta_store_free(s);
	rootfs_close(&root);
	rmdir(empty);
	assert_int_equal(notes.n, 0);

	/* not a unix socket: said once, at the start */
	assert_int_equal(setenv("DOCKER_HOST", "tcp://127.0.0.1:2375", 1), 0);
	assert_int_equal(rootfs_open(&root, "/"), 0);
	s = meta_store_new(&root, &defaults, &notes);
	assert_int_equal(notes.n, 1);
	assert_non_null(strstr(notes.texts[0], "DOCKER_HOST=tcp://127.0.0.1:2375 is not a unix:// socket"));
	meta_store_free(s);
	rootfs_close(&root);
	unsetenv("DOCKER_HOST");
	notes_free(&notes);
	engine_stop(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_decodes_fixtures),
		cmocka_unit_test(test_client_reuses_connection),
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_answer_without_close),
		cmocka_unit_test(test_slow),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_closed_mid_answer),
		cmocka_unit_test(test_refused_and_missing),
		cmocka_unit_test(test_config_v2_fallback),
		cmocka_unit_test(test_api_plus_config_v2),
		cmocka_unit_test(test_config_v2_broken),
		cmocka_unit_test(test_podman_storage_fallback),
		cmocka_unit_test(test_known_names_survive_failure),
		cmocka_unit_test(test_free_while_busy),
		cmocka_unit_test(test_requests_replaced_while_busy),
		cmocka_unit_test(test_requests_borrow_while_busy),
		cmocka_unit_test(test_follow_up_shares_request),
		cmocka_unit_test(test_ids_new),
		cmocka_unit_test(test_docker_host_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
