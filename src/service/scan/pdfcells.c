/*
 * scan/pdfcells.c: numbers printed one digit per cell (part of the scan module, see scan.h).
 *
 * Official forms print the 個人番号 in 12 boxes (13 for a 法人番号), one digit in each. The
 * text poppler gives for such a page has the digits apart ("1 2 3 …", or each digit on a
 * line of its own when the boxes are drawn as separate blocks), which no written-number rule
 * takes for a number. So the PDF reader also looks at where the glyphs stand: glyphs are
 * put into visual lines by their height, ordered left to right, and a row of lone digits
 * (each with space before and after it, no other glyph between them, neighbours no further
 * apart than a few glyph heights) is written out as one line of digits. A wider gap than the
 * row's narrowest one (cells grouped 4-4-4) becomes one space. The lines are then scanned
 * like any text, so a row of exactly 12 (13) cells holding a valid number is found, and a
 * row of more cells is not (the written rule: never part of a longer digit run).
 */
#include <stdlib.h>
#include <string.h>

#include "mnvault/numtext.h"
#include "mnvault/secmem.h"
#include "priv.h"

#define TOUCH 0.25 /* a gap under this many glyph heights: the same word */
#define CELL_GAP 3 /* lone digits at most this many heights apart: one row of cells */
#define GROUP 1.4  /* a gap this many times the row's narrowest: a space (4-4-4 cells) */
#define MIN_ROW 12 /* rows with fewer digits cannot hold a number */

static double mid_y(const struct scan_glyph *g)
{
    return (g->y0 + g->y1) / 2;
}

static double height(const struct scan_glyph *g)
{
    return g->y1 - g->y0;
}

static int by_y(const void *a, const void *b)
{
    const struct scan_glyph *p = a, *q = b;
    double d = mid_y(p) - mid_y(q);
    return d < 0 ? -1 : d > 0 ? 1 : (p->x0 > q->x0) - (p->x0 < q->x0);
}

static int by_x(const void *a, const void *b)
{
    const struct scan_glyph *p = a, *q = b;
    return (p->x0 > q->x0) - (p->x0 < q->x0);
}

/* A glyph that stands alone: a digit with no glyph touching it on either side. */
static int lone_digit(const struct scan_glyph *l, size_t n, size_t i)
{
    if (numtext_digit(l[i].cp) < 0)
        return 0;
    double h = height(&l[i]);
    if (i > 0 && l[i].x0 - l[i - 1].x1 < TOUCH * h)
        return 0;
    return !(i + 1 < n && l[i + 1].x0 - l[i].x1 < TOUCH * h);
}

/* The run of lone digits starting at l[i]; returns its length (1 when alone). */
static size_t row_length(const struct scan_glyph *l, size_t n, size_t i)
{
    size_t k = 1;
    while (i + k < n && lone_digit(l, n, i + k) &&
           l[i + k].x0 - l[i + k - 1].x1 <= CELL_GAP * height(&l[i + k - 1]))
        k++;
    return k;
}

/* Write the row l[0..k) as digits (a space at the wider gaps of grouped cells) and '\n'. */
static void put_row(const struct scan_glyph *l, size_t k, char *out, size_t *o)
{
    double narrow = 0;
    for (size_t j = 1; j < k; j++) {
        double gap = l[j].x0 - l[j - 1].x1;
        if (j == 1 || gap < narrow)
            narrow = gap;
    }
    for (size_t j = 0; j < k; j++) {
        if (j > 0 && l[j].x0 - l[j - 1].x1 > GROUP * narrow + 0.5)
            out[(*o)++] = ' ';
        out[(*o)++] = (char)('0' + numtext_digit(l[j].cp));
    }
    out[(*o)++] = '\n';
}

/* The rows of cells of one visual line l[0..n), sorted left to right, appended to out. */
static void line_rows(const struct scan_glyph *l, size_t n, char *out, size_t *o)
{
    for (size_t i = 0; i < n;) {
        size_t k = lone_digit(l, n, i) ? row_length(l, n, i) : 1;
        if (k >= MIN_ROW)
            put_row(l + i, k, out, o);
        i += k;
    }
}

enum mnv_err scan_pdf_cells(const struct scan_glyph *glyphs, size_t n, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    struct scan_glyph *g = n ? calloc(n, sizeof(*g)) : NULL;
    /* Each glyph gives at most one digit and one separator. */
    char *text = n ? malloc(2 * n + 1) : NULL;
    if (n && (!g || !text)) {
        free(g);
        free(text);
        return MNV_ERR_NOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (glyphs[i].cp > 0x20 && glyphs[i].cp != 0x3000 && height(&glyphs[i]) > 0)
            g[m++] = glyphs[i];
    if (m)
        qsort(g, m, sizeof(*g), by_y);
    size_t o = 0;
    for (size_t i = 0; i < m;) {
        /* A visual line: glyphs whose middles lie within half the first one's height. */
        size_t j = i + 1;
        while (j < m && mid_y(&g[j]) - mid_y(&g[i]) <= height(&g[i]) / 2)
            j++;
        qsort(g + i, j - i, sizeof(*g), by_x);
        line_rows(g + i, j - i, text, &o);
        i = j;
    }
    if (g)
        secmem_wipe(g, n * sizeof(*g)); /* the page's text, digits included */
    free(g);
    if (o == 0) {
        free(text);
        return MNV_OK;
    }
    text[o] = '\0';
    *out = text;
    *len = o;
    return MNV_OK;
}
