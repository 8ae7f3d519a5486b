/* The tasks of a cgroup, from its cgroup.procs (and its descendants') and /proc/<pid>:
 * the reader behind the TUI's drill-down. Every read goes through the root handle. */
#ifndef CGTOP_PROCS_H
#define CGTOP_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hierarchy.h"
#include "rootfs.h"

struct task {
	pid_t pid;
	char state;            /* R, S, D, Z, ... from /proc/<pid>/stat */
	bool cpu_valid;        /* a previous sample of the same process exists */
	double cpu_percent;    /* 100 = one CPU */
	uint64_t cpu_ticks;    /* utime + stime */
	uint64_t starttime;    /* clock ticks after boot: tells a reused PID apart */
	bool rss_valid;
	uint64_t rss_bytes;
	long threads;
	bool start_valid;
	uint64_t start_real_s; /* wall-clock start, seconds since the epoch */
	bool uid_valid;
	uid_t uid;
	char user[33];         /* user name, or the UID in decimal when it has none ("" unknown) */
	char *cmdline;         /* arguments joined by spaces, or "[comm]" for a kernel thread;
				* raw bytes: sanitize before display */
};

struct task_list {
	struct task *v;
	size_t n, cap;
	uint64_t mono_ns;      /* when it was read */
	int err;               /* 0, or -errno when the cgroup could not be read at all */
};

void task_list_clear(struct task_list *l);
void task_list_free(struct task_list *l);

struct procs_reader;

/* A reader of tasks below ROOT; HS says where cgroup.procs files are. */
struct procs_reader *procs_reader_new(const struct rootfs *r, const struct cg_hierarchies *hs);
void procs_reader_free(struct procs_reader *pr);

/* The PIDs in cgroup PATH and every cgroup below it, sorted and unique, into *PIDS
 * (grown with realloc, *CAP its capacity). PATH is looked up in the hierarchy that lists
 * processes (hs->src.procs), else in any hierarchy that holds it. Returns how many, or
 * -ENOENT when no hierarchy holds PATH, or another -errno. */
ssize_t procs_list_pids(struct procs_reader *pr, const char *path, pid_t **pids, size_t *cap);

/* Read the tasks of the cgroups PATHS[0..NPATHS) (and below) into OUT at MONO_NS.
 * %CPU comes from the utime+stime a previous call saw for the same process. OUT is
 * sorted by %CPU (then CPU time, then PID). Returns 0 or -errno (also in OUT->err). */
int procs_sample(struct procs_reader *pr, const char *const *paths, size_t npaths,
		 uint64_t mono_ns, struct task_list *out);

/* One line of /proc/<pid>/cgroup. */
struct task_cgroup {
	int hierarchy;
	char *controllers;   /* "" for cgroup2 */
	char *path;          /* raw bytes: sanitize before display */
};

/* The cgroups PID belongs to, in every hierarchy, from ROOT/proc/<pid>/cgroup.
 * Returns how many (into *OUT, freed with task_cgroups_free) or -errno. */
ssize_t procs_read_cgroups(const struct rootfs *r, pid_t pid, struct task_cgroup **out);
void task_cgroups_free(struct task_cgroup *v, size_t n);

/* Where one task runs: its cgroups in every hierarchy and, on the host, its unit. */
struct task_where {
	pid_t pid;
	struct task_cgroup *cgs;
	ssize_t ncgs;             /* or -errno */
	char *unit, *slice;       /* raw, from libsystemd; NULL when unknown */
	int unit_err;             /* -errno of sd_pid_get_unit, or 1 when R is not the host */
};

/* Read where PID runs into OUT (libsystemd is asked only when R is the host). */
void procs_read_where(const struct rootfs *r, pid_t pid, struct task_where *out);
void task_where_free(struct task_where *w);

#endif
