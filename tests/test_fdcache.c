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
#include <time.h>

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

/* --- the cache alone, on a directory of its own ---------------------------------- */

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static const char *const one_file[] = { "f" };

/* DIR/NAME with file f saying CONTENT */
static void dir_with_file(const char *dir, const char *name, const char *content)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "%.200s/f", name);
	tt_write(dir, rel, content);
}

/* N directories of DIR named PREFIX0, PREFIX1, ... (into NAMES; a PREFIX of up to 4
 * bytes), each with its file f holding its name; returns DIR opened, as the parent the
 * cache walks from. */
static int dirs_with_files(const char *dir, char (*names)[16], size_t n, const char *prefix)
{
	int parent;

	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "%.4s%u", prefix, (unsigned)i);
		dir_with_file(dir, names[i], names[i]);
	}
	parent = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(parent >= 0);
	return parent;
}

static void rm_dir(const char *dir, const char *name)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s/f", dir, name);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(rmdir(path), 0);
}

static uint64_t name_hash(const char *name)
{
	uint64_t h = 1469598103934665603ull;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ull;
	return h;
}

/* One refresh of the subdirectories of PARENT named by NAMES (NULL ones skipped), each
 * read (file f) and its memo's first byte set, as the sampler does. */
static void refresh_dirs(struct fdcache *c, int parent, char names[][16], size_t n, long fs_magic)
{
	struct buf b = { 0 };

	fdcache_begin(c, fs_magic);
	for (size_t i = 0; i < n; i++) {
		struct fdc_visit v;
		struct stat st;

		if (!names[i][0])
			continue;
		assert_int_equal(fstatat(parent, names[i], &st, 0), 0);
		assert_int_equal(fdcache_visit(c, &v, parent, names[i], name_hash(names[i]), st.st_ino), 0);
		assert_true(fdcache_read(&v, 0, &b) >= 0);
		assert_string_equal(b.data, names[i]);
		if (c->memo_size)
			*(unsigned char *)fdcache_memo(&v) = 1;
		fdcache_visit_end(&v);
	}
	fdcache_sweep(c);
	buf_free(&b);
}

/* Nodes of removed directories are used again for new ones: over many cycles of removing
 * and making directories the node storage does not grow, and a reused node starts
 * afresh (no descriptor, no memo of the old directory). Stat'ed directories need no
 * bytes beside the nodes. */
static void test_slab_reuse(void **state)
{
	enum { N = 300, CYCLES = 12, TURN = 53 };
	static char names[N][16];
	struct fd_budget budget = { .limit = 100000 };
	char *dir = tt_new();
	struct fdcache c;
	struct fdc_visit v;
	struct fdc_node *gone;
	struct buf b = { 0 };
	size_t bytes, fds, serial = 0;
	int parent;

	for (size_t i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "d%zu", serial++);
		dir_with_file(dir, names[i], names[i]);
	}
	parent = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(parent >= 0);
	fdcache_init(&c, &budget, one_file, 1);
	c.memo_size = 24;
	refresh_dirs(&c, parent, names, N, 0);
	assert_int_equal(c.n, N);
	assert_int_equal(c.made, N);
	assert_int_equal(fdcache_kept(&c), N);
	bytes = fdcache_node_bytes(&c);
	/* stat'ed directories (not cgroupfs) hold nothing beyond their place in a slab and
	 * the hash table: their ctime is mixed into the node's identity, no side array */
	assert_int_equal(bytes, c.nslabs * FDC_SLAB_NODES * c.node_size + c.slabcap * sizeof(*c.slabs) +
					c.tabcap * sizeof(*c.tab));
	fds = open_fds();

	/* one directory removed, then another made: it gets the removed one's node */
	fdcache_begin(&c, 0);
	assert_int_equal(fdcache_visit(&c, &v, parent, names[5], name_hash(names[5]), 0), 0);
	gone = v.node;
	fdcache_visit_end(&v);
	rm_dir(dir, names[5]);
	names[5][0] = '\0';
	refresh_dirs(&c, parent, names, N, 0);
	assert_int_equal(c.n, N - 1);
	assert_int_equal(fdcache_kept(&c), N - 1);
	snprintf(names[5], sizeof(names[5]), "d%zu", serial++);
	dir_with_file(dir, names[5], names[5]);
	fdcache_begin(&c, 0);
	assert_int_equal(fdcache_visit(&c, &v, parent, names[5], name_hash(names[5]), 0), 0);
	assert_ptr_equal(v.node, gone);
	assert_int_equal(*(unsigned char *)fdcache_memo(&v), 0);
	assert_int_equal(fdcache_kept(&c), N - 1);
	assert_true(fdcache_read(&v, 0, &b) >= 0);
	assert_string_equal(b.data, names[5]);
	fdcache_visit_end(&v);
	refresh_dirs(&c, parent, names, N, 0);
	assert_int_equal(c.made, N);

	/* many cycles, each removing TURN directories and making as many */
	for (size_t k = 0; k < CYCLES; k++) {
		for (size_t j = 0; j < TURN; j++) {
			size_t i = (k * TURN + j * 7) % N;

			if (!names[i][0])
				continue;
			rm_dir(dir, names[i]);
			names[i][0] = '\0';
		}
		refresh_dirs(&c, parent, names, N, 0);
		for (size_t i = 0; i < N; i++)
			if (!names[i][0]) {
				snprintf(names[i], sizeof(names[i]), "d%zu", serial++);
				dir_with_file(dir, names[i], names[i]);
			}
		refresh_dirs(&c, parent, names, N, 0);
		assert_int_equal(c.n, N);
		assert_int_equal(fdcache_kept(&c), N);
	}
	assert_int_equal(c.made, N);
	assert_int_equal(fdcache_node_bytes(&c), bytes);
	assert_int_equal(open_fds(), fds);
	fdcache_free(&c);
	assert_int_equal(budget.used, 0);
	buf_free(&b);
	close(parent);
	tt_remove(dir);
}

/* The node numbered 1, first of the first slab. */
static struct fdc_node *node_first(const struct fdcache *c)
{
	return (struct fdc_node *)(void *)c->slabs[0];
}

/* A node is its 28-byte header, 4 bytes a file slot, then its memo, with no padding: the
 * v1 cpu hierarchy's (3 files, a memo of 12 bytes and 4 figures) is 84 bytes, cpuacct's
 * (1 file, no memo) 32. They were 96 and 40: a 32-byte header with the directory's
 * descriptor, slots and memo padded to 8 bytes. */
static void test_node_layout(void **state)
{
	static const char *const files[] = { "f", "g", "h" };
	static const struct {
		size_t nfiles, memo, node;
	} cases[] = { { 3, 12 + 4 * 8, 84 }, { 1, 0, 32 }, { 7, 12 + 2 * 8, 84 }, { 0, 0, 28 } };

	for (size_t t = 0; t < ARRAY_SIZE(cases); t++) {
		struct fd_budget budget = { .limit = 100 };
		char *dir = tt_new();
		struct fdcache c;
		struct fdc_visit v;
		struct buf b = { 0 };
		int parent;

		tt_write(dir, "d/f", "eff\n");
		parent = open(dir, O_RDONLY | O_DIRECTORY);
		assert_true(parent >= 0);
		fdcache_init(&c, &budget, files, cases[t].nfiles);
		c.memo_size = cases[t].memo;
		fdcache_begin(&c, 0);
		assert_int_equal(fdcache_visit(&c, &v, parent, "d", 5, 0), 0);
		assert_int_equal(c.node_size, cases[t].node);
		if (cases[t].memo) {
			char *memo = fdcache_memo(&v);

			assert_int_equal(memo - (char *)v.node, 28 + 4 * cases[t].nfiles);
			assert_int_equal((uintptr_t)memo % 4, 0);
			memset(memo, 0xab, cases[t].memo);
		} else {
			assert_null(fdcache_memo(&v));
		}
		if (cases[t].nfiles) {
			assert_true(fdcache_read(&v, 0, &b) >= 0);
			assert_string_equal(b.data, "eff\n");
		}
		fdcache_visit_end(&v);
		fdcache_sweep(&c);
		assert_int_equal(fdcache_kept(&c), cases[t].nfiles ? 1 : 0);
		/* a second node right after the first in its slab, neither spilling on the other */
		tt_write(dir, "e/f", "e2\n");
		fdcache_begin(&c, 0);
		assert_int_equal(fdcache_visit(&c, &v, parent, "e", 6, 0), 0);
		assert_int_equal((char *)v.node - (char *)node_first(&c), (ptrdiff_t)cases[t].node);
		if (cases[t].memo)
			for (size_t i = 0; i < cases[t].memo; i++)
				assert_int_equal(((unsigned char *)fdcache_memo(&v))[i], 0);
		fdcache_visit_end(&v);
		assert_int_equal(fdcache_visit(&c, &v, parent, "d", 5, 0), 0);
		if (cases[t].memo)
			for (size_t i = 0; i < cases[t].memo; i++)
				assert_int_equal(((unsigned char *)fdcache_memo(&v))[i], 0xab);
		if (cases[t].nfiles) {
			assert_true(fdcache_read(&v, 0, &b) >= 0);
			assert_string_equal(b.data, "eff\n");
		}
		fdcache_visit_end(&v);
		fdcache_sweep(&c);
		fdcache_free(&c);
		assert_int_equal(budget.used, 0);
		buf_free(&b);
		close(parent);
		tt_remove(dir);
	}
}

/* Directory descriptors are kept beside the nodes, for those directories that need one
 * (listed, or read by name): many kept, some of their directories gone or made again,
 * each visit finds its own directory's descriptor, and every one is closed when its
 * node goes. Nodes that keep none cost nothing there. */
static void test_dirfds_kept(void **state)
{
	enum { N = 500 };
	static char names[N][16];
	struct fd_budget budget = { .limit = 100000 };
	char *dir = tt_new();
	struct fdcache c;
	struct buf b = { 0 };
	size_t fds;
	int parent;

	parent = dirs_with_files(dir, names, N, "k");
	fds = open_fds();
	fdcache_init(&c, &budget, one_file, 1);
	refresh_dirs(&c, parent, names, N, 0);
	assert_int_equal(c.dirfds.cap, 0); /* files kept, no directory */
	assert_int_equal(fdcache_kept(&c), N);
	for (int round = 0; round < 3; round++) {
		fdcache_begin(&c, 0);
		for (size_t i = 0; i < N; i++) {
			struct fdc_visit v;
			struct stat st, kept;

			if (!names[i][0])
				continue;
			assert_int_equal(fdcache_visit(&c, &v, parent, names[i], name_hash(names[i]), 0), 0);
			/* the file by name, through the directory's descriptor, kept from now on */
			assert_true(fdcache_read_once(&v, "f", &b) >= 0);
			assert_string_equal(b.data, names[i]);
			assert_true(fdcache_read(&v, 0, &b) >= 0);
			assert_string_equal(b.data, names[i]);
			assert_true(v.dirfd >= 0);
			assert_int_equal(fstatat(parent, names[i], &st, 0), 0);
			assert_int_equal(fstat(fdcache_dirfd(&v), &kept), 0);
			assert_int_equal(kept.st_ino, st.st_ino);
			assert_int_equal(kept.st_ctim.tv_nsec, st.st_ctim.tv_nsec);
			fdcache_visit_end(&v);
		}
		fdcache_sweep(&c);
		assert_int_equal(c.dirfds.n, (size_t)(round == 0 ? N : N - (N + 2) / 3));
		assert_true(4 * c.dirfds.n <= 3 * c.dirfds.cap);
		assert_int_equal(fdcache_kept(&c), 2 * c.dirfds.n);
		assert_int_equal((size_t)budget.used, 2 * c.dirfds.n);
		assert_int_equal(open_fds(), fds + 2 * c.dirfds.n);
		if (round == 0)
			/* a third gone; every seventh made again (another directory at its path,
			 * whose descriptors replace the old one's) */
			for (size_t i = 0; i < N; i++) {
				if (i % 3 == 0) {
					rm_dir(dir, names[i]);
					names[i][0] = '\0';
				} else if (i % 7 == 0) {
					rm_dir(dir, names[i]);
					dir_with_file(dir, names[i], names[i]);
				}
			}
	}
	fdcache_free(&c);
	assert_int_equal(budget.used, 0);
	assert_int_equal(open_fds(), fds);
	buf_free(&b);
	close(parent);
	tt_remove(dir);
}

/* A file found missing is looked for again FDC_ABSENT_REFRESHES refreshes later, not
 * before, and kept descriptors and nodes stay, when the refresh number wraps in the bits
 * a slot (31) or a node (29) keeps of it, or in all 32. The directory is taken for
 * cgroupfs (identified by the inode number its "listing" gives): elsewhere it is stat'ed,
 * and the file made in it would change its ctime, so make it another directory. */
static void test_slot_refresh_wrap(void **state)
{
	static const char *const files[] = { "f", "g" };
	static const unsigned starts[] = { (1u << FDC_SEEN_BITS) - 3, FDC_REFRESH_MASK - 3,
					   UINT32_MAX - 3, (1u << FDC_SEEN_BITS) - FDC_ABSENT_REFRESHES,
					   FDC_REFRESH_MASK - FDC_ABSENT_REFRESHES + 1, UINT32_MAX - 1 };

	for (size_t t = 0; t < ARRAY_SIZE(starts); t++) {
		struct fd_budget budget = { .limit = 100 };
		char *dir = tt_new();
		struct fdcache c;
		struct fdc_visit v;
		struct fdc_node *node;
		struct buf b = { 0 };
		struct stat st;
		ino_t d_ino, e_ino;
		int parent;

		tt_write(dir, "d/g", "gee\n");
		tt_mkdir(dir, "e");
		parent = open(dir, O_RDONLY | O_DIRECTORY);
		assert_true(parent >= 0);
		assert_int_equal(fstatat(parent, "d", &st, 0), 0);
		d_ino = st.st_ino;
		assert_int_equal(fstatat(parent, "e", &st, 0), 0);
		e_ino = st.st_ino;
		fdcache_init(&c, &budget, files, 2);
		c.refresh = starts[t];
		fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
		assert_int_equal(fdcache_visit(&c, &v, parent, "d", 1, d_ino), 0);
		node = v.node;
		assert_int_equal(fdcache_read(&v, 0, &b), -ENOENT);
		assert_true(fdcache_read(&v, 1, &b) >= 0);
		fdcache_visit_end(&v);
		assert_int_equal(fdcache_visit(&c, &v, parent, "e", 2, e_ino), 0);
		fdcache_visit_end(&v);
		fdcache_sweep(&c);
		assert_int_equal(fdcache_kept(&c), 1);
		/* there now, but not looked for until FDC_ABSENT_REFRESHES refreshes later */
		tt_write(dir, "d/f", "eff\n");
		for (unsigned i = 1; i <= FDC_ABSENT_REFRESHES; i++) {
			fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
			assert_int_equal(fdcache_visit(&c, &v, parent, "d", 1, d_ino), 0);
			assert_ptr_equal(v.node, node);
			assert_true(fdcache_read(&v, 1, &b) >= 0);
			assert_string_equal(b.data, "gee\n");
			if (i < FDC_ABSENT_REFRESHES) {
				if (fdcache_read(&v, 0, &b) != -ENOENT)
					fail_msg("from refresh %u: found after %u refreshes", starts[t], i);
				assert_int_equal(fdcache_kept(&c), 1);
			} else {
				if (fdcache_read(&v, 0, &b) < 0)
					fail_msg("from refresh %u: still missing after %u refreshes", starts[t], i);
				assert_string_equal(b.data, "eff\n");
				assert_int_equal(fdcache_kept(&c), 2);
			}
			fdcache_visit_end(&v);
			/* e is swept once it is gone, and only then */
			if (i == 3) {
				rm_dir(dir, "e");
			} else if (i < 3) {
				assert_int_equal(fdcache_visit(&c, &v, parent, "e", 2, e_ino), 0);
				fdcache_visit_end(&v);
			}
			fdcache_sweep(&c);
			assert_int_equal(c.n, i < 3 ? 2 : 1);
		}
		fdcache_free(&c);
		buf_free(&b);
		close(parent);
		tt_remove(dir);
	}
}

/* --- rarely read files (limits) ------------------------------------------------ */

static const char *const rare_files[] = { "c", "r" }; /* read at every refresh; rarely */

/* Visit NAME (inode number INO) below PARENT in C's refresh under way, taken for cgroupfs
 * (the directory is not stat'ed, so a file replaced in it is not another directory):
 * read file c, then, when WANT is set, file r as a rare one, which must say WANT. KEPT
 * gets which of the two are kept open after. */
static void visit_rare(struct fdcache *c, int parent, const char *name, ino_t ino,
		       const char *want, bool kept[2])
{
	struct fdc_visit v;
	struct buf b = { 0 };

	assert_int_equal(fdcache_visit(c, &v, parent, name, name_hash(name), ino), 0);
	assert_true(fdcache_read(&v, 0, &b) >= 0);
	if (want) {
		assert_true(fdcache_read_rare(&v, 1, &b) >= 0);
		assert_string_equal(b.data, want);
	}
	for (size_t i = 0; i < 2; i++)
		kept[i] = v.node->slot[i] && !(v.node->slot[i] & FDC_SLOT_ABSENT);
	fdcache_visit_end(&v);
	buf_free(&b);
}

static ino_t ino_of(int parent, const char *name)
{
	struct stat st;

	assert_int_equal(fstatat(parent, name, &st, 0), 0);
	return st.st_ino;
}

/* With room in the budget, a rare file is kept from the second refresh on (not at the
 * first: the files read at every refresh have not all been seen yet) and re-read with
 * pread: what is written in it shows, and a file put in its place is not opened. */
static void test_rare_kept_with_room(void **state)
{
	struct fd_budget budget = { .limit = 100 };
	char *dir = tt_new();
	struct fdcache c;
	bool kept[2];
	size_t fds;
	ino_t d;
	int parent;

	(void)state;
	tt_write(dir, "d/c", "1\n");
	tt_write(dir, "d/r", "100\n");
	parent = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(parent >= 0);
	d = ino_of(parent, "d");
	fdcache_init(&c, &budget, rare_files, 2);
	fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
	visit_rare(&c, parent, "d", d, "100\n", kept);
	fdcache_sweep(&c);
	assert_true(kept[0]);
	assert_false(kept[1]);
	assert_int_equal(budget.used, 1);
	fd_budget_refreshed(&budget);
	assert_true(budget.rare_ok);
	/* the second refresh: kept after its read */
	fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
	visit_rare(&c, parent, "d", d, "100\n", kept);
	fdcache_sweep(&c);
	fd_budget_refreshed(&budget);
	assert_true(kept[0] && kept[1]);
	assert_int_equal(fdcache_kept(&c), 2);
	assert_int_equal(budget.used, 2);
	fds = open_fds();
	/* written in place: read again, by the kept descriptor */
	tt_write(dir, "d/r", "200\n");
	fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
	visit_rare(&c, parent, "d", d, "200\n", kept);
	fdcache_sweep(&c);
	fd_budget_refreshed(&budget);
	assert_true(kept[1]);
	/* another file at its path: the kept descriptor still reads the one it opened */
	tt_write(dir, "d/r.new", "300\n");
	assert_int_equal(renameat(parent, "d/r.new", parent, "d/r"), 0);
	for (int i = 0; i < 2; i++) {
		fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
		visit_rare(&c, parent, "d", d, i == 0 ? "200\n" : NULL, kept); /* not due: c alone */
		fdcache_sweep(&c);
		fd_budget_refreshed(&budget);
		assert_true(kept[0] && kept[1]);
	}
	assert_int_equal(fdcache_kept(&c), 2);
	assert_int_equal(open_fds(), fds);
	assert_false(budget.ran_short);
	fdcache_free(&c);
	assert_int_equal(budget.used, 0);
	close(parent);
	tt_remove(dir);
}

/* Once the budget ran short of room for a file read at every refresh, rare files are no
 * longer kept, and a kept one is let go at its next read: the counter that found no room
 * gets it then. For good (even with room again later). A directory's descriptor that
 * finds no room says the budget ran short too. */
static void test_rare_budget_short(void **state)
{
	struct fd_budget budget = { .limit = 2 };
	char *dir = tt_new();
	struct fdcache c;
	struct fdc_visit v;
	struct buf b = { 0 };
	bool kept[2], ekept[2];
	ino_t d, e;
	int parent;

	(void)state;
	tt_write(dir, "d/c", "1\n");
	tt_write(dir, "d/r", "100\n");
	tt_write(dir, "e/c", "2\n");
	tt_write(dir, "e/r", "200\n");
	parent = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(parent >= 0);
	d = ino_of(parent, "d");
	e = ino_of(parent, "e");
	fdcache_init(&c, &budget, rare_files, 2);
	/* d alone, twice: its rare file kept at the second refresh, the budget full */
	for (int i = 0; i < 2; i++) {
		fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
		visit_rare(&c, parent, "d", d, "100\n", kept);
		fdcache_sweep(&c);
		fd_budget_refreshed(&budget);
	}
	assert_true(kept[0] && kept[1]);
	assert_int_equal(budget.used, 2);
	assert_false(budget.ran_short);
	/* e appears: no room for its counter (nor its rare file) */
	fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
	visit_rare(&c, parent, "d", d, "100\n", kept);
	visit_rare(&c, parent, "e", e, "200\n", ekept);
	fdcache_sweep(&c);
	assert_true(kept[0] && kept[1]);
	assert_false(ekept[0] || ekept[1]);
	assert_true(budget.ran_short);
	fd_budget_refreshed(&budget);
	assert_false(budget.rare_ok);
	/* d's rare file read once more and let go: e's counter is kept in its place */
	tt_write(dir, "d/r", "101\n");
	fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
	visit_rare(&c, parent, "d", d, "101\n", kept);
	visit_rare(&c, parent, "e", e, "200\n", ekept);
	fdcache_sweep(&c);
	fd_budget_refreshed(&budget);
	assert_true(kept[0] && !kept[1]);
	assert_true(ekept[0] && !ekept[1]);
	assert_int_equal(fdcache_kept(&c), 2);
	assert_int_equal(budget.used, 2);
	/* e gone: room again, but rare files are not kept any more */
	assert_int_equal(unlinkat(parent, "e/c", 0), 0);
	assert_int_equal(unlinkat(parent, "e/r", 0), 0);
	assert_int_equal(unlinkat(parent, "e", AT_REMOVEDIR), 0);
	fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
	visit_rare(&c, parent, "d", d, "101\n", kept);
	fdcache_sweep(&c);
	fd_budget_refreshed(&budget);
	assert_true(kept[0] && !kept[1]);
	assert_int_equal(budget.used, 1);
	fdcache_free(&c);
	assert_int_equal(budget.used, 0);
	/* a directory's descriptor refused: run short too */
	budget = (struct fd_budget){ .limit = 1, .used = 1 }; /* held by another cache */
	fdcache_init(&c, &budget, rare_files, 2);
	fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
	assert_int_equal(fdcache_visit(&c, &v, parent, "d", name_hash("d"), d), 0);
	assert_true(fdcache_read_once(&v, "r", &b) >= 0);
	assert_true(v.dirfd < 0);
	fdcache_visit_end(&v);
	assert_true(budget.ran_short);
	fdcache_sweep(&c);
	fdcache_free(&c);
	buf_free(&b);
	close(parent);
	tt_remove(dir);
}

/* The watch descriptor of each node number, for the map of test_wdmap: what a node's
 * wd field is to the cache's. */
static int wd_keys[200001];

static int key_of(const void *ctx, uint32_t id)
{
	return ((const int *)ctx)[id];
}

/* The watch descriptor table: many watches, removals (the entries after a removed one
 * in its run move back), lookups after them, against a plain array. Entries are 4 bytes
 * (the node number: the watch descriptor is the node's), the table at most 3/4 full. */
static void test_wdmap(void **state)
{
	enum { WDS = 5000, RANGE = 20000, OPS = 200000 };
	static uint32_t want[RANGE];
	struct fdc_wdmap m = { .wd_of = key_of };
	size_t n = 0;
	uint32_t seed = 12345;

	assert_int_equal(fdc_wdmap_get(&m, wd_keys, 1), 0);
	assert_false(fdc_wdmap_del(&m, wd_keys, 1));
	/* watches as the kernel numbers them, then every other one removed */
	for (int wd = 1; wd <= WDS; wd++) {
		wd_keys[wd + 100] = wd;
		fdc_wdmap_put(&m, wd_keys, (uint32_t)wd + 100);
	}
	assert_int_equal(m.n, WDS);
	assert_int_equal(sizeof(*m.e), 4);
	assert_int_equal(m.cap, 8192); /* 5,000 at most 3/4 full */
	for (int wd = 1; wd <= WDS; wd++)
		assert_int_equal(fdc_wdmap_get(&m, wd_keys, wd), (uint32_t)wd + 100);
	for (int wd = 1; wd <= WDS; wd += 2)
		assert_true(fdc_wdmap_del(&m, wd_keys, wd));
	for (int wd = 1; wd <= WDS; wd++)
		assert_int_equal(fdc_wdmap_get(&m, wd_keys, wd), wd % 2 ? 0 : (uint32_t)wd + 100);
	assert_false(fdc_wdmap_del(&m, wd_keys, 1));
	assert_int_equal(fdc_wdmap_get(&m, wd_keys, WDS + 1), 0);
	assert_int_equal(fdc_wdmap_get(&m, wd_keys, -1), 0);
	fdc_wdmap_free(&m);
	assert_ptr_equal(m.wd_of, key_of);

	/* then churn: any wd put, replaced (a new node for it, as when a directory is seen
	 * through another node) or removed, every lookup checked */
	for (size_t op = 0; op < OPS; op++) {
		int wd;

		seed = seed * 1103515245u + 12345u;
		wd = (int)((seed >> 8) % RANGE);
		if ((seed >> 4) % 3) {
			if (!want[wd])
				n++;
			want[wd] = (uint32_t)op + 1;
			wd_keys[want[wd]] = wd;
			fdc_wdmap_put(&m, wd_keys, want[wd]);
		} else {
			assert_int_equal(fdc_wdmap_del(&m, wd_keys, wd), want[wd] != 0);
			if (want[wd])
				n--;
			want[wd] = 0;
		}
		assert_int_equal(m.n, n);
		assert_true(4 * m.n <= 3 * m.cap);
		assert_int_equal(fdc_wdmap_get(&m, wd_keys, wd), want[wd]);
		if (op % 20000 == 0)
			for (int k = 0; k < RANGE; k++)
				assert_int_equal(fdc_wdmap_get(&m, wd_keys, k), want[k]);
	}
	for (int k = 0; k < RANGE; k++)
		assert_int_equal(fdc_wdmap_get(&m, wd_keys, k), want[k]);
	fdc_wdmap_free(&m);
}

/* Watches through the cache, with a directory of our own taken for cgroupfs: hundreds of
 * watched directories, half of them gone (their watches removed), and a subdirectory
 * made in each of the others is still told, by the node of its parent. */
static void test_watches(void **state)
{
	enum { N = 400 };
	static char names[N][16];
	struct fd_budget budget = { .limit = 100000 };
	char *dir = tt_new();
	struct fdcache c;
	struct buf b = { 0 };
	int parent;

	parent = dirs_with_files(dir, names, N, "w");
	fdcache_init(&c, &budget, one_file, 1);
	refresh_dirs(&c, parent, names, N, CGROUP2_SUPER_MAGIC);
	if (c.watch_failed || c.wds.n < N) {
		fdcache_free(&c);
		close(parent);
		tt_remove(dir);
		skip(); /* inotify unusable or out of watches here */
	}
	assert_int_equal(c.wds.n, N);
	/* the first half gone: removed (no visit) or, one in ten, deleted from disk */
	for (size_t i = 0; i < N / 2; i++) {
		if (i % 10 == 0)
			rm_dir(dir, names[i]);
		names[i][0] = '\0';
	}
	refresh_dirs(&c, parent, names, N, CGROUP2_SUPER_MAGIC);
	assert_int_equal(c.n, N - N / 2);
	assert_int_equal(c.wds.n, N - N / 2);
	/* every third of the others gets a subdirectory */
	for (size_t i = N / 2; i < N; i += 3) {
		char rel[64];

		snprintf(rel, sizeof(rel), "%s/sub", names[i]);
		tt_mkdir(dir, rel);
	}
	fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
	for (size_t i = N / 2; i < N; i++) {
		struct fdc_visit v;
		struct stat st;

		assert_int_equal(fstatat(parent, names[i], &st, 0), 0);
		assert_int_equal(fdcache_visit(&c, &v, parent, names[i], name_hash(names[i]), st.st_ino), 0);
		assert_true(v.node->wd >= 0);
		assert_int_equal(fdcache_want_list(&v), (i - N / 2) % 3 == 0);
		fdcache_visit_end(&v);
	}
	fdcache_sweep(&c);
	fdcache_free(&c);
	assert_int_equal(budget.used, 0);
	buf_free(&b);
	close(parent);
	tt_remove(dir);
}

/* One refresh of directory "p" below TOP, as the sampler walks it: when the cache says it
 * is unchanged, its subdirectories in KIDS (the last refresh's) are visited by name
 * (FDC_INO_KNOWN), else it is listed; KIDS becomes what was visited (at most 16). AFTER
 * runs between the cache's start of the refresh and the question (NULL: nothing).
 * Returns whether it was found unchanged. */
struct kids_hooks {
	void (*after)(void *); /* after the visit, before the question */
	void (*during)(void *); /* after the listing or naming, before fdcache_listed() */
	void *arg;
};

static bool walk_parent(struct fdcache *c, int top, const char *name, char kids[][16], size_t *nkids,
			const struct kids_hooks *hk, bool all_visited)
{
	struct fdc_visit v;
	bool unchanged, subdirs = false;
	size_t n = 0;
	int pfd;

	assert_int_equal(fdcache_visit(c, &v, top, name, name_hash(name), 0), 0);
	if (hk && hk->after)
		hk->after(hk->arg);
	assert_true(fdcache_want_list(&v) || *nkids == 0);
	unchanged = fdcache_kids_unchanged(&v);
	pfd = fdcache_dirfd(&v);
	assert_true(pfd >= 0);
	if (unchanged) {
		for (size_t i = 0; i < *nkids; i++) {
			struct fdc_visit k;

			assert_int_equal(fdcache_visit(c, &k, pfd, kids[i], name_hash(kids[i]), FDC_INO_KNOWN), 0);
			assert_false(k.have_stat); /* taken as it was: no system call */
			fdcache_visit_end(&k);
			subdirs = true;
		}
		/* a name the last refresh did not visit is not here */
		{
			struct fdc_visit k;

			assert_int_equal(fdcache_visit(c, &k, pfd, "nothere", name_hash("nothere"), FDC_INO_KNOWN),
					 -ENOENT);
		}
		n = *nkids;
	} else {
		DIR *d = fdopendir(dup(pfd));
		struct dirent *de;

		assert_non_null(d);
		while ((de = readdir(d))) {
			struct fdc_visit k;

			if (de->d_type != DT_DIR || de->d_name[0] == '.')
				continue;
			assert_true(n < 16 && strlen(de->d_name) < 16);
			memcpy(kids[n], de->d_name, strlen(de->d_name) + 1);
			assert_int_equal(fdcache_visit(c, &k, pfd, kids[n], name_hash(kids[n]), de->d_ino), 0);
			fdcache_visit_end(&k);
			n++;
			subdirs = true;
		}
		closedir(d);
	}
	if (hk && hk->during)
		hk->during(hk->arg);
	fdcache_listed(&v, subdirs, all_visited);
	fdcache_visit_end(&v);
	*nkids = n;
	return unchanged;
}

static bool refresh_parent(struct fdcache *c, int top, char kids[][16], size_t *nkids,
			   void (*after)(void *), void *arg, bool all_visited)
{
	struct kids_hooks hk = { .after = after, .arg = arg };
	bool unchanged;

	fdcache_begin(c, CGROUP2_SUPER_MAGIC);
	unchanged = walk_parent(c, top, "p", kids, nkids, &hk, all_visited);
	fdcache_sweep(c);
	return unchanged;
}

static void mkdir_p4(void *dir)
{
	tt_mkdir(dir, "p/k4");
}

struct during_arg {
	struct fdcache *c;
	const char *dir;
	int top;
};

/* p/k5 removed, and the events read by the question about q (a directory walked
 * meanwhile, as the sampler's walk of p's subdirectories would) */
static void rm_k5_ask_q(void *arg)
{
	struct during_arg *a = arg;
	struct fdc_visit q;
	char path[4096];

	snprintf(path, sizeof(path), "%s/p/k5", a->dir);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(fdcache_visit(a->c, &q, a->top, "q", name_hash("q"), 0), 0);
	assert_true(fdcache_kids_unchanged(&q));
	fdcache_visit_end(&q);
}

/* A directory with subdirectories is not listed again while inotify says nothing about
 * them: made, removed or renamed, they are listed at the next refresh (so is one made
 * after the refresh began); one not visited whole, or a cache where two paths shared a
 * hash, is listed each time. */
static void test_kids_unchanged(void **state)
{
	struct fd_budget budget = { .limit = 1000 };
	char *dir = tt_new();
	char kids[16][16], from[4096], to[4096];
	size_t nkids = 0;
	struct fdcache c;
	struct fdc_visit v, k;
	int top;

	for (int i = 0; i < 3; i++) {
		char rel[16];

		snprintf(rel, sizeof(rel), "p/k%d", i);
		tt_mkdir(dir, rel);
	}
	top = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(top >= 0);
	fdcache_init(&c, &budget, one_file, 1);
	assert_false(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true)); /* new */
	if (c.watch_failed) {
		fdcache_free(&c);
		close(top);
		tt_remove(dir);
		skip(); /* inotify unusable here */
	}
	assert_int_equal(nkids, 3);
	assert_true(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
	assert_true(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
	assert_int_equal(nkids, 3);
	/* made */
	tt_mkdir(dir, "p/k3");
	assert_false(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
	assert_int_equal(nkids, 4);
	assert_true(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
	/* removed */
	snprintf(from, sizeof(from), "%s/p/k1", dir);
	assert_int_equal(rmdir(from), 0);
	assert_false(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
	assert_int_equal(nkids, 3);
	assert_true(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
	/* renamed */
	snprintf(from, sizeof(from), "%s/p/k2", dir);
	snprintf(to, sizeof(to), "%s/p/k9", dir);
	assert_int_equal(rename(from, to), 0);
	assert_false(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
	assert_int_equal(nkids, 3);
	assert_true(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
	/* made after the refresh began, before the question */
	assert_false(refresh_parent(&c, top, kids, &nkids, mkdir_p4, dir, true));
	assert_int_equal(nkids, 4);
	/* not all visited: listed again, until a listing visits all */
	assert_true(refresh_parent(&c, top, kids, &nkids, NULL, NULL, false));
	assert_false(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
	assert_true(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
	/* removed while its parent was listed, the event read before the listing ended (by
	 * the question about another directory): the parent is listed at the next refresh */
	{
		char qkids[16][16];
		size_t nq = 0;
		struct during_arg da = { .c = &c, .dir = dir, .top = top };
		struct kids_hooks hk = { .during = rm_k5_ask_q, .arg = &da };

		tt_mkdir(dir, "q/x");
		for (int i = 0; i < 2; i++) {
			fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
			walk_parent(&c, top, "p", kids, &nkids, NULL, true);
			walk_parent(&c, top, "q", qkids, &nq, NULL, true);
			fdcache_sweep(&c);
		}
		tt_mkdir(dir, "p/k5");
		fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
		assert_false(walk_parent(&c, top, "p", kids, &nkids, &hk, true));
		assert_int_equal(nkids, 5); /* the listing saw k5 */
		fdcache_sweep(&c);
		assert_false(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
		assert_int_equal(nkids, 4);
	}
	/* two paths of one hash in one refresh: the second is stat'ed, and nothing is taken
	 * as unchanged any more */
	fdcache_begin(&c, CGROUP2_SUPER_MAGIC);
	assert_int_equal(fdcache_visit(&c, &v, top, "p", name_hash("p"), 0), 0);
	assert_int_equal(fdcache_visit(&c, &k, fdcache_dirfd(&v), kids[0], name_hash("p"), FDC_INO_KNOWN), 0);
	assert_true(c.collided);
	assert_true(k.have_stat && k.orphan);
	fdcache_visit_end(&k);
	fdcache_listed(&v, true, true);
	fdcache_visit_end(&v);
	fdcache_sweep(&c);
	assert_false(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
	assert_false(refresh_parent(&c, top, kids, &nkids, NULL, NULL, true));
	fdcache_free(&c);
	assert_int_equal(budget.used, 0);
	close(top);
	tt_remove(dir);
}

/* A directory with its inode but a new ctime (here by a chmod: the same directory made
 * again keeps its inode on ext4 or xfs only by chance) is taken for another one: its
 * descriptors go. ext4 and xfs tick ctime every 4 to 10 ms, so within one tick the ctime
 * does not move: the change is made again a few ms later until it does (bounded). */
static void test_same_inode_new_ctime(void **state)
{
	struct fd_budget budget = { .limit = 100 };
	char *dir = tt_new();
	char path[4096];
	struct fdcache c;
	struct fdc_visit v;
	struct buf b = { 0 };
	struct stat before, after;
	int parent, tries = 0;

	tt_write(dir, "d/f", "one\n");
	snprintf(path, sizeof(path), "%s/d", dir);
	parent = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(parent >= 0);
	fdcache_init(&c, &budget, one_file, 1);
	c.memo_size = 8;
	fdcache_begin(&c, 0);
	assert_int_equal(fdcache_visit(&c, &v, parent, "d", 7, 0), 0);
	assert_true(fdcache_read(&v, 0, &b) >= 0);
	*(unsigned char *)fdcache_memo(&v) = 1;
	fdcache_visit_end(&v);
	fdcache_sweep(&c);
	assert_int_equal(fdcache_kept(&c), 1);
	assert_int_equal(stat(path, &before), 0);
	do {
		struct timespec tick = { 0, 5000000 };

		if (tries)
			nanosleep(&tick, NULL);
		assert_int_equal(chmod(path, tries % 2 ? 0755 : 0750), 0);
		assert_int_equal(stat(path, &after), 0);
	} while (after.st_ctim.tv_sec == before.st_ctim.tv_sec &&
		 after.st_ctim.tv_nsec == before.st_ctim.tv_nsec && ++tries < 200);
	assert_int_equal(after.st_ino, before.st_ino);
	if (tries == 200)
		fail_msg("the ctime of %s did not move in 1 s", path);
	fdcache_begin(&c, 0);
	assert_int_equal(fdcache_visit(&c, &v, parent, "d", 7, 0), 0);
	assert_int_equal(fdcache_kept(&c), 0);
	assert_int_equal(*(unsigned char *)fdcache_memo(&v), 0);
	assert_true(fdcache_read(&v, 0, &b) >= 0);
	assert_string_equal(b.data, "one\n");
	fdcache_visit_end(&v);
	fdcache_sweep(&c);
	assert_int_equal(fdcache_kept(&c), 1);
	/* and unchanged, kept */
	fdcache_begin(&c, 0);
	assert_int_equal(fdcache_visit(&c, &v, parent, "d", 7, 0), 0);
	assert_int_equal(fdcache_kept(&c), 1);
	fdcache_visit_end(&v);
	fdcache_sweep(&c);
	fdcache_free(&c);
	buf_free(&b);
	close(parent);
	tt_remove(dir);
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
 * the cgroup now at the path is what is read. The same for a rare file kept. */
static void test_enodev_reopens(void **state)
{
	static const char *const files[] = { "cpuacct.usage" };
	char dir[512];
	int parent;

	if (!cgroupfs_writable())
		skip();
	snprintf(dir, sizeof(dir), "%s/cgtop-unit-%d", cpuacct_mnt, (int)getpid());
	assert_int_equal(mkdir(dir, 0755), 0);
	parent = open(cpuacct_mnt, O_RDONLY | O_DIRECTORY);
	assert_true(parent >= 0);
	for (int rare = 0; rare < 2; rare++) {
		struct fd_budget budget = { .limit = 100, .rare_ok = true };
		ssize_t (*read)(struct fdc_visit *, size_t, struct buf *) =
			rare ? fdcache_read_rare : fdcache_read;
		struct fdcache c;
		struct fdc_visit v;
		struct buf b = { 0 };

		fdcache_init(&c, &budget, files, 1);
		fdcache_begin(&c, 0x27e0eb);
		assert_int_equal(fdcache_visit(&c, &v, parent, strrchr(dir, '/') + 1, 42, 0), 0);
		assert_true(read(&v, 0, &b) >= 0);
		assert_int_equal(fdcache_kept(&c), 1);
		/* the same visit, after the cgroup was made again under it */
		assert_int_equal(rmdir(dir), 0);
		assert_int_equal(mkdir(dir, 0755), 0);
		assert_true(read(&v, 0, &b) >= 0);
		assert_string_equal(b.data, "0\n");
		assert_int_equal(fdcache_kept(&c), 1); /* the new cgroup's */
		fdcache_visit_end(&v);
		fdcache_free(&c);
		buf_free(&b);
	}
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

/* On the real hierarchies: a cgroup with subdirectories, unchanged, is not listed again
 * (the walk names its subdirectories from the sample before), and a subdirectory made,
 * removed or renamed shows at the next refresh, with its figures. */
static void test_cgroupfs_parent_unlisted(void **state)
{
	struct fx f = { 0 };
	const struct snapshot *s;
	char dir[512], a[600], b[600], c[600], path[128], pa[160], pb[160], pc[160];
	size_t listed, named;

	if (!cgroupfs_writable())
		skip();
	snprintf(path, sizeof(path), "/cgtop-unit-p%d", (int)getpid());
	snprintf(dir, sizeof(dir), "%s%s", cpuacct_mnt, path);
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	snprintf(c, sizeof(c), "%s/c", dir);
	snprintf(pa, sizeof(pa), "%s/a", path);
	snprintf(pb, sizeof(pb), "%s/b", path);
	snprintf(pc, sizeof(pc), "%s/c", path);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(mkdir(a, 0755), 0);
	assert_int_equal(mkdir(b, 0755), 0);
	assert_int_equal(rootfs_open(&f.r, "/"), 0);
	assert_int_equal(hierarchies_discover(&f.r, false, &f.hs, &f.notes), 0);
	f.s = sampler_new(&f.r, &f.hs, &(struct sampler_options){ .max_depth = ~0u }, &f.notes);
	s = sampler_refresh(f.s, 10 * SEC, 0);
	assert_true(snapshot_find(s, pa) >= 0 && snapshot_find(s, pb) >= 0);
	sampler_dirs_walked(f.s, &listed, &named);
	assert_true(listed > 0);
	assert_int_equal(named, 0); /* nothing to name them from */
	s = sampler_refresh(f.s, 11 * SEC, 0);
	sampler_dirs_walked(f.s, &listed, &named);
	assert_true(named > 0); /* at least this test's own, unless inotify is unusable */
	assert_true(row_has(row(s, pa), F_CPU_NS) && row_has(row(s, pb), F_CPU_NS));
	assert_int_equal(row(s, pa)->parent, snapshot_find(s, path));
	/* made */
	assert_int_equal(mkdir(c, 0755), 0);
	s = sampler_refresh(f.s, 12 * SEC, 0);
	assert_true(snapshot_find(s, pc) >= 0);
	assert_true(row_has(row(s, pc), F_CPU_NS));
	/* removed */
	assert_int_equal(rmdir(a), 0);
	s = sampler_refresh(f.s, 13 * SEC, 0);
	assert_true(snapshot_find(s, pa) < 0);
	assert_true(snapshot_find(s, pb) >= 0 && snapshot_find(s, pc) >= 0);
	s = sampler_refresh(f.s, 14 * SEC, 0);
	assert_true(snapshot_find(s, pa) < 0);
	/* renamed (cgroup v1 renames within a parent) */
	if (rename(b, a) == 0) {
		s = sampler_refresh(f.s, 15 * SEC, 0);
		assert_true(snapshot_find(s, pa) >= 0 && snapshot_find(s, pb) < 0);
		assert_true(row_has(row(s, pa), F_CPU_NS));
		s = sampler_refresh(f.s, 16 * SEC, 0);
		assert_true(snapshot_find(s, pa) >= 0 && snapshot_find(s, pb) < 0);
		assert_int_equal(rmdir(a), 0);
	} else {
		assert_int_equal(rmdir(b), 0);
	}
	s = sampler_refresh(f.s, 17 * SEC, 0);
	assert_true(snapshot_find(s, pa) < 0 && snapshot_find(s, pb) < 0 && snapshot_find(s, pc) >= 0);
	sampler_free(f.s);
	hierarchies_free(&f.hs);
	notes_free(&f.notes);
	rootfs_close(&f.r);
	assert_int_equal(rmdir(c), 0);
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
		cmocka_unit_test(test_slab_reuse),
		cmocka_unit_test(test_node_layout),
		cmocka_unit_test(test_dirfds_kept),
		cmocka_unit_test(test_slot_refresh_wrap),
		cmocka_unit_test(test_rare_kept_with_room),
		cmocka_unit_test(test_rare_budget_short),
		cmocka_unit_test(test_wdmap),
		cmocka_unit_test(test_watches),
		cmocka_unit_test(test_same_inode_new_ctime),
		cmocka_unit_test(test_enodev_reopens),
		cmocka_unit_test(test_cgroupfs_leaf_grows),
		cmocka_unit_test(test_kids_unchanged),
		cmocka_unit_test(test_cgroupfs_parent_unlisted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
