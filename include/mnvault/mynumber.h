/* mynumber.h (base layer): the individual number (個人番号, 12 digits) and the corporate
 * number (法人番号, 13 digits) as values: parsing what a person typed or a file holds, and the
 * masked forms used on screens, in lists and in reports.
 *
 * Accepted input: digits and separators as numtext.h classifies them (ASCII or full-width
 * digits; spaces, tabs, hyphens, dashes and long-vowel marks) and line breaks, anywhere
 * between the digits. Anything else is an error that names the position of the first
 * offending character. Check digits and finding numbers inside longer text: numtext.h.
 *
 * A parsed number lives in a fixed buffer inside struct mynumber; call mynumber_clear()
 * as soon as it is no longer needed, on every path.
 */
#ifndef MNVAULT_MYNUMBER_H
#define MNVAULT_MYNUMBER_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/numtext.h"

enum mynumber_kind {
    MYNUMBER_INDIVIDUAL = 12, /* 個人番号: 12 digits, check digit last */
    MYNUMBER_CORPORATE = 13,  /* 法人番号: 13 digits, check digit first */
};

/* How much of a number a masked form shows (config key display.mask). */
enum mynumber_mask {
    MYNUMBER_MASK_NONE = 0, /* no digit at all: "**** **** ****" (the default) */
    MYNUMBER_MASK_LAST4,    /* the last four digits: "**** **** 9018"; never more */
};

/* Longest masked or grouped form, with its NUL: "* **** **** ****" = 16 + 1. */
#define MYNUMBER_FORMAT_SIZE 20

struct mynumber {
    enum mynumber_kind kind;
    unsigned char len; /* number of digits held, 12 or 13 once parsed */
    char digits[14];   /* ASCII digits, NUL-terminated */
};

/*
 * mynumber_parse: normalise text[0..len) and check it as a number of the given kind.
 * On success fills *out (wipe it with mynumber_clear()) and returns MNV_OK. On failure
 * *out is wiped and the result says why:
 *   MNV_ERR_NUM_EMPTY   nothing but white space or separators;
 *   MNV_ERR_NUM_CHAR    a character that is neither a digit nor a separator, or invalid
 *                       UTF-8; diag->column is its 1-based character position;
 *   MNV_ERR_NUM_SHORT / MNV_ERR_NUM_LONG     (MNV_ERR_CORP_* for corporate numbers);
 *   MNV_ERR_NUM_CHECK   all digits present but the check digit does not match.
 * For the length errors diag->detail holds the digit count; diag may be NULL.
 * The text is read only; len may be 0.
 */
MNV_MUST_CHECK enum mnv_err mynumber_parse(struct mynumber *out, enum mynumber_kind kind,
                                           const char *text, size_t len, struct mnv_diag *diag)
    MNV_NONNULL(1);

/*
 * mynumber_digit_count: how many digits (ASCII or full-width) text holds, for showing
 * the shape of a rejected entry without its digits. Stops at invalid UTF-8.
 */
size_t mynumber_digit_count(const char *text, size_t len);

/*
 * mynumber_format_masked: the masked form of a number of this kind into buf (at least
 * MYNUMBER_FORMAT_SIZE bytes): "**** **** ****" or with MYNUMBER_MASK_LAST4
 * "**** **** 9018"; corporate "* **** **** ****" / "* **** **** 0123". last4 may be NULL
 * (or the mask NONE), then no digit is shown. Returns buf.
 */
char *mynumber_format_masked(char *buf, enum mynumber_kind kind, enum mynumber_mask mask,
                             const char *last4) MNV_NONNULL(1);

/*
 * mynumber_format_grouped: the whole number in its printed grouping, for a deliberate
 * reveal only: "1234 5678 9018", corporate "1 2345 6789 0123". buf is at least
 * MYNUMBER_FORMAT_SIZE bytes and holds a secret afterwards: wipe it after use.
 */
char *mynumber_format_grouped(char *buf, const struct mynumber *n) MNV_NONNULL(1, 2);

/* mynumber_clear: wipe the digits held in n. */
void mynumber_clear(struct mynumber *n) MNV_NONNULL(1);

/* mynumber_mask_parse: "none" or "last4" (config values) into *mask; -1 when unknown. */
MNV_MUST_CHECK int mynumber_mask_parse(const char *text, enum mynumber_mask *mask)
    MNV_NONNULL(1, 2);

#endif
