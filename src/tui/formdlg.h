/* formdlg.h (tui layer, private to src/tui): the one dialog of labelled fields (formdlg.c) —
 * text fields (secret ones kept in secmem and wiped on lock) and choices, an introduction,
 * a hint per field and an error line under the fields; Enter hands the values to the
 * owner's submit function, which calls a service and either closes the dialog or names
 * the field that is wrong. The administration screens (F9) build every dialog with it.
 */
#ifndef MNVAULT_TUI_FORMDLG_H
#define MNVAULT_TUI_FORMDLG_H

#include <stddef.h>
#include <wchar.h>

#include "app.h"
#include "mnvault/err.h"

#define FORMDLG_MAX 10

struct formdlg;

/* Called on Enter: TUI_POP closes the dialog (say what was done with tui_message), TUI_STAY
 * keeps it (after formdlg_fail), TUI_PUSHED after tui_replace_top(), TUI_LOCK locks. */
typedef enum tui_next (*formdlg_submit_fn)(struct app *app, struct formdlg *d, void *ud);

struct formdlg_item {
    const char *label;          /* translated */
    const char *hint;           /* translated, drawn dim beside the field; NULL */
    const char *const *choices; /* NULL-terminated translated words, kept (not copied: a
                                 * static array); NULL: a text field */
    size_t cap;                 /* a text field's bytes with the NUL (0: 256) */
    int width;                  /* a text field's cells (a date, a code); 0: the width the
                                 * dialog's other fields share */
    int secret;                 /* secmem, drawn masked, wiped on lock */
    int show;                   /* a secret drawn as typed (a confirmation code) */
    int (*accept)(wchar_t ch);  /* characters a text field takes; NULL: any */
    const char *value;          /* the text first shown (copied into the field); NULL */
    int choice;                 /* the choice first shown */
};

struct formdlg_spec {
    const char *name;  /* for tests and logs */
    const char *title; /* translated heading (copied) */
    const char *intro; /* translated, wrapped above the fields (copied); NULL */
    const char *enter; /* what Enter does, translated ("Enter: add") */
    const struct formdlg_item *items;
    int n;
    int focus; /* the item the cursor starts on (0: the first) */
    formdlg_submit_fn submit;
    void *ud;                     /* the owner's, handed to submit */
    void (*ud_release)(void *ud); /* called when the dialog closes; NULL */
};

/* formdlg_push: open the dialog; TUI_PUSHED, or TUI_STAY with a message (out of memory,
 * when ud is released at once). */
enum tui_next formdlg_push(struct app *app, const struct formdlg_spec *spec);

const char *formdlg_text(const struct formdlg *d, int i); /* a text field's text */
int formdlg_choice(const struct formdlg *d, int i);       /* a choice's index */

/* formdlg_fail: err's sentence (with diag's item) under the fields, the focus on field i
 * (-1: where it is). Returns TUI_LOCK when the session is locked, else TUI_STAY. */
enum tui_next formdlg_fail(struct app *app, struct formdlg *d, int i, enum mnv_err err,
                           const struct mnv_diag *diag);
/* formdlg_say: text (translated) under the fields instead of an error's sentence. */
void formdlg_say(struct formdlg *d, int i, const char *text);
/* formdlg_clear: empty text field i (a secret one is wiped), e.g. a code used once. */
void formdlg_clear(struct formdlg *d, int i);

#endif
