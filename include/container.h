/* Container identity: which cgroup paths belong to which container, and what is known
 * about it (name, image, labels) from the container engines. */
#ifndef CGTOP_CONTAINER_H
#define CGTOP_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

enum ctr_runtime {
	RT_NONE,
	RT_DOCKER,      /* docker-<id>.scope, /docker/<id>, /<parent>/<id> */
	RT_PODMAN,      /* libpod-<id>.scope, /libpod_parent/libpod-<id> (cgroupfs) */
	RT_CONMON,      /* libpod-conmon-<id>.scope, crio-conmon-<id>[.scope]: the container's monitor, part of it */
	RT_CONTAINERD,  /* cri-containerd-<id>.scope, /kubepods/…/pod<uid>/<id> (cgroupfs) */
	RT_CRIO,        /* crio-<id>.scope, /kubepods/…/pod<uid>/crio-<id> (cgroupfs) */
	RT_K8S_POD,     /* kubepods-…-pod<uid>.slice, /kubepods/…/pod<uid> (cgroupfs) */
	RT_MACHINED,    /* machine-<name>.scope */
	RT_LXC,         /* lxc.payload.<name> */
};

/* What a cgroup path says about a container: the runtime and the ID (or name). */
struct container_ref {
	enum ctr_runtime runtime;
	char id[128];   /* 64 hex for docker/podman/containerd/crio; pod UID; machine/LXC name (longer names are not taken for containers) */
};

/* Recognize the container a cgroup PATH belongs to, from its last component (and, for
 * a bare 64-hex component, from its parents: a container of the kubelet's under
 * kubepods, a podman pod under libpod_parent, else docker's). Pure. */
bool cgpath_container_id(const char *path, struct container_ref *out);

/* systemd unit name unescaping: "system-ceph\x2dmon.slice" -> "system-ceph-mon.slice".
 * Returns a new string. */
char *unit_unescape(const char *name);

const char *ctr_runtime_name(enum ctr_runtime rt);

/* A container's lifecycle as the engine's inspect (GET /containers/ID/json) or docker's
 * config.v2.json tells it. Plain values (copied as a whole); strings raw. */
struct ctr_life {
	bool known;            /* filled from an inspect or a config.v2.json */
	bool oom_killed;       /* State.OOMKilled: the engine says its last run was OOM-killed */
	int exit_code;         /* State.ExitCode of the last run */
	unsigned restart_count; /* RestartCount: restarts by the engine's policy */
	int failing_streak;    /* State.Health.FailingStreak */
	long long started_at;  /* State.StartedAt, Unix seconds; 0 never started / unknown */
	long long finished_at; /* State.FinishedAt, Unix seconds; 0 never finished / unknown */
	char health_log[256];  /* the last health probe's Output, cut */
	char restart_policy[32]; /* HostConfig.RestartPolicy.Name ("always", "no", …) or "" */
};

/* Metadata from an engine (meta.h fills it). All strings raw: sanitize before display. */
struct container_meta {
	char *id;          /* full ID */
	char *name;        /* label container_name when present, else the engine's name without '/' */
	char *engine_name; /* the engine's own name, without the leading '/' */
	char *image;
	char *state;       /* "running", "exited", … or NULL */
	char *health;      /* "healthy", … or NULL */
	char *status;      /* the list's Status text ("Up 2 minutes (healthy)") or NULL */
	char *config_id;   /* label config_id (paunch: tripleo_step3) or NULL */
	char *managed_by;  /* label managed_by or NULL */
	int main_pid;      /* 0 when unknown */
	unsigned char engine; /* RT_DOCKER or RT_PODMAN: whose list or files named it */
	bool life_stale;   /* life is a previous fetch's, not checked against this one's state */
	struct ctr_life life;
	size_t nlabels;
	char **label_keys;
	char **label_values;
};

/* A container's cgroups in every hierarchy, as lscgroup lists them ("HIERARCHY:PATH"):
 * each of its cgroup paths once, with a bit per hierarchy holding it (bit i: names[i]).
 * As strings, 10,000 containers in six hierarchies took 12.5 MB. */
#define CTR_HIER_MAX 64
struct ctr_cgroups {
	const char *const *names; /* the hierarchies' names, by index: the source's, which
				   * outlive its containers */
	size_t n;
	struct ctr_cgroup {
		char *path;
		uint64_t mask;
	} v[];
};

/* A container's runtime and ID as its table keeps it: the ID in the table's store
 * (ctr_table.ids), 65 bytes for an engine's ID where struct container_ref has room for
 * the longest name (128); the runtime a byte (enum ctr_runtime) right after the pointer,
 * with no padding, so that the entry's events and restarts fill the rest of 16 bytes.
 * An entry is 56 bytes, not 208. */
struct container_key {
	const char *id;
	unsigned char runtime;
} __attribute__((packed));

/* One container as the views show it. */
struct container_info {
	struct container_key ref;          /* 9 bytes: the two below fill its 16 */
	unsigned char events;              /* CTR_EV_* between the previous sample and this one */
	int restarts_seen;                 /* restarts since cgtop first saw it; -1 unknown */
	/* "?" and the short ID (the ID's first 12 characters): the name no source knows; in
	 * the ID store beside the ID (14 bytes, where two arrays in the entry took
	 * 29 and made it 88 bytes). container_short_id() is its tail. */
	const char *unknown_name;
	const struct container_meta *meta; /* NULL when no source knows this ID */
	const char *path;                  /* its main cgroup path (a snapshot row's); "" for a
					    * container that has no cgroup (not running) */
	const struct container_info *pod;  /* the kubelet's pod its cgroup is in, or NULL */
	struct ctr_cgroups *cgroups;       /* NULL until found (not in the text output) */
};

/* C's short ID: the first 12 characters of its ID ("%.12s"), as its table keeps it */
static inline const char *container_short_id(const struct container_info *c)
{
	return c->unknown_name + 1;
}

/* How many "HIERARCHY:PATH" C has, and the Kth of them (k < that count), in the order
 * lscgroup gives: by path, each path's hierarchies in the order of NAMES. */
size_t container_cgroup_count(const struct container_info *c);
void container_cgroup_at(const struct container_info *c, size_t k, const char **hierarchy,
			 const char **path);
/* The Kth as "HIERARCHY:PATH" in BUF (LEN bytes, cut to fit). */
const char *container_cgroup_text(const struct container_info *c, size_t k, char *buf, size_t len);
/* Add PATH in the hierarchies of MASK (bits of NAMES) to *CG, made when NULL. */
void container_cgroups_add(struct ctr_cgroups **cg, const char *const *names, const char *path,
			   uint64_t mask);
void container_cgroups_free(struct ctr_cgroups *cg);

/* The container IDs of tables, each once, however many tables hold it (a live source's
 * two: the published sample's and the one being taken), each with the unknown name
 * beside it: 10,000 IDs took 0.8 MB in each table, twice in each with cgroup paths to
 * carry over. An ID stays while a table built since the oldest last build of the
 * tables that use the store holds it, or a pin (ctr_ids_pin) keeps it. Not thread-safe
 * but for ctr_ids_unpin(): one thread builds the tables. */
struct ctr_ids;
#define CTR_IDS_USERS 2
struct ctr_ids *ctr_ids_new(void);
/* Free S and its IDs (after the tables that use it). */
void ctr_ids_free(struct ctr_ids *s);
/* How many IDs S holds. */
size_t ctr_ids_count(const struct ctr_ids *s);
/* Keep every ID the tables hold now, beyond their next builds, until ctr_ids_unpin():
 * for another thread to read them (the metadata worker's request borrows them, where a
 * copy of 10,000 took 0.73 MB at each poll). A pin, or -1 when CTR_IDS_PINS are taken
 * (then copy them). Called by whichever thread builds the tables (one at a time: the
 * TUI's worker refreshes, its key thread publishes, never both at once); the IDs never
 * change, and are freed only by a build after the unpin. */
#define CTR_IDS_PINS 8
int ctr_ids_pin(struct ctr_ids *s);
/* Let PIN's IDs go (at the next build that holds them no more). Any thread. */
void ctr_ids_unpin(struct ctr_ids *s, int pin);

/* The containers of one snapshot: one entry per ID (podman's conmon scope joins its
 * container), and for each snapshot row the entry it belongs to; apart from them the
 * kubelet's pods (a pod is a group of containers, not one), one entry per pod UID, and
 * for each row the pod it is in. */
struct snapshot;
#define CTR_TABLE_MAX ((size_t)INT32_MAX)
struct ctr_table {
	struct container_info *v;
	size_t n, cap;
	/* Indices are 32-bit (half the 8 bytes a row of ssize_t took, twice over, in each of
	 * a live source's two tables): a snapshot holds far fewer than CTR_TABLE_MAX rows (a
	 * row's figures alone are hundreds of bytes), and a table no more entries than rows
	 * and engines' containers; ctr_table_build() asserts it. */
	int32_t *row_ctr; /* per snapshot row: index into v, or -1 */
	size_t row_cap;
	struct container_info *pods; /* RT_K8S_POD entries, by UID (meta: the pod's names) */
	size_t npods, podcap;
	int32_t *row_pod; /* per snapshot row: index into pods of the pod the row is (in), or -1 */
	struct container_info *old; /* the previous refresh's entries that have details to carry over */
	size_t nold, oldcap;
	uint32_t *idx;              /* ID -> index into v (open addressing, UINT32_MAX empty) */
	size_t idx_cap;
	uint32_t *oldidx;           /* the same for old */
	size_t oldidx_cap;
	/* the IDs of v, pods and old: a store shared with other tables (set before the
	 * first build, freed by whoever made it, after the tables), else the table's own,
	 * made at the first build */
	struct ctr_ids *ids;
	bool own_ids;
	unsigned ids_user;          /* 1 + the table's place among the store's users; 0 none yet */
	unsigned char *fill;        /* per entry: its cgroup paths are being found */
	size_t fill_cap;
	/* finds the hierarchies holding a path (hierarchies_mask_of: bits of hier_names),
	 * once per container; NULL: not looked for */
	uint64_t (*paths_of)(void *ud, const char *path);
	void *paths_ud;
	const char *const *hier_names;
};

/* Lifecycle events of a container between two samples (container_info.events). */
#define CTR_EV_START 1u     /* began running (was not, or was not known) */
#define CTR_EV_STOP 2u      /* stopped running: exited, dead */
#define CTR_EV_RESTART 4u   /* restarted by the engine (its restart count rose) */
#define CTR_EV_UNHEALTHY 8u /* became unhealthy */
#define CTR_EV_OOM 16u      /* the engine says its last run was OOM-killed (newly) */

/* Container states and health in the order of trouble (worse higher): the values of
 * the figures F_CTR_STATE and F_CTR_HEALTH. */
enum ctr_state { CST_RUNNING = 1, CST_CREATED, CST_PAUSED, CST_EXITED, CST_RESTARTING, CST_DEAD };
enum ctr_health { CHE_NONE = 0, CHE_HEALTHY, CHE_STARTING, CHE_UNHEALTHY };
/* The engine's word for a state or health: ctr_state_word(CST_EXITED) = "exited". */
const char *ctr_state_word(unsigned v);
const char *ctr_health_word(unsigned v);
/* The value for an engine's word; 0 when not one of them. Podman's "stopped" and
 * "configured" count as exited and created, "removing"/"stopping" as what they leave. */
unsigned ctr_state_of(const char *word);
unsigned ctr_health_of(const char *word);

/* What one sample knew of a container's lifecycle, to tell the events of the next. 40
 * bytes, not 184 with the ID in it: a host with 10,000 containers the engines know
 * keeps one per container. */
struct ctr_life_seen {
	const char *id;        /* the container's ID, not a copy: its table's (the live
				* source keeps the sample's table until the next one is published) */
	long long started_at;
	long long finished_at;
	unsigned restarts;     /* the engine's count */
	int seen;              /* restarts since cgtop first saw it */
	unsigned char state, health; /* enum ctr_state, enum ctr_health */
	unsigned char life_state; /* the state of the inspect restarts and started_at came from */
	bool life;             /* restarts, started_at known */
	bool life_stale;       /* they are an earlier inspect's (container_meta.life_stale) */
	bool oom_killed;
};
/* The events (CTR_EV_*) from P, the previous sample's record of the container (NULL: not
 * in it), to E, this one's, whose life, restarts, started_at, state, health, oom_killed,
 * finished_at and life_stale the caller set. Completes E (seen, life_state, and what was
 * known before where nothing is now). NEW_OK: a container missing from the previous
 * sample is new since (it was complete, not the first). A pure function. */
unsigned ctr_life_step(const struct ctr_life_seen *p, struct ctr_life_seen *e, bool new_ok);

void ctr_table_build(struct ctr_table *t, const struct snapshot *s);
/* Append a container that has no cgroup (ID as the engine gives it), with META. */
struct container_info *ctr_table_add_down(struct ctr_table *t, const char *id, enum ctr_runtime rt,
					  const struct container_meta *meta);
/* The entry for a full ID, or NULL. */
const struct container_info *ctr_table_find(const struct ctr_table *t, const char *id);
void ctr_table_free(struct ctr_table *t);

/* What to show as a container's name: the metadata's, the machine/LXC name from the
 * path, or NULL when no source knows it. Raw bytes: sanitize before display. */
const char *container_name(const struct container_info *c);
/* Room for container_shown_name()'s name. */
#define CONTAINER_SHOWN_MAX 400
/* What to call C on a row: container_name(), else, for a container of a named pod
 * (its sandbox: the only container the kubelet's links leave unnamed), "namespace/pod/?"
 * and the short ID (in BUF, LEN bytes), else "?" and the short ID. Raw bytes. */
const char *container_shown_name(const struct container_info *c, char *buf, size_t len);
/* For paunch-managed containers (managed_by=paunch, config_id=tripleo_step<N>): the
 * `paunch debug … --action print-cmd` command that reproduces it, newly allocated;
 * NULL otherwise. */
char *container_paunch_command(const struct container_info *c);
/* Value of label KEY, or NULL. */
const char *container_label(const struct container_info *c, const char *key);
/* The Kubernetes pod name and namespace of C (a container or a pod entry): its own
 * labels (io.kubernetes.pod.name/namespace: the engine's, or the kubelet's log links'),
 * else its pod's; NULL when not known. Raw bytes: sanitize before display. */
const char *container_k8s_pod(const struct container_info *c);
const char *container_k8s_namespace(const struct container_info *c);

#endif
