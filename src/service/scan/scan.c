/*
 * scan/scan.c: the scanner core: one pass over a byte buffer, a fast path that jumps to the next
 * byte that can start a digit, and one state machine on characters that decides whether
 * the digits there form a My Number (see scan.h for the rules).
 *
 * The state machine reads a "token": digit groups joined by single separators, as long as
 * it goes ("2024-01-15 123456789018" is one token of four groups). A group of exactly 12
 * digits is a plain number; three groups of exactly four are a grouped one unless the
 * same separator continues the run on either side. Because a token is always read to its
 * end, the next candidate the fast path finds is never preceded by a digit, so the left
 * boundary needs no look-back.
 *
 * Line and column are computed lazily, only for findings, by counting from the previous
 * finding (SIMD newline count), so a file without numbers costs no line bookkeeping.
 */
#include "mnvault/scan.h"

#include <stdint.h>
#include <string.h>

#include "mnvault/secmem.h"
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
struct group {
    size_t start, end;  /* bytes of the first digit .. after the last */
    uint32_t sep;       /* separator before the group; 0 when the token starts here */
    unsigned n;         /* digits, counting stops at 14 */
    unsigned char form; /* SCAN_FORM_ASCII | SCAN_FORM_FULLWIDTH */
    char d[13];         /* the first 13 digits, ASCII */
};

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
    struct group g[SCAN_GROUPS];
    int ng;
};

/* ---- characters ---------------------------------------------------------------------- */

/* Separators allowed between digit groups (besides ASCII space and hyphen). */
static inline int sep_cp(uint32_t cp)
{
    switch (cp) {
    case ' ':
    case '-':
    case 0x3000: /* ideographic space */
    case 0xFF0D: /* full-width hyphen-minus */
    case 0x2010: /* hyphen */
    case 0x2011: /* non-breaking hyphen */
    case 0x2012: /* figure dash */
    case 0x2013: /* en dash */
    case 0x2212: /* minus sign */
    case 0x30FC: /* prolonged sound mark, typed for a dash */
    case 0xFF70: /* half-width prolonged sound mark */
        return 1;
    default:
        return 0;
    }
}

static inline void ch_ascii(unsigned x, struct ch *c)
{
    c->len = 1;
    if (x - '0' < 10u) {
        c->cls = CH_DIGIT;
        c->digit = (unsigned char)(x - '0');
        c->wide = 0;
    } else if (x == ' ' || x == '-') {
        c->cls = CH_SEP;
        c->cp = x;
    } else {
        c->cls = CH_OTHER;
    }
}

static inline void ch_unicode(uint32_t cp, unsigned len, struct ch *c)
{
    c->len = (unsigned char)len;
    if (cp - 0xFF10u < 10u) {
        c->cls = CH_DIGIT;
        c->digit = (unsigned char)(cp - 0xFF10u);
        c->wide = 1;
    } else if (cp < 0x80) {
        ch_ascii(cp, c);
        c->len = (unsigned char)len;
    } else if (sep_cp(cp)) {
        c->cls = CH_SEP;
        c->cp = cp;
    } else {
        c->cls = CH_OTHER;
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
static unsigned cp932_cp(const uint8_t *b, size_t len, size_t pos, uint32_t *cp)
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
        {0x8140, 0x3000}, {0x815B, 0x30FC}, {0x815D, 0x2010}, {0x817C, 0xFF0D},
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
static unsigned decode_cp(const struct scanner *s, size_t pos, uint32_t *cp)
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

/* ---- positions ----------------------------------------------------------------------- */

static int is_u16(enum scan_encoding enc)
{
    return enc == SCAN_ENC_UTF16LE || enc == SCAN_ENC_UTF16BE;
}

/* Characters in [from, to), both on character boundaries of the same line. */
static long count_chars(const struct scanner *s, size_t from, size_t to)
{
    long n = 0;
    if (is_u16(s->enc)) {
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
    if (is_u16(s->enc)) {
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

/* locate: line and column of byte offset off (offsets arrive in increasing order). */
static void locate(struct scanner *s, size_t off, long *line, long *col)
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

/* context: a keyword near [start, end) (within 192 bytes before and 96 after, and the
 * lines described below), or NULL. */
static const char *context(const struct scanner *s, size_t start, size_t end)
{
    uint32_t cps[CTX_MAX_CPS];
    size_t from = start - s->base > CTX_BEFORE_BYTES ? start - CTX_BEFORE_BYTES : s->base;
    size_t to = s->len - end > CTX_AFTER_BYTES ? end + CTX_AFTER_BYTES : s->len;

    /* Start on a character boundary. */
    if (is_u16(s->enc)) {
        from += (from - s->base) & 1;
    } else if (s->enc == SCAN_ENC_CP932) {
        /* A byte that cannot lead a double-byte character ends one (or is one): step back
         * to such a byte, then forward again by whole characters. */
        size_t lim = from - s->base > 4096 ? from - 4096 : s->base;
        while (from > lim && cp932_lead(s->b[from - 1]))
            from--;
        while (start - from > CTX_BEFORE_BYTES) {
            uint32_t cp;
            from += cp932_cp(s->b, s->len, from, &cp);
        }
    } else {
        while (from < start && (s->b[from] & 0xC0) == 0x80)
            from++;
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

/* ---- the state machine --------------------------------------------------------------- */

static void emit(struct scanner *s, const struct group *first, const struct group *last,
                 const char *digits, unsigned form)
{
    struct scan_finding f;
    memset(&f, 0, sizeof(f));
    f.kind = s->kind;
    f.offset = first->start;
    f.length = last->end - first->start;
    f.encoding = s->enc;
    f.form = form;
    memcpy(f.last4, digits + s->want - 4, 4);
    if (!(s->flags & SCAN_NO_POSITION))
        locate(s, f.offset, &f.line, &f.column);
    if (!(s->flags & SCAN_NO_CONTEXT))
        f.keyword = context(s, first->start, last->end);
    s->found++;
    if (s->fn(s->ud, &f))
        s->stop = 1;
    secmem_wipe(f.last4, sizeof(f.last4));
}

static int valid_digits(const struct scanner *s, const char *d)
{
    return s->want == 12 ? numtext_valid_individual(d) : numtext_valid_corporate(d);
}

/* A group that is a whole number by itself. */
static void check_plain(struct scanner *s, const struct group *g)
{
    if (valid_digits(s, g->d))
        emit(s, g, g, g->d, g->form);
}

/*
 * check_grouped: are the last groups 4-4-4 (corporate 1-4-4-4), with neither the separator
 * before the first nor right (the one after the last, 0 for none) continuing the run?
 */
static void check_grouped(struct scanner *s, uint32_t right)
{
    int k = s->want == 12 ? 3 : 4;
    if (s->ng < k)
        return;
    const struct group *g = &s->g[s->ng - k];
    for (int i = 0; i < k; i++) {
        unsigned n = (s->want == 13 && i == 0) ? 1 : 4;
        if (g[i].n != n)
            return;
    }
    if (g[0].sep && g[0].sep == g[1].sep)
        return; /* "…1234 1234 5678 9018": the same separator goes on to the left */
    if (right && right == g[k - 1].sep)
        return; /* "1234 5678 9018 1234…" */
    char d[13];
    unsigned form = SCAN_FORM_GROUPED, o = 0;
    for (int i = 0; i < k; i++) {
        memcpy(d + o, g[i].d, g[i].n);
        o += g[i].n;
        form |= g[i].form;
    }
    if (valid_digits(s, d))
        emit(s, &g[0], &g[k - 1], d, form);
    secmem_wipe(d, sizeof(d));
}

static struct group *push_group(struct scanner *s)
{
    if (s->ng == SCAN_GROUPS) {
        memmove(&s->g[0], &s->g[1], sizeof(s->g[0]) * (SCAN_GROUPS - 1));
        s->ng--;
    }
    return &s->g[s->ng++];
}

/* scan_token: read the token whose first digit is at pos; returns the byte after its end. */
static size_t scan_token(struct scanner *s, size_t pos)
{
    uint32_t sep = 0;
    s->ng = 0;
    for (;;) {
        struct group *g = push_group(s);
        struct ch c;
        g->start = pos;
        g->sep = sep;
        g->n = 0;
        g->form = 0;
        c.cls = CH_OTHER;
        c.len = 1;
        while (pos < s->len) {
            classify(s, pos, &c);
            if (c.cls != CH_DIGIT)
                break;
            if (g->n < 13)
                g->d[g->n] = (char)('0' + c.digit);
            if (g->n < 14)
                g->n++;
            g->form |= c.wide ? SCAN_FORM_FULLWIDTH : SCAN_FORM_ASCII;
            pos += c.len;
            c.cls = CH_OTHER;
        }
        g->end = pos;
        if (g->n == s->want)
            check_plain(s, g);
        if (s->stop)
            return pos;
        if (c.cls == CH_SEP && pos + c.len < s->len) {
            struct ch next;
            classify(s, pos + c.len, &next);
            if (next.cls == CH_DIGIT) {
                check_grouped(s, c.cp);
                if (s->stop)
                    return pos;
                sep = c.cp;
                pos += c.len;
                continue;
            }
        }
        check_grouped(s, 0);
        return pos;
    }
}

/* ---- per-encoding loops -------------------------------------------------------------- */

/* Going back over a digit that ends at q (UTF-8): its length, or 0. */
static inline unsigned digit_before(const uint8_t *b, size_t base, size_t q)
{
    if (q > base && (unsigned)(b[q - 1] - '0') < 10u)
        return 1;
    if (q - base >= 3 && b[q - 3] == 0xEF && b[q - 2] == 0xBC && (unsigned)(b[q - 1] - 0x90) < 10u)
        return 3;
    return 0;
}

/* ... and over a separator that ends at q. */
static inline unsigned sep_before(const uint8_t *b, size_t base, size_t q)
{
    if (q > base && (b[q - 1] == ' ' || b[q - 1] == '-'))
        return 1;
    if (q - base >= 3 && b[q - 3] >= 0xE2 && b[q - 3] <= 0xEF) {
        struct ch c;
        cls_utf8(b, q, q - 3, &c);
        if (c.cls == CH_SEP && c.len == 3)
            return 3;
    }
    return 0;
}

/* token_start: the first digit of the token that holds the digit at p (UTF-8): back over
 * digits, and over separators that stand between two digits. */
static size_t token_start(const uint8_t *b, size_t base, size_t p)
{
    size_t q = p;
    for (;;) {
        unsigned k = digit_before(b, base, q);
        if (!k) {
            k = sep_before(b, base, q);
            if (!k || !digit_before(b, base, q - k))
                return q;
        }
        q -= k;
    }
}

static void run_utf8(struct scanner *s)
{
    const uint8_t *b = s->b;
    size_t i = s->start, len = s->len;
    while (!s->stop) {
        size_t p = scan_next_candidate(b, len, i);
        if (p >= len)
            break;
        size_t t = token_start(b, s->base, p);
        if (b[t] < 0x80) {
            /* Most digit runs are short and end in something that cannot join another
             * group ("2015年", "08:15", "905,781円"): such a run is a token by itself,
             * and a number only if it has exactly the right length. Skip it without the
             * state machine. */
            size_t k = t + 1;
            while (k < len && (unsigned)(b[k] - '0') < 10u)
                k++;
            if (k - t != s->want) {
                struct ch c;
                if (k >= len) {
                    i = k;
                    continue;
                }
                cls_utf8(b, len, k, &c);
                if (c.cls == CH_OTHER) {
                    i = k;
                    continue;
                }
            }
        }
        i = scan_token(s, t);
    }
}

/*
 * token_or_skip: like scan_token() for a token starting at t, but a lone run of digits
 * of the wrong length followed by a character that cannot join a group is skipped without
 * the state machine (the common case in text full of dates and amounts).
 */
static size_t token_or_skip(struct scanner *s, size_t t)
{
    struct ch c;
    size_t k = t;
    unsigned n = 0;
    while (k < s->len) {
        classify(s, k, &c);
        if (c.cls != CH_DIGIT)
            break;
        k += c.len;
        n++;
    }
    if (n != s->want && (k >= s->len || c.cls == CH_OTHER))
        return k;
    return scan_token(s, t);
}

static void run_cp932(struct scanner *s)
{
    const uint8_t *b = s->b;
    size_t i = s->start;
    while (i < s->len && !s->stop) {
        unsigned x = b[i];
        if (x < 0x80) {
            if (x - '0' < 10u)
                i = token_or_skip(s, i);
            else
                i++;
        } else if (cp932_lead(x) && s->len - i >= 2 && cp932_trail(b[i + 1])) {
            if (x == 0x82 && (unsigned)(b[i + 1] - 0x4F) < 10u)
                i = token_or_skip(s, i);
            else
                i += 2;
        } else {
            i++;
        }
    }
}

static void run_utf16(struct scanner *s)
{
    int be = s->enc == SCAN_ENC_UTF16BE;
    size_t i = s->start;
    while (i <= s->len && s->len - i >= 2 && !s->stop) {
        uint32_t u = u16_at(s->b, i, be);
        if (u - '0' < 10u || u - 0xFF10u < 10u)
            i = token_or_skip(s, i);
        else
            i += 2;
    }
}

/* One pass in enc: alignment and context from base, numbers from start. */
static void run_pass(struct scanner *s, enum scan_encoding enc, size_t base, size_t start)
{
    s->enc = enc;
    s->base = base;
    s->start = start;
    s->ln_pos = s->ln_start = s->col_pos = start;
    s->ln_no = s->line0;
    s->col_no = s->col0;
    switch (enc) {
    case SCAN_ENC_CP932:
        run_cp932(s);
        break;
    case SCAN_ENC_UTF16LE:
    case SCAN_ENC_UTF16BE:
        if (start <= s->len)
            run_utf16(s);
        break;
    default:
        run_utf8(s);
        break;
    }
}

static enum mnv_err scanner_init(struct scanner *s, const void *buf, size_t len,
                                 enum scan_encoding enc, const struct scan_opts *opts,
                                 scan_finding_fn fn, void *ud)
{
    memset(s, 0, sizeof(*s));
    if (opts->kind != MYNUMBER_INDIVIDUAL && opts->kind != MYNUMBER_CORPORATE)
        return MNV_ERR_INVALID;
    if (enc <= SCAN_ENC_AUTO || enc > SCAN_ENC_BINARY)
        return MNV_ERR_INVALID;
    s->b = buf;
    s->len = len;
    s->kind = opts->kind;
    s->want = (unsigned)opts->kind;
    s->flags = opts->flags;
    s->fn = fn;
    s->ud = ud;
    s->line0 = 1;
    return MNV_OK;
}

static enum mnv_err scanner_done(struct scanner *s, size_t *found)
{
    int stopped = s->stop;
    if (found)
        *found = s->found;
    secmem_wipe(s, sizeof(*s));
    return stopped ? MNV_ERR_INTERRUPTED : MNV_OK;
}

enum mnv_err scan_buffer(const void *buf, size_t len, enum scan_encoding enc,
                         const struct scan_opts *opts, scan_finding_fn fn, void *ud, size_t *found)
{
    if (found)
        *found = 0;
    struct scanner s;
    enum mnv_err err = scanner_init(&s, buf, len, enc, opts, fn, ud);
    if (err != MNV_OK || !buf || len == 0)
        return err;
    const uint8_t *b = buf;
    size_t bom = 0;
    if (enc == SCAN_ENC_UTF8 && len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        bom = 3;
    else if (enc == SCAN_ENC_UTF16LE && len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        bom = 2;
    else if (enc == SCAN_ENC_UTF16BE && len >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        bom = 2;
    if (enc == SCAN_ENC_BINARY) {
        run_pass(&s, SCAN_ENC_BINARY, 0, 0);
        if (!s.stop)
            run_pass(&s, SCAN_ENC_UTF16LE, 0, 0);
        if (!s.stop)
            run_pass(&s, SCAN_ENC_UTF16LE, 1, 1);
    } else {
        run_pass(&s, enc, bom, bom);
    }
    return scanner_done(&s, found);
}

enum mnv_err scan_buffer_at(const uint8_t *buf, size_t len, size_t from, enum scan_encoding enc,
                            const struct scan_opts *opts, scan_finding_fn fn, void *ud,
                            struct scan_pos *pos)
{
    struct scanner s;
    enum mnv_err err = scanner_init(&s, buf, len, enc, opts, fn, ud);
    if (err != MNV_OK || from > len)
        return err != MNV_OK ? err : MNV_ERR_INVALID;
    s.line0 = pos->line;
    s.col0 = pos->col;
    if (enc == SCAN_ENC_BINARY) {
        run_pass(&s, SCAN_ENC_BINARY, 0, from);
        if (!s.stop)
            run_pass(&s, SCAN_ENC_UTF16LE, 0, from);
        if (!s.stop)
            run_pass(&s, SCAN_ENC_UTF16LE, 1, from + 1);
    } else {
        run_pass(&s, enc, 0, from);
    }
    /* Where len is, for the next part. */
    s.enc = enc;
    s.base = 0;
    s.start = s.ln_pos = s.ln_start = s.col_pos = from;
    s.ln_no = s.line0;
    s.col_no = s.col0;
    long line, col;
    locate(&s, len, &line, &col);
    pos->line = line;
    pos->col = col - 1;
    return scanner_done(&s, NULL);
}

int scan_is_separator(uint32_t cp)
{
    return sep_cp(cp);
}
