/*
 * scan-mkpdf OUT.pdf < text: a PDF made by the tests themselves for `mnvault scan`. Each
 * line of UTF-8 text on standard input becomes a line on the page (IPAexGothic, so Japanese
 * and full-width digits are real glyphs with a ToUnicode map); a form feed starts a new
 * page. Built with cairo and pango, as mnvault's own PDF exports are.
 */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595.0 /* A4 in points */
#define PAGE_H 842.0

static void draw_page(cairo_t *cr, const char *text)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    PangoFontDescription *font = pango_font_description_from_string("IPAexGothic 11");
    pango_layout_set_font_description(layout, font);
    pango_layout_set_width(layout, (int)((PAGE_W - 100) * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(layout, text, -1);
    cairo_move_to(cr, 50, 50);
    pango_cairo_show_layout(cr, layout);
    pango_font_description_free(font);
    g_object_unref(layout);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: scan-mkpdf OUT.pdf < text\n");
        return 2;
    }
    size_t cap = 1 << 16, n = 0, r;
    char *text = malloc(cap);
    while (text && (r = fread(text + n, 1, cap - n - 1, stdin)) > 0) {
        n += r;
        if (cap - n < 2) {
            cap *= 2;
            text = realloc(text, cap);
        }
    }
    if (!text) {
        perror("scan-mkpdf");
        return 99;
    }
    text[n] = '\0';

    cairo_surface_t *surface = cairo_pdf_surface_create(argv[1], PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(surface);
    char *page = text;
    for (;;) {
        char *ff = strchr(page, '\f');
        if (ff)
            *ff = '\0';
        draw_page(cr, page);
        cairo_show_page(cr);
        if (!ff)
            break;
        page = ff + 1;
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    int bad = cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(surface);
    free(text);
    if (bad) {
        fprintf(stderr, "scan-mkpdf: cannot write %s\n", argv[1]);
        return 99;
    }
    return 0;
}
