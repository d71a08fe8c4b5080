#include "mnvault/import.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/alloc.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/collect.h"
#include "mnvault/collectdb.h"
#include "mnvault/numberdb.h"
#include "mnvault/people.h"
#include "mnvault/persondb.h"
#include "mnvault/purpose.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/strmap.h"
#include "mnvault/synonyms.h"
#include "mnvault/wareki.h"

enum col {
    C_CODE,
    C_DEP_NAME,
    C_RELATION,
    C_NAME,
    C_KANA,
    C_BIRTH,
    C_SEX,
    C_HIRE,
    C_POSTAL,
    C_ADDRESS,
    C_NUMBER,
    C_ROUTE,
    C_CHANNEL,
    C_KNOWN,
    C_DOCS,
    C_VERIFIED_BY,
    C_VERIFIED_ON,
    C_PURPOSES,
    C_NOTIFIED_ON,
    C__COUNT
};

/* ja: the Japanese name; old: an earlier Japanese name still read (files made from older
 * documentation). */
static const struct {
    const char *en, *ja;
    int required;
    const char *old;
} columns[C__COUNT] = {
    [C_CODE] = {"employee_code", "社員番号", 1},
    [C_DEP_NAME] = {"dependent_name", "扶養親族氏名", 0},
    [C_RELATION] = {"relation", "続柄", 0},
    [C_NAME] = {"name", "氏名", 0},
    [C_KANA] = {"kana", "フリガナ", 0},
    [C_BIRTH] = {"birth_date", "生年月日", 0},
    [C_SEX] = {"sex", "性別", 0},
    [C_HIRE] = {"hire_date", "入社日", 0},
    [C_POSTAL] = {"postal_code", "郵便番号", 0},
    [C_ADDRESS] = {"address", "住所", 0},
    [C_NUMBER] = {"my_number", "個人番号", 1},
    [C_ROUTE] = {"route", "収集方法", 0, "確認方法"},
    [C_CHANNEL] = {"channel", "受付方法", 0, "確認経路"},
    [C_KNOWN] = {"known_in_person", "身元確認書類省略", 0},
    [C_DOCS] = {"documents", "確認書類", 0},
    [C_VERIFIED_BY] = {"verified_by", "確認者", 1},
    [C_VERIFIED_ON] = {"verified_on", "確認日", 1},
    [C_PURPOSES] = {"purposes", "利用目的", 1},
    [C_NOTIFIED_ON] = {"notified_on", "通知・明示日", 0, "通知日"},
};

int import_column_names(int i, const char **en, const char **ja, int *required)
{
    if (i < 0 || i >= C__COUNT)
        return -1;
    *en = columns[i].en;
    *ja = columns[i].ja;
    if (required)
        *required = columns[i].required;
    return 0;
}

/* ---- state ------------------------------------------------------------------------------- */

struct rowstate {
    long line;
    int ok;
    enum person_kind kind;
    int64_t person_id;   /* the existing person; 0 when the row adds one */
    int64_t employee_id; /* dependents: the existing employee; 0 when added in this file */
    long employee_row;   /* dependents of an employee added in this file: that row */
    int64_t new_id;      /* the id given by the write pass to a person this row adds */
};

struct ctx {
    struct session *s;
    struct vault *v;
    const struct idrules *rules;
    const struct purpose_catalog *catalog;
    int colmap[C__COUNT];
    size_t ncols;              /* fields in the header */
    struct person_list people; /* the employees already stored, by code */
    struct rowstate *rows;
    size_t nrows, cap;
    unsigned char *bis;    /* secmem: blind index of each row's number */
    struct mynumber *num;  /* secmem scratch */
    struct strmap persons; /* "E" code / "D" code name → the row adding that person */
    struct import_report *rep;
    const struct csv_reader *rd;
};

/* Everything a row says, rebuilt from its fields in both passes. */
struct bundle {
    struct employee emp;
    struct dependent dep;
    struct collect_request req;
    char dep_name[PERSON_NAME_MAX + 1];
    enum dependent_relation relation;
};

static void add_problem(struct ctx *c, long line, int col, enum mnv_err err, const char *item)
{
    struct import_report *rep = c->rep;
    rep->problems_total++;
    if (rep->nproblems >= IMPORT_PROBLEMS_MAX)
        return;
    if (!rep->problems) {
        rep->problems = calloc(IMPORT_PROBLEMS_MAX, sizeof(*rep->problems));
        if (!rep->problems)
            return;
    }
    struct import_problem *p = &rep->problems[rep->nproblems++];
    p->line = line;
    snprintf(p->column, sizeof(p->column), "%s", col >= 0 ? columns[col].en : "");
    p->err = err;
    snprintf(p->item, sizeof(p->item), "%.63s", item ? item : "");
}

/* The trimmed text of column col of the current record into out; "" when absent. */
static const char *get(const struct ctx *c, int col, char *out, size_t size)
{
    return csv_field(c->rd, c->colmap[col], out, size);
}

/* ---- the header ---------------------------------------------------------------------------- */

static int header_col(const char *name)
{
    char low[64];
    csv_header_key(name, low, sizeof(low));
    for (int i = 0; i < C__COUNT; i++)
        if (strcmp(low, columns[i].en) == 0 || strcmp(low, columns[i].ja) == 0 ||
            (columns[i].old && strcmp(low, columns[i].old) == 0))
            return i;
    return -1;
}

static enum mnv_err read_header(struct ctx *c, struct csv_reader *rd, struct mnv_diag *diag)
{
    enum mnv_err err = csv_next(rd, diag);
    if (err == MNV_ERR_NOT_FOUND)
        return MNV_ERR_IMPORT_EMPTY;
    if (err != MNV_OK)
        return err;
    for (int i = 0; i < C__COUNT; i++)
        c->colmap[i] = -1;
    c->ncols = rd->nfields;
    for (size_t f = 0; f < rd->nfields; f++) {
        int col = header_col(rd->fields[f]);
        if (col < 0 || c->colmap[col] >= 0) {
            mnv_diag_item(diag, "%.100s", rd->fields[f]);
            if (diag)
                diag->line = rd->record_line;
            return col < 0 ? MNV_ERR_CSV_HEADER : MNV_ERR_CSV_COLUMN_TWICE;
        }
        c->colmap[col] = (int)f;
    }
    for (int i = 0; i < C__COUNT; i++)
        if (columns[i].required && c->colmap[i] < 0) {
            mnv_diag_item(diag, "%s", columns[i].en);
            return MNV_ERR_CSV_COLUMN_MISSING;
        }
    return MNV_OK;
}

/* ---- words ------------------------------------------------------------------------------- */

static enum mnv_err date_field(const char *text, char out[11])
{
    if (!text[0]) {
        out[0] = '\0';
        return MNV_OK;
    }
    return wareki_parse(text, out);
}

/* The words of coded columns (data/import-words.ini), read once per process (shipped data). */
static struct synonyms words;
static int words_loaded;

static enum mnv_err load_words(struct mnv_diag *diag)
{
    if (words_loaded)
        return MNV_OK;
    enum mnv_err err = synonyms_load(NULL, IMPORT_WORDS_FILE, &words, diag);
    words_loaded = err == MNV_OK;
    return err;
}

static enum person_sex sex_word(const char *t)
{
    const char *code = synonyms_code(&words, "sex", t);
    return !code ? 0 : !strcmp(code, "m") ? SEX_MALE : !strcmp(code, "f") ? SEX_FEMALE : 0;
}

static enum dependent_relation relation_word(const char *t)
{
    const char *code = synonyms_code(&words, "relation", t);
    return code ? person_relation_parse(code) : 0;
}

/* known_in_person: 1, 0 (also when empty), or -1 for a word that is neither. */
static int yes_no(const char *t)
{
    const char *code = t[0] ? synonyms_code(&words, "known_in_person", t) : "no";
    return !code ? -1 : !strcmp(code, "yes") ? 1 : !strcmp(code, "no") ? 0 : -1;
}

static const char *route_code(const struct idrules *r, const char *t)
{
    const char *code = t[0] ? synonyms_code(&words, "route", t) : "self";
    if (code)
        return code;
    for (size_t i = 0; i < r->nroutes; i++)
        if (!strcmp(t, r->routes[i].code) || !strcmp(t, r->routes[i].name_ja) ||
            !strcmp(t, r->routes[i].name_en))
            return r->routes[i].code;
    return t; /* unknown: the rules say so */
}

/* What a problem may quote of a value a person typed: the text when it has no digit (a
 * misplaced My Number must never be echoed), else its place in the list ("#2"). */
static const char *safe_item(const char *text, int place)
{
    static char buf[64];
    for (const char *p = text; *p; p++)
        if ((*p >= '0' && *p <= '9') || !strncmp(p, "\xEF\xBC", 2)) {
            snprintf(buf, sizeof(buf), "#%d", place);
            return buf;
        }
    snprintf(buf, sizeof(buf), "%.60s", text);
    return buf;
}

/* Next item of a list separated by ';', '；' or '|'; returns its length, item trimmed. */
static size_t next_item(const char **p, char *out, size_t size)
{
    const char *s = *p;
    while (*s == ' ' || *s == ';' || *s == '|' || !strncmp(s, "；", 3))
        s += !strncmp(s, "；", 3) ? 3 : 1;
    const char *e = s;
    while (*e && *e != ';' && *e != '|' && strncmp(e, "；", 3) != 0)
        e++;
    size_t n = (size_t)(e - s);
    while (n > 0 && s[n - 1] == ' ')
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(out, s, n);
    out[n] = '\0';
    *p = e;
    return n;
}

static const struct id_doc_def *doc_named(const struct idrules *r, const char *t)
{
    for (size_t i = 0; i < r->ndocs; i++)
        if (!strcmp(t, r->docs[i].code) || !strcmp(t, r->docs[i].name_ja))
            return &r->docs[i];
    return NULL;
}

/* "[agent:]code[#ref]" items into req->docs; the check follows from the route and the kind. */
static enum mnv_err parse_docs(const struct ctx *c, const char *text, struct collect_request *req,
                               const char **bad)
{
    const struct id_route_def *route = idrules_route(c->rules, req->route);
    int agent_route = route && (route->requires & (1u << ID_CHECK_AGENT_IDENTITY));
    static char item[IDRULES_NAME_MAX + 16];
    const char *p = text;
    while (next_item(&p, item, sizeof(item)) > 0) {
        if (req->ndocs >= IDRULES_DOCS_MAX)
            return MNV_ERR_ID_DOC_COUNT;
        struct collect_doc *d = &req->docs[req->ndocs];
        char *name = item;
        int for_agent = 0;
        if (!strncmp(name, "agent:", 6) || !strncmp(name, "代理人:", 10)) {
            name += name[0] == 'a' ? 6 : 10;
            for_agent = 1;
        }
        char *hashp = strstr(name, "#");
        if (hashp) {
            *hashp = '\0';
            if (strlen(hashp + 1) > IDRULES_REF_MAX) {
                *bad = NULL;
                return MNV_ERR_ID_REF;
            }
            snprintf(d->ref, sizeof(d->ref), "%s", hashp + 1);
        }
        const struct id_doc_def *def = doc_named(c->rules, name);
        if (!def) {
            *bad = safe_item(name, (int)req->ndocs + 1);
            return MNV_ERR_ID_DOC_UNKNOWN;
        }
        snprintf(d->doc, sizeof(d->doc), "%s", def->code);
        if (def->proves & ID_PROVES_AUTHORITY)
            d->check = ID_CHECK_AUTHORITY;
        else if (for_agent)
            d->check = ID_CHECK_AGENT_IDENTITY;
        else if (def->proves & ID_PROVES_NUMBER)
            d->check = ID_CHECK_NUMBER;
        else
            d->check = agent_route ? ID_CHECK_AGENT_IDENTITY : ID_CHECK_IDENTITY;
        req->ndocs++;
    }
    return MNV_OK;
}

static enum mnv_err parse_purposes(const struct ctx *c, const char *text, const char *date,
                                   struct collect_request *req, const char **bad)
{
    static char item[PURPOSE_NAME_MAX + 1];
    const char *p = text;
    while (next_item(&p, item, sizeof(item)) > 0) {
        if (req->npurposes >= NUMBER_PURPOSES_MAX)
            return MNV_ERR_RANGE;
        const char *code = item;
        for (size_t i = 0; i < c->catalog->count; i++)
            if (!strcmp(item, c->catalog->items[i].name_ja))
                code = c->catalog->items[i].code;
        if (!purpose_find(c->catalog, code)) {
            *bad = safe_item(item, (int)req->npurposes + 1);
            return MNV_ERR_PURPOSE_UNKNOWN;
        }
        struct collect_purpose *cp = &req->purposes[req->npurposes++];
        snprintf(cp->code, sizeof(cp->code), "%.32s", code);
        snprintf(cp->date, sizeof(cp->date), "%s", date);
    }
    return MNV_OK;
}

/* ---- one row ------------------------------------------------------------------------------- */

struct fault {
    int col;
    enum mnv_err err;
    char item[64];
};

static enum mnv_err fail(struct fault *f, int col, enum mnv_err err, const char *item)
{
    f->col = col;
    f->err = err;
    snprintf(f->item, sizeof(f->item), "%.63s", item ? item : "");
    return err;
}

/* A field name from persondb's diag->item to our column. */
static int column_of(const char *item, int fallback)
{
    for (int i = 0; i < C__COUNT; i++)
        if (strcmp(item, columns[i].en) == 0)
            return i;
    return fallback;
}

static enum mnv_err parse_dates(struct ctx *c, struct bundle *b, struct fault *f)
{
    char t[64];
    enum mnv_err err = date_field(get(c, C_BIRTH, t, sizeof(t)), b->emp.birth_date);
    if (err != MNV_OK)
        return fail(f, C_BIRTH, err, NULL);
    memcpy(b->dep.birth_date, b->emp.birth_date, sizeof(b->dep.birth_date));
    err = date_field(get(c, C_HIRE, t, sizeof(t)), b->emp.hire_date);
    if (err != MNV_OK)
        return fail(f, C_HIRE, err, NULL);
    return MNV_OK;
}

/* The person's own fields (no look-up yet). */
static enum mnv_err parse_person(struct ctx *c, struct bundle *b, struct fault *f)
{
    char t[PERSON_ADDRESS_MAX + 2];
    memset(b, 0, sizeof(*b));
    if (person_check_code(get(c, C_CODE, b->emp.code, sizeof(b->emp.code))) != MNV_OK ||
        strlen(get(c, C_CODE, t, sizeof(t))) > PERSON_CODE_MAX)
        return fail(f, C_CODE, t[0] ? MNV_ERR_FIELD_CHARS : MNV_ERR_FIELD_EMPTY, NULL);
    get(c, C_DEP_NAME, b->dep_name, sizeof(b->dep_name));
    get(c, C_NAME, b->emp.name, sizeof(b->emp.name));
    get(c, C_KANA, b->emp.kana, sizeof(b->emp.kana));
    snprintf(b->dep.name, sizeof(b->dep.name), "%s", b->dep_name);
    snprintf(b->dep.kana, sizeof(b->dep.kana), "%s", b->emp.kana);
    enum mnv_err err = parse_dates(c, b, f);
    if (err != MNV_OK)
        return err;
    get(c, C_SEX, t, sizeof(t));
    b->emp.sex = b->dep.sex = sex_word(t);
    if (t[0] && !b->emp.sex)
        return fail(f, C_SEX, MNV_ERR_IMPORT_FIELD_VALUE, NULL);
    get(c, C_RELATION, t, sizeof(t));
    b->relation = b->dep.relation = t[0] ? relation_word(t) : 0;
    if (t[0] && !b->relation)
        return fail(f, C_RELATION, MNV_ERR_IMPORT_FIELD_VALUE, NULL);
    get(c, C_POSTAL, b->emp.postal_code, sizeof(b->emp.postal_code));
    get(c, C_ADDRESS, b->emp.address, sizeof(b->emp.address));
    return MNV_OK;
}

static enum mnv_err parse_number(struct ctx *c, struct fault *f)
{
    char *t = (char *)c->num + sizeof(*c->num); /* secmem room behind the number */
    get(c, C_NUMBER, t, 128);
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = mynumber_parse(c->num, MYNUMBER_INDIVIDUAL, t, strlen(t), &d);
    secmem_wipe(t, 128);
    return err == MNV_OK ? MNV_OK : fail(f, C_NUMBER, err, NULL);
}

static int col_for_judge(enum mnv_err err, const char *item)
{
    switch (err) {
    case MNV_ERR_ID_ROUTE_UNKNOWN:
    case MNV_ERR_ID_ROUTE_PERSON:
    case MNV_ERR_ID_DECLARANT:
        return C_ROUTE;
    case MNV_ERR_ID_CHANNEL_UNKNOWN:
        return C_CHANNEL;
    case MNV_ERR_ID_EXEMPTION:
        return C_KNOWN;
    case MNV_ERR_VERIFIER_NEEDED:
        return C_VERIFIED_BY;
    case MNV_ERR_PURPOSE_NEEDED:
    case MNV_ERR_PURPOSE_UNKNOWN:
    case MNV_ERR_ID_PURPOSE_ROUTE:
    case MNV_ERR_RANGE:
        return C_PURPOSES;
    default:
        break;
    }
    if (!strcmp(item, "verified_by"))
        return C_VERIFIED_BY;
    if (!strcmp(item, "verified_on"))
        return C_VERIFIED_ON;
    if (!strcmp(item, "notified_on"))
        return C_NOTIFIED_ON;
    return C_DOCS;
}

/* How identity was verified and the purposes notified. */
static enum mnv_err parse_verification(struct ctx *c, struct bundle *b, struct fault *f)
{
    struct collect_request *req = &b->req;
    char t[1024], date[11];
    const char *bad = NULL;
    snprintf(req->route, sizeof(req->route), "%s",
             route_code(c->rules, get(c, C_ROUTE, t, sizeof(t))));
    int ch = get(c, C_CHANNEL, t, sizeof(t))[0] ? idrules_channel_parse(t) : ID_CHANNEL_IN_PERSON;
    if (ch < 0)
        return fail(f, C_CHANNEL, MNV_ERR_ID_CHANNEL_UNKNOWN, NULL);
    req->channel = (enum id_channel)ch;
    if ((req->known_in_person = yes_no(get(c, C_KNOWN, t, sizeof(t)))) < 0)
        return fail(f, C_KNOWN, MNV_ERR_IMPORT_FIELD_VALUE, NULL);
    enum mnv_err err = parse_docs(c, get(c, C_DOCS, t, sizeof(t)), req, &bad);
    if (err != MNV_OK)
        return fail(f, C_DOCS, err, bad);
    get(c, C_VERIFIED_BY, req->verified_by, sizeof(req->verified_by));
    err = date_field(get(c, C_VERIFIED_ON, t, sizeof(t)), req->verified_on);
    if (err != MNV_OK || !req->verified_on[0])
        return fail(f, C_VERIFIED_ON, err != MNV_OK ? err : MNV_ERR_FIELD_DATE, NULL);
    err = date_field(get(c, C_NOTIFIED_ON, t, sizeof(t)), date);
    if (err != MNV_OK)
        return fail(f, C_NOTIFIED_ON, err, NULL);
    err = parse_purposes(c, get(c, C_PURPOSES, t, sizeof(t)), date[0] ? date : req->verified_on,
                         req, &bad);
    return err == MNV_OK ? MNV_OK : fail(f, C_PURPOSES, err, bad);
}

/* Names compared without their spaces (ASCII or full-width). */
static int same_name(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ' || !strncmp(a, "\xE3\x80\x80", 3))
            a += *a == ' ' ? 1 : 3;
        while (*b == ' ' || !strncmp(b, "\xE3\x80\x80", 3))
            b += *b == ' ' ? 1 : 3;
        if (*a != *b)
            return 0;
        if (!*a)
            return 1;
        a++;
        b++;
    }
}

static int by_code(const void *key, const void *elem)
{
    return strcmp(key, ((const struct person_row *)elem)->code);
}

static const struct person_row *stored_employee(const struct ctx *c, const char *code)
{
    if (!c->people.count)
        return NULL; /* bsearch must not get a null array */
    return bsearch(code, c->people.rows, c->people.count, sizeof(*c->people.rows), by_code);
}

static enum mnv_err new_employee(struct ctx *c, struct bundle *b, struct fault *f)
{
    struct employee *e = &b->emp;
    if (!e->name[0] || !e->kana[0] || !e->birth_date[0] || !e->sex || !e->hire_date[0])
        return fail(f, C_NAME, MNV_ERR_IMPORT_NEW_FIELDS, NULL);
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = person_employee_validate(e, clock_now(), &d);
    (void)c;
    return err == MNV_OK ? MNV_OK : fail(f, column_of(d.item, C_NAME), err, NULL);
}

static enum mnv_err resolve_employee(struct ctx *c, struct bundle *b, struct rowstate *rs,
                                     struct fault *f)
{
    char key[PERSON_CODE_MAX + 4], item[32];
    snprintf(key, sizeof(key), "E\x1f%s", b->emp.code);
    long other = strmap_get(&c->persons, key);
    if (other >= 0) {
        snprintf(item, sizeof(item), "%ld", c->rows[other].line);
        return fail(f, C_CODE, MNV_ERR_IMPORT_PERSON_TWICE, item);
    }
    if (strmap_put(&c->persons, key, (long)c->nrows) != MNV_OK)
        return fail(f, -1, MNV_ERR_NOMEM, NULL);
    rs->kind = PERSON_EMPLOYEE;
    const struct person_row *p = stored_employee(c, b->emp.code);
    if (!p)
        return new_employee(c, b, f);
    rs->person_id = p->id;
    if (b->emp.name[0] && !same_name(b->emp.name, p->name))
        return fail(f, C_NAME, MNV_ERR_IMPORT_NAME_MISMATCH, NULL);
    return MNV_OK;
}

/* A stored dependent of employee_id named name: its id and relation, or 0. */
static enum mnv_err stored_dependent(struct ctx *c, int64_t employee_id, const char *name,
                                     int64_t *id, enum dependent_relation *rel)
{
    struct dependent *deps = NULL;
    size_t n = 0;
    *id = 0;
    enum mnv_err err = persondb_dependents_of(c->v, employee_id, &deps, &n, NULL);
    for (size_t i = 0; err == MNV_OK && i < n && !*id; i++)
        if (same_name(deps[i].name, name)) {
            *id = deps[i].id;
            *rel = deps[i].relation;
        }
    free(deps);
    return err;
}

static enum mnv_err new_dependent(struct bundle *b, struct fault *f)
{
    struct dependent *d = &b->dep;
    if (!d->kana[0] || !d->relation || !d->birth_date[0] || !d->sex)
        return fail(f, C_DEP_NAME, MNV_ERR_IMPORT_DEP_FIELDS, NULL);
    struct mnv_diag dg;
    mnv_diag_clear(&dg);
    d->employee_id = 1; /* any: validation does not look at it */
    enum mnv_err err = person_dependent_validate(d, clock_now(), &dg);
    d->employee_id = 0;
    return err == MNV_OK ? MNV_OK : fail(f, column_of(dg.item, C_DEP_NAME), err, NULL);
}

static enum mnv_err resolve_dependent(struct ctx *c, struct bundle *b, struct rowstate *rs,
                                      struct fault *f)
{
    char key[PERSON_CODE_MAX + PERSON_NAME_MAX + 8], item[32];
    snprintf(key, sizeof(key), "D\x1f%s\x1f%s", b->emp.code, b->dep_name);
    long other = strmap_get(&c->persons, key);
    if (other >= 0) {
        snprintf(item, sizeof(item), "%ld", c->rows[other].line);
        return fail(f, C_DEP_NAME, MNV_ERR_IMPORT_PERSON_TWICE, item);
    }
    if (strmap_put(&c->persons, key, (long)c->nrows) != MNV_OK)
        return fail(f, -1, MNV_ERR_NOMEM, NULL);
    rs->kind = PERSON_DEPENDENT;
    const struct person_row *p = stored_employee(c, b->emp.code);
    snprintf(key, sizeof(key), "E\x1f%s", b->emp.code);
    long erow = strmap_get(&c->persons, key);
    if (p) {
        rs->employee_id = p->id;
        enum dependent_relation rel = 0;
        enum mnv_err err = stored_dependent(c, p->id, b->dep_name, &rs->person_id, &rel);
        if (err != MNV_OK)
            return fail(f, -1, err, NULL);
        if (rs->person_id) {
            b->relation = rel;
            return MNV_OK;
        }
    } else if (erow < 0 || !c->rows[erow].ok || c->rows[erow].person_id) {
        snprintf(item, sizeof(item), "%ld", erow >= 0 ? c->rows[erow].line : 0L);
        return fail(f, C_CODE, MNV_ERR_IMPORT_DEP_EMPLOYEE, erow >= 0 ? item : NULL);
    } else {
        rs->employee_row = erow;
    }
    return new_dependent(b, f);
}

/* Is the employee of this row (stored, or added on an earlier line) verified? */
static int declarant_verified(struct ctx *c, const struct bundle *b, const struct rowstate *rs)
{
    if (rs->employee_row >= 0)
        return c->rows[rs->employee_row].ok;
    char key[PERSON_CODE_MAX + 4];
    snprintf(key, sizeof(key), "E\x1f%s", b->emp.code);
    long erow = strmap_get(&c->persons, key);
    if (erow >= 0 && c->rows[erow].ok)
        return 1;
    struct person_ref emp = {PERSON_EMPLOYEE, rs->employee_id};
    struct collect_rec rec;
    return rs->employee_id && collectdb_current(c->v, &emp, &rec, NULL) == MNV_OK;
}

/* The number against the vault: free, or this person's own record being replaced. */
static enum mnv_err number_against_vault(struct ctx *c, const struct rowstate *rs, struct fault *f)
{
    int64_t owner;
    enum mnv_err err = numberdb_owner(c->v, c->num, &owner, NULL);
    if (err != MNV_OK || !owner)
        return err == MNV_OK ? MNV_OK : fail(f, -1, err, NULL);
    if (rs->person_id) {
        struct person_ref ref = {rs->kind, rs->person_id};
        struct number_info info;
        if ((err = numberdb_get(c->v, &ref, &info, NULL)) != MNV_OK)
            return fail(f, -1, err, NULL);
        if (info.id == owner)
            return info.status == NUMBER_REGISTERED ? fail(f, C_NUMBER, MNV_ERR_NUMBER_SAME, NULL)
                                                    : MNV_OK;
    }
    return fail(f, C_NUMBER, MNV_ERR_NUMBER_DUPLICATE, NULL);
}

static enum mnv_err check_row(struct ctx *c, struct bundle *b, struct rowstate *rs, struct fault *f)
{
    enum mnv_err err = parse_person(c, b, f);
    if (err == MNV_OK)
        err = parse_number(c, f);
    if (err == MNV_OK)
        err = b->dep_name[0] ? resolve_dependent(c, b, rs, f) : resolve_employee(c, b, rs, f);
    if (err == MNV_OK)
        err = parse_verification(c, b, f);
    if (err != MNV_OK)
        return err;
    struct id_verdict v;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    b->req.person.kind = rs->kind;
    err = collect_judge(c->rules, c->catalog, &b->req, b->relation,
                        rs->kind == PERSON_DEPENDENT && declarant_verified(c, b, rs), &v, &d);
    if (err != MNV_OK)
        return fail(f, col_for_judge(err, d.item), err, d.item);
    return number_against_vault(c, rs, f);
}

/* ---- the passes ------------------------------------------------------------------------------ */

static enum mnv_err grow_rows(struct ctx *c)
{
    if (c->nrows < c->cap)
        return MNV_OK;
    if (c->nrows >= IMPORT_ROWS_MAX)
        return MNV_ERR_CSV_TOO_BIG;
    size_t cap = c->cap;
    struct rowstate *nr = alloc_grow(c->rows, &cap, c->nrows + 1, sizeof(*nr));
    if (!nr)
        return MNV_ERR_NOMEM;
    c->rows = nr;
    /* The blind indexes are secrets: secmem does not grow, so a new block, copied. */
    unsigned char *nb = secmem_alloc(cap * VCRYPTO_HASH_LEN);
    if (!nb)
        return MNV_ERR_NOMEM;
    if (c->bis)
        memcpy(nb, c->bis, c->nrows * VCRYPTO_HASH_LEN);
    secmem_free(c->bis);
    c->bis = nb;
    c->cap = cap;
    return MNV_OK;
}

static enum mnv_err check_all(struct ctx *c, struct csv_reader *rd, struct bundle *b,
                              struct mnv_diag *diag)
{
    enum mnv_err err;
    while ((err = csv_next(rd, diag)) == MNV_OK) {
        if ((err = grow_rows(c)) != MNV_OK)
            return err;
        struct rowstate *rs = &c->rows[c->nrows];
        memset(rs, 0, sizeof(*rs));
        rs->line = rd->record_line;
        rs->employee_row = -1;
        struct fault f = {-1, MNV_OK, ""};
        err = rd->nfields > c->ncols ? fail(&f, -1, MNV_ERR_CSV_FIELDS, NULL)
                                     : check_row(c, b, rs, &f);
        if (err == MNV_ERR_NOMEM)
            return err;
        rs->ok = err == MNV_OK;
        if (rs->ok)
            numberdb_blind_index(c->v, c->num, c->bis + c->nrows * VCRYPTO_HASH_LEN);
        else
            add_problem(c, rs->line, f.col, f.err, f.item);
        mynumber_clear(c->num);
        c->nrows++;
    }
    return err == MNV_ERR_NOT_FOUND ? MNV_OK : err;
}

static int cmp_bi(const void *a, const void *b, void *ud)
{
    const unsigned char *bis = ud;
    int r = memcmp(bis + *(const size_t *)a * VCRYPTO_HASH_LEN,
                   bis + *(const size_t *)b * VCRYPTO_HASH_LEN, VCRYPTO_HASH_LEN);
    return r ? r
             : (*(const size_t *)a > *(const size_t *)b) -
                   (*(const size_t *)a < *(const size_t *)b);
}

/* The same number on two lines: both lines are refused, each naming the other. */
static enum mnv_err duplicates_in_file(struct ctx *c)
{
    size_t *ix = malloc((c->nrows + 1) * sizeof(*ix)), n = 0;
    if (!ix)
        return MNV_ERR_NOMEM;
    for (size_t i = 0; i < c->nrows; i++)
        if (c->rows[i].ok)
            ix[n++] = i;
    qsort_r(ix, n, sizeof(*ix), cmp_bi, c->bis);
    for (size_t k = 1; k < n; k++) {
        const unsigned char *a = c->bis + ix[k - 1] * VCRYPTO_HASH_LEN;
        if (memcmp(a, c->bis + ix[k] * VCRYPTO_HASH_LEN, VCRYPTO_HASH_LEN) != 0)
            continue;
        char item[32];
        snprintf(item, sizeof(item), "%ld", c->rows[ix[k - 1]].line);
        add_problem(c, c->rows[ix[k]].line, C_NUMBER, MNV_ERR_IMPORT_DUP_FILE, item);
        if (c->rows[ix[k - 1]].ok) {
            snprintf(item, sizeof(item), "%ld", c->rows[ix[k]].line);
            add_problem(c, c->rows[ix[k - 1]].line, C_NUMBER, MNV_ERR_IMPORT_DUP_FILE, item);
        }
        c->rows[ix[k - 1]].ok = 0;
        c->rows[ix[k]].ok = 0;
    }
    free(ix);
    return MNV_OK;
}

static int by_line(const void *a, const void *b)
{
    long x = ((const struct import_problem *)a)->line, y = ((const struct import_problem *)b)->line;
    return (x > y) - (x < y);
}

static enum mnv_err write_row(struct ctx *c, struct bundle *b, struct rowstate *rs,
                              struct mnv_diag *diag)
{
    struct fault f;
    enum mnv_err err = parse_person(c, b, &f);
    if (err == MNV_OK)
        err = parse_number(c, &f);
    if (err == MNV_OK)
        err = parse_verification(c, b, &f);
    if (err == MNV_OK && !rs->person_id && rs->kind == PERSON_EMPLOYEE)
        err = new_employee(c, b, &f);
    if (err == MNV_OK && !rs->person_id && rs->kind == PERSON_DEPENDENT)
        err = new_dependent(b, &f);
    if (err != MNV_OK)
        return MNV_ERR_INVALID; /* the row changed between the passes: never */
    int adds = !rs->person_id;
    if (adds && rs->kind == PERSON_EMPLOYEE) {
        err = persondb_employee_insert(c->v, &b->emp, diag);
        rs->new_id = b->emp.id;
        c->rep->employees_added += err == MNV_OK;
    } else if (adds) {
        b->dep.employee_id = rs->employee_id ? rs->employee_id : c->rows[rs->employee_row].new_id;
        err = persondb_dependent_insert(c->v, &b->dep, diag);
        rs->new_id = b->dep.id;
        c->rep->dependents_added += err == MNV_OK;
    }
    if (err != MNV_OK)
        return err;
    b->req.person = (struct person_ref){rs->kind, adds ? rs->new_id : rs->person_id};
    b->req.number = c->num;
    struct collect_result res;
    err = collect_write(c->s, &b->req, adds, &res, diag);
    c->rep->numbers_stored += err == MNV_OK;
    c->rep->recollected += err == MNV_OK && res.recollected;
    return err;
}

static enum mnv_err write_all(struct ctx *c, struct csv_reader *rd, struct bundle *b,
                              struct mnv_diag *diag)
{
    enum mnv_err err = csv_next(rd, diag); /* the header */
    for (size_t i = 0; err == MNV_OK && i < c->nrows; i++) {
        if ((err = csv_next(rd, diag)) != MNV_OK)
            break;
        err = write_row(c, b, &c->rows[i], diag);
        mynumber_clear(c->num);
        if (err != MNV_OK && diag)
            diag->line = c->rows[i].line;
    }
    return err;
}

static void ctx_release(struct ctx *c)
{
    person_list_free(&c->people);
    free(c->rows);
    secmem_free(c->bis);
    secmem_free(c->num);
    strmap_free(&c->persons);
}

/* Both passes inside the open write transaction (one change: all rows or none). */
static enum mnv_err run(struct ctx *c, const char *text, size_t len, int dry_run,
                        struct mnv_diag *diag)
{
    struct csv_reader rd;
    struct bundle *b = secmem_alloc(sizeof(*b));
    enum mnv_err err = b ? csv_reader_init(&rd, text, len) : MNV_ERR_NOMEM;
    if (err != MNV_OK) {
        secmem_free(b);
        return err;
    }
    c->rd = &rd;
    err = read_header(c, &rd, diag);
    if (err == MNV_OK)
        err = persondb_list(c->v, &c->people, diag);
    if (err == MNV_OK)
        err = check_all(c, &rd, b, diag);
    if (err == MNV_OK && c->nrows == 0)
        err = MNV_ERR_IMPORT_EMPTY;
    if (err == MNV_OK)
        err = duplicates_in_file(c);
    c->rep->rows = (long)c->nrows;
    if (err == MNV_OK && c->rep->problems_total) {
        qsort(c->rep->problems, c->rep->nproblems, sizeof(*c->rep->problems), by_line);
        err = MNV_ERR_IMPORT_REFUSED;
    }
    if (err == MNV_OK && !dry_run) {
        csv_reader_release(&rd);
        err = csv_reader_init(&rd, text, len);
        if (err == MNV_OK)
            err = write_all(c, &rd, b, diag);
    }
    csv_reader_release(&rd);
    secmem_free(b);
    return err;
}

struct run_ctx {
    struct ctx *c;
    const char *text;
    size_t len;
    int dry_run;
};

static enum mnv_err run_body(struct session *s, struct change *ch, void *ud, struct mnv_diag *diag)
{
    (void)s;
    struct run_ctx *x = ud;
    const struct import_report *rep = x->c->rep;
    enum mnv_err err = run(x->c, x->text, x->len, x->dry_run, diag);
    ch->rollback = x->dry_run;
    change_detail(ch,
                  "rows=%ld employees_added=%ld dependents_added=%ld numbers=%ld recollected=%ld",
                  rep->rows, rep->employees_added, rep->dependents_added, rep->numbers_stored,
                  rep->recollected);
    return err;
}

enum mnv_err import_csv(struct session *s, const char *path, int dry_run, struct import_report *rep,
                        struct mnv_diag *diag)
{
    memset(rep, 0, sizeof(*rep));
    struct ctx c;
    memset(&c, 0, sizeof(c));
    c.s = s;
    c.v = session_vault(s);
    c.rep = rep;
    c.catalog = session_purposes(s);
    enum mnv_err err = access_check(s, ACT_PERSON_EDIT, "", diag);
    if (err == MNV_OK)
        err = access_check(s, ACT_NUMBER_STORE, "", diag);
    if (err == MNV_OK)
        err = collect_rules(&c.rules, diag);
    if (err == MNV_OK)
        err = load_words(diag);
    if (err != MNV_OK)
        return err;
    char *text;
    size_t len;
    err = csv_read_file(path, &text, &len, &rep->encoding, diag);
    if (err != MNV_OK)
        return err;
    c.num = secmem_alloc(sizeof(*c.num) + 128);
    struct run_ctx x = {&c, text, len, dry_run};
    err = c.num ? change_run(s, "import", NULL, run_body, &x, diag) : MNV_ERR_NOMEM;
    if (err != MNV_OK && err != MNV_ERR_IMPORT_REFUSED)
        rep->employees_added = rep->dependents_added = rep->numbers_stored = rep->recollected = 0;
    ctx_release(&c);
    secmem_free(text);
    return err;
}

void import_report_free(struct import_report *rep)
{
    if (!rep)
        return;
    free(rep->problems);
    rep->problems = NULL;
    rep->nproblems = 0;
}
