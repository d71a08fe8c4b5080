#include "mnvault/incidentdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/rows.h"

static const char *const protections[] = {
    [INCIDENT_PLAIN] = "plain",
    [INCIDENT_ZIP] = "zip",
    [INCIDENT_BACKUPFILE] = "backup",
    [INCIDENT_VAULT] = "vault",
};
static const char *const sources[] = {
    [INCIDENT_EXPORT] = "export",
    [INCIDENT_BACKUP] = "backup",
    [INCIDENT_DEVICE] = "device",
};
static const char *const events[] = {
    [INCIDENT_LOST] = "lost",         [INCIDENT_STOLEN] = "stolen", [INCIDENT_MISSENT] = "missent",
    [INCIDENT_ACCESSED] = "accessed", [INCIDENT_PUBLIC] = "public", [INCIDENT_DAMAGED] = "damaged",
};

static int name_index(const char *const *names, int n, const char *t)
{
    for (int i = 1; i < n; i++)
        if (names[i] && t && strcmp(names[i], t) == 0)
            return i;
    return 0;
}

static void col_text(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, size, "%s", t ? (const char *)t : "");
}

enum mnv_err incidentdb_insert(struct vault *v, const struct incident_rec *r, int64_t *id,
                               struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(
        v,
        "INSERT INTO incidents(recorded_at, recorded_by, source, source_id, label, location,"
        " made_at, event, known_on, happened_on, persons, employees, dependants, numbers, items,"
        " protection, encrypted, key_exposed, malicious, public_view, unlawful, must_report,"
        " reasons, detail, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
        " ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
        &st, diag);
    if (err != MNV_OK)
        return err;
    const struct incident_survey *s = &r->survey;
    const struct incident_facts *f = &r->facts;
    sqlite3_bind_int64(st, 1, r->recorded_at);
    sqlite3_bind_text(st, 2, r->recorded_by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sources[s->source], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, s->source_id);
    sqlite3_bind_text(st, 5, s->label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, s->where, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, s->made_at);
    sqlite3_bind_text(st, 8, events[r->event], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, r->known_on, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, r->happened_on, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, s->persons);
    sqlite3_bind_int64(st, 12, s->employees);
    sqlite3_bind_int64(st, 13, s->dependants);
    sqlite3_bind_int64(st, 14, s->numbers);
    sqlite3_bind_int64(st, 15, s->items);
    sqlite3_bind_text(st, 16, protections[s->protection], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 17, f->encrypted != 0);
    sqlite3_bind_int(st, 18, f->key_exposed != 0);
    sqlite3_bind_int(st, 19, f->malicious != 0);
    sqlite3_bind_int(st, 20, f->public_view != 0);
    sqlite3_bind_int(st, 21, f->unlawful != 0);
    sqlite3_bind_int(st, 22, r->verdict.must_report != 0);
    sqlite3_bind_int64(st, 23, r->verdict.reasons);
    sqlite3_bind_text(st, 24, s->detail, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 25, r->summary, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    *id = sqlite3_last_insert_rowid(vault_db(v));
    return MNV_OK;
}

#define INCIDENT_COLS                                                                              \
    "SELECT id, recorded_at, recorded_by, source, source_id, label, location, made_at, event,"     \
    " known_on, happened_on, persons, employees, dependants, numbers, items, protection,"          \
    " encrypted, key_exposed, malicious, public_view, unlawful, must_report, reasons, detail,"     \
    " summary FROM incidents"

static enum mnv_err fill(sqlite3_stmt *st, void *item, void *ud)
{
    (void)ud;
    struct incident_rec *r = item;
    struct incident_survey *s = &r->survey;
    char word[16];
    r->id = sqlite3_column_int64(st, 0);
    r->recorded_at = sqlite3_column_int64(st, 1);
    col_text(st, 2, r->recorded_by, sizeof(r->recorded_by));
    col_text(st, 3, word, sizeof(word));
    s->source = (enum incident_source)name_index(sources, 4, word);
    s->source_id = sqlite3_column_int64(st, 4);
    col_text(st, 5, s->label, sizeof(s->label));
    col_text(st, 6, s->where, sizeof(s->where));
    s->made_at = sqlite3_column_int64(st, 7);
    col_text(st, 8, word, sizeof(word));
    r->event = (enum incident_event)name_index(events, 7, word);
    col_text(st, 9, r->known_on, sizeof(r->known_on));
    col_text(st, 10, r->happened_on, sizeof(r->happened_on));
    s->persons = (long)sqlite3_column_int64(st, 11);
    s->employees = (long)sqlite3_column_int64(st, 12);
    s->dependants = (long)sqlite3_column_int64(st, 13);
    s->numbers = (long)sqlite3_column_int64(st, 14);
    s->items = (unsigned)sqlite3_column_int64(st, 15);
    col_text(st, 16, word, sizeof(word));
    s->protection = (enum incident_protection)name_index(protections, 5, word);
    r->facts.persons = s->numbers;
    r->facts.encrypted = sqlite3_column_int(st, 17);
    r->facts.key_exposed = sqlite3_column_int(st, 18);
    r->facts.malicious = sqlite3_column_int(st, 19);
    r->facts.public_view = sqlite3_column_int(st, 20);
    r->facts.unlawful = sqlite3_column_int(st, 21);
    r->verdict.must_report = sqlite3_column_int(st, 22);
    r->verdict.reasons = (unsigned)sqlite3_column_int64(st, 23);
    col_text(st, 24, s->detail, sizeof(s->detail));
    col_text(st, 25, r->summary, sizeof(r->summary));
    return MNV_OK;
}

enum mnv_err incidentdb_list(struct vault *v, struct incident_rec **out, size_t *count,
                             struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, INCIDENT_COLS " ORDER BY id DESC", &st, diag);
    if (err != MNV_OK)
        return err;
    struct rows rows = {0};
    err = rows_collect(v, st, sizeof(struct incident_rec), fill, NULL, &rows, diag);
    if (err == MNV_OK) {
        *out = rows.items;
        *count = rows.count;
    }
    return err;
}

enum mnv_err incidentdb_get(struct vault *v, int64_t id, struct incident_rec *out,
                            struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, INCIDENT_COLS " WHERE id = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    struct rows rows = {0};
    err = rows_collect(v, st, sizeof(struct incident_rec), fill, NULL, &rows, diag);
    if (err == MNV_OK && rows.count == 0)
        err = MNV_ERR_NOT_FOUND;
    if (err == MNV_OK)
        memcpy(out, rows.items, sizeof(*out));
    free(rows.items);
    return err;
}

static enum mnv_err count_of(struct vault *v, const char *sql, int64_t t, long *out,
                             struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, sql, &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, t);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err incidentdb_held_at(struct vault *v, int64_t t, struct incident_held *out,
                                struct mnv_diag *diag)
{
    /* A number held at t: stored by then, and still registered or deleted only after. */
#define HELD                                                                                       \
    " AND stored_at <= ?1 AND (status = 'registered' OR (status = 'disposed'"                      \
    " AND updated_at > ?1))"
    static const char *const sql[] = {
        "SELECT count(*) FROM employees WHERE created_at <= ?1",
        "SELECT count(*) FROM dependents WHERE created_at <= ?1",
        "SELECT count(*) FROM numbers WHERE employee_id IS NOT NULL" HELD,
        "SELECT count(*) FROM numbers WHERE dependent_id IS NOT NULL" HELD,
        "SELECT count(*) FROM payroll WHERE ?1 = ?1",
        "SELECT count(*) FROM employees WHERE created_at <= ?1 AND (pension_no <> ''"
        " OR emp_ins_no <> '')",
        "SELECT count(*) FROM collections WHERE ?1 = ?1",
        "SELECT count(*) FROM employees WHERE created_at <= ?1 AND address <> ''",
    };
#undef HELD
    long n[8] = {0};
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        enum mnv_err err = count_of(v, sql[i], t, &n[i], diag);
        if (err != MNV_OK)
            return err;
    }
    out->employees = n[0];
    out->dependants = n[1];
    out->employee_numbers = n[2];
    out->dependant_numbers = n[3];
    out->payroll = n[4] > 0;
    out->insurance = n[5] > 0;
    out->iddocs = n[6] > 0;
    out->addresses = n[7] > 0;
    return MNV_OK;
}

enum mnv_err incidentdb_custody_kinds(struct vault *v, int64_t id, long *employees,
                                      long *dependants, struct mnv_diag *diag)
{
    enum mnv_err err = count_of(
        v, "SELECT count(*) FROM custody_persons WHERE custody_id = ?1 AND kind = 'employee'", id,
        employees, diag);
    if (err == MNV_OK)
        err = count_of(v,
                       "SELECT count(*) FROM custody_persons WHERE custody_id = ?1"
                       " AND kind = 'dependent'",
                       id, dependants, diag);
    return err;
}
