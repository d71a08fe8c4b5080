#include "mnvault/qrtext.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "mnvault/secmem.h"

#define QUIET 4      /* modules of light border on every side (the standard's) */
#define CELL_BYTES 3 /* the block characters are 3 bytes of UTF-8 */

/* Is module (x, y) of the bordered picture light? Outside the symbol everything is. */
static int light(const QRcode *qr, int quiet, int x, int y)
{
    x -= quiet;
    y -= quiet;
    if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
        return 1;
    return !(qr->data[y * qr->width + x] & 1);
}

/* Encode text at level with a border of quiet modules; fits (when max_w > 0) refuses with
 * MNV_ERR_TOO_LONG a picture wider than max_w or taller than max_h. */
static enum mnv_err build(const char *text, QRecLevel level, int quiet, int max_w, int max_h,
                          struct qrtext *out)
{
    memset(out, 0, sizeof(*out));
    if (!*text)
        return MNV_ERR_INVALID;
    errno = 0;
    QRcode *qr = QRcode_encodeString(text, 0, level, QR_MODE_8, 1);
    if (!qr)
        return errno == ERANGE   ? MNV_ERR_TOO_LONG
               : errno == ENOMEM ? MNV_ERR_NOMEM
                                 : MNV_ERR_INVALID;
    int w = qr->width + 2 * quiet;
    int h = (w + 1) / 2;
    if (max_w > 0 && (w > max_w || h > max_h)) {
        secmem_wipe(qr->data, (size_t)qr->width * (size_t)qr->width);
        QRcode_free(qr);
        return MNV_ERR_TOO_LONG;
    }
    size_t line_size = (size_t)w * CELL_BYTES + 1;
    /* One secret-memory block: the line pointers, then the lines. */
    char **lines = secmem_alloc((size_t)h * (sizeof(char *) + line_size));
    if (!lines) {
        secmem_wipe(qr->data, (size_t)qr->width * (size_t)qr->width);
        QRcode_free(qr);
        return MNV_ERR_NOMEM;
    }
    char *text_area = (char *)(lines + h);
    for (int row = 0; row < h; row++) {
        char *p = lines[row] = text_area + (size_t)row * line_size;
        for (int x = 0; x < w; x++) {
            /* Light modules are drawn, so the code reads dark-on-light on a dark screen. */
            int top = light(qr, quiet, x, 2 * row), bottom = light(qr, quiet, x, 2 * row + 1);
            const char *cell = top && bottom ? "\xe2\x96\x88" /* █ */
                               : top         ? "\xe2\x96\x80" /* ▀ */
                               : bottom      ? "\xe2\x96\x84" /* ▄ */
                                             : " ";
            size_t n = strlen(cell);
            memcpy(p, cell, n);
            p += n;
        }
        *p = '\0';
    }
    secmem_wipe(qr->data, (size_t)qr->width * (size_t)qr->width);
    QRcode_free(qr);
    out->width = w;
    out->height = h;
    out->lines = lines;
    return MNV_OK;
}

enum mnv_err qrtext_new(const char *text, struct qrtext *out)
{
    return build(text, QR_ECLEVEL_M, QUIET, 0, 0, out);
}

enum mnv_err qrtext_new_fit(const char *text, int max_w, int max_h, struct qrtext *out)
{
    static const struct {
        QRecLevel level;
        int quiet;
    } tries[] = {{QR_ECLEVEL_M, QUIET}, {QR_ECLEVEL_M, 2}, {QR_ECLEVEL_L, 2}, {QR_ECLEVEL_L, 1}};
    enum mnv_err err = MNV_ERR_TOO_LONG;
    for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
        err = build(text, tries[i].level, tries[i].quiet, max_w, max_h, out);
        if (err != MNV_ERR_TOO_LONG)
            return err;
    }
    return err;
}

void qrtext_free(struct qrtext *q)
{
    if (!q)
        return;
    secmem_free(q->lines); /* the pointers and the text are one block, wiped on release */
    q->lines = NULL;
    q->width = q->height = 0;
}
