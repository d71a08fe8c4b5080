/*
 * scr_admin_queue.c: what waits for a supervisor (F9, Approvals): accounts an administrator
 * made or reset that wait for the number key (keyroles_approve() with the code the owner
 * was shown after choosing a password — `mnvault user approve`), and the deletion proposals
 * waiting for a second supervisor (Enter opens the proposal screen, scr_proposal.c, which
 * approves with a reason and a TOTP code when enrolled — `mnvault dispose approve`).
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "formdlg.h"
#include "listscreen.h"
#include "phrases.h"
#include "mnvault/accounts.h"
#include "mnvault/adminview.h"
#include "mnvault/clock.h"
#include "mnvault/disposal.h"
#include "mnvault/i18n.h"
#include "mnvault/keyroles.h"
#include "mnvault/session.h"

struct queue_screen {
    struct user_rec *waiting; /* accounts waiting for the number key */
    size_t nwaiting;
    struct disposal_proposal *props; /* proposals waiting for a decision */
    size_t nprops;
    struct retention_rules rules;
    int have_rules;
};

static const struct keydef queue_keys[] = {{'a', 0, TA_USER_APPROVE}, {0, 0, TA_NONE}};

/* Keep only the accounts that wait for a supervisor. */
static enum mnv_err load_accounts(struct app *app, struct queue_screen *st, struct mnv_diag *diag)
{
    struct user_rec *users = NULL;
    size_t n = 0;
    enum mnv_err err = accounts_list(tui_session(app), &users, NULL, &n, diag);
    for (size_t i = 0; err == MNV_OK && i < n; i++)
        if (adminview_user_waiting(tui_session(app), &users[i]) != ADMINVIEW_NOT_WAITING)
            users[st->nwaiting++] = users[i];
    st->waiting = users;
    return err;
}

static enum mnv_err load_proposals(struct app *app, struct queue_screen *st, struct mnv_diag *diag)
{
    enum mnv_err err = disposal_list(tui_session(app), 1, &st->props, &st->nprops, diag);
    size_t k = 0;
    for (size_t i = 0; err == MNV_OK && i < st->nprops; i++)
        if (st->props[i].state == DISPOSAL_PROPOSED)
            st->props[k++] = st->props[i];
    st->nprops = err == MNV_OK ? k : 0;
    if (err == MNV_OK && st->nprops && !st->have_rules) {
        err = retention_rules_load(NULL, session_purposes(tui_session(app)), &st->rules, diag);
        st->have_rules = err == MNV_OK;
    }
    return err;
}

static long load(struct app *app, void *model, char *err, size_t errsize)
{
    struct queue_screen *st = model;
    free(st->waiting);
    free(st->props);
    st->waiting = NULL;
    st->props = NULL;
    st->nwaiting = st->nprops = 0;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err e = load_accounts(app, st, &diag);
    if (e == MNV_OK)
        e = load_proposals(app, st, &diag);
    if (e != MNV_OK) {
        tui_error_text(err, errsize, e, &diag);
        return -1;
    }
    return (long)(st->nwaiting + st->nprops);
}

static const char *queue_heading(struct app *app, void *model, char *right, size_t rsize)
{
    (void)app;
    struct queue_screen *st = model;
    snprintf(right, rsize, _("%zu waiting"), st->nwaiting + st->nprops);
    return _("Approvals");
}

static void draw_account(struct app *app, WINDOW *w, int y, const struct user_rec *u, int sel,
                         int cols)
{
    int x = 0;
    int ready = adminview_user_waiting(tui_session(app), u) == ADMINVIEW_WAITS_APPROVAL;
    tui_style_on(w, sel ? ST_SELECTED : ready ? ST_NORMAL : ST_DIM);
    x += tui_put(w, y, x, sel ? ">" : " ", 1, 1);
    x += tui_put(w, y, x + 1, u->name, 14, 1) + 1;
    x += tui_put(w, y, x, tui_role_name(u->role), 17, 1);
    tui_put(w, y, x,
            ready ? _("chose a password: approve with their code")
                  : _("must first choose a password (one-time password not yet used)"),
            cols - x, 1);
    tui_style_off(w, sel ? ST_SELECTED : ready ? ST_NORMAL : ST_DIM);
}

static void draw_proposal(WINDOW *w, int y, const struct disposal_proposal *p, int sel, int cols)
{
    char when[24], text[300];
    clock_format_local(when, sizeof(when), (time_t)p->proposed_at);
    snprintf(text, sizeof(text), _("No. %lld  %s by %s: %ld numbers of %ld employees"),
             (long long)p->id, when, p->proposed_by, p->items, p->employees);
    tui_style_on(w, sel ? ST_SELECTED : ST_NORMAL);
    tui_put(w, y, 0, sel ? ">" : " ", 1, 1);
    tui_put(w, y, 2, text, cols - 2, 1);
    tui_style_off(w, sel ? ST_SELECTED : ST_NORMAL);
}

static int section(WINDOW *w, int y, const char *title, size_t n, int cols)
{
    tui_style_on(w, ST_HEADER);
    tui_put(w, y, 1, title, cols - 2, 1);
    tui_style_off(w, ST_HEADER);
    if (n == 0) {
        tui_style_on(w, ST_DIM);
        tui_put(w, y + 1, 3, _("none"), cols - 4, 0);
        tui_style_off(w, ST_DIM);
        return 2;
    }
    return 1;
}

static void queue_draw(struct app *app, void *model, const struct listview *lv, int first,
                       WINDOW *w)
{
    struct queue_screen *st = model;
    int cols = getmaxx(w), rows = getmaxy(w), y = first;
    y += section(w, y, _("Accounts waiting for the number key"), st->nwaiting, cols);
    for (size_t i = 0; i < st->nwaiting && y < rows - 4; i++, y++)
        draw_account(app, w, y, &st->waiting[i], (long)i == lv->sel, cols);
    y++;
    y += section(w, y, _("Deletions waiting for a second supervisor"), st->nprops, cols);
    for (size_t i = 0; i < st->nprops && y < rows - 2; i++, y++)
        draw_proposal(w, y, &st->props[i], (long)(st->nwaiting + i) == lv->sel, cols);
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2,
            _("a or Enter: approve an account   Enter: open a proposal   Esc: back"), cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* ---- approving an account ----------------------------------------------------------------- */

struct approve_ud {
    char name[USER_NAME_MAX + 1];
};

static enum tui_next approve_submit(struct app *app, struct formdlg *dlg, void *ud)
{
    struct approve_ud *x = ud;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = keyroles_approve(tui_session(app), x->name, formdlg_text(dlg, 0), &diag);
    if (err != MNV_OK)
        return formdlg_fail(app, dlg, 0, err, &diag);
    app->data_version++;
    tui_message(app, 0, _("%s may now use My Numbers."), x->name);
    return TUI_POP;
}

static enum tui_next open_approve(struct app *app, const struct user_rec *u)
{
    if (adminview_user_waiting(tui_session(app), u) != ADMINVIEW_WAITS_APPROVAL) {
        tui_message(app, 1,
                    _("%s must first log in with the one-time password and choose a "
                      "password; they are then shown the code to give you."),
                    u->name);
        return TUI_STAY;
    }
    struct approve_ud *x = calloc(1, sizeof(*x));
    if (!x)
        return TUI_STAY;
    snprintf(x->name, sizeof(x->name), "%s", u->name);
    const struct formdlg_item items[] = {
        {.label = _("Their code"), .hint = _("XXXX-XXXX-XXXX-XXXX"), .cap = 64},
    };
    char title[120], intro[600];
    snprintf(title, sizeof(title), _("Approve %s"), u->name);
    snprintf(intro, sizeof(intro),
             _("%s (%s) gets the number key. Type the code %s was shown after choosing their "
               "password: ask them for it yourself, in person or by phone — never take it "
               "from the administrator who made the account."),
             u->name, tui_role_name(u->role), u->name);
    const struct formdlg_spec spec = {
        .name = "approve",
        .title = title,
        .intro = intro,
        .enter = _("Enter: approve"),
        .items = items,
        .n = 1,
        .submit = approve_submit,
        .ud = x,
        .ud_release = free,
    };
    return formdlg_push(app, &spec);
}

static enum tui_next queue_act(struct app *app, void *model, long sel, const struct tui_event *ev)
{
    struct queue_screen *st = model;
    if (sel < 0 || (ev->action != TA_USER_APPROVE && ev->action != TA_OPEN))
        return TUI_STAY;
    size_t at = (size_t)sel;
    if (at < st->nwaiting)
        return open_approve(app, &st->waiting[at]);
    if (ev->action == TA_OPEN && at - st->nwaiting < st->nprops && st->have_rules)
        return scr_proposal_push(app, st->props[at - st->nwaiting].id, &st->rules);
    return TUI_STAY;
}

static void queue_release(void *model)
{
    struct queue_screen *st = model;
    free(st->waiting);
    free(st->props);
    if (st->have_rules)
        retention_rules_free(&st->rules);
    free(st);
}

static const struct listscreen_def queue_def = {
    .name = "approvals",
    .load = load,
    .heading = queue_heading,
    .draw = queue_draw,
    .act = queue_act,
    .release = queue_release,
    .first = 0,
    .below = 6,
};

enum tui_next scr_approvals_push(struct app *app)
{
    struct queue_screen *st = tui_state_new(app, sizeof(*st));
    if (!st)
        return TUI_STAY;
    return listscreen_push(app, &queue_def, queue_keys, st);
}
