#include "mnvault/role.h"

#include <string.h>

static const char *const role_names[] = {"", "clerk", "supervisor", "auditor", "admin"};

const char *role_name(enum mnv_role role)
{
    return (role >= ROLE_NONE && role <= ROLE_ADMIN) ? role_names[role] : "";
}

enum mnv_role role_parse(const char *name)
{
    for (int r = ROLE_CLERK; r <= ROLE_ADMIN; r++)
        if (strcmp(name, role_names[r]) == 0)
            return (enum mnv_role)r;
    return ROLE_NONE;
}
