/* rowseal.h (store layer): personal data sealed row by row, the way numbers are. Tables of
 * personal data other than the numbers themselves (year-end figures, insurance facts) keep
 * each row's text under its own random data key, and the data key wrapped by the current
 * epoch key (kept only in the key file), so rotating the epoch key makes rows of old copies
 * of vault.db unreadable, as it does for numbers.
 *
 *   wrapped_key  XChaCha20-Poly1305 under the epoch key, associated data
 *                wrap_tag || row id:u64 || epoch:u32
 *   ciphertext   XChaCha20-Poly1305 under the data key, associated data built by the
 *                table's module (its tag, the row id, the person, the version …), so a
 *                sealed row cannot be moved to another row, person or version.
 *
 * A table sealed this way has the columns id, key_epoch and wrapped_key, which
 * rowseal_rewrap_table() rewraps after an epoch rotation.
 */
#ifndef MNVAULT_ROWSEAL_H
#define MNVAULT_ROWSEAL_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/vault.h"
#include "mnvault/vcrypto.h"

#define ROWSEAL_WRAPPED_LEN (VCRYPTO_KEY_LEN + VCRYPTO_SEAL_OVERHEAD)

/* Associated data under construction: a tag, then little-endian integers. */
struct rowseal_ad {
    unsigned char b[96];
    size_t n;
};

/* rowseal_ad_begin: start ad with tag (at most 48 bytes). */
void rowseal_ad_begin(struct rowseal_ad *ad, const char *tag) MNV_NONNULL(1, 2);

/* rowseal_ad_u64 / _u32 / _u8: append v, little-endian (ignored when ad is full). */
void rowseal_ad_u64(struct rowseal_ad *ad, uint64_t v) MNV_NONNULL(1);
void rowseal_ad_u32(struct rowseal_ad *ad, uint32_t v) MNV_NONNULL(1);
void rowseal_ad_u8(struct rowseal_ad *ad, unsigned v) MNV_NONNULL(1);

/*
 * rowseal_seal: seal text[0..len) of row id under a fresh data key, wrapped by the current
 * epoch key (associated data wrap_tag || id || epoch); the text with text_ad. *epoch
 * receives the epoch used, wrapped its ROWSEAL_WRAPPED_LEN bytes, ct len +
 * VCRYPTO_SEAL_OVERHEAD bytes. Returns MNV_OK or a keyring error.
 */
MNV_MUST_CHECK enum mnv_err rowseal_seal(struct vault *v, const char *wrap_tag, int64_t id,
                                         const struct rowseal_ad *text_ad, const void *text,
                                         size_t len, uint32_t *epoch,
                                         unsigned char wrapped[ROWSEAL_WRAPPED_LEN],
                                         unsigned char *ct) MNV_NONNULL(1, 2, 4, 7, 8, 9);

/*
 * rowseal_open: open the text of row id (its wrapped data key under epoch, its ciphertext
 * ct[0..ctlen) with text_ad) into *out (secmem, NUL-terminated, *len bytes; free with
 * secmem_free()). A text longer than max bytes is refused. Returns MNV_OK,
 * MNV_ERR_EPOCH_GONE, MNV_ERR_SEAL_BROKEN, MNV_ERR_NOMEM or a keyring error.
 */
MNV_MUST_CHECK enum mnv_err rowseal_open(struct vault *v, const char *wrap_tag, int64_t id,
                                         uint32_t epoch, const void *wrapped, int wlen,
                                         const struct rowseal_ad *text_ad, const void *ct,
                                         int ctlen, size_t max, char **out, size_t *len)
    MNV_NONNULL(1, 2, 7, 11, 12);

/*
 * rowseal_rewrap_table: inside a write transaction, rewrap every data key of table (a
 * string literal naming a table with id, key_epoch and wrapped_key columns) not wrapped by
 * the current epoch key; *count receives how many. Returns MNV_OK, MNV_ERR_INVALID (no
 * transaction), a seal error (diag->line = the row) or a database error.
 */
MNV_MUST_CHECK enum mnv_err rowseal_rewrap_table(struct vault *v, const char *table,
                                                 const char *wrap_tag, long *count,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

#endif
