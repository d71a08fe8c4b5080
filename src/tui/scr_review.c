/*
 * scr_review.c: the monthly review of the audit log (from the audit screen, r). The report
 * of a month (review.h: reveals per user and purpose, bursts of reveals, night access,
 * exports, imports, refusals, failed and out-of-window logins) as text to read, Left and
 * Right for the month before and after, and s for a supervisor to sign a month that is
 * over, with a note: the signature is an audit entry over the digest of the figures read.
 * tui_review_text() is the dashboard's reminder of months nobody signed.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "field.h"
#include "keys.h"
#include "phrases.h"
#include "mnvault/access.h"
#include "mnvault/caldate.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/review.h"
#include "mnvault/session.h"
#include "mnvault/strbuf.h"

struct review_screen {
    char month[8];
    struct review_report r;
    int loaded;
    struct strbuf text;
    int top; /* first line shown */
    int lines;
    char error[400];
};

static const struct keydef keys_sign[] = {{KEY_LEFT, 1, TA_MONTH_PREV},
                                          {KEY_RIGHT, 1, TA_MONTH_NEXT},
                                          {'<', 0, TA_MONTH_PREV},
                                          {'>', 0, TA_MONTH_NEXT},
                                          {'s', 0, TA_SIGN},
                                          {0, 0, TA_NONE}};
static const struct keydef keys_read[] = {{KEY_LEFT, 1, TA_MONTH_PREV},
                                          {KEY_RIGHT, 1, TA_MONTH_NEXT},
                                          {'<', 0, TA_MONTH_PREV},
                                          {'>', 0, TA_MONTH_NEXT},
                                          {0, 0, TA_NONE}};

static int count_lines(const char *t)
{
    int n = 0;
    for (; *t; t++)
        n += *t == '\n';
    return n;
}

static void load(struct app *app, struct review_screen *st)
{
    review_report_free(&st->r);
    strbuf_reset(&st->text);
    st->loaded = 0;
    st->error[0] = '\0';
    st->top = 0;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = review_report_month(tui_session(app), st->month, &st->r, &diag);
    if (err == MNV_OK)
        err = review_text(tui_session(app), &st->r, &st->text);
    if (err != MNV_OK) {
        tui_error_text(st->error, sizeof(st->error), err, &diag);
        return;
    }
    st->loaded = 1;
    st->lines = count_lines(strbuf_str(&st->text));
}

/* The month `delta` months from st->month. */
static void shift_month(struct review_screen *st, int delta)
{
    int y, m;
    if (sscanf(st->month, "%4d-%2d", &y, &m) != 2)
        return;
    m += delta;
    while (m < 1) {
        m += 12;
        y--;
    }
    while (m > 12) {
        m -= 12;
        y++;
    }
    snprintf(st->month, sizeof(st->month), "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
}

static const char *review_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct review_screen *st = stp;
    static char title[80];
    snprintf(title, sizeof(title), _("Monthly review %s"), st->month);
    snprintf(right, rsize, "%s", !st->loaded ? "" : st->r.signed_ ? _("signed") : _("NOT SIGNED"));
    return title;
}

static void review_draw(struct app *app, void *stp, WINDOW *w)
{
    (void)app;
    struct review_screen *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    if (st->error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, 1, 2, st->error, cols - 4, 3);
        tui_style_off(w, ST_ERROR);
    }
    const char *t = strbuf_str(&st->text);
    int shown = rows - 2;
    for (int line = 0, y = 0; *t && y < shown; line++) {
        const char *end = strchr(t, '\n');
        size_t len = end ? (size_t)(end - t) : strlen(t);
        if (line >= st->top) {
            char buf[1200];
            snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) ? len : sizeof(buf) - 1), t);
            int head = buf[0] && buf[0] != ' ';
            if (head)
                tui_style_on(w, ST_HEADER);
            tui_put(w, y++, 1, buf, cols - 2, 0);
            if (head)
                tui_style_off(w, ST_HEADER);
        }
        t += len + (end ? 1 : 0);
    }
    char hint[300];
    int may_sign = access_allowed(session_role(tui_session(app)), ACT_REVIEW_SIGN);
    snprintf(hint, sizeof(hint), "%s%s",
             _("←/→: month before/after   ↑↓ PgUp PgDn: read   Esc: back"),
             may_sign && st->loaded && !st->r.signed_ ? _("   s: sign") : "");
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2, hint, cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* ---- signing ------------------------------------------------------------------------------ */

struct sign_screen {
    struct review_screen *owner;
    struct field note;
    char msg[400];
};

static const struct keydef sign_keys[] = {{0, 0, TA_NONE}};

static const char *sign_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    (void)right;
    (void)rsize;
    struct sign_screen *ss = stp;
    static char title[80];
    snprintf(title, sizeof(title), _("Sign the review of %s"), ss->owner->month);
    return title;
}

static void sign_draw(struct app *app, void *stp, WINDOW *w)
{
    struct sign_screen *ss = stp;
    const struct review_report *r = &ss->owner->r;
    int cols = getmaxx(w);
    char text[600];
    snprintf(text, sizeof(text),
             _("You sign that you reviewed the audit log of %s: %llu entries, %ld reveals, "
               "%ld exports, %ld refusals, %zu bursts of reveals, %ld entries at night. The "
               "signature is recorded in the audit log with the digest of these figures; it "
               "cannot be undone."),
             r->month, (unsigned long long)r->entries, r->reveals_total, r->exports.total,
             r->refusals.total, r->n_bursts, r->night_entries.total);
    int y = 1 + tui_put_wrapped(w, 1, 2, text, cols - 4, 5);
    snprintf(text, sizeof(text), _("Digest %.32s…"), r->digest);
    tui_style_on(w, ST_DIM);
    tui_put(w, y + 1, 2, text, cols - 4, 0);
    tui_style_off(w, ST_DIM);
    tui_style_on(w, ST_HEADER);
    tui_put(w, y + 3, 2, _("Note"), 10, 1);
    tui_style_off(w, ST_HEADER);
    mvwaddch(w, y + 3, 12, '[');
    field_draw(&ss->note, w, y + 3, 13, cols - 16, 1, &app->cursor_y, &app->cursor_x);
    mvwaddch(w, y + 3, cols - 3, ']');
    tui_style_on(w, ST_DIM);
    tui_put(w, y + 4, 13, _("(optional: what you found, what was done)"), cols - 16, 0);
    tui_style_off(w, ST_DIM);
    if (ss->msg[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, y + 6, 2, ss->msg, cols - 4, 2);
        tui_style_off(w, ST_ERROR);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, y + 9, 2, _("Enter: sign   Esc: cancel"), cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next sign_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct sign_screen *ss = stp;
    if (ev->action == TA_BACK)
        return TUI_POP;
    if (ev->action == TA_QUIT)
        return TUI_QUIT;
    if (ev->action != TA_OPEN) {
        (void)field_handle(&ss->note, ev);
        return TUI_STAY;
    }
    struct review_screen *st = ss->owner;
    struct review_report signed_r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err =
        review_sign(tui_session(app), st->month, st->r.digest, ss->note.buf, &signed_r, &diag);
    if (err != MNV_OK) {
        tui_error_text(ss->msg, sizeof(ss->msg), err, &diag);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    tui_message(app, 0, _("The review of %s is signed (audit entry %llu)."), st->month,
                (unsigned long long)signed_r.signed_seq);
    review_report_free(&signed_r);
    app->data_version++;
    load(app, st);
    return TUI_POP;
}

static void sign_release(void *stp)
{
    struct sign_screen *ss = stp;
    field_release(&ss->note);
    free(ss);
}

static const struct screen_ops sign_ops = {
    .name = "review-sign",
    .keys = sign_keys,
    .heading = sign_heading,
    .draw = sign_draw,
    .handle = sign_handle,
    .release = sign_release,
};

static enum tui_next open_sign(struct app *app, struct review_screen *st)
{
    if (!tui_may(app, ACT_REVIEW_SIGN))
        return TUI_STAY;
    if (!st->loaded)
        return TUI_STAY;
    if (st->r.signed_)
        return tui_fail(app, MNV_ERR_REVIEW_SIGNED);
    int32_t last;
    if (caldate_parse(st->r.to, &last) != 0 || clock_today() <= last)
        return tui_fail(app, MNV_ERR_REVIEW_OPEN);
    struct sign_screen *ss = calloc(1, sizeof(*ss));
    if (!ss || field_init(&ss->note, REVIEW_NOTE_MAX + 1, 0) != 0) {
        free(ss);
        return TUI_STAY;
    }
    ss->owner = st;
    return tui_push(app, &sign_ops, ss);
}

/* ---- the screen's keys ---------------------------------------------------------------------- */

static enum tui_next review_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct review_screen *st = stp;
    int page = 15;
    switch (ev->action) {
    case TA_UP:
    case TA_DOWN:
    case TA_PAGE_UP:
    case TA_PAGE_DOWN:
        st->top += ev->action == TA_UP        ? -1
                   : ev->action == TA_DOWN    ? 1
                   : ev->action == TA_PAGE_UP ? -page
                                              : page;
        if (st->top > st->lines - page)
            st->top = st->lines - page;
        if (st->top < 0)
            st->top = 0;
        return TUI_STAY;
    case TA_HOME:
        st->top = 0;
        return TUI_STAY;
    case TA_END:
        st->top = st->lines > page ? st->lines - page : 0;
        return TUI_STAY;
    case TA_MONTH_PREV:
    case TA_MONTH_NEXT:
        shift_month(st, ev->action == TA_MONTH_PREV ? -1 : 1);
        load(app, st);
        return TUI_STAY;
    case TA_SIGN:
        return open_sign(app, st);
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void review_release(void *stp)
{
    struct review_screen *st = stp;
    review_report_free(&st->r);
    strbuf_release(&st->text);
    free(st);
}

#define REVIEW_OPS(var, keyset)                                                                    \
    static const struct screen_ops var = {                                                         \
        .name = "review",                                                                          \
        .keys = keyset,                                                                            \
        .heading = review_heading,                                                                 \
        .draw = review_draw,                                                                       \
        .handle = review_handle,                                                                   \
        .release = review_release,                                                                 \
    }
REVIEW_OPS(review_ops_sign, keys_sign);
REVIEW_OPS(review_ops_read, keys_read);

enum tui_next scr_review_push(struct app *app)
{
    enum mnv_role role = session_role(tui_session(app));
    if (!tui_may(app, ACT_AUDIT_READ))
        return TUI_STAY;
    struct review_screen *st = calloc(1, sizeof(*st));
    if (!st)
        return TUI_STAY;
    strbuf_init(&st->text);
    /* the oldest month nobody signed, else last month */
    struct review_month *m;
    size_t n, open;
    review_last_month(st->month);
    if (review_status(tui_session(app), &m, &n, &open, NULL) == MNV_OK) {
        for (size_t i = 0; i < n; i++)
            if (!m[i].signed_) {
                snprintf(st->month, sizeof(st->month), "%s", m[i].month);
                break;
            }
        free(m);
    }
    load(app, st);
    return tui_push(
        app, access_allowed(role, ACT_REVIEW_SIGN) ? &review_ops_sign : &review_ops_read, st);
}

void tui_review_text(struct app *app, char *buf, size_t size, int *due)
{
    buf[0] = '\0';
    *due = 0;
    if (!access_allowed(session_role(tui_session(app)), ACT_AUDIT_READ))
        return;
    struct review_month *m;
    size_t n, open;
    if (review_status(tui_session(app), &m, &n, &open, NULL) != MNV_OK)
        return;
    const char *oldest = NULL;
    for (size_t i = 0; i < n && !oldest; i++)
        if (!m[i].signed_)
            oldest = m[i].month;
    if (open == 1)
        snprintf(buf, size, _("%s is not signed   (F8, then r)"), oldest);
    else if (open > 1)
        snprintf(buf, size, _("%zu months not signed, the oldest %s   (F8, then r)"), open, oldest);
    else if (n)
        snprintf(buf, size, _("every month signed, the last %s"), m[n - 1].month);
    else
        snprintf(buf, size, "%s", _("no month is over yet"));
    *due = open > 0;
    free(m);
}
