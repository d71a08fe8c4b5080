/* disposal.h (service layer): deleting numbers past their retention, with four eyes.
 *
 * A clerk (or a supervisor) proposes a batch of numbers that retention says are due
 * (retention.h); a *different* supervisor approves or rejects it with a reason, giving
 * their TOTP code again when they have one; the proposer may withdraw it. Nothing is
 * deleted without an approved proposal. Each item keeps a digest of the retention facts
 * it was proposed on (the number record's version, every clock of the verdict, the hold);
 * approving or executing recomputes them inside its own transaction, and when any item is
 * no longer due or its facts changed, the proposal is marked stale (audited) and refused.
 *
 * Audited: disposal.propose (subject "proposal:<id>", counts), disposal.approve /
 * disposal.reject (reason), disposal.withdraw, disposal.stale (the first changed item).
 */
#ifndef MNVAULT_DISPOSAL_H
#define MNVAULT_DISPOSAL_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/backup.h"
#include "mnvault/certdb.h"
#include "mnvault/disposaldb.h"
#include "mnvault/err.h"
#include "mnvault/retention.h"

struct session;
struct login_info;

/* One item as screens show it: the stored item and the person's name. */
struct disposal_row {
    struct disposal_item item;
    char name[PERSON_NAME_MAX + 1];          /* the person (employee or dependant) */
    char employee_name[PERSON_NAME_MAX + 1]; /* the employee of the household */
    enum dependent_relation relation;        /* of a dependant; 0 for the employee */
    int64_t proposal;                        /* disposal_due_rows: the open proposal that
                                              * holds it; 0 when none */
};

/*
 * disposal_propose: propose the numbers number_ids[0..n) (n = 0: every number due now)
 * with note (may be "", no My Number), as the signed-in user (disposal.propose). Only
 * numbers due now may be proposed, each in one open proposal at most. *id receives the
 * proposal. Returns MNV_OK, MNV_ERR_DENIED, MNV_ERR_NOTHING_DUE (nothing chosen is due),
 * MNV_ERR_NOT_DUE (a number chosen is not due; diag->line = its record), MNV_ERR_IN_PROPOSAL,
 * MNV_ERR_REASON_NUMBER, MNV_ERR_FIELD_LONG, or a database error.
 */
MNV_MUST_CHECK enum mnv_err disposal_propose(struct session *s, const struct retention_rules *r,
                                             const int64_t *number_ids, size_t n, const char *note,
                                             int64_t *id, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 5, 6);

/*
 * disposal_approve: as a supervisor other than the proposer (disposal.approve), approve
 * proposal id for reason; totp is the approver's current code when they have TOTP (NULL
 * or "" otherwise). Returns MNV_OK, MNV_ERR_DENIED, MNV_ERR_OWN_PROPOSAL,
 * MNV_ERR_REASON_NEEDED, MNV_ERR_REASON_NUMBER, MNV_ERR_TOTP_NEEDED (a code is needed),
 * MNV_ERR_TOTP_WRONG / TOTP_REPLAY / LOCKED (info), MNV_ERR_PROPOSAL_STATE (not waiting
 * for a decision), MNV_ERR_PROPOSAL_STALE (now marked stale), MNV_ERR_NOT_FOUND.
 */
MNV_MUST_CHECK enum mnv_err disposal_approve(struct session *s, const struct retention_rules *r,
                                             int64_t id, const char *reason, const char *totp,
                                             struct login_info *info, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 4);

/*
 * disposal_reject: as a supervisor other than the proposer, reject proposal id for reason.
 * Returns MNV_OK, MNV_ERR_DENIED, MNV_ERR_OWN_PROPOSAL (withdraw it instead),
 * MNV_ERR_REASON_NEEDED, MNV_ERR_REASON_NUMBER, MNV_ERR_PROPOSAL_STATE, MNV_ERR_NOT_FOUND.
 */
MNV_MUST_CHECK enum mnv_err disposal_reject(struct session *s, int64_t id, const char *reason,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * disposal_withdraw: the proposer takes back proposal id (not yet decided). Returns
 * MNV_OK, MNV_ERR_DENIED (not the proposer), MNV_ERR_PROPOSAL_STATE, MNV_ERR_NOT_FOUND.
 */
MNV_MUST_CHECK enum mnv_err disposal_withdraw(struct session *s, int64_t id, struct mnv_diag *diag)
    MNV_NONNULL(1);

/*
 * disposal_list: proposals, newest first: only open ones (proposed, approved) when
 * open_only (role person.view). *out malloc'd (free with free(); NULL when none).
 */
MNV_MUST_CHECK enum mnv_err disposal_list(struct session *s, int open_only,
                                          struct disposal_proposal **out, size_t *count,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 3, 4);

/*
 * disposal_get: proposal id and its items with the persons' names (role person.view).
 * *rows malloc'd (free with free()). Returns MNV_OK, MNV_ERR_NOT_FOUND, or an error.
 */
MNV_MUST_CHECK enum mnv_err disposal_get(struct session *s, int64_t id, struct disposal_proposal *p,
                                         struct disposal_row **rows, size_t *count,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 3, 4, 5);

/*
 * disposal_fresh: whether an open proposal could still be approved or executed now: every
 * item still due, with the facts it was proposed on (role person.view; read only). *fresh
 * = 1 or 0; *changed = the number record of the first item that changed (0 when fresh).
 */
MNV_MUST_CHECK enum mnv_err disposal_fresh(struct session *s, const struct retention_rules *r,
                                           int64_t id, int *fresh, int64_t *changed,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 2, 4, 5);

/*
 * disposal_due_rows: every number due now, with whose it is, the retention date, the
 * deciding kind of document, and the open proposal that holds it (role person.view), in
 * person order. *rows malloc'd (free with free(); NULL when none). For the Disposal screen
 * and the oversight screens.
 */
MNV_MUST_CHECK enum mnv_err disposal_due_rows(struct session *s, const struct retention_rules *r,
                                              struct disposal_row **rows, size_t *count,
                                              struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

/* The dashboard's figures: proposals waiting for a decision, approved ones not executed. */
struct disposal_counts {
    long proposed, approved;
};

/* disposal_counts: (role dashboard). */
MNV_MUST_CHECK enum mnv_err disposal_counts(struct session *s, struct disposal_counts *out,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* disposal_state_label: the state in words, as a message id ("waiting for approval"). */
const char *disposal_state_label(enum disposal_state st);

/* disposal_decision_text: "Approved by sup on 2026-12-01 10:42" (translated, local time) for
 * the decision that put p in its state, into buf; "" while it waits for one. Returns buf. */
char *disposal_decision_text(char *buf, size_t size, const struct disposal_proposal *p)
    MNV_NONNULL(1, 3);

/* --- Execution (disposal_exec.c) ------------------------------------------------------------ */

/* What disposal_execute() and disposal_finish() did. */
struct disposal_done {
    struct cert_rec cert;     /* the certificate issued (execute) */
    long numbers;             /* numbers deleted */
    uint32_t epoch_from;      /* the epoch key that wrapped them */
    uint32_t epoch_to;        /* the one every other data key is wrapped by now */
    size_t epochs_destroyed;  /* epoch keys destroyed in the key file */
    long rewrapped;           /* data keys (numbers and figures) rewrapped */
    long files;               /* certificate files written */
    int vacuumed;             /* the database was rewritten (VACUUM) */
    int backed_up;            /* a new managed backup was made */
    size_t backups_forgotten; /* managed backups made before, deleted */
    enum mnv_err after;       /* the first failure after the deletion's commit; MNV_OK */
};

/*
 * disposal_execute: delete the numbers of approved proposal id, as a supervisor
 * (disposal.approve), in this order:
 *   1. any work an earlier execution left unfinished is finished (disposal_finish());
 *   2. a new epoch key is added to the key file;
 *   3. in ONE transaction: the proposal is checked (approved, not stale: a stale one is
 *      marked and refused), each number's record loses its number, data key, blind index
 *      and purposes (numberdb_dispose()), every other data key (numbers, year-end figures)
 *      is rewrapped under the new epoch key, the certificate of deletion is issued and
 *      registered (cert.h), the proposal marked executed, and "disposal.execute" audited
 *      with the certificate's id and SHA-256 — so a deletion never exists without its
 *      certificate, nor a certificate without its deletion;
 *   4. then (disposal_finish()): the old epoch key is destroyed in the key file, the
 *      database rewritten (VACUUM), the certificate files written to the vault's
 *      certificates folder, a new managed backup made (bo: the configured folder and
 *      generations) and the managed backups made before deleted.
 * A failure in step 4 leaves the deletion and its certificate in place; out->after says
 * what failed and disposal_finish() (or the next execution) completes it. Returns MNV_OK,
 * MNV_ERR_DENIED, MNV_ERR_NOT_FOUND, MNV_ERR_PROPOSAL_STATE (not approved),
 * MNV_ERR_PROPOSAL_STALE, MNV_ERR_PDF_* (a name the certificate's font cannot print:
 * nothing deleted), or a database or key file error.
 */
MNV_MUST_CHECK enum mnv_err disposal_execute(struct session *s, const struct retention_rules *r,
                                             int64_t id, const struct backup_options *bo,
                                             struct disposal_done *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 4, 5);

/*
 * disposal_finish: step 4 of disposal_execute() for whatever earlier executions left
 * undone (role disposal.approve): destroy epoch keys no record uses, VACUUM when a
 * disposal happened since the last, write missing certificate files, and when managed
 * backups older than the newest certificate exist, make a new one and delete them.
 * Returns MNV_OK or the first failure (also in out->after).
 */
MNV_MUST_CHECK enum mnv_err disposal_finish(struct session *s, const struct backup_options *bo,
                                            struct disposal_done *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

#endif
