/* Command-line options. */
#ifndef CGTOP_OPTIONS_H
#define CGTOP_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

enum sort_order { ORDER_PATH, ORDER_TASKS, ORDER_CPU, ORDER_MEMORY, ORDER_IO };
enum out_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_OPENMETRICS, FORMAT_PROMETHEUS };
enum cpu_display { CPU_PERCENT, CPU_TIME };

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
	enum cpu_display cpu;
	unsigned max_depth;
	const char *root;
	bool all;                  /* every cgroup, not the container view */
	const char **labels;       /* --label KEY columns */
	size_t nlabels;
	const char *group_label;   /* --group-by=label:KEY */
	bool group_image;          /* --group-by=image */
	const char *docker_socket; /* NULL: $DOCKER_HOST or /var/run/docker.sock */
	const char *docker_root;   /* NULL: /var/lib/docker */
	const char *podman_socket;
	const char *podman_storage;
	bool no_color;
};

void options_free(struct options *opt);

/* Parse ARGV into OPT. Returns 0 to run, 1 when --help/--version was handled,
 * or 2 after printing a one-line error. */
int options_parse(struct options *opt, int argc, char **argv);

#endif
