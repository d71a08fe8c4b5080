/*
 * export_shfd_read.c: the SHFD0006.CSV fill's reading (shfd_priv.h): the file's bytes and
 * its decoded text line by line, the head (媒体管理レコード, [kanri], offices, [data]), and
 * the people a record names — by 被保険者整理番号, kana and kanji name and birth date.
 */
#include "shfd_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/caldate.h"
#include "mnvault/csv.h"
#include "mnvault/fileio.h"
#include "mnvault/secmem.h"
#include "mnvault/textfold.h"
#include "mnvault/utf8.h"

/* ---- reading the file ------------------------------------------------------------------ */

void shfd_problem(struct sctx *c, long line, int pos, const char *field, enum mnv_err err,
                  const char *code)
{
    struct export_report *rep = c->rep;
    rep->faults_total++;
    if (rep->nfaults >= EXPORT_FAULTS_MAX ||
        (!rep->faults && !(rep->faults = calloc(EXPORT_FAULTS_MAX, sizeof(*rep->faults)))))
        return;
    struct form_fault *f = &rep->faults[rep->nfaults++];
    memset(f, 0, sizeof(*f));
    f->line = line;
    f->pos = pos;
    f->err = err;
    snprintf(f->field, sizeof(f->field), "%s", field ? field : "");
    snprintf(f->code, sizeof(f->code), "%s", code ? code : "");
}

/* The lines of raw and of text, side by side; every line must end in CR LF. */
static enum mnv_err split_lines(struct sctx *c)
{
    size_t r = 0, t = 0;
    while (r < c->rawlen) {
        const unsigned char *nl = memchr(c->raw + r, '\n', c->rawlen - r);
        const char *tnl = t < c->textlen ? memchr(c->text + t, '\n', c->textlen - t) : NULL;
        size_t end = nl ? (size_t)(nl - c->raw) : c->rawlen;
        if (!nl || !tnl || end == r || c->raw[end - 1] != '\r') {
            shfd_problem(c, (long)c->nlines + 1, 0, NULL, MNV_ERR_FILL_SHAPE, NULL);
            return MNV_ERR_EXPORT_FAULTS;
        }
        struct sline *l = alloc_grow(c->lines, &c->cap, c->nlines + 1, sizeof(*l));
        if (!l)
            return MNV_ERR_NOMEM;
        c->lines = l;
        size_t tend = (size_t)(tnl - c->text);
        c->lines[c->nlines++] = (struct sline){r, end - 1 - r, t, tend - t - (tend > t)};
        r = end + 1;
        t = tend + 1;
    }
    return MNV_OK;
}

/* The fields of decoded line i (commas; the format knows no quoting), in place. */
size_t shfd_fields_of(struct sctx *c, size_t i, char **f, size_t max)
{
    char *p = c->text + c->lines[i].toff;
    p[c->lines[i].tlen] = '\0';
    size_t n = 0;
    for (;;) {
        char *comma = strchr(p, ',');
        if (n < max)
            f[n] = p;
        n++;
        if (!comma)
            break;
        *comma = '\0';
        p = comma + 1;
    }
    return n;
}

/* Undo shfd_fields_of()'s NULs, so the line can be split again. */
void shfd_fields_join(struct sctx *c, size_t i)
{
    char *p = c->text + c->lines[i].toff;
    for (size_t k = 0; k < c->lines[i].tlen; k++)
        if (p[k] == '\0')
            p[k] = ',';
}

enum mnv_err shfd_read_file(struct sctx *c, struct mnv_diag *diag)
{
    unsigned char *plain = NULL;
    size_t len = 0;
    enum csv_encoding enc;
    enum mnv_err err = fileio_read_all(c->req->in_path, SHFD_MAX_BYTES, &plain, &len, diag);
    if (err != MNV_OK)
        return err == MNV_ERR_TOO_LONG ? MNV_ERR_CSV_TOO_BIG : err;
    c->raw = secmem_alloc(len + 1);
    if (c->raw) {
        memcpy(c->raw, plain, len);
        c->rawlen = len;
    }
    secmem_wipe(plain, len);
    free(plain);
    if (!c->raw)
        return MNV_ERR_NOMEM;
    err = csv_decode(c->raw, c->rawlen, &c->text, &c->textlen, &enc, diag);
    if (err != MNV_OK)
        return err;
    int ascii = 1;
    for (size_t i = 0; i < c->rawlen && ascii; i++)
        ascii = c->raw[i] < 0x80;
    if (enc != CSV_CP932 && !ascii) { /* UTF-8 beyond ASCII: not the pension office's */
        shfd_problem(c, 1, 0, NULL, MNV_ERR_FILL_SHAPE, NULL);
        return MNV_ERR_EXPORT_FAULTS;
    }
    return split_lines(c);
}

/* ---- the file's head: media record, [kanri], offices, [data] -------------------------- */

/* The vault's value of a head item, as the export writes it. */
static const char *office_value(const struct sctx *c, const char *item)
{
    const struct form_field *f = form_layout_field(c->head->layout, item);
    return f ? form_record_get(c->head, (size_t)(f - c->head->layout->fields)) : "";
}

/* The office fields of a record (or an office line) against the vault's. */
int shfd_office_differs(struct sctx *c, const struct form_layout *l, char **f, size_t n, long line)
{
    static const char *const items[] = {"office.prefecture", "office.district", "office.symbol",
                                        "office.number"};
    int bad = 0;
    for (size_t i = 0; i < MNV_ARRAY_LEN(items); i++) {
        const struct form_field *fd = form_layout_field(l, items[i]);
        size_t at = fd ? (size_t)(fd - l->fields) : n;
        if (at < n && strcmp(f[at], office_value(c, items[i])) != 0) {
            shfd_problem(c, line, (int)at + 1, fd->name, MNV_ERR_FILL_OFFICE, NULL);
            bad++;
        }
    }
    return bad;
}

/* The head as forms notes §3.2 has it; the year from the 作成年月日. */
enum mnv_err shfd_read_head(struct sctx *c, int *year)
{
    char *f[16];
    size_t n = c->nlines ? shfd_fields_of(c, 0, f, 16) : 0;
    if (n != 6 || strlen(f[4]) != 8 || strspn(f[4], "0123456789") != 8 ||
        strcmp(f[5], "22223") != 0) {
        shfd_problem(c, 1, 0, NULL, MNV_ERR_FILL_SHAPE, NULL);
        return MNV_ERR_EXPORT_FAULTS;
    }
    *year = atoi(f[4]) / 10000;
    shfd_fields_join(c, 0);
    long offices = 0;
    if (c->nlines > 2 && shfd_fields_of(c, 2, f, 16) == 2)
        offices = strtol(f[1], NULL, 10);
    size_t data = 3 + (size_t)(offices > 0 && offices < 1000 ? offices : 0);
    if (c->nlines > 2)
        shfd_fields_join(c, 2);
    const char *kanri = c->nlines > 1 ? c->text + c->lines[1].toff : "";
    if (offices <= 0 || data >= c->nlines || c->lines[1].tlen != 7 ||
        strncmp(kanri, "[kanri]", 7) != 0 || c->lines[data].tlen != 6 ||
        strncmp(c->text + c->lines[data].toff, "[data]", 6) != 0) {
        shfd_problem(c, offices <= 0 ? 3 : (long)data + 1, 0, NULL, MNV_ERR_FILL_SHAPE, NULL);
        return MNV_ERR_EXPORT_FAULTS;
    }
    c->data_from = data + 1;
    return MNV_OK;
}

/* The offices of the file (lines 4 …) are the vault's. */
void shfd_check_offices(struct sctx *c)
{
    const struct form_layout *h = c->head->layout;
    char *f[16];
    /* the head layout's office line: its fields are "4.1" … "4.12" */
    static const char *const items[] = {"office.prefecture", "office.district", "office.symbol",
                                        "office.number"};
    for (size_t i = 3; i + 1 < c->data_from; i++) {
        size_t n = shfd_fields_of(c, i, f, 16);
        for (size_t k = 0; k < MNV_ARRAY_LEN(items) && k < n; k++)
            if (strcmp(f[k], office_value(c, items[k])) != 0)
                shfd_problem(c, (long)i + 1, (int)k + 1, form_layout_field(h, items[k])->name,
                             MNV_ERR_FILL_OFFICE, NULL);
        shfd_fields_join(c, i);
    }
}

/* ---- the people ------------------------------------------------------------------------ */

/* Small katakana as the large ones (ァ → ア): records and people write them either way. */
static uint32_t kana_large(uint32_t cp)
{
    static const uint32_t small[][2] = {
        {0x30A1, 0x30A2}, {0x30A3, 0x30A4}, {0x30A5, 0x30A6}, {0x30A7, 0x30A8},
        {0x30A9, 0x30AA}, {0x30C3, 0x30C4}, {0x30E3, 0x30E4}, {0x30E5, 0x30E6},
        {0x30E7, 0x30E8}, {0x30EE, 0x30EF}, {0x30F5, 0x30AB}, {0x30F6, 0x30B1},
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(small); i++)
        if (small[i][0] == cp)
            return small[i][1];
    return cp;
}

/* Kana as records write it and people type it: folded (textfold.h), small kana as large. */
static void kana_key(const char *in, char *out, size_t size)
{
    char f[PERSON_KANA_MAX * 2 + 8];
    size_t len = textfold(in, strlen(in), f, sizeof(f)), o = 0;
    if (len >= sizeof(f))
        len = sizeof(f) - 1;
    for (size_t i = 0; i < len && o + 4 < size;) {
        uint32_t cp;
        int k = utf8_decode(f + i, len - i, &cp);
        if (k <= 0)
            break;
        int w = utf8_encode(kana_large(cp), out + o);
        o += (size_t)(w > 0 ? w : 0);
        i += (size_t)k;
    }
    out[o] = '\0';
}

static void who_key(const char *kana, const char *birth, char *out, size_t size)
{
    char k[PERSON_KANA_MAX * 2 + 8];
    kana_key(kana, k, sizeof(k));
    snprintf(out, size, "%s\t%s", k, birth);
}

static int who_cmp(const void *a, const void *b)
{
    const struct who *x = a, *y = b;
    int d = strcmp(x->key, y->key);
    return d ? d : (x->id > y->id) - (x->id < y->id);
}

static int seiri_cmp(const void *a, const void *b)
{
    const struct who *const *x = a, *const *y = b;
    return strcmp((*x)->seiri, (*y)->seiri);
}

static int id_cmp(const void *a, const void *b)
{
    const struct who *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Each employee's 被保険者整理番号 from the facts (who sorted by id while this runs). */
static enum mnv_err seiri_one(void *ud, const struct person_ref *ref, int64_t employee_id,
                              const char *text, size_t len)
{
    struct sctx *c = ud;
    (void)employee_id;
    struct who probe = {.id = ref->id};
    struct who *w = ref->kind == PERSON_EMPLOYEE
                        ? bsearch(&probe, c->who, c->nwho, sizeof(probe), id_cmp)
                        : NULL;
    struct insurance_facts f;
    if (!w)
        return MNV_OK;
    enum mnv_err err = insurance_parse_copy(text, len, &f);
    if (err == MNV_OK)
        snprintf(w->seiri, sizeof(w->seiri), "%s", insurance_value(&f, "shaho.seiri_no"));
    insurance_facts_free(&f);
    return err;
}

enum mnv_err shfd_people_load(struct sctx *c, struct mnv_diag *diag)
{
    enum mnv_err err = persondb_list(c->v, &c->people, diag);
    if (err == MNV_OK && !(c->who = calloc(c->people.count + 1, sizeof(*c->who))))
        err = MNV_ERR_NOMEM;
    for (size_t i = 0; err == MNV_OK && i < c->people.count; i++) {
        struct employee e;
        char key[PERSON_KANA_MAX * 2 + 24];
        err = persondb_employee_get(c->v, c->people.rows[i].id, &e, diag);
        if (err != MNV_OK)
            break;
        who_key(e.kana, e.birth_date, key, sizeof(key));
        struct who *w = &c->who[c->nwho++];
        w->id = e.id;
        w->code = c->people.rows[i].code;
        w->name = c->people.rows[i].name;
        if (err == MNV_OK && !(w->key = strdup(key)))
            err = MNV_ERR_NOMEM;
    }
    if (err != MNV_OK)
        return err;
    qsort(c->who, c->nwho, sizeof(*c->who), id_cmp);
    if ((err = insurancedb_each(c->v, seiri_one, c, diag)) != MNV_OK)
        return err;
    qsort(c->who, c->nwho, sizeof(*c->who), who_cmp);
    if (!(c->by_seiri = calloc(c->nwho + 1, sizeof(*c->by_seiri))))
        return MNV_ERR_NOMEM;
    for (size_t i = 0; i < c->nwho; i++)
        if (c->who[i].seiri[0])
            c->by_seiri[c->nseiri++] = &c->who[i];
    qsort(c->by_seiri, c->nseiri, sizeof(*c->by_seiri), seiri_cmp);
    return MNV_OK;
}

/* The value of a record's item ("" when the layout has none). */
const char *shfd_item(const struct form_record *r, const char *name)
{
    const struct form_field *f = form_layout_field(r->layout, name);
    return f ? form_record_get(r, (size_t)(f - r->layout->fields)) : "";
}

int shfd_item_pos(const struct form_layout *l, const char *name)
{
    const struct form_field *f = form_layout_field(l, name);
    return f ? (int)(f - l->fields) + 1 : 0;
}

/* The birth date of block ("employee", "spouse" …) as ISO; "" when none. */
static void birth_of(const struct form_record *r, const char *block, char out[11])
{
    char era[40], ymd[40];
    snprintf(era, sizeof(era), "%s.birth_era", block);
    snprintf(ymd, sizeof(ymd), "%s.birth_ymd", block);
    int32_t d = form_era_day(r->layout, shfd_item(r, era), shfd_item(r, ymd));
    out[0] = '\0';
    if (d != CALDATE_NONE)
        caldate_format(d, out);
}

/* Kanji names compare folded (spaces and width); an empty one on the record is no test. */
static int kanji_ok(const char *on_record, const char *stored)
{
    char a[PERSON_NAME_MAX * 2 + 8], b[PERSON_NAME_MAX * 2 + 8];
    if (!on_record[0])
        return 1;
    textfold(on_record, strlen(on_record), a, sizeof(a));
    textfold(stored, strlen(stored), b, sizeof(b));
    return strcmp(a, b) == 0;
}

/* The employee of record r: 0 with *w set, or the error to report (FILL_*). */
enum mnv_err shfd_match_employee(struct sctx *c, const struct form_record *r, struct who **w)
{
    char birth[11], key[PERSON_KANA_MAX * 2 + 24];
    birth_of(r, "employee", birth);
    who_key(shfd_item(r, "employee.kana"), birth, key, sizeof(key));
    const char *seiri = shfd_item(r, "shaho.seiri_no");
    *w = NULL;
    if (seiri[0]) {
        struct who probe, *pp = &probe;
        snprintf(probe.seiri, sizeof(probe.seiri), "%s", seiri);
        struct who **hit = bsearch(&pp, c->by_seiri, c->nseiri, sizeof(pp), seiri_cmp);
        if (hit) {
            int twice = (hit > c->by_seiri && !strcmp(hit[-1]->seiri, seiri)) ||
                        (hit + 1 < c->by_seiri + c->nseiri && !strcmp(hit[1]->seiri, seiri));
            if (twice)
                return MNV_ERR_FILL_AMBIGUOUS;
            if (strcmp((*hit)->key, key) != 0 ||
                !kanji_ok(shfd_item(r, "employee.name"), (*hit)->name))
                return MNV_ERR_FILL_SHIFTED;
            *w = *hit;
            return MNV_OK;
        }
    }
    struct who probe = {.key = key, .id = INT64_MIN};
    size_t lo = 0, hi = c->nwho, n = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (who_cmp(&c->who[mid], &probe) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < c->nwho && !strcmp(c->who[lo].key, key); lo++)
        if (kanji_ok(shfd_item(r, "employee.name"), c->who[lo].name) &&
            !(seiri[0] && c->who[lo].seiri[0])) { /* another 整理番号 is another person */
            *w = &c->who[lo];
            n++;
        }
    if (n > 1)
        *w = NULL;
    return n == 1 ? MNV_OK : n ? MNV_ERR_FILL_AMBIGUOUS : MNV_ERR_FILL_NO_EMPLOYEE;
}

/* The dependant of block on r among deps (the spouse's block: the spouse; else the rest). */
int shfd_match_dependent(const struct form_record *r, const char *block,
                         const struct dependent *deps, size_t n, enum mnv_err *why)
{
    char birth[11], key[PERSON_KANA_MAX * 2 + 24], k2[PERSON_KANA_MAX * 2 + 24], it[40];
    int spouse = !strcmp(block, "spouse"), found = -1, count = 0;
    birth_of(r, block, birth);
    snprintf(it, sizeof(it), "%s.kana", block);
    who_key(shfd_item(r, it), birth, key, sizeof(key));
    snprintf(it, sizeof(it), "%s.name", block);
    for (size_t i = 0; i < n; i++) {
        who_key(deps[i].kana, deps[i].birth_date, k2, sizeof(k2));
        if (spouse != (deps[i].relation == REL_SPOUSE) || strcmp(key, k2) != 0 ||
            !kanji_ok(shfd_item(r, it), deps[i].name))
            continue;
        found = (int)i;
        count++;
    }
    *why = count > 1 ? MNV_ERR_FILL_AMBIGUOUS : MNV_ERR_FILL_NO_DEPENDENT;
    return count == 1 ? found : -1;
}
