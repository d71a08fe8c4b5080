#include "mnvault/clock.h"

#include <stdio.h>
#include <string.h>

#include "mnvault/caldate.h"
#include "mnvault/testhook.h"

time_t clock_now(void)
{
    time_t real = time(NULL), fixed;
    if (testhook_now(real, &fixed))
        return fixed;
    return real;
}

int32_t clock_today(void)
{
    return caldate_from_time((long long)clock_now());
}

long long clock_monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *clock_format_local(char *buf, size_t size, time_t t)
{
    struct tm tm;
    if (!localtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M", &tm) == 0)
        snprintf(buf, size, "?");
    return buf;
}

char *clock_format_iso(char *buf, size_t size, time_t t)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, size, "?");
    return buf;
}

int clock_parse_date(const char *text, time_t *out)
{
    int y, m, d;
    char tail;
    if (strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return -1;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = 0;
    tm.tm_isdst = -1;
    time_t t = mktime(&tm);
    /* mktime normalises 2025-02-30 into March; a real date survives the round trip. */
    if (t == (time_t)-1 || tm.tm_year != y - 1900 || tm.tm_mon != m - 1 || tm.tm_mday != d)
        return -1;
    *out = t;
    return 0;
}
