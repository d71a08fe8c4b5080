/*
 * scr_figures.c: importing the year-end figures (payroll.h) on screen, from the Export
 * screen (F3): the year and the payroll system's CSV file (UTF-8 or CP932, the columns of
 * doc/payroll.md). Enter checks every row without storing anything; F2 checks again and,
 * after the clerk confirms, stores the figures all or nothing (audited by the service).
 * Each problem is listed with its line and column, never with a figure.
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
#include "phrases.h"

#include "mnvault/access.h"
#include "mnvault/csv.h"
#include "mnvault/i18n.h"
#include "mnvault/payroll.h"
#include "mnvault/session.h"

#define FIG_LINES 220

struct figures_screen {
    int year;
    int focus; /* 0: the year; 1: the file */
    struct field path;
    char out[FIG_LINES][256];
    int nout, top;
};

static const struct keydef figures_keys[] = {{KEY_F(2), 1, TA_SAVE}, {0, 0, TA_NONE}};

static void add(struct figures_screen *st, const char *fmt, ...) MNV_PRINTF(2, 3);
static void add(struct figures_screen *st, const char *fmt, ...)
{
    if (st->nout == FIG_LINES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->out[st->nout++], sizeof(st->out[0]), fmt, ap);
    va_end(ap);
}

static void add_problem(struct figures_screen *st, const struct payroll_problem *p)
{
    char where[160];
    const char *msg = _(mnv_err_str(p->err));
    if (p->column)
        snprintf(where, sizeof(where), _("column %d (%s)"), p->column, p->name);
    else
        snprintf(where, sizeof(where), "%s", _("the row"));
    if (p->item[0])
        add(st, _("  line %ld, %s: %s (%s)"), p->line, where, msg, p->item);
    else
        add(st, _("  line %ld, %s: %s"), p->line, where, msg);
}

/* The outcome as lines; 1 when the file may be imported. */
static int show(struct figures_screen *st, enum mnv_err err, const struct payroll_report *r,
                const struct mnv_diag *diag, int dry)
{
    st->nout = st->top = 0;
    if (err == MNV_ERR_IMPORT_REFUSED) {
        add(st,
            ngettext("%ld problem in %ld rows; nothing was imported:",
                     "%ld problems in %ld rows; nothing was imported:",
                     (unsigned long)r->problems_total),
            r->problems_total, r->rows);
        for (size_t i = 0; i < r->nproblems; i++)
            add_problem(st, &r->problems[i]);
        if (r->problems_total > (long)r->nproblems)
            add(st, _("  … and %ld more"), r->problems_total - (long)r->nproblems);
        return 0;
    }
    if (err != MNV_OK) {
        char text[600];
        tui_error_text(text, sizeof(text), err, diag);
        if (diag->item[0] && (err == MNV_ERR_CSV_HEADER || err == MNV_ERR_CSV_COLUMN_TWICE ||
                              err == MNV_ERR_CSV_COLUMN_MISSING))
            add(st, "%s: '%s'", _(mnv_err_str(err)), diag->item);
        else
            add(st, "%s", text);
        add(st, "%s", _("Nothing was imported."));
        return 0;
    }
    if (dry)
        add(st,
            ngettext("%ld row checked (%s): every row is good. Nothing was stored yet.",
                     "%ld rows checked (%s): every row is good. Nothing was stored yet.",
                     (unsigned long)r->rows),
            r->rows, csv_encoding_name(r->encoding));
    else
        add(st,
            ngettext("Imported the figures of %d from %ld row (%s).",
                     "Imported the figures of %d from %ld rows (%s).", (unsigned long)r->rows),
            r->year, r->rows, csv_encoding_name(r->encoding));
    add(st, _("  employees: %ld (replacing figures stored before: %ld); dependants: %ld"),
        r->employees, r->replaced, r->dependents);
    return 1;
}

static enum tui_next run(struct app *app, struct figures_screen *st, int write)
{
    struct session *s = tui_session(app);
    struct payroll_report rep;
    struct mnv_diag diag;
    memset(&rep, 0, sizeof(rep));
    mnv_diag_clear(&diag);
    enum mnv_err err = payroll_import_csv(s, st->path.buf, st->year, 1, &rep, &diag);
    int ok = show(st, err, &rep, &diag, 1);
    long rows = rep.rows;
    payroll_report_free(&rep);
    if (!ok || !write)
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    char q[300];
    snprintf(q, sizeof(q),
             ngettext("Store the figures of %d from %ld row?",
                      "Store the figures of %d from %ld rows?", (unsigned long)rows),
             st->year, rows);
    tui_redraw_now(app);
    if (!tui_confirm(app, q))
        return TUI_STAY;
    memset(&rep, 0, sizeof(rep));
    mnv_diag_clear(&diag);
    err = payroll_import_csv(s, st->path.buf, st->year, 0, &rep, &diag);
    (void)show(st, err, &rep, &diag, 0);
    payroll_report_free(&rep);
    if (err == MNV_OK) {
        app->data_version++;
        tui_message(app, 0, _("The figures of %d are stored."), st->year);
    }
    return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
}

static const char *figures_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    (void)stp;
    snprintf(right, rsize, "%s", "doc/payroll.md");
    return _("Import year-end figures");
}

static void figures_draw(struct app *app, void *stp, WINDOW *w)
{
    struct figures_screen *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    char year[64];
    if (i18n_is_japanese() && st->year >= 2019)
        snprintf(year, sizeof(year), "< %d (令和%d年分) >", st->year, st->year - 2018);
    else
        snprintf(year, sizeof(year), "< %d >", st->year);
    tui_put(w, 0, 0, st->focus == 0 ? ">" : " ", 2, 1);
    tui_put(w, 1, 0, st->focus == 1 ? ">" : " ", 2, 1);
    tui_style_on(w, ST_HEADER);
    tui_put(w, 0, 2, _("Year"), 13, 1);
    tui_put(w, 1, 2, _("File"), 13, 1);
    tui_style_off(w, ST_HEADER);
    if (st->focus == 0)
        tui_style_on(w, ST_SELECTED);
    tui_put(w, 0, 15, year, cols - 17, 0);
    if (st->focus == 0)
        tui_style_off(w, ST_SELECTED);
    mvwaddch(w, 1, 15, '[');
    field_draw(&st->path, w, 1, 16, cols - 19, st->focus == 1, &app->cursor_y, &app->cursor_x);
    mvwaddch(w, 1, cols - 3, ']');
    if (st->focus == 0)
        app->cursor_y = -1;
    int y0 = 3, room = rows - y0 - 2;
    if (st->nout)
        tui_rule(w, 2, cols, _("Result"), NULL);
    else
        tui_hline(w, 2, 0, cols);
    if (!st->nout) {
        tui_style_on(w, ST_DIM);
        tui_put_wrapped(w, y0, 2,
                        _("The payroll system's CSV file of the year-end figures (UTF-8 or CP932; "
                          "the columns in doc/payroll.md). Enter checks every row without "
                          "storing anything; F2 stores them after you confirm, all or nothing."),
                        cols - 4, room);
        tui_style_off(w, ST_DIM);
    }
    if (st->top > st->nout - room)
        st->top = st->nout - room > 0 ? st->nout - room : 0;
    /* a long line (a problem's message) wraps rather than being cut */
    for (int y = y0, i = st->top; y < y0 + room && i < st->nout; i++)
        y += tui_put_wrapped(w, y, 1, st->out[i], cols - 2, y0 + room - y);
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2, _("↑↓ Tab: field  ←→: year  Enter: check  F2: import  Esc: back"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next figures_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct figures_screen *st = stp;
    switch (ev->action) {
    case TA_UP:
    case TA_DOWN:
    case TA_NEXT_FIELD:
    case TA_PREV_FIELD:
        st->focus = !st->focus;
        return TUI_STAY;
    case TA_PAGE_UP:
        st->top = st->top > 10 ? st->top - 10 : 0;
        return TUI_STAY;
    case TA_PAGE_DOWN:
        st->top += 10;
        return TUI_STAY;
    case TA_OPEN:
    case TA_SAVE:
        if (!st->path.len) {
            tui_message(app, 1, "%s", _("Name the payroll system's CSV file."));
            return TUI_STAY;
        }
        return run(app, st, ev->action == TA_SAVE);
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        if (st->focus == 0)
            return TUI_QUIT;
        break;
    default:
        break;
    }
    if (st->focus == 0) {
        if (ev->is_code && (ev->code == KEY_LEFT || ev->code == KEY_RIGHT)) {
            st->year += ev->code == KEY_RIGHT ? 1 : -1;
            st->nout = 0;
        }
        return TUI_STAY;
    }
    if (field_handle(&st->path, ev) && st->path.changed) {
        st->path.changed = 0;
        st->nout = 0;
    }
    return TUI_STAY;
}

static void figures_release(void *stp)
{
    struct figures_screen *st = stp;
    field_release(&st->path);
    free(st);
}

static const struct screen_ops figures_ops = {
    .name = "figures",
    .keys = figures_keys,
    .heading = figures_heading,
    .draw = figures_draw,
    .handle = figures_handle,
    .release = figures_release,
};

enum tui_next scr_figures_push(struct app *app, int year)
{
    if (!tui_may(app, ACT_PAYROLL_IMPORT))
        return TUI_STAY;
    struct figures_screen *st = calloc(1, sizeof(*st));
    if (!st || field_init(&st->path, 1024, 0) != 0) {
        free(st);
        return tui_fail(app, MNV_ERR_NOMEM);
    }
    st->year = year;
    st->focus = 1;
    return tui_push(app, &figures_ops, st);
}
