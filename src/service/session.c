#include "mnvault/session.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>

#include "mnvault/auditlog.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/keyring.h"
#include "mnvault/keyroles.h"
#include "mnvault/logindb.h"
#include "mnvault/numtext.h"
#include "mnvault/purposecat.h"
#include "mnvault/role.h"
#include "mnvault/secmem.h"
#include "mnvault/syslogmsg.h"
#include "mnvault/totp.h"
#include "mnvault/upgrade.h"
#include "session_int.h"

void session_options_from_config(struct session_options *o, const struct mnv_config *cfg)
{
    vault_options_default(&o->vault);
    o->vault.cache_mib = cfg->cache_mib;
    o->vault.memory_security = cfg->memory_security;
    o->vault.syslog = cfg->syslog;
    o->kdf_strong = strcmp(cfg->kdf_strength, "sensitive") == 0;
}

long session_lock_delay(unsigned n)
{
    long d = SESSION_LOCK_BASE_SECONDS;
    for (unsigned i = 1; i < n && d < SESSION_LOCK_MAX_SECONDS; i++)
        d *= 2;
    return d < SESSION_LOCK_MAX_SECONDS ? d : SESSION_LOCK_MAX_SECONDS;
}

void session_note_syslog(const struct session_options *o, const char *what, const char *name)
{
    if (!o->vault.syslog)
        return;
    syslogmsg_send(LOG_WARNING, "%s: %s", what, name[0] ? name : "(unknown user)");
}

/* ---- the failure counter ------------------------------------------------------------------ */

/*
 * Before a password or code is checked: refuse when locked; otherwise count this attempt
 * and write it, with a provisional lock when it is the last one allowed.
 */
enum mnv_err session_count_attempt(struct keyring *kr, const char *name, time_t now,
                                   struct keyring_login_state *st, int *locked_now,
                                   struct login_info *info, struct mnv_diag *diag)
{
    *locked_now = 0;
    enum mnv_err err = keyring_begin(kr, NULL, diag);
    if (err != MNV_OK)
        return err;
    keyring_login_state_get(kr, name, st);
    if (st->locked_until > (int64_t)now) {
        keyring_abort(kr);
        if (info)
            info->wait_seconds = (long)(st->locked_until - (int64_t)now);
        return MNV_ERR_LOCKED;
    }
    /* A copy put back (keyring_replaced()) is queued for the audit log by the write below. */
    st->failures++;
    st->last_failure = (int64_t)now;
    if (st->failures >= SESSION_MAX_FAILURES) {
        st->lockouts++;
        st->locked_until = (int64_t)now + session_lock_delay(st->lockouts);
        st->failures = 0;
        *locked_now = 1;
    }
    keyring_login_state_set(kr, name, st);
    return keyring_commit(kr, NULL, diag);
}

/* After a wrong password: queue the events for the audit log, tell syslog. */
static void record_failure(struct keyring *kr, const char *name, int locked_now,
                           enum keyring_event_kind kind, time_t now,
                           const struct session_options *o)
{
    const char *known = keyring_find_slot(kr, name) ? name : "";
    if (keyring_begin(kr, NULL, NULL) == MNV_OK) {
        keyring_event_add(kr, (int64_t)now, kind, known);
        if (locked_now)
            keyring_event_add(kr, (int64_t)now, KEYRING_EVENT_LOCKOUT, known);
        if (keyring_commit(kr, NULL, NULL) != MNV_OK)
            keyring_abort(kr);
    }
    session_note_syslog(o, kind == KEYRING_EVENT_UNLOCK_FAILED ? "failed unlock" : "failed login",
                        known);
    if (locked_now)
        session_note_syslog(o, "account locked", known);
}

/* The password was right: whatever happens next is not a guess. */
void session_reset_counter(struct keyring *kr, const char *name)
{
    if (keyring_begin(kr, NULL, NULL) != MNV_OK)
        return;
    struct keyring_login_state zero = {0};
    keyring_login_state_set(kr, name, &zero);
    if (keyring_commit(kr, NULL, NULL) != MNV_OK)
        keyring_abort(kr);
}

void session_fail_info(struct login_info *info, const struct keyring_login_state *st,
                       int locked_now, time_t now)
{
    if (!info)
        return;
    info->attempts_left = locked_now ? 0 : SESSION_MAX_FAILURES - (int)st->failures;
    if (info->attempts_left < 0)
        info->attempts_left = 0;
    if (locked_now)
        info->wait_seconds = (long)(st->locked_until - (int64_t)now);
}

/* ---- completing a login ------------------------------------------------------------------ */

struct consume {
    struct keyring_event events[KEYRING_MAX_EVENTS];
    size_t n;
    uint32_t dropped;
    const char *user;
    const struct keyring_slot *convert; /* NULL, or the slot replacing a legacy one */
};

static enum mnv_err consume_fn(struct keyring *kr, void *ud)
{
    struct consume *c = ud;
    struct keyring_login_state zero = {0};
    keyring_events_consume(kr, c->events, c->n, c->dropped);
    keyring_login_state_set(kr, c->user, &zero);
    if (!c->convert)
        return MNV_OK;
    enum mnv_err err = keyring_slot_put(kr, c->convert);
    if (err == MNV_OK && keyring_legacy_count(kr) == 0)
        keyring_legacy_forget(kr); /* the last format-1 slot is gone: so goes the bridge */
    return err;
}

static const char *event_action(uint8_t kind)
{
    switch (kind) {
    case KEYRING_EVENT_LOCKOUT:
        return "lockout";
    case KEYRING_EVENT_UNLOCK_FAILED:
        return "unlock.failed";
    case KEYRING_EVENT_REPLACED:
        return "keyfile.replaced";
    case KEYRING_EVENT_LOGOUT:
        return "logout";
    default:
        return "login.failed";
    }
}

static void own_event(const struct session *s, struct audit_event *ev, const char *action,
                      const char *result, const char *detail)
{
    struct audit_event e = {0,      s->user.name, role_name(s->user.role), action, s->user.name,
                            result, detail};
    *ev = e;
}

enum mnv_err session_own_entry(struct session *s, const char *action, const char *result,
                               const char *detail, struct mnv_diag *diag)
{
    struct audit_event ev;
    own_event(s, &ev, action, result, detail);
    return auditlog_append(s->v, &ev, NULL, diag);
}

/* A vault that refuses even this write is damaged or its disk full, which the next command
 * reports. */
void session_own_note(struct session *s, const char *action, const char *result, const char *detail)
{
    struct audit_event ev;
    own_event(s, &ev, action, result, detail);
    if (auditlog_record(s->v, &ev, NULL) != MNV_OK)
        return;
}

/* Copy the events queued in the key file into the open transaction. */
static enum mnv_err flush_events(struct session *s, struct consume *c, struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    enum mnv_err err = keyring_begin(s->kr, vault_keys(v), diag);
    if (err != MNV_OK)
        return err;
    c->n = keyring_event_count(s->kr);
    for (size_t i = 0; i < c->n; i++)
        c->events[i] = *keyring_event_at(s->kr, i);
    c->dropped = keyring_events_dropped(s->kr);
    err = logindb_mirror(v, s->kr, diag); /* the lockouts as they stand, out of the file */
    keyring_abort(s->kr);
    for (size_t i = 0; i < c->n && err == MNV_OK; i++) {
        /* A name typed at the login prompt is kept unless it holds a My Number. */
        const char *name = c->events[i].name;
        int withheld = numtext_has_number(name, strlen(name), NUMTEXT_ANY_RUN);
        int replaced = c->events[i].kind == KEYRING_EVENT_REPLACED;
        int logout = c->events[i].kind == KEYRING_EVENT_LOGOUT;
        struct audit_event ev = {c->events[i].time,
                                 withheld ? "" : name,
                                 "",
                                 event_action(c->events[i].kind),
                                 withheld ? "" : name,
                                 logout ? "ok" : "failed",
                                 withheld   ? "name_withheld"
                                 : replaced ? "failures_after_this_time_may_be_missing"
                                 : logout   ? "from_lock_screen"
                                            : ""};
        err = auditlog_append(v, &ev, NULL, diag);
    }
    if (err == MNV_OK && c->dropped) {
        char detail[64];
        snprintf(detail, sizeof(detail), "dropped=%u", c->dropped);
        struct audit_event ev = {0, "", "", "login.failed", "", "failed", detail};
        err = auditlog_append(v, &ev, NULL, diag);
    }
    return err;
}

/* What the open noticed about the key file goes on record at once, whatever follows. */
static void note_keyfile(struct session *s)
{
    unsigned noticed = vault_keyfile_noticed(s->v);
    if (noticed & VAULT_NOTICED_STATE)
        session_own_note(s, "keyfile.state_rollback", "failed", "login_state_older_than_db");
    if (noticed & VAULT_NOTICED_REPAIRED)
        session_own_note(s, "keyfile.rollback", "failed", "rolled_forward_from_journal");
    if (noticed & VAULT_NOTICED_STEP)
        session_own_note(s, "keyfile.crash_step", "failed", "epoch_not_written");
    if (noticed & (VAULT_NOTICED_STATE | VAULT_NOTICED_REPAIRED))
        session_note_syslog(&s->opt, "key file older than the database records", "vault.keys");
}

/* The syslog copy is on or off by the system file; a change since the last sign-in is
 * written into the log (meta audit_syslog remembers the last). */
static enum mnv_err note_syslog_switch(struct session *s, struct mnv_diag *diag)
{
    const char *now = s->opt.vault.syslog ? "on" : "off";
    char was[8];
    enum mnv_err err = vault_meta_get(s->v, "audit_syslog", was, sizeof(was));
    if (err == MNV_ERR_NOT_FOUND)
        snprintf(was, sizeof(was), "on");
    else if (err != MNV_OK)
        return err;
    if (strcmp(was, now) == 0)
        return MNV_OK;
    char detail[32];
    snprintf(detail, sizeof(detail), "syslog=%s", now);
    err = session_own_entry(s, "setting.syslog", "ok", detail, diag);
    return err == MNV_OK ? vault_meta_set(s->v, "audit_syslog", now, diag) : err;
}

/* The sign-in (action "login") or unlock ("session.unlock") made: queued events flushed, the
 * counter reset, the entry written, all in one transaction. */
static enum mnv_err complete_signin(struct session *s, uint64_t totp_step, const char *action,
                                    struct mnv_diag *diag)
{
    struct consume *c = calloc(1, sizeof(*c));
    if (!c)
        return MNV_ERR_NOMEM;
    c->user = s->user.name;
    c->convert = s->converting ? &s->convert : NULL;
    enum mnv_err err = vault_begin(s->v, diag);
    /* First: of two sign-ins that checked the same code, only one may use it. */
    if (err == MNV_OK && totp_step)
        err = userdb_totp_claim_step(s->v, s->user.id, totp_step, diag);
    if (err == MNV_OK)
        err = flush_events(s, c, diag);
    if (err == MNV_OK)
        err = note_syslog_switch(s, diag);
    const char *detail = s->user.must_change ? "must_change" : "";
    if (err == MNV_OK && session_pending(s))
        detail = s->user.must_change ? "must_change pending_approval" : "pending_approval";
    if (err == MNV_OK)
        err = session_own_entry(s, action, "ok", detail, diag);
    if (err == MNV_OK)
        err = vault_commit_with(s->v, consume_fn, c, diag);
    else
        vault_rollback(s->v);
    free(c);
    if (err != MNV_OK)
        return err;
    s->converting = 0;
    s->user.totp_last_step = totp_step ? totp_step : s->user.totp_last_step;
    s->state = s->user.must_change ? ST_MUST_CHANGE : ST_READY;
    return s->state == ST_READY ? MNV_OK : MNV_ERR_MUST_CHANGE;
}

static enum mnv_err complete_login(struct session *s, uint64_t totp_step, struct mnv_diag *diag)
{
    enum mnv_err err = complete_signin(s, totp_step, "login", diag);
    if (err == MNV_OK || err == MNV_ERR_MUST_CHANGE)
        keyroles_housekeeping(s);
    return err;
}

/* ---- login --------------------------------------------------------------------------------- */

static void session_free(struct session *s)
{
    if (!s)
        return;
    vault_close(s->v);
    keyring_free(s->kr);
    purpose_catalog_free(&s->purposes);
    secmem_wipe(s, sizeof(*s));
    free(s);
}

static enum mnv_err load_keyring(const char *dir, struct keyring **kr, struct mnv_diag *diag)
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

/* A legacy (format-1) slot: prepare the format-2 slot that replaces it at this login. */
static enum mnv_err prepare_convert(struct session *s, const char *password, size_t len)
{
    const struct keyring_slot *slot = keyring_find_slot(s->kr, s->user.name);
    if (!slot || slot->kind != KEYRING_SLOT_LEGACY)
        return MNV_OK;
    struct vcrypto_kdf kdf;
    session_kdf(s, &kdf);
    struct keyring_keys *keys = vault_keys(s->v);
    unsigned give = keyroles_admin_gives(s->user.role) & keys->have;
    enum mnv_err err = keyring_slot_make(
        s->kr, slot->legacy_one_time ? KEYRING_SLOT_ONE_TIME : KEYRING_SLOT_PASSWORD, s->user.name,
        password, len, &kdf, keys, give | KEYRING_KEY_VK, &s->convert, keys);
    if (err == MNV_OK)
        s->converting = 1;
    return err;
}

/* The vault, the user row, the account checks. */
static enum mnv_err open_for(struct session *s, time_t now, struct mnv_diag *diag)
{
    enum mnv_err err = userdb_get(s->v, s->user.name, &s->user, diag);
    if (err == MNV_ERR_USER_NOT_FOUND)
        err = MNV_ERR_LOGIN_FAILED; /* a slot without its user: say no more */
    /* The slot itself says whether its password was set by an administrator: it changes
     * atomically with the password, whatever became of the database's flag. */
    const struct keyring_slot *slot = keyring_find_slot(s->kr, s->user.name);
    if (err == MNV_OK && slot &&
        (slot->kind == KEYRING_SLOT_ONE_TIME ||
         (slot->kind == KEYRING_SLOT_LEGACY && slot->legacy_one_time)))
        s->user.must_change = 1;
    if (err == MNV_OK) {
        enum mnv_err e2 = vault_meta_get(s->v, "org_name", s->org, sizeof(s->org));
        if (e2 != MNV_OK && e2 != MNV_ERR_NOT_FOUND)
            err = e2;
    }
    if (err == MNV_OK)
        err = purpose_catalog_load(NULL, &s->purposes, diag);
    if (err != MNV_OK)
        return err;
    enum mnv_err deny =
        s->user.disabled ? MNV_ERR_DISABLED : session_window_check(s->v, &s->user, now);
    if (deny == MNV_OK && logindb_locked(s->v, s->kr, s->user.name, now))
        deny = MNV_ERR_LOCKED; /* locked on record, though the key file says otherwise */
    if (deny != MNV_OK) {
        s->state = ST_DEAD;
        session_own_note(s, "login", "denied", mnv_err_name(deny));
        return deny;
    }
    return MNV_OK;
}

/* The slot opened: the vault (upgrading a format-1 one), and the slot still the vault's. */
static enum mnv_err open_vault(struct session *s, struct keyring_keys *keys,
                               const struct keyring_slot *used, const char *password, size_t len,
                               struct mnv_diag *diag)
{
    int resume = s->v && vault_suspended(s->v);
    if (keyring_version(s->kr) == 1 && resume)
        return MNV_ERR_KEYFILE_ROLLBACK; /* a format-1 key file put back during the lock */
    if (keyring_version(s->kr) == 1) {
        enum mnv_err err =
            upgrade_vault(s->dir, s->kr, keys, s->user.name, password, len, &s->opt, &s->v, diag);
        /* The old master key no longer opens the database: it was upgraded (and rekeyed)
         * after this format-1 key file was written. */
        return err == MNV_ERR_DB_KEY ? MNV_ERR_KEYFILE_ROLLBACK : err;
    }
    enum mnv_err err = keyring_verify(s->kr, keys);
    if (err == MNV_OK)
        err = resume ? vault_resume(s->v, keys, diag)
                     : vault_open(s->dir, s->kr, keys, &s->opt.vault, &s->v, diag);
    if (err == MNV_OK)
        note_keyfile(s);
    /* A key file put back from before a password change is rolled forward by the open:
     * the password that opened the old slot is then no longer this user's. */
    if (err == MNV_OK && !keyring_slot_same(s->kr, used)) {
        session_own_note(s, "login", "failed", "old_key_file");
        err = MNV_ERR_SLOT_WRONG;
    }
    return err;
}

static struct session *session_new(const char *dir, const char *user,
                                   const struct session_options *o, struct keyring *kr)
{
    struct session *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    snprintf(s->dir, sizeof(s->dir), "%s", dir);
    s->opt = *o;
    s->kr = kr;
    userdb_init(&s->user);
    snprintf(s->user.name, sizeof(s->user.name), "%s", user);
    return s;
}

/* Argon2id on the slot, the vault opened with what it holds; failures counted. */
static enum mnv_err unlock_slot(struct session *s, const char *password, size_t len,
                                const struct keyring_login_state *st, int locked_now, time_t now,
                                struct login_info *info, struct mnv_diag *diag)
{
    struct keyring_keys *keys = keyring_keys_new();
    enum mnv_err err = keys ? MNV_OK : MNV_ERR_NOMEM;
    struct keyring_slot used;
    memset(&used, 0, sizeof(used));
    if (err == MNV_OK)
        err = keyring_slot_open(s->kr, s->user.name, password, len, keys);
    if (err == MNV_OK)
        used = *keyring_slot_opened(s->kr, keys);
    if (err == MNV_OK) {
        s->password_ok = 1;
        err = open_vault(s, keys, &used, password, len, diag);
        if (err == MNV_ERR_SLOT_WRONG)
            s->password_ok = 0; /* an old slot that the vault no longer has */
    }
    keyring_keys_free(keys);
    if (err == MNV_ERR_SLOT_WRONG) {
        record_failure(s->kr, s->user.name, locked_now, KEYRING_EVENT_LOGIN_FAILED, now, &s->opt);
        session_fail_info(info, st, locked_now, now);
        err = locked_now ? MNV_ERR_LOCKED : MNV_ERR_LOGIN_FAILED;
    }
    return err;
}

enum mnv_err session_login(const char *dir, const char *user, const char *password, size_t len,
                           const struct session_options *o, struct session **out,
                           struct login_info *info, struct mnv_diag *diag)
{
    *out = NULL;
    if (info)
        memset(info, 0, sizeof(*info));
    struct keyring *kr;
    enum mnv_err err = load_keyring(dir, &kr, diag);
    if (err != MNV_OK)
        return err;
    time_t now = clock_now();
    struct keyring_login_state st;
    int locked_now;
    err = session_count_attempt(kr, user, now, &st, &locked_now, info, diag);
    struct session *s = err == MNV_OK ? session_new(dir, user, o, kr) : NULL;
    if (err == MNV_OK && !s)
        err = MNV_ERR_NOMEM;
    if (!s)
        keyring_free(kr);
    if (err == MNV_OK)
        err = unlock_slot(s, password, len, &st, locked_now, now, info, diag);
    if (err == MNV_OK)
        err = open_for(s, now, diag);
    if (err == MNV_OK)
        err = prepare_convert(s, password, len);
    /* The password was right: the counter goes back to zero. When the sign-in's own commit
     * follows (err still MNV_OK, no second factor), its key file write does that
     * (consume_fn), one key file write and two syncs fewer; until it is on disk the file
     * holds the attempt counted above, never less than the truth (doc/architecture.md,
     * "Crash order of a sign-in"). With a second factor, its step resets the counter. */
    if (s && s->password_ok && err != MNV_OK && err != MNV_ERR_LOCKED)
        session_reset_counter(s->kr, user);
    if (err == MNV_OK && s->user.has_totp) {
        s->state = ST_NEED_TOTP;
        *out = s;
        return MNV_ERR_TOTP_NEEDED;
    }
    if (err == MNV_OK) {
        err = complete_login(s, 0, diag);
        if (err != MNV_OK && err != MNV_ERR_MUST_CHANGE)
            session_reset_counter(s->kr, user); /* the commit did not happen */
    }
    if (err != MNV_OK && err != MNV_ERR_MUST_CHANGE) {
        session_free(s);
        return err;
    }
    *out = s;
    return err;
}

enum mnv_err session_login_totp(struct session *s, const char *code, struct login_info *info,
                                struct mnv_diag *diag)
{
    if (info)
        memset(info, 0, sizeof(*info));
    if (s->state != ST_NEED_TOTP)
        return MNV_ERR_INVALID;
    time_t now = clock_now();
    struct keyring_login_state st;
    int locked_now = 0;
    enum mnv_err err;
    /* The first code is covered by the attempt counted for the password. */
    if (s->totp_tries++ > 0) {
        err = session_count_attempt(s->kr, s->user.name, now, &st, &locked_now, info, diag);
        if (err == MNV_ERR_LOCKED)
            s->state = ST_DEAD;
        if (err != MNV_OK)
            return err;
    }
    unsigned char *secret = secmem_alloc(TOTP_SECRET_LEN);
    if (!secret)
        return MNV_ERR_NOMEM;
    uint64_t step = s->user.totp_last_step;
    err = userdb_totp_get(s->v, s->user.id, secret, diag);
    if (err == MNV_OK)
        err = totp_verify(secret, code, now, &step);
    secmem_free(secret);
    if (err == MNV_OK)
        err = complete_login(s, step, diag);
    if (err != MNV_ERR_TOTP_WRONG && err != MNV_ERR_TOTP_REPLAY)
        return err;
    keyring_login_state_get(s->kr, s->user.name, &st);
    int locked = st.locked_until > (int64_t)now;
    session_own_note(s, "login", "failed",
                     err == MNV_ERR_TOTP_REPLAY ? "totp_replay" : "totp_wrong");
    if (locked) {
        session_own_note(s, "lockout", "failed", "");
        session_note_syslog(&s->opt, "account locked", s->user.name);
        s->state = ST_DEAD;
        if (info)
            info->wait_seconds = (long)(st.locked_until - (int64_t)now);
        return MNV_ERR_LOCKED;
    }
    session_fail_info(info, &st, 0, now);
    return err;
}

/* ---- unlocking -------------------------------------------------------------------------- */

/* The account checks of a login, again at unlock; a refusal is audited. */
static enum mnv_err unlock_checks(struct session *s, time_t now, struct mnv_diag *diag)
{
    enum mnv_err err = session_reload_user(s, diag);
    if (err != MNV_OK)
        return err;
    err = s->user.disabled ? MNV_ERR_DISABLED : session_window_check(s->v, &s->user, now);
    if (err == MNV_OK && logindb_locked(s->v, s->kr, s->user.name, now))
        err = MNV_ERR_LOCKED;
    if (err != MNV_OK)
        session_own_note(s, "session.unlock", "denied", mnv_err_name(err));
    return err;
}

/*
 * A locked session holds no key and no connection (session_lock): the password opens the
 * user's slot again, as at a login (counted before the check, a failure queued in the key
 * file), and the vault is opened again with what the slot holds now.
 */
enum mnv_err session_reopen(struct session *s, const char *password, size_t len,
                            struct login_info *info, struct mnv_diag *diag)
{
    time_t now = clock_now();
    struct keyring_login_state st;
    int locked_now;
    enum mnv_err err =
        session_count_attempt(s->kr, s->user.name, now, &st, &locked_now, info, diag);
    if (err != MNV_OK)
        return err;
    struct keyring_keys *keys = keyring_keys_new();
    struct keyring_slot used;
    memset(&used, 0, sizeof(used));
    err = keys ? keyring_slot_open(s->kr, s->user.name, password, len, keys) : MNV_ERR_NOMEM;
    if (err == MNV_OK) {
        used = *keyring_slot_opened(s->kr, keys);
        err = open_vault(s, keys, &used, password, len, diag);
    }
    keyring_keys_free(keys);
    if (err == MNV_ERR_SLOT_WRONG) {
        record_failure(s->kr, s->user.name, locked_now, KEYRING_EVENT_UNLOCK_FAILED, now, &s->opt);
        session_fail_info(info, &st, locked_now, now);
        err = locked_now ? MNV_ERR_LOCKED : MNV_ERR_LOGIN_FAILED;
    } else if (err == MNV_OK) {
        session_reset_counter(s->kr, s->user.name); /* the password was right */
        err = unlock_checks(s, now, diag);
    }
    if (err == MNV_OK)
        err = complete_signin(s, 0, "session.unlock", diag);
    if (err != MNV_OK && !vault_suspended(s->v))
        session_close_vault(s);
    return err;
}

/* ---- the rest ------------------------------------------------------------------------------ */

/* Quitting from the lock screen: the session holds no key to write the audit log with, so
 * the logout is queued in the key file, as a failed unlock is, and written at the next
 * sign-in with its own time (detail from_lock_screen). */
static void queue_logout(struct session *s)
{
    if (keyring_begin(s->kr, NULL, NULL) != MNV_OK)
        return;
    keyring_event_add(s->kr, (int64_t)clock_now(), KEYRING_EVENT_LOGOUT, s->user.name);
    if (keyring_commit(s->kr, NULL, NULL) != MNV_OK)
        keyring_abort(s->kr);
}

void session_logout(struct session *s)
{
    if (!s)
        return;
    if (s->v && !vault_suspended(s->v) && (s->state == ST_READY || s->state == ST_MUST_CHANGE))
        session_own_note(s, "logout", "ok", "");
    else if (s->v && vault_suspended(s->v) && s->state == ST_LOCKED && s->kr)
        queue_logout(s);
    session_free(s);
}

enum mnv_err session_keyfile_late(struct mnv_diag *diag)
{
    return vault_keyfile_late(diag);
}

enum mnv_err session_ready(const struct session *s)
{
    switch (s->state) {
    case ST_READY:
        return MNV_OK;
    case ST_NEED_TOTP:
        return MNV_ERR_TOTP_NEEDED;
    case ST_MUST_CHANGE:
        return MNV_ERR_MUST_CHANGE;
    case ST_LOCKED:
        return MNV_ERR_SESSION_LOCKED;
    default:
        return MNV_ERR_LOCKED;
    }
}

int session_pending(const struct session *s)
{
    return s->v && (keyroles_for_role(s->user.role) & KEYRING_KEY_NK) && !vault_has_numbers(s->v);
}

int session_approval_code(const struct session *s, char out[KEYRING_CODE_SIZE])
{
    out[0] = '\0';
    if (!session_pending(s) || s->state != ST_READY)
        return -1;
    const struct keyring *kr = vault_keyring(s->v);
    const struct keyring_slot *slot = keyring_find_slot(kr, s->user.name);
    if (!slot || slot->kind != KEYRING_SLOT_PASSWORD ||
        keyring_slot_code(kr, s->user.name, out) != MNV_OK)
        return -1;
    return 0;
}

const char *session_user(const struct session *s)
{
    return s->user.name;
}

enum mnv_role session_role(const struct session *s)
{
    return s->user.role;
}

const char *session_org(const struct session *s)
{
    return s->org;
}

const struct user_rec *session_user_rec(const struct session *s)
{
    return &s->user;
}

const char *session_dir(const struct session *s)
{
    return s->dir;
}

const struct session_options *session_options(const struct session *s)
{
    return &s->opt;
}

const struct purpose_catalog *session_purposes(const struct session *s)
{
    return &s->purposes;
}

struct vault *session_vault(struct session *s)
{
    return s->v;
}

void session_cache_limit(struct session *s, int mib)
{
    if (s->v)
        vault_cache_limit(s->v, mib);
}

void session_kdf(const struct session *s, struct vcrypto_kdf *kdf)
{
    vcrypto_kdf_default(kdf, s->opt.kdf_strong);
}

enum mnv_err session_reload_user(struct session *s, struct mnv_diag *diag)
{
    struct user_rec u;
    enum mnv_err err = userdb_get(s->v, s->user.name, &u, diag);
    if (err == MNV_OK)
        s->user = u;
    return err;
}

/* ---- confirming TOTP again (disposal approvals) ----------------------------------------- */

enum mnv_err session_confirm_totp(struct session *s, const char *code, struct login_info *info,
                                  struct mnv_diag *diag)
{
    if (info)
        memset(info, 0, sizeof(*info));
    if (!s->user.has_totp)
        return MNV_ERR_TOTP_NONE;
    if (s->state != ST_READY || !vault_in_tx(s->v))
        return MNV_ERR_INVALID;
    time_t now = clock_now();
    struct keyring_login_state st;
    int locked_now = 0;
    enum mnv_err err =
        session_count_attempt(s->kr, s->user.name, now, &st, &locked_now, info, diag);
    if (err != MNV_OK)
        return err;
    unsigned char *secret = secmem_alloc(TOTP_SECRET_LEN);
    if (!secret)
        return MNV_ERR_NOMEM;
    uint64_t step = s->user.totp_last_step;
    err = userdb_totp_get(s->v, s->user.id, secret, diag);
    if (err == MNV_OK)
        err = totp_verify(secret, code, now, &step);
    secmem_free(secret);
    if (err == MNV_OK)
        err = userdb_totp_claim_step(s->v, s->user.id, step, diag);
    if (err == MNV_OK) {
        s->user.totp_last_step = step;
        session_reset_counter(s->kr, s->user.name);
        return MNV_OK;
    }
    if (err != MNV_ERR_TOTP_WRONG && err != MNV_ERR_TOTP_REPLAY)
        return err;
    /* In the caller's transaction, which will be rolled back: record the failure apart. */
    record_failure(s->kr, s->user.name, locked_now, KEYRING_EVENT_LOGIN_FAILED, now, &s->opt);
    session_fail_info(info, &st, locked_now, now);
    if (locked_now) {
        s->state = ST_DEAD;
        return MNV_ERR_LOCKED;
    }
    return err;
}
