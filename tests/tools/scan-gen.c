/*
 * scan-gen: test data for `mnvault scan`, generated (no fixtures of unknown origin).
 *
 *   scan-gen fixtures DIR
 *       Writes the same kind of document in every encoding the scanner reads (UTF-8 with and
 *       without BOM, CP932, UTF-16LE/BE with and without BOM, CRLF), each with My Numbers
 *       planted in every written form (plain, 4-4-4 with every separator, full-width,
 *       mixed, glued to kanji, kana and letters, at the start and end of lines and of the
 *       file) and decoys (wrong check digit, 11 and 13 digits, longer runs, 4-4-4-4,
 *       corporate numbers, wrong groupings and separators). DIR/expected.txt lists every
 *       planted number as NAME:LINE:COLUMN:LAST4 (column in characters); no decoy is
 *       listed. DIR/corp.txt has corporate and individual numbers, with
 *       DIR/expected-corp.txt and DIR/expected-corp-individual.txt. DIR/numbers.txt lists
 *       every planted and decoy digit string (12 or 13 digits), so a test can check that
 *       no output shows one.
 *
 *   scan-gen corpus FILE MEGABYTES
 *       A benchmark corpus: mixed Japanese and ASCII text (prose, logs, CSV rows full of
 *       dates, times, amounts and phone numbers) with planted numbers in every UTF-8 form
 *       and decoys. Prints how many were planted, and how many of them are plain ASCII
 *       (the only ones a digit-boundary regex can see).
 *
 * Everything comes from a fixed-seed generator, so runs are reproducible.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mnvault/mynumber.h"

static uint64_t rng_state = 0x6D6E7661756C7421ULL;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static unsigned rn(unsigned n)
{
    return (unsigned)(rnd() % n);
}

/* ---- numbers ------------------------------------------------------------------------- */

static void valid_individual(char d[13])
{
    for (int i = 0; i < 11; i++)
        d[i] = (char)('0' + rn(10));
    int c = numtext_check_digit_individual(d);
    d[11] = (char)('0' + c);
    d[12] = 0;
}

static void wrong_individual(char d[13])
{
    valid_individual(d);
    d[11] = (char)('0' + (d[11] - '0' + 1 + rn(9)) % 10);
}

static void valid_corporate(char d[14])
{
    for (int i = 1; i < 13; i++)
        d[i] = (char)('0' + rn(10));
    d[0] = (char)('0' + numtext_check_digit_corporate(d + 1));
    d[13] = 0;
}

static void random_digits(char *d, int n)
{
    for (int i = 0; i < n; i++)
        d[i] = (char)('0' + rn(10));
    d[n] = 0;
}

/* ---- building lines, counting characters --------------------------------------------- */

struct doc {
    char *p;
    size_t n, cap;
    long line, col; /* where the next character goes: 1-based line, 0-based column */
};

static void put(struct doc *d, const char *s)
{
    size_t k = strlen(s);
    if (d->n + k + 1 > d->cap) {
        while (d->n + k + 1 > d->cap)
            d->cap = d->cap ? d->cap * 2 : 1 << 16;
        d->p = realloc(d->p, d->cap);
        if (!d->p) {
            perror("scan-gen");
            exit(99);
        }
    }
    memcpy(d->p + d->n, s, k + 1);
    d->n += k;
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        if (*u == '\n') {
            d->line++;
            d->col = 0;
        } else if ((*u & 0xC0) != 0x80) {
            d->col++;
        }
    }
}

static void nl(struct doc *d)
{
    put(d, "\n");
}

/* A digit in ASCII or full-width form. */
static void put_digit(struct doc *d, char c, int wide)
{
    char buf[4] = {c, 0, 0, 0};
    if (wide) {
        buf[0] = (char)0xEF;
        buf[1] = (char)0xBC;
        buf[2] = (char)(0x90 + (c - '0'));
        buf[3] = 0;
    }
    put(d, buf);
}

/* Digit width: 0 ASCII, 1 full-width, 2 mixed (per group). */
static void put_digits(struct doc *d, const char *s, int n, int width, int group)
{
    for (int i = 0; i < n; i++)
        put_digit(d, s[i], width == 1 || (width == 2 && group % 2 == 1));
}

/* Separators; the CP932 documents use only those CP932 can hold. */
/* The separators of numtext.h (those CP932 can write, for CP932). */
static const char *const seps_all[] = {" ",      "\t",     "-",      "\u3000", "\uFF0D",
                                       "\u2010", "\u2011", "\u2012", "\u2013", "\u2014",
                                       "\u2015", "\u2212", "\u30FC", "\uFF70"};
static const char *const seps_cp932[] = {" ",      "\t",     "-",      "\u3000", "\uFF0D",
                                         "\u2010", "\u2015", "\u30FC", "\uFF70"};

struct gen {
    struct doc doc;
    FILE *expected; /* NAME:LINE:COLUMN:LAST4 */
    FILE *numbers;  /* every digit string planted */
    const char *name;
    int cp932;
};

static const char *pick_sep(const struct gen *g)
{
    if (g->cp932)
        return seps_cp932[rn(MNV_ARRAY_LEN(seps_cp932))];
    return seps_all[rn(MNV_ARRAY_LEN(seps_all))];
}

/* Write a number: plain (sep NULL) or grouped 4-4-4 / 1-4-4-4. */
static void put_number(struct doc *d, const char *digits, int width, const char *sep1,
                       const char *sep2, const char *sep3)
{
    size_t n = strlen(digits);
    if (!sep1) {
        put_digits(d, digits, (int)n, width, 0);
        return;
    }
    const char *s = digits;
    int g = 0;
    if (n == 13) {
        put_digits(d, s, 1, width, g++);
        put(d, sep3);
        s++;
    }
    put_digits(d, s, 4, width, g++);
    put(d, sep1);
    put_digits(d, s + 4, 4, width, g++);
    put(d, sep2);
    put_digits(d, s + 8, 4, width, g++);
}

/* Plant a number that must be found here: note where it starts. */
static void plant(struct gen *g, const char *digits, int width, const char *sep1, const char *sep2,
                  const char *sep3, FILE *exp)
{
    size_t n = strlen(digits);
    if (exp)
        fprintf(exp, "%s:%ld:%ld:%s\n", g->name, g->doc.line, g->doc.col + 1, digits + n - 4);
    fprintf(g->numbers, "%s\n", digits);
    put_number(&g->doc, digits, width, sep1, sep2, sep3);
}

static void decoy(struct gen *g, const char *text)
{
    for (const char *p = text; *p; p++)
        if (*p >= '0' && *p <= '9' && (p == text || p[-1] < '0' || p[-1] > '9')) {
            size_t k = strspn(p, "0123456789");
            if (k >= 12)
                fprintf(g->numbers, "%.*s\n", (int)k, p);
        }
    put(&g->doc, text);
}

/* ---- the fixture document ------------------------------------------------------------ */

static const char *const before_glue[] = {
    "番号", "ばんごう", "ID", "No.", "個人番号：", "(", "「", "\t", "マイナンバー", "x", "＃", ""};
static const char *const after_glue[] = {"です", "号", "abc", ")", "」", "\t", "。", ",", "ｶﾞ", ""};

static void plant_forms(struct gen *g)
{
    char d[14];
    /* Plain, every width, at the very start of a line. */
    for (int w = 0; w < 3; w++) {
        valid_individual(d);
        plant(g, d, w, NULL, NULL, NULL, g->expected);
        put(&g->doc, " は登録済み");
        nl(&g->doc);
    }
    /* Grouped with every separator, in every width, glued to text on both sides. */
    const char *const *seps = g->cp932 ? seps_cp932 : seps_all;
    size_t nseps = g->cp932 ? MNV_ARRAY_LEN(seps_cp932) : MNV_ARRAY_LEN(seps_all);
    for (size_t s = 0; s < nseps; s++) {
        for (int w = 0; w < 3; w++) {
            valid_individual(d);
            put(&g->doc, before_glue[rn(MNV_ARRAY_LEN(before_glue))]);
            plant(g, d, w, seps[s], seps[s], NULL, g->expected);
            put(&g->doc, after_glue[rn(MNV_ARRAY_LEN(after_glue))]);
            nl(&g->doc);
        }
    }
    /* Two different separators in one number, and plain numbers glued to every kind of
     * neighbour, several to a line. */
    for (int i = 0; i < 12; i++) {
        valid_individual(d);
        put(&g->doc, "氏名 山田太郎 ");
        plant(g, d, rn(3), pick_sep(g), pick_sep(g), NULL, g->expected);
        put(&g->doc, " / ");
        valid_individual(d);
        put(&g->doc, before_glue[i % MNV_ARRAY_LEN(before_glue)]);
        plant(g, d, rn(3), NULL, NULL, NULL, g->expected);
        put(&g->doc, after_glue[i % MNV_ARRAY_LEN(after_glue)]);
        nl(&g->doc);
    }
    /* After a date: "2024-01-15 123456789018" is one token of four groups. */
    valid_individual(d);
    put(&g->doc, "2024-01-15 ");
    plant(g, d, 0, NULL, NULL, NULL, g->expected);
    put(&g->doc, " 受付");
    nl(&g->doc);
    /* A grouped number whose neighbour groups use another separator. */
    valid_individual(d);
    put(&g->doc, "TEL 03-1234-5678 ");
    plant(g, d, 0, "-", "-", NULL, g->expected);
    nl(&g->doc);
    if (!g->cp932) {
        /* Characters outside the BMP (surrogate pairs in UTF-16) before a number. */
        valid_individual(d);
        put(&g->doc, "𠮷野家 𠮷田 ");
        plant(g, d, 1, NULL, NULL, NULL, g->expected);
        nl(&g->doc);
    }
}

static void plant_decoys(struct gen *g)
{
    char d[14], e[14], buf[256];
    for (int i = 0; i < 4; i++) {
        wrong_individual(d);
        decoy(g, "wrong check digit ");
        fprintf(g->numbers, "%s\n", d);
        put_number(&g->doc, d, i % 3, i % 2 ? "-" : NULL, "-", NULL);
        nl(&g->doc);
    }
    random_digits(d, 11);
    snprintf(buf, sizeof(buf), "eleven %s digits", d);
    decoy(g, buf);
    nl(&g->doc);
    valid_corporate(d);
    snprintf(buf, sizeof(buf), "法人番号 %s は個人番号ではない", d);
    decoy(g, buf);
    nl(&g->doc);
    valid_corporate(d);
    decoy(g, "法人番号 ");
    fprintf(g->numbers, "%s\n", d);
    put_number(&g->doc, d, 1, "\u3000", "\u3000", "\u3000");
    nl(&g->doc);
    /* Valid individual numbers inside longer runs, ASCII and full-width neighbours. */
    valid_individual(d);
    snprintf(buf, sizeof(buf), "9%s", d);
    decoy(g, buf);
    put(&g->doc, " ");
    valid_individual(d);
    fprintf(g->numbers, "%s\n", d);
    put_number(&g->doc, d, 0, NULL, NULL, NULL);
    put_digit(&g->doc, '7', 1);
    put(&g->doc, " ");
    valid_individual(d);
    fprintf(g->numbers, "%s\n", d);
    put_digit(&g->doc, '3', 1);
    put_number(&g->doc, d, 1, NULL, NULL, NULL);
    nl(&g->doc);
    /* 4-4-4-4 (a card number) in both directions, and long grouped runs. */
    valid_individual(d);
    fprintf(g->numbers, "%s\n", d);
    put_number(&g->doc, d, 0, " ", " ", NULL);
    put(&g->doc, " 1111");
    put(&g->doc, " カード ");
    valid_individual(d);
    fprintf(g->numbers, "%s\n", d);
    put(&g->doc, "4111-");
    put_number(&g->doc, d, 0, "-", "-", NULL);
    nl(&g->doc);
    /* Wrong groupings and separators that do not join groups. */
    valid_individual(d);
    snprintf(buf, sizeof(buf), "%.3s %.4s %.5s / %.4s_%.4s_%.4s / %.4s.%.4s.%.4s", d, d + 3, d + 7,
             d, d + 4, d + 8, d, d + 4, d + 8);
    decoy(g, buf);
    put(&g->doc, " / ");
    put_number(&g->doc, d, 0, "  ", "  ", NULL);
    fprintf(g->numbers, "%s\n", d);
    nl(&g->doc);
    /* 13 and 14 digits made of a valid number plus one digit. */
    valid_individual(d);
    memcpy(e, d, 13);
    snprintf(buf, sizeof(buf), "%s0 と 12%s", e, e);
    decoy(g, buf);
    nl(&g->doc);
}

static void fixture_doc(struct gen *g, int final_number)
{
    char d[14];
    put(&g->doc, "社員台帳 (テスト用に生成したデータ)");
    nl(&g->doc);
    plant_forms(g);
    plant_decoys(g);
    plant_forms(g);
    put(&g->doc, "末尾: ");
    if (final_number) { /* the file ends right after the number, no newline */
        valid_individual(d);
        plant(g, d, 0, NULL, NULL, NULL, g->expected);
    }
}

/* ---- encodings ----------------------------------------------------------------------- */

static void write_file(const char *dir, const char *name, const char *data, size_t n)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "scan-gen: cannot write %s: %s\n", path, strerror(errno));
        exit(99);
    }
}

/* Convert with iconv; a character the target lacks is a bug in the generator. */
static char *convert(const char *to, const char *in, size_t n, size_t *outn)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    if (cd == (iconv_t)-1) {
        fprintf(stderr, "scan-gen: iconv cannot convert to %s\n", to);
        exit(99);
    }
    size_t cap = n * 4 + 16, left = cap, inleft = n;
    char *out = malloc(cap), *op = out;
    char *ip = (char *)(uintptr_t)in;
    if (!out || iconv(cd, &ip, &inleft, &op, &left) == (size_t)-1) {
        fprintf(stderr, "scan-gen: conversion to %s failed at byte %zu: %s\n", to, n - inleft,
                strerror(errno));
        exit(99);
    }
    iconv_close(cd);
    *outn = cap - left;
    return out;
}

static void encoded(const char *dir, const char *name, const char *to, const char *bom,
                    size_t bomlen, const struct doc *d)
{
    size_t n;
    char *body = convert(to, d->p, d->n, &n);
    char *all = malloc(n + bomlen);
    memcpy(all, bom, bomlen);
    memcpy(all + bomlen, body, n);
    write_file(dir, name, all, n + bomlen);
    free(body);
    free(all);
}

/* One document per file; they differ (random numbers), each with its expected lines. */
static struct gen *gen_new(FILE *exp, FILE *nums, const char *name, int cp932)
{
    struct gen *g = calloc(1, sizeof(*g));
    g->doc.line = 1;
    g->expected = exp;
    g->numbers = nums;
    g->name = name;
    g->cp932 = cp932;
    return g;
}

static void gen_free(struct gen *g)
{
    free(g->doc.p);
    free(g);
}

static char *crlf(const struct doc *d, size_t *n)
{
    char *out = malloc(d->n * 2 + 1);
    size_t o = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (d->p[i] == '\n')
            out[o++] = '\r';
        out[o++] = d->p[i];
    }
    *n = o;
    return out;
}

static void corp_doc(const char *dir, FILE *nums)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/expected-corp.txt", dir);
    FILE *ec = fopen(path, "w");
    snprintf(path, sizeof(path), "%s/expected-corp-individual.txt", dir);
    FILE *ei = fopen(path, "w");
    if (!ec || !ei) {
        perror("scan-gen");
        exit(99);
    }
    struct gen *g = gen_new(NULL, nums, "corp.txt", 0);
    char d[14];
    for (int i = 0; i < 6; i++) {
        valid_corporate(d);
        put(&g->doc, "法人番号");
        plant(g, d, i % 3, i < 3 ? NULL : pick_sep(g), pick_sep(g), pick_sep(g), ec);
        put(&g->doc, " 株式会社テスト / 個人 ");
        valid_individual(d);
        plant(g, d, i % 3, i % 2 ? NULL : "-", "-", NULL, ei);
        nl(&g->doc);
    }
    /* A wrong corporate check digit and a 14-digit run. */
    valid_corporate(d);
    d[0] = (char)('1' + (d[0] - '1' + 1) % 9);
    decoy(g, "誤り ");
    decoy(g, d);
    valid_corporate(d);
    put(&g->doc, " 長すぎ 5");
    decoy(g, d);
    nl(&g->doc);
    write_file(dir, "corp.txt", g->doc.p, g->doc.n);
    gen_free(g);
    fclose(ec);
    fclose(ei);
}

static int fixtures(const char *dir)
{
    char path[4096];
    mkdir(dir, 0755);
    snprintf(path, sizeof(path), "%s/expected.txt", dir);
    FILE *exp = fopen(path, "w");
    snprintf(path, sizeof(path), "%s/numbers.txt", dir);
    FILE *nums = fopen(path, "w");
    if (!exp || !nums) {
        perror("scan-gen");
        return 99;
    }
    static const struct {
        const char *name, *to, *bom;
        size_t bomlen;
        int cp932, final;
    } files[] = {
        {"utf8.txt", "UTF-8", "", 0, 0, 1},
        {"utf8-bom.txt", "UTF-8", "\xEF\xBB\xBF", 3, 0, 0},
        {"cp932.txt", "CP932", "", 0, 1, 1},
        {"utf16le-bom.txt", "UTF-16LE", "\xFF\xFE", 2, 0, 1},
        {"utf16le.txt", "UTF-16LE", "", 0, 0, 0},
        {"utf16be-bom.txt", "UTF-16BE", "\xFE\xFF", 2, 0, 0},
        {"utf16be.txt", "UTF-16BE", "", 0, 0, 1},
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(files); i++) {
        struct gen *g = gen_new(exp, nums, files[i].name, files[i].cp932);
        fixture_doc(g, files[i].final);
        encoded(dir, files[i].name, files[i].to, files[i].bom, files[i].bomlen, &g->doc);
        gen_free(g);
    }
    /* CRLF line ends: same positions (CR is not counted as a column after the number). */
    struct gen *g = gen_new(exp, nums, "crlf.txt", 0);
    fixture_doc(g, 1);
    size_t n;
    char *c = crlf(&g->doc, &n);
    write_file(dir, "crlf.txt", c, n);
    free(c);
    gen_free(g);
    /* CP932 with a long ASCII start, so detection must look past it. */
    g = gen_new(exp, nums, "cp932-late.txt", 1);
    for (int i = 0; i < 3000; i++) {
        put(&g->doc, "plain ASCII header line, nothing to see here");
        nl(&g->doc);
    }
    fixture_doc(g, 0);
    encoded(dir, "cp932-late.txt", "CP932", "", 0, &g->doc);
    gen_free(g);

    corp_doc(dir, nums);
    if (fclose(exp) != 0 || fclose(nums) != 0)
        return 99;
    return 0;
}

/* ---- the benchmark corpus ------------------------------------------------------------ */

static const char *const words[] = {
    "本日",
    "申請書",
    "受領",
    "しました",
    "山田太郎",
    "様",
    "の",
    "扶養控除等申告書",
    "について",
    "確認",
    "お願いします",
    "提出期限",
    "は",
    "です",
    "源泉徴収票",
    "を",
    "送付",
    "いたします",
    "人事部",
    "総務課",
    "給与",
    "支払",
    "社会保険",
    "届出",
    "会議室",
    "予約",
    "承知しました",
    "よろしく",
    "お願い申し上げます",
    "。",
    "、",
    "（",
    "）",
    "「",
    "」",
    "！",
    "？",
    "：",
    "ﾃｽﾄ",
    "データ",
    "ファイル",
    "添付",
    "メール",
    "東京都",
    "千代田区",
    "大阪市",
    "株式会社",
};
static const char *const ascii_words[] = {
    "INFO",        "WARN",    "DEBUG",     "request",
    "user",        "session", "completed", "failed",
    "retry",       "worker",  "queue",     "upload",
    "report.xlsx", "GET",     "POST",      "/api/v1/employees",
    "status",
};

static void corpus_prose(struct doc *d)
{
    char buf[64];
    int n = 6 + (int)rn(14);
    for (int i = 0; i < n; i++) {
        switch (rn(12)) {
        case 0:
            snprintf(buf, sizeof(buf), "%u年%u月%u日", 2015 + rn(12), 1 + rn(12), 1 + rn(28));
            put(d, buf);
            break;
        case 1:
            snprintf(buf, sizeof(buf), "%u,%03u円", 1 + rn(999), rn(1000));
            put(d, buf);
            break;
        case 2:
            snprintf(buf, sizeof(buf), "%u名", 1 + rn(300));
            put(d, buf);
            break;
        default:
            put(d, words[rn(MNV_ARRAY_LEN(words))]);
            break;
        }
    }
}

static void corpus_log(struct doc *d)
{
    char buf[160];
    snprintf(buf, sizeof(buf), "2024-%02u-%02uT%02u:%02u:%02u.%03uZ %s [%s-%u] id=%06x ",
             1 + rn(12), 1 + rn(28), rn(24), rn(60), rn(60), rn(1000), ascii_words[rn(3)],
             ascii_words[9 + rn(2)], rn(16), (unsigned)rn(1u << 24));
    put(d, buf);
    int n = 3 + (int)rn(6);
    for (int i = 0; i < n; i++) {
        put(d, ascii_words[rn(MNV_ARRAY_LEN(ascii_words))]);
        put(d, " ");
    }
    snprintf(buf, sizeof(buf), "took %ums bytes=%u", rn(5000), rn(1u << 20));
    put(d, buf);
}

static void corpus_csv(struct doc *d)
{
    char buf[200];
    snprintf(buf, sizeof(buf),
             "%u,山田,太郎,ヤマダ,タロウ,%u/%02u/%02u,東京都千代田区%u-%u-%u,0%u0-%04u-%04u,"
             "〒%03u-%04u,%u",
             rn(100000), 1950 + rn(55), 1 + rn(12), 1 + rn(28), 1 + rn(9), 1 + rn(20), 1 + rn(30),
             7 + rn(3), rn(10000), rn(10000), rn(1000), rn(10000), rn(1000000));
    put(d, buf);
}

/* Returns 1 when the planted number is plain ASCII (a regex with digit boundaries sees it). */
static int corpus_plant(struct doc *d)
{
    static const char *const seps[] = {" ", "-", "\u3000", "\uFF0D", "\u2010", "\u2212"};
    char num[14];
    valid_individual(num);
    put(d, before_glue[rn(MNV_ARRAY_LEN(before_glue))]);
    unsigned form = rn(4);
    int width = form == 0 ? 0 : (int)rn(3);
    const char *sep = form <= 1 ? NULL : seps[rn(MNV_ARRAY_LEN(seps))];
    put_number(d, num, width, sep, sep, NULL);
    put(d, after_glue[rn(MNV_ARRAY_LEN(after_glue))]);
    return !sep && width == 0;
}

static void corpus_decoy(struct doc *d)
{
    char num[15];
    switch (rn(4)) {
    case 0:
        wrong_individual(num);
        break;
    case 1:
        valid_corporate(num);
        break;
    case 2:
        random_digits(num, 11);
        break;
    default:
        random_digits(num, 14);
        break;
    }
    put(d, "参照番号 ");
    put(d, num);
}

static int corpus(const char *file, long megabytes)
{
    FILE *f = fopen(file, "wb");
    if (!f) {
        perror(file);
        return 99;
    }
    size_t target = (size_t)megabytes * 1024 * 1024, written = 0;
    unsigned long planted = 0, ascii_plain = 0, decoys = 0, lines = 0;
    struct doc d = {NULL, 0, 0, 1, 0};
    while (written < target) {
        d.n = 0;
        for (int i = 0; i < 4096; i++) {
            unsigned k = rn(1000);
            if (k < 5) {
                corpus_prose(&d);
                put(&d, " ");
                ascii_plain += (unsigned long)corpus_plant(&d);
                planted++;
            } else if (k < 10) {
                corpus_decoy(&d);
                decoys++;
            } else if (k < 400) {
                corpus_prose(&d);
            } else if (k < 750) {
                corpus_log(&d);
            } else {
                corpus_csv(&d);
            }
            nl(&d);
            lines++;
        }
        if (fwrite(d.p, 1, d.n, f) != d.n) {
            perror(file);
            return 99;
        }
        written += d.n;
    }
    free(d.p);
    if (fclose(f) != 0) {
        perror(file);
        return 99;
    }
    printf("bytes=%zu lines=%lu planted=%lu ascii_plain=%lu decoys=%lu\n", written, lines, planted,
           ascii_plain, decoys);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "fixtures") == 0)
        return fixtures(argv[2]);
    if (argc == 4 && strcmp(argv[1], "corpus") == 0)
        return corpus(argv[2], strtol(argv[3], NULL, 10));
    fprintf(stderr, "usage: scan-gen fixtures DIR | scan-gen corpus FILE MEGABYTES\n");
    return 2;
}
