/* Least privilege once cgtop runs: it reads files, asks local engines over unix sockets
 * and writes to the terminal or stdout, and gives up everything else. */
#ifndef CGTOP_SANDBOX_H
#define CGTOP_SANDBOX_H

#include <stdbool.h>

#include "notes.h"

/* What sandbox_enter() put in force. */
struct sandbox_state {
	bool no_new_privs; /* PR_SET_NO_NEW_PRIVS: no exec can gain privileges */
	bool seccomp;      /* the system call filter (see sandbox.c) */
};

/* For this process: no new privileges; a seccomp
 * filter refusing exec, opening files for writing, changing the file system, sockets
 * other than AF_UNIX, mounts, module loading, ptrace (outside sanitizer builds),
 * io_uring and the like, in every thread (threads already running included). What the
 * kernel does not offer is skipped quietly; what fails otherwise becomes a note. Call
 * once start-up is over: files to write (--record) must be open by then. OUT_DIRFD >= 0
 * is the directory of --output FILE: files may be created, written and renamed there
 * (opened and renamed relative to that descriptor), nowhere else. Returns what was put
 * in force. */
struct sandbox_state sandbox_enter(struct notes *notes, int out_dirfd);

#endif
