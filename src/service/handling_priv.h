/* handling_priv.h (service layer, private to handling*.c): the checklist (handling_checks.c)
 * for the register (handling.c). */
#ifndef MNVAULT_HANDLING_PRIV_H
#define MNVAULT_HANDLING_PRIV_H

#include "mnvault/backupdb.h"
#include "mnvault/handling.h"
#include "mnvault/userdb.h"

/* Fill r->checks from the users, backups and the register's files already in r. */
enum mnv_err handling_checks(struct session *s, const struct user_rec *users, size_t nusers,
                             const struct backup_rec *backups, size_t nbackups,
                             struct handling_register *r, struct mnv_diag *diag);

#endif
