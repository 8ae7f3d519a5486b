/* The configuration file: "key = value" lines that set defaults for the options of the same
 * names; the command line wins. */
#ifndef CGTOP_CONFFILE_H
#define CGTOP_CONFFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "options.h"

struct conf_error {
	unsigned line; /* 1-based */
	char text[512];
};

/* Apply the settings in BUF (LEN bytes of a configuration file) to OPT. Blank lines and lines
 * whose first non-blank character is '#' are skipped; a '#' after a blank starts a comment.
 * Each key may be given once. Pure: no I/O. Returns 0, or -EINVAL with ERR saying where and
 * why (untrusted bytes in ERR are sanitized). */
int conffile_parse(const char *buf, size_t len, struct options *opt, struct conf_error *err);

/* The user's file: $XDG_CONFIG_HOME/cgtop/config when XDG_CONFIG_HOME is an absolute path,
 * else $HOME/.config/cgtop/config (HOME from the password database when unset). Newly
 * allocated; NULL when no home is known. */
char *conffile_default_path(void);

/* Read PATH (NULL: nothing to read) and apply it to OPT. A missing file is fine unless
 * MUST_EXIST. Returns 0, or 2 after printing "cgtop: PATH:LINE: why" on stderr. */
int conffile_load(const char *path, bool must_exist, struct options *opt);

#endif
