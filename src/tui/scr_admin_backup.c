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
#include "listview.h"
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
    struct backup_rec *recs; /* oldest first, as the register gives them */
    size_t n;
    struct listview lv; /* row 0 = the newest */
    long loaded_version;
    char error[400];
};

static const struct keydef keys_make[] = {{KEY_F(2), 1, TA_BACKUP_MAKE},
                                          {'b', 0, TA_BACKUP_MAKE},
                                          {'v', 0, TA_BACKUP_VERIFY},
                                          {0, 0, TA_NONE}};
static const struct keydef keys_read[] = {{'v', 0, TA_BACKUP_VERIFY}, {0, 0, TA_NONE}};

static struct session *sess(struct app *app)
{
    return tui_link(app)->session;
}

static const struct backup_rec *row(const struct backups_screen *st, long i)
{
    return &st->recs[st->n - 1 - (size_t)i];
}

static void load(struct app *app, struct backups_screen *st)
{
    free(st->recs);
    st->recs = NULL;
    st->n = 0;
    st->error[0] = '\0';
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = backup_list(sess(app), &st->recs, &st->n, &diag);
    if (err != MNV_OK)
        tui_error_text(st->error, sizeof(st->error), err, &diag);
    listview_set_count(&st->lv, (long)st->n);
    st->loaded_version = app->data_version;
}

static const char *backups_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct backups_screen *st = stp;
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

static void backups_draw(struct app *app, void *stp, WINDOW *w)
{
    struct backups_screen *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w), x = 1;
    if (st->error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, 1, 2, st->error, cols - 4, 3);
        tui_style_off(w, ST_ERROR);
        return;
    }
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
    listview_fit(&st->lv, rows - 5);
    if (st->n == 0) {
        tui_style_on(w, ST_DIM);
        tui_put(w, 2, 4, _("No backup has been written yet."), cols - 8, 0);
        tui_style_off(w, ST_DIM);
    }
    for (long i = st->lv.top; i < (long)st->n && i < st->lv.top + st->lv.rows; i++)
        draw_row(w, 1 + (int)(i - st->lv.top), row(st, i), i == st->lv.sel, cols);
    if (st->n) {
        const struct backup_rec *r = row(st, st->lv.sel);
        char hash[2 * VCRYPTO_HASH_LEN + 1], line[PATH_MAX + 40];
        tui_put(w, rows - 3, 2, r->path, cols - 4, 0);
        snprintf(line, sizeof(line), "BLAKE2b-256 %s", vcrypto_hex(hash, r->hash, VCRYPTO_HASH_LEN));
        tui_style_on(w, ST_DIM);
        tui_put(w, rows - 2, 2, line, cols - 4, 0);
        tui_style_off(w, ST_DIM);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2,
            access_allowed(session_role(sess(app)), ACT_BACKUP_MAKE)
                ? _("b: back up now   v: check a backup file   Esc: back")
                : _("v: check a backup file   Esc: back"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next make_now(struct app *app, struct backups_screen *st)
{
    if (!tui_confirm(app, _("Write a backup of the vault into the backup folder now?")))
        return TUI_STAY;
    tui_message(app, 0, "%s", _("Writing and checking the backup…"));
    tui_redraw_now(app);
    struct backup_options bo = {app->cfg->backup_dir, app->cfg->backup_generations};
    struct backup_made made;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = backup_make(sess(app), NULL, &bo, &made, &diag);
    char text[PATH_MAX + 200], size[24];
    if (err != MNV_OK) {
        tui_message(app, 1, "%s", tui_error_text(text, sizeof(text), err, &diag));
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    tui_message(app, 0, _("Backup written and checked: %s (%s)"), made.rec.path,
                adminview_size(size, sizeof(size), made.rec.size));
    load(app, st);
    st->lv.sel = 0;
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
    enum mnv_err err = backup_verify(sess(app), path, &r, &diag);
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

static enum tui_next open_verify(struct app *app, struct backups_screen *st)
{
    const struct formdlg_item items[] = {
        {.label = _("File"), .cap = PATH_MAX, .value = st->n ? row(st, st->lv.sel)->path : ""},
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

static enum tui_next backups_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct backups_screen *st = stp;
    if (listview_handle(&st->lv, ev->action))
        return TUI_STAY;
    switch (ev->action) {
    case TA_BACKUP_MAKE:
        return make_now(app, st);
    case TA_BACKUP_VERIFY:
        return open_verify(app, st);
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void backups_resume(struct app *app, void *stp)
{
    struct backups_screen *st = stp;
    if (st->loaded_version != app->data_version)
        load(app, st);
}

static void backups_release(void *stp)
{
    struct backups_screen *st = stp;
    free(st->recs);
    free(st);
}

#define BACKUPS_OPS(var, keyset)                                                                   \
    static const struct screen_ops var = {                                                         \
        .name = "backups",                                                                         \
        .keys = keyset,                                                                            \
        .heading = backups_heading,                                                                \
        .draw = backups_draw,                                                                      \
        .handle = backups_handle,                                                                  \
        .resume = backups_resume,                                                                  \
        .release = backups_release,                                                                \
    }
BACKUPS_OPS(backups_ops_make, keys_make);
BACKUPS_OPS(backups_ops_read, keys_read);

enum tui_next scr_backups_push(struct app *app)
{
    enum mnv_role role = session_role(sess(app));
    if (!access_allowed(role, ACT_BACKUP_READ)) {
        tui_message(app, 1, "%s", _(mnv_err_str(MNV_ERR_DENIED)));
        return TUI_STAY;
    }
    struct backups_screen *st = calloc(1, sizeof(*st));
    if (!st) {
        tui_message(app, 1, "%s", _(mnv_err_str(MNV_ERR_NOMEM)));
        return TUI_STAY;
    }
    load(app, st);
    return tui_push(app, access_allowed(role, ACT_BACKUP_MAKE) ? &backups_ops_make : &backups_ops_read,
                    st);
}
