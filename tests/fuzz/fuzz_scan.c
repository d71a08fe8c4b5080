/* libFuzzer target for the scanner core. The first byte picks the encoding, the kind and
 * whether positions are computed; the rest is the buffer. Checks:
 *   - every fast path (portable, SSE2, AVX2) gives exactly the same findings;
 *   - every finding lies inside the buffer, in order, with sane line, column and last4;
 *   - in UTF-8, the bytes of every finding parse as a valid number of that kind with the
 *     number parser (an independent implementation of the rules for one number), with the
 *     same last four digits;
 *   - encoding detection never fails on any input. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mnvault/mynumber.h"
#include "mnvault/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_KEEP 256

struct rec {
    size_t offset, length;
    long line, column;
    unsigned form;
    char last4[5];
};

struct run {
    const uint8_t *buf;
    size_t len;
    enum scan_encoding enc;
    enum mynumber_kind kind;
    int positions;
    size_t n, last_offset;
    struct rec r[MAX_KEEP];
};

static int on_finding(void *ud, const struct scan_finding *f)
{
    struct run *run = ud;
    if (f->offset + f->length > run->len || f->length == 0)
        __builtin_trap();
    if (run->n > 0 && f->offset < run->last_offset && run->enc != SCAN_ENC_BINARY)
        __builtin_trap(); /* in order within one pass */
    if (run->positions && (f->line < 1 || f->column < 1))
        __builtin_trap();
    for (int i = 0; i < 4; i++)
        if (f->last4[i] < '0' || f->last4[i] > '9')
            __builtin_trap();
    if (f->last4[4] != '\0' || f->kind != run->kind)
        __builtin_trap();
    if (run->enc == SCAN_ENC_UTF8) {
        struct mynumber n;
        if (mynumber_parse(&n, run->kind, (const char *)run->buf + f->offset, f->length, NULL) !=
            MNV_OK)
            __builtin_trap();
        if (memcmp(n.digits + n.len - 4, f->last4, 4) != 0)
            __builtin_trap();
        mynumber_clear(&n);
    }
    if (run->n < MAX_KEEP) {
        struct rec *r = &run->r[run->n];
        r->offset = f->offset;
        r->length = f->length;
        r->line = f->line;
        r->column = f->column;
        r->form = f->form;
        memcpy(r->last4, f->last4, 5);
    }
    run->n++;
    run->last_offset = f->offset;
    return 0;
}

static struct run runs[3];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const enum scan_encoding encs[] = {SCAN_ENC_UTF8,    SCAN_ENC_UTF8,    SCAN_ENC_CP932,
                                              SCAN_ENC_UTF16LE, SCAN_ENC_UTF16BE, SCAN_ENC_BINARY};
    uint8_t sel = data[0];
    const uint8_t *buf = data + 1;
    size_t len = size - 1;
    enum scan_encoding det = scan_detect_encoding(buf, len);
    if (det <= SCAN_ENC_AUTO || det > SCAN_ENC_BINARY)
        __builtin_trap();

    struct scan_opts o;
    memset(&o, 0, sizeof(o));
    o.kind = (sel & 0x80) ? MYNUMBER_CORPORATE : MYNUMBER_INDIVIDUAL;
    o.flags = (sel & 0x40) ? SCAN_NO_POSITION | SCAN_NO_CONTEXT : 0;
    enum scan_encoding enc = encs[(sel & 0x3F) % (sizeof(encs) / sizeof(encs[0]))];
    static const enum scan_simd levels[] = {SCAN_SIMD_PORTABLE, SCAN_SIMD_SSE2, SCAN_SIMD_AVX2};
    for (int l = 0; l < 3; l++) {
        struct run *run = &runs[l];
        memset(run, 0, sizeof(*run));
        run->buf = buf;
        run->len = len;
        run->enc = enc;
        run->kind = o.kind;
        run->positions = !(o.flags & SCAN_NO_POSITION);
        scan_simd_set(levels[l]);
        size_t found = 0;
        if (scan_buffer(buf, len, enc, &o, on_finding, run, &found) != MNV_OK)
            __builtin_trap();
        if (found != run->n)
            __builtin_trap();
        if (l > 0) {
            if (run->n != runs[0].n)
                __builtin_trap();
            size_t k = run->n < MAX_KEEP ? run->n : MAX_KEEP;
            if (memcmp(run->r, runs[0].r, k * sizeof(struct rec)) != 0)
                __builtin_trap();
        }
    }
    scan_simd_set(SCAN_SIMD_AUTO);
    return 0;
}
