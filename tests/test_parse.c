/* Unit tests of the kernel file parsers, on contents taken from real hosts. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"
#include "util.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void test_u64(void **state)
{
	uint64_t v = 0;
	bool unl = false;

	assert_int_equal(parse_u64(S("54448000123\n"), &v), 0);
	assert_int_equal(v, 54448000123ull);
	assert_int_equal(parse_u64(S("18446744073709551615\n"), &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64(S("18446744073709551616\n"), &v), -ERANGE);
	assert_int_equal(parse_u64(S(""), &v), -EINVAL);
	assert_int_equal(parse_u64(S("12 34\n"), &v), -EINVAL);
	assert_int_equal(parse_u64(S("-1\n"), &v), -EINVAL);
	assert_int_equal(parse_u64(S("12abc"), &v), -EINVAL);
	/* not NUL-terminated: only LEN bytes count */
	assert_int_equal(parse_u64("4096999", 4, &v), 0);
	assert_int_equal(v, 4096);

	assert_int_equal(parse_u64_or_max(S("max\n"), &v, &unl), 0);
	assert_true(unl);
	assert_int_equal(parse_u64_or_max(S("1073741824\n"), &v, &unl), 0);
	assert_false(unl);
	assert_int_equal(v, 1073741824);
	assert_int_equal(parse_u64_or_max(S("maximum\n"), &v, &unl), -EINVAL);
}

/* cpu.stat of this machine's cgroup2 root */
static const char cpu_stat[] = "usage_usec 54448000\nuser_usec 29376000\nsystem_usec 25072000\n"
			       "nice_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n";

/* memory.stat (v1) of a RHEL 7 style cgroup, trimmed */
static const char memstat_v1[] =
	"cache 20799488\nrss 2846720\nrss_huge 0\nshmem 9097216\nmapped_file 7569408\n"
	"inactive_anon 9129984\nactive_anon 2813952\ninactive_file 4567040\nactive_file 7135232\n"
	"hierarchical_memory_limit 9223372036854771712\n"
	"total_cache 231698432\ntotal_rss 2846720\ntotal_inactive_file 104857600\n"
	"total_active_file 7135232\n";

static void test_keyed(void **state)
{
	uint64_t v;

	assert_int_equal(parse_keyed_u64(S(cpu_stat), "usage_usec", &v), 0);
	assert_int_equal(v, 54448000);
	assert_int_equal(parse_keyed_u64(S(cpu_stat), "system_usec", &v), 0);
	assert_int_equal(v, 25072000);
	assert_int_equal(parse_keyed_u64(S(cpu_stat), "usage", &v), -ENOENT);
	/* a key that is a suffix or prefix of another must not match it */
	assert_int_equal(parse_keyed_u64(S(memstat_v1), "inactive_file", &v), 0);
	assert_int_equal(v, 4567040);
	assert_int_equal(parse_keyed_u64(S(memstat_v1), "total_inactive_file", &v), 0);
	assert_int_equal(v, 104857600);
	assert_int_equal(parse_keyed_u64(S(memstat_v1), "cache", &v), 0);
	assert_int_equal(v, 20799488);
	assert_int_equal(parse_keyed_u64(S("usage_usec abc\n"), "usage_usec", &v), -EINVAL);
	/* meminfo: "Key:   value kB", in bytes */
	assert_int_equal(parse_meminfo(S("MemTotal:       24559484 kB\nMemAvailable:   23000000 kB\n"),
				       "MemAvailable", &v), 0);
	assert_int_equal(v, 23000000ull * 1024);
	assert_int_equal(parse_meminfo(S("MemTotal:       24559484 kB\n"), "MemFree", &v), -ENOENT);
	assert_int_equal(parse_meminfo(S("MemTotal: lots kB\n"), "MemTotal", &v), -EINVAL);
}

static void test_proc_io(void **state)
{
	struct proc_io io;

	assert_int_equal(parse_proc_io(S("rchar: 6976\nwchar: 0\nsyscr: 10\nsyscw: 0\nread_bytes: 4096\n"
					 "write_bytes: 33554432\ncancelled_write_bytes: 0\n"), &io), 0);
	assert_int_equal(io.read_bytes, 4096);
	assert_int_equal(io.write_bytes, 33554432);
	assert_int_equal(parse_proc_io(S("rchar: 1\n"), &io), -ENOENT);
}

/* blkio.throttle.io_service_bytes_recursive with two devices, as the kernel writes it */
static const char blkio_bytes[] = "7:0 Read 16777216\n7:0 Write 33554432\n7:0 Sync 50331648\n"
				  "7:0 Async 0\n7:0 Discard 0\n7:0 Total 50331648\n"
				  "8:0 Read 4096\n8:0 Write 0\n8:0 Sync 4096\n8:0 Async 0\n"
				  "8:0 Discard 0\n8:0 Total 4096\nTotal 50335744\n";

static void test_blkio(void **state)
{
	struct blkio_rw b;

	assert_int_equal(parse_blkio_rwstat(S(blkio_bytes), &b), 0);
	assert_int_equal(b.read, 16777216 + 4096);
	assert_int_equal(b.write, 33554432);
	assert_int_equal(b.ndevices, 2);
	/* a cgroup the kernel does not count in: only the grand total */
	assert_int_equal(parse_blkio_rwstat(S("Total 0\n"), &b), 0);
	assert_int_equal(b.ndevices, 0);
	assert_int_equal(b.read + b.write, 0);
	assert_int_equal(parse_blkio_rwstat(S(""), &b), 0);
	assert_int_equal(parse_blkio_rwstat(S("8:0 Read lots\n"), &b), -EINVAL);
	assert_int_equal(parse_blkio_rwstat(S("garbage here\n"), &b), -EINVAL);
	assert_int_equal(parse_blkio_rwstat(S("8: Read 1\n"), &b), -EINVAL);

}

/* FILE of a fixture tree (relative to tests/fixtures) into B; fails the test if missing. */
static void fixture(const char *file, struct buf *b)
{
	char path[4096];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, file);
	f = fopen(path, "r");
	if (!f)
		fail_msg("no fixture %s", path);
	buf_reserve(b, 65536);
	n = fread(b->data, 1, b->cap - 1, f);
	fclose(f);
	b->len = n;
	b->data[n] = '\0';
}

#define RHEL7_CEPH "rhel7/sys/fs/cgroup/cpu,cpuacct/system.slice/docker-b2a5531d8b296cc72d3c009e756e4ff3c9aa7c36171f79b93a512e4b65402f13.scope"
#define V2_POD "v2/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f1e2d4c_8b7a_4e5f_9a6b_1c2d3e4f5a6b.slice"

static void test_cpu_limit(void **state)
{
	struct buf b = { 0 };
	uint64_t q = 0, p = 0, n = 0;
	bool unl = false;

	(void)state;
	/* v1: cpu.cfs_quota_us, -1 for none (RHEL 7's ceph-mon runs with --cpu-quota=100000) */
	fixture(RHEL7_CEPH "/cpu.cfs_quota_us", &b);
	assert_int_equal(parse_cfs_quota(b.data, b.len, &q, &unl), 0);
	assert_false(unl);
	assert_int_equal(q, 100000);
	fixture(RHEL7_CEPH "/cpu.cfs_period_us", &b);
	assert_int_equal(parse_u64(b.data, b.len, &p), 0);
	assert_int_equal(p, 100000);
	fixture("v1split/sys/fs/cgroup/cpu/cpu.cfs_quota_us", &b);
	assert_int_equal(parse_cfs_quota(b.data, b.len, &q, &unl), 0);
	assert_true(unl);
	assert_int_equal(parse_cfs_quota(S("-2\n"), &q, &unl), -EINVAL);
	assert_int_equal(parse_cfs_quota(S("-1 1\n"), &q, &unl), -EINVAL);
	assert_int_equal(parse_cfs_quota(S(""), &q, &unl), -EINVAL);

	/* v2: cpu.max, "max PERIOD" for none */
	fixture(V2_POD "/cpu.max", &b);
	assert_int_equal(parse_cpu_max(b.data, b.len, &q, &p, &unl), 0);
	assert_false(unl);
	assert_int_equal(q, 50000);
	assert_int_equal(p, 100000);
	assert_int_equal(parse_cpu_max(S("max 100000\n"), &q, &p, &unl), 0);
	assert_true(unl);
	assert_int_equal(p, 100000);
	assert_int_equal(parse_cpu_max(S("max\n"), &q, &p, &unl), -EINVAL);
	assert_int_equal(parse_cpu_max(S("50000 0\n"), &q, &p, &unl), -EINVAL);
	assert_int_equal(parse_cpu_max(S("maxi 100000\n"), &q, &p, &unl), -EINVAL);
	assert_int_equal(parse_cpu_max(S("50000 100000 7\n"), &q, &p, &unl), -EINVAL);
	assert_int_equal(parse_cpu_max(S("50000100000\n"), &q, &p, &unl), -EINVAL);

	/* as CPUs, docker's NanoCpus: --cpus=0.2 is 20000/100000 */
	assert_int_equal(cpu_quota_nanocpus(20000, 100000, &n), 0);
	assert_int_equal(n, 200000000);
	assert_int_equal(cpu_quota_nanocpus(50000, 100000, &n), 0);
	assert_int_equal(n, 500000000);
	assert_int_equal(cpu_quota_nanocpus(150000, 50000, &n), 0);
	assert_int_equal(n, 3000000000ull);
	assert_int_equal(cpu_quota_nanocpus(1, 3, &n), 0);
	assert_int_equal(n, 333333333);
	assert_int_equal(cpu_quota_nanocpus(1, 0, &n), -EINVAL);
	assert_int_equal(cpu_quota_nanocpus(UINT64_MAX - 1, 1, &n), -ERANGE);
	assert_int_equal(cpu_quota_nanocpus(UINT64_MAX - 1, UINT64_MAX, &n), 0);
	assert_int_equal(n, 999999999);
	buf_free(&b);
}

static void test_throttling_and_events(void **state)
{
	struct buf b = { 0 };
	uint64_t v = 0;

	(void)state;
	/* cpu.stat: v1 counts throttled time in ns, v2 in usec */
	fixture(RHEL7_CEPH "/cpu.stat", &b);
	assert_int_equal(parse_keyed_u64(b.data, b.len, "nr_periods", &v), 0);
	assert_int_equal(v, 1003117);
	assert_int_equal(parse_keyed_u64(b.data, b.len, "nr_throttled", &v), 0);
	assert_int_equal(v, 41229);
	assert_int_equal(parse_keyed_u64(b.data, b.len, "throttled_time", &v), 0);
	assert_int_equal(v, 2871530117902ull);
	fixture(V2_POD "/cri-containerd-7e77b80f286829fb960d9389484c796b072dd8385148d1a0e07d870dde60a722.scope/cpu.stat", &b);
	assert_int_equal(parse_keyed_u64(b.data, b.len, "throttled_usec", &v), 0);
	assert_int_equal(v, 1902553660);
	/* v1 memory.oom_control: RHEL 7's 3.10 has no oom_kill line (then '-', not 0) */
	fixture("rhel7/sys/fs/cgroup/memory/memory.oom_control", &b);
	assert_int_equal(parse_keyed_u64(b.data, b.len, "oom_kill", &v), -ENOENT);
	assert_int_equal(parse_keyed_u64(b.data, b.len, "under_oom", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_keyed_u64(S("oom_kill_disable 0\nunder_oom 1\noom_kill 2\n"), "oom_kill", &v), 0);
	assert_int_equal(v, 2);
	/* v2 memory.events: max and oom_kill, not oom_group_kill */
	fixture(V2_POD "/cri-containerd-7e77b80f286829fb960d9389484c796b072dd8385148d1a0e07d870dde60a722.scope/memory.events", &b);
	assert_int_equal(parse_keyed_u64(b.data, b.len, "max", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(parse_keyed_u64(b.data, b.len, "oom_kill", &v), 0);
	assert_int_equal(v, 1);
	/* pids.events */
	assert_int_equal(parse_keyed_u64(S("max 17\n"), "max", &v), 0);
	assert_int_equal(v, 17);
	buf_free(&b);
}

static void test_psi(void **state)
{
	struct buf b = { 0 };
	struct psi_totals t;

	(void)state;
	fixture("hybrid/sys/fs/cgroup/unified/cpu.pressure", &b);
	assert_int_equal(parse_psi(b.data, b.len, &t), 0);
	assert_true(t.has_some && t.has_full);
	assert_int_equal(t.some_us, 3566868);
	assert_int_equal(t.full_us, 1188956);
	/* cgroup cpu.pressure before 5.13: no full line */
	assert_int_equal(parse_psi(S("some avg10=1.50 avg60=0.20 avg300=0.05 total=123456\n"), &t), 0);
	assert_true(t.has_some);
	assert_false(t.has_full);
	assert_int_equal(t.some_us, 123456);
	/* the averages are not read, their form not checked; total must be a number */
	assert_int_equal(parse_psi(S("some avg10=x total=5\nfull total=3"), &t), 0);
	assert_int_equal(t.full_us, 3);
	assert_int_equal(parse_psi(S("some avg10=1.00\n"), &t), -EINVAL);
	assert_int_equal(parse_psi(S("some total=12x\n"), &t), -EINVAL);
	assert_int_equal(parse_psi(S("full total=1\n"), &t), -EINVAL);
	assert_int_equal(parse_psi(S("some total=1\nsome total=2\n"), &t), -EINVAL);
	assert_int_equal(parse_psi(S("most total=1\n"), &t), -EINVAL);
	assert_int_equal(parse_psi(S("some total\n"), &t), -EINVAL);
	assert_int_equal(parse_psi(S(""), &t), -EINVAL);
	buf_free(&b);
}

static void test_io_stat(void **state)
{
	struct io_stat io;

	assert_int_equal(parse_io_stat(S("8:0 rbytes=1024 wbytes=2048 rios=1 wios=2 dbytes=0 dios=0\n"
					 "253:0 rbytes=4096 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n"), &io), 0);
	assert_int_equal(io.rbytes, 5120);
	assert_int_equal(io.wbytes, 2048);
	assert_int_equal(io.rios, 2);
	assert_int_equal(io.wios, 2);
	assert_int_equal(io.ndevices, 2);
	/* io.cost and io.latency add keys that are not plain counters */
	assert_int_equal(parse_io_stat(S("8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0 cost.vrate=100.00 "
					 "cost.usage=42 depth=1 avg_lat=2 win=3\n"), &io), 0);
	assert_int_equal(io.rbytes, 1);
	assert_int_equal(io.wios, 4);
	assert_int_equal(parse_io_stat(S(""), &io), 0);
	assert_int_equal(io.ndevices, 0);
	assert_int_equal(parse_io_stat(S("8:0 rbytes=x\n"), &io), -EINVAL);
	assert_int_equal(parse_io_stat(S("sda rbytes=1\n"), &io), -EINVAL);
}

static void test_net_dev(void **state)
{
	struct net_dev d;
	uint64_t ino;

	/* this machine's /proc/net/dev (kernel 6.x): lo is left out, ifb0/ifb1 count as
	 * interfaces with no traffic */
	assert_int_equal(parse_net_dev(S("Inter-|   Receive                                                |  Transmit\n"
					 " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
					 "    lo: 2042343    3557    0    0    0     0          0         0  2042343    3557    0    0    0     0       0          0\n"
					 "  ifb0:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n"
					 "  ifb1:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n"
					 "  eth0: 210481979    6046    0    0    0     0          0         0   258769    2957    0    0    0     0       0          0\n"),
				       &d), 0);
	assert_int_equal(d.rx_bytes, 210481979);
	assert_int_equal(d.rx_packets, 6046);
	assert_int_equal(d.tx_bytes, 258769);
	assert_int_equal(d.tx_packets, 2957);
	assert_int_equal(d.nifaces, 3);
	/* a container's namespace with two interfaces, one name of 15 characters that
	 * fills the column ("name:" then the number with no space, as older kernels wrote) */
	assert_int_equal(parse_net_dev(S("Inter-|   Receive                                                |  Transmit\n"
					 " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
					 "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n"
					 "  eth0:    1066      11    0    0    0     0          0         0      936      10    0    0    0     0       0          0\n"
					 "cgtopveth012345:1000000 1000 0 0 0 0 0 0 2000000 2000 0 0 0 0 0 0\n"),
				       &d), 0);
	assert_int_equal(d.rx_bytes, 1001066);
	assert_int_equal(d.rx_packets, 1011);
	assert_int_equal(d.tx_bytes, 2000936);
	assert_int_equal(d.tx_packets, 2010);
	assert_int_equal(d.nifaces, 2);
	/* only lo (a --net=none container): nothing to sum, no error */
	assert_int_equal(parse_net_dev(S("    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0\n"), &d), 0);
	assert_int_equal(d.nifaces, 0);
	assert_int_equal(d.rx_bytes, 0);
	assert_int_equal(parse_net_dev(S(""), &d), 0);
	/* damage */
	assert_int_equal(parse_net_dev(S("  eth0: 1 2 3\n"), &d), -EINVAL);
	assert_int_equal(parse_net_dev(S("  eth0 1 2 3 4 5 6 7 8 9 10\n"), &d), -EINVAL);
	assert_int_equal(parse_net_dev(S("  eth0: 1 2 3 4 5 6 7 8 9x 10\n"), &d), -EINVAL);
	assert_int_equal(parse_net_dev(S(": 1 2 3 4 5 6 7 8 9 10\n"), &d), -EINVAL);
	assert_int_equal(parse_net_dev(S("  eth0: 18446744073709551615 0 0 0 0 0 0 0 0 0\n"
					 "  eth1: 1 0 0 0 0 0 0 0 0 0\n"), &d), -ERANGE);
	/* the namespace links */
	assert_int_equal(parse_ns_link(S("net:[4026531833]"), "net", &ino), 0);
	assert_int_equal(ino, 4026531833u);
	assert_int_equal(parse_ns_link(S("net:[4026532200]\n"), "net", &ino), 0);
	assert_int_equal(ino, 4026532200u);
	assert_int_equal(parse_ns_link(S("mnt:[4026531841]"), "net", &ino), -EINVAL);
	assert_int_equal(parse_ns_link(S("net:[]"), "net", &ino), -EINVAL);
	assert_int_equal(parse_ns_link(S("net:[12"), "net", &ino), -EINVAL);
	assert_int_equal(parse_ns_link(S("net:[12]x"), "net", &ino), -EINVAL);
	assert_int_equal(parse_ns_link(S("net"), "net", &ino), -EINVAL);
}

static void test_pid_list(void **state)
{
	pid_t *pids = NULL;
	size_t cap = 0;

	/* unsorted, with a duplicate TGID, as the kernel documentation allows */
	assert_int_equal(parse_pid_list(S("9682\n8102\n579839\n8102\n633107\n"), &pids, &cap), 4);
	assert_int_equal(pids[0], 8102);
	assert_int_equal(pids[1], 9682);
	assert_int_equal(pids[2], 579839);
	assert_int_equal(pids[3], 633107);
	assert_int_equal(parse_pid_list(S(""), &pids, &cap), 0);
	assert_int_equal(parse_pid_list(S("1\n2\nx\n"), &pids, &cap), -EINVAL);
	assert_int_equal(parse_pid_list(S("0\n"), &pids, &cap), -EINVAL);
	free(pids);
}

struct seen {
	char mp[16][128];
	char fstype[16][16];
	char opts[16][128];
	int n;
};

static int collect_mount(const struct mountinfo_entry *e, void *ud)
{
	struct seen *s = ud;

	if (s->n < 16) {
		snprintf(s->mp[s->n], sizeof(s->mp[0]), "%s", e->mount_point);
		snprintf(s->fstype[s->n], sizeof(s->fstype[0]), "%s", e->fstype);
		snprintf(s->opts[s->n], sizeof(s->opts[0]), "%s", e->super_opts);
		s->n++;
	}
	return 0;
}

static void test_mountinfo(void **state)
{
	static const char mi[] =
		"22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
		"31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
		"25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:8 - cgroup cgroup rw,cpuacct,cpu\n"
		"39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime shared:3 master:1 - cgroup cgroup rw,xattr,name=systemd\n"
		"40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
		"41 22 0:40 / /mnt/with\\040space rw - tmpfs tmp\\040fs rw\n"
		"this line is garbage\n";
	struct seen s = { .n = 0 };
	unsigned bad = 0;

	assert_int_equal(parse_mountinfo(S(mi), collect_mount, &s, &bad), 0);
	assert_int_equal(s.n, 6);
	assert_int_equal(bad, 1);
	assert_string_equal(s.mp[1], "/sys/fs/cgroup/cpu");
	assert_string_equal(s.fstype[2], "cgroup");
	assert_string_equal(s.opts[2], "rw,cpuacct,cpu");
	assert_string_equal(s.opts[3], "rw,xattr,name=systemd");
	assert_string_equal(s.fstype[4], "cgroup2");
	assert_string_equal(s.mp[5], "/mnt/with space");
	assert_true(opts_has("rw,cpuacct,cpu", "cpu"));
	assert_true(opts_has("rw,cpuacct,cpu", "cpuacct"));
	assert_false(opts_has("rw,cpuacct", "cpu"));
}

struct pcg {
	int ids[16];
	char ctl[16][64];
	char path[16][160];
	int n;
};

static int collect_pcg(int id, const char *ctl, const char *path, void *ud)
{
	struct pcg *p = ud;

	if (p->n < 16) {
		p->ids[p->n] = id;
		snprintf(p->ctl[p->n], sizeof(p->ctl[0]), "%s", ctl);
		snprintf(p->path[p->n], sizeof(p->path[0]), "%s", path);
		p->n++;
	}
	return 0;
}

static void test_proc_cgroup(void **state)
{
	/* /proc/8102/cgroup from the seed notes (RHEL 7), plus a v2 line */
	static const char pc[] =
		"11:devices:/system.slice/docker-b25aa6e03826d42d0d4ad6788365cc7e1db006f24278c57cc4160f5fd1b19d2a.scope\n"
		"10:net_prio,net_cls:/system.slice/docker-b25aa6e03826d42d0d4ad6788365cc7e1db006f24278c57cc4160f5fd1b19d2a.scope\n"
		"2:cpuacct,cpu:/system.slice/docker-b25aa6e03826d42d0d4ad6788365cc7e1db006f24278c57cc4160f5fd1b19d2a.scope\n"
		"1:name=systemd:/system.slice/docker-b25aa6e03826d42d0d4ad6788365cc7e1db006f24278c57cc4160f5fd1b19d2a.scope\n"
		"0::/user.slice/with:colon\n";
	struct pcg p = { .n = 0 };

	assert_int_equal(parse_proc_cgroup(S(pc), collect_pcg, &p), 0);
	assert_int_equal(p.n, 5);
	assert_int_equal(p.ids[0], 11);
	assert_string_equal(p.ctl[2], "cpuacct,cpu");
	assert_string_equal(p.ctl[3], "name=systemd");
	assert_string_equal(p.path[3],
			    "/system.slice/docker-b25aa6e03826d42d0d4ad6788365cc7e1db006f24278c57cc4160f5fd1b19d2a.scope");
	assert_int_equal(p.ids[4], 0);
	assert_string_equal(p.ctl[4], "");
	assert_string_equal(p.path[4], "/user.slice/with:colon");
	p.n = 0;
	assert_int_equal(parse_proc_cgroup(S("garbage\n"), collect_pcg, &p), -EINVAL);
	assert_int_equal(parse_proc_cgroup(S(""), collect_pcg, &p), -EINVAL);
	assert_int_equal(parse_proc_cgroup(S("x:cpu:/a\n"), collect_pcg, &p), -EINVAL);
}

struct pcgs {
	char name[16][32];
	int hier[16];
	unsigned long num[16];
	bool en[16];
	int n;
};

static int collect_pcgs(const char *name, int hier, unsigned long num, bool en, void *ud)
{
	struct pcgs *p = ud;

	if (p->n < 16) {
		snprintf(p->name[p->n], sizeof(p->name[0]), "%s", name);
		p->hier[p->n] = hier;
		p->num[p->n] = num;
		p->en[p->n] = en;
		p->n++;
	}
	return 0;
}

static void test_proc_cgroups(void **state)
{
	/* from the seed notes, with memory disabled as cgroup_disable=memory leaves it */
	static const char pc[] = "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
				 "cpuset\t5\t60\t1\ncpu\t2\t260\t1\ncpuacct\t2\t260\t1\n"
				 "memory\t0\t1\t0\nhugetlb\t8\t60\t1\n";
	struct pcgs p = { .n = 0 };

	assert_int_equal(parse_proc_cgroups(S(pc), collect_pcgs, &p), 0);
	assert_int_equal(p.n, 5);
	assert_string_equal(p.name[1], "cpu");
	assert_int_equal(p.hier[1], 2);
	assert_int_equal(p.num[1], 260);
	assert_string_equal(p.name[3], "memory");
	assert_false(p.en[3]);
	assert_true(p.en[4]);
	assert_int_equal(parse_proc_cgroups(S("cpu two 3 1\n"), collect_pcgs, &p), -EINVAL);
}

static void test_proc_stat(void **state)
{
	struct proc_stat st;
	double load[3];
	uint64_t n;

	assert_int_equal(parse_proc_stat(S("18096 (head) R 18091 18091 1170 0 -1 4194304 102 0 0 0 7 3 0 0 20 0 "
					   "1 0 47815 2998272 422 18446744073709551615 94337201070080\n"), &st), 0);
	assert_string_equal(st.comm, "head");
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.ppid, 18091);
	assert_int_equal(st.utime, 7);
	assert_int_equal(st.stime, 3);
	assert_int_equal(st.num_threads, 1);
	assert_int_equal(st.starttime, 47815);
	assert_int_equal(st.rss_pages, 422);
	/* a comm with spaces and parentheses: fields come after the last ')' */
	assert_int_equal(parse_proc_stat(S("42 (a) b (c)) S 1 42 42 0 -1 0 0 0 0 0 5 6 0 0 20 0 "
					   "3 0 100 0 7 0\n"), &st), 0);
	assert_string_equal(st.comm, "a) b (c)");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.num_threads, 3);
	assert_int_equal(st.rss_pages, 7);
	assert_int_equal(parse_proc_stat(S("42 (x) S 1 2\n"), &st), -EINVAL);
	assert_int_equal(parse_proc_stat(S("no parens"), &st), -EINVAL);

	assert_int_equal(parse_loadavg(S("1.69 0.76 0.34 4/98 18097\n"), load, &n), 0);
	assert_int_equal(n, 98);
	assert_true(load[0] > 1.68 && load[0] < 1.70);
	assert_int_equal(parse_loadavg(S("1.69\n"), load, &n), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),        cmocka_unit_test(test_keyed),
		cmocka_unit_test(test_cpu_limit),  cmocka_unit_test(test_throttling_and_events),
		cmocka_unit_test(test_psi),
		cmocka_unit_test(test_proc_io),    cmocka_unit_test(test_blkio),
		cmocka_unit_test(test_io_stat),    cmocka_unit_test(test_pid_list),
		cmocka_unit_test(test_net_dev),
		cmocka_unit_test(test_mountinfo),  cmocka_unit_test(test_proc_cgroup),
		cmocka_unit_test(test_proc_cgroups), cmocka_unit_test(test_proc_stat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
