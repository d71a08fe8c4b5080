/* listview.h (tui layer, private to src/tui): selection and scrolling over a list of which some
 * rows are visible (listview.c).
 */
#ifndef MNVAULT_TUI_LISTVIEW_H
#define MNVAULT_TUI_LISTVIEW_H

#include "keys.h"

struct listview {
    long count;
    long sel;
    long top;
    int rows;
};
void listview_set_count(struct listview *lv, long count);
/* Move for an action; returns 1 when the selection or scroll moved. */
int listview_handle(struct listview *lv, enum tui_action a);
void listview_fit(struct listview *lv, int rows);

#endif
