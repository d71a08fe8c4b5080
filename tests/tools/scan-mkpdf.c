/*
 * scan-mkpdf OUT.pdf < text: a PDF made by the tests themselves for `mnvault scan`. Each
 * line of UTF-8 text on standard input becomes a line on the page (IPAexGothic, so Japanese
 * and full-width digits are real glyphs with a ToUnicode map); a form feed starts a new
 * page. Built with cairo and pango, as mnvault's own PDF exports are.
 * scan-mkpdf --picture OUT.pdf: one page holding only a picture (a scanned paper).
 * scan-mkpdf --unmapped OUT.pdf DIGITS: one line of text set in a font that the PDF neither
 * embeds nor maps to Unicode (Identity-H, no ToUnicode): the glyphs are there, their letters
 * cannot be known. --no-cmap: the same text in an Adobe-Japan1 font whose CMap poppler
 * does not have (as on a machine without poppler-data): poppler drops the text.
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

static int picture_pdf(const char *out)
{
    cairo_surface_t *surface = cairo_pdf_surface_create(out, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(surface);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 64, 32);
    cairo_t *ic = cairo_create(img);
    cairo_set_source_rgb(ic, 1, 1, 1);
    cairo_paint(ic);
    cairo_set_source_rgb(ic, 0, 0, 0);
    cairo_rectangle(ic, 8, 8, 48, 16); /* as if a line of print */
    cairo_fill(ic);
    cairo_destroy(ic);
    cairo_set_source_surface(cr, img, 50, 50);
    cairo_paint(cr);
    cairo_show_page(cr);
    cairo_surface_destroy(img);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    int bad = cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(surface);
    return bad ? 99 : 0;
}

/* A PDF written by hand: its glyph numbers are the digits' byte values, which the font does
 * not map to any character. */
static int unmapped_pdf(const char *out, const char *digits, int no_cmap)
{
    char content[512], hex[400] = "";
    for (size_t i = 0; digits[i] && i < 90; i++)
        snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "%04X",
                 (unsigned)digits[i] - '0' + 16);
    snprintf(content, sizeof(content), "BT /F1 12 Tf 50 700 Td <%s> Tj ET", hex);
    const char *obj[7];
    char page_contents[600];
    snprintf(page_contents, sizeof(page_contents), "<< /Length %zu >>\nstream\n%s\nendstream",
             strlen(content), content);
    obj[0] = "<< /Type /Catalog /Pages 2 0 R >>";
    obj[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
    obj[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 "
             "0 R >> >> /Contents 4 0 R >>";
    obj[3] = page_contents;
    obj[4] = no_cmap
                 ? "<< /Type /Font /Subtype /Type0 /BaseFont /NoMapMincho /Encoding "
                   "/NoSuch-UCS2-H /DescendantFonts [6 0 R] >>"
                 : "<< /Type /Font /Subtype /Type0 /BaseFont /NoMapMincho /Encoding /Identity-H "
                   "/DescendantFonts [6 0 R] >>";
    obj[5] = no_cmap
                 ? "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /NoMapMincho /CIDSystemInfo "
                   "<< /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /FontDescriptor 7 "
                   "0 R >>"
                 : "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoMapMincho /CIDSystemInfo "
                   "<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "
                   "7 0 R >>";
    obj[6] = "<< /Type /FontDescriptor /FontName /NoMapMincho /Flags 4 /FontBBox [0 0 1000 1000] "
             "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>";
    FILE *f = fopen(out, "wb");
    if (!f)
        return 99;
    long at[7];
    fputs("%PDF-1.4\n", f);
    for (int i = 0; i < 7; i++) {
        at[i] = ftell(f);
        fprintf(f, "%d 0 obj\n%s\nendobj\n", i + 1, obj[i]);
    }
    long xref = ftell(f);
    fprintf(f, "xref\n0 8\n0000000000 65535 f \n");
    for (int i = 0; i < 7; i++)
        fprintf(f, "%010ld 00000 n \n", at[i]);
    fprintf(f, "trailer\n<< /Size 8 /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", xref);
    return fclose(f) == 0 ? 0 : 99;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--picture") == 0)
        return picture_pdf(argv[2]);
    if (argc == 4 && strcmp(argv[1], "--unmapped") == 0)
        return unmapped_pdf(argv[2], argv[3], 0);
    if (argc == 4 && strcmp(argv[1], "--no-cmap") == 0)
        return unmapped_pdf(argv[2], argv[3], 1);
    if (argc != 2) {
        fprintf(stderr, "usage: scan-mkpdf OUT.pdf < text | --picture OUT.pdf | "
                        "--unmapped|--no-cmap OUT.pdf DIGITS\n");
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
