/* The sampler on small trees built here: figures and rates from two snapshots, checked
 * to the exact expected value, and the bad cases (vanished, recreated, garbage). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sampler.h"
#include "testtree.h"

#define SEC 1000000000ull
#define MIB (1024ull * 1024ull)
#define MI_ROOT "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"

/* This machine's layout: cpu and cpuacct apart, plus name=systemd and an empty unified. */
static const char mi_split[] = MI_ROOT
	"31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
	"32 30 0:29 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct\n"
	"34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
	"37 30 0:34 / /sys/fs/cgroup/blkio rw - cgroup cgroup rw,blkio\n"
	"38 30 0:35 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
	"39 30 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n";

#define DOCKER "/system.slice/docker-b25aa6e03826d42d0d4ad6788365cc7e1db006f24278c57cc4160f5fd1b19d2a.scope"

struct fx {
	char *root;
	struct rootfs r;
	struct cg_hierarchies hs;
	struct notes notes;
	struct sampler *s;
};

static void cg(struct fx *f, const char *hier, const char *path, const char *file, const char *content)
{
	char rel[1024];

	snprintf(rel, sizeof(rel), "sys/fs/cgroup/%s%s/%s", hier, path, file);
	tt_write(f->root, rel, content);
}

static void fx_open(struct fx *f, unsigned max_depth)
{
	struct sampler_options o = { .max_depth = max_depth, .memory_stat = true };

	assert_int_equal(rootfs_open(&f->r, f->root), 0);
	assert_int_equal(hierarchies_discover(&f->r, false, &f->hs, &f->notes), 0);
	f->s = sampler_new(&f->r, &f->hs, &o, &f->notes);
}

static void fx_close(struct fx *f)
{
	sampler_free(f->s);
	hierarchies_free(&f->hs);
	notes_free(&f->notes);
	rootfs_close(&f->r);
	tt_remove(f->root);
}

static const struct cg_row *row(const struct snapshot *s, const char *path)
{
	ssize_t i = snapshot_find(s, path);

	if (i < 0)
		fail_msg("no row %s", path);
	return &s->rows[i];
}

/* A v1 host with a docker scope: every figure of the first sample. */
static void build_v1(struct fx *f)
{
	f->root = tt_new();
	tt_write(f->root, "proc/self/mountinfo", mi_split);
	tt_write(f->root, "proc/loadavg", "0.50 0.40 0.30 2/311 4242\n");
	for (const char *const *h = (const char *const[]){ "cpu", "cpuacct", "memory", "blkio", "pids", "systemd", NULL }; *h; h++) {
		cg(f, *h, "", "cgroup.procs", "1\n");
		cg(f, *h, "/system.slice", "cgroup.procs", "");
		cg(f, *h, DOCKER, "cgroup.procs", "8102\n9682\n8102\n");
	}
	cg(f, "cpuacct", "", "cpuacct.usage", "900000000000\n");
	cg(f, "cpuacct", "/system.slice", "cpuacct.usage", "500000000000\n");
	cg(f, "cpuacct", DOCKER, "cpuacct.usage", "120000000000\n");
	cg(f, "memory", DOCKER, "memory.usage_in_bytes", "231698432\n");
	cg(f, "memory", DOCKER, "memory.limit_in_bytes", "9223372036854771712\n");
	cg(f, "memory", DOCKER, "memory.stat",
	   "cache 1000\nrss 2000\ninactive_file 5\ntotal_cache 104857600\ntotal_rss 125000000\n"
	   "total_inactive_file 52428800\ntotal_active_file 52428800\n");
	cg(f, "memory", "/system.slice", "memory.usage_in_bytes", "1073741824\n");
	cg(f, "memory", "/system.slice", "memory.limit_in_bytes", "2147483648\n");
	cg(f, "memory", "/system.slice", "memory.stat", "total_cache 0\ntotal_inactive_file 0\n");
	cg(f, "blkio", "", "blkio.throttle.io_service_bytes_recursive", "Total 0\n");
	cg(f, "blkio", "/system.slice", "blkio.throttle.io_service_bytes_recursive", "Total 0\n");
	cg(f, "pids", DOCKER, "pids.current", "11\n");
	cg(f, "pids", "/system.slice", "pids.current", "40\n");
	/* the kernel counts the docker scope's I/O (a throttle rule on 7:0): it lists the device */
	cg(f, "blkio", DOCKER, "blkio.throttle.io_service_bytes_recursive",
	   "7:0 Read 16777216\n7:0 Write 33554432\n7:0 Sync 0\n7:0 Async 0\n7:0 Discard 0\n7:0 Total 50331648\nTotal 50331648\n");
	cg(f, "blkio", DOCKER, "blkio.throttle.io_serviced_recursive",
	   "7:0 Read 32\n7:0 Write 64\n7:0 Total 96\nTotal 96\n");
}

static void test_v1_first_sample(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	const struct cg_row *d;

	build_v1(&f);
	fx_open(&f, ~0u);
	s = sampler_refresh(f.s, 10 * SEC, 1795338900ull * SEC);
	assert_int_equal(s->n, 3);
	d = row(s, DOCKER);
	assert_int_equal(d->depth, 2);
	assert_true(row_has(d, F_TASKS));
	assert_int_equal(d->tasks, 11);                  /* pids.current */
	assert_int_equal(d->cpu_ns, 120000000000ull);
	assert_int_equal(d->mem_usage, 231698432);
	assert_int_equal(d->mem_ws, 231698432 - 52428800); /* usage - total_inactive_file */
	assert_int_equal(d->mem_cache, 104857600);
	assert_true(row_has(d, F_MEM_LIMIT));
	assert_true(d->mem_limit == UINT64_MAX);          /* the v1 "no limit" value */
	assert_int_equal(d->io_rbytes, 16777216);
	assert_int_equal(d->io_wbytes, 33554432);
	assert_int_equal(d->io_rios, 32);
	assert_int_equal(d->io_wios, 64);
	assert_int_equal(d->io_source, IO_SRC_THROTTLE);
	/* rates need two samples */
	assert_false(row_has(d, F_CPU_RATE));
	assert_false(row_has(d, F_IO_WBPS));
	assert_int_equal(row(s, "/system.slice")->mem_limit, 2147483648ull);
	/* "/" has no pids.current: /proc/loadavg's task count, like systemd-cgtop */
	assert_int_equal(row(s, "/")->tasks, 311);
	/* "/" has no memory.usage_in_bytes in this tree: unknown, not 0 */
	assert_false(row_has(row(s, "/"), F_MEM_USAGE));
	fx_close(&f);
}

static void test_v1_rates(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	const struct cg_row *d;

	build_v1(&f);
	fx_open(&f, ~0u);
	sampler_refresh(f.s, 10 * SEC, 0);
	/* two seconds later: +1 s of CPU, +4 MiB written in 8 requests, +2 MiB read in 4 */
	cg(&f, "cpuacct", DOCKER, "cpuacct.usage", "121000000000\n");
	cg(&f, "cpuacct", "/system.slice", "cpuacct.usage", "503000000000\n");
	cg(&f, "blkio", DOCKER, "blkio.throttle.io_service_bytes_recursive",
	   "7:0 Read 18874368\n7:0 Write 37748736\n7:0 Total 0\nTotal 0\n");
	cg(&f, "blkio", DOCKER, "blkio.throttle.io_serviced_recursive", "7:0 Read 36\n7:0 Write 72\nTotal 108\n");
	s = sampler_refresh(f.s, 12 * SEC, 0);
	assert_int_equal(s->interval_ns, 2 * SEC);
	d = row(s, DOCKER);
	assert_true(row_has(d, F_CPU_RATE));
	assert_float_equal(d->cpu_percent, 50.0, 1e-9);
	assert_float_equal(row(s, "/system.slice")->cpu_percent, 150.0, 1e-9);
	assert_float_equal(d->io_rbps, 1.0 * MIB, 1e-6);
	assert_float_equal(d->io_wbps, 2.0 * MIB, 1e-6);
	assert_float_equal(d->io_riops, 2.0, 1e-9);
	assert_float_equal(d->io_wiops, 4.0, 1e-9);
	fx_close(&f);
}

/* A clock that moves only when asked: each read of a counter is stamped one step later. */
static uint64_t fake_now;
static uint64_t fake_clock(void)
{
	return fake_now;
}

/* Rates use the times each counter was read, not the refresh's start: in a long walk a
 * cgroup read late once and early the next time must not look busier or idler. */
static void test_rates_use_read_times(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;

	build_v1(&f);
	assert_int_equal(rootfs_open(&f.r, f.root), 0);
	assert_int_equal(hierarchies_discover(&f.r, false, &f.hs, &f.notes), 0);
	f.s = sampler_new(&f.r, &f.hs, &(struct sampler_options){ .max_depth = ~0u, .clock = fake_clock }, &f.notes);
	fake_now = 100 * SEC;
	sampler_refresh(f.s, 10 * SEC, 0);
	cg(&f, "cpuacct", DOCKER, "cpuacct.usage", "121000000000\n");
	fake_now = 101 * SEC; /* the counters are read 1 s apart, the refreshes began 2 s apart */
	s = sampler_refresh(f.s, 12 * SEC, 0);
	assert_int_equal(row(s, DOCKER)->cpu_read_ns, 101 * SEC);
	assert_float_equal(row(s, DOCKER)->cpu_percent, 100.0, 1e-9);
	fx_close(&f);
}

static void test_v1_vanished_recreated_garbage(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	char cmd[512];

	build_v1(&f);
	cg(&f, "cpuacct", "/system.slice/gone.service", "cpuacct.usage", "5\n");
	fx_open(&f, ~0u);
	sampler_refresh(f.s, 10 * SEC, 0);
	/* the service vanished; the docker scope was recreated (counter went back); the
	 * slice's memory file now holds garbage */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/sys/fs/cgroup/cpuacct/system.slice/gone.service'", f.root);
	assert_int_equal(system(cmd), 0);
	cg(&f, "cpuacct", DOCKER, "cpuacct.usage", "1000\n");
	cg(&f, "memory", "/system.slice", "memory.usage_in_bytes", "12abc\n");
	cg(&f, "blkio", DOCKER, "blkio.throttle.io_service_bytes_recursive", "7:0 Read many\n");
	s = sampler_refresh(f.s, 11 * SEC, 0);
	/* garbage: '-', not an estimate and not 0, and one note saying so */
	assert_false(row_has(row(s, DOCKER), F_IO_RBYTES));
	assert_false(row_has(row(s, DOCKER), F_IO_RBPS));
	assert_int_equal(row(s, DOCKER)->io_source, IO_SRC_NONE);
	assert_int_equal(f.notes.n, 1);
	assert_non_null(strstr(f.notes.texts[0], "malformed blkio.throttle.io_service_bytes_recursive"));
	assert_true(snapshot_find(s, "/system.slice/gone.service") < 0);
	assert_true(row_has(row(s, DOCKER), F_CPU_NS));
	assert_false(row_has(row(s, DOCKER), F_CPU_RATE));
	assert_false(row_has(row(s, "/system.slice"), F_MEM_USAGE));
	assert_true(row_has(row(s, "/system.slice"), F_CPU_RATE));
	fx_close(&f);
}

/* Without a pids controller, tasks are the unique PIDs of cgroup.procs in the subtree. */
static void test_tasks_from_procs_and_depth(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	char cmd[512];

	build_v1(&f);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/sys/fs/cgroup/pids'", f.root);
	assert_int_equal(system(cmd), 0);
	tt_write(f.root, "proc/self/mountinfo", MI_ROOT
		 "32 30 0:29 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct\n"
		 "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		 "39 30 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd\n");
	cg(&f, "systemd", "/system.slice", "cgroup.procs", "500\n");
	cg(&f, "systemd", DOCKER "/sub", "cgroup.procs", "700\n701\n700\n");
	fx_open(&f, ~0u);
	s = sampler_refresh(f.s, 10 * SEC, 0);
	assert_int_equal(row(s, DOCKER "/sub")->tasks, 2);
	assert_int_equal(row(s, DOCKER)->tasks, 2 + 2);      /* 8102, 9682 (+ duplicate) and sub */
	assert_int_equal(row(s, "/system.slice")->tasks, 1 + 4);
	sampler_free(f.s);

	/* --depth=1: the scope is not listed, but its tasks count in /system.slice */
	f.s = sampler_new(&f.r, &f.hs, &(struct sampler_options){ .max_depth = 1, .memory_stat = true }, &f.notes);
	s = sampler_refresh(f.s, 10 * SEC, 0);
	assert_true(snapshot_find(s, DOCKER) < 0);
	assert_int_equal(s->n, 2);
	assert_int_equal(row(s, "/system.slice")->tasks, 5);
	fx_close(&f);
}

/* v1 without a throttle rule: the kernel does not count, /proc/<pid>/io estimates. */
static void test_v1_io_estimate(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	const struct cg_row *d;

	build_v1(&f);
	cg(&f, "blkio", DOCKER, "blkio.throttle.io_service_bytes_recursive", "Total 0\n");
	cg(&f, "blkio", DOCKER, "blkio.throttle.io_serviced_recursive", "Total 0\n");
	tt_write(f.root, "proc/8102/io", "rchar: 1\nwchar: 1\nsyscr: 1\nsyscw: 1\nread_bytes: 4096\nwrite_bytes: 1048576\ncancelled_write_bytes: 0\n");
	tt_write(f.root, "proc/9682/io", "rchar: 1\nwchar: 1\nsyscr: 1\nsyscw: 1\nread_bytes: 0\nwrite_bytes: 0\ncancelled_write_bytes: 0\n");
	fx_open(&f, ~0u);
	s = sampler_refresh(f.s, 10 * SEC, 0);
	d = row(s, DOCKER);
	assert_int_equal(d->io_source, IO_SRC_PROC);
	assert_false(row_has(d, F_IO_WBPS));
	assert_false(row_has(d, F_IO_WBYTES)); /* an estimate has no cumulative counter */
	tt_write(f.root, "proc/8102/io", "read_bytes: 4096\nwrite_bytes: 5242880\n");
	tt_write(f.root, "proc/9682/io", "read_bytes: 2097152\nwrite_bytes: 0\n");
	s = sampler_refresh(f.s, 12 * SEC, 0);
	d = row(s, DOCKER);
	assert_int_equal(d->io_source, IO_SRC_PROC);
	assert_float_equal(d->io_wbps, 2.0 * MIB, 1e-6); /* (5 - 1) MiB / 2 s */
	assert_float_equal(d->io_rbps, 1.0 * MIB, 1e-6);
	assert_false(row_has(d, F_IO_WIOPS));          /* operations are not known */
	/* the parent, also without a rule, includes its child's processes */
	assert_int_equal(row(s, "/system.slice")->io_source, IO_SRC_PROC);
	assert_float_equal(row(s, "/system.slice")->io_wbps, 2.0 * MIB, 1e-6);
	fx_close(&f);
}

static const char mi_v2[] = MI_ROOT
	"26 22 0:23 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n";

static void test_v2_rates(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	const struct cg_row *d;
	const char *pod = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0d3b_1f2e.slice";

	f.root = tt_new();
	tt_write(f.root, "proc/self/mountinfo", mi_v2);
	tt_write(f.root, "proc/loadavg", "0.50 0.40 0.30 2/311 4242\n");
	tt_write(f.root, "proc/meminfo", "MemTotal:       24683620 kB\nMemFree:        1000000 kB\nMemAvailable:   20000000 kB\n");
	cg(&f, "", "", "cgroup.controllers", "cpuset cpu io memory hugetlb pids\n");
	cg(&f, "", "", "cpu.stat", "usage_usec 5000000\nuser_usec 3000000\nsystem_usec 2000000\n");
	cg(&f, "", "", "cgroup.procs", "1\n");
	cg(&f, "", pod, "cgroup.procs", "");
	cg(&f, "", pod, "cpu.stat", "usage_usec 250000\nuser_usec 1\nsystem_usec 1\nnr_periods 0\n");
	cg(&f, "", pod, "memory.current", "52428800\n");
	cg(&f, "", pod, "memory.max", "max\n");
	cg(&f, "", pod, "memory.stat", "anon 40000000\nfile 12428800\ninactive_file 2428800\nactive_file 10000000\n");
	cg(&f, "", pod, "io.stat", "8:0 rbytes=1024 wbytes=2048 rios=1 wios=2 dbytes=0 dios=0\n");
	cg(&f, "", pod, "pids.current", "3\n");
	fx_open(&f, ~0u);
	s = sampler_refresh(f.s, 100 * SEC, 0);
	d = row(s, pod);
	assert_int_equal(d->cpu_ns, 250000000ull);
	assert_int_equal(d->mem_usage, 52428800);
	assert_int_equal(d->mem_ws, 50000000);
	assert_int_equal(d->mem_cache, 12428800);
	assert_true(d->mem_limit == UINT64_MAX);
	assert_int_equal(d->tasks, 3);
	assert_int_equal(d->io_source, IO_SRC_IOSTAT);
	/* v2 "/": memory from /proc/meminfo (MemTotal - MemAvailable) */
	assert_int_equal(row(s, "/")->mem_usage, (24683620ull - 20000000ull) * 1024);
	assert_int_equal(row(s, "/")->cpu_ns, 5000000000ull);

	cg(&f, "", pod, "cpu.stat", "usage_usec 750000\n");
	cg(&f, "", "", "cpu.stat", "usage_usec 6000000\n");
	cg(&f, "", pod, "memory.max", "1073741824\n");
	cg(&f, "", pod, "io.stat", "8:0 rbytes=525312 wbytes=2048 rios=5 wios=2 dbytes=0 dios=0\n"
				   "8:16 rbytes=0 wbytes=1048576 rios=0 wios=8\n");
	s = sampler_refresh(f.s, 100 * SEC + SEC / 2, 0);
	d = row(s, pod);
	assert_float_equal(d->cpu_percent, 100.0, 1e-9);           /* 0.5 s in 0.5 s */
	assert_float_equal(row(s, "/")->cpu_percent, 200.0, 1e-9); /* 1 s in 0.5 s */
	assert_float_equal(d->io_rbps, 1048576.0, 1e-6);
	assert_float_equal(d->io_wbps, 2097152.0, 1e-6);
	assert_float_equal(d->io_riops, 8.0, 1e-9);
	assert_float_equal(d->io_wiops, 16.0, 1e-9);
	assert_int_equal(d->mem_limit, 1073741824);
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1_first_sample),
		cmocka_unit_test(test_v1_rates),
		cmocka_unit_test(test_rates_use_read_times),
		cmocka_unit_test(test_v1_vanished_recreated_garbage),
		cmocka_unit_test(test_tasks_from_procs_and_depth),
		cmocka_unit_test(test_v1_io_estimate),
		cmocka_unit_test(test_v2_rates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
