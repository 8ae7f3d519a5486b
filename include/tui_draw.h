/* Drawing primitives shared by the TUI screens: styles, and text that is always
 * sanitized, clipped to a width in columns, and ASCII-only when the locale is not UTF-8. */
#ifndef CGTOP_TUI_DRAW_H
#define CGTOP_TUI_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Keys as the screens get them: a character as itself, an ncurses KEY_* code negated. */
#define TUI_KEY(code) (-(code))
#define TUI_ESC 27

enum tui_style {
	ST_NORMAL,
	ST_TITLE,       /* the header's first words */
	ST_HEADER,      /* a table's column titles */
	ST_HEADER_SORT, /* the column rows are ordered by */
	ST_SELECTED,    /* the selection bar */
	ST_DIM,         /* '-' and other unknowns */
	ST_WARN,        /* PAUSED, errors */
	ST_INPUT,       /* the filter being typed */
	ST_TROUBLE,     /* a flag of trouble in the last interval */
	ST__COUNT
};

/* Set up styles once ncurses runs: colors unless WANT_COLOR is false or the terminal
 * has none; UTF-8 output when the locale's codeset is UTF-8. */
void tui_draw_init(bool want_color);
/* True when the locale is UTF-8 (else every non-ASCII character is escaped). */
bool tui_draw_utf8(void);
/* The ncurses attributes of STYLE. */
int tui_style_attr(enum tui_style style);

/* Write S, which must already be sanitized, at (Y, X) in at most W columns.
 * Returns the number of columns written. */
int tui_put(int y, int x, int w, const char *s);
/* Sanitize RAW (bytes from the kernel, a container engine or a command line) and write
 * it like tui_put(). */
int tui_put_raw(int y, int x, int w, const char *raw);
/* Like tui_put(), but when S is wider than W its middle gives way to an ellipsis
 * ("…", or "~" when not UTF-8), keeping the start and the end. */
int tui_put_short(int y, int x, int w, const char *s);
/* Sanitize RAW and write it like tui_put_short(). */
int tui_put_raw_short(int y, int x, int w, const char *raw);
/* Sanitize RAW and write it like tui_put(), but when it is wider than W its end gives way
 * to an ellipsis ("…", or "~" when not UTF-8). */
int tui_put_raw_cut(int y, int x, int w, const char *raw);
/* Write S (sanitized) right-aligned in a field of W columns at (Y, X). */
void tui_put_right(int y, int x, int w, const char *s);
/* printf-style text (from cgtop itself, not from outside) clipped to W columns. */
int tui_printf(int y, int x, int w, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Paint row Y from column X to the right edge with STYLE (the text drawn after keeps it). */
void tui_fill(int y, int x, enum tui_style style);
/* Switch the current drawing style. */
void tui_style(enum tui_style style);

/* Display width of S (sanitized) as tui_put() would draw it. */
size_t tui_text_width(const char *s);

/* "-" unless VALID; otherwise format_bytes(V). */
const char *tui_cell_bytes(char *buf, size_t len, bool valid, uint64_t v);

#endif
