/* people.h (service layer): employees, dependents and their My Number records, as the screens and
 * the import use them. Every call checks the role (access.h), validates, writes in one transaction
 * with its audit entry, and never puts a number into an audit entry or a message: subjects are
 * "employee:<id>" / "dependent:<id>", details are field names and purpose codes.
 */
#ifndef MNVAULT_PEOPLE_H
#define MNVAULT_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/auditor.h"
#include "mnvault/err.h"
#include "mnvault/mynumber.h"
#include "mnvault/person.h"
#include "mnvault/purpose.h"

struct session;

/* people_subject: "employee:42" / "dependent:7" into buf (the audit subject). Returns buf.
 * Internal: never shown to a person as it is (people_subject_describe). */
char *people_subject(char *buf, size_t size, const struct person_ref *ref) MNV_NONNULL(1, 3);

/* Who an audit subject is, as a person reads it: the employee's code, and for a dependent
 * its place among that employee's dependents (1 = added first). */
struct people_subject_label {
    char code[PERSON_CODE_MAX + 1];
    int dependent_no; /* 0: the employee */
};

/*
 * people_subject_describe: the label of an audit subject ("employee:<id>" or
 * "dependent:<id>") into *out (audit.read or person.view). Returns MNV_OK; MNV_ERR_INVALID
 * when subject names no person (out->code = ""); MNV_ERR_NOT_FOUND when the person was
 * deleted since; database errors. Reads inside the caller's transaction if one is open.
 */
MNV_MUST_CHECK enum mnv_err people_subject_describe(struct session *s, const char *subject,
                                                    struct people_subject_label *out,
                                                    struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * people_find: the person named by an employee code and, for a dependant, the dependant's
 * name as stored (spaces, ASCII or full-width, ignored) into *ref (person.view). Returns
 * MNV_OK, MNV_ERR_PERSON_NOT_FOUND (no such employee, or no such dependant of theirs),
 * MNV_ERR_EXISTS (two dependants of that name), MNV_ERR_DENIED or a database error.
 */
MNV_MUST_CHECK enum mnv_err people_find(struct session *s, const char *employee_code,
                                        const char *dependent_name, struct person_ref *ref,
                                        struct mnv_diag *diag) MNV_NONNULL(1, 2, 4);

/*
 * people_employee_add: validate (person_employee_validate) and insert e (role:
 * person.edit); sets e->id. Audited "person.add". Errors: validation (diag->item = field),
 * MNV_ERR_CODE_TAKEN, MNV_ERR_DENIED, database errors.
 */
MNV_MUST_CHECK enum mnv_err people_employee_add(struct session *s, struct employee *e,
                                                struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * people_employee_update: validate and store e over row e->id (person.edit); *changed
 * receives the enum employee_field bits that changed (audited "person.update" with their
 * names; nothing is written or audited when none changed).
 */
MNV_MUST_CHECK enum mnv_err people_employee_update(struct session *s, struct employee *e,
                                                   unsigned *changed, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* people_employee_delete: delete an employee with dependents and numbers (person.edit). */
MNV_MUST_CHECK enum mnv_err people_employee_delete(struct session *s, int64_t id,
                                                   struct mnv_diag *diag) MNV_NONNULL(1);

/* people_employee_get: one employee (person.view; not audited: it holds no number). */
MNV_MUST_CHECK enum mnv_err people_employee_get(struct session *s, int64_t id, struct employee *e,
                                                struct mnv_diag *diag) MNV_NONNULL(1, 3);

/* people_dependent_add / _update / _delete / _get: as for employees ("dependent.*"). */
MNV_MUST_CHECK enum mnv_err people_dependent_add(struct session *s, struct dependent *d,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2);
MNV_MUST_CHECK enum mnv_err people_dependent_update(struct session *s, struct dependent *d,
                                                    unsigned *changed, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);
MNV_MUST_CHECK enum mnv_err people_dependent_delete(struct session *s, int64_t id,
                                                    struct mnv_diag *diag) MNV_NONNULL(1);
MNV_MUST_CHECK enum mnv_err people_dependent_get(struct session *s, int64_t id, struct dependent *d,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 3);

/* people_dependents_of: an employee's dependents (person.view); free *out with free(). */
MNV_MUST_CHECK enum mnv_err people_dependents_of(struct session *s, int64_t employee_id,
                                                 struct dependent **out, size_t *count,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 3, 4);

/*
 * people_list: every employee as a compact row, in one read transaction (person.view).
 * Fast enough for 100,000 rows (see tests/bench/vault.sh). Free with person_list_free().
 */
MNV_MUST_CHECK enum mnv_err people_list(struct session *s, struct person_list *out,
                                        struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * people_list_first: the first limit current employees in code order (person.view), the
 * rows people_list gives for them: the list's first screen, shown before the whole list
 * has been read.
 */
MNV_MUST_CHECK enum mnv_err people_list_first(struct session *s, long limit,
                                              struct person_list *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 3);

/*
 * people_list_each: every employee with only the names read, to fn one at a time
 * (persondb_list_each; person.view): the terminal's list, whose other columns come from
 * people_row_details for the rows shown.
 */
MNV_MUST_CHECK enum mnv_err people_list_each(struct session *s, person_row_fn fn, void *ud,
                                             struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* people_row_details: out[i] = what the list shows of employee ids[i] beside the names, for
 * i < n, in one read transaction (person.view). */
MNV_MUST_CHECK enum mnv_err people_row_details(struct session *s, const int64_t *ids, size_t n,
                                               struct person_detail *out, struct mnv_diag *diag)
    MNV_NONNULL(1);

/* What the dashboard shows. */
struct people_stats {
    struct person_counts counts;
    struct audit_last_check last_check;
};

/* people_stats: the dashboard's figures (dashboard: every role). */
MNV_MUST_CHECK enum mnv_err people_stats(struct session *s, struct people_stats *out,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* people_number_info: the number record of ref, never the number (person.view). */
MNV_MUST_CHECK enum mnv_err people_number_info(struct session *s, const struct person_ref *ref,
                                               struct number_info *info, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * people_number_store: store the number n for ref with the purposes notified to the person
 * (number.store; at least one purpose, each known, each with a date). Audited
 * "number.store" (purpose codes and version only). A number already registered to another
 * record is refused (MNV_ERR_NUMBER_DUPLICATE, not saying whose) and the refusal audited.
 * Errors also: MNV_ERR_PURPOSE_NEEDED, PURPOSE_UNKNOWN (diag->item = the code), FIELD_DATE,
 * EXISTS (this record holds exactly this number already), PERSON_NOT_FOUND, DENIED.
 */
MNV_MUST_CHECK enum mnv_err people_number_store(struct session *s, const struct person_ref *ref,
                                                const struct mynumber *n,
                                                const struct purpose_notice *purposes, size_t count,
                                                struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * people_number_refused: record that the person declined to give a number (提供拒否), on
 * date, for reason (the person's words, or what was said when asked; kept in the record,
 * never in the audit log), replacing a refusal recorded before (number.store). Audited
 * "number.refused" with the date. The record's status becomes refused (lists: 提供拒否;
 * struct number_info's refused_on and refused_reason) until a number is collected. Errors:
 * MNV_ERR_FIELD_DATE / FIELD_FUTURE (diag->item "refused_on"), REASON_NEEDED, REASON_NUMBER,
 * FIELD_LONG, FIELD_CHARS (diag->item "reason"), REFUSAL_HAS_NUMBER (a number is stored;
 * the attempt is audited as refused), NUMBER_STATE (disposed), PERSON_NOT_FOUND, DENIED.
 */
MNV_MUST_CHECK enum mnv_err people_number_refused(struct session *s, const struct person_ref *ref,
                                                  const char *date, const char *reason,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

/*
 * people_dependent_end: record that the dependant left the employee's 扶養 on date
 * (person.edit), or with date "" that the dependant is one again (a mistake undone). The
 * day is the retention event dependant_left (retentiondb.h, data/retention.ini) and shows
 * on the record; the dependant and their number record stay until retention ends. Audited
 * "dependent.end" (on=DATE, or undone=DATE); nothing is written when the date is the same.
 * Errors: MNV_ERR_FIELD_DATE, FIELD_FUTURE, FIELD_LEFT_ORDER (diag->item "left_on"),
 * PERSON_NOT_FOUND, DENIED.
 */
MNV_MUST_CHECK enum mnv_err people_dependent_end(struct session *s, int64_t dependent_id,
                                                 const char *date, struct mnv_diag *diag)
    MNV_NONNULL(1, 3);

/*
 * people_rotate_epoch: a new epoch key; every live data key is rewrapped under it, then the
 * old epoch key is destroyed (epoch.rotate), so that data keys in older copies of vault.db
 * can no longer be opened (what disposal relies on). Audited "epoch.rotate" with the count
 * (*rewrapped). A crash half way leaves both keys in the key file; the next rotation
 * finishes the job.
 */
MNV_MUST_CHECK enum mnv_err people_rotate_epoch(struct session *s, long *rewrapped,
                                                struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * Bulk insert for the demo generator, imports and the benchmark: one write transaction,
 * prepared statements, one audit entry ("bulk.insert" with the counts) at the commit.
 * people_bulk_begin needs person.edit and number.store; then people_bulk_add for each
 * employee (validated like people_employee_add; n may be NULL; purposes as in
 * people_number_store), then people_bulk_commit or people_bulk_abort. A failing add leaves
 * the transaction open: the caller decides to abort. One bulk insert at a time per
 * process (MNV_ERR_INVALID otherwise).
 */
MNV_MUST_CHECK enum mnv_err people_bulk_begin(struct session *s, struct mnv_diag *diag)
    MNV_NONNULL(1);
MNV_MUST_CHECK enum mnv_err people_bulk_add(struct session *s, struct employee *e,
                                            const struct mynumber *n,
                                            const struct purpose_notice *purposes, size_t count,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2);
/* people_bulk_add_dependent: the same for a dependent of an employee added before. */
MNV_MUST_CHECK enum mnv_err people_bulk_add_dependent(struct session *s, struct dependent *d,
                                                      const struct mynumber *n,
                                                      const struct purpose_notice *purposes,
                                                      size_t count, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);
MNV_MUST_CHECK enum mnv_err people_bulk_commit(struct session *s, struct mnv_diag *diag)
    MNV_NONNULL(1);
void people_bulk_abort(struct session *s) MNV_NONNULL(1);

#endif
