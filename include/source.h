/* Where samples come from: the host (source_live.c) or a recording (source_replay.c).
 * Both are one interface; the front ends, the batch formats and the recorder consume the
 * samples and never ask which source they have. */
#ifndef CGTOP_SOURCE_H
#define CGTOP_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "container.h"
#include "hierarchy.h"
#include "host.h"
#include "notes.h"
#include "options.h"
#include "rootfs.h"
#include "snapshot.h"

struct procs_reader;

/* One sample as the consumers see it. Valid until the next publish. */
struct sample {
	const struct snapshot *snap;
	const struct ctr_table *ctrs;   /* its containers, names attached */
	enum cg_mode mode;              /* the hierarchy mode it was taken in */
	const struct host_info *host;   /* host facts taken with it, or NULL */
	const char *hostname;           /* the name of the host it was taken on (raw bytes:
					 * sanitize them), or NULL when not known (a
					 * recording holds none) */
	uint64_t took_ns;               /* how long taking it took (0: not measured) */
	size_t index;                   /* which sample of COUNT (0-based) */
	size_t count;                   /* samples the source holds; 0: no end (the host) */
	bool last;                      /* no sample comes after this one */
	const char *origin;             /* the file the samples come from (raw), or NULL */
	const char *unnamed;            /* how many containers have no name and why, in one
					 * line, or NULL when all have one (a note true of this
					 * sample only) */
};

struct source;

/* The two halves of a refresh run in different threads: take (refresh, seek) may run in
 * a worker and leaves the published sample alone; publish runs where the sample is read. */
struct source_ops {
	/* Take the next sample. Returns 0, or -ENODATA when there is none after the
	 * published one. */
	int (*refresh)(struct source *s);
	/* Take sample I instead (clamped to the last). -EOPNOTSUPP when the source cannot
	 * go back. */
	int (*seek)(struct source *s, size_t i);
	/* Make the sample taken the current one. WAIT_NS > 0: wait up to that long for the
	 * engines to name the containers new in it (not in the sample before) while their
	 * answer is awaited. */
	const struct sample *(*publish)(struct source *s, uint64_t wait_ns);
	/* How many samples the source holds; 0 when it has no end. */
	size_t (*count)(const struct source *s);
	/* Into *I the first sample at or after wall time REAL_NS. Returns 0, or -ERANGE
	 * when every sample is older (*I is then the last). */
	int (*find_time)(struct source *s, uint64_t real_ns, size_t *i);
	/* How long the source waited between sample I and the next one; 0 when it has no
	 * pace of its own (the front end's interval applies). */
	uint64_t (*gap_ns)(const struct source *s, size_t i);
	/* The reader of a cgroup's tasks, or NULL with *WHY saying why there is none. */
	struct procs_reader *(*tasks)(struct source *s, const char **why);
	/* The hierarchies (their mounts, for the summary) and the root files are read from. */
	const struct cg_hierarchies *(*hierarchies)(const struct source *s);
	const struct rootfs *(*root)(const struct source *s);
	/* The one line saying the samples end early (a damaged recording), or NULL. */
	const char *(*problem)(const struct source *s, char *buf, size_t len);
	void (*free)(struct source *s);
};

struct source {
	const struct source_ops *ops;
};

/* The host (or --root DIR) as OPT says: hierarchies, sampler, containers, engines; notes
 * go to NOTES. Returns 0, or 1 after printing why cgtop cannot run. */
int source_live_open(struct source **out, const struct options *opt, struct notes *notes);
/* The recording at PATH. Returns 0, or 1 after printing why it cannot be replayed. */
int source_replay_open(struct source **out, const char *path);

#endif
