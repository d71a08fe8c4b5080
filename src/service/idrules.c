#include "mnvault/idrules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iniparser.h>

#include "mnvault/inidata.h"
#include "mnvault/utf8.h"

static const char *const check_names[ID_CHECK__COUNT] = {"number", "identity", "authority",
                                                         "agent_identity"};
static const char *const channel_names[ID_CHANNEL__COUNT] = {"in_person", "post", "online"};
static const char *const channel_words_ja[ID_CHANNEL__COUNT] = {"対面", "郵送", "オンライン"};

const char *idrules_check_name(enum id_check c)
{
    return (c >= 0 && c < ID_CHECK__COUNT) ? check_names[c] : "";
}

int idrules_check_parse(const char *text)
{
    for (int i = 0; i < ID_CHECK__COUNT; i++)
        if (strcmp(text, check_names[i]) == 0)
            return i;
    return -1;
}

const char *idrules_channel_name(enum id_channel c)
{
    return (c >= 0 && c < ID_CHANNEL__COUNT) ? channel_names[c] : "";
}

int idrules_channel_parse(const char *text)
{
    for (int i = 0; i < ID_CHANNEL__COUNT; i++)
        if (strcmp(text, channel_names[i]) == 0 || strcmp(text, channel_words_ja[i]) == 0)
            return i;
    return -1;
}

/* ---- loading ------------------------------------------------------------------------------ */

struct loader {
    dictionary *d;
    const char *path;
    struct mnv_diag *diag;
};

static enum mnv_err bad(struct loader *l, const char *sec, const char *key)
{
    mnv_diag_where(l->diag, "%s", l->path);
    mnv_diag_item(l->diag, "%s%s%s", sec, key[0] ? "." : "", key);
    return MNV_ERR_IDRULES_FILE;
}

/* "section:key" into out: 0; 1 when missing (and !required, out = ""); -1 when bad. */
static int get_text(struct loader *l, const char *sec, const char *key, char *out, size_t size,
                    int required)
{
    return inidata_text(l->d, sec, key, out, size, required);
}

/* Split a comma list and map each word through names[0..n) to bits; -1 on an unknown word. */
static long word_bits(const char *list, const char *const *names, int n, int shift_base)
{
    long bits = 0;
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, ", ");
        int found = -1;
        for (int i = 0; i < n; i++)
            if (names[i] && strlen(names[i]) == len && strncmp(p, names[i], len) == 0)
                found = i;
        if (found < 0)
            return -1;
        bits |= 1L << (found + shift_base);
        p += len;
    }
    return bits;
}

static int yes_no(struct loader *l, const char *sec, const char *key, int *out)
{
    char v[16];
    int r = get_text(l, sec, key, v, sizeof(v), 0);
    if (r < 0)
        return -1;
    if (r == 1 || strcmp(v, "no") == 0) {
        *out = 0;
        return 0;
    }
    if (strcmp(v, "yes") == 0) {
        *out = 1;
        return 0;
    }
    return -1;
}

static const char *const proof_names[] = {"number", "identity", "identity_part",
                                          "identity_supplement", "authority"};
static const char *const kind_names[] = {NULL, "employee", "dependent"};
static const char *const relation_names[] = {NULL, "spouse", "child", "parent", "other"};

static enum mnv_err load_doc(struct loader *l, const char *sec, struct id_doc_def *d)
{
    char buf[IDRULES_PURPOSES_MAX + 1];
    snprintf(d->code, sizeof(d->code), "%s", sec + 4);
    if (get_text(l, sec, "ja", d->name_ja, sizeof(d->name_ja), 1) < 0)
        return bad(l, sec, "ja");
    if (get_text(l, sec, "en", d->name_en, sizeof(d->name_en), 1) < 0)
        return bad(l, sec, "en");
    long bits;
    if (get_text(l, sec, "proves", buf, sizeof(buf), 0) < 0 ||
        (bits = word_bits(buf, proof_names, 5, 0)) < 0)
        return bad(l, sec, "proves");
    d->proves = (unsigned)bits;
    if (get_text(l, sec, "channels", buf, sizeof(buf), 1) < 0 ||
        (bits = word_bits(buf, channel_names, ID_CHANNEL__COUNT, 0)) <= 0)
        return bad(l, sec, "channels");
    d->channels = (unsigned)bits;
    if (yes_no(l, sec, "ref", &d->ref_allowed) < 0)
        return bad(l, sec, "ref");
    if (get_text(l, sec, "usable_until", d->usable_until, sizeof(d->usable_until), 0) < 0 ||
        person_check_date(d->usable_until, 0) != MNV_OK)
        return bad(l, sec, "usable_until");
    if (get_text(l, sec, "note_ja", d->note_ja, sizeof(d->note_ja), 0) < 0)
        return bad(l, sec, "note_ja");
    if (get_text(l, sec, "note_en", d->note_en, sizeof(d->note_en), 0) < 0)
        return bad(l, sec, "note_en");
    return MNV_OK;
}

static enum mnv_err load_route(struct loader *l, const char *sec, struct id_route_def *r)
{
    char buf[IDRULES_PURPOSES_MAX + 1];
    snprintf(r->code, sizeof(r->code), "%s", sec + 6);
    if (get_text(l, sec, "ja", r->name_ja, sizeof(r->name_ja), 1) < 0)
        return bad(l, sec, "ja");
    if (get_text(l, sec, "en", r->name_en, sizeof(r->name_en), 1) < 0)
        return bad(l, sec, "en");
    long bits;
    if (get_text(l, sec, "persons", buf, sizeof(buf), 1) < 0 ||
        (bits = word_bits(buf, kind_names, 3, 0)) <= 0)
        return bad(l, sec, "persons");
    r->persons = (unsigned)bits;
    if (get_text(l, sec, "relations", buf, sizeof(buf), 0) < 0 ||
        (bits = word_bits(buf, relation_names, 5, 0)) < 0)
        return bad(l, sec, "relations");
    r->relations = (unsigned)bits;
    if (get_text(l, sec, "requires", buf, sizeof(buf), 0) < 0 ||
        (bits = word_bits(buf, check_names, ID_CHECK__COUNT, 0)) < 0)
        return bad(l, sec, "requires");
    r->requires = (unsigned)bits;
    if (yes_no(l, sec, "known_in_person", &r->known_in_person) < 0)
        return bad(l, sec, "known_in_person");
    if (yes_no(l, sec, "declarant_verified", &r->declarant_verified) < 0)
        return bad(l, sec, "declarant_verified");
    if (get_text(l, sec, "purposes", r->purposes, sizeof(r->purposes), 0) < 0)
        return bad(l, sec, "purposes");
    int notice = get_text(l, sec, "notice", buf, sizeof(buf), 0);
    if (notice < 0 || (notice == 0 && strcmp(buf, "before") != 0 && strcmp(buf, "after") != 0))
        return bad(l, sec, "notice");
    r->notice_after = notice == 0 && strcmp(buf, "after") == 0;
    /* Identity is checked on the person or on the agent, never required for both. */
    if ((r->requires & (1u << ID_CHECK_AGENT_IDENTITY)) &&
        !(r->requires & (1u << ID_CHECK_AUTHORITY)))
        return bad(l, sec, "requires");
    return MNV_OK;
}

static enum mnv_err load_rules(struct loader *l, struct idrules *out)
{
    char buf[128];
    if (get_text(l, "rules", "identity_parts", buf, sizeof(buf), 1) < 0)
        return bad(l, "rules", "identity_parts");
    char *end;
    errno = 0;
    long parts = strtol(buf, &end, 10);
    if (errno || *end || parts < 1 || parts > IDRULES_DOCS_MAX)
        return bad(l, "rules", "identity_parts");
    out->identity_parts = (int)parts;
    long bits;
    if (get_text(l, "rules", "known_in_person_channels", buf, sizeof(buf), 0) < 0 ||
        (bits = word_bits(buf, channel_names, ID_CHANNEL__COUNT, 0)) < 0)
        return bad(l, "rules", "known_in_person_channels");
    out->known_channels = (unsigned)bits;
    return MNV_OK;
}

static enum mnv_err load_all(struct loader *l, struct idrules *out)
{
    int n = iniparser_getnsec(l->d);
    if (n <= 0)
        return bad(l, "", "");
    out->docs = calloc((size_t)n, sizeof(*out->docs));
    out->routes = calloc((size_t)n, sizeof(*out->routes));
    if (!out->docs || !out->routes)
        return MNV_ERR_NOMEM;
    int have_rules = 0;
    for (int i = 0; i < n; i++) {
        const char *sec = iniparser_getsecname(l->d, i);
        enum mnv_err err = MNV_OK;
        if (!sec)
            return bad(l, "", "");
        if (strcmp(sec, "rules") == 0) {
            have_rules = 1;
            err = load_rules(l, out);
        } else if (strncmp(sec, "doc.", 4) == 0 && inidata_code_ok(sec + 4, IDRULES_CODE_MAX)) {
            if (idrules_doc(out, sec + 4))
                return bad(l, sec, "");
            err = load_doc(l, sec, &out->docs[out->ndocs]);
            out->ndocs += err == MNV_OK;
        } else if (strncmp(sec, "route.", 6) == 0 && inidata_code_ok(sec + 6, IDRULES_CODE_MAX)) {
            if (idrules_route(out, sec + 6))
                return bad(l, sec, "");
            err = load_route(l, sec, &out->routes[out->nroutes]);
            out->nroutes += err == MNV_OK;
        } else {
            return bad(l, sec, "");
        }
        if (err != MNV_OK)
            return err;
    }
    if (!have_rules)
        return bad(l, "rules", "");
    if (out->ndocs == 0 || out->nroutes == 0)
        return bad(l, out->ndocs ? "route" : "doc", "");
    return MNV_OK;
}

enum mnv_err idrules_load(const char *path, struct idrules *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    struct loader l = {NULL, NULL, diag};
    enum mnv_err err = inidata_open(path, IDRULES_FILE, &l.d, &l.path, diag);
    if (err == MNV_ERR_INVALID)
        return bad(&l, "", "");
    if (err != MNV_OK)
        return err;
    err = load_all(&l, out);
    iniparser_freedict(l.d);
    if (err != MNV_OK)
        idrules_free(out);
    return err;
}

void idrules_free(struct idrules *r)
{
    if (!r)
        return;
    free(r->docs);
    free(r->routes);
    memset(r, 0, sizeof(*r));
}

const struct id_doc_def *idrules_doc(const struct idrules *r, const char *code)
{
    for (size_t i = 0; i < r->ndocs; i++)
        if (strcmp(r->docs[i].code, code) == 0)
            return &r->docs[i];
    return NULL;
}

const struct id_route_def *idrules_route(const struct idrules *r, const char *code)
{
    for (size_t i = 0; i < r->nroutes; i++)
        if (strcmp(r->routes[i].code, code) == 0)
            return &r->routes[i];
    return NULL;
}

/* ---- judging ---------------------------------------------------------------------------- */

int idrules_doc_fits(const struct id_doc_def *d, enum id_check c)
{
    switch (c) {
    case ID_CHECK_NUMBER:
        return (d->proves & ID_PROVES_NUMBER) != 0;
    case ID_CHECK_IDENTITY:
    case ID_CHECK_AGENT_IDENTITY:
        return (d->proves & (ID_PROVES_IDENTITY | ID_PROVES_IDENTITY_PART |
                             ID_PROVES_IDENTITY_SUPPLEMENT)) != 0;
    case ID_CHECK_AUTHORITY:
        return (d->proves & ID_PROVES_AUTHORITY) != 0;
    default:
        return 0;
    }
}

int idrules_route_applies(const struct id_route_def *route, enum person_kind kind,
                          enum dependent_relation relation)
{
    if (!(route->persons & (1u << kind)))
        return 0;
    if (kind == PERSON_DEPENDENT && route->relations && !(route->relations & (1u << relation)))
        return 0;
    return 1;
}

int idrules_route_allows_purpose(const struct id_route_def *route, const char *code)
{
    if (!route->purposes[0])
        return 1;
    size_t n = strlen(code);
    const char *p = route->purposes;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ", ");
        if (len == n && len > 0 && strncmp(p, code, n) == 0)
            return 1;
        p += len;
    }
    return 0;
}

enum id_check idrules_route_waives(const struct id_route_def *route)
{
    return (route->requires & (1u << ID_CHECK_AGENT_IDENTITY)) ? ID_CHECK_AGENT_IDENTITY
                                                               : ID_CHECK_IDENTITY;
}

enum mnv_err idrules_missing_error(enum id_check c)
{
    switch (c) {
    case ID_CHECK_NUMBER:
        return MNV_ERR_ID_NUMBER_MISSING;
    case ID_CHECK_IDENTITY:
        return MNV_ERR_ID_IDENTITY_MISSING;
    case ID_CHECK_AUTHORITY:
        return MNV_ERR_ID_AUTHORITY_MISSING;
    default:
        return MNV_ERR_ID_AGENT_MISSING;
    }
}

int idrules_known_allowed(const struct idrules *r, const struct id_route_def *route,
                          enum id_channel channel)
{
    return route->known_in_person && (unsigned)channel < ID_CHANNEL__COUNT &&
           (r->known_channels & (1u << channel)) != 0;
}

size_t idrules_plan(const struct id_route_def *route, int known, enum id_check out[ID_CHECK__COUNT])
{
    static const enum id_check order[] = {ID_CHECK_NUMBER, ID_CHECK_IDENTITY, ID_CHECK_AUTHORITY,
                                          ID_CHECK_AGENT_IDENTITY};
    size_t n = 0;
    for (size_t i = 0; i < MNV_ARRAY_LEN(order); i++)
        if ((route->requires & (1u << order[i])) &&
            !(known && order[i] == idrules_route_waives(route)))
            out[n++] = order[i];
    return n;
}

int idrules_doc_offered(const struct id_doc_def *d, enum id_check c, enum id_channel channel,
                        const char *date)
{
    if ((unsigned)channel >= ID_CHANNEL__COUNT || !idrules_doc_fits(d, c) ||
        !(d->channels & (1u << channel)))
        return 0;
    return !(d->usable_until[0] && date && strcmp(date, d->usable_until) > 0);
}

static int ref_ok(const char *ref)
{
    size_t n = strlen(ref);
    if (n > IDRULES_REF_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((ref[i] >= '0' && ref[i] <= '9') || (ref[i] >= 'A' && ref[i] <= 'Z') ||
              (ref[i] >= 'a' && ref[i] <= 'z')))
            return 0;
    return 1;
}

/* The agent's documents are the agent's; every other check is about the person. */
static int holder(enum id_check c)
{
    return c == ID_CHECK_AGENT_IDENTITY;
}

static enum mnv_err doc_error(struct mnv_diag *diag, size_t i, const char *code, enum mnv_err err)
{
    mnv_diag_item(diag, "%s", code);
    if (diag)
        diag->line = (long)i + 1;
    return err;
}

/* Check one document on its own; NULL def when unknown. */
static enum mnv_err judge_doc(const struct idrules *r, const struct id_case *c, size_t i,
                              const struct id_doc_def **def, struct mnv_diag *diag)
{
    const struct id_presented *p = &c->docs[i];
    const char *code = p->doc ? p->doc : "";
    const struct id_doc_def *d = idrules_doc(r, code);
    *def = d;
    if (!d)
        return doc_error(diag, i, code, MNV_ERR_ID_DOC_UNKNOWN);
    if ((int)p->check < 0 || p->check >= ID_CHECK__COUNT || !idrules_doc_fits(d, p->check))
        return doc_error(diag, i, code, MNV_ERR_ID_DOC_WRONG_CHECK);
    if (!(d->channels & (1u << c->channel)))
        return doc_error(diag, i, code, MNV_ERR_ID_DOC_CHANNEL);
    if (d->usable_until[0] && c->date && strcmp(c->date, d->usable_until) > 0)
        return doc_error(diag, i, code, MNV_ERR_ID_DOC_EXPIRED);
    if (p->ref && p->ref[0] && !d->ref_allowed)
        return doc_error(diag, i, code, MNV_ERR_ID_REF_NUMBER);
    if (p->ref && !ref_ok(p->ref))
        return doc_error(diag, i, code, MNV_ERR_ID_REF);
    for (size_t k = 0; k < i; k++)
        if (c->docs[k].doc && strcmp(c->docs[k].doc, code) == 0 &&
            holder(c->docs[k].check) == holder(p->check))
            return doc_error(diag, i, code, MNV_ERR_ID_DOC_REPEAT);
    return MNV_OK;
}

/* Identity from counts: alone, parts, supplements. Sets more_parts. */
static int identity_proven(const struct idrules *r, const int n[3], int *more)
{
    *more = 0;
    if (n[0] > 0)
        return 1;
    if (n[1] > 0 && n[1] + n[2] >= r->identity_parts)
        return 1;
    int need = r->identity_parts - n[1] - n[2];
    *more = n[1] == 0 && need < 1 ? 1 : need;
    return 0;
}

static void count_identity(const struct id_doc_def *d, int n[3])
{
    if (d->proves & ID_PROVES_IDENTITY)
        n[0]++;
    else if (d->proves & ID_PROVES_IDENTITY_PART)
        n[1]++;
    else if (d->proves & ID_PROVES_IDENTITY_SUPPLEMENT)
        n[2]++;
}

static enum mnv_err judge_case(const struct idrules *r, const struct id_case *c,
                               const struct id_route_def **route, struct mnv_diag *diag)
{
    *route = c->route ? idrules_route(r, c->route) : NULL;
    if (!*route) {
        mnv_diag_item(diag, "%s", c->route ? c->route : "");
        return MNV_ERR_ID_ROUTE_UNKNOWN;
    }
    if ((int)c->channel < 0 || c->channel >= ID_CHANNEL__COUNT)
        return MNV_ERR_ID_CHANNEL_UNKNOWN;
    if (!idrules_route_applies(*route, c->kind, c->relation))
        return MNV_ERR_ID_ROUTE_PERSON;
    if ((*route)->declarant_verified && !c->declarant_verified)
        return MNV_ERR_ID_DECLARANT;
    if (c->known_in_person &&
        (!(*route)->known_in_person || !(r->known_channels & (1u << c->channel))))
        return MNV_ERR_ID_EXEMPTION;
    if (c->ndocs > IDRULES_DOCS_MAX)
        return MNV_ERR_ID_DOC_COUNT;
    return MNV_OK;
}

enum mnv_err idrules_evaluate(const struct idrules *r, const struct id_case *c,
                              struct id_verdict *v, struct mnv_diag *diag)
{
    memset(v, 0, sizeof(*v));
    const struct id_route_def *route;
    enum mnv_err err = judge_case(r, c, &route, diag);
    if (err != MNV_OK)
        return err;
    v->required = route->requires;
    int person[3] = {0, 0, 0}, agent[3] = {0, 0, 0};
    for (size_t i = 0; i < c->ndocs; i++) {
        const struct id_doc_def *d;
        err = judge_doc(r, c, i, &d, diag);
        if (err != MNV_OK)
            return err;
        if (c->docs[i].check == ID_CHECK_AGENT_IDENTITY) {
            count_identity(d, agent);
            continue;
        }
        if (c->docs[i].check == ID_CHECK_AUTHORITY) {
            v->satisfied |= 1u << ID_CHECK_AUTHORITY;
            continue;
        }
        /* The person's own document counts for everything it proves about them: a My
         * Number card shown for the number also proves identity. */
        if (d->proves & ID_PROVES_NUMBER)
            v->satisfied |= 1u << ID_CHECK_NUMBER;
        count_identity(d, person);
    }
    enum id_check waived = idrules_route_waives(route);
    if (identity_proven(r, person, &v->more_parts[ID_CHECK_IDENTITY]))
        v->satisfied |= 1u << ID_CHECK_IDENTITY;
    if (identity_proven(r, agent, &v->more_parts[ID_CHECK_AGENT_IDENTITY]))
        v->satisfied |= 1u << ID_CHECK_AGENT_IDENTITY;
    /* 人違いでないことが明らかな場合 (施行規則 第3条第5項; for an agent 第9条): the
     * identity documents of whoever hands the number over are not needed. */
    if (c->known_in_person) {
        v->satisfied |= 1u << waived;
        v->more_parts[waived] = 0;
    }
    for (int k = 0; k < ID_CHECK__COUNT; k++)
        if ((v->required & (1u << k)) && !(v->satisfied & (1u << k)))
            return idrules_missing_error((enum id_check)k);
    return MNV_OK;
}
