#include "mnvault/person.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/clock.h"
#include "mnvault/numtext.h"
#include "mnvault/textfold.h"
#include "mnvault/utf8.h"

/* ---- names ---------------------------------------------------------------------------- */

static const char *const emp_field_names[] = {
    "code",    "name",      "kana",        "birth_date", "sex",       "postal_code",
    "address", "hire_date", "retire_date", "emp_ins_no", "pension_no"};
static const char *const dep_field_names[] = {"name", "kana", "relation", "birth_date", "sex"};

static char *join_fields(char *buf, size_t size, unsigned fields, const char *const *names,
                         size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!(fields & (1u << i)))
            continue;
        int w = snprintf(buf + o, size - o, "%s%s", o ? "," : "", names[i]);
        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
    }
    return buf;
}

char *person_employee_fields(char *buf, size_t size, unsigned fields)
{
    return join_fields(buf, size, fields, emp_field_names, MNV_ARRAY_LEN(emp_field_names));
}

char *person_dependent_fields(char *buf, size_t size, unsigned fields)
{
    return join_fields(buf, size, fields, dep_field_names, MNV_ARRAY_LEN(dep_field_names));
}

static unsigned field_bit(const char *name, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return 1u << i;
    return 0;
}

unsigned person_employee_field_bit(const char *name)
{
    return field_bit(name, emp_field_names, MNV_ARRAY_LEN(emp_field_names));
}

unsigned person_dependent_field_bit(const char *name)
{
    return field_bit(name, dep_field_names, MNV_ARRAY_LEN(dep_field_names));
}

const char *person_sex_name(enum person_sex sex)
{
    return sex == SEX_MALE ? "M" : sex == SEX_FEMALE ? "F" : "";
}

enum person_sex person_sex_parse(const char *text)
{
    if (strcmp(text, "M") == 0)
        return SEX_MALE;
    if (strcmp(text, "F") == 0)
        return SEX_FEMALE;
    return (enum person_sex)0;
}

static const char *const relation_names[] = {"", "spouse", "child", "parent", "other"};

const char *person_relation_name(enum dependent_relation rel)
{
    return (rel >= REL_SPOUSE && rel <= REL_OTHER) ? relation_names[rel] : "";
}

enum dependent_relation person_relation_parse(const char *text)
{
    for (int r = REL_SPOUSE; r <= REL_OTHER; r++)
        if (strcmp(text, relation_names[r]) == 0)
            return (enum dependent_relation)r;
    return (enum dependent_relation)0;
}

static const char *const status_names[] = {"missing", "registered", "refused", "disposed"};

const char *person_number_status_name(enum number_status s)
{
    return (s >= NUMBER_MISSING && s <= NUMBER_DISPOSED) ? status_names[s] : "missing";
}

enum number_status person_number_status_parse(const char *text)
{
    for (int s = NUMBER_REGISTERED; s <= NUMBER_DISPOSED; s++)
        if (strcmp(text, status_names[s]) == 0)
            return (enum number_status)s;
    return NUMBER_MISSING;
}

/* ---- field checks ----------------------------------------------------------------------- */

enum mnv_err person_check_code(const char *text)
{
    size_t n = strlen(text);
    if (n == 0)
        return MNV_ERR_FIELD_EMPTY;
    if (n > PERSON_CODE_MAX)
        return MNV_ERR_FIELD_LONG;
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return MNV_ERR_FIELD_CHARS;
    }
    return MNV_OK;
}

enum mnv_err person_check_text(const char *text, size_t max, int required)
{
    size_t n = strlen(text);
    if (n == 0)
        return required ? MNV_ERR_FIELD_EMPTY : MNV_OK;
    if (n > max)
        return MNV_ERR_FIELD_LONG;
    if (!utf8_valid(text, n))
        return MNV_ERR_FIELD_CHARS;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == 0x7F)
            return MNV_ERR_FIELD_CHARS;
    if (numtext_has_number(text, n, NUMTEXT_ANY_RUN))
        return MNV_ERR_FIELD_NUMBER;
    return MNV_OK;
}

enum mnv_err person_check_kana(const char *text)
{
    enum mnv_err err = person_check_text(text, PERSON_KANA_MAX, 1);
    if (err != MNV_OK)
        return err;
    size_t n = strlen(text), i = 0;
    while (i < n) {
        uint32_t cp;
        int len = utf8_decode(text + i, n - i, &cp);
        if (len < 0)
            return MNV_ERR_FIELD_CHARS;
        /* Katakana block (with ・ and ー), its phonetic extensions, and spaces. */
        if (!((cp >= 0x30A1 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) || cp == 0x3000 ||
              cp == ' '))
            return MNV_ERR_FIELD_KANA;
        i += (size_t)len;
    }
    return MNV_OK;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

enum mnv_err person_check_date(const char *text, int required)
{
    if (!text[0])
        return required ? MNV_ERR_FIELD_EMPTY : MNV_OK;
    if (strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return MNV_ERR_FIELD_DATE;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
            return MNV_ERR_FIELD_DATE;
    int y = atoi(text), m = atoi(text + 5), d = atoi(text + 8);
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return MNV_ERR_FIELD_DATE;
    return MNV_OK;
}

/*
 * The ASCII digits of a code typed with ASCII or full-width digits and separators (numtext.h:
 * spaces, hyphens, dashes). Returns the digit count, or -1 on any other character or more
 * than max digits.
 */
static int code_digits(const char *in, char *digits, int max)
{
    size_t n = strlen(in), i = 0;
    int count = 0;
    while (i < n) {
        uint32_t cp;
        int len = utf8_decode(in + i, n - i, &cp);
        if (len < 0)
            return -1;
        i += (size_t)len;
        int d = numtext_digit(cp);
        if (d >= 0) {
            if (count >= max)
                return -1;
            digits[count++] = (char)('0' + d);
        } else if (numtext_classify(cp) != NUMTEXT_SEPARATOR) {
            return -1;
        }
    }
    digits[count] = '\0';
    return count;
}

/* Shared shape: groups of digit counts, e.g. {3,4} → "123-4567". */
static enum mnv_err normalize_code(const char *in, char *out, size_t size, const int *groups,
                                   int ngroups, enum mnv_err bad)
{
    int total = 0;
    for (int g = 0; g < ngroups; g++)
        total += groups[g];
    char digits[32];
    if (!in[0]) {
        out[0] = '\0';
        return MNV_OK;
    }
    if (code_digits(in, digits, total) != total)
        return bad;
    size_t o = 0;
    int at = 0;
    for (int g = 0; g < ngroups; g++) {
        if (g > 0 && o + 1 < size)
            out[o++] = '-';
        for (int k = 0; k < groups[g] && o + 1 < size; k++)
            out[o++] = digits[at++];
    }
    out[o] = '\0';
    return MNV_OK;
}

enum mnv_err person_normalize_postal(const char *in, char out[9])
{
    static const int g[] = {3, 4};
    return normalize_code(in, out, 9, g, 2, MNV_ERR_FIELD_POSTAL);
}

enum mnv_err person_normalize_emp_ins(const char *in, char out[14])
{
    static const int g[] = {4, 6, 1};
    return normalize_code(in, out, 14, g, 3, MNV_ERR_FIELD_EMPINS);
}

enum mnv_err person_normalize_pension(const char *in, char out[12])
{
    static const int g[] = {4, 6};
    return normalize_code(in, out, 12, g, 2, MNV_ERR_FIELD_PENSION);
}

static enum mnv_err field_fail(struct mnv_diag *diag, const char *field, enum mnv_err err)
{
    if (err != MNV_OK)
        mnv_diag_item(diag, "%s", field);
    return err;
}

/* A birth date must not be after today (local date). */
static enum mnv_err check_birth(const char *date, time_t today)
{
    enum mnv_err err = person_check_date(date, 1);
    if (err != MNV_OK)
        return err;
    /* A bulk insert checks many rows in the same second: format that day once. */
    static _Thread_local time_t last = (time_t)-1;
    static _Thread_local char now[20];
    if (today != last) {
        clock_format_local(now, sizeof(now), today);
        last = today;
    }
    return strncmp(date, now, 10) > 0 ? MNV_ERR_FIELD_FUTURE : MNV_OK;
}

enum mnv_err person_employee_validate(struct employee *e, time_t today, struct mnv_diag *diag)
{
    enum mnv_err err;
    char buf[16] = {0};
#define CHECK(field, expr)                                                                         \
    do {                                                                                           \
        if ((err = (expr)) != MNV_OK)                                                              \
            return field_fail(diag, field, err);                                                   \
    } while (0)
    CHECK("code", person_check_code(e->code));
    CHECK("name", person_check_text(e->name, PERSON_NAME_MAX, 1));
    CHECK("kana", person_check_kana(e->kana));
    CHECK("birth_date", check_birth(e->birth_date, today));
    CHECK("sex", (e->sex == SEX_MALE || e->sex == SEX_FEMALE) ? MNV_OK : MNV_ERR_FIELD_CHOICE);
    CHECK("postal_code", person_normalize_postal(e->postal_code, buf));
    memcpy(e->postal_code, buf, 9);
    CHECK("address", person_check_text(e->address, PERSON_ADDRESS_MAX, 0));
    CHECK("hire_date", person_check_date(e->hire_date, 1));
    CHECK("retire_date", person_check_date(e->retire_date, 0));
    CHECK("retire_date", (e->retire_date[0] && strcmp(e->retire_date, e->hire_date) < 0)
                             ? MNV_ERR_FIELD_DATE_ORDER
                             : MNV_OK);
    CHECK("emp_ins_no", person_normalize_emp_ins(e->emp_ins_no, buf));
    memcpy(e->emp_ins_no, buf, 14);
    CHECK("pension_no", person_normalize_pension(e->pension_no, buf));
    memcpy(e->pension_no, buf, 12);
    return MNV_OK;
}

enum mnv_err person_dependent_validate(struct dependent *d, time_t today, struct mnv_diag *diag)
{
    enum mnv_err err;
    CHECK("name", person_check_text(d->name, PERSON_NAME_MAX, 1));
    CHECK("kana", person_check_kana(d->kana));
    CHECK("relation",
          (d->relation >= REL_SPOUSE && d->relation <= REL_OTHER) ? MNV_OK : MNV_ERR_FIELD_CHOICE);
    CHECK("birth_date", check_birth(d->birth_date, today));
    CHECK("sex", (d->sex == SEX_MALE || d->sex == SEX_FEMALE) ? MNV_OK : MNV_ERR_FIELD_CHOICE);
#undef CHECK
    return MNV_OK;
}

enum mnv_err person_check_left(const struct dependent *d, const char *date, time_t today)
{
    if (!date[0])
        return MNV_OK;
    enum mnv_err err = person_check_date(date, 1);
    if (err != MNV_OK)
        return MNV_ERR_FIELD_DATE;
    if (d->birth_date[0] && strcmp(date, d->birth_date) < 0)
        return MNV_ERR_FIELD_LEFT_ORDER;
    return check_birth(date, today); /* "not after today", as for a birth date */
}

enum mnv_err person_check_reason(const char *text)
{
    const char *p = text;
    while (*p == ' ' || *p == '\t' || strncmp(p, "\xe3\x80\x80", 3) == 0) /* incl. U+3000 */
        p += *p == ' ' || *p == '\t' ? 1 : 3;
    if (!*p)
        return MNV_ERR_REASON_NEEDED;
    if (numtext_has_number(text, strlen(text), NUMTEXT_ANY_RUN))
        return MNV_ERR_REASON_NUMBER;
    return person_check_text(text, PERSON_REASON_MAX, 1);
}

size_t person_fold_kana(const char *in, char *out, size_t size)
{
    size_t len = strlen(in), i = 0, o = 0, kept = 0;
    while (i < len) {
        uint32_t cp, next;
        int n = utf8_decode(in + i, len - i, &cp);
        if (n <= 0) { /* not UTF-8: kept byte for byte, for the field check to refuse */
            cp = (unsigned char)in[i];
            n = 1;
        }
        i += (size_t)n;
        if (cp >= 0x3041 && cp <= 0x3096) /* hiragana */
            cp += 0x60;
        else if (cp == 0x3000 || cp == 0xFF65) /* full-width space, half-width middle dot */
            cp = cp == 0x3000 ? ' ' : 0x30FB;
        else if (textfold_kana_full(cp))
            cp = textfold_kana_full(cp);
        /* A voiced or semi-voiced mark written after the kana joins it: ﾀﾞ → ダ. */
        int m = i < len ? utf8_decode(in + i, len - i, &next) : -1;
        if (m > 0 && textfold_kana_mark(cp, next)) {
            cp = textfold_kana_mark(cp, next);
            i += (size_t)m;
        }
        char enc[4];
        int w = cp < 0x80 ? (enc[0] = (char)cp, 1) : utf8_encode(cp, enc);
        if (kept == o && o + (size_t)w < size) {
            memcpy(out + o, enc, (size_t)w);
            kept += (size_t)w;
        }
        o += (size_t)w;
    }
    if (size)
        out[kept] = '\0';
    return o;
}

/* ---- the compact list ------------------------------------------------------------------- */

void person_list_free(struct person_list *list)
{
    if (!list)
        return;
    free(list->rows);
    free(list->arena);
    memset(list, 0, sizeof(*list));
}
