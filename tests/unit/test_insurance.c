/* Unit tests for insurance.c, insurance_facts.c, insurance_import.c and insurancedb.c: the
 * check of each kind of fact, setting and reading facts (scope, order of dates, audit with
 * keys only), the import (all or nothing, every problem named), sealing (a row moved to
 * another person does not open), epoch rotation, and the facts going with the person. */
#include "svcfix.h"

#include <sqlite3.h>

#include "mnvault/caldate.h"

#include "mnvault/audit.h"
#include "mnvault/insurance.h"
#include "mnvault/insurancedb.h"
#include "mnvault/people.h"
#include "mnvault/retentiondb.h"
#include "mnvault/session.h"

static int64_t emp1, emp2, spouse, child;

static int64_t add_employee(struct session *s, const char *code, const char *name)
{
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "%s", code);
    snprintf(e.name, sizeof(e.name), "%s", name);
    snprintf(e.kana, sizeof(e.kana), "ミホン タロウ");
    snprintf(e.birth_date, sizeof(e.birth_date), "1980-04-01");
    e.sex = SEX_MALE;
    snprintf(e.hire_date, sizeof(e.hire_date), "2025-04-01");
    return people_employee_add(s, &e, NULL) == MNV_OK ? e.id : 0;
}

static int64_t add_dependent(struct session *s, int64_t emp, const char *name, const char *birth,
                             enum dependent_relation rel)
{
    struct dependent d;
    memset(&d, 0, sizeof(d));
    d.employee_id = emp;
    snprintf(d.name, sizeof(d.name), "%s", name);
    snprintf(d.kana, sizeof(d.kana), "ミホン");
    snprintf(d.birth_date, sizeof(d.birth_date), "%s", birth);
    d.relation = rel;
    d.sex = SEX_FEMALE;
    return people_dependent_add(s, &d, NULL) == MNV_OK ? d.id : 0;
}

static int group_setup(void **state)
{
    (void)state;
    if (svc_make() != 0)
        return -1;
    struct session *s = svc_login("clerk");
    emp1 = add_employee(s, "E001", "見本 太郎");
    emp2 = add_employee(s, "E002", "試験 次郎");
    spouse = add_dependent(s, emp1, "見本 花子", "1982-05-06", REL_SPOUSE);
    child = add_dependent(s, emp1, "見本 一郎", "2015-07-08", REL_CHILD);
    session_logout(s);
    return emp1 && emp2 && spouse && child ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return svc_drop();
}

static enum mnv_err check(const char *key, const char *in, char *out)
{
    const struct insurance_fact *f = insurance_fact_find(key);
    assert_non_null(f);
    return insurance_fact_check(f, in, out, INSURANCE_VALUE_MAX + 1);
}

static void test_insurance__fact_table(void **state)
{
    (void)state;
    assert_null(insurance_fact_find("nonsense"));
    const struct insurance_fact *f = insurance_fact_find("shaho.acquired_on");
    assert_non_null(f);
    assert_ptr_equal(insurance_fact_find("shaho_acquired_on"), f);
    assert_ptr_equal(insurance_fact_find("健保厚年資格取得年月日"), f);
    /* every key unique, every Japanese column unique, every choice list ended */
    for (size_t i = 0; insurance_fact_at(i); i++) {
        const struct insurance_fact *a = insurance_fact_at(i);
        assert_ptr_equal(insurance_fact_find(a->key), a);
        assert_ptr_equal(insurance_fact_find(a->ja), a);
        assert_true((a->kind == INS_CHOICE) == (a->choices != NULL));
        assert_true(i < INSURANCE_FACTS_MAX);
    }
}

static void test_insurance__checks(void **state)
{
    (void)state;
    char out[INSURANCE_VALUE_MAX + 1];
    assert_int_equal(check("shaho.acquired_on", "R7.4.1", out), MNV_OK);
    assert_string_equal(out, "2025-04-01");
    assert_int_equal(check("shaho.acquired_on", "令和7年4月1日", out), MNV_OK);
    assert_string_equal(out, "2025-04-01");
    assert_int_equal(check("shaho.acquired_on", "2025-02-30", out), MNV_ERR_FIELD_NO_SUCH_DAY);
    assert_int_equal(check("shaho.acquired_on", "soon", out), MNV_ERR_FIELD_DATE);
    assert_int_equal(check("shaho.pay_cash", "２８０,０００", out), MNV_OK);
    assert_string_equal(out, "280000");
    assert_int_equal(check("shaho.pay_cash", "12345678", out), MNV_ERR_INSURANCE_AMOUNT);
    assert_int_equal(check("shaho.pay_cash", "-5", out), MNV_ERR_INSURANCE_AMOUNT);
    assert_int_equal(check("shaho.loss_cause", "退職等", out), MNV_OK);
    assert_string_equal(out, "retirement");
    assert_int_equal(check("shaho.loss_cause", "death", out), MNV_OK);
    assert_string_equal(out, "death");
    assert_int_equal(check("shaho.loss_cause", "2", out), MNV_OK); /* the 2nd in the list */
    assert_string_equal(out, "death");
    assert_int_equal(check("shaho.loss_cause", "bored", out), MNV_ERR_INSURANCE_CHOICE);
    assert_int_equal(check("shaho.over70", "はい", out), MNV_OK);
    assert_string_equal(out, "1");
    assert_int_equal(check("shaho.over70", "0", out), MNV_OK);
    assert_string_equal(out, "");
    assert_int_equal(check("shaho.over70", "maybe", out), MNV_ERR_FIELD_CHOICE);
    assert_int_equal(check("shaho.seiri_no", "1234567", out), MNV_ERR_INSURANCE_DIGITS);
    assert_int_equal(check("koyo.weekly_hours", "40:00", out), MNV_OK);
    assert_int_equal(check("koyo.weekly_hours", "7:5", out), MNV_OK);
    assert_string_equal(out, "07:05");
    assert_int_equal(check("koyo.weekly_hours", "40", out), MNV_ERR_INSURANCE_HOURS);
    assert_int_equal(check("shaho.address_kana", "ﾄｳｷｮｳﾄ ﾁﾖﾀﾞｸ 1-1", out), MNV_OK);
    assert_int_equal(check("shaho.address_kana", "東京都", out), MNV_ERR_INSURANCE_KANA);
    assert_int_equal(check("fuyo.postal", "１００－０００１", out), MNV_OK);
    assert_string_equal(out, "100-0001");
    assert_int_equal(check("fuyo.pension_no", "1234567890", out), MNV_OK);
    assert_string_equal(out, "1234-567890");
    /* no My Number may hide in a text fact */
    assert_int_equal(check("shaho.note", "123456789018", out), MNV_ERR_FIELD_NUMBER);
    assert_int_equal(
        check("shaho.note",
              "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよら",
              out),
        MNV_ERR_FIELD_LONG);
    assert_int_equal(check("shaho.note", "", out), MNV_OK); /* clearing is always allowed */
}

static void test_insurance__set_get(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct person_ref ref = {PERSON_EMPLOYEE, emp1};
    struct insurance_change ch[] = {{"shaho.acquired_on", "2025-04-01"},
                                    {"shaho.pay_cash", "280000"},
                                    {"shaho.pay_kind", "0"},
                                    {"koyo.occupation", "事務的職業"}};
    size_t changed = 0;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(insurance_set(s, &ref, ch, 4, &changed, &d), MNV_OK);
    assert_int_equal(changed, 4);
    /* the same again changes nothing and writes nothing */
    assert_int_equal(insurance_set(s, &ref, ch, 4, &changed, &d), MNV_OK);
    assert_int_equal(changed, 0);
    struct insurance_facts f;
    assert_int_equal(insurance_get(s, &ref, &f, &d), MNV_OK);
    assert_string_equal(insurance_value(&f, "shaho.pay_cash"), "280000");
    assert_string_equal(insurance_value(&f, "koyo.occupation"), "clerical");
    assert_string_equal(insurance_value(&f, "shaho.lost_on"), "");
    assert_int_equal(f.info.version, 1);
    insurance_facts_free(&f);
    /* the audit entry names the facts, never a value */
    struct audit_entry e = svc_last(s);
    assert_string_equal(e.action, "insurance.update");
    assert_non_null(strstr(e.detail, "shaho.pay_cash"));
    assert_null(strstr(e.detail, "280000"));
    session_logout(s);
}

static void test_insurance__refusals(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct person_ref emp = {PERSON_EMPLOYEE, emp2}, kid = {PERSON_DEPENDENT, child};
    size_t changed = 99;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    struct insurance_change a[] = {{"fuyo.since", "2025-04-01"}};
    assert_int_equal(insurance_set(s, &emp, a, 1, &changed, &d), MNV_ERR_INSURANCE_SCOPE);
    assert_string_equal(d.item, "fuyo.since");
    struct insurance_change b[] = {{"fuyo.category3", "1"}}; /* spouses only */
    assert_int_equal(insurance_set(s, &kid, b, 1, &changed, &d), MNV_ERR_INSURANCE_SCOPE);
    struct insurance_change c[] = {{"shaho.acquired_on", "2025-04-01"},
                                   {"shaho.lost_on", "2025-04-01"}};
    assert_int_equal(insurance_set(s, &emp, c, 2, &changed, &d), MNV_ERR_INSURANCE_ORDER);
    assert_string_equal(d.item, "shaho.lost_on");
    struct insurance_change e[] = {{"no.such", "1"}};
    assert_int_equal(insurance_set(s, &emp, e, 1, &changed, &d), MNV_ERR_INSURANCE_KEY);
    struct insurance_facts f;
    assert_int_equal(insurance_get(s, &emp, &f, &d), MNV_OK);
    assert_int_equal(f.n, 0); /* nothing of the refused changes was stored */
    insurance_facts_free(&f);
    session_logout(s);
    /* the auditor reads no insurance facts; the administrator changes none */
    s = svc_login("aud");
    assert_int_equal(insurance_get(s, &emp, &f, &d), MNV_ERR_DENIED);
    session_logout(s);
    s = svc_login("admin");
    assert_int_equal(insurance_set(s, &emp, c, 1, &changed, &d), MNV_ERR_DENIED);
    session_logout(s);
}

static enum mnv_err import(struct session *s, const char *text, struct insurance_report *rep)
{
    struct mnv_diag d;
    mnv_diag_clear(&d);
    return insurance_import_text(s, text, strlen(text), 0, rep, &d);
}

static void test_insurance__import(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct insurance_report rep;
    const char good[] = "社員番号,氏名,扶養親族氏名,扶養親族生年月日,健保厚年資格取得年月日,"
                        "報酬月額通貨,被扶養者になった日,被扶養者になった理由,第3号被保険者\r\n"
                        "E002,試験　次郎,,,R7.4.1,\"300,000\",,,\r\n"
                        "E001,,見本 花子,1982-05-06,,,2025-04-01,婚姻,はい\r\n";
    assert_int_equal(import(s, good, &rep), MNV_OK);
    assert_int_equal(rep.rows, 2);
    assert_int_equal(rep.employees, 1);
    assert_int_equal(rep.dependants, 1);
    insurance_report_free(&rep);
    struct insurance_facts f;
    struct person_ref sp = {PERSON_DEPENDENT, spouse};
    assert_int_equal(insurance_get(s, &sp, &f, NULL), MNV_OK);
    assert_string_equal(insurance_value(&f, "fuyo.reason"), "marriage");
    assert_string_equal(insurance_value(&f, "fuyo.category3"), "1");
    insurance_facts_free(&f);

    /* one bad row among good ones: nothing at all is stored, every problem named */
    const char bad[] = "employee_code,shaho_pay_cash,dependent_name,dependent_birth_date,"
                       "fuyo_category3\r\n"
                       "E002,400000,,,\r\n"
                       "E999,1,,,\r\n"
                       "E001,lots,,,\r\n"
                       "E001,,見本 一郎,2015-07-08,1\r\n"
                       "E001,,誰か,2015-07-08,\r\n"
                       "E002,5,,,\r\n";
    assert_int_equal(import(s, bad, &rep), MNV_ERR_IMPORT_REFUSED);
    assert_int_equal(rep.problems_total, 5);
    assert_int_equal(rep.problems[0].line, 3);
    assert_int_equal(rep.problems[0].err, MNV_ERR_INSURANCE_NO_EMPLOYEE);
    assert_int_equal(rep.problems[1].err, MNV_ERR_INSURANCE_AMOUNT);
    assert_int_equal(rep.problems[1].column, 2);
    assert_int_equal(rep.problems[2].err, MNV_ERR_INSURANCE_SCOPE);
    assert_int_equal(rep.problems[3].err, MNV_ERR_INSURANCE_DEP_NOT_FOUND);
    assert_int_equal(rep.problems[4].err, MNV_ERR_INSURANCE_TWICE);
    insurance_report_free(&rep);
    struct person_ref e2 = {PERSON_EMPLOYEE, emp2};
    assert_int_equal(insurance_get(s, &e2, &f, NULL), MNV_OK);
    assert_string_equal(insurance_value(&f, "shaho.pay_cash"), "300000"); /* unchanged */
    insurance_facts_free(&f);

    /* an unknown column refuses the file before any row */
    assert_int_equal(import(s, "employee_code,salary\r\nE001,1\r\n", &rep),
                     MNV_ERR_INSURANCE_COLUMN);
    insurance_report_free(&rep);
    /* "-" clears a fact */
    assert_int_equal(import(s, "employee_code,shaho_pay_cash\r\nE002,-\r\n", &rep), MNV_OK);
    insurance_report_free(&rep);
    assert_int_equal(insurance_get(s, &e2, &f, NULL), MNV_OK);
    assert_string_equal(insurance_value(&f, "shaho.pay_cash"), "");
    insurance_facts_free(&f);
    session_logout(s);
}

/* A sealed row moved to another person does not open: the ciphertext is bound to its
 * person (as an intruder with the database key would try). */
static void test_insurance__sealed_to_person(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct person_ref a = {PERSON_EMPLOYEE, emp1}, b = {PERSON_EMPLOYEE, emp2};
    struct insurance_facts f;
    struct vault *v = session_vault(s);
    assert_int_equal(vault_begin(v, NULL), MNV_OK);
    assert_int_equal(sqlite3_exec(vault_db(v),
                                  "DELETE FROM insurance WHERE employee_id = 2;"
                                  "UPDATE insurance SET employee_id = 2 WHERE employee_id = 1",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(vault_commit(v, NULL), MNV_OK);
    assert_int_equal(insurance_get(s, &b, &f, NULL), MNV_ERR_SEAL_BROKEN);
    assert_int_equal(insurance_get(s, &a, &f, NULL), MNV_OK);
    assert_int_equal(f.n, 0);
    insurance_facts_free(&f);
    long checked = 0;
    assert_int_equal(vault_begin_read(v, NULL), MNV_OK);
    assert_int_equal(insurancedb_check_all(v, &checked, NULL), MNV_ERR_SEAL_BROKEN);
    vault_rollback(v);
    /* put it right for the tests after this one */
    assert_int_equal(vault_begin(v, NULL), MNV_OK);
    assert_int_equal(
        sqlite3_exec(vault_db(v), "DELETE FROM insurance WHERE employee_id = 2", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(vault_commit(v, NULL), MNV_OK);
    session_logout(s);
}

struct seen {
    struct retention_event ev[8];
    size_t n;
};

static enum mnv_err collect(void *ud, const struct retention_event *ev)
{
    struct seen *s = ud;
    if (s->n < 8)
        s->ev[s->n++] = *ev;
    return MNV_OK;
}

/* The facts give retention its ending events: 資格喪失 (and with it the dependants'
 * 被扶養者 status), 雇用保険 離職 (the loss is the next day), a dependant leaving 扶養. */
static void test_insurance__retention_events(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct person_ref e1 = {PERSON_EMPLOYEE, emp1}, kid = {PERSON_DEPENDENT, child};
    size_t changed;
    struct insurance_change a[] = {{"shaho.acquired_on", "2025-04-01"},
                                   {"shaho.lost_on", "2026-04-01"},
                                   {"koyo.acquired_on", "2025-04-01"},
                                   {"koyo.left_on", "2026-03-31"}};
    struct insurance_change b[] = {{"fuyo.since", "2025-04-01"}, {"fuyo.until", "2025-10-01"}};
    assert_int_equal(insurance_set(s, &e1, a, 4, &changed, NULL), MNV_OK);
    assert_int_equal(insurance_set(s, &kid, b, 2, &changed, NULL), MNV_OK);
    struct seen seen = {.n = 0};
    struct vault *v = session_vault(s);
    assert_int_equal(vault_begin_read(v, NULL), MNV_OK);
    assert_int_equal(insurance_retention_scan(v, emp1, collect, &seen, NULL), MNV_OK);
    vault_rollback(v);
    int32_t lost, left, until;
    assert_int_equal(caldate_parse("2026-04-01", &lost), 0);
    assert_int_equal(caldate_parse("2026-04-01", &left), 0); /* the day after 2026-03-31 */
    assert_int_equal(caldate_parse("2025-10-01", &until), 0);
    int emp_loss = 0, emp_koyo = 0, kid_loss = 0, kid_own = 0;
    for (size_t i = 0; i < seen.n; i++) {
        const struct retention_event *ev = &seen.ev[i];
        if (ev->person.kind == PERSON_EMPLOYEE && ev->kind == REV_HEALTH_PENSION_LOSS)
            emp_loss += ev->day == lost;
        if (ev->person.kind == PERSON_EMPLOYEE && ev->kind == REV_EMPLOYMENT_INSURANCE_LOSS)
            emp_koyo += ev->day == left;
        if (ev->person.kind == PERSON_DEPENDENT && ev->person.id == child)
            kid_loss += ev->day == lost, kid_own += ev->day == until;
    }
    assert_int_equal(emp_loss, 1);
    assert_int_equal(emp_koyo, 1);
    assert_int_equal(kid_loss, 1); /* with the employee's loss */
    assert_int_equal(kid_own, 1);  /* and its own end of 扶養 */
    /* another household gives none of these */
    seen.n = 0;
    assert_int_equal(vault_begin_read(v, NULL), MNV_OK);
    assert_int_equal(insurance_retention_scan(v, emp2, collect, &seen, NULL), MNV_OK);
    vault_rollback(v);
    assert_int_equal(seen.n, 0);
    /* clear them again for the tests after this one */
    struct insurance_change c[] = {{"shaho.lost_on", ""}, {"koyo.left_on", ""}};
    assert_int_equal(insurance_set(s, &e1, c, 2, &changed, NULL), MNV_OK);
    session_logout(s);
}

static void test_insurance__deadlines(void **state)
{
    (void)state;
    const struct insurance_filing *f;
    int32_t d;
    char out[CALDATE_ISO_SIZE];
    for (size_t i = 0; (f = insurance_filing_at(i)) != NULL; i++) {
        assert_int_equal(caldate_parse("2025-12-20", &d), 0);
        caldate_format(insurance_deadline(f, d), out);
        if (!strcmp(f->form, "koyo_shutoku")) /* the 10th of the next month, over a year end */
            assert_string_equal(out, "2026-01-10");
        else if (!strcmp(f->form, "koyo_soshitsu")) /* 10 days from the day after */
            assert_string_equal(out, "2025-12-30");
        else /* 5 days */
            assert_string_equal(out, "2025-12-25");
    }
}

static void test_insurance__due(void **state)
{
    (void)state;
    setenv("MNVAULT_TEST_NOW", "2026-11-27T01:42:00", 1);
    struct session *s = svc_login("clerk");
    struct person_ref ref = {PERSON_EMPLOYEE, emp2};
    struct insurance_change ch[] = {{"shaho.acquired_on", "2026-11-20"},
                                    {"koyo.acquired_on", "2026-11-20"}};
    size_t changed = 0, n = 0;
    struct insurance_due *items = NULL;
    assert_int_equal(insurance_set(s, &ref, ch, 2, &changed, NULL), MNV_OK);
    assert_int_equal(insurance_due_list(s, emp2, 0, &items, &n, NULL), MNV_OK);
    /* the 資格取得届 is overdue (by 11-25), 雇用保険's due by 12-10 */
    assert_int_equal(n, 2);
    assert_string_equal(items[0].filing->form, "shfd2200700");
    assert_string_equal(items[0].deadline, "2026-11-25");
    assert_true(items[0].overdue);
    assert_string_equal(items[1].filing->form, "koyo_shutoku");
    assert_false(items[1].overdue);
    assert_string_equal(items[1].code, "E002");
    free(items);
    /* E001's acquisition of 2025-04-01 is history: only in the list of everything */
    assert_int_equal(insurance_due_list(s, emp1, 0, &items, &n, NULL), MNV_OK);
    assert_int_equal(n, 0);
    free(items);
    assert_int_equal(insurance_due_list(s, emp1, 1, &items, &n, NULL), MNV_OK);
    assert_true(n >= 1);
    assert_string_equal(items[0].event_on, "2025-04-01");
    assert_false(items[0].filed);
    free(items);
    long due = 0, overdue = 0;
    assert_int_equal(insurance_due_counts(s, &due, &overdue, NULL), MNV_OK);
    assert_true(due >= 2);
    assert_true(overdue >= 1);
    session_logout(s);
    s = svc_login("admin"); /* administrators see no person's facts */
    assert_int_equal(insurance_due_list(s, 0, 0, &items, &n, NULL), MNV_ERR_DENIED);
    session_logout(s);
    unsetenv("MNVAULT_TEST_NOW");
}

static void test_insurance__rotation_and_deletion(void **state)
{
    (void)state;
    struct session *s = svc_login("sup");
    struct person_ref sp = {PERSON_DEPENDENT, spouse};
    long rewrapped = 0;
    assert_int_equal(people_rotate_epoch(s, &rewrapped, NULL), MNV_OK);
    struct insurance_facts f;
    assert_int_equal(insurance_get(s, &sp, &f, NULL), MNV_OK);
    assert_string_equal(insurance_value(&f, "fuyo.reason"), "marriage");
    insurance_facts_free(&f);
    /* the facts go with the person */
    assert_int_equal(people_dependent_delete(s, spouse, NULL), MNV_OK);
    assert_int_equal(insurance_get(s, &sp, &f, NULL), MNV_ERR_PERSON_NOT_FOUND);
    struct vault *v = session_vault(s);
    assert_int_equal(vault_begin_read(v, NULL), MNV_OK);
    char *text = NULL;
    size_t len;
    assert_int_equal(insurancedb_get(v, &sp, &text, &len, NULL, NULL), MNV_ERR_NOT_FOUND);
    vault_rollback(v);
    session_logout(s);
}
