/*
 * scan/detect.c: which encoding a text file is in (part of the scan module, see scan.h).
 *
 * The guess looks at a bounded sample so that it costs the same for a 1 KB and a 1 GB file:
 * a byte-order mark decides at once; NUL bytes point to UTF-16 (or binary data); otherwise
 * UTF-8 and CP932 both decode the sample and the one with fewer errors wins, UTF-8 on a tie.
 * A file that starts with pure ASCII is sampled again from its first non-ASCII byte, so a
 * CP932 file with a long ASCII header is still recognised.
 */
#include "mnvault/scan.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "mnvault/utf8.h"

#define SAMPLE_BYTES (64 * 1024)

static int plausible_u16(uint32_t u)
{
    return u == '\t' || u == '\n' || u == '\r' || (u >= 0x20 && u <= 0x7E) ||
           (u >= 0xA0 && u <= 0x24F) || (u >= 0x2000 && u <= 0x27FF) ||
           (u >= 0x3000 && u <= 0x9FFF) || (u >= 0xD800 && u <= 0xDFFF) ||
           (u >= 0xF900 && u <= 0xFAFF) || (u >= 0xFF00 && u <= 0xFFEF);
}

/* utf16_guess: UTF-16LE or BE when at least 95 % of the sample's units look like text. */
static enum scan_encoding utf16_guess(const uint8_t *b, size_t n)
{
    size_t units = n / 2, good[2] = {0, 0};
    if (units < 2)
        return SCAN_ENC_AUTO;
    for (size_t i = 0; i + 1 < n; i += 2) {
        good[0] += plausible_u16((uint32_t)b[i + 1] << 8 | b[i]);
        good[1] += plausible_u16((uint32_t)b[i] << 8 | b[i + 1]);
    }
    int be = good[1] > good[0];
    if (good[be] * 100 < units * 95)
        return SCAN_ENC_AUTO;
    return be ? SCAN_ENC_UTF16BE : SCAN_ENC_UTF16LE;
}

static int control(unsigned x)
{
    return (x < 0x20 && x != '\t' && x != '\n' && x != '\r' && x != '\f' && x != 0x1B) || x == 0x7F;
}

static size_t controls(const uint8_t *b, size_t n)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    size_t c = 0, i = 0;
    /* Eight bytes at a time past words with no byte below 0x20 and no 0x7F (the test can
     * flag a word that has none, never miss one). */
    for (; n - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        uint64_t del = w ^ (ones * 0x7F);
        if (!(((w - ones * 0x20) & ~w & highs) | ((del - ones) & ~del & highs)))
            continue;
        for (size_t k = i; k < i + 8; k++)
            c += (size_t)control(b[k]);
    }
    for (; i < n; i++)
        c += (size_t)control(b[i]);
    return c;
}

#if defined(__SSE2__)
/*
 * good16: how many bytes from b (a character starts there; 16 readable) are ASCII and the
 * common three-byte characters (lead E1..EC, EE or EF, then two continuation bytes), whole
 * characters only: 16, 15 or 14, or 0 when anything else stands among them (the caller
 * reads those one by one). *cc grows by the controls among them (what control() counts).
 * Japanese text is mostly such characters; one test of 16 bytes replaces a branch per
 * character.
 */
static unsigned good16(const uint8_t *b, size_t *cc)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)b);
    unsigned high = (unsigned)_mm_movemask_epi8(v);
    unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(_mm_set1_epi8(-64), v));
    __m128i l = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED)),
                                 _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(-32)),
                                               _mm_cmpgt_epi8(_mm_set1_epi8(-16), v)));
    unsigned lead = (unsigned)_mm_movemask_epi8(l);
    __m128i low =
        _mm_and_si128(_mm_cmpgt_epi8(_mm_set1_epi8(0x20), v), _mm_cmpgt_epi8(v, _mm_set1_epi8(-1)));
    __m128i ok = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')),
                                           _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                              _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
                                                        _mm_cmpeq_epi8(v, _mm_set1_epi8('\f'))),
                                           _mm_cmpeq_epi8(v, _mm_set1_epi8(0x1B))));
    __m128i ctl = _mm_or_si128(_mm_andnot_si128(ok, low), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
    unsigned tail = lead & 0xC000u; /* a lead whose character cannot end in the block */
    unsigned take = tail ? (unsigned)__builtin_ctz(tail) : 16;
    unsigned m = (1u << take) - 1, in = lead & m;
    unsigned want = (in << 1) | (in << 2); /* where continuation bytes must stand */
    if (((~high | lead | cont) & m) != m || (cont & m) != want || (want & ~m))
        return 0;
    *cc += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(ctl) & m);
    return take;
}
#endif

/* Invalid sequences when b[0..n) is read as UTF-8; a sequence cut by the sample end is fine
 * unless the sample is the end of the buffer (last). *ctrl: the controls (what controls()
 * counts), in the same pass: ASCII and three-byte characters go sixteen bytes at a time
 * (SSE2), or ASCII eight at a time. */
static size_t utf8_errors(const uint8_t *b, size_t n, int last, size_t *ctrl)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    size_t err = 0, cc = 0;
    for (size_t i = 0; i < n;) {
#if defined(__SSE2__)
        if (n - i >= 16) {
            unsigned k = good16(b + i, &cc);
            if (k) {
                i += k;
                continue;
            }
        }
#endif
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, b + i, 8);
            if (!(w & highs)) { /* eight ASCII bytes; a control among them is counted */
                uint64_t del = w ^ (ones * 0x7F);
                if (((w - ones * 0x20) & ~w & highs) | ((del - ones) & ~del & highs))
                    for (size_t k = i; k < i + 8; k++)
                        cc += (size_t)control(b[k]);
                i += 8;
                continue;
            }
        }
        if (b[i] < 0x80) {
            cc += (size_t)control(b[i]);
            i++;
            continue;
        }
        /* The common three-byte characters (kana, kanji: leads E1..EC, EE, EF take any two
         * continuation bytes) without the general decoder. */
        unsigned x = b[i];
        if (n - i >= 3 && x >= 0xE1 && x <= 0xEF && x != 0xED && (b[i + 1] & 0xC0) == 0x80 &&
            (b[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        uint32_t cp;
        int k = utf8_decode((const char *)b + i, n - i, &cp);
        if (k > 0) {
            i += (size_t)k;
            continue;
        }
        if (!last && n - i < 4 && b[i] >= 0xC2 && b[i] <= 0xF4) {
            int whole = 1; /* only continuation bytes follow: a cut sequence */
            for (size_t j = i + 1; j < n; j++)
                whole &= (b[j] & 0xC0) == 0x80;
            if (whole)
                break;
        }
        err++;
        i++;
    }
    *ctrl = cc; /* the bytes of a cut sequence left at the end are no controls */
    return err;
}

static size_t cp932_errors(const uint8_t *b, size_t n, int last)
{
    size_t err = 0;
    for (size_t i = 0; i < n;) {
        unsigned x = b[i];
        if (x < 0x80 || (x >= 0xA1 && x <= 0xDF)) {
            i++;
        } else if ((x >= 0x81 && x <= 0x9F) || (x >= 0xE0 && x <= 0xFC)) {
            if (i + 1 >= n) {
                err += last;
                break;
            }
            unsigned y = b[i + 1];
            if ((y >= 0x40 && y <= 0x7E) || (y >= 0x80 && y <= 0xFC)) {
                i += 2;
            } else {
                err++;
                i++;
            }
        } else {
            err++;
            i++;
        }
    }
    return err;
}

/* First byte >= 0x80 at or after from, or len. */
static size_t first_high(const uint8_t *b, size_t len, size_t from)
{
    const uint64_t highs = 0x8080808080808080ULL;
    size_t i = from;
    while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        if (w & highs)
            break;
        i += 8;
    }
    while (i < len && b[i] < 0x80)
        i++;
    return i;
}

enum scan_encoding scan_detect_encoding(const void *buf, size_t len)
{
    const uint8_t *b = buf;
    if (!b || len == 0)
        return SCAN_ENC_UTF8;
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        return SCAN_ENC_UTF8;
    if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE)
        return SCAN_ENC_UTF16LE;
    if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF)
        return SCAN_ENC_UTF16BE;

    size_t start = 0, n = len < SAMPLE_BYTES ? len : SAMPLE_BYTES;
    if (!memchr(b, 0, n) && first_high(b, n, 0) == n) {
        /* Pure ASCII so far: sample again where the first non-ASCII byte is. */
        start = first_high(b, len, n);
        if (start == len)
            return controls(b, n) * 10 > n ? SCAN_ENC_BINARY : SCAN_ENC_UTF8;
        start &= ~(size_t)1; /* keep UTF-16 units aligned */
        n = len - start < SAMPLE_BYTES ? len - start : SAMPLE_BYTES;
    }
    const uint8_t *p = b + start;
    int last = start + n == len;

    if (memchr(p, 0, n)) {
        enum scan_encoding u16 = utf16_guess(p, n);
        return u16 != SCAN_ENC_AUTO ? u16 : SCAN_ENC_BINARY;
    }
    size_t ctrl;
    size_t e8 = utf8_errors(p, n, last, &ctrl);
    if (ctrl * 10 > n)
        return SCAN_ENC_BINARY;
    if (e8 == 0)
        return SCAN_ENC_UTF8;
    size_t e932 = cp932_errors(p, n, last);
    if (e932 == 0)
        return SCAN_ENC_CP932;
    enum scan_encoding u16 = utf16_guess(p, n);
    if (u16 != SCAN_ENC_AUTO)
        return u16;
    /* A few stray bytes in otherwise good text: keep the better of the two. */
    size_t best = e8 <= e932 ? e8 : e932;
    if (best * 50 > n)
        return SCAN_ENC_BINARY;
    return e8 <= e932 ? SCAN_ENC_UTF8 : SCAN_ENC_CP932;
}

const char *scan_encoding_name(enum scan_encoding enc)
{
    switch (enc) {
    case SCAN_ENC_UTF8:
        return "utf-8";
    case SCAN_ENC_CP932:
        return "cp932";
    case SCAN_ENC_UTF16LE:
        return "utf-16le";
    case SCAN_ENC_UTF16BE:
        return "utf-16be";
    case SCAN_ENC_BINARY:
        return "binary";
    case SCAN_ENC_AUTO:
    default:
        return "auto";
    }
}

int scan_encoding_parse(const char *name, enum scan_encoding *enc)
{
    static const struct {
        const char *name;
        enum scan_encoding enc;
    } names[] = {
        {"auto", SCAN_ENC_AUTO},         {"utf-8", SCAN_ENC_UTF8},
        {"utf8", SCAN_ENC_UTF8},         {"cp932", SCAN_ENC_CP932},
        {"sjis", SCAN_ENC_CP932},        {"shift_jis", SCAN_ENC_CP932},
        {"windows-31j", SCAN_ENC_CP932}, {"utf-16le", SCAN_ENC_UTF16LE},
        {"utf-16be", SCAN_ENC_UTF16BE},  {"binary", SCAN_ENC_BINARY},
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(names); i++)
        if (strcasecmp(name, names[i].name) == 0) {
            *enc = names[i].enc;
            return 0;
        }
    return -1;
}
