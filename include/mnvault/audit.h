/* audit.h (service layer): the audit trail writer of the services: entries for the
 * signed-in user, inside the change's transaction (audit_append(); change.h runs the whole
 * change) or in a transaction of their own (audit_record(), audit_note()). The chain itself
 * is auditlog.h, which refuses any text holding a My Number; reading and verifying the log
 * are auditor.h; the list of actions is doc/audit.md.
 */
#ifndef MNVAULT_AUDIT_H
#define MNVAULT_AUDIT_H

#include "mnvault/attr.h"
#include "mnvault/auditlog.h"
#include "mnvault/err.h"
#include "mnvault/vault.h"

struct session;

/*
 * audit_append: append an entry for the session's user and role inside the session's open
 * write transaction. subject and detail may be NULL. Returns MNV_OK or a database error.
 */
MNV_MUST_CHECK enum mnv_err audit_append(struct session *s, const char *action, const char *subject,
                                         const char *result, const char *detail,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 2, 4);

/* audit_record: the same in a transaction of its own (begun and committed here). */
MNV_MUST_CHECK enum mnv_err audit_record(struct session *s, const char *action, const char *subject,
                                         const char *result, const char *detail,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 2, 4);

/*
 * audit_note: audit_record() for entries whose failure cannot change the outcome (a
 * refusal that is refused anyway, a lock, a logout): the error is dropped.
 */
void audit_note(struct session *s, const char *action, const char *subject, const char *result,
                const char *detail) MNV_NONNULL(1, 2, 4);

#endif
