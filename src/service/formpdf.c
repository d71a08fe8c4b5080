#include "mnvault/formpdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/pdfdoc.h"
#include "mnvault/pdflayout.h"

struct formpdf {
    const struct form_output *out;
    struct pdflayout *pl;
    struct pdfdoc *doc;
    size_t copy;  /* index of the job's copy in the layout */
    int numbers;  /* the copy may carry numbers */
    int backdrop; /* the form, drawn once */
    size_t slot;  /* the next free place on the open sheet; 0 when none is open */
    long records;
    const char *layout_path; /* for messages about the layout */
};

/* The cells of a cells element: with its rules (backdrop) or only the digits (records). */
static struct pdfdoc_cells cells_of(const struct pdflayout_element *e, int rules,
                                    struct pdfdoc_pen *rule_pen)
{
    *rule_pen = (struct pdfdoc_pen){.width = e->rules, .grey = e->pen.grey};
    struct pdfdoc_cells c = {.ncells = e->ncells, .left = e->left};
    if (rules) {
        c.rules = e->rules > 0 ? rule_pen : NULL;
        c.group = e->group;
    }
    return c;
}

/* The printed form of the job's copy: everything that is not a value. */
static enum mnv_err draw_form(struct formpdf *f, struct mnv_diag *diag)
{
    enum mnv_err err = pdfdoc_backdrop_begin(f->doc, f->pl->slip_w, f->pl->slip_h);
    for (size_t i = 0; err == MNV_OK && i < f->pl->count; i++) {
        const struct pdflayout_element *e = &f->pl->elements[i];
        if (!pdflayout_on_copy(e, f->copy))
            continue;
        struct pdfdoc_pen rule;
        struct pdfdoc_cells cells;
        switch (e->kind) {
        case PDFLAYOUT_RECT:
            pdfdoc_rect(f->doc, &e->r, &e->pen);
            break;
        case PDFLAYOUT_LINE:
            pdfdoc_line(f->doc, e->r.x, e->r.y, e->r.w, e->r.h, &e->pen);
            break;
        case PDFLAYOUT_GRID:
            pdfdoc_grid(f->doc, e->r.x, e->r.y, e->cols, e->ncols, e->rows, e->nrows, &e->pen);
            break;
        case PDFLAYOUT_FILL:
            pdfdoc_fill(f->doc, &e->r, e->pen.grey);
            break;
        case PDFLAYOUT_LABEL:
            err = pdfdoc_text(f->doc, &e->r, e->text, &e->st, diag);
            if (err != MNV_OK && err != MNV_ERR_NOMEM) {
                /* A printed label that cannot be printed is a mistake of the layout. */
                mnv_diag_where(diag, "%s", f->layout_path);
                mnv_diag_item(diag, "[draw] %d", e->line);
                mnv_diag_detail(diag, "%s", mnv_err_str(err));
                err = MNV_ERR_LAYOUT_FILE;
            }
            break;
        case PDFLAYOUT_CELLS:
            cells = cells_of(e, 1, &rule);
            err = pdfdoc_cells(f->doc, &e->r, "", &cells, &e->st, diag);
            break;
        default:
            break;
        }
    }
    int id = -1;
    enum mnv_err end = pdfdoc_backdrop_end(f->doc, &id);
    f->backdrop = id;
    return err != MNV_OK ? err : end;
}

static enum mnv_err pdf_begin(void *ctx, const struct form_job *job, struct mnv_diag *diag)
{
    struct formpdf *f = ctx;
    const struct form_layout *l = job->layout;
    if (!job->copy || job->copy < l->copies || job->copy >= l->copies + l->ncopies)
        return MNV_ERR_FORM_COPY;
    f->copy = (size_t)(job->copy - l->copies);
    f->layout_path = l->path;
    f->numbers = job->copy->numbers;
    enum mnv_err err = pdflayout_read(l, &f->pl, diag);
    if (err != MNV_OK)
        return err;
    char title[2 * FORM_TITLE_MAX + 8];
    snprintf(title, sizeof(title), "%s（%s）", l->title_ja, job->copy->title_ja);
    struct pdfdoc_info info = {.title = title,
                               .subject = l->title_en,
                               .author = job->org,
                               .flags = f->numbers ? 0 : PDFDOC_NO_NUMBERS};
    err = pdfdoc_new(&f->doc, &info, diag);
    return err == MNV_OK ? draw_form(f, diag) : err;
}

/* Dashed lines between the places of the sheet, to cut along. */
static void draw_cuts(struct formpdf *f)
{
    static const struct pdfdoc_pen cut = {.width = 0.1, .dash = PDFDOC_DASHED, .grey = 0.5};
    const struct pdflayout *p = f->pl;
    int portrait = p->paper == PDFDOC_A4_PORTRAIT;
    double pw = portrait ? 210 : 297, ph = portrait ? 297 : 210;
    for (size_t i = 0; i < p->nslots; i++) {
        double right = p->slot_x[i] + p->slip_w, below = p->slot_y[i] + p->slip_h;
        if (right < pw - 0.5)
            pdfdoc_line(f->doc, right, p->slot_y[i], right, below, &cut);
        if (below < ph - 0.5)
            pdfdoc_line(f->doc, p->slot_x[i], below, right, below, &cut);
    }
}

static enum mnv_err sheet_begin(struct formpdf *f)
{
    enum mnv_err err = pdfdoc_page_begin(f->doc, f->pl->paper);
    if (err == MNV_OK && f->pl->cut)
        draw_cuts(f);
    return err;
}

/* The value element e prints for record r, into buf; NULL when nothing is printed. */
static const char *value_of(struct formpdf *f, const struct form_job *job,
                            const struct pdflayout_element *e, const struct form_record *r,
                            char *buf, size_t size, enum mnv_err *err)
{
    *err = MNV_OK;
    /* A copy without numbers never prints a number box, whatever the record holds. */
    if (e->is_number && !f->numbers)
        return NULL;
    if (e->field < 0) {
        snprintf(buf, size, "（%s）", job->copy->title_ja);
        return buf;
    }
    const char *v = form_record_get(r, (size_t)e->field);
    if (e->kind == PDFLAYOUT_MARK)
        return pdflayout_mark_on(e, v) ? e->text : NULL;
    if (e->kind == PDFLAYOUT_CELLS)
        return v;
    if (!pdflayout_value(e, v, buf, size))
        *err = MNV_ERR_FIELD_CHOICE;
    return *err == MNV_OK ? buf : NULL;
}

static enum mnv_err draw_values(struct formpdf *f, const struct form_job *job,
                                const struct form_record *r, double ox, double oy,
                                struct mnv_diag *diag)
{
    char buf[FORM_VALUE_MAX * 4 + 1];
    for (size_t i = 0; i < f->pl->count; i++) {
        const struct pdflayout_element *e = &f->pl->elements[i];
        if ((e->kind != PDFLAYOUT_TEXT && e->kind != PDFLAYOUT_CELLS &&
             e->kind != PDFLAYOUT_MARK) ||
            !pdflayout_on_copy(e, f->copy))
            continue;
        enum mnv_err err;
        const char *v = value_of(f, job, e, r, buf, sizeof(buf), &err);
        struct boxfit_rect at = {e->r.x + ox, e->r.y + oy, e->r.w, e->r.h};
        if (err == MNV_OK && v && v[0]) {
            struct pdfdoc_pen rule;
            struct pdfdoc_cells cells = cells_of(e, 0, &rule);
            err = e->kind == PDFLAYOUT_CELLS ? pdfdoc_cells(f->doc, &at, v, &cells, &e->st, diag)
                                             : pdfdoc_text(f->doc, &at, v, &e->st, diag);
        }
        if (err != MNV_OK) {
            mnv_diag_item(diag, "%s", e->field >= 0 ? job->layout->fields[e->field].name : "$copy");
            if (diag)
                diag->line = r->line;
            return err;
        }
    }
    return MNV_OK;
}

static enum mnv_err pdf_record(void *ctx, const struct form_job *job, const struct form_record *r,
                               struct mnv_diag *diag)
{
    struct formpdf *f = ctx;
    if (!f->doc)
        return MNV_ERR_PDF_STATE;
    enum mnv_err err = MNV_OK;
    if (f->slot == 0)
        err = sheet_begin(f);
    double ox = f->pl->slot_x[f->slot], oy = f->pl->slot_y[f->slot];
    if (err == MNV_OK)
        err = pdfdoc_backdrop_place(f->doc, f->backdrop, ox, oy);
    if (err == MNV_OK)
        err = draw_values(f, job, r, ox, oy, diag);
    if (err != MNV_OK)
        return err;
    pdfdoc_mark_region(f->doc, &(struct boxfit_rect){ox, oy, f->pl->slip_w, f->pl->slip_h});
    f->records++;
    if (++f->slot == f->pl->nslots) {
        f->slot = 0;
        return pdfdoc_page_end(f->doc);
    }
    return MNV_OK;
}

static enum mnv_err pdf_end(void *ctx, const struct form_job *job, struct mnv_diag *diag)
{
    struct formpdf *f = ctx;
    (void)job;
    if (!f->doc)
        return MNV_ERR_PDF_STATE;
    if (f->records == 0)
        return MNV_ERR_PDF_EMPTY;
    const unsigned char *data;
    size_t len;
    enum mnv_err err = pdfdoc_finish(f->doc, &data, &len);
    if (err != MNV_OK)
        return err;
    return f->out->write(f->out->ctx, data, len, diag);
}

static void pdf_release(void *ctx)
{
    struct formpdf *f = ctx;
    if (!f)
        return;
    pdfdoc_free(f->doc);
    pdflayout_free(f->pl);
    free(f);
}

static const struct form_sink_ops pdf_ops = {
    .begin = pdf_begin,
    .record = pdf_record,
    .end = pdf_end,
    .release = pdf_release,
};

enum mnv_err formpdf_sink_new(struct form_sink *sink, const struct form_output *out)
{
    sink->ops = NULL;
    sink->ctx = NULL;
    struct formpdf *f = calloc(1, sizeof(*f));
    if (!f)
        return MNV_ERR_NOMEM;
    f->out = out;
    f->backdrop = -1;
    sink->ops = &pdf_ops;
    sink->ctx = f;
    return MNV_OK;
}
