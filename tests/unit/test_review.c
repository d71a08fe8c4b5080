/*
 * The monthly review (review.h): a December whose entries the test wrote — reveals of two
 * purposes, a burst of reveals, access at night, exports, an import, refusals, failed and
 * out-of-window logins — read back as the report's figures; the digest; signing by a
 * supervisor only, once, for a month that is over, over the report that was read; and the
 * months the dashboard reminds of, with the clock fixed (MNVAULT_TEST_NOW).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/clock.h"
#include "mnvault/review.h"
#include "svcfix.h"

static int64_t dec(int day, int hour, int minute)
{
    char iso[16];
    time_t t;
    snprintf(iso, sizeof(iso), "2026-12-%02d", day);
    if (clock_parse_date(iso, &t) != 0)
        return 0;
    return (int64_t)t + hour * 3600 + minute * 60;
}

static enum mnv_err put(struct vault *v, int64_t t, const char *user, const char *role,
                        const char *action, const char *subject, const char *result,
                        const char *detail)
{
    struct audit_event ev = {t, user, role, action, subject, result, detail};
    return auditlog_append(v, &ev, NULL, NULL);
}

/* December 2026, after the fixture's own entries of the 1st at 10:00. */
static enum mnv_err write_december(struct vault *v)
{
    enum mnv_err err = MNV_OK;
    /* a burst: 12 reveals by clerk within 6 minutes on the 3rd */
    for (int i = 0; err == MNV_OK && i < 12; i++)
        err = put(v, dec(3, 14, 0) + i * 30, "clerk", "clerk", "reveal", "employee:1", "ok",
                  "purpose=tax_withholding reason=year end");
    /* three more, hours apart: no burst */
    for (int i = 0; err == MNV_OK && i < 3; i++)
        err = put(v, dec(4, 9 + 3 * i, 0), "clerk", "clerk", "reveal", "employee:2", "ok",
                  "purpose=social_insurance reason=acquisition");
    if (err == MNV_OK) /* at night */
        err = put(v, dec(5, 23, 30), "sup", "supervisor", "reveal", "employee:1", "ok",
                  "purpose=tax_withholding reason=check");
    if (err == MNV_OK)
        err = put(v, dec(8, 10, 0), "clerk", "clerk", "export", "custody:1", "ok",
                  "form=nta375 year=2026");
    if (err == MNV_OK)
        err = put(v, dec(8, 10, 5), "clerk", "clerk", "export", "custody:2", "failed", "error=IO");
    if (err == MNV_OK)
        err = put(v, dec(9, 11, 0), "clerk", "clerk", "payroll.import", "", "ok", "year=2026");
    if (err == MNV_OK)
        err = put(v, dec(10, 11, 0), "aud", "auditor", "number.reveal", "employee:1", "denied", "");
    if (err == MNV_OK)
        err = put(v, dec(10, 12, 0), "clerk", "clerk", "reveal", "employee:3", "refused",
                  "purpose=tax_withholding not_notified");
    for (int i = 0; err == MNV_OK && i < 3; i++)
        err = put(v, dec(11, 8, i), "clerk", "", "login.failed", "clerk", "failed", "");
    if (err == MNV_OK)
        err = put(v, dec(11, 8, 5), "clerk", "", "lockout", "clerk", "ok", "");
    if (err == MNV_OK)
        err = put(v, dec(12, 7, 0), "clerk", "clerk", "login", "clerk", "denied", "WINDOW");
    return err;
}

static int group_setup(void **state)
{
    (void)state;
    if (svc_make() != 0)
        return -1;
    struct session *c = svc_login("clerk");
    if (!c)
        return -1;
    struct vault *v = session_vault(c);
    enum mnv_err err = vault_begin(v, NULL);
    if (err == MNV_OK)
        err = write_december(v);
    err = err == MNV_OK ? vault_commit(v, NULL) : (vault_rollback(v), err);
    session_logout(c);
    setenv("MNVAULT_TEST_NOW", "2027-01-05T01:00:00", 1); /* 10:00 in Tokyo */
    return err == MNV_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return svc_drop();
}

static long count_of(const struct review_count *t, size_t n, const char *user, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].user, user) == 0 && strcmp(t[i].what, what) == 0)
            return t[i].n;
    return 0;
}

static void test_review__report(void **state)
{
    (void)state;
    struct session *a = svc_login("aud");
    assert_non_null(a);
    struct review_report r;
    assert_int_equal(review_report_month(a, "2026-12", &r, NULL), MNV_OK);
    assert_string_equal(r.from, "2026-12-01");
    assert_string_equal(r.to, "2026-12-31");
    assert_int_equal(r.reveals_total, 16);
    assert_int_equal(count_of(r.reveals, r.n_reveals, "clerk", "tax_withholding"), 12);
    assert_int_equal(count_of(r.reveals, r.n_reveals, "clerk", "social_insurance"), 3);
    assert_int_equal(count_of(r.reveals, r.n_reveals, "sup", "tax_withholding"), 1);
    assert_int_equal(r.n_bursts, 1);
    assert_string_equal(r.bursts[0].user, "clerk");
    assert_int_equal(r.bursts[0].reveals, 12);
    assert_int_equal(r.bursts[0].first, dec(3, 14, 0));
    assert_int_equal(r.exports.total, 2);
    assert_int_equal(count_of(r.imports, r.n_imports, "clerk", "payroll.import"), 1);
    assert_int_equal(r.refusals.total, 3); /* with the login out of its window */
    assert_int_equal(count_of(r.login_failed, r.n_login_failed, "clerk", "login.failed"), 3);
    assert_int_equal(count_of(r.login_failed, r.n_login_failed, "clerk", "lockout"), 1);
    assert_int_equal(r.outside.total, 1);
    assert_string_equal(r.outside.items[0].detail, "WINDOW");
    assert_int_equal(count_of(r.night, r.n_night, "sup", ""), 1);
    assert_int_equal(r.night_entries.total, 1);
    assert_int_equal(r.signed_, 0);
    assert_int_equal(strlen(r.digest), 64);
    /* the same log, the same digest; another period, another */
    struct review_report again, part;
    assert_int_equal(review_report_month(a, "2026-12", &again, NULL), MNV_OK);
    assert_string_equal(again.digest, r.digest);
    assert_int_equal(review_report_period(a, "2026-12-04", "R8.12.31", &part, NULL), MNV_OK);
    assert_int_equal(part.reveals_total, 4);
    assert_int_equal(part.n_bursts, 0);
    assert_string_not_equal(part.digest, r.digest);
    review_report_free(&part);
    review_report_free(&again);
    review_report_free(&r);
    assert_int_equal(review_report_month(a, "2026-13", &r, NULL), MNV_ERR_REVIEW_MONTH);
    session_logout(a);
    struct session *c = svc_login("clerk");
    assert_non_null(c);
    assert_int_equal(review_report_month(c, "2026-12", &r, NULL), MNV_ERR_DENIED);
    session_logout(c);
}

static void test_review__sign(void **state)
{
    (void)state;
    struct review_report r, read;
    struct session *a = svc_login("aud");
    assert_non_null(a);
    assert_int_equal(review_sign(a, "2026-12", NULL, "", &r, NULL), MNV_ERR_DENIED);
    session_logout(a);
    struct session *s = svc_login("sup");
    assert_non_null(s);
    assert_int_equal(review_sign(s, "2027-01", NULL, "", &r, NULL), MNV_ERR_REVIEW_OPEN);
    assert_int_equal(review_sign(s, "2026-12", NULL, "see 123456789018", &r, NULL),
                     MNV_ERR_FIELD_NUMBER);
    assert_int_equal(review_sign(s, "2026-12", "00", "", &r, NULL), MNV_ERR_REVIEW_CHANGED);
    assert_string_equal(svc_last(s).result, "refused");
    assert_int_equal(review_report_month(s, "2026-12", &read, NULL), MNV_OK);
    assert_int_equal(
        review_sign(s, "2026-12", read.digest, "burst on the 3rd: year-end slips", &r, NULL),
        MNV_OK);
    assert_int_equal(r.signed_, 1);
    assert_string_equal(r.signed_by, "sup");
    assert_string_equal(r.signed_digest, read.digest);
    assert_string_equal(r.note, "burst on the 3rd: year-end slips");
    struct audit_entry e = svc_last(s);
    assert_string_equal(e.action, "review.sign");
    assert_string_equal(e.subject, "review:2026-12");
    assert_non_null(strstr(e.detail, read.digest));
    assert_non_null(strstr(e.detail, "reveals=16 "));
    review_report_free(&r);
    assert_int_equal(review_sign(s, "2026-12", NULL, "", &r, NULL), MNV_ERR_REVIEW_SIGNED);
    /* the report now shows its signature; the signing itself is January's */
    struct review_report after;
    assert_int_equal(review_report_month(s, "2026-12", &after, NULL), MNV_OK);
    assert_int_equal(after.signed_, 1);
    assert_string_equal(after.digest, read.digest);
    review_report_free(&after);
    review_report_free(&read);
    session_logout(s);
}

static void test_review__status(void **state)
{
    (void)state;
    struct session *s = svc_login("aud");
    assert_non_null(s);
    struct review_month *m;
    size_t n, open;
    assert_int_equal(review_status(s, &m, &n, &open, NULL), MNV_OK);
    /* December is over; test__sign (run before) signed it */
    assert_int_equal(n, 1);
    assert_string_equal(m[0].month, "2026-12");
    assert_int_equal(m[0].signed_, 1);
    assert_int_equal(open, 0);
    free(m);
    session_logout(s);
    setenv("MNVAULT_TEST_NOW", "2027-03-02T01:00:00", 1);
    s = svc_login("aud");
    assert_non_null(s);
    assert_int_equal(review_status(s, &m, &n, &open, NULL), MNV_OK);
    assert_int_equal(n, 3);
    assert_string_equal(m[2].month, "2027-02");
    assert_int_equal(open, 2);
    char last[8];
    assert_string_equal(review_last_month(last), "2027-02");
    free(m);
    session_logout(s);
    setenv("MNVAULT_TEST_NOW", "2027-01-05T01:00:00", 1);
}
