/* payroll.h (service layer): each employee's year-end figures (年末調整の結果) — what the
 * 源泉徴収票 and the 給与支払報告書 need — imported from a payroll system's CSV file.
 *
 * A file holds one year (mnvault payroll import --year YYYY). An employee's row (no
 * dependent_name) gives the figures: 支払金額, 給与所得控除後の金額, 所得控除の額の合計額,
 * 源泉徴収税額, 社会保険料等, the insurance and housing deductions, the 本人 flags,
 * 中途就・退職, 摘要 …; a dependent's row (employee code, dependent_name and
 * dependent_birth_date) gives that dependant's tax category for the year (控除対象配偶者,
 * 一般, 特定, 老人, 同居老親等, 16歳未満, 特定親族; 障害者; 非居住者). Dependants are matched to
 * their records by name and birth date. The columns, in Japanese or English, are listed by
 * payroll_column_at() and doc/payroll.md.
 *
 * All or nothing: every row is checked first; if any fails, nothing is stored and each bad
 * row is reported with its line and column. Otherwise each employee's figures are stored
 * encrypted (payrolldb.h), replacing any for that year, in one transaction with one audit
 * entry ("payroll.import" with the counts, never a figure).
 *
 * The figures are kept as the form items they fill (form.h: "pay.amount", "flag.otsu",
 * "midyear.year" …) plus a few facts of their own ("x.officer", "x.adjusted",
 * "x.tax_office", the dates as written), so a layout that names an item gets its value
 * without code in between.
 */
#ifndef MNVAULT_PAYROLL_H
#define MNVAULT_PAYROLL_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/csv.h"
#include "mnvault/err.h"
#include "mnvault/payrolldb.h"

struct session;

#define PAYROLL_YEAR_MIN 2016 /* the first year slips carried My Numbers */
#define PAYROLL_YEAR_MAX 2199
#define PAYROLL_ROWS_MAX 100000
#define PAYROLL_PROBLEMS_MAX 1000 /* problems kept for the report; more are only counted */
#define PAYROLL_DEPS_MAX 24       /* dependants listed for one employee and year */
#define PAYROLL_KEYS_MAX 128      /* figures kept for one employee and year */

/* A dependant's deduction category for the year (控除区分). */
enum payroll_deduction {
    PAYROLL_DED_NONE = 0,        /* listed, but no deduction */
    PAYROLL_DED_SPOUSE,          /* 源泉控除対象配偶者 */
    PAYROLL_DED_SPOUSE_AGED,     /* 老人控除対象配偶者 */
    PAYROLL_DED_SPOUSE_SPECIAL,  /* 配偶者特別控除の対象 */
    PAYROLL_DED_GENERAL,         /* 一般の控除対象扶養親族 (その他) */
    PAYROLL_DED_SPECIFIC,        /* 特定扶養親族 */
    PAYROLL_DED_AGED,            /* 老人扶養親族 */
    PAYROLL_DED_AGED_COHABITING, /* 同居老親等 */
    PAYROLL_DED_UNDER16,         /* 16歳未満の扶養親族 */
    PAYROLL_DED_TOKUTEI,         /* 特定親族 (令和7年分から) */
};

/* A disability (障害者区分), of the employee or a dependant. */
enum payroll_disability {
    PAYROLL_DIS_NONE = 0,
    PAYROLL_DIS_GENERAL,           /* 一般の障害者 */
    PAYROLL_DIS_SPECIAL,           /* 特別障害者 */
    PAYROLL_DIS_SPECIAL_COHABITING /* 同居特別障害者 (dependants) */
};

/* A dependant listed in the figures, in file order. */
struct payroll_dependent {
    int64_t dependent_id;
    enum payroll_deduction deduction;
    enum payroll_disability disability;
    int nonresident;
};

/* One employee's figures for one year, decrypted. */
struct payroll_figures {
    int64_t employee_id;
    int year;
    struct payroll_row_info info;
    size_t nkeys;
    const char *keys[PAYROLL_KEYS_MAX]; /* into text */
    const char *vals[PAYROLL_KEYS_MAX];
    size_t ndeps;
    struct payroll_dependent deps[PAYROLL_DEPS_MAX];
    char *text; /* secmem: the stored text, split in place */
    size_t len;
};

/* payroll_deduction_name: "spouse", "general" … (stable, as in the CSV); "" if unknown. */
const char *payroll_deduction_name(enum payroll_deduction d);

/* payroll_deduction_label: 控除対象配偶者 / Spouse (deduction) … as a msgid. */
const char *payroll_deduction_label(enum payroll_deduction d);

/*
 * payroll_parse: split a stored text (secmem, taken over: freed by payroll_figures_free())
 * into *f. Returns MNV_OK or MNV_ERR_SEAL_BROKEN when it is not a figures text.
 */
MNV_MUST_CHECK enum mnv_err payroll_parse(char *text, size_t len, struct payroll_figures *f)
    MNV_NONNULL(1, 3);

/* payroll_value: the value of key ("pay.amount"), or "" when it has none. */
const char *payroll_value(const struct payroll_figures *f, const char *key) MNV_NONNULL(1, 2);

/* payroll_figures_free: wipe and free the text; f itself is the caller's. NULL allowed. */
void payroll_figures_free(struct payroll_figures *f);

/*
 * payroll_get: the figures of employee_id for year (role: payroll.view) into *f (release
 * with payroll_figures_free()). Not audited (no number). Returns MNV_OK, MNV_ERR_NOT_FOUND,
 * MNV_ERR_DENIED, MNV_ERR_EPOCH_GONE, MNV_ERR_SEAL_BROKEN or a database error.
 */
MNV_MUST_CHECK enum mnv_err payroll_get(struct session *s, int64_t employee_id, int year,
                                        struct payroll_figures *f, struct mnv_diag *diag)
    MNV_NONNULL(1, 4);

/*
 * payroll_years: the years with figures for employee_id, newest first (role: payroll.view)
 * into out[0..max); *count = how many there are.
 */
MNV_MUST_CHECK enum mnv_err payroll_years(struct session *s, int64_t employee_id,
                                          struct payroll_row_info *out, size_t max, size_t *count,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 5);

/* One bad row of an import. */
struct payroll_problem {
    long line;     /* physical line of the file where the row begins */
    int column;    /* 1-based position of the column in the file; 0 for the row */
    char name[48]; /* the column's name as the header writes it; "" for the row */
    enum mnv_err err;
    char item[64]; /* extra words (a value word, "line 12"); never a figure */
};

struct payroll_report {
    enum csv_encoding encoding;
    int year;
    long rows;
    long employees, dependents, replaced;
    struct payroll_problem *problems; /* the first PAYROLL_PROBLEMS_MAX, by line */
    size_t nproblems;
    long problems_total;
};

/*
 * payroll_import_csv: check every row of the CSV file path as figures for year and, when
 * all are good and !dry_run, store them (role: payroll.import). Returns MNV_OK (rep says
 * what was done); MNV_ERR_IMPORT_REFUSED when rows failed (rep->problems; nothing stored);
 * or an error about the whole file: MNV_ERR_PAYROLL_YEAR, NOT_FOUND, IO, CSV_ENCODING,
 * CSV_TOO_BIG, CSV_QUOTE / CSV_CHAR / TOO_LONG (diag->line), CSV_HEADER / CSV_COLUMN_TWICE /
 * CSV_COLUMN_MISSING (diag->item = the name), IMPORT_EMPTY, DENIED, database errors.
 * Release rep with payroll_report_free() in every case.
 */
MNV_MUST_CHECK enum mnv_err payroll_import_csv(struct session *s, const char *path, int year,
                                               int dry_run, struct payroll_report *rep,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 2, 5);

/*
 * payroll_import_text: the same for text[0..len) already decoded as UTF-8 (rep->encoding
 * is left as CSV_UTF8).
 */
MNV_MUST_CHECK enum mnv_err payroll_import_text(struct session *s, const char *text, size_t len,
                                                int year, int dry_run, struct payroll_report *rep,
                                                struct mnv_diag *diag) MNV_NONNULL(1, 2, 6);

/*
 * payroll_demo_csv: year-end figures of year for the demo people with indexes [from,
 * from + count) of seed (demo.h), as a payroll system's CSV file with a header row, into
 * *text (malloc'd, *len bytes; free with free()). Only people employed during the year get
 * a row. Returns MNV_OK or MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err payroll_demo_csv(uint64_t seed, long from, long count, int year,
                                             char **text, size_t *len) MNV_NONNULL(5, 6);

/* payroll_report_free: release the problems list; rep may be NULL. */
void payroll_report_free(struct payroll_report *rep);

/* A column of the import file, for help texts and doc/payroll.md. */
struct payroll_column {
    const char *en, *ja; /* header names (doc/payroll.md says what each holds) */
    int required;        /* must be in the header */
};

/* payroll_column_at: the i-th column; NULL past the last. */
const struct payroll_column *payroll_column_at(size_t i);

/*
 * payroll_shown_at: the value the figures f hold for the i-th column, as a person reads it
 * (amounts grouped "5,000,000", dates "2025-09-30", text as imported) into value; not for
 * the columns that name a person (employee_code, name, the dependant's). Yes/no and other
 * words are given as msgids and *word is set: the front end translates them with _().
 * Returns 0 when it holds one, 1 when it is empty (or not shown), -1 past the last column.
 */
int payroll_shown_at(const struct payroll_figures *f, size_t i, char *value, size_t size, int *word)
    MNV_NONNULL(1, 3, 5);

#endif
