/*
 * scr_login.c: the login screen: user name, password (never echoed, a fixed-width mask),
 * and the confirmation code for users with an authenticator app. Each refusal has its own
 * message: wrong password (with the attempts left), locked (with the time left), outside
 * the access window, expired or disabled accounts. The services audit every attempt.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "draw.h"
#include "field.h"
#include "keys.h"
#include "phrases.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"

enum { F_USER, F_PASSWORD, F_CODE, F_COUNT };

struct login_state {
    struct field fields[F_COUNT];
    int focus;
    int stage_code; /* the password was right; the code is asked */
    char msg[400];
    int msg_error;
};

static const struct keydef login_keys[] = {{0, 0, TA_NONE}};

static const char *login_heading(struct app *app, void *st, char *right, size_t rsize)
{
    (void)app;
    (void)st;
    (void)right;
    (void)rsize;
    return _("Sign in");
}

static void center(WINDOW *w, int y, const char *text)
{
    int cols = getmaxx(w), cells = tui_text_cells(text);
    tui_put(w, y, cells < cols ? (cols - cells) / 2 : 0, text, cols, 0);
}

static void login_draw(struct app *app, void *stp, WINDOW *w)
{
    struct login_state *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    tui_style_on(w, ST_HEADER);
    center(w, 1, _("mnvault  My Number management"));
    tui_style_off(w, ST_HEADER);
    tui_style_on(w, ST_DIM);
    center(w, 2, tui_link(app)->data_dir);
    tui_style_off(w, ST_DIM);

    static const char *const labels[F_COUNT] = {N_("User name"), N_("Password"),
                                                N_("Confirmation code")};
    int lx = cols / 2 - 22, fx = lx + 14;
    for (int i = 0; i < F_COUNT; i++) {
        if (i == F_CODE && !st->stage_code)
            continue;
        int y = 5 + i;
        tui_put(w, y, lx, _(labels[i]), 13, 1);
        mvwaddch(w, y, fx - 1, '[');
        int width = i == F_CODE ? 8 : 24;
        int *cy = st->focus == i ? &app->cursor_y : NULL;
        int *cx = st->focus == i ? &app->cursor_x : NULL;
        field_draw(&st->fields[i], w, y, fx, width, st->focus == i, cy, cx);
        mvwaddch(w, y, fx + width, ']');
    }
    if (st->stage_code) {
        tui_style_on(w, ST_DIM);
        tui_put(w, 7, fx + 10, _("(from the authenticator app)"), cols - fx - 11, 0);
        tui_style_off(w, ST_DIM);
    }
    if (st->msg[0]) {
        char text[420];
        snprintf(text, sizeof(text), "%s%s", st->msg_error ? "! " : "", st->msg);
        tui_style_on(w, st->msg_error ? ST_ERROR : ST_NORMAL);
        tui_put_wrapped(w, 9, lx, text, cols - lx - 2, 3);
        tui_style_off(w, st->msg_error ? ST_ERROR : ST_NORMAL);
    }
    char stamp[64], when[20];
    snprintf(stamp, sizeof(stamp), "%s  v%s", clock_format_local(when, sizeof(when), clock_now()),
             MNV_VERSION);
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 2, 3, _("Everything done at this workstation is recorded."),
            cols - tui_text_cells(stamp) - 6, 0);
    tui_put_right(w, rows - 2, cols - tui_text_cells(stamp) - 2, stamp, tui_text_cells(stamp));
    tui_style_off(w, ST_DIM);
}

static void set_msg(struct login_state *st, int error, const char *text)
{
    snprintf(st->msg, sizeof(st->msg), "%s", text);
    st->msg_error = error;
}

/* Turn a refused login into its own sentence. */
static void refusal(struct login_state *st, enum mnv_err err, const struct login_info *info,
                    const struct mnv_diag *diag)
{
    char text[400];
    switch (err) {
    case MNV_ERR_LOGIN_FAILED:
    case MNV_ERR_TOTP_WRONG:
    case MNV_ERR_TOTP_REPLAY:
        snprintf(text, sizeof(text),
                 ngettext("%s %d more failure locks the account.",
                          "%s %d more failures lock the account.",
                          (unsigned long)info->attempts_left),
                 err == MNV_ERR_LOGIN_FAILED ? _("The user name or password is wrong.")
                                             : _(mnv_err_str(err)),
                 info->attempts_left);
        break;
    case MNV_ERR_LOCKED:
        snprintf(text, sizeof(text),
                 _("This account is locked after too many failed attempts. Try again in "
                   "%ld min %02ld s, or ask an administrator to unlock it."),
                 info->wait_seconds / 60, info->wait_seconds % 60);
        break;
    default:
        tui_error_text(text, sizeof(text), err, diag);
        break;
    }
    set_msg(st, 1, text);
}

static void signed_in(struct app *app)
{
    struct session *s = tui_session(app);
    if (session_pending(s))
        snprintf(app->user_line, sizeof(app->user_line), _("%s (%s, waits for approval)"),
                 session_user(s), tui_role_name(session_role(s)));
    else
        snprintf(app->user_line, sizeof(app->user_line), "%s (%s)", session_user(s),
                 tui_role_name(session_role(s)));
    snprintf(app->lock_user, sizeof(app->lock_user), "%s", session_user(s));
    app->org_name = session_org(s);
    app->mark = setup_demo_marks(s) ? _("DEMO") : NULL; /* 見本 */
}

/* After the password (and code) were accepted: where to go next. */
static enum tui_next finish(struct app *app, enum mnv_err err)
{
    signed_in(app);
    if (err == MNV_ERR_MUST_CHANGE)
        return scr_password_push(app, 1); /* replaces the login screen */
    return scr_dashboard_open(app);       /* which says if the account waits for approval */
}

static enum tui_next submit_password(struct app *app, struct login_state *st)
{
    struct tui_link *link = tui_link(app);
    if (st->fields[F_USER].len == 0) {
        set_msg(st, 1, _("Type your user name."));
        st->focus = F_USER;
        return TUI_STAY;
    }
    set_msg(st, 0, _("Checking…"));
    tui_redraw_now(app);
    struct session_options so;
    session_options_from_config(&so, app->cfg);
    struct login_info info = {0};
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    struct session *s = NULL;
    enum mnv_err err =
        session_login(link->data_dir, st->fields[F_USER].buf, st->fields[F_PASSWORD].buf,
                      st->fields[F_PASSWORD].len, &so, &s, &info, &diag);
    field_clear(&st->fields[F_PASSWORD]);
    if (err == MNV_ERR_TOTP_NEEDED) {
        link->session = s;
        st->stage_code = 1;
        st->focus = F_CODE;
        set_msg(st, 0, _("Enter the code shown by your authenticator app."));
        return TUI_STAY;
    }
    if (err == MNV_OK || err == MNV_ERR_MUST_CHANGE) {
        link->session = s;
        return finish(app, err);
    }
    st->focus = err == MNV_ERR_LOGIN_FAILED ? F_PASSWORD : F_USER;
    refusal(st, err, &info, &diag);
    return TUI_STAY;
}

static void cancel_code(struct app *app, struct login_state *st)
{
    session_logout(tui_session(app));
    tui_link(app)->session = NULL;
    st->stage_code = 0;
    field_clear(&st->fields[F_CODE]);
    st->focus = F_PASSWORD;
    st->msg[0] = '\0';
}

static enum tui_next submit_code(struct app *app, struct login_state *st)
{
    struct login_info info = {0};
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = session_login_totp(tui_session(app), st->fields[F_CODE].buf, &info, &diag);
    field_clear(&st->fields[F_CODE]);
    if (err == MNV_OK || err == MNV_ERR_MUST_CHANGE)
        return finish(app, err);
    refusal(st, err, &info, &diag);
    if (err != MNV_ERR_TOTP_WRONG && err != MNV_ERR_TOTP_REPLAY) {
        char keep[400];
        snprintf(keep, sizeof(keep), "%s", st->msg);
        cancel_code(app, st); /* the half-open session is dead (e.g. locked) */
        set_msg(st, 1, keep);
    }
    return TUI_STAY;
}

static enum tui_next login_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct login_state *st = stp;
    /* Printable keys and editing keys belong to the field (so q and ? can be typed). */
    if (ev->action != TA_OPEN && ev->action != TA_NEXT_FIELD && ev->action != TA_PREV_FIELD &&
        ev->action != TA_BACK && field_handle(&st->fields[st->focus], ev))
        return TUI_STAY;
    int first = st->stage_code ? F_CODE : F_USER;
    int last = st->stage_code ? F_CODE : F_PASSWORD;
    switch (ev->action) {
    case TA_NEXT_FIELD:
    case TA_DOWN:
        st->focus = st->focus >= last ? first : st->focus + 1;
        return TUI_STAY;
    case TA_PREV_FIELD:
    case TA_UP:
        st->focus = st->focus <= first ? last : st->focus - 1;
        return TUI_STAY;
    case TA_OPEN:
        if (st->stage_code)
            return submit_code(app, st);
        if (st->focus == F_USER) {
            st->focus = F_PASSWORD;
            return TUI_STAY;
        }
        return submit_password(app, st);
    case TA_BACK:
        if (st->stage_code)
            cancel_code(app, st);
        return TUI_STAY;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void login_on_lock(struct app *app, void *stp)
{
    (void)app;
    struct login_state *st = stp;
    field_clear(&st->fields[F_PASSWORD]);
    field_clear(&st->fields[F_CODE]);
}

static void login_release(void *stp)
{
    struct login_state *st = stp;
    for (int i = 0; i < F_COUNT; i++)
        field_release(&st->fields[i]);
    free(st);
}

static const struct screen_ops login_ops = {
    .name = "login",
    .keys = login_keys,
    .heading = login_heading,
    .draw = login_draw,
    .handle = login_handle,
    .on_lock = login_on_lock,
    .release = login_release,
};

enum tui_next scr_login_push(struct app *app, const char *user)
{
    struct login_state *st = calloc(1, sizeof(*st));
    if (!st || field_init(&st->fields[F_USER], 64, 0) != 0 ||
        field_init(&st->fields[F_PASSWORD], 260, 1) != 0 ||
        field_init(&st->fields[F_CODE], 16, 1) != 0) {
        if (st)
            login_release(st);
        return TUI_STAY;
    }
    st->fields[F_CODE].show = 1; /* the code is shown as typed, like on the phone */
    st->fields[F_CODE].accept = field_accept_digits;
    st->fields[F_CODE].max_chars = 8;
    if (user && *user) {
        field_set(&st->fields[F_USER], user);
        st->focus = F_PASSWORD;
    }
    return tui_push(app, &login_ops, st);
}
