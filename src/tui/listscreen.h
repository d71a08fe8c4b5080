/* listscreen.h (tui layer, private to src/tui): the list screen the administration lists are
 * built on (listscreen.c): the owner's model loaded through its function and loaded again
 * when stored data changed (app->data_version: raise it after a change, and the list is
 * loaded again when the action returns), the selection and scrolling, a failure to
 * load drawn instead of the list, Esc back and q quit; the owner draws its rows and
 * handles its own actions. The keys are given per screen, so one owner can offer each
 * role its own.
 */
#ifndef MNVAULT_TUI_LISTSCREEN_H
#define MNVAULT_TUI_LISTSCREEN_H

#include <stddef.h>

#include "app.h"
#include "listview.h"

struct listscreen_def {
    const char *name;
    /* (Re)load the model: the number of rows, or -1 with err filled (a sentence). */
    long (*load)(struct app *app, void *model, char *err, size_t errsize);
    const char *(*heading)(struct app *app, void *model, char *right, size_t rsize);
    /* Draw the rows lv->top … lv->top + lv->rows - 1 starting at body line first, and
     * anything else around them. */
    void (*draw)(struct app *app, void *model, const struct listview *lv, int first, WINDOW *w);
    /* An action the list did not use, for row sel (-1 when the list is empty). */
    enum tui_next (*act)(struct app *app, void *model, long sel, const struct tui_event *ev);
    void (*release)(void *model); /* frees the model */
    /* After an action that kept the screen: nonzero when the owner's own view of the rows
     * changed (a filter) and the list must be loaded again; NULL: loaded again only when
     * stored data changed. */
    int (*reload)(void *model);
    int first; /* body lines above the rows (a header) */
    int below; /* body lines under the rows (details, keys) */
};

/* listscreen_push: load and show; def must outlive the screen (a static). On failure to
 * allocate, model is released and TUI_STAY returned with a message. */
enum tui_next listscreen_push(struct app *app, const struct listscreen_def *def,
                              const struct keydef *keys, void *model);

#endif
