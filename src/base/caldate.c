#include "mnvault/caldate.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/*
 * Day numbers from and to the civil calendar: the algorithms of H. Hinnant's
 * "chrono-Compatible Low-Level Date Algorithms" (eras of 400 years, March-based years, so
 * that the leap day is the last day of a year).
 */
int32_t caldate_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

void caldate_ymd(int32_t day, int *y, int *m, int *d)
{
    const int z = day + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)yoe + era * 400 + (*m <= 2);
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int caldate_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

int caldate_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= caldate_days_in_month(y, m);
}

int caldate_parse(const char *iso, int32_t *day)
{
    *day = CALDATE_NONE;
    if (strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-')
        return -1;
    int f[3] = {0, 0, 0};
    static const int at[3] = {0, 5, 8}, len[3] = {4, 2, 2};
    for (int i = 0; i < 3; i++) {
        for (int k = 0; k < len[i]; k++) {
            char c = iso[at[i] + k];
            if (c < '0' || c > '9')
                return -1;
            f[i] = f[i] * 10 + (c - '0');
        }
    }
    if (f[0] < 1000 || !caldate_valid(f[0], f[1], f[2]))
        return -1;
    *day = caldate_from_ymd(f[0], f[1], f[2]);
    return 0;
}

char *caldate_format(int32_t day, char out[CALDATE_ISO_SIZE])
{
    if (day == CALDATE_NONE) {
        out[0] = '\0';
        return out;
    }
    int y, m, d;
    caldate_ymd(day, &y, &m, &d);
    if (y < 0 || y > 9999) {
        out[0] = '\0';
        return out;
    }
    snprintf(out, CALDATE_ISO_SIZE, "%04d-%02d-%02d", y, m, d);
    return out;
}

int caldate_year(int32_t day)
{
    int y, m, d;
    caldate_ymd(day, &y, &m, &d);
    return y;
}

int32_t caldate_add_months(int32_t day, int months)
{
    int y, m, d;
    caldate_ymd(day, &y, &m, &d);
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    int last = caldate_days_in_month(y, m);
    return caldate_from_ymd(y, m, d > last ? last : d);
}

int32_t caldate_period_end(int32_t start, int months)
{
    if (months <= 0)
        return start - 1;
    int y, m, d;
    caldate_ymd(start, &y, &m, &d);
    int total = y * 12 + (m - 1) + months;
    int fy = total / 12, fm = total % 12 + 1;
    /* 民法第143条第2項: the day before the corresponding day; with no corresponding day,
     * the last day of the final month. */
    if (d > caldate_days_in_month(fy, fm))
        return caldate_from_ymd(fy, fm, caldate_days_in_month(fy, fm));
    return caldate_from_ymd(fy, fm, d) - 1;
}

int32_t caldate_from_time(long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return CALDATE_NONE;
    return caldate_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
