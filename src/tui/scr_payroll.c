/*
 * scr_payroll.c: an employee's year-end figures (payroll.h), opened with p from the
 * employee's record: every figure stored for the year, then the dependants with their
 * category for that year. y shows the next older year (and back to the newest). The
 * figures hold no My Number; roles without payroll.view never get here.
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
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/payroll.h"
#include "mnvault/people.h"

#define YEARS_MAX 16
#define LINES_MAX 160

struct payroll_state {
    long long id;
    char who[200];
    struct payroll_row_info years[YEARS_MAX];
    size_t nyears, year_at;
    char lines[LINES_MAX][200]; /* "label\tvalue" */
    int nlines;
    struct listview lv;
    char error[300];
};

static const struct keydef payroll_keys[] = {{'y', 0, TA_NEXT_YEAR}, {0, 0, TA_NONE}};

/* Copy at most size-1 bytes of utf8 into out, never cutting a character. */
static size_t copy_cut(char *out, size_t size, const char *utf8)
{
    size_t n = strlen(utf8);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)utf8[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, utf8, n);
    out[n] = '\0';
    return n;
}

static void add_line(struct payroll_state *ps, const char *label, const char *value)
{
    if (ps->nlines == LINES_MAX)
        return;
    char *line = ps->lines[ps->nlines++];
    size_t n = copy_cut(line, 100, label);
    line[n++] = '\t';
    copy_cut(line + n, sizeof(ps->lines[0]) - n, value);
}

static void add_dependants(struct app *app, struct payroll_state *ps,
                           const struct payroll_figures *f)
{
    struct dependent *deps = NULL;
    size_t n = 0;
    if (f->ndeps == 0 ||
        people_dependents_of(tui_session(app), ps->id, &deps, &n, NULL) != MNV_OK) {
        free(deps);
        return;
    }
    add_line(ps, "", "");
    for (size_t i = 0; i < f->ndeps; i++) {
        const struct payroll_dependent *d = &f->deps[i];
        const char *name = _("(no longer recorded)");
        for (size_t j = 0; j < n; j++)
            if (deps[j].id == d->dependent_id)
                name = deps[j].name;
        char value[200];
        snprintf(value, sizeof(value), "%s%s%s", _(payroll_deduction_label(d->deduction)),
                 d->disability == PAYROLL_DIS_NONE ? "" : _(", disabled"),
                 d->nonresident ? _(", non-resident") : "");
        add_line(ps, name, value);
    }
    free(deps);
}

static void load(struct app *app, struct payroll_state *ps)
{
    struct session *s = tui_session(app);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    ps->nlines = 0;
    ps->error[0] = '\0';
    enum mnv_err err = payroll_years(s, ps->id, ps->years, YEARS_MAX, &ps->nyears, &diag);
    if (err == MNV_OK && ps->nyears > YEARS_MAX)
        ps->nyears = YEARS_MAX;
    if (err == MNV_OK && ps->nyears == 0) {
        snprintf(ps->error, sizeof(ps->error), "%s",
                 _("No year-end figures are stored for this employee (mnvault payroll import)."));
        return;
    }
    if (ps->year_at >= ps->nyears)
        ps->year_at = 0;
    struct payroll_figures f;
    if (err == MNV_OK)
        err = payroll_get(s, ps->id, ps->years[ps->year_at].year, &f, &diag);
    if (err != MNV_OK) {
        tui_error_text(ps->error, sizeof(ps->error), err, &diag);
        return;
    }
    char value[1024];
    int word;
    const struct payroll_column *c;
    for (size_t i = 0; (c = payroll_column_at(i)) != NULL; i++)
        if (payroll_shown_at(&f, i, value, sizeof(value), &word) == 0)
            add_line(ps, i18n_is_japanese() ? c->ja : c->en, word ? _(value) : value);
    add_dependants(app, ps, &f);
    payroll_figures_free(&f);
    listview_set_count(&ps->lv, ps->nlines);
}

static const char *payroll_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct payroll_state *ps = stp;
    static char title[300];
    if (ps->nyears) {
        snprintf(title, sizeof(title), _("Year-end figures %d: %s"), ps->years[ps->year_at].year,
                 ps->who);
        char when[32];
        snprintf(right, rsize, _("imported %s by %s"),
                 clock_format_local(when, sizeof(when), (time_t)ps->years[ps->year_at].imported_at),
                 ps->years[ps->year_at].imported_by);
    } else {
        snprintf(title, sizeof(title), _("Year-end figures: %s"), ps->who);
    }
    return title;
}

static void payroll_draw(struct app *app, void *stp, WINDOW *w)
{
    (void)app;
    struct payroll_state *ps = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    if (ps->error[0]) {
        tui_put(w, 1, 2, ps->error, cols - 4, 0);
        return;
    }
    listview_fit(&ps->lv, rows - 2);
    for (int r = 0; r < rows - 2 && ps->lv.top + r < ps->nlines; r++) {
        char *line = ps->lines[ps->lv.top + r];
        char *tab = strchr(line, '\t');
        *tab = '\0';
        tui_style_on(w, ST_HEADER);
        tui_put(w, r, 2, line, 34, 1);
        tui_style_off(w, ST_HEADER);
        tui_put(w, r, 37, tab + 1, cols - 39, 0);
        *tab = '\t';
    }
    char foot[200];
    snprintf(foot, sizeof(foot), "%s",
             ps->nyears > 1 ? _("↑↓: scroll   y: another year   Esc: back")
                            : _("↑↓: scroll   Esc: back"));
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2, foot, cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next payroll_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct payroll_state *ps = stp;
    switch (ev->action) {
    case TA_UP:
    case TA_DOWN:
    case TA_PAGE_UP:
    case TA_PAGE_DOWN:
    case TA_HOME:
    case TA_END:
        /* scroll the page rather than move a selection: nothing here is picked */
        if (ev->action == TA_UP && ps->lv.top > 0)
            ps->lv.top--;
        else if (ev->action == TA_DOWN && ps->lv.top + ps->lv.rows < ps->nlines)
            ps->lv.top++;
        else
            listview_handle(&ps->lv, ev->action);
        return TUI_STAY;
    case TA_NEXT_YEAR:
        if (ps->nyears > 1) {
            ps->year_at = (ps->year_at + 1) % ps->nyears;
            ps->lv.top = 0;
            load(app, ps);
        }
        return TUI_STAY;
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void payroll_release(void *stp)
{
    free(stp);
}

static const struct screen_ops payroll_ops = {
    .name = "payroll",
    .keys = payroll_keys,
    .heading = payroll_heading,
    .draw = payroll_draw,
    .handle = payroll_handle,
    .release = payroll_release,
};

enum tui_next scr_payroll_push(struct app *app, long long employee_id, const char *who)
{
    struct payroll_state *ps = tui_state_new(app, sizeof(*ps));
    if (!ps)
        return TUI_STAY;
    ps->id = employee_id;
    snprintf(ps->who, sizeof(ps->who), "%s", who);
    load(app, ps);
    return tui_push(app, &payroll_ops, ps);
}
