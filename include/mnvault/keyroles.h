/* keyroles.h (service layer): who holds which root key, and changing that. keyring.h has the
 * mechanism; this module has the rules (doc/accounts.md, "Keys follow roles"):
 *
 *   role         VK   NK   BK
 *   clerk        x    x          NK only when a supervisor completed the account
 *   supervisor   x    x    x     NK only when a supervisor completed the account
 *   auditor      x
 *   admin        x         x
 *   recovery     x    x    x
 *
 * An administrator makes accounts, but can give them only VK (and BK): a clerk or
 * supervisor account waits ("pending") until a supervisor's session gives it NK
 * (keyroles_approve()). When someone loses keys — disabled, reset, expired, a role that reads no
 * number any more — what they could open is replaced: a new VK (the database is rekeyed)
 * and BK at once, by whoever made the change; a new NK and epoch key (every data key
 * rewrapped) at the next session that holds NK, because only an NK holder can. So an old
 * password with an old copy of the key file or an old backup opens nothing of today's vault.
 */
#ifndef MNVAULT_KEYROLES_H
#define MNVAULT_KEYROLES_H

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/keyring.h"
#include "mnvault/userdb.h"
#include "mnvault/vault.h"

struct session;

/* keyroles_for_role: the root keys (enum keyring_key bits) a role's slot holds when complete. */
unsigned keyroles_for_role(enum mnv_role role);

/* keyroles_admin_gives: the keys an administrator gives a new slot of role (never NK). */
unsigned keyroles_admin_gives(enum mnv_role role);

/*
 * keyroles_pending: 1 when the user name's slot lacks a key its role needs (NK: a supervisor
 * must approve), 0 when complete or when there is no slot.
 */
MNV_MUST_CHECK int keyroles_pending(const struct keyring *kr, const char *name, enum mnv_role role)
    MNV_NONNULL(1, 2);

/* What a user's key slot holds, for the front ends (never the keys themselves). */
enum keyroles_account {
    KEYROLES_NO_SLOT,  /* disabled, or no slot: a reset gives one */
    KEYROLES_PENDING,  /* a clerk or supervisor waiting for a supervisor's approval */
    KEYROLES_COMPLETE, /* the slot holds what the role needs */
};

/* keyroles_account_state: the state of user name's slot (KEYROLES_NO_SLOT also when there
 * is no such user). */
enum keyroles_account keyroles_account_state(struct session *s, const char *name) MNV_NONNULL(1, 2);

/*
 * keyroles_code: the approval code of name's key (keyring_slot_code()), for a program that
 * plays both the owner and the supervisor (the demo, tests). The code is not secret, it is
 * public-key material; what matters is that the approving supervisor takes it from the
 * owner, so a front end must never show it to anyone but the owner. Returns MNV_OK or
 * MNV_ERR_USER_NOT_FOUND.
 */
MNV_MUST_CHECK enum mnv_err keyroles_code(struct session *s, const char *name,
                                          char out[KEYRING_CODE_SIZE]) MNV_NONNULL(1, 2, 3);

/*
 * keyroles_approve: complete the account name (user.approve: supervisors, with a session that
 * holds NK; never one's own): its slot gets NK sealed to its public key. Only once the owner
 * chose their own password (an administrator knows a one-time password), and only with the
 * code the owner was shown for their key (keyring_slot_code(), session_approval_code()):
 * an administrator, who can write the key file, could otherwise put a slot of their own in
 * the owner's place. Audited "user.approve". Returns MNV_OK, MNV_ERR_DENIED, MNV_ERR_SELF,
 * MNV_ERR_USER_NOT_FOUND (no such user, or no key slot: disabled), MNV_ERR_NOT_PENDING,
 * MNV_ERR_DISABLED, MNV_ERR_APPROVAL_EARLY, MNV_ERR_APPROVAL_CODE, MNV_ERR_NUMBER_KEY, or a
 * database or key file error.
 */
MNV_MUST_CHECK enum mnv_err keyroles_approve(struct session *s, const char *name, const char *code,
                                             struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * keyroles_removed: after name lost keys (lost: enum keyring_key bits), replace them. When its
 * slot was removed or replaced (slot_gone), a new VK at once (vault.db rekeyed, the TOTP
 * secrets sealed again). A lost BK: a new BK at once when the session holds BK, else at the
 * next session that does. A lost NK: a new NK and epoch key (every data key rewrapped) at
 * once when the session holds NK, else at the next session that does ("key.due" on record
 * says so; keyroles_housekeeping() looks). Audited "key.rotate". Inside no transaction.
 */
MNV_MUST_CHECK enum mnv_err keyroles_removed(struct session *s, const char *name, unsigned lost,
                                             int slot_gone, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/*
 * keyroles_removed_as: keyroles_removed() for code without a session (a recovery with shares): the
 * entries are written with user actor and no role.
 */
MNV_MUST_CHECK enum mnv_err keyroles_removed_as(struct vault *v, const char *actor,
                                                const char *name, unsigned lost, int slot_gone,
                                                struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * keyroles_rotate_numbers: a new NK (given to every holder and the recovery slot), a new epoch
 * key, every live data key rewrapped, the old epoch key destroyed; audited "key.rotate"
 * (detail nk=1) and "epoch.rotate". The session must hold NK. *rewrapped receives the count.
 */
MNV_MUST_CHECK enum mnv_err keyroles_rotate_numbers(struct session *s, int new_nk, long *rewrapped,
                                                    struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * keyroles_housekeeping: after a login completed: remove the slots of accounts past their last
 * valid day (as keyroles_removed(): "user.expire"), and rotate NK if a loss of NK is on record
 * since the last rotation and this session holds NK. Failures are audited, not returned
 * (the login itself stands).
 */
void keyroles_housekeeping(struct session *s) MNV_NONNULL(1);

#endif
