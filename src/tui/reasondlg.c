/*
 * reasondlg.c: the small form dialog of reasondlg.h. Layout (rows of the body): the paragraph from
 * row 1 (three lines at most), field i at row 5 + 2i, the error line two rows under the last
 * field (row 9 at the earliest), the key hint three rows under that.
 */
#include "reasondlg.h"

#include <stdio.h>
#include <stdlib.h>

#include "draw.h"
#include "mnvault/i18n.h"

static const struct keydef reasondlg_keys[] = {{0, 0, TA_NONE}};

static const char *reasondlg_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    (void)right;
    (void)rsize;
    struct reasondlg *d = stp;
    return d->title;
}

static void reasondlg_draw(struct app *app, void *stp, WINDOW *w)
{
    struct reasondlg *d = stp;
    int cols = getmaxx(w), x = 2 + d->label_cells;
    tui_put_wrapped(w, 1, 2, d->intro, cols - 4, 3);
    int y = 5;
    for (int i = 0; i < d->nfields; i++, y += 2) {
        struct reasondlg_field *f = &d->fld[i];
        int on = d->focus == i, width = f->width ? f->width : cols - x - 4;
        tui_style_on(w, ST_HEADER);
        tui_put(w, y, 2, f->label, d->label_cells, 1);
        tui_style_off(w, ST_HEADER);
        mvwaddch(w, y, x, '[');
        field_draw(&f->f, w, y, x + 1, width, on, on ? &app->cursor_y : NULL,
                   on ? &app->cursor_x : NULL);
        mvwaddch(w, y, x + 1 + width, ']');
        if (f->hint) {
            tui_style_on(w, ST_DIM);
            if (f->width)
                tui_put(w, y, x + 3 + width, f->hint, cols - (x + 5 + width), 0);
            else
                tui_put(w, y + 1, x + 1, f->hint, cols - x - 4, 0);
            tui_style_off(w, ST_DIM);
        }
    }
    if (y < 9)
        y = 9;
    if (d->msg[0]) {
        char text[440];
        snprintf(text, sizeof(text), "! %s", d->msg);
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, y, 2, text, cols - 4, 2);
        tui_style_off(w, ST_ERROR);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, y + 3, 2, d->keys, cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next reasondlg_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct reasondlg *d = stp;
    if (ev->action != TA_OPEN && ev->action != TA_NEXT_FIELD && ev->action != TA_PREV_FIELD &&
        ev->action != TA_BACK && field_handle(&d->fld[d->focus].f, ev))
        return TUI_STAY;
    switch (ev->action) {
    case TA_NEXT_FIELD:
    case TA_DOWN:
        d->focus = (d->focus + 1) % d->nfields;
        return TUI_STAY;
    case TA_PREV_FIELD:
    case TA_UP:
        d->focus = (d->focus + d->nfields - 1) % d->nfields;
        return TUI_STAY;
    case TA_OPEN:
        return d->submit ? d->submit(app, d) : TUI_STAY;
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void reasondlg_on_lock(struct app *app, void *stp)
{
    (void)app;
    struct reasondlg *d = stp;
    for (int i = 0; i < d->nfields; i++)
        if (d->fld[i].f.secret)
            field_clear(&d->fld[i].f);
}

static void reasondlg_release(void *stp)
{
    struct reasondlg *d = stp;
    if (!d)
        return;
    for (int i = 0; i < d->nfields; i++)
        field_release(&d->fld[i].f);
    if (d->ud_free)
        d->ud_free(d->ud);
    free(d);
}

static const struct screen_ops reasondlg_ops = {
    .name = "dialog",
    .keys = reasondlg_keys,
    .heading = reasondlg_heading,
    .draw = reasondlg_draw,
    .handle = reasondlg_handle,
    .on_lock = reasondlg_on_lock,
    .release = reasondlg_release,
};

void reasondlg_free(struct reasondlg *d)
{
    reasondlg_release(d);
}

struct reasondlg *reasondlg_new(int nfields, const size_t *caps, unsigned secret)
{
    if (nfields < 1 || nfields > REASONDLG_FIELDS)
        return NULL;
    struct reasondlg *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    for (int i = 0; i < nfields; i++) {
        if (field_init(&d->fld[i].f, caps[i], (secret >> i) & 1) != 0) {
            reasondlg_release(d);
            return NULL;
        }
        d->nfields = i + 1;
    }
    d->label_cells = 10;
    return d;
}

enum tui_next reasondlg_push(struct app *app, struct reasondlg *d)
{
    return tui_push(app, &reasondlg_ops, d);
}
