/* libFuzzer target for the scanner's digit cells (scan/pdfcells.c): the input is a page's
 * glyphs, 9 bytes each (four 16-bit coordinates in tenths of a point, then a code point
 * chosen among digits, letters, spaces and kanji), as poppler's text layout would give
 * them, in any order and overlapping. Checks: the rows written hold only ASCII digits,
 * spaces and line ends, every line has at least 12 digits, the text fits the bound of two
 * bytes a glyph, and nothing reads out of bounds or leaks. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/service/scan/priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint32_t cps[] = {'0', '1', '2', '3',    '4',    '5',    '6', '7',  '8',
                               '9', ' ', 'A', 0x3000, 0xFF11, 0x756A, '-', 0x20, 0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = size / 9;
    if (n > 4096)
        return 0;
    struct scan_glyph *g = calloc(n ? n : 1, sizeof(*g));
    if (!g)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = data + 9 * i;
        double v[4];
        for (int k = 0; k < 4; k++)
            v[k] = (double)(int16_t)(p[2 * k] | p[2 * k + 1] << 8) / 10.0;
        g[i] =
            (struct scan_glyph){v[0], v[1], v[2], v[3], cps[p[8] % (sizeof(cps) / sizeof(cps[0]))]};
    }
    char *out = NULL;
    size_t len = 0;
    if (scan_pdf_cells(g, n, &out, &len) == MNV_OK && out) {
        if (len > 2 * n || strlen(out) != len || out[len - 1] != '\n')
            __builtin_trap();
        size_t digits = 0;
        for (size_t i = 0; i < len; i++) {
            char c = out[i];
            if (c == '\n') {
                if (digits < 12)
                    __builtin_trap();
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                digits++;
            } else if (c != ' ') {
                __builtin_trap();
            }
        }
    }
    free(out);
    free(g);
    return 0;
}
