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

/* Notes made in another thread (the metadata worker), handed to the main thread.
 *
 * struct notes belongs to the main thread: the front ends and the tests read its fields
 * (n, texts) directly, so a lock inside notes_add() could not cover them. A worker posts
 * into an inbox instead, under the inbox's own lock; what it has posted is held until it
 * publishes it (the worker does with each result, so a note and the result it explains
 * arrive together), and the main thread moves what was published into its notes with
 * notes_deliver() when it chooses. */
struct notes_inbox;

struct notes_inbox *notes_inbox_new(void);
/* Free IN and whatever was posted and not delivered. */
void notes_inbox_free(struct notes_inbox *in);
/* From any thread: post a note for the main thread, unless one with KEY was posted
 * before (a failure repeated every fetch is said once). Returns true if it was new. */
bool notes_post(struct notes_inbox *in, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* In the posting thread: what it has posted so far may be delivered. */
void notes_publish(struct notes_inbox *in);
/* In the thread owning NS: add the notes published to IN since the last call, in order. */
void notes_deliver(struct notes_inbox *in, struct notes *ns);

#endif
