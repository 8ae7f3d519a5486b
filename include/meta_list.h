/* What the engines say about containers, as lists searched by ID, and the sorted sets of
 * IDs a fetch is asked about. */
#ifndef CGTOP_META_LIST_H
#define CGTOP_META_LIST_H

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
void meta_list_take(struct meta_list *to, struct meta_list *from, char *const *ids, size_t n);

/* The same with every entry of FROM. */
void meta_list_take_all(struct meta_list *to, struct meta_list *from);

/* qsort/bsearch comparison of two char * array elements. */
int meta_ids_cmp(const void *a, const void *b);
/* Whether the sorted array V of N strings holds S. */
bool meta_ids_has(char *const *v, size_t n, const char *s);
/* Free the N strings of V and V. */
void meta_ids_free(char **v, size_t n);
/* The N strings of IDS copied into one allocation: N + 1 pointers (the last NULL), the
 * strings after them. free() frees it all. */
char **meta_ids_pack(const char *const *ids, size_t n);

#endif
