/* libFuzzer target for reading streams in parts: the input (its first byte picks the
 * encoding and the part size) is scanned whole by scan_buffer() and as a stream cut into
 * parts of a few bytes by scan_stream(); both must find the same numbers, in order, at the
 * same lines and columns. This checks where parts are cut (never inside a number, a
 * character, or a UTF-16 unit of either alignment) and how lines carry over. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mnvault/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The part size of stream reading (stream.c), lowered here to cut often. */
extern size_t scan_stream_part;

#define MAX_KEEP 512

struct rec {
    long line, column;
    char last4[5];
};

struct run {
    size_t n;
    struct rec r[MAX_KEEP];
};

static int keep(struct run *run, const struct scan_finding *f)
{
    if (run->n < MAX_KEEP) {
        run->r[run->n].line = f->line;
        run->r[run->n].column = f->column;
        memcpy(run->r[run->n].last4, f->last4, 5);
    }
    run->n++;
    return 0;
}

static int on_whole(void *ud, const struct scan_finding *f)
{
    return keep(ud, f);
}

static int on_part(void *ud, const struct scan_place *p, const struct scan_finding *f)
{
    (void)p;
    return keep(ud, f);
}

static struct run whole, parts;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum scan_encoding encs[] = {SCAN_ENC_UTF8,    SCAN_ENC_CP932,  SCAN_ENC_UTF16LE,
                                              SCAN_ENC_UTF16BE, SCAN_ENC_UTF8,   SCAN_ENC_UTF8,
                                              SCAN_ENC_CP932,   SCAN_ENC_UTF16LE};
    if (size < 2)
        return 0;
    struct scan_opts o;
    memset(&o, 0, sizeof(o));
    o.kind = MYNUMBER_INDIVIDUAL;
    o.encoding = encs[data[0] & 7];
    data++;
    size--;
    whole.n = parts.n = 0;
    const struct scan_handler h = {on_part, NULL, NULL, NULL};
    if (scan_buffer(data, size, o.encoding, &o, on_whole, &whole, NULL) != MNV_OK)
        __builtin_trap();
    int fd = memfd_create("fuzz", 0);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return 0;
    }
    o.max_unpacked = 1; /* anything longer than a byte goes on as a stream */
    scan_stream_part = 16 + (size_t)(data[0] & 63);
    if (scan_stream(fd, "p", &o, &h, &parts) != MNV_OK)
        __builtin_trap();
    close(fd);
    if (whole.n != parts.n)
        __builtin_trap();
    for (size_t i = 0; i < whole.n && i < MAX_KEEP; i++)
        if (whole.r[i].line != parts.r[i].line || whole.r[i].column != parts.r[i].column ||
            memcmp(whole.r[i].last4, parts.r[i].last4, 5) != 0)
            __builtin_trap();
    return 0;
}
