/*
 * scan/blob.c: what a file is, and the limits on unpacking it (part of the scan module,
 * see scan.h). scan_blob() looks at the first bytes and hands the file to the reader for
 * it: zip (office documents too), PDF, gzip, tar, mail, compound files, or the text core.
 * A format that hides its content and is not read here (7z, RAR, bzip2, xz, zstd) and a
 * picture are reported as not scanned, never taken for text that holds no number.
 *
 * Unpacked content grows through scan_out_put(), which keeps every file within its limits:
 * bytes unpacked in all, the ratio of unpacked to packed bytes of one part (past 8 MiB, so
 * small parts that pack well are never refused), and the time spent on the file.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mnvault/alloc.h"
#include "mnvault/secmem.h"
#include "priv.h"

#define RATIO_FLOOR ((uint64_t)8 << 20)
#define MAX_LEVELS 16 /* containers inside containers (gzip in gzip ...) */

/* ---- limits -------------------------------------------------------------------------- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void scan_limits_begin(struct scan_ctx *c)
{
    const struct scan_opts *o = c->opts;
    c->max_unpacked = o->max_unpacked ? o->max_unpacked : SCAN_DEFAULT_MAX_UNPACKED;
    c->max_ratio = o->max_ratio ? o->max_ratio : SCAN_DEFAULT_MAX_RATIO;
    c->deadline = now_seconds() + (o->max_seconds ? o->max_seconds : SCAN_DEFAULT_MAX_SECONDS);
    c->unpacked = 0;
    c->halt = 0;
    c->level = 0;
}

int scan_busy(const struct scan_ctx *c)
{
    return !c->stop && !c->nomem && !c->halt;
}

int scan_deadline(struct scan_ctx *c)
{
    if (c->halt)
        return 1;
    if (now_seconds() <= c->deadline)
        return 0;
    scan_problem(c, MNV_ERR_SCAN_TIMEOUT, NULL);
    c->halt = 1;
    return 1;
}

void scan_out_init(struct scan_out *o)
{
    memset(o, 0, sizeof(*o));
}

void scan_out_free(struct scan_out *o)
{
    scan_bytes_free(o->p, o->cap);
    memset(o, 0, sizeof(*o));
}

enum mnv_err scan_out_put(struct scan_ctx *c, struct scan_out *o, const void *data, size_t n)
{
    uint64_t total = (uint64_t)o->n + n;
    if (c->unpacked + n > c->max_unpacked) {
        c->halt = 1; /* whatever else this file holds would be over the limit too */
        return MNV_ERR_SCAN_TOO_BIG;
    }
    if (total > RATIO_FLOOR && total / (o->packed_now ? o->packed_now : 1) > c->max_ratio)
        return MNV_ERR_SCAN_TOO_BIG;
    if (scan_deadline(c))
        return MNV_ERR_SCAN_TIMEOUT;
    if (o->cap - o->n < n) {
        /* The old copy held file content: wiped as it moves (from 64 KiB, doubling). */
        size_t need = n > SIZE_MAX - o->n ? SIZE_MAX : o->n + n;
        uint8_t *p = alloc_grow_wiped(o->p, &o->cap, o->n, need < 65536 ? 65536 : need, 1);
        if (!p)
            return MNV_ERR_NOMEM;
        o->p = p;
    }
    memcpy(o->p + o->n, data, n);
    o->n += n;
    c->unpacked += n;
    return MNV_OK;
}

/* ---- what a file is ------------------------------------------------------------------ */

static int starts(const uint8_t *b, size_t len, const void *magic, size_t n)
{
    return len >= n && memcmp(b, magic, n) == 0;
}

int scan_is_zip(const uint8_t *b, size_t len)
{
    return len >= 4 && b[0] == 'P' && b[1] == 'K' &&
           ((b[2] == 3 && b[3] == 4) || (b[2] == 5 && b[3] == 6));
}

int scan_is_pdf(const uint8_t *b, size_t len)
{
    size_t n = len < 1024 ? len : 1024; /* the header may follow a little junk */
    for (const uint8_t *p = b, *end = b + n;
         (p = memchr(p, '%', (size_t)(end - p))) != NULL && end - p >= 5; p++)
        if (memcmp(p, "%PDF-", 5) == 0)
            return 1;
    return 0;
}

int scan_is_container(const uint8_t *b, size_t len)
{
    return scan_is_zip(b, len) || scan_is_pdf(b, len) || scan_is_gzip(b, len);
}

/* Compressed or encrypted containers not read here. */
static int is_unsupported(const uint8_t *b, size_t len)
{
    return starts(b, len, "7z\xBC\xAF\x27\x1C", 6) || starts(b, len, "Rar!\x1A\x07", 6) ||
           starts(b, len,
                  "\xFD"
                  "7zXZ\x00",
                  6) ||
           starts(b, len, "\x28\xB5\x2F\xFD", 4) ||
           (starts(b, len, "BZh", 3) && len >= 10 && b[3] >= '1' && b[3] <= '9' &&
            memcmp(b + 4, "\x31\x41\x59\x26\x53\x59", 6) == 0) ||
           starts(b, len, "LZIP", 4) || starts(b, len, "MSCF\0\0\0\0", 8);
}

static int is_picture(const uint8_t *b, size_t len)
{
    if (starts(b, len, "\x89PNG\r\n\x1A\n", 8) || starts(b, len, "\xFF\xD8\xFF", 3) ||
        starts(b, len, "GIF87a", 6) || starts(b, len, "GIF89a", 6) || starts(b, len, "II*\0", 4) ||
        starts(b, len, "MM\0*", 4))
        return 1;
    if (len >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
        return 1;
    if (len >= 12 && memcmp(b + 4, "ftyp", 4) == 0 &&
        (memcmp(b + 8, "heic", 4) == 0 || memcmp(b + 8, "heix", 4) == 0 ||
         memcmp(b + 8, "mif1", 4) == 0 || memcmp(b + 8, "avif", 4) == 0))
        return 1;
    /* BMP: "BM", then the file's size. */
    return len >= 26 && b[0] == 'B' && b[1] == 'M' &&
           ((uint32_t)b[2] | (uint32_t)b[3] << 8 | (uint32_t)b[4] << 16 | (uint32_t)b[5] << 24) ==
               len;
}

static int at_top(const struct scan_ctx *c)
{
    return c->place.depth == 0 && c->place.page == 0 && c->level == 0;
}

static void set_format(struct scan_ctx *c, enum scan_format f)
{
    if (at_top(c))
        c->res.format = f;
}

/* The readers of files that hold other files; returns 1 when b was one of them. The format
 * is set at the file's own level; the reader then runs one level down. */
static int dispatch_container(struct scan_ctx *c, const uint8_t *b, size_t len)
{
    void (*reader)(struct scan_ctx *, const uint8_t *, size_t);
    enum scan_format f;
    if (scan_is_zip(b, len)) {
        f = SCAN_FMT_ZIP; /* scan_zip says when it is an office document */
        reader = scan_zip;
    } else if (scan_is_pdf(b, len)) {
        f = SCAN_FMT_PDF;
        reader = scan_pdf;
    } else if (scan_is_gzip(b, len)) {
        f = SCAN_FMT_GZIP;
        reader = scan_gzip;
    } else if (scan_is_tar(b, len)) {
        f = SCAN_FMT_TAR;
        reader = scan_tar;
    } else if (scan_is_mail(b, len)) {
        f = SCAN_FMT_MAIL;
        reader = scan_mail;
    } else {
        return 0;
    }
    set_format(c, f);
    c->level++;
    reader(c, b, len);
    c->level--;
    return 1;
}

int scan_is_plain_text(const uint8_t *b, size_t len)
{
    return len > 0 && !scan_is_zip(b, len) && !scan_is_pdf(b, len) && !scan_is_gzip(b, len) &&
           !scan_is_tar(b, len) && !scan_is_mail(b, len) && !is_unsupported(b, len) &&
           !is_picture(b, len) && !scan_is_cfb(b, len);
}

void scan_blob(struct scan_ctx *c, const uint8_t *data, size_t len)
{
    if (len == 0 || !scan_busy(c))
        return;
    if (c->level >= MAX_LEVELS) {
        scan_problem(c, MNV_ERR_SCAN_NESTED, NULL);
        return;
    }
    if (dispatch_container(c, data, len))
        return;
    if (is_unsupported(data, len) || is_picture(data, len)) {
        set_format(c, SCAN_FMT_OTHER);
        /* Pictures that are part of an office document (logos, photos) are not reported
         * one by one; doc/scan.md says that pictures are not read. */
        if (!(c->office && is_picture(data, len)))
            scan_problem(c, is_picture(data, len) ? MNV_ERR_SCAN_PICTURE : MNV_ERR_SCAN_FORMAT,
                         NULL);
        return;
    }
    if (scan_is_cfb(data, len)) {
        set_format(c, SCAN_FMT_COMPOUND);
        if (scan_cfb_encrypted(data, len)) {
            scan_problem(c, MNV_ERR_SCAN_ENCRYPTED, NULL);
            return;
        }
        scan_text(c, data, len, SCAN_ENC_BINARY);
        scan_cfb_numbers(c, data, len);
        return;
    }
    enum scan_encoding enc = c->opts->encoding;
    if (enc == SCAN_ENC_AUTO)
        enc = scan_detect_encoding(data, len);
    if (at_top(c)) {
        c->res.format = SCAN_FMT_TEXT;
        c->res.encoding = enc;
    }
    scan_text(c, data, len, enc);
}

/* ---- kinds of problems --------------------------------------------------------------- */

enum scan_problem_kind scan_problem_kind(enum mnv_err err)
{
    switch (err) {
    case MNV_ERR_SCAN_DAMAGED:
    case MNV_ERR_SCAN_ENCRYPTED:
    case MNV_ERR_SCAN_TOO_BIG:
    case MNV_ERR_SCAN_CHANGED:
    case MNV_ERR_SCAN_NESTED:
    case MNV_ERR_SCAN_METHOD:
    case MNV_ERR_SCAN_DEPTH:
    case MNV_ERR_SCAN_TIMEOUT:
    case MNV_ERR_SCAN_FORMAT:
    case MNV_ERR_SCAN_PICTURE:
    case MNV_ERR_SCAN_UNMAPPED:
        return SCAN_NOT_SCANNED;
    default:
        return SCAN_ERROR;
    }
}

const char *scan_problem_tag(enum mnv_err err)
{
    switch (err) {
    case MNV_ERR_SCAN_ENCRYPTED:
        return "encrypted";
    case MNV_ERR_SCAN_TOO_BIG:
        return "too_large";
    case MNV_ERR_SCAN_TIMEOUT:
        return "too_long";
    case MNV_ERR_SCAN_DAMAGED:
        return "damaged";
    case MNV_ERR_SCAN_METHOD:
    case MNV_ERR_SCAN_FORMAT:
        return "unsupported";
    case MNV_ERR_SCAN_PICTURE:
        return "picture";
    case MNV_ERR_SCAN_UNMAPPED:
        return "unreadable_text";
    case MNV_ERR_SCAN_NESTED:
    case MNV_ERR_SCAN_DEPTH:
        return "too_deep";
    case MNV_ERR_SCAN_CHANGED:
        return "changed";
    default:
        return "error";
    }
}
