#include "mnvault/setup.h"

#include "mnvault/pdfdoc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "mnvault/access.h"
#include "mnvault/audit.h"
#include "mnvault/change.h"
#include "mnvault/auditlog.h"
#include "mnvault/auditseal.h"
#include "mnvault/clock.h"
#include "mnvault/fileio.h"
#include "mnvault/keyring.h"
#include "mnvault/keyroles.h"
#include "mnvault/mynumber.h"
#include "mnvault/persondb.h"
#include "mnvault/pwpolicy.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/userdb.h"
#include "mnvault/vault.h"

static enum mnv_err field(struct mnv_diag *diag, const char *name, enum mnv_err err)
{
    if (err != MNV_OK)
        mnv_diag_item(diag, "%s", name);
    return err;
}

static enum mnv_err check_params(const struct setup_params *p, char corp[14], struct mnv_diag *diag)
{
    enum mnv_err err = field(diag, "org_name", person_check_text(p->org_name, SETUP_ORG_MAX, 1));
    if (err == MNV_OK)
        err = field(diag, "org_address", person_check_text(p->org_address, SETUP_ADDRESS_MAX, 0));
    if (err != MNV_OK)
        return err;
    struct mynumber n;
    err = mynumber_parse(&n, MYNUMBER_CORPORATE, p->corporate_number, strlen(p->corporate_number),
                         diag);
    if (err != MNV_OK)
        return field(diag, "corporate_number", err);
    memcpy(corp, n.digits, 14);
    mynumber_clear(&n);
    if (!userdb_name_valid(p->admin_name))
        return field(diag, "admin", MNV_ERR_USER_NAME);
    if (!userdb_name_valid(p->supervisor_name))
        return field(diag, "supervisor", MNV_ERR_USER_NAME);
    if (strcmp(p->admin_name, p->supervisor_name) == 0)
        return field(diag, "supervisor", MNV_ERR_USER_EXISTS);
    err = pwpolicy_check(p->admin_password, p->admin_password_len, p->admin_name, 0, diag);
    if (err != MNV_OK)
        return field(diag, p->admin_name, err);
    err = pwpolicy_check(p->supervisor_password, p->supervisor_password_len, p->supervisor_name, 0,
                         diag);
    return field(diag, p->supervisor_name, err);
}

static enum mnv_err add_user(struct vault *v, const char *name, enum mnv_role role,
                             const char *actor, struct mnv_diag *diag)
{
    struct user_rec u;
    userdb_init(&u);
    snprintf(u.name, sizeof(u.name), "%s", name);
    u.role = role;
    enum mnv_err err = userdb_insert(v, &u, diag);
    char detail[48];
    snprintf(detail, sizeof(detail), "role=%s", role_name(role));
    struct audit_event ev = {0, actor, "admin", "user.add", name, "ok", detail};
    return err == MNV_OK ? auditlog_append(v, &ev, NULL, diag) : err;
}

/* Seal the log from its first entry; the key goes to seal_key, or nowhere. */
static enum mnv_err start_sealing(struct vault *v, char *seal_key, struct mnv_diag *diag)
{
    unsigned char *key = secmem_alloc(AUDITSEAL_KEY_LEN);
    if (!key)
        return MNV_ERR_NOMEM;
    uint64_t start;
    enum mnv_err err = auditseal_start(v, key, &start, diag);
    if (err == MNV_OK && seal_key)
        auditseal_key_format(start, key, seal_key);
    secmem_free(key);
    return err;
}

/* The organisation, the two users and the first entries, in one transaction. */
static enum mnv_err fill_db(struct vault *v, const struct setup_params *p, const char *corp,
                            char *seal_key, int demo, struct mnv_diag *diag)
{
    char now[32];
    snprintf(now, sizeof(now), "%lld", (long long)clock_now());
    enum mnv_err err = vault_begin(v, diag);
    if (err != MNV_OK)
        return err;
    struct audit_event ev = {0,    p->admin_name,         "admin", "vault.init", "",
                             "ok", demo ? "demo=yes" : ""};
    err = start_sealing(v, seal_key, diag);
    if (err == MNV_OK)
        err = vault_meta_set(v, "org_name", p->org_name, diag);
    if (err == MNV_OK)
        err = vault_meta_set(v, "org_address", p->org_address, diag);
    if (err == MNV_OK)
        err = vault_meta_set(v, "org_corporate_number", corp, diag);
    if (err == MNV_OK)
        err = vault_meta_set(v, "created_at", now, diag);
    if (err == MNV_OK && demo)
        err = vault_meta_set(v, "vault_demo", "yes", diag);
    if (err == MNV_OK)
        err = auditlog_append(v, &ev, NULL, diag);
    if (err == MNV_OK)
        err = add_user(v, p->admin_name, ROLE_ADMIN, p->admin_name, diag);
    if (err == MNV_OK)
        err = add_user(v, p->supervisor_name, ROLE_SUPERVISOR, p->admin_name, diag);
    if (err != MNV_OK) {
        vault_rollback(v);
        return err;
    }
    return vault_commit(v, diag);
}

/* The first administrator (VK, BK) and the first supervisor (VK, NK, BK): complete. */
static enum mnv_err add_slots(struct keyring *kr, const struct setup_params *p,
                              const struct session_options *o, const struct keyring_keys *keys)
{
    struct vcrypto_kdf kdf;
    struct keyring_slot slot;
    vcrypto_kdf_default(&kdf, o->kdf_strong);
    enum mnv_err err = keyring_slot_make(kr, KEYRING_SLOT_PASSWORD, p->admin_name,
                                         p->admin_password, p->admin_password_len, &kdf, keys,
                                         keyroles_for_role(ROLE_ADMIN), &slot, NULL);
    if (err == MNV_OK)
        err = keyring_slot_put(kr, &slot);
    if (err == MNV_OK)
        err = keyring_slot_make(kr, KEYRING_SLOT_PASSWORD, p->supervisor_name,
                                p->supervisor_password, p->supervisor_password_len, &kdf, keys,
                                keyroles_for_role(ROLE_SUPERVISOR), &slot, NULL);
    if (err == MNV_OK)
        err = keyring_slot_put(kr, &slot);
    return err;
}

/* Refuse an existing vault; clear what an interrupted init left. */
static enum mnv_err check_empty(const char *dir, char *keys, char *db, char *tmp, size_t size)
{
    if (snprintf(keys, size, "%s/%s", dir, KEYRING_FILE) >= (int)size ||
        snprintf(db, size, "%s/%s", dir, VAULT_DB_FILE) >= (int)size ||
        snprintf(tmp, size, "%s/%s.new", dir, VAULT_DB_FILE) >= (int)size)
        return MNV_ERR_TOO_LONG;
    struct stat st;
    if (lstat(keys, &st) == 0 || lstat(db, &st) == 0)
        return MNV_ERR_VAULT_EXISTS;
    char journal[PATH_MAX + 16];
    snprintf(journal, sizeof(journal), "%s-journal", tmp);
    unlink(journal);
    unlink(tmp);
    return MNV_OK;
}

/* The key file (in memory) with both slots first, so that the database's journal of it,
 * written by each commit while creating, is what the file will hold. */
static enum mnv_err build(const char *dir, const struct setup_params *p, const char *corp,
                          const struct session_options *o, struct keyring_keys *keys,
                          char *seal_key, int demo, struct mnv_diag *diag)
{
    char db[PATH_MAX], tmp[PATH_MAX], kf[PATH_MAX];
    enum mnv_err err = check_empty(dir, kf, db, tmp, sizeof(kf));
    if (err != MNV_OK)
        return err;
    struct keyring *kr = NULL;
    struct vault *v = NULL;
    err = keyring_new(dir, keys, &kr);
    if (err == MNV_OK)
        err = add_slots(kr, p, o, keys);
    if (err == MNV_OK)
        err = vault_create(tmp, kr, keys, &o->vault, &v, diag);
    if (err == MNV_OK)
        err = fill_db(v, p, corp, seal_key, demo, diag);
    vault_close(v);
    if (err == MNV_OK)
        err = keyring_create_file(kr, keys, 0, diag);
    keyring_free(kr);
    if (err == MNV_OK && rename(tmp, db) != 0) {
        mnv_diag_where(diag, "%s", db);
        mnv_diag_errno(diag, errno);
        err = MNV_ERR_IO;
    }
    if (err == MNV_OK)
        err = fileio_fsync_dir(db);
    if (err != MNV_OK && err != MNV_ERR_VAULT_EXISTS)
        unlink(tmp);
    return err;
}

enum mnv_err setup_create_vault(const char *dir, const struct setup_params *p,
                                const struct session_options *o, struct mnv_diag *diag)
{
    return setup_create_vault_sealed(dir, p, o, NULL, diag);
}

static enum mnv_err create(const char *dir, const struct setup_params *p,
                           const struct session_options *o, char *seal_key, int demo,
                           struct mnv_diag *diag)
{
    char corp[14];
    enum mnv_err err = check_params(p, corp, diag);
    if (err == MNV_OK)
        err = fileio_mkdir_private(dir, diag);
    if (err != MNV_OK)
        return err;
    struct keyring_keys *keys = keyring_keys_new();
    if (!keys)
        return MNV_ERR_NOMEM;
    err = build(dir, p, corp, o, keys, seal_key, demo, diag);
    keyring_keys_free(keys);
    return err;
}

enum mnv_err setup_create_vault_sealed(const char *dir, const struct setup_params *p,
                                       const struct session_options *o, char *seal_key,
                                       struct mnv_diag *diag)
{
    return create(dir, p, o, seal_key, 0, diag);
}

enum mnv_err setup_create_demo_vault(const char *dir, const struct setup_params *p,
                                     const struct session_options *o, struct mnv_diag *diag)
{
    return create(dir, p, o, NULL, 1, diag);
}

int setup_vault_is_demo(struct vault *v)
{
    char flag[8];
    return vault_meta_get(v, "vault_demo", flag, sizeof(flag)) == MNV_OK &&
           strcmp(flag, "yes") == 0;
}

int setup_is_demo(struct session *s)
{
    return session_ready(s) == MNV_OK && setup_vault_is_demo(session_vault(s));
}

int setup_demo_marks(struct session *s)
{
    static int marked; /* once per process: the mark is for good */
    if (!setup_is_demo(s))
        return 0;
    if (!marked && pdfdoc_mark_all(SETUP_DEMO_MARK) == MNV_OK)
        marked = 1;
    return 1;
}

enum mnv_err setup_get_org(struct session *s, struct setup_org *org)
{
    memset(org, 0, sizeof(*org));
    enum mnv_err err = session_ready(s);
    if (err != MNV_OK)
        return err;
    struct vault *v = session_vault(s);
    struct {
        const char *key;
        char *buf;
        size_t size;
    } f[] = {{"org_name", org->name, sizeof(org->name)},
             {"org_address", org->address, sizeof(org->address)},
             {"org_corporate_number", org->corporate_number, sizeof(org->corporate_number)}};
    for (size_t i = 0; i < MNV_ARRAY_LEN(f); i++) {
        err = vault_meta_get(v, f[i].key, f[i].buf, f[i].size);
        if (err != MNV_OK && err != MNV_ERR_NOT_FOUND)
            return err;
    }
    return MNV_OK;
}

struct org_ctx {
    const struct setup_org *org;
    const char *corp, *detail;
};

static enum mnv_err set_org_body(struct session *s, struct change *c, void *ud,
                                 struct mnv_diag *diag)
{
    const struct org_ctx *x = ud;
    struct vault *v = session_vault(s);
    enum mnv_err err = vault_meta_set(v, "org_name", x->org->name, diag);
    if (err == MNV_OK)
        err = vault_meta_set(v, "org_address", x->org->address, diag);
    if (err == MNV_OK)
        err = vault_meta_set(v, "org_corporate_number", x->corp, diag);
    change_detail(c, "%s", x->detail);
    return err;
}

enum mnv_err setup_set_org(struct session *s, const struct setup_org *org, struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_SETTINGS_CHANGE, "organisation", diag);
    if (err != MNV_OK)
        return err;
    char corp[14];
    err = field(diag, "org_name", person_check_text(org->name, SETUP_ORG_MAX, 1));
    if (err == MNV_OK)
        err = field(diag, "org_address", person_check_text(org->address, SETUP_ADDRESS_MAX, 0));
    struct mynumber n;
    if (err == MNV_OK) {
        err = mynumber_parse(&n, MYNUMBER_CORPORATE, org->corporate_number,
                             strlen(org->corporate_number), diag);
        if (err != MNV_OK)
            return field(diag, "corporate_number", err);
        memcpy(corp, n.digits, 14);
        mynumber_clear(&n);
    }
    if (err != MNV_OK)
        return err;
    struct setup_org old;
    err = setup_get_org(s, &old);
    if (err != MNV_OK)
        return err;
    char detail[96] = "fields=";
    if (strcmp(old.name, org->name))
        strcat(detail, "org_name,");
    if (strcmp(old.address, org->address))
        strcat(detail, "org_address,");
    if (strcmp(old.corporate_number, corp))
        strcat(detail, "org_corporate_number,");
    size_t dl = strlen(detail);
    if (detail[dl - 1] == ',')
        detail[dl - 1] = '\0';
    else
        return MNV_OK; /* nothing changed */
    struct org_ctx x = {org, corp, detail};
    return change_run(s, "setting.change", "organisation", set_org_body, &x, diag);
}

enum mnv_err setup_get_timezone(struct session *s, char *zone, size_t size)
{
    enum mnv_err err = session_ready(s);
    if (err != MNV_OK)
        return err;
    err = vault_meta_get(session_vault(s), "org_timezone", zone, size);
    if (err == MNV_ERR_NOT_FOUND) {
        snprintf(zone, size, "%s", SESSION_DEFAULT_ZONE);
        err = MNV_OK;
    }
    return err;
}

static enum mnv_err set_zone_body(struct session *s, struct change *c, void *ud,
                                  struct mnv_diag *diag)
{
    const char *zone = ud;
    change_detail(c, "fields=org_timezone zone=%s", zone);
    return vault_meta_set(session_vault(s), "org_timezone", zone, diag);
}

enum mnv_err setup_set_timezone(struct session *s, const char *zone, struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_SETTINGS_CHANGE, "organisation", diag);
    if (err != MNV_OK)
        return err;
    if (!clock_zone_valid(zone))
        return field(diag, "timezone", MNV_ERR_FIELD_CHOICE);
    return change_run(s, "setting.change", "organisation", set_zone_body, (void *)zone, diag);
}
