/*
 * scan/simd.c: the scanner's fast paths (part of the scan module, see scan.h): finding the
 * next place in UTF-8 text where a number may be, and counting newlines.
 *
 * The filter works on a 64-byte window and marks the first 32 positions. Every number the
 * state machine accepts contains at least one of:
 *   - a full-width digit (EF BC 90..99);
 *   - 12 ASCII digits in a row (plain form; also every 13-digit corporate number);
 *   - three runs of 4 ASCII digits, each pair joined by one separator: ' ', '\t' or '-'
 *     (one byte), or a three-byte character whose lead is E2..EF (every other separator of
 *     numtext.h is).
 * So a 32-byte block where none of these starts can be skipped whole. Two masks per 32-byte
 * chunk (ASCII digits; full-width digit starts, from loads at +1 and +2) are computed once
 * with AVX2 (or SSE2, 16 bytes at a time) and combined with 64-bit shifts: the upper chunk
 * of one window is the lower chunk of the next. The separators are looked at only in a
 * window where three runs of four digits stand one or three bytes apart. The portable path, and the
 * last bytes of any buffer, stop at every digit instead: slower, never different. The caller steps
 * back from the position returned to the start of its token, so where inside a token the filter
 * stops does not matter.
 */
#include <stdint.h>
#include <string.h>

#include "priv.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define SCAN_HAVE_X86 1
#else
#define SCAN_HAVE_X86 0
#endif

static enum scan_simd simd_level = SCAN_SIMD_AUTO;

static int digit_start(const uint8_t *b, size_t len, size_t i)
{
    unsigned x = b[i];
    if (x - '0' < 10u)
        return 1;
    return x == 0xEF && len - i >= 3 && b[i + 1] == 0xBC && (unsigned)(b[i + 2] - 0x90) < 10u;
}

/* Every digit (ASCII or full-width) is a candidate. */
static size_t next_digit(const uint8_t *b, size_t len, size_t i)
{
    for (; i < len; i++)
        if (digit_start(b, len, i))
            return i;
    return len;
}

/* Portable: 8 bytes at a time; a word without an ASCII digit and without 0xEF cannot hold
 * the start of a digit. */
static size_t next_portable(const uint8_t *b, size_t len, size_t i)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (len - i >= 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        uint64_t t = w ^ (ones * 0x30); /* ASCII digits become 0..9 */
        uint64_t e = w ^ (ones * 0xEF); /* 0xEF becomes 0 */
        if (((t - ones * 10) & ~t & highs) | ((e - ones) & ~e & highs)) {
            for (size_t k = 0; k < 8; k++)
                if (digit_start(b, len, i + k))
                    return i + k;
        }
        i += 8;
    }
    return next_digit(b, len, i);
}

/*
 * Candidate bits for the first 32 positions of a window, from its byte masks: d ASCII digits,
 * fw full-width digit starts (EF BC 90..99); seps() gives the separator masks (s: ' ', '\t',
 * '-'; m: E2..EF, the lead of every other separator) and is only asked when three runs of
 * four digits stand one or three bytes apart. Bit k means: a number form could start at k
 * (see the file comment).
 */
struct seps {
    uint64_t s, m;
};

static inline uint64_t grouped_candidates(uint64_t r4, struct seps k)
{
    uint64_t one = (k.s >> 4) & (r4 >> 5);   /* DDDD-DDDD */
    uint64_t three = (k.m >> 4) & (r4 >> 7); /* DDDD<sep>DDDD */
    return (one & (((k.s >> 9) & (r4 >> 10)) | ((k.m >> 9) & (r4 >> 12)))) |
           (three & (((k.s >> 11) & (r4 >> 12)) | ((k.m >> 11) & (r4 >> 14))));
}

/* Runs of four ASCII digits starting at each bit. */
static inline uint64_t runs4(uint64_t d)
{
    return d & (d >> 1) & (d >> 2) & (d >> 3);
}

/* Candidates that need no separator: 12 digits in a row, a full-width digit. */
static inline uint64_t sure_candidates(uint64_t r4, uint64_t fw)
{
    return ((r4 & (r4 >> 4) & (r4 >> 8)) | fw) & 0xFFFFFFFFu;
}

/* Three runs of four digits one or three bytes apart, whatever stands between. */
static inline uint64_t loose_grouped(uint64_t r4)
{
    return r4 &
           (((r4 >> 5) & ((r4 >> 10) | (r4 >> 12))) | ((r4 >> 7) & ((r4 >> 12) | (r4 >> 14)))) &
           0xFFFFFFFFu;
}

static size_t count_scalar(const uint8_t *b, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += b[i] == '\n';
    return n;
}

#if SCAN_HAVE_X86
/* The masks of one 32-byte chunk at p (p[0..34) readable): ASCII digits, full-width digit
 * starts. */
struct masks {
    uint64_t d, fw;
};

/* Bytes base..base+9: v moved so that they become -128..-119 (signed), then one compare. */
static inline __m128i digits16_sse2(__m128i v, __m128i base)
{
    __m128i t = _mm_add_epi8(v, _mm_sub_epi8(_mm_set1_epi8((char)0x80), base));
    return _mm_cmpgt_epi8(_mm_set1_epi8(-128 + 10), t);
}

static inline struct masks chunk_sse2(const uint8_t *p)
{
    struct masks k = {0, 0};
    for (int h = 0; h < 32; h += 16) {
        const uint8_t *q = p + h;
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
        __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(q + 1));
        __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(q + 2));
        __m128i fw = _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF)),
                                                 _mm_cmpeq_epi8(v1, _mm_set1_epi8((char)0xBC))),
                                   digits16_sse2(v2, _mm_set1_epi8((char)0x90)));
        k.d |= (uint64_t)(unsigned)_mm_movemask_epi8(digits16_sse2(v, _mm_set1_epi8(0x30))) << h;
        k.fw |= (uint64_t)(unsigned)_mm_movemask_epi8(fw) << h;
    }
    return k;
}

/* The separator masks of the 64 bytes at p. */
static struct seps seps_sse2(const uint8_t *p)
{
    struct seps k = {0, 0};
    for (int h = 0; h < 64; h += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + h));
        __m128i u = _mm_sub_epi8(v, _mm_set1_epi8((char)0xE2));
        __m128i s = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                              _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')));
        __m128i m = _mm_cmpeq_epi8(_mm_min_epu8(u, _mm_set1_epi8(13)), u);
        k.s |= (uint64_t)(unsigned)_mm_movemask_epi8(s) << h;
        k.m |= (uint64_t)(unsigned)_mm_movemask_epi8(m) << h;
    }
    return k;
}

/* Each 32-byte chunk's masks are computed once: the upper half of one window is the lower
 * half of the next. A window needs 64 bytes and 2 more for the full-width look-ahead. The
 * candidates are computed without a branch (a few shifts): in text where digits come and go,
 * a branch on "any digit here" is mispredicted at every other block and costs more than the
 * shifts; the one branch left is taken only where a number may start. Without digits in the
 * lower chunk r4's lower 32 bits are 0, so c and the loose groups are 0 too. A cheaper first
 * test with a branch of its own (two runs of four digits near each other) was faster in
 * the cache and slower on a file read from memory: taken at every other line of a CSV, it
 * was mispredicted often enough to stall the loads running ahead.
 *
 * Text mapped from the page cache is read from memory, a page at a time as the hardware
 * prefetcher sees it (it starts over at each 4 KiB page, and the pages of a file lie
 * anywhere): a profile put two thirds of the loop's time on its first load. So each step
 * asks for the bytes one page ahead (SCAN_PREFETCH); a prefetch never faults, so where the
 * buffer or the mapped part of a file ends it is just dropped, and the address is computed
 * as an integer so that it may point past the buffer. */
#define SCAN_PREFETCH 4096
#define SCAN_PREFETCH_AHEAD(p) __builtin_prefetch((const void *)((uintptr_t)(p) + SCAN_PREFETCH))
#define SCAN_NEXT_LOOP(chunk, seps)                                                                \
    if (len - i < 66)                                                                              \
        return next_digit(b, len, i);                                                              \
    struct masks lo = chunk(b + i), hi = chunk(b + i + 32);                                        \
    for (;;) {                                                                                     \
        uint64_t r4 = runs4(lo.d | hi.d << 32);                                                    \
        uint64_t c = sure_candidates(r4, lo.fw);                                                   \
        uint64_t loose = loose_grouped(r4) & ~c;                                                   \
        if (__builtin_expect((c | loose) != 0, 0)) {                                               \
            if (loose)                                                                             \
                c |= r4 & grouped_candidates(r4, seps(b + i)) & 0xFFFFFFFFu;                       \
            if (c)                                                                                 \
                return i + (size_t)__builtin_ctzll(c);                                             \
        }                                                                                          \
        i += 32;                                                                                   \
        if (len - i < 66)                                                                          \
            return next_digit(b, len, i);                                                          \
        lo = hi;                                                                                   \
        hi = chunk(b + i + 32);                                                                    \
        SCAN_PREFETCH_AHEAD(b + i);                                                                \
    }

static size_t next_sse2(const uint8_t *b, size_t len, size_t i)
{
    SCAN_NEXT_LOOP(chunk_sse2, seps_sse2)
}

static size_t count_sse2(const uint8_t *b, size_t from, size_t to)
{
    const __m128i nl = _mm_set1_epi8('\n');
    size_t n = 0, i = from;
    while (to - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        n += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl)));
        i += 16;
    }
    return n + count_scalar(b, i, to);
}

/* The same, 32 bytes at a time. */
__attribute__((target("avx2"))) static inline __m256i digits32_avx2(__m256i v, __m256i base)
{
    __m256i t = _mm256_add_epi8(v, _mm256_sub_epi8(_mm256_set1_epi8((char)0x80), base));
    return _mm256_cmpgt_epi8(_mm256_set1_epi8(-128 + 10), t);
}

__attribute__((target("avx2"))) static inline struct masks chunk_avx2(const uint8_t *p)
{
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + 1));
    __m256i v2 = _mm256_loadu_si256((const __m256i *)(const void *)(p + 2));
    __m256i fw =
        _mm256_and_si256(_mm256_and_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)0xEF)),
                                          _mm256_cmpeq_epi8(v1, _mm256_set1_epi8((char)0xBC))),
                         digits32_avx2(v2, _mm256_set1_epi8((char)0x90)));
    struct masks k;
    k.d = (uint32_t)_mm256_movemask_epi8(digits32_avx2(v, _mm256_set1_epi8(0x30)));
    k.fw = (uint32_t)_mm256_movemask_epi8(fw);
    return k;
}

__attribute__((target("avx2"))) static struct seps seps_avx2(const uint8_t *p)
{
    struct seps k = {0, 0};
    for (int h = 0; h < 64; h += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + h));
        __m256i u = _mm256_sub_epi8(v, _mm256_set1_epi8((char)0xE2));
        __m256i s = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(' ')),
                                                    _mm256_cmpeq_epi8(v, _mm256_set1_epi8('-'))),
                                    _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\t')));
        __m256i m = _mm256_cmpeq_epi8(_mm256_min_epu8(u, _mm256_set1_epi8(13)), u);
        k.s |= (uint64_t)(uint32_t)_mm256_movemask_epi8(s) << h;
        k.m |= (uint64_t)(uint32_t)_mm256_movemask_epi8(m) << h;
    }
    return k;
}

__attribute__((target("avx2"))) static size_t next_avx2(const uint8_t *b, size_t len, size_t i)
{
    SCAN_NEXT_LOOP(chunk_avx2, seps_avx2)
}

__attribute__((target("avx2,popcnt"))) static size_t count_avx2(const uint8_t *b, size_t from,
                                                                size_t to)
{
    const __m256i nl = _mm256_set1_epi8('\n');
    size_t n = 0, i = from;
    while (to - i >= 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(b + i));
        n += (size_t)__builtin_popcount((unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, nl)));
        i += 32;
    }
    return n + count_scalar(b, i, to);
}
#endif

static enum scan_simd simd_best(void)
{
#if SCAN_HAVE_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt"))
        return SCAN_SIMD_AVX2;
    return SCAN_SIMD_SSE2;
#else
    return SCAN_SIMD_PORTABLE;
#endif
}

enum scan_simd scan_simd_set(enum scan_simd level)
{
    enum scan_simd best = simd_best();
    if (level == SCAN_SIMD_AUTO || level > best)
        level = best;
    if (level < SCAN_SIMD_PORTABLE)
        level = SCAN_SIMD_PORTABLE;
    simd_level = level;
    return level;
}

static enum scan_simd simd_current(void)
{
    if (simd_level == SCAN_SIMD_AUTO)
        simd_level = simd_best();
    return simd_level;
}

void scan_simd_resolve(void)
{
    (void)simd_current();
}

size_t scan_next_candidate(const uint8_t *b, size_t len, size_t i)
{
#if SCAN_HAVE_X86
    enum scan_simd lv = simd_current();
    if (lv == SCAN_SIMD_AVX2)
        return next_avx2(b, len, i);
    if (lv == SCAN_SIMD_SSE2)
        return next_sse2(b, len, i);
#endif
    return next_portable(b, len, i);
}

size_t scan_count_newlines(const uint8_t *b, size_t from, size_t to)
{
#if SCAN_HAVE_X86
    enum scan_simd lv = simd_current();
    if (lv == SCAN_SIMD_AVX2)
        return count_avx2(b, from, to);
    if (lv == SCAN_SIMD_SSE2)
        return count_sse2(b, from, to);
#endif
    return count_scalar(b, from, to);
}
