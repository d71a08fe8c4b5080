#include "mnvault/wareki.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/textfold.h"

struct era {
    const char *name;
    char letter;
    int y, m, d; /* first day */
};

static const struct era eras[] = {
    {"令和", 'r', 2019, 5, 1},  {"平成", 'h', 1989, 1, 8},  {"昭和", 's', 1926, 12, 25},
    {"大正", 't', 1912, 7, 30}, {"明治", 'm', 1868, 1, 25},
};
#define NERAS (sizeof(eras) / sizeof(eras[0]))

static long day_key(int y, int m, int d)
{
    return (long)y * 10000 + m * 100 + d;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

static int valid_ymd(int y, int m, int d)
{
    return y >= 1868 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

static const struct era *era_of(int y, int m, int d)
{
    for (size_t i = 0; i < NERAS; i++)
        if (day_key(y, m, d) >= day_key(eras[i].y, eras[i].m, eras[i].d))
            return &eras[i];
    return NULL;
}

int wareki_split(const char *iso, struct wareki_date *out)
{
    int y, m, d;
    char tail;
    memset(out, 0, sizeof(*out));
    if (strlen(iso) != 10 || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        !valid_ymd(y, m, d))
        return -1;
    const struct era *e = era_of(y, m, d);
    if (!e)
        return -1;
    out->era = e->name;
    out->letter = (char)(e->letter - 'a' + 'A');
    out->year = y - e->y + 1;
    out->month = m;
    out->day = d;
    return 0;
}

char *wareki_format(char *buf, size_t size, const char *iso, int year_only)
{
    struct wareki_date w;
    buf[0] = '\0';
    if (wareki_split(iso, &w) != 0)
        return NULL;
    int ey = w.year, m = w.month, d = w.day;
    char year[16];
    if (ey == 1)
        snprintf(year, sizeof(year), "元");
    else
        snprintf(year, sizeof(year), "%d", ey);
    if (year_only)
        snprintf(buf, size, "%s%s年", w.era, year);
    else
        snprintf(buf, size, "%s%s年%d月%d日", w.era, year, m, d);
    return buf;
}

/* Read up to three numbers separated by anything that is not a digit; "元" counts as 1. */
static int numbers(const char *s, int out[3])
{
    int n = 0;
    while (*s && n < 3) {
        if (strncmp(s, "元", strlen("元")) == 0) {
            out[n++] = 1;
            s += strlen("元");
            continue;
        }
        if (*s >= '0' && *s <= '9') {
            long v = strtol(s, (char **)&s, 10);
            if (v > 9999)
                return -1;
            out[n++] = (int)v;
            continue;
        }
        s++;
    }
    while (*s && !(*s >= '0' && *s <= '9'))
        s++;
    return *s ? -1 : n; /* a fourth number is an error */
}

/* Spaces (ASCII or U+3000) around the date dropped, between its parts made a separator: the
 * fold below drops spaces, and "2025 4 1" must not become "202541". 0, or -1 when too long. */
static int spaces_to_separators(const char *text, char *out, size_t size)
{
    static const char ideo[] = "\xe3\x80\x80"; /* U+3000 */
    size_t o = 0;
    int pending = 0;
    for (const char *p = text; *p;) {
        size_t n = *p == ' ' ? 1 : strncmp(p, ideo, 3) == 0 ? 3 : 0;
        if (n) {
            pending = o > 0;
            p += n;
            continue;
        }
        if (o + 2 >= size)
            return -1;
        if (pending)
            out[o++] = '/';
        pending = 0;
        out[o++] = *p++;
    }
    out[o] = '\0';
    return 0;
}

int wareki_to_iso(const char *text, char out[11])
{
    char f[128], spaced[128];
    out[0] = '\0';
    if (spaces_to_separators(text, spaced, sizeof(spaced)) != 0 ||
        textfold(spaced, strlen(spaced), f, sizeof(f)) >= sizeof(f))
        return -1;
    const struct era *e = NULL;
    const char *rest = f;
    for (size_t i = 0; i < NERAS && !e; i++) {
        size_t n = strlen(eras[i].name);
        if (strncmp(f, eras[i].name, n) == 0)
            e = &eras[i], rest = f + n;
        else if (f[0] == eras[i].letter)
            e = &eras[i], rest = f + 1;
    }
    int v[3];
    if (numbers(rest, v) != 3)
        return -1;
    int y = v[0], m = v[1], d = v[2];
    if (e) {
        if (y < 1 || y > 99)
            return -2;
        y = e->y + y - 1;
    } else if (strspn(f, "0123456789") != 4) {
        return -1; /* a Western year is written with four digits */
    }
    if (!valid_ymd(y, m, d))
        return -2;
    if (e) {
        /* The date must fall inside the era named (平成31年5月1日 does not exist). */
        if (era_of(y, m, d) != e)
            return -2;
    }
    /* valid_ymd() bounded the parts; the compiler cannot always see that. */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
    return 0;
}

enum mnv_err wareki_parse(const char *text, char out[11])
{
    int r = wareki_to_iso(text, out);
    return r == 0 ? MNV_OK : r == -2 ? MNV_ERR_FIELD_NO_SUCH_DAY : MNV_ERR_FIELD_DATE;
}
