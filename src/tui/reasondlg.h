/* reasondlg.h (tui layer, private to src/tui): a small dialog over a screen — a paragraph, up to
 * three labelled one-line fields (each with a dim hint to its right or below), an error line
 * and a key hint — that hands its fields to the owner's submit function on Enter (reasondlg.c).
 * The propose, approve/reject and hold dialogs of the disposal and retention screens use it.
 */
#ifndef MNVAULT_TUI_REASONDLG_H
#define MNVAULT_TUI_REASONDLG_H

#include "app.h"
#include "field.h"

#define REASONDLG_FIELDS 3

struct reasondlg;
/* On Enter: act on the fields. Returns TUI_POP when done (the dialog closes), TUI_STAY with
 * d->msg set (and d->focus on the field at fault), TUI_LOCK or TUI_QUIT. */
typedef enum tui_next (*reasondlg_submit_fn)(struct app *app, struct reasondlg *d);

struct reasondlg_field {
    const char *label; /* translated */
    const char *hint;  /* translated dim text, or NULL */
    int width;         /* cells; 0 = to the right edge (the hint then goes below) */
    struct field f;
};

struct reasondlg {
    char title[200];
    char intro[600];
    const char *keys; /* translated key hint, e.g. "Enter: propose   Esc: cancel" */
    int label_cells;  /* the labels' column */
    int nfields, focus;
    struct reasondlg_field fld[REASONDLG_FIELDS];
    char msg[420];              /* shown after "! " in the error style */
    reasondlg_submit_fn submit; /* NULL: Enter does nothing */
    void *owner;                /* the screen below, for submit */
    void *ud;                   /* the owner's extra state, freed with ud_free */
    void (*ud_free)(void *ud);
};

/* A dialog with nfields fields of caps[i] bytes, field i secret (secmem, wiped on lock) when
 * bit i of secret is set; NULL when out of memory. */
struct reasondlg *reasondlg_new(int nfields, const size_t *caps, unsigned secret);
/* Free a dialog never pushed (NULL is fine). */
void reasondlg_free(struct reasondlg *d);
/* Push d (taking it: it is freed when the dialog closes, or at once if the push fails). */
enum tui_next reasondlg_push(struct app *app, struct reasondlg *d);

#endif
