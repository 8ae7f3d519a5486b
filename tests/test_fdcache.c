/* The descriptor cache under the sampler: figures stay the kernel's (or the fixture's)
 * when files are kept open, when a cgroup vanishes, when another directory takes its
 * path, and when the budget of descriptors runs out. Fixture trees everywhere; the
 * cgroupfs cases (ENODEV, inotify) on the real hierarchies when run as root. */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "fdcache.h"
#include "sampler.h"
#include "testtree.h"

#define SEC 1000000000ull
#define DOCKER "/system.slice/docker-b25aa6e03826d42d0d4ad6788365cc7e1db006f24278c57cc4160f5fd1b19d2a.scope"

static const char mi_split[] =
	"22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
	"32 30 0:29 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct\n"
	"34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
	"38 30 0:35 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n";

static const char *const hiers[] = { "cpuacct", "memory", "pids" };

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

/* The docker scope's files in every hierarchy, with figures from SEED. */
static void scope_files(struct fx *f, const char *path, unsigned seed)
{
	char v[64];

	for (size_t h = 0; h < ARRAY_SIZE(hiers); h++)
		cg(f, hiers[h], path, "cgroup.procs", "");
	snprintf(v, sizeof(v), "%u\n", seed * 1000);
	cg(f, "cpuacct", path, "cpuacct.usage", v);
	snprintf(v, sizeof(v), "%u\n", seed * 4096);
	cg(f, "memory", path, "memory.usage_in_bytes", v);
	cg(f, "memory", path, "memory.limit_in_bytes", "9223372036854771712\n");
	snprintf(v, sizeof(v), "%u\n", seed);
	cg(f, "pids", path, "pids.current", v);
}

static void build(struct fx *f)
{
	f->root = tt_new();
	tt_write(f->root, "proc/self/mountinfo", mi_split);
	tt_write(f->root, "proc/loadavg", "0.50 0.40 0.30 2/311 4242\n");
	for (size_t h = 0; h < ARRAY_SIZE(hiers); h++) {
		cg(f, hiers[h], "", "cgroup.procs", "1\n");
		cg(f, hiers[h], "/system.slice", "cgroup.procs", "");
	}
	scope_files(f, DOCKER, 1);
}

static void fx_open(struct fx *f, long budget)
{
	struct sampler_options o = { .max_depth = ~0u, .fd_budget = budget };

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

static void near(double got, double want)
{
	if (got - want > 1e-12 || want - got > 1e-12)
		fail_msg("%.15g, expected %.15g", got, want);
}

/* Descriptors this process has open. */
static size_t open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	size_t n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* rm -rf PATH in every hierarchy of the fixture */
static void rm_scope(struct fx *f, const char *path)
{
	for (size_t h = 0; h < ARRAY_SIZE(hiers); h++) {
		char cmd[2048];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s/sys/fs/cgroup/%s%s'", f->root, hiers[h], path);
		assert_int_equal(system(cmd), 0);
	}
}

/* Kept descriptors are re-read: a counter written in place shows at the next refresh,
 * and refreshes of an unchanged tree open nothing more. */
static void test_kept_and_reread(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	size_t kept, fds;

	build(&f);
	fx_open(&f, 0);
	s = sampler_refresh(f.s, 10 * SEC, 0);
	assert_int_equal(row(s, DOCKER)->cpu_ns, 1000);
	kept = sampler_fds_kept(f.s);
	assert_true(kept >= 4); /* cpuacct.usage, usage, limit, pids.current of the scope */
	fds = open_fds();
	cg(&f, "cpuacct", DOCKER, "cpuacct.usage", "5000\n");
	cg(&f, "pids", DOCKER, "pids.current", "7\n");
	s = sampler_refresh(f.s, 11 * SEC, 0);
	assert_int_equal(row(s, DOCKER)->cpu_ns, 5000);
	assert_int_equal(row(s, DOCKER)->tasks, 7);
	near(row(s, DOCKER)->cpu_percent, 4000.0 / 1e9 * 100);
	for (int i = 0; i < 3; i++)
		sampler_refresh(f.s, (12 + (unsigned)i) * SEC, 0);
	assert_int_equal(sampler_fds_kept(f.s), kept);
	assert_int_equal(open_fds(), fds);
	fx_close(&f);
}

/* A vanished cgroup loses its row and its descriptors. */
static void test_vanished(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	size_t kept, fds;

	build(&f);
	fx_open(&f, 0);
	sampler_refresh(f.s, 10 * SEC, 0);
	kept = sampler_fds_kept(f.s);
	fds = open_fds();
	rm_scope(&f, DOCKER);
	s = sampler_refresh(f.s, 11 * SEC, 0);
	assert_true(snapshot_find(s, DOCKER) < 0);
	assert_true(sampler_fds_kept(f.s) + 4 <= kept);
	assert_int_equal(open_fds() + (kept - sampler_fds_kept(f.s)), fds);
	fx_close(&f);
}

/* Another directory at the same path (removed and made again, here by a rename so it is
 * surely another inode): its own figures, never the old descriptors' (which on a
 * fixture would still read the deleted files). */
static void test_recreated_same_path(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	const struct cg_row *d;

	build(&f);
	fx_open(&f, 0);
	s = sampler_refresh(f.s, 10 * SEC, 0);
	assert_int_equal(row(s, DOCKER)->cpu_ns, 1000);
	scope_files(&f, DOCKER ".new", 9);
	rm_scope(&f, DOCKER);
	for (size_t h = 0; h < ARRAY_SIZE(hiers); h++) {
		char from[1024], to[1024];

		snprintf(from, sizeof(from), "%s/sys/fs/cgroup/%s" DOCKER ".new", f.root, hiers[h]);
		snprintf(to, sizeof(to), "%s/sys/fs/cgroup/%s" DOCKER, f.root, hiers[h]);
		assert_int_equal(rename(from, to), 0);
	}
	s = sampler_refresh(f.s, 11 * SEC, 0);
	d = row(s, DOCKER);
	assert_int_equal(d->cpu_ns, 9000);
	assert_int_equal(d->mem_usage, 9 * 4096);
	assert_int_equal(d->tasks, 9);
	fx_close(&f);
}

/* Past the budget, files are opened, read and closed each time: same figures, no more
 * descriptors kept than allowed; a negative budget keeps none. */
static void test_budget(void **state)
{
	for (long budget = -1; budget <= 3; budget += 4) {
		struct fx f = { 0 };
		const struct snapshot *s;
		size_t fds;

		build(&f);
		scope_files(&f, "/system.slice/b.service", 2);
		scope_files(&f, "/system.slice/c.service", 3);
		fx_open(&f, budget);
		s = sampler_refresh(f.s, 10 * SEC, 0);
		assert_true(sampler_fds_kept(f.s) <= (size_t)(budget < 0 ? 0 : budget));
		fds = open_fds();
		cg(&f, "cpuacct", "/system.slice/c.service", "cpuacct.usage", "13000\n");
		cg(&f, "memory", DOCKER, "memory.usage_in_bytes", "8192\n");
		s = sampler_refresh(f.s, 11 * SEC, 0);
		assert_int_equal(row(s, DOCKER)->cpu_ns, 1000);
		assert_int_equal(row(s, DOCKER)->mem_usage, 8192);
		assert_int_equal(row(s, "/system.slice/b.service")->tasks, 2);
		assert_int_equal(row(s, "/system.slice/c.service")->cpu_ns, 13000);
		near(row(s, "/system.slice/c.service")->cpu_percent, 10000.0 / 1e9 * 100);
		assert_true(sampler_fds_kept(f.s) <= (size_t)(budget < 0 ? 0 : budget));
		assert_int_equal(open_fds(), fds);
		fx_close(&f);
	}
}

/* A missing file (a controller enabled later) is found once it is there, at the latest
 * FDC_ABSENT_REFRESHES refreshes later. */
static void test_absent_file_found_later(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	char rel[1024];

	build(&f);
	snprintf(rel, sizeof(rel), "%s/sys/fs/cgroup/pids" DOCKER "/pids.current", f.root);
	assert_int_equal(unlink(rel), 0);
	fx_open(&f, 0);
	s = sampler_refresh(f.s, 10 * SEC, 0);
	/* without pids.current, the processes of cgroup.procs: none */
	assert_int_equal(row(s, DOCKER)->tasks, 0);
	cg(&f, "pids", DOCKER, "pids.current", "5\n");
	for (unsigned i = 1; i <= FDC_ABSENT_REFRESHES; i++)
		s = sampler_refresh(f.s, (10 + i) * SEC, 0);
	assert_true(row_has(row(s, DOCKER), F_TASKS));
	assert_int_equal(row(s, DOCKER)->tasks, 5);
	fx_close(&f);
}

/* --- on cgroupfs, as root ----------------------------------------------------- */

static char cpuacct_mnt[256];

static bool cgroupfs_writable(void)
{
	FILE *m = fopen("/proc/self/mounts", "r");
	char dev[256], mnt[256], type[64], opts[512];
	char probe[512];

	if (geteuid() != 0 || !m)
		goto no;
	while (fscanf(m, "%255s %255s %63s %511s %*d %*d", dev, mnt, type, opts) == 4)
		if (strcmp(type, "cgroup") == 0 && (strstr(opts, ",cpuacct") || strncmp(opts, "cpuacct", 7) == 0)) {
			snprintf(cpuacct_mnt, sizeof(cpuacct_mnt), "%s", mnt);
			break;
		}
	fclose(m);
	m = NULL;
	if (!cpuacct_mnt[0])
		goto no;
	snprintf(probe, sizeof(probe), "%s/cgtop-unit-probe-%d", cpuacct_mnt, (int)getpid());
	if (mkdir(probe, 0755) < 0)
		goto no;
	rmdir(probe);
	return true;
no:
	if (m)
		fclose(m);
	return false;
}

/* A kept descriptor of a removed cgroup fails with ENODEV: the path is read afresh, so
 * the cgroup now at the path is what is read. */
static void test_enodev_reopens(void **state)
{
	static const char *const files[] = { "cpuacct.usage" };
	struct fd_budget budget = { .limit = 100 };
	struct fdcache c;
	struct fdc_visit v;
	struct buf b = { 0 };
	char dir[512];
	int parent;

	if (!cgroupfs_writable())
		skip();
	snprintf(dir, sizeof(dir), "%s/cgtop-unit-%d", cpuacct_mnt, (int)getpid());
	assert_int_equal(mkdir(dir, 0755), 0);
	parent = open(cpuacct_mnt, O_RDONLY | O_DIRECTORY);
	assert_true(parent >= 0);
	fdcache_init(&c, &budget, files, 1);
	fdcache_begin(&c, 0x27e0eb);
	assert_int_equal(fdcache_visit(&c, &v, parent, strrchr(dir, '/') + 1, 42, 0), 0);
	assert_true(fdcache_read(&v, 0, &b) >= 0);
	assert_int_equal(fdcache_kept(&c), 1);
	/* the same visit, after the cgroup was made again under it */
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_true(fdcache_read(&v, 0, &b) >= 0);
	assert_string_equal(b.data, "0\n");
	fdcache_visit_end(&v);
	fdcache_free(&c);
	buf_free(&b);
	close(parent);
	assert_int_equal(rmdir(dir), 0);
}

/* On the real hierarchies: a subdirectory made in a leaf (which is never stat'ed or
 * listed, inotify tells) shows at the next refresh; a leaf removed and made again is
 * read anew. */
static void test_cgroupfs_leaf_grows(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	char dir[512], child[600], path[128], childpath[160];

	if (!cgroupfs_writable())
		skip();
	snprintf(path, sizeof(path), "/cgtop-unit-%d", (int)getpid());
	snprintf(childpath, sizeof(childpath), "%s/child", path);
	snprintf(dir, sizeof(dir), "%s%s", cpuacct_mnt, path);
	snprintf(child, sizeof(child), "%s/child", dir);
	assert_int_equal(mkdir(dir, 0755), 0);
	f.root = NULL;
	assert_int_equal(rootfs_open(&f.r, "/"), 0);
	assert_int_equal(hierarchies_discover(&f.r, false, &f.hs, &f.notes), 0);
	f.s = sampler_new(&f.r, &f.hs, &(struct sampler_options){ .max_depth = ~0u }, &f.notes);
	s = sampler_refresh(f.s, 10 * SEC, 0);
	assert_true(snapshot_find(s, path) >= 0);
	s = sampler_refresh(f.s, 11 * SEC, 0);
	assert_true(snapshot_find(s, childpath) < 0);
	assert_int_equal(mkdir(child, 0755), 0);
	s = sampler_refresh(f.s, 12 * SEC, 0);
	assert_true(snapshot_find(s, childpath) >= 0);
	assert_true(row_has(row(s, childpath), F_CPU_NS));
	assert_int_equal(rmdir(child), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(mkdir(dir, 0755), 0);
	s = sampler_refresh(f.s, 13 * SEC, 0);
	assert_true(snapshot_find(s, childpath) < 0);
	assert_true(row_has(row(s, path), F_CPU_NS));
	assert_int_equal(row(s, path)->cpu_ns, 0);
	sampler_free(f.s);
	hierarchies_free(&f.hs);
	notes_free(&f.notes);
	rootfs_close(&f.r);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kept_and_reread),
		cmocka_unit_test(test_vanished),
		cmocka_unit_test(test_recreated_same_path),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_absent_file_found_later),
		cmocka_unit_test(test_enodev_reopens),
		cmocka_unit_test(test_cgroupfs_leaf_grows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
