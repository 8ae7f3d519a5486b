/* Container metadata: names, labels, images and states from the container engines.
 *
 * A worker thread does all the I/O (meta_fetch.c: API requests over unix sockets, docker's
 * and podman's files); the main thread only swaps in finished results, so a slow or broken
 * engine never holds up the display. This file is the policy: when to ask again, what an
 * earlier answer keeps, and the hand-over between the threads. */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "meta.h"
#include "meta_fetch.h"

#define DEFAULT_DOCKER_SOCKET "/var/run/docker.sock"
#define DEFAULT_DOCKER_ROOT "/var/lib/docker"
#define DEFAULT_PODMAN_SOCKET "/run/podman/podman.sock"
#define DEFAULT_PODMAN_STORAGE "/var/lib/containers/storage"
#define DEFAULT_TIMEOUT_MS 500

struct meta_store {
	struct notes *notes;
	bool curl_ready;          /* engine_http_global_init() succeeded */

	/* main thread only */
	struct meta_list cur;     /* adopted results, sorted by ID */
	uint64_t want_sig;        /* the set last asked about: its signature (ids_sig), not
				   * a copy (10,000 IDs of 65 bytes) */
	size_t nwant;
	uint64_t last_ask_ns;
	bool answered;            /* the last fetch adopted was asked about the set of want */
	unsigned long adopted;    /* fetch results adopted so far */
	const char **scratch;     /* want()'s sorted view of its argument */
	size_t scratch_cap;
	const struct meta_ids_keeper *keeper; /* holds want()'s strings for the requests */

	/* shared with the worker, under lock; the worker never holds it during I/O */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct meta_ids *req;     /* the next set to fetch (a reference) */
	bool req_new;
	bool fetching;            /* the worker is at a fetch */
	struct meta_fetch *done;  /* finished, not adopted yet */
	bool stop;
	struct notes_inbox *inbox; /* the worker's notes (its own lock, taken inside this one) */

	/* the worker's own once it runs */
	pthread_t thread;
	bool running;
	char why[96];             /* the last adopted fetch's engine failure (main thread's) */
	int cancel_fd;            /* eventfd: readable once meta_store_free() wants the worker gone */
	struct meta_fetch_ctx ctx;
};

/* The worker thread: waits for a request, fetches, posts the result and publishes the
 * notes the fetch posted. */
static void *worker_main(void *arg)
{
	struct meta_store *s = arg;

	for (;;) {
		struct meta_fetch *f, *old;
		struct meta_ids *ids;

		pthread_mutex_lock(&s->lock);
		while (!s->stop && !s->req_new)
			pthread_cond_wait(&s->wake, &s->lock);
		if (s->stop) {
			pthread_mutex_unlock(&s->lock);
			break;
		}
		ids = s->req;
		s->req = NULL;
		s->req_new = false;
		s->fetching = true;
		pthread_mutex_unlock(&s->lock);

		f = meta_fetch_run(&s->ctx, ids);
		/* a quick fetch (names awaited) left inspects: a full one follows at once,
		 * unless a new request comes first; the same IDs, not a copy */
		if (f->more) {
			pthread_mutex_lock(&s->lock);
			if (!s->req_new) {
				s->req = meta_ids_ref(f->req);
				s->req_new = true;
			}
			pthread_mutex_unlock(&s->lock);
		}

		pthread_mutex_lock(&s->lock);
		/* the fetch's notes with its result, in one step for meta_store_sync() */
		notes_publish(s->inbox);
		old = s->done;
		s->done = f;
		s->fetching = false;
		pthread_mutex_unlock(&s->lock);
		/* a result the main thread never adopted: superseded */
		meta_fetch_free(old);
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

/* Where the engines are, from the options, $DOCKER_HOST and the defaults, into C. */
static void configure(struct meta_fetch_ctx *c, const struct rootfs *r, const struct meta_options *o,
		      struct notes *notes)
{
	const char *dh = getenv("DOCKER_HOST");

	c->root = r;
	c->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
	c->docker_root = xstrdup(o->docker_root ? o->docker_root : DEFAULT_DOCKER_ROOT);
	c->podman_storage = xstrdup(o->podman_storage ? o->podman_storage : DEFAULT_PODMAN_STORAGE);
	if (!o->docker_socket && r->is_host && dh && *dh) {
		if (strncmp(dh, "unix://", 7) == 0 && dh[7]) {
			c->docker_socket = xstrdup(dh + 7);
			c->docker_explicit = true;
		} else {
			notes_add(notes, "meta-docker-host",
				  "DOCKER_HOST=%s is not a unix:// socket: cgtop asks only a local engine, at %s; give --docker-socket to choose another",
				  dh, DEFAULT_DOCKER_SOCKET);
		}
	}
	if (!c->docker_socket)
		c->docker_socket = pick_socket(r, o->docker_socket, DEFAULT_DOCKER_SOCKET,
					       &c->docker_explicit);
	c->podman_socket = pick_socket(r, o->podman_socket, DEFAULT_PODMAN_SOCKET, &c->podman_explicit);
}

struct meta_store *meta_store_new(const struct rootfs *r, const struct meta_options *o,
				  struct notes *notes)
{
	static const struct meta_options defaults = { 0 };
	struct meta_store *s = xcalloc(1, sizeof(*s));
	sigset_t all, old;
	int rc;

	if (!o)
		o = &defaults;
	s->notes = notes;
	configure(&s->ctx, r, o, notes);
	s->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	s->inbox = notes_inbox_new();
	s->ctx.cancel_fd = s->cancel_fd;
	s->ctx.notes = s->inbox;
	/* libcurl reads its configuration now, during start-up: before the sandbox */
	if (s->ctx.docker_socket || s->ctx.podman_socket) {
		s->curl_ready = engine_http_global_init() == 0;
		s->ctx.http = s->curl_ready ? engine_http_new(s->cancel_fd) : NULL;
		if (!s->ctx.http)
			notes_add(notes, "meta-http",
				  "cannot set up libcurl to ask the container engines' APIs: container names come from their files only");
	}
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
	engine_http_free(s->ctx.http);
	if (s->curl_ready)
		engine_http_global_cleanup();
	if (s->cancel_fd >= 0)
		close(s->cancel_fd);
	meta_list_free(&s->cur);
	free(s->scratch);
	meta_ids_unref(s->req);
	meta_fetch_free(s->done);
	notes_inbox_free(s->inbox);
	meta_fetch_ctx_release(&s->ctx);
	free(s);
}

/* A set of IDs (sorted, each once) as 64 bits: the same for the same set, and (a 64-bit
 * hash) different for another one. */
static uint64_t ids_sig(const char *const *ids, size_t n)
{
	uint64_t h = PATH_HASH_INIT;

	for (size_t i = 0; i < n; i++)
		h = path_hash_add(h, ids[i], strlen(ids[i]) + 1); /* with the NUL: "ab","c" != "a","bc" */
	return h;
}

void meta_store_want(struct meta_store *s, const char *const *ids, size_t n)
{
	uint64_t now = now_monotonic_ns();
	size_t nw = 0;
	struct meta_ids *req, *old;
	bool changed;
	uint64_t sig;

	/* a sorted, de-duplicated view first, so an unchanged set costs no allocation */
	if (n > s->scratch_cap) {
		s->scratch = xrealloc(s->scratch, n * sizeof(*s->scratch));
		s->scratch_cap = n;
	}
	for (size_t i = 0; i < n; i++)
		s->scratch[i] = ids[i];
	if (n > 1)
		qsort(s->scratch, n, sizeof(*s->scratch), meta_ids_cmp);
	for (size_t i = 0; i < n; i++)
		if (nw == 0 || strcmp(s->scratch[nw - 1], s->scratch[i]) != 0)
			s->scratch[nw++] = s->scratch[i];
	sig = ids_sig(s->scratch, nw);
	changed = nw != s->nwant || sig != s->want_sig;

	if (changed) {
		s->answered = false;
		s->want_sig = sig;
		s->nwant = nw;
	} else {
		bool unknown = false;

		for (size_t i = 0; i < nw && !unknown; i++)
			unknown = !meta_store_lookup(s, s->scratch[i]);
		/* an unknown ID is asked about again after META_RETRY_NS; the engines' lists
		 * (states, containers that stopped or appeared) every META_POLL_NS */
		if ((!unknown || now - s->last_ask_ns < META_RETRY_NS) &&
		    now - s->last_ask_ns < META_POLL_NS)
			return;
	}
	if (!s->running)
		return;
	s->last_ask_ns = now;
	req = meta_ids_new(s->scratch, nw, s->keeper);
	pthread_mutex_lock(&s->lock);
	/* a request the worker has not taken yet is replaced by this newer one */
	old = s->req;
	s->req = req;
	s->req_new = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	meta_ids_unref(old);
}

void meta_store_lend(struct meta_store *s, const struct meta_ids_keeper *k)
{
	s->keeper = k;
}

bool meta_store_answered(const struct meta_store *s)
{
	return s->answered;
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
	size_t nfound;

	pthread_mutex_lock(&s->lock);
	f = s->done;
	s->done = NULL;
	/* under the lock: the notes published with that result, no more and no fewer */
	notes_deliver(s->inbox, s->notes);
	pthread_mutex_unlock(&s->lock);
	if (!f)
		return;
	memcpy(s->why, f->why, sizeof(s->why));
	nfound = f->list.n;
	/* a lifecycle this fetch could not learn (an inspect timed out) stays as last known */
	for (size_t i = 0; i < nfound; i++) {
		const struct container_meta *old;

		if (!f->list.v[i].life.known && (old = meta_list_find(&s->cur, f->list.v[i].id)) &&
		    old->life.known)
			f->list.v[i].life = old->life;
	}
	/* what an earlier fetch knew about an ID this one could not name stays known: an
	 * engine that is briefly unreachable does not turn names back into hashes */
	for (size_t i = 0; i < s->cur.n; i++) {
		struct container_meta *e = &s->cur.v[i];

		if (meta_ids_has(f->ids, f->nids, e->id) && !meta_list_find_n(&f->list, nfound, e->id)) {
			*meta_list_push(&f->list) = *e;
			memset(e, 0, sizeof(*e));
		}
	}
	/* a poll of the same set answers for it too; a set changed since the ask does not */
	s->answered = f->nids == s->nwant && ids_sig(f->ids, f->nids) == s->want_sig;
	meta_list_sort(&f->list);
	meta_list_free(&s->cur);
	s->cur = f->list;
	s->adopted++;
	f->list.v = NULL;
	f->list.n = 0;
	meta_fetch_free(f);
}

const char *meta_store_why(const struct meta_store *s)
{
	return s->why;
}

bool meta_store_asks_engines(const struct meta_store *s)
{
	return s->ctx.http && (s->ctx.docker_socket || s->ctx.podman_socket);
}

unsigned long meta_store_adopted(const struct meta_store *s)
{
	return s->adopted;
}

const struct container_meta *meta_store_all(struct meta_store *s, size_t *n)
{
	*n = s->cur.n;
	return s->cur.v;
}

const struct container_meta *meta_store_lookup(struct meta_store *s, const char *id)
{
	return meta_list_find(&s->cur, id);
}
