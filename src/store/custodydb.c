#include "mnvault/custodydb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/alloc.h"
#include "mnvault/clock.h"
#include "mnvault/rows.h"

static const char *const state_names[] = {NULL,        "writing",   "written", "failed",
                                          "submitted", "destroyed", "returned"};

const char *custody_state_name(enum custody_state s)
{
    return (s >= CUSTODY_WRITING && s <= CUSTODY_RETURNED) ? state_names[s] : "";
}

enum custody_state custody_state_parse(const char *name)
{
    for (int s = CUSTODY_WRITING; s <= CUSTODY_RETURNED; s++)
        if (strcmp(name, state_names[s]) == 0)
            return (enum custody_state)s;
    return 0;
}

int custody_outstanding_state(enum custody_state s)
{
    return s == CUSTODY_WRITING || s == CUSTODY_WRITTEN;
}

static enum mnv_err step_done(struct vault *v, sqlite3_stmt *st, struct mnv_diag *diag)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err custodydb_insert(struct vault *v, const struct custody_entry *e, const char *user,
                              const struct person_ref *persons, size_t npersons, int64_t *id,
                              struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "INSERT INTO custody(created_at, created_by, form, year, copy,"
                                  " purpose, destination, path, slips, persons, numbers, packed,"
                                  " state, state_at, state_by)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                                  " 'writing', ?1, ?2)",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)clock_now());
    sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->form, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, e->year);
    sqlite3_bind_text(st, 5, e->copy, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->purpose, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e->destination, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, e->path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, e->slips);
    sqlite3_bind_int64(st, 10, e->persons);
    sqlite3_bind_int64(st, 11, e->numbers);
    sqlite3_bind_int(st, 12, e->packed ? 1 : 0);
    err = step_done(v, st, diag);
    if (err != MNV_OK)
        return err;
    *id = sqlite3_last_insert_rowid(vault_db(v));
    err = vault_stmt(v,
                     "INSERT OR IGNORE INTO custody_persons(custody_id, kind, person_id)"
                     " VALUES (?1, ?2, ?3)",
                     &st, diag);
    for (size_t i = 0; err == MNV_OK && i < npersons; i++) {
        sqlite3_bind_int64(st, 1, *id);
        sqlite3_bind_text(st, 2, persons[i].kind == PERSON_EMPLOYEE ? "employee" : "dependent", -1,
                          SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, persons[i].id);
        err = step_done(v, st, diag);
    }
    return err;
}

enum mnv_err custodydb_written(struct vault *v, int64_t id, const unsigned char sha256[32],
                               int64_t size, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "UPDATE custody SET sha256 = ?2, size = ?3, state = 'written',"
                                  " state_at = ?4 WHERE id = ?1 AND state = 'writing'",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, sha256, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, size);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)clock_now());
    err = step_done(v, st, diag);
    if (err == MNV_OK && sqlite3_changes(vault_db(v)) != 1)
        err = MNV_ERR_NOT_FOUND;
    return err;
}

enum mnv_err custodydb_set_state(struct vault *v, int64_t id, enum custody_state state,
                                 const char *user, const char *note, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "UPDATE custody SET state = ?2, state_at = ?3, state_by = ?4,"
                                  " note = ?5 WHERE id = ?1",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, custody_state_name(state), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)clock_now());
    sqlite3_bind_text(st, 4, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, note, -1, SQLITE_STATIC);
    err = step_done(v, st, diag);
    if (err == MNV_OK && sqlite3_changes(vault_db(v)) != 1)
        err = MNV_ERR_NOT_FOUND;
    return err;
}

#define COLUMNS                                                                                    \
    "id, created_at, created_by, form, year, copy, purpose, destination, path, sha256, size,"      \
    " slips, persons, numbers, packed, state, state_at, state_by, note"

static void text_col(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

static void read_row(sqlite3_stmt *st, struct custody_entry *e)
{
    char word[32];
    memset(e, 0, sizeof(*e));
    e->id = sqlite3_column_int64(st, 0);
    e->created_at = sqlite3_column_int64(st, 1);
    text_col(st, 2, e->created_by, sizeof(e->created_by));
    text_col(st, 3, e->form, sizeof(e->form));
    e->year = sqlite3_column_int(st, 4);
    text_col(st, 5, e->copy, sizeof(e->copy));
    text_col(st, 6, e->purpose, sizeof(e->purpose));
    text_col(st, 7, e->destination, sizeof(e->destination));
    text_col(st, 8, e->path, sizeof(e->path));
    if (sqlite3_column_bytes(st, 9) == 32) {
        memcpy(e->sha256, sqlite3_column_blob(st, 9), 32);
        e->has_hash = 1;
    }
    e->size = sqlite3_column_int64(st, 10);
    e->slips = (long)sqlite3_column_int64(st, 11);
    e->persons = (long)sqlite3_column_int64(st, 12);
    e->numbers = (long)sqlite3_column_int64(st, 13);
    e->packed = sqlite3_column_int(st, 14);
    text_col(st, 15, word, sizeof(word));
    e->state = custody_state_parse(word);
    e->state_at = sqlite3_column_int64(st, 16);
    text_col(st, 17, e->state_by, sizeof(e->state_by));
    text_col(st, 18, e->note, sizeof(e->note));
}

enum mnv_err custodydb_get(struct vault *v, int64_t id, struct custody_entry *out,
                           struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, "SELECT " COLUMNS " FROM custody WHERE id = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_row(st, out);
    else
        err = rc == SQLITE_DONE ? MNV_ERR_NOT_FOUND : vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

/* Append one more entry to *out (grows by doubling). */
static int push(struct custody_entry **out, size_t *count, size_t *cap)
{
    struct custody_entry *p = alloc_grow(*out, cap, *count + 1, sizeof(*p));
    if (!p)
        return -1;
    *out = p;
    return 0;
}

enum mnv_err custodydb_list(struct vault *v, const struct custody_filter *f,
                            struct custody_entry **out, size_t *count, struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "SELECT " COLUMNS " FROM custody"
                                  " WHERE (?1 = 0 OR year = ?1) AND (?2 IS NULL OR form = ?2)"
                                  " AND (?3 = 0 OR state IN ('writing', 'written'))"
                                  " ORDER BY id DESC",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int(st, 1, f ? f->year : 0);
    if (f && f->form)
        sqlite3_bind_text(st, 2, f->form, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, f ? f->outstanding_only : 0);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (push(out, count, &cap) < 0) {
            err = MNV_ERR_NOMEM;
            break;
        }
        read_row(st, &(*out)[(*count)++]);
    }
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    if (err != MNV_OK) {
        free(*out);
        *out = NULL;
        *count = 0;
    }
    return err;
}

enum mnv_err custodydb_outstanding(struct vault *v, const struct person_ref *ref, int64_t **ids,
                                   size_t *count, struct mnv_diag *diag)
{
    *ids = NULL;
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "SELECT c.id FROM custody c JOIN custody_persons p"
                                  " ON p.custody_id = c.id WHERE p.kind = ?1 AND p.person_id = ?2"
                                  " AND c.state IN ('writing', 'written') ORDER BY c.id",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, ref->kind == PERSON_EMPLOYEE ? "employee" : "dependent", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ref->id);
    return rows_ids(v, st, ids, count, diag);
}
