/*
 * export_ins.c: the source side of the insurance filings (export.h, form.h units shaho_join,
 * shaho_leave, fuyo, koyo_join, koyo_leave): which events fall in the period, the record of
 * one event (the employee, the dependants on it, their facts of insurance.h), and the values
 * of the insurance items, coded through the layout's [codes.*] tables (the pension office
 * and Hello Work number the same things differently; doc/insurance.md).
 */
#include "export_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/caldate.h"
#include "mnvault/clock.h"
#include "mnvault/employer.h"
#include "mnvault/insurancedb.h"
#include "mnvault/prefecture.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/vault.h"
#include "mnvault/wareki.h"

/* ---- which events ------------------------------------------------------------------------ */

/* The fact whose day makes an employee's event for unit u; NULL for fuyo. */
static const char *event_key(enum form_unit u)
{
    switch (u) {
    case FORM_UNIT_SHAHO_JOIN:
        return "shaho.acquired_on";
    case FORM_UNIT_SHAHO_LEAVE:
        return "shaho.lost_on";
    case FORM_UNIT_KOYO_JOIN:
        return "koyo.acquired_on";
    case FORM_UNIT_KOYO_LEAVE:
        return "koyo.left_on";
    default:
        return NULL;
    }
}

static int in_period(const char *day, const char *since, const char *until)
{
    return day[0] && strcmp(day, since) >= 0 && strcmp(day, until) <= 0;
}

/* One dependant's event (fuyo). */
struct dep_event {
    int64_t employee_id;
    int kind;   /* 1 join, 2 leave */
    int spouse; /* recorded as the spouse */
};

struct scan {
    struct vault *v;
    const struct form_layout *l;
    const char *since, *until;
    int64_t *units;
    size_t n, cap;
    struct dep_event *ev;
    size_t nev, capev;
};

static enum mnv_err add_unit(struct scan *sc, int64_t unit)
{
    int64_t *p = alloc_grow(sc->units, &sc->cap, sc->n + 1, sizeof(*p));
    if (!p)
        return MNV_ERR_NOMEM;
    sc->units = p;
    sc->units[sc->n++] = unit;
    return MNV_OK;
}

static enum mnv_err add_dep_event(struct scan *sc, const struct person_ref *ref, int64_t emp,
                                  int kind, struct mnv_diag *diag)
{
    struct dependent d;
    enum mnv_err err = persondb_dependent_get(sc->v, ref->id, &d, diag);
    if (err != MNV_OK)
        return err;
    struct dep_event *p = alloc_grow(sc->ev, &sc->capev, sc->nev + 1, sizeof(*p));
    if (!p)
        return MNV_ERR_NOMEM;
    sc->ev = p;
    sc->ev[sc->nev++] = (struct dep_event){emp, kind, d.relation == REL_SPOUSE};
    return MNV_OK;
}

static enum mnv_err scan_row(void *ud, const struct person_ref *ref, int64_t employee_id,
                             const char *text, size_t len)
{
    struct scan *sc = ud;
    struct insurance_facts f;
    enum mnv_err err = insurance_parse_copy(text, len, &f);
    const char *key = event_key(sc->l->unit);
    if (err == MNV_OK && key && ref->kind == PERSON_EMPLOYEE &&
        in_period(insurance_value(&f, key), sc->since, sc->until))
        err = add_unit(sc, EXPORT_UNIT(employee_id, 0));
    if (err == MNV_OK && !key && ref->kind == PERSON_DEPENDENT) {
        if (in_period(insurance_value(&f, "fuyo.since"), sc->since, sc->until))
            err = add_dep_event(sc, ref, employee_id, 1, NULL);
        if (err == MNV_OK && in_period(insurance_value(&f, "fuyo.until"), sc->since, sc->until))
            err = add_dep_event(sc, ref, employee_id, 2, NULL);
    }
    insurance_facts_free(&f);
    return err;
}

static int by_unit(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* fuyo: one record per employee and kind for the spouse and two others, more for more. */
static enum mnv_err fuyo_units(struct scan *sc)
{
    enum mnv_err err = MNV_OK;
    for (size_t i = 0; i < sc->nev && err == MNV_OK; i++) {
        const struct dep_event *e = &sc->ev[i];
        size_t first = 0, others = 0;
        while (first < i &&
               !(sc->ev[first].employee_id == e->employee_id && sc->ev[first].kind == e->kind))
            first++;
        if (first < i)
            continue; /* counted with the first of its kind */
        for (size_t k = i; k < sc->nev; k++)
            others += sc->ev[k].employee_id == e->employee_id && sc->ev[k].kind == e->kind &&
                      !sc->ev[k].spouse;
        size_t parts = others ? (others + 1) / 2 : 1;
        for (size_t p = 0; p < parts && p < 4 && err == MNV_OK; p++)
            err = add_unit(sc, EXPORT_UNIT(e->employee_id, (e->kind - 1) * 4 + (int)p));
    }
    return err;
}

enum mnv_err ins_units(struct vault *v, const struct form_layout *l, const char *since,
                       const char *until, const char *only_code, int64_t **out, size_t *count,
                       struct mnv_diag *diag)
{
    struct scan sc = {v, l, since, until, NULL, 0, 0, NULL, 0, 0};
    enum mnv_err err = insurancedb_each(v, scan_row, &sc, diag);
    if (err == MNV_OK && !event_key(l->unit))
        err = fuyo_units(&sc);
    free(sc.ev);
    size_t keep = 0;
    for (size_t i = 0; err == MNV_OK && i < sc.n; i++) {
        struct employee e;
        err = persondb_employee_get(v, EXPORT_UNIT_EMPLOYEE(sc.units[i]), &e, diag);
        if (err == MNV_OK && (!only_code || strcmp(e.code, only_code) == 0))
            sc.units[keep++] = sc.units[i];
    }
    if (err != MNV_OK) {
        free(sc.units);
        return err;
    }
    if (keep)
        qsort(sc.units, keep, sizeof(*sc.units), by_unit);
    *out = sc.units;
    *count = keep;
    return MNV_OK;
}

/* ---- one record -------------------------------------------------------------------------- */

static enum mnv_err load_facts(struct vault *v, struct slip *sl, struct mnv_diag *diag)
{
    struct person_ref ref = {PERSON_EMPLOYEE, sl->emp.id};
    enum mnv_err err = insurance_load(v, &ref, &sl->ins, diag);
    if (err == MNV_OK && sl->ndeps && !(sl->dins = calloc(sl->ndeps, sizeof(*sl->dins))))
        err = MNV_ERR_NOMEM;
    for (size_t i = 0; err == MNV_OK && i < sl->ndeps; i++) {
        ref = (struct person_ref){PERSON_DEPENDENT, sl->deps[i].id};
        err = insurance_load(v, &ref, &sl->dins[i], diag);
    }
    return err;
}

static void add(struct slip *sl, const struct form_layout *l, enum export_role role, int slot,
                int dep)
{
    static const char *const items[] = {"other1.number", "other2.number"};
    struct slip_person *p = slip_add_person(sl, role, slot, dep);
    const char *item = role == EXPORT_ROLE_EMPLOYEE ? "employee.number"
                       : role == EXPORT_ROLE_SPOUSE ? "spouse.number"
                                                    : items[slot - 1];
    p->needs_number = form_layout_field(l, item) != NULL;
    p->category3 =
        role == EXPORT_ROLE_SPOUSE && insurance_value(&sl->dins[dep], "fuyo.category3")[0] == '1';
}

/* fuyo: the spouse (part 0) and two others of the kind, in the order of the record. */
static void place_fuyo(struct slip *sl, const struct form_layout *l, int part)
{
    const char *key = sl->event == 1 ? "fuyo.since" : "fuyo.until";
    int others = 0;
    for (size_t i = 0; i < sl->ndeps; i++) {
        if (!in_period(insurance_value(&sl->dins[i], key), sl->since, sl->until))
            continue;
        if (sl->deps[i].relation == REL_SPOUSE) {
            if (part == 0 && sl->on_spouse < 0) {
                sl->on_spouse = (int)i;
                add(sl, l, EXPORT_ROLE_SPOUSE, 0, (int)i);
            }
            continue;
        }
        int slot = others - part * 2;
        others++;
        if (slot >= 0 && slot < 2) {
            sl->on_other[slot] = (int)i;
            add(sl, l, EXPORT_ROLE_DEPENDENT, slot + 1, (int)i);
        }
    }
}

enum mnv_err ins_slip_load(struct vault *v, const struct form_layout *l, const char *since,
                           const char *until, int64_t unit, struct slip *sl, struct mnv_diag *diag)
{
    memset(sl, 0, sizeof(*sl));
    sl->on_spouse = sl->on_other[0] = sl->on_other[1] = -1;
    snprintf(sl->since, sizeof(sl->since), "%s", since);
    snprintf(sl->until, sizeof(sl->until), "%s", until);
    int64_t id = EXPORT_UNIT_EMPLOYEE(unit);
    int sub = EXPORT_UNIT_SUB(unit);
    enum mnv_err err = persondb_employee_get(v, id, &sl->emp, diag);
    if (err == MNV_OK)
        err = persondb_dependents_of(v, id, &sl->deps, &sl->ndeps, diag);
    if (err == MNV_OK)
        err = load_facts(v, sl, diag);
    if (err != MNV_OK)
        return err;
    sl->to_tax_office = 1;
    sl->spouse = -1;
    add(sl, l, EXPORT_ROLE_EMPLOYEE, 0, -1);
    if (l->unit == FORM_UNIT_FUYO) {
        sl->event = sub / 4 + 1;
        place_fuyo(sl, l, sub % 4);
    }
    return MNV_OK;
}

void ins_event_of(const struct form_layout *l, const struct slip *sl, int *event, char day[11],
                  int64_t deps[3])
{
    deps[0] = deps[1] = deps[2] = 0;
    day[0] = '\0';
    const char *key = event_key(l->unit);
    if (key) {
        *event = l->unit == FORM_UNIT_SHAHO_JOIN || l->unit == FORM_UNIT_KOYO_JOIN ? FILING_ACQUIRE
                                                                                   : FILING_LOSE;
        snprintf(day, 11, "%s", insurance_value(&sl->ins, key));
        return;
    }
    *event = sl->event == 1 ? FILING_JOIN : FILING_LEAVE;
    const char *k = sl->event == 1 ? "fuyo.since" : "fuyo.until";
    int at[3] = {sl->on_spouse, sl->on_other[0], sl->on_other[1]};
    for (int i = 0; i < 3; i++)
        if (at[i] >= 0) {
            deps[i] = sl->deps[at[i]].id;
            if (!day[0])
                snprintf(day, 11, "%s", insurance_value(&sl->dins[at[i]], k));
        }
}

/* ---- values ------------------------------------------------------------------------------ */

/* The layout's code for word in table ("" when it has none). */
static const char *code(const struct form_layout *l, const char *table, const char *word)
{
    const char *c = word[0] ? form_layout_code(l, table, word) : NULL;
    return c ? c : "";
}

/* An ISO date as the era code of l ([codes.era]) or YYMMDD in that era. */
static void era_date(const struct form_layout *l, const char *iso, int ymd, char *buf, size_t size)
{
    struct wareki_date w;
    char letter[2];
    buf[0] = '\0';
    if (!iso[0] || wareki_split(iso, &w) != 0)
        return;
    if (ymd) {
        snprintf(buf, size, "%02d%02d%02d", w.year % 100, w.month, w.day);
        return;
    }
    letter[0] = (char)(w.letter - 'A' + 'a');
    letter[1] = '\0';
    snprintf(buf, size, "%s", code(l, "era", letter));
}

/* The day before an ISO date. */
static void day_before(const char *iso, char out[CALDATE_ISO_SIZE])
{
    int32_t d;
    out[0] = '\0';
    if (iso[0] && caldate_parse(iso, &d) == 0)
        caldate_format(d - 1, out);
}

/* Part n (0-based) of text split at '-' ("03-1234-5678", "123-4567", "01-ｱｲｳ"). */
static void part(const char *text, int n, char *buf, size_t size)
{
    const char *p = text;
    for (int i = 0; i < n && p; i++)
        p = strchr(p, '-') ? strchr(p, '-') + 1 : NULL;
    const char *end = p ? strchr(p, '-') : NULL;
    if (!p)
        buf[0] = '\0';
    else
        snprintf(buf, size, "%.*s", (int)(end ? (size_t)(end - p) : strlen(p)), p);
}

static const char *payer_detail(const struct payer *p, const char *key)
{
    const struct employer_field *e;
    for (size_t i = 0; (e = employer_field_at(i)) != NULL && i < MNV_ARRAY_LEN(p->extra); i++)
        if (strcmp(e->key, key) == 0)
            return p->extra[i];
    return "";
}

/* office.*, media.*, filing.*: the same for every record and the head. */
static int office_item(const struct form_layout *l, const struct payer *p, const char *item,
                       char *buf, size_t size)
{
    const char *dot = strchr(item, '.');
    const char *what = dot ? dot + 1 : item;
    char today[CALDATE_ISO_SIZE];
    caldate_format(clock_today(), today);
    int office = !strncmp(item, "office.", 7);
    if (!strcmp(item, "office.prefecture")) {
        char jis[8];
        snprintf(jis, sizeof(jis), "%d", prefecture_find(payer_detail(p, "insurance_prefecture")));
        snprintf(buf, size, "%s", code(l, "prefecture", jis));
    } else if (office && (!strcmp(what, "district") || !strcmp(what, "symbol")))
        part(payer_detail(p, "insurance_symbol"), what[0] == 's', buf, size);
    else if (office && !strncmp(what, "postal_", 7))
        part(payer_detail(p, "insurance_postal"), what[7] == 'c', buf, size);
    else if (office && !strncmp(what, "phone", 5) && what[5])
        part(payer_detail(p, "insurance_phone"), what[5] - '1', buf, size);
    else if (office) {
        char key[40];
        snprintf(key, sizeof(key), "%s%s", strcmp(what, "koyo_number") ? "insurance_" : "", what);
        snprintf(buf, size, "%s", payer_detail(p, key));
    } else if (!strcmp(item, "media.serial"))
        snprintf(buf, size, "%s", p->serial);
    else if (!strcmp(item, "filing.yyyymmdd"))
        snprintf(buf, size, "%.4s%.2s%.2s", today, today + 5, today + 8);
    else if (!strcmp(item, "filing.receipt_era") || !strcmp(item, "filing.receipt_ymd"))
        era_date(l, today, what[8] == 'y', buf, size);
    else if (!strcmp(item, "filing.date"))
        snprintf(buf, size, "%s", today);
    else
        return 0;
    return 1;
}

/* Does the employee's number go into this record? */
static int number_goes(const struct fill *f)
{
    const struct slip_person *p = &f->sl->people[0];
    return p->needs_number && !p->gap && f->mode != SLIP_NO_NUMBERS;
}

/* The pension office's forms: with the number, no address and no 基礎年金番号. */
static int address_hidden(const struct fill *f)
{
    enum form_unit u = f->r->layout->unit;
    return number_goes(f) && u != FORM_UNIT_KOYO_JOIN && u != FORM_UNIT_KOYO_LEAVE;
}

static void person_item(const struct form_layout *l, const char *what, const char *name,
                        const char *kana, const char *birth, enum person_sex sex, char *buf,
                        size_t size)
{
    if (!strcmp(what, "name"))
        snprintf(buf, size, "%s", name);
    else if (!strcmp(what, "kana"))
        snprintf(buf, size, "%s", kana);
    else if (!strcmp(what, "kana_full"))
        snprintf(buf, size, "%s", kana);
    else if (!strcmp(what, "birth_era") || !strcmp(what, "birth_ymd"))
        era_date(l, birth, what[6] == 'y', buf, size);
    else if (!strcmp(what, "birth_date"))
        snprintf(buf, size, "%s", birth);
    else if (!strcmp(what, "sex"))
        snprintf(buf, size, "%s", sex == SEX_MALE ? "1" : sex == SEX_FEMALE ? "2" : "");
}

static enum mnv_err employee_item(struct fill *f, const char *what, char *buf, size_t size,
                                  struct mnv_diag *diag)
{
    const struct employee *e = &f->sl->emp;
    const struct form_layout *l = f->r->layout;
    int no_number = !address_hidden(f);
    if (!strcmp(what, "number") || !strcmp(what, "number_or_note")) {
        enum mnv_err err = slip_number(f, &f->sl->people[0], diag);
        snprintf(buf, size, "%s", f->num);
        secmem_wipe(f->num, 16);
        return err;
    }
    if (!strcmp(what, "kind"))
        snprintf(buf, size, "%s",
                 code(l, "employee.kind",
                      insurance_value(&f->sl->ins, "shaho.miner")[0] ? "miner"
                      : e->sex == SEX_MALE                           ? "m"
                      : e->sex == SEX_FEMALE                         ? "f"
                                                                     : ""));
    else if (!strcmp(what, "sex"))
        snprintf(buf, size, "%s",
                 code(l, "employee.sex",
                      e->sex == SEX_MALE     ? "m"
                      : e->sex == SEX_FEMALE ? "f"
                                             : ""));
    else if (!strncmp(what, "pension_", 8) && no_number)
        part(e->pension_no, what[8] == 's', buf, size);
    else if (!strncmp(what, "postal_", 7) && no_number)
        part(e->postal_code, what[7] == 'c', buf, size);
    else if (!strcmp(what, "address") && no_number)
        snprintf(buf, size, "%s", e->address);
    else if (!strcmp(what, "address_kana") && no_number)
        snprintf(buf, size, "%s", insurance_value(&f->sl->ins, "shaho.address_kana"));
    else if (!strcmp(what, "emp_ins_no"))
        snprintf(buf, size, "%s", e->emp_ins_no);
    else if (!strcmp(what, "code"))
        snprintf(buf, size, "%s", e->code);
    else
        person_item(l, what, e->name, e->kana, e->birth_date, e->sex, buf, size);
    return MNV_OK;
}

/* 被扶養者の有無 on the day of the acquisition. */
static const char *has_dependants(const struct slip *sl)
{
    const char *day = insurance_value(&sl->ins, "shaho.acquired_on");
    for (size_t i = 0; i < sl->ndeps; i++) {
        const char *since = insurance_value(&sl->dins[i], "fuyo.since");
        const char *until = insurance_value(&sl->dins[i], "fuyo.until");
        if (since[0] && strcmp(since, day) <= 0 && (!until[0] || strcmp(until, day) > 0))
            return "1";
    }
    return "0";
}

/* 退職日又は死亡日: given, or the record's retirement date, for the causes that take it. */
static const char *left_day(const struct slip *sl)
{
    const char *cause = insurance_value(&sl->ins, "shaho.loss_cause");
    if (strcmp(cause, "retirement") != 0 && strcmp(cause, "death") != 0)
        return "";
    const char *left = insurance_value(&sl->ins, "shaho.left_on");
    return left[0] ? left : sl->emp.retire_date;
}

static void shaho_item(const struct fill *f, const char *what, char *buf, size_t size)
{
    const struct slip *sl = f->sl;
    const struct form_layout *l = f->r->layout;
    const struct insurance_facts *in = &sl->ins;
    char key[64];
    snprintf(key, sizeof(key), "shaho.%s", what);
    if (!strcmp(what, "acquired_era") || !strcmp(what, "acquired_ymd"))
        era_date(l, insurance_value(in, "shaho.acquired_on"), what[9] == 'y', buf, size);
    else if (!strcmp(what, "lost_era") || !strcmp(what, "lost_ymd"))
        era_date(l, insurance_value(in, "shaho.lost_on"), what[5] == 'y', buf, size);
    else if (!strcmp(what, "left_era") || !strcmp(what, "left_ymd"))
        era_date(l, left_day(sl), what[5] == 'y', buf, size);
    else if (!strcmp(what, "over70_off"))
        snprintf(buf, size, "%s", insurance_value(in, "shaho.over70"));
    else if (!strcmp(what, "over70_off_era") || !strcmp(what, "over70_off_ymd")) {
        const char *left = left_day(sl);
        if (insurance_value(in, "shaho.over70")[0])
            era_date(l, left[0] ? left : insurance_value(in, "shaho.lost_on"), what[11] == 'y', buf,
                     size);
    } else if (!strcmp(what, "dependants"))
        snprintf(buf, size, "%s", has_dependants(sl));
    else if (!strcmp(what, "pay_total")) {
        const char *a = insurance_value(in, "shaho.pay_cash"),
                   *b = insurance_value(in, "shaho.pay_kind");
        long long t = atoll(a) + atoll(b);
        if (a[0] || b[0])
            snprintf(buf, size, "%lld", t > 9999999 ? 9999999LL : t);
    } else if (!strcmp(what, "pay_cash") || !strcmp(what, "pay_kind")) {
        long long v = atoll(insurance_value(in, key));
        if (insurance_value(in, key)[0])
            snprintf(buf, size, "%lld", v > 9999999 ? 9999999LL : v);
    } else if (!strcmp(what, "acquire_kind") || !strcmp(what, "loss_cause"))
        snprintf(buf, size, "%s", code(l, key, insurance_value(in, key)));
    else if (!strcmp(what, "no_address_reason")) {
        if (!number_goes(f))
            snprintf(buf, size, "%s", code(l, key, insurance_value(in, key)));
    } else
        snprintf(buf, size, "%s", insurance_value(in, key));
}

/* The spouse's or another dependant's value; d < 0: nobody on that place. */
static enum mnv_err dep_item(struct fill *f, int d, const char *table, const char *what, char *buf,
                             size_t size, struct mnv_diag *diag)
{
    if (d < 0)
        return MNV_OK;
    const struct slip *sl = f->sl;
    const struct dependent *dp = &sl->deps[d];
    const struct insurance_facts *in = &sl->dins[d];
    const struct form_layout *l = f->r->layout;
    int apart = !strcmp(insurance_value(in, "fuyo.living"), "apart");
    char t[48], k[48];
    snprintf(t, sizeof(t), "%s.%s", table, what);
    if (!strcmp(what, "number")) {
        for (size_t i = 0; i < sl->npeople; i++)
            if (sl->people[i].dep == d) {
                enum mnv_err err = slip_number(f, &sl->people[i], diag);
                snprintf(buf, size, "%s", f->num);
                secmem_wipe(f->num, 16);
                return err;
            }
    } else if (!strcmp(what, "relation") && !strcmp(table, "spouse"))
        snprintf(buf, size, "%s",
                 code(l, t,
                      dp->sex == SEX_MALE     ? "m"
                      : dp->sex == SEX_FEMALE ? "f"
                                              : ""));
    else if (!strcmp(what, "relation"))
        snprintf(buf, size, "%s", code(l, t, person_relation_name(dp->relation)));
    else if (!strcmp(what, "sex"))
        snprintf(buf, size, "%s",
                 code(l, t,
                      dp->sex == SEX_MALE     ? "m"
                      : dp->sex == SEX_FEMALE ? "f"
                                              : ""));
    else if (!strncmp(what, "pension_", 8))
        part(insurance_value(in, "fuyo.pension_no"), what[8] == 's', buf, size);
    else if (!strcmp(what, "living"))
        snprintf(buf, size, "%s", code(l, "living", insurance_value(in, "fuyo.living")));
    else if (!strncmp(what, "postal_", 7))
        part(apart ? insurance_value(in, "fuyo.postal") : sl->emp.postal_code, what[7] == 'c', buf,
             size);
    else if (!strcmp(what, "address"))
        snprintf(buf, size, "%s", apart ? insurance_value(in, "fuyo.address") : sl->emp.address);
    else if (!strncmp(what, "phone", 5) && what[5] >= '1' && what[5] <= '3')
        part(insurance_value(in, "fuyo.phone"), what[5] - '1', buf, size);
    else if (!strcmp(what, "since_era") || !strcmp(what, "since_ymd"))
        era_date(l, insurance_value(in, "fuyo.since"), what[6] == 'y', buf, size);
    else if ((!strcmp(what, "until_era") || !strcmp(what, "until_ymd")) && sl->event == 2)
        era_date(l, insurance_value(in, "fuyo.until"), what[6] == 'y', buf, size);
    else if ((!strcmp(what, "death_era") || !strcmp(what, "death_ymd")) && sl->event == 2 &&
             !strcmp(insurance_value(in, "fuyo.end_reason"), "death")) {
        char before[CALDATE_ISO_SIZE];
        day_before(insurance_value(in, "fuyo.until"), before);
        era_date(l, before, what[6] == 'y', buf, size);
    } else if (!strncmp(what, "end_reason", 10) && sl->event != 2)
        return MNV_OK;
    else if (!strcmp(what, "income") || !strcmp(what, "yearly_income"))
        snprintf(buf, size, "%s", insurance_value(in, "fuyo.income"));
    else if (!strcmp(what, "reason") || !strcmp(what, "occupation") ||
             !strcmp(what, "end_reason") || !strcmp(what, "phone_kind")) {
        snprintf(k, sizeof(k), "fuyo.%s", what);
        snprintf(buf, size, "%s", code(l, t, insurance_value(in, k)));
    } else if (!strcmp(what, "reason_text") || !strcmp(what, "end_reason_text") ||
               !strcmp(what, "card")) {
        snprintf(k, sizeof(k), "fuyo.%s", what);
        snprintf(buf, size, "%s", insurance_value(in, k));
    } else
        person_item(l, what, dp->name, dp->kana, dp->birth_date, dp->sex, buf, size);
    return MNV_OK;
}

/* 雇用保険: the facts, coded by the layout; 備考 says why no number is given. */
static void koyo_item(const struct fill *f, const char *what, char *buf, size_t size)
{
    static const char *const coded[] = {
        "acquire_kind", "cause",   "wage_mode",  "employment_type", "occupation", "route",
        "fixed_term",   "renewal", "loss_cause", "separation_slip", "replacement"};
    const struct insurance_facts *in = &f->sl->ins;
    const struct form_layout *l = f->r->layout;
    char key[48];
    snprintf(key, sizeof(key), "koyo.%s", what);
    for (size_t i = 0; i < MNV_ARRAY_LEN(coded); i++)
        if (!strcmp(what, coded[i])) {
            snprintf(buf, size, "%s", code(l, key, insurance_value(in, key)));
            return;
        }
    if (!strcmp(what, "wage_thousands")) {
        const char *w = insurance_value(in, "koyo.wage");
        if (w[0])
            snprintf(buf, size, "%lld", atoll(w) / 1000);
    } else if (!strcmp(what, "acquired_era") || !strcmp(what, "acquired_ymd"))
        era_date(l, insurance_value(in, "koyo.acquired_on"), what[9] == 'y', buf, size);
    else if (!strcmp(what, "hours") || !strcmp(what, "minutes")) {
        const char *h = insurance_value(in, "koyo.weekly_hours"), *colon = strchr(h, ':');
        if (colon)
            snprintf(buf, size, "%.*s", what[0] == 'h' ? (int)(colon - h) : 2,
                     what[0] == 'h' ? h : colon + 1);
    } else if (!strcmp(what, "note")) {
        const char *note = insurance_value(in, "koyo.note");
        int refused = f->sl->people[0].gap == EXPORT_GAP_REFUSED;
        snprintf(buf, size, "%s%s%s", note, note[0] && refused ? "　" : "",
                 refused ? "本人事由によりマイナンバー届出不可" : "");
    } else
        snprintf(buf, size, "%s", insurance_value(in, key));
}

enum mnv_err ins_item(struct fill *f, const struct form_field *fd, char *buf, size_t size,
                      struct mnv_diag *diag)
{
    const char *item = fd->item, *dot = strchr(item, '.');
    const char *what = dot ? dot + 1 : "";
    const struct form_layout *l = f->r->layout;
    buf[0] = '\0';
    if (office_item(l, f->p, item, buf, size) || !f->sl)
        return MNV_OK;
    if (!strncmp(item, "employee.", 9))
        return employee_item(f, what, buf, size, diag);
    if (!strncmp(item, "shaho.", 6))
        shaho_item(f, what, buf, size);
    else if (!strcmp(item, "fuyo.kind"))
        snprintf(buf, size, "%s", code(l, "fuyo.kind", f->sl->event == 1 ? "join" : "leave"));
    else if (!strncmp(item, "koyo.", 5))
        koyo_item(f, what, buf, size);
    else if (!strncmp(item, "spouse.", 7))
        return dep_item(f, f->sl->on_spouse, "spouse", what, buf, size, diag);
    else if (!strncmp(item, "other", 5) && fd->slot >= 1 && fd->slot <= 2)
        return dep_item(f, f->sl->on_other[fd->slot - 1], "other", what, buf, size, diag);
    return MNV_OK;
}

enum mnv_err ins_head_fill(const struct form_layout *l, const struct payer *p,
                           struct form_record *r, struct mnv_diag *diag)
{
    const struct form_layout *h = r->layout;
    char buf[FORM_VALUE_MAX + 1];
    enum mnv_err err = MNV_OK;
    form_record_clear(r);
    for (size_t i = 0; err == MNV_OK && i < h->nfields; i++) {
        const struct form_field *fd = &h->fields[i];
        buf[0] = '\0';
        if (fd->fixed[0])
            snprintf(buf, sizeof(buf), "%s", fd->fixed);
        else if (fd->item[0])
            office_item(l, p, fd->item, buf, sizeof(buf));
        err = slip_set_cut(r, i, buf, diag);
    }
    return err;
}

enum mnv_err ins_filings_record(struct session *s, struct vault *v, struct filing_row *rows,
                                size_t n, int64_t custody_id, struct mnv_diag *diag)
{
    enum mnv_err err = MNV_OK;
    for (size_t i = 0; err == MNV_OK && i < n; i++) {
        rows[i].custody_id = custody_id;
        rows[i].recorded_at = clock_now();
        snprintf(rows[i].recorded_by, sizeof(rows[i].recorded_by), "%s", session_user(s));
        err = insurancedb_filing_add(v, &rows[i], diag);
    }
    return err;
}
