/*
 * scr_notify.c: from the employee detail screen, the dialog that records a purpose of use
 * notified to the person later (n): a new notification with its own date, refused when the
 * way the number was collected does not allow that purpose (collect_notify_purpose); and the
 * detail screen's verification line for a person (the day, the documents, who checked).
 */
#include "screens.h"

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
#include "mnvault/collect.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/purpose.h"
#include "mnvault/session.h"
#include "mnvault/wareki.h"

#define MAX_LIST 40

static const char *L(const char *ja, const char *en)
{
    return i18n_is_japanese() ? ja : en;
}

static void today(char out[11])
{
    char buf[32];
    clock_format_local(buf, sizeof(buf), clock_now());
    snprintf(out, 11, "%.10s", buf);
}

/* ---- a purpose notified later ---------------------------------------------------------------- */

struct notify_state {
    struct person_ref ref;
    char who[200];
    int items[MAX_LIST], n;
    struct listview lv;
    struct field date;
    int focus;
    char msg[400];
};

static const struct keydef notify_keys[] = {{0, 0, TA_NONE}};

static const char *notify_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    (void)right;
    (void)rsize;
    struct notify_state *ns = stp;
    static char title[300];
    snprintf(title, sizeof(title), _("Purpose notified later: %s"), ns->who);
    return title;
}

static void notify_draw(struct app *app, void *stp, WINDOW *w)
{
    struct notify_state *ns = stp;
    const struct purpose_catalog *cat = session_purposes(tui_session(app));
    int cols = getmaxx(w);
    tui_put(w, 1, 2, _("Purpose newly notified to the person:"), cols - 4, 0);
    for (int i = 0; i < ns->n && i < 10; i++) {
        char text[300];
        snprintf(text, sizeof(text), "%s %s", i == ns->lv.sel ? ">" : " ",
                 tui_purpose_name(app, cat->items[ns->items[i]].code));
        if (i == ns->lv.sel && ns->focus == 0)
            tui_style_on(w, ST_SELECTED);
        tui_put(w, 2 + i, 2, text, cols - 4, 1);
        if (i == ns->lv.sel && ns->focus == 0)
            tui_style_off(w, ST_SELECTED);
    }
    int y = 3 + (ns->n < 10 ? ns->n : 10);
    tui_style_on(w, ST_HEADER);
    tui_put(w, y, 2, _("Notified or stated on"), 16, 1);
    tui_style_off(w, ST_HEADER);
    field_draw(&ns->date, w, y, 19, 14, ns->focus == 1, ns->focus == 1 ? &app->cursor_y : NULL,
               ns->focus == 1 ? &app->cursor_x : NULL);
    if (ns->msg[0]) {
        tui_style_on(w, ST_ERROR);
        char text[420];
        snprintf(text, sizeof(text), "! %s", ns->msg);
        tui_put_wrapped(w, y + 2, 2, text, cols - 4, 2);
        tui_style_off(w, ST_ERROR);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, y + 5, 2, _("↑↓: purpose   Tab: the date   Enter: record   Esc: cancel"), cols - 4,
            0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next notify_record(struct app *app, struct notify_state *ns)
{
    const struct purpose_catalog *cat = session_purposes(tui_session(app));
    char iso[11];
    enum mnv_err date_err = wareki_parse(ns->date.buf, iso);
    if (date_err != MNV_OK) {
        snprintf(ns->msg, sizeof(ns->msg), "%s", _(mnv_err_str(date_err)));
        return TUI_STAY;
    }
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    const char *code = cat->items[ns->items[ns->lv.sel]].code;
    enum mnv_err err = collect_notify_purpose(tui_session(app), &ns->ref, code, iso, &diag);
    if (err != MNV_OK) {
        tui_error_text(ns->msg, sizeof(ns->msg), err, &diag);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    tui_message(app, 0, _("Recorded: %s, notified on %s."), tui_purpose_name(app, code), iso);
    return TUI_POP;
}

static enum tui_next notify_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct notify_state *ns = stp;
    if (ns->focus == 1 && ev->action != TA_OPEN && ev->action != TA_NEXT_FIELD &&
        ev->action != TA_PREV_FIELD && ev->action != TA_BACK && field_handle(&ns->date, ev))
        return TUI_STAY;
    switch (ev->action) {
    case TA_UP:
    case TA_DOWN:
        if (ns->focus == 0)
            listview_handle(&ns->lv, ev->action);
        return TUI_STAY;
    case TA_NEXT_FIELD:
    case TA_PREV_FIELD:
        ns->focus = !ns->focus;
        return TUI_STAY;
    case TA_OPEN:
        return notify_record(app, ns);
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void notify_release(void *stp)
{
    struct notify_state *ns = stp;
    field_release(&ns->date);
    free(ns);
}

static const struct screen_ops notify_ops = {
    .name = "notify",
    .keys = notify_keys,
    .heading = notify_heading,
    .draw = notify_draw,
    .handle = notify_handle,
    .release = notify_release,
};

enum tui_next scr_notify_push(struct app *app, const struct person_ref *ref, const char *who,
                              const struct number_info *info)
{
    struct session *s = tui_session(app);
    if (!tui_may(app, ACT_PURPOSE_NOTIFY))
        return TUI_STAY;
    if (info->status != NUMBER_REGISTERED)
        return tui_fail(app, MNV_ERR_NUMBER_NONE);
    const struct purpose_catalog *cat = session_purposes(s);
    struct notify_state *ns = calloc(1, sizeof(*ns));
    if (!ns || field_init(&ns->date, 40, 0) != 0) {
        free(ns);
        return TUI_STAY;
    }
    ns->ref = *ref;
    snprintf(ns->who, sizeof(ns->who), "%s", who);
    for (size_t i = 0; cat && i < cat->count && ns->n < MAX_LIST; i++) {
        int have = 0;
        for (size_t k = 0; k < info->n_purposes; k++)
            have |= strcmp(info->purposes[k].code, cat->items[i].code) == 0;
        if (!have)
            ns->items[ns->n++] = (int)i;
    }
    if (ns->n == 0) {
        notify_release(ns);
        tui_message(app, 0, "%s", _("Every purpose of use is already notified for this number."));
        return TUI_STAY;
    }
    ns->date.accept = field_accept_date;
    char day[11];
    today(day);
    field_set(&ns->date, day);
    listview_fit(&ns->lv, 10);
    listview_set_count(&ns->lv, ns->n);
    return tui_push(app, &notify_ops, ns);
}

/* ---- the verification line of the detail screen --------------------------------------------- */

void tui_verification_text(struct app *app, const struct person_ref *ref, char *buf, size_t size)
{
    struct collect_rec rec;
    const struct idrules *rules = NULL;
    buf[0] = '\0';
    if (collect_current(tui_session(app), ref, &rec, NULL) != MNV_OK) {
        struct number_info info;
        if (people_number_info(tui_session(app), ref, &info, NULL) == MNV_OK &&
            info.status == NUMBER_REGISTERED)
            snprintf(buf, size, "%s", _("ID check: not recorded"));
        return;
    }
    if (collect_rules(&rules, NULL) != MNV_OK)
        rules = NULL;
    size_t o = (size_t)snprintf(buf, size, _("ID check: %s"), rec.verified_on);
    if (rec.known_in_person && o < size)
        o += (size_t)snprintf(buf + o, size - o, " %s", _("obviously not someone else"));
    for (size_t i = 0, shown = 0; i < rec.ndocs && o < size; i++) {
        int seen = 0; /* one card can serve two checks: name it once */
        for (size_t j = 0; j < i; j++)
            seen |= strcmp(rec.docs[j].doc, rec.docs[i].doc) == 0;
        if (seen)
            continue;
        const struct id_doc_def *d = rules ? idrules_doc(rules, rec.docs[i].doc) : NULL;
        o += (size_t)snprintf(buf + o, size - o, "%s%s", shown++ ? "・" : " ",
                              d ? L(d->name_ja, d->name_en) : rec.docs[i].doc);
    }
    if (o < size)
        snprintf(buf + o, size - o, " (%s)", rec.verified_by);
}
