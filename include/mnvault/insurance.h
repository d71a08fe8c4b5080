/* insurance.h (service layer): the facts the social and employment insurance filings need,
 * kept per employee and per dependant (rows in insurancedb.h).
 *
 *   健康保険・厚生年金保険 ("shaho.*"): 資格取得年月日, 取得区分, 被保険者整理番号, 報酬月額
 * (通貨・ 現物), 70歳以上被用者 and the other 備考 marks, 資格喪失年月日 and 喪失原因, … 雇用保険
 * ("koyo.*"): 資格取得年月日, 取得区分, 被保険者となったことの原因, 賃金, 雇用形態, 職種, 就職経路,
 * 1週間の所定労働時間, 契約期間, 離職等年月日, 喪失原因, … 被扶養者 ("fuyo.*", dependants):
 * 被扶養者になった日 and why, でなくなった日 and why, 職業, 収入, 同居・別居, the spouse's
 * 第3号被保険者 and 基礎年金番号, … The facts are listed by insurance_fact_at() (doc/insurance.md);
 * choices are stored as words ("retirement", "part_time") that each form's layout turns into its
 * own codes, so one fact serves the pension office's file and Hello Work's form alike.
 *
 * The facts are personal data but hold no My Number: they are sealed in the vault like the
 * year-end figures, read with insurance.view and changed with insurance.edit (clerks and
 * supervisors), each change audited with the names of the facts changed, never a value.
 * A CSV import sets many people's facts at once, all or nothing, like the number import.
 */
#ifndef MNVAULT_INSURANCE_H
#define MNVAULT_INSURANCE_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/csv.h"
#include "mnvault/err.h"
#include "mnvault/insurancedb.h"
#include "mnvault/person.h"

struct session;

#define INSURANCE_FACTS_MAX 64      /* facts one person can have */
#define INSURANCE_VALUE_MAX 240     /* bytes of one value */
#define INSURANCE_ROWS_MAX 100000   /* rows of an import */
#define INSURANCE_PROBLEMS_MAX 1000 /* problems kept for the report; more are only counted */

/* What a fact holds. */
enum insurance_kind {
    INS_DATE = 1, /* "YYYY-MM-DD" (和暦 accepted on input) */
    INS_AMOUNT,   /* whole yen */
    INS_CHOICE,   /* one word of the fact's choices */
    INS_FLAG,     /* "1", or empty */
    INS_DIGITS,   /* digits, at most max */
    INS_TEXT,     /* text, at most max characters, no My Number */
    INS_KANA,     /* katakana address: katakana, digits, letters, spaces, '-' */
    INS_HOURS,    /* "HH:MM" */
    INS_POSTAL,   /* "123-4567" */
    INS_PENSION,  /* 基礎年金番号 "1234-567890" */
    INS_PHONE,    /* digits and '-' */
};

/* Whose fact it is. */
enum insurance_scope {
    INS_EMPLOYEE = 1, /* employees */
    INS_DEPENDANT,    /* every dependant */
    INS_SPOUSE,       /* dependants recorded as the spouse */
};

/* One word of a choice and its label (a msgid: translate with _()). */
struct insurance_choice {
    const char *word;
    const char *label;
};

struct insurance_fact {
    const char *key;   /* "shaho.acquired_on"; the CSV column in English is the key with '_' */
    const char *ja;    /* the CSV column in Japanese: "健保厚年資格取得年月日" */
    const char *label; /* msgid shown on the screens */
    enum insurance_kind kind;
    enum insurance_scope scope;
    unsigned max; /* characters (text), digits (digits, amounts) */
    const struct insurance_choice *choices;
};

/* The groups the facts are shown in: "shaho", "koyo", "fuyo". */
const char *insurance_group_label(const char *key_prefix); /* msgid */

/* insurance_fact_at: the i-th fact (screen and file order); NULL past the last. */
const struct insurance_fact *insurance_fact_at(size_t i);

/*
 * insurance_fact_find: the fact with this key, English column ("shaho_acquired_on") or
 * Japanese column; NULL when none.
 */
const struct insurance_fact *insurance_fact_find(const char *name) MNV_NONNULL(1);

/* insurance_choice_label: the label (msgid) of word among f's choices; "" when none. */
const char *insurance_choice_label(const struct insurance_fact *f, const char *word)
    MNV_NONNULL(1, 2);

/*
 * insurance_fact_check: check value (as typed or read from a file) for fact f and write
 * its stored form into out (size bytes; out may be value): dates to YYYY-MM-DD (和暦 and
 * full-width digits accepted), amounts without separators ("280,000" → "280000"), choices
 * to their word (the word, its code-free label in Japanese or English, or the word's
 * number in the list, 1-based), flags to "1" or "" (1/0, yes/no, はい/いいえ, 有/無),
 * postal codes and 基礎年金番号 normalised. "" is always allowed (the fact is cleared).
 * Returns MNV_OK or MNV_ERR_FIELD_DATE, INSURANCE_AMOUNT, INSURANCE_CHOICE,
 * INSURANCE_DIGITS, INSURANCE_HOURS, INSURANCE_KANA, FIELD_POSTAL, FIELD_PENSION,
 * FIELD_LONG, FIELD_CHARS, FIELD_NUMBER.
 */
MNV_MUST_CHECK enum mnv_err insurance_fact_check(const struct insurance_fact *f, const char *value,
                                                 char *out, size_t size) MNV_NONNULL(1, 2, 3);

/* One person's facts, decrypted. */
struct insurance_facts {
    struct person_ref ref;
    struct insurance_row_info info; /* id 0 when none are stored */
    size_t n;
    const char *keys[INSURANCE_FACTS_MAX]; /* into text */
    const char *vals[INSURANCE_FACTS_MAX];
    char *text; /* secmem */
    size_t len;
};

/* insurance_value: the value of key, or "" when it has none. */
const char *insurance_value(const struct insurance_facts *f, const char *key) MNV_NONNULL(1, 2);

/* insurance_facts_free: wipe and free the text; f itself is the caller's; NULL allowed. */
void insurance_facts_free(struct insurance_facts *f);

/*
 * insurance_parse: split a stored text (secmem, taken over: freed by insurance_facts_free)
 * into *f. Returns MNV_OK or MNV_ERR_SEAL_BROKEN when it is not a facts text.
 */
MNV_MUST_CHECK enum mnv_err insurance_parse(char *text, size_t len, struct insurance_facts *f)
    MNV_NONNULL(1, 3);

/*
 * insurance_parse_copy: a borrowed stored text (insurancedb_each's) copied into secmem and
 * split into *f (release with insurance_facts_free()). Returns MNV_OK, MNV_ERR_NOMEM or
 * MNV_ERR_SEAL_BROKEN.
 */
MNV_MUST_CHECK enum mnv_err insurance_parse_copy(const char *text, size_t len,
                                                 struct insurance_facts *f) MNV_NONNULL(3);

/*
 * insurance_load: the facts of ref inside the caller's transaction (store access for other
 * services: the export, the due list) into *f; none stored gives an empty *f and MNV_OK.
 */
MNV_MUST_CHECK enum mnv_err insurance_load(struct vault *v, const struct person_ref *ref,
                                           struct insurance_facts *f, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * insurance_get: the facts of ref (role: insurance.view; not audited: no number) into *f
 * (release with insurance_facts_free()). A person without facts gives an empty *f.
 * Returns MNV_OK, MNV_ERR_PERSON_NOT_FOUND, MNV_ERR_DENIED, a seal or database error.
 */
MNV_MUST_CHECK enum mnv_err insurance_get(struct session *s, const struct person_ref *ref,
                                          struct insurance_facts *f, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* A change of one fact; value "" clears it. */
struct insurance_change {
    const char *key;
    const char *value;
};

/*
 * insurance_set: change facts of ref (role: insurance.edit), each checked with
 * insurance_fact_check() and for its scope; dates that follow one another are checked in
 * order (喪失 after 取得, でなくなった日 after になった日). *changed receives how many facts
 * changed; when none did, nothing is written. Audited "insurance.update" (subject
 * employee:<id> / dependent:<id>, detail keys=<names>), never a value. Returns MNV_OK, a
 * check error with diag->item = the fact's key, MNV_ERR_INSURANCE_KEY, INSURANCE_SCOPE,
 * INSURANCE_ORDER, PERSON_NOT_FOUND, DENIED or a database error.
 */
MNV_MUST_CHECK enum mnv_err insurance_set(struct session *s, const struct person_ref *ref,
                                          const struct insurance_change *ch, size_t n,
                                          size_t *changed, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 5);

/* --- Import ----------------------------------------------------------------------------- */

/* One bad row of an import. */
struct insurance_problem {
    long line;     /* physical line of the file where the row begins */
    int column;    /* 1-based column; 0 for the row */
    char name[64]; /* the column's name as the header writes it; "" for the row */
    enum mnv_err err;
};

struct insurance_report {
    enum csv_encoding encoding;
    long rows;
    long employees, dependants;         /* persons whose facts were set */
    long changed;                       /* facts changed in all */
    struct insurance_problem *problems; /* the first INSURANCE_PROBLEMS_MAX, by line */
    size_t nproblems;
    long problems_total;
};

/*
 * insurance_import_text: set facts from a CSV text (UTF-8, decoded: csv.h) with a header
 * row: employee_code (社員番号), optionally dependent_name (扶養親族氏名) and
 * dependent_birth_date (扶養親族生年月日) to pick a dependant by name and birth date, then
 * any fact columns (English key with '_' or the Japanese name). An empty cell leaves the
 * fact as it is; "-" clears it. All or nothing (role: insurance.edit): every row is
 * checked first and each problem reported with its line and column; if any, nothing is
 * stored. Otherwise every person's facts are stored in one transaction with one audit
 * entry ("insurance.import" with the counts); with dry_run, every row is checked and
 * nothing is stored. Returns MNV_OK, MNV_ERR_IMPORT_REFUSED (the
 * problems are in rep), MNV_ERR_CSV_HEADER / CSV_COLUMN_TWICE / INSURANCE_COLUMN /
 * CSV_COLUMN_MISSING (diag->item = the column), a CSV syntax error (diag->line), DENIED or a
 * database error.
 */
MNV_MUST_CHECK enum mnv_err insurance_import_text(struct session *s, const char *text, size_t len,
                                                  int dry_run, struct insurance_report *rep,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 2, 5);

/* insurance_import_csv: read path (UTF-8 or CP932, csv.h) and import it as above. */
MNV_MUST_CHECK enum mnv_err insurance_import_csv(struct session *s, const char *path, int dry_run,
                                                 struct insurance_report *rep,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2, 4);

/* insurance_report_free: release the problems list; rep may be NULL. */
void insurance_report_free(struct insurance_report *rep);

/* --- Filings due ------------------------------------------------------------------------- */

/* How a filing's deadline follows from its event. */
enum insurance_due_rule {
    INS_DUE_DAYS = 1,      /* the event's day + days */
    INS_DUE_NEXT_MONTH_10, /* the 10th of the month after the event's */
};

/* A filing an event calls for. */
struct insurance_filing {
    const char *form; /* the export's form id: "shfd2200700", "koyo_shutoku" … */
    const char *key;  /* the fact whose day is the event: "shaho.acquired_on" */
    int dependant;    /* 1: a dependant's fact (fuyo.*) */
    enum insurance_due_rule rule;
    int days;
    const char *title; /* msgid */
    const char *basis; /* msgid: the deadline and its legal basis */
};

/* insurance_filing_at: the i-th filing; NULL past the last. */
const struct insurance_filing *insurance_filing_at(size_t i);

/* insurance_deadline: the last day to file f for an event on day (caldate.h numbers). */
int32_t insurance_deadline(const struct insurance_filing *f, int32_t event) MNV_NONNULL(1);

/* One filing due (or, when asked for, done). */
struct insurance_due {
    const struct insurance_filing *filing;
    int64_t employee_id;
    int64_t dependent_id; /* 0: the employee's own event */
    char code[PERSON_CODE_MAX + 1], name[PERSON_NAME_MAX + 1], dependant[PERSON_NAME_MAX + 1];
    char event_on[11], deadline[11];
    int filed;   /* a file for it was written (the filings register) */
    int overdue; /* not filed and the deadline has passed */
};

/*
 * insurance_due_list: the filings the events of employee_id (0: everyone) call for, not yet
 * filed (include_filed: those filed too), by deadline, into a malloc'd array (*out, free with
 * free()) of *count (role: insurance.view; not audited: no number). Without include_filed,
 * events whose deadline passed more than a year ago are left out too (history, not work).
 * Returns MNV_OK, DENIED, a seal or database error.
 */
MNV_MUST_CHECK enum mnv_err insurance_due_list(struct session *s, int64_t employee_id,
                                               int include_filed, struct insurance_due **out,
                                               size_t *count, struct mnv_diag *diag)
    MNV_NONNULL(1, 4, 5);

/* insurance_due_counts: how many filings are due, and how many of those overdue. */
MNV_MUST_CHECK enum mnv_err insurance_due_counts(struct session *s, long *due, long *overdue,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/* --- Retention events --------------------------------------------------------------------- */

struct vault;
struct retention_event;

/*
 * insurance_retention_scan: the retention event source of the insurance facts (a
 * retention_source_fn, retentiondb.h): 健康保険・厚生年金保険 資格喪失 (shaho.lost_on) ends the
 * need for the employee's and the dependants' numbers (health_pension_loss), a dependant's
 * 被扶養者でなくなった日 (fuyo.until) for that dependant, and 雇用保険 離職 (koyo.left_on; the
 * loss is the next day) for the employee (employment_insurance_loss). employee_id 0: every
 * person; else that household only. Inside the caller's transaction.
 */
MNV_MUST_CHECK enum mnv_err
insurance_retention_scan(struct vault *v, int64_t employee_id,
                         enum mnv_err (*emit)(void *ud, const struct retention_event *ev), void *ud,
                         struct mnv_diag *diag) MNV_NONNULL(1, 3);

#endif
