#include "mnvault/accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mnvault/access.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/keyroles.h"
#include "mnvault/logindb.h"
#include "mnvault/persondb.h"
#include "mnvault/pwpolicy.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/vcrypto.h"

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

void accounts_spec_init(struct account_spec *spec, const char *name, enum mnv_role role)
{
    memset(spec, 0, sizeof(*spec));
    spec->name = name;
    spec->role = role;
    spec->win_days = USER_DAYS_ALL;
    spec->win_start = 0;
    spec->win_end = 1440;
}

/* ---- windows ----------------------------------------------------------------------------------
 */

static int day_index(const char *s, size_t n)
{
    for (int i = 0; i < 7; i++)
        if (n == 3 && strncasecmp(s, day_names[i], 3) == 0)
            return i;
    return -1;
}

enum mnv_err accounts_parse_days(const char *text, unsigned *days)
{
    *days = 0;
    if (strcasecmp(text, "all") == 0) {
        *days = USER_DAYS_ALL;
        return MNV_OK;
    }
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, ",");
        const char *dash = memchr(p, '-', n);
        int a = day_index(p, dash ? (size_t)(dash - p) : n);
        int b = dash ? day_index(dash + 1, n - (size_t)(dash - p) - 1) : a;
        if (a < 0 || b < 0)
            return MNV_ERR_WINDOW_FORMAT;
        for (int d = a;; d = (d + 1) % 7) { /* "fri-mon" wraps over the weekend */
            *days |= 1u << d;
            if (d == b)
                break;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return *days ? MNV_OK : MNV_ERR_WINDOW_FORMAT;
}

static int parse_hhmm(const char *s, int *minutes)
{
    if (strlen(s) != 5 || s[2] != ':' || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
        s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 24 || (h == 24 && m != 0))
        return -1;
    *minutes = h * 60 + m;
    return 0;
}

enum mnv_err accounts_parse_hours(const char *text, int *start, int *end)
{
    if (strcasecmp(text, "all") == 0) {
        *start = 0;
        *end = 1440;
        return MNV_OK;
    }
    char a[8], b[8];
    const char *dash = strchr(text, '-');
    if (!dash || dash - text > 5 || strlen(dash + 1) > 5)
        return MNV_ERR_WINDOW_FORMAT;
    snprintf(a, sizeof(a), "%.*s", (int)(dash - text), text);
    snprintf(b, sizeof(b), "%s", dash + 1);
    if (parse_hhmm(a, start) < 0 || parse_hhmm(b, end) < 0 || *start == *end || *start == 1440)
        return MNV_ERR_WINDOW_FORMAT;
    return MNV_OK;
}

char *accounts_format_window(char *buf, size_t size, const struct user_rec *u)
{
    size_t o = 0;
    buf[0] = '\0';
    if (u->win_days == USER_DAYS_ALL) {
        o += (size_t)snprintf(buf, size, "any-day");
    } else {
        for (int d = 0; d < 7 && o < size; d++) {
            if (!(u->win_days & (1u << d)))
                continue;
            int e = d;
            while (e + 1 < 7 && (u->win_days & (1u << (e + 1))))
                e++;
            if (e == d)
                o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "," : "", day_names[d]);
            else
                o += (size_t)snprintf(buf + o, size - o, "%s%s-%s", o ? "," : "", day_names[d],
                                      day_names[e]);
            d = e;
        }
    }
    if (o < size) {
        if (u->win_start == 0 && u->win_end == 1440)
            o += (size_t)snprintf(buf + o, size - o, " any-time");
        else
            o += (size_t)snprintf(buf + o, size - o, " %02d:%02d-%02d:%02d", u->win_start / 60,
                                  u->win_start % 60, u->win_end / 60, u->win_end % 60);
    }
    if (o < size && u->valid_until[0])
        snprintf(buf + o, size - o, " until %s", u->valid_until);
    return buf;
}

static enum mnv_err check_window(unsigned days, int start, int end, const char *until)
{
    if (days == 0 || days > USER_DAYS_ALL || start < 0 || start >= 1440 || end <= 0 || end > 1440 ||
        start == end)
        return MNV_ERR_WINDOW_FORMAT;
    if (until && until[0] && person_check_date(until, 1) != MNV_OK)
        return MNV_ERR_FIELD_DATE;
    return MNV_OK;
}

/* ---- slot changes in the commit's key file write ------------------------------------------------
 */

struct slot_change {
    struct keyring_slot slot;
    int put_slot;
    const char *remove_name; /* remove this user's slot */
    const char *unlock_name; /* clear this name's failed-login state */
};

static enum mnv_err slot_change_fn(struct keyring *kr, void *ud)
{
    struct slot_change *c = ud;
    if (c->unlock_name) {
        struct keyring_login_state zero = {0};
        keyring_login_state_set(kr, c->unlock_name, &zero);
    }
    if (c->remove_name)
        (void)keyring_slot_remove(kr, c->remove_name);
    return c->put_slot ? keyring_slot_put(kr, &c->slot) : MNV_OK;
}

/* The keys name's slot holds now (0 without a slot). */
static unsigned slot_keys(struct session *s, const char *name)
{
    struct keyring *kr = vault_keyring(session_vault(s));
    const struct keyring_slot *slot = keyring_find_slot(kr, name);
    return slot ? keyring_slot_keys(kr, slot) | KEYRING_KEY_VK : 0;
}

/* A user's row written (insert or update), with a key file change (may be NULL). */
struct user_write {
    struct user_rec *u;
    int insert;
    const char *detail;
    struct slot_change *slot;
};

static enum mnv_err user_write_body(struct session *s, struct change *c, void *ud,
                                    struct mnv_diag *diag)
{
    struct user_write *w = ud;
    struct vault *v = session_vault(s);
    change_detail(c, "%s", w->detail);
    if (w->slot) {
        c->keyfile = slot_change_fn;
        c->keyfile_ud = w->slot;
    }
    return w->insert ? userdb_insert(v, w->u, diag) : userdb_update(v, w->u, diag);
}

/* Update u and audit, then commit with the key file change c (may be NULL). */
static enum mnv_err update_user(struct session *s, struct user_rec *u, const char *action,
                                const char *detail, struct slot_change *c, struct mnv_diag *diag)
{
    struct user_write w = {u, 0, detail, c};
    enum mnv_err err = change_run(s, action, u->name, user_write_body, &w, diag);
    if (err == MNV_OK && strcmp(u->name, session_user(s)) == 0)
        err = session_reload_user(s, diag);
    return err;
}

/*
 * A one-time slot (the user must choose their own password at the next login) with the keys
 * an administrator may give role: never NK, which only a supervisor's approval adds.
 */
static enum mnv_err make_slot(struct session *s, const char *name, enum mnv_role role,
                              const char *pw, size_t len, struct keyring_slot *slot)
{
    struct vcrypto_kdf kdf;
    session_kdf(s, &kdf);
    struct vault *v = session_vault(s);
    const struct keyring_keys *keys = vault_keys(v);
    unsigned give = keyroles_admin_gives(role) & (keys->have | KEYRING_KEY_VK);
    return keyring_slot_make(vault_keyring(v), KEYRING_SLOT_ONE_TIME, name, pw, len, &kdf, keys,
                             give, slot, NULL);
}

/* ---- the calls ----------------------------------------------------------------------------------
 */

static enum mnv_err insert_user(struct session *s, const struct account_spec *spec,
                                struct slot_change *c, struct mnv_diag *diag)
{
    struct user_rec u;
    userdb_init(&u);
    snprintf(u.name, sizeof(u.name), "%s", spec->name);
    snprintf(u.display_name, sizeof(u.display_name), "%s",
             spec->display_name ? spec->display_name : "");
    u.role = spec->role;
    u.must_change = 1;
    u.win_days = spec->win_days;
    u.win_start = spec->win_start;
    u.win_end = spec->win_end;
    snprintf(u.valid_until, sizeof(u.valid_until), "%s",
             spec->valid_until ? spec->valid_until : "");
    char detail[48];
    snprintf(detail, sizeof(detail), "role=%s", role_name(u.role));
    struct user_write w = {&u, 1, detail, c};
    return change_run(s, "user.add", u.name, user_write_body, &w, diag);
}

enum mnv_err accounts_add(struct session *s, const struct account_spec *spec, const char *password,
                          size_t len, char otp[ACCOUNTS_OTP_SIZE], struct mnv_diag *diag)
{
    otp[0] = '\0';
    enum mnv_err err = access_check(s, ACT_USER_MANAGE, spec->name, diag);
    if (err != MNV_OK)
        return err;
    if (!userdb_name_valid(spec->name))
        return MNV_ERR_USER_NAME;
    if (spec->role < ROLE_CLERK || spec->role > ROLE_ADMIN)
        return MNV_ERR_ROLE;
    if (spec->display_name &&
        person_check_text(spec->display_name, USER_DISPLAY_MAX, 0) != MNV_OK) {
        mnv_diag_item(diag, "display_name");
        return MNV_ERR_FIELD_CHARS;
    }
    err = check_window(spec->win_days, spec->win_start, spec->win_end, spec->valid_until);
    if (err != MNV_OK)
        return err;
    struct user_rec existing;
    err = userdb_get(session_vault(s), spec->name, &existing, diag);
    if (err == MNV_OK)
        return MNV_ERR_USER_EXISTS;
    if (err != MNV_ERR_USER_NOT_FOUND)
        return err;
    err = MNV_OK;
    if (password) {
        err = pwpolicy_check(password, len, spec->name, 0, diag);
    } else {
        vcrypto_random_password(otp);
        password = otp;
        len = strlen(otp);
    }
    struct slot_change c = {.put_slot = 1};
    if (err == MNV_OK)
        err = make_slot(s, spec->name, spec->role, password, len, &c.slot);
    if (err == MNV_OK)
        err = insert_user(s, spec, &c, diag);
    if (err != MNV_OK)
        secmem_wipe(otp, ACCOUNTS_OTP_SIZE);
    return err;
}

enum mnv_err accounts_list(struct session *s, struct user_rec **out, int64_t **locked_until,
                           size_t *count, struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    if (locked_until)
        *locked_until = NULL;
    enum mnv_role role = session_role(s);
    enum access_action act =
        access_allowed(role, ACT_USER_MANAGE) ? ACT_USER_MANAGE : ACT_AUDIT_READ;
    enum mnv_err err = access_check(s, act, "", diag);
    if (err == MNV_OK)
        err = userdb_list(session_vault(s), out, count, diag);
    if (err != MNV_OK || !locked_until)
        return err;
    struct keyring *kr = vault_keyring(session_vault(s));
    err = keyring_begin(kr, NULL, diag); /* fresh counters */
    if (err == MNV_OK)
        keyring_abort(kr);
    *locked_until = calloc(*count ? *count : 1, sizeof(**locked_until));
    if (!*locked_until) {
        free(*out);
        *out = NULL;
        *count = 0;
        return MNV_ERR_NOMEM;
    }
    int64_t now = (int64_t)clock_now();
    for (size_t i = 0; i < *count; i++) {
        struct keyring_login_state st;
        keyring_login_state_get(kr, (*out)[i].name, &st);
        (*locked_until)[i] = st.locked_until > now ? st.locked_until : 0;
    }
    return MNV_OK;
}

enum mnv_err accounts_set_disabled(struct session *s, const char *name, int disabled,
                                   struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_USER_MANAGE, name, diag);
    if (err != MNV_OK)
        return err;
    if (strcmp(name, session_user(s)) == 0)
        return MNV_ERR_SELF;
    struct user_rec u;
    err = userdb_get(session_vault(s), name, &u, diag);
    if (err != MNV_OK)
        return err;
    if (disabled && u.role == ROLE_ADMIN && !u.disabled) {
        long admins;
        err = userdb_count_admins(session_vault(s), &admins);
        if (err != MNV_OK)
            return err;
        if (admins <= 1)
            return MNV_ERR_LAST_ADMIN;
    }
    u.disabled = disabled ? 1 : 0;
    if (!disabled)
        return update_user(s, &u, "user.enable", "", NULL, diag);
    /* Disabling removes the key slot, and what the user could open is replaced. */
    unsigned had = slot_keys(s, name);
    struct slot_change c = {.remove_name = u.name, .unlock_name = u.name};
    err = update_user(s, &u, "user.disable", "", had ? &c : NULL, diag);
    if (err == MNV_OK && had)
        err = keyroles_removed(s, u.name, had, 1, diag);
    return err;
}

enum mnv_err accounts_reset_password(struct session *s, const char *name,
                                     char otp[ACCOUNTS_OTP_SIZE], struct mnv_diag *diag)
{
    otp[0] = '\0';
    enum mnv_err err = access_check(s, ACT_USER_MANAGE, name, diag);
    if (err != MNV_OK)
        return err;
    if (strcmp(name, session_user(s)) == 0)
        return MNV_ERR_SELF;
    struct user_rec u;
    err = userdb_get(session_vault(s), name, &u, diag);
    if (err != MNV_OK)
        return err;
    if (u.disabled)
        return MNV_ERR_DISABLED;
    unsigned had = slot_keys(s, name);
    vcrypto_random_password(otp);
    struct slot_change c = {.put_slot = 1, .unlock_name = u.name};
    err = make_slot(s, u.name, u.role, otp, strlen(otp), &c.slot);
    u.must_change = 1;
    u.password_changed_at = (int64_t)clock_now();
    if (err == MNV_OK)
        err = update_user(s, &u, "password.reset", "", &c, diag);
    /* The old slot (and any copy of it) must open nothing of today's vault. */
    if (err == MNV_OK && had)
        err = keyroles_removed(s, u.name, had, 1, diag);
    if (err != MNV_OK && err != MNV_ERR_IO)
        secmem_wipe(otp, ACCOUNTS_OTP_SIZE);
    return err;
}

/* The failure record is cleared in the key file (with the entry's anchor) and in the copy
 * of the lockouts vault.db keeps. */
static enum mnv_err unlock_body(struct session *s, struct change *c, void *ud,
                                struct mnv_diag *diag)
{
    struct slot_change *sc = ud;
    struct vault *v = session_vault(s);
    c->keyfile = slot_change_fn;
    c->keyfile_ud = ud;
    return logindb_clear(v, vault_keyring(v), sc->unlock_name, diag);
}

enum mnv_err accounts_unlock(struct session *s, const char *name, struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_USER_UNLOCK, name, diag);
    if (err != MNV_OK)
        return err;
    struct user_rec u;
    err = userdb_get(session_vault(s), name, &u, diag);
    if (err != MNV_OK)
        return err;
    struct slot_change c = {.put_slot = 0, .unlock_name = u.name};
    return change_run(s, "user.unlock", u.name, unlock_body, &c, diag);
}

enum mnv_err accounts_set_window(struct session *s, const char *name, unsigned days, int start,
                                 int end, const char *valid_until, struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_USER_MANAGE, name, diag);
    if (err == MNV_OK)
        err = check_window(days, start, end, valid_until);
    struct user_rec u;
    if (err == MNV_OK)
        err = userdb_get(session_vault(s), name, &u, diag);
    if (err != MNV_OK)
        return err;
    u.win_days = days;
    u.win_start = start;
    u.win_end = end;
    snprintf(u.valid_until, sizeof(u.valid_until), "%s", valid_until ? valid_until : "");
    char detail[96];
    accounts_format_window(detail, sizeof(detail), &u);
    return update_user(s, &u, "user.window", detail, NULL, diag);
}

/* ---- TOTP
 * ------------------------------------------------------------------------------------------ */

enum mnv_err accounts_totp_begin(struct session *s, unsigned char secret[TOTP_SECRET_LEN],
                                 char base32[TOTP_BASE32_SIZE], char *uri, size_t uri_size,
                                 struct mnv_diag *diag)
{
    (void)diag;
    enum mnv_err err = session_ready(s);
    if (err != MNV_OK)
        return err;
    if (session_user_rec(s)->has_totp)
        return MNV_ERR_TOTP_ENROLLED;
    totp_secret_new(secret);
    if (totp_base32_encode(secret, TOTP_SECRET_LEN, base32, TOTP_BASE32_SIZE) < 0 ||
        totp_uri(uri, uri_size, "mnvault", session_user(s), secret) < 0) {
        secmem_wipe(secret, TOTP_SECRET_LEN);
        secmem_wipe(base32, TOTP_BASE32_SIZE);
        return MNV_ERR_TOO_LONG;
    }
    return MNV_OK;
}

/* Set (secret) or remove (NULL, with the user's row u updated) a user's TOTP secret. */
struct totp_ctx {
    int64_t id;
    const unsigned char *secret;
    uint64_t step;
    struct user_rec *u;
};

static enum mnv_err totp_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    (void)c;
    const struct totp_ctx *x = ud;
    struct vault *v = session_vault(s);
    enum mnv_err err = userdb_totp_set(v, x->id, x->secret, diag);
    if (err == MNV_OK && x->secret)
        err = userdb_totp_claim_step(v, x->id, x->step, diag);
    if (err == MNV_OK && x->u)
        err = userdb_update(v, x->u, diag);
    return err;
}

enum mnv_err accounts_totp_confirm(struct session *s, const unsigned char secret[TOTP_SECRET_LEN],
                                   const char *code, struct mnv_diag *diag)
{
    enum mnv_err err = session_ready(s);
    if (err != MNV_OK)
        return err;
    if (session_user_rec(s)->has_totp)
        return MNV_ERR_TOTP_ENROLLED;
    uint64_t step = 0;
    err = totp_verify(secret, code, clock_now(), &step);
    if (err != MNV_OK)
        return err;
    struct totp_ctx x = {session_user_rec(s)->id, secret, step, NULL};
    err = change_run(s, "totp.enrol", session_user(s), totp_body, &x, diag);
    return err == MNV_OK ? session_reload_user(s, diag) : err;
}

enum mnv_err accounts_totp_remove(struct session *s, const char *name, struct mnv_diag *diag)
{
    int self = strcmp(name, session_user(s)) == 0;
    enum mnv_err err = self ? session_ready(s) : access_check(s, ACT_USER_MANAGE, name, diag);
    if (err != MNV_OK)
        return err;
    struct vault *v = session_vault(s);
    struct user_rec u;
    err = userdb_get(v, name, &u, diag);
    if (err != MNV_OK)
        return err;
    if (!u.has_totp)
        return MNV_ERR_TOTP_NONE;
    u.must_change = 1;
    u.has_totp = 0;
    struct totp_ctx x = {u.id, NULL, 0, &u};
    err = change_run(s, "totp.remove", u.name, totp_body, &x, diag);
    return (err == MNV_OK && self) ? session_reload_user(s, diag) : err;
}

/* ---- roles ----------------------------------------------------------------------------------- */

struct role_change {
    const char *name;
    unsigned take;                   /* keys the new role must not hold */
    unsigned give;                   /* keys an administrator gives the new role (BK) */
    const struct keyring_keys *keys; /* the administrator's */
    struct user_rec *u;              /* the user's row, with the new role */
    enum mnv_role from;
};

static enum mnv_err role_change_fn(struct keyring *kr, void *ud)
{
    const struct role_change *c = ud;
    if (!keyring_find_slot(kr, c->name))
        return MNV_OK; /* disabled: no slot to change */
    (void)keyring_slot_revoke(kr, c->name, c->take);
    return c->give ? keyring_slot_grant(kr, c->name, c->keys, c->give) : MNV_OK;
}

static enum mnv_err role_check(struct session *s, const char *name, enum mnv_role role,
                               struct user_rec *u, struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_USER_MANAGE, name, diag);
    if (err != MNV_OK)
        return err;
    if (role < ROLE_CLERK || role > ROLE_ADMIN)
        return MNV_ERR_ROLE;
    if (strcmp(name, session_user(s)) == 0)
        return MNV_ERR_SELF;
    err = userdb_get(session_vault(s), name, u, diag);
    if (err != MNV_OK)
        return err;
    if (u->role == ROLE_ADMIN && role != ROLE_ADMIN && !u->disabled) {
        long admins;
        err = userdb_count_admins(session_vault(s), &admins);
        if (err == MNV_OK && admins <= 1)
            err = MNV_ERR_LAST_ADMIN;
    }
    return err;
}

/* The role written, and in the same commit the keys the new role may not hold taken away
 * and those an administrator gives it added. */
static enum mnv_err role_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    struct role_change *rc = ud;
    c->keyfile = role_change_fn;
    c->keyfile_ud = rc;
    change_detail(c, "role=%s from=%s", role_name(rc->u->role), role_name(rc->from));
    return userdb_update(session_vault(s), rc->u, diag);
}

enum mnv_err accounts_set_role(struct session *s, const char *name, enum mnv_role role,
                               struct mnv_diag *diag)
{
    struct user_rec u;
    enum mnv_err err = role_check(s, name, role, &u, diag);
    if (err != MNV_OK || u.role == role)
        return err;
    const struct keyring_keys *keys = vault_keys(session_vault(s));
    unsigned had = slot_keys(s, name);
    struct role_change c = {name,
                            (had & ~keyroles_for_role(role)) & ~(unsigned)KEYRING_KEY_VK,
                            keyroles_admin_gives(role) & ~had & keys->have & KEYRING_KEY_BK,
                            keys,
                            &u,
                            u.role};
    u.role = role;
    err = change_run(s, "user.role", name, role_body, &c, diag);
    /* What the old role could open and the new one may not is replaced. */
    if (err == MNV_OK && c.take)
        err = keyroles_removed(s, name, c.take, 0, diag);
    return err;
}
