/* Container identity from cgroup paths, and systemd unit name unescaping. */
#include "config.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "container.h"
#include "kubelet_logs.h"
#include "snapshot.h"
#include "util.h"

const char *ctr_runtime_name(enum ctr_runtime rt)
{
	switch (rt) {
	case RT_DOCKER:
		return "docker";
	case RT_PODMAN:
		return "podman";
	case RT_CONMON:
		return "podman-conmon";
	case RT_CONTAINERD:
		return "containerd";
	case RT_CRIO:
		return "cri-o";
	case RT_K8S_POD:
		return "kubernetes-pod";
	case RT_MACHINED:
		return "machined";
	case RT_LXC:
		return "lxc";
	case RT_NONE:
		break;
	}
	return "none";
}

static bool is_hex64(const char *s, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* COMP is PREFIX<64 hex>SUFFIX. */
static bool match_id(const char *comp, size_t len, const char *prefix, const char *suffix,
		     struct container_ref *out, enum ctr_runtime rt)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);

	if (len != pl + 64 + sl || memcmp(comp, prefix, pl) != 0 ||
	    memcmp(comp + len - sl, suffix, sl) != 0 || !is_hex64(comp + pl, 64))
		return false;
	out->runtime = rt;
	memcpy(out->id, comp + pl, 64);
	out->id[64] = '\0';
	return true;
}

/* COMP is PREFIX<name>SUFFIX with a non-empty name that fits. */
static bool match_name(const char *comp, size_t len, const char *prefix, const char *suffix,
		       struct container_ref *out, enum ctr_runtime rt)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);

	if (len <= pl + sl || len - pl - sl >= sizeof(out->id) || memcmp(comp, prefix, pl) != 0 ||
	    memcmp(comp + len - sl, suffix, sl) != 0)
		return false;
	out->runtime = rt;
	memcpy(out->id, comp + pl, len - pl - sl);
	out->id[len - pl - sl] = '\0';
	return true;
}

/* Some component of PATH before COMP (its last) is exactly NAME. */
static bool parent_has(const char *path, const char *comp, const char *name)
{
	size_t nl = strlen(name);

	for (const char *p = path; p < comp; p++) {
		const char *end = memchr(p, '/', (size_t)(comp - p));

		if (!end)
			break;
		if ((size_t)(end - p) == nl && memcmp(p, name, nl) == 0)
			return true;
		p = end;
	}
	return false;
}

/* The component before COMP (the last one of PATH) is exactly NAME. */
static bool parent_is(const char *path, const char *comp, const char *name)
{
	size_t nl = strlen(name);
	const char *end = comp > path ? comp - 1 : path; /* the '/' before COMP */
	const char *start = end;

	while (start > path && start[-1] != '/')
		start--;
	return (size_t)(end - start) == nl && memcmp(start, name, nl) == 0;
}

/* COMP is pod<UID>: a pod of the kubelet's cgroupfs driver. */
static bool match_k8s_pod_cgroupfs(const char *comp, size_t len, struct container_ref *out)
{
	if (len <= 3 || len - 3 >= sizeof(out->id) || memcmp(comp, "pod", 3) != 0)
		return false;
	for (size_t i = 3; i < len; i++)
		if (!((comp[i] >= '0' && comp[i] <= '9') || (comp[i] >= 'a' && comp[i] <= 'f') || comp[i] == '-'))
			return false;
	return match_name(comp, len, "pod", "", out, RT_K8S_POD);
}

bool cgpath_container_id(const char *path, struct container_ref *out)
{
	const char *slash = strrchr(path, '/');
	const char *comp = slash ? slash + 1 : path;
	size_t len = strlen(comp);
	const char *pod;

	memset(out, 0, sizeof(*out));
	if (len == 0)
		return false;
	if (match_id(comp, len, "docker-", ".scope", out, RT_DOCKER) ||
	    match_id(comp, len, "libpod-conmon-", ".scope", out, RT_CONMON) ||
	    match_id(comp, len, "libpod-", ".scope", out, RT_PODMAN) ||
	    match_id(comp, len, "cri-containerd-", ".scope", out, RT_CONTAINERD) ||
	    match_id(comp, len, "crio-conmon-", ".scope", out, RT_CONMON) ||
	    match_id(comp, len, "crio-", ".scope", out, RT_CRIO))
		return true;
	/* podman --cgroup-manager cgroupfs: <parent>/libpod-<id>, the parent /libpod_parent
	 * unless --cgroup-parent says otherwise (libpod's getOCICgroupPath; seen here with
	 * podman 4.3: /libpod_parent/libpod-<id>). Its conmon goes to <parent>/conmon, one
	 * cgroup for every container's monitor: nobody's. */
	if (match_id(comp, len, "libpod-", "", out, RT_PODMAN))
		return true;
	/* CRI-O, cgroup_manager = "cgroupfs" (internal/config/cgmgr/cgroupfs.go): the
	 * container in <pod cgroup>/crio-<id>, its conmon (conmon_cgroup = "pod") beside it
	 * in <pod cgroup>/crio-conmon-<id>. */
	if (match_id(comp, len, "crio-conmon-", "", out, RT_CONMON) ||
	    match_id(comp, len, "crio-", "", out, RT_CRIO))
		return true;
	if (is_hex64(comp, len)) {
		/* a podman pod with cgroupfs: /libpod_parent/<pod id>, its containers in it
		 * (libpod's runtime_pod_linux.go). A group of containers, not one. */
		if (parent_is(path, comp, "libpod_parent"))
			return false;
		/* the kubelet's cgroupfs driver with containerd (its CRI plugin takes the
		 * path the kubelet gives: /kubepods[/burstable|/besteffort]/pod<uid>/<id>,
		 * the sandbox's pause container too). */
		out->runtime = parent_has(path, comp, "kubepods") ? RT_CONTAINERD : RT_DOCKER;
		/* else docker's cgroupfs driver: /docker/<id>, or /<any --cgroup-parent>/<id> */
		memcpy(out->id, comp, 64);
		out->id[64] = '\0';
		return true;
	}
	/* the kubelet's cgroupfs driver: /kubepods/pod<uid> (guaranteed),
	 * /kubepods/burstable/pod<uid>, /kubepods/besteffort/pod<uid> */
	if (parent_has(path, comp, "kubepods") && match_k8s_pod_cgroupfs(comp, len, out))
		return true;
	/* kubepods-burstable-pod<uid>.slice, kubepods-pod<uid>.slice (systemd driver) */
	pod = strstr(comp, "-pod");
	if (strncmp(comp, "kubepods", 8) == 0 && pod &&
	    match_name(pod + 1, len - (size_t)(pod + 1 - comp), "pod", ".slice", out, RT_K8S_POD)) {
		for (char *c = out->id; *c; c++)
			if (*c == '_')
				*c = '-'; /* systemd forbids '-' inside the UID: it becomes '_' */
		return true;
	}
	if (match_name(comp, len, "machine-", ".scope", out, RT_MACHINED)) {
		char *u = unit_unescape(out->id);

		snprintf(out->id, sizeof(out->id), "%s", u);
		free(u);
		return true;
	}
	if (match_name(comp, len, "lxc.payload.", "", out, RT_LXC))
		return true;
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *unit_unescape(const char *name)
{
	size_t n = strlen(name);
	char *out = xmalloc(n + 1), *w = out;

	for (size_t i = 0; i < n; i++) {
		int hi, lo;

		if (name[i] == '\\' && i + 3 < n && name[i + 1] == 'x' &&
		    (hi = hexval(name[i + 2])) >= 0 && (lo = hexval(name[i + 3])) >= 0) {
			*w++ = (char)(hi << 4 | lo);
			i += 3;
		} else {
			*w++ = name[i];
		}
	}
	*w = '\0';
	return out;
}

/* An ID of the store, and "?" and its first 12 characters after it: one piece. */
struct ctr_id {
	uint64_t last; /* the store's generation (a build of a table) that last held it */
	char s[];
};

struct ctr_ids {
	struct ctr_id **slot; /* by the ID's hash (open addressing), NULL empty */
	size_t cap, n;
	uint64_t gen;         /* builds of its tables so far */
	uint64_t user_gen[CTR_IDS_USERS]; /* each table's last build */
	unsigned nusers;
	/* the generations pins hold (ctr_ids_pin()), 0 for a free slot: set by the thread
	 * that builds the tables, cleared by whichever thread is done with the IDs */
	_Atomic uint64_t pin[CTR_IDS_PINS];
};

/* IDs are looked up once per cgroup per refresh: a hash, or 5,000 containers cost 12.5
 * million string compares a refresh. Eight bytes a step (util.h): FNV-1a's byte a step
 * over 64 hex digits was a third of the table's build. */
static size_t id_hash(const char *id)
{
	return (size_t)path_hash_add(PATH_HASH_INIT, id, strlen(id));
}

struct ctr_ids *ctr_ids_new(void)
{
	return xcalloc(1, sizeof(struct ctr_ids));
}

void ctr_ids_free(struct ctr_ids *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->slot[i]);
	free(s->slot);
	free(s);
}

size_t ctr_ids_count(const struct ctr_ids *s)
{
	return s ? s->n : 0;
}

/* S's IDs in a slot array of CAP (a power of two, room for all). */
static void ids_rehash(struct ctr_ids *s, size_t cap)
{
	struct ctr_id **slot = xcalloc(cap, sizeof(*slot));

	for (size_t i = 0; i < s->cap; i++) {
		size_t j;

		if (!s->slot[i])
			continue;
		for (j = id_hash(s->slot[i]->s) & (cap - 1); slot[j]; j = (j + 1) & (cap - 1))
			;
		slot[j] = s->slot[i];
	}
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
}

/* ID (hash H) in S, added when new, held by generation GEN. */
static struct ctr_id *ids_intern(struct ctr_ids *s, const char *id, size_t h, uint64_t gen)
{
	size_t i, len, slen;
	struct ctr_id *e;

	if ((s->n + 1) * 4 > s->cap * 3)
		ids_rehash(s, s->cap ? s->cap * 2 : 64);
	for (i = h & (s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (strcmp(s->slot[i]->s, id) == 0) {
			/* a later build's hold stays: never lowered (a pin counts on it) */
			if (s->slot[i]->last < gen)
				s->slot[i]->last = gen;
			return s->slot[i];
		}
	len = strlen(id);
	slen = len < 12 ? len : 12;
	e = xmalloc(sizeof(*e) + len + 1 + 1 + slen + 1);
	e->last = gen;
	/* without snprintf: 10,000 new IDs at the first refresh */
	memcpy(e->s, id, len + 1);
	e->s[len + 1] = '?';
	memcpy(e->s + len + 2, id, slen);
	e->s[len + 2 + slen] = '\0';
	s->slot[i] = e;
	s->n++;
	return e;
}

/* Free the IDs of S that no build since generation KEEP holds. */
static void ids_sweep(struct ctr_ids *s, uint64_t keep)
{
	size_t dropped = 0, cap = s->cap;

	for (size_t i = 0; i < s->cap; i++)
		if (s->slot[i] && s->slot[i]->last < keep) {
			free(s->slot[i]);
			s->slot[i] = NULL;
			dropped++;
		}
	if (!dropped)
		return;
	s->n -= dropped;
	while (cap > 64 && s->n * 4 < cap)
		cap /= 2; /* down to a quarter full or more */
	ids_rehash(s, cap); /* probe chains the holes cut */
}

/* The oldest generation a table's last build or a pin holds: IDs older are free to go. */
static uint64_t ids_keep(const struct ctr_ids *s)
{
	uint64_t keep = s->gen;

	for (unsigned u = 0; u < s->nusers; u++)
		if (s->user_gen[u] < keep)
			keep = s->user_gen[u];
	for (unsigned p = 0; p < CTR_IDS_PINS; p++) {
		/* acquire: the reader's last look at the IDs came before its unpin */
		uint64_t g = atomic_load_explicit(&s->pin[p], memory_order_acquire);

		if (g && g < keep)
			keep = g;
	}
	return keep;
}

int ctr_ids_pin(struct ctr_ids *s)
{
	uint64_t g = s->gen;

	/* every ID some table holds now: each was held last by a build since the oldest
	 * table's last one */
	for (unsigned u = 0; u < s->nusers; u++)
		if (s->user_gen[u] < g)
			g = s->user_gen[u];
	if (!g)
		g = 1; /* nothing built yet: no ID to hold, but a slot taken all the same */
	for (unsigned p = 0; p < CTR_IDS_PINS; p++)
		if (atomic_load_explicit(&s->pin[p], memory_order_relaxed) == 0) {
			/* only this thread takes slots: another can only free one meanwhile */
			atomic_store_explicit(&s->pin[p], g, memory_order_relaxed);
			return (int)p;
		}
	return -1;
}

void ctr_ids_unpin(struct ctr_ids *s, int pin)
{
	assert(pin >= 0 && pin < CTR_IDS_PINS);
	atomic_store_explicit(&s->pin[pin], 0, memory_order_release);
}

/* T's store, made (T's own) and T a user of it when T has none yet. */
static struct ctr_ids *table_ids(struct ctr_table *t)
{
	if (!t->ids) {
		t->ids = ctr_ids_new();
		t->own_ids = true;
	}
	if (!t->ids_user) {
		assert(t->ids->nusers < CTR_IDS_USERS);
		t->ids_user = ++t->ids->nusers;
	}
	return t->ids;
}

/* C's ID (hash H) and its unknown name from T's store. */
static void set_id(struct container_info *c, struct ctr_table *t, const char *id, size_t h)
{
	struct ctr_ids *s = table_ids(t);
	struct ctr_id *e = ids_intern(s, id, h, s->user_gen[t->ids_user - 1]);

	c->ref.id = e->s;
	c->unknown_name = e->s + strlen(e->s) + 1;
}

/* podman's monitor and CRI-O's conmon belong to the container they watch. */
static enum ctr_runtime owner_runtime(enum ctr_runtime rt, const char *path)
{
	if (rt != RT_CONMON)
		return rt;
	return strstr(path, "/crio-conmon-") ? RT_CRIO : RT_PODMAN;
}

#define NO_ENTRY UINT32_MAX

static ssize_t idx_find(const uint32_t *idx, size_t cap, const struct container_info *v, const char *id,
			size_t h)
{
	if (!cap)
		return -1;
	for (size_t i = h & (cap - 1); idx[i] != NO_ENTRY; i = (i + 1) & (cap - 1))
		if (strcmp(v[idx[i]].ref.id, id) == 0)
			return (ssize_t)idx[i];
	return -1;
}

/* Index entries [0, N) of V in *IDX, sized for at least WANT entries. */
static void idx_build(uint32_t **idx, size_t *cap, const struct container_info *v, size_t n, size_t want)
{
	size_t c = *cap ? *cap : 64;

	/* three quarters full at most: 10,000 entries take 64 KiB, not 128, in each table */
	while (c * 3 < want * 4)
		c *= 2;
	if (c != *cap) {
		free(*idx);
		*idx = xmalloc(c * sizeof(**idx));
		*cap = c;
	}
	for (size_t i = 0; i < c; i++)
		(*idx)[i] = NO_ENTRY;
	for (size_t k = 0; k < n; k++) {
		size_t i = id_hash(v[k].ref.id) & (c - 1);

		while ((*idx)[i] != NO_ENTRY)
			i = (i + 1) & (c - 1);
		(*idx)[i] = (uint32_t)k;
	}
}

static ssize_t table_index(const struct ctr_table *t, const char *id, size_t h)
{
	return idx_find(t->idx, t->idx_cap, t->v, id, h);
}

/* Add entry K (just appended to t->v; its ID's hash H) to the index. */
static void table_index_add(struct ctr_table *t, size_t k, size_t h)
{
	size_t i;

	if ((k + 1) * 4 > t->idx_cap * 3) {
		idx_build(&t->idx, &t->idx_cap, t->v, k + 1, k + 1);
		return;
	}
	i = h & (t->idx_cap - 1);
	assert(k < CTR_TABLE_MAX);
	while (t->idx[i] != NO_ENTRY)
		i = (i + 1) & (t->idx_cap - 1);
	t->idx[i] = (uint32_t)k;
}

void container_cgroups_free(struct ctr_cgroups *cg)
{
	for (size_t i = 0; cg && i < cg->n; i++)
		free(cg->v[i].path);
	free(cg);
}

void container_cgroups_add(struct ctr_cgroups **cg, const char *const *names, const char *path,
			   uint64_t mask)
{
	struct ctr_cgroups *c = *cg;

	for (size_t i = 0; c && i < c->n; i++)
		if (strcmp(c->v[i].path, path) == 0) {
			c->v[i].mask |= mask;
			return;
		}
	c = xrealloc(c, sizeof(*c) + ((c ? c->n : 0) + 1) * sizeof(c->v[0]));
	if (!*cg)
		c->n = 0;
	c->names = names;
	c->v[c->n].path = xstrdup(path);
	c->v[c->n].mask = mask;
	c->n++;
	*cg = c;
}

size_t container_cgroup_count(const struct container_info *c)
{
	size_t n = 0;

	for (size_t i = 0; c->cgroups && i < c->cgroups->n; i++)
		n += (size_t)__builtin_popcountll(c->cgroups->v[i].mask);
	return n;
}

void container_cgroup_at(const struct container_info *c, size_t k, const char **hierarchy,
			 const char **path)
{
	*hierarchy = *path = "";
	for (size_t i = 0; c->cgroups && i < c->cgroups->n; i++) {
		uint64_t m = c->cgroups->v[i].mask;
		size_t bits = (size_t)__builtin_popcountll(m);

		if (k >= bits) {
			k -= bits;
			continue;
		}
		for (; k; k--)
			m &= m - 1; /* the Kth set bit: drop the K lower ones */
		*hierarchy = c->cgroups->names[__builtin_ctzll(m)];
		*path = c->cgroups->v[i].path;
		return;
	}
}

const char *container_cgroup_text(const struct container_info *c, size_t k, char *buf, size_t len)
{
	const char *h, *p;

	container_cgroup_at(c, k, &h, &p);
	snprintf(buf, len, "%s:%s", h, p);
	return buf;
}

static void free_paths(struct container_info *c)
{
	container_cgroups_free(c->cgroups);
	c->cgroups = NULL;
}

/* Keep the details of containers seen last time; find them for new ones. */
static void carry_details(struct ctr_table *t, const struct snapshot *s)
{
	bool missing = false;

	idx_build(&t->oldidx, &t->oldidx_cap, t->old, t->nold, t->nold);
	for (size_t k = 0; k < t->n; k++) {
		struct container_info *c = &t->v[k];
		ssize_t j = idx_find(t->oldidx, t->oldidx_cap, t->old, c->ref.id, id_hash(c->ref.id));

		if (j >= 0 && t->old[j].cgroups) {
			c->cgroups = t->old[j].cgroups;
			t->old[j].cgroups = NULL;
		}
		missing = missing || !c->cgroups;
	}
	/* new containers: their cgroups in every hierarchy, found once, row by row */
	if (missing && t->paths_of) {
		if (t->fill_cap < t->n) {
			t->fill_cap = t->n;
			t->fill = xrealloc(t->fill, t->fill_cap);
		}
		for (size_t k = 0; k < t->n; k++)
			t->fill[k] = !t->v[k].cgroups;
		for (size_t i = 0; i < s->n; i++) {
			struct container_info *c;
			uint64_t mask;

			if (t->row_ctr[i] < 0 || !t->fill[t->row_ctr[i]])
				continue;
			c = &t->v[t->row_ctr[i]];
			mask = t->paths_of(t->paths_ud, s->rows[i].path);
			if (mask)
				container_cgroups_add(&c->cgroups, t->hier_names, s->rows[i].path, mask);
		}
	}
	for (size_t j = 0; j < t->nold; j++)
		free_paths(&t->old[j]);
	t->nold = 0;
}

/* The index into t->pods of pod REF (cgroup PATH), added when new. Pods are few (the
 * kubelet runs at most a few hundred), each found once per refresh. */
static ssize_t add_pod(struct ctr_table *t, const struct container_ref *ref, const char *path)
{
	struct container_info *p;

	for (size_t k = 0; k < t->npods; k++)
		if (strcmp(t->pods[k].ref.id, ref->id) == 0)
			return (ssize_t)k;
	if (t->npods == t->podcap) {
		t->podcap = t->podcap ? t->podcap * 2 : 16;
		t->pods = xrealloc(t->pods, t->podcap * sizeof(*t->pods));
	}
	p = &t->pods[t->npods];
	memset(p, 0, sizeof(*p));
	p->ref.runtime = ref->runtime;
	set_id(p, t, ref->id, id_hash(ref->id));
	p->path = path;
	return (ssize_t)t->npods++;
}

void ctr_table_build(struct ctr_table *t, const struct snapshot *s)
{
	/* last refresh's entries with details (their cgroup paths) become "old"; the details
	 * move over by ID. Those without have nothing to carry: the text output never looks
	 * the paths up, and 10,000 containers would copy 0.9 MB of entries at each refresh. */
	size_t ncarry = 0;
	struct ctr_ids *ids = table_ids(t);

	/* this build's IDs are held by a new generation; the previous build's (old's among
	 * them) stay until the end of it */
	ids->user_gen[t->ids_user - 1] = ++ids->gen;
	for (size_t k = 0; k < t->n; k++)
		ncarry += t->v[k].cgroups != NULL;
	if (t->oldcap < ncarry) {
		t->oldcap = ncarry;
		t->old = xrealloc(t->old, t->oldcap * sizeof(*t->old));
	}
	t->nold = 0;
	for (size_t k = 0; k < t->n; k++)
		if (t->v[k].cgroups)
			t->old[t->nold++] = t->v[k];
	t->n = 0;
	if (t->idx_cap)
		for (size_t i = 0; i < t->idx_cap; i++)
			t->idx[i] = NO_ENTRY;
	t->npods = 0;
	/* 32-bit indices (container.h); a snapshot of 2^31 rows would not fit in memory */
	assert(s->n <= CTR_TABLE_MAX);
	if (t->row_cap < s->n) {
		t->row_cap = s->n;
		t->row_ctr = xrealloc(t->row_ctr, t->row_cap * sizeof(*t->row_ctr));
		t->row_pod = xrealloc(t->row_pod, t->row_cap * sizeof(*t->row_pod));
	}
	for (size_t i = 0; i < s->n; i++) {
		struct container_ref ref;
		ssize_t k, parent = s->rows[i].parent;
		size_t h;

		t->row_ctr[i] = -1;
		/* a cgroup is in the pod its parent is in (parents come first in a snapshot) */
		t->row_pod[i] = parent >= 0 && (size_t)parent < i ? t->row_pod[parent] : -1;
		if (!cgpath_container_id(s->rows[i].path, &ref))
			continue;
		if (ref.runtime == RT_K8S_POD) {
			/* a pod is a group of containers, shown one by one: apart */
			t->row_pod[i] = (int32_t)add_pod(t, &ref, s->rows[i].path);
			continue;
		}
		h = id_hash(ref.id);
		k = table_index(t, ref.id, h);
		if (k < 0) {
			struct container_info *c;

			if (t->n == t->cap) {
				t->cap = t->cap ? t->cap * 2 : 64;
				t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
			}
			c = &t->v[t->n];
			memset(c, 0, sizeof(*c));
			c->restarts_seen = -1;
			set_id(c, t, ref.id, h);
			c->ref.runtime = owner_runtime(ref.runtime, s->rows[i].path);
			c->path = s->rows[i].path;
			k = (ssize_t)t->n++;
			table_index_add(t, (size_t)k, h);
		}
		/* the container's own scope, not its monitor's, is its main path */
		if (ref.runtime != RT_CONMON)
			t->v[k].path = s->rows[i].path;
		t->row_ctr[i] = (int32_t)k;
	}
	/* the pods are all found: a container is in the pod its main cgroup is in */
	for (size_t i = 0; i < s->n; i++)
		if (t->row_ctr[i] >= 0 && t->v[t->row_ctr[i]].path == s->rows[i].path)
			t->v[t->row_ctr[i]].pod = t->row_pod[i] >= 0 ? &t->pods[t->row_pod[i]] : NULL;
	carry_details(t, s);
	/* the IDs that neither this build nor the other tables' last ones nor a pin hold */
	ids_sweep(ids, ids_keep(ids));
}

const struct container_info *ctr_table_find(const struct ctr_table *t, const char *id)
{
	ssize_t k = table_index(t, id, id_hash(id));

	return k < 0 ? NULL : &t->v[k];
}

void ctr_table_free(struct ctr_table *t)
{
	for (size_t k = 0; k < t->n; k++)
		free_paths(&t->v[k]);
	for (size_t j = 0; j < t->nold; j++)
		free_paths(&t->old[j]);
	free(t->old);
	free(t->v);
	free(t->row_ctr);
	free(t->row_pod);
	free(t->pods);
	free(t->idx);
	free(t->oldidx);
	free(t->fill);
	if (t->own_ids)
		ctr_ids_free(t->ids);
	memset(t, 0, sizeof(*t));
}

const char *container_name(const struct container_info *c)
{
	if (c->meta && c->meta->name && c->meta->name[0])
		return c->meta->name;
	if (c->ref.runtime == RT_MACHINED || c->ref.runtime == RT_LXC)
		return c->ref.id;
	return NULL;
}

const char *container_label(const struct container_info *c, const char *key)
{
	if (!c || !c->meta)
		return NULL;
	for (size_t i = 0; i < c->meta->nlabels; i++)
		if (strcmp(c->meta->label_keys[i], key) == 0)
			return c->meta->label_values[i];
	return NULL;
}

const char *container_shown_name(const struct container_info *c, char *buf, size_t len)
{
	const char *name = container_name(c);

	if (name)
		return name;
	if (c->pod && container_name(c->pod)) {
		snprintf(buf, len, "%s/%s", container_name(c->pod), c->unknown_name);
		return buf;
	}
	return c->unknown_name;
}

/* Label KEY of C, else of C's pod. */
static const char *k8s_label(const struct container_info *c, const char *key)
{
	const char *v = container_label(c, key);

	return v || !c ? v : container_label(c->pod, key);
}

const char *container_k8s_pod(const struct container_info *c)
{
	return k8s_label(c, KUBE_LABEL_POD);
}

const char *container_k8s_namespace(const struct container_info *c)
{
	return k8s_label(c, KUBE_LABEL_NAMESPACE);
}

char *container_paunch_command(const struct container_info *c)
{
	const char *by = container_label(c, "managed_by");
	const char *cfg = container_label(c, "config_id");
	const char *name = container_label(c, "container_name");
	const char *step;
	char *cmd;

	if (!by || strcmp(by, "paunch") != 0 || !cfg || !name)
		return NULL;
	step = strstr(cfg, "tripleo_step");
	if (!step || !step[12])
		return NULL;
	step += 12;
	for (const char *p = step; *p; p++)
		if (*p < '0' || *p > '9')
			return NULL;
	if (asprintf(&cmd,
		     "paunch debug --file /var/lib/tripleo-config/docker-container-startup-config-step_%s.json "
		     "--container %s --action print-cmd",
		     step, name) < 0)
		return NULL;
	return cmd;
}

struct container_info *ctr_table_add_down(struct ctr_table *t, const char *id, enum ctr_runtime rt,
					  const struct container_meta *meta)
{
	struct container_info *c;
	size_t k, h = id_hash(id);

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	k = t->n++;
	c = &t->v[k];
	memset(c, 0, sizeof(*c));
	c->ref.runtime = rt;
	set_id(c, t, id, h);
	c->path = "";
	c->meta = meta;
	c->restarts_seen = -1;
	table_index_add(t, k, h);
	return c;
}

static const char *const state_words[] = { NULL, "running", "created", "paused", "exited",
					    "restarting", "dead" };
static const char *const health_words[] = { "none", "healthy", "starting", "unhealthy" };

const char *ctr_state_word(unsigned v)
{
	return v < ARRAY_SIZE(state_words) ? state_words[v] : NULL;
}

const char *ctr_health_word(unsigned v)
{
	return v < ARRAY_SIZE(health_words) ? health_words[v] : NULL;
}

unsigned ctr_state_of(const char *word)
{
	static const struct {
		const char *word;
		unsigned v;
	} also[] = {
		{ "configured", CST_CREATED }, { "stopped", CST_EXITED }, { "stopping", CST_EXITED },
		{ "removing", CST_DEAD },
	};

	if (!word)
		return 0;
	for (unsigned i = 1; i < ARRAY_SIZE(state_words); i++)
		if (strcmp(word, state_words[i]) == 0)
			return i;
	for (size_t i = 0; i < ARRAY_SIZE(also); i++)
		if (strcmp(word, also[i].word) == 0)
			return also[i].v;
	return 0;
}

unsigned ctr_health_of(const char *word)
{
	if (!word)
		return CHE_NONE;
	for (unsigned i = 1; i < ARRAY_SIZE(health_words); i++)
		if (strcmp(word, health_words[i]) == 0)
			return i;
	return CHE_NONE;
}

unsigned ctr_life_step(const struct ctr_life_seen *p, struct ctr_life_seen *e, bool new_ok)
{
	unsigned ev = 0;

	if (!e->life && p && p->life) {
		/* not known this time: what was stays, so nothing looks new next time */
		e->life = true;
		e->life_stale = true;
		e->restarts = p->restarts;
		e->started_at = p->started_at;
		e->finished_at = p->finished_at;
		e->oom_killed = p->oom_killed;
	}
	/* an earlier inspect's restarts and start time belong to the state it saw: a
	 * restart's inspect that timed out leaves "running" (the list's) beside the start
	 * time from before the restart, whose new start time is no second restart */
	e->life_state = e->life_stale && p ? p->life_state : e->state;
	e->seen = p ? p->seen : 0;
	if (p && p->state) {
		bool again = false;

		if (e->life && p->life && e->restarts > p->restarts) {
			e->seen += (int)(e->restarts - p->restarts);
			again = true;
			/* the restart's count beside the start time of the run before it: the
			 * inspect came during the restart (the list, a moment before, said
			 * running); its start time, when it comes, is no second restart */
			if (e->started_at == p->started_at)
				e->life_state = CST_RESTARTING;
		} else if (e->life && p->life && e->started_at && p->started_at &&
			   e->started_at != p->started_at && p->state != CST_RESTARTING &&
			   p->life_state != CST_RESTARTING) {
			e->seen++; /* started again by hand: docker restart, start */
			again = true;
		} else if (e->life && p->life && p->life_state == CST_RESTARTING &&
			   e->started_at == p->started_at) {
			e->life_state = CST_RESTARTING; /* that start time still to come */
		}
		if (again)
			ev |= CTR_EV_RESTART;
		else if (e->state == CST_RUNNING && p->state != CST_RUNNING && p->state != CST_PAUSED &&
			 p->state != CST_RESTARTING) /* the end of a restart already told */
			ev |= CTR_EV_START;
		if ((e->state == CST_EXITED || e->state == CST_DEAD) &&
		    (p->state != e->state || (e->life && e->finished_at != p->finished_at)))
			ev |= CTR_EV_STOP;
		if (e->health == CHE_UNHEALTHY && p->health != CHE_UNHEALTHY)
			ev |= CTR_EV_UNHEALTHY;
		if (e->oom_killed && (!p->oom_killed || e->finished_at != p->finished_at))
			ev |= CTR_EV_OOM;
	} else if (new_ok) {
		/* a container new since the previous sample */
		if (e->state == CST_RUNNING)
			ev |= CTR_EV_START;
		if (e->state == CST_EXITED || e->state == CST_DEAD)
			ev |= CTR_EV_STOP;
		if (e->health == CHE_UNHEALTHY)
			ev |= CTR_EV_UNHEALTHY;
		if (e->oom_killed && ev & CTR_EV_STOP)
			ev |= CTR_EV_OOM;
	}
	return ev;
}
