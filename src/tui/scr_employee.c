/*
 * scr_employee.c: one employee: the record, the number's status (masked), the purposes
 * notified with their dates, and the dependents with their numbers' status. Up/Down picks
 * the employee or a dependent; F5 reveals the picked person's number for a notified
 * purpose and a reason (roles that may reveal only). A revealed number stays for
 * reveal_seconds, then masks itself; leaving the screen, a lock or quitting masks it at
 * once and wipes it from memory.
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
#include "mnvault/collect.h"
#include "mnvault/i18n.h"
#include "mnvault/insurance.h"
#include "mnvault/payroll.h"
#include "mnvault/people.h"
#include "mnvault/retention.h"
#include "mnvault/reveal.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/wareki.h"

#define MAX_DEPS 32

struct revealed {
    char text[MYNUMBER_FORMAT_SIZE]; /* "1234 5678 9018": lives inside the secmem state */
    long long until_ms;              /* 0 when nothing is revealed */
    int who;                         /* 0 = the employee, 1.. = dependent index + 1 */
};

struct employee_state {
    long long id;
    struct employee emp;
    struct dependent deps[MAX_DEPS];
    size_t ndeps;
    struct number_info info[1 + MAX_DEPS]; /* [0] the employee, [1+i] dependent i */
    char verified[1 + MAX_DEPS][300];      /* the verification line of each (scr_notify.c) */
    char checked_on[1 + MAX_DEPS][11];     /* the day of that verification; "" */
    char masked[1 + MAX_DEPS][MYNUMBER_FORMAT_SIZE]; /* as [display] mask says */
    char figures[300];   /* the newest year-end figures in one line; "" when none or not allowed */
    char insurance[300]; /* the insurance facts in one line; "" when not allowed */
    int sel;             /* 0 = employee, 1.. = dependent */
    struct retention_rules rules;    /* loaded once */
    struct retention_household keep; /* retention of the household's numbers */
    char keep_error[300];            /* why keep is missing; "" */
    char error[300];
    int loaded;
    struct revealed *rev; /* secmem */
};

static const struct keydef keys_reveal[] = {
    {KEY_F(2), 1, TA_COLLECT}, {KEY_F(4), 1, TA_EDIT},    {KEY_F(5), 1, TA_REVEAL},
    {KEY_F(6), 1, TA_EXPORT},  {KEY_F(7), 1, TA_DISPOSE}, {'a', 0, TA_DEPENDENT_ADD},
    {'n', 0, TA_NOTIFY},       {'p', 0, TA_PAYROLL},      {'r', 0, TA_RETENTION},
    {'i', 0, TA_INSURANCE},    {'x', 0, TA_REFUSED},      {'l', 0, TA_LEFT},
    {'j', 0, TA_FLOW},         {0, 0, TA_NONE},
};
static const struct keydef keys_plain[] = {
    {KEY_F(2), 1, TA_COLLECT}, {KEY_F(4), 1, TA_EDIT},     {KEY_F(6), 1, TA_EXPORT},
    {KEY_F(7), 1, TA_DISPOSE}, {'a', 0, TA_DEPENDENT_ADD}, {'n', 0, TA_NOTIFY},
    {'p', 0, TA_PAYROLL},      {'r', 0, TA_RETENTION},     {'i', 0, TA_INSURANCE},
    {'x', 0, TA_REFUSED},      {'l', 0, TA_LEFT},          {'j', 0, TA_FLOW},
    {0, 0, TA_NONE},
};
static const struct keydef keys_view[] = {
    {KEY_F(6), 1, TA_EXPORT}, {KEY_F(7), 1, TA_DISPOSE}, {'r', 0, TA_RETENTION}, {0, 0, TA_NONE}};

static void mask_now(struct employee_state *st)
{
    if (st->rev && st->rev->until_ms) {
        secmem_wipe(st->rev->text, sizeof(st->rev->text));
        st->rev->until_ms = 0;
    }
}

/* The household's retention; a failure is shown in its line, not over the record. */
static void load_keep(struct session *s, struct employee_state *st)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    retention_household_free(&st->keep);
    st->keep_error[0] = '\0';
    enum mnv_err err = MNV_OK;
    if (!st->rules.docs)
        err = retention_rules_load(NULL, session_purposes(s), &st->rules, &diag);
    if (err == MNV_OK)
        err = retention_explain_id(s, &st->rules, st->id, &st->keep, &diag);
    if (err != MNV_OK)
        tui_error_text(st->keep_error, sizeof(st->keep_error), err, &diag);
}

/* "2025  支払金額 6,987,000  源泉徴収税額 143,400" from the newest figures stored. */
static void figures_line(struct session *s, struct employee_state *st)
{
    struct payroll_row_info years[1];
    size_t n = 0;
    struct payroll_figures f;
    st->figures[0] = '\0';
    if (!access_allowed(session_role(s), ACT_PAYROLL_VIEW) ||
        payroll_years(s, st->id, years, 1, &n, NULL) != MNV_OK || n == 0 ||
        payroll_get(s, st->id, years[0].year, &f, NULL) != MNV_OK)
        return;
    char pay[32] = "", tax[32] = "";
    int word;
    const struct payroll_column *c;
    for (size_t i = 0; (c = payroll_column_at(i)) != NULL; i++) {
        if (strcmp(c->en, "payment") == 0)
            (void)payroll_shown_at(&f, i, pay, sizeof(pay), &word);
        if (strcmp(c->en, "tax") == 0)
            (void)payroll_shown_at(&f, i, tax, sizeof(tax), &word);
    }
    snprintf(st->figures, sizeof(st->figures), _("%d  payment %s  tax %s  (p: all figures)"),
             f.year, pay[0] ? pay : "—", tax[0] ? tax : "—");
    payroll_figures_free(&f);
}

/* "健保・厚年 2025-04-01 取得  雇用保険 2025-04-01 取得  (i: 保険の事実)" from the facts. */
static void insurance_line(struct session *s, struct employee_state *st)
{
    struct insurance_facts f;
    struct person_ref ref = {PERSON_EMPLOYEE, st->id};
    st->insurance[0] = '\0';
    if (!access_allowed(session_role(s), ACT_INSURANCE_VIEW) ||
        insurance_get(s, &ref, &f, NULL) != MNV_OK)
        return;
    const char *sa = insurance_value(&f, "shaho.acquired_on"),
               *sl = insurance_value(&f, "shaho.lost_on");
    const char *ka = insurance_value(&f, "koyo.acquired_on"),
               *kl = insurance_value(&f, "koyo.left_on");
    char a[120], b[120];
    if (sl[0])
        snprintf(a, sizeof(a), _("Health/pension lost %s"), sl);
    else if (sa[0])
        snprintf(a, sizeof(a), _("Health/pension from %s"), sa);
    else
        snprintf(a, sizeof(a), "%s", _("Health/pension —"));
    if (kl[0])
        snprintf(b, sizeof(b), _("Empl. ins. left %s"), kl);
    else if (ka[0])
        snprintf(b, sizeof(b), _("Empl. ins. from %s"), ka);
    else
        snprintf(b, sizeof(b), "%s", _("Empl. ins. —"));
    snprintf(st->insurance, sizeof(st->insurance), _("%s  %s  (i: all facts)"), a, b);
    insurance_facts_free(&f);
}

static void load(struct app *app, struct employee_state *st)
{
    struct session *s = tui_session(app);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    st->loaded = 0;
    enum mnv_err err = people_employee_get(s, st->id, &st->emp, &diag);
    struct dependent *deps = NULL;
    size_t n = 0;
    if (err == MNV_OK)
        err = people_dependents_of(s, st->id, &deps, &n, &diag);
    if (err != MNV_OK) {
        tui_error_text(st->error, sizeof(st->error), err, &diag);
        return;
    }
    st->ndeps = n > MAX_DEPS ? MAX_DEPS : n;
    memcpy(st->deps, deps, st->ndeps * sizeof(*deps));
    free(deps);
    for (size_t i = 0; i <= st->ndeps; i++) {
        struct person_ref ref = {i == 0 ? PERSON_EMPLOYEE : PERSON_DEPENDENT,
                                 i == 0 ? st->emp.id : st->deps[i - 1].id};
        if (people_number_info(s, &ref, &st->info[i], &diag) != MNV_OK)
            memset(&st->info[i], 0, sizeof(st->info[i]));
        tui_verification_text(app, &ref, st->verified[i], sizeof(st->verified[i]));
        struct collect_rec rec;
        snprintf(st->checked_on[i], sizeof(st->checked_on[i]), "%s",
                 collect_current(s, &ref, &rec, NULL) == MNV_OK ? rec.verified_on : "");
        if (st->info[i].status == NUMBER_REGISTERED &&
            reveal_masked(s, &ref, app->cfg->mask, st->masked[i], NULL) != MNV_OK)
            mynumber_format_masked(st->masked[i], MYNUMBER_INDIVIDUAL, MYNUMBER_MASK_NONE, NULL);
    }
    if (st->sel > (int)st->ndeps)
        st->sel = (int)st->ndeps;
    figures_line(s, st);
    insurance_line(s, st);
    st->loaded = 1;
    load_keep(s, st);
}

static const char *employee_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct employee_state *st = stp;
    static char title[200];
    (void)right;
    (void)rsize;
    if (!st->loaded)
        return _("Employee");
    snprintf(title, sizeof(title), "%s (%s)", st->emp.name, st->emp.code);
    return title;
}

static const char *sex_word(enum person_sex s)
{
    return s == SEX_MALE ? _("male") : s == SEX_FEMALE ? _("female") : "-";
}

static const char *relation_word(enum dependent_relation r)
{
    switch (r) {
    case REL_SPOUSE:
        return _("spouse");
    case REL_CHILD:
        return _("child");
    case REL_PARENT:
        return _("parent");
    default:
        return _("other");
    }
}

/* "1985-06-15 (昭和60年)" in Japanese, the plain date in English. */
static void date_text(char *buf, size_t size, const char *iso)
{
    char era[40];
    if (!iso[0])
        snprintf(buf, size, "—");
    else if (i18n_is_japanese() && wareki_format(era, sizeof(era), iso, 1))
        snprintf(buf, size, "%s (%s)", iso, era);
    else
        snprintf(buf, size, "%s", iso);
}

static void label(WINDOW *w, int y, int x, const char *text, int cells)
{
    tui_style_on(w, ST_HEADER);
    tui_put(w, y, x, text, cells, 1);
    tui_style_off(w, ST_HEADER);
}

/* The number line of person i: masked, or revealed with the seconds left. */
static void number_line(struct app *app, struct employee_state *st, WINDOW *w, int y, int x, int i,
                        int cells)
{
    const struct number_info *info = &st->info[i];
    char text[200];
    if (st->rev && st->rev->until_ms && st->rev->who == i) {
        long long left = (st->rev->until_ms - tui_now_ms() + 999) / 1000;
        tui_style_on(w, ST_REVEAL);
        int used = tui_put(w, y, x, st->rev->text, 14, 0);
        tui_style_off(w, ST_REVEAL);
        snprintf(text, sizeof(text), _("  %lld s left"), left);
        tui_put(w, y, x + used, text, cells - used, 0);
        return;
    }
    if (info->status == NUMBER_REGISTERED) {
        snprintf(text, sizeof(text), "%s  %s", st->masked[i], tui_number_status(info->status));
    } else if (info->status == NUMBER_REFUSED) {
        snprintf(text, sizeof(text), _("%s (on %s)"), tui_number_status(info->status),
                 info->refused_on);
    } else {
        snprintf(text, sizeof(text), "%s", tui_number_status(info->status));
    }
    (void)app;
    tui_put(w, y, x, text, cells, 0);
}

/* The purposes notified with their days, and how long after the identity check a purpose
 * came (dependants' numbers may be notified promptly afterwards: 個人情報保護法 第21条第1項);
 * for a refusal, its reason. */
static int purposes_line(struct app *app, const struct employee_state *st, int i, WINDOW *w, int y,
                         int x, int cells, int max_lines)
{
    const struct number_info *info = &st->info[i];
    char text[1200] = "";
    size_t used = 0;
    if (info->status == NUMBER_REFUSED) {
        snprintf(text, sizeof(text), _("Reason: %s"), info->refused_reason);
        return tui_put_wrapped(w, y, x, text, cells, max_lines);
    }
    for (size_t p = 0; p < info->n_purposes && used + 2 < sizeof(text); p++) {
        const char *name = tui_purpose_short_name(app, info->purposes[p].code);
        int after = collect_notice_days_after(st->checked_on[i], info->purposes[p].notified_on);
        char gap[64] = "";
        if (after > 0)
            snprintf(gap, sizeof(gap),
                     ngettext(", %d day after", ", %d days after", (unsigned long)after), after);
        used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s (%s%s)", p ? "  " : "",
                                 name, info->purposes[p].notified_on, gap);
    }
    return tui_put_wrapped(w, y, x, used ? text : "—", cells, max_lines);
}

static void employee_draw(struct app *app, void *stp, WINDOW *w)
{
    struct employee_state *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    char a[200], b[400];
    if (!st->loaded) {
        tui_style_on(w, ST_ERROR);
        tui_put(w, 1, 2, st->error, cols - 4, 0);
        tui_style_off(w, ST_ERROR);
        return;
    }
    const struct employee *e = &st->emp;
    int half = cols / 2;
    label(w, 0, 2, _("Reading"), 11);
    tui_put(w, 0, 14, e->kana, half - 15, 0);
    label(w, 0, half, _("Sex"), 6);
    tui_put(w, 0, half + 7, sex_word(e->sex), cols - half - 8, 0);
    label(w, 1, 2, _("Born"), 11);
    date_text(a, sizeof(a), e->birth_date);
    tui_put(w, 1, 14, a, cols - 16, 0);
    label(w, 2, 2, _("Address"), 11);
    snprintf(b, sizeof(b), "%s%s %s", e->postal_code[0] ? "〒" : "", e->postal_code, e->address);
    tui_put(w, 2, 14, b, cols - 16, 0);
    label(w, 3, 2, _("Hired"), 11);
    date_text(a, sizeof(a), e->hire_date);
    tui_put(w, 3, 14, a, half - 15, 0);
    label(w, 3, half, _("Retired on"), 10);
    date_text(a, sizeof(a), e->retire_date);
    tui_put(w, 3, half + 11, a, cols - half - 12, 0);
    label(w, 4, 2, _("Empl. ins."), 11);
    tui_put(w, 4, 14, e->emp_ins_no[0] ? e->emp_ins_no : "—", half - 15, 0);
    label(w, 4, half, _("Pension"), 10);
    tui_put(w, 4, half + 11, e->pension_no[0] ? e->pension_no : "—", cols - half - 12, 0);
    int y = 5;
    if (st->figures[0]) {
        label(w, y, 2, _("Figures"), 11);
        tui_put(w, y++, 14, st->figures, cols - 16, 0);
    }
    if (st->insurance[0]) {
        label(w, y, 2, _("Insurance"), 11);
        tui_put(w, y++, 14, st->insurance, cols - 16, 0);
    }

    /* How long the chosen person's number is kept (r: why), under the lines above. */
    int ky = y;
    struct person_ref ref = {st->sel == 0 ? PERSON_EMPLOYEE : PERSON_DEPENDENT,
                             st->sel == 0 ? e->id : st->deps[st->sel - 1].id};
    label(w, ky, 2, _("Retention"), 11);
    if (st->keep_error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put(w, ky, 14, st->keep_error, cols - 16, 0);
        tui_style_off(w, ST_ERROR);
    } else {
        tui_retention_text(&st->keep, &st->rules, &ref, b, sizeof(b));
        int used = tui_put(w, ky, 14, b[0] ? b : "—", cols - 28, 0);
        tui_style_on(w, ST_DIM);
        tui_put(w, ky, 15 + used, _("(r: why)"), cols - 16 - used, 0);
        tui_style_off(w, ST_DIM);
    }

    /* The people whose numbers this screen handles: the employee, then each dependent. */
    label(w, ky + 1, 2, _("My Number"), 11);
    label(w, ky + 1, 40, _("Purposes notified"), cols - 42);
    y = ky + 2;
    /* Two lines a person; lines left over let a long purposes line wrap (80 columns). */
    int spare = rows - 1 - y - 2 * ((int)st->ndeps + 1);
    for (int i = 0; i <= (int)st->ndeps && y < rows - 1; i++, y += 2) {
        int selected = st->sel == i;
        if (selected)
            tui_style_on(w, ST_SELECTED);
        if (i == 0)
            snprintf(a, sizeof(a), "%s %s", selected ? ">" : " ", e->name);
        else
            snprintf(a, sizeof(a), _("%s %s (%s, born %s)"), selected ? ">" : " ",
                     st->deps[i - 1].name, relation_word(st->deps[i - 1].relation),
                     st->deps[i - 1].birth_date);
        tui_put(w, y, 1, a, 38, 1);
        if (i > 0 && st->deps[i - 1].left_on[0]) {
            snprintf(b, sizeof(b), _("Left 扶養 %s  %s"), st->deps[i - 1].left_on, st->verified[i]);
            tui_put(w, y, 39, b, cols - 40, 1);
        } else {
            tui_put(w, y, 39, st->verified[i], cols - 40, 1);
        }
        if (selected)
            tui_style_off(w, ST_SELECTED);
        number_line(app, st, w, y + 1, 4, i, 34);
        int extra =
            purposes_line(app, st, i, w, y + 1, 40, cols - 41, 1 + (spare > 2 ? 2 : spare)) - 1;
        spare -= extra;
        y += extra;
    }
}

static int can_reveal(struct app *app)
{
    return access_allowed(session_role(tui_session(app)), ACT_NUMBER_REVEAL);
}

/* ---- The reveal dialog: a notified purpose and a reason. ---- */

struct reveal_state {
    struct employee_state *owner;
    int who;
    struct listview lv;
    struct field reason;
    char msg[300];
};

static const struct keydef reveal_keys[] = {{0, 0, TA_NONE}};

static const char *reveal_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    (void)right;
    (void)rsize;
    struct reveal_state *rs = stp;
    static char title[200];
    const char *name = rs->who == 0 ? rs->owner->emp.name : rs->owner->deps[rs->who - 1].name;
    snprintf(title, sizeof(title), _("Reveal the My Number of %s"), name);
    return title;
}

static void reveal_draw(struct app *app, void *stp, WINDOW *w)
{
    struct reveal_state *rs = stp;
    const struct number_info *info = &rs->owner->info[rs->who];
    int cols = getmaxx(w);
    tui_put(w, 1, 2, _("Purpose (only those notified to the person):"), cols - 4, 0);
    for (size_t i = 0; i < info->n_purposes && i < 10; i++) {
        int sel = (long)i == rs->lv.sel;
        char text[300];
        snprintf(text, sizeof(text), "%s %s (%s)", sel ? ">" : " ",
                 tui_purpose_name(app, info->purposes[i].code), info->purposes[i].notified_on);
        if (sel)
            tui_style_on(w, ST_SELECTED);
        tui_put(w, 2 + (int)i, 2, text, cols - 4, 1);
        if (sel)
            tui_style_off(w, ST_SELECTED);
    }
    int y = 3 + (int)(info->n_purposes < 10 ? info->n_purposes : 10);
    tui_put(w, y, 2, _("Reason"), 8, 1);
    mvwaddch(w, y, 10, '[');
    field_draw(&rs->reason, w, y, 11, cols - 14, 1, &app->cursor_y, &app->cursor_x);
    mvwaddch(w, y, cols - 3, ']');
    if (rs->msg[0]) {
        tui_style_on(w, ST_ERROR);
        char text[320];
        snprintf(text, sizeof(text), "! %s", rs->msg);
        tui_put(w, y + 2, 2, text, cols - 4, 0);
        tui_style_off(w, ST_ERROR);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, y + 4, 2, _("↑↓: purpose   Enter: reveal (recorded in the audit log)   Esc: cancel"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next do_reveal(struct app *app, struct reveal_state *rs)
{
    struct employee_state *st = rs->owner;
    const struct number_info *info = &st->info[rs->who];
    struct person_ref ref = {rs->who == 0 ? PERSON_EMPLOYEE : PERSON_DEPENDENT,
                             rs->who == 0 ? st->emp.id : st->deps[rs->who - 1].id};
    struct mynumber *n = secmem_alloc(sizeof(*n));
    if (!n) {
        snprintf(rs->msg, sizeof(rs->msg), "%s", _(mnv_err_str(MNV_ERR_NOMEM)));
        return TUI_STAY;
    }
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = reveal_number(tui_session(app), &ref, info->purposes[rs->lv.sel].code,
                                     rs->reason.buf, n, &diag);
    if (err != MNV_OK) {
        secmem_free(n);
        tui_error_text(rs->msg, sizeof(rs->msg), err, &diag);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    mask_now(st);
    mynumber_format_grouped(st->rev->text, n);
    mynumber_clear(n);
    secmem_free(n);
    st->rev->who = rs->who;
    st->rev->until_ms = tui_now_ms() + (long long)app->cfg->reveal_seconds * 1000;
    tui_message(app, 0, "%s", _("Revealed and recorded. It masks itself again shortly."));
    return TUI_POP;
}

static enum tui_next reveal_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct reveal_state *rs = stp;
    switch (ev->action) {
    case TA_UP:
    case TA_DOWN:
        listview_handle(&rs->lv, ev->action);
        return TUI_STAY;
    case TA_OPEN:
        return do_reveal(app, rs);
    case TA_BACK:
        return TUI_POP;
    default:
        if (field_handle(&rs->reason, ev))
            return TUI_STAY;
        return ev->action == TA_QUIT ? TUI_QUIT : TUI_STAY;
    }
}

static void reveal_release(void *stp)
{
    struct reveal_state *rs = stp;
    field_release(&rs->reason);
    free(rs);
}

static const struct screen_ops reveal_ops = {
    .name = "reveal",
    .keys = reveal_keys,
    .heading = reveal_heading,
    .draw = reveal_draw,
    .handle = reveal_handle,
    .release = reveal_release,
};

static enum tui_next open_reveal(struct app *app, struct employee_state *st)
{
    if (!can_reveal(app))
        return tui_fail(app, MNV_ERR_DENIED);
    const struct number_info *info = &st->info[st->sel];
    if (info->status != NUMBER_REGISTERED)
        return tui_fail(app, MNV_ERR_NUMBER_NONE);
    if (info->n_purposes == 0) {
        tui_message(app, 1, "%s",
                    _("No purpose of use was notified for this number, so it "
                      "cannot be used."));
        return TUI_STAY;
    }
    struct reveal_state *rs = calloc(1, sizeof(*rs));
    if (!rs || field_init(&rs->reason, REVEAL_REASON_MAX + 1, 0) != 0) {
        free(rs);
        return TUI_STAY;
    }
    rs->owner = st;
    rs->who = st->sel;
    listview_fit(&rs->lv, 10);
    listview_set_count(&rs->lv, (long)info->n_purposes);
    mask_now(st); /* one number on screen at a time */
    return tui_push(app, &reveal_ops, rs);
}

/* ---- The employee screen's handlers ---- */

static enum tui_next employee_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct employee_state *st = stp;
    if (!st->loaded)
        return ev->action == TA_QUIT ? TUI_QUIT : ev->action == TA_BACK ? TUI_POP : TUI_STAY;
    switch (ev->action) {
    case TA_UP:
        if (st->sel > 0)
            st->sel--;
        return TUI_STAY;
    case TA_DOWN:
        if (st->sel < (int)st->ndeps)
            st->sel++;
        return TUI_STAY;
    case TA_REVEAL:
        return open_reveal(app, st);
    case TA_EXPORT:
        mask_now(st);
        return scr_export_push(app);
    case TA_DISPOSE:
        mask_now(st);
        return scr_disposal_push(app);
    case TA_RETENTION: {
        struct person_ref ref = {st->sel == 0 ? PERSON_EMPLOYEE : PERSON_DEPENDENT,
                                 st->sel == 0 ? st->emp.id : st->deps[st->sel - 1].id};
        mask_now(st);
        return scr_retention_push(app, st->id, &ref);
    }
    case TA_COLLECT:
    case TA_NOTIFY: {
        struct person_ref ref = {st->sel == 0 ? PERSON_EMPLOYEE : PERSON_DEPENDENT,
                                 st->sel == 0 ? st->emp.id : st->deps[st->sel - 1].id};
        const char *who = st->sel == 0 ? st->emp.name : st->deps[st->sel - 1].name;
        mask_now(st);
        return ev->action == TA_COLLECT ? scr_collect_push(app, &ref, who)
                                        : scr_notify_push(app, &ref, who, &st->info[st->sel]);
    }
    case TA_EDIT:
    case TA_OPEN:
        if (!tui_may(app, ACT_PERSON_EDIT))
            return TUI_STAY;
        mask_now(st);
        if (st->sel == 0)
            return scr_edit_employee_push(app, st->id);
        return scr_edit_dependent_push(app, st->id, st->deps[st->sel - 1].id);
    case TA_PAYROLL:
        if (!tui_may(app, ACT_PAYROLL_VIEW))
            return TUI_STAY;
        mask_now(st);
        return scr_payroll_push(app, st->id, st->emp.name);
    case TA_REFUSED:
        mask_now(st);
        return scr_refused_push(
            app,
            &(struct person_ref){st->sel ? PERSON_DEPENDENT : PERSON_EMPLOYEE,
                                 st->sel ? st->deps[st->sel - 1].id : st->emp.id},
            st->sel ? st->deps[st->sel - 1].name : st->emp.name, &st->info[st->sel]);
    case TA_LEFT:
        if (st->sel == 0) {
            tui_message(app, 1, "%s",
                        _("Choose a dependant (↑↓): only a dependant leaves the 扶養."));
            return TUI_STAY;
        }
        mask_now(st);
        return scr_left_push(app, &st->deps[st->sel - 1]);
    case TA_INSURANCE: {
        if (!tui_may(app, ACT_INSURANCE_VIEW))
            return TUI_STAY;
        struct person_ref ref = {st->sel == 0 ? PERSON_EMPLOYEE : PERSON_DEPENDENT,
                                 st->sel == 0 ? st->emp.id : st->deps[st->sel - 1].id};
        mask_now(st);
        return scr_insurance_push(
            app, &ref, st->sel == 0 ? st->emp.name : st->deps[st->sel - 1].name, NULL, NULL, 0);
    }
    case TA_FLOW: {
        struct person_ref ref = {st->sel == 0 ? PERSON_EMPLOYEE : PERSON_DEPENDENT,
                                 st->sel == 0 ? st->emp.id : st->deps[st->sel - 1].id};
        mask_now(st);
        return scr_flow_push(app, st->id, &ref,
                             st->sel == 0 ? st->emp.name : st->deps[st->sel - 1].name);
    }
    case TA_DEPENDENT_ADD:
        if (!access_allowed(session_role(tui_session(app)), ACT_PERSON_EDIT))
            return TUI_STAY;
        mask_now(st);
        return scr_edit_dependent_push(app, st->id, 0);
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static int employee_tick(struct app *app, void *stp, long long now)
{
    (void)app;
    struct employee_state *st = stp;
    if (!st->rev || !st->rev->until_ms)
        return 0;
    if (now >= st->rev->until_ms) {
        mask_now(st);
        tui_clear_message(app);
    }
    return 1; /* the countdown changes every second */
}

static void employee_on_lock(struct app *app, void *stp)
{
    (void)app;
    mask_now(stp);
}

static void employee_resume(struct app *app, void *stp)
{
    load(app, stp);
}

static void employee_release(void *stp)
{
    struct employee_state *st = stp;
    mask_now(st);
    secmem_free(st->rev);
    retention_household_free(&st->keep);
    retention_rules_free(&st->rules);
    free(st);
}

#define EMPLOYEE_OPS(var, keyset)                                                                  \
    static const struct screen_ops var = {                                                         \
        .name = "employee",                                                                        \
        .keys = keyset,                                                                            \
        .heading = employee_heading,                                                               \
        .draw = employee_draw,                                                                     \
        .handle = employee_handle,                                                                 \
        .tick = employee_tick,                                                                     \
        .on_lock = employee_on_lock,                                                               \
        .resume = employee_resume,                                                                 \
        .release = employee_release,                                                               \
    }
EMPLOYEE_OPS(ops_reveal, keys_reveal);
EMPLOYEE_OPS(ops_plain, keys_plain);
EMPLOYEE_OPS(ops_view, keys_view);

enum tui_next scr_employee_push(struct app *app, long long id)
{
    struct employee_state *st = calloc(1, sizeof(*st));
    if (!st || !(st->rev = secmem_alloc(sizeof(*st->rev)))) {
        free(st);
        return tui_fail(app, MNV_ERR_NOMEM);
    }
    st->id = id;
    load(app, st);
    enum mnv_role role = session_role(tui_session(app));
    const struct screen_ops *ops = can_reveal(app)                         ? &ops_reveal
                                   : access_allowed(role, ACT_PERSON_EDIT) ? &ops_plain
                                                                           : &ops_view;
    return tui_push(app, ops, st);
}
