#include "mnvault/mynumber.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mnvault/numtext.h"
#include "mnvault/utf8.h"

size_t mynumber_digit_count(const char *text, size_t len)
{
    size_t count = 0, i = 0;
    while (text && i < len) {
        uint32_t cp;
        int n = utf8_decode(text + i, len - i, &cp);
        if (n < 0)
            break;
        if (numtext_digit(cp) >= 0)
            count++;
        i += (size_t)n;
    }
    return count;
}

static enum mnv_err parse_fail(struct mynumber *out, enum mnv_err err)
{
    mynumber_clear(out);
    return err;
}

enum mnv_err mynumber_parse(struct mynumber *out, enum mynumber_kind kind, const char *text,
                            size_t len, struct mnv_diag *diag)
{
    size_t want = (size_t)kind, ndigits = 0, i = 0;
    long pos = 0;

    memset(out, 0, sizeof(*out));
    out->kind = kind;
    while (text && i < len) {
        uint32_t cp;
        int n = utf8_decode(text + i, len - i, &cp);
        pos++;
        if (n < 0) {
            if (diag)
                diag->column = pos;
            return parse_fail(out, MNV_ERR_NUM_CHAR);
        }
        i += (size_t)n;
        int d = numtext_digit(cp);
        if (d >= 0) {
            /* Keep counting past the buffer so the length error can say how many. */
            if (ndigits < want)
                out->digits[ndigits] = (char)('0' + d);
            ndigits++;
        } else if (numtext_classify(cp) == NUMTEXT_OTHER) {
            if (diag) {
                diag->column = pos;
                if (cp >= 0x20 && cp != 0x7F) {
                    char enc[5] = {0};
                    if (utf8_encode(cp, enc) > 0)
                        mnv_diag_detail(diag, "%s", enc);
                }
            }
            return parse_fail(out, MNV_ERR_NUM_CHAR);
        }
    }
    if (ndigits == 0)
        return parse_fail(out, MNV_ERR_NUM_EMPTY);
    if (ndigits != want) {
        mnv_diag_detail(diag, "%zu", ndigits);
        if (kind == MYNUMBER_CORPORATE)
            return parse_fail(out, ndigits < want ? MNV_ERR_CORP_SHORT : MNV_ERR_CORP_LONG);
        return parse_fail(out, ndigits < want ? MNV_ERR_NUM_SHORT : MNV_ERR_NUM_LONG);
    }
    int ok = kind == MYNUMBER_CORPORATE ? numtext_valid_corporate(out->digits)
                                        : numtext_valid_individual(out->digits);
    if (!ok)
        return parse_fail(out, MNV_ERR_NUM_CHECK);
    out->len = (unsigned char)want;
    out->digits[want] = '\0';
    return MNV_OK;
}

char *mynumber_format_masked(char *buf, enum mynumber_kind kind, enum mynumber_mask mask,
                             const char *last4)
{
    const char *tail = "****";
    if (mask == MYNUMBER_MASK_LAST4 && last4 && strlen(last4) == 4 &&
        strspn(last4, "0123456789") == 4)
        tail = last4;
    if (kind == MYNUMBER_CORPORATE)
        snprintf(buf, MYNUMBER_FORMAT_SIZE, "* **** **** %s", tail);
    else
        snprintf(buf, MYNUMBER_FORMAT_SIZE, "**** **** %s", tail);
    return buf;
}

char *mynumber_format_grouped(char *buf, const struct mynumber *n)
{
    const char *d = n->digits;
    if (n->kind == MYNUMBER_CORPORATE && n->len == 13)
        snprintf(buf, MYNUMBER_FORMAT_SIZE, "%.1s %.4s %.4s %.4s", d, d + 1, d + 5, d + 9);
    else if (n->len == 12)
        snprintf(buf, MYNUMBER_FORMAT_SIZE, "%.4s %.4s %.4s", d, d + 4, d + 8);
    else
        buf[0] = '\0';
    return buf;
}

void mynumber_clear(struct mynumber *n)
{
    sodium_memzero(n, sizeof(*n));
}

int mynumber_mask_parse(const char *text, enum mynumber_mask *mask)
{
    if (strcmp(text, "none") == 0)
        *mask = MYNUMBER_MASK_NONE;
    else if (strcmp(text, "last4") == 0)
        *mask = MYNUMBER_MASK_LAST4;
    else
        return -1;
    return 0;
}
