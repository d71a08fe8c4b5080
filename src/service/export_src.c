/*
 * export_src.c: the source side of an export (export.h): one employee's slip — the record,
 * the dependants placed on the slip, the year-end figures, the purpose gate of each number
 * the layout asks for — and the filling of a form record from it, item by item (form.h's
 * vocabulary).
 */
#include "export_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/clock.h"
#include "mnvault/employer.h"
#include "mnvault/numberdb.h"
#include "mnvault/payrolldb.h"
#include "mnvault/secmem.h"
#include "mnvault/vault.h"
#include "mnvault/wareki.h"

/* ---- loading a slip ------------------------------------------------------------------- */

static int is_spouse_cat(enum payroll_deduction d)
{
    return d == PAYROLL_DED_SPOUSE || d == PAYROLL_DED_SPOUSE_AGED ||
           d == PAYROLL_DED_SPOUSE_SPECIAL;
}

static int is_block_cat(enum payroll_deduction d)
{
    return d == PAYROLL_DED_GENERAL || d == PAYROLL_DED_SPECIFIC || d == PAYROLL_DED_AGED ||
           d == PAYROLL_DED_AGED_COHABITING || d == PAYROLL_DED_TOKUTEI;
}

/* The index into sl->deps of the dependant with this id, or -1. */
static int dep_index(const struct slip *sl, int64_t id)
{
    for (size_t i = 0; i < sl->ndeps; i++)
        if (sl->deps[i].id == id)
            return (int)i;
    return -1;
}

/* Does layout l have a field for the number of this role and slot? */
static int layout_wants(const struct form_layout *l, enum export_role role, int slot)
{
    char item[FORM_ITEM_MAX + 1];
    switch (role) {
    case EXPORT_ROLE_EMPLOYEE:
        return form_layout_field(l, "employee.number") != NULL;
    case EXPORT_ROLE_SPOUSE:
        return form_layout_field(l, "spouse.number") != NULL;
    case EXPORT_ROLE_DEPENDENT:
    case EXPORT_ROLE_CHILD:
        if (slot > 4)
            return form_layout_field(l, role == EXPORT_ROLE_DEPENDENT
                                            ? "dependents.extra_numbers"
                                            : "children.extra_numbers") != NULL;
        snprintf(item, sizeof(item), "%s%d.number",
                 role == EXPORT_ROLE_DEPENDENT ? "dependent" : "child", slot);
        return form_layout_field(l, item) != NULL;
    }
    return 0;
}

struct slip_person *slip_add_person(struct slip *sl, enum export_role role, int slot, int dep)
{
    struct slip_person *p = &sl->people[sl->npeople++];
    memset(p, 0, sizeof(*p));
    p->role = role;
    p->slot = slot;
    p->dep = dep;
    p->ref.kind = dep < 0 ? PERSON_EMPLOYEE : PERSON_DEPENDENT;
    p->ref.id = dep < 0 ? sl->emp.id : sl->deps[dep].id;
    return p;
}

static void add_person(struct slip *sl, const struct form_layout *l, enum export_role role,
                       int slot, int dep)
{
    slip_add_person(sl, role, slot, dep)->needs_number = layout_wants(l, role, slot);
}

/* Place the dependants: the spouse, then 控除対象扶養親族 and 16歳未満 in file order. */
static enum mnv_err place(struct slip *sl, const struct form_layout *l)
{
    sl->spouse = -1;
    add_person(sl, l, EXPORT_ROLE_EMPLOYEE, 0, -1);
    for (size_t i = 0; i < sl->fig.ndeps; i++) {
        const struct payroll_dependent *d = &sl->fig.deps[i];
        int di = dep_index(sl, d->dependent_id);
        if (di < 0)
            return MNV_ERR_EXPORT_CHANGED; /* a dependant named in the figures is gone */
        if (is_spouse_cat(d->deduction)) {
            sl->spouse = (int)i;
            add_person(sl, l, EXPORT_ROLE_SPOUSE, 0, di);
        } else if (is_block_cat(d->deduction)) {
            sl->ndeps_block[sl->nblock++] = (int)i;
            add_person(sl, l, EXPORT_ROLE_DEPENDENT, (int)sl->nblock, di);
        } else if (d->deduction == PAYROLL_DED_UNDER16) {
            sl->kids[sl->nkids++] = (int)i;
            add_person(sl, l, EXPORT_ROLE_CHILD, (int)sl->nkids, di);
        }
    }
    return MNV_OK;
}

enum mnv_err slip_load(struct vault *v, const struct form_layout *l,
                       const struct export_request *req, int64_t employee_id, struct slip *sl,
                       struct mnv_diag *diag)
{
    if (form_unit_is_event(l->unit))
        return ins_slip_load(v, l, req->since, req->until, employee_id, sl, diag);
    int year = req->year;
    memset(sl, 0, sizeof(*sl));
    char *text = NULL;
    size_t len = 0;
    enum mnv_err err = persondb_employee_get(v, employee_id, &sl->emp, diag);
    if (err == MNV_OK)
        err = persondb_dependents_of(v, employee_id, &sl->deps, &sl->ndeps, diag);
    if (err == MNV_OK)
        err = payrolldb_get(v, employee_id, year, &text, &len, &sl->fig.info, diag);
    if (err == MNV_OK) {
        sl->fig.employee_id = employee_id;
        sl->fig.year = year;
        err = payroll_parse(text, len, &sl->fig);
    } else {
        secmem_free(text);
    }
    if (err == MNV_OK)
        err = place(sl, l);
    if (err == MNV_OK)
        sl->to_tax_office = slip_goes_to_tax_office(l, sl);
    return err;
}

void slip_free(struct slip *sl)
{
    payroll_figures_free(&sl->fig);
    insurance_facts_free(&sl->ins);
    for (size_t i = 0; sl->dins && i < sl->ndeps; i++)
        insurance_facts_free(&sl->dins[i]);
    free(sl->dins);
    free(sl->deps);
    secmem_wipe(sl, sizeof(*sl));
}

int slip_goes_to_tax_office(const struct form_layout *l, const struct slip *sl)
{
    const struct payroll_figures *f = &sl->fig;
    const char *over = payroll_value(f, "x.tax_office");
    if (strcmp(over, "yes") == 0)
        return 1;
    if (strcmp(over, "no") == 0)
        return 0;
    if (!l->has_thresholds)
        return 1;
    long long pay = atoll(payroll_value(f, "pay.amount"));
    int officer = payroll_value(f, "x.officer")[0] == '1';
    int retired = payroll_value(f, "x.retired_on")[0] != '\0';
    const char *adj = payroll_value(f, "x.adjusted");
    int adjusted = adj[0] ? adj[0] == '1' : !retired;
    const struct form_thresholds *t = &l->thresholds;
    if (payroll_value(f, "flag.otsu")[0] == '1')
        return pay > t->otsu;
    if (adjusted)
        return pay > (officer ? t->adjusted_officer : t->adjusted);
    if (retired)
        return pay > (officer ? t->retired_officer : t->retired);
    return pay > t->unadjusted;
}

/* ---- the purpose gate ----------------------------------------------------------------- */

enum mnv_err export_gate_one(struct vault *v, const struct person_ref *ref, const char *purpose,
                             enum export_gap_reason *gap, uint32_t *version, struct mnv_diag *diag)
{
    struct number_info info;
    enum mnv_err err = numberdb_get(v, ref, &info, diag);
    if (err != MNV_OK)
        return err;
    *version = info.version;
    if (info.status == NUMBER_REFUSED)
        *gap = EXPORT_GAP_REFUSED;
    else if (info.status == NUMBER_DISPOSED)
        *gap = EXPORT_GAP_DISPOSED;
    else if (info.status != NUMBER_REGISTERED)
        *gap = EXPORT_GAP_MISSING;
    else {
        *gap = EXPORT_GAP_PURPOSE;
        for (size_t k = 0; purpose && k < info.n_purposes; k++)
            if (strcmp(info.purposes[k].code, purpose) == 0)
                *gap = 0;
    }
    return MNV_OK;
}

enum mnv_err slip_gate(struct vault *v, struct slip *sl, const char *purpose, const char *purpose3,
                       struct mnv_diag *diag)
{
    for (size_t i = 0; i < sl->npeople; i++) {
        struct slip_person *p = &sl->people[i];
        if (!p->needs_number)
            continue;
        enum mnv_err err = export_gate_one(v, &p->ref, p->category3 ? purpose3 : purpose, &p->gap,
                                           &p->version, diag);
        if (err != MNV_OK)
            return err;
    }
    return MNV_OK;
}

/* ---- filling a record ----------------------------------------------------------------- */

/* The NTA / eLTAX era code of a date: 1 昭和, 2 大正, 3 明治, 4 平成, 5 令和. */
static const char *era_code(char letter)
{
    switch (letter) {
    case 'S':
        return "1";
    case 'T':
        return "2";
    case 'M':
        return "3";
    case 'H':
        return "4";
    case 'R':
        return "5";
    default:
        return "";
    }
}

static const struct payroll_dependent *fig_dep(const struct slip *sl, int i)
{
    return i >= 0 ? &sl->fig.deps[i] : NULL;
}

static const struct dependent *record_of(const struct slip *sl, const struct payroll_dependent *d)
{
    int i = d ? dep_index(sl, d->dependent_id) : -1;
    return i >= 0 ? &sl->deps[i] : NULL;
}

/* The slip_person for a dependant of the figures, or NULL. */
static const struct slip_person *person_of(const struct slip *sl, const struct payroll_dependent *d)
{
    for (size_t i = 0; d && i < sl->npeople; i++)
        if (sl->people[i].ref.kind == PERSON_DEPENDENT && sl->people[i].ref.id == d->dependent_id)
            return &sl->people[i];
    return NULL;
}

enum mnv_err slip_number(struct fill *f, const struct slip_person *p, struct mnv_diag *diag)
{
    f->num[0] = '\0';
    if (!p || !p->needs_number || p->gap || f->mode == SLIP_NO_NUMBERS)
        return MNV_OK;
    if (f->mode == SLIP_PLACEHOLDERS) {
        memcpy(f->num, "000000000000", 13); /* the right length, a valid check digit */
        return MNV_OK;
    }
    enum mnv_err err = export_reveal_checked(f->v, &p->ref, p->version, f->num, diag);
    if (err == MNV_OK)
        f->numbers++;
    return err;
}

enum mnv_err export_reveal_checked(struct vault *v, const struct person_ref *ref, uint32_t version,
                                   char digits[13], struct mnv_diag *diag)
{
    struct number_info info;
    enum mnv_err err = numberdb_get(v, ref, &info, diag);
    if (err == MNV_OK && (info.status != NUMBER_REGISTERED || info.version != version))
        err = MNV_ERR_EXPORT_CHANGED;
    struct mynumber *n = err == MNV_OK ? secmem_alloc(sizeof(*n)) : NULL;
    if (err == MNV_OK && !n)
        err = MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = numberdb_reveal(v, ref, n, diag);
    if (err == MNV_OK)
        memcpy(digits, n->digits, 13);
    if (n) {
        mynumber_clear(n);
        secmem_free(n);
    }
    return err;
}

static const char *count_of(const struct fill *f, const char *item, char *buf, size_t size)
{
    const char *given = payroll_value(&f->sl->fig, item);
    if (given[0])
        return given;
    const char *what = item + strlen("count.");
    long n = 0;
    for (size_t i = 0; i < f->sl->fig.ndeps; i++) {
        const struct payroll_dependent *d = &f->sl->fig.deps[i];
        enum payroll_deduction c = d->deduction;
        if ((!strcmp(what, "specific") && c == PAYROLL_DED_SPECIFIC) ||
            (!strcmp(what, "aged") &&
             (c == PAYROLL_DED_AGED || c == PAYROLL_DED_AGED_COHABITING)) ||
            (!strcmp(what, "aged_cohabiting") && c == PAYROLL_DED_AGED_COHABITING) ||
            (!strcmp(what, "other") && c == PAYROLL_DED_GENERAL) ||
            (!strcmp(what, "under16") && c == PAYROLL_DED_UNDER16) ||
            (!strcmp(what, "tokutei") && c == PAYROLL_DED_TOKUTEI) ||
            (!strcmp(what, "nonresident") && d->nonresident) ||
            (!strcmp(what, "disabled_special") &&
             (d->disability == PAYROLL_DIS_SPECIAL ||
              d->disability == PAYROLL_DIS_SPECIAL_COHABITING)) ||
            (!strcmp(what, "disabled_special_cohabiting") &&
             d->disability == PAYROLL_DIS_SPECIAL_COHABITING) ||
            (!strcmp(what, "disabled_other") && d->disability == PAYROLL_DIS_GENERAL))
            n++;
    }
    if (n == 0)
        return "";
    snprintf(buf, size, "%ld", n);
    return buf;
}

/* "dependent3.kana" → the 3rd 控除対象扶養親族's reading; "child2.name" … */
static enum mnv_err block_item(struct fill *f, const char *item, int slot, char *buf, size_t size,
                               struct mnv_diag *diag)
{
    int kid = strncmp(item, "child", 5) == 0;
    const int *idx = kid ? f->sl->kids : f->sl->ndeps_block;
    size_t n = kid ? f->sl->nkids : f->sl->nblock;
    buf[0] = '\0';
    if ((size_t)slot > n)
        return MNV_OK;
    const struct payroll_dependent *d = fig_dep(f->sl, idx[slot - 1]);
    const struct dependent *rec = record_of(f->sl, d);
    const char *what = strchr(item, '.') + 1;
    if (!strcmp(what, "kana"))
        snprintf(buf, size, "%s", rec ? rec->kana : "");
    else if (!strcmp(what, "name"))
        snprintf(buf, size, "%s", rec ? rec->name : "");
    else if (!strcmp(what, "class"))
        snprintf(buf, size, "%s", d->nonresident ? "01" : "00");
    else if (!strcmp(what, "number")) {
        enum mnv_err err = slip_number(f, person_of(f->sl, d), diag);
        if (err != MNV_OK)
            return err;
        snprintf(buf, size, "%s", f->num);
        secmem_wipe(f->num, 16);
    }
    return MNV_OK;
}

static enum mnv_err spouse_item(struct fill *f, const char *what, char *buf, size_t size,
                                struct mnv_diag *diag)
{
    const struct payroll_dependent *d = fig_dep(f->sl, f->sl->spouse);
    const struct dependent *rec = record_of(f->sl, d);
    buf[0] = '\0';
    if (!strcmp(what, "flag"))
        snprintf(
            buf, size, "%s",
            d && (d->deduction == PAYROLL_DED_SPOUSE || d->deduction == PAYROLL_DED_SPOUSE_AGED)
                ? "1"
                : "2");
    else if (!strcmp(what, "aged"))
        snprintf(buf, size, "%s", d && d->deduction == PAYROLL_DED_SPOUSE_AGED ? "1" : "");
    else if (!strcmp(what, "income"))
        snprintf(buf, size, "%s", payroll_value(&f->sl->fig, "spouse.income"));
    else if (!d)
        return MNV_OK;
    else if (!strcmp(what, "kana"))
        snprintf(buf, size, "%s", rec ? rec->kana : "");
    else if (!strcmp(what, "name"))
        snprintf(buf, size, "%s", rec ? rec->name : "");
    else if (!strcmp(what, "class"))
        snprintf(buf, size, "%s", d->nonresident ? "01" : "00");
    else if (!strcmp(what, "number")) {
        enum mnv_err err = slip_number(f, person_of(f->sl, d), diag);
        if (err != MNV_OK)
            return err;
        snprintf(buf, size, "%s", f->num);
        secmem_wipe(f->num, 16);
    }
    return MNV_OK;
}

/* "(5)123456789018 (6)…" for the 5th and later dependants or children. */
static enum mnv_err extra_numbers(struct fill *f, int kids, char *buf, size_t size,
                                  struct mnv_diag *diag)
{
    const int *idx = kids ? f->sl->kids : f->sl->ndeps_block;
    size_t n = kids ? f->sl->nkids : f->sl->nblock, used = 0;
    buf[0] = '\0';
    for (size_t i = 4; i < n; i++) {
        enum mnv_err err = slip_number(f, person_of(f->sl, fig_dep(f->sl, idx[i])), diag);
        if (err != MNV_OK)
            return err;
        if (f->num[0])
            used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s(%zu)%s",
                                     used ? " " : "", i + 1, f->num);
        secmem_wipe(f->num, 16);
    }
    return MNV_OK;
}

/* 摘要: the figures' text, then "(5)氏名" for the dependants that do not fit the blocks. */
static void summary(const struct fill *f, char *buf, size_t size)
{
    size_t used = (size_t)snprintf(buf, size, "%s", payroll_value(&f->sl->fig, "summary.text"));
    for (int kids = 0; kids <= 1; kids++) {
        const int *idx = kids ? f->sl->kids : f->sl->ndeps_block;
        size_t n = kids ? f->sl->nkids : f->sl->nblock;
        for (size_t i = 4; i < n && used < size; i++) {
            const struct dependent *rec = record_of(f->sl, fig_dep(f->sl, idx[i]));
            used += (size_t)snprintf(buf + used, size - used, "%s(%zu)%s", used ? " " : "", i + 1,
                                     rec ? rec->name : "");
        }
    }
}

static void birth_item(const struct employee *e, const char *what, char *buf, size_t size)
{
    struct wareki_date w;
    buf[0] = '\0';
    if (wareki_split(e->birth_date, &w) != 0)
        return;
    if (!strcmp(what, "birth_era"))
        snprintf(buf, size, "%s", era_code(w.letter));
    else if (!strcmp(what, "birth_year"))
        snprintf(buf, size, "%02d", w.year % 100);
    else if (!strcmp(what, "birth_month"))
        snprintf(buf, size, "%02d", w.month);
    else
        snprintf(buf, size, "%02d", w.day);
}

static void employee_item(const struct fill *f, const char *what, char *buf, size_t size)
{
    const struct employee *e = &f->sl->emp;
    const char *v;
    if (!strcmp(what, "name"))
        snprintf(buf, size, "%s", e->name);
    else if (!strcmp(what, "kana"))
        snprintf(buf, size, "%s", e->kana);
    else if (!strcmp(what, "code"))
        snprintf(buf, size, "%s", e->code);
    else if (!strcmp(what, "address"))
        snprintf(buf, size, "%s",
                 (v = payroll_value(&f->sl->fig, "employee.address"))[0] ? v : e->address);
    else if (!strncmp(what, "birth_", 6))
        birth_item(e, what, buf, size);
    else if (!strcmp(what, "abroad"))
        snprintf(buf, size, "%s",
                 payroll_value(&f->sl->fig, "employee.abroad")[0] == '1' ? "1" : "");
    else
        snprintf(buf, size, "%s", payroll_value(&f->sl->fig, "employee.title"));
}

static void filing_item(const struct fill *f, const char *what, char *buf, size_t size)
{
    char iso[11];
    struct wareki_date w;
    snprintf(iso, sizeof(iso), "%04d-12-31", f->year);
    if (!strcmp(what, "correction"))
        snprintf(buf, size, "0");
    else if (!strcmp(what, "era_year"))
        snprintf(buf, size, "%02d", wareki_split(iso, &w) == 0 ? w.year % 100 : 0);
    else if (!strcmp(what, "create_kind"))
        snprintf(buf, size, "%s", f->sl->to_tax_office ? "2" : "1");
    else if (!strcmp(what, "date")) {
        char now[32];
        clock_format_local(now, sizeof(now), clock_now());
        snprintf(buf, size, "%.10s", now);
    } else
        buf[0] = '\0';
}

static void payer_item(const struct fill *f, const char *item, char *buf, size_t size)
{
    const char *what = item + strlen("payer.");
    if (!strcmp(what, "address"))
        snprintf(buf, size, "%s", f->p->address);
    else if (!strcmp(what, "name"))
        snprintf(buf, size, "%s", f->p->name);
    else if (!strcmp(what, "number"))
        snprintf(buf, size, "%s", f->p->number);
    else {
        buf[0] = '\0';
        const struct employer_field *e;
        for (size_t i = 0; (e = employer_field_at(i)) != NULL && i < 14; i++)
            if (!strcmp(e->item, item))
                snprintf(buf, size, "%s", f->p->extra[i]);
    }
}

/* The value of item into buf. */
static enum mnv_err item_value(struct fill *f, const struct form_field *fd, char *buf, size_t size,
                               struct mnv_diag *diag)
{
    const char *item = fd->item, *dot = strchr(item, '.');
    const char *what = dot ? dot + 1 : "";
    buf[0] = '\0';
    if (form_unit_is_event(f->r->layout->unit))
        return ins_item(f, fd, buf, size, diag);
    if (!strncmp(item, "payer.", 6))
        payer_item(f, item, buf, size);
    else if (!strncmp(item, "filing.", 7))
        filing_item(f, what, buf, size);
    else if (!strcmp(item, "employee.number")) {
        enum mnv_err err = slip_number(f, &f->sl->people[0], diag);
        snprintf(buf, size, "%s", f->num);
        secmem_wipe(f->num, 16);
        return err;
    } else if (!strncmp(item, "employee.", 9))
        employee_item(f, what, buf, size);
    else if (!strncmp(item, "spouse.", 7))
        return spouse_item(f, what, buf, size, diag);
    else if (!strncmp(item, "dependent", 9) && fd->slot)
        return block_item(f, item, fd->slot, buf, size, diag);
    else if (!strncmp(item, "child", 5) && fd->slot)
        return block_item(f, item, fd->slot, buf, size, diag);
    else if (!strcmp(item, "dependents.extra_numbers"))
        return extra_numbers(f, 0, buf, size, diag);
    else if (!strcmp(item, "children.extra_numbers"))
        return extra_numbers(f, 1, buf, size, diag);
    else if (!strcmp(item, "summary.text"))
        summary(f, buf, size);
    else if (!strncmp(item, "count.", 6)) {
        char n[24];
        snprintf(buf, size, "%s", count_of(f, item, n, sizeof(n)));
    } else if (!strncmp(item, "flag.", 5))
        snprintf(buf, size, "%s", payroll_value(&f->sl->fig, item)[0] == '1' ? "1" : "");
    else /* pay.*, previous.*, housing*, midyear.*, municipality.* as imported */
        snprintf(buf, size, "%s", payroll_value(&f->sl->fig, item));
    return MNV_OK;
}

/* Set field i; a value longer than the field can ever hold is cut at a character (the
 * check then reports it as too long) rather than stopping the export here. */
enum mnv_err slip_set_cut(struct form_record *r, size_t i, char *value, struct mnv_diag *diag)
{
    size_t n = strlen(value);
    if (n >= r->cap[i]) {
        n = r->cap[i] - 1;
        while (n > 0 && ((unsigned char)value[n] & 0xC0) == 0x80)
            n--;
        value[n] = '\0';
    }
    return form_record_set(r, i, value, diag);
}

enum mnv_err slip_fill(struct vault *v, const struct slip *sl, const struct payer *p, int year,
                       enum slip_fill mode, struct form_record *r, long *numbers,
                       struct mnv_diag *diag)
{
    const struct form_layout *l = r->layout;
    /* the record's scratch: the value being built, and the last 16 bytes for a number */
    char *buf = form_record_scratch(r);
    struct fill f = {v, sl, p, year, mode, r, 0, buf + FORM_SCRATCH_SIZE - 16};
    enum mnv_err err = MNV_OK;
    form_record_clear(r);
    r->person.kind = PERSON_EMPLOYEE;
    r->person.id = sl->emp.id;
    snprintf(r->code, sizeof(r->code), "%s", sl->emp.code);
    snprintf(r->group, sizeof(r->group), "%s", payroll_value(&sl->fig, "municipality.code"));
    for (size_t i = 0; err == MNV_OK && i < l->nfields; i++) {
        const struct form_field *fd = &l->fields[i];
        if (fd->fixed[0])
            err = form_record_set(r, i, fd->fixed, diag);
        else if (fd->item[0] &&
                 (err = item_value(&f, fd, buf, FORM_VALUE_MAX * 12, diag)) == MNV_OK)
            err = slip_set_cut(r, i, buf, diag);
        secmem_wipe(buf, FORM_VALUE_MAX * 12 + 16);
    }
    r->numbers = (size_t)f.numbers;
    if (numbers)
        *numbers = f.numbers;
    secmem_wipe(buf, FORM_SCRATCH_SIZE);
    return err;
}
