/*
 * vault_keys.c: the connection's keys and the key file's journal. The subkeys derived at
 * open; every change of the key file's protected part journaled in vault.db (table keyfile)
 * in the transaction it goes with and written to the file after the commit; and the check
 * made at open, which rolls a key file that is behind the journal, or differs from it,
 * forward (doc/vault-format.md, "Rollback and tampering").
 */
#include "vault_int.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mnvault/secmem.h"

/* ---- subkeys ------------------------------------------------------------------------------ */

static unsigned char *slot_of(struct vault *v, int k)
{
    return v->sub + (size_t)k * VCRYPTO_KEY_LEN;
}

/* The field key: VK's in a format-2 vault (step 9 re-seals a format-1 vault's TOTP secrets
 * from MK's field key, which is kept as the old one meanwhile), MK's in a format-1 vault. */
static enum mnv_err derive_field(struct vault *v)
{
    const struct keyring_keys *k = v->keys;
    if (k->have & KEYRING_HAVE_MK) {
        if (vcrypto_derive(slot_of(v, K_OLD_FIELD), VCRYPTO_SUB_FIELD, k->mk) != MNV_OK ||
            vcrypto_derive(slot_of(v, K_OLD_BLIND), VCRYPTO_SUB_BLIND, k->mk) != MNV_OK)
            return MNV_ERR_CRYPTO;
        v->have_sub |= 1u << K_OLD_FIELD | 1u << K_OLD_BLIND;
    }
    if (keyring_version(v->kr) == 1) {
        if (!(k->have & KEYRING_HAVE_MK))
            return MNV_ERR_DB_KEY;
        memcpy(slot_of(v, K_FIELD), slot_of(v, K_OLD_FIELD), VCRYPTO_KEY_LEN);
        v->have_sub |= 1u << K_FIELD;
        return MNV_OK;
    }
    const unsigned char *vk = NULL;
    if ((k->have & KEYRING_HAVE_VK) && k->vk_id == keyring_key_id(v->kr, KEYRING_KEY_VK))
        vk = k->vk;
    if (!vk)
        return MNV_ERR_DB_KEY;
    if (vcrypto_derive_root(slot_of(v, K_FIELD), VCRYPTO_ROOT_VK, VCRYPTO_VK_FIELD, vk) != MNV_OK)
        return MNV_ERR_CRYPTO;
    v->have_sub |= 1u << K_FIELD;
    return MNV_OK;
}

static enum mnv_err derive_numbers(struct vault *v, int schema)
{
    const struct keyring_keys *k = v->keys;
    if ((k->have & KEYRING_HAVE_NK) && k->nk_id == keyring_key_id(v->kr, KEYRING_KEY_NK) &&
        keyring_version(v->kr) == 2) {
        if (vcrypto_derive_root(slot_of(v, K_BLIND), VCRYPTO_ROOT_NK, VCRYPTO_NK_BLIND, k->nk) !=
            MNV_OK)
            return MNV_ERR_CRYPTO;
        v->have_sub |= 1u << K_BLIND;
        enum mnv_err err = keyring_cert_key(v->kr, k, slot_of(v, K_CERT));
        if (err == MNV_OK)
            v->have_sub |= 1u << K_CERT;
        else if (err != MNV_ERR_NOT_FOUND)
            return err;
    } else if (keyring_version(v->kr) == 1 && schema < VAULT_STEP_KEYS &&
               (k->have & KEYRING_HAVE_MK)) {
        memcpy(slot_of(v, K_BLIND), slot_of(v, K_OLD_BLIND), VCRYPTO_KEY_LEN);
        v->have_sub |= 1u << K_BLIND;
    }
    return MNV_OK;
}

enum mnv_err vault_derive_subkeys(struct vault *v, int schema)
{
    v->have_sub = 1u << K_DRBG;
    sodium_memzero(v->sub, (size_t)K_DRBG * VCRYPTO_KEY_LEN);
    sodium_memzero(v->sub + (size_t)(K_DRBG + 1) * VCRYPTO_KEY_LEN,
                   (size_t)(K_COUNT - K_DRBG - 1) * VCRYPTO_KEY_LEN);
    enum mnv_err err = derive_field(v);
    if (err == MNV_OK)
        err = derive_numbers(v, schema);
    if (err == MNV_OK) {
        err = keyring_chain_key(v->kr, v->keys, slot_of(v, K_CHAIN));
        if (err == MNV_OK)
            v->have_sub |= 1u << K_CHAIN;
    }
    return err;
}

const unsigned char *vault_subkey(const struct vault *v, enum vault_subkey_id id)
{
    static const int map[] = {
        [VAULT_SUB_FIELD] = K_FIELD,         [VAULT_SUB_CHAIN] = K_CHAIN,
        [VAULT_SUB_BLIND] = K_BLIND,         [VAULT_SUB_CERT] = K_CERT,
        [VAULT_SUB_OLD_FIELD] = K_OLD_FIELD, [VAULT_SUB_OLD_BLIND] = K_OLD_BLIND};
    if ((unsigned)id >= MNV_ARRAY_LEN(map) || !(v->have_sub & (1u << map[id])))
        return NULL;
    return v->sub + (size_t)map[id] * VCRYPTO_KEY_LEN;
}

/* ---- the journal -------------------------------------------------------------------------- */

struct journal {
    int present;
    uint64_t generation, state_seq;
    unsigned char *image; /* malloc'd */
    size_t len;
};

static enum mnv_err journal_read(struct vault *v, struct journal *j, struct mnv_diag *diag)
{
    memset(j, 0, sizeof(*j));
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v, "SELECT generation, image, state_seq FROM keyfile WHERE id = 1", &st, diag);
    if (err != MNV_OK)
        return err;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        j->generation = (uint64_t)sqlite3_column_int64(st, 0);
        j->state_seq = (uint64_t)sqlite3_column_int64(st, 2);
        j->len = (size_t)sqlite3_column_bytes(st, 1);
        j->image = malloc(j->len ? j->len : 1);
        if (!j->image)
            err = MNV_ERR_NOMEM;
        else if (j->len)
            memcpy(j->image, sqlite3_column_blob(st, 1), j->len);
        j->present = err == MNV_OK;
    } else if (rc != SQLITE_DONE) {
        err = vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    return err;
}

/* Record kr's protected part (as it will be written) in the open write transaction. */
static enum mnv_err journal_write(struct vault *v, struct mnv_diag *diag)
{
    unsigned char *img;
    size_t len;
    enum mnv_err err = keyring_serialize(v->kr, NULL, KEYRING_IMAGE_JOURNAL, &img, &len);
    if (err != MNV_OK)
        return err;
    sqlite3_stmt *st;
    err = vault_stmt(v,
                     "INSERT OR REPLACE INTO keyfile(id, generation, image, state_seq)"
                     " VALUES (1, ?1, ?2, ?3)",
                     &st, diag);
    if (err == MNV_OK) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)keyring_generation(v->kr));
        sqlite3_bind_blob(st, 2, img, (int)len, SQLITE_STATIC);
        /* The file write that follows counts one more write of the login state. */
        sqlite3_bind_int64(st, 3, (sqlite3_int64)(keyring_state_seq(v->kr) + 1));
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            err = vault_sql_error(v, rc, diag);
    }
    free(img);
    return err;
}

/* Does the file's protected part say what the journal says? */
static int file_matches(struct vault *v, const struct journal *j)
{
    unsigned char *img;
    size_t len;
    if (keyring_serialize(v->kr, NULL, KEYRING_IMAGE_JOURNAL, &img, &len) != MNV_OK)
        return 0;
    int same = len == j->len && memcmp(img, j->image, len) == 0;
    free(img);
    return same;
}

/*
 * With the folder locked and the file re-read, against the journal (the key file is written
 * after the commit that journals it):
 *   the same generation and content: nothing to do;
 *   behind or altered: a crash between a commit and its file write, or an old copy put
 *     back, or an edit: the file takes the journal's protected part (*adopted), keeping its
 *     own sealed secrets (epoch keys, sealing state), which the journal does not hold. That
 *     needs every epoch key the journal lists. One exception, the documented crash step:
 *     when the file is one write behind and that write added an epoch key the file lacks
 *     (a crash right after a rotation began), the file stands (*step) and the journal is
 *     written again from it; no record uses that epoch yet. Two or more writes behind and
 *     lacking an epoch key: MNV_ERR_KEYFILE_ROLLBACK (rolling forward would lose numbers;
 *     nothing is written);
 *   ahead: the database is older than its key file (MNV_ERR_DB_ROLLBACK).
 */
static enum mnv_err catch_up_file(struct vault *v, const struct journal *j, int *adopted, int *step)
{
    *adopted = *step = 0;
    if (!j->present)
        return MNV_OK;
    uint64_t gen = keyring_generation(v->kr);
    if (gen > j->generation)
        return MNV_ERR_DB_ROLLBACK; /* the database is older than its key file */
    if (gen == j->generation && file_matches(v, j))
        return MNV_OK;
    enum mnv_err err = keyring_journal_epochs_held(v->kr, j->image, j->len);
    if (err != MNV_OK && gen + 1 == j->generation) {
        *step = 1;
        return MNV_OK;
    }
    if (err == MNV_OK)
        err = keyring_adopt_journal(v->kr, j->image, j->len);
    if (err == MNV_OK)
        *adopted = 1;
    return err;
}

/* After a rotation elsewhere, or an adopted journal: the keys this connection holds. */
static enum mnv_err refresh_keys(struct vault *v)
{
    const struct keyring *kr = v->kr;
    const struct keyring_keys *k = v->keys;
    if (k->vk_id == keyring_key_id(kr, KEYRING_KEY_VK) &&
        (!(k->have & KEYRING_HAVE_NK) || k->nk_id == keyring_key_id(kr, KEYRING_KEY_NK)) &&
        (!(k->have & KEYRING_HAVE_BK) || k->bk_id == keyring_key_id(kr, KEYRING_KEY_BK)) &&
        !keyring_vk_pending(kr))
        return MNV_OK;
    return keyring_keys_refresh(kr, v->keys) == MNV_OK ? MNV_OK : MNV_ERR_SESSION_ENDED;
}

enum mnv_err vault_keyfile_check(struct vault *v, struct mnv_diag *diag)
{
    struct journal j;
    enum mnv_err err = vault_begin(v, diag); /* the write lock: no writer meanwhile */
    if (err == MNV_OK)
        err = journal_read(v, &j, diag);
    if (err != MNV_OK) {
        vault_rollback(v);
        return err;
    }
    /* A crash between a commit and its file write leaves the file one protected write and
     * one state write behind; anything older lost login state (an old copy put back). */
    uint64_t seq = keyring_state_seq(v->kr);
    if (j.present && seq < j.state_seq &&
        !(seq + 1 == j.state_seq && keyring_generation(v->kr) + 1 == j.generation))
        v->state_rollback = 1;
    if (j.present && keyring_generation(v->kr) == j.generation && file_matches(v, &j)) {
        free(j.image);
        vault_rollback(v);
        return MNV_OK;
    }
    err = keyring_begin(v->kr, v->keys, diag);
    int adopted = 0, step = 0;
    if (err == MNV_OK)
        err = catch_up_file(v, &j, &adopted, &step);
    if (err == MNV_OK && adopted)
        err = refresh_keys(v);
    if (err == MNV_OK && !adopted)
        err = journal_write(v, diag); /* the first journal, or the crash step's */
    if (err == MNV_OK)
        err = vault_exec(v, "COMMIT", diag);
    if (err == MNV_OK) {
        v->in_tx = 0;
        err = keyring_commit(v->kr, v->keys, diag);
        v->keyfile_repaired = adopted;
        v->keyfile_step = step;
    } else {
        keyring_abort(v->kr);
        vault_rollback(v);
    }
    free(j.image);
    return err;
}

/*
 * Inside the open write transaction, before COMMIT: lock and re-read the key file, catch it
 * up with the journal if it is behind, move the anchor, apply fn, raise the generation and
 * journal the result. The caller commits, then writes the file with keyring_commit().
 */
enum mnv_err vault_keyfile_write(struct vault *v, vault_keyring_fn fn, void *ud,
                                 struct mnv_diag *diag)
{
    struct keyring_anchor a;
    enum mnv_err err = MNV_OK;
    if (!v->creating) {
        struct journal j;
        err = journal_read(v, &j, diag);
        if (err == MNV_OK)
            err = keyring_begin(v->kr, v->keys, diag);
        int adopted = 0, step = 0;
        if (err == MNV_OK)
            err = catch_up_file(v, &j, &adopted, &step);
        if (err == MNV_OK && adopted)
            err = refresh_keys(v);
        /* A file behind its journal (a write after a commit failed) is written as the journal
         * has it before this change: if this change's own write then fails, the file is one
         * write behind, never two (a new epoch key the journal cannot give back). */
        if (err == MNV_OK && adopted)
            err = keyring_save(v->kr, v->keys, diag);
        free(j.image);
    }
    if (err == MNV_OK) {
        keyring_anchor_get(v->kr, &a);
        /* Another process may have anchored a later head of the same log: keep the later. */
        if (v->head_seq > a.seq) {
            a.seq = v->head_seq;
            memcpy(a.head, v->head, sizeof(a.head));
            keyring_anchor_set(v->kr, &a);
        }
        v->tx_epoch = keyring_epoch_current(v->kr);
        if (fn)
            err = fn(v->kr, ud);
    }
    if (err == MNV_OK) {
        keyring_bump(v->kr);
        err = journal_write(v, diag);
    }
    if (err != MNV_OK && !v->creating)
        keyring_abort(v->kr);
    return err;
}

enum mnv_err vault_keyfile_journal(struct vault *v, struct mnv_diag *diag)
{
    return journal_write(v, diag);
}

enum mnv_err vault_refresh_subkeys(struct vault *v)
{
    vault_epoch_reload(v);
    return vault_derive_subkeys(v, vault_schema_of(v));
}
