/* Unit tests for export.c, export_src.c, export_file.c, custody.c and employer.c: the
 * purpose gate (missing, refused, disposed, not notified), a copy without numbers, the
 * thresholds and their override, the file (mode, hash, never over another file), the
 * custody register and its moves, roles. A layout of its own (an employee copy without
 * numbers) lives in a temporary share folder beside links to the shipped data. */
#include "svcfix.h"

#include <sodium.h>
#include <sys/stat.h>

#include "mnvault/custody.h"
#include "mnvault/employer.h"
#include "mnvault/export.h"
#include "mnvault/payroll.h"
#include "mnvault/people.h"
#include "mnvault/vault.h"

static char share[300];
static int64_t e1, e2, e3, e4, d1;

static int64_t add_emp(struct session *s, const char *code, const char *name, const char *number,
                       const char *purpose)
{
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "%s", code);
    snprintf(e.name, sizeof(e.name), "%s", name);
    snprintf(e.kana, sizeof(e.kana), "ミホン");
    snprintf(e.birth_date, sizeof(e.birth_date), "1980-04-01");
    snprintf(e.address, sizeof(e.address), "東京都千代田区1-1");
    snprintf(e.hire_date, sizeof(e.hire_date), "2010-04-01");
    e.sex = SEX_MALE;
    if (people_employee_add(s, &e, NULL) != MNV_OK)
        return 0;
    if (number) {
        struct mynumber n;
        struct purpose_notice p = {purpose, "2025-01-10"};
        struct person_ref ref = {PERSON_EMPLOYEE, e.id};
        if (mynumber_parse(&n, MYNUMBER_INDIVIDUAL, number, 12, NULL) != MNV_OK ||
            people_number_store(s, &ref, &n, &p, 1, NULL) != MNV_OK)
            return 0;
        mynumber_clear(&n);
    }
    return e.id;
}

static void make_share(void)
{
    char cmd[4000];
    snprintf(share, sizeof(share), "/tmp/mnv-share-XXXXXX");
    if (!mkdtemp(share))
        return;
    snprintf(cmd, sizeof(cmd),
             "cp -r data/. '%s/' && sed -e 's/^id = nta375/id = copies/' "
             "-e 's/^\\[copy.tax\\]/[copy.employee]\\ntitle_ja = 受給者交付用\\ntitle_en = For "
             "the employee\\ndestination = person\\nselect = all\\nnumbers = no\\n[copy.tax]/' "
             "data/forms/nta375-2025.ini > '%s/forms/copies-2025.ini'",
             share, share);
    if (system(cmd) != 0)
        fprintf(stderr, "make_share failed\n");
}

static int group_setup(void **state)
{
    (void)state;
    make_share(); /* before anything reads the data folder (paths.h remembers it) */
    setenv("MNVAULT_SHAREDIR", share, 1);
    if (svc_make() != 0)
        return -1;
    struct session *s = svc_login("clerk");
    e1 = add_emp(s, "E1", "見本 一郎", "123456789018", "tax_withholding");
    e2 = add_emp(s, "E2", "見本 二郎", NULL, NULL);                         /* missing */
    e3 = add_emp(s, "E3", "見本 三郎", "234567890121", "social_insurance"); /* purpose */
    e4 = add_emp(s, "E4", "見本 四郎", NULL, NULL);                         /* refused */
    struct person_ref r4 = {PERSON_EMPLOYEE, e4};
    struct dependent d;
    memset(&d, 0, sizeof(d));
    d.employee_id = e1;
    snprintf(d.name, sizeof(d.name), "見本 花子");
    snprintf(d.kana, sizeof(d.kana), "ミホン ハナコ");
    snprintf(d.birth_date, sizeof(d.birth_date), "1982-05-06");
    d.relation = REL_SPOUSE;
    d.sex = SEX_FEMALE;
    int ok = people_number_refused(s, &r4, "2025-02-01", "declined", NULL) == MNV_OK &&
             people_dependent_add(s, &d, NULL) == MNV_OK;
    d1 = d.id;
    static const char fig[] = "employee_code,dependent_name,dependent_birth_date,deduction,"
                              "payment,tax_office\n"
                              "E1,,,,6000000,\nE1,見本 花子,1982-05-06,spouse,,\n"
                              "E2,,,,5500000,\nE3,,,,7000000,\nE4,,,,1000000,yes\n";
    struct payroll_report rep;
    ok = ok && payroll_import_text(s, fig, strlen(fig), 2025, 0, &rep, NULL) == MNV_OK;
    payroll_report_free(&rep);
    session_logout(s);
    return ok && e1 && e2 && e3 && e4 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", share);
    return svc_drop() == 0 && system(cmd) == 0 ? 0 : -1;
}

static enum mnv_err run(struct session *s, const char *form, const char *copy, const char *out,
                        int skip, struct export_report *rep)
{
    struct export_request req = {form, 2025, copy, NULL, NULL, out, NULL, skip, 0, 0, NULL, NULL};
    req.dry_run = out == NULL;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    return export_run(s, &req, rep, &d);
}

static void test_export__gate(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct export_report rep;
    assert_int_equal(run(s, "copies", "tax", NULL, 0, &rep), MNV_ERR_EXPORT_GAPS);
    /* E1 (with spouse d1: no number), E2 missing, E3 purpose, E4 refused (override yes) */
    assert_int_equal(rep.gaps_total, 4);
    assert_int_equal(rep.gaps[0].person.kind, PERSON_DEPENDENT);
    assert_int_equal(rep.gaps[0].role, EXPORT_ROLE_SPOUSE);
    assert_int_equal(rep.gaps[0].reason, EXPORT_GAP_MISSING);
    assert_string_equal(rep.gaps[1].code, "E2");
    assert_int_equal(rep.gaps[1].reason, EXPORT_GAP_MISSING);
    assert_int_equal(rep.gaps[2].reason, EXPORT_GAP_PURPOSE);
    assert_int_equal(rep.gaps[3].reason, EXPORT_GAP_REFUSED);
    assert_int_equal(rep.gaps[3].line, 4);
    assert_int_equal(rep.custody_id, 0);
    struct audit_entry last = svc_last(s);
    assert_string_equal(last.action, "export");
    assert_string_equal(last.result, "refused");
    assert_non_null(strstr(last.detail, "not_notified=1"));
    export_report_free(&rep);
    /* a disposed number is a gap too */
    assert_int_equal(vault_exec(session_vault(s),
                                "UPDATE numbers SET status = 'disposed' WHERE employee_id = 3",
                                NULL),
                     MNV_OK);
    assert_int_equal(run(s, "copies", "tax", NULL, 0, &rep), MNV_ERR_EXPORT_GAPS);
    assert_int_equal(rep.gaps[2].reason, EXPORT_GAP_DISPOSED);
    export_report_free(&rep);
    assert_int_equal(vault_exec(session_vault(s),
                                "UPDATE numbers SET status = 'registered' WHERE employee_id = 3",
                                NULL),
                     MNV_OK);
    /* with skip_missing, a dry run reports what would go out */
    assert_int_equal(run(s, "copies", "tax", NULL, 1, &rep), MNV_OK);
    assert_int_equal(rep.slips, 4);
    assert_int_equal(rep.numbers, 1);
    assert_int_equal(rep.left_out, 4);
    export_report_free(&rep);
    session_logout(s);
}

static void test_export__thresholds(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct export_report rep;
    /* nta375's tax copy: above 5,000,000 (E1, E2, E3) and E4 by its override */
    assert_int_equal(run(s, "nta375", NULL, NULL, 1, &rep), MNV_OK);
    assert_int_equal(rep.candidates, 4);
    assert_int_equal(rep.slips, 4);
    export_report_free(&rep);
    static const char no[] = "employee_code,tax_office\nE4,no\n";
    static const char fig[] = "employee_code,payment,tax_office\nE4,1000000,auto\n";
    struct payroll_report prep;
    assert_int_equal(payroll_import_text(s, fig, strlen(fig), 2025, 0, &prep, NULL), MNV_OK);
    payroll_report_free(&prep);
    assert_int_equal(run(s, "nta375", NULL, NULL, 1, &rep), MNV_OK);
    assert_int_equal(rep.slips, 3);
    export_report_free(&rep);
    assert_int_equal(payroll_import_text(s, no, strlen(no), 2025, 1, &prep, NULL), MNV_OK);
    payroll_report_free(&prep);
    static const char back[] = "employee_code,payment,tax_office\nE4,1000000,yes\n";
    assert_int_equal(payroll_import_text(s, back, strlen(back), 2025, 0, &prep, NULL), MNV_OK);
    payroll_report_free(&prep);
    session_logout(s);
}

/* Read a whole file into buf; its size. */
static long slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    long n = (long)fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0';
    return n;
}

static void test_export__file_and_register(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    char out[400], data[65536];
    snprintf(out, sizeof(out), "%s/tax.csv", svc_dir);
    struct export_report rep;
    assert_int_equal(run(s, "copies", "tax", out, 1, &rep), MNV_OK);
    struct stat st;
    assert_int_equal(stat(out, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    long n = slurp(out, data, sizeof(data));
    assert_int_equal(n, rep.size);
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)data, (unsigned long long)n);
    assert_string_equal(vcrypto_hex(hex, h, 32), rep.sha256);
    assert_non_null(strstr(data, "123456789018"));
    struct custody_entry e;
    assert_int_equal(custody_get(s, rep.custody_id, &e, NULL), MNV_OK);
    assert_int_equal(e.state, CUSTODY_WRITTEN);
    assert_int_equal(e.numbers, 1);
    assert_int_equal(e.slips, 4);
    assert_string_equal(e.destination, "tax_office");
    assert_string_equal(custody_hash_hex(&e, hex), rep.sha256);
    assert_string_equal(e.path, out);
    int64_t id = rep.custody_id;
    export_report_free(&rep);
    /* never over an existing file; nothing else changes */
    assert_int_equal(run(s, "copies", "tax", out, 1, &rep), MNV_ERR_EXPORT_EXISTS);
    export_report_free(&rep);
    assert_int_equal(slurp(out, data, sizeof(data)), n);
    /* the register: outstanding for E1, not for E2 */
    int64_t *ids;
    size_t count;
    struct person_ref r1 = {PERSON_EMPLOYEE, e1}, r2 = {PERSON_EMPLOYEE, e2};
    assert_int_equal(custody_outstanding(s, &r1, &ids, &count, NULL), MNV_OK);
    assert_int_equal(count, 1);
    assert_int_equal(ids[0], id);
    free(ids);
    assert_int_equal(custody_outstanding(s, &r2, &ids, &count, NULL), MNV_OK);
    assert_int_equal(count, 0);
    free(ids);
    /* moves */
    assert_int_equal(custody_mark(s, id, CUSTODY_WRITING, "", NULL), MNV_ERR_CUSTODY_STATE);
    assert_int_equal(custody_mark(s, id, CUSTODY_RETURNED, "123456789018", NULL),
                     MNV_ERR_FIELD_NUMBER);
    assert_int_equal(custody_mark(s, id, CUSTODY_DESTROYED, "シュレッダー", NULL), MNV_OK);
    assert_int_equal(custody_mark(s, id, CUSTODY_SUBMITTED, "", NULL), MNV_ERR_CUSTODY_STATE);
    assert_int_equal(custody_mark(s, 9999, CUSTODY_SUBMITTED, "", NULL), MNV_ERR_NOT_FOUND);
    assert_int_equal(custody_outstanding(s, &r1, &ids, &count, NULL), MNV_OK);
    assert_int_equal(count, 0);
    free(ids);
    struct custody_entry *list;
    struct custody_filter f = {2025, "copies", 0};
    assert_int_equal(custody_list(s, &f, &list, &count, NULL), MNV_OK);
    assert_int_equal(count, 1);
    assert_int_equal(list[0].state, CUSTODY_DESTROYED);
    assert_string_equal(list[0].note, "シュレッダー");
    free(list);
    session_logout(s);
}

static void test_export__copy_without_numbers(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    char out[400], data[65536];
    snprintf(out, sizeof(out), "%s/employee.csv", svc_dir);
    struct export_report rep;
    /* no gate at all: nothing is decrypted, so nothing is missing */
    assert_int_equal(run(s, "copies", "employee", out, 0, &rep), MNV_OK);
    assert_int_equal(rep.numbers, 0);
    assert_int_equal(rep.gaps_total, 0);
    assert_string_equal(rep.destination, "person");
    assert_true(slurp(out, data, sizeof(data)) > 0);
    assert_null(strstr(data, "123456789018"));
    assert_non_null(strstr(data, "7000012050002")); /* the corporate number is public */
    export_report_free(&rep);
    session_logout(s);
}

static void test_export__refusals(void **state)
{
    (void)state;
    struct export_report rep;
    struct session *a = svc_login("aud");
    assert_int_equal(run(a, "nta375", NULL, NULL, 1, &rep), MNV_ERR_DENIED);
    export_report_free(&rep);
    struct custody_entry *list;
    size_t n;
    assert_int_equal(custody_list(a, NULL, &list, &n, NULL), MNV_OK); /* auditors read it */
    free(list);
    assert_int_equal(custody_mark(a, 1, CUSTODY_SUBMITTED, "", NULL), MNV_ERR_DENIED);
    session_logout(a);
    struct session *s = svc_login("clerk");
    struct export_request req = {"nta375", 2024, NULL, NULL, NULL, NULL, NULL, 0, 1, 0, NULL, NULL};
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(export_run(s, &req, &rep, &d), MNV_ERR_FORM_NO_LAYOUT);
    assert_non_null(strstr(d.where, "forms/nta375-2024.ini"));
    export_report_free(&rep);
    req.year = 2025;
    req.copy = "employee";
    assert_int_equal(export_run(s, &req, &rep, &d), MNV_ERR_FORM_COPY);
    export_report_free(&rep);
    req.copy = NULL;
    req.purpose = "social_insurance";
    assert_int_equal(export_run(s, &req, &rep, &d), MNV_ERR_EXPORT_PURPOSE_WRONG);
    export_report_free(&rep);
    req.purpose = "nosuch";
    assert_int_equal(export_run(s, &req, &rep, &d), MNV_ERR_PURPOSE_UNKNOWN);
    export_report_free(&rep);
    req.purpose = NULL;
    req.only_code = "NOBODY";
    assert_int_equal(export_run(s, &req, &rep, &d), MNV_ERR_EXPORT_NONE);
    export_report_free(&rep);
    session_logout(s);
}

static void test_export__employer(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    char v[EMPLOYER_VALUE_MAX + 1];
    assert_int_equal(employer_set(s, "phone", "03-1234-5678", NULL), MNV_OK);
    assert_int_equal(employer_get(s, "phone", v, sizeof(v)), MNV_OK);
    assert_string_equal(v, "03-1234-5678");
    assert_int_equal(employer_get(s, "payer.phone", v, sizeof(v)), MNV_OK);
    assert_string_equal(v, "03-1234-5678");
    assert_int_equal(employer_set(s, "phone", "03 1234", NULL), MNV_ERR_FIELD_CHARS);
    assert_int_equal(employer_set(s, "seiri1", "12345678901", NULL), MNV_ERR_FIELD_LONG);
    assert_int_equal(employer_set(s, "contact", "人事 123456789018", NULL), MNV_ERR_FIELD_NUMBER);
    assert_int_equal(employer_set(s, "colour", "x", NULL), MNV_ERR_EMPLOYER_KEY);
    assert_int_equal(employer_get(s, "colour", v, sizeof(v)), MNV_ERR_EMPLOYER_KEY);
    assert_int_equal(employer_get(s, "contact", v, sizeof(v)), MNV_OK);
    assert_string_equal(v, "");
    struct audit_entry last = svc_last(s);
    assert_string_equal(last.action, "employer.update");
    assert_null(strstr(last.detail, "1234"));
    session_logout(s);
    struct session *a = svc_login("aud");
    assert_int_equal(employer_set(a, "phone", "03", NULL), MNV_ERR_DENIED);
    session_logout(a);
}

/* Blank field pos (1-based) of every line of in into out. */
static void blank_field(const char *in, const char *out, int pos)
{
    char data[65536], res[65536];
    long n = slurp(in, data, sizeof(data));
    size_t o = 0;
    int field = 1;
    for (long i = 0; i < n; i++) {
        if (data[i] == ',')
            field++;
        else if (data[i] == '\n')
            field = 1;
        if (field == pos && data[i] != ',')
            continue;
        res[o++] = data[i];
    }
    FILE *f = fopen(out, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(res, 1, o, f), o);
    fclose(f);
}

static void test_export__fill(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    char exp[400], in[400], out[400], bad[400], a[65536], b[65536];
    snprintf(exp, sizeof(exp), "%s/fill-exp.csv", svc_dir);
    snprintf(in, sizeof(in), "%s/fill-in.csv", svc_dir);
    snprintf(out, sizeof(out), "%s/fill-out.csv", svc_dir);
    snprintf(bad, sizeof(bad), "%s/fill-bad.csv", svc_dir);
    struct export_report rep;
    struct export_request req = {"nta375", 2025, NULL, NULL, NULL, exp, "E1", 1, 0, 0, NULL, NULL};
    assert_int_equal(export_run(s, &req, &rep, NULL), MNV_OK);
    export_report_free(&rep);
    blank_field(exp, in, 95);
    struct export_fill_request fr = {"nta375", in, out, NULL, NULL, 1, 0, 0, 0};
    assert_int_equal(export_fill(s, &fr, &rep, NULL), MNV_OK);
    assert_int_equal(rep.numbers, 1);
    assert_int_equal(rep.fill, 1);
    export_report_free(&rep);
    long na = slurp(exp, a, sizeof(a)), nb = slurp(out, b, sizeof(b));
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, (size_t)na);
    /* a number already there is refused; nothing is written */
    fr.in_path = exp;
    fr.out_path = bad;
    assert_int_equal(export_fill(s, &fr, &rep, NULL), MNV_ERR_EXPORT_FAULTS);
    assert_int_equal(rep.faults[0].err, MNV_ERR_FILL_NUMBER_GIVEN);
    assert_int_equal(rep.faults[0].pos, 95);
    export_report_free(&rep);
    struct stat st;
    assert_int_equal(stat(bad, &st), -1);
    /* a row nobody matches */
    blank_field(in, bad, 14);
    fr.in_path = bad;
    fr.dry_run = 1;
    assert_int_equal(export_fill(s, &fr, &rep, NULL), MNV_ERR_EXPORT_FAULTS);
    assert_int_equal(rep.faults[0].err, MNV_ERR_FILL_NO_EMPLOYEE);
    assert_int_equal(rep.faults[0].line, 1);
    export_report_free(&rep);
    session_logout(s);
}
