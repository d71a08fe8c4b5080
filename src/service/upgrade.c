#include "mnvault/upgrade.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/auditlog.h"
#include "mnvault/keyroles.h"
#include "mnvault/session.h"
#include "mnvault/userdb.h"

/* The role of user and the names of disabled users, read from the format-1 database. */
static enum mnv_err read_users(struct vault *v, const char *user, enum mnv_role *role,
                               char (**drop)[USER_NAME_MAX + 1], size_t *n_drop,
                               struct mnv_diag *diag)
{
    struct user_rec *users;
    size_t n;
    *role = ROLE_NONE;
    *n_drop = 0;
    *drop = NULL;
    enum mnv_err err = userdb_list(v, &users, &n, diag);
    if (err != MNV_OK)
        return err;
    *drop = calloc(n ? n : 1, sizeof(**drop));
    if (!*drop) {
        free(users);
        return MNV_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(users[i].name, user) == 0 && !users[i].disabled)
            *role = users[i].role;
        if (users[i].disabled)
            snprintf((*drop)[(*n_drop)++], USER_NAME_MAX + 1, "%s", users[i].name);
    }
    free(users);
    return MNV_OK;
}

/* The new key file in memory: the keys, and the supervisor's format-2 slot. */
static enum mnv_err rebuild(struct keyring *kr, struct keyring_keys *keys, const char *user,
                            const char *password, size_t len, char (*drop)[USER_NAME_MAX + 1],
                            size_t n_drop, const struct session_options *o)
{
    const char **names = calloc(n_drop ? n_drop : 1, sizeof(*names));
    if (!names)
        return MNV_ERR_NOMEM;
    for (size_t i = 0; i < n_drop; i++)
        names[i] = drop[i];
    const struct keyring_slot *old = keyring_find_slot(kr, user);
    enum keyring_slot_kind kind =
        old && old->legacy_one_time ? KEYRING_SLOT_ONE_TIME : KEYRING_SLOT_PASSWORD;
    uint32_t epoch;
    enum mnv_err err = keyring_upgrade(kr, keys, names, n_drop, &epoch);
    free(names);
    struct vcrypto_kdf kdf;
    vcrypto_kdf_default(&kdf, o->kdf_strong);
    struct keyring_slot slot;
    if (err == MNV_OK)
        err = keyring_slot_make(kr, kind, user, password, len, &kdf, keys,
                                keyroles_for_role(ROLE_SUPERVISOR), &slot, keys);
    if (err == MNV_OK)
        err = keyring_slot_put(kr, &slot);
    if (err == MNV_OK)
        keyring_bump(kr);
    return err;
}

static enum mnv_err record(struct vault *v, const char *user, struct mnv_diag *diag)
{
    char detail[64];
    snprintf(detail, sizeof(detail), "keyfile=%d schema=%d", KEYRING_VERSION,
             vault_schema_latest());
    struct audit_event ev = {0, user, "supervisor", "vault.upgrade", "", "ok", detail};
    return auditlog_record(v, &ev, diag);
}

enum mnv_err upgrade_vault(const char *dir, struct keyring *kr, struct keyring_keys *keys,
                           const char *user, const char *password, size_t len,
                           const struct session_options *o, struct vault **out,
                           struct mnv_diag *diag)
{
    *out = NULL;
    struct vault *v = NULL;
    enum mnv_role role;
    char(*drop)[USER_NAME_MAX + 1] = NULL;
    size_t n_drop = 0;
    enum mnv_err err = vault_open(dir, kr, keys, &o->vault, &v, diag);
    if (err == MNV_OK)
        err = read_users(v, user, &role, &drop, &n_drop, diag);
    vault_close(v);
    v = NULL;
    if (err == MNV_OK && role != ROLE_SUPERVISOR)
        err = MNV_ERR_KEYFILE_UPGRADE;
    if (err == MNV_OK)
        err = rebuild(kr, keys, user, password, len, drop, n_drop, o);
    free(drop);
    /* The format-2 file first: it holds MK (under VK) until the database is re-sealed. */
    if (err == MNV_OK)
        err = keyring_create_file(kr, keys, 1, diag);
    if (err == MNV_OK)
        err = vault_open(dir, kr, keys, &o->vault, &v, diag);
    if (err == MNV_OK)
        err = record(v, user, diag);
    if (err != MNV_OK) {
        vault_close(v);
        return err;
    }
    keyring_keys_copy(keys, vault_keys(v)); /* MK is gone once the upgrade finished */
    *out = v;
    return MNV_OK;
}
