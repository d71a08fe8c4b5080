#include "mnvault/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/secmem.h"
#include "mnvault/strbuf.h"
#include "mnvault/utf8.h"

const char *csv_encoding_name(enum csv_encoding enc)
{
    switch (enc) {
    case CSV_UTF8_BOM:
        return "UTF-8 (BOM)";
    case CSV_CP932:
        return "Shift_JIS (CP932)";
    default:
        return "UTF-8";
    }
}

/* The 1-based line holding byte offset off. */
static long line_at(const unsigned char *in, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        line += in[i] == '\n';
    return line;
}

static void set_line(struct mnv_diag *diag, long line)
{
    if (diag)
        diag->line = line;
}

static enum mnv_err from_cp932(const unsigned char *in, size_t len, char **out, size_t *out_len,
                               struct mnv_diag *diag)
{
    /* Each CP932 byte becomes at most 3 bytes of UTF-8 (half-width katakana). */
    size_t cap = 3 * len + 1;
    char *buf = secmem_alloc(cap);
    if (!buf)
        return MNV_ERR_NOMEM;
    iconv_t cd = iconv_open("UTF-8", "CP932");
    if (cd == (iconv_t)-1) {
        secmem_free(buf);
        return MNV_ERR_CSV_ENCODING;
    }
    char *ip = (char *)(uintptr_t)in, *op = buf;
    size_t il = len, ol = cap - 1;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    int failed = r == (size_t)-1;
    iconv_close(cd);
    if (failed) {
        set_line(diag, line_at(in, (size_t)(ip - (char *)(uintptr_t)in)));
        secmem_free(buf);
        return MNV_ERR_CSV_ENCODING;
    }
    *op = '\0';
    *out = buf;
    *out_len = (size_t)(op - buf);
    return MNV_OK;
}

enum mnv_err csv_decode(const unsigned char *in, size_t len, char **out, size_t *out_len,
                        enum csv_encoding *enc, struct mnv_diag *diag)
{
    *out = NULL;
    *out_len = 0;
    *enc = CSV_UTF8;
    if (len > CSV_MAX_BYTES)
        return MNV_ERR_CSV_TOO_BIG;
    const unsigned char *nul = len ? memchr(in, 0, len) : NULL;
    if (nul) {
        set_line(diag, line_at(in, (size_t)(nul - in)));
        return MNV_ERR_CSV_CHAR;
    }
    if (len >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF) {
        in += 3;
        len -= 3;
        *enc = CSV_UTF8_BOM;
    }
    if (!utf8_valid((const char *)in, len)) {
        if (*enc == CSV_UTF8_BOM) {
            /* A BOM promises UTF-8: find the first bad line rather than guess. */
            size_t i = 0;
            uint32_t cp;
            while (i < len) {
                int k = utf8_decode((const char *)in + i, len - i, &cp);
                if (k < 0)
                    break;
                i += (size_t)k;
            }
            set_line(diag, line_at(in, i));
            return MNV_ERR_CSV_ENCODING;
        }
        *enc = CSV_CP932;
        return from_cp932(in, len, out, out_len, diag);
    }
    char *buf = secmem_alloc(len + 1);
    if (!buf)
        return MNV_ERR_NOMEM;
    if (len)
        memcpy(buf, in, len);
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return MNV_OK;
}

enum mnv_err csv_read_file(const char *path, char **out, size_t *out_len, enum csv_encoding *enc,
                           struct mnv_diag *diag)
{
    *out = NULL;
    *out_len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        int e = fd < 0 ? errno : EINVAL;
        if (fd >= 0)
            close(fd);
        mnv_diag_where(diag, "%s", path);
        mnv_diag_errno(diag, e);
        return e == ENOENT ? MNV_ERR_NOT_FOUND : MNV_ERR_IO;
    }
    if ((unsigned long long)sb.st_size > CSV_MAX_BYTES) {
        close(fd);
        return MNV_ERR_CSV_TOO_BIG;
    }
    size_t size = (size_t)sb.st_size, got = 0;
    unsigned char *raw = secmem_alloc(size + 1);
    if (!raw) {
        close(fd);
        return MNV_ERR_NOMEM;
    }
    while (got < size) {
        ssize_t n = read(fd, raw + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            close(fd);
            secmem_free(raw);
            mnv_diag_where(diag, "%s", path);
            mnv_diag_errno(diag, e);
            return MNV_ERR_IO;
        }
        got += (size_t)n;
    }
    close(fd);
    enum mnv_err err = csv_decode(raw, got, out, out_len, enc, diag);
    secmem_free(raw);
    return err;
}

/* ---- records ------------------------------------------------------------------------------ */

enum mnv_err csv_reader_init(struct csv_reader *r, const char *text, size_t len)
{
    memset(r, 0, sizeof(*r));
    r->text = text;
    r->len = len;
    r->line = 1;
    r->cap = CSV_RECORD_MAX + CSV_FIELDS_MAX + 1;
    r->buf = secmem_alloc(r->cap);
    return r->buf ? MNV_OK : MNV_ERR_NOMEM;
}

void csv_reader_release(struct csv_reader *r)
{
    if (!r)
        return;
    secmem_free(r->buf);
    r->buf = NULL;
    r->cap = 0;
    r->nfields = 0;
}

/* Consume one line end at pos (CRLF, LF or CR); returns 1 when there was one. */
static int eat_eol(struct csv_reader *r)
{
    if (r->pos >= r->len)
        return 0;
    char c = r->text[r->pos];
    if (c == '\r') {
        r->pos++;
        if (r->pos < r->len && r->text[r->pos] == '\n')
            r->pos++;
    } else if (c == '\n') {
        r->pos++;
    } else {
        return 0;
    }
    r->line++;
    return 1;
}

struct out {
    char *p;
    size_t used, limit;
};

static int put(struct out *o, char c)
{
    if (o->used >= o->limit)
        return -1;
    o->p[o->used++] = c;
    return 0;
}

static enum mnv_err stop(struct csv_reader *r, enum mnv_err err, struct mnv_diag *diag)
{
    set_line(diag, r->record_line);
    if (diag && err == MNV_ERR_CSV_CHAR)
        diag->column = (long)r->nfields + 1;
    r->pos = r->len; /* reading stops after an error */
    return err;
}

/* One quoted field, pos after the opening quote. */
static enum mnv_err quoted(struct csv_reader *r, struct out *o, struct mnv_diag *diag)
{
    for (;;) {
        if (r->pos >= r->len)
            return stop(r, MNV_ERR_CSV_QUOTE, diag);
        char c = r->text[r->pos];
        if (c == '"') {
            r->pos++;
            if (r->pos < r->len && r->text[r->pos] == '"') {
                r->pos++;
                if (put(o, '"') < 0)
                    return stop(r, MNV_ERR_TOO_LONG, diag);
                continue;
            }
            if (r->pos < r->len && r->text[r->pos] != ',' && r->text[r->pos] != '\r' &&
                r->text[r->pos] != '\n')
                return stop(r, MNV_ERR_CSV_CHAR, diag);
            return MNV_OK;
        }
        if (c == '\r' || c == '\n') {
            eat_eol(r);
            if (put(o, '\n') < 0)
                return stop(r, MNV_ERR_TOO_LONG, diag);
            continue;
        }
        r->pos++;
        if (put(o, c) < 0)
            return stop(r, MNV_ERR_TOO_LONG, diag);
    }
}

enum mnv_err csv_next(struct csv_reader *r, struct mnv_diag *diag)
{
    r->nfields = 0;
    if (!r->buf)
        return MNV_ERR_NOMEM;
    while (r->pos < r->len && (r->text[r->pos] == '\r' || r->text[r->pos] == '\n'))
        eat_eol(r); /* empty lines */
    if (r->pos >= r->len)
        return MNV_ERR_NOT_FOUND;
    r->record_line = r->line;
    struct out o = {r->buf, 0, CSV_RECORD_MAX + CSV_FIELDS_MAX};
    for (;;) {
        if (r->nfields >= CSV_FIELDS_MAX)
            return stop(r, MNV_ERR_TOO_LONG, diag);
        size_t start = o.used;
        if (r->pos < r->len && r->text[r->pos] == '"') {
            r->pos++;
            enum mnv_err err = quoted(r, &o, diag);
            if (err != MNV_OK)
                return err;
        } else {
            while (r->pos < r->len && r->text[r->pos] != ',' && r->text[r->pos] != '\r' &&
                   r->text[r->pos] != '\n')
                if (put(&o, r->text[r->pos++]) < 0)
                    return stop(r, MNV_ERR_TOO_LONG, diag);
        }
        if (put(&o, '\0') < 0)
            return stop(r, MNV_ERR_TOO_LONG, diag);
        r->fields[r->nfields++] = r->buf + start;
        if (r->pos < r->len && r->text[r->pos] == ',') {
            r->pos++;
            continue;
        }
        eat_eol(r);
        return MNV_OK;
    }
}

const char *csv_field(const struct csv_reader *r, int i, char *out, size_t size)
{
    out[0] = '\0';
    if (i < 0 || (size_t)i >= r->nfields || size == 0)
        return out;
    const char *f = r->fields[i];
    while (*f == ' ' || *f == '\t')
        f++;
    size_t n = strlen(f);
    while (n > 0 && (f[n - 1] == ' ' || f[n - 1] == '\t'))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(out, f, n);
    out[n] = '\0';
    return out;
}

const char *csv_header_key(const char *name, char *out, size_t size)
{
    size_t n = 0;
    while (*name == ' ')
        name++;
    for (; name[n] && n + 1 < size; n++)
        out[n] = (name[n] >= 'A' && name[n] <= 'Z') ? (char)(name[n] + 32) : name[n];
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
    return out;
}

void csv_put_field(struct strbuf *out, const char *s, int last)
{
    (void)strbuf_addc(out, '"');
    if (s[0] && strchr("=+-@", s[0]))
        (void)strbuf_addc(out, '\'');
    for (; *s; s++) {
        (void)strbuf_addc(out, *s);
        if (*s == '"')
            (void)strbuf_addc(out, '"');
    }
    (void)strbuf_adds(out, last ? "\"\r\n" : "\",");
}
