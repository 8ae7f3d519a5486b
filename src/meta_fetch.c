/* One fetch of container metadata, from a context: the APIs over their unix sockets,
 * then the engines' own files below the root, then the kubelet's log links. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bolt.h"
#include "kubelet_logs.h"
#include "meta_fetch.h"
#include "meta_json.h"
#include "podman_db.h"

/* Whether S is a 64-hex container ID, the only kind used in a file path. */
static bool is_hex_id(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 64;
}

/* Whether the fetch should stop: the store is being freed. */
static bool cancelled(const struct meta_fetch_ctx *c)
{
	struct pollfd p = { .fd = c->cancel_fd, .events = POLLIN };

	return c->cancel_fd >= 0 && poll(&p, 1, 0) > 0;
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
 * the JSON expected) or the errors of engine_http_get(). */
static int api_list(struct meta_fetch_ctx *c, const char *sock, const char *host, const char *path,
		    struct meta_list *out, int *status)
{
	const struct engine_get req = {
		.socket = sock, .host = host, .path = path,
		.timeout_ms = c->timeout_ms, .max_body = META_MAX_BODY,
	};
	int r = engine_http_get(c->http, &req, &c->body, status);

	if (r < 0)
		return r;
	if (*status != 200)
		return -EPROTO;
	r = meta_parse_containers_json(c->body.data ? c->body.data : "", c->body.len, out);
	return r == -EBADMSG ? -EILSEQ : r;
}

/* What to do about an API's failure R, for its note: only advice that can help (root
 * when permission was denied to another user, the option when the default socket is not
 * there), else "". */
static const char *advice(int r, bool explicit, const char *give_option)
{
	if ((r == -EACCES || r == -EPERM) && geteuid() != 0)
		return "; run cgtop as root";
	if (r == -ENOENT && !explicit)
		return give_option;
	return "";
}

/* The lifecycle M had in the previous fetch, when nothing the list says of it changed
 * (then no inspect is needed); NULL otherwise. A container up for seconds only is
 * inspected each time: it may have restarted between two fetches, which the list does
 * not show (docker's Status gives no start time, and its "Up" hides a restart). */
static const struct container_meta *unchanged(const struct meta_fetch_ctx *c,
					      const struct container_meta *m)
{
	const struct container_meta *p = meta_list_find(&c->prev, m->id);

	if (!p || !p->life.known || p->life_stale || !m->state || !p->state || strcmp(m->state, p->state) != 0)
		return NULL;
	if (!m->status != !p->status)
		return NULL;
	if (m->status && (!meta_status_same(m->status, p->status) || strstr(m->status, "second")))
		return NULL;
	return p;
}

/* M keeps the lifecycle and main pid P had, with the exit code its Status shows; STALE:
 * not checked against M's new state (a quick fetch, a failed inspect), so the next fetch
 * inspects it. */
static void carry(struct container_meta *m, const struct container_meta *p, bool stale)
{
	m->life = p->life;
	m->life_stale = stale;
	if (meta_status_exit_code(m->status) >= 0)
		m->life.exit_code = meta_status_exit_code(m->status);
	if (!m->main_pid)
		m->main_pid = p->main_pid;
}

/* Inspect (GET /containers/ID/json at SOCK) the entries FROM.. of L whose state or
 * Status changed since the previous fetch, for their lifecycle; the others keep the one
 * they had. A request that fails but for a timeout ends the inspects of this fetch
 * (config.v2.json fills in); the list's state and health stand. In a quick fetch (names
 * are awaited) nothing is inspected: what was known stands, and c->more asks for a full
 * fetch right after. */
static void inspect_changed(struct meta_fetch_ctx *c, const char *sock, const char *host,
			    struct meta_list *l, size_t from)
{
	bool reachable = true;

	for (size_t i = from; i < l->n && !cancelled(c); i++) {
		struct container_meta *m = &l->v[i], in;
		const struct container_meta *p = unchanged(c, m);
		char path[256];
		int status = 0, r;

		if (p) {
			carry(m, p, false);
			continue;
		}
		if (c->quick) {
			if ((p = meta_list_find(&c->prev, m->id)) && p->life.known)
				carry(m, p, true);
			c->more = true;
			continue;
		}
		if (!reachable || strlen(m->id) > 128 || strspn(m->id, "0123456789abcdef") != strlen(m->id)) {
			/* the engine went away during this fetch: what was known stands */
			if ((p = meta_list_find(&c->prev, m->id)) && p->life.known)
				carry(m, p, true);
			continue;
		}
		snprintf(path, sizeof(path), "/containers/%s/json", m->id);
		r = engine_http_get(c->http, &(const struct engine_get){ .socket = sock, .host = host,
			.path = path, .timeout_ms = c->timeout_ms, .max_body = META_MAX_BODY },
			&c->body, &status);
		/* a container being restarted can hold its inspect past the timeout: only an
		 * engine gone ends the inspects */
		if (r < 0 || status != 200 ||
		    meta_parse_inspect(c->body.data ? c->body.data : "", c->body.len, &in) < 0) {
			if (r < 0)
				reachable = r == -ETIMEDOUT;
			/* what was known stands, with the exit code the list shows */
			if ((p = meta_list_find(&c->prev, m->id)) && p->life.known)
				carry(m, p, true);
			continue;
		}
		m->life = in.life;
		/* docker sets ExitCode back to 0 when a container starts again: the last run's
		 * code is the one seen when it ended (the same FinishedAt); a run that ended
		 * and restarted between two fetches left no code to see: unknown, not 0 */
		if (m->life.exit_code == 0 && m->life.finished_at > 0 && in.state &&
		    (strcmp(in.state, "running") == 0 || strcmp(in.state, "paused") == 0)) {
			p = meta_list_find(&c->prev, m->id);
			m->life.exit_code = p && p->life.known && p->life.finished_at == m->life.finished_at
						    ? p->life.exit_code : -1;
		}
		/* the inspect is newer than the list: its state and health win */
		if (in.state) {
			free(m->state);
			m->state = in.state;
			in.state = NULL;
		}
		free(m->health);
		m->health = in.health;
		in.health = NULL;
		if (!m->main_pid)
			m->main_pid = in.main_pid;
		container_meta_free(&in);
	}
}

/* Ask the Docker API for its list (into OUT), with a note when that fails. Returns
 * whether it answered. */
static bool fetch_docker_api(struct meta_fetch_ctx *c, struct meta_list *out)
{
	struct api_failure f;
	char key[64];
	int status = 0;
	size_t from = out->n;
	int r = api_list(c, c->docker_socket, "docker", "/containers/json?all=1", out, &status);

	for (size_t i = from; i < out->n; i++)
		out->v[i].engine = RT_DOCKER;
	if (r == 0)
		inspect_changed(c, c->docker_socket, "docker", out, from);
	if (r == 0 || r == -ECANCELED || (r == -ENOENT && !c->docker_explicit))
		return r == 0;
	describe_failure(r, status, c->timeout_ms, &f);
	if (!c->why[0])
		snprintf(c->why, sizeof(c->why), "Docker API: %.80s", f.why);
	snprintf(key, sizeof(key), "meta-docker-api-%s", f.kind);
	notes_post(c->notes, key,
		   "%s the Docker API at %s (%s): container names come from %s/containers/*/config.v2.json%s",
		   f.unreachable ? "cannot reach" : "no usable answer from", c->docker_socket, f.why,
		   c->docker_root, advice(r, c->docker_explicit, "; give --docker-socket=PATH"));
	return false;
}

/* Ask podman's own API for its list (into OUT), then its Docker-compatible one if the
 * first is not there (podman 3 and older), with a note when both fail. Returns whether
 * it answered. */
static bool fetch_podman_api(struct meta_fetch_ctx *c, struct meta_list *out)
{
	struct api_failure f;
	char key[64];
	int status = 0;
	size_t from = out->n;
	int r = api_list(c, c->podman_socket, "podman", "/v4.0.0/libpod/containers/json?all=true",
			 out, &status);

	if (r == -EPROTO)
		r = api_list(c, c->podman_socket, "podman", "/containers/json?all=1", out, &status);
	for (size_t i = from; i < out->n; i++)
		out->v[i].engine = RT_PODMAN;
	if (r == 0) /* podman's Docker-compatible inspect */
		inspect_changed(c, c->podman_socket, "podman", out, from);
	if (r == 0 || r == -ECANCELED || (r == -ENOENT && !c->podman_explicit))
		return r == 0;
	describe_failure(r, status, c->timeout_ms, &f);
	if (!c->why[0])
		snprintf(c->why, sizeof(c->why), "podman API: %.80s", f.why);
	snprintf(key, sizeof(key), "meta-podman-api-%s", f.kind);
	notes_post(c->notes, key,
		   "%s the podman API at %s (%s): podman container names and labels come from libpod's database below %s%s",
		   f.unreachable ? "cannot reach" : "no usable answer from", c->podman_socket, f.why,
		   c->podman_storage, advice(r, c->podman_explicit, "; give --podman-socket=PATH"));
	return false;
}

/* What rootfs_read_capped()'s error R means, for a note, in BUF (N bytes). */
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

/* The IDs of the containers in docker's data root (<root>/containers/<id>/), sorted,
 * into *OUT; how many. *LISTED says whether that is all there is: the directory was read,
 * or it is missing (no docker there); false when it could not be read (permissions),
 * when only reading each container's files tells what is there. */
static size_t docker_root_ids(struct meta_fetch_ctx *c, char ***out, bool *listed)
{
	char path[PATH_MAX];
	struct dirent *d;
	size_t n = 0, cap = 0;
	DIR *dir;
	int fd;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/containers", c->docker_root);
	fd = rootfs_openat(c->root, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	*listed = fd >= 0 || fd == -ENOENT || fd == -ENOTDIR;
	if (fd < 0)
		return 0;
	dir = fdopendir(fd);
	if (!dir) {
		*listed = false;
		close(fd);
		return 0;
	}
	for (;;) {
		errno = 0;
		if (!(d = readdir(dir))) {
			if (errno) /* a listing cut short is not all there is */
				*listed = false;
			break;
		}
		if (!is_hex_id(d->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[n++] = xstrdup(d->d_name);
	}
	closedir(dir);
	if (n > 1)
		qsort(*out, n, sizeof(**out), meta_ids_cmp);
	return n;
}

/* The restart policy of container ID from its hostconfig.json into LIFE, if readable. */
static void docker_restart_policy(struct meta_fetch_ctx *c, const char *id, struct ctr_life *life)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/containers/%s/hostconfig.json", c->docker_root, id);
	if (rootfs_read_capped(c->root, path, META_MAX_BODY, &c->file) > 0)
		meta_parse_restart_policy(c->file.data, c->file.len, life->restart_policy,
					  sizeof(life->restart_policy));
}

/* docker's config.v2.json of every wanted ID and, when the API did not answer (ALL),
 * of every container in the data root: the whole entry for IDs the API did not list,
 * the main pid and the lifecycle (when no inspect gave it) for the others. */
static void fetch_docker_files(struct meta_fetch_ctx *c, struct meta_fetch *f, bool all)
{
	struct meta_list extra = { 0 };
	char path[PATH_MAX], why[128];
	int read_err = 0;
	char err_path[PATH_MAX] = "";
	const char *const *ids = f->ids;
	const char **merged = NULL;
	char **dirs = NULL;
	size_t nids = f->nids, nd = 0;
	bool listed = false, unknown = all;

	/* Which containers the data root holds, when some ID to read is one no engine listed
	 * (all of them without the API): an ID that is not there is not read. Else every
	 * cgroup of a runtime docker does not know (10,000 on a big host) would cost a failed
	 * open of its config.v2.json at every fetch, once a second. */
	for (size_t i = 0; i < f->nids && !unknown; i++) /* not a pod UID: never read */
		unknown = is_hex_id(f->ids[i]) && !meta_list_find(&f->list, f->ids[i]);
	if (unknown)
		nd = docker_root_ids(c, &dirs, &listed);
	if (all) {

		/* the wanted IDs and the data root's, sorted, each once */
		ids = merged = xcalloc(nd + f->nids + 1, sizeof(*merged));
		nids = 0;
		for (size_t i = 0, j = 0; i < f->nids || j < nd;) {
			int cmp = i == f->nids ? 1 : j == nd ? -1 : strcmp(f->ids[i], dirs[j]);

			merged[nids++] = cmp <= 0 ? f->ids[i] : dirs[j];
			i += cmp <= 0;
			j += cmp >= 0;
		}
		/* the strings stay F's and DIRS's, which outlive IDS: not copied (10,000 IDs
		 * are 0.8 MB) */
	}
	if (!all) {
		/* the wanted IDs and the listed docker containers no inspect described */
		size_t extra_n = 0;

		for (size_t i = 0; i < f->list.n; i++)
			extra_n += f->list.v[i].engine == RT_DOCKER && !f->list.v[i].life.known &&
				   !meta_ids_has(f->ids, f->nids, f->list.v[i].id);
		if (extra_n) {
			ids = merged = xcalloc(f->nids + extra_n, sizeof(*merged));
			nids = 0;
			for (size_t i = 0; i < f->nids; i++)
				merged[nids++] = f->ids[i];
			for (size_t i = 0; i < f->list.n; i++)
				if (f->list.v[i].engine == RT_DOCKER && !f->list.v[i].life.known &&
				    !meta_ids_has(f->ids, f->nids, f->list.v[i].id))
					merged[nids++] = f->list.v[i].id; /* its own string: the loop
									 * below grows EXTRA, not F's list */
		}
	}
	for (size_t i = 0; i < nids; i++) {
		const char *id = ids[i];
		struct container_meta m, *known;
		ssize_t n;
		int r;

		if (!is_hex_id(id))
			continue;
		known = meta_list_find(&f->list, id);
		if (!known && listed && !meta_ids_has((const char *const *)dirs, nd, id))
			continue;
		if (cancelled(c)) /* a poll(): only before a read, not for each ID skipped */
			break;
		snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json", c->docker_root, id);
		n = rootfs_read_capped(c->root, path, META_MAX_BODY, &c->file);
		if (n == -ENOENT || n == -ENOTDIR)
			continue;
		if (n < 0) {
			if (!known && !read_err) {
				read_err = (int)n;
				snprintf(err_path, sizeof(err_path), "%s", path);
			}
			continue;
		}
		r = meta_parse_config_v2(c->file.data, c->file.len, &m);
		if (r < 0) {
			notes_post(c->notes, "meta-docker-config-parse",
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
			if (!known->life.known) {
				known->life = m.life;
				docker_restart_policy(c, id, &known->life);
			}
			container_meta_free(&m);
			continue;
		}
		/* the directory names the container, whatever the file says */
		free(m.id);
		m.id = xstrdup(id);
		m.engine = RT_DOCKER;
		docker_restart_policy(c, id, &m.life);
		*meta_list_push(&extra) = m;
	}
	free(merged); /* borrowed strings */
	meta_ids_free(dirs, nd);
	if (read_err)
		notes_post(c->notes, "meta-docker-config-read",
			   "cannot read %s (%s): Docker containers the API does not name are shown by ID; run as root or give --docker-socket",
			   err_path, read_error_text(read_err, why, sizeof(why)));
	for (size_t i = 0; i < extra.n; i++)
		*meta_list_push(&f->list) = extra.v[i];
	free(extra.v);
	meta_list_sort(&f->list);
}

/* Whether some ID asked about has no entry yet. */
static bool any_unknown(const struct meta_fetch *f)
{
	for (size_t i = 0; i < f->nids; i++)
		if (!meta_list_find(&f->list, f->ids[i]))
			return true;
	return false;
}

/* Read libpod's database at PATH (MAX bytes at most) and list its containers into OUT
 * with LIST. A file torn by a writer (bbolt rewrites pages, then its meta page; SQLite
 * checkpoints its WAL) is read once more. Returns 0, -ENOENT, a read error, or LIST's. */
static int read_podman_db(struct meta_fetch_ctx *c, const char *path, size_t max,
			  int (*list)(const void *, size_t, struct meta_list *), struct meta_list *out)
{
	int r = -EIO;

	for (int attempt = 0; attempt < 2 && r == -EIO; attempt++) {
		ssize_t n = rootfs_read_capped(c->root, path, max, &c->file);

		if (n < 0)
			return n == -ENOTDIR ? -ENOENT : (int)n;
		meta_list_free(out);
		r = list(c->file.data, c->file.len, out);
	}
	return r;
}

/* libpod's own databases below the podman storage, read-only: podman 4's BoltDB
 * (libpod/bolt_state.db), then podman 5's SQLite (libpod/db.sql; only what is
 * checkpointed into the file: its WAL is not read). Names, images and labels of the
 * IDs still unknown, without the API; with ALL (the API did not answer) every container
 * they hold, running or not. Returns whether containers.json may fill in what
 * is still unknown: not while a database is being written, when the previous answer
 * (with labels) stands until the next fetch. */
static bool fetch_podman_db(struct meta_fetch_ctx *c, struct meta_fetch *f, const char *storage,
			    bool all)
{
	static const struct {
		const char *file, *kind;
		size_t max;
		int (*list)(const void *, size_t, struct meta_list *);
	} dbs[] = {
		{ "bolt_state.db", "BoltDB", BOLT_MAX_SIZE, podman_bolt_list },
		{ "db.sql", "SQLite database", PODMAN_SQLITE_MAX_SIZE, podman_sqlite_list },
	};
	bool busy = false;

	for (size_t i = 0; i < ARRAY_SIZE(dbs) && (all || any_unknown(f)) && !cancelled(c); i++) {
		struct meta_list listed = { 0 };
		char path[PATH_MAX], buf[128];
		const char *why;
		int r;

		snprintf(path, sizeof(path), "%s/libpod/%s", storage, dbs[i].file);
		r = read_podman_db(c, path, dbs[i].max, dbs[i].list, &listed);
		if (r == 0) {
			for (size_t k = 0; k < listed.n; k++)
				listed.v[k].engine = RT_PODMAN;
			meta_list_take(&f->list, &listed, all ? NULL : f->ids, f->nids);
			continue;
		}
		meta_list_free(&listed);
		if (r == -ENOENT)
			continue;
		if (r == -EIO) {
			notes_post(c->notes, "meta-podman-db-busy",
				   "%s was being written while read: podman labels stay as they were until the next try",
				   path);
			busy = true;
			continue;
		}
		if (r == -EINVAL) {
			snprintf(buf, sizeof(buf), "not podman's %s", dbs[i].kind);
			why = buf;
		} else if (r == -EFBIG) {
			snprintf(buf, sizeof(buf), "larger than %zu MiB", dbs[i].max >> 20);
			why = buf;
		} else {
			why = read_error_text(r, buf, sizeof(buf));
		}
		notes_post(c->notes, "meta-podman-db-read",
			   "cannot read %s (%s): podman labels need the API (--podman-socket); names come from containers.json",
			   path, why);
	}
	return !busy;
}

/* podman's containers.json (in the directory of whichever storage driver is in use):
 * names and images of the IDs still unknown. */
static void fetch_podman_files(struct meta_fetch_ctx *c, struct meta_fetch *f, const char *storage)
{
	static const char *const drivers[] = { "overlay", "vfs", "btrfs", "zfs" };
	struct meta_list all = { 0 };
	char path[PATH_MAX], why[128];
	ssize_t n = -ENOENT;
	int r;

	if (!any_unknown(f))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(drivers) && n == -ENOENT; i++) {
		snprintf(path, sizeof(path), "%s/%s-containers/containers.json", storage, drivers[i]);
		n = rootfs_read_capped(c->root, path, META_MAX_BODY, &c->file);
	}
	if (n == -ENOENT || n == -ENOTDIR)
		return;
	if (n < 0) {
		notes_post(c->notes, "meta-podman-storage-read",
			   "cannot read %s (%s): podman containers the API does not name are shown by ID; run as root or give --podman-socket",
			   path, read_error_text((int)n, why, sizeof(why)));
		return;
	}
	r = meta_parse_podman_storage(c->file.data, c->file.len, &all);
	if (r < 0) {
		notes_post(c->notes, "meta-podman-storage-parse",
			   "%s is %s: podman containers the API does not name are shown by ID", path,
			   parse_error_text(r));
		return;
	}
	meta_list_take(&f->list, &all, f->ids, f->nids);
}

/* Rootless podman: each user's own storage (~/.local/share/containers/storage, the
 * users of the root's /etc/passwd), for the IDs the system's podman does not know. */
static void fetch_podman_rootless(struct meta_fetch_ctx *c, struct meta_fetch *f)
{
	char **storages = NULL;
	size_t n;

	if (rootfs_read_capped(c->root, "/etc/passwd", META_MAX_BODY, &c->file) < 0)
		return;
	n = podman_rootless_storages(c->file.data, c->file.len, &storages);
	for (size_t i = 0; i < n && any_unknown(f) && !cancelled(c); i++) {
		if (strcmp(storages[i], c->podman_storage) == 0)
			continue;
		if (fetch_podman_db(c, f, storages[i], false) && !cancelled(c))
			fetch_podman_files(c, f, storages[i]);
	}
	meta_ids_free(storages, n);
}

/* Where the kubelet keeps its log links (fixed in the kubelet's code, not configurable). */
#define KUBELET_CONTAINER_LOGS "/var/log/containers"
#define KUBELET_POD_LOGS "/var/log/pods"

/* Add label KEY=VALUE to M unless it has KEY already. */
static void meta_add_label(struct container_meta *m, const char *key, const char *value)
{
	for (size_t i = 0; i < m->nlabels; i++)
		if (strcmp(m->label_keys[i], key) == 0)
			return;
	m->label_keys = xrealloc(m->label_keys, (m->nlabels + 1) * sizeof(*m->label_keys));
	m->label_values = xrealloc(m->label_values, (m->nlabels + 1) * sizeof(*m->label_values));
	m->label_keys[m->nlabels] = xstrdup(key);
	m->label_values[m->nlabels] = xstrdup(value);
	m->nlabels++;
}

/* What one log link says, into M: the name namespace/pod[/container], the labels the
 * kubelet gives the container or sandbox through the CRI. */
static void meta_from_kube(struct container_meta *m, const struct kube_ref *k)
{
	char name[KUBE_NAMESPACE_MAX + KUBE_POD_MAX + KUBE_CONTAINER_MAX + 3];

	if (k->container[0])
		snprintf(name, sizeof(name), "%s/%s/%s", k->namespace_, k->pod, k->container);
	else
		snprintf(name, sizeof(name), "%s/%s", k->namespace_, k->pod);
	free(m->name);
	m->name = xstrdup(name);
	meta_add_label(m, KUBE_LABEL_NAMESPACE, k->namespace_);
	meta_add_label(m, KUBE_LABEL_POD, k->pod);
	if (k->container[0])
		meta_add_label(m, KUBE_LABEL_CONTAINER, k->container);
	if (k->uid[0])
		meta_add_label(m, KUBE_LABEL_POD_UID, k->uid);
}

/* The entries of the kubelet's log directory PATH (names only: the links are never
 * followed, the logs never opened), each parsed by PARSE; those naming an ID asked about
 * go to F: a new entry for an ID no engine knows, the names and labels added to an
 * engine's entry (the kubelet's name is the one people know a pod's container by).
 * Returns the entries seen, or -errno of opening PATH. */
static ssize_t fetch_kubelet_dir(struct meta_fetch_ctx *c, struct meta_fetch *f, const char *path,
				 bool (*parse)(const char *, size_t, struct kube_ref *))
{
	struct meta_list extra = { 0 };
	struct kube_ref k;
	struct dirent *e;
	ssize_t seen = 0;
	DIR *d;
	int fd = rootfs_openat(c->root, path, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		int r = -errno;

		close(fd);
		return r;
	}
	while (seen < KUBE_MAX_LINKS && (e = readdir(d)) && !cancelled(c)) {
		const char *id;
		struct container_meta *m;

		if (e->d_name[0] == '.')
			continue;
		seen++;
		if (!parse(e->d_name, strlen(e->d_name), &k))
			continue;
		id = k.id[0] ? k.id : k.uid;
		if (!meta_ids_has(f->ids, f->nids, id))
			continue;
		m = meta_list_find(&f->list, id);
		if (!m) {
			m = meta_list_push(&extra);
			m->id = xstrdup(id);
		}
		meta_from_kube(m, &k);
	}
	closedir(d);
	meta_list_take(&f->list, &extra, f->ids, f->nids);
	return seen;
}

/* Kubernetes names from the kubelet's log links: /var/log/containers names each
 * container by pod, namespace and container, /var/log/pods each pod by UID. */
static void fetch_kubelet_logs(struct meta_fetch_ctx *c, struct meta_fetch *f)
{
	static const struct {
		const char *path;
		bool (*parse)(const char *, size_t, struct kube_ref *);
	} dirs[] = {
		{ KUBELET_CONTAINER_LOGS, kube_container_link_parse },
		{ KUBELET_POD_LOGS, kube_pod_dir_parse },
	};

	for (size_t i = 0; i < ARRAY_SIZE(dirs) && !cancelled(c); i++) {
		ssize_t r = fetch_kubelet_dir(c, f, dirs[i].path, dirs[i].parse);
		char why[128];

		if (r == KUBE_MAX_LINKS)
			notes_post(c->notes, "meta-kubelet-many",
				   "%s holds %d entries or more: only the first %d are read for Kubernetes names",
				   dirs[i].path, KUBE_MAX_LINKS, KUBE_MAX_LINKS);
		if (r >= 0 || r == -ENOENT || r == -ENOTDIR)
			continue;
		notes_post(c->notes, "meta-kubelet-read",
			   "cannot read %s (%s): Kubernetes containers and pods are shown by ID; run as root",
			   dirs[i].path, read_error_text((int)r, why, sizeof(why)));
	}
}

/* Keep what the next fetch compares with: each entry's ID, state, Status and lifecycle. */
static void remember(struct meta_fetch_ctx *c, const struct meta_list *l)
{
	meta_list_free(&c->prev);
	for (size_t i = 0; i < l->n; i++) {
		struct container_meta *p = meta_list_push(&c->prev);

		p->id = xstrdup(l->v[i].id);
		p->state = l->v[i].state ? xstrdup(l->v[i].state) : NULL;
		p->status = l->v[i].status ? xstrdup(l->v[i].status) : NULL;
		p->life = l->v[i].life;
		p->main_pid = l->v[i].main_pid;
		/* a lifecycle carried over unchecked is asked for again next time, with
		 * what it says kept meanwhile (carry() copies it back from here) */
		p->life_stale = l->v[i].life_stale;
	}
	/* L is sorted by ID: so is the copy */
}

void meta_fetch_free(struct meta_fetch *f)
{
	if (!f)
		return;
	meta_list_free(&f->list);
	meta_ids_unref(f->req);
	free(f);
}

static uint64_t id_hash(const char *id)
{
	return path_hash_add(PATH_HASH_INIT, id, strlen(id));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Whether the previous fetch was asked about ID (by its hash: a collision only makes a
 * fetch that awaits a name wait for the inspects too). */
static bool was_asked(const struct meta_fetch_ctx *c, const char *id)
{
	uint64_t h = id_hash(id);

	return c->nasked && bsearch(&h, c->asked, c->nasked, sizeof(h), cmp_u64);
}

struct meta_fetch *meta_fetch_run(struct meta_fetch_ctx *c, struct meta_ids *req)
{
	struct meta_fetch *f = xcalloc(1, sizeof(*f));
	struct meta_list all = { 0 };
	bool docker_api = false, podman_api = false;
	const char *const *ids = req->v;
	size_t n = req->n;

	f->req = req;
	f->ids = ids;
	f->nids = n;
	c->why[0] = '\0';
	/* an ID the last fetch did not list (or the first fetch): its name is awaited by a
	 * sample, which the inspects of every changed container would hold up */
	c->more = false;
	c->quick = false;
	for (size_t i = 0; i < n && !c->quick; i++)
		c->quick = !meta_list_find(&c->prev, ids[i]) && !was_asked(c, ids[i]);
	if (c->docker_socket && c->http)
		docker_api = fetch_docker_api(c, &all);
	if (c->podman_socket && c->http && !cancelled(c))
		podman_api = fetch_podman_api(c, &all);
	/* every container listed: those without a cgroup are rows too */
	meta_list_take_all(&f->list, &all);
	fetch_docker_files(c, f, !docker_api);
	if (!cancelled(c) && fetch_podman_db(c, f, c->podman_storage, !podman_api) && !cancelled(c))
		fetch_podman_files(c, f, c->podman_storage);
	if (!cancelled(c))
		fetch_kubelet_logs(c, f);
	if (!cancelled(c) && any_unknown(f))
		fetch_podman_rootless(c, f);
	memcpy(f->why, c->why, sizeof(f->why));
	f->more = c->more;
	remember(c, &f->list);
	free(c->asked);
	c->asked = xcalloc(n + 1, sizeof(*c->asked));
	for (c->nasked = 0; c->nasked < n; c->nasked++)
		c->asked[c->nasked] = id_hash(ids[c->nasked]);
	if (n > 1)
		qsort(c->asked, n, sizeof(*c->asked), cmp_u64);
	return f;
}

void meta_fetch_ctx_release(struct meta_fetch_ctx *c)
{
	free(c->docker_socket);
	free(c->docker_root);
	free(c->podman_socket);
	free(c->podman_storage);
	buf_free(&c->body);
	buf_free(&c->file);
	meta_list_free(&c->prev);
	free(c->asked);
	c->asked = NULL;
	c->nasked = 0;
	c->docker_socket = c->docker_root = c->podman_socket = c->podman_storage = NULL;
}
