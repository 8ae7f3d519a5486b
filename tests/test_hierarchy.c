/* Unit tests of hierarchy discovery on the layouts cgtop meets: RHEL 7 v1 with cpu,cpuacct
 * together, v1 with them apart (this project's CI machine), pure v2, hybrid, and a host
 * booted with cgroup_disable=memory. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <libcgroup.h>
#include <string.h>

#include "hierarchy.h"
#include "testtree.h"

#define MI_ROOT "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
#define MI_V1(id, dir, opts) \
	#id " 30 0:" #id " / /sys/fs/cgroup/" dir " rw,nosuid,nodev,noexec,relatime shared:" #id \
	    " - cgroup cgroup rw," opts "\n"

static const char mi_rhel7[] = MI_ROOT
	MI_V1(24, "systemd", "xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd")
	MI_V1(27, "cpuset", "cpuset") MI_V1(28, "cpu,cpuacct", "cpuacct,cpu")
	MI_V1(29, "memory", "memory") MI_V1(30, "devices", "devices")
	MI_V1(31, "net_cls,net_prio", "net_prio,net_cls") MI_V1(32, "blkio", "blkio")
	MI_V1(33, "pids", "pids") MI_V1(34, "hugetlb", "hugetlb");

static const char mi_split[] = MI_ROOT
	MI_V1(31, "cpu", "cpu") MI_V1(32, "cpuacct", "cpuacct") MI_V1(34, "memory", "memory")
	MI_V1(37, "blkio", "blkio") MI_V1(38, "pids", "pids") MI_V1(39, "systemd", "name=systemd")
	"40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

static const char mi_v2[] = MI_ROOT
	"26 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
	/* the same tree bind-mounted again must not count twice */
	"27 22 0:23 / /mnt/cg rw - cgroup2 cgroup2 rw\n";

static const char mi_nomem[] = MI_ROOT
	MI_V1(24, "systemd", "name=systemd") MI_V1(28, "cpu,cpuacct", "cpuacct,cpu")
	MI_V1(32, "blkio", "blkio") MI_V1(33, "pids", "pids");

static char *make_root(const char *mountinfo, const char *v2_controllers, const char *proc_cgroups)
{
	char *root = tt_new();

	tt_write(root, "proc/self/mountinfo", mountinfo);
	if (v2_controllers) {
		tt_write(root, "sys/fs/cgroup/unified/cgroup.controllers", v2_controllers);
		tt_write(root, "sys/fs/cgroup/cgroup.controllers", v2_controllers);
	}
	if (proc_cgroups)
		tt_write(root, "proc/cgroups", proc_cgroups);
	return root;
}

static int discover(char *dir, struct cg_hierarchies *hs, struct notes *notes)
{
	struct rootfs r;
	int ret;

	assert_int_equal(rootfs_open(&r, dir), 0);
	ret = hierarchies_discover(&r, false, hs, notes);
	rootfs_close(&r);
	return ret;
}

static const char *src_name(const struct cg_hierarchies *hs, int i)
{
	return i < 0 ? "(none)" : hs->h[i].name;
}

static void test_rhel7(void **state)
{
	char *root = make_root(mi_rhel7, NULL, NULL);
	struct cg_hierarchies hs;
	struct notes notes = { 0 };

	assert_int_equal(discover(root, &hs, &notes), 0);
	assert_int_equal(hs.mode, CG_MODE_V1);
	assert_int_equal(hs.n, 9);
	assert_string_equal(src_name(&hs, hs.src.cpu), "cpuacct,cpu");
	assert_string_equal(hs.h[hs.src.cpu].mount_point, "/sys/fs/cgroup/cpu,cpuacct");
	assert_string_equal(src_name(&hs, hs.src.memory), "memory");
	assert_string_equal(src_name(&hs, hs.src.io), "blkio");
	assert_string_equal(src_name(&hs, hs.src.pids), "pids");
	assert_string_equal(src_name(&hs, hs.src.procs), "name=systemd");
	/* RHEL 7: the quota is read where cpuacct is, the two co-mounted; no cgroup2, no pressure */
	assert_int_equal(hs.src.cpu_limit, hs.src.cpu);
	assert_int_equal(hs.src.psi, -1);
	assert_int_equal(notes.n, 0);
	hierarchies_free(&hs);
	notes_free(&notes);
	tt_remove(root);
}

static void test_split_hybrid(void **state)
{
	char *root = make_root(mi_split, "hugetlb\n", NULL);
	struct cg_hierarchies hs;
	struct notes notes = { 0 };

	assert_int_equal(discover(root, &hs, &notes), 0);
	assert_int_equal(hs.mode, CG_MODE_HYBRID);
	assert_string_equal(cg_mode_name(hs.mode), "hybrid");
	assert_string_equal(src_name(&hs, hs.src.cpu), "cpuacct");
	assert_string_equal(src_name(&hs, hs.src.memory), "memory");
	assert_string_equal(src_name(&hs, hs.src.io), "blkio");
	assert_string_equal(src_name(&hs, hs.src.procs), "name=systemd");
	/* this machine: the quota and the throttling are in the cpu mount, not cpuacct's */
	assert_string_equal(src_name(&hs, hs.src.cpu_limit), "cpu");
	assert_string_equal(hs.h[hs.src.cpu_limit].mount_point, "/sys/fs/cgroup/cpu");
	/* the unified hierarchy has only hugetlb: of the figures it gives pressure alone */
	for (size_t i = 0; i < hs.n; i++)
		if (hs.h[i].v2)
			assert_int_equal(hs.h[i].controllers, CTL_OTHER);
	assert_string_equal(src_name(&hs, hs.src.psi), "cgroup2");
	assert_string_equal(hs.h[hs.src.psi].mount_point, "/sys/fs/cgroup/unified");
	assert_int_equal(notes.n, 0);
	hierarchies_free(&hs);
	notes_free(&notes);
	tt_remove(root);
}

static void test_v2(void **state)
{
	char *root = make_root(mi_v2, "cpuset cpu io memory hugetlb pids rdma misc\n", NULL);
	struct cg_hierarchies hs;
	struct notes notes = { 0 };

	assert_int_equal(discover(root, &hs, &notes), 0);
	assert_int_equal(hs.mode, CG_MODE_V2);
	assert_int_equal(hs.n, 1);
	assert_true(hs.h[0].v2);
	assert_int_equal(hs.h[0].controllers & (CTL_MEMORY | CTL_IO | CTL_PIDS | CTL_CPU),
			 CTL_MEMORY | CTL_IO | CTL_PIDS | CTL_CPU);
	assert_int_equal(hs.src.cpu, 0);
	assert_int_equal(hs.src.memory, 0);
	assert_int_equal(hs.src.io, 0);
	assert_int_equal(hs.src.pids, 0);
	assert_int_equal(hs.src.procs, 0);
	assert_int_equal(hs.src.cpu_limit, 0);
	assert_int_equal(hs.src.psi, 0);
	hierarchies_free(&hs);
	notes_free(&notes);
	tt_remove(root);
}

static void test_v2_without_memory_controller(void **state)
{
	char *root = make_root(mi_v2, "cpu io pids\n", NULL);
	struct cg_hierarchies hs;
	struct notes notes = { 0 };

	assert_int_equal(discover(root, &hs, &notes), 0);
	assert_int_equal(hs.src.memory, -1);
	assert_int_equal(hs.src.cpu, 0);
	assert_int_equal(hs.src.cpu_limit, 0);
	assert_int_equal(hs.src.psi, 0);
	assert_int_equal(notes.n, 1);
	assert_non_null(strstr(notes.texts[0], "memory controller is not mounted"));
	hierarchies_free(&hs);
	notes_free(&notes);
	tt_remove(root);
}

static void test_memory_disabled(void **state)
{
	char *root = make_root(mi_nomem, NULL,
			       "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t2\t260\t1\n"
			       "cpuacct\t2\t260\t1\nmemory\t0\t1\t0\nblkio\t6\t260\t1\npids\t4\t260\t1\n");
	struct cg_hierarchies hs;
	struct notes notes = { 0 };

	assert_int_equal(discover(root, &hs, &notes), 0);
	assert_int_equal(hs.mode, CG_MODE_V1);
	assert_int_equal(hs.src.memory, -1);
	assert_true(hs.src.cpu >= 0);
	/* one note, saying why */
	assert_int_equal(notes.n, 1);
	assert_non_null(strstr(notes.texts[0], "memory controller is disabled"));
	assert_non_null(strstr(notes.texts[0], "cgroup_disable=memory"));
	hierarchies_free(&hs);
	notes_free(&notes);
	tt_remove(root);
}

static void test_no_cgroups_and_garbage(void **state)
{
	char *root = make_root(MI_ROOT "garbage line\n", NULL, NULL);
	struct cg_hierarchies hs;
	struct notes notes = { 0 };

	assert_int_equal(discover(root, &hs, &notes), -ENOENT);
	notes_free(&notes);
	tt_remove(root);
	root = tt_new();
	assert_int_equal(discover(root, &hs, &notes), -ENOENT); /* no proc/self/mountinfo at all */
	tt_remove(root);
	notes_free(&notes);
}

/* libcgroup is asked in a child: what it says comes back (on this host, the mount points
 * mountinfo gives), and this process's libcgroup is never set up (cgroup_init() would
 * zero 0.8 MiB of its tables, resident for good). */
static void test_libcgroup_apart(void **state)
{
	struct rootfs r;
	struct cg_hierarchies hs;
	struct notes notes = { 0 };
	struct buf b = { 0 };
	struct cgroup_mount_point mp;
	void *handle = NULL;
	size_t agree = 0;

	(void)state;
	assert_int_equal(rootfs_open(&r, "/"), 0);
	if (hierarchies_discover(&r, true, &hs, &notes) < 0) {
		rootfs_close(&r);
		skip(); /* no cgroup mounted here */
	}
	assert_int_equal(libcgroup_mounts(&b), 0);
	assert_true(b.len > 0);
	if (b.data[0] == 'E') {
		/* libcgroup could not read the table: its note, from the child's answer */
		assert_int_equal(notes.n, 1);
		assert_non_null(strstr(notes.texts[0], b.data + 1));
	}
	for (const char *p = b.data; b.data[0] == 'C' && p < b.data + b.len && *p == 'C';) {
		const char *name = p + 1, *path = name + strlen(name) + 1;

		assert_true(path < b.data + b.len);
		for (size_t i = 0; i < hs.n; i++)
			agree += strcmp(hs.h[i].mount_point, path) == 0;
		p = path + strlen(path) + 1;
	}
	if (b.data[0] == 'C')
		assert_true(agree > 0);
	assert_int_not_equal(cgroup_get_controller_begin(&handle, &mp), 0);
	buf_free(&b);
	hierarchies_free(&hs);
	notes_free(&notes);
	rootfs_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rhel7),
		cmocka_unit_test(test_split_hybrid),
		cmocka_unit_test(test_v2),
		cmocka_unit_test(test_v2_without_memory_controller),
		cmocka_unit_test(test_memory_disabled),
		cmocka_unit_test(test_no_cgroups_and_garbage),
		cmocka_unit_test(test_libcgroup_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
