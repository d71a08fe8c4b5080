#include "mnvault/qrtext.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "mnvault/secmem.h"

#define QUIET 4      /* modules of light border on every side */
#define CELL_BYTES 3 /* the block characters are 3 bytes of UTF-8 */

/* Is module (x, y) of the bordered picture light? Outside the symbol everything is. */
static int light(const QRcode *qr, int x, int y)
{
    x -= QUIET;
    y -= QUIET;
    if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
        return 1;
    return !(qr->data[y * qr->width + x] & 1);
}

enum mnv_err qrtext_new(const char *text, struct qrtext *out)
{
    memset(out, 0, sizeof(*out));
    if (!*text)
        return MNV_ERR_INVALID;
    errno = 0;
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return errno == ERANGE   ? MNV_ERR_TOO_LONG
               : errno == ENOMEM ? MNV_ERR_NOMEM
                                 : MNV_ERR_INVALID;
    int w = qr->width + 2 * QUIET;
    int h = (w + 1) / 2;
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
            int top = light(qr, x, 2 * row), bottom = light(qr, x, 2 * row + 1);
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

void qrtext_free(struct qrtext *q)
{
    if (!q)
        return;
    secmem_free(q->lines); /* the pointers and the text are one block, wiped on release */
    q->lines = NULL;
    q->width = q->height = 0;
}
