#include "mnvault/boxfit.h"

#include <math.h>

double boxfit_pt(double pt)
{
    return pt * BOXFIT_MM_PER_PT;
}

double boxfit_mm(double mm)
{
    return mm / BOXFIT_MM_PER_PT;
}

/* 1 when the text fits at size, 0 when not, -1 when it cannot be measured. */
static int fits_at(const struct boxfit_request *req, boxfit_measure_fn measure, void *ctx,
                   double size, struct boxfit_result *out)
{
    double w = 0, h = 0;
    if (measure(ctx, size, req->wrap ? req->w : 0, &w, &h) != 0)
        return -1;
    out->size = size;
    out->w = w;
    out->h = h;
    out->wrapped = req->wrap != 0;
    /* A hair of tolerance for rounding in the measuring library (1/1000 mm). */
    return w <= req->w + 1e-3 && h <= req->h + 1e-3;
}

enum mnv_err boxfit_fit(const struct boxfit_request *req, boxfit_measure_fn measure, void *ctx,
                        struct boxfit_result *out)
{
    out->size = out->w = out->h = 0;
    out->wrapped = 0;
    if (!(req->size > 0) || req->w < 0 || req->h < 0)
        return MNV_ERR_INVALID;
    double min = req->min_size > 0 && req->min_size <= req->size ? req->min_size : req->size;
    int r = fits_at(req, measure, ctx, req->size, out);
    if (r != 0)
        return r > 0 ? MNV_OK : MNV_ERR_PDF_DRAW;
    /* Sizes on the grid min + k * step. Invariant: k_lo fits, k_hi does not; k_hi starts at
     * the wanted size, which is grid point n or lies just above it. */
    long n = (long)floor((req->size - min) / BOXFIT_SIZE_STEP + 1e-9);
    long k_hi = min + (double)n * BOXFIT_SIZE_STEP >= req->size - 1e-9 ? n : n + 1;
    struct boxfit_result best;
    r = fits_at(req, measure, ctx, min, &best);
    if (r < 0)
        return MNV_ERR_PDF_DRAW;
    if (r == 0) {
        *out = best;
        return MNV_ERR_PDF_FIT;
    }
    long k_lo = 0;
    /* Fitting need not be monotonic once lines wrap; the answer always fits all the same. */
    while (k_hi - k_lo > 1) {
        long k = k_lo + (k_hi - k_lo) / 2;
        struct boxfit_result cur;
        r = fits_at(req, measure, ctx, min + (double)k * BOXFIT_SIZE_STEP, &cur);
        if (r < 0)
            return MNV_ERR_PDF_DRAW;
        if (r > 0) {
            k_lo = k;
            best = cur;
        } else {
            k_hi = k;
        }
    }
    *out = best;
    return MNV_OK;
}

long boxfit_first_cell(size_t nchars, size_t ncells, int right)
{
    if (nchars > ncells)
        return -1;
    return right ? (long)(ncells - nchars) : 0;
}

struct boxfit_rect boxfit_cell(const struct boxfit_rect *box, size_t ncells, size_t i)
{
    struct boxfit_rect c = *box;
    if (ncells == 0)
        return c;
    c.w = box->w / (double)ncells;
    c.x = box->x + c.w * (double)i;
    return c;
}

int boxfit_group_edge(size_t ncells, size_t group, size_t i)
{
    if (group == 0 || i == 0 || i >= ncells)
        return 0;
    return (ncells - i) % group == 0;
}

int boxfit_digits_ok(const char *text)
{
    for (const char *p = text; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}
