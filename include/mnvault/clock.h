/* clock.h (base layer): the one source of "now".
 *
 * Dates that decide things (access windows, lockout delays, retention) all come from here,
 * so a test build can fix the time (see testhook.h); the production build always uses the
 * system clock.
 */
#ifndef MNVAULT_CLOCK_H
#define MNVAULT_CLOCK_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mnvault/attr.h"

/* clock_now: seconds since the epoch (UTC). */
time_t clock_now(void);

/*
 * clock_today: today's calendar date (caldate.h day number) in local time, from
 * clock_now(), so that a test build's fixed time fixes "today" too. Retention and
 * disposal decide with it.
 */
int32_t clock_today(void);

/* clock_monotonic_ms: milliseconds from an arbitrary start, for timers and benchmarks. */
long long clock_monotonic_ms(void);

/*
 * clock_format_local: "YYYY-MM-DD HH:MM" in local time into buf (at least 17 bytes).
 * Returns buf.
 */
char *clock_format_local(char *buf, size_t size, time_t t) MNV_NONNULL(1);

/*
 * clock_format_iso: "YYYY-MM-DDTHH:MM:SSZ" (UTC) into buf (at least 21 bytes). Returns buf.
 */
char *clock_format_iso(char *buf, size_t size, time_t t) MNV_NONNULL(1);

/*
 * clock_parse_date: "YYYY-MM-DD" into a local-midnight time_t. Returns 0, or -1 when the
 * text is not a real calendar date.
 */
MNV_MUST_CHECK int clock_parse_date(const char *text, time_t *out) MNV_NONNULL(1, 2);

#define CLOCK_ZONE_MAX 64 /* bytes of a time zone name such as "Asia/Tokyo" */

/*
 * clock_zone_valid: 1 when zone names a time zone of the system's tz database
 * (/usr/share/zoneinfo/ZONE, a TZif file; letters, digits, "/", "_", "+", "-", no "..").
 */
MNV_MUST_CHECK int clock_zone_valid(const char *zone) MNV_NONNULL(1);

/*
 * clock_local_in: t as the calendar time of the named zone, whatever TZ and TZDIR say
 * (the organisation's time zone decides access windows, not the workstation's settings).
 * Returns 0, or -1 when zone is not valid (clock_zone_valid()).
 */
MNV_MUST_CHECK int clock_local_in(const char *zone, time_t t, struct tm *out) MNV_NONNULL(1, 3);

#endif
