/* insurancedb.c: insurance facts sealed per person, and the filings register
 * (insurancedb.h). */
#include "mnvault/insurancedb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/clock.h"
#include "mnvault/rows.h"
#include "mnvault/rowseal.h"
#include "mnvault/secmem.h"

#define WRAP_TAG "insurance.wrapped_key"

static const char max_insurance_id[] = "SELECT max(id) FROM insurance";

static void text_ad(struct rowseal_ad *ad, int64_t id, enum person_kind kind, int64_t person,
                    uint32_t version)
{
    rowseal_ad_begin(ad, "insurance.ciphertext");
    rowseal_ad_u64(ad, (uint64_t)id);
    rowseal_ad_u8(ad, (unsigned)kind);
    rowseal_ad_u64(ad, (uint64_t)person);
    rowseal_ad_u32(ad, version);
}

/* The row of ref: *id (0 when none) and *version. */
static enum mnv_err find_row(struct vault *v, const struct person_ref *ref, int64_t *id,
                             uint32_t *version, struct mnv_diag *diag)
{
    static const char by_emp[] = "SELECT id, version FROM insurance WHERE employee_id = ?1";
    static const char by_dep[] = "SELECT id, version FROM insurance WHERE dependent_id = ?1";
    sqlite3_stmt *st;
    *id = 0;
    *version = 0;
    enum mnv_err err = vault_stmt(v, ref->kind == PERSON_EMPLOYEE ? by_emp : by_dep, &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, ref->id);
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

static enum mnv_err write_row(struct vault *v, const struct person_ref *ref, int64_t id,
                              uint32_t version, uint32_t epoch, const unsigned char *wrapped,
                              const unsigned char *ct, size_t ctlen, const char *user,
                              struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v,
                   "INSERT INTO insurance(id, employee_id, dependent_id, version, key_epoch,"
                   " wrapped_key, ciphertext, updated_at, updated_by)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                   " ON CONFLICT(id) DO UPDATE SET version = excluded.version,"
                   " key_epoch = excluded.key_epoch, wrapped_key = excluded.wrapped_key,"
                   " ciphertext = excluded.ciphertext, updated_at = excluded.updated_at,"
                   " updated_by = excluded.updated_by",
                   &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    if (ref->kind == PERSON_EMPLOYEE)
        sqlite3_bind_int64(st, 2, ref->id);
    else
        sqlite3_bind_int64(st, 3, ref->id);
    sqlite3_bind_int64(st, 4, version);
    sqlite3_bind_int64(st, 5, epoch);
    sqlite3_bind_blob(st, 6, wrapped, ROWSEAL_WRAPPED_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 7, ct, (int)ctlen, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)clock_now());
    sqlite3_bind_text(st, 9, user, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return MNV_ERR_PERSON_NOT_FOUND;
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err insurancedb_put(struct vault *v, const struct person_ref *ref, const char *text,
                             size_t len, const char *user, struct mnv_diag *diag)
{
    if (len > INSURANCE_BLOB_MAX)
        return MNV_ERR_TOO_LONG;
    if (ref->kind != PERSON_EMPLOYEE && ref->kind != PERSON_DEPENDENT)
        return MNV_ERR_INVALID;
    int64_t id;
    uint32_t version, epoch;
    enum mnv_err err = find_row(v, ref, &id, &version, diag);
    if (err == MNV_OK && !id)
        err = vault_next_id(v, max_insurance_id, &id, diag);
    if (err != MNV_OK)
        return err;
    unsigned char wrapped[ROWSEAL_WRAPPED_LEN];
    unsigned char *ct = malloc(len + VCRYPTO_SEAL_OVERHEAD);
    if (!ct)
        return MNV_ERR_NOMEM;
    struct rowseal_ad ad;
    text_ad(&ad, id, ref->kind, ref->id, version + 1);
    err = rowseal_seal(v, WRAP_TAG, id, &ad, text, len, &epoch, wrapped, ct);
    if (err == MNV_OK)
        err = write_row(v, ref, id, version + 1, epoch, wrapped, ct, len + VCRYPTO_SEAL_OVERHEAD,
                        user, diag);
    free(ct);
    return err;
}

/* Open the selected row (id, employee_id, dependent_id, version, key_epoch, wrapped, ct). */
static enum mnv_err open_row(struct vault *v, sqlite3_stmt *st, struct person_ref *ref, char **out,
                             size_t *len)
{
    int64_t id = sqlite3_column_int64(st, 0);
    ref->kind = sqlite3_column_type(st, 1) != SQLITE_NULL ? PERSON_EMPLOYEE : PERSON_DEPENDENT;
    ref->id = sqlite3_column_int64(st, ref->kind == PERSON_EMPLOYEE ? 1 : 2);
    struct rowseal_ad ad;
    text_ad(&ad, id, ref->kind, ref->id, (uint32_t)sqlite3_column_int64(st, 3));
    return rowseal_open(v, WRAP_TAG, id, (uint32_t)sqlite3_column_int64(st, 4),
                        sqlite3_column_blob(st, 5), sqlite3_column_bytes(st, 5), &ad,
                        sqlite3_column_blob(st, 6), sqlite3_column_bytes(st, 6), INSURANCE_BLOB_MAX,
                        out, len);
}

#define ROW_COLS "id, employee_id, dependent_id, version, key_epoch, wrapped_key, ciphertext"

enum mnv_err insurancedb_get(struct vault *v, const struct person_ref *ref, char **out, size_t *len,
                             struct insurance_row_info *info, struct mnv_diag *diag)
{
    static const char by_emp[] = "SELECT " ROW_COLS ", updated_at, updated_by"
                                 " FROM insurance WHERE employee_id = ?1";
    static const char by_dep[] = "SELECT " ROW_COLS ", updated_at, updated_by"
                                 " FROM insurance WHERE dependent_id = ?1";
    *out = NULL;
    *len = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, ref->kind == PERSON_EMPLOYEE ? by_emp : by_dep, &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, ref->id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        struct person_ref got;
        err = open_row(v, st, &got, out, len);
        if (err == MNV_OK && info) {
            info->id = sqlite3_column_int64(st, 0);
            info->version = (uint32_t)sqlite3_column_int64(st, 3);
            info->updated_at = sqlite3_column_int64(st, 7);
            snprintf(info->updated_by, sizeof(info->updated_by), "%s",
                     (const char *)sqlite3_column_text(st, 8));
        }
        if (err != MNV_OK && diag)
            diag->line = (long)sqlite3_column_int64(st, 0);
    } else {
        err = rc == SQLITE_DONE ? MNV_ERR_NOT_FOUND : vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    return err;
}

/* Walk every row with the statement st, opening each; fn NULL only checks. */
static enum mnv_err walk(struct vault *v, sqlite3_stmt *st, insurancedb_fn fn, void *ud,
                         long *count, struct mnv_diag *diag)
{
    enum mnv_err err = MNV_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct person_ref ref;
        char *text;
        size_t len;
        err = open_row(v, st, &ref, &text, &len);
        if (err != MNV_OK) {
            if (diag)
                diag->line = (long)sqlite3_column_int64(st, 0);
            break;
        }
        if (fn)
            err = fn(ud, &ref, sqlite3_column_int64(st, 7), text, len);
        secmem_free(text);
        if (err != MNV_OK)
            break;
        (*count)++;
    }
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    return err;
}

static enum mnv_err each(struct vault *v, insurancedb_fn fn, void *ud, long *count,
                         struct mnv_diag *diag)
{
    static const char sql[] =
        "SELECT i.id, i.employee_id, i.dependent_id, i.version, i.key_epoch, i.wrapped_key,"
        " i.ciphertext, coalesce(i.employee_id, d.employee_id)"
        " FROM insurance i LEFT JOIN dependents d ON d.id = i.dependent_id"
        " ORDER BY i.dependent_id IS NOT NULL, coalesce(i.employee_id, i.dependent_id)";
    *count = 0;
    int own = !vault_in_tx(v);
    enum mnv_err err = own ? vault_begin_read(v, diag) : MNV_OK;
    if (err != MNV_OK)
        return err;
    sqlite3_stmt *st;
    err = vault_stmt(v, sql, &st, diag);
    if (err == MNV_OK) {
        err = walk(v, st, fn, ud, count, diag);
        sqlite3_reset(st);
    }
    if (own)
        vault_rollback(v);
    return err;
}

enum mnv_err insurancedb_each(struct vault *v, insurancedb_fn fn, void *ud, struct mnv_diag *diag)
{
    long count;
    return each(v, fn, ud, &count, diag);
}

enum mnv_err insurancedb_rewrap_all(struct vault *v, long *count, struct mnv_diag *diag)
{
    return rowseal_rewrap_table(v, "insurance", WRAP_TAG, count, diag);
}

enum mnv_err insurancedb_check_all(struct vault *v, long *checked, struct mnv_diag *diag)
{
    return each(v, NULL, NULL, checked, diag);
}

/* ---- the filings register ---------------------------------------------------------------- */

static const char *const event_names[] = {NULL, "acquire", "lose", "join", "leave"};

const char *filing_event_name(enum filing_event e)
{
    return e >= FILING_ACQUIRE && e <= FILING_LEAVE ? event_names[e] : "";
}

enum filing_event filing_event_parse(const char *name)
{
    for (int e = FILING_ACQUIRE; e <= FILING_LEAVE; e++)
        if (strcmp(name, event_names[e]) == 0)
            return (enum filing_event)e;
    return 0;
}

enum mnv_err insurancedb_filing_add(struct vault *v, struct filing_row *r, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "INSERT INTO filings(form, event, employee_id, dependent_id,"
                                  " event_on, custody_id, recorded_at, recorded_by, note)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, r->form, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, filing_event_name(r->event), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, r->employee_id);
    if (r->dependent_id)
        sqlite3_bind_int64(st, 4, r->dependent_id);
    sqlite3_bind_text(st, 5, r->event_on, -1, SQLITE_STATIC);
    if (r->custody_id)
        sqlite3_bind_int64(st, 6, r->custody_id);
    sqlite3_bind_int64(st, 7, r->recorded_at);
    sqlite3_bind_text(st, 8, r->recorded_by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, r->note, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return MNV_ERR_PERSON_NOT_FOUND;
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    r->id = sqlite3_last_insert_rowid(vault_db(v));
    return MNV_OK;
}

static enum mnv_err filing_from(sqlite3_stmt *st, void *item, void *ud)
{
    (void)ud;
    struct filing_row *r = item;
    r->id = sqlite3_column_int64(st, 0);
    snprintf(r->form, sizeof(r->form), "%s", (const char *)sqlite3_column_text(st, 1));
    r->event = filing_event_parse((const char *)sqlite3_column_text(st, 2));
    r->employee_id = sqlite3_column_int64(st, 3);
    r->dependent_id = sqlite3_column_int64(st, 4);
    snprintf(r->event_on, sizeof(r->event_on), "%s", (const char *)sqlite3_column_text(st, 5));
    r->custody_id = sqlite3_column_int64(st, 6);
    const unsigned char *state = sqlite3_column_text(st, 7);
    snprintf(r->custody_state, sizeof(r->custody_state), "%s", state ? (const char *)state : "");
    r->recorded_at = sqlite3_column_int64(st, 8);
    snprintf(r->recorded_by, sizeof(r->recorded_by), "%s",
             (const char *)sqlite3_column_text(st, 9));
    snprintf(r->note, sizeof(r->note), "%s", (const char *)sqlite3_column_text(st, 10));
    return MNV_OK;
}

enum mnv_err insurancedb_filings(struct vault *v, int64_t employee_id, struct filing_row **out,
                                 size_t *count, struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v,
                   "SELECT f.id, f.form, f.event, f.employee_id, f.dependent_id, f.event_on,"
                   " f.custody_id, c.state, f.recorded_at, f.recorded_by, f.note"
                   " FROM filings f LEFT JOIN custody c ON c.id = f.custody_id"
                   " WHERE ?1 = 0 OR f.employee_id = ?1 ORDER BY f.id",
                   &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, employee_id);
    struct rows r;
    err = rows_collect(v, st, sizeof(**out), filing_from, NULL, &r, diag);
    *out = r.items;
    *count = r.count;
    return err;
}
