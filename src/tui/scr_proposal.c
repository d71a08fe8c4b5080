/*
 * scr_proposal.c: one disposal proposal, opened from the Disposal screen: its state, who
 * proposed it when and why, the decision, whether it is still as proposed (stale
 * otherwise), and its numbers by person. A supervisor who did not propose it approves (a)
 * or rejects (x) it with a reason, giving a TOTP code again when they have one; the
 * proposer withdraws it (w). A supervisor executes an approved one (e): the numbers are
 * deleted and the certificate of deletion issued (scr_cert.c, also c on an executed one).
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
#include "listscreen.h"
#include "phrases.h"
#include "mnvault/access.h"
#include "mnvault/clock.h"
#include "mnvault/config.h"
#include "mnvault/disposal.h"
#include "mnvault/i18n.h"
#include "mnvault/retention.h"
#include "mnvault/session.h"

struct proposal_screen {
    long long id;
    const struct retention_rules *rules; /* the Disposal screen's, which stays below */
    struct disposal_proposal p;
    struct disposal_row *rows;
    size_t n;
    int fresh;
};

static const struct keydef keys_sup[] = {{'a', 0, TA_APPROVE},     {'x', 0, TA_REJECT},
                                         {'w', 0, TA_WITHDRAW},    {'e', 0, TA_EXECUTE},
                                         {'c', 0, TA_CERTIFICATE}, {0, 0, TA_NONE}};
static const struct keydef keys_clerk[] = {
    {'w', 0, TA_WITHDRAW}, {'c', 0, TA_CERTIFICATE}, {0, 0, TA_NONE}};
static const struct keydef keys_view[] = {{'c', 0, TA_CERTIFICATE}, {0, 0, TA_NONE}};

static long load(struct app *app, void *model, char *error, size_t errsize)
{
    struct proposal_screen *st = model;
    struct session *s = tui_session(app);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    free(st->rows);
    st->rows = NULL;
    st->n = 0;
    enum mnv_err err = disposal_get(s, st->id, &st->p, &st->rows, &st->n, &diag);
    st->fresh = 1;
    if (err == MNV_OK && (st->p.state == DISPOSAL_PROPOSED || st->p.state == DISPOSAL_APPROVED)) {
        int64_t changed;
        err = disposal_fresh(s, st->rules, st->id, &st->fresh, &changed, &diag);
    }
    if (err != MNV_OK) {
        tui_error_text(error, errsize, err, &diag);
        return -1;
    }
    return (long)st->n;
}

static const char *proposal_heading(struct app *app, void *model, char *right, size_t rsize)
{
    (void)app;
    struct proposal_screen *st = model;
    static char title[120];
    snprintf(title, sizeof(title), _("Disposal proposal %lld"), st->id);
    snprintf(right, rsize, "%s", _(disposal_state_label(st->p.state)));
    return title;
}

/* The state, the proposal, the decision, the count: rows 0-3. */
static void draw_header(WINDOW *w, const struct proposal_screen *st, int cols)
{
    const struct disposal_proposal *p = &st->p;
    char text[800], when[24];
    clock_format_local(when, sizeof(when), (time_t)p->proposed_at);
    snprintf(text, sizeof(text), _("Proposed by %s on %s"), p->proposed_by, when);
    if (p->note[0])
        snprintf(text + strlen(text), sizeof(text) - strlen(text), ": %s", p->note);
    tui_put(w, 0, 2, text, cols - 4, 0);
    if (p->decided_by[0]) {
        clock_format_local(when, sizeof(when), (time_t)p->decided_at);
        disposal_decision_text(text, sizeof(text), p);
        if (p->reason[0])
            snprintf(text + strlen(text), sizeof(text) - strlen(text), ": %s", p->reason);
        tui_put(w, 1, 2, text, cols - 4, 0);
    }
    if (!st->fresh) {
        tui_style_on(w, ST_ERROR);
        tui_put(w, 1, 2,
                _("! STALE: the facts of a number changed since it was proposed; it cannot be "
                  "approved"),
                cols - 4, 0);
        tui_style_off(w, ST_ERROR);
    }
    snprintf(text, sizeof(text), _("Numbers: %ld (employees %ld, dependants %ld)"), p->items,
             p->employees, p->dependants);
    tui_put(w, 2, 2, text, cols - 4, 0);
}

static void proposal_draw(struct app *app, void *model, const struct listview *lv, int first,
                          WINDOW *w)
{
    struct proposal_screen *st = model;
    int cols = getmaxx(w), rows = getmaxy(w);
    draw_header(w, st, cols);
    tui_style_on(w, ST_HEADER);
    int x = 2;
    x += tui_put(w, 4, x, _("Code"), 11, 1);
    x += tui_put(w, 4, x, _("Name"), 26, 1);
    x += tui_put(w, 4, x, _("Kept until"), 12, 1);
    tui_put(w, 4, x, _("Deciding kind of document"), cols - x - 1, 1);
    tui_style_off(w, ST_HEADER);
    for (long i = lv->top; i < (long)st->n && i - lv->top < lv->rows; i++) {
        const struct disposal_row *r = &st->rows[i];
        char name[2 * PERSON_NAME_MAX + 8];
        if (r->item.person.kind == PERSON_DEPENDENT)
            snprintf(name, sizeof(name), "%s / %s", r->employee_name, r->name);
        else
            snprintf(name, sizeof(name), "%s", r->name);
        int y = first + (int)(i - lv->top), sel = i == lv->sel;
        if (sel)
            tui_style_on(w, ST_SELECTED);
        x = 0;
        x += tui_put(w, y, x, sel ? ">" : " ", 2, 1);
        x += tui_put_col(w, y, x, r->item.employee_code, 11);
        x += tui_put_col(w, y, x, name, 26);
        x += tui_put(w, y, x, r->item.keep_until, 12, 1);
        tui_put(w, y, x, retention_doc_label(st->rules, r->item.doc), cols - x, 1);
        if (sel)
            tui_style_off(w, ST_SELECTED);
    }
    enum mnv_role role = session_role(tui_session(app));
    const char *hint =
        st->p.state == DISPOSAL_EXECUTED ? _("c: the certificate of deletion   Esc: back")
        : access_allowed(role, ACT_DISPOSAL_APPROVE)
            ? (st->p.state == DISPOSAL_APPROVED
                   ? _("e: delete now and issue the certificate   Esc: back")
                   : _("a: approve   x: reject   w: withdraw (yours)   Esc: back"))
        : access_allowed(role, ACT_DISPOSAL_PROPOSE) ? _("w: withdraw (yours)   Esc: back")
                                                     : _("Esc: back");
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2, hint, cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* ---- the decision: a reason, and for an approval the TOTP code when enrolled ----------- */

static enum tui_next decide(struct app *app, struct formdlg *d, struct proposal_screen *st,
                            int approve)
{
    struct session *s = tui_session(app);
    struct mnv_diag diag;
    struct login_info info;
    mnv_diag_clear(&diag);
    memset(&info, 0, sizeof(info));
    /* Without an authenticator app there is no second field: its text is "". */
    enum mnv_err err = approve ? disposal_approve(s, st->rules, st->id, formdlg_text(d, 0),
                                                  formdlg_text(d, 1), &info, &diag)
                               : disposal_reject(s, st->id, formdlg_text(d, 0), &diag);
    formdlg_clear(d, 1); /* a code is used once */
    if (err == MNV_ERR_LOCKED)
        return TUI_QUIT; /* the account is locked: the session ended */
    if (err == MNV_ERR_TOTP_WRONG || err == MNV_ERR_TOTP_REPLAY) {
        char text[300];
        snprintf(text, sizeof(text), _("%s (%d attempts left before the account locks)"),
                 _(mnv_err_str(err)), info.attempts_left);
        formdlg_say(d, 1, text);
        return TUI_STAY;
    }
    if (err != MNV_OK) {
        if (err == MNV_ERR_PROPOSAL_STALE || err == MNV_ERR_OWN_PROPOSAL)
            app->data_version++;
        int totp = approve && session_user_rec(s)->has_totp;
        return formdlg_fail(app, d, err == MNV_ERR_TOTP_NEEDED && totp ? 1 : 0, err, &diag);
    }
    app->data_version++;
    tui_message(app, 0,
                approve ? _("Proposal %lld approved and recorded.")
                        : _("Proposal %lld rejected and recorded."),
                st->id);
    return TUI_POP;
}

static enum tui_next decide_approve(struct app *app, struct formdlg *d, void *ud)
{
    return decide(app, d, ud, 1);
}

static enum tui_next decide_reject(struct app *app, struct formdlg *d, void *ud)
{
    return decide(app, d, ud, 0);
}

static enum tui_next open_decide(struct app *app, struct proposal_screen *st, int approve)
{
    struct session *s = tui_session(app);
    if (!tui_may(app, ACT_DISPOSAL_APPROVE))
        return TUI_STAY;
    if (st->p.state != DISPOSAL_PROPOSED)
        return tui_fail(app, MNV_ERR_PROPOSAL_STATE);
    if (strcmp(st->p.proposed_by, session_user(s)) == 0)
        return tui_fail(app, MNV_ERR_OWN_PROPOSAL);
    int totp = approve && session_user_rec(s)->has_totp;
    char title[200], intro[600];
    snprintf(title, sizeof(title), approve ? _("Approve proposal %lld") : _("Reject proposal %lld"),
             st->id);
    if (approve)
        snprintf(intro, sizeof(intro),
                 _("Approving allows the %ld numbers of this proposal to be deleted. Give the "
                   "reason you checked them; it is recorded in the audit log."),
                 st->p.items);
    else
        snprintf(intro, sizeof(intro), "%s",
                 _("Rejecting keeps the numbers; give the reason, which is recorded in the "
                   "audit log."));
    const struct formdlg_item items[] = {
        {.label = _("Reason"), .cap = DISPOSAL_TEXT_MAX + 1},
        {.label = _("Code"),
         .hint = _("a new code from the authenticator app"),
         .cap = 16,
         .width = 8,
         .secret = 1, /* wiped on lock and after each try */
         .show = 1,
         .accept = field_accept_digits},
    };
    const struct formdlg_spec spec = {
        .name = approve ? "disposal-approve" : "disposal-reject",
        .title = title,
        .intro = intro,
        .enter = approve ? _("Enter: approve") : _("Enter: reject"),
        .items = items,
        .n = totp ? 2 : 1,
        .submit = approve ? decide_approve : decide_reject,
        .ud = st,
    };
    return formdlg_push(app, &spec);
}

/* ---- the proposal screen's keys ------------------------------------------------------------ */

static enum tui_next withdraw(struct app *app, struct proposal_screen *st)
{
    struct session *s = tui_session(app);
    if (st->p.state != DISPOSAL_PROPOSED || strcmp(st->p.proposed_by, session_user(s)) != 0) {
        tui_message(app, 1, "%s",
                    _(mnv_err_str(st->p.state != DISPOSAL_PROPOSED ? MNV_ERR_PROPOSAL_STATE
                                                                   : MNV_ERR_DENIED)));
        return TUI_STAY;
    }
    if (!tui_confirm(app, _("Withdraw your proposal? Nothing is deleted.")))
        return TUI_STAY;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = disposal_withdraw(s, st->id, &diag);
    if (err != MNV_OK) {
        char msg[300];
        tui_error_text(msg, sizeof(msg), err, &diag);
        tui_message(app, 1, "%s", msg);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    tui_message(app, 0, _("Proposal %lld withdrawn and recorded."), st->id);
    return TUI_STAY; /* data_version moved: the list loads again */
}

/* Execution: the numbers deleted, the keys rotated and the certificate issued in one
 * transaction (disposal_execute()); then the certificate screen says what was done. */
static enum tui_next execute(struct app *app, struct proposal_screen *st)
{
    struct session *s = tui_session(app);
    enum mnv_err why = !access_allowed(session_role(s), ACT_DISPOSAL_APPROVE) ? MNV_ERR_DENIED
                       : st->p.state != DISPOSAL_APPROVED ? MNV_ERR_PROPOSAL_STATE
                       : !st->fresh                       ? MNV_ERR_PROPOSAL_STALE
                                                          : MNV_OK;
    if (why != MNV_OK)
        return tui_fail(app, why);
    char q[300];
    snprintf(q, sizeof(q), _("Delete the %ld numbers of proposal %lld now? It cannot be undone."),
             st->p.items, st->id);
    if (!tui_confirm(app, q))
        return TUI_STAY;
    tui_message(app, 0, "%s", _("Deleting, rotating the keys and issuing the certificate…"));
    tui_redraw_now(app);
    struct backup_options bo = {app->cfg->backup_dir, app->cfg->backup_generations};
    struct disposal_done d;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = disposal_execute(s, st->rules, st->id, &bo, &d, &diag);
    if (err != MNV_OK) {
        char msg[400];
        tui_error_text(msg, sizeof(msg), err, &diag);
        tui_message(app, 1, "%s", msg);
        app->data_version++; /* the list loads again */
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    char after[400] = "";
    if (d.after != MNV_OK)
        tui_error_text(after, sizeof(after), d.after, &diag);
    tui_message(app, 0, _("Proposal %lld executed: %ld numbers deleted, the certificate issued."),
                st->id, d.numbers);
    return scr_cert_push(app, st->id, &d, after); /* loaded again when it comes back */
}

static enum tui_next certificate(struct app *app, struct proposal_screen *st)
{
    if (st->p.state != DISPOSAL_EXECUTED) {
        tui_message(app, 1, "%s", _("A certificate is issued when the proposal is executed."));
        return TUI_STAY;
    }
    return scr_cert_push(app, st->id, NULL, NULL);
}

static enum tui_next proposal_act(struct app *app, void *model, long sel,
                                  const struct tui_event *ev)
{
    (void)sel;
    struct proposal_screen *st = model;
    switch (ev->action) {
    case TA_APPROVE:
    case TA_REJECT:
        return open_decide(app, st, ev->action == TA_APPROVE);
    case TA_WITHDRAW:
        return withdraw(app, st);
    case TA_EXECUTE:
        return execute(app, st);
    case TA_CERTIFICATE:
        return certificate(app, st);
    default:
        return TUI_STAY;
    }
}

static void proposal_release(void *model)
{
    struct proposal_screen *st = model;
    free(st->rows);
    free(st);
}

static const struct listscreen_def proposal_def = {
    .name = "proposal",
    .load = load,
    .heading = proposal_heading,
    .draw = proposal_draw,
    .act = proposal_act,
    .release = proposal_release,
    .first = 5,
    .below = 1,
};

enum tui_next scr_proposal_push(struct app *app, long long id, const struct retention_rules *r)
{
    struct proposal_screen *st = tui_state_new(app, sizeof(*st));
    if (!st)
        return TUI_STAY;
    st->id = id;
    st->rules = r;
    enum mnv_role role = session_role(tui_session(app));
    const struct keydef *keys = access_allowed(role, ACT_DISPOSAL_APPROVE)   ? keys_sup
                                : access_allowed(role, ACT_DISPOSAL_PROPOSE) ? keys_clerk
                                                                             : keys_view;
    return listscreen_push(app, &proposal_def, keys, st);
}
