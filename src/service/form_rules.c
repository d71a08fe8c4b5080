/*
 * form_rules.c: a layout's conditional rules (the [rules] section, doc/forms.md) — read
 * when the layout is loaded, checked on every record by form_record_check().
 *
 *   name = CONDITION => REQUIREMENT | why
 *   CONDITION    always | N filled | N empty | N in a b … | N not a b …, joined by "and"
 *   REQUIREMENT  N M … filled | N M … empty | N in a b … | N sum A B … |
 *                E,Y day_after E2,Y2 | E,Y same_day E2,Y2 | E,Y not_future
 * N are field positions; E,Y a date written as an era code (the layout's [codes.era]) and
 * YYMMDD. A record that meets the condition and not the requirement gets a fault
 * MNV_ERR_FORM_RULE on the requirement's (first) field, with the rule's name.
 */
#include "form_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/caldate.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"

#define RULE_FIELDS 12
#define RULE_VALUES 12
#define RULE_TERMS 4

enum cond_kind { C_ALWAYS, C_FILLED, C_EMPTY, C_IN, C_NOT };
enum req_kind { R_FILLED, R_EMPTY, R_IN, R_SUM, R_DAY_AFTER, R_SAME_DAY, R_NOT_FUTURE };

struct term {
    enum cond_kind kind;
    int field;
    char values[RULE_VALUES][FORM_FIXED_MAX + 1];
    int nvalues;
};

struct form_rule {
    char name[48];
    struct term cond[RULE_TERMS];
    int nconds;
    enum req_kind kind;
    int fields[RULE_FIELDS]; /* the requirement's fields (R_SUM: [0] = [1] + [2] + …) */
    int nfields;
    char values[RULE_VALUES][FORM_FIXED_MAX + 1];
    int nvalues;
    int date[4]; /* day_after, same_day: era, ymd of the first date, then of the second */
};

struct form_rules {
    struct form_rule *items;
    size_t count;
};

/* Split s in place at spaces into words[]; returns how many (at most max). */
static int words(char *s, char **w, int max)
{
    int n = 0;
    for (char *p = strtok(s, " \t"); p && n < max; p = strtok(NULL, " \t"))
        w[n++] = p;
    return n;
}

/* A field position of l (1..nfields), or 0. */
static int field_at(const struct form_layout *l, const char *t)
{
    char *end;
    long v = strtol(t, &end, 10);
    return (*end || v < 1 || (size_t)v > l->nfields) ? 0 : (int)v;
}

/* "E,Y" into two positions. */
static int date_pair(const struct form_layout *l, const char *t, int *era, int *ymd)
{
    char a[16], b[16];
    if (sscanf(t, "%15[0-9],%15[0-9]", a, b) != 2)
        return -1;
    *era = field_at(l, a);
    *ymd = field_at(l, b);
    return *era && *ymd ? 0 : -1;
}

static const char *parse_cond(const struct form_layout *l, char *text, struct form_rule *r)
{
    char *w[32];
    int n = words(text, w, 32);
    if (n == 1 && strcmp(w[0], "always") == 0)
        return NULL;
    for (int i = 0; i < n;) {
        if (r->nconds == RULE_TERMS)
            return N_("too many terms in a condition");
        struct term *t = &r->cond[r->nconds++];
        if (i + 1 >= n || !(t->field = field_at(l, w[i])))
            return N_("a condition starts with a field position");
        const char *k = w[i + 1];
        i += 2;
        if (strcmp(k, "filled") == 0)
            t->kind = C_FILLED;
        else if (strcmp(k, "empty") == 0)
            t->kind = C_EMPTY;
        else if (strcmp(k, "in") == 0 || strcmp(k, "not") == 0) {
            t->kind = k[0] == 'i' ? C_IN : C_NOT;
            while (i < n && strcmp(w[i], "and") != 0 && t->nvalues < RULE_VALUES)
                snprintf(t->values[t->nvalues++], FORM_FIXED_MAX + 1, "%s", w[i++]);
            if (!t->nvalues)
                return N_("in/not needs values");
        } else
            return N_("a condition is filled, empty, in or not");
        if (i < n && strcmp(w[i++], "and") != 0)
            return N_("terms of a condition are joined by and");
    }
    return NULL;
}

static const char *parse_req(const struct form_layout *l, char *text, struct form_rule *r)
{
    char *w[32];
    int n = words(text, w, 32);
    if (n == 3 && (!strcmp(w[1], "day_after") || !strcmp(w[1], "same_day"))) {
        r->kind = w[1][0] == 'd' ? R_DAY_AFTER : R_SAME_DAY;
        if (date_pair(l, w[0], &r->date[0], &r->date[1]) ||
            date_pair(l, w[2], &r->date[2], &r->date[3]))
            return N_("dates are written as era,ymd positions");
        r->fields[r->nfields++] = r->date[1];
        return NULL;
    }
    if (n == 2 && strcmp(w[1], "not_future") == 0) {
        r->kind = R_NOT_FUTURE;
        if (date_pair(l, w[0], &r->date[0], &r->date[1]))
            return N_("dates are written as era,ymd positions");
        r->fields[r->nfields++] = r->date[1];
        return NULL;
    }
    int i = 0;
    while (i < n && field_at(l, w[i]) && r->nfields < RULE_FIELDS)
        r->fields[r->nfields++] = field_at(l, w[i++]);
    if (!r->nfields || i >= n)
        return N_("a requirement names fields, then filled, empty, in or sum");
    const char *k = w[i++];
    if (strcmp(k, "filled") == 0 || strcmp(k, "empty") == 0) {
        r->kind = k[0] == 'f' ? R_FILLED : R_EMPTY;
        return i == n ? NULL : N_("nothing may follow filled or empty");
    }
    if (strcmp(k, "in") == 0) {
        r->kind = R_IN;
        while (i < n && r->nvalues < RULE_VALUES)
            snprintf(r->values[r->nvalues++], FORM_FIXED_MAX + 1, "%s", w[i++]);
        return r->nvalues && r->nfields == 1 ? NULL : N_("one field in values");
    }
    if (strcmp(k, "sum") == 0 && r->nfields == 1) {
        r->kind = R_SUM;
        while (i < n && r->nfields < RULE_FIELDS)
            if (!(r->fields[r->nfields++] = field_at(l, w[i++])))
                return N_("sum of field positions");
        return r->nfields > 2 ? NULL : N_("sum of field positions");
    }
    return N_("a requirement is filled, empty, in, sum, day_after, same_day or not_future");
}

static const char *parse_rule(const struct form_layout *l, const char *name, const char *value,
                              struct form_rule *r)
{
    char buf[512];
    memset(r, 0, sizeof(*r));
    if (strlen(name) >= sizeof(r->name) || strlen(value) >= sizeof(buf))
        return N_("too long");
    snprintf(r->name, sizeof(r->name), "%s", name);
    snprintf(buf, sizeof(buf), "%s", value);
    char *bar = strchr(buf, '|');
    if (bar)
        *bar = '\0';
    char *arrow = strstr(buf, "=>");
    if (!arrow)
        return N_("a rule is CONDITION => REQUIREMENT | why");
    *arrow = '\0';
    const char *why = parse_cond(l, buf, r);
    return why ? why : parse_req(l, arrow + 2, r);
}

enum mnv_err form_rules_read(struct form_layout *l, struct mnv_diag *diag)
{
    const struct form_extra *x = l->extra;
    size_t n = 0;
    for (size_t i = 0; x && i < x->count; i++)
        n += strncmp(x->keys[i], "rules.", 6) == 0;
    if (!n)
        return MNV_OK;
    struct form_rules *rs = calloc(1, sizeof(*rs));
    if (!rs || !(rs->items = calloc(n, sizeof(*rs->items)))) {
        free(rs);
        return MNV_ERR_NOMEM;
    }
    l->rules = rs;
    for (size_t i = 0; i < x->count; i++) {
        const char *key = x->keys[i];
        if (strncmp(key, "rules.", 6) != 0)
            continue;
        const char *why = parse_rule(l, key + 6, x->vals[i], &rs->items[rs->count]);
        if (why) {
            mnv_diag_item(diag, "[rules] %s", key + 6);
            mnv_diag_detail(diag, "%s", why);
            return MNV_ERR_FORM_FILE;
        }
        rs->count++;
    }
    return MNV_OK;
}

void form_rules_free(struct form_rules *rs)
{
    if (rs)
        free(rs->items);
    free(rs);
}

/* ---- checking ---------------------------------------------------------------------------- */

static const char *val(const struct form_record *r, int pos)
{
    return form_record_get(r, (size_t)pos - 1);
}

static int in_list(const char *v, char list[][FORM_FIXED_MAX + 1], int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v, list[i]) == 0)
            return 1;
    return 0;
}

static int cond_holds(const struct form_record *r, const struct form_rule *ru)
{
    for (int i = 0; i < ru->nconds; i++) {
        const struct term *t = &ru->cond[i];
        const char *v = val(r, t->field);
        int ok = t->kind == C_FILLED  ? v[0] != '\0'
                 : t->kind == C_EMPTY ? v[0] == '\0'
                 : t->kind == C_IN
                     ? in_list(v, (char(*)[FORM_FIXED_MAX + 1]) t->values, t->nvalues)
                     : !in_list(v, (char(*)[FORM_FIXED_MAX + 1]) t->values, t->nvalues);
        if (!ok)
            return 0;
    }
    return 1;
}

int32_t form_era_day(const struct form_layout *l, const char *era, const char *ymd)
{
    static const struct {
        char letter;
        int y, m, d;
    } eras[] = {{'m', 1868, 1, 25},
                {'t', 1912, 7, 30},
                {'s', 1926, 12, 25},
                {'h', 1989, 1, 8},
                {'r', 2019, 5, 1}};
    if (!era[0] || strlen(ymd) != 6)
        return CALDATE_NONE;
    for (size_t i = 0; i < MNV_ARRAY_LEN(eras); i++) {
        char key[24];
        snprintf(key, sizeof(key), "codes.era.%c", eras[i].letter);
        const char *code = form_layout_extra(l, key);
        if (!code || strcmp(code, era) != 0)
            continue;
        int y = eras[i].y + (ymd[0] - '0') * 10 + (ymd[1] - '0') - 1;
        int m = (ymd[2] - '0') * 10 + (ymd[3] - '0'), d = (ymd[4] - '0') * 10 + (ymd[5] - '0');
        return caldate_valid(y, m, d) ? caldate_from_ymd(y, m, d) : CALDATE_NONE;
    }
    return CALDATE_NONE;
}

static int req_holds(const struct form_record *r, const struct form_rule *ru, int *bad)
{
    const struct form_layout *l = r->layout;
    *bad = ru->fields[0];
    switch (ru->kind) {
    case R_FILLED:
    case R_EMPTY:
        for (int i = 0; i < ru->nfields; i++)
            if ((val(r, ru->fields[i])[0] != '\0') != (ru->kind == R_FILLED)) {
                *bad = ru->fields[i];
                return 0;
            }
        return 1;
    case R_IN:
        return in_list(val(r, ru->fields[0]), (char(*)[FORM_FIXED_MAX + 1]) ru->values,
                       ru->nvalues);
    case R_SUM: {
        long long sum = 0, cap = 1;
        for (unsigned k = 0; k < l->fields[ru->fields[0] - 1].length && cap < 1000000000000LL; k++)
            cap *= 10;
        for (int i = 1; i < ru->nfields; i++)
            sum += atoll(val(r, ru->fields[i]));
        if (sum > cap - 1)
            sum = cap - 1;
        return atoll(val(r, ru->fields[0])) == sum;
    }
    case R_NOT_FUTURE: {
        int32_t d = form_era_day(l, val(r, ru->date[0]), val(r, ru->date[1]));
        return d == CALDATE_NONE || d <= clock_today();
    }
    default: {
        int32_t a = form_era_day(l, val(r, ru->date[0]), val(r, ru->date[1]));
        int32_t b = form_era_day(l, val(r, ru->date[2]), val(r, ru->date[3]));
        if (a == CALDATE_NONE || b == CALDATE_NONE)
            return 1; /* a missing or bad date is another rule's or field's fault */
        return a == b + (ru->kind == R_DAY_AFTER ? 1 : 0);
    }
    }
}

size_t form_rules_check(const struct form_record *r, struct form_fault *faults, size_t max)
{
    const struct form_rules *rs = r->layout->rules;
    size_t count = 0;
    for (size_t i = 0; rs && i < rs->count; i++) {
        const struct form_rule *ru = &rs->items[i];
        int bad;
        if (!cond_holds(r, ru) || req_holds(r, ru, &bad))
            continue;
        if (count < max) {
            const struct form_field *f = &r->layout->fields[bad - 1];
            struct form_fault *x = &faults[count];
            memset(x, 0, sizeof(*x));
            x->line = r->line;
            snprintf(x->code, sizeof(x->code), "%s", r->code);
            x->pos = f->pos;
            snprintf(x->field, sizeof(x->field), "%s", f->name);
            x->err = MNV_ERR_FORM_RULE;
            snprintf(x->rule, sizeof(x->rule), "%s", ru->name);
        }
        count++;
    }
    return count;
}

size_t form_rules_clear(struct form_record *r, int *cleared, size_t max)
{
    const struct form_rules *rs = r->layout->rules;
    size_t count = 0;
    for (size_t i = 0; rs && i < rs->count; i++) {
        const struct form_rule *ru = &rs->items[i];
        if (ru->kind != R_EMPTY || !cond_holds(r, ru))
            continue;
        for (int k = 0; k < ru->nfields; k++) {
            if (!val(r, ru->fields[k])[0] ||
                form_record_set(r, (size_t)ru->fields[k] - 1, "", NULL))
                continue;
            if (count < max)
                cleared[count] = ru->fields[k];
            count++;
        }
    }
    return count;
}

const char *form_rule_why(const struct form_layout *l, const char *name, char *buf, size_t size)
{
    char key[64];
    snprintf(key, sizeof(key), "rules.%s", name);
    const char *v = form_layout_extra(l, key), *bar = v ? strchr(v, '|') : NULL;
    buf[0] = '\0';
    if (bar) {
        bar++;
        while (*bar == ' ')
            bar++;
        snprintf(buf, size, "%s", bar);
    }
    return buf;
}
