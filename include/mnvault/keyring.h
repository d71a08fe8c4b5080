/* keyring.h (store layer): the key file vault.keys.
 *
 * The key file is read before the database opens. It holds, in a part authenticated with a
 * MAC keyed from the master key (MK):
 *   - the vault id (16 random bytes, also stored in vault.db, so the two files pair up);
 *   - one key slot per user: MK sealed (XChaCha20-Poly1305) under Argon2id(password), with
 *     the salt and the Argon2id cost of that slot; and at most one recovery slot: MK sealed
 *     under a random 32-byte recovery key (no Argon2: the key is already random);
 *   - the epoch keys that wrap per-person data keys, sealed under a subkey of MK: the
 *     current one and, only while a rotation is being finished, the previous one;
 *   - the anchor: sequence number and hash of the newest audit entry the vault committed.
 * and, in a second part that is NOT authenticated by MK (it must be written before a
 * password is checked), the failed-login state: per user name (hashed) the consecutive
 * failures and lockout, and a queue of failed-login and lockout events waiting to be copied
 * into the audit log at the next successful login. Anyone who can write the file can reset
 * these counters; doc/vault-format.md states that limit.
 *
 * The whole file ends in an unkeyed BLAKE2b checksum, so damage is reported as damage
 * before any password is tried. The format is in doc/vault-format.md.
 *
 * Concurrency: changes are made between keyring_begin() (which takes an exclusive lock on
 * the data folder and re-reads the file) and keyring_commit() (which writes the file
 * atomically and releases the lock) or keyring_abort(). A struct keyring outside that
 * bracket is a snapshot. Changing the authenticated part needs MK at commit; changing only
 * the login state does not, and then the authenticated part is copied byte for byte.
 */
#ifndef MNVAULT_KEYRING_H
#define MNVAULT_KEYRING_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/vcrypto.h"

#define KEYRING_FILE "vault.keys"
#define KEYRING_VERSION 1
#define KEYRING_NAME_MAX 64 /* bytes of a slot name (a user name) */
#define KEYRING_MAX_SLOTS 64
#define KEYRING_MAX_EPOCHS 4
#define KEYRING_MAX_LOGIN_STATES 512
#define KEYRING_MAX_EVENTS 128
#define KEYRING_ID_LEN 16
#define KEYRING_SEALED_KEY_LEN (VCRYPTO_KEY_LEN + VCRYPTO_SEAL_OVERHEAD)

struct keyring; /* opaque */

/*
 * Slot kinds. A one-time slot is a password slot whose password was set by an
 * administrator (a new user, a reset): the login that opens it must choose a new password.
 * The kind is bound into the sealed MK, so it cannot be changed without MK, and it changes
 * in the same atomic write as the password.
 */
enum keyring_slot_kind {
    KEYRING_SLOT_PASSWORD = 1,
    KEYRING_SLOT_RECOVERY = 2,
    KEYRING_SLOT_ONE_TIME = 3,
};

/* A key slot, made by keyring_slot_make() outside the lock and put in with _put(). */
struct keyring_slot {
    uint8_t kind;                    /* enum keyring_slot_kind */
    char name[KEYRING_NAME_MAX + 1]; /* user name; "" for the recovery slot */
    struct vcrypto_kdf kdf;          /* Argon2id cost (recovery slot: all zero) */
    unsigned char salt[VCRYPTO_SALT_LEN];
    unsigned char sealed[KEYRING_SEALED_KEY_LEN]; /* MK sealed under the slot key */
};

/* The newest audit entry the vault is known to have committed. seq 0: none yet. */
struct keyring_anchor {
    uint64_t seq;
    unsigned char head[VCRYPTO_HASH_LEN];
};

/* Failed-login state of one user name. */
struct keyring_login_state {
    uint32_t failures;    /* consecutive failures since the last success or lockout */
    uint32_t lockouts;    /* lockouts since the last success (the delay doubles with each) */
    int64_t locked_until; /* Unix time; 0 when not locked */
    int64_t last_failure; /* Unix time of the last failure; 0 if none */
};

enum keyring_event_kind {
    KEYRING_EVENT_LOGIN_FAILED = 1,
    KEYRING_EVENT_LOCKOUT = 2,
    KEYRING_EVENT_UNLOCK_FAILED = 3, /* wrong password when unlocking a locked session */
};

/* A queued event; name is "" when the user name typed is not a user of this vault. */
struct keyring_event {
    int64_t time;
    uint8_t kind; /* enum keyring_event_kind */
    char name[KEYRING_NAME_MAX + 1];
};

/*
 * keyring_new: a new key file for dir (not yet written) holding a fresh vault id, a first
 * epoch key (id 1) sealed under mk, the anchor 0 and no slots. Write it with
 * keyring_create_file(). Free with keyring_free(). Returns MNV_OK, MNV_ERR_NOMEM,
 * MNV_ERR_CRYPTO or MNV_ERR_TOO_LONG (dir too long).
 */
MNV_MUST_CHECK enum mnv_err keyring_new(const char *dir, const unsigned char mk[VCRYPTO_KEY_LEN],
                                        struct keyring **out) MNV_NONNULL(1, 2, 3);

/*
 * keyring_load: read dir/vault.keys into a new snapshot (*out; free with keyring_free()).
 * Checks the checksum and the structure, not the MAC (that needs MK: keyring_verify()).
 * Returns MNV_OK, MNV_ERR_KEYFILE_MISSING, MNV_ERR_KEYFILE_DAMAGED (checksum, length or
 * structure wrong; diag->detail says which), MNV_ERR_KEYFILE_VERSION, MNV_ERR_IO, NOMEM.
 */
MNV_MUST_CHECK enum mnv_err keyring_load(const char *dir, struct keyring **out,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * keyring_parse: parse a key file image buf[0..len) into a new snapshot bound to dir
 * (for tests and the fuzzer; keyring_load() uses it). Errors as keyring_load().
 */
MNV_MUST_CHECK enum mnv_err keyring_parse(const unsigned char *buf, size_t len, const char *dir,
                                          struct keyring **out, struct mnv_diag *diag)
    MNV_NONNULL(1, 3, 4);

/*
 * keyring_serialize: the file image of kr into a malloc'd buffer (*out, free with free())
 * of *len bytes. With mk the authenticated part is rebuilt and MACed (its generation +1);
 * without, it must be unchanged since loading and is copied byte for byte (otherwise
 * MNV_ERR_INVALID). Returns MNV_OK, MNV_ERR_INVALID, MNV_ERR_NOMEM or MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err keyring_serialize(struct keyring *kr, const unsigned char *mk,
                                              unsigned char **out, size_t *len)
    MNV_NONNULL(1, 3, 4);

/* keyring_free: release a snapshot (and its folder lock, if held); NULL is allowed. */
void keyring_free(struct keyring *kr);

/*
 * keyring_verify: check the MAC of the authenticated part with mk. Returns MNV_OK or
 * MNV_ERR_KEYFILE_ALTERED (altered, or MK of another vault).
 */
MNV_MUST_CHECK enum mnv_err keyring_verify(const struct keyring *kr,
                                           const unsigned char mk[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 2);

/*
 * keyring_create_file: write a keyring made by keyring_new() as dir/vault.keys, taking the
 * folder lock for the time of the write. Refuses (MNV_ERR_VAULT_EXISTS) when the file
 * exists. Returns MNV_OK or an I/O error with diag filled.
 */
MNV_MUST_CHECK enum mnv_err keyring_create_file(struct keyring *kr,
                                                const unsigned char mk[VCRYPTO_KEY_LEN],
                                                struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * keyring_begin: take the exclusive lock on the data folder (waiting for other mnvault
 * processes), remove temporary files that a killed write left, and re-read the file into
 * kr. With mk, also verify the MAC. Any change made to kr before is lost. Returns MNV_OK or a
 * keyring_load() / keyring_verify() error (the lock is then released).
 */
MNV_MUST_CHECK enum mnv_err keyring_begin(struct keyring *kr, const unsigned char *mk,
                                          struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * keyring_commit: write kr atomically (temporary file, fsync, rename, fsync of the folder)
 * and release the lock. mk: as keyring_serialize(). On failure the file on disk is
 * unchanged and the lock released. Returns MNV_OK, MNV_ERR_INVALID (not begun), or an
 * I/O error with diag filled.
 */
MNV_MUST_CHECK enum mnv_err keyring_commit(struct keyring *kr, const unsigned char *mk,
                                           struct mnv_diag *diag) MNV_NONNULL(1);

/* keyring_abort: release the lock without writing; kr keeps the unsaved changes. */
void keyring_abort(struct keyring *kr) MNV_NONNULL(1);

/*
 * keyring_changed_on_disk: 1 when vault.keys is no longer the file this snapshot was last
 * read from or written as (another process wrote it, or it is gone), else 0. A stat only.
 */
MNV_MUST_CHECK int keyring_changed_on_disk(const struct keyring *kr) MNV_NONNULL(1);

/* keyring_vault_id: the 16-byte vault id (borrowed, valid while kr lives). */
const unsigned char *keyring_vault_id(const struct keyring *kr) MNV_NONNULL(1);

/* keyring_dir: the data folder kr belongs to (borrowed). */
const char *keyring_dir(const struct keyring *kr) MNV_NONNULL(1);

/* keyring_generation: how often the authenticated part was written (0 for a new one). */
uint64_t keyring_generation(const struct keyring *kr) MNV_NONNULL(1);

/* --- Slots ------------------------------------------------------------------------ */

/* keyring_slot_count / keyring_slot_at: enumerate slots (borrowed; valid until a change). */
size_t keyring_slot_count(const struct keyring *kr) MNV_NONNULL(1);
const struct keyring_slot *keyring_slot_at(const struct keyring *kr, size_t i) MNV_NONNULL(1);

/* keyring_find_slot: the password or one-time slot named name, or NULL. */
const struct keyring_slot *keyring_find_slot(const struct keyring *kr, const char *name)
    MNV_NONNULL(1, 2);

/*
 * keyring_slot_make: seal mk into a new slot of kind (KEYRING_SLOT_PASSWORD or _ONE_TIME)
 * for name under Argon2id(password) with cost kdf (normally vcrypto_kdf_default()). Slow
 * (the Argon2id cost); takes no lock. Returns MNV_OK, MNV_ERR_TOO_LONG (name over
 * KEYRING_NAME_MAX), MNV_ERR_INVALID (empty name, bad kind or cost), MNV_ERR_NOMEM or
 * MNV_ERR_CRYPTO. The slot holds no secret in clear.
 */
MNV_MUST_CHECK enum mnv_err
keyring_slot_make(const struct keyring *kr, enum keyring_slot_kind kind, const char *name,
                  const char *password, size_t len, const struct vcrypto_kdf *kdf,
                  const unsigned char mk[VCRYPTO_KEY_LEN], struct keyring_slot *out)
    MNV_NONNULL(1, 3, 4, 6, 7, 8);

/*
 * keyring_slot_put: add slot, or replace the slot of the same name (a password and a
 * one-time slot replace each other; the recovery slot replaces the recovery slot). Needs
 * mk at commit. Returns MNV_OK or MNV_ERR_KEYFILE_FULL.
 */
MNV_MUST_CHECK enum mnv_err keyring_slot_put(struct keyring *kr, const struct keyring_slot *slot)
    MNV_NONNULL(1, 2);

/* keyring_slot_remove: remove the (one-time) password slot of name; 1 if there was one. */
int keyring_slot_remove(struct keyring *kr, const char *name) MNV_NONNULL(1, 2);

/*
 * keyring_slot_open: run Argon2id on password for the slot of name and open it into mk
 * (secmem, 32 bytes). When there is no such slot the same work is done against a dummy
 * slot, so that an unknown name costs as much time as a wrong password. Returns MNV_OK,
 * MNV_ERR_SLOT_WRONG (wrong password or no such slot), MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err keyring_slot_open(const struct keyring *kr, const char *name,
                                              const char *password, size_t len,
                                              unsigned char mk[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 2, 3, 5);

/*
 * keyring_recovery_set: add or replace the recovery slot: mk sealed under recovery_key
 * (32 random bytes the caller splits into shares). Needs mk at commit. Returns MNV_OK,
 * MNV_ERR_KEYFILE_FULL or MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err keyring_recovery_set(struct keyring *kr,
                                                 const unsigned char recovery_key[VCRYPTO_KEY_LEN],
                                                 const unsigned char mk[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 2, 3);

/* keyring_recovery_present: 1 when the file holds a recovery slot. */
int keyring_recovery_present(const struct keyring *kr) MNV_NONNULL(1);

/*
 * keyring_recovery_open: open the recovery slot with recovery_key into mk. Returns MNV_OK,
 * MNV_ERR_NOT_FOUND (no recovery slot) or MNV_ERR_SLOT_WRONG.
 */
MNV_MUST_CHECK enum mnv_err keyring_recovery_open(const struct keyring *kr,
                                                  const unsigned char recovery_key[VCRYPTO_KEY_LEN],
                                                  unsigned char mk[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 2, 3);

/* --- Epoch keys ---------------------------------------------------------------------- */

/* keyring_epoch_current: id of the newest epoch key (the one new data keys are wrapped by). */
uint32_t keyring_epoch_current(const struct keyring *kr) MNV_NONNULL(1);

/* keyring_epoch_count: how many epoch keys the file holds (1, or 2 during a rotation). */
size_t keyring_epoch_count(const struct keyring *kr) MNV_NONNULL(1);

/*
 * keyring_epoch_key: open epoch key id with mk into key (secmem, 32 bytes). Returns MNV_OK,
 * MNV_ERR_EPOCH_GONE (no such epoch: destroyed or never made), MNV_ERR_SEAL_BROKEN.
 */
MNV_MUST_CHECK enum mnv_err keyring_epoch_key(const struct keyring *kr, uint32_t id,
                                              const unsigned char mk[VCRYPTO_KEY_LEN],
                                              unsigned char key[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 3, 4);

/*
 * keyring_epoch_add: make a new random epoch key (id = current + 1), which becomes current;
 * older ones stay until keyring_epoch_forget(). Needs mk at commit. Returns MNV_OK,
 * MNV_ERR_KEYFILE_FULL or MNV_ERR_CRYPTO; *id receives the new id.
 */
MNV_MUST_CHECK enum mnv_err keyring_epoch_add(struct keyring *kr,
                                              const unsigned char mk[VCRYPTO_KEY_LEN], uint32_t *id)
    MNV_NONNULL(1, 2, 3);

/* keyring_epoch_forget_old: drop every epoch key but the current one; returns how many. */
size_t keyring_epoch_forget_old(struct keyring *kr) MNV_NONNULL(1);

/* --- Anchor -------------------------------------------------------------------------- */

void keyring_anchor_get(const struct keyring *kr, struct keyring_anchor *a) MNV_NONNULL(1, 2);

/* keyring_anchor_set: record a new audit head; needs mk at commit. */
void keyring_anchor_set(struct keyring *kr, const struct keyring_anchor *a) MNV_NONNULL(1, 2);

/* --- Failed-login state (no MK needed) ------------------------------------------------ */

/* keyring_login_state_get: the state of name (all zero when none is recorded). */
void keyring_login_state_get(const struct keyring *kr, const char *name,
                             struct keyring_login_state *st) MNV_NONNULL(1, 2, 3);

/*
 * keyring_login_state_set: record the state of name; an all-zero state removes the record.
 * When the table is full the oldest record of a name without a slot is dropped, then the
 * oldest of any; so this always succeeds.
 */
void keyring_login_state_set(struct keyring *kr, const char *name,
                             const struct keyring_login_state *st) MNV_NONNULL(1, 2, 3);

/*
 * keyring_event_add: queue an event (name "" for an unknown user); when the queue is full
 * the oldest event is dropped and counted.
 */
void keyring_event_add(struct keyring *kr, int64_t time, enum keyring_event_kind kind,
                       const char *name) MNV_NONNULL(1, 4);

/* keyring_event_count / keyring_event_at: the queued events, oldest first (borrowed). */
size_t keyring_event_count(const struct keyring *kr) MNV_NONNULL(1);
const struct keyring_event *keyring_event_at(const struct keyring *kr, size_t i) MNV_NONNULL(1);

/* keyring_events_dropped: how many events were dropped because the queue was full. */
uint32_t keyring_events_dropped(const struct keyring *kr) MNV_NONNULL(1);

/* keyring_events_clear: empty the queue and the dropped count. */
void keyring_events_clear(struct keyring *kr) MNV_NONNULL(1);

/*
 * keyring_events_consume: after seen[0..n) and dropped_seen were copied into the audit log,
 * remove them: the queue's first n events are removed when they are exactly seen (events
 * queued since stay), and dropped_seen is taken off the dropped count. When the queue no
 * longer starts with seen (it overflowed meanwhile), nothing is removed.
 */
void keyring_events_consume(struct keyring *kr, const struct keyring_event *seen, size_t n,
                            uint32_t dropped_seen) MNV_NONNULL(1);

#endif
