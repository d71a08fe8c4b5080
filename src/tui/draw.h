/* draw.h (tui layer, private to src/tui): drawing text measured in terminal cells (draw.c): East
 * Asian wide characters take two cells, nothing is written past a cell budget, and styles
 * name what a text is (title, error, selected …) rather than its colour.
 */
#ifndef MNVAULT_TUI_DRAW_H
#define MNVAULT_TUI_DRAW_H

#include <curses.h>

int tui_text_cells(const char *utf8);
/* Draw utf8 at (y,x) in at most cells cells, padding with spaces to exactly `cells` when
 * pad is set; a cut is marked with "…". Returns the cells used. */
int tui_put(WINDOW *w, int y, int x, const char *utf8, int cells, int pad);
/* A column of a list: utf8 in cells - 1 cells and a blank last cell, so that a cut never
 * touches the next column. Returns cells. */
int tui_put_col(WINDOW *w, int y, int x, const char *utf8, int cells);
/* Like tui_put, right-aligned in the cells. */
int tui_put_right(WINDOW *w, int y, int x, const char *utf8, int cells);
void tui_hline(WINDOW *w, int y, int x, int cells);
/* Draw utf8 over up to max_lines lines of cells cells, breaking at spaces where it can;
 * returns the lines used. */
int tui_put_wrapped(WINDOW *w, int y, int x, const char *utf8, int cells, int max_lines);
/* A rule with a title: "─ title ───…" across width cells, optional right text. */
void tui_rule(WINDOW *w, int y, int width, const char *title, const char *right);
int tui_colors(void); /* 1 when colours are in use */
enum tui_style {
    ST_NORMAL,
    ST_TITLE,
    ST_SELECTED,
    ST_ERROR,
    ST_OK,
    ST_DIM,
    ST_FIELD,
    ST_HEADER,
    ST_REVEAL
};
void tui_style_on(WINDOW *w, enum tui_style s);
void tui_style_off(WINDOW *w, enum tui_style s);
void tui_colors_init(int want_color);

#endif
