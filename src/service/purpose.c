#include "mnvault/purpose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/audit.h"
#include "mnvault/change.h"
#include "mnvault/numberdb.h"
#include "mnvault/session.h"
#include "mnvault/utf8.h"

static void subject_of(char *buf, size_t size, const struct person_ref *ref)
{
    snprintf(buf, size, "%s:%lld", ref->kind == PERSON_EMPLOYEE ? "employee" : "dependent",
             (long long)ref->id);
}

struct notify_ctx {
    const struct person_ref *ref;
    const char *code, *date;
};

static enum mnv_err notify_body(struct session *s, struct change *c, void *ud,
                                struct mnv_diag *diag)
{
    const struct notify_ctx *x = ud;
    struct vault *v = session_vault(s);
    struct number_info info;
    enum mnv_err err = numberdb_get(v, x->ref, &info, diag);
    if (err == MNV_OK && info.status != NUMBER_REGISTERED)
        err = MNV_ERR_NUMBER_NONE;
    if (err == MNV_OK)
        err = numberdb_add_purpose(v, info.id, x->code, x->date, session_user(s), diag);
    change_detail(c, "purpose=%s notified=%s", x->code, x->date);
    return err;
}

enum mnv_err purpose_notify(struct session *s, const struct person_ref *ref, const char *code,
                            const char *date, struct mnv_diag *diag)
{
    char subject[64];
    subject_of(subject, sizeof(subject), ref);
    enum mnv_err err = access_check(s, ACT_PURPOSE_NOTIFY, subject, diag);
    if (err != MNV_OK)
        return err;
    if (!purpose_find(session_purposes(s), code)) {
        mnv_diag_item(diag, "%s", code);
        return MNV_ERR_PURPOSE_UNKNOWN;
    }
    if (person_check_date(date, 1) != MNV_OK)
        return MNV_ERR_FIELD_DATE;
    struct notify_ctx x = {ref, code, date};
    return change_run(s, "purpose.notify", subject, notify_body, &x, diag);
}

enum mnv_err purpose_require(struct session *s, const struct person_ref *ref, const char *code,
                             const char *use, struct mnv_diag *diag)
{
    if (!purpose_find(session_purposes(s), code)) {
        mnv_diag_item(diag, "%s", code);
        return MNV_ERR_PURPOSE_UNKNOWN;
    }
    struct number_info info;
    enum mnv_err err = numberdb_get(session_vault(s), ref, &info, diag);
    if (err != MNV_OK)
        return err;
    for (size_t i = 0; i < info.n_purposes; i++)
        if (strcmp(info.purposes[i].code, code) == 0)
            return MNV_OK;
    char subject[64], detail[96];
    subject_of(subject, sizeof(subject), ref);
    snprintf(detail, sizeof(detail), "purpose=%s not_notified", code);
    if (vault_in_tx(session_vault(s))) {
        /* The caller's transaction may be rolled back; the refusal must stay. */
        return MNV_ERR_INVALID;
    }
    audit_note(s, use, subject, "refused", detail);
    mnv_diag_item(diag, "%s", code);
    return MNV_ERR_PURPOSE_NOT_NOTIFIED;
}
