/*
 * scr_admin_totp.c: the signed-in user's authenticator app (F9). Not set up: a new secret
 * (accounts_totp_begin(), as `mnvault user totp`), drawn as a QR code that fits the screen
 * (qrtext_new_fit(): 80x24 takes it), with the secret in groups of four to type instead;
 * the app's code proves it holds the secret before anything is stored. Set up: the user may
 * remove it (a new password is then needed at the next login). The secret, its text and
 * the picture live in secmem and are wiped when the screen locks or closes.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "field.h"
#include "phrases.h"
#include "mnvault/accounts.h"
#include "mnvault/i18n.h"
#include "mnvault/qrtext.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"

#define URI_SIZE 512

struct totp_screen {
    int enrolled;          /* set up already: offer removal */
    int wiped;             /* the screen locked: the secret is gone */
    unsigned char *secret; /* secmem */
    char *base32, *uri;    /* secmem */
    struct qrtext qr;      /* drawn for the body's size */
    int qr_rows, qr_cols;  /* the size it was drawn for */
    struct field code;     /* the app's code */
    char msg[400];
};

static const struct keydef keys_new[] = {{0, 0, TA_NONE}};
static const struct keydef keys_set[] = {{'t', 0, TA_TOTP_REMOVE}, {0, 0, TA_NONE}};

static void wipe(struct totp_screen *st)
{
    qrtext_free(&st->qr);
    secmem_free(st->secret);
    secmem_free(st->base32);
    secmem_free(st->uri);
    st->secret = NULL;
    st->base32 = st->uri = NULL;
    field_clear(&st->code);
}

static const char *totp_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)stp;
    snprintf(right, rsize, "%s", session_user(tui_session(app)));
    return _("Authenticator app");
}

/* The parameters every authenticator app assumes when they are left out (the key URI
 * format's defaults): dropped when the whole URI would not fit the screen. */
#define URI_DEFAULTS "&algorithm=SHA1&digits=6&period=30"

/* The picture for a body of rows x cols, beside a column of 36 cells for the words: the
 * whole URI when it fits, else the URI without its default parameters (an 80x24 screen). */
static void fit_qr(struct totp_screen *st, int rows, int cols)
{
    if (st->qr.lines && st->qr_rows == rows && st->qr_cols == cols)
        return;
    qrtext_free(&st->qr);
    st->qr_rows = rows;
    st->qr_cols = cols;
    enum mnv_err err = qrtext_new_fit(st->uri, cols - 39, rows, &st->qr);
    size_t len = strlen(st->uri), tail = strlen(URI_DEFAULTS);
    if (err == MNV_ERR_TOO_LONG && len > tail && strcmp(st->uri + len - tail, URI_DEFAULTS) == 0) {
        char *shorter = secmem_alloc(len + 1);
        if (shorter) {
            memcpy(shorter, st->uri, len - tail);
            shorter[len - tail] = '\0';
            err = qrtext_new_fit(shorter, cols - 39, rows, &st->qr);
            secmem_free(shorter);
        }
    }
    if (err != MNV_OK)
        memset(&st->qr, 0, sizeof(st->qr));
}

static void draw_secret(WINDOW *w, int y, int x, const char *b32, int cells)
{
    char line[64];
    for (int part = 0; part < 2; part++) {
        size_t o = 0;
        for (int g = 0; g < 4; g++) {
            const char *p = b32 + part * 16 + g * 4;
            o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%.4s", g ? " " : "", p);
        }
        tui_style_on(w, ST_REVEAL);
        tui_put(w, y + part, x, line, cells, 0);
        tui_style_off(w, ST_REVEAL);
    }
    secmem_wipe(line, sizeof(line));
}

static void draw_new(struct app *app, struct totp_screen *st, WINDOW *w, int rows, int cols)
{
    fit_qr(st, rows, cols);
    int x = 2, y = 0;
    for (int i = 0; i < st->qr.height; i++)
        tui_put(w, i, 1, st->qr.lines[i], st->qr.width, 0);
    if (st->qr.lines)
        x = st->qr.width + 3;
    int cells = cols - x - 1;
    if (!st->qr.lines) {
        tui_style_on(w, ST_DIM);
        y += tui_put_wrapped(w, y, x, _("(the window is too small for the QR code)"), cells, 2);
        tui_style_off(w, ST_DIM);
    }
    y += tui_put_wrapped(w, y, x,
                         _("1. Scan the code with the authenticator app, or type this "
                           "secret in it:"),
                         cells, 3) +
         1;
    draw_secret(w, y, x + 2, st->base32, cells - 2);
    y += 3;
    y += tui_put_wrapped(w, y, x, _("2. Type the 6-digit code the app shows:"), cells, 2);
    mvwaddch(w, y, x + 2, '[');
    field_draw(&st->code, w, y, x + 3, 8, 1, &app->cursor_y, &app->cursor_x);
    mvwaddch(w, y, x + 11, ']');
    y += 2;
    if (st->msg[0]) {
        tui_style_on(w, ST_ERROR);
        y += tui_put_wrapped(w, y, x, st->msg, cells, 3) + 1;
        tui_style_off(w, ST_ERROR);
    }
    tui_style_on(w, ST_DIM);
    tui_put_wrapped(w, y, x, _("From then on, logging in asks for the app's code."), cells, 2);
    tui_put(w, rows - 1, x, _("Enter: confirm   Esc: cancel"), cells, 0);
    tui_style_off(w, ST_DIM);
}

static void totp_draw(struct app *app, void *stp, WINDOW *w)
{
    struct totp_screen *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    if (st->wiped) {
        tui_put_wrapped(w, 1, 2,
                        _("The secret was wiped when the screen locked. Esc, then "
                          "open this screen again for a new one."),
                        cols - 4, 3);
        return;
    }
    if (!st->enrolled) {
        draw_new(app, st, w, rows, cols);
        return;
    }
    tui_put_wrapped(w, 1, 2,
                    _("An authenticator app is set up for you: logging in asks for "
                      "its code."),
                    cols - 4, 3);
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2,
            _("t: remove it (a new password is then needed at the next login)   Esc: back"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next confirm(struct app *app, struct totp_screen *st)
{
    if (!st->code.buf[0] || st->wiped)
        return TUI_STAY;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = accounts_totp_confirm(tui_session(app), st->secret, st->code.buf, &diag);
    field_clear(&st->code);
    if (err != MNV_OK) {
        tui_error_text(st->msg, sizeof(st->msg), err, &diag);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    tui_message(app, 0, "%s",
                _("The authenticator app is set up: from now on, logging in asks for its "
                  "code."));
    return TUI_POP;
}

static enum tui_next remove_own(struct app *app)
{
    if (!tui_confirm(app, _("Remove your authenticator app? You choose a new password at the "
                            "next login.")))
        return TUI_STAY;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err =
        accounts_totp_remove(tui_session(app), session_user(tui_session(app)), &diag);
    char text[400];
    if (err != MNV_OK) {
        tui_message(app, 1, "%s", tui_error_text(text, sizeof(text), err, &diag));
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    tui_message(app, 0, "%s",
                _("Your authenticator app is removed; choose a new password at the next "
                  "login."));
    return TUI_POP;
}

static enum tui_next totp_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct totp_screen *st = stp;
    switch (ev->action) {
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    case TA_OPEN:
        return st->enrolled ? TUI_STAY : confirm(app, st);
    case TA_TOTP_REMOVE:
        return st->enrolled ? remove_own(app) : TUI_STAY;
    default:
        if (!st->enrolled && !st->wiped)
            (void)field_handle(&st->code, ev);
        return TUI_STAY;
    }
}

static void totp_on_lock(struct app *app, void *stp)
{
    (void)app;
    struct totp_screen *st = stp;
    if (!st->enrolled) {
        wipe(st);
        st->wiped = 1;
    }
}

static void totp_release(void *stp)
{
    struct totp_screen *st = stp;
    wipe(st);
    field_release(&st->code);
    free(st);
}

#define TOTP_OPS(var, keyset)                                                                      \
    static const struct screen_ops var = {                                                         \
        .name = "totp",                                                                            \
        .keys = keyset,                                                                            \
        .heading = totp_heading,                                                                   \
        .draw = totp_draw,                                                                         \
        .handle = totp_handle,                                                                     \
        .on_lock = totp_on_lock,                                                                   \
        .release = totp_release,                                                                   \
    }
TOTP_OPS(totp_ops_new, keys_new);
TOTP_OPS(totp_ops_set, keys_set);

enum tui_next scr_totp_push(struct app *app)
{
    struct totp_screen *st = calloc(1, sizeof(*st));
    if (!st || field_init(&st->code, 16, 1) != 0) {
        free(st);
        return tui_fail(app, MNV_ERR_NOMEM);
    }
    st->code.show = 1;
    st->code.accept = field_accept_digits;
    st->enrolled = session_user_rec(tui_session(app))->has_totp;
    if (st->enrolled)
        return tui_push(app, &totp_ops_set, st);
    st->secret = secmem_alloc(TOTP_SECRET_LEN);
    st->base32 = secmem_alloc(TOTP_BASE32_SIZE);
    st->uri = secmem_alloc(URI_SIZE);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = st->secret && st->base32 && st->uri ? MNV_OK : MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err =
            accounts_totp_begin(tui_session(app), st->secret, st->base32, st->uri, URI_SIZE, &diag);
    if (err != MNV_OK) {
        char text[400];
        tui_message(app, 1, "%s", tui_error_text(text, sizeof(text), err, &diag));
        totp_release(st);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    return tui_push(app, &totp_ops_new, st);
}
