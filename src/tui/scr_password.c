/*
 * scr_password.c: choosing a new password: after an administrator set a one-time
 * password (forced: nothing else works until it is done), or at the person's request
 * (then the current password is asked first). The rules are the password policy's
 * (pwpolicy.h): 15 characters or more (8 with an authenticator app), no common or
 * dictionary passwords; a long phrase is welcome.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "field.h"
#include "keys.h"
#include "phrases.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"

enum { P_OLD, P_NEW, P_AGAIN, P_COUNT };

struct password_state {
    struct field fields[P_COUNT];
    int focus;
    int forced;
    char msg[400];
};

static const struct keydef password_keys[] = {{0, 0, TA_NONE}};

static const char *password_heading(struct app *app, void *st, char *right, size_t rsize)
{
    (void)app;
    (void)st;
    (void)right;
    (void)rsize;
    return _("New password");
}

static void password_draw(struct app *app, void *stp, WINDOW *w)
{
    struct password_state *st = stp;
    int cols = getmaxx(w);
    static const char *const labels[P_COUNT] = {N_("Current password"), N_("New password"),
                                                N_("New password again")};
    tui_put(w, 1, 4,
            st->forced ? _("Your password was set by an administrator. Choose your own now.")
                       : _("Change your password."),
            cols - 6, 0);
    tui_style_on(w, ST_DIM);
    tui_put(w, 2, 4,
            _("At least 15 characters (8 with an authenticator app). A phrase of several "
              "words is easy to remember and hard to guess."),
            cols - 6, 0);
    tui_style_off(w, ST_DIM);
    for (int i = st->forced ? P_NEW : P_OLD; i < P_COUNT; i++) {
        int y = 4 + i;
        tui_put(w, y, 4, _(labels[i]), 22, 1);
        mvwaddch(w, y, 27, '[');
        field_draw(&st->fields[i], w, y, 28, 24, st->focus == i,
                   st->focus == i ? &app->cursor_y : NULL, st->focus == i ? &app->cursor_x : NULL);
        mvwaddch(w, y, 52, ']');
    }
    if (st->msg[0]) {
        tui_style_on(w, ST_ERROR);
        char text[420];
        snprintf(text, sizeof(text), "! %s", st->msg);
        tui_put(w, 9, 4, text, cols - 6, 0);
        tui_style_off(w, ST_ERROR);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, 11, 4, _("Enter: next field, then save.   Esc: cancel."), cols - 6, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next submit(struct app *app, struct password_state *st)
{
    struct field *n = &st->fields[P_NEW], *a = &st->fields[P_AGAIN], *o = &st->fields[P_OLD];
    if (n->len != a->len || memcmp(n->buf, a->buf, n->len) != 0) {
        snprintf(st->msg, sizeof(st->msg), "%s", _(mnv_err_str(MNV_ERR_PW_MISMATCH)));
        field_clear(a);
        st->focus = P_AGAIN;
        return TUI_STAY;
    }
    struct login_info info = {0};
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    tui_redraw_now(app);
    enum mnv_err err =
        session_change_password(tui_session(app), st->forced ? NULL : o->buf,
                                st->forced ? 0 : o->len, n->buf, n->len, &info, &diag);
    for (int i = 0; i < P_COUNT; i++)
        field_clear(&st->fields[i]);
    if (err == MNV_OK) {
        if (st->forced)
            return scr_dashboard_open(app);
        tui_message(app, 0, "%s", _("The password was changed."));
        return TUI_POP;
    }
    if (err == MNV_ERR_PW_SHORT && diag.detail[0])
        snprintf(st->msg, sizeof(st->msg), _("The password is too short: at least %s characters."),
                 diag.detail);
    else
        tui_error_text(st->msg, sizeof(st->msg), err, &diag);
    if (err == MNV_ERR_LOCKED)
        return TUI_LOCK;
    st->focus = st->forced ? P_NEW : P_OLD;
    return TUI_STAY;
}

static enum tui_next password_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct password_state *st = stp;
    if (ev->action != TA_OPEN && ev->action != TA_NEXT_FIELD && ev->action != TA_PREV_FIELD &&
        ev->action != TA_BACK && field_handle(&st->fields[st->focus], ev))
        return TUI_STAY;
    int first = st->forced ? P_NEW : P_OLD;
    switch (ev->action) {
    case TA_NEXT_FIELD:
    case TA_DOWN:
        st->focus = st->focus == P_AGAIN ? first : st->focus + 1;
        return TUI_STAY;
    case TA_PREV_FIELD:
    case TA_UP:
        st->focus = st->focus == first ? P_AGAIN : st->focus - 1;
        return TUI_STAY;
    case TA_OPEN:
        if (st->focus != P_AGAIN) {
            st->focus++;
            return TUI_STAY;
        }
        return submit(app, st);
    case TA_BACK:
        return st->forced ? TUI_STAY : TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void password_on_lock(struct app *app, void *stp)
{
    (void)app;
    struct password_state *st = stp;
    for (int i = 0; i < P_COUNT; i++)
        field_clear(&st->fields[i]);
}

static void password_release(void *stp)
{
    struct password_state *st = stp;
    for (int i = 0; i < P_COUNT; i++)
        field_release(&st->fields[i]);
    free(st);
}

static const struct screen_ops password_ops = {
    .name = "password",
    .keys = password_keys,
    .heading = password_heading,
    .draw = password_draw,
    .handle = password_handle,
    .on_lock = password_on_lock,
    .release = password_release,
};

enum tui_next scr_password_push(struct app *app, int forced)
{
    struct password_state *st = calloc(1, sizeof(*st));
    int ok = st != NULL;
    for (int i = 0; ok && i < P_COUNT; i++)
        ok = field_init(&st->fields[i], 260, 1) == 0;
    if (!ok) {
        if (st)
            password_release(st);
        return TUI_STAY;
    }
    st->forced = forced;
    st->focus = forced ? P_NEW : P_OLD;
    if (forced) {
        tui_replace_top(app, &password_ops, st);
        return TUI_PUSHED;
    }
    return tui_push(app, &password_ops, st);
}
