#include "mnvault/pwpolicy.h"

#include <crack.h>
#include <libintl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/fileio.h"
#include "mnvault/paths.h"
#include "mnvault/secmem.h"
#include "mnvault/utf8.h"

#define LIST_NAME "common-passwords.txt"
#define LIST_MAX_BYTES (4u << 20)
#define SHORT_UNIT 4     /* a piece this short, repeated, is no password */
#define USER_MIN_CHARS 3 /* shorter user names match too much by chance */
#define MAX_JOINED 3     /* entries joined into one password that still count as common */

static char list_override[PATH_MAX];
static char dict_override[PATH_MAX];

void pwpolicy_use_files(const char *list, const char *dict)
{
    snprintf(list_override, sizeof(list_override), "%s", list ? list : "");
    snprintf(dict_override, sizeof(dict_override), "%s", dict ? dict : "");
}

/* ---- the text as compared ------------------------------------------------------------- */

/*
 * Fold what an IME may produce: full-width ASCII (U+FF01-U+FF5E) becomes ASCII and the
 * ideographic space a space, so "ｐａｓｓｗｏｒｄ" is judged like "password". With lower,
 * ASCII letters are also lower-cased. out has room for len + 1 bytes; returns the length.
 */
static size_t fold(const char *s, size_t len, int lower, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_decode(s + i, len - i, &cp);
        if (n < 0) { /* callers pass valid UTF-8; keep the byte if not */
            out[o++] = s[i++];
            continue;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        else if (cp == 0x3000)
            cp = ' ';
        if (cp < 0x80) {
            out[o++] = (char)(lower && cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        } else {
            memcpy(out + o, s + i, (size_t)n);
            o += (size_t)n;
        }
        i += (size_t)n;
    }
    out[o] = '\0';
    return o;
}

static size_t count_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* ---- the common-password list ---------------------------------------------------------- */

struct wordlist {
    unsigned char *buf;
    const char **words;
    size_t n;
};

static int cmp_words(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void list_free(struct wordlist *wl)
{
    free(wl->words);
    free(wl->buf);
    memset(wl, 0, sizeof(*wl));
}

/* Read the list at path: one entry a line, lower-cased; '#' lines are comments. */
static enum mnv_err list_load(struct wordlist *wl, const char *path)
{
    size_t len = 0;
    memset(wl, 0, sizeof(*wl));
    if (fileio_read_all(path, LIST_MAX_BYTES, &wl->buf, &len, NULL) != MNV_OK)
        return MNV_ERR_PW_UNAVAILABLE;
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += wl->buf[i] == '\n';
    wl->words = calloc(lines, sizeof(*wl->words));
    if (!wl->words) {
        list_free(wl);
        return MNV_ERR_NOMEM;
    }
    char *p = (char *)wl->buf, *stop = p + len;
    while (p < stop) {
        char *nl = memchr(p, '\n', (size_t)(stop - p));
        char *end = nl ? nl : stop, *next = nl ? nl + 1 : stop;
        while (end > p && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
            end--;
        *end = '\0';
        if (*p && *p != '#' && strlen(p) == (size_t)(end - p)) {
            for (char *c = p; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c + 32);
            wl->words[wl->n++] = p;
        }
        p = next;
    }
    if (wl->n == 0) {
        list_free(wl);
        return MNV_ERR_PW_UNAVAILABLE;
    }
    qsort(wl->words, wl->n, sizeof(*wl->words), cmp_words);
    return MNV_OK;
}

/* The list, read once per process (and again when pwpolicy_use_files() names another). */
static struct wordlist list_cache;
static char list_cache_path[PATH_MAX];

static enum mnv_err list_get(const struct wordlist **out, struct mnv_diag *diag)
{
    char path[PATH_MAX];
    if (list_override[0])
        snprintf(path, sizeof(path), "%s", list_override);
    else if (paths_data_file(path, sizeof(path), LIST_NAME) != 0)
        return MNV_ERR_PW_UNAVAILABLE;
    if (list_cache.n == 0 || strcmp(path, list_cache_path) != 0) {
        list_free(&list_cache);
        list_cache_path[0] = '\0';
        enum mnv_err err = list_load(&list_cache, path);
        if (err != MNV_OK) {
            mnv_diag_where(diag, "%s", path);
            return err;
        }
        snprintf(list_cache_path, sizeof(list_cache_path), "%s", path);
    }
    *out = &list_cache;
    return MNV_OK;
}

/* Is s[0..n) an entry of the list? */
static int list_has(const struct wordlist *wl, const char *s, size_t n)
{
    size_t lo = 0, hi = wl->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *w = wl->words[mid];
        int r = strncmp(w, s, n);
        if (r == 0)
            r = w[n] != '\0';
        if (r == 0)
            return 1;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Is s[0..n) made of at most MAX_JOINED list entries, one after the other? */
static int list_joined(const struct wordlist *wl, const char *s, size_t n)
{
    unsigned char parts[PWPOLICY_MAX_BYTES + 1]; /* fewest entries making s[0..i) */
    if (n > PWPOLICY_MAX_BYTES)
        return 0;
    parts[0] = 0;
    for (size_t i = 1; i <= n; i++) {
        parts[i] = MAX_JOINED + 1;
        for (size_t j = 0; j < i; j++)
            if (parts[j] < MAX_JOINED && parts[j] + 1 < parts[i] && list_has(wl, s + j, i - j))
                parts[i] = (unsigned char)(parts[j] + 1);
    }
    return parts[n] <= MAX_JOINED;
}

/* Is s[0..n) listed, a listed entry or a short piece repeated, or a few entries joined? */
static int list_matches(const struct wordlist *wl, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t unit = 1; unit <= n / 2; unit++) {
        if (n % unit)
            continue;
        size_t i = unit;
        while (i < n && memcmp(s + i, s, unit) == 0)
            i += unit;
        if (i == n && (unit <= SHORT_UNIT || list_has(wl, s, unit)))
            return 1;
    }
    return list_joined(wl, s, n);
}

static int is_letter_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (unsigned char)c >= 0x80;
}

/* Does the candidate work[0..m) match, as it is or without the digits and symbols around
 * it (or, when they are few, without any digits and symbols)? */
static int candidate_matches(const struct wordlist *wl, char *work, size_t m)
{
    if (list_matches(wl, work, m))
        return 1;
    size_t a = 0, b = m;
    while (a < b && !is_letter_byte(work[a]))
        a++;
    while (b > a && !is_letter_byte(work[b - 1]))
        b--;
    if ((a > 0 || b < m) && list_matches(wl, work + a, b - a))
        return 1;
    size_t letters = 0;
    for (size_t i = 0; i < m; i++)
        if (is_letter_byte(work[i]))
            work[letters++] = work[i];
    /* "dragon2026dragon", "letmein!letmein!": mostly letters, so judge the letters. A
     * password that is mostly digits and symbols is not judged by its few letters. */
    return letters < m && 3 * letters >= 2 * m && list_matches(wl, work, letters);
}

/*
 * Is the lower-cased, folded password common? Tried as typed without spaces and with the
 * usual look-alike substitutions undone ("p@ssw0rd" -> "password"), each also without the
 * digits and symbols around it ("password2024!" -> "password"). work has room for n + 1.
 */
static int is_common(const struct wordlist *wl, const char *low, size_t n, char *work)
{
    static const char *const leet[] = {"@a4a0o1i3e5s$s7t", "@a4a0o1l3e5s$s7t"};
    for (int pass = 0; pass < 3; pass++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            char c = low[i];
            if (c == ' ' || c == '\t')
                continue;
            if (pass > 0)
                for (const char *l = leet[pass - 1]; *l; l += 2)
                    if (c == l[0]) {
                        c = l[1];
                        break;
                    }
            work[m++] = c;
        }
        work[m] = '\0';
        if (candidate_matches(wl, work, m))
            return 1;
    }
    return 0;
}

/* ---- cracklib -------------------------------------------------------------------------- */

static const struct {
    const char *msgid;
    enum mnv_err err;
} crack_verdicts[] = {
    {"it is based on a dictionary word", MNV_ERR_PW_DICTIONARY},
    {"it is based on a (reversed) dictionary word", MNV_ERR_PW_DICTIONARY},
    {"it is based on your username", MNV_ERR_PW_USERNAME},
    {"it is based upon your password entry", MNV_ERR_PW_USERNAME},
    {"it is derived from your password entry", MNV_ERR_PW_USERNAME},
    {"it's derived from your password entry", MNV_ERR_PW_USERNAME},
    {"it is derivable from your password entry", MNV_ERR_PW_USERNAME},
    {"it's derivable from your password entry", MNV_ERR_PW_USERNAME},
    {"error loading dictionary", MNV_ERR_PW_UNAVAILABLE},
};

/* cracklib answers with a sentence, translated when its catalogue is installed. */
static enum mnv_err crack_verdict(const char *said)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(crack_verdicts); i++) {
        const char *id = crack_verdicts[i].msgid;
        if (strcmp(said, id) == 0 || strcmp(said, dgettext("cracklib", id)) == 0)
            return crack_verdicts[i].err;
    }
    /* Too short, too few different characters, too systematic, and anything new. */
    return MNV_ERR_PW_COMMON;
}

static const char *crack_dict(void)
{
    return dict_override[0] ? dict_override : GetDefaultCracklibDict();
}

/* cracklib prints to stderr when its files are missing, so look for them first. */
static int crack_dict_present(const char *dict)
{
    static const char *const ext[] = {".pwd", ".pwi"};
    for (size_t i = 0; i < MNV_ARRAY_LEN(ext); i++) {
        char p[PATH_MAX];
        if (snprintf(p, sizeof(p), "%s%s", dict, ext[i]) >= (int)sizeof(p) || access(p, R_OK) != 0)
            return 0;
    }
    return 1;
}

static void __attribute__((noinline)) stack_scrub(void)
{
    unsigned char area[32768];
    secmem_wipe(area, sizeof(area));
    __asm__ volatile("" : : "r"(area) : "memory");
}

/*
 * cracklib keeps the last word it worked on (lower-cased, reversed, mangled) in static
 * buffers and leaves copies on the stack. Running it again on a harmless word of at least
 * the same length overwrites the static buffers; then the stack below us is wiped.
 */
static void crack_scrub(const char *dict, size_t len)
{
    static const char cycle[] = "ahovcjqxelszgnubipwdkryfmt"; /* no two neighbours differ by 1 */
    char dummy[256];
    if (len < 16)
        len = 16;
    if (len > sizeof(dummy) - 1)
        len = sizeof(dummy) - 1;
    for (size_t i = 0; i < len; i++)
        dummy[i] = cycle[i % (sizeof(cycle) - 1)];
    dummy[len] = '\0';
    (void)FascistCheckUser(dummy, dict, "", "");
    stack_scrub();
}

static enum mnv_err crack_check(const char *folded, size_t len, struct mnv_diag *diag)
{
    const char *dict = crack_dict();
    if (!crack_dict_present(dict)) {
        mnv_diag_where(diag, "%s", dict);
        return MNV_ERR_PW_UNAVAILABLE;
    }
    const char *said = FascistCheckUser(folded, dict, "", "");
    enum mnv_err err = said ? crack_verdict(said) : MNV_OK;
    crack_scrub(dict, len);
    if (err == MNV_ERR_PW_UNAVAILABLE)
        mnv_diag_where(diag, "%s", dict);
    return err;
}

/* ---- the policy ------------------------------------------------------------------------ */

static int contains_user(const char *low, size_t n, const char *user)
{
    size_t ulen = strlen(user);
    if (ulen == 0 || ulen > PWPOLICY_MAX_BYTES * 3)
        return 0;
    char ulow[PWPOLICY_MAX_BYTES * 3 + 1];
    size_t m = fold(user, ulen, 1, ulow);
    if (count_chars(ulow, m) < USER_MIN_CHARS)
        return 0;
    return memmem(low, n, ulow, m) != NULL;
}

enum mnv_err pwpolicy_check(const char *password, size_t len, const char *user, int has_totp,
                            struct mnv_diag *diag)
{
    if (len > PWPOLICY_MAX_BYTES)
        return MNV_ERR_PW_LONG;
    if (!utf8_valid(password, len) || memchr(password, '\0', len))
        return MNV_ERR_ENCODING;
    int min = has_totp ? PWPOLICY_MIN_TOTP : PWPOLICY_MIN;
    if (count_chars(password, len) < (size_t)min) {
        mnv_diag_detail(diag, "%d", min);
        return MNV_ERR_PW_SHORT;
    }
    /* Three work areas in one secret block: folded, folded and lower-cased, scratch. */
    char *mem = secmem_alloc(3 * (len + 1));
    if (!mem)
        return MNV_ERR_NOMEM;
    char *folded = mem, *low = mem + len + 1, *work = mem + 2 * (len + 1);
    size_t flen = fold(password, len, 0, folded);
    size_t lowlen = fold(password, len, 1, low);
    enum mnv_err err = MNV_OK;
    if (user && contains_user(low, lowlen, user))
        err = MNV_ERR_PW_USERNAME;
    if (err == MNV_OK) {
        const struct wordlist *wl = NULL;
        err = list_get(&wl, diag);
        if (err == MNV_OK && is_common(wl, low, lowlen, work))
            err = MNV_ERR_PW_COMMON;
    }
    if (err == MNV_OK)
        err = crack_check(folded, flen, diag);
    secmem_free(mem);
    return err;
}
