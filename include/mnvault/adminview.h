/* adminview.h (service layer): administration in words, the same for the administration
 * screens (F9) and the commands (`mnvault user list`, `mnvault verify`, `mnvault backup
 * --list`, `mnvault config show`): a user's state, the lines of a check of the vault, a
 * backup's size and state, the effective settings. Reads only; never prints; every word
 * is translated.
 */
#ifndef MNVAULT_ADMINVIEW_H
#define MNVAULT_ADMINVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/auditor.h"
#include "mnvault/backupdb.h"
#include "mnvault/config.h"
#include "mnvault/err.h"
#include "mnvault/userdb.h"

struct session;

/*
 * adminview_user_state: u's state in words into buf ("active", "waits for approval",
 * "locked until …", "disabled" …); locked_until as accounts_list() gives it. Returns the
 * words (buf or a constant).
 */
const char *adminview_user_state(struct session *s, const struct user_rec *u, int64_t locked_until,
                                 char *buf, size_t size) MNV_NONNULL(1, 2, 4);

/* The state of an account that waits for a supervisor (keyroles.h). */
enum adminview_waiting {
    ADMINVIEW_NOT_WAITING,
    ADMINVIEW_WAITS_PASSWORD, /* the owner must first choose their own password */
    ADMINVIEW_WAITS_APPROVAL, /* a supervisor may approve it now, with the owner's code */
};
enum adminview_waiting adminview_user_waiting(struct session *s, const struct user_rec *u)
    MNV_NONNULL(1, 2);

/* One part of a check of the vault. */
enum adminview_check { ADMINVIEW_OK, ADMINVIEW_DAMAGED, ADMINVIEW_SKIPPED };
typedef void (*adminview_line_fn)(void *ud, enum adminview_check state, const char *what,
                                  const char *detail);

/* adminview_vault_check: the parts of r in order (key file, database, audit log, numbers,
 * figures, insurance facts), each with its words and detail ("" when none). */
void adminview_vault_check(const struct vault_check *r, adminview_line_fn fn, void *ud)
    MNV_NONNULL(1, 2);

/* adminview_check_word: "ok", "DAMAGED" or "-". */
const char *adminview_check_word(enum adminview_check state);

/* adminview_size: bytes as "812 B", "34 KiB", "120 MiB" into buf. Returns buf. */
char *adminview_size(char *buf, size_t size, uint64_t bytes) MNV_NONNULL(1);

/* adminview_backup_state: kept (managed) / kept / deleted when and why, into buf. */
const char *adminview_backup_state(const struct backup_rec *r, char *buf, size_t size)
    MNV_NONNULL(1, 2);

/* adminview_backup_verdict: what backup_verify() found, in sentences, into buf: an intact
 * backup of this vault, when it was made, the audit log it holds, whether the register
 * knows it. Returns buf. */
struct backup_check;
char *adminview_backup_verdict(const struct backup_check *r, const char *path, char *buf,
                               size_t size) MNV_NONNULL(1, 2, 3);

/* One effective setting: its name ("[display] mask", or words for a fact of the vault),
 * its value, and a note ("default", "set", or ""). */
typedef void (*adminview_setting_fn)(void *ud, const char *name, const char *value,
                                     const char *note);

/*
 * adminview_settings: every key of cfg, then, with a session, what the vault itself keeps
 * (the organisation's time zone; the audit log's sealing for roles that read the log).
 * Returns MNV_OK or the first error reading the vault.
 */
MNV_MUST_CHECK enum mnv_err adminview_settings(struct session *s, const struct mnv_config *cfg,
                                               adminview_setting_fn fn, void *ud,
                                               struct mnv_diag *diag) MNV_NONNULL(2, 3);

#endif
