/*
 * scr_admin_backup.c: backups (F9, Backups): the backup register, newest first (who made
 * each, when, its size, the audit entry it holds, kept or deleted); supervisors and
 * administrators take a backup into the managed folder ([backup] dir and generations) and
 * check any backup file (backup.h, as `mnvault backup`, `--list` and `--verify`);
 * auditors read the register and check a file against it.
 */
#include "screens.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "formdlg.h"
#include "listscreen.h"
#include "phrases.h"
#include "textpage.h"
#include "mnvault/access.h"
#include "mnvault/adminview.h"
#include "mnvault/backup.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"
#include "mnvault/vcrypto.h"

struct backups_screen {
    struct backup_rec *recs; /* oldest first, as the register gives them; row 0 = the newest */
    size_t n;
};

static const struct keydef keys_make[] = {{KEY_F(2), 1, TA_BACKUP_MAKE},
                                          {'b', 0, TA_BACKUP_MAKE},
                                          {'v', 0, TA_BACKUP_VERIFY},
                                          {0, 0, TA_NONE}};
static const struct keydef keys_make_incident[] = {{KEY_F(2), 1, TA_BACKUP_MAKE},
                                                   {'b', 0, TA_BACKUP_MAKE},
                                                   {'v', 0, TA_BACKUP_VERIFY},
                                                   {'i', 0, TA_INCIDENT_NEW},
                                                   {0, 0, TA_NONE}};
static const struct keydef keys_read[] = {{'v', 0, TA_BACKUP_VERIFY}, {0, 0, TA_NONE}};

static const struct backup_rec *row(const struct backups_screen *st, long i)
{
    return &st->recs[st->n - 1 - (size_t)i];
}

static long load(struct app *app, void *model, char *err, size_t errsize)
{
    struct backups_screen *st = model;
    free(st->recs);
    st->recs = NULL;
    st->n = 0;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err e = backup_list(tui_session(app), &st->recs, &st->n, &diag);
    if (e != MNV_OK) {
        tui_error_text(err, errsize, e, &diag);
        return -1;
    }
    return (long)st->n;
}

static const char *backups_heading(struct app *app, void *model, char *right, size_t rsize)
{
    (void)app;
    struct backups_screen *st = model;
    snprintf(right, rsize, _("%zu in the register"), st->n);
    return _("Backups");
}

static void draw_row(WINDOW *w, int y, const struct backup_rec *r, int sel, int cols)
{
    char id[16], when[24], size[24], seq[24], state[120];
    snprintf(id, sizeof(id), "#%lld", (long long)r->id);
    snprintf(seq, sizeof(seq), "%llu", (unsigned long long)r->audit_seq);
    clock_format_local(when, sizeof(when), (time_t)r->created_at);
    int x = 0;
    tui_style_on(w, sel ? ST_SELECTED : r->deleted_at ? ST_DIM : ST_NORMAL);
    x += tui_put(w, y, x, sel ? ">" : " ", 1, 1);
    x += tui_put(w, y, x, id, 5, 1);
    x += tui_put(w, y, x, when, 17, 1);
    x += tui_put(w, y, x, r->made_by, 12, 1);
    x += tui_put_right(w, y, x, adminview_size(size, sizeof(size), r->size), 8);
    x += tui_put(w, y, x, " ", 1, 1);
    x += tui_put_right(w, y, x, seq, 7);
    x += tui_put(w, y, x, "  ", 2, 1);
    tui_put(w, y, x, adminview_backup_state(r, state, sizeof(state)), cols - x, 1);
    tui_style_off(w, sel ? ST_SELECTED : r->deleted_at ? ST_DIM : ST_NORMAL);
}

static void backups_draw(struct app *app, void *model, const struct listview *lv, int first,
                         WINDOW *w)
{
    struct backups_screen *st = model;
    int cols = getmaxx(w), rows = getmaxy(w), x = 1;
    tui_style_on(w, ST_HEADER);
    x += tui_put(w, 0, x, _("No."), 5, 1);
    x += tui_put(w, 0, x, _("Made"), 17, 1);
    x += tui_put(w, 0, x, _("By"), 12, 1);
    x += tui_put_right(w, 0, x, _("Size"), 8);
    x += tui_put(w, 0, x, " ", 1, 1);
    x += tui_put_right(w, 0, x, _("Log"), 7);
    x += tui_put(w, 0, x, "  ", 2, 1);
    tui_put(w, 0, x, _("State"), cols - x, 1);
    tui_style_off(w, ST_HEADER);
    if (st->n == 0) {
        tui_style_on(w, ST_DIM);
        tui_put(w, 2, 4, _("No backup has been written yet."), cols - 8, 0);
        tui_style_off(w, ST_DIM);
    }
    for (long i = lv->top; i < (long)st->n && i < lv->top + lv->rows; i++)
        draw_row(w, first + (int)(i - lv->top), row(st, i), i == lv->sel, cols);
    if (st->n) {
        const struct backup_rec *r = row(st, lv->sel);
        char hash[2 * VCRYPTO_HASH_LEN + 1], line[PATH_MAX + 40];
        tui_put(w, rows - 3, 2, r->path, cols - 4, 0);
        snprintf(line, sizeof(line), "BLAKE2b-256 %s",
                 vcrypto_hex(hash, r->hash, VCRYPTO_HASH_LEN));
        tui_style_on(w, ST_DIM);
        tui_put(w, rows - 2, 2, line, cols - 4, 0);
        tui_style_off(w, ST_DIM);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2,
            access_allowed(session_role(tui_session(app)), ACT_INCIDENT_RECORD)
                ? _("b: back up now   v: check a backup file   i: lost or leaked   Esc: back")
            : access_allowed(session_role(tui_session(app)), ACT_BACKUP_MAKE)
                ? _("b: back up now   v: check a backup file   Esc: back")
                : _("v: check a backup file   Esc: back"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next make_now(struct app *app)
{
    if (!tui_confirm(app, _("Write a backup of the vault into the backup folder now?")))
        return TUI_STAY;
    tui_message(app, 0, "%s", _("Writing and checking the backup…"));
    tui_redraw_now(app);
    struct backup_options bo = {app->cfg->backup_dir, app->cfg->backup_generations};
    struct backup_made made;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = backup_make(tui_session(app), NULL, &bo, &made, &diag);
    char text[PATH_MAX + 200], size[24];
    if (err != MNV_OK) {
        tui_message(app, 1, "%s", tui_error_text(text, sizeof(text), err, &diag));
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    tui_message(app, 0, _("Backup written and checked: %s (%s)"), made.rec.path,
                adminview_size(size, sizeof(size), made.rec.size));
    return TUI_STAY;
}

static enum tui_next verify_submit(struct app *app, struct formdlg *dlg, void *ud)
{
    (void)ud;
    const char *path = formdlg_text(dlg, 0);
    if (!path[0])
        return TUI_STAY;
    tui_message(app, 0, "%s", _("Reading the backup through…"));
    tui_redraw_now(app);
    struct backup_check r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = backup_verify(tui_session(app), path, &r, &diag);
    tui_clear_message(app);
    if (err != MNV_OK)
        return formdlg_fail(app, dlg, 0, err, &diag);
    app->data_version++;
    char text[PATH_MAX * 2 + 600];
    struct textpage *t = textpage_new("backup-check", _("Backup checked"), 0);
    if (t) {
        adminview_backup_verdict(&r, path, text, sizeof(text));
        for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
            textpage_add(t, ST_NORMAL, "%s", line);
        if (!r.authenticated)
            textpage_add(t, ST_DIM, "%s",
                         _("Only its hash was compared with the register: your role holds no "
                           "backup key to read every byte."));
    }
    return textpage_replace(app, t);
}

static enum tui_next open_verify(struct app *app, const struct backup_rec *r)
{
    const struct formdlg_item items[] = {
        {.label = _("File"), .cap = PATH_MAX, .value = r ? r->path : ""},
    };
    const struct formdlg_spec spec = {
        .name = "backup-verify",
        .title = _("Check a backup file"),
        .intro = _("The file is read through: that it is a backup of this vault, intact, and "
                   "whether the register knows it. Nothing is restored."),
        .enter = _("Enter: check"),
        .items = items,
        .n = 1,
        .submit = verify_submit,
    };
    return formdlg_push(app, &spec);
}

static enum tui_next backups_act(struct app *app, void *model, long sel, const struct tui_event *ev)
{
    struct backups_screen *st = model;
    switch (ev->action) {
    case TA_BACKUP_MAKE:
        return make_now(app);
    case TA_BACKUP_VERIFY:
        return open_verify(app, sel >= 0 ? row(st, sel) : NULL);
    case TA_INCIDENT_NEW:
        return sel >= 0 ? scr_incident_new_push(app, INCIDENT_BACKUP, row(st, sel)->id) : TUI_STAY;
    default:
        return TUI_STAY;
    }
}

static void backups_release(void *model)
{
    struct backups_screen *st = model;
    free(st->recs);
    free(st);
}

static const struct listscreen_def backups_def = {
    .name = "backups",
    .load = load,
    .heading = backups_heading,
    .draw = backups_draw,
    .act = backups_act,
    .release = backups_release,
    .first = 1,
    .below = 4,
};

enum tui_next scr_backups_push(struct app *app)
{
    enum mnv_role role = session_role(tui_session(app));
    struct backups_screen *st = tui_screen_new(app, ACT_BACKUP_READ, sizeof(*st));
    if (!st)
        return TUI_STAY;
    const struct keydef *keys = !access_allowed(role, ACT_BACKUP_MAKE)      ? keys_read
                                : access_allowed(role, ACT_INCIDENT_RECORD) ? keys_make_incident
                                                                            : keys_make;
    return listscreen_push(app, &backups_def, keys, st);
}
