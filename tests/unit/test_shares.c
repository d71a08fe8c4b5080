/* Unit tests for Shamir shares and share sheets. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/shares.h"

static int group_setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static void split_ok(unsigned char secret[SHARES_SECRET_LEN], int n, int k, struct share *out)
{
    randombytes_buf(secret, SHARES_SECRET_LEN);
    assert_int_equal(shares_split(secret, n, k, out), MNV_OK);
}

static void test_shares__split_range(void **state)
{
    (void)state;
    unsigned char s[SHARES_SECRET_LEN] = {1};
    struct share out[SHARES_MAX + 1];
    assert_int_equal(shares_split(s, 5, 1, out), MNV_ERR_RANGE);
    assert_int_equal(shares_split(s, 2, 3, out), MNV_ERR_RANGE);
    assert_int_equal(shares_split(s, SHARES_MAX + 1, 3, out), MNV_ERR_RANGE);
    assert_int_equal(shares_split(s, 0, 0, out), MNV_ERR_RANGE);
    assert_int_equal(shares_split(s, 2, 2, out), MNV_OK);
    assert_int_equal(shares_split(s, SHARES_MAX, SHARES_MAX, out), MNV_OK);
}

static void test_shares__split_fields(void **state)
{
    (void)state;
    unsigned char s[SHARES_SECRET_LEN];
    struct share a[5], b[5];
    split_ok(s, 5, 3, a);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(a[i].index, i + 1);
        assert_int_equal(a[i].n, 5);
        assert_int_equal(a[i].k, 3);
        assert_memory_equal(a[i].set_id, a[0].set_id, 8);
        assert_memory_not_equal(a[i].data, s, SHARES_SECRET_LEN);
    }
    assert_int_equal(shares_split(s, 5, 3, b), MNV_OK);
    assert_memory_not_equal(a[0].set_id, b[0].set_id, 8);
    assert_memory_not_equal(a[0].data, b[0].data, sizeof(a[0].data)); /* fresh randomness */
}

/* All C(5,3) = 10 subsets of a 3-of-5 split restore; so do all 4- and 5-subsets. */
static void test_shares__every_subset_of_three_restores(void **state)
{
    (void)state;
    unsigned char s[SHARES_SECRET_LEN], back[SHARES_SECRET_LEN];
    struct share all[5];
    split_ok(s, 5, 3, all);
    int restored = 0, larger = 0;
    for (unsigned mask = 0; mask < 32; mask++) {
        int bits = __builtin_popcount(mask);
        if (bits < 3)
            continue;
        struct share pick[5];
        int n = 0;
        for (int i = 0; i < 5; i++)
            if (mask & (1u << i))
                pick[n++] = all[i];
        assert_int_equal(shares_combine(pick, n, back), MNV_OK);
        assert_memory_equal(back, s, sizeof(s));
        if (bits == 3)
            restored++;
        else
            larger++;
    }
    assert_int_equal(restored, 10);
    assert_int_equal(larger, 6);
}

/* All C(5,2) = 10 pairs are refused, and the secret buffer is left wiped. */
static void test_shares__every_pair_is_too_few(void **state)
{
    (void)state;
    unsigned char s[SHARES_SECRET_LEN], back[SHARES_SECRET_LEN], zero[SHARES_SECRET_LEN] = {0};
    struct share all[5];
    split_ok(s, 5, 3, all);
    int refused = 0;
    for (int i = 0; i < 5; i++)
        for (int j = i + 1; j < 5; j++) {
            struct share pick[2] = {all[i], all[j]};
            memset(back, 0xAA, sizeof(back));
            assert_int_equal(shares_combine(pick, 2, back), MNV_ERR_SHARES_FEW);
            assert_memory_equal(back, zero, sizeof(back));
            refused++;
        }
    assert_int_equal(refused, 10);
    assert_int_equal(shares_combine(all, 1, back), MNV_ERR_SHARES_FEW);
    assert_int_equal(shares_combine(all, 0, back), MNV_ERR_SHARES_FEW);
    /* The same share three times is still one share. */
    struct share same[3] = {all[0], all[0], all[1]};
    assert_int_equal(shares_combine(same, 3, back), MNV_ERR_SHARES_FEW);
}

/* One corrupted share among k is always detected: every byte of every share position,
 * with a random nonzero change. */
static void test_shares__corrupted_share_detected(void **state)
{
    (void)state;
    unsigned char s[SHARES_SECRET_LEN], back[SHARES_SECRET_LEN], zero[SHARES_SECRET_LEN] = {0};
    struct share all[5];
    int detected = 0, tries = 0;
    for (int round = 0; round < 4; round++) {
        split_ok(s, 5, 3, all);
        for (int victim = 0; victim < 3; victim++)
            for (size_t byte = 0; byte < sizeof(all[0].data); byte++) {
                struct share pick[3] = {all[0], all[1 + round % 2], all[4]};
                pick[victim].data[byte] ^= (unsigned char)(1 + randombytes_uniform(255));
                tries++;
                enum mnv_err e = shares_combine(pick, 3, back);
                if (e == MNV_ERR_SHARES_BAD && memcmp(back, zero, sizeof(back)) == 0)
                    detected++;
            }
    }
    assert_int_equal(detected, tries);
    /* A wrong index, an index beyond n, or two different shares with one index. */
    struct share pick[3] = {all[0], all[1], all[2]};
    pick[1].index = 4;
    assert_int_equal(shares_combine(pick, 3, back), MNV_ERR_SHARES_BAD);
    pick[1].index = 9;
    assert_int_equal(shares_combine(pick, 3, back), MNV_ERR_SHARES_BAD);
    struct share twin[4] = {all[0], all[1], all[2], all[1]};
    twin[3].data[0] ^= 1;
    assert_int_equal(shares_combine(twin, 4, back), MNV_ERR_SHARES_BAD);
    /* A changed k, with the same set id. */
    struct share kk[3] = {all[0], all[1], all[2]};
    kk[2].k = 2;
    assert_int_equal(shares_combine(kk, 3, back), MNV_ERR_SHARES_BAD);
    /* A corrupted fourth share spoils an otherwise complete set too. */
    struct share four[4] = {all[0], all[1], all[2], all[3]};
    four[3].data[5] ^= 0x10;
    assert_int_equal(shares_combine(four, 4, back), MNV_ERR_SHARES_BAD);
}

static void test_shares__two_splits_do_not_mix(void **state)
{
    (void)state;
    unsigned char s1[SHARES_SECRET_LEN], s2[SHARES_SECRET_LEN], back[SHARES_SECRET_LEN];
    struct share a[5], b[5];
    split_ok(s1, 5, 3, a);
    memcpy(s2, s1, sizeof(s2)); /* even the same secret, split twice */
    assert_int_equal(shares_split(s2, 5, 3, b), MNV_OK);
    struct share mix[3] = {a[0], a[1], b[2]};
    assert_int_equal(shares_combine(mix, 3, back), MNV_ERR_SHARES_MIXED);
    struct share mix2[4] = {b[0], a[1], a[2], a[3]};
    assert_int_equal(shares_combine(mix2, 4, back), MNV_ERR_SHARES_MIXED);
    struct share two[2] = {a[0], b[1]};
    assert_int_equal(shares_combine(two, 2, back), MNV_ERR_SHARES_MIXED);
}

static void test_shares__other_sizes(void **state)
{
    (void)state;
    static const int nk[][2] = {{2, 2}, {3, 2}, {7, 4}, {SHARES_MAX, 9}, {SHARES_MAX, SHARES_MAX}};
    for (size_t c = 0; c < sizeof(nk) / sizeof(nk[0]); c++) {
        int n = nk[c][0], k = nk[c][1];
        unsigned char s[SHARES_SECRET_LEN], back[SHARES_SECRET_LEN];
        struct share all[SHARES_MAX], pick[SHARES_MAX];
        split_ok(s, n, k, all);
        /* the last k shares, in reverse order */
        for (int i = 0; i < k; i++)
            pick[i] = all[n - 1 - i];
        assert_int_equal(shares_combine(pick, k, back), MNV_OK);
        assert_memory_equal(back, s, sizeof(s));
        assert_int_equal(shares_combine(pick, k - 1, back), MNV_ERR_SHARES_FEW);
    }
}

/* ---- sheets ---------------------------------------------------------------------------- */

static void sheet(const struct share *s, const char *label, char out[2048])
{
    assert_int_equal(shares_format(s, label, out, 2048), 0);
}

static enum mnv_err parse(const char *text, struct share *out, struct mnv_diag *d)
{
    mnv_diag_clear(d);
    return shares_parse(text, strlen(text), out, d);
}

/* Line number (1-based) of the first row of groups ("1: ...") in a sheet. */
static int first_row_line(const char *text)
{
    int line = 1;
    for (const char *p = text; *p; p++) {
        if ((p == text || p[-1] == '\n') && p[0] == '1' && p[1] == ':')
            return line;
        if (*p == '\n')
            line++;
    }
    return -1;
}

static void test_shares__sheet_layout(void **state)
{
    (void)state;
    unsigned char sec[SHARES_SECRET_LEN];
    struct share all[5];
    char text[2048];
    split_ok(sec, 5, 3, all);
    sheet(&all[1], "ACME Corp", text);
    assert_non_null(strstr(text, "MNVAULT RECOVERY SHARE (format 1)\n"));
    assert_non_null(strstr(text, "Label: ACME Corp\n"));
    assert_non_null(strstr(text, "Share: 2 of 5, 3 needed\n"));
    char setline[64];
    snprintf(setline, sizeof(setline), "Set:   %02X%02X %02X%02X %02X%02X %02X%02X\n",
             all[1].set_id[0], all[1].set_id[1], all[1].set_id[2], all[1].set_id[3],
             all[1].set_id[4], all[1].set_id[5], all[1].set_id[6], all[1].set_id[7]);
    assert_non_null(strstr(text, setline));
    /* 4 rows of 6 groups of 5 characters, then the check line; all ASCII. */
    int row = first_row_line(text);
    assert_true(row > 0);
    const char *p = text;
    for (int l = 1; l < row; l++)
        p = strchr(p, '\n') + 1;
    for (int r = 1; r <= 4; r++) {
        char prefix[4];
        snprintf(prefix, sizeof(prefix), "%d:", r);
        assert_memory_equal(p, prefix, 2);
        const char *nl = strchr(p, '\n');
        assert_int_equal(nl - p, 2 + 6 * 6);
        for (const char *c = p + 2; c < nl; c += 6) {
            assert_int_equal(c[0], ' ');
            for (int i = 1; i <= 5; i++)
                assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", c[i]));
        }
        p = nl + 1;
    }
    assert_memory_equal(p, "\nCheck: ", 8);
    for (const char *c = text; *c; c++)
        assert_true((unsigned char)*c < 0x80);
    assert_int_equal(text[strlen(text) - 1], '\n');
    /* Without a label, no label line. */
    sheet(&all[1], NULL, text);
    assert_null(strstr(text, "Label:"));
    sheet(&all[1], "", text);
    assert_null(strstr(text, "Label:"));
}

static void test_shares__sheet_label_cleaned(void **state)
{
    (void)state;
    unsigned char sec[SHARES_SECRET_LEN];
    struct share all[2];
    char text[2048];
    split_ok(sec, 2, 2, all);
    sheet(&all[0], "株式会社 山田\nShare: 9 of 9\x1b[31m", text);
    assert_non_null(strstr(text, "Label: 株式会社 山田 Share: 9 of 9 [31m\n"));
    assert_non_null(strstr(text, "Share: 1 of 2, 2 needed"));
    char longlabel[300];
    memset(longlabel, 'x', sizeof(longlabel) - 1);
    longlabel[sizeof(longlabel) - 1] = '\0';
    sheet(&all[0], longlabel, text);
    char *l = strstr(text, "Label: ");
    assert_int_equal(strchr(l, '\n') - l, 7 + 64);
    sheet(&all[0], "bad \xff byte", text);
    assert_non_null(strstr(text, "Label: bad ? byte\n"));
    struct share back;
    struct mnv_diag d;
    assert_int_equal(parse(text, &back, &d), MNV_OK);
}

static void test_shares__format_small_buffer(void **state)
{
    (void)state;
    unsigned char sec[SHARES_SECRET_LEN];
    struct share all[2];
    char full[2048], small[2048];
    split_ok(sec, 2, 2, all);
    char label[65];
    memset(label, 'w', 64);
    label[64] = '\0';
    sheet(&all[0], label, full);
    size_t need = strlen(full) + 1;
    assert_true(need < 2048);
    memset(small, 'q', sizeof(small));
    assert_int_equal(shares_format(&all[0], label, small, need - 1), -1);
    for (size_t i = 0; i < need - 1; i++)
        assert_int_equal(small[i], 0); /* nothing of the share left behind */
    assert_int_equal(shares_format(&all[0], label, small, need), 0);
    assert_string_equal(small, full);
    assert_int_equal(shares_format(&all[0], label, small, 0), -1);
}

/* Every share of several splits survives format -> parse exactly, and combines. */
static void test_shares__round_trip(void **state)
{
    (void)state;
    static const int nk[][2] = {{5, 3}, {2, 2}, {SHARES_MAX, 7}};
    for (size_t c = 0; c < sizeof(nk) / sizeof(nk[0]); c++) {
        unsigned char sec[SHARES_SECRET_LEN], back[SHARES_SECRET_LEN];
        struct share all[SHARES_MAX], parsed[SHARES_MAX];
        int n = nk[c][0], k = nk[c][1];
        split_ok(sec, n, k, all);
        for (int i = 0; i < n; i++) {
            char text[2048];
            struct mnv_diag d;
            sheet(&all[i], "Example", text);
            assert_int_equal(parse(text, &parsed[i], &d), MNV_OK);
            assert_memory_equal(&parsed[i], &all[i], sizeof(all[i]));
        }
        assert_int_equal(shares_combine(parsed + n - k, k, back), MNV_OK);
        assert_memory_equal(back, sec, sizeof(sec));
    }
}

/* Copy of src without the characters in drop, each character of src through f. */
static void transform(const char *src, char *dst, const char *drop, int (*f)(int))
{
    for (; *src; src++)
        if (!strchr(drop, *src))
            *dst++ = (char)(f ? f((unsigned char)*src) : *src);
    *dst = '\0';
}

static int to_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static void test_shares__parse_forgives(void **state)
{
    (void)state;
    unsigned char sec[SHARES_SECRET_LEN];
    struct share all[3], back;
    struct mnv_diag d;
    char text[2048], t2[4096];
    split_ok(sec, 3, 2, all);
    sheet(&all[2], "ACME", text);

    transform(text, t2, "", to_lower);
    assert_int_equal(parse(t2, &back, &d), MNV_OK);
    assert_memory_equal(&back, &all[2], sizeof(back));

    /* Only the rows, without numbers or spaces, one long line. */
    const char *rows = text;
    for (int l = 1; l < first_row_line(text); l++)
        rows = strchr(rows, '\n') + 1;
    char only[512];
    size_t o = 0;
    for (const char *p = rows; *p && strncmp(p, "\nCheck", 6) != 0; p++) {
        if (p[0] >= '1' && p[0] <= '4' && p[1] == ':' && (p == rows || p[-1] == '\n')) {
            p++;
            continue;
        }
        if (*p != ' ' && *p != '\n')
            only[o++] = *p;
    }
    only[o] = '\0';
    assert_int_equal(strlen(only), 120);
    assert_int_equal(parse(only, &back, &d), MNV_OK);
    assert_memory_equal(&back, &all[2], sizeof(back));

    /* Irregular spacing, dashes, tabs, CRLF, the check line first, and O I B typed as
     * 0 1 8. */
    size_t t = 0;
    const char *chk = strstr(text, "Check: ");
    t += (size_t)snprintf(t2 + t, sizeof(t2) - t, "check:%.9s\r\n\r\n", chk + 7);
    for (size_t i = 0; i < 120; i++) {
        char c = only[i];
        c = c == 'O' ? '0' : c == 'I' ? '1' : c == 'B' ? '8' : c;
        t2[t++] = c;
        if (i % 7 == 3)
            t2[t++] = i % 2 ? '-' : '\t';
        if (i % 31 == 30) {
            t2[t++] = '\r';
            t2[t++] = '\n';
        }
    }
    t2[t] = '\0';
    assert_int_equal(parse(t2, &back, &d), MNV_OK);
    assert_memory_equal(&back, &all[2], sizeof(back));

    /* Headers given but with other notes mixed in, and a row prefix in other forms. */
    snprintf(t2, sizeof(t2), "Note: from the safe\n%.2048s\n", text);
    char *r1 = strstr(t2, "\n1:");
    r1[2] = ')';
    assert_int_equal(parse(t2, &back, &d), MNV_OK);
    assert_memory_equal(&back, &all[2], sizeof(back));
}

/* Every single substituted character is reported, at the line and column of its group. */
static void test_shares__typo_names_its_group(void **state)
{
    (void)state;
    static const char alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    unsigned char sec[SHARES_SECRET_LEN];
    struct share all[5], back;
    struct mnv_diag d;
    char text[2048], bad[2048];
    split_ok(sec, 5, 3, all);
    sheet(&all[3], "ACME", text);
    int row0 = first_row_line(text);
    int checked = 0;
    const char *lp = text;
    for (int line = 1; *lp; line++) {
        const char *nl = strchr(lp, '\n');
        if (line >= row0 && line < row0 + 4) {
            for (int g = 0; g < 6; g++) {
                long col0 = 4 + 6 * g; /* "1: " then groups of 5 and a space */
                for (int i = 0; i < 5; i++) {
                    size_t at = (size_t)(lp - text) + (size_t)col0 - 1 + (size_t)i;
                    for (int a = 0; a < 32; a++) {
                        if (alpha[a] == text[at])
                            continue;
                        memcpy(bad, text, sizeof(text));
                        bad[at] = alpha[a];
                        assert_int_equal(parse(bad, &back, &d), MNV_ERR_SHARES_TYPO);
                        assert_int_equal(d.line, line);
                        assert_int_equal(d.column, col0);
                        checked++;
                    }
                    if (i < 4) { /* two neighbours swapped */
                        memcpy(bad, text, sizeof(text));
                        bad[at] = text[at + 1];
                        bad[at + 1] = text[at];
                        if (bad[at] != bad[at + 1]) {
                            assert_int_equal(parse(bad, &back, &d), MNV_ERR_SHARES_TYPO);
                            assert_int_equal(d.line, line);
                            assert_int_equal(d.column, col0);
                        }
                    }
                }
            }
        }
        lp = nl + 1;
    }
    assert_int_equal(checked, 24 * 5 * 31);
    /* A character outside the alphabet: reported at its own column. */
    memcpy(bad, text, sizeof(text));
    size_t at = (size_t)(strstr(text, "\n3:") - text) + 1 + 13;
    bad[at] = '9';
    assert_int_equal(parse(bad, &back, &d), MNV_ERR_SHARES_TYPO);
    assert_int_equal(d.line, row0 + 2);
    assert_int_equal(d.column, 14);
    bad[at] = '?';
    assert_int_equal(parse(bad, &back, &d), MNV_ERR_SHARES_TYPO);
    assert_int_equal(d.column, 14);
}

static void test_shares__typo_other_places(void **state)
{
    (void)state;
    unsigned char sec[SHARES_SECRET_LEN];
    struct share all[5], back;
    struct mnv_diag d;
    char text[2048], bad[2048];
    split_ok(sec, 5, 3, all);
    sheet(&all[0], NULL, text);
    int row0 = first_row_line(text);
    /* The check line mistyped. */
    memcpy(bad, text, sizeof(text));
    char *c = strstr(bad, "Check: ") + 7;
    *c = *c == 'A' ? 'B' : 'A';
    assert_int_equal(parse(bad, &back, &d), MNV_ERR_SHARES_TYPO);
    assert_int_equal(d.line, row0 + 5);
    assert_int_equal(d.column, 8);
    /* The check line cut short. */
    memcpy(bad, text, sizeof(text));
    strcpy(strstr(bad, "Check: ") + 10, "\n");
    assert_int_equal(parse(bad, &back, &d), MNV_ERR_SHARES_TYPO);
    assert_int_equal(d.line, row0 + 5);
    /* ...or left out: accepted. */
    memcpy(bad, text, sizeof(text));
    *strstr(bad, "\nCheck: ") = '\0';
    assert_int_equal(parse(bad, &back, &d), MNV_OK);
    /* A group left out of row 3: named at that place. */
    memcpy(bad, text, sizeof(text));
    char *r3 = strstr(bad, "\n3:") + 3;
    memmove(r3 + 6, r3 + 12, strlen(r3 + 12) + 1);
    assert_int_equal(parse(bad, &back, &d), MNV_ERR_SHARES_TYPO);
    assert_int_equal(d.line, row0 + 2);
    assert_int_equal(d.column, 10);
    /* The last row missing: named after the last character typed. */
    memcpy(bad, text, sizeof(text));
    char *r4 = strstr(bad, "\n4:");
    memmove(r4, strchr(r4 + 1, '\n'), strlen(strchr(r4 + 1, '\n')) + 1);
    assert_int_equal(parse(bad, &back, &d), MNV_ERR_SHARES_TYPO);
    assert_int_equal(d.line, row0 + 2);
    assert_int_equal(d.column, 3 + 36);
    /* One character too many at the end of the last row. */
    memcpy(bad, text, sizeof(text));
    r4 = strstr(bad, "\n4:");
    char *end4 = strchr(r4 + 1, '\n');
    memmove(end4 + 1, end4, strlen(end4) + 1);
    *end4 = 'Q';
    assert_int_equal(parse(bad, &back, &d), MNV_ERR_SHARES_TYPO);
    assert_int_equal(d.line, row0 + 3);
    assert_int_equal(d.column, 39);
    /* A whole group repeated (typed twice): the next group no longer fits. */
    memcpy(bad, text, sizeof(text));
    char *r2 = strstr(bad, "\n2:") + 3;
    memmove(r2 + 6, r2, strlen(r2) + 1);
    assert_int_equal(parse(bad, &back, &d), MNV_ERR_SHARES_TYPO);
    assert_int_equal(d.line, row0 + 1);
    /* Two check lines. */
    char twice[2100];
    snprintf(twice, sizeof(twice), "%.2048sCheck: AAAA AAAA\n", text);
    assert_int_equal(parse(twice, &back, &d), MNV_ERR_SHARES_TYPO);
}

static void test_shares__parse_not_a_share(void **state)
{
    (void)state;
    struct share back;
    struct mnv_diag d;
    static const char zero[sizeof(struct share)];
    assert_int_equal(parse("", &back, &d), MNV_ERR_SHARES_FORMAT);
    assert_int_equal(parse("\n\n  \n", &back, &d), MNV_ERR_SHARES_FORMAT);
    assert_int_equal(parse("MNVAULT RECOVERY SHARE (format 1)\nLabel: x\n", &back, &d),
                     MNV_ERR_SHARES_FORMAT);
    assert_int_equal(parse("hello world", &back, &d), MNV_ERR_SHARES_FORMAT);
    assert_memory_equal(&back, zero, sizeof(back));
    /* 24 groups that all pass their checks but hold a payload of another version. */
    unsigned char sec[SHARES_SECRET_LEN];
    struct share all[2];
    char text[2048];
    split_ok(sec, 2, 2, all);
    all[0].n = 1; /* n < k: written, but refused when read back */
    sheet(&all[0], NULL, text);
    assert_int_equal(parse(text, &back, &d), MNV_ERR_SHARES_FORMAT);
    char *big = calloc(1, 70000);
    assert_non_null(big);
    memset(big, 'A', 69999);
    assert_int_equal(shares_parse(big, 69999, &back, &d), MNV_ERR_SHARES_FORMAT);
    free(big);
}

/* Sheets of two splits parse, and are then refused together. */
static void test_shares__sheets_of_two_splits(void **state)
{
    (void)state;
    unsigned char s1[SHARES_SECRET_LEN], s2[SHARES_SECRET_LEN], back[SHARES_SECRET_LEN];
    struct share a[3], b[3], p[3];
    struct mnv_diag d;
    char text[2048];
    split_ok(s1, 3, 3, a);
    split_ok(s2, 3, 3, b);
    sheet(&a[0], NULL, text);
    assert_int_equal(parse(text, &p[0], &d), MNV_OK);
    sheet(&a[1], NULL, text);
    assert_int_equal(parse(text, &p[1], &d), MNV_OK);
    sheet(&b[2], NULL, text);
    assert_int_equal(parse(text, &p[2], &d), MNV_OK);
    assert_int_equal(shares_combine(p, 3, back), MNV_ERR_SHARES_MIXED);
}
