#include "mnvault/userdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/clock.h"
#include "mnvault/numtext.h"
#include "mnvault/rows.h"
#include "mnvault/secmem.h"
#include "mnvault/vcrypto.h"

int userdb_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > USER_NAME_MAX || name[0] == '.' || name[0] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_'))
            return 0;
    }
    /* A name is written into every audit entry of its user, which never holds a number. */
    return !numtext_has_number(name, n, NUMTEXT_ANY_RUN | NUMTEXT_WORDS);
}

void userdb_init(struct user_rec *u)
{
    memset(u, 0, sizeof(*u));
    u->win_days = USER_DAYS_ALL;
    u->win_start = 0;
    u->win_end = 1440;
}

#define USER_COLS                                                                                  \
    "id, name, display_name, role, disabled, must_change, totp_secret IS NOT NULL,"                \
    " totp_last_step, win_days, win_start, win_end, coalesce(valid_until, ''), created_at,"        \
    " updated_at, password_changed_at"

static void text_col(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    snprintf(out, size, "%s", t ? t : "");
}

static void read_user(sqlite3_stmt *st, struct user_rec *u)
{
    char role[16];
    userdb_init(u);
    u->id = sqlite3_column_int64(st, 0);
    text_col(st, 1, u->name, sizeof(u->name));
    text_col(st, 2, u->display_name, sizeof(u->display_name));
    text_col(st, 3, role, sizeof(role));
    u->role = role_parse(role);
    u->disabled = sqlite3_column_int(st, 4);
    u->must_change = sqlite3_column_int(st, 5);
    u->has_totp = sqlite3_column_int(st, 6);
    u->totp_last_step = (uint64_t)sqlite3_column_int64(st, 7);
    u->win_days = (unsigned)sqlite3_column_int(st, 8);
    u->win_start = sqlite3_column_int(st, 9);
    u->win_end = sqlite3_column_int(st, 10);
    text_col(st, 11, u->valid_until, sizeof(u->valid_until));
    u->created_at = sqlite3_column_int64(st, 12);
    u->updated_at = sqlite3_column_int64(st, 13);
    u->password_changed_at = sqlite3_column_int64(st, 14);
}

enum mnv_err userdb_get(struct vault *v, const char *name, struct user_rec *u,
                        struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, "SELECT " USER_COLS " FROM users WHERE name = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_user(st, u);
    else
        err = rc == SQLITE_DONE ? MNV_ERR_USER_NOT_FOUND : vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

static enum mnv_err check_rec(const struct user_rec *u)
{
    if (!userdb_name_valid(u->name))
        return MNV_ERR_USER_NAME;
    if (u->role < ROLE_CLERK || u->role > ROLE_ADMIN)
        return MNV_ERR_ROLE;
    if (u->win_days > USER_DAYS_ALL || u->win_start < 0 || u->win_start > 1440 || u->win_end < 0 ||
        u->win_end > 1440)
        return MNV_ERR_WINDOW_FORMAT;
    return MNV_OK;
}

static void bind_common(sqlite3_stmt *st, const struct user_rec *u)
{
    sqlite3_bind_text(st, 1, u->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, u->display_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, role_name(u->role), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, u->disabled ? 1 : 0);
    sqlite3_bind_int(st, 5, u->must_change ? 1 : 0);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)u->totp_last_step);
    sqlite3_bind_int(st, 7, (int)u->win_days);
    sqlite3_bind_int(st, 8, u->win_start);
    sqlite3_bind_int(st, 9, u->win_end);
    if (u->valid_until[0])
        sqlite3_bind_text(st, 10, u->valid_until, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 10);
    sqlite3_bind_int64(st, 11, u->created_at);
    sqlite3_bind_int64(st, 12, u->updated_at);
    sqlite3_bind_int64(st, 13, u->password_changed_at);
}

enum mnv_err userdb_insert(struct vault *v, struct user_rec *u, struct mnv_diag *diag)
{
    enum mnv_err err = check_rec(u);
    if (err != MNV_OK)
        return err;
    sqlite3_stmt *st;
    err = vault_stmt(v,
                     "INSERT INTO users(name, display_name, role, disabled, must_change,"
                     " totp_last_step, win_days, win_start, win_end, valid_until, created_at,"
                     " updated_at, password_changed_at)"
                     " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
                     &st, diag);
    if (err != MNV_OK)
        return err;
    int64_t now = (int64_t)clock_now();
    u->created_at = u->updated_at = u->password_changed_at = now;
    bind_common(st, u);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return MNV_ERR_USER_EXISTS;
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    u->id = sqlite3_last_insert_rowid(vault_db(v));
    return MNV_OK;
}

enum mnv_err userdb_update(struct vault *v, struct user_rec *u, struct mnv_diag *diag)
{
    enum mnv_err err = check_rec(u);
    if (err != MNV_OK)
        return err;
    sqlite3_stmt *st;
    err = vault_stmt(v,
                     "UPDATE users SET display_name = ?2, role = ?3, disabled = ?4,"
                     " must_change = ?5, totp_last_step = ?6, win_days = ?7, win_start = ?8,"
                     " win_end = ?9, valid_until = ?10, created_at = ?11, updated_at = ?12,"
                     " password_changed_at = ?13 WHERE name = ?1",
                     &st, diag);
    if (err != MNV_OK)
        return err;
    u->updated_at = (int64_t)clock_now();
    bind_common(st, u);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    return sqlite3_changes(vault_db(v)) == 1 ? MNV_OK : MNV_ERR_USER_NOT_FOUND;
}

static enum mnv_err fill_user(sqlite3_stmt *st, void *item, void *ud)
{
    (void)ud;
    read_user(st, item);
    return MNV_OK;
}

enum mnv_err userdb_list(struct vault *v, struct user_rec **out, size_t *count,
                         struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, "SELECT " USER_COLS " FROM users ORDER BY name", &st, diag);
    if (err != MNV_OK)
        return err;
    struct rows r;
    err = rows_collect(v, st, sizeof(**out), fill_user, NULL, &r, diag);
    *out = r.items;
    *count = r.count;
    return err;
}

enum mnv_err userdb_count_admins(struct vault *v, long *count)
{
    sqlite3_stmt *st;
    *count = 0;
    enum mnv_err err = vault_stmt(
        v, "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0", &st, NULL);
    if (err != MNV_OK)
        return err;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *count = (long)sqlite3_column_int64(st, 0);
    else
        err = vault_sql_error(v, rc, NULL);
    sqlite3_reset(st);
    return err;
}

static size_t totp_ad(unsigned char *ad, int64_t id)
{
    static const char tag[] = "users.totp_secret";
    size_t n = sizeof(tag) - 1;
    memcpy(ad, tag, n);
    for (int i = 0; i < 8; i++)
        ad[n + (size_t)i] = (unsigned char)((uint64_t)id >> (8 * i));
    return n + 8;
}

/* The last accepted step of user id (kept across a re-seal). */
static enum mnv_err last_step(struct vault *v, int64_t id, uint64_t *step, struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, "SELECT totp_last_step FROM users WHERE id = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *step = (uint64_t)sqlite3_column_int64(st, 0);
    else
        err = rc == SQLITE_DONE ? MNV_ERR_USER_NOT_FOUND : vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

/* Seal secret (NULL: none) for user id under key and store it with the last step. */
static enum mnv_err store_secret(struct vault *v, int64_t id, const unsigned char *secret,
                                 const unsigned char *key, uint64_t step, struct mnv_diag *diag)
{
    unsigned char sealed[USER_TOTP_SECRET_LEN + VCRYPTO_SEAL_OVERHEAD], ad[32];
    size_t adlen = totp_ad(ad, id);
    if (secret) {
        if (!key)
            return MNV_ERR_INVALID;
        enum mnv_err err = vcrypto_seal(sealed, secret, USER_TOTP_SECRET_LEN, ad, adlen, key);
        if (err != MNV_OK)
            return err;
    }
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "UPDATE users SET totp_secret = ?2, totp_last_step = ?4,"
                                  " updated_at = ?3 WHERE id = ?1",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    if (secret)
        sqlite3_bind_blob(st, 2, sealed, sizeof(sealed), SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 2);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)clock_now());
    sqlite3_bind_int64(st, 4, (sqlite3_int64)step);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    return sqlite3_changes(vault_db(v)) == 1 ? MNV_OK : MNV_ERR_USER_NOT_FOUND;
}

enum mnv_err userdb_totp_set(struct vault *v, int64_t id, const unsigned char *secret,
                             struct mnv_diag *diag)
{
    return store_secret(v, id, secret, vault_subkey(v, VAULT_SUB_FIELD), 0, diag);
}

enum mnv_err userdb_totp_get(struct vault *v, int64_t id,
                             unsigned char secret[USER_TOTP_SECRET_LEN], struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, "SELECT totp_secret FROM users WHERE id = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB) {
        unsigned char ad[32];
        size_t adlen = totp_ad(ad, id);
        if (sqlite3_column_bytes(st, 0) != USER_TOTP_SECRET_LEN + VCRYPTO_SEAL_OVERHEAD)
            err = MNV_ERR_SEAL_BROKEN;
        else
            err = vcrypto_open(secret, sqlite3_column_blob(st, 0),
                               (size_t)sqlite3_column_bytes(st, 0), ad, adlen,
                               vault_subkey(v, VAULT_SUB_FIELD));
    } else if (rc == SQLITE_ROW) {
        err = MNV_ERR_TOTP_NONE;
    } else {
        err = rc == SQLITE_DONE ? MNV_ERR_USER_NOT_FOUND : vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    return err;
}

enum mnv_err userdb_totp_claim_step(struct vault *v, int64_t id, uint64_t step,
                                    struct mnv_diag *diag)
{
    if (!vault_in_tx(v))
        return MNV_ERR_INVALID;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "UPDATE users SET totp_last_step = ?2"
                                  " WHERE id = ?1 AND totp_last_step < ?2",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)step);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    return sqlite3_changes(vault_db(v)) == 1 ? MNV_OK : MNV_ERR_TOTP_REPLAY;
}

enum mnv_err userdb_totp_reseal(struct vault *v, const unsigned char *old_key,
                                const unsigned char *new_key, struct mnv_diag *diag)
{
    if (!old_key || !new_key || !vault_in_tx(v))
        return MNV_ERR_INVALID;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(vault_db(v),
                                "SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL",
                                -1, &st, NULL);
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    unsigned char *secret = secmem_alloc(USER_TOTP_SECRET_LEN);
    enum mnv_err err = secret ? MNV_OK : MNV_ERR_NOMEM;
    while (err == MNV_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        unsigned char ad[32];
        size_t adlen = totp_ad(ad, id);
        if (sqlite3_column_bytes(st, 1) != USER_TOTP_SECRET_LEN + VCRYPTO_SEAL_OVERHEAD)
            err = MNV_ERR_SEAL_BROKEN;
        else
            err = vcrypto_open(secret, sqlite3_column_blob(st, 1),
                               (size_t)sqlite3_column_bytes(st, 1), ad, adlen, old_key);
        uint64_t step = 0;
        if (err == MNV_OK)
            err = last_step(v, id, &step, diag);
        if (err == MNV_OK)
            err = store_secret(v, id, secret, new_key, step, diag);
    }
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_finalize(st);
    secmem_free(secret);
    return err;
}
