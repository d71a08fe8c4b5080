/*
 * Unit tests for the PDF layer: documents are drawn in memory and read back with poppler
 * (text, fonts, properties), independently of cairo.
 */
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/pdfdoc.h"
#include "mnvault/secmem.h"

static char dir[64];

static int group_setup(void **state)
{
    (void)state;
    if (secmem_init() != MNV_OK)
        return -1;
    snprintf(dir, sizeof(dir), "/tmp/mnv-pdfdoc-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct pdfdoc *new_doc(unsigned flags)
{
    struct pdfdoc *doc = NULL;
    struct pdfdoc_info info = {.title = "令和7年分 テスト", .subject = "unit test", .flags = flags};
    assert_int_equal(pdfdoc_new(&doc, &info, NULL), MNV_OK);
    assert_non_null(doc);
    return doc;
}

static PopplerDocument *reopen(struct pdfdoc *doc)
{
    const unsigned char *data;
    size_t len;
    assert_int_equal(pdfdoc_finish(doc, &data, &len), MNV_OK);
    assert_true(len > 5 && memcmp(data, "%PDF-", 5) == 0);
    GBytes *bytes = g_bytes_new(data, len);
    GError *err = NULL;
    PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, &err);
    g_bytes_unref(bytes);
    assert_non_null(pd);
    return pd;
}

/* The text of page i (0-based) with every space and line break taken out; free with free(). */
static char *page_text(PopplerDocument *pd, int i)
{
    PopplerPage *page = poppler_document_get_page(pd, i);
    assert_non_null(page);
    char *t = poppler_page_get_text(page);
    g_object_unref(page);
    char *out = strdup(t ? t : "");
    g_free(t);
    size_t k = 0;
    for (size_t j = 0; out[j]; j++)
        if (out[j] != ' ' && out[j] != '\n')
            out[k++] = out[j];
    out[k] = '\0';
    return out;
}

static const struct boxfit_rect box = {20, 20, 120, 12};

/* 1 when text holds the characters of want in either order: a mark rises from the lower left
 * corner, so a reader of the page meets its last character first. */
static int holds_either_way(const char *text, const char *want, const char *reversed)
{
    return strstr(text, want) != NULL || strstr(text, reversed) != NULL;
}

static void test_pdfdoc__free_null(void **state)
{
    (void)state;
    pdfdoc_free(NULL);
}

static void test_pdfdoc__state_errors(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(0);
    const unsigned char *data;
    size_t len;
    assert_int_equal(pdfdoc_finish(doc, &data, &len), MNV_ERR_PDF_STATE); /* no page */
    assert_int_equal(pdfdoc_text(doc, &box, "x", NULL, NULL), MNV_ERR_PDF_STATE);
    assert_int_equal(pdfdoc_page_end(doc), MNV_ERR_PDF_STATE);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_OK);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_ERR_PDF_STATE);
    assert_int_equal(pdfdoc_backdrop_begin(doc, 10, 10), MNV_ERR_PDF_STATE);
    assert_int_equal(pdfdoc_add_mark(doc, "見本"), MNV_ERR_PDF_STATE); /* all pages or none */
    assert_int_equal(pdfdoc_backdrop_place(doc, 0, 0, 0), MNV_ERR_INVALID);
    assert_int_equal(pdfdoc_page_count(doc), 1);
    /* finish ends the open page; a second call gives the same bytes */
    assert_int_equal(pdfdoc_finish(doc, &data, &len), MNV_OK);
    const unsigned char *again;
    size_t len2;
    assert_int_equal(pdfdoc_finish(doc, &again, &len2), MNV_OK);
    assert_ptr_equal(again, data);
    assert_int_equal(len2, len);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_ERR_PDF_STATE);
    pdfdoc_free(doc);
}

static void test_pdfdoc__properties_refuse_numbers(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "源泉徴収票 123456789018", "１２３４５６７８９０１８", "1234 5678 9018",
        "1234-5678-9018",          "法人 1234567890123",       "0000000000000000",
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(bad); i++) {
        struct pdfdoc *doc = (struct pdfdoc *)1;
        struct mnv_diag d = {0};
        struct pdfdoc_info info = {.subject = bad[i]};
        assert_int_equal(pdfdoc_new(&doc, &info, &d), MNV_ERR_PDF_META);
        assert_null(doc);
        assert_string_equal(d.item, "subject");
    }
    struct pdfdoc *doc = NULL;
    /* Eleven digits, a date after them, a grouped number with a wrong check digit: no
     * number. */
    struct pdfdoc_info ok = {.title = "令和7年分 源泉徴収票 12345678901 2025-12-01",
                             .subject = "1234-5678-9012"};
    assert_int_equal(pdfdoc_new(&doc, &ok, NULL), MNV_OK);
    pdfdoc_free(doc);
    struct pdfdoc_info ctl = {.author = "a\tb"};
    assert_int_equal(pdfdoc_new(&doc, &ctl, NULL), MNV_ERR_PDF_META);
}

static void test_pdfdoc__properties_written(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(0);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_LANDSCAPE), MNV_OK);
    PopplerDocument *pd = reopen(doc);
    char *title = poppler_document_get_title(pd);
    assert_string_equal(title, "令和7年分 テスト");
    g_free(title);
    char *creator = poppler_document_get_creator(pd);
    assert_non_null(strstr(creator, "mnvault"));
    g_free(creator);
    PopplerPage *page = poppler_document_get_page(pd, 0);
    double w, h;
    poppler_page_get_size(page, &w, &h);
    assert_true(w > 841 && w < 842.5 && h > 595 && h < 596); /* A4 landscape in points */
    g_object_unref(page);
    g_object_unref(pd);
    pdfdoc_free(doc);
}

static void test_pdfdoc__text_read_back_and_fonts_embedded(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(0);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_OK);
    struct pdfdoc_style mincho = {.font = PDFDOC_MINCHO, .size = 14};
    assert_int_equal(pdfdoc_text(doc, &box, "給与所得の源泉徴収票", &mincho, NULL), MNV_OK);
    struct boxfit_rect b2 = {20, 40, 120, 12};
    assert_int_equal(pdfdoc_text(doc, &b2, "支払金額", NULL, NULL), MNV_OK);
    struct boxfit_rect v = {150, 40, 10, 60};
    struct pdfdoc_style vert = {.size = 9, .flags = PDFDOC_VERTICAL | PDFDOC_SPREAD};
    assert_int_equal(pdfdoc_text(doc, &v, "支払者", &vert, NULL), MNV_OK);
    PopplerDocument *pd = reopen(doc);
    char *t = page_text(pd, 0);
    assert_non_null(strstr(t, "給与所得の源泉徴収票"));
    assert_non_null(strstr(t, "支払金額"));
    assert_non_null(strstr(t, "支"));
    free(t);
    /* Both fonts are there, and every font is embedded. */
    PopplerFontInfo *fi = poppler_font_info_new(pd);
    PopplerFontsIter *it = NULL;
    int gothic = 0, mincho_seen = 0, fonts = 0;
    while (poppler_font_info_scan(fi, 10, &it)) {
        do {
            const char *name = poppler_fonts_iter_get_name(it);
            fonts++;
            assert_true(poppler_fonts_iter_is_embedded(it));
            gothic += name && strstr(name, "IPAexGothic") != NULL;
            mincho_seen += name && strstr(name, "IPAexMincho") != NULL;
        } while (poppler_fonts_iter_next(it));
        poppler_fonts_iter_free(it);
        it = NULL;
    }
    poppler_font_info_free(fi);
    assert_true(fonts >= 2 && gothic >= 1 && mincho_seen >= 1);
    g_object_unref(pd);
    pdfdoc_free(doc);
}

static void test_pdfdoc__text_refusals(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(0);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_OK);
    struct mnv_diag d = {0};
    assert_int_equal(pdfdoc_text(doc, &box, "吉野 𠮷野", NULL, &d), MNV_ERR_PDF_GLYPH);
    assert_string_equal(d.detail, "U+20BB7 𠮷");
    assert_int_equal(pdfdoc_text(doc, &box, "a\tb", NULL, NULL), MNV_ERR_ENCODING);
    assert_int_equal(pdfdoc_text(doc, &box, "\xff\xfe", NULL, NULL), MNV_ERR_ENCODING);
    assert_int_equal(pdfdoc_text(doc, &box, "", NULL, NULL), MNV_OK);
    /* Too long for the box even at the smallest size, on one line; wrapped it fits. */
    const char *long_text = "東京都千代田区霞が関三丁目一番一号中央合同庁舎第四号館見本ビル";
    struct boxfit_rect small = {20, 60, 40, 8};
    struct pdfdoc_style one = {.size = 10, .min_size = 7};
    assert_int_equal(pdfdoc_text(doc, &small, long_text, &one, NULL), MNV_ERR_PDF_FIT);
    struct pdfdoc_style wrap = {.size = 10, .min_size = 4, .flags = PDFDOC_WRAP};
    assert_int_equal(pdfdoc_text(doc, &small, long_text, &wrap, NULL), MNV_OK);
    struct boxfit_rect narrow = {20, 80, 1, 30}; /* narrower than one character at 4 pt */
    assert_int_equal(pdfdoc_text(doc, &narrow, "氏名", &wrap, NULL), MNV_ERR_PDF_FIT);
    pdfdoc_free(doc);
}

static void test_pdfdoc__cells(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(0);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_OK);
    struct pdfdoc_cells c13 = {.ncells = 13, .rules = &(struct pdfdoc_pen){.width = 0.1}};
    struct boxfit_rect r = {20, 20, 91, 8};
    struct mnv_diag d = {0};
    assert_int_equal(pdfdoc_cells(doc, &r, "12345678901234", &c13, NULL, &d), MNV_ERR_PDF_DIGITS);
    assert_string_equal(d.detail, "14/13");
    assert_int_equal(pdfdoc_cells(doc, &r, "1234,5678", &c13, NULL, NULL), MNV_ERR_PDF_DIGITS);
    assert_int_equal(pdfdoc_cells(doc, &r, "１２", &c13, NULL, NULL), MNV_ERR_PDF_DIGITS);
    struct pdfdoc_cells none = {.ncells = 0};
    assert_int_equal(pdfdoc_cells(doc, &r, "1", &none, NULL, NULL), MNV_ERR_RANGE);
    assert_int_equal(pdfdoc_cells(doc, &r, "", &c13, NULL, NULL), MNV_OK); /* only rules */
    assert_int_equal(pdfdoc_cells(doc, &r, "123456789018", &c13, NULL, NULL), MNV_OK);
    /* On a page of its own: poppler reads widely spaced digits in rows one above the other
     * as columns of a table. */
    assert_int_equal(pdfdoc_page_end(doc), MNV_OK);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_OK);
    struct pdfdoc_cells amount = {.ncells = 10, .group = 3};
    struct boxfit_rect a = {20, 40, 50, 8};
    assert_int_equal(pdfdoc_cells(doc, &a, "4569846", &amount, NULL, NULL), MNV_OK);
    PopplerDocument *pd = reopen(doc);
    /* The digits come back in order, one cell after the other. */
    char *t = page_text(pd, 0);
    assert_string_equal(t, "123456789018");
    free(t);
    t = page_text(pd, 1);
    assert_string_equal(t, "4569846");
    free(t);
    g_object_unref(pd);
    pdfdoc_free(doc);
}

static void test_pdfdoc__no_numbers_document(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(PDFDOC_NO_NUMBERS);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_OK);
    static const char *const numbers[] = {
        "123456789018",
        "番号 1234 5678 9018 です",
        "１２３４５６７８９０１８",
        "1234-5678-9018",
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(numbers); i++)
        assert_int_equal(pdfdoc_text(doc, &box, numbers[i], NULL, NULL), MNV_ERR_PDF_NUMBER);
    struct pdfdoc_cells c13 = {.ncells = 13};
    assert_int_equal(pdfdoc_cells(doc, &box, "123456789018", &c13, NULL, NULL), MNV_ERR_PDF_NUMBER);
    assert_int_equal(pdfdoc_cells(doc, &box, "9123456789018", &c13, NULL, NULL),
                     MNV_ERR_PDF_NUMBER); /* any twelve in a row */
    /* A wrong check digit, a phone number and an amount are not numbers. */
    assert_int_equal(pdfdoc_text(doc, &box, "123456789012", NULL, NULL), MNV_OK);
    assert_int_equal(pdfdoc_text(doc, &box, "03-1234-5678", NULL, NULL), MNV_OK);
    assert_int_equal(pdfdoc_cells(doc, &box, "4569846", &c13, NULL, NULL), MNV_OK);
    /* The program's own hex (a hash, a key) may hold twelve digits between letters: with
     * PDFDOC_IDENTIFIERS that is part of an identifier, not a number; a number standing
     * alone in the same text is still refused. */
    static const char hexline[] = "SHA-256: 0f3a123456789018bc9e4d7a";
    struct pdfdoc_style ids = {.flags = PDFDOC_IDENTIFIERS};
    assert_int_equal(pdfdoc_text(doc, &box, hexline, NULL, NULL), MNV_ERR_PDF_NUMBER);
    assert_int_equal(pdfdoc_text(doc, &box, hexline, &ids, NULL), MNV_OK);
    assert_int_equal(pdfdoc_text(doc, &box, "record 1234 5678 9018 (0f3a…)", &ids, NULL),
                     MNV_ERR_PDF_NUMBER);
    PopplerDocument *pd = reopen(doc);
    char *t = page_text(pd, 0);
    /* what was refused is not on the page; the hex is, once */
    assert_null(strstr(t, "5678 9018"));
    assert_null(strstr(t, "5678-9018"));
    const char *hex = strstr(t, "123456789018");
    assert_non_null(hex);
    assert_null(strstr(hex + 1, "123456789018"));
    free(t);
    g_object_unref(pd);
    pdfdoc_free(doc);
}

static void test_pdfdoc__wareki(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(0);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_OK);
    assert_int_equal(pdfdoc_wareki(doc, &box, "1985-06-15", 0, NULL, NULL), MNV_OK);
    struct boxfit_rect b2 = {20, 40, 120, 12};
    assert_int_equal(pdfdoc_wareki(doc, &b2, "2019-05-01", 1, NULL, NULL), MNV_OK);
    assert_int_equal(pdfdoc_wareki(doc, &b2, "2025-02-30", 0, NULL, NULL), MNV_ERR_FIELD_DATE);
    assert_int_equal(pdfdoc_wareki(doc, &b2, "", 0, NULL, NULL), MNV_OK);
    PopplerDocument *pd = reopen(doc);
    char *t = page_text(pd, 0);
    assert_non_null(strstr(t, "昭和60年6月15日"));
    assert_non_null(strstr(t, "令和元年"));
    free(t);
    g_object_unref(pd);
    pdfdoc_free(doc);
}

static void test_pdfdoc__backdrop_on_every_page(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(0);
    int id = -1;
    assert_int_equal(pdfdoc_backdrop_begin(doc, 140, 95), MNV_OK);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_ERR_PDF_STATE);
    pdfdoc_rect(doc, &(struct boxfit_rect){0, 0, 140, 95}, NULL);
    assert_int_equal(pdfdoc_text(doc, &box, "源泉徴収票の枠", NULL, NULL), MNV_OK);
    assert_int_equal(pdfdoc_backdrop_end(doc, &id), MNV_OK);
    assert_int_equal(id, 0);
    assert_int_equal(pdfdoc_backdrop_end(doc, &id), MNV_ERR_PDF_STATE);
    assert_int_equal(id, -1);
    for (int p = 0; p < 3; p++) {
        assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_LANDSCAPE), MNV_OK);
        assert_int_equal(pdfdoc_backdrop_place(doc, 0, 5, 5), MNV_OK);
        assert_int_equal(pdfdoc_backdrop_place(doc, 0, 150, 5), MNV_OK);
        assert_int_equal(pdfdoc_backdrop_place(doc, 1, 0, 0), MNV_ERR_INVALID);
        assert_int_equal(pdfdoc_page_end(doc), MNV_OK);
    }
    PopplerDocument *pd = reopen(doc);
    assert_int_equal(poppler_document_get_n_pages(pd), 3);
    for (int p = 0; p < 3; p++) {
        char *t = page_text(pd, p);
        const char *first = strstr(t, "源泉徴収票の枠");
        assert_non_null(first);
        assert_non_null(strstr(first + 1, "源泉徴収票の枠")); /* twice on the page */
        free(t);
    }
    g_object_unref(pd);
    pdfdoc_free(doc);
}

static void test_pdfdoc__backdrop_limits(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(0);
    int id;
    assert_int_equal(pdfdoc_backdrop_begin(doc, 0, 10), MNV_ERR_INVALID);
    for (int i = 0; i < 16; i++) {
        assert_int_equal(pdfdoc_backdrop_begin(doc, 10, 10), MNV_OK);
        assert_int_equal(pdfdoc_backdrop_end(doc, &id), MNV_OK);
    }
    assert_int_equal(pdfdoc_backdrop_begin(doc, 10, 10), MNV_ERR_RANGE);
    assert_int_equal(pdfdoc_backdrop_begin(doc, 10, 10), MNV_ERR_RANGE);
    /* An open backdrop is freed with the document. */
    struct pdfdoc *doc2 = new_doc(0);
    assert_int_equal(pdfdoc_backdrop_begin(doc2, 10, 10), MNV_OK);
    const unsigned char *data;
    size_t len;
    assert_int_equal(pdfdoc_finish(doc2, &data, &len), MNV_ERR_PDF_STATE);
    pdfdoc_free(doc2);
    pdfdoc_free(doc);
}

static void test_pdfdoc__marks(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(0);
    assert_int_equal(pdfdoc_add_mark(doc, ""), MNV_ERR_ENCODING);
    assert_int_equal(pdfdoc_add_mark(doc, "見本"), MNV_OK);
    struct pdfdoc *four = new_doc(0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(pdfdoc_add_mark(four, "DEMO"), MNV_OK);
    assert_int_equal(pdfdoc_add_mark(four, "DEMO"), MNV_ERR_RANGE);
    pdfdoc_free(four);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_OK);
    assert_int_equal(pdfdoc_page_end(doc), MNV_OK);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_LANDSCAPE), MNV_OK);
    /* Two slips on this sheet: each carries the marks. */
    pdfdoc_mark_region(doc, &(struct boxfit_rect){0, 0, 148.5, 105});
    pdfdoc_mark_region(doc, &(struct boxfit_rect){148.5, 0, 148.5, 105});
    assert_int_equal(pdfdoc_page_end(doc), MNV_OK);
    PopplerDocument *pd = reopen(doc);
    char *t = page_text(pd, 0);
    assert_true(holds_either_way(t, "見本", "本見"));
    free(t);
    t = page_text(pd, 1);
    assert_int_equal(strlen(t), 4 * strlen("見")); /* both slips: 見本 twice */
    assert_true(holds_either_way(t, "見本見本", "本見本見") ||
                holds_either_way(t, "見見本本", "本本見見"));
    free(t);
    g_object_unref(pd);
    pdfdoc_free(doc);
}

static void test_pdfdoc__write_private_file(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(0);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_OK);
    assert_int_equal(pdfdoc_text(doc, &box, "書き出し", NULL, NULL), MNV_OK);
    char path[128];
    snprintf(path, sizeof(path), "%s/out.pdf", dir);
    mode_t old = umask(0);
    assert_int_equal(pdfdoc_write(doc, path, NULL), MNV_OK);
    umask(old);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    const unsigned char *data;
    size_t len;
    assert_int_equal(pdfdoc_finish(doc, &data, &len), MNV_OK);
    assert_int_equal((size_t)st.st_size, len);
    pdfdoc_free(doc);
    /* A folder that does not exist: an I/O error naming the file. */
    doc = new_doc(0);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_OK);
    struct mnv_diag d = {0};
    snprintf(path, sizeof(path), "%s/missing/out.pdf", dir);
    assert_int_equal(pdfdoc_write(doc, path, &d), MNV_ERR_IO);
    assert_non_null(strstr(d.where, "missing/out.pdf"));
    pdfdoc_free(doc);
}

static void test_pdfdoc__text_height(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(0);
    struct pdfdoc_style st = {.size = 10, .pad = 1};
    double one = 0, many = 0, none = -1;
    assert_int_equal(pdfdoc_text_height(doc, 100, "証明書", &st, &one, NULL), MNV_OK);
    /* one line of 10 pt type is about 1.2 em (4.2 mm) high, plus the padding */
    assert_true(one > 4 && one < 8);
    const char *para = "個人番号を削除したことを証明します。削除は事務取扱責任者の承認を得て行い、"
                       "削除の記録は監査ログに残されています。";
    assert_int_equal(pdfdoc_text_height(doc, 40, para, &st, &many, NULL), MNV_OK);
    assert_true(many > 3 * (one - 2)); /* wrapped onto several lines */
    assert_int_equal(pdfdoc_text_height(doc, 40, "", &st, &none, NULL), MNV_OK);
    assert_true(none == 0);
    assert_int_equal(pdfdoc_text_height(doc, 2.5, "証明", &st, &none, NULL), MNV_ERR_PDF_FIT);
    struct mnv_diag d = {0};
    assert_int_equal(pdfdoc_text_height(doc, 40, "𠮷", &st, &none, &d), MNV_ERR_PDF_GLYPH);
    assert_string_equal(d.detail, "U+20BB7 𠮷");
    assert_int_equal(pdfdoc_text_height(doc, 40, "a\tb", &st, &none, NULL), MNV_ERR_ENCODING);
    pdfdoc_free(doc);
}

static void test_pdfdoc__qr(void **state)
{
    (void)state;
    struct pdfdoc *doc = new_doc(PDFDOC_NO_NUMBERS);
    struct boxfit_rect r = {20, 20, 30, 30};
    assert_int_equal(pdfdoc_qr(doc, &r, "x"), MNV_ERR_PDF_STATE);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_OK);
    assert_int_equal(pdfdoc_qr(doc, &r, ""), MNV_ERR_INVALID);
    assert_int_equal(pdfdoc_qr(doc, &r, "\xff"), MNV_ERR_ENCODING);
    assert_int_equal(pdfdoc_qr(doc, &r, "番号 123456789018"), MNV_ERR_PDF_NUMBER);
    char big[8000];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(pdfdoc_qr(doc, &r, big), MNV_ERR_TOO_LONG);
    assert_int_equal(pdfdoc_qr(doc, &r, "cert:0001 sha256:9f86d081884c7d65"), MNV_OK);
    const unsigned char *data;
    size_t len;
    assert_int_equal(pdfdoc_finish(doc, &data, &len), MNV_OK);
    pdfdoc_free(doc);
}

/* Last: the mark stays on every later document of the process. */
static void test_pdfdoc__zz_mark_all(void **state)
{
    (void)state;
    assert_int_equal(pdfdoc_mark_all("\xff"), MNV_ERR_ENCODING);
    assert_int_equal(pdfdoc_mark_all("DEMO"), MNV_OK);
    struct pdfdoc *doc = new_doc(0);
    assert_int_equal(pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT), MNV_OK);
    PopplerDocument *pd = reopen(doc);
    char *t = page_text(pd, 0);
    /* Rotated Latin letters come back in no useful order; all four and nothing else. */
    assert_int_equal(strlen(t), 4);
    assert_true(strchr(t, 'D') && strchr(t, 'E') && strchr(t, 'M') && strchr(t, 'O'));
    free(t);
    g_object_unref(pd);
    pdfdoc_free(doc);
}
