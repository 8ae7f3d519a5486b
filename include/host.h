/* Host-wide facts for the TUI's header and summary: host name, uptime, load, memory,
 * and the controllers /proc/cgroups lists. Read through the root handle. */
#ifndef CGTOP_HOST_H
#define CGTOP_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rootfs.h"
#include "util.h"

struct host_info {
	char hostname[256];      /* raw bytes (sanitize before display); "" when unknown */
	bool uptime_valid;
	double uptime_s;
	bool load_valid;
	double load[3];
	bool memtotal_valid;
	uint64_t memtotal;       /* bytes, MemTotal of /proc/meminfo */
	int ncpus;               /* online CPUs of this machine (sysconf), 0 when unknown */
	/* /proc/pressure/{cpu,memory,io}: the "some" total (microseconds stalled), when it
	 * was read, and the share of the time since the previous reading (host_psi_share) */
	uint64_t psi_read_ns;
	bool psi_total_valid[3];
	uint64_t psi_some_us[3];
	bool psi_share_valid[3];
	double psi_some_percent[3];
};

/* The host name of root R into OUT: R/proc/sys/kernel/hostname, else R/etc/hostname,
 * else (the live root only) gethostname(); "" when none says. Raw bytes: sanitize before
 * writing it anywhere. */
void host_name_read(const struct rootfs *r, char *out, size_t outlen, struct buf *scratch);

/* Fill HI from ROOT/proc/sys/kernel/hostname (else ROOT/etc/hostname), /proc/uptime,
 * /proc/loadavg and /proc/meminfo. Fields that cannot be read are left invalid. */
void host_info_read(const struct rootfs *r, struct host_info *hi, struct buf *scratch);

/* The share of the time between PREV's reading and CUR's in which some tasks of the
 * host were stalled on cpu, memory, io (percent), into CUR: from the totals of
 * /proc/pressure, not the kernel's averages, as the rows' pressure is. */
void host_psi_share(struct host_info *cur, const struct host_info *prev);

/* One line of /proc/cgroups. */
struct host_controller {
	char name[64];
	int hierarchy;
	unsigned long num_cgroups;
	bool enabled;
	bool on_v2;   /* listed in the cgroup2 root's cgroup.controllers */
};

/* The controllers of ROOT/proc/cgroups into *OUT (an array the caller frees), each
 * marked when the cgroup2 root at V2_MOUNT (NULL: none) offers it.
 * Returns how many, or -errno. */
ssize_t host_read_controllers(const struct rootfs *r, const char *v2_mount, struct host_controller **out);

#endif
