/* auditseal.h (store layer): forward-secure sealing of the audit log (issue 11,
 * doc/audit.md "Sealing").
 *
 * Every user who signs in holds the key of the audit chain (auditlog.h), so the chain alone
 * cannot stop a user who runs their own code from rewriting entries and re-hashing the rest.
 * Sealing adds what they cannot get: a sealing key that evolves with every entry, the old
 * key overwritten in the same transaction (Bellare–Yee / Schneier–Kelsey, as journald's
 * Forward Secure Sealing):
 *
 *   k[start]   random, shown once as the seal key (the "verification key") when sealing
 *              starts (mnvault init, or `mnvault audit seal-start` on an older vault); the
 *              auditor keeps it away from the machine
 *   tag[i]     BLAKE2b-256 keyed with k[i] over "mnvault-seal-entry-1" || i:u64 || hash[i]
 *              (hash[i] is the entry's chain hash, which covers its text and the previous
 *              entry), stored in audit_seal
 *   k[i+1]     BLAKE2b-256 keyed with k[i] over "mnvault-seal-evolve-1"; only the key of the
 *              next entry is kept (audit_seal_state), the one before is overwritten
 *
 * Someone who reads the state today holds k[n] and can compute every later key, but no
 * earlier one: they cannot change, remove or re-seal an entry sealed before they read it,
 * nor cut the end of the log (the state's key would not match the shortened log). Whoever
 * holds the seal key recomputes every key from k[start] and checks every tag and the state.
 *
 * The tables audit_seal (seq, tag) and audit_seal_state (start_seq, next_seq, key, key_id)
 * are schema step 10. The seal key's text form is "S<start>-" followed by 16 groups of four
 * lowercase hex digits and a 4-digit check group (auditseal_key_format()).
 */
#ifndef MNVAULT_AUDITSEAL_H
#define MNVAULT_AUDITSEAL_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/vault.h"
#include "mnvault/vcrypto.h"

#define AUDITSEAL_KEY_LEN VCRYPTO_KEY_LEN
#define AUDITSEAL_TAG_LEN VCRYPTO_HASH_LEN
#define AUDITSEAL_ID_LEN 8
#define AUDITSEAL_TEXT_MAX 128 /* bytes of the seal key's text form, with its NUL */

/* What the vault says about its sealing (no secret). */
struct auditseal_status {
    int started;                            /* sealing was started */
    uint64_t head;                          /* the newest entry of the log */
    uint64_t start;                         /* the first sealed entry */
    uint64_t next;                          /* the entry the kept key will seal */
    uint64_t tags;                          /* tags stored */
    unsigned char key_id[AUDITSEAL_ID_LEN]; /* names the seal key (auditseal_key_id()) */
};

/* Result of auditseal_verify(). */
struct auditseal_report {
    uint64_t checked;    /* entries whose tag was checked */
    uint64_t bad_seq;    /* the first entry that fails (0: none, or the state is wrong) */
    const char *problem; /* what is wrong, a message id; NULL when all holds */
};

/*
 * auditseal_start: inside the open write transaction, start sealing at the next entry of
 * the log: a fresh random key into key (secmem, AUDITSEAL_KEY_LEN bytes; the caller shows
 * it once and wipes it), *start = the first entry it seals. Returns MNV_OK, MNV_ERR_EXISTS
 * (sealing already started), MNV_ERR_INVALID (no transaction) or a database error.
 */
MNV_MUST_CHECK enum mnv_err auditseal_start(struct vault *v, unsigned char *key, uint64_t *start,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * auditseal_entry: called by auditlog_append() for the entry seq with chain hash hash, in
 * its transaction: store the tag and evolve the kept key. Nothing when sealing has not
 * started, or when the state does not belong to this entry (a state put back or a log
 * cut: the entry stays unsealed and auditseal_verify() reports it; a sign-in still works).
 * Returns MNV_OK or a database error.
 */
MNV_MUST_CHECK enum mnv_err auditseal_entry(struct vault *v, uint64_t seq,
                                            const unsigned char hash[VCRYPTO_HASH_LEN],
                                            struct mnv_diag *diag) MNV_NONNULL(1, 3);

/* auditseal_status: what the vault says about its sealing. Returns MNV_OK or a database
 * error. */
MNV_MUST_CHECK enum mnv_err auditseal_status(struct vault *v, struct auditseal_status *st,
                                             struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* auditseal_get_tag: the stored tag of entry seq; MNV_ERR_NOT_FOUND when it has none. */
MNV_MUST_CHECK enum mnv_err auditseal_get_tag(struct vault *v, uint64_t seq,
                                              unsigned char tag[AUDITSEAL_TAG_LEN],
                                              struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * auditseal_verify: with the seal key key (starting at entry start), recompute every key,
 * check the tag of every entry from start to the newest, and that the kept state is the
 * key after the newest entry. Returns MNV_OK, MNV_ERR_AUDIT_SEAL with r->bad_seq and
 * r->problem (message ids: "the entry was changed after it was sealed", "entries were
 * removed from the end after they were sealed", "the seal key does not belong to this
 * vault's sealing" …), or a database error. Entries before start are the chain's business.
 */
MNV_MUST_CHECK enum mnv_err auditseal_verify(struct vault *v, const unsigned char *key,
                                             uint64_t start, struct auditseal_report *r,
                                             struct mnv_diag *diag) MNV_NONNULL(1, 2, 4);

/* auditseal_key_id: the public name of a seal key (the first AUDITSEAL_ID_LEN bytes of
 * BLAKE2b-256 keyed with it over "mnvault-seal-id-1"). */
void auditseal_key_id(const unsigned char *key, unsigned char id[AUDITSEAL_ID_LEN])
    MNV_NONNULL(1, 2);

/* auditseal_key_format: the text form of (start, key) into out (AUDITSEAL_TEXT_MAX bytes;
 * secmem: it is the key). */
void auditseal_key_format(uint64_t start, const unsigned char *key, char *out) MNV_NONNULL(2, 3);

/*
 * auditseal_key_parse: read the text form (spaces, line breaks and case ignored) into
 * *start and key (secmem). Returns MNV_OK, or MNV_ERR_INVALID (not a seal key, or its
 * check group does not fit: a mistyped digit).
 */
MNV_MUST_CHECK enum mnv_err auditseal_key_parse(const char *text, uint64_t *start,
                                                unsigned char *key) MNV_NONNULL(1, 2, 3);

#endif
