/* recovery.h (service layer): recovery shares for the vault's master key, and giving a user a new
 * password with them. doc/recovery-shares.md describes the procedure.
 *
 * A split makes a fresh random 32-byte recovery key, gives the recovery slot (its X25519
 * pair derived from that key) the vault key, the number key and the backup key (keyring.h;
 * replacing the slot of any earlier split, so shares of earlier sets no longer open this
 * vault), and splits the recovery key into n share sheets, any k of which rebuild it
 * (shares.h). Only supervisors may split: whoever runs
 * the split sees every sheet, that is the whole key, and supervisors are the role already
 * trusted to see every number.
 *
 * A recovery opens the vault without any password: k shares rebuild the recovery key,
 * which opens the recovery slot; then one user gets a new password (their key slot is
 * rewritten with the keys of their role, their lockout cleared, and they must choose
 * another password at their next login, since the share holders saw this one set); what the
 * old slot could open is replaced as for a reset (keyroles.h). It is audited in the vault with
 * the actor "recovery". A format-1 vault must first be upgraded by a supervisor's sign-in
 * (MNV_ERR_KEYFILE_UPGRADE).
 */
#ifndef MNVAULT_RECOVERY_H
#define MNVAULT_RECOVERY_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/keyring.h"
#include "mnvault/shares.h"

struct session;
struct session_options;
struct recovery; /* opaque: a vault opened with recovery shares */

/*
 * recovery_split: as above, for the signed-in supervisor (recovery.split): n shares, k
 * needed, into out[0..n) (secret material: the caller prints and wipes them). Audited
 * "recovery.split" with n, k and the set id (never a share). The key file write that
 * installs the slot is the one that anchors the audit entry, so both happen together.
 * Returns MNV_OK, MNV_ERR_RANGE (not 2 <= k <= n <= SHARES_MAX), MNV_ERR_DENIED, the
 * session_ready() error, or a database, key file or I/O error (then no sheet is valid).
 */
MNV_MUST_CHECK enum mnv_err recovery_split(struct session *s, int n, int k, struct share *out,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 4);

/*
 * recovery_unseal: rebuild the recovery key from shares[0..count) and open kr's recovery
 * slot into keys (from keyring_keys_new(): VK, NK and BK; a format-1 or legacy slot: MK),
 * then check the key file's MAC. Returns MNV_OK; MNV_ERR_SHARES_MIXED, SHARES_FEW,
 * SHARES_BAD (from shares_combine()); MNV_ERR_RECOVERY_NONE (no recovery slot);
 * MNV_ERR_RECOVERY_WRONG (the shares do not open this slot); MNV_ERR_KEYFILE_ALTERED;
 * MNV_ERR_NOMEM. keys is wiped on failure.
 */
MNV_MUST_CHECK enum mnv_err recovery_unseal(const struct keyring *kr, const struct share *shares,
                                            int count, struct keyring_keys *keys)
    MNV_NONNULL(1, 2, 4);

/*
 * recovery_check_vault: can the vault in dir be opened with shares at all, and has user
 * (may be NULL) a key slot in it — asked before anyone types a share. Returns MNV_OK,
 * MNV_ERR_RECOVERY_NONE, MNV_ERR_USER_NOT_FOUND, or a keyring_load() error
 * (MNV_ERR_KEYFILE_MISSING, VAULT_PARTIAL, KEYFILE_DAMAGED, KEYFILE_VERSION, IO).
 */
MNV_MUST_CHECK enum mnv_err recovery_check_vault(const char *dir, const char *user,
                                                 struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * recovery_open: open the vault in dir with shares[0..count) (recovery_unseal()), checking
 * it as a login would (key file, pairing, audit anchor). Close with recovery_close().
 * Returns MNV_OK, the recovery_unseal() errors, MNV_ERR_KEYFILE_MISSING, VAULT_PARTIAL,
 * KEYFILE_DAMAGED, KEYFILE_VERSION, or a vault_open() error.
 */
MNV_MUST_CHECK enum mnv_err recovery_open(const char *dir, const struct share *shares, int count,
                                          const struct session_options *o, struct recovery **out,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2, 4, 5);

/*
 * recovery_check_user: may user's password be recovered? *has_totp tells which password
 * minimum applies. Returns MNV_OK, MNV_ERR_USER_NOT_FOUND, MNV_ERR_RECOVERY_DISABLED
 * (disabled account), or a database error.
 */
MNV_MUST_CHECK enum mnv_err recovery_check_user(struct recovery *r, const char *user, int *has_totp,
                                                struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * recovery_set_password: give user the password new_pw[0..len) (checked with pwpolicy.h;
 * not copied): a new key slot, the lockout cleared, "must change at next login" set, and
 * the audit entry "password.recover" (actor "recovery", detail the set id), all in one
 * commit. May be called again after a policy error. Returns MNV_OK, the
 * recovery_check_user() errors, a MNV_ERR_PW_* policy error (diag as pwpolicy_check()),
 * MNV_ERR_KEYFILE_FULL, or a database or I/O error.
 */
MNV_MUST_CHECK enum mnv_err recovery_set_password(struct recovery *r, const char *user,
                                                  const char *new_pw, size_t len,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/* recovery_set_hex: the set id of the shares used, as 16 hex digits (borrowed). */
const char *recovery_set_hex(const struct recovery *r) MNV_NONNULL(1);

/* recovery_close: close the vault and wipe the keys; NULL allowed. */
void recovery_close(struct recovery *r);

#endif
