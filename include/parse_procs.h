/* Parsers of the /proc (and /etc/passwd) files the task view and the TUI header read.
 * Pure functions over a buffer, like parse.h: no I/O, no globals. */
#ifndef CGTOP_PARSE_PROCS_H
#define CGTOP_PARSE_PROCS_H

#include <stddef.h>
#include <sys/types.h>

/* /proc/<pid>/status: the real UID (first number of the "Uid:" line).
 * 0, -ENOENT when there is no such line, -EINVAL when it is malformed. */
int parse_status_uid(const char *buf, size_t len, uid_t *uid);

/* /proc/<pid>/cmdline: the NUL-separated arguments joined by single spaces into OUT
 * (always NUL-terminated, cut at OUTLEN - 1 bytes). Trailing NULs are dropped; the
 * bytes are otherwise kept as they are (sanitize before display). Returns the length
 * written: 0 for an empty cmdline (a kernel thread or a zombie). */
size_t parse_cmdline(const char *buf, size_t len, char *out, size_t outlen);

/* /proc/uptime: the first field, seconds since boot. 0 or -EINVAL. */
int parse_uptime(const char *buf, size_t len, double *seconds);

/* An /etc/passwd file: the name of UID into OUT (NUL-terminated). 0, -ENOENT when no
 * line has that UID, -ENOBUFS when the name does not fit. Malformed lines are skipped. */
int parse_passwd_name(const char *buf, size_t len, uid_t uid, char *out, size_t outlen);

#endif
