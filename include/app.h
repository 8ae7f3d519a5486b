/* One refresh of the whole pipeline: sampler -> containers -> metadata -> view. Both
 * front ends (batch and TUI) drive it; neither reads kernel files itself. */
#ifndef CGTOP_APP_H
#define CGTOP_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "container.h"
#include "hierarchy.h"
#include "meta.h"
#include "notes.h"
#include "options.h"
#include "record_file.h"
#include "rootfs.h"
#include "sandbox.h"
#include "sampler.h"
#include "view.h"

struct app {
	struct options *opt;
	struct rootfs root;
	struct cg_hierarchies hs;
	struct notes notes;
	struct sampler *sampler;
	struct meta_store *meta;
	struct ctr_table ctrs;
	struct view view;
	const struct snapshot *snap; /* the latest sample */
	unsigned long refreshes;
	struct recorder *rec;        /* --record: every sample taken goes there */
	int rec_error;               /* -errno of the write that stopped the recording */
	struct recording *replay;    /* --replay: the samples come from there, not the host */
	size_t replay_i;             /* the sample shown */
	struct sandbox_state sandbox; /* what app_open() gave up */
};

/* Open the root, find the hierarchies, start the sampler and the metadata store, open
 * the recording; then give up what cgtop does not need (sandbox.h).
 * Returns 0, or 1 after printing why cgtop cannot run. */
int app_open(struct app *a, struct options *opt);
void app_close(struct app *a);

/* Take a sample and rebuild the view. With WAIT_NS > 0, wait up to that long for the
 * engines to name containers not yet known (batch output's first sample). */
void app_refresh(struct app *a, uint64_t wait_ns);
/* The same for a sample SNAP already taken from a->sampler elsewhere (the TUI takes
 * samples in a thread of its own): containers, metadata and view. */
void app_take(struct app *a, const struct snapshot *snap, uint64_t wait_ns);
/* With --replay: show recorded sample I (0-based; clamped to the last). */
void app_replay_seek(struct app *a, size_t i);
/* The one line saying why the recording stopped (a->rec_error), into BUF. */
const char *app_record_error(const struct app *a, char *buf, size_t len);
/* Rebuild the view from the latest sample (after a change of view or order). */
void app_rebuild_view(struct app *a);

#endif
