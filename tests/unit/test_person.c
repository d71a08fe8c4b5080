/* Unit tests for the field checks and normalisers of employees and dependents. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mnvault/person.h"

static void test_person__codes(void **state)
{
    (void)state;
    assert_int_equal(person_check_code("E-0001_a.b"), MNV_OK);
    assert_int_equal(person_check_code(""), MNV_ERR_FIELD_EMPTY);
    assert_int_equal(person_check_code("社員1"), MNV_ERR_FIELD_CHARS);
    assert_int_equal(person_check_code("123456789012345678901"), MNV_ERR_FIELD_LONG);
    assert_int_equal(person_check_code("123456789018"), MNV_OK); /* codes may be numeric */
}

static void test_person__text_and_kana(void **state)
{
    (void)state;
    assert_int_equal(person_check_text("山田 太郎", 120, 1), MNV_OK);
    assert_int_equal(person_check_text("", 120, 1), MNV_ERR_FIELD_EMPTY);
    assert_int_equal(person_check_text("", 120, 0), MNV_OK);
    assert_int_equal(person_check_text("a\tb", 120, 1), MNV_ERR_FIELD_CHARS);
    assert_int_equal(person_check_text("\xff", 120, 1), MNV_ERR_FIELD_CHARS);
    assert_int_equal(person_check_text("abcd", 3, 1), MNV_ERR_FIELD_LONG);
    /* A field never holds a My Number, in any form. */
    assert_int_equal(person_check_text("東京都 1234ー5678ー9018", 120, 1), MNV_ERR_FIELD_NUMBER);
    assert_int_equal(person_check_text("x123456789018", 120, 0), MNV_ERR_FIELD_NUMBER);
    assert_int_equal(person_check_text("千代田区1-2-3 1203号室", 120, 1), MNV_OK);
    assert_int_equal(person_check_text("123456789019", 120, 1), MNV_OK); /* check digit */
    assert_int_equal(person_check_kana("ヤマダ　タロウ"), MNV_OK);
    assert_int_equal(person_check_kana("ジョン・スミス"), MNV_OK);
    assert_int_equal(person_check_kana("ヴァーチャル"), MNV_OK);
    assert_int_equal(person_check_kana("やまだ"), MNV_ERR_FIELD_KANA);
    assert_int_equal(person_check_kana("ﾔﾏﾀﾞ"), MNV_ERR_FIELD_KANA); /* half-width */
    assert_int_equal(person_check_kana("山田"), MNV_ERR_FIELD_KANA);
}

static void test_person__dates(void **state)
{
    (void)state;
    assert_int_equal(person_check_date("2024-02-29", 1), MNV_OK);
    assert_int_equal(person_check_date("2023-02-29", 1), MNV_ERR_FIELD_DATE);
    assert_int_equal(person_check_date("1900-02-29", 1), MNV_ERR_FIELD_DATE);
    assert_int_equal(person_check_date("2000-02-29", 1), MNV_OK);
    assert_int_equal(person_check_date("2024-4-01", 1), MNV_ERR_FIELD_DATE);
    assert_int_equal(person_check_date("1899-12-31", 1), MNV_ERR_FIELD_DATE);
    assert_int_equal(person_check_date("", 1), MNV_ERR_FIELD_EMPTY);
    assert_int_equal(person_check_date("", 0), MNV_OK);
}

static void test_person__normalisers(void **state)
{
    (void)state;
    char p[9], e[14], n[12];
    assert_int_equal(person_normalize_postal("1000001", p), MNV_OK);
    assert_string_equal(p, "100-0001");
    assert_int_equal(person_normalize_postal("１００－０００１", p), MNV_OK);
    assert_string_equal(p, "100-0001");
    assert_int_equal(person_normalize_postal("100-000", p), MNV_ERR_FIELD_POSTAL);
    assert_int_equal(person_normalize_postal("〒100-0001", p), MNV_ERR_FIELD_POSTAL);
    assert_int_equal(person_normalize_postal("", p), MNV_OK);
    assert_string_equal(p, "");
    assert_int_equal(person_normalize_emp_ins("1234 567890 1", e), MNV_OK);
    assert_string_equal(e, "1234-567890-1");
    assert_int_equal(person_normalize_emp_ins("123456789012", e), MNV_ERR_FIELD_EMPINS);
    assert_int_equal(person_normalize_pension("1234‐567890", n), MNV_OK); /* U+2010 */
    assert_string_equal(n, "1234-567890");
    assert_int_equal(person_normalize_pension("123456789", n), MNV_ERR_FIELD_PENSION);
}

static void test_person__names_of_things(void **state)
{
    (void)state;
    char buf[200];
    assert_string_equal(person_employee_fields(buf, sizeof(buf), EMP_NAME | EMP_PENSION_NO),
                        "name,pension_no");
    assert_string_equal(person_dependent_fields(buf, sizeof(buf), 0), "");
    assert_int_equal(person_sex_parse("F"), SEX_FEMALE);
    assert_int_equal(person_sex_parse("x"), 0);
    assert_int_equal(person_relation_parse("child"), REL_CHILD);
    assert_string_equal(person_relation_name(REL_PARENT), "parent");
}

static void test_person__field_bits_by_name(void **state)
{
    (void)state;
    assert_int_equal(person_employee_field_bit("retire_date"), EMP_RETIRE_DATE);
    assert_int_equal(person_employee_field_bit("code"), EMP_CODE);
    assert_int_equal(person_employee_field_bit("pension_no"), EMP_PENSION_NO);
    assert_int_equal(person_employee_field_bit("relation"), 0);
    assert_int_equal(person_employee_field_bit(""), 0);
    assert_int_equal(person_dependent_field_bit("relation"), DEP_RELATION);
    assert_int_equal(person_dependent_field_bit("sex"), DEP_SEX);
    assert_int_equal(person_dependent_field_bit("address"), 0);
    /* Every bit's name maps back to the bit: the names and the bits are one table. */
    char buf[64];
    for (unsigned b = 1; b <= EMP_PENSION_NO; b <<= 1)
        assert_int_equal(person_employee_field_bit(person_employee_fields(buf, sizeof(buf), b)), b);
    for (unsigned b = 1; b <= DEP_SEX; b <<= 1)
        assert_int_equal(person_dependent_field_bit(person_dependent_fields(buf, sizeof(buf), b)),
                         b);
}

static void test_person__employee_validate_names_the_field(void **state)
{
    (void)state;
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "E1");
    snprintf(e.name, sizeof(e.name), "山田");
    snprintf(e.kana, sizeof(e.kana), "ヤマダ");
    snprintf(e.birth_date, sizeof(e.birth_date), "1980-01-01");
    snprintf(e.hire_date, sizeof(e.hire_date), "2000-01-01");
    struct mnv_diag d;
    mnv_diag_clear(&d);
    time_t now = 1764550800;
    assert_int_equal(person_employee_validate(&e, now, &d), MNV_ERR_FIELD_CHOICE);
    assert_string_equal(d.item, "sex");
    e.sex = SEX_MALE;
    snprintf(e.emp_ins_no, sizeof(e.emp_ins_no), "1234");
    mnv_diag_clear(&d);
    assert_int_equal(person_employee_validate(&e, now, &d), MNV_ERR_FIELD_EMPINS);
    assert_string_equal(d.item, "emp_ins_no");
    e.emp_ins_no[0] = '\0';
    assert_int_equal(person_employee_validate(&e, now, &d), MNV_OK);
}

static void test_person__fold_kana(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(person_fold_kana("やまだ　たろう", out, sizeof(out)), strlen("ヤマダ タロウ"));
    assert_string_equal(out, "ヤマダ タロウ");
    person_fold_kana("ﾔﾏﾀﾞ ﾀﾛｳ", out, sizeof(out));
    assert_string_equal(out, "ヤマダ タロウ");
    person_fold_kana("ｼﾞｮﾝ･ｽﾐｽ", out, sizeof(out));
    assert_string_equal(out, "ジョン・スミス");
    person_fold_kana("ﾊﾟｰｸ", out, sizeof(out));
    assert_string_equal(out, "パーク");
    person_fold_kana("サトウ", out, sizeof(out));
    assert_string_equal(out, "サトウ");
    assert_int_equal(person_check_kana(out), MNV_OK);
    /* Cut on a character boundary, never half a character. */
    assert_int_equal(person_fold_kana("ﾔﾏﾀﾞ", out, 5), 9);
    assert_string_equal(out, "ヤ");
    person_fold_kana("", out, sizeof(out));
    assert_string_equal(out, "");
}

static void test_person__left_and_reason(void **state)
{
    (void)state;
    struct dependent d;
    memset(&d, 0, sizeof(d));
    snprintf(d.birth_date, sizeof(d.birth_date), "2010-04-01");
    time_t now = 1795000000; /* 2026-11-18 */
    assert_int_equal(person_check_left(&d, "", now), MNV_OK);
    assert_int_equal(person_check_left(&d, "2026-03-31", now), MNV_OK);
    assert_int_equal(person_check_left(&d, "2010-03-31", now), MNV_ERR_FIELD_LEFT_ORDER);
    assert_int_equal(person_check_left(&d, "2027-01-01", now), MNV_ERR_FIELD_FUTURE);
    assert_int_equal(person_check_left(&d, "2026-02-29", now), MNV_ERR_FIELD_DATE);
    assert_int_equal(person_check_reason(""), MNV_ERR_REASON_NEEDED);
    assert_int_equal(person_check_reason(" \t　"), MNV_ERR_REASON_NEEDED);
    assert_int_equal(person_check_reason("本人が拒否"), MNV_OK);
    assert_int_equal(person_check_reason("番号 1234-5678-9018 は言えない"), MNV_ERR_REASON_NUMBER);
    assert_int_equal(person_check_reason("改行\nあり"), MNV_ERR_FIELD_CHARS);
    char long_text[PERSON_REASON_MAX + 8];
    memset(long_text, 'a', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    assert_int_equal(person_check_reason(long_text), MNV_ERR_FIELD_LONG);
}
