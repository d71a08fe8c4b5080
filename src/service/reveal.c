#include "mnvault/reveal.h"

#include <stdio.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/audit.h"
#include "mnvault/numberdb.h"
#include "mnvault/people.h"
#include "mnvault/persondb.h"
#include "mnvault/purpose.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/utf8.h"

int reveal_text_has_number(const char *text)
{
    char run[13];
    int have = 0, found = 0;
    size_t n = strlen(text), i = 0;
    while (i < n && !found) {
        uint32_t cp;
        int len = utf8_decode(text + i, n - i, &cp);
        if (len < 0) {
            have = 0;
            i++;
            continue;
        }
        i += (size_t)len;
        if (cp >= 0xFF10 && cp <= 0xFF19)
            cp = '0' + (cp - 0xFF10);
        if (cp >= '0' && cp <= '9') {
            if (have == 12) { /* slide: keep the last 11 */
                memmove(run, run + 1, 11);
                have = 11;
            }
            run[have++] = (char)cp;
            if (have == 12 && mynumber_valid_individual_digits(run))
                found = 1;
        } else if (!(cp == ' ' || cp == '-' || cp == 0x3000 || cp == 0xFF0D ||
                     (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)) {
            have = 0;
        }
    }
    secmem_wipe(run, sizeof(run));
    return found;
}

static enum mnv_err check_reason(const char *reason)
{
    size_t n = strlen(reason);
    while (n && (reason[n - 1] == ' '))
        n--;
    if (n == 0)
        return MNV_ERR_REASON_NEEDED;
    enum mnv_err err = persondb_check_text(reason, REVEAL_REASON_MAX, 1);
    if (err != MNV_OK)
        return err;
    return reveal_text_has_number(reason) ? MNV_ERR_REASON_NUMBER : MNV_OK;
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
