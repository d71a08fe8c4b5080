/* numberdb.h (store layer): the My Number record of each person.
 *
 * One record per person (employee or dependent): status (registered / refused / disposed;
 * no record means missing), the encrypted number, its blind index, a version, when and by
 * whom it was stored, and the purposes of use notified to the person, each with its date.
 *
 * Encryption, in two layers inside the SQLCipher file:
 *   - each record has its own random 32-byte data key, stored wrapped (XChaCha20-Poly1305)
 *     by the current epoch key, associated data "numbers.wrapped_key.2" || record id:u64 ||
 *     person kind:u8 (1 employee, 2 dependent) || person id:u64 || epoch:u32; the epoch keys
 *     live only in vault.keys, sealed under the number key NK (keyring.h);
 *   - the 12 digits are sealed under the data key with associated data
 *     "numbers.ciphertext.2" || record id:u64 || person kind:u8 || person id:u64 ||
 *     version:u32, so a ciphertext cannot be moved to another row, column, person or version
 *     (swapping two records' persons makes both fail to open, and `verify` says so).
 * The blind index is BLAKE2b-256 keyed with a subkey of NK over "mnvault-blind-1" || digits;
 * it only answers "already registered to another record" when storing, and no function here
 * looks a person up by number. Without NK (auditors, administrators, accounts waiting for a
 * supervisor) every function that needs a key returns MNV_ERR_NUMBER_KEY.
 *
 * Epoch rotation (for disposal): numberdb_rotate_begin() adds a new epoch key to the key
 * file, numberdb_rewrap_sealed() rewraps every live data key (numbers, figures, insurance
 * facts) inside a transaction, and
 * numberdb_rotate_finish() destroys the old epoch key. A crash in between leaves both keys,
 * and the next rotation finishes the job.
 */
#ifndef MNVAULT_NUMBERDB_H
#define MNVAULT_NUMBERDB_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/mynumber.h"
#include "mnvault/person.h"
#include "mnvault/vault.h"

#define NUMBER_WRAPPED_LEN (VCRYPTO_KEY_LEN + VCRYPTO_SEAL_OVERHEAD)

/* numberdb_get: the record of ref (status missing and id 0 when none) into *info. */
MNV_MUST_CHECK enum mnv_err numberdb_get(struct vault *v, const struct person_ref *ref,
                                         struct number_info *info, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * numberdb_store: store n (an individual number) for ref, by user, inside a write
 * transaction: a new record, or a new version of the person's record (its old data key and
 * ciphertext replaced). *info receives the record (may be NULL). Returns MNV_OK,
 * MNV_ERR_NUMBER_DUPLICATE (another person's record holds this number; it is not said
 * whose), MNV_ERR_EXISTS (this record already holds exactly this number: nothing changed),
 * MNV_ERR_PERSON_NOT_FOUND, MNV_ERR_INVALID (not an individual number) or a database error.
 */
MNV_MUST_CHECK enum mnv_err numberdb_store(struct vault *v, const struct person_ref *ref,
                                           const struct mynumber *n, const char *user,
                                           struct number_info *info, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 4);

/*
 * numberdb_store_new: the fast path of numberdb_store() for a person inserted in the same
 * transaction (bulk inserts): no record may exist yet; a duplicate number is still refused
 * (MNV_ERR_NUMBER_DUPLICATE) by the blind index's uniqueness. Records the purposes
 * codes[i] notified on dates[i] (i < count, at most NUMBER_PURPOSES_MAX).
 */
MNV_MUST_CHECK enum mnv_err numberdb_store_new(struct vault *v, const struct person_ref *ref,
                                               const struct mynumber *n, const char *user,
                                               const char *const *codes, const char *const *dates,
                                               size_t count, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 4);

/*
 * numberdb_reveal: decrypt the number of ref into *out (the caller keeps out in secmem and
 * clears it with mynumber_clear()). No permission or purpose check: services do that.
 * Returns MNV_OK, MNV_ERR_NUMBER_NONE, MNV_ERR_EPOCH_GONE, MNV_ERR_SEAL_BROKEN.
 */
MNV_MUST_CHECK enum mnv_err numberdb_reveal(struct vault *v, const struct person_ref *ref,
                                            struct mynumber *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * numberdb_add_purpose: record that purpose code was notified on date for record id, by
 * user (inside a write transaction). Returns MNV_OK, MNV_ERR_PURPOSE_NOTIFIED (already
 * there), MNV_ERR_RANGE (the record has NUMBER_PURPOSES_MAX already), MNV_ERR_NUMBER_NONE
 * (no such record) or a database error.
 */
MNV_MUST_CHECK enum mnv_err numberdb_add_purpose(struct vault *v, int64_t number_id,
                                                 const char *code, const char *date,
                                                 const char *user, struct mnv_diag *diag)
    MNV_NONNULL(1, 3, 4, 5);

/*
 * numberdb_mark_refused: record that the person declined to give a number, on date, for
 * reason (checked by the caller); a refusal recorded before is replaced. Only when no number
 * is registered (else MNV_ERR_REFUSAL_HAS_NUMBER; a disposed record: MNV_ERR_NUMBER_STATE).
 * Storing a number later clears the refusal. *info as numberdb_store().
 */
MNV_MUST_CHECK enum mnv_err numberdb_mark_refused(struct vault *v, const struct person_ref *ref,
                                                  const char *date, const char *reason,
                                                  const char *user, struct number_info *info,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4, 5);

/*
 * numberdb_owner: which number record holds n, through the blind index: *number_id = its
 * id, 0 when none. For refusing duplicates before writing (a whole import is checked
 * first); the answer is never shown to a person beyond "registered to another record".
 */
MNV_MUST_CHECK enum mnv_err numberdb_owner(struct vault *v, const struct mynumber *n,
                                           int64_t *number_id, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* numberdb_blind_index: the blind index of n (32 bytes): MNV_OK or MNV_ERR_NUMBER_KEY. */
MNV_MUST_CHECK enum mnv_err numberdb_blind_index(struct vault *v, const struct mynumber *n,
                                                 unsigned char out[VCRYPTO_HASH_LEN])
    MNV_NONNULL(1, 2, 3);

/* --- Epochs ----------------------------------------------------------------------------- */

/*
 * numberdb_rotate_begin: add a new epoch key to the key file (which becomes current) and
 * write it (journaled); with new_nk, first replace NK itself (keyring_rotate_nk(): every
 * holder gets the new one, an old copy of the key file no longer opens today's epoch key).
 * Outside transactions. Returns MNV_OK, MNV_ERR_NUMBER_KEY or a keyring error; *id = the
 * new epoch.
 */
MNV_MUST_CHECK enum mnv_err numberdb_rotate_begin(struct vault *v, int new_nk, uint32_t *id,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * numberdb_rewrap_all: inside a write transaction, rewrap every data key not wrapped by the
 * current epoch key; *count receives how many. Returns MNV_OK or MNV_ERR_EPOCH_GONE /
 * MNV_ERR_SEAL_BROKEN (naming the record in diag->line) or a database error.
 */
MNV_MUST_CHECK enum mnv_err numberdb_rewrap_all(struct vault *v, long *count, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/* How many data keys numberdb_rewrap_sealed() rewrapped, per table. */
struct numberdb_rewrapped {
    long numbers, payroll, insurance;
};

/*
 * numberdb_rewrap_sealed: inside a write transaction, rewrap every data key under the
 * epoch keys that is not wrapped by the current one: numbers, year-end figures
 * (payrolldb.h) and insurance facts (insurancedb.h). Every epoch rotation calls this (not
 * the single tables), so a table sealed the same way later is added here once. Returns as
 * numberdb_rewrap_all().
 */
MNV_MUST_CHECK enum mnv_err numberdb_rewrap_sealed(struct vault *v, struct numberdb_rewrapped *out,
                                                   struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * numberdb_rotate_finish: when no record uses an older epoch key any more, destroy the
 * older keys in the key file. Outside transactions. *forgotten = how many were destroyed.
 */
MNV_MUST_CHECK enum mnv_err numberdb_rotate_finish(struct vault *v, size_t *forgotten,
                                                   struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * numberdb_wrapped_key: the wrapped data key of record id as stored (for tests of epoch
 * destruction): out (NUMBER_WRAPPED_LEN bytes), *epoch and the person it belongs to.
 * MNV_ERR_NUMBER_NONE when none.
 */
MNV_MUST_CHECK enum mnv_err numberdb_wrapped_key(struct vault *v, int64_t number_id,
                                                 unsigned char out[NUMBER_WRAPPED_LEN],
                                                 uint32_t *epoch, struct person_ref *owner,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 3, 4, 5);

/*
 * numberdb_unwrap_key: open a wrapped data key of record id of person owner under epoch
 * into key (secmem, 32 bytes). Returns MNV_OK, MNV_ERR_EPOCH_GONE (that epoch key was
 * destroyed), MNV_ERR_NUMBER_KEY or MNV_ERR_SEAL_BROKEN.
 */
MNV_MUST_CHECK enum mnv_err numberdb_unwrap_key(struct vault *v, int64_t number_id,
                                                const struct person_ref *owner, uint32_t epoch,
                                                const unsigned char wrapped[NUMBER_WRAPPED_LEN],
                                                unsigned char key[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 3, 5, 6);

/*
 * numberdb_reseal_v1: inside schema step 9's transaction, re-seal every record of a
 * format-1 vault (numberdb_up.c): opened with the format-1 epoch keys and associated data,
 * sealed again under the current epoch key, bound to the person, blind index from NK.
 * Returns MNV_OK, MNV_ERR_INVALID (no transaction or no NK), a seal error (diag->line = the
 * record) or a database error.
 */
MNV_MUST_CHECK enum mnv_err numberdb_reseal_v1(struct vault *v, struct mnv_diag *diag)
    MNV_NONNULL(1);

/*
 * numberdb_check_all: for `verify`: open every registered record's data key and number,
 * and recompute its blind index. Returns MNV_OK, or the first failure (MNV_ERR_SEAL_BROKEN,
 * EPOCH_GONE, DB_CORRUPT) with diag->line = the record id; *checked = records checked.
 */
MNV_MUST_CHECK enum mnv_err numberdb_check_all(struct vault *v, long *checked,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * numberdb_dispose: delete the number of record id (status registered) inside a write
 * transaction: the record becomes "disposed" and loses its ciphertext, its wrapped data key,
 * its epoch and its blind index; its purposes are deleted. With secure_delete the old
 * bytes are overwritten in the file. Returns MNV_OK, MNV_ERR_NUMBER_STATE (not a registered
 * number) or a database error.
 */
MNV_MUST_CHECK enum mnv_err numberdb_dispose(struct vault *v, int64_t id, struct mnv_diag *diag)
    MNV_NONNULL(1);

#endif
