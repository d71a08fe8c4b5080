/* persondb_list.c: the store's reads of everyone at once — the compact list the employee list
 * shows (persondb_list, persondb_list_first: five table scans merged in memory) and the
 * dashboard's counts (persondb_counts). The rows one at a time are in persondb.c.
 */
#include "mnvault/persondb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/alloc.h"
#include "mnvault/strbuf.h"

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

/* The names alone, from the list's own index (step 15): a third of the table's pages. */
static const char list_names_sql[] =
    "SELECT id, code, name, kana, hire_date, retire_date IS NOT NULL"
    " FROM employees INDEXED BY employees_list ORDER BY code";

/* persondb_list_each's step: the row in place, its strings SQLite's own (no copy kept). */
struct each_ctx {
    person_row_fn fn;
    void *ud;
};

static enum mnv_err on_each(struct list_ctx *c, sqlite3_stmt *st, void *ud)
{
    (void)c;
    const struct each_ctx *e = ud;
    struct person_row r = {.id = sqlite3_column_int64(st, 0),
                           .code = col_or_empty(st, 1),
                           .name = col_or_empty(st, 2),
                           .kana = col_or_empty(st, 3),
                           .retired = sqlite3_column_int(st, 5),
                           .status = NUMBER_MISSING,
                           .purposes = ""};
    /* (no snprintf: this runs for every employee when the list opens) */
    const char *hire = col_or_empty(st, 4);
    size_t n = strnlen(hire, sizeof(r.hire_date) - 1);
    memcpy(r.hire_date, hire, n);
    r.hire_date[n] = '\0';
    return e->fn(e->ud, &r);
}

enum mnv_err persondb_list_each(struct vault *v, person_row_fn fn, void *ud, struct mnv_diag *diag)
{
    struct list_ctx c = {.v = v};
    struct each_ctx e = {fn, ud};
    int own_tx = !vault_in_tx(v);
    enum mnv_err err = own_tx ? vault_begin_read(v, diag) : MNV_OK;
    if (err != MNV_OK)
        return err;
    err = scan(&c, list_names_sql, on_each, &e, diag);
    if (own_tx)
        vault_rollback(v); /* read-only: ending it is all that is needed */
    return err;
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
