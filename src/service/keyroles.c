#include "mnvault/keyroles.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/audit.h"
#include "mnvault/auditlog.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/numberdb.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/vault.h"

unsigned keyroles_for_role(enum mnv_role role)
{
    switch (role) {
    case ROLE_CLERK:
        return KEYRING_KEY_VK | KEYRING_KEY_NK;
    case ROLE_SUPERVISOR:
        return KEYRING_KEY_VK | KEYRING_KEY_NK | KEYRING_KEY_BK;
    case ROLE_AUDITOR:
        return KEYRING_KEY_VK;
    case ROLE_ADMIN:
        return KEYRING_KEY_VK | KEYRING_KEY_BK;
    default:
        return 0;
    }
}

unsigned keyroles_admin_gives(enum mnv_role role)
{
    return keyroles_for_role(role) & ~(unsigned)KEYRING_KEY_NK;
}

int keyroles_pending(const struct keyring *kr, const char *name, enum mnv_role role)
{
    const struct keyring_slot *slot = keyring_find_slot(kr, name);
    if (!slot || slot->kind == KEYRING_SLOT_LEGACY)
        return slot && (keyroles_for_role(role) & KEYRING_KEY_NK);
    unsigned missing = keyroles_for_role(role) & ~keyring_slot_keys(kr, slot);
    return (missing & KEYRING_KEY_NK) != 0;
}

enum keyroles_account keyroles_account_state(struct session *s, const char *name)
{
    struct vault *v = session_vault(s);
    struct user_rec u;
    if (!v || userdb_get(v, name, &u, NULL) != MNV_OK || u.disabled ||
        !keyring_find_slot(vault_keyring(v), name))
        return KEYROLES_NO_SLOT;
    return keyroles_pending(vault_keyring(v), name, u.role) ? KEYROLES_PENDING : KEYROLES_COMPLETE;
}

enum mnv_err keyroles_code(struct session *s, const char *name, char out[KEYRING_CODE_SIZE])
{
    out[0] = '\0';
    struct vault *v = session_vault(s);
    return v ? keyring_slot_code(vault_keyring(v), name, out) : MNV_ERR_USER_NOT_FOUND;
}

/* ---- approving ------------------------------------------------------------------------------ */

struct grant {
    const char *name;
    const struct keyring_keys *keys;
    enum mnv_role role;
};

static enum mnv_err grant_fn(struct keyring *kr, void *ud)
{
    const struct grant *g = ud;
    return keyring_slot_grant(kr, g->name, g->keys, KEYRING_KEY_NK);
}

/* Only the key file changes: the slot gets NK, written with the entry's anchor. */
static enum mnv_err approve_body(struct session *s, struct change *c, void *ud,
                                 struct mnv_diag *diag)
{
    (void)s;
    (void)diag;
    struct grant *g = ud;
    change_detail(c, "role=%s", role_name(g->role));
    c->keyfile = grant_fn;
    c->keyfile_ud = g;
    return MNV_OK;
}

enum mnv_err keyroles_approve(struct session *s, const char *name, const char *code,
                              struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_USER_APPROVE, name, diag);
    if (err != MNV_OK)
        return err;
    if (strcmp(name, session_user(s)) == 0)
        return MNV_ERR_SELF;
    struct vault *v = session_vault(s);
    struct user_rec u;
    err = userdb_get(v, name, &u, diag);
    if (err != MNV_OK)
        return err;
    if (u.disabled)
        return MNV_ERR_DISABLED;
    const struct keyring_slot *slot = keyring_find_slot(vault_keyring(v), name);
    if (!slot)
        return MNV_ERR_USER_NOT_FOUND;
    if (!keyroles_pending(vault_keyring(v), name, u.role) || slot->kind == KEYRING_SLOT_LEGACY)
        return MNV_ERR_NOT_PENDING;
    if (!vault_has_numbers(v))
        return MNV_ERR_NUMBER_KEY;
    char want[KEYRING_CODE_SIZE];
    err = slot->kind == KEYRING_SLOT_ONE_TIME ? MNV_ERR_APPROVAL_EARLY
                                              : keyring_slot_code(vault_keyring(v), name, want);
    if (err == MNV_OK && !keyring_code_equal(code, want))
        err = MNV_ERR_APPROVAL_CODE;
    if (err != MNV_OK) {
        char why[48];
        snprintf(why, sizeof(why), "role=%s reason=%s", role_name(u.role),
                 err == MNV_ERR_APPROVAL_CODE ? "code" : "slot");
        audit_note(s, "user.approve", name, "refused", why);
        return err;
    }
    struct grant g = {name, vault_keys(v), u.role};
    return change_run(s, "user.approve", name, approve_body, &g, diag);
}

/* ---- rotations ------------------------------------------------------------------------------ */

struct vk_change {
    struct keyring_keys *keys;
    int rotate_bk;
    int nk_due;
};

static enum mnv_err vk_begin_fn(struct keyring *kr, void *ud)
{
    struct vk_change *c = ud;
    enum mnv_err err = keyring_vk_begin(kr, c->keys);
    if (err == MNV_OK && c->rotate_bk)
        err = keyring_rotate_bk(kr, c->keys);
    if (err == MNV_OK && c->nk_due)
        keyring_set_flag(kr, KEYRING_F_NK_ROTATION_DUE);
    return err;
}

/* Who the rotation entries are written for: a session's user, or "recovery". */
struct actor {
    struct vault *v;
    const char *user, *role;
};

static struct actor actor_of(struct session *s)
{
    struct actor a = {session_vault(s), session_user(s), role_name(session_role(s))};
    return a;
}

static enum mnv_err append(const struct actor *a, const char *action, const char *detail,
                           struct mnv_diag *diag)
{
    struct audit_event ev = {0, a->user, a->role, action, "", "ok", detail};
    return auditlog_append(a->v, &ev, NULL, diag);
}

/* One entry in a transaction of its own. */
static enum mnv_err record(const struct actor *a, const char *action, const char *detail,
                           struct mnv_diag *diag)
{
    struct audit_event ev = {0, a->user, a->role, action, "", "ok", detail};
    return auditlog_record(a->v, &ev, diag);
}

struct rotate_audit {
    const struct actor *a;
    const char *detail;
    struct mnv_diag *diag;
};

static enum mnv_err rotate_audit_fn(void *ud)
{
    struct rotate_audit *r = ud;
    return append(r->a, "key.rotate", r->detail, r->diag);
}

/* A new VK: announced to every slot, vault.db rekeyed, then made the current one. */
static enum mnv_err rotate_vk(const struct actor *a, int rotate_bk, int nk_due, const char *detail,
                              struct mnv_diag *diag)
{
    struct vk_change c = {vault_keys(a->v), rotate_bk, nk_due};
    struct rotate_audit r = {a, detail, diag};
    enum mnv_err err = vault_keyring_update(a->v, vk_begin_fn, &c, diag);
    if (err == MNV_OK)
        err = vault_vk_finish(a->v, rotate_audit_fn, &r, diag);
    return err;
}

static enum mnv_err rotate_numbers(const struct actor *a, int new_nk, long *rewrapped,
                                   struct mnv_diag *diag)
{
    *rewrapped = 0;
    struct vault *v = a->v;
    if (!vault_has_numbers(v))
        return MNV_ERR_NUMBER_KEY;
    uint32_t id;
    enum mnv_err err = numberdb_rotate_begin(v, new_nk, &id, diag);
    if (err == MNV_ERR_KEYFILE_FULL && !new_nk) {
        /* Earlier rotations were interrupted: finish them first. */
        err = MNV_OK;
        id = keyring_epoch_current(vault_keyring(v));
    }
    if (err != MNV_OK)
        return err;
    err = vault_begin(v, diag);
    if (err != MNV_OK)
        return err;
    struct numberdb_rewrapped n;
    err = numberdb_rewrap_sealed(v, &n, diag);
    *rewrapped = n.numbers;
    char detail[128];
    snprintf(detail, sizeof(detail), "epoch=%u rewrapped=%ld payroll=%ld insurance=%ld", id,
             n.numbers, n.payroll, n.insurance);
    if (err == MNV_OK)
        err = append(a, "epoch.rotate", detail, diag);
    if (err == MNV_OK && new_nk) {
        snprintf(detail, sizeof(detail), "nk=%u",
                 (unsigned)keyring_key_id(vault_keyring(v), KEYRING_KEY_NK));
        err = append(a, "key.rotate", detail, diag);
    }
    if (err != MNV_OK) {
        vault_rollback(v);
        return err;
    }
    err = vault_commit(v, diag);
    size_t forgotten;
    if (err == MNV_OK)
        err = numberdb_rotate_finish(v, &forgotten, diag);
    return err;
}

enum mnv_err keyroles_rotate_numbers(struct session *s, int new_nk, long *rewrapped,
                                     struct mnv_diag *diag)
{
    struct actor a = actor_of(s);
    return rotate_numbers(&a, new_nk, rewrapped, diag);
}

static enum mnv_err due_note(const struct actor *a, const char *what, const char *name,
                             struct mnv_diag *diag)
{
    char detail[96];
    snprintf(detail, sizeof(detail), "%s for=%s", what, name);
    return record(a, "key.due", detail, diag);
}

static enum mnv_err bk_fn(struct keyring *kr, void *ud)
{
    return keyring_rotate_bk(kr, ud);
}

/* A new BK alone (no VK rotation): given to every holder, audited. */
static enum mnv_err rotate_bk(const struct actor *a, struct mnv_diag *diag)
{
    enum mnv_err err = vault_keyring_update(a->v, bk_fn, vault_keys(a->v), diag);
    char detail[32];
    snprintf(detail, sizeof(detail), "bk=%u",
             (unsigned)keyring_key_id(vault_keyring(a->v), KEYRING_KEY_BK));
    if (err == MNV_OK)
        err = record(a, "key.rotate", detail, diag);
    return err;
}

static enum mnv_err removed(const struct actor *a, const char *name, unsigned lost, int slot_gone,
                            struct mnv_diag *diag)
{
    struct vault *v = a->v;
    const struct keyring_keys *k = vault_keys(v);
    int bk_now = (lost & KEYRING_KEY_BK) && (k->have & KEYRING_HAVE_BK);
    int nk_now = (lost & KEYRING_KEY_NK) && vault_has_numbers(v);
    enum mnv_err err = MNV_OK;
    if (slot_gone) {
        char detail[96], bk[24] = "";
        if (bk_now)
            snprintf(bk, sizeof(bk), " bk=%u",
                     (unsigned)keyring_key_id(vault_keyring(v), KEYRING_KEY_BK) + 1);
        snprintf(detail, sizeof(detail), "vk=%u%s for=%s",
                 (unsigned)keyring_key_id(vault_keyring(v), KEYRING_KEY_VK) + 1, bk, name);
        err = rotate_vk(a, bk_now, (lost & KEYRING_KEY_NK) && !nk_now, detail, diag);
    } else if (bk_now) {
        err = rotate_bk(a, diag);
    }
    if (err == MNV_OK && (lost & KEYRING_KEY_NK) && !nk_now)
        err = due_note(a, "nk", name, diag);
    if (err == MNV_OK && (lost & KEYRING_KEY_BK) && !bk_now)
        err = due_note(a, "bk", name, diag);
    long n;
    if (err == MNV_OK && nk_now)
        err = rotate_numbers(a, 1, &n, diag);
    return err;
}

enum mnv_err keyroles_removed(struct session *s, const char *name, unsigned lost, int slot_gone,
                              struct mnv_diag *diag)
{
    struct actor a = actor_of(s);
    return removed(&a, name, lost, slot_gone, diag);
}

enum mnv_err keyroles_removed_as(struct vault *v, const char *actor, const char *name,
                                 unsigned lost, int slot_gone, struct mnv_diag *diag)
{
    struct actor a = {v, actor, ""};
    return removed(&a, name, lost, slot_gone, diag);
}

/* ---- housekeeping ---------------------------------------------------------------------------- */

static enum mnv_err remove_fn(struct keyring *kr, void *ud)
{
    (void)keyring_slot_remove(kr, ud);
    return MNV_OK;
}

/* The change of an expired account: its slot leaves the key file with the commit. */
static enum mnv_err expire_body(struct session *s, struct change *c, void *ud,
                                struct mnv_diag *diag)
{
    (void)s;
    (void)diag;
    c->keyfile = remove_fn;
    c->keyfile_ud = ud;
    return MNV_OK;
}

/* Accounts past their last valid day lose their slot, and what they held is replaced. */
static void expire_accounts(struct session *s)
{
    struct vault *v = session_vault(s);
    struct user_rec *users;
    size_t n;
    if (userdb_list(v, &users, &n, NULL) != MNV_OK)
        return;
    time_t now = clock_now();
    for (size_t i = 0; i < n; i++) {
        const struct keyring_slot *slot = keyring_find_slot(vault_keyring(v), users[i].name);
        if (!slot || session_window_check(v, &users[i], now) != MNV_ERR_EXPIRED)
            continue;
        unsigned had = keyring_slot_keys(vault_keyring(v), slot);
        enum mnv_err err =
            change_run(s, "user.expire", users[i].name, expire_body, users[i].name, NULL);
        if (err == MNV_OK)
            err = keyroles_removed(s, users[i].name, had | KEYRING_KEY_VK, 1, NULL);
        if (err != MNV_OK)
            audit_note(s, "user.expire", users[i].name, "failed", mnv_err_name(err));
    }
    free(users);
}

/* Is a loss of a key ("nk" or "bk") on record (key.due) after its last rotation? */
static int due(struct session *s, const char *what)
{
    struct vault *v = session_vault(s);
    uint64_t lost = 0, rotated = 0;
    char rot[8], lose[16];
    snprintf(rot, sizeof(rot), "%s=", what);
    snprintf(lose, sizeof(lose), "%s for=", what);
    if (auditlog_last(v, "key.due", lose, &lost) != MNV_OK || lost == 0)
        return 0;
    if (auditlog_last(v, "key.rotate", rot, &rotated) != MNV_OK)
        return 0;
    return lost > rotated;
}

void keyroles_housekeeping(struct session *s)
{
    struct vault *v = session_vault(s);
    expire_accounts(s);
    long n;
    if (vault_has_numbers(v) && due(s, "nk")) {
        enum mnv_err err = keyroles_rotate_numbers(s, 1, &n, NULL);
        if (err != MNV_OK)
            audit_note(s, "key.rotate", "", "failed", mnv_err_name(err));
    }
    struct actor a = actor_of(s);
    if ((vault_keys(v)->have & KEYRING_HAVE_BK) && due(s, "bk")) {
        enum mnv_err err = rotate_bk(&a, NULL);
        if (err != MNV_OK)
            audit_note(s, "key.rotate", "", "failed", mnv_err_name(err));
    }
}
