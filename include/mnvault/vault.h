/* vault.h (store layer): the SQLCipher store vault.db: connection, cipher settings, schema
 * and its numbered migrations, transactions, the pairing with the key file, the rollback
 * check against the key file's anchor, and integrity checks.
 *
 * The database is opened with the raw key derived from the vault key VK (keyring.h), handed
 * to sqlite3_key_v2() as the "x'<64 hex>'" string built in secmem; it never appears in SQL
 * text. The other keys a login opened (NK for numbers, BK for backups) are kept by the
 * connection in secmem; without NK nothing here can open a number (MNV_ERR_NUMBER_KEY). Settings
 * (doc/vault-format.md): SQLCipher 4.x only (PRAGMA cipher_version is checked), cipher_page_size
 * 4096, HMAC-SHA512, no plaintext header, journal_mode DELETE, synchronous FULL, foreign keys on,
 * secure_delete on, temp_store MEMORY (refused if the library cannot honour it), trusted_schema
 * off, SQLITE_DBCONFIG_DEFENSIVE on.
 *
 * Every change of the key file's protected part is journaled in vault.db (table keyfile: its
 * generation and image) in the same transaction as the change it goes with, and written to
 * the file after the commit; on open, a key file behind the journal (a crash, or an old copy
 * put back) is rolled forward from it, so an old password, an old recovery set or a
 * destroyed epoch key never comes back. Every commit that appended audit entries records
 * the new audit head in the key file (the anchor) and, when enabled, sends it to syslog; on
 * open, a database whose audit log does not contain the anchored head is refused as rolled
 * back.
 *
 * Other store modules (userdb, persondb, numberdb, auditlog) run SQL through vault_stmt();
 * services never do: they call those modules inside vault_begin()/vault_commit().
 */
#ifndef MNVAULT_VAULT_H
#define MNVAULT_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/keyring.h"
#include "mnvault/vcrypto.h"

#define VAULT_DB_FILE "vault.db"

struct vault; /* opaque */
struct sqlite3;
struct sqlite3_stmt;

struct vault_options {
    int cache_mib;       /* page cache of the connection, in MiB (config vault.cache_mib) */
    int memory_security; /* SQLCipher wipes SQLite's memory on free (vault.memory_security) */
    int syslog;          /* send each new audit head to syslog (audit.syslog) */
};

/* vault_options_default: 64 MiB cache, memory security on, syslog on. */
void vault_options_default(struct vault_options *o) MNV_NONNULL(1);

/* vault_schema_latest: the schema version this program creates and migrates to. */
int vault_schema_latest(void);

/*
 * vault_create: create a new database file at path (which must not exist) with the
 * current schema, paired with kr (borrowed; it must outlive the vault). Until kr is
 * written by keyring_create_file(), commits change kr in memory and journal it only.
 * keys (VK at least) is copied into secmem. Close with vault_close(). Returns MNV_OK,
 * MNV_ERR_VAULT_EXISTS, DB_CIPHER, DB_TEMP, DB_OPEN, NOMEM, or an I/O error.
 */
MNV_MUST_CHECK enum mnv_err vault_create(const char *path, struct keyring *kr,
                                         const struct keyring_keys *keys,
                                         const struct vault_options *o, struct vault **out,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4, 5);

/*
 * vault_open: open the existing dir/vault.db paired with kr (borrowed; it must outlive the
 * vault, and is re-read and written at commits) with the keys a slot of kr opened (copied
 * into secmem). Checks, in order: SQLCipher 4, the key (a wrong key or damaged first page
 * is MNV_ERR_DB_KEY), the schema version (migrating an older one step by step, refusing a
 * newer one), that the database and key file belong to the same vault, the key file
 * against its journal (vault_keyfile_noticed(): one write behind stands as a crash step;
 * further behind or altered is rolled forward, or refused with MNV_ERR_KEYFILE_ROLLBACK when
 * that would lose an epoch key; MNV_ERR_DB_ROLLBACK when the database is older), and that the audit
 * log contains the anchored head and every entry after it chains on (else MNV_ERR_DB_ROLLBACK, or
 * MNV_ERR_AUDIT_BROKEN). A database that is ahead of the anchor (a crash between commit and anchor)
 * moves the anchor forward; a VK rotation left half way is finished. A format-1 key file (keys
 * holding MK) opens the database read-only for an upgrade (src/service/upgrade.c): no schema step
 * beyond format 1's, no write. Returns MNV_OK or MNV_ERR_DB_MISSING, DB_CIPHER, DB_KEY,
 * DB_CORRUPT, DB_NEWER, DB_FOREIGN, DB_ROLLBACK, AUDIT_BROKEN, DB_TEMP, DB_BUSY, NOMEM, IO.
 */
MNV_MUST_CHECK enum mnv_err vault_open(const char *dir, struct keyring *kr,
                                       const struct keyring_keys *keys,
                                       const struct vault_options *o, struct vault **out,
                                       struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4, 5);

/* vault_close: roll back an open transaction, finalize, close, wipe keys; NULL allowed. */
void vault_close(struct vault *v);

/*
 * vault_suspend: what a locked session keeps of its vault: nothing secret. Rolls back an open
 * transaction, closes the connection (SQLCipher wipes its copy of the database key and the
 * decrypted pages as it frees them) and wipes every key v holds (root keys, the slot's
 * private key, subkeys, epoch keys, the random stream's key, the scratch). v stays allocated
 * with its key file: every statement or transaction on it fails with MNV_ERR_SESSION_LOCKED
 * (vault_keys() is then all zero) until vault_resume().
 */
void vault_suspend(struct vault *v) MNV_NONNULL(1);

/* vault_suspended: 1 between vault_suspend() and a successful vault_resume(). */
int vault_suspended(const struct vault *v) MNV_NONNULL(1);

/*
 * vault_resume: open the database again with keys (copied; a slot of v's key file opened
 * them), making every check vault_open() makes (the key file against its journal, the anchor,
 * a rotation half way); v is then that connection, at the same address. Returns vault_open()'s
 * errors, or MNV_ERR_INVALID when v is not suspended; v stays suspended on failure.
 */
MNV_MUST_CHECK enum mnv_err vault_resume(struct vault *v, const struct keyring_keys *keys,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* vault_keyring: the key file paired with v (borrowed). */
struct keyring *vault_keyring(struct vault *v) MNV_NONNULL(1);

/*
 * vault_keys: the keys the connection holds (secmem, borrowed, valid until vault_close();
 * the services that change the key file update it: rotations, grants).
 */
struct keyring_keys *vault_keys(struct vault *v) MNV_NONNULL(1);

/* vault_has_numbers: 1 when the connection holds the current NK (it can open numbers). */
MNV_MUST_CHECK int vault_has_numbers(const struct vault *v) MNV_NONNULL(1);

/* The subkeys the connection derived at open. */
enum vault_subkey_id {
    VAULT_SUB_FIELD,     /* seals TOTP secrets (from VK) */
    VAULT_SUB_CHAIN,     /* keys the audit chain's hashes */
    VAULT_SUB_BLIND,     /* keys the blind index of numbers (from NK) */
    VAULT_SUB_CERT,      /* the seed of the vault's Ed25519 certificate key (NK holders) */
    VAULT_SUB_OLD_FIELD, /* during an upgrade: format 1's field key */
    VAULT_SUB_OLD_BLIND, /* during an upgrade: format 1's blind-index key */
};

/*
 * vault_subkey: a subkey derived at open (secmem, borrowed, valid until vault_close()), or
 * NULL when the connection has not the root key it comes from (no NK: no BLIND, no CERT).
 * The database and key-file keys are never handed out.
 */
const unsigned char *vault_subkey(const struct vault *v, enum vault_subkey_id id) MNV_NONNULL(1);

/*
 * vault_epoch_key: the epoch key id (secmem, borrowed, valid until the next epoch change
 * or vault_close()). Returns MNV_OK, MNV_ERR_EPOCH_GONE, MNV_ERR_NUMBER_KEY (the connection
 * has no NK) or a keyring error.
 */
MNV_MUST_CHECK enum mnv_err vault_epoch_key(struct vault *v, uint32_t id, const unsigned char **key)
    MNV_NONNULL(1, 3);

#define VAULT_SCRATCH_LEN 128

/*
 * vault_scratch: VAULT_SCRATCH_LEN bytes of secmem owned by the connection, for a store
 * module that needs a short-lived secret for each row (a data key, the digits) without a
 * locked allocation each time (those cost several system calls). Valid until
 * vault_close(). Only within one call of a store module, which wipes what it wrote before
 * returning.
 */
unsigned char *vault_scratch(struct vault *v) MNV_NONNULL(1);

/*
 * vault_random: len bytes (at most 1024) of key-quality random data into out, from a
 * ChaCha20 keystream under a per-connection key drawn from the system's CSPRNG at open,
 * with a block counter that never repeats. For the per-row data keys and nonces, where
 * libsodium's generator would make a system call for each value.
 */
void vault_random(struct vault *v, unsigned char *out, size_t len) MNV_NONNULL(1, 2);

/*
 * vault_keyring_update: change the key file's protected part with fn(kr, ud) in a
 * transaction of its own: the new image is journaled in vault.db, committed, then written
 * to the file (atomically). Returns MNV_OK, fn's error (nothing changed), or a database or
 * I/O error (after the commit: the file catches up from the journal at the next open).
 */
typedef enum mnv_err (*vault_keyring_fn)(struct keyring *kr, void *ud);
MNV_MUST_CHECK enum mnv_err vault_keyring_update(struct vault *v, vault_keyring_fn fn, void *ud,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * vault_rekey: re-encrypt the whole database under the next VK of a rotation half way
 * (keyring_vk_begin() was written). Outside transactions. Returns MNV_OK, MNV_ERR_INVALID
 * (no next VK), or a database error (the database is then still under the current VK).
 */
MNV_MUST_CHECK enum mnv_err vault_rekey(struct vault *v, struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * vault_vk_finish: the rest of a VK rotation once keyring_vk_begin() was written: rekey
 * the database (vault_rekey()), then in one transaction seal the TOTP secrets under the new
 * VK's field key, run in_tx(ud) (may be NULL: the caller's audit entry) and make the new VK
 * the current one (keyring_vk_finish(), journaled). Returns MNV_OK, MNV_ERR_INVALID (no
 * rotation half way), in_tx's error, or a database or key file error.
 */
MNV_MUST_CHECK enum mnv_err vault_vk_finish(struct vault *v, enum mnv_err (*in_tx)(void *ud),
                                            void *ud, struct mnv_diag *diag) MNV_NONNULL(1);

/* vault_refresh_subkeys: derive the subkeys again after the connection's keys changed. */
MNV_MUST_CHECK enum mnv_err vault_refresh_subkeys(struct vault *v) MNV_NONNULL(1);

/* vault_legacy: 1 when opened with a format-1 key file (read only, for the upgrade). */
int vault_legacy(const struct vault *v) MNV_NONNULL(1);

/*
 * vault_keyfile_noticed: what the open found about the key file: VAULT_NOTICED_STATE its
 * login state is older than vault.db records (an old copy was put back: failures and
 * lockouts may be lost); VAULT_NOTICED_REPAIRED it was behind the journal, or altered, and
 * was rolled forward from it (a crash between a commit and its file write, or an old copy
 * put back); VAULT_NOTICED_STEP it was one write behind a write that added an epoch key it
 * lacks (the documented crash step: it stands; the rotation that began is not made).
 */
#define VAULT_NOTICED_STATE 1
#define VAULT_NOTICED_REPAIRED 2
#define VAULT_NOTICED_STEP 4
unsigned vault_keyfile_noticed(const struct vault *v) MNV_NONNULL(1);

/*
 * vault_keyfile_late: the error (MNV_OK: none) when, in this process, a change was committed but
 * its key file could not be put in place after the commit (its rename failed: every other write of
 * the file is done before the commit, where a failure stops the change), and no later write of the
 * key file has succeeded since; *diag (may be NULL) gets that failure. The change stands and was
 * reported as done: vault.db holds it and the key file's journal, and the next write or
 * sign-in rolls the file forward (VAULT_NOTICED_REPAIRED). For the command's last word.
 */
enum mnv_err vault_keyfile_late(struct mnv_diag *diag);

/* vault_epoch_reload: forget cached epoch keys after the key file's epochs changed. */
void vault_epoch_reload(struct vault *v) MNV_NONNULL(1);

/* --- Transactions ---------------------------------------------------------------------- */

/*
 * vault_begin: start a write transaction (BEGIN IMMEDIATE; waits up to 5 s for another
 * process). If another process rewrote the key file since this one last looked (a new
 * epoch key, say), the key file is read again first. Returns MNV_OK, MNV_ERR_DB_BUSY,
 * MNV_ERR_INVALID when one is already open, or a key file error.
 */
MNV_MUST_CHECK enum mnv_err vault_begin(struct vault *v, struct mnv_diag *diag) MNV_NONNULL(1);

/* vault_begin_read: start a read transaction (a consistent snapshot for several reads). */
MNV_MUST_CHECK enum mnv_err vault_begin_read(struct vault *v, struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * vault_commit: commit. When audit entries were appended, the new head is then anchored in
 * the key file (and sent to syslog). If only the anchor write fails, the change itself is
 * committed, the error is returned, and the anchor catches up at the next open.
 * On a failed COMMIT the transaction is rolled back. Returns MNV_OK or an error.
 */
MNV_MUST_CHECK enum mnv_err vault_commit(struct vault *v, struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * vault_commit_with: as vault_commit(), and fn(kr, ud) changes the key file in the same
 * atomic write as the anchor (e.g. a new password slot), journaled in the same transaction.
 * If fn fails, nothing is committed and fn's error is returned.
 */
MNV_MUST_CHECK enum mnv_err vault_commit_with(struct vault *v, vault_keyring_fn fn, void *ud,
                                              struct mnv_diag *diag) MNV_NONNULL(1);

/* vault_rollback: roll back the open transaction, if any. */
void vault_rollback(struct vault *v) MNV_NONNULL(1);

/*
 * vault_cache_limit: hold the connection's page cache at mib MiB, and give the memory of the
 * pages it held beyond that back to the system now (the employee list, which reads in
 * order, holds its rows in that room instead); mib 0: back to the configured size. The
 * cache is emptied, never written: nothing changes on disk.
 */
void vault_cache_limit(struct vault *v, int mib) MNV_NONNULL(1);

/* vault_in_tx: 1 while a transaction is open. */
int vault_in_tx(const struct vault *v) MNV_NONNULL(1);

/* --- For store modules -------------------------------------------------------------------- */

/*
 * vault_stmt: the prepared statement for sql (a string literal: statements are cached by
 * its address), reset and with its bindings cleared. Borrowed; valid until vault_close().
 * Returns MNV_OK or MNV_ERR_DB with diag->detail set.
 */
MNV_MUST_CHECK enum mnv_err vault_stmt(struct vault *v, const char *sql, struct sqlite3_stmt **out,
                                       struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * vault_stmt_bound: as vault_stmt, for a statement the caller binds EVERY parameter of
 * before each step and resets right after it (the bulk inserts): found in the cache
 * without the reset and the clearing of bindings that vault_stmt does each time.
 */
MNV_MUST_CHECK enum mnv_err vault_stmt_bound(struct vault *v, const char *sql,
                                             struct sqlite3_stmt **out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* vault_db: the SQLite handle, for store modules only. */
struct sqlite3 *vault_db(struct vault *v) MNV_NONNULL(1);

/*
 * vault_sql_error: the mnv_err for an SQLite result code (NOTADB → DB_KEY, CORRUPT →
 * DB_CORRUPT, BUSY → DB_BUSY, FULL/IOERR → IO, NOMEM → NOMEM, else DB), with SQLite's
 * message in diag->detail.
 */
enum mnv_err vault_sql_error(struct vault *v, int rc, struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * vault_exec: run fixed SQL without results (schema steps, pragmas). Returns MNV_OK or
 * the vault_sql_error() of the failure.
 */
MNV_MUST_CHECK enum mnv_err vault_exec(struct vault *v, const char *sql, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/*
 * vault_next_id: the next free row id of a table, for a module that must know a row's id
 * before inserting it (its ciphertext binds the id). max_sql is a string literal
 * "SELECT max(id) FROM <table>", run once per write transaction; later calls count on
 * from it (a write transaction excludes every other writer). Only for inserts made with
 * explicit ids. Returns MNV_OK, MNV_ERR_INVALID (no transaction) or a database error.
 */
MNV_MUST_CHECK enum mnv_err vault_next_id(struct vault *v, const char *max_sql, int64_t *id,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/* The newest audit entry as the store knows it; auditlog.c keeps it current. */
void vault_audit_head(const struct vault *v, uint64_t *seq, unsigned char hash[VCRYPTO_HASH_LEN])
    MNV_NONNULL(1, 2, 3);
void vault_audit_set_head(struct vault *v, uint64_t seq, const unsigned char hash[VCRYPTO_HASH_LEN])
    MNV_NONNULL(1, 3);

/* --- Settings and checks -------------------------------------------------------------------- */

/*
 * vault_meta_get: the value of key in the meta table into buf. Returns MNV_OK,
 * MNV_ERR_NOT_FOUND, MNV_ERR_TOO_LONG (buf too small) or a database error.
 */
MNV_MUST_CHECK enum mnv_err vault_meta_get(struct vault *v, const char *key, char *buf, size_t size)
    MNV_NONNULL(1, 2, 3);

/* vault_meta_set: set key to value (inside a write transaction). */
MNV_MUST_CHECK enum mnv_err vault_meta_set(struct vault *v, const char *key, const char *value,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/* Result of vault_check_integrity(). */
struct vault_integrity {
    int cipher_ok;    /* cipher_integrity_check, if it ran, found no bad page */
    int integrity_ok; /* quick_check and every index against its table found nothing */
    int foreign_ok;   /* PRAGMA foreign_key_check found no orphan */
    long problems;    /* number of problem rows reported */
    char first[256];  /* the first problem, in SQLite's words (or worded like them); "" */
};

/*
 * vault_check_integrity: check every page's HMAC, the b-trees (quick_check), every index
 * against its table (what integrity_check checks beyond quick_check, by one pass over each
 * table and index) and the foreign keys. The HMACs: SQLCipher checks a page's HMAC whenever
 * it reads the page, and quick_check reads every page in use; cipher_integrity_check runs
 * besides only when some page is not in use (free pages, a file longer or shorter than the
 * database's pages; see vault_check.c). Returns MNV_OK when all hold, MNV_ERR_DB_CORRUPT
 * when one does not (r says which), or another database error.
 */
MNV_MUST_CHECK enum mnv_err vault_check_integrity(struct vault *v, struct vault_integrity *r)
    MNV_NONNULL(1, 2);

/*
 * vault_check_integrity_with: the same, and also(ud) is called on this connection while
 * the checks above (but the HMAC pass) run in a thread on a second connection of its own
 * (same key and settings, a cache sized as vault_scan_cache() sizes it), so that other
 * checks of the whole vault overlap with them. Where no thread or second connection can be had, all
 * run one after the other on this connection. also may be NULL.
 */
MNV_MUST_CHECK enum mnv_err vault_check_integrity_with(struct vault *v, struct vault_integrity *r,
                                                       void (*also)(void *ud), void *ud)
    MNV_NONNULL(1, 2);

/*
 * vault_scan_cache: for a check that reads the whole database (verify): on = 1 sizes the
 * connection's page cache to the whole vault.db, at most VAULT_SCAN_CACHE_MAX_MIB and a
 * quarter of the memory the system has available; on = 0 puts back the configured size and
 * frees the pages (wiped, as every page SQLite frees). Without it, the index and reference
 * checks re-read and re-decrypt the same pages through the small cache a clerk's session
 * keeps (at 1,000,000 people, integrity_check's lookups: 534 s with 8 MiB, 71 s with
 * 1 GiB). Returns the cache size chosen, in MiB (0 when on = 0).
 */
#define VAULT_SCAN_CACHE_MAX_MIB 1024
int vault_scan_cache(struct vault *v, int on) MNV_NONNULL(1);

/* vault_cipher_version: SQLCipher's version string, e.g. "4.6.1 community" (borrowed). */
const char *vault_cipher_version(const struct vault *v) MNV_NONNULL(1);

#endif
