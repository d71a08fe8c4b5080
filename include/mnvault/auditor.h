/* auditor.h (service layer): reading and verifying the audit log and the whole vault — what
 * auditors, supervisors and the dashboard do with the trail that audit.h writes. Each call
 * checks the role (access.h) and is itself audited where doc/audit.md says so.
 */
#ifndef MNVAULT_AUDITOR_H
#define MNVAULT_AUDITOR_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/auditlog.h"
#include "mnvault/auditseal.h"
#include "mnvault/err.h"
#include "mnvault/keyring.h"
#include "mnvault/strbuf.h"
#include "mnvault/vault.h"

struct session;

/*
 * auditor_verify_log: recompute the chain and check it reaches the key file's anchor (role:
 * audit.verify). The result is stored (time, "ok" or "failed") for the dashboard and
 * audited as "audit.verify". Returns MNV_OK, MNV_ERR_AUDIT_BROKEN (r->bad_seq names the
 * first entry that does not fit), MNV_ERR_AUDIT_ANCHOR, MNV_ERR_DENIED, or another error.
 */
MNV_MUST_CHECK enum mnv_err auditor_verify_log(struct session *s, struct auditlog_report *r,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* Result of auditor_verify_vault(): each part, and the first failure. */
struct vault_check {
    int keyfile_ok; /* vault.keys: checksum, structure, MAC with VK */
    int db_ok;      /* every page's HMAC, the b-trees, the foreign keys */
    struct vault_integrity db;
    int log_ok; /* the audit chain and its anchor */
    struct auditlog_report log;
    int numbers_ok;      /* every stored number opens with its data key */
    int numbers_skipped; /* the role holds no number key: numbers (figures, insurance facts) not
                            checked */
    long numbers_checked;
    int64_t bad_number; /* record id of the first number that does not open */
    int payroll_ok;     /* every row of year-end figures opens with its data key */
    long payroll_checked;
    int64_t bad_payroll; /* row id of the first that does not open */
    int insurance_ok;    /* every person's insurance facts open with their data key */
    long insurance_checked;
    int64_t bad_insurance; /* row id of the first that does not open */
    enum mnv_err first;    /* the error of the first part that failed; MNV_OK */
};

/*
 * auditor_verify_vault: check the whole vault (role: vault.verify): the key file as it is on
 * disk, every page of vault.db, the audit chain and anchor, every stored number. Stored
 * for the dashboard and audited as "vault.verify". Returns MNV_OK when all hold,
 * MNV_ERR_VERIFY_FAILED when one does not (r says which), or MNV_ERR_DENIED.
 */
MNV_MUST_CHECK enum mnv_err auditor_verify_vault(struct session *s, struct vault_check *r,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * auditor_each: every entry with seq >= from, oldest first, to fn (role: audit.export;
 * audited as "audit.export" before the first entry is read).
 */
MNV_MUST_CHECK enum mnv_err auditor_each(struct session *s, uint64_t from, auditlog_fn fn, void *ud,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * auditor_recent: the newest n entries, newest first (role: audit.read). A screen that shows
 * them only to some roles checks access_allowed() first: calling this as a role without
 * audit.read is refused and the refusal audited.
 */
MNV_MUST_CHECK enum mnv_err auditor_recent(struct session *s, size_t n, struct audit_entry *out,
                                           size_t *count, struct mnv_diag *diag)
    MNV_NONNULL(1, 3, 4);

/* The last verification run, as stored by auditor_verify_log() / auditor_verify_vault(). */
struct audit_last_check {
    int64_t at;      /* Unix time; 0 when never run */
    char kind[16];   /* "audit" or "vault" */
    char result[16]; /* "ok" or "failed" */
};

/* auditor_last_check: the last verification (any role with a ready session). */
MNV_MUST_CHECK enum mnv_err auditor_last_check(struct session *s, struct audit_last_check *out)
    MNV_NONNULL(1, 2);

/* ---- sealing and checkpoints (auditseal.h, doc/audit.md "Sealing") ----------------------- */

/*
 * auditor_seal_start: start sealing the log of a vault made before sealing existed (role:
 * audit.seal, auditors). key_text (AUDITSEAL_TEXT_MAX bytes, secmem) receives the seal key
 * to show once and keep away from the machine. Audited as "audit.seal". Returns MNV_OK,
 * MNV_ERR_AUDIT_SEALED (already sealed: the key was shown when it started), MNV_ERR_DENIED
 * or another error.
 */
MNV_MUST_CHECK enum mnv_err auditor_seal_start(struct session *s, char *key_text,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* A checkpoint: the newest entry of the log as the auditor saw it. */
struct audit_checkpoint {
    unsigned char vault_id[KEYRING_ID_LEN];
    uint64_t seq;
    unsigned char hash[VCRYPTO_HASH_LEN];
    int has_tag; /* the entry was sealed: tag is its seal */
    unsigned char tag[AUDITSEAL_TAG_LEN];
    int64_t made;
    char by[AUDIT_USER_MAX + 1];
};

/*
 * auditor_checkpoint: the newest entry of the log (role: audit.verify), audited as
 * "audit.checkpoint" (the checkpoint names the entry before that one).
 */
MNV_MUST_CHECK enum mnv_err auditor_checkpoint(struct session *s, struct audit_checkpoint *cp,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* auditor_checkpoint_format: the text form of cp (doc/audit.md) into out (replaced). */
MNV_MUST_CHECK enum mnv_err auditor_checkpoint_format(const struct audit_checkpoint *cp,
                                                      struct strbuf *out) MNV_NONNULL(1, 2);

/* auditor_checkpoint_parse: read the text form; MNV_ERR_AUDIT_CHECKPOINT_FILE when it is
 * not one, or was edited (its check line does not fit). */
MNV_MUST_CHECK enum mnv_err auditor_checkpoint_parse(const char *text, struct audit_checkpoint *cp)
    MNV_NONNULL(1, 2);

/* Result of auditor_seal_check(). */
struct auditor_seal_check {
    struct auditseal_status status;
    const char *shape_problem; /* the seals as stored do not fit the log (message id) */
    int key_checked;           /* a seal key was given and read */
    struct auditseal_report seal;
    int checkpoint_checked;
    const char *checkpoint_problem; /* message id; NULL when the log still holds it */
};

/*
 * auditor_seal_status: what the vault says about its sealing, without the seal key and
 * without an audit entry (role audit.read; for screens that show the state): *st, and in
 * *shape_problem a message id when the seals as stored do not fit the log (NULL when they
 * do, or sealing has not started).
 */
MNV_MUST_CHECK enum mnv_err auditor_seal_status(struct session *s, struct auditseal_status *st,
                                                const char **shape_problem, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * auditor_seal_check: check the sealing of the log (role: audit.verify): that the stored
 * seals fit the log; with key_text (the seal key's text form), every seal and the kept
 * state (auditseal_verify()); with against, that the log still holds the checkpoint's entry
 * unchanged. Stored for the dashboard and audited as "audit.verify". Returns MNV_OK,
 * MNV_ERR_AUDIT_SEAL, MNV_ERR_AUDIT_CHECKPOINT, MNV_ERR_AUDIT_SEAL_KEY (key_text is not a
 * seal key), MNV_ERR_DENIED or another error.
 */
MNV_MUST_CHECK enum mnv_err auditor_seal_check(struct session *s, const char *key_text,
                                               const struct audit_checkpoint *against,
                                               struct auditor_seal_check *r, struct mnv_diag *diag)
    MNV_NONNULL(1, 4);

#endif
