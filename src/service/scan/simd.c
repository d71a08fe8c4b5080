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
 * So a 32-byte block where none of these starts can be skipped whole. The masks are
 * computed with AVX2 (two 32-byte loads per class) or SSE2 (four 16-byte loads), then
 * combined with 64-bit shifts. The portable path, and the last bytes of any buffer, stop at
 * every digit instead: slower, never different. The caller steps back from the position
 * returned to the start of its token, so where inside a token the filter stops does not
 * matter.
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
 * Candidate bits for the first 32 positions of a window, from its byte masks: d digits,
 * s ' ', '\t' or '-', m E2..EF, fw full-width digit starts. Bit k means: a number form could
 * start at k (see the file comment).
 */
static inline uint64_t window_candidates(uint64_t d, uint64_t s, uint64_t m, uint64_t fw)
{
    uint64_t r4 = d & (d >> 1) & (d >> 2) & (d >> 3);
    uint64_t r12 = r4 & (r4 >> 4) & (r4 >> 8);
    uint64_t one = (s >> 4) & (r4 >> 5);   /* DDDD-DDDD */
    uint64_t three = (m >> 4) & (r4 >> 7); /* DDDD<sep>DDDD */
    uint64_t g = (one & (((s >> 9) & (r4 >> 10)) | ((m >> 9) & (r4 >> 12)))) |
                 (three & (((s >> 11) & (r4 >> 12)) | ((m >> 11) & (r4 >> 14))));
    return (r12 | (r4 & g) | fw) & 0xFFFFFFFFu;
}

static size_t count_scalar(const uint8_t *b, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        n += b[i] == '\n';
    return n;
}

#if SCAN_HAVE_X86
struct masks {
    uint64_t d, s, m, ef, bc, r9;
};

static inline uint64_t window_fw(const struct masks *k)
{
    return k->ef & (k->bc >> 1) & (k->r9 >> 2);
}

static inline void masks16_sse2(const uint8_t *p, int shift, struct masks *k)
{
    const __m128i c30 = _mm_set1_epi8(0x30), c9 = _mm_set1_epi8(9);
    const __m128i ce2 = _mm_set1_epi8((char)0xE2), c13 = _mm_set1_epi8(13);
    const __m128i c90 = _mm_set1_epi8((char)0x90);
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i t = _mm_sub_epi8(v, c30);
    __m128i u = _mm_sub_epi8(v, ce2);
    __m128i w = _mm_sub_epi8(v, c90);
#define M16(x) ((uint64_t)(unsigned)_mm_movemask_epi8(x) << shift)
    k->d |= M16(_mm_cmpeq_epi8(_mm_min_epu8(t, c9), t));
    k->s |= M16(_mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))),
        _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
    k->m |= M16(_mm_cmpeq_epi8(_mm_min_epu8(u, c13), u));
    k->ef |= M16(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF)));
    k->bc |= M16(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xBC)));
    k->r9 |= M16(_mm_cmpeq_epi8(_mm_min_epu8(w, c9), w));
#undef M16
}

static size_t next_sse2(const uint8_t *b, size_t len, size_t i)
{
    while (len - i >= 64) {
        struct masks k = {0, 0, 0, 0, 0, 0};
        for (int q = 0; q < 4; q++)
            masks16_sse2(b + i + 16 * q, 16 * q, &k);
        uint64_t c = window_candidates(k.d, k.s, k.m, window_fw(&k));
        if (c)
            return i + (size_t)__builtin_ctzll(c);
        i += 32;
    }
    return next_digit(b, len, i);
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

__attribute__((target("avx2"))) static inline void masks32_avx2(const uint8_t *p, int shift,
                                                                struct masks *k)
{
    const __m256i c30 = _mm256_set1_epi8(0x30), c9 = _mm256_set1_epi8(9);
    const __m256i ce2 = _mm256_set1_epi8((char)0xE2), c13 = _mm256_set1_epi8(13);
    const __m256i c90 = _mm256_set1_epi8((char)0x90);
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i t = _mm256_sub_epi8(v, c30);
    __m256i u = _mm256_sub_epi8(v, ce2);
    __m256i w = _mm256_sub_epi8(v, c90);
#define M32(x) ((uint64_t)(uint32_t)_mm256_movemask_epi8(x) << shift)
    k->d |= M32(_mm256_cmpeq_epi8(_mm256_min_epu8(t, c9), t));
    k->s |= M32(_mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(' ')),
                                                _mm256_cmpeq_epi8(v, _mm256_set1_epi8('-'))),
                                _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\t'))));
    k->m |= M32(_mm256_cmpeq_epi8(_mm256_min_epu8(u, c13), u));
    k->ef |= M32(_mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)0xEF)));
    k->bc |= M32(_mm256_cmpeq_epi8(v, _mm256_set1_epi8((char)0xBC)));
    k->r9 |= M32(_mm256_cmpeq_epi8(_mm256_min_epu8(w, c9), w));
#undef M32
}

__attribute__((target("avx2"))) static size_t next_avx2(const uint8_t *b, size_t len, size_t i)
{
    while (len - i >= 64) {
        struct masks k = {0, 0, 0, 0, 0, 0};
        masks32_avx2(b + i, 0, &k);
        masks32_avx2(b + i + 32, 32, &k);
        uint64_t c = window_candidates(k.d, k.s, k.m, window_fw(&k));
        if (c)
            return i + (size_t)__builtin_ctzll(c);
        i += 32;
    }
    return next_digit(b, len, i);
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
