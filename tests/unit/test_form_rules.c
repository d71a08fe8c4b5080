/* Unit tests for form_rules.c, form_head.c and form_codes.c: each kind of rule holds or
 * gives a fault naming the rule and the field; a broken rule or head is refused when the
 * layout is read; the CSV sink writes the head first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mnvault/caldate.h"
#include "mnvault/form.h"
#include "mnvault/secmem.h"
#include "mnvault/sjis.h"

static char dir[256];

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/mnv-formrules-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    setenv("MNVAULT_TEST_NOW", "2026-11-27T01:42:00", 1);
    if (!getenv("MNVAULT_SHAREDIR") && access("data/forms", R_OK) == 0)
        setenv("MNVAULT_SHAREDIR", "data", 1);
    return secmem_init() == MNV_OK && sjis_init() == MNV_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A layout file in the temporary folder with these rules, head and fields. */
static enum mnv_err load(const char *name, const char *extra, const char *fields, int n,
                         struct form_layout **l, struct mnv_diag *d)
{
    char path[400];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    char id[64];
    snprintf(id, sizeof(id), "%.*s", (int)(strchr(name, '-') - name), name);
    fprintf(f,
            "[form]\nid = %s\nyear = 2026\ntitle_ja = t\ntitle_en = t\nfiling = x\n"
            "output = csv\nunit = slip\nheader_row = no\nfields = %d\nsource = s\n"
            "[copy.a]\ntitle_ja = a\ntitle_en = a\ndestination = pension_office\n"
            "select = all\nnumbers = yes\n%s\n[fields]\n%s",
            id, n, extra, fields);
    fclose(f);
    mnv_diag_clear(d);
    return form_layout_load_file(path, l, d);
}

static const char five[] = "1 = - | H | =1 | digits | - | a | S\n"
                           "2 = - | H | =1 | digits | - | b | S\n"
                           "3 = - | H | 7 | digits | - | c | S\n"
                           "4 = - | H | 7 | digits | - | d | S\n"
                           "5 = - | H | 7 | digits | - | e | S\n"
                           "6 = - | H | =1 | digits | - | f | S\n"
                           "7 = - | H | =6 | digits | - | g | S\n";

static void set(struct form_record *r, int pos, const char *v)
{
    assert_int_equal(form_record_set(r, (size_t)pos - 1, v, NULL), MNV_OK);
}

static size_t faults(const struct form_record *r, struct form_fault *f)
{
    return form_record_check(r, &r->layout->copies[0], f, 4);
}

static void test_form_rules__each_kind(void **state)
{
    (void)state;
    struct form_layout *l;
    struct mnv_diag d;
    assert_int_equal(load("r1-2026.ini",
                          "[codes.era]\nh = 7\nr = 9\n[rules]\n"
                          "a = 1 filled => 2 empty | 1があれば2は空\n"
                          "b = 1 empty and 2 in 3 4 => 3 filled\n"
                          "c = always => 5 sum 3 4\n"
                          "d = 2 filled and 2 not 5 => 2 in 1 2 3 4\n"
                          "e = 6 filled => 6,7 not_future\n",
                          five, 7, &l, &d),
                     MNV_OK);
    struct form_record *r;
    struct form_fault f[4];
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    set(r, 3, "9000000");
    set(r, 4, "2000000");
    set(r, 5, "9999999"); /* the sum, at most the field's largest number */
    assert_int_equal(faults(r, f), 0);
    set(r, 1, "1");
    set(r, 2, "3");
    assert_int_equal(faults(r, f), 1);
    assert_int_equal(f[0].err, MNV_ERR_FORM_RULE);
    assert_int_equal(f[0].pos, 2);
    assert_string_equal(f[0].rule, "a");
    char why[100];
    assert_string_equal(form_rule_why(l, "a", why, sizeof(why)), "1があれば2は空");
    assert_string_equal(form_rule_why(l, "b", why, sizeof(why)), "");
    set(r, 1, "");
    set(r, 3, ""); /* b: 3 must be filled when 1 is empty and 2 in 3 4; c: 5 = 0 + 2000000 */
    assert_int_equal(faults(r, f), 2);
    assert_string_equal(f[0].rule, "b");
    assert_string_equal(f[1].rule, "c");
    set(r, 3, "1");
    set(r, 5, "2000001");
    set(r, 2, "7"); /* d: 2 not 5 => 2 in 1-4 */
    assert_int_equal(faults(r, f), 1);
    assert_string_equal(f[0].rule, "d");
    set(r, 2, "5"); /* the condition no longer holds */
    assert_int_equal(faults(r, f), 0);
    set(r, 6, "9");
    set(r, 7, "081128"); /* 令和8年11月28日: the day after today */
    assert_int_equal(faults(r, f), 1);
    assert_string_equal(f[0].rule, "e");
    set(r, 7, "081127");
    assert_int_equal(faults(r, f), 0);
    form_record_free(r);
    form_layout_free(l);
}

static void test_form_rules__dates(void **state)
{
    (void)state;
    struct form_layout *l;
    struct mnv_diag d;
    static const char dates[] = "1 = - | H | =1 | digits | - | a | S\n"
                                "2 = - | H | =6 | digits | - | b | S\n"
                                "3 = - | H | =1 | digits | - | c | S\n"
                                "4 = - | H | =6 | digits | - | d | S\n";
    assert_int_equal(load("r2-2026.ini",
                          "[codes.era]\nh = 7\nr = 9\n[rules]\n"
                          "next = always => 1,2 day_after 3,4\n",
                          dates, 4, &l, &d),
                     MNV_OK);
    struct form_record *r;
    struct form_fault f[4];
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    set(r, 1, "9");
    set(r, 2, "010501"); /* 令和元年5月1日 is the day after 平成31年4月30日 */
    set(r, 3, "7");
    set(r, 4, "310430");
    assert_int_equal(faults(r, f), 0);
    set(r, 4, "310429");
    assert_int_equal(faults(r, f), 1);
    assert_int_equal(f[0].pos, 2);
    form_record_free(r);
    form_layout_free(l);
    assert_int_equal(load("r3-2026.ini",
                          "[codes.era]\nr = 9\n[rules]\nsame = always => 1,2 same_day 3,4\n", dates,
                          4, &l, &d),
                     MNV_OK);
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    set(r, 1, "9");
    set(r, 2, "080331");
    set(r, 3, "9");
    set(r, 4, "080331");
    assert_int_equal(faults(r, f), 0);
    set(r, 4, "080330");
    assert_int_equal(faults(r, f), 1);
    form_record_free(r);
    form_layout_free(l);
}

/* form_rules_clear empties what a rule requires empty while its condition holds (the
 * address beside a number, as the fill of an SHFD0006.CSV needs), and nothing else. */
static void test_form_rules__clear(void **state)
{
    (void)state;
    struct form_layout *l;
    struct mnv_diag d;
    assert_int_equal(load("r4-2026.ini",
                          "[rules]\naddr = 3 filled => 4 5 empty\nkeep = 1 filled => 2 empty\n",
                          five, 7, &l, &d),
                     MNV_OK);
    struct form_record *r;
    int cleared[4];
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    set(r, 2, "1");
    set(r, 4, "220");
    set(r, 5, "12");
    assert_int_equal(form_rules_clear(r, cleared, 4), 0); /* 3 and 1 empty: nothing to clear */
    assert_string_equal(form_record_get(r, 3), "220");
    set(r, 3, "1234");
    assert_int_equal(form_rules_clear(r, cleared, 4), 2);
    assert_int_equal(cleared[0], 4);
    assert_int_equal(cleared[1], 5);
    assert_string_equal(form_record_get(r, 3), "");
    assert_string_equal(form_record_get(r, 4), "");
    assert_string_equal(form_record_get(r, 1), "1");      /* rule keep's condition does not hold */
    assert_int_equal(form_rules_clear(r, cleared, 4), 0); /* already empty: not counted */
    form_record_free(r);
    form_layout_free(l);
}

/* form_era_day reads the layout's own era codes (the pension office's 5/7/9). */
static void test_form_rules__era_day(void **state)
{
    (void)state;
    struct form_layout *l;
    struct mnv_diag d;
    assert_int_equal(load("r5-2026.ini", "[codes.era]\ns = 5\nh = 7\nr = 9\n", five, 7, &l, &d),
                     MNV_OK);
    char iso[CALDATE_ISO_SIZE];
    assert_string_equal(caldate_format(form_era_day(l, "9", "070604"), iso), "2025-06-04");
    assert_string_equal(caldate_format(form_era_day(l, "5", "500302"), iso), "1975-03-02");
    assert_string_equal(caldate_format(form_era_day(l, "7", "310430"), iso), "2019-04-30");
    assert_int_equal(form_era_day(l, "1", "070604"), CALDATE_NONE); /* 明治: no code here */
    assert_int_equal(form_era_day(l, "9", "070231"), CALDATE_NONE); /* no such day */
    assert_int_equal(form_era_day(l, "9", "0706"), CALDATE_NONE);
    assert_int_equal(form_era_day(l, "", "070604"), CALDATE_NONE);
    form_layout_free(l);
}

static void test_form_rules__refused_when_read(void **state)
{
    (void)state;
    struct form_layout *l;
    struct mnv_diag d;
    static const char *const bad_rules[] = {
        "[rules]\nx = 1 filled 2 empty\n",       /* no => */
        "[rules]\nx = 9 filled => 2 empty\n",    /* no field 9 */
        "[rules]\nx = 1 maybe => 2 empty\n",     /* unknown condition */
        "[rules]\nx = 1 filled => 2 wobbly\n",   /* unknown requirement */
        "[rules]\nx = 1 in => 2 empty\n",        /* in without values */
        "[rules]\nx = always => 5 sum\n",        /* sum of nothing */
        "[rules]\nx = always => 1 day_after 3\n" /* not era,ymd */
    };
    for (size_t i = 0; i < sizeof(bad_rules) / sizeof(bad_rules[0]); i++) {
        assert_int_equal(load("bad-2026.ini", bad_rules[i], five, 7, &l, &d), MNV_ERR_FORM_FILE);
        assert_non_null(strstr(d.item, "[rules] x"));
        assert_null(l);
    }
    /* a head with a gap, a head field carrying a number */
    assert_int_equal(load("bad-2026.ini",
                          "[head]\n1.1 = =A | H | 1 | text | Y | a | S\n"
                          "1.3 = =B | H | 1 | text | Y | b | S\n",
                          five, 7, &l, &d),
                     MNV_ERR_FORM_FILE);
    assert_int_equal(load("bad-2026.ini",
                          "[head]\n1.1 = employee.number | H | =12 | digits | - | n | S\n", five, 7,
                          &l, &d),
                     MNV_ERR_FORM_FILE);
    assert_int_equal(load("bad-2026.ini", "[limits]\nmax_bytes = lots\n", five, 7, &l, &d),
                     MNV_ERR_FORM_FILE);
}

static enum mnv_err to_buf(void *ctx, const void *data, size_t len, struct mnv_diag *diag)
{
    (void)diag;
    char *b = ctx;
    size_t n = strlen(b);
    memcpy(b + n, data, len);
    b[n + len] = '\0';
    return MNV_OK;
}

static void test_form_rules__head_written_first(void **state)
{
    (void)state;
    struct form_layout *l;
    struct mnv_diag d;
    assert_int_equal(load("h-2026.ini",
                          "[head]\n1.1 = =21 | H | =2 | digits | Y | p | S\n"
                          "1.2 = office.symbol | H | 4 | kanatext | Y | s | S\n"
                          "2.1 = =[kanri] | H | 7 | text | Y | k | S\n"
                          "3.1 = - | H | 1 | text | blank | r | S\n"
                          "3.2 = =001 | H | =3 | digits | Y | n | S\n",
                          "1 = =1 | H | =1 | digits | Y | a | S\n", 1, &l, &d),
                     MNV_OK);
    struct form_record *h, *r;
    assert_int_equal(form_record_new(l->head, &h), MNV_OK);
    assert_int_equal(form_record_new(l, &r), MNV_OK);
    for (size_t i = 0; i < l->head->nfields; i++)
        assert_int_equal(form_record_set(h, i, l->head->fields[i].fixed, NULL), MNV_OK);
    assert_int_equal(form_record_set_item(h, "office.symbol", "ケイト", NULL), MNV_OK);
    assert_int_equal(form_record_fit(h, NULL), MNV_OK); /* katakana to half width */
    assert_int_equal(form_record_check(h, &l->copies[0], NULL, 0), 0);
    assert_int_equal(form_record_set(r, 0, "1", NULL), MNV_OK);
    char out[256] = "";
    struct form_output o = {to_buf, out};
    struct form_sink sink;
    struct form_job job = {l, &l->copies[0], "p", "org", 1, h};
    assert_int_equal(form_csv_sink_new(&sink, &o), MNV_OK);
    assert_int_equal(form_sink_begin(&sink, &job, NULL), MNV_OK);
    assert_int_equal(form_sink_record(&sink, &job, r, NULL), MNV_OK);
    assert_int_equal(form_sink_end(&sink, &job, NULL), MNV_OK);
    form_sink_release(&sink);
    /* ｹｲﾄ in Shift_JIS: B9 B2 C4 */
    assert_string_equal(out, "21,\xB9\xB2\xC4\r\n[kanri]\r\n,001\r\n1\r\n");
    form_record_free(h);
    form_record_free(r);
    form_layout_free(l);
}
