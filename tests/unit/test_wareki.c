/* Unit tests for era dates. */
#include <string.h>

#include "mnvault/wareki.h"

static void test_wareki__format(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(wareki_format(b, sizeof(b), "1985-06-15", 0), "昭和60年6月15日");
    assert_string_equal(wareki_format(b, sizeof(b), "2019-05-01", 0), "令和元年5月1日");
    assert_string_equal(wareki_format(b, sizeof(b), "2019-04-30", 0), "平成31年4月30日");
    assert_string_equal(wareki_format(b, sizeof(b), "1989-01-07", 1), "昭和64年");
    assert_string_equal(wareki_format(b, sizeof(b), "1989-01-08", 1), "平成元年");
    assert_string_equal(wareki_format(b, sizeof(b), "2025-04-01", 0), "令和7年4月1日");
    assert_null(wareki_format(b, sizeof(b), "1800-01-01", 0));
    assert_null(wareki_format(b, sizeof(b), "2025-02-30", 0));
    assert_null(wareki_format(b, sizeof(b), "", 0));
}

static void test_wareki__parse(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"2025-04-01", "2025-04-01"},
        {"2025/4/1", "2025-04-01"},
        {"2025.4.1", "2025-04-01"},
        {"令和7年4月1日", "2025-04-01"},
        {"令和元年5月1日", "2019-05-01"},
        {"R7.4.1", "2025-04-01"},
        {"r7/4/1", "2025-04-01"},
        {"H31-04-30", "2019-04-30"},
        {"S60.6.15", "1985-06-15"},
        {"２０２５－０４－０１", "2025-04-01"},
        {"Ｒ７．４．１", "2025-04-01"},
        {"平成 31年 4月 30日", "2019-04-30"},
        {"２０２５／４／１", "2025-04-01"},
        {"2025　4　1", "2025-04-01"},
        {"令和７年　４月　１日", "2025-04-01"},
        {" 2025-04-01 ", "2025-04-01"},
        {"2025 4 1", "2025-04-01"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[11];
        assert_int_equal(wareki_to_iso(cases[i][0], out), 0);
        assert_string_equal(out, cases[i][1]);
    }
}

static void test_wareki__refuse(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",        "2025-02-30", "平成31年5月1日", "R0.1.1",
        "R7.13.1", "25-04-01",   "2025-04-01-02",  "X7.4.1",
        "令和",    "2025",       "1867-01-01",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char out[11] = "x";
        assert_true(wareki_to_iso(bad[i], out) < 0);
        assert_string_equal(out, "");
    }
}

/* A date that does not exist is told apart from text that is not a date. */
static void test_wareki__no_such_day(void **state)
{
    (void)state;
    static const char *const none[] = {"2025-02-30", "2025-02-29",     "平成31年5月1日", "R0.1.1",
                                       "R7.13.1",    "令和7年4月31日", "2100-02-29"};
    static const char *const nodate[] = {"",     "25-04-01", "2025-04-01-02", "X7.4.1",
                                         "令和", "2025",     "あした"};
    char out[11];
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        if (wareki_to_iso(none[i], out) != -2)
            fail_msg("%s: not told as no such day", none[i]);
        assert_int_equal(wareki_parse(none[i], out), MNV_ERR_FIELD_NO_SUCH_DAY);
    }
    for (size_t i = 0; i < sizeof(nodate) / sizeof(nodate[0]); i++)
        assert_int_equal(wareki_parse(nodate[i], out), MNV_ERR_FIELD_DATE);
    assert_int_equal(wareki_parse("2024-02-29", out), MNV_OK);
}

static void test_wareki__split(void **state)
{
    (void)state;
    struct wareki_date w;
    assert_int_equal(wareki_split("1985-06-15", &w), 0);
    assert_int_equal(w.letter, 'S');
    assert_string_equal(w.era, "昭和");
    assert_int_equal(w.year, 60);
    assert_int_equal(w.month, 6);
    assert_int_equal(w.day, 15);
    assert_int_equal(wareki_split("2019-05-01", &w), 0);
    assert_int_equal(w.letter, 'R');
    assert_int_equal(w.year, 1);
    assert_int_equal(wareki_split("2019-04-30", &w), 0);
    assert_int_equal(w.letter, 'H');
    assert_int_equal(w.year, 31);
    assert_int_equal(wareki_split("2025-12-31", &w), 0);
    assert_int_equal(w.year, 7);
    assert_int_equal(wareki_split("1912-07-29", &w), 0);
    assert_int_equal(w.letter, 'M');
    assert_int_equal(wareki_split("2025-02-30", &w), -1);
    assert_int_equal(w.year, 0);
    assert_int_equal(wareki_split("1800-01-01", &w), -1);
    assert_int_equal(wareki_split("", &w), -1);
}
