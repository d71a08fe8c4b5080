/*
 * scr_disposal.c: the Disposal screen (F7). Two lists, Tab between them: the numbers due
 * for deletion now (whose, kept until when, the deciding kind of document, the open
 * proposal holding it), which a clerk or supervisor chooses with Space (a: all) and
 * proposes with p, a note optional; and the proposals, newest first, Enter to open one
 * (scr_proposal.c: approve, reject, withdraw). Names are shown, never a number.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "formdlg.h"
#include "field.h"
#include "keys.h"
#include "listview.h"
#include "phrases.h"
#include "mnvault/access.h"
#include "mnvault/clock.h"
#include "mnvault/disposal.h"
#include "mnvault/i18n.h"
#include "mnvault/retention.h"
#include "mnvault/session.h"

struct disposal_screen {
    struct retention_rules rules;
    struct disposal_row *due;
    size_t ndue;
    unsigned char *chosen; /* one flag per due row */
    struct disposal_proposal *props;
    size_t nprops;
    struct listview lv[2];
    int tab; /* 0: the numbers due; 1: the proposals */
    char error[400];
    long data_version;
};

static const struct keydef keys_propose[] = {
    {' ', 0, TA_TOGGLE}, {'a', 0, TA_SELECT_ALL}, {'p', 0, TA_PROPOSE}, {0, 0, TA_NONE}};
static const struct keydef keys_view[] = {{0, 0, TA_NONE}};

static void load(struct app *app, struct disposal_screen *st)
{
    struct session *s = tui_session(app);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    st->error[0] = '\0';
    st->data_version = app->data_version;
    free(st->due);
    free(st->chosen);
    free(st->props);
    st->due = NULL;
    st->chosen = NULL;
    st->props = NULL;
    st->ndue = st->nprops = 0;
    enum mnv_err err = MNV_OK;
    if (!st->rules.docs)
        err = retention_rules_load(NULL, session_purposes(s), &st->rules, &diag);
    if (err == MNV_OK)
        err = disposal_due_rows(s, &st->rules, &st->due, &st->ndue, &diag);
    if (err == MNV_OK)
        err = disposal_list(s, 0, &st->props, &st->nprops, &diag);
    if (err == MNV_OK && st->ndue && !(st->chosen = calloc(st->ndue, 1)))
        err = MNV_ERR_NOMEM;
    if (err != MNV_OK)
        tui_error_text(st->error, sizeof(st->error), err, &diag);
    listview_set_count(&st->lv[0], (long)st->ndue);
    listview_set_count(&st->lv[1], (long)st->nprops);
}

static size_t count_chosen(const struct disposal_screen *st)
{
    size_t n = 0;
    for (size_t i = 0; i < st->ndue; i++)
        n += st->chosen[i] != 0;
    return n;
}

static const char *disposal_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct disposal_screen *st = stp;
    char a[32];
    size_t open = 0;
    for (size_t i = 0; i < st->nprops; i++)
        open += st->props[i].state == DISPOSAL_PROPOSED || st->props[i].state == DISPOSAL_APPROVED;
    snprintf(right, rsize, _("due %s   open proposals %zu"),
             tui_thousands(a, sizeof(a), (long)st->ndue), open);
    return _("Disposal");
}

/* The two tabs; the active one highlighted. */
static void draw_tabs(WINDOW *w, const struct disposal_screen *st)
{
    char text[2][80];
    snprintf(text[0], sizeof(text[0]), _(" Due for deletion (%zu) "), st->ndue);
    snprintf(text[1], sizeof(text[1]), _(" Proposals (%zu) "), st->nprops);
    int x = 2;
    for (int t = 0; t < 2; t++) {
        tui_style_on(w, t == st->tab ? ST_SELECTED : ST_DIM);
        x += tui_put(w, 0, x, text[t], 40, 0);
        tui_style_off(w, t == st->tab ? ST_SELECTED : ST_DIM);
        x += 2;
    }
}

static void draw_due(WINDOW *w, struct disposal_screen *st, int rows, int cols)
{
    tui_style_on(w, ST_HEADER);
    int x = 2;
    x += tui_put(w, 1, x, "", 5, 1);
    x += tui_put(w, 1, x, _("Code"), 11, 1);
    x += tui_put(w, 1, x, _("Name"), 24, 1);
    x += tui_put(w, 1, x, _("Kept until"), 12, 1);
    tui_put(w, 1, x, _("Deciding kind of document"), cols - x - 1, 1);
    tui_style_off(w, ST_HEADER);
    listview_fit(&st->lv[0], rows - 4);
    if (st->ndue == 0) {
        tui_style_on(w, ST_DIM);
        tui_put(w, 3, 4, _("No number is due for deletion today."), cols - 8, 0);
        tui_style_off(w, ST_DIM);
    }
    for (long i = st->lv[0].top; i < (long)st->ndue && i - st->lv[0].top < rows - 4; i++) {
        const struct disposal_row *r = &st->due[i];
        int y = 2 + (int)(i - st->lv[0].top), sel = st->tab == 0 && i == st->lv[0].sel;
        char mark[16], name[2 * PERSON_NAME_MAX + 8];
        if (r->proposal)
            snprintf(mark, sizeof(mark), "#%lld", (long long)r->proposal);
        else
            snprintf(mark, sizeof(mark), "[%s]", st->chosen[i] ? "x" : " ");
        if (r->item.person.kind == PERSON_DEPENDENT)
            snprintf(name, sizeof(name), "%s / %s", r->employee_name, r->name);
        else
            snprintf(name, sizeof(name), "%s", r->name);
        if (sel)
            tui_style_on(w, ST_SELECTED);
        x = 0;
        x += tui_put(w, y, x, sel ? ">" : " ", 2, 1);
        x += tui_put(w, y, x, mark, 5, 1);
        x += tui_put_col(w, y, x, r->item.employee_code, 11);
        x += tui_put_col(w, y, x, name, 24);
        x += tui_put(w, y, x, r->item.keep_until, 12, 1);
        tui_put(w, y, x, retention_doc_label(&st->rules, r->item.doc), cols - x, 1);
        if (sel)
            tui_style_off(w, ST_SELECTED);
    }
}

static void draw_props(WINDOW *w, struct disposal_screen *st, int rows, int cols)
{
    tui_style_on(w, ST_HEADER);
    int x = 2;
    x += tui_put(w, 1, x, _("No."), 5, 1);
    x += tui_put(w, 1, x, _("State"), 18, 1);
    x += tui_put(w, 1, x, _("Proposed by"), 13, 1);
    x += tui_put(w, 1, x, _("On"), 17, 1);
    x += tui_put(w, 1, x, _("Numbers"), 8, 1);
    tui_put(w, 1, x, _("Decided by"), cols - x - 1, 1);
    tui_style_off(w, ST_HEADER);
    listview_fit(&st->lv[1], rows - 4);
    if (st->nprops == 0) {
        tui_style_on(w, ST_DIM);
        tui_put(w, 3, 4, _("No proposal has been made."), cols - 8, 0);
        tui_style_off(w, ST_DIM);
    }
    for (long i = st->lv[1].top; i < (long)st->nprops && i - st->lv[1].top < rows - 4; i++) {
        const struct disposal_proposal *p = &st->props[i];
        int y = 2 + (int)(i - st->lv[1].top), sel = st->tab == 1 && i == st->lv[1].sel;
        char id[16], when[24], n[32];
        snprintf(id, sizeof(id), "%lld", (long long)p->id);
        clock_format_local(when, sizeof(when), (time_t)p->proposed_at);
        if (sel)
            tui_style_on(w, ST_SELECTED);
        x = 0;
        x += tui_put(w, y, x, sel ? ">" : " ", 2, 1);
        x += tui_put(w, y, x, id, 5, 1);
        x += tui_put_col(w, y, x, _(disposal_state_label(p->state)), 18);
        x += tui_put_col(w, y, x, p->proposed_by, 13);
        x += tui_put(w, y, x, when, 17, 1);
        x += tui_put(w, y, x, tui_thousands(n, sizeof(n), p->items), 8, 1);
        tui_put(w, y, x, p->state == DISPOSAL_PROPOSED ? "" : p->decided_by, cols - x, 1);
        if (sel)
            tui_style_off(w, ST_SELECTED);
    }
}

static int may_propose(struct app *app)
{
    return access_allowed(session_role(tui_session(app)), ACT_DISPOSAL_PROPOSE);
}

static void disposal_draw(struct app *app, void *stp, WINDOW *w)
{
    struct disposal_screen *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    if (st->error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, 1, 2, st->error, cols - 4, 3);
        tui_style_off(w, ST_ERROR);
        return;
    }
    draw_tabs(w, st);
    if (st->tab == 0)
        draw_due(w, st, rows, cols);
    else
        draw_props(w, st, rows, cols);
    char hint[300];
    if (st->tab == 1)
        snprintf(hint, sizeof(hint), "%s", _("Enter: open the proposal   Tab: the numbers due"));
    else if (may_propose(app))
        snprintf(hint, sizeof(hint), _("Space: choose   a: all   p: propose %zu   Tab: proposals"),
                 count_chosen(st));
    else
        snprintf(hint, sizeof(hint), "%s", _("Tab: proposals"));
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2, hint, cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* ---- the propose dialog: how many, and a note ------------------------------------------ */

struct chosen_ids {
    struct disposal_screen *st;
    size_t n;
    int64_t ids[];
};

static enum tui_next propose_submit(struct app *app, struct formdlg *d, void *ud)
{
    const struct chosen_ids *c = ud;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    int64_t id;
    enum mnv_err err = disposal_propose(tui_session(app), &c->st->rules, c->ids, c->n,
                                        formdlg_text(d, 0), &id, &diag);
    if (err != MNV_OK)
        return formdlg_fail(app, d, -1, err, &diag);
    app->data_version++;
    tui_message(app, 0,
                ngettext("Proposal %lld made for %zu number; a supervisor must approve it.",
                         "Proposal %lld made for %zu numbers; a supervisor must approve it.", c->n),
                (long long)id, c->n);
    return TUI_POP;
}

static enum tui_next open_propose(struct app *app, struct disposal_screen *st)
{
    if (!may_propose(app))
        return tui_fail(app, MNV_ERR_DENIED);
    size_t n = count_chosen(st);
    if (n == 0) {
        tui_message(app, 1, "%s", _("Choose the numbers to propose with Space (a: all)."));
        return TUI_STAY;
    }
    struct chosen_ids *c = malloc(sizeof(*c) + n * sizeof(c->ids[0]));
    if (!c)
        return tui_fail(app, MNV_ERR_NOMEM);
    c->st = st;
    c->n = 0;
    for (size_t i = 0; i < st->ndue; i++)
        if (st->chosen[i])
            c->ids[c->n++] = st->due[i].item.number_id;
    char intro[600];
    snprintf(intro, sizeof(intro),
             ngettext("Propose deleting %zu number past its retention. A supervisor other than "
                      "you must approve the proposal before anything is deleted; the proposal is "
                      "recorded in the audit log.",
                      "Propose deleting %zu numbers past their retention. A supervisor other than "
                      "you must approve the proposal before anything is deleted; the proposal is "
                      "recorded in the audit log.",
                      n),
             n);
    const struct formdlg_item items[] = {
        {.label = _("Note"),
         .hint = _("(optional, e.g. the yearly deletion)"),
         .cap = DISPOSAL_TEXT_MAX + 1},
    };
    const struct formdlg_spec spec = {
        .name = "disposal-propose",
        .title = _("Propose deletion"),
        .intro = intro,
        .enter = _("Enter: propose"),
        .items = items,
        .n = 1,
        .submit = propose_submit,
        .ud = c,
        .ud_release = free,
    };
    return formdlg_push(app, &spec);
}

/* ---- the screen's keys ------------------------------------------------------------------- */

static void choose(struct disposal_screen *st, long i, int all)
{
    if (all) {
        int any_off = 0;
        for (size_t k = 0; k < st->ndue; k++)
            any_off |= !st->due[k].proposal && !st->chosen[k];
        for (size_t k = 0; k < st->ndue; k++)
            st->chosen[k] = any_off && !st->due[k].proposal;
    } else if (i >= 0 && i < (long)st->ndue && !st->due[i].proposal) {
        st->chosen[i] = !st->chosen[i];
    }
}

static enum tui_next disposal_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct disposal_screen *st = stp;
    if (listview_handle(&st->lv[st->tab], ev->action))
        return TUI_STAY;
    switch (ev->action) {
    case TA_NEXT_FIELD:
    case TA_PREV_FIELD:
        st->tab = !st->tab;
        return TUI_STAY;
    case TA_TOGGLE:
    case TA_SELECT_ALL:
        if (st->tab == 0 && st->chosen && may_propose(app)) {
            choose(st, st->lv[0].sel, ev->action == TA_SELECT_ALL);
            if (ev->action == TA_TOGGLE)
                listview_handle(&st->lv[0], TA_DOWN);
        }
        return TUI_STAY;
    case TA_PROPOSE:
        return open_propose(app, st);
    case TA_OPEN:
        if (st->tab == 1 && st->nprops)
            return scr_proposal_push(app, st->props[st->lv[1].sel].id, &st->rules);
        return TUI_STAY;
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void disposal_resume(struct app *app, void *stp)
{
    struct disposal_screen *st = stp;
    if (st->data_version != app->data_version)
        load(app, st);
}

static void disposal_release(void *stp)
{
    struct disposal_screen *st = stp;
    retention_rules_free(&st->rules);
    free(st->due);
    free(st->chosen);
    free(st->props);
    free(st);
}

#define DISPOSAL_OPS(var, keyset)                                                                  \
    static const struct screen_ops var = {                                                         \
        .name = "disposal",                                                                        \
        .keys = keyset,                                                                            \
        .heading = disposal_heading,                                                               \
        .draw = disposal_draw,                                                                     \
        .handle = disposal_handle,                                                                 \
        .resume = disposal_resume,                                                                 \
        .release = disposal_release,                                                               \
    }
DISPOSAL_OPS(ops_propose, keys_propose);
DISPOSAL_OPS(ops_view, keys_view);

enum tui_next scr_disposal_push(struct app *app)
{
    struct disposal_screen *st = tui_screen_new(app, ACT_PERSON_VIEW, sizeof(*st));
    if (!st)
        return TUI_STAY;
    load(app, st);
    return tui_push(app, may_propose(app) ? &ops_propose : &ops_view, st);
}
