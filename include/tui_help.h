/* The TUI's help screen: every key, what it does. */
#ifndef CGTOP_TUI_HELP_H
#define CGTOP_TUI_HELP_H

/* Draw the help over the whole screen, starting at line SCROLL of the text. */
void tui_help_draw(int scroll);
/* How many lines the help text has. */
int tui_help_lines(void);

#endif
