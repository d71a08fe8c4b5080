#include "mnvault/persondb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/alloc.h"
#include "mnvault/clock.h"
#include "mnvault/rows.h"
#include "mnvault/strbuf.h"

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
    enum mnv_err err =
        vault_stmt(v,
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

/* ---- the compact list ---------------------------------------------------------------------- */

/* Append text and its NUL to the arena; returns its offset, or SIZE_MAX when out of memory. */
static size_t arena_add(struct strbuf *a, const char *text)
{
    size_t off = a->len;
    return strbuf_add(a, text, strlen(text) + 1) == MNV_OK ? off : SIZE_MAX;
}

/*
 * The list is read as five scans, each over one table or index in its own order, merged in
 * memory: every page is decrypted once and no row costs a lookup in another tree (the
 * single query with a subquery per row looked up four trees for each of 100,000 employees).
 * Employees come in id order, so rows can be found by id with a binary search; the rows are
 * put in code order at the end (usually they already are).
 */
static const char list_employees_sql[] =
    "SELECT id, code, name, kana, hire_date, retire_date IS NOT NULL FROM employees ORDER BY id";
static const char list_numbers_sql[] = "SELECT id, employee_id, status, version FROM numbers"
                                       " WHERE employee_id IS NOT NULL ORDER BY id";
static const char list_purposes_sql[] =
    "SELECT number_id, purpose FROM number_purposes ORDER BY number_id, purpose";
static const char list_dependents_sql[] =
    "SELECT employee_id, count(*) FROM dependents GROUP BY employee_id";
static const char list_collections_sql[] =
    "SELECT number_id, number_version FROM collections WHERE number_id IS NOT NULL";

/* An employee's number: its id (ascending, as scanned), the employee's row, its version. */
struct list_number {
    int64_t id;
    size_t row;
    int64_t version;
};

struct list_ctx {
    struct vault *v;
    struct person_list *out;
    struct strbuf *a;
    size_t *offs; /* 4 per row: code, name, kana, purposes */
    struct list_number *nums;
    size_t nnums, cap, offs_cap, empty; /* empty: the arena offset of "" */
    long limit;                         /* > 0: only the first screen (list_first_sql) */
};

static const char *col_or_empty(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    return t ? t : "";
}

/* The row of employee id (rows are in id order while they are read), or SIZE_MAX. */
static size_t row_of(const struct list_ctx *c, int64_t id)
{
    size_t lo = 0, hi = c->out->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t x = c->out->rows[mid].id;
        if (x == id)
            return mid;
        if (x < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

static const struct list_number *number_of(const struct list_ctx *c, int64_t id)
{
    size_t lo = 0, hi = c->nnums;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->nums[mid].id == id)
            return &c->nums[mid];
        if (c->nums[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static enum mnv_err add_employee(struct list_ctx *c, sqlite3_stmt *st)
{
    struct person_list *out = c->out;
    struct person_row *nr = alloc_grow(out->rows, &c->cap, out->count + 1, sizeof(*nr));
    if (nr)
        out->rows = nr;
    size_t *no = nr ? alloc_grow(c->offs, &c->offs_cap, 4 * (out->count + 1), sizeof(*no)) : NULL;
    if (!no)
        return MNV_ERR_NOMEM;
    c->offs = no;
    struct person_row *r = &out->rows[out->count];
    size_t *o = c->offs + 4 * out->count;
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(st, 0);
    o[0] = arena_add(c->a, col_or_empty(st, 1));
    o[1] = arena_add(c->a, col_or_empty(st, 2));
    o[2] = arena_add(c->a, col_or_empty(st, 3));
    o[3] = c->empty;
    snprintf(r->hire_date, sizeof(r->hire_date), "%s", col_or_empty(st, 4));
    r->retired = sqlite3_column_int(st, 5);
    r->status = person_number_status_parse("");
    if (o[0] == SIZE_MAX || o[1] == SIZE_MAX || o[2] == SIZE_MAX)
        return MNV_ERR_NOMEM;
    out->count++;
    return MNV_OK;
}

/* The purposes of each number joined by commas, in code order (the table's key order), as
 * group_concat would join them. The strings repeat ("employment_insurance,social_insurance,
 * …" on most rows): each of the first few distinct ones is stored once. */
struct seen_purposes {
    size_t off[16];
    char text[16][160];
    int n;
    int64_t cur; /* the number whose purposes are in buf */
    struct strbuf buf;
};

static enum mnv_err flush_purposes(struct list_ctx *c, struct seen_purposes *seen)
{
    const struct list_number *num = seen->buf.len ? number_of(c, seen->cur) : NULL;
    if (!num)
        return MNV_OK;
    if (seen->buf.failed)
        return MNV_ERR_NOMEM;
    const char *text = seen->buf.buf;
    size_t off = SIZE_MAX;
    for (int k = 0; k < seen->n && off == SIZE_MAX; k++)
        if (strcmp(seen->text[k], text) == 0)
            off = seen->off[k];
    if (off == SIZE_MAX) {
        off = arena_add(c->a, text);
        if (off == SIZE_MAX)
            return MNV_ERR_NOMEM;
        if (seen->n < 16 && strlen(text) < sizeof(seen->text[0])) {
            seen->off[seen->n] = off;
            snprintf(seen->text[seen->n], sizeof(seen->text[0]), "%s", text);
            seen->n++;
        }
    }
    c->offs[4 * num->row + 3] = off;
    return MNV_OK;
}

static enum mnv_err add_purpose(struct list_ctx *c, sqlite3_stmt *st, struct seen_purposes *seen)
{
    int64_t id = sqlite3_column_int64(st, 0);
    if (id != seen->cur) {
        enum mnv_err err = flush_purposes(c, seen);
        if (err != MNV_OK)
            return err;
        strbuf_reset(&seen->buf);
        seen->cur = id;
    }
    const char *p = col_or_empty(st, 1);
    if (seen->buf.len && strbuf_add(&seen->buf, ",", 1) != MNV_OK)
        return MNV_ERR_NOMEM;
    return strbuf_add(&seen->buf, p, strlen(p)) == MNV_OK ? MNV_OK : MNV_ERR_NOMEM;
}

/* Step st to its end, giving each row to fn(c, st, ud). */
static enum mnv_err scan(struct list_ctx *c, const char *sql,
                         enum mnv_err (*fn)(struct list_ctx *, sqlite3_stmt *, void *), void *ud,
                         struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(c->v, sql, &st, diag);
    if (err != MNV_OK)
        return err;
    if (c->limit > 0)
        sqlite3_bind_int64(st, 1, c->limit);
    int rc = SQLITE_DONE;
    while (err == MNV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        err = fn(c, st, ud);
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(c->v, rc, diag);
    sqlite3_reset(st);
    return err;
}

static enum mnv_err on_employee(struct list_ctx *c, sqlite3_stmt *st, void *ud)
{
    (void)ud;
    return add_employee(c, st);
}

static enum mnv_err on_number(struct list_ctx *c, sqlite3_stmt *st, void *ud)
{
    size_t *cap = ud;
    size_t row = row_of(c, sqlite3_column_int64(st, 1));
    if (row == SIZE_MAX)
        return MNV_OK;
    struct list_number *nn = alloc_grow(c->nums, cap, c->nnums + 1, sizeof(*nn));
    if (!nn)
        return MNV_ERR_NOMEM;
    c->nums = nn;
    c->nums[c->nnums++] =
        (struct list_number){sqlite3_column_int64(st, 0), row, sqlite3_column_int64(st, 3)};
    c->out->rows[row].status = person_number_status_parse(col_or_empty(st, 2));
    return MNV_OK;
}

static enum mnv_err on_purposes(struct list_ctx *c, sqlite3_stmt *st, void *ud)
{
    return add_purpose(c, st, ud);
}

static enum mnv_err on_dependents(struct list_ctx *c, sqlite3_stmt *st, void *ud)
{
    (void)ud;
    size_t row = row_of(c, sqlite3_column_int64(st, 0));
    if (row != SIZE_MAX)
        c->out->rows[row].dependents = sqlite3_column_int(st, 1);
    return MNV_OK;
}

static enum mnv_err on_collection(struct list_ctx *c, sqlite3_stmt *st, void *ud)
{
    (void)ud;
    const struct list_number *num = number_of(c, sqlite3_column_int64(st, 0));
    if (num && num->version == sqlite3_column_int64(st, 1))
        c->out->rows[num->row].verified = 1;
    return MNV_OK;
}

static const char *sort_arena; /* qsort has no user pointer */
static const size_t *sort_offs;

static int by_code(const void *x, const void *y)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    return strcmp(sort_arena + sort_offs[4 * i], sort_arena + sort_offs[4 * j]);
}

/* Put the rows (and their offsets) in code order, as ORDER BY code would. */
static enum mnv_err sort_by_code(struct list_ctx *c)
{
    struct person_list *out = c->out;
    size_t n = out->count, sorted = 1;
    for (size_t i = 1; i < n && sorted; i++)
        sorted = strcmp(c->a->buf + c->offs[4 * (i - 1)], c->a->buf + c->offs[4 * i]) <= 0;
    if (sorted)
        return MNV_OK;
    size_t *perm = alloc_array(n, sizeof(*perm));
    struct person_row *rows = alloc_array(n, sizeof(*rows));
    size_t *offs = alloc_array(4 * n, sizeof(*offs));
    if (!perm || !rows || !offs) {
        free(perm);
        free(rows);
        free(offs);
        return MNV_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    sort_arena = c->a->buf;
    sort_offs = c->offs;
    qsort(perm, n, sizeof(*perm), by_code);
    for (size_t i = 0; i < n; i++) {
        rows[i] = out->rows[perm[i]];
        memcpy(offs + 4 * i, c->offs + 4 * perm[i], 4 * sizeof(*offs));
    }
    free(perm);
    free(out->rows);
    free(c->offs);
    out->rows = rows;
    c->offs = offs;
    c->cap = n;
    return MNV_OK;
}

/* The first screen: the first current employees in code order, each row looked up in
 * the other tables (cheap for a screenful, not for the whole list). */
static const char list_first_sql[] =
    "SELECT e.id, e.code, e.name, e.kana, e.hire_date, e.retire_date IS NOT NULL,"
    " coalesce(n.status, ''),"
    " coalesce((SELECT group_concat(purpose, ',') FROM number_purposes p"
    "           WHERE p.number_id = n.id), ''),"
    " (SELECT count(*) FROM dependents d WHERE d.employee_id = e.id),"
    " n.status = 'registered' AND EXISTS (SELECT 1 FROM collections c"
    "   WHERE c.number_id = n.id AND c.number_version = n.version)"
    " FROM employees e LEFT JOIN numbers n ON n.employee_id = e.id"
    " WHERE e.retire_date IS NULL ORDER BY e.code LIMIT ?1";

static enum mnv_err on_first(struct list_ctx *c, sqlite3_stmt *st, void *ud)
{
    (void)ud;
    enum mnv_err err = add_employee(c, st);
    if (err != MNV_OK)
        return err;
    struct person_row *r = &c->out->rows[c->out->count - 1];
    r->status = person_number_status_parse(col_or_empty(st, 6));
    c->offs[4 * (c->out->count - 1) + 3] = arena_add(c->a, col_or_empty(st, 7));
    r->dependents = sqlite3_column_int(st, 8);
    r->verified = sqlite3_column_int(st, 9);
    return c->offs[4 * (c->out->count - 1) + 3] == SIZE_MAX ? MNV_ERR_NOMEM : MNV_OK;
}

/* Read every row; string fields hold arena offsets (*offs) until the caller fixes them. */
static enum mnv_err list_rows(struct vault *v, long limit, struct person_list *out,
                              struct strbuf *a, size_t **offs, struct mnv_diag *diag)
{
    struct list_ctx c = {v, out, a, NULL, NULL, 0, 0, 0, 0, limit};
    struct seen_purposes seen = {{0}, {{0}}, 0, 0, STRBUF_INIT};
    size_t ncap = 0;
    c.empty = arena_add(a, "");
    enum mnv_err err = c.empty == SIZE_MAX ? MNV_ERR_NOMEM : MNV_OK;
    if (err == MNV_OK && limit > 0) {
        err = scan(&c, list_first_sql, on_first, NULL, diag);
        *offs = c.offs;
        return err;
    }
    if (err == MNV_OK)
        err = scan(&c, list_employees_sql, on_employee, NULL, diag);
    if (err == MNV_OK && limit < 0) { /* the names only (persondb_list_names) */
        err = sort_by_code(&c);
        *offs = c.offs;
        return err;
    }
    if (err == MNV_OK)
        err = scan(&c, list_numbers_sql, on_number, &ncap, diag);
    if (err == MNV_OK)
        err = scan(&c, list_purposes_sql, on_purposes, &seen, diag);
    if (err == MNV_OK)
        err = flush_purposes(&c, &seen);
    strbuf_release(&seen.buf);
    if (err == MNV_OK)
        err = scan(&c, list_dependents_sql, on_dependents, NULL, diag);
    if (err == MNV_OK)
        err = scan(&c, list_collections_sql, on_collection, NULL, diag);
    for (size_t i = 0; err == MNV_OK && i < out->count; i++)
        if (out->rows[i].status != NUMBER_REGISTERED)
            out->rows[i].verified = 0;
    if (err == MNV_OK)
        err = sort_by_code(&c);
    free(c.nums);
    *offs = c.offs;
    return err;
}

static enum mnv_err list_read(struct vault *v, long limit, struct person_list *out,
                              struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    struct strbuf a = STRBUF_INIT;
    size_t *offs = NULL;
    int own_tx = !vault_in_tx(v);
    enum mnv_err err = own_tx ? vault_begin_read(v, diag) : MNV_OK;
    if (err != MNV_OK)
        return err;
    err = list_rows(v, limit, out, &a, &offs, diag);
    if (own_tx)
        vault_rollback(v); /* read-only: ending it is all that is needed */
    if (err == MNV_OK && arena_add(&a, "") == SIZE_MAX)
        err = MNV_ERR_NOMEM;
    size_t len = 0;
    char *arena = err == MNV_OK ? strbuf_detach(&a, &len) : NULL;
    if (!arena) {
        free(offs);
        strbuf_release(&a);
        free(out->rows);
        memset(out, 0, sizeof(*out));
        return err != MNV_OK ? err : MNV_ERR_NOMEM;
    }
    char *fit = realloc(arena, len ? len : 1); /* give back what the doubling left unused */
    out->arena = fit ? fit : arena;
    if (out->count) {
        struct person_row *rows = realloc(out->rows, out->count * sizeof(*rows));
        if (rows)
            out->rows = rows;
    }
    for (size_t i = 0; i < out->count; i++) {
        out->rows[i].code = out->arena + offs[4 * i];
        out->rows[i].name = out->arena + offs[4 * i + 1];
        out->rows[i].kana = out->arena + offs[4 * i + 2];
        out->rows[i].purposes = out->arena + offs[4 * i + 3];
    }
    free(offs);
    return MNV_OK;
}

enum mnv_err persondb_list(struct vault *v, struct person_list *out, struct mnv_diag *diag)
{
    return list_read(v, 0, out, diag);
}

enum mnv_err persondb_list_first(struct vault *v, long limit, struct person_list *out,
                                 struct mnv_diag *diag)
{
    return list_read(v, limit > 0 ? limit : 1, out, diag);
}

enum mnv_err persondb_list_names(struct vault *v, struct person_list *out, struct mnv_diag *diag)
{
    return list_read(v, -1, out, diag);
}

static enum mnv_err count_query(struct vault *v, const char *sql, long *out, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, sql, &st, diag);
    if (err != MNV_OK)
        return err;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(st, 0);
    else
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

enum mnv_err persondb_counts(struct vault *v, struct person_counts *c, struct mnv_diag *diag)
{
    memset(c, 0, sizeof(*c));
    struct {
        const char *sql;
        long *out;
    } q[] = {
        {"SELECT count(*) FROM employees WHERE retire_date IS NULL", &c->employees_current},
        {"SELECT count(*) FROM employees WHERE retire_date IS NOT NULL", &c->employees_retired},
        {"SELECT count(*) FROM dependents WHERE left_on IS NULL", &c->dependents},
        {"SELECT count(*) FROM dependents WHERE left_on IS NOT NULL", &c->dependents_left},
        {"SELECT count(*) FROM numbers WHERE status = 'registered'", &c->numbers_registered},
        {"SELECT count(*) FROM numbers WHERE status = 'refused'", &c->numbers_refused},
        {"SELECT count(*) FROM numbers WHERE status = 'disposed'", &c->numbers_disposed},
        {"SELECT count(*) FROM numbers n LEFT JOIN dependents d ON d.id = n.dependent_id"
         " JOIN employees e ON e.id = coalesce(n.employee_id, d.employee_id)"
         " WHERE n.status = 'registered' AND e.retire_date IS NOT NULL",
         &c->retired_holding},
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(q); i++) {
        enum mnv_err err = count_query(v, q[i].sql, q[i].out, diag);
        if (err != MNV_OK)
            return err;
    }
    /* Missing: no record at all, counting dependants only while they are dependants. */
    return count_query(v,
                       "SELECT (SELECT count(*) FROM employees e WHERE NOT EXISTS"
                       "  (SELECT 1 FROM numbers n WHERE n.employee_id = e.id))"
                       " + (SELECT count(*) FROM dependents d WHERE d.left_on IS NULL AND"
                       "  NOT EXISTS (SELECT 1 FROM numbers n WHERE n.dependent_id = d.id))",
                       &c->numbers_missing, diag);
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
