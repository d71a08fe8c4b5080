/* wareki.h (base layer): Japanese era dates (和暦) beside Western ones.
 *
 * Eras: 明治 (from 1868-01-25), 大正 (1912-07-30), 昭和 (1926-12-25), 平成 (1989-01-08),
 * 令和 (2019-05-01). The first year of an era is written 元年 in the long form.
 */
#ifndef MNVAULT_WAREKI_H
#define MNVAULT_WAREKI_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

/* The parts of a date in its era, for forms that print them in separate boxes. */
struct wareki_date {
    const char *era;      /* "令和", "平成", "昭和", "大正" or "明治" (static) */
    char letter;          /* 'R', 'H', 'S', 'T' or 'M' */
    int year, month, day; /* year of the era: 1 for 元年 */
};

/*
 * wareki_split: the era, year of the era, month and day of the ISO date "YYYY-MM-DD".
 * Returns 0, or -1 when iso is not a real date from 明治 on (*out is then zeroed).
 */
MNV_MUST_CHECK int wareki_split(const char *iso, struct wareki_date *out) MNV_NONNULL(1, 2);

/*
 * wareki_format: "昭和60年6月15日" for the ISO date "1985-06-15" into buf (short: "昭和60年"
 * only). Returns buf, or NULL when iso is not a date from 明治 on (buf is then "").
 */
char *wareki_format(char *buf, size_t size, const char *iso, int year_only) MNV_NONNULL(1, 3);

/*
 * wareki_to_iso: read a date a person typed, in any of these forms, into "YYYY-MM-DD":
 * 2025-04-01, 2025/4/1, 2025.4.1, 令和7年4月1日, 令和元年5月1日, R7.4.1, R7/4/1, H31-04-30
 * (letters M T S H R in either case; full-width digits, ／－．and spaces too). Checks that the
 * date exists and lies inside the era. Returns 0; -1 when text is not written as a date;
 * -2 when it is, but no such day exists (2025-02-30, 平成31年5月1日, R0.1.1). out is then "".
 */
MNV_MUST_CHECK int wareki_to_iso(const char *text, char out[11]) MNV_NONNULL(1, 2);

/*
 * wareki_parse: wareki_to_iso() as an error for a person: MNV_OK, MNV_ERR_FIELD_DATE (not
 * written as a date) or MNV_ERR_FIELD_NO_SUCH_DAY (no such day).
 */
MNV_MUST_CHECK enum mnv_err wareki_parse(const char *text, char out[11]) MNV_NONNULL(1, 2);

#endif
