/* review_sign.c: signing a month's review, and which months are signed (review.h). */
#include "mnvault/review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/alloc.h"
#include "mnvault/auditquery.h"
#include "mnvault/auditview.h"
#include "mnvault/caldate.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/person.h"
#include "mnvault/session.h"
#include "mnvault/svcread.h"
#include "review_priv.h"

#define REVIEW_STATUS_MONTHS 36

char *review_last_month(char out[8])
{
    int y, m, d;
    caldate_ymd(clock_today(), &y, &m, &d);
    if (--m == 0) {
        m = 12;
        y--;
    }
    snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
    return out;
}

struct find_ctx {
    const char *subject;
    struct review_report *r;
};

static int find_one(void *ud, const struct audit_entry *e)
{
    struct find_ctx *x = ud;
    if (strcmp(e->subject, x->subject) != 0 || strcmp(e->result, "ok") != 0)
        return 0;
    struct review_report *r = x->r;
    r->signed_ = 1;
    snprintf(r->signed_by, sizeof(r->signed_by), "%s", e->user);
    r->signed_at = e->time;
    r->signed_seq = e->seq;
    auditview_detail_value(e->detail, "digest", r->signed_digest, sizeof(r->signed_digest));
    auditview_detail_value(e->detail, "note", r->note, sizeof(r->note));
    return 1; /* the newest is enough */
}

enum mnv_err review_find_signature(struct vault *v, const char *month, struct review_report *r,
                                   struct mnv_diag *diag)
{
    char subject[32];
    snprintf(subject, sizeof(subject), "review:%s", month);
    struct auditquery q = {.action = "review.sign", .result = "ok"};
    struct find_ctx x = {subject, r};
    r->signed_ = 0;
    return auditquery_each(v, &q, find_one, &x, diag);
}

struct sign_ctx {
    const char *month, *digest, *note;
    struct review_report *r;
};

static enum mnv_err sign_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    struct sign_ctx *x = ud;
    struct review_report *r = x->r;
    enum mnv_err err = review_build(s, session_vault(s), r, diag);
    if (err != MNV_OK)
        return err;
    if (r->signed_) {
        c->refusal = "signed_already";
        return MNV_ERR_REVIEW_SIGNED;
    }
    if (x->digest && strcmp(x->digest, r->digest) != 0) {
        c->refusal = "report_changed";
        return MNV_ERR_REVIEW_CHANGED;
    }
    change_detail(c,
                  "month=%s entries=%llu reveals=%ld exports=%ld refusals=%ld failed_logins=%zu "
                  "outside=%ld bursts=%zu night=%ld digest=%s note=%s",
                  x->month, (unsigned long long)r->entries, r->reveals_total, r->exports.total,
                  r->refusals.total, r->n_login_failed, r->outside.total, r->n_bursts,
                  r->night_entries.total, r->digest, x->note);
    return MNV_OK;
}

enum mnv_err review_sign(struct session *s, const char *month, const char *digest, const char *note,
                         struct review_report *r, struct mnv_diag *diag)
{
    memset(r, 0, sizeof(*r));
    char subject[32];
    snprintf(subject, sizeof(subject), "review:%.7s", month);
    enum mnv_err err = access_check(s, ACT_REVIEW_SIGN, subject, diag);
    if (err != MNV_OK)
        return err;
    if (review_month_days(month, r->from, r->to) != 0)
        return MNV_ERR_REVIEW_MONTH;
    snprintf(r->month, sizeof(r->month), "%s", month);
    int32_t last;
    if (caldate_parse(r->to, &last) != 0 || clock_today() <= last)
        return MNV_ERR_REVIEW_OPEN;
    if ((err = person_check_text(note, REVIEW_NOTE_MAX, 0)) != MNV_OK) {
        mnv_diag_item(diag, "note");
        return err;
    }
    struct sign_ctx x = {month, digest, note, r};
    err = change_run(s, "review.sign", subject, sign_body, &x, diag);
    if (err == MNV_OK)
        err = review_find_signature(session_vault(s), month, r, diag);
    if (err != MNV_OK)
        review_report_free(r);
    return err;
}

/* ---- which months are signed --------------------------------------------------------- */

struct status_ctx {
    struct review_month *months;
    size_t n;
    size_t unsigned_n;
};

static int mark_signed(void *ud, const struct audit_entry *e)
{
    struct status_ctx *x = ud;
    if (strncmp(e->subject, "review:", 7) != 0)
        return 0;
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->months[i].month, e->subject + 7) == 0 && !x->months[i].signed_) {
            x->months[i].signed_ = 1;
            snprintf(x->months[i].signed_by, sizeof(x->months[i].signed_by), "%s", e->user);
            x->months[i].signed_at = e->time;
        }
    return 0;
}

static enum mnv_err status_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct status_ctx *x = ud;
    struct audit_entry first;
    enum mnv_err err = auditquery_get(v, 1, &first, diag);
    if (err == MNV_ERR_NOT_FOUND)
        return MNV_OK; /* an empty log: nothing to review */
    if (err != MNV_OK)
        return err;
    int y, m, d, ly, lm;
    caldate_ymd(caldate_from_time((long long)first.time), &y, &m, &d);
    caldate_ymd(clock_today(), &ly, &lm, &d);
    long span = (long)(ly - y) * 12 + (lm - m); /* months that are over since the first */
    if (span <= 0)
        return MNV_OK;
    if (span > REVIEW_STATUS_MONTHS)
        span = REVIEW_STATUS_MONTHS;
    x->months = calloc((size_t)span, sizeof(*x->months));
    if (!x->months)
        return MNV_ERR_NOMEM;
    /* from span months before this one up to the last */
    int my = ly, mm = lm;
    for (long i = span - 1; i >= 0; i--) {
        if (--mm == 0) {
            mm = 12;
            my--;
        }
        snprintf(x->months[i].month, sizeof(x->months[i].month), "%04u-%02u", (unsigned)my % 10000u,
                 (unsigned)mm % 100u);
    }
    x->n = (size_t)span;
    struct auditquery q = {.action = "review.sign", .result = "ok"};
    err = auditquery_each(v, &q, mark_signed, x, diag);
    for (size_t i = 0; i < x->n; i++)
        x->unsigned_n += !x->months[i].signed_;
    return err;
}

enum mnv_err review_status(struct session *s, struct review_month **months, size_t *n,
                           size_t *unsigned_n, struct mnv_diag *diag)
{
    struct status_ctx x = {NULL, 0, 0};
    enum mnv_err err = svcread_run(s, ACT_AUDIT_READ, status_body, &x, diag);
    if (err != MNV_OK) {
        free(x.months);
        x = (struct status_ctx){NULL, 0, 0};
    }
    *months = x.months;
    *n = x.n;
    *unsigned_n = x.unsigned_n;
    return err;
}
