/*
 * import_row.c: reading one row of an import file (import_priv.h): the person, the number,
 * how it was verified and the purposes, in the words people and payroll systems write
 * (data/import-words.ini, Japanese era dates).
 */
#include "import_priv.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mnvault/secmem.h"
#include "mnvault/synonyms.h"
#include "mnvault/utf8.h"
#include "mnvault/wareki.h"

/* The trimmed text of column col of the current record into out; "" when absent. */
const char *import_get(const struct ctx *c, int col, char *out, size_t size)
{
    return csv_field(c->rd, c->colmap[col], out, size);
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

enum mnv_err import_words_load(struct mnv_diag *diag)
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

/* The purpose a word names: its code, its text or short name (Japanese or English, as the
 * notice and the screens write them), or the start of one short name only (源泉 for
 * 源泉徴収票; two characters at least); NULL for none, or for the start of several. */
static const char *purpose_word(const struct purpose_catalog *cat, const char *w)
{
    for (size_t i = 0; i < cat->count; i++) {
        const struct purpose_def *p = &cat->items[i];
        if (!strcmp(w, p->code) || !strcmp(w, p->name_ja) || !strcasecmp(w, p->name_en) ||
            !strcmp(w, p->short_ja) || !strcasecmp(w, p->short_en))
            return p->code;
    }
    size_t n = strlen(w);
    uint32_t cp;
    int first = utf8_decode(w, n, &cp);
    if (first <= 0 || (size_t)first >= n)
        return NULL; /* one character says too little */
    const char *found = NULL;
    for (size_t i = 0; i < cat->count; i++) {
        const struct purpose_def *p = &cat->items[i];
        if (!strncmp(w, p->short_ja, n) || !strncasecmp(w, p->short_en, n)) {
            if (found && strcmp(found, p->code) != 0)
                return NULL;
            found = p->code;
        }
    }
    return found;
}

static enum mnv_err parse_purposes(const struct ctx *c, const char *text, const char *date,
                                   struct collect_request *req, const char **bad)
{
    static char item[PURPOSE_NAME_MAX + 1];
    const char *p = text;
    while (next_item(&p, item, sizeof(item)) > 0) {
        if (req->npurposes >= NUMBER_PURPOSES_MAX)
            return MNV_ERR_RANGE;
        const char *code = purpose_word(c->catalog, item);
        if (!code) {
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

enum mnv_err import_fail(struct fault *f, int col, enum mnv_err err, const char *item)
{
    if (f->n < IMPORT_ROW_FAULTS_MAX) {
        f->at[f->n].col = col;
        f->at[f->n].err = err;
        snprintf(f->at[f->n].item, sizeof(f->at[0].item), "%.63s", item ? item : "");
        f->n++;
    }
    return err;
}

enum mnv_err import_first(enum mnv_err a, enum mnv_err b)
{
    return a != MNV_OK ? a : b;
}

static enum mnv_err parse_dates(struct ctx *c, struct bundle *b, struct fault *f)
{
    char t[64];
    enum mnv_err err = date_field(import_get(c, C_BIRTH, t, sizeof(t)), b->emp.birth_date);
    if (err != MNV_OK)
        import_fail(f, C_BIRTH, err, NULL);
    memcpy(b->dep.birth_date, b->emp.birth_date, sizeof(b->dep.birth_date));
    enum mnv_err hire = date_field(import_get(c, C_HIRE, t, sizeof(t)), b->emp.hire_date);
    if (hire != MNV_OK)
        import_fail(f, C_HIRE, hire, NULL);
    return import_first(err, hire);
}

/* The person's own fields (no look-up yet). */
enum mnv_err import_parse_person(struct ctx *c, struct bundle *b, struct fault *f)
{
    char t[PERSON_ADDRESS_MAX + 2];
    memset(b, 0, sizeof(*b));
    /* t first: the fault below looks at it whichever check failed. */
    if (strlen(import_get(c, C_CODE, t, sizeof(t))) > PERSON_CODE_MAX ||
        person_check_code(import_get(c, C_CODE, b->emp.code, sizeof(b->emp.code))) != MNV_OK)
        return import_fail(f, C_CODE, t[0] ? MNV_ERR_FIELD_CHARS : MNV_ERR_FIELD_EMPTY, NULL);
    import_get(c, C_DEP_NAME, b->dep_name, sizeof(b->dep_name));
    import_get(c, C_NAME, b->emp.name, sizeof(b->emp.name));
    import_get(c, C_KANA, b->emp.kana, sizeof(b->emp.kana));
    snprintf(b->dep.name, sizeof(b->dep.name), "%s", b->dep_name);
    snprintf(b->dep.kana, sizeof(b->dep.kana), "%s", b->emp.kana);
    enum mnv_err err = parse_dates(c, b, f);
    import_get(c, C_SEX, t, sizeof(t));
    b->emp.sex = b->dep.sex = sex_word(t);
    if (t[0] && !b->emp.sex)
        err = import_first(err, import_fail(f, C_SEX, MNV_ERR_IMPORT_FIELD_VALUE, NULL));
    import_get(c, C_RELATION, t, sizeof(t));
    b->relation = b->dep.relation = t[0] ? relation_word(t) : 0;
    if (t[0] && !b->relation)
        err = import_first(err, import_fail(f, C_RELATION, MNV_ERR_IMPORT_FIELD_VALUE, NULL));
    import_get(c, C_POSTAL, b->emp.postal_code, sizeof(b->emp.postal_code));
    import_get(c, C_ADDRESS, b->emp.address, sizeof(b->emp.address));
    return err;
}

enum mnv_err import_parse_number(struct ctx *c, struct fault *f)
{
    char *t = (char *)c->num + sizeof(*c->num); /* secmem room behind the number */
    import_get(c, C_NUMBER, t, 128);
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = mynumber_parse(c->num, MYNUMBER_INDIVIDUAL, t, strlen(t), &d);
    secmem_wipe(t, 128);
    return err == MNV_OK ? MNV_OK : import_fail(f, C_NUMBER, err, NULL);
}

int import_col_for_judge(enum mnv_err err, const char *item)
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
enum mnv_err import_parse_verification(struct ctx *c, struct bundle *b, struct fault *f)
{
    struct collect_request *req = &b->req;
    char t[1024], date[11];
    const char *bad = NULL;
    snprintf(req->route, sizeof(req->route), "%s",
             route_code(c->rules, import_get(c, C_ROUTE, t, sizeof(t))));
    /* Each field on its own: every fault of the row is reported. */
    enum mnv_err err = MNV_OK, e;
    int ch =
        import_get(c, C_CHANNEL, t, sizeof(t))[0] ? idrules_channel_parse(t) : ID_CHANNEL_IN_PERSON;
    if (ch < 0)
        err = import_fail(f, C_CHANNEL, MNV_ERR_ID_CHANNEL_UNKNOWN, NULL);
    req->channel = ch < 0 ? ID_CHANNEL_IN_PERSON : (enum id_channel)ch;
    if ((req->known_in_person = yes_no(import_get(c, C_KNOWN, t, sizeof(t)))) < 0)
        err = import_first(err, import_fail(f, C_KNOWN, MNV_ERR_IMPORT_FIELD_VALUE, NULL));
    if ((e = parse_docs(c, import_get(c, C_DOCS, t, sizeof(t)), req, &bad)) != MNV_OK)
        err = import_first(err, import_fail(f, C_DOCS, e, bad));
    import_get(c, C_VERIFIED_BY, req->verified_by, sizeof(req->verified_by));
    e = date_field(import_get(c, C_VERIFIED_ON, t, sizeof(t)), req->verified_on);
    if (e != MNV_OK || !req->verified_on[0])
        err = import_first(
            err, import_fail(f, C_VERIFIED_ON, e != MNV_OK ? e : MNV_ERR_FIELD_DATE, NULL));
    if ((e = date_field(import_get(c, C_NOTIFIED_ON, t, sizeof(t)), date)) != MNV_OK) {
        err = import_first(err, import_fail(f, C_NOTIFIED_ON, e, NULL));
        date[0] = '\0';
    }
    e = parse_purposes(c, import_get(c, C_PURPOSES, t, sizeof(t)),
                       date[0] ? date : req->verified_on, req, &bad);
    return e == MNV_OK ? err : import_first(err, import_fail(f, C_PURPOSES, e, bad));
}
