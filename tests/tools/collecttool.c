/*
 * collecttool: test-only helper for the collection and import tests (never installed).
 *
 *   collecttool gen-import N SEED      a CSV (UTF-8) of N new employees, each with a
 *                                      distinct valid My Number, a My Number card shown in
 *                                      person and two purposes, on standard output
 *   collecttool demo-number SEED INDEX the number the demo generator gives employee INDEX
 *                                      (0-based) for SEED; exit 1 when it has none
 *   collecttool history DIR USER REF   (password on the first line of standard input) one
 *                                      line per verification record of REF (employee:ID or
 *                                      dependent:ID), newest first: "version=V current=C
 *                                      route=R docs=D"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/collect.h"
#include "mnvault/config.h"
#include "mnvault/demo.h"
#include "mnvault/mynumber.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"

static void number_for(long i, long seed, char out[13])
{
    char base[24];
    snprintf(base, sizeof(base), "%011lld",
             (10000000000LL + (long long)i * 104729 + seed) % 100000000000LL);
    int cd = numtext_check_digit_individual(base);
    memcpy(out, base, 11);
    out[11] = (char)('0' + (cd < 0 ? 0 : cd));
    out[12] = '\0';
}

static int gen_import(long n, long seed)
{
    printf("employee_code,name,kana,birth_date,sex,hire_date,my_number,documents,verified_by,"
           "verified_on,purposes\r\n");
    for (long i = 0; i < n; i++) {
        char num[13];
        number_for(i, seed, num);
        printf("T%06ld,試験 太郎%ld,シケン タロウ,1980-04-%02ld,%s,2010-04-01,%s,mynumber_card,"
               "人事 花子,2026-04-01,tax_withholding;social_insurance\r\n",
               i, i, 1 + i % 28, i % 2 ? "F" : "M", num);
    }
    return 0;
}

static int demo_number(unsigned long long seed, long index)
{
    struct demo_person *p = secmem_alloc(sizeof(*p));
    if (!p)
        return 2;
    demo_person_make(seed, index, p);
    int ok = p->has_number;
    if (ok)
        printf("%s\n", p->number);
    secmem_free(p);
    return ok ? 0 : 1;
}

static int history(const char *dir, const char *user, const char *refs)
{
    char pw[300];
    if (!fgets(pw, sizeof(pw), stdin))
        return 2;
    pw[strcspn(pw, "\r\n")] = '\0';
    struct mnv_config cfg;
    config_defaults(&cfg);
    struct session_options o;
    session_options_from_config(&o, &cfg);
    struct session *s;
    if (session_login(dir, user, pw, strlen(pw), &o, &s, NULL, NULL) != MNV_OK)
        return 2;
    struct person_ref ref = {strncmp(refs, "employee:", 9) ? PERSON_DEPENDENT : PERSON_EMPLOYEE,
                             atoll(strchr(refs, ':') ? strchr(refs, ':') + 1 : "0")};
    struct collect_rec *h;
    size_t n;
    enum mnv_err err = collect_history(s, &ref, &h, &n, NULL);
    for (size_t i = 0; err == MNV_OK && i < n; i++) {
        printf("version=%u current=%d route=%s docs=", h[i].number_version, h[i].current,
               h[i].route);
        for (size_t k = 0; k < h[i].ndocs; k++)
            printf("%s%s", k ? "," : "", h[i].docs[k].doc);
        printf("\n");
    }
    if (err == MNV_OK)
        free(h);
    session_logout(s);
    return err == MNV_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (secmem_init() != MNV_OK)
        return 2;
    if (argc == 4 && !strcmp(argv[1], "gen-import"))
        return gen_import(atol(argv[2]), atol(argv[3]));
    if (argc == 4 && !strcmp(argv[1], "demo-number"))
        return demo_number(strtoull(argv[2], NULL, 10), atol(argv[3]));
    if (argc == 5 && !strcmp(argv[1], "history"))
        return history(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: collecttool gen-import N SEED | demo-number SEED INDEX | "
                    "history DIR USER REF\n");
    return 2;
}
