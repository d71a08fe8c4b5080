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
#include "formdlg.h"
#include "keys.h"
#include "listscreen.h"
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
    int outstanding_only;
    int filter_changed; /* o was pressed: load the list again */
};

static const struct keydef custody_keys[] = {
    {'m', 0, TA_MARK}, {'o', 0, TA_TOGGLE}, {'i', 0, TA_INCIDENT_NEW}, {0, 0, TA_NONE}};
static const struct keydef custody_keys_read[] = {{'o', 0, TA_TOGGLE}, {0, 0, TA_NONE}};

static long load(struct app *app, void *model, char *err, size_t errsize)
{
    struct custody_screen *st = model;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    free(st->rows);
    st->rows = NULL;
    st->n = 0;
    struct custody_filter f = {0};
    f.outstanding_only = st->outstanding_only;
    enum mnv_err e = custody_list(tui_session(app), &f, &st->rows, &st->n, &diag);
    if (e != MNV_OK) {
        tui_error_text(err, errsize, e, &diag);
        return -1;
    }
    return (long)st->n;
}

static const char *custody_heading(struct app *app, void *model, char *right, size_t rsize)
{
    (void)app;
    struct custody_screen *st = model;
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

static void custody_draw(struct app *app, void *model, const struct listview *lv, int first,
                         WINDOW *w)
{
    struct custody_screen *st = model;
    int cols = getmaxx(w), rows = getmaxy(w);
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
    if (!st->n) {
        tui_style_on(w, ST_DIM);
        tui_put(w, 2, 4, _("No file has been exported yet."), cols - 8, 0);
        tui_style_off(w, ST_DIM);
    }
    for (long i = lv->top; i < (long)st->n && i - lv->top < lv->rows; i++)
        draw_row(w, first + (int)(i - lv->top), cols, &st->rows[i], i == lv->sel);
    if (st->n)
        draw_detail(w, rows - 6, cols, &st->rows[lv->sel]);
    const char *hint = access_allowed(session_role(tui_session(app)), ACT_CUSTODY_MARK)
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

static enum tui_next mark_submit(struct app *app, struct formdlg *d, void *ud)
{
    const struct custody_entry *e = ud;
    enum custody_state to = mark_states[formdlg_choice(d, 0)];
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = custody_mark(tui_session(app), e->id, to, formdlg_text(d, 1), &diag);
    if (err != MNV_OK)
        return formdlg_fail(app, d, -1, err, &diag);
    app->data_version++;
    tui_message(app, 0, _("Entry %lld marked %s."), (long long)e->id, _(custody_state_label(to)));
    return TUI_POP;
}

static enum tui_next open_mark(struct app *app, const struct custody_entry *entry)
{
    struct custody_entry *e = malloc(sizeof(*e)); /* the dialog's: the list may load again */
    if (!e)
        return tui_fail(app, MNV_ERR_NOMEM);
    *e = *entry;
    static const char *states[MNV_ARRAY_LEN(mark_states) + 1]; /* the dialog keeps the pointer */
    for (size_t i = 0; i < MNV_ARRAY_LEN(mark_states); i++)
        states[i] = _(custody_state_label(mark_states[i]));
    char title[120], intro[600];
    snprintf(title, sizeof(title), _("Mark exported copy %lld"), (long long)e->id);
    snprintf(intro, sizeof(intro),
             _("%s %d, copy %s, to %s: %ld My Numbers. What happened to this copy?"), e->form,
             e->year, e->copy, _(form_destination_label(form_destination_parse(e->destination))),
             e->numbers);
    const struct formdlg_item items[] = {
        {.label = _("State"), .choices = states},
        {.label = _("Note"),
         .hint = _("(e.g. handed to the tax office; shredded)"),
         .cap = CUSTODY_NOTE_MAX + 1},
    };
    const struct formdlg_spec spec = {
        .name = "custody-mark",
        .title = title,
        .intro = intro,
        .enter = _("Enter: record"),
        .items = items,
        .n = 2,
        .focus = 1, /* the note: the state is changed with ←→ once it has the cursor */
        .submit = mark_submit,
        .ud = e,
        .ud_release = free,
    };
    return formdlg_push(app, &spec);
}

/* ---- the list's keys ------------------------------------------------------------------- */

static enum tui_next custody_act(struct app *app, void *model, long sel, const struct tui_event *ev)
{
    struct custody_screen *st = model;
    switch (ev->action) {
    case TA_MARK:
        return sel >= 0 ? open_mark(app, &st->rows[sel]) : TUI_STAY;
    case TA_INCIDENT_NEW:
        return sel >= 0 ? scr_incident_new_push(app, INCIDENT_EXPORT, st->rows[sel].id) : TUI_STAY;
    case TA_TOGGLE:
        st->outstanding_only = !st->outstanding_only;
        st->filter_changed = 1;
        return TUI_STAY;
    default:
        return TUI_STAY;
    }
}

static int custody_reload(void *model)
{
    struct custody_screen *st = model;
    int changed = st->filter_changed;
    st->filter_changed = 0;
    return changed;
}

static void custody_release(void *model)
{
    struct custody_screen *st = model;
    free(st->rows);
    free(st);
}

static const struct listscreen_def custody_def = {
    .name = "custody",
    .load = load,
    .heading = custody_heading,
    .draw = custody_draw,
    .act = custody_act,
    .release = custody_release,
    .reload = custody_reload,
    .first = 1,
    .below = 6,
};

enum tui_next scr_custody_push(struct app *app)
{
    int role = session_role(tui_session(app));
    struct custody_screen *st = tui_screen_new(app, ACT_CUSTODY_READ, sizeof(*st));
    if (!st)
        return TUI_STAY;
    return listscreen_push(
        app, &custody_def,
        access_allowed(role, ACT_CUSTODY_MARK) ? custody_keys : custody_keys_read, st);
}
