/* pdflayout.h (service layer): where everything goes on a printed form, read from the form's layout
 * file (no cairo here, so it is unit-tested on its own).
 *
 * A printed form's layout (data/forms/<form>-<year>.ini with `output = pdf`, see form.h and
 * doc/forms.md) lists its fields as every layout does, and adds two sections:
 *
 *   [sheet]   paper = a4_portrait | a4_landscape
 *             slip = W H            the size of one slip's place on the sheet, mm
 *             slots = X Y, X Y, …   where the slips go, in the order they are filled
 *             cut = yes | no        dashed lines between the places, to cut along
 *   [draw]    count = N, then 1 … N: one element a line, drawn in that order, in mm from
 *             the top left corner of the slip's place (or of the last `at`).
 *
 * Elements (KIND, numbers, then options NAME=VALUE or bare words, then `| text`):
 *
 *   at X Y                       later coordinates count from (X, Y) of the slip
 *   rect X Y W H                 a box               (pen=W dash=dotted|dashed grey=G)
 *   line X1 Y1 X2 Y2             a rule              (pen dash grey)
 *   grid X Y cols=A,B,… rows=C,D,…   a ruled table   (pen dash grey)
 *   fill X Y W H grey=G          a shaded box
 *   label X Y W H | TEXT         printed text: font=gothic|mincho size=P min=P
 *                                align=left|center|right valign=top|middle|bottom wrap
 *                                vertical spread pad=MM grey=G
 *   text X Y W H item=ITEM       a value of the record, with label's options, and
 *                                map=K:V,K:V (print V for the code K; a code not listed is
 *                                refused), trim0 (leading zeros off: "07" → "7") or comma
 *                                (digits grouped by thousands: "180000" → "180,000") or
 *                                wareki (an ISO date in the era: "令和8年1月20日")
 *   cells X Y W H item=ITEM cells=N  digits one per cell, right-aligned (left to
 *                                left-align): rules=W the lines between cells, group=3
 *                                dotted dividers between thousands; size, min, font
 *   mark X Y W H item=ITEM | TEXT    TEXT (○) when the value is set (not "" nor "0"),
 *                                or equals when=V
 *
 * Any element may carry copy=ID,ID: drawn only on those copies ([copy.ID] sections). The
 * item `$copy` is the copy's Japanese title in brackets: （受給者交付用）. Items must be fields of
 * the same layout, so a value can never come from anywhere but the checked record.
 */
#ifndef MNVAULT_PDFLAYOUT_H
#define MNVAULT_PDFLAYOUT_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/form.h"
#include "mnvault/pdfdoc.h"

#define PDFLAYOUT_SLOTS_MAX 8
#define PDFLAYOUT_ELEMENTS_MAX 1000
#define PDFLAYOUT_GRID_MAX 24  /* columns or rows of one grid */
#define PDFLAYOUT_TEXT_MAX 256 /* bytes of a label */
#define PDFLAYOUT_MAP_MAX 8    /* pairs of one map= */

enum pdflayout_kind {
    PDFLAYOUT_RECT = 1,
    PDFLAYOUT_LINE,
    PDFLAYOUT_GRID,
    PDFLAYOUT_FILL,
    PDFLAYOUT_LABEL,
    PDFLAYOUT_TEXT,
    PDFLAYOUT_CELLS,
    PDFLAYOUT_MARK,
};

struct pdflayout_map {
    char from[16];
    char to[48];
};

struct pdflayout_element {
    enum pdflayout_kind kind;
    int line;               /* its number in [draw], for messages */
    struct boxfit_rect r;   /* rect, fill, label, text, cells, mark; line: x1 y1 x2 y2 */
    struct pdfdoc_pen pen;  /* rect, line, grid */
    struct pdfdoc_style st; /* label, text, cells, mark */
    double cols[PDFLAYOUT_GRID_MAX], rows[PDFLAYOUT_GRID_MAX];
    size_t ncols, nrows;
    char text[PDFLAYOUT_TEXT_MAX]; /* label and mark: the text printed */
    char when[16];                 /* mark: the value it answers to; "" any set value */
    int field;                     /* text, cells, mark: index into the layout's fields;
                                      -1 for $copy */
    int is_number;                 /* the field carries a My Number (or a payer's number) */
    size_t ncells, group;          /* cells */
    int left;                      /* cells: left-aligned */
    double rules;                  /* cells: width of the lines between cells; 0 none */
    int trim0;                     /* text: leading zeros off */
    int comma;                     /* text: digits grouped by thousands with commas */
    int wareki;                    /* text: an ISO date written in the Japanese era */
    struct pdflayout_map map[PDFLAYOUT_MAP_MAX];
    size_t nmap;
    unsigned copies; /* bit i: drawn on the layout's copy i; all bits when not limited */
};

struct pdflayout {
    enum pdfdoc_paper paper;
    double slip_w, slip_h;
    double slot_x[PDFLAYOUT_SLOTS_MAX], slot_y[PDFLAYOUT_SLOTS_MAX];
    size_t nslots;
    int cut;
    struct pdflayout_element *elements; /* [count] */
    size_t count;
};

/*
 * pdflayout_read: the sheet and the elements of layout l (a printed form's layout) into
 * *out (free with pdflayout_free()). Returns MNV_OK; MNV_ERR_LAYOUT_FILE with diag->where
 * = the layout's file, diag->item = "[sheet] slots" or "[draw] 12" and diag->detail = what
 * is wrong (a message id: translate it); MNV_ERR_NOMEM. On failure *out is NULL.
 */
MNV_MUST_CHECK enum mnv_err pdflayout_read(const struct form_layout *l, struct pdflayout **out,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* pdflayout_free: release; NULL allowed. */
void pdflayout_free(struct pdflayout *p);

/*
 * pdflayout_on_copy: 1 when element e is drawn on copy number i (0-based index into the
 * layout's copies), else 0.
 */
MNV_MUST_CHECK int pdflayout_on_copy(const struct pdflayout_element *e, size_t i) MNV_NONNULL(1);

/*
 * pdflayout_value: the text element e prints for value (map= and trim0 applied) into buf
 * (size bytes). Returns buf, or NULL when e has a map= that does not list the (non-empty)
 * value, or wareki and the value is not a date.
 */
char *pdflayout_value(const struct pdflayout_element *e, const char *value, char *buf, size_t size)
    MNV_NONNULL(1, 2, 3);

/*
 * pdflayout_mark_on: 1 when mark element e prints its text for value: value equals e->when,
 * or, with no when=, value is neither "" nor "0".
 */
MNV_MUST_CHECK int pdflayout_mark_on(const struct pdflayout_element *e, const char *value)
    MNV_NONNULL(1, 2);

#endif
