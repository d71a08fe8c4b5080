/* svcread.h (service layer): one way for a service to read inside a transaction: check the
 * role, begin a read transaction unless the caller's is open, run the body, end it.
 */
#ifndef MNVAULT_SVCREAD_H
#define MNVAULT_SVCREAD_H

#include "mnvault/access.h"
#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/vault.h"

struct session;

/* The reading itself; its error is returned by svcread_run(). */
typedef enum mnv_err (*svcread_fn)(struct vault *v, void *ud, struct mnv_diag *diag);

/*
 * svcread_run: access_check(s, action) (a refusal is audited), then body(v, ud, diag) in a
 * read transaction of its own, or inside the one already open on the session's vault.
 * Returns the access error, the transaction's error or body's.
 */
MNV_MUST_CHECK enum mnv_err svcread_run(struct session *s, enum access_action action,
                                        svcread_fn body, void *ud, struct mnv_diag *diag)
    MNV_NONNULL(1, 3);

#endif
