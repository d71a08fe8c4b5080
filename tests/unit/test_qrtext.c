/* Unit tests for QR codes drawn as text (decoding is tested in tests/cli/qrtext.sh). */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/qrtext.h"
#include "mnvault/utf8.h"

static int group_setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

/* Cells of a line, each one of the four allowed characters; -1 otherwise. */
static int cells(const char *line)
{
    int n = 0;
    size_t len = strlen(line);
    for (size_t i = 0; i < len; n++) {
        uint32_t cp;
        int k = utf8_decode(line + i, len - i, &cp);
        if (k < 0 || (cp != ' ' && cp != 0x2588 && cp != 0x2580 && cp != 0x2584))
            return -1;
        i += (size_t)k;
    }
    return n;
}

static void test_qrtext__shape(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "x",
        "otpauth://totp/ACME:tanaka?secret=AAAQEAYEAUDAOCAJBIFQYDIOB4IBCEQT&issuer=ACME"
        "&algorithm=SHA1&digits=6&period=30",
        "個人番号",
    };
    for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
        struct qrtext q;
        assert_int_equal(qrtext_new(texts[t], &q), MNV_OK);
        /* A symbol is 17 + 4v modules (v = 1..40), plus 4 on each side. */
        int modules = q.width - 8;
        assert_true(modules >= 21 && modules <= 177 && (modules - 17) % 4 == 0);
        assert_int_equal(q.height, (q.width + 1) / 2);
        for (int y = 0; y < q.height; y++) {
            assert_int_equal(cells(q.lines[y]), q.width);
            /* 4 light columns left and right (the last line's lower half lies outside the
             * picture and counts as light, so it is a full block too). */
            static const char quiet[] = "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88";
            size_t len = strlen(q.lines[y]);
            assert_memory_equal(q.lines[y], quiet, 12);
            assert_memory_equal(q.lines[y] + len - 12, quiet, 12);
        }
        for (int y = 0; y < q.height; y += y == 1 ? q.height - 3 : 1)
            for (int x = 0; x < q.width; x++)
                assert_memory_equal(q.lines[y] + 3 * x, "\xe2\x96\x88", 3);
        qrtext_free(&q);
        assert_null(q.lines);
        assert_int_equal(q.width, 0);
        assert_int_equal(q.height, 0);
    }
}

static void test_qrtext__otpauth_size(void **state)
{
    (void)state;
    /* What the enrolment screen has to fit: a realistic URI with a 32-character secret. */
    struct qrtext q;
    assert_int_equal(qrtext_new("otpauth://totp/ACME%20HR:yamada.taro?secret="
                                "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=ACME%20HR"
                                "&algorithm=SHA1&digits=6&period=30",
                                &q),
                     MNV_OK);
    assert_true(q.width <= 57);
    assert_true(q.height <= 29);
    qrtext_free(&q);
}

static void test_qrtext__refusals(void **state)
{
    (void)state;
    struct qrtext q;
    assert_int_equal(qrtext_new("", &q), MNV_ERR_INVALID);
    assert_null(q.lines);
    char *big = malloc(5001);
    assert_non_null(big);
    memset(big, 'a', 5000);
    big[5000] = '\0';
    assert_int_equal(qrtext_new(big, &q), MNV_ERR_TOO_LONG);
    assert_null(q.lines);
    free(big);
    qrtext_free(&q); /* holding nothing is fine */
    qrtext_free(NULL);
}

static void test_qrtext__deterministic(void **state)
{
    (void)state;
    struct qrtext a, b, c;
    assert_int_equal(qrtext_new("same text", &a), MNV_OK);
    assert_int_equal(qrtext_new("same text", &b), MNV_OK);
    assert_int_equal(qrtext_new("other text", &c), MNV_OK);
    assert_int_equal(a.height, b.height);
    int differs = 0;
    for (int y = 0; y < a.height; y++) {
        assert_string_equal(a.lines[y], b.lines[y]);
        differs |= strcmp(a.lines[y], c.lines[y]) != 0;
    }
    assert_true(differs);
    qrtext_free(&a);
    qrtext_free(&b);
    qrtext_free(&c);
}

static void test_qrtext__fit(void **state)
{
    (void)state;
    /* The enrolment screen at 80x24: a body of 20 lines beside a column of words. */
    const char *uri = "otpauth://totp/mnvault:clerk?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
                      "&issuer=mnvault";
    struct qrtext q;
    assert_int_equal(qrtext_new_fit(uri, 41, 20, &q), MNV_OK);
    assert_true(q.width <= 41);
    assert_true(q.height <= 20);
    for (int y = 0; y < q.height; y++)
        assert_int_equal(cells(q.lines[y]), q.width);
    qrtext_free(&q);
    /* room enough: the standard quiet zone, the same picture as qrtext_new() */
    struct qrtext full;
    assert_int_equal(qrtext_new(uri, &full), MNV_OK);
    assert_int_equal(qrtext_new_fit(uri, 200, 200, &q), MNV_OK);
    assert_int_equal(q.width, full.width);
    assert_string_equal(q.lines[3], full.lines[3]);
    qrtext_free(&q);
    qrtext_free(&full);
    /* too small for any: refused, nothing held */
    assert_int_equal(qrtext_new_fit(uri, 20, 10, &q), MNV_ERR_TOO_LONG);
    assert_null(q.lines);
}
