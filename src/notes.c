/* Messages for the user, each said once. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "notes.h"
#include "util.h"

bool notes_add(struct notes *ns, const char *key, const char *fmt, ...)
{
	va_list ap;
	char text[1024];

	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->keys[i], key) == 0)
			return false;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ns->keys = xrealloc(ns->keys, (ns->n + 1) * sizeof(*ns->keys));
	ns->texts = xrealloc(ns->texts, (ns->n + 1) * sizeof(*ns->texts));
	ns->keys[ns->n] = xstrdup(key);
	/* a note may quote a cgroup path or an engine's answer: keep it terminal-safe for
	 * every front end (stderr, the TUI, a log) */
	ns->texts[ns->n] = sanitize_dup(text);
	ns->n++;
	return true;
}

const char *notes_next_unshown(struct notes *ns)
{
	if (ns->shown >= ns->n)
		return NULL;
	return ns->texts[ns->shown++];
}

void notes_free(struct notes *ns)
{
	for (size_t i = 0; i < ns->n; i++) {
		free(ns->keys[i]);
		free(ns->texts[i]);
	}
	free(ns->keys);
	free(ns->texts);
	memset(ns, 0, sizeof(*ns));
}
