#include "mnvault/purposecat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <iniparser.h>

#include "mnvault/inidata.h"

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
