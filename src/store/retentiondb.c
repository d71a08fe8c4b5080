#include "mnvault/retentiondb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/caldate.h"
#include "mnvault/rows.h"

static const char *const event_names[REV__COUNT] = {
    [REV_RETIREMENT] = "retirement",
    [REV_DEPENDANT_LEFT] = "dependant_left",
    [REV_HEALTH_PENSION_LOSS] = "health_pension_loss",
    [REV_EMPLOYMENT_INSURANCE_LOSS] = "employment_insurance_loss",
    [REV_CONTRACT_END] = "contract_end",
    [REV_COLLECTED] = "collected",
    [REV_NOTIFIED] = "notified",
    [REV_FILED] = "filed",
};

const char *retentiondb_event_name(enum retention_event_kind kind)
{
    return (unsigned)kind < REV__COUNT ? event_names[kind] : "";
}

enum retention_event_kind retentiondb_event_parse(const char *name)
{
    for (int k = 0; k < REV__COUNT; k++)
        if (strcmp(name, event_names[k]) == 0)
            return (enum retention_event_kind)k;
    return REV__COUNT;
}

/* The person of a row whose columns a and a+1 are employee_id and dependent_id. */
static struct person_ref row_person(sqlite3_stmt *st, int a)
{
    struct person_ref p;
    if (sqlite3_column_type(st, a) != SQLITE_NULL) {
        p.kind = PERSON_EMPLOYEE;
        p.id = sqlite3_column_int64(st, a);
    } else {
        p.kind = PERSON_DEPENDENT;
        p.id = sqlite3_column_int64(st, a + 1);
    }
    return p;
}

static void col_text(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

/*
 * Run st (bound already) and emit one event of kind per row: columns 0-1 the person,
 * column 2 the date, column 3 (when has_code) the code. table names the table for a date
 * that is not a date.
 */
static enum mnv_err emit_rows(struct vault *v, sqlite3_stmt *st, enum retention_event_kind kind,
                              int has_code, const char *table, retention_emit_fn emit, void *ud,
                              struct mnv_diag *diag)
{
    enum mnv_err err = MNV_OK;
    int rc;
    while (err == MNV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct retention_event ev;
        const char *date = (const char *)sqlite3_column_text(st, 2);
        ev.person = row_person(st, 0);
        ev.kind = kind;
        ev.code = has_code ? (const char *)sqlite3_column_text(st, 3) : "";
        if (!ev.code)
            ev.code = "";
        if (!date || caldate_parse(date, &ev.day) != 0) {
            mnv_diag_item(diag, "%s", table);
            err = MNV_ERR_DB_CORRUPT;
            break;
        }
        err = emit(ud, &ev);
    }
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

/* Prepare all_sql or one_sql (the latter binding ?1 to employee_id). */
static enum mnv_err pick(struct vault *v, int64_t employee_id, const char *all_sql,
                         const char *one_sql, sqlite3_stmt **st, struct mnv_diag *diag)
{
    enum mnv_err err = vault_stmt(v, employee_id ? one_sql : all_sql, st, diag);
    if (err == MNV_OK && employee_id)
        sqlite3_bind_int64(*st, 1, employee_id);
    return err;
}

/* The registered numbers of one household (?1 = the employee), as "n" joined to "d". */
#define HOUSEHOLD " AND (n.employee_id = ?1 OR d.employee_id = ?1)"

/* One source of events: its query for every number and for a household (HOUSEHOLD added),
 * the kind of event its rows are, whether column 3 is a code, and its table (for a fault). */
struct event_scan {
    const char *all_sql, *one_sql;
    enum retention_event_kind kind;
    int has_code;
    const char *table;
};

static enum mnv_err scan_events(struct vault *v, int64_t employee_id, const struct event_scan *q,
                                retention_emit_fn emit, void *ud, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = pick(v, employee_id, q->all_sql, q->one_sql, &st, diag);
    if (err != MNV_OK)
        return err;
    return emit_rows(v, st, q->kind, q->has_code, q->table, emit, ud, diag);
}

static enum mnv_err each_subject(struct vault *v, sqlite3_stmt *st, retention_subject_fn fn,
                                 void *ud, struct mnv_diag *diag)
{
    enum mnv_err err = MNV_OK;
    int rc;
    while (err == MNV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct retention_subject s;
        s.number_id = sqlite3_column_int64(st, 0);
        s.person = row_person(st, 1);
        s.employee_id = sqlite3_column_int64(st, 3);
        col_text(st, 4, s.employee_code, sizeof(s.employee_code));
        s.version = (uint32_t)sqlite3_column_int64(st, 5);
        err = fn(ud, &s);
    }
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

enum mnv_err retentiondb_subjects(struct vault *v, int64_t employee_id, retention_subject_fn fn,
                                  void *ud, struct mnv_diag *diag)
{
#define SUBJECT_COLS "SELECT n.id, n.employee_id, n.dependent_id, e.id, e.code, n.version"
    /* Every number: the employees' in the order of numbers_by_employee, then the
     * dependants' in that of numbers_by_dependent, so that no sort holds them all. */
    static const char *const all_sql[] = {
        SUBJECT_COLS " FROM numbers n JOIN employees e ON e.id = n.employee_id"
                     " WHERE n.employee_id IS NOT NULL AND n.status = 'registered'"
                     " ORDER BY n.employee_id",
        SUBJECT_COLS " FROM numbers n JOIN dependents d ON d.id = n.dependent_id"
                     " JOIN employees e ON e.id = d.employee_id"
                     " WHERE n.dependent_id IS NOT NULL AND n.status = 'registered'"
                     " ORDER BY n.dependent_id",
    };
    static const char one_sql[] =
        SUBJECT_COLS " FROM numbers n LEFT JOIN dependents d ON d.id = n.dependent_id"
                     " JOIN employees e ON e.id = coalesce(n.employee_id, d.employee_id)"
                     " WHERE n.status = 'registered'" HOUSEHOLD
                     " ORDER BY n.employee_id IS NULL, coalesce(n.employee_id, n.dependent_id)";
    enum mnv_err err = MNV_OK;
    for (size_t i = 0; err == MNV_OK && i < (employee_id ? 1 : MNV_ARRAY_LEN(all_sql)); i++) {
        sqlite3_stmt *st;
        err = pick(v, employee_id, all_sql[i], one_sql, &st, diag);
        if (err == MNV_OK)
            err = each_subject(v, st, fn, ud, diag);
    }
    return err;
}

enum mnv_err retentiondb_scan_retirement(struct vault *v, int64_t employee_id,
                                         retention_emit_fn emit, void *ud, struct mnv_diag *diag)
{
#define RETIRED                                                                                    \
    "SELECT n.employee_id, n.dependent_id, e.retire_date"                                          \
    " FROM numbers n LEFT JOIN dependents d ON d.id = n.dependent_id"                              \
    " JOIN employees e ON e.id = coalesce(n.employee_id, d.employee_id)"                           \
    " WHERE n.status = 'registered' AND coalesce(e.retire_date, '') <> ''"
    static const struct event_scan q = {RETIRED, RETIRED HOUSEHOLD, REV_RETIREMENT, 0, "employees"};
    return scan_events(v, employee_id, &q, emit, ud, diag);
}

enum mnv_err retentiondb_scan_dependants_left(struct vault *v, int64_t employee_id,
                                              retention_emit_fn emit, void *ud,
                                              struct mnv_diag *diag)
{
#define LEFT                                                                                       \
    "SELECT n.employee_id, n.dependent_id, d.left_on"                                              \
    " FROM numbers n JOIN dependents d ON d.id = n.dependent_id"                                   \
    " WHERE n.status = 'registered' AND d.left_on IS NOT NULL"
    static const struct event_scan q = {LEFT, LEFT HOUSEHOLD, REV_DEPENDANT_LEFT, 0, "dependents"};
    return scan_events(v, employee_id, &q, emit, ud, diag);
}

enum mnv_err retentiondb_scan_purposes(struct vault *v, int64_t employee_id, retention_emit_fn emit,
                                       void *ud, struct mnv_diag *diag)
{
#define NOTIFIED                                                                                   \
    "SELECT n.employee_id, n.dependent_id, p.notified_on, p.purpose"                               \
    " FROM number_purposes p JOIN numbers n ON n.id = p.number_id"                                 \
    " LEFT JOIN dependents d ON d.id = n.dependent_id"                                             \
    " WHERE n.status = 'registered'"
    static const struct event_scan q = {NOTIFIED, NOTIFIED HOUSEHOLD, REV_NOTIFIED, 1,
                                        "number_purposes"};
    return scan_events(v, employee_id, &q, emit, ud, diag);
}

enum mnv_err retentiondb_scan_collections(struct vault *v, int64_t employee_id,
                                          retention_emit_fn emit, void *ud, struct mnv_diag *diag)
{
#define COLLECTED                                                                                  \
    "SELECT n.employee_id, n.dependent_id, c.verified_on"                                          \
    " FROM collections c JOIN numbers n ON n.id = c.number_id"                                     \
    " LEFT JOIN dependents d ON d.id = n.dependent_id"                                             \
    " WHERE n.status = 'registered'"
    static const struct event_scan q = {COLLECTED, COLLECTED HOUSEHOLD, REV_COLLECTED, 0,
                                        "collections"};
    return scan_events(v, employee_id, &q, emit, ud, diag);
}

enum mnv_err retentiondb_scan_custody(struct vault *v, int64_t employee_id, retention_emit_fn emit,
                                      void *ud, struct mnv_diag *diag)
{
#define FILED                                                                                      \
    "SELECT n.employee_id, n.dependent_id,"                                                        \
    " min(date(c.created_at, 'unixepoch', 'localtime'), printf('%04d-12-31', c.year)),"            \
    " c.form || '/' || c.year"                                                                     \
    " FROM custody c JOIN custody_persons cp ON cp.custody_id = c.id"                              \
    " JOIN numbers n ON (cp.kind = 'employee' AND n.employee_id = cp.person_id)"                   \
    "   OR (cp.kind = 'dependent' AND n.dependent_id = cp.person_id)"                              \
    " LEFT JOIN dependents d ON d.id = n.dependent_id"                                             \
    " WHERE c.state <> 'failed' AND n.status = 'registered'"
    static const struct event_scan q = {FILED, FILED HOUSEHOLD, REV_FILED, 1, "custody"};
    return scan_events(v, employee_id, &q, emit, ud, diag);
}

/* ---- holds ------------------------------------------------------------------------------- */

enum mnv_err retentiondb_hold_insert(struct vault *v, struct retention_hold *h,
                                     struct mnv_diag *diag)
{
    enum mnv_err err =
        retentiondb_hold_release(v, h->number_id, h->placed_at, h->placed_by, "renewed", diag);
    if (err != MNV_OK && err != MNV_ERR_NOT_FOUND)
        return err;
    sqlite3_stmt *st;
    err = vault_stmt(v,
                     "INSERT INTO retention_holds(number_id, reason, review_on, placed_by,"
                     " placed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                     &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, h->number_id);
    sqlite3_bind_text(st, 2, h->reason, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, h->review_on, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, h->placed_by, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, h->placed_at);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    h->id = sqlite3_last_insert_rowid(vault_db(v));
    h->released_at = 0;
    return MNV_OK;
}

enum mnv_err retentiondb_hold_release(struct vault *v, int64_t number_id, int64_t time,
                                      const char *by, const char *why, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "UPDATE retention_holds SET released_at = ?2, released_by = ?3,"
                                  " release_why = ?4 WHERE number_id = ?1 AND released_at IS NULL",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, number_id);
    sqlite3_bind_int64(st, 2, time);
    sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, why, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    return sqlite3_changes(vault_db(v)) > 0 ? MNV_OK : MNV_ERR_NOT_FOUND;
}

static void read_hold(sqlite3_stmt *st, struct retention_hold *h)
{
    memset(h, 0, sizeof(*h));
    h->id = sqlite3_column_int64(st, 0);
    h->number_id = sqlite3_column_int64(st, 1);
    h->person = row_person(st, 2);
    h->employee_id = sqlite3_column_int64(st, 4);
    col_text(st, 5, h->reason, sizeof(h->reason));
    col_text(st, 6, h->review_on, sizeof(h->review_on));
    col_text(st, 7, h->placed_by, sizeof(h->placed_by));
    h->placed_at = sqlite3_column_int64(st, 8);
    h->released_at = sqlite3_column_int64(st, 9);
    col_text(st, 10, h->released_by, sizeof(h->released_by));
    col_text(st, 11, h->release_why, sizeof(h->release_why));
}

static enum mnv_err fill_hold(sqlite3_stmt *st, void *item, void *ud)
{
    (void)ud;
    read_hold(st, item);
    return MNV_OK;
}

enum mnv_err retentiondb_holds(struct vault *v, int64_t employee_id, int current,
                               struct retention_hold **out, size_t *count, struct mnv_diag *diag)
{
#define HOLDS                                                                                      \
    "SELECT h.id, h.number_id, n.employee_id, n.dependent_id,"                                     \
    " coalesce(n.employee_id, d.employee_id), h.reason, h.review_on, h.placed_by, h.placed_at,"    \
    " coalesce(h.released_at, 0), coalesce(h.released_by, ''), coalesce(h.release_why, '')"        \
    " FROM retention_holds h JOIN numbers n ON n.id = h.number_id"                                 \
    " LEFT JOIN dependents d ON d.id = n.dependent_id WHERE (?2 = 0 OR h.released_at IS NULL)"
#define HOLD_ORDER " ORDER BY h.number_id, h.id DESC"
    static const char all_sql[] = HOLDS HOLD_ORDER;
    static const char one_sql[] = HOLDS HOUSEHOLD HOLD_ORDER;
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err = pick(v, employee_id, all_sql, one_sql, &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int(st, 2, current);
    struct rows r;
    err = rows_collect(v, st, sizeof(**out), fill_hold, NULL, &r, diag);
    *out = r.items;
    *count = r.count;
    return err;
}
