/* What the engines say about containers, as lists searched by ID, and the sorted sets of
 * IDs a fetch is asked about. */
#ifndef CGTOP_META_LIST_H
#define CGTOP_META_LIST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "container.h"

/* A list of containers, as parsed from one answer or file. */
struct meta_list {
	struct container_meta *v;
	size_t n;
};

/* Free the strings of M and zero it. */
void container_meta_free(struct container_meta *m);
/* Free every entry of L and the array. */
void meta_list_free(struct meta_list *l);
/* Append an empty entry to L and return it. */
struct container_meta *meta_list_push(struct meta_list *l);
/* Sort L by ID, for meta_list_find(). */
void meta_list_sort(struct meta_list *l);
/* The entry for ID among the first N (sorted by ID) of L, or NULL. */
struct container_meta *meta_list_find_n(const struct meta_list *l, size_t n, const char *id);
/* The entry of the ID-sorted list L for ID, or NULL. */
struct container_meta *meta_list_find(const struct meta_list *l, const char *id);
/* Move the entries of FROM whose ID is among the sorted IDS and not yet in the sorted
 * list TO into TO (sorted again, one entry per ID); free the rest and FROM's array. */
void meta_list_take(struct meta_list *to, struct meta_list *from, const char *const *ids, size_t n);

/* The same with every entry of FROM. */
void meta_list_take_all(struct meta_list *to, struct meta_list *from);

/* qsort/bsearch comparison of two char * array elements. */
int meta_ids_cmp(const void *a, const void *b);
/* Whether the sorted array V of N strings holds S. */
bool meta_ids_has(const char *const *v, size_t n, const char *s);
/* Free the N strings of V and V. */
void meta_ids_free(char **v, size_t n);

/* Who keeps the strings of IDs a request borrows (the live source: its tables' store,
 * ctr_ids_pin). hold() is called by the thread that makes the request; release(), once
 * per hold, by whichever thread lets the request go last. */
struct meta_ids_keeper {
	int (*hold)(void *ud);                /* a token for release(), or < 0: copy instead */
	void (*release)(void *ud, int token);
	void *ud;
};

/* A request's IDs (sorted, each once), one allocation shared by reference between the
 * store's threads (the request, the worker's fetch and its follow-up, the result to
 * adopt) and never changed: N + 1 pointers (the last NULL), to strings packed after
 * them or borrowed from a keeper (10,000 IDs: 80 KB of pointers, not 0.73 MB). */
struct meta_ids {
	atomic_uint refs;
	int token;                            /* keeper's */
	const struct meta_ids_keeper *keeper; /* NULL: the strings are packed after v */
	size_t n;
	const char *v[];
};
/* The N strings of IDS, borrowed when K (may be NULL) holds them, else copied; one
 * reference. */
struct meta_ids *meta_ids_new(const char *const *ids, size_t n, const struct meta_ids_keeper *k);
/* Another reference to V (any thread). */
struct meta_ids *meta_ids_ref(struct meta_ids *v);
/* Drop a reference (any thread): the last frees V and releases its strings. NULL: nothing. */
void meta_ids_unref(struct meta_ids *v);

#endif
