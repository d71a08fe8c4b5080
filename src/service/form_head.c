/*
 * form_head.c: a layout's head — the lines written before the records, such as the
 * pension office's 媒体管理レコード, [kanri], 事業所情報 and [data] — and its limits (form.h,
 * doc/forms.md).
 *
 *   [head]
 *   1.1 = office.prefecture | H | =2 | digits | Y | 都道府県コード | S
 *   2.1 = =[kanri] | H | 7 | text | Y | 管理情報 | S
 *   [limits]
 *   max_bytes = 4718591
 *
 * Keys are line.field, both from 1 without gaps; each value is a field as in [fields]. The
 * head becomes a layout of its own (l->head) whose fields carry their line, so a source
 * fills it as one record and the record checks apply to it.
 */
#include "form_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/i18n.h"

#define HEAD_LINES_MAX 16
#define HEAD_FIELDS_MAX 32 /* on one line */

static enum mnv_err bad(struct mnv_diag *diag, const char *item, const char *why)
{
    mnv_diag_item(diag, "%s", item);
    mnv_diag_detail(diag, "%s", why);
    return MNV_ERR_FORM_FILE;
}

/* How many fields line has (keys line.1, line.2 … without a gap). */
static int fields_on(dictionary *d, int line)
{
    int n = 0;
    for (;;) {
        char key[48];
        snprintf(key, sizeof(key), "head:%d.%d", line, n + 1);
        if (!iniparser_find_entry(d, key) || n == HEAD_FIELDS_MAX)
            return n;
        n++;
    }
}

static enum mnv_err read_limits(dictionary *d, struct form_layout *l, struct mnv_diag *diag)
{
    const char *v = iniparser_getstring(d, "limits:max_bytes", NULL);
    if (!v)
        return MNV_OK;
    char *end;
    long long n = strtoll(v, &end, 10);
    if (*end || n < 1024 || n > (1LL << 40))
        return bad(diag, "[limits] max_bytes", N_("a size in bytes"));
    l->max_bytes = n;
    return MNV_OK;
}

enum mnv_err form_head_read(dictionary *d, struct form_layout *l, struct mnv_diag *diag)
{
    enum mnv_err err = read_limits(d, l, diag);
    int keys = iniparser_getsecnkeys(d, "head");
    if (err != MNV_OK || keys <= 0)
        return err;
    int lines = 0, total = 0;
    while (lines < HEAD_LINES_MAX && fields_on(d, lines + 1) > 0)
        total += fields_on(d, ++lines);
    if (total != keys)
        return bad(diag, "[head]", N_("keys are line.field, both from 1 without gaps"));
    struct form_layout *h = calloc(1, sizeof(*h));
    if (!h || !(h->fields = calloc((size_t)total, sizeof(*h->fields)))) {
        free(h);
        return MNV_ERR_NOMEM;
    }
    snprintf(h->id, sizeof(h->id), "%s", l->id);
    h->year = l->year;
    h->output = l->output;
    h->unit = l->unit;
    l->head = h;
    for (int line = 1; line <= lines; line++)
        for (int f = 1; f <= fields_on(d, line); f++) {
            char key[48], where[48];
            snprintf(key, sizeof(key), "head:%d.%d", line, f);
            snprintf(where, sizeof(where), "[head] %d.%d", line, f);
            struct form_field *fd = &h->fields[h->nfields];
            err = form_parse_field(fd, (int)h->nfields + 1, where,
                                   iniparser_getstring(d, key, NULL), diag);
            if (err != MNV_OK)
                return err;
            if (fd->number != FORM_NUM_NONE || fd->required == FORM_REQ_SPACE)
                return bad(diag, where, N_("a head field carries no number and is not Y*"));
            fd->line = line;
            h->nfields++;
        }
    return MNV_OK;
}
