/*
 * The role matrix: every service called as every role, directly (not through a screen);
 * each call is allowed exactly when access.h's table says so, and each refusal is audited.
 */
#include "mnvault/access.h"
#include "mnvault/custody.h"
#include "mnvault/employer.h"
#include "mnvault/payroll.h"
#include "mnvault/people.h"
#include "mnvault/retention.h"
#include "mnvault/reveal.h"
#include "svcfix.h"

static int group_setup(void **state)
{
    (void)state;
    return svc_make();
}

static int group_teardown(void **state)
{
    (void)state;
    return svc_drop();
}

static int64_t employee_id; /* with a number for tax_withholding */

static void sample(struct employee *e, const char *code)
{
    memset(e, 0, sizeof(*e));
    snprintf(e->code, sizeof(e->code), "%s", code);
    snprintf(e->name, sizeof(e->name), "鈴木 花子");
    snprintf(e->kana, sizeof(e->kana), "スズキ ハナコ");
    snprintf(e->birth_date, sizeof(e->birth_date), "1990-01-02");
    e->sex = SEX_FEMALE;
    snprintf(e->hire_date, sizeof(e->hire_date), "2015-04-01");
}

static int each_entry(void *ud, const struct audit_entry *e);

static enum mnv_err call(struct session *s, enum access_action a, int *n)
{
    char code[24];
    struct employee e;
    struct person_ref ref = {PERSON_EMPLOYEE, employee_id};
    switch (a) {
    case ACT_PERSON_VIEW: {
        struct person_list l;
        enum mnv_err err = people_list(s, &l, NULL);
        person_list_free(&l);
        return err;
    }
    case ACT_PERSON_EDIT:
        snprintf(code, sizeof(code), "X%d", (*n)++);
        sample(&e, code);
        return people_employee_add(s, &e, NULL);
    case ACT_NUMBER_STORE: {
        snprintf(code, sizeof(code), "N%d", (*n)++);
        sample(&e, code);
        struct session *c = svc_login("clerk");
        enum mnv_err err = people_employee_add(c, &e, NULL);
        session_logout(c);
        if (err != MNV_OK)
            return MNV_ERR_INVALID;
        struct mynumber num;
        char digits[13];
        snprintf(digits, 12, "%011d", 10000000 + *n);
        snprintf(digits + 11, 2, "%d", numtext_check_digit_individual(digits));
        if (mynumber_parse(&num, MYNUMBER_INDIVIDUAL, digits, 12, NULL) != MNV_OK)
            return MNV_ERR_INVALID;
        struct purpose_notice p = {"tax_withholding", "2026-04-01"};
        struct person_ref r2 = {PERSON_EMPLOYEE, e.id};
        return people_number_store(s, &r2, &num, &p, 1, NULL);
    }
    case ACT_NUMBER_REVEAL: {
        struct mynumber num;
        enum mnv_err err = reveal_number(s, &ref, "tax_withholding", "年末調整", &num, NULL);
        mynumber_clear(&num);
        return err;
    }
    case ACT_PURPOSE_NOTIFY: {
        static const char *const codes[] = {"social_insurance", "employment_insurance",
                                            "tax_declarations", "tax_retirement"};
        static int next;
        return purpose_notify(s, &ref, codes[next++ % 4], "2026-05-01", NULL);
    }
    case ACT_AUDIT_READ: {
        struct audit_entry e2[1];
        size_t c;
        return auditor_recent(s, 1, e2, &c, NULL);
    }
    case ACT_AUDIT_VERIFY: {
        struct auditlog_report r;
        return auditor_verify_log(s, &r, NULL);
    }
    case ACT_AUDIT_EXPORT:
        return auditor_each(s, 1, each_entry, NULL, NULL);
    case ACT_VAULT_VERIFY: {
        struct vault_check r;
        return auditor_verify_vault(s, &r, NULL);
    }
    case ACT_USER_MANAGE:
        return accounts_set_window(s, "aud", USER_DAYS_ALL, 0, 1440, NULL, NULL);
    case ACT_USER_UNLOCK:
        return accounts_unlock(s, "aud", NULL);
    case ACT_SETTINGS_CHANGE: {
        struct setup_org org;
        if (setup_get_org(s, &org) != MNV_OK)
            return MNV_ERR_INVALID;
        snprintf(org.address, sizeof(org.address), "住所%d", (*n)++);
        return setup_set_org(s, &org, NULL);
    }
    case ACT_EPOCH_ROTATE: {
        long c;
        return people_rotate_epoch(s, &c, NULL);
    }
    case ACT_DASHBOARD: {
        struct people_stats st;
        return people_stats(s, &st, NULL);
    }
    case ACT_PAYROLL_IMPORT: {
        static const char text[] = "employee_code,payment\nE0001,1000000\n";
        struct payroll_report rep;
        enum mnv_err err = payroll_import_text(s, text, sizeof(text) - 1, 2025, 0, &rep, NULL);
        payroll_report_free(&rep);
        return err;
    }
    case ACT_PAYROLL_VIEW: {
        struct payroll_row_info years[2];
        size_t count;
        return payroll_years(s, employee_id, years, 2, &count, NULL);
    }
    case ACT_CUSTODY_READ: {
        struct custody_entry *list;
        size_t count;
        enum mnv_err err = custody_list(s, NULL, &list, &count, NULL);
        free(list);
        return err;
    }
    case ACT_EMPLOYER_EDIT:
        return employer_set(s, "phone", "03-1234-5678", NULL);
    case ACT_RETENTION_HOLD: {
        /* Allowed: there is no hold to release (the number is not due). */
        enum mnv_err err = retention_release(s, &ref, NULL);
        return err == MNV_ERR_NOT_FOUND ? MNV_OK : err;
    }
    default:
        return MNV_ERR_USAGE; /* no service yet (export, disposal) */
    }
}

static int each_entry(void *ud, const struct audit_entry *e)
{
    (void)ud;
    (void)e;
    return 0;
}

static void test_access__table(void **state)
{
    (void)state;
    assert_true(access_allowed(ROLE_CLERK, ACT_NUMBER_REVEAL));
    assert_true(access_allowed(ROLE_SUPERVISOR, ACT_DISPOSAL_APPROVE));
    assert_false(access_allowed(ROLE_CLERK, ACT_DISPOSAL_APPROVE));
    assert_false(access_allowed(ROLE_AUDITOR, ACT_NUMBER_REVEAL));
    assert_false(access_allowed(ROLE_ADMIN, ACT_NUMBER_REVEAL));
    assert_false(access_allowed(ROLE_ADMIN, ACT_PERSON_VIEW));
    assert_false(access_allowed(ROLE_AUDITOR, ACT_PERSON_EDIT));
    assert_false(access_allowed(ROLE_NONE, ACT_DASHBOARD));
    assert_false(access_allowed(ROLE_CLERK, ACT__COUNT));
    for (int a = 0; a < ACT__COUNT; a++)
        assert_true(access_allowed(ROLE_ADMIN, (enum access_action)a) ||
                    access_allowed(ROLE_SUPERVISOR, (enum access_action)a) ||
                    access_allowed(ROLE_AUDITOR, (enum access_action)a));
    assert_string_equal(access_action_name(ACT_NUMBER_REVEAL), "number.reveal");
}

static void test_access__every_role_every_service(void **state)
{
    (void)state;
    /* One employee with a number and the purpose tax_withholding, for reveal & notify. */
    struct session *c = svc_login("clerk");
    struct employee e;
    sample(&e, "E0001");
    assert_int_equal(people_employee_add(c, &e, NULL), MNV_OK);
    employee_id = e.id;
    struct mynumber num;
    assert_int_equal(mynumber_parse(&num, MYNUMBER_INDIVIDUAL, "123456789018", 12, NULL), MNV_OK);
    struct purpose_notice p = {"tax_withholding", "2026-04-01"};
    struct person_ref ref = {PERSON_EMPLOYEE, e.id};
    assert_int_equal(people_number_store(c, &ref, &num, &p, 1, NULL), MNV_OK);
    session_logout(c);

    static const char *const users[] = {"clerk", "sup", "aud", "admin"};
    int n = 0, cells = 0;
    for (size_t u = 0; u < 4; u++) {
        struct session *s = svc_login(users[u]);
        assert_non_null(s);
        for (int a = 0; a < ACT__COUNT; a++) {
            enum mnv_err err = call(s, (enum access_action)a, &n);
            if (err == MNV_ERR_USAGE)
                continue;
            cells++;
            int allowed = access_allowed(session_role(s), (enum access_action)a);
            if (allowed && err != MNV_OK)
                fail_msg("%s as %s: %s", access_action_name(a), users[u], mnv_err_name(err));
            if (!allowed) {
                if (err != MNV_ERR_DENIED)
                    fail_msg("%s as %s: %s, not DENIED", access_action_name(a), users[u],
                             mnv_err_name(err));
                struct audit_entry last = svc_last(s);
                assert_string_equal(last.action, access_action_name(a));
                assert_string_equal(last.result, "denied");
                assert_string_equal(last.user, users[u]);
            }
        }
        session_logout(s);
    }
    assert_int_equal(cells, 4 * 19);
}
