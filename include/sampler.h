/* The sampler: one walk of the hierarchies per refresh, producing a snapshot. */
#ifndef CGTOP_SAMPLER_H
#define CGTOP_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hierarchy.h"
#include "notes.h"
#include "rootfs.h"
#include "snapshot.h"

struct sampler;

struct sampler_options {
	unsigned max_depth;  /* rows deeper than this are not listed (their tasks still count) */
	bool memory_stat;    /* read memory.stat for the working set and the page cache */
	long fd_budget;      /* descriptors kept open between refreshes: 0 for RLIMIT_NOFILE
			      * less 256, negative for none (every file opened, read, closed) */
	/* When set, each cgroup's CPU and I/O counters are stamped with this monotonic clock
	 * as they are read, and rates use those stamps: a walk of thousands of cgroups takes
	 * long enough that one time per refresh would skew them. Unset (tests): every row
	 * carries the refresh's time. */
	uint64_t (*clock)(void);
	/* The caller reads a sample no more once the next refresh begins (batch output):
	 * the sampler then keeps of it only what the next sample's rates, changes and
	 * counts since the start read (snapshot_pack()), and a refresh holds one sample's
	 * full rows, not two. Unset (the screen, whose thread reads the published sample
	 * while the worker takes the next): the sample stays whole until the refresh after. */
	bool pack_prev;
};

struct sampler *sampler_new(const struct rootfs *r, const struct cg_hierarchies *hs,
			    const struct sampler_options *opt, struct notes *notes);
void sampler_free(struct sampler *s);

/* Take a sample at MONO_NS / REAL_NS (the caller's clock, so tests can set it).
 * The returned snapshot stays valid until the next call that returns a new one (with
 * pack_prev: until the next call begins, then only snapshot_find() and
 * snapshot_row_before() read it); the sampler keeps it to compute the next sample's
 * rates. */
const struct snapshot *sampler_refresh(struct sampler *s, uint64_t mono_ns, uint64_t real_ns);

/* Descriptors the sampler keeps open between refreshes (for tests and the benchmark). */
size_t sampler_fds_kept(const struct sampler *s);
/* Of the directories with subdirectories the last refresh walked into, in all
 * hierarchies: how many it listed, and how many it found unchanged and named their
 * subdirectories from the sample before (for tests). */
void sampler_dirs_walked(const struct sampler *s, size_t *listed, size_t *named);

#endif
