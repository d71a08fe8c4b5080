/*
 * form.c: the item vocabulary and the loading of layout files (form.h, doc/forms.md).
 */
#include "mnvault/form.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iniparser.h>

#include "form_priv.h"
#include "mnvault/alloc.h"
#include "mnvault/i18n.h"
#include "mnvault/inidata.h"
#include "mnvault/paths.h"
#include "mnvault/utf8.h"

/* ---- the item vocabulary ------------------------------------------------------------------ */

#define T FORM_ITEM_TEXT
#define A FORM_ITEM_AMOUNT
#define N FORM_ITEM_COUNT
#define F FORM_ITEM_FLAG
#define K FORM_ITEM_CODE
#define M FORM_ITEM_NUMBER

static const struct form_item items[] = {
    {"filing.correction", K, "訂正表示 / 提出区分: 0 for a new record"},
    {"filing.era_year", K, "年分: the year as two digits of its era (07 for 令和7年分)"},
    {"filing.create_kind", K, "作成区分: 0 tax office only, 1 municipality only, 2 both"},
    {"filing.date", K, "the day the file was made (YYYY-MM-DD)"},
    {"payer.address", T, "the employer's address (提出義務者の所在地)"},
    {"payer.name", T, "the employer's name (提出義務者の名称)"},
    {"payer.kana", T, "the employer's name in katakana"},
    {"payer.phone", K, "the employer's telephone number"},
    {"payer.number", M, "the employer's corporate number (法人番号, 13 digits)"},
    {"payer.seiri1", K, "整理番号1 given by the tax office (10 digits)"},
    {"payer.seiri2", K, "整理番号2 (13 digits)"},
    {"payer.branch", K, "本支店等区分番号"},
    {"payer.representative", T, "the representative's name (代表者の氏名)"},
    {"payer.office_name", T, "the office that withholds tax (事業所の名称)"},
    {"payer.office_address", T, "that office's address"},
    {"payer.contact", T, "the person to contact (連絡者の氏名・所属課)"},
    {"payer.contact_phone", K, "the contact's telephone number"},
    {"payer.accountant", T, "the tax accountant involved (関与税理士等)"},
    {"payer.business", T, "the line of business (事業種目)"},
    {"payer.tax_office", T, "the competent tax office (所轄税務署)"},
    {"payer.pay_method", T, "how and when salaries are paid (給与の支払方法及びその期日)"},
    {"employee.address", T, "the employee's address (住所又は居所)"},
    {"employee.abroad", F, "国外住所表示: 1 when the address is abroad"},
    {"employee.name", T, "the employee's name (氏名)"},
    {"employee.kana", T, "the employee's name in katakana (フリガナ)"},
    {"employee.title", T, "役職名 (officers)"},
    {"employee.code", K, "the employee code (受給者番号)"},
    {"employee.number", M, "the employee's My Number"},
    {"employee.birth_era", K, "生年月日 元号: 1 昭和, 2 大正, 3 明治, 4 平成, 5 令和"},
    {"employee.birth_year", K, "生年月日 年: two digits of the era year"},
    {"employee.birth_month", K, "生年月日 月: two digits"},
    {"employee.birth_day", K, "生年月日 日: two digits"},
    {"pay.kind", T, "種別 (給料・賞与)"},
    {"pay.amount", A, "支払金額"},
    {"pay.unpaid", A, "未払金額 (included in 支払金額)"},
    {"pay.after_deduction", A, "給与所得控除後の給与等の金額（調整控除後）"},
    {"pay.deductions", A, "所得控除の額の合計額"},
    {"pay.tax", A, "源泉徴収税額"},
    {"pay.tax_unpaid", A, "未徴収税額 (included in 源泉徴収税額)"},
    {"pay.spouse_deduction", A, "配偶者（特別）控除の額"},
    {"pay.social_insurance", A, "社会保険料等の金額"},
    {"pay.small_business", A, "小規模企業共済等掛金 (included in 社会保険料等)"},
    {"pay.life_insurance", A, "生命保険料の控除額"},
    {"pay.earthquake_insurance", A, "地震保険料の控除額"},
    {"pay.housing_loan", A, "住宅借入金等特別控除の額"},
    {"pay.old_pension_premium", A, "旧個人年金保険料の金額"},
    {"pay.old_longterm_premium", A, "旧長期損害保険料の金額"},
    {"pay.disaster_deferred", A, "災害者に係る徴収猶予税額"},
    {"pay.new_life_premium", A, "新生命保険料の金額"},
    {"pay.old_life_premium", A, "旧生命保険料の金額"},
    {"pay.care_premium", A, "介護医療保険料の金額"},
    {"pay.new_pension_premium", A, "新個人年金保険料の金額"},
    {"pay.national_pension", A, "国民年金保険料等の金額"},
    {"pay.basic_deduction", A, "基礎控除の額"},
    {"pay.income_adjustment", A, "所得金額調整控除額"},
    {"pay.tokutei_deduction", A, "特定親族特別控除の額"},
    {"spouse.flag", K, "（源泉）控除対象配偶者の有無: 1 有, 2 無"},
    {"spouse.aged", F, "老人控除対象配偶者"},
    {"spouse.income", A, "配偶者の合計所得"},
    {"spouse.kana", T, "the spouse's name in katakana"},
    {"spouse.name", T, "the spouse's name"},
    {"spouse.class", K, "the spouse's 区分: 00 resident, 01 non-resident"},
    {"spouse.number", M, "the spouse's My Number"},
    {"count.specific", N, "控除対象扶養親族の数 特定 (主)"},
    {"count.specific_sub", N, "控除対象扶養親族の数 特定 (従)"},
    {"count.aged", N, "控除対象扶養親族の数 老人 (主)"},
    {"count.aged_cohabiting", N, "老人 of which 同居老親等"},
    {"count.aged_sub", N, "控除対象扶養親族の数 老人 (従)"},
    {"count.other", N, "控除対象扶養親族の数 その他 (主)"},
    {"count.other_sub", N, "控除対象扶養親族の数 その他 (従)"},
    {"count.disabled_special", N, "障害者の数 特別障害者"},
    {"count.disabled_special_cohabiting", N, "特別障害者 of which 同居"},
    {"count.disabled_other", N, "障害者の数 その他"},
    {"count.under16", N, "16歳未満扶養親族の数"},
    {"count.nonresident", N, "非居住者である親族の数"},
    {"count.tokutei", N, "特定親族の数 (主)"},
    {"count.tokutei_sub", N, "特定親族の数 (従)"},
    {"flag.minor", F, "未成年者"},
    {"flag.otsu", F, "乙欄適用"},
    {"flag.disabled_special", F, "本人が特別障害者"},
    {"flag.disabled_other", F, "本人がその他の障害者"},
    {"flag.widow", F, "寡婦"},
    {"flag.single_parent", F, "ひとり親"},
    {"flag.working_student", F, "勤労学生"},
    {"flag.death_retirement", F, "死亡退職"},
    {"flag.disaster", F, "災害者"},
    {"flag.foreigner", F, "外国人"},
    {"flag.futsu", F, "普通徴収 (住民税 paid by the employee)"},
    {"flag.aoiro", F, "青色専従者"},
    {"flag.treaty", F, "条約免除"},
    {"midyear.kind", K, "中途就・退職: 1 就職, 2 退職"},
    {"midyear.year", K, "中途就・退職 年 (two digits of the era year)"},
    {"midyear.month", K, "中途就・退職 月"},
    {"midyear.day", K, "中途就・退職 日"},
    {"previous.address", T, "他の支払者 (former employer) address"},
    {"previous.abroad", F, "他の支払者 国外住所表示"},
    {"previous.name", T, "他の支払者 name"},
    {"previous.amount", A, "他の支払者 給与等の金額"},
    {"previous.tax", A, "他の支払者 徴収した金額"},
    {"previous.social_insurance", A, "他の支払者 控除した社会保険料の金額"},
    {"previous.retired_year", K, "他の支払者のもとを退職した年"},
    {"previous.retired_month", K, "他の支払者のもとを退職した月"},
    {"previous.retired_day", K, "他の支払者のもとを退職した日"},
    {"housing.count", N, "住宅借入金等特別控除適用数"},
    {"housing.possible", A, "住宅借入金等特別控除可能額"},
    {"housing#.year", K, "居住開始年月日 年 (1回目, 2回目)"},
    {"housing#.month", K, "居住開始年月日 月"},
    {"housing#.day", K, "居住開始年月日 日"},
    {"housing#.kind", K, "住宅借入金等特別控除区分 (two digits)"},
    {"housing#.balance", A, "住宅借入金等年末残高"},
    {"summary.text", T, "摘要, with the names of the 5th and later dependants"},
    {"dependent#.kana", T, "控除対象扶養親族 (1)-(4): name in katakana"},
    {"dependent#.name", T, "控除対象扶養親族 (1)-(4): name"},
    {"dependent#.class", K, "控除対象扶養親族 (1)-(4): 区分 (00 resident, 01 non-resident)"},
    {"dependent#.number", M, "控除対象扶養親族 (1)-(4): My Number"},
    {"child#.kana", T, "16歳未満の扶養親族 (1)-(4): name in katakana"},
    {"child#.name", T, "16歳未満の扶養親族 (1)-(4): name"},
    {"child#.class", K, "16歳未満の扶養親族 (1)-(4): 区分"},
    {"child#.number", M, "16歳未満の扶養親族 (1)-(4): My Number (municipal copy)"},
    {"dependents.extra_numbers", M, "5th and later 控除対象扶養親族: (5)number …"},
    {"children.extra_numbers", M, "5th and later 16歳未満の扶養親族: (5)number …"},
    {"municipality.code", K, "提出先市町村コード (6 digits)"},
    {"municipality.designation", K, "指定番号 given by the municipality"},
    {"municipality.name", T, "the municipality's name"},
    {"report.period", T, "給与の支払期間"},
    {"report.persons_total", N, "受給者総人員 (all municipalities)"},
    {"report.persons", N, "報告人員 (this municipality)"},
    {"report.special", N, "特別徴収対象者"},
    {"report.ordinary_retired", N, "普通徴収対象者 (退職者)"},
    {"report.ordinary_other", N, "普通徴収対象者 (退職者を除く)"},
};

#undef T
#undef A
#undef N
#undef F
#undef K
#undef M

/* Slotted prefixes and their largest slot. */
static int slot_max(const char *prefix, size_t len)
{
    if (len == 5 && memcmp(prefix, "other", 5) == 0)
        return 2;
    if (len == 9 && memcmp(prefix, "dependent", 9) == 0)
        return 4;
    if (len == 5 && memcmp(prefix, "child", 5) == 0)
        return 4;
    if (len == 7 && memcmp(prefix, "housing", 7) == 0)
        return 2;
    return 0;
}

int form_unit_is_event(enum form_unit u)
{
    return u >= FORM_UNIT_SHAHO_JOIN && u <= FORM_UNIT_KOYO_LEAVE;
}

const struct form_item *form_item_find(const char *item, int *slot)
{
    char key[FORM_ITEM_MAX + 1];
    size_t n = strlen(item);
    if (n == 0 || n > FORM_ITEM_MAX)
        return NULL;
    memcpy(key, item, n + 1);
    int s = 0;
    const char *dot = strchr(key, '.');
    if (dot && dot > key && key[dot - key - 1] >= '1' && key[dot - key - 1] <= '9') {
        size_t d = (size_t)(dot - key - 1);
        s = key[d] - '0';
        if (s > slot_max(key, d) || (d > 0 && key[d - 1] >= '0' && key[d - 1] <= '9'))
            return NULL;
        key[d] = '#';
    }
    for (size_t i = 0; form_item_at(i); i++)
        if (strcmp(form_item_at(i)->key, key) == 0) {
            if (slot)
                *slot = s;
            return form_item_at(i);
        }
    return NULL;
}

const struct form_item *form_item_at(size_t i)
{
    if (i < MNV_ARRAY_LEN(items))
        return &items[i];
    i -= MNV_ARRAY_LEN(items);
    return i < form_items_insurance_count ? &form_items_insurance[i] : NULL;
}

/* Whose number an item carries. */
static enum form_number number_of(const char *item)
{
    static const struct {
        const char *item;
        enum form_number who;
    } map[] = {
        {"payer.number", FORM_NUM_PAYER},
        {"employee.number", FORM_NUM_EMPLOYEE},
        {"spouse.number", FORM_NUM_SPOUSE},
        {"dependents.extra_numbers", FORM_NUM_EXTRA_DEPS},
        {"children.extra_numbers", FORM_NUM_EXTRA_KIDS},
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(map); i++)
        if (strcmp(item, map[i].item) == 0)
            return map[i].who;
    if (strncmp(item, "dependent", 9) == 0 && strcmp(item + 10, ".number") == 0)
        return FORM_NUM_DEPENDENT;
    if (strncmp(item, "child", 5) == 0 && strcmp(item + 6, ".number") == 0)
        return FORM_NUM_CHILD;
    if (strncmp(item, "other", 5) == 0 && strcmp(item + 6, ".number") == 0)
        return FORM_NUM_DEPENDENT; /* 被扶養者（異動）届: the other dependants (1)-(2) */
    return FORM_NUM_NONE;
}

/* ---- loading ------------------------------------------------------------------------------- */

static enum mnv_err bad(struct mnv_diag *diag, const char *item, const char *why)
{
    mnv_diag_item(diag, "%s", item);
    mnv_diag_detail(diag, "%s", why);
    return MNV_ERR_FORM_FILE;
}

/* A whole number in base 10 within [lo, hi]; -1 when it is not. */
static long long parse_int(const char *t, long long lo, long long hi)
{
    if (!t || !*t)
        return -1;
    long long v = 0;
    for (const char *p = t; *p; p++) {
        if (*p < '0' || *p > '9' || v > (hi - (*p - '0')) / 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v < lo ? -1 : v;
}

static int parse_yes_no(const char *t)
{
    if (t && strcmp(t, "yes") == 0)
        return 1;
    if (t && strcmp(t, "no") == 0)
        return 0;
    return -1;
}

static const char *get(dictionary *d, const char *sec, const char *key)
{
    char full[128];
    snprintf(full, sizeof(full), "%s:%s", sec, key);
    return iniparser_getstring(d, full, NULL);
}

static enum mnv_err read_text(dictionary *d, const char *sec, const char *key, char *out,
                              size_t size, struct mnv_diag *diag)
{
    if (inidata_text(d, sec, key, out, size, 1) != 0) {
        char item[96];
        snprintf(item, sizeof(item), "[%s] %s", sec, key);
        return bad(diag, item, N_("missing, empty, too long or not UTF-8 text"));
    }
    return MNV_OK;
}

static enum mnv_err read_form(dictionary *d, struct form_layout *l, long *nfields,
                              struct mnv_diag *diag)
{
    char buf[32];
    enum mnv_err err = MNV_OK;
    if (inidata_text(d, "form", "id", buf, sizeof(buf), 1) != 0 || strcmp(buf, l->id) != 0)
        return bad(diag, "[form] id", N_("must be the form id the file is named after"));
    if (inidata_text(d, "form", "year", buf, sizeof(buf), 1) != 0 ||
        parse_int(buf, 1989, 2200) != l->year)
        return bad(diag, "[form] year", N_("must be the year the file is named after"));
    if ((err = read_text(d, "form", "title_ja", l->title_ja, sizeof(l->title_ja), diag)) ||
        (err = read_text(d, "form", "title_en", l->title_en, sizeof(l->title_en), diag)) ||
        (err = read_text(d, "form", "filing", l->filing, sizeof(l->filing), diag)) ||
        (err = read_text(d, "form", "source", l->source, sizeof(l->source), diag)))
        return err;
    if (!inidata_code_ok(l->filing, FORM_ID_MAX))
        return bad(diag, "[form] filing", N_("a filing code is a-z, 0-9 and _"));
    const char *out = get(d, "form", "output"), *unit = get(d, "form", "unit");
    if (out && strcmp(out, "csv") == 0)
        l->output = FORM_OUTPUT_CSV;
    else if (out && strcmp(out, "pdf") == 0)
        l->output = FORM_OUTPUT_PDF;
    else
        return bad(diag, "[form] output", N_("csv or pdf"));
    static const char *const units[] = {NULL,          "slip", "municipality", "shaho_join",
                                        "shaho_leave", "fuyo", "koyo_join",    "koyo_leave"};
    for (int u = FORM_UNIT_SLIP; unit && u <= FORM_UNIT_KOYO_LEAVE; u++)
        if (strcmp(unit, units[u]) == 0)
            l->unit = (enum form_unit)u;
    if (!l->unit)
        return bad(diag, "[form] unit",
                   N_("slip, municipality, shaho_join, shaho_leave, fuyo, koyo_join or "
                      "koyo_leave"));
    l->header_row = parse_yes_no(get(d, "form", "header_row"));
    if (l->header_row < 0)
        return bad(diag, "[form] header_row", N_("yes or no"));
    *nfields = (long)parse_int(get(d, "form", "fields"), 1, FORM_FIELDS_MAX);
    if (*nfields < 0)
        return bad(diag, "[form] fields", N_("the number of fields, 1-200"));
    return MNV_OK;
}

static enum mnv_err read_copy(dictionary *d, const char *sec, struct form_copy *c,
                              struct mnv_diag *diag)
{
    char item[96];
    snprintf(c->id, sizeof(c->id), "%s", sec + 5);
    if (!inidata_code_ok(c->id, FORM_ID_MAX))
        return bad(diag, sec, N_("a copy id is a-z, 0-9 and _"));
    enum mnv_err err;
    if ((err = read_text(d, sec, "title_ja", c->title_ja, sizeof(c->title_ja), diag)) ||
        (err = read_text(d, sec, "title_en", c->title_en, sizeof(c->title_en), diag)))
        return err;
    const char *dest = get(d, sec, "destination"), *sel = get(d, sec, "select");
    c->destination = dest ? form_destination_parse(dest) : 0;
    snprintf(item, sizeof(item), "[%s] destination", sec);
    if (!c->destination)
        return bad(diag, item,
                   N_("tax_office, municipality, person, contractor, pension_office or "
                      "hello_work"));
    snprintf(item, sizeof(item), "[%s] select", sec);
    if (sel && strcmp(sel, "all") == 0)
        c->select = FORM_SELECT_ALL;
    else if (sel && strcmp(sel, "tax_office") == 0)
        c->select = FORM_SELECT_TAX_OFFICE;
    else
        return bad(diag, item, N_("all or tax_office"));
    c->numbers = parse_yes_no(get(d, sec, "numbers"));
    snprintf(item, sizeof(item), "[%s] numbers", sec);
    if (c->numbers < 0)
        return bad(diag, item, N_("yes or no"));
    return MNV_OK;
}

static enum mnv_err read_thresholds(dictionary *d, struct form_layout *l, struct mnv_diag *diag)
{
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"adjusted", offsetof(struct form_thresholds, adjusted)},
        {"adjusted_officer", offsetof(struct form_thresholds, adjusted_officer)},
        {"retired", offsetof(struct form_thresholds, retired)},
        {"retired_officer", offsetof(struct form_thresholds, retired_officer)},
        {"otsu", offsetof(struct form_thresholds, otsu)},
        {"unadjusted", offsetof(struct form_thresholds, unadjusted)},
    };
    if (iniparser_find_entry(d, "submission") == 0)
        return MNV_OK;
    for (size_t i = 0; i < MNV_ARRAY_LEN(keys); i++) {
        long long v = parse_int(get(d, "submission", keys[i].key), 0, 999999999999LL);
        if (v < 0) {
            char item[64];
            snprintf(item, sizeof(item), "[submission] %s", keys[i].key);
            return bad(diag, item, N_("an amount in yen"));
        }
        *(int64_t *)((char *)&l->thresholds + keys[i].off) = v;
    }
    l->has_thresholds = 1;
    return MNV_OK;
}

/* Split "a | b | c" in place into at most max trimmed parts; returns how many. */
static size_t split(char *s, char **parts, size_t max)
{
    size_t n = 0;
    while (n < max) {
        while (*s == ' ' || *s == '\t')
            s++;
        parts[n++] = s;
        char *bar = strchr(s, '|');
        char *end = bar ? bar : s + strlen(s);
        while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (!bar) {
            *end = '\0';
            break;
        }
        *end = '\0';
        s = bar + 1;
    }
    return n;
}

static int parse_chars(const char *t, enum form_chars *out)
{
    static const char *const names[] = {NULL, "digits", "code", "kana", "text", "kanatext"};
    for (int i = 1; i <= 5; i++)
        if (strcmp(t, names[i]) == 0) {
            *out = (enum form_chars)i;
            return 0;
        }
    return -1;
}

static int parse_required(const char *t, enum form_required *out)
{
    static const char *const names[] = {"-", "Y", "C", "blank", "Y*"};
    for (int i = 0; i <= 4; i++)
        if (strcmp(t, names[i]) == 0) {
            *out = (enum form_required)i;
            return 0;
        }
    return -1;
}

/* The item part: "-" (nothing), "=375" (a fixed value) or an item of the vocabulary. */
static const char *parse_item(struct form_field *f, const char *t)
{
    if (strcmp(t, "-") == 0)
        return NULL;
    if (t[0] == '=') {
        size_t n = strlen(t + 1);
        if (n == 0 || n > FORM_FIXED_MAX)
            return N_("a fixed value is =VALUE, at most 16 characters");
        memcpy(f->fixed, t + 1, n + 1);
        return NULL;
    }
    int slot = 0;
    if (!form_item_find(t, &slot))
        return N_("unknown item (doc/forms.md lists them)");
    snprintf(f->item, sizeof(f->item), "%s", t);
    f->slot = slot;
    f->number = number_of(t);
    return NULL;
}

/* "7 = item | H | 10 | digits | Y | 名前 | C" (where: "[fields] 7" for messages) */
enum mnv_err form_parse_field(struct form_field *f, int pos, const char *where, const char *value,
                              struct mnv_diag *diag)
{
    char item[48], copy[1024], *p[8];
    snprintf(item, sizeof(item), "%s", where);
    if (!value)
        return bad(diag, item, N_("missing: every position from 1 to [form] fields is needed"));
    if (strlen(value) >= sizeof(copy) || !utf8_valid(value, strlen(value)))
        return bad(diag, item, N_("too long or not UTF-8"));
    memcpy(copy, value, strlen(value) + 1);
    if (split(copy, p, 8) != 7)
        return bad(diag, item,
                   N_("needs 7 parts: item | H/Z | length | chars | required | "
                      "name | confidence"));
    f->pos = pos;
    const char *why = parse_item(f, p[0]);
    if (why)
        return bad(diag, item, why);
    if (strcmp(p[1], "H") == 0)
        f->width = FORM_HALF;
    else if (strcmp(p[1], "Z") == 0)
        f->width = FORM_FULL;
    else
        return bad(diag, item, N_("width is H (半角) or Z (全角)"));
    f->exact = p[2][0] == '=';
    long long len = parse_int(p[2] + f->exact, 1, FORM_VALUE_MAX);
    if (len < 0)
        return bad(diag, item, N_("length is N (at most) or =N (exactly), 1-400"));
    f->length = (unsigned)len;
    if (parse_chars(p[3], &f->chars) < 0)
        return bad(diag, item, N_("chars is digits, code, kana, text or kanatext"));
    if (parse_required(p[4], &f->required) < 0)
        return bad(diag, item, N_("required is Y, C, -, blank or Y*"));
    if (!p[5][0] || strlen(p[5]) > FORM_NAME_MAX)
        return bad(diag, item, N_("the name is missing or too long"));
    snprintf(f->name, sizeof(f->name), "%s", p[5]);
    if (strlen(p[6]) != 1 || !strchr("CSI?", p[6][0]))
        return bad(diag, item, N_("confidence is C, S, I or ?"));
    f->confidence = (enum form_confidence)p[6][0];
    if ((f->chars == FORM_CHARS_KANA || f->chars == FORM_CHARS_KANATEXT) && f->width != FORM_HALF)
        return bad(diag, item, N_("kana fields are half-width (H)"));
    if (f->fixed[0] && f->required == FORM_REQ_BLANK)
        return bad(diag, item, N_("a fixed value cannot be blank"));
    return MNV_OK;
}

static enum mnv_err read_fields(dictionary *d, struct form_layout *l, long n, struct mnv_diag *diag)
{
    if (iniparser_getsecnkeys(d, "fields") != n)
        return bad(diag, "[fields]", N_("must list exactly [form] fields positions, 1 to N"));
    l->fields = calloc((size_t)n, sizeof(*l->fields));
    if (!l->fields)
        return MNV_ERR_NOMEM;
    for (long i = 1; i <= n; i++) {
        char key[32], where[48];
        snprintf(key, sizeof(key), "%ld", i);
        snprintf(where, sizeof(where), "[fields] %ld", i);
        enum mnv_err err =
            form_parse_field(&l->fields[i - 1], (int)i, where, get(d, "fields", key), diag);
        if (err != MNV_OK)
            return err;
        l->nfields++;
        if (l->fields[i - 1].required == FORM_REQ_SPACE && i != n)
            return bad(diag, "[fields]", N_("only the last field may be Y*"));
    }
    return MNV_OK;
}

static enum mnv_err keep_extra(dictionary *d, const char *sec, struct form_layout *l)
{
    int n = iniparser_getsecnkeys(d, sec);
    if (n <= 0)
        return MNV_OK;
    const char **keys = calloc((size_t)n, sizeof(*keys));
    struct form_extra *x = l->extra;
    char **nk = alloc_grow(x->keys, &x->kcap, x->count + (size_t)n, sizeof(*nk));
    if (nk)
        x->keys = nk;
    char **nv = nk ? alloc_grow(x->vals, &x->vcap, x->count + (size_t)n, sizeof(*nv)) : NULL;
    if (nv)
        x->vals = nv;
    if (!keys || !nk || !nv || !iniparser_getseckeys(d, sec, keys)) {
        free(keys);
        return MNV_ERR_NOMEM;
    }
    enum mnv_err err = MNV_OK;
    for (int i = 0; i < n && err == MNV_OK; i++) {
        const char *v = iniparser_getstring(d, keys[i], "");
        /* iniparser keeps a section's own entry with no value ("[draw:]" lists it). */
        char *ks = strdup(keys[i]), *vs = strdup(v ? v : "");
        if (!ks || !vs) {
            free(ks);
            free(vs);
            err = MNV_ERR_NOMEM;
            break;
        }
        char *colon = strchr(ks, ':');
        if (colon)
            *colon = '.';
        x->keys[x->count] = ks;
        x->vals[x->count++] = vs;
    }
    free(keys);
    return err;
}

static enum mnv_err read_sections(dictionary *d, struct form_layout *l, struct mnv_diag *diag)
{
    int n = iniparser_getnsec(d);
    for (int i = 0; i < n; i++) {
        const char *sec = iniparser_getsecname(d, i);
        enum mnv_err err = MNV_OK;
        if (!sec || strcmp(sec, "form") == 0 || strcmp(sec, "fields") == 0 ||
            strcmp(sec, "submission") == 0 || strcmp(sec, "head") == 0)
            continue;
        if (strncmp(sec, "copy.", 5) == 0) {
            if (l->ncopies == FORM_COPIES_MAX)
                return bad(diag, sec, N_("at most 4 copies"));
            err = read_copy(d, sec, &l->copies[l->ncopies], diag);
            if (err == MNV_OK && form_layout_copy(l, l->copies[l->ncopies].id))
                return bad(diag, sec, N_("this copy is named twice"));
            l->ncopies++;
        } else {
            err = keep_extra(d, sec, l);
        }
        if (err != MNV_OK)
            return err;
    }
    if (l->ncopies == 0)
        return bad(diag, "[copy.*]", N_("a layout names at least one copy"));
    return MNV_OK;
}

/* "nta375-2025.ini" → id and year; -1 when the name does not have that shape. */
static int name_parts(const char *base, char id[FORM_ID_MAX + 1], int *year)
{
    size_t n = strlen(base);
    if (n < 10 || strcmp(base + n - 4, ".ini") != 0 || base[n - 9] != '-')
        return -1;
    char y[5] = {base[n - 8], base[n - 7], base[n - 6], base[n - 5], 0};
    long long v = parse_int(y, 1989, 2200);
    size_t idlen = n - 9;
    if (v < 0 || idlen == 0 || idlen > FORM_ID_MAX)
        return -1;
    memcpy(id, base, idlen);
    id[idlen] = '\0';
    if (!inidata_code_ok(id, FORM_ID_MAX))
        return -1;
    *year = (int)v;
    return 0;
}

enum mnv_err form_layout_load_file(const char *path, struct form_layout **out,
                                   struct mnv_diag *diag)
{
    *out = NULL;
    const char *slash = strrchr(path, '/');
    struct form_layout *l = calloc(1, sizeof(*l));
    if (!l || !(l->extra = calloc(1, sizeof(*l->extra)))) {
        free(l);
        return MNV_ERR_NOMEM;
    }
    snprintf(l->path, sizeof(l->path), "%s", path);
    mnv_diag_where(diag, "%s", path);
    if (name_parts(slash ? slash + 1 : path, l->id, &l->year) < 0) {
        form_layout_free(l);
        return bad(diag, "", N_("a layout file is named <form>-<year>.ini"));
    }
    dictionary *d = NULL;
    const char *used;
    enum mnv_err err = inidata_open(path, "", &d, &used, diag);
    if (err == MNV_ERR_NOT_FOUND)
        err = MNV_ERR_FORM_NO_LAYOUT;
    else if (err == MNV_ERR_INVALID)
        err = bad(diag, "", N_("not readable as an INI file"));
    long nfields = 0;
    if (err == MNV_OK)
        err = read_form(d, l, &nfields, diag);
    if (err == MNV_OK)
        err = read_fields(d, l, nfields, diag);
    if (err == MNV_OK)
        err = read_sections(d, l, diag);
    if (err == MNV_OK)
        err = read_thresholds(d, l, diag);
    if (err == MNV_OK)
        err = form_head_read(d, l, diag);
    if (err == MNV_OK)
        err = form_rules_read(l, diag);
    if (d)
        iniparser_freedict(d);
    if (err != MNV_OK) {
        form_layout_free(l);
        return err;
    }
    mnv_diag_clear(diag);
    *out = l;
    return MNV_OK;
}

int form_layout_path(char *buf, size_t size, const char *form, int year)
{
    char name[FORM_ID_MAX + 32];
    if (!inidata_code_ok(form, FORM_ID_MAX) || year < 1000 || year > 9999)
        return -1;
    snprintf(name, sizeof(name), "%s/%s-%d.ini", FORM_FILE_DIR, form, year);
    return paths_data_file(buf, size, name);
}

enum mnv_err form_layout_load(const char *form, int year, struct form_layout **out,
                              struct mnv_diag *diag)
{
    char path[1024];
    *out = NULL;
    if (!inidata_code_ok(form, FORM_ID_MAX)) {
        mnv_diag_item(diag, "%s", form);
        return MNV_ERR_FORM_UNKNOWN;
    }
    if (form_layout_path(path, sizeof(path), form, year) < 0)
        return MNV_ERR_TOO_LONG;
    enum mnv_err err = form_layout_load_file(path, out, diag);
    if (err == MNV_ERR_FORM_NO_LAYOUT)
        mnv_diag_where(diag, "%s", path);
    return err;
}

void form_layout_free(struct form_layout *l)
{
    if (!l)
        return;
    if (l->extra) {
        for (size_t i = 0; i < l->extra->count; i++) {
            free(l->extra->keys[i]);
            free(l->extra->vals[i]);
        }
        free(l->extra->keys);
        free(l->extra->vals);
        free(l->extra);
    }
    form_rules_free(l->rules);
    form_layout_free(l->head);
    free(l->fields);
    free(l);
}

const struct form_copy *form_layout_copy(const struct form_layout *l, const char *id)
{
    for (size_t i = 0; i < l->ncopies; i++)
        if (strcmp(l->copies[i].id, id) == 0)
            return &l->copies[i];
    return NULL;
}

const struct form_field *form_layout_field(const struct form_layout *l, const char *item)
{
    for (size_t i = 0; i < l->nfields; i++)
        if (strcmp(l->fields[i].item, item) == 0)
            return &l->fields[i];
    return NULL;
}

const char *form_layout_extra(const struct form_layout *l, const char *key)
{
    for (size_t i = 0; l->extra && i < l->extra->count; i++)
        if (strcmp(l->extra->keys[i], key) == 0)
            return l->extra->vals[i];
    return NULL;
}

static int by_form_year(const void *a, const void *b)
{
    const struct form_available *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->year > y->year) - (x->year < y->year);
}

enum mnv_err form_list(struct form_available **out, size_t *count, struct mnv_diag *diag)
{
    char dir[1024];
    *out = NULL;
    *count = 0;
    if (paths_data_file(dir, sizeof(dir), FORM_FILE_DIR) < 0)
        return MNV_ERR_TOO_LONG;
    DIR *dp = opendir(dir);
    if (!dp) {
        mnv_diag_where(diag, "%s", dir);
        mnv_diag_errno(diag, errno);
        return MNV_ERR_NOT_FOUND;
    }
    size_t cap = 0;
    enum mnv_err err = MNV_OK;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        struct form_available a;
        if (name_parts(e->d_name, a.id, &a.year) < 0)
            continue;
        struct form_available *n = alloc_grow(*out, &cap, *count + 1, sizeof(*n));
        if (!n) {
            err = MNV_ERR_NOMEM;
            break;
        }
        *out = n;
        (*out)[(*count)++] = a;
    }
    closedir(dp);
    if (err != MNV_OK) {
        free(*out);
        *out = NULL;
        *count = 0;
        return err;
    }
    if (*count)
        qsort(*out, *count, sizeof(**out), by_form_year);
    return MNV_OK;
}
