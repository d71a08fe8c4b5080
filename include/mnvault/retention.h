/* retention.h (service layer): how long each My Number is kept, and why.
 *
 * The rules are data: data/retention.ini gives, per kind of document that carries a
 * number, the purposes and filings that make it apply, the events that end the need for
 * it, where its period starts and how long it runs, and its legal basis in words
 * (doc/retention.md). Loading checks them against the purposes of use (purpose.h): every
 * purpose and every filing a purpose names must have a rule, so no number is ever kept
 * under a blanket period.
 *
 * For each registered number, retention gathers the events the vault knows (retentiondb.h:
 * retirement, purposes notified, collections, and the sources other work adds) and
 * computes one clock per kind of document that applies:
 *   - the need ends at the first of the document's ending events (until one happens, the
 *     number is needed and kept);
 *   - the period counts from the later of that event and the last time the number was
 *     handled for the document (collected, purpose notified, filing made), started as the
 *     rule says (the next day; the day after 10 January or 31 January of the next year),
 *     and runs its years and months as the Civil Code counts them (caldate.h);
 *   - the number is kept until the latest clock ends (the binding one, whose reason is
 *     shown), and is due for disposal from the next day, until it is disposed or a
 *     supervisor places a legal hold with a reason and a review date (audited).
 * "Today" comes from clock.h, so tests fix it. Nothing here reads or derives from the
 * digits of a number.
 */
#ifndef MNVAULT_RETENTION_H
#define MNVAULT_RETENTION_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/persondb.h"
#include "mnvault/purpose.h"
#include "mnvault/retentiondb.h"

struct session;

#define RETENTION_FILE "retention.ini"
#define RETENTION_CODE_MAX 64   /* a purpose or filing code (filing codes may be long) */
#define RETENTION_DOCS_MAX 32   /* kinds of document in the rules */
#define RETENTION_CODES_MAX 256 /* purpose and filing codes named by the rules */
#define RETENTION_BASIS_MAX 600 /* bytes of a legal basis */
#define RETENTION_MAX_MONTHS (50 * 12)
#define RETENTION_HOLD_MAX_DAYS 366 /* a hold's review date is at most a year ahead */

/* Where a period starts, given the day of the event it counts from. */
enum retention_from {
    RFROM_NEXT_DAY = 0,    /* the next day (完結の日の翌日) */
    RFROM_JAN11_NEXT_YEAR, /* the day after 10 January of the year after the event's */
    RFROM_FEB1_NEXT_YEAR,  /* the day after 31 January of the year after the event's */
};

/* One kind of document, as data/retention.ini describes it. */
struct retention_doc {
    char code[PURPOSE_CODE_MAX + 1];
    char name_ja[PURPOSE_NAME_MAX + 1];
    char name_en[PURPOSE_NAME_MAX + 1];
    char basis_ja[RETENTION_BASIS_MAX + 1];
    char basis_en[RETENTION_BASIS_MAX + 1];
    int months; /* the period's length (years × 12 + months) */
    enum retention_from from;
    unsigned ends_on; /* bit (1u << kind) for each ending enum retention_event_kind */
};

/* A purpose or filing code and the kinds of document it makes apply. */
struct retention_code {
    char code[RETENTION_CODE_MAX + 1];
    int is_filing; /* 0: a purpose code; 1: a filing code */
    uint32_t docs; /* bit i: docs[i] */
};

struct retention_rules {
    struct retention_doc *docs;
    size_t ndocs;
    struct retention_code *codes;
    size_t ncodes;
};

/*
 * retention_rules_load: read path (NULL: retention.ini in the data folder, paths.h) into
 * *out (free with retention_rules_free()), checked against the purposes cat: every
 * section needs ja, en, basis_ja, basis_en, ends_on (known event names that end a need),
 * from, and years and/or months (0-50 years in all); each purpose named must be in cat;
 * each purpose of cat and each filing any purpose of cat names must be named by some
 * section. Returns MNV_OK, MNV_ERR_NOT_FOUND, MNV_ERR_NOMEM or MNV_ERR_RETENTION_FILE with
 * diag->where = the file and diag->item = "section.key" (or the purpose/filing without a
 * rule).
 */
MNV_MUST_CHECK enum mnv_err retention_rules_load(const char *path,
                                                 const struct purpose_catalog *cat,
                                                 struct retention_rules *out, struct mnv_diag *diag)
    MNV_NONNULL(2, 3);

/* retention_rules_free: release the rules; r may be empty. */
void retention_rules_free(struct retention_rules *r);

/* retention_doc_find: the index of the document kind code, or -1. */
int retention_doc_find(const struct retention_rules *r, const char *code) MNV_NONNULL(1, 2);

/* retention_doc_label: the name of the document kind code in the language of the messages
 * (Japanese or English, from data/retention.ini), or code itself when there is no such kind.
 * Borrowed from r (or code). */
const char *retention_doc_label(const struct retention_rules *r, const char *code)
    MNV_NONNULL(1, 2);

/* retention_period_text: the kind's period in words, translated, into buf ("period: 7 years,
 * counted from 2026-01-01 (the day after)"; "period: none; kept until the day before …"),
 * counted from day first. Returns buf. */
char *retention_period_text(char *buf, size_t size, const struct retention_doc *d, int32_t first)
    MNV_NONNULL(1, 3);

/* retention_from_name: "next_day", "jan11_next_year", "feb1_next_year". */
const char *retention_from_name(enum retention_from from);

/* --- The verdict for one number ------------------------------------------------------------ */

enum retention_state {
    RETENTION_NEEDED = 0, /* a document's need has not ended: kept while needed */
    RETENTION_RUNNING,    /* every period has started; the latest ends in the future */
    RETENTION_DUE,        /* past the binding end: to be disposed of */
    RETENTION_HELD,       /* due, but a legal hold in force keeps it until its review date */
    RETENTION_NO_RULE,    /* a purpose or filing the rules do not know: to be reviewed */
};

/* One kind of document that applies to a number, and its period. */
struct retention_clock {
    int doc;                        /* index into rules->docs */
    enum retention_event_kind why;  /* REV_NOTIFIED or REV_FILED: what made it apply */
    int why_code;                   /* index into rules->codes */
    int32_t why_day;                /* the first such event's day */
    enum retention_event_kind end;  /* the ending event that came first; REV__COUNT: none */
    int32_t end_day;                /* its day; CALDATE_NONE when none */
    enum retention_event_kind last; /* the event the period counts from */
    int32_t last_day;               /* its day (the later of the end and the last
                                     * handling); CALDATE_NONE while needed */
    int32_t first_day;              /* the period's first day; CALDATE_NONE while needed */
    int32_t keep_until;             /* the period's last day; CALDATE_NONE while needed */
};

struct retention_verdict {
    enum retention_state state;
    size_t nclocks;
    struct retention_clock clocks[RETENTION_DOCS_MAX];
    int binding;         /* the clock that decides (an open one, or the latest); -1: none */
    int32_t keep_until;  /* the binding last day; CALDATE_NONE while needed */
    int32_t need_end;    /* with no clock: the first ending event (the relationship's end) */
    int32_t hold_review; /* the review date of the hold not released; CALDATE_NONE: none */
    char unknown[RETENTION_CODE_MAX + 1]; /* RETENTION_NO_RULE: the code without a rule */
    enum retention_event_kind unknown_kind;
};

/*
 * retention_evaluate: the verdict for one number from its events ev[0..n) (all of the same
 * person; order does not matter), the review date of its hold not yet released
 * (CALDATE_NONE: none) and today. Pure: no vault, no clock.
 */
void retention_evaluate(const struct retention_rules *r, const struct retention_event *ev, size_t n,
                        int32_t hold_review, int32_t today, struct retention_verdict *out)
    MNV_NONNULL(1, 6);

/* retention_state_name: "needed", "running", "due", "held", "no_rule". */
const char *retention_state_name(enum retention_state s);

/*
 * Words for people, as message ids (the front ends translate them with _()): the state of
 * a number ("due for disposal"), an event ("retirement"), where a period starts ("the
 * next day"). Never NULL.
 */
const char *retention_state_label(enum retention_state s);
const char *retention_event_label(enum retention_event_kind kind);
const char *retention_from_label(enum retention_from from);

/* --- The vault ------------------------------------------------------------------------------ */

/* Called by retention_each() for each registered number; a non-OK return stops the walk. */
typedef enum mnv_err (*retention_verdict_fn)(void *ud, const struct retention_subject *subject,
                                             const struct retention_verdict *verdict);

/*
 * retention_each: the verdict of every registered number (employee_id 0) or of one
 * household's, as of today, to fn in person order (employees by id, then dependants by
 * id). Every event source of the vault is read (retention.c lists them) and the holds not
 * yet released. No role check and no transaction of its own: for services that already
 * hold one (the disposal work checks inside its write transaction that what it deletes
 * is still due). Returns MNV_OK, fn's error, MNV_ERR_NOMEM, MNV_ERR_DB_CORRUPT or a
 * database error.
 */
MNV_MUST_CHECK enum mnv_err retention_each(struct vault *v, const struct retention_rules *r,
                                           int64_t employee_id, int32_t today,
                                           retention_verdict_fn fn, void *ud, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 5);

/* The counts the dashboard and `dispose --due` show. */
struct retention_counts {
    long needed, running, due, held, no_rule;
    long employees_due, dependants_due;
    int32_t oldest_due;  /* the earliest day a due number became due; CALDATE_NONE */
    long next_months[6]; /* numbers becoming due in this month and the next five */
    int32_t today;
};

/* One number in a survey of the whole vault. */
struct retention_item {
    struct retention_subject subject;
    enum retention_state state;
    int32_t keep_until;  /* CALDATE_NONE while needed */
    int binding_doc;     /* index into rules->docs; -1 when none */
    int32_t hold_review; /* CALDATE_NONE when no hold */
};

struct retention_survey {
    struct retention_item *items; /* by person: employees by id, then dependants by id */
    size_t count;
    struct retention_counts counts;
};

/*
 * retention_survey: every registered number's state, as of clock_today() (role:
 * person.view). Free with retention_survey_free(). Returns MNV_OK, MNV_ERR_DENIED,
 * MNV_ERR_NOMEM, MNV_ERR_DB_CORRUPT (a stored date that is not a date) or a database
 * error.
 */
MNV_MUST_CHECK enum mnv_err retention_survey(struct session *s, const struct retention_rules *r,
                                             struct retention_survey *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* retention_survey_free: release a survey (the struct itself is the caller's). */
void retention_survey_free(struct retention_survey *sv);

/*
 * retention_counts: the counts of retention_survey() (role: dashboard, so every role; no
 * person is named). Not audited.
 */
MNV_MUST_CHECK enum mnv_err retention_counts(struct session *s, const struct retention_rules *r,
                                             struct retention_counts *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * retention_due_report: retention_counts() for the daily check (`mnvault dispose --due`),
 * audited as "disposal.due" with the counts. Same errors.
 */
MNV_MUST_CHECK enum mnv_err retention_due_report(struct session *s, const struct retention_rules *r,
                                                 struct retention_counts *out,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/* One person of a household, with the explanation of their number. */
struct retention_person {
    struct retention_subject subject;
    char name[PERSON_NAME_MAX + 1];
    enum dependent_relation relation; /* 0 for the employee */
    struct retention_verdict verdict;
    int has_hold;               /* a hold not released (in force or lapsed) */
    struct retention_hold hold; /* when has_hold */
};

struct retention_household {
    struct employee employee;
    int32_t today;
    struct retention_person *people; /* the employee first (when they have a number) */
    size_t count;
};

/*
 * retention_explain: the verdict with every clock for the registered numbers of the
 * employee with this code and of their dependants (role: person.view; not audited: it
 * shows no number). Free with retention_household_free(). Returns MNV_OK,
 * MNV_ERR_PERSON_NOT_FOUND (no such code), MNV_ERR_DENIED, or the survey's errors.
 */
MNV_MUST_CHECK enum mnv_err retention_explain(struct session *s, const struct retention_rules *r,
                                              const char *employee_code,
                                              struct retention_household *out,
                                              struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

/* retention_explain_id: the same by the employee's internal id. */
MNV_MUST_CHECK enum mnv_err retention_explain_id(struct session *s, const struct retention_rules *r,
                                                 int64_t employee_id,
                                                 struct retention_household *out,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2, 4);

void retention_household_free(struct retention_household *h);

/*
 * retention_person: the person named by an employee code and, for a dependant, the
 * dependant's name as stored (spaces, ASCII or full-width, ignored) into *ref (role:
 * person.view). Returns MNV_OK, MNV_ERR_PERSON_NOT_FOUND (no such employee, or no such
 * dependant of theirs), MNV_ERR_EXISTS (two dependants of that name), or a database error.
 */
MNV_MUST_CHECK enum mnv_err retention_person(struct session *s, const char *employee_code,
                                             const char *dependant_name, struct person_ref *ref,
                                             struct mnv_diag *diag) MNV_NONNULL(1, 2, 4);

/* --- Legal holds ------------------------------------------------------------------------------ */

/*
 * retention_hold: as a supervisor (retention.hold), record that the due number of ref is
 * kept for reason (words, no My Number) until review_on ("YYYY-MM-DD", after today and at
 * most RETENTION_HOLD_MAX_DAYS ahead), when it becomes due again unless held anew. A hold
 * placed while one is in force replaces it. Audited "retention.hold" (review date and
 * reason). Returns MNV_OK, MNV_ERR_DENIED, MNV_ERR_REASON_NEEDED, MNV_ERR_REASON_NUMBER,
 * MNV_ERR_FIELD_LONG, MNV_ERR_FIELD_CHARS, MNV_ERR_FIELD_DATE, MNV_ERR_HOLD_REVIEW (not in
 * the allowed range), MNV_ERR_NUMBER_NONE (no registered number), MNV_ERR_NOT_DUE (the
 * number is not past its retention), or a database error.
 */
MNV_MUST_CHECK enum mnv_err retention_hold(struct session *s, const struct retention_rules *r,
                                           const struct person_ref *ref, const char *reason,
                                           const char *review_on, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 4, 5);

/*
 * retention_release: as a supervisor, end the hold on ref's number now (it is due again
 * if past its retention). Audited "retention.release". Returns MNV_OK, MNV_ERR_DENIED,
 * MNV_ERR_NOT_FOUND (no hold), MNV_ERR_NUMBER_NONE, or a database error.
 */
MNV_MUST_CHECK enum mnv_err retention_release(struct session *s, const struct person_ref *ref,
                                              struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * retention_holds_list: the holds not yet released (current) or all of them, with their
 * persons (role: person.view). *out as retentiondb_holds().
 */
MNV_MUST_CHECK enum mnv_err retention_holds_list(struct session *s, int current,
                                                 struct retention_hold **out, size_t *count,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 3, 4);

#endif
