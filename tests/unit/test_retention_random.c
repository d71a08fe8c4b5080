/*
 * 10,000 employees (and their dependants) with random hire and retirement dates, purposes
 * notified on random days (some after retirement) and random identity verifications, in a
 * real vault. For every number, the date until which it must be kept is derived here
 * independently — from the domain reference's table (mynumber-domain.md §4.2), with the C
 * library's calendar (timegm) instead of caldate.h and without reading retention.ini —
 * and compared with retention_survey() on several days: no number may be due before its
 * date (disposed early) and none may be kept after it (missed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mnvault/caldate.h"
#include "mnvault/collectdb.h"
#include "mnvault/numberdb.h"
#include "mnvault/people.h"
#include "mnvault/retention.h"
#include "svcfix.h"

#define EMPLOYEES 10000
#define MAX_PEOPLE (EMPLOYEES * 2)
#define TODAY "2026-12-01"

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

/* ---- the independent calculation ------------------------------------------------------ */

/* Dates as time_t at UTC midnight, built and taken apart by the C library. */
static time_t utc(int y, int m, int d)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    return timegm(&tm);
}

static time_t from_iso(const char *s)
{
    int y, m, d;
    if (sscanf(s, "%d-%d-%d", &y, &m, &d) != 3)
        fail_msg("bad date %s", s);
    return utc(y, m, d);
}

static void ymd(time_t t, int *y, int *m, int *d)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    *y = tm.tm_year + 1900;
    *m = tm.tm_mon + 1;
    *d = tm.tm_mday;
}

/*
 * The last day of a period of `months` months counted from the day after `event` (初日
 * 不算入, 民法第140条), ending on the day before the corresponding day of the last month,
 * or on that month's last day when it has none (民法第143条).
 */
static time_t civil_end(time_t event, int months)
{
    int y, m, d;
    ymd(event + 86400, &y, &m, &d);
    int total = (y * 12 + m - 1) + months;
    int fy = total / 12, fm = total % 12 + 1;
    time_t corr = utc(fy, fm, d);
    int cy, cm, cd;
    ymd(corr, &cy, &cm, &cd);
    if (cm != fm) /* no such day: timegm rolled into the next month */
        return utc(fy, fm + 1, 1) - 86400;
    return corr - 86400;
}

/*
 * The reference's table, per purpose: the end of keeping a number notified for it, given
 * D (the later of the end of employment and the last handling of the number for it).
 */
static time_t expected_end(const char *purpose, time_t D)
{
    int y, m, d;
    ymd(D, &y, &m, &d);
    if (strcmp(purpose, "tax_declarations") == 0) /* 7 years from 11 January, Y+1 */
        return utc(y + 8, 1, 10);
    if (strcmp(purpose, "tax_retirement") == 0) { /* the declaration, and the slip: 1 month */
        time_t a = utc(y + 8, 1, 10), b = civil_end(D, 1);
        return a > b ? a : b;
    }
    if (strcmp(purpose, "tax_withholding") == 0 || strcmp(purpose, "tax_payment_records") == 0)
        return utc(y + 1, 1, 31); /* filed by 31 January; no period for the copies */
    if (strcmp(purpose, "social_insurance") == 0 || strcmp(purpose, "pension_category3") == 0)
        return civil_end(D, 24); /* 健保則34条・厚年則28条: 2 years from completion */
    if (strcmp(purpose, "employment_insurance") == 0)
        return civil_end(D, 48); /* 雇保則143条: 4 years */
    fail_msg("no expectation for %s", purpose);
    return 0;
}

/* ---- the population -------------------------------------------------------------------- */

static const char *const purposes[] = {
    "tax_withholding",  "tax_declarations",     "tax_retirement",   "tax_payment_records",
    "social_insurance", "employment_insurance", "pension_category3"};

struct model {
    struct person_ref ref;
    int employer; /* index of the employee (itself for an employee) */
    char retire[11];
    size_t np;
    const char *codes[7];
    char dates[7][11];
    char collected[11];
    time_t keep; /* expected last day kept; 0 while needed */
};

static struct model people[MAX_PEOPLE];
static size_t npeople;
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* A random date between a and b (ISO, inclusive) into out. */
static void between(const char *a, const char *b, char out[11])
{
    char buf[32];
    time_t ta = from_iso(a), tb = from_iso(b);
    long days = (long)((tb - ta) / 86400);
    time_t t = ta + (time_t)rnd((uint32_t)(days + 1)) * 86400;
    int y, m, d;
    ymd(t, &y, &m, &d);
    snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
    memcpy(out, buf, 11);
}

/* Purposes and a verification for p, dated within [from, to], some after `to` (to today). */
static void handling(struct model *p, const char *from, const char *to, const char *const pool[],
                     size_t npool)
{
    p->np = 0;
    for (size_t i = 0; i < npool; i++) {
        if (rnd(10) >= 4 && !(i == npool - 1 && p->np == 0))
            continue;
        p->codes[p->np] = pool[i];
        between(from, rnd(20) == 0 ? TODAY : to, p->dates[p->np]);
        p->np++;
    }
    p->collected[0] = '\0';
    if (rnd(2))
        between(from, rnd(20) == 0 ? TODAY : to, p->collected);
}

static void expect(struct model *p)
{
    const char *retire = people[p->employer].retire;
    p->keep = 0;
    if (!retire[0])
        return;
    for (size_t i = 0; i < p->np; i++) {
        time_t D = from_iso(retire);
        if (p->collected[0] && from_iso(p->collected) > D)
            D = from_iso(p->collected);
        if (from_iso(p->dates[i]) > D)
            D = from_iso(p->dates[i]);
        time_t end = expected_end(p->codes[i], D);
        if (end > p->keep)
            p->keep = end;
    }
}

static void make_number(size_t i, struct mynumber *n)
{
    char digits[32];
    snprintf(digits, sizeof(digits), "%011llu", 30000000000ull + (unsigned long long)i * 7919);
    digits[11] = (char)('0' + numtext_check_digit_individual(digits));
    digits[12] = '\0';
    assert_int_equal(mynumber_parse(n, MYNUMBER_INDIVIDUAL, digits, 12, NULL), MNV_OK);
}

static void add_one(struct session *s, size_t k)
{
    struct model *p = &people[npeople];
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "R%05zu", k);
    snprintf(e.name, sizeof(e.name), "見本 %zu", k);
    snprintf(e.kana, sizeof(e.kana), "ミホン");
    snprintf(e.birth_date, sizeof(e.birth_date), "1950-01-01");
    e.sex = SEX_FEMALE;
    between("1975-01-01", "2026-11-30", e.hire_date);
    if (rnd(100) >= 35)
        between(e.hire_date, TODAY, e.retire_date);
    memcpy(p->retire, e.retire_date, 11);
    handling(p, e.hire_date, e.retire_date[0] ? e.retire_date : TODAY, purposes, 7);
    struct purpose_notice pn[7];
    for (size_t i = 0; i < p->np; i++)
        pn[i] = (struct purpose_notice){p->codes[i], p->dates[i]};
    struct mynumber n;
    make_number(npeople, &n);
    assert_int_equal(people_bulk_add(s, &e, &n, pn, p->np, NULL), MNV_OK);
    p->ref = (struct person_ref){PERSON_EMPLOYEE, e.id};
    p->employer = (int)npeople++;
    static const char *const dep_pool[] = {"tax_declarations", "tax_withholding",
                                           "social_insurance", "pension_category3"};
    for (uint32_t j = 0, nd = rnd(10) < 3 ? 1 + rnd(2) : 0; j < nd; j++) {
        struct model *q = &people[npeople];
        struct dependent d;
        memset(&d, 0, sizeof(d));
        d.employee_id = e.id;
        snprintf(d.name, sizeof(d.name), "見本 家族%u", j);
        snprintf(d.kana, sizeof(d.kana), "ミホン");
        d.relation = j == 0 ? REL_SPOUSE : REL_CHILD;
        snprintf(d.birth_date, sizeof(d.birth_date), "1980-05-05");
        d.sex = SEX_MALE;
        handling(q, e.hire_date, e.retire_date[0] ? e.retire_date : TODAY, dep_pool, 4);
        for (size_t i = 0; i < q->np; i++)
            pn[i] = (struct purpose_notice){q->codes[i], q->dates[i]};
        make_number(npeople, &n);
        assert_int_equal(people_bulk_add_dependent(s, &d, &n, pn, q->np, NULL), MNV_OK);
        q->ref = (struct person_ref){PERSON_DEPENDENT, d.id};
        q->employer = p->employer;
        npeople++;
    }
    mynumber_clear(&n);
}

/* The identity verifications, recorded straight in the store. */
static void add_collections(struct session *s)
{
    struct vault *v = session_vault(s);
    assert_int_equal(vault_begin(v, NULL), MNV_OK);
    for (size_t i = 0; i < npeople; i++) {
        if (!people[i].collected[0])
            continue;
        struct number_info info;
        assert_int_equal(numberdb_get(v, &people[i].ref, &info, NULL), MNV_OK);
        struct collect_rec c;
        memset(&c, 0, sizeof(c));
        c.person = people[i].ref;
        c.number_id = info.id;
        c.number_version = info.version;
        snprintf(c.route, sizeof(c.route), "self");
        snprintf(c.channel, sizeof(c.channel), "in_person");
        snprintf(c.verified_by, sizeof(c.verified_by), "見本 確認者");
        snprintf(c.verified_on, sizeof(c.verified_on), "%s", people[i].collected);
        snprintf(c.recorded_by, sizeof(c.recorded_by), "clerk");
        c.ndocs = 1;
        snprintf(c.docs[0].doc, sizeof(c.docs[0].doc), "mynumber_card");
        snprintf(c.docs[0].check, sizeof(c.docs[0].check), "number");
        assert_int_equal(collectdb_insert(v, &c, NULL), MNV_OK);
    }
    assert_int_equal(vault_commit(v, NULL), MNV_OK);
}

static int by_ref(const void *a, const void *b)
{
    const struct model *x = a, *y = b;
    if (x->ref.kind != y->ref.kind)
        return x->ref.kind < y->ref.kind ? -1 : 1;
    return x->ref.id < y->ref.id ? -1 : x->ref.id > y->ref.id;
}

/* One survey on day `today`: every keep date equal, no number early, none missed. */
static void check_on(struct session *s, const struct retention_rules *r, const char *today)
{
    char now[32];
    snprintf(now, sizeof(now), "%sT03:00:00", today);
    setenv("MNVAULT_TEST_NOW", now, 1);
    struct retention_survey sv;
    assert_int_equal(retention_survey(s, r, &sv, NULL), MNV_OK);
    assert_int_equal(sv.count, npeople);
    time_t t = from_iso(today);
    long early = 0, missed = 0, wrong = 0, due = 0;
    for (size_t i = 0; i < npeople; i++) {
        const struct model *p = &people[i];
        const struct retention_item *it = &sv.items[i];
        assert_int_equal(it->subject.person.id, p->ref.id);
        assert_int_equal(it->subject.person.kind, p->ref.kind);
        int want_due = p->keep != 0 && t > p->keep;
        int is_due = it->state == RETENTION_DUE;
        early += is_due && !want_due;
        missed += want_due && !is_due;
        due += is_due;
        char want[32] = "", got[CALDATE_ISO_SIZE];
        if (p->keep) {
            int y, m, d;
            ymd(p->keep, &y, &m, &d);
            snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
        }
        caldate_format(it->keep_until, got);
        if (strcmp(want, got) != 0 && wrong++ < 5)
            print_message("# person %zu: kept until '%s', expected '%s'\n", i, got, want);
    }
    print_message("# %s: %zu numbers, %ld due, %ld disposed early, %ld missed\n", today, npeople,
                  due, early, missed);
    assert_int_equal(early, 0);
    assert_int_equal(missed, 0);
    assert_int_equal(wrong, 0);
    assert_int_equal(sv.counts.due, due);
    retention_survey_free(&sv);
}

static void test_retention_random__ten_thousand(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    assert_non_null(s);
    assert_int_equal(people_bulk_begin(s, NULL), MNV_OK);
    for (size_t k = 0; k < EMPLOYEES; k++)
        add_one(s, k);
    assert_int_equal(people_bulk_commit(s, NULL), MNV_OK);
    assert_string_equal(svc_last(s).action, "bulk.insert");
    add_collections(s);
    for (size_t i = 0; i < npeople; i++)
        expect(&people[i]);
    qsort(people, npeople, sizeof(people[0]), by_ref);
    struct retention_rules r;
    assert_int_equal(retention_rules_load(NULL, session_purposes(s), &r, NULL), MNV_OK);
    static const char *const days[] = {TODAY, "2027-02-01", "2031-01-10", "2031-01-11",
                                       "2034-06-30"};
    for (size_t i = 0; i < MNV_ARRAY_LEN(days); i++)
        check_on(s, &r, days[i]);
    setenv("MNVAULT_TEST_NOW", SVC_NOW, 1);
    retention_rules_free(&r);
    session_logout(s);
}
