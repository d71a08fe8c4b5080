/*
 * retention.c: retention over the vault: the survey of every number (the walk itself is
 * retention_walk.c), the explanation of one household, and legal holds.
 */
#include "mnvault/retention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "mnvault/access.h"
#include "mnvault/alloc.h"
#include "mnvault/audit.h"
#include "mnvault/caldate.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/numberdb.h"
#include "mnvault/numtext.h"
#include "mnvault/people.h"
#include "mnvault/session.h"
#include "mnvault/svcread.h"
#include "mnvault/syslogmsg.h"

/* ---- survey and counts ------------------------------------------------------------------ */

static void count(struct retention_counts *c, const struct retention_subject *s,
                  const struct retention_verdict *v)
{
    switch (v->state) {
    case RETENTION_NEEDED:
        c->needed++;
        break;
    case RETENTION_RUNNING: {
        c->running++;
        int ty, tm, td, y, m, d;
        caldate_ymd(c->today, &ty, &tm, &td);
        caldate_ymd(v->keep_until + 1, &y, &m, &d);
        long months = (long)(y * 12 + m) - (ty * 12 + tm);
        if (months >= 0 && months < 6)
            c->next_months[months]++;
        break;
    }
    case RETENTION_DUE:
        c->due++;
        if (s->person.kind == PERSON_EMPLOYEE)
            c->employees_due++;
        else
            c->dependants_due++;
        if (c->oldest_due == CALDATE_NONE || v->keep_until + 1 < c->oldest_due)
            c->oldest_due = v->keep_until + 1;
        break;
    case RETENTION_HELD:
        c->held++;
        break;
    case RETENTION_NO_RULE:
        c->no_rule++;
        break;
    }
}

struct survey_ctx {
    struct retention_survey *sv;
    size_t cap;
};

static enum mnv_err add_item(void *ud, const struct retention_subject *s,
                             const struct retention_verdict *v)
{
    struct survey_ctx *c = ud;
    struct retention_survey *sv = c->sv;
    struct retention_item *items = alloc_grow(sv->items, &c->cap, sv->count + 1, sizeof(*items));
    if (!items)
        return MNV_ERR_NOMEM;
    sv->items = items;
    count(&sv->counts, s, v);
    struct retention_item *it = &sv->items[sv->count++];
    it->subject = *s;
    it->state = v->state;
    it->keep_until = v->keep_until;
    it->binding_doc = v->binding >= 0 ? v->clocks[v->binding].doc : -1;
    it->hold_review = v->hold_review;
    return MNV_OK;
}

static enum mnv_err count_only(void *ud, const struct retention_subject *s,
                               const struct retention_verdict *v)
{
    count(ud, s, v);
    return MNV_OK;
}

static void counts_init(struct retention_counts *c, int32_t today)
{
    memset(c, 0, sizeof(*c));
    c->today = today;
    c->oldest_due = CALDATE_NONE;
}

struct walk_ctx {
    const struct retention_rules *r;
    int32_t today;
    retention_verdict_fn fn;
    void *ud;
};

static enum mnv_err walk_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct walk_ctx *w = ud;
    return retention_each(v, w->r, 0, w->today, w->fn, w->ud, diag);
}

/* Every number's verdict to fn, as a role allowed action. */
static enum mnv_err walk(struct session *s, enum access_action action,
                         const struct retention_rules *r, int32_t today, retention_verdict_fn fn,
                         void *ud, struct mnv_diag *diag)
{
    struct walk_ctx w = {r, today, fn, ud};
    return svcread_run(s, action, walk_body, &w, diag);
}

enum mnv_err retention_survey(struct session *s, const struct retention_rules *r,
                              struct retention_survey *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    counts_init(&out->counts, clock_today());
    struct survey_ctx c = {out, 0};
    enum mnv_err err = walk(s, ACT_PERSON_VIEW, r, out->counts.today, add_item, &c, diag);
    if (err != MNV_OK)
        retention_survey_free(out);
    return err;
}

void retention_survey_free(struct retention_survey *sv)
{
    if (!sv)
        return;
    free(sv->items);
    sv->items = NULL;
    sv->count = 0;
}

enum mnv_err retention_counts(struct session *s, const struct retention_rules *r,
                              struct retention_counts *out, struct mnv_diag *diag)
{
    counts_init(out, clock_today());
    return walk(s, ACT_DASHBOARD, r, out->today, count_only, out, diag);
}

enum mnv_err retention_due_report(struct session *s, const struct retention_rules *r,
                                  struct retention_counts *out, struct mnv_diag *diag)
{
    enum mnv_err err = retention_counts(s, r, out, diag);
    if (err != MNV_OK)
        return err;
    char detail[160], oldest[CALDATE_ISO_SIZE];
    snprintf(detail, sizeof(detail), "due=%ld held=%ld no_rule=%ld oldest=%s", out->due, out->held,
             out->no_rule,
             out->oldest_due == CALDATE_NONE ? "-" : caldate_format(out->oldest_due, oldest));
    err = audit_record(s, "disposal.due", "", "ok", detail, diag);
    /* Counts only, for whoever watches the logs; never a name. */
    if (err == MNV_OK && session_options(s)->vault.syslog)
        syslogmsg_send(out->due || out->no_rule ? LOG_WARNING : LOG_INFO, "disposal %s", detail);
    return err;
}

/* ---- one household ------------------------------------------------------------------------ */

struct explain_ctx {
    struct retention_household *h;
    struct dependent *deps;
    size_t ndeps;
    struct retention_hold *holds;
    size_t nholds;
    size_t cap; /* room of h->people */
};

static enum mnv_err add_person(void *ud, const struct retention_subject *s,
                               const struct retention_verdict *v)
{
    struct explain_ctx *c = ud;
    struct retention_household *h = c->h;
    struct retention_person *np = alloc_grow(h->people, &c->cap, h->count + 1, sizeof(*np));
    if (!np)
        return MNV_ERR_NOMEM;
    h->people = np;
    struct retention_person *p = &np[h->count++];
    memset(p, 0, sizeof(*p));
    p->subject = *s;
    p->verdict = *v;
    if (s->person.kind == PERSON_EMPLOYEE)
        snprintf(p->name, sizeof(p->name), "%s", h->employee.name);
    for (size_t i = 0; s->person.kind == PERSON_DEPENDENT && i < c->ndeps; i++) {
        if (c->deps[i].id == s->person.id) {
            snprintf(p->name, sizeof(p->name), "%s", c->deps[i].name);
            p->relation = c->deps[i].relation;
        }
    }
    for (size_t i = 0; i < c->nholds && !p->has_hold; i++) {
        if (c->holds[i].number_id == s->number_id) {
            p->has_hold = 1;
            p->hold = c->holds[i];
        }
    }
    return MNV_OK;
}

struct explain_args {
    const struct retention_rules *r;
    const char *code;
    int64_t employee_id;
    struct explain_ctx c;
};

static enum mnv_err explain_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct explain_args *a = ud;
    struct explain_ctx *c = &a->c;
    enum mnv_err err = a->code ? persondb_employee_find(v, a->code, &a->employee_id, diag) : MNV_OK;
    if (err == MNV_OK)
        err = persondb_employee_get(v, a->employee_id, &c->h->employee, diag);
    if (err == MNV_OK)
        err = persondb_dependents_of(v, a->employee_id, &c->deps, &c->ndeps, diag);
    if (err == MNV_OK)
        err = retentiondb_holds(v, a->employee_id, 1, &c->holds, &c->nholds, diag);
    if (err == MNV_OK)
        err = retention_each(v, a->r, a->employee_id, c->h->today, add_person, c, diag);
    return err;
}

static enum mnv_err explain(struct session *s, const struct retention_rules *r, const char *code,
                            int64_t employee_id, struct retention_household *out,
                            struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    out->today = clock_today();
    struct explain_args a = {r, code, employee_id, {out, NULL, 0, NULL, 0, 0}};
    enum mnv_err err = svcread_run(s, ACT_PERSON_VIEW, explain_body, &a, diag);
    free(a.c.deps);
    free(a.c.holds);
    if (err != MNV_OK)
        retention_household_free(out);
    return err;
}

enum mnv_err retention_explain(struct session *s, const struct retention_rules *r,
                               const char *employee_code, struct retention_household *out,
                               struct mnv_diag *diag)
{
    return explain(s, r, employee_code, 0, out, diag);
}

enum mnv_err retention_explain_id(struct session *s, const struct retention_rules *r,
                                  int64_t employee_id, struct retention_household *out,
                                  struct mnv_diag *diag)
{
    return explain(s, r, NULL, employee_id, out, diag);
}

void retention_household_free(struct retention_household *h)
{
    if (!h)
        return;
    free(h->people);
    h->people = NULL;
    h->count = 0;
}

/* ---- finding a person -------------------------------------------------------------------- */

/* name without spaces (ASCII and U+3000) into out. */
enum mnv_err retention_person(struct session *s, const char *employee_code,
                              const char *dependant_name, struct person_ref *ref,
                              struct mnv_diag *diag)
{
    return people_find(s, employee_code, dependant_name, ref, diag);
}

/* ---- legal holds ------------------------------------------------------------------------ */

static enum mnv_err check_hold(const char *reason, const char *review_on, int32_t today)
{
    size_t n = strlen(reason);
    while (n && reason[n - 1] == ' ')
        n--;
    if (n == 0)
        return MNV_ERR_REASON_NEEDED;
    if (numtext_has_number(reason, strlen(reason), NUMTEXT_ANY_RUN))
        return MNV_ERR_REASON_NUMBER;
    enum mnv_err err = person_check_text(reason, RETENTION_REASON_MAX, 1);
    if (err != MNV_OK)
        return err;
    int32_t review;
    if (caldate_parse(review_on, &review) != 0)
        return MNV_ERR_FIELD_DATE;
    if (review <= today || review > today + RETENTION_HOLD_MAX_DAYS)
        return MNV_ERR_HOLD_REVIEW;
    return MNV_OK;
}

/* The household's employee of ref (the employee, or the dependant's). */
static enum mnv_err household_of(struct vault *v, const struct person_ref *ref, int64_t *id,
                                 struct mnv_diag *diag)
{
    if (ref->kind == PERSON_EMPLOYEE) {
        *id = ref->id;
        return MNV_OK;
    }
    struct dependent d;
    enum mnv_err err = persondb_dependent_get(v, ref->id, &d, diag);
    *id = err == MNV_OK ? d.employee_id : 0;
    return err;
}

struct find_ctx {
    int64_t number_id;
    enum retention_state state;
    int found;
};

static enum mnv_err find_state(void *ud, const struct retention_subject *s,
                               const struct retention_verdict *v)
{
    struct find_ctx *f = ud;
    if (s->number_id == f->number_id) {
        f->found = 1;
        f->state = v->state;
    }
    return MNV_OK;
}

/* Inside the write transaction: ref's registered number, and whether it may be held. */
static enum mnv_err holdable(struct vault *v, const struct retention_rules *r,
                             const struct person_ref *ref, int32_t today, int64_t *number_id,
                             struct mnv_diag *diag)
{
    struct number_info info;
    int64_t household;
    enum mnv_err err = numberdb_get(v, ref, &info, diag);
    if (err == MNV_OK && info.status != NUMBER_REGISTERED)
        err = MNV_ERR_NUMBER_NONE;
    if (err == MNV_OK)
        err = household_of(v, ref, &household, diag);
    struct find_ctx f = {info.id, RETENTION_NEEDED, 0};
    if (err == MNV_OK)
        err = retention_each(v, r, household, today, find_state, &f, diag);
    if (err == MNV_OK && (!f.found || (f.state != RETENTION_DUE && f.state != RETENTION_HELD)))
        err = MNV_ERR_NOT_DUE;
    *number_id = info.id;
    return err;
}

struct hold_ctx {
    const struct retention_rules *r;
    const struct person_ref *ref;
    const char *reason, *review_on;
    int32_t today;
};

static enum mnv_err hold_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    const struct hold_ctx *x = ud;
    struct vault *v = session_vault(s);
    struct retention_hold h;
    memset(&h, 0, sizeof(h));
    enum mnv_err err = holdable(v, x->r, x->ref, x->today, &h.number_id, diag);
    snprintf(h.reason, sizeof(h.reason), "%s", x->reason);
    snprintf(h.review_on, sizeof(h.review_on), "%s", x->review_on);
    snprintf(h.placed_by, sizeof(h.placed_by), "%s", session_user(s));
    h.placed_at = (int64_t)clock_now();
    if (err == MNV_OK)
        err = retentiondb_hold_insert(v, &h, diag);
    change_detail(c, "review=%s reason=%s", x->review_on, x->reason);
    return err;
}

enum mnv_err retention_hold(struct session *s, const struct retention_rules *r,
                            const struct person_ref *ref, const char *reason, const char *review_on,
                            struct mnv_diag *diag)
{
    char subject[48];
    people_subject(subject, sizeof(subject), ref);
    enum mnv_err err = access_check(s, ACT_RETENTION_HOLD, subject, diag);
    int32_t today = clock_today();
    if (err == MNV_OK)
        err = check_hold(reason, review_on, today);
    struct hold_ctx x = {r, ref, reason, review_on, today};
    if (err == MNV_OK)
        err = change_run(s, "retention.hold", subject, hold_body, &x, diag);
    return err;
}

static enum mnv_err release_body(struct session *s, struct change *c, void *ud,
                                 struct mnv_diag *diag)
{
    (void)c;
    const struct person_ref *ref = ud;
    struct vault *v = session_vault(s);
    struct number_info info;
    enum mnv_err err = numberdb_get(v, ref, &info, diag);
    if (err == MNV_OK && info.id == 0)
        err = MNV_ERR_NUMBER_NONE;
    if (err == MNV_OK)
        err = retentiondb_hold_release(v, info.id, (int64_t)clock_now(), session_user(s),
                                       "released", diag);
    return err;
}

enum mnv_err retention_release(struct session *s, const struct person_ref *ref,
                               struct mnv_diag *diag)
{
    char subject[48];
    people_subject(subject, sizeof(subject), ref);
    enum mnv_err err = access_check(s, ACT_RETENTION_HOLD, subject, diag);
    if (err == MNV_OK)
        err = change_run(s, "retention.release", subject, release_body, (void *)ref, diag);
    return err;
}

struct holds_args {
    int current;
    struct retention_hold **out;
    size_t *count;
};

static enum mnv_err holds_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct holds_args *a = ud;
    return retentiondb_holds(v, 0, a->current, a->out, a->count, diag);
}

enum mnv_err retention_holds_list(struct session *s, int current, struct retention_hold **out,
                                  size_t *count, struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    struct holds_args a = {current, out, count};
    return svcread_run(s, ACT_PERSON_VIEW, holds_body, &a, diag);
}
