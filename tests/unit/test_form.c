/* Unit tests for form.c, formrec.c and formsink.c: the item vocabulary, loading layouts
 * (the shipped 令和7年分 files and broken ones), records, the NTA conversions, the checks,
 * and the CSV and memory sinks. Layouts come from $MNVAULT_SHAREDIR (tests/run points it
 * at data/). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/form.h"
#include "mnvault/secmem.h"
#include "mnvault/sjis.h"

static char tmpdir[256];

static int group_setup(void **state)
{
    (void)state;
    if (!getenv("MNVAULT_SHAREDIR") && access("data/forms", R_OK) == 0)
        setenv("MNVAULT_SHAREDIR", "data", 1);
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/mnv-form-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    return secmem_init() == MNV_OK && sjis_init() == MNV_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static struct form_layout *load(const char *form, int year)
{
    struct form_layout *l = NULL;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = form_layout_load(form, year, &l, &d);
    if (err != MNV_OK)
        fprintf(stderr, "# %s: %s %s %s\n", mnv_err_name(err), d.where, d.item, d.detail);
    assert_int_equal(err, MNV_OK);
    return l;
}

/* Write a layout file into tmpdir with the given [fields] body and field count. */
static void write_layout(const char *name, const char *form_extra, int nfields, const char *fields)
{
    char path[512], id[64];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    snprintf(id, sizeof(id), "%s", name);
    *strchr(id, '-') = '\0';
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "[form]\nid = %s\nyear = 2025\ntitle_ja = t\ntitle_en = t\nfiling = f\n"
            "output = csv\nunit = slip\nheader_row = no\nfields = %d\nsource = s\n%s\n"
            "[copy.tax]\ntitle_ja = 税務署\ntitle_en = tax\ndestination = tax_office\n"
            "select = all\nnumbers = yes\n[copy.employee]\ntitle_ja = 本人\ntitle_en = person\n"
            "destination = person\nselect = all\nnumbers = no\n[fields]\n%s",
            id, nfields, form_extra, fields);
    fclose(f);
}

static enum mnv_err load_tmp(const char *name, struct form_layout **l, struct mnv_diag *d)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    mnv_diag_clear(d);
    return form_layout_load_file(path, l, d);
}

static void test_form__items(void **state)
{
    (void)state;
    int slot = -1;
    const struct form_item *it = form_item_find("pay.amount", &slot);
    assert_non_null(it);
    assert_int_equal(it->kind, FORM_ITEM_AMOUNT);
    assert_int_equal(slot, 0);
    it = form_item_find("dependent3.number", &slot);
    assert_non_null(it);
    assert_string_equal(it->key, "dependent#.number");
    assert_int_equal(slot, 3);
    assert_null(form_item_find("dependent5.number", NULL));
    assert_null(form_item_find("housing3.year", NULL));
    assert_null(form_item_find("dependent13.name", NULL));
    assert_null(form_item_find("pay.amunt", NULL));
    assert_null(form_item_find("", NULL));
    assert_non_null(form_item_at(0));
    size_t n = 0;
    while (form_item_at(n))
        n++;
    assert_true(n > 100);
}

static void test_form__nta375(void **state)
{
    (void)state;
    struct form_layout *l = load("nta375", 2025);
    assert_int_equal(l->nfields, 135);
    assert_int_equal(l->output, FORM_OUTPUT_CSV);
    assert_int_equal(l->header_row, 0);
    assert_string_equal(l->filing, "gensen_375");
    assert_string_equal(l->fields[0].fixed, "375");
    assert_int_equal(l->fields[0].exact, 1);
    const struct form_field *f = form_layout_field(l, "employee.number");
    assert_non_null(f);
    assert_int_equal(f->pos, 95);
    assert_int_equal(f->number, FORM_NUM_EMPLOYEE);
    assert_int_equal(f->required, FORM_REQ_IF_KNOWN);
    f = form_layout_field(l, "dependent4.number");
    assert_int_equal(f->pos, 115);
    assert_int_equal(f->number, FORM_NUM_DEPENDENT);
    assert_int_equal(f->slot, 4);
    assert_null(form_layout_field(l, "child1.number")); /* not on the tax office's record */
    assert_int_equal(l->fields[134].required, FORM_REQ_SPACE);
    assert_int_equal(l->fields[8].required, FORM_REQ_BLANK);
    const struct form_copy *c = form_layout_copy(l, "tax");
    assert_non_null(c);
    assert_int_equal(c->numbers, 1);
    assert_int_equal(c->destination, FORM_DEST_TAX_OFFICE);
    assert_int_equal(c->select, FORM_SELECT_TAX_OFFICE);
    assert_null(form_layout_copy(l, "employee"));
    assert_int_equal(l->has_thresholds, 1);
    assert_int_equal(l->thresholds.adjusted, 5000000);
    assert_int_equal(l->thresholds.otsu, 500000);
    form_layout_free(l);
}

static void test_form__eltax(void **state)
{
    (void)state;
    struct form_layout *l = load("eltax", 2025);
    assert_int_equal(l->nfields, 147);
    const struct form_field *f = form_layout_field(l, "child4.number");
    assert_non_null(f);
    assert_int_equal(f->pos, 131);
    assert_int_equal(f->number, FORM_NUM_CHILD);
    f = form_layout_field(l, "employee.kana");
    assert_int_equal(f->pos, 137);
    assert_int_equal(f->chars, FORM_CHARS_KANA);
    assert_int_equal(form_layout_field(l, "filing.create_kind")->pos, 147);
    assert_int_equal(form_layout_copy(l, "municipal")->destination, FORM_DEST_MUNICIPALITY);
    form_layout_free(l);
}

static void test_form__missing_year(void **state)
{
    (void)state;
    struct form_layout *l = (struct form_layout *)1;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(form_layout_load("nta375", 2019, &l, &d), MNV_ERR_FORM_NO_LAYOUT);
    assert_null(l);
    assert_non_null(strstr(d.where, "forms/nta375-2019.ini"));
    assert_int_equal(form_layout_load("NTA/375", 2025, &l, &d), MNV_ERR_FORM_UNKNOWN);
    assert_int_equal(form_layout_load("nosuchform", 2025, &l, &d), MNV_ERR_FORM_NO_LAYOUT);
}

static void test_form__list(void **state)
{
    (void)state;
    struct form_available *a;
    size_t n;
    assert_int_equal(form_list(&a, &n, NULL), MNV_OK);
    int have375 = 0, haveeltax = 0;
    for (size_t i = 0; i < n; i++) {
        have375 |= strcmp(a[i].id, "nta375") == 0 && a[i].year == 2025;
        haveeltax |= strcmp(a[i].id, "eltax") == 0 && a[i].year == 2025;
        if (i)
            assert_true(strcmp(a[i - 1].id, a[i].id) <= 0);
    }
    assert_true(have375 && haveeltax);
    free(a);
}

static void test_form__broken_layouts(void **state)
{
    (void)state;
    struct form_layout *l;
    struct mnv_diag d;
    write_layout("ok-2025.ini", "[boxes]\nname = 10 20\n", 2,
                 "1 = =1 | H | =1 | digits | Y | a | C\n2 = employee.name | Z | 30 | text | Y "
                 "| b | S\n");
    assert_int_equal(load_tmp("ok-2025.ini", &l, &d), MNV_OK);
    assert_string_equal(form_layout_extra(l, "boxes.name"), "10 20");
    assert_null(form_layout_extra(l, "boxes.other"));
    assert_int_equal(form_layout_copy(l, "employee")->numbers, 0);
    form_layout_free(l);

    write_layout("count-2025.ini", "", 3, "1 = =1 | H | =1 | digits | Y | a | C\n");
    assert_int_equal(load_tmp("count-2025.ini", &l, &d), MNV_ERR_FORM_FILE);
    assert_string_equal(d.item, "[fields]");
    assert_non_null(strstr(d.where, "count-2025.ini"));

    write_layout("item-2025.ini", "", 1, "1 = pay.amunt | H | 10 | digits | - | a | C\n");
    assert_int_equal(load_tmp("item-2025.ini", &l, &d), MNV_ERR_FORM_FILE);
    assert_string_equal(d.item, "[fields] 1");
    assert_non_null(strstr(d.detail, "unknown item"));

    write_layout("width-2025.ini", "", 1, "1 = pay.amount | X | 10 | digits | - | a | C\n");
    assert_int_equal(load_tmp("width-2025.ini", &l, &d), MNV_ERR_FORM_FILE);
    write_layout("parts-2025.ini", "", 1, "1 = pay.amount | H | 10 | digits | - | a\n");
    assert_int_equal(load_tmp("parts-2025.ini", &l, &d), MNV_ERR_FORM_FILE);
    write_layout("space-2025.ini", "", 2,
                 "1 = pay.amount | H | 10 | digits | Y* | a | C\n2 = - | H | 1 | digits | - | b "
                 "| C\n");
    assert_int_equal(load_tmp("space-2025.ini", &l, &d), MNV_ERR_FORM_FILE);
    write_layout("kana-2025.ini", "", 1, "1 = employee.kana | Z | 10 | kana | - | a | C\n");
    assert_int_equal(load_tmp("kana-2025.ini", &l, &d), MNV_ERR_FORM_FILE);

    /* The id and year inside must match the name. */
    char path[512];
    snprintf(path, sizeof(path), "%s/ok-2026.ini", tmpdir);
    char from[512];
    snprintf(from, sizeof(from), "%s/ok-2025.ini", tmpdir);
    assert_int_equal(rename(from, path), 0);
    assert_int_equal(load_tmp("ok-2026.ini", &l, &d), MNV_ERR_FORM_FILE);
    assert_string_equal(d.item, "[form] year");
    assert_int_equal(load_tmp("badname.ini", &l, &d), MNV_ERR_FORM_FILE);
}

/* A small layout for record tests: a fixed code, a full-width name, a kana field, digits,
 * a blank one, an employee number and a last Y* field. */
static struct form_layout *small_layout(void)
{
    write_layout("small-2025.ini", "", 7,
                 "1 = =375 | H | =3 | digits | Y | 種類 | C\n"
                 "2 = employee.name | Z | 10 | text | Y | 氏名 | C\n"
                 "3 = employee.kana | H | 12 | kana | - | フリガナ | S\n"
                 "4 = pay.amount | H | 10 | digits | - | 支払金額 | C\n"
                 "5 = - | Z | 5 | text | blank | 提出者 | C\n"
                 "6 = employee.number | H | 13 | digits | C | 個人番号 | C\n"
                 "7 = pay.tokutei_deduction | H | 10 | digits | Y* | 最後 | C\n");
    struct form_layout *l;
    struct mnv_diag d;
    assert_int_equal(load_tmp("small-2025.ini", &l, &d), MNV_OK);
    return l;
}

static void test_form__record_set_get(void **state)
{
    (void)state;
    struct form_layout *l = small_layout();
    struct form_record *r;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    assert_string_equal(form_record_get(r, 1), "");
    assert_int_equal(form_record_set(r, 1, "山田　太郎", &d), MNV_OK);
    assert_string_equal(form_record_get(r, 1), "山田　太郎");
    assert_int_equal(form_record_set_item(r, "pay.amount", "5000000", &d), MNV_OK);
    assert_string_equal(form_record_get(r, 3), "5000000");
    assert_int_equal(form_record_set_item(r, "not.in.layout", "x", &d), MNV_OK);
    assert_int_equal(form_record_set(r, 7, "x", &d), MNV_ERR_RANGE);
    char big[400];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(form_record_set(r, 1, big, &d), MNV_ERR_FORM_FIELD_LONG);
    assert_string_equal(d.item, "氏名");
    assert_string_equal(form_record_get(r, 99), "");
    form_record_clear(r);
    assert_string_equal(form_record_get(r, 1), "");
    assert_string_equal(form_record_get(r, 3), "");
    form_record_free(r);
    form_record_free(NULL);
    form_layout_free(l);
}

static void fit_one(struct form_record *r, size_t i, const char *in, const char *want)
{
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(form_record_set(r, i, in, &d), MNV_OK);
    assert_int_equal(form_record_fit(r, &d), MNV_OK);
    assert_string_equal(form_record_get(r, i), want);
}

static void test_form__fit(void **state)
{
    (void)state;
    struct form_layout *l = small_layout();
    struct form_record *r;
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    /* 全角 field: half-width kana joined with their marks, ASCII, parenthesised ideographs */
    fit_one(r, 1, "ｻﾝﾌﾟﾙ ｶﾞｸ", "サンプル　ガク");
    fit_one(r, 1, "㈱ABC-1", "（株）ＡＢＣ－１");
    fit_one(r, 1, "ﾃﾞｰﾀ｢ｱ｣", "データ「ア」");
    fit_one(r, 1, "ｶ゛", "ガ");
    fit_one(r, 1, "山田 太郎", "山田　太郎");
    fit_one(r, 1, "髙橋", "髙橋"); /* not converted: refused by the check */
    /* half-width kana field */
    fit_one(r, 2, "ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ");
    fit_one(r, 2, "パブリック・ヴ", "ﾊﾟﾌﾞﾘｯｸ･ｳﾞ");
    fit_one(r, 2, "ｶﾞｯｺｳ", "ｶﾞｯｺｳ");
    /* half-width digits field: full-width ASCII folded */
    fit_one(r, 3, "１２３４５", "12345");
    form_record_free(r);
    form_layout_free(l);
}

/* Check r and return the first fault's error (MNV_OK when none). */
static enum mnv_err first_fault(const struct form_record *r, const struct form_copy *c,
                                struct form_fault *f)
{
    memset(f, 0, sizeof(*f));
    return form_record_check(r, c, f, 1) ? f->err : MNV_OK;
}

static void set_good(struct form_record *r)
{
    struct mnv_diag d;
    form_record_clear(r);
    r->line = 3;
    snprintf(r->code, sizeof(r->code), "E001");
    assert_int_equal(form_record_set(r, 0, "375", &d), MNV_OK);
    assert_int_equal(form_record_set(r, 1, "山田　太郎", &d), MNV_OK);
    assert_int_equal(form_record_set(r, 2, "ﾔﾏﾀﾞ ﾀﾛｳ", &d), MNV_OK);
    assert_int_equal(form_record_set(r, 3, "5000000", &d), MNV_OK);
}

static void test_form__check(void **state)
{
    (void)state;
    struct form_layout *l = small_layout();
    const struct form_copy *tax = form_layout_copy(l, "tax");
    const struct form_copy *emp = form_layout_copy(l, "employee");
    struct form_record *r;
    struct form_fault f;
    struct mnv_diag d;
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    set_good(r);
    assert_int_equal(first_fault(r, tax, &f), MNV_OK);
    assert_int_equal(form_record_check(r, tax, NULL, 0), 0);

    static const struct {
        const char *name;
        uint32_t cp;
    } refused[] = {{"髙橋", 0x9AD9}, {"山﨑", 0xFA11}, {"𠮷田", 0x20BB7},
                   {"①", 0x2460},    {"㈱", 0x3231},   {"髙\xe3\x80\x80", 0x9AD9}};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        set_good(r);
        assert_int_equal(form_record_set(r, 1, refused[i].name, &d), MNV_OK);
        assert_int_equal(first_fault(r, tax, &f), MNV_ERR_FORM_CHAR);
        assert_int_equal(f.cp, refused[i].cp);
        assert_int_equal(f.pos, 2);
        assert_string_equal(f.field, "氏名");
        assert_string_equal(f.code, "E001");
        assert_int_equal(f.line, 3);
    }
    set_good(r); /* ASCII left in a 全角 field (not fitted) */
    assert_int_equal(form_record_set(r, 1, "ABC", &d), MNV_OK);
    assert_int_equal(first_fault(r, tax, &f), MNV_ERR_FORM_FIELD_CHARS);
    set_good(r);
    assert_int_equal(form_record_set(r, 3, "12,000", &d), MNV_OK);
    assert_int_equal(first_fault(r, tax, &f), MNV_ERR_FORM_FIELD_CHARS);
    assert_int_equal(f.cp, ',');
    set_good(r);
    assert_int_equal(form_record_set(r, 1, "", &d), MNV_OK);
    assert_int_equal(first_fault(r, tax, &f), MNV_ERR_FORM_FIELD_REQUIRED);
    set_good(r);
    assert_int_equal(form_record_set(r, 0, "37", &d), MNV_OK);
    assert_int_equal(first_fault(r, tax, &f), MNV_ERR_FORM_FIELD_EXACT);
    set_good(r);
    assert_int_equal(form_record_set(r, 1, "一二三四五六七八九十一", &d), MNV_OK);
    assert_int_equal(first_fault(r, tax, &f), MNV_ERR_FORM_FIELD_LONG);
    set_good(r);
    assert_int_equal(form_record_set(r, 4, "あ", &d), MNV_OK);
    assert_int_equal(first_fault(r, tax, &f), MNV_ERR_FORM_FIELD_BLANK);
    set_good(r);
    assert_int_equal(form_record_set(r, 2, "ヤマダ", &d), MNV_OK); /* kana field, unfitted */
    assert_int_equal(first_fault(r, tax, &f), MNV_ERR_FORM_FIELD_CHARS);
    /* numbers: a valid one passes on the tax copy; a bad check digit fails; none at all on
     * the employee's copy, not even inside another field */
    set_good(r);
    assert_int_equal(form_record_set(r, 5, "123456789018", &d), MNV_OK);
    assert_int_equal(first_fault(r, tax, &f), MNV_OK);
    assert_int_equal(first_fault(r, emp, &f), MNV_ERR_FORM_NUMBER_COPY);
    assert_int_equal(form_record_set(r, 5, "123456789012", &d), MNV_OK);
    assert_int_equal(first_fault(r, tax, &f), MNV_ERR_FORM_FIELD_NUMBER);
    assert_int_equal(form_record_set(r, 5, "", &d), MNV_OK);
    assert_int_equal(form_record_set(r, 1, "１２３４５６７８９０１８", &d), MNV_OK);
    assert_int_equal(first_fault(r, emp, &f), MNV_ERR_FORM_NUMBER_COPY);
    assert_int_equal(first_fault(r, tax, &f), MNV_ERR_FORM_FIELD_LONG);
    /* several faults are all counted */
    set_good(r);
    assert_int_equal(form_record_set(r, 1, "", &d), MNV_OK);
    assert_int_equal(form_record_set(r, 3, "x", &d), MNV_OK);
    assert_int_equal(form_record_check(r, tax, &f, 1), 2);
    form_record_free(r);
    form_layout_free(l);
}

struct membuf {
    unsigned char data[8192];
    size_t len;
};

static enum mnv_err mem_write(void *ctx, const void *data, size_t len, struct mnv_diag *diag)
{
    (void)diag;
    struct membuf *m = ctx;
    if (m->len + len > sizeof(m->data))
        return MNV_ERR_IO;
    memcpy(m->data + m->len, data, len);
    m->len += len;
    return MNV_OK;
}

static void test_form__csv_sink(void **state)
{
    (void)state;
    struct form_layout *l = small_layout();
    struct form_record *r;
    struct membuf m = {.len = 0};
    struct form_output out = {mem_write, &m};
    struct form_sink sink;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    struct form_job job = {l, form_layout_copy(l, "tax"), "tax_withholding", "org", 1, NULL};
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    set_good(r);
    assert_int_equal(form_csv_sink_new(&sink, &out), MNV_OK);
    assert_int_equal(form_sink_begin(&sink, &job, &d), MNV_OK);
    assert_int_equal(form_sink_record(&sink, &job, r, &d), MNV_OK);
    assert_int_equal(form_sink_end(&sink, &job, &d), MNV_OK);
    form_sink_release(&sink);
    static const unsigned char want[] = "375,\x8e\x52\x93\x63\x81\x40\x91\xbe\x98\x59,"
                                        "\xd4\xcf\xc0\xde \xc0\xdb\xb3,5000000,,, \r\n";
    assert_int_equal(m.len, sizeof(want) - 1);
    assert_memory_equal(m.data, want, sizeof(want) - 1);

    /* a character outside JIS X 0208 is refused by the sink too, never replaced */
    m.len = 0;
    assert_int_equal(form_record_set(r, 1, "髙橋", &d), MNV_OK);
    assert_int_equal(form_csv_sink_new(&sink, &out), MNV_OK);
    assert_int_equal(form_sink_begin(&sink, &job, &d), MNV_OK);
    assert_int_equal(form_sink_record(&sink, &job, r, &d), MNV_ERR_FORM_CHAR);
    assert_string_equal(d.item, "氏名");
    assert_string_equal(d.detail, "U+9AD9");
    form_sink_release(&sink);
    form_record_free(r);
    form_layout_free(l);
}

static void test_form__memsink(void **state)
{
    (void)state;
    struct form_layout *l = small_layout();
    struct form_record *r;
    struct form_memsink mem;
    struct form_sink sink;
    struct mnv_diag d;
    struct form_job job = {l, form_layout_copy(l, "tax"), "tax_withholding", "org", 1, NULL};
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    set_good(r);
    assert_int_equal(form_record_set(r, 5, "123456789018", &d), MNV_OK);
    for (int keep = 0; keep <= 1; keep++) {
        assert_int_equal(form_memsink_new(&sink, &mem, keep), MNV_OK);
        assert_int_equal(form_sink_begin(&sink, &job, &d), MNV_OK);
        assert_int_equal(form_sink_record(&sink, &job, r, &d), MNV_OK);
        assert_int_equal(form_sink_end(&sink, &job, &d), MNV_OK);
        form_sink_release(&sink);
        assert_int_equal(mem.count, 8);
        assert_string_equal(mem.lines[0], "begin small 2025 tax purpose=tax_withholding");
        assert_string_equal(mem.lines[1], "record 3 E001");
        assert_string_equal(mem.lines[2], "  1 375");
        assert_string_equal(mem.lines[6], keep ? "  6 123456789018" : "  6 [number]");
        assert_string_equal(mem.lines[7], "end 1");
        form_memsink_release(&mem);
    }
    assert_int_equal(form_memsink_new(&sink, &mem, 0), MNV_OK);
    mem.fail_at = 1;
    assert_int_equal(form_sink_record(&sink, &job, r, &d), MNV_ERR_IO);
    form_sink_release(&sink);
    form_memsink_release(&mem);
    form_record_free(r);
    form_layout_free(l);
}

static void test_form__destinations(void **state)
{
    (void)state;
    for (int i = FORM_DEST_TAX_OFFICE; i <= FORM_DEST_CONTRACTOR; i++) {
        const char *n = form_destination_name((enum form_destination)i);
        assert_int_equal(form_destination_parse(n), i);
        assert_true(form_destination_label((enum form_destination)i)[0] != '\0');
    }
    assert_int_equal(form_destination_parse("mars"), 0);
    assert_string_equal(form_destination_name(0), "");
}
