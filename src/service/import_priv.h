/*
 * import_priv.h: what the files of the CSV import share (service layer, private to
 * import.c and import_row.c): the columns, the state of a run, and reading one row into a
 * bundle (import_row.c) for the check pass and the write pass (import.c).
 */
#ifndef MNVAULT_IMPORT_PRIV_H
#define MNVAULT_IMPORT_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/collect.h"
#include "mnvault/csv.h"
#include "mnvault/err.h"
#include "mnvault/idrules.h"
#include "mnvault/import.h"
#include "mnvault/mynumber.h"
#include "mnvault/person.h"
#include "mnvault/purposecat.h"
#include "mnvault/strmap.h"

enum col {
    C_CODE,
    C_DEP_NAME,
    C_RELATION,
    C_NAME,
    C_KANA,
    C_BIRTH,
    C_SEX,
    C_HIRE,
    C_POSTAL,
    C_ADDRESS,
    C_NUMBER,
    C_ROUTE,
    C_CHANNEL,
    C_KNOWN,
    C_DOCS,
    C_VERIFIED_BY,
    C_VERIFIED_ON,
    C_PURPOSES,
    C_NOTIFIED_ON,
    C__COUNT
};

struct rowstate {
    long line;
    int ok;
    enum person_kind kind;
    int64_t person_id;   /* the existing person; 0 when the row adds one */
    int64_t employee_id; /* dependents: the existing employee; 0 when added in this file */
    long employee_row;   /* dependents of an employee added in this file: that row */
    int64_t new_id;      /* the id given by the write pass to a person this row adds */
};

struct ctx {
    struct session *s;
    struct vault *v;
    const struct idrules *rules;
    const struct purpose_catalog *catalog;
    int colmap[C__COUNT];
    char header[C__COUNT][IMPORT_HEADER_MAX]; /* each column's name as the file writes it */
    size_t ncols;                             /* fields in the header */
    struct person_list people;                /* the employees already stored, by code */
    struct rowstate *rows;
    size_t nrows, cap;
    unsigned char *bis;    /* secmem: blind index of each row's number */
    struct mynumber *num;  /* secmem scratch */
    struct strmap persons; /* "E" code / "D" code name → the row adding that person */
    struct import_report *rep;
    const struct csv_reader *rd;
};

/* Everything a row says, rebuilt from its fields in both passes. */
struct bundle {
    struct employee emp;
    struct dependent dep;
    struct collect_request req;
    char dep_name[PERSON_NAME_MAX + 1];
    enum dependent_relation relation;
};

/* Why a row is refused: each fault found (every field that can be judged alone is), with
 * its column (-1: the row), the error and an item to name. */
#define IMPORT_ROW_FAULTS_MAX 12
struct fault {
    int n;
    struct {
        int col;
        enum mnv_err err;
        char item[64];
    } at[IMPORT_ROW_FAULTS_MAX];
};

/* import_fail: add a fault to *f and return err. import_first: a if it is an error, else b. */
enum mnv_err import_fail(struct fault *f, int col, enum mnv_err err, const char *item);
enum mnv_err import_first(enum mnv_err a, enum mnv_err b);

/* import_column_of: the column a field name (a diag->item) names, or fallback. */
int import_column_of(const char *item, int fallback);

/* import_col_for_judge: the column to blame for collect_judge()'s err (item: its diag item). */
int import_col_for_judge(enum mnv_err err, const char *item);

/* import_get: the trimmed text of column col of the current record into out; "" if absent. */
const char *import_get(const struct ctx *c, int col, char *out, size_t size);

/* import_words_load: read data/import-words.ini once per process. */
MNV_MUST_CHECK enum mnv_err import_words_load(struct mnv_diag *diag);

/* The parts of a row, into b (the number into c->num); MNV_OK or *f filled. */
MNV_MUST_CHECK enum mnv_err import_parse_person(struct ctx *c, struct bundle *b, struct fault *f);
MNV_MUST_CHECK enum mnv_err import_parse_number(struct ctx *c, struct fault *f);
MNV_MUST_CHECK enum mnv_err import_parse_verification(struct ctx *c, struct bundle *b,
                                                      struct fault *f);

#endif
