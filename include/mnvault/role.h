/* role.h (base layer): the roles of the application's users (not employees) and their
 * names. What each role may do is decided by the service layer (access.h); users are
 * stored by userdb.h.
 */
#ifndef MNVAULT_ROLE_H
#define MNVAULT_ROLE_H

#include "mnvault/attr.h"

enum mnv_role {
    ROLE_NONE = 0,
    ROLE_CLERK = 1,      /* 事務取扱担当者: collects, reveals with a purpose, exports */
    ROLE_SUPERVISOR = 2, /* 事務取扱責任者: a clerk's rights, and approves disposals */
    ROLE_AUDITOR = 3,    /* reads and verifies the audit log */
    ROLE_ADMIN = 4,      /* manages users and settings */
};

/* role_name: "clerk", "supervisor", "auditor", "admin"; "" for ROLE_NONE or an unknown value. */
const char *role_name(enum mnv_role role);

/* role_parse: the role for its name; ROLE_NONE when unknown. */
enum mnv_role role_parse(const char *name) MNV_NONNULL(1);

#endif
