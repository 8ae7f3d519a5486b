/* Discovery of the cgroup hierarchies: which are mounted where, v1, v2 or hybrid. */
#ifndef CGTOP_HIERARCHY_H
#define CGTOP_HIERARCHY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes.h"
#include "rootfs.h"

enum cg_controller {
	CTL_CPU = 1u << 0,
	CTL_CPUACCT = 1u << 1,
	CTL_MEMORY = 1u << 2,
	CTL_BLKIO = 1u << 3,   /* v1 */
	CTL_IO = 1u << 4,      /* v2 */
	CTL_PIDS = 1u << 5,
	CTL_SYSTEMD = 1u << 6, /* v1 name=systemd */
	CTL_OTHER = 1u << 7,   /* cpuset, devices, freezer, … */
};

struct cg_hierarchy {
	char *mount_point; /* host path, e.g. "/sys/fs/cgroup/memory" */
	char *root;        /* mountinfo root field ("/" unless mounted from a sub-cgroup) */
	char *name;        /* "cpu,cpuacct", "name=systemd", "cgroup2" */
	bool v2;
	unsigned controllers; /* enum cg_controller bits (v2: from cgroup.controllers) */
};

enum cg_mode { CG_MODE_NONE, CG_MODE_V1, CG_MODE_HYBRID, CG_MODE_V2 };

/* Which hierarchy each figure is read from; -1 when none gives it. */
struct cg_sources {
	int cpu;    /* cpuacct.usage (v1) or cpu.stat usage_usec (v2) */
	int cpu_limit; /* the cpu controller: cpu.cfs_quota_us, cpu.cfs_period_us and the
			* throttling of cpu.stat (v1, apart from cpuacct on some hosts and
			* co-mounted with it on others), or cpu.max and cpu.stat (v2) */
	int memory; /* memory.* */
	int io;     /* blkio.* (v1) or io.stat (v2) */
	int pids;   /* pids.current */
	int procs;  /* cgroup.procs for task counts and paths: name=systemd, else v2, else any */
	int psi;    /* cpu.pressure, memory.pressure, io.pressure: the cgroup2 tree (pure v2, or
		     * the unified mount of a hybrid host, which mirrors name=systemd's paths) */
};

struct cg_hierarchies {
	struct cg_hierarchy *h;
	size_t n;
	enum cg_mode mode;
	struct cg_sources src;
};

/* libcgroup's controllers and their mount points, read in a child process: libcgroup's
 * cgroup_init() zeroes tables of 100 controllers' 4 KiB names and paths in its .bss,
 * 0.8 MiB that stayed resident in cgtop for a check made once. Into OUT: "C", the name
 * and the mount point, each NUL-ended, for each controller; or "E" and libcgroup's error
 * text. Returns 0, or -errno when no child could be made or its answer not read. */
struct buf;
int libcgroup_mounts(struct buf *out);

/* Find the hierarchies from ROOT/proc/self/mountinfo (and each v2 mount's
 * cgroup.controllers). When USE_LIBCGROUP is set (live mode), libcgroup's view is
 * cross-checked against that and disagreements become notes. Returns 0 or -errno;
 * "no cgroup mounted" is -ENOENT. */
int hierarchies_discover(const struct rootfs *r, bool use_libcgroup,
			 struct cg_hierarchies *out, struct notes *notes);
void hierarchies_free(struct cg_hierarchies *hs);

/* Which hierarchies hold cgroup PATH (what `lscgroup | grep ID` shows): bit i for
 * hs->h[i] (the first 64). */
uint64_t hierarchies_mask_of(const struct rootfs *r, const struct cg_hierarchies *hs,
			     const char *path);
const char *cg_mode_name(enum cg_mode m);

/* Derive mode and sources from the list (exposed for tests). */
void hierarchies_choose_sources(struct cg_hierarchies *hs, struct notes *notes);

#endif
