/* backupfile.h (store layer): the backup file format, and taking a consistent copy of a vault.
 * doc/backup.md describes the format; in short:
 *
 *   prefix (128 bytes, the same layout in every version): "MNVBACKUP", 0, format version,
 *     flags, vault id, creation time, backup id (16 random bytes), size of vault.db,
 *     length of the key part, chunk size, the secretstream header, and an unkeyed
 *     BLAKE2b-256 of the 96 bytes before it (so damage there reads as damage);
 *   the key part: the key file as a backup holds it (KEYRING_IMAGE_BACKUP: slots and
 *     envelopes, no sealing state, no epoch key), then (format 2) the epoch block: the
 *     vault's epoch keys sealed under NK, in entries that disposal can wipe in place
 *     (backupfile_wipe_epochs()) without touching anything else;
 *   a crypto_secretstream_xchacha20poly1305 stream under the file key: first a 128-byte
 *     manifest (schema version, audit head, program version) whose associated data is the
 *     prefix and the key file image, then vault.db in chunks, the last one tagged FINAL.
 *
 * The file key (format 2) is BLAKE2b-256 keyed with the backup subkey of the backup key BK
 * over a domain string and the backup id, so every file has its own key and only the slots
 * of roles that may restore open it (format 1: of the master key MK, which every slot held).
 * Any changed, missing or added byte outside the epoch block fails the prefix checksum, the
 * key file's own checksum, or the stream's authentication. In the epoch block, the n entries
 * counted are live or wiped (id KEYRING_EPOCH_WIPED, then the BLAKE2b-256 of the entry it
 * was, the rest zero), the others all zero, or the file reads as damaged; and the manifest
 * holds a digest of the block (the count, and per entry its hash, or the hash a wiped entry
 * keeps), so with the file key any changed byte there is damage too, while wiping an entry
 * in place leaves the digest true. A live entry changed is also refused by NK.
 */
#ifndef MNVAULT_BACKUPFILE_H
#define MNVAULT_BACKUPFILE_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/keyring.h"
#include "mnvault/vault.h"
#include "mnvault/vcrypto.h"

#define BACKUPFILE_MAGIC "MNVBACKUP"
#define BACKUPFILE_VERSION 2
#define BACKUPFILE_ID_LEN 16
#define BACKUPFILE_PREFIX_LEN 128
#define BACKUPFILE_KEYFILE_MAX (1u << 20)
#define BACKUPFILE_PROGRAM_MAX 24
#define BACKUPFILE_EPOCH_BLOCK (12 + KEYRING_MAX_EPOCHS * KEYRING_EPOCH_ENTRY)

/* What the clear part of a backup says (authenticated once the manifest opened). */
struct backupfile_header {
    unsigned version;
    unsigned char vault_id[KEYRING_ID_LEN];
    int64_t created; /* Unix time */
    unsigned char backup_id[BACKUPFILE_ID_LEN];
    uint64_t db_size;             /* bytes of vault.db */
    uint32_t chunk_size;          /* plaintext bytes per stream chunk */
    const unsigned char *keyfile; /* the key file image (borrowed from the reader) */
    size_t keyfile_len;
    size_t part_len;             /* the key file image and the epoch block */
    const unsigned char *epochs; /* format 2: the epoch block's entries (borrowed) */
    size_t n_epochs; /* of KEYRING_EPOCH_ENTRY bytes; a wiped one has id KEYRING_EPOCH_WIPED */
};

/* The manifest: the first message of the encrypted stream. */
struct backupfile_manifest {
    uint32_t schema;    /* vault.db's schema version */
    uint64_t audit_seq; /* newest audit entry in the copy */
    unsigned char audit_head[VCRYPTO_HASH_LEN];
    char program[BACKUPFILE_PROGRAM_MAX + 1]; /* mnvault version that wrote it */
    int epochs_bound; /* the manifest binds the epoch block (every backup written since
                         session 4; older format-2 files have no digest) */
    unsigned char epochs_digest[VCRYPTO_HASH_LEN];
};

/* What backupfile_write() made. */
struct backupfile_info {
    unsigned char backup_id[BACKUPFILE_ID_LEN];
    int64_t created;
    uint64_t size; /* bytes of the backup file */
    uint64_t db_size;
    struct backupfile_manifest manifest;
    unsigned char hash[VCRYPTO_HASH_LEN]; /* BLAKE2b-256 of the whole file, as written and
                                             read back */
};

/*
 * backupfile_key: the file key of a backup of format version (1 or 2) for backup_id into
 * key (32 bytes; pass secmem), from root: BK for format 2, the format-1 MK for format 1.
 * Returns MNV_OK or MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err backupfile_key(unsigned version,
                                           const unsigned char root[VCRYPTO_KEY_LEN],
                                           const unsigned char backup_id[BACKUPFILE_ID_LEN],
                                           unsigned char key[VCRYPTO_KEY_LEN]) MNV_NONNULL(2, 3, 4);

/*
 * backupfile_write: write a backup of the vault v to fd (a new, empty file opened for
 * writing; not closed, not synced), stamped with time created. Each piece written (the clear
 * part, the manifest, each chunk) is read back at once through check_fd (another descriptor
 * of the same file, open for reading) and compared byte for byte with what was sealed, and
 * hashed into info->hash. The copy is consistent: the caller holds the data folder's lock
 * (keyring_begin() on vault_keyring(v)), and this function holds a read transaction on
 * vault.db (no other process can commit) while it writes the key file as re-read under that
 * lock and reads the database; the database is read through SQLite's own file handle, so no
 * lock of the connection is lost. v must not be in a transaction and must hold BK (else
 * MNV_ERR_DENIED). Fills *info. Returns MNV_OK, MNV_ERR_DENIED, MNV_ERR_BACKUP_VERIFY (what
 * check_fd reads back differs from what was written, or is shorter), MNV_ERR_IO /
 * MNV_ERR_SYSTEM (diag->saved_errno), a database error, MNV_ERR_NOMEM or MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err backupfile_write(struct vault *v, int fd, int check_fd, int64_t created,
                                             struct backupfile_info *info, struct mnv_diag *diag)
    MNV_NONNULL(1, 5);

struct backupfile_reader; /* opaque */

/*
 * backupfile_open: open path (not following a final symlink) and read its clear part:
 * prefix and key file image. Free with backupfile_close(). Returns MNV_OK;
 * MNV_ERR_NOT_FOUND; MNV_ERR_BACKUP_FORMAT (not a backup: wrong magic, or not a regular
 * file); MNV_ERR_BACKUP_TRUNCATED (shorter than its clear part); MNV_ERR_BACKUP_DAMAGED
 * (prefix checksum, impossible lengths); MNV_ERR_BACKUP_VERSION (a newer format);
 * MNV_ERR_IO with diag filled; MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err backupfile_open(const char *path, struct backupfile_reader **out,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* backupfile_header: the clear part of an open backup (borrowed; valid until _close). */
const struct backupfile_header *backupfile_header(const struct backupfile_reader *r) MNV_NONNULL(1);

/*
 * backupfile_extract: authenticate the whole backup with the file key (backupfile_key())
 * and, when out_fd >= 0, write the contained vault.db to out_fd. Fills *m (the manifest)
 * and hash (BLAKE2b-256 of the whole file; may be NULL). Call once per open. Returns
 * MNV_OK; MNV_ERR_BACKUP_DAMAGED (a chunk fails authentication, the key is wrong, bytes
 * after the end, sizes disagree, or the epoch block is not the one the manifest binds);
 * MNV_ERR_BACKUP_TRUNCATED (the file ends early); MNV_ERR_IO (reading, or writing out_fd; diag
 * filled); MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err backupfile_extract(struct backupfile_reader *r,
                                               const unsigned char key[VCRYPTO_KEY_LEN], int out_fd,
                                               struct backupfile_manifest *m, unsigned char *hash,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 2, 4);

/*
 * backupfile_check_head: what backupfile_extract() checks before the first chunk: the file
 * key opens the manifest (whose associated data is the prefix and the key file image), the
 * epoch block is the one the manifest binds, and the file has exactly the length the prefix
 * gives; the chunks are not read. Fills *m. Call once per open instead of
 * backupfile_extract(). Returns MNV_OK, MNV_ERR_BACKUP_DAMAGED, MNV_ERR_BACKUP_TRUNCATED,
 * MNV_ERR_INVALID (called twice), MNV_ERR_IO or MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err backupfile_check_head(struct backupfile_reader *r,
                                                  const unsigned char key[VCRYPTO_KEY_LEN],
                                                  struct backupfile_manifest *m,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * backupfile_hash: BLAKE2b-256 of the whole file without any key (for checking a file
 * against the register when BK is not at hand). Call once per open instead of
 * backupfile_extract(). Returns MNV_OK, MNV_ERR_INVALID, NOMEM or IO.
 */
MNV_MUST_CHECK enum mnv_err backupfile_hash(struct backupfile_reader *r,
                                            unsigned char hash[VCRYPTO_HASH_LEN],
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * backupfile_wipe_epochs: in the format-2 backup at path, overwrite in place (then fsync)
 * every epoch entry whose id is not among keep[0..n_keep) by a wiped entry (its id
 * KEYRING_EPOCH_WIPED, the hash of the sealed entry it replaces, zeros; the hash cannot give
 * the key back, and keeps the manifest's digest true): the numbers of that backup under
 * those epochs can no longer be opened by anyone, while the rest of it still restores.
 * *wiped receives how many entries were wiped, hash (may be NULL) the new BLAKE2b-256 of
 * the whole file. Returns MNV_OK, MNV_ERR_NOT_FOUND, MNV_ERR_BACKUP_FORMAT / _VERSION (a
 * format-1 backup has no epoch block: its keys are in its key file copy), _DAMAGED,
 * _TRUNCATED, or MNV_ERR_IO with diag filled.
 */
MNV_MUST_CHECK enum mnv_err backupfile_wipe_epochs(const char *path, const uint32_t *keep,
                                                   size_t n_keep, size_t *wiped,
                                                   unsigned char *hash, struct mnv_diag *diag)
    MNV_NONNULL(1, 4);

/* backupfile_close: close and free; NULL allowed. */
void backupfile_close(struct backupfile_reader *r);

#endif
