/* Unit tests for TOTP (RFC 6238), base32 and the otpauth URI. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/totp.h"

static int group_setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

/* The 6-digit code at t, as typed. */
static void code_text(const unsigned char *secret, time_t t, char out[7])
{
    long c = totp_code(secret, TOTP_SECRET_LEN, t, TOTP_SHA1, 6);
    assert_true(c >= 0);
    for (int i = 5; i >= 0; i--, c /= 10)
        out[i] = (char)('0' + c % 10);
    out[6] = '\0';
}

/* RFC 6238 Appendix B: 6 times x 3 hashes, 8 digits, the RFC's 20/32/64-byte keys. */
static void test_totp__rfc6238_vectors(void **state)
{
    (void)state;
    static const char k20[] = "12345678901234567890";
    static const char k32[] = "12345678901234567890123456789012";
    static const char k64[] = "1234567890123456789012345678901234567890"
                              "123456789012345678901234";
    static const struct {
        time_t t;
        long sha1, sha256, sha512;
    } v[] = {
        {59, 94287082, 46119246, 90693936},
        {1111111109, 7081804, 68084774, 25091201},
        {1111111111, 14050471, 67062674, 99943326},
        {1234567890, 89005924, 91819424, 93441116},
        {2000000000, 69279037, 90698825, 38618901},
        {(time_t)20000000000LL, 65353130, 77737706, 47863826},
    };
    int checked = 0;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        assert_int_equal(totp_code((const unsigned char *)k20, 20, v[i].t, TOTP_SHA1, 8),
                         v[i].sha1);
        assert_int_equal(totp_code((const unsigned char *)k32, 32, v[i].t, TOTP_SHA256, 8),
                         v[i].sha256);
        assert_int_equal(totp_code((const unsigned char *)k64, 64, v[i].t, TOTP_SHA512, 8),
                         v[i].sha512);
        checked += 3;
    }
    assert_int_equal(checked, 18);
    /* 6 digits are the last 6 of the 8. */
    assert_int_equal(totp_code((const unsigned char *)k20, 20, 59, TOTP_SHA1, 6), 287082);
}

static void test_totp__code_bad_arguments(void **state)
{
    (void)state;
    unsigned char k[20] = {1};
    assert_int_equal(totp_code(k, 0, 59, TOTP_SHA1, 6), -1);
    assert_int_equal(totp_code(k, 20, -1, TOTP_SHA1, 6), -1);
    assert_int_equal(totp_code(k, 20, 59, TOTP_SHA1, 5), -1);
    assert_int_equal(totp_code(k, 20, 59, TOTP_SHA1, 9), -1);
    assert_int_equal(totp_code(k, 20, 59, (enum totp_hash)7, 6), -1);
    assert_true(totp_code(k, 20, 0, TOTP_SHA1, 6) >= 0);
}

static void test_totp__secret_is_random(void **state)
{
    (void)state;
    unsigned char a[TOTP_SECRET_LEN], b[TOTP_SECRET_LEN], zero[TOTP_SECRET_LEN] = {0};
    assert_int_equal(TOTP_SECRET_LEN * 8, 160);
    totp_secret_new(a);
    totp_secret_new(b);
    assert_memory_not_equal(a, b, sizeof(a));
    assert_memory_not_equal(a, zero, sizeof(a));
}

/* Codes one step either side are accepted, two steps away refused. */
static void test_totp__window(void **state)
{
    (void)state;
    int tried = 0;
    for (int round = 0; round < 200; round++) {
        unsigned char s[TOTP_SECRET_LEN];
        totp_secret_new(s);
        time_t now = 1700000000 + (time_t)randombytes_uniform(100000000);
        char c[5][7];
        for (int d = -2; d <= 2; d++)
            code_text(s, now + d * TOTP_STEP, c[d + 2]);
        /* Skip the rare secret whose far codes collide with a near one. */
        int clash = 0;
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
                clash |= i != j && strcmp(c[i], c[j]) == 0;
        if (clash)
            continue;
        tried++;
        for (int d = -1; d <= 1; d++) {
            uint64_t last = 0;
            assert_int_equal(totp_verify(s, c[d + 2], now, &last), MNV_OK);
            assert_int_equal(last, (uint64_t)(now / TOTP_STEP + d));
        }
        uint64_t last = 0;
        assert_int_equal(totp_verify(s, c[0], now, &last), MNV_ERR_TOTP_WRONG);
        assert_int_equal(totp_verify(s, c[4], now, &last), MNV_ERR_TOTP_WRONG);
        assert_int_equal(last, 0);
    }
    assert_true(tried >= 190);
}

/* A code works once: 1,000 accepted codes each replayed (at the same moment and later in
 * the window), and older codes after a newer one, are all refused. */
static void test_totp__replay(void **state)
{
    (void)state;
    int replays = 0;
    for (int round = 0; round < 1000; round++) {
        unsigned char s[TOTP_SECRET_LEN];
        totp_secret_new(s);
        time_t now = 1600000000 + (time_t)randombytes_uniform(300000000);
        char cur[7], prev[7], next[7], next2[7];
        code_text(s, now, cur);
        code_text(s, now - TOTP_STEP, prev);
        code_text(s, now + TOTP_STEP, next);
        code_text(s, now + 2 * TOTP_STEP, next2);
        /* A later step with the same code (one in a million) would rightly be accepted. */
        if (strcmp(cur, next) == 0 || strcmp(cur, next2) == 0 || strcmp(prev, next) == 0) {
            round--;
            continue;
        }
        uint64_t last = 0;
        assert_int_equal(totp_verify(s, cur, now, &last), MNV_OK);
        uint64_t stored = last;
        enum mnv_err again = totp_verify(s, cur, now, &last);
        enum mnv_err later = totp_verify(s, cur, now + TOTP_STEP, &last);
        assert_int_equal(again, MNV_ERR_TOTP_REPLAY);
        assert_int_equal(later, MNV_ERR_TOTP_REPLAY);
        if (strcmp(prev, cur) != 0)
            assert_int_equal(totp_verify(s, prev, now, &last), MNV_ERR_TOTP_REPLAY);
        assert_int_equal(last, stored);
        replays++;
    }
    assert_int_equal(replays, 1000);
}

static void test_totp__typed_forms(void **state)
{
    (void)state;
    unsigned char s[TOTP_SECRET_LEN];
    memset(s, 0x42, sizeof(s));
    time_t now = 1800000000;
    char c[7], spaced[16];
    code_text(s, now, c);
    snprintf(spaced, sizeof(spaced), " %.3s %s ", c, c + 3);
    uint64_t last = 0;
    assert_int_equal(totp_verify(s, spaced, now, &last), MNV_OK);
    last = 0;
    char longer[8], shorter[6], letter[7];
    snprintf(longer, sizeof(longer), "%s1", c);
    snprintf(shorter, sizeof(shorter), "%.5s", c);
    memcpy(letter, c, 7);
    letter[2] = 'a';
    assert_int_equal(totp_verify(s, longer, now, &last), MNV_ERR_TOTP_WRONG);
    assert_int_equal(totp_verify(s, shorter, now, &last), MNV_ERR_TOTP_WRONG);
    assert_int_equal(totp_verify(s, letter, now, &last), MNV_ERR_TOTP_WRONG);
    assert_int_equal(totp_verify(s, "", now, &last), MNV_ERR_TOTP_WRONG);
    assert_int_equal(totp_verify(s, c, -5, &last), MNV_ERR_TOTP_WRONG);
    assert_int_equal(last, 0);
}

static void test_totp__step_zero_counts_as_used(void **state)
{
    (void)state;
    /* last_step 0 means "none", so a code for step 0 itself can never be accepted; the
     * first real step is 1970-01-01T00:00:30Z, so this matters only in tests. */
    unsigned char s[TOTP_SECRET_LEN];
    memset(s, 7, sizeof(s));
    char c[7];
    code_text(s, 5, c);
    uint64_t last = 0;
    enum mnv_err e = totp_verify(s, c, 5, &last);
    assert_true(e == MNV_ERR_TOTP_REPLAY || e == MNV_OK);
    if (e == MNV_OK)
        assert_true(last == 1); /* only if step 1's code happens to be the same */
}

/* Cross-check with oathtool for random secrets, times and hashes. */
static void test_totp__matches_oathtool(void **state)
{
    (void)state;
    enum { N = 300 };
    static const char *const names[] = {"sha1", "sha256", "sha512"};
    static unsigned char keys[N][64];
    static size_t keylen[N];
    static time_t when[N];
    static int hash[N], digits[N];
    char script[] = "/tmp/mnv-oath-XXXXXX";
    int fd = mkstemp(script);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    for (int i = 0; i < N; i++) {
        hash[i] = (int)randombytes_uniform(3);
        digits[i] = 6 + (int)randombytes_uniform(3);
        keylen[i] = i % 2 ? TOTP_SECRET_LEN : 10 + randombytes_uniform(55);
        randombytes_buf(keys[i], keylen[i]);
        when[i] = (time_t)randombytes_uniform(2000000000u) + (i % 7 == 0 ? 2200000000LL : 0);
        char b32[128];
        assert_true(totp_base32_encode(keys[i], keylen[i], b32, sizeof(b32)) > 0);
        fprintf(f, "oathtool --totp=%s -d %d -b -N @%lld %s || echo FAIL\n", names[hash[i]],
                digits[i], (long long)when[i], b32);
    }
    assert_int_equal(fclose(f), 0);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "sh %s 2>&1", script);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[128];
    int agreed = 0;
    for (int i = 0; i < N && fgets(line, sizeof(line), p); i++) {
        long want = strtol(line, NULL, 10);
        assert_int_equal((int)strlen(line), digits[i] + 1);
        long got = totp_code(keys[i], keylen[i], when[i], (enum totp_hash)hash[i], digits[i]);
        if (got != want)
            fail_msg("oathtool says %s for case %d, we say %ld", line, i, got);
        agreed++;
    }
    assert_int_equal(pclose(p), 0);
    unlink(script);
    assert_int_equal(agreed, N);
}

static void test_totp__base32_rfc4648(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } v[] = {{"", ""},
             {"f", "MY"},
             {"fo", "MZXQ"},
             {"foo", "MZXW6"},
             {"foob", "MZXW6YQ"},
             {"fooba", "MZXW6YTB"},
             {"foobar", "MZXW6YTBOI"}};
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        char out[32];
        unsigned char back[32];
        size_t n = strlen(v[i].in);
        assert_int_equal(totp_base32_encode((const unsigned char *)v[i].in, n, out, sizeof(out)),
                         (int)strlen(v[i].out));
        assert_string_equal(out, v[i].out);
        assert_int_equal(totp_base32_decode(v[i].out, back, sizeof(back)), (int)n);
        assert_memory_equal(back, v[i].in, n);
    }
    unsigned char b[16];
    /* Padding, lower case and spaces are accepted on input. */
    assert_int_equal(totp_base32_decode("mzxw 6yq=", b, sizeof(b)), 4);
    assert_memory_equal(b, "foob", 4);
    assert_int_equal(totp_base32_decode("MZXW6YTBOI======", b, sizeof(b)), 6);
}

static void test_totp__base32_round_trips(void **state)
{
    (void)state;
    for (int i = 0; i < 2000; i++) {
        unsigned char in[64], back[64];
        size_t n = randombytes_uniform(65);
        randombytes_buf(in, n);
        char out[8 * 13 + 1];
        int m = totp_base32_encode(in, n, out, sizeof(out));
        assert_int_equal(m, (int)((n * 8 + 4) / 5));
        assert_int_equal(totp_base32_decode(out, back, sizeof(back)), (int)n);
        assert_memory_equal(in, back, n);
    }
    unsigned char s[TOTP_SECRET_LEN];
    char b32[TOTP_BASE32_SIZE];
    totp_secret_new(s);
    assert_int_equal(totp_base32_encode(s, sizeof(s), b32, sizeof(b32)), 32);
}

static void test_totp__base32_bad_input(void **state)
{
    (void)state;
    unsigned char b[16];
    char out[8];
    assert_int_equal(totp_base32_decode("MZXW1", b, sizeof(b)), -1);  /* '1' */
    assert_int_equal(totp_base32_decode("MZXW0", b, sizeof(b)), -1);  /* '0' */
    assert_int_equal(totp_base32_decode("MZ-XW", b, sizeof(b)), -1);  /* '-' */
    assert_int_equal(totp_base32_decode("M", b, sizeof(b)), -1);      /* 1 char: no byte */
    assert_int_equal(totp_base32_decode("MZX", b, sizeof(b)), -1);    /* 3 chars */
    assert_int_equal(totp_base32_decode("MZXW6Y", b, sizeof(b)), -1); /* 6 chars */
    assert_int_equal(totp_base32_decode("MY", b, sizeof(b)), 1);
    assert_int_equal(totp_base32_decode("MZ", b, sizeof(b)), -1); /* unused bits set */
    assert_int_equal(totp_base32_decode("M3", b, sizeof(b)), -1); /* unused bits set */
    assert_int_equal(totp_base32_decode("MZXW6YTBOI", b, 5), -1); /* too small */
    assert_int_equal(totp_base32_decode("\xc3\xa9", b, sizeof(b)), -1);
    assert_int_equal(totp_base32_encode((const unsigned char *)"fooba", 5, out, 8), -1);
    assert_string_equal(out, "");
    char nine[9];
    assert_int_equal(totp_base32_encode((const unsigned char *)"fooba", 5, nine, 9), 8);
}

static void test_totp__uri(void **state)
{
    (void)state;
    unsigned char s[TOTP_SECRET_LEN];
    for (int i = 0; i < TOTP_SECRET_LEN; i++)
        s[i] = (unsigned char)i;
    char uri[512], b32[TOTP_BASE32_SIZE];
    assert_int_equal(totp_base32_encode(s, sizeof(s), b32, sizeof(b32)), 32);
    assert_int_equal(totp_uri(uri, sizeof(uri), "ACME 人事", "tanaka@hr", s), 0);
    char want[512];
    snprintf(want, sizeof(want),
             "otpauth://totp/ACME%%20%%E4%%BA%%BA%%E4%%BA%%8B:tanaka%%40hr?secret=%s"
             "&issuer=ACME%%20%%E4%%BA%%BA%%E4%%BA%%8B&algorithm=SHA1&digits=6&period=30",
             b32);
    assert_string_equal(uri, want);
    assert_int_equal(totp_uri(uri, sizeof(uri), "", "a:b&c=d?e", s), 0);
    snprintf(want, sizeof(want),
             "otpauth://totp/a%%3Ab%%26c%%3Dd%%3Fe?secret=%s&algorithm=SHA1&digits=6&period=30",
             b32);
    assert_string_equal(uri, want);
    /* Too small: refused, and nothing of the secret left behind. */
    size_t full = strlen(uri);
    char small[128];
    assert_int_equal(totp_uri(small, full, "", "a:b&c=d?e", s), -1);
    for (size_t i = 0; i < full; i++)
        assert_int_equal(small[i], 0);
    assert_int_equal(totp_uri(small, full + 1, "", "a:b&c=d?e", s), 0);
}
