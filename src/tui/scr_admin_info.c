/*
 * scr_admin_info.c: two reports of the F9 menu. "Check the vault" runs the whole check
 * (auditor_verify_vault(), as `mnvault verify`: the key file, every database page, the
 * audit chain, every sealed value the role can open) and shows each part with its result;
 * "Settings" shows every setting in effect and what the vault itself keeps (adminview.h,
 * as `mnvault config show`). Both are read-only pages (textpage.h).
 */
#include "screens.h"

#include <stdio.h>

#include "phrases.h"
#include "textpage.h"
#include "mnvault/access.h"
#include "mnvault/adminview.h"
#include "mnvault/auditor.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"

#define LABEL_CELLS 30

static void check_line(void *ud, enum adminview_check state, const char *what, const char *detail)
{
    char value[600];
    snprintf(value, sizeof(value), "%-8s %s", adminview_check_word(state), detail);
    textpage_pair(ud, LABEL_CELLS, what,
                  state == ADMINVIEW_OK        ? ST_OK
                  : state == ADMINVIEW_DAMAGED ? ST_ERROR
                                               : ST_DIM,
                  value);
}

enum tui_next scr_vault_check_push(struct app *app)
{
    struct session *s = tui_session(app);
    if (!tui_may(app, ACT_VAULT_VERIFY))
        return TUI_STAY;
    tui_message(app, 0, "%s", _("Checking the whole vault…"));
    tui_redraw_now(app);
    struct vault_check r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditor_verify_vault(s, &r, &diag);
    tui_clear_message(app);
    char text[400];
    if (err != MNV_OK && err != MNV_ERR_VERIFY_FAILED) {
        tui_message(app, 1, "%s", tui_error_text(text, sizeof(text), err, &diag));
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    struct textpage *t = textpage_new("vault-check", _("Check of the vault"), 0);
    if (t) {
        adminview_vault_check(&r, check_line, t);
        textpage_add(t, ST_NORMAL, "%s", "");
        if (err == MNV_OK)
            textpage_add(t, ST_OK, "%s", _("The vault is intact."));
        else
            textpage_add(t, ST_ERROR, "%s",
                         _("The vault is damaged: restore it from a backup and keep the damaged "
                           "copy for investigation."));
        textpage_add(t, ST_DIM, "%s",
                     _("The check is recorded in the audit log; the dashboard shows its date."));
    }
    app->data_version++;
    return textpage_push(app, t);
}

static void setting_line(void *ud, const char *name, const char *value, const char *note)
{
    char text[600];
    snprintf(text, sizeof(text), "%s  (%s)", value, note);
    textpage_pair(ud, LABEL_CELLS, name, ST_NORMAL, text);
}

enum tui_next scr_settings_push(struct app *app)
{
    struct textpage *t = textpage_new("settings", _("Settings in effect"), 0);
    if (!t)
        return textpage_push(app, t);
    textpage_add(t, ST_DIM, "%s",
                 _("Read from /etc/mnvault/mnvault.ini, then the user's file, then --config; "
                   "`mnvault config sample` prints every key with its meaning."));
    textpage_add(t, ST_NORMAL, "%s", "");
    textpage_pair(t, LABEL_CELLS, _("vault folder in use"), ST_NORMAL, tui_link(app)->data_dir);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = adminview_settings(tui_session(app), app->cfg, setting_line, t, &diag);
    if (err != MNV_OK) {
        char text[400];
        textpage_add(t, ST_ERROR, "%s", tui_error_text(text, sizeof(text), err, &diag));
    }
    return textpage_push(app, t);
}
