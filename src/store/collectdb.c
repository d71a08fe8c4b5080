#include "mnvault/collectdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/clock.h"
#include "mnvault/numberdb.h"
#include "mnvault/rows.h"

static enum mnv_err insert_docs(struct vault *v, const struct collect_rec *rec,
                                struct mnv_diag *diag)
{
    for (size_t i = 0; i < rec->ndocs; i++) {
        sqlite3_stmt *st;
        enum mnv_err err = vault_stmt(v,
                                      "INSERT INTO collection_documents(collection_id, seq,"
                                      " for_check, document, ref) VALUES (?1, ?2, ?3, ?4, ?5)",
                                      &st, diag);
        if (err != MNV_OK)
            return err;
        sqlite3_bind_int64(st, 1, rec->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
        sqlite3_bind_text(st, 3, rec->docs[i].check, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, rec->docs[i].doc, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, rec->docs[i].ref, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc == SQLITE_CONSTRAINT_CHECK)
            return MNV_ERR_INVALID;
        if (rc != SQLITE_DONE)
            return vault_sql_error(v, rc, diag);
    }
    return MNV_OK;
}

enum mnv_err collectdb_insert(struct vault *v, struct collect_rec *rec, struct mnv_diag *diag)
{
    if (rec->ndocs > COLLECT_DOCS_MAX)
        return MNV_ERR_INVALID;
    sqlite3_stmt *st;
    const char *sql =
        rec->person.kind == PERSON_EMPLOYEE
            ? "INSERT INTO collections(employee_id, number_id, number_version, route, channel,"
              " known_in_person, verified_by, verified_on, recorded_at, recorded_by)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            : "INSERT INTO collections(dependent_id, number_id, number_version, route, channel,"
              " known_in_person, verified_by, verified_on, recorded_at, recorded_by)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    enum mnv_err err = vault_stmt(v, sql, &st, diag);
    if (err != MNV_OK)
        return err;
    rec->recorded_at = (int64_t)clock_now();
    sqlite3_bind_int64(st, 1, rec->person.id);
    if (rec->number_id)
        sqlite3_bind_int64(st, 2, rec->number_id);
    sqlite3_bind_int64(st, 3, rec->number_version);
    sqlite3_bind_text(st, 4, rec->route, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, rec->channel, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, rec->known_in_person ? 1 : 0);
    sqlite3_bind_text(st, 7, rec->verified_by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, rec->verified_on, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, rec->recorded_at);
    sqlite3_bind_text(st, 10, rec->recorded_by, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return MNV_ERR_PERSON_NOT_FOUND;
    if (rc == SQLITE_CONSTRAINT_CHECK)
        return MNV_ERR_INVALID;
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    rec->id = (int64_t)sqlite3_last_insert_rowid(vault_db(v));
    return insert_docs(v, rec, diag);
}

static void copy_col(char *out, size_t size, sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    snprintf(out, size, "%s", t ? t : "");
}

static enum mnv_err read_docs(struct vault *v, struct collect_rec *rec, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "SELECT for_check, document, ref FROM collection_documents"
                                  " WHERE collection_id = ?1 ORDER BY seq",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, rec->id);
    int rc;
    rec->ndocs = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && rec->ndocs < COLLECT_DOCS_MAX) {
        struct collect_doc_rec *d = &rec->docs[rec->ndocs++];
        copy_col(d->check, sizeof(d->check), st, 0);
        copy_col(d->doc, sizeof(d->doc), st, 1);
        copy_col(d->ref, sizeof(d->ref), st, 2);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

/* The columns every query below selects, in this order. */
#define REC_COLUMNS                                                                                \
    "c.id, coalesce(c.number_id, 0), c.number_version, c.route, c.channel,"                        \
    " c.known_in_person, c.verified_by, c.verified_on, c.recorded_at, c.recorded_by,"              \
    " (n.status = 'registered' AND n.id = c.number_id AND n.version = c.number_version)"

static void read_rec(sqlite3_stmt *st, const struct person_ref *ref, struct collect_rec *r)
{
    memset(r, 0, sizeof(*r));
    r->person = *ref;
    r->id = sqlite3_column_int64(st, 0);
    r->number_id = sqlite3_column_int64(st, 1);
    r->number_version = (uint32_t)sqlite3_column_int64(st, 2);
    copy_col(r->route, sizeof(r->route), st, 3);
    copy_col(r->channel, sizeof(r->channel), st, 4);
    r->known_in_person = sqlite3_column_int(st, 5);
    copy_col(r->verified_by, sizeof(r->verified_by), st, 6);
    copy_col(r->verified_on, sizeof(r->verified_on), st, 7);
    r->recorded_at = sqlite3_column_int64(st, 8);
    copy_col(r->recorded_by, sizeof(r->recorded_by), st, 9);
    r->current = sqlite3_column_int(st, 10);
}

struct fill_ctx {
    const struct person_ref *ref;
    int seen_current;
};

static enum mnv_err fill_rec(sqlite3_stmt *st, void *item, void *ud)
{
    struct fill_ctx *x = ud;
    struct collect_rec *r = item;
    read_rec(st, x->ref, r);
    if (r->current && x->seen_current)
        r->current = 0; /* only the newest one counts */
    x->seen_current |= r->current;
    return MNV_OK;
}

enum mnv_err collectdb_history(struct vault *v, const struct person_ref *ref,
                               struct collect_rec **out, size_t *count, struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    const char *sql = ref->kind == PERSON_EMPLOYEE
                          ? "SELECT " REC_COLUMNS " FROM collections c"
                            " LEFT JOIN numbers n ON n.employee_id = c.employee_id"
                            " WHERE c.employee_id = ?1 ORDER BY c.id DESC"
                          : "SELECT " REC_COLUMNS " FROM collections c"
                            " LEFT JOIN numbers n ON n.dependent_id = c.dependent_id"
                            " WHERE c.dependent_id = ?1 ORDER BY c.id DESC";
    enum mnv_err err = vault_stmt(v, sql, &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, ref->id);
    struct fill_ctx x = {ref, 0};
    struct rows rows;
    err = rows_collect(v, st, sizeof(**out), fill_rec, &x, &rows, diag);
    *out = rows.items;
    *count = rows.count;
    for (size_t i = 0; err == MNV_OK && i < *count; i++)
        err = read_docs(v, &(*out)[i], diag);
    if (err != MNV_OK) {
        free(*out);
        *out = NULL;
        *count = 0;
    }
    return err;
}

enum mnv_err collectdb_current(struct vault *v, const struct person_ref *ref,
                               struct collect_rec *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *st;
    const char *sql = ref->kind == PERSON_EMPLOYEE
                          ? "SELECT " REC_COLUMNS " FROM numbers n JOIN collections c"
                            " ON c.number_id = n.id AND c.number_version = n.version"
                            " WHERE n.employee_id = ?1 AND n.status = 'registered'"
                            " ORDER BY c.id DESC LIMIT 1"
                          : "SELECT " REC_COLUMNS " FROM numbers n JOIN collections c"
                            " ON c.number_id = n.id AND c.number_version = n.version"
                            " WHERE n.dependent_id = ?1 AND n.status = 'registered'"
                            " ORDER BY c.id DESC LIMIT 1";
    enum mnv_err err = vault_stmt(v, sql, &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, ref->id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_rec(st, ref, out);
    else if (rc == SQLITE_DONE)
        err = MNV_ERR_NOT_FOUND;
    else
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    if (err == MNV_OK)
        err = read_docs(v, out, diag);
    return err;
}

enum mnv_err collectdb_forget_refs(struct vault *v, int64_t number_id, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "UPDATE collection_documents SET ref = '' WHERE ref <> ''"
                                  " AND collection_id IN"
                                  " (SELECT id FROM collections WHERE number_id = ?1)",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, number_id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}
