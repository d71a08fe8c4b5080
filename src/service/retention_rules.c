/*
 * retention_rules.c: the retention rules (data/retention.ini) and the verdict for one
 * number from its events. Pure computation: no vault, no clock (retention.c brings both).
 */
#include "mnvault/retention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iniparser.h>

#include "mnvault/caldate.h"
#include "mnvault/i18n.h"
#include "mnvault/inidata.h"

static const char *const from_names[] = {
    [RFROM_NEXT_DAY] = "next_day",
    [RFROM_JAN11_NEXT_YEAR] = "jan11_next_year",
    [RFROM_FEB1_NEXT_YEAR] = "feb1_next_year",
};

static const char *const state_names[] = {
    [RETENTION_NEEDED] = "needed", [RETENTION_RUNNING] = "running", [RETENTION_DUE] = "due",
    [RETENTION_HELD] = "held",     [RETENTION_NO_RULE] = "no_rule",
};

static const char *const state_labels[] = {
    [RETENTION_NEEDED] = N_("needed"),
    [RETENTION_RUNNING] = N_("retention running"),
    [RETENTION_DUE] = N_("due for disposal"),
    [RETENTION_HELD] = N_("on hold"),
    [RETENTION_NO_RULE] = N_("no retention rule"),
};

static const char *const event_labels[REV__COUNT] = {
    [REV_RETIREMENT] = N_("retirement"),
    [REV_DEPENDANT_LEFT] = N_("left the employee's dependants (扶養)"),
    [REV_HEALTH_PENSION_LOSS] = N_("lost health insurance and pension coverage"),
    [REV_EMPLOYMENT_INSURANCE_LOSS] = N_("lost employment insurance coverage"),
    [REV_CONTRACT_END] = N_("end of the contract"),
    [REV_COLLECTED] = N_("number collected and verified"),
    [REV_NOTIFIED] = N_("purpose of use notified"),
    [REV_FILED] = N_("filing made"),
};

static const char *const from_labels[] = {
    [RFROM_NEXT_DAY] = N_("the next day"),
    [RFROM_JAN11_NEXT_YEAR] = N_("11 January of the next year"),
    [RFROM_FEB1_NEXT_YEAR] = N_("1 February of the next year"),
};

const char *retention_state_label(enum retention_state s)
{
    return (unsigned)s < MNV_ARRAY_LEN(state_labels) ? state_labels[s] : "";
}

const char *retention_event_label(enum retention_event_kind kind)
{
    return (unsigned)kind < REV__COUNT ? event_labels[kind] : "";
}

const char *retention_from_label(enum retention_from from)
{
    return (unsigned)from < MNV_ARRAY_LEN(from_labels) ? from_labels[from] : "";
}

const char *retention_from_name(enum retention_from from)
{
    return (unsigned)from < MNV_ARRAY_LEN(from_names) ? from_names[from] : "";
}

const char *retention_state_name(enum retention_state s)
{
    return (unsigned)s < MNV_ARRAY_LEN(state_names) ? state_names[s] : "";
}

/* ---- loading ------------------------------------------------------------------------------ */

struct loader {
    dictionary *d;
    const char *path;
    const struct purpose_catalog *cat;
    struct retention_rules *r;
    struct mnv_diag *diag;
};

static enum mnv_err bad(struct loader *l, const char *sec, const char *key)
{
    mnv_diag_where(l->diag, "%s", l->path);
    mnv_diag_item(l->diag, "%s%s%s", sec, key[0] ? "." : "", key);
    return MNV_ERR_RETENTION_FILE;
}

/* The code entry for (code, is_filing), added when missing; NULL when the table is full. */
static struct retention_code *code_entry(struct retention_rules *r, const char *code, int is_filing)
{
    for (size_t i = 0; i < r->ncodes; i++)
        if (r->codes[i].is_filing == is_filing && strcmp(r->codes[i].code, code) == 0)
            return &r->codes[i];
    if (r->ncodes == RETENTION_CODES_MAX)
        return NULL;
    struct retention_code *c = &r->codes[r->ncodes++];
    memset(c, 0, sizeof(*c));
    snprintf(c->code, sizeof(c->code), "%s", code);
    c->is_filing = is_filing;
    return c;
}

/*
 * Call fn for each word of a comma/space separated list; returns the first non-zero result
 * of fn, or -1 for a word that is not a code.
 */
static int each_word(const char *list, int (*fn)(void *ud, const char *word), void *ud)
{
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == 0)
            break;
        char word[RETENTION_CODE_MAX + 1];
        if (n > RETENTION_CODE_MAX)
            return -1;
        memcpy(word, p, n);
        word[n] = '\0';
        if (!inidata_code_ok(word, RETENTION_CODE_MAX))
            return -1;
        int rc = fn(ud, word);
        if (rc)
            return rc;
        p += n;
    }
    return 0;
}

struct add_ctx {
    struct loader *l;
    size_t doc;
    int is_filing;
    int count;
};

static int add_code(void *ud, const char *word)
{
    struct add_ctx *a = ud;
    if (!a->is_filing && !purpose_find(a->l->cat, word))
        return -2; /* a purpose the catalogue does not have: a typo */
    struct retention_code *c = code_entry(a->l->r, word, a->is_filing);
    if (!c)
        return -3;
    c->docs |= 1u << a->doc;
    a->count++;
    return 0;
}

static int add_end(void *ud, const char *word)
{
    unsigned *bits = ud;
    enum retention_event_kind k = retentiondb_event_parse(word);
    if (k >= REV_FIRST_HANDLING)
        return -2;
    *bits |= 1u << k;
    return 0;
}

/* A whole number 0..max in base 10 (iniparser's own reads "010" as octal). -1 if not. */
static int read_int(dictionary *d, const char *sec, const char *key, int max, int *out)
{
    char text[16];
    int rc = inidata_text(d, sec, key, text, sizeof(text), 0);
    if (rc != 0)
        return rc; /* 1: missing; -1: bad */
    long v = 0;
    if (!text[0])
        return -1;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9' || v > max)
            return -1;
        v = v * 10 + (*p - '0');
    }
    if (v > max)
        return -1;
    *out = (int)v;
    return 0;
}

static const char *const doc_keys[] = {"ja",   "en",    "purposes", "filings",  "ends_on",
                                       "from", "years", "months",   "basis_ja", "basis_en"};

/* Every key of the section must be one of doc_keys. */
static enum mnv_err check_keys(struct loader *l, const char *sec)
{
    int n = iniparser_getsecnkeys(l->d, sec);
    if (n <= 0)
        return bad(l, sec, "");
    const char **keys = calloc((size_t)n, sizeof(*keys));
    if (!keys)
        return MNV_ERR_NOMEM;
    enum mnv_err err = MNV_OK;
    if (iniparser_getseckeys(l->d, sec, keys) == NULL)
        err = bad(l, sec, "");
    for (int i = 0; err == MNV_OK && i < n; i++) {
        const char *key = strchr(keys[i], ':');
        key = key ? key + 1 : keys[i];
        int known = 0;
        for (size_t k = 0; k < MNV_ARRAY_LEN(doc_keys); k++)
            known |= strcmp(key, doc_keys[k]) == 0;
        if (!known)
            err = bad(l, sec, key);
    }
    free(keys);
    return err;
}

static enum mnv_err read_texts(struct loader *l, const char *sec, struct retention_doc *doc)
{
    dictionary *d = l->d;
    if (inidata_text(d, sec, "ja", doc->name_ja, sizeof(doc->name_ja), 1) != 0)
        return bad(l, sec, "ja");
    if (inidata_text(d, sec, "en", doc->name_en, sizeof(doc->name_en), 1) != 0)
        return bad(l, sec, "en");
    if (inidata_text(d, sec, "basis_ja", doc->basis_ja, sizeof(doc->basis_ja), 1) != 0)
        return bad(l, sec, "basis_ja");
    if (inidata_text(d, sec, "basis_en", doc->basis_en, sizeof(doc->basis_en), 1) != 0)
        return bad(l, sec, "basis_en");
    return MNV_OK;
}

static enum mnv_err read_period(struct loader *l, const char *sec, struct retention_doc *doc)
{
    char text[64];
    int years = 0, months = 0;
    int ry = read_int(l->d, sec, "years", 50, &years);
    int rm = read_int(l->d, sec, "months", 600, &months);
    if (ry < 0 || rm < 0 || (ry == 1 && rm == 1))
        return bad(l, sec, ry < 0 || rm == 1 ? "years" : "months");
    doc->months = years * 12 + months;
    if (doc->months > RETENTION_MAX_MONTHS)
        return bad(l, sec, "months");
    if (inidata_text(l->d, sec, "from", text, sizeof(text), 1) != 0)
        return bad(l, sec, "from");
    size_t f = 0;
    while (f < MNV_ARRAY_LEN(from_names) && strcmp(text, from_names[f]) != 0)
        f++;
    if (f == MNV_ARRAY_LEN(from_names))
        return bad(l, sec, "from");
    doc->from = (enum retention_from)f;
    if (inidata_text(l->d, sec, "ends_on", text, sizeof(text), 1) != 0 ||
        each_word(text, add_end, &doc->ends_on) != 0 || doc->ends_on == 0)
        return bad(l, sec, "ends_on");
    return MNV_OK;
}

static enum mnv_err read_codes(struct loader *l, const char *sec, size_t idx)
{
    char text[PURPOSE_FILINGS_MAX + 1];
    struct add_ctx a = {l, idx, 0, 0};
    static const char *const keys[2] = {"purposes", "filings"};
    int total = 0;
    for (int k = 0; k < 2; k++) {
        int rc = inidata_text(l->d, sec, keys[k], text, sizeof(text), 0);
        a.is_filing = k;
        a.count = 0;
        if (rc < 0 || (rc == 0 && each_word(text, add_code, &a) != 0))
            return bad(l, sec, keys[k]);
        total += a.count;
    }
    /* A kind that no purpose or filing names would never apply. */
    return total ? MNV_OK : bad(l, sec, "purposes");
}

static enum mnv_err read_doc(struct loader *l, const char *sec)
{
    struct retention_rules *r = l->r;
    if (!inidata_code_ok(sec, PURPOSE_CODE_MAX) || r->ndocs == RETENTION_DOCS_MAX)
        return bad(l, sec, "");
    struct retention_doc *doc = &r->docs[r->ndocs];
    memset(doc, 0, sizeof(*doc));
    snprintf(doc->code, sizeof(doc->code), "%s", sec);
    enum mnv_err err = check_keys(l, sec);
    if (err == MNV_OK)
        err = read_texts(l, sec, doc);
    if (err == MNV_OK)
        err = read_period(l, sec, doc);
    if (err == MNV_OK)
        err = read_codes(l, sec, r->ndocs);
    if (err == MNV_OK)
        r->ndocs++;
    return err;
}

static int has_rule(const struct retention_rules *r, const char *code, int is_filing)
{
    for (size_t i = 0; i < r->ncodes; i++)
        if (r->codes[i].is_filing == is_filing && strcmp(r->codes[i].code, code) == 0)
            return r->codes[i].docs != 0;
    return 0;
}

struct cover_ctx {
    struct loader *l;
    const char *missing;
};

static int filing_covered(void *ud, const char *word)
{
    struct cover_ctx *c = ud;
    if (has_rule(c->l->r, word, 1))
        return 0;
    mnv_diag_item(c->l->diag, "%s", word);
    return 1;
}

/* Every purpose of the catalogue, and every filing a purpose names, has a rule. */
static enum mnv_err check_coverage(struct loader *l)
{
    for (size_t i = 0; i < l->cat->count; i++) {
        const struct purpose_def *p = &l->cat->items[i];
        struct cover_ctx c = {l, NULL};
        if (!has_rule(l->r, p->code, 0)) {
            mnv_diag_where(l->diag, "%s", l->path);
            mnv_diag_item(l->diag, "%s", p->code);
            return MNV_ERR_RETENTION_FILE;
        }
        int rc = each_word(p->filings, filing_covered, &c);
        if (rc != 0) {
            mnv_diag_where(l->diag, "%s", l->path);
            if (rc < 0)
                mnv_diag_item(l->diag, "%s", p->code);
            return MNV_ERR_RETENTION_FILE;
        }
    }
    return MNV_OK;
}

enum mnv_err retention_rules_load(const char *path, const struct purpose_catalog *cat,
                                  struct retention_rules *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    dictionary *d;
    const char *used;
    enum mnv_err err = inidata_open(path, RETENTION_FILE, &d, &used, diag);
    struct loader l = {d, used, cat, out, diag};
    if (err == MNV_ERR_INVALID)
        return bad(&l, "", "");
    if (err != MNV_OK)
        return err;
    out->docs = calloc(RETENTION_DOCS_MAX, sizeof(*out->docs));
    out->codes = calloc(RETENTION_CODES_MAX, sizeof(*out->codes));
    int n = iniparser_getnsec(d);
    if (!out->docs || !out->codes)
        err = MNV_ERR_NOMEM;
    else if (n <= 0)
        err = bad(&l, "", "");
    for (int i = 0; err == MNV_OK && i < n; i++) {
        const char *sec = iniparser_getsecname(d, i);
        err = sec ? read_doc(&l, sec) : bad(&l, "", "");
    }
    if (err == MNV_OK)
        err = check_coverage(&l);
    iniparser_freedict(d);
    if (err != MNV_OK)
        retention_rules_free(out);
    return err;
}

void retention_rules_free(struct retention_rules *r)
{
    if (!r)
        return;
    free(r->docs);
    free(r->codes);
    memset(r, 0, sizeof(*r));
}

int retention_doc_find(const struct retention_rules *r, const char *code)
{
    for (size_t i = 0; i < r->ndocs; i++)
        if (strcmp(r->docs[i].code, code) == 0)
            return (int)i;
    return -1;
}

char *retention_period_text(char *buf, size_t size, const struct retention_doc *d, int32_t first)
{
    char day[CALDATE_ISO_SIZE], len[64];
    int y = d->months / 12, m = d->months % 12;
    if (d->months == 0) {
        snprintf(buf, size, _("period: none; kept until the day before %s (%s)"),
                 caldate_format(first, day), _(retention_from_label(d->from)));
        return buf;
    }
    if (m == 0)
        snprintf(len, sizeof(len), ngettext("%d year", "%d years", y), y);
    else if (y == 0)
        snprintf(len, sizeof(len), ngettext("%d month", "%d months", m), m);
    else
        snprintf(len, sizeof(len), _("%d years %d months"), y, m);
    snprintf(buf, size, _("period: %s, counted from %s (%s)"), len, caldate_format(first, day),
             _(retention_from_label(d->from)));
    return buf;
}

const char *retention_doc_label(const struct retention_rules *r, const char *code)
{
    int k = retention_doc_find(r, code);
    if (k < 0)
        return code;
    return i18n_is_japanese() ? r->docs[k].name_ja : r->docs[k].name_en;
}

/* ---- the verdict --------------------------------------------------------------------------- */

static int code_find(const struct retention_rules *r, const char *code, int is_filing)
{
    for (size_t i = 0; i < r->ncodes; i++)
        if (r->codes[i].is_filing == is_filing && strcmp(r->codes[i].code, code) == 0)
            return (int)i;
    return -1;
}

/* The period's first day for an event on day `last`. */
static int32_t period_start(enum retention_from from, int32_t last)
{
    switch (from) {
    case RFROM_JAN11_NEXT_YEAR:
        return caldate_from_ymd(caldate_year(last) + 1, 1, 11);
    case RFROM_FEB1_NEXT_YEAR:
        return caldate_from_ymd(caldate_year(last) + 1, 2, 1);
    default:
        return last + 1;
    }
}

/* Open a clock for doc when a purpose or filing names it; returns its index. */
static int clock_for(struct retention_verdict *v, int doc, const struct retention_event *ev,
                     int code)
{
    for (size_t i = 0; i < v->nclocks; i++) {
        struct retention_clock *c = &v->clocks[i];
        if (c->doc == doc) {
            if (ev->day < c->why_day) {
                c->why = ev->kind;
                c->why_code = code;
                c->why_day = ev->day;
            }
            return (int)i;
        }
    }
    struct retention_clock *c = &v->clocks[v->nclocks];
    c->doc = doc;
    c->why = ev->kind;
    c->why_code = code;
    c->why_day = ev->day;
    c->end = REV__COUNT;
    c->end_day = c->last_day = c->first_day = c->keep_until = CALDATE_NONE;
    return (int)v->nclocks++;
}

/* First pass: which kinds of document apply (and codes the rules do not know). */
static void find_clocks(const struct retention_rules *r, const struct retention_event *ev, size_t n,
                        struct retention_verdict *v)
{
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind != REV_NOTIFIED && ev[i].kind != REV_FILED)
            continue;
        int code = code_find(r, ev[i].code, ev[i].kind == REV_FILED);
        if (code < 0) {
            if (!v->unknown[0]) {
                snprintf(v->unknown, sizeof(v->unknown), "%s", ev[i].code);
                v->unknown_kind = ev[i].kind;
            }
            continue;
        }
        for (size_t d = 0; d < r->ndocs; d++)
            if (r->codes[code].docs & (1u << d))
                clock_for(v, (int)d, &ev[i], code);
    }
}

/* Does event e count as handling for doc (collections count for every kind)? */
static int handles(const struct retention_rules *r, const struct retention_event *e, int doc)
{
    if (e->kind == REV_COLLECTED)
        return 1;
    if (e->kind != REV_NOTIFIED && e->kind != REV_FILED)
        return 0;
    int code = code_find(r, e->code, e->kind == REV_FILED);
    return code >= 0 && (r->codes[code].docs & (1u << doc));
}

/* Second pass: each clock's end, the day its period counts from, and its period. */
static void run_clock(const struct retention_rules *r, const struct retention_event *ev, size_t n,
                      struct retention_clock *c)
{
    const struct retention_doc *doc = &r->docs[c->doc];
    int32_t handled = CALDATE_NONE;
    enum retention_event_kind handled_kind = REV__COUNT;
    for (size_t i = 0; i < n; i++) {
        const struct retention_event *e = &ev[i];
        if (e->kind < REV_FIRST_HANDLING && (doc->ends_on & (1u << e->kind)) &&
            (c->end == REV__COUNT || e->day < c->end_day)) {
            c->end = e->kind;
            c->end_day = e->day;
        } else if (e->kind >= REV_FIRST_HANDLING && e->day > handled && handles(r, e, c->doc)) {
            handled = e->day;
            handled_kind = e->kind;
        }
    }
    if (c->end == REV__COUNT)
        return; /* still needed */
    c->last = c->end;
    c->last_day = c->end_day;
    if (handled > c->end_day) {
        c->last = handled_kind;
        c->last_day = handled;
    }
    c->first_day = period_start(doc->from, c->last_day);
    c->keep_until = caldate_period_end(c->first_day, doc->months);
}

/* With no kind of document at all: kept until the relationship ends, never under a rule. */
static void need_only(const struct retention_event *ev, size_t n, struct retention_verdict *v)
{
    int32_t end = CALDATE_NONE, handled = CALDATE_NONE;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind < REV_FIRST_HANDLING && (end == CALDATE_NONE || ev[i].day < end))
            end = ev[i].day;
        else if (ev[i].kind >= REV_FIRST_HANDLING && ev[i].day > handled)
            handled = ev[i].day;
    }
    v->need_end = end;
    if (end != CALDATE_NONE)
        v->keep_until = handled > end ? handled : end;
}

/* Open clocks first, then the latest end first, then the rules' order. */
static int clock_cmp(const void *a, const void *b)
{
    const struct retention_clock *x = a, *y = b;
    int xo = x->keep_until == CALDATE_NONE, yo = y->keep_until == CALDATE_NONE;
    if (xo != yo)
        return yo - xo;
    if (x->keep_until != y->keep_until)
        return x->keep_until < y->keep_until ? 1 : -1;
    return x->doc - y->doc;
}

void retention_evaluate(const struct retention_rules *r, const struct retention_event *ev, size_t n,
                        int32_t hold_review, int32_t today, struct retention_verdict *out)
{
    memset(out, 0, sizeof(*out));
    out->binding = -1;
    out->keep_until = out->need_end = CALDATE_NONE;
    out->hold_review = hold_review;
    out->unknown_kind = REV__COUNT;
    find_clocks(r, ev, n, out);
    for (size_t i = 0; i < out->nclocks; i++)
        run_clock(r, ev, n, &out->clocks[i]);
    /* The clock that decides comes first: one still needed, else the one ending last. */
    qsort(out->clocks, out->nclocks, sizeof(out->clocks[0]), clock_cmp);
    if (out->nclocks == 0) {
        need_only(ev, n, out);
    } else {
        out->binding = 0;
        out->keep_until = out->clocks[0].keep_until;
    }
    if (out->unknown[0])
        out->state = RETENTION_NO_RULE;
    else if (out->keep_until == CALDATE_NONE)
        out->state = RETENTION_NEEDED;
    else if (today <= out->keep_until)
        out->state = RETENTION_RUNNING;
    else if (hold_review != CALDATE_NONE && hold_review >= today)
        out->state = RETENTION_HELD;
    else
        out->state = RETENTION_DUE;
}
