/* Unit tests of the task view's parsers and of the task reader on the fixture tree. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hierarchy.h"
#include "notes.h"
#include "parse_procs.h"
#include "procs.h"
#include "rootfs.h"

static void test_status_uid(void **state)
{
	static const char status[] = "Name:\tnginx\nState:\tS (sleeping)\nUid:\t101\t102\t103\t104\nGid:\t5\t5\t5\t5\n";
	uid_t uid = 7;

	assert_int_equal(parse_status_uid(status, strlen(status), &uid), 0);
	assert_int_equal(uid, 101); /* the real UID, not the effective one */
	assert_int_equal(parse_status_uid("Name:\tx\n", 8, &uid), -ENOENT);
	assert_int_equal(parse_status_uid("Uid:\tabc\n", 9, &uid), -EINVAL);
	assert_int_equal(parse_status_uid("Uid:\t99999999999\n", 17, &uid), -EINVAL);
	/* not NUL-terminated: the parser stops at LEN */
	assert_int_equal(parse_status_uid("Uid:\t42\tZZZ", 7, &uid), 0);
	assert_int_equal(uid, 42);
}

static void test_cmdline(void **state)
{
	static const char cmd[] = "nginx: master process\0-g\0daemon off;\0";
	char out[64];

	assert_int_equal(parse_cmdline(cmd, sizeof(cmd) - 1, out, sizeof(out)), 36);
	assert_string_equal(out, "nginx: master process -g daemon off;");
	/* kernel threads and zombies: empty */
	assert_int_equal(parse_cmdline("", 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(parse_cmdline("\0\0", 2, out, sizeof(out)), 0);
	/* a process that rewrote its argv: no NUL at all */
	assert_int_equal(parse_cmdline("sshd: alice [priv]", 18, out, sizeof(out)), 18);
	assert_string_equal(out, "sshd: alice [priv]");
	/* cut, never past OUTLEN */
	assert_int_equal(parse_cmdline("abcdef", 6, out, 4), 3);
	assert_string_equal(out, "abc");
	/* empty arguments keep their place; control bytes are kept for sanitize() */
	assert_int_equal(parse_cmdline("a\0\0b\x1b\0", 6, out, sizeof(out)), 5);
	assert_memory_equal(out, "a  b\x1b", 6);
}

static void test_uptime(void **state)
{
	double s = 0;

	assert_int_equal(parse_uptime("277412.55 500000.10\n", 20, &s), 0);
	assert_true(s > 277412.54 && s < 277412.56);
	assert_int_equal(parse_uptime("12\n", 3, &s), 0);
	assert_true(s == 12.0);
	assert_int_equal(parse_uptime("", 0, &s), -EINVAL);
	assert_int_equal(parse_uptime("x 1\n", 4, &s), -EINVAL);
	assert_int_equal(parse_uptime("12x\n", 4, &s), -EINVAL);
}

static void test_passwd(void **state)
{
	static const char pw[] = "root:x:0:0:root:/root:/bin/bash\n"
				 "# a comment\n"
				 "broken line\n"
				 ":x:5:5::/:/bin/false\n"
				 "nginx:x:101:101::/var/lib/nginx:/usr/sbin/nologin\n"
				 "alice:x:1000:1000:Alice:/home/alice:/bin/bash";
	char name[33], tiny[3];

	assert_int_equal(parse_passwd_name(pw, strlen(pw), 0, name, sizeof(name)), 0);
	assert_string_equal(name, "root");
	assert_int_equal(parse_passwd_name(pw, strlen(pw), 101, name, sizeof(name)), 0);
	assert_string_equal(name, "nginx");
	/* the last line has no newline */
	assert_int_equal(parse_passwd_name(pw, strlen(pw), 1000, name, sizeof(name)), 0);
	assert_string_equal(name, "alice");
	/* an empty name is no name */
	assert_int_equal(parse_passwd_name(pw, strlen(pw), 5, name, sizeof(name)), -ENOENT);
	assert_int_equal(parse_passwd_name(pw, strlen(pw), 4242, name, sizeof(name)), -ENOENT);
	assert_int_equal(parse_passwd_name(pw, strlen(pw), 101, tiny, sizeof(tiny)), -ENOBUFS);
	/* "1000" must not match UID 100 */
	assert_int_equal(parse_passwd_name(pw, strlen(pw), 100, name, sizeof(name)), -ENOENT);
}

/* The reader on tests/fixtures/tui: PIDs of a cgroup and below, a task's figures. */
static void test_reader_fixture(void **state)
{
	struct rootfs r = { .fd = -1 };
	struct cg_hierarchies hs;
	struct notes notes = { 0 };
	struct procs_reader *pr;
	struct task_list l = { 0 };
	struct task_cgroup *cgs;
	const char *paths[] = { "/user.slice" };
	pid_t *pids = NULL;
	size_t cap = 0;
	ssize_t n;

	assert_int_equal(rootfs_open(&r, FIXTURES "/tui"), 0);
	assert_int_equal(hierarchies_discover(&r, false, &hs, &notes), 0);
	pr = procs_reader_new(&r, &hs);

	n = procs_list_pids(pr, "/system.slice", &pids, &cap);
	assert_int_equal(n, 3); /* sshd.service's 410 and the docker scope's 2001, 2002 */
	assert_int_equal(pids[0], 410);
	assert_int_equal(pids[1], 2001);
	assert_int_equal(pids[2], 2002);
	assert_int_equal(procs_list_pids(pr, "/", &pids, &cap), 7);
	assert_int_equal(procs_list_pids(pr, "/no.such.slice", &pids, &cap), -ENOENT);

	assert_int_equal(procs_sample(pr, paths, 1, 1000000000u, &l), 0);
	assert_int_equal(l.n, 2);
	/* no rate yet: by CPU time, 3001 (60 ticks) before 3002 (2 ticks) */
	assert_int_equal(l.v[0].pid, 3001);
	assert_false(l.v[0].cpu_valid);
	assert_string_equal(l.v[0].user, "alice");
	assert_string_equal(l.v[0].cmdline, "-bash");
	assert_true(l.v[0].rss_valid);
	assert_int_equal(l.v[0].rss_bytes, 5200 * 1024);
	assert_true(l.v[0].start_valid);
	assert_int_equal(l.v[1].pid, 3002);
	assert_string_equal(l.v[1].cmdline, "printf \x1b]0;pwned\x07\x1b[2J");

	/* the second sample has a rate (0: the fixture does not change) */
	assert_int_equal(procs_sample(pr, paths, 1, 2000000000u, &l), 0);
	assert_true(l.v[0].cpu_valid);
	assert_true(l.v[0].cpu_percent == 0.0);

	/* a kernel thread: [comm], no memory of its own */
	paths[0] = "/";
	assert_int_equal(procs_sample(pr, paths, 1, 3000000000u, &l), 0);
	assert_int_equal(l.n, 7);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].pid == 2) {
			assert_string_equal(l.v[i].cmdline, "[kthreadd]");
			assert_true(l.v[i].rss_valid);
			assert_int_equal(l.v[i].rss_bytes, 0);
		}

	paths[0] = "/gone.slice";
	assert_int_equal(procs_sample(pr, paths, 1, 4000000000u, &l), -ENOENT);
	assert_int_equal(l.err, -ENOENT);

	n = procs_read_cgroups(&r, 2002, &cgs);
	assert_int_equal(n, 1);
	assert_int_equal(cgs[0].hierarchy, 0);
	assert_string_equal(cgs[0].controllers, "");
	assert_string_equal(cgs[0].path,
			    "/system.slice/docker-4b825dc642cb6eb9a060e54bf8d69288fbee4904c7a6e1d6e1c3f2a5b6d7e8f9.scope");
	task_cgroups_free(cgs, (size_t)n);
	assert_int_equal(procs_read_cgroups(&r, 99999, &cgs), -ENOENT);

	task_list_free(&l);
	free(pids);
	procs_reader_free(pr);
	hierarchies_free(&hs);
	notes_free(&notes);
	rootfs_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_uid),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_uptime),
		cmocka_unit_test(test_passwd),
		cmocka_unit_test(test_reader_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
