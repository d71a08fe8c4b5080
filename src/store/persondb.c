/* persondb.c: employees and dependents as rows, one at a time (insert, get, update, delete,
 * find). The reads of everyone at once (the compact list, the counts) are in persondb_list.c.
 */
#include "mnvault/persondb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/clock.h"
#include "mnvault/rows.h"

/* ---- employees --------------------------------------------------------------------------- */

static void col_text(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    snprintf(out, size, "%s", t ? t : "");
}

static void bind_opt(sqlite3_stmt *st, int i, const char *text)
{
    if (text[0])
        sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_employee(sqlite3_stmt *st, const struct employee *e)
{
    sqlite3_bind_text(st, 1, e->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, e->kana, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->birth_date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, person_sex_name(e->sex), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->postal_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e->address, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, e->hire_date, -1, SQLITE_STATIC);
    bind_opt(st, 9, e->retire_date);
    sqlite3_bind_text(st, 10, e->emp_ins_no, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, e->pension_no, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 12, e->created_at);
    sqlite3_bind_int64(st, 13, e->updated_at);
}

static enum mnv_err step_write(struct vault *v, sqlite3_stmt *st, struct mnv_diag *diag)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return MNV_OK;
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return MNV_ERR_CODE_TAKEN;
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return MNV_ERR_PERSON_NOT_FOUND;
    return vault_sql_error(v, rc, diag);
}

enum mnv_err persondb_employee_insert(struct vault *v, struct employee *e, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    /* Every parameter bound below (bind_employee), reset after the step (step_write). */
    enum mnv_err err = vault_stmt_bound(
        v,
        "INSERT INTO employees(code, name, kana, birth_date, sex, postal_code, address,"
        " hire_date, retire_date, emp_ins_no, pension_no, created_at, updated_at)"
        " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
        &st, diag);
    if (err != MNV_OK)
        return err;
    e->created_at = e->updated_at = (int64_t)clock_now();
    bind_employee(st, e);
    err = step_write(v, st, diag);
    if (err == MNV_OK)
        e->id = sqlite3_last_insert_rowid(vault_db(v));
    return err;
}

#define EMP_COLS                                                                                   \
    "id, code, name, kana, birth_date, sex, postal_code, address, hire_date,"                      \
    " coalesce(retire_date, ''), emp_ins_no, pension_no, created_at, updated_at"

enum mnv_err persondb_employee_get(struct vault *v, int64_t id, struct employee *e,
                                   struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, "SELECT " EMP_COLS " FROM employees WHERE id = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        char sex[4];
        memset(e, 0, sizeof(*e));
        e->id = sqlite3_column_int64(st, 0);
        col_text(st, 1, e->code, sizeof(e->code));
        col_text(st, 2, e->name, sizeof(e->name));
        col_text(st, 3, e->kana, sizeof(e->kana));
        col_text(st, 4, e->birth_date, sizeof(e->birth_date));
        col_text(st, 5, sex, sizeof(sex));
        e->sex = person_sex_parse(sex);
        col_text(st, 6, e->postal_code, sizeof(e->postal_code));
        col_text(st, 7, e->address, sizeof(e->address));
        col_text(st, 8, e->hire_date, sizeof(e->hire_date));
        col_text(st, 9, e->retire_date, sizeof(e->retire_date));
        col_text(st, 10, e->emp_ins_no, sizeof(e->emp_ins_no));
        col_text(st, 11, e->pension_no, sizeof(e->pension_no));
        e->created_at = sqlite3_column_int64(st, 12);
        e->updated_at = sqlite3_column_int64(st, 13);
    } else {
        err = rc == SQLITE_DONE ? MNV_ERR_PERSON_NOT_FOUND : vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    return err;
}

static unsigned employee_diff(const struct employee *a, const struct employee *b)
{
    unsigned f = 0;
    f |= strcmp(a->code, b->code) ? EMP_CODE : 0;
    f |= strcmp(a->name, b->name) ? EMP_NAME : 0;
    f |= strcmp(a->kana, b->kana) ? EMP_KANA : 0;
    f |= strcmp(a->birth_date, b->birth_date) ? EMP_BIRTH_DATE : 0;
    f |= a->sex != b->sex ? EMP_SEX : 0;
    f |= strcmp(a->postal_code, b->postal_code) ? EMP_POSTAL_CODE : 0;
    f |= strcmp(a->address, b->address) ? EMP_ADDRESS : 0;
    f |= strcmp(a->hire_date, b->hire_date) ? EMP_HIRE_DATE : 0;
    f |= strcmp(a->retire_date, b->retire_date) ? EMP_RETIRE_DATE : 0;
    f |= strcmp(a->emp_ins_no, b->emp_ins_no) ? EMP_EMP_INS_NO : 0;
    f |= strcmp(a->pension_no, b->pension_no) ? EMP_PENSION_NO : 0;
    return f;
}

enum mnv_err persondb_employee_update(struct vault *v, struct employee *e, unsigned *changed,
                                      struct mnv_diag *diag)
{
    struct employee old;
    *changed = 0;
    enum mnv_err err = persondb_employee_get(v, e->id, &old, diag);
    if (err != MNV_OK)
        return err;
    *changed = employee_diff(&old, e);
    if (!*changed)
        return MNV_OK;
    sqlite3_stmt *st;
    err = vault_stmt(v,
                     "UPDATE employees SET code = ?1, name = ?2, kana = ?3, birth_date = ?4,"
                     " sex = ?5, postal_code = ?6, address = ?7, hire_date = ?8,"
                     " retire_date = ?9, emp_ins_no = ?10, pension_no = ?11, created_at = ?12,"
                     " updated_at = ?13 WHERE id = ?14",
                     &st, diag);
    if (err != MNV_OK)
        return err;
    e->created_at = old.created_at;
    e->updated_at = (int64_t)clock_now();
    bind_employee(st, e);
    sqlite3_bind_int64(st, 14, e->id);
    return step_write(v, st, diag);
}

static enum mnv_err delete_row(struct vault *v, const char *sql, int64_t id, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, sql, &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    err = step_write(v, st, diag);
    if (err == MNV_OK && sqlite3_changes(vault_db(v)) == 0)
        err = MNV_ERR_PERSON_NOT_FOUND;
    return err;
}

enum mnv_err persondb_employee_delete(struct vault *v, int64_t id, struct mnv_diag *diag)
{
    return delete_row(v, "DELETE FROM employees WHERE id = ?1", id, diag);
}

/* ---- dependents ---------------------------------------------------------------------------- */

static void bind_dependent(sqlite3_stmt *st, const struct dependent *d)
{
    sqlite3_bind_int64(st, 1, d->employee_id);
    sqlite3_bind_text(st, 2, d->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d->kana, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, person_relation_name(d->relation), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, d->birth_date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, person_sex_name(d->sex), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, d->created_at);
    sqlite3_bind_int64(st, 8, d->updated_at);
}

enum mnv_err persondb_dependent_insert(struct vault *v, struct dependent *d, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "INSERT INTO dependents(employee_id, name, kana, relation,"
                                  " birth_date, sex, created_at, updated_at)"
                                  " VALUES (?1,?2,?3,?4,?5,?6,?7,?8)",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    d->created_at = d->updated_at = (int64_t)clock_now();
    bind_dependent(st, d);
    err = step_write(v, st, diag);
    if (err == MNV_OK)
        d->id = sqlite3_last_insert_rowid(vault_db(v));
    return err;
}

#define DEP_COLS                                                                                   \
    "id, employee_id, name, kana, relation, birth_date, sex, created_at, updated_at,"              \
    " coalesce(left_on, '')"

static void read_dependent(sqlite3_stmt *st, struct dependent *d)
{
    char rel[16], sex[4];
    memset(d, 0, sizeof(*d));
    d->id = sqlite3_column_int64(st, 0);
    d->employee_id = sqlite3_column_int64(st, 1);
    col_text(st, 2, d->name, sizeof(d->name));
    col_text(st, 3, d->kana, sizeof(d->kana));
    col_text(st, 4, rel, sizeof(rel));
    d->relation = person_relation_parse(rel);
    col_text(st, 5, d->birth_date, sizeof(d->birth_date));
    col_text(st, 6, sex, sizeof(sex));
    d->sex = person_sex_parse(sex);
    d->created_at = sqlite3_column_int64(st, 7);
    d->updated_at = sqlite3_column_int64(st, 8);
    col_text(st, 9, d->left_on, sizeof(d->left_on));
}

enum mnv_err persondb_dependent_get(struct vault *v, int64_t id, struct dependent *d,
                                    struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v, "SELECT " DEP_COLS " FROM dependents WHERE id = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_dependent(st, d);
    else
        err = rc == SQLITE_DONE ? MNV_ERR_PERSON_NOT_FOUND : vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

enum mnv_err persondb_dependent_update(struct vault *v, struct dependent *d, unsigned *changed,
                                       struct mnv_diag *diag)
{
    struct dependent old;
    *changed = 0;
    enum mnv_err err = persondb_dependent_get(v, d->id, &old, diag);
    if (err != MNV_OK)
        return err;
    d->employee_id = old.employee_id;
    *changed = (strcmp(old.name, d->name) ? DEP_NAME : 0u) |
               (strcmp(old.kana, d->kana) ? DEP_KANA : 0u) |
               (old.relation != d->relation ? DEP_RELATION : 0u) |
               (strcmp(old.birth_date, d->birth_date) ? DEP_BIRTH_DATE : 0u) |
               (old.sex != d->sex ? DEP_SEX : 0u);
    if (!*changed)
        return MNV_OK;
    sqlite3_stmt *st;
    err = vault_stmt(v,
                     "UPDATE dependents SET employee_id = ?1, name = ?2, kana = ?3,"
                     " relation = ?4, birth_date = ?5, sex = ?6, created_at = ?7,"
                     " updated_at = ?8 WHERE id = ?9",
                     &st, diag);
    if (err != MNV_OK)
        return err;
    d->created_at = old.created_at;
    d->updated_at = (int64_t)clock_now();
    bind_dependent(st, d);
    sqlite3_bind_int64(st, 9, d->id);
    return step_write(v, st, diag);
}

enum mnv_err persondb_dependent_set_left(struct vault *v, int64_t id, const char *date,
                                         struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(
        v, "UPDATE dependents SET left_on = nullif(?2, ''), updated_at = ?3 WHERE id = ?1", &st,
        diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)clock_now());
    err = step_write(v, st, diag);
    if (err == MNV_OK && sqlite3_changes(vault_db(v)) == 0)
        err = MNV_ERR_PERSON_NOT_FOUND;
    return err;
}

enum mnv_err persondb_dependent_delete(struct vault *v, int64_t id, struct mnv_diag *diag)
{
    return delete_row(v, "DELETE FROM dependents WHERE id = ?1", id, diag);
}

static enum mnv_err fill_dependent(sqlite3_stmt *st, void *item, void *ud)
{
    (void)ud;
    read_dependent(st, item);
    return MNV_OK;
}

enum mnv_err persondb_dependents_of(struct vault *v, int64_t employee_id, struct dependent **out,
                                    size_t *count, struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(
        v, "SELECT " DEP_COLS " FROM dependents WHERE employee_id = ?1 ORDER BY id", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, employee_id);
    struct rows r;
    err = rows_collect(v, st, sizeof(**out), fill_dependent, NULL, &r, diag);
    *out = r.items;
    *count = r.count;
    return err;
}

int persondb_exists(struct vault *v, const struct person_ref *ref)
{
    sqlite3_stmt *st;
    const char *sql = ref->kind == PERSON_EMPLOYEE ? "SELECT 1 FROM employees WHERE id = ?1"
                                                   : "SELECT 1 FROM dependents WHERE id = ?1";
    if (ref->kind != PERSON_EMPLOYEE && ref->kind != PERSON_DEPENDENT)
        return 0;
    enum mnv_err err = vault_stmt(v, sql, &st, NULL);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, ref->id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : vault_sql_error(v, rc, NULL);
}

enum mnv_err persondb_employee_find(struct vault *v, const char *code, int64_t *id,
                                    struct mnv_diag *diag)
{
    *id = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, "SELECT id FROM employees WHERE code = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        err = MNV_ERR_PERSON_NOT_FOUND;
    else
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}
