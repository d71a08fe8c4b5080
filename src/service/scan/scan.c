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

#include "core.h"
#include "mnvault/secmem.h"

/* ---- the state machine --------------------------------------------------------------- */

/* A finding's form bits are numtext's (the groups come from numtext_grouped). */
_Static_assert((int)SCAN_FORM_GROUPED == (int)NUMTEXT_FORM_GROUPED &&
                   (int)SCAN_FORM_ASCII == (int)NUMTEXT_FORM_ASCII &&
                   (int)SCAN_FORM_FULLWIDTH == (int)NUMTEXT_FORM_FULLWIDTH,
               "scan.h and numtext.h name the same forms");

static void emit(struct scanner *s, const struct numtext_group *first,
                 const struct numtext_group *last, const char *digits, unsigned form)
{
    if (scan_not_a_number(s, first->start, last->end, first == last))
        return;
    struct scan_finding f;
    memset(&f, 0, sizeof(f));
    f.kind = s->kind;
    f.offset = first->start;
    f.length = last->end - first->start;
    f.encoding = s->enc;
    f.form = form;
    memcpy(f.last4, digits + s->want - 4, 4);
    if (!(s->flags & SCAN_NO_POSITION))
        scan_locate(s, f.offset, &f.line, &f.column);
    if (!(s->flags & SCAN_NO_CONTEXT))
        f.keyword = scan_keyword_near(s, first->start, last->end);
    s->found++;
    if (s->fn(s->ud, &f))
        s->stop = 1;
    secmem_wipe(f.last4, sizeof(f.last4));
}

/* A valid number, and not zeros (000000000000 passes the check digit but is a filler, never
 * a number anyone has). */
static int valid_digits(const struct scanner *s, const char *d)
{
    const char *base = s->want == 12 ? d : d + 1; /* the corporate check digit is first */
    unsigned i = 0;
    while (i < 11 && base[i] == '0')
        i++;
    if (i == 11)
        return 0;
    return s->want == 12 ? numtext_valid_individual(d) : numtext_valid_corporate(d);
}

/* A group that is a whole number by itself. */
static void check_plain(struct scanner *s, const struct numtext_group *g)
{
    if (valid_digits(s, g->d))
        emit(s, g, g, g->d, g->form);
}

/* check_grouped: a grouped number (numtext_grouped) ending with the last group; right: the
 * separator after it, 0 for none. */
static void check_grouped(struct scanner *s, uint32_t right)
{
    char d[13];
    unsigned form = SCAN_FORM_GROUPED;
    int i = numtext_grouped(s->g, s->ng, s->want, right, d, &form);
    if (i >= 0 && valid_digits(s, d))
        emit(s, &s->g[i], &s->g[s->ng - 1], d, form);
    secmem_wipe(d, sizeof(d));
}

static struct numtext_group *push_group(struct scanner *s)
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
        struct numtext_group *g = push_group(s);
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

/* A token of one group of ASCII digits b[t..k), k - t == want, with nothing after it that can
 * join a group: what scan_token() finds there without its per-character loop. */
static void check_lone_run(struct scanner *s, size_t t, size_t k)
{
    struct numtext_group *g = &s->g[0];
    s->ng = 1;
    g->start = t;
    g->end = k;
    g->sep = 0;
    g->n = s->want;
    g->form = SCAN_FORM_ASCII;
    memcpy(g->d, s->b + t, s->want);
    check_plain(s, g);
}

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
    if (q > base && (b[q - 1] == ' ' || b[q - 1] == '-' || b[q - 1] == '\t'))
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
            int lone = k >= len;
            if (!lone) {
                struct ch c;
                cls_utf8(b, len, k, &c);
                lone = c.cls == CH_OTHER;
            }
            if (lone) {
                /* A lone run of the right length ("…,123456789018\n", the usual form in
                 * a CSV) is one group and nothing else: checked as scan_token() would. */
                if (k - t == s->want)
                    check_lone_run(s, t, k);
                i = k;
                continue;
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
    /* Where len is, for the next part: counted on from the last finding's place (one pass
     * over the text, in step with it); after the passes of binary data, from the start. No
     * place without positions (nothing reads it). */
    if (!(s.flags & SCAN_NO_POSITION)) {
        if (enc == SCAN_ENC_BINARY) {
            s.enc = enc;
            s.base = 0;
            s.start = s.ln_pos = s.ln_start = s.col_pos = from;
            s.ln_no = s.line0;
            s.col_no = s.col0;
        }
        long line, col;
        scan_locate(&s, len, &line, &col);
        pos->line = line;
        pos->col = col - 1;
    }
    return scanner_done(&s, NULL);
}

int scan_is_separator(uint32_t cp)
{
    return numtext_classify(cp) == NUMTEXT_SEPARATOR;
}
