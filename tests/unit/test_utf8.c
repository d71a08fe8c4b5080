/* Unit tests for the UTF-8 helpers. */
#include <string.h>

#include "mnvault/utf8.h"

static void test_utf8__decode_valid(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(utf8_decode("\xe6\xbc\xa2", 3, &cp), 3);
    assert_int_equal(cp, 0x6F22);
    assert_int_equal(utf8_decode("\xf0\xa0\xae\xb7", 4, &cp), 4); /* 𠮷 */
    assert_int_equal(cp, 0x20BB7);
}

static void test_utf8__decode_invalid(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(utf8_decode("", 0, &cp), -1);
    assert_int_equal(utf8_decode(NULL, 3, &cp), -1);
    assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), -1);         /* overlong */
    assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), -1);     /* surrogate */
    assert_int_equal(utf8_decode("\xe6\xbc", 2, &cp), -1);         /* truncated */
    assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), -1); /* > U+10FFFF */
    assert_int_equal(utf8_decode("\x80", 1, &cp), -1);
}

static void test_utf8__encode_round_trip(void **state)
{
    (void)state;
    static const uint32_t cps[] = {0x24, 0xA2, 0x20AC, 0x3042, 0xFF10, 0x20BB7, 0x10FFFF};
    for (size_t i = 0; i < sizeof(cps) / sizeof(*cps); i++) {
        char b[4];
        uint32_t back;
        int n = utf8_encode(cps[i], b);
        assert_true(n > 0);
        assert_int_equal(utf8_decode(b, (size_t)n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    char b[4];
    assert_int_equal(utf8_encode(0xD800, b), 0);
    assert_int_equal(utf8_encode(0x110000, b), 0);
}

static void test_utf8__valid(void **state)
{
    (void)state;
    assert_true(utf8_valid("山田 太郎", strlen("山田 太郎")));
    assert_false(utf8_valid("ab\xff", 3));
    assert_true(utf8_valid("", 0));
}
