/*
 * pdfdoc_priv.h: what the two halves of the PDF layer share (pdfdoc.c: the document, pages,
 * marks, backdrops and lines; pdfdoc_text.c: text, cells and dates). Not a public header.
 */
#ifndef MNVAULT_PDFDOC_PRIV_H
#define MNVAULT_PDFDOC_PRIV_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "mnvault/mynumber.h"
#include "mnvault/pdfdoc.h"
#include "mnvault/strbuf.h"

#define PDFDOC_PT_PER_MM (72.0 / 25.4)
#define PDFDOC_MAX_MARKS 4
#define PDFDOC_MAX_REGIONS 16
#define PDFDOC_MAX_BACKDROPS 16

struct pdfdoc_backdrop {
    cairo_surface_t *surface; /* a recording surface, in points */
    double w, h;              /* mm */
};

struct pdfdoc {
    cairo_surface_t *surface;
    cairo_t *page_cr; /* the page being drawn, in mm */
    cairo_t *cr;      /* where drawing goes now: page_cr or the open backdrop's */
    PangoFontMap *fontmap;
    PangoContext *hctx, *vctx; /* horizontal; vertical (gravity east) */
    PangoLayout *hl, *vl;
    PangoFontDescription *fonts[2]; /* enum pdfdoc_font */
    struct strbuf out; /* the PDF as cairo writes it: a secret strbuf, wiped whenever it
                        * moves and when it is freed */
    unsigned flags;
    int page_open, finished, ever_page;
    size_t pages;
    double page_w, page_h; /* mm, of the open page */
    char *marks[PDFDOC_MAX_MARKS];
    size_t nmarks;
    struct boxfit_rect regions[PDFDOC_MAX_REGIONS];
    size_t nregions;
    int regions_overflow;
    struct pdfdoc_backdrop backdrops[PDFDOC_MAX_BACKDROPS];
    size_t nbackdrops;
    cairo_t *bd_cr; /* the backdrop being drawn, or NULL */
};

/* The cairo context to draw on, or NULL when neither a page nor a backdrop is open. */
cairo_t *pdfdoc_target(struct pdfdoc *doc);

/* Set a layout's font at size_pt; returns the layout. */
PangoLayout *pdfdoc_layout(struct pdfdoc *doc, enum pdfdoc_font font, int vertical, double size);

/* Draw text (already checked) fitted into r in style st; used for marks too. */
enum mnv_err pdfdoc_text_draw(struct pdfdoc *doc, cairo_t *cr, const struct boxfit_rect *r,
                              const char *text, const struct pdfdoc_style *st);

/* 1 when text holds a number of this kind as `mnvault scan` finds one (numtext.h). */
int pdfdoc_holds_number(const char *text, size_t len, enum mynumber_kind kind, unsigned flags);

#endif
