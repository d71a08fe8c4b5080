/* change.h (service layer): the one write path of the services. A change to the vault is one
 * database transaction that holds the change and its audit entry, so that the log never
 * misses a change and never tells of one that did not happen:
 *
 *   change_run(): begin → body → audit entry → commit, with the body's key file change (if
 *   any) written together with the audit anchor (doc/architecture.md, "Two transaction
 *   systems"). On any failure the transaction is rolled back and, when the body asks for
 *   it, the refusal is audited in a transaction of its own.
 *
 * The caller checks access (access.h) and validates its input first. Writes made without a
 * signed-in session (creating a vault, restoring a backup, recovering a password), the
 * session's own entries (login, lock, password change) and the bulk insert that spans many
 * calls (people.h) use the store directly: they sit below or beside this module.
 */
#ifndef MNVAULT_CHANGE_H
#define MNVAULT_CHANGE_H

#include "mnvault/attr.h"
#include "mnvault/auditlog.h"
#include "mnvault/err.h"
#include "mnvault/vault.h"

struct session;

/* What a body tells change_run(); it starts with the caller's action and subject. */
struct change {
    const char *action;                  /* the audit action ("person.update"); may change */
    char subject[AUDIT_SUBJECT_MAX + 1]; /* the audit subject; the body may fill or change it */
    char detail[AUDIT_DETAIL_MAX + 1];   /* the audit detail; "" unless the body fills it */
    const char *result;                  /* the audit result: "ok" unless the body says */
    int skip_entry;           /* body: add no entry (nothing changed, or it wrote its own) */
    int rollback;             /* body: undo although it succeeded (a dry run); no entry */
    const char *refusal;      /* body, when it fails: audit "refused" with this detail */
    vault_keyring_fn keyfile; /* body: a key file change written with the commit's anchor */
    void *keyfile_ud;
};

/* The body of a change: it writes through the store modules inside the open transaction and
 * returns MNV_OK, or the error that undoes the whole change. */
typedef enum mnv_err (*change_fn)(struct session *s, struct change *c, void *ud,
                                  struct mnv_diag *diag);

/*
 * change_run: run body(s, c, ud, diag) as one change audited as action on subject (may be
 * NULL). Returns MNV_OK when the change and its entry are committed (or, with c->rollback,
 * undone as asked); else the body's, c->keyfile's (applied to the key file before the
 * commit and journaled in it), the audit writer's or the database's error with the change
 * rolled back — except that when only the key file's write fails after the database
 * commit, the change stays and that error is returned (vault_commit(); the file catches up
 * from the journal at the next open).
 */
MNV_MUST_CHECK enum mnv_err change_run(struct session *s, const char *action, const char *subject,
                                       change_fn body, void *ud, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 4);

/* change_detail / change_subject: printf into c->detail / c->subject (cut to size). */
void change_detail(struct change *c, const char *fmt, ...) MNV_PRINTF(2, 3) MNV_NONNULL(1, 2);
void change_subject(struct change *c, const char *fmt, ...) MNV_PRINTF(2, 3) MNV_NONNULL(1, 2);

#endif
