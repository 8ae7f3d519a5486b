/* cgtop: what every cgroup and container on this host is doing. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "hierarchy.h"
#include "notes.h"
#include "options.h"
#include "output.h"
#include "rootfs.h"
#include "sampler.h"

static void flush_notes(struct notes *notes)
{
	const char *n;

	while ((n = notes_next_unshown(notes)))
		fprintf(stderr, "cgtop: note: %s\n", n);
}

static void sleep_until(uint64_t deadline_ns)
{
	struct timespec ts = { .tv_sec = (time_t)(deadline_ns / 1000000000u),
			       .tv_nsec = (long)(deadline_ns % 1000000000u) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

struct host {
	const struct rootfs *root;
	const struct cg_hierarchies *hs;
};

/* ctr_table's way to find a container's cgroups in every hierarchy */
static size_t paths_of(void *ud, const char *path, char ***out, size_t *n)
{
	const struct host *h = ud;

	return hierarchies_paths_of(h->root, h->hs, path, out, n);
}

static int run_batch(struct sampler *sampler, const struct options *opt, struct notes *notes,
		     struct host *host)
{
	uint64_t next = now_monotonic_ns();
	struct view view = { 0 };
	/* a container's cgroups in every hierarchy are shown in the JSON only */
	struct ctr_table ctrs = { .paths_of = opt->format == FORMAT_JSON ? paths_of : NULL,
				  .paths_ud = host };
	int ret = 0;

	for (unsigned long it = 1; opt->iterations == 0 || it <= opt->iterations; it++) {
		const struct snapshot *snap = sampler_refresh(sampler, now_monotonic_ns(), now_realtime_ns());
		int r;

		flush_notes(notes);
		ctr_table_build(&ctrs, snap);
		if (opt->all)
			view_build_cgroups(&view, snap, &ctrs);
		else if (opt->group_label || opt->group_image)
			view_build_groups(&view, snap, &ctrs, opt->group_label);
		else
			view_build_containers(&view, snap, &ctrs);
		view_sort(&view, opt->order, opt->reverse, opt->cpu == CPU_TIME);
		r = opt->format == FORMAT_JSON ? output_json(stdout, &view, snap, opt, it)
					       : output_text(stdout, &view, snap, opt);
		if (r == -EPIPE)
			break; /* the reader went away (cgtop -b | head): that is how we end */
		if (r < 0) {
			fprintf(stderr, "cgtop: cannot write the output: %s\n", strerror(-r));
			ret = 1;
			break;
		}
		if (opt->iterations && it == opt->iterations)
			break;
		next += opt->delay_ns;
		sleep_until(next);
	}
	view_free(&view);
	ctr_table_free(&ctrs);
	return ret;
}

int main(int argc, char **argv)
{
	struct options opt;
	struct rootfs root = { .fd = -1 };
	struct cg_hierarchies hs;
	struct notes notes = { 0 };
	struct sampler_options sopt = { 0 };
	struct sampler *sampler;
	int r;

	setlocale(LC_ALL, "");
	r = options_parse(&opt, argc, argv);
	if (r)
		return r == 1 ? 0 : r;
	if (!opt.batch_given && !isatty(STDOUT_FILENO))
		opt.batch = true;

	r = rootfs_open(&root, opt.root ? opt.root : "/");
	if (r < 0) {
		fprintf(stderr, "cgtop: cannot open --root '%s': %s\n", opt.root, strerror(-r));
		return 1;
	}
	r = hierarchies_discover(&root, root.is_host, &hs, &notes);
	if (r < 0) {
		if (r == -ENOENT)
			fprintf(stderr, "cgtop: no cgroup hierarchy is mounted (per %s/proc/self/mountinfo)\n",
				root.is_host ? "" : root.path);
		else
			fprintf(stderr, "cgtop: cannot read %s/proc/self/mountinfo: %s\n",
				root.is_host ? "" : root.path, strerror(-r));
		rootfs_close(&root);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN); /* a closed pipe becomes EPIPE, handled where we write */

	sopt.max_depth = opt.max_depth;
	/* the working set and page cache are in the JSON only: the text never reads memory.stat */
	sopt.memory_stat = opt.format == FORMAT_JSON;
	sampler = sampler_new(&root, &hs, &sopt, &notes);
	r = run_batch(sampler, &opt, &notes, &(struct host){ &root, &hs });

	sampler_free(sampler);
	hierarchies_free(&hs);
	notes_free(&notes);
	rootfs_close(&root);
	options_free(&opt);
	return r;
}
