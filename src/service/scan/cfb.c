/*
 * scan/cfb.c: OLE compound files for the scanner (part of the scan module, see scan.h):
 * the container of old Word, Excel and PowerPoint files (.doc .xls .ppt), Outlook's .msg,
 * and of Office files saved with a password (an encrypted .docx or .xlsx is a compound
 * file holding "EncryptionInfo" and "EncryptedPackage", not a zip).
 *
 * Two questions are answered here. Is the content encrypted? Yes for an "EncryptedPackage"
 * stream (OOXML with a password), a Word document whose FIB says fEncrypted, and an Excel
 * workbook whose first records hold FILEPASS. And which numbers does an old Excel workbook
 * keep as numbers (NUMBER, RK, MULRK records and formula results, as IEEE doubles, where no
 * byte search can see them)? Each such whole number becomes a line of text. The text of a
 * compound file is read by the binary pass of the core (ASCII and UTF-16 at both
 * alignments). Every read is bounds-checked and every chain walk bounded,
 * because the file is untrusted.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/secmem.h"
#include "priv.h"

#define CFB_MAX_CHAIN 65536 /* sectors walked in one chain */
#define CFB_FREE 0xFFFFFFFFu
#define CFB_END 0xFFFFFFFEu

struct cfb {
    const uint8_t *b;
    size_t len;
    unsigned shift; /* sector size = 1 << shift */
    uint32_t fat_sectors[109];
    unsigned nfat;
    uint32_t root_start; /* the mini stream: the root entry's stream */
};

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned le16(const uint8_t *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

int scan_is_cfb(const uint8_t *b, size_t len)
{
    static const uint8_t magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    return len >= 512 && memcmp(b, magic, 8) == 0;
}

/* The bytes of sector sid, or NULL when it lies outside the file. */
static const uint8_t *sector(const struct cfb *f, uint32_t sid)
{
    uint64_t off = ((uint64_t)sid + 1) << f->shift;
    if (sid >= CFB_END - 16 || off + ((uint64_t)1 << f->shift) > f->len)
        return NULL;
    return f->b + off;
}

/* The next sector of a chain (from the FAT), or CFB_END when it cannot be read. */
static uint32_t next_sector(const struct cfb *f, uint32_t sid)
{
    uint32_t per = (1u << f->shift) / 4;
    uint32_t k = sid / per;
    if (k >= f->nfat)
        return CFB_END;
    const uint8_t *s = sector(f, f->fat_sectors[k]);
    return s ? le32(s + 4 * (sid % per)) : CFB_END;
}

/* The byte at offset off of the regular stream starting at sector start, or NULL. */
static const uint8_t *stream_at(const struct cfb *f, uint32_t start, uint64_t off)
{
    size_t ss = (size_t)1 << f->shift;
    uint32_t sid = start;
    for (uint64_t k = off / ss; k > 0; k--) {
        if (k > CFB_MAX_CHAIN)
            return NULL;
        sid = next_sector(f, sid);
    }
    const uint8_t *s = sector(f, sid);
    return s ? s + off % ss : NULL;
}

/* The next mini sector of a chain (from the mini FAT), or CFB_END. */
static uint32_t next_mini(const struct cfb *f, uint32_t mid)
{
    const uint8_t *p = stream_at(f, le32(f->b + 0x3C), (uint64_t)mid * 4);
    return p ? le32(p) : CFB_END;
}

/* Copy up to n bytes from the start of the stream (first sector start, size bytes) into
 * out; returns the bytes copied. Streams below the cutoff live in the mini stream. */
static size_t read_stream(const struct cfb *f, uint32_t start, uint64_t size, uint8_t *out,
                          size_t n)
{
    int mini = size < le32(f->b + 0x38);
    size_t got = 0, ss = mini ? 64 : (size_t)1 << f->shift;
    uint32_t sid = start;
    for (int steps = 0; got < n && got < size && steps < CFB_MAX_CHAIN; steps++) {
        const uint8_t *s = mini ? stream_at(f, f->root_start, (uint64_t)sid * 64) : sector(f, sid);
        if (!s || sid >= CFB_END - 16)
            break;
        size_t k = n - got < ss ? n - got : ss;
        memcpy(out + got, s, k);
        got += k;
        sid = mini ? next_mini(f, sid) : next_sector(f, sid);
    }
    return got;
}

static int name_is(const uint8_t *entry, const char *name)
{
    size_t n = strlen(name);
    unsigned bytes = le16(entry + 0x40); /* with the terminating NUL */
    if (bytes != (n + 1) * 2)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (entry[2 * i] != (uint8_t)name[i] || entry[2 * i + 1] != 0)
            return 0;
    return 1;
}

/* Word: the FIB's fEncrypted bit. Excel: FILEPASS (0x002F) among the first records. */
static int stream_encrypted(const struct cfb *f, const uint8_t *entry, int word)
{
    uint8_t head[512];
    size_t n = read_stream(f, le32(entry + 0x74), le32(entry + 0x78), head, sizeof(head));
    if (word)
        return n >= 12 && le16(head) == 0xA5EC && (le16(head + 0x0A) & 0x0100);
    for (size_t off = 0; off + 4 <= n;) {
        unsigned type = le16(head + off), rlen = le16(head + off + 2);
        if (type == 0x002F)
            return 1;
        if (off > 0 && type == 0x0809)
            break; /* a second BOF: the workbook globals are past */
        off += 4 + rlen;
    }
    return 0;
}

/* cfb_open: the header of a compound file into f; 0, or -1 when it cannot be read. */
static int cfb_open(struct cfb *f, const uint8_t *b, size_t len)
{
    memset(f, 0, sizeof(*f));
    f->b = b;
    f->len = len;
    f->shift = le16(b + 0x1E);
    if (f->shift != 9 && f->shift != 12)
        return -1;
    uint32_t nfat = le32(b + 0x2C);
    f->nfat = nfat < 109 ? nfat : 109;
    for (unsigned i = 0; i < f->nfat; i++)
        f->fat_sectors[i] = le32(b + 0x4C + 4 * i);
    const uint8_t *root = sector(f, le32(b + 0x30));
    if (!root)
        return -1;
    f->root_start = le32(root + 0x74);
    return 0;
}

/* The directory entries of streams, one after the other: call with *at = 0 first; NULL at
 * the end. */
static const uint8_t *next_stream(const struct cfb *f, uint32_t *sid, size_t *at, int *steps)
{
    size_t per = ((size_t)1 << f->shift) / 128;
    if (*at == 0 && *steps == 0)
        *sid = le32(f->b + 0x30);
    while (*sid < CFB_END - 16 && *steps < CFB_MAX_CHAIN) {
        const uint8_t *s = sector(f, *sid);
        if (!s)
            return NULL;
        while (*at < per) {
            const uint8_t *e = s + 128 * (*at)++;
            if (e[0x42] == 2)
                return e;
        }
        *at = 0;
        (*steps)++;
        *sid = next_sector(f, *sid);
    }
    return NULL;
}

static const uint8_t *find_entry(const struct cfb *f, const char *name)
{
    uint32_t sid = 0;
    size_t at = 0;
    int steps = 0;
    const uint8_t *e;
    while ((e = next_stream(f, &sid, &at, &steps)))
        if (name_is(e, name))
            return e;
    return NULL;
}

int scan_cfb_encrypted(const uint8_t *b, size_t len)
{
    struct cfb f;
    if (cfb_open(&f, b, len) < 0)
        return 0;
    uint32_t sid = 0;
    size_t at = 0;
    int steps = 0;
    const uint8_t *e;
    while ((e = next_stream(&f, &sid, &at, &steps))) {
        if (name_is(e, "EncryptedPackage") || name_is(e, "EncryptedSummary"))
            return 1;
        if (name_is(e, "WordDocument") && stream_encrypted(&f, e, 1))
            return 1;
        if ((name_is(e, "Workbook") || name_is(e, "Book")) && stream_encrypted(&f, e, 0))
            return 1;
    }
    return 0;
}

/* ---- numbers of an old Excel workbook ------------------------------------------------ */

static double le_double(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    double d;
    memcpy(&d, &v, sizeof(d));
    return d;
}

static double rk_value(uint32_t rk)
{
    double v;
    if (rk & 2) {
        v = (double)((int32_t)rk >> 2);
    } else {
        uint64_t bits = (uint64_t)(rk & 0xFFFFFFFCu) << 32;
        memcpy(&v, &bits, sizeof(v));
    }
    return (rk & 1) ? v / 100 : v;
}

/* A whole number of 10 to 15 digits, as a line of text. */
static void put_number(struct scan_ctx *c, struct scan_out *o, double v)
{
    char line[32];
    if (!isfinite(v) || v != floor(v) || fabs(v) < 1e10 || fabs(v) >= 1e15)
        return;
    /* A number typed into a numeric cell loses its leading zero: 11 digits were 12. */
    int n = snprintf(line, sizeof(line), fabs(v) < 1e11 && fabs(v) >= 1e10 ? "%012.0f\n" : "%.0f\n",
                     fabs(v));
    if (n > 0)
        (void)scan_out_put(c, o, line, (size_t)n); /* past a limit: what came is scanned */
}

/* The numbers of BIFF records in w[0..n). */
static void biff_numbers(struct scan_ctx *c, struct scan_out *o, const uint8_t *w, size_t n)
{
    for (size_t off = 0; off + 4 <= n && scan_busy(c);) {
        unsigned type = le16(w + off), rlen = le16(w + off + 2);
        const uint8_t *r = w + off + 4;
        if (off + 4 + rlen > n)
            break;
        if (type == 0x0203 && rlen >= 14) { /* NUMBER */
            put_number(c, o, le_double(r + 6));
        } else if (type == 0x027E && rlen >= 10) { /* RK */
            put_number(c, o, rk_value(le32(r + 6)));
        } else if (type == 0x00BD && rlen >= 6) { /* MULRK: (xf, rk) pairs */
            for (size_t k = 4; k + 6 <= (size_t)rlen - 2; k += 6)
                put_number(c, o, rk_value(le32(r + k + 2)));
        } else if (type == 0x0006 && rlen >= 14 && !(r[12] == 0xFF && r[13] == 0xFF)) {
            put_number(c, o, le_double(r + 6)); /* FORMULA with a number as its result */
        }
        off += 4 + rlen;
    }
}

void scan_cfb_numbers(struct scan_ctx *c, const uint8_t *b, size_t len)
{
    struct cfb f;
    if (cfb_open(&f, b, len) < 0)
        return;
    const uint8_t *e = find_entry(&f, "Workbook");
    if (!e)
        e = find_entry(&f, "Book");
    if (!e)
        return;
    uint64_t size = le32(e + 0x78);
    if (size > len)
        size = len; /* a stream cannot hold more than the file */
    struct scan_out text;
    scan_out_init(&text);
    uint8_t *w = malloc(size ? (size_t)size : 1);
    if (!w) {
        c->nomem = 1;
        return;
    }
    size_t n = read_stream(&f, le32(e + 0x74), size, w, (size_t)size);
    biff_numbers(c, &text, w, n);
    scan_bytes_free(w, (size_t)size);
    if (text.n && scan_push_member(c, "Workbook") == 0) {
        scan_text(c, text.p, text.n, SCAN_ENC_UTF8);
        scan_pop_member(c);
    }
    scan_out_free(&text);
}
