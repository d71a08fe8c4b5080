/*
 * Unit tests for employees, dependents and numbers through the services: validation,
 * audit details, duplicates, purposes and their limitation, reveal, the compact list,
 * statistics, the bulk path and epoch rotation.
 */
#include "mnvault/numberdb.h"
#include "mnvault/people.h"
#include "mnvault/reveal.h"
#include "mnvault/vault.h"
#include <sqlite3.h>
#include "svcfix.h"

static int setup(void **state)
{
    (void)state;
    return svc_make();
}

static int teardown(void **state)
{
    (void)state;
    return svc_drop();
}

static void sample(struct employee *e, const char *code)
{
    memset(e, 0, sizeof(*e));
    snprintf(e->code, sizeof(e->code), "%s", code);
    snprintf(e->name, sizeof(e->name), "佐藤 一郎");
    snprintf(e->kana, sizeof(e->kana), "サトウ イチロウ");
    snprintf(e->birth_date, sizeof(e->birth_date), "1975-07-07");
    e->sex = SEX_MALE;
    snprintf(e->postal_code, sizeof(e->postal_code), "１００－０００１");
    snprintf(e->hire_date, sizeof(e->hire_date), "2000-04-01");
    snprintf(e->emp_ins_no, sizeof(e->emp_ins_no), "12345678901");
    snprintf(e->pension_no, sizeof(e->pension_no), "1234-567890");
}

static struct mynumber num(const char *digits)
{
    struct mynumber n;
    assert_int_equal(mynumber_parse(&n, MYNUMBER_INDIVIDUAL, digits, strlen(digits), NULL), MNV_OK);
    return n;
}

static const struct purpose_notice withholding = {"tax_withholding", "2026-04-01"};

/* An employee with a number (for tax_withholding) added by the clerk; returns its ref. */
static struct person_ref with_number(struct session *s, const char *code, const char *digits)
{
    struct employee e;
    sample(&e, code);
    assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
    struct person_ref ref = {PERSON_EMPLOYEE, e.id};
    struct mynumber n = num(digits);
    assert_int_equal(people_number_store(s, &ref, &n, &withholding, 1, NULL), MNV_OK);
    mynumber_clear(&n);
    return ref;
}

static void test_people__employee_add_validates_and_normalises(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct employee e;
    struct mnv_diag d;
    sample(&e, "E1");
    snprintf(e.kana, sizeof(e.kana), "さとう");
    mnv_diag_clear(&d);
    assert_int_equal(people_employee_add(s, &e, &d), MNV_ERR_FIELD_KANA);
    assert_string_equal(d.item, "kana");
    sample(&e, "E1");
    snprintf(e.birth_date, sizeof(e.birth_date), "2027-01-01");
    mnv_diag_clear(&d);
    assert_int_equal(people_employee_add(s, &e, &d), MNV_ERR_FIELD_FUTURE);
    sample(&e, "E1");
    snprintf(e.retire_date, sizeof(e.retire_date), "1999-03-31");
    assert_int_equal(people_employee_add(s, &e, &d), MNV_ERR_FIELD_DATE_ORDER);
    sample(&e, "E1");
    assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
    struct employee back;
    assert_int_equal(people_employee_get(s, e.id, &back, NULL), MNV_OK);
    assert_string_equal(back.postal_code, "100-0001");
    assert_string_equal(back.emp_ins_no, "1234-567890-1");
    assert_string_equal(back.pension_no, "1234-567890");
    assert_int_equal(people_employee_add(s, &e, &d), MNV_ERR_CODE_TAKEN);
    struct audit_entry a = svc_last(s);
    assert_string_equal(a.action, "person.add");
    session_logout(s);
}

static void test_people__update_reports_fields(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct employee e;
    sample(&e, "E2");
    assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
    unsigned changed;
    assert_int_equal(people_employee_update(s, &e, &changed, NULL), MNV_OK);
    assert_int_equal(changed, 0);
    snprintf(e.address, sizeof(e.address), "大阪府大阪市1-2-3");
    snprintf(e.retire_date, sizeof(e.retire_date), "2026-11-30");
    assert_int_equal(people_employee_update(s, &e, &changed, NULL), MNV_OK);
    assert_int_equal(changed, EMP_ADDRESS | EMP_RETIRE_DATE);
    struct audit_entry a = svc_last(s);
    assert_string_equal(a.action, "person.update");
    assert_string_equal(a.detail, "fields=address,retire_date");
    assert_null(strstr(a.detail, "大阪"));
    session_logout(s);
}

static void test_people__dependents(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct employee e;
    sample(&e, "E3");
    assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
    struct dependent d = {0};
    d.employee_id = e.id;
    snprintf(d.name, sizeof(d.name), "佐藤 花子");
    snprintf(d.kana, sizeof(d.kana), "サトウ ハナコ");
    snprintf(d.birth_date, sizeof(d.birth_date), "1978-02-03");
    d.sex = SEX_FEMALE;
    assert_int_equal(people_dependent_add(s, &d, NULL), MNV_ERR_FIELD_CHOICE);
    d.relation = REL_SPOUSE;
    assert_int_equal(people_dependent_add(s, &d, NULL), MNV_OK);
    struct person_ref ref = {PERSON_DEPENDENT, d.id};
    struct mynumber n = num("621498320257");
    assert_int_equal(people_number_store(s, &ref, &n, &withholding, 1, NULL), MNV_OK);
    unsigned changed;
    d.relation = REL_OTHER;
    assert_int_equal(people_dependent_update(s, &d, &changed, NULL), MNV_OK);
    assert_int_equal(changed, DEP_RELATION);
    struct dependent *list;
    size_t count;
    assert_int_equal(people_dependents_of(s, e.id, &list, &count, NULL), MNV_OK);
    assert_int_equal(count, 1);
    free(list);
    struct person_list pl;
    assert_int_equal(people_list(s, &pl, NULL), MNV_OK);
    assert_int_equal(pl.count, 1);
    assert_int_equal(pl.rows[0].dependents, 1);
    person_list_free(&pl);
    /* Deleting the employee takes the dependent and its number with it. */
    assert_int_equal(people_employee_delete(s, e.id, NULL), MNV_OK);
    struct number_info info;
    assert_int_equal(people_number_info(s, &ref, &info, NULL), MNV_OK);
    assert_int_equal(info.status, NUMBER_MISSING);
    assert_int_equal(people_dependent_get(s, d.id, &d, NULL), MNV_ERR_PERSON_NOT_FOUND);
    session_logout(s);
}

/* The list as one query with a subquery per row (the store's list before it read each
 * table once): the oracle the compact list must agree with. */
static const char oracle_sql[] =
    "SELECT e.id, e.code, e.name, e.kana, e.hire_date, e.retire_date IS NOT NULL,"
    " coalesce(n.status, ''),"
    " coalesce((SELECT group_concat(purpose, ',') FROM number_purposes p"
    "           WHERE p.number_id = n.id), ''),"
    " (SELECT count(*) FROM dependents d WHERE d.employee_id = e.id),"
    " n.status = 'registered' AND EXISTS (SELECT 1 FROM collections c"
    "   WHERE c.number_id = n.id AND c.number_version = n.version)"
    " FROM employees e LEFT JOIN numbers n ON n.employee_id = e.id"
    " ORDER BY e.code";

/* people_list_each's rows, each checked against the whole list's row of the same id. */
struct names_seen {
    const struct person_list *all;
    size_t n;
    int64_t ids[16];
};

static enum mnv_err check_name_row(void *ud, const struct person_row *r)
{
    struct names_seen *seen = ud;
    const struct person_row *l = NULL;
    for (size_t k = 0; k < seen->all->count; k++)
        if (seen->all->rows[k].id == r->id)
            l = &seen->all->rows[k];
    assert_non_null(l);
    assert_string_equal(r->code, l->code);
    assert_string_equal(r->name, l->name);
    assert_string_equal(r->kana, l->kana);
    assert_string_equal(r->hire_date, l->hire_date);
    assert_int_equal(r->retired, l->retired);
    assert_string_equal(r->purposes, "");
    assert_true(seen->n < 16);
    seen->ids[seen->n++] = r->id;
    return MNV_OK;
}

static void test_people__list_agrees_with_one_query(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    /* Codes added out of order; numbers, two purposes, a refusal, dependants, retirement. */
    static const char *const codes[] = {"C30", "A10", "B20", "A05", "Z99", "M50"};
    static const char *const digits[] = {"621498320257", NULL, "123456789018", NULL, NULL, NULL};
    int64_t ids[6];
    for (int i = 0; i < 6; i++) {
        struct employee e;
        sample(&e, codes[i]);
        if (i == 4)
            snprintf(e.retire_date, sizeof(e.retire_date), "2024-03-31");
        assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
        ids[i] = e.id;
        struct person_ref ref = {PERSON_EMPLOYEE, e.id};
        if (digits[i]) {
            struct mynumber n = num(digits[i]);
            assert_int_equal(people_number_store(s, &ref, &n, &withholding, 1, NULL), MNV_OK);
            mynumber_clear(&n);
        }
        if (i == 3)
            assert_int_equal(people_number_refused(s, &ref, "2026-04-01", "本人が提供を拒否", NULL),
                             MNV_OK);
        for (int k = 0; k < (i == 1 ? 3 : i == 2 ? 1 : 0); k++) {
            struct dependent d = {0};
            d.employee_id = e.id;
            snprintf(d.name, sizeof(d.name), "佐藤 子%d", k);
            snprintf(d.kana, sizeof(d.kana), "サトウ コ");
            memcpy(d.birth_date, "2010-02-01", sizeof("2010-02-01")); /* no %d: gcc 14 warns */
            d.birth_date[9] = (char)('1' + k);
            d.sex = SEX_FEMALE;
            d.relation = REL_CHILD;
            assert_int_equal(people_dependent_add(s, &d, NULL), MNV_OK);
        }
    }
    assert_int_equal(purpose_notify(s, &(struct person_ref){PERSON_EMPLOYEE, ids[0]},
                                    "social_insurance", "2026-04-02", NULL),
                     MNV_OK);
    /* Identity checks recorded for the numbers of C30 (this version) and B20 (an old one). */
    struct vault *v = session_vault(s);
    assert_int_equal(vault_begin(v, NULL), MNV_OK);
    char sql[600];
    snprintf(sql, sizeof(sql),
             "INSERT INTO collections(employee_id, number_id, number_version, route, channel,"
             " verified_by, verified_on, recorded_at, recorded_by)"
             " SELECT employee_id, id, version - (employee_id = %lld), 'card', 'in_person',"
             " 'clerk', '2026-04-01', 0, 'clerk' FROM numbers WHERE employee_id IN (%lld, %lld)",
             (long long)ids[2], (long long)ids[0], (long long)ids[2]);
    assert_int_equal(sqlite3_exec(vault_db(v), sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(vault_commit(v, NULL), MNV_OK);

    struct person_list l;
    assert_int_equal(people_list(s, &l, NULL), MNV_OK);
    sqlite3_stmt *st;
    assert_int_equal(vault_begin_read(v, NULL), MNV_OK);
    assert_int_equal(sqlite3_prepare_v2(vault_db(v), oracle_sql, -1, &st, NULL), SQLITE_OK);
    size_t i = 0;
    int verified = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        assert_true(i < l.count);
        const struct person_row *r = &l.rows[i++];
        assert_int_equal(r->id, sqlite3_column_int64(st, 0));
        assert_string_equal(r->code, (const char *)sqlite3_column_text(st, 1));
        assert_string_equal(r->name, (const char *)sqlite3_column_text(st, 2));
        assert_string_equal(r->kana, (const char *)sqlite3_column_text(st, 3));
        assert_string_equal(r->hire_date, (const char *)sqlite3_column_text(st, 4));
        assert_int_equal(r->retired, sqlite3_column_int(st, 5));
        assert_int_equal(r->status,
                         person_number_status_parse((const char *)sqlite3_column_text(st, 6)));
        assert_string_equal(r->purposes, (const char *)sqlite3_column_text(st, 7));
        assert_int_equal(r->dependents, sqlite3_column_int(st, 8));
        assert_int_equal(r->verified, sqlite3_column_int(st, 9));
        verified += r->verified;
    }
    sqlite3_finalize(st);
    vault_rollback(v);
    assert_int_equal(i, l.count);
    assert_int_equal(l.count, 6);
    assert_string_equal(l.rows[0].code, "A05");
    assert_int_equal(verified, 1);
    /* The first screen: the first current employees, the same rows. */
    struct person_list f;
    assert_int_equal(people_list_first(s, 4, &f, NULL), MNV_OK);
    assert_int_equal(f.count, 4);
    for (size_t k = 0, j = 0; k < f.count; k++, j++) {
        while (l.rows[j].retired)
            j++;
        assert_int_equal(f.rows[k].id, l.rows[j].id);
        assert_string_equal(f.rows[k].code, l.rows[j].code);
        assert_string_equal(f.rows[k].kana, l.rows[j].kana);
        assert_string_equal(f.rows[k].purposes, l.rows[j].purposes);
        assert_int_equal(f.rows[k].status, l.rows[j].status);
        assert_int_equal(f.rows[k].dependents, l.rows[j].dependents);
        assert_int_equal(f.rows[k].verified, l.rows[j].verified);
    }
    person_list_free(&f);
    /* The names alone, one at a time in code order, and what the list shows beside them row
     * by row: the same values. */
    struct names_seen seen = {&l, 0, {0}};
    assert_int_equal(people_list_each(s, check_name_row, &seen, NULL), MNV_OK);
    assert_int_equal(seen.n, l.count);
    for (size_t k = 0; k < seen.n; k++) /* in code order, as the whole list */
        assert_int_equal(seen.ids[k], l.rows[k].id);
    int64_t want[6];
    struct person_detail det[6];
    for (size_t k = 0; k < l.count; k++)
        want[k] = l.rows[k].id;
    assert_int_equal(people_row_details(s, want, l.count, det, NULL), MNV_OK);
    int with_purposes = 0;
    for (size_t k = 0; k < l.count; k++) {
        assert_int_equal(det[k].status, l.rows[k].status);
        assert_string_equal(det[k].purposes, l.rows[k].purposes);
        assert_int_equal(det[k].dependents, l.rows[k].dependents);
        assert_int_equal(det[k].verified, l.rows[k].verified);
        with_purposes += strchr(det[k].purposes, ',') != NULL;
    }
    assert_int_equal(with_purposes, 1);
    person_list_free(&l);
    session_logout(s);
}

static void test_people__store_refuses_duplicates_without_saying_whose(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct person_ref a = with_number(s, "A1", "123456789018");
    struct employee e;
    sample(&e, "A2");
    assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
    struct person_ref b = {PERSON_EMPLOYEE, e.id};
    struct mynumber n = num("1234-5678-9018");
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(people_number_store(s, &b, &n, &withholding, 1, &d), MNV_ERR_NUMBER_DUPLICATE);
    assert_string_equal(d.item, "");
    assert_null(strstr(d.detail, "A1"));
    struct audit_entry last = svc_last(s);
    assert_string_equal(last.action, "number.store");
    assert_string_equal(last.result, "refused");
    assert_int_equal(people_number_store(s, &a, &n, &withholding, 1, NULL), MNV_ERR_EXISTS);
    assert_int_equal(people_number_store(s, &b, &n, NULL, 0, NULL), MNV_ERR_PURPOSE_NEEDED);
    struct purpose_notice bad = {"marketing", "2026-04-01"};
    mnv_diag_clear(&d);
    assert_int_equal(people_number_store(s, &b, &n, &bad, 1, &d), MNV_ERR_PURPOSE_UNKNOWN);
    assert_string_equal(d.item, "marketing");
    mynumber_clear(&n);
    session_logout(s);
}

static void test_people__reveal_needs_notified_purpose_and_reason(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct person_ref ref = with_number(s, "R1", "123456789018");
    struct mynumber out;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(reveal_number(s, &ref, "social_insurance", "資格取得届", &out, &d),
                     MNV_ERR_PURPOSE_NOT_NOTIFIED);
    assert_string_equal(d.item, "social_insurance");
    assert_int_equal(out.len, 0);
    struct audit_entry last = svc_last(s);
    assert_string_equal(last.action, "reveal");
    assert_string_equal(last.result, "refused");
    assert_non_null(strstr(last.detail, "social_insurance"));
    assert_int_equal(reveal_number(s, &ref, "tax_withholding", "  ", &out, NULL),
                     MNV_ERR_REASON_NEEDED);
    assert_int_equal(
        reveal_number(s, &ref, "tax_withholding", "番号 1234 5678 9018 の確認", &out, NULL),
        MNV_ERR_REASON_NUMBER);
    /* Every separator the parser accepts: long-vowel marks, tabs, dashes (issue 10). */
    static const char *const hidden[] = {"1234ー5678ー9018", "1234\t5678\t9018", "1234―5678―9018",
                                         "ｰ1234ｰ5678ｰ9018ｰ", "1234\n5678 9018"};
    for (size_t i = 0; i < MNV_ARRAY_LEN(hidden); i++)
        assert_int_equal(reveal_number(s, &ref, "tax_withholding", hidden[i], &out, NULL),
                         MNV_ERR_REASON_NUMBER);
    assert_int_equal(out.len, 0);
    assert_int_equal(reveal_number(s, &ref, "tax_withholding", "年末調整の確認", &out, NULL),
                     MNV_OK);
    assert_string_equal(out.digits, "123456789018");
    mynumber_clear(&out);
    last = svc_last(s);
    assert_string_equal(last.action, "reveal");
    assert_string_equal(last.result, "ok");
    assert_string_equal(last.detail, "purpose=tax_withholding reason=年末調整の確認");
    /* A purpose notified later is a new notification, with its date. */
    assert_int_equal(purpose_notify(s, &ref, "social_insurance", "2026-11-30", NULL), MNV_OK);
    assert_int_equal(purpose_notify(s, &ref, "social_insurance", "2026-11-30", NULL),
                     MNV_ERR_PURPOSE_NOTIFIED);
    assert_int_equal(reveal_number(s, &ref, "social_insurance", "資格取得届", &out, NULL), MNV_OK);
    mynumber_clear(&out);
    struct number_info info;
    assert_int_equal(people_number_info(s, &ref, &info, NULL), MNV_OK);
    assert_int_equal(info.n_purposes, 2);
    assert_string_equal(info.purposes[1].code, "social_insurance");
    assert_string_equal(info.purposes[1].notified_on, "2026-11-30");
    session_logout(s);
}

static int no_digits(void *ud, const struct audit_entry *e)
{
    const char *digits = ud;
    char all[1024];
    snprintf(all, sizeof(all), "%s|%s|%s|%s", e->user, e->action, e->subject, e->detail);
    if (strstr(all, digits) || strstr(all, "9018"))
        fail_msg("entry %llu holds a number", (unsigned long long)e->seq);
    return 0;
}

static void test_people__audit_never_holds_a_number(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct person_ref ref = with_number(s, "Z1", "123456789018");
    struct mynumber out;
    assert_int_equal(reveal_number(s, &ref, "tax_withholding", "確認", &out, NULL), MNV_OK);
    mynumber_clear(&out);
    session_logout(s);
    s = svc_login("aud");
    assert_int_equal(auditor_each(s, 1, no_digits, "123456789018", NULL), MNV_OK);
    assert_int_equal(reveal_number(s, &ref, "tax_withholding", "確認", &out, NULL), MNV_ERR_DENIED);
    session_logout(s);
}

static void test_people__refused_and_stats(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    with_number(s, "S1", "123456789018");
    struct employee e;
    sample(&e, "S2");
    assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
    struct person_ref ref = {PERSON_EMPLOYEE, e.id};
    assert_int_equal(people_number_refused(s, &ref, "2026-10-01", "declined when asked", NULL),
                     MNV_OK);
    sample(&e, "S3");
    snprintf(e.retire_date, sizeof(e.retire_date), "2026-03-31");
    assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
    struct people_stats st;
    assert_int_equal(people_stats(s, &st, NULL), MNV_OK);
    assert_int_equal(st.counts.employees_current, 2);
    assert_int_equal(st.counts.employees_retired, 1);
    assert_int_equal(st.counts.numbers_registered, 1);
    assert_int_equal(st.counts.numbers_refused, 1);
    assert_int_equal(st.counts.numbers_missing, 1);
    assert_int_equal(st.counts.retired_holding, 0);
    struct person_ref retiree = with_number(s, "S4", "987654321093");
    struct employee r;
    assert_int_equal(people_employee_get(s, retiree.id, &r, NULL), MNV_OK);
    snprintf(r.retire_date, sizeof(r.retire_date), "2026-03-31");
    unsigned changed;
    assert_int_equal(people_employee_update(s, &r, &changed, NULL), MNV_OK);
    assert_int_equal(people_stats(s, &st, NULL), MNV_OK);
    assert_int_equal(st.counts.retired_holding, 1);
    assert_int_equal(people_employee_delete(s, retiree.id, NULL), MNV_OK);
    struct person_list l;
    assert_int_equal(people_list(s, &l, NULL), MNV_OK);
    assert_int_equal(l.count, 3);
    assert_string_equal(l.rows[0].code, "S1");
    assert_int_equal(l.rows[0].status, NUMBER_REGISTERED);
    assert_string_equal(l.rows[0].purposes, "tax_withholding");
    assert_int_equal(l.rows[1].status, NUMBER_REFUSED);
    assert_int_equal(l.rows[2].retired, 1);
    assert_int_equal(l.rows[2].status, NUMBER_MISSING);
    person_list_free(&l);
    /* Refused, then given after all: stored; registered cannot be marked refused. */
    struct mynumber n = num("621498320257");
    assert_int_equal(people_number_store(s, &ref, &n, &withholding, 1, NULL), MNV_OK);
    assert_int_equal(people_number_refused(s, &ref, "2026-10-02", "again", NULL),
                     MNV_ERR_REFUSAL_HAS_NUMBER);
    session_logout(s);
    s = svc_login("admin");
    assert_int_equal(people_stats(s, &st, NULL), MNV_OK); /* every role */
    assert_int_equal(people_list(s, &l, NULL), MNV_ERR_DENIED);
    session_logout(s);
}

/* The connection's page cache size in KiB (PRAGMA cache_size is negative in KiB). */
static long cache_kib(struct session *s)
{
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(vault_db(session_vault(s)), "PRAGMA cache_size", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long kib = -(long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return kib;
}

static void test_people__bulk_insert(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    long configured = cache_kib(s);
    assert_int_equal(people_bulk_begin(s, NULL), MNV_OK);
    /* A bulk insert has a cache of its own (VAULT_SCAN_CACHE_MAX_MIB at most), until its end. */
    assert_true(cache_kib(s) >= 64 * 1024 && cache_kib(s) >= configured);
    assert_true(cache_kib(s) <= VAULT_SCAN_CACHE_MAX_MIB * 1024L);
    assert_int_equal(people_bulk_begin(s, NULL), MNV_ERR_INVALID);
    for (int i = 0; i < 200; i++) {
        struct employee e;
        char code[16], d[13];
        snprintf(code, sizeof(code), "B%04d", i);
        sample(&e, code);
        snprintf(d, 12, "%011d", 20000000 + i * 37);
        snprintf(d + 11, 2, "%d", numtext_check_digit_individual(d));
        struct mynumber n = num(d);
        assert_int_equal(people_bulk_add(s, &e, i % 2 ? &n : NULL, &withholding, 1, NULL), MNV_OK);
    }
    assert_int_equal(people_bulk_commit(s, NULL), MNV_OK);
    assert_int_equal(cache_kib(s), configured);
    struct audit_entry last = svc_last(s);
    assert_string_equal(last.action, "bulk.insert");
    assert_string_equal(last.detail, "employees=200 dependents=0 numbers=100");
    /* A duplicate inside a bulk insert fails that add; the caller aborts it all. */
    assert_int_equal(people_bulk_begin(s, NULL), MNV_OK);
    struct employee e;
    sample(&e, "B9999");
    char d[13];
    snprintf(d, 12, "%011d", 20000000 + 37);
    snprintf(d + 11, 2, "%d", numtext_check_digit_individual(d));
    struct mynumber n = num(d);
    assert_int_equal(people_bulk_add(s, &e, &n, &withholding, 1, NULL), MNV_ERR_NUMBER_DUPLICATE);
    people_bulk_abort(s);
    assert_int_equal(cache_kib(s), configured);
    struct person_list l;
    assert_int_equal(people_list(s, &l, NULL), MNV_OK);
    assert_int_equal(l.count, 200);
    person_list_free(&l);
    session_logout(s);
}

static void test_people__rotation_destroys_old_wrappings(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct person_ref ref = with_number(s, "K1", "123456789018");
    struct number_info info;
    assert_int_equal(people_number_info(s, &ref, &info, NULL), MNV_OK);
    unsigned char wrapped[NUMBER_WRAPPED_LEN], key[32];
    uint32_t epoch;
    struct person_ref owner;
    struct vault *v = session_vault(s);
    assert_int_equal(numberdb_wrapped_key(v, info.id, wrapped, &epoch, &owner, NULL), MNV_OK);
    assert_int_equal(owner.kind, ref.kind);
    assert_int_equal(owner.id, ref.id);
    assert_int_equal(numberdb_unwrap_key(v, info.id, &owner, epoch, wrapped, key), MNV_OK);
    /* Bound to its person: as another person's, the same bytes do not open. */
    struct person_ref other = {PERSON_EMPLOYEE, ref.id + 1};
    assert_int_equal(numberdb_unwrap_key(v, info.id, &other, epoch, wrapped, key),
                     MNV_ERR_SEAL_BROKEN);
    session_logout(s);

    s = svc_login("sup");
    long count;
    assert_int_equal(people_rotate_epoch(s, &count, NULL), MNV_OK);
    assert_int_equal(count, 1);
    struct audit_entry last = svc_last(s);
    assert_string_equal(last.action, "epoch.rotate");
    v = session_vault(s);
    /* The copy taken before the rotation no longer opens: its epoch key is gone. */
    assert_int_equal(numberdb_unwrap_key(v, info.id, &owner, epoch, wrapped, key),
                     MNV_ERR_EPOCH_GONE);
    assert_int_equal(keyring_epoch_count(vault_keyring(v)), 1);
    struct mynumber out;
    assert_int_equal(reveal_number(s, &ref, "tax_withholding", "確認", &out, NULL), MNV_OK);
    assert_string_equal(out.digits, "123456789018");
    mynumber_clear(&out);
    struct vault_check r;
    assert_int_equal(auditor_verify_vault(s, &r, NULL), MNV_OK);
    assert_int_equal(r.numbers_checked, 1);
    session_logout(s);
}

/* A session opened before another process rotated the epoch must not wrap new data keys
 * under the destroyed epoch key: it reads the key file again when its transaction starts. */
static void test_people__store_after_rotation_elsewhere(void **state)
{
    (void)state;
    struct session *a = svc_login("clerk");
    struct person_ref first = with_number(a, "C1", "123456789018");
    struct employee e;
    sample(&e, "C2");
    assert_int_equal(people_employee_add(a, &e, NULL), MNV_OK);
    struct person_ref second = {PERSON_EMPLOYEE, e.id};
    struct session *b = svc_login("sup");
    long count;
    assert_int_equal(people_rotate_epoch(b, &count, NULL), MNV_OK);
    session_logout(b);
    /* a's first transaction since the rotation stores a number. */
    struct mynumber n = num("621498320257");
    assert_int_equal(people_number_store(a, &second, &n, &withholding, 1, NULL), MNV_OK);
    mynumber_clear(&n);
    struct number_info info;
    assert_int_equal(people_number_info(a, &second, &info, NULL), MNV_OK);
    assert_int_equal(info.key_epoch, 2);
    struct mynumber out;
    assert_int_equal(reveal_number(a, &first, "tax_withholding", "確認", &out, NULL), MNV_OK);
    mynumber_clear(&out);
    session_logout(a);
    struct session *c = svc_login("sup");
    struct vault_check r;
    assert_int_equal(auditor_verify_vault(c, &r, NULL), MNV_OK);
    assert_int_equal(r.numbers_checked, 2);
    session_logout(c);
}

/* Audit subjects are shown by employee code, a dependent by its place among the employee's
 * dependents; a deleted person is said to be gone; other subjects are not people. */
static void test_people__subject_describe(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct employee e;
    sample(&e, "E7");
    assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
    struct dependent d = {0};
    d.employee_id = e.id;
    snprintf(d.name, sizeof(d.name), "佐藤 一郎");
    snprintf(d.kana, sizeof(d.kana), "サトウ イチロウ");
    snprintf(d.birth_date, sizeof(d.birth_date), "2010-02-03");
    d.sex = SEX_MALE;
    d.relation = REL_CHILD;
    assert_int_equal(people_dependent_add(s, &d, NULL), MNV_OK);
    int64_t first = d.id;
    assert_int_equal(people_dependent_add(s, &d, NULL), MNV_OK);
    char subject[48];
    struct people_subject_label l;
    struct person_ref ref = {PERSON_EMPLOYEE, e.id};
    assert_int_equal(
        people_subject_describe(s, people_subject(subject, sizeof(subject), &ref), &l, NULL),
        MNV_OK);
    assert_string_equal(l.code, "E7");
    assert_int_equal(l.dependent_no, 0);
    ref = (struct person_ref){PERSON_DEPENDENT, d.id};
    assert_int_equal(
        people_subject_describe(s, people_subject(subject, sizeof(subject), &ref), &l, NULL),
        MNV_OK);
    assert_string_equal(l.code, "E7");
    assert_int_equal(l.dependent_no, 2);
    assert_int_equal(people_subject_describe(s, "clerk", &l, NULL), MNV_ERR_INVALID);
    assert_int_equal(people_subject_describe(s, "employee:7x", &l, NULL), MNV_ERR_INVALID);
    assert_int_equal(people_dependent_delete(s, first, NULL), MNV_OK);
    ref = (struct person_ref){PERSON_DEPENDENT, first};
    assert_int_equal(
        people_subject_describe(s, people_subject(subject, sizeof(subject), &ref), &l, NULL),
        MNV_ERR_NOT_FOUND);
    session_logout(s);
    s = svc_login("aud"); /* the auditor reads the log's subjects, not the records */
    ref = (struct person_ref){PERSON_EMPLOYEE, e.id};
    assert_int_equal(
        people_subject_describe(s, people_subject(subject, sizeof(subject), &ref), &l, NULL),
        MNV_OK);
    session_logout(s);
}

/* The newest audit entry of the clerk, read by the auditor (audit.read). */
static struct audit_entry newest_entry(void)
{
    struct session *s = svc_login("aud");
    struct audit_entry e[8];
    size_t n = 0;
    assert_int_equal(auditor_recent(s, 8, e, &n, NULL), MNV_OK);
    session_logout(s);
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].user, "clerk") == 0)
            return e[i];
    fail_msg("no entry of the clerk among the newest %zu", n);
    return e[0];
}

static void test_people__refusal_keeps_date_and_reason(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct employee e;
    struct mnv_diag d;
    sample(&e, "R1");
    assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
    struct person_ref ref = {PERSON_EMPLOYEE, e.id};
    mnv_diag_clear(&d);
    assert_int_equal(people_number_refused(s, &ref, "2026-11-20", "  　 ", &d),
                     MNV_ERR_REASON_NEEDED);
    assert_string_equal(d.item, "reason");
    assert_int_equal(people_number_refused(s, &ref, "2026-11-20", "番号は123456789018", NULL),
                     MNV_ERR_REASON_NUMBER);
    mnv_diag_clear(&d);
    assert_int_equal(people_number_refused(s, &ref, "2026-12-02", "拒否", &d),
                     MNV_ERR_FIELD_FUTURE);
    assert_string_equal(d.item, "refused_on");
    assert_int_equal(people_number_refused(s, &ref, "2026-02-30", "拒否", NULL),
                     MNV_ERR_FIELD_DATE);
    assert_int_equal(people_number_refused(s, &ref, "2026-11-20", "利用目的を説明したが拒否", NULL),
                     MNV_OK);
    struct number_info info;
    assert_int_equal(people_number_info(s, &ref, &info, NULL), MNV_OK);
    assert_int_equal(info.status, NUMBER_REFUSED);
    assert_string_equal(info.refused_on, "2026-11-20");
    assert_string_equal(info.refused_reason, "利用目的を説明したが拒否");
    /* The reason is the person's words: the audit entry has the date only. */
    struct audit_entry a = newest_entry();
    assert_string_equal(a.action, "number.refused");
    assert_string_equal(a.detail, "on=2026-11-20");
    /* Recorded again (asked again, refused again): the newer one replaces it. */
    assert_int_equal(people_number_refused(s, &ref, "2026-11-30", "再度依頼したが拒否", NULL),
                     MNV_OK);
    assert_int_equal(people_number_info(s, &ref, &info, NULL), MNV_OK);
    assert_string_equal(info.refused_on, "2026-11-30");
    assert_string_equal(info.refused_reason, "再度依頼したが拒否");
    /* Given after all: the refusal is gone with the number stored. */
    struct mynumber n = num("621498320257");
    assert_int_equal(people_number_store(s, &ref, &n, &withholding, 1, NULL), MNV_OK);
    assert_int_equal(people_number_info(s, &ref, &info, NULL), MNV_OK);
    assert_int_equal(info.status, NUMBER_REGISTERED);
    assert_string_equal(info.refused_on, "");
    assert_string_equal(info.refused_reason, "");
    /* With a number stored, a refusal is refused, and the attempt audited. */
    assert_int_equal(people_number_refused(s, &ref, "2026-11-30", "拒否", NULL),
                     MNV_ERR_REFUSAL_HAS_NUMBER);
    a = newest_entry();
    assert_string_equal(a.action, "number.refused");
    assert_string_equal(a.result, "refused");
    session_logout(s);
    s = svc_login("admin");
    assert_int_equal(people_number_refused(s, &ref, "2026-11-30", "拒否", NULL), MNV_ERR_DENIED);
    session_logout(s);
}

static void test_people__dependant_ends(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct employee e;
    struct mnv_diag d;
    sample(&e, "L1");
    assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
    struct dependent dep = {0}, other = {0};
    dep.employee_id = e.id;
    snprintf(dep.name, sizeof(dep.name), "佐藤 次郎");
    snprintf(dep.kana, sizeof(dep.kana), "サトウ ジロウ");
    snprintf(dep.birth_date, sizeof(dep.birth_date), "2004-05-06");
    dep.sex = SEX_MALE;
    dep.relation = REL_CHILD;
    assert_int_equal(people_dependent_add(s, &dep, NULL), MNV_OK);
    other = dep;
    snprintf(other.name, sizeof(other.name), "佐藤 三郎");
    assert_int_equal(people_dependent_add(s, &other, NULL), MNV_OK);
    struct people_stats st;
    assert_int_equal(people_stats(s, &st, NULL), MNV_OK);
    assert_int_equal(st.counts.dependents, 2);
    assert_int_equal(st.counts.numbers_missing, 3);
    mnv_diag_clear(&d);
    assert_int_equal(people_dependent_end(s, dep.id, "2003-01-01", &d), MNV_ERR_FIELD_LEFT_ORDER);
    assert_string_equal(d.item, "left_on");
    assert_int_equal(people_dependent_end(s, dep.id, "2026-12-24", NULL), MNV_ERR_FIELD_FUTURE);
    assert_int_equal(people_dependent_end(s, dep.id, "2026-13-01", NULL), MNV_ERR_FIELD_DATE);
    assert_int_equal(people_dependent_end(s, 99999, "2026-03-31", NULL), MNV_ERR_PERSON_NOT_FOUND);
    assert_int_equal(people_dependent_end(s, dep.id, "2026-03-31", NULL), MNV_OK);
    struct dependent back;
    assert_int_equal(people_dependent_get(s, dep.id, &back, NULL), MNV_OK);
    assert_string_equal(back.left_on, "2026-03-31");
    struct audit_entry a = newest_entry();
    assert_string_equal(a.action, "dependent.end");
    assert_string_equal(a.detail, "on=2026-03-31");
    /* An edit of the dependant keeps the day; the counts leave it out. */
    unsigned changed;
    snprintf(back.kana, sizeof(back.kana), "サトウ ジロー");
    assert_int_equal(people_dependent_update(s, &back, &changed, NULL), MNV_OK);
    assert_int_equal(people_dependent_get(s, dep.id, &back, NULL), MNV_OK);
    assert_string_equal(back.left_on, "2026-03-31");
    assert_int_equal(people_stats(s, &st, NULL), MNV_OK);
    assert_int_equal(st.counts.dependents, 1);
    assert_int_equal(st.counts.dependents_left, 1);
    assert_int_equal(st.counts.numbers_missing, 2);
    /* The same day again changes nothing and writes no entry; "" undoes it. */
    uint64_t seq = newest_entry().seq;
    assert_int_equal(people_dependent_end(s, dep.id, "2026-03-31", NULL), MNV_OK);
    assert_int_equal(newest_entry().seq, seq);
    assert_int_equal(people_dependent_end(s, dep.id, "", NULL), MNV_OK);
    assert_int_equal(people_dependent_get(s, dep.id, &back, NULL), MNV_OK);
    assert_string_equal(back.left_on, "");
    assert_string_equal(newest_entry().detail, "undone=2026-03-31");
    session_logout(s);
    s = svc_login("aud");
    assert_int_equal(people_dependent_end(s, dep.id, "2026-03-31", NULL), MNV_ERR_DENIED);
    session_logout(s);
}
