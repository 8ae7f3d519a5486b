/* The sandbox in force: in a child process that entered it, what a read-only monitor
 * does still works and what it never does is refused. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sandbox.h"

static char tmpdir[] = "/tmp/cgtop-sandbox.XXXXXX";

/* Each check in the child: which one failed is its exit status. */
#define CHILD_CHECK(n, cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "check %d failed: %s (errno %s)\n", n, #cond, strerror(errno)); \
			_exit(n); \
		} \
	} while (0)

/* The value of "Key:" in /proc/self/status, or -1. */
static int status_field(const char *key)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	int v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0)
			v = atoi(line + strlen(key));
	if (f)
		fclose(f);
	return v;
}

static int go[2], said[2];

/* A thread that runs before the sandbox: once told, it tries to make a file. */
static void *early_thread(void *arg)
{
	char c, path[128];
	int fd, e;

	if (read(go[0], &c, 1) != 1)
		return NULL;
	snprintf(path, sizeof(path), "%s/by-thread", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	e = fd < 0 ? errno : 0;
	if (write(said[1], &e, sizeof(e)) != sizeof(e))
		return NULL;
	return arg;
}

static void child(void)
{
	struct notes notes = { 0 };
	struct sandbox_state st;
	char path[128], buf[16];
	int fd, sv[2], e = -1;
	pthread_t th;

	/* the metadata worker runs before sandbox_enter(): the filter must reach it too */
	CHILD_CHECK(30, pipe(go) == 0 && pipe(said) == 0);
	CHILD_CHECK(31, pthread_create(&th, NULL, early_thread, NULL) == 0);
	st = sandbox_enter(&notes, -1);
	CHILD_CHECK(32, write(go[1], "x", 1) == 1 && read(said[0], &e, sizeof(e)) == sizeof(e));
	CHILD_CHECK(33, e == EACCES);
	pthread_join(th, NULL);
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char prog[] = "/bin/true";
	char *const argv[] = { prog, NULL };

	CHILD_CHECK(1, notes.n == 0);
	CHILD_CHECK(2, st.no_new_privs && st.seccomp);
	CHILD_CHECK(3, status_field("NoNewPrivs:") == 1);
	CHILD_CHECK(4, status_field("Seccomp:") == 2);
	/* reading works: files, directories, /proc */
	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	CHILD_CHECK(5, fd >= 0 && read(fd, buf, sizeof(buf)) > 0);
	close(fd);
	fd = openat(AT_FDCWD, tmpdir, O_RDONLY | O_DIRECTORY);
	CHILD_CHECK(6, fd >= 0);
	close(fd);
	/* writing to a descriptor already open (the terminal, stdout) works */
	CHILD_CHECK(7, write(STDERR_FILENO, "", 0) == 0);
	/* opening for writing, creating, truncating: refused */
	snprintf(path, sizeof(path), "%s/new", tmpdir);
	errno = 0;
	CHILD_CHECK(8, open(path, O_WRONLY | O_CREAT, 0600) < 0 && errno == EACCES);
	snprintf(path, sizeof(path), "%s/existing", tmpdir);
	CHILD_CHECK(9, open(path, O_RDWR) < 0 && errno == EACCES);
	CHILD_CHECK(10, open(path, O_RDONLY | O_TRUNC) < 0 && errno == EACCES);
	CHILD_CHECK(11, unlink(path) < 0 && errno == EPERM);
	CHILD_CHECK(12, mkdir(path, 0700) < 0 && errno == EPERM);
	CHILD_CHECK(13, truncate(path, 0) < 0 && errno == EPERM);
	/* running another program: refused */
	CHILD_CHECK(14, execve(argv[0], argv, NULL) < 0 && errno == EPERM);
	/* network sockets: refused; unix sockets (the engines' API): allowed */
	CHILD_CHECK(15, socket(AF_INET, SOCK_STREAM, 0) < 0 && errno == EAFNOSUPPORT);
	CHILD_CHECK(16, socket(AF_INET6, SOCK_DGRAM, 0) < 0 && errno == EAFNOSUPPORT);
	CHILD_CHECK(17, socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHILD_CHECK(18, fd >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/sock", tmpdir);
	CHILD_CHECK(19, connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	CHILD_CHECK(20, send(fd, "GET", 3, MSG_NOSIGNAL) == 3);
	close(fd);
	/* other processes' /proc/PID/io stays readable: the I/O estimate needs it (a
	 * Landlock domain would refuse it: see sandbox.c) */
	snprintf(path, sizeof(path), "/proc/%d/io", (int)getppid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	CHILD_CHECK(21, fd >= 0 && read(fd, buf, sizeof(buf)) > 0);
	close(fd);
	notes_free(&notes);
	_exit(0);
}

static void test_sandbox_in_force(void **state)
{
	char path[128];
	int fd, lfd, status;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	pid_t pid;

	assert_non_null(mkdtemp(tmpdir));
	snprintf(path, sizeof(path), "%s/existing", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "data", 4), 4);
	close(fd);
	/* a listening socket, as an engine's */
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/sock", tmpdir);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 4), 0);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child();
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(lfd);
	/* nothing was made or removed by the child or its early thread */
	snprintf(path, sizeof(path), "%s/new", tmpdir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/by-thread", tmpdir);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/existing", tmpdir);
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sock", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static char outdir[] = "/tmp/cgtop-sandbox-out.XXXXXX";

/* --output's directory: files are made, written and renamed there, through its
 * descriptor; nowhere else, and nothing else is done there. */
static void child_output(int dirfd)
{
	struct notes notes = { 0 };
	struct sandbox_state st = sandbox_enter(&notes, dirfd);
	char path[128];
	int fd;

	CHILD_CHECK(1, notes.n == 0 && st.seccomp);
	fd = openat(dirfd, ".cgtop.prom.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHILD_CHECK(2, fd >= 0 && write(fd, "x 1\n", 4) == 4);
	close(fd);
	CHILD_CHECK(3, renameat(dirfd, ".cgtop.prom.tmp", dirfd, "cgtop.prom") == 0);
	/* the same directory by another descriptor or by path: refused */
	fd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CHILD_CHECK(4, fd >= 0);
	errno = 0;
	CHILD_CHECK(5, openat(fd, "other", O_WRONLY | O_CREAT, 0644) < 0 && errno == EACCES);
	snprintf(path, sizeof(path), "%s/other", outdir);
	CHILD_CHECK(6, open(path, O_WRONLY | O_CREAT, 0644) < 0 && errno == EACCES);
	CHILD_CHECK(7, renameat(fd, "cgtop.prom", dirfd, "moved") < 0 && errno == EPERM);
	CHILD_CHECK(8, renameat(dirfd, "cgtop.prom", fd, "moved") < 0 && errno == EPERM);
	CHILD_CHECK(9, rename(path, "/tmp/cgtop-sandbox-moved") < 0 && errno == EPERM);
	/* nothing but making, writing and renaming: no unlink, link, mkdir there */
	CHILD_CHECK(10, unlinkat(dirfd, "cgtop.prom", 0) < 0 && errno == EPERM);
	CHILD_CHECK(11, linkat(dirfd, "cgtop.prom", dirfd, "link", 0) < 0 && errno == EPERM);
	CHILD_CHECK(12, mkdirat(dirfd, "sub", 0700) < 0 && errno == EPERM);
	/* and elsewhere, as without --output */
	snprintf(path, sizeof(path), "%s/new", tmpdir);
	CHILD_CHECK(13, open(path, O_WRONLY | O_CREAT, 0600) < 0 && errno == EACCES);
	close(fd);
	notes_free(&notes);
	_exit(0);
}

static void test_sandbox_output(void **state)
{
	char path[128], buf[16] = "";
	int dirfd, fd, status;
	pid_t pid;

	assert_non_null(mkdtemp(outdir));
	dirfd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dirfd >= 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child_output(dirfd);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(dirfd);
	/* what the child wrote is there under its final name, and nothing else */
	snprintf(path, sizeof(path), "%s/cgtop.prom", outdir);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), 4);
	close(fd);
	assert_string_equal(buf, "x 1\n");
	unlink(path);
	snprintf(path, sizeof(path), "%s/other", outdir);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(rmdir(outdir), 0); /* empty: no temporary file, link or directory left */
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sandbox_in_force),
		cmocka_unit_test(test_sandbox_output),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
