/* Unit tests for the romaji search form: readings and typed spellings meet. */
#include <string.h>

#include "mnvault/romaji.h"

static void same(const char *kana, const char *typed)
{
    char k[128], q[128];
    romaji_from_kana(kana, k, sizeof(k));
    assert_true(romaji_query(typed, q, sizeof(q)) > 0);
    if (strstr(k, q) == NULL)
        fail_msg("%s (%s) does not find %s (%s)", typed, q, kana, k);
}

static void test_romaji__hepburn_and_kunrei_meet(void **state)
{
    (void)state;
    same("シミズ", "shimizu");
    same("シミズ", "simizu");
    same("ツツミ", "tsutsumi");
    same("フジタ", "fujita");
    same("フジタ", "huzita");
    same("チョウ", "chou");
    same("チョウ", "tyo");
    same("ジュン", "jun");
    same("ジュン", "zyun");
    same("ジュン", "jyun");
    same("キョウコ", "kyoko");
    same("ヒョウホン ハナコ", "hyouhon");
    same("ケンイチ", "ken'ichi");
    same("ケンイチ", "kenichi");
    same("マッチャ", "matcha");
    same("ハットリ", "hattori");
    same("イッシキ", "isshiki");
    same("ヴァイオリン", "baiorin");
    same("ウィリアム", "wiriamu");
    same("ジェシカ", "jeshika");
    same("ティナ", "tina");
    same("コンノ", "konno");
    same("ホンマ", "honma");
}

static void test_romaji__long_vowels_fold(void **state)
{
    (void)state;
    const char *sato[] = {"sato", "satou", "satoh", "satoo", "Sato", "SATOU"};
    for (size_t i = 0; i < sizeof(sato) / sizeof(sato[0]); i++)
        same("サトウ", sato[i]);
    same("オオノ", "ohno");
    same("オオノ", "ono");
    same("オオノ", "oono");
    same("ユウキ", "yuki");
    same("ユウキ", "yuuki");
    same("ニイミ", "niimi");
    same("コーヒー", "kohi");
    same("さとう", "satou"); /* hiragana readings too */
    same("ｻﾄｳ", "sato");     /* and half-width ones */
}

static void test_romaji__cut_short_while_typing(void **state)
{
    (void)state;
    /* Every prefix of the typed name already finds it: no empty list half-way. */
    const char *typed[] = {"shimizu", "tsutsumi", "chou", "jun", "jyun", "matcha", "satoh"};
    const char *kana[] = {"シミズ", "ツツミ", "チョウ", "ジュン", "ジュン", "マッチャ", "サトウ"};
    for (size_t t = 0; t < sizeof(typed) / sizeof(typed[0]); t++) {
        char prefix[32];
        for (size_t n = 1; n <= strlen(typed[t]); n++) {
            memcpy(prefix, typed[t], n);
            prefix[n] = '\0';
            same(kana[t], prefix);
        }
    }
}

static void test_romaji__what_is_not_romaji(void **state)
{
    (void)state;
    char q[64] = "x";
    assert_int_equal(romaji_query("e0001", q, sizeof(q)), 0);
    assert_string_equal(q, "");
    assert_int_equal(romaji_query("山田", q, sizeof(q)), 0);
    assert_int_equal(romaji_query("", q, sizeof(q)), 0);
    assert_int_equal(romaji_query("'-", q, sizeof(q)), 0);
    /* Different names stay apart. */
    char k[64];
    romaji_from_kana("タナカ", k, sizeof(k));
    assert_int_equal(romaji_query("suzuki", q, sizeof(q)), 6);
    assert_null(strstr(k, q));
    /* A small buffer is never overrun and still ends in NUL. */
    char tiny[4];
    romaji_from_kana("ヒョウホンハナコ", tiny, sizeof(tiny));
    assert_true(strlen(tiny) < sizeof(tiny));
    assert_int_equal(romaji_query("shimizu", tiny, sizeof(tiny)), 0);
}
