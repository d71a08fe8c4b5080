/* Unit tests for clock.h: the organisation's time zone, whatever TZ and TZDIR say. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mnvault/clock.h"

static void test_clock__zone_names(void **state)
{
    (void)state;
    assert_true(clock_zone_valid("Asia/Tokyo"));
    assert_true(clock_zone_valid("UTC"));
    assert_false(clock_zone_valid(""));
    assert_false(clock_zone_valid("/etc/passwd"));
    assert_false(clock_zone_valid("../../etc/passwd"));
    assert_false(clock_zone_valid("Asia/../Asia/Tokyo"));
    assert_false(clock_zone_valid("Nowhere/Atlantis"));
    assert_false(clock_zone_valid("Asia/Tokyo;rm"));
}

static void test_clock__local_in_ignores_tz_and_tzdir(void **state)
{
    (void)state;
    setenv("TZ", "UTC-8", 1);
    setenv("TZDIR", "/nonexistent", 1);
    struct tm tm;
    /* 2026-12-01 12:00 UTC is 21:00 in Tokyo, whatever this process's TZ says */
    assert_int_equal(clock_local_in("Asia/Tokyo", (time_t)1796126400, &tm), 0);
    assert_int_equal(tm.tm_hour, 21);
    assert_int_equal(tm.tm_mday, 1);
    assert_int_equal(tm.tm_wday, 2);            /* a Tuesday */
    assert_string_equal(getenv("TZ"), "UTC-8"); /* put back */
    unsetenv("TZ");
    assert_int_equal(clock_local_in("UTC", (time_t)1796126400, &tm), 0);
    assert_int_equal(tm.tm_hour, 12);
    assert_null(getenv("TZ"));
    assert_int_equal(clock_local_in("Nowhere/Atlantis", 0, &tm), -1);
    unsetenv("TZDIR");
}
