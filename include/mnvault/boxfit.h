/* boxfit.h (base layer): the arithmetic of printed forms, apart from any drawing library.
 *
 * A printed form is boxes on a page: text is fitted into a box (at the largest size between a
 * wanted and a smallest size, wrapped at character boundaries where the box allows it, never
 * overflowing), and numbers are written one digit per cell, right-aligned (a 12-digit My
 * Number in the 13 cells of 個人番号又は法人番号 leaves the leftmost cell empty; an amount in
 * 10 cells with a divider between groups of three). The PDF layer (pdfdoc.h) measures text
 * with pango and calls these functions; the unit tests call them with a measuring function of
 * their own, so the arithmetic is tested without cairo.
 *
 * Units: lengths in millimetres, type sizes in points (1 pt = 25.4/72 mm).
 */
#ifndef MNVAULT_BOXFIT_H
#define MNVAULT_BOXFIT_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

#define BOXFIT_MM_PER_PT (25.4 / 72.0)
/* Sizes are tried in steps of this many points. */
#define BOXFIT_SIZE_STEP 0.25

struct boxfit_rect {
    double x, y, w, h; /* mm; x, y the top left corner, y growing downwards */
};

/*
 * boxfit_measure_fn: the extent of the text being fitted, set at size_pt and wrapped at
 * wrap_mm when wrap_mm > 0 (only between characters, never inside one), as *w and *h in mm:
 * the widest line and the total height. Returns 0, or nonzero when it cannot measure (the
 * fitting then fails with MNV_ERR_PDF_DRAW).
 */
typedef int (*boxfit_measure_fn)(void *ctx, double size_pt, double wrap_mm, double *w, double *h);

struct boxfit_request {
    double w, h;     /* the space available, mm (the box less its padding) */
    double size;     /* the size wanted, points */
    double min_size; /* the smallest size allowed, points; <= 0 or > size means size */
    int wrap;        /* 1: lines may break between characters to fit the width */
};

struct boxfit_result {
    double size; /* the size chosen, points */
    double w, h; /* the text's extent at that size, mm */
    int wrapped; /* 1 when it was measured with wrapping (it may still be one line) */
};

/*
 * boxfit_fit: the largest size, from req->size down to req->min_size in steps of
 * BOXFIT_SIZE_STEP, at which the text fits into req->w x req->h (wrapped to req->w when
 * req->wrap; a line breaks only where it must, so text that fits on one line keeps it).
 * Larger text wins over fewer lines. Returns MNV_OK with *out filled; MNV_ERR_PDF_FIT when it does
 * not fit even at min_size (*out then holds the attempt at min_size); MNV_ERR_PDF_DRAW when measure
 * fails; MNV_ERR_INVALID for a size <= 0 or a negative space.
 */
MNV_MUST_CHECK enum mnv_err boxfit_fit(const struct boxfit_request *req, boxfit_measure_fn measure,
                                       void *ctx, struct boxfit_result *out) MNV_NONNULL(1, 2, 4);

/*
 * boxfit_first_cell: the cell that holds the first of nchars characters written into ncells
 * cells, right-aligned (right = 1) or left-aligned (right = 0). Returns the 0-based cell
 * index, or -1 when nchars > ncells (the value does not fit; nothing may be cut).
 */
MNV_MUST_CHECK long boxfit_first_cell(size_t nchars, size_t ncells, int right);

/* boxfit_cell: the rectangle of cell i of ncells equal cells across box (i < ncells). */
struct boxfit_rect boxfit_cell(const struct boxfit_rect *box, size_t ncells, size_t i)
    MNV_NONNULL(1);

/*
 * boxfit_group_edge: 1 when a group divider runs along the left edge of cell i, for groups
 * of `group` cells counted from the right (amounts: group 3 puts dividers between thousands);
 * 0 for cell 0, for group 0 and elsewhere.
 */
MNV_MUST_CHECK int boxfit_group_edge(size_t ncells, size_t group, size_t i);

/*
 * boxfit_digits_ok: 1 when text is only ASCII digits (possibly empty), else 0. Cells take
 * digits one by one, so anything else (a comma, a full-width digit) is refused by the caller.
 */
MNV_MUST_CHECK int boxfit_digits_ok(const char *text) MNV_NONNULL(1);

/* boxfit_pt: points into millimetres; boxfit_mm: millimetres into points. */
double boxfit_pt(double pt);
double boxfit_mm(double mm);

#endif
