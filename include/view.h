/* The rows a front end shows, built from a snapshot: one per cgroup (--all), or one per
 * container (summed over its cgroups) followed by the top-level slices. Front ends
 * (batch, JSON, TUI) read views; they never look at kernel files. */
#ifndef CGTOP_VIEW_H
#define CGTOP_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "options.h"
#include "snapshot.h"

struct container_info; /* from container.h: identity and metadata of one container */
struct ctr_table;

enum view_kind {
	VIEW_CGROUP,    /* one cgroup path */
	VIEW_CONTAINER, /* one container, summed over its cgroups */
	VIEW_GROUP,     /* --group-by: containers sharing a label value or image */
};

/* 64 bytes, not 96 (10,000 containers' rows took 0.96 MB): 32-bit snapshot indices
 * and counts (a snapshot holds far fewer than 2^31 rows: CTR_TABLE_MAX), the kind,
 * section and flag beside the group count. */
#define VIEW_NGROUP_MAX ((1u << 28) - 1)
struct view_row {
	const char *name;   /* first column, raw bytes (sanitize before display): container
			     * name, group value, or the cgroup path with systemd unit names
			     * unescaped (system-ceph\x2dmon.slice -> system-ceph-mon.slice) */
	const char *path;   /* the (main) cgroup path */
	const struct container_info *ctr; /* the container (VIEW_CONTAINER, or a cgroup of one) */
	const struct container_info *pod; /* the kubelet's pod the row is (in), or NULL */
	/* figures; fig->valid says which are known. A row of one cgroup (a cgroup, or a
	 * container with one) points at the snapshot's row, a sum at the view's own (sums):
	 * 10,000 rows would otherwise copy 4 MiB of figures at each refresh. */
	const struct cg_row *fig;
	const char *net_shared_with; /* fig->net_ns NET_NS_SHARED: the container (else the
				      * cgroup path) whose row counts the network namespace;
				      * raw bytes, sanitize before display */
	int32_t parent;          /* VIEW_CGROUP: the snapshot row of its parent cgroup; else -1 */
	uint32_t first_member;   /* index into view.members */
	uint32_t nmembers;       /* snapshot rows summed into this one */
	uint32_t ngroup : 28;    /* VIEW_GROUP: containers summed into this one */
	unsigned kind : 2;       /* enum view_kind */
	unsigned section : 1;    /* rows sort within a section: 0 containers (or groups), 1 the rest */
	bool name_known : 1;     /* false for a container no engine knows: name is "?<short id>" */
};

struct view {
	struct view_row *rows;
	size_t n, cap;
	uint32_t *members; /* snapshot row indices, grouped per view row */
	size_t nmembers, members_cap;
	char **owned;    /* names made for this view (unescaped unit names), freed on rebuild */
	struct cg_row *sums; /* the figures of rows summed over several cgroups or containers */
	struct arena *arena; /* the sums' blocks (made with the first sum) */
	size_t nsums, sums_cap;
	size_t nowned, owned_cap;
	bool hide_down;  /* no rows for containers that are not running (have no cgroup) */
};

/* Rebuild V from S: every cgroup row as it is (the --all view). With T, a row that is a
 * container's cgroup points at that container (ctr), for its name beside the path. */
void view_build_cgroups(struct view *v, const struct snapshot *s, const struct ctr_table *t);
/* Rebuild V from S as containers (each summed over its cgroups, in every hierarchy),
 * then "/" and the top-level cgroups. */
void view_build_containers(struct view *v, const struct snapshot *s, const struct ctr_table *t);
/* Like view_build_containers, but containers sharing the value BY says (label LABEL's,
 * the image, the Kubernetes pod as "namespace/pod", or the namespace) are summed into
 * one row; those without it into "(none)". */
void view_build_groups(struct view *v, const struct snapshot *s, const struct ctr_table *t,
		       enum group_by by, const char *label);
/* Order V's rows by ORDER (biggest first; rows without the value last; REVERSE flips). */
void view_sort(struct view *v, enum sort_order order, bool reverse, bool cpu_time);
void view_free(struct view *v);

#endif
