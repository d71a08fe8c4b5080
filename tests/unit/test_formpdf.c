/*
 * Unit tests for the PDF sink of printed forms (formpdf.h) on the shipped layouts: records
 * through the sink into memory, read back with poppler.
 */
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/form.h"
#include "mnvault/formpdf.h"
#include "mnvault/numtext.h"
#include "mnvault/secmem.h"

static int group_setup(void **state)
{
    (void)state;
    return secmem_init() == MNV_OK ? 0 : -1;
}

struct membuf {
    unsigned char *p;
    size_t len;
    int writes;
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
    m->writes++;
    return MNV_OK;
}

/* One slip with every kind of box filled; numbers only when with_numbers. */
static const char *const slip[][2] = {
    {"filing.era_year", "07"},
    {"employee.address", "東京都千代田区霞が関三丁目１番１号"},
    {"employee.kana", "ミホンタロウ"},
    {"employee.name", "見本太郎"},
    {"pay.kind", "給料・賞与"},
    {"pay.amount", "6847500"},
    {"pay.tax", "120000"},
    {"spouse.flag", "1"},
    {"spouse.name", "見本花子"},
    {"count.specific", "1"},
    {"pay.new_life_premium", "180000"},
    {"summary.text", "前職分　見本工業株式会社"},
    {"dependent1.name", "見本一郎"},
    {"dependent1.class", "00"},
    {"midyear.kind", "2"},
    {"employee.birth_era", "1"},
    {"employee.birth_year", "60"},
    {"employee.birth_month", "06"},
    {"employee.birth_day", "15"},
    {"payer.address", "東京都港区芝公園一丁目２番３号"},
    {"payer.name", "見本商事株式会社"},
};
static const char *const numbers[][2] = {
    {"employee.number", "123456789018"},
    {"spouse.number", "234567890121"},
    {"dependent1.number", "345678901234"},
    {"payer.number", "8700110005901"},
};

static struct form_record *make(const struct form_layout *l, int with_numbers)
{
    struct form_record *r = NULL;
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    for (size_t i = 0; i < MNV_ARRAY_LEN(slip); i++)
        assert_int_equal(form_record_set_item(r, slip[i][0], slip[i][1], NULL), MNV_OK);
    for (size_t i = 0; with_numbers && i < MNV_ARRAY_LEN(numbers); i++)
        assert_int_equal(form_record_set_item(r, numbers[i][0], numbers[i][1], NULL), MNV_OK);
    r->line = 1;
    snprintf(r->code, sizeof(r->code), "E001");
    return r;
}

/* Run n copies of r through a PDF sink for copy; the PDF into *out. */
static enum mnv_err run(const struct form_layout *l, const char *copy, struct form_record *r, int n,
                        struct membuf *out, struct mnv_diag *diag)
{
    struct form_output output = {mem_write, out};
    struct form_sink sink;
    const struct form_copy *c = form_layout_copy(l, copy);
    assert_non_null(c);
    struct form_job job = {l, c, "tax_withholding", "見本商事株式会社", n, NULL};
    assert_int_equal(formpdf_sink_new(&sink, &output), MNV_OK);
    enum mnv_err err = form_sink_begin(&sink, &job, diag);
    for (int i = 0; err == MNV_OK && i < n; i++)
        err = form_sink_record(&sink, &job, r, diag);
    if (err == MNV_OK)
        err = form_sink_end(&sink, &job, diag);
    form_sink_release(&sink);
    return err;
}

static PopplerDocument *open_pdf(const struct membuf *m)
{
    GBytes *bytes = g_bytes_new(m->p, m->len);
    PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, NULL);
    g_bytes_unref(bytes);
    assert_non_null(pd);
    return pd;
}

/* Every page's text, spaces and line breaks taken out (digits of cells join up). */
static char *all_text(PopplerDocument *pd)
{
    size_t cap = 1, len = 0;
    char *out = calloc(1, 1);
    for (int i = 0; i < poppler_document_get_n_pages(pd); i++) {
        PopplerPage *page = poppler_document_get_page(pd, i);
        char *t = poppler_page_get_text(page);
        for (const char *p = t; p && *p; p++) {
            if (*p == ' ' || *p == '\n')
                continue;
            if (len + 2 > cap)
                out = realloc(out, cap = 2 * cap + 64);
            out[len++] = *p;
        }
        out[len] = '\0';
        g_free(t);
        g_object_unref(page);
    }
    return out;
}

static struct form_layout *gensen(void)
{
    struct form_layout *l = NULL;
    struct mnv_diag d = {0};
    assert_int_equal(form_layout_load("gensen", 2025, &l, &d), MNV_OK);
    return l;
}

static void test_formpdf__tax_copy_holds_the_values(void **state)
{
    (void)state;
    struct form_layout *l = gensen();
    struct form_record *r = make(l, 1);
    struct form_fault fault;
    assert_int_equal(form_record_check(r, form_layout_copy(l, "tax"), &fault, 1), 0);
    struct membuf m = {0};
    assert_int_equal(run(l, "tax", r, 1, &m, NULL), MNV_OK);
    assert_int_equal(m.writes, 1); /* the whole PDF at the end, in one piece */
    PopplerDocument *pd = open_pdf(&m);
    assert_int_equal(poppler_document_get_n_pages(pd), 1);
    char *title = poppler_document_get_title(pd);
    assert_string_equal(title, "令和7年分 給与所得の源泉徴収票（税務署提出用）");
    g_free(title);
    char *t = all_text(pd);
    static const char *const want[] = {
        "令和7年分",
        "（税務署提出用）",
        "見本太郎",
        "東京都千代田区霞が関三丁目１番１号",
        "6847500",
        "120000",
        "見本花子",
        "180,000",
        "前職分",
        "昭和",
        "60",
        "15",
        "123456789018",
        "234567890121",
        "345678901234",
        "8700110005901",
        "見本商事株式会社",
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(want); i++)
        if (!strstr(t, want[i])) {
            fprintf(stderr, "FULL[%s]\n", t);
            fail_msg("missing %s", want[i]);
        }
    free(t);
    g_object_unref(pd);
    free(m.p);
    form_record_free(r);
    form_layout_free(l);
}

static void test_formpdf__employee_copy_has_no_number(void **state)
{
    (void)state;
    struct form_layout *l = gensen();
    /* The sink itself leaves number boxes empty on this copy, even for a record that holds
     * numbers (form_record_check refuses such a record before it gets here). */
    struct form_record *r = make(l, 1);
    struct form_fault fault;
    assert_true(form_record_check(r, form_layout_copy(l, "employee"), &fault, 1) > 0);
    struct membuf m = {0};
    assert_int_equal(run(l, "employee", r, 2, &m, NULL), MNV_OK);
    PopplerDocument *pd = open_pdf(&m);
    char *t = all_text(pd);
    assert_non_null(strstr(t, "（受給者交付用）"));
    assert_non_null(strstr(t, "見本太郎"));
    for (size_t i = 0; i < MNV_ARRAY_LEN(numbers); i++)
        if (strstr(t, numbers[i][1]) || strstr(t, numbers[i][1] + 8))
            fail_msg("number %zu on the employee's copy", i);
    assert_false(numtext_has_number(t, strlen(t), NUMTEXT_ANY_RUN));
    free(t);
    g_object_unref(pd);
    free(m.p);
    form_record_free(r);
    form_layout_free(l);
}

static void test_formpdf__four_slips_a_sheet(void **state)
{
    (void)state;
    struct form_layout *l = gensen();
    struct form_record *r = make(l, 0);
    struct membuf m = {0};
    assert_int_equal(run(l, "employee", r, 9, &m, NULL), MNV_OK);
    PopplerDocument *pd = open_pdf(&m);
    assert_int_equal(poppler_document_get_n_pages(pd), 3); /* 4 + 4 + 1 */
    PopplerPage *page = poppler_document_get_page(pd, 0);
    double w, h;
    poppler_page_get_size(page, &w, &h);
    assert_true(w > h); /* A4 landscape */
    g_object_unref(page);
    g_object_unref(pd);
    free(m.p);
    form_record_free(r);
    form_layout_free(l);
}

static void test_formpdf__refusals_name_the_field(void **state)
{
    (void)state;
    struct form_layout *l = gensen();
    struct form_record *r = make(l, 0);
    struct membuf m = {0};
    struct mnv_diag d = {0};
    /* An era code the form has no name for. */
    assert_int_equal(form_record_set_item(r, "employee.birth_era", "9", NULL), MNV_OK);
    assert_int_equal(run(l, "employee", r, 1, &m, &d), MNV_ERR_FIELD_CHOICE);
    assert_non_null(strstr(d.item, "元号"));
    assert_int_equal(d.line, 1);
    assert_int_equal(m.len, 0); /* nothing was written */
    /* A title too long for its box even at the smallest size (15 characters fit the
     * field, not the box). */
    assert_int_equal(form_record_set_item(r, "employee.birth_era", "1", NULL), MNV_OK);
    assert_int_equal(
        form_record_set_item(r, "employee.title", "取締役常務執行役員兼企画本部長", NULL), MNV_OK);
    memset(&d, 0, sizeof(d));
    assert_int_equal(run(l, "employee", r, 1, &m, &d), MNV_ERR_PDF_FIT);
    assert_non_null(strstr(d.item, "役職名"));
    /* A character the fonts lack. */
    assert_int_equal(form_record_set_item(r, "employee.title", "", NULL), MNV_OK);
    assert_int_equal(form_record_set_item(r, "employee.name", "𠮷野　太郎", NULL), MNV_OK);
    memset(&d, 0, sizeof(d));
    assert_int_equal(run(l, "employee", r, 1, &m, &d), MNV_ERR_PDF_GLYPH);
    assert_string_equal(d.detail, "U+20BB7 𠮷");
    assert_int_equal(m.len, 0);
    form_record_free(r);
    form_layout_free(l);
}

static void test_formpdf__nothing_to_print(void **state)
{
    (void)state;
    struct form_layout *l = gensen();
    struct membuf m = {0};
    assert_int_equal(run(l, "tax", NULL, 0, &m, NULL), MNV_ERR_PDF_EMPTY);
    assert_int_equal(m.len, 0);
    form_layout_free(l);
}

static void test_formpdf__soukatsu(void **state)
{
    (void)state;
    struct form_layout *l = NULL;
    assert_int_equal(form_layout_load("soukatsu", 2025, &l, NULL), MNV_OK);
    struct form_record *r = NULL;
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    static const char *const v[][2] = {
        {"filing.date", "2026-01-20"},      {"municipality.name", "千代田区"},
        {"municipality.code", "131016"},    {"payer.number", "8700110005901"},
        {"payer.name", "見本商事株式会社"}, {"report.persons_total", "120"},
        {"report.special", "15"},           {"report.persons", "15"},
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(v); i++)
        assert_int_equal(form_record_set_item(r, v[i][0], v[i][1], NULL), MNV_OK);
    struct form_fault fault;
    assert_int_equal(form_record_check(r, &l->copies[0], &fault, 1), 0);
    struct membuf m = {0};
    assert_int_equal(run(l, "municipal", r, 2, &m, NULL), MNV_OK);
    PopplerDocument *pd = open_pdf(&m);
    assert_int_equal(poppler_document_get_n_pages(pd), 2); /* a page per municipality */
    char *t = all_text(pd);
    static const char *const want[] = {"給与支払報告書", "千代田区",         "令和8年1月20日",
                                       "8700110005901",  "見本商事株式会社", "120"};
    for (size_t i = 0; i < MNV_ARRAY_LEN(want); i++)
        if (!strstr(t, want[i])) {
            fprintf(stderr, "FULL[%s]\n", t);
            fail_msg("missing %s", want[i]);
        }
    free(t);
    g_object_unref(pd);
    free(m.p);
    form_record_free(r);
    form_layout_free(l);
}

/* A printed label that does not fit its box is the layout's mistake, named as such. */
static void test_formpdf__label_too_long_is_a_layout_error(void **state)
{
    (void)state;
    char dir[] = "/tmp/mnv-formpdf-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t-2025.ini", dir); /* the name says form and year */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[form]\nid = t\nyear = 2025\ntitle_ja = テスト\ntitle_en = Test\n"
          "filing = gensen_375\noutput = pdf\nunit = slip\nheader_row = no\nfields = 1\n"
          "source = unit test\n[copy.tax]\ntitle_ja = 税務署提出用\ntitle_en = Tax\n"
          "destination = tax_office\nselect = all\nnumbers = yes\n[fields]\n"
          "1 = employee.name | Z | 30 | text | - | 氏名 | C\n"
          "[sheet]\npaper = a4_portrait\nslip = 210 297\nslots = 0 0\n"
          "[draw]\ncount = 2\n1 = label 10 10 5 3 size=9 min=8 | 給与所得の源泉徴収票\n"
          "2 = text 10 20 50 5 item=employee.name\n",
          f);
    assert_int_equal(fclose(f), 0);
    struct form_layout *l = NULL;
    assert_int_equal(form_layout_load_file(path, &l, NULL), MNV_OK);
    struct form_record *r = NULL;
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    struct membuf m = {0};
    struct mnv_diag d = {0};
    assert_int_equal(run(l, "tax", r, 1, &m, &d), MNV_ERR_LAYOUT_FILE);
    assert_string_equal(d.item, "[draw] 1");
    assert_string_equal(d.where, path);
    assert_string_equal(d.detail, mnv_err_str(MNV_ERR_PDF_FIT));
    form_record_free(r);
    form_layout_free(l);
    unlink(path);
    rmdir(dir);
}
