/* userdb.h (store layer): the users of the application (not employees) as rows of vault.db.
 *
 * A user has a name (the key slot's name in vault.keys), a role, an optional TOTP secret
 * (sealed under a subkey of VK, associated data "users.totp_secret" and the row id), an
 * access window (weekdays, hours, valid-until date), and flags: disabled, must change the
 * password at the next login. Passwords are not here: they open key slots in vault.keys.
 * The permissions of each role are decided by the service layer (access.h).
 */
#ifndef MNVAULT_USERDB_H
#define MNVAULT_USERDB_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/role.h"
#include "mnvault/vault.h"

#define USER_NAME_MAX 32
#define USER_DISPLAY_MAX 128
#define USER_TOTP_SECRET_LEN 20 /* = TOTP_SECRET_LEN */

/* Days of the access window: bit 0 Monday … bit 6 Sunday. */
#define USER_DAYS_ALL 0x7F

struct user_rec {
    int64_t id;
    char name[USER_NAME_MAX + 1];
    char display_name[USER_DISPLAY_MAX + 1];
    enum mnv_role role;
    int disabled;
    int must_change; /* must choose a new password at the next login */
    int has_totp;
    uint64_t totp_last_step;
    unsigned win_days;    /* USER_DAYS_ALL: every day */
    int win_start;        /* minutes after local midnight, 0-1440 */
    int win_end;          /* 0-1440; start == 0 and end == 1440: all day */
    char valid_until[11]; /* "YYYY-MM-DD" (last valid day, local), "" = no end */
    int64_t created_at, updated_at, password_changed_at;
};

/*
 * userdb_name_valid: 1 when name is 1-32 ASCII letters, digits, '.', '-' or '_', does not
 * start with '.' or '-', and is not a My Number (the audit writer would refuse it); else 0.
 */
MNV_MUST_CHECK int userdb_name_valid(const char *name) MNV_NONNULL(1);

/* userdb_init: a record with defaults: every day, all day, no end, not disabled. */
void userdb_init(struct user_rec *u) MNV_NONNULL(1);

/*
 * userdb_get: the user called name into *u. Returns MNV_OK, MNV_ERR_USER_NOT_FOUND or a
 * database error.
 */
MNV_MUST_CHECK enum mnv_err userdb_get(struct vault *v, const char *name, struct user_rec *u,
                                       struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * userdb_insert: add u (inside a write transaction); sets u->id and the times. Returns
 * MNV_OK, MNV_ERR_USER_EXISTS, MNV_ERR_USER_NAME, MNV_ERR_ROLE or a database error.
 */
MNV_MUST_CHECK enum mnv_err userdb_insert(struct vault *v, struct user_rec *u,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * userdb_update: store every field of u except the name, id and TOTP secret (inside a
 * write transaction); updated_at is set. Returns MNV_OK, MNV_ERR_USER_NOT_FOUND, ROLE.
 */
MNV_MUST_CHECK enum mnv_err userdb_update(struct vault *v, struct user_rec *u,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * userdb_list: every user, by name, into a malloc'd array (*out, free with free()) of
 * *count records.
 */
MNV_MUST_CHECK enum mnv_err userdb_list(struct vault *v, struct user_rec **out, size_t *count,
                                        struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/* userdb_count_admins: how many admins are not disabled. */
MNV_MUST_CHECK enum mnv_err userdb_count_admins(struct vault *v, long *count) MNV_NONNULL(1, 2);

/*
 * userdb_totp_set: seal secret (20 bytes) for user id, or remove it when secret is NULL;
 * resets the last accepted step. Inside a write transaction.
 */
MNV_MUST_CHECK enum mnv_err userdb_totp_set(struct vault *v, int64_t id,
                                            const unsigned char *secret, struct mnv_diag *diag)
    MNV_NONNULL(1);

/*
 * userdb_totp_get: open the TOTP secret of user id into secret (secmem, 20 bytes).
 * Returns MNV_OK, MNV_ERR_TOTP_NONE, MNV_ERR_SEAL_BROKEN or a database error.
 */
MNV_MUST_CHECK enum mnv_err userdb_totp_get(struct vault *v, int64_t id,
                                            unsigned char secret[USER_TOTP_SECRET_LEN],
                                            struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * userdb_totp_reseal: inside a write transaction, open every TOTP secret with old_key (a
 * format-1 vault's field key, or the field key of the VK a rotation replaces) and seal it
 * again under new_key; the last accepted steps are kept. Returns MNV_OK, MNV_ERR_INVALID,
 * MNV_ERR_SEAL_BROKEN or a database error.
 */
MNV_MUST_CHECK enum mnv_err userdb_totp_reseal(struct vault *v, const unsigned char *old_key,
                                               const unsigned char *new_key, struct mnv_diag *diag)
    MNV_NONNULL(1);

/*
 * userdb_totp_claim_step: inside a write transaction, record step as the last accepted time
 * step of user id, only when it is later than the one stored: a conditional update, so two
 * sign-ins that checked the same code before either wrote cannot both use it. Returns
 * MNV_OK, MNV_ERR_TOTP_REPLAY (the stored step is already step or later) or a database error.
 */
MNV_MUST_CHECK enum mnv_err userdb_totp_claim_step(struct vault *v, int64_t id, uint64_t step,
                                                   struct mnv_diag *diag) MNV_NONNULL(1);

#endif
