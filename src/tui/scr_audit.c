/*
 * scr_audit.c: the audit log screen (F8) for auditors, supervisors and administrators. The
 * log as a list, newest first, read a page at a time through auditview.h (so it opens and
 * scrolls as fast on a million entries as on ten); the last verification of the chain and
 * v to verify it now; f a filter (user, action, employee, result, period), c to clear it;
 * Enter an entry's details (a reveal's purpose and reason); F6/x the filtered entries to a
 * CSV file (audited); r the monthly review (scr_review.c); g the handling register (PDF or
 * CSV, handling.h). Names of persons appear as
 * employee codes, never as internal ids; no entry ever holds a number.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "draw.h"
#include "field.h"
#include "formdlg.h"
#include "keys.h"
#include "phrases.h"
#include "mnvault/access.h"
#include "mnvault/auditor.h"
#include "mnvault/auditview.h"
#include "mnvault/clock.h"
#include "mnvault/handling.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"

#define WINDOW_MAX 100 /* rows of the window kept (the screen shows what fits) */
#define SUBJECT_WORDS (AUDIT_SUBJECT_MAX + 64)

struct audit_screen {
    struct auditview_filter filter;
    struct auditview view;
    int view_ok;
    struct audit_entry rows[WINDOW_MAX]; /* newest first */
    char subject[WINDOW_MAX][SUBJECT_WORDS];
    int n, sel, visible;
    struct auditview_state state;
    char error[400];
};

static const struct keydef audit_keys[] = {{KEY_F(3), 1, TA_FILTER},
                                           {'f', 0, TA_FILTER},
                                           {'/', 0, TA_FILTER},
                                           {'c', 0, TA_CLEAR},
                                           {KEY_F(6), 1, TA_AUDIT_EXPORT},
                                           {'x', 0, TA_AUDIT_EXPORT},
                                           {'v', 0, TA_VERIFY},
                                           {'r', 0, TA_REVIEW},
                                           {'g', 0, TA_HANDLING},
                                           {0, 0, TA_NONE}};
/* Administrators read the log but may not export it. */
static const struct keydef audit_keys_admin[] = {
    {KEY_F(3), 1, TA_FILTER}, {'f', 0, TA_FILTER}, {'/', 0, TA_FILTER}, {'c', 0, TA_CLEAR},
    {'v', 0, TA_VERIFY},      {'r', 0, TA_REVIEW}, {0, 0, TA_NONE}};

static void describe_rows(struct app *app, struct audit_screen *st, int from, int to)
{
    for (int i = from; i < to; i++)
        auditview_subject(tui_session(app), st->rows[i].subject, st->subject[i], SUBJECT_WORDS);
}

/* Show an error of a service call; 1 when the session is locked (the caller locks). */
static int failed(struct app *app, enum mnv_err err, const struct mnv_diag *diag)
{
    char text[400];
    tui_message(app, 1, "%s", tui_error_text(text, sizeof(text), err, diag));
    return err == MNV_ERR_SESSION_LOCKED;
}

/* The newest page (before = 0) or the page older than before, replacing the window. */
static void load_older(struct app *app, struct audit_screen *st, uint64_t before)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    size_t n = 0;
    enum mnv_err err = auditview_older(&st->view, before, (size_t)st->visible, st->rows, &n, &diag);
    if (err != MNV_OK) {
        (void)failed(app, err, &diag);
        n = 0;
    }
    st->n = (int)n;
    describe_rows(app, st, 0, st->n);
}

/* The oldest page, in the window newest first. */
static void load_oldest(struct app *app, struct audit_screen *st)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    size_t n = 0;
    struct audit_entry tmp[WINDOW_MAX];
    enum mnv_err err = auditview_newer(&st->view, 0, (size_t)st->visible, tmp, &n, &diag);
    if (err != MNV_OK) {
        (void)failed(app, err, &diag);
        n = 0;
    }
    for (size_t i = 0; i < n; i++)
        st->rows[i] = tmp[n - 1 - i];
    st->n = (int)n;
    describe_rows(app, st, 0, st->n);
}

static void load_state(struct app *app, struct audit_screen *st)
{
    if (auditview_state(tui_session(app), &st->state, NULL) != MNV_OK)
        memset(&st->state, 0, sizeof(st->state));
}

static void reopen(struct app *app, struct audit_screen *st)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    st->error[0] = '\0';
    st->n = st->sel = 0;
    enum mnv_err err = auditview_open(tui_session(app), &st->filter, &st->view, &diag);
    st->view_ok = err == MNV_OK;
    if (err != MNV_OK)
        tui_error_text(st->error, sizeof(st->error), err, &diag);
    load_state(app, st);
    if (st->view_ok && st->visible > 0)
        load_older(app, st, 0);
}

/* Scroll one entry: at the window's end, one more is read from the log. */
static void step(struct app *app, struct audit_screen *st, int down)
{
    if (down && st->sel + 1 < st->n) {
        st->sel++;
        return;
    }
    if (!down && st->sel > 0) {
        st->sel--;
        return;
    }
    if (st->n == 0)
        return;
    struct audit_entry e;
    size_t k = 0;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = down ? auditview_older(&st->view, st->rows[st->n - 1].seq, 1, &e, &k, &diag)
                            : auditview_newer(&st->view, st->rows[0].seq, 1, &e, &k, &diag);
    if (err != MNV_OK || k == 0) {
        if (err != MNV_OK)
            (void)failed(app, err, &diag);
        return;
    }
    if (down) {
        memmove(&st->rows[0], &st->rows[1], sizeof(st->rows[0]) * (size_t)(st->n - 1));
        memmove(st->subject[0], st->subject[1], sizeof(st->subject[0]) * (size_t)(st->n - 1));
        st->rows[st->n - 1] = e;
        describe_rows(app, st, st->n - 1, st->n);
    } else {
        memmove(&st->rows[1], &st->rows[0], sizeof(st->rows[0]) * (size_t)(st->n - 1));
        memmove(st->subject[1], st->subject[0], sizeof(st->subject[0]) * (size_t)(st->n - 1));
        st->rows[0] = e;
        describe_rows(app, st, 0, 1);
    }
}

/* A page: the entries after the window (older) or before it (newer); the window stays full. */
static void page(struct app *app, struct audit_screen *st, int down)
{
    if (st->n == 0)
        return;
    if (down) {
        uint64_t last = st->rows[st->n - 1].seq;
        struct audit_entry probe;
        size_t k = 0;
        if (auditview_older(&st->view, last, 1, &probe, &k, NULL) != MNV_OK || k == 0) {
            st->sel = st->n - 1; /* at the oldest already */
            return;
        }
        load_older(app, st, last);
        if (st->n < st->visible) { /* the last page: keep the window full */
            load_oldest(app, st);
            st->sel = st->n - 1;
        }
        return;
    }
    struct audit_entry tmp[WINDOW_MAX];
    size_t k = 0;
    if (auditview_newer(&st->view, st->rows[0].seq, (size_t)st->visible, tmp, &k, NULL) != MNV_OK ||
        k == 0) {
        st->sel = 0;
        return;
    }
    if ((int)k < st->visible) {
        load_older(app, st, 0); /* reached the newest */
    } else {
        for (size_t i = 0; i < k; i++)
            st->rows[i] = tmp[k - 1 - i];
        st->n = (int)k;
        describe_rows(app, st, 0, st->n);
    }
    st->sel = st->n - 1 < st->visible - 1 ? st->n - 1 : st->visible - 1;
}

static const char *audit_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct audit_screen *st = stp;
    char a[32];
    if (st->view_ok)
        snprintf(right, rsize, _("%s entries in the log"),
                 tui_thousands(a, sizeof(a), (long)st->view.head));
    return _("Audit log");
}

/* The state of the log: the chain's last verification, the seals, the last checkpoint. */
static void draw_status(WINDOW *w, struct audit_screen *st, int cols)
{
    static const enum tui_style tones[] = {ST_OK, ST_NORMAL, ST_ERROR};
    char line[400];
    for (int i = AUDITVIEW_LINE_CHAIN; i <= AUDITVIEW_LINE_CHECKPOINT; i++) {
        enum auditview_tone t = auditview_state_text(&st->state, i, line, sizeof(line));
        if (i == AUDITVIEW_LINE_CHAIN) {
            size_t n = strlen(line);
            snprintf(line + n, sizeof(line) - n, "  %s", _("(v: verify now)"));
        }
        tui_style_on(w, tones[t]);
        tui_put(w, i, 2, line, cols - 4, 0);
        tui_style_off(w, tones[t]);
    }
}

static void draw_filter(WINDOW *w, struct audit_screen *st, int cols)
{
    const struct auditview_filter *f = &st->filter;
    char line[600];
    if (auditview_filter_empty(f)) {
        snprintf(line, sizeof(line), "%s", _("Filter: none (f: filter)"));
    } else {
        snprintf(line, sizeof(line), _("Filter: user %s  action %s  employee %s  result %s  %s–%s"),
                 f->user[0] ? f->user : "*", f->action[0] ? f->action : "*",
                 f->person[0] ? f->person : "*", f->result[0] ? f->result : "*", f->from, f->to);
    }
    tui_style_on(w, auditview_filter_empty(f) ? ST_DIM : ST_HEADER);
    tui_put(w, 3, 2, line, cols - 4, 0);
    tui_style_off(w, auditview_filter_empty(f) ? ST_DIM : ST_HEADER);
}

static void draw_row(WINDOW *w, int y, struct audit_screen *st, int i, int cols)
{
    const struct audit_entry *e = &st->rows[i];
    char seq[24], when[24];
    snprintf(seq, sizeof(seq), "%llu", (unsigned long long)e->seq);
    clock_format_local(when, sizeof(when), (time_t)e->time);
    int sel = i == st->sel, x = 0;
    int bad = strcmp(e->result, "ok") != 0;
    tui_style_on(w, sel ? ST_SELECTED : bad ? ST_ERROR : ST_NORMAL);
    x += tui_put(w, y, x, sel ? ">" : " ", 1, 1);
    x += tui_put_right(w, y, x, seq, 8);
    x += tui_put(w, y, x, " ", 1, 1);
    x += tui_put(w, y, x, when, 17, 1);
    x += tui_put(w, y, x, e->user[0] ? e->user : "-", 11, 1);
    x += tui_put(w, y, x, auditview_action_label(e->action), 20, 1);
    x += tui_put(w, y, x, st->subject[i][0] ? st->subject[i] : "-", 13, 1);
    tui_put(w, y, x, auditview_result_label(e->result), cols - x, 1);
    tui_style_off(w, sel ? ST_SELECTED : bad ? ST_ERROR : ST_NORMAL);
}

static void audit_draw(struct app *app, void *stp, WINDOW *w)
{
    struct audit_screen *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    int want = rows - 7 < WINDOW_MAX ? rows - 7 : WINDOW_MAX;
    if (want != st->visible && st->view_ok) {
        /* first draw or a new size: refill from the window's newest entry */
        uint64_t top = st->n ? st->rows[0].seq + 1 : 0;
        st->visible = want;
        load_older(app, st, top);
        if (st->sel >= st->n)
            st->sel = st->n ? st->n - 1 : 0;
    }
    draw_status(w, st, cols);
    if (st->error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, 3, 2, st->error, cols - 4, 3);
        tui_style_off(w, ST_ERROR);
        return;
    }
    draw_filter(w, st, cols);
    tui_style_on(w, ST_HEADER);
    int x = 1;
    x += tui_put_right(w, 4, x, _("No."), 8);
    x += tui_put(w, 4, x, " ", 1, 1);
    x += tui_put(w, 4, x, _("Time"), 17, 1);
    x += tui_put(w, 4, x, _("User"), 11, 1);
    x += tui_put(w, 4, x, _("Action"), 20, 1);
    x += tui_put(w, 4, x, _("Subject"), 13, 1);
    tui_put(w, 4, x, _("Result"), cols - x, 1);
    tui_style_off(w, ST_HEADER);
    if (st->n == 0) {
        tui_style_on(w, ST_DIM);
        tui_put(w, 6, 4, _("No entry matches the filter."), cols - 8, 0);
        tui_style_off(w, ST_DIM);
    }
    for (int i = 0; i < st->n && i < st->visible; i++)
        draw_row(w, 5 + i, st, i, cols);
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2,
            _("Enter: details  f: filter  c: clear  v: verify  x: CSV  r: review  g: register"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* ---- verification ------------------------------------------------------------------------ */

static enum tui_next verify_now(struct app *app, struct audit_screen *st)
{
    tui_message(app, 0, "%s", _("Verifying the audit log…"));
    tui_redraw_now(app);
    struct auditlog_report r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditor_verify_log(tui_session(app), &r, &diag);
    struct auditor_seal_check sc;
    memset(&sc, 0, sizeof(sc));
    if (err == MNV_OK && st->state.seal.started)
        err = auditor_seal_check(tui_session(app), NULL, NULL, &sc, &diag);
    if (err == MNV_ERR_AUDIT_SEAL)
        tui_message(app, 1, _("The chain is intact, but the seals do not fit: %s"),
                    sc.shape_problem ? _(sc.shape_problem) : "");
    else if (err == MNV_OK)
        tui_message(app, 0,
                    _("The audit log is intact: %llu entries chain up to the head kept "
                      "in the key file."),
                    (unsigned long long)r.entries);
    else if (err == MNV_ERR_AUDIT_BROKEN)
        tui_message(app, 1, _("Entry %llu does not fit: %s"), (unsigned long long)r.bad_seq,
                    _(r.problem));
    else if (failed(app, err, &diag))
        return TUI_LOCK;
    reopen(app, st);
    return TUI_STAY;
}

/* ---- an entry's details: scr_audit_entry.c -------------------------------------------- */

static enum tui_next open_entry(struct app *app, struct audit_screen *st)
{
    if (st->n == 0)
        return TUI_STAY;
    return scr_audit_entry_push(app, st->rows[st->sel].seq, st->subject[st->sel]);
}

/* ---- the filter (formdlg.h) ------------------------------------------------------------- */

enum { F_USER, F_ACTION, F_PERSON, F_RESULT, F_FROM, F_TO, F__COUNT };

static void copy_text(char *dst, size_t size, const char *text)
{
    snprintf(dst, size, "%.*s", (int)(size - 1), text);
}

static enum tui_next filter_submit(struct app *app, struct formdlg *d, void *ud)
{
    struct audit_screen *owner = ud;
    struct auditview_filter f;
    auditview_filter_init(&f);
    copy_text(f.user, sizeof(f.user), formdlg_text(d, F_USER));
    copy_text(f.action, sizeof(f.action), formdlg_text(d, F_ACTION));
    copy_text(f.person, sizeof(f.person), formdlg_text(d, F_PERSON));
    copy_text(f.result, sizeof(f.result), formdlg_text(d, F_RESULT));
    copy_text(f.from, sizeof(f.from), formdlg_text(d, F_FROM));
    copy_text(f.to, sizeof(f.to), formdlg_text(d, F_TO));
    struct auditview probe;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditview_open(tui_session(app), &f, &probe, &diag);
    if (err != MNV_OK) {
        static const char *items[F__COUNT] = {"user", "action", "person", "result", "from", "to"};
        int at = -1;
        for (int i = 0; i < F__COUNT; i++)
            if (strcmp(diag.item, items[i]) == 0)
                at = i;
        return formdlg_fail(app, d, at, err, NULL);
    }
    owner->filter = probe.filter; /* the dates as the service wrote them */
    reopen(app, owner);
    return TUI_POP;
}

static enum tui_next open_filter(struct app *app, struct audit_screen *st)
{
    const struct auditview_filter *f = &st->filter;
    const struct formdlg_item items[F__COUNT] = {
        {.label = _("User"), .hint = _("a user name, exactly"), .value = f->user},
        {.label = _("Action"),
         .hint = _("reveal, export … (disposal. = all under it)"),
         .value = f->action},
        {.label = _("Employee code"), .hint = _("with dependants and exports"), .value = f->person},
        {.label = _("Result"), .hint = _("ok, denied, refused, failed, begun"), .value = f->result},
        {.label = _("First day"),
         .hint = _("2026-11-01 or R8.11.1"),
         .accept = field_accept_date,
         .value = f->from},
        {.label = _("Last day"),
         .hint = _("the last day, included"),
         .accept = field_accept_date,
         .value = f->to},
    };
    const struct formdlg_spec spec = {
        .name = "audit-filter",
        .title = _("Filter the audit log"),
        .enter = _("Enter: apply (empty: any)"),
        .items = items,
        .n = F__COUNT,
        .submit = filter_submit,
        .ud = st,
    };
    return formdlg_push(app, &spec);
}

/* ---- export (formdlg.h) ------------------------------------------------------------------ */

struct export_ud {
    struct audit_screen *owner;
    int register_; /* 0: the filtered log as CSV; 1: the handling register (PDF or CSV) */
};

static enum mnv_err write_register(struct app *app, const char *path, uint64_t *files,
                                   struct mnv_diag *diag)
{
    struct handling_register r;
    enum mnv_err err = handling_register_build(tui_session(app), &r, diag);
    if (err != MNV_OK)
        return err;
    err = handling_write(&r, path, diag);
    *files = r.nfiles;
    handling_register_free(&r);
    return err;
}

static enum tui_next export_submit(struct app *app, struct formdlg *d, void *ud)
{
    struct export_ud *x = ud;
    const char *path = formdlg_text(d, 0);
    if (!path[0])
        return TUI_STAY;
    if (access(path, F_OK) == 0 && !tui_confirm(app, _("A file of this name exists. Replace it?")))
        return TUI_STAY;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    uint64_t rows = 0;
    tui_message(app, 0, "%s", _("Writing…"));
    tui_redraw_now(app);
    enum mnv_err err = x->register_ ? write_register(app, path, &rows, &diag)
                                    : auditview_export_file(&x->owner->view, path, &rows, &diag);
    tui_clear_message(app);
    if (err != MNV_OK)
        return formdlg_fail(app, d, 0, err, &diag);
    if (x->register_)
        tui_message(app, 0, _("The handling register (%llu files) is written to %s"),
                    (unsigned long long)rows, path);
    else
        tui_message(app, 0, _("%llu entries written to %s"), (unsigned long long)rows, path);
    reopen(app, x->owner); /* the export's own entry */
    return TUI_POP;
}

static enum tui_next open_export(struct app *app, struct audit_screen *st, int register_)
{
    enum access_action need = register_ ? ACT_CUSTODY_READ : ACT_AUDIT_EXPORT;
    if (!tui_may(app, need))
        return TUI_STAY;
    struct export_ud *x = calloc(1, sizeof(*x));
    if (!x)
        return TUI_STAY;
    x->owner = st;
    x->register_ = register_;
    char name[1024], day[24];
    clock_format_local(day, sizeof(day), clock_now());
    day[10] = '\0';
    const char *home = getenv("HOME");
    snprintf(name, sizeof(name), "%s%smnvault-%s-%s.%s", home && home[0] ? home : "",
             home && home[0] ? "/" : "", register_ ? "register" : "audit", day,
             register_ ? "pdf" : "csv");
    const struct formdlg_item items[] = {{.label = _("File"), .cap = 1024, .value = name}};
    const struct formdlg_spec spec = {
        .name = "audit-export",
        .title = register_ ? _("Handling register") : _("Export the audit log"),
        .intro = register_
                     ? _("The handling register (特定個人情報ファイル管理簿) is made from the "
                         "vault: the vault, its backups and export copies, and the checklist "
                         "of safety measures. A PDF, or CSV for a name ending in .csv; readable "
                         "only by you; recorded in the audit log.")
                     : _("The entries of the filter shown are written, oldest first, as CSV "
                         "(UTF-8) to a new file readable only by you. The export is recorded "
                         "in the audit log with its filter."),
        .enter = _("Enter: write"),
        .items = items,
        .n = 1,
        .submit = export_submit,
        .ud = x,
        .ud_release = free,
    };
    return formdlg_push(app, &spec);
}

/* ---- the screen's keys ---------------------------------------------------------------------- */

static enum tui_next audit_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct audit_screen *st = stp;
    switch (ev->action) {
    case TA_UP:
    case TA_DOWN:
        step(app, st, ev->action == TA_DOWN);
        return TUI_STAY;
    case TA_PAGE_UP:
    case TA_PAGE_DOWN:
        page(app, st, ev->action == TA_PAGE_DOWN);
        return TUI_STAY;
    case TA_HOME:
        load_older(app, st, 0);
        st->sel = 0;
        return TUI_STAY;
    case TA_END:
        load_oldest(app, st);
        st->sel = st->n ? st->n - 1 : 0;
        return TUI_STAY;
    case TA_OPEN:
        return open_entry(app, st);
    case TA_FILTER:
        return open_filter(app, st);
    case TA_CLEAR:
        auditview_filter_init(&st->filter);
        reopen(app, st);
        return TUI_STAY;
    case TA_VERIFY:
        return verify_now(app, st);
    case TA_AUDIT_EXPORT:
        return open_export(app, st, 0);
    case TA_HANDLING:
        return open_export(app, st, 1);
    case TA_REVIEW:
        return scr_review_push(app);
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void audit_resume(struct app *app, void *stp)
{
    load_state(app, stp);
}

#define AUDIT_OPS(var, keyset)                                                                     \
    static const struct screen_ops var = {                                                         \
        .name = "audit",                                                                           \
        .keys = keyset,                                                                            \
        .heading = audit_heading,                                                                  \
        .draw = audit_draw,                                                                        \
        .handle = audit_handle,                                                                    \
        .resume = audit_resume,                                                                    \
        .release = free,                                                                           \
    }
AUDIT_OPS(audit_ops, audit_keys);
AUDIT_OPS(audit_ops_admin, audit_keys_admin);

enum tui_next scr_audit_push(struct app *app)
{
    enum mnv_role role = session_role(tui_session(app));
    struct audit_screen *st = tui_screen_new(app, ACT_AUDIT_READ, sizeof(*st));
    if (!st)
        return TUI_STAY;
    reopen(app, st);
    return tui_push(app, access_allowed(role, ACT_AUDIT_EXPORT) ? &audit_ops : &audit_ops_admin,
                    st);
}
