/* app.h (tui layer, private to src/tui): the frame every screen lives in (app.c) — a stack of
 * screens, each a small interface (draw, handle an action, tick, lock, release), the title
 * and key bars, messages, the idle lock — and the link from the screens to the services
 * (tui_main.c). Only src/tui includes curses; every frame is drawn with wnoutrefresh and
 * doupdate.
 */
#ifndef MNVAULT_TUI_APP_H
#define MNVAULT_TUI_APP_H

#include <curses.h>
#include <stddef.h>

#include "keys.h"
#include "mnvault/access.h"
#include "mnvault/attr.h"
#include "mnvault/config.h"
#include "mnvault/err.h"

/* Minimum terminal size; below it the TUI shows only a request to enlarge the window. */
#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24

struct app;

/* What a screen's handler asks the application to do next. */
enum tui_next { TUI_STAY = 0, TUI_POP, TUI_QUIT, TUI_LOCK, TUI_PUSHED };

struct screen_ops {
    const char *name; /* for tests and logs */
    /* The screen's own keys (function keys included), ended by {0, 0, TA_NONE}. Global
     * keys (F1/?, F10/q, Esc, F12 lock, Ctrl-L redraw, arrows) need not be listed. */
    const struct keydef *keys;
    /* Heading drawn on the rule under the title bar (already translated); right may be
     * filled with text for the right end of the rule (e.g. the filter being typed). */
    const char *(*heading)(struct app *app, void *st, char *right, size_t rsize);
    void (*draw)(struct app *app, void *st, WINDOW *body);
    enum tui_next (*handle)(struct app *app, void *st, const struct tui_event *ev);
    /* Called about 5 times a second; return 1 when the screen must be redrawn. */
    int (*tick)(struct app *app, void *st, long long now_ms);
    /* Lock or exit is coming: wipe anything secret now (revealed numbers, passwords). */
    void (*on_lock)(struct app *app, void *st);
    /* 1 when leaving would lose unsaved changes (quit asks first). */
    int (*unsaved)(struct app *app, void *st);
    /* The screen is on top again after the one above it closed (reload data here). */
    void (*resume)(struct app *app, void *st);
    /* Wipe and free st. */
    void (*release)(void *st);
};

struct tui_session_hooks;
struct app {
    const struct mnv_config *cfg;
    const char *org_name; /* shown on the title bar and the lock screen */
    char user_line[128];  /* "clerk (事務取扱担当者)"; "" before login */
    char lock_user[64];   /* the user name shown on the lock screen */
    int rows, cols;
    int locked;
    long long last_input_ms;
    char message[512];      /* one line at the bottom; "" when none */
    int cursor_y, cursor_x; /* where a focused field wants the cursor (body
                             * coordinates); -1 hides it. Screens set it in draw. */
    int message_is_error;
    long data_version; /* raised by every screen that changes stored data; lists
                        * reload only when it moved since they loaded */
    void *services;    /* the front end's link to the service layer */
    /* Verify a password to unlock; returns 0 (unlocked), or fills msg and returns -1. */
    int (*unlock)(struct app *app, const char *password, size_t len, char *msg, size_t msgsize);
    void (*on_locked)(struct app *app); /* e.g. audit the lock */
    const char *mark; /* a demo vault's mark, on the title bar of every screen; NULL */
};
enum tui_next tui_push(struct app *app, const struct screen_ops *ops, void *st);
void tui_message(struct app *app, int is_error, const char *fmt, ...) MNV_PRINTF(3, 4);
void tui_clear_message(struct app *app);
int tui_run_loop(struct app *app);
int tui_confirm(struct app *app, const char *question); /* y/n dialog; 1 = yes */
long long tui_now_ms(void);

/* tui_redraw_now: draw the current screen at once (before a slow call, e.g. Argon2id). */
void tui_redraw_now(struct app *app);

/* tui_replace_top: release the top screen and put ops/st in its place. The caller (that
 * top screen's handler) must not touch its own state afterwards. */
void tui_replace_top(struct app *app, const struct screen_ops *ops, void *st);

struct session;

/* What the screens share beyond struct app: the signed-in session and its options. */
struct tui_link {
    const char *data_dir;
    struct session *session; /* NULL before login */
    const struct tui_options *opts;
};

static inline struct tui_link *tui_link(struct app *app)
{
    return (struct tui_link *)app->services;
}

/* tui_session: the signed-in session; NULL before login. */
static inline struct session *tui_session(struct app *app)
{
    return tui_link(app)->session;
}

/* tui_fail: ERR's words on the message line, as an error. Always TUI_STAY, so that a screen
 * can end with `return tui_fail(app, MNV_ERR_DENIED);`. */
enum tui_next tui_fail(struct app *app, enum mnv_err err);

/* tui_may: 1 when the signed-in user's role may do ACT; otherwise 0, after saying that it is
 * not allowed. */
int tui_may(struct app *app, enum access_action act);

/* tui_state_new: SIZE zeroed bytes for a screen's state, or NULL after saying "out of
 * memory". The caller owns the block (frees it, or hands it to tui_push/listscreen_push). */
void *tui_state_new(struct app *app, size_t size);

/* tui_screen_new: the opening of a screen that needs ACT: tui_may, then tui_state_new.
 * NULL when either said no (the message line says which). */
void *tui_screen_new(struct app *app, enum access_action act, size_t size);

#endif
