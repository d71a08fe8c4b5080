#include "mnvault/collect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/audit.h"
#include "mnvault/caldate.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/numberdb.h"
#include "mnvault/people.h"
#include "mnvault/persondb.h"
#include "mnvault/purpose.h"
#include "mnvault/session.h"

/* The rules, read once per process (they are shipped data, not settings). */
static struct idrules rules;
static int rules_loaded;

enum mnv_err collect_rules(const struct idrules **out, struct mnv_diag *diag)
{
    *out = NULL;
    if (!rules_loaded) {
        enum mnv_err err = idrules_load(NULL, &rules, diag);
        if (err != MNV_OK)
            return err;
        rules_loaded = 1;
    }
    *out = &rules;
    return MNV_OK;
}

static void today(char out[11])
{
    char buf[32];
    clock_format_local(buf, sizeof(buf), clock_now());
    snprintf(out, 11, "%.10s", buf);
}

/* A real date, not after today. */
static enum mnv_err check_day(const char *date, const char *item, struct mnv_diag *diag)
{
    char now[11];
    enum mnv_err err = person_check_date(date, 1);
    if (err == MNV_OK) {
        today(now);
        if (strcmp(date, now) > 0)
            err = MNV_ERR_FIELD_FUTURE;
    }
    if (err != MNV_OK)
        mnv_diag_item(diag, "%s", item);
    return err == MNV_ERR_FIELD_EMPTY ? MNV_ERR_FIELD_DATE : err;
}

static enum mnv_err judge_purposes(const struct purpose_catalog *catalog,
                                   const struct id_route_def *route,
                                   const struct collect_request *req, struct mnv_diag *diag)
{
    if (req->npurposes == 0)
        return MNV_ERR_PURPOSE_NEEDED;
    if (req->npurposes > NUMBER_PURPOSES_MAX)
        return MNV_ERR_RANGE;
    for (size_t i = 0; i < req->npurposes; i++) {
        const struct collect_purpose *p = &req->purposes[i];
        if (catalog && !purpose_find(catalog, p->code)) {
            mnv_diag_item(diag, "%s", p->code);
            return MNV_ERR_PURPOSE_UNKNOWN;
        }
        if (route && !idrules_route_allows_purpose(route, p->code)) {
            mnv_diag_item(diag, "%s", p->code);
            return MNV_ERR_ID_PURPOSE_ROUTE;
        }
        enum mnv_err err = check_day(p->date, "notified_on", diag);
        if (err != MNV_OK)
            return err;
        /* 個人情報保護法 第21条第2項: a number taken from the person in writing needs its
         * purposes stated beforehand; through the employee (第21条第1項) a prompt notice
         * afterwards is lawful. */
        if (route && !route->notice_after && strcmp(p->date, req->verified_on) > 0) {
            mnv_diag_item(diag, "%s", p->code);
            return MNV_ERR_ID_NOTICE_LATE;
        }
    }
    return MNV_OK;
}

enum mnv_err collect_judge(const struct idrules *r, const struct purpose_catalog *catalog,
                           const struct collect_request *req, enum dependent_relation relation,
                           int declarant_verified, struct id_verdict *v, struct mnv_diag *diag)
{
    struct id_presented docs[IDRULES_DOCS_MAX];
    size_t n = req->ndocs > IDRULES_DOCS_MAX ? IDRULES_DOCS_MAX + 1 : req->ndocs;
    for (size_t i = 0; i < n && i < IDRULES_DOCS_MAX; i++)
        docs[i] = (struct id_presented){req->docs[i].doc, req->docs[i].check, req->docs[i].ref};
    struct id_case c = {req->route,
                        req->channel,
                        req->person.kind,
                        relation,
                        req->known_in_person,
                        declarant_verified,
                        req->verified_on,
                        docs,
                        n};
    enum mnv_err err = idrules_evaluate(r, &c, v, diag);
    if (err != MNV_OK)
        return err;
    if (!req->verified_by[0])
        return MNV_ERR_VERIFIER_NEEDED;
    err = person_check_text(req->verified_by, COLLECT_VERIFIER_MAX, 1);
    if (err != MNV_OK) {
        mnv_diag_item(diag, "verified_by");
        return err;
    }
    err = check_day(req->verified_on, "verified_on", diag);
    if (err == MNV_OK)
        err = judge_purposes(catalog, idrules_route(r, req->route), req, diag);
    return err;
}

int collect_notice_days_after(const char *verified_on, const char *notified_on)
{
    int32_t v, n;
    if (caldate_parse(verified_on, &v) != 0 || caldate_parse(notified_on, &n) != 0 || n <= v)
        return 0;
    return (int)(n - v);
}

/* ---- facts about the person ------------------------------------------------------------- */

static enum mnv_err facts_in(struct vault *v, const struct person_ref *ref,
                             struct collect_person *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    enum mnv_err err = MNV_OK;
    out->employee_id = ref->id;
    if (ref->kind == PERSON_DEPENDENT) {
        struct dependent d;
        err = persondb_dependent_get(v, ref->id, &d, diag);
        if (err != MNV_OK)
            return err;
        out->relation = d.relation;
        out->employee_id = d.employee_id;
    } else if (persondb_exists(v, ref) != 1) {
        return MNV_ERR_PERSON_NOT_FOUND;
    }
    struct number_info info;
    struct collect_rec rec;
    err = numberdb_get(v, ref, &info, diag);
    if (err != MNV_OK)
        return err;
    out->status = info.status;
    err = collectdb_current(v, ref, &rec, diag);
    out->verified = err == MNV_OK;
    if (err != MNV_OK && err != MNV_ERR_NOT_FOUND)
        return err;
    struct person_ref emp = {PERSON_EMPLOYEE, out->employee_id};
    err = collectdb_current(v, &emp, &rec, diag);
    out->declarant_verified = err == MNV_OK;
    return err == MNV_ERR_NOT_FOUND ? MNV_OK : err;
}

enum mnv_err collect_person_facts(struct session *s, const struct person_ref *ref,
                                  struct collect_person *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    if (err != MNV_OK)
        return err;
    struct vault *v = session_vault(s);
    int own = !vault_in_tx(v);
    if (own && (err = vault_begin_read(v, diag)) != MNV_OK)
        return err;
    err = facts_in(v, ref, out, diag);
    if (own)
        vault_rollback(v);
    return err;
}

enum mnv_err collect_evaluate(struct session *s, const struct collect_request *req,
                              struct id_verdict *v, struct mnv_diag *diag)
{
    memset(v, 0, sizeof(*v));
    const struct idrules *r;
    struct collect_person f;
    enum mnv_err err = collect_rules(&r, diag);
    if (err == MNV_OK)
        err = collect_person_facts(s, &req->person, &f, diag);
    if (err != MNV_OK)
        return err;
    return collect_judge(r, session_purposes(s), req, f.relation, f.declarant_verified, v, diag);
}

/* ---- the number -------------------------------------------------------------------------- */

/* Is ref's current number without a verification record? Inside a transaction. */
static enum mnv_err unverified(struct vault *v, const struct person_ref *ref, int *yes,
                               struct mnv_diag *diag)
{
    struct collect_rec rec;
    enum mnv_err err = collectdb_current(v, ref, &rec, diag);
    *yes = err == MNV_ERR_NOT_FOUND;
    return err == MNV_ERR_NOT_FOUND ? MNV_OK : err;
}

/* Inside a transaction: MNV_OK with *kind, NUMBER_DUPLICATE or NUMBER_SAME. */
static enum mnv_err number_free_for(struct vault *v, const struct person_ref *ref,
                                    const struct mynumber *n, enum collect_kind *kind,
                                    struct mnv_diag *diag)
{
    int64_t owner;
    struct number_info info;
    enum mnv_err err = numberdb_owner(v, n, &owner, diag);
    if (err == MNV_OK)
        err = numberdb_get(v, ref, &info, diag);
    if (err != MNV_OK)
        return err;
    *kind = info.status == NUMBER_REGISTERED ? COLLECT_REPLACE : COLLECT_NEW;
    if (!owner)
        return MNV_OK;
    if (owner != info.id)
        return MNV_ERR_NUMBER_DUPLICATE;
    if (info.status != NUMBER_REGISTERED)
        return MNV_OK;
    /* The number stored already: collecting it again adds the verification it lacks. */
    int yes;
    err = unverified(v, ref, &yes, diag);
    if (err == MNV_OK && !yes)
        err = MNV_ERR_NUMBER_SAME;
    *kind = COLLECT_VERIFY;
    return err;
}

static void refused_duplicate(struct session *s, const struct person_ref *ref)
{
    char subject[48];
    audit_note(s, "collect.store", people_subject(subject, sizeof(subject), ref), "refused",
               "duplicate");
}

enum mnv_err collect_check_number(struct session *s, const struct person_ref *ref,
                                  const struct mynumber *n, enum collect_kind *kind,
                                  struct mnv_diag *diag)
{
    char subject[48];
    enum collect_kind local;
    if (!kind)
        kind = &local;
    *kind = COLLECT_NEW;
    enum mnv_err err =
        access_check(s, ACT_NUMBER_STORE, people_subject(subject, sizeof(subject), ref), diag);
    if (err != MNV_OK)
        return err;
    if (n->kind != MYNUMBER_INDIVIDUAL || n->len != 12)
        return MNV_ERR_INVALID;
    struct vault *v = session_vault(s);
    if ((err = vault_begin_read(v, diag)) != MNV_OK)
        return err;
    int exists = persondb_exists(v, ref);
    err = exists < 0 ? (enum mnv_err)exists
          : exists   ? number_free_for(v, ref, n, kind, diag)
                     : MNV_ERR_PERSON_NOT_FOUND;
    vault_rollback(v);
    if (err == MNV_ERR_NUMBER_DUPLICATE)
        refused_duplicate(s, ref);
    return err;
}

/* ---- storing ---------------------------------------------------------------------------- */

static enum mnv_err add_purposes(struct vault *v, const struct collect_request *req,
                                 const struct number_info *info, const char *user,
                                 struct mnv_diag *diag)
{
    for (size_t i = 0; i < req->npurposes; i++) {
        int have = 0;
        for (size_t k = 0; k < info->n_purposes; k++)
            have |= strcmp(info->purposes[k].code, req->purposes[i].code) == 0;
        if (have)
            continue;
        enum mnv_err err = numberdb_add_purpose(v, info->id, req->purposes[i].code,
                                                req->purposes[i].date, user, diag);
        if (err != MNV_OK)
            return err;
    }
    return MNV_OK;
}

static void fill_rec(const struct collect_request *req, const struct number_info *info,
                     const char *user, struct collect_rec *rec)
{
    memset(rec, 0, sizeof(*rec));
    rec->person = req->person;
    rec->number_id = info->id;
    rec->number_version = info->version;
    snprintf(rec->route, sizeof(rec->route), "%s", req->route);
    snprintf(rec->channel, sizeof(rec->channel), "%s", idrules_channel_name(req->channel));
    rec->known_in_person = req->known_in_person;
    snprintf(rec->verified_by, sizeof(rec->verified_by), "%s", req->verified_by);
    snprintf(rec->verified_on, sizeof(rec->verified_on), "%s", req->verified_on);
    snprintf(rec->recorded_by, sizeof(rec->recorded_by), "%s", user);
    rec->ndocs = req->ndocs > COLLECT_DOCS_MAX ? COLLECT_DOCS_MAX : req->ndocs;
    for (size_t i = 0; i < rec->ndocs; i++) {
        snprintf(rec->docs[i].doc, sizeof(rec->docs[i].doc), "%s", req->docs[i].doc);
        snprintf(rec->docs[i].check, sizeof(rec->docs[i].check), "%s",
                 idrules_check_name(req->docs[i].check));
        snprintf(rec->docs[i].ref, sizeof(rec->docs[i].ref), "%s", req->docs[i].ref);
    }
}

enum mnv_err collect_write(struct session *s, const struct collect_request *req, int new_person,
                           struct collect_result *res, struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    const char *user = session_user(s);
    struct number_info info;
    enum mnv_err err;
    memset(res, 0, sizeof(*res));
    if (new_person) {
        err = numberdb_store_new(v, &req->person, req->number, user, NULL, NULL, 0, diag);
        if (err == MNV_OK)
            err = numberdb_get(v, &req->person, &info, diag);
    } else {
        struct number_info before;
        err = numberdb_get(v, &req->person, &before, diag);
        res->recollected = err == MNV_OK && before.status == NUMBER_REGISTERED;
        if (err == MNV_OK)
            err = numberdb_store(v, &req->person, req->number, user, &info, diag);
        if (err == MNV_ERR_EXISTS) {
            /* The number stored already: only its missing verification is added. */
            int yes;
            err = unverified(v, &req->person, &yes, diag);
            if (err == MNV_OK && !yes)
                err = MNV_ERR_NUMBER_SAME;
            res->recollected = 0;
            res->verified_only = err == MNV_OK;
            info = before;
        }
    }
    if (err == MNV_OK)
        err = add_purposes(v, req, &info, user, diag);
    if (err != MNV_OK)
        return err;
    struct collect_rec rec;
    fill_rec(req, &info, user, &rec);
    err = collectdb_insert(v, &rec, diag);
    res->version = info.version;
    res->record_id = rec.id;
    return err;
}

static void audit_detail(char *buf, size_t size, const struct collect_request *req,
                         const struct collect_result *res)
{
    size_t o = (size_t)snprintf(buf, size, "version=%u route=%s channel=%s%s docs=", res->version,
                                req->route, idrules_channel_name(req->channel),
                                req->known_in_person ? " known_in_person=1" : "");
    for (size_t i = 0; i < req->ndocs && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s:%s", i ? "," : "",
                              idrules_check_name(req->docs[i].check), req->docs[i].doc);
    if (o < size)
        o += (size_t)snprintf(buf + o, size - o, " purposes=");
    for (size_t i = 0; i < req->npurposes && o < size; i++)
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? "," : "", req->purposes[i].code);
    if (o < size && res->recollected)
        snprintf(buf + o, size - o, " recollected=1");
    else if (o < size && res->verified_only)
        snprintf(buf + o, size - o, " verified_only=1");
}

struct store_ctx {
    const struct collect_request *req;
    struct collect_result *res;
};

static enum mnv_err store_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    struct store_ctx *x = ud;
    enum collect_kind kind;
    enum mnv_err err =
        number_free_for(session_vault(s), &x->req->person, x->req->number, &kind, diag);
    if (err == MNV_OK)
        err = collect_write(s, x->req, 0, x->res, diag);
    if (err == MNV_OK)
        audit_detail(c->detail, sizeof(c->detail), x->req, x->res);
    if (err == MNV_OK && x->res->verified_only)
        c->action = "collect.verify";
    if (err == MNV_ERR_NUMBER_DUPLICATE)
        c->refusal = "duplicate";
    return err;
}

enum mnv_err collect_store(struct session *s, const struct collect_request *req,
                           struct collect_result *res, struct mnv_diag *diag)
{
    struct collect_result local;
    if (!res)
        res = &local;
    memset(res, 0, sizeof(*res));
    char subject[48];
    people_subject(subject, sizeof(subject), &req->person);
    enum mnv_err err = access_check(s, ACT_NUMBER_STORE, subject, diag);
    if (err != MNV_OK)
        return err;
    if (!req->number || req->number->kind != MYNUMBER_INDIVIDUAL || req->number->len != 12)
        return MNV_ERR_INVALID;
    struct id_verdict verdict;
    err = collect_evaluate(s, req, &verdict, diag);
    struct store_ctx x = {req, res};
    if (err == MNV_OK)
        err = change_run(s, "collect.store", subject, store_body, &x, diag);
    return err;
}

/* ---- reading ------------------------------------------------------------------------------ */

enum mnv_err collect_current(struct session *s, const struct person_ref *ref,
                             struct collect_rec *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    return err == MNV_OK ? collectdb_current(session_vault(s), ref, out, diag) : err;
}

enum mnv_err collect_history(struct session *s, const struct person_ref *ref,
                             struct collect_rec **out, size_t *count, struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    return err == MNV_OK ? collectdb_history(session_vault(s), ref, out, count, diag) : err;
}

enum mnv_err collect_notify_purpose(struct session *s, const struct person_ref *ref,
                                    const char *code, const char *date, struct mnv_diag *diag)
{
    const struct idrules *r;
    struct collect_rec rec;
    enum mnv_err err = access_check(s, ACT_PURPOSE_NOTIFY, "", diag);
    if (err == MNV_OK)
        err = check_day(date, "notified_on", diag);
    if (err == MNV_OK)
        err = collect_rules(&r, diag);
    if (err != MNV_OK)
        return err;
    err = collectdb_current(session_vault(s), ref, &rec, diag);
    if (err == MNV_OK) {
        const struct id_route_def *route = idrules_route(r, rec.route);
        if (route && !idrules_route_allows_purpose(route, code)) {
            mnv_diag_item(diag, "%s", code);
            return MNV_ERR_ID_PURPOSE_ROUTE;
        }
    } else if (err != MNV_ERR_NOT_FOUND) {
        return err;
    }
    return purpose_notify(s, ref, code, date, diag);
}
