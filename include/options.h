/* Command-line options, with defaults from the configuration file. */
#ifndef CGTOP_OPTIONS_H
#define CGTOP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sort_order { ORDER_PATH, ORDER_TASKS, ORDER_CPU, ORDER_MEMORY, ORDER_IO, ORDER_TROUBLE };
enum out_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_OPENMETRICS, FORMAT_PROMETHEUS };
enum cpu_display { CPU_PERCENT, CPU_TIME };
/* --group-by: containers summed per label value, image, Kubernetes pod or namespace */
enum group_by { GROUP_NONE, GROUP_LABEL, GROUP_IMAGE, GROUP_POD, GROUP_NAMESPACE };

struct options {
	bool batch;
	bool batch_given;
	unsigned long iterations;   /* 0 = until interrupted */
	uint64_t delay_ns;
	enum sort_order order;
	bool reverse;
	bool raw;
	enum out_format format;
	bool format_given;         /* --format on the command line (not from the config file) */
	bool journal;              /* --journal: entries to the systemd journal, not stdout */
	bool stamp;                /* --stamp: time and host at the start of every text row */
	const char *output;        /* --output FILE: each sample replaces FILE, not stdout */
	enum cpu_display cpu;
	unsigned max_depth;
	const char *root;
	bool all;                  /* every cgroup, not the container view */
	const char **labels;       /* --label KEY columns */
	size_t nlabels;
	enum group_by group_by;    /* --group-by=label:KEY|image|pod|namespace */
	const char *group_label;   /* the KEY of --group-by=label:KEY */
	const char *docker_socket; /* NULL: $DOCKER_HOST or /var/run/docker.sock */
	const char *docker_root;   /* NULL: /var/lib/docker */
	const char *podman_socket;
	const char *podman_storage;
	bool no_color;
	const char *record;        /* --record FILE / --record-append FILE */
	bool record_append;
	const char *replay;        /* --replay FILE */
	const char *config_file;   /* --config FILE */
	bool no_config;            /* --no-config */
	char **owned;              /* values from the configuration file, which the above point into */
	size_t nowned;
};

/* The defaults, before any configuration file or command line. */
void options_init(struct options *opt);
void options_free(struct options *opt);

/* Parse ARGV into OPT: defaults, then the configuration file (--config FILE, else the user's
 * unless --no-config), then the command line, which wins. Returns 0 to run, 1 when
 * --help/--version was handled, or 2 after printing a one-line error. */
int options_parse(struct options *opt, int argc, char **argv);

/* The command line alone over what OPT already holds (for tests of precedence). Same returns. */
int options_parse_args(struct options *opt, int argc, char **argv);

/* One key of the configuration file: the default of a long option. */
struct config_key {
	const char *name;               /* in the file: "order" */
	const char *option;             /* the option it is the default of, "=" when it takes a
					 * value: "--order=", "--reverse" */
	const char *const *choices;     /* the values it takes when they are a fixed list
					 * (NULL-terminated), else NULL */
	const char *(*set)(struct options *opt, char *value); /* NULL, or what VALUE should be */
};

/* The configuration file's keys, N of them, in the order --help and the manual list them. */
const struct config_key *options_config_table(size_t *n);

/* Set configuration KEY (the long option of that name; "labels" takes a comma list) to
 * VALUE. Returns 0; -ENOENT for an unknown key, with *WANT the known keys; -EINVAL with
 * *WANT saying what the value should be. The value is copied. */
int options_set_config(struct options *opt, const char *key, const char *value, const char **want);
/* The keys options_set_config knows, comma separated, for messages. */
const char *options_config_keys(void);

#endif
