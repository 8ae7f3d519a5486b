/* podman's own database of containers, read-only: libpod's BoltDB through bolt.c. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "bolt.h"
#include "meta_json.h"
#include "podman_db.h"

struct bolt_walk {
	const struct bolt_db *db;
	struct meta_list *out;
};

/* One key of the "ctr" bucket: a container's bucket, named by its ID. */
static int bolt_container(void *ud, const unsigned char *key, size_t klen, const unsigned char *val,
			  size_t vlen, bool is_bucket)
{
	struct bolt_walk *w = ud;
	struct bolt_bucket b;
	struct container_meta m;
	const unsigned char *cfg, *st = NULL;
	size_t cfg_len, st_len = 0;
	bool sub;
	int r;

	(void)key;
	(void)klen;
	if (!is_bucket)
		return 0;
	if ((r = bolt_bucket_from_value(w->db, val, vlen, &b)) < 0)
		return r;
	r = bolt_get(&b, "config", 6, &cfg, &cfg_len, &sub);
	if (r < 0)
		return r;
	if (r == 0 || sub)
		return 0;
	r = bolt_get(&b, "state", 5, &st, &st_len, &sub);
	if (r < 0)
		return r;
	if (r == 0 || sub)
		st = NULL;
	if (meta_parse_libpod_config((const char *)cfg, cfg_len, (const char *)st, st_len, &m) == 0)
		*meta_list_push(w->out) = m;
	return 0;
}

int podman_bolt_list(const void *buf, size_t len, struct meta_list *out)
{
	struct bolt_db db;
	struct bolt_bucket root, ctrs;
	struct bolt_walk w = { .db = &db, .out = out };
	int r = bolt_open(&db, buf, len);

	if (r < 0)
		return r;
	bolt_root(&db, &root);
	r = bolt_bucket(&root, "ctr", &ctrs);
	if (r <= 0)
		return r < 0 ? r : -EINVAL; /* libpod makes its buckets when it creates the file */
	return bolt_foreach(&ctrs, bolt_container, &w);
}
