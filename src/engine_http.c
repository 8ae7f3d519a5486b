/* GET over an engine's unix socket, with libcurl.
 *
 * A curl multi handle drives the one easy handle of the client, so that the wait can
 * include the cancel descriptor (curl_multi_poll's extra descriptors): freeing the store
 * interrupts a request at once, not at libcurl's next progress call. Both handles live as
 * long as the client, so the connection to an engine is kept for the next request. Only
 * http: is allowed, no proxy, no redirect, no signal, and the body is refused past its cap
 * as it arrives. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <curl/curl.h>
#ifdef HAVE_LIBSSH2
#include <libssh2.h>
#endif

#include "engine_http.h"

struct engine_http {
	CURLM *multi;
	CURL *easy;
	struct curl_slist *headers;
	int cancel_fd;
	/* the request under way */
	struct buf *body;
	size_t max_body;
	bool too_big;
	bool no_memory;
};

#ifdef HAVE_LIBSSH2
/* the libssh2_init() calls made here, each owing a libssh2_exit() (libcurl's global
 * init and cleanup are counted the same way) */
static unsigned ssh2_inits;
#endif

/* A libcurl built with libssh2 calls libssh2_init(0) in its global init, and that sets
 * up libssh2's crypto library for SCP and SFTP, which cgtop never allows (http only): on
 * Debian 12, OpenSSL's ciphers, 1.6 MiB of pages resident for as long as cgtop runs.
 * libssh2 sets up its crypto library at its first init only and counts the others, so an
 * init with LIBSSH2_INIT_NO_CRYPTO (libssh2_init(3)) made before libcurl's leaves it out;
 * the flag also keeps the last libssh2_exit() from tearing down what was never set up.
 * Done only when the SSH library libcurl reports is libssh2. */
static void ssh2_init_without_crypto(void)
{
#ifdef HAVE_LIBSSH2
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);

	if (v && v->libssh_version && strncmp(v->libssh_version, "libssh2/", 8) == 0)
		ssh2_inits += libssh2_init(LIBSSH2_INIT_NO_CRYPTO) == 0;
#endif
}

static void ssh2_exit(void)
{
#ifdef HAVE_LIBSSH2
	if (ssh2_inits) {
		ssh2_inits--;
		libssh2_exit();
	}
#endif
}

int engine_http_global_init(void)
{
	ssh2_init_without_crypto();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		ssh2_exit();
		return -EIO;
	}
	return 0;
}

void engine_http_global_cleanup(void)
{
	curl_global_cleanup();
	ssh2_exit();
}

/* libcurl's write callback: append to the body, or refuse what would pass its cap. */
static size_t take_body(char *p, size_t size, size_t n, void *userdata)
{
	struct engine_http *h = userdata;
	struct buf *b = h->body;
	size_t len = size * n;

	if (len > h->max_body - b->len) {
		h->too_big = true;
		return 0;
	}
	if (buf_reserve(b, b->len + len) < 0) {
		h->no_memory = true;
		return 0;
	}
	memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return len;
}

/* Set the options every request shares. Returns false if libcurl refuses one. */
static bool set_common_options(struct engine_http *h)
{
	CURL *e = h->easy;

	h->headers = curl_slist_append(NULL, "Accept: application/json");
	return h->headers &&
	       curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http") == CURLE_OK &&
	       curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
	       curl_easy_setopt(e, CURLOPT_PROXY, "") == CURLE_OK &&
	       curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	       curl_easy_setopt(e, CURLOPT_HTTPGET, 1L) == CURLE_OK &&
	       curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1) == CURLE_OK &&
	       curl_easy_setopt(e, CURLOPT_USERAGENT, "cgtop/" PACKAGE_VERSION) == CURLE_OK &&
	       curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->headers) == CURLE_OK &&
	       curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, take_body) == CURLE_OK &&
	       curl_easy_setopt(e, CURLOPT_WRITEDATA, h) == CURLE_OK;
}

struct engine_http *engine_http_new(int cancel_fd)
{
	struct engine_http *h = xcalloc(1, sizeof(*h));

	h->cancel_fd = cancel_fd;
	h->multi = curl_multi_init();
	h->easy = curl_easy_init();
	if (!h->multi || !h->easy || !set_common_options(h)) {
		engine_http_free(h);
		return NULL;
	}
	return h;
}

void engine_http_free(struct engine_http *h)
{
	if (!h)
		return;
	if (h->easy)
		curl_easy_cleanup(h->easy);
	if (h->multi)
		curl_multi_cleanup(h->multi);
	curl_slist_free_all(h->headers);
	free(h);
}

/* What libcurl's result C of a request means, as -errno. */
static int errno_of(const struct engine_http *h, CURLcode c)
{
	long os_errno = 0;

	curl_easy_getinfo(h->easy, CURLINFO_OS_ERRNO, &os_errno);
	switch (c) {
	case CURLE_OK:
		return 0;
	case CURLE_COULDNT_CONNECT:
		return os_errno > 0 ? -(int)os_errno : -ECONNREFUSED;
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_UNSUPPORTED_PROTOCOL: /* "Received HTTP/0.9 when not allowed" */
	case CURLE_WEIRD_SERVER_REPLY:
		return -EBADMSG;
	case CURLE_RECV_ERROR:
		/* a socket error, or libcurl's word for bad chunk framing */
		return os_errno > 0 ? -EPIPE : -EBADMSG;
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return -EPIPE;
	case CURLE_FILESIZE_EXCEEDED:
		return -EFBIG;
	case CURLE_WRITE_ERROR:
		return h->too_big ? -EFBIG : h->no_memory ? -ENOMEM : -EIO;
	case CURLE_OUT_OF_MEMORY:
		return -ENOMEM;
	default:
		return -EIO;
	}
}

/* Run the transfer added to H's multi handle until it ends or the cancel descriptor is
 * readable. Returns libcurl's result, or -ECANCELED. */
static int run_transfer(struct engine_http *h, CURLcode *result)
{
	for (;;) {
		struct curl_waitfd cancel = { .fd = h->cancel_fd, .events = CURL_WAIT_POLLIN };
		int running = 0;
		CURLMsg *msg;
		int left;

		if (curl_multi_perform(h->multi, &running) != CURLM_OK)
			return -EIO;
		while ((msg = curl_multi_info_read(h->multi, &left))) {
			if (msg->msg == CURLMSG_DONE && msg->easy_handle == h->easy) {
				*result = msg->data.result;
				return 0;
			}
		}
		if (!running)
			return -EIO;
		/* libcurl shortens the wait to its own next timeout */
		if (curl_multi_poll(h->multi, &cancel, h->cancel_fd >= 0 ? 1 : 0, 1000, NULL) != CURLM_OK)
			return -EIO;
		if (cancel.revents)
			return -ECANCELED;
	}
}

int engine_http_get(struct engine_http *h, const struct engine_get *req, struct buf *body,
		    int *status)
{
	char url[1024];
	CURLcode result = CURLE_OK;
	long code = 0;
	int n, r;

	*status = 0;
	body->len = 0;
	if (buf_reserve(body, 0) < 0)
		return -ENOMEM;
	body->data[0] = '\0';
	n = snprintf(url, sizeof(url), "http://%s%s", req->host, req->path);
	if (n < 0 || (size_t)n >= sizeof(url))
		return -ENAMETOOLONG;
	h->body = body;
	h->max_body = req->max_body;
	h->too_big = false;
	h->no_memory = false;
	if (curl_easy_setopt(h->easy, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(h->easy, CURLOPT_UNIX_SOCKET_PATH, req->socket) != CURLE_OK ||
	    curl_easy_setopt(h->easy, CURLOPT_CONNECTTIMEOUT_MS, (long)req->timeout_ms) != CURLE_OK ||
	    curl_easy_setopt(h->easy, CURLOPT_TIMEOUT_MS, (long)req->timeout_ms) != CURLE_OK ||
	    curl_easy_setopt(h->easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_body) != CURLE_OK)
		return -EIO;
	if (curl_multi_add_handle(h->multi, h->easy) != CURLM_OK)
		return -EIO;
	r = run_transfer(h, &result);
	/* an unfinished transfer's connection is closed here, a finished one's kept */
	curl_multi_remove_handle(h->multi, h->easy);
	h->body = NULL;
	if (r < 0)
		return r;
	if ((r = errno_of(h, result)) < 0)
		return r;
	curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &code);
	*status = (int)code;
	return 0;
}
