/*
 * disposal.c: proposals and decisions (four eyes). Execution is disposal_exec.c.
 */
#include "mnvault/disposal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mnvault/access.h"
#include "mnvault/alloc.h"
#include "mnvault/audit.h"
#include "mnvault/change.h"
#include "mnvault/caldate.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/numtext.h"
#include "mnvault/session.h"
#include "mnvault/svcread.h"

#include "disposal_priv.h"

static const char *const state_labels[DISPOSAL__STATES] = {
    [DISPOSAL_PROPOSED] = N_("waiting for approval"),
    [DISPOSAL_APPROVED] = N_("approved"),
    [DISPOSAL_REJECTED] = N_("rejected"),
    [DISPOSAL_WITHDRAWN] = N_("withdrawn"),
    [DISPOSAL_STALE] = N_("stale"),
    [DISPOSAL_EXECUTED] = N_("executed"),
};

const char *disposal_state_label(enum disposal_state st)
{
    return (unsigned)st < DISPOSAL__STATES ? state_labels[st] : "";
}

static char *subject_of(char *buf, size_t size, int64_t id)
{
    snprintf(buf, size, "proposal:%lld", (long long)id);
    return buf;
}

/* ---- the facts an item is proposed on ----------------------------------------------------- */

static void put(crypto_generichash_state *h, int64_t v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    crypto_generichash_update(h, b, (size_t)bytes);
}

static void put_text(crypto_generichash_state *h, const char *t)
{
    put(h, (int64_t)strlen(t), 4);
    crypto_generichash_update(h, (const unsigned char *)t, strlen(t));
}

/*
 * The digest of what retention decided on for one number: whose record and which version
 * of it, the state, every clock (what made it apply, its end, its period) and the hold.
 * It covers no digit of the number.
 */
static void item_digest(const struct retention_rules *r, const struct retention_subject *s,
                        const struct retention_verdict *v, unsigned char out[VCRYPTO_HASH_LEN])
{
    crypto_generichash_state h;
    static const char tag[] = "mnvault-disposal-item-1";
    crypto_generichash_init(&h, NULL, 0, VCRYPTO_HASH_LEN);
    crypto_generichash_update(&h, (const unsigned char *)tag, sizeof(tag) - 1);
    put(&h, s->number_id, 8);
    put(&h, s->person.kind, 1);
    put(&h, s->person.id, 8);
    put(&h, s->version, 4);
    put_text(&h, s->employee_code);
    put(&h, v->state, 1);
    put(&h, v->keep_until, 4);
    put(&h, v->hold_review, 4);
    put(&h, (int64_t)v->nclocks, 4);
    for (size_t i = 0; i < v->nclocks; i++) {
        const struct retention_clock *c = &v->clocks[i];
        put_text(&h, r->docs[c->doc].code);
        put(&h, c->why, 1);
        put_text(&h, r->codes[c->why_code].code);
        put(&h, c->why_day, 4);
        put(&h, c->end, 1);
        put(&h, c->end_day, 4);
        put(&h, c->last, 1);
        put(&h, c->last_day, 4);
        put(&h, c->first_day, 4);
        put(&h, c->keep_until, 4);
    }
    crypto_generichash_final(&h, out, VCRYPTO_HASH_LEN);
}

void disposal_fill_item(const struct retention_rules *r, const struct retention_subject *s,
                        const struct retention_verdict *v, struct disposal_item *it)
{
    memset(it, 0, sizeof(*it));
    it->number_id = s->number_id;
    it->person = s->person;
    it->employee_id = s->employee_id;
    snprintf(it->employee_code, sizeof(it->employee_code), "%s", s->employee_code);
    caldate_format(v->keep_until, it->keep_until);
    if (v->binding >= 0)
        snprintf(it->doc, sizeof(it->doc), "%s", r->docs[v->clocks[v->binding].doc].code);
    item_digest(r, s, v, it->digest);
}

static int id_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int chosen(const int64_t *ids, size_t n, int64_t id)
{
    return bsearch(&id, ids, n, sizeof(*ids), id_cmp) != NULL;
}

/* What a walk over every number collects for a proposal. */
struct pick {
    struct vault *v;
    const struct retention_rules *r;
    const int64_t *ids; /* sorted; NULL: every due number not yet proposed */
    size_t nids;
    struct disposal_item *items; /* one per chosen number, in number-record order */
    size_t n, cap;
    int64_t not_due; /* a chosen number that is not due */
};

static enum mnv_err pick_one(void *ud, const struct retention_subject *s,
                             const struct retention_verdict *v)
{
    struct pick *p = ud;
    if (p->ids && !chosen(p->ids, p->nids, s->number_id))
        return MNV_OK;
    if (v->state != RETENTION_DUE) {
        if (p->ids && !p->not_due)
            p->not_due = s->number_id;
        return MNV_OK;
    }
    if (!p->ids) {
        int64_t busy;
        enum mnv_err err = disposaldb_in_open(p->v, s->number_id, &busy, NULL);
        if (err != MNV_OK || busy)
            return err;
    }
    struct disposal_item *n = alloc_grow(p->items, &p->cap, p->n + 1, sizeof(*n));
    if (!n)
        return MNV_ERR_NOMEM;
    p->items = n;
    disposal_fill_item(p->r, s, v, &p->items[p->n++]);
    return MNV_OK;
}

static int item_cmp(const void *a, const void *b)
{
    return id_cmp(&((const struct disposal_item *)a)->number_id,
                  &((const struct disposal_item *)b)->number_id);
}

/* ---- checking what was proposed against the vault as it is now ---------------------------- */

struct recheck {
    const struct retention_rules *r;
    const struct disposal_item *items; /* sorted by number record */
    size_t n;
    size_t seen;
    int64_t changed; /* the first item whose facts changed, or that is gone */
};

static enum mnv_err recheck_one(void *ud, const struct retention_subject *s,
                                const struct retention_verdict *v)
{
    struct recheck *c = ud;
    struct disposal_item key = {.number_id = s->number_id};
    const struct disposal_item *it = bsearch(&key, c->items, c->n, sizeof(key), item_cmp);
    if (!it)
        return MNV_OK;
    c->seen++;
    unsigned char now[VCRYPTO_HASH_LEN];
    item_digest(c->r, s, v, now);
    if ((v->state != RETENTION_DUE || sodium_memcmp(now, it->digest, sizeof(now)) != 0) &&
        (!c->changed || s->number_id < c->changed))
        c->changed = s->number_id;
    return MNV_OK;
}

enum mnv_err disposal_first_changed(struct vault *v, const struct retention_rules *r,
                                    const struct disposal_item *items, size_t n, int64_t *changed,
                                    struct mnv_diag *diag)
{
    struct recheck c = {r, items, n, 0, 0};
    enum mnv_err err = retention_each(v, r, 0, clock_today(), recheck_one, &c, diag);
    if (err == MNV_OK && c.seen != n && !c.changed) {
        /* A number deleted or no longer registered: name the first such item. */
        for (size_t i = 0; i < n && !c.changed; i++) {
            struct recheck one = {r, &items[i], 1, 0, 0};
            err =
                retention_each(v, r, items[i].employee_id, clock_today(), recheck_one, &one, diag);
            if (err == MNV_OK && one.seen == 0)
                c.changed = items[i].number_id;
        }
    }
    *changed = c.changed;
    return err;
}

/* ---- writing ------------------------------------------------------------------------------ */

/* A note or a reason: words without a My Number, at most DISPOSAL_TEXT_MAX bytes. */
static enum mnv_err check_text(const char *text, int required)
{
    size_t n = strlen(text);
    while (n && text[n - 1] == ' ')
        n--;
    if (required && n == 0)
        return MNV_ERR_REASON_NEEDED;
    if (numtext_has_number(text, strlen(text), NUMTEXT_ANY_RUN))
        return MNV_ERR_REASON_NUMBER;
    return person_check_text(text, DISPOSAL_TEXT_MAX, required);
}

struct propose_ctx {
    const struct retention_rules *r;
    const int64_t *ids;
    size_t n;
    const char *note;
    int64_t id;
};

static enum mnv_err propose_body(struct session *s, struct change *c, void *ud,
                                 struct mnv_diag *diag)
{
    struct propose_ctx *x = ud;
    struct vault *v = session_vault(s);
    struct pick p = {v, x->r, x->ids, x->n, NULL, 0, 0, 0};
    enum mnv_err err = retention_each(v, x->r, 0, clock_today(), pick_one, &p, diag);
    if (err == MNV_OK && p.not_due) {
        if (diag)
            diag->line = (long)p.not_due;
        err = MNV_ERR_NOT_DUE;
    }
    if (err == MNV_OK && p.n == 0)
        err = MNV_ERR_NOTHING_DUE;
    else if (err == MNV_OK && x->ids && p.n != x->n)
        err = MNV_ERR_NOT_DUE; /* a chosen record is not a registered number any more */
    struct disposal_proposal prop;
    memset(&prop, 0, sizeof(prop));
    snprintf(prop.proposed_by, sizeof(prop.proposed_by), "%s", session_user(s));
    prop.proposed_at = (int64_t)clock_now();
    snprintf(prop.note, sizeof(prop.note), "%s", x->note);
    if (err == MNV_OK)
        err = disposaldb_insert(v, &prop, p.items, p.n, diag);
    free(p.items);
    if (err == MNV_OK) {
        x->id = prop.id;
        change_subject(c, "proposal:%lld", (long long)prop.id);
        change_detail(c, "numbers=%ld employees=%ld dependants=%ld", prop.items, prop.employees,
                      prop.dependants);
    }
    return err;
}

enum mnv_err disposal_propose(struct session *s, const struct retention_rules *r,
                              const int64_t *number_ids, size_t n, const char *note, int64_t *id,
                              struct mnv_diag *diag)
{
    *id = 0;
    enum mnv_err err = access_check(s, ACT_DISPOSAL_PROPOSE, "", diag);
    if (err == MNV_OK)
        err = check_text(note, 0);
    int64_t *ids = NULL;
    if (err == MNV_OK && n) {
        ids = malloc(n * sizeof(*ids));
        if (!ids)
            err = MNV_ERR_NOMEM;
        else
            memcpy(ids, number_ids, n * sizeof(*ids));
    }
    if (ids) {
        qsort(ids, n, sizeof(*ids), id_cmp);
        size_t u = 0;
        for (size_t i = 0; i < n; i++)
            if (u == 0 || ids[u - 1] != ids[i])
                ids[u++] = ids[i];
        n = u;
    }
    struct propose_ctx x = {r, ids, n, note, 0};
    if (err == MNV_OK)
        err = change_run(s, "disposal.propose", "", propose_body, &x, diag);
    free(ids);
    if (err == MNV_OK)
        *id = x.id;
    return err;
}

/* Inside the transaction: proposal id, waiting for a decision by someone else. */
static enum mnv_err decidable(struct session *s, struct change *c, int64_t id,
                              struct disposal_proposal *p, struct mnv_diag *diag)
{
    enum mnv_err err = disposaldb_get(session_vault(s), id, p, diag);
    if (err == MNV_OK && p->state != DISPOSAL_PROPOSED)
        err = MNV_ERR_PROPOSAL_STATE;
    if (err == MNV_OK && strcmp(p->proposed_by, session_user(s)) == 0) {
        c->refusal = "own_proposal";
        err = MNV_ERR_OWN_PROPOSAL;
    }
    return err;
}

/*
 * Inside the transaction: the items of p checked against the vault. When one changed, the
 * change becomes "disposal.stale" (marking the proposal, naming the record) and *stale is
 * set: the caller commits that mark and reports MNV_ERR_PROPOSAL_STALE.
 */
static enum mnv_err still_fresh(struct session *s, struct change *c,
                                const struct retention_rules *r, const struct disposal_proposal *p,
                                int *stale, struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    struct disposal_item *items = NULL;
    size_t n = 0;
    int64_t changed = 0;
    enum mnv_err err = disposaldb_items(v, p->id, &items, &n, diag);
    if (err == MNV_OK)
        err = disposal_first_changed(v, r, items, n, &changed, diag);
    free(items);
    if (err != MNV_OK || !changed)
        return err;
    char detail[64];
    snprintf(detail, sizeof(detail), "number_record=%lld", (long long)changed);
    err = disposaldb_decide(v, p->id, p->state, DISPOSAL_STALE, session_user(s),
                            (int64_t)clock_now(), detail, diag);
    c->action = "disposal.stale";
    change_detail(c, "%s", detail);
    *stale = 1;
    return err;
}

struct decide_ctx {
    const struct retention_rules *r;
    int64_t id;
    const char *reason, *totp;
    struct login_info *info;
    int stale;
};

static enum mnv_err approve_body(struct session *s, struct change *c, void *ud,
                                 struct mnv_diag *diag)
{
    struct decide_ctx *x = ud;
    struct disposal_proposal p;
    enum mnv_err err = decidable(s, c, x->id, &p, diag);
    if (err == MNV_OK && session_user_rec(s)->has_totp) {
        err = session_confirm_totp(s, x->totp, x->info, diag);
        if (err == MNV_ERR_TOTP_WRONG || err == MNV_ERR_TOTP_REPLAY || err == MNV_ERR_LOCKED)
            c->refusal = "totp";
    }
    if (err == MNV_OK)
        err = still_fresh(s, c, x->r, &p, &x->stale, diag);
    if (err != MNV_OK || x->stale)
        return err;
    err = disposaldb_decide(session_vault(s), x->id, DISPOSAL_PROPOSED, DISPOSAL_APPROVED,
                            session_user(s), (int64_t)clock_now(), x->reason, diag);
    change_detail(c, "numbers=%ld reason=%s", p.items, x->reason);
    return err;
}

enum mnv_err disposal_approve(struct session *s, const struct retention_rules *r, int64_t id,
                              const char *reason, const char *totp, struct login_info *info,
                              struct mnv_diag *diag)
{
    char subject[48];
    subject_of(subject, sizeof(subject), id);
    enum mnv_err err = access_check(s, ACT_DISPOSAL_APPROVE, subject, diag);
    if (err == MNV_OK)
        err = check_text(reason, 1);
    if (err == MNV_OK && session_user_rec(s)->has_totp && (!totp || !totp[0]))
        err = MNV_ERR_TOTP_NEEDED;
    struct decide_ctx x = {r, id, reason, totp ? totp : "", info, 0};
    if (err == MNV_OK)
        err = change_run(s, "disposal.approve", subject, approve_body, &x, diag);
    return err == MNV_OK && x.stale ? MNV_ERR_PROPOSAL_STALE : err;
}

static enum mnv_err reject_body(struct session *s, struct change *c, void *ud,
                                struct mnv_diag *diag)
{
    struct decide_ctx *x = ud;
    struct disposal_proposal p;
    enum mnv_err err = decidable(s, c, x->id, &p, diag);
    if (err == MNV_OK)
        err = disposaldb_decide(session_vault(s), x->id, DISPOSAL_PROPOSED, DISPOSAL_REJECTED,
                                session_user(s), (int64_t)clock_now(), x->reason, diag);
    change_detail(c, "reason=%s", x->reason);
    return err;
}

enum mnv_err disposal_reject(struct session *s, int64_t id, const char *reason,
                             struct mnv_diag *diag)
{
    char subject[48];
    subject_of(subject, sizeof(subject), id);
    enum mnv_err err = access_check(s, ACT_DISPOSAL_APPROVE, subject, diag);
    if (err == MNV_OK)
        err = check_text(reason, 1);
    struct decide_ctx x = {NULL, id, reason, NULL, NULL, 0};
    if (err == MNV_OK)
        err = change_run(s, "disposal.reject", subject, reject_body, &x, diag);
    return err;
}

static enum mnv_err withdraw_body(struct session *s, struct change *c, void *ud,
                                  struct mnv_diag *diag)
{
    const int64_t *id = ud;
    struct disposal_proposal p;
    struct vault *v = session_vault(s);
    enum mnv_err err = disposaldb_get(v, *id, &p, diag);
    if (err == MNV_OK && p.state != DISPOSAL_PROPOSED)
        err = MNV_ERR_PROPOSAL_STATE;
    if (err == MNV_OK && strcmp(p.proposed_by, session_user(s)) != 0) {
        c->refusal = "not_proposer";
        err = MNV_ERR_DENIED;
    }
    if (err == MNV_OK)
        err = disposaldb_decide(v, *id, DISPOSAL_PROPOSED, DISPOSAL_WITHDRAWN, session_user(s),
                                (int64_t)clock_now(), "", diag);
    return err;
}

enum mnv_err disposal_withdraw(struct session *s, int64_t id, struct mnv_diag *diag)
{
    char subject[48];
    subject_of(subject, sizeof(subject), id);
    enum mnv_err err = access_check(s, ACT_DISPOSAL_PROPOSE, subject, diag);
    if (err == MNV_OK)
        err = change_run(s, "disposal.withdraw", subject, withdraw_body, &id, diag);
    return err;
}
