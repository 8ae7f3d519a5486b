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

/* Largest SQLite database read (64 MiB). */
#define PODMAN_SQLITE_MAX_MIB 64
#define PODMAN_SQLITE_MAX_SIZE ((size_t)PODMAN_SQLITE_MAX_MIB << 20)

/* Every container of the SQLite database in BUF (LEN bytes) into OUT (appended): the
 * JSON of libpod's ContainerConfig and ContainerState tables (podman 5's db.sql). SQLite
 * reads a private copy in memory, read-only, with the file's schema distrusted (no
 * triggers, views or functions of it run) and a bounded number of steps; the host's
 * file is never opened by SQLite, so nothing is locked, journalled or written. Pure.
 * Returns 0, -EFBIG, -EINVAL (not SQLite, or not libpod's), -EIO (corrupt: torn by a
 * writer), -ENOMEM. */
int podman_sqlite_list(const void *buf, size_t len, struct meta_list *out);

/* Most users whose storage rootless podman may use: a bound on the files tried. */
#define PODMAN_ROOTLESS_MAX_USERS 256

/* The storage directories rootless podman uses by default for the users of the
 * /etc/passwd in BUF (LEN bytes): HOME/.local/share/containers/storage of each user
 * with a UID from 1000 (not 65534) and an absolute home other than "/". Into *OUT, a new
 * array of new strings (meta_ids_free() frees it); returns how many. Pure. */
size_t podman_rootless_storages(const char *buf, size_t len, char ***out);

#endif
