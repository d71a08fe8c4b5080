/* Unit tests for payroll.c, payroll_cols.c, payroll_import.c and payrolldb.c: importing
 * year-end figures (good files, every kind of bad row, all or nothing), reading them back,
 * replacing a year, dependants matched by name and birth date, roles, epoch rotation, and
 * the figures going with the employee. */
#include "svcfix.h"

#include "mnvault/payroll.h"
#include "mnvault/payrolldb.h"
#include "mnvault/people.h"

static int64_t emp1, emp2, dep_spouse, dep_child, dep_parent;

static int64_t add_employee(struct session *s, const char *code, const char *name)
{
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "%s", code);
    snprintf(e.name, sizeof(e.name), "%s", name);
    snprintf(e.kana, sizeof(e.kana), "ミホン タロウ");
    snprintf(e.birth_date, sizeof(e.birth_date), "1980-04-01");
    e.sex = SEX_MALE;
    snprintf(e.hire_date, sizeof(e.hire_date), "2010-04-01");
    snprintf(e.address, sizeof(e.address), "東京都千代田区千代田1-1");
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
    dep_spouse = add_dependent(s, emp1, "見本 花子", "1982-05-06", REL_SPOUSE);
    dep_child = add_dependent(s, emp1, "見本 一郎", "2015-07-08", REL_CHILD);
    dep_parent = add_dependent(s, emp1, "見本 松", "1950-01-02", REL_PARENT);
    /* two dependants of E002 with the same name and birth date (a data error) */
    add_dependent(s, emp2, "試験 双子", "2010-01-01", REL_CHILD);
    add_dependent(s, emp2, "試験 双子", "2010-01-01", REL_CHILD);
    session_logout(s);
    return emp1 && emp2 && dep_spouse && dep_child && dep_parent ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return svc_drop();
}

static const char good[] =
    "社員番号,氏名,扶養親族氏名,扶養親族生年月日,控除区分,障害者区分,支払金額,源泉徴収税額,"
    "社会保険料等の金額,乙欄,退職日,摘要,提出先市町村コード\r\n"
    "E001,見本　太郎,,,,,\"6,000,000\",120000,900000,いいえ,,前職分を含む,131016\r\n"
    "E001,,見本 花子,1982-05-06,控除対象配偶者,,,,,,,,\r\n"
    "E001,,見本 一郎,2015-07-08,16歳未満,,,,,,,,\r\n"
    "E001,,見本 松,S25.1.2,同居老親等,特別,,,,,,,\r\n"
    "E002,,,,,special,３００００００,0,450000,yes,令和7年9月30日,,131032\r\n";

static enum mnv_err import(struct session *s, const char *text, int dry_run,
                           struct payroll_report *rep)
{
    struct mnv_diag d;
    mnv_diag_clear(&d);
    return payroll_import_text(s, text, strlen(text), 2025, dry_run, rep, &d);
}

static void test_payroll__import_and_read(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct payroll_report rep;
    assert_int_equal(import(s, good, 0, &rep), MNV_OK);
    assert_int_equal(rep.rows, 5);
    assert_int_equal(rep.employees, 2);
    assert_int_equal(rep.dependents, 3);
    assert_int_equal(rep.replaced, 0);
    payroll_report_free(&rep);
    struct audit_entry last = svc_last(s);
    assert_string_equal(last.action, "payroll.import");
    assert_non_null(strstr(last.detail, "employees=2"));
    assert_null(strstr(last.detail, "6000000"));

    struct payroll_figures f;
    assert_int_equal(payroll_get(s, emp1, 2025, &f, NULL), MNV_OK);
    assert_string_equal(payroll_value(&f, "pay.amount"), "6000000");
    assert_string_equal(payroll_value(&f, "pay.tax"), "120000");
    assert_string_equal(payroll_value(&f, "flag.otsu"), "0");
    assert_string_equal(payroll_value(&f, "summary.text"), "前職分を含む");
    assert_string_equal(payroll_value(&f, "municipality.code"), "131016");
    assert_string_equal(payroll_value(&f, "no.such.key"), "");
    assert_int_equal(f.ndeps, 3);
    assert_int_equal(f.deps[0].dependent_id, dep_spouse);
    assert_int_equal(f.deps[0].deduction, PAYROLL_DED_SPOUSE);
    assert_int_equal(f.deps[1].deduction, PAYROLL_DED_UNDER16);
    assert_int_equal(f.deps[2].dependent_id, dep_parent);
    assert_int_equal(f.deps[2].deduction, PAYROLL_DED_AGED_COHABITING);
    assert_int_equal(f.deps[2].disability, PAYROLL_DIS_SPECIAL);
    assert_int_equal(f.info.version, 1);
    char v[64];
    int word;
    size_t pay = 0;
    while (strcmp(payroll_column_at(pay)->en, "payment") != 0)
        pay++;
    assert_int_equal(payroll_shown_at(&f, pay, v, sizeof(v), &word), 0);
    assert_string_equal(v, "6,000,000");
    assert_int_equal(word, 0);
    payroll_figures_free(&f);

    assert_int_equal(payroll_get(s, emp2, 2025, &f, NULL), MNV_OK);
    assert_string_equal(payroll_value(&f, "pay.amount"), "3000000");
    assert_string_equal(payroll_value(&f, "flag.disabled_special"), "1");
    assert_string_equal(payroll_value(&f, "midyear.kind"), "2");
    assert_string_equal(payroll_value(&f, "midyear.year"), "07");
    assert_string_equal(payroll_value(&f, "midyear.month"), "09");
    assert_string_equal(payroll_value(&f, "midyear.day"), "30");
    assert_string_equal(payroll_value(&f, "x.retired_on"), "2025-09-30");
    payroll_figures_free(&f);
    assert_int_equal(payroll_get(s, emp2, 2024, &f, NULL), MNV_ERR_NOT_FOUND);

    /* the same file again replaces: version 2 */
    assert_int_equal(import(s, good, 0, &rep), MNV_OK);
    assert_int_equal(rep.replaced, 2);
    payroll_report_free(&rep);
    assert_int_equal(payroll_get(s, emp1, 2025, &f, NULL), MNV_OK);
    assert_int_equal(f.info.version, 2);
    payroll_figures_free(&f);
    struct payroll_row_info years[4];
    size_t n;
    assert_int_equal(payroll_years(s, emp1, years, 4, &n, NULL), MNV_OK);
    assert_int_equal(n, 1);
    assert_int_equal(years[0].year, 2025);
    session_logout(s);
}

/* Import bad and expect the problems "line:column:ERR" in order. */
static void expect_problems(const char *text, const char *want)
{
    struct session *s = svc_login("clerk");
    struct payroll_report rep;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = payroll_import_text(s, text, strlen(text), 2026, 0, &rep, &d);
    char got[2048] = "";
    size_t o = 0;
    for (size_t i = 0; i < rep.nproblems; i++)
        o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%ld:%d:%s", i ? " " : "",
                              rep.problems[i].line, rep.problems[i].column,
                              mnv_err_name(rep.problems[i].err));
    if (strcmp(got, want) != 0)
        fail_msg("got  %s\nwant %s", got, want);
    assert_int_equal(err, MNV_ERR_IMPORT_REFUSED);
    payroll_report_free(&rep);
    /* nothing of 2026 was stored */
    struct payroll_figures f;
    assert_int_equal(payroll_get(s, emp1, 2026, &f, NULL), MNV_ERR_NOT_FOUND);
    struct audit_entry last = svc_last(s);
    assert_string_equal(last.action, "payroll.import");
    assert_string_equal(last.result, "refused");
    session_logout(s);
}

static void test_payroll__bad_rows(void **state)
{
    (void)state;
    expect_problems("employee_code,payment,tax,otsu,hired_on,retired_on,municipality_code\n"
                    "E001,12x,1,,,,131016\n"
                    "E002,1,12345678901,perhaps,2025-01-01,,13101\n"
                    "E009,1,1,,,,\n"
                    "E001,1,1,,2026-02-01,2026-03-01,\n",
                    "2:2:PAYROLL_AMOUNT 3:3:PAYROLL_AMOUNT 3:4:PAYROLL_FLAG "
                    "3:5:PAYROLL_DATE_YEAR 3:7:PAYROLL_CODE 4:1:PAYROLL_NO_EMPLOYEE "
                    "5:1:IMPORT_PERSON_TWICE");
    expect_problems("employee_code,dependent_name,dependent_birth_date,deduction,payment\n"
                    "E001,,,,1\n"
                    "E001,見本 花子,1982-05-07,spouse,\n"
                    "E001,見本 誰か,1982-05-06,spouse,\n"
                    "E001,見本 一郎,2015-07-08,spouse,\n"
                    "E001,見本 松,,aged,\n"
                    "E001,見本 松,1950-01-02,,5\n"
                    "E002,試験 双子,2010-01-01,general,\n",
                    "3:3:PAYROLL_DEP_BIRTH 4:2:PAYROLL_DEP_NOT_FOUND 5:4:PAYROLL_SPOUSE_CATEGORY "
                    "6:3:PAYROLL_DEP_BIRTH_NEEDED 7:4:PAYROLL_DEDUCTION_NEEDED "
                    "7:5:PAYROLL_EMP_COLUMN 8:2:PAYROLL_DEP_AMBIGUOUS");
    expect_problems("employee_code,dependent_name,dependent_birth_date,deduction\n"
                    "E001,見本 花子,1982-05-06,spouse\n",
                    "2:1:PAYROLL_NO_EMPLOYEE_ROW");
    expect_problems("employee_code,dependent_name,dependent_birth_date,deduction,payment\n"
                    "E001,,,,1\n"
                    "E001,見本 一郎,2015-07-08,general,\n"
                    "E001,見本 松,1950-01-02,specific,\n",
                    "3:4:PAYROLL_DEP_AGE 4:4:PAYROLL_DEP_AGE");
    expect_problems("employee_code,name,dependent_name,dependent_birth_date,deduction,otsu\n"
                    "E001,別人 太郎,,,,\n"
                    "E001,,見本 花子,1982-05-06,spouse,\n"
                    "E001,,見本 花子,1982-05-06,none,\n"
                    "E001,,見本 松,1950-01-02,spouse_aged,\n"
                    "E001,,見本 一郎,2015-07-08,under16,yes\n",
                    "2:2:IMPORT_NAME_MISMATCH 4:3:IMPORT_PERSON_TWICE 5:5:PAYROLL_SPOUSE_CATEGORY "
                    "6:6:PAYROLL_EMP_COLUMN");
}

static void test_payroll__whole_file_errors(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct payroll_report rep;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    static const char unknown[] = "employee_code,salary\nE001,1\n";
    assert_int_equal(payroll_import_text(s, unknown, strlen(unknown), 2025, 0, &rep, &d),
                     MNV_ERR_CSV_HEADER);
    assert_string_equal(d.item, "salary");
    assert_int_equal(d.column, 2);
    static const char twice[] = "employee_code,payment,支払金額\n";
    assert_int_equal(payroll_import_text(s, twice, strlen(twice), 2025, 0, &rep, &d),
                     MNV_ERR_CSV_COLUMN_TWICE);
    static const char nocode[] = "payment\n1\n";
    assert_int_equal(payroll_import_text(s, nocode, strlen(nocode), 2025, 0, &rep, &d),
                     MNV_ERR_CSV_COLUMN_MISSING);
    static const char empty[] = "employee_code,payment\n";
    assert_int_equal(payroll_import_text(s, empty, strlen(empty), 2025, 0, &rep, &d),
                     MNV_ERR_IMPORT_EMPTY);
    assert_int_equal(payroll_import_text(s, empty, 0, 2025, 0, &rep, &d), MNV_ERR_IMPORT_EMPTY);
    assert_int_equal(payroll_import_text(s, good, strlen(good), 2015, 0, &rep, &d),
                     MNV_ERR_PAYROLL_YEAR);
    assert_int_equal(payroll_import_csv(s, "/nonexistent/x.csv", 2025, 0, &rep, &d),
                     MNV_ERR_NOT_FOUND);
    payroll_report_free(&rep);
    /* dry run: checked, not stored */
    static const char dry[] = "employee_code,payment\nE001,1\nE002,2\n";
    assert_int_equal(payroll_import_text(s, dry, strlen(dry), 2027, 1, &rep, &d), MNV_OK);
    assert_int_equal(rep.rows, 2);
    struct payroll_figures f;
    assert_int_equal(payroll_get(s, emp1, 2027, &f, NULL), MNV_ERR_NOT_FOUND);
    session_logout(s);
}

static void test_payroll__cp932_file(void **state)
{
    (void)state;
    char path[300], cmd[1400];
    snprintf(path, sizeof(path), "%s/payroll-sjis.csv", svc_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("社員番号,支払金額,摘要\r\nE002,4000000,ｶﾀｶﾅ㈱\r\n", f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "iconv -f UTF-8 -t CP932 '%s' > '%s.x' && mv '%s.x' '%s'", path,
             path, path, path);
    assert_int_equal(system(cmd), 0);
    struct session *s = svc_login("sup");
    struct payroll_report rep;
    assert_int_equal(payroll_import_csv(s, path, 2024, 0, &rep, NULL), MNV_OK);
    assert_int_equal(rep.encoding, CSV_CP932);
    payroll_report_free(&rep);
    struct payroll_figures fig;
    assert_int_equal(payroll_get(s, emp2, 2024, &fig, NULL), MNV_OK);
    assert_string_equal(payroll_value(&fig, "summary.text"), "ｶﾀｶﾅ㈱");
    payroll_figures_free(&fig);
    session_logout(s);
}

static void test_payroll__roles(void **state)
{
    (void)state;
    static const char *const denied[] = {"aud", "admin"};
    for (size_t i = 0; i < 2; i++) {
        struct session *s = svc_login(denied[i]);
        struct payroll_report rep;
        struct payroll_figures f;
        assert_int_equal(import(s, good, 0, &rep), MNV_ERR_DENIED);
        payroll_report_free(&rep);
        assert_int_equal(payroll_get(s, emp1, 2025, &f, NULL), MNV_ERR_DENIED);
        struct audit_entry last = svc_last(s);
        assert_string_equal(last.result, "denied");
        session_logout(s);
    }
}

static void test_payroll__epoch_rotation(void **state)
{
    (void)state;
    struct session *s = svc_login("sup");
    struct payroll_report rep;
    assert_int_equal(import(s, good, 0, &rep), MNV_OK);
    payroll_report_free(&rep);
    long rewrapped;
    assert_int_equal(people_rotate_epoch(s, &rewrapped, NULL), MNV_OK);
    struct audit_entry last = svc_last(s);
    assert_non_null(strstr(last.detail, "payroll="));
    struct payroll_figures f;
    assert_int_equal(payroll_get(s, emp1, 2025, &f, NULL), MNV_OK);
    assert_string_equal(payroll_value(&f, "pay.amount"), "6000000");
    payroll_figures_free(&f);
    long checked;
    assert_int_equal(payrolldb_check_all(session_vault(s), &checked, NULL), MNV_OK);
    assert_true(checked >= 2);
    session_logout(s);
}

static void test_payroll__deleted_with_employee(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    int64_t e3 = add_employee(s, "E003", "架空 三郎");
    static const char text[] = "employee_code,payment\nE003,100\n";
    struct payroll_report rep;
    assert_int_equal(payroll_import_text(s, text, strlen(text), 2025, 0, &rep, NULL), MNV_OK);
    payroll_report_free(&rep);
    int64_t *ids;
    size_t n, before;
    assert_int_equal(payrolldb_employees(session_vault(s), 2025, &ids, &n, NULL), MNV_OK);
    before = n;
    free(ids);
    assert_int_equal(people_employee_delete(s, e3, NULL), MNV_OK);
    assert_int_equal(payrolldb_employees(session_vault(s), 2025, &ids, &n, NULL), MNV_OK);
    assert_int_equal(n, before - 1);
    for (size_t i = 0; i < n; i++)
        assert_true(ids[i] != e3);
    free(ids);
    struct payroll_figures f;
    assert_int_equal(payroll_get(s, e3, 2025, &f, NULL), MNV_ERR_NOT_FOUND);
    session_logout(s);
}

static void test_payroll__parse_refuses_garbage(void **state)
{
    (void)state;
    static const char *const texts[] = {"",
                                        "x=1\n",
                                        "v=2\n",
                                        "v=1\nnoequals\n",
                                        "v=1\ndep=1,spouse,none\n",
                                        "v=1\ndep=x,spouse,none,0\n",
                                        "v=1\ndep=1,wife,none,0\n"};
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        size_t n = strlen(texts[i]);
        char *t = secmem_alloc(n + 1);
        memcpy(t, texts[i], n + 1);
        struct payroll_figures f;
        memset(&f, 0, sizeof(f));
        assert_int_equal(payroll_parse(t, n, &f), MNV_ERR_SEAL_BROKEN);
        payroll_figures_free(&f);
    }
    assert_string_equal(payroll_deduction_name(PAYROLL_DED_TOKUTEI), "tokutei");
    assert_string_equal(payroll_deduction_name((enum payroll_deduction)99), "");
    assert_null(payroll_column_at(1000));
}

static void test_payroll__demo_csv(void **state)
{
    (void)state;
    char *text;
    size_t len;
    assert_int_equal(payroll_demo_csv(1, 0, 30, 2025, &text, &len), MNV_OK);
    assert_true(len > 100);
    assert_non_null(strstr(text, "E000001,"));
    char *again;
    size_t len2;
    assert_int_equal(payroll_demo_csv(1, 0, 30, 2025, &again, &len2), MNV_OK);
    assert_int_equal(len, len2);
    assert_memory_equal(text, again, len);
    free(text);
    free(again);
}
