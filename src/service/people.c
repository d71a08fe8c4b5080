#include "mnvault/people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/access.h"
#include "mnvault/audit.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/keyring.h"
#include "mnvault/keyroles.h"
#include "mnvault/numberdb.h"
#include "mnvault/persondb.h"
#include "mnvault/session.h"
#include "mnvault/vault.h"

/* The one bulk insert that may be open in this process. */
static struct {
    struct session *s;
    long employees, dependents, numbers;
} bulk;

char *people_subject(char *buf, size_t size, const struct person_ref *ref)
{
    snprintf(buf, size, "%s:%lld", ref->kind == PERSON_EMPLOYEE ? "employee" : "dependent",
             (long long)ref->id);
    return buf;
}

static enum mnv_err describe_in(struct vault *v, const struct person_ref *ref,
                                struct people_subject_label *out, struct mnv_diag *diag)
{
    int64_t employee_id = ref->id;
    if (ref->kind == PERSON_DEPENDENT) {
        struct dependent d, *all = NULL;
        size_t n = 0;
        enum mnv_err err = persondb_dependent_get(v, ref->id, &d, diag);
        if (err == MNV_OK)
            err = persondb_dependents_of(v, d.employee_id, &all, &n, diag);
        if (err != MNV_OK)
            return err == MNV_ERR_PERSON_NOT_FOUND ? MNV_ERR_NOT_FOUND : err;
        for (size_t i = 0; i < n; i++)
            if (all[i].id == ref->id)
                out->dependent_no = (int)i + 1;
        free(all);
        employee_id = d.employee_id;
    }
    struct employee e;
    enum mnv_err err = persondb_employee_get(v, employee_id, &e, diag);
    if (err == MNV_OK)
        snprintf(out->code, sizeof(out->code), "%s", e.code);
    return err == MNV_ERR_PERSON_NOT_FOUND ? MNV_ERR_NOT_FOUND : err;
}

enum mnv_err people_subject_describe(struct session *s, const char *subject,
                                     struct people_subject_label *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    enum access_action act =
        access_allowed(session_role(s), ACT_AUDIT_READ) ? ACT_AUDIT_READ : ACT_PERSON_VIEW;
    enum mnv_err err = access_check(s, act, "", diag);
    if (err != MNV_OK)
        return err;
    struct person_ref ref;
    char tail;
    long long id;
    if (sscanf(subject, "employee:%lld%c", &id, &tail) == 1)
        ref = (struct person_ref){PERSON_EMPLOYEE, (int64_t)id};
    else if (sscanf(subject, "dependent:%lld%c", &id, &tail) == 1)
        ref = (struct person_ref){PERSON_DEPENDENT, (int64_t)id};
    else
        return MNV_ERR_INVALID;
    struct vault *v = session_vault(s);
    int own = !vault_in_tx(v);
    if (own && (err = vault_begin_read(v, diag)) != MNV_OK)
        return err;
    err = describe_in(v, &ref, out, diag);
    if (own)
        vault_rollback(v);
    return err;
}

/* The name without its spaces (ASCII and U+3000), for matching names as people type them. */
static void squeeze(const char *name, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = name; *p && o + 1 < size;) {
        if (*p == ' ')
            p++;
        else if (strncmp(p, "\xe3\x80\x80", 3) == 0)
            p += 3;
        else
            out[o++] = *p++;
    }
    out[o] = '\0';
}

static enum mnv_err find_dependant(struct vault *v, int64_t employee_id, const char *name,
                                   struct person_ref *ref, struct mnv_diag *diag)
{
    struct dependent *deps = NULL;
    size_t n = 0;
    enum mnv_err err = persondb_dependents_of(v, employee_id, &deps, &n, diag);
    char want[PERSON_NAME_MAX + 1], have[PERSON_NAME_MAX + 1];
    squeeze(name, want, sizeof(want));
    int found = 0;
    for (size_t i = 0; err == MNV_OK && i < n; i++) {
        squeeze(deps[i].name, have, sizeof(have));
        if (strcmp(want, have) == 0) {
            *ref = (struct person_ref){PERSON_DEPENDENT, deps[i].id};
            found++;
        }
    }
    free(deps);
    if (err == MNV_OK && found != 1)
        err = found ? MNV_ERR_EXISTS : MNV_ERR_PERSON_NOT_FOUND;
    return err;
}

enum mnv_err people_find(struct session *s, const char *employee_code, const char *dependent_name,
                         struct person_ref *ref, struct mnv_diag *diag)
{
    memset(ref, 0, sizeof(*ref));
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    struct vault *v = session_vault(s);
    int own = err == MNV_OK && !vault_in_tx(v);
    if (own && (err = vault_begin_read(v, diag)) != MNV_OK)
        return err;
    int64_t id = 0;
    if (err == MNV_OK)
        err = persondb_employee_find(v, employee_code, &id, diag);
    *ref = (struct person_ref){PERSON_EMPLOYEE, id};
    if (err == MNV_OK && dependent_name && dependent_name[0])
        err = find_dependant(v, id, dependent_name, ref, diag);
    if (own)
        vault_rollback(v);
    return err;
}

/* ---- employees ------------------------------------------------------------------------------ */

static enum mnv_err add_employee_body(struct session *s, struct change *c, void *ud,
                                      struct mnv_diag *diag)
{
    struct employee *e = ud;
    enum mnv_err err = persondb_employee_insert(session_vault(s), e, diag);
    struct person_ref ref = {PERSON_EMPLOYEE, e->id};
    if (err == MNV_OK)
        people_subject(c->subject, sizeof(c->subject), &ref);
    return err;
}

enum mnv_err people_employee_add(struct session *s, struct employee *e, struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_PERSON_EDIT, "", diag);
    if (err == MNV_OK)
        err = person_employee_validate(e, clock_now(), diag);
    if (err == MNV_OK)
        err = change_run(s, "person.add", NULL, add_employee_body, e, diag);
    return err;
}

struct update_ctx {
    void *rec;
    unsigned *changed;
};

static enum mnv_err update_employee_body(struct session *s, struct change *c, void *ud,
                                         struct mnv_diag *diag)
{
    struct update_ctx *u = ud;
    enum mnv_err err = persondb_employee_update(session_vault(s), u->rec, u->changed, diag);
    char fields[200];
    if (err == MNV_OK && !*u->changed)
        c->skip_entry = 1;
    else if (err == MNV_OK)
        change_detail(c, "fields=%s", person_employee_fields(fields, sizeof(fields), *u->changed));
    return err;
}

/* Check the session may edit ref, with ref as the subject of a refusal; subject[48]. */
static enum mnv_err may_edit(struct session *s, const struct person_ref *ref, char *subject,
                             struct mnv_diag *diag)
{
    return access_check(s, ACT_PERSON_EDIT, people_subject(subject, 48, ref), diag);
}

enum mnv_err people_employee_update(struct session *s, struct employee *e, unsigned *changed,
                                    struct mnv_diag *diag)
{
    *changed = 0;
    char subject[48];
    struct person_ref ref = {PERSON_EMPLOYEE, e->id};
    enum mnv_err err = may_edit(s, &ref, subject, diag);
    if (err == MNV_OK)
        err = person_employee_validate(e, clock_now(), diag);
    struct update_ctx u = {e, changed};
    if (err == MNV_OK)
        err = change_run(s, "person.update", subject, update_employee_body, &u, diag);
    return err;
}

static enum mnv_err delete_body(struct session *s, struct change *c, void *ud,
                                struct mnv_diag *diag)
{
    const struct person_ref *ref = ud;
    (void)c;
    return ref->kind == PERSON_EMPLOYEE
               ? persondb_employee_delete(session_vault(s), ref->id, diag)
               : persondb_dependent_delete(session_vault(s), ref->id, diag);
}

static enum mnv_err delete_person(struct session *s, enum person_kind kind, int64_t id,
                                  struct mnv_diag *diag)
{
    struct person_ref ref = {kind, id};
    char subject[48];
    enum mnv_err err = may_edit(s, &ref, subject, diag);
    if (err == MNV_OK)
        err = change_run(s, kind == PERSON_EMPLOYEE ? "person.delete" : "dependent.delete", subject,
                         delete_body, &ref, diag);
    return err;
}

enum mnv_err people_employee_delete(struct session *s, int64_t id, struct mnv_diag *diag)
{
    return delete_person(s, PERSON_EMPLOYEE, id, diag);
}

enum mnv_err people_employee_get(struct session *s, int64_t id, struct employee *e,
                                 struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    return err == MNV_OK ? persondb_employee_get(session_vault(s), id, e, diag) : err;
}

/* ---- dependents ------------------------------------------------------------------------------ */

static enum mnv_err add_dependent_body(struct session *s, struct change *c, void *ud,
                                       struct mnv_diag *diag)
{
    struct dependent *d = ud;
    enum mnv_err err = persondb_dependent_insert(session_vault(s), d, diag);
    struct person_ref ref = {PERSON_DEPENDENT, d->id};
    if (err == MNV_OK) {
        people_subject(c->subject, sizeof(c->subject), &ref);
        change_detail(c, "employee=%lld", (long long)d->employee_id);
    }
    return err;
}

enum mnv_err people_dependent_add(struct session *s, struct dependent *d, struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_PERSON_EDIT, "", diag);
    if (err == MNV_OK)
        err = person_dependent_validate(d, clock_now(), diag);
    if (err == MNV_OK)
        err = change_run(s, "dependent.add", NULL, add_dependent_body, d, diag);
    return err;
}

static enum mnv_err update_dependent_body(struct session *s, struct change *c, void *ud,
                                          struct mnv_diag *diag)
{
    struct update_ctx *u = ud;
    enum mnv_err err = persondb_dependent_update(session_vault(s), u->rec, u->changed, diag);
    char fields[120];
    if (err == MNV_OK && !*u->changed)
        c->skip_entry = 1;
    else if (err == MNV_OK)
        change_detail(c, "fields=%s", person_dependent_fields(fields, sizeof(fields), *u->changed));
    return err;
}

enum mnv_err people_dependent_update(struct session *s, struct dependent *d, unsigned *changed,
                                     struct mnv_diag *diag)
{
    *changed = 0;
    char subject[48];
    struct person_ref ref = {PERSON_DEPENDENT, d->id};
    enum mnv_err err = may_edit(s, &ref, subject, diag);
    if (err == MNV_OK)
        err = person_dependent_validate(d, clock_now(), diag);
    struct update_ctx u = {d, changed};
    if (err == MNV_OK)
        err = change_run(s, "dependent.update", subject, update_dependent_body, &u, diag);
    return err;
}

enum mnv_err people_dependent_delete(struct session *s, int64_t id, struct mnv_diag *diag)
{
    return delete_person(s, PERSON_DEPENDENT, id, diag);
}

enum mnv_err people_dependent_get(struct session *s, int64_t id, struct dependent *d,
                                  struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    return err == MNV_OK ? persondb_dependent_get(session_vault(s), id, d, diag) : err;
}

enum mnv_err people_dependents_of(struct session *s, int64_t employee_id, struct dependent **out,
                                  size_t *count, struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    return err == MNV_OK ? persondb_dependents_of(session_vault(s), employee_id, out, count, diag)
                         : err;
}

/* ---- lists and figures ----------------------------------------------------------------------- */

enum mnv_err people_list(struct session *s, struct person_list *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    return err == MNV_OK ? persondb_list(session_vault(s), out, diag) : err;
}

enum mnv_err people_list_first(struct session *s, long limit, struct person_list *out,
                               struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    return err == MNV_OK ? persondb_list_first(session_vault(s), limit, out, diag) : err;
}

enum mnv_err people_list_each(struct session *s, person_row_fn fn, void *ud, struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    return err == MNV_OK ? persondb_list_each(session_vault(s), fn, ud, diag) : err;
}

enum mnv_err people_row_details(struct session *s, const int64_t *ids, size_t n,
                                struct person_detail *out, struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    struct vault *v = session_vault(s);
    if (err == MNV_OK)
        err = vault_begin_read(v, diag);
    if (err != MNV_OK)
        return err;
    for (size_t i = 0; err == MNV_OK && i < n; i++)
        err = persondb_row_detail(v, ids[i], &out[i], diag);
    vault_rollback(v);
    return err;
}

enum mnv_err people_stats(struct session *s, struct people_stats *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    enum mnv_err err = access_check(s, ACT_DASHBOARD, "", diag);
    if (err != MNV_OK)
        return err;
    struct vault *v = session_vault(s);
    err = vault_begin_read(v, diag);
    if (err != MNV_OK)
        return err;
    err = persondb_counts(v, &out->counts, diag);
    vault_rollback(v);
    if (err == MNV_OK)
        err = auditor_last_check(s, &out->last_check);
    return err;
}

enum mnv_err people_number_info(struct session *s, const struct person_ref *ref,
                                struct number_info *info, struct mnv_diag *diag)
{
    memset(info, 0, sizeof(*info));
    enum mnv_err err = access_check(s, ACT_PERSON_VIEW, "", diag);
    return err == MNV_OK ? numberdb_get(session_vault(s), ref, info, diag) : err;
}

/* ---- numbers -----------------------------------------------------------------------------------
 */

static enum mnv_err check_notices(struct session *s, const struct purpose_notice *p, size_t n,
                                  struct mnv_diag *diag)
{
    if (n == 0)
        return MNV_ERR_PURPOSE_NEEDED;
    if (n > NUMBER_PURPOSES_MAX)
        return MNV_ERR_RANGE;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].code || !purpose_find(session_purposes(s), p[i].code)) {
            mnv_diag_item(diag, "%s", p[i].code ? p[i].code : "");
            return MNV_ERR_PURPOSE_UNKNOWN;
        }
        if (!p[i].date || person_check_date(p[i].date, 1) != MNV_OK) {
            mnv_diag_item(diag, "%s", p[i].code);
            return MNV_ERR_FIELD_DATE;
        }
    }
    return MNV_OK;
}

/* Store the number and its purposes inside the open transaction; detail for the audit. */
static enum mnv_err store_in_tx(struct session *s, const struct person_ref *ref,
                                const struct mynumber *n, const struct purpose_notice *p,
                                size_t count, char *detail, size_t size, struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    struct number_info info;
    enum mnv_err err = numberdb_store(v, ref, n, session_user(s), &info, diag);
    size_t o = 0;
    if (err == MNV_OK)
        o = (size_t)snprintf(detail, size, "version=%u purposes=", info.version);
    for (size_t i = 0; i < count && err == MNV_OK; i++) {
        int have = 0;
        for (size_t k = 0; k < info.n_purposes; k++)
            have |= strcmp(info.purposes[k].code, p[i].code) == 0;
        if (!have)
            err = numberdb_add_purpose(v, info.id, p[i].code, p[i].date, session_user(s), diag);
        if (err == MNV_OK && o < size)
            o += (size_t)snprintf(detail + o, size - o, "%s%s", i ? "," : "", p[i].code);
    }
    return err;
}

struct store_ctx {
    const struct person_ref *ref;
    const struct mynumber *n;
    const struct purpose_notice *purposes;
    size_t count;
};

static enum mnv_err store_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    const struct store_ctx *x = ud;
    enum mnv_err err =
        store_in_tx(s, x->ref, x->n, x->purposes, x->count, c->detail, sizeof(c->detail), diag);
    if (err == MNV_ERR_NUMBER_DUPLICATE)
        c->refusal = "duplicate";
    return err;
}

enum mnv_err people_number_store(struct session *s, const struct person_ref *ref,
                                 const struct mynumber *n, const struct purpose_notice *purposes,
                                 size_t count, struct mnv_diag *diag)
{
    char subject[48];
    people_subject(subject, sizeof(subject), ref);
    enum mnv_err err = access_check(s, ACT_NUMBER_STORE, subject, diag);
    if (err == MNV_OK)
        err = check_notices(s, purposes, count, diag);
    struct store_ctx x = {ref, n, purposes, count};
    if (err == MNV_OK)
        err = change_run(s, "number.store", subject, store_body, &x, diag);
    return err;
}

struct refused_ctx {
    const struct person_ref *ref;
    const char *date, *reason;
};

static enum mnv_err refused_body(struct session *s, struct change *c, void *ud,
                                 struct mnv_diag *diag)
{
    const struct refused_ctx *x = ud;
    /* The reason is the person's words: it stays in the record, not in the audit log. */
    change_detail(c, "on=%s", x->date);
    enum mnv_err err = numberdb_mark_refused(session_vault(s), x->ref, x->date, x->reason,
                                             session_user(s), NULL, diag);
    if (err == MNV_ERR_REFUSAL_HAS_NUMBER)
        c->refusal = "number_stored";
    return err;
}

/* A real day, not after today; diag->item = item when it is not. */
static enum mnv_err past_day(const char *date, const char *item, struct mnv_diag *diag)
{
    char now[20];
    enum mnv_err err = person_check_date(date, 1);
    if (err == MNV_ERR_FIELD_EMPTY)
        err = MNV_ERR_FIELD_DATE;
    clock_format_local(now, sizeof(now), clock_now());
    if (err == MNV_OK && strncmp(date, now, 10) > 0)
        err = MNV_ERR_FIELD_FUTURE;
    if (err != MNV_OK)
        mnv_diag_item(diag, "%s", item);
    return err;
}

enum mnv_err people_number_refused(struct session *s, const struct person_ref *ref,
                                   const char *date, const char *reason, struct mnv_diag *diag)
{
    char subject[48];
    people_subject(subject, sizeof(subject), ref);
    enum mnv_err err = access_check(s, ACT_NUMBER_STORE, subject, diag);
    if (err == MNV_OK)
        err = past_day(date, "refused_on", diag);
    if (err == MNV_OK && (err = person_check_reason(reason)) != MNV_OK)
        mnv_diag_item(diag, "reason");
    if (err != MNV_OK)
        return err;
    struct refused_ctx x = {ref, date, reason};
    return change_run(s, "number.refused", subject, refused_body, &x, diag);
}

/* ---- a dependant leaving the 扶養 ------------------------------------------------------- */

struct left_ctx {
    int64_t id;
    const char *date;
};

static enum mnv_err left_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    const struct left_ctx *x = ud;
    struct vault *v = session_vault(s);
    struct dependent d;
    enum mnv_err err = persondb_dependent_get(v, x->id, &d, diag);
    if (err == MNV_OK && (err = person_check_left(&d, x->date, clock_now())) != MNV_OK)
        mnv_diag_item(diag, "left_on");
    if (err != MNV_OK)
        return err;
    if (strcmp(d.left_on, x->date) == 0) {
        c->skip_entry = 1; /* nothing changes */
        return MNV_OK;
    }
    if (x->date[0])
        change_detail(c, "on=%s", x->date);
    else
        change_detail(c, "undone=%s", d.left_on);
    return persondb_dependent_set_left(v, x->id, x->date, diag);
}

enum mnv_err people_dependent_end(struct session *s, int64_t dependent_id, const char *date,
                                  struct mnv_diag *diag)
{
    char subject[48];
    struct person_ref ref = {PERSON_DEPENDENT, dependent_id};
    enum mnv_err err = may_edit(s, &ref, subject, diag);
    if (err == MNV_OK && date[0])
        err = past_day(date, "left_on", diag);
    if (err != MNV_OK)
        return err;
    struct left_ctx x = {dependent_id, date};
    return change_run(s, "dependent.end", subject, left_body, &x, diag);
}

/* ---- epochs
 * ---------------------------------------------------------------------------------------- */

enum mnv_err people_rotate_epoch(struct session *s, long *rewrapped, struct mnv_diag *diag)
{
    *rewrapped = 0;
    enum mnv_err err = access_check(s, ACT_EPOCH_ROTATE, "", diag);
    if (err != MNV_OK)
        return err;
    return keyroles_rotate_numbers(s, 0, rewrapped, diag);
}

/* ---- bulk
 * ---------------------------------------------------------------------------------------- */

/*
 * The page cache of a bulk insert. Once vault.db outgrows the configured cache, SQLite
 * writes out (encrypts) and reads back (decrypts) the pages of the blind index again and
 * again, as numbers arrive in random order of it (at 1,000,000 people: 45 MB of index).
 * A bulk insert gets what a whole-vault check gets (VAULT_SCAN_CACHE_MAX_MIB, at most a
 * quarter of the memory available), taken only as the vault grows and given back at the
 * commit; SQLite's allocator wipes the pages it frees as always.
 */
static int bulk_cache_mib(void)
{
    long pages = sysconf(_SC_AVPHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    long long mib = VAULT_SCAN_CACHE_MAX_MIB;
    if (pages > 0 && psize > 0 && (long long)pages * psize / 1048576 / 4 < mib)
        mib = (long long)pages * psize / 1048576 / 4;
    return mib < 64 ? 64 : (int)mib;
}

enum mnv_err people_bulk_begin(struct session *s, struct mnv_diag *diag)
{
    if (bulk.s)
        return MNV_ERR_INVALID;
    enum mnv_err err = access_check(s, ACT_PERSON_EDIT, "", diag);
    if (err == MNV_OK)
        err = access_check(s, ACT_NUMBER_STORE, "", diag);
    if (err == MNV_OK)
        err = vault_begin(session_vault(s), diag);
    if (err != MNV_OK)
        return err;
    bulk.s = s;
    bulk.employees = bulk.dependents = bulk.numbers = 0;
    session_cache_limit(s, bulk_cache_mib());
    return MNV_OK;
}

enum mnv_err people_bulk_add(struct session *s, struct employee *e, const struct mynumber *n,
                             const struct purpose_notice *purposes, size_t count,
                             struct mnv_diag *diag)
{
    if (bulk.s != s)
        return MNV_ERR_INVALID;
    enum mnv_err err = person_employee_validate(e, clock_now(), diag);
    if (err == MNV_OK && n)
        err = check_notices(s, purposes, count, diag);
    if (err == MNV_OK)
        err = persondb_employee_insert(session_vault(s), e, diag);
    if (err != MNV_OK)
        return err;
    bulk.employees++;
    if (!n)
        return MNV_OK;
    const char *codes[NUMBER_PURPOSES_MAX], *dates[NUMBER_PURPOSES_MAX];
    for (size_t i = 0; i < count; i++) {
        codes[i] = purposes[i].code;
        dates[i] = purposes[i].date;
    }
    struct person_ref ref = {PERSON_EMPLOYEE, e->id};
    err = numberdb_store_new(session_vault(s), &ref, n, session_user(s), codes, dates, count, diag);
    if (err == MNV_OK)
        bulk.numbers++;
    return err;
}

enum mnv_err people_bulk_add_dependent(struct session *s, struct dependent *d,
                                       const struct mynumber *n,
                                       const struct purpose_notice *purposes, size_t count,
                                       struct mnv_diag *diag)
{
    if (bulk.s != s)
        return MNV_ERR_INVALID;
    enum mnv_err err = person_dependent_validate(d, clock_now(), diag);
    if (err == MNV_OK && n)
        err = check_notices(s, purposes, count, diag);
    if (err == MNV_OK)
        err = persondb_dependent_insert(session_vault(s), d, diag);
    if (err != MNV_OK)
        return err;
    bulk.dependents++;
    if (!n)
        return MNV_OK;
    char detail[AUDIT_DETAIL_MAX];
    struct person_ref ref = {PERSON_DEPENDENT, d->id};
    err = store_in_tx(s, &ref, n, purposes, count, detail, sizeof(detail), diag);
    if (err == MNV_OK)
        bulk.numbers++;
    return err;
}

enum mnv_err people_bulk_commit(struct session *s, struct mnv_diag *diag)
{
    if (bulk.s != s)
        return MNV_ERR_INVALID;
    char detail[64];
    snprintf(detail, sizeof(detail), "employees=%ld dependents=%ld numbers=%ld", bulk.employees,
             bulk.dependents, bulk.numbers);
    bulk.s = NULL;
    enum mnv_err err = audit_append(s, "bulk.insert", "", "ok", detail, diag);
    if (err != MNV_OK)
        vault_rollback(session_vault(s));
    else
        err = vault_commit(session_vault(s), diag);
    session_cache_limit(s, 0);
    return err;
}

void people_bulk_abort(struct session *s)
{
    if (bulk.s != s)
        return;
    bulk.s = NULL;
    vault_rollback(session_vault(s));
    session_cache_limit(s, 0);
}
