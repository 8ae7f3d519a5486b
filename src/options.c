/* Command-line options, with defaults from the configuration file. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "conffile.h"
#include "options.h"
#include "util.h"

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
	OPT_REVERSE,
	OPT_JOURNAL,
	OPT_OUTPUT,
	OPT_CONFIG,
	OPT_NO_CONFIG,
	OPT_NO_COLOR,
	OPT_RECORD,
	OPT_RECORD_APPEND,
	OPT_REPLAY,
	OPT_STAMP,
};

static const struct option long_options[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "order", required_argument, NULL, 'o' },
	{ "reverse", no_argument, NULL, OPT_REVERSE },
	{ "raw", no_argument, NULL, 'r' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "stamp", no_argument, NULL, OPT_STAMP },
	{ "journal", no_argument, NULL, OPT_JOURNAL },
	{ "output", required_argument, NULL, OPT_OUTPUT },
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
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "record-append", required_argument, NULL, OPT_RECORD_APPEND },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char short_options[] = ":bn:d:o:rptcmihV";

/* FMT's text as lines of at most 80 columns, broken at blanks. */
static void print_wrapped(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void print_wrapped(const char *fmt, ...)
{
	_cleanup_free_ char *text = NULL;
	const char *line;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	for (line = text; *line;) {
		const char *end = line, *word;

		/* as many whole words as fit; one word longer than a line stands alone */
		for (word = line; *word; ) {
			const char *next = word + strcspn(word, " ");

			if (next - line > 80 && end > line)
				break;
			end = next;
			word = *next ? next + 1 : next;
		}
		printf("%.*s\n", (int)(end - line), line);
		line = *end ? end + 1 : end;
	}
}

static void usage(void)
{
	printf("Usage: cgtop [OPTION]...\n"
	       "Show CPU, memory, block I/O and tasks of every cgroup and container.\n"
	       "\n"
	       "  -b, --batch              write plain text samples instead of the screen\n"
	       "                           (the default when standard output is not a terminal)\n"
	       "  -n, --iterations=N       stop after N samples (-n 1: one written, --delay after\n"
	       "                           a first, so that its rates are figures)\n"
	       "  -d, --delay=SECONDS      time between samples, fractions allowed (default 1)\n"
	       "  -o, --order=KEY          sort by path, tasks, cpu, memory, io or trouble\n"
	       "                           (default cpu)\n"
	       "  -p, -t, -c, -m, -i       sort by path, tasks, cpu, memory, io\n"
	       "      --reverse            smallest first\n"
	       "  -r, --raw                exact bytes and nanoseconds instead of human units\n"
	       "      --format=FORMAT      batch output: text (default), json (JSON Lines),\n"
	       "                           openmetrics (OpenMetrics text) or prometheus (the\n"
	       "                           Prometheus text format, for node_exporter's textfile\n"
	       "                           collector)\n"
	       "      --stamp              begin every text row with the sample's time and the\n"
	       "                           host's name, for a log that grep can search\n"
	       "      --journal            send one entry per row and sample to the systemd journal\n"
	       "                           instead of standard output (implies --batch)\n"
	       "      --output=FILE        write each sample to FILE instead of standard output,\n"
	       "                           replacing it whole (a temporary file renamed over it:\n"
	       "                           readers see one whole sample); implies --batch\n"
	       "      --cpu[=percentage|time]  show CPU as a percentage (default) or as time used\n"
	       "      --depth=N            list cgroups at most N levels below the root\n"
	       "      --root=DIR           read /proc and /sys below DIR (a copy of another host)\n"
	       "      --no-color           no colors on the interactive screen (as when NO_COLOR is set)\n"
	       "      --record=FILE        also write every sample to FILE, a new file (an existing\n"
	       "                           one is refused), to look at later with --replay\n"
	       "      --record-append=FILE the same, adding to FILE when it is a recording already\n"
	       "      --replay=FILE        show the samples of a recording instead of this host's,\n"
	       "                           on the screen or with --batch (at the recorded times)\n"
	       "\n"
	       "Containers are shown by name (from their engine), then the top-level cgroups:\n"
	       "      --all                every cgroup path instead, with container names beside\n"
	       "      --label=KEY          add container label KEY as a column (repeatable)\n"
	       "      --group-by=label:KEY|image|pod|namespace  sum the containers that share a\n"
	       "                           label's value, an image, a Kubernetes pod or namespace\n"
	       "      --docker-socket=PATH Docker API socket (default $DOCKER_HOST, else\n"
	       "                           /var/run/docker.sock)\n"
	       "      --docker-root=DIR    Docker's data root, read when the API does not answer\n"
	       "                           (default /var/lib/docker)\n"
	       "      --podman-socket=PATH podman API socket (default /run/podman/podman.sock)\n"
	       "      --podman-storage=DIR podman storage (default /var/lib/containers/storage)\n"
	       "\n");
	print_wrapped("Defaults come from the configuration file, \"key = value\" lines named like the "
		      "options above (%s); options win:", options_config_keys());
	printf("      --config=FILE        read FILE instead of $XDG_CONFIG_HOME/cgtop/config\n"
	       "                           (default ~/.config/cgtop/config)\n"
	       "      --no-config          read no configuration file\n"
	       "\n"
	       "  -h, --help               show this help and exit\n"
	       "  -V, --version            show the version and exit\n"
	       "\n"
	       "Environment: DOCKER_HOST (the Docker socket), XDG_CONFIG_HOME (where the\n"
	       "configuration file is), NO_COLOR (no colors on the screen).\n"
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

/* The setters below are shared by the command line and the configuration file: each returns
 * NULL, or what the value should have been. */

/* The values of --order, --format and --cpu, in the order of their enums. */
static const char *const order_names[] = { "path", "tasks", "cpu", "memory", "io", "trouble", NULL };
static const char *const format_names[] = { "text", "json", "openmetrics", "prometheus", NULL };
static const char *const cpu_names[] = { "percentage", "time", NULL };
/* what a yes-or-no key is written as (parse_bool() takes more) */
static const char *const bool_names[] = { "yes", "no", NULL };

/* --order KEY. */
static const char *set_order(struct options *opt, const char *s)
{
	const char *const *names = order_names;

	for (size_t i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0) {
			opt->order = (enum sort_order)i;
			return NULL;
		}
	return "expected path, tasks, cpu, memory, io or trouble";
}

/* --delay SECONDS. */
static const char *set_delay(struct options *opt, const char *s)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(s, &end);
	if (errno || *end || end == s || !isfinite(d) || d < 0.01 || d > 86400)
		return "expected seconds from 0.01 to 86400";
	opt->delay_ns = (uint64_t)llround(d * 1e9);
	return NULL;
}

/* --format FORMAT. */
static const char *set_format(struct options *opt, const char *s)
{
	const char *const *names = format_names;

	for (size_t i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0) {
			opt->format = (enum out_format)i;
			return NULL;
		}
	return "expected text, json, openmetrics or prometheus";
}

/* --cpu[=percentage|time]: S is NULL when no value is given. */
static const char *set_cpu(struct options *opt, const char *s)
{
	if (!s || strcmp(s, cpu_names[CPU_PERCENT]) == 0)
		opt->cpu = CPU_PERCENT;
	else if (strcmp(s, cpu_names[CPU_TIME]) == 0)
		opt->cpu = CPU_TIME;
	else
		return "expected percentage or time";
	return NULL;
}

/* --depth N. */
static const char *set_depth(struct options *opt, const char *s)
{
	unsigned long ul;

	if (!parse_ulong(s, &ul) || ul > 1000)
		return "expected a whole number from 0 to 1000";
	opt->max_depth = (unsigned)ul;
	return NULL;
}

/* One more --label KEY column. */
static const char *add_label(struct options *opt, const char *s)
{
	if (!*s || strchr(s, '='))
		return "expected a label key, such as config_id";
	opt->labels = xrealloc(opt->labels, (opt->nlabels + 1) * sizeof(*opt->labels));
	opt->labels[opt->nlabels++] = s;
	return NULL;
}

/* --group-by label:KEY|image|pod|namespace. */
static const char *set_group_by(struct options *opt, const char *s)
{
	opt->group_label = NULL;
	if (strcmp(s, "image") == 0) {
		opt->group_by = GROUP_IMAGE;
	} else if (strcmp(s, "pod") == 0) {
		opt->group_by = GROUP_POD;
	} else if (strcmp(s, "namespace") == 0) {
		opt->group_by = GROUP_NAMESPACE;
	} else if (strncmp(s, "label:", 6) == 0 && s[6]) {
		opt->group_by = GROUP_LABEL;
		opt->group_label = s + 6;
	} else {
		return "expected label:KEY, image, pod or namespace";
	}
	return NULL;
}

/* A path option's value into *DST. */
static const char *set_path(const char **dst, const char *s)
{
	if (!*s)
		return "expected a path";
	*dst = s;
	return NULL;
}

/* --- the configuration file's keys --------------------------------------------------------- */

/* yes, true, on, 1 or no, false, off, 0 (any case) into *OUT. */
static const char *parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" }, *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return NULL;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return NULL;
		}
	}
	return "expected yes or no";
}

/* "reverse = yes": --reverse. */
static const char *conf_reverse(struct options *opt, char *s)
{
	return parse_bool(s, &opt->reverse);
}

/* "stamp = yes": --stamp. */
static const char *conf_stamp(struct options *opt, char *s)
{
	return parse_bool(s, &opt->stamp);
}

/* "all = yes": --all. */
static const char *conf_all(struct options *opt, char *s)
{
	return parse_bool(s, &opt->all);
}

/* "labels = config_id, managed_by": the --label columns, in order */
static const char *conf_labels(struct options *opt, char *s)
{
	opt->nlabels = 0;
	for (char *item = s, *next; item; item = next) {
		char *end;

		next = strchr(item, ',');
		if (next)
			*next++ = '\0';
		item += strspn(item, " \t");
		end = item + strlen(item);
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (add_label(opt, item))
			return "expected label keys separated by commas, such as config_id, managed_by";
	}
	return NULL;
}

#define CONF_WRAP(name, call) \
	static const char *name(struct options *opt, char *s) { return call; }
CONF_WRAP(conf_order, set_order(opt, s))
CONF_WRAP(conf_delay, set_delay(opt, s))
CONF_WRAP(conf_format, set_format(opt, s))
CONF_WRAP(conf_cpu, set_cpu(opt, s))
CONF_WRAP(conf_depth, set_depth(opt, s))
CONF_WRAP(conf_group_by, set_group_by(opt, s))
CONF_WRAP(conf_docker_socket, set_path(&opt->docker_socket, s))
CONF_WRAP(conf_docker_root, set_path(&opt->docker_root, s))
CONF_WRAP(conf_podman_socket, set_path(&opt->podman_socket, s))
CONF_WRAP(conf_podman_storage, set_path(&opt->podman_storage, s))
#undef CONF_WRAP

/* The configuration file's keys, listed once: options_set_config() sets them,
 * options_config_keys() names them for --help and messages, and tests/test_conffile.c holds
 * the manual's list and the bash completion to this table. */
static const struct config_key config_keys[] = {
	{ .name = "order", .option = "--order=", .choices = order_names, .set = conf_order },
	{ .name = "reverse", .option = "--reverse", .choices = bool_names, .set = conf_reverse },
	{ .name = "delay", .option = "--delay=", .set = conf_delay },
	{ .name = "labels", .option = "--label=", .set = conf_labels },
	{ .name = "cpu", .option = "--cpu=", .choices = cpu_names, .set = conf_cpu },
	{ .name = "depth", .option = "--depth=", .set = conf_depth },
	{ .name = "all", .option = "--all", .choices = bool_names, .set = conf_all },
	{ .name = "group-by", .option = "--group-by=", .set = conf_group_by },
	{ .name = "format", .option = "--format=", .choices = format_names, .set = conf_format },
	{ .name = "stamp", .option = "--stamp", .choices = bool_names, .set = conf_stamp },
	{ .name = "docker-socket", .option = "--docker-socket=", .set = conf_docker_socket },
	{ .name = "docker-root", .option = "--docker-root=", .set = conf_docker_root },
	{ .name = "podman-socket", .option = "--podman-socket=", .set = conf_podman_socket },
	{ .name = "podman-storage", .option = "--podman-storage=", .set = conf_podman_storage },
};

/* The table above (see options.h). */
const struct config_key *options_config_table(size_t *n)
{
	*n = ARRAY_SIZE(config_keys);
	return config_keys;
}

/* The names of the keys, comma separated, made once from the table. */
const char *options_config_keys(void)
{
	static char keys[512];

	if (!keys[0]) {
		size_t len = 0;

		for (size_t i = 0; i < ARRAY_SIZE(config_keys) && len < sizeof(keys); i++)
			len += (size_t)snprintf(keys + len, sizeof(keys) - len, "%s%s", i ? ", " : "",
						config_keys[i].name);
	}
	return keys;
}

/* Set configuration KEY of OPT to a copy of VALUE (see options.h). */
int options_set_config(struct options *opt, const char *key, const char *value, const char **want)
{
	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++) {
		char *copy;

		if (strcmp(key, config_keys[i].name) != 0)
			continue;
		/* the options point into the copy, which lives as long as they do */
		copy = xstrdup(value);
		opt->owned = xrealloc(opt->owned, (opt->nowned + 1) * sizeof(*opt->owned));
		opt->owned[opt->nowned++] = copy;
		*want = config_keys[i].set(opt, copy);
		return *want ? -EINVAL : 0;
	}
	*want = options_config_keys();
	return -ENOENT;
}

/* The configuration file's setter (conffile.h): a key of the options at UD. */
static int set_config(void *ud, const char *key, const char *value, const char **want)
{
	return options_set_config(ud, key, value, want);
}

/* --- the command line ------------------------------------------------------------------------ */

void options_init(struct options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->delay_ns = 1000000000u;
	opt->order = ORDER_CPU;
	opt->max_depth = ~0u;
}

void options_free(struct options *opt)
{
	free(opt->labels);
	opt->labels = NULL;
	opt->nlabels = 0;
	for (size_t i = 0; i < opt->nowned; i++)
		free(opt->owned[i]);
	free(opt->owned);
	opt->owned = NULL;
	opt->nowned = 0;
}

int options_parse_args(struct options *opt, int argc, char **argv)
{
	bool labels_given = false, view_given = false;
	const char *want;
	int c;

	opterr = 0;
	optind = 0; /* glibc: start over, even after an earlier scan */
	while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		unsigned long ul;

		/* the command line's view and columns replace the configuration file's */
		if ((c == OPT_ALL || c == OPT_GROUP_BY) && !view_given) {
			view_given = true;
			opt->all = false;
			opt->group_by = GROUP_NONE;
			opt->group_label = NULL;
		}
		if (c == OPT_LABEL && !labels_given) {
			labels_given = true;
			opt->nlabels = 0;
		}
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
			if ((want = set_delay(opt, optarg)))
				return bad("--delay", optarg, want);
			break;
		case 'o':
			if ((want = set_order(opt, optarg)))
				return bad("--order", optarg, want);
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
		case OPT_REVERSE:
			opt->reverse = true;
			break;
		case 'r':
			opt->raw = true;
			break;
		case OPT_FORMAT:
			if ((want = set_format(opt, optarg)))
				return bad("--format", optarg, want);
			opt->format_given = true;
			break;
		case OPT_STAMP:
			opt->stamp = true;
			break;
		case OPT_JOURNAL:
			opt->journal = true;
			break;
		case OPT_OUTPUT:
			if (!*optarg)
				return bad("--output", optarg, "expected a file");
			opt->output = optarg;
			break;
		case OPT_CPU:
			if ((want = set_cpu(opt, optarg)))
				return bad("--cpu", optarg, want);
			break;
		case OPT_DEPTH:
			if ((want = set_depth(opt, optarg)))
				return bad("--depth", optarg, want);
			break;
		case OPT_ROOT:
			if (!*optarg)
				return bad("--root", optarg, "expected a directory");
			opt->root = optarg;
			break;
		case OPT_NO_COLOR:
			opt->no_color = true;
			break;
		case OPT_RECORD:
		case OPT_RECORD_APPEND:
			if (!*optarg)
				return bad(c == OPT_RECORD ? "--record" : "--record-append", optarg, "expected a file");
			opt->record = optarg;
			opt->record_append = c == OPT_RECORD_APPEND;
			break;
		case OPT_REPLAY:
			if (!*optarg)
				return bad("--replay", optarg, "expected a file");
			opt->replay = optarg;
			break;
		case OPT_ALL:
			opt->all = true;
			break;
		case OPT_LABEL:
			if ((want = add_label(opt, optarg)))
				return bad("--label", optarg, want);
			break;
		case OPT_GROUP_BY:
			if ((want = set_group_by(opt, optarg)))
				return bad("--group-by", optarg, want);
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
		case OPT_CONFIG:
			if (!*optarg)
				return bad("--config", optarg, "expected a file");
			opt->config_file = optarg;
			break;
		case OPT_NO_CONFIG:
			opt->no_config = true;
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
	if (opt->config_file && opt->no_config) {
		fprintf(stderr, "cgtop: --config and --no-config contradict each other (see 'cgtop --help')\n");
		return 2;
	}
	if (opt->journal && opt->format_given) {
		fprintf(stderr, "cgtop: --journal sends structured entries, not a --format: give one of them "
				"(see 'cgtop --help')\n");
		return 2;
	}
	if (opt->journal && opt->output) {
		fprintf(stderr, "cgtop: --journal sends entries to the journal, --output to a file: give one of them "
				"(see 'cgtop --help')\n");
		return 2;
	}
	if (opt->record && opt->replay) {
		fprintf(stderr, "cgtop: --replay shows a recording, --record makes one: give one of them "
				"(see 'cgtop --help')\n");
		return 2;
	}
	if (opt->journal || opt->output)
		opt->batch = opt->batch_given = true;
	return 0;
}

/* The first scan: only what decides which configuration file to read, if any. */
static void scan_config_options(int argc, char **argv, const char **file, bool *none, bool *help)
{
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		if (c == OPT_CONFIG)
			*file = optarg;
		else if (c == OPT_NO_CONFIG)
			*none = true;
		else if (c == 'h' || c == 'V')
			*help = true;
	}
}

int options_parse(struct options *opt, int argc, char **argv)
{
	const char *file = NULL;
	bool none = false, help = false;
	int r;

	options_init(opt);
	scan_config_options(argc, argv, &file, &none, &help);
	/* a broken configuration file must not stand between the user and --help; contradicting
	 * options are reported by the second scan */
	if (!help && !none) {
		char *path = file ? NULL : conffile_default_path();

		r = conffile_load(file ? file : path, file != NULL, set_config, opt);
		free(path);
		if (r)
			return r;
	}
	r = options_parse_args(opt, argc, argv);
	if (r)
		return r;
	return 0;
}
