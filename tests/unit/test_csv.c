/* Unit tests for csv.c: encodings (UTF-8, BOM, CP932), RFC 4180 quoting, line ends, and the
 * line numbers of errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/csv.h"
#include "mnvault/strbuf.h"
#include "mnvault/secmem.h"

static int group_setup(void **state)
{
    (void)state;
    return secmem_init() == MNV_OK ? 0 : -1;
}

/* Decode text and read every record into "f1|f2;f1|f2;" (or the error's name and line). */
static void read_all(const char *data, size_t len, char *out, size_t size)
{
    char *text;
    size_t tlen;
    enum csv_encoding enc;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = csv_decode((const unsigned char *)data, len, &text, &tlen, &enc, &d);
    if (err != MNV_OK) {
        snprintf(out, size, "%s@%ld", mnv_err_name(err), d.line);
        return;
    }
    struct csv_reader r;
    assert_int_equal(csv_reader_init(&r, text, tlen), MNV_OK);
    size_t o = 0;
    out[0] = '\0';
    while ((err = csv_next(&r, &d)) == MNV_OK) {
        o += (size_t)snprintf(out + o, size - o, "%ld:", r.record_line);
        for (size_t i = 0; i < r.nfields; i++)
            o += (size_t)snprintf(out + o, size - o, "%s%s", i ? "|" : "", r.fields[i]);
        o += (size_t)snprintf(out + o, size - o, ";");
    }
    if (err != MNV_ERR_NOT_FOUND)
        snprintf(out + o, size - o, "%s@%ld", mnv_err_name(err), d.line);
    csv_reader_release(&r);
    secmem_free(text);
}

#define CHECK(data, want)                                                                          \
    do {                                                                                           \
        char got_[2048];                                                                           \
        read_all(data, sizeof(data) - 1, got_, sizeof(got_));                                      \
        assert_string_equal(got_, want);                                                           \
    } while (0)

static void test_csv__plain(void **state)
{
    (void)state;
    CHECK("a,b,c\n1,2,3\n", "1:a|b|c;2:1|2|3;");
    CHECK("a,b\r\n1,2\r\n", "1:a|b;2:1|2;");
    CHECK("a,b\r1,2", "1:a|b;2:1|2;");
    CHECK("a,,c\n,,\n", "1:a||c;2:||;");
    CHECK("", "");
    CHECK("\n\n\nx\n\n", "4:x;");
}

static void test_csv__quotes(void **state)
{
    (void)state;
    CHECK("\"a,b\",\"say \"\"hi\"\"\"\n", "1:a,b|say \"hi\";");
    CHECK("\"two\nlines\",x\nnext\n", "1:two\nlines|x;3:next;");
    CHECK("\"crlf\r\ninside\",y\r\nz\r\n", "1:crlf\ninside|y;3:z;");
    CHECK("\"\",\"\"\n", "1:|;");
    CHECK("ab\"c,d\n", "1:ab\"c|d;"); /* a quote inside an unquoted field is literal */
    CHECK("x\n\"never closed,\n1,2\n", "1:x;CSV_QUOTE@2");
    CHECK("x\ny\n\"a\"b,c\n", "1:x;2:y;CSV_CHAR@3");
}

static void test_csv__encodings(void **state)
{
    (void)state;
    CHECK("\xEF\xBB\xBF社員番号,氏名\n", "1:社員番号|氏名;");
    /* CP932: 検本 = 8C 9F 96 7B; half-width katakana ｱ = B1. */
    CHECK("a,\x8c\x9f\x96\x7b\n\xb1,b\n", "1:a|検本;2:ｱ|b;");
    /* Neither UTF-8 nor CP932 (0x85 0x40 is unassigned in CP932), on line 3. */
    CHECK("a\nb\n\x85\x40\n", "CSV_ENCODING@3");
    /* A BOM promises UTF-8: a bad byte is an error with its line, not a guess. */
    CHECK("\xEF\xBB\xBFok\n\x8c\x9f\n", "CSV_ENCODING@2");
    CHECK("a\nb\0c\n", "CSV_CHAR@2");
    char *text;
    size_t len;
    enum csv_encoding enc;
    assert_int_equal(csv_decode((const unsigned char *)"\x8c\x9f", 2, &text, &len, &enc, NULL),
                     MNV_OK);
    assert_int_equal(enc, CSV_CP932);
    assert_string_equal(csv_encoding_name(enc), "Shift_JIS (CP932)");
    secmem_free(text);
}

static void test_csv__limits(void **state)
{
    (void)state;
    size_t n = CSV_FIELDS_MAX + 1;
    char *many = malloc(2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        many[2 * i] = 'x';
        many[2 * i + 1] = i + 1 < n ? ',' : '\n';
    }
    many[2 * n] = '\0';
    char got[64];
    read_all(many, 2 * n, got, sizeof(got));
    assert_string_equal(got, "TOO_LONG@1");
    free(many);
    size_t big = CSV_RECORD_MAX + CSV_FIELDS_MAX + 10;
    char *longf = malloc(big + 2);
    memset(longf, 'y', big);
    longf[big] = '\n';
    longf[big + 1] = '\0';
    read_all(longf, big + 1, got, sizeof(got));
    assert_string_equal(got, "TOO_LONG@1");
    free(longf);
}

static void test_csv__read_file(void **state)
{
    (void)state;
    char path[] = "/tmp/mnv-csv-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "a,b\n", 4), 4);
    close(fd);
    char *text;
    size_t len;
    enum csv_encoding enc;
    assert_int_equal(csv_read_file(path, &text, &len, &enc, NULL), MNV_OK);
    assert_string_equal(text, "a,b\n");
    secmem_free(text);
    unlink(path);
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(csv_read_file(path, &text, &len, &enc, &d), MNV_ERR_NOT_FOUND);
    assert_int_equal(csv_read_file("/tmp", &text, &len, &enc, &d), MNV_ERR_IO);
}

static void test_csv__field_and_header_key(void **state)
{
    (void)state;
    static const char text[] = "  Employee_Code , 社員番号 \n a ,\tb\t,,long value\n";
    struct csv_reader r;
    char out[8];
    assert_int_equal(csv_reader_init(&r, text, sizeof(text) - 1), MNV_OK);
    assert_int_equal(csv_next(&r, NULL), MNV_OK);
    assert_string_equal(csv_header_key(r.fields[0], out, sizeof(out)), "employe");
    char big[64];
    assert_string_equal(csv_header_key(r.fields[0], big, sizeof(big)), "employee_code");
    assert_string_equal(csv_header_key(r.fields[1], big, sizeof(big)), "社員番号");
    assert_int_equal(csv_next(&r, NULL), MNV_OK);
    assert_string_equal(csv_field(&r, 0, out, sizeof(out)), "a");
    assert_string_equal(csv_field(&r, 1, out, sizeof(out)), "b");
    assert_string_equal(csv_field(&r, 2, out, sizeof(out)), "");
    assert_string_equal(csv_field(&r, 3, out, sizeof(out)), "long va");
    assert_string_equal(csv_field(&r, 4, out, sizeof(out)), "");
    assert_string_equal(csv_field(&r, -1, out, sizeof(out)), "");
    csv_reader_release(&r);
}

static void test_csv__put_field_quotes_and_neutralises_formulas(void **state)
{
    (void)state;
    struct strbuf out = STRBUF_INIT;
    csv_put_field(&out, "a \"b\", c", 0);
    csv_put_field(&out, "=SUM(A1)", 0);
    csv_put_field(&out, "", 1);
    assert_int_equal(strbuf_error(&out), MNV_OK);
    assert_string_equal(strbuf_str(&out), "\"a \"\"b\"\", c\",\"'=SUM(A1)\",\"\"\r\n");
    strbuf_release(&out);
}
