/* listview.c: selection and scrolling for lists drawn a page at a time. */
#include "listview.h"

#include "keys.h"

static void clamp(struct listview *lv)
{
    if (lv->count <= 0) {
        lv->sel = lv->top = 0;
        return;
    }
    if (lv->sel >= lv->count)
        lv->sel = lv->count - 1;
    if (lv->sel < 0)
        lv->sel = 0;
    if (lv->rows <= 0)
        lv->rows = 1;
    if (lv->sel < lv->top)
        lv->top = lv->sel;
    if (lv->sel >= lv->top + lv->rows)
        lv->top = lv->sel - lv->rows + 1;
    if (lv->top > lv->count - lv->rows)
        lv->top = lv->count - lv->rows;
    if (lv->top < 0)
        lv->top = 0;
}

void listview_set_count(struct listview *lv, long count)
{
    lv->count = count;
    clamp(lv);
}

void listview_fit(struct listview *lv, int rows)
{
    lv->rows = rows;
    clamp(lv);
}

int listview_handle(struct listview *lv, enum tui_action a)
{
    long sel = lv->sel, top = lv->top;
    switch (a) {
    case TA_UP:
        lv->sel--;
        break;
    case TA_DOWN:
        lv->sel++;
        break;
    case TA_PAGE_UP:
        lv->sel -= lv->rows;
        lv->top -= lv->rows;
        break;
    case TA_PAGE_DOWN:
        lv->sel += lv->rows;
        lv->top += lv->rows;
        break;
    case TA_HOME:
        lv->sel = 0;
        break;
    case TA_END:
        lv->sel = lv->count - 1;
        break;
    default:
        return 0;
    }
    clamp(lv);
    return lv->sel != sel || lv->top != top;
}
