/* collect.h (service layer): collecting a My Number with identity verification and the purposes
 *notified . One call stores, in one transaction, the number (a new record, or a new version when
 *the number changed), the verification record (collectdb.h) and the purposes notified to the person
 *with their dates, with one audit entry ("collect.store") that names codes only: never the number,
 *never a document's reference.
 *
 * The rules (idrules.h, data/id-documents.ini) decide which documents are enough; they are
 * read once per process. A number registered to another record is refused at once
 * (collect_check_number), without saying whose, and the refusal is audited. Roles:
 * number.store to collect, purpose.notify to add a purpose later, person.view to read.
 */
#ifndef MNVAULT_COLLECT_H
#define MNVAULT_COLLECT_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/collectdb.h"
#include "mnvault/err.h"
#include "mnvault/idrules.h"
#include "mnvault/mynumber.h"
#include "mnvault/person.h"

struct session;
struct purpose_catalog;

/* One document shown: its kind (idrules code), the check it served, an optional reference. */
struct collect_doc {
    char doc[IDRULES_CODE_MAX + 1];
    enum id_check check;
    char ref[IDRULES_REF_MAX + 1];
};

/* A purpose notified to the person, and the day. */
struct collect_purpose {
    char code[PURPOSE_CODE_MAX + 1];
    char date[11];
};

/* Everything one collection records. The number is borrowed (the caller's secmem). */
struct collect_request {
    struct person_ref person;
    const struct mynumber *number;
    char route[IDRULES_CODE_MAX + 1];
    enum id_channel channel;
    int known_in_person;
    char verified_by[COLLECT_VERIFIER_MAX + 1]; /* who checked the documents */
    char verified_on[11];                       /* "YYYY-MM-DD" */
    size_t ndocs;
    struct collect_doc docs[IDRULES_DOCS_MAX];
    size_t npurposes;
    struct collect_purpose purposes[NUMBER_PURPOSES_MAX];
};

/* What a stored collection became. */
struct collect_result {
    uint32_t version;  /* the number record's version now (1 for a first collection) */
    int recollected;   /* 1 when a different number replaced an earlier one */
    int verified_only; /* 1 when the number was stored already and only its identity
                        * verification (本人確認) was added */
    int64_t record_id; /* the verification record */
};

/* What collecting a number for a person will do (collect_check_number). */
enum collect_kind {
    COLLECT_NEW = 0, /* no number stored (missing, or refused before) */
    COLLECT_REPLACE, /* a different number replaces the one stored (a re-collection) */
    COLLECT_VERIFY,  /* the number stored already, without a record of identity
                      * verification: collecting it adds that record (本人確認) */
};

/*
 * collect_rules: the identity verification rules (loaded on first use from the data folder
 * and kept for the process; borrowed). Returns MNV_OK, MNV_ERR_NOT_FOUND or
 * MNV_ERR_IDRULES_FILE with diag naming the entry at fault.
 */
MNV_MUST_CHECK enum mnv_err collect_rules(const struct idrules **out, struct mnv_diag *diag)
    MNV_NONNULL(1);

/*
 * collect_judge: check req (everything but the number) against rules r, for a person whose
 * relation (dependents) and whose employee's verification state are given: the route, the
 * documents (idrules_evaluate), the verifier's name (MNV_ERR_VERIFIER_NEEDED, FIELD_LONG,
 * FIELD_CHARS), the day (FIELD_DATE, FIELD_FUTURE; diag->item "verified_on"), the purposes
 * (PURPOSE_NEEDED, PURPOSE_UNKNOWN or ID_PURPOSE_ROUTE with diag->item = the code, FIELD_DATE
 * or FIELD_FUTURE with diag->item = "notified_on"). catalog may be NULL (codes not checked).
 * *v as idrules_evaluate(). Returns MNV_OK or the first problem. Pure: no vault.
 */
MNV_MUST_CHECK enum mnv_err
collect_judge(const struct idrules *r, const struct purpose_catalog *catalog,
              const struct collect_request *req, enum dependent_relation relation,
              int declarant_verified, struct id_verdict *v, struct mnv_diag *diag)
    MNV_NONNULL(1, 3, 6);

/*
 * collect_notice_days_after: how many days after the identity check (verified_on) a purpose
 * was notified (notified_on), both "YYYY-MM-DD": 0 when on or before it (or a date is not
 * one). Numbers that reach the employer through the employee (dependants on the 扶養控除等
 * 申告書 or the 被扶養者届) may be notified promptly afterwards (個人情報保護法 第21条第1項);
 * the record shows how long after. Pure.
 */
int collect_notice_days_after(const char *verified_on, const char *notified_on) MNV_NONNULL(1, 2);

/* Facts about a person that the rules depend on. */
struct collect_person {
    enum dependent_relation relation; /* dependents */
    int64_t employee_id;              /* the employee, or the dependent's employee */
    int declarant_verified;           /* that employee's number is stored and verified */
    enum number_status status;        /* of the person's own number */
    int verified;                     /* the person's current number is verified */
};

/* collect_person_facts: the facts above for ref (person.view). */
MNV_MUST_CHECK enum mnv_err collect_person_facts(struct session *s, const struct person_ref *ref,
                                                 struct collect_person *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * collect_evaluate: collect_judge() for req with the person's facts read from the vault
 * (person.view). For the wizard, step by step.
 */
MNV_MUST_CHECK enum mnv_err collect_evaluate(struct session *s, const struct collect_request *req,
                                             struct id_verdict *v, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * collect_check_number: may n be collected for ref? (number.store) MNV_OK with *kind (may
 * be NULL) saying what storing it will do; MNV_ERR_NUMBER_DUPLICATE when another record
 * holds it (audited as a refused "collect.store", not saying whose); MNV_ERR_NUMBER_SAME
 * when ref already holds exactly it with its verification recorded;
 * MNV_ERR_PERSON_NOT_FOUND; MNV_ERR_DENIED.
 */
MNV_MUST_CHECK enum mnv_err collect_check_number(struct session *s, const struct person_ref *ref,
                                                 const struct mynumber *n, enum collect_kind *kind,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * collect_store: judge req completely (as collect_evaluate; incomplete documents are
 * refused with the MNV_ERR_ID_*_MISSING of the first unmet check), then store the number,
 * the verification record and the purposes in one transaction with the audit entry
 * (number.store; "collect.store", or "collect.verify" when the number was stored already
 * without a verification record and only the verification and new purposes are added:
 * res->verified_only). Nothing is stored on any error. *res may be NULL. Errors: those of
 * collect_judge and collect_check_number, MNV_ERR_RANGE (too many purposes), database
 * errors.
 */
MNV_MUST_CHECK enum mnv_err collect_store(struct session *s, const struct collect_request *req,
                                          struct collect_result *res, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/*
 * collect_write: the writing half of collect_store() for a caller that has judged req and
 * holds the write transaction (the import): number (numberdb_store_new when new_person,
 * else numberdb_store; the same number as stored, when it has no verification record yet,
 * is kept and res->verified_only set), purposes not yet recorded, verification record by
 * session user. No role check, no audit entry. Returns MNV_OK or the store's error (the caller
 * rolls back).
 */
MNV_MUST_CHECK enum mnv_err collect_write(struct session *s, const struct collect_request *req,
                                          int new_person, struct collect_result *res,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2, 4);

/*
 * collect_current: the verification of ref's current number (person.view): MNV_OK,
 * MNV_ERR_NOT_FOUND (none), or an error.
 */
MNV_MUST_CHECK enum mnv_err collect_current(struct session *s, const struct person_ref *ref,
                                            struct collect_rec *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* collect_history: every verification of ref, newest first (person.view); free *out. */
MNV_MUST_CHECK enum mnv_err collect_history(struct session *s, const struct person_ref *ref,
                                            struct collect_rec **out, size_t *count,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

/*
 * collect_notify_purpose: a purpose notified later, as a new notification on date
 * (purpose.notify, via purpose_notify()), refused with MNV_ERR_ID_PURPOSE_ROUTE when the way
 * the current number was collected does not allow that purpose, and MNV_ERR_FIELD_FUTURE
 * for a day after today.
 */
MNV_MUST_CHECK enum mnv_err collect_notify_purpose(struct session *s, const struct person_ref *ref,
                                                   const char *code, const char *date,
                                                   struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

#endif
