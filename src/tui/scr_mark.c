/*
 * scr_mark.c: from the employee record, the two small dialogs that mark a person: that they
 * refused to give the My Number (x: 提供拒否, with the day it was asked for and refused and
 * the reason in their words; people_number_refused) and that a dependant left the
 * employee's 扶養 (l: the day, or an empty day to make them a dependant again;
 * people_dependent_end). Each is one transaction with its audit entry; Esc leaves nothing.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "field.h"
#include "keys.h"
#include "phrases.h"

#include "mnvault/access.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/session.h"
#include "mnvault/wareki.h"

enum mark_kind { MARK_REFUSED, MARK_LEFT };

struct mark_state {
    enum mark_kind kind;
    struct person_ref ref;
    char who[200];
    struct field date, reason;
    int focus; /* 0: the day, 1: the reason */
    char msg[400];
};

static const struct keydef mark_keys[] = {{0, 0, TA_NONE}};

static const char *mark_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    (void)right;
    (void)rsize;
    struct mark_state *ms = stp;
    static char title[300];
    snprintf(title, sizeof(title),
             ms->kind == MARK_REFUSED ? _("Refused to give the My Number: %s")
                                      : _("Left the employee's 扶養: %s"),
             ms->who);
    return title;
}

static void label(WINDOW *w, int y, const char *text)
{
    tui_style_on(w, ST_HEADER);
    tui_put(w, y, 2, text, 24, 1);
    tui_style_off(w, ST_HEADER);
}

static void mark_draw(struct app *app, void *stp, WINDOW *w)
{
    struct mark_state *ms = stp;
    int cols = getmaxx(w), y = 1;
    const char *intro =
        ms->kind == MARK_REFUSED
            ? _("The person was asked for the My Number and declined. The refusal is kept with "
                "its day and reason, shown on the record, as 提供拒否 in lists and to the "
                "filings, until a number is collected (F2).")
            : _("The dependant is no longer in the employee's 扶養 from this day. The number "
                "is kept until its retention ends (r: why). Leave the day empty to make them a "
                "dependant again.");
    y += tui_put_wrapped(w, y, 2, intro, cols - 4, 3) + 1;
    label(w, y, ms->kind == MARK_REFUSED ? _("Day asked and refused") : _("Day they left"));
    field_draw(&ms->date, w, y, 27, 16, ms->focus == 0, ms->focus == 0 ? &app->cursor_y : NULL,
               ms->focus == 0 ? &app->cursor_x : NULL);
    if (ms->kind == MARK_REFUSED) {
        y += 2;
        label(w, y, _("Reason, in their words"));
        field_draw(&ms->reason, w, y, 27, cols - 29, ms->focus == 1,
                   ms->focus == 1 ? &app->cursor_y : NULL, ms->focus == 1 ? &app->cursor_x : NULL);
    }
    y += 2;
    if (ms->msg[0]) {
        char text[420];
        snprintf(text, sizeof(text), "! %s", ms->msg);
        tui_style_on(w, ST_ERROR);
        y += tui_put_wrapped(w, y, 2, text, cols - 4, 2);
        tui_style_off(w, ST_ERROR);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, y + 1, 2,
            ms->kind == MARK_REFUSED ? _("Tab: next field   Enter: record   Esc: cancel")
                                     : _("Enter: record   Esc: cancel"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* The service's words for err, with the field it is about. */
static void say_error(struct mark_state *ms, enum mnv_err err, const struct mnv_diag *diag)
{
    char text[300];
    tui_error_text(text, sizeof(text), err, diag);
    const char *field = !strcmp(diag->item, "reason") ? _("Reason")
                        : diag->item[0]               ? _("Day")
                                                      : NULL;
    if (field)
        snprintf(ms->msg, sizeof(ms->msg), "%s: %s", field, text);
    else
        snprintf(ms->msg, sizeof(ms->msg), "%s", text);
    ms->focus = !strcmp(diag->item, "reason") ? 1 : diag->item[0] ? 0 : ms->focus;
}

static enum tui_next mark_record(struct app *app, struct mark_state *ms)
{
    char iso[11] = "";
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    if (ms->kind == MARK_REFUSED || ms->date.buf[0]) {
        enum mnv_err date_err = wareki_parse(ms->date.buf, iso);
        if (date_err != MNV_OK) {
            mnv_diag_item(&diag, "day");
            say_error(ms, date_err, &diag);
            return TUI_STAY;
        }
    }
    struct session *s = tui_session(app);
    enum mnv_err err = ms->kind == MARK_REFUSED
                           ? people_number_refused(s, &ms->ref, iso, ms->reason.buf, &diag)
                           : people_dependent_end(s, ms->ref.id, iso, &diag);
    if (err != MNV_OK) {
        say_error(ms, err, &diag);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    if (ms->kind == MARK_REFUSED)
        tui_message(app, 0, _("Recorded: %s refused to give the My Number on %s."), ms->who, iso);
    else if (iso[0])
        tui_message(app, 0, _("Recorded: %s left the 扶養 on %s."), ms->who, iso);
    else
        tui_message(app, 0, _("Recorded: %s is a dependant again."), ms->who);
    return TUI_POP;
}

static enum tui_next mark_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct mark_state *ms = stp;
    struct field *f = ms->focus == 0 ? &ms->date : &ms->reason;
    if (ev->action != TA_OPEN && ev->action != TA_NEXT_FIELD && ev->action != TA_PREV_FIELD &&
        ev->action != TA_BACK && ev->action != TA_UP && ev->action != TA_DOWN &&
        field_handle(f, ev))
        return TUI_STAY;
    switch (ev->action) {
    case TA_NEXT_FIELD:
    case TA_PREV_FIELD:
    case TA_UP:
    case TA_DOWN:
        if (ms->kind == MARK_REFUSED)
            ms->focus = !ms->focus;
        return TUI_STAY;
    case TA_OPEN:
        return mark_record(app, ms);
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static int mark_unsaved(struct app *app, void *stp)
{
    (void)app;
    struct mark_state *ms = stp;
    return ms->date.changed || ms->reason.changed;
}

static void mark_release(void *stp)
{
    struct mark_state *ms = stp;
    field_release(&ms->date);
    field_release(&ms->reason);
    free(ms);
}

static const struct screen_ops mark_ops = {
    .name = "mark",
    .keys = mark_keys,
    .heading = mark_heading,
    .draw = mark_draw,
    .handle = mark_handle,
    .unsaved = mark_unsaved,
    .release = mark_release,
};

static enum tui_next push(struct app *app, enum mark_kind kind, const struct person_ref *ref,
                          const char *who, const char *day, const char *reason)
{
    struct mark_state *ms = calloc(1, sizeof(*ms));
    if (!ms || field_init(&ms->date, 40, 0) != 0 ||
        field_init(&ms->reason, PERSON_REASON_MAX + 1, 0) != 0) {
        if (ms)
            mark_release(ms);
        return tui_fail(app, MNV_ERR_NOMEM);
    }
    ms->kind = kind;
    ms->ref = *ref;
    snprintf(ms->who, sizeof(ms->who), "%s", who);
    ms->date.accept = field_accept_date;
    field_set(&ms->date, day);
    field_set(&ms->reason, reason);
    ms->date.changed = ms->reason.changed = 0;
    return tui_push(app, &mark_ops, ms);
}

enum tui_next scr_refused_push(struct app *app, const struct person_ref *ref, const char *who,
                               const struct number_info *info)
{
    if (!tui_may(app, ACT_NUMBER_STORE))
        return TUI_STAY;
    if (info->status == NUMBER_REGISTERED || info->status == NUMBER_DISPOSED)
        return tui_fail(app, info->status == NUMBER_REGISTERED ? MNV_ERR_REFUSAL_HAS_NUMBER
                                                               : MNV_ERR_NUMBER_STATE);
    /* Recorded before (asked again, refused again): start from what is recorded. */
    char day[32];
    clock_format_local(day, sizeof(day), clock_now());
    day[10] = '\0';
    if (info->status == NUMBER_REFUSED)
        return push(app, MARK_REFUSED, ref, who, info->refused_on, info->refused_reason);
    return push(app, MARK_REFUSED, ref, who, day, "");
}

enum tui_next scr_left_push(struct app *app, const struct dependent *d)
{
    if (!tui_may(app, ACT_PERSON_EDIT))
        return TUI_STAY;
    char day[32];
    if (d->left_on[0]) {
        snprintf(day, sizeof(day), "%s", d->left_on);
    } else {
        clock_format_local(day, sizeof(day), clock_now());
        day[10] = '\0';
    }
    struct person_ref ref = {PERSON_DEPENDENT, d->id};
    return push(app, MARK_LEFT, &ref, d->name, day, "");
}
