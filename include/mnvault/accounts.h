/* accounts.h (service layer): managing the application's users: adding them, disabling and
 * enabling, one-time passwords, unlocking after a lockout, access windows, and the TOTP
 * second factor. Administrators manage users (user.manage); supervisors and
 * administrators may unlock (user.unlock); every user enrols their own TOTP. Every change
 * is audited with the user name as subject, never a password or secret.
 *
 * A new user, and a user whose password an administrator reset, gets a key slot sealed
 * under a one-time password (generated: 24 characters in groups, about 120 bits) that
 * must be changed at the first login (session.h). An administrator's slot changes give only
 * the keys of keyroles_admin_gives() (keyroles.h): a clerk or supervisor account then waits for a
 * supervisor's approval (keyroles_approve()) before it can open numbers. Disabling removes the
 * key slot, and a reset replaces it; both replace what the user could open (keyroles_removed()).
 */
#ifndef MNVAULT_ACCOUNTS_H
#define MNVAULT_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/keyring.h"
#include "mnvault/totp.h"
#include "mnvault/userdb.h"

struct session;

#define ACCOUNTS_OTP_SIZE 30 /* one-time password + NUL */

/* A new user. */
struct account_spec {
    const char *name;
    const char *display_name; /* may be NULL */
    enum mnv_role role;
    unsigned win_days;       /* USER_DAYS_ALL for every day */
    int win_start, win_end;  /* minutes; 0 and 1440 for all day */
    const char *valid_until; /* "YYYY-MM-DD" or NULL */
};

/* accounts_spec_init: name and role, every day, all day, no end. */
void accounts_spec_init(struct account_spec *spec, const char *name, enum mnv_role role)
    MNV_NONNULL(1, 2);

/*
 * accounts_add: create a user (user.manage) with a one-time password: password[0..len) if
 * given (checked with pwpolicy.h), else a generated one written to otp (secmem is the
 * caller's choice; wipe it after showing it). Audited "user.add". Errors: USER_NAME, ROLE,
 * USER_EXISTS, WINDOW_FORMAT, FIELD_DATE, PW_*, KEYFILE_FULL, DENIED.
 */
MNV_MUST_CHECK enum mnv_err accounts_add(struct session *s, const struct account_spec *spec,
                                         const char *password, size_t len,
                                         char otp[ACCOUNTS_OTP_SIZE], struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 5);

/*
 * accounts_list: every user (user.manage or audit.read) into a malloc'd array (*out, free
 * with free()); with each user's lockout state from the key file in locked_until (may be
 * NULL; a malloc'd array of the same length, Unix times, 0 = not locked).
 */
MNV_MUST_CHECK enum mnv_err accounts_list(struct session *s, struct user_rec **out,
                                          int64_t **locked_until, size_t *count,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2, 4);

/*
 * accounts_set_disabled: disable (1) or enable (0) user name (user.manage). Not one's own
 * account (MNV_ERR_SELF), not the last active admin (MNV_ERR_LAST_ADMIN). Disabling removes
 * the user's key slot, and the vault key (and the keys the slot held) are replaced, so a
 * copy of the old key file with the user's password opens nothing of today's vault. An
 * enabled account has no slot: give it a one-time password with accounts_reset_password().
 * Audited "user.disable" / "user.enable" (and "key.rotate").
 */
MNV_MUST_CHECK enum mnv_err accounts_set_disabled(struct session *s, const char *name, int disabled,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * accounts_reset_password: replace user name's key slot with a new generated one-time
 * password (written to otp) that must be changed at the next login (user.manage; not one's
 * own: use session_change_password(); not a disabled account: MNV_ERR_DISABLED). The new
 * slot holds what an administrator may give (a clerk or supervisor waits for a
 * supervisor's approval again); what the old slot held is replaced. Audited
 * "password.reset" (and "key.rotate").
 */
MNV_MUST_CHECK enum mnv_err accounts_reset_password(struct session *s, const char *name,
                                                    char otp[ACCOUNTS_OTP_SIZE],
                                                    struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * accounts_set_role: change user name's role (user.manage; not one's own; not the last
 * active admin away from admin). The key slot loses the keys the new role does not hold
 * (which are then replaced: keyroles_removed()) and gets BK when the new role holds it; NK only
 * through a supervisor's approval. Audited "user.role". Returns MNV_OK, MNV_ERR_DENIED,
 * MNV_ERR_ROLE, MNV_ERR_SELF, MNV_ERR_LAST_ADMIN, MNV_ERR_USER_NOT_FOUND or an error.
 */
MNV_MUST_CHECK enum mnv_err accounts_set_role(struct session *s, const char *name,
                                              enum mnv_role role, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/* accounts_unlock: clear user name's failed-login count and lockout (user.unlock). Audited. */
MNV_MUST_CHECK enum mnv_err accounts_unlock(struct session *s, const char *name,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * accounts_set_window: set user name's access window (user.manage): days (bits, Monday =
 * bit 0), hours as minutes [start, end) (start > end spans midnight), and the last valid
 * day (NULL or "" for none). Audited "user.window".
 */
MNV_MUST_CHECK enum mnv_err accounts_set_window(struct session *s, const char *name, unsigned days,
                                                int start, int end, const char *valid_until,
                                                struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * accounts_parse_days: "mon-fri", "sat,sun", "mon-wed,fri", "all" (case-insensitive)
 * into bits. accounts_parse_hours: "08:00-20:00" or "all" into minutes (end "24:00" ok).
 * Both return MNV_OK or MNV_ERR_WINDOW_FORMAT.
 */
MNV_MUST_CHECK enum mnv_err accounts_parse_days(const char *text, unsigned *days) MNV_NONNULL(1, 2);
MNV_MUST_CHECK enum mnv_err accounts_parse_hours(const char *text, int *start, int *end)
    MNV_NONNULL(1, 2, 3);

/*
 * accounts_format_window: u's window in the forms the options take, e.g.
 * "mon-fri 08:00-20:00 until 2027-03-31" or "any-day any-time", into buf. Returns buf.
 */
char *accounts_format_window(char *buf, size_t size, const struct user_rec *u) MNV_NONNULL(1, 3);

/*
 * accounts_totp_begin: a new TOTP secret for the signed-in user (not stored yet): secret
 * (20 bytes, secmem), its base32 form (secmem) and the otpauth:// URI for the QR code
 * (secmem, uri_size >= 256). Returns MNV_ERR_TOTP_ENROLLED when one is set up already.
 */
MNV_MUST_CHECK enum mnv_err accounts_totp_begin(struct session *s,
                                                unsigned char secret[TOTP_SECRET_LEN],
                                                char base32[TOTP_BASE32_SIZE], char *uri,
                                                size_t uri_size, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 4);

/*
 * accounts_totp_confirm: store secret for the signed-in user once code proves the app has
 * it. Audited "totp.enrol". Returns MNV_OK, MNV_ERR_TOTP_WRONG, MNV_ERR_TOTP_ENROLLED.
 */
MNV_MUST_CHECK enum mnv_err accounts_totp_confirm(struct session *s,
                                                  const unsigned char secret[TOTP_SECRET_LEN],
                                                  const char *code, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * accounts_totp_remove: remove user name's TOTP (user.manage, or the user themself). As
 * the 8-character password minimum no longer applies, the user must choose a new password
 * at the next login. Audited "totp.remove". MNV_ERR_TOTP_NONE when there is none.
 */
MNV_MUST_CHECK enum mnv_err accounts_totp_remove(struct session *s, const char *name,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2);

#endif
