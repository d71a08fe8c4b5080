#include "mnvault/logindb.h"

#include <string.h>

#include <sqlite3.h>

enum mnv_err logindb_mirror(struct vault *v, const struct keyring *kr, struct mnv_diag *diag)
{
    enum mnv_err err = vault_exec(v, "DELETE FROM login_mirror", diag);
    sqlite3_stmt *st;
    if (err == MNV_OK)
        err = vault_stmt(v,
                         "INSERT INTO login_mirror(name_hash, failures, lockouts, locked_until,"
                         " last_failure) VALUES (?1, ?2, ?3, ?4, ?5)",
                         &st, diag);
    for (size_t i = 0; err == MNV_OK && i < keyring_login_count(kr); i++) {
        unsigned char h[16];
        struct keyring_login_state s;
        keyring_login_at(kr, i, h, &s);
        sqlite3_reset(st);
        sqlite3_bind_blob(st, 1, h, sizeof(h), SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, s.failures);
        sqlite3_bind_int64(st, 3, s.lockouts);
        sqlite3_bind_int64(st, 4, s.locked_until);
        sqlite3_bind_int64(st, 5, s.last_failure);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_DONE)
            err = vault_sql_error(v, rc, diag);
    }
    if (err == MNV_OK)
        sqlite3_reset(st);
    return err;
}

int logindb_locked(struct vault *v, const struct keyring *kr, const char *name, time_t now)
{
    unsigned char h[16];
    keyring_name_hash(kr, name, h);
    sqlite3_stmt *st;
    if (vault_stmt(v, "SELECT locked_until FROM login_mirror WHERE name_hash = ?1", &st, NULL) !=
        MNV_OK)
        return 0;
    sqlite3_bind_blob(st, 1, h, sizeof(h), SQLITE_TRANSIENT);
    int locked = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > (int64_t)now;
    sqlite3_reset(st);
    return locked;
}

enum mnv_err logindb_clear(struct vault *v, const struct keyring *kr, const char *name,
                           struct mnv_diag *diag)
{
    unsigned char h[16];
    keyring_name_hash(kr, name, h);
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, "DELETE FROM login_mirror WHERE name_hash = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_blob(st, 1, h, sizeof(h), SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}
