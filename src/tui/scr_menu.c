/*
 * scr_menu.c: the menu (F9 on the dashboard): what the signed-in role may reach beyond the
 * daily screens — users, the supervisor's approvals, backups, the check of the vault, the
 * audit log, incidents (lost or leaked files), the settings in effect, one's own authenticator app
 * and password. An entry a role may not use is not offered at all; the services refuse it anyway.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>

#include "draw.h"
#include "listview.h"
#include "mnvault/access.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"

struct menu_item {
    const char *label, *help;   /* msgids */
    enum access_action need[3]; /* any of these; ACT__COUNT ends the list (everyone) */
    enum tui_next (*open)(struct app *app);
};

static const struct menu_item menu_items[] = {
    {N_("Users"),
     N_("roles, states, access windows"),
     {ACT_USER_MANAGE, ACT_USER_UNLOCK, ACT_AUDIT_READ},
     scr_users_push},
    {N_("Approvals"),
     N_("accounts and deletions that wait"),
     {ACT_USER_APPROVE, ACT__COUNT, ACT__COUNT},
     scr_approvals_push},
    {N_("Backups"),
     N_("take, list and check backups"),
     {ACT_BACKUP_READ, ACT__COUNT, ACT__COUNT},
     scr_backups_push},
    {N_("Check the vault"),
     N_("key file, database, log, sealed values"),
     {ACT_VAULT_VERIFY, ACT__COUNT, ACT__COUNT},
     scr_vault_check_push},
    {N_("Audit log"),
     N_("the log and the monthly review (F8)"),
     {ACT_AUDIT_READ, ACT__COUNT, ACT__COUNT},
     scr_audit_push},
    {N_("Settings"),
     N_("the settings in effect"),
     {ACT__COUNT, ACT__COUNT, ACT__COUNT},
     scr_settings_push},
    {N_("Authenticator app"),
     N_("confirmation codes for your login"),
     {ACT__COUNT, ACT__COUNT, ACT__COUNT},
     scr_totp_push},
    {N_("Incidents"),
     N_("a lost or leaked file: what it held, report"),
     {ACT_CUSTODY_READ, ACT__COUNT, ACT__COUNT},
     scr_incidents_push},
};

#define MENU_MAX (sizeof(menu_items) / sizeof(menu_items[0]) + 1)

struct menu_state {
    const struct menu_item *shown[MENU_MAX];
    int n;
    struct listview lv;
};

static enum tui_next open_password(struct app *app)
{
    return scr_password_push(app, 0);
}

static const struct menu_item password_item = {N_("Password"),
                                               N_("change your own password"),
                                               {ACT__COUNT, ACT__COUNT, ACT__COUNT},
                                               open_password};

static const struct keydef menu_keys[] = {{0, 0, TA_NONE}};

static int allowed(enum mnv_role role, const struct menu_item *it)
{
    if (it->need[0] == ACT__COUNT)
        return 1;
    for (int i = 0; i < 3 && it->need[i] != ACT__COUNT; i++)
        if (access_allowed(role, it->need[i]))
            return 1;
    return 0;
}

static const char *menu_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    (void)stp;
    (void)right;
    (void)rsize;
    return _("Menu");
}

static void menu_draw(struct app *app, void *stp, WINDOW *w)
{
    (void)app;
    struct menu_state *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    listview_fit(&st->lv, rows - 3);
    for (int i = 0; i < st->n; i++) {
        const struct menu_item *it = st->shown[i];
        int sel = i == st->lv.sel, y = 1 + i;
        char key[16];
        snprintf(key, sizeof(key), "%d", i + 1);
        tui_style_on(w, sel ? ST_SELECTED : ST_NORMAL);
        tui_put(w, y, 1, sel ? ">" : " ", 1, 1);
        tui_put(w, y, 2, key, 3, 1);
        tui_put(w, y, 5, _(it->label), 22, 1);
        tui_put(w, y, 27, _(it->help), cols - 28, 1);
        tui_style_off(w, sel ? ST_SELECTED : ST_NORMAL);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2, _("Enter or a digit: open   Esc: back"), cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next menu_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct menu_state *st = stp;
    if (listview_handle(&st->lv, ev->action))
        return TUI_STAY;
    if (!ev->is_code && ev->ch >= L'1' && ev->ch < L'1' + st->n)
        return st->shown[ev->ch - L'1']->open(app);
    switch (ev->action) {
    case TA_OPEN:
        return st->n ? st->shown[st->lv.sel]->open(app) : TUI_STAY;
    case TA_BACK:
    case TA_MENU:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static const struct screen_ops menu_ops = {
    .name = "menu",
    .keys = menu_keys,
    .heading = menu_heading,
    .draw = menu_draw,
    .handle = menu_handle,
    .release = free,
};

enum tui_next scr_menu_push(struct app *app)
{
    struct menu_state *st = tui_state_new(app, sizeof(*st));
    if (!st)
        return TUI_STAY;
    enum mnv_role role = session_role(tui_session(app));
    for (size_t i = 0; i < sizeof(menu_items) / sizeof(menu_items[0]); i++)
        if (allowed(role, &menu_items[i]))
            st->shown[st->n++] = &menu_items[i];
    st->shown[st->n++] = &password_item;
    listview_set_count(&st->lv, st->n);
    return tui_push(app, &menu_ops, st);
}
