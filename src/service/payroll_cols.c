/*
 * payroll_cols.c: the columns of the payroll import file and the words they take
 * (payroll.h, doc/payroll.md).
 */
#include "payroll_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/i18n.h"

/* clang-format off */
const struct pcol payroll_cols[] = {
    {{"employee_code", "社員番号", 1}, PT_CODE, S_ID, NULL, 0},
    {{"name", "氏名", 0}, PT_NAME, S_EMP, NULL, 0},
    {{"dependent_name", "扶養親族氏名", 0}, PT_DEP_NAME, S_DEP, NULL, 0},
    {{"dependent_birth_date", "扶養親族生年月日", 0}, PT_DEP_BIRTH, S_DEP, NULL, 0},
    {{"deduction", "控除区分", 0}, PT_DEDUCTION, S_DEP, NULL, 0},
    {{"disability", "障害者区分", 0}, PT_DISABILITY, S_BOTH, NULL, 0},
    {{"nonresident", "非居住者", 0}, PT_NONRESIDENT, S_DEP, NULL, 0},
    {{"kind", "種別", 0}, PT_TEXT, S_EMP, "pay.kind", 10},
    {{"payment", "支払金額", 0}, PT_AMOUNT, S_EMP, "pay.amount", 0},
    {{"unpaid", "未払金額", 0}, PT_AMOUNT, S_EMP, "pay.unpaid", 0},
    {{"after_deduction", "給与所得控除後の金額", 0}, PT_AMOUNT, S_EMP, "pay.after_deduction", 0},
    {{"deductions", "所得控除の額の合計額", 0}, PT_AMOUNT, S_EMP, "pay.deductions", 0},
    {{"tax", "源泉徴収税額", 0}, PT_AMOUNT, S_EMP, "pay.tax", 0},
    {{"tax_unpaid", "未徴収税額", 0}, PT_AMOUNT, S_EMP, "pay.tax_unpaid", 0},
    {{"spouse_deduction", "配偶者控除の額", 0}, PT_AMOUNT, S_EMP, "pay.spouse_deduction", 0},
    {{"spouse_income", "配偶者の合計所得", 0}, PT_AMOUNT, S_EMP, "spouse.income", 0},
    {{"social_insurance", "社会保険料等の金額", 0}, PT_AMOUNT, S_EMP, "pay.social_insurance", 0},
    {{"small_business", "小規模企業共済等掛金", 0}, PT_AMOUNT, S_EMP, "pay.small_business", 0},
    {{"life_insurance", "生命保険料の控除額", 0}, PT_AMOUNT, S_EMP, "pay.life_insurance", 0},
    {{"earthquake_insurance", "地震保険料の控除額", 0}, PT_AMOUNT, S_EMP, "pay.earthquake_insurance", 0},
    {{"housing_loan", "住宅借入金等特別控除の額", 0}, PT_AMOUNT, S_EMP, "pay.housing_loan", 0},
    {{"new_life_premium", "新生命保険料の金額", 0}, PT_AMOUNT, S_EMP, "pay.new_life_premium", 0},
    {{"old_life_premium", "旧生命保険料の金額", 0}, PT_AMOUNT, S_EMP, "pay.old_life_premium", 0},
    {{"care_premium", "介護医療保険料の金額", 0}, PT_AMOUNT, S_EMP, "pay.care_premium", 0},
    {{"new_pension_premium", "新個人年金保険料の金額", 0}, PT_AMOUNT, S_EMP, "pay.new_pension_premium", 0},
    {{"old_pension_premium", "旧個人年金保険料の金額", 0}, PT_AMOUNT, S_EMP, "pay.old_pension_premium", 0},
    {{"old_longterm_premium", "旧長期損害保険料の金額", 0}, PT_AMOUNT, S_EMP, "pay.old_longterm_premium", 0},
    {{"national_pension", "国民年金保険料等の金額", 0}, PT_AMOUNT, S_EMP, "pay.national_pension", 0},
    {{"basic_deduction", "基礎控除の額", 0}, PT_AMOUNT, S_EMP, "pay.basic_deduction", 0},
    {{"income_adjustment", "所得金額調整控除額", 0}, PT_AMOUNT, S_EMP, "pay.income_adjustment", 0},
    {{"tokutei_deduction", "特定親族特別控除の額", 0}, PT_AMOUNT, S_EMP, "pay.tokutei_deduction", 0},
    {{"disaster_deferred", "災害者に係る徴収猶予税額", 0}, PT_AMOUNT, S_EMP, "pay.disaster_deferred", 0},
    {{"count_specific", "特定扶養親族の数", 0}, PT_COUNT, S_EMP, "count.specific", 0},
    {{"count_specific_sub", "特定扶養親族の数（従）", 0}, PT_COUNT, S_EMP, "count.specific_sub", 0},
    {{"count_aged", "老人扶養親族の数", 0}, PT_COUNT, S_EMP, "count.aged", 0},
    {{"count_aged_cohabiting", "同居老親等の数", 0}, PT_COUNT, S_EMP, "count.aged_cohabiting", 0},
    {{"count_aged_sub", "老人扶養親族の数（従）", 0}, PT_COUNT, S_EMP, "count.aged_sub", 0},
    {{"count_other", "その他の扶養親族の数", 0}, PT_COUNT, S_EMP, "count.other", 0},
    {{"count_other_sub", "その他の扶養親族の数（従）", 0}, PT_COUNT, S_EMP, "count.other_sub", 0},
    {{"count_disabled_special", "特別障害者の数", 0}, PT_COUNT, S_EMP, "count.disabled_special", 0},
    {{"count_disabled_special_cohabiting", "同居特別障害者の数", 0}, PT_COUNT, S_EMP, "count.disabled_special_cohabiting", 0},
    {{"count_disabled_other", "その他の障害者の数", 0}, PT_COUNT, S_EMP, "count.disabled_other", 0},
    {{"count_under16", "16歳未満扶養親族の数", 0}, PT_COUNT, S_EMP, "count.under16", 0},
    {{"count_nonresident", "非居住者である親族の数", 0}, PT_COUNT, S_EMP, "count.nonresident", 0},
    {{"count_tokutei", "特定親族の数", 0}, PT_COUNT, S_EMP, "count.tokutei", 0},
    {{"count_tokutei_sub", "特定親族の数（従）", 0}, PT_COUNT, S_EMP, "count.tokutei_sub", 0},
    {{"minor", "未成年者", 0}, PT_FLAG, S_EMP, "flag.minor", 0},
    {{"otsu", "乙欄", 0}, PT_FLAG, S_EMP, "flag.otsu", 0},
    {{"widow", "寡婦", 0}, PT_FLAG, S_EMP, "flag.widow", 0},
    {{"single_parent", "ひとり親", 0}, PT_FLAG, S_EMP, "flag.single_parent", 0},
    {{"working_student", "勤労学生", 0}, PT_FLAG, S_EMP, "flag.working_student", 0},
    {{"death_retirement", "死亡退職", 0}, PT_FLAG, S_EMP, "flag.death_retirement", 0},
    {{"disaster", "災害者", 0}, PT_FLAG, S_EMP, "flag.disaster", 0},
    {{"foreigner", "外国人", 0}, PT_FLAG, S_EMP, "flag.foreigner", 0},
    {{"futsu", "普通徴収", 0}, PT_FLAG, S_EMP, "flag.futsu", 0},
    {{"aoiro", "青色専従者", 0}, PT_FLAG, S_EMP, "flag.aoiro", 0},
    {{"treaty", "条約免除", 0}, PT_FLAG, S_EMP, "flag.treaty", 0},
    {{"abroad", "国外住所", 0}, PT_FLAG, S_EMP, "employee.abroad", 0},
    {{"officer", "役員", 0}, PT_FLAG, S_EMP, "x.officer", 0},
    {{"year_end_adjusted", "年末調整", 0}, PT_FLAG, S_EMP, "x.adjusted", 0},
    {{"tax_office", "税務署提出", 0}, PT_TAX_OFFICE, S_EMP, "x.tax_office", 0},
    {{"hired_on", "就職日", 0}, PT_MIDYEAR, S_EMP, "1", 0},
    {{"retired_on", "退職日", 0}, PT_MIDYEAR, S_EMP, "2", 0},
    {{"previous_name", "前職の支払者", 0}, PT_TEXT, S_EMP, "previous.name", 30},
    {{"previous_address", "前職の支払者の住所", 0}, PT_TEXT, S_EMP, "previous.address", 60},
    {{"previous_amount", "前職の給与等の金額", 0}, PT_AMOUNT, S_EMP, "previous.amount", 0},
    {{"previous_tax", "前職の徴収税額", 0}, PT_AMOUNT, S_EMP, "previous.tax", 0},
    {{"previous_social_insurance", "前職の社会保険料", 0}, PT_AMOUNT, S_EMP, "previous.social_insurance", 0},
    {{"previous_retired_on", "前職の退職日", 0}, PT_DATE, S_EMP, "previous.retired_", 0},
    {{"housing_count", "住宅借入金等特別控除適用数", 0}, PT_COUNT, S_EMP, "housing.count", 0},
    {{"housing_possible", "住宅借入金等特別控除可能額", 0}, PT_AMOUNT, S_EMP, "housing.possible", 0},
    {{"housing1_on", "居住開始年月日1", 0}, PT_DATE, S_EMP, "housing1.", 0},
    {{"housing1_kind", "住宅借入金等特別控除区分1", 0}, PT_DIGITS, S_EMP, "housing1.kind", 2},
    {{"housing1_balance", "住宅借入金等年末残高1", 0}, PT_AMOUNT, S_EMP, "housing1.balance", 0},
    {{"housing2_on", "居住開始年月日2", 0}, PT_DATE, S_EMP, "housing2.", 0},
    {{"housing2_kind", "住宅借入金等特別控除区分2", 0}, PT_DIGITS, S_EMP, "housing2.kind", 2},
    {{"housing2_balance", "住宅借入金等年末残高2", 0}, PT_AMOUNT, S_EMP, "housing2.balance", 0},
    {{"title", "役職名", 0}, PT_TEXT, S_EMP, "employee.title", 15},
    {{"summary", "摘要", 0}, PT_TEXT, S_EMP, "summary.text", 250},
    {{"address", "住所", 0}, PT_TEXT, S_EMP, "employee.address", 60},
    {{"municipality_code", "提出先市町村コード", 0}, PT_DIGITS, S_EMP, "municipality.code", 6},
    {{"municipality_name", "提出先市町村名", 0}, PT_TEXT, S_EMP, "municipality.name", 30},
    {{"designation_number", "指定番号", 0}, PT_CODETEXT, S_EMP, "municipality.designation", 12},
};
/* clang-format on */

const size_t payroll_ncols = MNV_ARRAY_LEN(payroll_cols);

const struct payroll_column *payroll_column_at(size_t i)
{
    return i < payroll_ncols ? &payroll_cols[i].pub : NULL;
}

_Static_assert(sizeof(payroll_cols) / sizeof(payroll_cols[0]) == NCOLS, "NCOLS");

/* ---- values -------------------------------------------------------------------------------- */

/* Fold full-width digits and drop commas: "１,２３４" → "1234"; -1 on anything else. */
int payroll_amount_digits(const char *t, char *out, size_t size)
{
    size_t n = 0;
    while (*t) {
        if (*t >= '0' && *t <= '9') {
            if (n + 1 >= size)
                return -1;
            out[n++] = *t++;
        } else if (*t == ',') {
            t++;
        } else if (!strncmp(t, "\xEF\xBC", 2) && (unsigned char)t[2] >= 0x90 &&
                   (unsigned char)t[2] <= 0x99) { /* ０-９ */
            if (n + 1 >= size)
                return -1;
            out[n++] = (char)('0' + (unsigned char)t[2] - 0x90);
            t += 3;
        } else if (!strncmp(t, "，", strlen("，"))) {
            t += strlen("，");
        } else {
            return -1;
        }
    }
    out[n] = '\0';
    size_t z = 0; /* no leading zeros: "0012" is 12 */
    while (z + 1 < n && out[z] == '0')
        z++;
    memmove(out, out + z, n - z + 1);
    return n ? 0 : -1;
}

int payroll_word_in(const char *t, const char *const *words)
{
    for (int i = 0; words[i]; i++)
        if (strcmp(t, words[i]) == 0)
            return 1;
    return 0;
}

/* 1 yes, 0 no, -1 neither. */
int payroll_yes_no(const char *t)
{
    static const char *const yes[] = {"yes", "1", "はい", "○", "true", "有", "該当", NULL};
    static const char *const no[] = {"no", "0", "いいえ", "false", "無", "", NULL};
    return payroll_word_in(t, yes) ? 1 : payroll_word_in(t, no) ? 0 : -1;
}

int payroll_deduction_word(const char *t)
{
    static const struct {
        const char *w;
        enum payroll_deduction d;
    } words[] = {
        {"控除対象配偶者", PAYROLL_DED_SPOUSE},
        {"源泉控除対象配偶者", PAYROLL_DED_SPOUSE},
        {"老人控除対象配偶者", PAYROLL_DED_SPOUSE_AGED},
        {"配偶者特別控除", PAYROLL_DED_SPOUSE_SPECIAL},
        {"一般", PAYROLL_DED_GENERAL},
        {"その他", PAYROLL_DED_GENERAL},
        {"特定", PAYROLL_DED_SPECIFIC},
        {"特定扶養親族", PAYROLL_DED_SPECIFIC},
        {"老人", PAYROLL_DED_AGED},
        {"老人扶養親族", PAYROLL_DED_AGED},
        {"同居老親等", PAYROLL_DED_AGED_COHABITING},
        {"16歳未満", PAYROLL_DED_UNDER16},
        {"年少扶養親族", PAYROLL_DED_UNDER16},
        {"特定親族", PAYROLL_DED_TOKUTEI},
        {"なし", PAYROLL_DED_NONE},
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(words); i++)
        if (strcmp(t, words[i].w) == 0)
            return words[i].d;
    for (int d = PAYROLL_DED_NONE; d <= PAYROLL_DED_TOKUTEI; d++)
        if (strcmp(t, payroll_deduction_name((enum payroll_deduction)d)) == 0)
            return d;
    return -1;
}

int payroll_disability_word(const char *t, int dependant)
{
    static const char *const none[] = {"", "none", "なし", "no", NULL};
    static const char *const general[] = {"general", "一般", "障害者", NULL};
    static const char *const special[] = {"special", "特別", "特別障害者", NULL};
    static const char *const cohab[] = {"special_cohabiting", "同居特別", "同居特別障害者", NULL};
    if (payroll_word_in(t, none))
        return PAYROLL_DIS_NONE;
    if (payroll_word_in(t, general))
        return PAYROLL_DIS_GENERAL;
    if (payroll_word_in(t, special))
        return PAYROLL_DIS_SPECIAL;
    if (dependant && payroll_word_in(t, cohab))
        return PAYROLL_DIS_SPECIAL_COHABITING;
    return -1;
}

/* "5000000" → "5,000,000" */
static void grouped(const char *digits, char *out, size_t size)
{
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

int payroll_shown_at(const struct payroll_figures *f, size_t i, char *value, size_t size, int *word)
{
    value[0] = '\0';
    *word = 0;
    if (i >= payroll_ncols)
        return -1;
    const struct pcol *p = &payroll_cols[i];
    char key[64];
    const char *v;
    switch (p->type) {
    case PT_AMOUNT:
        grouped(payroll_value(f, p->key), value, size);
        break;
    case PT_COUNT:
    case PT_TEXT:
    case PT_DIGITS:
    case PT_CODETEXT:
        snprintf(value, size, "%s", payroll_value(f, p->key));
        break;
    case PT_TAX_OFFICE:
        v = payroll_value(f, p->key);
        snprintf(value, size, "%s",
                 !v[0]                    ? ""
                 : strcmp(v, "auto") == 0 ? N_("by the thresholds")
                 : strcmp(v, "yes") == 0  ? N_("yes")
                                          : N_("no"));
        *word = 1;
        break;
    case PT_FLAG:
        v = payroll_value(f, p->key);
        snprintf(value, size, "%s", !v[0] ? "" : v[0] == '1' ? N_("yes") : N_("no"));
        *word = 1;
        break;
    case PT_DATE:
    case PT_MIDYEAR:
        snprintf(key, sizeof(key), "x.%s", p->pub.en);
        snprintf(value, size, "%s", payroll_value(f, key));
        break;
    case PT_DISABILITY:
        if (payroll_value(f, "flag.disabled_special")[0] == '1')
            snprintf(value, size, "%s", N_("special (特別障害者)"));
        else if (payroll_value(f, "flag.disabled_other")[0] == '1')
            snprintf(value, size, "%s", N_("general (障害者)"));
        *word = 1;
        break;
    default:
        break;
    }
    return value[0] ? 0 : 1;
}

int payroll_age(const char *birth_iso, int year)
{
    int by = atoi(birth_iso);
    return year - by + (strncmp(birth_iso + 4, "-01-01", 6) == 0 ? 1 : 0);
}

int payroll_age_fits(int deduction, int age)
{
    switch (deduction) {
    case PAYROLL_DED_UNDER16:
        return age < 16;
    case PAYROLL_DED_SPECIFIC:
    case PAYROLL_DED_TOKUTEI:
        return age >= 19 && age <= 22;
    case PAYROLL_DED_AGED:
    case PAYROLL_DED_AGED_COHABITING:
    case PAYROLL_DED_SPOUSE_AGED:
        return age >= 70;
    case PAYROLL_DED_GENERAL:
        return age >= 16 && age < 70 && (age < 19 || age > 22);
    case PAYROLL_DED_SPOUSE:
        return age < 70;
    default:
        return 1;
    }
}
