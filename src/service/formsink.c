/*
 * formsink.c: calling sinks, the CSV sink (strict Shift_JIS, CRLF) and the memory sink
 * that records calls (form.h).
 */
#include "mnvault/form.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/secmem.h"
#include "mnvault/sjis.h"

enum mnv_err form_sink_begin(struct form_sink *s, const struct form_job *job, struct mnv_diag *diag)
{
    return s->ops && s->ops->begin ? s->ops->begin(s->ctx, job, diag) : MNV_OK;
}

enum mnv_err form_sink_record(struct form_sink *s, const struct form_job *job,
                              const struct form_record *r, struct mnv_diag *diag)
{
    return s->ops && s->ops->record ? s->ops->record(s->ctx, job, r, diag) : MNV_OK;
}

enum mnv_err form_sink_end(struct form_sink *s, const struct form_job *job, struct mnv_diag *diag)
{
    return s->ops && s->ops->end ? s->ops->end(s->ctx, job, diag) : MNV_OK;
}

void form_sink_release(struct form_sink *s)
{
    if (s->ops && s->ops->release)
        s->ops->release(s->ctx);
    s->ops = NULL;
    s->ctx = NULL;
}

/* ---- the CSV sink ------------------------------------------------------------------------ */

#define CSV_BUF (256 * 1024)

struct csv_sink {
    struct form_output out;
    unsigned char *buf; /* secmem: encoded lines waiting to be written */
    size_t used;
    long records;
};

static enum mnv_err csv_flush(struct csv_sink *c, struct mnv_diag *diag)
{
    enum mnv_err err = MNV_OK;
    if (c->used)
        err = c->out.write(c->out.ctx, c->buf, c->used, diag);
    secmem_wipe(c->buf, c->used);
    c->used = 0;
    return err;
}

/* Make room for n more bytes. */
static enum mnv_err csv_room(struct csv_sink *c, size_t n, struct mnv_diag *diag)
{
    if (c->used + n <= CSV_BUF)
        return MNV_OK;
    return csv_flush(c, diag);
}

static enum mnv_err csv_put(struct csv_sink *c, const char *text, const struct form_field *f,
                            long line, struct mnv_diag *diag)
{
    size_t len = strlen(text);
    enum mnv_err err = csv_room(c, 2 * len + 2, diag);
    if (err != MNV_OK)
        return err;
    uint32_t bad = 0;
    long n = sjis_encode(text, len, c->buf + c->used, CSV_BUF - c->used, &bad, NULL);
    if (n < 0) {
        mnv_diag_item(diag, "%s", f->name);
        mnv_diag_detail(diag, "U+%04X", (unsigned)bad);
        if (diag)
            diag->line = line;
        return MNV_ERR_FORM_CHAR;
    }
    c->used += (size_t)n;
    return MNV_OK;
}

/* A separator or line end: ASCII bytes written as they are. */
static enum mnv_err csv_sep(struct csv_sink *c, int last, struct mnv_diag *diag)
{
    enum mnv_err err = csv_room(c, 2, diag);
    if (err != MNV_OK)
        return err;
    if (last) {
        c->buf[c->used++] = '\r';
        c->buf[c->used++] = '\n';
    } else {
        c->buf[c->used++] = ',';
    }
    return MNV_OK;
}

/* The head's lines (job->head): each line's fields joined by commas. */
static enum mnv_err csv_head(struct csv_sink *c, const struct form_record *h, struct mnv_diag *diag)
{
    const struct form_layout *l = h->layout;
    enum mnv_err err = MNV_OK;
    for (size_t i = 0; err == MNV_OK && i < l->nfields; i++) {
        err = csv_put(c, form_record_get(h, i), &l->fields[i], 0, diag);
        if (err == MNV_OK)
            err =
                csv_sep(c, i + 1 == l->nfields || l->fields[i + 1].line != l->fields[i].line, diag);
    }
    return err;
}

static enum mnv_err csv_begin(void *ctx, const struct form_job *job, struct mnv_diag *diag)
{
    struct csv_sink *c = ctx;
    enum mnv_err err = sjis_init();
    const struct form_layout *l = job->layout;
    if (err == MNV_OK && job->head)
        err = csv_head(c, job->head, diag);
    for (size_t i = 0; err == MNV_OK && l->header_row && i < l->nfields; i++) {
        err = csv_put(c, l->fields[i].name, &l->fields[i], 0, diag);
        if (err == MNV_OK)
            err = csv_sep(c, i + 1 == l->nfields, diag);
    }
    return err;
}

static enum mnv_err csv_record(void *ctx, const struct form_job *job, const struct form_record *r,
                               struct mnv_diag *diag)
{
    struct csv_sink *c = ctx;
    const struct form_layout *l = job->layout;
    enum mnv_err err = MNV_OK;
    for (size_t i = 0; err == MNV_OK && i < l->nfields; i++) {
        const char *v = form_record_get(r, i);
        if (!v[0] && l->fields[i].required == FORM_REQ_SPACE)
            v = " ";
        err = csv_put(c, v, &l->fields[i], r->line, diag);
        if (err == MNV_OK)
            err = csv_sep(c, i + 1 == l->nfields, diag);
    }
    if (err == MNV_OK)
        c->records++;
    return err;
}

static enum mnv_err csv_end(void *ctx, const struct form_job *job, struct mnv_diag *diag)
{
    (void)job;
    return csv_flush(ctx, diag);
}

static void csv_release(void *ctx)
{
    struct csv_sink *c = ctx;
    if (!c)
        return;
    secmem_free(c->buf);
    free(c);
}

static const struct form_sink_ops csv_ops = {csv_begin, csv_record, csv_end, csv_release};

enum mnv_err form_csv_sink_new(struct form_sink *sink, const struct form_output *out)
{
    sink->ops = NULL;
    sink->ctx = NULL;
    struct csv_sink *c = calloc(1, sizeof(*c));
    if (!c || !(c->buf = secmem_alloc(CSV_BUF))) {
        free(c);
        return MNV_ERR_NOMEM;
    }
    c->out = *out;
    sink->ops = &csv_ops;
    sink->ctx = c;
    return MNV_OK;
}

/* ---- the memory sink --------------------------------------------------------------------- */

static enum mnv_err mem_add(struct form_memsink *m, const char *fmt, ...) MNV_PRINTF(2, 3);

static enum mnv_err mem_add(struct form_memsink *m, const char *fmt, ...)
{
    char line[FORM_VALUE_MAX * 4 + 64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0)
        return MNV_ERR_INVALID;
    char **lines = alloc_grow(m->lines, &m->cap, m->count + 1, sizeof(*lines));
    if (!lines)
        return MNV_ERR_NOMEM;
    m->lines = lines;
    size_t len = strlen(line) + 1;
    char *copy = m->keep_numbers ? secmem_alloc(len) : malloc(len);
    secmem_wipe(line, sizeof(line));
    if (!copy)
        return MNV_ERR_NOMEM;
    va_start(ap, fmt);
    vsnprintf(copy, len, fmt, ap);
    va_end(ap);
    m->lines[m->count++] = copy;
    return MNV_OK;
}

static enum mnv_err mem_begin(void *ctx, const struct form_job *job, struct mnv_diag *diag)
{
    (void)diag;
    return mem_add(ctx, "begin %s %d %s purpose=%s", job->layout->id, job->layout->year,
                   job->copy->id, job->purpose ? job->purpose : "");
}

static enum mnv_err mem_record(void *ctx, const struct form_job *job, const struct form_record *r,
                               struct mnv_diag *diag)
{
    struct form_memsink *m = ctx;
    m->records++;
    if (m->fail_at && m->records == m->fail_at) {
        mnv_diag_detail(diag, "%s", "memory sink: failing on purpose");
        return MNV_ERR_IO;
    }
    enum mnv_err err = mem_add(m, "record %ld %s", r->line, r->code);
    for (size_t i = 0; err == MNV_OK && i < job->layout->nfields; i++) {
        const struct form_field *f = &job->layout->fields[i];
        const char *v = form_record_get(r, i);
        if (!v[0])
            continue;
        if (f->number != FORM_NUM_NONE && f->number != FORM_NUM_PAYER && !m->keep_numbers)
            v = "[number]";
        err = mem_add(m, "  %d %s", f->pos, v);
    }
    return err;
}

static enum mnv_err mem_end(void *ctx, const struct form_job *job, struct mnv_diag *diag)
{
    struct form_memsink *m = ctx;
    (void)job;
    (void)diag;
    return mem_add(m, "end %ld", m->records);
}

static const struct form_sink_ops mem_ops = {mem_begin, mem_record, mem_end, NULL};

enum mnv_err form_memsink_new(struct form_sink *sink, struct form_memsink *mem, int keep_numbers)
{
    memset(mem, 0, sizeof(*mem));
    mem->keep_numbers = keep_numbers;
    sink->ops = &mem_ops;
    sink->ctx = mem;
    return MNV_OK;
}

void form_memsink_release(struct form_memsink *mem)
{
    for (size_t i = 0; i < mem->count; i++) {
        if (mem->keep_numbers) {
            secmem_free(mem->lines[i]);
        } else {
            secmem_wipe(mem->lines[i], strlen(mem->lines[i]));
            free(mem->lines[i]);
        }
    }
    free(mem->lines);
    int keep = mem->keep_numbers;
    memset(mem, 0, sizeof(*mem));
    mem->keep_numbers = keep;
}
