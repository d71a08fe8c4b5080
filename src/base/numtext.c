#include "mnvault/numtext.h"

#include <string.h>

#include "mnvault/secmem.h"
#include "mnvault/utf8.h"

/* ---- characters and check digits ---------------------------------------------------- */

int numtext_digit(uint32_t cp)
{
    if (cp - '0' < 10u)
        return (int)(cp - '0');
    if (cp - 0xFF10u < 10u)
        return (int)(cp - 0xFF10u);
    return -1;
}

enum numtext_class numtext_classify(uint32_t cp)
{
    if (numtext_digit(cp) >= 0)
        return NUMTEXT_DIGIT;
    switch (cp) {
    case ' ':
    case '\t':
    case '-':
    case 0x3000: /* ideographic (full-width) space */
    case 0xFF0D: /* full-width hyphen-minus */
    case 0x2010: /* hyphen */
    case 0x2011: /* non-breaking hyphen */
    case 0x2012: /* figure dash */
    case 0x2013: /* en dash */
    case 0x2014: /* em dash */
    case 0x2015: /* horizontal bar */
    case 0x2212: /* minus sign */
    case 0x30FC: /* katakana prolonged sound mark, often typed for a dash */
    case 0xFF70: /* half-width prolonged sound mark */
        return NUMTEXT_SEPARATOR;
    case '\r':
    case '\n':
        return NUMTEXT_LINEBREAK;
    default:
        return NUMTEXT_OTHER;
    }
}

/* Weights on digits 1..11 of an individual number, read left to right. */
static const int individual_weights[11] = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

int numtext_check_digit_individual(const char base11[11])
{
    int sum = 0;
    for (int i = 0; i < 11; i++) {
        if (base11[i] < '0' || base11[i] > '9')
            return -1;
        sum += (base11[i] - '0') * individual_weights[i];
    }
    int r = sum % 11;
    return r <= 1 ? 0 : 11 - r;
}

int numtext_check_digit_corporate(const char base12[12])
{
    int sum = 0;
    for (int i = 0; i < 12; i++) {
        if (base12[i] < '0' || base12[i] > '9')
            return -1;
        /* Position from the right: n = 12 - i; even positions weigh 2. */
        int n = 12 - i;
        sum += (base12[i] - '0') * ((n % 2 == 0) ? 2 : 1);
    }
    return 9 - sum % 9;
}

int numtext_valid_individual(const char d[12])
{
    if (d[11] < '0' || d[11] > '9')
        return 0;
    int c = numtext_check_digit_individual(d);
    return c >= 0 && c == d[11] - '0';
}

int numtext_valid_corporate(const char d[13])
{
    if (d[0] < '0' || d[0] > '9')
        return 0;
    int c = numtext_check_digit_corporate(d + 1);
    return c >= 0 && c == d[0] - '0';
}

/* ---- the reader ------------------------------------------------------------------------ */

static int valid(const struct numtext_reader *r, const char *d)
{
    return r->want == 12 ? numtext_valid_individual(d) : numtext_valid_corporate(d);
}

static int ascii_letter(uint32_t cp)
{
    return (cp | 0x20) - 'a' < 26u;
}

static void emit(struct numtext_reader *r, struct numtext_span *span)
{
    r->found++;
    if (r->fn && r->fn(r->ud, span))
        r->stop = 1;
    secmem_wipe(span, sizeof(*span));
}

/* A number from start to end with these digits: reported now, or kept for the token's end
 * when the rule needs to see the whole token first (only its first number is kept). */
static void found(struct numtext_reader *r, size_t start, size_t end, unsigned form,
                  const char *digits)
{
    struct numtext_span span = {start, end, form, {0}};
    memcpy(span.last4, digits + r->want - 4, 4);
    if (!(r->flags & (NUMTEXT_ANY_RUN | NUMTEXT_WORDS))) {
        emit(r, &span);
    } else if (!r->held) {
        r->hold = span;
        r->held = 1;
    }
    secmem_wipe(&span, sizeof(span));
}

int numtext_grouped(const struct numtext_group *g, int ng, unsigned want, uint32_t right,
                    char d[13], unsigned *form)
{
    int k = want == 12 ? 3 : 4;
    if (ng < k)
        return -1;
    g += ng - k;
    for (int i = 0; i < k; i++)
        if (g[i].n != ((want == 13 && i == 0) ? 1u : 4u))
            return -1;
    if (g[0].sep && g[0].sep == g[1].sep)
        return -1; /* "…1234 1234 5678 9018": the same separator goes on to the left */
    if (right && right == g[k - 1].sep)
        return -1; /* "1234 5678 9018 1234…" */
    unsigned o = 0;
    for (int i = 0; i < k; i++) {
        memcpy(d + o, g[i].d, g[i].n);
        o += g[i].n;
        *form |= g[i].form;
    }
    return ng - k;
}

/* Written rule: a grouped number ending with the last group (right: the separator after
 * it, 0 for none). */
static void check_grouped(struct numtext_reader *r, uint32_t right)
{
    char d[13];
    unsigned form = NUMTEXT_FORM_GROUPED;
    int i = numtext_grouped(r->g, r->ng, r->want, right, d, &form);
    if (i >= 0 && valid(r, d))
        found(r, r->g[i].start, r->g[r->ng - 1].end, form, d);
    secmem_wipe(d, sizeof(d));
}

static void start_group(struct numtext_reader *r, uint32_t sep, size_t off)
{
    if (r->ng == (int)MNV_ARRAY_LEN(r->g)) {
        memmove(&r->g[0], &r->g[1], sizeof(r->g[0]) * (MNV_ARRAY_LEN(r->g) - 1));
        r->ng--;
    }
    struct numtext_group *g = &r->g[r->ng++];
    memset(g, 0, sizeof(*g));
    g->start = off;
    g->sep = sep;
}

/* Any-run rule: the last `want` digits of the token, and whether they form a number. */
static void window_push(struct numtext_reader *r, char digit, size_t off, size_t end,
                        unsigned char form)
{
    if (r->nwin == r->want) {
        memmove(r->win, r->win + 1, r->want - 1);
        memmove(r->win_start, r->win_start + 1, sizeof(r->win_start[0]) * (r->want - 1));
        memmove(r->win_form, r->win_form + 1, r->want - 1);
        r->nwin--;
    }
    r->win[r->nwin] = digit;
    r->win_start[r->nwin] = off;
    r->win_form[r->nwin++] = form;
    if (r->nwin == r->want && !r->held && valid(r, r->win)) {
        unsigned f = 0;
        for (unsigned i = 0; i < r->want; i++)
            f |= r->win_form[i];
        found(r, r->win_start[0], end, f, r->win);
    }
}

static void put_digit(struct numtext_reader *r, int value, uint32_t cp, size_t off, size_t len)
{
    if (r->state == 0) {
        r->ng = 0;
        r->nwin = 0;
        r->touch_left = r->prev_letter;
        start_group(r, 0, off);
    } else if (r->state == 2) {
        if (!(r->flags & NUMTEXT_ANY_RUN))
            check_grouped(r, r->sep);
        start_group(r, r->sep, off);
    }
    r->state = 1;
    struct numtext_group *g = &r->g[r->ng - 1];
    unsigned char form = cp < 0x80 ? NUMTEXT_FORM_ASCII : NUMTEXT_FORM_FULLWIDTH;
    if (g->n < 13)
        g->d[g->n] = (char)('0' + value);
    if (g->n < 14)
        g->n++;
    g->form |= form;
    g->end = off + len;
    if (r->flags & NUMTEXT_ANY_RUN)
        window_push(r, (char)('0' + value), off, off + len, form);
}

/* The group being read ends (written rule: a group of exactly `want` digits is a number). */
static void end_group(struct numtext_reader *r)
{
    const struct numtext_group *g = &r->g[r->ng - 1];
    if (!(r->flags & NUMTEXT_ANY_RUN) && g->n == r->want && valid(r, g->d))
        found(r, g->start, g->end, g->form, g->d);
}

/* NUMTEXT_WORDS: is the token an identifier rather than text holding a number? It touches an
 * ASCII letter, or it is one run of more digits than a number has, without separators. */
static int identifier(const struct numtext_reader *r, int right_letter)
{
    return (r->flags & NUMTEXT_WORDS) &&
           (r->touch_left || right_letter || (r->ng == 1 && r->g[0].n > r->want));
}

/* The token ends; right_letter: an ASCII letter follows its last digit directly. */
static void end_token(struct numtext_reader *r, int right_letter)
{
    if (!(r->flags & NUMTEXT_ANY_RUN) && !r->stop)
        check_grouped(r, 0);
    if (r->held && !r->stop && !identifier(r, right_letter))
        emit(r, &r->hold);
    r->held = 0;
    r->state = 0;
    r->ng = 0;
    r->nwin = 0;
    secmem_wipe(r->g, sizeof(r->g));
    secmem_wipe(r->win, sizeof(r->win));
    secmem_wipe(&r->hold, sizeof(r->hold));
}

void numtext_reader_init(struct numtext_reader *r, unsigned flags, numtext_fn fn, void *ud)
{
    memset(r, 0, sizeof(*r));
    r->flags = flags;
    r->want = (flags & NUMTEXT_CORPORATE) ? 13 : 12;
    r->fn = fn;
    r->ud = ud;
}

int numtext_reader_put(struct numtext_reader *r, uint32_t cp, size_t off, size_t len)
{
    if (r->stop)
        return 1;
    enum numtext_class cls = numtext_classify(cp);
    if (cls == NUMTEXT_LINEBREAK && (r->flags & NUMTEXT_ANY_RUN))
        cls = NUMTEXT_SEPARATOR;
    if (cls == NUMTEXT_DIGIT) {
        put_digit(r, numtext_digit(cp), cp, off, len);
    } else if (cls == NUMTEXT_SEPARATOR) {
        if (r->state == 1) {
            end_group(r);
            r->state = 2;
            r->sep = cp;
        } else if (r->state == 2 && !(r->flags & NUMTEXT_ANY_RUN)) {
            end_token(r, 0); /* two separators in a row end a written number's token */
        }
        r->prev_letter = 0;
    } else {
        if (r->state == 1) {
            end_group(r);
            end_token(r, ascii_letter(cp));
        } else if (r->state == 2) {
            end_token(r, 0);
        }
        r->prev_letter = ascii_letter(cp);
    }
    return r->stop;
}

size_t numtext_reader_end(struct numtext_reader *r)
{
    if (r->state == 1)
        end_group(r);
    if (r->state != 0)
        end_token(r, 0);
    size_t found = r->found;
    secmem_wipe(r, sizeof(*r));
    r->found = found;
    return found;
}

size_t numtext_find(const char *text, size_t len, unsigned flags, numtext_fn fn, void *ud)
{
    struct numtext_reader r;
    numtext_reader_init(&r, flags, fn, ud);
    size_t i = 0;
    while (text && i < len) {
        uint32_t cp;
        int n = utf8_decode(text + i, len - i, &cp);
        if (n < 0) {
            cp = 0xFFFD;
            n = 1;
        }
        if (numtext_reader_put(&r, cp, i, (size_t)n))
            break;
        i += (size_t)n;
    }
    return numtext_reader_end(&r);
}

static int stop_at_first(void *ud, const struct numtext_span *span)
{
    (void)ud;
    (void)span;
    return 1;
}

/* At least want digits (ASCII 0-9, or full-width U+FF10-FF19: EF BC 90-99 in UTF-8)? Every
 * number has that many, so text with fewer holds none: most names and addresses. */
static int has_digits(const char *text, size_t len, size_t want)
{
    const unsigned char *t = (const unsigned char *)text;
    size_t count = 0;
    for (size_t i = 0; i < len && count < want; i++) {
        if ((unsigned)(t[i] - '0') < 10u)
            count++;
        else if (t[i] == 0xEF && i + 2 < len && t[i + 1] == 0xBC &&
                 (unsigned)(t[i + 2] - 0x90) < 10u)
            count++, i += 2;
    }
    return count >= want;
}

int numtext_has_number(const char *text, size_t len, unsigned flags)
{
    if (!text || !has_digits(text, len, (flags & NUMTEXT_CORPORATE) ? 13 : 12))
        return 0;
    return numtext_find(text, len, flags, stop_at_first, NULL) > 0;
}
