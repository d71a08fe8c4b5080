/* Unit tests for the number core: check digits, parsing, masking. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "mnvault/mynumber.h"

static enum mnv_err parse(struct mynumber *n, enum mynumber_kind k, const char *s,
                          struct mnv_diag *d)
{
    return mynumber_parse(n, k, s, strlen(s), d);
}

/* Published valid individual numbers (see ../shared reference: python-stdnum, tsubaki,
 * MyNumber.NET, vldmir/tin fixtures, and the worked examples). */
static const char *const valid_individual[] = {
    "123456789018", "621498320257", "614106526000", "023456789013", "987654321093",
};
static const char *const invalid_individual[] = {
    "621498320258", "123456789010", "123456789011", "123456789012", "614106526001", "987654321098",
};
static const char *const valid_corporate[] = {
    "5835678256246", "7123456789012", "8700110005901", "3000012010001", "5010001192707",
    "8700150008847", "1180301018771", "5010001008846", "7010401045660", "9234567890123",
    "4011001098993", "7010705000725", "2120901007402", "4010401032645",
};
static const char *const invalid_corporate[] = {
    "2835678256246", "4835678256246", "6123456789012", "1234567890123", "1180001051840",
    "4010001008840", "6010001033581", "1234567890127", "5012345678901", "8012345678904",
};

static void test_mynumber__published_individual_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(valid_individual) / sizeof(*valid_individual); i++) {
        struct mynumber n;
        assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, valid_individual[i], NULL), MNV_OK);
        assert_string_equal(n.digits, valid_individual[i]);
        assert_int_equal(n.len, 12);
        assert_true(numtext_valid_individual(valid_individual[i]));
        mynumber_clear(&n);
    }
}

static void test_mynumber__published_individual_invalid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(invalid_individual) / sizeof(*invalid_individual); i++) {
        struct mynumber n;
        assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, invalid_individual[i], NULL),
                         MNV_ERR_NUM_CHECK);
        assert_false(numtext_valid_individual(invalid_individual[i]));
        /* A failed parse leaves nothing behind. */
        assert_int_equal(n.digits[0], 0);
    }
}

/* An independent restatement of the ordinance: weights from the right, n+1 / n-5. */
static int ref_individual(const char *b)
{
    int s = 0;
    for (int n = 1; n <= 11; n++) {
        int p = b[11 - n] - '0';
        int q = n <= 6 ? n + 1 : n - 5;
        s += p * q;
    }
    int r = s % 11;
    return r <= 1 ? 0 : 11 - r;
}

static int ref_corporate(const char *b)
{
    int s = 0;
    for (int n = 1; n <= 12; n++)
        s += (b[12 - n] - '0') * (n % 2 ? 1 : 2);
    return 9 - s % 9;
}

static void random_digits(char *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (char)('0' + randombytes_uniform(10));
}

static void test_mynumber__random_individual_bodies(void **state)
{
    (void)state;
    char d[13] = {0};
    for (int i = 0; i < 20000; i++) {
        random_digits(d, 11);
        int c = ref_individual(d);
        assert_int_equal(numtext_check_digit_individual(d), c);
        d[11] = (char)('0' + c);
        struct mynumber n;
        assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, d, NULL), MNV_OK);
        mynumber_clear(&n);
        d[11] = (char)('0' + (c + 1 + (int)randombytes_uniform(9)) % 10); /* any other */
        assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, d, NULL), MNV_ERR_NUM_CHECK);
    }
}

static void test_mynumber__random_corporate_bodies(void **state)
{
    (void)state;
    char d[14] = {0};
    for (int i = 0; i < 20000; i++) {
        random_digits(d + 1, 12);
        int c = ref_corporate(d + 1);
        assert_int_equal(numtext_check_digit_corporate(d + 1), c);
        assert_true(c >= 1 && c <= 9);
        d[0] = (char)('0' + c);
        struct mynumber n;
        assert_int_equal(parse(&n, MYNUMBER_CORPORATE, d, NULL), MNV_OK);
        mynumber_clear(&n);
        d[0] = (char)('0' + (c + 1 + (int)randombytes_uniform(9)) % 10);
        assert_int_equal(parse(&n, MYNUMBER_CORPORATE, d, NULL), MNV_ERR_NUM_CHECK);
    }
}

static void test_mynumber__published_corporate(void **state)
{
    (void)state;
    struct mynumber n;
    for (size_t i = 0; i < sizeof(valid_corporate) / sizeof(*valid_corporate); i++) {
        assert_int_equal(parse(&n, MYNUMBER_CORPORATE, valid_corporate[i], NULL), MNV_OK);
        assert_int_equal(n.len, 13);
        mynumber_clear(&n);
    }
    for (size_t i = 0; i < sizeof(invalid_corporate) / sizeof(*invalid_corporate); i++)
        assert_int_equal(parse(&n, MYNUMBER_CORPORATE, invalid_corporate[i], NULL),
                         MNV_ERR_NUM_CHECK);
}

static void test_mynumber__forms_people_type(void **state)
{
    (void)state;
    static const char *const forms[] = {
        "1234 5678 9018",
        "1234-5678-9018",
        "  123456789018  ",
        "123456789018\r\n",
        "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96"
        "\xef\xbc\x97\xef\xbc\x98\xef\xbc\x99\xef\xbc\x90\xef\xbc\x91\xef\xbc\x98", /* １２…８ */
        "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xe3\x80\x80" /* １２３４　 */
        "5678\xef\xbc\x8d"
        "9018", /* 5678－9018 */
        "1234\xe2\x88\x92"
        "5678\xe2\x80\x90"
        "9018", /* − and ‐ */
    };
    for (size_t i = 0; i < sizeof(forms) / sizeof(*forms); i++) {
        struct mynumber n;
        assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, forms[i], NULL), MNV_OK);
        assert_string_equal(n.digits, "123456789018");
        mynumber_clear(&n);
    }
    struct mynumber n;
    assert_int_equal(parse(&n, MYNUMBER_CORPORATE, "5-8356-7825-6246", NULL), MNV_OK);
    assert_string_equal(n.digits, "5835678256246");
}

static void test_mynumber__each_error(void **state)
{
    (void)state;
    struct mynumber n;
    struct mnv_diag d;

    mnv_diag_clear(&d);
    assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, "", &d), MNV_ERR_NUM_EMPTY);
    assert_int_equal(mynumber_parse(&n, MYNUMBER_INDIVIDUAL, NULL, 0, &d), MNV_ERR_NUM_EMPTY);
    assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, "  - -  ", &d), MNV_ERR_NUM_EMPTY);

    mnv_diag_clear(&d);
    assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, "12345678901", &d), MNV_ERR_NUM_SHORT);
    assert_string_equal(d.detail, "11");
    mnv_diag_clear(&d);
    assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, "1234567890180", &d), MNV_ERR_NUM_LONG);
    assert_string_equal(d.detail, "13");
    assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, "12345678901234567890123456789", &d),
                     MNV_ERR_NUM_LONG);
    assert_int_equal(parse(&n, MYNUMBER_CORPORATE, "123456789012", &d), MNV_ERR_CORP_SHORT);
    assert_int_equal(parse(&n, MYNUMBER_CORPORATE, "12345678901234", &d), MNV_ERR_CORP_LONG);

    mnv_diag_clear(&d);
    assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, "1234 567O 9018", &d), MNV_ERR_NUM_CHAR);
    assert_int_equal(d.column, 9);
    assert_string_equal(d.detail, "O");
    mnv_diag_clear(&d);
    /* Position counts characters, not bytes: "番号" are two characters. */
    assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL,
                           "\xe7\x95\xaa\xe5\x8f\xb7"
                           "123456789018",
                           &d),
                     MNV_ERR_NUM_CHAR);
    assert_int_equal(d.column, 1);
    mnv_diag_clear(&d);
    assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL,
                           "1234\xff"
                           "56789018",
                           &d),
                     MNV_ERR_NUM_CHAR);
    assert_int_equal(d.column, 5);
    assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, "123456789019", &d), MNV_ERR_NUM_CHECK);
    /* Each failure has its own message. */
    assert_string_not_equal(mnv_err_str(MNV_ERR_NUM_SHORT), mnv_err_str(MNV_ERR_NUM_LONG));
    assert_string_not_equal(mnv_err_str(MNV_ERR_NUM_CHAR), mnv_err_str(MNV_ERR_NUM_CHECK));
    assert_string_not_equal(mnv_err_str(MNV_ERR_NUM_EMPTY), mnv_err_str(MNV_ERR_NUM_CHECK));
    /* The diag argument is optional. */
    assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, "x", NULL), MNV_ERR_NUM_CHAR);
}

static void test_mynumber__parse_respects_length(void **state)
{
    (void)state;
    struct mynumber n;
    const char *s = "1234567890189999";
    assert_int_equal(mynumber_parse(&n, MYNUMBER_INDIVIDUAL, s, 12, NULL), MNV_OK);
    assert_string_equal(n.digits, "123456789018");
}

static void test_mynumber__masks(void **state)
{
    (void)state;
    char buf[MYNUMBER_FORMAT_SIZE];
    assert_string_equal(
        mynumber_format_masked(buf, MYNUMBER_INDIVIDUAL, MYNUMBER_MASK_NONE, "9018"),
        "**** **** ****");
    assert_string_equal(
        mynumber_format_masked(buf, MYNUMBER_INDIVIDUAL, MYNUMBER_MASK_LAST4, "9018"),
        "**** **** 9018");
    assert_string_equal(mynumber_format_masked(buf, MYNUMBER_INDIVIDUAL, MYNUMBER_MASK_LAST4, NULL),
                        "**** **** ****");
    /* Never more than four digits, whatever is passed. */
    assert_string_equal(
        mynumber_format_masked(buf, MYNUMBER_INDIVIDUAL, MYNUMBER_MASK_LAST4, "789018"),
        "**** **** ****");
    assert_string_equal(mynumber_format_masked(buf, MYNUMBER_CORPORATE, MYNUMBER_MASK_NONE, "6246"),
                        "* **** **** ****");
    struct mynumber n;
    assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, "123456789018", NULL), MNV_OK);
    assert_string_equal(mynumber_format_grouped(buf, &n), "1234 5678 9018");
    assert_int_equal(parse(&n, MYNUMBER_CORPORATE, "5835678256246", NULL), MNV_OK);
    assert_string_equal(mynumber_format_grouped(buf, &n), "5 8356 7825 6246");
    enum mynumber_mask m;
    assert_int_equal(mynumber_mask_parse("last4", &m), 0);
    assert_int_equal(m, MYNUMBER_MASK_LAST4);
    assert_int_equal(mynumber_mask_parse("all", &m), -1);
}

static void test_mynumber__clear_wipes(void **state)
{
    (void)state;
    struct mynumber n;
    assert_int_equal(parse(&n, MYNUMBER_INDIVIDUAL, "123456789018", NULL), MNV_OK);
    mynumber_clear(&n);
    static const struct mynumber zero;
    assert_memory_equal(&n, &zero, sizeof(n));
}

static void test_mynumber__digit_count(void **state)
{
    (void)state;
    assert_int_equal(mynumber_digit_count("12-34 \xef\xbc\x95", 9), 5);
    assert_int_equal(mynumber_digit_count(NULL, 0), 0);
}
