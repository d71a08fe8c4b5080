#include "mnvault/clock.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- a named time zone, whatever TZ says ----------------------------------------------- */

#define ZONEINFO "/usr/share/zoneinfo/"

int clock_zone_valid(const char *zone)
{
    size_t n = strlen(zone);
    if (n == 0 || n > CLOCK_ZONE_MAX || zone[0] == '/' || strstr(zone, ".."))
        return 0;
    for (const char *p = zone; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("/_+-", *p))
            return 0;
    char path[sizeof(ZONEINFO) + CLOCK_ZONE_MAX];
    snprintf(path, sizeof(path), "%s%s", ZONEINFO, zone);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ELOOP) /* Japan -> Asia/Tokyo and the like */
        fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char magic[4];
    int ok = read(fd, magic, 4) == 4 && memcmp(magic, "TZif", 4) == 0;
    close(fd);
    return ok;
}

int clock_local_in(const char *zone, time_t t, struct tm *out)
{
    if (!clock_zone_valid(zone))
        return -1;
    /* An absolute path: glibc then reads that file and nothing else (TZDIR is not used). */
    char spec[sizeof(ZONEINFO) + CLOCK_ZONE_MAX + 1];
    snprintf(spec, sizeof(spec), ":%s%s", ZONEINFO, zone);
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;
    if (old && !saved)
        return -1;
    int rc = setenv("TZ", spec, 1) == 0 ? 0 : -1;
    tzset();
    if (rc == 0 && !localtime_r(&t, out))
        rc = -1;
    if (saved)
        (void)setenv("TZ", saved, 1);
    else
        (void)unsetenv("TZ");
    tzset();
    free(saved);
    return rc;
}
