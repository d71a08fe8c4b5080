/*
 * Incidents: the reporting rule of 番号法 第29条の4 (規則 第2条) on worked cases, its
 * deadlines, what an export copy, a backup and the vault held in a vault whose contents the
 * test makes, and recording an incident (roles, dates, the audit entry, no number anywhere).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/auditview.h"
#include "mnvault/backupdb.h"
#include "mnvault/custodydb.h"
#include "mnvault/incident.h"
#include "mnvault/numtext.h"
#include "mnvault/people.h"
#include "mnvault/strbuf.h"
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

/* ---- the rule, without a vault ----------------------------------------------------------- */

static struct incident_verdict assess(long persons, int encrypted, int key, int mal, int pub,
                                      int unlawful)
{
    struct incident_facts f = {persons, encrypted, key, mal, pub, unlawful};
    struct incident_verdict v;
    incident_assess(&f, &v);
    return v;
}

static void test_incident__hundred_persons_lost_plain_is_not_reported(void **state)
{
    (void)state;
    struct incident_verdict v = assess(100, 0, 0, 0, 0, 0);
    assert_true(v.applies);
    assert_false(v.must_report);
    assert_int_equal(v.reasons, 0);
}

static void test_incident__hundred_and_one_persons_lost_plain_is_reported(void **state)
{
    (void)state;
    struct incident_verdict v = assess(101, 0, 0, 0, 0, 0);
    assert_true(v.must_report);
    assert_int_equal(v.reasons, INCIDENT_WHY_OVER_100);
    assert_int_equal(v.final_days, 30);
    assert_int_equal(v.prelim_days, 5);
}

static void test_incident__one_person_stolen_is_reported_within_sixty_days(void **state)
{
    (void)state;
    struct incident_verdict v = assess(1, 0, 0, 1, 0, 0);
    assert_true(v.must_report);
    assert_int_equal(v.reasons, INCIDENT_WHY_MALICIOUS);
    assert_int_equal(v.final_days, 60);
}

static void test_incident__public_or_unlawful_is_reported_for_one_person(void **state)
{
    (void)state;
    struct incident_verdict v = assess(1, 0, 0, 0, 1, 0);
    assert_true(v.must_report);
    assert_int_equal(v.reasons, INCIDENT_WHY_PUBLIC);
    assert_int_equal(v.final_days, 30);
    v = assess(1, 0, 0, 0, 0, 1);
    assert_true(v.must_report);
    assert_int_equal(v.reasons, INCIDENT_WHY_UNLAWFUL);
}

static void test_incident__strong_encryption_excludes_unless_the_key_went_too(void **state)
{
    (void)state;
    struct incident_verdict v = assess(500, 1, 0, 1, 0, 0);
    assert_true(v.exempt);
    assert_false(v.must_report);
    assert_int_equal(v.reasons, INCIDENT_WHY_MALICIOUS | INCIDENT_WHY_OVER_100);
    v = assess(500, 1, 1, 0, 0, 0);
    assert_false(v.exempt);
    assert_true(v.must_report);
}

static void test_incident__no_number_is_not_a_my_number_incident(void **state)
{
    (void)state;
    struct incident_verdict v = assess(0, 0, 0, 1, 1, 0);
    assert_false(v.applies);
    assert_false(v.must_report);
}

static void test_incident__unknown_count_is_taken_as_over_the_threshold(void **state)
{
    (void)state;
    struct incident_verdict v = assess(-1, 0, 0, 0, 0, 0);
    assert_true(v.applies);
    assert_true(v.must_report);
    assert_int_equal(v.reasons, INCIDENT_WHY_OVER_100);
}

static void test_incident__deadlines_count_from_the_day_after(void **state)
{
    (void)state;
    char out[11];
    assert_int_equal(incident_deadline("2026-12-01", 5, out), MNV_OK);
    assert_string_equal(out, "2026-12-06");
    assert_int_equal(incident_deadline("2026-12-01", 30, out), MNV_OK);
    assert_string_equal(out, "2026-12-31");
    assert_int_equal(incident_deadline("2026-12-01", 60, out), MNV_OK);
    assert_string_equal(out, "2027-01-30");
    assert_int_equal(incident_deadline("2026-02-30", 5, out), MNV_ERR_INCIDENT_DATE);
    assert_int_equal(incident_deadline("1 Dec", 5, out), MNV_ERR_INCIDENT_DATE);
}

static void test_incident__event_names_round_trip(void **state)
{
    (void)state;
    for (int e = INCIDENT_LOST; e <= INCIDENT_DAMAGED; e++)
        assert_int_equal(incident_event_parse(incident_event_name((enum incident_event)e)), e);
    assert_int_equal(incident_event_parse("misplaced"), 0);
    char items[300];
    incident_items_text(INCIDENT_ITEM_NUMBER | INCIDENT_ITEM_ADDRESS, items, sizeof(items));
    assert_string_equal(items, "My Number, address");
}

/* ---- with the vault: what each file held --------------------------------------------------- */

static void number_for(int seq, char out[13])
{
    snprintf(out, 13, "%011d", 31415926 + seq * 7919);
    out[11] = (char)('0' + numtext_check_digit_individual(out));
    out[12] = '\0';
}

static int64_t add_person(struct session *s, const char *code, int with_number, int seq)
{
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "%s", code);
    snprintf(e.name, sizeof(e.name), "見本 %s", code);
    snprintf(e.kana, sizeof(e.kana), "ミホン");
    snprintf(e.birth_date, sizeof(e.birth_date), "1980-01-02");
    snprintf(e.address, sizeof(e.address), "東京都千代田区1-1");
    e.sex = SEX_FEMALE;
    snprintf(e.hire_date, sizeof(e.hire_date), "2020-04-01");
    assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
    if (with_number) {
        char digits[13];
        number_for(seq, digits);
        struct mynumber n;
        assert_int_equal(mynumber_parse(&n, MYNUMBER_INDIVIDUAL, digits, 12, NULL), MNV_OK);
        struct purpose_notice p = {"tax_withholding", "2020-04-01"};
        struct person_ref ref = {PERSON_EMPLOYEE, e.id};
        assert_int_equal(people_number_store(s, &ref, &n, &p, 1, NULL), MNV_OK);
    }
    return e.id;
}

static int64_t backup_row, export_row;

/* The vault the survey tests read: at 09:00 two employees with numbers and one without,
 * and a dependant; a backup registered at 09:30; at 10:00 a third number. An export copy of
 * gensen (tax copy) that held the first two numbers. */
static void make_contents(void)
{
    struct session *c = svc_login("clerk");
    setenv("MNVAULT_TEST_NOW", "2026-12-01T00:00:00", 1);
    int64_t a = add_person(c, "501", 1, 1);
    int64_t b = add_person(c, "502", 1, 2);
    add_person(c, "503", 0, 0);
    struct dependent d;
    memset(&d, 0, sizeof(d));
    d.employee_id = a;
    snprintf(d.name, sizeof(d.name), "見本 子");
    snprintf(d.kana, sizeof(d.kana), "ミホン コ");
    d.relation = REL_CHILD;
    snprintf(d.birth_date, sizeof(d.birth_date), "2015-05-05");
    d.sex = SEX_MALE;
    assert_int_equal(people_dependent_add(c, &d, NULL), MNV_OK);
    struct vault *v = session_vault(c);
    struct backup_rec r;
    memset(&r, 0, sizeof(r));
    r.backup_id[0] = 7;
    r.created_at = 1796085000; /* 2026-12-01T00:30:00Z */
    snprintf(r.path, sizeof(r.path), "/media/usb/vault.mnvbak");
    snprintf(r.made_by, sizeof(r.made_by), "sup");
    struct custody_entry e;
    memset(&e, 0, sizeof(e));
    snprintf(e.form, sizeof(e.form), "gensen");
    e.year = 2025;
    snprintf(e.copy, sizeof(e.copy), "tax");
    snprintf(e.purpose, sizeof(e.purpose), "tax_withholding");
    snprintf(e.destination, sizeof(e.destination), "tax_office");
    snprintf(e.path, sizeof(e.path), "/tmp/gensen-tax.pdf");
    e.persons = 2;
    e.numbers = 2;
    e.slips = 2;
    struct person_ref held[2] = {{PERSON_EMPLOYEE, a}, {PERSON_EMPLOYEE, b}};
    assert_int_equal(vault_begin(v, NULL), MNV_OK);
    assert_int_equal(backupdb_insert(v, &r, NULL), MNV_OK);
    assert_int_equal(custodydb_insert(v, &e, "clerk", held, 2, &export_row, NULL), MNV_OK);
    assert_int_equal(vault_commit(v, NULL), MNV_OK);
    backup_row = r.id;
    setenv("MNVAULT_TEST_NOW", "2026-12-01T01:00:00", 1);
    add_person(c, "504", 1, 3);
    session_logout(c);
}

static void test_incident__what_a_backup_an_export_and_the_vault_held(void **state)
{
    (void)state;
    make_contents();
    struct session *c = svc_login("clerk");
    struct incident_survey sv;
    assert_int_equal(incident_survey_source(c, INCIDENT_BACKUP, backup_row, &sv, NULL), MNV_OK);
    assert_int_equal(sv.employees, 3);
    assert_int_equal(sv.dependants, 1);
    assert_int_equal(sv.persons, 4);
    assert_int_equal(sv.numbers, 2); /* the third number came after the backup */
    assert_int_equal(sv.protection, INCIDENT_BACKUPFILE);
    assert_true(sv.items & INCIDENT_ITEM_NUMBER);
    assert_true(sv.items & INCIDENT_ITEM_ADDRESS);
    assert_true(sv.items & INCIDENT_ITEM_DEPENDANTS);
    assert_false(sv.items & INCIDENT_ITEM_PAY); /* no payroll figures in this vault */
    assert_string_equal(sv.where, "/media/usb/vault.mnvbak");

    assert_int_equal(incident_survey_source(c, INCIDENT_DEVICE, 0, &sv, NULL), MNV_OK);
    assert_int_equal(sv.employees, 4);
    assert_int_equal(sv.numbers, 3);
    assert_int_equal(sv.protection, INCIDENT_VAULT);

    assert_int_equal(incident_survey_source(c, INCIDENT_EXPORT, export_row, &sv, NULL), MNV_OK);
    assert_int_equal(sv.persons, 2);
    assert_int_equal(sv.employees, 2);
    assert_int_equal(sv.dependants, 0);
    assert_int_equal(sv.numbers, 2);
    assert_int_equal(sv.protection, INCIDENT_PLAIN);
    unsigned want = INCIDENT_ITEM_NUMBER | INCIDENT_ITEM_NAME | INCIDENT_ITEM_ADDRESS |
                    INCIDENT_ITEM_BIRTH | INCIDENT_ITEM_PAY | INCIDENT_ITEM_DEPENDANTS;
    assert_int_equal(sv.items & want, want); /* from the gensen layout's items */
    assert_string_equal(sv.where, "/tmp/gensen-tax.pdf");

    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    assert_int_equal(incident_survey_source(c, INCIDENT_BACKUP, 999, &sv, &diag),
                     MNV_ERR_NOT_FOUND);
    assert_string_equal(diag.item, "backup 999");
    session_logout(c);
}

/* ---- recording --------------------------------------------------------------------------- */

static void test_incident__recording_is_one_audited_change(void **state)
{
    (void)state;
    struct session *c = svc_login("clerk");
    struct incident_request q = {
        INCIDENT_EXPORT, export_row, INCIDENT_STOLEN, "2026-11-30", "2026-11-29", -1, -1, 0, 0,
        "鞄ごと盗まれた"};
    struct incident_rec r;
    assert_int_equal(incident_record(c, &q, &r, NULL), MNV_OK);
    assert_true(r.id > 0);
    assert_true(r.facts.malicious); /* stolen: an unlawful purpose is presumed */
    assert_true(r.verdict.must_report);
    assert_int_equal(r.verdict.final_days, 60);
    struct audit_entry last = svc_last(c);
    assert_string_equal(last.action, "incident.record");
    char subject[40];
    snprintf(subject, sizeof(subject), "incident:%lld", (long long)r.id);
    assert_string_equal(last.subject, subject);
    assert_non_null(strstr(last.detail, "report=yes"));
    assert_non_null(strstr(last.detail, "persons=2 numbers=2"));
    char words[64];
    auditview_subject(c, last.subject, words, sizeof(words));
    snprintf(subject, sizeof(subject), "incident %lld", (long long)r.id);
    assert_string_equal(words, subject); /* never the stored form in the audit screens */
    assert_string_equal(auditview_action_label("incident.record"), "incident recorded");

    struct incident_rec g;
    assert_int_equal(incident_get(c, r.id, &g, NULL), MNV_OK);
    assert_string_equal(g.known_on, "2026-11-30");
    assert_string_equal(g.summary, "鞄ごと盗まれた");
    assert_int_equal(g.survey.numbers, 2);
    assert_true(g.verdict.must_report);
    struct strbuf out = STRBUF_INIT;
    assert_int_equal(incident_text(&g, &out), MNV_OK);
    assert_non_null(strstr(strbuf_str(&out), "by 2027-01-29")); /* 60 days after 11-30 */
    assert_false(numtext_has_number(strbuf_str(&out), out.len, NUMTEXT_ANY_RUN));
    strbuf_release(&out);
    session_logout(c);
}

static void test_incident__bad_requests_record_nothing(void **state)
{
    (void)state;
    struct session *c = svc_login("clerk");
    struct incident_rec *list;
    size_t before, after;
    assert_int_equal(incident_list(c, &list, &before, NULL), MNV_OK);
    free(list);
    struct incident_request q = {
        INCIDENT_DEVICE, 0, INCIDENT_LOST, "2026-12-02", NULL, -1, -1, 0, 0, ""};
    assert_int_equal(incident_record(c, &q, NULL, NULL), MNV_ERR_INCIDENT_DATE); /* future */
    q.known_on = "2026-11-01";
    q.happened_on = "2026-11-02";
    assert_int_equal(incident_record(c, &q, NULL, NULL), MNV_ERR_INCIDENT_DATE); /* after */
    q.happened_on = NULL;
    char digits[13], note[64];
    number_for(9, digits);
    snprintf(note, sizeof(note), "番号 %s を含む", digits);
    q.summary = note;
    assert_int_equal(incident_record(c, &q, NULL, NULL), MNV_ERR_FIELD_NUMBER);
    q.summary = "";
    q.source = INCIDENT_BACKUP;
    q.source_id = 4242;
    assert_int_equal(incident_record(c, &q, NULL, NULL), MNV_ERR_NOT_FOUND);
    assert_int_equal(incident_list(c, &list, &after, NULL), MNV_OK);
    free(list);
    assert_int_equal(after, before);
    session_logout(c);
}

static void test_incident__auditors_read_but_do_not_record(void **state)
{
    (void)state;
    struct session *a = svc_login("aud");
    struct incident_request q = {INCIDENT_DEVICE, 0, INCIDENT_LOST, NULL, NULL, -1, -1, 0, 0, ""};
    assert_int_equal(incident_record(a, &q, NULL, NULL), MNV_ERR_DENIED);
    assert_string_equal(svc_last(a).action, "incident.record");
    assert_string_equal(svc_last(a).result, "denied");
    struct incident_rec *list;
    size_t n;
    assert_int_equal(incident_list(a, &list, &n, NULL), MNV_OK);
    assert_true(n >= 1);
    free(list);
    session_logout(a);
    struct session *adm = svc_login("admin");
    assert_int_equal(incident_list(adm, &list, &n, NULL), MNV_ERR_DENIED);
    session_logout(adm);
}
