/* cgbench: the C half of `make bench` (tests/bench/bench.sh).
 *
 *   cgbench grow N DIR...         make DIR (a slice) and DIR/docker-<64 hex>.scope for the
 *                                 first N IDs where missing, in every DIR (one per hierarchy)
 *   cgbench fixture N ROOT        the same tree as files below ROOT, for cgtop --root: a split
 *                                 v1 host (cpu, cpuacct, memory, blkio, pids, name=systemd)
 *   cgbench remove DIR...         rmdir every cgroup below DIR, deepest first, then DIR
 *   cgbench floor K DIR:F,F...    open files F of every cgroup below each DIR once, then pread
 *                                 them all K times: the kept-fd floor of a refresh
 *   cgbench run CMD [ARG...]      run CMD (stdout to /dev/null) and print what it cost
 *
 * IDs are the same on every run, so a tree grown once is reused by later runs. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLICE "cgtop-bench.slice"

static void die(const char *what)
{
	fprintf(stderr, "cgbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* "docker-<64 hex>.scope" for scope number I */
static void scope_name(char *out, size_t len, unsigned long i)
{
	uint64_t seed = 0xC67C0B5EEDull + i * 4;
	uint64_t w[4];

	for (int k = 0; k < 4; k++)
		w[k] = splitmix64(&seed);
	snprintf(out, len, "docker-%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64 ".scope",
		 w[0], w[1], w[2], w[3]);
}

static uint64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmd_grow(unsigned long n, int argc, char **argv)
{
	char name[128];

	for (int a = 0; a < argc; a++) {
		int dfd;

		if (mkdir(argv[a], 0755) < 0 && errno != EEXIST)
			die(argv[a]);
		dfd = open(argv[a], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			die(argv[a]);
		for (unsigned long i = 0; i < n; i++) {
			scope_name(name, sizeof(name), i);
			if (mkdirat(dfd, name, 0755) < 0 && errno != EEXIST)
				die(name);
		}
		close(dfd);
	}
	return 0;
}

static void write_at(int dfd, const char *name, const char *content)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t len = strlen(content);

	if (fd < 0 || write(fd, content, len) != (ssize_t)len)
		die(name);
	close(fd);
}

static void mkdirs(const char *path)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s/", path);
	for (char *p = tmp + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
				die(tmp);
			*p = '/';
		}
}

static const char *const fixture_hiers[] = { "cpu", "cpuacct", "memory", "blkio", "pids", "systemd" };

/* The counter files of one cgroup in hierarchy H, as a quiet container has them. */
static void fixture_files(int dfd, const char *h, unsigned long i)
{
	char v[512];

	write_at(dfd, "cgroup.procs", "");
	if (strcmp(h, "cpuacct") == 0) {
		snprintf(v, sizeof(v), "%lu\n", 1000000ul * (i + 1));
		write_at(dfd, "cpuacct.usage", v);
	} else if (strcmp(h, "memory") == 0) {
		snprintf(v, sizeof(v), "%lu\n", 4096ul * (i + 10));
		write_at(dfd, "memory.usage_in_bytes", v);
		write_at(dfd, "memory.limit_in_bytes", "9223372036854771712\n");
		snprintf(v, sizeof(v),
			 "cache 0\nrss %lu\nrss_huge 0\nshmem 0\nmapped_file 0\ndirty 0\nwriteback 0\n"
			 "pgpgin 10\npgpgout 0\npgfault 20\npgmajfault 0\ninactive_anon 0\nactive_anon %lu\n"
			 "inactive_file 0\nactive_file 0\nunevictable 0\n"
			 "hierarchical_memory_limit 9223372036854771712\ntotal_cache 0\ntotal_rss %lu\n"
			 "total_inactive_file 0\ntotal_active_file 0\n",
			 4096ul * (i + 10), 4096ul * (i + 10), 4096ul * (i + 10));
		write_at(dfd, "memory.stat", v);
	} else if (strcmp(h, "blkio") == 0) {
		write_at(dfd, "blkio.throttle.io_service_bytes_recursive", "Total 0\n");
		write_at(dfd, "blkio.throttle.io_serviced_recursive", "Total 0\n");
	} else if (strcmp(h, "pids") == 0) {
		write_at(dfd, "pids.current", "0\n");
	}
}

static int cmd_fixture(unsigned long n, const char *root)
{
	char path[4096], name[128];
	int dfd;

	snprintf(path, sizeof(path), "%s/proc/self", root);
	mkdirs(path);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die(path);
	write_at(dfd, "mountinfo",
		 "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
		 "31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n"
		 "32 30 0:29 / /sys/fs/cgroup/cpuacct rw - cgroup cgroup rw,cpuacct\n"
		 "34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
		 "37 30 0:34 / /sys/fs/cgroup/blkio rw - cgroup cgroup rw,blkio\n"
		 "38 30 0:35 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n"
		 "39 30 0:36 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n");
	close(dfd);
	snprintf(path, sizeof(path), "%s/proc", root);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		die(path);
	write_at(dfd, "loadavg", "0.00 0.00 0.00 1/100 1000\n");
	write_at(dfd, "meminfo", "MemTotal:       24683620 kB\nMemAvailable:   20000000 kB\n");
	close(dfd);
	for (size_t h = 0; h < sizeof(fixture_hiers) / sizeof(*fixture_hiers); h++) {
		int hfd, sfd;

		snprintf(path, sizeof(path), "%s/sys/fs/cgroup/%s/" SLICE, root, fixture_hiers[h]);
		mkdirs(path);
		snprintf(path, sizeof(path), "%s/sys/fs/cgroup/%s", root, fixture_hiers[h]);
		hfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (hfd < 0)
			die(path);
		fixture_files(hfd, fixture_hiers[h], 0);
		sfd = openat(hfd, SLICE, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sfd < 0)
			die(SLICE);
		fixture_files(sfd, fixture_hiers[h], 0);
		for (unsigned long i = 0; i < n; i++) {
			int cfd;

			scope_name(name, sizeof(name), i);
			if (mkdirat(sfd, name, 0755) < 0) {
				if (errno == EEXIST)
					continue;
				die(name);
			}
			cfd = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (cfd < 0)
				die(name);
			fixture_files(cfd, fixture_hiers[h], i);
			close(cfd);
		}
		close(sfd);
		close(hfd);
	}
	return 0;
}

/* rmdir the cgroups below DFD, deepest first. Returns how many could not go. */
static unsigned remove_below(int dfd)
{
	DIR *d = fdopendir(dup(dfd));
	struct dirent *de;
	unsigned left = 0;

	if (!d)
		return 1;
	while ((de = readdir(d))) {
		int cfd;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		cfd = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (cfd >= 0) {
			left += remove_below(cfd);
			close(cfd);
		}
		/* a fixture directory holds files, a cgroup only its own */
		if (unlinkat(dfd, de->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
			fprintf(stderr, "cgbench: rmdir %s: %s\n", de->d_name, strerror(errno));
			left++;
		}
	}
	closedir(d);
	return left;
}

static int cmd_remove(int argc, char **argv)
{
	unsigned left = 0;

	for (int a = 0; a < argc; a++) {
		int dfd = open(argv[a], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (dfd < 0) {
			if (errno == ENOENT)
				continue;
			die(argv[a]);
		}
		left += remove_below(dfd);
		close(dfd);
		if (rmdir(argv[a]) < 0 && errno != ENOENT) {
			fprintf(stderr, "cgbench: rmdir %s: %s\n", argv[a], strerror(errno));
			left++;
		}
	}
	return left ? 1 : 0;
}

static size_t floor_limit = 1024;

struct fds {
	int *v;
	size_t n, cap;
	size_t unkept; /* files that could not be opened (past RLIMIT_NOFILE) */
};

/* Open the FILES (comma-separated) of the cgroup at DFD and of every cgroup below it. */
static void floor_open(struct fds *fds, int dfd, const char *files)
{
	char list[1024], *save = NULL;
	DIR *d;
	struct dirent *de;

	snprintf(list, sizeof(list), "%s", files);
	for (char *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		int fd;

		/* what does not fit under RLIMIT_NOFILE (less room for the walk) is counted */
		if (fds->n + 64 >= floor_limit) {
			fds->unkept++;
			continue;
		}
		fd = openat(dfd, f, O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE)
				fds->unkept++;
			continue;
		}
		if (fds->n == fds->cap) {
			fds->cap = fds->cap ? fds->cap * 2 : 1024;
			fds->v = realloc(fds->v, fds->cap * sizeof(*fds->v));
			if (!fds->v)
				die("realloc");
		}
		fds->v[fds->n++] = fd;
	}
	d = fdopendir(dup(dfd));
	if (!d)
		return;
	while ((de = readdir(d))) {
		int cfd;

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		cfd = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (cfd < 0)
			continue;
		floor_open(fds, cfd, files);
		close(cfd);
	}
	closedir(d);
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Prints: ms of CPU per iteration, ms of wall per iteration, preads per iteration,
 * files that did not fit under RLIMIT_NOFILE, peak RSS in KiB. */
static int cmd_floor(unsigned long k, int argc, char **argv)
{
	struct fds fds = { 0 };
	struct rusage r0, r1;
	static char buf[65536];
	uint64_t w0, w1;
	struct rlimit rl;

	/* the floor keeps one descriptor per file, like a cache with no budget */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		floor_limit = rl.rlim_cur == RLIM_INFINITY ? (size_t)1 << 20 : (size_t)rl.rlim_cur;
	for (int a = 0; a < argc; a++) {
		char *colon = strchr(argv[a], ':');
		int dfd;

		if (!colon) {
			fprintf(stderr, "cgbench: floor: expected DIR:FILE,FILE, got %s\n", argv[a]);
			return 2;
		}
		*colon = '\0';
		dfd = open(argv[a], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			die(argv[a]);
		floor_open(&fds, dfd, colon + 1);
		close(dfd);
	}
	getrusage(RUSAGE_SELF, &r0);
	w0 = now_ns(CLOCK_MONOTONIC);
	/* a cgroup that vanished meanwhile (another tool's) fails with ENODEV: still a read */
	for (unsigned long it = 0; it < k; it++)
		for (size_t i = 0; i < fds.n; i++)
			(void)!pread(fds.v[i], buf, sizeof(buf), 0);
	w1 = now_ns(CLOCK_MONOTONIC);
	getrusage(RUSAGE_SELF, &r1);
	printf("%.3f %.3f %zu %zu %ld\n",
	       (tv_s(r1.ru_utime) - tv_s(r0.ru_utime) + tv_s(r1.ru_stime) - tv_s(r0.ru_stime)) * 1e3 / (double)k,
	       (double)(w1 - w0) / 1e6 / (double)k, fds.n, fds.unkept, r1.ru_maxrss);
	return 0;
}

/* Prints: user s, system s, wall s, s on a CPU or waiting for one (schedstat: the time
 * the run was not asleep), peak RSS in KiB. */
static int cmd_run(char **argv)
{
	uint64_t w0 = now_ns(CLOCK_MONOTONIC), w1;
	struct rusage ru;
	double sched = -1;
	siginfo_t si;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		/* the output, and notes on stderr, are not what is measured */
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	/* a zombie still has its schedstat: read it before reaping */
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0) {
		char path[64];
		unsigned long long run = 0, waited = 0;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
		f = fopen(path, "r");
		if (f && fscanf(f, "%llu %llu", &run, &waited) == 2)
			sched = (double)(run + waited) / 1e9;
		if (f)
			fclose(f);
	}
	w1 = now_ns(CLOCK_MONOTONIC);
	if (wait4(pid, &status, 0, &ru) < 0)
		die("wait4");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "cgbench: %s failed (status %d)\n", argv[0], status);
		return 1;
	}
	printf("%.6f %.6f %.6f %.6f %ld\n", tv_s(ru.ru_utime), tv_s(ru.ru_stime),
	       (double)(w1 - w0) / 1e9, sched, ru.ru_maxrss);
	return 0;
}

static unsigned long number(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s) {
		fprintf(stderr, "cgbench: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "grow") == 0)
		return cmd_grow(number(argv[2]), argc - 3, argv + 3);
	if (argc == 4 && strcmp(argv[1], "fixture") == 0)
		return cmd_fixture(number(argv[2]), argv[3]);
	if (argc >= 2 && strcmp(argv[1], "remove") == 0)
		return cmd_remove(argc - 2, argv + 2);
	if (argc >= 4 && strcmp(argv[1], "floor") == 0)
		return cmd_floor(number(argv[2]), argc - 3, argv + 3);
	if (argc >= 3 && strcmp(argv[1], "run") == 0)
		return cmd_run(argv + 2);
	if (argc >= 3 && strcmp(argv[1], "name") == 0) {
		char name[128];

		scope_name(name, sizeof(name), number(argv[2]));
		puts(name);
		return 0;
	}
	fprintf(stderr, "usage: cgbench grow N DIR... | fixture N ROOT | remove DIR... |\n"
			"       floor K DIR:FILE,FILE... | run CMD [ARG...] | name I\n");
	return 2;
}
