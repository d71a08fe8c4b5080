/*
 * pdftool: PDFs drawn through mnvault's PDF layer (pdfdoc.h), for the tests and the bench.
 *   pdftool sample OUT.pdf [MARK]    one page of every kind of drawing, for PDF tests and a look
 *   pdftool nonumber OUT.pdf TEXT    a PDFDOC_NO_NUMBERS document with TEXT: exit 1 if refused
 *   pdftool meta OUT.pdf TITLE       a document titled TITLE: exit 1 if refused
 *   pdftool glyph OUT.pdf TEXT       TEXT in a box; prints the detail of a refusal
 * Exit status: 0 written, 1 refused (the error's name on stdout), 2 usage, 99 broken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int main(int argc, char **argv)
{
    if (secmem_init() != MNV_OK)
        return 99;
    if (argc >= 3 && strcmp(argv[1], "sample") == 0)
        return sample(argv[2], argc > 3 ? argv[3] : NULL);
    if (argc == 4 && strcmp(argv[1], "nonumber") == 0)
        return one_text(argv[2], "no numbers", argv[3], PDFDOC_NO_NUMBERS);
    if (argc == 4 && strcmp(argv[1], "meta") == 0)
        return one_text(argv[2], argv[3], "meta", 0);
    if (argc == 4 && strcmp(argv[1], "glyph") == 0)
        return one_text(argv[2], "glyph", argv[3], 0);
    fprintf(stderr, "usage: pdftool sample|nonumber|meta|glyph OUT.pdf [TEXT]\n");
    return 2;
}
