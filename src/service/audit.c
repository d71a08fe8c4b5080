#include "mnvault/audit.h"

#include "mnvault/role.h"
#include "mnvault/session.h"

/* The entry as the session's user and role would write it. */
static void event_of(struct session *s, struct audit_event *ev, const char *action,
                     const char *subject, const char *result, const char *detail)
{
    struct audit_event e = {
        0,      session_user(s),     role_name(session_role(s)), action, subject ? subject : "",
        result, detail ? detail : ""};
    *ev = e;
}

enum mnv_err audit_append(struct session *s, const char *action, const char *subject,
                          const char *result, const char *detail, struct mnv_diag *diag)
{
    struct audit_event ev;
    event_of(s, &ev, action, subject, result, detail);
    return auditlog_append(session_vault(s), &ev, NULL, diag);
}

enum mnv_err audit_record(struct session *s, const char *action, const char *subject,
                          const char *result, const char *detail, struct mnv_diag *diag)
{
    struct audit_event ev;
    event_of(s, &ev, action, subject, result, detail);
    return auditlog_record(session_vault(s), &ev, diag);
}

void audit_note(struct session *s, const char *action, const char *subject, const char *result,
                const char *detail)
{
    if (audit_record(s, action, subject, result, detail, NULL) != MNV_OK) {
        /* Nothing more can be done: the vault refused the write (it is then usually
         * damaged or the disk full, which the next command reports). */
    }
}
