/*
 * persondb.h: employees and their dependents as rows of vault.db (store layer), with the
 * validation of every field, and the compact list the terminal application filters in
 * memory (100,000 employees in one read transaction).
 *
 * Text fields are UTF-8 without control characters. Dates are "YYYY-MM-DD" (real calendar
 * dates). Codes that have a printed form are stored normalised: postal code "123-4567",
 * employment insurance number (雇用保険被保険者番号) "1234-567890-1", basic pension number
 * (基礎年金番号) "1234-567890"; ASCII or full-width digits and hyphens are accepted on input.
 * The reading (フリガナ) is katakana. My Numbers are never here: see numberdb.h.
 *
 * Validation functions return a store-range error (MNV_ERR_FIELD_*) and put the field's
 * name ("code", "name", "kana", "birth_date", …, the column names) in diag->item.
 */
#ifndef MNVAULT_PERSONDB_H
#define MNVAULT_PERSONDB_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/vault.h"

#define PERSON_CODE_MAX 20     /* bytes */
#define PERSON_NAME_MAX 120    /* bytes (40 kanji) */
#define PERSON_KANA_MAX 180    /* bytes (60 katakana) */
#define PERSON_ADDRESS_MAX 300 /* bytes (100 kanji) */

enum person_kind { PERSON_EMPLOYEE = 1, PERSON_DEPENDENT = 2 };

/* Which person: an employee or a dependent, by internal id. */
struct person_ref {
    enum person_kind kind;
    int64_t id;
};

enum person_sex { SEX_MALE = 1, SEX_FEMALE = 2 };

enum dependent_relation { REL_SPOUSE = 1, REL_CHILD = 2, REL_PARENT = 3, REL_OTHER = 4 };

/* Status of a person's My Number (numberdb.h keeps the record). */
enum number_status {
    NUMBER_MISSING = 0,    /* nothing recorded yet */
    NUMBER_REGISTERED = 1, /* stored, encrypted */
    NUMBER_REFUSED = 2,    /* the person declined to give it (recorded with the date) */
    NUMBER_DISPOSED = 3,   /* deleted after its retention period */
};

struct employee {
    int64_t id;
    char code[PERSON_CODE_MAX + 1]; /* employee code, unique */
    char name[PERSON_NAME_MAX + 1]; /* 氏名 */
    char kana[PERSON_KANA_MAX + 1]; /* フリガナ */
    char birth_date[11];
    enum person_sex sex;
    char postal_code[32]; /* "123-4567" or "" (input may be full-width) */
    char address[PERSON_ADDRESS_MAX + 1];
    char hire_date[11];
    char retire_date[11]; /* "" while employed */
    char emp_ins_no[48];  /* "1234-567890-1" or "" (input may be full-width) */
    char pension_no[48];  /* "1234-567890" or "" (input may be full-width) */
    int64_t created_at, updated_at;
};

/* Fields of an employee, as bits (update reports which changed). */
enum employee_field {
    EMP_CODE = 1 << 0,
    EMP_NAME = 1 << 1,
    EMP_KANA = 1 << 2,
    EMP_BIRTH_DATE = 1 << 3,
    EMP_SEX = 1 << 4,
    EMP_POSTAL_CODE = 1 << 5,
    EMP_ADDRESS = 1 << 6,
    EMP_HIRE_DATE = 1 << 7,
    EMP_RETIRE_DATE = 1 << 8,
    EMP_EMP_INS_NO = 1 << 9,
    EMP_PENSION_NO = 1 << 10,
};

struct dependent {
    int64_t id;
    int64_t employee_id;
    char name[PERSON_NAME_MAX + 1];
    char kana[PERSON_KANA_MAX + 1];
    enum dependent_relation relation;
    char birth_date[11];
    enum person_sex sex;
    int64_t created_at, updated_at;
};

enum dependent_field {
    DEP_NAME = 1 << 0,
    DEP_KANA = 1 << 1,
    DEP_RELATION = 1 << 2,
    DEP_BIRTH_DATE = 1 << 3,
    DEP_SEX = 1 << 4,
};

/* --- Names and validation ------------------------------------------------------------------ */

/* persondb_employee_fields: "name,address" for a set of enum employee_field bits into buf. */
char *persondb_employee_fields(char *buf, size_t size, unsigned fields) MNV_NONNULL(1);

/* persondb_dependent_fields: the same for enum dependent_field bits. */
char *persondb_dependent_fields(char *buf, size_t size, unsigned fields) MNV_NONNULL(1);

/* persondb_sex_name / _parse: "M"/"F"; parse returns 0 when unknown. */
const char *persondb_sex_name(enum person_sex sex);
enum person_sex persondb_sex_parse(const char *text) MNV_NONNULL(1);

/* persondb_relation_name / _parse: "spouse", "child", "parent", "other"; 0 when unknown. */
const char *persondb_relation_name(enum dependent_relation rel);
enum dependent_relation persondb_relation_parse(const char *text) MNV_NONNULL(1);

/* persondb_check_code: 1-20 ASCII letters, digits, '-', '_' or '.'. */
MNV_MUST_CHECK enum mnv_err persondb_check_code(const char *text) MNV_NONNULL(1);

/*
 * persondb_check_text: UTF-8 without control characters, at most max bytes, non-empty when
 * required, and holding no valid My Number in any form (numtext.h, any-run rule): returns
 * MNV_ERR_FIELD_EMPTY, _LONG, _CHARS or _NUMBER.
 */
MNV_MUST_CHECK enum mnv_err persondb_check_text(const char *text, size_t max, int required)
    MNV_NONNULL(1);

/* persondb_check_kana: non-empty katakana (with spaces, ー and ・), at most 180 bytes. */
MNV_MUST_CHECK enum mnv_err persondb_check_kana(const char *text) MNV_NONNULL(1);

/*
 * persondb_check_date: a real calendar date "YYYY-MM-DD" (years 1900-2199); "" is accepted
 * when !required.
 */
MNV_MUST_CHECK enum mnv_err persondb_check_date(const char *text, int required) MNV_NONNULL(1);

/*
 * persondb_normalize_postal / _emp_ins / _pension: read a code with ASCII or full-width
 * digits and optional hyphens or spaces, and write its normalised form into out (9, 14 and
 * 12 bytes; out may be in as given). "" stays "". Returns MNV_OK or MNV_ERR_FIELD_POSTAL / _EMPINS
 * / _PENSION (wrong digit count or another character).
 */
MNV_MUST_CHECK enum mnv_err persondb_normalize_postal(const char *in, char out[9])
    MNV_NONNULL(1, 2);
MNV_MUST_CHECK enum mnv_err persondb_normalize_emp_ins(const char *in, char out[14])
    MNV_NONNULL(1, 2);
MNV_MUST_CHECK enum mnv_err persondb_normalize_pension(const char *in, char out[12])
    MNV_NONNULL(1, 2);

/*
 * persondb_employee_validate: check every field of e, normalising the coded ones in place;
 * today (Unix time) bounds the birth date. Returns the first error with diag->item set.
 */
MNV_MUST_CHECK enum mnv_err persondb_employee_validate(struct employee *e, time_t today,
                                                       struct mnv_diag *diag) MNV_NONNULL(1);

/* persondb_dependent_validate: the same for a dependent. */
MNV_MUST_CHECK enum mnv_err persondb_dependent_validate(struct dependent *d, time_t today,
                                                        struct mnv_diag *diag) MNV_NONNULL(1);

/* --- Rows (inside transactions) ------------------------------------------------------------ */

/*
 * persondb_employee_insert: insert e (already validated) and set e->id and times. Returns
 * MNV_OK, MNV_ERR_CODE_TAKEN or a database error.
 */
MNV_MUST_CHECK enum mnv_err persondb_employee_insert(struct vault *v, struct employee *e,
                                                     struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* persondb_employee_get: employee id into *e; MNV_ERR_PERSON_NOT_FOUND when there is none. */
MNV_MUST_CHECK enum mnv_err persondb_employee_get(struct vault *v, int64_t id, struct employee *e,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * persondb_employee_update: store e (validated) over the row e->id; *changed receives the
 * enum employee_field bits that differ from the stored row (0: nothing written). Returns
 * MNV_OK, MNV_ERR_PERSON_NOT_FOUND, MNV_ERR_CODE_TAKEN or a database error.
 */
MNV_MUST_CHECK enum mnv_err persondb_employee_update(struct vault *v, struct employee *e,
                                                     unsigned *changed, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * persondb_employee_delete: delete employee id with its dependents and number records.
 * Returns MNV_OK or MNV_ERR_PERSON_NOT_FOUND.
 */
MNV_MUST_CHECK enum mnv_err persondb_employee_delete(struct vault *v, int64_t id,
                                                     struct mnv_diag *diag) MNV_NONNULL(1);

/* persondb_dependent_insert / _get / _update / _delete: as for employees. */
MNV_MUST_CHECK enum mnv_err persondb_dependent_insert(struct vault *v, struct dependent *d,
                                                      struct mnv_diag *diag) MNV_NONNULL(1, 2);
MNV_MUST_CHECK enum mnv_err persondb_dependent_get(struct vault *v, int64_t id, struct dependent *d,
                                                   struct mnv_diag *diag) MNV_NONNULL(1, 3);
MNV_MUST_CHECK enum mnv_err persondb_dependent_update(struct vault *v, struct dependent *d,
                                                      unsigned *changed, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);
MNV_MUST_CHECK enum mnv_err persondb_dependent_delete(struct vault *v, int64_t id,
                                                      struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * persondb_dependents_of: the dependents of employee_id into a malloc'd array (*out, free
 * with free()) of *count entries, by id.
 */
MNV_MUST_CHECK enum mnv_err persondb_dependents_of(struct vault *v, int64_t employee_id,
                                                   struct dependent **out, size_t *count,
                                                   struct mnv_diag *diag) MNV_NONNULL(1, 3, 4);

/* persondb_exists: 1 when the person exists, 0 when not, negative mnv_err on failure. */
int persondb_exists(struct vault *v, const struct person_ref *ref) MNV_NONNULL(1, 2);

/* --- The compact list and counts ------------------------------------------------------------- */

/* One employee in the compact list; strings point into the list's arena. */
struct person_row {
    int64_t id;
    const char *code;
    const char *name;
    const char *kana;
    char hire_date[11];
    int retired;               /* a retirement date is set */
    enum number_status status; /* of the employee's own number */
    const char *purposes;      /* purpose codes notified for it, comma-separated; "" */
    int dependents;            /* how many dependents */
    int verified;              /* identity verified for the number now stored (collectdb.h) */
};

struct person_list {
    struct person_row *rows; /* by employee code */
    size_t count;
    char *arena;
};

/*
 * persondb_list: every employee as a compact row, in one read transaction of its own when
 * none is open. Free with persondb_list_free().
 */
MNV_MUST_CHECK enum mnv_err persondb_list(struct vault *v, struct person_list *out,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* persondb_list_free: release a list (the struct itself is the caller's). */
void persondb_list_free(struct person_list *list);

struct person_counts {
    long employees_current, employees_retired, dependents;
    long numbers_registered, numbers_refused, numbers_disposed;
    long numbers_missing; /* employees and dependents with no number recorded */
    long retired_holding; /* registered numbers of retired employees and their dependents:
                             kept only until their retention ends */
};

/* persondb_counts: the figures of the dashboard. */
MNV_MUST_CHECK enum mnv_err persondb_counts(struct vault *v, struct person_counts *c,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2);

#endif
