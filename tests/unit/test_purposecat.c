/* Unit tests for purposecat.c: the catalogue of purposes of use read from purposes.ini. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/purposecat.h"

static char dir[64];

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/mnv-purposecat-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Write text as dir/name and return its path (static buffer). */
static const char *file_with(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void test_purposecat__empty_and_missing(void **state)
{
    (void)state;
    struct purpose_catalog c = {0};
    purpose_catalog_free(&c);
    purpose_catalog_free(NULL);
    assert_null(purpose_find(&c, "tax_withholding"));
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(purpose_catalog_load("/nonexistent/purposes.ini", &c, &d), MNV_ERR_NOT_FOUND);
    assert_string_equal(d.where, "/nonexistent/purposes.ini");
    assert_null(c.items);
    assert_int_equal(c.count, 0);
    const char *p = file_with("empty.ini", "; nothing\n");
    assert_int_equal(purpose_catalog_load(p, &c, &d), MNV_ERR_PURPOSES_FILE);
}

static void test_purposecat__shipped_file(void **state)
{
    (void)state;
    struct purpose_catalog c;
    assert_int_equal(purpose_catalog_load("data/purposes.ini", &c, NULL), MNV_OK);
    assert_true(c.count >= 3);
    const struct purpose_def *p = purpose_find(&c, "tax_withholding");
    assert_non_null(p);
    assert_string_equal(p->short_ja, "源泉徴収票");
    assert_true(purpose_covers(p, "gensen_375"));
    assert_false(purpose_covers(p, "gensen")); /* a prefix is not the code */
    assert_false(purpose_covers(p, ""));
    assert_null(purpose_find(&c, "Tax_Withholding"));
    purpose_catalog_free(&c);
    assert_null(c.items);
}

static void test_purposecat__bad_entries_are_named(void **state)
{
    (void)state;
    struct purpose_catalog c;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    const char *p = file_with("no-en.ini", "[a_code]\nja = 目的\nshort_ja = 目\nshort_en = P\n"
                                           "filings = x\n");
    assert_int_equal(purpose_catalog_load(p, &c, &d), MNV_ERR_PURPOSES_FILE);
    assert_string_equal(d.item, "a_code.en");
    assert_null(c.items);
    mnv_diag_clear(&d);
    p = file_with("bad-code.ini", "[Bad-Code]\nja = a\nen = a\nshort_ja = a\nshort_en = a\n"
                                  "filings = x\n");
    assert_int_equal(purpose_catalog_load(p, &c, &d), MNV_ERR_PURPOSES_FILE);
    assert_string_equal(d.item, "bad-code"); /* iniparser folds section names */
    p = file_with("ok.ini", "[one]\nja = 一\nen = one\nshort_ja = 一\nshort_en = 1\n"
                            "filings = a, b ,c\n");
    assert_int_equal(purpose_catalog_load(p, &c, NULL), MNV_OK);
    assert_int_equal(c.count, 1);
    assert_true(purpose_covers(&c.items[0], "b"));
    assert_true(purpose_covers(&c.items[0], "c"));
    purpose_catalog_free(&c);
}
