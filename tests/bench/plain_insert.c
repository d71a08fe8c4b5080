/*
 * plain_insert: the baseline of tests/bench/vault.sh: the same 100,000 persons with their
 * numbers inserted into plain SQLite (no encryption, numbers stored as text), in one
 * transaction with prepared statements and the same settings as the vault (journal_mode
 * DELETE, synchronous FULL, 4096-byte pages, 64 MiB cache, foreign keys). Built against
 * -lsqlite3 by its own Makefile rule: it must never be linked with SQLCipher.
 *   plain_insert FILE N   prints "insert <seconds>" and "list <seconds>"
 *   plain_insert FILE N K also the baseline of tests/bench/dispose.sh: the numbers of the
 *                         first K employees and their purposes deleted in one transaction
 *                         with secure_delete on ("delete <seconds>"), then VACUUM
 *                         ("vacuum <seconds>")
 *   plain_insert --dispose FILE K   the same deletes and VACUUM on FILE made before by
 *                         "plain_insert FILE N", in a process of their own (so that the
 *                         benchmark times the whole command, as it does mnvault's)
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char schema[] =
    "PRAGMA page_size = 4096; PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;"
    "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;"
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
    check(sqlite3_exec(db,
                       "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;"
                       "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;"
                       "PRAGMA temp_store = MEMORY;",
                       NULL, NULL, NULL),
          db);
    delete_first(db, k);
    sqlite3_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--dispose") == 0)
        return dispose_only(argv[2], atol(argv[3]));
    if (argc != 3 && argc != 4)
        return 2;
    long n = atol(argv[2]);
    sqlite3 *db;
    remove(argv[1]);
    check(sqlite3_open(argv[1], &db), db);
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
    double t0 = now_s();
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
    double t_insert = now_s() - t0;
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
    printf("insert %.4f\nlist %.4f\nrows %ld\n", t_insert, now_s() - t0, rows);
    if (argc == 4)
        delete_first(db, atol(argv[3]));
    sqlite3_close(db);
    return 0;
}
