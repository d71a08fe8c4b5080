#include "mnvault/collectwiz.h"

#include <stdio.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/clock.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/userdb.h"
#include "mnvault/wareki.h"

/* ---- setting up ------------------------------------------------------------------------- */

static void today(char out[11])
{
    char buf[32];
    clock_format_local(buf, sizeof(buf), clock_now());
    snprintf(out, 11, "%.10s", buf);
}

enum mnv_err collectwiz_init(struct collectwiz *w, struct session *s, const struct person_ref *ref,
                             struct mnv_diag *diag)
{
    memset(w, 0, sizeof(*w));
    enum mnv_err err = session_ready(s);
    if (err == MNV_OK && !access_allowed(session_role(s), ACT_NUMBER_STORE))
        err = MNV_ERR_DENIED;
    if (err == MNV_OK)
        err = collect_rules(&w->rules, diag);
    if (err == MNV_OK)
        err = collect_person_facts(s, ref, &w->facts, diag);
    if (err == MNV_OK && !(w->num = secmem_alloc(sizeof(*w->num))))
        err = MNV_ERR_NOMEM;
    if (err != MNV_OK) {
        collectwiz_release(w);
        return err;
    }
    w->s = s;
    w->catalog = session_purposes(s);
    w->req.person = *ref;
    for (size_t i = 0; i < w->rules->nroutes && w->nroutes < COLLECTWIZ_LIST_MAX; i++)
        if (idrules_route_applies(&w->rules->routes[i], ref->kind, w->facts.relation))
            w->routes[w->nroutes++] = (int)i;
    /* The verifier defaults to the user, cut on a character boundary to the field's size. */
    const struct user_rec *u = session_user_rec(s);
    const char *name = u->display_name[0] ? u->display_name : u->name;
    size_t n = strnlen(name, sizeof(w->req.verified_by) - 1);
    while (n > 0 && name[n] && ((unsigned char)name[n] & 0xC0) == 0x80)
        n--;
    memcpy(w->req.verified_by, name, n);
    w->req.verified_by[n] = '\0';
    today(w->req.verified_on);
    w->req.channel = ID_CHANNEL_IN_PERSON;
    return MNV_OK;
}

void collectwiz_release(struct collectwiz *w)
{
    if (w->num) {
        mynumber_clear(w->num);
        secmem_free(w->num);
    }
    secmem_wipe(w, sizeof(*w));
}

void collectwiz_wipe_number(struct collectwiz *w)
{
    if (w->num)
        mynumber_clear(w->num);
    w->have_num = 0;
    w->step = COLLECTWIZ_NUMBER;
}

/* ---- step 1: the number ------------------------------------------------------------------ */

enum mnv_err collectwiz_set_number(struct collectwiz *w, const char *first, size_t len1,
                                   const char *again, size_t len2, struct mnv_diag *diag)
{
    struct mynumber *second = secmem_alloc(sizeof(*second));
    if (!second)
        return MNV_ERR_NOMEM;
    enum mnv_err err = mynumber_parse(w->num, MYNUMBER_INDIVIDUAL, first, len1, diag);
    if (err == MNV_OK &&
        (mynumber_parse(second, MYNUMBER_INDIVIDUAL, again, len2, NULL) != MNV_OK ||
         !secmem_equal(second->digits, w->num->digits, sizeof(second->digits))))
        err = MNV_ERR_NUMBER_MISMATCH;
    mynumber_clear(second);
    secmem_free(second);
    if (err == MNV_OK)
        err = collect_check_number(w->s, &w->req.person, w->num, NULL, diag);
    if (err != MNV_OK) {
        collectwiz_wipe_number(w);
        return err;
    }
    w->have_num = 1;
    w->step = COLLECTWIZ_METHOD;
    return MNV_OK;
}

/* ---- step 2: how it was collected ------------------------------------------------------- */

const struct id_route_def *collectwiz_route(const struct collectwiz *w)
{
    return w->nroutes ? &w->rules->routes[w->routes[w->route_i]] : NULL;
}

int collectwiz_known_allowed(const struct collectwiz *w)
{
    const struct id_route_def *r = collectwiz_route(w);
    return r && idrules_known_allowed(w->rules, r, w->req.channel);
}

static void drop_known_if_not_allowed(struct collectwiz *w)
{
    if (!collectwiz_known_allowed(w))
        w->req.known_in_person = 0;
}

void collectwiz_next_route(struct collectwiz *w)
{
    w->route_i = w->nroutes ? (w->route_i + 1) % w->nroutes : 0;
    drop_known_if_not_allowed(w);
}

void collectwiz_next_channel(struct collectwiz *w)
{
    w->req.channel = (enum id_channel)((w->req.channel + 1) % ID_CHANNEL__COUNT);
    drop_known_if_not_allowed(w);
}

void collectwiz_toggle_known(struct collectwiz *w)
{
    if (collectwiz_known_allowed(w))
        w->req.known_in_person = !w->req.known_in_person;
}

/* The documents offered for the current check: those the rules take through the channel on
 * the day of the verification. */
static void offer_docs(struct collectwiz *w)
{
    enum id_check c = w->checks[w->check_i];
    w->ndocs = 0;
    for (size_t i = 0; i < w->rules->ndocs && w->ndocs < COLLECTWIZ_LIST_MAX; i++)
        if (idrules_doc_offered(&w->rules->docs[i], c, w->req.channel, w->req.verified_on))
            w->docs[w->ndocs++] = (int)i;
}

/* The purposes the route allows, none chosen. */
static void offer_purposes(struct collectwiz *w)
{
    const struct id_route_def *r = collectwiz_route(w);
    w->npurposes = 0;
    for (size_t i = 0; w->catalog && i < w->catalog->count && w->npurposes < COLLECTWIZ_LIST_MAX;
         i++)
        if (!r || idrules_route_allows_purpose(r, w->catalog->items[i].code))
            w->purposes[w->npurposes++] = (int)i;
    memset(w->chosen, 0, sizeof(w->chosen));
}

/* Judge what is known so far; documents and purposes come later. */
static enum mnv_err judge(const struct collectwiz *w, const struct purpose_catalog *cat,
                          struct id_verdict *v, struct mnv_diag *diag)
{
    return collect_judge(w->rules, cat, &w->req, w->facts.relation, w->facts.declarant_verified, v,
                         diag);
}

/* An error that more documents or purposes can still mend (not a refusal of the method). */
static int still_open(enum mnv_err err)
{
    for (int c = 0; c < ID_CHECK__COUNT; c++)
        if (err == idrules_missing_error((enum id_check)c))
            return 1;
    return err == MNV_OK || err == MNV_ERR_PURPOSE_NEEDED;
}

enum mnv_err collectwiz_set_method(struct collectwiz *w, const char *verifier, const char *day,
                                   char iso[11], struct mnv_diag *diag)
{
    const struct id_route_def *r = collectwiz_route(w);
    if (!r)
        return MNV_ERR_ID_ROUTE_PERSON;
    enum mnv_err err = wareki_parse(day, iso);
    if (err != MNV_OK) {
        iso[0] = '\0';
        return err;
    }
    snprintf(w->req.route, sizeof(w->req.route), "%s", r->code);
    snprintf(w->req.verified_by, sizeof(w->req.verified_by), "%s", verifier);
    snprintf(w->req.verified_on, sizeof(w->req.verified_on), "%s", iso);
    w->req.ndocs = 0;
    w->req.npurposes = 0;
    struct id_verdict v;
    err = judge(w, NULL, &v, diag);
    if (!still_open(err))
        return err;
    offer_purposes(w);
    w->nchecks = idrules_plan(r, w->req.known_in_person, w->checks);
    w->check_i = 0;
    w->step = w->nchecks ? COLLECTWIZ_DOCS : COLLECTWIZ_PURPOSES;
    if (w->step == COLLECTWIZ_DOCS)
        offer_docs(w);
    return MNV_OK;
}

/* ---- step 3: documents ------------------------------------------------------------------ */

enum id_check collectwiz_check(const struct collectwiz *w)
{
    return w->nchecks ? w->checks[w->check_i] : ID_CHECK_NUMBER;
}

const struct id_doc_def *collectwiz_doc(const struct collectwiz *w, size_t i)
{
    return i < w->ndocs ? &w->rules->docs[w->docs[i]] : NULL;
}

/* The request's entry for document d under check c, or -1. */
static int doc_entry(const struct collectwiz *w, const struct id_doc_def *d, enum id_check c)
{
    for (size_t i = 0; d && i < w->req.ndocs; i++)
        if (w->req.docs[i].check == c && strcmp(w->req.docs[i].doc, d->code) == 0)
            return (int)i;
    return -1;
}

const struct collect_doc *collectwiz_doc_chosen(const struct collectwiz *w, size_t i)
{
    int at = doc_entry(w, collectwiz_doc(w, i), collectwiz_check(w));
    return at >= 0 ? &w->req.docs[at] : NULL;
}

enum mnv_err collectwiz_toggle_doc(struct collectwiz *w, size_t i)
{
    const struct id_doc_def *d = collectwiz_doc(w, i);
    if (!d)
        return MNV_ERR_RANGE;
    enum id_check c = collectwiz_check(w);
    int at = doc_entry(w, d, c);
    if (at >= 0) {
        memmove(&w->req.docs[at], &w->req.docs[at + 1],
                (w->req.ndocs - (size_t)at - 1) * sizeof(w->req.docs[0]));
        w->req.ndocs--;
        return MNV_OK;
    }
    if (w->req.ndocs >= IDRULES_DOCS_MAX)
        return MNV_ERR_ID_DOC_COUNT;
    struct collect_doc *nd = &w->req.docs[w->req.ndocs++];
    memset(nd, 0, sizeof(*nd));
    snprintf(nd->doc, sizeof(nd->doc), "%s", d->code);
    nd->check = c;
    return MNV_OK;
}

int collectwiz_ref_allowed(const struct collectwiz *w, size_t i)
{
    const struct id_doc_def *d = collectwiz_doc(w, i);
    return d && d->ref_allowed && collectwiz_doc_chosen(w, i) != NULL;
}

enum mnv_err collectwiz_set_doc_ref(struct collectwiz *w, size_t i, const char *ref)
{
    if (!collectwiz_ref_allowed(w, i))
        return MNV_ERR_INVALID;
    struct collect_doc *e = &w->req.docs[doc_entry(w, collectwiz_doc(w, i), collectwiz_check(w))];
    if (strlen(ref) >= sizeof(e->ref))
        return MNV_ERR_ID_REF;
    snprintf(e->ref, sizeof(e->ref), "%s", ref);
    return MNV_OK;
}

static void enter_purposes(struct collectwiz *w)
{
    w->step = COLLECTWIZ_PURPOSES;
}

enum mnv_err collectwiz_docs_done(struct collectwiz *w, struct id_verdict *v, struct mnv_diag *diag)
{
    enum mnv_err err = judge(w, NULL, v, diag);
    if (!still_open(err))
        return err;
    enum id_check c = collectwiz_check(w);
    if (!(v->satisfied & (1u << c)))
        return idrules_missing_error(c);
    /* Skip checks that documents shown earlier already prove (a My Number card). */
    do
        w->check_i++;
    while (w->check_i < w->nchecks && (v->satisfied & (1u << w->checks[w->check_i])));
    if (w->check_i >= w->nchecks) {
        w->check_i = w->nchecks - 1;
        enter_purposes(w);
    } else {
        offer_docs(w);
    }
    return MNV_OK;
}

/* ---- step 4: purposes ------------------------------------------------------------------- */

const struct purpose_def *collectwiz_purpose(const struct collectwiz *w, size_t i)
{
    return i < w->npurposes ? &w->catalog->items[w->purposes[i]] : NULL;
}

void collectwiz_toggle_purpose(struct collectwiz *w, size_t i)
{
    if (i < w->npurposes)
        w->chosen[i] = !w->chosen[i];
}

enum mnv_err collectwiz_set_purposes(struct collectwiz *w, const char *day, char iso[11],
                                     struct mnv_diag *diag)
{
    enum mnv_err err = wareki_parse(day, iso);
    if (err != MNV_OK) {
        iso[0] = '\0';
        return err;
    }
    w->req.npurposes = 0;
    for (size_t i = 0; i < w->npurposes && w->req.npurposes < NUMBER_PURPOSES_MAX; i++) {
        if (!w->chosen[i])
            continue;
        struct collect_purpose *p = &w->req.purposes[w->req.npurposes++];
        snprintf(p->code, sizeof(p->code), "%s", w->catalog->items[w->purposes[i]].code);
        snprintf(p->date, sizeof(p->date), "%s", iso);
    }
    struct id_verdict v;
    err = judge(w, w->catalog, &v, diag);
    if (err == MNV_OK)
        w->step = COLLECTWIZ_SUMMARY;
    return err;
}

/* ---- step 5 and back ------------------------------------------------------------------------ */

enum mnv_err collectwiz_store(struct collectwiz *w, struct collect_result *res,
                              struct mnv_diag *diag)
{
    if (w->step != COLLECTWIZ_SUMMARY || !w->have_num)
        return MNV_ERR_INVALID;
    w->req.number = w->num;
    enum mnv_err err = collect_store(w->s, &w->req, res, diag);
    w->req.number = NULL;
    if (err == MNV_OK || err == MNV_ERR_NUMBER_DUPLICATE || err == MNV_ERR_NUMBER_SAME)
        collectwiz_wipe_number(w);
    return err;
}

void collectwiz_back(struct collectwiz *w)
{
    switch (w->step) {
    case COLLECTWIZ_METHOD:
        collectwiz_wipe_number(w);
        break;
    case COLLECTWIZ_DOCS:
        if (w->check_i > 0) {
            w->check_i--;
            offer_docs(w);
        } else {
            w->step = COLLECTWIZ_METHOD;
        }
        break;
    case COLLECTWIZ_PURPOSES:
        w->step = w->nchecks ? COLLECTWIZ_DOCS : COLLECTWIZ_METHOD;
        if (w->step == COLLECTWIZ_DOCS) {
            w->check_i = w->nchecks - 1;
            offer_docs(w);
        }
        break;
    case COLLECTWIZ_SUMMARY:
        w->step = COLLECTWIZ_PURPOSES;
        break;
    default:
        break;
    }
}

int collectwiz_started(const struct collectwiz *w)
{
    return w->step != COLLECTWIZ_NUMBER || w->have_num;
}
