/*
 * vault_int.h: the inside of struct vault, shared by the files of the store's connection
 * module (vault.c, vault_conn.c, vault_schema.c, vault_keys.c). Private to src/store/.
 */
#ifndef MNVAULT_VAULT_INT_H
#define MNVAULT_VAULT_INT_H

#include <limits.h>

#include <sqlite3.h>

#include "mnvault/keyring.h"
#include "mnvault/vault.h"

#define VAULT_STMT_CACHE 96
#define VAULT_EPOCH_CACHE KEYRING_MAX_EPOCHS

/* The schema step that brought key file format 2 (the journal of the key file, the person
 * in the numbers' associated data); a database below it belongs to a format-1 key file. */
#define VAULT_STEP_KEYS 9

/* Subkeys kept for the connection's life, in one secmem block (K_COUNT * 32 bytes, then the
 * scratch area, then VAULT_DRBG_BUF bytes of vault_random()'s keystream not yet handed out). */
#define VAULT_DRBG_BUF 1024
enum { K_FIELD, K_CHAIN, K_BLIND, K_CERT, K_DRBG, K_OLD_FIELD, K_OLD_BLIND, K_COUNT };

struct vault_stmt_slot {
    const char *sql;
    sqlite3_stmt *st;
};

struct vault_epoch_slot {
    uint32_t id; /* 0: empty */
    unsigned char *key;
};

struct vault {
    sqlite3 *db;
    char path[PATH_MAX];
    struct keyring *kr;
    struct vault_options opt;
    struct keyring_keys *keys; /* secmem: what the login opened (updated on rotations) */
    unsigned char *sub;        /* secmem: K_COUNT * 32 bytes of subkeys, then the scratch */
    unsigned have_sub;         /* bit per K_* present */
    struct vault_stmt_slot stmts[VAULT_STMT_CACHE];
    size_t n_stmts;
    struct vault_epoch_slot epochs[VAULT_EPOCH_CACHE];
    uint64_t drbg_counter;
    size_t drbg_left;     /* bytes of keystream left at the end of the buffer (wiped as used) */
    const char *next_sql; /* vault_next_id() cache, valid inside one write transaction */
    int64_t next_id;
    int in_tx;
    int suspended;        /* vault_suspend(): closed, keys wiped, until vault_resume() */
    int creating;         /* the key file is not written yet: journal only */
    int legacy;           /* the key file is format 1: read only, until the upgrade */
    int db_vk_next;       /* the database is keyed with the next VK (a rotation half way) */
    int db_mk;            /* the database is keyed with format 1's MK (not upgraded yet) */
    int state_rollback;   /* the key file's login state is older than vault.db records */
    int keyfile_repaired; /* the key file was rolled forward from vault.db at open */
    int keyfile_step;     /* one write behind a new epoch key (a crash): it stood */
    uint64_t head_seq, tx_head_seq, anchored_seq;
    uint32_t tx_epoch; /* the current epoch key before this write's key file change */
    unsigned char head[VCRYPTO_HASH_LEN], tx_head[VCRYPTO_HASH_LEN];
    char cipher_version[64];
    unsigned long alloc_failures_seen; /* vault_sql_error: allocations refused until then */
};

/* vault_conn.c */
enum mnv_err vault_connect(struct vault *v, const char *path, int create, struct mnv_diag *diag);
int vault_query_text(struct vault *v, const char *sql, char *buf, size_t size);
enum mnv_err vault_db_key(const struct vault *v, int which, unsigned char out[VCRYPTO_KEY_LEN]);
void vault_finalize_all(struct vault *v);
/* A second connection to v's file with v's key and settings and a page cache of cache_mib,
 * for a check run in a thread beside v's own; NULL when it cannot be opened. The caller
 * closes it (sqlite3_close_v2). */
sqlite3 *vault_open_reader(struct vault *v, int cache_mib);
/* Did an allocation fail (SQLite's, or OpenSSL's as SQLCipher decrypts) in this process
 * since v last asked? (asked at its connection and at its errors) */
int vault_memory_failed(struct vault *v);

/* vault_check.c, vault_check_index.c: note a problem in r (the first said stays first); run
 * a checking pragma on db, rows other than "ok" being problems (SQLite's result code). */
void vault_check_problem(struct vault_integrity *r, int *failed, const char *what);
int vault_check_run(sqlite3 *db, const char *sql, struct vault_integrity *r, int *failed);
/* Every index of every table of db against its table, after PRAGMA quick_check (see
 * vault_check_index.c); problems into r. SQLite's result code. */
int vault_check_indexes(sqlite3 *db, struct vault_integrity *r, int *failed);

/* vault_check.c */
/* The page cache, in MiB, that holds the whole of vault.db (see vault_scan_cache()). */
int vault_scan_cache_mib(struct vault *v);

/* vault_schema.c */
enum mnv_err vault_migrate(struct vault *v, int upto, struct mnv_diag *diag);
int vault_schema_of(struct vault *v);

/* vault_keys.c */
enum mnv_err vault_derive_subkeys(struct vault *v, int schema);
enum mnv_err vault_keyfile_check(struct vault *v, struct mnv_diag *diag);
enum mnv_err vault_keyfile_write(struct vault *v, vault_keyring_fn fn, void *ud,
                                 struct mnv_diag *diag);
enum mnv_err vault_keyfile_journal(struct vault *v, struct mnv_diag *diag);

/* Which key vault_db_key() derives from. */
enum { VAULT_DBKEY_VK, VAULT_DBKEY_VK_NEXT, VAULT_DBKEY_MK };

#endif
