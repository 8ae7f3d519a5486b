/* podman's own database of containers (libpod's state), read and never written: the
 * BoltDB of podman 4 (libpod/bolt_state.db) and the SQLite of podman 5 (libpod/db.sql).
 * Names and labels of every container, without podman's API. */
#ifndef CGTOP_PODMAN_DB_H
#define CGTOP_PODMAN_DB_H

#include <stddef.h>

#include "meta_list.h"

/* Every container of the BoltDB file in BUF (LEN bytes) into OUT (appended): libpod's
 * "ctr" bucket holds a bucket per container ID whose "config" key is its ContainerConfig
 * JSON and "state" its ContainerState JSON (libpod/boltdb_state.go). A container whose
 * JSON is unusable is skipped. Pure. Returns 0, -EFBIG (larger than BOLT_MAX_SIZE),
 * -EINVAL (not a bbolt file, or not libpod's), -EIO (a page is not what it should be:
 * torn, or rewritten while read). */
int podman_bolt_list(const void *buf, size_t len, struct meta_list *out);

#endif
