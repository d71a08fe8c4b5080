/* Unit tests for sjis.c: the strict JIS X 0208 encoder. */
#include <iconv.h>
#include <string.h>

#include "mnvault/sjis.h"

static int group_setup(void **state)
{
    (void)state;
    return sjis_init() == MNV_OK ? 0 : -1;
}

static long enc(const char *s, unsigned char *out, size_t size, uint32_t *bad)
{
    size_t at = 0;
    *bad = 0;
    return sjis_encode(s, strlen(s), out, size, bad, &at);
}

static void test_sjis__ascii_and_kana(void **state)
{
    (void)state;
    unsigned char out[64];
    uint32_t bad;
    assert_int_equal(enc("375,AZ az-09", out, sizeof(out), &bad), 12);
    assert_memory_equal(out, "375,AZ az-09", 12);
    assert_int_equal(enc("ｱｲｳﾞ", out, sizeof(out), &bad), 4);
    assert_memory_equal(out, "\xb1\xb2\xb3\xde", 4);
    assert_int_equal(enc("", out, sizeof(out), &bad), 0);
}

static void test_sjis__jisx0208(void **state)
{
    (void)state;
    unsigned char out[64];
    uint32_t bad;
    assert_int_equal(enc("山田　太郎", out, sizeof(out), &bad), 10);
    assert_memory_equal(out, "\x8e\x52\x93\x63\x81\x40\x91\xbe\x98\x59", 10);
    /* Both Unicode forms of the same JIS X 0208 character. */
    assert_int_equal(enc("〜～−－", out, sizeof(out), &bad), 8);
    assert_memory_equal(out, "\x81\x60\x81\x60\x81\x7c\x81\x7c", 8);
    assert_int_equal(enc("熙", out, sizeof(out), &bad), 2); /* level 2, row 84 */
    assert_int_equal(sjis_row(0xEAA4), 84);
    assert_int_equal(sjis_row(0x8140), 1);
    assert_int_equal(sjis_row(0x889F), 16);
    assert_int_equal(sjis_row(0x41), 0);
}

static void test_sjis__refused(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint32_t cp;
    } cases[] = {
        {"髙", 0x9AD9},  /* IBM extension in CP932 */
        {"﨑", 0xFA11},  /* IBM extension */
        {"𠮷", 0x20BB7}, /* outside the BMP */
        {"①", 0x2460},   /* NEC special row 13 */
        {"㈱", 0x3231},  /* NEC special row 13 */
        {"Ⅰ", 0x2160},   /* NEC special row 13 */
        {"\\", 0x5C},    /* ¥ in JIS X 0201 */
        {"~", 0x7E},     /* ‾ in JIS X 0201 */
        {"\t", 0x09},    {"é", 0xE9},
    };
    unsigned char out[64];
    uint32_t bad;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(enc(cases[i].text, out, sizeof(out), &bad), -1);
        assert_int_equal(bad, cases[i].cp);
        assert_int_equal(sjis_code(cases[i].cp), -1);
    }
    size_t at = 99;
    assert_int_equal(sjis_encode("ab髙", 5, out, sizeof(out), &bad, &at), -1);
    assert_int_equal(at, 2);
    assert_int_equal(sjis_encode("\xff", 1, out, sizeof(out), &bad, NULL), -1);
    assert_int_equal(bad, 0xFFFD);
    assert_int_equal(sjis_encode("山田", 6, out, 3, &bad, NULL), -1); /* no room */
    assert_int_equal(bad, 0);
}

/* Every entry decodes back to its code point with iconv's SHIFT_JIS, and sits in a row of
 * JIS X 0208 (1-8, 16-84). */
static void test_sjis__round_trip(void **state)
{
    (void)state;
    iconv_t cd = iconv_open("UCS-4BE", "SHIFT_JIS");
    assert_true(cd != (iconv_t)-1);
    long doubles = 0;
    static const uint32_t aliases[] = {0xFF5E, 0x2225, 0xFF0D, 0xFFE0, 0xFFE1, 0xFFE2, 0x2014};
    for (uint32_t cp = 0x80; cp < 0x10000; cp++) {
        int code = sjis_code(cp);
        if (code <= 0xFF)
            continue;
        doubles++;
        int row = sjis_row(code);
        assert_true((row >= 1 && row <= 8) || (row >= 16 && row <= 84));
        int alias = 0;
        for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
            alias |= aliases[i] == cp;
        if (alias)
            continue;
        char in[2] = {(char)(code >> 8), (char)(code & 0xFF)};
        unsigned char out[4];
        char *ip = in, *op = (char *)out;
        size_t il = 2, ol = 4;
        assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
        uint32_t back = (uint32_t)out[0] << 24 | (uint32_t)out[1] << 16 | out[2] << 8 | out[3];
        assert_int_equal(back, cp);
    }
    iconv_close(cd);
    /* JIS X 0208-1990: 6879 characters (524 non-kanji + 2965 + 3390 kanji) */
    assert_int_equal(doubles - 7, 6879);
}
