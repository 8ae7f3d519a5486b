/* The sampler on small trees built here: figures and rates from two snapshots, checked
 * to the exact expected value, and the bad cases (vanished, recreated, garbage). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fields.h"
#include "sampler.h"
#include "sampler_walk.h"
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

/* The sampler packs the previous sample at each refresh (batch output): the tests over
 * intervals run both ways (their _packed twins below), with the same expected figures. */
static bool pack_prev;

static void fx_open(struct fx *f, unsigned max_depth)
{
	struct sampler_options o = { .max_depth = max_depth, .memory_stat = true,
				     .pack_prev = pack_prev };

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

/* The row of PATH in S; of a packed previous sample, what packing kept of it (in one of
 * two copies: good until the second call after). */
static const struct cg_row *row(const struct snapshot *s, const char *path)
{
	static struct cg_row tmp[2];
	static unsigned next;
	ssize_t i = snapshot_find(s, path);

	if (i < 0)
		fail_msg("no row %s", path);
	return snapshot_row_before(s, (size_t)i, &tmp[next++ % 2]);
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

/* BFQ's files are read where a block device's scheduler is BFQ, or where the devices
 * cannot be told (no /sys/block below the root); not where none is. */
static void test_bfq_only_where_scheduled(void **state)
{
	static const char *const scheds[] = { NULL, "[mq-deadline] kyber bfq none\n", "mq-deadline kyber [bfq] none\n" };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(scheds); i++) {
		struct fx f = { 0 };
		const struct snapshot *s;
		const struct cg_row *d;

		build_v1(&f);
		cg(&f, "blkio", DOCKER, "blkio.throttle.io_service_bytes_recursive", "Total 0\n");
		cg(&f, "blkio", DOCKER, "blkio.bfq.io_service_bytes_recursive", "8:0 Read 4096\n8:0 Write 8192\nTotal 12288\n");
		cg(&f, "blkio", DOCKER, "blkio.bfq.io_serviced_recursive", "8:0 Read 1\n8:0 Write 2\nTotal 3\n");
		if (scheds[i]) {
			tt_write(f.root, "sys/block/sda/queue/scheduler", scheds[i]);
			tt_write(f.root, "sys/block/vda/queue/scheduler", "[none] mq-deadline\n");
		}
		fx_open(&f, ~0u);
		s = sampler_refresh(f.s, 10 * SEC, 0);
		d = row(s, DOCKER);
		if (i == 1) {
			assert_int_not_equal(d->io_source, IO_SRC_BFQ);
		} else {
			assert_int_equal(d->io_source, IO_SRC_BFQ);
			assert_int_equal(d->io_rbytes, 4096);
			assert_int_equal(d->io_wios, 2);
		}
		fx_close(&f);
	}
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
	f.s = sampler_new(&f.r, &f.hs,
			  &(struct sampler_options){ .max_depth = ~0u, .clock = fake_clock, .pack_prev = pack_prev },
			  &f.notes);
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

/* The sampler's two snapshots share their paths: a cgroup in both samples has one string,
 * and the previous sample's paths stay intact while the next is taken, across cgroups that
 * go and come back and others renamed (a new name each sample). */
static void test_paths_shared_across_samples(void **state)
{
	struct fx f = { 0 };
	char cmd[512], name[64], prevname[64] = "";
	unsigned nshared = 0;
	bool shared, was_shared = true;

	build_v1(&f);
	fx_open(&f, ~0u);
	for (unsigned t = 0; t < 12; t++) {
		const struct snapshot *s;

		/* a.service is there every other sample; r<t>.service is renamed each time */
		if (t % 2 == 0)
			cg(&f, "cpuacct", "/system.slice/a.service", "cpuacct.usage", "5\n");
		snprintf(name, sizeof(name), "/system.slice/r%u.service", t);
		cg(&f, "memory", name, "memory.usage_in_bytes", "4096\n");
		s = sampler_refresh(f.s, (10 + t) * SEC, 0);
		assert_ptr_equal(s, f.s->cur);
		assert_int_equal(s->n, 5 - t % 2);
		assert_string_equal(s->rows[snapshot_find(s, DOCKER)].path, DOCKER);
		assert_non_null(row(s, name));
		assert_int_equal(snapshot_find(s, "/system.slice/a.service") >= 0, t % 2 == 0);
		if (t > 0) {
			const struct snapshot *p = f.s->prev;

			/* one string for the scope in both, but in the sample after the block
			 * holding it became mostly garbage (the renamed cgroups' paths): then
			 * a copy, and the block is freed */
			shared = row(s, DOCKER)->path == row(p, DOCKER)->path;
			assert_int_equal(row(s, "/system.slice")->path == row(p, "/system.slice")->path,
					 shared);
			assert_true(shared || was_shared);
			nshared += shared;
			was_shared = shared;
			/* the previous sample's paths intact */
			assert_string_equal(row(p, prevname)->path, prevname);
			assert_true(snapshot_find(s, prevname) < 0);
			assert_int_equal(snapshot_find(p, "/system.slice/a.service") >= 0, t % 2 == 1);
			assert_int_equal(p->packed, pack_prev);
			for (size_t i = 0; i < p->n; i++) {
				struct cg_row tmp;

				assert_int_equal(snapshot_find(p, snapshot_row_before(p, i, &tmp)->path),
						 (ssize_t)i);
			}
		}
		snprintf(cmd, sizeof(cmd), "rm -rf '%s/sys/fs/cgroup/memory%s'", f.root, name);
		assert_int_equal(system(cmd), 0);
		if (t % 2 == 0) {
			snprintf(cmd, sizeof(cmd), "rm -rf '%s/sys/fs/cgroup/cpuacct/system.slice/a.service'",
				 f.root);
			assert_int_equal(system(cmd), 0);
		}
		snprintf(prevname, sizeof(prevname), "%s", name);
	}
	assert_true(nshared >= 8);
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
	fx_close(&f);
}


/* ---- incident signals ---------------------------------------------------------------- */

/* The sampler on fixture tree TREE (tests/fixtures), one sample. */
static const struct snapshot *fixture_sample(struct fx *f, const char *tree)
{
	struct sampler_options o = { .max_depth = ~0u, .memory_stat = false };
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/%s", FIXTURES, tree);
	assert_int_equal(rootfs_open(&f->r, dir), 0);
	assert_int_equal(hierarchies_discover(&f->r, false, &f->hs, &f->notes), 0);
	f->s = sampler_new(&f->r, &f->hs, &o, &f->notes);
	return sampler_refresh(f->s, 10 * SEC, 1795338900ull * SEC);
}

static void fixture_close(struct fx *f)
{
	sampler_free(f->s);
	hierarchies_free(&f->hs);
	notes_free(&f->notes);
	rootfs_close(&f->r);
}

/* The kernel's own file, read here apart from the sampler and its parsers: the number
 * after KEY (a "KEY N" line, "KEY=N" with PSI's total=), or the file's only number when
 * KEY is NULL. False when the file or the key is missing. */
static bool kfile(const char *tree, const char *mnt, const char *path, const char *file, const char *key,
		  uint64_t *out)
{
	char name[4096], line[512];
	bool found = false;
	FILE *fp;

	snprintf(name, sizeof(name), "%s/%s/sys/fs/cgroup/%s%s/%s", FIXTURES, tree, mnt, path, file);
	fp = fopen(name, "r");
	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp)) {
		const char *v = line;

		if (key) {
			const char *k = strstr(line, key);
			size_t kl = strlen(key);

			if (!k || (k != line && k[-1] != ' ') || (k[kl] != ' ' && k[kl] != '='))
				continue;
			v = k + kl + 1;
		}
		*out = strtoull(v, NULL, 10);
		found = true;
	}
	fclose(fp);
	return found;
}

static uint64_t kval(const char *tree, const char *mnt, const char *path, const char *file, const char *key)
{
	uint64_t v = 0;

	if (!kfile(tree, mnt, path, file, key, &v))
		fail_msg("no %s %s in %s:%s%s", file, key ? key : "", tree, mnt, path);
	return v;
}

/* Every row's pressure is the totals of its directory in the cgroup2 mount MNT of TREE
 * (µs as ns), and unknown where it has none. Returns how many figures were checked. */
static unsigned check_psi(const struct snapshot *s, const char *tree, const char *mnt)
{
	static const char *const file[3] = { "cpu.pressure", "memory.pressure", "io.pressure" };
	unsigned checked = 0;

	for (size_t i = 0; i < s->n; i++) {
		const struct cg_row *r = &s->rows[i];
		const char *path = strcmp(r->path, "/") == 0 ? "" : r->path;

		for (size_t k = 0; k < 3; k++) {
			char some[4096];
			uint64_t v;
			FILE *fp;

			snprintf(some, sizeof(some), "%s/%s/sys/fs/cgroup/%s%s/%s", FIXTURES, tree, mnt, path, file[k]);
			fp = fopen(some, "r");
			if (!fp || !mnt) {
				if (fp)
					fclose(fp);
				assert_false(row_has(r, F_PSI_CPU_SOME_NS + 2 * k));
				assert_false(row_has(r, F_PSI_CPU_FULL_NS + 2 * k));
				assert_false(row_has(r, F_PSI_CPU_SOME + 2 * k));
				continue;
			}
			fclose(fp);
			assert_true(row_has(r, F_PSI_CPU_SOME_NS + 2 * k));
			/* "some avg10=… total=N" is the first line: the first total= */
			v = kval(tree, mnt, path, file[k], "total");
			assert_int_equal(row_psi(r)->ns[2 * k], v * 1000);
			checked++;
		}
	}
	return checked;
}

#define RHEL7_CEPH "/system.slice/docker-b2a5531d8b296cc72d3c009e756e4ff3c9aa7c36171f79b93a512e4b65402f13.scope"
#define RHEL7_HEAT DOCKER

/* RHEL 7: cpu,cpuacct co-mounted, 3.10's files: no oom_kill line, no pressure. */
static void test_fixture_rhel7(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s = fixture_sample(&f, "rhel7");
	const struct cg_row *c = row(s, RHEL7_CEPH), *h = row(s, RHEL7_HEAT);
	const char *cpu = "cpu,cpuacct";

	(void)state;
	/* ceph-mon runs with --cpu-quota=100000 (the period 100000): one CPU */
	assert_true(row_has(c, F_CPU_LIMIT));
	assert_int_equal(row_lim(c)->cpu_limit, 1000000000ull);
	assert_int_equal(kval("rhel7", cpu, RHEL7_CEPH, "cpu.cfs_quota_us", NULL), 100000);
	assert_int_equal(row_lim(c)->cpu_periods, kval("rhel7", cpu, RHEL7_CEPH, "cpu.stat", "nr_periods"));
	assert_int_equal(row_lim(c)->cpu_periods, 1003117);
	assert_int_equal(row_lim(c)->cpu_throttled, kval("rhel7", cpu, RHEL7_CEPH, "cpu.stat", "nr_throttled"));
	assert_int_equal(row_lim(c)->cpu_throttled, 41229);
	/* v1 throttled_time is already nanoseconds */
	assert_int_equal(row_lim(c)->cpu_throttled_ns, kval("rhel7", cpu, RHEL7_CEPH, "cpu.stat", "throttled_time"));
	/* the first sample is the baseline: nothing since the start, no change yet */
	assert_true(row_has(c, F_CPU_THROTTLED_SINCE));
	assert_int_equal(row_lim(c)->cpu_throttled_since, 0);
	assert_false(row_has(c, F_CPU_THROTTLED_NEW));
	assert_false(row_has(c, F_CPU_THROTTLED_PERCENT));
	/* heat has no quota: known to have none */
	assert_true(row_has(h, F_CPU_LIMIT));
	assert_true(row_lim(h)->cpu_limit == UINT64_MAX);
	/* memory: its 1 GiB limit hit 17 times, 8 MiB in swap (memsw less usage) */
	assert_int_equal(c->mem_peak, kval("rhel7", "memory", RHEL7_CEPH, "memory.max_usage_in_bytes", NULL));
	assert_int_equal(row_lim(c)->mem_limit_hits, kval("rhel7", "memory", RHEL7_CEPH, "memory.failcnt", NULL));
	assert_int_equal(row_lim(c)->mem_limit_hits, 17);
	assert_int_equal(row_lim(c)->mem_limit_hits_since, 0);
	assert_int_equal(c->mem_swap, kval("rhel7", "memory", RHEL7_CEPH, "memory.memsw.usage_in_bytes", NULL) -
					  kval("rhel7", "memory", RHEL7_CEPH, "memory.usage_in_bytes", NULL));
	assert_int_equal(c->mem_swap, 8 * MIB);
	assert_true(row_has(c, F_MEM_UNDER_OOM));
	assert_int_equal(row_lim(c)->mem_under_oom, 0);
	/* 3.10 has no oom_kill line: unknown, never 0, everywhere */
	for (size_t i = 0; i < s->n; i++) {
		assert_false(row_has(&s->rows[i], F_MEM_OOM_KILLS));
		assert_false(row_has(&s->rows[i], F_MEM_OOM_KILLS_SINCE));
	}
	/* pids.max "max" */
	assert_true(row_has(c, F_PIDS_LIMIT));
	assert_true(c->pids_limit == UINT64_MAX);
	assert_int_equal(row_lim(c)->pids_refused, kval("rhel7", "pids", RHEL7_CEPH, "pids.events", "max"));
	/* no cgroup2: no pressure anywhere */
	assert_int_equal(check_psi(s, "rhel7", NULL), 0);
	fixture_close(&f);
}

#define SPLIT_NOVA "/system.slice/docker-ff5052f0bd1e7efb8bde2abb0b0dffdccecacbb1cee2219f2cc8dc2cca2c5ddf.scope"
#define SPLIT_MEMCACHED "/docker/47de8c47f63838fa04181108e8416c9bdc7fa62ab47f3a969a5ba29ecfc008f2"

/* This machine's layout: the quota from the cpu mount, not cpuacct's; pressure from the
 * unified mount; oom_kill of a 6.x memory.oom_control. */
static void test_fixture_v1split(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s = fixture_sample(&f, "v1split");
	const struct cg_row *c = row(s, RHEL7_CEPH), *n = row(s, SPLIT_NOVA), *m = row(s, SPLIT_MEMCACHED);

	(void)state;
	assert_int_equal(row_lim(c)->cpu_limit, kval("v1split", "cpu", RHEL7_CEPH, "cpu.cfs_quota_us", NULL) * 1000000000ull /
					   kval("v1split", "cpu", RHEL7_CEPH, "cpu.cfs_period_us", NULL));
	assert_int_equal(row_lim(c)->cpu_limit, 1000000000ull);
	assert_int_equal(row_lim(c)->cpu_periods, kval("v1split", "cpu", RHEL7_CEPH, "cpu.stat", "nr_periods"));
	/* cgroups only cpuacct has (the cpu mount holds the containers alone): no limit known */
	assert_true(row_has(row(s, "/init.scope"), F_CPU_NS));
	assert_false(row_has(row(s, "/init.scope"), F_CPU_LIMIT));
	assert_false(row_has(row(s, "/init.scope"), F_CPU_PERIODS));
	/* memcached, 512 MiB: two OOM kills, 41 limit hits, as its files say */
	assert_int_equal(row_lim(m)->mem_oom_kills, kval("v1split", "memory", SPLIT_MEMCACHED, "memory.oom_control", "oom_kill"));
	assert_int_equal(row_lim(m)->mem_oom_kills, 2);
	assert_int_equal(row_lim(m)->mem_limit_hits, 41);
	assert_int_equal(row_lim(m)->mem_oom_kills_since, 0); /* they were before cgtop started */
	/* nova_api: 4096 tasks at most, 3 forks refused */
	assert_int_equal(n->pids_limit, 4096);
	assert_int_equal(row_lim(n)->pids_refused, kval("v1split", "pids", SPLIT_NOVA, "pids.events", "max"));
	assert_int_equal(row_lim(n)->pids_refused, 3);
	/* pressure: every cgroup of the unified mount, the root's too */
	assert_true(check_psi(s, "v1split", "unified") >= 9);
	assert_true(row_has(row(s, "/"), F_PSI_CPU_FULL_NS));
	fixture_close(&f);
}

#define V2_GUNICORN "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f1e2d4c_8b7a_4e5f_9a6b_1c2d3e4f5a6b.slice/cri-containerd-7e77b80f286829fb960d9389484c796b072dd8385148d1a0e07d870dde60a722.scope"

/* Pure v2: cpu.max, throttled_usec, memory.events, memory.peak, memory.swap.current. */
static void test_fixture_v2(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s = fixture_sample(&f, "v2");
	const struct cg_row *g = row(s, V2_GUNICORN);

	(void)state;
	assert_int_equal(row_lim(g)->cpu_limit, 500000000); /* cpu.max "50000 100000" */
	assert_int_equal(row_lim(g)->cpu_periods, kval("v2", "", V2_GUNICORN, "cpu.stat", "nr_periods"));
	assert_int_equal(row_lim(g)->cpu_throttled, kval("v2", "", V2_GUNICORN, "cpu.stat", "nr_throttled"));
	/* usec in v2 */
	assert_int_equal(row_lim(g)->cpu_throttled_ns, kval("v2", "", V2_GUNICORN, "cpu.stat", "throttled_usec") * 1000);
	assert_int_equal(row_lim(g)->cpu_throttled_ns, 1902553660000ull);
	assert_int_equal(g->mem_peak, kval("v2", "", V2_GUNICORN, "memory.peak", NULL));
	assert_int_equal(g->mem_swap, kval("v2", "", V2_GUNICORN, "memory.swap.current", NULL));
	assert_true(row_has(g, F_MEM_SWAP));
	assert_int_equal(row_lim(g)->mem_limit_hits, kval("v2", "", V2_GUNICORN, "memory.events", "max"));
	assert_int_equal(row_lim(g)->mem_limit_hits, 3);
	assert_int_equal(row_lim(g)->mem_oom_kills, kval("v2", "", V2_GUNICORN, "memory.events", "oom_kill"));
	assert_int_equal(row_lim(g)->mem_oom_kills, 1);
	/* v2 has no under_oom */
	assert_false(row_has(g, F_MEM_UNDER_OOM));
	assert_true(row_has(g, F_PIDS_LIMIT));
	assert_true(g->pids_limit == UINT64_MAX);
	/* a v2 cgroup without the cpu controller (the user slice delegates memory and pids
	 * only) has no cpu.max: unknown */
	assert_false(row_has(row(s, "/user.slice/user-1000.slice"), F_CPU_LIMIT));
	assert_true(check_psi(s, "v2", "") >= 30);
	fixture_close(&f);
}

#define V2_NGINX "/system.slice/docker-89c866da4e4b59dc94ea840d501610fed7e8988fd87b56a1d63efd8d872ecac5.scope"
#define V2_REDIS "/system.slice/libpod-20d193832fc4f8892577baa4b7337dc835183b8b6381e54a1bc84cf9544f70f0.scope"
#define V2_PAUSE "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod3f1e2d4c_8b7a_4e5f_9a6b_1c2d3e4f5a6b.slice/cri-containerd-5eef615509897a9d0ec8eb45caab1c40e353a9ddfbb32b7f2e024b1ec9d471cc.scope"

/* Network per container on the v2 tree: nginx in a namespace of its own, redis in the
 * host's (PID 1's), the pod's two containers sharing one, counted on the pause container
 * (the lowest PID); the numbers are eth0's of the tree's net/dev, lo left out. */
static void test_fixture_v2_network(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s = fixture_sample(&f, "v2");
	const struct cg_row *n = row(s, V2_NGINX), *p = row(s, V2_PAUSE), *g = row(s, V2_GUNICORN);

	(void)state;
	assert_int_equal(row_net(n)->kind, NET_NS_OWN);
	assert_int_equal(row_net(n)->ino, 4026532301u);
	assert_true(row_has(n, F_NET_RX_BYTES) && row_has(n, F_NET_TX_BYTES));
	assert_int_equal(row_net(n)->rx_bytes, 18735220);
	assert_int_equal(row_net(n)->tx_bytes, 2098117);
	assert_true(row_has(n, F_NET_RX_PACKETS) && row_has(n, F_NET_TX_PACKETS));
	assert_int_equal(row_net(n)->rx_packets, 14011); /* eth0's, not lo's 52 */
	assert_int_equal(row_net(n)->tx_packets, 9920);
	assert_false(row_has(n, F_NET_RX_RATE)); /* one sample: no rate yet */
	assert_int_equal(row_net(row(s, V2_REDIS))->kind, NET_NS_HOST);
	assert_false(row_has(row(s, V2_REDIS), F_NET_RX_BYTES));
	assert_int_equal(row_net(p)->kind, NET_NS_OWN);
	assert_int_equal(row_net(p)->rx_bytes, 5242880);
	assert_int_equal(row_net(p)->tx_bytes, 10485760);
	/* gunicorn's lowest PID (5120) has no /proc entry in the tree: its next one says */
	assert_int_equal(row_net(g)->kind, NET_NS_SHARED);
	assert_int_equal(row_net(g)->ino, 4026532412u);
	assert_int_equal(row_net(g)->holder, snapshot_find(s, V2_PAUSE));
	assert_false(row_has(g, F_NET_RX_BYTES));
	/* a cgroup that is no container's has none */
	assert_int_equal(row_net(row(s, "/system.slice"))->kind, NET_NS_NONE);
	assert_int_equal(row_net(row(s, "/system.slice/docker.service"))->kind, NET_NS_NONE);
	fixture_close(&f);
}

/* The blocks a row gets (snapshot.h) only when it has one of their figures: none on RHEL
 * 7 (no pressure there; the sampler sets no network without a container's namespace, no
 * lifecycle ever); on v2 a pressure block for every row (each has its .pressure files) and
 * a network block for the containers' scopes only. */
static void test_fixture_blocks(void **state)
{
	static const char *const ctrs[] = { V2_NGINX, V2_REDIS, V2_PAUSE, V2_GUNICORN };
	struct fx f = { 0 };
	const struct snapshot *s = fixture_sample(&f, "rhel7");
	size_t nnet = 0;

	(void)state;
	assert_true(s->n > 5);
	for (size_t i = 0; i < s->n; i++) {
		assert_null(s->rows[i].psi);
		assert_null(s->rows[i].net);
		assert_null(s->rows[i].life);
	}
	fixture_close(&f);
	s = fixture_sample(&f, "v2");
	assert_true(s->n > 5);
	for (size_t i = 0; i < s->n; i++) {
		const struct cg_row *r = &s->rows[i];
		bool ctr = false;

		assert_non_null(r->psi);
		for (size_t k = 0; k < ARRAY_SIZE(ctrs); k++)
			ctr |= strcmp(r->path, ctrs[k]) == 0;
		assert_int_equal(r->net != NULL, ctr);
		nnet += r->net != NULL;
		assert_null(r->life);
	}
	assert_int_equal(nnet, ARRAY_SIZE(ctrs));
	fixture_close(&f);
}

/* Rates over the interval from two net/dev reads; none across a new namespace (the
 * container started again: its counters from 0). */
static void test_network_rates(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	const struct cg_row *d;
	const char *ctr = "/system.slice/docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope";
	const char *hdr = "Inter-|   Receive                                                |  Transmit\n"
			  " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
			  "    lo:     999       9    0    0    0     0          0         0      999       9    0    0    0     0       0          0\n";
	char dev[1024], child[256];

	(void)state;
	f.root = tt_new();
	tt_write(f.root, "proc/self/mountinfo", mi_v2);
	tt_write(f.root, "proc/loadavg", "0.50 0.40 0.30 2/311 4242\n");
	tt_write(f.root, "proc/1/ns/net", "net:[4026531840]");
	tt_write(f.root, "proc/700/ns/net", "net:[4026532500]");
	snprintf(dev, sizeof(dev), "%s  eth0: 1000000 1000 0 0 0 0 0 0 500000 400 0 0 0 0 0 0\n", hdr);
	tt_write(f.root, "proc/700/net/dev", dev);
	cg(&f, "", "", "cgroup.controllers", "cpu memory pids\n");
	cg(&f, "", "", "cgroup.procs", "1\n");
	cg(&f, "", ctr, "cgroup.procs", "700\n");
	cg(&f, "", ctr, "pids.current", "1\n");
	fx_open(&f, ~0u);
	s = sampler_refresh(f.s, 10 * SEC, 0);
	assert_int_equal(row_net(row(s, ctr))->kind, NET_NS_OWN);
	/* 2 s later: 3 MB and 2000 packets in, 1 MB and 600 packets out */
	snprintf(dev, sizeof(dev), "%s  eth0: 4000000 3000 0 0 0 0 0 0 1500000 1000 0 0 0 0 0 0\n", hdr);
	tt_write(f.root, "proc/700/net/dev", dev);
	s = sampler_refresh(f.s, 12 * SEC, 0);
	d = row(s, ctr);
	assert_true(row_has(d, F_NET_RX_RATE) && row_has(d, F_NET_TX_RATE));
	assert_float_equal(row_net(d)->rx_bps, 1500000.0, 1e-6);
	assert_float_equal(row_net(d)->tx_bps, 500000.0, 1e-6);
	assert_true(row_has(d, F_NET_RX_PPS) && row_has(d, F_NET_TX_PPS));
	assert_float_equal(row_net(d)->rx_pps, 1000.0, 1e-6);
	assert_float_equal(row_net(d)->tx_pps, 300.0, 1e-6);
	/* the container started again in a new namespace whose counters are already past
	 * the old ones: no rate, not (5000000 - 4000000) / 2 */
	tt_write(f.root, "proc/700/ns/net", "net:[4026532600]");
	snprintf(dev, sizeof(dev), "%s  eth0: 5000000 3500 0 0 0 0 0 0 1600000 1100 0 0 0 0 0 0\n", hdr);
	tt_write(f.root, "proc/700/net/dev", dev);
	s = sampler_refresh(f.s, 14 * SEC, 0);
	d = row(s, ctr);
	assert_true(row_has(d, F_NET_RX_BYTES));
	assert_false(row_has(d, F_NET_RX_RATE) || row_has(d, F_NET_RX_PPS));
	/* moved into the host's namespace (PID 1's): "host", no figures */
	tt_write(f.root, "proc/700/ns/net", "net:[4026531840]");
	s = sampler_refresh(f.s, 16 * SEC, 0);
	d = row(s, ctr);
	assert_int_equal(row_net(d)->kind, NET_NS_HOST);
	assert_false(row_has(d, F_NET_RX_BYTES) || row_has(d, F_NET_RX_RATE));
	/* its processes in a child cgroup only (v2: no tasks beside children): the child's */
	tt_write(f.root, "proc/700/ns/net", "net:[4026532700]");
	cg(&f, "", ctr, "cgroup.procs", "");
	snprintf(child, sizeof(child), "%s/init.scope", ctr);
	cg(&f, "", child, "cgroup.procs", "700\n");
	s = sampler_refresh(f.s, 18 * SEC, 0);
	d = row(s, ctr);
	assert_int_equal(d->tasks, 1);
	assert_int_equal(row_net(d)->kind, NET_NS_OWN);
	assert_int_equal(row_net(d)->ino, 4026532700u);
	/* no task in it or below it (pids.current 0): its cgroup.procs is not read (this
	 * one, made up, would name PID 700) */
	cg(&f, "", ctr, "cgroup.procs", "700\n");
	cg(&f, "", ctr, "pids.current", "0\n");
	cg(&f, "", child, "cgroup.procs", "");
	s = sampler_refresh(f.s, 20 * SEC, 0);
	d = row(s, ctr);
	assert_int_equal(d->tasks, 0);
	assert_int_equal(row_net(d)->kind, NET_NS_NONE);
	assert_null(d->net);
	assert_false(row_has(d, F_NET_RX_BYTES));
	/* its namespace found but its net/dev not read: no kind, and no block made for none */
	cg(&f, "", ctr, "pids.current", "1\n");
	snprintf(dev, sizeof(dev), "%s/proc/700/net/dev", f.root);
	assert_int_equal(unlink(dev), 0);
	s = sampler_refresh(f.s, 22 * SEC, 0);
	d = row(s, ctr);
	assert_int_equal(d->tasks, 1);
	assert_int_equal(row_net(d)->kind, NET_NS_NONE);
	assert_null(d->net);
	fx_close(&f);
}

/* Hybrid: the quota where cpu,cpuacct is; pressure from the unified mirror of the paths. */
static void test_fixture_hybrid(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s = fixture_sample(&f, "hybrid");

	(void)state;
	assert_true(check_psi(s, "hybrid", "unified") >= 20);
	assert_true(row_has(row(s, "/system.slice/cron.service"), F_PSI_IO_SOME_NS));
	assert_true(row_has(row(s, "/system.slice/cron.service"), F_CPU_LIMIT));
	/* the unified tree adds no row of its own: it mirrors name=systemd */
	for (size_t i = 0; i < s->n; i++)
		assert_true(s->rows[i].hier_mask & ~(1u << f.hs.src.psi));
	fixture_close(&f);
}

/* The incident block (snapshot.h: struct cg_lim) on a RHEL 7 host: heat has no quota,
 * pids.max "max" and every counter at 0, so no block, yet it knows (and reads) each of
 * those figures as the files say; no oom_kill line on 3.10: not known, block or not.
 * ceph-mon's quota gives it the block. */
static void test_lim_block_rhel7(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s = fixture_sample(&f, "rhel7");
	const struct cg_row *c = row(s, RHEL7_CEPH), *h = row(s, RHEL7_HEAT);
	static const enum cg_field known[] = {
		F_CPU_LIMIT, F_CPU_PERIODS, F_CPU_THROTTLED, F_CPU_THROTTLED_SINCE, F_CPU_THROTTLED_NS,
		F_MEM_LIMIT_HITS, F_MEM_LIMIT_HITS_SINCE, F_MEM_UNDER_OOM, F_PIDS_LIMIT,
		F_PIDS_REFUSED, F_PIDS_REFUSED_SINCE,
	};
	static const enum cg_field unknown[] = {
		F_CPU_THROTTLED_NEW, F_CPU_THROTTLED_PERCENT, F_CPU_THROTTLED_RATE,
		F_MEM_LIMIT_HITS_NEW, F_MEM_OOM_KILLS, F_MEM_OOM_KILLS_NEW, F_MEM_OOM_KILLS_SINCE,
		F_PIDS_REFUSED_NEW,
	};
	char cell[32];
	double d;

	(void)state;
	assert_null(h->lim);
	assert_non_null(c->lim);
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		assert_true(row_has(h, known[i]));
		assert_true(fig_value(figure(known[i]), h, &d));
	}
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		assert_false(row_has(h, unknown[i]));
		assert_string_equal(fig_cell(figure(unknown[i]), h, 0, cell, sizeof(cell)), "-");
	}
	assert_true(row_lim(h)->cpu_limit == UINT64_MAX);
	assert_false(fig_limited(figure(F_CPU_LIMIT), h));
	assert_string_equal(fig_cell(figure(F_CPU_LIMIT), h, 0, cell, sizeof(cell)), "max");
	assert_string_equal(fig_cell(figure(F_PIDS_LIMIT), h, 0, cell, sizeof(cell)), "max");
	assert_int_equal(fig_u64(figure(F_CPU_PERIODS), h), kval("rhel7", "cpu,cpuacct", RHEL7_HEAT, "cpu.stat", "nr_periods"));
	assert_int_equal(fig_u64(figure(F_CPU_THROTTLED_NS), h), 0);
	assert_int_equal(fig_u64(figure(F_MEM_LIMIT_HITS), h), kval("rhel7", "memory", RHEL7_HEAT, "memory.failcnt", NULL));
	assert_int_equal(fig_u64(figure(F_MEM_UNDER_OOM), h), 0);
	assert_int_equal(fig_u64(figure(F_PIDS_REFUSED), h), kval("rhel7", "pids", RHEL7_HEAT, "pids.events", "max"));
	assert_string_equal(fig_cell(figure(F_MEM_LIMIT_HITS), h, 0, cell, sizeof(cell)), "0");
	fixture_close(&f);
}

/* The block across samples: a cgroup at its defaults gets it when a counter moves (the
 * changes, shares and counts since the start then in it), and a cgroup made again,
 * its counters back at 0, has none: its changes not known, its counts since 0. */
static void test_lim_block_over_interval(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	const struct cg_row *q;

	(void)state;
	f.root = tt_new();
	tt_write(f.root, "proc/self/mountinfo", mi_v2);
	tt_write(f.root, "proc/loadavg", "0.50 0.40 0.30 2/311 4242\n");
	cg(&f, "", "", "cgroup.controllers", "cpu memory pids\n");
	cg(&f, "", "", "cgroup.procs", "1\n");
	cg(&f, "", "/q", "cgroup.procs", "");
	cg(&f, "", "/q", "cpu.stat", "usage_usec 1000\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
	cg(&f, "", "/q", "cpu.max", "max 100000\n");
	cg(&f, "", "/q", "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
	cg(&f, "", "/q", "pids.max", "max\n");
	cg(&f, "", "/q", "pids.events", "max 0\n");
	fx_open(&f, ~0u);
	s = sampler_refresh(f.s, 10 * SEC, 0);
	q = row(s, "/q");
	assert_null(q->lim);
	assert_true(row_has(q, F_CPU_LIMIT) && row_has(q, F_MEM_OOM_KILLS) && row_has(q, F_MEM_OOM_KILLS_SINCE));
	assert_true(row_lim(q)->cpu_limit == UINT64_MAX);

	/* the counters move: the block in the second sample only */
	cg(&f, "", "/q", "cpu.stat", "usage_usec 401000\nnr_periods 200\nnr_throttled 190\nthrottled_usec 1000000\n");
	cg(&f, "", "/q", "memory.events", "low 0\nhigh 0\nmax 2\noom 1\noom_kill 1\n");
	s = sampler_refresh(f.s, 12 * SEC, 0);
	q = row(s, "/q");
	assert_non_null(q->lim);
	assert_true(row_lim(q)->cpu_limit == UINT64_MAX); /* the default kept in the block */
	assert_true(row_has(q, F_MEM_OOM_KILLS_NEW));
	assert_int_equal(row_lim(q)->mem_oom_kills_new, 1);
	assert_int_equal(row_lim(q)->mem_oom_kills_since, 1);
	assert_int_equal(row_lim(q)->mem_limit_hits_new, 2);
	assert_int_equal(row_lim(q)->mem_limit_hits_since, 2);
	assert_int_equal(row_lim(q)->pids_refused_new, 0);
	assert_true(row_has(q, F_CPU_THROTTLED_NEW));
	assert_int_equal(row_lim(q)->cpu_throttled_new, 190);
	assert_int_equal(row_lim(q)->cpu_throttled_since, 190);
	assert_float_equal(row_lim(q)->cpu_throttled_percent, 95.0, 1e-9);
	assert_float_equal(row_lim(q)->cpu_throttled_rate, 0.5, 1e-9);

	/* made again: the block in the first sample only */
	cg(&f, "", "/q", "cpu.stat", "usage_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
	cg(&f, "", "/q", "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
	s = sampler_refresh(f.s, 14 * SEC, 0);
	q = row(s, "/q");
	assert_null(q->lim);
	assert_false(row_has(q, F_MEM_OOM_KILLS_NEW));
	assert_false(row_has(q, F_MEM_LIMIT_HITS_NEW));
	assert_false(row_has(q, F_CPU_THROTTLED_NEW));
	assert_false(row_has(q, F_CPU_THROTTLED_PERCENT));
	assert_false(row_has(q, F_CPU_THROTTLED_RATE));
	assert_true(row_has(q, F_MEM_OOM_KILLS_SINCE));
	assert_int_equal(fig_u64(figure(F_MEM_OOM_KILLS_SINCE), q), 0);
	assert_int_equal(fig_u64(figure(F_CPU_THROTTLED_SINCE), q), 0);
	assert_true(row_has(q, F_PIDS_REFUSED_NEW)); /* 0 then 0: known, the default */
	fx_close(&f);
}

/* Over intervals: the changes, the share of periods throttled, throttled time and pressure
 * per second, counts since the start (a cgroup made since counts whole; a counter that went
 * back is a cgroup made again), and '-' where a file is missing. */
static void test_signals_over_interval(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	const struct cg_row *a, *b;

	(void)state;
	f.root = tt_new();
	tt_write(f.root, "proc/self/mountinfo", mi_v2);
	tt_write(f.root, "proc/loadavg", "0.50 0.40 0.30 2/311 4242\n");
	cg(&f, "", "", "cgroup.controllers", "cpu memory pids\n");
	cg(&f, "", "", "cgroup.procs", "1\n");
	cg(&f, "", "/a", "cgroup.procs", "");
	cg(&f, "", "/a", "cpu.stat", "usage_usec 1000\nnr_periods 100\nnr_throttled 10\nthrottled_usec 5000\n");
	cg(&f, "", "/a", "cpu.max", "20000 100000\n");
	cg(&f, "", "/a", "memory.events", "low 0\nhigh 0\nmax 4\noom 2\noom_kill 2\n");
	cg(&f, "", "/a", "pids.max", "5\n");
	cg(&f, "", "/a", "pids.events", "max 7\n");
	cg(&f, "", "/a", "cpu.pressure", "some avg10=0.00 avg60=0.00 avg300=0.00 total=1000000\n"
					  "full avg10=0.00 avg60=0.00 avg300=0.00 total=500000\n");
	fx_open(&f, ~0u);
	s = sampler_refresh(f.s, 10 * SEC, 0);
	a = row(s, "/a");
	assert_int_equal(row_lim(a)->cpu_limit, 200000000);
	assert_int_equal(a->pids_limit, 5);
	assert_int_equal(row_lim(a)->mem_oom_kills_since, 0);
	assert_false(row_has(a, F_MEM_OOM_KILLS_NEW));
	assert_false(row_has(a, F_PSI_CPU_SOME));
	/* no memory.pressure: unknown, not 0 */
	assert_false(row_has(a, F_PSI_MEM_SOME_NS));

	cg(&f, "", "/a", "cpu.stat", "usage_usec 401000\nnr_periods 300\nnr_throttled 200\nthrottled_usec 1005000\n");
	cg(&f, "", "/a", "memory.events", "low 0\nhigh 0\nmax 6\noom 3\noom_kill 3\n");
	cg(&f, "", "/a", "cpu.pressure", "some avg10=9.00 avg60=0.00 avg300=0.00 total=1500000\n"
					  "full avg10=0.00 avg60=0.00 avg300=0.00 total=500000\n");
	cg(&f, "", "/b", "cgroup.procs", "");
	cg(&f, "", "/b", "memory.events", "max 2\noom_kill 1\n");
	cg(&f, "", "/b", "pids.events", "max 0\n");
	s = sampler_refresh(f.s, 12 * SEC, 0);
	a = row(s, "/a");
	b = row(s, "/b");
	assert_float_equal(a->cpu_percent, 20.0, 1e-9);              /* 0.4 s in 2 s */
	assert_int_equal(row_lim(a)->cpu_throttled_new, 190);
	assert_int_equal(row_lim(a)->cpu_throttled_since, 190);
	assert_float_equal(row_lim(a)->cpu_throttled_percent, 95.0, 1e-9);     /* 190 of 200 periods */
	assert_float_equal(row_lim(a)->cpu_throttled_rate, 0.5, 1e-9);         /* 1 s in 2 s */
	assert_int_equal(row_lim(a)->mem_oom_kills_new, 1);
	assert_int_equal(row_lim(a)->mem_oom_kills_since, 1);
	assert_int_equal(row_lim(a)->mem_limit_hits_new, 2);
	assert_int_equal(row_lim(a)->mem_limit_hits_since, 2);
	assert_int_equal(row_lim(a)->pids_refused_new, 0);
	assert_int_equal(row_lim(a)->pids_refused_since, 0);
	assert_float_equal(row_psi(a)->percent[0], 25.0, 1e-9);            /* 0.5 s stalled in 2 s */
	assert_float_equal(row_psi(a)->percent[1], 0.0, 1e-9);
	/* /b was made after cgtop started: its OOM kill happened since */
	assert_int_equal(row_lim(b)->mem_oom_kills_since, 1);
	assert_int_equal(row_lim(b)->mem_limit_hits_since, 2);
	assert_false(row_has(b, F_MEM_OOM_KILLS_NEW)); /* no sample before */
	assert_false(row_has(b, F_CPU_LIMIT));          /* no cpu.max */

	/* /a made again: its counters start over, the baseline too */
	cg(&f, "", "/a", "cpu.stat", "usage_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n");
	cg(&f, "", "/a", "memory.events", "max 0\noom_kill 0\n");
	s = sampler_refresh(f.s, 14 * SEC, 0);
	a = row(s, "/a");
	assert_false(row_has(a, F_MEM_OOM_KILLS_NEW));
	assert_false(row_has(a, F_CPU_THROTTLED_PERCENT)); /* no period elapsed */
	assert_int_equal(row_lim(a)->mem_oom_kills_since, 0);
	cg(&f, "", "/a", "memory.events", "max 1\noom_kill 1\n");
	/* 2.02 s stalled in a 2 s interval (the kernel's total read a little after the
	 * refresh's stamp): a share of time, 100 % at most, as the kernel's averages */
	cg(&f, "", "/a", "cpu.pressure", "some avg10=99.00 avg60=0.00 avg300=0.00 total=3520000\n"
					  "full avg10=0.00 avg60=0.00 avg300=0.00 total=1500000\n");
	s = sampler_refresh(f.s, 16 * SEC, 0);
	a = row(s, "/a");
	assert_int_equal(row_lim(a)->mem_oom_kills_new, 1);
	assert_int_equal(row_lim(a)->mem_oom_kills_since, 1);
	assert_true(row_has(a, F_PSI_CPU_SOME));
	assert_float_equal(row_psi(a)->percent[0], 100.0, 1e-9);
	assert_float_equal(row_psi(a)->percent[1], 50.0, 1e-9);             /* 1 s in 2 s */
	fx_close(&f);
}

/* Whether this process holds a descriptor of a file whose path ends in SUFFIX. */
static bool fd_open_on(const char *suffix)
{
	char link[64], target[4096];
	size_t sl = strlen(suffix);

	for (int fd = 0; fd < 4096; fd++) {
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if ((size_t)n >= sl && strcmp(target + n - sl, suffix) == 0)
			return true;
	}
	return false;
}

/* The refresh (from 1) at which the rare files of the cgroup at PATH are read again after
 * the first: one to RARE_REFRESHES refreshes later, by the path's hash (sampler.c). */
static unsigned rare_due(const char *path)
{
	return 2 + (unsigned)(snapshot_path_hash(path, strlen(path)) % RARE_REFRESHES);
}

/* The path hash spreads names that differ in one late byte over the low bits the tables
 * index by (snapshot index, fd cache, history): 36 siblings "/node-0" … "/node-z" in 64
 * slots take about 28 (random), never one. And every rare-read turn is used: 1,000
 * scopes /s/docker-N.scope spread over the RARE_REFRESHES turns with none empty. */
/* The path index (32-bit slots) through growth past its first size and a reset: every
 * row found at its index, a missing path not found, a path asked again not added. */
static void test_snapshot_index(void **state)
{
	struct snapshot *s = snapshot_new();
	char path[64];

	(void)state;
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < 5000; i++) {
			snprintf(path, sizeof(path), "/cg%u/leaf", i);
			assert_int_equal(snapshot_row(s, path, strlen(path)), i);
		}
		for (unsigned i = 0; i < 5000; i++) {
			snprintf(path, sizeof(path), "/cg%u/leaf", i);
			assert_int_equal(snapshot_find(s, path), (ssize_t)i);
			assert_int_equal(snapshot_row(s, path, strlen(path)), i);
		}
		assert_int_equal(s->n, 5000);
		assert_true(snapshot_find(s, "/cg5000/leaf") < 0);
		assert_true(snapshot_find(s, "/cg1/lea") < 0);
		snapshot_reset(s);
		assert_true(snapshot_find(s, "/cg0/leaf") < 0);
	}
	snapshot_free(s);
}

static void test_path_hash_spread(void **state)
{
	static const char names[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	bool slot[64] = { false };
	unsigned turns[RARE_REFRESHES] = { 0 }, nslots = 0;
	char path[64];

	(void)state;
	for (size_t i = 0; i < sizeof(names) - 1; i++) {
		snprintf(path, sizeof(path), "/node-%c", names[i]);
		slot[snapshot_path_hash(path, strlen(path)) & 63] = true;
	}
	for (size_t i = 0; i < 64; i++)
		nslots += slot[i];
	assert_in_range(nslots, 20, 36);
	for (unsigned i = 0; i < 1000; i++) {
		snprintf(path, sizeof(path), "/s/docker-%u.scope", i);
		turns[snapshot_path_hash(path, strlen(path)) % RARE_REFRESHES]++;
	}
	for (unsigned i = 0; i < RARE_REFRESHES; i++)
		assert_in_range(turns[i], 1000 / RARE_REFRESHES / 2, 1000 / RARE_REFRESHES * 2);
}

/* build_v1() with limits: a CPU quota, a memory and a task limit on system.slice, none
 * on the docker scope or user.slice. */
static void build_v1_limits(struct fx *f)
{
	build_v1(f);
	for (const char *const *h = (const char *const[]){ "cpu", "memory", "pids", NULL }; *h; h++)
		cg(f, *h, "/user.slice", "cgroup.procs", "");
	cg(f, "cpu", DOCKER, "cpu.cfs_quota_us", "-1\n");
	cg(f, "cpu", DOCKER, "cpu.cfs_period_us", "100000\n");
	cg(f, "cpu", DOCKER, "cpu.stat", "nr_periods 10\nnr_throttled 1\nthrottled_time 1000\n");
	cg(f, "cpu", "/system.slice", "cpu.cfs_quota_us", "50000\n");
	cg(f, "cpu", "/system.slice", "cpu.cfs_period_us", "100000\n");
	cg(f, "cpu", "/system.slice", "cpu.stat", "nr_periods 10\nnr_throttled 1\nthrottled_time 1000\n");
	cg(f, "memory", DOCKER, "memory.failcnt", "3\n");
	cg(f, "memory", "/system.slice", "memory.failcnt", "1\n");
	cg(f, "pids", "/system.slice", "pids.max", "100\n");
	cg(f, "pids", "/system.slice", "pids.events", "max 0\n");
	cg(f, "pids", DOCKER, "pids.max", "max\n");
	cg(f, "pids", DOCKER, "pids.events", "max 0\n");
	cg(f, "pids", "/user.slice", "pids.max", "max\n");
	cg(f, "pids", "/user.slice", "pids.events", "max 0\n");
}

/* Limits are read at a cgroup's first visit, then every RARE_REFRESHES refreshes or
 * RARE_MS, and not kept open at the first refresh; memory.failcnt, cpu.stat's throttling
 * and (v1) pids.events only under a limit (pids.events: the cgroup's or an ancestor's),
 * and else with the limits. */
static void test_rare_reads(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	const struct cg_row *d, *sys, *user;
	unsigned due = rare_due(DOCKER), k;

	(void)state;
	build_v1_limits(&f);
	fx_open(&f, ~0u);
	s = sampler_refresh(f.s, 10 * SEC, 0);
	d = row(s, DOCKER);
	assert_true(row_lim(d)->cpu_limit == UINT64_MAX);
	assert_int_equal(row_lim(d)->cpu_throttled, 1);
	assert_int_equal(row_lim(d)->mem_limit_hits, 3);
	assert_true(d->pids_limit == UINT64_MAX);
	assert_int_equal(row_lim(row(s, "/system.slice"))->cpu_limit, 500000000);
	assert_int_equal(row_lim(row(s, "/user.slice"))->pids_refused, 0);
	/* limits, and counters that only move under one where there is none, are not kept
	 * at the first refresh (test_rare_files_kept: from the second on, with room) */
	assert_false(fd_open_on("/memory.limit_in_bytes"));
	assert_false(fd_open_on("/cpu.cfs_quota_us"));
	assert_false(fd_open_on("/pids.max"));
	assert_false(fd_open_on(DOCKER "/memory.failcnt"));
	assert_false(fd_open_on(DOCKER "/cpu.stat"));
	assert_false(fd_open_on("/user.slice/pids.events"));
	/* the same counters under a limit (pids.events: an ancestor's) are read every time */
	assert_true(fd_open_on("/system.slice/memory.failcnt"));
	assert_true(fd_open_on("/system.slice/cpu.stat"));
	assert_true(fd_open_on(DOCKER "/pids.events"));

	/* a limit set on the container, counters moved (by hand: a kernel would not move
	 * those of a cgroup without a limit) */
	cg(&f, "memory", DOCKER, "memory.limit_in_bytes", "1073741824\n");
	cg(&f, "memory", DOCKER, "memory.failcnt", "5\n");
	cg(&f, "memory", "/system.slice", "memory.failcnt", "2\n");
	cg(&f, "cpu", DOCKER, "cpu.stat", "nr_periods 10\nnr_throttled 4\nthrottled_time 1000\n");
	cg(&f, "cpu", "/system.slice", "cpu.stat", "nr_periods 20\nnr_throttled 9\nthrottled_time 5000\n");
	cg(&f, "pids", DOCKER, "pids.events", "max 2\n");
	cg(&f, "pids", "/user.slice", "pids.events", "max 3\n");
	for (k = 2; k <= 1 + RARE_REFRESHES; k++) {
		s = sampler_refresh(f.s, 10 * SEC + k * SEC / 2, 0);
		d = row(s, DOCKER);
		sys = row(s, "/system.slice");
		user = row(s, "/user.slice");
		assert_int_equal(row_lim(sys)->mem_limit_hits, 2);
		assert_int_equal(row_lim(sys)->cpu_throttled, 9);
		assert_int_equal(row_lim(d)->pids_refused, 2);
		if (k < due) {
			/* what the rare files said at the first sample */
			assert_true(d->mem_limit == UINT64_MAX);
			assert_int_equal(row_lim(d)->mem_limit_hits, 3);
			assert_int_equal(row_lim(d)->cpu_throttled, 1);
		} else {
			assert_int_equal(d->mem_limit, 1073741824);
			assert_int_equal(row_lim(d)->mem_limit_hits, 5);
			assert_int_equal(row_lim(d)->cpu_throttled, 4);
		}
		if (k >= rare_due("/user.slice"))
			assert_int_equal(row_lim(user)->pids_refused, 3);
		else
			assert_int_equal(row_lim(user)->pids_refused, 0);
	}
	/* with a limit now, the container's memory.failcnt is read at every refresh */
	cg(&f, "memory", DOCKER, "memory.failcnt", "6\n");
	s = sampler_refresh(f.s, 10 * SEC + k * SEC / 2, 0);
	assert_int_equal(row_lim(row(s, DOCKER))->mem_limit_hits, 6);
	assert_true(fd_open_on(DOCKER "/memory.failcnt"));
	/* RARE_MS after the last read, whatever the count of refreshes */
	cg(&f, "pids", "/user.slice", "pids.max", "50\n");
	s = sampler_refresh(f.s, 10 * SEC + k * SEC / 2 + RARE_MS * 1000000ull, 0);
	assert_int_equal(row(s, "/user.slice")->pids_limit, 50);
	fx_close(&f);
}

/* The files of build_v1_limits() read with the limits: the limits, and the counters
 * that cannot move without one where there is none. */
static const char *const rare_read[] = {
	DOCKER "/cpu.cfs_quota_us", "/system.slice/cpu.cfs_quota_us", "/system.slice/cpu.cfs_period_us",
	DOCKER "/memory.limit_in_bytes", "/system.slice/memory.limit_in_bytes",
	DOCKER "/pids.max", "/system.slice/pids.max", "/user.slice/pids.max",
	DOCKER "/memory.failcnt", DOCKER "/cpu.stat", "/user.slice/pids.events",
};

/* How many of rare_read this process holds open. */
static size_t rare_open(void)
{
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(rare_read); i++)
		n += fd_open_on(rare_read[i]);
	return n;
}

/* The files read with the limits are kept open from the second refresh on when the
 * descriptor budget has room for them after the files read at every refresh (and re-read
 * by pread: a limit changed shows when due); when it runs short (a budget of two more,
 * or three fewer, than the files read at every refresh take), none is kept after their
 * next read, and the files read at every refresh are kept as many as before. */
static void test_rare_files_kept(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s = NULL;
	size_t every, kept; /* descriptors kept for the files read at every refresh; in all */
	unsigned k;

	(void)state;
	build_v1_limits(&f);
	fx_open(&f, ~0u);
	sampler_refresh(f.s, 10 * SEC, 0);
	every = sampler_fds_kept(f.s);
	assert_int_equal(rare_open(), 0);
	for (k = 2, kept = every; k <= 1 + RARE_REFRESHES; k++) {
		s = sampler_refresh(f.s, 10 * SEC + k * SEC / 2, 0);
		assert_true(sampler_fds_kept(f.s) >= kept); /* as the cgroups' turns come */
		kept = sampler_fds_kept(f.s);
	}
	assert_int_equal(rare_open(), ARRAY_SIZE(rare_read));
	assert_int_equal(sampler_fds_kept(f.s), every + ARRAY_SIZE(rare_read));
	assert_int_equal(row(s, DOCKER)->mem_limit, UINT64_MAX);
	cg(&f, "memory", DOCKER, "memory.limit_in_bytes", "1073741824\n");
	for (; k <= 1 + 2 * RARE_REFRESHES; k++)
		s = sampler_refresh(f.s, 10 * SEC + k * SEC / 2, 0);
	assert_int_equal(row(s, DOCKER)->mem_limit, 1073741824);
	assert_int_equal(sampler_fds_kept(f.s), every + ARRAY_SIZE(rare_read));
	sampler_free(f.s);
	/* no limit again: its memory.failcnt is read with the limits again */
	cg(&f, "memory", DOCKER, "memory.limit_in_bytes", "9223372036854771712\n");
	hierarchies_free(&f.hs);
	notes_free(&f.notes);
	rootfs_close(&f.r);

	for (long more = 2; more >= -3; more -= 5) {
		struct sampler_options o = { .max_depth = ~0u, .memory_stat = true,
					     .fd_budget = (long)every + more };
		size_t most = 0;

		assert_int_equal(rootfs_open(&f.r, f.root), 0);
		assert_int_equal(hierarchies_discover(&f.r, false, &f.hs, &f.notes), 0);
		f.s = sampler_new(&f.r, &f.hs, &o, &f.notes);
		for (k = 1; k <= 2 + 2 * RARE_REFRESHES; k++) {
			sampler_refresh(f.s, 10 * SEC + k * SEC / 2, 0);
			if (sampler_fds_kept(f.s) > most)
				most = sampler_fds_kept(f.s);
			if (k == 1)
				assert_int_equal(sampler_fds_kept(f.s), more > 0 ? every : every + more);
		}
		assert_int_equal(most, every + more); /* all the room taken, at some time */
		assert_int_equal(rare_open(), 0);
		assert_int_equal(sampler_fds_kept(f.s), more > 0 ? every : every + more);
		sampler_free(f.s);
		hierarchies_free(&f.hs);
		notes_free(&f.notes);
		rootfs_close(&f.r);
	}
	tt_remove(f.root);
}

/* Every figure of every row of A and B, the same bytes. */
static void same_figures(const struct snapshot *a, const struct snapshot *b)
{
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->interval_ns, b->interval_ns);
	for (size_t i = 0; i < a->n; i++) {
		const struct cg_row *x = &a->rows[i], *y = &b->rows[i];

		assert_string_equal(x->path, y->path);
		if (x->valid != y->valid)
			fail_msg("%s: other figures known", x->path);
		for (size_t k = 0; k < F_COUNT; k++) {
			const struct figure *f = &figures[k];
			double u, v;

			if (f->kind == FIG_DERIVED) {
				assert_int_equal(fig_value(f, x, &u), fig_value(f, y, &v));
				continue;
			}
			if (fig_u64(f, x) != fig_u64(f, y))
				fail_msg("%s, %s: %llu from the whole sample before, %llu from the packed one",
					 x->path, f->key, (unsigned long long)fig_u64(f, x),
					 (unsigned long long)fig_u64(f, y));
		}
		assert_true(!x->psi == !y->psi && !x->net == !y->net && !x->lim == !y->lim);
	}
}

/* Two samplers on one tree, one keeping the previous sample whole (the screen's), one
 * packing it (batch output's): the same figures at every refresh, rates, ratios, changes
 * and counts since the start, while cgroups come and go, blocks come and go, counters go
 * back. The packing one holds the previous sample packed, a fraction of its rows' bytes,
 * and fills the next sample into the rows array of the one before: one rows array. */
static void test_packed_prev_same_figures(void **state)
{
	struct fx f = { 0 };
	struct sampler *p;
	struct sampler_options o = { .max_depth = ~0u, .memory_stat = true, .pack_prev = true };
	struct cg_row *rows = NULL;
	char buf[512];

	(void)state;
	f.root = tt_new();
	tt_write(f.root, "proc/self/mountinfo", mi_v2);
	tt_write(f.root, "proc/loadavg", "0.50 0.40 0.30 2/311 4242\n");
	cg(&f, "", "", "cgroup.controllers", "cpu io memory pids\n");
	cg(&f, "", "", "cgroup.procs", "1\n");
	fx_open(&f, ~0u);
	p = sampler_new(&f.r, &f.hs, &o, &f.notes);
	for (unsigned t = 0; t < 9; t++) {
		const struct snapshot *a, *b;
		unsigned v = t == 5 ? 1 : (t + 1) * (t + 2); /* /a's counters: on, back at 5, on */

		/* /a: every figure, its counters moving; /b: no block, in samples 0-2 and 5-8 */
		cg(&f, "", "/a", "cgroup.procs", "");
		snprintf(buf, sizeof(buf),
			 "usage_usec %u000\nnr_periods %u\nnr_throttled %u\nthrottled_usec %u00\n", v,
			 v * 10, v * 3, v);
		cg(&f, "", "/a", "cpu.stat", buf);
		cg(&f, "", "/a", "cpu.max", "50000 100000\n");
		snprintf(buf, sizeof(buf), "low 0\nhigh 0\nmax %u\noom %u\noom_kill %u\n", v, v / 2, v / 3);
		cg(&f, "", "/a", "memory.events", buf);
		cg(&f, "", "/a", "pids.max", "50\n");
		snprintf(buf, sizeof(buf), "max %u\n", v / 4);
		cg(&f, "", "/a", "pids.events", buf);
		snprintf(buf, sizeof(buf), "8:0 rbytes=%u wbytes=%u rios=%u wios=%u\n", v * 4096, v * 8192,
			 v, v * 2);
		cg(&f, "", "/a", "io.stat", buf);
		snprintf(buf, sizeof(buf), "some avg10=0.00 avg60=0.00 avg300=0.00 total=%u000\n"
					   "full avg10=0.00 avg60=0.00 avg300=0.00 total=%u00\n", v, v);
		cg(&f, "", "/a", "cpu.pressure", buf);
		if (t < 3 || t >= 5) {
			cg(&f, "", "/b", "cgroup.procs", "");
			snprintf(buf, sizeof(buf), "usage_usec %u000\n", t * t);
			cg(&f, "", "/b", "cpu.stat", buf);
		} else {
			snprintf(buf, sizeof(buf), "rm -rf '%s/sys/fs/cgroup/b'", f.root);
			assert_int_equal(system(buf), 0);
		}
		/* /c: made at 2 with events already counted, a block from 4 */
		if (t >= 2) {
			cg(&f, "", "/c", "cgroup.procs", "");
			snprintf(buf, sizeof(buf), "max %u\noom_kill %u\n", t >= 4 ? t : 0, t >= 4 ? 1 : 0);
			cg(&f, "", "/c", "memory.events", buf);
		}
		a = sampler_refresh(f.s, (10 + 2 * t) * SEC, 0);
		b = sampler_refresh(p, (10 + 2 * t) * SEC, 0);
		same_figures(a, b);
		if (t == 0)
			continue;
		/* the whole previous sample beside the new one; only a packed one here */
		assert_false(f.s->prev->packed);
		assert_non_null(f.s->prev->rows);
		assert_true(p->prev->packed);
		assert_null(p->prev->rows);
		assert_true(snapshot_rows_size(p->prev) * 2 < p->prev->n * sizeof(struct cg_row));
		if (rows)
			assert_ptr_equal(b->rows, rows); /* no new array: the one before's */
		rows = b->rows;
	}
	/* what the figures were: /a's counts since the start after it went back, /c's */
	assert_int_equal(row_lim(row(f.s->cur, "/c"))->mem_oom_kills_since, 1);
	assert_true(row_has(row(f.s->cur, "/a"), F_CPU_THROTTLED_PERCENT));
	assert_true(row_has(row(f.s->cur, "/a"), F_PSI_CPU_SOME));
	assert_true(row_has(row(f.s->cur, "/a"), F_IO_RBPS));
	sampler_free(p);
	fx_close(&f);
}

/* The tests over intervals again, with the previous sample packed. */
#define PACKED(t)                             \
	static void t##_packed(void **state)  \
	{                                     \
		pack_prev = true;             \
		t(state);                     \
	}
PACKED(test_v1_rates)
PACKED(test_rates_use_read_times)
PACKED(test_v1_vanished_recreated_garbage)
PACKED(test_v1_io_estimate)
PACKED(test_v2_rates)
PACKED(test_network_rates)
PACKED(test_signals_over_interval)
PACKED(test_lim_block_over_interval)
PACKED(test_rare_reads)
PACKED(test_paths_shared_across_samples)

static int whole(void **state)
{
	(void)state;
	pack_prev = false;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1_first_sample),
		cmocka_unit_test(test_v1_rates),
		cmocka_unit_test(test_bfq_only_where_scheduled),
		cmocka_unit_test(test_rates_use_read_times),
		cmocka_unit_test(test_v1_vanished_recreated_garbage),
		cmocka_unit_test(test_tasks_from_procs_and_depth),
		cmocka_unit_test(test_v1_io_estimate),
		cmocka_unit_test(test_v2_rates),
		cmocka_unit_test(test_fixture_rhel7),
		cmocka_unit_test(test_fixture_v1split),
		cmocka_unit_test(test_fixture_v2),
		cmocka_unit_test(test_fixture_v2_network),
		cmocka_unit_test(test_fixture_blocks),
		cmocka_unit_test(test_network_rates),
		cmocka_unit_test(test_fixture_hybrid),
		cmocka_unit_test(test_signals_over_interval),
		cmocka_unit_test(test_lim_block_rhel7),
		cmocka_unit_test(test_lim_block_over_interval),
		cmocka_unit_test(test_rare_reads),
		cmocka_unit_test(test_rare_files_kept),
		cmocka_unit_test(test_paths_shared_across_samples),
		cmocka_unit_test(test_snapshot_index),
		cmocka_unit_test(test_path_hash_spread),
		cmocka_unit_test(test_packed_prev_same_figures),
		cmocka_unit_test_teardown(test_v1_rates_packed, whole),
		cmocka_unit_test_teardown(test_rates_use_read_times_packed, whole),
		cmocka_unit_test_teardown(test_v1_vanished_recreated_garbage_packed, whole),
		cmocka_unit_test_teardown(test_v1_io_estimate_packed, whole),
		cmocka_unit_test_teardown(test_v2_rates_packed, whole),
		cmocka_unit_test_teardown(test_network_rates_packed, whole),
		cmocka_unit_test_teardown(test_signals_over_interval_packed, whole),
		cmocka_unit_test_teardown(test_lim_block_over_interval_packed, whole),
		cmocka_unit_test_teardown(test_rare_reads_packed, whole),
		cmocka_unit_test_teardown(test_paths_shared_across_samples_packed, whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
