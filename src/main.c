/* cgtop: what every cgroup and container on this host is doing. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#ifdef HAVE_MALLOC_H
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "journal.h"
#include "openmetrics.h"
#include "outfile.h"
#include "output.h"
#include "tui.h"

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

struct sample_out {
	const struct app *a;
	const struct options *opt;
	unsigned long it;
	struct text_layout *layout;    /* keeps the text columns' widths */
};

/* One sample in the format the options ask for, to F. Returns 0 or -errno. */
static int format_sample(FILE *f, void *ud)
{
	const struct sample_out *so = ud;
	const struct view *v = app_view(so->a);
	const struct sample *smp = app_sample(so->a);

	switch (so->opt->format) {
	case FORMAT_JSON:
		return output_json(f, v, smp, so->opt, so->it);
	case FORMAT_OPENMETRICS:
		return output_metrics(f, v, METRICS_OPENMETRICS, smp->hostname);
	case FORMAT_PROMETHEUS:
		return output_metrics(f, v, METRICS_PROMETHEUS, smp->hostname);
	case FORMAT_TEXT:
		break;
	}
	return output_text(f, so->layout, v, smp, so->opt);
}

/* One sample to where the options send it; LAYOUT keeps the text columns' widths.
 * Returns 0 or -errno. */
static int write_sample(struct app *a, const struct options *opt, unsigned long it,
			struct text_layout *layout)
{
	struct sample_out so = { .a = a, .opt = opt, .it = it, .layout = layout };

	/* journald names its own host (_HOSTNAME) in every entry: say the host only when the
	 * samples are another's (--root) */
	if (opt->journal)
		return output_journal(app_view(a), it,
				      app_root(a)->is_host ? NULL : app_sample(a)->hostname);
	if (app_output(a))
		return outfile_replace(app_output(a), format_sample, &so);
	return format_sample(stdout, &so);
}

/* Batch output: one block (or JSON Lines, metrics, journal entries) per sample, until -n
 * or the source's end: the host's samples at the interval, a recording's at once with
 * the recorded times. */
static int run_batch(struct app *a, const struct options *opt)
{
	uint64_t next = now_monotonic_ns();
	bool paced = app_count(a) == 0; /* a source with no end of its own is waited for */
	bool ended = false;
	struct text_layout layout = { .n = 0 };
	int ret = 0;

	/* -n 1 of the host: one sample more, --delay before the one written, so that its rates
	 * are figures (a first sample has no earlier one to take them from). Not recorded:
	 * -n 1 --record-append adds one sample, the one written. */
	if (paced && opt->iterations == 1) {
		/* every container is new in it: it waits for their names, as a first sample
		 * does (the one written 'later' does not: its containers are not new) */
		if (app_take(a) == 0)
			app_publish(a, APP_NAME_WAIT_NS);
		flush_notes(app_notes(a));
		next += opt->delay_ns;
		sleep_until(next);
	}
	for (unsigned long it = 1; opt->iterations == 0 || it <= opt->iterations; it++) {
		char msg[512];
		int r;

		/* a container's first row waits a moment for the engines to name it */
		r = app_refresh(a, APP_NAME_WAIT_NS);
		/* the log says it each time it changes (the count, the cause) */
		if (r == 0 && app_sample(a)->unnamed)
			notes_add(app_notes(a), app_sample(a)->unnamed, "%s", app_sample(a)->unnamed);
		flush_notes(app_notes(a));
		if (r == -ENODATA) {
			ended = true;
			break;
		}
		if (app_record_error(a, msg, sizeof(msg))) {
			fprintf(stderr, "cgtop: %s\n", msg);
			ret = 1;
			break;
		}
		r = write_sample(a, opt, it, &layout);
		if (r == -EPIPE && !opt->journal)
			break; /* the reader went away (cgtop -b | head): that is how we end */
		if (r < 0) {
			fprintf(stderr, "cgtop: cannot write %s%s: %s\n",
				opt->journal ? "to the journal" : opt->output ? "--output " : "the output",
				opt->output ? opt->output : "", strerror(-r));
			ret = 1;
			break;
		}
		if (opt->iterations && it == opt->iterations)
			break;
		if (paced) {
			next += opt->delay_ns;
			sleep_until(next);
		}
	}
	flush_notes(app_notes(a));
	if (ended) {
		char msg[160];

		/* the samples stopped before -n asked them to: a damaged recording */
		if (app_problem(a, msg, sizeof(msg))) {
			fprintf(stderr, "cgtop: %s: %s\n", opt->replay, msg);
			ret = 1;
		}
	}
	return ret;
}

int main(int argc, char **argv)
{
	struct options opt;
	struct app *app;
	int r;

#if defined(HAVE_MALLOPT) && defined(M_MMAP_THRESHOLD)
	/* glibc raises its threshold for mmap() to the size of each large block freed, up
	 * to 32 MiB: a refresh's large arrays (a sample's text cells, a walk's scratch)
	 * then come from the heap, which fragments and never shrinks. A fixed threshold
	 * keeps them mmap()ed, returned when freed: at 10,000 cgroups the peak RSS is 1.8
	 * MiB lower (text; JSON 3.4 MiB) on cgroupfs, for no measurable CPU. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	setlocale(LC_ALL, "");
	r = options_parse(&opt, argc, argv);
	if (r) {
		options_free(&opt);
		return r == 1 ? 0 : r;
	}
	if (!opt.batch_given && !isatty(STDOUT_FILENO))
		opt.batch = true;
	if (opt.journal) {
		/* say it now, not after the first sample: libsystemd drops entries silently when
		 * there is no journal socket */
		r = journal_probe();
		if (r < 0) {
			fprintf(stderr, "cgtop: no systemd journal to write to: %s: %s (is systemd-journald running?)\n",
				JOURNAL_SOCKET, strerror(-r));
			options_free(&opt);
			return 1;
		}
	}
	if (!opt.batch && !tui_terminal_ok()) {
		options_free(&opt);
		return 1;
	}
	if (!opt.batch)
		tui_block_signals(); /* before app_open() starts a thread */
	signal(SIGPIPE, SIG_IGN); /* a closed pipe becomes EPIPE, handled where we write */
	r = app_open(&app, &opt);
	if (r == 0) {
		if (opt.batch) {
			r = run_batch(app, &opt);
		} else {
			char msg[512];

			r = tui_run(app, &opt);
			flush_notes(app_notes(app));
			if (app_record_error(app, msg, sizeof(msg)))
				fprintf(stderr, "cgtop: %s\n", msg);
		}
		app_close(app);
	}
	options_free(&opt);
	return r;
}
