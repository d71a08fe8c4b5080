#include "mnvault/numberdb.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "mnvault/clock.h"
#include "mnvault/insurancedb.h"
#include "mnvault/keyring.h"
#include "mnvault/payrolldb.h"
#include "mnvault/persondb.h"
#include "mnvault/secmem.h"
#include "numberdb_int.h"

#define DIGITS 12

static const char max_number_id[] = "SELECT max(id) FROM numbers";

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* BLAKE2b-256 keyed with key over the domain and the 12 digits; no key, no index. */
enum mnv_err numberdb_blind_with(const unsigned char *key, const struct mynumber *n,
                                 unsigned char out[VCRYPTO_HASH_LEN])
{
    static const char tag[] = "mnvault-blind-1";
    if (!key)
        return MNV_ERR_NUMBER_KEY;
    crypto_generichash_state h;
    crypto_generichash_init(&h, key, VCRYPTO_KEY_LEN, VCRYPTO_HASH_LEN);
    crypto_generichash_update(&h, (const unsigned char *)tag, sizeof(tag) - 1);
    crypto_generichash_update(&h, (const unsigned char *)n->digits, n->len);
    crypto_generichash_final(&h, out, VCRYPTO_HASH_LEN);
    sodium_memzero(&h, sizeof(h));
    return MNV_OK;
}

/* The person a record belongs to, as the associated data binds it. */
static size_t put_person(unsigned char *p, const struct person_ref *ref)
{
    p[0] = ref->kind == PERSON_EMPLOYEE ? 1 : 2;
    put_le(p + 1, (uint64_t)ref->id, 8);
    return 9;
}

/* Format 2: the wrapped data key is bound to the record, its person and the epoch. */
size_t numberdb_wrap_ad(unsigned char *ad, int64_t id, const struct person_ref *ref, uint32_t epoch)
{
    static const char tag[] = "numbers.wrapped_key.2";
    size_t n = sizeof(tag) - 1;
    memcpy(ad, tag, n);
    put_le(ad + n, (uint64_t)id, 8);
    n += 8;
    n += put_person(ad + n, ref);
    put_le(ad + n, epoch, 4);
    return n + 4;
}

/* Format 2: the digits are bound to the record, its person and the version. */
size_t numberdb_number_ad(unsigned char *ad, int64_t id, const struct person_ref *ref,
                          uint32_t version)
{
    static const char tag[] = "numbers.ciphertext.2";
    size_t n = sizeof(tag) - 1;
    memcpy(ad, tag, n);
    put_le(ad + n, (uint64_t)id, 8);
    n += 8;
    n += put_person(ad + n, ref);
    put_le(ad + n, version, 4);
    return n + 4;
}

enum mnv_err numberdb_blind_index(struct vault *v, const struct mynumber *n,
                                  unsigned char out[VCRYPTO_HASH_LEN])
{
    return numberdb_blind_with(vault_subkey(v, VAULT_SUB_BLIND), n, out);
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
                            " coalesce(refused_on, ''), refused_reason FROM numbers"
                            " WHERE employee_id = ?1"
                          : "SELECT id, status, version, coalesce(key_epoch, 0),"
                            " coalesce(stored_at, 0), coalesce(stored_by, ''),"
                            " coalesce(refused_on, ''), refused_reason FROM numbers"
                            " WHERE dependent_id = ?1";
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
        snprintf(info->refused_reason, sizeof(info->refused_reason), "%s",
                 (const char *)sqlite3_column_text(st, 7));
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
    *number_id = 0;
    enum mnv_err err = numberdb_blind_index(v, n, bi);
    if (err == MNV_OK)
        err = blind_owner(v, bi, number_id, diag);
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
static enum mnv_err seal_number(struct vault *v, int64_t id, const struct person_ref *ref,
                                uint32_t version, const struct mynumber *n, uint32_t *epoch,
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
    size_t adlen = numberdb_wrap_ad(ad, id, ref, *epoch);
    err = vcrypto_seal_nonce(wrapped, n1, dk, VCRYPTO_KEY_LEN, ad, adlen, ek);
    if (err == MNV_OK) {
        adlen = numberdb_number_ad(ad, id, ref, version);
        err = vcrypto_seal_nonce(ct, n2, (const unsigned char *)n->digits, DIGITS, ad, adlen, dk);
    }
    secmem_wipe(dk, VCRYPTO_KEY_LEN + 2 * VCRYPTO_NONCE_LEN);
    return err;
}

static enum mnv_err write_number(struct vault *v, int64_t id, const struct person_ref *ref,
                                 uint32_t version, const struct mynumber *n,
                                 const unsigned char bi[], const char *user, struct mnv_diag *diag)
{
    uint32_t epoch;
    unsigned char wrapped[NUMBER_WRAPPED_LEN], ct[DIGITS + VCRYPTO_SEAL_OVERHEAD];
    enum mnv_err err = seal_number(v, id, ref, version, n, &epoch, wrapped, ct);
    if (err != MNV_OK)
        return err;
    sqlite3_stmt *st;
    err = vault_stmt(v,
                     "UPDATE numbers SET status = 'registered', version = ?2, key_epoch = ?3,"
                     " wrapped_key = ?4, ciphertext = ?5, blind_index = ?6, stored_at = ?7,"
                     " stored_by = ?8, refused_on = NULL, refused_reason = '', updated_at = ?7"
                     " WHERE id = ?1",
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
    struct number_info cur;
    int64_t owner;
    enum mnv_err err = numberdb_blind_index(v, n, bi);
    if (err == MNV_OK)
        err = numberdb_get(v, ref, &cur, diag);
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
    err = write_number(v, cur.id, ref, cur.version + 1, n, bi, user, diag);
    if (err == MNV_OK && info)
        err = numberdb_get(v, ref, info, diag);
    return err;
}

/* Every parameter bound before each step and reset after it (vault_stmt_bound). */
static enum mnv_err insert_purpose(struct vault *v, int64_t number_id, const char *code,
                                   const char *date, const char *user, int64_t now,
                                   struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt_bound(v,
                         "INSERT INTO number_purposes(number_id, purpose, notified_on,"
                         " recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                         &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, number_id);
    sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)now);
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
    err = numberdb_blind_index(v, n, bi);
    if (err == MNV_OK)
        err = seal_number(v, id, ref, 1, n, &epoch, wrapped, ct);
    if (err != MNV_OK)
        return err;
    const char *sql = ref->kind == PERSON_EMPLOYEE
                          ? "INSERT INTO numbers(id, employee_id, status, version, key_epoch,"
                            " wrapped_key, ciphertext, blind_index, stored_at, stored_by,"
                            " updated_at) VALUES (?1,?2,'registered',1,?3,?4,?5,?6,?7,?8,?7)"
                          : "INSERT INTO numbers(id, dependent_id, status, version, key_epoch,"
                            " wrapped_key, ciphertext, blind_index, stored_at, stored_by,"
                            " updated_at) VALUES (?1,?2,'registered',1,?3,?4,?5,?6,?7,?8,?7)";
    err = vault_stmt_bound(v, sql, &st, diag); /* all 8 bound below, reset after the step */
    if (err != MNV_OK)
        return err;
    int64_t now = (int64_t)clock_now(); /* stored_at and the purposes' recorded_at */
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, ref->id);
    sqlite3_bind_int64(st, 3, epoch);
    sqlite3_bind_blob(st, 4, wrapped, sizeof(wrapped), SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, ct, sizeof(ct), SQLITE_STATIC);
    sqlite3_bind_blob(st, 6, bi, sizeof(bi), SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)now);
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
        err = insert_purpose(v, id, codes[i], dates[i], user, now, diag);
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
    return insert_purpose(v, number_id, code, date, user, (int64_t)clock_now(), diag);
}

enum mnv_err numberdb_mark_refused(struct vault *v, const struct person_ref *ref, const char *date,
                                   const char *reason, const char *user, struct number_info *info,
                                   struct mnv_diag *diag)
{
    struct number_info cur;
    enum mnv_err err = numberdb_get(v, ref, &cur, diag);
    if (err != MNV_OK)
        return err;
    if (cur.status == NUMBER_REGISTERED)
        return MNV_ERR_REFUSAL_HAS_NUMBER;
    if (cur.status == NUMBER_DISPOSED)
        return MNV_ERR_NUMBER_STATE;
    if (!cur.id) {
        err = insert_record(v, ref, "refused", &cur.id, diag);
        if (err != MNV_OK)
            return err;
    }
    sqlite3_stmt *st;
    err = vault_stmt(v,
                     "UPDATE numbers SET status = 'refused', refused_on = ?2, stored_by = ?3,"
                     " updated_at = ?4, refused_reason = ?5 WHERE id = ?1",
                     &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, cur.id);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, user, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)clock_now());
    sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    return info ? numberdb_get(v, ref, info, diag) : MNV_OK;
}

/* ---- opening ------------------------------------------------------------------------------ */

enum mnv_err numberdb_unwrap_key(struct vault *v, int64_t number_id, const struct person_ref *owner,
                                 uint32_t epoch, const unsigned char wrapped[NUMBER_WRAPPED_LEN],
                                 unsigned char key[VCRYPTO_KEY_LEN])
{
    const unsigned char *ek;
    enum mnv_err err = vault_epoch_key(v, epoch, &ek);
    if (err != MNV_OK)
        return err;
    unsigned char ad[64];
    size_t adlen = numberdb_wrap_ad(ad, number_id, owner, epoch);
    return vcrypto_open(key, wrapped, NUMBER_WRAPPED_LEN, ad, adlen, ek);
}

/* The columns every reader of a record's secrets selects, in this order. */
#define ROW_COLS                                                                                   \
    "id, version, key_epoch, wrapped_key, ciphertext, coalesce(employee_id, 0),"                   \
    " coalesce(dependent_id, 0), blind_index"

/* The person a row of ROW_COLS says it belongs to. */
static void row_person(sqlite3_stmt *st, struct person_ref *ref)
{
    int64_t e = sqlite3_column_int64(st, 5);
    ref->kind = e ? PERSON_EMPLOYEE : PERSON_DEPENDENT;
    ref->id = e ? e : sqlite3_column_int64(st, 6);
}

/* Open the digits of the current row of st (ROW_COLS). */
static enum mnv_err open_row(struct vault *v, sqlite3_stmt *st, char digits[DIGITS + 1])
{
    int64_t id = sqlite3_column_int64(st, 0);
    uint32_t version = (uint32_t)sqlite3_column_int64(st, 1);
    uint32_t epoch = (uint32_t)sqlite3_column_int64(st, 2);
    struct person_ref ref;
    row_person(st, &ref);
    if (sqlite3_column_bytes(st, 3) != NUMBER_WRAPPED_LEN ||
        sqlite3_column_bytes(st, 4) != DIGITS + VCRYPTO_SEAL_OVERHEAD)
        return MNV_ERR_SEAL_BROKEN;
    unsigned char *dk = vault_scratch(v);
    enum mnv_err err = numberdb_unwrap_key(v, id, &ref, epoch, sqlite3_column_blob(st, 3), dk);
    if (err == MNV_OK) {
        unsigned char ad[64];
        size_t adlen = numberdb_number_ad(ad, id, &ref, version);
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
    if (!vault_has_numbers(v))
        return MNV_ERR_NUMBER_KEY;
    sqlite3_stmt *st;
    const char *sql = ref->kind == PERSON_EMPLOYEE
                          ? "SELECT " ROW_COLS " FROM numbers"
                            " WHERE employee_id = ?1 AND status = 'registered'"
                          : "SELECT " ROW_COLS " FROM numbers"
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

struct begin_change {
    struct keyring_keys *keys;
    int new_nk;
    uint32_t id;
};

static enum mnv_err begin_fn(struct keyring *kr, void *ud)
{
    struct begin_change *c = ud;
    enum mnv_err err = c->new_nk ? keyring_rotate_nk(kr, c->keys) : MNV_OK;
    if (err == MNV_OK)
        err = keyring_epoch_add(kr, c->keys, &c->id);
    return err;
}

enum mnv_err numberdb_rotate_begin(struct vault *v, int new_nk, uint32_t *id, struct mnv_diag *diag)
{
    *id = 0;
    if (!vault_has_numbers(v))
        return MNV_ERR_NUMBER_KEY;
    struct begin_change c = {vault_keys(v), new_nk, 0};
    enum mnv_err err = vault_keyring_update(v, begin_fn, &c, diag);
    vault_epoch_reload(v);
    if (err == MNV_OK && new_nk)
        err = vault_refresh_subkeys(v);
    *id = c.id;
    return err;
}

static enum mnv_err rewrap_one(struct vault *v, sqlite3_stmt *sel, uint32_t current,
                               const unsigned char *ek, struct mnv_diag *diag)
{
    int64_t id = sqlite3_column_int64(sel, 0);
    uint32_t epoch = (uint32_t)sqlite3_column_int64(sel, 2);
    struct person_ref ref;
    row_person(sel, &ref);
    if (sqlite3_column_bytes(sel, 3) != NUMBER_WRAPPED_LEN) {
        if (diag)
            diag->line = (long)id;
        return MNV_ERR_SEAL_BROKEN;
    }
    unsigned char *dk = vault_scratch(v);
    unsigned char wrapped[NUMBER_WRAPPED_LEN], ad[64];
    enum mnv_err err = numberdb_unwrap_key(v, id, &ref, epoch, sqlite3_column_blob(sel, 3), dk);
    if (err == MNV_OK) {
        size_t adlen = numberdb_wrap_ad(ad, id, &ref, current);
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
                                "SELECT " ROW_COLS " FROM numbers"
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

enum mnv_err numberdb_rewrap_sealed(struct vault *v, struct numberdb_rewrapped *out,
                                    struct mnv_diag *diag)
{
    *out = (struct numberdb_rewrapped){0};
    enum mnv_err err = numberdb_rewrap_all(v, &out->numbers, diag);
    if (err == MNV_OK)
        err = payrolldb_rewrap_all(v, &out->payroll, diag);
    if (err == MNV_OK)
        err = insurancedb_rewrap_all(v, &out->insurance, diag);
    return err;
}

static enum mnv_err count_old(struct vault *v, uint32_t current, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v,
                   "SELECT (SELECT count(*) FROM numbers WHERE wrapped_key IS NOT NULL"
                   " AND key_epoch <> ?1) + (SELECT count(*) FROM payroll"
                   " WHERE key_epoch <> ?1) + (SELECT count(*) FROM insurance"
                   " WHERE key_epoch <> ?1)",
                   &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, current);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        err = vault_sql_error(v, rc, diag);
    else if (sqlite3_column_int64(st, 0) != 0)
        err = MNV_ERR_NUMBER_STATE; /* rows still under an old key: keep it */
    sqlite3_reset(st);
    return err;
}

static enum mnv_err forget_fn(struct keyring *kr, void *ud)
{
    *(size_t *)ud = keyring_epoch_forget_old(kr);
    return MNV_OK;
}

enum mnv_err numberdb_rotate_finish(struct vault *v, size_t *forgotten, struct mnv_diag *diag)
{
    *forgotten = 0;
    struct keyring *kr = vault_keyring(v);
    if (keyring_epoch_count(kr) <= 1)
        return MNV_OK;
    enum mnv_err err = vault_begin(v, diag);
    if (err == MNV_OK)
        err = count_old(v, keyring_epoch_current(kr), diag);
    if (err == MNV_OK)
        err = vault_commit_with(v, forget_fn, forgotten, diag);
    else
        vault_rollback(v);
    vault_epoch_reload(v);
    return err;
}

enum mnv_err numberdb_wrapped_key(struct vault *v, int64_t number_id,
                                  unsigned char out[NUMBER_WRAPPED_LEN], uint32_t *epoch,
                                  struct person_ref *owner, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "SELECT key_epoch, wrapped_key, coalesce(employee_id, 0),"
                                  " coalesce(dependent_id, 0) FROM numbers"
                                  " WHERE id = ?1 AND wrapped_key IS NOT NULL",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, number_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == NUMBER_WRAPPED_LEN) {
        *epoch = (uint32_t)sqlite3_column_int64(st, 0);
        memcpy(out, sqlite3_column_blob(st, 1), NUMBER_WRAPPED_LEN);
        int64_t e = sqlite3_column_int64(st, 2);
        owner->kind = e ? PERSON_EMPLOYEE : PERSON_DEPENDENT;
        owner->id = e ? e : sqlite3_column_int64(st, 3);
    } else {
        err = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? MNV_ERR_NUMBER_NONE
                                                      : vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    return err;
}

/* One registered row of check_all: its data key, digits and blind index. */
static enum mnv_err check_row(struct vault *v, sqlite3_stmt *st, char *digits, struct mynumber *n)
{
    enum mnv_err err = open_row(v, st, digits);
    if (err == MNV_OK && mynumber_parse(n, MYNUMBER_INDIVIDUAL, digits, DIGITS, NULL))
        err = MNV_ERR_SEAL_BROKEN;
    unsigned char bi[VCRYPTO_HASH_LEN];
    if (err == MNV_OK)
        err = numberdb_blind_index(v, n, bi);
    if (err == MNV_OK && (sqlite3_column_bytes(st, 7) != VCRYPTO_HASH_LEN ||
                          sodium_memcmp(bi, sqlite3_column_blob(st, 7), VCRYPTO_HASH_LEN) != 0))
        err = MNV_ERR_SEAL_BROKEN;
    return err;
}

enum mnv_err numberdb_check_all(struct vault *v, long *checked, struct mnv_diag *diag)
{
    *checked = 0;
    if (!vault_has_numbers(v))
        return MNV_ERR_NUMBER_KEY;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(vault_db(v),
                                "SELECT " ROW_COLS " FROM numbers WHERE status = 'registered'"
                                " ORDER BY id",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    char *digits = secmem_alloc(DIGITS + 1);
    struct mynumber *n = secmem_alloc(sizeof(*n));
    enum mnv_err err = (digits && n) ? MNV_OK : MNV_ERR_NOMEM;
    while (err == MNV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        err = check_row(v, st, digits, n);
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
