/*
 * vault_conn.c: the SQLCipher connection of vault.db: errors and statements, SQLite's
 * wiping allocator, keying (raw key from VK, never in SQL text), the cipher settings and
 * pragmas, rekeying for a VK rotation, the meta table, and a second connection for checks
 * run beside the session's (vault_check.c).
 */
#include "vault_int.h"

#include <dlfcn.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>

#include <sodium.h>

#include "mnvault/secmem.h"

void vault_options_default(struct vault_options *o)
{
    o->cache_mib = 64;
    o->memory_security = 0;
    o->syslog = 1;
}

/* ---- errors, statements ----------------------------------------------------------------- */

/* Allocations refused to SQLite (its allocator below) or to the cipher library SQLCipher
 * decrypts with (OpenSSL, install_crypto_counter) in this process. */
static atomic_ulong alloc_failures;

static void count_refusal(const void *p, size_t n)
{
    if (!p && n > 0)
        atomic_fetch_add(&alloc_failures, 1);
}

int vault_memory_failed(struct vault *v)
{
    unsigned long now = atomic_load(&alloc_failures);
    int failed = now != v->alloc_failures_seen;
    v->alloc_failures_seen = now;
    return failed;
}

enum mnv_err vault_sql_error(struct vault *v, int rc, struct mnv_diag *diag)
{
    if (v->db)
        mnv_diag_detail(diag, "%s", sqlite3_errmsg(v->db));
    /* SQLCipher reports a page it could not decrypt as "not a database" (page 1) or as
     * damaged, also when what failed was the memory to decrypt it with (OpenSSL allocates
     * a context per page): with an allocation refused meanwhile, that is what it was. */
    int nomem = vault_memory_failed(v);
    switch (rc & 0xFF) {
    case SQLITE_NOTADB:
        return nomem ? MNV_ERR_DB_NOMEM : MNV_ERR_DB_KEY;
    case SQLITE_CORRUPT:
        return nomem ? MNV_ERR_DB_NOMEM : MNV_ERR_DB_CORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return MNV_ERR_DB_BUSY;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return MNV_ERR_IO;
    case SQLITE_NOMEM:
        return MNV_ERR_NOMEM;
    default:
        return MNV_ERR_DB;
    }
}

enum mnv_err vault_exec(struct vault *v, const char *sql, struct mnv_diag *diag)
{
    if (!v->db)
        return MNV_ERR_SESSION_LOCKED; /* suspended (vault_suspend) */
    int rc = sqlite3_exec(v->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? MNV_OK : vault_sql_error(v, rc, diag);
}

static enum mnv_err stmt_lookup(struct vault *v, const char *sql, int fresh, sqlite3_stmt **out,
                                struct mnv_diag *diag)
{
    *out = NULL;
    for (size_t i = 0; i < v->n_stmts; i++) {
        if (v->stmts[i].sql == sql) {
            if (fresh) {
                sqlite3_reset(v->stmts[i].st);
                sqlite3_clear_bindings(v->stmts[i].st);
            }
            *out = v->stmts[i].st;
            return MNV_OK;
        }
    }
    if (!v->db)
        return MNV_ERR_SESSION_LOCKED;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v3(v->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    if (v->n_stmts < VAULT_STMT_CACHE) {
        v->stmts[v->n_stmts].sql = sql;
        v->stmts[v->n_stmts].st = st;
        v->n_stmts++;
    } else {
        /* Never expected (the program has fewer statements); keep it correct anyway. */
        sqlite3_finalize(v->stmts[0].st);
        memmove(&v->stmts[0], &v->stmts[1], (VAULT_STMT_CACHE - 1) * sizeof(v->stmts[0]));
        v->stmts[VAULT_STMT_CACHE - 1].sql = sql;
        v->stmts[VAULT_STMT_CACHE - 1].st = st;
    }
    *out = st;
    return MNV_OK;
}

enum mnv_err vault_stmt(struct vault *v, const char *sql, sqlite3_stmt **out, struct mnv_diag *diag)
{
    return stmt_lookup(v, sql, 1, out, diag);
}

enum mnv_err vault_stmt_bound(struct vault *v, const char *sql, sqlite3_stmt **out,
                              struct mnv_diag *diag)
{
    return stmt_lookup(v, sql, 0, out, diag);
}

struct sqlite3 *vault_db(struct vault *v)
{
    return v->db;
}

/* One text value from a pragma or query into buf; "" when there is no row. */
int vault_query_text(struct vault *v, const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *st;
    buf[0] = '\0';
    if (!v->db)
        return SQLITE_MISUSE;
    int rc = sqlite3_prepare_v2(v->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(buf, size, "%s", t ? (const char *)t : "");
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- SQLite's memory: wiped when freed ----------------------------------------------------- */

/*
 * SQLite keeps decrypted pages (names, addresses) in ordinary heap memory. This allocator
 * zeroes every block when SQLite frees it, so freed pages do not linger in the heap; unlike
 * SQLCipher's cipher_memory_security it does not lock each block in memory, which costs a
 * system call per allocation. Installed once per process, before the first connection.
 */
#define WIPE_HDR 16 /* keeps the alignment malloc gives */

static void *wipe_malloc(int n)
{
    if (n <= 0)
        return NULL;
    unsigned char *p = malloc((size_t)n + WIPE_HDR);
    count_refusal(p, 1);
    if (!p)
        return NULL;
    memcpy(p, &n, sizeof(n));
    return p + WIPE_HDR;
}

static int wipe_size(void *q)
{
    int n = 0;
    if (q)
        memcpy(&n, (unsigned char *)q - WIPE_HDR, sizeof(n));
    return n;
}

static void wipe_free(void *q)
{
    if (!q)
        return;
    sodium_memzero(q, (size_t)wipe_size(q));
    free((unsigned char *)q - WIPE_HDR);
}

static void *wipe_realloc(void *q, int n)
{
    void *r = wipe_malloc(n);
    if (!r)
        return NULL;
    int old = wipe_size(q);
    memcpy(r, q, (size_t)(old < n ? old : n));
    wipe_free(q);
    return r;
}

static int wipe_roundup(int n)
{
    return (n + 7) & ~7;
}

static int wipe_init(void *unused)
{
    (void)unused;
    return SQLITE_OK;
}

static void wipe_shutdown(void *unused)
{
    (void)unused;
}

/*
 * OpenSSL's allocations, counted: SQLCipher's OpenSSL provider allocates a cipher and a MAC
 * context for every page it decrypts, with malloc through OpenSSL's CRYPTO_malloc, where
 * SQLite's allocator does not see them. The functions do what OpenSSL's defaults do. OpenSSL
 * accepts them only before its first allocation (else nothing changes and a refusal there
 * is not counted). Looked up, not linked: the program does not link OpenSSL itself.
 */
static void *crypto_malloc(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    void *p = malloc(n);
    count_refusal(p, n);
    return p;
}

static void *crypto_realloc(void *q, size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    void *p = realloc(q, n);
    count_refusal(p, n);
    return p;
}

static void crypto_free(void *q, const char *file, int line)
{
    (void)file;
    (void)line;
    free(q);
}

static void install_crypto_counter(void)
{
    typedef int set_fn(void *(*)(size_t, const char *, int),
                       void *(*)(void *, size_t, const char *, int),
                       void (*)(void *, const char *, int));
    void *sym = dlsym(RTLD_DEFAULT, "CRYPTO_set_mem_functions");
    set_fn *set = NULL;
    if (!sym)
        return;
    memcpy(&set, &sym, sizeof(set));
    (void)set(crypto_malloc, crypto_realloc, crypto_free); /* 0: OpenSSL keeps its own */
}

static void install_wiping_allocator(void)
{
    static int done;
    static const sqlite3_mem_methods methods = {wipe_malloc,  wipe_free, wipe_realloc,  wipe_size,
                                                wipe_roundup, wipe_init, wipe_shutdown, NULL};
    if (done)
        return;
    done = 1;
    install_crypto_counter();
    /* Fails harmlessly (SQLITE_MISUSE) if SQLite was already initialised by someone. */
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK) {
        /* the library keeps its own allocator */
    }
}

/* ---- connecting ----------------------------------------------------------------------------- */

/* The raw SQLCipher key: a subkey of VK (the current or the next one), or format 1's MK. */
enum mnv_err vault_db_key(const struct vault *v, int which, unsigned char out[VCRYPTO_KEY_LEN])
{
    const struct keyring_keys *k = v->keys;
    switch (which) {
    case VAULT_DBKEY_VK:
        if (!(k->have & KEYRING_HAVE_VK))
            return MNV_ERR_DB_KEY;
        return vcrypto_derive_root(out, VCRYPTO_ROOT_VK, VCRYPTO_VK_DB, k->vk);
    case VAULT_DBKEY_VK_NEXT:
        if (!(k->have & KEYRING_HAVE_VK_NEXT))
            return MNV_ERR_DB_KEY;
        return vcrypto_derive_root(out, VCRYPTO_ROOT_VK, VCRYPTO_VK_DB, k->vk_next);
    case VAULT_DBKEY_MK:
        if (!(k->have & KEYRING_HAVE_MK))
            return MNV_ERR_DB_KEY;
        return vcrypto_derive(out, VCRYPTO_SUB_DB, k->mk);
    }
    return MNV_ERR_DB_KEY;
}

/* "x'<hex>'": SQLCipher's raw-key form (raw bytes would be taken as a passphrase). */
static enum mnv_err key_text(const struct vault *v, int which, char *text)
{
    unsigned char *dbkey = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!dbkey)
        return MNV_ERR_NOMEM;
    enum mnv_err err = vault_db_key(v, which, dbkey);
    if (err == MNV_OK) {
        text[0] = 'x';
        text[1] = '\'';
        vcrypto_hex(text + 2, dbkey, VCRYPTO_KEY_LEN);
        text[2 + 2 * VCRYPTO_KEY_LEN] = '\'';
        text[3 + 2 * VCRYPTO_KEY_LEN] = '\0';
    }
    secmem_free(dbkey);
    return err;
}

#define KEY_TEXT_LEN (3 + 2 * VCRYPTO_KEY_LEN)

static enum mnv_err set_key(struct vault *v, int which, struct mnv_diag *diag)
{
    char *text = secmem_alloc(KEY_TEXT_LEN + 1);
    if (!text)
        return MNV_ERR_NOMEM;
    enum mnv_err err = key_text(v, which, text);
    if (err == MNV_OK) {
        int rc = sqlite3_key_v2(v->db, "main", text, KEY_TEXT_LEN);
        if (rc != SQLITE_OK)
            err = vault_sql_error(v, rc, diag);
    }
    secmem_free(text);
    return err;
}

enum mnv_err vault_rekey(struct vault *v, struct mnv_diag *diag)
{
    if (v->in_tx)
        return MNV_ERR_INVALID;
    int which;
    if ((v->keys->have & KEYRING_HAVE_VK_NEXT) && !v->db_vk_next)
        which = VAULT_DBKEY_VK_NEXT; /* a VK rotation half way */
    else if (v->db_mk && (v->keys->have & KEYRING_HAVE_VK))
        which = VAULT_DBKEY_VK; /* an upgrade from format 1 */
    else if ((v->keys->have & KEYRING_HAVE_VK_NEXT) || v->db_mk)
        return MNV_OK; /* already done */
    else
        return MNV_ERR_INVALID;
    char *text = secmem_alloc(KEY_TEXT_LEN + 1);
    if (!text)
        return MNV_ERR_NOMEM;
    vault_finalize_all(v); /* a rekey wants no statement pending */
    enum mnv_err err = key_text(v, which, text);
    if (err == MNV_OK) {
        int rc = sqlite3_rekey_v2(v->db, "main", text, KEY_TEXT_LEN);
        if (rc != SQLITE_OK) {
            err = vault_sql_error(v, rc, diag);
        } else {
            v->db_vk_next = which == VAULT_DBKEY_VK_NEXT;
            v->db_mk = 0;
        }
    }
    secmem_free(text);
    return err;
}

void vault_finalize_all(struct vault *v)
{
    for (size_t i = 0; i < v->n_stmts; i++)
        sqlite3_finalize(v->stmts[i].st);
    v->n_stmts = 0;
}

/* Explicit cipher settings: SQLCipher 4's defaults, written down so they cannot drift. */
static const char cipher_settings[] = "PRAGMA cipher_page_size = 4096;"
                                      "PRAGMA cipher_hmac_algorithm = HMAC_SHA512;"
                                      "PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA512;"
                                      "PRAGMA cipher_use_hmac = ON;"
                                      "PRAGMA cipher_plaintext_header_size = 0;";

static enum mnv_err check_cipher(struct vault *v, struct mnv_diag *diag)
{
    int rc =
        vault_query_text(v, "PRAGMA cipher_version", v->cipher_version, sizeof(v->cipher_version));
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    if (strncmp(v->cipher_version, "4.", 2) != 0 || !sqlite3_compileoption_used("HAS_CODEC")) {
        mnv_diag_detail(diag, "cipher_version \"%s\"", v->cipher_version);
        return MNV_ERR_DB_CIPHER;
    }
    return MNV_OK;
}

void vault_cache_limit(struct vault *v, int mib)
{
    char sql[64];
    int want = mib > 0 ? mib : v->opt.cache_mib > 0 ? v->opt.cache_mib : 64;
    snprintf(sql, sizeof(sql), "PRAGMA cache_size = %d", -1024 * want);
    if (!v->db || sqlite3_exec(v->db, sql, NULL, NULL, NULL) != SQLITE_OK || mib <= 0)
        return;
    sqlite3_db_release_memory(v->db); /* the pages not in use: all, between statements */
    malloc_trim(0);                   /* freed pages inside the heap go back too */
}

static enum mnv_err apply_pragmas(struct vault *v, struct mnv_diag *diag)
{
    char buf[64], sql[256];
    int rc = vault_query_text(v, "PRAGMA journal_mode = DELETE", buf, sizeof(buf));
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    if (strcmp(buf, "delete") != 0) {
        mnv_diag_detail(diag, "journal_mode %s", buf);
        return MNV_ERR_DB;
    }
    snprintf(sql, sizeof(sql),
             "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;"
             "PRAGMA trusted_schema = OFF; PRAGMA cache_size = %d;",
             -1024 * (v->opt.cache_mib > 0 ? v->opt.cache_mib : 64));
    enum mnv_err err = vault_exec(v, sql, diag);
    if (err != MNV_OK)
        return err;
    /* Temporary tables and sorts in files would hold plaintext: memory only, or refuse. A
     * pragma that fails (the disk, memory) is that failure, not a build without the choice. */
    rc = vault_query_text(v, "PRAGMA temp_store = MEMORY", buf, sizeof(buf));
    if (rc == SQLITE_OK)
        rc = vault_query_text(v, "PRAGMA temp_store", buf, sizeof(buf));
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    if (strcmp(buf, "2") || sqlite3_compileoption_used("TEMP_STORE=0"))
        return MNV_ERR_DB_TEMP;
    int on = 0;
    sqlite3_db_config(v->db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on);
    sqlite3_busy_timeout(v->db, 5000);
    return MNV_OK;
}

/* Open the file and key it with one candidate key; DB_KEY when that key is not the one. */
static enum mnv_err connect_with(struct vault *v, const char *path, int create, int which,
                                 struct mnv_diag *diag)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | (create ? SQLITE_OPEN_CREATE : 0);
    install_wiping_allocator();
    v->alloc_failures_seen = atomic_load(&alloc_failures);
    int rc = sqlite3_open_v2(path, &v->db, flags, NULL);
    if (rc != SQLITE_OK) {
        mnv_diag_where(diag, "%s", path);
        return rc == SQLITE_CANTOPEN ? MNV_ERR_DB_OPEN : vault_sql_error(v, rc, diag);
    }
    sqlite3_extended_result_codes(v->db, 1);
    /* Wait for other processes from the very first read (the key check below), not only
     * after the pragmas: a login while another process commits must not fail at once. */
    sqlite3_busy_timeout(v->db, 5000);
    /* SQLCipher would print its own errors on stderr, over our screens and messages; its
     * log level setting does not silence 4.6, the subsystem filter does. */
    enum mnv_err err = vault_exec(v, "PRAGMA cipher_log_source = NONE", diag);
    if (err == MNV_OK && v->opt.memory_security)
        err = vault_exec(v, "PRAGMA cipher_memory_security = ON", diag);
    if (err == MNV_OK)
        err = set_key(v, which, diag);
    if (err == MNV_OK)
        err = check_cipher(v, diag);
    if (err == MNV_OK)
        err = vault_exec(v, cipher_settings, diag);
    if (err != MNV_OK)
        return err;
    /* The first read of the schema is where a wrong key or a damaged page 1 shows. */
    char buf[32];
    rc = vault_query_text(v, "SELECT count(*) FROM sqlite_master", buf, sizeof(buf));
    /* SQLCipher says "not a database" also when it could not get the memory to decrypt a
     * page: once more, so that a moment without memory is not reported as a wrong key. */
    if ((rc & 0xFF) == SQLITE_NOTADB)
        rc = vault_query_text(v, "SELECT count(*) FROM sqlite_master", buf, sizeof(buf));
    if (rc != SQLITE_OK) {
        mnv_diag_where(diag, "%s", path);
        err = vault_sql_error(v, rc, diag);
        return err == MNV_ERR_DB_CORRUPT ? MNV_ERR_DB_KEY : err;
    }
    return apply_pragmas(v, diag);
}

enum mnv_err vault_connect(struct vault *v, const char *path, int create, struct mnv_diag *diag)
{
    /* The next VK first (a rotation may have rekeyed the file already), then the current,
     * then format 1's MK (a database not upgraded yet). */
    static const int order[] = {VAULT_DBKEY_VK_NEXT, VAULT_DBKEY_VK, VAULT_DBKEY_MK};
    static const unsigned need[] = {KEYRING_HAVE_VK_NEXT, KEYRING_HAVE_VK, KEYRING_HAVE_MK};
    enum mnv_err err = MNV_ERR_DB_KEY;
    for (size_t i = 0; i < MNV_ARRAY_LEN(order); i++) {
        if (!(v->keys->have & need[i]) || (create && order[i] != VAULT_DBKEY_VK))
            continue;
        err = connect_with(v, path, create, order[i], diag);
        if (err == MNV_OK) {
            v->db_vk_next = order[i] == VAULT_DBKEY_VK_NEXT;
            v->db_mk = order[i] == VAULT_DBKEY_MK;
            v->legacy |= v->db_mk && keyring_version(v->kr) == 1;
            return MNV_OK;
        }
        sqlite3_close_v2(v->db);
        v->db = NULL;
        if (err != MNV_ERR_DB_KEY)
            return err;
    }
    return err;
}

/* ---- meta and checks ---------------------------------------------------------------------- */

enum mnv_err vault_meta_get(struct vault *v, const char *key, char *buf, size_t size)
{
    sqlite3_stmt *st;
    buf[0] = '\0';
    enum mnv_err err = vault_stmt(v, "SELECT value FROM meta WHERE key = ?1", &st, NULL);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        int n = snprintf(buf, size, "%s", t ? t : "");
        err = (n < 0 || (size_t)n >= size) ? MNV_ERR_TOO_LONG : MNV_OK;
    } else {
        err = rc == SQLITE_DONE ? MNV_ERR_NOT_FOUND : vault_sql_error(v, rc, NULL);
    }
    sqlite3_reset(st);
    return err;
}

enum mnv_err vault_meta_set(struct vault *v, const char *key, const char *value,
                            struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

/* A second connection to v's file with the same key and settings and a cache of cache_mib,
 * for a check run beside v's own (NULL when it cannot be opened). */
sqlite3 *vault_open_reader(struct vault *v, int cache_mib)
{
    struct vault *t = malloc(sizeof(*t));
    if (!t)
        return NULL;
    *t = *v;
    t->db = NULL;
    t->n_stmts = 0;
    t->opt.cache_mib = cache_mib;
    int which = v->db_vk_next ? VAULT_DBKEY_VK_NEXT : v->db_mk ? VAULT_DBKEY_MK : VAULT_DBKEY_VK;
    sqlite3 *db = NULL;
    if (connect_with(t, v->path, 0, which, NULL) == MNV_OK)
        db = t->db;
    else
        sqlite3_close_v2(t->db);
    sodium_memzero(t, sizeof(*t));
    free(t);
    return db;
}

const char *vault_cipher_version(const struct vault *v)
{
    return v->cipher_version;
}
