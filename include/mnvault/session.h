/* session.h (service layer): logging in and out, the second factor, locking, password changes. A
 * struct session is one signed-in user with the vault open; every other service takes it and
 * refuses to work unless session_ready() says MNV_OK.
 *
 * Login, in this order (doc/accounts.md):
 *   1. the key file is read; if the user's failed-login record says locked, MNV_ERR_LOCKED
 *      (with the seconds left) and nothing else happens;
 *   2. the failure counter is increased and the key file written and synced BEFORE the
 *      password is checked, so that neither a crash nor a kill gives a free attempt; the
 *      5th consecutive failure locks the account for 15 minutes, doubling with each further
 *      lockout up to 24 hours (the lock is set provisionally in the same write);
 *   3. Argon2id opens the user's key slot, which gives the keys of the user's role (keyroles.h).
 *      A wrong password and an unknown user name give the same answer (MNV_ERR_LOGIN_FAILED
 *      with the attempts left), cost the same time, and are counted the same way. A
 *      format-1 key file is upgraded when a supervisor signs in (upgrade.h), refused for
 *      anyone else (MNV_ERR_KEYFILE_UPGRADE);
 *   4. the database opens; a key file that is behind vault.db's journal is rolled forward,
 *      and a password that opened only such an old slot is refused like a wrong one;
 *      disabled (MNV_ERR_DISABLED), expired (MNV_ERR_EXPIRED), outside-the-window
 *      (MNV_ERR_WINDOW) accounts, and accounts vault.db knows to be locked out though the
 *      key file no longer says so (MNV_ERR_LOCKED), are refused and the refusal audited;
 *   5. a user with TOTP gets a session in the "code needed" state (MNV_ERR_TOTP_NEEDED);
 *      session_login_totp() completes it; a wrong or replayed code counts as a failure;
 *   6. on success the counter is reset, queued failed-login events are copied into the
 *      audit log (and the lockout state into vault.db), and "login" is audited; a user whose
 *      password was set by an admin gets a session in the "must change" state
 *      (MNV_ERR_MUST_CHANGE) in which only session_change_password() works; a format-1 slot
 *      is replaced by a format-2 one; expired accounts lose their slots and a number key
 *      rotation that is due is done (keyroles_housekeeping()).
 * Failed logins and lockouts also go to syslog (LOG_AUTHPRIV) when audit.syslog is on.
 */
#ifndef MNVAULT_SESSION_H
#define MNVAULT_SESSION_H

#include <stddef.h>
#include <time.h>

#include "mnvault/attr.h"
#include "mnvault/config.h"
#include "mnvault/err.h"
#include "mnvault/userdb.h"
#include "mnvault/vault.h"

#define SESSION_MAX_FAILURES 5
#define SESSION_LOCK_BASE_SECONDS (15 * 60)
#define SESSION_LOCK_MAX_SECONDS (24 * 60 * 60)

struct session; /* opaque */
struct purpose_catalog;

struct session_options {
    struct vault_options vault;
    int kdf_strong; /* new password slots use Argon2id SENSITIVE instead of MODERATE */
};

/* session_options_from_config: the options the configuration asks for. */
void session_options_from_config(struct session_options *o, const struct mnv_config *cfg)
    MNV_NONNULL(1, 2);

/* Extra facts about a refused login, for the message to the person. */
struct login_info {
    int attempts_left; /* after MNV_ERR_LOGIN_FAILED, TOTP_WRONG, TOTP_REPLAY */
    long wait_seconds; /* after MNV_ERR_LOCKED: until the next attempt is possible */
};

/* session_lock_delay: the lockout length after the n-th lockout (n >= 1). */
long session_lock_delay(unsigned n);

/*
 * session_login: sign user in to the vault in dir with password[0..len) (not copied). On
 * MNV_OK, MNV_ERR_TOTP_NEEDED or MNV_ERR_MUST_CHANGE *out is a session (end it with
 * session_logout()); on any other result *out is NULL. Results: MNV_ERR_LOGIN_FAILED,
 * LOCKED, DISABLED, EXPIRED, WINDOW, KEYFILE_MISSING, KEYFILE_DAMAGED, KEYFILE_ALTERED,
 * KEYFILE_VERSION, DB_MISSING, DB_KEY, DB_CORRUPT, DB_ROLLBACK, DB_NEWER, DB_FOREIGN,
 * DB_CIPHER, AUDIT_BROKEN, PURPOSES_FILE, IO, NOMEM. info may be NULL.
 */
MNV_MUST_CHECK enum mnv_err session_login(const char *dir, const char *user, const char *password,
                                          size_t len, const struct session_options *o,
                                          struct session **out, struct login_info *info,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 5, 6);

/*
 * session_login_totp: complete a login in the "code needed" state with the code typed.
 * Returns MNV_OK, MNV_ERR_MUST_CHANGE (complete, but the password must be changed),
 * MNV_ERR_TOTP_WRONG / TOTP_REPLAY (try again; info->attempts_left), MNV_ERR_LOCKED (the
 * session is dead: log out), MNV_ERR_INVALID (not in that state).
 */
MNV_MUST_CHECK enum mnv_err session_login_totp(struct session *s, const char *code,
                                               struct login_info *info, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/*
 * session_change_password: set the user's password to new_pw (checked with pwpolicy.h).
 * In the ready state old_pw must be the current password (a wrong one counts as a failed
 * login); in the "must change" state old_pw may be NULL. The slot is rewritten atomically:
 * after a crash the old or the new password works, never neither. Returns MNV_OK, a
 * MNV_ERR_PW_* policy error, MNV_ERR_PW_SAME, MNV_ERR_LOGIN_FAILED, MNV_ERR_LOCKED, or
 * an I/O error.
 */
MNV_MUST_CHECK enum mnv_err session_change_password(struct session *s, const char *old_pw,
                                                    size_t old_len, const char *new_pw,
                                                    size_t new_len, struct login_info *info,
                                                    struct mnv_diag *diag) MNV_NONNULL(1, 4);

/*
 * session_lock: lock the session (idle timeout or at the person's request). Audited, then
 * the database connection is closed and every key the session held is wiped
 * (vault_suspend()): a locked session keeps no key, only the key file and the user's name.
 * Services refuse with MNV_ERR_SESSION_LOCKED until session_unlock(); session_vault() stays
 * the same pointer. Quitting while locked writes no logout entry (the lock was the last).
 */
void session_lock(struct session *s) MNV_NONNULL(1);

/*
 * session_unlock: unlock with the user's password (counted like a login: the same failure
 * counter and lockout, a failure queued in the key file as unlock.failed; the account's
 * state, window and lockout are checked again). The slot is opened again and the vault
 * reopened with what it holds now (rotations made meanwhile included); the unlock entry
 * carries the events queued meanwhile. Returns MNV_OK,
 * MNV_ERR_LOGIN_FAILED, LOCKED, DISABLED, EXPIRED, WINDOW, or MNV_ERR_INVALID when the
 * session is not locked.
 */
MNV_MUST_CHECK enum mnv_err session_unlock(struct session *s, const char *password, size_t len,
                                           struct login_info *info, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/*
 * session_confirm_totp: ask the signed-in user, who has TOTP, to prove it again before a
 * decision that needs it (a disposal approval). Call inside the caller's write
 * transaction: the accepted time step is stored in it (a code is never accepted twice,
 * not even the one used to log in). A wrong code counts like a failed login (the same
 * counter, written before the check; the fifth locks the account and ends the session)
 * and is queued in the key file like one, for the audit log at the next login (the
 * caller's transaction is expected to roll back and audit its own refusal). Returns MNV_OK,
 * MNV_ERR_TOTP_NONE (no TOTP: nothing to confirm), MNV_ERR_TOTP_WRONG / TOTP_REPLAY
 * (info->attempts_left), MNV_ERR_LOCKED, MNV_ERR_INVALID (no transaction open), or a database
 * error.
 */
MNV_MUST_CHECK enum mnv_err session_confirm_totp(struct session *s, const char *code,
                                                 struct login_info *info, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/* session_logout: audit "logout" (for a completed login), close the vault, wipe; NULL ok. */
void session_logout(struct session *s);

/*
 * session_keyfile_late: the error (MNV_OK: none) when a change made in this process (by any
 * session) was saved but the key file could not be brought up to date after it
 * (vault_keyfile_late(): the disk failed between the two), and no later write has caught it up;
 * *diag (may be NULL) gets the failure. The change stands; the key file is rolled forward at the
 * next sign-in. The CLI says so after its command, the TUI on screen.
 */
enum mnv_err session_keyfile_late(struct mnv_diag *diag);

/*
 * session_ready: MNV_OK when services may be used; else why not: MNV_ERR_TOTP_NEEDED,
 * MNV_ERR_MUST_CHANGE, MNV_ERR_SESSION_LOCKED.
 */
MNV_MUST_CHECK enum mnv_err session_ready(const struct session *s) MNV_NONNULL(1);

/*
 * session_pending: 1 when the user's role reads numbers but the session holds no number key:
 * the account waits for a supervisor's approval (keyroles.h), and every service that opens a
 * number refuses with MNV_ERR_APPROVAL_PENDING. Front ends say so at sign-in.
 */
MNV_MUST_CHECK int session_pending(const struct session *s) MNV_NONNULL(1);

/*
 * session_approval_code: while the session is pending and the user chose their own password,
 * the code to tell the approving supervisor (keyring_slot_code()) into out; 0. Otherwise
 * (not pending, or still a one-time password to change) out is empty; -1.
 */
int session_approval_code(const struct session *s, char out[KEYRING_CODE_SIZE]) MNV_NONNULL(1, 2);

/* Accessors; strings are borrowed and valid until session_logout(). */
const char *session_user(const struct session *s) MNV_NONNULL(1);
enum mnv_role session_role(const struct session *s) MNV_NONNULL(1);
const char *session_org(const struct session *s) MNV_NONNULL(1);
const struct user_rec *session_user_rec(const struct session *s) MNV_NONNULL(1);
const char *session_dir(const struct session *s) MNV_NONNULL(1);
const struct session_options *session_options(const struct session *s) MNV_NONNULL(1);
const struct purpose_catalog *session_purposes(const struct session *s) MNV_NONNULL(1);

/* session_vault: the open vault, for the service modules (borrowed). */
struct vault *session_vault(struct session *s) MNV_NONNULL(1);
/* session_cache_limit: vault_cache_limit on the session's vault while it is open (a locked
 * session's is reopened at the configured size). */
void session_cache_limit(struct session *s, int mib) MNV_NONNULL(1);

/* session_kdf: the Argon2id cost for new password slots (options; test hooks). */
void session_kdf(const struct session *s, struct vcrypto_kdf *kdf) MNV_NONNULL(1, 2);

/* session_reload_user: re-read the signed-in user's row (after an account change). */
MNV_MUST_CHECK enum mnv_err session_reload_user(struct session *s, struct mnv_diag *diag)
    MNV_NONNULL(1);

#define SESSION_DEFAULT_ZONE "Asia/Tokyo"

/*
 * session_window_check: whether u may sign in at time now, in the organisation's time zone
 * (vault meta org_timezone, setup_set_timezone(); never the workstation's TZ): MNV_OK,
 * MNV_ERR_EXPIRED (after its valid-until day) or MNV_ERR_WINDOW (wrong weekday or hour, or
 * a restricted account while the zone cannot be read).
 */
MNV_MUST_CHECK enum mnv_err session_window_check(struct vault *v, const struct user_rec *u,
                                                 time_t now) MNV_NONNULL(1, 2);

#endif
