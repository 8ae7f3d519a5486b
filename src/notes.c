/* Messages for the user, each said once. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
	ns->texts[ns->n] = xstrdup(text);
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
