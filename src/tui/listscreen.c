/* listscreen.c: the list screen of the administration lists (listscreen.h). */
#include "listscreen.h"

#include <stdio.h>
#include <stdlib.h>

#include "draw.h"
#include "mnvault/i18n.h"

struct listscreen {
    struct screen_ops ops; /* this screen's: the def's functions with its keys */
    const struct listscreen_def *def;
    void *model;
    struct listview lv;
    long version;
    char error[400];
};

static void load(struct app *app, struct listscreen *ls)
{
    ls->error[0] = '\0';
    long n = ls->def->load(app, ls->model, ls->error, sizeof(ls->error));
    listview_set_count(&ls->lv, n > 0 ? n : 0);
    ls->version = app->data_version;
}

static const char *ls_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    struct listscreen *ls = stp;
    return ls->def->heading(app, ls->model, right, rsize);
}

static void ls_draw(struct app *app, void *stp, WINDOW *w)
{
    struct listscreen *ls = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    if (ls->error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, 1, 2, ls->error, cols - 4, 3);
        tui_style_off(w, ST_ERROR);
        return;
    }
    listview_fit(&ls->lv, rows - ls->def->first - ls->def->below);
    ls->def->draw(app, ls->model, &ls->lv, ls->def->first, w);
}

static enum tui_next ls_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct listscreen *ls = stp;
    if (listview_handle(&ls->lv, ev->action))
        return TUI_STAY;
    if (ev->action == TA_BACK)
        return TUI_POP;
    if (ev->action == TA_QUIT)
        return TUI_QUIT;
    if (ls->error[0])
        return TUI_STAY;
    enum tui_next next = ls->def->act(app, ls->model, ls->lv.count ? ls->lv.sel : -1, ev);
    if (next == TUI_STAY &&
        (ls->version != app->data_version || (ls->def->reload && ls->def->reload(ls->model))))
        load(app, ls); /* the owner changed stored data or its filter: show it */
    return next;
}

static void ls_resume(struct app *app, void *stp)
{
    struct listscreen *ls = stp;
    if (ls->version != app->data_version)
        load(app, ls);
}

static void ls_release(void *stp)
{
    struct listscreen *ls = stp;
    ls->def->release(ls->model);
    free(ls);
}

enum tui_next listscreen_push(struct app *app, const struct listscreen_def *def,
                              const struct keydef *keys, void *model)
{
    struct listscreen *ls = calloc(1, sizeof(*ls));
    if (!ls) {
        def->release(model);
        return tui_fail(app, MNV_ERR_NOMEM);
    }
    ls->ops = (struct screen_ops){
        .name = def->name,
        .keys = keys,
        .heading = ls_heading,
        .draw = ls_draw,
        .handle = ls_handle,
        .resume = ls_resume,
        .release = ls_release,
    };
    ls->def = def;
    ls->model = model;
    load(app, ls);
    return tui_push(app, &ls->ops, ls);
}
