#include "mnvault/reveal.h"

#include <stdio.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/audit.h"
#include "mnvault/numberdb.h"
#include "mnvault/numtext.h"
#include "mnvault/people.h"
#include "mnvault/persondb.h"
#include "mnvault/purpose.h"
#include "mnvault/session.h"

static enum mnv_err check_reason(const char *reason)
{
    size_t n = strlen(reason);
    while (n && (reason[n - 1] == ' '))
        n--;
    if (n == 0)
        return MNV_ERR_REASON_NEEDED;
    if (numtext_has_number(reason, strlen(reason), NUMTEXT_ANY_RUN))
        return MNV_ERR_REASON_NUMBER;
    return person_check_text(reason, REVEAL_REASON_MAX, 1);
}

enum mnv_err reveal_number(struct session *s, const struct person_ref *ref, const char *purpose,
                           const char *reason, struct mynumber *out, struct mnv_diag *diag)
{
    mynumber_clear(out);
    char subject[48], detail[AUDIT_DETAIL_MAX];
    people_subject(subject, sizeof(subject), ref);
    enum mnv_err err = access_check(s, ACT_NUMBER_REVEAL, subject, diag);
    if (err == MNV_OK)
        err = check_reason(reason);
    if (err == MNV_OK)
        err = purpose_require(s, ref, purpose, "reveal", diag);
    if (err != MNV_OK)
        return err;
    struct vault *v = session_vault(s);
    err = vault_begin(v, diag);
    if (err != MNV_OK)
        return err;
    err = numberdb_reveal(v, ref, out, diag);
    snprintf(detail, sizeof(detail), "purpose=%s reason=%s", purpose, reason);
    if (err == MNV_OK)
        err = audit_append(s, "reveal", subject, "ok", detail, diag);
    if (err == MNV_OK)
        err = vault_commit(v, diag);
    else
        vault_rollback(v);
    if (err != MNV_OK)
        mynumber_clear(out);
    return err;
}
