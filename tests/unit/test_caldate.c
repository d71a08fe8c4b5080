/*
 * Calendar day numbers and periods counted as the Civil Code counts them (民法第143条).
 * Day numbers are checked against the C library's own calendar (timegm) for every day of
 * 1900-2200, so the arithmetic is tested by an independent implementation.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mnvault/caldate.h"

static int32_t d(const char *iso)
{
    int32_t day;
    assert_int_equal(caldate_parse(iso, &day), 0);
    return day;
}

static const char *iso(int32_t day)
{
    static char buf[4][CALDATE_ISO_SIZE];
    static int k;
    k = (k + 1) % 4;
    return caldate_format(day, buf[k]);
}

static void test_caldate__parse_edges(void **state)
{
    (void)state;
    int32_t day;
    assert_int_equal(caldate_parse("1970-01-01", &day), 0);
    assert_int_equal(day, 0);
    assert_int_equal(caldate_parse("2024-02-29", &day), 0);
    assert_int_equal(caldate_parse("2023-02-29", &day), -1);
    assert_int_equal(day, CALDATE_NONE);
    assert_int_equal(caldate_parse("2025-4-01", &day), -1);
    assert_int_equal(caldate_parse("2025-04-01x", &day), -1);
    assert_int_equal(caldate_parse("", &day), -1);
    assert_int_equal(caldate_parse("0999-01-01", &day), -1);
    assert_int_equal(caldate_parse("2025-13-01", &day), -1);
    assert_int_equal(caldate_parse("2025-04-31", &day), -1);
    assert_int_equal(caldate_parse("2025-0a-01", &day), -1);
    assert_string_equal(iso(CALDATE_NONE), "");
    assert_string_equal(iso(d("1900-03-01") - 1), "1900-02-28");
    assert_string_equal(iso(d("2000-03-01") - 1), "2000-02-29");
    assert_int_equal(caldate_year(d("1993-12-31")), 1993);
}

static void test_caldate__agrees_with_libc(void **state)
{
    (void)state;
    /* Every day from 1900 to 2200 against timegm(). */
    for (int32_t day = d("1900-01-01"); day <= d("2200-12-31"); day++) {
        time_t t = (time_t)day * 86400;
        struct tm tm;
        assert_non_null(gmtime_r(&t, &tm));
        int y, m, dd;
        caldate_ymd(day, &y, &m, &dd);
        if (y != tm.tm_year + 1900 || m != tm.tm_mon + 1 || dd != tm.tm_mday)
            fail_msg("day %d: %04d-%02d-%02d", (int)day, y, m, dd);
        assert_int_equal(caldate_from_ymd(y, m, dd), day);
    }
}

static void test_caldate__periods_civil_code(void **state)
{
    (void)state;
    /* The reference's worked dates: leave on 2025-03-31, count from the next day. */
    assert_string_equal(iso(caldate_period_end(d("2025-04-01"), 24)), "2027-03-31");
    assert_string_equal(iso(caldate_period_end(d("2025-04-01"), 36)), "2028-03-31");
    assert_string_equal(iso(caldate_period_end(d("2025-04-01"), 48)), "2029-03-31");
    /* 7 years from the day after 10 January 2026. */
    assert_string_equal(iso(caldate_period_end(d("2026-01-11"), 84)), "2033-01-10");
    /* No corresponding day in the last month: its last day. */
    assert_string_equal(iso(caldate_period_end(d("2024-02-29"), 24)), "2026-02-28");
    assert_string_equal(iso(caldate_period_end(d("2024-02-29"), 48)), "2028-02-28");
    assert_string_equal(iso(caldate_period_end(d("2025-03-31"), 1)), "2025-04-30");
    assert_string_equal(iso(caldate_period_end(d("2025-01-31"), 1)), "2025-02-28");
    assert_string_equal(iso(caldate_period_end(d("2024-01-31"), 1)), "2024-02-29");
    assert_string_equal(iso(caldate_period_end(d("2025-04-01"), 1)), "2025-04-30");
    assert_string_equal(iso(caldate_period_end(d("2025-12-15"), 1)), "2026-01-14");
    /* An empty period ends the day before it starts. */
    assert_string_equal(iso(caldate_period_end(d("2026-02-01"), 0)), "2026-01-31");
    assert_string_equal(iso(caldate_add_months(d("2024-01-31"), 1)), "2024-02-29");
    assert_string_equal(iso(caldate_add_months(d("2024-11-30"), 3)), "2025-02-28");
}

static void test_caldate__valid(void **state)
{
    (void)state;
    assert_true(caldate_valid(2024, 2, 29));
    assert_false(caldate_valid(2100, 2, 29));
    assert_true(caldate_valid(2000, 2, 29));
    assert_false(caldate_valid(2025, 0, 1));
    assert_false(caldate_valid(2025, 1, 0));
    assert_int_equal(caldate_days_in_month(2025, 13), 0);
}
