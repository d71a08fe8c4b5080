/* handling_write.c: the handling register as CSV or PDF (handling.h). */
#include "mnvault/handling.h"

#include <stdio.h>
#include <string.h>

#include "mnvault/atomicfile.h"
#include "mnvault/clock.h"
#include "mnvault/csv.h"
#include "mnvault/i18n.h"
#include "mnvault/pdfdoc.h"
#include "mnvault/strbuf.h"

/* ---- CSV ------------------------------------------------------------------------------ */

static void count_text(long n, char out[24])
{
    if (n < 0)
        snprintf(out, 24, "%s", "-");
    else
        snprintf(out, 24, "%ld", n);
}

static void when_text(int64_t t, char out[24])
{
    if (t)
        clock_format_local(out, 24, (time_t)t);
    else
        snprintf(out, 24, "-");
}

static const char *kind_word(enum handling_kind k)
{
    return k == HANDLING_VAULT    ? _("vault")
           : k == HANDLING_BACKUP ? _("backup")
           : k == HANDLING_CERT   ? _("certificate")
                                  : _("export");
}

static void csv_files(const struct handling_register *r, struct strbuf *out)
{
    (void)strbuf_adds(out, "no,kind,name,location,purposes,handlers,created,created_by,persons,"
                           "numbers,encrypted,state,retention\r\n");
    for (size_t i = 0; i < r->nfiles; i++) {
        const struct handling_file *f = &r->files[i];
        char no[24], when[24], persons[24], numbers[24];
        snprintf(no, sizeof(no), "%zu", i + 1);
        when_text(f->created_at, when);
        count_text(f->persons, persons);
        count_text(f->numbers, numbers);
        csv_put_field(out, no, 0);
        csv_put_field(out, kind_word(f->kind), 0);
        csv_put_field(out, f->name, 0);
        csv_put_field(out, f->location, 0);
        csv_put_field(out, f->purposes, 0);
        csv_put_field(out, f->handlers, 0);
        csv_put_field(out, when, 0);
        csv_put_field(out, f->created_by, 0);
        csv_put_field(out, persons, 0);
        csv_put_field(out, numbers, 0);
        csv_put_field(out, f->encrypted ? _("yes") : _("no"), 0);
        csv_put_field(out, f->state, 0);
        csv_put_field(out, f->retention, 1);
    }
}

static const char *check_word(const struct handling_check *c)
{
    if (!c->by_vault)
        return _("to be answered by the supervisor");
    return c->holds ? _("met") : _("NOT MET");
}

static void csv_checks(const struct handling_register *r, struct strbuf *out)
{
    (void)strbuf_adds(out, "\r\nblock,measure,state,evidence,answer\r\n");
    for (size_t i = 0; i < r->nchecks; i++) {
        const struct handling_check *c = &r->checks[i];
        csv_put_field(out, c->block, 0);
        csv_put_field(out, c->item, 0);
        csv_put_field(out, check_word(c), 0);
        csv_put_field(out, c->evidence, 0);
        csv_put_field(out, "", 1);
    }
}

static enum mnv_err write_csv(const struct handling_register *r, const char *path,
                              struct mnv_diag *diag)
{
    struct strbuf out = STRBUF_INIT;
    csv_files(r, &out);
    csv_checks(r, &out);
    enum mnv_err err = strbuf_error(&out);
    struct atomicfile f;
    if (err == MNV_OK && (err = atomicfile_open(&f, path, 0600, diag)) == MNV_OK) {
        err = atomicfile_write(&f, out.buf, out.len, diag);
        if (err == MNV_OK)
            err = atomicfile_commit(&f, NULL, 0, diag);
        else
            atomicfile_abort(&f);
    }
    strbuf_release(&out);
    return err;
}

/* ---- PDF ------------------------------------------------------------------------------ */

#define MARGIN 10.0
#define LINE_PEN (&(struct pdfdoc_pen){0.15, PDFDOC_SOLID, 0})

struct table {
    struct pdfdoc *doc;
    enum pdfdoc_paper paper;
    double width, height; /* the page, mm */
    const double *cols;
    const char *const *heads;
    size_t ncols;
    double y; /* where the next row goes */
    int page_open;
};

static const struct pdfdoc_style cell_style = {PDFDOC_GOTHIC, 7.0,         5.0, PDFDOC_LEFT,
                                               PDFDOC_TOP,    PDFDOC_WRAP, 1.0, 0};
static const struct pdfdoc_style head_style = {PDFDOC_GOTHIC, 7.0,         4.0, PDFDOC_CENTER,
                                               PDFDOC_MIDDLE, PDFDOC_WRAP, 0.8, 0};

static enum mnv_err draw_row(struct table *t, const char *const *cells, int head,
                             struct mnv_diag *diag);

static enum mnv_err new_page(struct table *t, const char *title, struct mnv_diag *diag)
{
    enum mnv_err err = MNV_OK;
    if (t->page_open && (err = pdfdoc_page_end(t->doc)) != MNV_OK)
        return err;
    if ((err = pdfdoc_page_begin(t->doc, t->paper)) != MNV_OK)
        return err;
    t->page_open = 1;
    struct pdfdoc_style ts = {PDFDOC_MINCHO, 12.0, 8.0, PDFDOC_LEFT, PDFDOC_MIDDLE, 0, 0, 0};
    err = pdfdoc_text(t->doc, &(struct boxfit_rect){MARGIN, MARGIN, t->width - 2 * MARGIN, 8},
                      title, &ts, diag);
    t->y = MARGIN + 10;
    return err == MNV_OK ? draw_row(t, t->heads, 1, diag) : err;
}

static enum mnv_err draw_row(struct table *t, const char *const *cells, int head,
                             struct mnv_diag *diag)
{
    const struct pdfdoc_style *st = head ? &head_style : &cell_style;
    double h = head ? 7.0 : 5.0;
    for (size_t i = 0; i < t->ncols; i++) {
        double ch;
        enum mnv_err err = pdfdoc_text_height(t->doc, t->cols[i] - 2.0, cells[i], st, &ch, diag);
        if (err != MNV_OK)
            return err;
        if (ch + 3.0 > h)
            h = ch + 3.0;
    }
    if (!head && t->y + h > t->height - MARGIN) {
        enum mnv_err err = new_page(t, "", diag);
        if (err != MNV_OK)
            return err;
    }
    double x = MARGIN;
    for (size_t i = 0; i < t->ncols; i++) {
        struct boxfit_rect box = {x, t->y, t->cols[i], h};
        if (head)
            pdfdoc_fill(t->doc, &box, 0.9);
        pdfdoc_rect(t->doc, &box, LINE_PEN);
        enum mnv_err err = pdfdoc_text(t->doc, &box, cells[i], st, diag);
        if (err != MNV_OK)
            return err;
        x += t->cols[i];
    }
    t->y += h;
    return MNV_OK;
}

static enum mnv_err pdf_files(const struct handling_register *r, struct pdfdoc *doc,
                              struct mnv_diag *diag)
{
    static const double cols[] = {8, 52, 48, 32, 40, 24, 16, 11, 46};
    const char *heads[] = {_("No."),
                           _("File"),
                           _("Where"),
                           _("Purposes"),
                           _("Handlers"),
                           _("Made"),
                           _("Persons / numbers"),
                           _("Encrypted"),
                           _("State and retention")};
    struct table t = {doc, PDFDOC_A4_LANDSCAPE, 297, 210, cols, heads, 9, 0, 0};
    char title[400], when[24];
    clock_format_local(when, sizeof(when), (time_t)r->made_at);
    snprintf(title, sizeof(title),
             _("Handling register of specific personal information files — "
               "%s — made %s by %s"),
             r->org, when, r->made_by);
    enum mnv_err err = new_page(&t, title, diag);
    for (size_t i = 0; err == MNV_OK && i < r->nfiles; i++) {
        const struct handling_file *f = &r->files[i];
        char no[24], made[120], counts[64], state[520], p[24], n[24];
        snprintf(no, sizeof(no), "%zu", i + 1);
        when_text(f->created_at, when);
        snprintf(made, sizeof(made), "%s %s", when, f->created_by);
        count_text(f->persons, p);
        count_text(f->numbers, n);
        snprintf(counts, sizeof(counts), "%s / %s", p, n);
        snprintf(state, sizeof(state), "%s. %s", f->state, f->retention);
        const char *cells[] = {no,          f->name, f->location, f->purposes,
                               f->handlers, made,    counts,      f->encrypted ? _("yes") : _("no"),
                               state};
        err = draw_row(&t, cells, 0, diag);
    }
    return err == MNV_OK ? pdfdoc_page_end(doc) : err;
}

static enum mnv_err pdf_checks(const struct handling_register *r, struct pdfdoc *doc,
                               struct mnv_diag *diag)
{
    static const double cols[] = {10, 58, 86, 36};
    const char *heads[] = {_("Block"), _("Measure"), _("What the vault shows"), _("Answer")};
    struct table t = {doc, PDFDOC_A4_PORTRAIT, 210, 297, cols, heads, 4, 0, 0};
    enum mnv_err err =
        new_page(&t, _("Checklist of safety measures (guideline, appendix 1)"), diag);
    for (size_t i = 0; err == MNV_OK && i < r->nchecks; i++) {
        const struct handling_check *c = &r->checks[i];
        const char *answer = c->by_vault ? (c->holds ? _("met (shown by the vault)")
                                                     : _("NOT MET (shown by the vault)"))
                                         : _("□ yes   □ no");
        const char *cells[] = {c->block, c->item, c->by_vault ? c->evidence : "", answer};
        err = draw_row(&t, cells, 0, diag);
    }
    if (err != MNV_OK)
        return err;
    if (t.y + 30 > t.height - MARGIN && (err = new_page(&t, "", diag)) != MNV_OK)
        return err;
    struct pdfdoc_style st = {PDFDOC_MINCHO, 10.0, 7.0, PDFDOC_LEFT, PDFDOC_BOTTOM, 0, 0, 0};
    err = pdfdoc_text(doc, &(struct boxfit_rect){MARGIN, t.y + 8, 190, 8},
                      _("Checked on: ____________   Supervisor: ______________________   "
                        "Signature or seal: ________"),
                      &st, diag);
    return err == MNV_OK ? pdfdoc_page_end(doc) : err;
}

static enum mnv_err write_pdf(const struct handling_register *r, const char *path,
                              struct mnv_diag *diag)
{
    struct pdfdoc *doc;
    struct pdfdoc_info info = {_("Handling register of specific personal information files"),
                               r->org, "mnvault", "", PDFDOC_NO_NUMBERS};
    enum mnv_err err = pdfdoc_new(&doc, &info, diag);
    if (err != MNV_OK)
        return err;
    err = pdf_files(r, doc, diag);
    if (err == MNV_OK)
        err = pdf_checks(r, doc, diag);
    if (err == MNV_OK)
        err = pdfdoc_write(doc, path, diag);
    pdfdoc_free(doc);
    return err;
}

enum mnv_err handling_write(const struct handling_register *r, const char *path,
                            struct mnv_diag *diag)
{
    size_t n = strlen(path);
    if (n >= 4 && strcmp(path + n - 4, ".csv") == 0)
        return write_csv(r, path, diag);
    return write_pdf(r, path, diag);
}
