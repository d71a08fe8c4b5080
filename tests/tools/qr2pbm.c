/*
 * qr2pbm: draw standard input as a QR code with qrtext_new(), then read the text lines back
 * the way a camera would see a dark terminal (a block character is light, a space dark),
 * and write the picture as a plain PBM image, SCALE pixels per module (default 8).
 *   qr2pbm [SCALE] < text > code.pbm      (a trailing newline of the input is dropped)
 *   qr2pbm --lines < text                 (print the text lines instead)
 *   qr2pbm --screen [SCALE] < lines       (the lines as a screen showed them: every line
 *                                          the same number of cells, nothing else)
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

/* Fill light[] (w x 2*height) from the text lines; 0, or 2 with a message. */
static int read_lines(char *const *lines, int height, int w, unsigned char *light)
{
    for (int y = 0; y < height; y++) {
        const char *p = lines[y];
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
    return 0;
}

/* The cells of a line of block characters and spaces. */
static int cells_of(const char *line)
{
    int n = 0, top, bottom;
    while (*line && cell(&line, &top, &bottom) == 0)
        n++;
    return n;
}

/* --screen: split text into lines (in place); *height lines, each *w cells. */
static int screen_lines(char *text, char **lines, int max, int *height, int *w)
{
    int h = 0;
    for (char *l = strtok(text, "\n"); l && h < max; l = strtok(NULL, "\n"))
        lines[h++] = l;
    if (h == 0)
        return 2;
    *height = h;
    *w = cells_of(lines[0]);
    return *w > 0 ? 0 : 2;
}

static void write_pbm(const unsigned char *light, int w, int h, int scale)
{
    /* Plain PBM: 1 is black. Nothing is added around the picture: the quiet zone must be
     * the one drawn. */
    printf("P1\n%d %d\n", w * scale, h * scale);
    for (int y = 0; y < h * scale; y++) {
        for (int x = 0; x < w * scale; x++)
            putchar(light[(size_t)(y / scale) * (size_t)w + (size_t)(x / scale)] ? '0' : '1');
        putchar('\n');
    }
}

int main(int argc, char **argv)
{
    int scale = 8, lines_only = 0, screen = 0;
    if (argc > 1 && strcmp(argv[1], "--lines") == 0)
        lines_only = 1;
    else if (argc > 1 && strcmp(argv[1], "--screen") == 0)
        screen = 1;
    if (argc > 1 + screen && !lines_only)
        scale = atoi(argv[1 + screen]);
    if (scale < 1 || scale > 64 || sodium_init() < 0)
        return 2;
    static char text[65536];
    size_t len = fread(text, 1, sizeof(text) - 1, stdin);
    text[len] = '\0';
    if (len && text[len - 1] == '\n')
        text[--len] = '\0';
    static char *lines[512];
    struct qrtext q = {0};
    int w, height;
    if (screen) {
        if (screen_lines(text, lines, 512, &height, &w) != 0) {
            fprintf(stderr, "no lines of block characters\n");
            return 2;
        }
    } else {
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
        for (int y = 0; y < q.height && y < 512; y++)
            lines[y] = q.lines[y];
        w = q.width;
        height = q.height;
    }
    unsigned char *light = calloc((size_t)w * (size_t)(2 * height), 1);
    if (!light)
        return 2;
    int rc = read_lines(lines, height, w, light);
    qrtext_free(&q);
    if (rc == 0)
        write_pbm(light, w, 2 * height, scale);
    free(light);
    return rc;
}
