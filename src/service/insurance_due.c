/*
 * insurance_due.c: the insurance filings an event calls for, their legal deadlines, and
 * whether a file was written for each (insurance.h): the checklist of the flows and the
 * dashboard's count of filings due and overdue.
 *
 * An event is a fact's day (insurance.h): 健保・厚年 資格取得 and 資格喪失, 雇用保険 資格取得 and
 * 離職, a dependant becoming or ceasing to be 被扶養者. It is filed when the filings register
 * (insurancedb.h) holds a row for that form, person and day — the export writes one for every
 * record it writes.
 */
#include "mnvault/insurance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/caldate.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/insurancedb.h"
#include "mnvault/persondb.h"
#include "mnvault/secmem.h"
#include "mnvault/svcread.h"

/* The filings and their deadlines (the law says "within N days" of the event, or "by the
 * 10th of the next month"). */
static const struct insurance_filing filings[] = {
    {"shfd2200700", "shaho.acquired_on", 0, INS_DUE_DAYS, 5,
     N_("Health and pension: acquisition (資格取得届)"),
     N_("within 5 days of the acquisition (健康保険法施行規則24条, 厚生年金保険法施行規則15条)")},
    {"shfd2201700", "shaho.lost_on", 0, INS_DUE_DAYS, 5,
     N_("Health and pension: loss (資格喪失届)"),
     N_("within 5 days of the loss (健康保険法施行規則29条, 厚生年金保険法施行規則22条)")},
    {"koyo_shutoku", "koyo.acquired_on", 0, INS_DUE_NEXT_MONTH_10, 0,
     N_("Employment insurance: acquisition (資格取得届)"),
     N_("by the 10th of the month after the acquisition (雇用保険法施行規則6条)")},
    {"koyo_soshitsu", "koyo.left_on", 0, INS_DUE_DAYS, 10,
     N_("Employment insurance: loss (資格喪失届)"),
     N_("within 10 days from the day after leaving (雇用保険法施行規則7条)")},
    {"shfd2202700", "fuyo.since", 1, INS_DUE_DAYS, 5,
     N_("Dependant joins (被扶養者（異動）届 該当)"),
     N_("within 5 days of becoming a dependant (健康保険法施行規則38条)")},
    {"shfd2202700", "fuyo.until", 1, INS_DUE_DAYS, 5,
     N_("Dependant leaves (被扶養者（異動）届 非該当)"),
     N_("within 5 days of ceasing to be a dependant (健康保険法施行規則38条)")},
};

const struct insurance_filing *insurance_filing_at(size_t i)
{
    return i < MNV_ARRAY_LEN(filings) ? &filings[i] : NULL;
}

int32_t insurance_deadline(const struct insurance_filing *f, int32_t event)
{
    if (f->rule == INS_DUE_DAYS)
        return event + f->days;
    int y, m, d;
    caldate_ymd(event, &y, &m, &d);
    return m == 12 ? caldate_from_ymd(y + 1, 1, 10) : caldate_from_ymd(y, m + 1, 10);
}

struct due_ctx {
    struct vault *v;
    int64_t employee_id;
    int all;
    int32_t today;
    struct filing_row *filed;
    size_t nfiled;
    struct insurance_due *items;
    size_t n, cap;
};

static int was_filed(const struct due_ctx *c, const char *form, int64_t emp, int64_t dep,
                     const char *day)
{
    for (size_t i = 0; i < c->nfiled; i++) {
        const struct filing_row *r = &c->filed[i];
        if (!strcmp(r->form, form) && r->employee_id == emp && r->dependent_id == dep &&
            !strcmp(r->event_on, day) && strcmp(r->custody_state, "failed") != 0)
            return 1;
    }
    return 0;
}

static enum mnv_err add(struct due_ctx *c, const struct insurance_filing *f, int64_t emp,
                        int64_t dep, const char *day)
{
    int32_t event;
    if (caldate_parse(day, &event) != 0)
        return MNV_OK;
    int32_t deadline = insurance_deadline(f, event);
    int filed = was_filed(c, f->form, emp, dep, day);
    /* Events long settled are history, not work: a year past the deadline they drop out of
     * the list of work (they stay in the list that includes the filed ones). */
    if (!c->all && (filed || deadline + 365 < c->today))
        return MNV_OK;
    struct insurance_due *p = alloc_grow(c->items, &c->cap, c->n + 1, sizeof(*p));
    if (!p)
        return MNV_ERR_NOMEM;
    c->items = p;
    p = &c->items[c->n++];
    memset(p, 0, sizeof(*p));
    p->filing = f;
    p->employee_id = emp;
    p->dependent_id = dep;
    snprintf(p->event_on, sizeof(p->event_on), "%s", day);
    caldate_format(deadline, p->deadline);
    p->filed = filed;
    p->overdue = !filed && deadline < c->today;
    return MNV_OK;
}

static enum mnv_err each_row(void *ud, const struct person_ref *ref, int64_t employee_id,
                             const char *text, size_t len)
{
    struct due_ctx *c = ud;
    if (c->employee_id && employee_id != c->employee_id)
        return MNV_OK;
    struct insurance_facts f;
    enum mnv_err err = insurance_parse_copy(text, len, &f);
    int dep = ref->kind == PERSON_DEPENDENT;
    for (size_t i = 0; err == MNV_OK && i < MNV_ARRAY_LEN(filings); i++) {
        const char *day = insurance_value(&f, filings[i].key);
        if (filings[i].dependant == dep && day[0])
            err = add(c, &filings[i], employee_id, dep ? ref->id : 0, day);
    }
    insurance_facts_free(&f);
    return err;
}

static int by_deadline(const void *a, const void *b)
{
    const struct insurance_due *x = a, *y = b;
    int d = strcmp(x->deadline, y->deadline);
    return d ? d : (x->employee_id > y->employee_id) - (x->employee_id < y->employee_id);
}

/* Names for the list (employee code and name, the dependant's name). */
static enum mnv_err name_items(struct due_ctx *c, struct mnv_diag *diag)
{
    for (size_t i = 0; i < c->n; i++) {
        struct insurance_due *d = &c->items[i];
        struct employee e;
        enum mnv_err err = persondb_employee_get(c->v, d->employee_id, &e, diag);
        if (err != MNV_OK)
            return err;
        snprintf(d->code, sizeof(d->code), "%s", e.code);
        snprintf(d->name, sizeof(d->name), "%s", e.name);
        if (d->dependent_id) {
            struct dependent dp;
            if ((err = persondb_dependent_get(c->v, d->dependent_id, &dp, diag)) != MNV_OK)
                return err;
            snprintf(d->dependant, sizeof(d->dependant), "%s", dp.name);
        }
    }
    return MNV_OK;
}

static enum mnv_err due_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct due_ctx *c = ud;
    c->v = v;
    enum mnv_err err = insurancedb_filings(v, c->employee_id, &c->filed, &c->nfiled, diag);
    if (err == MNV_OK)
        err = insurancedb_each(v, each_row, c, diag);
    if (err == MNV_OK)
        err = name_items(c, diag);
    return err;
}

enum mnv_err insurance_due_list(struct session *s, int64_t employee_id, int include_filed,
                                struct insurance_due **out, size_t *count, struct mnv_diag *diag)
{
    struct due_ctx c = {NULL, employee_id, include_filed, clock_today(), NULL, 0, NULL, 0, 0};
    enum mnv_err err = svcread_run(s, ACT_INSURANCE_VIEW, due_body, &c, diag);
    free(c.filed);
    if (err != MNV_OK) {
        free(c.items);
        return err;
    }
    if (c.n)
        qsort(c.items, c.n, sizeof(*c.items), by_deadline);
    *out = c.items;
    *count = c.n;
    return MNV_OK;
}

enum mnv_err insurance_due_counts(struct session *s, long *due, long *overdue,
                                  struct mnv_diag *diag)
{
    struct insurance_due *items;
    size_t n;
    enum mnv_err err = insurance_due_list(s, 0, 0, &items, &n, diag);
    *due = *overdue = 0;
    for (size_t i = 0; err == MNV_OK && i < n; i++) {
        (*due)++;
        *overdue += items[i].overdue;
    }
    if (err == MNV_OK)
        free(items);
    return err;
}
