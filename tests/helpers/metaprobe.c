/* metaprobe: ask the metadata store about container IDs as cgtop would, and print what it
 * learnt, for tests against real engines.
 *
 *   metaprobe [--root DIR] [--docker-socket PATH] [--docker-root DIR]
 *             [--podman-socket PATH] [--podman-storage DIR] [--timeout MS] [--wait MS] ID...
 *
 * One line per ID, tab-separated: id name engine_name image state health main_pid
 * config_id managed_by nlabels ("-" for unknown), then the notes, each on a line starting
 * with "note: ". Exit status 0, or 2 on a usage error. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "meta.h"

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "docker-socket", required_argument, NULL, 'd' },
		{ "docker-root", required_argument, NULL, 'D' },
		{ "podman-socket", required_argument, NULL, 'p' },
		{ "podman-storage", required_argument, NULL, 'P' },
		{ "timeout", required_argument, NULL, 't' },
		{ "wait", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 },
	};
	struct meta_options o = { 0 };
	const char *rootdir = "/";
	struct rootfs root;
	struct notes notes = { 0 };
	struct meta_store *s;
	const char *note;
	long wait_ms = 5000;
	uint64_t end;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			rootdir = optarg;
			break;
		case 'd':
			o.docker_socket = optarg;
			break;
		case 'D':
			o.docker_root = optarg;
			break;
		case 'p':
			o.podman_socket = optarg;
			break;
		case 'P':
			o.podman_storage = optarg;
			break;
		case 't':
			o.timeout_ms = atoi(optarg);
			break;
		case 'w':
			wait_ms = atol(optarg);
			break;
		default:
			return 2;
		}
	}
	if (rootfs_open(&root, rootdir) < 0) {
		perror(rootdir);
		return 2;
	}
	s = meta_store_new(&root, &o, &notes);
	meta_store_want(s, (const char *const *)argv + optind, (size_t)(argc - optind));
	/* until every ID is known, or a note says why not, or the wait is over */
	end = now_monotonic_ns() + (uint64_t)wait_ms * 1000000u;
	for (;;) {
		struct timespec ts = { 0, 10000000 };
		bool all = true;

		meta_store_sync(s);
		for (int i = optind; i < argc; i++)
			all = all && meta_store_lookup(s, argv[i]);
		if (all || notes.n > 0 || now_monotonic_ns() >= end)
			break;
		nanosleep(&ts, NULL);
	}
	for (int i = optind; i < argc; i++) {
		const struct container_meta *m = meta_store_lookup(s, argv[i]);

		if (!m) {
			printf("%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\n", argv[i]);
			continue;
		}
		printf("%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%zu\n", m->id, or_dash(m->name),
		       or_dash(m->engine_name), or_dash(m->image), or_dash(m->state),
		       or_dash(m->health), m->main_pid, or_dash(m->config_id), or_dash(m->managed_by),
		       m->nlabels);
	}
	while ((note = notes_next_unshown(&notes)))
		printf("note: %s\n", note);
	meta_store_free(s);
	notes_free(&notes);
	rootfs_close(&root);
	return 0;
}
