/*
 * demo.h: synthetic employees for the demo vault and for benchmarks (service layer).
 *
 * Everything is generated from a seed, so the same seed gives the same people. Names are
 * clearly fictitious: the family names are Japanese words for "sample", "trial",
 * "fictitious" and the like (見本, 試験, 架空 …), combined with common given names, each
 * with its katakana reading. My Numbers are random 11-digit bodies with the right check
 * digit; they belong to nobody anyone could know, but they are handled like real ones.
 */
#ifndef MNVAULT_DEMO_H
#define MNVAULT_DEMO_H

#include <stdint.h>

#include "mnvault/attr.h"

#define DEMO_MAX_DEPENDENTS 4

struct demo_dependent {
    char name[64], reading[96];
    char relation[16];   /* spouse | child | parent */
    char birth_date[11]; /* YYYY-MM-DD */
    char sex;            /* 'M' or 'F' */
    int has_number;
    char number[13]; /* 12 ASCII digits when has_number; secret */
};

struct demo_person {
    char code[24];    /* E000001 */
    char name[64];    /* 見本 太郎 */
    char reading[96]; /* ミホン タロウ */
    char birth_date[11];
    char sex;
    char postal_code[9]; /* 123-4567 */
    char address[160];
    char hire_date[11];
    char retire_date[11];   /* "" when still employed */
    char emp_insurance[16]; /* 1234-567890-1 */
    char pension[12];       /* 1234-567890 */
    int has_number;         /* most do; some are still missing */
    char number[13];        /* secret: wipe the struct after use */
    int verified;           /* identity verified at collection */
    int ndependents;
    struct demo_dependent dependents[DEMO_MAX_DEPENDENTS];
};

/*
 * demo_person_make: fill *out with person number index (0-based) of the demo population
 * for seed. Deterministic. The struct holds numbers: wipe it (secmem_wipe) after use.
 */
void demo_person_make(uint64_t seed, long index, struct demo_person *out) MNV_NONNULL(3);

#endif
