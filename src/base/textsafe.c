#include "mnvault/textsafe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/utf8.h"

/* Characters shown as \uNNNN: C1 controls, bidirectional controls, line/paragraph separators. */
static int needs_u_escape(uint32_t cp)
{
    if (cp >= 0x80 && cp <= 0x9F)
        return 1;
    switch (cp) {
    case 0x061C: /* Arabic letter mark */
    case 0x200E: /* left-to-right mark */
    case 0x200F: /* right-to-left mark */
    case 0x2028: /* line separator */
    case 0x2029: /* paragraph separator */
        return 1;
    default:
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    }
}

static size_t put_hex(char *out, const char *prefix, unsigned v, int digits)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(prefix);
    memcpy(out, prefix, n);
    for (int i = digits - 1; i >= 0; i--)
        out[n++] = hex[(v >> (4 * i)) & 0xF];
    out[n] = '\0';
    return n;
}

size_t textsafe_piece(const char *s, size_t len, size_t *pos, unsigned flags,
                      char out[TEXTSAFE_PIECE_SIZE], int *escaped)
{
    int esc = 1;
    size_t n;
    out[0] = '\0';
    if (*pos >= len) {
        if (escaped)
            *escaped = 0;
        return 0;
    }
    uint32_t cp;
    int k = utf8_decode(s + *pos, len - *pos, &cp);
    if (k < 0 || cp < 0x20 || cp == 0x7F) {
        n = put_hex(out, "\\x", (unsigned char)s[*pos], 2);
        k = 1;
    } else if (cp == '\\' && !(flags & TEXTSAFE_KEEP_BACKSLASH)) {
        memcpy(out, "\\\\", 3);
        n = 2;
    } else if (needs_u_escape(cp)) {
        n = put_hex(out, "\\u", cp, 4);
    } else {
        memcpy(out, s + *pos, (size_t)k);
        out[k] = '\0';
        n = (size_t)k;
        esc = 0;
    }
    *pos += (size_t)k;
    if (escaped)
        *escaped = esc;
    return n;
}

size_t textsafe_escape_n(char *out, size_t size, const char *s, size_t len, unsigned flags)
{
    size_t need = 0, pos = 0, used = 0;
    int full = 0;
    if (size)
        out[0] = '\0';
    while (pos < len) {
        char piece[TEXTSAFE_PIECE_SIZE];
        size_t n = textsafe_piece(s, len, &pos, flags, piece, NULL);
        if (!full && used + n < size) { /* stay cut at a piece boundary */
            memcpy(out + used, piece, n + 1);
            used += n;
        } else {
            full = 1;
        }
        need += n;
    }
    return need;
}

size_t textsafe_escape(char *out, size_t size, const char *s)
{
    return textsafe_escape_n(out, size, s, strlen(s), 0);
}

int textsafe_clean(const char *s, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        unsigned char c = (unsigned char)s[pos];
        if (c >= 0x20 && c < 0x7F && c != '\\') { /* the common case, without decoding */
            pos++;
            continue;
        }
        char piece[TEXTSAFE_PIECE_SIZE];
        int esc;
        textsafe_piece(s, len, &pos, 0, piece, &esc);
        if (esc)
            return 0;
    }
    return 1;
}

int textsafe_fputs(const char *s, unsigned flags, FILE *f)
{
    size_t len = strlen(s), pos = 0;
    while (pos < len) {
        size_t run = 0; /* printable ASCII but "\\" is never escaped: written as one run */
        while (pos + run < len && (unsigned char)s[pos + run] >= 0x20 &&
               (unsigned char)s[pos + run] < 0x7F && s[pos + run] != '\\')
            run++;
        if (run) {
            if (fwrite(s + pos, 1, run, f) != run)
                return EOF;
            pos += run;
            continue;
        }
        char piece[TEXTSAFE_PIECE_SIZE];
        size_t n = textsafe_piece(s, len, &pos, flags, piece, NULL);
        if (fwrite(piece, 1, n, f) != n)
            return EOF;
    }
    return 0;
}

char *textsafe_dup(const char *s)
{
    size_t len = strlen(s);
    size_t need = textsafe_escape_n(NULL, 0, s, len, 0);
    char *out = malloc(need + 1);
    if (!out)
        return NULL;
    textsafe_escape_n(out, need + 1, s, len, 0);
    return out;
}
