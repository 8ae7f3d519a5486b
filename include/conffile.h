/* The configuration file: "key = value" lines, each handed to a setter that knows the keys
 * (options.c's are the defaults of the long options of the same names). This reader knows
 * the syntax only: blanks, comments, each key once, where a line went wrong. */
#ifndef CGTOP_CONFFILE_H
#define CGTOP_CONFFILE_H

#include <stdbool.h>
#include <stddef.h>

struct conf_error {
	unsigned line; /* 1-based */
	char text[512];
};

/* What the reader calls for each "key = value" line, with the UD it was given. Returns 0;
 * -ENOENT for an unknown key, with *WANT the keys there are (comma separated) or NULL;
 * any other -errno for a bad value, with *WANT saying what it should be. KEY and VALUE are
 * the reader's, valid during the call only. */
typedef int conffile_set_fn(void *ud, const char *key, const char *value, const char **want);

/* Hand the settings in BUF (LEN bytes of a configuration file) to SET. Blank lines and lines
 * whose first non-blank character is '#' are skipped; a '#' after a blank starts a comment.
 * Each key may be given once. Pure: no I/O. Returns 0, or -EINVAL with ERR saying where and
 * why (untrusted bytes in ERR are sanitized). */
int conffile_parse(const char *buf, size_t len, conffile_set_fn *set, void *ud, struct conf_error *err);

/* The user's file: $XDG_CONFIG_HOME/cgtop/config when XDG_CONFIG_HOME is an absolute path,
 * else $HOME/.config/cgtop/config (HOME from the password database when unset). Newly
 * allocated; NULL when no home is known. */
char *conffile_default_path(void);

/* Read PATH (NULL: nothing to read) and hand its settings to SET. A missing file is fine
 * unless MUST_EXIST. Returns 0, or 2 after printing "cgtop: PATH:LINE: why" on stderr. */
int conffile_load(const char *path, bool must_exist, conffile_set_fn *set, void *ud);

#endif
