/*
 * vaulttool: test-only helper for the vault's shell tests and benchmark, built with the
 * test hooks and never installed. The first line of standard input is the password of
 * USER (as --password-fd would give it).
 *
 *   vaulttool seed DIR USER         then lines "CODE NUMBER [PURPOSE...]": adds an employee
 *                                   per line with that number (purposes notified
 *                                   2026-04-01; default tax_withholding); prints its ref
 *   vaulttool reveal DIR USER REF PURPOSE REASON
 *                                   prints the number (exit 0) or the error's name (exit 1)
 *   vaulttool notify DIR USER REF PURPOSE DATE
 *   vaulttool rotate DIR USER       epoch rotation; prints how many keys were rewrapped
 *   vaulttool rawkey DIR USER       prints SQLCipher's raw key as "x'<hex>'" so a test can
 *                                   open vault.db with the sqlcipher shell behind our back
 *   vaulttool keys DIR USER         prints "vk <hex>", "nk <hex>", "db <hex>": the vault and
 *                                   number keys and SQLCipher's key, for memory hygiene tests
 *   vaulttool count DIR USER        prints how many employees the vault holds (soak tests)
 *   vaulttool call DIR USER ACTION  calls one service as USER; prints the error's name
 *   vaulttool bench DIR N [SHAPE]   (no password line) the figures of tests/bench/vault.sh;
 *                                   with SHAPE, writes there the vault's schema and one row
 *                                   of each table the insert fills, for the same-schema
 *                                   baseline (tests/bench/plain_insert.c)
 *   vaulttool auditfill DIR N       (no password line) N more audit entries in a bench vault,
 *                                   as years of use leave them (for `audit verify` at scale)
 *   vaulttool list DIR              (no password line) a fresh process's unlock and list of a
 *                                   bench vault (the cold list of tests/bench/vault.sh)
 *   vaulttool slots DIR             (no password line) each key slot's name, Argon2id passes
 *                                   and memory, as the key file holds them
 *   vaulttool pragmas DIR USER CONFIG
 *                                   signs in with the options of the configuration file
 *                                   CONFIG and prints the database connection's settings as
 *                                   SQLCipher reports them: "cache_size=-KiB" and
 *                                   "cipher_memory_security=0|1"
 * REF is employee:ID or dependent:ID.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <time.h>

#include <sqlite3.h>

#include "mnvault/accounts.h"
#include "mnvault/audit.h"
#include "mnvault/auditor.h"
#include "mnvault/clock.h"
#include "mnvault/config.h"
#include "mnvault/keyring.h"
#include "mnvault/people.h"
#include "mnvault/reveal.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"
#include "mnvault/testhook.h"
#include "mnvault/vault.h"
#include "mnvault/vcrypto.h"

static struct session_options opts;

static int die(const char *what, enum mnv_err err)
{
    fprintf(stderr, "vaulttool: %s: %s\n", what, mnv_err_name(err));
    return 1;
}

static struct session *login(const char *dir, const char *user)
{
    char *pw = secmem_alloc(300);
    if (!pw || !fgets(pw, 300, stdin)) {
        fprintf(stderr, "vaulttool: no password on standard input\n");
        exit(2);
    }
    pw[strcspn(pw, "\r\n")] = '\0';
    struct session *s;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = session_login(dir, user, pw, strlen(pw), &opts, &s, NULL, &d);
    secmem_free(pw);
    if (err != MNV_OK) {
        fprintf(stderr, "vaulttool: login: %s\n", mnv_err_name(err));
        exit(1);
    }
    return s;
}

static int parse_ref(const char *text, struct person_ref *ref)
{
    if (strncmp(text, "employee:", 9) == 0) {
        ref->kind = PERSON_EMPLOYEE;
        ref->id = atoll(text + 9);
    } else if (strncmp(text, "dependent:", 10) == 0) {
        ref->kind = PERSON_DEPENDENT;
        ref->id = atoll(text + 10);
    } else {
        return -1;
    }
    return 0;
}

static void sample_employee(struct employee *e, const char *code)
{
    memset(e, 0, sizeof(*e));
    snprintf(e->code, sizeof(e->code), "%s", code);
    snprintf(e->name, sizeof(e->name), "山田 太郎");
    snprintf(e->kana, sizeof(e->kana), "ヤマダ タロウ");
    snprintf(e->birth_date, sizeof(e->birth_date), "1980-04-01");
    e->sex = SEX_MALE;
    snprintf(e->postal_code, sizeof(e->postal_code), "1000001");
    snprintf(e->address, sizeof(e->address), "東京都千代田区千代田1-1");
    snprintf(e->hire_date, sizeof(e->hire_date), "2010-04-01");
}

static int cmd_seed(struct session *s)
{
    char line[512];
    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *save, *code = strtok_r(line, " ", &save), *num = strtok_r(NULL, " ", &save);
        if (!code || !num)
            continue;
        struct purpose_notice p[8];
        size_t np = 0;
        for (char *t; np < 8 && (t = strtok_r(NULL, " ", &save));)
            p[np++] = (struct purpose_notice){t, "2026-04-01"};
        if (np == 0)
            p[np++] = (struct purpose_notice){"tax_withholding", "2026-04-01"};
        struct employee e;
        sample_employee(&e, code);
        struct mnv_diag d;
        mnv_diag_clear(&d);
        enum mnv_err err = people_employee_add(s, &e, &d);
        if (err != MNV_OK)
            return die("employee", err);
        struct mynumber *n = secmem_alloc(sizeof(*n));
        err = mynumber_parse(n, MYNUMBER_INDIVIDUAL, num, strlen(num), NULL);
        struct person_ref ref = {PERSON_EMPLOYEE, e.id};
        if (err == MNV_OK)
            err = people_number_store(s, &ref, n, p, np, &d);
        mynumber_clear(n);
        secmem_free(n);
        secmem_wipe(line, sizeof(line));
        if (err != MNV_OK)
            return die("number", err);
        printf("employee:%lld\n", (long long)e.id);
    }
    return 0;
}

static int cmd_reveal(struct session *s, char **argv)
{
    struct person_ref ref;
    if (parse_ref(argv[0], &ref) < 0)
        return 2;
    struct mynumber *n = secmem_alloc(sizeof(*n));
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = reveal_number(s, &ref, argv[1], argv[2], n, &d);
    if (err == MNV_OK)
        printf("%s\n", n->digits);
    else
        printf("%s\n", mnv_err_name(err));
    mynumber_clear(n);
    secmem_free(n);
    return err == MNV_OK ? 0 : 1;
}

static int cmd_rawkey(struct session *s)
{
    if (!testhook_enabled())
        return 2;
    unsigned char *k = secmem_alloc(32);
    char *hex = secmem_alloc(65);
    if (vcrypto_derive_root(k, VCRYPTO_ROOT_VK, VCRYPTO_VK_DB, vault_keys(session_vault(s))->vk) !=
        MNV_OK)
        return 1;
    printf("x'%s'\n", vcrypto_hex(hex, k, 32));
    secmem_free(k);
    secmem_free(hex);
    return 0;
}

/* The session's root keys and the database key derived from them, in hex (memory hygiene
 * tests): "vk" (vault key), "nk" (number key, when the slot opens it), "db". */
static int cmd_keys(struct session *s)
{
    if (!testhook_enabled())
        return 2;
    const struct keyring_keys *keys = vault_keys(session_vault(s));
    unsigned char *k = secmem_alloc(32);
    char *hex = secmem_alloc(65);
    if (!k || !hex)
        return 1;
    printf("vk %s\n", vcrypto_hex(hex, keys->vk, 32));
    if (keys->have & KEYRING_HAVE_NK)
        printf("nk %s\n", vcrypto_hex(hex, keys->nk, 32));
    if (vcrypto_derive_root(k, VCRYPTO_ROOT_VK, VCRYPTO_VK_DB, keys->vk) != MNV_OK)
        return 1;
    printf("db %s\n", vcrypto_hex(hex, k, 32));
    secmem_free(k);
    secmem_free(hex);
    return 0;
}

/* One service call by name, for the role matrix at the command line. */
static int cmd_call(struct session *s, const char *action)
{
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = MNV_ERR_USAGE;
    if (strcmp(action, "list") == 0) {
        struct person_list l;
        err = people_list(s, &l, &d);
        person_list_free(&l);
    } else if (strcmp(action, "audit-verify") == 0) {
        struct auditlog_report r;
        err = auditor_verify_log(s, &r, &d);
    } else if (strcmp(action, "rotate") == 0) {
        long n;
        err = people_rotate_epoch(s, &n, &d);
    }
    printf("%s\n", mnv_err_name(err));
    return err == MNV_OK ? 0 : 1;
}

/* ---- bench ---------------------------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The process's processor time (user + system): under load steadier than the wall clock. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* v as exactly width decimal digits (leading zeros) into out, with a NUL. Not snprintf: the
 * harness's own work per row should be as small as plain_insert's. */
static void put_digits(char *out, unsigned long long v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
    out[width] = '\0';
}

/* The same pseudo-random persons as tests/bench/plain_insert.c, from the same formula. */
static void bench_number(long i, char out[13])
{
    /* i -> a*i + c mod 10^11 (a coprime to 10): distinct, spread like real numbers. */
    unsigned long long x = ((unsigned long long)i * 6364136223ULL + 12345ULL) % 100000000000ULL;
    put_digits(out, x, 11);
    out[11] = (char)('0' + numtext_check_digit_individual(out));
    out[12] = '\0';
}

/* One row of table: a line "R table ncols", then per column "C name i VALUE" (integer),
 * "C name t HEX" (text), "C name b LENGTH" (blob: only its size matters) or "C name n". */
static int shape_row(FILE *f, struct vault *v, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT * FROM %s LIMIT 1", table);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(vault_db(v), sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    int n = sqlite3_column_count(st);
    fprintf(f, "R %s %d\n", table, n);
    for (int c = 0; rc == 0 && c < n; c++) {
        fprintf(f, "C %s ", sqlite3_column_name(st, c));
        switch (sqlite3_column_type(st, c)) {
        case SQLITE_INTEGER:
            fprintf(f, "i %lld\n", (long long)sqlite3_column_int64(st, c));
            break;
        case SQLITE_BLOB:
            fprintf(f, "b %d\n", sqlite3_column_bytes(st, c));
            break;
        case SQLITE_NULL:
            fprintf(f, "n\n");
            break;
        default: {
            const unsigned char *t = sqlite3_column_text(st, c);
            fprintf(f, "t ");
            for (int k = 0; t && t[k]; k++)
                fprintf(f, "%02x", t[k]);
            fprintf(f, "\n");
        }
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* The vault's schema (one statement a line, "S sql") and a row of each table the bench fills. */
static int write_shape(struct session *s, const char *path)
{
    FILE *f = fopen(path, "w");
    struct vault *v = session_vault(s);
    sqlite3_stmt *st;
    if (!f || sqlite3_prepare_v2(vault_db(v),
                                 "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"
                                 " AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
                                 -1, &st, NULL) != SQLITE_OK) {
        if (f)
            fclose(f);
        return -1;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        fputs("S ", f);
        for (const unsigned char *t = sqlite3_column_text(st, 0); *t; t++)
            fputc(*t == '\n' ? ' ' : *t, f);
        fputs(";\n", f);
    }
    sqlite3_finalize(st);
    int rc = 0;
    rc |= shape_row(f, v, "employees");
    rc |= shape_row(f, v, "numbers");
    rc |= shape_row(f, v, "number_purposes");
    return fclose(f) != 0 || rc != 0 ? -1 : 0;
}

static const char bench_pw[] = "bench passphrase that is long enough";

/* A fresh process: unlock the bench vault and load the list, as the TUI does on opening it. */
static int cmd_list(const char *dir)
{
    struct mnv_diag d;
    mnv_diag_clear(&d);
    double t0 = now_s();
    struct session *s;
    enum mnv_err err =
        session_login(dir, "sup", bench_pw, sizeof(bench_pw) - 1, &opts, &s, NULL, &d);
    if (err != MNV_OK)
        return die("login", err);
    double t_unlock = now_s() - t0;
    struct person_list l;
    t0 = now_s();
    err = people_list(s, &l, &d);
    double t_list = now_s() - t0;
    if (err != MNV_OK)
        return die("list", err);
    printf("unlock %.4f\nlist %.4f\nrows %zu\n", t_unlock, t_list, l.count);
    person_list_free(&l);
    session_logout(s);
    return 0;
}

/* N audit entries of a clerk's day ("person.view" and the like), in transactions of 10,000. */
static int cmd_auditfill(const char *dir, long count)
{
    struct mnv_diag d;
    mnv_diag_clear(&d);
    struct session *s;
    enum mnv_err err =
        session_login(dir, "sup", bench_pw, sizeof(bench_pw) - 1, &opts, &s, NULL, &d);
    if (err != MNV_OK)
        return die("login", err);
    static const char *const actions[] = {"employee.update", "number.reveal", "number.store",
                                          "purpose.notify"};
    double t0 = now_s();
    for (long i = 0; i < count && err == MNV_OK;) {
        err = vault_begin(session_vault(s), &d);
        for (long k = 0; k < 10000 && i < count && err == MNV_OK; k++, i++) {
            char subject[32];
            snprintf(subject, sizeof(subject), "employee:%ld", 1 + i % 100000);
            err = audit_append(s, actions[i % 4], subject, "ok", "bench", &d);
        }
        if (err == MNV_OK)
            err = vault_commit(session_vault(s), &d);
        else
            vault_rollback(session_vault(s));
    }
    if (err != MNV_OK)
        return die("auditfill", err);
    printf("auditfill %.4f\n", now_s() - t0);
    session_logout(s);
    return 0;
}

static int cmd_bench(const char *dir, long count, const char *shape)
{
    const char *pw = bench_pw;
    struct setup_params p = {
        "ベンチ株式会社",    "", "7000012050002", "admin", pw, sizeof(bench_pw) - 1, "sup", pw,
        sizeof(bench_pw) - 1};
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = setup_create_vault(dir, &p, &opts, &d);
    if (err != MNV_OK)
        return die("init", err);
    double t0 = now_s();
    struct session *s;
    err = session_login(dir, "sup", pw, sizeof(bench_pw) - 1, &opts, &s, NULL, &d);
    if (err != MNV_OK)
        return die("login", err);
    double t_unlock = now_s() - t0;
    struct purpose_notice pn = {"tax_withholding", "2026-04-01"};
    struct mynumber *n = secmem_alloc(sizeof(*n));
    struct employee sample;
    sample_employee(&sample, "E0000000");
    double c0 = cpu_s();
    t0 = now_s();
    err = people_bulk_begin(s, &d);
    for (long i = 0; i < count && err == MNV_OK; i++) {
        struct employee e = sample;
        char digits[13];
        put_digits(e.code + 1, (unsigned long long)i, 7); /* "E%07ld" */
        bench_number(i, digits);
        err = mynumber_parse(n, MYNUMBER_INDIVIDUAL, digits, 12, NULL);
        if (err == MNV_OK)
            err = people_bulk_add(s, &e, n, &pn, 1, &d);
    }
    double t_rows = now_s() - t0;
    if (err == MNV_OK)
        err = people_bulk_commit(s, &d);
    else
        people_bulk_abort(s);
    if (getenv("BENCH_DETAIL")) /* where the insert time goes */
        fprintf(stderr, "rows %.4f commit %.4f\n", t_rows, now_s() - t0 - t_rows);
    if (err != MNV_OK)
        return die("insert", err);
    double t_insert = now_s() - t0, c_insert = cpu_s() - c0;
    t0 = now_s();
    struct person_list l;
    err = people_list(s, &l, &d);
    double t_list = now_s() - t0;
    if (err != MNV_OK)
        return die("list", err);
    if (shape && write_shape(s, shape) != 0) {
        fprintf(stderr, "vaulttool: cannot write %s\n", shape);
        return 1;
    }
    printf("insert %.4f\ninsert_cpu %.4f\nlist %.4f\nrows %zu\nunlock %.4f\n", t_insert, c_insert,
           t_list, l.count, t_unlock);
    person_list_free(&l);
    mynumber_clear(n);
    secmem_free(n);
    session_logout(s);
    return 0;
}

static int cmd_slots(const char *dir)
{
    struct keyring *kr;
    enum mnv_err err = keyring_load(dir, &kr, NULL);
    if (err != MNV_OK)
        return die("load", err);
    for (size_t i = 0; i < keyring_slot_count(kr); i++) {
        const struct keyring_slot *sl = keyring_slot_at(kr, i);
        printf("%s %llu %llu\n", sl->kind == KEYRING_SLOT_RECOVERY ? "(recovery)" : sl->name,
               (unsigned long long)sl->kdf.opslimit, (unsigned long long)sl->kdf.memlimit);
    }
    keyring_free(kr);
    return 0;
}

/* One PRAGMA's value as the connection reports it. */
static void print_pragma(struct session *s, const char *name)
{
    char sql[80];
    sqlite3_stmt *st;
    snprintf(sql, sizeof(sql), "PRAGMA %s", name);
    if (sqlite3_prepare_v2(vault_db(session_vault(s)), sql, -1, &st, NULL) != SQLITE_OK)
        return;
    if (sqlite3_step(st) == SQLITE_ROW)
        printf("%s=%s\n", name, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static int cmd_pragmas(const char *dir, const char *user, const char *config)
{
    struct mnv_config cfg;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    config_defaults(&cfg);
    enum mnv_err err = config_load_file(&cfg, config, 1, NULL, NULL, &d);
    if (err != MNV_OK)
        return die("config", err);
    session_options_from_config(&opts, &cfg);
    opts.vault.syslog = 0;
    struct session *s = login(dir, user);
    print_pragma(s, "cache_size");
    print_pragma(s, "cipher_memory_security");
    session_logout(s);
    return 0;
}

int main(int argc, char **argv)
{
    if (secmem_init() != MNV_OK)
        return 2;
    vault_options_default(&opts.vault);
    opts.kdf_strong = 0;
    if ((argc == 4 || argc == 5) && strcmp(argv[1], "bench") == 0)
        return cmd_bench(argv[2], atol(argv[3]), argc == 5 ? argv[4] : NULL);
    if (argc == 3 && strcmp(argv[1], "list") == 0)
        return cmd_list(argv[2]);
    if (argc == 4 && strcmp(argv[1], "auditfill") == 0)
        return cmd_auditfill(argv[2], atol(argv[3]));
    if (argc == 3 && strcmp(argv[1], "slots") == 0)
        return cmd_slots(argv[2]);
    if (argc == 5 && strcmp(argv[1], "pragmas") == 0)
        return cmd_pragmas(argv[2], argv[3], argv[4]);
    if (argc < 4) {
        fprintf(stderr, "usage: see tests/tools/vaulttool.c\n");
        return 2;
    }
    const char *cmd = argv[1];
    struct session *s = login(argv[2], argv[3]);
    int rc = 2;
    if (strcmp(cmd, "seed") == 0)
        rc = cmd_seed(s);
    else if (strcmp(cmd, "reveal") == 0 && argc == 7)
        rc = cmd_reveal(s, argv + 4);
    else if (strcmp(cmd, "notify") == 0 && argc == 7) {
        struct person_ref ref;
        struct mnv_diag d;
        mnv_diag_clear(&d);
        enum mnv_err err = parse_ref(argv[4], &ref) < 0
                               ? MNV_ERR_USAGE
                               : purpose_notify(s, &ref, argv[5], argv[6], &d);
        printf("%s\n", mnv_err_name(err));
        rc = err == MNV_OK ? 0 : 1;
    } else if (strcmp(cmd, "rotate") == 0) {
        long count;
        struct mnv_diag d;
        mnv_diag_clear(&d);
        enum mnv_err err = people_rotate_epoch(s, &count, &d);
        printf("%s %ld\n", mnv_err_name(err), count);
        rc = err == MNV_OK ? 0 : 1;
    } else if (strcmp(cmd, "rawkey") == 0) {
        rc = cmd_rawkey(s);
    } else if (strcmp(cmd, "keys") == 0) {
        rc = cmd_keys(s);
    } else if (strcmp(cmd, "count") == 0 && s) {
        struct person_list l;
        rc = people_list(s, &l, NULL) == MNV_OK ? 0 : 1;
        if (rc == 0) {
            printf("%zu\n", l.count);
            person_list_free(&l);
        }
    } else if (strcmp(cmd, "call") == 0 && argc == 5) {
        rc = cmd_call(s, argv[4]);
    }
    session_logout(s);
    return rc;
}
