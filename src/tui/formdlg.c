/* formdlg.c: the dialog of labelled fields (formdlg.h). */
#include "formdlg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "field.h"
#include "phrases.h"
#include "mnvault/i18n.h"
#include "mnvault/secmem.h"

#define LABEL_X 2
#define LABEL_W 16
#define FIELD_X (LABEL_X + LABEL_W + 1)

struct formdlg {
    struct formdlg_spec spec;
    struct formdlg_item items[FORMDLG_MAX];
    struct field f[FORMDLG_MAX];
    int choice[FORMDLG_MAX];
    int nchoices[FORMDLG_MAX];
    int focus;
    char title[160], intro[800]; /* copies: the owner's may be on its stack */
    char msg[600];
};

static const struct keydef formdlg_keys[] = {{0, 0, TA_NONE}};

const char *formdlg_text(const struct formdlg *d, int i)
{
    return i >= 0 && i < d->spec.n && d->f[i].buf ? d->f[i].buf : "";
}

int formdlg_choice(const struct formdlg *d, int i)
{
    return i >= 0 && i < d->spec.n ? d->choice[i] : 0;
}

void formdlg_say(struct formdlg *d, int i, const char *text)
{
    snprintf(d->msg, sizeof(d->msg), "%s", text);
    if (i >= 0 && i < d->spec.n)
        d->focus = i;
}

void formdlg_clear(struct formdlg *d, int i)
{
    if (i >= 0 && i < d->spec.n && !d->items[i].choices)
        field_clear(&d->f[i]);
}

enum tui_next formdlg_fail(struct app *app, struct formdlg *d, int i, enum mnv_err err,
                           const struct mnv_diag *diag)
{
    (void)app;
    char text[sizeof(d->msg)];
    formdlg_say(d, i, tui_error_text(text, sizeof(text), err, diag));
    return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
}

static const char *formdlg_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    (void)right;
    (void)rsize;
    return ((struct formdlg *)stp)->spec.title;
}

/* The width the fields without their own share: the rest of the line, less room for the
 * longest of their hints when they have hints (from 20 to 30 cells then). */
static int shared_width(const struct formdlg *d, int cols)
{
    int w = cols - FIELD_X - 3, hinted = w;
    for (int i = 0; i < d->spec.n; i++) {
        if (!d->items[i].hint || d->items[i].width > 0)
            continue;
        int room = cols - FIELD_X - 5 - tui_text_cells(d->items[i].hint);
        int want = room < 20 ? 20 : room > 30 ? 30 : room;
        if (want < hinted)
            hinted = want;
    }
    return hinted < w ? hinted : w;
}

/* Field i's width: its own (a short code or date), or the shared one. */
static int field_width(const struct formdlg *d, int i, int cols)
{
    int own = d->items[i].width, shared = shared_width(d, cols);
    return own > 0 && own < cols - FIELD_X - 3 ? own : shared;
}

static void draw_item(struct app *app, struct formdlg *d, WINDOW *w, int i, int y, int cols)
{
    const struct formdlg_item *it = &d->items[i];
    int fw = field_width(d, i, cols), focused = i == d->focus;
    tui_style_on(w, ST_HEADER);
    tui_put(w, y, LABEL_X, it->label, LABEL_W, 1);
    tui_style_off(w, ST_HEADER);
    if (it->choices) {
        char text[200];
        snprintf(text, sizeof(text), "< %s >", it->choices[d->choice[i]]);
        tui_style_on(w, focused ? ST_SELECTED : ST_FIELD);
        tui_put(w, y, FIELD_X, text, fw + 2, 1);
        tui_style_off(w, focused ? ST_SELECTED : ST_FIELD);
    } else {
        mvwaddch(w, y, FIELD_X, '[');
        field_draw(&d->f[i], w, y, FIELD_X + 1, fw, focused, &app->cursor_y, &app->cursor_x);
        mvwaddch(w, y, FIELD_X + 1 + fw, ']');
    }
    if (it->hint && cols - (FIELD_X + fw + 4) > 8) {
        tui_style_on(w, ST_DIM);
        tui_put(w, y, FIELD_X + fw + 3, it->hint, cols - (FIELD_X + fw + 5), 0);
        tui_style_off(w, ST_DIM);
    }
}

static void formdlg_draw(struct app *app, void *stp, WINDOW *w)
{
    struct formdlg *d = stp;
    int cols = getmaxx(w), rows = getmaxy(w), y = 1;
    if (d->spec.intro)
        y += tui_put_wrapped(w, y, 2, d->spec.intro, cols - 4, 4) + 1;
    int step = rows - y - 5 >= 2 * d->spec.n ? 2 : 1;
    for (int i = 0; i < d->spec.n; i++, y += step)
        draw_item(app, d, w, i, y, cols);
    if (d->msg[0]) {
        char text[sizeof(d->msg) + 4];
        snprintf(text, sizeof(text), "! %s", d->msg);
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, y + 1, 2, text, cols - 4, 2);
        tui_style_off(w, ST_ERROR);
    }
    char keys[300];
    int choices = 0;
    for (int i = 0; i < d->spec.n; i++)
        choices |= d->items[i].choices != NULL;
    snprintf(keys, sizeof(keys),
             choices ? _("%s   Tab: next field   ←→: change a choice   Esc: cancel")
                     : _("%s   Tab: next field   Esc: cancel"),
             d->spec.enter ? d->spec.enter : _("Enter: done"));
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2, keys, cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static int change_choice(struct formdlg *d, const struct tui_event *ev)
{
    int i = d->focus, n = d->nchoices[i];
    if (!d->items[i].choices || n == 0)
        return 0;
    if ((ev->is_code && ev->code == KEY_RIGHT) || (!ev->is_code && ev->ch == L' '))
        d->choice[i] = (d->choice[i] + 1) % n;
    else if (ev->is_code && ev->code == KEY_LEFT)
        d->choice[i] = (d->choice[i] + n - 1) % n;
    else
        return 0;
    return 1;
}

static enum tui_next formdlg_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct formdlg *d = stp;
    switch (ev->action) {
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    case TA_NEXT_FIELD:
    case TA_DOWN:
        d->focus = (d->focus + 1) % d->spec.n;
        return TUI_STAY;
    case TA_PREV_FIELD:
    case TA_UP:
        d->focus = (d->focus + d->spec.n - 1) % d->spec.n;
        return TUI_STAY;
    case TA_OPEN:
        d->msg[0] = '\0';
        return d->spec.submit(app, d, d->spec.ud);
    default:
        if (!change_choice(d, ev) && !d->items[d->focus].choices)
            (void)field_handle(&d->f[d->focus], ev);
        return TUI_STAY;
    }
}

static void formdlg_on_lock(struct app *app, void *stp)
{
    (void)app;
    struct formdlg *d = stp;
    for (int i = 0; i < d->spec.n; i++)
        if (d->items[i].secret)
            field_clear(&d->f[i]);
}

static void formdlg_release(void *stp)
{
    struct formdlg *d = stp;
    for (int i = 0; i < d->spec.n; i++)
        field_release(&d->f[i]);
    if (d->spec.ud_release)
        d->spec.ud_release(d->spec.ud);
    free(d);
}

static const struct screen_ops formdlg_ops = {
    .name = "form",
    .keys = formdlg_keys,
    .heading = formdlg_heading,
    .draw = formdlg_draw,
    .handle = formdlg_handle,
    .on_lock = formdlg_on_lock,
    .release = formdlg_release,
};

static int init_item(struct formdlg *d, int i)
{
    const struct formdlg_item *it = &d->items[i];
    d->choice[i] = it->choice;
    if (it->choices) {
        while (it->choices[d->nchoices[i]])
            d->nchoices[i]++;
        if (d->choice[i] < 0 || d->choice[i] >= d->nchoices[i])
            d->choice[i] = 0;
        return 0;
    }
    if (field_init(&d->f[i], it->cap ? it->cap : 256, it->secret) != 0)
        return -1;
    d->f[i].show = it->show;
    d->f[i].accept = it->accept;
    if (it->value)
        field_set(&d->f[i], it->value);
    return 0;
}

enum tui_next formdlg_push(struct app *app, const struct formdlg_spec *spec)
{
    struct formdlg *d = calloc(1, sizeof(*d));
    int ok = d != NULL && spec->n > 0 && spec->n <= FORMDLG_MAX;
    if (ok) {
        d->spec = *spec;
        memcpy(d->items, spec->items, sizeof(d->items[0]) * (size_t)spec->n);
        d->spec.items = d->items;
        snprintf(d->title, sizeof(d->title), "%s", spec->title);
        snprintf(d->intro, sizeof(d->intro), "%s", spec->intro ? spec->intro : "");
        d->spec.title = d->title;
        d->spec.intro = spec->intro ? d->intro : NULL;
        for (int i = 0; ok && i < spec->n; i++)
            ok = init_item(d, i) == 0;
        d->focus = spec->focus > 0 && spec->focus < spec->n ? spec->focus : 0;
    }
    if (!ok) {
        if (d) {
            d->spec.ud_release = NULL;
            formdlg_release(d);
        }
        if (spec->ud_release)
            spec->ud_release(spec->ud);
        return tui_fail(app, MNV_ERR_NOMEM);
    }
    return tui_push(app, &formdlg_ops, d);
}
