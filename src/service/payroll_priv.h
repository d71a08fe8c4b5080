/*
 * payroll_priv.h: what the payroll files share (service layer, private to src/service):
 * the columns of the import file and the words they take.
 */
#ifndef MNVAULT_PAYROLL_PRIV_H
#define MNVAULT_PAYROLL_PRIV_H

#include <stddef.h>

#include "mnvault/payroll.h"

enum ptype {
    PT_CODE = 1,  /* employee_code */
    PT_NAME,      /* the employee's name, checked against the record */
    PT_DEP_NAME,  /* the dependant's name */
    PT_DEP_BIRTH, /* the dependant's birth date */
    PT_DEDUCTION, /* the dependant's deduction category */
    PT_DISABILITY,
    PT_NONRESIDENT,
    PT_AMOUNT,
    PT_COUNT,
    PT_FLAG,
    PT_TEXT,
    PT_DATE,       /* a date in the year (or any past date for housing): key base + parts */
    PT_MIDYEAR,    /* hired_on / retired_on: midyear.kind and the parts */
    PT_DIGITS,     /* a code of exactly `max` digits */
    PT_CODETEXT,   /* letters, digits and '-', at most `max` */
    PT_TAX_OFFICE, /* auto / yes / no */
};

enum scope { S_ID, S_EMP, S_DEP, S_BOTH };

struct pcol {
    struct payroll_column pub;
    enum ptype type;
    enum scope scope;
    const char *key; /* the stored key, or the base of a date's parts */
    int max;         /* text: characters; digits: exact count; codes: at most */
};

#define NCOLS 83 /* checked against payroll_ncols in payroll_cols.c */

extern const struct pcol payroll_cols[];
extern const size_t payroll_ncols;

/* Fold full-width digits and drop commas: "１,２３４" → "1234" into out; 0, or -1. */
int payroll_amount_digits(const char *t, char *out, size_t size);

/* 1 when t is one of words (NULL-terminated). */
int payroll_word_in(const char *t, const char *const *words);

/* 1 yes, 0 no (or empty), -1 neither. */
int payroll_yes_no(const char *t);

/* The deduction a word names (English code or Japanese), or -1. */
int payroll_deduction_word(const char *t);

/* The disability a word names, or -1; special_cohabiting only for dependants. */
int payroll_disability_word(const char *t, int dependant);

/*
 * payroll_age: a person's age for the tax year (as of 31 December; the law counts a year
 * as passed the day before the birthday, so someone born on 1 January is a year older).
 */
int payroll_age(const char *birth_iso, int year);

/* payroll_age_fits: 1 when the deduction category suits a dependant of that age. */
int payroll_age_fits(int deduction, int age);

#endif
