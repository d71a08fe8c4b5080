/* employer.h (service layer): the employer's details that filings print as the payer (提出義務者 /
 * 給与支払者) beyond the organisation's name, address and corporate number (setup.h):
 * telephone, the tax office's 整理番号, the representative, the contact person …. Stored in the
 * vault (meta keys "employer.<key>"), each change audited
 * ("employer.update" with the key, never the value). They hold no personal number.
 */
#ifndef MNVAULT_EMPLOYER_H
#define MNVAULT_EMPLOYER_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

struct session;

#define EMPLOYER_VALUE_MAX 300 /* bytes */

/* What a detail holds. */
enum employer_kind {
    EMPLOYER_TEXT = 0, /* text */
    EMPLOYER_CODE,     /* digits, letters and '-' */
    EMPLOYER_DIGITS,   /* digits only */
    EMPLOYER_SYMBOL,   /* 事業所整理記号: 2 digits, '-', 1-4 katakana or letters and digits;
                        * stored as "01-ｱｲｳ" (half-width katakana) */
    EMPLOYER_POSTAL,   /* a postal code, stored "123-4567" */
    EMPLOYER_PREFECTURE, /* a prefecture's name, stored in full ("東京都") */
    EMPLOYER_KOYO_NO, /* 雇用保険適用事業所番号, 4-6-1 digits, stored "1301-123456-7" */
};

/* One detail: its key, the form item it fills, its label (msgid) and its form. */
struct employer_field {
    const char *key;   /* "phone" */
    const char *item;  /* "payer.phone" (form.h) */
    const char *label; /* msgid: "Telephone (電話番号)" */
    size_t max_chars;  /* at most this many characters */
    enum employer_kind kind;
};

/* employer_field_at: the i-th detail; NULL past the last. */
const struct employer_field *employer_field_at(size_t i);

/* employer_field_find: the detail with this key (or item), or NULL. */
const struct employer_field *employer_field_find(const char *key) MNV_NONNULL(1);

/*
 * employer_get: the value of key into out ("" when never set) (any ready session; the
 * details are the organisation's, not a person's). Returns MNV_OK, MNV_ERR_EMPLOYER_KEY,
 * MNV_ERR_TOO_LONG or a database error.
 */
MNV_MUST_CHECK enum mnv_err employer_get(struct session *s, const char *key, char *out, size_t size)
    MNV_NONNULL(1, 2, 3);

/*
 * employer_set: set key to value ("" clears it) (role: employer.edit). Checked: at most
 * max_chars, no control character, no My Number; codes only digits, letters and '-'; the
 * insurance office's symbol, postal code, prefecture and 雇用保険 number in their forms,
 * normalised (full-width digits and katakana accepted).
 * Audited "employer.update" (detail key=…). Returns MNV_OK, MNV_ERR_EMPLOYER_KEY,
 * MNV_ERR_FIELD_LONG, FIELD_CHARS, FIELD_NUMBER, DENIED or a database error.
 */
MNV_MUST_CHECK enum mnv_err employer_set(struct session *s, const char *key, const char *value,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

#endif
