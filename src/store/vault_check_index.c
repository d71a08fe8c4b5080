/*
 * vault_check_index.c: the index half of `mnvault verify`'s b-tree check (vault_check.c),
 * made of one pass over each table and one over each index, in place of the lookup of
 * every row in every index that PRAGMA integrity_check makes.
 *
 * PRAGMA quick_check, run first on the same connection, does all that integrity_check does
 * but the following (SQLite 3.46, pragma.c): every page of every b-tree, the freelist and
 * page 1 read, pages in no tree reported, each index's entry count against its table's
 * row count (full indexes), rowids in order, NOT NULL, CHECK and column types. What only
 * integrity_check does is, per table: each row's entry looked up in each index, the rowid
 * being the entry's last field, no two equal keys in a UNIQUE index, and a WITHOUT ROWID
 * table's keys in order. Here, for each index of a rowid table:
 *
 *  - the entries (key columns and rowid, read from the index alone, in b-tree order) are
 *    the same multiset as the table's rows give (rows outside a partial index's WHERE left
 *    out): the same count and the same sum of 128-bit keyed hashes (SipHash-128, a random
 *    key per check), so a missing, extra or changed entry goes unseen with a chance below
 *    2^-80;
 *  - the entries come in strictly increasing order of (key columns, rowid) by SQLite's
 *    BINARY rules, so a search finds each;
 *  - in a UNIQUE index no two neighbours have equal keys without a NULL in them.
 *
 * Together these say what the lookups said and more (integrity_check neither finds an entry
 * of a partial index that no row has, nor checks order beyond what its searches meet).
 * What is not read: a field hidden between an entry's key columns and its rowid (SQLite's
 * covering scan reads the rowid from the end); only a program holding the key could write
 * one. A table this cannot check (WITHOUT ROWID, an index on an expression, with a
 * collation other than BINARY, descending, or partial on a column it does not hold) gets
 * PRAGMA integrity_check(table); so does a table whose comparison fails, so that the report
 * names the row as SQLite words it.
 */
#include "vault_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define IX_MAX 16      /* indexes of one table */
#define IX_MAX_COLS 16 /* columns of one index, the rowid included */

struct ix {
    char *name, *where; /* sqlite3_malloc'd; where: a partial index's condition, or NULL */
    int unique, nkey, ncol;
    char *cols;      /* sqlite3_malloc'd: the column list, each quoted, the rowid last */
    char *sql;       /* sqlite3_malloc'd: the statement that reads the index alone */
    uint64_t sum[2]; /* the table's side: what its rows give */
    int64_t n;
};

struct tab {
    struct ix ix[IX_MAX];
    int nix;
};

/* An entry as bytes, for the hash and the order: per value a class byte, then the value
 * (integer: 8 bytes, real: 8 bytes, text and blob: 4 bytes of length and the bytes). */
struct rowbuf {
    unsigned char *p;
    size_t len, cap;
};

enum { V_NULL, V_INT, V_REAL, V_TEXT, V_BLOB };

/* Room for n more bytes at b->p + b->len: 0, or -1 when out of memory. */
static int buf_room(struct rowbuf *b, size_t n)
{
    if (b->len + n <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n)
        cap *= 2;
    unsigned char *q = malloc(cap);
    if (!q)
        return -1;
    if (b->p) {
        memcpy(q, b->p, b->len);
        sodium_memzero(b->p, b->cap);
        free(b->p);
    }
    b->p = q;
    b->cap = cap;
    return 0;
}

static void buf_free(struct rowbuf *b)
{
    if (b->p)
        sodium_memzero(b->p, b->cap);
    free(b->p);
    memset(b, 0, sizeof(*b));
}

/* v[0..n-1] into b; *null_key: a NULL among the first nkey of them. A real with an
 * integer's value is put as that integer (as SQLite compares them). */
static int put_row(struct rowbuf *b, sqlite3_value **v, int n, int nkey, int *null_key)
{
    b->len = 0;
    *null_key = 0;
    for (int i = 0; i < n; i++) {
        int t = sqlite3_value_type(v[i]);
        unsigned char cls = t == SQLITE_INTEGER ? V_INT
                            : t == SQLITE_FLOAT ? V_REAL
                            : t == SQLITE_TEXT  ? V_TEXT
                            : t == SQLITE_BLOB  ? V_BLOB
                                                : V_NULL;
        uint64_t u = 0;
        if (cls == V_REAL) {
            double d = sqlite3_value_double(v[i]);
            if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == (double)(int64_t)d)
                cls = V_INT, u = (uint64_t)(int64_t)d;
            else
                memcpy(&u, &d, sizeof(u));
        } else if (cls == V_INT) {
            u = (uint64_t)sqlite3_value_int64(v[i]);
        }
        if (cls == V_NULL && i < nkey)
            *null_key = 1;
        const void *p = NULL;
        uint32_t len = 0;
        if (cls == V_TEXT || cls == V_BLOB) {
            p = cls == V_TEXT ? (const void *)sqlite3_value_text(v[i]) : sqlite3_value_blob(v[i]);
            len = (uint32_t)sqlite3_value_bytes(v[i]);
        }
        size_t need = 1 + (cls == V_INT || cls == V_REAL ? 8 : cls == V_NULL ? 0 : 4 + len);
        if (buf_room(b, need))
            return -1;
        unsigned char *w = b->p + b->len;
        *w++ = cls;
        if (cls == V_INT || cls == V_REAL) {
            memcpy(w, &u, 8);
        } else if (cls != V_NULL) {
            memcpy(w, &len, 4);
            if (len)
                memcpy(w + 4, p, len);
        }
        b->len += need;
    }
    return 0;
}

static void add_hash(uint64_t sum[2], const struct rowbuf *b, const unsigned char *key)
{
    unsigned char h[crypto_shorthash_siphashx24_BYTES];
    uint64_t lo, hi;
    crypto_shorthash_siphashx24(h, b->p, b->len, key);
    memcpy(&lo, h, 8);
    memcpy(&hi, h + 8, 8);
    sum[0] += lo;
    sum[1] += hi + (sum[0] < lo);
}

/* One value of a struct rowbuf at *p: its class, number or bytes; *p moves past it. */
struct val {
    int cls;
    int64_t i;
    double d;
    const unsigned char *s;
    uint32_t len;
};

static void get_val(const unsigned char **p, struct val *v)
{
    memset(v, 0, sizeof(*v)); /* a NULL's fields, and gcc 14 sees every field set */
    v->cls = *(*p)++;
    if (v->cls == V_INT || v->cls == V_REAL) {
        uint64_t u;
        memcpy(&u, *p, 8);
        *p += 8;
        v->i = (int64_t)u;
        if (v->cls == V_REAL)
            memcpy(&v->d, &u, 8);
    } else if (v->cls == V_TEXT || v->cls == V_BLOB) {
        memcpy(&v->len, *p, 4);
        v->s = *p + 4;
        *p += 4 + v->len;
    }
}

/* SQLite's order of two values under BINARY: NULL, numbers, text, blobs. */
static int cmp_val(const struct val *a, const struct val *b)
{
    int ca = a->cls == V_REAL ? V_INT : a->cls, cb = b->cls == V_REAL ? V_INT : b->cls;
    if (ca != cb)
        return ca < cb ? -1 : 1;
    if (ca == V_NULL)
        return 0;
    if (ca == V_INT) {
        if (a->cls == V_INT && b->cls == V_INT)
            return (a->i > b->i) - (a->i < b->i);
        double x = a->cls == V_INT ? (double)a->i : a->d, y = b->cls == V_INT ? (double)b->i : b->d;
        return (x > y) - (x < y);
    }
    uint32_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->s, b->s, n) : 0;
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Compare entries a and b of ncol values; *at: the first column that differs (ncol when
 * none does). */
static int cmp_row(const struct rowbuf *a, const struct rowbuf *b, int ncol, int *at)
{
    const unsigned char *p = a->p, *q = b->p;
    for (int i = 0; i < ncol; i++) {
        struct val x, y;
        get_val(&p, &x);
        get_val(&q, &y);
        int c = cmp_val(&x, &y);
        if (c) {
            *at = i;
            return c;
        }
    }
    *at = ncol;
    return 0;
}

static void tab_release(struct tab *t)
{
    for (int i = 0; i < t->nix; i++) {
        sqlite3_free(t->ix[i].name);
        sqlite3_free(t->ix[i].where);
        sqlite3_free(t->ix[i].cols);
        sqlite3_free(t->ix[i].sql);
    }
    memset(t, 0, sizeof(*t));
}

/* After the column list of a CREATE INDEX text s: its WHERE's condition, or NULL when there
 * is none or the text is not as expected (sqlite3_malloc'd). */
static char *where_of(const char *s)
{
    const char *p = s ? strchr(s, '(') : NULL;
    int depth = 0;
    for (; p && *p; p++) {
        if (*p == '\'' || *p == '"' || *p == '`' || *p == '[') {
            const char *end = strchr(p + 1, *p == '[' ? ']' : *p);
            if (!end)
                return NULL;
            p = end;
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')' && --depth == 0) {
            break;
        }
    }
    if (!p || *p != ')')
        return NULL;
    for (p++; *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'; p++)
        ;
    if (sqlite3_strnicmp(p, "WHERE", 5) != 0 || !strchr(" \n\t\r(", p[5]))
        return NULL;
    p += 5;
    size_t n = strlen(p);
    while (n && strchr(" \n\t\r;", p[n - 1]))
        n--;
    return n ? sqlite3_mprintf("%.*s", (int)n, p) : NULL;
}

/* A one-column query with one text parameter: its first row's text (sqlite3_malloc'd), or
 * NULL. */
static char *query_text(sqlite3 *db, const char *sql, const char *arg)
{
    sqlite3_stmt *st;
    char *out = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

/* The columns of index x (pragma index_xinfo): 1 when checkable here (plain columns, BINARY,
 * ascending, the rowid last), 0 when not, -1 when out of memory. */
static int ix_columns(sqlite3 *db, struct ix *x)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT cid, name, \"desc\", coll, key FROM pragma_index_xinfo(?1)"
                           " ORDER BY seqno",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, x->name, -1, SQLITE_STATIC);
    int ok = 1, rowid_last = 0;
    while (ok > 0 && sqlite3_step(st) == SQLITE_ROW) {
        int cid = sqlite3_column_int(st, 0), key = sqlite3_column_int(st, 4);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *coll = (const char *)sqlite3_column_text(st, 3);
        if (rowid_last || x->ncol == IX_MAX_COLS || sqlite3_column_int(st, 2) ||
            (key && (cid < 0 || !name || !coll || strcmp(coll, "BINARY") != 0)) ||
            (!key && cid != -1)) {
            ok = 0;
            break;
        }
        const char *col = key ? name : "rowid";
        rowid_last = !key;
        x->nkey += key;
        x->ncol++;
        x->cols =
            x->cols ? sqlite3_mprintf("%z, \"%w\"", x->cols, col) : sqlite3_mprintf("\"%w\"", col);
        if (!x->cols)
            ok = -1;
    }
    sqlite3_finalize(st);
    return ok > 0 && !rowid_last ? 0 : ok;
}

/* Table name's indexes into t: 1 when each can be checked here, 0 when not, -1 when out
 * of memory. */
static int tab_load(sqlite3 *db, const char *name, struct tab *t)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name, \"unique\", partial FROM pragma_index_list(?1)", -1,
                           &st, NULL) != SQLITE_OK)
        return 0;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int ok = 1, partial[IX_MAX] = {0};
    while (ok > 0 && sqlite3_step(st) == SQLITE_ROW) {
        if (t->nix == IX_MAX) {
            ok = 0;
            break;
        }
        struct ix *x = &t->ix[t->nix];
        x->name = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
        x->unique = sqlite3_column_int(st, 1);
        partial[t->nix++] = sqlite3_column_int(st, 2);
        if (!x->name)
            ok = -1;
    }
    sqlite3_finalize(st);
    for (int i = 0; ok > 0 && i < t->nix; i++) {
        struct ix *x = &t->ix[i];
        ok = ix_columns(db, x);
        if (ok > 0 && partial[i]) {
            char *sql = query_text(
                db, "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?1", x->name);
            x->where = where_of(sql);
            sqlite3_free(sql);
            ok = x->where != NULL;
        }
    }
    return ok;
}

/* Is sql's plan one covering scan of an index (values read from the index alone)? */
static int covering(sqlite3 *db, const char *sql)
{
    char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st;
    int rows = 0, ok = 0;
    if (q && sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(st, 3);
            rows++;
            ok = d && strstr(d, " USING COVERING INDEX ") != NULL;
        }
        sqlite3_finalize(st);
    }
    sqlite3_free(q);
    return rows == 1 && ok;
}

enum ix_fault { IX_OK, IX_ORDER, IX_UNIQUE, IX_ENTRIES };

/* The aggregate mnvault_index_sum(mode, v1, .., vn), fed an index's entries (or what a
 * table's rows give) in the order the statement reads them: their count and sum of keyed
 * hashes, and with mode >= 0 (2 × key columns, + 1 for UNIQUE) whether they came in
 * strictly increasing order with no two equal keys. Its result: 8 bytes of count, 16 of
 * sum, 1 of enum ix_fault. Run inside SQLite, it costs a scan little more than the hash:
 * reading the values through sqlite3_column_*() instead cost about twice as much. */
struct agg {
    struct rowbuf b[2];
    uint64_t sum[2];
    int64_t n;
    int cur, fault;
};

#define AGG_RESULT 25

static void agg_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    struct agg *a = sqlite3_aggregate_context(cx, sizeof(*a));
    int mode = sqlite3_value_int(argv[0]), nkey = mode >= 0 ? mode / 2 : 0, null_key, at;
    struct rowbuf *b = a ? &a->b[a->cur] : NULL;
    if (!b || put_row(b, argv + 1, argc - 1, nkey, &null_key)) {
        sqlite3_result_error_nomem(cx);
        return;
    }
    add_hash(a->sum, b, sqlite3_user_data(cx));
    if (mode >= 0 && a->n > 0 && a->fault == IX_OK) {
        int c = cmp_row(&a->b[!a->cur], b, argc - 1, &at);
        if (c >= 0)
            a->fault = IX_ORDER;
        else if ((mode & 1) && at >= nkey && !null_key)
            a->fault = IX_UNIQUE;
    }
    a->n++;
    a->cur = !a->cur;
}

static void agg_final(sqlite3_context *cx)
{
    struct agg *a = sqlite3_aggregate_context(cx, 0);
    unsigned char out[AGG_RESULT];
    memset(out, 0, sizeof(out));
    if (a) {
        memcpy(out, &a->n, 8);
        memcpy(out + 8, a->sum, 16);
        out[24] = (unsigned char)a->fault;
        buf_free(&a->b[0]);
        buf_free(&a->b[1]);
    }
    sqlite3_result_blob(cx, out, sizeof(out), SQLITE_TRANSIENT);
}

/* Result column i of st, a mnvault_index_sum(): 0, or -1 when it is not one. */
static int agg_read(sqlite3_stmt *st, int i, int64_t *n, uint64_t sum[2], int *fault)
{
    const unsigned char *p = sqlite3_column_blob(st, i);
    if (!p || sqlite3_column_bytes(st, i) != AGG_RESULT)
        return -1;
    memcpy(n, p, 8);
    memcpy(sum, p + 8, 16);
    *fault = p[24];
    return 0;
}

/* The statement that reads index x of table alone (in b-tree order); NULL when out of
 * memory or when its plan would read the table too. */
static char *ix_sql(sqlite3 *db, const char *table, const struct ix *x)
{
    char *sql =
        sqlite3_mprintf("SELECT mnvault_index_sum(%d, %s) FROM \"%w\" INDEXED BY \"%w\"%s%s",
                        2 * x->nkey + !!x->unique, x->cols, table, x->name,
                        x->where ? " WHERE " : "", x->where ? x->where : "");
    if (sql && !covering(db, sql)) {
        sqlite3_free(sql);
        sql = NULL;
    }
    return sql;
}

/* One pass over table: each index's count and hash sum of the entries its rows give. */
static int scan_table(sqlite3 *db, const char *table, struct tab *t)
{
    char *list = NULL;
    for (int i = 0; i < t->nix; i++) {
        const struct ix *x = &t->ix[i];
        list = sqlite3_mprintf("%z%smnvault_index_sum(-1, %s)%s%s%s", list, list ? ", " : "",
                               x->cols, x->where ? " FILTER (WHERE " : "", x->where ? x->where : "",
                               x->where ? ")" : "");
        if (!list)
            return SQLITE_NOMEM;
    }
    char *sql = sqlite3_mprintf("SELECT %z FROM \"%w\" NOT INDEXED", list, table);
    sqlite3_stmt *st;
    int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    for (int i = 0; rc == SQLITE_ROW && i < t->nix; i++) {
        int fault;
        if (agg_read(st, i, &t->ix[i].n, t->ix[i].sum, &fault))
            rc = SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* One pass over index x in b-tree order: its entries against the table's (x->n, x->sum),
 * their order and, in a UNIQUE index, their keys. *bad: what does not hold. */
static int scan_index(sqlite3 *db, const struct ix *x, enum ix_fault *bad)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, x->sql, -1, &st, NULL), fault = IX_OK;
    if (rc != SQLITE_OK)
        return rc;
    uint64_t sum[2];
    int64_t n;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && agg_read(st, 0, &n, sum, &fault))
        rc = SQLITE_ERROR;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return rc;
    *bad = fault != IX_OK                                              ? (enum ix_fault)fault
           : (n != x->n || sum[0] != x->sum[0] || sum[1] != x->sum[1]) ? IX_ENTRIES
                                                                       : IX_OK;
    return SQLITE_OK;
}

/* What a failed scan of index name says when integrity_check(table) said nothing (SQLite's
 * words for the same faults where it has them). */
static void ix_problem(struct vault_integrity *r, int *failed, enum ix_fault bad, const char *name)
{
    char what[256];
    if (bad == IX_ORDER)
        snprintf(what, sizeof(what), "entries out of order in index %s", name);
    else if (bad == IX_UNIQUE)
        snprintf(what, sizeof(what), "non-unique entry in index %s", name);
    else
        snprintf(what, sizeof(what), "entries of index %s differ from its table's rows", name);
    vault_check_problem(r, failed, what);
}

/* Check the indexes of table by scans, or by integrity_check(table) where they cannot be
 * or where a scan found a fault. */
static int check_table(sqlite3 *db, const char *table, int without_rowid, struct vault_integrity *r,
                       int *failed)
{
    struct tab t;
    memset(&t, 0, sizeof(t));
    int ok = without_rowid ? 0 : tab_load(db, table, &t), rc = SQLITE_OK, bad_ix = -1;
    for (int i = 0; ok > 0 && i < t.nix; i++)
        ok = (t.ix[i].sql = ix_sql(db, table, &t.ix[i])) != NULL;
    enum ix_fault bad = IX_OK;
    if (ok < 0)
        rc = SQLITE_NOMEM;
    else if (ok && t.nix)
        rc = scan_table(db, table, &t);
    for (int i = 0; ok > 0 && rc == SQLITE_OK && bad == IX_OK && i < t.nix; i++) {
        rc = scan_index(db, &t.ix[i], &bad);
        bad_ix = i;
    }
    if (rc != SQLITE_OK) {
        vault_check_problem(r, failed, sqlite3_errmsg(db));
    } else if (!ok || bad != IX_OK) {
        long before = r->problems;
        char *sql = sqlite3_mprintf("PRAGMA integrity_check(\"%w\")", table);
        rc = sql ? vault_check_run(db, sql, r, failed) : SQLITE_NOMEM;
        sqlite3_free(sql);
        if (rc == SQLITE_OK && bad != IX_OK && r->problems == before)
            ix_problem(r, failed, bad, t.ix[bad_ix].name);
    }
    tab_release(&t);
    return rc;
}

int vault_check_indexes(sqlite3 *db, struct vault_integrity *r, int *failed)
{
    unsigned char key[crypto_shorthash_siphashx24_KEYBYTES];
    randombytes_buf(key, sizeof(key));
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite3_create_function_v2(db, "mnvault_index_sum", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                   key, NULL, agg_step, agg_final, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db,
                                "SELECT name, wr FROM pragma_table_list WHERE schema = 'main'"
                                " AND type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        int step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            char *name = sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 0));
            rc = name ? check_table(db, name, sqlite3_column_int(st, 1), r, failed) : SQLITE_NOMEM;
            sqlite3_free(name);
            if (rc != SQLITE_OK)
                break;
        }
        if (rc == SQLITE_OK && step != SQLITE_DONE) {
            rc = step;
            vault_check_problem(r, failed, sqlite3_errmsg(db));
        }
    } else {
        vault_check_problem(r, failed, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    (void)sqlite3_create_function_v2(db, "mnvault_index_sum", -1, SQLITE_UTF8, NULL, NULL, NULL,
                                     NULL, NULL);
    sodium_memzero(key, sizeof(key));
    return rc;
}
