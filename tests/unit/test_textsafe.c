/* Unit tests for textsafe: every kind of dangerous character is escaped, everything else is
 * kept, output is cut on piece boundaries and the needed length is right. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/textsafe.h"
#include "mnvault/utf8.h"

static const char *esc(const char *s)
{
    static char out[256];
    size_t need = textsafe_escape(out, sizeof(out), s);
    assert_int_equal(need, strlen(out));
    return out;
}

static void test_textsafe__empty(void **state)
{
    (void)state;
    char out[4] = "xyz";
    assert_int_equal(textsafe_escape(out, sizeof(out), ""), 0);
    assert_string_equal(out, "");
    assert_true(textsafe_clean("", 0));
    size_t pos = 0;
    char piece[TEXTSAFE_PIECE_SIZE];
    int escaped = 1;
    assert_int_equal(textsafe_piece("", 0, &pos, 0, piece, &escaped), 0);
    assert_int_equal(escaped, 0);
    assert_string_equal(piece, "");
}

static void test_textsafe__plain_text_kept(void **state)
{
    (void)state;
    const char *s = "山田 太郎 ﾔﾏﾀﾞ report-2026.xlsx １２３ 😀";
    assert_string_equal(esc(s), s);
    assert_true(textsafe_clean(s, strlen(s)));
}

static void test_textsafe__c0_and_del(void **state)
{
    (void)state;
    assert_string_equal(esc("a\nb"), "a\\x0Ab");
    assert_string_equal(esc("\x1b[31mred"), "\\x1B[31mred");
    assert_string_equal(esc("tab\there\r"), "tab\\x09here\\x0D");
    assert_string_equal(esc("del\x7f"), "del\\x7F");
    assert_false(textsafe_clean("a\nb", 3));
}

static void test_textsafe__c1_controls(void **state)
{
    (void)state;
    assert_string_equal(esc("x\xc2\x9b"
                            "2Jy"),
                        "x\\u009B2Jy"); /* CSI */
    assert_string_equal(esc("\xc2\x9d"
                            "0;t\xc2\x9c"),
                        "\\u009D0;t\\u009C"); /* OSC, ST */
    assert_string_equal(esc("\xc2\x80\xc2\x85"), "\\u0080\\u0085");
    assert_string_equal(esc("\xc2\xa0"), "\xc2\xa0"); /* U+00A0 is text */
}

static void test_textsafe__bidi_controls(void **state)
{
    (void)state;
    /* "invoice\u202Excod.exe" shows as "invoiceexe.docx" without the escape. */
    assert_string_equal(esc("invoice\xe2\x80\xae"
                            "xcod.exe"),
                        "invoice\\u202Excod.exe");
    static const unsigned bidi[] = {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D,
                                    0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029};
    for (size_t i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++) {
        char in[8] = {0}, want[8];
        int n = utf8_encode(bidi[i], in);
        assert_true(n > 0);
        snprintf(want, sizeof(want), "\\u%04X", bidi[i]);
        assert_string_equal(esc(in), want);
        assert_false(textsafe_clean(in, (size_t)n));
    }
    /* Neighbours of the ranges are ordinary text. */
    assert_string_equal(esc("\xe2\x80\xa9\xe2\x80\xaf"), "\\u2029\xe2\x80\xaf"); /* U+202F */
    assert_string_equal(esc("\xe2\x81\xa5"), "\xe2\x81\xa5");                    /* U+2065 */
}

static void test_textsafe__invalid_utf8(void **state)
{
    (void)state;
    assert_string_equal(esc("\xff"), "\\xFF");
    assert_string_equal(esc("a\x9b"
                            "b"),
                        "a\\x9Bb");                              /* a lone byte, not U+009B */
    assert_string_equal(esc("\xc0\xaf"), "\\xC0\\xAF");          /* overlong "/" */
    assert_string_equal(esc("\xed\xa0\x80"), "\\xED\\xA0\\x80"); /* a surrogate */
    assert_string_equal(esc("\xe5\xb1"), "\\xE5\\xB1");          /* cut short */
    assert_false(textsafe_clean("\xff", 1));
}

static void test_textsafe__backslash(void **state)
{
    (void)state;
    /* A typed "\x1B" and a real ESC must look different. */
    assert_string_equal(esc("\\x1B"), "\\\\x1B");
    assert_string_equal(esc("\x1b"), "\\x1B");
    char out[32];
    textsafe_escape_n(out, sizeof(out), "a\\b\x1b", 4, TEXTSAFE_KEEP_BACKSLASH);
    assert_string_equal(out, "a\\b\\x1B");
    assert_false(textsafe_clean("a\\b", 3));
}

static void test_textsafe__cut_on_piece_boundary(void **state)
{
    (void)state;
    char out[8];
    /* "山" is 3 bytes, the escape 4: 7 bytes of room take "山" and the escape, not more. */
    size_t need = textsafe_escape(out, sizeof(out), "山\nxyz");
    assert_int_equal(need, 3 + 4 + 3);
    assert_string_equal(out, "山\\x0A");
    need = textsafe_escape(out, 6, "山\nxyz");
    assert_string_equal(out, "山"); /* the escape does not fit whole: left out */
    need = textsafe_escape(out, 3, "山");
    assert_string_equal(out, "");
    assert_int_equal(need, 3);
    /* Nothing is written past size, and size 0 writes nothing. */
    char guard[4] = {'A', 'B', 'C', 'D'};
    assert_int_equal(textsafe_escape_n(guard, 0, "xyz", 3, 0), 3);
    assert_int_equal(guard[0], 'A');
}

static void test_textsafe__pieces(void **state)
{
    (void)state;
    const char *s = "a\xe2\x80\xae\xff山";
    size_t len = strlen(s), pos = 0;
    char piece[TEXTSAFE_PIECE_SIZE];
    int escaped;
    assert_int_equal(textsafe_piece(s, len, &pos, 0, piece, &escaped), 1);
    assert_string_equal(piece, "a");
    assert_int_equal(escaped, 0);
    assert_int_equal(textsafe_piece(s, len, &pos, 0, piece, &escaped), 6);
    assert_string_equal(piece, "\\u202E");
    assert_int_equal(escaped, 1);
    assert_int_equal(pos, 4);
    assert_int_equal(textsafe_piece(s, len, &pos, 0, piece, &escaped), 4);
    assert_string_equal(piece, "\\xFF");
    assert_int_equal(pos, 5);
    assert_int_equal(textsafe_piece(s, len, &pos, 0, piece, &escaped), 3);
    assert_string_equal(piece, "山");
    assert_int_equal(pos, len);
}

static void test_textsafe__dup_and_fputs(void **state)
{
    (void)state;
    char *d = textsafe_dup("name\xc2\x9b\xe2\x80\xae.txt");
    assert_non_null(d);
    assert_string_equal(d, "name\\u009B\\u202E.txt");
    free(d);

    char buf[64] = {0};
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    assert_non_null(f);
    assert_int_equal(textsafe_fputs("x\ny\\", 0, f), 0);
    assert_int_equal(textsafe_fputs("\\", TEXTSAFE_KEEP_BACKSLASH, f), 0);
    fclose(f);
    assert_string_equal(buf, "x\\x0Ay\\\\\\");
}

/* The output never holds a byte below 0x20, DEL, a C1 or bidi control, or invalid UTF-8,
 * whatever the input: every 1- and 2-byte input, and every code point. */
static void check_safe(const char *out)
{
    size_t n = strlen(out), i = 0;
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(out + i, n - i, &cp);
        assert_true(k > 0);
        assert_true(cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F));
        assert_false(cp == 0x202E || cp == 0x2066 || cp == 0x200F || cp == 0x2028);
        i += (size_t)k;
    }
}

static void test_textsafe__output_always_safe(void **state)
{
    (void)state;
    char in[3] = {0}, out[64];
    for (unsigned a = 1; a < 256; a++) {
        in[0] = (char)a;
        in[1] = 0;
        textsafe_escape(out, sizeof(out), in);
        check_safe(out);
        for (unsigned b = 1; b < 256; b++) {
            in[1] = (char)b;
            textsafe_escape(out, sizeof(out), in);
            check_safe(out);
        }
    }
    for (uint32_t cp = 1; cp <= 0x10FFFF; cp += (cp < 0x3000 ? 1 : 97)) {
        char enc[5] = {0};
        if (utf8_encode(cp, enc) <= 0)
            continue;
        textsafe_escape(out, sizeof(out), enc);
        check_safe(out);
    }
}
