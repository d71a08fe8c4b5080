/*
 * pdf_baseline OUT.pdf LABELS RECORDS TIMES: the baseline of the printed-form benchmark.
 * cairo and pango alone, nothing of mnvault: the labels of the form (one a line in LABELS)
 * are drawn once into a recording surface, and for every slip that surface is placed and
 * every value of the record ("item=value" lines in RECORDS, a blank line between records)
 * is drawn as one line of IPAex Gothic; four slips to an A4 landscape sheet; all records
 * TIMES times; the PDF built in memory, then written. What mnvault adds on top of this is
 * the layout, fitting every value into its box, digits in cells, and the checks.
 */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM (72.0 / 25.4)

struct buf {
    unsigned char *p;
    size_t len, cap;
};

static cairo_status_t out_write(void *closure, const unsigned char *data, unsigned int n)
{
    struct buf *b = closure;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1 << 20;
        while (cap < b->len + n)
            cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p)
            return CAIRO_STATUS_NO_MEMORY;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return CAIRO_STATUS_SUCCESS;
}

static char **read_lines(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    char line[4096], **v = NULL;
    *n = 0;
    while (f && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char **nv = realloc(v, (*n + 1) * sizeof(*v));
        if (!nv)
            break;
        v = nv;
        v[(*n)++] = strdup(line);
    }
    if (f)
        fclose(f);
    return v;
}

static void show(cairo_t *cr, PangoLayout *l, double x, double y, const char *text)
{
    pango_layout_set_text(l, text, -1);
    cairo_move_to(cr, x * MM, y * MM);
    pango_cairo_show_layout(cr, l);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: pdf_baseline OUT.pdf LABELS RECORDS TIMES\n");
        return 2;
    }
    size_t nlabels, nlines;
    char **labels = read_lines(argv[2], &nlabels), **lines = read_lines(argv[3], &nlines);
    long times = atol(argv[4]);
    struct buf out = {0};
    cairo_surface_t *pdf = cairo_pdf_surface_create_for_stream(out_write, &out, 297 * MM, 210 * MM);
    PangoFontDescription *fd = pango_font_description_from_string("IPAexGothic 7");
    /* The form: every label, once. */
    cairo_rectangle_t ext = {0, 0, 148.5 * MM, 105 * MM};
    cairo_surface_t *form = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
    cairo_t *fc = cairo_create(form);
    PangoLayout *fl = pango_cairo_create_layout(fc);
    pango_layout_set_font_description(fl, fd);
    for (size_t i = 0; i < nlabels; i++)
        show(fc, fl, 5 + (double)(i % 6) * 23, 5 + (double)(i / 6) * 1.2, labels[i]);
    g_object_unref(fl);
    cairo_destroy(fc);
    cairo_t *cr = cairo_create(pdf);
    PangoLayout *l = pango_cairo_create_layout(cr);
    pango_layout_set_font_description(l, fd);
    long slip = 0;
    for (long t = 0; t < times; t++) {
        for (size_t i = 0; i < nlines;) {
            double ox = (slip % 4) / 2 * 148.5, oy = (slip % 2) * 105;
            cairo_set_source_surface(cr, form, ox * MM, oy * MM);
            cairo_paint(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
            int k = 0;
            for (; i < nlines && lines[i][0]; i++, k++) {
                const char *eq = strchr(lines[i], '=');
                if (eq && eq[1])
                    show(cr, l, ox + 5 + (k % 4) * 34, oy + 10 + (k / 4) * 4.5, eq + 1);
            }
            while (i < nlines && !lines[i][0])
                i++;
            if (++slip % 4 == 0)
                cairo_show_page(cr);
        }
    }
    g_object_unref(l);
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    int bad = cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(pdf);
    cairo_surface_destroy(form);
    pango_font_description_free(fd);
    FILE *f = fopen(argv[1], "wb");
    bad |= !f || fwrite(out.p, 1, out.len, f) != out.len || fclose(f) != 0;
    free(out.p);
    for (size_t i = 0; i < nlabels; i++)
        free(labels[i]);
    for (size_t i = 0; i < nlines; i++)
        free(lines[i]);
    free(labels);
    free(lines);
    return bad ? 1 : 0;
}
