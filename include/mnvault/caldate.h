/* caldate.h (base layer): calendar dates as whole day numbers, and periods counted the way Japanese
 * law counts them.
 *
 * A date is an int32_t: days since 1970-01-01 in the proleptic Gregorian calendar, with no
 * time of day and no time zone, so arithmetic on retention dates never meets a daylight
 * saving shift or the process's TZ. "Today" comes from clock.h.
 *
 * Periods (民法第140条・第143条): a period of N years or months that begins on a start day
 * (the first day counted) ends on the day before the day of the final month that
 * corresponds to the start day; when the final month has no such day (31 April, 29
 * February in a common year) it ends on that month's last day.
 */
#ifndef MNVAULT_CALDATE_H
#define MNVAULT_CALDATE_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"

/* No date (an event that has not happened). Compares below every real date. */
#define CALDATE_NONE INT32_MIN

/* The size of the ISO form "YYYY-MM-DD" with its NUL. */
#define CALDATE_ISO_SIZE 11

/* caldate_from_ymd: the day number of year y, month m (1-12), day d (1-31); no checks. */
int32_t caldate_from_ymd(int y, int m, int d);

/* caldate_ymd: the year, month and day of a day number. */
void caldate_ymd(int32_t day, int *y, int *m, int *d) MNV_NONNULL(2, 3, 4);

/* caldate_valid: 1 when y-m-d exists (years 1-9999), else 0. */
int caldate_valid(int y, int m, int d);

/* caldate_days_in_month: 28-31 for month m (1-12) of year y. */
int caldate_days_in_month(int y, int m);

/*
 * caldate_parse: "YYYY-MM-DD" (exactly; a real date, years 1000-9999) into *day.
 * Returns 0, or -1 (then *day is CALDATE_NONE).
 */
MNV_MUST_CHECK int caldate_parse(const char *iso, int32_t *day) MNV_NONNULL(1, 2);

/*
 * caldate_format: "YYYY-MM-DD" into out (CALDATE_ISO_SIZE bytes); CALDATE_NONE gives "".
 * Returns out.
 */
char *caldate_format(int32_t day, char out[CALDATE_ISO_SIZE]) MNV_NONNULL(2);

/* caldate_year: the year of a day number. */
int caldate_year(int32_t day);

/*
 * caldate_period_end: the last day of a period of `months` months (0 or more; a year is
 * 12) whose first counted day is start, as described above. With months = 0 the period is
 * empty and the result is start - 1.
 */
int32_t caldate_period_end(int32_t start, int months);

/* caldate_add_months: the same day `months` months later (clamped to the month's end). */
int32_t caldate_add_months(int32_t day, int months);

/* caldate_from_time: the local calendar date of a Unix time (the process's time zone). */
int32_t caldate_from_time(long long t);

#endif
