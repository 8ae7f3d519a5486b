/* The container metadata store: what the Docker and podman APIs, docker's config.v2.json,
 * podman's own files and the kubelet's log links say about the containers (and the
 * kubelet's pods, by UID) shown, fetched by a background thread (meta_fetch.h) so the
 * display never waits. */
#ifndef CGTOP_META_H
#define CGTOP_META_H

#include <stdbool.h>
#include <stddef.h>

#include "container.h"
#include "meta_json.h"
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

/* After a fetch that left an ID unknown, the next try comes this much later at the soonest. */
#define META_RETRY_NS (10ull * 1000000000ull)

/* The engines' lists are asked for again this often (at most once per meta_store_want()):
 * states change, containers stop and start without a change of cgroups. */
#define META_POLL_NS (1000000000ull)

struct meta_store;

/* Make a store reading files through R (which must outlive it) and reporting through NOTES.
 * Sockets are used only when R is the host's "/" or when the option was given. */
struct meta_store *meta_store_new(const struct rootfs *r, const struct meta_options *o,
				  struct notes *notes);
/* Stop the worker (interrupting any request) and free everything. */
void meta_store_free(struct meta_store *s);
/* Tell the store which container IDs (and pod UIDs) the current refresh shows; starts a fetch in the
 * background when the set changed, when an ID is unknown and the last try is 10 s old,
 * or when the last fetch is META_POLL_NS old. */
void meta_store_want(struct meta_store *s, const char *const *ids, size_t n);
/* From now on the strings given to meta_store_want() are K's to keep (K must outlive S):
 * a request borrows them while K holds them, else copies them. */
void meta_store_lend(struct meta_store *s, const struct meta_ids_keeper *k);
/* Adopt the worker's latest finished results and notes. Never waits for I/O. */
void meta_store_sync(struct meta_store *s);
/* Whether a fetch was asked for and its results are not adopted yet (a wait for names
 * can end when this is false). */
bool meta_store_pending(struct meta_store *s);
/* Whether the last fetch adopted was asked about the IDs of the last meta_store_want()
 * (the lists' poll keeps a fetch pending most of the time: this tells whether the
 * engines have answered for these IDs, to say why a name is missing). */
bool meta_store_answered(const struct meta_store *s);
/* Why the last fetch adopted may have left names unknown: an engine's failure, short
 * ("Docker API: permission denied"), or "" when every engine asked answered. */
const char *meta_store_why(const struct meta_store *s);
/* Whether any engine's API is asked (a socket is used). */
bool meta_store_asks_engines(const struct meta_store *s);
/* How many fetch results meta_store_sync() adopted so far (0: nothing known yet). */
unsigned long meta_store_adopted(const struct meta_store *s);
/* Every container known (sorted by ID, *N of them): those the engines list, running or
 * not. Valid until the next meta_store_sync(). */
const struct container_meta *meta_store_all(struct meta_store *s, size_t *n);
/* What is known about container ID, or NULL. Valid until the next meta_store_sync(). */
const struct container_meta *meta_store_lookup(struct meta_store *s, const char *id);

#endif
