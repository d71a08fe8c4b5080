/* import.h (service layer): bulk import of My Numbers with their identity verification from a CSV
 *file . The columns, their Japanese and English header names and what a row does are described in
 *doc/import.md; data/import-sample.csv is a sample.
 *
 * A row names a person by employee code (and, for a dependent, the dependent's name): an
 * existing employee or dependent gets the number collected (a changed number is a
 * re-collection that keeps the earlier verification as history); an unknown code, or an
 * unknown dependent name, adds the person when the row has the fields a new record needs.
 * Every row also records how identity was verified, judged by the same rules as the
 * terminal application (idrules.h), and the purposes notified.
 *
 * All or nothing: every row is checked first (fields, rules, the number, duplicates inside
 * the file and against the vault); if any row fails, nothing is written and the report
 * lists each bad row with its line and reason, never a digit of a number. Otherwise all
 * rows are written in one transaction with one audit entry ("import").
 */
#ifndef MNVAULT_IMPORT_H
#define MNVAULT_IMPORT_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/csv.h"
#include "mnvault/err.h"

struct session;

#define IMPORT_ROWS_MAX 100000
#define IMPORT_WORDS_FILE "import-words.ini" /* the words of coded columns, in the data folder */
#define IMPORT_PROBLEMS_MAX 1000 /* problems kept for the report; more are only counted */

/* One bad row. column is the English header name of the field at fault ("" for the row). */
#define IMPORT_HEADER_MAX 64 /* bytes of a column name kept for a problem */

struct import_problem {
    long line;
    char column[32];                /* the column's English name ("my_number"); "" the row */
    int field;                      /* the column's place in the file (1 = first); 0 none */
    char header[IMPORT_HEADER_MAX]; /* the column's name as the file writes it */
    enum mnv_err err;
    char item[64]; /* extra words: a document or purpose code, "line 12"; never a number */
};

struct import_report {
    enum csv_encoding encoding;
    long rows;
    long employees_added, dependents_added, numbers_stored, recollected;
    long verified_added; /* numbers stored before without an identity check, given one now */
    struct import_problem *problems; /* the first IMPORT_PROBLEMS_MAX, by line */
    size_t nproblems;
    long problems_total;
};

/*
 * import_csv: check every row of the CSV file path and, when all are good and !dry_run,
 * write them (roles: person.edit and number.store). Returns MNV_OK (rep says what was done;
 * with dry_run nothing was written); MNV_ERR_IMPORT_REFUSED when rows failed (rep->problems;
 * nothing written); or an error about the whole file: MNV_ERR_NOT_FOUND, IO, CSV_ENCODING,
 * CSV_TOO_BIG, CSV_QUOTE / CSV_CHAR / TOO_LONG (diag->line), CSV_HEADER / CSV_COLUMN_TWICE
 * (diag->item = the name), CSV_COLUMN_MISSING (diag->item), IMPORT_EMPTY, CSV_TOO_BIG (more
 * than IMPORT_ROWS_MAX rows), IDRULES_FILE, DENIED, database errors. Release rep with
 * import_report_free() in every case.
 */
MNV_MUST_CHECK enum mnv_err import_csv(struct session *s, const char *path, int dry_run,
                                       struct import_report *rep, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 4);

/* import_report_free: release the problems list; rep may be NULL. */
void import_report_free(struct import_report *rep);

/*
 * import_column_names: the header names of column i (English, Japanese) for help texts;
 * returns 0, or -1 past the last column. *required: the column must be in the header.
 */
int import_column_names(int i, const char **en, const char **ja, int *required) MNV_NONNULL(2, 3);

#endif
