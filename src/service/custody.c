/*
 * custody.c: the custody register as the screens and the command line use it (custody.h):
 * roles, the moves the register allows, the audit of each mark.
 */
#include "mnvault/custody.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/change.h"
#include "mnvault/i18n.h"
#include "mnvault/person.h"
#include "mnvault/session.h"
#include "mnvault/vcrypto.h"

static const char *const labels[] = {NULL,
                                     N_("being written"),
                                     N_("written, in the office"),
                                     N_("failed (removed)"),
                                     N_("submitted"),
                                     N_("destroyed"),
                                     N_("returned")};

const char *custody_state_label(enum custody_state s)
{
    return (s >= CUSTODY_WRITING && s <= CUSTODY_RETURNED) ? labels[s] : "";
}

char *custody_hash_hex(const struct custody_entry *e, char out[65])
{
    out[0] = '\0';
    if (e->has_hash)
        vcrypto_hex(out, e->sha256, 32);
    return out;
}

enum mnv_err custody_list(struct session *s, const struct custody_filter *f,
                          struct custody_entry **out, size_t *count, struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    enum mnv_err err = access_check(s, ACT_CUSTODY_READ, "", diag);
    return err == MNV_OK ? custodydb_list(session_vault(s), f, out, count, diag) : err;
}

enum mnv_err custody_get(struct session *s, int64_t id, struct custody_entry *out,
                         struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_CUSTODY_READ, "", diag);
    return err == MNV_OK ? custodydb_get(session_vault(s), id, out, diag) : err;
}

/* The moves the register allows. */
static int allowed(enum custody_state from, enum custody_state to)
{
    if (from == CUSTODY_WRITTEN)
        return to == CUSTODY_SUBMITTED || to == CUSTODY_DESTROYED || to == CUSTODY_RETURNED;
    if (from == CUSTODY_WRITING)
        return to == CUSTODY_FAILED || to == CUSTODY_DESTROYED;
    return 0;
}

struct mark_ctx {
    int64_t id;
    enum custody_state to;
    const char *note;
};

static enum mnv_err mark_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    const struct mark_ctx *x = ud;
    struct vault *v = session_vault(s);
    struct custody_entry e;
    memset(&e, 0, sizeof(e));
    enum mnv_err err = custodydb_get(v, x->id, &e, diag);
    if (err == MNV_OK && !allowed(e.state, x->to))
        err = MNV_ERR_CUSTODY_STATE;
    if (err == MNV_OK)
        err = custodydb_set_state(v, x->id, x->to, session_user(s), x->note, diag);
    change_detail(c, "from=%s to=%s", custody_state_name(e.state), custody_state_name(x->to));
    return err;
}

enum mnv_err custody_mark(struct session *s, int64_t id, enum custody_state to, const char *note,
                          struct mnv_diag *diag)
{
    char subject[48];
    snprintf(subject, sizeof(subject), "custody:%lld", (long long)id);
    enum mnv_err err = access_check(s, ACT_CUSTODY_MARK, subject, diag);
    if (err != MNV_OK)
        return err;
    if (!note)
        note = "";
    if (note[0] && (err = person_check_text(note, CUSTODY_NOTE_MAX, 0)) != MNV_OK) {
        mnv_diag_item(diag, "note");
        return err;
    }
    struct mark_ctx x = {id, to, note};
    return change_run(s, "custody.mark", subject, mark_body, &x, diag);
}

enum mnv_err custody_outstanding(struct session *s, const struct person_ref *ref, int64_t **ids,
                                 size_t *count, struct mnv_diag *diag)
{
    *ids = NULL;
    *count = 0;
    enum mnv_err err = access_check(s, ACT_CUSTODY_READ, "", diag);
    return err == MNV_OK ? custodydb_outstanding(session_vault(s), ref, ids, count, diag) : err;
}
