/* textpage.h (tui layer, private to src/tui): a screen of lines to read (textpage.c) — a
 * report, a one-time password to hand over, the settings — scrolled with the arrows and
 * closed with Esc or Enter. A secret page keeps its lines in secmem and wipes them on lock.
 */
#ifndef MNVAULT_TUI_TEXTPAGE_H
#define MNVAULT_TUI_TEXTPAGE_H

#include "app.h"
#include "draw.h"
#include "mnvault/attr.h"

struct textpage;

/* textpage_new: an empty page with a heading (copied); NULL when out of memory. */
struct textpage *textpage_new(const char *name, const char *title, int secret);
/* textpage_add: one line (wrapped to the screen's width when drawn); a line that cannot be
 * kept (out of memory) is left out. */
void textpage_add(struct textpage *t, enum tui_style style, const char *fmt, ...) MNV_PRINTF(3, 4);
/* textpage_pair: "label   value" with the label as a heading of width cells. */
void textpage_pair(struct textpage *t, int width, const char *label, enum tui_style style,
                   const char *value);
/* textpage_push: show t (owned by the screen from now on). */
enum tui_next textpage_push(struct app *app, struct textpage *t);
/* textpage_replace: show t in place of the top screen (tui_replace_top()). */
enum tui_next textpage_replace(struct app *app, struct textpage *t);
void textpage_free(struct textpage *t);

#endif
