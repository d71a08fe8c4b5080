/* upgrade.h (service layer): upgrading a vault whose key file is format 1 (one master key
 * in every slot, before issue 11) to format 2 (doc/vault-format.md, "Upgrading").
 *
 * Only a supervisor's sign-in upgrades: a supervisor is the role trusted with every key, and
 * someone must receive the new number key NK. The upgrade makes VK, NK and BK, gives the
 * supervisor a format-2 slot with all three, keeps every other active user's slot as a
 * legacy slot (their next sign-in turns it into a format-2 slot with VK, and BK for their
 * role; clerks and supervisors then wait for a supervisor's approval for NK), drops the
 * slots of disabled users, re-seals every number under a new epoch key bound to its person
 * (schema step 9), re-seals the TOTP secrets, rekeys vault.db to VK, and records
 * "vault.upgrade" in the audit log. Each step survives a crash: the next supervisor sign-in
 * (or any sign-in once the format-2 file is written) carries it on.
 */
#ifndef MNVAULT_UPGRADE_H
#define MNVAULT_UPGRADE_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/keyring.h"
#include "mnvault/vault.h"

struct session_options;

/*
 * upgrade_vault: kr is a format-1 snapshot of dir's key file and keys holds its MK (the
 * legacy slot of user opened with password[0..len)). When user is an active supervisor,
 * upgrade as above: kr becomes format 2, keys holds VK, NK and BK (MK wiped), and *out is
 * the opened vault (close with vault_close()). Otherwise MNV_ERR_KEYFILE_UPGRADE. Other
 * errors: a vault_open() or key file error.
 */
MNV_MUST_CHECK enum mnv_err upgrade_vault(const char *dir, struct keyring *kr,
                                          struct keyring_keys *keys, const char *user,
                                          const char *password, size_t len,
                                          const struct session_options *o, struct vault **out,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4, 5, 7, 8);

#endif
