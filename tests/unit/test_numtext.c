/* Unit tests for numtext.c: character classes, check digits, and finding numbers in text
 * under the written and the any-run rules. */
#include <stdio.h>
#include <string.h>

#include "mnvault/mynumber.h"
#include "mnvault/numtext.h"
#include "mnvault/utf8.h"

/* Every separator the class holds, as UTF-8. */
static const char *const separators[] = {
    " ",
    "\t",
    "-",
    "\xe3\x80\x80", /* U+3000 ideographic space */
    "\xef\xbc\x8d", /* U+FF0D full-width hyphen-minus */
    "\xe2\x80\x90", /* U+2010 hyphen */
    "\xe2\x80\x91", /* U+2011 non-breaking hyphen */
    "\xe2\x80\x92", /* U+2012 figure dash */
    "\xe2\x80\x93", /* U+2013 en dash */
    "\xe2\x80\x94", /* U+2014 em dash */
    "\xe2\x80\x95", /* U+2015 horizontal bar */
    "\xe2\x88\x92", /* U+2212 minus sign */
    "\xe3\x83\xbc", /* U+30FC ー */
    "\xef\xbd\xb0", /* U+FF70 ｰ */
};

static int has(const char *text, unsigned flags)
{
    return numtext_has_number(text, strlen(text), flags);
}

/* Collects what a reader reports. */
struct seen {
    size_t n;
    struct numtext_span span[8];
};

static int collect(void *ud, const struct numtext_span *span)
{
    struct seen *s = ud;
    if (s->n < MNV_ARRAY_LEN(s->span))
        s->span[s->n] = *span;
    s->n++;
    return 0;
}

static struct seen find(const char *text, unsigned flags)
{
    struct seen s;
    memset(&s, 0, sizeof(s));
    size_t n = numtext_find(text, strlen(text), flags, collect, &s);
    assert_int_equal(n, s.n);
    return s;
}

static void test_numtext__null_and_empty(void **state)
{
    (void)state;
    assert_int_equal(numtext_find(NULL, 0, 0, collect, NULL), 0);
    assert_int_equal(numtext_find("", 0, NUMTEXT_ANY_RUN, NULL, NULL), 0);
    assert_false(numtext_has_number(NULL, 0, NUMTEXT_ANY_RUN));
    assert_false(has("", 0));
    assert_false(has("   - -  ", NUMTEXT_ANY_RUN));
    /* len bounds the text: the number after it is not read. */
    assert_false(numtext_has_number("abc 123456789018", 4, NUMTEXT_ANY_RUN));
    /* A NULL callback still counts. */
    assert_int_equal(numtext_find("123456789018", 12, 0, NULL, NULL), 1);
}

static void test_numtext__classes(void **state)
{
    (void)state;
    for (uint32_t c = '0'; c <= '9'; c++) {
        assert_int_equal(numtext_digit(c), (int)(c - '0'));
        assert_int_equal(numtext_digit(0xFF10 + c - '0'), (int)(c - '0'));
        assert_int_equal(numtext_classify(c), NUMTEXT_DIGIT);
    }
    assert_int_equal(numtext_digit('/'), -1);
    assert_int_equal(numtext_digit(':'), -1);
    assert_int_equal(numtext_digit(0xFF0F), -1);
    assert_int_equal(numtext_digit(0xFF1A), -1);
    assert_int_equal(numtext_digit(0x0660), -1); /* Arabic-Indic zero is no digit here */
    for (size_t i = 0; i < MNV_ARRAY_LEN(separators); i++) {
        uint32_t cp;
        assert_true(utf8_decode(separators[i], strlen(separators[i]), &cp) > 0);
        assert_int_equal(numtext_classify(cp), NUMTEXT_SEPARATOR);
    }
    assert_int_equal(numtext_classify('\r'), NUMTEXT_LINEBREAK);
    assert_int_equal(numtext_classify('\n'), NUMTEXT_LINEBREAK);
    assert_int_equal(numtext_classify('.'), NUMTEXT_OTHER);
    assert_int_equal(numtext_classify('/'), NUMTEXT_OTHER);
    assert_int_equal(numtext_classify(0x30FB), NUMTEXT_OTHER); /* ・ */
    assert_int_equal(numtext_classify(0), NUMTEXT_OTHER);
    assert_int_equal(numtext_classify(0xFFFFFFFFu), NUMTEXT_OTHER);
}

static void test_numtext__worked_check_digits(void **state)
{
    (void)state;
    assert_int_equal(numtext_check_digit_individual("12345678901"), 8);
    assert_int_equal(numtext_check_digit_individual("62149832025"), 7);
    assert_int_equal(numtext_check_digit_individual("61410652600"), 0); /* r == 1 */
    assert_int_equal(numtext_check_digit_individual("02345678901"), 3);
    assert_int_equal(numtext_check_digit_individual("98765432109"), 3);
    assert_int_equal(numtext_check_digit_individual("1234567890x"), -1);
    assert_int_equal(numtext_check_digit_corporate("123456789012"), 7);
    assert_int_equal(numtext_check_digit_corporate("835678256246"), 5);
    assert_int_equal(numtext_check_digit_corporate("180301018771"), 1);
    assert_int_equal(numtext_check_digit_corporate("010401032645"), 4);
    assert_int_equal(numtext_check_digit_corporate("01040103264x"), -1);
    assert_true(numtext_valid_individual("123456789018"));
    assert_false(numtext_valid_individual("123456789019"));
    assert_false(numtext_valid_individual("12345678901x"));
    assert_true(numtext_valid_corporate("5835678256246"));
    assert_false(numtext_valid_corporate("2835678256246"));
    assert_false(numtext_valid_corporate("x835678256246"));
}

/* The parser, both finding rules and the 4-4-4 form agree on every separator. */
static void test_numtext__every_separator_the_parser_accepts(void **state)
{
    (void)state;
    for (size_t i = 0; i < MNV_ARRAY_LEN(separators); i++) {
        char text[64];
        const char *sep = separators[i];
        snprintf(text, sizeof(text), "1234%s5678%s9018", sep, sep);
        struct mynumber n;
        assert_int_equal(mynumber_parse(&n, MYNUMBER_INDIVIDUAL, text, strlen(text), NULL), MNV_OK);
        assert_string_equal(n.digits, "123456789018");
        mynumber_clear(&n);
        assert_true(has(text, 0));
        assert_true(has(text, NUMTEXT_ANY_RUN));
        assert_true(has(text, NUMTEXT_ANY_RUN | NUMTEXT_WORDS));
        struct seen s = find(text, 0);
        assert_int_equal(s.n, 1);
        assert_int_equal(s.span[0].start, 0);
        assert_int_equal(s.span[0].end, strlen(text));
        assert_int_equal(s.span[0].form, NUMTEXT_FORM_GROUPED | NUMTEXT_FORM_ASCII);
        assert_memory_equal(s.span[0].last4, "9018", 4);
        /* Inside Japanese text, with a wrong check digit: no number. */
        snprintf(text, sizeof(text), "番号は1234%s5678%s9019です", sep, sep);
        assert_false(has(text, 0));
        assert_false(has(text, NUMTEXT_ANY_RUN));
    }
}

static void test_numtext__written_rule(void **state)
{
    (void)state;
    assert_int_equal(find("123456789018", 0).n, 1);
    assert_int_equal(find("番号123456789018です", 0).n, 1); /* letters may touch */
    assert_int_equal(find("x123456789018y", 0).n, 1);
    assert_int_equal(find("123456789012", 0).n, 0); /* a wrong check digit */
    assert_int_equal(find("２３４５６７８９０１２０", 0).n, 0);
    assert_int_equal(find("1234567890123", NUMTEXT_CORPORATE).n, 0);
    assert_int_equal(find("1123456789018", 0).n, 0);       /* part of a longer run */
    assert_int_equal(find("99123456789018", 0).n, 0);      /* likewise */
    assert_int_equal(find("4111 1234 5678 9018", 0).n, 0); /* the run goes on to the left */
    assert_int_equal(find("1234 5678 9018 1111", 0).n, 0); /* ... and to the right */
    assert_int_equal(find("1234 5678 9018-1111", 0).n, 1); /* another separator */
    assert_int_equal(find("2026-11-27 1234-5678-9018", 0).n, 1);
    assert_int_equal(find("12 3456 789018", 0).n, 0);   /* not 4-4-4 */
    assert_int_equal(find("1234  5678  9018", 0).n, 0); /* two separators end a token */
    assert_int_equal(find("1234\n5678\n9018", 0).n, 0); /* lines break it */
    assert_int_equal(find("電話 03-1234-5678", 0).n, 0);
    /* Two numbers, with their places; full-width and mixed forms. */
    struct seen s = find("a 123456789018, b ６２１４９８３２０２５７", 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.span[0].start, 2);
    assert_int_equal(s.span[0].end, 14);
    assert_int_equal(s.span[0].form, NUMTEXT_FORM_ASCII);
    assert_int_equal(s.span[1].start, 18);
    assert_int_equal(s.span[1].end, 18 + 36);
    assert_int_equal(s.span[1].form, NUMTEXT_FORM_FULLWIDTH);
    assert_memory_equal(s.span[1].last4, "0257", 4);
    s = find("1234５６７８9018", 0);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.span[0].form, NUMTEXT_FORM_ASCII | NUMTEXT_FORM_FULLWIDTH);
    /* Corporate numbers, plain and 1-4-4-4; individual ones are then not reported. */
    assert_int_equal(find("5835678256246", NUMTEXT_CORPORATE).n, 1);
    assert_int_equal(find("5-8356-7825-6246", NUMTEXT_CORPORATE).n, 1);
    assert_int_equal(find("5835678256246", 0).n, 0);
    assert_int_equal(find("123456789018", NUMTEXT_CORPORATE).n, 0);
}

static void test_numtext__any_run_rule(void **state)
{
    (void)state;
    assert_true(has("123456789018", NUMTEXT_ANY_RUN));
    assert_true(has("番号は１２３４－５６７８－９０１８です", NUMTEXT_ANY_RUN));
    assert_false(has("123456789019", NUMTEXT_ANY_RUN)); /* wrong check digit */
    assert_false(has("電話 03-1234-5678", NUMTEXT_ANY_RUN));
    assert_true(has("99123456789018", NUMTEXT_ANY_RUN));  /* inside a longer run */
    assert_true(has("123456789018777", NUMTEXT_ANY_RUN)); /* at the start of one */
    assert_true(has("12 3456 789018", NUMTEXT_ANY_RUN));  /* any grouping */
    assert_true(has("1234  5678 \t 9018", NUMTEXT_ANY_RUN));
    assert_true(has("1234\r\n5678\n9018", NUMTEXT_ANY_RUN));
    assert_true(has("x123456789018y", NUMTEXT_ANY_RUN));
    assert_false(has("1234.5678.9018", NUMTEXT_ANY_RUN)); /* a dot is no separator */
    assert_false(has("12345678901", NUMTEXT_ANY_RUN));
    /* One report per token, spanning the digits of the number. */
    struct seen s = find("id 99123456789018 and 123456789018", NUMTEXT_ANY_RUN);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.span[0].start, 5);
    assert_int_equal(s.span[0].end, 17);
    assert_memory_equal(s.span[0].last4, "9018", 4);
    assert_int_equal(s.span[1].start, 22);
    assert_true(has("5835678256246", NUMTEXT_ANY_RUN | NUMTEXT_CORPORATE));
}

static void test_numtext__words_skip_identifiers(void **state)
{
    (void)state;
    const unsigned w = NUMTEXT_ANY_RUN | NUMTEXT_WORDS;
    assert_false(has("backup:3fa123456789018c0", w));
    assert_false(has("backup:3fa123456789018", w));
    assert_false(has("123456789018abc", w));
    assert_false(has("head=f1234 5678 9018", w)); /* the token touches a letter */
    assert_true(has("reason=123456789018", w));
    assert_true(has("employee:1234-5678-9018 ok", w));
    assert_true(has("番号123456789018です", w)); /* kana and kanji are not ASCII letters */
    assert_true(has("abc 123456789018 def", w));
    assert_true(has("x-123456789018", w));
    /* One run longer than a number, without separators: an identifier (a hex id that happens
     * to be all digits, a long count); with separators it is text again. */
    assert_false(has("set=6123456789018704", w));
    assert_false(has("size=99123456789018", w));
    assert_true(has("set=6123 456789018704", w));
    assert_true(has("99123456789018", NUMTEXT_ANY_RUN));
    /* The written rule with words. */
    assert_false(has("a123456789018", NUMTEXT_WORDS));
    assert_true(has("a 123456789018", NUMTEXT_WORDS));
}

static void test_numtext__invalid_utf8_and_stop(void **state)
{
    (void)state;
    /* An undecodable byte ends a token; it does not join digits. */
    assert_false(has("123456\xff"
                     "789018",
                     NUMTEXT_ANY_RUN));
    assert_true(has("\xff\xfe"
                    "123456789018\xc3",
                    0));
    /* A callback that stops: the reader reports no more. */
    struct numtext_reader r;
    numtext_reader_init(&r, 0, NULL, NULL);
    const char *t = "123456789018 x 123456789018";
    for (size_t i = 0; t[i]; i++)
        assert_int_equal(numtext_reader_put(&r, (unsigned char)t[i], i, 1), 0);
    assert_int_equal(numtext_reader_end(&r), 2);
    assert_int_equal(numtext_find(t, strlen(t), 0, NULL, NULL), 2);
    assert_true(numtext_has_number(t, strlen(t), 0));
}

/* The reader leaves no digit behind once it ends. */
static void test_numtext__end_wipes(void **state)
{
    (void)state;
    struct numtext_reader r;
    numtext_reader_init(&r, NUMTEXT_ANY_RUN, NULL, NULL);
    const char *t = "12345678901";
    for (size_t i = 0; t[i]; i++)
        (void)numtext_reader_put(&r, (unsigned char)t[i], i, 1);
    assert_int_equal(numtext_reader_end(&r), 0);
    const unsigned char *p = (const unsigned char *)&r;
    for (size_t i = 0; i < sizeof(r); i++)
        assert_int_equal(p[i], 0);
}

/* numtext_has_number counts digits first and skips text with fewer than a number has: that
 * short cut must never change an answer. Every mix of ASCII and full-width digits of one
 * number is found, up to the last byte of the text; and on random text made of digits,
 * pieces of full-width digits, separators and stray bytes it agrees with numtext_find. */
static void test_numtext__digit_count_never_changes_the_answer(void **state)
{
    (void)state;
    static const char num[] = "123456789018", corp[] = "7000012050002";
    for (unsigned mask = 0; mask < 4096; mask++) {
        char t[64];
        size_t o = 0;
        for (int k = 0; k < 12; k++) {
            if (mask & (1u << k)) {
                memcpy(t + o, "\xef\xbc", 2);
                t[o + 2] = (char)(0x90 + (num[k] - '0'));
                o += 3;
            } else {
                t[o++] = num[k];
            }
        }
        assert_true(numtext_has_number(t, o, NUMTEXT_ANY_RUN));
        assert_true(numtext_has_number(t, o, 0));
        assert_false(numtext_has_number(t, o - 1, NUMTEXT_ANY_RUN)); /* last digit cut */
    }
    assert_true(has(corp, NUMTEXT_CORPORATE));
    assert_false(has("700001205000", NUMTEXT_CORPORATE | NUMTEXT_ANY_RUN));
    /* Half the pieces an ASCII digit, the rest full-width digits, halves of one, separators
     * and stray bytes. */
    static const char *const pieces[] = {
        "\xef\xbc\x91", "\xef\xbc\x95", "\xef\xbc\x90", "\xef\xbc", "\x90", "\xef", "-", " ", "a",
        "\xff"};
    unsigned long long x = 0x9e3779b97f4a7c15ULL;
    for (int round = 0; round < 20000; round++) {
        char t[160];
        size_t o = 0;
        int n = 12 + round % 24;
        for (int k = 0; k < n; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            if (x % 20 < 10) {
                t[o++] = (char)('0' + x % 10);
                continue;
            }
            const char *p = pieces[x % 10];
            memcpy(t + o, p, strlen(p));
            o += strlen(p);
        }
        static const unsigned flags[] = {0, NUMTEXT_ANY_RUN, NUMTEXT_WORDS, NUMTEXT_CORPORATE,
                                         NUMTEXT_CORPORATE | NUMTEXT_ANY_RUN};
        for (size_t f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
            assert_int_equal(numtext_has_number(t, o, flags[f]),
                             numtext_find(t, o, flags[f], NULL, NULL) > 0);
    }
}
