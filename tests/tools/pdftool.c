/*
 * pdftool: PDFs drawn through mnvault's PDF layer (pdfdoc.h), for the tests and the bench.
 *   pdftool sample OUT.pdf [MARK]    one page of every kind of drawing, for PDF tests and a look
 *   pdftool nonumber OUT.pdf TEXT    a PDFDOC_NO_NUMBERS document with TEXT: exit 1 if refused
 *   pdftool meta OUT.pdf TITLE       a document titled TITLE: exit 1 if refused
 *   pdftool glyph OUT.pdf TEXT       TEXT in a box; prints the detail of a refusal
 *   pdftool cells OUT.pdf N DIGITS [GROUP]  DIGITS in a row of N cells (dividers every GROUP)
 *   pdftool form LAYOUT.ini COPY OUT.pdf [TIMES] < records
 *                                    records drawn on a printed form's layout through the
 *                                    PDF sink (formpdf.h): "item=value" lines, a blank line
 *                                    between records; all of them TIMES times (bench).
 *                                    PDFTOOL_MARK=TEXT marks every document (pdfdoc_mark_all)
 * Exit status: 0 written, 1 refused (the error's name on stdout), 2 usage, 99 broken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/fileio.h"
#include "mnvault/form.h"
#include "mnvault/formpdf.h"
#include "mnvault/pdfdoc.h"
#include "mnvault/secmem.h"

static int refused(enum mnv_err rc, const struct mnv_diag *d)
{
    printf("%s%s%s\n", mnv_err_name(rc), d->detail[0] ? " " : "", d->detail);
    return 1;
}

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        enum mnv_err rc_ = (expr);                                                                 \
        if (rc_ != MNV_OK) {                                                                       \
            pdfdoc_free(doc);                                                                      \
            return refused(rc_, &diag);                                                            \
        }                                                                                          \
    } while (0)

static int sample(const char *out, const char *mark)
{
    struct mnv_diag diag = {0};
    struct pdfdoc *doc = NULL;
    struct pdfdoc_info info = {.title = "令和7年分 見本", .subject = "pdfdoc sample"};
    TRY(pdfdoc_new(&doc, &info, &diag));
    if (mark)
        TRY(pdfdoc_add_mark(doc, mark));
    TRY(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT));
    struct pdfdoc_style title = {.font = PDFDOC_MINCHO, .size = 16, .align = PDFDOC_CENTER};
    TRY(pdfdoc_text(doc, &(struct boxfit_rect){20, 15, 170, 12}, "給与所得の源泉徴収票", &title,
                    &diag));
    /* A ruled table with labels spread, vertical, wrapped and shrunk. */
    double cols[] = {12, 40, 118}, rows[] = {14, 14, 24};
    pdfdoc_grid(doc, 20, 35, cols, 3, rows, 3, &(struct pdfdoc_pen){.width = 0.3});
    struct pdfdoc_style vert = {.size = 8,
                                .min_size = 5,
                                .align = PDFDOC_CENTER,
                                .flags = PDFDOC_VERTICAL | PDFDOC_SPREAD,
                                .pad = 1.5};
    TRY(pdfdoc_text(doc, &(struct boxfit_rect){20, 35, 12, 52}, "支払を受ける者", &vert, &diag));
    struct pdfdoc_style spread = {.size = 8, .flags = PDFDOC_SPREAD, .pad = 2};
    TRY(pdfdoc_text(doc, &(struct boxfit_rect){32, 35, 40, 14}, "氏名", &spread, &diag));
    TRY(pdfdoc_text(doc, &(struct boxfit_rect){32, 49, 40, 14}, "住所又は居所", &spread, &diag));
    TRY(pdfdoc_text(doc, &(struct boxfit_rect){32, 63, 40, 24}, "（個人番号）", &spread, &diag));
    struct pdfdoc_style name = {.size = 12, .min_size = 6, .pad = 1.5};
    TRY(pdfdoc_text(doc, &(struct boxfit_rect){72, 35, 118, 14}, "見本　太郎", &name, &diag));
    struct pdfdoc_style addr = {
        .size = 11, .min_size = 5, .flags = PDFDOC_WRAP, .pad = 1.5, .valign = PDFDOC_TOP};
    TRY(pdfdoc_text(doc, &(struct boxfit_rect){72, 49, 118, 14},
                    "東京都千代田区霞が関三丁目一番一号　中央合同庁舎第四号館　見本ビルディング"
                    "二十三階南側",
                    &addr, &diag));
    struct pdfdoc_cells number = {.ncells = 13, .rules = &(struct pdfdoc_pen){.width = 0.15}};
    TRY(pdfdoc_cells(doc, &(struct boxfit_rect){80, 68, 104, 9}, "123456789018", &number,
                     &(struct pdfdoc_style){.size = 12}, &diag));
    pdfdoc_rect(doc, &(struct boxfit_rect){80, 68, 104, 9}, NULL);
    struct pdfdoc_cells amount = {.ncells = 10, .group = 3};
    pdfdoc_rect(doc, &(struct boxfit_rect){20, 95, 60, 10}, NULL);
    TRY(pdfdoc_cells(doc, &(struct boxfit_rect){20, 95, 60, 10}, "4569846", &amount,
                     &(struct pdfdoc_style){.size = 11}, &diag));
    struct pdfdoc_style right = {.size = 10, .align = PDFDOC_RIGHT, .pad = 1};
    pdfdoc_rect(doc, &(struct boxfit_rect){90, 95, 60, 10}, NULL);
    TRY(pdfdoc_wareki(doc, &(struct boxfit_rect){90, 95, 60, 10}, "1985-06-15", 0, &right, &diag));
    pdfdoc_line(doc, 20, 110, 190, 110, &(struct pdfdoc_pen){.dash = PDFDOC_DASHED});
    pdfdoc_fill(doc, &(struct boxfit_rect){20, 115, 30, 8}, 0.85);
    TRY(pdfdoc_text(doc, &(struct boxfit_rect){20, 115, 30, 8}, "整理欄",
                    &(struct pdfdoc_style){.size = 8, .align = PDFDOC_CENTER}, &diag));
    TRY(pdfdoc_qr(doc, &(struct boxfit_rect){150, 115, 40, 40},
                  "mnvault 削除証明書 cert:0001 sha256:9f86d081884c7d659a2feaa0c55ad015"));
    pdfdoc_mark_region(doc, &(struct boxfit_rect){0, 0, 210, 148.5});
    pdfdoc_mark_region(doc, &(struct boxfit_rect){0, 148.5, 210, 148.5});
    TRY(pdfdoc_page_end(doc));
    TRY(pdfdoc_write(doc, out, &diag));
    pdfdoc_free(doc);
    return 0;
}

static int one_text(const char *out, const char *title, const char *text, unsigned flags)
{
    struct mnv_diag diag = {0};
    struct pdfdoc *doc = NULL;
    struct pdfdoc_info info = {.title = title, .flags = flags};
    TRY(pdfdoc_new(&doc, &info, &diag));
    TRY(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT));
    struct pdfdoc_style st = {.size = 10, .min_size = 4, .flags = PDFDOC_WRAP};
    TRY(pdfdoc_text(doc, &(struct boxfit_rect){20, 20, 170, 30}, text, &st, &diag));
    TRY(pdfdoc_write(doc, out, &diag));
    pdfdoc_free(doc);
    return 0;
}

/* The sink's output: everything into one buffer, written at the end. */
struct membuf {
    unsigned char *p;
    size_t len;
};

static enum mnv_err mem_write(void *ctx, const void *data, size_t len, struct mnv_diag *diag)
{
    (void)diag;
    struct membuf *m = ctx;
    unsigned char *p = realloc(m->p, m->len + len);
    if (!p)
        return MNV_ERR_NOMEM;
    memcpy(p + m->len, data, len);
    m->p = p;
    m->len += len;
    return MNV_OK;
}

/* Read "item=value" records separated by blank lines into recs[] (at most max). */
static size_t read_records(const struct form_layout *l, const struct form_copy *copy,
                           struct form_record **recs, size_t max)
{
    char line[4096];
    size_t n = 0;
    struct mnv_diag diag = {0};
    while (n < max && fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0]) {
            if (recs[n])
                n++;
            continue;
        }
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        if (!recs[n] && form_record_new(l, &recs[n]) != MNV_OK)
            return n;
        recs[n]->line = (long)n + 1;
        /* As the export does: a copy without numbers never gets one filled in. */
        const struct form_field *f = form_layout_field(l, line);
        if (f && f->number != FORM_NUM_NONE && !copy->numbers)
            continue;
        if (form_record_set_item(recs[n], line, eq + 1, &diag) != MNV_OK)
            fprintf(stderr, "pdftool: %s: %s\n", line, mnv_err_name(MNV_ERR_FORM_FIELD_LONG));
    }
    return recs[n] ? n + 1 : n;
}

static int form(const char *layout, const char *copy_id, const char *out, long times)
{
    struct mnv_diag diag = {0};
    struct form_layout *l = NULL;
    enum mnv_err rc = form_layout_load_file(layout, &l, &diag);
    if (rc != MNV_OK)
        return refused(rc, &diag);
    const struct form_copy *copy = form_layout_copy(l, copy_id);
    struct form_record *recs[64] = {0};
    size_t n = copy ? read_records(l, copy, recs, 64) : 0;
    struct membuf mem = {0};
    struct form_output output = {mem_write, &mem};
    struct form_sink sink;
    struct form_job job = {l, copy, "tax_withholding", "見本商事株式会社", (long)n * times, NULL};
    rc = copy ? formpdf_sink_new(&sink, &output) : MNV_ERR_FORM_COPY;
    for (size_t i = 0; rc == MNV_OK && i < n; i++) {
        struct form_fault fault;
        if ((rc = form_record_fit(recs[i], &diag)) == MNV_OK &&
            form_record_check(recs[i], copy, &fault, 1) > 0) {
            rc = fault.err;
            mnv_diag_item(&diag, "%s", fault.field);
        }
    }
    if (rc == MNV_OK)
        rc = form_sink_begin(&sink, &job, &diag);
    for (long t = 0; rc == MNV_OK && t < times; t++)
        for (size_t i = 0; rc == MNV_OK && i < n; i++)
            rc = form_sink_record(&sink, &job, recs[i], &diag);
    if (rc == MNV_OK)
        rc = form_sink_end(&sink, &job, &diag);
    if (copy)
        form_sink_release(&sink);
    if (rc == MNV_OK)
        rc = fileio_write_atomic(out, mem.p, mem.len, 0600, &diag);
    for (size_t i = 0; i < 64; i++)
        form_record_free(recs[i]);
    free(mem.p);
    form_layout_free(l);
    if (rc != MNV_OK) {
        printf("%s %s%s%s line %ld\n", mnv_err_name(rc), diag.item, diag.detail[0] ? " " : "",
               diag.detail, diag.line);
        return 1;
    }
    return 0;
}

/* One row of digit cells (ncells across 10 mm a cell, a divider every `group`), as forms
 * print a number: for the scanner's tests. */
static int cells(const char *out, const char *ncells, const char *digits, const char *group)
{
    struct mnv_diag diag = {0};
    struct pdfdoc *doc = NULL;
    size_t n = (size_t)atol(ncells);
    struct pdfdoc_cells spec = {.ncells = n,
                                .group = group ? (size_t)atol(group) : 0,
                                .rules = &(struct pdfdoc_pen){.width = 0.15}};
    struct boxfit_rect box = {20, 40, 10.0 * (double)n, 10};
    TRY(pdfdoc_new(&doc, &(struct pdfdoc_info){.title = "cells"}, &diag));
    TRY(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT));
    TRY(pdfdoc_text(doc, &(struct boxfit_rect){20, 30, 60, 8}, "番号欄",
                    &(struct pdfdoc_style){.size = 10}, &diag));
    pdfdoc_rect(doc, &box, NULL);
    TRY(pdfdoc_cells(doc, &box, digits, &spec, &(struct pdfdoc_style){.size = 12}, &diag));
    TRY(pdfdoc_write(doc, out, &diag));
    pdfdoc_free(doc);
    return 0;
}

int main(int argc, char **argv)
{
    if (secmem_init() != MNV_OK)
        return 99;
    const char *mark = getenv("PDFTOOL_MARK");
    if (mark && pdfdoc_mark_all(mark) != MNV_OK)
        return 99;
    if (argc >= 3 && strcmp(argv[1], "sample") == 0)
        return sample(argv[2], argc > 3 ? argv[3] : NULL);
    if (argc == 4 && strcmp(argv[1], "nonumber") == 0)
        return one_text(argv[2], "no numbers", argv[3], PDFDOC_NO_NUMBERS);
    if (argc == 4 && strcmp(argv[1], "meta") == 0)
        return one_text(argv[2], argv[3], "meta", 0);
    if (argc == 4 && strcmp(argv[1], "glyph") == 0)
        return one_text(argv[2], "glyph", argv[3], 0);
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "form") == 0)
        return form(argv[2], argv[3], argv[4], argc == 6 ? atol(argv[5]) : 1);
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "cells") == 0)
        return cells(argv[2], argv[3], argv[4], argc == 6 ? argv[5] : NULL);
    fprintf(stderr, "usage: pdftool sample|nonumber|meta|glyph OUT.pdf [TEXT]\n"
                    "       pdftool cells OUT.pdf NCELLS DIGITS [GROUP]\n"
                    "       pdftool form LAYOUT.ini COPY OUT.pdf [TIMES] < records\n");
    return 2;
}
