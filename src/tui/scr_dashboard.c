/*
 * scr_dashboard.c: the first screen after login: how many employees and dependents, how
 * many numbers are collected or missing, what is due for disposal and waiting for
 * approval, the last audit verification, whether the user still waits for a supervisor's
 * approval (with the code to tell them), and (for roles that may read the audit log) the
 * latest actions. Everything comes from the same store as the other screens.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "draw.h"
#include "keys.h"
#include "phrases.h"
#include "mnvault/access.h"
#include "mnvault/auditor.h"
#include "mnvault/auditview.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/insurance.h"
#include "mnvault/people.h"
#include "mnvault/cert.h"
#include "mnvault/disposal.h"
#include "mnvault/retention.h"
#include "mnvault/session.h"

#define RECENT 5

struct dashboard_state {
    struct people_stats stats;
    int have_stats;
    struct retention_counts due;
    struct disposal_counts proposals;
    size_t out_backups, out_exports; /* copies still holding deleted numbers */
    char due_error[300];             /* "" when the counts are there */
    long filings_due, filings_overdue;
    int have_filings; /* the role may read the insurance facts and they were counted */
    struct audit_entry recent[RECENT];
    size_t nrecent;
    char review[200]; /* the months nobody signed; "" when the role may not read the log */
    int review_due;
    int pending; /* waits for a supervisor's approval (no number key yet) */
    char code[KEYRING_CODE_SIZE];
    char error[300];
};

static const struct keydef dashboard_keys[] = {
    {KEY_F(3), 1, TA_EMPLOYEES}, {KEY_F(6), 1, TA_EXPORT}, {KEY_F(7), 1, TA_DISPOSE},
    {KEY_F(9), 1, TA_MENU},      {'e', 0, TA_EMPLOYEES},   {'f', 0, TA_FILINGS},
    {'p', 0, TA_PASSWORD},       {0, 0, TA_NONE},
};
/* Supervisors and auditors also read the audit log. */
static const struct keydef dashboard_keys_audit[] = {
    {KEY_F(3), 1, TA_EMPLOYEES}, {KEY_F(6), 1, TA_EXPORT}, {KEY_F(7), 1, TA_DISPOSE},
    {KEY_F(8), 1, TA_AUDIT},     {KEY_F(9), 1, TA_MENU},   {'e', 0, TA_EMPLOYEES},
    {'f', 0, TA_FILINGS},        {'p', 0, TA_PASSWORD},    {0, 0, TA_NONE},
};
/* Administrators see no person, so no Disposal screen either. */
static const struct keydef dashboard_keys_admin[] = {
    {KEY_F(8), 1, TA_AUDIT}, {KEY_F(9), 1, TA_MENU}, {'p', 0, TA_PASSWORD}, {0, 0, TA_NONE}};

static void load(struct app *app, struct dashboard_state *st)
{
    struct session *s = tui_session(app);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    st->error[0] = '\0';
    enum mnv_err err = people_stats(s, &st->stats, &diag);
    st->have_stats = err == MNV_OK;
    if (err != MNV_OK)
        tui_error_text(st->error, sizeof(st->error), err, &diag);
    st->pending = session_pending(s);
    (void)session_approval_code(s, st->code);
    /* Retention is counted on its own: a broken rules file must not hide the rest. */
    struct retention_rules r;
    st->due_error[0] = '\0';
    mnv_diag_clear(&diag);
    err = retention_rules_load(NULL, session_purposes(s), &r, &diag);
    if (err == MNV_OK) {
        err = retention_counts(s, &r, &st->due, &diag);
        if (err == MNV_OK)
            err = disposal_counts(s, &st->proposals, &diag);
        struct cert_outstanding o;
        if (err == MNV_OK && (err = cert_outstanding(s, &o, &diag)) == MNV_OK) {
            st->out_backups = o.nbackups;
            st->out_exports = o.nexports;
            cert_outstanding_free(&o);
        }
        retention_rules_free(&r);
    }
    if (err != MNV_OK)
        tui_error_text(st->due_error, sizeof(st->due_error), err, &diag);
    st->have_filings =
        access_allowed(session_role(s), ACT_INSURANCE_VIEW) &&
        insurance_due_counts(s, &st->filings_due, &st->filings_overdue, NULL) == MNV_OK;
    st->nrecent = 0;
    if (access_allowed(session_role(s), ACT_AUDIT_READ) &&
        auditor_recent(s, RECENT, st->recent, &st->nrecent, &diag) != MNV_OK)
        st->nrecent = 0;
    for (size_t i = 0; i < st->nrecent; i++) {
        char words[AUDIT_SUBJECT_MAX + 64];
        auditview_subject(s, st->recent[i].subject, words, sizeof(words));
        snprintf(st->recent[i].subject, sizeof(st->recent[i].subject), "%.*s",
                 (int)sizeof(st->recent[i].subject) - 1, words);
    }
    tui_review_text(app, st->review, sizeof(st->review), &st->review_due);
}

/* The employees' records are not the administrator's work (no person.view). */
static int sees_people(struct app *app)
{
    return access_allowed(session_role(tui_session(app)), ACT_PERSON_VIEW);
}

static const char *admin_why(void)
{
    return _("Administrators manage the users and the settings (mnvault user, mnvault config); "
             "the employees' records are for clerks, supervisors and auditors.");
}

static const char *dashboard_heading(struct app *app, void *st, char *right, size_t rsize)
{
    (void)st;
    snprintf(right, rsize, "%s", sees_people(app) ? _("Enter: employees") : "");
    return _("Dashboard");
}

/* "label      value" rows with the label in a fixed column. */
static void row(WINDOW *w, int y, const char *label, const char *value)
{
    tui_style_on(w, ST_HEADER);
    tui_put(w, y, 2, label, 14, 1);
    tui_style_off(w, ST_HEADER);
    tui_put(w, y, 17, value, getmaxx(w) - 18, 0);
}

/* A row marked '!' while it asks for work. */
static void flagged_row(WINDOW *w, int y, const char *label, const char *value, int flag)
{
    row(w, y, label, value);
    if (flag) {
        tui_style_on(w, ST_ERROR);
        tui_put(w, y, 0, "!", 1, 0);
        tui_style_off(w, ST_ERROR);
    }
}

/* Due now (never silently zero: a rules error is shown instead), held, coming due. */
static void disposal_row(WINDOW *w, int y, const struct dashboard_state *st)
{
    char line[400], a[32], b[32], c[32];
    if (st->due_error[0]) {
        tui_style_on(w, ST_HEADER);
        tui_put(w, y, 2, _("Disposal"), 14, 1);
        tui_style_off(w, ST_HEADER);
        tui_style_on(w, ST_ERROR);
        tui_put(w, y, 17, st->due_error, getmaxx(w) - 18, 0);
        tui_style_off(w, ST_ERROR);
        return;
    }
    long soon = 0;
    for (int i = 0; i < 6; i++)
        soon += st->due.next_months[i];
    snprintf(line, sizeof(line), _("due now %s   on hold %s   due within 6 months %s"),
             tui_thousands(a, sizeof(a), st->due.due), tui_thousands(b, sizeof(b), st->due.held),
             tui_thousands(c, sizeof(c), soon));
    if (st->due.no_rule) {
        size_t n = strlen(line);
        snprintf(line + n, sizeof(line) - n, _("   NO RULE %s"),
                 tui_thousands(a, sizeof(a), st->due.no_rule));
    }
    row(w, y, _("Disposal"), line);
    if (st->due.due || st->due.no_rule) {
        tui_style_on(w, ST_ERROR);
        tui_put(w, y, 0, "!", 1, 0);
        tui_style_off(w, ST_ERROR);
    }
}

static void dashboard_draw(struct app *app, void *stp, WINDOW *w)
{
    struct dashboard_state *st = stp;
    char line[400], a[32], b[32], c[32];
    if (!st->have_stats) {
        tui_style_on(w, ST_ERROR);
        tui_put(w, 1, 2, st->error, getmaxx(w) - 4, 0);
        tui_style_off(w, ST_ERROR);
        return;
    }
    const struct person_counts *pc = &st->stats.counts;
    snprintf(line, sizeof(line), _("%s (retired %s)"),
             tui_thousands(a, sizeof(a), pc->employees_current),
             tui_thousands(b, sizeof(b), pc->employees_retired));
    row(w, 1, _("Employees"), line);
    snprintf(line, sizeof(line), _("%s people"), tui_thousands(a, sizeof(a), pc->dependents));
    row(w, 2, _("Dependents"), line);
    snprintf(line, sizeof(line), _("registered %s   missing %s   refused %s"),
             tui_thousands(a, sizeof(a), pc->numbers_registered),
             tui_thousands(b, sizeof(b), pc->numbers_missing),
             tui_thousands(c, sizeof(c), pc->numbers_refused));
    row(w, 3, _("My Numbers"), line);
    disposal_row(w, 4, st);
    if (!st->due_error[0]) {
        snprintf(line, sizeof(line),
                 _("waiting for approval %s   approved, not executed %s   (F7)"),
                 tui_thousands(a, sizeof(a), st->proposals.proposed),
                 tui_thousands(b, sizeof(b), st->proposals.approved));
        row(w, 5, _("Proposals"), line);
    }
    const struct audit_last_check *lc = &st->stats.last_check;
    if (lc->at == 0) {
        snprintf(line, sizeof(line), "%s", _("never verified"));
    } else {
        char when[20];
        int ok = strcmp(lc->result, "ok") == 0;
        snprintf(line, sizeof(line), _("last verified %s: %s"),
                 clock_format_local(when, sizeof(when), (time_t)lc->at),
                 ok ? _("intact") : _("FAILED: run 'mnvault verify'"));
    }
    row(w, 6, _("Audit log"), line);
    int y = 7;
    if (!st->due_error[0] && st->out_backups + st->out_exports) {
        /* Copies outside the vault holding deleted numbers stay here until marked
         * destroyed (doc/disposal.md, "Copies outstanding"). */
        snprintf(line, sizeof(line), _("backups %s, exported files %s still hold deleted numbers"),
                 tui_thousands(a, sizeof(a), (long)st->out_backups),
                 tui_thousands(b, sizeof(b), (long)st->out_exports));
        flagged_row(w, y++, _("Outstanding"), line, 1);
    }
    if (st->have_filings) {
        snprintf(line, sizeof(line), _("insurance filings due %s   overdue %s   (f)"),
                 tui_thousands(a, sizeof(a), st->filings_due),
                 tui_thousands(b, sizeof(b), st->filings_overdue));
        flagged_row(w, y++, _("Filings"), line, st->filings_overdue > 0);
    }
    if (st->review[0])
        flagged_row(w, y++, _("Monthly review"), st->review, st->review_due);
    int top = y + 1;
    if (st->pending) {
        row(w, top, _("Approval"),
            _("a supervisor must approve you before you can use My Numbers"));
        if (st->code[0]) {
            snprintf(line, sizeof(line), _("tell them in person your code: %s"), st->code);
            row(w, top + 1, "", line);
        }
        top += 3;
    }
    for (size_t i = 0; i < st->nrecent; i++) {
        const struct audit_entry *e = &st->recent[i];
        char when[20];
        clock_format_local(when, sizeof(when), (time_t)e->time);
        snprintf(line, sizeof(line), "%s  %s  %s  %s  %s", when + 11, e->user,
                 auditview_action_label(e->action), e->subject, auditview_result_label(e->result));
        row(w, top + (int)i, i == 0 ? _("Recent") : "", line);
    }
    y = getmaxy(w) - 2;
    tui_style_on(w, ST_DIM);
    tui_put(w, y, 2,
            sees_people(app)
                ? _("Enter or F3: the employee list   p: change your password   F12: lock")
                : _("p: change your password   F12: lock   (users: mnvault user)"),
            getmaxx(w) - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next dashboard_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    (void)stp;
    if (ev->is_code && ev->code == KEY_F(3) && !sees_people(app)) {
        tui_message(app, 1, "%s", admin_why());
        return TUI_STAY;
    }
    switch (ev->action) {
    case TA_OPEN:
    case TA_EMPLOYEES:
    case TA_FILTER:
        if (!sees_people(app)) {
            /* never an empty screen: say whose work the records are */
            tui_message(app, 1, "%s", admin_why());
            return TUI_STAY;
        }
        return scr_employees_push(app);
    case TA_PASSWORD:
        return scr_password_push(app, 0);
    case TA_EXPORT:
        return scr_export_push(app);
    case TA_DISPOSE:
        return scr_disposal_push(app);
    case TA_FILINGS:
        if (!sees_people(app)) {
            tui_message(app, 1, "%s", admin_why());
            return TUI_STAY;
        }
        return scr_flow_push(app, 0, NULL, NULL);
    case TA_AUDIT:
        return scr_audit_push(app);
    case TA_MENU:
        return scr_menu_push(app);
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void dashboard_resume(struct app *app, void *stp)
{
    load(app, stp);
}

static void dashboard_release(void *stp)
{
    free(stp);
}

#define DASHBOARD_OPS(var, keyset)                                                                 \
    static const struct screen_ops var = {                                                         \
        .name = "dashboard",                                                                       \
        .keys = keyset,                                                                            \
        .heading = dashboard_heading,                                                              \
        .draw = dashboard_draw,                                                                    \
        .handle = dashboard_handle,                                                                \
        .resume = dashboard_resume,                                                                \
        .release = dashboard_release,                                                              \
    }
DASHBOARD_OPS(dashboard_ops, dashboard_keys);
DASHBOARD_OPS(dashboard_ops_audit, dashboard_keys_audit);
DASHBOARD_OPS(dashboard_ops_admin, dashboard_keys_admin);

enum tui_next scr_dashboard_open(struct app *app)
{
    struct dashboard_state *st = calloc(1, sizeof(*st));
    if (!st)
        return TUI_STAY;
    load(app, st);
    enum mnv_role role = session_role(tui_session(app));
    const struct screen_ops *ops = &dashboard_ops_admin;
    if (access_allowed(role, ACT_PERSON_VIEW))
        ops = access_allowed(role, ACT_AUDIT_READ) ? &dashboard_ops_audit : &dashboard_ops;
    tui_replace_top(app, ops, st);
    return TUI_PUSHED;
}
