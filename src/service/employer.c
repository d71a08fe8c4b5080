/* employer.c: the employer's details for filings (employer.h). */
#include "mnvault/employer.h"

#include <stdio.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/change.h"
#include "mnvault/i18n.h"
#include "mnvault/numtext.h"
#include "mnvault/person.h"
#include "mnvault/prefecture.h"
#include "mnvault/session.h"
#include "mnvault/utf8.h"
#include "mnvault/vault.h"

#define T EMPLOYER_TEXT
#define C EMPLOYER_CODE
static const struct employer_field fields[] = {
    {"kana", "payer.kana", N_("Name in katakana (フリガナ)"), 60, T},
    {"phone", "payer.phone", N_("Telephone (電話番号)"), 15, C},
    {"seiri1", "payer.seiri1", N_("Tax office reference 1 (整理番号1, 10 digits)"), 10, C},
    {"seiri2", "payer.seiri2", N_("Tax office reference 2 (整理番号2, 13 digits)"), 13, C},
    {"branch", "payer.branch", N_("Branch number (本支店等区分番号)"), 5, C},
    {"representative", "payer.representative", N_("Representative (代表者の氏名)"), 30, T},
    {"office_name", "payer.office_name", N_("Office that withholds tax (事業所の名称)"), 60, T},
    {"office_address", "payer.office_address", N_("That office's address (所在地)"), 60, T},
    {"contact", "payer.contact", N_("Contact person and section (連絡者)"), 60, T},
    {"contact_phone", "payer.contact_phone", N_("Contact's telephone"), 15, C},
    {"accountant", "payer.accountant", N_("Tax accountant (関与税理士等)"), 60, T},
    {"business", "payer.business", N_("Line of business (事業種目)"), 30, T},
    {"tax_office", "payer.tax_office", N_("Competent tax office (所轄税務署)"), 30, T},
    {"pay_method", "payer.pay_method",
     N_("How and when salaries are paid (給与の支払方法及びその期日)"), 60, T},
    /* the insurance office (適用事業所), for the pension office's and Hello Work's forms */
    {"insurance_prefecture", "office.prefecture",
     N_("Insurance: prefecture of the pension office (都道府県)"), 4, EMPLOYER_PREFECTURE},
    {"insurance_symbol", "office.symbol", N_("Insurance: office symbol (事業所整理記号)"), 8,
     EMPLOYER_SYMBOL},
    {"insurance_number", "office.number", N_("Insurance: office number (事業所番号)"), 5,
     EMPLOYER_DIGITS},
    {"koyo_number", "office.koyo_number",
     N_("Employment insurance office number (雇用保険適用事業所番号)"), 13, EMPLOYER_KOYO_NO},
    {"insurance_postal", "office.postal", N_("Insurance: office postal code (郵便番号)"), 8,
     EMPLOYER_POSTAL},
    {"insurance_address", "office.address", N_("Insurance: office address (事業所所在地)"), 37, T},
    {"insurance_name", "office.name", N_("Insurance: office name (事業所名称)"), 25, T},
    {"insurance_owner", "office.owner", N_("Insurance: owner's name (事業主氏名)"), 12, T},
    {"insurance_phone", "office.phone", N_("Insurance: telephone (電話番号)"), 15, C},
};
#undef T
#undef C

const struct employer_field *employer_field_at(size_t i)
{
    return i < MNV_ARRAY_LEN(fields) ? &fields[i] : NULL;
}

const struct employer_field *employer_field_find(const char *key)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(fields); i++)
        if (strcmp(fields[i].key, key) == 0 || strcmp(fields[i].item, key) == 0)
            return &fields[i];
    return NULL;
}

enum mnv_err employer_get(struct session *s, const char *key, char *out, size_t size)
{
    out[0] = '\0';
    const struct employer_field *f = employer_field_find(key);
    if (!f)
        return MNV_ERR_EMPLOYER_KEY;
    enum mnv_err err = session_ready(s);
    if (err != MNV_OK)
        return err;
    char meta[64];
    snprintf(meta, sizeof(meta), "employer.%s", f->key);
    err = vault_meta_get(session_vault(s), meta, out, size);
    if (err == MNV_ERR_NOT_FOUND) {
        out[0] = '\0';
        err = MNV_OK;
    }
    return err;
}

/* Full-width ASCII and dashes to ASCII, into out (size bytes); -1 when it does not fit. */
static int narrow(const char *in, char *out, size_t size)
{
    size_t o = 0, n = strlen(in);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = utf8_decode(in + i, n - i, &cp);
        if (k < 0)
            return -1;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        else if (cp == 0x2212 || cp == 0x2010 || cp == 0x2015 || cp == 0x30FC || cp == 0xFF70)
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
    return 0;
}

/* "NN-" then 1-4 letters and digits, or 1-4 katakana (half-width marks count as one). */
static enum mnv_err check_symbol(const char *v)
{
    if (!(v[0] >= '0' && v[0] <= '9' && v[1] >= '0' && v[1] <= '9' && v[2] == '-'))
        return MNV_ERR_FIELD_CHARS;
    size_t n = strlen(v + 3), chars = 0, ascii = 0;
    for (size_t i = 3; i < 3 + n; chars++) {
        uint32_t cp;
        int k = utf8_decode(v + i, n + 3 - i, &cp);
        if (k < 0)
            return MNV_ERR_FIELD_CHARS;
        if ((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'))
            ascii++;
        else if (!((cp >= 0x30A1 && cp <= 0x30F6) || (cp >= 0xFF66 && cp <= 0xFF9F)))
            return MNV_ERR_FIELD_CHARS;
        i += (size_t)k;
    }
    if (chars == 0 || chars > 4 || (ascii && ascii != chars))
        return chars > 4 ? MNV_ERR_FIELD_LONG : MNV_ERR_FIELD_CHARS;
    return MNV_OK;
}

/* "1301-123456-7" from 11 digits with or without separators. */
static enum mnv_err check_koyo_no(char *v)
{
    char d[12];
    size_t n = 0;
    for (const char *p = v; *p; p++)
        if (*p >= '0' && *p <= '9' && n < 11)
            d[n++] = *p;
        else if (*p != '-' && *p != ' ')
            return MNV_ERR_FIELD_CHARS;
    if (n != 11)
        return MNV_ERR_FIELD_CHARS;
    snprintf(v, 14, "%.4s-%.6s-%c", d, d + 4, d[10]);
    return MNV_OK;
}

/* Check value for f and write its stored form into out (EMPLOYER_VALUE_MAX + 1). */
static enum mnv_err check_value(const struct employer_field *f, const char *value, char *out)
{
    size_t n = strlen(value), chars = 0;
    if (!utf8_valid(value, n) || n > EMPLOYER_VALUE_MAX)
        return n > EMPLOYER_VALUE_MAX ? MNV_ERR_FIELD_LONG : MNV_ERR_FIELD_CHARS;
    if (f->kind == EMPLOYER_TEXT)
        memcpy(out, value, n + 1);
    else if (narrow(value, out, EMPLOYER_VALUE_MAX + 1) != 0)
        return MNV_ERR_FIELD_LONG;
    n = strlen(out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if ((c & 0xC0) != 0x80)
            chars++;
        if (c < 0x20 || c == 0x7F)
            return MNV_ERR_FIELD_CHARS;
        int alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if ((f->kind == EMPLOYER_CODE && !alnum && c != '-') ||
            (f->kind == EMPLOYER_DIGITS && !(c >= '0' && c <= '9')))
            return MNV_ERR_FIELD_CHARS;
    }
    if (chars > f->max_chars)
        return MNV_ERR_FIELD_LONG;
    if (numtext_has_number(out, n, NUMTEXT_ANY_RUN))
        return MNV_ERR_FIELD_NUMBER;
    if (n == 0)
        return MNV_OK;
    char tmp[16];
    switch (f->kind) {
    case EMPLOYER_SYMBOL:
        return check_symbol(out);
    case EMPLOYER_POSTAL:
        if (person_normalize_postal(out, tmp) != MNV_OK)
            return MNV_ERR_FIELD_POSTAL;
        snprintf(out, EMPLOYER_VALUE_MAX + 1, "%s", tmp);
        return MNV_OK;
    case EMPLOYER_PREFECTURE:
        if (!prefecture_find(out))
            return MNV_ERR_FIELD_CHOICE;
        snprintf(out, EMPLOYER_VALUE_MAX + 1, "%s", prefecture_name(prefecture_find(out)));
        return MNV_OK;
    case EMPLOYER_KOYO_NO:
        return check_koyo_no(out);
    default:
        return MNV_OK;
    }
}

struct set_ctx {
    const struct employer_field *f;
    const char *value;
};

static enum mnv_err set_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    const struct set_ctx *x = ud;
    char meta[64];
    snprintf(meta, sizeof(meta), "employer.%s", x->f->key);
    change_detail(c, "key=%s", x->f->key);
    return vault_meta_set(session_vault(s), meta, x->value, diag);
}

enum mnv_err employer_set(struct session *s, const char *key, const char *value,
                          struct mnv_diag *diag)
{
    const struct employer_field *f = employer_field_find(key);
    if (!f) {
        mnv_diag_item(diag, "%s", key);
        return MNV_ERR_EMPLOYER_KEY;
    }
    enum mnv_err err = access_check(s, ACT_EMPLOYER_EDIT, "employer", diag);
    if (err != MNV_OK)
        return err;
    char stored[EMPLOYER_VALUE_MAX + 1];
    if ((err = check_value(f, value, stored)) != MNV_OK) {
        mnv_diag_item(diag, "%s", f->key);
        return err;
    }
    struct set_ctx x = {f, stored};
    return change_run(s, "employer.update", "employer", set_body, &x, diag);
}
