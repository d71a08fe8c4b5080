/*
 * scan/mime.c: mail for the scanner (part of the scan module, see scan.h): a message as
 * saved by a mail program (.eml; RFC 5322 with MIME), its parts in base64 or
 * quoted-printable decoded, text in ISO-2022-JP, Shift_JIS, EUC-JP and other character
 * sets converted to UTF-8, headers with their encoded words (=?ISO-2022-JP?B?...?=)
 * decoded, multipart bodies split, attached messages read as mail, and attachments scanned
 * as files under their names ("mail.eml[名簿.xlsx][xl/worksheets/sheet1.xml]"). A part
 * without a file name is called "part N" (N as in IMAP: 1, 2, 2.1 ...).
 *
 * Decoded parts are never larger than the message, so they need no unpacking limit; the
 * nesting of parts is bounded by SCAN_MAX_NESTING like archives.
 */
#include <ctype.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mnvault/secmem.h"
#include "priv.h"

#define MIME_MAX_HEADER (256 * 1024)
#define MIME_MAX_LEVELS 16

/* What the headers of one entity say. */
struct entity {
    char type[64];      /* "text/plain" (lower case); "" when not given */
    char boundary[128]; /* for multipart */
    char charset[48];
    char encoding[32];  /* content-transfer-encoding, lower case */
    char filename[512]; /* from Content-Disposition or Content-Type name, decoded */
    size_t body;        /* offset of the body */
};

/* ---- small helpers ------------------------------------------------------------------- */

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* The end of the header line starting at i (the index of its '\n', or len). */
static size_t line_end(const uint8_t *b, size_t len, size_t i)
{
    const uint8_t *nl = memchr(b + i, '\n', len - i);
    return nl ? (size_t)(nl - b) : len;
}

static int blank_line(const uint8_t *b, size_t len, size_t i)
{
    return i >= len || b[i] == '\n' || (b[i] == '\r' && (i + 1 >= len || b[i + 1] == '\n'));
}

/* One header line "Name: value" without folding; returns 1 when it looks like one. */
static int header_name(const uint8_t *b, size_t len, size_t i, size_t *colon)
{
    size_t j = i;
    while (j < len && j - i < 77 && b[j] > 32 && b[j] < 127 && b[j] != ':')
        j++;
    if (j == i || j >= len || b[j] != ':')
        return 0;
    *colon = j;
    return 1;
}

/*
 * scan_is_mail: the data starts with a block of header lines (an mbox "From " line may come
 * first) that ends in a blank line and has a From, Date, Subject, To, Message-ID,
 * MIME-Version, Received or Content-Type field among its first lines; at least two fields.
 */
int scan_is_mail(const uint8_t *b, size_t len)
{
    static const char *const known[] = {"from",        "date",     "subject",      "to",
                                        "message-id",  "received", "mime-version", "content-type",
                                        "return-path", "reply-to"};
    size_t i = 0, fields = 0, hits = 0;
    if (len > 5 && memcmp(b, "From ", 5) == 0)
        i = line_end(b, len, 0) + 1;
    while (i < len && i < MIME_MAX_HEADER) {
        if (blank_line(b, len, i))
            return fields >= 2 && hits >= 1;
        if (b[i] == ' ' || b[i] == '\t') { /* a folded line goes on */
            if (fields == 0)
                return 0;
        } else {
            size_t colon;
            if (!header_name(b, len, i, &colon))
                return 0;
            fields++;
            for (size_t k = 0; k < MNV_ARRAY_LEN(known); k++)
                hits += strlen(known[k]) == colon - i &&
                        strncasecmp((const char *)b + i, known[k], colon - i) == 0;
        }
        i = line_end(b, len, i) + 1;
    }
    return 0;
}

/* ---- decoding ------------------------------------------------------------------------ */

static int b64_value(uint8_t ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+' || ch == '-')
        return 62;
    if (ch == '/' || ch == '_')
        return 63;
    return -1;
}

/* Base64 in[0..n) into out (room for n bytes); characters outside the alphabet are
 * skipped, '=' ends it. Returns the bytes written. */
static size_t b64_decode(const uint8_t *in, size_t n, uint8_t *out)
{
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n && in[i] != '='; i++) {
        int v = b64_value(in[i]);
        if (v < 0)
            continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    return o;
}

static int hexval(uint8_t ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    return -1;
}

/* Quoted-printable in[0..n) into out (room for n bytes); header: "_" is a space. */
static size_t qp_decode(const uint8_t *in, size_t n, uint8_t *out, int header)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == '=' && i + 2 < n + 0 && hexval(in[i + 1]) >= 0 && hexval(in[i + 2]) >= 0) {
            out[o++] = (uint8_t)(hexval(in[i + 1]) * 16 + hexval(in[i + 2]));
            i += 2;
        } else if (in[i] == '=' && !header) { /* a soft line break: "=" then CRLF or LF */
            size_t j = i + 1;
            while (j < n && (in[j] == ' ' || in[j] == '\t'))
                j++;
            if (j < n && in[j] == '\r')
                j++;
            if (j < n && in[j] == '\n')
                i = j;
            else
                out[o++] = '=';
        } else {
            out[o++] = (header && in[i] == '_') ? ' ' : in[i];
        }
    }
    return o;
}

/* Convert in[0..n) from charset to UTF-8 into a malloc'd buffer (*out, *outlen; free with
 * scan_bytes_free(*out, *outlen)). Returns 0, or -1 (unknown charset, bad text, memory). */
static int to_utf8(const char *charset, const uint8_t *in, size_t n, uint8_t **out, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return -1;
    size_t cap = n * 3 + 16;
    uint8_t *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        return -1;
    }
    char *ip = (char *)in, *op = (char *)buf;
    size_t il = n, ol = cap;
    int ok = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 &&
             iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1;
    iconv_close(cd);
    if (!ok) {
        scan_bytes_free(buf, cap);
        return -1;
    }
    *out = buf;
    *outlen = cap - ol;
    return 0;
}

/* A text's charset that needs converting (not UTF-8 or ASCII). */
static int needs_conversion(const char *charset)
{
    return charset[0] && strcmp(charset, "utf-8") != 0 && strcmp(charset, "utf8") != 0 &&
           strcmp(charset, "us-ascii") != 0 && strcmp(charset, "ascii") != 0;
}

/* ---- headers ------------------------------------------------------------------------- */

/* Append s[0..n) to a growing text (t, *tn, cap); 0 or -1 when it would overflow cap. */
static int put(char *t, size_t *tn, size_t cap, const void *s, size_t n)
{
    if (cap - *tn < n + 1)
        return -1;
    memcpy(t + *tn, s, n);
    *tn += n;
    t[*tn] = '\0';
    return 0;
}

/* Decode one encoded word "=?charset?B|Q?text?=" at v[0..n); returns its length, 0 when
 * v does not start with one. */
static size_t encoded_word(const char *v, size_t n, char *t, size_t *tn, size_t cap)
{
    if (n < 8 || v[0] != '=' || v[1] != '?')
        return 0;
    const char *q1 = memchr(v + 2, '?', n - 2);
    if (!q1 || (size_t)(q1 - v) + 3 >= n || q1[2] != '?')
        return 0;
    char enc = (char)toupper((unsigned char)q1[1]);
    const char *text = q1 + 3;
    const char *end = NULL;
    for (const char *p = text; p + 1 < v + n; p++)
        if (p[0] == '?' && p[1] == '=') {
            end = p;
            break;
        }
    if (!end || (enc != 'B' && enc != 'Q'))
        return 0;
    char charset[48];
    size_t cl = (size_t)(q1 - v) - 2;
    const char *star = memchr(v + 2, '*', cl); /* RFC 2231 language: charset*lang */
    if (star)
        cl = (size_t)(star - v) - 2;
    if (cl == 0 || cl >= sizeof(charset))
        return 0;
    memcpy(charset, v + 2, cl);
    charset[cl] = '\0';
    lower(charset);
    size_t tl = (size_t)(end - text);
    uint8_t raw[1024];
    if (tl > sizeof(raw))
        return 0;
    size_t rn = enc == 'B' ? b64_decode((const uint8_t *)text, tl, raw)
                           : qp_decode((const uint8_t *)text, tl, raw, 1);
    uint8_t *u = NULL;
    size_t un = 0;
    if (needs_conversion(charset) && to_utf8(charset, raw, rn, &u, &un) == 0) {
        put(t, tn, cap, u, un);
        scan_bytes_free(u, un);
    } else {
        put(t, tn, cap, raw, rn);
    }
    secmem_wipe(raw, sizeof(raw));
    return (size_t)(end - v) + 2;
}

/* A header value with encoded words decoded (white space between two of them dropped). */
static void decode_value(const char *v, size_t n, char *t, size_t *tn, size_t cap)
{
    size_t i = 0, last_word_end = (size_t)-1, pending_space = 0;
    while (i < n) {
        size_t w = encoded_word(v + i, n - i, t, tn, cap);
        if (w) {
            i += w;
            last_word_end = i;
            pending_space = 0;
            continue;
        }
        if (v[i] == ' ' || v[i] == '\t') {
            /* Keep the space unless an encoded word follows one just ended. */
            size_t j = i;
            while (j < n && (v[j] == ' ' || v[j] == '\t'))
                j++;
            if (last_word_end == i && j + 1 < n && v[j] == '=' && v[j + 1] == '?') {
                i = j;
                continue;
            }
            pending_space = j - i;
            put(t, tn, cap, v + i, pending_space);
            i = j;
            continue;
        }
        put(t, tn, cap, v + i, 1);
        i++;
    }
}

/* A parameter (boundary, charset, name, filename) of a header value, unquoted; RFC 2231
 * forms (filename*=charset''%E5%90%8D, filename*0*=...) are joined and decoded. */
static void param(const char *v, const char *name, char *out, size_t size)
{
    size_t nl = strlen(name), o = 0;
    out[0] = '\0';
    char ext[512];
    size_t en = 0;
    ext[0] = '\0';
    for (const char *p = v; *p; p++) {
        if (p != v && p[-1] != ';' && p[-1] != ' ' && p[-1] != '\t')
            continue;
        if (strncasecmp(p, name, nl) != 0)
            continue;
        const char *q = p + nl;
        int extended = 0;
        if (*q == '*') { /* name* or name*0 or name*0* */
            q++;
            while (*q >= '0' && *q <= '9')
                q++;
            if (*q == '*')
                q++;
            extended = 1;
        }
        while (*q == ' ')
            q++;
        if (*q != '=')
            continue;
        q++;
        while (*q == ' ')
            q++;
        char val[512];
        size_t vn = 0;
        if (*q == '"') {
            for (q++; *q && *q != '"' && vn + 1 < sizeof(val); q++) {
                if (*q == '\\' && q[1])
                    q++;
                val[vn++] = *q;
            }
        } else {
            while (*q && *q != ';' && *q != ' ' && *q != '\t' && vn + 1 < sizeof(val))
                val[vn++] = *q++;
        }
        val[vn] = '\0';
        if (extended)
            put(ext, &en, sizeof(ext), val, vn);
        else if (!out[0])
            snprintf(out, size, "%s", val);
    }
    if (en) { /* charset'language'percent-encoded */
        const char *a1 = strchr(ext, '\'');
        const char *a2 = a1 ? strchr(a1 + 1, '\'') : NULL;
        char charset[48] = "";
        const char *text = ext;
        if (a1 && a2 && (size_t)(a1 - ext) < sizeof(charset)) {
            memcpy(charset, ext, (size_t)(a1 - ext));
            charset[a1 - ext] = '\0';
            lower(charset);
            text = a2 + 1;
        }
        uint8_t raw[512];
        size_t rn = 0;
        for (const char *p = text; *p && rn < sizeof(raw); p++) {
            if (*p == '%' && hexval((uint8_t)p[1]) >= 0 && hexval((uint8_t)p[2]) >= 0) {
                raw[rn++] = (uint8_t)(hexval((uint8_t)p[1]) * 16 + hexval((uint8_t)p[2]));
                p += 2;
            } else {
                raw[rn++] = (uint8_t)*p;
            }
        }
        uint8_t *u = NULL;
        size_t un = 0;
        if (needs_conversion(charset) && to_utf8(charset, raw, rn, &u, &un) == 0) {
            snprintf(out, size, "%.*s", (int)un, (const char *)u);
            scan_bytes_free(u, un);
        } else {
            snprintf(out, size, "%.*s", (int)rn, (const char *)raw);
        }
        o = 1;
    }
    (void)o;
    if (out[0] && strstr(out, "=?")) { /* a name in encoded words, as some mailers write */
        char dec[512];
        size_t dn = 0;
        dec[0] = '\0';
        decode_value(out, strlen(out), dec, &dn, sizeof(dec));
        snprintf(out, size, "%s", dec);
    }
}

/*
 * parse_headers: read the header block of the entity at b[0..len): fill e, and write the
 * unfolded headers, encoded words decoded, one per line, into text (cap bytes).
 */
static void parse_headers(const uint8_t *b, size_t len, struct entity *e, char *text, size_t *tn,
                          size_t cap)
{
    memset(e, 0, sizeof(*e));
    size_t i = 0;
    if (len > 5 && memcmp(b, "From ", 5) == 0)
        i = line_end(b, len, 0) + 1;
    char disposition[1024] = "";
    while (i < len && !blank_line(b, len, i)) {
        /* One field: its line and the folded lines after it. */
        size_t start = i, colon;
        size_t end = line_end(b, len, i);
        while (end + 1 < len && (b[end + 1] == ' ' || b[end + 1] == '\t'))
            end = line_end(b, len, end + 1);
        i = end < len ? end + 1 : len;
        if (!header_name(b, len, start, &colon) || colon > end)
            continue;
        char value[2048];
        size_t vn = 0;
        for (size_t k = colon + 1; k < end && vn + 1 < sizeof(value); k++)
            if (b[k] != '\r' && b[k] != '\n')
                value[vn++] = (char)b[k];
        value[vn] = '\0';
        const char *v = value;
        while (*v == ' ' || *v == '\t')
            v++;
        size_t nl = colon - start;
        const char *name = (const char *)b + start;
        put(text, tn, cap, name, nl);
        put(text, tn, cap, ": ", 2);
        decode_value(v, strlen(v), text, tn, cap);
        put(text, tn, cap, "\n", 1);
        if (nl == 12 && strncasecmp(name, "content-type", 12) == 0) {
            size_t k = strcspn(v, "; \t");
            snprintf(e->type, sizeof(e->type), "%.*s", (int)k, v);
            lower(e->type);
            param(v, "boundary", e->boundary, sizeof(e->boundary));
            param(v, "charset", e->charset, sizeof(e->charset));
            lower(e->charset);
            if (!e->filename[0])
                param(v, "name", e->filename, sizeof(e->filename));
        } else if (nl == 25 && strncasecmp(name, "content-transfer-encoding", 25) == 0) {
            size_t k = strcspn(v, "; \t");
            snprintf(e->encoding, sizeof(e->encoding), "%.*s", (int)k, v);
            lower(e->encoding);
        } else if (nl == 19 && strncasecmp(name, "content-disposition", 19) == 0) {
            snprintf(disposition, sizeof(disposition), "%s", v);
        }
    }
    if (disposition[0]) {
        char fn[512];
        param(disposition, "filename", fn, sizeof(fn));
        if (fn[0])
            snprintf(e->filename, sizeof(e->filename), "%s", fn);
    }
    if (i < len) /* the blank line */
        i = line_end(b, len, i) + 1;
    e->body = i < len ? i : len;
}

/* ---- entities ------------------------------------------------------------------------ */

static void scan_entity(struct scan_ctx *c, const uint8_t *b, size_t len, const char *number,
                        int push, int level);

/* Decode a leaf's body by its transfer encoding into a malloc'd buffer (or point at it). */
static const uint8_t *decode_body(const struct entity *e, const uint8_t *b, size_t len,
                                  uint8_t **owned, size_t *outlen)
{
    *owned = NULL;
    *outlen = len;
    int b64 = strcmp(e->encoding, "base64") == 0;
    int qp = strcmp(e->encoding, "quoted-printable") == 0;
    if (!b64 && !qp)
        return b;
    uint8_t *out = malloc(len ? len : 1);
    if (!out)
        return NULL;
    *outlen = b64 ? b64_decode(b, len, out) : qp_decode(b, len, out, 0);
    *owned = out;
    return out;
}

static void scan_leaf(struct scan_ctx *c, const struct entity *e, const uint8_t *b, size_t len)
{
    uint8_t *owned;
    size_t n;
    const uint8_t *body = decode_body(e, b, len, &owned, &n);
    if (!body) {
        c->nomem = 1;
        return;
    }
    int text = strncmp(e->type, "text/", 5) == 0 || !e->type[0];
    uint8_t *u = NULL;
    size_t un = 0;
    if (text && !e->filename[0] && needs_conversion(e->charset) &&
        to_utf8(e->charset, body, n, &u, &un) == 0)
        scan_text(c, u, un, SCAN_ENC_UTF8);
    else
        scan_blob(c, body, n); /* attachments and UTF-8 text: by what they are */
    scan_bytes_free(u, un);
    scan_bytes_free(owned, owned ? len : 0);
}

/* The parts of a multipart body, each scanned as an entity named "N.k". */
static void scan_multipart(struct scan_ctx *c, const struct entity *e, const uint8_t *b, size_t len,
                           const char *number, int level)
{
    char delim[132];
    int dl = snprintf(delim, sizeof(delim), "--%s", e->boundary);
    size_t start = (size_t)-1;
    int part = 0;
    size_t i = 0;
    while (i <= len && scan_busy(c)) {
        size_t end = line_end(b, len, i);
        int is_delim = end - i >= (size_t)dl && memcmp(b + i, delim, (size_t)dl) == 0;
        if (is_delim || end >= len) {
            if (start != (size_t)-1) {
                /* The part ends before the line break that precedes the delimiter. */
                size_t stop = is_delim ? i : len;
                if (stop > start && b[stop - 1] == '\n')
                    stop--;
                if (stop > start && b[stop - 1] == '\r')
                    stop--;
                char num[64];
                snprintf(num, sizeof(num), "%s%s%d", number, number[0] ? "." : "", ++part);
                scan_entity(c, b + start, stop - start, num, 1, level + 1);
            }
            if (!is_delim)
                break;
            if (end - i >= (size_t)dl + 2 && b[i + (size_t)dl] == '-' &&
                b[i + (size_t)dl + 1] == '-')
                break; /* the closing delimiter */
            start = end + 1;
        }
        i = end + 1;
    }
}

/* scan_entity: one message or part; push: name it as a member (a part of a multipart). */
static void scan_entity(struct scan_ctx *c, const uint8_t *b, size_t len, const char *number,
                        int push, int level)
{
    if (level > MIME_MAX_LEVELS) { /* messages inside messages inside messages ... */
        scan_problem(c, MNV_ERR_SCAN_NESTED, NULL);
        return;
    }
    struct entity e;
    char *text = malloc(MIME_MAX_HEADER);
    if (!text) {
        c->nomem = 1;
        return;
    }
    size_t tn = 0;
    text[0] = '\0';
    parse_headers(b, len, &e, text, &tn, MIME_MAX_HEADER);
    char name[600];
    int pushed = 0;
    if (push) { /* a part: named by its file name or its number */
        if (e.filename[0])
            snprintf(name, sizeof(name), "%s", e.filename);
        else
            snprintf(name, sizeof(name), "part %s", number);
        if (scan_push_member(c, name) < 0) {
            scan_bytes_free(text, MIME_MAX_HEADER);
            return;
        }
        pushed = 1;
    }
    scan_text(c, (const uint8_t *)text, tn, SCAN_ENC_UTF8); /* Subject, names ... */
    scan_bytes_free(text, MIME_MAX_HEADER);
    const uint8_t *body = b + e.body;
    size_t blen = len - e.body;
    if (strncmp(e.type, "multipart/", 10) == 0 && e.boundary[0])
        scan_multipart(c, &e, body, blen, number, level);
    else if (strcmp(e.type, "message/rfc822") == 0 && !e.encoding[0])
        scan_entity(c, body, blen, number, 0, level + 1); /* an attached message */
    else
        scan_leaf(c, &e, body, blen);
    scan_deadline(c);
    if (pushed)
        scan_pop_member(c);
}

void scan_mail(struct scan_ctx *c, const uint8_t *data, size_t len)
{
    scan_entity(c, data, len, "", 0, 0);
}
