/*
 * scr_insurance.c: the insurance facts of an employee or a dependant (insurance.h), opened
 * with i from the employee's record or by the guided flows. Every fact kept for the person
 * is a row under its group (健康保険・厚生年金保険, 雇用保険, 被扶養者); Enter edits the row
 * (text, dates typed in the Western or the Japanese era form, amounts), picks a choice from
 * a list or turns a mark on and off. F2 saves every change in one transaction (audited
 * with the names of the facts changed). Esc with unsaved changes asks first.
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
#include "mnvault/i18n.h"
#include "mnvault/insurance.h"
#include "mnvault/people.h"
#include "mnvault/secmem.h"
#include "mnvault/wareki.h"

#define ROWS_MAX (INSURANCE_FACTS_MAX + 4)

struct ins_row {
    const struct insurance_fact *fact; /* NULL: a group heading */
    char value[INSURANCE_VALUE_MAX + 1];
    char original[INSURANCE_VALUE_MAX + 1];
    char error[200];
};

struct ins_state {
    struct person_ref ref;
    char title[240];
    struct ins_row *rows; /* wiped on release */
    int nrows;
    struct listview lv;
    int editing; /* the row being typed into, or -1 */
    struct field input;
    char load_error[300];
};

static const struct keydef ins_keys[] = {
    {KEY_F(2), 1, TA_SAVE}, {19, 0, TA_SAVE}, {' ', 0, TA_TOGGLE}, {0, 0, TA_NONE}};

static int is_unsaved(const struct ins_state *st)
{
    for (int i = 0; i < st->nrows; i++)
        if (st->rows[i].fact && strcmp(st->rows[i].value, st->rows[i].original) != 0)
            return 1;
    return st->editing >= 0 && st->input.changed;
}

/* The value as shown: a choice's label, a mark, a date with its era in Japanese. */
static void shown(const struct ins_row *r, char *buf, size_t size)
{
    const struct insurance_fact *f = r->fact;
    char era[40];
    if (!r->value[0])
        snprintf(buf, size, "—");
    else if (f->kind == INS_CHOICE)
        snprintf(buf, size, "%s", _(insurance_choice_label(f, r->value)));
    else if (f->kind == INS_FLAG)
        snprintf(buf, size, "%s", _("yes"));
    else if (f->kind == INS_AMOUNT)
        tui_thousands(buf, size, atol(r->value));
    else if (f->kind == INS_DATE && i18n_is_japanese() &&
             wareki_format(era, sizeof(era), r->value, 0))
        snprintf(buf, size, "%s (%s)", r->value, era);
    else
        snprintf(buf, size, "%s", r->value);
}

static const char *ins_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct ins_state *st = stp;
    snprintf(right, rsize, "%s%s", is_unsaved(st) ? "* " : "", _("F2: save   Esc: back"));
    return st->title;
}

static void ins_draw(struct app *app, void *stp, WINDOW *w)
{
    struct ins_state *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    if (st->load_error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put(w, 1, 2, st->load_error, cols - 4, 0);
        tui_style_off(w, ST_ERROR);
        return;
    }
    int lx = 2, lw = cols > 100 ? 52 : 44, vx = lx + lw + 1, vw = cols - vx - 2;
    listview_fit(&st->lv, rows - 2);
    for (int r = 0; r < st->lv.rows && st->lv.top + r < st->nrows; r++) {
        int i = (int)st->lv.top + r;
        const struct ins_row *row = &st->rows[i];
        char text[400];
        if (!row->fact) {
            tui_rule(w, r, cols, _(insurance_group_label(row->value)), NULL);
            continue;
        }
        int sel = st->lv.sel == i, changed = strcmp(row->value, row->original) != 0;
        /* "*" before the label marks a change not saved yet */
        tui_put(w, r, lx - 1, changed ? "*" : " ", 1, 1);
        if (sel)
            tui_style_on(w, ST_SELECTED);
        snprintf(text, sizeof(text), "%s%s", sel ? "> " : "  ", _(row->fact->label));
        tui_put(w, r, lx, text, lw, 1);
        if (sel)
            tui_style_off(w, ST_SELECTED);
        if (st->editing == i) {
            field_draw(&st->input, w, r, vx, vw, 1, &app->cursor_y, &app->cursor_x);
            continue;
        }
        shown(row, text, sizeof(text));
        tui_put(w, r, vx, text, vw, 1);
    }
    const struct ins_row *cur = st->lv.sel < st->nrows ? &st->rows[st->lv.sel] : NULL;
    if (cur && cur->error[0]) {
        tui_style_on(w, ST_ERROR);
        char text[260];
        snprintf(text, sizeof(text), "! %s", cur->error);
        tui_put(w, rows - 1, 2, text, cols - 4, 1);
        tui_style_off(w, ST_ERROR);
        return;
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2,
            st->editing >= 0 ? _("Enter: keep   Esc: undo   Dates: 2025-04-01 or R7.4.1")
                             : _("↑↓: move   Enter: change   Space: mark/next choice   F2: save"),
            cols - 4, 1);
    tui_style_off(w, ST_DIM);
}

/* ---- choosing one of a fact's values ---- */

struct pick_state {
    struct ins_state *owner;
    int row;
    int n; /* choices; the last line is "none" */
    struct listview lv;
};

static const struct keydef pick_keys[] = {{0, 0, TA_NONE}};

static const char *pick_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    (void)right;
    (void)rsize;
    struct pick_state *ps = stp;
    return _(ps->owner->rows[ps->row].fact->label);
}

static void pick_draw(struct app *app, void *stp, WINDOW *w)
{
    (void)app;
    struct pick_state *ps = stp;
    const struct insurance_fact *f = ps->owner->rows[ps->row].fact;
    int cols = getmaxx(w);
    listview_fit(&ps->lv, getmaxy(w) - 2);
    for (int r = 0; r < ps->lv.rows && ps->lv.top + r <= ps->n; r++) {
        int i = (int)ps->lv.top + r, sel = ps->lv.sel == i;
        char text[300];
        snprintf(text, sizeof(text), "%s %s", sel ? ">" : " ",
                 i < ps->n ? _(f->choices[i].label) : _("— (not recorded)"));
        if (sel)
            tui_style_on(w, ST_SELECTED);
        tui_put(w, r + 1, 2, text, cols - 4, 1);
        if (sel)
            tui_style_off(w, ST_SELECTED);
    }
}

static enum tui_next pick_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    (void)app;
    struct pick_state *ps = stp;
    struct ins_row *row = &ps->owner->rows[ps->row];
    switch (ev->action) {
    case TA_OPEN:
        snprintf(row->value, sizeof(row->value), "%s",
                 ps->lv.sel < ps->n ? row->fact->choices[ps->lv.sel].word : "");
        row->error[0] = '\0';
        return TUI_POP;
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        listview_handle(&ps->lv, ev->action);
        return TUI_STAY;
    }
}

static const struct screen_ops pick_ops = {
    .name = "insurance-pick",
    .keys = pick_keys,
    .heading = pick_heading,
    .draw = pick_draw,
    .handle = pick_handle,
    .release = free,
};

static enum tui_next open_pick(struct app *app, struct ins_state *st, int row)
{
    struct pick_state *ps = calloc(1, sizeof(*ps));
    if (!ps)
        return TUI_STAY;
    ps->owner = st;
    ps->row = row;
    const struct insurance_fact *f = st->rows[row].fact;
    while (f->choices[ps->n].word)
        ps->n++;
    listview_set_count(&ps->lv, ps->n + 1);
    ps->lv.sel = ps->n;
    for (int i = 0; i < ps->n; i++)
        if (strcmp(f->choices[i].word, st->rows[row].value) == 0)
            ps->lv.sel = i;
    return tui_push(app, &pick_ops, ps);
}

/* ---- editing ---- */

static void next_choice(struct ins_row *r)
{
    const struct insurance_choice *c = r->fact->choices;
    int i = 0;
    while (c[i].word && strcmp(c[i].word, r->value) != 0)
        i++;
    /* from "none" to the first, from the last to "none" */
    const char *next = !r->value[0] ? c[0].word : c[i].word && c[i + 1].word ? c[i + 1].word : "";
    snprintf(r->value, sizeof(r->value), "%s", next);
}

static void finish_input(struct ins_state *st)
{
    struct ins_row *r = &st->rows[st->editing];
    char out[INSURANCE_VALUE_MAX + 1];
    enum mnv_err err = insurance_fact_check(r->fact, st->input.buf, out, sizeof(out));
    if (err != MNV_OK) {
        snprintf(r->error, sizeof(r->error), "%s: %s", _(r->fact->label), _(mnv_err_str(err)));
        return; /* stay in the field */
    }
    r->error[0] = '\0';
    snprintf(r->value, sizeof(r->value), "%s", out);
    st->editing = -1;
}

static enum tui_next change(struct app *app, struct ins_state *st, int toggle)
{
    if (st->lv.sel >= st->nrows || !st->rows[st->lv.sel].fact)
        return TUI_STAY;
    struct ins_row *r = &st->rows[st->lv.sel];
    switch (r->fact->kind) {
    case INS_FLAG:
        snprintf(r->value, sizeof(r->value), "%s", r->value[0] ? "" : "1");
        return TUI_STAY;
    case INS_CHOICE:
        if (toggle) {
            next_choice(r);
            return TUI_STAY;
        }
        return open_pick(app, st, (int)st->lv.sel);
    default:
        if (toggle)
            return TUI_STAY;
        st->editing = (int)st->lv.sel;
        field_set(&st->input, r->value);
        st->input.accept = r->fact->kind == INS_DATE ? field_accept_date : NULL;
        st->input.changed = 0;
        return TUI_STAY;
    }
}

/* Move the selection by one fact, over the group headings. */
static void step(struct ins_state *st, enum tui_action a)
{
    long before = st->lv.sel;
    listview_handle(&st->lv, a);
    int dir = st->lv.sel < before ? -1 : 1;
    while (st->lv.sel >= 0 && st->lv.sel < st->nrows && !st->rows[st->lv.sel].fact) {
        long at = st->lv.sel;
        listview_handle(&st->lv, dir < 0 ? TA_UP : TA_DOWN);
        if (st->lv.sel == at) { /* at an end: turn back */
            listview_handle(&st->lv, dir < 0 ? TA_DOWN : TA_UP);
            break;
        }
    }
}

static enum tui_next save(struct app *app, struct ins_state *st)
{
    struct insurance_change ch[INSURANCE_FACTS_MAX];
    size_t n = 0, changed = 0;
    for (int i = 0; i < st->nrows && n < INSURANCE_FACTS_MAX; i++)
        if (st->rows[i].fact && strcmp(st->rows[i].value, st->rows[i].original) != 0) {
            ch[n].key = st->rows[i].fact->key;
            ch[n++].value = st->rows[i].value;
        }
    if (n == 0)
        return TUI_POP;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = insurance_set(tui_session(app), &st->ref, ch, n, &changed, &diag);
    if (err != MNV_OK) {
        for (int i = 0; i < st->nrows; i++)
            if (st->rows[i].fact && strcmp(st->rows[i].fact->key, diag.item) == 0) {
                snprintf(st->rows[i].error, sizeof(st->rows[i].error), "%s: %s",
                         _(st->rows[i].fact->label), _(mnv_err_str(err)));
                st->lv.sel = i;
                return TUI_STAY;
            }
        tui_message(app, 1, "%s", _(mnv_err_str(err)));
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    tui_message(app, 0, ngettext("%zu fact saved.", "%zu facts saved.", changed), changed);
    return TUI_POP;
}

static enum tui_next ins_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct ins_state *st = stp;
    if (st->load_error[0])
        return ev->action == TA_QUIT ? TUI_QUIT : ev->action == TA_BACK ? TUI_POP : TUI_STAY;
    if (st->editing >= 0) {
        if (ev->action == TA_OPEN || ev->action == TA_NEXT_FIELD)
            finish_input(st);
        else if (ev->action == TA_BACK) {
            st->rows[st->editing].error[0] = '\0';
            st->editing = -1;
        } else if (ev->action == TA_SAVE) {
            finish_input(st);
            return st->editing < 0 ? save(app, st) : TUI_STAY;
        } else
            field_handle(&st->input, ev);
        return TUI_STAY;
    }
    switch (ev->action) {
    case TA_UP:
    case TA_DOWN:
    case TA_PAGE_UP:
    case TA_PAGE_DOWN:
    case TA_HOME:
    case TA_END:
    case TA_NEXT_FIELD:
    case TA_PREV_FIELD:
        step(st, ev->action == TA_NEXT_FIELD   ? TA_DOWN
                 : ev->action == TA_PREV_FIELD ? TA_UP
                                               : ev->action);
        return TUI_STAY;
    case TA_OPEN:
    case TA_EDIT:
        return change(app, st, 0);
    case TA_TOGGLE:
        return change(app, st, 1);
    case TA_SAVE:
        return save(app, st);
    case TA_BACK:
        if (is_unsaved(st) && !tui_confirm(app, _("Discard the changes?")))
            return TUI_STAY;
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static int ins_unsaved(struct app *app, void *stp)
{
    (void)app;
    return is_unsaved(stp);
}

static void ins_release(void *stp)
{
    struct ins_state *st = stp;
    field_release(&st->input);
    if (st->rows)
        secmem_wipe(st->rows, ROWS_MAX * sizeof(*st->rows));
    free(st->rows);
    free(st);
}

static const struct screen_ops ins_ops = {
    .name = "insurance",
    .keys = ins_keys,
    .heading = ins_heading,
    .draw = ins_draw,
    .handle = ins_handle,
    .unsaved = ins_unsaved,
    .release = ins_release,
};

/* Is key wanted by the space-separated list (a group "koyo." or a key); NULL: all. */
static int wanted(const char *list, const char *key)
{
    if (!list)
        return 1;
    size_t klen = strlen(key), glen = strcspn(key, ".") + 1;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, " ");
        if ((n == klen && strncmp(p, key, n) == 0) || (n == glen && strncmp(p, key, n) == 0))
            return 1;
        p += n;
        p += strspn(p, " ");
    }
    return 0;
}

/* The rows: the facts kept for this person that the list wants, under group headings. */
static void build(struct ins_state *st, enum dependent_relation rel, const char *prefixes,
                  const struct insurance_facts *f, const struct insurance_change *preset,
                  size_t npreset)
{
    const struct insurance_fact *d;
    char group[8] = "";
    for (size_t i = 0; (d = insurance_fact_at(i)) != NULL && st->nrows < ROWS_MAX - 1; i++) {
        int fits = d->scope == INS_EMPLOYEE ? st->ref.kind == PERSON_EMPLOYEE
                   : d->scope == INS_SPOUSE ? st->ref.kind == PERSON_DEPENDENT && rel == REL_SPOUSE
                                            : st->ref.kind == PERSON_DEPENDENT;
        size_t plen = strcspn(d->key, ".");
        if (!fits || !wanted(prefixes, d->key))
            continue;
        if (strncmp(group, d->key, plen) != 0 || group[plen] != '\0') {
            snprintf(group, sizeof(group), "%.*s", (int)plen, d->key);
            snprintf(st->rows[st->nrows++].value, INSURANCE_VALUE_MAX + 1, "%s", group);
        }
        struct ins_row *r = &st->rows[st->nrows++];
        r->fact = d;
        snprintf(r->original, sizeof(r->original), "%s", insurance_value(f, d->key));
        snprintf(r->value, sizeof(r->value), "%s", r->original);
        for (size_t k = 0; k < npreset; k++)
            if (strcmp(preset[k].key, d->key) == 0 && !r->value[0])
                snprintf(r->value, sizeof(r->value), "%s", preset[k].value);
    }
}

enum tui_next scr_insurance_push(struct app *app, const struct person_ref *ref, const char *who,
                                 const char *prefixes, const struct insurance_change *preset,
                                 size_t npreset)
{
    struct ins_state *st = calloc(1, sizeof(*st));
    if (!st || !(st->rows = calloc(ROWS_MAX, sizeof(*st->rows))) ||
        field_init(&st->input, INSURANCE_VALUE_MAX + 1, 0) != 0) {
        if (st)
            free(st->rows);
        free(st);
        return tui_fail(app, MNV_ERR_NOMEM);
    }
    st->ref = *ref;
    st->editing = -1;
    snprintf(st->title, sizeof(st->title), _("Insurance facts: %s"), who);
    struct session *s = tui_session(app);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    struct insurance_facts f;
    enum dependent_relation rel = 0;
    enum mnv_err err = insurance_get(s, ref, &f, &diag);
    if (err == MNV_OK && ref->kind == PERSON_DEPENDENT) {
        struct dependent d;
        err = people_dependent_get(s, ref->id, &d, &diag);
        rel = d.relation;
    }
    if (err != MNV_OK)
        tui_error_text(st->load_error, sizeof(st->load_error), err, &diag);
    else
        build(st, rel, prefixes, &f, preset, npreset);
    insurance_facts_free(&f);
    listview_set_count(&st->lv, st->nrows);
    st->lv.sel = 1; /* the first fact, under its heading */
    return tui_push(app, &ins_ops, st);
}
