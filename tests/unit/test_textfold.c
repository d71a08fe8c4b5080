/* Unit tests for search folding. */
#include <string.h>

#include "mnvault/textfold.h"

static void check(const char *in, const char *want)
{
    char out[256];
    size_t n = textfold(in, strlen(in), out, sizeof(out));
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void test_textfold__kana_forms_meet(void **state)
{
    (void)state;
    check("やまだ", "ヤマダ");
    check("ヤマダ", "ヤマダ");
    check("\xef\xbe\x94\xef\xbe\x8f\xef\xbe\x80\xef\xbe\x9e", "ヤマダ"); /* ﾔﾏﾀﾞ */
    check("ﾊﾟﾝ", "パン");
    check("ｳﾞｧ", "ヴァ");
    check("タ\xe3\x82\x99", "ダ"); /* combining voiced mark */
    check("ｼｮｳｺﾞ ﾀﾛｳ", "ショウゴタロウ");
    check("ｰ", "ー");
}

static void test_textfold__latin_and_spaces(void **state)
{
    (void)state;
    check("Ｅ０００１２３", "e000123");
    check("E000123", "e000123");
    check("山田　太郎", "山田太郎");
    check("山田 太郎", "山田太郎");
    check("ジョン・スミス", "ジョンスミス");
    check("Smith John", "smithjohn");
}

static void test_textfold__marks_that_cannot_join(void **state)
{
    (void)state;
    check("ﾞ", "\xef\xbe\x9e");     /* a lone mark stays */
    check("アﾞ", "ア\xef\xbe\x9e"); /* ア has no voiced form */
    check("ﾀﾞﾞ", "ダ\xef\xbe\x9e");
}

static void test_textfold__edges(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(textfold(NULL, 0, out, sizeof(out)), 0);
    assert_string_equal(out, "");
    assert_int_equal(textfold("ab\xff"
                              "c",
                              4, out, sizeof(out)),
                     3);
    assert_string_equal(out, "abc");
    /* Too small: a valid prefix, and the length that was needed. */
    char tiny[5];
    assert_int_equal(textfold("やまだ", strlen("やまだ"), tiny, sizeof(tiny)), 9);
    assert_string_equal(tiny, "ヤ");
    /* Never longer than the input. */
    const char *s = "ﾔﾏﾀﾞ ﾀﾛｳ やまだ ＡＢＣ";
    char big[64];
    assert_true(textfold(s, strlen(s), big, sizeof(big)) <= strlen(s));
}
