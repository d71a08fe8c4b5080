#include "mnvault/certdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/rows.h"

static void col_text(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

static void col_hash(sqlite3_stmt *st, int i, unsigned char out[CERT_SHA256_LEN], int *has)
{
    const void *b = sqlite3_column_blob(st, i);
    int ok = b && sqlite3_column_bytes(st, i) == CERT_SHA256_LEN;
    if (ok)
        memcpy(out, b, CERT_SHA256_LEN);
    else
        memset(out, 0, CERT_SHA256_LEN);
    if (has)
        *has = ok;
}

static enum mnv_err step_done(struct vault *v, sqlite3_stmt *st, struct mnv_diag *diag)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err certdb_insert(struct vault *v, struct cert_rec *rec, const unsigned char *json,
                           size_t json_len, const unsigned char *pdf, size_t pdf_len,
                           struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "INSERT INTO certificates(id, proposal_id, issued_at, sha256,"
                                  " previous, audit_seq, json, pdf) VALUES (?1, ?2, ?3, ?4, ?5,"
                                  " ?6, ?7, ?8)",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, rec->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, rec->proposal_id);
    sqlite3_bind_int64(st, 3, rec->issued_at);
    sqlite3_bind_blob(st, 4, rec->sha256, CERT_SHA256_LEN, SQLITE_STATIC);
    if (rec->has_previous)
        sqlite3_bind_blob(st, 5, rec->previous, CERT_SHA256_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)rec->audit_seq);
    sqlite3_bind_blob64(st, 7, json, json_len, SQLITE_STATIC);
    if (pdf)
        sqlite3_bind_blob64(st, 8, pdf, pdf_len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT)
        return MNV_ERR_EXISTS;
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    rec->seq = sqlite3_last_insert_rowid(vault_db(v));
    rec->json_len = json_len;
    rec->pdf_len = pdf ? pdf_len : 0;
    return MNV_OK;
}

#define CERT_SELECT                                                                                \
    "SELECT seq, id, proposal_id, issued_at, sha256, previous, audit_seq, length(json),"           \
    " coalesce(length(pdf), 0)"
#define CERT_COLS CERT_SELECT " FROM certificates"

static void read_rec(sqlite3_stmt *st, struct cert_rec *r)
{
    memset(r, 0, sizeof(*r));
    r->seq = sqlite3_column_int64(st, 0);
    col_text(st, 1, r->id, sizeof(r->id));
    r->proposal_id = sqlite3_column_int64(st, 2);
    r->issued_at = sqlite3_column_int64(st, 3);
    col_hash(st, 4, r->sha256, NULL);
    col_hash(st, 5, r->previous, &r->has_previous);
    r->audit_seq = (uint64_t)sqlite3_column_int64(st, 6);
    r->json_len = (size_t)sqlite3_column_int64(st, 7);
    r->pdf_len = (size_t)sqlite3_column_int64(st, 8);
}

/* Step st once into *r: MNV_OK, MNV_ERR_NOT_FOUND or a database error. */
static enum mnv_err one(struct vault *v, sqlite3_stmt *st, struct cert_rec *r,
                        struct mnv_diag *diag)
{
    int rc = sqlite3_step(st);
    enum mnv_err err = MNV_OK;
    if (rc == SQLITE_ROW)
        read_rec(st, r);
    else
        err = rc == SQLITE_DONE ? MNV_ERR_NOT_FOUND : vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

enum mnv_err certdb_last(struct vault *v, struct cert_rec *rec, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, CERT_COLS " ORDER BY seq DESC LIMIT 1", &st, diag);
    return err == MNV_OK ? one(v, st, rec, diag) : err;
}

enum mnv_err certdb_count(struct vault *v, int64_t *n, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, "SELECT count(*) FROM certificates", &st, diag);
    if (err != MNV_OK)
        return err;
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

static enum mnv_err fill_rec(sqlite3_stmt *st, void *item, void *ud)
{
    (void)ud;
    read_rec(st, item);
    return MNV_OK;
}

enum mnv_err certdb_list(struct vault *v, struct cert_rec **out, size_t *count,
                         struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, CERT_COLS " ORDER BY seq", &st, diag);
    if (err != MNV_OK)
        return err;
    struct rows r;
    err = rows_collect(v, st, sizeof(**out), fill_rec, NULL, &r, diag);
    *out = r.items;
    *count = r.count;
    return err;
}

/* A malloc'd copy of blob column i (NULL when NULL); -1 when out of memory. */
static int copy_blob(sqlite3_stmt *st, int i, unsigned char **out)
{
    *out = NULL;
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return 0;
    int n = sqlite3_column_bytes(st, i);
    const void *b = sqlite3_column_blob(st, i);
    *out = malloc((size_t)n + 1);
    if (!*out)
        return -1;
    if (n)
        memcpy(*out, b, (size_t)n);
    (*out)[n] = 0;
    return 0;
}

enum mnv_err certdb_get(struct vault *v, const char *id, int64_t proposal_id, struct cert_rec *rec,
                        unsigned char **json, unsigned char **pdf, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        id ? vault_stmt(v, CERT_SELECT ", json, pdf FROM certificates WHERE id = ?1", &st, diag)
           : vault_stmt(v, CERT_SELECT ", json, pdf FROM certificates WHERE proposal_id = ?2", &st,
                        diag);
    if (err != MNV_OK)
        return err;
    if (id)
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 2, proposal_id);
    if (json)
        *json = NULL;
    if (pdf)
        *pdf = NULL;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_rec(st, rec);
        if ((json && copy_blob(st, 9, json) < 0) || (pdf && copy_blob(st, 10, pdf) < 0))
            err = MNV_ERR_NOMEM;
    } else {
        err = rc == SQLITE_DONE ? MNV_ERR_NOT_FOUND : vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    if (err != MNV_OK) {
        if (json) {
            free(*json);
            *json = NULL;
        }
        if (pdf) {
            free(*pdf);
            *pdf = NULL;
        }
    }
    return err;
}

enum mnv_err certdb_find_hash(struct vault *v, const unsigned char sha256[CERT_SHA256_LEN],
                              struct cert_rec *rec, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, CERT_COLS " WHERE sha256 = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_blob(st, 1, sha256, CERT_SHA256_LEN, SQLITE_STATIC);
    return one(v, st, rec, diag);
}

enum mnv_err certdb_return_insert(struct vault *v, struct cert_return *r, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v,
                   "INSERT INTO contractor_returns(custody_id, contractor, reference, outcome,"
                   " returned_on, sha256, recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5,"
                   " ?6, ?7, ?8)",
                   &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, r->custody_id);
    sqlite3_bind_text(st, 2, r->contractor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->reference, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, r->outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->on, -1, SQLITE_STATIC);
    if (r->has_file)
        sqlite3_bind_blob(st, 6, r->sha256, CERT_SHA256_LEN, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, r->recorded_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, r->recorded_at);
    err = step_done(v, st, diag);
    if (err == MNV_OK)
        r->id = sqlite3_last_insert_rowid(vault_db(v));
    return err;
}

static void read_return(sqlite3_stmt *st, struct cert_return *r)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    r->custody_id = sqlite3_column_int64(st, 1);
    col_text(st, 2, r->contractor, sizeof(r->contractor));
    col_text(st, 3, r->reference, sizeof(r->reference));
    col_text(st, 4, r->outcome, sizeof(r->outcome));
    col_text(st, 5, r->on, sizeof(r->on));
    col_hash(st, 6, r->sha256, &r->has_file);
    col_text(st, 7, r->recorded_by, sizeof(r->recorded_by));
    r->recorded_at = sqlite3_column_int64(st, 8);
}

static enum mnv_err fill_return(sqlite3_stmt *st, void *item, void *ud)
{
    (void)ud;
    read_return(st, item);
    return MNV_OK;
}

enum mnv_err certdb_returns(struct vault *v, struct cert_return **out, size_t *count,
                            struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "SELECT id, custody_id, contractor, reference, outcome,"
                                  " returned_on, sha256, recorded_by, recorded_at"
                                  " FROM contractor_returns ORDER BY id",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    struct rows r;
    err = rows_collect(v, st, sizeof(**out), fill_return, NULL, &r, diag);
    *out = r.items;
    *count = r.count;
    return err;
}

enum mnv_err certdb_outstanding_exports(struct vault *v, int64_t **ids, size_t *count,
                                        struct mnv_diag *diag)
{
    *ids = NULL;
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(
        v,
        "SELECT DISTINCT c.id FROM custody c JOIN custody_persons p ON p.custody_id = c.id"
        " JOIN numbers n ON (p.kind = 'employee' AND n.employee_id = p.person_id)"
        " OR (p.kind = 'dependent' AND n.dependent_id = p.person_id)"
        " WHERE c.state IN ('writing', 'written') AND n.status = 'disposed' ORDER BY c.id",
        &st, diag);
    if (err != MNV_OK)
        return err;
    return rows_ids(v, st, ids, count, diag);
}
