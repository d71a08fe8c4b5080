/* Unit tests for import.c: all or nothing, every bad row listed with its line and reason,
 * duplicates inside the file and against the vault, existing and new people, dependents,
 * Shift_JIS files, and the audit entry. */
#include "collectfix.h"

#include "mnvault/audit.h"
#include "mnvault/auditor.h"
#include "mnvault/collect.h"
#include "mnvault/import.h"

static char path[300];

static int setup(void **state)
{
    (void)state;
    if (cfx_make() != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/in.csv", cfx.dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return cfx_drop();
}

static void write_file(const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static long employees(void)
{
    struct person_list l;
    assert_int_equal(people_list(cfx.s, &l, NULL), MNV_OK);
    long n = (long)l.count;
    person_list_free(&l);
    return n;
}

#define HEAD                                                                                       \
    "employee_code,name,kana,birth_date,sex,hire_date,my_number,documents,verified_by,"            \
    "verified_on,purposes\n"

static void test_import__good_file(void **state)
{
    (void)state;
    write_file(HEAD "E1,試験 太郎,シケン タロウ,1980-04-01,M,2010-04-01,874263411501,mynumber_card,"
                    "人事,2026-04-01,tax_withholding;social_insurance\n"
                    "E2,試験 次郎,シケン ジロウ,S55.4.2,男,2010-04-01,2911 0904 3456,"
                    "notification_card;drivers_licence#12AB,人事,R8.4.1,tax_withholding\n");
    struct import_report rep;
    assert_int_equal(import_csv(cfx.s, path, 0, &rep, NULL), MNV_OK);
    assert_int_equal(rep.rows, 2);
    assert_int_equal(rep.employees_added, 2);
    assert_int_equal(rep.numbers_stored, 2);
    assert_int_equal(rep.nproblems, 0);
    import_report_free(&rep);
    struct person_list l;
    assert_int_equal(people_list(cfx.s, &l, NULL), MNV_OK);
    assert_int_equal(l.count, 2);
    assert_true(l.rows[0].verified && l.rows[1].verified);
    struct person_ref ref = {PERSON_EMPLOYEE, l.rows[1].id};
    person_list_free(&l);
    struct collect_rec rec;
    assert_int_equal(collect_current(cfx.s, &ref, &rec, NULL), MNV_OK);
    assert_string_equal(rec.verified_on, "2026-04-01");
    assert_int_equal(rec.ndocs, 2);
    assert_string_equal(rec.docs[1].ref, "12AB");
    struct audit_entry e[4];
    size_t n;
    assert_int_equal(auditor_recent(cfx.s, 1, e, &n, NULL), MNV_OK);
    assert_string_equal(e[0].action, "import");
    assert_non_null(strstr(e[0].detail, "rows=2"));
}

static void test_import__one_bad_row_imports_nothing(void **state)
{
    (void)state;
    write_file(HEAD "E1,試験 太郎,シケン タロウ,1980-04-01,M,2010-04-01,874263411501,mynumber_card,"
                    "人事,2026-04-01,tax_withholding\n"
                    "E2,試験 次郎,シケン ジロウ,1980-04-02,M,2010-04-01,874263411502,mynumber_card,"
                    "人事,2026-04-01,tax_withholding\n"
                    "E3,試験 三郎,シケン サブロウ,1980-04-03,M,2010-04-01,291109043456,"
                    "notification_card,人事,2026-04-01,tax_withholding\n"
                    "E4,試験 四郎,シケン シロウ,1980-04-04,M,2010-04-01,382642468278,mynumber_card,"
                    ",2026-04-01,tax_withholding\n"
                    "E5,試験 五郎,シケン ゴロウ,1980-04-05,M,2010-04-01,348814125170,123456789012,"
                    "人事,2026-04-01,tax_withholding\n");
    struct import_report rep;
    assert_int_equal(import_csv(cfx.s, path, 0, &rep, NULL), MNV_ERR_IMPORT_REFUSED);
    assert_int_equal(rep.rows, 5);
    assert_int_equal(rep.nproblems, 4);
    assert_int_equal(rep.problems[0].line, 3);
    assert_string_equal(rep.problems[0].column, "my_number");
    assert_int_equal(rep.problems[0].err, MNV_ERR_NUM_CHECK);
    assert_int_equal(rep.problems[1].line, 4);
    assert_int_equal(rep.problems[1].err, MNV_ERR_ID_IDENTITY_MISSING);
    assert_string_equal(rep.problems[1].column, "documents");
    assert_int_equal(rep.problems[2].line, 5);
    assert_int_equal(rep.problems[2].err, MNV_ERR_VERIFIER_NEEDED);
    assert_int_equal(rep.problems[3].line, 6);
    assert_int_equal(rep.problems[3].err, MNV_ERR_ID_DOC_UNKNOWN);
    /* A number typed in the wrong column is never quoted back. */
    assert_string_equal(rep.problems[3].item, "#1");
    import_report_free(&rep);
    assert_int_equal(employees(), 0);
}

static void test_import__duplicates(void **state)
{
    (void)state;
    int64_t id = cfx_employee("E9", "試験 九郎");
    write_file(HEAD "E9,,,,,,382642468278,mynumber_card,人事,2026-04-01,tax_withholding\n");
    struct import_report rep;
    assert_int_equal(import_csv(cfx.s, path, 0, &rep, NULL), MNV_OK);
    import_report_free(&rep);
    write_file(HEAD "E1,試験 太郎,シケン タロウ,1980-04-01,M,2010-04-01,874263411501,mynumber_card,"
                    "人事,2026-04-01,tax_withholding\n"
                    "E2,試験 次郎,シケン ジロウ,1980-04-02,M,2010-04-01,8742-6341-1501,"
                    "mynumber_card,人事,2026-04-01,tax_withholding\n"
                    "E3,試験 三郎,シケン サブロウ,1980-04-03,M,2010-04-01,382642468278,"
                    "mynumber_card,人事,2026-04-01,tax_withholding\n"
                    "E9,,,,,,382642468278,mynumber_card,人事,2026-04-01,tax_withholding\n"
                    "E1,試験 太郎,シケン タロウ,1980-04-01,M,2010-04-01,291109043456,mynumber_card,"
                    "人事,2026-04-01,tax_withholding\n");
    assert_int_equal(import_csv(cfx.s, path, 0, &rep, NULL), MNV_ERR_IMPORT_REFUSED);
    assert_int_equal(rep.nproblems, 5);
    assert_int_equal(rep.problems[0].err, MNV_ERR_IMPORT_DUP_FILE);
    assert_string_equal(rep.problems[0].item, "3");
    assert_int_equal(rep.problems[1].err, MNV_ERR_IMPORT_DUP_FILE);
    assert_string_equal(rep.problems[1].item, "2");
    assert_int_equal(rep.problems[2].err, MNV_ERR_NUMBER_DUPLICATE);
    assert_int_equal(rep.problems[3].err, MNV_ERR_NUMBER_SAME);
    assert_int_equal(rep.problems[4].err, MNV_ERR_IMPORT_PERSON_TWICE);
    import_report_free(&rep);
    assert_int_equal(employees(), 1);
    (void)id;
}

static void test_import__existing_people_and_dependents(void **state)
{
    (void)state;
    int64_t id = cfx_employee("E1", "試験 太郎");
    write_file(
        "社員番号,扶養親族氏名,続柄,フリガナ,生年月日,性別,個人番号,確認方法,確認書類,確認者,"
        "確認日,利用目的\n"
        "E1,,,,,,874263411501,本人,mynumber_card,人事,2026-04-01,給与所得の源泉徴収票・"
        "給与支払報告書・給与所得者異動届出書の作成及び提出に関する事務\n"
        "E1,試験 一子,子,シケン イチコ,2015-01-01,女,291109043456,employee_declared,,人事,"
        "2026-04-01,tax_declarations\n"
        "E1,試験 花子,配偶者,シケン ハナコ,1982-01-01,F,382642468278,category3,"
        "power_of_attorney;agent:drivers_licence;juminhyo_with_number,人事,2026-04-01,"
        "pension_category3\n");
    struct import_report rep;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = import_csv(cfx.s, path, 0, &rep, &d);
    for (size_t i = 0; i < rep.nproblems; i++)
        print_message("# line %ld %s %s %s\n", rep.problems[i].line, rep.problems[i].column,
                      mnv_err_name(rep.problems[i].err), rep.problems[i].item);
    assert_int_equal(err, MNV_OK);
    assert_int_equal(rep.employees_added, 0);
    assert_int_equal(rep.dependents_added, 2);
    assert_int_equal(rep.numbers_stored, 3);
    import_report_free(&rep);
    struct dependent *deps;
    size_t n;
    assert_int_equal(people_dependents_of(cfx.s, id, &deps, &n, NULL), MNV_OK);
    assert_int_equal(n, 2);
    struct person_ref ref = {PERSON_DEPENDENT, deps[1].id};
    free(deps);
    struct collect_rec rec;
    assert_int_equal(collect_current(cfx.s, &ref, &rec, NULL), MNV_OK);
    assert_string_equal(rec.route, "category3");
    assert_string_equal(rec.docs[1].check, "agent_identity");
    /* A changed number for an existing person is a re-collection. */
    write_file(HEAD
               "E1,試験 太郎,,,,,348814125170,mynumber_card,人事,2026-05-01,tax_withholding\n");
    assert_int_equal(import_csv(cfx.s, path, 0, &rep, NULL), MNV_OK);
    assert_int_equal(rep.recollected, 1);
    import_report_free(&rep);
    /* A name that does not match the code is caught. */
    write_file(HEAD
               "E1,別人 太郎,,,,,094482246340,mynumber_card,人事,2026-05-01,tax_withholding\n");
    assert_int_equal(import_csv(cfx.s, path, 0, &rep, NULL), MNV_ERR_IMPORT_REFUSED);
    assert_int_equal(rep.problems[0].err, MNV_ERR_IMPORT_NAME_MISMATCH);
    import_report_free(&rep);
}

static void test_import__shift_jis_and_header_errors(void **state)
{
    (void)state;
    /* "社員番号,個人番号,確認書類,確認者,確認日,利用目的" and a row, in CP932. */
    char cmd[1400];
    write_file(
        "社員番号,氏名,フリガナ,生年月日,性別,入社日,個人番号,確認書類,確認者,確認日,利用目的\r\n"
        "E1,試験 太郎,シケン タロウ,1980-04-01,男,2010-04-01,874263411501,個人番号カード,"
        "人事,2026-04-01,tax_withholding\r\n");
    snprintf(cmd, sizeof(cmd), "iconv -f UTF-8 -t CP932 '%s' > '%s.sjis' && mv '%s.sjis' '%s'",
             path, path, path, path);
    assert_int_equal(system(cmd), 0);
    struct import_report rep;
    assert_int_equal(import_csv(cfx.s, path, 1, &rep, NULL), MNV_OK);
    assert_int_equal(rep.encoding, CSV_CP932);
    import_report_free(&rep);
    assert_int_equal(employees(), 0); /* a dry run writes nothing */
    assert_int_equal(import_csv(cfx.s, path, 0, &rep, NULL), MNV_OK);
    import_report_free(&rep);
    assert_int_equal(employees(), 1);
    struct mnv_diag d;
    mnv_diag_clear(&d);
    write_file("employee_code,my_number,favourite_colour\n");
    assert_int_equal(import_csv(cfx.s, path, 0, &rep, &d), MNV_ERR_CSV_HEADER);
    assert_string_equal(d.item, "favourite_colour");
    import_report_free(&rep);
    mnv_diag_clear(&d);
    write_file("employee_code,my_number\n");
    assert_int_equal(import_csv(cfx.s, path, 0, &rep, &d), MNV_ERR_CSV_COLUMN_MISSING);
    import_report_free(&rep);
    write_file(HEAD);
    assert_int_equal(import_csv(cfx.s, path, 0, &rep, &d), MNV_ERR_IMPORT_EMPTY);
    import_report_free(&rep);
}
