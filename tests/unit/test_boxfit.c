/* Unit tests for the arithmetic of printed forms: fitting text into boxes and digit cells. */
#include <math.h>
#include <string.h>

#include "mnvault/boxfit.h"

/* A measuring function with round numbers: every character is a square one em wide, lines
 * are 1.25 em apart, and wrapping fills each line with as many whole characters as fit. */
struct fake {
    size_t chars;
    int calls;
    int fail;
};

static int fake_measure(void *ctx, double size_pt, double wrap_mm, double *w, double *h)
{
    struct fake *f = ctx;
    f->calls++;
    if (f->fail)
        return -1;
    double em = boxfit_pt(size_pt);
    size_t per_line = f->chars;
    if (wrap_mm > 0) {
        per_line = (size_t)floor(wrap_mm / em + 1e-9);
        if (per_line == 0)
            per_line = 1; /* a character is never split: the line is wider than the box */
    }
    size_t lines = per_line ? (f->chars + per_line - 1) / per_line : 1;
    size_t widest = f->chars < per_line ? f->chars : per_line;
    *w = (double)widest * em;
    *h = (double)lines * em * 1.25;
    return 0;
}

static void test_boxfit__fits_at_wanted_size(void **state)
{
    (void)state;
    struct fake f = {.chars = 5};
    struct boxfit_request req = {.w = 50, .h = 10, .size = 9, .min_size = 5};
    struct boxfit_result res;
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_OK);
    assert_true(fabs(res.size - 9) < 1e-9);
    assert_int_equal(f.calls, 1); /* the usual case costs one measurement */
    assert_true(res.w <= req.w);
}

static void test_boxfit__shrinks_to_largest_step(void **state)
{
    (void)state;
    /* 10 characters in 30 mm: an em of at most 3 mm, i.e. 8.503 pt; on the 0.25 pt grid
     * from 4 pt that is 8.5 pt. */
    struct fake f = {.chars = 10};
    struct boxfit_request req = {.w = 30, .h = 10, .size = 12, .min_size = 4};
    struct boxfit_result res;
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_OK);
    assert_true(fabs(res.size - 8.5) < 1e-9);
    assert_true(res.w <= 30 + 1e-9);
    assert_true(f.calls < 10); /* a search, not a walk over every step */
}

static void test_boxfit__wanted_size_off_grid(void **state)
{
    (void)state;
    /* Wanted 9.1 pt (not on the grid from 4): the answer is still on the grid and fits. */
    struct fake f = {.chars = 10};
    struct boxfit_request req = {.w = 30, .h = 10, .size = 9.1, .min_size = 4};
    struct boxfit_result res;
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_OK);
    assert_true(fabs(res.size - 8.5) < 1e-9);
}

static void test_boxfit__refuses_what_cannot_fit(void **state)
{
    (void)state;
    struct fake f = {.chars = 40};
    struct boxfit_request req = {.w = 30, .h = 5, .size = 9, .min_size = 6};
    struct boxfit_result res;
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_ERR_PDF_FIT);
    assert_true(fabs(res.size - 6) < 1e-9); /* the attempt at the smallest size */
    assert_true(res.w > req.w);
}

static void test_boxfit__no_shrinking_without_min(void **state)
{
    (void)state;
    struct fake f = {.chars = 10};
    struct boxfit_request req = {.w = 30, .h = 10, .size = 12, .min_size = 0};
    struct boxfit_result res;
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_ERR_PDF_FIT);
    req.min_size = 20; /* above the wanted size: treated as no shrinking */
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_ERR_PDF_FIT);
}

static void test_boxfit__wrapping_keeps_text_larger(void **state)
{
    (void)state;
    /* 20 characters, 30 x 12 mm: on one line only 4.25 pt; wrapped, three lines of 9 at
     * 9 pt (3.175 mm em, 11.9 mm high) fit, and at 9.25 pt they are 12.24 mm high. Larger
     * text wins. */
    struct fake f = {.chars = 20};
    struct boxfit_request req = {.w = 30, .h = 12, .size = 12, .min_size = 4, .wrap = 1};
    struct boxfit_result res;
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_OK);
    assert_true(res.wrapped);
    assert_true(fabs(res.size - 9) < 1e-9);
    assert_true(res.h <= 12 + 1e-9 && res.w <= 30 + 1e-9);
    req.wrap = 0;
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_OK);
    assert_true(fabs(res.size - 4.25) < 1e-9);
}

static void test_boxfit__never_splits_a_character(void **state)
{
    (void)state;
    /* A box narrower than one character at the smallest size: wrapping cannot help. */
    struct fake f = {.chars = 3};
    struct boxfit_request req = {.w = 1, .h = 50, .size = 9, .min_size = 4, .wrap = 1};
    struct boxfit_result res;
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_ERR_PDF_FIT);
}

static void test_boxfit__bad_requests(void **state)
{
    (void)state;
    struct fake f = {.chars = 3};
    struct boxfit_result res;
    struct boxfit_request req = {.w = 10, .h = 10, .size = 0};
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_ERR_INVALID);
    req.size = NAN;
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_ERR_INVALID);
    req = (struct boxfit_request){.w = -1, .h = 10, .size = 9};
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_ERR_INVALID);
    f.fail = 1;
    req = (struct boxfit_request){.w = 10, .h = 10, .size = 9, .min_size = 4};
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_ERR_PDF_DRAW);
}

static void test_boxfit__empty_box_and_empty_text(void **state)
{
    (void)state;
    struct fake f = {.chars = 0};
    struct boxfit_request req = {.w = 0, .h = 0, .size = 9};
    struct boxfit_result res;
    /* Nothing to set: zero extent fits even a zero box (1.25 em of height does not). */
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_ERR_PDF_FIT);
    req.h = 5;
    assert_int_equal(boxfit_fit(&req, fake_measure, &f, &res), MNV_OK);
}

static void test_boxfit__first_cell(void **state)
{
    (void)state;
    /* A My Number in the 13 cells of 個人番号又は法人番号: the leftmost cell stays empty. */
    assert_int_equal(boxfit_first_cell(12, 13, 1), 1);
    assert_int_equal(boxfit_first_cell(13, 13, 1), 0); /* a corporate number fills them */
    assert_int_equal(boxfit_first_cell(14, 13, 1), -1);
    assert_int_equal(boxfit_first_cell(0, 13, 1), 13);
    assert_int_equal(boxfit_first_cell(7, 10, 1), 3);
    assert_int_equal(boxfit_first_cell(7, 10, 0), 0);
    assert_int_equal(boxfit_first_cell(11, 10, 0), -1);
    assert_int_equal(boxfit_first_cell(0, 0, 1), 0);
}

static void test_boxfit__cells(void **state)
{
    (void)state;
    struct boxfit_rect box = {10, 20, 65, 8};
    struct boxfit_rect c = boxfit_cell(&box, 13, 0);
    assert_true(fabs(c.x - 10) < 1e-9 && fabs(c.w - 5) < 1e-9);
    assert_true(fabs(c.y - 20) < 1e-9 && fabs(c.h - 8) < 1e-9);
    c = boxfit_cell(&box, 13, 12);
    assert_true(fabs(c.x - 70) < 1e-9);
    assert_true(fabs(c.x + c.w - (box.x + box.w)) < 1e-9); /* the last cell ends at the edge */
    c = boxfit_cell(&box, 0, 0);
    assert_true(fabs(c.w - 65) < 1e-9);
}

static void test_boxfit__group_edges(void **state)
{
    (void)state;
    /* An amount in 10 cells: 9,999,999,999 -> dividers left of cells 1, 4 and 7. */
    int want[10] = {0, 1, 0, 0, 1, 0, 0, 1, 0, 0};
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(boxfit_group_edge(10, 3, i), want[i]);
    assert_int_equal(boxfit_group_edge(10, 3, 10), 0);
    assert_int_equal(boxfit_group_edge(10, 0, 4), 0);
    assert_int_equal(boxfit_group_edge(9, 3, 3), 1);
    assert_int_equal(boxfit_group_edge(9, 3, 0), 0);
}

static void test_boxfit__digits_ok(void **state)
{
    (void)state;
    assert_int_equal(boxfit_digits_ok(""), 1);
    assert_int_equal(boxfit_digits_ok("0123456789"), 1);
    assert_int_equal(boxfit_digits_ok("1,000"), 0);
    assert_int_equal(boxfit_digits_ok("-1"), 0);
    assert_int_equal(boxfit_digits_ok("１２"), 0); /* full-width digits are not cell digits */
    assert_int_equal(boxfit_digits_ok("12 "), 0);
}

static void test_boxfit__units(void **state)
{
    (void)state;
    assert_true(fabs(boxfit_pt(72) - 25.4) < 1e-9);
    assert_true(fabs(boxfit_mm(25.4) - 72) < 1e-9);
    assert_true(fabs(boxfit_mm(boxfit_pt(9)) - 9) < 1e-9);
}
