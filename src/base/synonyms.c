#include "mnvault/synonyms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/inidata.h"
#include "mnvault/strbuf.h"

static enum mnv_err bad(struct mnv_diag *diag, const char *path, const char *key)
{
    mnv_diag_where(diag, "%s", path);
    mnv_diag_item(diag, "%s", key);
    return MNV_ERR_INVALID;
}

/* Add "section\x1fword" → code index; a word given twice is an error. */
static enum mnv_err add_word(struct synonyms *s, const char *sec, const char *word, size_t code)
{
    struct strbuf k = STRBUF_INIT;
    strbuf_addf(&k, "%s\x1f%s", sec, word);
    enum mnv_err err = strbuf_error(&k);
    if (err == MNV_OK && strmap_get(&s->words, strbuf_str(&k)) >= 0)
        err = MNV_ERR_INVALID;
    if (err == MNV_OK)
        err = strmap_put(&s->words, strbuf_str(&k), (long)code);
    strbuf_release(&k);
    return err;
}

/* One key "section:code = word, word …". */
static enum mnv_err add_key(struct synonyms *s, size_t *cap, const char *seckey, const char *value)
{
    const char *colon = strchr(seckey, ':');
    if (!colon || !value)
        return MNV_ERR_INVALID;
    char **codes = alloc_grow(s->codes, cap, s->ncodes + 1, sizeof(*codes));
    if (!codes)
        return MNV_ERR_NOMEM;
    s->codes = codes;
    size_t code = s->ncodes;
    struct strbuf c = STRBUF_INIT;
    strbuf_add(&c, seckey, (size_t)(colon - seckey));
    strbuf_addc(&c, '\x1f');
    strbuf_adds(&c, colon + 1);
    if (!(s->codes[code] = strbuf_detach(&c, NULL)))
        return MNV_ERR_NOMEM;
    s->ncodes++;
    char sec[128];
    snprintf(sec, sizeof(sec), "%.*s", (int)(colon - seckey), seckey);
    enum mnv_err err = add_word(s, sec, colon + 1, code); /* the code means itself */
    for (const char *p = value; err == MNV_OK && *p;) {
        size_t n = strcspn(p, ",");
        while (n && *p == ' ')
            p++, n--;
        size_t w = n;
        while (w && p[w - 1] == ' ')
            w--;
        char word[128];
        if (w >= sizeof(word))
            return MNV_ERR_INVALID;
        snprintf(word, sizeof(word), "%.*s", (int)w, p);
        if (w && strcmp(word, colon + 1) != 0)
            err = add_word(s, sec, word, code);
        p += n;
        if (*p == ',')
            p++;
    }
    return err;
}

enum mnv_err synonyms_load(const char *path, const char *name, struct synonyms *out,
                           struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    dictionary *d;
    const char *used;
    enum mnv_err err = inidata_open(path, name, &d, &used, diag);
    if (err == MNV_ERR_INVALID)
        return bad(diag, used, "");
    if (err != MNV_OK)
        return err;
    size_t cap = 0;
    for (int i = 0; err == MNV_OK && i < iniparser_getnsec(d); i++) {
        const char *sec = iniparser_getsecname(d, i);
        int n = sec ? iniparser_getsecnkeys(d, sec) : 0;
        const char **keys = n > 0 ? calloc((size_t)n, sizeof(*keys)) : NULL;
        if (n > 0 && (!keys || !iniparser_getseckeys(d, sec, keys)))
            err = MNV_ERR_NOMEM;
        for (int k = 0; err == MNV_OK && k < n; k++) {
            err = add_key(out, &cap, keys[k], iniparser_getstring(d, keys[k], NULL));
            if (err == MNV_ERR_INVALID) {
                const char *colon = strchr(keys[k], ':');
                bad(diag, used, "");
                mnv_diag_item(diag, "%s.%s", sec, colon ? colon + 1 : keys[k]);
            }
        }
        free(keys);
    }
    iniparser_freedict(d);
    if (err != MNV_OK)
        synonyms_free(out);
    return err;
}

const char *synonyms_code(const struct synonyms *s, const char *section, const char *word)
{
    struct strbuf k = STRBUF_INIT;
    strbuf_addf(&k, "%s\x1f%s", section, word);
    long i = strbuf_error(&k) == MNV_OK ? strmap_get(&s->words, strbuf_str(&k)) : -1;
    strbuf_release(&k);
    if (i < 0 || (size_t)i >= s->ncodes)
        return NULL;
    return strchr(s->codes[i], '\x1f') + 1;
}

void synonyms_free(struct synonyms *s)
{
    strmap_free(&s->words);
    for (size_t i = 0; i < s->ncodes; i++)
        free(s->codes[i]);
    free(s->codes);
    memset(s, 0, sizeof(*s));
}
