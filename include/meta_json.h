/* The container engines' JSON: their API list answers, docker's config.v2.json and
 * podman's containers.json. Pure functions over a buffer (tests/fuzz feeds them). */
#ifndef CGTOP_META_JSON_H
#define CGTOP_META_JSON_H

#include <stddef.h>

#include "meta_list.h"

/* Largest API answer or metadata file read (16 MiB). */
#define META_MAX_BODY (16u << 20)

/* Parse the answer of GET /containers/json (Docker, podman compat) or of podman's
 * /libpod/containers/json into OUT (appended). Entries without a usable Id are skipped.
 * Returns 0, -ENODATA (truncated), -EBADMSG (not JSON), -EINVAL (not a list), -EFBIG. */
int meta_parse_containers_json(const char *buf, size_t len, struct meta_list *out);
/* Parse docker's <root>/containers/<id>/config.v2.json into OUT (zeroed first).
 * Returns 0 or the errors of meta_parse_containers_json(). */
int meta_parse_config_v2(const char *buf, size_t len, struct container_meta *out);
/* Parse the answer of GET /containers/ID/json (Docker, podman's compat API) into OUT
 * (zeroed first): identity, labels and the lifecycle (state, health, exit code, OOM kill,
 * restart count and policy, times, the last probe's output). Same returns, -EINVAL when
 * it has no Id. config.v2.json gives the same lifecycle but the restart policy. */
int meta_parse_inspect(const char *buf, size_t len, struct container_meta *out);

/* Whether two Status texts of an engine's list say the same but for the time in them
 * (the first word and the parenthesized parts). */
bool meta_status_same(const char *a, const char *b);

/* The exit code in a list's Status text ("Exited (7) 2 minutes ago", "Restarting (3) 1
 * second ago"), or -1. */
int meta_status_exit_code(const char *status);
/* The RestartPolicy.Name of docker's <root>/containers/<id>/hostconfig.json into OUT.
 * Returns 0 or the errors of meta_parse_containers_json(). */
int meta_parse_restart_policy(const char *buf, size_t len, char *out, size_t outlen);
/* Parse podman's <storage>/<driver>-containers/containers.json into OUT (appended):
 * IDs, names and image names only. Same returns. */
int meta_parse_podman_storage(const char *buf, size_t len, struct meta_list *out);

/* Parse libpod's ContainerConfig JSON (CFG, CFG_LEN bytes: the "config" key of a
 * container's bucket in bolt_state.db, the JSON column of ContainerConfig in db.sql)
 * and, when STATE is not NULL, its ContainerState JSON into OUT (zeroed first): ID,
 * name, image, labels, state and main pid. Returns 0, -EINVAL (no "id") or the errors
 * of meta_parse_containers_json(). */
int meta_parse_libpod_config(const char *cfg, size_t cfg_len, const char *state, size_t state_len,
			     struct container_meta *out);

#endif
