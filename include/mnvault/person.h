/* person.h (base layer): the person model — employees, their dependents, who a person is
 * (struct person_ref), the status of a person's My Number record and the purposes notified
 * for it, the compact list the screens filter — with the names and parsers of every coded
 * value and the check or normalisation of every field. Storage is persondb.h / numberdb.h;
 * the services (people.h) call these checks before they write, and the screens call them to
 * say what is wrong while a person types.
 *
 * Text fields are UTF-8 without control characters and never hold a My Number
 * (numtext.h). Dates are "YYYY-MM-DD" (real calendar dates). Codes that have a printed form
 * are kept normalised: postal code "123-4567", employment insurance number
 * (雇用保険被保険者番号) "1234-567890-1", basic pension number (基礎年金番号) "1234-567890";
 * ASCII or full-width digits and separators are accepted on input. The reading (フリガナ)
 * is katakana. A My Number itself is never in these structures: see numberdb.h.
 *
 * Field checks return a store-range error (MNV_ERR_FIELD_*); the validators of a whole
 * person put the field's name ("code", "name", "kana", "birth_date", …, the column names)
 * in diag->item.
 */
#ifndef MNVAULT_PERSON_H
#define MNVAULT_PERSON_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

#define PERSON_CODE_MAX 20     /* bytes */
#define PERSON_NAME_MAX 120    /* bytes (40 kanji) */
#define PERSON_KANA_MAX 180    /* bytes (60 katakana) */
#define PERSON_ADDRESS_MAX 300 /* bytes (100 kanji) */
#define PERSON_REASON_MAX 300  /* bytes of a refusal's reason (100 kanji) */

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
    char left_on[11]; /* the day the dependant left the employee's 扶養; "" while a dependant
                       * (set by people_dependent_end(), never by an update) */
    int64_t created_at, updated_at;
};

enum dependent_field {
    DEP_NAME = 1 << 0,
    DEP_KANA = 1 << 1,
    DEP_RELATION = 1 << 2,
    DEP_BIRTH_DATE = 1 << 3,
    DEP_SEX = 1 << 4,
};

/* --- A person's number record, without the number --------------------------------------- */

#define NUMBER_PURPOSES_MAX 16
#define PURPOSE_CODE_MAX 32

/* A purpose of use notified for a stored number (purpose.h has the catalogue). */
struct number_purpose {
    char code[PURPOSE_CODE_MAX + 1];
    char notified_on[11]; /* "YYYY-MM-DD" */
    int64_t recorded_at;
    char recorded_by[33];
};

struct number_info {
    int64_t id; /* record id; 0 when there is no record (status missing) */
    enum number_status status;
    uint32_t version;   /* 1 for the first number stored, +1 for each replacement */
    uint32_t key_epoch; /* epoch key wrapping the data key; 0 when none */
    int64_t stored_at;
    char stored_by[33];
    char refused_on[11];                        /* status refused: the day */
    char refused_reason[PERSON_REASON_MAX + 1]; /* status refused: why, as the person said */
    size_t n_purposes;
    struct number_purpose purposes[NUMBER_PURPOSES_MAX];
};

/* A purpose notified to a person on a date, as given when storing a number. */
struct purpose_notice {
    const char *code;
    const char *date; /* "YYYY-MM-DD" */
};

/* --- Names and parsers ---------------------------------------------------------------------- */

/* person_employee_fields: "name,address" for a set of enum employee_field bits into buf. */
char *person_employee_fields(char *buf, size_t size, unsigned fields) MNV_NONNULL(1);

/* person_dependent_fields: the same for enum dependent_field bits. */
char *person_dependent_fields(char *buf, size_t size, unsigned fields) MNV_NONNULL(1);

/* person_employee_field_bit / person_dependent_field_bit: the enum employee_field /
 * dependent_field bit of the field named as diag->item and the functions above name it
 * ("retire_date" → EMP_RETIRE_DATE), so a front end maps the bits an update reports to its
 * own labels; 0 for a name that is no such field. */
unsigned person_employee_field_bit(const char *name) MNV_NONNULL(1);
unsigned person_dependent_field_bit(const char *name) MNV_NONNULL(1);

/* person_sex_name / _parse: "M"/"F"; parse returns 0 when unknown. */
const char *person_sex_name(enum person_sex sex);
enum person_sex person_sex_parse(const char *text) MNV_NONNULL(1);

/* person_relation_name / _parse: "spouse", "child", "parent", "other"; 0 when unknown. */
const char *person_relation_name(enum dependent_relation rel);
enum dependent_relation person_relation_parse(const char *text) MNV_NONNULL(1);

/* person_number_status_name: "missing", "registered", "refused", "disposed". */
const char *person_number_status_name(enum number_status s);

/* person_number_status_parse: the status for its name; NUMBER_MISSING for any other text. */
enum number_status person_number_status_parse(const char *text) MNV_NONNULL(1);

/* --- Field checks and normalisers ------------------------------------------------------------ */

/* person_check_code: 1-20 ASCII letters, digits, '-', '_' or '.'. */
MNV_MUST_CHECK enum mnv_err person_check_code(const char *text) MNV_NONNULL(1);

/*
 * person_check_text: UTF-8 without control characters, at most max bytes, non-empty when
 * required, and holding no valid My Number in any form (numtext.h, any-run rule): returns
 * MNV_ERR_FIELD_EMPTY, _LONG, _CHARS or _NUMBER.
 */
MNV_MUST_CHECK enum mnv_err person_check_text(const char *text, size_t max, int required)
    MNV_NONNULL(1);

/*
 * person_fold_kana: a reading as people type it, in the katakana it is stored in: hiragana
 * and half-width katakana become full-width katakana (a half-width voiced mark joins the
 * kana before it: ﾀﾞ → ダ), the full-width space becomes a space, ･ becomes ・; anything else
 * is kept. Writes at most size bytes with the NUL; returns the length the whole result
 * needs (it is cut, on a character boundary, when that is size or more). in and out must
 * not overlap.
 */
size_t person_fold_kana(const char *in, char *out, size_t size) MNV_NONNULL(1, 2);

/* person_check_kana: non-empty katakana (with spaces, ー and ・), at most 180 bytes. */
MNV_MUST_CHECK enum mnv_err person_check_kana(const char *text) MNV_NONNULL(1);

/*
 * person_check_date: a real calendar date "YYYY-MM-DD" (years 1900-2199); "" is accepted
 * when !required.
 */
MNV_MUST_CHECK enum mnv_err person_check_date(const char *text, int required) MNV_NONNULL(1);

/*
 * person_normalize_postal / _emp_ins / _pension: read a code with ASCII or full-width
 * digits and separators, and write its normalised form into out (9, 14 and 12 bytes; out
 * may be in as given). "" stays "". Returns MNV_OK or MNV_ERR_FIELD_POSTAL / _EMPINS /
 * _PENSION (wrong digit count or another character).
 */
MNV_MUST_CHECK enum mnv_err person_normalize_postal(const char *in, char out[9]) MNV_NONNULL(1, 2);
MNV_MUST_CHECK enum mnv_err person_normalize_emp_ins(const char *in, char out[14])
    MNV_NONNULL(1, 2);
MNV_MUST_CHECK enum mnv_err person_normalize_pension(const char *in, char out[12])
    MNV_NONNULL(1, 2);

/*
 * person_employee_validate: check every field of e, normalising the coded ones in place;
 * today (Unix time) bounds the birth date. Returns the first error with diag->item set.
 */
MNV_MUST_CHECK enum mnv_err person_employee_validate(struct employee *e, time_t today,
                                                     struct mnv_diag *diag) MNV_NONNULL(1);

/* person_dependent_validate: the same for a dependent. */
MNV_MUST_CHECK enum mnv_err person_dependent_validate(struct dependent *d, time_t today,
                                                      struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * person_check_left: may d be recorded as having left the employee's 扶養 on date? A real
 * date (MNV_ERR_FIELD_DATE), not before the dependant's birth (MNV_ERR_FIELD_DATE_ORDER) and
 * not after today (Unix time; MNV_ERR_FIELD_FUTURE). "" (the dependant is one again) is
 * always accepted.
 */
MNV_MUST_CHECK enum mnv_err person_check_left(const struct dependent *d, const char *date,
                                              time_t today) MNV_NONNULL(1, 2);

/*
 * person_check_reason: a refusal's reason: not blank (MNV_ERR_REASON_NEEDED), no My Number
 * in any form (MNV_ERR_REASON_NUMBER), at most PERSON_REASON_MAX bytes of UTF-8 text without
 * control characters (MNV_ERR_FIELD_LONG, _CHARS).
 */
MNV_MUST_CHECK enum mnv_err person_check_reason(const char *text) MNV_NONNULL(1);

/* --- The compact list and counts ---------------------------------------------------------------
 */

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

/* A callback given one row of the list at a time (its strings valid during the call only);
 * a return other than MNV_OK stops the reading and is returned. */
typedef enum mnv_err (*person_row_fn)(void *ud, const struct person_row *row);

/* What the list shows of one employee beside the names (person_row's other fields). */
#define PERSON_PURPOSES_MAX 511
struct person_detail {
    enum number_status status;
    int dependents;
    int verified;
    char purposes[PERSON_PURPOSES_MAX + 1]; /* comma-separated codes, cut at a whole code */
};

/* person_list_free: release a list filled by persondb_list() (the struct is the caller's). */
void person_list_free(struct person_list *list);

struct person_counts {
    long employees_current, employees_retired;
    long dependents;      /* still the employee's dependants */
    long dependents_left; /* left the employee's 扶養 (kept while their records are) */
    long numbers_registered, numbers_refused, numbers_disposed;
    long numbers_missing; /* employees and current dependants with no number recorded */
    long retired_holding; /* registered numbers of retired employees and their dependents:
                             kept only until their retention ends */
};

#endif
