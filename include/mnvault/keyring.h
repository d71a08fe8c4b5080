/* keyring.h (store layer): the key file vault.keys. doc/vault-format.md has the format.
 *
 * The key file is read before the database opens. Format 2 keeps three root keys apart,
 * because the threat is an insider with a password who runs their own code:
 *   VK, the vault key (database access), given to every active user's slot;
 *   NK, the number key (epoch keys, hence every number, and the blind index), given only to
 *       the slots of roles that read numbers and to the recovery slot;
 *   BK, the backup key (opens backup files), only to roles that may restore, and recovery.
 * A slot holds an X25519 key pair whose secret half is sealed under Argon2id(password); the
 * root keys are sealed to its public half in envelopes (vcrypto_env_seal), so that a key can
 * be given to a slot, or a new key to every slot, without anyone's password: a supervisor
 * completes an account by giving it NK, a rotation gives everyone the new key.
 *
 * The protected part (authenticated with a MAC keyed from VK) holds the vault id, the
 * generation (+1 at every write of the protected part, recorded in vault.db in the same
 * transaction), the slots, the epoch keys (sealed under NK), the audit anchor, the audit
 * chain key and sealing state (sealed under VK), the certificate key (under NK) and, after an
 * upgrade from format 1 and until every user signed in once, the format-1 slots and the
 * bridge that gives them VK. A second part, NOT authenticated (it is written before a
 * password is checked), holds the failed-login state and queued failure events, with a
 * counter of its writes that vault.db records, so that copying back an old file is noticed.
 * The whole file ends in an unkeyed BLAKE2b checksum, so damage reads as damage.
 *
 * Format-1 files (one master key MK in every slot) are read so that they can be upgraded.
 *
 * Concurrency: changes are made between keyring_begin() (exclusive lock on the data folder,
 * re-read) and keyring_commit() (atomic write, lock released) or keyring_abort(). A struct
 * keyring outside that bracket is a snapshot. Changing the protected part needs VK at commit.
 */
#ifndef MNVAULT_KEYRING_H
#define MNVAULT_KEYRING_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/vcrypto.h"

#define KEYRING_FILE "vault.keys"
#define KEYRING_VERSION 2
#define KEYRING_NAME_MAX 64 /* bytes of a slot name (a user name) */
#define KEYRING_MAX_SLOTS 64
#define KEYRING_MAX_EPOCHS 4
#define KEYRING_MAX_LOGIN_STATES 512
#define KEYRING_MAX_EVENTS 128
#define KEYRING_SLOT_ENVS 6 /* envelopes per slot: each root key, twice during a rotation */
#define KEYRING_ID_LEN 16
#define KEYRING_SEALED_KEY_LEN (VCRYPTO_KEY_LEN + VCRYPTO_SEAL_OVERHEAD)

struct keyring; /* opaque */

/* The root keys, as bits (a slot's envelopes, what a login opened). */
enum keyring_key {
    KEYRING_KEY_VK = 1,
    KEYRING_KEY_NK = 2,
    KEYRING_KEY_BK = 4,
};

/*
 * Slot kinds. A one-time slot's password was set by an administrator (a new user, a reset):
 * the login that opens it must choose a new password. The kind is bound into the sealed
 * secret, so it cannot be changed without the password. Legacy slots are format-1 slots kept
 * after an upgrade until their user signs in (they hold MK, which opens VK through the
 * bridge, and nothing else).
 */
enum keyring_slot_kind {
    KEYRING_SLOT_PASSWORD = 1,
    KEYRING_SLOT_RECOVERY = 2,
    KEYRING_SLOT_ONE_TIME = 3,
    KEYRING_SLOT_LEGACY = 4,
    KEYRING_SLOT_LEGACY_RECOVERY = 5,
};

/* Flags of the protected part. */
enum keyring_flag {
    KEYRING_F_NK_ROTATION_DUE = 1, /* someone lost NK: the next NK holder rotates it */
    KEYRING_F_BACKUP_COPY = 2,     /* the image inside a backup file (no sealing state) */
    KEYRING_F_UPGRADING = 4,       /* a format-1 upgrade is not finished (MK still kept) */
};

struct keyring_env {
    uint8_t key; /* one enum keyring_key bit */
    uint32_t id; /* which generation of that key */
    unsigned char box[VCRYPTO_ENV_LEN];
};

struct keyring_slot {
    uint8_t kind;                         /* enum keyring_slot_kind */
    uint8_t legacy_one_time;              /* a legacy slot that was a format-1 one-time slot */
    char name[KEYRING_NAME_MAX + 1];      /* user name; "" for the recovery slot */
    struct vcrypto_kdf kdf;               /* Argon2id cost (recovery slots: all zero) */
    unsigned char salt[VCRYPTO_SALT_LEN]; /* Argon2id salt */
    unsigned char sealed[KEYRING_SEALED_KEY_LEN]; /* X25519 secret (legacy: MK), sealed */
    unsigned char pub[VCRYPTO_PK_LEN];            /* X25519 public (legacy: zero) */
    size_t n_env;
    struct keyring_env env[KEYRING_SLOT_ENVS];
};

/*
 * The keys a login opened: secret; allocate with keyring_keys_new() (secmem), release with
 * keyring_keys_free(). have says which are present.
 */
enum keyring_have {
    KEYRING_HAVE_VK = KEYRING_KEY_VK,
    KEYRING_HAVE_NK = KEYRING_KEY_NK,
    KEYRING_HAVE_BK = KEYRING_KEY_BK,
    KEYRING_HAVE_VK_NEXT = 8, /* a VK rotation is half way: vk_next too */
    KEYRING_HAVE_SK = 16,     /* the slot's X25519 pair: can open new envelopes later */
    KEYRING_HAVE_MK = 32,     /* the format-1 master key (legacy slots, upgrades) */
};

struct keyring_keys {
    unsigned have;
    uint32_t vk_id, vk_next_id, nk_id, bk_id;
    unsigned char vk[VCRYPTO_KEY_LEN], vk_next[VCRYPTO_KEY_LEN];
    unsigned char nk[VCRYPTO_KEY_LEN], bk[VCRYPTO_KEY_LEN];
    unsigned char sk[VCRYPTO_KEY_LEN], pub[VCRYPTO_PK_LEN];
    unsigned char mk[VCRYPTO_KEY_LEN];
    uint8_t kind;                    /* the slot that opened them */
    char name[KEYRING_NAME_MAX + 1]; /* its name ("" for recovery) */
};

/* keyring_keys_new: an empty struct keyring_keys in secmem (NULL when out of memory). */
MNV_MUST_CHECK struct keyring_keys *keyring_keys_new(void);

/* keyring_keys_free: wipe and release; NULL allowed. */
void keyring_keys_free(struct keyring_keys *k);

/* keyring_keys_copy: copy every field of src into dst (both secmem). */
void keyring_keys_copy(struct keyring_keys *dst, const struct keyring_keys *src) MNV_NONNULL(1, 2);

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
    KEYRING_EVENT_REPLACED = 4,      /* the file was found replaced by a copy; time: the
                                        copy's own write (failures after it may be lost) */
};

/* How long after mnvault writes the key file its change time may be (the rename follows the
 * write at once); a file changed later was put there by something else. */
#define KEYRING_REPLACED_SLACK_SECONDS 5

/* A queued event; name is "" when the user name typed is not a user of this vault. */
struct keyring_event {
    int64_t time;
    uint8_t kind; /* enum keyring_event_kind */
    char name[KEYRING_NAME_MAX + 1];
};

/* Ways to write the protected part (keyring_serialize). */
enum keyring_image {
    KEYRING_IMAGE_FILE = 0,    /* vault.keys itself */
    KEYRING_IMAGE_JOURNAL = 1, /* the protected body for vault.db, epoch keys and sealing
                                  state blanked (a backup of vault.db must not hold them) */
    KEYRING_IMAGE_BACKUP = 2,  /* the copy inside a backup file: no sealing state, no epoch
                                  keys (they go to the backup's epoch block), no login state */
};

/* --- The file ------------------------------------------------------------------------- */

/*
 * keyring_new: a new key file for dir (not written yet) with fresh random VK, NK and BK
 * (into keys, which must come from keyring_keys_new()), a fresh vault id, a first epoch key
 * (id 1) under NK, a random audit chain key and certificate key, no slot. Write it with
 * keyring_create_file(). Free with keyring_free(). Returns MNV_OK, MNV_ERR_NOMEM,
 * MNV_ERR_CRYPTO or MNV_ERR_TOO_LONG (dir too long).
 */
MNV_MUST_CHECK enum mnv_err keyring_new(const char *dir, struct keyring_keys *keys,
                                        struct keyring **out) MNV_NONNULL(1, 2, 3);

/*
 * keyring_load: read dir/vault.keys (format 1 or 2) into a new snapshot (*out; free with
 * keyring_free()). Checks the checksum and the structure, not the MAC (that needs a key:
 * keyring_verify()). Returns MNV_OK, MNV_ERR_KEYFILE_MISSING, MNV_ERR_KEYFILE_DAMAGED
 * (diag->detail says which part), MNV_ERR_KEYFILE_VERSION, MNV_ERR_IO, MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err keyring_load(const char *dir, struct keyring **out,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * keyring_parse: parse a key file image buf[0..len) into a new snapshot bound to dir (the
 * fuzzer, backups and tests; keyring_load() uses it). Errors as keyring_load().
 */
MNV_MUST_CHECK enum mnv_err keyring_parse(const unsigned char *buf, size_t len, const char *dir,
                                          struct keyring **out, struct mnv_diag *diag)
    MNV_NONNULL(1, 3, 4);

/*
 * keyring_serialize: an image of kr into a malloc'd buffer (*out, free with free()) of
 * *len bytes. For KEYRING_IMAGE_FILE, with keys (VK) the protected part is rebuilt and
 * MACed; without, it must be unchanged since loading and is copied byte for byte (else
 * MNV_ERR_INVALID). JOURNAL needs no key; BACKUP needs VK. The generation is written as it
 * is (keyring_bump() raises it). Returns MNV_OK, MNV_ERR_INVALID, NOMEM or CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err keyring_serialize(struct keyring *kr, const struct keyring_keys *keys,
                                              enum keyring_image what, unsigned char **out,
                                              size_t *len) MNV_NONNULL(1, 4, 5);

/* keyring_free: release a snapshot (and its folder lock, if held); NULL is allowed. */
void keyring_free(struct keyring *kr);

/* keyring_version: the format the file was read in (1 or 2; a new one is 2). */
int keyring_version(const struct keyring *kr) MNV_NONNULL(1);

/*
 * keyring_verify: check the MAC of the protected part with keys (VK of the file's current
 * id; MK for format 1). Returns MNV_OK or MNV_ERR_KEYFILE_ALTERED (altered, or the key of
 * another vault or of another time).
 */
MNV_MUST_CHECK enum mnv_err keyring_verify(const struct keyring *kr,
                                           const struct keyring_keys *keys) MNV_NONNULL(1, 2);

/*
 * keyring_create_file: write a keyring made by keyring_new() (or rebuilt by an upgrade or a
 * restore) as dir/vault.keys, taking the folder lock for the time of the write. With
 * replace 0 it refuses (MNV_ERR_VAULT_EXISTS) when the file exists. Returns MNV_OK or an I/O
 * error with diag filled.
 */
MNV_MUST_CHECK enum mnv_err keyring_create_file(struct keyring *kr, const struct keyring_keys *keys,
                                                int replace, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/*
 * keyring_begin: take the exclusive lock on the data folder (waiting for other mnvault
 * processes), remove temporary files a killed write left, and re-read the file into kr.
 * With keys, also verify the MAC. Unsaved changes to kr are lost. Returns MNV_OK or a
 * keyring_load() / keyring_verify() error (the lock is then released).
 */
MNV_MUST_CHECK enum mnv_err keyring_begin(struct keyring *kr, const struct keyring_keys *keys,
                                          struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * keyring_commit: write kr atomically (temporary file, fsync, rename, fsync of the folder),
 * with the login state's write counter +1, and release the lock. keys: as
 * keyring_serialize(). On failure the file on disk is unchanged and the lock released.
 * Returns MNV_OK, MNV_ERR_INVALID (not begun), or an I/O error with diag filled.
 */
MNV_MUST_CHECK enum mnv_err keyring_commit(struct keyring *kr, const struct keyring_keys *keys,
                                           struct mnv_diag *diag) MNV_NONNULL(1);

/* keyring_abort: release the lock without writing; kr keeps the unsaved changes. */
void keyring_abort(struct keyring *kr) MNV_NONNULL(1);

/* keyring_locked: 1 between keyring_begin() and keyring_commit()/keyring_abort(). */
int keyring_locked(const struct keyring *kr) MNV_NONNULL(1);

/*
 * keyring_changed_on_disk: 1 when vault.keys is no longer the file this snapshot was last
 * read from or written as (another process wrote it, or it is gone), else 0. A stat only.
 */
MNV_MUST_CHECK int keyring_changed_on_disk(const struct keyring *kr) MNV_NONNULL(1);

/* Accessors. Borrowed pointers are valid while kr lives. */
const unsigned char *keyring_vault_id(const struct keyring *kr) MNV_NONNULL(1);
const char *keyring_dir(const struct keyring *kr) MNV_NONNULL(1);
uint64_t keyring_generation(const struct keyring *kr) MNV_NONNULL(1);
uint64_t keyring_state_seq(const struct keyring *kr) MNV_NONNULL(1);
unsigned keyring_flags(const struct keyring *kr) MNV_NONNULL(1);

/* keyring_set_flag / keyring_clear_flag: change a flag of the protected part. */
void keyring_set_flag(struct keyring *kr, enum keyring_flag f) MNV_NONNULL(1);
void keyring_clear_flag(struct keyring *kr, enum keyring_flag f) MNV_NONNULL(1);

/* keyring_key_id: the current id of a root key (KEYRING_KEY_VK, _NK or _BK). */
uint32_t keyring_key_id(const struct keyring *kr, enum keyring_key key) MNV_NONNULL(1);

/* keyring_bump: raise the generation (a writer does it once per change of the protected
 * part, before journaling it in vault.db). */
void keyring_bump(struct keyring *kr) MNV_NONNULL(1);

/*
 * keyring_adopt_journal: replace kr's protected part with the journaled body img[0..len)
 * (a KEYRING_IMAGE_JOURNAL image): the slots, ids, flags, anchor and generation it holds.
 * Epoch keys are kept from kr for the ids the journal lists and dropped for the others; the
 * sealing state is kept from kr. For rolling an old or altered file forward from vault.db.
 * Returns MNV_OK or MNV_ERR_KEYFILE_DAMAGED (the image does not parse, or is of another
 * vault).
 */
MNV_MUST_CHECK enum mnv_err keyring_adopt_journal(struct keyring *kr, const unsigned char *img,
                                                  size_t len) MNV_NONNULL(1, 2);

/*
 * keyring_journal_epochs_held: MNV_OK when kr holds every epoch key the journaled body
 * img[0..len) lists; MNV_ERR_KEYFILE_ROLLBACK when one is missing (rolling kr forward would
 * lose the numbers under it); MNV_ERR_KEYFILE_DAMAGED when the image does not parse.
 */
MNV_MUST_CHECK enum mnv_err keyring_journal_epochs_held(const struct keyring *kr,
                                                        const unsigned char *img, size_t len)
    MNV_NONNULL(1, 2);

/* --- Slots ------------------------------------------------------------------------ */

/* keyring_slot_count / keyring_slot_at: enumerate slots (borrowed; valid until a change). */
size_t keyring_slot_count(const struct keyring *kr) MNV_NONNULL(1);
const struct keyring_slot *keyring_slot_at(const struct keyring *kr, size_t i) MNV_NONNULL(1);

/* keyring_find_slot: the password, one-time or legacy slot named name, or NULL. */
const struct keyring_slot *keyring_find_slot(const struct keyring *kr, const char *name)
    MNV_NONNULL(1, 2);

/*
 * keyring_slot_code: the approval code of name's password slot, "XXXX-XXXX-XXXX-XXXX"
 * (80 bits of BLAKE2b over the vault id, the name and the slot's public key, in Crockford's
 * base 32) into out. The person sees it once they chose their own password; a supervisor
 * approving them types it (keyroles_approve), so that the number key goes to their key
 * pair and not to one an administrator put in its place. Returns MNV_OK or
 * MNV_ERR_USER_NOT_FOUND (no format-2 password or one-time slot of that name).
 * keyring_code_equal: 1 when two codes are the same, ignoring case, dashes and spaces, and
 * reading O as 0 and I or L as 1.
 */
#define KEYRING_CODE_SIZE 20
MNV_MUST_CHECK enum mnv_err keyring_slot_code(const struct keyring *kr, const char *name,
                                              char out[KEYRING_CODE_SIZE]) MNV_NONNULL(1, 2, 3);
MNV_MUST_CHECK int keyring_code_equal(const char *a, const char *b) MNV_NONNULL(1, 2);

/* keyring_slot_keys: which root keys (current ids) slot has envelopes for (bits). */
unsigned keyring_slot_keys(const struct keyring *kr, const struct keyring_slot *slot)
    MNV_NONNULL(1, 2);

/* keyring_slot_same: 1 when kr holds a slot byte for byte equal to slot (same password). */
MNV_MUST_CHECK int keyring_slot_same(const struct keyring *kr, const struct keyring_slot *slot)
    MNV_NONNULL(1, 2);

/*
 * keyring_slot_make: a new slot of kind (PASSWORD or ONE_TIME) for name: a fresh X25519 pair
 * whose secret is sealed under Argon2id(password) with cost kdf, and envelopes for the keys
 * give (bits) taken from keys (which must hold them). With self (may be NULL), the new pair
 * and slot kind are written into self too (a session changing its own password keeps
 * opening its envelopes). Slow (Argon2id); takes no lock. Returns MNV_OK,
 * MNV_ERR_TOO_LONG (name over KEYRING_NAME_MAX), MNV_ERR_INVALID (empty name, bad kind,
 * cost, or a key to give that keys does not hold), NOMEM or CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err keyring_slot_make(const struct keyring *kr, enum keyring_slot_kind kind,
                                              const char *name, const char *password, size_t len,
                                              const struct vcrypto_kdf *kdf,
                                              const struct keyring_keys *keys, unsigned give,
                                              struct keyring_slot *out, struct keyring_keys *self)
    MNV_NONNULL(1, 3, 4, 6, 7, 9);

/*
 * keyring_slot_put: add slot, or replace the slot of the same name (password, one-time and
 * legacy slots replace each other; the recovery slot replaces any recovery slot). Needs VK
 * at commit. Returns MNV_OK or MNV_ERR_KEYFILE_FULL.
 */
MNV_MUST_CHECK enum mnv_err keyring_slot_put(struct keyring *kr, const struct keyring_slot *slot)
    MNV_NONNULL(1, 2);

/* keyring_slot_remove: remove the user slot of name; 1 if there was one. */
int keyring_slot_remove(struct keyring *kr, const char *name) MNV_NONNULL(1, 2);

/*
 * keyring_slot_grant: give name's slot envelopes for the keys give (bits) from keys, which
 * must hold them (a supervisor's NK completing an account). Returns MNV_OK,
 * MNV_ERR_USER_NOT_FOUND (no such password or one-time slot), MNV_ERR_INVALID, CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err keyring_slot_grant(struct keyring *kr, const char *name,
                                               const struct keyring_keys *keys, unsigned give)
    MNV_NONNULL(1, 2, 3);

/* keyring_slot_revoke: remove name's envelopes for the keys take (bits); 1 if any went. */
int keyring_slot_revoke(struct keyring *kr, const char *name, unsigned take) MNV_NONNULL(1, 2);

/*
 * keyring_slot_open: run Argon2id on password for the slot of name and open what it holds
 * into keys (from keyring_keys_new()): the X25519 pair and the root keys of its envelopes
 * (current ids, and VK's next id during a rotation); a legacy slot gives MK, and VK through
 * the bridge. When there is no such slot the same work is done against a dummy slot, so an
 * unknown name costs as much as a wrong password. Returns MNV_OK, MNV_ERR_SLOT_WRONG (wrong
 * password, no such slot, or a slot that opens no VK), MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err keyring_slot_open(const struct keyring *kr, const char *name,
                                              const char *password, size_t len,
                                              struct keyring_keys *keys) MNV_NONNULL(1, 2, 3, 5);

/*
 * keyring_slot_opened: the slot whose key pair keys hold (after keyring_slot_open(): the
 * user's slot, or a pending one), or the user's slot (legacy), or NULL.
 */
const struct keyring_slot *keyring_slot_opened(const struct keyring *kr,
                                               const struct keyring_keys *keys) MNV_NONNULL(1, 2);

/*
 * A user's new slot is written into the file's login-state part before the commit that
 * makes it theirs (keyring_write_pending(), with the lock held and the protected part as
 * it is on disk), and dropped by the write after the commit (keyring_commit()). A crash
 * between the two leaves it there: keyring_slot_open() tries it when the user's slot does
 * not open, and the caller keeps it only when the vault, once open and caught up with its
 * journal, holds that very slot (keyring_slot_same()). So a password change interrupted
 * after its commit leaves the new password working, never the old one.
 * keyring_pending_set: remember slot as pending (before the commit's file writes).
 * keyring_has_pending: 1 when a pending slot is set.
 * keyring_write_pending: write it; MNV_ERR_INVALID without the lock or a pending slot.
 */
void keyring_pending_set(struct keyring *kr, const struct keyring_slot *slot) MNV_NONNULL(1, 2);
MNV_MUST_CHECK int keyring_has_pending(const struct keyring *kr) MNV_NONNULL(1);
MNV_MUST_CHECK enum mnv_err keyring_write_pending(struct keyring *kr, struct mnv_diag *diag)
    MNV_NONNULL(1);

/*
 * keyring_keys_refresh: open again, with the X25519 pair keys holds, the envelopes of its
 * slot in kr (after another process rotated a key, or a supervisor granted NK). Keys the
 * slot no longer has are removed from keys. Returns MNV_OK or MNV_ERR_SLOT_WRONG (the slot
 * is gone or replaced: the session must end).
 */
MNV_MUST_CHECK enum mnv_err keyring_keys_refresh(const struct keyring *kr,
                                                 struct keyring_keys *keys) MNV_NONNULL(1, 2);

/*
 * keyring_recovery_set: add or replace the recovery slot: its X25519 pair derived from
 * recovery_key (32 random bytes the caller splits into shares) and envelopes for VK, NK and
 * BK from keys (which must hold all three). Needs VK at commit. Returns MNV_OK,
 * MNV_ERR_INVALID (keys lacks one), MNV_ERR_KEYFILE_FULL or MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err keyring_recovery_set(struct keyring *kr,
                                                 const unsigned char recovery_key[VCRYPTO_KEY_LEN],
                                                 const struct keyring_keys *keys)
    MNV_NONNULL(1, 2, 3);

/* keyring_recovery_present: 1 when the file holds a recovery slot (of either format). */
int keyring_recovery_present(const struct keyring *kr) MNV_NONNULL(1);

/*
 * keyring_recovery_open: open the recovery slot with recovery_key into keys. A format-2
 * slot gives VK, NK and BK; a legacy one MK (and VK through the bridge). Returns MNV_OK,
 * MNV_ERR_NOT_FOUND (no recovery slot) or MNV_ERR_SLOT_WRONG.
 */
MNV_MUST_CHECK enum mnv_err keyring_recovery_open(const struct keyring *kr,
                                                  const unsigned char recovery_key[VCRYPTO_KEY_LEN],
                                                  struct keyring_keys *keys) MNV_NONNULL(1, 2, 3);

/* --- Rotations of the root keys (keyring_rot.c) ----------------------------------------- */

/*
 * keyring_rotate_nk: a new random NK given to every slot that holds the current one and to
 * the recovery slot; the epoch keys and the certificate key are sealed again under it;
 * keys is updated (it must hold NK). Clears KEYRING_F_NK_ROTATION_DUE. Returns MNV_OK,
 * MNV_ERR_INVALID, CRYPTO or a seal error (an epoch key that does not open).
 */
MNV_MUST_CHECK enum mnv_err keyring_rotate_nk(struct keyring *kr, struct keyring_keys *keys)
    MNV_NONNULL(1, 2);

/* keyring_rotate_bk: the same for BK (no other key depends on it). */
MNV_MUST_CHECK enum mnv_err keyring_rotate_bk(struct keyring *kr, struct keyring_keys *keys)
    MNV_NONNULL(1, 2);

/*
 * keyring_vk_begin: the first half of a VK rotation: a new random VK (id + 1) given, beside
 * the current one, to every slot holding VK and to the recovery slot, into keys->vk_next.
 * Legacy slots and the bridge are dropped (their users need a new password). Between this
 * write and keyring_vk_finish() the database is rekeyed to the new VK.
 */
MNV_MUST_CHECK enum mnv_err keyring_vk_begin(struct keyring *kr, struct keyring_keys *keys)
    MNV_NONNULL(1, 2);

/*
 * keyring_vk_finish: the second half: the new VK becomes the current one (old envelopes
 * dropped; what was sealed under the old VK sealed again under the new); keys updated.
 */
MNV_MUST_CHECK enum mnv_err keyring_vk_finish(struct keyring *kr, struct keyring_keys *keys)
    MNV_NONNULL(1, 2);

/* keyring_vk_pending: 1 while a VK rotation is half way (a next VK exists). */
int keyring_vk_pending(const struct keyring *kr) MNV_NONNULL(1);

/* --- Epoch keys ---------------------------------------------------------------------- */

/* keyring_epoch_current: id of the newest epoch key (the one new data keys are wrapped by). */
uint32_t keyring_epoch_current(const struct keyring *kr) MNV_NONNULL(1);

/* keyring_epoch_count: how many epoch keys the file holds (1, or 2 during a rotation). */
size_t keyring_epoch_count(const struct keyring *kr) MNV_NONNULL(1);

/* keyring_epoch_id_at: the id of the i-th epoch key held (oldest first); 0 past the end. */
uint32_t keyring_epoch_id_at(const struct keyring *kr, size_t i) MNV_NONNULL(1);

/*
 * keyring_epoch_key: open epoch key id with NK (or, for a key still sealed under a format-1
 * MK during an upgrade, with MK) of keys into key (secmem). Returns MNV_OK,
 * MNV_ERR_EPOCH_GONE (no such epoch: destroyed or never made), MNV_ERR_NUMBER_KEY (keys has
 * not the key it is sealed under), MNV_ERR_SEAL_BROKEN.
 */
MNV_MUST_CHECK enum mnv_err keyring_epoch_key(const struct keyring *kr, uint32_t id,
                                              const struct keyring_keys *keys,
                                              unsigned char key[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 3, 4);

/*
 * keyring_epoch_add: make a new random epoch key (id = current + 1) sealed under NK, which
 * becomes current; older ones stay until keyring_epoch_forget_old(). Returns MNV_OK,
 * MNV_ERR_KEYFILE_FULL, MNV_ERR_NUMBER_KEY or MNV_ERR_CRYPTO; *id receives the new id.
 */
MNV_MUST_CHECK enum mnv_err keyring_epoch_add(struct keyring *kr, const struct keyring_keys *keys,
                                              uint32_t *id) MNV_NONNULL(1, 2, 3);

/* keyring_epoch_forget_old: drop every epoch key but the current one; returns how many. */
size_t keyring_epoch_forget_old(struct keyring *kr) MNV_NONNULL(1);

/*
 * keyring_epoch_export / keyring_epoch_import: the epoch keys as sealed in the file (for a
 * backup's epoch block, which disposal can later wipe): n entries of KEYRING_EPOCH_ENTRY
 * bytes (id u32 LE, 72 sealed bytes); export writes at most max entries into out and returns
 * how many; import replaces kr's epoch keys with the entries that are not wiped (id
 * KEYRING_EPOCH_WIPED, the rest zero). Import returns MNV_OK or MNV_ERR_KEYFILE_DAMAGED (an
 * id 0, ids not increasing, too many).
 */
#define KEYRING_EPOCH_ENTRY (4 + KEYRING_SEALED_KEY_LEN)
#define KEYRING_EPOCH_WIPED 0xFFFFFFFFu /* the id of an entry a disposal wiped */
size_t keyring_epoch_export(const struct keyring *kr, unsigned char *out, size_t max)
    MNV_NONNULL(1, 2);
MNV_MUST_CHECK enum mnv_err keyring_epoch_import(struct keyring *kr, const unsigned char *in,
                                                 size_t n) MNV_NONNULL(1);

/* --- Keys sealed in the protected part ----------------------------------------------------- */

/*
 * keyring_chain_key: the audit chain key (BLAKE2b key of the audit entries' hashes; VK
 * seals it, or for format 1 it is the MK subkey) into key. keyring_cert_key: the seed of the
 * vault's Ed25519 certificate key (NK seals it). Return MNV_OK, MNV_ERR_NUMBER_KEY (keys
 * lacks the key), MNV_ERR_NOT_FOUND (none in this file), MNV_ERR_SEAL_BROKEN.
 */
MNV_MUST_CHECK enum mnv_err keyring_chain_key(const struct keyring *kr,
                                              const struct keyring_keys *keys,
                                              unsigned char key[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 2, 3);
MNV_MUST_CHECK enum mnv_err keyring_cert_key(const struct keyring *kr,
                                             const struct keyring_keys *keys,
                                             unsigned char key[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 2, 3);

/* --- Anchor -------------------------------------------------------------------------- */

void keyring_anchor_get(const struct keyring *kr, struct keyring_anchor *a) MNV_NONNULL(1, 2);

/* keyring_anchor_set: record a new audit head; needs VK at commit. */
void keyring_anchor_set(struct keyring *kr, const struct keyring_anchor *a) MNV_NONNULL(1, 2);

/* --- Upgrading from format 1 (keyring_up.c) ------------------------------------------------ */

/*
 * keyring_upgrade: turn a format-1 snapshot (whose MK keys->mk holds) into format 2 in
 * memory: fresh VK, NK and BK into keys; the format-1 epoch keys kept under MK beside a new
 * epoch key under NK (for re-sealing the numbers); the audit chain key kept (the MK subkey);
 * every user slot kept as a legacy slot except those named in drop (disabled accounts); the
 * recovery slot kept as a legacy one; the bridge (VK under MK); MK itself sealed under VK
 * and KEYRING_F_UPGRADING set until keyring_upgrade_finish(). *new_epoch receives the id of
 * the new epoch key. Returns MNV_OK, MNV_ERR_INVALID (not format 1), NOMEM or CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err keyring_upgrade(struct keyring *kr, struct keyring_keys *keys,
                                            const char *const *drop, size_t n_drop,
                                            uint32_t *new_epoch) MNV_NONNULL(1, 2, 5);

/* keyring_upgrade_mk: during an upgrade, MK from its copy under VK into keys. */
MNV_MUST_CHECK enum mnv_err keyring_upgrade_mk(const struct keyring *kr, struct keyring_keys *keys)
    MNV_NONNULL(1, 2);

/* keyring_upgrade_finish: drop the format-1 epoch keys and MK; clear KEYRING_F_UPGRADING. */
void keyring_upgrade_finish(struct keyring *kr) MNV_NONNULL(1);

/* keyring_legacy_count: how many legacy (format-1) slots are left. */
size_t keyring_legacy_count(const struct keyring *kr) MNV_NONNULL(1);

/*
 * keyring_legacy_forget: drop every legacy slot and the bridge (when the last one was
 * converted, or before VK changes: MK would otherwise open the new VK).
 */
void keyring_legacy_forget(struct keyring *kr) MNV_NONNULL(1);

/* --- Failed-login state (no key needed; keyring_login.c) ------------------------------------ */

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

/* keyring_login_count / keyring_login_at: the recorded states, by name hash. */
size_t keyring_login_count(const struct keyring *kr) MNV_NONNULL(1);
void keyring_login_at(const struct keyring *kr, size_t i, unsigned char hash[16],
                      struct keyring_login_state *st) MNV_NONNULL(1, 3, 4);

/* keyring_name_hash: the 16-byte keyed hash under which name's state is kept. */
void keyring_name_hash(const struct keyring *kr, const char *name, unsigned char out[16])
    MNV_NONNULL(1, 2, 3);

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

/*
 * keyring_replaced: 1 when the file as last read was changed after mnvault wrote it: every
 * write stamps the file with the time it was written, and the system sets the file's change
 * time, which no user can set back, when it is renamed into place; a change time more than
 * KEYRING_REPLACED_SLACK_SECONDS later means a copy was put back, or the file was edited or
 * copied (with the folder, say) — its login state may lack failures and lockouts. *since
 * (may be NULL) gets the stamp (Unix time). The next write of the file queues the event
 * KEYRING_EVENT_REPLACED (so the audit log gets it at the next sign-in) and clears this.
 * Files written before the stamp existed are never reported.
 */
int keyring_replaced(const struct keyring *kr, int64_t *since) MNV_NONNULL(1);

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
