/*
 * insurance.c: one person's insurance facts — read, parsed, changed (insurance.h). The
 * stored text is "key=value" lines in the order of the fact table.
 */
#include "mnvault/insurance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insurance_priv.h"
#include "mnvault/access.h"
#include "mnvault/auditlog.h"
#include "mnvault/change.h"
#include "mnvault/people.h"
#include "mnvault/persondb.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"

const char *insurance_value(const struct insurance_facts *f, const char *key)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->keys[i], key) == 0)
            return f->vals[i];
    return "";
}

void insurance_facts_free(struct insurance_facts *f)
{
    if (!f)
        return;
    secmem_free(f->text);
    f->text = NULL;
    f->n = 0;
    f->len = 0;
}

enum mnv_err insurance_parse(char *text, size_t len, struct insurance_facts *f)
{
    f->text = text;
    f->len = len;
    f->n = 0;
    char *p = text, *end = text + len;
    while (p < end && *p) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eq = memchr(p, '=', (size_t)((nl ? nl : end) - p));
        if (!nl || !eq || f->n == INSURANCE_FACTS_MAX)
            return MNV_ERR_SEAL_BROKEN;
        *eq = '\0';
        *nl = '\0';
        f->keys[f->n] = p;
        f->vals[f->n++] = eq + 1;
        p = nl + 1;
    }
    return MNV_OK;
}

enum mnv_err insurance_parse_copy(const char *text, size_t len, struct insurance_facts *f)
{
    memset(f, 0, sizeof(*f));
    char *copy = secmem_alloc(len + 1);
    if (!copy)
        return MNV_ERR_NOMEM;
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    return insurance_parse(copy, len, f);
}

enum mnv_err insurance_load(struct vault *v, const struct person_ref *ref,
                            struct insurance_facts *f, struct mnv_diag *diag)
{
    memset(f, 0, sizeof(*f));
    f->ref = *ref;
    char *text = NULL;
    size_t len = 0;
    enum mnv_err err = insurancedb_get(v, ref, &text, &len, &f->info, diag);
    if (err == MNV_ERR_NOT_FOUND) {
        memset(&f->info, 0, sizeof(f->info));
        return MNV_OK;
    }
    if (err == MNV_OK)
        err = insurance_parse(text, len, f);
    if (err != MNV_OK)
        insurance_facts_free(f);
    return err;
}

/* Does ref exist? A dependant's relation into *rel (0 for employees). */
static enum mnv_err person_of(struct vault *v, const struct person_ref *ref,
                              enum dependent_relation *rel, struct mnv_diag *diag)
{
    *rel = 0;
    if (ref->kind == PERSON_EMPLOYEE) {
        struct employee e;
        return persondb_employee_get(v, ref->id, &e, diag);
    }
    struct dependent d;
    enum mnv_err err = persondb_dependent_get(v, ref->id, &d, diag);
    if (err == MNV_OK)
        *rel = d.relation;
    return err;
}

enum mnv_err insurance_get(struct session *s, const struct person_ref *ref,
                           struct insurance_facts *f, struct mnv_diag *diag)
{
    memset(f, 0, sizeof(*f));
    enum mnv_err err = access_check(s, ACT_INSURANCE_VIEW, "", diag);
    if (err != MNV_OK)
        return err;
    struct vault *v = session_vault(s);
    if ((err = vault_begin_read(v, diag)) != MNV_OK)
        return err;
    enum dependent_relation rel;
    err = person_of(v, ref, &rel, diag);
    if (err == MNV_OK)
        err = insurance_load(v, ref, f, diag);
    vault_rollback(v);
    return err;
}

int insurance_fact_fits(const struct insurance_fact *f, const struct person_ref *ref,
                        enum dependent_relation rel)
{
    if (f->scope == INS_EMPLOYEE)
        return ref->kind == PERSON_EMPLOYEE;
    if (f->scope == INS_SPOUSE)
        return ref->kind == PERSON_DEPENDENT && rel == REL_SPOUSE;
    return ref->kind == PERSON_DEPENDENT;
}

/* Pairs of dates where the second may not come before (or on, when strict) the first. */
static const struct {
    const char *first, *then;
    int strict;
} order[] = {
    {"shaho.acquired_on", "shaho.lost_on", 1}, {"shaho.acquired_on", "shaho.left_on", 0},
    {"koyo.acquired_on", "koyo.left_on", 0},   {"koyo.contract_from", "koyo.contract_to", 0},
    {"fuyo.since", "fuyo.until", 1},
};

const char *insurance_order_fault(const char *const vals[], size_t nfacts)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(order); i++) {
        const char *a = NULL, *b = NULL;
        for (size_t k = 0; k < nfacts; k++) {
            const struct insurance_fact *f = insurance_fact_at(k);
            if (strcmp(f->key, order[i].first) == 0)
                a = vals[k];
            if (strcmp(f->key, order[i].then) == 0)
                b = vals[k];
        }
        if (a && b && a[0] && b[0]) {
            int c = strcmp(b, a);
            if (c < 0 || (c == 0 && order[i].strict))
                return order[i].then;
        }
    }
    return NULL;
}

enum mnv_err insurance_merge(const struct insurance_facts *old, const struct person_ref *ref,
                             enum dependent_relation rel, const struct insurance_change *ch,
                             size_t n, char *text, size_t size, size_t *len, size_t *changed,
                             char *keys, size_t ksize, struct mnv_diag *diag)
{
    const char *vals[INSURANCE_FACTS_MAX * 2];
    char *norm = secmem_alloc(n * (INSURANCE_VALUE_MAX + 1) + 1);
    enum mnv_err err = norm ? MNV_OK : MNV_ERR_NOMEM;
    size_t nf = 0, used = 0, kused = 0;
    *changed = 0;
    for (const struct insurance_fact *f; err == MNV_OK && (f = insurance_fact_at(nf)); nf++)
        vals[nf] = insurance_value(old, f->key);
    for (size_t i = 0; err == MNV_OK && i < n; i++) {
        const struct insurance_fact *f = insurance_fact_find(ch[i].key);
        char *out = norm + i * (INSURANCE_VALUE_MAX + 1);
        mnv_diag_item(diag, "%s", ch[i].key);
        if (!f)
            err = MNV_ERR_INSURANCE_KEY;
        else if (!insurance_fact_fits(f, ref, rel))
            err = MNV_ERR_INSURANCE_SCOPE;
        else
            err = insurance_fact_check(f, ch[i].value, out, INSURANCE_VALUE_MAX + 1);
        for (size_t k = 0; err == MNV_OK && k < nf; k++)
            if (insurance_fact_at(k) == f && strcmp(vals[k], out) != 0) {
                vals[k] = out;
                (*changed)++;
                if (kused + strlen(f->key) + 2 < ksize)
                    kused += (size_t)snprintf(keys + kused, ksize - kused, "%s%s", kused ? "," : "",
                                              f->key);
            }
    }
    const char *late = err == MNV_OK ? insurance_order_fault(vals, nf) : NULL;
    if (late) {
        mnv_diag_item(diag, "%s", late);
        err = MNV_ERR_INSURANCE_ORDER;
    }
    if (err == MNV_OK)
        mnv_diag_clear(diag);
    for (size_t k = 0; err == MNV_OK && k < nf; k++)
        if (vals[k][0]) {
            int w =
                snprintf(text + used, size - used, "%s=%s\n", insurance_fact_at(k)->key, vals[k]);
            if (w < 0 || (size_t)w >= size - used)
                err = MNV_ERR_TOO_LONG;
            else
                used += (size_t)w;
        }
    *len = used;
    if (norm) {
        secmem_wipe(norm, n * (INSURANCE_VALUE_MAX + 1) + 1);
        secmem_free(norm);
    }
    return err;
}

struct set_ctx {
    const struct person_ref *ref;
    const struct insurance_change *ch;
    size_t n;
    size_t *changed;
};

static enum mnv_err set_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    struct set_ctx *x = ud;
    struct vault *v = session_vault(s);
    char *text = secmem_alloc(INSURANCE_BLOB_MAX + 1);
    char keys[AUDIT_DETAIL_MAX - 8] = "";
    if (!text)
        return MNV_ERR_NOMEM;
    struct insurance_facts old;
    memset(&old, 0, sizeof(old));
    enum dependent_relation rel;
    size_t len = 0;
    enum mnv_err err = person_of(v, x->ref, &rel, diag);
    if (err == MNV_OK)
        err = insurance_load(v, x->ref, &old, diag);
    if (err == MNV_OK)
        err = insurance_merge(&old, x->ref, rel, x->ch, x->n, text, INSURANCE_BLOB_MAX + 1, &len,
                              x->changed, keys, sizeof(keys), diag);
    insurance_facts_free(&old);
    if (err == MNV_OK && *x->changed)
        err = insurancedb_put(v, x->ref, text, len, session_user(s), diag);
    c->skip_entry = *x->changed == 0; /* nothing changed: nothing written, nothing audited */
    change_detail(c, "keys=%s", keys);
    secmem_wipe(text, INSURANCE_BLOB_MAX + 1);
    secmem_free(text);
    return err;
}

enum mnv_err insurance_set(struct session *s, const struct person_ref *ref,
                           const struct insurance_change *ch, size_t n, size_t *changed,
                           struct mnv_diag *diag)
{
    char subject[48];
    *changed = 0;
    people_subject(subject, sizeof(subject), ref);
    enum mnv_err err = access_check(s, ACT_INSURANCE_EDIT, subject, diag);
    if (err != MNV_OK)
        return err;
    struct set_ctx x = {ref, ch, n, changed};
    err = change_run(s, "insurance.update", subject, set_body, &x, diag);
    if (err != MNV_OK)
        *changed = 0;
    return err;
}
