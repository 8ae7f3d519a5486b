/* Parsers of kernel file formats. Pure functions over a buffer: no I/O, no globals. */
#ifndef CGTOP_PARSE_H
#define CGTOP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* A single unsigned decimal, optionally followed by a newline (cpuacct.usage,
 * memory.usage_in_bytes, memory.current, pids.current). 0 or -EINVAL/-ERANGE. */
int parse_u64(const char *buf, size_t len, uint64_t *out);

/* memory.max / pids.max style: a number or "max". *unlimited is set for "max". */
int parse_u64_or_max(const char *buf, size_t len, uint64_t *out, bool *unlimited);

/* "key value" or "key: value" lines (cpu.stat, memory.stat, /proc/<pid>/io): value of KEY, or -ENOENT / -EINVAL. */
int parse_keyed_u64(const char *buf, size_t len, const char *key, uint64_t *out);

/* /proc/meminfo "Key:   N kB" as bytes. */
int parse_meminfo(const char *buf, size_t len, const char *key, uint64_t *bytes);

/* v1 cpu.cfs_quota_us: microseconds per period, or -1 for no quota (*unlimited set). */
int parse_cfs_quota(const char *buf, size_t len, uint64_t *quota_us, bool *unlimited);

/* v2 cpu.max: "QUOTA PERIOD" in microseconds, QUOTA "max" for no quota (*unlimited set,
 * the period still read). */
int parse_cpu_max(const char *buf, size_t len, uint64_t *quota_us, uint64_t *period_us, bool *unlimited);

/* A quota of QUOTA_US every PERIOD_US as nano-CPUs (1e9 is one CPU, docker's NanoCpus),
 * rounded down; -EINVAL for a zero period, -ERANGE past UINT64_MAX - 1. */
int cpu_quota_nanocpus(uint64_t quota_us, uint64_t period_us, uint64_t *out);

/* A pressure file (cpu.pressure, memory.pressure, io.pressure, the files of /proc/pressure):
 * "some avg10=.. avg60=.. avg300=.. total=N" and "full ..." lines; total is the
 * microseconds stalled since the cgroup was made. A missing "full" line (cpu before
 * 5.13) leaves has_full false. */
struct psi_totals {
	uint64_t some_us, full_us;
	bool has_some, has_full;
};
int parse_psi(const char *buf, size_t len, struct psi_totals *out);

/* v1 blkio "MAJ:MIN Op N" files (throttle.io_service_bytes[_recursive], io_serviced...).
 * Sums Read and Write over devices; ndevices counts device lines seen. */
struct blkio_rw {
	uint64_t read;
	uint64_t write;
	unsigned ndevices;
};
int parse_blkio_rwstat(const char *buf, size_t len, struct blkio_rw *out);

/* v2 io.stat: "MAJ:MIN rbytes=.. wbytes=.. rios=.. wios=.. ..." summed over devices. */
struct io_stat {
	uint64_t rbytes;
	uint64_t wbytes;
	uint64_t rios;
	uint64_t wios;
	unsigned ndevices;
};
int parse_io_stat(const char *buf, size_t len, struct io_stat *out);

/* cgroup.procs / tasks: PIDs into *pids (sorted, duplicates removed; the kernel
 * lists them unsorted and may repeat a TGID). Returns the number of unique PIDs
 * or -errno. *pids is grown with realloc; *cap tracks its capacity. */
ssize_t parse_pid_list(const char *buf, size_t len, pid_t **pids, size_t *cap);

/* One line of /proc/self/mountinfo, fields unescaped (\040 etc.). */
struct mountinfo_entry {
	char *root;         /* field 4 */
	char *mount_point;  /* field 5 */
	char *fstype;       /* after the " - " separator */
	char *source;
	char *super_opts;   /* e.g. "rw,cpu,cpuacct" or "rw,name=systemd" */
};
typedef int (*mountinfo_cb)(const struct mountinfo_entry *e, void *userdata);
/* Calls CB for each well-formed line; malformed lines are skipped and counted in
 * *nbad (may be NULL). Returns 0, or CB's negative return value. */
int parse_mountinfo(const char *buf, size_t len, mountinfo_cb cb, void *userdata, unsigned *nbad);

/* /proc/<pid>/cgroup: "ID:CONTROLLERS:PATH" lines. CONTROLLERS is "" for v2. */
typedef int (*proc_cgroup_cb)(int hierarchy_id, const char *controllers, const char *path, void *userdata);
int parse_proc_cgroup(const char *buf, size_t len, proc_cgroup_cb cb, void *userdata);

/* /proc/cgroups: "#subsys_name hierarchy num_cgroups enabled". */
typedef int (*proc_cgroups_cb)(const char *name, int hierarchy, unsigned long num_cgroups, bool enabled, void *userdata);
int parse_proc_cgroups(const char *buf, size_t len, proc_cgroups_cb cb, void *userdata);

/* /proc/<pid>/io: read_bytes and write_bytes (bytes that reached the block layer). */
struct proc_io {
	uint64_t read_bytes;
	uint64_t write_bytes;
};
int parse_proc_io(const char *buf, size_t len, struct proc_io *out);

/* /proc/<pid>/stat. comm may hold spaces and parentheses: fields are found from
 * the last ')'. Times are in clock ticks, rss in pages. */
struct proc_stat {
	char comm[64];
	char state;
	int ppid;
	uint64_t utime, stime;
	long num_threads;
	uint64_t starttime;
	uint64_t rss_pages;
};
int parse_proc_stat(const char *buf, size_t len, struct proc_stat *out);

/* /proc/loadavg: the 1, 5, 15 minute loads and the number of tasks on the host. */
int parse_loadavg(const char *buf, size_t len, double load[3], uint64_t *ntasks);

/* /proc/<pid>/net/dev: receive and transmit bytes and packets summed over the interfaces
 * of a network namespace but the loopback ("lo"), which carries no traffic in or out of
 * it. NIFACES counts the interfaces summed. -EINVAL on a line that is not an interface's
 * or the two titles; -ERANGE when a sum does not fit in 64 bits. */
struct net_dev {
	uint64_t rx_bytes, rx_packets, tx_bytes, tx_packets;
	unsigned nifaces;
};
int parse_net_dev(const char *buf, size_t len, struct net_dev *out);

/* A namespace link's text, "net:[4026531840]" (readlink of /proc/<pid>/ns/net): its
 * inode when the type is TYPE. -EINVAL otherwise. */
int parse_ns_link(const char *buf, size_t len, const char *type, uint64_t *ino);

/* True when S (NUL-terminated) names controller CTL in a comma list ("rw,cpu,cpuacct"). */
bool opts_has(const char *list, const char *ctl);

#endif
