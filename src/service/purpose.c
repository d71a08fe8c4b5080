#include "mnvault/purpose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iniparser.h>

#include "mnvault/access.h"
#include "mnvault/audit.h"
#include "mnvault/inidata.h"
#include "mnvault/numberdb.h"
#include "mnvault/session.h"
#include "mnvault/utf8.h"

/* "section:key" into out: 0, or -1 when missing, empty, too long or not text. */
static int get_text(dictionary *d, const char *sec, const char *key, char *out, size_t size)
{
    return inidata_text(d, sec, key, out, size, 1);
}

static enum mnv_err bad(struct mnv_diag *diag, const char *path, const char *sec, const char *key)
{
    mnv_diag_where(diag, "%s", path);
    mnv_diag_item(diag, "%s%s%s", sec, key[0] ? "." : "", key);
    return MNV_ERR_PURPOSES_FILE;
}

static enum mnv_err read_sections(dictionary *d, const char *path, struct purpose_catalog *out,
                                  struct mnv_diag *diag)
{
    int n = iniparser_getnsec(d);
    if (n <= 0)
        return bad(diag, path, "", "");
    out->items = calloc((size_t)n, sizeof(*out->items));
    if (!out->items)
        return MNV_ERR_NOMEM;
    for (int i = 0; i < n; i++) {
        const char *sec = iniparser_getsecname(d, i);
        struct purpose_def *p = &out->items[out->count];
        if (!sec || !inidata_code_ok(sec, PURPOSE_CODE_MAX))
            return bad(diag, path, sec ? sec : "", "");
        snprintf(p->code, sizeof(p->code), "%s", sec);
        if (get_text(d, sec, "ja", p->name_ja, sizeof(p->name_ja)) < 0)
            return bad(diag, path, sec, "ja");
        if (get_text(d, sec, "en", p->name_en, sizeof(p->name_en)) < 0)
            return bad(diag, path, sec, "en");
        if (get_text(d, sec, "short_ja", p->short_ja, sizeof(p->short_ja)) < 0)
            return bad(diag, path, sec, "short_ja");
        if (get_text(d, sec, "short_en", p->short_en, sizeof(p->short_en)) < 0)
            return bad(diag, path, sec, "short_en");
        if (get_text(d, sec, "filings", p->filings, sizeof(p->filings)) < 0)
            return bad(diag, path, sec, "filings");
        out->count++;
    }
    return MNV_OK;
}

enum mnv_err purpose_catalog_load(const char *path, struct purpose_catalog *out,
                                  struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    dictionary *d;
    const char *used;
    enum mnv_err err = inidata_open(path, PURPOSE_FILE, &d, &used, diag);
    if (err == MNV_ERR_INVALID)
        return bad(diag, used, "", "");
    if (err != MNV_OK)
        return err;
    err = read_sections(d, used, out, diag);
    iniparser_freedict(d);
    if (err != MNV_OK)
        purpose_catalog_free(out);
    return err;
}

void purpose_catalog_free(struct purpose_catalog *c)
{
    if (!c)
        return;
    free(c->items);
    c->items = NULL;
    c->count = 0;
}

const struct purpose_def *purpose_find(const struct purpose_catalog *c, const char *code)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->items[i].code, code) == 0)
            return &c->items[i];
    return NULL;
}

int purpose_covers(const struct purpose_def *p, const char *filing)
{
    size_t fl = strlen(filing);
    const char *s = p->filings;
    while (*s) {
        while (*s == ' ' || *s == ',')
            s++;
        size_t n = strcspn(s, ", ");
        if (n == fl && n > 0 && strncmp(s, filing, n) == 0)
            return 1;
        s += n;
    }
    return 0;
}

static void subject_of(char *buf, size_t size, const struct person_ref *ref)
{
    snprintf(buf, size, "%s:%lld", ref->kind == PERSON_EMPLOYEE ? "employee" : "dependent",
             (long long)ref->id);
}

enum mnv_err purpose_notify(struct session *s, const struct person_ref *ref, const char *code,
                            const char *date, struct mnv_diag *diag)
{
    char subject[64], detail[96];
    subject_of(subject, sizeof(subject), ref);
    enum mnv_err err = access_check(s, ACT_PURPOSE_NOTIFY, subject, diag);
    if (err != MNV_OK)
        return err;
    if (!purpose_find(session_purposes(s), code)) {
        mnv_diag_item(diag, "%s", code);
        return MNV_ERR_PURPOSE_UNKNOWN;
    }
    if (person_check_date(date, 1) != MNV_OK)
        return MNV_ERR_FIELD_DATE;
    struct vault *v = session_vault(s);
    err = vault_begin(v, diag);
    if (err != MNV_OK)
        return err;
    struct number_info info;
    err = numberdb_get(v, ref, &info, diag);
    if (err == MNV_OK && info.status != NUMBER_REGISTERED)
        err = MNV_ERR_NUMBER_NONE;
    if (err == MNV_OK)
        err = numberdb_add_purpose(v, info.id, code, date, session_user(s), diag);
    snprintf(detail, sizeof(detail), "purpose=%s notified=%s", code, date);
    if (err == MNV_OK)
        err = audit_append(s, "purpose.notify", subject, "ok", detail, diag);
    if (err != MNV_OK) {
        vault_rollback(v);
        return err;
    }
    return vault_commit(v, diag);
}

enum mnv_err purpose_require(struct session *s, const struct person_ref *ref, const char *code,
                             const char *use, struct mnv_diag *diag)
{
    if (!purpose_find(session_purposes(s), code)) {
        mnv_diag_item(diag, "%s", code);
        return MNV_ERR_PURPOSE_UNKNOWN;
    }
    struct number_info info;
    enum mnv_err err = numberdb_get(session_vault(s), ref, &info, diag);
    if (err != MNV_OK)
        return err;
    for (size_t i = 0; i < info.n_purposes; i++)
        if (strcmp(info.purposes[i].code, code) == 0)
            return MNV_OK;
    char subject[64], detail[96];
    subject_of(subject, sizeof(subject), ref);
    snprintf(detail, sizeof(detail), "purpose=%s not_notified", code);
    if (vault_in_tx(session_vault(s))) {
        /* The caller's transaction may be rolled back; the refusal must stay. */
        return MNV_ERR_INVALID;
    }
    audit_note(s, use, subject, "refused", detail);
    mnv_diag_item(diag, "%s", code);
    return MNV_ERR_PURPOSE_NOT_NOTIFIED;
}
