/* demo.h (service layer): synthetic employees for the demo vault and for benchmarks.
 *
 * Everything is generated from a seed, so the same seed gives the same people. Names are
 * made up: the family names are Japanese words for "sample", "trial", "fictitious" and the
 * like (見本, 試験, 架空 …), combined with common given names, each with its katakana
 * reading. Addresses name a real prefecture with a postal code of that prefecture, but a
 * made-up town (見本市架空町 …), so no real address appears. The data is plausible in time:
 * numbers exist only from 2016 (nobody who left before 2016 gave one), the documents shown
 * fit the day (the notification card only before 2020-05-25), and dependants' ages fit
 * their relation.
 *
 * My Numbers are 11-digit bodies with the right check digit. They are valid numbers and may
 * be real people's numbers: nobody can tell. Treat them like real ones (the demo vault
 * encrypts and masks them like any other).
 */
#ifndef MNVAULT_DEMO_H
#define MNVAULT_DEMO_H

#include <stdint.h>

#include "mnvault/attr.h"

#define DEMO_MAX_DEPENDENTS 4

/* The documents shown at collection, as they fit the day. */
enum demo_docs {
    DEMO_DOCS_CARD = 0,             /* My Number card: number and identity */
    DEMO_DOCS_NOTIFICATION_LICENCE, /* notification card + driver's licence (before 2020-05-25) */
    DEMO_DOCS_JUMINHYO_PASSPORT,    /* certificate of residence with the number + passport */
};

struct demo_dependent {
    char name[64], reading[96];
    char relation[16];     /* spouse | child | parent */
    char birth_date[11];   /* YYYY-MM-DD */
    char sex;              /* 'M' or 'F' */
    int has_number;        /* declared on the employee's form */
    char number[13];       /* 12 ASCII digits when has_number; secret */
    char collected_on[11]; /* the employee handed it in: at the employee's collection, or
                              after the dependant's birth */
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
    int number_era;         /* employed on or after 2016-01-01, when numbers came into use */
    int has_number;         /* most in the number era do; some are still missing */
    char number[13];        /* secret: wipe the struct after use */
    int verified;           /* identity verified at collection */
    char collected_on[11];  /* the day the number was collected and the purposes stated */
    int docs;               /* enum demo_docs: what the person showed */
    int ndependents;
    struct demo_dependent dependents[DEMO_MAX_DEPENDENTS];
};

/*
 * demo_person_make: fill *out with person number index (0-based) of the demo population
 * for seed. Deterministic. The struct holds numbers: wipe it (secmem_wipe) after use.
 */
void demo_person_make(uint64_t seed, long index, struct demo_person *out) MNV_NONNULL(3);

#endif
