/* employer.c: the employer's details for filings (employer.h). */
#include "mnvault/employer.h"

#include <stdio.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/change.h"
#include "mnvault/i18n.h"
#include "mnvault/numtext.h"
#include "mnvault/persondb.h"
#include "mnvault/session.h"
#include "mnvault/utf8.h"
#include "mnvault/vault.h"

static const struct employer_field fields[] = {
    {"kana", "payer.kana", N_("Name in katakana (フリガナ)"), 60, 0},
    {"phone", "payer.phone", N_("Telephone (電話番号)"), 15, 1},
    {"seiri1", "payer.seiri1", N_("Tax office reference 1 (整理番号1, 10 digits)"), 10, 1},
    {"seiri2", "payer.seiri2", N_("Tax office reference 2 (整理番号2, 13 digits)"), 13, 1},
    {"branch", "payer.branch", N_("Branch number (本支店等区分番号)"), 5, 1},
    {"representative", "payer.representative", N_("Representative (代表者の氏名)"), 30, 0},
    {"office_name", "payer.office_name", N_("Office that withholds tax (事業所の名称)"), 60, 0},
    {"office_address", "payer.office_address", N_("That office's address (所在地)"), 60, 0},
    {"contact", "payer.contact", N_("Contact person and section (連絡者)"), 60, 0},
    {"contact_phone", "payer.contact_phone", N_("Contact's telephone"), 15, 1},
    {"accountant", "payer.accountant", N_("Tax accountant (関与税理士等)"), 60, 0},
    {"business", "payer.business", N_("Line of business (事業種目)"), 30, 0},
    {"tax_office", "payer.tax_office", N_("Competent tax office (所轄税務署)"), 30, 0},
    {"pay_method", "payer.pay_method",
     N_("How and when salaries are paid (給与の支払方法及びその期日)"), 60, 0},
};

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

static enum mnv_err check_value(const struct employer_field *f, const char *value)
{
    size_t n = strlen(value), chars = 0;
    if (!utf8_valid(value, n))
        return MNV_ERR_FIELD_CHARS;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)value[i];
        if ((c & 0xC0) != 0x80)
            chars++;
        if (c < 0x20 || c == 0x7F)
            return MNV_ERR_FIELD_CHARS;
        if (f->code && !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                         (c >= 'a' && c <= 'z') || c == '-'))
            return MNV_ERR_FIELD_CHARS;
    }
    if (chars > f->max_chars)
        return MNV_ERR_FIELD_LONG;
    if (numtext_has_number(value, n, NUMTEXT_ANY_RUN))
        return MNV_ERR_FIELD_NUMBER;
    return MNV_OK;
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
    if ((err = check_value(f, value)) != MNV_OK) {
        mnv_diag_item(diag, "%s", f->key);
        return err;
    }
    struct set_ctx x = {f, value};
    return change_run(s, "employer.update", "employer", set_body, &x, diag);
}
