/*
 * scan/core.h: the scanner core's state and its character classes, shared by scan.c (the
 * state machine) and hint.c (positions, keyword hints, and what a number's neighbours say)
 * (private to src/service/scan/). What a digit and a separator are comes from numtext.h,
 * the one definition the parser and the reveal check use too; the inline functions here
 * only decode the encodings fast.
 */
#ifndef MNVAULT_SCAN_CORE_H
#define MNVAULT_SCAN_CORE_H

#include <stdint.h>
#include <string.h>

#include "mnvault/numtext.h"
#include "mnvault/utf8.h"
#include "priv.h"

enum ch_class { CH_OTHER = 0, CH_DIGIT, CH_SEP };

/* One classified character. */
struct ch {
    unsigned char cls;   /* enum ch_class */
    unsigned char digit; /* 0-9 for CH_DIGIT */
    unsigned char wide;  /* 1 for a full-width digit */
    unsigned char len;   /* bytes it takes */
    uint32_t cp;         /* the separator's code point, for CH_SEP */
};

/* A group of digits inside a token. */
/* The groups of digits of a token: struct numtext_group (numtext.h). */
#define SCAN_GROUPS 4

struct scanner {
    const uint8_t *b;
    size_t len, base; /* base: first byte after a byte-order mark / the pass's alignment */
    size_t start;     /* where numbers may begin (>= base; before it: context only) */
    long line0, col0; /* line of start, characters before start on that line */
    enum scan_encoding enc;
    unsigned want; /* 12 or 13 digits */
    enum mynumber_kind kind;
    unsigned flags;
    scan_finding_fn fn;
    void *ud;
    size_t found;
    int stop;
    /* lazy position: lines counted up to ln_pos; columns counted up to col_pos */
    size_t ln_pos, ln_start, col_pos;
    long ln_no, col_no;
    /* the last groups of the token being read, oldest first */
    struct numtext_group g[SCAN_GROUPS];
    int ng;
};

/* ---- characters ---------------------------------------------------------------------- */

/* ASCII: the digits and the separators of numtext.h (space, tab, hyphen-minus), inline for
 * speed; a unit test checks them against numtext_classify(). */
static inline void ch_ascii(unsigned x, struct ch *c)
{
    c->len = 1;
    if (x - '0' < 10u) {
        c->cls = CH_DIGIT;
        c->digit = (unsigned char)(x - '0');
        c->wide = 0;
    } else if (x == ' ' || x == '-' || x == '\t') {
        c->cls = CH_SEP;
        c->cp = x;
    } else {
        c->cls = CH_OTHER;
    }
}

/* Any code point, by numtext's classes (line breaks are other characters here). */
static inline void ch_unicode(uint32_t cp, unsigned len, struct ch *c)
{
    c->len = (unsigned char)len;
    if (cp < 0x80) {
        ch_ascii(cp, c);
        c->len = (unsigned char)len;
        return;
    }
    /* Outside these ranges numtext has neither digits nor separators (a unit test compares
     * every code point): most kanji and kana never reach the function call. */
    if (cp < 0x2010 || (cp > 0x2212 && cp < 0x3000) || (cp > 0x30FC && cp < 0xFF0D) ||
        cp > 0xFF70) {
        c->cls = CH_OTHER;
        return;
    }
    switch (numtext_classify(cp)) {
    case NUMTEXT_DIGIT:
        c->cls = CH_DIGIT;
        c->digit = (unsigned char)numtext_digit(cp);
        c->wide = 1;
        break;
    case NUMTEXT_SEPARATOR:
        c->cls = CH_SEP;
        c->cp = cp;
        break;
    default:
        c->cls = CH_OTHER;
        break;
    }
}

/* UTF-8, lenient: every character the scanner cares about is ASCII or three bytes long. */
static inline void cls_utf8(const uint8_t *b, size_t len, size_t pos, struct ch *c)
{
    unsigned x = b[pos];
    if (x < 0x80) {
        ch_ascii(x, c);
        return;
    }
    c->cls = CH_OTHER;
    c->len = 1;
    if (x < 0xE2 || x > 0xEF || len - pos < 3)
        return;
    unsigned y = b[pos + 1], z = b[pos + 2];
    if ((y & 0xC0) != 0x80 || (z & 0xC0) != 0x80)
        return;
    ch_unicode(((uint32_t)(x & 0x0F) << 12) | ((y & 0x3Fu) << 6) | (z & 0x3Fu), 3, c);
}

static inline int cp932_lead(unsigned x)
{
    return (x >= 0x81 && x <= 0x9F) || (x >= 0xE0 && x <= 0xFC);
}

static inline int cp932_trail(unsigned y)
{
    return (y >= 0x40 && y <= 0x7E) || (y >= 0x80 && y <= 0xFC);
}

/*
 * cp932_cp: the code point of a CP932 character, for the characters the scanner and the
 * keyword hints need (ASCII, half-width katakana, full-width digits, letters, kana, the
 * separators, 個人番号); U+FFFD for every other double-byte character. Returns its length.
 */
static inline unsigned cp932_cp(const uint8_t *b, size_t len, size_t pos, uint32_t *cp)
{
    unsigned x = b[pos];
    if (x < 0x80) {
        *cp = x;
        return 1;
    }
    if (x >= 0xA1 && x <= 0xDF) {
        *cp = 0xFF61 + (x - 0xA1);
        return 1;
    }
    if (!cp932_lead(x) || len - pos < 2 || !cp932_trail(b[pos + 1])) {
        *cp = 0xFFFD;
        return 1;
    }
    unsigned code = (x << 8) | b[pos + 1];
    static const struct {
        uint16_t code;
        uint16_t cp;
    } singles[] = {
        {0x8140, 0x3000}, {0x815B, 0x30FC}, {0x815C, 0x2015}, {0x815D, 0x2010}, {0x817C, 0xFF0D},
        {0x8CC2, 0x500B}, {0x906C, 0x4EBA}, {0x94D4, 0x756A}, {0x8D86, 0x53F7},
    };
    if (code >= 0x824F && code <= 0x8258)
        *cp = 0xFF10 + (code - 0x824F);
    else if (code >= 0x8260 && code <= 0x8279)
        *cp = 0xFF21 + (code - 0x8260);
    else if (code >= 0x8281 && code <= 0x829A)
        *cp = 0xFF41 + (code - 0x8281);
    else if (code >= 0x829F && code <= 0x82F1)
        *cp = 0x3041 + (code - 0x829F);
    else if (code >= 0x8340 && code <= 0x837E)
        *cp = 0x30A1 + (code - 0x8340);
    else if (code >= 0x8380 && code <= 0x8396)
        *cp = 0x30E0 + (code - 0x8380);
    else {
        *cp = 0xFFFD;
        for (size_t i = 0; i < MNV_ARRAY_LEN(singles); i++)
            if (singles[i].code == code)
                *cp = singles[i].cp;
    }
    return 2;
}

static inline void cls_cp932(const uint8_t *b, size_t len, size_t pos, struct ch *c)
{
    unsigned x = b[pos];
    if (x < 0x80) {
        ch_ascii(x, c);
        return;
    }
    uint32_t cp;
    unsigned n = cp932_cp(b, len, pos, &cp);
    ch_unicode(cp, n, c);
}

static inline uint32_t u16_at(const uint8_t *b, size_t pos, int be)
{
    return be ? ((uint32_t)b[pos] << 8 | b[pos + 1]) : ((uint32_t)b[pos + 1] << 8 | b[pos]);
}

static inline void cls_utf16(const uint8_t *b, size_t len, size_t pos, int be, struct ch *c)
{
    if (len - pos < 2) {
        c->cls = CH_OTHER;
        c->len = 1;
        return;
    }
    ch_unicode(u16_at(b, pos, be), 2, c);
}

static inline void classify(const struct scanner *s, size_t pos, struct ch *c)
{
    switch (s->enc) {
    case SCAN_ENC_CP932:
        cls_cp932(s->b, s->len, pos, c);
        break;
    case SCAN_ENC_UTF16LE:
        cls_utf16(s->b, s->len, pos, 0, c);
        break;
    case SCAN_ENC_UTF16BE:
        cls_utf16(s->b, s->len, pos, 1, c);
        break;
    default:
        cls_utf8(s->b, s->len, pos, c);
        break;
    }
}

/* decode_cp: any character as a code point (U+FFFD for what cannot be decoded); its length. */
static inline unsigned decode_cp(const struct scanner *s, size_t pos, uint32_t *cp)
{
    switch (s->enc) {
    case SCAN_ENC_CP932:
        return cp932_cp(s->b, s->len, pos, cp);
    case SCAN_ENC_UTF16LE:
    case SCAN_ENC_UTF16BE:
        if (s->len - pos < 2) {
            *cp = 0xFFFD;
            return 1;
        }
        *cp = u16_at(s->b, pos, s->enc == SCAN_ENC_UTF16BE);
        return 2;
    default: {
        int n = utf8_decode((const char *)s->b + pos, s->len - pos, cp);
        if (n > 0)
            return (unsigned)n;
        *cp = 0xFFFD;
        return 1;
    }
    }
}

/* hint.c: positions, keyword hints, and numbers that stand where no number is. */
int scan_is_u16(enum scan_encoding enc);
void scan_locate(struct scanner *s, size_t off, long *line, long *col);
const char *scan_keyword_near(const struct scanner *s, size_t start, size_t end);
int scan_not_a_number(const struct scanner *s, size_t start, size_t end, int plain);

#endif
