#include "mnvault/testhook.h"

#include <stdlib.h>
#include <string.h>

#ifdef MNV_TEST_HOOKS
#include <stdio.h>

static int parse_utc(const char *s, time_t *out)
{
    struct tm tm = {0};
    char tail;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec, &tail) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return -1;
    *out = t;
    return 0;
}

int testhook_now(time_t real, time_t *now)
{
    const char *s = getenv("MNVAULT_TEST_NOW");
    if (!s || !*s)
        return 0;
    char *end;
    if (s[0] == '+') {
        long long d = strtoll(s + 1, &end, 10);
        if (*end)
            return 0;
        *now = real + (time_t)d;
        return 1;
    }
    if (strchr(s, '-'))
        return parse_utc(s, now) == 0;
    long long v = strtoll(s, &end, 10);
    if (*end)
        return 0;
    *now = (time_t)v;
    return 1;
}

int testhook_fast_kdf(void)
{
    const char *s = getenv("MNVAULT_TEST_FAST_KDF");
    return s && strcmp(s, "1") == 0;
}

void testhook_timing(const char *event, long long usec)
{
    static FILE *f;
    static int tried;
    if (!tried) {
        tried = 1;
        const char *path = getenv("MNVAULT_TEST_TIMING");
        if (path && *path)
            f = fopen(path, "a");
    }
    if (f) {
        fprintf(f, "%s %lld\n", event, usec);
        fflush(f);
    }
}

int testhook_idle_lock(int *seconds)
{
    const char *s = getenv("MNVAULT_TEST_IDLE_LOCK");
    char *end;
    if (!s || !*s)
        return 0;
    long v = strtol(s, &end, 10);
    if (*end || v < 1 || v > 3600)
        return 0;
    *seconds = (int)v;
    return 1;
}

int testhook_syslog(int priority, const char *line)
{
    const char *path = getenv("MNVAULT_TEST_SYSLOG");
    if (!path || !*path)
        return 0;
    FILE *f = fopen(path, "a");
    if (f) {
        fprintf(f, "%d %s\n", priority, line);
        fclose(f);
    }
    return 1;
}

int testhook_enabled(void)
{
    return 1;
}

#else

int testhook_now(time_t real, time_t *now)
{
    (void)real;
    (void)now;
    return 0;
}

int testhook_fast_kdf(void)
{
    return 0;
}

int testhook_idle_lock(int *seconds)
{
    (void)seconds;
    return 0;
}

void testhook_timing(const char *event, long long usec)
{
    (void)event;
    (void)usec;
}

int testhook_syslog(int priority, const char *line)
{
    (void)priority;
    (void)line;
    return 0;
}

int testhook_enabled(void)
{
    return 0;
}

#endif
