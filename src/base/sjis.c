#include "mnvault/sjis.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "mnvault/utf8.h"

/* Shift_JIS code for every BMP code point; 0 = none. 128 KiB, filled once. */
static uint16_t table[0x10000];
static int ready;

/* The two bytes of JIS X 0208 row r, cell c (both 1-94) in Shift_JIS. */
static int sjis_of(int r, int c)
{
    int s1 = ((r - 1) >> 1) + (r <= 62 ? 0x81 : 0xC1);
    int s2 = (r & 1) ? c + (c <= 63 ? 0x3F : 0x40) : c + 0x9E;
    return (s1 << 8) | s2;
}

int sjis_row(int code)
{
    if (code < 0x100)
        return 0;
    int s1 = code >> 8, s2 = code & 0xFF;
    int r = (s1 - (s1 <= 0x9F ? 0x81 : 0xC1)) * 2 + 1;
    return s2 >= 0x9F ? r + 1 : r;
}

/* Decode one two-byte code with iconv; the code point, or 0 when it has none. */
static uint32_t decode_one(iconv_t cd, int code)
{
    char in[2] = {(char)(code >> 8), (char)(code & 0xFF)};
    unsigned char out[8];
    char *ip = in, *op = (char *)out;
    size_t il = 2, ol = sizeof(out);
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il != 0 || sizeof(out) - ol != 4)
        return 0;
    return (uint32_t)out[0] << 24 | (uint32_t)out[1] << 16 | (uint32_t)out[2] << 8 | out[3];
}

/* Unicode code points that stand for the same JIS X 0208 character as another. */
static const struct {
    uint16_t cp, code;
} aliases[] = {
    {0xFF5E, 0x8160}, /* ～ (CP932) for 〜 WAVE DASH */
    {0x2225, 0x8161}, /* ∥ (CP932) for ‖ */
    {0xFF0D, 0x817C}, /* － (CP932) for − MINUS SIGN */
    {0xFFE0, 0x8191}, /* ￠ for ¢ */
    {0xFFE1, 0x8192}, /* ￡ for £ */
    {0xFFE2, 0x81CA}, /* ￢ for ¬ */
    {0x2014, 0x815C}, /* — EM DASH for ― (JIS X 0208:1997's mapping) */
};

enum mnv_err sjis_init(void)
{
    if (ready)
        return MNV_OK;
    iconv_t cd = iconv_open("UCS-4BE", "SHIFT_JIS");
    if (cd == (iconv_t)-1)
        return MNV_ERR_SYSTEM;
    for (int r = 1; r <= 84; r++) {
        if (r > 8 && r < 16)
            continue; /* rows 9-15 are not assigned in JIS X 0208 (13 is NEC's in CP932) */
        for (int c = 1; c <= 94; c++) {
            int code = sjis_of(r, c);
            uint32_t cp = decode_one(cd, code);
            if (cp > 0x7F && cp < 0x10000 && !table[cp])
                table[cp] = (uint16_t)code;
        }
    }
    iconv_close(cd);
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (!table[aliases[i].cp])
            table[aliases[i].cp] = aliases[i].code;
    for (uint32_t c = 0x20; c < 0x7F; c++)
        if (c != '\\' && c != '~')
            table[c] = (uint16_t)c;
    for (uint32_t c = 0xFF61; c <= 0xFF9F; c++)
        table[c] = (uint16_t)(0xA1 + (c - 0xFF61));
    ready = 1;
    return MNV_OK;
}

int sjis_code(uint32_t cp)
{
    if (!ready || cp >= 0x10000 || !table[cp])
        return -1;
    return table[cp];
}

long sjis_encode(const char *in, size_t len, unsigned char *out, size_t size, uint32_t *bad,
                 size_t *bad_at)
{
    size_t i = 0, o = 0;
    while (i < len) {
        uint32_t cp;
        int n;
        if ((unsigned char)in[i] < 0x80) {
            cp = (unsigned char)in[i];
            n = 1;
        } else if ((n = utf8_decode(in + i, len - i, &cp)) < 0) {
            cp = 0xFFFD;
            goto refuse;
        }
        int code = sjis_code(cp);
        if (code < 0)
            goto refuse;
        if (o + (code > 0xFF ? 2 : 1) > size) {
            cp = 0;
            goto refuse;
        }
        if (code > 0xFF)
            out[o++] = (unsigned char)(code >> 8);
        out[o++] = (unsigned char)(code & 0xFF);
        i += (size_t)n;
        continue;
    refuse:
        if (bad)
            *bad = cp;
        if (bad_at)
            *bad_at = i;
        return -1;
    }
    return (long)o;
}
