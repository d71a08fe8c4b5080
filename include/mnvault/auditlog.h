/* auditlog.h (store layer): the hash-chained audit table of vault.db.
 *
 * Each entry: seq (1, 2, 3 … without gaps), UTC time, user, role, action, subject (an
 * internal person id such as "employee:42" or a user name; never a number), result,
 * detail (field names, purpose codes …), prev (the previous entry's hash; 32 zero bytes
 * for the first), and hash = BLAKE2b-256 keyed with the audit key (a subkey of MK) over
 *   "mnvault-audit-1" || prev || seq:u64 || time:i64 || for each text field: len:u32 || bytes
 * (little-endian). Text is stored escaped by textsafe (control and bidirectional characters
 * as \xNN or \uNNNN, "\" as "\\"), so a name with a newline, an escape sequence or a
 * right-to-left override cannot forge or disguise a line of a report.
 * Entries are appended inside the transaction of the change they describe, each sealed
 * (auditseal.h) once sealing has started; vault_commit() then anchors the new head in the
 * key file.
 */
#ifndef MNVAULT_AUDITLOG_H
#define MNVAULT_AUDITLOG_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/keyring.h"
#include "mnvault/vault.h"

#define AUDIT_USER_MAX 64
#define AUDIT_ROLE_MAX 16
#define AUDIT_ACTION_MAX 48
#define AUDIT_SUBJECT_MAX 96
#define AUDIT_RESULT_MAX 16
#define AUDIT_DETAIL_MAX 512

/* One entry as stored (text already escaped). */
struct audit_entry {
    uint64_t seq;
    int64_t time;
    char user[AUDIT_USER_MAX + 1];
    char role[AUDIT_ROLE_MAX + 1];
    char action[AUDIT_ACTION_MAX + 1];
    char subject[AUDIT_SUBJECT_MAX + 1];
    char result[AUDIT_RESULT_MAX + 1];
    char detail[AUDIT_DETAIL_MAX + 1];
    unsigned char prev[VCRYPTO_HASH_LEN];
    unsigned char hash[VCRYPTO_HASH_LEN];
};

/* What was given to auditlog_append(); text is escaped and cut to the limits above. */
struct audit_event {
    int64_t time;     /* 0: clock_now() */
    const char *user; /* "" for none (e.g. a failed login of an unknown name) */
    const char *role;
    const char *action;  /* e.g. "login", "reveal", "user.add" (doc/audit.md lists them) */
    const char *subject; /* "" when none */
    const char *result;  /* "ok", "denied", "refused", "failed" */
    const char *detail;  /* "" when none */
};

/*
 * auditlog_append: append ev inside the open write transaction of v; fills *out (may be
 * NULL) with the stored entry. Whatever the caller, no text holding a valid My Number is
 * stored: a field that holds one (numtext.h, any-run rule; identifiers such as hex ids and
 * long digit runs do not count) is refused with MNV_ERR_AUDIT_NUMBER and nothing is written.
 * Returns MNV_OK, MNV_ERR_AUDIT_NUMBER, MNV_ERR_INVALID (no transaction) or a database error.
 */
MNV_MUST_CHECK enum mnv_err auditlog_append(struct vault *v, const struct audit_event *ev,
                                            struct audit_entry *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/*
 * auditlog_record: auditlog_append() in a write transaction of its own, begun here and
 * committed (rolled back on failure). For entries that are the whole change: a refusal, a
 * lock, a logout. Errors as auditlog_append(), or the commit's.
 */
MNV_MUST_CHECK enum mnv_err auditlog_record(struct vault *v, const struct audit_event *ev,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* Result of auditlog_verify(). */
struct auditlog_report {
    uint64_t entries;    /* entries checked */
    uint64_t bad_seq;    /* first entry that does not fit (0 when all fit) */
    const char *problem; /* what is wrong with it, a message id; NULL when all fit */
    uint64_t head_seq;   /* the last entry */
    unsigned char head[VCRYPTO_HASH_LEN];
    int anchor_ok; /* the key file's anchored head is in the chain */
    uint64_t anchor_seq;
};

/*
 * auditlog_verify: recompute the whole chain, then check that the anchor a (may be NULL:
 * not checked) names an entry of it. Returns MNV_OK; MNV_ERR_AUDIT_BROKEN with r->bad_seq
 * and r->problem ("missing", "changed", "out of order" … as message ids), and diag->line =
 * the bad seq; MNV_ERR_AUDIT_ANCHOR when the chain holds but does not reach the anchor;
 * or a database error.
 */
MNV_MUST_CHECK enum mnv_err auditlog_verify(struct vault *v, const struct keyring_anchor *a,
                                            struct auditlog_report *r, struct mnv_diag *diag)
    MNV_NONNULL(1, 3);

/*
 * auditlog_check_anchor: the quick check made at every open: the entry at a->seq exists
 * and has hash a->head, and every later entry chains on from it. Sets the store's head.
 * Returns MNV_OK, MNV_ERR_DB_ROLLBACK (the anchored entry is missing or different),
 * MNV_ERR_AUDIT_BROKEN (diag->line = seq), or a database error.
 */
MNV_MUST_CHECK enum mnv_err auditlog_check_anchor(struct vault *v, const struct keyring_anchor *a,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* auditlog_get: the entry seq into *e (*found = 0 when there is none). Returns MNV_OK or a
 * database error. */
MNV_MUST_CHECK enum mnv_err auditlog_get(struct vault *v, uint64_t seq, struct audit_entry *e,
                                         int *found, struct mnv_diag *diag) MNV_NONNULL(1, 3, 4);

/* Called for each entry by auditlog_each(); a nonzero return stops the walk. */
typedef int (*auditlog_fn)(void *ud, const struct audit_entry *e);

/* auditlog_each: every entry with seq >= from, oldest first. */
MNV_MUST_CHECK enum mnv_err auditlog_each(struct vault *v, uint64_t from, auditlog_fn fn, void *ud,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * auditlog_recent: the newest n entries (at most), newest first, into out[0..*count).
 */
MNV_MUST_CHECK enum mnv_err auditlog_recent(struct vault *v, size_t n, struct audit_entry *out,
                                            size_t *count, struct mnv_diag *diag)
    MNV_NONNULL(1, 3, 4);

/*
 * auditlog_last: the seq of the newest entry with action whose detail contains needle
 * (*seq 0 when none). Returns MNV_OK or a database error.
 */
MNV_MUST_CHECK enum mnv_err auditlog_last(struct vault *v, const char *action, const char *needle,
                                          uint64_t *seq) MNV_NONNULL(1, 2, 3, 4);

/*
 * auditlog_escape: copy text into out (size bytes) escaped by textsafe_escape() (controls,
 * bidirectional controls and invalid UTF-8 as \xNN or \uNNNN, "\" as "\\"); cut at a
 * character boundary. Returns out.
 */
char *auditlog_escape(char *out, size_t size, const char *text) MNV_NONNULL(1, 3);

#endif
