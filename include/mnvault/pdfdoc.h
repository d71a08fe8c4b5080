/* pdfdoc.h (service layer): drawing printed forms and documents as PDF.
 *
 * The one place in mnvault that uses cairo and pango. Everything that prints (the tax slips,
 * the 総括表, certificates of deletion, insurance forms, registers) draws through these calls:
 * A4 pages in portrait or landscape, lines, boxes and ruled tables, text fitted into a box
 * (shrunk down to a smallest size and wrapped between characters where allowed, never
 * overflowing it and never cut inside a character), labels spread over a box (均等割付),
 * vertical text (縦書き), numbers written one digit per cell and right-aligned, and dates in
 * the Japanese era (和暦). Coordinates are millimetres from the top left corner of the page;
 * type sizes are points. The arithmetic of fitting and cells is in boxfit.h.
 *
 * Fonts: IPAex Gothic and IPAex Mincho (Debian's fonts-ipaexfont), found through fontconfig
 * and loaded into a private font set that holds nothing else, so what is printed never
 * depends on the fonts a user installed, a missing character is an error instead of a
 * silent substitute, and the subsets used are embedded in the PDF.
 *
 * A document is built in memory and written at the end with pdfdoc_write() (temporary file,
 * fsync, rename; mode 0600). The memory is wiped when the document is freed. cairo and
 * pango keep their own working copies of text while drawing, outside mnvault's control;
 * they are released with the document.
 *
 * Numbers: the document properties (title, subject, author, keywords) never hold a run of
 * twelve or more digits. A document made with PDFDOC_NO_NUMBERS (a copy for an employee, a
 * certificate of deletion) refuses any text or cells that hold a valid My Number, as
 * `mnvault scan` would find it, with MNV_ERR_PDF_NUMBER: a last guard behind the form code,
 * which must not pass numbers to such a document in the first place.
 *
 * Marks: a mark (見本, DEMO) added to a document is stamped across every page, or across
 * every region a page declares (each slip of a sheet), when the page ends; it cannot be
 * taken off. pdfdoc_mark_all() adds a mark to every document the process makes afterwards.
 *
 * Backdrops: the printed form itself (lines and labels, the same on every slip) can be
 * drawn once into a backdrop and placed on every slip; the PDF then holds it once.
 */
#ifndef MNVAULT_PDFDOC_H
#define MNVAULT_PDFDOC_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/boxfit.h"
#include "mnvault/err.h"

struct pdfdoc;

enum pdfdoc_paper {
    PDFDOC_A4_PORTRAIT = 0, /* 210 x 297 mm */
    PDFDOC_A4_LANDSCAPE,    /* 297 x 210 mm */
};

enum pdfdoc_font {
    PDFDOC_GOTHIC = 0, /* IPAex Gothic: labels and values */
    PDFDOC_MINCHO,     /* IPAex Mincho: titles and running text of certificates */
};

enum pdfdoc_align { PDFDOC_LEFT = 0, PDFDOC_CENTER, PDFDOC_RIGHT };
enum pdfdoc_valign { PDFDOC_MIDDLE = 0, PDFDOC_TOP, PDFDOC_BOTTOM };

enum pdfdoc_flag {
    PDFDOC_WRAP = 1 << 0,     /* lines may break between characters to fit the box */
    PDFDOC_VERTICAL = 1 << 1, /* 縦書き: top to bottom, upright CJK, lines right to left */
    PDFDOC_SPREAD = 1 << 2,   /* 均等割付: one line, characters spread over the whole box */
    /* The program's own text that may carry hex identifiers (a hash, a public key): in a
     * document that refuses numbers, a digit run touching an ASCII letter or longer than a
     * number is taken for part of an identifier (numtext's NUMTEXT_WORDS), as the audit
     * writer does. Never for text a person typed or a stored name. */
    PDFDOC_IDENTIFIERS = 1 << 3,
};

/* How text is set in a box. A zeroed style is IPAex Gothic 9 pt, left, middle, no padding. */
struct pdfdoc_style {
    enum pdfdoc_font font;
    double size;     /* points; <= 0 means 9 */
    double min_size; /* points: the smallest it may shrink to; <= 0 means no shrinking */
    enum pdfdoc_align align;
    enum pdfdoc_valign valign;
    unsigned flags; /* enum pdfdoc_flag bits */
    double pad;     /* mm kept free inside the box on every side */
    double grey;    /* 0 black (default) to 1 white */
};

enum pdfdoc_dash { PDFDOC_SOLID = 0, PDFDOC_DASHED, PDFDOC_DOTTED };

/* How lines are drawn. A zeroed pen (or NULL) is a solid black line 0.2 mm wide. */
struct pdfdoc_pen {
    double width; /* mm; <= 0 means 0.2 */
    enum pdfdoc_dash dash;
    double grey; /* 0 black to 1 white */
};

enum pdfdoc_doc_flag {
    PDFDOC_NO_NUMBERS = 1 << 0, /* refuse any valid My Number in text and cells */
};

/* Document properties. Strings are copied; NULL leaves a property out. */
struct pdfdoc_info {
    const char *title;
    const char *subject;
    const char *author;
    const char *keywords;
    unsigned flags; /* enum pdfdoc_doc_flag bits */
};

/*
 * pdfdoc_new: a new empty document (free with pdfdoc_free()). Its creation date is
 * clock_now(). Returns MNV_OK; MNV_ERR_PDF_FONT when IPAex Gothic or Mincho cannot be
 * found (diag->item names the font); MNV_ERR_PDF_META when a property holds twelve or more
 * digits in a row (diag->item names it) or is not UTF-8; MNV_ERR_NOMEM; MNV_ERR_PDF_DRAW.
 * On failure *out is NULL.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_new(struct pdfdoc **out, const struct pdfdoc_info *info,
                                       struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* pdfdoc_free: release the document and wipe its memory; NULL is allowed. */
void pdfdoc_free(struct pdfdoc *doc);

/*
 * pdfdoc_add_mark: stamp text (copied) diagonally across every page, or every mark region,
 * of doc from now on. At most 4 marks. Returns MNV_OK, MNV_ERR_RANGE when there are 4
 * already, MNV_ERR_PDF_STATE when a page is already drawn (a mark is on all pages or none),
 * MNV_ERR_ENCODING, MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_add_mark(struct pdfdoc *doc, const char *text) MNV_NONNULL(1, 2);

/*
 * pdfdoc_mark_all: every document made after this call in this process carries the mark
 * (copied), as by pdfdoc_add_mark(); there is no way to take it back. At most 4 marks.
 * Returns MNV_OK, MNV_ERR_RANGE, MNV_ERR_ENCODING or MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_mark_all(const char *text) MNV_NONNULL(1);

/* pdfdoc_page_count: the pages begun so far. */
size_t pdfdoc_page_count(const struct pdfdoc *doc) MNV_NONNULL(1);

/*
 * pdfdoc_page_begin: start a new page. Returns MNV_OK, or MNV_ERR_PDF_STATE when a page is
 * open, a backdrop is being drawn or the document is finished.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_page_begin(struct pdfdoc *doc, enum pdfdoc_paper paper)
    MNV_NONNULL(1);

/*
 * pdfdoc_mark_region: the marks of this page go across r (and every other region named)
 * instead of across the whole page; for sheets holding several slips that are cut apart.
 * At most 16 regions a page; more are ignored (the marks then cover the whole page).
 */
void pdfdoc_mark_region(struct pdfdoc *doc, const struct boxfit_rect *r) MNV_NONNULL(1, 2);

/*
 * pdfdoc_page_end: stamp the marks and close the page. Returns MNV_OK, MNV_ERR_PDF_STATE
 * when no page is open, MNV_ERR_PDF_DRAW when cairo failed.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_page_end(struct pdfdoc *doc) MNV_NONNULL(1);

/*
 * pdfdoc_backdrop_begin: draw what follows (until pdfdoc_backdrop_end()) into a backdrop
 * of w x h mm instead of the page; coordinates are then relative to the backdrop's top
 * left corner. Not while a page is open. Returns MNV_OK, MNV_ERR_PDF_STATE, MNV_ERR_RANGE
 * (more than 16 backdrops), MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_backdrop_begin(struct pdfdoc *doc, double w, double h)
    MNV_NONNULL(1);

/* pdfdoc_backdrop_end: finish the backdrop; *id names it for pdfdoc_backdrop_place(). */
MNV_MUST_CHECK enum mnv_err pdfdoc_backdrop_end(struct pdfdoc *doc, int *id) MNV_NONNULL(1, 2);

/* pdfdoc_backdrop_place: put backdrop id on the open page with its corner at (x, y). */
MNV_MUST_CHECK enum mnv_err pdfdoc_backdrop_place(struct pdfdoc *doc, int id, double x, double y)
    MNV_NONNULL(1);

/* Lines and boxes: drawing errors show up at pdfdoc_page_end() and pdfdoc_finish(). */
void pdfdoc_line(struct pdfdoc *doc, double x1, double y1, double x2, double y2,
                 const struct pdfdoc_pen *pen) MNV_NONNULL(1);
void pdfdoc_rect(struct pdfdoc *doc, const struct boxfit_rect *r, const struct pdfdoc_pen *pen)
    MNV_NONNULL(1, 2);
/* pdfdoc_fill: paint r in grey (0 black to 1 white), without an outline. */
void pdfdoc_fill(struct pdfdoc *doc, const struct boxfit_rect *r, double grey) MNV_NONNULL(1, 2);

/*
 * pdfdoc_grid: a ruled table with its top left corner at (x, y): ncols columns of the widths
 * in cols[] and nrows rows of the heights in rows[], the outline and every inner rule.
 */
void pdfdoc_grid(struct pdfdoc *doc, double x, double y, const double *cols, size_t ncols,
                 const double *rows, size_t nrows, const struct pdfdoc_pen *pen)
    MNV_NONNULL(1, 4, 6);

/*
 * pdfdoc_text: set UTF-8 text into box r in style st (NULL: the zeroed style). Empty text
 * draws nothing. Returns MNV_OK; MNV_ERR_PDF_FIT when it does not fit even at the smallest
 * size; MNV_ERR_PDF_GLYPH when the font lacks a character (diag->detail: "U+XXXX c");
 * MNV_ERR_PDF_NUMBER in a PDFDOC_NO_NUMBERS document; MNV_ERR_ENCODING for invalid UTF-8
 * or a control character; MNV_ERR_PDF_STATE when nothing is open to draw on. Nothing is
 * drawn on failure. diag may be NULL.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_text(struct pdfdoc *doc, const struct boxfit_rect *r,
                                        const char *text, const struct pdfdoc_style *st,
                                        struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * pdfdoc_text_height: the height in mm that text takes set in style st (its size, without
 * shrinking) and wrapped between characters to width w mm: for running text and tables that
 * go over several pages (a register, a certificate's explanation). Works with or without an
 * open page. Returns MNV_OK with *h; MNV_ERR_ENCODING, MNV_ERR_PDF_GLYPH (diag->detail as
 * pdfdoc_text()); MNV_ERR_PDF_FIT when a single character is wider than w.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_text_height(struct pdfdoc *doc, double w, const char *text,
                                               const struct pdfdoc_style *st, double *h,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 3, 5);

/* How pdfdoc_cells() draws the cells themselves. */
struct pdfdoc_cells {
    size_t ncells;                       /* cells across the box (1..64) */
    int left;                            /* 1: left-aligned; 0: right-aligned (the usual) */
    const struct pdfdoc_pen *rules;      /* the lines between cells; NULL: none */
    size_t group;                        /* a divider every `group` cells from the right; 0: none */
    const struct pdfdoc_pen *group_rule; /* the dividers' pen; NULL: a dotted line */
};

/*
 * pdfdoc_cells: write the ASCII digits of text one per cell into r, right-aligned unless
 * cells->left (a 12-digit My Number in 13 cells leaves the leftmost one empty), each centred
 * in its cell at the largest size of st that fits the cell. Draws the rules between cells
 * and the group dividers even when text is empty. Returns MNV_OK; MNV_ERR_PDF_DIGITS when
 * text holds anything but digits or more digits than cells; MNV_ERR_PDF_NUMBER in a
 * PDFDOC_NO_NUMBERS document when twelve of the digits in a row form a valid My Number;
 * MNV_ERR_PDF_FIT, MNV_ERR_PDF_STATE; MNV_ERR_RANGE for ncells outside 1..64. Nothing is
 * drawn on failure.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_cells(struct pdfdoc *doc, const struct boxfit_rect *r,
                                         const char *text, const struct pdfdoc_cells *cells,
                                         const struct pdfdoc_style *st, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 4);

/*
 * pdfdoc_wareki: the ISO date "YYYY-MM-DD" in the Japanese era ("令和7年4月1日", or
 * "令和7年" with year_only) into r as pdfdoc_text() would. Returns what pdfdoc_text()
 * returns, or MNV_ERR_FIELD_DATE when iso is not a date from 明治 on. Empty iso draws nothing.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_wareki(struct pdfdoc *doc, const struct boxfit_rect *r,
                                          const char *iso, int year_only,
                                          const struct pdfdoc_style *st, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * pdfdoc_qr: text (UTF-8, error correction level M) as a QR code, as large as fits into r and
 * centred in it, its quiet zone of 4 modules included; dark modules are filled squares, so
 * the code reads from paper and from the PDF alike. For verification data on certificates.
 * Returns MNV_OK; MNV_ERR_INVALID for empty text; MNV_ERR_TOO_LONG when the text does not fit
 * a QR code; MNV_ERR_PDF_NUMBER in a PDFDOC_NO_NUMBERS document when the text holds a
 * My Number; MNV_ERR_ENCODING; MNV_ERR_PDF_STATE; MNV_ERR_NOMEM. Nothing is drawn on failure.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_qr(struct pdfdoc *doc, const struct boxfit_rect *r,
                                      const char *text) MNV_NONNULL(1, 2, 3);

/*
 * pdfdoc_finish: end the document (an open page is ended first) and give its bytes:
 * *data (owned by doc, valid until pdfdoc_free()) and *len. Calling it again gives the
 * same bytes. Returns MNV_OK, MNV_ERR_PDF_STATE when there is no page at all or a backdrop
 * is open, MNV_ERR_PDF_DRAW when cairo failed, MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_finish(struct pdfdoc *doc, const unsigned char **data,
                                          size_t *len) MNV_NONNULL(1, 2, 3);

/*
 * pdfdoc_write: pdfdoc_finish() and write the bytes to path through the atomic file writer
 * (atomicfile.h) with mode 0600; a temporary file given up is wiped first unless the
 * document is PDFDOC_NO_NUMBERS. Returns what pdfdoc_finish() returns, or MNV_ERR_IO /
 * MNV_ERR_TOO_LONG with diag filled; the old file at path, if any, is untouched on failure.
 */
MNV_MUST_CHECK enum mnv_err pdfdoc_write(struct pdfdoc *doc, const char *path,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 2);

#endif
