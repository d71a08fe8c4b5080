/*
 * The canonical JSON of certificates: members sorted, compact, UTF-8 with only the needed
 * escapes — byte for byte what Python's json.dumps(sort_keys=True, separators=(",", ":"),
 * ensure_ascii=False) writes (the CLI test checks that with Python itself); the parser's
 * subset and its refusals.
 */
#include <stdlib.h>
#include <string.h>

#include "mnvault/cjson.h"

static char *canon(const struct cjson *v)
{
    char *out;
    size_t n;
    assert_int_equal(cjson_write(v, &out, &n), MNV_OK);
    assert_int_equal(strlen(out), n);
    return out;
}

static void test_cjson__canonical_form(void **state)
{
    (void)state;
    struct cjson *o = cjson_object(), *a = cjson_array();
    assert_int_equal(cjson_set_str(o, "z", "見本\t\"引用\"\\\x01"), 0);
    assert_int_equal(cjson_set_int(o, "a", -42), 0);
    assert_int_equal(cjson_add(a, cjson_int(1)), 0);
    assert_int_equal(cjson_add(a, cjson_bool(0)), 0);
    assert_int_equal(cjson_add(a, cjson_null()), 0);
    assert_int_equal(cjson_set(o, "m", a), 0);
    assert_int_equal(cjson_set(o, "B", cjson_object()), 0);
    assert_int_equal(cjson_set_int(o, "a", 7), 0); /* replaces */
    char *s = canon(o);
    assert_string_equal(s, "{\"B\":{},\"a\":7,\"m\":[1,false,null],"
                           "\"z\":\"見本\\t\\\"引用\\\"\\\\\\u0001\"}");
    struct cjson *back;
    assert_int_equal(cjson_parse(s, strlen(s), &back, NULL), MNV_OK);
    char *again = canon(back);
    assert_string_equal(again, s);
    assert_string_equal(cjson_str(cjson_get(back, "z")), "見本\t\"引用\"\\\x01");
    assert_int_equal(cjson_intval(cjson_get(back, "a")), 7);
    assert_int_equal(cjson_count(cjson_get(back, "m")), 3);
    assert_int_equal(cjson_type(cjson_at(cjson_get(back, "m"), 2)), CJSON_NULL);
    free(s);
    free(again);
    cjson_free(back);
    cjson_free(o);
    /* A failed constructor carries through; invalid UTF-8 is refused. */
    assert_null(cjson_string("\xff"));
    struct cjson *x = cjson_object();
    assert_int_equal(cjson_set(x, "k", NULL), -1);
    assert_int_equal(cjson_add(x, cjson_int(1)), -1); /* not an array */
    cjson_free(x);
}

static void test_cjson__write_to_appends(void **state)
{
    (void)state;
    struct cjson *o = cjson_object(), *a = cjson_array();
    for (int i = 0; i < 300; i++) /* past the first blocks of the array and the text */
        assert_int_equal(cjson_add(a, cjson_string("見本")), 0);
    assert_int_equal(cjson_set(o, "list", a), 0);
    assert_int_equal(cjson_set_str(o, "empty", ""), 0);
    char *whole = canon(o);
    struct strbuf sb = STRBUF_INIT;
    assert_int_equal(strbuf_adds(&sb, "head:"), MNV_OK);
    assert_int_equal(cjson_write_to(o, &sb), MNV_OK);
    assert_int_equal(strbuf_addc(&sb, '\n'), MNV_OK);
    assert_int_equal(sb.len, 5 + strlen(whole) + 1);
    assert_memory_equal(strbuf_str(&sb) + 5, whole, strlen(whole));
    assert_int_equal(strbuf_str(&sb)[sb.len - 1], '\n');
    /* The empty string reads back as "", not NULL. */
    struct cjson *back;
    assert_int_equal(cjson_parse(whole, strlen(whole), &back, NULL), MNV_OK);
    assert_string_equal(cjson_str(cjson_get(back, "empty")), "");
    assert_int_equal(cjson_count(cjson_get(back, "list")), 300);
    cjson_free(back);
    strbuf_release(&sb);
    free(whole);
    cjson_free(o);
}

static void test_cjson__parser_subset(void **state)
{
    (void)state;
    static const char *const good[] = {
        " { \"a\" : [ 1 , -2 , 0 ] , \"b\" : \"\\u3042\\ud83d\\ude00\\/\" } ",
        "[]",
        "\"x\"",
        "-0",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct cjson *v;
        if (cjson_parse(good[i], strlen(good[i]), &v, NULL) != MNV_OK)
            fail_msg("refused: %s", good[i]);
        cjson_free(v);
    }
    struct cjson *v;
    assert_int_equal(cjson_parse(good[0], strlen(good[0]), &v, NULL), MNV_OK);
    assert_string_equal(cjson_str(cjson_get(v, "b")), "あ😀/");
    cjson_free(v);
    static const char *const bad[] = {
        "{\"a\":1,\"a\":2}",
        "1.5",
        "1e3",
        "01",
        "[1,]",
        "{\"a\"}",
        "\"\x01\"",
        "\"\\x\"",
        "\"\\ud800\"",
        "\"\\u0000\"",
        "\"\xc3\"",
        "[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]",
        "nul",
        "{} x",
        "",
        "\"open",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct mnv_diag d;
        mnv_diag_clear(&d);
        if (cjson_parse(bad[i], strlen(bad[i]), &v, &d) != MNV_ERR_INVALID)
            fail_msg("accepted: %s", bad[i]);
        assert_null(v);
        assert_true(d.column >= 1);
    }
}
