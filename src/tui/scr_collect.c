/*
 * scr_collect.c: the collection wizard's view (F2 on the employee detail screen) for the
 * employee or one of the dependents. The steps, the rules they ask and what is stored are
 * the model's (collectwiz.h); this screen only draws the model's state and turns keys into
 * its calls: the number typed twice into secret fields (drawn masked), how it was
 * collected, the documents one check at a time (only those the rules offer), the purposes,
 * a summary, store. PgUp goes back a step; Esc leaves without storing anything. The number
 * lives only in secmem and is wiped on Esc, on lock (the wizard then starts again at the
 * number) and on release. This file is the screen (keys, focus, lock, release); each step's
 * drawing and what its keys do are in scr_collect_steps.c (collect_steps.h). The dialog for
 * a purpose notified later and the detail screen's verification line are in scr_notify.c.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect_steps.h"
#include "draw.h"
#include "keys.h"
#include "phrases.h"
#include "mnvault/i18n.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"

static const struct keydef collect_keys[] = {
    {KEY_F(2), 1, TA_SAVE},
    {KEY_PPAGE, 1, TA_PREV_STEP},
    {KEY_NPAGE, 1, TA_NEXT_STEP},
    {' ', 0, TA_TOGGLE},
    {0, 0, TA_NONE},
};

static void wipe_number(struct collect_state *st)
{
    field_clear(&st->num1);
    field_clear(&st->num2);
    collectwiz_wipe_number(&st->w);
}

/* ---- the screen --------------------------------------------------------------------------- */

static const char *collect_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct collect_state *st = stp;
    static char title[300];
    static const char *const names[COLLECTWIZ__STEPS] = {N_("Number"), N_("How"), N_("Documents"),
                                                         N_("Purposes"), N_("Confirm")};
    snprintf(title, sizeof(title), _("Collect: %s"), st->who);
    size_t o = 0;
    for (int i = 0; i < COLLECTWIZ__STEPS && o < rsize; i++)
        o += (size_t)snprintf(right + o, rsize - o, "%s%s%d %s%s", i ? " › " : "",
                              i == (int)st->w.step ? "[" : "", i + 1, _(names[i]),
                              i == (int)st->w.step ? "]" : "");
    return title;
}

static void collect_draw(struct app *app, void *stp, WINDOW *w)
{
    struct collect_state *st = stp;
    int rows = getmaxy(w), cols = getmaxx(w);
    collectscr_draw_step(app, st, w, 1);
    if (st->msg[0]) {
        char text[620];
        snprintf(text, sizeof(text), "%s%s", st->msg_error ? "! " : "", st->msg);
        tui_style_on(w, st->msg_error ? ST_ERROR : ST_OK);
        tui_put_wrapped(w, rows - 2, 2, text, cols - 4, 2);
        tui_style_off(w, st->msg_error ? ST_ERROR : ST_OK);
    }
}

static struct field *focused_field(struct collect_state *st)
{
    switch (st->w.step) {
    case COLLECTWIZ_NUMBER:
        return st->focus == 0 ? &st->num1 : &st->num2;
    case COLLECTWIZ_METHOD:
        return st->focus == M_VERIFIER ? &st->verifier : st->focus == M_DATE ? &st->date : NULL;
    case COLLECTWIZ_DOCS:
        return st->focus == 1 ? &st->docref : NULL;
    case COLLECTWIZ_PURPOSES:
        return st->focus == 1 ? &st->notified : NULL;
    default:
        return NULL;
    }
}

/* Places the focus goes round: two fields or a list and a field; the method's five. */
static int focus_count(const struct collect_state *st)
{
    if (st->w.step == COLLECTWIZ_METHOD)
        return M__COUNT;
    return st->w.step == COLLECTWIZ_SUMMARY ? 1 : 2;
}

static void move_focus(struct collect_state *st, int delta)
{
    if (st->w.step == COLLECTWIZ_DOCS && st->focus == 1) {
        collectscr_store_ref(st);
        field_clear(&st->docref);
    }
    int n = focus_count(st);
    st->focus = (st->focus + delta + n) % n;
    if (st->w.step == COLLECTWIZ_METHOD && st->focus == M_KNOWN &&
        !collectwiz_known_allowed(&st->w))
        st->focus = (st->focus + delta + n) % n;
    if (st->w.step == COLLECTWIZ_DOCS && st->focus == 1) {
        if (!collectwiz_ref_allowed(&st->w, (size_t)st->lv.sel)) {
            st->focus = 0;
            collectscr_say(st, 0, _("Select a document whose own number may be noted first."));
        } else {
            collectscr_load_ref(st);
        }
    }
}

static void prev_step(struct collect_state *st)
{
    st->msg[0] = '\0';
    enum collectwiz_step was = st->w.step;
    collectwiz_back(&st->w);
    if (was == COLLECTWIZ_METHOD) {
        field_clear(&st->num1);
        field_clear(&st->num2);
    }
    if (st->w.step == COLLECTWIZ_DOCS)
        collectscr_list_reset(st, st->w.ndocs, 10);
    else
        st->focus = 0;
}

static int is_started(const struct collect_state *st)
{
    return collectwiz_started(&st->w) || st->num1.len || st->num2.len;
}

static int list_step(const struct collect_state *st)
{
    return (st->w.step == COLLECTWIZ_DOCS || st->w.step == COLLECTWIZ_PURPOSES) && st->focus == 0;
}

static enum tui_next collect_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct collect_state *st = stp;
    struct field *f = focused_field(st);
    st->msg[0] = '\0'; /* a message lasts until the next key */
    if (f && ev->action != TA_OPEN && ev->action != TA_NEXT_FIELD && ev->action != TA_PREV_FIELD &&
        ev->action != TA_BACK && ev->action != TA_SAVE && ev->action != TA_PREV_STEP &&
        ev->action != TA_NEXT_STEP && ev->action != TA_UP && ev->action != TA_DOWN &&
        field_handle(f, ev))
        return TUI_STAY;
    switch (ev->action) {
    case TA_BACK:
        if (is_started(st) &&
            !tui_confirm(app, _("Leave the collection? Nothing of it will be stored.")))
            return TUI_STAY;
        wipe_number(st);
        tui_message(app, 0, "%s", _("Collection cancelled; nothing was stored."));
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    case TA_NEXT_FIELD:
        move_focus(st, 1);
        return TUI_STAY;
    case TA_PREV_FIELD:
        move_focus(st, -1);
        return TUI_STAY;
    case TA_HOME:
    case TA_END:
        if (list_step(st))
            listview_handle(&st->lv, ev->action);
        return TUI_STAY;
    case TA_UP:
    case TA_DOWN:
        if (list_step(st))
            listview_handle(&st->lv, ev->action);
        else
            move_focus(st, ev->action == TA_DOWN ? 1 : -1);
        return TUI_STAY;
    case TA_TOGGLE:
        collectscr_toggle(st);
        return TUI_STAY;
    case TA_PREV_STEP:
        prev_step(st);
        return TUI_STAY;
    case TA_NEXT_STEP:
        return collectscr_next_step(app, st);
    case TA_SAVE:
        return st->w.step == COLLECTWIZ_SUMMARY ? collectscr_store(app, st) : TUI_STAY;
    case TA_OPEN:
        return collectscr_enter(app, st);
    default:
        return TUI_STAY;
    }
}

static void collect_on_lock(struct app *app, void *stp)
{
    (void)app;
    struct collect_state *st = stp;
    if (st->w.have_num || st->num1.len || st->num2.len) {
        wipe_number(st);
        st->focus = 0;
        collectscr_say(st, 1, _("The screen was locked, so the number was wiped: type it again."));
    }
}

static int collect_unsaved(struct app *app, void *stp)
{
    (void)app;
    return is_started(stp);
}

static void collect_release(void *stp)
{
    struct collect_state *st = stp;
    field_release(&st->num1);
    field_release(&st->num2);
    field_release(&st->verifier);
    field_release(&st->date);
    field_release(&st->docref);
    field_release(&st->notified);
    collectwiz_release(&st->w);
    secmem_wipe(st, sizeof(*st));
    free(st);
}

static const struct screen_ops collect_ops = {
    .name = "collect",
    .keys = collect_keys,
    .heading = collect_heading,
    .draw = collect_draw,
    .handle = collect_handle,
    .on_lock = collect_on_lock,
    .unsaved = collect_unsaved,
    .release = collect_release,
};

static int ref_accept(wchar_t ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static int init_fields(struct collect_state *st)
{
    if (field_init(&st->num1, 64, 1) || field_init(&st->num2, 64, 1) ||
        field_init(&st->verifier, COLLECT_VERIFIER_MAX + 1, 0) || field_init(&st->date, 40, 0) ||
        field_init(&st->docref, IDRULES_REF_MAX + 1, 0) || field_init(&st->notified, 40, 0))
        return -1;
    st->num1.accept = st->num2.accept = field_accept_digits;
    st->num1.max_chars = st->num2.max_chars = 20;
    st->date.accept = st->notified.accept = field_accept_date;
    st->docref.accept = ref_accept;
    st->docref.max_chars = IDRULES_REF_MAX;
    field_set(&st->verifier, st->w.req.verified_by);
    field_set(&st->date, st->w.req.verified_on);
    return 0;
}

enum tui_next scr_collect_push(struct app *app, const struct person_ref *ref, const char *who)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    char text[400];
    struct collect_state *st = calloc(1, sizeof(*st));
    enum mnv_err err = st ? collectwiz_init(&st->w, tui_session(app), ref, &diag) : MNV_ERR_NOMEM;
    if (err == MNV_OK && init_fields(st) != 0)
        err = MNV_ERR_NOMEM;
    if (err != MNV_OK) {
        if (st)
            collect_release(st);
        tui_message(app, 1, "%s", tui_error_text(text, sizeof(text), err, &diag));
        return TUI_STAY;
    }
    snprintf(st->who, sizeof(st->who), "%s", who);
    return tui_push(app, &collect_ops, st);
}
