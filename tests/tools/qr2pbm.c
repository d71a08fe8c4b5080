/*
 * qr2pbm: draw standard input as a QR code with qrtext_new(), then read the text lines back
 * the way a camera would see a dark terminal (a block character is light, a space dark),
 * and write the picture as a plain PBM image, SCALE pixels per module (default 8).
 *   qr2pbm [SCALE] < text > code.pbm      (a trailing newline of the input is dropped)
 *   qr2pbm --lines < text                 (print the text lines instead)
 * Exit status: 0 done, 1 qrtext_new failed (the error name on stderr), 2 bad lines/usage.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/qrtext.h"

/* Light (1) or dark (0) for the top and bottom module of one cell; -1 if unknown. */
static int cell(const char **p, int *top, int *bottom)
{
    static const struct {
        const char *s;
        int top, bottom;
    } glyphs[] = {
        {"\xe2\x96\x88", 1, 1}, {"\xe2\x96\x80", 1, 0}, {"\xe2\x96\x84", 0, 1}, {" ", 0, 0}};
    for (size_t i = 0; i < sizeof(glyphs) / sizeof(glyphs[0]); i++) {
        size_t n = strlen(glyphs[i].s);
        if (strncmp(*p, glyphs[i].s, n) == 0) {
            *p += n;
            *top = glyphs[i].top;
            *bottom = glyphs[i].bottom;
            return 0;
        }
    }
    return -1;
}

int main(int argc, char **argv)
{
    int scale = 8, lines_only = 0;
    if (argc > 1 && strcmp(argv[1], "--lines") == 0)
        lines_only = 1;
    else if (argc > 1)
        scale = atoi(argv[1]);
    if (scale < 1 || scale > 64 || sodium_init() < 0)
        return 2;
    static char text[8192];
    size_t len = fread(text, 1, sizeof(text) - 1, stdin);
    text[len] = '\0';
    if (len && text[len - 1] == '\n')
        text[--len] = '\0';
    struct qrtext q;
    enum mnv_err err = qrtext_new(text, &q);
    if (err != MNV_OK) {
        fprintf(stderr, "%s\n", mnv_err_name(err));
        return 1;
    }
    if (lines_only) {
        for (int y = 0; y < q.height; y++)
            printf("%s\n", q.lines[y]);
        qrtext_free(&q);
        return 0;
    }
    int w = q.width, h = 2 * q.height;
    unsigned char *light = calloc((size_t)w * (size_t)h, 1);
    if (!light)
        return 2;
    for (int y = 0; y < q.height; y++) {
        const char *p = q.lines[y];
        for (int x = 0; x < w; x++) {
            int top, bottom;
            if (cell(&p, &top, &bottom) != 0) {
                fprintf(stderr, "line %d, cell %d: not a block character\n", y + 1, x + 1);
                return 2;
            }
            light[(size_t)(2 * y) * (size_t)w + (size_t)x] = (unsigned char)top;
            light[(size_t)(2 * y + 1) * (size_t)w + (size_t)x] = (unsigned char)bottom;
        }
        if (*p) {
            fprintf(stderr, "line %d: longer than %d cells\n", y + 1, w);
            return 2;
        }
    }
    qrtext_free(&q);
    /* Plain PBM: 1 is black. Nothing is added around the picture: the quiet zone must be
     * the one qrtext drew. */
    printf("P1\n%d %d\n", w * scale, h * scale);
    for (int y = 0; y < h * scale; y++) {
        for (int x = 0; x < w * scale; x++)
            putchar(light[(size_t)(y / scale) * (size_t)w + (size_t)(x / scale)] ? '0' : '1');
        putchar('\n');
    }
    free(light);
    return 0;
}
