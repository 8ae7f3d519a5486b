/* HTTP GET over a container engine's unix socket, with libcurl: one client per thread,
 * its connection kept for the next request, every request bounded in time and size and
 * interruptible. */
#ifndef CGTOP_ENGINE_HTTP_H
#define CGTOP_ENGINE_HTTP_H

#include <stddef.h>

#include "util.h"

struct engine_http;

/* One request. */
struct engine_get {
	const char *socket;  /* the engine's unix socket */
	const char *host;    /* the Host: the engine is sent ("docker", "podman") */
	const char *path;    /* "/containers/json?all=1" */
	int timeout_ms;      /* connect to last byte */
	size_t max_body;     /* a longer answer is refused with -EFBIG */
};

/* Set up libcurl for the process (and its TLS library, which cgtop never uses; libssh2's
 * crypto library is left out, see engine_http.c): call during start-up, before the
 * sandbox; pair with engine_http_global_cleanup(). 0 or -EIO. */
int engine_http_global_init(void);
void engine_http_global_cleanup(void);

/* A client whose requests stop with -ECANCELED once CANCEL_FD (an eventfd or pipe) is
 * readable. NULL when libcurl cannot make one. Use it from one thread at a time. */
struct engine_http *engine_http_new(int cancel_fd);
void engine_http_free(struct engine_http *h);

/* GET REQ: the body into BODY (NUL-terminated), the status into *STATUS (whatever it is).
 * Returns 0 or -ENOENT, -ECONNREFUSED, -EACCES (cannot connect), -ETIMEDOUT, -EBADMSG
 * (not HTTP), -EPIPE (closed before the end), -EFBIG, -ECANCELED, -ENOMEM, -EIO. */
int engine_http_get(struct engine_http *h, const struct engine_get *req, struct buf *body,
		    int *status);

#endif
