/*
 * Four eyes: proposals of due numbers only, approval by a supervisor who did not propose
 * (with TOTP again when enrolled), rejection and withdrawal with their reasons, a proposal
 * that goes stale when the facts of a number change under it, and the audit entries.
 * Called directly, as a program linking the library would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/accounts.h"
#include "mnvault/clock.h"
#include "mnvault/disposal.h"
#include "mnvault/people.h"
#include "mnvault/purpose.h"
#include "mnvault/retention.h"
#include "mnvault/totp.h"
#include "svcfix.h"

static struct purpose_catalog cat;
static struct retention_rules rules;
static int64_t due_a, due_b, due_c, current; /* number records */
static struct person_ref ref_b, ref_c;

static int64_t add(struct session *s, const char *code, const char *retire, const char *number,
                   struct person_ref *ref)
{
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "%s", code);
    snprintf(e.name, sizeof(e.name), "見本 %s", code);
    snprintf(e.kana, sizeof(e.kana), "ミホン");
    snprintf(e.birth_date, sizeof(e.birth_date), "1950-01-02");
    e.sex = SEX_MALE;
    snprintf(e.hire_date, sizeof(e.hire_date), "1975-04-01");
    snprintf(e.retire_date, sizeof(e.retire_date), "%s", retire);
    if (people_employee_add(s, &e, NULL) != MNV_OK)
        return 0;
    struct mynumber n;
    struct purpose_notice p = {"tax_withholding", "1990-01-04"};
    struct person_ref r = {PERSON_EMPLOYEE, e.id};
    if (mynumber_parse(&n, MYNUMBER_INDIVIDUAL, number, 12, NULL) != MNV_OK ||
        people_number_store(s, &r, &n, &p, 1, NULL) != MNV_OK)
        return 0;
    struct number_info info;
    if (people_number_info(s, &r, &info, NULL) != MNV_OK)
        return 0;
    if (ref)
        *ref = r;
    return info.id;
}

static int group_setup(void **state)
{
    (void)state;
    if (svc_make() != 0 || purpose_catalog_load(NULL, &cat, NULL) != MNV_OK ||
        retention_rules_load(NULL, &cat, &rules, NULL) != MNV_OK)
        return -1;
    struct session *c = svc_login("clerk");
    if (!c)
        return -1;
    due_a = add(c, "D0001", "1993-03-31", "123456789018", NULL);
    due_b = add(c, "D0002", "1995-03-31", "987654321093", &ref_b);
    due_c = add(c, "D0003", "1998-03-31", "111111111118", &ref_c);
    current = add(c, "C0001", "", "222222222225", NULL);
    session_logout(c);
    /* A second supervisor, to approve what the first proposes. */
    struct session *a = svc_login("admin");
    struct account_spec spec;
    char otp[ACCOUNTS_OTP_SIZE];
    accounts_spec_init(&spec, "sup2", ROLE_SUPERVISOR);
    static const char pw[] = "nine quiet herons at dusk";
    enum mnv_err err = a ? accounts_add(a, &spec, pw, strlen(pw), otp, NULL) : MNV_ERR_INVALID;
    session_logout(a);
    struct session *s2 = NULL;
    if (err == MNV_OK)
        err = session_login(svc_dir, "sup2", pw, strlen(pw), &svc_opts, &s2, NULL, NULL);
    if (err == MNV_ERR_MUST_CHANGE)
        err = session_change_password(s2, NULL, 0, pw, strlen(pw), NULL, NULL);
    session_logout(s2);
    if (err == MNV_OK) /* a supervisor an administrator made waits for another's approval */
        err = svc_approve("sup2");
    return due_a && due_b && due_c && current && err == MNV_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    retention_rules_free(&rules);
    purpose_catalog_free(&cat);
    return svc_drop();
}

static struct session *sup2(void)
{
    static const char pw[] = "nine quiet herons at dusk";
    struct session *s = NULL;
    if (session_login(svc_dir, "sup2", pw, strlen(pw), &svc_opts, &s, NULL, NULL) != MNV_OK)
        return NULL;
    return s;
}

static enum disposal_state state_of(struct session *s, int64_t id)
{
    struct disposal_proposal p;
    struct disposal_row *rows;
    size_t n;
    assert_int_equal(disposal_get(s, id, &p, &rows, &n, NULL), MNV_OK);
    free(rows);
    return p.state;
}

static int64_t proposal_all, proposal_sup;

static void test_disposal__decision_text(void **state)
{
    (void)state;
    struct disposal_proposal p;
    memset(&p, 0, sizeof(p));
    char buf[200];
    p.state = DISPOSAL_PROPOSED;
    assert_string_equal(disposal_decision_text(buf, sizeof(buf), &p), "");
    p.state = DISPOSAL_REJECTED;
    snprintf(p.decided_by, sizeof(p.decided_by), "sup");
    p.decided_at = 1764550920; /* 2025-12-01 01:02 UTC */
    char when[24], want[200];
    clock_format_local(when, sizeof(when), (time_t)p.decided_at);
    snprintf(want, sizeof(want), "Rejected by sup on %s", when);
    assert_string_equal(disposal_decision_text(buf, sizeof(buf), &p), want);
    p.state = DISPOSAL_EXECUTED; /* executed: the approval is the decision */
    snprintf(want, sizeof(want), "Approved by sup on %s", when);
    assert_string_equal(disposal_decision_text(buf, sizeof(buf), &p), want);
}

static void test_disposal__propose_due_only(void **state)
{
    (void)state;
    struct session *c = svc_login("clerk");
    struct mnv_diag diag;
    int64_t id;
    mnv_diag_clear(&diag);
    /* A number that is not due cannot be proposed, and nothing is written. */
    assert_int_equal(disposal_propose(c, &rules, &current, 1, "", &id, &diag), MNV_ERR_NOT_DUE);
    assert_int_equal(diag.line, current);
    assert_int_equal(disposal_propose(c, &rules, NULL, 0, "番号 1234 5678 9018", &id, NULL),
                     MNV_ERR_REASON_NUMBER);
    /* Every due number but one (due_c stays for the supervisor's own proposal). */
    int64_t ab[] = {due_b, due_a, due_a};
    assert_int_equal(disposal_propose(c, &rules, ab, 3, "年度末の削除", &id, NULL), MNV_OK);
    proposal_all = id;
    struct audit_entry e = svc_last(c);
    assert_string_equal(e.action, "disposal.propose");
    assert_string_equal(e.detail, "numbers=2 employees=2 dependants=0");
    struct disposal_proposal p;
    struct disposal_row *rows;
    size_t n;
    assert_int_equal(disposal_get(c, id, &p, &rows, &n, NULL), MNV_OK);
    assert_int_equal(n, 2);
    assert_int_equal(p.state, DISPOSAL_PROPOSED);
    assert_string_equal(p.proposed_by, "clerk");
    assert_string_equal(p.note, "年度末の削除");
    assert_string_equal(rows[0].item.employee_code, "D0001");
    assert_string_equal(rows[0].name, "見本 D0001");
    assert_string_equal(rows[0].item.keep_until, "1994-01-31");
    assert_string_equal(rows[0].item.doc, "gensen_kyuyo");
    free(rows);
    /* A number already in an open proposal is not proposed twice. */
    assert_int_equal(disposal_propose(c, &rules, &due_a, 1, "", &id, NULL), MNV_ERR_IN_PROPOSAL);
    session_logout(c);
    /* The auditor sees the queue but may not propose. */
    struct session *a = svc_login("aud");
    struct disposal_proposal *list;
    assert_int_equal(disposal_list(a, 1, &list, &n, NULL), MNV_OK);
    assert_int_equal(n, 1);
    free(list);
    assert_int_equal(disposal_propose(a, &rules, NULL, 0, "", &id, NULL), MNV_ERR_DENIED);
    session_logout(a);
}

static void test_disposal__proposer_never_approves(void **state)
{
    (void)state;
    struct session *s = svc_login("sup");
    int64_t id;
    assert_int_equal(disposal_propose(s, &rules, NULL, 0, "", &id, NULL), MNV_OK);
    proposal_sup = id; /* only due_c is left */
    assert_int_equal(disposal_approve(s, &rules, id, "確認済み", NULL, NULL, NULL),
                     MNV_ERR_OWN_PROPOSAL);
    struct audit_entry e = svc_last(s);
    assert_string_equal(e.action, "disposal.approve");
    assert_string_equal(e.result, "refused");
    assert_int_equal(disposal_reject(s, id, "不要", NULL), MNV_ERR_OWN_PROPOSAL);
    assert_int_equal(state_of(s, id), DISPOSAL_PROPOSED);
    /* The clerk's proposal: a clerk may not decide at all. */
    session_logout(s);
    struct session *c = svc_login("clerk");
    assert_int_equal(disposal_approve(c, &rules, proposal_all, "ok", NULL, NULL, NULL),
                     MNV_ERR_DENIED);
    assert_int_equal(disposal_withdraw(c, proposal_sup, NULL), MNV_ERR_DENIED);
    session_logout(c);
}

static void test_disposal__approve_with_reason(void **state)
{
    (void)state;
    struct session *s = svc_login("sup");
    assert_int_equal(disposal_approve(s, &rules, proposal_all, " ", NULL, NULL, NULL),
                     MNV_ERR_REASON_NEEDED);
    struct disposal_counts k;
    assert_int_equal(disposal_counts(s, &k, NULL), MNV_OK);
    assert_int_equal(k.proposed, 2);
    int fresh;
    int64_t changed;
    assert_int_equal(disposal_fresh(s, &rules, proposal_all, &fresh, &changed, NULL), MNV_OK);
    assert_true(fresh);
    assert_int_equal(
        disposal_approve(s, &rules, proposal_all, "保存期間経過を確認", NULL, NULL, NULL), MNV_OK);
    struct audit_entry e = svc_last(s);
    assert_string_equal(e.action, "disposal.approve");
    assert_string_equal(e.detail, "numbers=2 reason=保存期間経過を確認");
    assert_int_equal(state_of(s, proposal_all), DISPOSAL_APPROVED);
    assert_int_equal(disposal_approve(s, &rules, proposal_all, "again", NULL, NULL, NULL),
                     MNV_ERR_PROPOSAL_STATE);
    assert_int_equal(disposal_counts(s, &k, NULL), MNV_OK);
    assert_int_equal(k.proposed, 1);
    assert_int_equal(k.approved, 1);
    session_logout(s);
}

static void test_disposal__stale_when_facts_change(void **state)
{
    (void)state;
    /* A purpose notified after the proposal moves the retention date: stale. */
    struct session *c = svc_login("clerk");
    assert_int_equal(purpose_notify(c, &ref_c, "social_insurance", "2026-11-01", NULL), MNV_OK);
    session_logout(c);
    struct session *s = sup2();
    assert_non_null(s);
    int fresh;
    int64_t changed;
    assert_int_equal(disposal_fresh(s, &rules, proposal_sup, &fresh, &changed, NULL), MNV_OK);
    assert_false(fresh);
    assert_int_equal(changed, due_c);
    assert_int_equal(disposal_approve(s, &rules, proposal_sup, "確認", NULL, NULL, NULL),
                     MNV_ERR_PROPOSAL_STALE);
    struct audit_entry e = svc_last(s);
    assert_string_equal(e.action, "disposal.stale");
    assert_int_equal(state_of(s, proposal_sup), DISPOSAL_STALE);
    session_logout(s);
}

static long code_at(const unsigned char *secret, const char *when)
{
    setenv("MNVAULT_TEST_NOW", when, 1);
    return totp_code(secret, TOTP_SECRET_LEN, clock_now(), TOTP_SHA1, 6);
}

static void test_disposal__totp_again_reject_withdraw(void **state)
{
    (void)state;
    /* Everything due is in a proposal now. */
    struct session *c = svc_login("clerk");
    int64_t id;
    assert_int_equal(disposal_propose(c, &rules, NULL, 0, "", &id, NULL), MNV_ERR_NOTHING_DUE);
    int64_t extra = add(c, "D0004", "1999-03-31", "333333333332", NULL);
    int64_t more = add(c, "D0005", "1999-03-31", "444444444440", NULL);
    assert_true(extra > 0 && more > 0);
    assert_int_equal(disposal_propose(c, &rules, &extra, 1, "", &id, NULL), MNV_OK);
    session_logout(c);
    /* sup2 enrols TOTP; approving then needs a code, never the one used to log in. */
    struct session *s = sup2();
    unsigned char secret[TOTP_SECRET_LEN];
    char b32[TOTP_BASE32_SIZE], uri[512], code[16];
    assert_int_equal(accounts_totp_begin(s, secret, b32, uri, sizeof(uri), NULL), MNV_OK);
    snprintf(code, sizeof(code), "%06ld", code_at(secret, SVC_NOW));
    assert_int_equal(accounts_totp_confirm(s, secret, code, NULL), MNV_OK);
    session_logout(s);
    static const char pw[] = "nine quiet herons at dusk";
    struct session *t = NULL;
    snprintf(code, sizeof(code), "%06ld", code_at(secret, "2026-12-01T01:05:00"));
    assert_int_equal(session_login(svc_dir, "sup2", pw, strlen(pw), &svc_opts, &t, NULL, NULL),
                     MNV_ERR_TOTP_NEEDED);
    assert_int_equal(session_login_totp(t, code, NULL, NULL), MNV_OK);
    assert_int_equal(disposal_approve(t, &rules, id, "確認", NULL, NULL, NULL),
                     MNV_ERR_TOTP_NEEDED);
    struct login_info info;
    assert_int_equal(disposal_approve(t, &rules, id, "確認", code, &info, NULL),
                     MNV_ERR_TOTP_REPLAY);
    snprintf(code, sizeof(code), "%06ld", (code_at(secret, "2026-12-01T01:06:00") + 1) % 1000000);
    assert_int_equal(disposal_approve(t, &rules, id, "確認", code, &info, NULL),
                     MNV_ERR_TOTP_WRONG);
    assert_int_equal(info.attempts_left, 3);
    struct audit_entry e = svc_last(t);
    assert_string_equal(e.action, "disposal.approve");
    assert_string_equal(e.result, "refused");
    assert_string_equal(e.detail, "totp");
    assert_int_equal(state_of(t, id), DISPOSAL_PROPOSED);
    /* Rejected with a reason (no code needed to say no). */
    assert_int_equal(disposal_reject(t, id, "対象者確認中のため", NULL), MNV_OK);
    assert_string_equal(svc_last(t).action, "disposal.reject");
    assert_int_equal(state_of(t, id), DISPOSAL_REJECTED);
    assert_int_equal(disposal_reject(t, id, "again", NULL), MNV_ERR_PROPOSAL_STATE);
    /* Proposed again, approved with the next code. */
    c = svc_login("clerk");
    assert_int_equal(disposal_propose(c, &rules, &extra, 1, "", &id, NULL), MNV_OK);
    int64_t w;
    assert_int_equal(disposal_propose(c, &rules, &more, 1, "", &w, NULL), MNV_OK);
    session_logout(c);
    snprintf(code, sizeof(code), "%06ld", code_at(secret, "2026-12-01T01:07:00"));
    assert_int_equal(disposal_approve(t, &rules, id, "確認", code, &info, NULL), MNV_OK);
    assert_int_equal(state_of(t, id), DISPOSAL_APPROVED);
    /* Only its proposer withdraws a proposal. */
    assert_int_equal(disposal_withdraw(t, w, NULL), MNV_ERR_DENIED);
    session_logout(t);
    setenv("MNVAULT_TEST_NOW", SVC_NOW, 1);
    c = svc_login("clerk");
    assert_int_equal(disposal_withdraw(c, w, NULL), MNV_OK);
    assert_string_equal(svc_last(c).action, "disposal.withdraw");
    assert_int_equal(state_of(c, w), DISPOSAL_WITHDRAWN);
    session_logout(c);
}
