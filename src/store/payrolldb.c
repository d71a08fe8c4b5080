#include "mnvault/payrolldb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/clock.h"
#include "mnvault/rows.h"
#include "mnvault/rowseal.h"
#include "mnvault/secmem.h"

#define WRAP_TAG "payroll.wrapped_key"

static const char max_payroll_id[] = "SELECT max(id) FROM payroll";

static void text_ad(struct rowseal_ad *ad, int64_t id, int64_t employee_id, int year,
                    uint32_t version)
{
    rowseal_ad_begin(ad, "payroll.ciphertext");
    rowseal_ad_u64(ad, (uint64_t)id);
    rowseal_ad_u64(ad, (uint64_t)employee_id);
    rowseal_ad_u32(ad, (uint32_t)year);
    rowseal_ad_u32(ad, version);
}

/* The row of employee_id for year: *id (0 when none) and *version. */
static enum mnv_err find_row(struct vault *v, int64_t employee_id, int year, int64_t *id,
                             uint32_t *version, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    *id = 0;
    *version = 0;
    enum mnv_err err = vault_stmt(
        v, "SELECT id, version FROM payroll WHERE employee_id = ?1 AND year = ?2", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, employee_id);
    sqlite3_bind_int(st, 2, year);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        *version = (uint32_t)sqlite3_column_int64(st, 1);
    } else if (rc != SQLITE_DONE) {
        err = vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    return err;
}

enum mnv_err payrolldb_put(struct vault *v, int64_t employee_id, int year, const char *text,
                           size_t len, const char *user, int *replaced, struct mnv_diag *diag)
{
    *replaced = 0;
    if (len > PAYROLL_BLOB_MAX)
        return MNV_ERR_TOO_LONG;
    int64_t id;
    uint32_t version, epoch;
    enum mnv_err err = find_row(v, employee_id, year, &id, &version, diag);
    if (err == MNV_OK && !id)
        err = vault_next_id(v, max_payroll_id, &id, diag);
    if (err != MNV_OK)
        return err;
    *replaced = version > 0;
    unsigned char wrapped[ROWSEAL_WRAPPED_LEN];
    unsigned char *ct = malloc(len + VCRYPTO_SEAL_OVERHEAD);
    if (!ct)
        return MNV_ERR_NOMEM;
    struct rowseal_ad ad;
    text_ad(&ad, id, employee_id, year, version + 1);
    err = rowseal_seal(v, WRAP_TAG, id, &ad, text, len, &epoch, wrapped, ct);
    sqlite3_stmt *st = NULL;
    if (err == MNV_OK)
        err = vault_stmt(v,
                         "INSERT INTO payroll(id, employee_id, year, version, key_epoch,"
                         " wrapped_key, ciphertext, imported_at, imported_by)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                         " ON CONFLICT(id) DO UPDATE SET version = excluded.version,"
                         " key_epoch = excluded.key_epoch, wrapped_key = excluded.wrapped_key,"
                         " ciphertext = excluded.ciphertext, imported_at = excluded.imported_at,"
                         " imported_by = excluded.imported_by",
                         &st, diag);
    if (err == MNV_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, employee_id);
        sqlite3_bind_int(st, 3, year);
        sqlite3_bind_int64(st, 4, version + 1);
        sqlite3_bind_int64(st, 5, epoch);
        sqlite3_bind_blob(st, 6, wrapped, sizeof(wrapped), SQLITE_STATIC);
        sqlite3_bind_blob(st, 7, ct, (int)(len + VCRYPTO_SEAL_OVERHEAD), SQLITE_STATIC);
        sqlite3_bind_int64(st, 8, (sqlite3_int64)clock_now());
        sqlite3_bind_text(st, 9, user, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            err = MNV_ERR_PERSON_NOT_FOUND;
        else if (rc != SQLITE_DONE)
            err = vault_sql_error(v, rc, diag);
    }
    free(ct);
    return err;
}

/* Decrypt the selected row (id, employee_id, year, version, key_epoch, wrapped, ct). */
static enum mnv_err open_row(struct vault *v, sqlite3_stmt *st, char **out, size_t *len)
{
    int64_t id = sqlite3_column_int64(st, 0);
    struct rowseal_ad ad;
    text_ad(&ad, id, sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2),
            (uint32_t)sqlite3_column_int64(st, 3));
    return rowseal_open(v, WRAP_TAG, id, (uint32_t)sqlite3_column_int64(st, 4),
                        sqlite3_column_blob(st, 5), sqlite3_column_bytes(st, 5), &ad,
                        sqlite3_column_blob(st, 6), sqlite3_column_bytes(st, 6), PAYROLL_BLOB_MAX,
                        out, len);
}

static void fill_info(sqlite3_stmt *st, struct payroll_row_info *info, int col)
{
    info->id = sqlite3_column_int64(st, col);
    info->year = sqlite3_column_int(st, col + 1);
    info->version = (uint32_t)sqlite3_column_int64(st, col + 2);
    info->imported_at = sqlite3_column_int64(st, col + 3);
    snprintf(info->imported_by, sizeof(info->imported_by), "%s",
             (const char *)sqlite3_column_text(st, col + 4));
}

enum mnv_err payrolldb_get(struct vault *v, int64_t employee_id, int year, char **out, size_t *len,
                           struct payroll_row_info *info, struct mnv_diag *diag)
{
    *out = NULL;
    *len = 0;
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v,
                   "SELECT id, employee_id, year, version, key_epoch, wrapped_key, ciphertext,"
                   " id, year, version, imported_at, imported_by"
                   " FROM payroll WHERE employee_id = ?1 AND year = ?2",
                   &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, employee_id);
    sqlite3_bind_int(st, 2, year);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        err = open_row(v, st, out, len);
        if (err == MNV_OK && info)
            fill_info(st, info, 7);
        if (err != MNV_OK && diag)
            diag->line = (long)sqlite3_column_int64(st, 0);
    } else {
        err = rc == SQLITE_DONE ? MNV_ERR_NOT_FOUND : vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    return err;
}

enum mnv_err payrolldb_years(struct vault *v, int64_t employee_id, struct payroll_row_info *out,
                             size_t max, size_t *count, struct mnv_diag *diag)
{
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "SELECT id, year, version, imported_at, imported_by"
                                  " FROM payroll WHERE employee_id = ?1 ORDER BY year DESC",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, employee_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*count < max && out)
            fill_info(st, &out[*count], 0);
        (*count)++;
    }
    if (rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

enum mnv_err payrolldb_employees(struct vault *v, int year, int64_t **ids, size_t *count,
                                 struct mnv_diag *diag)
{
    *ids = NULL;
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "SELECT p.employee_id FROM payroll p"
                                  " JOIN employees e ON e.id = p.employee_id"
                                  " WHERE p.year = ?1 ORDER BY e.code",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int(st, 1, year);
    return rows_ids(v, st, ids, count, diag);
}

enum mnv_err payrolldb_delete(struct vault *v, int64_t employee_id, int year, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v, "DELETE FROM payroll WHERE employee_id = ?1 AND year = ?2", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, employee_id);
    sqlite3_bind_int(st, 2, year);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    return sqlite3_changes(vault_db(v)) ? MNV_OK : MNV_ERR_NOT_FOUND;
}

enum mnv_err payrolldb_rewrap_all(struct vault *v, long *count, struct mnv_diag *diag)
{
    return rowseal_rewrap_table(v, "payroll", WRAP_TAG, count, diag);
}

enum mnv_err payrolldb_check_all(struct vault *v, long *checked, struct mnv_diag *diag)
{
    *checked = 0;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(vault_db(v),
                                "SELECT id, employee_id, year, version, key_epoch, wrapped_key,"
                                " ciphertext FROM payroll ORDER BY id",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    enum mnv_err err = MNV_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char *text;
        size_t len;
        err = open_row(v, st, &text, &len);
        if (err != MNV_OK) {
            if (diag)
                diag->line = (long)sqlite3_column_int64(st, 0);
            break;
        }
        secmem_free(text);
        (*checked)++;
    }
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_finalize(st);
    return err;
}
