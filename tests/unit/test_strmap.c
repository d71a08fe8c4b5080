/* Unit tests for strmap.c and synonyms.c: strings to numbers, and words to codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/strmap.h"
#include "mnvault/synonyms.h"

static void test_strmap__empty(void **state)
{
    (void)state;
    struct strmap m = STRMAP_INIT;
    assert_int_equal(strmap_get(&m, ""), -1);
    assert_int_equal(strmap_get(&m, "x"), -1);
    strmap_free(&m);
    strmap_free(&m);
    assert_int_equal(strmap_put(&m, "", 7), MNV_OK); /* the empty key is a key */
    assert_int_equal(strmap_get(&m, ""), 7);
    strmap_free(&m);
    assert_int_equal(m.count, 0);
}

static void test_strmap__many_and_replace(void **state)
{
    (void)state;
    struct strmap m = STRMAP_INIT;
    char key[32];
    for (long i = 0; i < 20000; i++) {
        snprintf(key, sizeof(key), "E\x1f%ld", i);
        assert_int_equal(strmap_put(&m, key, i), MNV_OK);
    }
    assert_int_equal(m.count, 20000);
    for (long i = 0; i < 20000; i += 7) {
        snprintf(key, sizeof(key), "E\x1f%ld", i);
        assert_int_equal(strmap_get(&m, key), i);
    }
    assert_int_equal(strmap_get(&m, "E\x1f"
                                    "20000"),
                     -1);
    assert_int_equal(strmap_put(&m,
                                "E\x1f"
                                "5",
                                99),
                     MNV_OK);
    assert_int_equal(strmap_get(&m, "E\x1f"
                                    "5"),
                     99);
    assert_int_equal(m.count, 20000);
    assert_int_equal(strmap_get(&m, "e\x1f"
                                    "5"),
                     -1); /* case counts */
    strmap_free(&m);
}

static const char *write_file(const char *text)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/mnv-synonyms-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void test_strmap__synonyms_shipped(void **state)
{
    (void)state;
    struct synonyms s;
    assert_int_equal(synonyms_load("data/import-words.ini", "import-words.ini", &s, NULL), MNV_OK);
    assert_string_equal(synonyms_code(&s, "sex", "男性"), "m");
    assert_string_equal(synonyms_code(&s, "sex", "M"), "m");
    assert_string_equal(synonyms_code(&s, "sex", "m"), "m"); /* a code means itself */
    assert_string_equal(synonyms_code(&s, "relation", "長女"), "child");
    assert_string_equal(synonyms_code(&s, "relation", "spouse"), "spouse");
    assert_string_equal(synonyms_code(&s, "known_in_person", "○"), "yes");
    assert_string_equal(synonyms_code(&s, "route", "代理人"), "agent");
    assert_null(synonyms_code(&s, "sex", "男 "));
    assert_null(synonyms_code(&s, "sex", ""));
    assert_null(synonyms_code(&s, "relation", "男")); /* another column's word */
    assert_null(synonyms_code(&s, "nothing", "男"));
    synonyms_free(&s);
    synonyms_free(&s);
}

static void test_strmap__synonyms_bad_files(void **state)
{
    (void)state;
    struct synonyms s;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(synonyms_load("/nonexistent/words.ini", "x", &s, &d), MNV_ERR_NOT_FOUND);
    const char *p = write_file("[sex]\nm = 男, 男\n");
    mnv_diag_clear(&d);
    assert_int_equal(synonyms_load(p, "x", &s, &d), MNV_ERR_INVALID);
    assert_string_equal(d.item, "sex.m");
    assert_null(s.codes);
    unlink(p);
    p = write_file("[a]\nx = one , two,,three\n[b]\nx = one\n");
    assert_int_equal(synonyms_load(p, "x", &s, NULL), MNV_OK);
    assert_string_equal(synonyms_code(&s, "a", "two"), "x");
    assert_string_equal(synonyms_code(&s, "a", "three"), "x");
    assert_string_equal(synonyms_code(&s, "b", "one"), "x");
    assert_null(synonyms_code(&s, "a", ""));
    synonyms_free(&s);
    unlink(p);
}
