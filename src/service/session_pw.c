/*
 * session_pw.c: a signed-in user's password checked again (unlocking a locked session,
 * changing the password), locking, and the access window. Part of session.h.
 */
#include <stdio.h>
#include <string.h>

#include "mnvault/clock.h"
#include "mnvault/keyroles.h"
#include "mnvault/logindb.h"
#include "mnvault/pwpolicy.h"
#include "mnvault/secmem.h"
#include "session_int.h"

/* The password opens this user's slot, and the slot is this vault's (same VK). */
static enum mnv_err check_password(struct session *s, const char *pw, size_t len,
                                   struct login_info *info, struct mnv_diag *diag)
{
    time_t now = clock_now();
    struct keyring_login_state st;
    int locked_now;
    enum mnv_err err =
        session_count_attempt(s->kr, s->user.name, now, &st, &locked_now, info, diag);
    if (err != MNV_OK)
        return err;
    struct keyring_keys *k = keyring_keys_new();
    if (!k)
        return MNV_ERR_NOMEM;
    const struct keyring_keys *mine = vault_keys(s->v);
    err = keyring_slot_open(s->kr, s->user.name, pw, len, k);
    if (err == MNV_OK && (!(k->have & KEYRING_HAVE_VK) || k->vk_id != mine->vk_id ||
                          !secmem_equal(k->vk, mine->vk, VCRYPTO_KEY_LEN)))
        err = MNV_ERR_SLOT_WRONG; /* a slot of some other vault, or of another time */
    keyring_keys_free(k);
    if (err == MNV_ERR_SLOT_WRONG) {
        session_own_note(s, "unlock.failed", "failed", "");
        if (locked_now) {
            session_own_note(s, "lockout", "failed", "");
            session_note_syslog(&s->opt, "account locked", s->user.name);
        }
        session_note_syslog(&s->opt, "failed password check", s->user.name);
        session_fail_info(info, &st, locked_now, now);
        return locked_now ? MNV_ERR_LOCKED : MNV_ERR_LOGIN_FAILED;
    }
    if (err == MNV_OK)
        session_reset_counter(s->kr, s->user.name);
    return err;
}

void session_close_vault(struct session *s)
{
    vault_suspend(s->v);
    s->state = ST_LOCKED;
}

void session_lock(struct session *s)
{
    if (s->state != ST_READY)
        return;
    session_own_note(s, "session.lock", "ok", "");
    session_close_vault(s);
}

enum mnv_err session_unlock(struct session *s, const char *password, size_t len,
                            struct login_info *info, struct mnv_diag *diag)
{
    if (info)
        memset(info, 0, sizeof(*info));
    if (s->state != ST_LOCKED)
        return MNV_ERR_INVALID;
    return session_reopen(s, password, len, info, diag);
}

/* ---- password change ------------------------------------------------------------------------ */

/* The new slot, also written as pending before the commit: a crash after the commit but
 * before the key file write leaves the new password working (keyring.h). */
static enum mnv_err put_slot_fn(struct keyring *kr, void *ud)
{
    enum mnv_err err = keyring_slot_put(kr, ud);
    if (err == MNV_OK && ((const struct keyring_slot *)ud)->kind == KEYRING_SLOT_PASSWORD)
        keyring_pending_set(kr, ud);
    return err;
}

/* The new slot: the same keys the old one held, a new key pair (into self). */
static enum mnv_err new_slot(struct session *s, const char *pw, size_t len,
                             struct keyring_slot *slot, struct keyring_keys *self)
{
    struct vcrypto_kdf kdf;
    session_kdf(s, &kdf);
    const struct keyring_keys *keys = vault_keys(s->v);
    keyring_keys_copy(self, keys);
    const struct keyring_slot *old = keyring_find_slot(s->kr, s->user.name);
    unsigned give = old ? keyring_slot_keys(s->kr, old) : KEYRING_KEY_VK;
    return keyring_slot_make(s->kr, KEYRING_SLOT_PASSWORD, s->user.name, pw, len, &kdf, keys,
                             give | KEYRING_KEY_VK, slot, self);
}

static enum mnv_err store_change(struct session *s, const struct keyring_slot *slot,
                                 struct mnv_diag *diag);

enum mnv_err session_change_password(struct session *s, const char *old_pw, size_t old_len,
                                     const char *new_pw, size_t new_len, struct login_info *info,
                                     struct mnv_diag *diag)
{
    if (info)
        memset(info, 0, sizeof(*info));
    if (s->state != ST_READY && s->state != ST_MUST_CHANGE)
        return session_ready(s);
    if (s->state == ST_READY && !old_pw)
        return MNV_ERR_LOGIN_FAILED;
    enum mnv_err err = pwpolicy_check(new_pw, new_len, s->user.name, s->user.has_totp, diag);
    if (err != MNV_OK)
        return err;
    if (old_pw) {
        if (old_len == new_len && secmem_equal(old_pw, new_pw, new_len))
            return MNV_ERR_PW_SAME;
        err = check_password(s, old_pw, old_len, info, diag);
        if (err != MNV_OK)
            return err;
    }
    struct keyring_slot slot;
    struct keyring_keys *self = keyring_keys_new();
    err = self ? new_slot(s, new_pw, new_len, &slot, self) : MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = store_change(s, &slot, diag);
    if (err == MNV_OK) /* the session keeps opening its (new) slot's envelopes */
        keyring_keys_copy(vault_keys(s->v), self);
    keyring_keys_free(self);
    return err;
}

static enum mnv_err store_change(struct session *s, const struct keyring_slot *slot,
                                 struct mnv_diag *diag)
{
    struct user_rec u = s->user;
    u.must_change = 0;
    u.password_changed_at = (int64_t)clock_now();
    enum mnv_err err = vault_begin(s->v, diag);
    if (err != MNV_OK)
        return err;
    err = userdb_update(s->v, &u, diag);
    if (err == MNV_OK)
        err = session_own_entry(s, "password.change", "ok", "", diag);
    if (err != MNV_OK) {
        vault_rollback(s->v);
        return err;
    }
    err = vault_commit_with(s->v, put_slot_fn, (void *)slot, diag);
    if (err != MNV_OK)
        return err;
    s->user = u;
    s->state = ST_READY;
    return MNV_OK;
}

/* ---- the access window ---------------------------------------------------------------------- */

enum mnv_err session_window_check(struct vault *v, const struct user_rec *u, time_t now)
{
    if (!u->valid_until[0] && u->win_days == 127 && u->win_start == 0 && u->win_end == 1440)
        return MNV_OK; /* no limit: the zone does not matter */
    char zone[CLOCK_ZONE_MAX + 1];
    if (vault_meta_get(v, "org_timezone", zone, sizeof(zone)) != MNV_OK)
        snprintf(zone, sizeof(zone), "%s", SESSION_DEFAULT_ZONE);
    struct tm tm;
    if (clock_local_in(zone, now, &tm) != 0)
        return MNV_ERR_WINDOW; /* no time zone database: refuse rather than guess */
    char today[32];
    snprintf(today, sizeof(today), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    if (u->valid_until[0] && strcmp(today, u->valid_until) > 0)
        return MNV_ERR_EXPIRED;
    unsigned bit = 1u << ((tm.tm_wday + 6) % 7); /* Monday = bit 0 */
    if (!(u->win_days & bit))
        return MNV_ERR_WINDOW;
    int minute = tm.tm_hour * 60 + tm.tm_min;
    int start = u->win_start, end = u->win_end;
    int inside = start < end ? (minute >= start && minute < end)
                             : start > end && (minute >= start || minute < end);
    return inside ? MNV_OK : MNV_ERR_WINDOW;
}
