/* export.h (service layer): writing filings from the vault — the source side of form.h.
 *
 * An export takes a form layout for a year (form.h), every employee with year-end figures
 * for that year (payroll.h), their records and dependants, and the My Numbers the layout
 * asks for, and hands one record per slip to the sink for the layout's output (the CSV
 * sink, the PDF sinks). It runs in three steps:
 *
 *   1. check (one write transaction, nothing decrypted): every record is built with the
 *      numbers left out and checked against the layout (characters, lengths, required
 *      fields); every number the layout asks for goes through the purpose gate: a person
 *      with no number, a refused or disposed one, or one whose purposes of use do not
 *      include the purpose of this filing is a gap. Any fault, or any gap without
 *      skip_missing, refuses the export: nothing is decrypted or written, the refusal is
 *      audited with its counts. Otherwise a custody entry (custody.h) is made in state
 *      "writing" and the export audited as begun, and that is committed before any number
 *      is decrypted;
 *   2. write (a read transaction): the records are built again with the numbers, checked
 *      again, and written through the sink to a temporary file (mode 0600, same folder)
 *      whose bytes are hashed (SHA-256) on the way; the file then takes its name, never
 *      over an existing file;
 *   3. record: the custody entry gets the hash and size and becomes "written"; the export
 *      is audited with the counts and the hash, never a number.
 * A failure in step 2 or 3 removes the file and marks the custody entry failed.
 *
 * With skip_missing, the numbers that cannot be used are left out (their fields empty) and
 * counted; the slips are still written. A copy whose layout says numbers = no (受給者交付用)
 * never decrypts a number.
 */
#ifndef MNVAULT_EXPORT_H
#define MNVAULT_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/form.h"
#include "mnvault/person.h"

struct session;

#define EXPORT_GAPS_MAX 1000   /* gaps kept for the report; more are only counted */
#define EXPORT_FAULTS_MAX 1000 /* the same for faults */

struct export_request {
    const char *form;        /* "nta375", "eltax" … (data/forms/<form>-<year>.ini) */
    int year;                /* 2025 = 令和7年分 */
    const char *copy;        /* the copy's id ("tax"); NULL: the layout's first copy */
    const char *purpose;     /* purpose code; NULL: the one purpose that covers the filing */
    const char *destination; /* "tax_office" … ; NULL: the copy's destination */
    const char *out_path;    /* the file to write (must not exist); unused with dry_run */
    const char *only_code;   /* one employee's slip only; NULL: every employee */
    int skip_missing;        /* leave out numbers that cannot be used, after listing them */
    int dry_run;             /* step 1 only: report what would be written */
    int zip;                 /* pack the file as an AES-256 zip with a generated passphrase */
    const char *since;       /* insurance filings (form_unit_is_event): the events from this
                              * day (YYYY-MM-DD); NULL: 1 January of year */
    const char *until;       /* ... up to this day; NULL: 31 December of year */
};

/* Why a number cannot go out. */
enum export_gap_reason {
    EXPORT_GAP_MISSING = 1, /* no number recorded */
    EXPORT_GAP_REFUSED,     /* the person declined to give it */
    EXPORT_GAP_DISPOSED,    /* deleted after its retention period */
    EXPORT_GAP_PURPOSE,     /* the filing's purpose of use was not notified for it */
    EXPORT_GAP_UNREADABLE,  /* stored, but it does not open (damaged) */
    EXPORT_GAP_UNMATCHED,   /* fill with skip_unmatched: the row names no one person */
};

/* Whose number on the slip. */
enum export_role {
    EXPORT_ROLE_EMPLOYEE = 1,
    EXPORT_ROLE_SPOUSE,
    EXPORT_ROLE_DEPENDENT, /* 控除対象扶養親族 (slot 1-4, or 5+ in 備考) */
    EXPORT_ROLE_CHILD,     /* 16歳未満の扶養親族 */
};

/* One number that cannot go out. */
struct export_gap {
    long line;                      /* the slip: its position in the file, 1-based */
    char code[PERSON_CODE_MAX + 1]; /* the employee code */
    struct person_ref person;
    enum export_role role;
    int slot; /* for dependants and children: their place on the slip, 1.. */
    enum export_gap_reason reason;
};

struct export_report {
    char form[FORM_ID_MAX + 1];
    int year;
    char copy[FORM_ID_MAX + 1];
    char purpose[33];
    char destination[16];
    char title_ja[FORM_TITLE_MAX + 1], title_en[FORM_TITLE_MAX + 1];
    char layout_path[1024];  /* the layout file used */
    long candidates;         /* employees with figures for the year */
    long slips;              /* records written (after the copy's selection) */
    long persons;            /* persons whose numbers were written */
    long numbers;            /* My Numbers written */
    long left_out;           /* numbers left out with skip_missing */
    struct export_gap *gaps; /* the first EXPORT_GAPS_MAX, by slip */
    size_t ngaps;
    long gaps_total;
    struct form_fault *faults; /* the first EXPORT_FAULTS_MAX, by slip */
    size_t nfaults;
    long faults_total;
    int uncertain[16]; /* positions of fields marked I or ? that held a value (first 16) */
    size_t nuncertain;
    char since[16], until[16]; /* insurance filings: the period of the events; "" for slips */
    int64_t custody_id;        /* the register's entry; 0 with dry_run or when refused */
    char sha256[65];           /* hex of the file written */
    int64_t size;
    char passphrase[64]; /* with zip: the generated passphrase, shown once; "" otherwise */
    int fill;            /* a fill: gaps' and faults' lines are lines of the input file */
};

/*
 * export_run: export as req says (role: number.export; also for copies without numbers,
 * which still hold personal data). *rep is filled in every case; release it with
 * export_report_free(). Returns MNV_OK; MNV_ERR_EXPORT_FAULTS (values that do not fit,
 * rep->faults) or MNV_ERR_EXPORT_GAPS (numbers that cannot be used, rep->gaps; use
 * skip_missing to leave them out), nothing written in either case; MNV_ERR_FORM_NO_LAYOUT
 * (diag->where = the file looked for), FORM_UNKNOWN, FORM_FILE, FORM_COPY;
 * MNV_ERR_EXPORT_PURPOSE (no purpose covers the filing, or the one named does not:
 * diag->item); MNV_ERR_EXPORT_NONE (no employee has figures for the year, or not the one
 * named); MNV_ERR_EXPORT_EXISTS (out_path exists); MNV_ERR_EXPORT_CHANGED (the vault
 * changed between the check and the writing: run it again); MNV_ERR_EXPORT_SINK (no sink
 * for this output); I/O, database and session errors.
 */
MNV_MUST_CHECK enum mnv_err export_run(struct session *s, const struct export_request *req,
                                       struct export_report *rep, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* A fill: a payroll system's file with the number columns empty gets the numbers. */
struct export_fill_request {
    const char *form;        /* "nta375" or "eltax": the layout of the year the file says */
    const char *in_path;     /* the payroll system's file (Shift_JIS or UTF-8) */
    const char *out_path;    /* the file to write (must not exist) */
    const char *purpose;     /* NULL: the one purpose that covers the filing */
    const char *destination; /* NULL: the copy's */
    int skip_missing;        /* leave out numbers that cannot be used, after listing them */
    int dry_run;             /* check everything, write nothing */
    int zip;                 /* pack the file as an AES-256 zip */
    int skip_unmatched;      /* shfd: a record naming no one person keeps its number empty
                              * (listed as a gap) instead of refusing the file */
};

/*
 * export_fill: fill the numbers into req->in_path (role: number.export). The year is the
 * file's 年分 (令和); every row must be a record of the form, hold no number already, and
 * match: the employee by 受給者番号 AND name and birth date (eLTAX), or by name and birth
 * date alone when exactly one employee has them (375); the spouse and dependants in the
 * blocks by name among that employee's dependants; each employee on one row only. Any row
 * that does not refuses the file (MNV_ERR_EXPORT_FAULTS, rep->faults: the line, the field
 * and MNV_ERR_FILL_*), as do values outside the layout's rules; numbers that cannot be
 * used give MNV_ERR_EXPORT_GAPS as in export_run() (skip_missing leaves them out). The file
 * is then written as an export is: custody entry, audit entries, mode 0600, never over a
 * file. Other results: MNV_ERR_FILL_YEAR (no 年分 in the file), MNV_ERR_FILL_FORM (not a
 * form fill mode knows), the layout and file errors of export_run().
 *
 * form "shfd": a 日本年金機構 SHFD0006.CSV (資格取得届 2200700, 資格喪失届 2201700, 被扶養者
 * （異動）届 2202700 records; the layouts of the year of its 作成年月日). Each record's person
 * is found by 被保険者整理番号 (when the vault knows it) AND kana name, kanji name (when
 * written) and birth date, or by the names and birth date alone when exactly one employee
 * has them; the dependants of a 2202700 record by names and birth date among that
 * employee's. The office must be the vault's (MNV_ERR_FILL_OFFICE). The bytes of the file
 * are kept as they are except the number fields and the fields the layout's rules require
 * empty beside a number (the address of 資格取得届); the events written go into the filings
 * register as an export's do. skip_unmatched leaves a record that names no one person
 * without a number (a gap EXPORT_GAP_UNMATCHED) instead of refusing the file. Also
 * MNV_ERR_FILL_SHAPE (not the file's structure; rep->faults says the line).
 */
MNV_MUST_CHECK enum mnv_err export_fill(struct session *s, const struct export_fill_request *req,
                                        struct export_report *rep, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* export_report_free: release the lists and wipe the passphrase; rep may be NULL. */
void export_report_free(struct export_report *rep);

/* export_gap_reason_label / export_role_label: msgids for people (translate with _()). */
const char *export_gap_reason_label(enum export_gap_reason r);
const char *export_role_label(enum export_role r);

/*
 * A sink constructor for one output kind. The PDF sinks register theirs in export.c's
 * table; the CSV sink is form_csv_sink_new().
 */
typedef enum mnv_err (*export_sink_fn)(struct form_sink *sink, const struct form_output *out,
                                       const struct form_job *job, struct mnv_diag *diag);

#endif
