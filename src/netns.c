/* Network per container, from the namespaces of the containers' tasks (netns.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "container.h"
#include "fields.h"
#include "netns.h"
#include "parse.h"

int netns_inode(const struct rootfs *root, int procfd, const char *pid, uint64_t *ino)
{
	char path[64], link[64];
	ssize_t n;
	struct buf b = { 0 };
	int r;

	if (procfd < 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/ns/net", pid);
	n = readlinkat(procfd, path, link, sizeof(link));
	if (n >= 0)
		return n < (ssize_t)sizeof(link) ? parse_ns_link(link, (size_t)n, "net", ino) : -EINVAL;
	r = -errno;
	if (r != -EINVAL || root->is_host)
		return r;
	/* a fixture tree packed by tar -h: the link became a file holding its text */
	n = read_file_at(procfd, path, &b);
	r = n < 0 ? (int)n : parse_ns_link(b.data, b.len, "net", ino);
	buf_free(&b);
	return r;
}

/* A container's own cgroup (podman's monitor and a pod's cgroup are not one). */
static bool container_cgroup(const char *path)
{
	struct container_ref ref;

	if (!cgpath_container_id(path, &ref))
		return false;
	return ref.runtime != RT_CONMON && ref.runtime != RT_K8S_POD && ref.runtime != RT_NONE;
}

/* The PIDs of PATH's own cgroup.procs (the hierarchy listing processes, else the first
 * that has the path) into nr->pids, sorted. Returns how many. */
static ssize_t cgroup_pids(struct netns_reader *nr, const struct rootfs *root,
			   const struct cg_hierarchies *hs, const char *path)
{
	char full[PATH_MAX];
	ssize_t n = -ENOENT;

	for (size_t k = 0; k <= hs->n && n == -ENOENT; k++) {
		int hi = k == 0 ? hs->src.procs : (int)k - 1;

		if (hi < 0 || (size_t)hi >= hs->n || (k > 0 && hi == hs->src.procs))
			continue;
		if ((size_t)snprintf(full, sizeof(full), "%s%s/cgroup.procs", hs->h[hi].mount_point,
				     strcmp(path, "/") == 0 ? "" : path) >= sizeof(full))
			return -ENAMETOOLONG;
		n = rootfs_read(root, full, &nr->buf);
	}
	if (n < 0)
		return n;
	return parse_pid_list(nr->buf.data, nr->buf.len, &nr->pids, &nr->pids_cap);
}

/* The child and sibling lists of SNAP's rows, in row order, made once a refresh: a scan
 * of every row for each container without a task of its own cost N^2 (10,000 empty
 * scopes: 100 million steps a refresh). */
static void make_kids(struct netns_reader *nr, const struct snapshot *snap)
{
	if (nr->kids_cap < snap->n) {
		nr->kids_cap = snap->n;
		nr->kid = xrealloc(nr->kid, nr->kids_cap * sizeof(*nr->kid));
		nr->sib = xrealloc(nr->sib, nr->kids_cap * sizeof(*nr->sib));
	}
	for (size_t c = 0; c < snap->n; c++)
		nr->kid[c] = nr->sib[c] = -1;
	for (size_t c = snap->n; c-- > 0;) {
		ssize_t p = snap->rows[c].parent;

		if (p >= 0 && (size_t)p < snap->n) {
			nr->sib[c] = nr->kid[p];
			nr->kid[p] = (ssize_t)c;
		}
	}
	nr->kids_made = true;
}

/* The namespace of row I of SNAP: of the lowest PID of its cgroup whose link can be
 * read (a task that is not dumpable hides it from all but CAP_SYS_PTRACE), else of a
 * child cgroup's when it has none of its own (v2: no tasks beside children). */
static bool row_namespace(struct netns_reader *nr, const struct rootfs *root, int procfd,
			  const struct cg_hierarchies *hs, const struct snapshot *snap, size_t i,
			  uint64_t *ino, pid_t *pid)
{
	const char *path = snap->rows[i].path;
	ssize_t n = cgroup_pids(nr, root, hs, path);

	if (n == 0 && !nr->kids_made)
		make_kids(nr, snap);
	for (ssize_t c = n == 0 ? nr->kid[i] : -1; n == 0 && c >= 0; c = nr->sib[c])
		n = cgroup_pids(nr, root, hs, snap->rows[c].path);
	for (ssize_t k = 0; k < n && k < 4; k++) {
		char name[24];

		snprintf(name, sizeof(name), "%d", (int)nr->pids[k]);
		if (netns_inode(root, procfd, name, ino) == 0 && *ino) {
			*pid = nr->pids[k];
			return true;
		}
	}
	return false;
}

/* qsort order: by namespace, then by PID. */
static int cmp_ent(const void *a, const void *b)
{
	const struct netns_ent *x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The figures of namespace E from /proc/PID/net/dev into its row. */
static bool read_counters(struct netns_reader *nr, int procfd, const struct netns_ent *e,
			  struct cg_row *r)
{
	char path[48];
	struct net_dev d;
	struct cg_net *n;

	snprintf(path, sizeof(path), "%d/net/dev", (int)e->pid);
	if (read_file_at(procfd, path, &nr->buf) < 0 ||
	    parse_net_dev(nr->buf.data, nr->buf.len, &d) < 0)
		return false;
	n = row_net_mk(r);
	n->rx_bytes = d.rx_bytes;
	n->tx_bytes = d.tx_bytes;
	n->rx_packets = d.rx_packets;
	n->tx_packets = d.tx_packets;
	r->valid |= FIELD_BIT(F_NET_RX_BYTES) | FIELD_BIT(F_NET_TX_BYTES) |
		    FIELD_BIT(F_NET_RX_PACKETS) | FIELD_BIT(F_NET_TX_PACKETS);
	n->kind = NET_NS_OWN;
	n->ino = e->ino;
	return true;
}

void netns_sample(struct netns_reader *nr, const struct rootfs *root, int procfd,
		  const struct cg_hierarchies *hs, struct snapshot *snap)
{
	/* the host's namespace is PID 1's; PID 1 is not dumpable on most systems, so its
	 * link is hidden from root without CAP_SYS_PTRACE: cgtop's own then, which is the
	 * host's unless cgtop runs in a namespace of its own */
	nr->host_from_self = false;
	if (netns_inode(root, procfd, "1", &nr->host_ino) < 0) {
		nr->host_from_self = true;
		if (netns_inode(root, procfd, "self", &nr->host_ino) < 0)
			nr->host_ino = 0;
	}
	nr->n = 0;
	nr->kids_made = false;
	for (size_t i = 0; i < snap->n; i++) {
		struct cg_row *r = &snap->rows[i];
		uint64_t ino;
		pid_t pid;

		/* no task in it or below it (pids.current, or cgroup.procs summed, is of the
		 * subtree): no namespace to find, and its cgroup.procs is not read */
		if (row_has(r, F_TASKS) && r->tasks == 0)
			continue;
		if (r->depth == 0 || !container_cgroup(r->path) ||
		    !row_namespace(nr, root, procfd, hs, snap, i, &ino, &pid))
			continue;
		/* a row gets its network block once its kind is known: none for a
		 * namespace that could not be read */
		if (ino == nr->host_ino) {
			struct cg_net *n = row_net_mk(r);

			n->kind = NET_NS_HOST;
			n->ino = ino;
			continue;
		}
		if (nr->n == nr->cap) {
			nr->cap = nr->cap ? nr->cap * 2 : 32;
			nr->v = xrealloc(nr->v, nr->cap * sizeof(*nr->v));
		}
		nr->v[nr->n++] = (struct netns_ent){ .ino = ino, .pid = pid, .row = i };
	}
	if (nr->n > 1)
		qsort(nr->v, nr->n, sizeof(*nr->v), cmp_ent);
	for (size_t k = 0; k < nr->n;) {
		size_t end = k + 1;
		bool read;

		while (end < nr->n && nr->v[end].ino == nr->v[k].ino)
			end++;
		/* the lowest PID: the task that made the namespace (a pod's sandbox, the
		 * container another joined with --net=container:) when PIDs did not wrap */
		read = read_counters(nr, procfd, &nr->v[k], &snap->rows[nr->v[k].row]);
		for (size_t j = k + 1; j < end && read; j++) {
			struct cg_net *n = row_net_mk(&snap->rows[nr->v[j].row]);

			n->kind = NET_NS_SHARED;
			n->holder = (ssize_t)nr->v[k].row;
			n->ino = nr->v[j].ino;
		}
		k = end;
	}
}

void netns_reader_free(struct netns_reader *nr)
{
	buf_free(&nr->buf);
	free(nr->pids);
	free(nr->v);
	free(nr->kid);
	free(nr->sib);
}
