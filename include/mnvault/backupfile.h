/* backupfile.h (store layer): the backup file format, and taking a consistent copy of a vault.
 * doc/backup.md describes the format; in short:
 *
 *   prefix (128 bytes, the same layout in every version): "MNVBACKUP", 0, format version,
 *     flags, vault id, creation time, backup id (16 random bytes), size of vault.db,
 *     length of the key file image, chunk size, the secretstream header, and an unkeyed
 *     BLAKE2b-256 of the 96 bytes before it (so damage there reads as damage);
 *   the key file vault.keys, byte for byte as it was on disk (its secrets are sealed: the
 *     master key only under Argon2id of each password and under the recovery key);
 *   a crypto_secretstream_xchacha20poly1305 stream under the file key: first a 128-byte
 *     manifest (schema version, audit head, program version) whose associated data is the
 *     prefix and the key file image, then vault.db in chunks, the last one tagged FINAL.
 *
 * The file key is BLAKE2b-256 keyed with the backup subkey of the master key
 * (VCRYPTO_SUB_BACKUP) over a domain string and the backup id, so every file has its own
 * key and only the same vault's master key opens it. Any changed, missing or added byte
 * fails the prefix checksum, the key file's own checksum, or the stream's authentication.
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
#define BACKUPFILE_VERSION 1
#define BACKUPFILE_ID_LEN 16
#define BACKUPFILE_PREFIX_LEN 128
#define BACKUPFILE_KEYFILE_MAX (1u << 20)
#define BACKUPFILE_PROGRAM_MAX 24

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
};

/* The manifest: the first message of the encrypted stream. */
struct backupfile_manifest {
    uint32_t schema;    /* vault.db's schema version */
    uint64_t audit_seq; /* newest audit entry in the copy */
    unsigned char audit_head[VCRYPTO_HASH_LEN];
    char program[BACKUPFILE_PROGRAM_MAX + 1]; /* mnvault version that wrote it */
};

/* What backupfile_write() made. The file's hash is taken when it is read back
 * (backupfile_extract()), so that it is the hash of the bytes that reached the disk. */
struct backupfile_info {
    unsigned char backup_id[BACKUPFILE_ID_LEN];
    int64_t created;
    uint64_t size; /* bytes of the backup file */
    uint64_t db_size;
    struct backupfile_manifest manifest;
};

/*
 * backupfile_key: the file key for backup_id from the master key mk into key (32 bytes;
 * pass secmem). Returns MNV_OK or MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err backupfile_key(const unsigned char mk[VCRYPTO_KEY_LEN],
                                           const unsigned char backup_id[BACKUPFILE_ID_LEN],
                                           unsigned char key[VCRYPTO_KEY_LEN]) MNV_NONNULL(1, 2, 3);

/*
 * backupfile_write: write a backup of the vault v to fd (a new, empty file opened for
 * writing; not closed, not synced), stamped with time created. The copy is consistent:
 * the caller holds the data folder's lock (keyring_begin() on vault_keyring(v)), and this
 * function holds a read transaction on vault.db (no other process can commit) while it
 * reads the key file and the database; the database is read through SQLite's own file
 * handle, so no lock of the connection is lost. v must not be in a transaction. Fills
 * *info. Returns MNV_OK, MNV_ERR_IO / MNV_ERR_SYSTEM (diag->saved_errno), a database
 * error, MNV_ERR_KEYFILE_DAMAGED, MNV_ERR_NOMEM or MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err backupfile_write(struct vault *v, int fd, int64_t created,
                                             struct backupfile_info *info, struct mnv_diag *diag)
    MNV_NONNULL(1, 4);

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
 * after the end, or sizes disagree); MNV_ERR_BACKUP_TRUNCATED (the file ends early);
 * MNV_ERR_IO (reading, or writing out_fd; diag filled); MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err backupfile_extract(struct backupfile_reader *r,
                                               const unsigned char key[VCRYPTO_KEY_LEN], int out_fd,
                                               struct backupfile_manifest *m, unsigned char *hash,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 2, 4);

/* backupfile_close: close and free; NULL allowed. */
void backupfile_close(struct backupfile_reader *r);

#endif
