#include "mnvault/reveal.h"

#include <stdio.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/change.h"
#include "mnvault/numberdb.h"
#include "mnvault/numtext.h"
#include "mnvault/people.h"
#include "mnvault/persondb.h"
#include "mnvault/purpose.h"
#include "mnvault/secmem.h"
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

struct reveal_ctx {
    const struct person_ref *ref;
    const char *purpose, *reason;
    struct mynumber *out;
};

/* The number is read in the transaction that holds its entry: it is handed over only when
 * the entry is committed. */
static enum mnv_err reveal_body(struct session *s, struct change *c, void *ud,
                                struct mnv_diag *diag)
{
    struct reveal_ctx *x = ud;
    change_detail(c, "purpose=%s reason=%s", x->purpose, x->reason);
    return numberdb_reveal(session_vault(s), x->ref, x->out, diag);
}

enum mnv_err reveal_number(struct session *s, const struct person_ref *ref, const char *purpose,
                           const char *reason, struct mynumber *out, struct mnv_diag *diag)
{
    mynumber_clear(out);
    char subject[48];
    people_subject(subject, sizeof(subject), ref);
    enum mnv_err err = access_check(s, ACT_NUMBER_REVEAL, subject, diag);
    if (err == MNV_OK)
        err = check_reason(reason);
    if (err == MNV_OK)
        err = purpose_require(s, ref, purpose, "reveal", diag);
    if (err != MNV_OK)
        return err;
    struct reveal_ctx x = {ref, purpose, reason, out};
    err = change_run(s, "reveal", subject, reveal_body, &x, diag);
    if (err != MNV_OK)
        mynumber_clear(out);
    return err;
}

enum mnv_err reveal_masked(struct session *s, const struct person_ref *ref, enum mynumber_mask mask,
                           char buf[MYNUMBER_FORMAT_SIZE], struct mnv_diag *diag)
{
    mynumber_format_masked(buf, MYNUMBER_INDIVIDUAL, MYNUMBER_MASK_NONE, NULL);
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    if (err != MNV_OK || mask != MYNUMBER_MASK_LAST4 ||
        !access_allowed(session_role(s), ACT_NUMBER_REVEAL))
        return err;
    struct mynumber *n = secmem_alloc(sizeof(*n));
    if (!n)
        return MNV_ERR_NOMEM;
    struct vault *v = session_vault(s);
    int own = !vault_in_tx(v);
    if (own && (err = vault_begin_read(v, diag)) != MNV_OK) {
        secmem_free(n);
        return err;
    }
    err = numberdb_reveal(v, ref, n, diag);
    if (own)
        vault_rollback(v);
    if (err == MNV_OK)
        mynumber_format_masked(buf, MYNUMBER_INDIVIDUAL, MYNUMBER_MASK_LAST4, n->digits + 8);
    mynumber_clear(n);
    secmem_free(n);
    return err;
}
