/* retentiondb.h (store layer): what the vault knows about a number's life, read for retention, and
 * the legal holds a supervisor places on numbers that are due (table of schema step 6).
 *
 * Retention (retention.h, service layer) needs, for every registered number, the events
 * that end the need for it and the times it was handled. They come from several tables
 * (employees, number purposes, collection records, and, as other work lands, the custody
 * register of filings, the dependants' status and insurance facts), so each table is read
 * by an *event source*: a function of the shape retention_source_fn that walks its rows,
 * for every person or only one employee's household, and hands each event to a callback.
 * A new kind of event plugs in as one more source (and, if it ends a need, one more
 * enum retention_event_kind and its name in retentiondb_event_name()).
 *
 * Nothing here holds or derives from a My Number: subjects are number record ids and
 * person references.
 */
#ifndef MNVAULT_RETENTIONDB_H
#define MNVAULT_RETENTIONDB_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/persondb.h"
#include "mnvault/vault.h"

/*
 * The kinds of event. The first ones end the need for a kind of document (the rules'
 * ends_on names them); the others say that the number was handled on a day, which a
 * retention period can never start before.
 */
enum retention_event_kind {
    REV_RETIREMENT = 0, /* employment ended (a dependant: the employee's) */
    REV_DEPENDANT_LEFT, /* the dependant left the employee's 扶養 */
    REV_HEALTH_PENSION_LOSS, /* 健康保険・厚生年金保険 coverage (or 被扶養者 status) lost */
    REV_EMPLOYMENT_INSURANCE_LOSS, /* 雇用保険 coverage lost */
    REV_CONTRACT_END,              /* the contract payments were made under ended */
    REV_COLLECTED,                 /* the number was collected and verified */
    REV_NOTIFIED,                  /* a purpose of use was notified (code: the purpose) */
    REV_FILED,                     /* a filing carrying the number was made (code: the filing) */
    REV__COUNT
};

/* Kinds below this one end a need; the rest are handling. */
#define REV_FIRST_HANDLING REV_COLLECTED

/* One event. code is borrowed for the duration of the callback only. */
struct retention_event {
    struct person_ref person;
    enum retention_event_kind kind;
    int32_t day;      /* caldate.h day number */
    const char *code; /* purpose or filing code; "" for the other kinds */
};

/* Called for each event; a non-OK return stops the walk and is returned. */
typedef enum mnv_err (*retention_emit_fn)(void *ud, const struct retention_event *ev);

/*
 * An event source: emit every event of every person with a registered number, or, when
 * employee_id is not 0, only those of that employee and their dependants. Inside a read or
 * write transaction. Returns MNV_OK, the callback's error, MNV_ERR_DB_CORRUPT for a stored
 * date that is not a date (diag->item names the table), or a database error.
 */
typedef enum mnv_err (*retention_source_fn)(struct vault *v, int64_t employee_id,
                                            retention_emit_fn emit, void *ud,
                                            struct mnv_diag *diag);

/* retentiondb_event_name: "retirement", "dependant_left", … "filed"; "" when unknown. */
const char *retentiondb_event_name(enum retention_event_kind kind);

/* retentiondb_event_parse: the kind named name, or REV__COUNT when none. */
enum retention_event_kind retentiondb_event_parse(const char *name) MNV_NONNULL(1);

/* A registered number, the subject of retention. */
struct retention_subject {
    int64_t number_id;
    struct person_ref person;
    int64_t employee_id;                     /* the employee, or the dependant's employee */
    char employee_code[PERSON_CODE_MAX + 1]; /* that employee's code */
    uint32_t version;                        /* of the number record (a new number: +1) */
};

typedef enum mnv_err (*retention_subject_fn)(void *ud, const struct retention_subject *s);

/*
 * retentiondb_subjects: every registered number (employee_id 0), or those of one
 * employee's household, ordered by person (employees first, then dependants, by id).
 */
MNV_MUST_CHECK enum mnv_err retentiondb_subjects(struct vault *v, int64_t employee_id,
                                                 retention_subject_fn fn, void *ud,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 3);

/* Sources of the events that exist in the vault today (see retention_source_fn). */
/* retirement dates of employees, given to the employee's and each dependant's number */
MNV_MUST_CHECK enum mnv_err retentiondb_scan_retirement(struct vault *v, int64_t employee_id,
                                                        retention_emit_fn emit, void *ud,
                                                        struct mnv_diag *diag) MNV_NONNULL(1, 3);
/* the day each dependant with a registered number left the employee's 扶養 (dependents.left_on,
 * people_dependent_end()) */
MNV_MUST_CHECK enum mnv_err retentiondb_scan_dependants_left(struct vault *v, int64_t employee_id,
                                                             retention_emit_fn emit, void *ud,
                                                             struct mnv_diag *diag)
    MNV_NONNULL(1, 3);
/* each purpose notified for a registered number, on its notification date */
MNV_MUST_CHECK enum mnv_err retentiondb_scan_purposes(struct vault *v, int64_t employee_id,
                                                      retention_emit_fn emit, void *ud,
                                                      struct mnv_diag *diag) MNV_NONNULL(1, 3);
/* each identity verification recorded for a registered number, on the day it was made */
MNV_MUST_CHECK enum mnv_err retentiondb_scan_collections(struct vault *v, int64_t employee_id,
                                                         retention_emit_fn emit, void *ud,
                                                         struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * each filing made with the number (the custody register of exports, custodydb.h; not the
 * failed ones), as REV_FILED with code "<form>/<year>" (retention.c turns it into the
 * filing code of that form's layout) on the earlier of the day the file was written and
 * 31 December of the year the filing concerns
 */
MNV_MUST_CHECK enum mnv_err retentiondb_scan_custody(struct vault *v, int64_t employee_id,
                                                     retention_emit_fn emit, void *ud,
                                                     struct mnv_diag *diag) MNV_NONNULL(1, 3);

/* --- Legal holds ----------------------------------------------------------------------- */

#define RETENTION_REASON_MAX 300 /* bytes */
#define RETENTION_USER_MAX 32

/* A supervisor's record of why a number past its date is kept, until a review date. */
struct retention_hold {
    int64_t id;
    int64_t number_id;
    struct person_ref person; /* read back */
    int64_t employee_id;      /* read back: the employee (or the dependant's) */
    char reason[RETENTION_REASON_MAX + 1];
    char review_on[11]; /* "YYYY-MM-DD": the hold lapses after this day */
    char placed_by[RETENTION_USER_MAX + 1];
    int64_t placed_at;
    int64_t released_at; /* 0 while in force (until the review date) */
    char released_by[RETENTION_USER_MAX + 1];
    char release_why[16]; /* "released", "renewed", "disposed" */
};

/*
 * retentiondb_hold_insert: add h (inside a write transaction; reason and review_on
 * checked by the caller); sets h->id. A hold not yet released for the same number is
 * released first with why "renewed" by the same user at the same time. Returns MNV_OK or
 * a database error.
 */
MNV_MUST_CHECK enum mnv_err retentiondb_hold_insert(struct vault *v, struct retention_hold *h,
                                                    struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * retentiondb_hold_release: release the hold of number_id that is not yet released
 * (inside a write transaction). Returns MNV_OK, MNV_ERR_NOT_FOUND (none) or a database
 * error.
 */
MNV_MUST_CHECK enum mnv_err retentiondb_hold_release(struct vault *v, int64_t number_id,
                                                     int64_t time, const char *by, const char *why,
                                                     struct mnv_diag *diag) MNV_NONNULL(1, 4, 5);

/*
 * retentiondb_holds: the holds not yet released (current = 1; whether or not their review
 * date passed) or every hold (current = 0), of everyone (employee_id 0) or of one
 * household, into a malloc'd array (*out, free with free(); NULL when none) of *count,
 * ordered by number record then newest first. Returns MNV_OK, MNV_ERR_NOMEM or a database
 * error.
 */
MNV_MUST_CHECK enum mnv_err retentiondb_holds(struct vault *v, int64_t employee_id, int current,
                                              struct retention_hold **out, size_t *count,
                                              struct mnv_diag *diag) MNV_NONNULL(1, 4, 5);

#endif
