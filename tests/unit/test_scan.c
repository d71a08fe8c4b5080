/* Unit tests for the scanner core: forms, boundaries, encodings, positions, keyword hints,
 * fast paths (every SIMD level must find exactly the same), detection, and in-memory files. */
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/numtext.h"
#include "mnvault/scan.h"
#include "mnvault/utf8.h"

#define MAX_HITS 64

struct hit {
    long line, column;
    size_t offset, length;
    unsigned form;
    char last4[5];
    const char *keyword;
    enum scan_encoding enc;
};

struct hits {
    struct hit h[MAX_HITS];
    size_t n;
    size_t stop_after; /* 0: never stop */
};

static int collect(void *ud, const struct scan_finding *f)
{
    struct hits *hs = ud;
    if (hs->n < MAX_HITS) {
        struct hit *h = &hs->h[hs->n];
        h->line = f->line;
        h->column = f->column;
        h->offset = f->offset;
        h->length = f->length;
        h->form = f->form;
        memcpy(h->last4, f->last4, 5);
        h->keyword = f->keyword;
        h->enc = f->encoding;
    }
    hs->n++;
    return hs->stop_after && hs->n >= hs->stop_after;
}

static struct scan_opts opts_kind(enum mynumber_kind kind)
{
    struct scan_opts o;
    memset(&o, 0, sizeof(o));
    o.kind = kind;
    o.encoding = SCAN_ENC_AUTO;
    return o;
}

/* Scan UTF-8 text for individual numbers; returns the number of findings. */
static size_t scan_str(const char *text, struct hits *hs)
{
    struct scan_opts o = opts_kind(MYNUMBER_INDIVIDUAL);
    size_t found = 0;
    memset(hs, 0, sizeof(*hs));
    assert_int_equal(scan_buffer(text, strlen(text), SCAN_ENC_UTF8, &o, collect, hs, &found),
                     MNV_OK);
    assert_int_equal(found, hs->n);
    return found;
}

static size_t count_in(const char *text)
{
    struct hits hs;
    return scan_str(text, &hs);
}

static char *convert(const char *to, const char *text, size_t *outlen)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t n = strlen(text), cap = n * 4 + 8, left = cap;
    char *out = malloc(cap), *op = out;
    char *ip = (char *)(uintptr_t)text;
    assert_non_null(out);
    assert_true(iconv(cd, &ip, &n, &op, &left) != (size_t)-1);
    iconv_close(cd);
    *outlen = cap - left;
    return out;
}

static void test_scan__arguments(void **state)
{
    (void)state;
    struct hits hs;
    struct scan_opts o = opts_kind(MYNUMBER_INDIVIDUAL);
    size_t found = 99;
    memset(&hs, 0, sizeof(hs));
    assert_int_equal(scan_buffer(NULL, 0, SCAN_ENC_UTF8, &o, collect, &hs, &found), MNV_OK);
    assert_int_equal(found, 0);
    assert_int_equal(scan_buffer("x", 1, SCAN_ENC_AUTO, &o, collect, &hs, NULL), MNV_ERR_INVALID);
    o.kind = (enum mynumber_kind)11;
    assert_int_equal(scan_buffer("x", 1, SCAN_ENC_UTF8, &o, collect, &hs, NULL), MNV_ERR_INVALID);
    assert_int_equal(hs.n, 0);
}

static void test_scan__plain_forms(void **state)
{
    (void)state;
    struct hits hs;
    assert_int_equal(scan_str("123456789018", &hs), 1);
    assert_int_equal(hs.h[0].line, 1);
    assert_int_equal(hs.h[0].column, 1);
    assert_string_equal(hs.h[0].last4, "9018");
    assert_int_equal(hs.h[0].form, SCAN_FORM_ASCII);
    assert_int_equal(hs.h[0].length, 12);

    /* Glued to kanji, kana, letters: a word boundary would miss these. */
    assert_int_equal(scan_str("番号123456789018です", &hs), 1);
    assert_int_equal(hs.h[0].column, 3);
    assert_int_equal(count_in("ID123456789018abc"), 1);
    assert_int_equal(count_in("ばんごう621498320257。"), 1);
    assert_int_equal(count_in("(614106526000)"), 1);

    assert_int_equal(scan_str("全角１２３４５６７８９０１８", &hs), 1);
    assert_int_equal(hs.h[0].form, SCAN_FORM_FULLWIDTH);
    assert_int_equal(hs.h[0].column, 3);
    assert_int_equal(hs.h[0].length, 36);
    assert_int_equal(scan_str("1234５６７８9018", &hs), 1);
    assert_int_equal(hs.h[0].form, SCAN_FORM_ASCII | SCAN_FORM_FULLWIDTH);
}

static void test_scan__grouped_forms(void **state)
{
    (void)state;
    /* Every separator of numtext.h (the one definition the parser uses too). */
    static const char *const seps[] = {" ",      "\t",     "-",      "\u3000", "\uFF0D",
                                       "\u2010", "\u2011", "\u2012", "\u2013", "\u2014",
                                       "\u2015", "\u2212", "\u30FC", "\uFF70"};
    for (size_t i = 0; i < MNV_ARRAY_LEN(seps); i++) {
        char buf[128];
        struct hits hs;
        snprintf(buf, sizeof(buf), "番号1234%s5678%s9018です", seps[i], seps[i]);
        assert_int_equal(scan_str(buf, &hs), 1);
        assert_int_equal(hs.h[0].form, SCAN_FORM_GROUPED | SCAN_FORM_ASCII);
        assert_int_equal(hs.h[0].column, 3);
        snprintf(buf, sizeof(buf), "１２３４%s５６７８%s９０１８", seps[i], seps[i]);
        assert_int_equal(scan_str(buf, &hs), 1);
        assert_int_equal(hs.h[0].form, SCAN_FORM_GROUPED | SCAN_FORM_FULLWIDTH);
    }
    /* Different separators in one number are fine. */
    assert_int_equal(count_in("1234-5678 9018"), 1);
    /* A plain number after a date: one token "2024-01-15 123456789018". */
    assert_int_equal(count_in("2024-01-15 123456789018 受付"), 1);
    /* A grouped number next to groups joined by another separator. */
    assert_int_equal(count_in("TEL 03-1234-5678 1234-5678-9018"), 1);
}

/* The scanner's digits and separators are numtext's, code point by code point: every
 * character between two groups of four joins them exactly when numtext calls it a separator,
 * and stands for a digit exactly when numtext calls it one. */
static void test_scan__classes_are_numtexts(void **state)
{
    (void)state;
    for (uint32_t cp = 1; cp < 0x10000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char ch[5] = {0}, buf[64];
        if (utf8_encode(cp, ch) <= 0)
            continue;
        snprintf(buf, sizeof(buf), "x 1234%s5678%s9018 x", ch, ch);
        size_t sep = numtext_classify(cp) == NUMTEXT_SEPARATOR;
        if (count_in(buf) != sep)
            fail_msg("U+%04X: scanner and numtext disagree on the separator", (unsigned)cp);
    }
    assert_int_equal(count_in("１２３４５６７８９０１８"), 1);
}

/* Digits with a right check digit that stand where no number is. */
static void test_scan__not_numbers(void **state)
{
    (void)state;
    static const char *const traps[] = {
        "TEL +819012345678", /* E.164: +81 90 1234 5678 */
        "TEL ＋819012345678",
        "rate 0.123456789018", /* a decimal tail */
        "x 3.123456789018e5",
        "000000000000",                             /* a filler */
        "id 550e8400-e29b-41d4-a716-123456789018",  /* the last group of a UUID */
        "sha 3fa9ab123456789018cd02e1b7ff",         /* a hex identifier */
        "key QmFzZTY0IGtleQ123456789018WklxRAab==", /* base64 */
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(traps); i++)
        if (count_in(traps[i]) != 0)
            fail_msg("trap %zu reported: \"%s\"", i, traps[i]);
    /* ... and what still counts. */
    static const char *const real[] = {
        "番号123456789018です",  "ID621498320257",      "No.123456789018",
        "123456789018.0",        "1,123456789018,山田", "(123456789018)",
        "MyNumber:123456789018", "abc123456789018",     "TEL 03-1234-5678 / 1234-5678-9018",
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(real); i++)
        if (count_in(real[i]) != 1)
            fail_msg("number %zu not found: \"%s\"", i, real[i]);
}

static void test_scan__decoys(void **state)
{
    (void)state;
    static const char *const decoys[] = {
        "123456789019",   /* wrong check digit */
        "1234 5678 9019", /* wrong check digit, grouped */
        "12345678901",    /* 11 digits */
        "1234567890180",  /* 13 digits */
        "9123456789018",  /* a valid number inside a longer run */
        "123456789018７", /* ... a full-width digit counts as a digit */
        "３123456789018",
        "1234 5678 9018 1111", /* 4-4-4-4: a card number */
        "4111-1234-5678-9018",
        "1234  5678  9018", /* two separators do not join */
        "1234_5678_9018",
        "1234.5678.9018",
        "123 4567 89018", /* wrong grouping */
        "12345678 9018",
        "5835678256246",     /* a corporate number */
        "5 8356 7825 6246",  /* ... grouped */
        "12-1234-5678-9018", /* the same separator goes on to the left */
        "",
        "no digits at all",
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(decoys); i++) {
        if (count_in(decoys[i]) != 0)
            fail_msg("decoy %zu reported: \"%s\"", i, decoys[i]);
    }
}

static void test_scan__corporate(void **state)
{
    (void)state;
    struct scan_opts o = opts_kind(MYNUMBER_CORPORATE);
    struct hits hs;
    static const char *const found[] = {"5835678256246", "法人番号5 8356 7825 6246です",
                                        "5-8356-7825-6246", "５８３５６７８２５６２４６"};
    static const char *const not_found[] = {"123456789018", "1234 5678 9018", "2835678256246",
                                            "58356782562460", "55 8356 7825 6246"};
    for (size_t i = 0; i < MNV_ARRAY_LEN(found); i++) {
        memset(&hs, 0, sizeof(hs));
        assert_int_equal(
            scan_buffer(found[i], strlen(found[i]), SCAN_ENC_UTF8, &o, collect, &hs, NULL), MNV_OK);
        if (hs.n != 1)
            fail_msg("corporate %zu: %zu findings", i, hs.n);
        assert_string_equal(hs.h[0].last4, "6246");
    }
    for (size_t i = 0; i < MNV_ARRAY_LEN(not_found); i++) {
        memset(&hs, 0, sizeof(hs));
        assert_int_equal(
            scan_buffer(not_found[i], strlen(not_found[i]), SCAN_ENC_UTF8, &o, collect, &hs, NULL),
            MNV_OK);
        if (hs.n != 0)
            fail_msg("corporate decoy %zu reported", i);
    }
}

static void test_scan__positions(void **state)
{
    (void)state;
    struct hits hs;
    const char *text = "一行目\n"
                       "二行目 123456789018 と 621498320257\n"
                       "\n"
                       "𠮷野 6141 0652 6000\r\n"
                       "末尾023456789013";
    assert_int_equal(scan_str(text, &hs), 4);
    long want[4][2] = {{2, 5}, {2, 20}, {4, 4}, {5, 3}};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(hs.h[i].line, want[i][0]);
        assert_int_equal(hs.h[i].column, want[i][1]);
    }
    /* Without positions, line and column stay 0. */
    struct scan_opts o = opts_kind(MYNUMBER_INDIVIDUAL);
    o.flags = SCAN_NO_POSITION | SCAN_NO_CONTEXT;
    memset(&hs, 0, sizeof(hs));
    assert_int_equal(scan_buffer(text, strlen(text), SCAN_ENC_UTF8, &o, collect, &hs, NULL),
                     MNV_OK);
    assert_int_equal(hs.n, 4);
    assert_int_equal(hs.h[3].line, 0);
    assert_null(hs.h[0].keyword);
}

static void test_scan__keywords(void **state)
{
    (void)state;
    struct hits hs;
    scan_str("個人番号: 1234 5678 9018", &hs);
    assert_string_equal(hs.h[0].keyword, "個人番号");
    scan_str("123456789018（マイナンバー）", &hs);
    assert_string_equal(hs.h[0].keyword, "マイナンバー");
    scan_str("ﾏｲﾅﾝﾊﾞｰ\n123456789018", &hs);
    assert_string_equal(hs.h[0].keyword, "マイナンバー");
    scan_str("Your MY NUMBER is 123456789018", &hs);
    assert_string_equal(hs.h[0].keyword, "My Number");
    scan_str("ｍｙ＿ｎｕｍｂｅｒ＝123456789018", &hs);
    assert_string_equal(hs.h[0].keyword, "My Number");
    /* Two lines up is too far, and so is the next line. */
    scan_str("個人番号\n\n123456789018\nマイナンバー", &hs);
    assert_null(hs.h[0].keyword);
    scan_str("電話番号 123456789018", &hs);
    assert_null(hs.h[0].keyword);
}

/* The same text in every encoding gives the same lines, columns and digits. */
static void test_scan__encodings(void **state)
{
    (void)state;
    const char *text = "社員台帳\n"
                       "個人番号：１２３４－５６７８－９０１８（山田）\n"
                       "ｶﾅ 621498320257 と 6141\u30000652\u30006000\n"
                       "decoy 1234567890180 ４１１１ 1111 1111 1111\n";
    struct hits ref;
    assert_int_equal(scan_str(text, &ref), 3);
    static const struct {
        const char *name;
        enum scan_encoding enc;
    } encs[] = {
        {"CP932", SCAN_ENC_CP932}, {"UTF-16LE", SCAN_ENC_UTF16LE}, {"UTF-16BE", SCAN_ENC_UTF16BE}};
    for (size_t e = 0; e < MNV_ARRAY_LEN(encs); e++) {
        size_t n;
        char *buf = convert(encs[e].name, text, &n);
        struct scan_opts o = opts_kind(MYNUMBER_INDIVIDUAL);
        struct hits hs;
        memset(&hs, 0, sizeof(hs));
        assert_int_equal(scan_detect_encoding(buf, n), encs[e].enc);
        assert_int_equal(scan_buffer(buf, n, encs[e].enc, &o, collect, &hs, NULL), MNV_OK);
        if (hs.n != ref.n)
            fail_msg("%s: %zu findings, expected %zu", encs[e].name, hs.n, ref.n);
        for (size_t i = 0; i < ref.n; i++) {
            assert_int_equal(hs.h[i].line, ref.h[i].line);
            assert_int_equal(hs.h[i].column, ref.h[i].column);
            assert_string_equal(hs.h[i].last4, ref.h[i].last4);
            assert_int_equal(hs.h[i].form, ref.h[i].form);
            assert_int_equal(hs.h[i].enc, encs[e].enc);
        }
        assert_string_equal(hs.h[0].keyword, "個人番号");
        free(buf);
    }
}

static void test_scan__byte_order_marks(void **state)
{
    (void)state;
    struct scan_opts o = opts_kind(MYNUMBER_INDIVIDUAL);
    struct hits hs;
    const char u8[] = "\xEF\xBB\xBF"
                      "123456789018";
    memset(&hs, 0, sizeof(hs));
    assert_int_equal(scan_detect_encoding(u8, sizeof(u8) - 1), SCAN_ENC_UTF8);
    assert_int_equal(scan_buffer(u8, sizeof(u8) - 1, SCAN_ENC_UTF8, &o, collect, &hs, NULL),
                     MNV_OK);
    assert_int_equal(hs.n, 1);
    assert_int_equal(hs.h[0].column, 1);
    const char le[] = "\xFF\xFE"
                      "1\0"
                      "2\0"
                      "3\0"
                      "4\0"
                      "5\0"
                      "6\0"
                      "7\0"
                      "8\0"
                      "9\0"
                      "0\0"
                      "1\0"
                      "8\0";
    memset(&hs, 0, sizeof(hs));
    assert_int_equal(scan_detect_encoding(le, sizeof(le) - 1), SCAN_ENC_UTF16LE);
    assert_int_equal(scan_buffer(le, sizeof(le) - 1, SCAN_ENC_UTF16LE, &o, collect, &hs, NULL),
                     MNV_OK);
    assert_int_equal(hs.n, 1);
    assert_int_equal(hs.h[0].column, 1);
    assert_int_equal(hs.h[0].offset, 2);
}

static void test_scan__detection(void **state)
{
    (void)state;
    assert_int_equal(scan_detect_encoding("", 0), SCAN_ENC_UTF8);
    assert_int_equal(scan_detect_encoding("plain ascii 123", 15), SCAN_ENC_UTF8);
    assert_int_equal(scan_detect_encoding("日本語のテキスト", strlen("日本語のテキスト")),
                     SCAN_ENC_UTF8);
    size_t n;
    char *sj = convert("CP932", "日本語のテキストです。個人番号", &n);
    assert_int_equal(scan_detect_encoding(sj, n), SCAN_ENC_CP932);
    free(sj);
    /* CP932 after 100 KB of ASCII: the sample moves to the first non-ASCII byte. */
    char *late = malloc(200000);
    assert_non_null(late);
    memset(late, 'a', 100000);
    sj = convert("CP932", "日本語のテキストです。", &n);
    memcpy(late + 100000, sj, n);
    assert_int_equal(scan_detect_encoding(late, 100000 + n), SCAN_ENC_CP932);
    free(sj);
    free(late);
    /* UTF-16 without a byte-order mark, with and without ASCII in it. */
    char *le = convert("UTF-16LE", "ID 123456789018 氏名 山田\n", &n);
    assert_int_equal(scan_detect_encoding(le, n), SCAN_ENC_UTF16LE);
    free(le);
    char *be = convert("UTF-16BE", "ID 123456789018 氏名 山田\n", &n);
    assert_int_equal(scan_detect_encoding(be, n), SCAN_ENC_UTF16BE);
    free(be);
    /* Controls among three-byte characters (sixteen bytes at a time): one byte in four is
     * binary, tabs and line breaks are text; cut characters and lone continuation bytes
     * every 37 bytes are too many errors for text. */
    char mix[4000];
    for (size_t off = 0; off < 3; off++) {
        for (int k = 0; k < 2; k++) {
            size_t m = 0;
            while (m < off)
                mix[m++] = 'a';
            while (m + 4 < sizeof(mix)) {
                memcpy(mix + m, "あ", 3);
                mix[m + 3] = k ? '\t' : '\x01';
                m += 4;
            }
            assert_int_equal(scan_detect_encoding(mix, m), k ? SCAN_ENC_UTF8 : SCAN_ENC_BINARY);
            for (size_t at = 5; at + 40 < m; at += 37) { /* cut characters, lone */
                memcpy(mix + at, "\xe3\x81", 2);         /* continuation bytes */
                mix[at + 20] = (char)0x80;
            }
            assert_int_equal(scan_detect_encoding(mix, m), SCAN_ENC_BINARY);
        }
    }
    /* Random bytes are binary. */
    unsigned char bin[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof(bin); i++) {
        x = x * 1103515245u + 12345u;
        bin[i] = (unsigned char)(x >> 16);
    }
    assert_int_equal(scan_detect_encoding(bin, sizeof(bin)), SCAN_ENC_BINARY);
}

static void test_scan__binary(void **state)
{
    (void)state;
    /* ASCII digits and UTF-16LE text (at an odd offset) inside binary data. */
    unsigned char buf[256];
    memset(buf, 0, sizeof(buf));
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (unsigned char)(i * 7 + 0x80);
    memcpy(buf + 10,
           "\x00"
           "123456789018"
           "\x00",
           14);
    const char *u = "621498320257";
    for (int i = 0; i < 12; i++) {
        buf[101 + 2 * i] = (unsigned char)u[i];
        buf[102 + 2 * i] = 0;
    }
    buf[99] = 0;
    buf[100] = 0;
    buf[125] = 0;
    buf[126] = 0;
    struct scan_opts o = opts_kind(MYNUMBER_INDIVIDUAL);
    struct hits hs;
    memset(&hs, 0, sizeof(hs));
    assert_int_equal(scan_buffer(buf, sizeof(buf), SCAN_ENC_BINARY, &o, collect, &hs, NULL),
                     MNV_OK);
    assert_int_equal(hs.n, 2);
    assert_string_equal(hs.h[0].last4, "9018");
    assert_int_equal(hs.h[0].enc, SCAN_ENC_BINARY);
    assert_string_equal(hs.h[1].last4, "0257");
    assert_int_equal(hs.h[1].enc, SCAN_ENC_UTF16LE);
    assert_int_equal(hs.h[1].offset, 101);
}

static void test_scan__stop(void **state)
{
    (void)state;
    const char *text = "123456789018 621498320257 614106526000";
    struct scan_opts o = opts_kind(MYNUMBER_INDIVIDUAL);
    struct hits hs;
    size_t found = 0;
    memset(&hs, 0, sizeof(hs));
    hs.stop_after = 1;
    assert_int_equal(scan_buffer(text, strlen(text), SCAN_ENC_UTF8, &o, collect, &hs, &found),
                     MNV_ERR_INTERRUPTED);
    assert_int_equal(found, 1);
}

/* Random text made of the pieces numbers are made of; every fast path must agree. */
static size_t random_text(char *buf, size_t cap, uint64_t *seed)
{
    static const char *const pieces[] = {
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "1234",
        "5678",
        "9018",
        "0257",
        "123456789018",
        "621498320257",
        " ",
        "-",
        "\u3000",
        "\uFF0D",
        "\u2212",
        "\u30FC",
        "１",
        "２",
        "８",
        "０",
        "番号",
        "x",
        "\n",
        "、",
        "\xEF",
        "\xEF\xBC",
        "\xBC\x90",
        "\xE2\x80",
        "ア",
        "\t",
        ".",
        "１２３４５６７８９０１８",
        "6141 0652 6000",
        "\xFF",
    };
    size_t n = 0;
    while (n + 40 < cap) {
        *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
        const char *p = pieces[(*seed >> 33) % MNV_ARRAY_LEN(pieces)];
        size_t k = strlen(p);
        memcpy(buf + n, p, k);
        n += k;
    }
    return n;
}

static void test_scan__fast_paths_agree(void **state)
{
    (void)state;
    enum scan_simd levels[] = {SCAN_SIMD_PORTABLE, SCAN_SIMD_SSE2, SCAN_SIMD_AVX2};
    uint64_t seed = 42;
    static char buf[8192];
    for (int round = 0; round < 200; round++) {
        size_t len = random_text(buf, 64 + (size_t)(round * 37) % (sizeof(buf) - 64), &seed);
        struct hits ref;
        for (size_t l = 0; l < MNV_ARRAY_LEN(levels); l++) {
            scan_simd_set(levels[l]);
            struct scan_opts o =
                opts_kind(round % 5 == 4 ? MYNUMBER_CORPORATE : MYNUMBER_INDIVIDUAL);
            struct hits hs;
            memset(&hs, 0, sizeof(hs));
            assert_int_equal(scan_buffer(buf, len, SCAN_ENC_UTF8, &o, collect, &hs, NULL), MNV_OK);
            if (l == 0) {
                ref = hs;
                continue;
            }
            if (hs.n != ref.n)
                fail_msg("round %d level %d: %zu findings, portable %zu", round, (int)levels[l],
                         hs.n, ref.n);
            for (size_t i = 0; i < hs.n && i < MAX_HITS; i++) {
                assert_int_equal(hs.h[i].offset, ref.h[i].offset);
                assert_int_equal(hs.h[i].length, ref.h[i].length);
                assert_int_equal(hs.h[i].line, ref.h[i].line);
                assert_int_equal(hs.h[i].column, ref.h[i].column);
            }
        }
    }
    scan_simd_set(SCAN_SIMD_AUTO);
}

/* A number is found wherever it sits relative to the 32/64-byte blocks of the fast path. */
static void test_scan__block_edges(void **state)
{
    (void)state;
    static const char *const forms[] = {"123456789018", "1234 5678 9018",
                                        "1234\u30005678\u30009018", "１２３４５６７８９０１８",
                                        "1234-5678\u22129018"};
    enum scan_simd levels[] = {SCAN_SIMD_PORTABLE, SCAN_SIMD_SSE2, SCAN_SIMD_AVX2};
    char buf[256];
    for (size_t l = 0; l < MNV_ARRAY_LEN(levels); l++) {
        scan_simd_set(levels[l]);
        for (size_t f = 0; f < MNV_ARRAY_LEN(forms); f++) {
            for (size_t pad = 0; pad < 140; pad++) {
                size_t k = strlen(forms[f]);
                memset(buf, '#', pad); /* not letters: glued letters make identifiers */
                memcpy(buf + pad, forms[f], k);
                /* Text after it too, so that the number falls inside the SIMD windows
                 * (the last 64 bytes of a buffer go through the scalar path). */
                for (size_t tail = 0; tail < 70; tail += 23) {
                    memset(buf + pad + k, '!', 70);
                    buf[pad + k + tail] = '\0';
                    if (count_in(buf) != 1)
                        fail_msg("level %d form %zu pad %zu tail %zu: not found", (int)levels[l], f,
                                 pad, tail);
                }
            }
        }
    }
    scan_simd_set(SCAN_SIMD_AUTO);
}

struct file_log {
    size_t findings, problems, files;
    enum scan_format format;
    char member[64];
};

static int file_finding(void *ud, const struct scan_place *p, const struct scan_finding *f)
{
    struct file_log *l = ud;
    (void)f;
    l->findings++;
    if (p->depth > 0)
        snprintf(l->member, sizeof(l->member), "%s", p->members[p->depth - 1]);
    return 0;
}

static void file_problem(void *ud, const struct scan_place *p, enum mnv_err err,
                         const struct mnv_diag *d)
{
    struct file_log *l = ud;
    (void)p;
    (void)err;
    (void)d;
    l->problems++;
}

static void file_done(void *ud, const char *path, const struct scan_file_result *r)
{
    struct file_log *l = ud;
    (void)path;
    l->files++;
    l->format = r->format;
}

static void test_scan__memory_files(void **state)
{
    (void)state;
    struct scan_opts o = opts_kind(MYNUMBER_INDIVIDUAL);
    const struct scan_handler h = {file_finding, file_problem, NULL, file_done};
    struct file_log l;

    memset(&l, 0, sizeof(l));
    assert_int_equal(scan_memory("番号123456789018", strlen("番号123456789018"), "t", &o, &h, &l),
                     MNV_OK);
    assert_int_equal(l.findings, 1);
    assert_int_equal(l.files, 1);
    assert_int_equal(l.format, SCAN_FMT_TEXT);

    /* Damaged containers are problems, never silently nothing. */
    memset(&l, 0, sizeof(l));
    assert_int_equal(scan_memory("PK\x03\x04garbage", 11, "z", &o, &h, &l), MNV_OK);
    assert_int_equal(l.problems, 1);
    assert_int_equal(l.format, SCAN_FMT_ZIP);
    memset(&l, 0, sizeof(l));
    assert_int_equal(scan_memory("%PDF-1.4\nnot really", 19, "p", &o, &h, &l), MNV_OK);
    assert_int_equal(l.problems, 1);
    assert_int_equal(l.format, SCAN_FMT_PDF);

    memset(&l, 0, sizeof(l));
    assert_int_equal(scan_memory("", 0, "e", &o, &h, &l), MNV_OK);
    assert_int_equal(l.format, SCAN_FMT_EMPTY);
    assert_int_equal(l.files, 1);
}

static void test_scan__encoding_names(void **state)
{
    (void)state;
    enum scan_encoding all[] = {SCAN_ENC_UTF8,    SCAN_ENC_CP932,  SCAN_ENC_UTF16LE,
                                SCAN_ENC_UTF16BE, SCAN_ENC_BINARY, SCAN_ENC_AUTO};
    for (size_t i = 0; i < MNV_ARRAY_LEN(all); i++) {
        enum scan_encoding e;
        assert_int_equal(scan_encoding_parse(scan_encoding_name(all[i]), &e), 0);
        assert_int_equal(e, all[i]);
    }
    enum scan_encoding e;
    assert_int_equal(scan_encoding_parse("Shift_JIS", &e), 0);
    assert_int_equal(e, SCAN_ENC_CP932);
    assert_int_equal(scan_encoding_parse("latin1", &e), -1);
}

/* A file that shrinks while it is mapped: SIGBUS becomes "the file changed", not a crash. */
struct shrink {
    const char *path;
    size_t findings, problems, done;
    enum mnv_err err;
};

static int shrink_finding(void *ud, const struct scan_place *p, const struct scan_finding *f)
{
    struct shrink *s = ud;
    (void)p;
    (void)f;
    if (s->findings++ == 0)
        assert_int_equal(truncate(s->path, 0), 0);
    return 0;
}

static void shrink_problem(void *ud, const struct scan_place *p, enum mnv_err err,
                           const struct mnv_diag *d)
{
    struct shrink *s = ud;
    (void)p;
    (void)d;
    s->problems++;
    s->err = err;
}

static void shrink_done(void *ud, const char *path, const struct scan_file_result *r)
{
    struct shrink *s = ud;
    (void)path;
    (void)r;
    s->done++;
}

static void test_scan__file_shrinks_while_read(void **state)
{
    (void)state;
    char path[] = "/tmp/mnvault-scan-shrink-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs("個人番号 123456789018\n", f);
    for (int i = 0; i < 100000; i++)
        fputs("filler line without numbers, long enough to span many pages\n", f);
    fputs("621498320257\n", f);
    assert_int_equal(fclose(f), 0);

    struct scan_opts o = opts_kind(MYNUMBER_INDIVIDUAL);
    const struct scan_handler h = {shrink_finding, shrink_problem, NULL, shrink_done};
    struct shrink s = {path, 0, 0, 0, MNV_OK};
    assert_int_equal(scan_path(path, &o, &h, &s), MNV_OK);
    assert_int_equal(s.findings, 1);
    assert_int_equal(s.problems, 1);
    assert_int_equal(s.err, MNV_ERR_SCAN_CHANGED);
    assert_int_equal(s.done, 1);
    unlink(path);
}
