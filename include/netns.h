/* Network per container: cgroups keep no network counters, so a container's come from
 * its network namespace, /proc/<pid>/net/dev of one of its tasks, read once per
 * namespace. */
#ifndef CGTOP_NETNS_H
#define CGTOP_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hierarchy.h"
#include "rootfs.h"
#include "snapshot.h"
#include "util.h"

struct netns_reader {
	struct buf buf;
	pid_t *pids;
	size_t pids_cap;
	struct netns_ent { uint64_t ino; pid_t pid; size_t row; } *v;
	size_t n, cap;
	ssize_t *kid, *sib;  /* per row: its first child row and its next sibling, or -1 */
	size_t kids_cap;
	bool kids_made;      /* for this refresh's snapshot */
	uint64_t host_ino;   /* the host's namespace, 0 when not known (last refresh) */
	bool host_from_self; /* it is cgtop's own: PID 1's could not be read */
};

/* The namespace inode of PID ("1", "self", "1234") in the /proc at PROCFD (under ROOT),
 * from its ns/net link; under a --root tree a regular file holding the link's text
 * stands for it (archives that follow links). Returns 0 or -errno. */
int netns_inode(const struct rootfs *root, int procfd, const char *pid, uint64_t *ino);

/* Give every container's main cgroup of SNAP its network figures: the namespace of the
 * cgroup's lowest PID; NET_NS_HOST when it is the host's (PID 1's, else cgtop's own);
 * the figures of a namespace shared by several containers on the one whose task has the
 * lowest PID (NET_NS_OWN), the others NET_NS_SHARED pointing at it. */
void netns_sample(struct netns_reader *nr, const struct rootfs *root, int procfd,
		  const struct cg_hierarchies *hs, struct snapshot *snap);
void netns_reader_free(struct netns_reader *nr);

#endif
