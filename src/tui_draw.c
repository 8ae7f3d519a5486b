/* Drawing primitives shared by the TUI screens. */
#include "config.h"

#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "format.h"
#include "tui_draw.h"
#include "util.h"

static bool utf8;
static int style_attrs[ST__COUNT];

/* Choose the locale's output (UTF-8 or ASCII) and each style's attributes. */
void tui_draw_init(bool want_color)
{
	const char *cs = nl_langinfo(CODESET);
	bool color = want_color && has_colors() && start_color() == OK;

	utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	/* without color, attributes alone tell the parts apart (NO_COLOR allows them) */
	style_attrs[ST_NORMAL] = A_NORMAL;
	style_attrs[ST_TITLE] = A_BOLD;
	style_attrs[ST_HEADER] = A_REVERSE;
	style_attrs[ST_HEADER_SORT] = A_REVERSE | A_BOLD | A_UNDERLINE;
	style_attrs[ST_SELECTED] = A_REVERSE;
	style_attrs[ST_DIM] = A_NORMAL;
	style_attrs[ST_WARN] = A_BOLD | A_REVERSE;
	style_attrs[ST_INPUT] = A_BOLD;
	style_attrs[ST_TROUBLE] = A_BOLD | A_UNDERLINE;
	if (!color)
		return;
	use_default_colors();
	init_pair(1, COLOR_CYAN, -1);
	init_pair(2, COLOR_BLACK, COLOR_CYAN);
	init_pair(3, COLOR_BLACK, COLOR_YELLOW);
	init_pair(4, COLOR_WHITE, COLOR_BLUE);
	init_pair(5, COLOR_WHITE, COLOR_RED);
	init_pair(6, COLOR_YELLOW, -1);
	init_pair(7, COLOR_RED, -1);
	style_attrs[ST_TITLE] = A_BOLD | COLOR_PAIR(1);
	style_attrs[ST_HEADER] = COLOR_PAIR(2);
	style_attrs[ST_HEADER_SORT] = COLOR_PAIR(3) | A_BOLD;
	style_attrs[ST_SELECTED] = COLOR_PAIR(4) | A_BOLD;
	style_attrs[ST_DIM] = A_DIM;
	style_attrs[ST_WARN] = COLOR_PAIR(5) | A_BOLD;
	style_attrs[ST_INPUT] = COLOR_PAIR(6) | A_BOLD;
	style_attrs[ST_TROUBLE] = COLOR_PAIR(7) | A_BOLD;
}

/* Whether non-ASCII characters are drawn as they are. */
bool tui_draw_utf8(void)
{
	return utf8;
}

/* The attributes of STYLE. */
int tui_style_attr(enum tui_style style)
{
	return style_attrs[style];
}

/* Draw what follows in STYLE. */
void tui_style(enum tui_style style)
{
	attrset(style_attrs[style]);
}

/* Length in bytes of the UTF-8 sequence starting with byte C (1 for anything odd). */
static size_t seq_len(unsigned char c)
{
	if (c >= 0xF0 && c <= 0xF4)
		return 4;
	if (c >= 0xE0)
		return c <= 0xEF ? 3 : 1;
	if (c >= 0xC2)
		return 2;
	return 1;
}

/* One character of S at *I: its bytes to draw (or an ASCII escape in a non-UTF-8 locale)
 * into PIECE/PL and its width; advances *I. */
static int next_piece(const char *s, size_t n, size_t *i, const char **piece, size_t *pl, char esc[16])
{
	const unsigned char *u = (const unsigned char *)s + *i;
	size_t l = seq_len(u[0]);
	mbstate_t st;
	wchar_t wc;
	int w;

	if (l > n - *i)
		l = 1;
	*piece = s + *i;
	*pl = l;
	*i += l;
	if (l == 1) {
		if (u[0] >= 0x20 && u[0] < 0x7F)
			return 1;
		snprintf(esc, 16, "\\x%02x", u[0]); /* sanitized text has none: belt and braces */
		*piece = esc;
		*pl = strlen(esc);
		return (int)*pl;
	}
	memset(&st, 0, sizeof(st));
	if (!utf8 || mbrtowc(&wc, (const char *)u, l, &st) != l) {
		uint32_t cp = u[0] & (0xFF >> (l + 1));

		for (size_t k = 1; k < l; k++)
			cp = (cp << 6) | (u[k] & 0x3F);
		snprintf(esc, 16, "\\u{%04x}", (unsigned)cp);
		*piece = esc;
		*pl = strlen(esc);
		return (int)*pl;
	}
	w = wcwidth(wc);
	return w < 0 ? 1 : w;
}

/* Draw sanitized S clipped to W columns, character by character. */
int tui_put(int y, int x, int w, const char *s)
{
	size_t n = strlen(s), i = 0;
	int col = 0;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	move(y, x);
	while (i < n) {
		const char *piece;
		size_t pl;
		char esc[16];
		int cw = next_piece(s, n, &i, &piece, &pl, esc);

		if (col + cw > w)
			break;
		addnstr(piece, (int)pl);
		col += cw;
	}
	return col;
}

/* Sanitize RAW, then draw it clipped. */
int tui_put_raw(int y, int x, int w, const char *raw)
{
	_cleanup_free_ char *s = sanitize_dup(raw ? raw : "");

	return tui_put(y, x, w, s);
}

/* Draw S in W columns, its middle replaced by an ellipsis when too wide. */
int tui_put_short(int y, int x, int w, const char *s)
{
	size_t n = strlen(s), i = 0, cut_head = 0, cut_tail = n, k = 0, *off, *wid;
	int headw, tailw, used = 0;
	const char *dots = utf8 ? "\u2026" : "~";

	if (w < 6 || (int)tui_text_width(s) <= w)
		return tui_put(y, x, w, s);
	off = xmalloc((n + 1) * sizeof(*off));
	wid = xmalloc((n + 1) * sizeof(*wid));
	while (i < n) {
		const char *piece;
		size_t pl;
		char esc[16];

		off[k] = i;
		wid[k] = (size_t)next_piece(s, n, &i, &piece, &pl, esc);
		k++;
	}
	off[k] = n;
	/* most of the start (a slice and the start of an ID), the end (".scope") */
	headw = (w - 1) * 3 / 5;
	tailw = w - 1 - headw;
	for (size_t c = 0; c < k && used + (int)wid[c] <= headw; c++) {
		used += (int)wid[c];
		cut_head = off[c + 1];
	}
	used = 0;
	for (size_t c = k; c-- > 0 && used + (int)wid[c] <= tailw;) {
		used += (int)wid[c];
		cut_tail = off[c];
	}
	{
		_cleanup_free_ char *head = xstrndup(s, cut_head);
		int col = tui_put(y, x, headw, head);

		col += tui_put(y, x + col, 1, dots);
		col += tui_put(y, x + col, w - col, s + cut_tail);
		used = col;
	}
	free(off);
	free(wid);
	return used;
}

/* Sanitize RAW, then draw it shortened in the middle. */
int tui_put_raw_short(int y, int x, int w, const char *raw)
{
	_cleanup_free_ char *s = sanitize_dup(raw ? raw : "");

	return tui_put_short(y, x, w, s);
}

/* Sanitize RAW, then draw it with its end cut to an ellipsis when too wide. */
int tui_put_raw_cut(int y, int x, int w, const char *raw)
{
	_cleanup_free_ char *s = sanitize_dup(raw ? raw : "");
	int col;

	if (w < 2 || (int)tui_text_width(s) <= w)
		return tui_put(y, x, w, s);
	col = tui_put(y, x, w - 1, s);
	return col + tui_put(y, x + col, 1, utf8 ? "\u2026" : "~");
}

/* Columns S takes as tui_put() draws it (escapes included). */
size_t tui_text_width(const char *s)
{
	size_t n = strlen(s), i = 0, width = 0;

	while (i < n) {
		const char *piece;
		size_t pl;
		char esc[16];

		width += (size_t)next_piece(s, n, &i, &piece, &pl, esc);
	}
	return width;
}

/* Draw S right-aligned in W columns. */
void tui_put_right(int y, int x, int w, const char *s)
{
	size_t tw = tui_text_width(s);

	if ((int)tw >= w)
		tui_put(y, x, w, s);
	else
		tui_put(y, x + w - (int)tw, (int)tw, s);
}

/* Format cgtop's own text and draw it clipped. */
int tui_printf(int y, int x, int w, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return tui_put(y, x, w, text);
}

/* Paint the rest of line Y in STYLE. */
void tui_fill(int y, int x, enum tui_style style)
{
	if (y < 0 || y >= LINES || x >= COLS)
		return;
	attrset(style_attrs[style]);
	mvhline(y, x, ' ', COLS - x);
}

/* "-" for an unknown value, else the size in 1024-based units. */
const char *tui_cell_bytes(char *buf, size_t len, bool valid, uint64_t v)
{
	if (!valid)
		return "-";
	return format_bytes(buf, len, v);
}
