/* rowseal.c: personal data sealed row by row under per-row data keys (rowseal.h). */
#include "mnvault/rowseal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/keyring.h"
#include "mnvault/secmem.h"

void rowseal_ad_begin(struct rowseal_ad *ad, const char *tag)
{
    size_t n = strlen(tag);
    if (n > 48)
        n = 48;
    memcpy(ad->b, tag, n);
    ad->n = n;
}

static void put_le(struct rowseal_ad *ad, uint64_t v, size_t bytes)
{
    if (ad->n + bytes > sizeof(ad->b))
        return;
    for (size_t i = 0; i < bytes; i++)
        ad->b[ad->n++] = (unsigned char)(v >> (8 * i));
}

void rowseal_ad_u64(struct rowseal_ad *ad, uint64_t v)
{
    put_le(ad, v, 8);
}

void rowseal_ad_u32(struct rowseal_ad *ad, uint32_t v)
{
    put_le(ad, v, 4);
}

void rowseal_ad_u8(struct rowseal_ad *ad, unsigned v)
{
    put_le(ad, v & 0xFF, 1);
}

static void wrap_ad(struct rowseal_ad *ad, const char *tag, int64_t id, uint32_t epoch)
{
    rowseal_ad_begin(ad, tag);
    rowseal_ad_u64(ad, (uint64_t)id);
    rowseal_ad_u32(ad, epoch);
}

enum mnv_err rowseal_seal(struct vault *v, const char *wrap_tag, int64_t id,
                          const struct rowseal_ad *text_ad, const void *text, size_t len,
                          uint32_t *epoch, unsigned char wrapped[ROWSEAL_WRAPPED_LEN],
                          unsigned char *ct)
{
    *epoch = keyring_epoch_current(vault_keyring(v));
    const unsigned char *ek;
    enum mnv_err err = vault_epoch_key(v, *epoch, &ek);
    if (err != MNV_OK)
        return err;
    unsigned char *dk = vault_scratch(v), *n1 = dk + VCRYPTO_KEY_LEN, *n2 = n1 + VCRYPTO_NONCE_LEN;
    vault_random(v, dk, VCRYPTO_KEY_LEN + 2 * VCRYPTO_NONCE_LEN);
    struct rowseal_ad ad;
    wrap_ad(&ad, wrap_tag, id, *epoch);
    err = vcrypto_seal_nonce(wrapped, n1, dk, VCRYPTO_KEY_LEN, ad.b, ad.n, ek);
    if (err == MNV_OK)
        err = vcrypto_seal_nonce(ct, n2, text, len, text_ad->b, text_ad->n, dk);
    secmem_wipe(dk, VCRYPTO_KEY_LEN + 2 * VCRYPTO_NONCE_LEN);
    return err;
}

/* Open a wrapped data key of row id under epoch into key (secmem). */
static enum mnv_err unwrap(struct vault *v, const char *tag, int64_t id, uint32_t epoch,
                           const void *wrapped, int wlen, unsigned char *key)
{
    if (wlen != ROWSEAL_WRAPPED_LEN || !wrapped)
        return MNV_ERR_SEAL_BROKEN;
    const unsigned char *ek;
    enum mnv_err err = vault_epoch_key(v, epoch, &ek);
    if (err != MNV_OK)
        return err;
    struct rowseal_ad ad;
    wrap_ad(&ad, tag, id, epoch);
    return vcrypto_open(key, wrapped, ROWSEAL_WRAPPED_LEN, ad.b, ad.n, ek);
}

enum mnv_err rowseal_open(struct vault *v, const char *wrap_tag, int64_t id, uint32_t epoch,
                          const void *wrapped, int wlen, const struct rowseal_ad *text_ad,
                          const void *ct, int ctlen, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (!ct || ctlen < VCRYPTO_SEAL_OVERHEAD || (size_t)ctlen > max + VCRYPTO_SEAL_OVERHEAD)
        return MNV_ERR_SEAL_BROKEN;
    unsigned char *dk = vault_scratch(v);
    enum mnv_err err = unwrap(v, wrap_tag, id, epoch, wrapped, wlen, dk);
    size_t n = (size_t)ctlen - VCRYPTO_SEAL_OVERHEAD;
    char *text = err == MNV_OK ? secmem_alloc(n + 1) : NULL;
    if (err == MNV_OK && !text)
        err = MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = vcrypto_open((unsigned char *)text, ct, (size_t)ctlen, text_ad->b, text_ad->n, dk);
    secmem_wipe(dk, VCRYPTO_KEY_LEN);
    if (err != MNV_OK) {
        secmem_free(text);
        return err;
    }
    text[n] = '\0';
    *out = text;
    *len = n;
    return MNV_OK;
}

static enum mnv_err rewrap_one(struct vault *v, sqlite3_stmt *up, const char *tag, int64_t id,
                               uint32_t epoch, const void *old, int oldlen, uint32_t current,
                               const unsigned char *ek, struct mnv_diag *diag)
{
    unsigned char *dk = vault_scratch(v);
    unsigned char wrapped[ROWSEAL_WRAPPED_LEN];
    struct rowseal_ad ad;
    wrap_ad(&ad, tag, id, current);
    enum mnv_err err = unwrap(v, tag, id, epoch, old, oldlen, dk);
    if (err == MNV_OK)
        err = vcrypto_seal(wrapped, dk, VCRYPTO_KEY_LEN, ad.b, ad.n, ek);
    secmem_wipe(dk, VCRYPTO_KEY_LEN);
    if (err != MNV_OK) {
        if (diag)
            diag->line = (long)id;
        return err;
    }
    sqlite3_reset(up);
    sqlite3_bind_int64(up, 1, id);
    sqlite3_bind_int64(up, 2, current);
    sqlite3_bind_blob(up, 3, wrapped, sizeof(wrapped), SQLITE_TRANSIENT);
    int rc = sqlite3_step(up);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err rowseal_rewrap_table(struct vault *v, const char *table, const char *wrap_tag,
                                  long *count, struct mnv_diag *diag)
{
    *count = 0;
    if (!vault_in_tx(v))
        return MNV_ERR_INVALID;
    uint32_t current = keyring_epoch_current(vault_keyring(v));
    const unsigned char *ek;
    enum mnv_err err = vault_epoch_key(v, current, &ek);
    if (err != MNV_OK)
        return err;
    char sql[2][160];
    snprintf(sql[0], sizeof(sql[0]),
             "SELECT id, key_epoch, wrapped_key FROM %s WHERE key_epoch <> ?1 ORDER BY id", table);
    snprintf(sql[1], sizeof(sql[1]), "UPDATE %s SET key_epoch = ?2, wrapped_key = ?3 WHERE id = ?1",
             table);
    sqlite3_stmt *sel = NULL, *up = NULL;
    int rc = sqlite3_prepare_v2(vault_db(v), sql[0], -1, &sel, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(vault_db(v), sql[1], -1, &up, NULL);
    if (rc != SQLITE_OK) {
        err = vault_sql_error(v, rc, diag);
        sqlite3_finalize(sel);
        return err;
    }
    sqlite3_bind_int64(sel, 1, current);
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        err = rewrap_one(v, up, wrap_tag, sqlite3_column_int64(sel, 0),
                         (uint32_t)sqlite3_column_int64(sel, 1), sqlite3_column_blob(sel, 2),
                         sqlite3_column_bytes(sel, 2), current, ek, diag);
        if (err != MNV_OK)
            break;
        (*count)++;
    }
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_finalize(up);
    sqlite3_finalize(sel);
    return err;
}
