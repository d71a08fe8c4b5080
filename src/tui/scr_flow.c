/*
 * scr_flow.c: the guided steps of the insurance events, and the checklist of the filings
 * they call for (insurance.h). From an employee's record, j starts a flow for the person
 * picked: for the employee a new hire (資格取得) or a leaver (資格喪失), for a dependant
 * joining or leaving 扶養. Step 1 picks the event; step 2 is the person's insurance facts,
 * limited to those the event needs, with the dates the record already knows filled in
 * (nothing is stored until F2 there); step 3 is the checklist: every filing the event calls
 * for, its legal deadline, whether it is filed, overdue or due, and the command that writes
 * it. From the dashboard, f shows the same checklist for everyone.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "keys.h"
#include "listview.h"
#include "phrases.h"
#include "mnvault/access.h"
#include "mnvault/caldate.h"
#include "mnvault/i18n.h"
#include "mnvault/insurance.h"
#include "mnvault/people.h"
#include "mnvault/session.h"

enum flow_kind { FLOW_HIRE, FLOW_LEAVE, FLOW_JOIN, FLOW_PART };

struct flow_state {
    long long employee_id; /* 0: the checklist of everyone */
    struct person_ref ref; /* the person the flow is about */
    char who[200];
    int stage; /* 0: pick the event; 1: the checklist */
    int kind;  /* enum flow_kind, once picked */
    struct listview lv;
    struct insurance_due *items;
    size_t n;
    char error[300];
};

static const char *const flow_names[] = {
    N_("New hire: 資格取得 of 健康保険・厚生年金保険 and 雇用保険"),
    N_("Leaving: 資格喪失 of 健康保険・厚生年金保険 and 雇用保険"),
    N_("Joins 扶養: becomes a 被扶養者 (被扶養者異動届, 第3号 for a spouse)"),
    N_("Leaves 扶養: is no longer a 被扶養者"),
};

/* The facts each flow asks for (scr_insurance.c's prefixes). */
static const char *const flow_facts[] = {
    "shaho.acquired_on shaho.acquire_kind shaho.seiri_no shaho.pay_cash shaho.pay_kind "
    "shaho.over70 shaho.short_time shaho.multi_office shaho.rehired shaho.card koyo.acquired_on "
    "koyo.acquire_kind koyo.cause koyo.wage_mode koyo.wage koyo.employment_type koyo.occupation "
    "koyo.route koyo.weekly_hours koyo.fixed_term koyo.contract_from koyo.contract_to koyo.renewal",
    "shaho.lost_on shaho.loss_cause shaho.left_on shaho.cards_returned shaho.cards_unreturned "
    "koyo.acquired_on koyo.left_on koyo.loss_cause koyo.separation_slip koyo.replacement",
    "fuyo.since fuyo.reason fuyo.reason_text fuyo.occupation fuyo.income fuyo.living fuyo.postal "
    "fuyo.address fuyo.category3 fuyo.pension_no fuyo.phone_kind fuyo.phone fuyo.card",
    "fuyo.until fuyo.end_reason fuyo.end_reason_text",
};

static const struct keydef flow_keys[] = {{KEY_F(6), 1, TA_EXPORT}, {0, 0, TA_NONE}};

/* Is this filing part of the flow (or, for the checklist of everyone, any)? */
static int in_flow(const struct flow_state *st, const struct insurance_due *d)
{
    const char *k = d->filing->key;
    if (!st->employee_id || st->stage == 0)
        return 1;
    switch (st->kind) {
    case FLOW_HIRE:
        return !strcmp(k, "shaho.acquired_on") || !strcmp(k, "koyo.acquired_on");
    case FLOW_LEAVE:
        return !strcmp(k, "shaho.lost_on") || !strcmp(k, "koyo.left_on");
    default:
        return d->dependent_id == st->ref.id &&
               !strcmp(k, st->kind == FLOW_JOIN ? "fuyo.since" : "fuyo.until");
    }
}

static void load(struct app *app, struct flow_state *st)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    free(st->items);
    st->items = NULL;
    st->n = 0;
    st->error[0] = '\0';
    enum mnv_err err = insurance_due_list(tui_session(app), st->employee_id, st->employee_id != 0,
                                          &st->items, &st->n, &diag);
    if (err != MNV_OK) {
        tui_error_text(st->error, sizeof(st->error), err, &diag);
        return;
    }
    size_t keep = 0;
    for (size_t i = 0; i < st->n; i++)
        if (in_flow(st, &st->items[i]))
            st->items[keep++] = st->items[i];
    st->n = keep;
    listview_set_count(&st->lv, (long)st->n);
}

static const char *flow_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct flow_state *st = stp;
    static char title[300];
    if (!st->employee_id) {
        snprintf(right, rsize, "%s", _("dashboard: f"));
        return _("Insurance filings due");
    }
    snprintf(right, rsize, st->stage ? _("step 3 of 3") : _("step 1 of 3"));
    snprintf(title, sizeof(title), _("Joining and leaving: %s"), st->who);
    return title;
}

static void draw_menu(struct flow_state *st, WINDOW *w)
{
    int first = st->ref.kind == PERSON_DEPENDENT ? FLOW_JOIN : FLOW_HIRE;
    tui_put(w, 1, 2, _("What happened? (Enter: the facts it needs, then the filings due)"),
            getmaxx(w) - 4, 0);
    for (int i = 0; i < 2; i++) {
        if (st->lv.sel == i)
            tui_style_on(w, ST_SELECTED);
        char line[300];
        snprintf(line, sizeof(line), "%d  %s", i + 1, _(flow_names[first + i]));
        tui_put(w, 3 + i, 2, line, getmaxx(w) - 4, 1);
        if (st->lv.sel == i)
            tui_style_off(w, ST_SELECTED);
    }
}

/* One filing in three lines: the state, deadline and filing; who and the event; the basis. */
static void draw_item(WINDOW *w, int y, const struct insurance_due *d, int selected)
{
    char line[600], who[300];
    const char *state = d->filed ? _("[x] filed") : d->overdue ? _("[!] OVERDUE") : _("[ ] due");
    snprintf(line, sizeof(line), "%s  %s %s  %s", state, _("by"), d->deadline, _(d->filing->title));
    tui_style_on(w, selected ? ST_SELECTED : d->overdue ? ST_ERROR : ST_NORMAL);
    tui_put(w, y, 1, line, getmaxx(w) - 2, 1);
    tui_style_off(w, selected ? ST_SELECTED : d->overdue ? ST_ERROR : ST_NORMAL);
    snprintf(who, sizeof(who), "%s %s%s%s", d->code, d->name, d->dependant[0] ? " / " : "",
             d->dependant);
    snprintf(line, sizeof(line), "      %s  %s %s  [%s]", who, _("event"), d->event_on,
             d->filing->form);
    tui_put(w, y + 1, 1, line, getmaxx(w) - 2, 0);
    snprintf(line, sizeof(line), "      %s", _(d->filing->basis));
    tui_style_on(w, ST_DIM);
    tui_put(w, y + 2, 1, line, getmaxx(w) - 2, 0);
    tui_style_off(w, ST_DIM);
}

static void flow_draw(struct app *app, void *stp, WINDOW *w)
{
    (void)app;
    struct flow_state *st = stp;
    int rows = getmaxy(w), cols = getmaxx(w);
    if (st->stage == 0) {
        draw_menu(st, w);
        return;
    }
    if (st->error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put(w, 1, 2, st->error, cols - 4, 0);
        tui_style_off(w, ST_ERROR);
        return;
    }
    if (st->n == 0)
        tui_put(w, 1, 2,
                st->employee_id ? _("No filing is due for this event: record its date first.")
                                : _("No insurance filing is due."),
                cols - 4, 0);
    int extra = st->employee_id && st->kind == FLOW_LEAVE ? 2 : 0;
    listview_fit(&st->lv, (rows - 4 - extra) / 3);
    for (long i = 0; i < st->lv.rows && st->lv.top + i < (long)st->n; i++)
        draw_item(w, 1 + 3 * (int)i, &st->items[st->lv.top + i], st->lv.top + i == st->lv.sel);
    if (extra) {
        tui_put(w, rows - 5, 2,
                _("Also: the 源泉徴収票 on leaving (export gensen --copy employee);"), cols - 4, 0);
        tui_put(w, rows - 4, 2,
                _("the numbers' retention counts from these days (r on the record)."), cols - 4, 0);
    }
    char cmd[300] = "";
    if (st->n) {
        const struct insurance_due *d = &st->items[st->lv.sel];
        snprintf(cmd, sizeof(cmd), "mnvault export %s --employee %s --from %s --out FILE",
                 d->filing->form, d->code, d->event_on);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 2, 2, cmd, cols - 4, 0);
    tui_put(w, rows - 1, 2,
            st->n ? _("Enter: the person's insurance facts   F6: write this filing   Esc: back")
                  : _("Esc: back"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* Step 2: the facts of the event, the dates the record knows put in (not yet saved). */
static enum tui_next start(struct app *app, struct flow_state *st)
{
    struct session *s = tui_session(app);
    struct employee e;
    struct insurance_change preset[5];
    size_t n = 0;
    char next[CALDATE_ISO_SIZE] = "";
    if (people_employee_get(s, st->employee_id, &e, NULL) != MNV_OK)
        return TUI_STAY;
    if (st->kind == FLOW_HIRE && e.hire_date[0]) {
        preset[n++] = (struct insurance_change){"shaho.acquired_on", e.hire_date};
        preset[n++] = (struct insurance_change){"koyo.acquired_on", e.hire_date};
    } else if (st->kind == FLOW_LEAVE && e.retire_date[0]) {
        int32_t d;
        if (caldate_parse(e.retire_date, &d) == 0)
            caldate_format(d + 1, next);
        preset[n++] = (struct insurance_change){"shaho.left_on", e.retire_date};
        preset[n++] = (struct insurance_change){"shaho.lost_on", next};
        preset[n++] = (struct insurance_change){"koyo.left_on", e.retire_date};
        /* 資格喪失届 of 雇用保険 asks for the acquisition too: the hire date, unless recorded */
        struct insurance_facts f;
        memset(&f, 0, sizeof(f));
        if (e.hire_date[0] && insurance_get(s, &st->ref, &f, NULL) == MNV_OK &&
            !insurance_value(&f, "koyo.acquired_on")[0])
            preset[n++] = (struct insurance_change){"koyo.acquired_on", e.hire_date};
        insurance_facts_free(&f);
    }
    struct dependent d;
    if (st->kind == FLOW_PART && st->ref.kind == PERSON_DEPENDENT &&
        people_dependent_get(s, st->ref.id, &d, NULL) == MNV_OK && d.left_on[0])
        preset[n++] = (struct insurance_change){"fuyo.until", d.left_on}; /* l on the record */
    st->stage = 1;
    st->lv.sel = st->lv.top = 0;
    return scr_insurance_push(app, &st->ref, st->who, flow_facts[st->kind], preset, n);
}

static enum tui_next flow_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct flow_state *st = stp;
    if (listview_handle(&st->lv, ev->action))
        return TUI_STAY;
    switch (ev->action) {
    case TA_OPEN:
        if (st->stage == 0) {
            st->kind = (st->ref.kind == PERSON_DEPENDENT ? FLOW_JOIN : FLOW_HIRE) + (int)st->lv.sel;
            return start(app, st);
        }
        if (st->n) {
            const struct insurance_due *d = &st->items[st->lv.sel];
            struct person_ref ref = {d->dependent_id ? PERSON_DEPENDENT : PERSON_EMPLOYEE,
                                     d->dependent_id ? d->dependent_id : d->employee_id};
            return scr_insurance_push(app, &ref, d->dependent_id ? d->dependant : d->name, NULL,
                                      NULL, 0);
        }
        return TUI_STAY;
    case TA_EXPORT:
        if (st->stage == 0 || !st->n)
            return scr_export_push(app);
        return scr_export_push_filing(app, st->items[st->lv.sel].filing->form,
                                      st->items[st->lv.sel].event_on, st->items[st->lv.sel].code);
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void flow_resume(struct app *app, void *stp)
{
    struct flow_state *st = stp;
    if (st->stage)
        load(app, st);
}

static void flow_release(void *stp)
{
    struct flow_state *st = stp;
    free(st->items);
    free(st);
}

static const struct screen_ops flow_ops = {
    .name = "flow",
    .keys = flow_keys,
    .heading = flow_heading,
    .draw = flow_draw,
    .handle = flow_handle,
    .resume = flow_resume,
    .release = flow_release,
};

enum tui_next scr_flow_push(struct app *app, long long employee_id, const struct person_ref *ref,
                            const char *who)
{
    struct flow_state *st = tui_screen_new(app, ACT_INSURANCE_VIEW, sizeof(*st));
    if (!st)
        return TUI_STAY;
    st->employee_id = employee_id;
    if (ref)
        st->ref = *ref;
    snprintf(st->who, sizeof(st->who), "%s", who ? who : "");
    st->stage = employee_id ? 0 : 1;
    if (st->stage)
        load(app, st);
    else
        listview_set_count(&st->lv, 2);
    return tui_push(app, &flow_ops, st);
}
