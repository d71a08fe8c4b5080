/*
 * insurance_facts.c: the insurance facts kept per person, their choices, and the check of
 * one value (insurance.h, doc/insurance.md).
 */
#include "mnvault/insurance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/i18n.h"
#include "mnvault/numtext.h"
#include "mnvault/person.h"
#include "mnvault/utf8.h"
#include "mnvault/wareki.h"

/* clang-format off */
static const struct insurance_choice acquire_kinds[] = {
    {"health_pension", N_("health and pension (健保・厚年)")},
    {"mutual_aid", N_("from mutual aid (共済出向)")},
    {"seamen", N_("seamen's ins. (船保任継)")},
    {NULL, NULL}};
static const struct insurance_choice no_address_reasons[] = {
    {"abroad", N_("lives abroad (海外在住)")},
    {"short_stay", N_("short stay (短期在留)")},
    {"other", N_("other (その他)")},
    {NULL, NULL}};
static const struct insurance_choice loss_causes[] = {
    {"retirement", N_("left the job (退職等)")},
    {"death", N_("death (死亡)")},
    {"age75", N_("reached 75 (75歳到達)")},
    {"disability", N_("disability (障害認定)")},
    {"agreement", N_("treaty (社会保障協定)")},
    {NULL, NULL}};
static const struct insurance_choice koyo_kinds[] = {
    {"new", N_("first time (新規)")},
    {"again", N_("insured before (再取得)")},
    {NULL, NULL}};
static const struct insurance_choice koyo_causes[] = {
    {"graduate", N_("school leaver (新規学卒)")},
    {"new_hire", N_("new hire (新規雇用)")},
    {"day_labour", N_("day labour (日雇からの切替)")},
    {"other", N_("other (その他)")},
    {"return", N_("return (出向元への復帰等)")},
    {NULL, NULL}};
static const struct insurance_choice wage_modes[] = {
    {"monthly", N_("monthly (月給)")},
    {"weekly", N_("weekly (週給)")},
    {"daily", N_("daily (日給)")},
    {"hourly", N_("hourly (時間給)")},
    {"other", N_("other (その他)")},
    {NULL, NULL}};
static const struct insurance_choice employment_types[] = {
    {"day", N_("day labourer (日雇)")},
    {"dispatched", N_("dispatched worker (派遣)")},
    {"part_time", N_("part-time (パートタイム)")},
    {"fixed_term", N_("fixed-term (有期契約労働者)")},
    {"seasonal", N_("seasonal (季節的雇用)")},
    {"seaman", N_("seaman (船員)")},
    {"other", N_("other, regular (その他)")},
    {NULL, NULL}};
static const struct insurance_choice occupations[] = {
    {"manager", N_("managerial (管理的職業)")},
    {"professional", N_("technical (専門的・技術的職業)")},
    {"clerical", N_("clerical (事務的職業)")},
    {"sales", N_("sales (販売の職業)")},
    {"service", N_("services (サービスの職業)")},
    {"security", N_("security (保安の職業)")},
    {"agriculture", N_("agriculture (農林漁業の職業)")},
    {"production", N_("production (生産工程の職業)")},
    {"transport", N_("transport (輸送・機械運転の職業)")},
    {"construction", N_("construction (建設・採掘の職業)")},
    {"carrying", N_("cleaning (運搬・清掃・包装等の職業)")},
    {NULL, NULL}};
static const struct insurance_choice routes[] = {
    {"hello_work", N_("Hello Work (安定所紹介)")},
    {"self", N_("own search (自己就職)")},
    {"agency", N_("private agency (民間紹介)")},
    {"unknown", N_("not known (把握していない)")},
    {NULL, NULL}};
static const struct insurance_choice yes_no[] = {
    {"yes", N_("yes (有)")},
    {"no", N_("no (無)")},
    {NULL, NULL}};
static const struct insurance_choice koyo_losses[] = {
    {"not_leaving", N_("not leaving (離職以外)")},
    {"leaving", N_("leaving (3以外の離職)")},
    {"employer", N_("dismissal (事業主の都合による離職)")},
    {NULL, NULL}};
static const struct insurance_choice join_reasons[] = {
    {"hired", N_("insured hired (配偶者の就職)")},
    {"marriage", N_("marriage (婚姻)")},
    {"birth", N_("birth (出生)")},
    {"left_job", N_("left a job (離職)")},
    {"income_down", N_("income fell (収入減少)")},
    {"cohabit", N_("moved in (同居)")},
    {"other", N_("other (その他)")},
    {NULL, NULL}};
static const struct insurance_choice leave_reasons[] = {
    {"death", N_("death (死亡)")},
    {"divorce", N_("divorce (離婚)")},
    {"job", N_("took a job (就職)")},
    {"income_up", N_("income rose (収入増加)")},
    {"age75", N_("reached 75 (75歳到達)")},
    {"disability", N_("disability (障害認定)")},
    {"other", N_("other (その他)")},
    {NULL, NULL}};
static const struct insurance_choice dep_occupations[] = {
    {"none", N_("no work (無職)")},
    {"part_time", N_("part-time (パート)")},
    {"pensioner", N_("pensioner (年金受給者)")},
    {"pupil", N_("pupil (小・中学生以下)")},
    {"student", N_("student (高・大学生)")},
    {"other", N_("other (その他)")},
    {NULL, NULL}};
static const struct insurance_choice living[] = {
    {"together", N_("together (同居)")},
    {"apart", N_("apart (別居)")},
    {NULL, NULL}};
static const struct insurance_choice phone_kinds[] = {
    {"home", N_("home (自宅)")},
    {"mobile", N_("mobile (携帯)")},
    {"work", N_("work (勤務先)")},
    {"other", N_("other (その他)")},
    {NULL, NULL}};

#define E INS_EMPLOYEE
#define D INS_DEPENDANT
#define P INS_SPOUSE
static const struct insurance_fact facts[] = {
    {"shaho.acquired_on", "健保厚年資格取得年月日", N_("Acquired on (資格取得年月日)"), INS_DATE, E, 0, NULL},
    {"shaho.acquire_kind", "健保厚年取得区分", N_("Kind (取得区分)"), INS_CHOICE, E, 0, acquire_kinds},
    {"shaho.seiri_no", "被保険者整理番号", N_("Insured no. (被保険者整理番号)"), INS_DIGITS, E, 6, NULL},
    {"shaho.pay_cash", "報酬月額通貨", N_("Monthly pay in money (報酬月額・通貨)"), INS_AMOUNT, E, 7, NULL},
    {"shaho.pay_kind", "報酬月額現物", N_("Monthly pay in kind (報酬月額・現物)"), INS_AMOUNT, E, 7, NULL},
    {"shaho.over70", "70歳以上被用者", N_("Aged 70 or over (70歳以上被用者)"), INS_FLAG, E, 0, NULL},
    {"shaho.multi_office", "二以上事業所勤務者", N_("Two or more offices (二以上事業所勤務者)"), INS_FLAG, E, 0, NULL},
    {"shaho.short_time", "短時間労働者", N_("Short-time worker (短時間労働者)"), INS_FLAG, E, 0, NULL},
    {"shaho.rehired", "退職後の継続再雇用者", N_("Re-employed (退職後の継続再雇用者)"), INS_FLAG, E, 0, NULL},
    {"shaho.miner", "坑内員", N_("Works underground (坑内員)"), INS_FLAG, E, 0, NULL},
    {"shaho.card", "資格確認書発行要", N_("Needs a 資格確認書 issued"), INS_FLAG, E, 0, NULL},
    {"shaho.note", "健保厚年備考", N_("Note (備考)"), INS_TEXT, E, 37, NULL},
    {"shaho.address_kana", "住所カナ", N_("Address in katakana (住所・カナ)"), INS_KANA, E, 75, NULL},
    {"shaho.no_address_reason", "住民票住所を記載できない理由", N_("No address because (住所を記載できない理由)"), INS_CHOICE, E, 0, no_address_reasons},
    {"shaho.lost_on", "健保厚年資格喪失年月日", N_("Lost on (資格喪失年月日)"), INS_DATE, E, 0, NULL},
    {"shaho.loss_cause", "健保厚年喪失原因", N_("Cause of loss (喪失原因)"), INS_CHOICE, E, 0, loss_causes},
    {"shaho.left_on", "退職日又は死亡日", N_("Last day or death (退職日・死亡日)"), INS_DATE, E, 0, NULL},
    {"shaho.cards_returned", "資格確認書回収", N_("資格確認書 returned (回収・添付)"), INS_DIGITS, E, 2, NULL},
    {"shaho.cards_unreturned", "資格確認書返不能", N_("資格確認書 not returnable (返不能)"), INS_DIGITS, E, 2, NULL},
    {"koyo.acquired_on", "雇用保険資格取得年月日", N_("Acquired on (資格取得年月日)"), INS_DATE, E, 0, NULL},
    {"koyo.acquire_kind", "雇用保険取得区分", N_("Kind (取得区分)"), INS_CHOICE, E, 0, koyo_kinds},
    {"koyo.cause", "被保険者となったことの原因", N_("Why insured (被保険者となったことの原因)"), INS_CHOICE, E, 0, koyo_causes},
    {"koyo.wage_mode", "賃金支払の態様", N_("Wage paid (賃金・支払の態様)"), INS_CHOICE, E, 0, wage_modes},
    {"koyo.wage", "賃金月額", N_("Wage per month (賃金・月額)"), INS_AMOUNT, E, 8, NULL},
    {"koyo.employment_type", "雇用形態", N_("Employment type (雇用形態)"), INS_CHOICE, E, 0, employment_types},
    {"koyo.occupation", "職種", N_("Occupation (職種)"), INS_CHOICE, E, 0, occupations},
    {"koyo.route", "就職経路", N_("How hired (就職経路)"), INS_CHOICE, E, 0, routes},
    {"koyo.weekly_hours", "1週間の所定労働時間", N_("Hours per week (1週間の所定労働時間)"), INS_HOURS, E, 0, NULL},
    {"koyo.fixed_term", "契約期間の定め", N_("Fixed-term contract (契約期間の定め)"), INS_CHOICE, E, 0, yes_no},
    {"koyo.contract_from", "契約期間開始", N_("Contract from (契約期間)"), INS_DATE, E, 0, NULL},
    {"koyo.contract_to", "契約期間終了", N_("Contract until (契約期間)"), INS_DATE, E, 0, NULL},
    {"koyo.renewal", "契約更新条項", N_("Renewal clause (契約更新条項の有無)"), INS_CHOICE, E, 0, yes_no},
    {"koyo.left_on", "離職等年月日", N_("Last day of work (離職等年月日)"), INS_DATE, E, 0, NULL},
    {"koyo.loss_cause", "雇用保険喪失原因", N_("Cause of loss (喪失原因)"), INS_CHOICE, E, 0, koyo_losses},
    {"koyo.separation_slip", "離職票交付希望", N_("Wants a separation slip (離職票交付希望)"), INS_CHOICE, E, 0, yes_no},
    {"koyo.replacement", "補充採用予定", N_("Replacement planned (補充採用予定の有無)"), INS_CHOICE, E, 0, yes_no},
    {"koyo.note", "雇用保険備考", N_("Note (備考)"), INS_TEXT, E, 40, NULL},
    {"fuyo.since", "被扶養者になった日", N_("Dependant from (被扶養者になった日)"), INS_DATE, D, 0, NULL},
    {"fuyo.reason", "被扶養者になった理由", N_("Why (被扶養者になった理由)"), INS_CHOICE, D, 0, join_reasons},
    {"fuyo.reason_text", "被扶養者になった理由その他", N_("Why, other (その他の理由)"), INS_TEXT, D, 20, NULL},
    {"fuyo.until", "被扶養者でなくなった日", N_("Dependant until (被扶養者でなくなった日)"), INS_DATE, D, 0, NULL},
    {"fuyo.end_reason", "被扶養者でなくなった理由", N_("Why it ended (被扶養者でなくなった理由)"), INS_CHOICE, D, 0, leave_reasons},
    {"fuyo.end_reason_text", "被扶養者でなくなった理由その他", N_("Why it ended, other (その他の理由)"), INS_TEXT, D, 20, NULL},
    {"fuyo.occupation", "扶養親族職業", N_("Occupation (職業)"), INS_CHOICE, D, 0, dep_occupations},
    {"fuyo.income", "扶養親族年間収入", N_("Yearly income (年間収入)"), INS_AMOUNT, D, 7, NULL},
    {"fuyo.living", "同居別居", N_("Lives with the insured (同居・別居)"), INS_CHOICE, D, 0, living},
    {"fuyo.postal", "扶養親族郵便番号", N_("Postal code, if apart (郵便番号)"), INS_POSTAL, D, 0, NULL},
    {"fuyo.address", "扶養親族住所", N_("Address, if apart (住所)"), INS_TEXT, D, 37, NULL},
    {"fuyo.category3", "第3号被保険者", N_("Category 3 pension (第3号被保険者)"), INS_FLAG, P, 0, NULL},
    {"fuyo.pension_no", "配偶者基礎年金番号", N_("Basic pension number (基礎年金番号)"), INS_PENSION, P, 0, NULL},
    {"fuyo.phone_kind", "配偶者電話種別", N_("Telephone of (電話番号種別)"), INS_CHOICE, P, 0, phone_kinds},
    {"fuyo.phone", "配偶者電話番号", N_("Telephone (電話番号)"), INS_PHONE, P, 13, NULL},
    {"fuyo.card", "扶養親族資格確認書発行要", N_("Needs a 資格確認書 issued"), INS_FLAG, D, 0, NULL},
};
#undef E
#undef D
#undef P
/* clang-format on */

const char *insurance_group_label(const char *key)
{
    if (strncmp(key, "shaho", 5) == 0)
        return N_("Health and pension insurance (健康保険・厚生年金保険)");
    if (strncmp(key, "koyo", 4) == 0)
        return N_("Employment insurance (雇用保険)");
    return N_("Dependant of the health insurance (被扶養者)");
}

const struct insurance_fact *insurance_fact_at(size_t i)
{
    return i < MNV_ARRAY_LEN(facts) ? &facts[i] : NULL;
}

const struct insurance_fact *insurance_fact_find(const char *name)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(facts); i++) {
        const char *k = facts[i].key;
        size_t n = strlen(k);
        if (strcmp(name, k) == 0 || strcmp(name, facts[i].ja) == 0)
            return &facts[i];
        /* the English column: the key with '_' for '.' */
        if (strlen(name) == n) {
            size_t j = 0;
            while (j < n && (name[j] == k[j] || (k[j] == '.' && name[j] == '_')))
                j++;
            if (j == n)
                return &facts[i];
        }
    }
    return NULL;
}

const char *insurance_choice_label(const struct insurance_fact *f, const char *word)
{
    for (const struct insurance_choice *c = f->choices; c && c->word; c++)
        if (strcmp(c->word, word) == 0)
            return c->label;
    return "";
}

/* ---- checking one value -------------------------------------------------------------------- */

/* Copy text into out with full-width ASCII made ASCII and spaces around trimmed. */
static int narrow(const char *text, char *out, size_t size)
{
    size_t o = 0, n = strlen(text);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = utf8_decode(text + i, n - i, &cp);
        if (k < 0)
            return -1;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        else if (cp == 0x3000)
            cp = ' ';
        else if (cp == 0x30FC || cp == 0x2212 || cp == 0x2010 || cp == 0x2015 || cp == 0xFF70)
            cp = '-';
        char enc[4];
        int m = utf8_encode(cp, enc);
        if (o + (size_t)m + 1 > size)
            return -1;
        memcpy(out + o, enc, (size_t)m);
        o += (size_t)m;
        i += (size_t)k;
    }
    out[o] = '\0';
    while (o > 0 && out[o - 1] == ' ')
        out[--o] = '\0';
    size_t lead = strspn(out, " ");
    memmove(out, out + lead, o - lead + 1);
    return 0;
}

static enum mnv_err check_amount(const char *in, unsigned max, char *out, size_t size)
{
    char buf[64];
    size_t o = 0;
    if (narrow(in, buf, sizeof(buf)) != 0)
        return MNV_ERR_INSURANCE_AMOUNT;
    for (const char *p = buf; *p; p++) {
        if (*p == ',' && o > 0)
            continue;
        if (*p < '0' || *p > '9' || o >= max)
            return MNV_ERR_INSURANCE_AMOUNT;
        buf[o++] = *p;
    }
    buf[o] = '\0';
    while (o > 1 && buf[0] == '0') /* "0280000" is 280000 */
        memmove(buf, buf + 1, o--);
    snprintf(out, size, "%s", buf);
    return MNV_OK;
}

static enum mnv_err check_choice(const struct insurance_fact *f, const char *in, char *out,
                                 size_t size)
{
    char buf[INSURANCE_VALUE_MAX + 1];
    if (narrow(in, buf, sizeof(buf)) != 0)
        return MNV_ERR_INSURANCE_CHOICE;
    int nth = 0;
    for (const char *p = buf; *p >= '0' && *p <= '9' && nth < 100; p++)
        nth = *(p + 1) == '\0' || (p[1] >= '0' && p[1] <= '9') ? nth * 10 + (*p - '0') : -1;
    int i = 1;
    for (const struct insurance_choice *c = f->choices; c && c->word; c++, i++) {
        const char *l = c->label, *open = strchr(l, '('), *close = strrchr(l, ')');
        int label_ja = open && close && close > open && (size_t)(close - open - 1) == strlen(buf) &&
                       memcmp(open + 1, buf, strlen(buf)) == 0;
        if (strcmp(buf, c->word) == 0 || nth == i || label_ja || strcmp(buf, _(l)) == 0) {
            snprintf(out, size, "%s", c->word);
            return MNV_OK;
        }
    }
    return MNV_ERR_INSURANCE_CHOICE;
}

static enum mnv_err check_flag(const char *in, char *out, size_t size)
{
    static const char *const yes[] = {"1", "yes", "y", "true", "はい", "有", "該当", "○"};
    static const char *const no[] = {"0", "no", "n", "false", "いいえ", "無", "非該当"};
    char buf[32];
    if (narrow(in, buf, sizeof(buf)) != 0)
        return MNV_ERR_FIELD_CHOICE;
    for (char *p = buf; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    for (size_t i = 0; i < MNV_ARRAY_LEN(yes); i++)
        if (strcmp(buf, yes[i]) == 0) {
            snprintf(out, size, "1");
            return MNV_OK;
        }
    for (size_t i = 0; i < MNV_ARRAY_LEN(no); i++)
        if (strcmp(buf, no[i]) == 0) {
            out[0] = '\0';
            return MNV_OK;
        }
    return MNV_ERR_FIELD_CHOICE;
}

static enum mnv_err check_digits(const char *in, unsigned max, int phone, char *out, size_t size)
{
    char buf[64];
    if (narrow(in, buf, sizeof(buf)) != 0)
        return phone ? MNV_ERR_FIELD_CHARS : MNV_ERR_INSURANCE_DIGITS;
    size_t n = 0;
    for (const char *p = buf; *p; p++, n++)
        if (!((*p >= '0' && *p <= '9') || (phone && *p == '-')))
            return phone ? MNV_ERR_FIELD_CHARS : MNV_ERR_INSURANCE_DIGITS;
    if (n > max)
        return phone ? MNV_ERR_FIELD_LONG : MNV_ERR_INSURANCE_DIGITS;
    snprintf(out, size, "%s", buf);
    return MNV_OK;
}

static enum mnv_err check_hours(const char *in, char *out, size_t size)
{
    char buf[32];
    int h = -1, m = -1, used = 0;
    if (narrow(in, buf, sizeof(buf)) != 0 || sscanf(buf, "%d:%d%n", &h, &m, &used) != 2 ||
        buf[used] != '\0' || h < 0 || h > 99 || m < 0 || m > 59 || strchr(buf, '-'))
        return MNV_ERR_INSURANCE_HOURS;
    snprintf(out, size, "%02d:%02d", h, m);
    return MNV_OK;
}

/* Katakana (full or half width), ASCII letters, digits, spaces and '-'. */
static enum mnv_err check_kana(const char *in, unsigned max, char *out, size_t size)
{
    size_t n = strlen(in), chars = 0;
    for (size_t i = 0; i < n; chars++) {
        uint32_t cp;
        int k = utf8_decode(in + i, n - i, &cp);
        if (k < 0)
            return MNV_ERR_INSURANCE_KANA;
        int ok = (cp >= 0x30A1 && cp <= 0x30FC) || (cp >= 0xFF66 && cp <= 0xFF9F) ||
                 (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
                 cp == ' ' || cp == '-' || cp == 0x3000 || (cp >= 0xFF10 && cp <= 0xFF19) ||
                 cp == 0xFF0D || cp == 0x2212;
        if (!ok)
            return MNV_ERR_INSURANCE_KANA;
        i += (size_t)k;
    }
    if (chars > max)
        return MNV_ERR_FIELD_LONG;
    snprintf(out, size, "%s", in);
    return MNV_OK;
}

static enum mnv_err check_text(const char *in, unsigned max, char *out, size_t size)
{
    size_t n = strlen(in), chars = 0;
    if (!utf8_valid(in, n))
        return MNV_ERR_FIELD_CHARS;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)in[i] & 0xC0) != 0x80;
    if (chars > max)
        return MNV_ERR_FIELD_LONG;
    enum mnv_err err = person_check_text(in, INSURANCE_VALUE_MAX, 0);
    if (err != MNV_OK)
        return err;
    snprintf(out, size, "%s", in);
    return MNV_OK;
}

enum mnv_err insurance_fact_check(const struct insurance_fact *f, const char *value, char *out,
                                  size_t size)
{
    char in[INSURANCE_VALUE_MAX + 1], tmp[16];
    if (strlen(value) > INSURANCE_VALUE_MAX)
        return MNV_ERR_FIELD_LONG;
    memcpy(in, value, strlen(value) + 1);
    if (!utf8_valid(in, strlen(in)))
        return MNV_ERR_FIELD_CHARS;
    if (in[strspn(in, " \t")] == '\0') {
        out[0] = '\0';
        return MNV_OK;
    }
    switch (f->kind) {
    case INS_DATE: {
        enum mnv_err err = wareki_parse(in, tmp);
        if (err == MNV_OK)
            snprintf(out, size, "%s", tmp);
        return err;
    }
    case INS_AMOUNT:
        return check_amount(in, f->max, out, size);
    case INS_CHOICE:
        return check_choice(f, in, out, size);
    case INS_FLAG:
        return check_flag(in, out, size);
    case INS_DIGITS:
        return check_digits(in, f->max, 0, out, size);
    case INS_PHONE:
        return check_digits(in, f->max, 1, out, size);
    case INS_HOURS:
        return check_hours(in, out, size);
    case INS_KANA:
        return check_kana(in, f->max, out, size);
    case INS_POSTAL:
        if (person_normalize_postal(in, tmp) != MNV_OK)
            return MNV_ERR_FIELD_POSTAL;
        snprintf(out, size, "%s", tmp);
        return MNV_OK;
    case INS_PENSION:
        if (person_normalize_pension(in, tmp) != MNV_OK)
            return MNV_ERR_FIELD_PENSION;
        snprintf(out, size, "%s", tmp);
        return MNV_OK;
    case INS_TEXT:
        return check_text(in, f->max, out, size);
    }
    return MNV_ERR_INVALID;
}
