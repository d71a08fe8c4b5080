#include "mnvault/disposaldb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/rows.h"

static const char *const state_names[DISPOSAL__STATES] = {
    [DISPOSAL_PROPOSED] = "proposed", [DISPOSAL_APPROVED] = "approved",
    [DISPOSAL_REJECTED] = "rejected", [DISPOSAL_WITHDRAWN] = "withdrawn",
    [DISPOSAL_STALE] = "stale",       [DISPOSAL_EXECUTED] = "executed",
};

const char *disposaldb_state_name(enum disposal_state s)
{
    return (unsigned)s < DISPOSAL__STATES ? state_names[s] : "";
}

enum disposal_state disposaldb_state_parse(const char *name)
{
    for (int s = 0; s < DISPOSAL__STATES; s++)
        if (strcmp(name, state_names[s]) == 0)
            return (enum disposal_state)s;
    return DISPOSAL__STATES;
}

static void col_text(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

enum mnv_err disposaldb_in_open(struct vault *v, int64_t number_id, int64_t *proposal,
                                struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "SELECT p.id FROM disposal_items i JOIN disposal_proposals p"
                                  " ON p.id = i.proposal_id WHERE i.number_id = ?1"
                                  " AND p.state IN ('proposed', 'approved')",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, number_id);
    int rc = sqlite3_step(st);
    *proposal = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

static enum mnv_err insert_item(struct vault *v, int64_t proposal, const struct disposal_item *it,
                                struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "INSERT INTO disposal_items(proposal_id, number_id, employee_id,"
                                  " dependent_id, employee_code, keep_until, doc, digest)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, proposal);
    sqlite3_bind_int64(st, 2, it->number_id);
    sqlite3_bind_int64(st, 3, it->employee_id);
    if (it->person.kind == PERSON_DEPENDENT)
        sqlite3_bind_int64(st, 4, it->person.id);
    sqlite3_bind_text(st, 5, it->employee_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, it->keep_until, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, it->doc, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 8, it->digest, VCRYPTO_HASH_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err disposaldb_insert(struct vault *v, struct disposal_proposal *p,
                               const struct disposal_item *it, size_t n, struct mnv_diag *diag)
{
    p->state = DISPOSAL_PROPOSED;
    p->items = (long)n;
    p->employees = p->dependants = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t yes;
        enum mnv_err err = disposaldb_in_open(v, it[i].number_id, &yes, diag);
        if (err != MNV_OK)
            return err;
        if (yes) {
            if (diag)
                diag->line = (long)it[i].number_id;
            return MNV_ERR_IN_PROPOSAL;
        }
        if (it[i].person.kind == PERSON_EMPLOYEE)
            p->employees++;
        else
            p->dependants++;
    }
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v,
                   "INSERT INTO disposal_proposals(state, proposed_by, proposed_at, note, items,"
                   " employees, dependants, updated_at) VALUES ('proposed', ?1, ?2, ?3, ?4, ?5,"
                   " ?6, ?2)",
                   &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, p->proposed_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, p->proposed_at);
    sqlite3_bind_text(st, 3, p->note, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, p->items);
    sqlite3_bind_int64(st, 5, p->employees);
    sqlite3_bind_int64(st, 6, p->dependants);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    p->id = sqlite3_last_insert_rowid(vault_db(v));
    for (size_t i = 0; err == MNV_OK && i < n; i++)
        err = insert_item(v, p->id, &it[i], diag);
    return err;
}

#define PROPOSAL_COLS                                                                              \
    "SELECT id, state, proposed_by, proposed_at, note, coalesce(decided_by, ''),"                  \
    " coalesce(decided_at, 0), coalesce(reason, ''), coalesce(executed_by, ''),"                   \
    " coalesce(executed_at, 0), items, employees, dependants FROM disposal_proposals"

static void read_proposal(sqlite3_stmt *st, struct disposal_proposal *p)
{
    char state[16];
    memset(p, 0, sizeof(*p));
    p->id = sqlite3_column_int64(st, 0);
    col_text(st, 1, state, sizeof(state));
    p->state = disposaldb_state_parse(state);
    col_text(st, 2, p->proposed_by, sizeof(p->proposed_by));
    p->proposed_at = sqlite3_column_int64(st, 3);
    col_text(st, 4, p->note, sizeof(p->note));
    col_text(st, 5, p->decided_by, sizeof(p->decided_by));
    p->decided_at = sqlite3_column_int64(st, 6);
    col_text(st, 7, p->reason, sizeof(p->reason));
    col_text(st, 8, p->executed_by, sizeof(p->executed_by));
    p->executed_at = sqlite3_column_int64(st, 9);
    p->items = (long)sqlite3_column_int64(st, 10);
    p->employees = (long)sqlite3_column_int64(st, 11);
    p->dependants = (long)sqlite3_column_int64(st, 12);
}

enum mnv_err disposaldb_get(struct vault *v, int64_t id, struct disposal_proposal *p,
                            struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, PROPOSAL_COLS " WHERE id = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_proposal(st, p);
    else
        err = rc == SQLITE_DONE ? MNV_ERR_NOT_FOUND : vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

static enum mnv_err read_item(sqlite3_stmt *st, void *row, void *ud)
{
    (void)ud;
    struct disposal_item *it = row;
    it->number_id = sqlite3_column_int64(st, 0);
    it->employee_id = sqlite3_column_int64(st, 1);
    if (sqlite3_column_type(st, 2) == SQLITE_NULL) {
        it->person.kind = PERSON_EMPLOYEE;
        it->person.id = it->employee_id;
    } else {
        it->person.kind = PERSON_DEPENDENT;
        it->person.id = sqlite3_column_int64(st, 2);
    }
    col_text(st, 3, it->employee_code, sizeof(it->employee_code));
    col_text(st, 4, it->keep_until, sizeof(it->keep_until));
    col_text(st, 5, it->doc, sizeof(it->doc));
    const void *d = sqlite3_column_blob(st, 6);
    if (d && sqlite3_column_bytes(st, 6) == VCRYPTO_HASH_LEN)
        memcpy(it->digest, d, VCRYPTO_HASH_LEN);
    return MNV_OK;
}

/* Every row of st into *out (rows_collect: read by fill). */
static enum mnv_err collect(struct vault *v, sqlite3_stmt *st, size_t size, rows_fill_fn fill,
                            void **out, size_t *count, struct mnv_diag *diag)
{
    struct rows r;
    enum mnv_err err = rows_collect(v, st, size, fill, NULL, &r, diag);
    *out = r.items;
    *count = r.count;
    return err;
}

enum mnv_err disposaldb_items(struct vault *v, int64_t id, struct disposal_item **out,
                              size_t *count, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "SELECT number_id, employee_id, dependent_id, employee_code,"
                                  " keep_until, doc, digest FROM disposal_items"
                                  " WHERE proposal_id = ?1 ORDER BY number_id",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    return collect(v, st, sizeof(**out), read_item, (void **)out, count, diag);
}

static enum mnv_err read_proposal_row(sqlite3_stmt *st, void *row, void *ud)
{
    (void)ud;
    read_proposal(st, row);
    return MNV_OK;
}

enum mnv_err disposaldb_list(struct vault *v, int open_only, struct disposal_proposal **out,
                             size_t *count, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  PROPOSAL_COLS " WHERE ?1 = 0 OR state IN ('proposed', 'approved')"
                                                " ORDER BY id DESC",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int(st, 1, open_only);
    return collect(v, st, sizeof(**out), read_proposal_row, (void **)out, count, diag);
}

enum mnv_err disposaldb_decide(struct vault *v, int64_t id, enum disposal_state from,
                               enum disposal_state to, const char *by, int64_t time,
                               const char *reason, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        to == DISPOSAL_EXECUTED
            ? vault_stmt(v,
                         "UPDATE disposal_proposals SET state = ?3, executed_by = ?4,"
                         " executed_at = ?5, updated_at = ?5 WHERE id = ?1 AND state = ?2",
                         &st, diag)
            : vault_stmt(v,
                         "UPDATE disposal_proposals SET state = ?3, decided_by = ?4,"
                         " decided_at = ?5, reason = ?6, updated_at = ?5"
                         " WHERE id = ?1 AND state = ?2",
                         &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, disposaldb_state_name(from), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, disposaldb_state_name(to), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, time);
    if (to != DISPOSAL_EXECUTED)
        sqlite3_bind_text(st, 6, reason, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    return sqlite3_changes(vault_db(v)) > 0 ? MNV_OK : MNV_ERR_PROPOSAL_STATE;
}

enum mnv_err disposaldb_count(struct vault *v, enum disposal_state s, long *n,
                              struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v, "SELECT count(*) FROM disposal_proposals WHERE state = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, disposaldb_state_name(s), -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    if (rc != SQLITE_ROW)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}
