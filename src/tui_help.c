/* The TUI's help screen. */
#include "config.h"

#include <curses.h>

#include "tui_draw.h"
#include "tui_help.h"
#include "tui_screen.h"
#include "util.h"

static const char *const help_text[] = {
	"cgtop " PACKAGE_VERSION " - keys",
	"",
	"Table (the default screen)",
	"  Up/Down j/k  PgUp/PgDn  End   move the selection (it follows its row)",
	"  Home g           back to the top row of the order (so does r)",
	"  p t c m i        order by path, tasks, CPU, memory, I/O",
	"  !                order by trouble, worst first (see Flags below)",
	"  r                reverse the order",
	"  %                show CPU as a percentage or as time used",
	"  a                the whole cgroup tree / the default view",
	"  Left / Right     in the tree: collapse / expand a branch",
	"                   (Left again: go to the parent)",
	"  /                filter by part of a name, path, ID or label value",
	"                   (Esc clears it)",
	"  Enter            the row's history (sparklines of the last 10 minutes or",
	"                   more) and its tasks",
	"  T                a trend column: a sparkline of the figure of the order",
	"  s                summary: controllers, mounts, cgroups per top-level slice",
	"  x                hide / show containers that are not running (exited ...)",
	"  f                every figure of the selected row: value, limit, kernel file",
	"",
	"History and tasks (after Enter)",
	"  %CPU, Memory (a full cell: the limit, when there is one), I/O, %Throttle and",
	"  %Pressure (the worst of cpu, memory, io), each with its lowest, highest and",
	"  latest value; a cell is the highest of the samples it covers, a blank one",
	"  a gap",
	"  Up/Down ...      move; the list is ordered by %CPU and refreshed live",
	"  Enter            the task's cgroups in every hierarchy and its systemd unit",
	"  Esc / Backspace  back",
	"",
	"Everywhere",
	"  + / -            refresh less / more often",
	"  space            pause / resume the refresh",
	"  h / ?            this help (any key closes it)",
	"  q                quit",
	"",
	"Replay (--replay FILE)",
	"  space            play at the recorded pace / pause",
	"  n .  /  b ,      one sample forward / back",
	"  g                go to a time: HH:MM:SS or RFC 3339, then Enter",
	"  Home / End       the first / the last sample",
	"",
	"'-' means the kernel gave no value (a rate needs two samples); '~' marks an",
	"I/O rate estimated from /proc/PID/io. 100% CPU is one CPU busy. %Lim is the",
	"working set as a share of the cgroup's memory limit, when there is a limit.",
	"Flags, worst first: O OOM kill, F fork refused at the task limit, M memory",
	"limit hit, T CPU throttled (quota used up), P some tasks stalled (cpu, memory",
	"or io pressure) 10% of the interval or more; a capital means in the last",
	"interval, o f m t only since cgtop started; '.' none. The ! order ranks O,",
	"then F, M, the share throttled, P, then the counts since the start.",
	"Containers, first in the ! order: K OOM-killed (the engine's word), U",
	"unhealthy, R restarting, or restarted in the last interval or by its engine",
	"in the last minute (r: since cgtop started), X exited with a non-zero code.",
	"A container that is not running shows its state where its figures would be:",
	"'exited (137) 2m ago', 'restarting', 'created'.",
	"Colors are off with --no-color or when NO_COLOR is set.",
};

/* Lines of help text. */
int tui_help_lines(void)
{
	return (int)ARRAY_SIZE(help_text);
}

/* Draw the help from line SCROLL, and how to leave it. */
void tui_help_draw(int scroll)
{
	int y = 0;

	for (int i = scroll; i < (int)ARRAY_SIZE(help_text) && y < LINES - 1; i++, y++) {
		tui_style(i == 0 ? ST_TITLE : ST_NORMAL);
		tui_put(y, 1, COLS - 1, help_text[i]);
	}
	tui_fill(LINES - 1, 0, ST_HEADER);
	tui_put(LINES - 1, 1, COLS - 1, "Press any key to go back");
	tui_style(ST_NORMAL);
}

/* ---------------------------------------------------------------- the screen */

static void screen_draw(struct tui *t, int y, int h)
{
	(void)y;
	(void)h;
	tui_help_draw(t->help_scroll);
}

/* Scroll; any other key goes back to the screen under the help. */
static bool screen_key(struct tui *t, int key)
{
	if (key == TUI_KEY(KEY_DOWN) || key == 'j' || key == TUI_KEY(KEY_NPAGE)) {
		if (t->help_scroll + 1 < tui_help_lines())
			t->help_scroll++;
	} else if (key == TUI_KEY(KEY_UP) || key == 'k' || key == TUI_KEY(KEY_PPAGE)) {
		if (t->help_scroll > 0)
			t->help_scroll--;
	} else {
		t->screen = t->under; /* as it was: no refresh */
	}
	return true;
}

const struct tui_screen tui_screen_help = {
	.name = "help",
	.draw = screen_draw,
	.key = screen_key,
	.whole = true,
	.keys = "Press any key to go back",
};
