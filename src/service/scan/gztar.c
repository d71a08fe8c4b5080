/*
 * scan/gztar.c: gzip and tar for the scanner (part of the scan module, see scan.h).
 *
 * gzip: every member of the stream is inflated (zlib) into memory within the file's limits
 * (scan_out_put: bytes in all, and the ratio of unpacked to packed bytes, so a bomb of
 * zeros stops after a few MiB), then scanned by what it is, so a .tar.gz becomes a tar.
 * A stream that ends early or is damaged is scanned as far as it goes and reported.
 *
 * tar: ustar, pax and GNU archives (long names in 'L' and pax "path" records); each
 * regular file is scanned by what it is, under its name. Members are slices of the
 * archive, so nothing is copied.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "mnvault/secmem.h"
#include "priv.h"

int scan_is_gzip(const uint8_t *b, size_t len)
{
    return len >= 18 && b[0] == 0x1F && b[1] == 0x8B && b[2] == 8;
}

/* Inflate one gzip member from in[0..len) into out; *used: input bytes it took. */
static enum mnv_err inflate_member(struct scan_ctx *c, const uint8_t *in, size_t len,
                                   struct scan_out *out, size_t *used)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return MNV_ERR_NOMEM;
    uint8_t buf[64 * 1024];
    enum mnv_err err = MNV_OK;
    z.next_in = (Bytef *)in;
    z.avail_in = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
    for (;;) {
        z.next_out = buf;
        z.avail_out = sizeof(buf);
        int r = inflate(&z, Z_NO_FLUSH);
        size_t got = sizeof(buf) - z.avail_out;
        if (got) {
            out->packed_now = (uint64_t)(z.next_in - in);
            err = scan_out_put(c, out, buf, got);
            if (err != MNV_OK)
                break;
        }
        if (r == Z_STREAM_END)
            break;
        if (r == Z_BUF_ERROR && z.avail_in == 0) {
            err = MNV_ERR_SCAN_DAMAGED; /* cut short */
            break;
        }
        if (r != Z_OK && r != Z_BUF_ERROR) {
            err = r == Z_MEM_ERROR ? MNV_ERR_NOMEM : MNV_ERR_SCAN_DAMAGED;
            break;
        }
    }
    *used = (size_t)(z.next_in - in);
    secmem_wipe(buf, sizeof(buf));
    inflateEnd(&z);
    return err;
}

void scan_gzip(struct scan_ctx *c, const uint8_t *data, size_t len)
{
    struct scan_out out;
    scan_out_init(&out);
    enum mnv_err err = MNV_OK;
    size_t pos = 0;
    /* Members follow one another; anything else after the first (padding) is ignored. */
    while (pos < len && scan_is_gzip(data + pos, len - pos)) {
        size_t used = 0;
        err = inflate_member(c, data + pos, len - pos, &out, &used);
        pos += used;
        if (err != MNV_OK || used == 0)
            break;
    }
    if (err == MNV_ERR_NOMEM) {
        c->nomem = 1;
    } else {
        /* What was unpacked is checked even when the rest could not be. */
        if (err != MNV_ERR_SCAN_TOO_BIG && err != MNV_ERR_SCAN_TIMEOUT)
            scan_blob(c, out.p, out.n);
        if (err != MNV_OK)
            scan_problem(c, err, NULL);
    }
    scan_out_free(&out);
}

/* ---- tar ------------------------------------------------------------------------------ */

static uint64_t tar_number(const uint8_t *f, size_t n, int *ok)
{
    uint64_t v = 0;
    if (f[0] & 0x80) { /* GNU base-256 */
        for (size_t i = 1; i < n; i++) {
            if (v >> 56) {
                *ok = 0;
                return 0;
            }
            v = (v << 8) | f[i];
        }
        return v;
    }
    size_t i = 0;
    while (i < n && (f[i] == ' ' || f[i] == '\0'))
        i++;
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v >> 60) {
            *ok = 0;
            return 0;
        }
        v = v * 8 + (uint64_t)(f[i] - '0');
    }
    return v;
}

static int tar_checksum_ok(const uint8_t *h)
{
    int ok = 1;
    uint64_t want = tar_number(h + 148, 8, &ok);
    uint64_t sum = 0;
    for (int i = 0; i < 512; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    return ok && want == sum;
}

int scan_is_tar(const uint8_t *b, size_t len)
{
    if (len < 512)
        return 0;
    if (memcmp(b + 257, "ustar", 5) == 0)
        return tar_checksum_ok(b);
    /* An old (v7) tar has no magic: a name, octal fields and a right checksum. */
    return b[0] != 0 && b[100 + 7] == 0 && tar_checksum_ok(b);
}

static int zero_block(const uint8_t *h)
{
    for (int i = 0; i < 512; i++)
        if (h[i])
            return 0;
    return 1;
}

/* The value of a "path" record in pax extended header data, into out; 0 when none. */
static int pax_path(const uint8_t *d, size_t n, char *out, size_t size)
{
    size_t i = 0;
    while (i < n) {
        size_t len = 0, j = i;
        while (j < n && d[j] >= '0' && d[j] <= '9' && len < n)
            len = len * 10 + (size_t)(d[j++] - '0');
        if (len == 0 || i + len > n || j >= n || d[j] != ' ')
            return 0;
        const uint8_t *kv = d + j + 1, *end = d + i + len;
        if (end - kv > 5 && memcmp(kv, "path=", 5) == 0) {
            size_t vl = (size_t)(end - kv) - 5;
            if (vl && kv[5 + vl - 1] == '\n')
                vl--;
            if (vl >= size)
                vl = size - 1;
            memcpy(out, kv + 5, vl);
            out[vl] = '\0';
            return 1;
        }
        i += len;
    }
    return 0;
}

static void tar_name(const uint8_t *h, char *out, size_t size)
{
    char name[101], prefix[156];
    memcpy(name, h, 100);
    name[100] = '\0';
    prefix[0] = '\0';
    if (memcmp(h + 257, "ustar", 5) == 0 && h[345]) {
        memcpy(prefix, h + 345, 155);
        prefix[155] = '\0';
    }
    snprintf(out, size, "%s%s%s", prefix, prefix[0] ? "/" : "", name);
}

void scan_tar(struct scan_ctx *c, const uint8_t *data, size_t len)
{
    char longname[4096], name[4096];
    int have_long = 0;
    size_t off = 0;
    while (off + 512 <= len && scan_busy(c)) {
        const uint8_t *h = data + off;
        if (zero_block(h))
            break; /* the end */
        int ok = tar_checksum_ok(h);
        uint64_t size = tar_number(h + 124, 12, &ok);
        if (!ok) {
            scan_problem(c, MNV_ERR_SCAN_DAMAGED, NULL);
            return;
        }
        size_t body = off + 512;
        int cut = size > len - body;
        size_t have = cut ? len - body : (size_t)size;
        char type = (char)h[156];
        if (type == 'L') { /* GNU: the next member's long name */
            size_t k = have < sizeof(longname) ? have : sizeof(longname) - 1;
            memcpy(longname, data + body, k);
            longname[k] = '\0';
            have_long = 1;
        } else if (type == 'x') { /* pax: records of the next member, maybe its path */
            have_long = pax_path(data + body, have, longname, sizeof(longname));
        } else if (type == '0' || type == '\0' || type == '7') {
            if (have_long)
                snprintf(name, sizeof(name), "%s", longname);
            else
                tar_name(h, name, sizeof(name));
            have_long = 0;
            if (scan_push_member(c, name) == 0) {
                scan_blob(c, data + body, have);
                if (cut)
                    scan_problem(c, MNV_ERR_SCAN_DAMAGED, NULL);
                scan_pop_member(c);
            }
        } else if (type != 'g') {
            have_long = 0; /* folders, links, devices: nothing to read */
        }
        if (cut)
            return;
        scan_deadline(c);
        off = body + (size_t)((size + 511) & ~(uint64_t)511);
    }
}
