/*
 * scr_custody.c: the custody register (custody.h) on screen, from the Export screen (F4)
 * or, for auditors, from F6 directly. Every file an export wrote, newest first: its entry,
 * state, form, year and copy, where it went, how many My Numbers it held, when and by whom;
 * the selected entry's file, SHA-256 and last note below. m marks the selected copy
 * submitted, destroyed or returned with a note (clerks and supervisors), audited. The
 * register holds no number and no name.
 */
#include "screens.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "field.h"
#include "keys.h"
#include "listview.h"
#include "phrases.h"

#include "mnvault/access.h"
#include "mnvault/clock.h"
#include "mnvault/custody.h"
#include "mnvault/form.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"

struct custody_screen {
    struct custody_entry *rows;
    size_t n;
    struct listview lv;
    int outstanding_only;
    char error[400];
    long data_version;
};

static const struct keydef custody_keys[] = {
    {'m', 0, TA_MARK}, {'o', 0, TA_TOGGLE}, {'i', 0, TA_INCIDENT_NEW}, {0, 0, TA_NONE}};
static const struct keydef custody_keys_read[] = {{'o', 0, TA_TOGGLE}, {0, 0, TA_NONE}};

static void load(struct app *app, struct custody_screen *st)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    free(st->rows);
    st->rows = NULL;
    st->n = 0;
    st->error[0] = '\0';
    st->data_version = app->data_version;
    struct custody_filter f = {0};
    f.outstanding_only = st->outstanding_only;
    enum mnv_err err = custody_list(tui_link(app)->session, &f, &st->rows, &st->n, &diag);
    if (err != MNV_OK)
        tui_error_text(st->error, sizeof(st->error), err, &diag);
    listview_set_count(&st->lv, (long)st->n);
}

static const char *custody_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct custody_screen *st = stp;
    char a[32];
    snprintf(right, rsize, st->outstanding_only ? _("outstanding %s") : _("entries %s"),
             tui_thousands(a, sizeof(a), (long)st->n));
    return _("Custody register of exported files");
}

/* Column widths of the list (a space after each). */
enum { W_ID = 5, W_STATE = 18, W_FORM = 21, W_TO = 13, W_NUMS = 8 };

static int col(WINDOW *w, int y, int x, const char *text, int cells)
{
    tui_put(w, y, x, text, cells - 1, 1);
    tui_put(w, y, x + cells - 1, " ", 1, 1);
    return cells;
}

static void draw_row(WINDOW *w, int y, int cols, const struct custody_entry *e, int sel)
{
    char id[16], what[96], nums[32], when[24];
    snprintf(id, sizeof(id), "%lld", (long long)e->id);
    snprintf(what, sizeof(what), "%s %d %s", e->form, e->year, e->copy);
    tui_thousands(nums, sizeof(nums), e->numbers);
    clock_format_local(when, sizeof(when), (time_t)e->created_at);
    when[10] = '\0'; /* the date; the time is in the details below */
    if (sel)
        tui_style_on(w, ST_SELECTED);
    int x = 0;
    x += tui_put(w, y, x, sel ? ">" : " ", 2, 1);
    x += col(w, y, x, id, W_ID);
    x += col(w, y, x, _(custody_state_label(e->state)), W_STATE);
    x += col(w, y, x, what, W_FORM);
    x += col(w, y, x, _(form_destination_label(form_destination_parse(e->destination))), W_TO);
    x += tui_put_right(w, y, x, nums, W_NUMS - 1);
    x += tui_put(w, y, x, " ", 1, 1);
    tui_put(w, y, x, when, cols - x, 1);
    if (sel)
        tui_style_off(w, ST_SELECTED);
}

/* The selected entry's file, hash, zip and last change. */
static void draw_detail(WINDOW *w, int y, int cols, const struct custody_entry *e)
{
    char line[CUSTODY_PATH_MAX + 200], hex[65], when[24];
    tui_hline(w, y++, 0, cols);
    snprintf(line, sizeof(line), _("File: %s%s"), e->path, e->packed ? _(" (encrypted zip)") : "");
    tui_put(w, y++, 2, line, cols - 4, 0);
    snprintf(line, sizeof(line), _("SHA-256: %s"), e->has_hash ? custody_hash_hex(e, hex) : "-");
    tui_put(w, y++, 2, line, cols - 4, 0);
    if (e->state_at) {
        clock_format_local(when, sizeof(when), (time_t)e->state_at);
        snprintf(line, sizeof(line), e->note[0] ? _("%s on %s by %s: %s") : _("%s on %s by %s"),
                 _(custody_state_label(e->state)), when, e->state_by, e->note);
        tui_put(w, y, 2, line, cols - 4, 0);
    }
}

static void custody_draw(struct app *app, void *stp, WINDOW *w)
{
    struct custody_screen *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    if (st->error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, 1, 2, st->error, cols - 4, 3);
        tui_style_off(w, ST_ERROR);
        return;
    }
    tui_style_on(w, ST_HEADER);
    int x = 2;
    x += col(w, 0, x, _("No."), W_ID);
    x += col(w, 0, x, _("State"), W_STATE);
    x += col(w, 0, x, _("Form, year, copy"), W_FORM);
    x += col(w, 0, x, _("To"), W_TO);
    x += tui_put_right(w, 0, x, _("Numbers"), W_NUMS - 1);
    x += tui_put(w, 0, x, " ", 1, 1);
    tui_put(w, 0, x, _("Written"), cols - x - 1, 1);
    tui_style_off(w, ST_HEADER);
    int list_rows = rows - 7;
    listview_fit(&st->lv, list_rows);
    if (!st->n) {
        tui_style_on(w, ST_DIM);
        tui_put(w, 2, 4, _("No file has been exported yet."), cols - 8, 0);
        tui_style_off(w, ST_DIM);
    }
    for (long i = st->lv.top; i < (long)st->n && i - st->lv.top < list_rows; i++)
        draw_row(w, 1 + (int)(i - st->lv.top), cols, &st->rows[i], i == st->lv.sel);
    if (st->n)
        draw_detail(w, rows - 6, cols, &st->rows[st->lv.sel]);
    const char *hint = access_allowed(session_role(tui_link(app)->session), ACT_CUSTODY_MARK)
                           ? _("m: mark sent, destroyed, returned   i: lost or leaked   "
                               "o: outstanding only")
                           : _("o: outstanding only");
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2, hint, cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* ---- the mark dialog: the new state and a note ----------------------------------------- */

static const enum custody_state mark_states[] = {CUSTODY_SUBMITTED, CUSTODY_DESTROYED,
                                                 CUSTODY_RETURNED};

struct mark_state {
    struct custody_entry entry;
    int at; /* index into mark_states */
    struct field note;
    char msg[400];
};

static const struct keydef mark_keys[] = {{0, 0, TA_NONE}};

static const char *mark_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct mark_state *ms = stp;
    snprintf(right, rsize, _("entry %lld"), (long long)ms->entry.id);
    return _("Mark an exported copy");
}

static void mark_draw(struct app *app, void *stp, WINDOW *w)
{
    struct mark_state *ms = stp;
    int cols = getmaxx(w);
    char text[600];
    snprintf(text, sizeof(text),
             _("%s %d, copy %s, to %s: %ld My Numbers. What happened to this copy?"),
             ms->entry.form, ms->entry.year, ms->entry.copy,
             _(form_destination_label(form_destination_parse(ms->entry.destination))),
             ms->entry.numbers);
    tui_put_wrapped(w, 1, 2, text, cols - 4, 2);
    tui_style_on(w, ST_HEADER);
    tui_put(w, 4, 2, _("State"), 10, 1);
    tui_put(w, 6, 2, _("Note"), 10, 1);
    tui_style_off(w, ST_HEADER);
    snprintf(text, sizeof(text), "< %s >", _(custody_state_label(mark_states[ms->at])));
    tui_style_on(w, ST_SELECTED);
    tui_put(w, 4, 13, text, cols - 16, 0);
    tui_style_off(w, ST_SELECTED);
    mvwaddch(w, 6, 12, '[');
    field_draw(&ms->note, w, 6, 13, cols - 16, 1, &app->cursor_y, &app->cursor_x);
    mvwaddch(w, 6, cols - 3, ']');
    tui_style_on(w, ST_DIM);
    tui_put(w, 7, 13, _("(e.g. handed to the tax office; shredded)"), cols - 16, 0);
    tui_style_off(w, ST_DIM);
    if (ms->msg[0]) {
        snprintf(text, sizeof(text), "! %.500s", ms->msg);
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, 9, 2, text, cols - 4, 2);
        tui_style_off(w, ST_ERROR);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, 12, 2, _("←→: state   Enter: record   Esc: cancel"), cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next mark_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct mark_state *ms = stp;
    if (ev->action == TA_BACK)
        return TUI_POP;
    if (ev->is_code && ev->code == KEY_RIGHT) {
        ms->at = (ms->at + 1) % 3;
        return TUI_STAY;
    }
    if (ev->is_code && ev->code == KEY_LEFT) {
        ms->at = (ms->at + 2) % 3;
        return TUI_STAY;
    }
    if (ev->action != TA_OPEN) {
        (void)field_handle(&ms->note, ev);
        return TUI_STAY;
    }
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = custody_mark(tui_link(app)->session, ms->entry.id, mark_states[ms->at],
                                    ms->note.buf, &diag);
    if (err != MNV_OK) {
        tui_error_text(ms->msg, sizeof(ms->msg), err, &diag);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    tui_message(app, 0, _("Entry %lld marked %s."), (long long)ms->entry.id,
                _(custody_state_label(mark_states[ms->at])));
    return TUI_POP;
}

static void mark_release(void *stp)
{
    struct mark_state *ms = stp;
    field_release(&ms->note);
    free(ms);
}

static const struct screen_ops mark_ops = {
    .name = "custody-mark",
    .keys = mark_keys,
    .heading = mark_heading,
    .draw = mark_draw,
    .handle = mark_handle,
    .release = mark_release,
};

static enum tui_next open_mark(struct app *app, struct custody_screen *st)
{
    if (!st->n)
        return TUI_STAY;
    struct mark_state *ms = calloc(1, sizeof(*ms));
    if (!ms || field_init(&ms->note, CUSTODY_NOTE_MAX + 1, 0) != 0) {
        free(ms);
        tui_message(app, 1, "%s", _(mnv_err_str(MNV_ERR_NOMEM)));
        return TUI_STAY;
    }
    ms->entry = st->rows[st->lv.sel];
    return tui_push(app, &mark_ops, ms);
}

/* ---- the list's keys ------------------------------------------------------------------- */

static enum tui_next custody_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct custody_screen *st = stp;
    if (listview_handle(&st->lv, ev->action))
        return TUI_STAY;
    switch (ev->action) {
    case TA_MARK:
        return open_mark(app, st);
    case TA_INCIDENT_NEW:
        return st->n ? scr_incident_new_push(app, INCIDENT_EXPORT, st->rows[st->lv.sel].id)
                     : TUI_STAY;
    case TA_TOGGLE:
        st->outstanding_only = !st->outstanding_only;
        load(app, st);
        return TUI_STAY;
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void custody_resume(struct app *app, void *stp)
{
    struct custody_screen *st = stp;
    if (st->data_version != app->data_version)
        load(app, st);
}

static void custody_release(void *stp)
{
    struct custody_screen *st = stp;
    free(st->rows);
    free(st);
}

#define CUSTODY_OPS(var, keyset)                                                                   \
    static const struct screen_ops var = {                                                         \
        .name = "custody",                                                                         \
        .keys = keyset,                                                                            \
        .heading = custody_heading,                                                                \
        .draw = custody_draw,                                                                      \
        .handle = custody_handle,                                                                  \
        .resume = custody_resume,                                                                  \
        .release = custody_release,                                                                \
    }
CUSTODY_OPS(custody_ops, custody_keys);
CUSTODY_OPS(custody_ops_read, custody_keys_read);

enum tui_next scr_custody_push(struct app *app)
{
    int role = session_role(tui_link(app)->session);
    if (!access_allowed(role, ACT_CUSTODY_READ)) {
        tui_message(app, 1, "%s", _(mnv_err_str(MNV_ERR_DENIED)));
        return TUI_STAY;
    }
    struct custody_screen *st = calloc(1, sizeof(*st));
    if (!st) {
        tui_message(app, 1, "%s", _(mnv_err_str(MNV_ERR_NOMEM)));
        return TUI_STAY;
    }
    load(app, st);
    return tui_push(app, access_allowed(role, ACT_CUSTODY_MARK) ? &custody_ops : &custody_ops_read,
                    st);
}
