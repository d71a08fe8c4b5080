/*
 * tui_main.c: the terminal application's entry, its link to the services (sessions,
 * lock/unlock, purposes) and the words shared by several screens.
 */
#include "mnvault/tui.h"

#include <stdio.h>
#include <string.h>

#include "tui.h"

#include "mnvault/i18n.h"
#include "mnvault/person.h"
#include "mnvault/role.h"
#include "mnvault/purpose.h"
#include "mnvault/session.h"
#include "mnvault/testhook.h"

char *tui_error_text(char *buf, size_t size, int err, const void *diagp)
{
    const struct mnv_diag *diag = diagp;
    const char *msg = _(mnv_err_str((enum mnv_err)err));
    if (diag && diag->saved_errno)
        snprintf(buf, size, "%s (%s)", msg, strerror(diag->saved_errno));
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}

const char *tui_number_status(int status)
{
    switch (status) {
    case NUMBER_REGISTERED:
        return _("registered");
    case NUMBER_REFUSED:
        return _("refused");
    case NUMBER_DISPOSED:
        return _("deleted");
    case NUMBER_MISSING:
    default:
        return _("missing");
    }
}

const char *tui_role_name(int role)
{
    switch (role) {
    case ROLE_CLERK:
        return _("clerk");
    case ROLE_SUPERVISOR:
        return _("supervisor");
    case ROLE_AUDITOR:
        return _("auditor");
    case ROLE_ADMIN:
        return _("administrator");
    default:
        return "";
    }
}

const char *tui_purpose_name(struct app *app, const char *code)
{
    struct session *s = tui_link(app)->session;
    const struct purpose_def *p = s ? purpose_find(session_purposes(s), code) : NULL;
    if (!p)
        return code;
    return i18n_is_japanese() ? p->name_ja : p->name_en;
}

const char *tui_purpose_short_name(struct app *app, const char *code)
{
    struct session *s = tui_link(app)->session;
    const struct purpose_def *p = s ? purpose_find(session_purposes(s), code) : NULL;
    if (!p)
        return code;
    return i18n_is_japanese() ? p->short_ja : p->short_en;
}

void tui_purpose_short(struct app *app, const char *code, char *buf, size_t size)
{
    const char *name = tui_purpose_short_name(app, code);
    if (i18n_is_japanese()) {
        /* One character: the first of the short name (源 健 雇). */
        size_t n = 1;
        while (name[n] && ((unsigned char)name[n] & 0xC0) == 0x80)
            n++;
        snprintf(buf, size, "%.*s", (int)n, name);
        return;
    }
    /* English: the initials of the short name's words (Health and pension → HP). */
    size_t o = 0;
    for (size_t i = 0; name[i] && o + 1 < size && o < 3; i++)
        if ((i == 0 || name[i - 1] == ' ') && name[i] >= 'A' && name[i] <= 'Z')
            buf[o++] = name[i];
        else if ((i == 0 || name[i - 1] == ' ') && name[i] >= 'a' && name[i] <= 'z' &&
                 strcmp(name + i, "and") != 0 && strncmp(name + i, "and ", 4) != 0)
            buf[o++] = (char)(name[i] - 32);
    buf[o] = '\0';
}

static int unlock_cb(struct app *app, const char *password, size_t len, char *msg, size_t msgsize)
{
    struct session *s = tui_link(app)->session;
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
    struct session *s = tui_link(app)->session;
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
