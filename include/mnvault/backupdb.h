/* backupdb.h (store layer): the backup register, a table of vault.db.
 *
 * One row per backup file the vault wrote: its backup id (from the file's header), when,
 * where (the path as written), its size and BLAKE2b-256 hash, whether it lives in the
 * managed backup folder (and so counts towards the configured generations), who made it,
 * and the newest audit entry it contains. Rows are never deleted: when a managed backup is
 * deleted (an old generation) the row records when, by whom and why. Disposal reads the
 * register to find the copies made before a number was disposed of.
 */
#ifndef MNVAULT_BACKUPDB_H
#define MNVAULT_BACKUPDB_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/backupfile.h"
#include "mnvault/err.h"
#include "mnvault/vault.h"

#define BACKUPDB_NAME_MAX 64
#define BACKUPDB_WHY_MAX 32

struct backup_rec {
    int64_t id; /* row id; set by backupdb_insert() */
    unsigned char backup_id[BACKUPFILE_ID_LEN];
    int64_t created_at; /* Unix time */
    char path[PATH_MAX];
    uint64_t size;
    unsigned char hash[VCRYPTO_HASH_LEN];
    int managed; /* in the managed folder: generations apply */
    char made_by[BACKUPDB_NAME_MAX + 1];
    uint64_t audit_seq;
    int64_t deleted_at; /* 0 while the file is kept */
    char deleted_by[BACKUPDB_NAME_MAX + 1];
    char deleted_why[BACKUPDB_WHY_MAX + 1]; /* "generations", "missing" */
};

/*
 * backupdb_insert: add rec (inside a write transaction); sets rec->id. Returns MNV_OK,
 * MNV_ERR_EXISTS (the backup id is registered already) or a database error.
 */
MNV_MUST_CHECK enum mnv_err backupdb_insert(struct vault *v, struct backup_rec *rec,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * backupdb_list: every row, oldest first, into a malloc'd array (*out, free with free(); NULL
 * when there are none) of *count records. Returns MNV_OK, MNV_ERR_NOMEM or a database error.
 */
MNV_MUST_CHECK enum mnv_err backupdb_list(struct vault *v, struct backup_rec **out, size_t *count,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * backupdb_mark_deleted: record that the file of row id was deleted at time by (a user
 * name) for why (inside a write transaction). Returns MNV_OK, MNV_ERR_NOT_FOUND (no such
 * row, or already marked) or a database error.
 */
MNV_MUST_CHECK enum mnv_err backupdb_mark_deleted(struct vault *v, int64_t id, int64_t time,
                                                  const char *by, const char *why,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 4, 5);

/*
 * backupdb_find_id: the row of the backup with backup id id into *rec. Returns MNV_OK,
 * MNV_ERR_NOT_FOUND or a database error.
 */
MNV_MUST_CHECK enum mnv_err backupdb_find_id(struct vault *v,
                                             const unsigned char id[BACKUPFILE_ID_LEN],
                                             struct backup_rec *rec, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * backupdb_set_hash: the file of row id changed in place (its epoch keys were wiped by a
 * disposal): record its new hash (inside a write transaction). MNV_OK or a database error.
 */
MNV_MUST_CHECK enum mnv_err backupdb_set_hash(struct vault *v, int64_t id,
                                              const unsigned char hash[VCRYPTO_HASH_LEN],
                                              struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * backupdb_find_hash: the row whose file hash is hash into *rec. Returns MNV_OK,
 * MNV_ERR_NOT_FOUND or a database error.
 */
MNV_MUST_CHECK enum mnv_err backupdb_find_hash(struct vault *v,
                                               const unsigned char hash[VCRYPTO_HASH_LEN],
                                               struct backup_rec *rec, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

#endif
