/* collect_steps.h (tui layer, private to src/tui): the collection wizard's view state and
 * its steps. scr_collect.c is the screen (keys, focus, lock, release); scr_collect_steps.c
 * draws each step and turns Enter, Space and PgDn into the model's calls (collectwiz.h).
 */
#ifndef MNVAULT_TUI_COLLECT_STEPS_H
#define MNVAULT_TUI_COLLECT_STEPS_H

#include <stddef.h>

#include "app.h"
#include "field.h"
#include "listview.h"
#include "mnvault/collectwiz.h"
#include "mnvault/err.h"

/* The method step's places, in focus order. */
enum method_field { M_ROUTE, M_CHANNEL, M_KNOWN, M_VERIFIER, M_DATE, M__COUNT };

struct collect_state {
    struct collectwiz w; /* the model */
    char who[200];
    int focus;
    struct field num1, num2; /* secret */
    struct field verifier, date, docref, notified;
    struct listview lv;
    char msg[600];
    int msg_error;
};

/* The message line under the step: text (translated), an error or not. */
void collectscr_say(struct collect_state *st, int error, const char *text);
/* err's sentence (with diag's item; diag may be NULL) as an error. */
void collectscr_say_err(struct collect_state *st, enum mnv_err err, const struct mnv_diag *diag);
/* The documents' or purposes' list at its top, count rows, rows shown; focus on the list. */
void collectscr_list_reset(struct collect_state *st, size_t count, int rows);
/* Keep the highlighted document's reference (the docref field) in the model / load it. */
void collectscr_store_ref(struct collect_state *st);
void collectscr_load_ref(struct collect_state *st);

/* Draw the current step from row y. */
void collectscr_draw_step(struct app *app, struct collect_state *st, WINDOW *w, int y);
/* Enter in the current step: next field, or the step done (the summary stores). */
enum tui_next collectscr_enter(struct app *app, struct collect_state *st);
/* PgDn: the step done as far as it is filled in; never past the summary. */
enum tui_next collectscr_next_step(struct app *app, struct collect_state *st);
/* Space: change the focused choice, or select the highlighted document or purpose. */
void collectscr_toggle(struct collect_state *st);
/* Store the collection (the summary's Enter or F2); TUI_POP when stored. */
enum tui_next collectscr_store(struct app *app, struct collect_state *st);

#endif
