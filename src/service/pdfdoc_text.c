/* Text in boxes, digits in cells and era dates: the half of pdfdoc.h that sets type. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mnvault/mynumber.h"
#include "mnvault/numtext.h"
#include "mnvault/utf8.h"
#include "mnvault/wareki.h"
#include "pdfdoc_priv.h"

#define DEFAULT_SIZE 9.0

struct measure_ctx {
    struct pdfdoc *doc;
    enum pdfdoc_font font;
    int vertical;
};

static int measure(void *vctx, double size, double wrap_mm, double *w, double *h)
{
    struct measure_ctx *m = vctx;
    PangoLayout *l = pdfdoc_layout(m->doc, m->font, m->vertical, size);
    pango_layout_set_width(l, wrap_mm > 0 ? (int)floor(wrap_mm * PANGO_SCALE) : -1);
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
    return 0;
}

static void style_defaults(const struct pdfdoc_style *in, struct pdfdoc_style *st)
{
    static const struct pdfdoc_style zero;
    *st = in ? *in : zero;
    if (!(st->size > 0))
        st->size = DEFAULT_SIZE;
    if (!(st->min_size > 0) || st->min_size > st->size)
        st->min_size = st->size;
    if (st->pad < 0)
        st->pad = 0;
}

/* 0 when text is UTF-8 with no control character but newline. */
static int text_ok(const char *text, size_t len)
{
    if (!utf8_valid(text, len))
        return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c < 0x20 && c != '\n') || c == 0x7F)
            return -1;
    }
    return 0;
}

int pdfdoc_holds_number(const char *text, size_t len, enum mynumber_kind kind, unsigned flags)
{
    unsigned how = (kind == MYNUMBER_CORPORATE ? NUMTEXT_CORPORATE : 0) |
                   (flags & PDFDOC_IDENTIFIERS ? NUMTEXT_WORDS : 0);
    return numtext_has_number(text, len, how);
}

/* The first character of text the font lacks, into diag->detail; for the error message. */
static void name_missing_glyph(struct pdfdoc *doc, const struct pdfdoc_style *st, const char *text,
                               struct mnv_diag *diag)
{
    size_t len = strlen(text);
    PangoLayout *l = pdfdoc_layout(doc, st->font, 0, st->size);
    pango_layout_set_width(l, -1);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_decode(text + i, len - i, &cp);
        if (n <= 0)
            return;
        pango_layout_set_text(l, text + i, n);
        if (pango_layout_get_unknown_glyphs_count(l) > 0) {
            mnv_diag_detail(diag, "U+%04X %.*s", (unsigned)cp, n, text + i);
            return;
        }
        i += (size_t)n;
    }
}

static struct boxfit_rect inner_of(const struct boxfit_rect *r, double pad)
{
    struct boxfit_rect in = {r->x + pad, r->y + pad, r->w - 2 * pad, r->h - 2 * pad};
    if (in.w < 0)
        in.w = 0;
    if (in.h < 0)
        in.h = 0;
    return in;
}

static double offset_in(double room, double used, int where /* 0 start, 1 middle, 2 end */)
{
    if (where == 1)
        return (room - used) / 2;
    return where == 2 ? room - used : 0;
}

static int halign_where(enum pdfdoc_align a)
{
    return a == PDFDOC_CENTER ? 1 : a == PDFDOC_RIGHT ? 2 : 0;
}

static int valign_where(enum pdfdoc_valign v)
{
    return v == PDFDOC_TOP ? 0 : v == PDFDOC_BOTTOM ? 2 : 1;
}

/*
 * Show layout l, whose logical rectangle is lr, with that rectangle's corner at (x, y) on
 * the page: horizontally as it is, vertically turned a quarter clockwise so lines run down
 * and follow each other leftwards (x is then the right edge of the first line).
 */
static void show_at(cairo_t *cr, PangoLayout *l, const PangoRectangle *lr, int vertical, double x,
                    double y)
{
    double lx = (double)lr->x / PANGO_SCALE, ly = (double)lr->y / PANGO_SCALE;
    cairo_save(cr);
    if (vertical) {
        cairo_translate(cr, x + ly, y - lx);
        cairo_rotate(cr, M_PI / 2);
    } else {
        cairo_translate(cr, x - lx, y - ly);
    }
    cairo_move_to(cr, 0, 0);
    pango_cairo_show_layout(cr, l);
    cairo_restore(cr);
}

/* Characters spread evenly over the run of the box (均等割付), one line. */
static void draw_spread(struct pdfdoc *doc, cairo_t *cr, const struct boxfit_rect *in,
                        const char *text, const struct pdfdoc_style *st, double size,
                        const struct boxfit_result *fit)
{
    int vertical = (st->flags & PDFDOC_VERTICAL) != 0;
    double run = vertical ? in->h : in->w, across = vertical ? in->w : in->h;
    PangoLayout *l = pdfdoc_layout(doc, st->font, vertical, size);
    pango_layout_set_width(l, -1);
    pango_layout_set_text(l, text, -1);
    int n_attrs = 0;
    const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(l, &n_attrs);
    /* Cluster boundaries as byte offsets. */
    size_t len = strlen(text), nclusters = 0;
    int starts[256];
    const char *p = text;
    for (int i = 0; i < n_attrs && p <= text + len; i++) {
        if (attrs[i].is_cursor_position && p < text + len && nclusters < MNV_ARRAY_LEN(starts))
            starts[nclusters++] = (int)(p - text);
        if (p < text + len)
            p = g_utf8_next_char(p);
    }
    /* fit->w is the length along the run, whichever way the text runs. */
    double gap = nclusters > 1 ? (run - fit->w) / (double)(nclusters - 1) : 0;
    double at = nclusters > 1 ? 0 : (run - fit->w) / 2;
    for (size_t c = 0; c < nclusters; c++) {
        int end = c + 1 < nclusters ? starts[c + 1] : (int)len;
        pango_layout_set_text(l, text + starts[c], end - starts[c]);
        PangoRectangle lr;
        pango_layout_get_extents(l, NULL, &lr);
        double adv = (double)lr.width / PANGO_SCALE, thick = (double)lr.height / PANGO_SCALE;
        double off = offset_in(across, thick, 1);
        if (vertical)
            show_at(cr, l, &lr, 1, in->x + in->w - off, in->y + at);
        else
            show_at(cr, l, &lr, 0, in->x + at, in->y + off);
        at += adv + gap;
    }
}

enum mnv_err pdfdoc_text_draw(struct pdfdoc *doc, cairo_t *cr, const struct boxfit_rect *r,
                              const char *text, const struct pdfdoc_style *in_st)
{
    struct pdfdoc_style st;
    style_defaults(in_st, &st);
    int vertical = (st.flags & PDFDOC_VERTICAL) != 0, spread = (st.flags & PDFDOC_SPREAD) != 0;
    int wrap = (st.flags & PDFDOC_WRAP) && !spread;
    struct boxfit_rect in = inner_of(r, st.pad);
    PangoLayout *l = pdfdoc_layout(doc, st.font, vertical, st.size);
    pango_layout_set_text(l, text, -1);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, st.align == PDFDOC_CENTER  ? PANGO_ALIGN_CENTER
                                  : st.align == PDFDOC_RIGHT ? PANGO_ALIGN_RIGHT
                                                             : PANGO_ALIGN_LEFT);
    if (pango_layout_get_unknown_glyphs_count(l) > 0)
        return MNV_ERR_PDF_GLYPH;
    /* Vertical text runs along the height and stacks its lines across the width. */
    struct boxfit_request req = {vertical ? in.h : in.w, vertical ? in.w : in.h, st.size,
                                 st.min_size, wrap};
    struct measure_ctx mc = {doc, st.font, vertical};
    struct boxfit_result fit;
    enum mnv_err rc = boxfit_fit(&req, measure, &mc, &fit);
    if (rc != MNV_OK)
        return rc;
    cairo_save(cr);
    cairo_set_source_rgb(cr, st.grey, st.grey, st.grey);
    if (spread) {
        draw_spread(doc, cr, &in, text, &st, fit.size, &fit);
        cairo_restore(cr);
        return MNV_OK;
    }
    l = pdfdoc_layout(doc, st.font, vertical, fit.size);
    pango_layout_set_width(l, wrap ? (int)floor(req.w * PANGO_SCALE) : -1);
    PangoRectangle lr;
    pango_layout_get_extents(l, NULL, &lr);
    double run = (double)lr.width / PANGO_SCALE, thick = (double)lr.height / PANGO_SCALE;
    if (wrap) {
        /* Pango places each line inside the wrap width by the alignment. */
        lr.width = (int)floor(req.w * PANGO_SCALE);
        lr.x = 0;
        run = req.w;
    }
    if (vertical) {
        double x = in.x + in.w - offset_in(in.w, thick, 2 - halign_where(st.align));
        double y = in.y + offset_in(in.h, run, valign_where(st.valign));
        show_at(cr, l, &lr, 1, x, y);
    } else {
        double x = in.x + offset_in(in.w, run, halign_where(st.align));
        double y = in.y + offset_in(in.h, thick, valign_where(st.valign));
        show_at(cr, l, &lr, 0, x, y);
    }
    cairo_restore(cr);
    return MNV_OK;
}

enum mnv_err pdfdoc_text(struct pdfdoc *doc, const struct boxfit_rect *r, const char *text,
                         const struct pdfdoc_style *st, struct mnv_diag *diag)
{
    cairo_t *cr = pdfdoc_target(doc);
    if (!cr)
        return MNV_ERR_PDF_STATE;
    size_t len = strlen(text);
    if (len == 0)
        return MNV_OK;
    if (text_ok(text, len) != 0)
        return MNV_ERR_ENCODING;
    if ((doc->flags & PDFDOC_NO_NUMBERS) &&
        pdfdoc_holds_number(text, len, MYNUMBER_INDIVIDUAL, st ? st->flags : 0))
        return MNV_ERR_PDF_NUMBER;
    enum mnv_err rc = pdfdoc_text_draw(doc, cr, r, text, st);
    if (rc == MNV_ERR_PDF_GLYPH) {
        struct pdfdoc_style full;
        style_defaults(st, &full);
        name_missing_glyph(doc, &full, text, diag);
    }
    return rc;
}

enum mnv_err pdfdoc_text_height(struct pdfdoc *doc, double w, const char *text,
                                const struct pdfdoc_style *in_st, double *h, struct mnv_diag *diag)
{
    struct pdfdoc_style st;
    style_defaults(in_st, &st);
    size_t len = strlen(text);
    *h = 0;
    if (text_ok(text, len) != 0)
        return MNV_ERR_ENCODING;
    if (len == 0)
        return MNV_OK;
    PangoLayout *l = pdfdoc_layout(doc, st.font, 0, st.size);
    pango_layout_set_text(l, text, (int)len);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    if (pango_layout_get_unknown_glyphs_count(l) > 0) {
        name_missing_glyph(doc, &st, text, diag);
        return MNV_ERR_PDF_GLYPH;
    }
    double inner = w - 2 * st.pad, tw = 0;
    struct measure_ctx mc = {doc, st.font, 0};
    if (!(inner > 0) || measure(&mc, st.size, inner, &tw, h) != 0 || tw > inner + 1e-3)
        return MNV_ERR_PDF_FIT;
    *h += 2 * st.pad;
    return MNV_OK;
}

/* 1 when twelve digits in a row of d form a valid My Number. */
static int digits_hold_number(const char *d, size_t n)
{
    return numtext_has_number(d, n, NUMTEXT_ANY_RUN);
}

static void cell_rules(struct pdfdoc *doc, const struct boxfit_rect *r,
                       const struct pdfdoc_cells *cells)
{
    static const struct pdfdoc_pen dotted = {.width = 0.15, .dash = PDFDOC_DOTTED};
    for (size_t i = 1; i < cells->ncells; i++) {
        struct boxfit_rect c = boxfit_cell(r, cells->ncells, i);
        const struct pdfdoc_pen *pen = NULL;
        if (boxfit_group_edge(cells->ncells, cells->group, i))
            pen = cells->group_rule ? cells->group_rule : &dotted;
        else if (cells->rules)
            pen = cells->rules;
        if (pen)
            pdfdoc_line(doc, c.x, r->y, c.x, r->y + r->h, pen);
    }
}

enum mnv_err pdfdoc_cells(struct pdfdoc *doc, const struct boxfit_rect *r, const char *text,
                          const struct pdfdoc_cells *cells, const struct pdfdoc_style *in_st,
                          struct mnv_diag *diag)
{
    cairo_t *cr = pdfdoc_target(doc);
    if (!cr)
        return MNV_ERR_PDF_STATE;
    if (cells->ncells < 1 || cells->ncells > 64)
        return MNV_ERR_RANGE;
    size_t n = strlen(text);
    long first = boxfit_first_cell(n, cells->ncells, !cells->left);
    if (!boxfit_digits_ok(text) || first < 0) {
        mnv_diag_detail(diag, "%zu/%zu", n, cells->ncells);
        return MNV_ERR_PDF_DIGITS;
    }
    if ((doc->flags & PDFDOC_NO_NUMBERS) && digits_hold_number(text, n))
        return MNV_ERR_PDF_NUMBER;
    struct pdfdoc_style st;
    style_defaults(in_st, &st);
    st.flags &= ~(unsigned)(PDFDOC_WRAP | PDFDOC_SPREAD | PDFDOC_VERTICAL);
    st.align = PDFDOC_CENTER;
    /* Every digit at one size: the size at which "0" fits a cell. */
    if (n > 0) {
        struct boxfit_rect c0 =
            inner_of(&(struct boxfit_rect){0, 0, r->w / (double)cells->ncells, r->h}, st.pad);
        PangoLayout *l = pdfdoc_layout(doc, st.font, 0, st.size);
        pango_layout_set_text(l, "0", 1);
        struct boxfit_request req = {c0.w, c0.h, st.size, st.min_size, 0};
        struct measure_ctx mc = {doc, st.font, 0};
        struct boxfit_result fit;
        enum mnv_err rc = boxfit_fit(&req, measure, &mc, &fit);
        if (rc != MNV_OK)
            return rc;
        st.size = st.min_size = fit.size;
    }
    cell_rules(doc, r, cells);
    if (n == 0)
        return MNV_OK;
    /* One layout for every digit at the size found: each centred in its cell. */
    PangoLayout *l = pdfdoc_layout(doc, st.font, 0, st.size);
    pango_layout_set_width(l, -1);
    cairo_save(cr);
    cairo_set_source_rgb(cr, st.grey, st.grey, st.grey);
    for (size_t i = 0; i < n; i++) {
        struct boxfit_rect c = boxfit_cell(r, cells->ncells, (size_t)first + i);
        c = inner_of(&c, st.pad);
        pango_layout_set_text(l, text + i, 1);
        PangoRectangle lr;
        pango_layout_get_extents(l, NULL, &lr);
        double w = (double)lr.width / PANGO_SCALE, h = (double)lr.height / PANGO_SCALE;
        show_at(cr, l, &lr, 0, c.x + offset_in(c.w, w, 1), c.y + offset_in(c.h, h, 1));
    }
    cairo_restore(cr);
    return MNV_OK;
}

enum mnv_err pdfdoc_wareki(struct pdfdoc *doc, const struct boxfit_rect *r, const char *iso,
                           int year_only, const struct pdfdoc_style *st, struct mnv_diag *diag)
{
    if (!iso[0])
        return pdfdoc_target(doc) ? MNV_OK : MNV_ERR_PDF_STATE;
    char buf[64];
    if (!wareki_format(buf, sizeof(buf), iso, year_only))
        return MNV_ERR_FIELD_DATE;
    return pdfdoc_text(doc, r, buf, st, diag);
}
