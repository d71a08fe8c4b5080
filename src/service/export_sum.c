/*
 * export_sum.c: the source for layouts whose records are municipalities, not slips
 * ([form] unit = municipality: the 総括表): one record per 提出先市町村コード among the
 * employees with figures for the year, with the payer's details and the counts of persons
 * reported (特別徴収, 普通徴収 of those who left and of the others). No personal number.
 */
#include "export_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/clock.h"
#include "mnvault/employer.h"
#include "mnvault/payrolldb.h"
#include "mnvault/secmem.h"
#include "mnvault/wareki.h"

static int by_code(const void *a, const void *b)
{
    return strcmp(((const struct muni *)a)->code, ((const struct muni *)b)->code);
}

static struct muni *find_or_add(struct muni **m, size_t *n, size_t *cap, const char *code)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*m)[i].code, code) == 0)
            return &(*m)[i];
    struct muni *p = alloc_grow(*m, cap, *n + 1, sizeof(*p));
    if (!p)
        return NULL;
    *m = p;
    struct muni *x = &(*m)[(*n)++];
    memset(x, 0, sizeof(*x));
    snprintf(x->code, sizeof(x->code), "%s", code);
    return x;
}

enum mnv_err muni_collect(struct vault *v, int year, const int64_t *ids, size_t nids,
                          struct muni **out, size_t *count, struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    size_t cap = 0;
    enum mnv_err err = MNV_OK;
    for (size_t i = 0; i < nids && err == MNV_OK; i++) {
        char *text = NULL;
        size_t len = 0;
        struct payroll_figures f;
        memset(&f, 0, sizeof(f));
        err = payrolldb_get(v, ids[i], year, &text, &len, NULL, diag);
        if (err == MNV_OK)
            err = payroll_parse(text, len, &f);
        else
            secmem_free(text);
        struct muni *m = err == MNV_OK
                             ? find_or_add(out, count, &cap, payroll_value(&f, "municipality.code"))
                             : NULL;
        if (err == MNV_OK && !m)
            err = MNV_ERR_NOMEM;
        if (err == MNV_OK) {
            if (!m->name[0])
                snprintf(m->name, sizeof(m->name), "%s", payroll_value(&f, "municipality.name"));
            if (!m->designation[0])
                snprintf(m->designation, sizeof(m->designation), "%s",
                         payroll_value(&f, "municipality.designation"));
            int futsu = payroll_value(&f, "flag.futsu")[0] == '1';
            int left = payroll_value(&f, "x.retired_on")[0] != '\0';
            m->persons++;
            if (!futsu)
                m->special++;
            else if (left)
                m->ordinary_retired++;
            else
                m->ordinary_other++;
        }
        payroll_figures_free(&f);
    }
    if (err == MNV_OK && *count)
        qsort(*out, *count, sizeof(**out), by_code);
    if (err != MNV_OK) {
        free(*out);
        *out = NULL;
        *count = 0;
    }
    return err;
}

static void count_text(char *buf, size_t size, long n)
{
    snprintf(buf, size, "%ld", n);
}

/* The value of item for municipality m into buf. */
static void muni_item(const struct muni *m, long total, const struct payer *p, int year,
                      const char *item, char *buf, size_t size)
{
    const struct employer_field *e;
    buf[0] = '\0';
    if (!strcmp(item, "municipality.code"))
        snprintf(buf, size, "%s", m->code);
    else if (!strcmp(item, "municipality.name"))
        snprintf(buf, size, "%s", m->name);
    else if (!strcmp(item, "municipality.designation"))
        snprintf(buf, size, "%s", m->designation);
    else if (!strcmp(item, "report.persons_total"))
        count_text(buf, size, total);
    else if (!strcmp(item, "report.persons"))
        count_text(buf, size, m->persons);
    else if (!strcmp(item, "report.special"))
        count_text(buf, size, m->special);
    else if (!strcmp(item, "report.ordinary_retired"))
        count_text(buf, size, m->ordinary_retired);
    else if (!strcmp(item, "report.ordinary_other"))
        count_text(buf, size, m->ordinary_other);
    else if (!strcmp(item, "report.period")) {
        char from[11], era[40];
        snprintf(from, sizeof(from), "%04d-01-01", year);
        wareki_format(era, sizeof(era), from, 1);
        snprintf(buf, size, "%s1月〜12月", era);
    } else if (!strcmp(item, "filing.date")) {
        char now[32];
        clock_format_local(now, sizeof(now), clock_now());
        snprintf(buf, size, "%.10s", now);
    } else if (!strcmp(item, "payer.address"))
        snprintf(buf, size, "%s", p->address);
    else if (!strcmp(item, "payer.name"))
        snprintf(buf, size, "%s", p->name);
    else if (!strcmp(item, "payer.number"))
        snprintf(buf, size, "%s", p->number);
    else
        for (size_t i = 0; (e = employer_field_at(i)) != NULL && i < 14; i++)
            if (!strcmp(e->item, item))
                snprintf(buf, size, "%s", p->extra[i]);
}

enum mnv_err muni_fill(const struct muni *m, long total, const struct payer *p, int year,
                       struct form_record *r, struct mnv_diag *diag)
{
    const struct form_layout *l = r->layout;
    char buf[1024];
    enum mnv_err err = MNV_OK;
    form_record_clear(r);
    snprintf(r->group, sizeof(r->group), "%s", m->code);
    snprintf(r->code, sizeof(r->code), "%s", m->code); /* names the record in messages */
    for (size_t i = 0; err == MNV_OK && i < l->nfields; i++) {
        const struct form_field *fd = &l->fields[i];
        if (fd->fixed[0])
            err = form_record_set(r, i, fd->fixed, diag);
        else if (fd->item[0]) {
            muni_item(m, total, p, year, fd->item, buf, sizeof(buf));
            err = form_record_set(r, i, buf, diag);
        }
    }
    return err;
}
