/* access.h (service layer): what each role may do.
 *
 * One table (src/service/access.c, doc/accounts.md) decides, for the four roles, every
 * action a service offers. Services call access_check() first; a refusal is written to the
 * audit log (action = the action's name, result "denied") before MNV_ERR_DENIED is returned.
 *
 *                      clerk  supervisor  auditor  admin
 *   person.view          x        x          x
 *   person.edit          x        x
 *   number.store         x        x
 *   number.reveal        x        x
 *   number.export        x        x
 *   purpose.notify       x        x
 *   disposal.propose     x        x
 *   disposal.approve              x
 *   audit.read                    x          x        x
 *   audit.verify                  x          x        x
 *   audit.export                  x          x
 *   vault.verify                  x          x        x
 *   user.manage                                       x
 *   user.unlock                   x                   x
 *   settings.change                                   x
 *   epoch.rotate                  x
 *   dashboard            x        x          x        x
 *   recovery.split                x
 *   backup.make                   x                   x
 *   backup.read                   x          x        x
 *   user.approve                  x
 *   payroll.import       x        x
 *   payroll.view         x        x
 *   custody.read         x        x          x
 *   custody.mark         x        x
 *   employer.edit        x        x                   x
 *   insurance.view       x        x
 *   insurance.edit       x        x
 *   retention.hold                x
 *   review.sign                   x
 *   incident.record      x        x
 * A role allowed an action that opens numbers or what is sealed like them (number.*,
 * epoch.rotate, recovery.split, user.approve, payroll.*) still needs the number key in its
 * session: an account a supervisor has not approved yet is refused with
 * MNV_ERR_APPROVAL_PENDING.
 */
#ifndef MNVAULT_ACCESS_H
#define MNVAULT_ACCESS_H

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/userdb.h"

struct session;

enum access_action {
    ACT_PERSON_VIEW,
    ACT_PERSON_EDIT,
    ACT_NUMBER_STORE,
    ACT_NUMBER_REVEAL,
    ACT_NUMBER_EXPORT,
    ACT_PURPOSE_NOTIFY,
    ACT_DISPOSAL_PROPOSE,
    ACT_DISPOSAL_APPROVE,
    ACT_AUDIT_READ,
    ACT_AUDIT_VERIFY,
    ACT_AUDIT_EXPORT,
    ACT_VAULT_VERIFY,
    ACT_USER_MANAGE,
    ACT_USER_UNLOCK,
    ACT_SETTINGS_CHANGE,
    ACT_EPOCH_ROTATE,
    ACT_DASHBOARD,
    ACT_RECOVERY_SPLIT,
    ACT_BACKUP_MAKE,
    ACT_BACKUP_READ,
    ACT_USER_APPROVE,
    ACT_PAYROLL_IMPORT,
    ACT_PAYROLL_VIEW,
    ACT_CUSTODY_READ,
    ACT_CUSTODY_MARK,
    ACT_EMPLOYER_EDIT,
    ACT_INSURANCE_VIEW,
    ACT_INSURANCE_EDIT,
    ACT_RETENTION_HOLD,
    ACT_AUDIT_SEAL,
    ACT_REVIEW_SIGN,
    ACT_INCIDENT_RECORD,
    ACT__COUNT
};

/* access_allowed: 1 when role may do action, else 0 (ROLE_NONE may do nothing). */
MNV_MUST_CHECK int access_allowed(enum mnv_role role, enum access_action action);

/* access_action_name: "number.reveal" etc. (also the audit action of a refusal). */
const char *access_action_name(enum access_action action);

/*
 * access_check: may the session's user do action now? Returns MNV_OK; the session_ready()
 * error when the session is locked or not complete; or MNV_ERR_DENIED after auditing the
 * refusal with subject (may be "" or NULL).
 */
MNV_MUST_CHECK enum mnv_err access_check(struct session *s, enum access_action action,
                                         const char *subject, struct mnv_diag *diag) MNV_NONNULL(1);

#endif
