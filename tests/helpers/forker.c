/*
 * forker N: try to fork N children that wait for their parent to die, count the forks
 * the kernel refused (EAGAIN: a pids limit), print "forked F refused R" on stdout and
 * sleep until killed; the children die with it. Test helper for cgtop's signals test.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n, forked = 0, refused = 0, other = 0;
	char *end;

	if (argc != 2 || (n = strtol(argv[1], &end, 10)) <= 0 || *end != '\0' || n > 10000) {
		fprintf(stderr, "usage: forker N\n");
		return 2;
	}
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(0); /* the parent died before prctl */
			for (;;)
				pause();
		}
		if (pid > 0)
			forked++;
		else if (errno == EAGAIN)
			refused++;
		else
			other++;
	}
	printf("forked %ld refused %ld\n", forked, refused);
	fflush(stdout);
	if (other)
		fprintf(stderr, "forker: %ld forks failed otherwise\n", other);
	for (;;)
		pause();
	return 0;
}
