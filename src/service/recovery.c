#include "mnvault/recovery.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "mnvault/access.h"
#include "mnvault/audit.h"
#include "mnvault/change.h"
#include "mnvault/auditlog.h"
#include "mnvault/clock.h"
#include "mnvault/keyroles.h"
#include "mnvault/pwpolicy.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/userdb.h"
#include "mnvault/vault.h"
#include "mnvault/vcrypto.h"

#define SET_HEX_LEN 17

struct recovery {
    struct keyring *kr;
    struct vault *v;
    struct session_options opt;
    char set_hex[SET_HEX_LEN];
};

static void set_hex(char out[SET_HEX_LEN], const uint8_t id[8])
{
    vcrypto_hex(out, id, 8);
}

/* ---- split -------------------------------------------------------------------------------- */

struct split_change {
    const unsigned char *rk;
    const struct keyring_keys *keys;
    const char *detail;
};

static enum mnv_err install_slot(struct keyring *kr, void *ud)
{
    const struct split_change *c = ud;
    return keyring_recovery_set(kr, c->rk, c->keys);
}

/* The entry, and the new recovery slot written with its anchor. */
static enum mnv_err split_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    (void)s;
    (void)diag;
    struct split_change *x = ud;
    change_detail(c, "%s", x->detail);
    c->keyfile = install_slot;
    c->keyfile_ud = x;
    return MNV_OK;
}

enum mnv_err recovery_split(struct session *s, int n, int k, struct share *out,
                            struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_RECOVERY_SPLIT, "", diag);
    if (err != MNV_OK)
        return err;
    if (k < 2 || n < k || n > SHARES_MAX)
        return MNV_ERR_RANGE;
    unsigned char *rk = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!rk)
        return MNV_ERR_NOMEM;
    randombytes_buf(rk, VCRYPTO_KEY_LEN);
    err = shares_split(rk, n, k, out);
    char detail[96], hex[SET_HEX_LEN];
    if (err == MNV_OK) {
        set_hex(hex, out[0].set_id);
        snprintf(detail, sizeof(detail), "n=%d k=%d set=%s", n, k, hex);
        struct split_change c = {rk, vault_keys(session_vault(s)), detail};
        err = change_run(s, "recovery.split", NULL, split_body, &c, diag);
        if (err != MNV_OK)
            audit_note(s, "recovery.split", "", "failed", detail);
    }
    secmem_free(rk);
    if (err != MNV_OK)
        secmem_wipe(out, (size_t)n * sizeof(*out));
    return err;
}

/* ---- opening with shares ------------------------------------------------------------------ */

enum mnv_err recovery_unseal(const struct keyring *kr, const struct share *shares, int count,
                             struct keyring_keys *keys)
{
    if (!keyring_recovery_present(kr))
        return MNV_ERR_RECOVERY_NONE;
    unsigned char *rk = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!rk)
        return MNV_ERR_NOMEM;
    enum mnv_err err = shares_combine(shares, count, rk);
    if (err == MNV_OK) {
        err = keyring_recovery_open(kr, rk, keys);
        if (err == MNV_ERR_NOT_FOUND)
            err = MNV_ERR_RECOVERY_NONE;
        else if (err == MNV_ERR_SLOT_WRONG)
            err = MNV_ERR_RECOVERY_WRONG;
    }
    if (err == MNV_OK)
        err = keyring_verify(kr, keys);
    secmem_free(rk);
    if (err != MNV_OK)
        secmem_wipe(keys, sizeof(*keys));
    return err;
}

static enum mnv_err load_keys(const char *dir, struct keyring **kr, struct mnv_diag *diag)
{
    enum mnv_err err = keyring_load(dir, kr, diag);
    if (err == MNV_ERR_KEYFILE_MISSING) {
        char db[PATH_MAX];
        struct stat st;
        snprintf(db, sizeof(db), "%s/%s", dir, VAULT_DB_FILE);
        if (stat(db, &st) == 0)
            err = MNV_ERR_VAULT_PARTIAL;
    }
    return err;
}

enum mnv_err recovery_check_vault(const char *dir, const char *user, struct mnv_diag *diag)
{
    struct keyring *kr;
    enum mnv_err err = load_keys(dir, &kr, diag);
    if (err != MNV_OK)
        return err;
    if (!keyring_recovery_present(kr))
        err = MNV_ERR_RECOVERY_NONE;
    else if (user && !keyring_find_slot(kr, user))
        err = MNV_ERR_USER_NOT_FOUND;
    keyring_free(kr);
    return err;
}

enum mnv_err recovery_open(const char *dir, const struct share *shares, int count,
                           const struct session_options *o, struct recovery **out,
                           struct mnv_diag *diag)
{
    *out = NULL;
    struct recovery *r = calloc(1, sizeof(*r));
    struct keyring_keys *keys = keyring_keys_new();
    enum mnv_err err = r && keys ? MNV_OK : MNV_ERR_NOMEM;
    if (err == MNV_OK) {
        r->opt = *o;
        err = load_keys(dir, &r->kr, diag);
    }
    if (err == MNV_OK)
        err = recovery_unseal(r->kr, shares, count, keys);
    /* A format-1 vault is upgraded by a supervisor's sign-in; shares alone cannot. */
    if (err == MNV_OK && keyring_version(r->kr) == 1)
        err = MNV_ERR_KEYFILE_UPGRADE;
    struct keyring_slot used;
    memset(&used, 0, sizeof(used));
    for (size_t i = 0; err == MNV_OK && i < keyring_slot_count(r->kr); i++)
        if (keyring_slot_at(r->kr, i)->kind == KEYRING_SLOT_RECOVERY ||
            keyring_slot_at(r->kr, i)->kind == KEYRING_SLOT_LEGACY_RECOVERY)
            used = *keyring_slot_at(r->kr, i);
    if (err == MNV_OK)
        err = vault_open(dir, r->kr, keys, &o->vault, &r->v, diag);
    /* A key file put back from before a newer split is rolled forward by the open: the
     * shares of the replaced set then open nothing. */
    if (err == MNV_OK && !keyring_slot_same(r->kr, &used))
        err = MNV_ERR_RECOVERY_WRONG;
    keyring_keys_free(keys);
    if (err != MNV_OK) {
        recovery_close(r);
        return err;
    }
    set_hex(r->set_hex, shares[0].set_id);
    *out = r;
    return MNV_OK;
}

const char *recovery_set_hex(const struct recovery *r)
{
    return r->set_hex;
}

void recovery_close(struct recovery *r)
{
    if (!r)
        return;
    vault_close(r->v);
    keyring_free(r->kr);
    secmem_wipe(r, sizeof(*r));
    free(r);
}

/* ---- the new password --------------------------------------------------------------------- */

enum mnv_err recovery_check_user(struct recovery *r, const char *user, int *has_totp,
                                 struct mnv_diag *diag)
{
    struct user_rec u;
    *has_totp = 0;
    enum mnv_err err = userdb_get(r->v, user, &u, diag);
    if (err != MNV_OK)
        return err;
    if (u.disabled)
        return MNV_ERR_RECOVERY_DISABLED;
    *has_totp = u.has_totp;
    return MNV_OK;
}

struct slot_change {
    struct keyring_slot slot;
    const char *name;
};

static enum mnv_err put_slot(struct keyring *kr, void *ud)
{
    struct slot_change *c = ud;
    struct keyring_login_state zero = {0};
    keyring_login_state_set(kr, c->name, &zero);
    return keyring_slot_put(kr, &c->slot);
}

/* The user's row and the audit entry, then the key file with the slot and the anchor. */
static enum mnv_err store_password(struct recovery *r, struct user_rec *u, struct slot_change *c,
                                   struct mnv_diag *diag)
{
    char detail[48];
    snprintf(detail, sizeof(detail), "set=%s", r->set_hex);
    struct audit_event ev = {0, "recovery", "", "password.recover", u->name, "ok", detail};
    u->must_change = 1;
    u->password_changed_at = (int64_t)clock_now();
    enum mnv_err err = vault_begin(r->v, diag);
    if (err != MNV_OK)
        return err;
    err = userdb_update(r->v, u, diag);
    if (err == MNV_OK)
        err = auditlog_append(r->v, &ev, NULL, diag);
    if (err != MNV_OK) {
        vault_rollback(r->v);
        return err;
    }
    return vault_commit_with(r->v, put_slot, c, diag);
}

enum mnv_err recovery_set_password(struct recovery *r, const char *user, const char *new_pw,
                                   size_t len, struct mnv_diag *diag)
{
    struct user_rec u;
    enum mnv_err err = userdb_get(r->v, user, &u, diag);
    if (err == MNV_OK && u.disabled)
        err = MNV_ERR_RECOVERY_DISABLED;
    if (err == MNV_OK)
        err = pwpolicy_check(new_pw, len, user, u.has_totp, diag);
    if (err != MNV_OK)
        return err;
    struct slot_change *c = calloc(1, sizeof(*c));
    if (!c)
        return MNV_ERR_NOMEM;
    c->name = u.name;
    struct vcrypto_kdf kdf;
    vcrypto_kdf_default(&kdf, r->opt.kdf_strong);
    struct keyring_keys *keys = vault_keys(r->v);
    const struct keyring_slot *old = keyring_find_slot(r->kr, user);
    unsigned had = old ? keyring_slot_keys(r->kr, old) | KEYRING_KEY_VK : 0;
    /* One-time: the share holders saw this password set, so the user must choose another
     * at the next login; the slot's kind carries that atomically with the password. The
     * recovery slot holds every key, so the account is complete for its role. */
    unsigned give = (keyroles_for_role(u.role) & keys->have) | KEYRING_KEY_VK;
    err = keyring_slot_make(r->kr, KEYRING_SLOT_ONE_TIME, user, new_pw, len, &kdf, keys, give,
                            &c->slot, NULL);
    if (err == MNV_OK)
        err = store_password(r, &u, c, diag);
    /* The old slot (and any copy of it) must open nothing of today's vault. */
    if (err == MNV_OK && had)
        err = keyroles_removed_as(r->v, "recovery", user, had, 1, diag);
    secmem_wipe(c, sizeof(*c));
    free(c);
    return err;
}
