/*
 * vault.c: opening and closing vault.db with the keys a login opened, its transactions and
 * commits (each change of the key file journaled with the change it goes with), epoch keys
 * and the per-connection random stream. The connection itself is vault_conn.c, the schema
 * vault_schema.c, the subkeys and the key file's journal vault_keys.c.
 */
#include "vault_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <sodium.h>

#include "mnvault/auditlog.h"
#include "mnvault/secmem.h"
#include "mnvault/syslogmsg.h"
#include "mnvault/userdb.h"

/* ---- life of a connection --------------------------------------------------------------- */

static enum mnv_err vault_alloc(struct keyring *kr, const struct keyring_keys *keys,
                                const struct vault_options *o, struct vault **out)
{
    struct vault *v = calloc(1, sizeof(*v));
    if (!v)
        return MNV_ERR_NOMEM;
    v->kr = kr;
    v->opt = *o;
    v->keys = keyring_keys_new();
    v->sub = secmem_alloc((size_t)K_COUNT * VCRYPTO_KEY_LEN + VAULT_SCRATCH_LEN + VAULT_DRBG_BUF);
    if (!v->keys || !v->sub) {
        vault_close(v);
        return MNV_ERR_NOMEM;
    }
    keyring_keys_copy(v->keys, keys);
    randombytes_buf(v->sub + (size_t)K_DRBG * VCRYPTO_KEY_LEN, VCRYPTO_KEY_LEN);
    *out = v;
    return MNV_OK;
}

static enum mnv_err write_vault_id(struct vault *v, struct mnv_diag *diag)
{
    char hex[2 * KEYRING_ID_LEN + 1];
    vcrypto_hex(hex, keyring_vault_id(v->kr), KEYRING_ID_LEN);
    enum mnv_err err = vault_begin(v, diag);
    if (err != MNV_OK)
        return err;
    err = vault_meta_set(v, "vault_id", hex, diag);
    if (err == MNV_OK)
        err = vault_commit_with(v, NULL, NULL, diag);
    else
        vault_rollback(v);
    return err;
}

enum mnv_err vault_create(const char *path, struct keyring *kr, const struct keyring_keys *keys,
                          const struct vault_options *o, struct vault **out, struct mnv_diag *diag)
{
    *out = NULL;
    /* Create the empty file ourselves: exclusively, and readable by its owner only (SQLite
     * would use 0644, and its journal copies the database file's mode). */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        mnv_diag_where(diag, "%s", path);
        mnv_diag_errno(diag, e);
        return e == EEXIST ? MNV_ERR_VAULT_EXISTS : MNV_ERR_IO;
    }
    if (fchmod(fd, 0600) != 0 || close(fd) != 0) {
        mnv_diag_where(diag, "%s", path);
        mnv_diag_errno(diag, errno);
        return MNV_ERR_IO;
    }
    struct vault *v;
    enum mnv_err err = vault_alloc(kr, keys, o, &v);
    if (err != MNV_OK)
        return err;
    v->creating = 1;
    snprintf(v->path, sizeof(v->path), "%s", path);
    err = vault_connect(v, path, 1, diag);
    if (err == MNV_OK)
        err = vault_migrate(v, vault_schema_latest(), diag);
    if (err == MNV_OK)
        err = vault_derive_subkeys(v, vault_schema_latest());
    if (err == MNV_OK)
        err = write_vault_id(v, diag);
    if (err != MNV_OK) {
        vault_close(v);
        return err;
    }
    *out = v;
    return MNV_OK;
}

static enum mnv_err check_pairing(struct vault *v, struct mnv_diag *diag)
{
    char stored[64], hex[2 * KEYRING_ID_LEN + 1];
    enum mnv_err err = vault_meta_get(v, "vault_id", stored, sizeof(stored));
    if (err == MNV_ERR_NOT_FOUND || err == MNV_ERR_TOO_LONG)
        return MNV_ERR_DB_FOREIGN;
    if (err != MNV_OK)
        return err;
    vcrypto_hex(hex, keyring_vault_id(v->kr), KEYRING_ID_LEN);
    if (strcmp(stored, hex) != 0) {
        mnv_diag_detail(diag, "vault id");
        return MNV_ERR_DB_FOREIGN;
    }
    return MNV_OK;
}

static enum mnv_err no_change_fn(struct keyring *kr, void *ud)
{
    (void)kr;
    (void)ud;
    return MNV_OK;
}

/* The database got ahead of the anchor (a crash after COMMIT): move the anchor forward. */
static enum mnv_err catch_up_anchor(struct vault *v, struct mnv_diag *diag)
{
    struct keyring_anchor a;
    keyring_anchor_get(v->kr, &a);
    v->anchored_seq = a.seq;
    if (v->head_seq <= a.seq || v->legacy)
        return MNV_OK;
    enum mnv_err err = vault_begin(v, diag);
    if (err == MNV_OK)
        err = vault_commit_with(v, no_change_fn, NULL, diag); /* the write moves the anchor */
    return err;
}

static enum mnv_err vk_finish_fn(struct keyring *kr, void *ud)
{
    return keyring_vk_finish(kr, ud);
}

enum mnv_err vault_vk_finish(struct vault *v, enum mnv_err (*in_tx)(void *ud), void *ud,
                             struct mnv_diag *diag)
{
    if (!keyring_vk_pending(v->kr) || !(v->keys->have & KEYRING_HAVE_VK_NEXT))
        return MNV_ERR_INVALID;
    enum mnv_err err = vault_rekey(v, diag);
    if (err == MNV_OK)
        err = vault_begin(v, diag);
    if (err != MNV_OK)
        return err;
    /* The TOTP secrets are sealed under a key of VK: seal them under the new one. */
    unsigned char *nf = secmem_alloc(VCRYPTO_KEY_LEN);
    err = nf ? vcrypto_derive_root(nf, VCRYPTO_ROOT_VK, VCRYPTO_VK_FIELD, v->keys->vk_next)
             : MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = userdb_totp_reseal(v, vault_subkey(v, VAULT_SUB_FIELD), nf, diag);
    secmem_free(nf);
    if (err == MNV_OK && in_tx)
        err = in_tx(ud);
    if (err == MNV_OK)
        err = vault_commit_with(v, vk_finish_fn, v->keys, diag);
    else
        vault_rollback(v);
    if (err == MNV_OK)
        err = vault_refresh_subkeys(v);
    return err;
}

/* A VK rotation left half way (a crash, or another process still at it): finish it. */
static enum mnv_err finish_vk_rotation(struct vault *v, struct mnv_diag *diag)
{
    if (!keyring_vk_pending(v->kr) || v->legacy || !(v->keys->have & KEYRING_HAVE_VK_NEXT))
        return MNV_OK;
    return vault_vk_finish(v, NULL, NULL, diag);
}

static enum mnv_err upgrade_finish_fn(struct keyring *kr, void *ud)
{
    (void)ud;
    keyring_upgrade_finish(kr);
    return MNV_OK;
}

/* A format-1 upgrade after its re-sealing step: rekey to VK, forget MK and its epochs. */
static enum mnv_err finish_upgrade(struct vault *v, struct mnv_diag *diag)
{
    if (v->legacy || !(keyring_flags(v->kr) & KEYRING_F_UPGRADING))
        return MNV_OK;
    enum mnv_err err = vault_rekey(v, diag);
    if (err == MNV_OK)
        err = vault_keyring_update(v, upgrade_finish_fn, NULL, diag);
    if (err == MNV_OK) {
        struct keyring_keys *k = v->keys;
        sodium_memzero(k->mk, sizeof(k->mk));
        k->have &= ~(unsigned)KEYRING_HAVE_MK;
        err = vault_refresh_subkeys(v);
    }
    return err;
}

static enum mnv_err open_checks(struct vault *v, const char *dir, struct mnv_diag *diag)
{
    int schema = vault_schema_of(v);
    if (schema < 0)
        return vault_sql_error(v, sqlite3_errcode(v->db), diag);
    if (keyring_version(v->kr) == 1 && schema >= VAULT_STEP_KEYS)
        return MNV_ERR_KEYFILE_ROLLBACK; /* a format-1 key file put back after the upgrade */
    enum mnv_err err = vault_derive_subkeys(v, schema);
    if (err == MNV_OK && !v->legacy)
        err = vault_migrate(v, vault_schema_latest(), diag);
    if (err == MNV_OK && !v->legacy)
        err = vault_derive_subkeys(v, vault_schema_latest());
    if (err == MNV_OK)
        err = check_pairing(v, diag);
    if (err == MNV_OK && !v->legacy)
        err = vault_keyfile_check(v, diag);
    if (err == MNV_OK && !v->legacy && v->keyfile_repaired)
        err = vault_derive_subkeys(v, vault_schema_latest());
    struct keyring_anchor a;
    keyring_anchor_get(v->kr, &a);
    if (err == MNV_OK)
        err = auditlog_check_anchor(v, &a, diag);
    if (err == MNV_OK)
        err = catch_up_anchor(v, diag);
    if (err == MNV_OK)
        err = finish_upgrade(v, diag);
    if (err == MNV_OK)
        err = finish_vk_rotation(v, diag);
    if (err != MNV_OK && diag && !diag->where[0])
        mnv_diag_where(diag, "%s/%s", dir, VAULT_DB_FILE);
    return err;
}

enum mnv_err vault_open(const char *dir, struct keyring *kr, const struct keyring_keys *keys,
                        const struct vault_options *o, struct vault **out, struct mnv_diag *diag)
{
    *out = NULL;
    char path[PATH_MAX];
    if (snprintf(path, sizeof(path), "%s/%s", dir, VAULT_DB_FILE) >= (int)sizeof(path))
        return MNV_ERR_TOO_LONG;
    struct stat st;
    if (lstat(path, &st) != 0) {
        mnv_diag_where(diag, "%s", path);
        return errno == ENOENT ? MNV_ERR_DB_MISSING : MNV_ERR_IO;
    }
    struct vault *v;
    enum mnv_err err = vault_alloc(kr, keys, o, &v);
    if (err != MNV_OK)
        return err;
    snprintf(v->path, sizeof(v->path), "%s", path);
    /* An upgrade half way: MK is kept under VK until the database is re-sealed. */
    if ((keyring_flags(kr) & KEYRING_F_UPGRADING) && !(v->keys->have & KEYRING_HAVE_MK))
        err = keyring_upgrade_mk(kr, v->keys);
    if (err == MNV_OK)
        err = vault_connect(v, path, 0, diag);
    if (err == MNV_OK)
        err = open_checks(v, dir, diag);
    if (err != MNV_OK) {
        vault_close(v);
        return err;
    }
    *out = v;
    return MNV_OK;
}

/* Roll back, finalize and close the connection: SQLCipher wipes its copy of the key and the
 * pages it decrypted as it frees them (and the allocator above wipes whatever SQLite frees). */
static void disconnect(struct vault *v)
{
    if (!v->db)
        return;
    if (v->in_tx)
        sqlite3_exec(v->db, "ROLLBACK", NULL, NULL, NULL);
    v->in_tx = 0;
    vault_finalize_all(v);
    if (sqlite3_close(v->db) != SQLITE_OK) /* a statement left open: never expected */
        sqlite3_close_v2(v->db);
    v->db = NULL;
}

void vault_close(struct vault *v)
{
    if (!v)
        return;
    disconnect(v);
    for (size_t i = 0; i < VAULT_EPOCH_CACHE; i++)
        secmem_free(v->epochs[i].key);
    secmem_free(v->sub);
    keyring_keys_free(v->keys);
    memset(v, 0, sizeof(*v));
    free(v);
}

void vault_suspend(struct vault *v)
{
    disconnect(v);
    vault_epoch_reload(v);
    sodium_memzero(v->sub, (size_t)K_COUNT * VCRYPTO_KEY_LEN + VAULT_SCRATCH_LEN + VAULT_DRBG_BUF);
    v->have_sub = 0;
    v->drbg_left = 0;
    sodium_memzero(v->keys, sizeof(*v->keys));
    v->suspended = 1;
}

int vault_suspended(const struct vault *v)
{
    return v->suspended;
}

enum mnv_err vault_resume(struct vault *v, const struct keyring_keys *keys, struct mnv_diag *diag)
{
    if (!v->suspended)
        return MNV_ERR_INVALID;
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", v->path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    struct vault *n;
    enum mnv_err err = vault_open(slash ? dir : ".", v->kr, keys, &v->opt, &n, diag);
    if (err != MNV_OK)
        return err;
    /* The new connection takes the place of the old (callers keep their pointer to v). */
    secmem_free(v->sub);
    keyring_keys_free(v->keys);
    *v = *n;
    memset(n, 0, sizeof(*n));
    free(n);
    return MNV_OK;
}

/* ---- keys ------------------------------------------------------------------------------ */

struct keyring *vault_keyring(struct vault *v)
{
    return v->kr;
}

struct keyring_keys *vault_keys(struct vault *v)
{
    return v->keys;
}

int vault_has_numbers(const struct vault *v)
{
    return (v->keys->have & KEYRING_HAVE_NK) &&
           v->keys->nk_id == keyring_key_id(v->kr, KEYRING_KEY_NK) && !v->legacy;
}

int vault_legacy(const struct vault *v)
{
    return v->legacy;
}

unsigned vault_keyfile_noticed(const struct vault *v)
{
    return (v->state_rollback ? VAULT_NOTICED_STATE : 0) |
           (v->keyfile_repaired ? VAULT_NOTICED_REPAIRED : 0) |
           (v->keyfile_step ? VAULT_NOTICED_STEP : 0);
}

void vault_random(struct vault *v, unsigned char *out, size_t len)
{
    /* The keystream comes 1024 bytes at a time (one call of the cipher instead of one per
     * value: a bulk insert draws 80 bytes a row); each part is wiped once handed out. One
     * 96-bit IETF nonce per block of 1024 (the counter): no keystream is ever used twice. */
    unsigned char *buf = v->sub + (size_t)K_COUNT * VCRYPTO_KEY_LEN + VAULT_SCRATCH_LEN;
    if (len > VAULT_DRBG_BUF)
        len = VAULT_DRBG_BUF;
    if (len > v->drbg_left) {
        unsigned char nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {0};
        uint64_t c = v->drbg_counter++;
        for (int i = 0; i < 8; i++)
            nonce[i] = (unsigned char)(c >> (8 * i));
        crypto_stream_chacha20_ietf(buf, VAULT_DRBG_BUF, nonce,
                                    v->sub + (size_t)K_DRBG * VCRYPTO_KEY_LEN);
        v->drbg_left = VAULT_DRBG_BUF;
    }
    unsigned char *p = buf + VAULT_DRBG_BUF - v->drbg_left;
    memcpy(out, p, len);
    sodium_memzero(p, len);
    v->drbg_left -= len;
}

unsigned char *vault_scratch(struct vault *v)
{
    return v->sub + (size_t)K_COUNT * VCRYPTO_KEY_LEN;
}

void vault_epoch_reload(struct vault *v)
{
    for (size_t i = 0; i < VAULT_EPOCH_CACHE; i++) {
        secmem_free(v->epochs[i].key);
        v->epochs[i].key = NULL;
        v->epochs[i].id = 0;
    }
}

enum mnv_err vault_epoch_key(struct vault *v, uint32_t id, const unsigned char **key)
{
    *key = NULL;
    size_t free_slot = VAULT_EPOCH_CACHE;
    for (size_t i = 0; i < VAULT_EPOCH_CACHE; i++) {
        if (v->epochs[i].id == id && id != 0) {
            *key = v->epochs[i].key;
            return MNV_OK;
        }
        if (v->epochs[i].id == 0 && free_slot == VAULT_EPOCH_CACHE)
            free_slot = i;
    }
    if (free_slot == VAULT_EPOCH_CACHE) {
        vault_epoch_reload(v);
        free_slot = 0;
    }
    unsigned char *k = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!k)
        return MNV_ERR_NOMEM;
    enum mnv_err err = keyring_epoch_key(v->kr, id, v->keys, k);
    if (err != MNV_OK) {
        secmem_free(k);
        return err;
    }
    v->epochs[free_slot].id = id;
    v->epochs[free_slot].key = k;
    *key = k;
    return MNV_OK;
}

/* ---- transactions ------------------------------------------------------------------------ */

static enum mnv_err begin_tx(struct vault *v, const char *sql, struct mnv_diag *diag)
{
    if (!v->db)
        return MNV_ERR_SESSION_LOCKED;
    if (v->in_tx)
        return MNV_ERR_INVALID;
    enum mnv_err err = vault_exec(v, sql, diag);
    if (err != MNV_OK)
        return err;
    v->in_tx = 1;
    v->next_sql = NULL;
    v->tx_head_seq = v->head_seq;
    memcpy(v->tx_head, v->head, sizeof(v->head));
    return MNV_OK;
}

/*
 * If another process rewrote the key file since this one last looked (a new epoch key, a
 * rotation, a new user), read it again and open the envelopes of this connection's slot
 * again, so that nothing is wrapped under a key it destroyed.
 */
static enum mnv_err refresh_keyring(struct vault *v, struct mnv_diag *diag)
{
    if (v->creating || v->legacy || !keyring_changed_on_disk(v->kr))
        return MNV_OK;
    enum mnv_err err = keyring_begin(v->kr, NULL, diag);
    if (err != MNV_OK)
        return err;
    keyring_abort(v->kr);
    if (keyring_keys_refresh(v->kr, v->keys) != MNV_OK)
        return MNV_ERR_SESSION_ENDED;
    err = keyring_verify(v->kr, v->keys);
    vault_epoch_reload(v);
    if (err == MNV_OK)
        err = vault_derive_subkeys(v, vault_schema_latest());
    return err;
}

enum mnv_err vault_begin(struct vault *v, struct mnv_diag *diag)
{
    enum mnv_err err = begin_tx(v, "BEGIN IMMEDIATE", diag);
    if (err != MNV_OK)
        return err;
    err = refresh_keyring(v, diag);
    if (err != MNV_OK) {
        vault_rollback(v);
        return err;
    }
    /* Another process may have appended since we last looked. */
    sqlite3_stmt *st;
    err = vault_stmt(v, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &st, diag);
    if (err == MNV_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == VCRYPTO_HASH_LEN) {
            v->head_seq = (uint64_t)sqlite3_column_int64(st, 0);
            memcpy(v->head, sqlite3_column_blob(st, 1), VCRYPTO_HASH_LEN);
        } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            err = vault_sql_error(v, rc, diag);
        }
        sqlite3_reset(st);
    }
    if (err != MNV_OK) {
        vault_rollback(v);
        return err;
    }
    v->tx_head_seq = v->head_seq;
    memcpy(v->tx_head, v->head, sizeof(v->head));
    return MNV_OK;
}

enum mnv_err vault_begin_read(struct vault *v, struct mnv_diag *diag)
{
    return begin_tx(v, "BEGIN", diag);
}

void vault_rollback(struct vault *v)
{
    if (!v->in_tx)
        return;
    sqlite3_exec(v->db, "ROLLBACK", NULL, NULL, NULL);
    v->in_tx = 0;
    v->next_sql = NULL;
    v->head_seq = v->tx_head_seq;
    memcpy(v->head, v->tx_head, sizeof(v->head));
}

int vault_in_tx(const struct vault *v)
{
    return v->in_tx;
}

static void log_head(const struct vault *v)
{
    if (!v->opt.syslog)
        return;
    char hex[2 * VCRYPTO_HASH_LEN + 1];
    vcrypto_hex(hex, v->head, VCRYPTO_HASH_LEN);
    syslogmsg_send(LOG_NOTICE, "audit head seq=%llu hash=%s", (unsigned long long)v->head_seq, hex);
}

/* A change committed whose key file could not be put in place after it (vault_keyfile_late()):
 * one per process, for the command's or the screen's final word. */
static struct {
    enum mnv_err err; /* MNV_OK: none */
    struct mnv_diag diag;
} late;

enum mnv_err vault_keyfile_late(struct mnv_diag *diag)
{
    if (late.err != MNV_OK && diag)
        *diag = late.diag;
    return late.err;
}

/*
 * After the COMMIT the prepared key file is renamed into place. When that fails the change
 * stands (vault.db holds it and the key file's journal; the next write or sign-in rolls the
 * file forward: vault_keyfile_check()), and it is reported as done, with vault_keyfile_late().
 * Not when this write added an epoch key: the journal cannot give it back, the next open
 * keeps the file (the documented crash step) and the rotation must stop here.
 */
static enum mnv_err publish_keyfile(struct vault *v, struct mnv_diag *diag)
{
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = keyring_publish(v->kr, &d);
    if (err == MNV_OK) {
        late.err = MNV_OK;
        v->anchored_seq = v->head_seq;
        return MNV_OK;
    }
    if (diag)
        *diag = d;
    if (keyring_epoch_current(v->kr) != v->tx_epoch)
        return err;
    late.err = err;
    late.diag = d;
    if (v->opt.syslog)
        syslogmsg_send(LOG_WARNING, "key file not written after a commit: %s", mnv_err_name(err));
    return MNV_OK;
}

static enum mnv_err commit_common(struct vault *v, vault_keyring_fn fn, void *ud,
                                  struct mnv_diag *diag)
{
    if (!v->in_tx)
        return MNV_ERR_INVALID;
    if (v->legacy) {
        vault_rollback(v);
        return MNV_ERR_INVALID; /* a format-1 vault is read only until its upgrade */
    }
    int moved = v->head_seq != v->tx_head_seq;
    int keyfile = fn || moved || v->creating;
    enum mnv_err err = keyfile ? vault_keyfile_write(v, fn, ud, diag) : MNV_OK;
    if (err != MNV_OK) {
        vault_rollback(v);
        return err;
    }
    /* A user's new slot is on disk before the commit that makes it theirs (keyring.h), and
     * the new key file is written and synced: after the commit only its rename is left. */
    int rc = SQLITE_OK;
    if (keyfile && !v->creating && keyring_has_pending(v->kr))
        err = keyring_write_pending(v->kr, diag);
    if (err == MNV_OK && keyfile && !v->creating)
        err = keyring_prepare(v->kr, v->keys, diag);
    if (err == MNV_OK)
        rc = sqlite3_exec(v->db, "COMMIT", NULL, NULL, NULL);
    if (err != MNV_OK || rc != SQLITE_OK) {
        if (err == MNV_OK)
            err = vault_sql_error(v, rc, diag);
        vault_rollback(v);
        if (keyfile && !v->creating) {
            keyring_abort(v->kr);
            if (keyring_begin(v->kr, NULL, NULL) == MNV_OK) /* forget what was not written */
                keyring_abort(v->kr);
        }
        return err;
    }
    v->in_tx = 0;
    if (!keyfile || v->creating)
        return MNV_OK;
    err = publish_keyfile(v, diag);
    if (err == MNV_OK && moved)
        log_head(v);
    return err;
}

enum mnv_err vault_commit_with(struct vault *v, vault_keyring_fn fn, void *ud,
                               struct mnv_diag *diag)
{
    return commit_common(v, fn, ud, diag);
}

enum mnv_err vault_commit(struct vault *v, struct mnv_diag *diag)
{
    return commit_common(v, NULL, NULL, diag);
}

enum mnv_err vault_keyring_update(struct vault *v, vault_keyring_fn fn, void *ud,
                                  struct mnv_diag *diag)
{
    enum mnv_err err = vault_begin(v, diag);
    if (err == MNV_OK)
        err = commit_common(v, fn, ud, diag);
    return err;
}

enum mnv_err vault_next_id(struct vault *v, const char *max_sql, int64_t *id, struct mnv_diag *diag)
{
    if (!v->in_tx)
        return MNV_ERR_INVALID;
    if (v->next_sql != max_sql) {
        sqlite3_stmt *st;
        enum mnv_err err = vault_stmt(v, max_sql, &st, diag);
        if (err != MNV_OK)
            return err;
        int rc = sqlite3_step(st);
        int64_t max = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
            return vault_sql_error(v, rc, diag);
        v->next_sql = max_sql;
        v->next_id = max + 1;
    }
    *id = v->next_id++;
    return MNV_OK;
}

void vault_audit_head(const struct vault *v, uint64_t *seq, unsigned char hash[VCRYPTO_HASH_LEN])
{
    *seq = v->head_seq;
    memcpy(hash, v->head, VCRYPTO_HASH_LEN);
}

void vault_audit_set_head(struct vault *v, uint64_t seq, const unsigned char hash[VCRYPTO_HASH_LEN])
{
    v->head_seq = seq;
    memcpy(v->head, hash, VCRYPTO_HASH_LEN);
}
