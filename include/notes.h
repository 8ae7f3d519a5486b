/* Messages for the user, each said once: "memory controller missing", "cannot read …". */
#ifndef CGTOP_NOTES_H
#define CGTOP_NOTES_H

#include <stdbool.h>
#include <stddef.h>

struct notes {
	char **keys;
	char **texts;
	size_t n;
	size_t shown;   /* notes [0, shown) were already handed to a front end */
};

/* Add a note unless one with KEY exists. Returns true if it was new. */
bool notes_add(struct notes *ns, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The next note not yet shown, or NULL. */
const char *notes_next_unshown(struct notes *ns);
void notes_free(struct notes *ns);

#endif
