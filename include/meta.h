/* Container metadata sources: the Docker and podman APIs, docker's config.v2.json and
 * podman's containers.json, read by a background thread so the display never waits. */
#ifndef CGTOP_META_H
#define CGTOP_META_H

#include <stdbool.h>
#include <stddef.h>

#include "container.h"
#include "notes.h"
#include "rootfs.h"
#include "util.h"

/* Any field left NULL (or 0) takes its default. A socket given as "" is not used. */
struct meta_options {
	const char *docker_socket;  /* default: $DOCKER_HOST if unix://…, else /var/run/docker.sock */
	const char *docker_root;    /* default /var/lib/docker (read through the root handle) */
	const char *podman_socket;  /* default /run/podman/podman.sock */
	const char *podman_storage; /* default /var/lib/containers/storage (through the root handle) */
	int timeout_ms;             /* per API request, connect to last byte; default 500 */
};

/* Largest API answer or metadata file read (16 MiB). */
#define META_MAX_BODY (16u << 20)

/* After a fetch that left an ID unknown, the next try comes this much later at the soonest. */
#define META_RETRY_NS (10ull * 1000000000ull)

struct meta_store;

/* Make a store reading files through R (which must outlive it) and reporting through NOTES.
 * Sockets are used only when R is the host's "/" or when the option was given. */
struct meta_store *meta_store_new(const struct rootfs *r, const struct meta_options *o,
				  struct notes *notes);
/* Stop the worker (interrupting any request) and free everything. */
void meta_store_free(struct meta_store *s);
/* Tell the store which container IDs the current refresh shows; starts a fetch in the
 * background when the set changed, or when an ID is unknown and the last try is 10 s old. */
void meta_store_want(struct meta_store *s, const char *const *ids, size_t n);
/* Adopt the worker's latest finished results and notes. Never waits for I/O. */
void meta_store_sync(struct meta_store *s);
/* Whether a fetch was asked for and its results are not adopted yet (a wait for names
 * can end when this is false). */
bool meta_store_pending(struct meta_store *s);
/* What is known about container ID, or NULL. Valid until the next meta_store_sync(). */
const struct container_meta *meta_store_lookup(struct meta_store *s, const char *id);

/* A list of containers, as parsed from one answer or file. */
struct meta_list {
	struct container_meta *v;
	size_t n;
};

/* Parse the answer of GET /containers/json (Docker, podman compat) or of podman's
 * /libpod/containers/json into OUT (appended). Entries without a usable Id are skipped.
 * Returns 0, -ENODATA (truncated), -EBADMSG (not JSON), -EINVAL (not a list), -EFBIG. */
int meta_parse_containers_json(const char *buf, size_t len, struct meta_list *out);
/* Parse docker's <root>/containers/<id>/config.v2.json into OUT (zeroed first).
 * Returns 0 or the errors of meta_parse_containers_json(). */
int meta_parse_config_v2(const char *buf, size_t len, struct container_meta *out);
/* Parse podman's <storage>/<driver>-containers/containers.json into OUT (appended):
 * IDs, names and image names only. Same returns. */
int meta_parse_podman_storage(const char *buf, size_t len, struct meta_list *out);

/* Parse an HTTP/1.1 response held in BUF (LEN bytes, EOF true when the peer has closed):
 * the status code into STATUS, the body (Content-Length, chunked or up to EOF) into BODY.
 * Returns 0 when complete, -EAGAIN when more bytes are needed, -EPIPE when the peer closed
 * before the end, -EBADMSG when it is not HTTP, -EFBIG past META_MAX_BODY. */
int meta_http_response(const char *buf, size_t len, bool eof, int *status, struct buf *body);

/* Free the strings of M and zero it. */
void container_meta_free(struct container_meta *m);
/* Free every entry of L and the array. */
void meta_list_free(struct meta_list *l);

#endif
