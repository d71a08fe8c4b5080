#include "mnvault/change.h"

#include <stdarg.h>
#include <stdio.h>

#include "mnvault/audit.h"
#include "mnvault/session.h"

enum mnv_err change_run(struct session *s, const char *action, const char *subject, change_fn body,
                        void *ud, struct mnv_diag *diag)
{
    struct change c = {.action = action, .result = "ok"};
    snprintf(c.subject, sizeof(c.subject), "%s", subject ? subject : "");
    struct vault *v = session_vault(s);
    enum mnv_err err = vault_begin(v, diag);
    if (err != MNV_OK)
        return err;
    err = body(s, &c, ud, diag);
    if (err == MNV_OK && c.rollback) {
        vault_rollback(v);
        return MNV_OK;
    }
    if (err == MNV_OK && !c.skip_entry)
        err = audit_append(s, c.action, c.subject, c.result, c.detail, diag);
    if (err == MNV_OK)
        return c.keyfile ? vault_commit_with(v, c.keyfile, c.keyfile_ud, diag)
                         : vault_commit(v, diag);
    vault_rollback(v);
    if (c.refusal)
        audit_note(s, c.action, c.subject, "refused", c.refusal);
    return err;
}

void change_detail(struct change *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
    va_end(ap);
}

void change_subject(struct change *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->subject, sizeof(c->subject), fmt, ap);
    va_end(ap);
}
