/*
 * tui_main.c: the terminal application's entry and its link to the services (sessions,
 * lock/unlock). The words several screens share are in phrases.c.
 */
#include "mnvault/tui.h"

#include <stdio.h>
#include <string.h>

#include "app.h"
#include "phrases.h"
#include "screens.h"
#include "mnvault/i18n.h"
#include "mnvault/person.h"
#include "mnvault/role.h"
#include "mnvault/purpose.h"
#include "mnvault/session.h"
#include "mnvault/testhook.h"

static int unlock_cb(struct app *app, const char *password, size_t len, char *msg, size_t msgsize)
{
    struct session *s = tui_session(app);
    struct login_info info = {0};
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    if (!s)
        return -1;
    enum mnv_err err = session_unlock(s, password, len, &info, &diag);
    if (err == MNV_OK)
        return 0;
    if (err == MNV_ERR_LOGIN_FAILED)
        snprintf(msg, msgsize,
                 ngettext("The password is wrong. %d more failure locks the account.",
                          "The password is wrong. %d more failures lock the account.",
                          (unsigned long)info.attempts_left),
                 info.attempts_left);
    else if (err == MNV_ERR_LOCKED)
        snprintf(msg, msgsize, _("The account is locked. Try again in %ld min %ld s."),
                 info.wait_seconds / 60, info.wait_seconds % 60);
    else
        tui_error_text(msg, msgsize, err, &diag);
    return -1;
}

static void locked_cb(struct app *app)
{
    struct session *s = tui_session(app);
    if (s)
        session_lock(s);
}

int tui_run(const struct tui_options *o)
{
    struct tui_link link = {o->data_dir, NULL, o};
    struct app app;
    memset(&app, 0, sizeof(app));
    /* The test build may shorten the idle lock below the configuration's floor. */
    static struct mnv_config cfg;
    cfg = *o->cfg;
    int idle;
    if (testhook_idle_lock(&idle))
        cfg.idle_lock_seconds = idle;
    app.cfg = &cfg;
    app.org_name = _("My Number management");
    app.services = &link;
    app.unlock = unlock_cb;
    app.on_locked = locked_cb;
    app.cursor_y = app.cursor_x = -1;
    if (scr_login_push(&app, o->user) != TUI_PUSHED)
        return 2;
    int rc = tui_run_loop(&app);
    session_logout(link.session);
    link.session = NULL;
    return rc < 0 ? 2 : rc;
}
