#include "mnvault/numberdb.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "mnvault/clock.h"
#include "mnvault/keyring.h"
#include "mnvault/persondb.h"
#include "mnvault/secmem.h"

#define DIGITS 12

static const char max_number_id[] = "SELECT max(id) FROM numbers";

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static size_t wrap_ad(unsigned char *ad, int64_t id, uint32_t epoch)
{
    static const char tag[] = "numbers.wrapped_key";
    size_t n = sizeof(tag) - 1;
    memcpy(ad, tag, n);
    put_le(ad + n, (uint64_t)id, 8);
    put_le(ad + n + 8, epoch, 4);
    return n + 12;
}

static size_t number_ad(unsigned char *ad, int64_t id, uint32_t version)
{
    static const char tag[] = "numbers.ciphertext";
    size_t n = sizeof(tag) - 1;
    memcpy(ad, tag, n);
    put_le(ad + n, (uint64_t)id, 8);
    put_le(ad + n + 8, version, 4);
    return n + 12;
}

void numberdb_blind_index(struct vault *v, const struct mynumber *n,
                          unsigned char out[VCRYPTO_HASH_LEN])
{
    static const char tag[] = "mnvault-blind-1";
    crypto_generichash_state h;
    crypto_generichash_init(&h, vault_subkey(v, VCRYPTO_SUB_BLIND), VCRYPTO_KEY_LEN,
                            VCRYPTO_HASH_LEN);
    crypto_generichash_update(&h, (const unsigned char *)tag, sizeof(tag) - 1);
    crypto_generichash_update(&h, (const unsigned char *)n->digits, n->len);
    crypto_generichash_final(&h, out, VCRYPTO_HASH_LEN);
    sodium_memzero(&h, sizeof(h));
}

/* ---- reading ---------------------------------------------------------------------------- */

static enum mnv_err read_purposes(struct vault *v, struct number_info *info, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "SELECT purpose, notified_on, recorded_at, recorded_by"
                                  " FROM number_purposes WHERE number_id = ?1"
                                  " ORDER BY notified_on, purpose",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, info->id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && info->n_purposes < NUMBER_PURPOSES_MAX) {
        struct number_purpose *p = &info->purposes[info->n_purposes++];
        snprintf(p->code, sizeof(p->code), "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(p->notified_on, sizeof(p->notified_on), "%s",
                 (const char *)sqlite3_column_text(st, 1));
        p->recorded_at = sqlite3_column_int64(st, 2);
        snprintf(p->recorded_by, sizeof(p->recorded_by), "%s",
                 (const char *)sqlite3_column_text(st, 3));
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

enum mnv_err numberdb_get(struct vault *v, const struct person_ref *ref, struct number_info *info,
                          struct mnv_diag *diag)
{
    memset(info, 0, sizeof(*info));
    sqlite3_stmt *st;
    const char *sql = ref->kind == PERSON_EMPLOYEE
                          ? "SELECT id, status, version, coalesce(key_epoch, 0),"
                            " coalesce(stored_at, 0), coalesce(stored_by, ''),"
                            " coalesce(refused_on, '') FROM numbers WHERE employee_id = ?1"
                          : "SELECT id, status, version, coalesce(key_epoch, 0),"
                            " coalesce(stored_at, 0), coalesce(stored_by, ''),"
                            " coalesce(refused_on, '') FROM numbers WHERE dependent_id = ?1";
    enum mnv_err err = vault_stmt(v, sql, &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, ref->id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        info->id = sqlite3_column_int64(st, 0);
        info->status = person_number_status_parse((const char *)sqlite3_column_text(st, 1));
        info->version = (uint32_t)sqlite3_column_int64(st, 2);
        info->key_epoch = (uint32_t)sqlite3_column_int64(st, 3);
        info->stored_at = sqlite3_column_int64(st, 4);
        snprintf(info->stored_by, sizeof(info->stored_by), "%s",
                 (const char *)sqlite3_column_text(st, 5));
        snprintf(info->refused_on, sizeof(info->refused_on), "%s",
                 (const char *)sqlite3_column_text(st, 6));
    } else if (rc != SQLITE_DONE) {
        err = vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    if (err == MNV_OK && info->id)
        err = read_purposes(v, info, diag);
    return err;
}

/* ---- storing ------------------------------------------------------------------------------ */

/* Who holds this blind index: 0 nobody, else the record id. */
static enum mnv_err blind_owner(struct vault *v, const unsigned char bi[VCRYPTO_HASH_LEN],
                                int64_t *owner, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    *owner = 0;
    enum mnv_err err = vault_stmt(v, "SELECT id FROM numbers WHERE blind_index = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_blob(st, 1, bi, VCRYPTO_HASH_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *owner = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

enum mnv_err numberdb_owner(struct vault *v, const struct mynumber *n, int64_t *number_id,
                            struct mnv_diag *diag)
{
    unsigned char bi[VCRYPTO_HASH_LEN];
    numberdb_blind_index(v, n, bi);
    enum mnv_err err = blind_owner(v, bi, number_id, diag);
    sodium_memzero(bi, sizeof(bi));
    return err;
}

/* A new record row for ref with the given status; *id receives its id. */
static enum mnv_err insert_record(struct vault *v, const struct person_ref *ref, const char *status,
                                  int64_t *id, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    const char *sql = ref->kind == PERSON_EMPLOYEE
                          ? "INSERT INTO numbers(id, employee_id, status, version, updated_at)"
                            " VALUES (?4, ?1, ?2, 0, ?3)"
                          : "INSERT INTO numbers(id, dependent_id, status, version, updated_at)"
                            " VALUES (?4, ?1, ?2, 0, ?3)";
    /* Ids always come from vault_next_id(), so they agree with numberdb_store_new(). */
    enum mnv_err err = vault_next_id(v, max_number_id, id, diag);
    if (err == MNV_OK)
        err = vault_stmt(v, sql, &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, ref->id);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)clock_now());
    sqlite3_bind_int64(st, 4, *id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return MNV_ERR_PERSON_NOT_FOUND;
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    return MNV_OK;
}

/* Fresh data key: wrap it under the current epoch, seal the digits under it. */
static enum mnv_err seal_number(struct vault *v, int64_t id, uint32_t version,
                                const struct mynumber *n, uint32_t *epoch,
                                unsigned char wrapped[NUMBER_WRAPPED_LEN],
                                unsigned char ct[DIGITS + VCRYPTO_SEAL_OVERHEAD])
{
    *epoch = keyring_epoch_current(vault_keyring(v));
    const unsigned char *ek;
    enum mnv_err err = vault_epoch_key(v, *epoch, &ek);
    if (err != MNV_OK)
        return err;
    /* The data key and both nonces from one draw. */
    unsigned char *dk = vault_scratch(v), *n1 = dk + VCRYPTO_KEY_LEN, *n2 = n1 + VCRYPTO_NONCE_LEN;
    vault_random(v, dk, VCRYPTO_KEY_LEN + 2 * VCRYPTO_NONCE_LEN);
    unsigned char ad[48];
    size_t adlen = wrap_ad(ad, id, *epoch);
    err = vcrypto_seal_nonce(wrapped, n1, dk, VCRYPTO_KEY_LEN, ad, adlen, ek);
    if (err == MNV_OK) {
        adlen = number_ad(ad, id, version);
        err = vcrypto_seal_nonce(ct, n2, (const unsigned char *)n->digits, DIGITS, ad, adlen, dk);
    }
    secmem_wipe(dk, VCRYPTO_KEY_LEN + 2 * VCRYPTO_NONCE_LEN);
    return err;
}

static enum mnv_err write_number(struct vault *v, int64_t id, uint32_t version,
                                 const struct mynumber *n, const unsigned char bi[],
                                 const char *user, struct mnv_diag *diag)
{
    uint32_t epoch;
    unsigned char wrapped[NUMBER_WRAPPED_LEN], ct[DIGITS + VCRYPTO_SEAL_OVERHEAD];
    enum mnv_err err = seal_number(v, id, version, n, &epoch, wrapped, ct);
    if (err != MNV_OK)
        return err;
    sqlite3_stmt *st;
    err = vault_stmt(v,
                     "UPDATE numbers SET status = 'registered', version = ?2, key_epoch = ?3,"
                     " wrapped_key = ?4, ciphertext = ?5, blind_index = ?6, stored_at = ?7,"
                     " stored_by = ?8, refused_on = NULL, updated_at = ?7 WHERE id = ?1",
                     &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, version);
    sqlite3_bind_int64(st, 3, epoch);
    sqlite3_bind_blob(st, 4, wrapped, sizeof(wrapped), SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, ct, sizeof(ct), SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, bi, VCRYPTO_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)clock_now());
    sqlite3_bind_text(st, 8, user, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return MNV_ERR_NUMBER_DUPLICATE;
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err numberdb_store(struct vault *v, const struct person_ref *ref, const struct mynumber *n,
                            const char *user, struct number_info *info, struct mnv_diag *diag)
{
    if (n->kind != MYNUMBER_INDIVIDUAL || n->len != DIGITS)
        return MNV_ERR_INVALID;
    unsigned char bi[VCRYPTO_HASH_LEN];
    numberdb_blind_index(v, n, bi);
    struct number_info cur;
    int64_t owner;
    enum mnv_err err = numberdb_get(v, ref, &cur, diag);
    if (err == MNV_OK)
        err = blind_owner(v, bi, &owner, diag);
    if (err != MNV_OK)
        return err;
    if (owner && owner != cur.id)
        return MNV_ERR_NUMBER_DUPLICATE;
    if (owner && owner == cur.id && cur.status == NUMBER_REGISTERED)
        return MNV_ERR_EXISTS;
    if (!cur.id) {
        int exists = persondb_exists(v, ref);
        if (exists < 0)
            return (enum mnv_err)exists;
        if (!exists)
            return MNV_ERR_PERSON_NOT_FOUND;
        err = insert_record(v, ref, "registered", &cur.id, diag);
        if (err != MNV_OK)
            return err;
    }
    err = write_number(v, cur.id, cur.version + 1, n, bi, user, diag);
    if (err == MNV_OK && info)
        err = numberdb_get(v, ref, info, diag);
    return err;
}

static enum mnv_err insert_purpose(struct vault *v, int64_t number_id, const char *code,
                                   const char *date, const char *user, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "INSERT INTO number_purposes(number_id, purpose, notified_on,"
                                  " recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, number_id);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)clock_now());
    sqlite3_bind_text(st, 5, user, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
        return MNV_ERR_PURPOSE_NOTIFIED;
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return MNV_ERR_NUMBER_NONE;
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err numberdb_store_new(struct vault *v, const struct person_ref *ref,
                                const struct mynumber *n, const char *user,
                                const char *const *codes, const char *const *dates, size_t count,
                                struct mnv_diag *diag)
{
    if (n->kind != MYNUMBER_INDIVIDUAL || n->len != DIGITS || count > NUMBER_PURPOSES_MAX)
        return MNV_ERR_INVALID;
    sqlite3_stmt *st;
    int64_t id;
    /* A plain max(): SQLite reads it from the end of the b-tree. */
    enum mnv_err err = vault_next_id(v, max_number_id, &id, diag);
    if (err != MNV_OK)
        return err;
    uint32_t epoch;
    unsigned char bi[VCRYPTO_HASH_LEN], wrapped[NUMBER_WRAPPED_LEN];
    unsigned char ct[DIGITS + VCRYPTO_SEAL_OVERHEAD];
    numberdb_blind_index(v, n, bi);
    err = seal_number(v, id, 1, n, &epoch, wrapped, ct);
    if (err != MNV_OK)
        return err;
    const char *sql = ref->kind == PERSON_EMPLOYEE
                          ? "INSERT INTO numbers(id, employee_id, status, version, key_epoch,"
                            " wrapped_key, ciphertext, blind_index, stored_at, stored_by,"
                            " updated_at) VALUES (?1,?2,'registered',1,?3,?4,?5,?6,?7,?8,?7)"
                          : "INSERT INTO numbers(id, dependent_id, status, version, key_epoch,"
                            " wrapped_key, ciphertext, blind_index, stored_at, stored_by,"
                            " updated_at) VALUES (?1,?2,'registered',1,?3,?4,?5,?6,?7,?8,?7)";
    err = vault_stmt(v, sql, &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, ref->id);
    sqlite3_bind_int64(st, 3, epoch);
    sqlite3_bind_blob(st, 4, wrapped, sizeof(wrapped), SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, ct, sizeof(ct), SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, bi, sizeof(bi), SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)clock_now());
    sqlite3_bind_text(st, 8, user, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return MNV_ERR_NUMBER_DUPLICATE;
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return MNV_ERR_PERSON_NOT_FOUND;
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    for (size_t i = 0; i < count && err == MNV_OK; i++)
        err = insert_purpose(v, id, codes[i], dates[i], user, diag);
    return err;
}

enum mnv_err numberdb_add_purpose(struct vault *v, int64_t number_id, const char *code,
                                  const char *date, const char *user, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v, "SELECT count(*) FROM number_purposes WHERE number_id = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, number_id);
    int rc = sqlite3_step(st);
    long have = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return vault_sql_error(v, rc, diag);
    if (have >= NUMBER_PURPOSES_MAX)
        return MNV_ERR_RANGE;
    return insert_purpose(v, number_id, code, date, user, diag);
}

enum mnv_err numberdb_mark_refused(struct vault *v, const struct person_ref *ref, const char *date,
                                   const char *user, struct number_info *info,
                                   struct mnv_diag *diag)
{
    struct number_info cur;
    enum mnv_err err = numberdb_get(v, ref, &cur, diag);
    if (err != MNV_OK)
        return err;
    if (cur.status == NUMBER_REGISTERED || cur.status == NUMBER_DISPOSED)
        return MNV_ERR_NUMBER_STATE;
    if (!cur.id) {
        err = insert_record(v, ref, "refused", &cur.id, diag);
        if (err != MNV_OK)
            return err;
    }
    sqlite3_stmt *st;
    err = vault_stmt(v,
                     "UPDATE numbers SET status = 'refused', refused_on = ?2, stored_by = ?3,"
                     " updated_at = ?4 WHERE id = ?1",
                     &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, cur.id);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)clock_now());
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    return info ? numberdb_get(v, ref, info, diag) : MNV_OK;
}

/* ---- opening ------------------------------------------------------------------------------ */

enum mnv_err numberdb_unwrap_key(struct vault *v, int64_t number_id, uint32_t epoch,
                                 const unsigned char wrapped[NUMBER_WRAPPED_LEN],
                                 unsigned char key[VCRYPTO_KEY_LEN])
{
    const unsigned char *ek;
    enum mnv_err err = vault_epoch_key(v, epoch, &ek);
    if (err != MNV_OK)
        return err;
    unsigned char ad[48];
    size_t adlen = wrap_ad(ad, number_id, epoch);
    return vcrypto_open(key, wrapped, NUMBER_WRAPPED_LEN, ad, adlen, ek);
}

/* Open the digits of the current row of st (id, version, key_epoch, wrapped, ct). */
static enum mnv_err open_row(struct vault *v, sqlite3_stmt *st, char digits[DIGITS + 1])
{
    int64_t id = sqlite3_column_int64(st, 0);
    uint32_t version = (uint32_t)sqlite3_column_int64(st, 1);
    uint32_t epoch = (uint32_t)sqlite3_column_int64(st, 2);
    if (sqlite3_column_bytes(st, 3) != NUMBER_WRAPPED_LEN ||
        sqlite3_column_bytes(st, 4) != DIGITS + VCRYPTO_SEAL_OVERHEAD)
        return MNV_ERR_SEAL_BROKEN;
    unsigned char *dk = vault_scratch(v);
    enum mnv_err err = numberdb_unwrap_key(v, id, epoch, sqlite3_column_blob(st, 3), dk);
    if (err == MNV_OK) {
        unsigned char ad[48];
        size_t adlen = number_ad(ad, id, version);
        err = vcrypto_open((unsigned char *)digits, sqlite3_column_blob(st, 4),
                           DIGITS + VCRYPTO_SEAL_OVERHEAD, ad, adlen, dk);
        digits[DIGITS] = '\0';
    }
    secmem_wipe(dk, VCRYPTO_KEY_LEN);
    return err;
}

enum mnv_err numberdb_reveal(struct vault *v, const struct person_ref *ref, struct mynumber *out,
                             struct mnv_diag *diag)
{
    mynumber_clear(out);
    sqlite3_stmt *st;
    const char *sql = ref->kind == PERSON_EMPLOYEE
                          ? "SELECT id, version, key_epoch, wrapped_key, ciphertext FROM numbers"
                            " WHERE employee_id = ?1 AND status = 'registered'"
                          : "SELECT id, version, key_epoch, wrapped_key, ciphertext FROM numbers"
                            " WHERE dependent_id = ?1 AND status = 'registered'";
    enum mnv_err err = vault_stmt(v, sql, &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, ref->id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        char *digits = secmem_alloc(DIGITS + 1);
        err = digits ? open_row(v, st, digits) : MNV_ERR_NOMEM;
        if (err == MNV_OK) {
            /* The stored digits were checked when stored; parse again as a guard. */
            err = mynumber_parse(out, MYNUMBER_INDIVIDUAL, digits, DIGITS, NULL);
            if (err != MNV_OK)
                err = MNV_ERR_SEAL_BROKEN;
        }
        secmem_free(digits);
    } else {
        err = rc == SQLITE_DONE ? MNV_ERR_NUMBER_NONE : vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    return err;
}

/* ---- epochs ------------------------------------------------------------------------------- */

enum mnv_err numberdb_rotate_begin(struct vault *v, uint32_t *id, struct mnv_diag *diag)
{
    struct keyring *kr = vault_keyring(v);
    enum mnv_err err = keyring_begin(kr, vault_mk(v), diag);
    if (err != MNV_OK)
        return err;
    err = keyring_epoch_add(kr, vault_mk(v), id);
    if (err != MNV_OK) {
        keyring_abort(kr);
        return err;
    }
    err = keyring_commit(kr, vault_mk(v), diag);
    vault_epoch_reload(v);
    return err;
}

static enum mnv_err rewrap_one(struct vault *v, sqlite3_stmt *sel, uint32_t current,
                               const unsigned char *ek, struct mnv_diag *diag)
{
    int64_t id = sqlite3_column_int64(sel, 0);
    uint32_t epoch = (uint32_t)sqlite3_column_int64(sel, 1);
    if (sqlite3_column_bytes(sel, 2) != NUMBER_WRAPPED_LEN) {
        if (diag)
            diag->line = (long)id;
        return MNV_ERR_SEAL_BROKEN;
    }
    unsigned char *dk = vault_scratch(v);
    unsigned char wrapped[NUMBER_WRAPPED_LEN], ad[48];
    enum mnv_err err = numberdb_unwrap_key(v, id, epoch, sqlite3_column_blob(sel, 2), dk);
    if (err == MNV_OK) {
        size_t adlen = wrap_ad(ad, id, current);
        err = vcrypto_seal(wrapped, dk, VCRYPTO_KEY_LEN, ad, adlen, ek);
    }
    secmem_wipe(dk, VCRYPTO_KEY_LEN);
    if (err != MNV_OK) {
        if (diag)
            diag->line = (long)id;
        return err;
    }
    sqlite3_stmt *up;
    err = vault_stmt(v, "UPDATE numbers SET key_epoch = ?2, wrapped_key = ?3 WHERE id = ?1", &up,
                     diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(up, 1, id);
    sqlite3_bind_int64(up, 2, current);
    sqlite3_bind_blob(up, 3, wrapped, sizeof(wrapped), SQLITE_STATIC);
    int rc = sqlite3_step(up);
    sqlite3_reset(up);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err numberdb_rewrap_all(struct vault *v, long *count, struct mnv_diag *diag)
{
    *count = 0;
    if (!vault_in_tx(v))
        return MNV_ERR_INVALID;
    uint32_t current = keyring_epoch_current(vault_keyring(v));
    const unsigned char *ek;
    enum mnv_err err = vault_epoch_key(v, current, &ek);
    if (err != MNV_OK)
        return err;
    sqlite3_stmt *sel;
    int rc = sqlite3_prepare_v2(vault_db(v),
                                "SELECT id, key_epoch, wrapped_key FROM numbers"
                                " WHERE wrapped_key IS NOT NULL AND key_epoch <> ?1 ORDER BY id",
                                -1, &sel, NULL);
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    sqlite3_bind_int64(sel, 1, current);
    while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
        err = rewrap_one(v, sel, current, ek, diag);
        if (err != MNV_OK)
            break;
        (*count)++;
    }
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_finalize(sel);
    return err;
}

enum mnv_err numberdb_rotate_finish(struct vault *v, size_t *forgotten, struct mnv_diag *diag)
{
    *forgotten = 0;
    struct keyring *kr = vault_keyring(v);
    enum mnv_err err = keyring_begin(kr, vault_mk(v), diag);
    if (err != MNV_OK)
        return err;
    sqlite3_stmt *st;
    err = vault_stmt(v,
                     "SELECT (SELECT count(*) FROM numbers WHERE wrapped_key IS NOT NULL"
                     " AND key_epoch <> ?1) + (SELECT count(*) FROM payroll"
                     " WHERE key_epoch <> ?1) + (SELECT count(*) FROM insurance"
                     " WHERE key_epoch <> ?1)",
                     &st, diag);
    if (err == MNV_OK) {
        sqlite3_bind_int64(st, 1, keyring_epoch_current(kr));
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW)
            err = vault_sql_error(v, rc, diag);
        else if (sqlite3_column_int64(st, 0) != 0)
            err = MNV_ERR_NUMBER_STATE; /* rows still under an old key: keep it */
        sqlite3_reset(st);
    }
    if (err != MNV_OK) {
        keyring_abort(kr);
        return err;
    }
    *forgotten = keyring_epoch_forget_old(kr);
    err = *forgotten ? keyring_commit(kr, vault_mk(v), diag) : MNV_OK;
    if (!*forgotten)
        keyring_abort(kr);
    vault_epoch_reload(v);
    return err;
}

enum mnv_err numberdb_wrapped_key(struct vault *v, int64_t number_id,
                                  unsigned char out[NUMBER_WRAPPED_LEN], uint32_t *epoch,
                                  struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(
        v, "SELECT key_epoch, wrapped_key FROM numbers WHERE id = ?1 AND wrapped_key IS NOT NULL",
        &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, number_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == NUMBER_WRAPPED_LEN) {
        *epoch = (uint32_t)sqlite3_column_int64(st, 0);
        memcpy(out, sqlite3_column_blob(st, 1), NUMBER_WRAPPED_LEN);
    } else {
        err = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? MNV_ERR_NUMBER_NONE
                                                      : vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    return err;
}

enum mnv_err numberdb_check_all(struct vault *v, long *checked, struct mnv_diag *diag)
{
    *checked = 0;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(vault_db(v),
                                "SELECT id, version, key_epoch, wrapped_key, ciphertext,"
                                " blind_index FROM numbers WHERE status = 'registered'"
                                " ORDER BY id",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    char *digits = secmem_alloc(DIGITS + 1);
    struct mynumber *n = secmem_alloc(sizeof(*n));
    enum mnv_err err = (digits && n) ? MNV_OK : MNV_ERR_NOMEM;
    while (err == MNV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        err = open_row(v, st, digits);
        if (err == MNV_OK && mynumber_parse(n, MYNUMBER_INDIVIDUAL, digits, DIGITS, NULL))
            err = MNV_ERR_SEAL_BROKEN;
        if (err == MNV_OK) {
            unsigned char bi[VCRYPTO_HASH_LEN];
            numberdb_blind_index(v, n, bi);
            if (sqlite3_column_bytes(st, 5) != VCRYPTO_HASH_LEN ||
                sodium_memcmp(bi, sqlite3_column_blob(st, 5), VCRYPTO_HASH_LEN) != 0)
                err = MNV_ERR_SEAL_BROKEN;
        }
        if (err != MNV_OK && diag)
            diag->line = (long)sqlite3_column_int64(st, 0);
        if (err == MNV_OK)
            (*checked)++;
    }
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_finalize(st);
    secmem_free(digits);
    if (n)
        mynumber_clear(n);
    secmem_free(n);
    return err;
}

enum mnv_err numberdb_dispose(struct vault *v, int64_t id, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "UPDATE numbers SET status = 'disposed', key_epoch = NULL,"
                                  " wrapped_key = NULL, ciphertext = NULL, blind_index = NULL,"
                                  " updated_at = ?2 WHERE id = ?1 AND status = 'registered'",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)clock_now());
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    if (sqlite3_changes(vault_db(v)) != 1)
        return MNV_ERR_NUMBER_STATE;
    err = vault_stmt(v, "DELETE FROM number_purposes WHERE number_id = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}
