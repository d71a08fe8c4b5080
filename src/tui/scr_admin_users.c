/*
 * scr_admin_users.c: the users of the vault (F9, Users). Administrators add users (a
 * one-time password is shown once, to hand over in person), disable and enable them, give
 * a new one-time password, set the access window and remove an authenticator app;
 * supervisors and administrators end a lockout; auditors read the list. Every change is a
 * service call of accounts.h, the same the `mnvault user` commands make; the words of a
 * user's state come from adminview.h.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "formdlg.h"
#include "listscreen.h"
#include "phrases.h"
#include "textpage.h"
#include "mnvault/access.h"
#include "mnvault/accounts.h"
#include "mnvault/adminview.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/keyroles.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"

struct users_screen {
    struct user_rec *users;
    int64_t *locked;
    size_t n;
};

static const struct keydef keys_admin[] = {
    {KEY_F(2), 1, TA_USER_ADD}, {'a', 0, TA_USER_ADD},    {'d', 0, TA_USER_DISABLE},
    {'e', 0, TA_USER_ENABLE},   {'r', 0, TA_USER_RESET},  {'w', 0, TA_USER_WINDOW},
    {'u', 0, TA_USER_UNLOCK},   {'t', 0, TA_TOTP_REMOVE}, {'o', 0, TA_USER_ROLE},
    {'z', 0, TA_TIMEZONE},      {0, 0, TA_NONE}};
static const struct keydef keys_unlock[] = {{'u', 0, TA_USER_UNLOCK}, {0, 0, TA_NONE}};
static const struct keydef keys_read[] = {{0, 0, TA_NONE}};

static long load(struct app *app, void *model, char *err, size_t errsize)
{
    struct users_screen *st = model;
    free(st->users);
    free(st->locked);
    st->users = NULL;
    st->locked = NULL;
    st->n = 0;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err e = accounts_list(tui_session(app), &st->users, &st->locked, &st->n, &diag);
    if (e != MNV_OK) {
        tui_error_text(err, errsize, e, &diag);
        return -1;
    }
    return (long)st->n;
}

static const struct user_rec *chosen(struct users_screen *st, long sel)
{
    return sel >= 0 && (size_t)sel < st->n ? &st->users[sel] : NULL;
}

static const char *users_heading(struct app *app, void *model, char *right, size_t rsize)
{
    (void)app;
    struct users_screen *st = model;
    snprintf(right, rsize, _("%zu users"), st->n);
    return _("Users");
}

static void draw_row(struct app *app, WINDOW *w, int y, struct users_screen *st, size_t i, int sel,
                     int cols)
{
    const struct user_rec *u = &st->users[i];
    char state[96], window[96];
    int x = 0;
    const char *words =
        adminview_user_state(tui_session(app), u, st->locked[i], state, sizeof(state));
    tui_style_on(w, sel ? ST_SELECTED : u->disabled ? ST_DIM : ST_NORMAL);
    x += tui_put(w, y, x, sel ? ">" : " ", 1, 1);
    x += tui_put(w, y, x, u->name, 12, 1);
    x += tui_put(w, y, x, tui_role_name(u->role), 16, 1);
    x += tui_put(w, y, x, words, 25, 1);
    x += tui_put(w, y, x, u->has_totp ? _("yes") : "-", 5, 1);
    tui_put(w, y, x, accounts_format_window(window, sizeof(window), u), cols - x, 1);
    tui_style_off(w, sel ? ST_SELECTED : u->disabled ? ST_DIM : ST_NORMAL);
}

static void users_draw(struct app *app, void *model, const struct listview *lv, int first,
                       WINDOW *w)
{
    struct users_screen *st = model;
    int cols = getmaxx(w), rows = getmaxy(w), x = 1;
    tui_style_on(w, ST_HEADER);
    x += tui_put(w, 0, x, _("User name"), 12, 1);
    x += tui_put(w, 0, x, _("Role"), 16, 1);
    x += tui_put(w, 0, x, _("State"), 25, 1);
    x += tui_put(w, 0, x, _("TOTP"), 5, 1);
    tui_put(w, 0, x, _("May log in"), cols - x, 1);
    tui_style_off(w, ST_HEADER);
    for (long i = lv->top; i < (long)st->n && i < lv->top + lv->rows; i++)
        draw_row(app, w, first + (int)(i - lv->top), st, (size_t)i, i == lv->sel, cols);
    const struct user_rec *u = chosen(st, lv->sel);
    if (u) {
        char line[300];
        snprintf(line, sizeof(line), _("%s: %s"), u->name,
                 u->display_name[0] ? u->display_name : _("(no display name)"));
        tui_put(w, rows - 2, 2, line, cols - 4, 0);
    }
    tui_style_on(w, ST_DIM);
    enum mnv_role role = session_role(tui_session(app));
    tui_put(w, rows - 1, 2,
            access_allowed(role, ACT_USER_MANAGE)
                ? _("a add d disable e enable r reset w window u unlock t no-TOTP o role z zone")
            : access_allowed(role, ACT_USER_UNLOCK) ? _("u: unlock after failed logins")
                                                    : _("Read only: administrators manage users"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* ---- the one-time password, shown once --------------------------------------------------- */

static enum tui_next show_otp(struct app *app, const char *name, const char *otp, int replace)
{
    struct textpage *t = textpage_new("otp", _("One-time password"), 1);
    if (t) {
        textpage_add(t, ST_NORMAL,
                     _("The one-time password of %s. Hand it over in person; it must be "
                       "changed at the first login, and it is not shown again:"),
                     name);
        textpage_add(t, ST_NORMAL, "%s", "");
        textpage_add(t, ST_REVEAL, "    %s", otp);
        textpage_add(t, ST_NORMAL, "%s", "");
        if (keyroles_account_state(tui_session(app), name) == KEYROLES_PENDING)
            textpage_add(t, ST_NORMAL,
                         _("A supervisor must then approve %s (F9, Approvals) with the code "
                           "%s is shown after choosing a password, before %s can use My "
                           "Numbers."),
                         name, name, name);
    }
    app->data_version++;
    return replace ? textpage_replace(app, t) : textpage_push(app, t);
}

/* ---- adding a user ----------------------------------------------------------------------- */

enum { ADD_NAME, ADD_ROLE, ADD_DISPLAY, ADD_DAYS, ADD_HOURS, ADD_UNTIL };
static const enum mnv_role add_roles[] = {ROLE_CLERK, ROLE_SUPERVISOR, ROLE_AUDITOR, ROLE_ADMIN};

/* Days, hours and last day of a window dialog (fields d, d+1, d+2) into the spec's terms. */
static enum tui_next window_fields(struct app *app, struct formdlg *dlg, int d, unsigned *days,
                                   int *start, int *end)
{
    if (accounts_parse_days(formdlg_text(dlg, d), days) != MNV_OK)
        return formdlg_fail(app, dlg, d, MNV_ERR_WINDOW_FORMAT, NULL);
    if (accounts_parse_hours(formdlg_text(dlg, d + 1), start, end) != MNV_OK)
        return formdlg_fail(app, dlg, d + 1, MNV_ERR_WINDOW_FORMAT, NULL);
    return TUI_POP;
}

static enum tui_next add_submit(struct app *app, struct formdlg *dlg, void *ud)
{
    (void)ud;
    struct account_spec spec;
    accounts_spec_init(&spec, formdlg_text(dlg, ADD_NAME),
                       add_roles[formdlg_choice(dlg, ADD_ROLE)]);
    spec.display_name = formdlg_text(dlg, ADD_DISPLAY)[0] ? formdlg_text(dlg, ADD_DISPLAY) : NULL;
    spec.valid_until = formdlg_text(dlg, ADD_UNTIL)[0] ? formdlg_text(dlg, ADD_UNTIL) : NULL;
    enum tui_next next =
        window_fields(app, dlg, ADD_DAYS, &spec.win_days, &spec.win_start, &spec.win_end);
    if (next != TUI_POP)
        return next;
    char *otp = secmem_alloc(ACCOUNTS_OTP_SIZE);
    if (!otp)
        return formdlg_fail(app, dlg, -1, MNV_ERR_NOMEM, NULL);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = accounts_add(tui_session(app), &spec, NULL, 0, otp, &diag);
    if (err == MNV_OK) {
        char name[USER_NAME_MAX + 1];
        snprintf(name, sizeof(name), "%s", spec.name);
        next = show_otp(app, name, otp, 1);
    } else {
        int at = err == MNV_ERR_USER_NAME || err == MNV_ERR_USER_EXISTS ? ADD_NAME
                 : err == MNV_ERR_FIELD_DATE                            ? ADD_UNTIL
                                                                        : -1;
        next = formdlg_fail(app, dlg, at, err, &diag);
    }
    secmem_free(otp);
    return next;
}

static enum tui_next open_add(struct app *app)
{
    static const char *roles[5];
    for (int i = 0; i < 4; i++)
        roles[i] = tui_role_name(add_roles[i]);
    roles[4] = NULL;
    const struct formdlg_item items[] = {
        {.label = _("User name"), .hint = _("letters, digits . - _"), .cap = USER_NAME_MAX + 1},
        {.label = _("Role"), .choices = roles},
        {.label = _("Display name"), .hint = _("optional"), .cap = USER_DISPLAY_MAX + 1},
        {.label = _("Days"), .hint = _("mon-fri, sat,sun or all"), .value = "all"},
        {.label = _("Hours"), .hint = _("08:00-20:00 or all"), .value = "all"},
        {.label = _("Last day"), .hint = _("YYYY-MM-DD, or empty"), .cap = 11},
    };
    const struct formdlg_spec spec = {
        .name = "user-add",
        .title = _("Add a user"),
        .intro = _("The new user gets a one-time password, shown once, to be changed at the "
                   "first login. A clerk or supervisor then waits for a supervisor's approval "
                   "before they can use My Numbers."),
        .enter = _("Enter: add"),
        .items = items,
        .n = 6,
        .submit = add_submit,
    };
    return formdlg_push(app, &spec);
}

/* ---- the access window ------------------------------------------------------------------- */

struct window_ud {
    char name[USER_NAME_MAX + 1];
};

static enum tui_next window_submit(struct app *app, struct formdlg *dlg, void *ud)
{
    struct window_ud *x = ud;
    unsigned days = 0;
    int start = 0, end = 0;
    enum tui_next next = window_fields(app, dlg, 0, &days, &start, &end);
    if (next != TUI_POP)
        return next;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = accounts_set_window(tui_session(app), x->name, days, start, end,
                                           formdlg_text(dlg, 2), &diag);
    if (err != MNV_OK)
        return formdlg_fail(app, dlg, err == MNV_ERR_FIELD_DATE ? 2 : -1, err, &diag);
    app->data_version++;
    tui_message(app, 0, _("The access window of %s is set."), x->name);
    return TUI_POP;
}

static enum tui_next open_window(struct app *app, const struct user_rec *u)
{
    struct window_ud *x = calloc(1, sizeof(*x));
    if (!x)
        return TUI_STAY;
    snprintf(x->name, sizeof(x->name), "%s", u->name);
    /* "mon-fri 08:00-20:00 until 2027-03-31" / "any-day any-time": the fields' forms */
    char window[96], days[48] = "all", hours[24] = "all";
    accounts_format_window(window, sizeof(window), u);
    if (sscanf(window, "%47s %23s", days, hours) == 2) {
        if (strcmp(days, "any-day") == 0)
            snprintf(days, sizeof(days), "all");
        if (strcmp(hours, "any-time") == 0)
            snprintf(hours, sizeof(hours), "all");
    }
    const struct formdlg_item items[] = {
        {.label = _("Days"), .hint = _("mon-fri, sat,sun or all"), .value = days},
        {.label = _("Hours"), .hint = _("08:00-20:00 or all"), .value = hours},
        {.label = _("Last day"),
         .hint = _("YYYY-MM-DD, or empty"),
         .cap = 11,
         .value = u->valid_until},
    };
    char title[120];
    snprintf(title, sizeof(title), _("When %s may log in"), u->name);
    const struct formdlg_spec spec = {
        .name = "user-window",
        .title = title,
        .intro = _("Days of the week, hours of the day (in the organisation's time zone) and "
                   "the last day the account works."),
        .enter = _("Enter: set"),
        .items = items,
        .n = 3,
        .submit = window_submit,
        .ud = x,
        .ud_release = free,
    };
    return formdlg_push(app, &spec);
}

/* ---- the role and the organisation's time zone (as `user role`, `user timezone`) --------- */

static enum tui_next role_submit(struct app *app, struct formdlg *dlg, void *ud)
{
    const char *name = ud;
    enum mnv_role role = add_roles[formdlg_choice(dlg, 0)];
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = accounts_set_role(tui_session(app), name, role, &diag);
    if (err != MNV_OK)
        return formdlg_fail(app, dlg, 0, err, &diag);
    app->data_version++;
    if (keyroles_account_state(tui_session(app), name) == KEYROLES_PENDING)
        tui_message(app, 0, _("%s is now %s, waiting for a supervisor's approval."), name,
                    tui_role_name(role));
    else
        tui_message(app, 0, _("%s is now %s."), name, tui_role_name(role));
    return TUI_POP;
}

static enum tui_next open_role(struct app *app, const struct user_rec *u)
{
    static const char *roles[5];
    int now = 0;
    for (int i = 0; i < 4; i++) {
        roles[i] = tui_role_name(add_roles[i]);
        if (add_roles[i] == u->role)
            now = i;
    }
    roles[4] = NULL;
    char *name = strdup(u->name);
    if (!name)
        return TUI_STAY;
    const struct formdlg_item items[] = {{.label = _("Role"), .choices = roles, .choice = now}};
    char title[120];
    snprintf(title, sizeof(title), _("The role of %s"), u->name);
    const struct formdlg_spec spec = {
        .name = "user-role",
        .title = title,
        .intro = _("The account keeps only the keys of its new role; what it held is replaced. "
                   "A clerk or supervisor then waits for a supervisor's approval before they "
                   "can use My Numbers. Not your own role, nor the last administrator's."),
        .enter = _("Enter: change"),
        .items = items,
        .n = 1,
        .submit = role_submit,
        .ud = name,
        .ud_release = free,
    };
    return formdlg_push(app, &spec);
}

static enum tui_next zone_submit(struct app *app, struct formdlg *dlg, void *ud)
{
    (void)ud;
    const char *zone = formdlg_text(dlg, 0);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = setup_set_timezone(tui_session(app), zone, &diag);
    if (err != MNV_OK)
        return formdlg_fail(app, dlg, 0, err, &diag);
    app->data_version++;
    tui_message(app, 0, _("The organisation's time zone is %s."), zone);
    return TUI_POP;
}

static enum tui_next open_zone(struct app *app)
{
    char zone[CLOCK_ZONE_MAX + 1] = "";
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = setup_get_timezone(tui_session(app), zone, sizeof(zone));
    if (err != MNV_OK) {
        char text[400];
        tui_message(app, 1, "%s", tui_error_text(text, sizeof(text), err, &diag));
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    const struct formdlg_item items[] = {{.label = _("Time zone"),
                                          .hint = _("e.g. Asia/Tokyo"),
                                          .cap = sizeof(zone),
                                          .value = zone}};
    const struct formdlg_spec spec = {
        .name = "timezone",
        .title = _("The organisation's time zone"),
        .intro = _("Access windows and dates are read in this time zone, never in the "
                   "workstation's. A name of the system's time zone database."),
        .enter = _("Enter: set"),
        .items = items,
        .n = 1,
        .submit = zone_submit,
    };
    return formdlg_push(app, &spec);
}

/* ---- one-step changes, asked first ------------------------------------------------------- */

static enum tui_next after(struct app *app, enum mnv_err err, const struct mnv_diag *diag)
{
    char text[400];
    if (err == MNV_OK)
        return TUI_STAY;
    tui_message(app, 1, "%s", tui_error_text(text, sizeof(text), err, diag));
    return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
}

static enum tui_next reset(struct app *app, const char *name, const char *question)
{
    if (!tui_confirm(app, question))
        return TUI_STAY;
    char *otp = secmem_alloc(ACCOUNTS_OTP_SIZE);
    if (!otp)
        return after(app, MNV_ERR_NOMEM, NULL);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = accounts_reset_password(tui_session(app), name, otp, &diag);
    enum tui_next next = err == MNV_OK ? show_otp(app, name, otp, 0) : after(app, err, &diag);
    secmem_free(otp);
    return next;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static enum tui_next one_step(struct app *app, const struct user_rec *u, enum tui_action a)
{
    if (!u)
        return TUI_STAY;
    char name[USER_NAME_MAX + 1], question[300];
    snprintf(name, sizeof(name), "%s", u->name);
    const char *ask = a == TA_USER_DISABLE  ? _("Disable %s? Their keys are replaced.")
                      : a == TA_USER_ENABLE ? _("Enable %s? A one-time password is shown.")
                      : a == TA_USER_RESET  ? _("Give %s a new one-time password?")
                      : a == TA_USER_UNLOCK ? _("End the lockout of %s?")
                                            : _("Remove the authenticator app of %s?");
    snprintf(question, sizeof(question), ask, name);
    if (a == TA_USER_RESET)
        return reset(app, name, question);
    if (!tui_confirm(app, question))
        return TUI_STAY;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err;
    const char *done;
    if (a == TA_USER_DISABLE || a == TA_USER_ENABLE) {
        err = accounts_set_disabled(tui_session(app), name, a == TA_USER_DISABLE, &diag);
        done = a == TA_USER_DISABLE ? _("%s is disabled.") : _("%s is enabled.");
    } else if (a == TA_USER_UNLOCK) {
        err = accounts_unlock(tui_session(app), name, &diag);
        done = _("%s is unlocked.");
    } else {
        err = accounts_totp_remove(tui_session(app), name, &diag);
        done = _("The authenticator app of %s is removed; a new password is needed at the "
                 "next login.");
    }
    if (err != MNV_OK)
        return after(app, err, &diag);
    app->data_version++;
    if (a == TA_USER_ENABLE) /* disabling removed the key slot: a one-time password */
        return reset(app, name, _("Give the user a one-time password now?"));
    tui_message(app, 0, done, name);
    return TUI_STAY;
}
#pragma GCC diagnostic pop

static enum tui_next users_act(struct app *app, void *model, long sel, const struct tui_event *ev)
{
    struct users_screen *st = model;
    const struct user_rec *u = chosen(st, sel);
    switch (ev->action) {
    case TA_USER_ADD:
        return open_add(app);
    case TA_USER_WINDOW:
        return u ? open_window(app, u) : TUI_STAY;
    case TA_USER_ROLE:
        return u ? open_role(app, u) : TUI_STAY;
    case TA_TIMEZONE:
        return open_zone(app);
    case TA_USER_DISABLE:
    case TA_USER_ENABLE:
    case TA_USER_RESET:
    case TA_USER_UNLOCK:
    case TA_TOTP_REMOVE:
        return u ? one_step(app, u, ev->action) : TUI_STAY;
    default:
        return TUI_STAY;
    }
}

static void users_release(void *model)
{
    struct users_screen *st = model;
    free(st->users);
    free(st->locked);
    free(st);
}

static const struct listscreen_def users_def = {
    .name = "users",
    .load = load,
    .heading = users_heading,
    .draw = users_draw,
    .act = users_act,
    .release = users_release,
    .first = 1,
    .below = 3,
};

enum tui_next scr_users_push(struct app *app)
{
    struct users_screen *st = tui_state_new(app, sizeof(*st));
    if (!st)
        return TUI_STAY;
    enum mnv_role role = session_role(tui_session(app));
    return listscreen_push(app, &users_def,
                           access_allowed(role, ACT_USER_MANAGE)   ? keys_admin
                           : access_allowed(role, ACT_USER_UNLOCK) ? keys_unlock
                                                                   : keys_read,
                           st);
}
