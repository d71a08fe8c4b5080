/* romaji.c: the search form shared by kana readings and typed romaji (see romaji.h). */
#include "mnvault/romaji.h"

#include <stdint.h>
#include <string.h>

#include "mnvault/textfold.h"
#include "mnvault/utf8.h"

/* Kunrei spellings of the katakana U+30A1 ァ .. U+30F6 ヶ; small letters are marked by
 * "" and handled by the caller. */
static const char *const kana_romaji[] = {
    "",   "a",  "",   "i",  "",   "u",  "",   "e",  "",   "o",  /* ァ-オ */
    "ka", "ga", "ki", "gi", "ku", "gu", "ke", "ge", "ko", "go", /* カ-ゴ */
    "sa", "za", "si", "zi", "su", "zu", "se", "ze", "so", "zo", /* サ-ゾ */
    "ta", "da", "ti", "zi", "",   "tu", "zu", "te", "de", "to", /* タ-ト */
    "do", "na", "ni", "nu", "ne", "no", "ha", "ba", "pa", "hi", /* ド-ヒ */
    "bi", "pi", "hu", "bu", "pu", "he", "be", "pe", "ho", "bo", /* ビ-ボ */
    "po", "ma", "mi", "mu", "me", "mo", "",   "ya", "",   "yu", /* ポ-ユ */
    "",   "yo", "ra", "ri", "ru", "re", "ro", "",   "wa", "i",  /* ョ-ヰ */
    "e",  "o",  "n",  "bu", "ka", "ke",                         /* ヱ-ヶ */
};

static int is_vowel(char c)
{
    return c == 'a' || c == 'i' || c == 'u' || c == 'e' || c == 'o';
}

/* Replace every "from" in s (NUL-terminated, in place, within size bytes) with "to";
 * 1 when something was replaced. */
static int replace_all(char *s, size_t size, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to);
    char *p = s;
    int done = 0;
    while ((p = strstr(p, from)) != NULL) {
        size_t rest = strlen(p + fl);
        if ((size_t)(p - s) + tl + rest + 1 > size)
            return done; /* no room: the form stays as it is (only ever a longer search) */
        memmove(p + tl, p + fl, rest + 1);
        memcpy(p, to, tl);
        p += tl;
        done = 1;
    }
    return done;
}

/* A bit for each lower-case letter of s (other bytes: bit 26). */
static uint32_t letters(const char *s)
{
    uint32_t m = 0;
    for (; *s; s++)
        m |= *s >= 'a' && *s <= 'z' ? (uint32_t)1 << (*s - 'a') : (uint32_t)1 << 26;
    return m;
}

/* The shared spelling rules, then the long vowels folded. */
static size_t canon(char *s, size_t size)
{
    static const char *const rules[][2] = {
        {"sh", "sy"},  {"ch", "ty"},  {"ts", "t"},   {"j", "zy"},   {"f", "h"},
        {"v", "b"},    {"dz", "z"},   {"wo", "o"},   {"wi", "i"},   {"we", "e"},
        {"syi", "si"}, {"tyi", "ti"}, {"zyi", "zi"}, {"zyy", "zy"}, {"nn", "n"},
    };
    /* A rule whose letters are not all in s cannot apply: most are passed over (the list
     * computes the form of every reading when it opens). */
    uint32_t have = letters(s);
    for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++)
        if ((letters(rules[r][0]) & ~have) == 0 && replace_all(s, size, rules[r][0], rules[r][1]))
            have = letters(s);
    size_t o = 0;
    for (size_t i = 0; s[i]; i++) {
        char c = s[i], last = o ? s[o - 1] : '\0';
        if (is_vowel(c) && (c == last || (c == 'u' && last == 'o')))
            continue; /* aa ii uu ee oo ou: one vowel */
        if (c == 'h' && last == 'o' && !is_vowel(s[i + 1]))
            continue; /* oh before a consonant or at the end: ō */
        s[o++] = c;
    }
    s[o] = '\0';
    return o;
}

/* Append the spelling of the katakana k to out[0..*n). */
static void add_kana(uint32_t k, char *out, size_t size, size_t *n, int *double_next)
{
    size_t at = *n;
    const char *sp = k >= 0x30A1 && k <= 0x30F6 ? kana_romaji[k - 0x30A1] : NULL;
    if (k == 0x30C3) { /* ッ: the next consonant twice */
        *double_next = 1;
        return;
    }
    if (k == 0x30FC || !sp) /* ー and anything else: nothing */
        return;
    char vowel[2] = "";
    const char *buf = sp; /* what to append (no snprintf: this runs for every reading) */
    int small = sp[0] == '\0';
    if (small && (k == 0x30E3 || k == 0x30E5 || k == 0x30E7 || k == 0x30EE)) { /* ャュョヮ */
        const char *y = k == 0x30E3 ? "ya" : k == 0x30E5 ? "yu" : k == 0x30E7 ? "yo" : "wa";
        if (k != 0x30EE && at >= 2 && out[at - 1] == 'i' && !is_vowel(out[at - 2]))
            at--; /* キャ: kya */
        else if (k == 0x30EE && at >= 2 && out[at - 1] == 'u' && !is_vowel(out[at - 2]))
            at--; /* クヮ: kwa */
        buf = y;
    } else if (small) { /* ァィゥェォ */
        char v = "aiueo"[(k - 0x30A1) / 2];
        if (at >= 1 && out[at - 1] == 'u' &&
            (at == 1 || is_vowel(out[at - 2]) || out[at - 2] == 'n')) {
            out[at - 1] = 'w'; /* ウィ: wi, read as i */
        } else if (at >= 2 && !is_vowel(out[at - 2]) && out[at - 1] == 'i') {
            out[at - 1] = 'y'; /* シェ: sye */
        } else if (at >= 2 && !is_vowel(out[at - 2]) && is_vowel(out[at - 1])) {
            at--; /* フィ: hi, ティ: ti, トゥ: tu */
        }
        vowel[0] = v;
        buf = vowel;
    }
    if (*double_next && buf[0] && !is_vowel(buf[0]) && at + 1 < size)
        out[at++] = buf[0];
    *double_next = 0;
    for (size_t i = 0; buf[i] && at + 1 < size; i++)
        out[at++] = buf[i];
    out[at] = '\0';
    *n = at;
}

size_t romaji_from_folded(const char *folded, size_t flen, char *out, size_t size)
{
    if (size == 0)
        return 0;
    out[0] = '\0';
    size_t n = 0;
    int double_next = 0;
    for (size_t i = 0; i < flen && folded[i];) {
        uint32_t cp;
        int used = utf8_decode(folded + i, flen - i, &cp);
        if (used <= 0)
            break;
        i += (size_t)used;
        if (cp >= 'a' && cp <= 'z') {
            if (n + 1 < size)
                out[n++] = (char)cp, out[n] = '\0';
            continue;
        }
        add_kana(cp, out, size, &n, &double_next);
    }
    return canon(out, size);
}

size_t romaji_from_kana(const char *kana, char *out, size_t size)
{
    if (size == 0)
        return 0;
    char folded[ROMAJI_FOLDED_MAX];
    size_t len = strlen(kana);
    if (textfold(kana, len, folded, sizeof(folded)) >= sizeof(folded))
        folded[sizeof(folded) - 1] = '\0'; /* a prefix still searches */
    return romaji_from_folded(folded, strlen(folded), out, size);
}

size_t romaji_query(const char *typed, char *out, size_t size)
{
    if (size == 0)
        return 0;
    size_t n = 0;
    for (const char *p = typed; *p; p++) {
        char c = *p;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c == '\'' || c == '-')
            continue;
        if (c < 'a' || c > 'z' || n + 2 >= size) {
            out[0] = '\0';
            return 0;
        }
        out[n++] = c;
    }
    out[n] = '\0';
    /* A spelling cut short while typing: the start of its syllable. */
    if (n >= 2 && (strcmp(out + n - 2, "sh") == 0 || strcmp(out + n - 2, "ts") == 0))
        out[--n] = '\0';
    else if (n >= 2 && strcmp(out + n - 2, "ch") == 0)
        out[n - 2] = 't', out[--n] = '\0';
    else if (n >= 2 && strcmp(out + n - 2, "jy") == 0)
        out[n - 2] = 'z', out[--n] = '\0';
    else if (n >= 1 && out[n - 1] == 'c')
        out[n - 1] = 't';
    else if (n >= 1 && out[n - 1] == 'j')
        out[n - 1] = 'z';
    if (n == 0)
        return 0;
    return canon(out, size);
}
