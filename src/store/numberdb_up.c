/*
 * numberdb_up.c: re-sealing the numbers of a format-1 vault (schema step 9, issue 11). In
 * format 1 a record's data key was wrapped by an epoch key under MK, with associated data
 * binding the record only, and its blind index was keyed from MK. Each record is opened the
 * old way and sealed again: the data key under the new epoch key (under NK), both sealed
 * values now bound to the record's person (kind and id), the blind index keyed from NK.
 * The data key itself and the version stay. Part of numberdb.h.
 */
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "mnvault/keyring.h"
#include "mnvault/secmem.h"
#include "numberdb_int.h"

#define DIGITS 12

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Format 1's associated data: tag || record id:u64 || epoch or version:u32. */
static size_t v1_ad(unsigned char *ad, const char *tag, int64_t id, uint32_t n32)
{
    size_t n = strlen(tag);
    memcpy(ad, tag, n);
    put_le(ad + n, (uint64_t)id, 8);
    put_le(ad + n + 8, n32, 4);
    return n + 12;
}

struct reseal {
    unsigned char *dk, *digits; /* secmem */
    unsigned char wrapped[NUMBER_WRAPPED_LEN], ct[DIGITS + VCRYPTO_SEAL_OVERHEAD];
    unsigned char bi[VCRYPTO_HASH_LEN];
};

/* Open row st (id, version, key_epoch, wrapped, ct, employee, dependent) the format-1 way
 * and seal it the format-2 way into r. */
static enum mnv_err reseal_row(struct vault *v, sqlite3_stmt *st, uint32_t epoch, struct reseal *r)
{
    int64_t id = sqlite3_column_int64(st, 0);
    uint32_t version = (uint32_t)sqlite3_column_int64(st, 1);
    uint32_t old_epoch = (uint32_t)sqlite3_column_int64(st, 2);
    int64_t e = sqlite3_column_int64(st, 5);
    struct person_ref ref = {e ? PERSON_EMPLOYEE : PERSON_DEPENDENT,
                             e ? e : sqlite3_column_int64(st, 6)};
    if (sqlite3_column_bytes(st, 3) != NUMBER_WRAPPED_LEN ||
        sqlite3_column_bytes(st, 4) != DIGITS + VCRYPTO_SEAL_OVERHEAD)
        return MNV_ERR_SEAL_BROKEN;
    const unsigned char *old_ek, *ek;
    unsigned char ad[64];
    enum mnv_err err = vault_epoch_key(v, old_epoch, &old_ek);
    if (err == MNV_OK)
        err = vcrypto_open(r->dk, sqlite3_column_blob(st, 3), NUMBER_WRAPPED_LEN, ad,
                           v1_ad(ad, "numbers.wrapped_key", id, old_epoch), old_ek);
    if (err == MNV_OK)
        err = vcrypto_open(r->digits, sqlite3_column_blob(st, 4), DIGITS + VCRYPTO_SEAL_OVERHEAD,
                           ad, v1_ad(ad, "numbers.ciphertext", id, version), r->dk);
    struct mynumber n;
    memset(&n, 0, sizeof(n));
    if (err == MNV_OK)
        err = mynumber_parse(&n, MYNUMBER_INDIVIDUAL, (const char *)r->digits, DIGITS, NULL);
    if (err == MNV_OK)
        err = numberdb_blind_with(vault_subkey(v, VAULT_SUB_BLIND), &n, r->bi);
    mynumber_clear(&n);
    if (err == MNV_OK)
        err = vault_epoch_key(v, epoch, &ek);
    if (err == MNV_OK)
        err = vcrypto_seal(r->wrapped, r->dk, VCRYPTO_KEY_LEN, ad,
                           numberdb_wrap_ad(ad, id, &ref, epoch), ek);
    if (err == MNV_OK)
        err = vcrypto_seal(r->ct, r->digits, DIGITS, ad, numberdb_number_ad(ad, id, &ref, version),
                           r->dk);
    secmem_wipe(r->dk, VCRYPTO_KEY_LEN);
    secmem_wipe(r->digits, DIGITS);
    return err;
}

static enum mnv_err store_row(struct vault *v, int64_t id, uint32_t epoch, const struct reseal *r,
                              struct mnv_diag *diag)
{
    sqlite3_stmt *up;
    enum mnv_err err = vault_stmt(v,
                                  "UPDATE numbers SET key_epoch = ?2, wrapped_key = ?3,"
                                  " ciphertext = ?4, blind_index = ?5 WHERE id = ?1",
                                  &up, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(up, 1, id);
    sqlite3_bind_int64(up, 2, epoch);
    sqlite3_bind_blob(up, 3, r->wrapped, sizeof(r->wrapped), SQLITE_STATIC);
    sqlite3_bind_blob(up, 4, r->ct, sizeof(r->ct), SQLITE_STATIC);
    sqlite3_bind_blob(up, 5, r->bi, sizeof(r->bi), SQLITE_STATIC);
    int rc = sqlite3_step(up);
    sqlite3_reset(up);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err numberdb_reseal_v1(struct vault *v, struct mnv_diag *diag)
{
    if (!vault_in_tx(v) || !vault_subkey(v, VAULT_SUB_BLIND))
        return MNV_ERR_INVALID;
    uint32_t epoch = keyring_epoch_current(vault_keyring(v));
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(vault_db(v),
                                "SELECT id, version, key_epoch, wrapped_key, ciphertext,"
                                " coalesce(employee_id, 0), coalesce(dependent_id, 0)"
                                " FROM numbers WHERE wrapped_key IS NOT NULL ORDER BY id",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    struct reseal r;
    memset(&r, 0, sizeof(r));
    r.dk = secmem_alloc(VCRYPTO_KEY_LEN);
    r.digits = secmem_alloc(DIGITS + 1);
    enum mnv_err err = r.dk && r.digits ? MNV_OK : MNV_ERR_NOMEM;
    while (err == MNV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        err = reseal_row(v, st, epoch, &r);
        if (err == MNV_OK)
            err = store_row(v, id, epoch, &r, diag);
        if (err != MNV_OK && diag)
            diag->line = (long)id;
    }
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_finalize(st);
    secmem_free(r.dk);
    secmem_free(r.digits);
    return err;
}
