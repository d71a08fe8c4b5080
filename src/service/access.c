#include "mnvault/access.h"

#include "mnvault/audit.h"
#include "mnvault/session.h"
#include "mnvault/vault.h"

#define C (1u << ROLE_CLERK)
#define S (1u << ROLE_SUPERVISOR)
#define A (1u << ROLE_AUDITOR)
#define M (1u << ROLE_ADMIN)

static const struct {
    const char *name;
    unsigned roles;
} actions[ACT__COUNT] = {
    [ACT_PERSON_VIEW] = {"person.view", C | S | A},
    [ACT_PERSON_EDIT] = {"person.edit", C | S},
    [ACT_NUMBER_STORE] = {"number.store", C | S},
    [ACT_NUMBER_REVEAL] = {"number.reveal", C | S},
    [ACT_NUMBER_EXPORT] = {"number.export", C | S},
    [ACT_PURPOSE_NOTIFY] = {"purpose.notify", C | S},
    [ACT_DISPOSAL_PROPOSE] = {"disposal.propose", C | S},
    [ACT_DISPOSAL_APPROVE] = {"disposal.approve", S},
    [ACT_AUDIT_READ] = {"audit.read", S | A | M},
    [ACT_AUDIT_VERIFY] = {"audit.verify", S | A | M},
    [ACT_AUDIT_EXPORT] = {"audit.export", S | A},
    [ACT_VAULT_VERIFY] = {"vault.verify", S | A | M},
    [ACT_USER_MANAGE] = {"user.manage", M},
    [ACT_USER_UNLOCK] = {"user.unlock", S | M},
    [ACT_SETTINGS_CHANGE] = {"settings.change", M},
    [ACT_EPOCH_ROTATE] = {"epoch.rotate", S},
    [ACT_DASHBOARD] = {"dashboard", C | S | A | M},
    [ACT_RECOVERY_SPLIT] = {"recovery.split", S},
    [ACT_BACKUP_MAKE] = {"backup.make", S | M},
    [ACT_BACKUP_READ] = {"backup.read", S | A | M},
    [ACT_USER_APPROVE] = {"user.approve", S},
    [ACT_PAYROLL_IMPORT] = {"payroll.import", C | S},
    [ACT_PAYROLL_VIEW] = {"payroll.view", C | S},
    [ACT_CUSTODY_READ] = {"custody.read", C | S | A},
    [ACT_CUSTODY_MARK] = {"custody.mark", C | S},
    [ACT_EMPLOYER_EDIT] = {"employer.edit", C | S | M},
    [ACT_INSURANCE_VIEW] = {"insurance.view", C | S},
    [ACT_INSURANCE_EDIT] = {"insurance.edit", C | S},
    [ACT_RETENTION_HOLD] = {"retention.hold", S},
    [ACT_AUDIT_SEAL] = {"audit.seal", A},
    [ACT_REVIEW_SIGN] = {"review.sign", S},
    [ACT_INCIDENT_RECORD] = {"incident.record", C | S},
};

/* Actions that open numbers or rows sealed under the epoch keys (figures, insurance facts):
 * the role is not enough, the session must hold NK. */
static int needs_numbers(enum access_action a)
{
    return a == ACT_NUMBER_STORE || a == ACT_NUMBER_REVEAL || a == ACT_NUMBER_EXPORT ||
           a == ACT_EPOCH_ROTATE || a == ACT_RECOVERY_SPLIT || a == ACT_USER_APPROVE ||
           a == ACT_DISPOSAL_PROPOSE || a == ACT_DISPOSAL_APPROVE || a == ACT_PAYROLL_IMPORT ||
           a == ACT_PAYROLL_VIEW || a == ACT_INSURANCE_VIEW || a == ACT_INSURANCE_EDIT;
}

int access_allowed(enum mnv_role role, enum access_action action)
{
    if ((unsigned)action >= ACT__COUNT || role < ROLE_CLERK || role > ROLE_ADMIN)
        return 0;
    return (actions[action].roles & (1u << role)) != 0;
}

const char *access_action_name(enum access_action action)
{
    return (unsigned)action < ACT__COUNT ? actions[action].name : "?";
}

enum mnv_err access_check(struct session *s, enum access_action action, const char *subject,
                          struct mnv_diag *diag)
{
    enum mnv_err err = session_ready(s);
    if (err != MNV_OK)
        return err;
    if (access_allowed(session_role(s), action))
        return needs_numbers(action) && !vault_has_numbers(session_vault(s))
                   ? MNV_ERR_APPROVAL_PENDING
                   : MNV_OK;
    mnv_diag_item(diag, "%s", access_action_name(action));
    /* The refusal is written before it is reported; if even that fails, still refuse. */
    audit_note(s, access_action_name(action), subject ? subject : "", "denied", "");
    return MNV_ERR_DENIED;
}
