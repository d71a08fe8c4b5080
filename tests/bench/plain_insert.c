/*
 * plain_insert: the baseline of tests/bench/vault.sh: the same 100,000 persons with their
 * numbers inserted into plain SQLite (no encryption, numbers stored as text), in one
 * transaction with prepared statements and the same settings as the vault (journal_mode
 * DELETE, synchronous FULL, 4096-byte pages, 64 MiB cache, foreign keys). Built against
 * -lsqlite3 by its own Makefile rule: it must never be linked with SQLCipher.
 *   plain_insert FILE N   prints "insert <seconds>" and "list <seconds>"
 *   plain_insert FILE N SHAPE
 *       the same-schema baseline: the vault's own schema and row shapes from SHAPE (written
 *       by `vaulttool bench DIR N SHAPE`): every table and index of vault.db, each row with
 *       the same columns and sizes (the sealed blobs as random bytes of their length), so
 *       that the ratio vault/plain is the cost of the encryption alone
 *   plain_insert --list FILE   a fresh process's list of FILE (the cold list)
 *   plain_insert --dispose FILE K   the baseline of tests/bench/dispose.sh: on FILE made
 *       before by "plain_insert FILE N", in a process of its own, the numbers of the first K
 *       employees and their purposes deleted in one transaction with secure_delete on
 *       ("delete <seconds>"), then VACUUM ("vacuum <seconds>")
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define MAX_COLS 32

static const char settings[] =
    "PRAGMA page_size = 4096; PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;"
    "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;";
static const char schema[] =
    "CREATE TABLE employees(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL, kana TEXT NOT NULL, birth_date TEXT NOT NULL, sex TEXT NOT NULL,"
    " postal_code TEXT NOT NULL, address TEXT NOT NULL, hire_date TEXT NOT NULL,"
    " retire_date TEXT, emp_ins_no TEXT NOT NULL, pension_no TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE dependents(id INTEGER PRIMARY KEY, employee_id INTEGER NOT NULL"
    " REFERENCES employees(id) ON DELETE CASCADE);"
    "CREATE INDEX dependents_by_employee ON dependents(employee_id);"
    "CREATE TABLE numbers(id INTEGER PRIMARY KEY, employee_id INTEGER UNIQUE"
    " REFERENCES employees(id) ON DELETE CASCADE, status TEXT NOT NULL,"
    " version INTEGER NOT NULL, number TEXT UNIQUE, stored_at INTEGER, stored_by TEXT,"
    " updated_at INTEGER NOT NULL);"
    "CREATE TABLE number_purposes(number_id INTEGER NOT NULL REFERENCES numbers(id)"
    " ON DELETE CASCADE, purpose TEXT NOT NULL, notified_on TEXT NOT NULL,"
    " recorded_at INTEGER NOT NULL, recorded_by TEXT NOT NULL,"
    " PRIMARY KEY (number_id, purpose)) WITHOUT ROWID;";

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The process's processor time (user + system), as vaulttool bench prints it. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Same numbers as vaulttool's bench (check digit as in doc/mynumber.md). */
static void number(long i, char out[13])
{
    static const int w[11] = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    unsigned long long x = ((unsigned long long)i * 6364136223ULL + 12345ULL) % 100000000000ULL;
    snprintf(out, 13, "%011llu", x);
    int sum = 0;
    for (int k = 0; k < 11; k++)
        sum += (out[k] - '0') * w[k];
    int r = sum % 11;
    out[11] = (char)('0' + (r <= 1 ? 0 : 11 - r));
    out[12] = '\0';
}

static int check(int rc, sqlite3 *db)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "plain_insert: %s\n", sqlite3_errmsg(db));
        exit(1);
    }
    return rc;
}

/* ---- the same-schema baseline ----------------------------------------------------------- */

struct col {
    char name[64];
    char type;   /* i t b n */
    long long i; /* integer value or blob length */
    char *text;
};
struct shape {
    char table[32];
    int n;
    struct col c[MAX_COLS];
};

static unsigned char hexval(char c)
{
    return (unsigned char)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
}

/* Reads SHAPE: runs each schema statement on db, fills rows[0..3) (employees, numbers,
 * number_purposes). */
static void read_shape(const char *path, sqlite3 *db, struct shape rows[3])
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(1);
    }
    static char line[1 << 16];
    int r = -1;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == 'S') {
            check(sqlite3_exec(db, line + 2, NULL, NULL, NULL), db);
        } else if (line[0] == 'R' && r < 2) {
            r++;
            sscanf(line + 2, "%31s", rows[r].table);
            rows[r].n = 0;
        } else if (line[0] == 'C' && r >= 0 && rows[r].n < MAX_COLS) {
            struct col *c = &rows[r].c[rows[r].n++];
            char type = 'n', value[sizeof(line)] = "";
            value[0] = '\0';
            sscanf(line + 2, "%63s %c %s", c->name, &type, value);
            c->type = type;
            c->text = NULL;
            if (type == 'i' || type == 'b')
                c->i = atoll(value);
            else if (type == 't') {
                size_t len = strlen(value) / 2;
                c->text = malloc(len + 1);
                for (size_t k = 0; k < len; k++)
                    c->text[k] = (char)(hexval(value[2 * k]) << 4 | hexval(value[2 * k + 1]));
                c->text[len] = '\0';
            }
        }
    }
    fclose(f);
    if (r != 2) {
        fprintf(stderr, "plain_insert: %s has not the three rows\n", path);
        exit(1);
    }
}

/* "INSERT INTO t(cols but rowid) VALUES (?,…)" for a shape. */
static sqlite3_stmt *prepare_shape(sqlite3 *db, const struct shape *sh)
{
    char sql[4096], vals[512];
    int o = snprintf(sql, sizeof(sql), "INSERT INTO %s(", sh->table), v = 0;
    for (int k = 0; k < sh->n; k++) {
        if (strcmp(sh->c[k].name, "id") == 0)
            continue;
        o += snprintf(sql + o, sizeof(sql) - (size_t)o, "%s%s", v ? "," : "", sh->c[k].name);
        v += snprintf(vals + v, sizeof(vals) - (size_t)v, "%s?%d", v ? "," : "", k + 1);
    }
    snprintf(sql + o, sizeof(sql) - (size_t)o, ") VALUES (%s)", vals);
    sqlite3_stmt *st;
    check(sqlite3_prepare_v2(db, sql, -1, &st, NULL), db);
    return st;
}

static unsigned long long rng = 88172645463325252ULL;

/* Bind a row of sh: link (the rowid of the row it belongs to) for its reference column, the
 * code made from i for employees.code, random bytes for blobs, the sample for the rest. */
static void bind_shape(sqlite3_stmt *st, const struct shape *sh, const char *link_col,
                       sqlite3_int64 link, const char *code)
{
    static unsigned char blob[4096];
    for (int k = 0; k < sh->n; k++) {
        const struct col *c = &sh->c[k];
        int at = k + 1;
        if (strcmp(c->name, "id") == 0)
            continue;
        if (link_col && strcmp(c->name, link_col) == 0) {
            sqlite3_bind_int64(st, at, link);
        } else if (code && strcmp(c->name, "code") == 0) {
            sqlite3_bind_text(st, at, code, -1, SQLITE_TRANSIENT);
        } else if (c->type == 'i') {
            sqlite3_bind_int64(st, at, c->i);
        } else if (c->type == 't') {
            sqlite3_bind_text(st, at, c->text, -1, SQLITE_STATIC);
        } else if (c->type == 'b') {
            long long len = c->i < (long long)sizeof(blob) ? c->i : (long long)sizeof(blob);
            for (long long b = 0; b < len; b += 8) {
                rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
                memcpy(blob + b, &rng, len - b < 8 ? (size_t)(len - b) : 8);
            }
            sqlite3_bind_blob(st, at, blob, (int)len, SQLITE_TRANSIENT);
        } else {
            sqlite3_bind_null(st, at);
        }
    }
}

static double insert_shaped(sqlite3 *db, long n, const char *shape_path, double *cpu)
{
    struct shape rows[3];
    read_shape(shape_path, db, rows);
    sqlite3_stmt *st[3];
    for (int k = 0; k < 3; k++)
        st[k] = prepare_shape(db, &rows[k]);
    double c0 = cpu_s(), t0 = now_s();
    check(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db);
    for (long i = 0; i < n; i++) {
        char code[24];
        snprintf(code, sizeof(code), "E%07ld", i);
        bind_shape(st[0], &rows[0], NULL, 0, code);
        check(sqlite3_step(st[0]), db);
        sqlite3_reset(st[0]);
        bind_shape(st[1], &rows[1], "employee_id", sqlite3_last_insert_rowid(db), NULL);
        check(sqlite3_step(st[1]), db);
        sqlite3_reset(st[1]);
        bind_shape(st[2], &rows[2], "number_id", sqlite3_last_insert_rowid(db), NULL);
        check(sqlite3_step(st[2]), db);
        sqlite3_reset(st[2]);
    }
    check(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db);
    double t = now_s() - t0;
    *cpu = cpu_s() - c0;
    for (int k = 0; k < 3; k++)
        sqlite3_finalize(st[k]);
    return t;
}

/* The list the terminal application loads, as the vault's store reads it (persondb.c). */
static const char shaped_list_sql[] =
    "SELECT e.id, e.code, e.name, e.kana, e.hire_date, e.retire_date IS NOT NULL,"
    " coalesce(n.status, ''), coalesce((SELECT group_concat(purpose, ',') FROM number_purposes p"
    " WHERE p.number_id = n.id), ''), (SELECT count(*) FROM dependents d WHERE d.employee_id ="
    " e.id), n.status = 'registered' AND EXISTS (SELECT 1 FROM collections c WHERE c.number_id"
    " = n.id AND c.number_version = n.version) FROM employees e LEFT JOIN numbers n ON"
    " n.employee_id = e.id ORDER BY e.code";

static double list_rows(sqlite3 *db, const char *sql, long *rows)
{
    double t0 = now_s();
    sqlite3_stmt *list;
    check(sqlite3_prepare_v2(db, sql, -1, &list, NULL), db);
    *rows = 0;
    while (check(sqlite3_step(list), db) == SQLITE_ROW)
        (*rows)++;
    sqlite3_finalize(list);
    return now_s() - t0;
}

/* The same deletes as a disposal of the first k employees, without keys or certificate. */
static void delete_first(sqlite3 *db, long k)
{
    check(sqlite3_exec(db, "PRAGMA secure_delete = ON", NULL, NULL, NULL), db);
    sqlite3_stmt *pur, *num;
    check(
        sqlite3_prepare_v2(db, "DELETE FROM number_purposes WHERE number_id = ?1", -1, &pur, NULL),
        db);
    check(sqlite3_prepare_v2(db,
                             "UPDATE numbers SET status = 'disposed', number = NULL,"
                             " updated_at = ?2 WHERE id = ?1",
                             -1, &num, NULL),
          db);
    double t0 = now_s();
    check(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db);
    for (long i = 1; i <= k; i++) {
        sqlite3_bind_int64(pur, 1, i);
        check(sqlite3_step(pur), db);
        sqlite3_reset(pur);
        sqlite3_bind_int64(num, 1, i);
        sqlite3_bind_int64(num, 2, (sqlite3_int64)time(NULL));
        check(sqlite3_step(num), db);
        sqlite3_reset(num);
    }
    check(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db);
    printf("delete %.4f\n", now_s() - t0);
    sqlite3_finalize(pur);
    sqlite3_finalize(num);
    t0 = now_s();
    check(sqlite3_exec(db, "VACUUM", NULL, NULL, NULL), db);
    printf("vacuum %.4f\n", now_s() - t0);
}

/* plain_insert --dispose FILE K */
static int dispose_only(const char *path, long k)
{
    sqlite3 *db;
    check(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), db);
    check(sqlite3_exec(db, settings, NULL, NULL, NULL), db);
    delete_first(db, k);
    sqlite3_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    sqlite3 *db;
    if (argc == 4 && strcmp(argv[1], "--dispose") == 0)
        return dispose_only(argv[2], atol(argv[3]));
    if (argc == 3 && strcmp(argv[1], "--list") == 0) {
        double t0 = now_s();
        check(sqlite3_open(argv[2], &db), db);
        check(sqlite3_exec(db, settings, NULL, NULL, NULL), db);
        double t_open = now_s() - t0;
        long rows;
        double t = list_rows(db, shaped_list_sql, &rows);
        printf("unlock %.4f\nlist %.4f\nrows %ld\n", t_open, t, rows);
        sqlite3_close(db);
        return 0;
    }
    if (argc != 3 && argc != 4)
        return 2;
    long n = atol(argv[2]);
    remove(argv[1]);
    check(sqlite3_open(argv[1], &db), db);
    check(sqlite3_exec(db, settings, NULL, NULL, NULL), db);
    if (argc == 4) {
        double cpu, t_insert = insert_shaped(db, n, argv[3], &cpu);
        long rows;
        double t = list_rows(db, shaped_list_sql, &rows);
        printf("insert %.4f\ninsert_cpu %.4f\nlist %.4f\nrows %ld\n", t_insert, cpu, t, rows);
        sqlite3_close(db);
        return 0;
    }
    check(sqlite3_exec(db, schema, NULL, NULL, NULL), db);
    sqlite3_stmt *emp, *num, *pur;
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO employees(code, name, kana, birth_date, sex,"
                             " postal_code, address, hire_date, retire_date, emp_ins_no,"
                             " pension_no, created_at, updated_at)"
                             " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,NULL,'','',?9,?9)",
                             -1, &emp, NULL),
          db);
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO numbers(employee_id, status, version, number,"
                             " stored_at, stored_by, updated_at)"
                             " VALUES (?1,'registered',1,?2,?3,'sup',?3)",
                             -1, &num, NULL),
          db);
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO number_purposes VALUES"
                             " (?1,'tax_withholding','2026-04-01',?2,'sup')",
                             -1, &pur, NULL),
          db);
    double c0 = cpu_s(), t0 = now_s();
    check(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db);
    for (long i = 0; i < n; i++) {
        char code[24], digits[13];
        long long t = (long long)time(NULL);
        snprintf(code, sizeof(code), "E%07ld", i);
        number(i, digits);
        sqlite3_bind_text(emp, 1, code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(emp, 2, "山田 太郎", -1, SQLITE_STATIC);
        sqlite3_bind_text(emp, 3, "ヤマダ タロウ", -1, SQLITE_STATIC);
        sqlite3_bind_text(emp, 4, "1980-04-01", -1, SQLITE_STATIC);
        sqlite3_bind_text(emp, 5, "M", -1, SQLITE_STATIC);
        sqlite3_bind_text(emp, 6, "100-0001", -1, SQLITE_STATIC);
        sqlite3_bind_text(emp, 7, "東京都千代田区千代田1-1", -1, SQLITE_STATIC);
        sqlite3_bind_text(emp, 8, "2010-04-01", -1, SQLITE_STATIC);
        sqlite3_bind_int64(emp, 9, t);
        check(sqlite3_step(emp), db);
        sqlite3_reset(emp);
        sqlite3_int64 id = sqlite3_last_insert_rowid(db);
        sqlite3_bind_int64(num, 1, id);
        sqlite3_bind_text(num, 2, digits, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(num, 3, t);
        check(sqlite3_step(num), db);
        sqlite3_reset(num);
        sqlite3_bind_int64(pur, 1, sqlite3_last_insert_rowid(db));
        sqlite3_bind_int64(pur, 2, t);
        check(sqlite3_step(pur), db);
        sqlite3_reset(pur);
    }
    check(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db);
    double t_insert = now_s() - t0, c_insert = cpu_s() - c0;
    sqlite3_finalize(emp);
    sqlite3_finalize(num);
    sqlite3_finalize(pur);
    t0 = now_s();
    sqlite3_stmt *list;
    check(sqlite3_prepare_v2(db,
                             "SELECT e.id, e.code, e.name, e.kana, e.hire_date,"
                             " e.retire_date IS NOT NULL, coalesce(n.status, ''),"
                             " coalesce((SELECT group_concat(purpose, ',') FROM number_purposes p"
                             " WHERE p.number_id = n.id), ''),"
                             " (SELECT count(*) FROM dependents d WHERE d.employee_id = e.id)"
                             " FROM employees e LEFT JOIN numbers n ON n.employee_id = e.id"
                             " ORDER BY e.code",
                             -1, &list, NULL),
          db);
    long rows = 0;
    while (check(sqlite3_step(list), db) == SQLITE_ROW)
        rows++;
    sqlite3_finalize(list);
    printf("insert %.4f\ninsert_cpu %.4f\nlist %.4f\nrows %ld\n", t_insert, c_insert, now_s() - t0,
           rows);
    if (argc == 4)
        delete_first(db, atol(argv[3]));
    sqlite3_close(db);
    return 0;
}
