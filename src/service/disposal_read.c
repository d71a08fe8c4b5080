/*
 * disposal_read.c: reading proposals, their items with the persons' names, whether one is
 * still as proposed, the dashboard's counts, and the numbers due with their names.
 */
#include "mnvault/disposal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/alloc.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"
#include "mnvault/svcread.h"

#include "disposal_priv.h"

/* ---- reading ------------------------------------------------------------------------------ */

struct list_args {
    int open_only;
    struct disposal_proposal **out;
    size_t *count;
};

static enum mnv_err list_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct list_args *a = ud;
    return disposaldb_list(v, a->open_only, a->out, a->count, diag);
}

enum mnv_err disposal_list(struct session *s, int open_only, struct disposal_proposal **out,
                           size_t *count, struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    struct list_args a = {open_only, out, count};
    return svcread_run(s, ACT_PERSON_VIEW, list_body, &a, diag);
}

struct get_args {
    int64_t id;
    struct disposal_proposal *p;
    struct disposal_row **rows;
    size_t *count;
};

/* The names of an item's person and of the household's employee. */
enum mnv_err disposal_name_row(struct vault *v, struct disposal_row *row, struct mnv_diag *diag)
{
    struct employee e;
    enum mnv_err err = persondb_employee_get(v, row->item.employee_id, &e, diag);
    if (err != MNV_OK)
        return err;
    snprintf(row->employee_name, sizeof(row->employee_name), "%s", e.name);
    snprintf(row->name, sizeof(row->name), "%s", e.name);
    if (row->item.person.kind == PERSON_DEPENDENT) {
        struct dependent d;
        err = persondb_dependent_get(v, row->item.person.id, &d, diag);
        if (err == MNV_OK) {
            snprintf(row->name, sizeof(row->name), "%s", d.name);
            row->relation = d.relation;
        }
    }
    return err;
}

static enum mnv_err get_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct get_args *a = ud;
    struct disposal_item *items = NULL;
    size_t n = 0;
    enum mnv_err err = disposaldb_get(v, a->id, a->p, diag);
    if (err == MNV_OK)
        err = disposaldb_items(v, a->id, &items, &n, diag);
    if (err == MNV_OK && n) {
        *a->rows = calloc(n, sizeof(**a->rows));
        if (!*a->rows)
            err = MNV_ERR_NOMEM;
    }
    for (size_t i = 0; err == MNV_OK && i < n; i++) {
        (*a->rows)[i].item = items[i];
        err = disposal_name_row(v, &(*a->rows)[i], diag);
        /* A person deleted since: the row stays, with the code it was proposed under. */
        if (err == MNV_ERR_PERSON_NOT_FOUND)
            err = MNV_OK;
    }
    free(items);
    if (err == MNV_OK)
        *a->count = n;
    return err;
}

enum mnv_err disposal_get(struct session *s, int64_t id, struct disposal_proposal *p,
                          struct disposal_row **rows, size_t *count, struct mnv_diag *diag)
{
    memset(p, 0, sizeof(*p));
    *rows = NULL;
    *count = 0;
    struct get_args a = {id, p, rows, count};
    enum mnv_err err = svcread_run(s, ACT_PERSON_VIEW, get_body, &a, diag);
    if (err != MNV_OK) {
        free(*rows);
        *rows = NULL;
        *count = 0;
    }
    return err;
}

struct fresh_args {
    const struct retention_rules *r;
    int64_t id;
    int64_t *changed;
};

static enum mnv_err fresh_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct fresh_args *a = ud;
    struct disposal_proposal p;
    struct disposal_item *items = NULL;
    size_t n = 0;
    enum mnv_err err = disposaldb_get(v, a->id, &p, diag);
    if (err == MNV_OK)
        err = disposaldb_items(v, a->id, &items, &n, diag);
    if (err == MNV_OK)
        err = disposal_first_changed(v, a->r, items, n, a->changed, diag);
    free(items);
    return err;
}

enum mnv_err disposal_fresh(struct session *s, const struct retention_rules *r, int64_t id,
                            int *fresh, int64_t *changed, struct mnv_diag *diag)
{
    *fresh = 0;
    *changed = 0;
    struct fresh_args a = {r, id, changed};
    enum mnv_err err = svcread_run(s, ACT_PERSON_VIEW, fresh_body, &a, diag);
    *fresh = err == MNV_OK && *changed == 0;
    return err;
}

static enum mnv_err counts_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct disposal_counts *c = ud;
    enum mnv_err err = disposaldb_count(v, DISPOSAL_PROPOSED, &c->proposed, diag);
    return err == MNV_OK ? disposaldb_count(v, DISPOSAL_APPROVED, &c->approved, diag) : err;
}

enum mnv_err disposal_counts(struct session *s, struct disposal_counts *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    return svcread_run(s, ACT_DASHBOARD, counts_body, out, diag);
}

struct due_args {
    struct vault *v;
    const struct retention_rules *r;
    struct disposal_row *rows;
    size_t n, cap;
};

static enum mnv_err due_one(void *ud, const struct retention_subject *s,
                            const struct retention_verdict *v)
{
    struct due_args *a = ud;
    if (v->state != RETENTION_DUE)
        return MNV_OK;
    struct disposal_row *n = alloc_grow(a->rows, &a->cap, a->n + 1, sizeof(*n));
    if (!n)
        return MNV_ERR_NOMEM;
    a->rows = n;
    struct disposal_row *row = &a->rows[a->n++];
    memset(row, 0, sizeof(*row));
    disposal_fill_item(a->r, s, v, &row->item);
    enum mnv_err err = disposaldb_in_open(a->v, s->number_id, &row->proposal, NULL);
    return err == MNV_OK ? disposal_name_row(a->v, row, NULL) : err;
}

static enum mnv_err due_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct due_args *a = ud;
    a->v = v;
    return retention_each(v, a->r, 0, clock_today(), due_one, a, diag);
}

enum mnv_err disposal_due_rows(struct session *s, const struct retention_rules *r,
                               struct disposal_row **rows, size_t *count, struct mnv_diag *diag)
{
    struct due_args a = {NULL, r, NULL, 0, 0};
    enum mnv_err err = svcread_run(s, ACT_PERSON_VIEW, due_body, &a, diag);
    if (err != MNV_OK) {
        free(a.rows);
        a.rows = NULL;
        a.n = 0;
    }
    *rows = a.rows;
    *count = a.n;
    return err;
}

char *disposal_decision_text(char *buf, size_t size, const struct disposal_proposal *p)
{
    char when[24];
    clock_format_local(when, sizeof(when), (time_t)p->decided_at);
    switch (p->state) {
    case DISPOSAL_APPROVED:
    case DISPOSAL_EXECUTED:
        snprintf(buf, size, _("Approved by %s on %s"), p->decided_by, when);
        break;
    case DISPOSAL_REJECTED:
        snprintf(buf, size, _("Rejected by %s on %s"), p->decided_by, when);
        break;
    case DISPOSAL_WITHDRAWN:
        snprintf(buf, size, _("Withdrawn by %s on %s"), p->decided_by, when);
        break;
    case DISPOSAL_STALE:
        snprintf(buf, size, _("Found stale by %s on %s"), p->decided_by, when);
        break;
    default:
        buf[0] = '\0';
    }
    return buf;
}
