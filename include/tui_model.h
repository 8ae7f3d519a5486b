/* The rows the table shows, without a screen: the view's rows filtered, in tree order
 * with collapsed branches, and the selection, which follows its row across refreshes.
 * No ncurses here, so the table's behaviour has unit tests (tests/test_tui_model.c). */
#ifndef CGTOP_TUI_MODEL_H
#define CGTOP_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot.h"
#include "view.h"

/* A row as shown: which view row, how far indented, and its tree state. */
struct model_row {
	size_t row;      /* index into view->rows */
	unsigned indent;
	bool branch;     /* has children (tree mode) */
	bool collapsed;
};

struct tui_model {
	const struct view *v;         /* the rows last given to tui_model_rebuild() */
	const struct snapshot *snap;  /* their snapshot */
	bool tree;                    /* children under their parents */
	char filter[256];             /* shown rows match it (tui_model_row_matches) */
	struct model_row *vis;        /* the rows shown, in order */
	size_t nvis, vis_cap;
	size_t sel;                   /* index into vis */
	char *sel_key;                /* the selected row's key, kept across refreshes */
	bool chosen;                  /* the user moved the selection: it follows its row;
				       * until then it stays on the top row of the order */
	size_t top;                   /* the first row drawn (tui_model_scroll) */
	char **collapsed;             /* paths of collapsed branches */
	size_t ncollapsed;
	bool any_ctr;                 /* some row is a container (its ID column shows) */
	bool any_config;              /* some container has a config_id */
};

void tui_model_free(struct tui_model *m);

/* Show the rows of V (made from S; V NULL: none yet): filter, tree, and the selection:
 * on the top row until the user moves it, then put back on the row it was on (or kept at
 * its place when that row is gone). Call again after a change of filter or tree mode. */
void tui_model_rebuild(struct tui_model *m, const struct view *v, const struct snapshot *s);

/* The view row shown at I, or NULL. */
const struct view_row *tui_model_row(const struct tui_model *m, size_t i);
/* The selected view row, or NULL when no row is shown. */
const struct view_row *tui_model_selected(const struct tui_model *m);
/* Select shown row I (clamped): the selection follows that row from now on. */
void tui_model_select(struct tui_model *m, size_t i);
/* Move the selection by DELTA rows (clamped): it follows that row from now on. */
void tui_model_move(struct tui_model *m, long delta);
/* Back to the top of the order (r, Home, g): the selection stays on the top row,
 * whichever it is, until the user moves it again. */
void tui_model_to_top(struct tui_model *m);
/* Clear the filter (Esc): the row it found stays selected and is followed from now on,
 * so that filtering is a way to pick a row. Rebuild after. */
void tui_model_filter_clear(struct tui_model *m);
/* Scroll so that the selection shows in ROWS lines: sets top. */
void tui_model_scroll(struct tui_model *m, size_t rows);
/* Shown rows above the first drawn and below the last (after tui_model_scroll(ROWS)). */
size_t tui_model_above(const struct tui_model *m);
size_t tui_model_below(const struct tui_model *m, size_t rows);
/* Tree: collapse the selected branch, or go to its parent. */
void tui_model_left(struct tui_model *m);
/* Tree: expand the selected branch. */
void tui_model_right(struct tui_model *m);
/* True when the branch at PATH is collapsed. */
bool tui_model_is_collapsed(const struct tui_model *m, const char *path);

/* A row's identity across refreshes, newly allocated: "c:<container id>", "g:<group>"
 * or "p:<path>". */
char *tui_model_row_key(const struct view_row *r);
/* True when R has KEY. */
bool tui_model_row_is(const struct view_row *r, const char *key);
/* The row of V that has KEY, or NULL. */
const struct view_row *tui_model_find(const struct view *v, const char *key);
/* The filter F matches part of R's name, path, container ID or name, image, config_id or
 * a label value (ASCII case ignored); an empty F matches every row. */
bool tui_model_row_matches(const struct view_row *r, const char *f);
/* Remove the filter's last character (not byte). */
void tui_model_filter_backspace(struct tui_model *m);

#endif
