#include "mnvault/pdfdoc.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <pango/pangofc-fontmap.h>
#include <qrencode.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/clock.h"
#include "mnvault/atomicfile.h"
#include "mnvault/secmem.h"
#include "mnvault/utf8.h"
#include "pdfdoc_priv.h"

#ifndef MNV_VERSION
#define MNV_VERSION "0"
#endif

/* Marks every document of this process carries (pdfdoc_mark_all); never taken back. */
static char *global_marks[PDFDOC_MAX_MARKS];
static size_t global_nmarks;

static const struct {
    const char *family;
    const char *debian_path; /* fonts-ipaexfont; fontconfig is asked when it is elsewhere */
} font_files[2] = {
    {"IPAexGothic", "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"},
    {"IPAexMincho", "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"},
};

/* ---- output ---------------------------------------------------------------------------- */

static cairo_status_t out_write(void *closure, const unsigned char *data, unsigned int length)
{
    /* A failed append is sticky: cairo's later writes fail too, and pdfdoc_finish says so. */
    return strbuf_add(closure, data, length) == MNV_OK ? CAIRO_STATUS_SUCCESS
                                                       : CAIRO_STATUS_NO_MEMORY;
}

/* ---- fonts ----------------------------------------------------------------------------- */

/* The file of family, from Debian's place or else from the system's fontconfig. */
static int font_path(size_t i, char *path, size_t size)
{
    if (access(font_files[i].debian_path, R_OK) == 0) {
        snprintf(path, size, "%s", font_files[i].debian_path);
        return 0;
    }
    int found = -1;
    FcPattern *pat = FcPatternBuild(NULL, FC_FAMILY, FcTypeString, font_files[i].family, NULL);
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, NULL);
    FcFontSet *fs = pat && os ? FcFontList(NULL, pat, os) : NULL;
    for (int k = 0; fs && k < fs->nfont && found != 0; k++) {
        FcChar8 *file = NULL;
        if (FcPatternGetString(fs->fonts[k], FC_FILE, 0, &file) == FcResultMatch &&
            strlen((const char *)file) < size) {
            snprintf(path, size, "%s", (const char *)file);
            found = 0;
        }
    }
    if (fs)
        FcFontSetDestroy(fs);
    if (os)
        FcObjectSetDestroy(os);
    if (pat)
        FcPatternDestroy(pat);
    return found;
}

/* A font map that knows IPAex Gothic and Mincho and nothing else. */
static enum mnv_err fonts_load(struct pdfdoc *doc, struct mnv_diag *diag)
{
    FcConfig *cfg = FcConfigCreate();
    if (!cfg)
        return MNV_ERR_NOMEM;
    for (size_t i = 0; i < 2; i++) {
        char path[4096];
        if (font_path(i, path, sizeof(path)) != 0 ||
            !FcConfigAppFontAddFile(cfg, (const FcChar8 *)path)) {
            FcConfigDestroy(cfg);
            mnv_diag_item(diag, "%s", font_files[i].family);
            return MNV_ERR_PDF_FONT;
        }
    }
    doc->fontmap = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (!doc->fontmap || !PANGO_IS_FC_FONT_MAP(doc->fontmap)) {
        FcConfigDestroy(cfg);
        return MNV_ERR_PDF_FONT;
    }
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(doc->fontmap), cfg);
    FcConfigDestroy(cfg); /* the font map holds its own reference */
    for (size_t i = 0; i < 2; i++) {
        doc->fonts[i] = pango_font_description_new();
        pango_font_description_set_family(doc->fonts[i], font_files[i].family);
    }
    return MNV_OK;
}

static PangoContext *context_new(PangoFontMap *fm, int vertical)
{
    PangoContext *ctx = pango_font_map_create_context(fm);
    /* User space is millimetres: 25.4 units to the inch. No hinting, no rounding to whole
     * units (a whole millimetre would wreck small print). */
    pango_cairo_context_set_resolution(ctx, 25.4);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_context_set_language(ctx, pango_language_from_string("ja"));
    if (vertical) {
        pango_context_set_base_gravity(ctx, PANGO_GRAVITY_EAST);
        pango_context_set_gravity_hint(ctx, PANGO_GRAVITY_HINT_STRONG);
    }
    return ctx;
}

PangoLayout *pdfdoc_layout(struct pdfdoc *doc, enum pdfdoc_font font, int vertical, double size)
{
    PangoLayout *l = vertical ? doc->vl : doc->hl;
    PangoFontDescription *fd = doc->fonts[font == PDFDOC_MINCHO ? 1 : 0];
    pango_font_description_set_size(fd, (gint)lround(size * PANGO_SCALE));
    pango_layout_set_font_description(l, fd);
    return l;
}

/* ---- properties ------------------------------------------------------------------------ */

/*
 * 0 when s is UTF-8 without a control character, without a run of twelve or more digits
 * (ASCII or full-width) and without a My Number or corporate number written in groups.
 */
static int meta_ok(const char *s)
{
    size_t len = strlen(s), run = 0;
    if (!utf8_valid(s, len))
        return -1;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        int n = utf8_decode(s + i, len - i, &c);
        if (n <= 0 || c < 0x20 || c == 0x7F)
            return -1;
        if ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19)) {
            if (++run >= 12)
                return -1;
        } else {
            run = 0;
        }
        i += (size_t)n;
    }
    if (pdfdoc_holds_number(s, len, MYNUMBER_INDIVIDUAL, 0) ||
        pdfdoc_holds_number(s, len, MYNUMBER_CORPORATE, 0))
        return -1;
    return 0;
}

static enum mnv_err set_metadata(struct pdfdoc *doc, const struct pdfdoc_info *info,
                                 struct mnv_diag *diag)
{
    const struct {
        const char *name;
        const char *value;
        cairo_pdf_metadata_t key;
    } props[] = {
        {"title", info->title, CAIRO_PDF_METADATA_TITLE},
        {"subject", info->subject, CAIRO_PDF_METADATA_SUBJECT},
        {"author", info->author, CAIRO_PDF_METADATA_AUTHOR},
        {"keywords", info->keywords, CAIRO_PDF_METADATA_KEYWORDS},
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(props); i++) {
        if (!props[i].value)
            continue;
        if (meta_ok(props[i].value) != 0) {
            mnv_diag_item(diag, "%s", props[i].name);
            return MNV_ERR_PDF_META;
        }
        cairo_pdf_surface_set_metadata(doc->surface, props[i].key, props[i].value);
    }
    char when[32];
    clock_format_iso(when, sizeof(when), clock_now());
    cairo_pdf_surface_set_metadata(doc->surface, CAIRO_PDF_METADATA_CREATE_DATE, when);
    cairo_pdf_surface_set_metadata(doc->surface, CAIRO_PDF_METADATA_MOD_DATE, when);
    cairo_pdf_surface_set_metadata(doc->surface, CAIRO_PDF_METADATA_CREATOR,
                                   "mnvault " MNV_VERSION);
    return MNV_OK;
}

/* ---- the document ---------------------------------------------------------------------- */

static enum mnv_err copy_mark(char **slot, const char *text)
{
    size_t len = strlen(text);
    if (len == 0 || !utf8_valid(text, len) || meta_ok(text) != 0)
        return MNV_ERR_ENCODING;
    *slot = strdup(text);
    return *slot ? MNV_OK : MNV_ERR_NOMEM;
}

enum mnv_err pdfdoc_new(struct pdfdoc **out, const struct pdfdoc_info *info, struct mnv_diag *diag)
{
    *out = NULL;
    struct pdfdoc *doc = calloc(1, sizeof(*doc));
    if (!doc)
        return MNV_ERR_NOMEM;
    doc->flags = info->flags;
    strbuf_init_secret(&doc->out); /* the document may hold numbers */
    enum mnv_err rc = fonts_load(doc, diag);
    if (rc != MNV_OK) {
        pdfdoc_free(doc);
        return rc;
    }
    doc->hctx = context_new(doc->fontmap, 0);
    doc->vctx = context_new(doc->fontmap, 1);
    doc->hl = pango_layout_new(doc->hctx);
    doc->vl = pango_layout_new(doc->vctx);
    doc->surface = cairo_pdf_surface_create_for_stream(out_write, &doc->out, 595.28, 841.89);
    if (cairo_surface_status(doc->surface) != CAIRO_STATUS_SUCCESS) {
        pdfdoc_free(doc);
        return MNV_ERR_PDF_DRAW;
    }
    rc = set_metadata(doc, info, diag);
    for (size_t i = 0; rc == MNV_OK && i < global_nmarks; i++)
        rc = pdfdoc_add_mark(doc, global_marks[i]);
    if (rc != MNV_OK) {
        pdfdoc_free(doc);
        return rc;
    }
    *out = doc;
    return MNV_OK;
}

void pdfdoc_free(struct pdfdoc *doc)
{
    if (!doc)
        return;
    if (doc->bd_cr) {
        cairo_destroy(doc->bd_cr);
        cairo_surface_destroy(doc->backdrops[doc->nbackdrops].surface);
    }
    for (size_t i = 0; i < doc->nbackdrops; i++)
        cairo_surface_destroy(doc->backdrops[i].surface);
    if (doc->page_cr)
        cairo_destroy(doc->page_cr);
    if (doc->surface) {
        cairo_surface_finish(doc->surface);
        cairo_surface_destroy(doc->surface);
    }
    if (doc->hl)
        g_object_unref(doc->hl);
    if (doc->vl)
        g_object_unref(doc->vl);
    if (doc->hctx)
        g_object_unref(doc->hctx);
    if (doc->vctx)
        g_object_unref(doc->vctx);
    for (size_t i = 0; i < 2; i++)
        if (doc->fonts[i])
            pango_font_description_free(doc->fonts[i]);
    if (doc->fontmap) {
        /* Without this the font map never lets go of its private fontconfig set. */
        pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(doc->fontmap), NULL);
        g_object_unref(doc->fontmap);
    }
    for (size_t i = 0; i < doc->nmarks; i++)
        free(doc->marks[i]);
    strbuf_release(&doc->out);
    free(doc);
}

enum mnv_err pdfdoc_add_mark(struct pdfdoc *doc, const char *text)
{
    if (doc->ever_page || doc->finished)
        return MNV_ERR_PDF_STATE;
    if (doc->nmarks >= PDFDOC_MAX_MARKS)
        return MNV_ERR_RANGE;
    enum mnv_err rc = copy_mark(&doc->marks[doc->nmarks], text);
    if (rc == MNV_OK)
        doc->nmarks++;
    return rc;
}

enum mnv_err pdfdoc_mark_all(const char *text)
{
    if (global_nmarks >= PDFDOC_MAX_MARKS)
        return MNV_ERR_RANGE;
    enum mnv_err rc = copy_mark(&global_marks[global_nmarks], text);
    if (rc == MNV_OK)
        global_nmarks++;
    return rc;
}

size_t pdfdoc_page_count(const struct pdfdoc *doc)
{
    return doc->pages;
}

cairo_t *pdfdoc_target(struct pdfdoc *doc)
{
    if (doc->finished)
        return NULL;
    if (doc->bd_cr)
        return doc->bd_cr;
    return doc->page_open ? doc->page_cr : NULL;
}

/* ---- pages ----------------------------------------------------------------------------- */

enum mnv_err pdfdoc_page_begin(struct pdfdoc *doc, enum pdfdoc_paper paper)
{
    if (doc->page_open || doc->bd_cr || doc->finished)
        return MNV_ERR_PDF_STATE;
    double w = 210, h = 297;
    if (paper == PDFDOC_A4_LANDSCAPE)
        w = 297, h = 210;
    cairo_pdf_surface_set_size(doc->surface, w * PDFDOC_PT_PER_MM, h * PDFDOC_PT_PER_MM);
    doc->page_w = w;
    doc->page_h = h;
    if (!doc->page_cr) {
        doc->page_cr = cairo_create(doc->surface);
        if (cairo_status(doc->page_cr) != CAIRO_STATUS_SUCCESS)
            return MNV_ERR_PDF_DRAW;
    }
    cairo_identity_matrix(doc->page_cr);
    cairo_scale(doc->page_cr, PDFDOC_PT_PER_MM, PDFDOC_PT_PER_MM);
    doc->page_open = 1;
    doc->ever_page = 1;
    doc->nregions = 0;
    doc->regions_overflow = 0;
    doc->pages++;
    return MNV_OK;
}

void pdfdoc_mark_region(struct pdfdoc *doc, const struct boxfit_rect *r)
{
    if (doc->nregions >= PDFDOC_MAX_REGIONS) {
        doc->regions_overflow = 1;
        return;
    }
    doc->regions[doc->nregions++] = *r;
}

/* One mark across r: large, light, along the diagonal. */
static void stamp(struct pdfdoc *doc, const struct boxfit_rect *r, const char *text)
{
    cairo_t *cr = doc->page_cr;
    double diag = hypot(r->w, r->h), angle = -atan2(r->h, r->w);
    /* The mark runs along the diagonal in a band a quarter as high as the shorter side. */
    double band = fmin(r->w, r->h) / 4;
    struct boxfit_rect along = {-diag * 0.35, -band / 2, diag * 0.7, band};
    struct pdfdoc_style st = {.font = PDFDOC_GOTHIC,
                              .size = boxfit_mm(band),
                              .min_size = 1,
                              .align = PDFDOC_CENTER,
                              .grey = 0.55};
    cairo_save(cr);
    cairo_translate(cr, r->x + r->w / 2, r->y + r->h / 2);
    cairo_rotate(cr, angle);
    cairo_push_group(cr);
    enum mnv_err rc = pdfdoc_text_draw(doc, cr, &along, text, &st);
    cairo_pop_group_to_source(cr);
    if (rc == MNV_OK)
        cairo_paint_with_alpha(cr, 0.35);
    cairo_restore(cr);
}

enum mnv_err pdfdoc_page_end(struct pdfdoc *doc)
{
    if (!doc->page_open || doc->bd_cr || doc->finished)
        return MNV_ERR_PDF_STATE;
    struct boxfit_rect whole = {0, 0, doc->page_w, doc->page_h};
    int per_region = doc->nregions > 0 && !doc->regions_overflow;
    for (size_t m = 0; m < doc->nmarks; m++) {
        if (!per_region)
            stamp(doc, &whole, doc->marks[m]);
        for (size_t i = 0; per_region && i < doc->nregions; i++)
            stamp(doc, &doc->regions[i], doc->marks[m]);
    }
    cairo_show_page(doc->page_cr);
    doc->page_open = 0;
    return cairo_status(doc->page_cr) == CAIRO_STATUS_SUCCESS ? MNV_OK : MNV_ERR_PDF_DRAW;
}

/* ---- backdrops ------------------------------------------------------------------------- */

enum mnv_err pdfdoc_backdrop_begin(struct pdfdoc *doc, double w, double h)
{
    if (doc->page_open || doc->bd_cr || doc->finished)
        return MNV_ERR_PDF_STATE;
    if (doc->nbackdrops >= PDFDOC_MAX_BACKDROPS)
        return MNV_ERR_RANGE;
    if (!(w > 0) || !(h > 0))
        return MNV_ERR_INVALID;
    cairo_rectangle_t ext = {0, 0, w * PDFDOC_PT_PER_MM, h * PDFDOC_PT_PER_MM};
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
    cairo_t *cr = cairo_create(rec);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        cairo_destroy(cr);
        cairo_surface_destroy(rec);
        return MNV_ERR_NOMEM;
    }
    cairo_scale(cr, PDFDOC_PT_PER_MM, PDFDOC_PT_PER_MM);
    struct pdfdoc_backdrop *b = &doc->backdrops[doc->nbackdrops];
    b->surface = rec;
    b->w = w;
    b->h = h;
    doc->bd_cr = cr;
    return MNV_OK;
}

enum mnv_err pdfdoc_backdrop_end(struct pdfdoc *doc, int *id)
{
    *id = -1;
    if (!doc->bd_cr)
        return MNV_ERR_PDF_STATE;
    cairo_status_t st = cairo_status(doc->bd_cr);
    cairo_destroy(doc->bd_cr);
    doc->bd_cr = NULL;
    if (st != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(doc->backdrops[doc->nbackdrops].surface);
        doc->backdrops[doc->nbackdrops].surface = NULL;
        return MNV_ERR_PDF_DRAW;
    }
    *id = (int)doc->nbackdrops++;
    return MNV_OK;
}

enum mnv_err pdfdoc_backdrop_place(struct pdfdoc *doc, int id, double x, double y)
{
    if (!doc->page_open || doc->bd_cr || doc->finished)
        return MNV_ERR_PDF_STATE;
    if (id < 0 || (size_t)id >= doc->nbackdrops)
        return MNV_ERR_INVALID;
    cairo_t *cr = doc->page_cr;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, 1 / PDFDOC_PT_PER_MM, 1 / PDFDOC_PT_PER_MM);
    cairo_set_source_surface(cr, doc->backdrops[id].surface, 0, 0);
    cairo_paint(cr);
    cairo_restore(cr);
    return MNV_OK;
}

/* ---- lines and boxes ------------------------------------------------------------------- */

static void pen_apply(cairo_t *cr, const struct pdfdoc_pen *pen)
{
    double w = pen && pen->width > 0 ? pen->width : 0.2;
    double grey = pen ? pen->grey : 0;
    cairo_set_line_width(cr, w);
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    enum pdfdoc_dash dash = pen ? pen->dash : PDFDOC_SOLID;
    if (dash == PDFDOC_DASHED) {
        double d[] = {w * 6, w * 4};
        cairo_set_dash(cr, d, 2, 0);
    } else if (dash == PDFDOC_DOTTED) {
        double d[] = {w, w * 2};
        cairo_set_dash(cr, d, 2, 0);
    } else {
        cairo_set_dash(cr, NULL, 0, 0);
    }
}

void pdfdoc_line(struct pdfdoc *doc, double x1, double y1, double x2, double y2,
                 const struct pdfdoc_pen *pen)
{
    cairo_t *cr = pdfdoc_target(doc);
    if (!cr)
        return;
    cairo_save(cr);
    pen_apply(cr, pen);
    cairo_move_to(cr, x1, y1);
    cairo_line_to(cr, x2, y2);
    cairo_stroke(cr);
    cairo_restore(cr);
}

void pdfdoc_rect(struct pdfdoc *doc, const struct boxfit_rect *r, const struct pdfdoc_pen *pen)
{
    cairo_t *cr = pdfdoc_target(doc);
    if (!cr)
        return;
    cairo_save(cr);
    pen_apply(cr, pen);
    cairo_rectangle(cr, r->x, r->y, r->w, r->h);
    cairo_stroke(cr);
    cairo_restore(cr);
}

void pdfdoc_fill(struct pdfdoc *doc, const struct boxfit_rect *r, double grey)
{
    cairo_t *cr = pdfdoc_target(doc);
    if (!cr)
        return;
    cairo_save(cr);
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_rectangle(cr, r->x, r->y, r->w, r->h);
    cairo_fill(cr);
    cairo_restore(cr);
}

void pdfdoc_grid(struct pdfdoc *doc, double x, double y, const double *cols, size_t ncols,
                 const double *rows, size_t nrows, const struct pdfdoc_pen *pen)
{
    cairo_t *cr = pdfdoc_target(doc);
    if (!cr || ncols == 0 || nrows == 0)
        return;
    double w = 0, h = 0;
    for (size_t i = 0; i < ncols; i++)
        w += cols[i];
    for (size_t i = 0; i < nrows; i++)
        h += rows[i];
    cairo_save(cr);
    pen_apply(cr, pen);
    cairo_rectangle(cr, x, y, w, h);
    double at = x;
    for (size_t i = 0; i + 1 < ncols; i++) {
        at += cols[i];
        cairo_move_to(cr, at, y);
        cairo_line_to(cr, at, y + h);
    }
    at = y;
    for (size_t i = 0; i + 1 < nrows; i++) {
        at += rows[i];
        cairo_move_to(cr, x, at);
        cairo_line_to(cr, x + w, at);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* ---- QR codes -------------------------------------------------------------------------- */

enum mnv_err pdfdoc_qr(struct pdfdoc *doc, const struct boxfit_rect *r, const char *text)
{
    cairo_t *cr = pdfdoc_target(doc);
    if (!cr)
        return MNV_ERR_PDF_STATE;
    size_t len = strlen(text);
    if (len == 0)
        return MNV_ERR_INVALID;
    if (!utf8_valid(text, len))
        return MNV_ERR_ENCODING;
    if ((doc->flags & PDFDOC_NO_NUMBERS) && pdfdoc_holds_number(text, len, MYNUMBER_INDIVIDUAL, 0))
        return MNV_ERR_PDF_NUMBER;
    /* An ECI header (26 = UTF-8) first, so that readers take the bytes as UTF-8. */
    QRinput *in = QRinput_new2(0, QR_ECLEVEL_M);
    QRcode *qr = NULL;
    int saved = ENOMEM;
    if (in && QRinput_appendECIheader(in, 26) == 0 &&
        QRinput_append(in, QR_MODE_8, (int)len, (const unsigned char *)text) == 0)
        qr = QRcode_encodeInput(in);
    if (!qr)
        saved = errno;
    QRinput_free(in);
    if (!qr)
        return saved == ERANGE ? MNV_ERR_TOO_LONG : MNV_ERR_NOMEM;
    int n = qr->width + 8; /* with the quiet zone */
    double side = fmin(r->w, r->h), m = side / n;
    double x0 = r->x + (r->w - side) / 2 + 4 * m, y0 = r->y + (r->h - side) / 2 + 4 * m;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            if (qr->data[y * qr->width + x] & 1)
                cairo_rectangle(cr, x0 + x * m, y0 + y * m, m, m);
    /* One fill of every square: no hairline seams between neighbouring modules. */
    cairo_fill(cr);
    cairo_restore(cr);
    QRcode_free(qr);
    return MNV_OK;
}

/* ---- the end --------------------------------------------------------------------------- */

enum mnv_err pdfdoc_finish(struct pdfdoc *doc, const unsigned char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (!doc->finished) {
        if (doc->bd_cr || !doc->ever_page)
            return MNV_ERR_PDF_STATE;
        if (doc->page_open) {
            enum mnv_err rc = pdfdoc_page_end(doc);
            if (rc != MNV_OK)
                return rc;
        }
        cairo_destroy(doc->page_cr);
        doc->page_cr = NULL;
        cairo_surface_finish(doc->surface);
        doc->finished = 1;
    }
    if (strbuf_error(&doc->out) != MNV_OK)
        return MNV_ERR_NOMEM;
    if (cairo_surface_status(doc->surface) != CAIRO_STATUS_SUCCESS)
        return MNV_ERR_PDF_DRAW;
    *data = (const unsigned char *)strbuf_str(&doc->out);
    *len = doc->out.len;
    return MNV_OK;
}

enum mnv_err pdfdoc_write(struct pdfdoc *doc, const char *path, struct mnv_diag *diag)
{
    const unsigned char *data;
    size_t len;
    enum mnv_err rc = pdfdoc_finish(doc, &data, &len);
    if (rc != MNV_OK)
        return rc;
    struct atomicfile f;
    rc = atomicfile_open(&f, path, 0600, diag);
    if (rc != MNV_OK)
        return rc;
    /* A document that may hold numbers leaves no readable remains when writing fails. */
    if (!(doc->flags & PDFDOC_NO_NUMBERS))
        atomicfile_wipe_on_abort(&f);
    rc = atomicfile_write(&f, data, len, diag);
    if (rc == MNV_OK)
        return atomicfile_commit(&f, NULL, 0, diag);
    atomicfile_abort(&f);
    return rc;
}
