/* Fuzz target: podman's bolt_state.db (podman_bolt_list) and the bbolt reader under it:
 * every bucket of the file walked, three levels down. */
#include "config.h"

#include "bolt.h"
#include "fuzz.h"
#include "podman_db.h"

struct walk {
	const struct bolt_db *db;
	int depth;
	size_t bytes;
};

static int walk_key(void *ud, const unsigned char *k, size_t kl, const unsigned char *v, size_t vl,
		    bool is_bucket)
{
	struct walk *w = ud, below = *w;
	struct bolt_bucket b;

	/* touch every byte handed back, so a bad pointer shows at once */
	for (size_t i = 0; i < kl; i++)
		w->bytes += k[i];
	for (size_t i = 0; i < vl; i++)
		w->bytes += v[i];
	if (!is_bucket || w->depth >= 3 || bolt_bucket_from_value(w->db, v, vl, &b) < 0)
		return 0;
	below.depth++;
	bolt_foreach(&b, walk_key, &below);
	w->bytes = below.bytes;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct meta_list l = { 0 };
	struct bolt_db db;
	struct bolt_bucket root;
	struct walk w = { .db = &db };

	podman_bolt_list(data, size, &l);
	for (size_t k = 0; k < l.n; k++)
		fuzz_touch(l.v[k].id), fuzz_touch(l.v[k].name), fuzz_touch(l.v[k].image);
	meta_list_free(&l);
	if (bolt_open(&db, data, size) == 0) {
		bolt_root(&db, &root);
		bolt_foreach(&root, walk_key, &w);
	}
	return 0;
}
