/* The lines around a screen's body: the header (host, time, load, totals, the interval
 * or the recording's place), the line for the filter or the latest note, and the bottom
 * line (the line being typed, a message, or the screen's keys). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "trouble.h"
#include "tui_draw.h"
#include "tui_screen.h"

/* Uptime as "3d 04:12" or "04:12". */
static void uptime_text(char *buf, size_t len, double s)
{
	unsigned long m = (unsigned long)(s / 60), d = m / 1440;

	if (d)
		snprintf(buf, len, "%lud %02lu:%02lu", d, m / 60 % 24, m % 60);
	else
		snprintf(buf, len, "%02lu:%02lu", m / 60, m % 60);
}

/* An interval as "1s", "0.5s", "2.5s". */
static void interval_text(char *buf, size_t len, uint64_t ns)
{
	if (ns % 1000000000u == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(ns / 1000000000u));
	else
		snprintf(buf, len, "%.2gs", (double)ns / 1e9);
}

/* A piece of header text: written at *X when it fits, then a gap. */
static void header_piece(int y, int *x, enum tui_style st, const char *text)
{
	if (*x >= COLS)
		return;
	tui_style(st);
	*x += tui_put(y, *x, COLS - *x, text);
	tui_style(ST_NORMAL);
	if (*x < COLS)
		*x += tui_put(y, *x, COLS - *x, "  ");
}

/* "PSI cpu 45 mem 0 io 3%": the share of the last interval some tasks of the host were
 * stalled (/proc/pressure, read by the worker), bold red from the Flags' threshold. */
static void host_pressure_piece(struct tui *t, int *x)
{
	static const char *const names[3] = { "cpu", "mem", "io" };
	char buf[64];
	size_t n = 0;
	bool any = false, bad = false;

	n += (size_t)snprintf(buf, sizeof(buf), "PSI");
	for (int i = 0; i < 3; i++) {
		if (!t->host.psi_total_valid[i])
			continue;
		any = true;
		if (t->host.psi_share_valid[i]) {
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s %.0f", names[i], t->host.psi_some_percent[i]);
			bad |= t->host.psi_some_percent[i] >= TROUBLE_PRESSURE_PERCENT;
		} else {
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s -", names[i]);
		}
	}
	if (!any || n + 2 > sizeof(buf))
		return;
	memcpy(buf + n, "%", 2);
	header_piece(0, x, bad ? ST_TROUBLE : ST_NORMAL, buf);
}

/* The two header lines. */
void tui_header_draw(struct tui *t, int nlines)
{
	char buf[160], num[32], num2[32], mode[48], ctrs[48], cpu[48], mem[64];
	size_t cpu_short, mem_short;
	const struct cg_row *root = NULL;
	ssize_t ri;
	int x = 0;
	time_t now = t->snap ? (time_t)(t->snap->real_ns / 1000000000u) : time(NULL);
	struct tm tm;

	header_piece(0, &x, ST_TITLE, "cgtop");
	if (t->smp && t->smp->origin) {
		_cleanup_free_ char *file = sanitize_dup(t->smp->origin);
		char ts[64];

		format_rfc3339(ts, sizeof(ts), t->snap->real_ns);
		snprintf(buf, sizeof(buf), "REPLAY %s %s (sample %zu of %zu)", file, ts, t->smp->index + 1, t->smp->count);
		header_piece(0, &x, ST_WARN, buf);
	}
	if (t->host.hostname[0]) {
		_cleanup_free_ char *h = sanitize_dup(t->host.hostname);

		header_piece(0, &x, ST_TITLE, h);
	}
	localtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	if (!t->seekable) /* a recording's time is in its REPLAY piece */
		header_piece(0, &x, ST_NORMAL, buf);
	if (t->host.uptime_valid) {
		uptime_text(num, sizeof(num), t->host.uptime_s);
		snprintf(buf, sizeof(buf), "up %s", num);
		header_piece(0, &x, ST_NORMAL, buf);
	}
	if (t->host.load_valid) {
		snprintf(buf, sizeof(buf), "load %.2f %.2f %.2f", t->host.load[0], t->host.load[1], t->host.load[2]);
		header_piece(0, &x, ST_NORMAL, buf);
	}
	host_pressure_piece(t, &x);
	if (t->paused)
		header_piece(0, &x, ST_WARN, "PAUSED");
	if (nlines < 2)
		return;
	snprintf(mode, sizeof(mode), "cgroup %s", cg_mode_name(app_hierarchies(t->app)->mode));
	snprintf(ctrs, sizeof(ctrs), "containers %zu", t->ncontainers);
	ri = t->snap ? snapshot_find(t->snap, "/") : -1;
	root = ri >= 0 ? &t->snap->rows[ri] : NULL;
	if (root && row_has(root, F_CPU_RATE))
		snprintf(cpu, sizeof(cpu), "CPU %.1f%%", root->cpu_percent);
	else
		snprintf(cpu, sizeof(cpu), "CPU -");
	cpu_short = strlen(cpu);
	if (t->host.ncpus)
		snprintf(cpu + cpu_short, sizeof(cpu) - cpu_short, " of %d00%%", t->host.ncpus);
	snprintf(mem, sizeof(mem), "memory %s", tui_cell_bytes(num, sizeof(num), root && row_has(root, F_MEM_USAGE),
								 root ? root->mem_usage : 0));
	mem_short = strlen(mem);
	if (t->host.memtotal_valid)
		snprintf(mem + mem_short, sizeof(mem) - mem_short, " of %s",
			 format_bytes(num2, sizeof(num2), t->host.memtotal));
	/* a recording has its own pace; the host is sampled at the screen's interval */
	interval_text(num, sizeof(num), t->seekable ? (t->snap ? t->snap->interval_ns : 0) : t->delay_ns);
	if (t->seekable && !(t->snap && t->snap->interval_ns))
		snprintf(num, sizeof(num), "-"); /* the first sample of a recording: no interval */
	snprintf(buf, sizeof(buf), "%s %s", t->seekable ? "recorded every" : "refresh", num);
	if (t->smp && t->smp->took_ns > t->delay_ns) {
		/* a walk slower than the interval: the refresh is slower than asked */
		interval_text(num2, sizeof(num2), t->smp->took_ns / 10000000u * 10000000u);
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " (a sample takes %s)", num2);
	}
	/* too wide for the screen (80 columns, 31 containers): the memory total ("of 23.5G"),
	 * then the CPUs' ("of 200%"), go before the interval is cut */
	if (strlen(mode) + strlen(ctrs) + strlen(cpu) + strlen(mem) + strlen(buf) + 8 > (size_t)COLS)
		mem[mem_short] = '\0';
	if (strlen(mode) + strlen(ctrs) + strlen(cpu) + strlen(mem) + strlen(buf) + 8 > (size_t)COLS)
		cpu[cpu_short] = '\0';
	x = 0;
	header_piece(1, &x, ST_NORMAL, mode);
	header_piece(1, &x, ST_NORMAL, ctrs);
	header_piece(1, &x, ST_NORMAL, cpu);
	header_piece(1, &x, ST_NORMAL, mem);
	header_piece(1, &x, ST_NORMAL, buf);
}

/* The line under the header: the filter, or the latest note. */
void tui_info_draw(struct tui *t, int y)
{
	int x;

	if (t->m.filter[0] && !t->editing) {
		x = tui_put(y, 0, COLS, "filter: ");
		tui_style(ST_INPUT);
		x += tui_put_raw(y, x, COLS - x, t->m.filter);
		tui_style(ST_NORMAL);
		tui_printf(y, x, COLS - x, "  (%zu of %zu rows; Esc clears)", t->m.nvis, t->m.v ? t->m.v->n : 0);
	} else if (t->smp && t->smp->unnamed) {
		/* true of this sample: it goes when the names come */
		tui_style(ST_DIM);
		x = tui_put(y, 0, COLS, "note: ");
		tui_put_raw(y, x, COLS - x, t->smp->unnamed);
		tui_style(ST_NORMAL);
	} else if (t->note) {
		tui_style(ST_DIM);
		x = tui_put(y, 0, COLS, "note: ");
		tui_put_raw(y, x, COLS - x, t->note);
		tui_style(ST_NORMAL);
	}
}

/* The bottom line: the filter being typed, a message, or the keys. */
void tui_bottom_draw(struct tui *t, bool small)
{
	int y = LINES - 1, x;

	if (t->asking_time) {
		x = tui_put(y, 0, COLS, "Go to time (HH:MM:SS or RFC 3339): ");
		tui_style(ST_INPUT);
		x += tui_put_raw(y, x, COLS - x, t->when);
		tui_style(ST_NORMAL);
		move(y, x < COLS ? x : COLS - 1);
		return;
	}
	if (t->editing) {
		x = tui_put(y, 0, COLS, "Filter: ");
		tui_style(ST_INPUT);
		x += tui_put_raw(y, x, COLS - x, t->m.filter);
		tui_style(ST_NORMAL);
		move(y, x < COLS ? x : COLS - 1);
		tui_put(y, x + 1, COLS - x - 1, "  (Enter keeps it, Esc clears it)");
		return;
	}
	tui_fill(y, 0, ST_HEADER);
	if (t->message[0])
		tui_put(y, 0, COLS, t->message);
	else if (small)
		tui_printf(y, 0, COLS, "terminal %dx%d: not everything fits; enlarge it (? help, q quit)", COLS, LINES);
	else if (t->seekable && t->screen->seek_keys)
		tui_put(y, 0, COLS, t->screen->seek_keys);
	else
		tui_put(y, 0, COLS, t->screen->keys);
	tui_style(ST_NORMAL);
}

