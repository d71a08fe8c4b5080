/* Unit tests for the password policy. The common-password list is found through
 * $MNVAULT_SHAREDIR (tests/run points it at data/), cracklib's dictionary at its default. */
#include <fcntl.h>
#include <libintl.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/pwpolicy.h"
#include "mnvault/secmem.h"

static int group_setup(void **state)
{
    (void)state;
    if (sodium_init() < 0)
        return -1;
    /* Run from anywhere: fall back to the source tree's data/ beside the test binary. */
    if (!getenv("MNVAULT_SHAREDIR") && access("data/common-passwords.txt", R_OK) == 0)
        setenv("MNVAULT_SHAREDIR", "data", 1);
    return 0;
}

static enum mnv_err check(const char *pw, const char *user, int totp, struct mnv_diag *d)
{
    mnv_diag_clear(d);
    return pwpolicy_check(pw, strlen(pw), user, totp, d);
}

/* Nothing of the password in diag: where and item stay empty, detail holds at most the
 * minimum length. */
static void assert_diag_clean(const struct mnv_diag *d, enum mnv_err e)
{
    assert_string_equal(d->where, "");
    assert_string_equal(d->item, "");
    assert_int_equal(d->line, 0);
    assert_int_equal(d->column, 0);
    if (e == MNV_ERR_PW_SHORT)
        assert_true(strcmp(d->detail, "15") == 0 || strcmp(d->detail, "8") == 0);
    else
        assert_string_equal(d->detail, "");
}

static const struct pw_case {
    const char *pw, *user;
    int totp;
    enum mnv_err want;
} cases[] = {
    /* accepted: long phrases, Japanese, random strings, 8 characters with TOTP */
    {"correct horse battery staple", NULL, 0, MNV_OK},
    {"kawa no nagare ni hana ga chiru 2026", "tanaka", 0, MNV_OK},
    {"川の流れに花が散る二〇二六年の春", NULL, 0, MNV_OK},
    {"かわのながれにはながちる", NULL, 1, MNV_OK},
    {"my cat eats tuna on fridays", NULL, 0, MNV_OK},
    {"purple monkey dishwasher", "yamada", 0, MNV_OK},
    {"vX9#kq2!Lm7@pR4z", NULL, 0, MNV_OK},
    {"Tr0ub4dor&3", NULL, 1, MNV_OK},
    {"k7#Vq!2m", NULL, 1, MNV_OK},
    {"sakura tokyo hana neko", NULL, 0, MNV_OK},          /* four words: allowed */
    {"tea with hr at ten past nine", "hr", 0, MNV_OK},    /* 2-letter user names are ignored */
    {"abcdefgh1234!@#$xyzw", NULL, 1, MNV_ERR_PW_COMMON}, /* cracklib: too systematic */
    /* too short: code points, not bytes */
    {"", NULL, 0, MNV_ERR_PW_SHORT},
    {"short one", NULL, 0, MNV_ERR_PW_SHORT},
    {"vX9#kq2!Lm7@pR4", NULL, 0, MNV_OK},                        /* exactly 15 */
    {"vX9#kq2!Lm7@pR", NULL, 0, MNV_ERR_PW_SHORT},               /* 14 */
    {"川の流れに花が散る二〇二六年", NULL, 0, MNV_ERR_PW_SHORT}, /* 14 characters, 42 bytes */
    {"k7#Vq!2", NULL, 1, MNV_ERR_PW_SHORT},
    /* common: the list, its variants, full-width input, cracklib's "systematic" */
    {"password2024", NULL, 1, MNV_ERR_PW_COMMON},
    {"passwordpassword", NULL, 0, MNV_ERR_PW_COMMON},
    {"P@ssw0rd!P@ssw0rd!", NULL, 0, MNV_ERR_PW_COMMON},
    {"qwertyuiopasdfgh", NULL, 0, MNV_ERR_PW_COMMON},
    {"zaq12wsxcde34rfv", NULL, 0, MNV_ERR_PW_COMMON},
    {"1q2w3e4r5t6y7u8i", NULL, 0, MNV_ERR_PW_COMMON},
    {"Sakura2024!!!!!", NULL, 0, MNV_ERR_PW_COMMON},
    {"sakurasakura2024", NULL, 0, MNV_ERR_PW_COMMON},
    {"aishiteru12345678", NULL, 0, MNV_ERR_PW_COMMON},
    {"dragon2026dragon", NULL, 0, MNV_ERR_PW_COMMON},
    {"letmein!letmein!", NULL, 0, MNV_ERR_PW_COMMON},
    {"sakura tokyo hana", NULL, 0, MNV_ERR_PW_COMMON},
    {"hr dept payroll office", NULL, 0, MNV_ERR_PW_COMMON},
    {"ｐａｓｓｗｏｒｄ１２３４５６７８", NULL, 0, MNV_ERR_PW_COMMON},
    {"Ｐａｓｓｗｏｒｄ　２０２６", NULL, 1, MNV_ERR_PW_COMMON},
    {"abcabcabcabcabc", NULL, 0, MNV_ERR_PW_COMMON},
    {"2024202420242024", NULL, 0, MNV_ERR_PW_COMMON},
    {"aaaaaaaaaaaaaaab", NULL, 0, MNV_ERR_PW_COMMON},
    {"1234567890123456", NULL, 0, MNV_ERR_PW_COMMON},
    {"MyNumber-Kojinbangou", NULL, 0, MNV_ERR_PW_COMMON},
    /* dictionary words (cracklib), forwards and reversed */
    {"misunderstanding", NULL, 0, MNV_ERR_PW_DICTIONARY},
    {"Misunderstanding!", NULL, 0, MNV_ERR_PW_DICTIONARY},
    {"gnidnatsrednusim", NULL, 0, MNV_ERR_PW_DICTIONARY},
    {"responsibilities", NULL, 0, MNV_ERR_PW_DICTIONARY},
    {"extraordinary1", NULL, 1, MNV_ERR_PW_DICTIONARY},
    /* the user name, in any case, full width too */
    {"yamada-taro-2026!", "yamada", 0, MNV_ERR_PW_USERNAME},
    {"i am YAMADA and i like tea", "Yamada", 0, MNV_ERR_PW_USERNAME},
    {"ｙａｍａｄａ is my name ok", "yamada", 0, MNV_ERR_PW_USERNAME},
    {"the 山田太郎 of the office", "山田太郎", 0, MNV_ERR_PW_USERNAME},
    {"ann smith likes long walks", "ann", 0, MNV_ERR_PW_USERNAME},
};

static void test_pwpolicy__table(void **state)
{
    (void)state;
    int passed = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct mnv_diag d;
        enum mnv_err e = check(cases[i].pw, cases[i].user, cases[i].totp, &d);
        if (e != cases[i].want)
            fail_msg("case %zu \"%s\": got %s, want %s", i, cases[i].pw, mnv_err_name(e),
                     mnv_err_name(cases[i].want));
        assert_diag_clean(&d, e);
        passed++;
    }
    assert_int_equal(passed, (int)(sizeof(cases) / sizeof(cases[0])));
}

static void test_pwpolicy__short_says_minimum(void **state)
{
    (void)state;
    struct mnv_diag d;
    assert_int_equal(check("only twelve!", NULL, 0, &d), MNV_ERR_PW_SHORT);
    assert_string_equal(d.detail, "15");
    assert_int_equal(check("seven!!", NULL, 1, &d), MNV_ERR_PW_SHORT);
    assert_string_equal(d.detail, "8");
    /* diag is optional */
    assert_int_equal(pwpolicy_check("seven!!", 7, NULL, 1, NULL), MNV_ERR_PW_SHORT);
}

/* A passphrase of n characters without common words: pieces of a fixed random string. */
static void long_phrase(char *out, size_t n)
{
    static const char src[] = "vX9#kq2!Lm7@pR4z Wd8$nT3^hJ6&bF5*cY1(gS0)eU";
    for (size_t i = 0; i < n; i++)
        out[i] = src[(i * 7 + i / 13) % (sizeof(src) - 1)];
    out[n] = '\0';
}

static void test_pwpolicy__long_and_never_truncated(void **state)
{
    (void)state;
    struct mnv_diag d;
    char pw[300];
    long_phrase(pw, 64);
    assert_int_equal(check(pw, NULL, 0, &d), MNV_OK);
    long_phrase(pw, 128);
    assert_int_equal(check(pw, NULL, 0, &d), MNV_OK);
    long_phrase(pw, 256);
    assert_int_equal(check(pw, NULL, 0, &d), MNV_OK);
    long_phrase(pw, 257);
    assert_int_equal(check(pw, NULL, 0, &d), MNV_ERR_PW_LONG);
    assert_diag_clean(&d, MNV_ERR_PW_LONG);
    /* 256 bytes of 3-byte characters is 85 characters and a byte: too long in bytes. */
    char jp[300] = "";
    for (int i = 0; i < 85; i++)
        strcat(jp, "川");
    assert_int_equal(strlen(jp), 255);
    assert_int_equal(pwpolicy_check(jp, 255, NULL, 0, &d), MNV_ERR_PW_COMMON); /* repeat */
    strcat(jp, "x");
    assert_int_equal(check(jp, NULL, 0, &d), MNV_ERR_PW_COMMON);
    strcat(jp, "y");
    assert_int_equal(check(jp, NULL, 0, &d), MNV_ERR_PW_LONG);

    /* Passwords that differ only in the 64th character are both accepted and distinct. */
    char a[65], b[65];
    long_phrase(a, 64);
    memcpy(b, a, sizeof(a));
    b[63] = a[63] == 'Q' ? 'R' : 'Q';
    assert_int_equal(check(a, NULL, 0, &d), MNV_OK);
    assert_int_equal(check(b, NULL, 0, &d), MNV_OK);
    assert_memory_not_equal(a, b, 64);
    /* Every byte is looked at: a user name from character 60 on, or at the very end of
     * 256 bytes, is still found. */
    long_phrase(pw, 59);
    strcat(pw, "suzuki");
    assert_int_equal(check(pw, "Suzuki", 0, &d), MNV_ERR_PW_USERNAME);
    long_phrase(pw, 250);
    strcat(pw, "suzuki");
    assert_int_equal(strlen(pw), 256);
    assert_int_equal(check(pw, "suzuki", 0, &d), MNV_ERR_PW_USERNAME);
}

static void test_pwpolicy__encoding(void **state)
{
    (void)state;
    struct mnv_diag d;
    static const char *const bad[] = {
        "correct horse \xff battery staple",                                /* a stray byte */
        "correct horse \xc3 battery staple",                                /* a cut sequence */
        "correct horse \xc0\xaf battery",                                   /* overlong */
        "correct horse \xed\xa0\x80 battery",                               /* surrogate */
        "\x82\xa0\x82\xa2\x82\xa4\x82\xa6\x82\xa8\x82\xa9\x82\xab\x82\xad", /* Shift_JIS */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(check(bad[i], NULL, 0, &d), MNV_ERR_ENCODING);
        assert_diag_clean(&d, MNV_ERR_ENCODING);
    }
    static const char nul[] = "correct horse\0battery staple";
    assert_int_equal(pwpolicy_check(nul, sizeof(nul) - 1, NULL, 0, &d), MNV_ERR_ENCODING);
    /* Length is checked before the encoding. */
    char big[300];
    memset(big, 0xff, sizeof(big));
    assert_int_equal(pwpolicy_check(big, sizeof(big), NULL, 0, &d), MNV_ERR_PW_LONG);
}

/* Every entry of the bundled list is refused (too short, or common, or a word). */
static void test_pwpolicy__bundled_list_refused(void **state)
{
    (void)state;
    char path[4096];
    const char *dir = getenv("MNVAULT_SHAREDIR");
    assert_non_null(dir);
    snprintf(path, sizeof(path), "%s/common-passwords.txt", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    int entries = 0, refused = 0, longer = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        entries++;
        struct mnv_diag d;
        enum mnv_err e = check(line, NULL, 1, &d);
        if (strlen(line) >= 8) {
            longer++;
            if (e == MNV_ERR_PW_COMMON || e == MNV_ERR_PW_DICTIONARY)
                refused++;
            else
                fail_msg("list entry \"%s\": %s", line, mnv_err_name(e));
        } else {
            assert_int_equal(e, MNV_ERR_PW_SHORT);
            refused++;
        }
    }
    fclose(f);
    assert_true(entries >= 3000);
    assert_true(longer >= 3000);
    assert_int_equal(refused, entries);
}

static int stderr_quiet(const char *list, const char *dict, const char *pw, enum mnv_err *e,
                        struct mnv_diag *d)
{
    char tmp[] = "/tmp/mnv-pw-stderr-XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    pwpolicy_use_files(list, dict);
    *e = check(pw, NULL, 0, d);
    pwpolicy_use_files(NULL, NULL);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    struct stat st;
    fstat(fd, &st);
    close(fd);
    unlink(tmp);
    return st.st_size == 0;
}

static void test_pwpolicy__missing_files_refuse(void **state)
{
    (void)state;
    struct mnv_diag d;
    enum mnv_err e;
    assert_true(
        stderr_quiet("/nonexistent/list.txt", NULL, "correct horse battery staple", &e, &d));
    assert_int_equal(e, MNV_ERR_PW_UNAVAILABLE);
    assert_string_equal(d.where, "/nonexistent/list.txt");
    assert_true(stderr_quiet(NULL, "/nonexistent/dict", "correct horse battery staple", &e, &d));
    assert_int_equal(e, MNV_ERR_PW_UNAVAILABLE);
    assert_string_equal(d.where, "/nonexistent/dict");
    /* Back to the defaults. */
    assert_int_equal(check("correct horse battery staple", NULL, 0, &d), MNV_OK);
}

static void test_pwpolicy__own_list(void **state)
{
    (void)state;
    char path[] = "/tmp/mnv-pwlist-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char body[] = "# an administrator's list\r\nZebraCrossing\r\n\r\nheliotrope\n";
    assert_int_equal(write(fd, body, sizeof(body) - 1), (ssize_t)(sizeof(body) - 1));
    close(fd);
    struct mnv_diag d;
    pwpolicy_use_files(path, NULL);
    assert_int_equal(check("zebracrossing2026", NULL, 0, &d), MNV_ERR_PW_COMMON);
    assert_int_equal(check("heliotrope zebracrossing", NULL, 0, &d), MNV_ERR_PW_COMMON);
    assert_int_equal(check("correct horse battery staple", NULL, 0, &d), MNV_OK);
    assert_int_equal(check("password2024 and more", NULL, 0, &d), MNV_OK); /* not this list */
    pwpolicy_use_files("", "");
    assert_int_equal(check("zebracrossing2026", NULL, 0, &d), MNV_OK);
    unlink(path);
}

/* ---- nothing of the password left in memory ------------------------------------------- */

/* Count places in our writable memory holding needle[0..n) (kept XOR-masked, so the needle
 * itself is not found). */
static int memory_hits(const unsigned char *masked, size_t n)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    int mem = open("/proc/self/mem", O_RDONLY);
    assert_non_null(maps);
    assert_true(mem >= 0);
    static unsigned char buf[1 << 20];
    char line[512];
    int hits = 0;
    while (fgets(line, sizeof(line), maps)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' ||
            perms[1] != 'w' || strstr(line, "[vvar]") || hi - lo > (256ul << 20))
            continue;
        for (unsigned long at = lo; at < hi; at += sizeof(buf) - n) {
            size_t want = hi - at < sizeof(buf) ? hi - at : sizeof(buf);
            ssize_t got = pread(mem, buf, want, (off_t)at);
            if (got <= 0)
                break;
            for (ssize_t i = 0; i + (ssize_t)n <= got; i++) {
                size_t k = 0;
                while (k < n && (buf[i + k] ^ 0xA5) == masked[k])
                    k++;
                hits += k == n;
            }
            if ((size_t)got < want || at + want >= hi)
                break;
        }
    }
    fclose(maps);
    close(mem);
    memset(buf, 0, sizeof(buf));
    return hits;
}

static void test_pwpolicy__no_copy_left_in_memory(void **state)
{
    (void)state;
    enum { LEN = 24, PROBE = 14 };
    static const char letters[] = "BCDFGHJKMNPQRSTVWXZbcdfghjkmnpqrstvwxz";
    char *pw = secmem_alloc(LEN + 1);
    unsigned char typed[PROBE], low[PROBE], rev[PROBE];
    assert_non_null(pw);
    for (int i = 0; i < LEN; i++)
        pw[i] = letters[randombytes_uniform(sizeof(letters) - 1)];
    for (int i = 0; i < PROBE; i++) {
        char c = pw[i], r = pw[LEN - 1 - i];
        typed[i] = (unsigned char)(c ^ 0xA5);
        low[i] = (unsigned char)((c >= 'A' && c <= 'Z' ? c + 32 : c) ^ 0xA5);
        rev[i] = (unsigned char)((r >= 'A' && r <= 'Z' ? r + 32 : r) ^ 0xA5);
    }
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err e = pwpolicy_check(pw, LEN, "someone", 0, &d);
    assert_true(e == MNV_OK || e == MNV_ERR_PW_DICTIONARY || e == MNV_ERR_PW_COMMON);
    /* The probe works: while the caller's copy exists, it is found. */
    assert_true(memory_hits(typed, PROBE) >= 1);
    secmem_free(pw);
    assert_int_equal(memory_hits(typed, PROBE), 0);
    assert_int_equal(memory_hits(low, PROBE), 0);
    assert_int_equal(memory_hits(rev, PROBE), 0);
}

/* cracklib answers in the user's language; the verdicts must still map to our codes. */
static void test_pwpolicy__cracklib_in_japanese(void **state)
{
    (void)state;
    const char *id = "it is based on a dictionary word";
    assert_non_null(setlocale(LC_ALL, "ja_JP.UTF-8"));
    const char *said = dgettext("cracklib", id);
    int translated = strcmp(said, id) != 0;
    struct mnv_diag d;
    enum mnv_err dict = check("misunderstanding", NULL, 0, &d);
    enum mnv_err systematic = check("1234567890123456", NULL, 0, &d);
    setlocale(LC_ALL, "C");
    assert_true(translated); /* otherwise this test would prove nothing */
    assert_int_equal(dict, MNV_ERR_PW_DICTIONARY);
    assert_int_equal(systematic, MNV_ERR_PW_COMMON);
}
