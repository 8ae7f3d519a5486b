/* One fetch of container metadata: the Docker and podman APIs, then docker's
 * config.v2.json, libpod's database and podman's containers.json for what the APIs left
 * unknown, then the kubelet's log links (Kubernetes names of containers and pods). Runs
 * in the store's worker; what goes wrong becomes a note, posted once per kind. */
#ifndef CGTOP_META_FETCH_H
#define CGTOP_META_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "engine_http.h"
#include "meta_list.h"
#include "notes.h"
#include "rootfs.h"
#include "util.h"

/* Where the engines are and how to ask them; the fetches' reused buffers. */
struct meta_fetch_ctx {
	const struct rootfs *root;
	char *docker_socket;      /* NULL when not used */
	bool docker_explicit;     /* given by the user: a missing socket is worth a note */
	char *docker_root;        /* read through root */
	char *podman_socket;      /* NULL when not used */
	bool podman_explicit;
	char *podman_storage;     /* read through root */
	int timeout_ms;           /* per API request */
	struct engine_http *http; /* NULL: the APIs are not asked */
	int cancel_fd;            /* readable once the fetch should stop (-1: never) */
	struct notes_inbox *notes;
	struct buf body, file;
	char why[96];             /* the fetch at work: the first engine failure it met */
	/* the worker's own: the previous fetch's list entries (ID, state, Status and
	 * lifecycle only), so only a container whose state or Status changed is inspected */
	struct meta_list prev;
	uint64_t *asked;          /* the IDs the previous fetch was asked about: their hashes,
				   * sorted (a copy of 10,000 IDs took 0.8 MB) */
	size_t nasked;
	bool quick;               /* the fetch at work awaits a name: no inspects */
	bool more;                /* ... and left some to do */
};

/* What one fetch found: entries for the IDs it was asked about and every container the
 * engines list (or, without the Docker API, docker's data root holds), sorted by ID. */
struct meta_fetch {
	struct meta_list list;
	struct meta_ids *req; /* the request: a reference */
	const char *const *ids; /* its IDs, sorted */
	size_t nids;
	char why[96];   /* an engine's failure, short ("Docker API: permission denied"), or "" */
	bool more;      /* a quick fetch that left inspects to do: fetch again at once */
};

/* Ask every source in turn, each filling in what the ones before left unknown, about
 * the IDs of REQ (its reference taken over by the result). */
struct meta_fetch *meta_fetch_run(struct meta_fetch_ctx *c, struct meta_ids *req);
/* Free a fetch's result and its reference to the IDs it was asked about. */
void meta_fetch_free(struct meta_fetch *f);

/* Free C's strings and buffers (not root, http, cancel_fd or notes). */
void meta_fetch_ctx_release(struct meta_fetch_ctx *c);

#endif
