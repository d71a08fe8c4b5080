#include "mnvault/textfold.h"

#include <stdint.h>

#include "mnvault/utf8.h"

/* Half-width katakana U+FF66..U+FF9D as full-width code points (U+FF65 and U+FF9E/F are
 * handled apart: the middle dot is dropped, the marks join the previous letter). */
static const uint16_t halfwidth_kana[] = {
    0x30F2, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3, /* ｦ-ｯ */
    0x30FC, 0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF, 0x30B1, /* ｰ-ｹ */
    0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, 0x30C1, 0x30C4, 0x30C6, /* ｺ-ﾃ */
    0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8, /* ﾄ-ﾍ */
    0x30DB, 0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9, /* ﾎ-ﾗ */
    0x30EA, 0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3,                                 /* ﾘ-ﾝ */
};

/* The voiced form of a katakana letter, or 0 when it has none. */
static uint32_t voiced(uint32_t k)
{
    if (k == 0x30A6)
        return 0x30F4;                                           /* ウ → ヴ */
    if ((k >= 0x30AB && k <= 0x30C1 && (k - 0x30AB) % 2 == 0) || /* カ..チ */
        k == 0x30C4 || k == 0x30C6 || k == 0x30C8 ||             /* ツ テ ト */
        (k >= 0x30CF && k <= 0x30DB && (k - 0x30CF) % 3 == 0))   /* ハ ヒ フ ヘ ホ */
        return k + 1;
    if (k == 0x30EF || k == 0x30F0 || k == 0x30F1 || k == 0x30F2)
        return k + 8; /* ワ ヰ ヱ ヲ → ヷ ヸ ヹ ヺ */
    return 0;
}

/* The semi-voiced form (ハ → パ), or 0. */
static uint32_t semivoiced(uint32_t k)
{
    if (k >= 0x30CF && k <= 0x30DB && (k - 0x30CF) % 3 == 0)
        return k + 2;
    return 0;
}

uint32_t textfold_kana_full(uint32_t c)
{
    return (c >= 0xFF66 && c <= 0xFF9D) ? halfwidth_kana[c - 0xFF66] : 0;
}

uint32_t textfold_kana_mark(uint32_t k, uint32_t mark)
{
    if (mark == 0xFF9E || mark == 0x3099 || mark == 0x309B)
        return voiced(k);
    if (mark == 0xFF9F || mark == 0x309A || mark == 0x309C)
        return semivoiced(k);
    return 0;
}

/* Fold one code point; 0 means "drop it". */
static uint32_t fold_cp(uint32_t c)
{
    if (c == ' ' || c == '\t' || c == 0x3000 || c == 0x30FB || c == 0xFF65)
        return 0;
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xFF01 && c <= 0xFF5E) { /* full-width ASCII */
        c = c - 0xFF01 + 0x21;
        return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    }
    if (c >= 0x3041 && c <= 0x3096)
        return c + 0x60; /* hiragana → katakana */
    if (c == 0x309D || c == 0x309E)
        return c + 0x60; /* ゝゞ → ヽヾ */
    if (c >= 0xFF66 && c <= 0xFF9D)
        return halfwidth_kana[c - 0xFF66];
    return c;
}

struct out_buf {
    char *p;
    size_t size, used, need;
    int full;
};

/* UTF-8 of the common cases here (ASCII; three bytes: kana, kanji), the rest by utf8.c:
 * textfold runs over every name and reading when the employee list opens. */
static int decode(const char *s, size_t len, uint32_t *c)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x80) {
        *c = p[0];
        return 1;
    }
    if (len >= 3 && (p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        uint32_t v = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3Fu);
        if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
            *c = v;
            return 3;
        }
    }
    return utf8_decode(s, len, c);
}

static int encode(uint32_t c, char enc[4])
{
    if (c < 0x80) {
        enc[0] = (char)c;
        return 1;
    }
    if (c >= 0x800 && c < 0x10000 && (c < 0xD800 || c > 0xDFFF)) {
        enc[0] = (char)(0xE0 | (c >> 12));
        enc[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        enc[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    return utf8_encode(c, enc);
}

static void emit(struct out_buf *b, uint32_t c)
{
    char enc[4];
    int m = encode(c, enc);
    b->need += (size_t)m;
    if (b->full || b->used + (size_t)m >= b->size) {
        b->full = 1; /* keep the output a valid prefix: no partial characters */
        return;
    }
    for (int k = 0; k < m; k++)
        b->p[b->used++] = enc[k];
}

size_t textfold(const char *in, size_t len, char *out, size_t size)
{
    struct out_buf b = {out, size, 0, 0, 0};
    uint32_t pending = 0; /* the last letter, held back because a mark may follow */
    size_t i = 0;

    while (in && i < len) {
        uint32_t c;
        int n = decode(in + i, len - i, &c);
        if (n < 0) {
            i++; /* drop an invalid byte */
            continue;
        }
        i += (size_t)n;
        int voice = (c == 0xFF9E || c == 0x3099 || c == 0x309B);
        int semi = (c == 0xFF9F || c == 0x309A || c == 0x309C);
        if ((voice || semi) && pending) {
            uint32_t joined = voice ? voiced(pending) : semivoiced(pending);
            if (joined) {
                pending = joined;
                continue;
            }
        }
        c = fold_cp(c);
        if (c == 0)
            continue;
        if (pending)
            emit(&b, pending);
        pending = c;
    }
    if (pending)
        emit(&b, pending);
    if (size > 0)
        out[b.used] = '\0';
    return b.need;
}
