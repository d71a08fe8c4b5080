/* formdlg.h (tui layer, private to src/tui): a small dialog over a screen — a paragraph, up to
 * three labelled one-line fields (each with a dim hint to its right or below), an error line
 * and a key hint — that hands its fields to the owner's submit function on Enter (formdlg.c).
 * The propose, approve/reject and hold dialogs of the disposal and retention screens use it.
 */
#ifndef MNVAULT_TUI_FORMDLG_H
#define MNVAULT_TUI_FORMDLG_H

#include "app.h"
#include "field.h"

#define FORMDLG_FIELDS 3

struct formdlg;
/* On Enter: act on the fields. Returns TUI_POP when done (the dialog closes), TUI_STAY with
 * d->msg set (and d->focus on the field at fault), TUI_LOCK or TUI_QUIT. */
typedef enum tui_next (*formdlg_submit_fn)(struct app *app, struct formdlg *d);

struct formdlg_field {
    const char *label; /* translated */
    const char *hint;  /* translated dim text, or NULL */
    int width;         /* cells; 0 = to the right edge (the hint then goes below) */
    struct field f;
};

struct formdlg {
    char title[200];
    char intro[600];
    const char *keys; /* translated key hint, e.g. "Enter: propose   Esc: cancel" */
    int label_cells;  /* the labels' column */
    int nfields, focus;
    struct formdlg_field fld[FORMDLG_FIELDS];
    char msg[420];            /* shown after "! " in the error style */
    formdlg_submit_fn submit; /* NULL: Enter does nothing */
    void *owner;              /* the screen below, for submit */
    void *ud;                 /* the owner's extra state, freed with ud_free */
    void (*ud_free)(void *ud);
};

/* A dialog with nfields fields of caps[i] bytes, field i secret (secmem, wiped on lock) when
 * bit i of secret is set; NULL when out of memory. */
struct formdlg *formdlg_new(int nfields, const size_t *caps, unsigned secret);
/* Free a dialog never pushed (NULL is fine). */
void formdlg_free(struct formdlg *d);
/* Push d (taking it: it is freed when the dialog closes, or at once if the push fails). */
enum tui_next formdlg_push(struct app *app, struct formdlg *d);

#endif
