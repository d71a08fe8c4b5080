#include "mnvault/svcread.h"

#include "mnvault/session.h"

enum mnv_err svcread_run(struct session *s, enum access_action action, svcread_fn body, void *ud,
                         struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, action, "", diag);
    struct vault *v = session_vault(s);
    int own = !vault_in_tx(v);
    if (err == MNV_OK && own)
        err = vault_begin_read(v, diag);
    if (err != MNV_OK)
        return err;
    err = body(v, ud, diag);
    if (own)
        vault_rollback(v);
    return err;
}
