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
#include "field.h"
#include "keys.h"
#include "listview.h"
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
    struct listview lv;
    char error[400];
};

static const struct keydef keys_sup[] = {{'a', 0, TA_APPROVE},     {'x', 0, TA_REJECT},
                                         {'w', 0, TA_WITHDRAW},    {'e', 0, TA_EXECUTE},
                                         {'c', 0, TA_CERTIFICATE}, {0, 0, TA_NONE}};
static const struct keydef keys_clerk[] = {
    {'w', 0, TA_WITHDRAW}, {'c', 0, TA_CERTIFICATE}, {0, 0, TA_NONE}};
static const struct keydef keys_view[] = {{'c', 0, TA_CERTIFICATE}, {0, 0, TA_NONE}};

static const char *doc_name(const struct retention_rules *r, const char *code)
{
    int k = retention_doc_find(r, code);
    if (k < 0)
        return code;
    return i18n_is_japanese() ? r->docs[k].name_ja : r->docs[k].name_en;
}

static void load(struct app *app, struct proposal_screen *st)
{
    struct session *s = tui_link(app)->session;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    free(st->rows);
    st->rows = NULL;
    st->n = 0;
    st->error[0] = '\0';
    enum mnv_err err = disposal_get(s, st->id, &st->p, &st->rows, &st->n, &diag);
    st->fresh = 1;
    if (err == MNV_OK && (st->p.state == DISPOSAL_PROPOSED || st->p.state == DISPOSAL_APPROVED)) {
        int64_t changed;
        err = disposal_fresh(s, st->rules, st->id, &st->fresh, &changed, &diag);
    }
    if (err != MNV_OK)
        tui_error_text(st->error, sizeof(st->error), err, &diag);
    listview_set_count(&st->lv, (long)st->n);
}

static const char *proposal_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct proposal_screen *st = stp;
    static char title[120];
    snprintf(title, sizeof(title), _("Disposal proposal %lld"), st->id);
    snprintf(right, rsize, "%s", _(disposal_state_label(st->p.state)));
    return title;
}

/* "Approved by sup on 2026-12-01 10:42" for the decision that put p in its state. */
static void decision_text(char *buf, size_t size, const struct disposal_proposal *p)
{
    char when[24];
    clock_format_local(when, sizeof(when), (time_t)p->decided_at);
    switch (p->state) {
    case DISPOSAL_APPROVED:
    case DISPOSAL_EXECUTED:
        snprintf(buf, size, _("Approved by %s on %s"), p->decided_by, when);
        break;
    case DISPOSAL_REJECTED:
        snprintf(buf, size, _("Rejected by %s on %s"), p->decided_by, when);
        break;
    case DISPOSAL_WITHDRAWN:
        snprintf(buf, size, _("Withdrawn by %s on %s"), p->decided_by, when);
        break;
    case DISPOSAL_STALE:
        snprintf(buf, size, _("Found stale by %s on %s"), p->decided_by, when);
        break;
    default:
        buf[0] = '\0';
    }
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
        decision_text(text, sizeof(text), p);
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

static void proposal_draw(struct app *app, void *stp, WINDOW *w)
{
    struct proposal_screen *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    if (st->error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, 1, 2, st->error, cols - 4, 3);
        tui_style_off(w, ST_ERROR);
        return;
    }
    draw_header(w, st, cols);
    tui_style_on(w, ST_HEADER);
    int x = 2;
    x += tui_put(w, 4, x, _("Code"), 11, 1);
    x += tui_put(w, 4, x, _("Name"), 26, 1);
    x += tui_put(w, 4, x, _("Kept until"), 12, 1);
    tui_put(w, 4, x, _("Deciding kind of document"), cols - x - 1, 1);
    tui_style_off(w, ST_HEADER);
    listview_fit(&st->lv, rows - 6);
    for (long i = st->lv.top; i < (long)st->n && i - st->lv.top < rows - 6; i++) {
        const struct disposal_row *r = &st->rows[i];
        char name[2 * PERSON_NAME_MAX + 8];
        if (r->item.person.kind == PERSON_DEPENDENT)
            snprintf(name, sizeof(name), "%s / %s", r->employee_name, r->name);
        else
            snprintf(name, sizeof(name), "%s", r->name);
        int y = 5 + (int)(i - st->lv.top), sel = i == st->lv.sel;
        if (sel)
            tui_style_on(w, ST_SELECTED);
        x = 0;
        x += tui_put(w, y, x, sel ? ">" : " ", 2, 1);
        x += tui_put(w, y, x, r->item.employee_code, 11, 1);
        x += tui_put(w, y, x, name, 26, 1);
        x += tui_put(w, y, x, r->item.keep_until, 12, 1);
        tui_put(w, y, x, doc_name(st->rules, r->item.doc), cols - x, 1);
        if (sel)
            tui_style_off(w, ST_SELECTED);
    }
    enum mnv_role role = session_role(tui_link(app)->session);
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

struct decide_state {
    struct proposal_screen *owner;
    int approve; /* 1 approve, 0 reject */
    int totp;    /* the approver has TOTP: a code field */
    struct field reason, code;
    int focus;
    char msg[400];
};

static const struct keydef decide_keys[] = {{0, 0, TA_NONE}};

static const char *decide_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    (void)right;
    (void)rsize;
    struct decide_state *ds = stp;
    static char title[120];
    snprintf(title, sizeof(title),
             ds->approve ? _("Approve proposal %lld") : _("Reject proposal %lld"), ds->owner->id);
    return title;
}

static void decide_draw(struct app *app, void *stp, WINDOW *w)
{
    struct decide_state *ds = stp;
    int cols = getmaxx(w);
    char text[400];
    if (ds->approve)
        snprintf(text, sizeof(text),
                 _("Approving allows the %ld numbers of this proposal to be deleted. Give the "
                   "reason you checked them; it is recorded in the audit log."),
                 ds->owner->p.items);
    else
        snprintf(text, sizeof(text), "%s",
                 _("Rejecting keeps the numbers; give the reason, which is recorded in the "
                   "audit log."));
    tui_put_wrapped(w, 1, 2, text, cols - 4, 3);
    tui_style_on(w, ST_HEADER);
    tui_put(w, 5, 2, _("Reason"), 16, 1);
    if (ds->totp)
        tui_put(w, 7, 2, _("Code"), 16, 1);
    tui_style_off(w, ST_HEADER);
    mvwaddch(w, 5, 18, '[');
    field_draw(&ds->reason, w, 5, 19, cols - 22, ds->focus == 0,
               ds->focus == 0 ? &app->cursor_y : NULL, ds->focus == 0 ? &app->cursor_x : NULL);
    mvwaddch(w, 5, cols - 3, ']');
    if (ds->totp) {
        mvwaddch(w, 7, 18, '[');
        field_draw(&ds->code, w, 7, 19, 8, ds->focus == 1, ds->focus == 1 ? &app->cursor_y : NULL,
                   ds->focus == 1 ? &app->cursor_x : NULL);
        mvwaddch(w, 7, 27, ']');
        tui_style_on(w, ST_DIM);
        tui_put(w, 7, 29, _("a new code from the authenticator app"), cols - 31, 0);
        tui_style_off(w, ST_DIM);
    }
    if (ds->msg[0]) {
        snprintf(text, sizeof(text), "! %.380s", ds->msg);
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, 9, 2, text, cols - 4, 2);
        tui_style_off(w, ST_ERROR);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, 12, 2,
            ds->totp      ? _("Tab: next field   Enter: approve   Esc: cancel")
            : ds->approve ? _("Enter: approve   Esc: cancel")
                          : _("Enter: reject   Esc: cancel"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next decide(struct app *app, struct decide_state *ds)
{
    struct session *s = tui_link(app)->session;
    struct proposal_screen *st = ds->owner;
    struct mnv_diag diag;
    struct login_info info;
    mnv_diag_clear(&diag);
    memset(&info, 0, sizeof(info));
    enum mnv_err err = ds->approve ? disposal_approve(s, st->rules, st->id, ds->reason.buf,
                                                      ds->code.buf, &info, &diag)
                                   : disposal_reject(s, st->id, ds->reason.buf, &diag);
    field_clear(&ds->code);
    if (err == MNV_ERR_LOCKED)
        return TUI_QUIT; /* the account is locked: the session ended */
    if (err == MNV_ERR_TOTP_WRONG || err == MNV_ERR_TOTP_REPLAY) {
        snprintf(ds->msg, sizeof(ds->msg), _("%s (%d attempts left before the account locks)"),
                 _(mnv_err_str(err)), info.attempts_left);
        ds->focus = 1;
        return TUI_STAY;
    }
    if (err != MNV_OK) {
        tui_error_text(ds->msg, sizeof(ds->msg), err, &diag);
        if (err == MNV_ERR_PROPOSAL_STALE || err == MNV_ERR_OWN_PROPOSAL)
            app->data_version++;
        ds->focus = err == MNV_ERR_TOTP_NEEDED ? 1 : 0;
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    tui_message(app, 0,
                ds->approve ? _("Proposal %lld approved and recorded.")
                            : _("Proposal %lld rejected and recorded."),
                st->id);
    return TUI_POP;
}

static enum tui_next decide_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct decide_state *ds = stp;
    struct field *f = ds->focus == 0 ? &ds->reason : &ds->code;
    if (ev->action != TA_OPEN && ev->action != TA_NEXT_FIELD && ev->action != TA_PREV_FIELD &&
        ev->action != TA_BACK && field_handle(f, ev))
        return TUI_STAY;
    switch (ev->action) {
    case TA_NEXT_FIELD:
    case TA_PREV_FIELD:
    case TA_UP:
    case TA_DOWN:
        if (ds->totp)
            ds->focus = !ds->focus;
        return TUI_STAY;
    case TA_OPEN:
        return decide(app, ds);
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void decide_on_lock(struct app *app, void *stp)
{
    (void)app;
    struct decide_state *ds = stp;
    field_clear(&ds->code);
}

static void decide_release(void *stp)
{
    struct decide_state *ds = stp;
    field_release(&ds->reason);
    field_release(&ds->code);
    free(ds);
}

static const struct screen_ops decide_ops = {
    .name = "decide",
    .keys = decide_keys,
    .heading = decide_heading,
    .draw = decide_draw,
    .handle = decide_handle,
    .on_lock = decide_on_lock,
    .release = decide_release,
};

static enum tui_next open_decide(struct app *app, struct proposal_screen *st, int approve)
{
    struct session *s = tui_link(app)->session;
    if (!access_allowed(session_role(s), ACT_DISPOSAL_APPROVE)) {
        tui_message(app, 1, "%s", _(mnv_err_str(MNV_ERR_DENIED)));
        return TUI_STAY;
    }
    if (st->p.state != DISPOSAL_PROPOSED) {
        tui_message(app, 1, "%s", _(mnv_err_str(MNV_ERR_PROPOSAL_STATE)));
        return TUI_STAY;
    }
    if (strcmp(st->p.proposed_by, session_user(s)) == 0) {
        tui_message(app, 1, "%s", _(mnv_err_str(MNV_ERR_OWN_PROPOSAL)));
        return TUI_STAY;
    }
    struct decide_state *ds = calloc(1, sizeof(*ds));
    if (!ds || field_init(&ds->reason, DISPOSAL_TEXT_MAX + 1, 0) != 0) {
        free(ds);
        return TUI_STAY;
    }
    if (field_init(&ds->code, 16, 1) != 0) {
        field_release(&ds->reason);
        free(ds);
        return TUI_STAY;
    }
    ds->code.show = 1;
    ds->code.accept = field_accept_digits;
    ds->owner = st;
    ds->approve = approve;
    ds->totp = approve && session_user_rec(s)->has_totp;
    return tui_push(app, &decide_ops, ds);
}

/* ---- the proposal screen's keys ------------------------------------------------------------ */

static enum tui_next withdraw(struct app *app, struct proposal_screen *st)
{
    struct session *s = tui_link(app)->session;
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
    load(app, st);
    return TUI_STAY;
}

/* Execution: the numbers deleted, the keys rotated and the certificate issued in one
 * transaction (disposal_execute()); then the certificate screen says what was done. */
static enum tui_next execute(struct app *app, struct proposal_screen *st)
{
    struct session *s = tui_link(app)->session;
    enum mnv_err why = !access_allowed(session_role(s), ACT_DISPOSAL_APPROVE) ? MNV_ERR_DENIED
                       : st->p.state != DISPOSAL_APPROVED ? MNV_ERR_PROPOSAL_STATE
                       : !st->fresh                       ? MNV_ERR_PROPOSAL_STALE
                                                          : MNV_OK;
    if (why != MNV_OK) {
        tui_message(app, 1, "%s", _(mnv_err_str(why)));
        return TUI_STAY;
    }
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
        app->data_version++;
        load(app, st);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    char after[400] = "";
    if (d.after != MNV_OK)
        tui_error_text(after, sizeof(after), d.after, &diag);
    tui_message(app, 0, _("Proposal %lld executed: %ld numbers deleted, certificate %s issued."),
                st->id, d.numbers, d.cert.id);
    load(app, st);
    return scr_cert_push(app, st->id, &d, after);
}

static enum tui_next certificate(struct app *app, struct proposal_screen *st)
{
    if (st->p.state != DISPOSAL_EXECUTED) {
        tui_message(app, 1, "%s", _("A certificate is issued when the proposal is executed."));
        return TUI_STAY;
    }
    return scr_cert_push(app, st->id, NULL, NULL);
}

static enum tui_next proposal_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct proposal_screen *st = stp;
    if (listview_handle(&st->lv, ev->action))
        return TUI_STAY;
    switch (ev->action) {
    case TA_APPROVE:
    case TA_REJECT:
        return st->error[0] ? TUI_STAY : open_decide(app, st, ev->action == TA_APPROVE);
    case TA_WITHDRAW:
        return st->error[0] ? TUI_STAY : withdraw(app, st);
    case TA_EXECUTE:
        return st->error[0] ? TUI_STAY : execute(app, st);
    case TA_CERTIFICATE:
        return st->error[0] ? TUI_STAY : certificate(app, st);
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void proposal_resume(struct app *app, void *stp)
{
    load(app, stp);
}

static void proposal_release(void *stp)
{
    struct proposal_screen *st = stp;
    free(st->rows);
    free(st);
}

#define PROPOSAL_OPS(var, keyset)                                                                  \
    static const struct screen_ops var = {                                                         \
        .name = "proposal",                                                                        \
        .keys = keyset,                                                                            \
        .heading = proposal_heading,                                                               \
        .draw = proposal_draw,                                                                     \
        .handle = proposal_handle,                                                                 \
        .resume = proposal_resume,                                                                 \
        .release = proposal_release,                                                               \
    }
PROPOSAL_OPS(ops_sup, keys_sup);
PROPOSAL_OPS(ops_clerk, keys_clerk);
PROPOSAL_OPS(ops_view, keys_view);

enum tui_next scr_proposal_push(struct app *app, long long id, const struct retention_rules *r)
{
    struct proposal_screen *st = calloc(1, sizeof(*st));
    if (!st) {
        tui_message(app, 1, "%s", _(mnv_err_str(MNV_ERR_NOMEM)));
        return TUI_STAY;
    }
    st->id = id;
    st->rules = r;
    load(app, st);
    enum mnv_role role = session_role(tui_link(app)->session);
    const struct screen_ops *ops = access_allowed(role, ACT_DISPOSAL_APPROVE)   ? &ops_sup
                                   : access_allowed(role, ACT_DISPOSAL_PROPOSE) ? &ops_clerk
                                                                                : &ops_view;
    return tui_push(app, ops, st);
}
