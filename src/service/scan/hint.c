/*
 * scan/hint.c: what the text around a number says (part of the scan module, see scan.h):
 * its line and column (counted lazily, only for findings), a keyword nearby (個人番号,
 * マイナンバー, My Number: a confidence hint), and the neighbours that show a run of digits
 * to be something else (see scan_not_a_number).
 */
#include "core.h"

/* ---- positions ----------------------------------------------------------------------- */

int scan_is_u16(enum scan_encoding enc)
{
    return enc == SCAN_ENC_UTF16LE || enc == SCAN_ENC_UTF16BE;
}

/* Characters in [from, to), both on character boundaries of the same line. */
static long count_chars(const struct scanner *s, size_t from, size_t to)
{
    long n = 0;
    if (scan_is_u16(s->enc)) {
        for (size_t i = from; i + 2 <= to; i += 2) {
            uint32_t u = u16_at(s->b, i, s->enc == SCAN_ENC_UTF16BE);
            n += !(u >= 0xDC00 && u <= 0xDFFF); /* a low surrogate ends a pair already counted */
        }
    } else if (s->enc == SCAN_ENC_CP932) {
        for (size_t i = from; i < to;) {
            uint32_t cp;
            i += cp932_cp(s->b, s->len, i, &cp);
            n++;
        }
    } else {
        for (size_t i = from; i < to; i++)
            n += (s->b[i] & 0xC0) != 0x80;
    }
    return n;
}

/* Newlines in [from, to) and where the last line starts (unchanged when none). */
static size_t count_lines(const struct scanner *s, size_t from, size_t to, size_t *line_start)
{
    size_t n = 0;
    if (scan_is_u16(s->enc)) {
        int be = s->enc == SCAN_ENC_UTF16BE;
        for (size_t i = from; i + 1 < s->len && i < to; i += 2) {
            if (u16_at(s->b, i, be) == '\n') {
                n++;
                *line_start = i + 2;
            }
        }
        return n;
    }
    n = scan_count_newlines(s->b, from, to);
    if (n) {
        const uint8_t *p = memrchr(s->b + from, '\n', to - from);
        *line_start = (size_t)(p - s->b) + 1;
    }
    return n;
}

/* scan_locate: line and column of byte offset off (offsets arrive in increasing order). */
void scan_locate(struct scanner *s, size_t off, long *line, long *col)
{
    if (off < s->ln_pos) { /* out of order: start over (not expected) */
        s->ln_pos = s->ln_start = s->col_pos = s->start;
        s->ln_no = s->line0;
        s->col_no = s->col0;
    }
    size_t nl = count_lines(s, s->ln_pos, off, &s->ln_start);
    s->ln_no += (long)nl;
    s->ln_pos = off;
    if (nl || s->col_pos < s->ln_start) {
        s->col_pos = s->ln_start;
        s->col_no = 0;
    }
    s->col_no += count_chars(s, s->col_pos, off);
    s->col_pos = off;
    *line = s->ln_no;
    *col = s->col_no + 1;
}

/* ---- keyword hints ------------------------------------------------------------------- */

#define CTX_BEFORE_BYTES 192
#define CTX_AFTER_BYTES 96
#define CTX_MAX_CPS (CTX_BEFORE_BYTES + CTX_AFTER_BYTES + 2)

struct keyword {
    const char *label;
    uint32_t cps[9];
    unsigned n;
};

/* Matched after folding full-width ASCII to ASCII and upper case to lower case. */
static const struct keyword keywords[] = {
    {"個人番号", {0x500B, 0x4EBA, 0x756A, 0x53F7}, 4},
    {"マイナンバー", {0x30DE, 0x30A4, 0x30CA, 0x30F3, 0x30D0, 0x30FC}, 6},
    {"マイナンバー", {0xFF8F, 0xFF72, 0xFF85, 0xFF9D, 0xFF8A, 0xFF9E, 0xFF70}, 7},
    {"My Number", {'m', 'y', 'n', 'u', 'm', 'b', 'e', 'r'}, 8},
    {"My Number", {'m', 'y', ' ', 'n', 'u', 'm', 'b', 'e', 'r'}, 9},
    {"My Number", {'m', 'y', '_', 'n', 'u', 'm', 'b', 'e', 'r'}, 9},
    {"My Number", {'m', 'y', '-', 'n', 'u', 'm', 'b', 'e', 'r'}, 9},
};

static uint32_t fold_cp(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        cp -= 0xFEE0;
    else if (cp == 0x3000)
        cp = ' ';
    if (cp >= 'A' && cp <= 'Z')
        cp += 'a' - 'A';
    return cp;
}

/* Decode [from, to) into cps (folded); returns the new count. */
static size_t ctx_decode(const struct scanner *s, size_t from, size_t to, uint32_t *cps, size_t n,
                         size_t max)
{
    while (from < to && n < max) {
        uint32_t cp;
        from += decode_cp(s, from, &cp);
        cps[n++] = fold_cp(cp);
    }
    return n;
}

/* scan_keyword_near: a keyword near [start, end) (within 192 bytes before and 96 after, and the
 * lines described below), or NULL. */
/* A place about back bytes before start, on a character boundary. */
static size_t window_start(const struct scanner *s, size_t start, size_t back)
{
    size_t from = start - s->base > back ? start - back : s->base;
    if (scan_is_u16(s->enc)) {
        from += (from - s->base) & 1;
    } else if (s->enc == SCAN_ENC_CP932) {
        /* A byte that cannot lead a double-byte character ends one (or is one): step back
         * to such a byte, then forward again by whole characters. */
        size_t lim = from - s->base > 4096 ? from - 4096 : s->base;
        while (from > lim && cp932_lead(s->b[from - 1]))
            from--;
        while (start - from > back) {
            uint32_t cp;
            from += cp932_cp(s->b, s->len, from, &cp);
        }
    } else {
        while (from < start && (s->b[from] & 0xC0) == 0x80)
            from++;
    }
    return from;
}

/* UTF-8: can b[from, to) hold the first character of a keyword? Each starts with one of
 * 個 マ ﾏ m M ｍ Ｍ (full-width letters and case are folded before matching), so a window
 * without any of them has none, and most findings need no decoding at all. */
static int keyword_lead_at(const uint8_t *b, size_t i, size_t to)
{
    unsigned x = b[i];
    if ((x | 0x20) == 'm')
        return 1;
    if (x < 0xE3 || to - i < 3)
        return 0;
    unsigned y = b[i + 1], z = b[i + 2];
    return (x == 0xE5 && y == 0x80 && z == 0x8B) || (x == 0xE3 && y == 0x83 && z == 0x9E) ||
           (x == 0xEF &&
            ((y == 0xBE && z == 0x8F) || (y == 0xBD && z == 0x8D) || (y == 0xBC && z == 0xAD)));
}

static int keyword_lead_in(const uint8_t *b, size_t from, size_t to)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
#define HAS_ZERO(v) (((v)-ones) & ~(v)&highs)
    /* Eight bytes at a time; only a word with an 'm', 'M' or a lead byte E3, E5 or EF is
     * looked at byte by byte. */
    for (; to - from >= 8; from += 8) {
        uint64_t w;
        memcpy(&w, b + from, 8);
        uint64_t m = (w | ones * 0x20) ^ (ones * 'm');
        if (!(HAS_ZERO(m) | HAS_ZERO(w ^ (ones * 0xE3)) | HAS_ZERO(w ^ (ones * 0xE5)) |
              HAS_ZERO(w ^ (ones * 0xEF))))
            continue;
        for (size_t i = from; i < from + 8; i++)
            if (keyword_lead_at(b, i, to))
                return 1;
    }
#undef HAS_ZERO
    for (; from < to; from++)
        if (keyword_lead_at(b, from, to))
            return 1;
    return 0;
}

const char *scan_keyword_near(const struct scanner *s, size_t start, size_t end)
{
    uint32_t cps[CTX_MAX_CPS];
    size_t from = window_start(s, start, CTX_BEFORE_BYTES);
    size_t to = s->len - end > CTX_AFTER_BYTES ? end + CTX_AFTER_BYTES : s->len;
    if (s->enc == SCAN_ENC_UTF8 || s->enc == SCAN_ENC_BINARY) {
        /* Only the number's line, the line above and the rest of the line after it count. */
        size_t lo = from;
        const uint8_t *nl = memrchr(s->b + from, '\n', start - from);
        if (nl && nl > s->b + from) {
            const uint8_t *above = memrchr(s->b + from, '\n', (size_t)(nl - s->b) - from);
            lo = above ? (size_t)(above - s->b) + 1 : from;
        }
        const uint8_t *eol = memchr(s->b + end, '\n', to - end);
        size_t hi = eol ? (size_t)(eol - s->b) : to;
        if (!keyword_lead_in(s->b, lo, start) && !keyword_lead_in(s->b, end, hi))
            return NULL;
    }
    size_t n = ctx_decode(s, from, start, cps, 0, CTX_MAX_CPS);
    /* Before the number: its own line and the line above ("個人番号:" on a line of its
     * own, or a column heading just above); after it: the rest of its line. */
    size_t first = 0, lines = 0;
    for (size_t i = n; i > 0; i--)
        if (cps[i - 1] == '\n' && ++lines == 2) {
            first = i;
            break;
        }
    if (n < CTX_MAX_CPS)
        cps[n++] = 0; /* the number itself: no keyword spans it */
    size_t mid = n;
    n = ctx_decode(s, end, to, cps, n, CTX_MAX_CPS);
    for (size_t i = mid; i < n; i++)
        if (cps[i] == '\n') {
            n = i;
            break;
        }

    for (size_t k = 0; k < MNV_ARRAY_LEN(keywords); k++) {
        const struct keyword *kw = &keywords[k];
        for (size_t i = first; i + kw->n <= n; i++) {
            if (cps[i] != kw->cps[0])
                continue;
            size_t j = 1;
            while (j < kw->n && cps[i + j] == kw->cps[j])
                j++;
            if (j == kw->n)
                return kw->label;
        }
    }
    return NULL;
}

/* ---- numbers that are something else ------------------------------------------------- */

#define WORD_BYTES 96 /* how far around a number its neighbours are looked at */

static int is_hex(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int is_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z');
}

/* "…-xxxx-xxxx-xxxx-" before the last group of a UUID (8-4-4-4-12 hex digits). */
static int uuid_before(const uint32_t *b, size_t n)
{
    static const int shape[] = {4, 4, 4, 8};
    size_t i = n;
    for (size_t k = 0; k < 4; k++) {
        if (i == 0 || b[--i] != '-')
            return 0;
        for (int j = 0; j < shape[k]; j++)
            if (i == 0 || !is_hex(b[--i]))
                return 0;
    }
    return 1;
}

/*
 * scan_not_a_number: the digits at [start, end) have a right check digit but stand where no
 * number is (the false alarms of real files): after "+" (a phone number in E.164,
 * "+819012345678"), after a digit and a decimal point (the tail of "0.123456789018"), the
 * last group of a UUID, and, written plainly, inside a hex identifier of 16 or more
 * characters ("3fa9…cd02") or inside a run of 20 or more letters and digits with letters
 * on both sides (base64, keys). Letters, kana and kanji touching a number otherwise do not
 * matter ("番号123456789018です", "ID621498320257"). Full-width forms count as ASCII here.
 */
/* UTF-8: can the character that ends before q (before: 1) or starts at q (0) matter to the
 * rules below? ASCII letters, digits and the signs they look at, and full-width ASCII. */
static int may_matter(const uint8_t *b, size_t base, size_t len, size_t q, int before)
{
    if (before ? q <= base : q >= len)
        return 0;
    unsigned x = before ? b[q - 1] : b[q];
    if (x < 0x80)
        return (x >= '0' && x <= '9') || ((x | 0x20) >= 'a' && (x | 0x20) <= 'z') || x == '+' ||
               x == '.' || x == '-' || x == '/' || x == '=';
    if (before)
        return q - base >= 3 && b[q - 3] == 0xEF && (b[q - 2] == 0xBC || b[q - 2] == 0xBD);
    return len - q >= 3 && x == 0xEF && (b[q + 1] == 0xBC || b[q + 1] == 0xBD);
}

int scan_not_a_number(const struct scanner *s, size_t start, size_t end, int plain)
{
    if ((s->enc == SCAN_ENC_UTF8 || s->enc == SCAN_ENC_BINARY) &&
        !may_matter(s->b, s->base, s->len, start, 1) && !may_matter(s->b, s->base, s->len, end, 0))
        return 0; /* the common case: kanji, kana, spaces or punctuation around it */
    uint32_t b[WORD_BYTES + 2], a[WORD_BYTES + 2];
    size_t nb = ctx_decode(s, window_start(s, start, WORD_BYTES), start, b, 0, WORD_BYTES);
    size_t to = s->len - end > WORD_BYTES ? end + WORD_BYTES : s->len;
    size_t na = ctx_decode(s, end, to, a, 0, WORD_BYTES);
    uint32_t p1 = nb ? b[nb - 1] : 0, p2 = nb > 1 ? b[nb - 2] : 0;
    if (p1 == '+')
        return 1;
    if (p1 == '.' && p2 >= '0' && p2 <= '9')
        return 1;
    if (!plain)
        return 0;
    if (uuid_before(b, nb))
        return 1;
    size_t l = 0, r = 0;
    int hex = 1, letter_l = 0, letter_r = 0, b64 = 0;
    while (l < nb && (is_alnum(b[nb - 1 - l]) || b[nb - 1 - l] == '+' || b[nb - 1 - l] == '/')) {
        uint32_t ch = b[nb - 1 - l++];
        hex &= is_hex(ch);
        letter_l |= ch >= 'a' && ch <= 'z';
        b64 |= ch == '+' || ch == '/';
    }
    while (r < na && (is_alnum(a[r]) || a[r] == '+' || a[r] == '/' || a[r] == '=')) {
        uint32_t ch = a[r++];
        hex &= is_hex(ch);
        letter_r |= ch >= 'a' && ch <= 'z';
        b64 |= ch == '+' || ch == '/' || ch == '=';
    }
    size_t word = l + 12 + r;
    if ((l || r) && hex && word >= 16)
        return 1;
    return word >= 20 && ((letter_l && letter_r) || (b64 && (letter_l || letter_r)));
}
