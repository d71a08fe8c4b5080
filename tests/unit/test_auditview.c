/*
 * The audit log as auditors read it (auditview.h over auditquery.h): each filter alone and
 * together, a person's entries with their dependants' and the exports that held them,
 * paging both ways without a gap or a repeat, the period as local days, bad filters, who
 * may read and export, and the CSV of a filtered view with its own audit entry.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/auditview.h"
#include "mnvault/clock.h"
#include "mnvault/people.h"
#include "svcfix.h"

static int64_t emp_a, emp_b, dep_a; /* employees E1 (with a dependant) and E2 */
static uint64_t first_seq;          /* the first synthetic entry */
static int64_t day0;                /* local midnight 2026-12-02 */

#define SYNTH                                                                                      \
    300 /* synthetic entries, one an hour from 2026-12-02 00:30 local, after                       \
         * the fixture's own entries of 2026-12-01 (the log is in time order) */

static int64_t add_employee(struct session *s, const char *code)
{
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "%s", code);
    snprintf(e.name, sizeof(e.name), "見本 %s", code);
    snprintf(e.kana, sizeof(e.kana), "ミホン");
    snprintf(e.birth_date, sizeof(e.birth_date), "1980-01-02");
    e.sex = SEX_FEMALE;
    snprintf(e.hire_date, sizeof(e.hire_date), "2010-04-01");
    return people_employee_add(s, &e, NULL) == MNV_OK ? e.id : 0;
}

/* Entry i: users clerk/sup in turn; every 3rd a reveal of E1, every 5th of E1's dependant,
 * every 10th denied; the rest logins. */
static enum mnv_err synth(struct vault *v, int i)
{
    char subject[48], detail[96];
    const char *action = "login", *result = i % 10 == 0 ? "denied" : "ok";
    snprintf(subject, sizeof(subject), "%s", i % 2 ? "sup" : "clerk");
    detail[0] = '\0';
    if (i % 3 == 0) {
        action = "reveal";
        snprintf(subject, sizeof(subject), "employee:%lld", (long long)emp_a);
        snprintf(detail, sizeof(detail), "purpose=tax_withholding reason=year end %d", i);
    } else if (i % 5 == 0) {
        action = "dependent.update";
        snprintf(subject, sizeof(subject), "dependent:%lld", (long long)dep_a);
    }
    struct audit_event ev = {day0 + 1800 + (int64_t)i * 3600,
                             i % 2 ? "sup" : "clerk",
                             i % 2 ? "supervisor" : "clerk",
                             action,
                             subject,
                             result,
                             detail};
    return auditlog_append(v, &ev, NULL, NULL);
}

static int group_setup(void **state)
{
    (void)state;
    if (svc_make() != 0)
        return -1;
    struct session *c = svc_login("clerk");
    if (!c)
        return -1;
    emp_a = add_employee(c, "E1");
    emp_b = add_employee(c, "E2");
    struct dependent d;
    memset(&d, 0, sizeof(d));
    d.employee_id = emp_a;
    snprintf(d.name, sizeof(d.name), "見本 花子");
    snprintf(d.kana, sizeof(d.kana), "ミホン ハナコ");
    d.relation = REL_CHILD;
    snprintf(d.birth_date, sizeof(d.birth_date), "2015-05-05");
    d.sex = SEX_FEMALE;
    enum mnv_err err = people_dependent_add(c, &d, NULL);
    dep_a = d.id;
    time_t t;
    if (err != MNV_OK || !emp_a || !emp_b || clock_parse_date("2026-12-02", &t) != 0)
        return -1;
    day0 = (int64_t)t;
    struct vault *v = session_vault(c);
    err = vault_begin(v, NULL);
    first_seq = svc_last(c).seq + 1;
    for (int i = 0; err == MNV_OK && i < SYNTH; i++)
        err = synth(v, i);
    err = err == MNV_OK ? vault_commit(v, NULL) : (vault_rollback(v), err);
    session_logout(c);
    return err == MNV_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return svc_drop();
}

/* Every entry of the filter, newest first, by pages of 7; returns the count. */
static size_t walk_older(struct auditview *v, uint64_t *seqs, size_t max)
{
    struct audit_entry page[7];
    size_t total = 0, n;
    uint64_t before = 0;
    do {
        assert_int_equal(auditview_older(v, before, 7, page, &n, NULL), MNV_OK);
        for (size_t i = 0; i < n && total < max; i++) {
            if (total)
                assert_true(page[i].seq < seqs[total - 1]);
            seqs[total++] = page[i].seq;
        }
        if (n)
            before = page[n - 1].seq;
    } while (n == 7);
    return total;
}

static size_t count_filter(struct session *s, const struct auditview_filter *f)
{
    struct auditview v;
    assert_int_equal(auditview_open(s, f, &v, NULL), MNV_OK);
    static uint64_t seqs[2000];
    return walk_older(&v, seqs, 2000);
}

static void test_auditview__filters(void **state)
{
    (void)state;
    struct session *a = svc_login("aud");
    assert_non_null(a);
    struct auditview_filter f;
    auditview_filter_init(&f);
    snprintf(f.from, sizeof(f.from), "2026-12-02");
    snprintf(f.to, sizeof(f.to), "2026-12-31");
    assert_int_equal(count_filter(a, &f), SYNTH); /* the period holds exactly the synthetic ones */
    snprintf(f.action, sizeof(f.action), "reveal");
    assert_int_equal(count_filter(a, &f), 100); /* i % 3 == 0 */
    snprintf(f.user, sizeof(f.user), "sup");
    assert_int_equal(count_filter(a, &f), 50); /* odd multiples of 3 */
    snprintf(f.result, sizeof(f.result), "denied");
    assert_int_equal(count_filter(a, &f), 0); /* denied ones are even */
    auditview_filter_init(&f);
    snprintf(f.result, sizeof(f.result), "denied");
    snprintf(f.to, sizeof(f.to), "2026-12-31");
    assert_int_equal(count_filter(a, &f), 30);
    auditview_filter_init(&f);
    snprintf(f.action, sizeof(f.action), "dependent.");
    snprintf(f.from, sizeof(f.from), "R8.12.2"); /* 令和 8 = 2026 */
    size_t deps = 0;
    for (int i = 0; i < SYNTH; i++)
        deps += i % 3 != 0 && i % 5 == 0;
    assert_int_equal(count_filter(a, &f), deps);
    /* one day, local time: 24 hourly entries (00:30 … 23:30) */
    auditview_filter_init(&f);
    snprintf(f.from, sizeof(f.from), "2026-12-03");
    snprintf(f.to, sizeof(f.to), "2026-12-03");
    assert_int_equal(count_filter(a, &f), 24);
    session_logout(a);
}

static void test_auditview__person(void **state)
{
    (void)state;
    struct session *a = svc_login("sup");
    assert_non_null(a);
    struct auditview_filter f;
    auditview_filter_init(&f);
    snprintf(f.person, sizeof(f.person), "E1");
    size_t want = 0;
    for (int i = 0; i < SYNTH; i++)
        want += i % 3 == 0 || i % 5 == 0;
    /* the synthetic reveals and dependant updates, and E1's own person.add / dependent.add */
    assert_int_equal(count_filter(a, &f), want + 2);
    snprintf(f.person, sizeof(f.person), "E2");
    assert_int_equal(count_filter(a, &f), 1); /* person.add */
    snprintf(f.person, sizeof(f.person), "E9");
    struct auditview v;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(auditview_open(a, &f, &v, &d), MNV_ERR_PERSON_NOT_FOUND);
    assert_string_equal(d.item, "person");
    session_logout(a);
}

static void test_auditview__paging(void **state)
{
    (void)state;
    struct session *a = svc_login("aud");
    assert_non_null(a);
    struct auditview_filter f;
    auditview_filter_init(&f);
    snprintf(f.action, sizeof(f.action), "login");
    struct auditview v;
    assert_int_equal(auditview_open(a, &f, &v, NULL), MNV_OK);
    static uint64_t older[2000];
    size_t n_old = walk_older(&v, older, 2000);
    assert_true(n_old >= 120);
    /* the same entries oldest first, by pages of 5 from the start */
    struct audit_entry page[5];
    size_t n, k = n_old;
    uint64_t after = 0;
    do {
        assert_int_equal(auditview_newer(&v, after, 5, page, &n, NULL), MNV_OK);
        for (size_t i = 0; i < n; i++) {
            assert_true(k > 0);
            assert_int_equal(page[i].seq, older[--k]);
            assert_string_equal(page[i].action, "login");
        }
        if (n)
            after = page[n - 1].seq;
    } while (n == 5);
    assert_int_equal(k, 0);
    /* from the middle: older than an entry, then newer than it */
    assert_int_equal(auditview_older(&v, older[10], 5, page, &n, NULL), MNV_OK);
    assert_int_equal(n, 5);
    assert_int_equal(page[0].seq, older[11]);
    assert_int_equal(auditview_newer(&v, older[10], 5, page, &n, NULL), MNV_OK);
    assert_int_equal(page[0].seq, older[9]);
    /* one entry, its details */
    struct audit_entry e;
    assert_int_equal(auditview_get(a, first_seq, &e, NULL), MNV_OK);
    assert_string_equal(e.action, "reveal");
    assert_int_equal(auditview_get(a, 999999, &e, NULL), MNV_ERR_NOT_FOUND);
    session_logout(a);
}

static void test_auditview__bad_filters(void **state)
{
    (void)state;
    struct session *a = svc_login("aud");
    assert_non_null(a);
    struct auditview_filter f;
    struct auditview v;
    struct mnv_diag d;
    auditview_filter_init(&f);
    snprintf(f.from, sizeof(f.from), "2026-02-30");
    mnv_diag_clear(&d);
    assert_int_equal(auditview_open(a, &f, &v, &d), MNV_ERR_AUDIT_FILTER_DATE);
    assert_string_equal(d.item, "from");
    auditview_filter_init(&f);
    snprintf(f.from, sizeof(f.from), "2026-12-03");
    snprintf(f.to, sizeof(f.to), "2026-12-02");
    assert_int_equal(auditview_open(a, &f, &v, NULL), MNV_ERR_AUDIT_FILTER_ORDER);
    /* a filter is compared as the log stores text: a control character cannot match raw */
    auditview_filter_init(&f);
    snprintf(f.user, sizeof(f.user), "clerk\n");
    assert_int_equal(count_filter(a, &f), 0);
    session_logout(a);
}

static void test_auditview__roles(void **state)
{
    (void)state;
    struct auditview_filter f;
    struct auditview v;
    auditview_filter_init(&f);
    struct session *c = svc_login("clerk");
    assert_non_null(c);
    assert_int_equal(auditview_open(c, &f, &v, NULL), MNV_ERR_DENIED);
    struct audit_entry e = svc_last(c);
    assert_string_equal(e.action, "audit.read");
    assert_string_equal(e.result, "denied");
    session_logout(c);
    /* an administrator reads but may not export */
    struct session *ad = svc_login("admin");
    assert_non_null(ad);
    assert_int_equal(auditview_open(ad, &f, &v, NULL), MNV_OK);
    uint64_t rows = 9;
    assert_int_equal(auditview_export_csv(&v, -1, &rows, NULL), MNV_ERR_DENIED);
    assert_int_equal(rows, 0);
    session_logout(ad);
}

static void test_auditview__export(void **state)
{
    (void)state;
    struct session *a = svc_login("aud");
    assert_non_null(a);
    struct auditview_filter f;
    auditview_filter_init(&f);
    snprintf(f.person, sizeof(f.person), "E1");
    snprintf(f.action, sizeof(f.action), "reveal");
    struct auditview v;
    assert_int_equal(auditview_open(a, &f, &v, NULL), MNV_OK);
    char path[300];
    snprintf(path, sizeof(path), "%s/out.csv", svc_dir);
    uint64_t rows;
    assert_int_equal(auditview_export_file(&v, path, &rows, NULL), MNV_OK);
    assert_int_equal(rows, 100);
    struct audit_entry e = svc_last(a);
    assert_string_equal(e.action, "audit.export");
    assert_non_null(strstr(e.detail, "person=E1"));
    assert_non_null(strstr(e.detail, "action=reveal"));
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[1024];
    int lines = 0, internal = 0;
    while (fgets(line, sizeof(line), fp)) {
        lines++;
        internal += strstr(line, "employee:") != NULL;
        if (lines == 2)
            assert_non_null(strstr(line, "\"E1\",\"denied\",\"purpose=tax_withholding reason="
                                         "year end 0\"\r\n"));
    }
    fclose(fp);
    assert_int_equal(lines, 101); /* the header and the oldest first */
    assert_int_equal(internal, 0);
    session_logout(a);
}

static void test_auditview__words(void **state)
{
    (void)state;
    size_t pos = 0;
    char k[32], val[128];
    const char *d = "purpose=tax_withholding reason=year end a=b c";
    assert_int_equal(auditview_detail_next(d, &pos, k, sizeof(k), val, sizeof(val)), 1);
    assert_string_equal(k, "purpose");
    assert_string_equal(val, "tax_withholding");
    assert_int_equal(auditview_detail_next(d, &pos, k, sizeof(k), val, sizeof(val)), 1);
    assert_string_equal(k, "reason");
    assert_string_equal(val, "year end");
    assert_int_equal(auditview_detail_next(d, &pos, k, sizeof(k), val, sizeof(val)), 1);
    assert_string_equal(k, "a");
    assert_string_equal(val, "b c");
    assert_int_equal(auditview_detail_next(d, &pos, k, sizeof(k), val, sizeof(val)), 0);
    pos = 0;
    assert_int_equal(auditview_detail_next("must_change", &pos, k, sizeof(k), val, sizeof(val)), 1);
    assert_string_equal(k, "");
    assert_string_equal(val, "must_change");
    struct session *a = svc_login("aud");
    assert_non_null(a);
    char out[128];
    auditview_subject(a, "custody:3", out, sizeof(out));
    assert_null(strstr(out, "custody"));
    char subj[48];
    snprintf(subj, sizeof(subj), "dependent:%lld", (long long)dep_a);
    auditview_subject(a, subj, out, sizeof(out));
    assert_non_null(strstr(out, "E1"));
    auditview_subject(a, "clerk", out, sizeof(out));
    assert_string_equal(out, "clerk");
    session_logout(a);
}
