#include "mnvault/backupdb.h"
#include "mnvault/rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#define BACKUP_COLS                                                                                \
    "id, backup_id, created_at, path, size, hash, managed, made_by, audit_seq,"                    \
    " coalesce(deleted_at, 0), coalesce(deleted_by, ''), coalesce(deleted_why, '')"

static void text_col(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    snprintf(out, size, "%s", t ? t : "");
}

static void blob_col(sqlite3_stmt *st, int col, unsigned char *out, size_t size)
{
    memset(out, 0, size);
    const void *b = sqlite3_column_blob(st, col);
    int n = sqlite3_column_bytes(st, col);
    if (b && n == (int)size)
        memcpy(out, b, size);
}

static void read_rec(sqlite3_stmt *st, struct backup_rec *r)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    blob_col(st, 1, r->backup_id, sizeof(r->backup_id));
    r->created_at = sqlite3_column_int64(st, 2);
    text_col(st, 3, r->path, sizeof(r->path));
    r->size = (uint64_t)sqlite3_column_int64(st, 4);
    blob_col(st, 5, r->hash, sizeof(r->hash));
    r->managed = sqlite3_column_int(st, 6);
    text_col(st, 7, r->made_by, sizeof(r->made_by));
    r->audit_seq = (uint64_t)sqlite3_column_int64(st, 8);
    r->deleted_at = sqlite3_column_int64(st, 9);
    text_col(st, 10, r->deleted_by, sizeof(r->deleted_by));
    text_col(st, 11, r->deleted_why, sizeof(r->deleted_why));
}

enum mnv_err backupdb_insert(struct vault *v, struct backup_rec *rec, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "INSERT INTO backups(backup_id, created_at, path, size, hash,"
                                  " managed, made_by, audit_seq) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_blob(st, 1, rec->backup_id, sizeof(rec->backup_id), SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, rec->created_at);
    sqlite3_bind_text(st, 3, rec->path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)rec->size);
    sqlite3_bind_blob(st, 5, rec->hash, sizeof(rec->hash), SQLITE_STATIC);
    sqlite3_bind_int(st, 6, rec->managed ? 1 : 0);
    sqlite3_bind_text(st, 7, rec->made_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)rec->audit_seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        rec->id = sqlite3_last_insert_rowid(vault_db(v));
    else
        err = rc == SQLITE_CONSTRAINT_UNIQUE ? MNV_ERR_EXISTS : vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

static enum mnv_err fill_rec(sqlite3_stmt *st, void *item, void *ud)
{
    (void)ud;
    read_rec(st, item);
    return MNV_OK;
}

enum mnv_err backupdb_list(struct vault *v, struct backup_rec **out, size_t *count,
                           struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v, "SELECT " BACKUP_COLS " FROM backups ORDER BY created_at, id", &st, diag);
    if (err != MNV_OK)
        return err;
    struct rows r;
    err = rows_collect(v, st, sizeof(**out), fill_rec, NULL, &r, diag);
    *out = r.items;
    *count = r.count;
    return err;
}

enum mnv_err backupdb_mark_deleted(struct vault *v, int64_t id, int64_t time, const char *by,
                                   const char *why, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "UPDATE backups SET deleted_at = ?2, deleted_by = ?3,"
                                  " deleted_why = ?4 WHERE id = ?1 AND deleted_at IS NULL",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, time);
    sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, why, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    else if (sqlite3_changes(vault_db(v)) == 0)
        err = MNV_ERR_NOT_FOUND;
    sqlite3_reset(st);
    return err;
}

enum mnv_err backupdb_find_hash(struct vault *v, const unsigned char hash[VCRYPTO_HASH_LEN],
                                struct backup_rec *rec, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(
        v, "SELECT " BACKUP_COLS " FROM backups WHERE hash = ?1 ORDER BY id LIMIT 1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_blob(st, 1, hash, VCRYPTO_HASH_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_rec(st, rec);
    else
        err = rc == SQLITE_DONE ? MNV_ERR_NOT_FOUND : vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

enum mnv_err backupdb_find_id(struct vault *v, const unsigned char id[BACKUPFILE_ID_LEN],
                              struct backup_rec *rec, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v, "SELECT " BACKUP_COLS " FROM backups WHERE backup_id = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_blob(st, 1, id, BACKUPFILE_ID_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_rec(st, rec);
    else
        err = rc == SQLITE_DONE ? MNV_ERR_NOT_FOUND : vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

enum mnv_err backupdb_set_hash(struct vault *v, int64_t id,
                               const unsigned char hash[VCRYPTO_HASH_LEN], struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, "UPDATE backups SET hash = ?2 WHERE id = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, hash, VCRYPTO_HASH_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}
