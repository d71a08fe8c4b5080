/* Unit tests for reading where things go on a printed form (pdflayout.h); no cairo. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/form.h"
#include "mnvault/pdflayout.h"

static char dir[64];

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/mnv-pdflayout-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char head[] = "[form]\n"
                           "id = t\n"
                           "year = 2025\n"
                           "title_ja = テスト\n"
                           "title_en = Test\n"
                           "filing = gensen_375\n"
                           "output = pdf\n"
                           "unit = slip\n"
                           "header_row = no\n"
                           "fields = 4\n"
                           "source = unit test\n"
                           "[copy.tax]\n"
                           "title_ja = 税務署提出用\n"
                           "title_en = For the tax office\n"
                           "destination = tax_office\n"
                           "select = all\n"
                           "numbers = yes\n"
                           "[copy.employee]\n"
                           "title_ja = 受給者交付用\n"
                           "title_en = For the employee\n"
                           "destination = person\n"
                           "select = all\n"
                           "numbers = no\n"
                           "[fields]\n"
                           "1 = employee.name | Z | 30 | text | - | 氏名 | C\n"
                           "2 = employee.number | H | 13 | digits | C | 個人番号 | C\n"
                           "3 = pay.amount | H | 10 | digits | - | 支払金額 | C\n"
                           "4 = employee.birth_era | H | =1 | digits | - | 元号 | C\n";

static const char sheet[] = "[sheet]\n"
                            "paper = a4_landscape\n"
                            "slip = 148.5 105\n"
                            "slots = 0 0, 0 105\n"
                            "cut = yes\n";

/* Load a layout made of head, the sheet (or another) and the [draw] section given. */
static struct form_layout *load(const char *sheet_text, const char *draw)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/t-2025.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%s%s[draw]\n%s", head, sheet_text, draw);
    assert_int_equal(fclose(f), 0);
    struct form_layout *l = NULL;
    struct mnv_diag d = {0};
    assert_int_equal(form_layout_load_file(path, &l, &d), MNV_OK);
    return l;
}

/* Read draw and expect a refusal naming item (e.g. "[draw] 2"). */
static void refused(const char *sheet_text, const char *draw, const char *item)
{
    struct form_layout *l = load(sheet_text, draw);
    struct pdflayout *p = (struct pdflayout *)1;
    struct mnv_diag d = {0};
    assert_int_equal(pdflayout_read(l, &p, &d), MNV_ERR_LAYOUT_FILE);
    assert_null(p);
    assert_string_equal(d.item, item);
    assert_true(d.detail[0] != '\0');
    assert_non_null(strstr(d.where, "t-2025.ini"));
    form_layout_free(l);
}

static void test_pdflayout__reads_every_kind(void **state)
{
    (void)state;
    struct form_layout *l =
        load(sheet, "count = 9\n"
                    "1 = rect 0 0 140 95 pen=0.35\n"
                    "2 = at 10 20\n"
                    "3 = line 0 0 50 0 dash=dotted grey=0.5\n"
                    "4 = grid 0 1 cols=10,20 rows=3,3,3\n"
                    "5 = label 0 10 40 5 font=mincho size=9 min=5 align=center spread | 氏　名\n"
                    "6 = text 40 10 60 5 item=employee.name wrap valign=top pad=0.5\n"
                    "7 = cells 0 20 39 4 item=employee.number cells=13 rules=0.1 size=7\n"
                    "8 = mark 50 20 5 4 item=pay.amount when=1 copy=employee | ○\n"
                    "9 = fill 0 30 10 5 grey=0.9\n");
    struct pdflayout *p = NULL;
    struct mnv_diag d = {0};
    assert_int_equal(pdflayout_read(l, &p, &d), MNV_OK);
    assert_int_equal(p->paper, PDFDOC_A4_LANDSCAPE);
    assert_int_equal(p->nslots, 2);
    assert_true(p->slot_y[1] == 105 && p->slip_w == 148.5 && p->cut);
    assert_int_equal(p->count, 8); /* "at" is no element */
    const struct pdflayout_element *e = p->elements;
    assert_int_equal(e[0].kind, PDFLAYOUT_RECT);
    assert_true(e[0].pen.width == 0.35);
    /* after "at 10 20" coordinates are offset, both points of a line too */
    assert_int_equal(e[1].kind, PDFLAYOUT_LINE);
    assert_true(e[1].r.x == 10 && e[1].r.y == 20 && e[1].r.w == 60 && e[1].r.h == 20);
    assert_int_equal(e[1].pen.dash, PDFDOC_DOTTED);
    assert_int_equal(e[2].kind, PDFLAYOUT_GRID);
    assert_int_equal(e[2].ncols, 2);
    assert_int_equal(e[2].nrows, 3);
    assert_int_equal(e[3].kind, PDFLAYOUT_LABEL);
    assert_string_equal(e[3].text, "氏　名");
    assert_int_equal(e[3].st.font, PDFDOC_MINCHO);
    assert_true(e[3].st.flags & PDFDOC_SPREAD);
    assert_int_equal(e[3].line, 5);
    assert_int_equal(e[4].kind, PDFLAYOUT_TEXT);
    assert_int_equal(e[4].field, 0);
    assert_false(e[4].is_number);
    assert_int_equal(e[5].kind, PDFLAYOUT_CELLS);
    assert_int_equal(e[5].field, 1);
    assert_true(e[5].is_number); /* the number field is known as such */
    assert_int_equal(e[5].ncells, 13);
    assert_int_equal(e[6].kind, PDFLAYOUT_MARK);
    assert_string_equal(e[6].when, "1");
    assert_false(pdflayout_on_copy(&e[6], 0));
    assert_true(pdflayout_on_copy(&e[6], 1));
    assert_true(pdflayout_on_copy(&e[5], 0) && pdflayout_on_copy(&e[5], 1));
    pdflayout_free(p);
    form_layout_free(l);
}

static void test_pdflayout__refuses_bad_elements(void **state)
{
    (void)state;
    refused(sheet, "count = 1\n1 = circle 0 0 1 1\n", "[draw] 1");
    refused(sheet, "count = 2\n1 = rect 0 0 1 1\n", "[draw] 2"); /* 2 is missing */
    refused(sheet, "count = 1\n1 = rect 0 0 1\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = rect 0 0 1 1,5\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = rect 0 0 150 10\n", "[draw] 1"); /* off the slip */
    refused(sheet, "count = 2\n1 = at 140 0\n2 = rect 0 0 10 10\n", "[draw] 2");
    refused(sheet, "count = 1\n1 = rect 0 0 -1 10\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = label 0 0 10 10\n", "[draw] 1"); /* no text */
    refused(sheet, "count = 1\n1 = text 0 0 10 10 | x\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = text 0 0 10 10 item=spouse.name\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = text 0 0 10 10 item=no.such\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = cells 0 0 10 10 item=employee.number\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = cells 0 0 10 10 item=pay.amount cells=65\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = mark 0 0 10 10 item=pay.amount\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = label 0 0 10 10 copy=municipal | x\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = label 0 0 10 10 size=5 min=6 | x\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = label 0 0 10 10 size=100 | x\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = label 0 0 10 10 bold | x\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = text 0 0 10 10 item=pay.amount map=1\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = grid 0 0 cols=10,x rows=5\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = grid 0 0 cols=10\n", "[draw] 1");
    refused(sheet, "count = 1\n1 = cells 0 0 10 10 item=$copy cells=3\n", "[draw] 1");
    refused(sheet, "count = 0\n", "[draw] count");
    refused(sheet, "count = 1001\n", "[draw] count");
    refused(sheet, "count = 1\n1 = at 10 20\n", "[draw] count"); /* draws nothing (fuzz) */
    refused(sheet, "count = 1\n1 = at 10 20\n", "[draw] count"); /* draws nothing (fuzz) */
}

static void test_pdflayout__refuses_bad_sheets(void **state)
{
    (void)state;
    const char *draw = "count = 1\n1 = rect 0 0 10 10\n";
    refused("[sheet]\npaper = letter\nslip = 100 100\nslots = 0 0\n", draw, "[sheet] paper");
    refused("[sheet]\npaper = a4_portrait\nslip = 300 100\nslots = 0 0\n", draw, "[sheet] slip");
    refused("[sheet]\npaper = a4_portrait\nslip = 100 100\nslots = 150 0\n", draw, "[sheet] slots");
    refused("[sheet]\npaper = a4_portrait\nslip = 100 100\nslots = 0\n", draw, "[sheet] slots");
    refused("[sheet]\npaper = a4_portrait\nslip = 10 10\n"
            "slots = 0 0, 10 0, 20 0, 30 0, 40 0, 50 0, 60 0, 70 0, 80 0\n",
            draw, "[sheet] slots");
    refused("[sheet]\npaper = a4_portrait\nslip = 100 100\nslots = 0 0\ncut = maybe\n", draw,
            "[sheet] cut");
}

static void test_pdflayout__not_a_printed_form(void **state)
{
    (void)state;
    struct form_layout *l = NULL;
    struct mnv_diag d = {0};
    assert_int_equal(form_layout_load("nta375", 2025, &l, &d), MNV_OK);
    struct pdflayout *p = NULL;
    assert_int_equal(pdflayout_read(l, &p, &d), MNV_ERR_LAYOUT_FILE);
    assert_string_equal(d.item, "[form] output");
    form_layout_free(l);
}

static void test_pdflayout__values(void **state)
{
    (void)state;
    struct form_layout *l =
        load(sheet, "count = 5\n"
                    "1 = text 0 0 10 5 item=employee.birth_era map=1:昭和,4:平成,5:令和\n"
                    "2 = text 0 0 10 5 item=pay.amount trim0\n"
                    "3 = text 0 0 10 5 item=pay.amount comma\n"
                    "4 = text 0 0 10 5 item=employee.name wareki\n"
                    "5 = mark 0 0 10 5 item=pay.amount | ○\n");
    struct pdflayout *p = NULL;
    assert_int_equal(pdflayout_read(l, &p, NULL), MNV_OK);
    char b[64];
    const struct pdflayout_element *e = p->elements;
    assert_string_equal(pdflayout_value(&e[0], "5", b, sizeof(b)), "令和");
    assert_string_equal(pdflayout_value(&e[0], "", b, sizeof(b)), "");
    assert_null(pdflayout_value(&e[0], "9", b, sizeof(b))); /* a code the form cannot print */
    assert_string_equal(pdflayout_value(&e[1], "07", b, sizeof(b)), "7");
    assert_string_equal(pdflayout_value(&e[1], "0", b, sizeof(b)), "0");
    assert_string_equal(pdflayout_value(&e[2], "4569846", b, sizeof(b)), "4,569,846");
    assert_string_equal(pdflayout_value(&e[2], "180000", b, sizeof(b)), "180,000");
    assert_string_equal(pdflayout_value(&e[2], "999", b, sizeof(b)), "999");
    assert_string_equal(pdflayout_value(&e[2], "0012", b, sizeof(b)), "12");
    assert_string_equal(pdflayout_value(&e[2], "12a", b, sizeof(b)), "12a");
    assert_string_equal(pdflayout_value(&e[3], "2025-12-01", b, sizeof(b)), "令和7年12月1日");
    assert_null(pdflayout_value(&e[3], "2025-13-01", b, sizeof(b)));
    assert_string_equal(pdflayout_value(&e[3], "", b, sizeof(b)), "");
    assert_true(pdflayout_mark_on(&e[4], "1"));
    assert_true(pdflayout_mark_on(&e[4], "2"));
    assert_false(pdflayout_mark_on(&e[4], "0"));
    assert_false(pdflayout_mark_on(&e[4], ""));
    pdflayout_free(p);
    form_layout_free(l);
}

/* Every printed form shipped in data/forms reads without a fault. */
static void test_pdflayout__shipped_layouts(void **state)
{
    (void)state;
    struct form_available *forms = NULL;
    size_t n = 0, printed = 0;
    assert_int_equal(form_list(&forms, &n, NULL), MNV_OK);
    for (size_t i = 0; i < n; i++) {
        struct form_layout *l = NULL;
        struct mnv_diag d = {0};
        assert_int_equal(form_layout_load(forms[i].id, forms[i].year, &l, &d), MNV_OK);
        if (l->output == FORM_OUTPUT_PDF) {
            struct pdflayout *p = NULL;
            enum mnv_err err = pdflayout_read(l, &p, &d);
            if (err != MNV_OK)
                fail_msg("%s: %s: %s", d.where, d.item, d.detail);
            assert_true(p->count > 10);
            pdflayout_free(p);
            printed++;
        }
        form_layout_free(l);
    }
    free(forms);
    assert_true(printed >= 2); /* the 源泉徴収票 and the 総括表 */
}

/* A section whose name ends in a colon (found by fuzz_pdflayout: the loader copied a value
 * that iniparser does not have). */
static void test_pdflayout__odd_section_name(void **state)
{
    (void)state;
    struct form_layout *l = load("[draw:]\npaper = a4_landscape\n[sheet]\npaper = a4_landscape\n"
                                 "slip = 148.5 105\nslots = 0 0\n",
                                 "count = 1\n1 = rect 0 0 1 1\n");
    struct pdflayout *p = NULL;
    assert_int_equal(pdflayout_read(l, &p, NULL), MNV_OK);
    assert_int_equal(p->count, 1);
    pdflayout_free(p);
    form_layout_free(l);
}
