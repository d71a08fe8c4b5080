/*
 * scan/stream.c: text from a stream longer than it is sensible to hold (part of the scan
 * module, see scan.h): standard input and named pipes past --max-size are scanned in
 * parts, in memory bounded by a few MiB, however long they run (`mnvault scan - <
 * /dev/zero` never grows).
 *
 * A part ends where no number can run across: after a line break when there is one
 * (then keyword hints, which look at the number's line and the one above, see the same
 * text as in a whole file), else after a character that is neither a digit nor a
 * separator nor part of a word (so the findings are exactly those of the whole text). The last
 * bytes before the cut stay in the buffer as context, and scanning of the next part begins at the
 * cut (scan_buffer_at), with lines and columns carried on. A run of digits and separators longer
 * than STREAM_MAX_CARRY has no cut and is reported as too large.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "priv.h"

size_t scan_stream_part = (size_t)4 << 20; /* bytes read and scanned at a time */
#define STREAM_PART scan_stream_part
#define STREAM_KEEP ((size_t)512)           /* context kept before the next part */
#define STREAM_MAX_CARRY ((size_t)16 << 20) /* a part may grow to this without a cut */

static int digit_or_sep(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19) || scan_is_separator(cp);
}

/* Characters a part may end after: no digit or separator (no number runs across), and
 * nothing that scan_not_a_number() reads as part of a word after a number (ASCII letters,
 * "+", "/", "=", ".", full-width ASCII), so that what follows the cut cannot change a
 * finding before it. */
static int word_char(uint32_t cp)
{
    return (cp < 0x80 &&
            ((cp | 0x20) - 'a' < 26u || cp == '+' || cp == '/' || cp == '=' || cp == '.')) ||
           (cp >= 0xFF01 && cp <= 0xFF5E);
}

/* An ASCII byte that is a whole character in UTF-8, CP932 and binary and ends a part:
 * (for CP932) below 0x40, so never the second byte of a pair. */
static int cut_byte(uint8_t x, int cp932)
{
    if (x >= 0x80 || digit_or_sep(x) || word_char(x))
        return 0;
    return !cp932 || x < 0x40;
}

static uint32_t unit16(const uint8_t *b, size_t i, int be)
{
    return be ? ((uint32_t)b[i] << 8 | b[i + 1]) : ((uint32_t)b[i + 1] << 8 | b[i]);
}

/* A cut after the UTF-16 unit at i (even offsets only). */
static int cut16(const uint8_t *b, size_t i, int be)
{
    uint32_t u = unit16(b, i, be);
    return !digit_or_sep(u) && !word_char(u) && !(u >= 0xD800 && u <= 0xDBFF);
}

/* Binary: the three passes (bytes, UTF-16LE at even and at odd offsets) must all be able to
 * stop at p (even): byte p-1 ends a token, and so do the units at p-2 and at p-1. */
static int cut_binary(const uint8_t *b, size_t len, size_t p)
{
    return p >= 2 && p < len && cut_byte(b[p - 1], 0) && cut16(b, p - 2, 0) && cut16(b, p - 1, 0);
}

/* Where to cut b[from..len): the latest cut, preferring one after a line break; 0 when
 * there is none. */
static size_t find_cut(const uint8_t *b, size_t len, size_t from, enum scan_encoding enc)
{
    size_t any = 0;
    if (enc == SCAN_ENC_UTF16LE || enc == SCAN_ENC_UTF16BE) {
        int be = enc == SCAN_ENC_UTF16BE;
        for (size_t i = (len - from) & ~(size_t)1; i >= 2; i -= 2) {
            size_t u = from + i - 2;
            if (unit16(b, u, be) == '\n')
                return u + 2;
            if (!any && cut16(b, u, be))
                any = u + 2;
            if (any && len - u > STREAM_PART / 2)
                break;
        }
        return any;
    }
    for (size_t p = len; p > from; p--) {
        if (enc == SCAN_ENC_BINARY) {
            if (p & 1 || !cut_binary(b, len, p))
                continue;
        } else if (!cut_byte(b[p - 1], enc == SCAN_ENC_CP932)) {
            continue;
        }
        if (b[p - 1] == '\n')
            return p;
        if (!any)
            any = p;
        if (len - p > STREAM_PART / 2)
            break; /* far enough back: take the cut found */
    }
    return any;
}

static int on_part_finding(void *ud, const struct scan_finding *f)
{
    struct scan_ctx *c = ud;
    c->res.findings++;
    if (c->h->finding && c->h->finding(c->ud, &c->place, f)) {
        c->stop = 1;
        return 1;
    }
    return 0;
}

/* Fill buf up to want bytes from fd; returns the new length, with *eof set at the end and
 * *err to an errno value after a failed read. */
static size_t fill(int fd, uint8_t *buf, size_t n, size_t want, int *eof, int *err)
{
    while (n < want) {
        ssize_t r = read(fd, buf + n, want - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *err = errno;
            break;
        }
        if (r == 0) {
            *eof = 1;
            break;
        }
        n += (size_t)r;
    }
    return n;
}

void scan_fd_text_stream(struct scan_ctx *c, int fd, uint8_t *buf, size_t n, size_t cap,
                         enum scan_encoding enc)
{
    struct scan_pos pos = {1, 0};
    size_t from = 0;
    int eof = 0, err = 0, started = 0;
    for (;;) {
        /* A byte-order mark is looked for once three bytes are in (or the stream ended). */
        if (!started && (n >= 3 || eof || err)) {
            started = 1;
            if (enc == SCAN_ENC_UTF8 && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
                from = 3;
            else if (n >= 2 && ((enc == SCAN_ENC_UTF16LE && buf[0] == 0xFF && buf[1] == 0xFE) ||
                                (enc == SCAN_ENC_UTF16BE && buf[0] == 0xFE && buf[1] == 0xFF)))
                from = 2; /* as scan_buffer() takes them */
        }
        if (eof || err) {
            (void)scan_buffer_at(buf, n, from, enc, c->opts, on_part_finding, c, &pos);
            break;
        }
        size_t cut = started ? find_cut(buf, n, from, enc) : 0;
        if (!cut) {
            if (n - from >= STREAM_MAX_CARRY) {
                scan_problem(c, MNV_ERR_SCAN_TOO_BIG, NULL);
                break;
            }
        } else {
            if (scan_buffer_at(buf, cut, from, enc, c->opts, on_part_finding, c, &pos) ==
                MNV_ERR_INTERRUPTED)
                break;
            size_t keep = cut < STREAM_KEEP ? cut : STREAM_KEEP; /* even: alignment kept */
            memmove(buf, buf + cut - keep, n - (cut - keep));
            n -= cut - keep;
            from = keep;
        }
        /* From the first part on, the buffer is bounded: shrink what was read whole. */
        size_t want = n + STREAM_PART;
        if (want > STREAM_MAX_CARRY + STREAM_PART)
            want = STREAM_MAX_CARRY + STREAM_PART;
        if (cap > want * 2 || cap < want) {
            uint8_t *nb = malloc(want);
            if (!nb) {
                c->nomem = 1;
                break;
            }
            memcpy(nb, buf, n);
            scan_bytes_free(buf, cap);
            buf = nb;
            cap = want;
        }
        n = fill(fd, buf, n, want, &eof, &err);
    }
    scan_bytes_free(buf, cap);
    if (err) {
        struct mnv_diag d;
        mnv_diag_clear(&d);
        mnv_diag_errno(&d, err);
        scan_problem(c, MNV_ERR_IO, &d);
    }
}
