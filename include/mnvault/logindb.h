/* logindb.h (store layer): the lockouts as a successful login last saw them, kept in
 * vault.db (table login_mirror). The key file's failed-login state is written before any
 * password is checked, so no key protects it: whoever can write the file can put an old copy
 * back and erase a lockout. Every successful login copies the state into vault.db (where it
 * is protected like everything else), and a login whose password is right is still refused
 * while vault.db says the account is locked.
 */
#ifndef MNVAULT_LOGINDB_H
#define MNVAULT_LOGINDB_H

#include <time.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/keyring.h"
#include "mnvault/vault.h"

/*
 * logindb_mirror: replace the mirror with kr's failed-login state (inside a write
 * transaction). Returns MNV_OK or a database error.
 */
MNV_MUST_CHECK enum mnv_err logindb_mirror(struct vault *v, const struct keyring *kr,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* logindb_locked: 1 when the mirror says name is locked at time now (0 also on errors). */
MNV_MUST_CHECK int logindb_locked(struct vault *v, const struct keyring *kr, const char *name,
                                  time_t now) MNV_NONNULL(1, 2, 3);

/* logindb_clear: forget name's record (an unlock by a supervisor or an administrator). */
MNV_MUST_CHECK enum mnv_err logindb_clear(struct vault *v, const struct keyring *kr,
                                          const char *name, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

#endif
