/*
 * Retention: the shipped rules (data/retention.ini) give the worked dates of the domain
 * reference (mynumber-domain.md §4.2); the rules file is checked against the purposes;
 * the verdict's states and boundaries; legal holds (supervisor only, reason and review
 * date, audited); the explanation of a household and the counts, with a fixed clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/caldate.h"
#include "mnvault/clock.h"
#include "mnvault/custodydb.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/retention.h"
#include "svcfix.h"

static struct purpose_catalog cat;
static struct retention_rules rules;

static int group_setup(void **state)
{
    (void)state;
    if (svc_make() != 0)
        return -1;
    if (purpose_catalog_load(NULL, &cat, NULL) != MNV_OK)
        return -1;
    return retention_rules_load(NULL, &cat, &rules, NULL) == MNV_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    retention_rules_free(&rules);
    purpose_catalog_free(&cat);
    return svc_drop();
}

static int32_t D(const char *iso)
{
    int32_t day;
    if (caldate_parse(iso, &day) != 0)
        fail_msg("bad date in test: %s", iso);
    return day;
}

static const char *iso(int32_t day)
{
    static char buf[8][CALDATE_ISO_SIZE];
    static int k;
    k = (k + 1) % 8;
    return caldate_format(day, buf[k]);
}

/* Events of one person, built up by the tests. */
static struct retention_event evs[32];
static size_t nevs;

static void ev(enum retention_event_kind kind, const char *date, const char *code)
{
    struct retention_event *e = &evs[nevs++];
    e->person.kind = PERSON_EMPLOYEE;
    e->person.id = 1;
    e->kind = kind;
    e->day = D(date);
    e->code = code ? code : "";
}

static struct retention_verdict verdict(const char *today)
{
    struct retention_verdict v;
    retention_evaluate(&rules, evs, nevs, CALDATE_NONE, D(today), &v);
    return v;
}

/* The clock of document kind doc in v; fails when there is none. */
static const struct retention_clock *clock_of(const struct retention_verdict *v, const char *doc)
{
    int k = retention_doc_find(&rules, doc);
    assert_true(k >= 0);
    for (size_t i = 0; i < v->nclocks; i++)
        if (v->clocks[i].doc == k)
            return &v->clocks[i];
    fail_msg("no clock for %s", doc);
    return NULL;
}

static void setup_events(void)
{
    nevs = 0;
}

static void test_retention__doc_label(void **state)
{
    (void)state;
    int k = retention_doc_find(&rules, "gensen_kyuyo");
    assert_true(k >= 0);
    const char *want = i18n_is_japanese() ? rules.docs[k].name_ja : rules.docs[k].name_en;
    assert_true(want[0] != '\0');
    assert_string_equal(retention_doc_label(&rules, "gensen_kyuyo"), want);
    assert_string_equal(retention_doc_label(&rules, "no_such_kind"), "no_such_kind");
}

static void test_retention__worked_fuyo_kojo(void **state)
{
    (void)state;
    /* 令和7年分 扶養控除等申告書 (deadline in 2025): kept 2026-01-11 … 2033-01-10. The last
     * form of an employee who leaves in 2025 is that year's. */
    setup_events();
    ev(REV_NOTIFIED, "2019-04-01", "tax_declarations");
    ev(REV_RETIREMENT, "2025-06-30", NULL);
    struct retention_verdict v = verdict("2026-12-01");
    const struct retention_clock *c = clock_of(&v, "fuyo_kojo");
    assert_string_equal(iso(c->first_day), "2026-01-11");
    assert_string_equal(iso(c->keep_until), "2033-01-10");
    assert_int_equal(c->end, REV_RETIREMENT);
    assert_int_equal(v.state, RETENTION_RUNNING);
    assert_string_equal(iso(v.keep_until), "2033-01-10");
    /* A mid-year hire's form for the same year ends on the same day. */
    setup_events();
    ev(REV_NOTIFIED, "2025-07-01", "tax_declarations");
    ev(REV_COLLECTED, "2025-07-01", NULL);
    ev(REV_RETIREMENT, "2025-12-20", NULL);
    v = verdict("2026-12-01");
    assert_string_equal(iso(v.keep_until), "2033-01-10");
}

static void test_retention__worked_retirement_income(void **state)
{
    (void)state;
    /* 退職所得の受給に関する申告書 for a payment on 2025-03-31: 2026-01-11 … 2033-01-10; the
     * retirement income slip is filed within a month (to 2025-04-30). */
    setup_events();
    ev(REV_NOTIFIED, "2010-04-01", "tax_retirement");
    ev(REV_RETIREMENT, "2025-03-31", NULL);
    struct retention_verdict v = verdict("2025-04-15");
    assert_string_equal(iso(clock_of(&v, "taishoku_shinkoku")->first_day), "2026-01-11");
    assert_string_equal(iso(clock_of(&v, "taishoku_shinkoku")->keep_until), "2033-01-10");
    assert_string_equal(iso(clock_of(&v, "taishoku_gensen")->keep_until), "2025-04-30");
    assert_string_equal(iso(v.keep_until), "2033-01-10");
    assert_int_equal(v.clocks[v.binding].doc, retention_doc_find(&rules, "taishoku_shinkoku"));
}

static void test_retention__worked_social_insurance(void **state)
{
    (void)state;
    /* Leaving on 2025-03-31 (完結の日): 健保・厚年 to 2027-03-31, 雇用保険 to 2029-03-31. */
    setup_events();
    ev(REV_NOTIFIED, "2015-04-01", "social_insurance");
    ev(REV_NOTIFIED, "2015-04-01", "employment_insurance");
    ev(REV_NOTIFIED, "2015-04-01", "pension_category3");
    ev(REV_RETIREMENT, "2025-03-31", NULL);
    struct retention_verdict v = verdict("2026-12-01");
    assert_string_equal(iso(clock_of(&v, "kenko_kosei")->first_day), "2025-04-01");
    assert_string_equal(iso(clock_of(&v, "kenko_kosei")->keep_until), "2027-03-31");
    assert_string_equal(iso(clock_of(&v, "kokunen3")->keep_until), "2027-03-31");
    assert_string_equal(iso(clock_of(&v, "koyo_hihokensha")->keep_until), "2029-03-31");
    assert_string_equal(iso(v.keep_until), "2029-03-31");
    assert_int_equal(v.state, RETENTION_RUNNING);
}

static void test_retention__binding_is_latest(void **state)
{
    (void)state;
    /* A retiree whose number is on every document: the 7-year tax date binds. */
    setup_events();
    static const char *const all[] = {"tax_withholding", "tax_declarations", "tax_retirement",
                                      "social_insurance", "employment_insurance"};
    for (size_t i = 0; i < MNV_ARRAY_LEN(all); i++)
        ev(REV_NOTIFIED, "2016-01-04", all[i]);
    ev(REV_RETIREMENT, "2025-03-31", NULL);
    struct retention_verdict v = verdict("2026-12-01");
    assert_int_equal(v.nclocks, 6);
    assert_string_equal(iso(clock_of(&v, "gensen_kyuyo")->keep_until), "2026-01-31");
    assert_string_equal(iso(v.keep_until), "2033-01-10");
    assert_string_equal(rules.docs[v.clocks[v.binding].doc].code, "fuyo_kojo");
}

static void test_retention__states_and_boundaries(void **state)
{
    (void)state;
    /* Employed: needed, whatever the date. */
    setup_events();
    ev(REV_NOTIFIED, "1990-01-04", "tax_withholding");
    struct retention_verdict v = verdict("2099-01-01");
    assert_int_equal(v.state, RETENTION_NEEDED);
    assert_int_equal(v.keep_until, CALDATE_NONE);
    /* A 1993 retiree holding a number is due. */
    ev(REV_RETIREMENT, "1993-03-31", NULL);
    v = verdict("2026-12-01");
    assert_int_equal(v.state, RETENTION_DUE);
    assert_string_equal(iso(v.keep_until), "1994-01-31");
    /* The last day kept, and the first day due. */
    assert_int_equal(verdict("1994-01-31").state, RETENTION_RUNNING);
    assert_int_equal(verdict("1994-02-01").state, RETENTION_DUE);
    /* One kind of document still needed keeps the number, whatever the others say. */
    ev(REV_NOTIFIED, "1990-01-04", "social_insurance");
    assert_int_equal(verdict("2026-12-01").state, RETENTION_DUE); /* ended by retirement */
    /* A purpose the rules do not know: reviewed, never disposed. */
    ev(REV_NOTIFIED, "1990-01-04", "astrology");
    v = verdict("2026-12-01");
    assert_int_equal(v.state, RETENTION_NO_RULE);
    assert_string_equal(v.unknown, "astrology");
}

static void test_retention__handling_after_the_end(void **state)
{
    (void)state;
    /* A purpose notified after retirement: the period counts from that day's year. */
    setup_events();
    ev(REV_NOTIFIED, "2016-01-04", "tax_declarations");
    ev(REV_RETIREMENT, "2025-03-31", NULL);
    ev(REV_NOTIFIED, "2027-02-01", "tax_declarations");
    struct retention_verdict v = verdict("2027-03-01");
    const struct retention_clock *c = clock_of(&v, "fuyo_kojo");
    assert_int_equal(c->last, REV_NOTIFIED);
    assert_string_equal(iso(c->keep_until), "2035-01-10");
    /* A collection counts for every kind; a notification only for its own. */
    setup_events();
    ev(REV_NOTIFIED, "2016-01-04", "social_insurance");
    ev(REV_NOTIFIED, "2016-01-04", "tax_withholding");
    ev(REV_RETIREMENT, "2025-03-31", NULL);
    ev(REV_NOTIFIED, "2025-06-01", "tax_withholding");
    ev(REV_COLLECTED, "2025-05-10", NULL);
    v = verdict("2027-03-01");
    assert_string_equal(iso(clock_of(&v, "kenko_kosei")->keep_until), "2027-05-10");
    assert_string_equal(iso(clock_of(&v, "gensen_kyuyo")->keep_until), "2026-01-31");
}

static void test_retention__dependants_and_filings(void **state)
{
    (void)state;
    /* A dependant who left 扶養 while the employee stays: the tax clock runs from the
     * leaving year; the health insurance one waits for its own end. */
    setup_events();
    ev(REV_NOTIFIED, "2016-01-04", "tax_declarations");
    ev(REV_DEPENDANT_LEFT, "2020-05-10", NULL);
    struct retention_verdict v = verdict("2026-12-01");
    assert_string_equal(iso(v.keep_until), "2028-01-10");
    assert_int_equal(v.state, RETENTION_RUNNING);
    ev(REV_NOTIFIED, "2016-01-04", "social_insurance");
    v = verdict("2030-01-01");
    assert_int_equal(v.state, RETENTION_NEEDED);
    assert_string_equal(rules.docs[v.clocks[v.binding].doc].code, "kenko_kosei");
    ev(REV_HEALTH_PENSION_LOSS, "2029-10-01", NULL);
    v = verdict("2030-01-01");
    assert_string_equal(iso(v.keep_until), "2031-10-01");
    /* The first ending event ends the need: retirement after leaving changes nothing. */
    ev(REV_RETIREMENT, "2031-03-31", NULL);
    assert_string_equal(iso(verdict("2030-01-01").keep_until), "2031-10-01");
    /* A filing makes its kind apply even without the purpose, and counts as handling. */
    setup_events();
    ev(REV_NOTIFIED, "2016-01-04", "social_insurance");
    ev(REV_RETIREMENT, "2025-03-31", NULL);
    ev(REV_FILED, "2026-01-20", "koyo_soshitsu");
    v = verdict("2026-12-01");
    assert_string_equal(iso(clock_of(&v, "koyo_hihokensha")->keep_until), "2030-01-20");
    assert_int_equal(clock_of(&v, "koyo_hihokensha")->why, REV_FILED);
    /* A filing the rules do not know is a reason to review, not to forget it. */
    ev(REV_FILED, "2026-01-20", "unknown_form");
    assert_int_equal(verdict("2026-12-01").state, RETENTION_NO_RULE);
}

static void test_retention__no_purpose_and_holds(void **state)
{
    (void)state;
    /* No kind of document applies: kept until the relationship ended, no longer. */
    setup_events();
    ev(REV_RETIREMENT, "2020-03-31", NULL);
    struct retention_verdict v = verdict("2026-12-01");
    assert_int_equal(v.nclocks, 0);
    assert_int_equal(v.binding, -1);
    assert_string_equal(iso(v.keep_until), "2020-03-31");
    assert_int_equal(v.state, RETENTION_DUE);
    /* A hold in force keeps a due number until its review date, not after. */
    retention_evaluate(&rules, evs, nevs, D("2027-01-31"), D("2026-12-01"), &v);
    assert_int_equal(v.state, RETENTION_HELD);
    retention_evaluate(&rules, evs, nevs, D("2027-01-31"), D("2027-01-31"), &v);
    assert_int_equal(v.state, RETENTION_HELD);
    retention_evaluate(&rules, evs, nevs, D("2027-01-31"), D("2027-02-01"), &v);
    assert_int_equal(v.state, RETENTION_DUE);
    /* A hold on a number that is not due changes nothing. */
    ev(REV_NOTIFIED, "2016-01-04", "tax_declarations");
    retention_evaluate(&rules, evs, nevs, D("2027-01-31"), D("2026-12-01"), &v);
    assert_int_equal(v.state, RETENTION_RUNNING);
}

/* Write text to a temporary rules file and load it. */
static enum mnv_err load_text(const char *text, struct mnv_diag *diag)
{
    char path[] = "/tmp/mnv-retention-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct retention_rules r;
    mnv_diag_clear(diag);
    enum mnv_err err = retention_rules_load(path, &cat, &r, diag);
    retention_rules_free(&r);
    unlink(path);
    return err;
}

static void test_retention__rules_file_checked(void **state)
{
    (void)state;
    struct mnv_diag diag;
    /* The shipped rules: every purpose and filing covered. */
    assert_int_equal(rules.ndocs, 8);
    for (size_t i = 0; i < cat.count; i++)
        assert_true(rules.ncodes > 0);
    /* A file without rules for the shipped purposes is refused, naming what is missing. */
    static const char one[] =
        "[fuyo_kojo]\nja = 申告書\nen = Declarations\npurposes = tax_declarations\n"
        "filings = fuyo_kojo_shinkoku, juta_kyuyo_fuyo_shinkoku, "
        "kiso_haigusha_shotoku_chosei_shinkoku\n"
        "ends_on = retirement\nfrom = jan11_next_year\nyears = 7\nbasis_ja = 規則\n"
        "basis_en = rule\n";
    assert_int_equal(load_text(one, &diag), MNV_ERR_RETENTION_FILE);
    assert_string_equal(diag.item, "tax_withholding");
    /* Typos and unknown words are named. */
    char bad[2048];
    static const struct {
        const char *from, *to, *item;
    } cases[] = {
        {"purposes = tax_declarations", "purposes = tax_declaration", "fuyo_kojo.purposes"},
        {"ends_on = retirement", "ends_on = retired", "fuyo_kojo.ends_on"},
        {"ends_on = retirement", "ends_on = collected", "fuyo_kojo.ends_on"},
        {"from = jan11_next_year", "from = new_year", "fuyo_kojo.from"},
        {"years = 7", "years = seven", "fuyo_kojo.years"},
        {"years = 7", "years = 51", "fuyo_kojo.years"},
        {"years = 7", "yeers = 7", "fuyo_kojo.yeers"},
        {"basis_en = rule\n", "", "fuyo_kojo.basis_en"},
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(cases); i++) {
        const char *at = strstr(one, cases[i].from);
        assert_non_null(at);
        snprintf(bad, sizeof(bad), "%.*s%s%s", (int)(at - one), one, cases[i].to,
                 at + strlen(cases[i].from));
        assert_int_equal(load_text(bad, &diag), MNV_ERR_RETENTION_FILE);
        assert_string_equal(diag.item, cases[i].item);
    }
    assert_int_equal(load_text("", &diag), MNV_ERR_RETENTION_FILE);
    /* iniparser ends a value at ';': a value holding one would be cut short silently. */
    FILE *f = fopen("data/retention.ini", "r");
    assert_non_null(f);
    char line[2048];
    for (int n = 1; fgets(line, sizeof(line), f); n++)
        if (line[0] != ';' && strchr(line, ';'))
            fail_msg("data/retention.ini line %d holds a ';' in a value", n);
    fclose(f);
    struct retention_rules r;
    assert_int_equal(retention_rules_load("/nonexistent/retention.ini", &cat, &r, NULL),
                     MNV_ERR_NOT_FOUND);
}

/* ---- with the vault --------------------------------------------------------------------- */

static int64_t add_employee(struct session *s, const char *code, const char *hire,
                            const char *retire, const char *number, const char *purpose,
                            const char *notified)
{
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "%s", code);
    snprintf(e.name, sizeof(e.name), "見本 %s", code);
    snprintf(e.kana, sizeof(e.kana), "ミホン");
    snprintf(e.birth_date, sizeof(e.birth_date), "1960-01-02");
    e.sex = SEX_MALE;
    snprintf(e.hire_date, sizeof(e.hire_date), "%s", hire);
    snprintf(e.retire_date, sizeof(e.retire_date), "%s", retire);
    assert_int_equal(people_employee_add(s, &e, NULL), MNV_OK);
    struct mynumber n;
    assert_int_equal(mynumber_parse(&n, MYNUMBER_INDIVIDUAL, number, 12, NULL), MNV_OK);
    struct purpose_notice p = {purpose, notified};
    struct person_ref ref = {PERSON_EMPLOYEE, e.id};
    assert_int_equal(people_number_store(s, &ref, &n, &p, 1, NULL), MNV_OK);
    return e.id;
}

static int64_t retiree_1993, current_emp;

static void test_retention__vault_explain_and_counts(void **state)
{
    (void)state;
    struct session *c = svc_login("clerk");
    assert_non_null(c);
    retiree_1993 = add_employee(c, "R1993", "1970-04-01", "1993-03-31", "123456789018",
                                "tax_withholding", "1990-01-04");
    current_emp = add_employee(c, "C2020", "2020-04-01", "", "987654321093", "tax_declarations",
                               "2020-04-01");
    add_employee(c, "R2025", "2001-04-01", "2025-03-31", "111111111118", "social_insurance",
                 "2001-04-01");
    struct retention_household h;
    assert_int_equal(retention_explain(c, &rules, "R1993", &h, NULL), MNV_OK);
    assert_int_equal(h.count, 1);
    assert_string_equal(h.employee.code, "R1993");
    assert_int_equal(h.people[0].verdict.state, RETENTION_DUE);
    assert_string_equal(iso(h.people[0].verdict.keep_until), "1994-01-31");
    assert_string_equal(iso(h.today), "2026-12-01");
    retention_household_free(&h);
    assert_int_equal(retention_explain(c, &rules, "NOPE", &h, NULL), MNV_ERR_PERSON_NOT_FOUND);
    struct retention_counts k;
    assert_int_equal(retention_counts(c, &rules, &k, NULL), MNV_OK);
    assert_int_equal(k.due, 1);
    assert_int_equal(k.employees_due, 1);
    assert_int_equal(k.needed, 1);
    assert_int_equal(k.running, 1); /* R2025 until 2027-03-31 */
    assert_string_equal(iso(k.oldest_due), "1994-02-01");
    /* The fixed clock decides: in April 2027 the 2025 retiree is due too. */
    setenv("MNVAULT_TEST_NOW", "2027-04-01T01:00:00", 1);
    assert_int_equal(retention_counts(c, &rules, &k, NULL), MNV_OK);
    assert_int_equal(k.due, 2);
    setenv("MNVAULT_TEST_NOW", SVC_NOW, 1);
    /* The daily report is audited, with counts only. */
    assert_int_equal(retention_due_report(c, &rules, &k, NULL), MNV_OK);
    struct audit_entry last = svc_last(c);
    assert_string_equal(last.action, "disposal.due");
    assert_string_equal(last.detail, "due=1 held=0 no_rule=0 oldest=1994-02-01");
    struct retention_survey sv;
    assert_int_equal(retention_survey(c, &rules, &sv, NULL), MNV_OK);
    assert_int_equal(sv.count, 3);
    assert_int_equal(sv.items[0].subject.person.id, retiree_1993);
    assert_int_equal(sv.items[0].state, RETENTION_DUE);
    retention_survey_free(&sv);
    session_logout(c);
}

static void test_retention__holds(void **state)
{
    (void)state;
    struct person_ref due = {PERSON_EMPLOYEE, retiree_1993};
    struct person_ref cur = {PERSON_EMPLOYEE, current_emp};
    /* Clerks may not hold; the refusal is audited. */
    struct session *c = svc_login("clerk");
    assert_int_equal(retention_hold(c, &rules, &due, "訴訟対応", "2027-03-01", NULL),
                     MNV_ERR_DENIED);
    assert_string_equal(svc_last(c).action, "retention.hold");
    assert_string_equal(svc_last(c).result, "denied");
    session_logout(c);
    struct session *s = svc_login("sup");
    assert_int_equal(retention_hold(s, &rules, &due, "  ", "2027-03-01", NULL),
                     MNV_ERR_REASON_NEEDED);
    assert_int_equal(retention_hold(s, &rules, &due, "番号 1234 5678 9018", "2027-03-01", NULL),
                     MNV_ERR_REASON_NUMBER);
    assert_int_equal(retention_hold(s, &rules, &due, "訴訟対応", "2026-12-01", NULL),
                     MNV_ERR_HOLD_REVIEW);
    assert_int_equal(retention_hold(s, &rules, &due, "訴訟対応", "2027-12-03", NULL),
                     MNV_ERR_HOLD_REVIEW);
    assert_int_equal(retention_hold(s, &rules, &due, "訴訟対応", "2027-02-30", NULL),
                     MNV_ERR_FIELD_DATE);
    assert_int_equal(retention_hold(s, &rules, &cur, "訴訟対応", "2027-03-01", NULL),
                     MNV_ERR_NOT_DUE);
    assert_int_equal(retention_hold(s, &rules, &due, "訴訟対応のため保管", "2027-03-01", NULL),
                     MNV_OK);
    struct audit_entry last = svc_last(s);
    assert_string_equal(last.action, "retention.hold");
    assert_string_equal(last.detail, "review=2027-03-01 reason=訴訟対応のため保管");
    struct retention_counts k;
    assert_int_equal(retention_counts(s, &rules, &k, NULL), MNV_OK);
    assert_int_equal(k.due, 0);
    assert_int_equal(k.held, 1);
    /* Renewed: the old hold is released as "renewed", one stays in force. */
    assert_int_equal(retention_hold(s, &rules, &due, "延長", "2027-06-01", NULL), MNV_OK);
    struct retention_hold *holds;
    size_t n;
    assert_int_equal(retention_holds_list(s, 0, &holds, &n, NULL), MNV_OK);
    assert_int_equal(n, 2);
    assert_string_equal(holds[0].review_on, "2027-06-01");
    assert_int_equal(holds[0].released_at, 0);
    assert_string_equal(holds[1].release_why, "renewed");
    free(holds);
    /* After the review date the number is due again. */
    setenv("MNVAULT_TEST_NOW", "2027-06-02T01:00:00", 1);
    assert_int_equal(retention_counts(s, &rules, &k, NULL), MNV_OK);
    assert_int_equal(k.held, 0);
    assert_int_equal(k.due, 2);
    setenv("MNVAULT_TEST_NOW", SVC_NOW, 1);
    assert_int_equal(retention_release(s, &due, NULL), MNV_OK);
    assert_string_equal(svc_last(s).action, "retention.release");
    assert_int_equal(retention_release(s, &due, NULL), MNV_ERR_NOT_FOUND);
    assert_int_equal(retention_holds_list(s, 1, &holds, &n, NULL), MNV_OK);
    assert_int_equal(n, 0);
    free(holds);
    session_logout(s);
}

/* A custody entry (what an export writes) for ref, as if written at now. */
static void filed(struct session *s, const struct person_ref *ref, const char *form, int year,
                  const char *now)
{
    setenv("MNVAULT_TEST_NOW", now, 1);
    struct vault *v = session_vault(s);
    struct custody_entry e;
    memset(&e, 0, sizeof(e));
    snprintf(e.form, sizeof(e.form), "%s", form);
    e.year = year;
    snprintf(e.copy, sizeof(e.copy), "tax");
    snprintf(e.purpose, sizeof(e.purpose), "tax_withholding");
    snprintf(e.destination, sizeof(e.destination), "tax_office");
    snprintf(e.path, sizeof(e.path), "/tmp/x.pdf");
    int64_t id;
    assert_int_equal(vault_begin(v, NULL), MNV_OK);
    assert_int_equal(custodydb_insert(v, &e, "clerk", ref, 1, &id, NULL), MNV_OK);
    assert_int_equal(vault_commit(v, NULL), MNV_OK);
    setenv("MNVAULT_TEST_NOW", SVC_NOW, 1);
}

static void test_retention__filings_from_the_custody_register(void **state)
{
    (void)state;
    struct session *c = svc_login("clerk");
    int64_t id = add_employee(c, "F2025", "2001-04-01", "2025-03-31", "555555555557",
                              "social_insurance", "2001-04-01");
    struct person_ref ref = {PERSON_EMPLOYEE, id};
    struct retention_household h;
    assert_int_equal(retention_explain(c, &rules, "F2025", &h, NULL), MNV_OK);
    assert_int_equal(h.people[0].verdict.nclocks, 1);
    retention_household_free(&h);
    /* The 源泉徴収票 for 2025, filed on 2026-01-20: its kind applies through the filing,
     * counted from the year it concerns (not the day it was filed). */
    filed(c, &ref, "gensen", 2025, "2026-01-20T01:00:00");
    assert_int_equal(retention_explain(c, &rules, "F2025", &h, NULL), MNV_OK);
    const struct retention_verdict *v = &h.people[0].verdict;
    assert_int_equal(v->nclocks, 2);
    int k = retention_doc_find(&rules, "gensen_kyuyo");
    const struct retention_clock *g = v->clocks[0].doc == k ? &v->clocks[0] : &v->clocks[1];
    assert_int_equal(g->doc, k);
    assert_int_equal(g->why, REV_FILED);
    assert_string_equal(rules.codes[g->why_code].code, "gensen_375");
    assert_string_equal(iso(g->keep_until), "2026-01-31");
    assert_string_equal(iso(v->keep_until), "2027-03-31"); /* 健保・厚年 still binds */
    retention_household_free(&h);
    /* A form without a layout for its year cannot be placed: reviewed, not forgotten. */
    filed(c, &ref, "gensen", 2031, "2026-01-21T01:00:00");
    assert_int_equal(retention_explain(c, &rules, "F2025", &h, NULL), MNV_OK);
    assert_int_equal(h.people[0].verdict.state, RETENTION_NO_RULE);
    assert_string_equal(h.people[0].verdict.unknown, "gensen/2031");
    retention_household_free(&h);
    session_logout(c);
}

/* A dependant's end of 扶養 (people_dependent_end) is the event dependant_left that ends
 * the declarations' need for the dependant's number, and only the dependant's. */
static void test_retention__vault_dependant_left(void **state)
{
    (void)state;
    struct session *c = svc_login("clerk");
    assert_non_null(c);
    int64_t emp = add_employee(c, "D2020", "2020-04-01", "", "222222222225", "tax_declarations",
                               "2020-04-01");
    struct dependent d;
    memset(&d, 0, sizeof(d));
    d.employee_id = emp;
    snprintf(d.name, sizeof(d.name), "見本 子");
    snprintf(d.kana, sizeof(d.kana), "ミホン コ");
    snprintf(d.birth_date, sizeof(d.birth_date), "2001-06-01");
    d.sex = SEX_FEMALE;
    d.relation = REL_CHILD;
    assert_int_equal(people_dependent_add(c, &d, NULL), MNV_OK);
    struct mynumber n;
    assert_int_equal(mynumber_parse(&n, MYNUMBER_INDIVIDUAL, "333333333332", 12, NULL), MNV_OK);
    struct purpose_notice p = {"tax_declarations", "2020-04-01"};
    struct person_ref ref = {PERSON_DEPENDENT, d.id};
    assert_int_equal(people_number_store(c, &ref, &n, &p, 1, NULL), MNV_OK);
    struct retention_household h;
    assert_int_equal(retention_explain(c, &rules, "D2020", &h, NULL), MNV_OK);
    assert_int_equal(h.count, 2);
    assert_int_equal(h.people[1].verdict.state, RETENTION_NEEDED);
    retention_household_free(&h);
    assert_int_equal(people_dependent_end(c, d.id, "2024-12-31", NULL), MNV_OK);
    assert_int_equal(retention_explain(c, &rules, "D2020", &h, NULL), MNV_OK);
    assert_int_equal(h.people[0].verdict.state, RETENTION_NEEDED); /* the employee's stays */
    const struct retention_verdict *v = &h.people[1].verdict;
    assert_int_equal(v->state, RETENTION_RUNNING);
    const struct retention_clock *k = clock_of(v, "fuyo_kojo");
    assert_int_equal(k->end, REV_DEPENDANT_LEFT);
    assert_string_equal(iso(k->end_day), "2024-12-31");
    assert_string_equal(iso(k->first_day), "2025-01-11");
    assert_string_equal(iso(v->keep_until), "2032-01-10");
    retention_household_free(&h);
    session_logout(c);
}
