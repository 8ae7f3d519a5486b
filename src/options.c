/* Command-line options. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

enum {
	OPT_FORMAT = 0x100,
	OPT_CPU,
	OPT_DEPTH,
	OPT_ROOT,
	OPT_ALL,
	OPT_LABEL,
	OPT_GROUP_BY,
	OPT_DOCKER_SOCKET,
	OPT_DOCKER_ROOT,
	OPT_PODMAN_SOCKET,
	OPT_PODMAN_STORAGE,
	OPT_NO_COLOR,
};

static const struct option long_options[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "order", required_argument, NULL, 'o' },
	{ "raw", no_argument, NULL, 'r' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "cpu", optional_argument, NULL, OPT_CPU },
	{ "depth", required_argument, NULL, OPT_DEPTH },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "group-by", required_argument, NULL, OPT_GROUP_BY },
	{ "docker-socket", required_argument, NULL, OPT_DOCKER_SOCKET },
	{ "docker-root", required_argument, NULL, OPT_DOCKER_ROOT },
	{ "podman-socket", required_argument, NULL, OPT_PODMAN_SOCKET },
	{ "podman-storage", required_argument, NULL, OPT_PODMAN_STORAGE },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(void)
{
	printf("Usage: cgtop [OPTION]...\n"
	       "Show CPU, memory, block I/O and tasks of every cgroup and container.\n"
	       "\n"
	       "  -b, --batch              write plain text samples instead of the screen\n"
	       "                           (the default when standard output is not a terminal)\n"
	       "  -n, --iterations=N       stop after N samples\n"
	       "  -d, --delay=SECONDS      time between samples, fractions allowed (default 1)\n"
	       "  -o, --order=KEY          sort by path, tasks, cpu, memory or io (default cpu)\n"
	       "  -p, -t, -c, -m, -i       sort by path, tasks, cpu, memory, io\n"
	       "  -r, --raw                exact bytes and nanoseconds instead of human units\n"
	       "      --format=FORMAT      batch output: text (default) or json (JSON Lines)\n"
	       "      --cpu[=percentage|time]  show CPU as a percentage (default) or as time used\n"
	       "      --depth=N            list cgroups at most N levels below the root\n"
	       "      --root=DIR           read /proc and /sys below DIR (a copy of another host)\n"
	       "      --no-color           no colors on the interactive screen (as when NO_COLOR is set)\n"
	       "\n"
	       "Containers are shown by name (from their engine), then the top-level cgroups:\n"
	       "      --all                every cgroup path instead, with container names beside\n"
	       "      --label=KEY          add container label KEY as a column (repeatable)\n"
	       "      --group-by=label:KEY|image  sum the containers that share a value\n"
	       "      --docker-socket=PATH Docker API socket (default $DOCKER_HOST, else\n"
	       "                           /var/run/docker.sock)\n"
	       "      --docker-root=DIR    Docker's data root, read when the API does not answer\n"
	       "                           (default /var/lib/docker)\n"
	       "      --podman-socket=PATH podman API socket (default /run/podman/podman.sock)\n"
	       "      --podman-storage=DIR podman storage (default /var/lib/containers/storage)\n"
	       "\n"
	       "  -h, --help               show this help and exit\n"
	       "  -V, --version            show the version and exit\n"
	       "\n"
	       "100%% CPU is one CPU busy. '-' means the kernel gave no value; '~' marks an I/O\n"
	       "rate estimated from /proc/PID/io where the kernel keeps no block I/O counters.\n"
	       "See cgtop(1) for the columns and the files they come from.\n");
}

static int bad(const char *opt, const char *val, const char *want)
{
	fprintf(stderr, "cgtop: invalid %s '%s': %s (see 'cgtop --help')\n", opt, val, want);
	return 2;
}

static bool parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno == 0 && *end == '\0';
}

static bool parse_order(const char *s, enum sort_order *o)
{
	static const char *const names[] = { "path", "tasks", "cpu", "memory", "io" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0) {
			*o = (enum sort_order)i;
			return true;
		}
	return false;
}

void options_free(struct options *opt)
{
	free(opt->labels);
	opt->labels = NULL;
	opt->nlabels = 0;
}

int options_parse(struct options *opt, int argc, char **argv)
{
	int c;

	memset(opt, 0, sizeof(*opt));
	opt->delay_ns = 1000000000u;
	opt->order = ORDER_CPU;
	opt->max_depth = ~0u;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":bn:d:o:rptcmihV", long_options, NULL)) != -1) {
		unsigned long ul;
		double d;
		char *end;

		switch (c) {
		case 'b':
			opt->batch = opt->batch_given = true;
			break;
		case 'n':
			if (!parse_ulong(optarg, &ul) || ul == 0)
				return bad("--iterations", optarg, "expected a whole number of at least 1");
			opt->iterations = ul;
			break;
		case 'd':
			errno = 0;
			d = strtod(optarg, &end);
			if (errno || *end || end == optarg || !isfinite(d) || d < 0.01 || d > 86400)
				return bad("--delay", optarg, "expected seconds from 0.01 to 86400");
			opt->delay_ns = (uint64_t)llround(d * 1e9);
			break;
		case 'o':
			if (!parse_order(optarg, &opt->order))
				return bad("--order", optarg, "expected path, tasks, cpu, memory or io");
			break;
		case 'p':
			opt->order = ORDER_PATH;
			break;
		case 't':
			opt->order = ORDER_TASKS;
			break;
		case 'c':
			opt->order = ORDER_CPU;
			break;
		case 'm':
			opt->order = ORDER_MEMORY;
			break;
		case 'i':
			opt->order = ORDER_IO;
			break;
		case 'r':
			opt->raw = true;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "text") == 0)
				opt->format = FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				opt->format = FORMAT_JSON;
			else
				return bad("--format", optarg, "expected text or json");
			break;
		case OPT_CPU:
			if (!optarg || strcmp(optarg, "percentage") == 0)
				opt->cpu = CPU_PERCENT;
			else if (strcmp(optarg, "time") == 0)
				opt->cpu = CPU_TIME;
			else
				return bad("--cpu", optarg, "expected percentage or time");
			break;
		case OPT_DEPTH:
			if (!parse_ulong(optarg, &ul) || ul > 1000)
				return bad("--depth", optarg, "expected a whole number from 0 to 1000");
			opt->max_depth = (unsigned)ul;
			break;
		case OPT_ROOT:
			if (!*optarg)
				return bad("--root", optarg, "expected a directory");
			opt->root = optarg;
			break;
		case OPT_NO_COLOR:
			opt->no_color = true;
			break;
		case OPT_ALL:
			opt->all = true;
			break;
		case OPT_LABEL:
			if (!*optarg || strchr(optarg, '='))
				return bad("--label", optarg, "expected a label key, such as config_id");
			opt->labels = realloc(opt->labels, (opt->nlabels + 1) * sizeof(*opt->labels));
			if (!opt->labels)
				abort();
			opt->labels[opt->nlabels++] = optarg;
			break;
		case OPT_GROUP_BY:
			if (strcmp(optarg, "image") == 0)
				opt->group_image = true;
			else if (strncmp(optarg, "label:", 6) == 0 && optarg[6])
				opt->group_label = optarg + 6;
			else
				return bad("--group-by", optarg, "expected label:KEY or image");
			break;
		case OPT_DOCKER_SOCKET:
			opt->docker_socket = optarg;
			break;
		case OPT_DOCKER_ROOT:
			opt->docker_root = optarg;
			break;
		case OPT_PODMAN_SOCKET:
			opt->podman_socket = optarg;
			break;
		case OPT_PODMAN_STORAGE:
			opt->podman_storage = optarg;
			break;
		case 'h':
			usage();
			return 1;
		case 'V':
			printf("cgtop %s\n", PACKAGE_VERSION);
			return 1;
		case ':':
			fprintf(stderr, "cgtop: option '%s' needs a value (see 'cgtop --help')\n", argv[optind - 1]);
			return 2;
		default:
			if (optopt)
				fprintf(stderr, "cgtop: unknown option '-%c' (see 'cgtop --help')\n", optopt);
			else
				fprintf(stderr, "cgtop: unknown option '%s' (see 'cgtop --help')\n", argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cgtop: unexpected argument '%s' (see 'cgtop --help')\n", argv[optind]);
		return 2;
	}
	return 0;
}
