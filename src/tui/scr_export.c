/*
 * scr_export.c: the Export screen (F6). The clerk chooses the form and year (the layouts
 * installed, form.h), the copy and where it goes, the file to write, an encrypted zip or
 * not, and optionally a payroll system's file to fill the numbers into (fill mode). Enter
 * checks without writing (export_run / export_fill with dry_run): the slips and numbers
 * that would go out, every number the purpose gate holds back (whose, why) and every value
 * that does not fit the filing (which slip and field). F2 writes: after the same check,
 * and only when the clerk confirms (leaving out the numbers that cannot be used, if any).
 * The result names the file, its SHA-256 and the custody register's entry; a zip's
 * passphrase is shown once, and wiped on lock and on leaving. F4 opens the register
 * (scr_custody.c). Numbers are never on this screen.
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
#include "mnvault/export.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/textsafe.h"
#include "mnvault/utf8.h"

#define OUT_LINES 1200

enum ex_field { EF_FORM, EF_YEAR, EF_COPY, EF_DEST, EF_PATH, EF_ZIP, EF_FILL, EF__COUNT };

struct export_screen {
    struct form_available *forms; /* form and year pairs, sorted by form then year */
    size_t nforms, form_at;       /* form_at: the pair chosen */
    struct form_layout *layout;   /* of the pair chosen; NULL when it does not load */
    char layout_error[400];
    size_t copy_at;
    enum form_destination dest;
    int zip, path_edited;
    struct field path, fill;
    int focus;
    char (*out)[256]; /* the last check's or writing's lines */
    int nout, top;
    int out_secret; /* out holds a zip passphrase: wiped on lock and release */
    /* opened for one filing of the checklist (scr_flow.c): that employee's events from
     * that day; "" otherwise */
    char only[PERSON_CODE_MAX + 1], since[11];
};

static const struct keydef export_keys[] = {{KEY_F(2), 1, TA_WRITE},
                                            {KEY_F(3), 1, TA_PAYROLL_IMPORT},
                                            {KEY_F(4), 1, TA_REGISTER},
                                            {' ', 0, TA_TOGGLE},
                                            {0, 0, TA_NONE}};

/* ---- the choices ------------------------------------------------------------------------ */

static void default_path(struct export_screen *st)
{
    if (st->path_edited || !st->layout)
        return;
    char name[128];
    const struct form_copy *c = &st->layout->copies[st->copy_at];
    snprintf(name, sizeof(name), "%s-%d-%s.%s", st->layout->id, st->layout->year, c->id,
             st->zip                                 ? "zip"
             : st->layout->output == FORM_OUTPUT_PDF ? "pdf"
                                                     : "csv");
    if (!strncmp(st->layout->id, "shfd", 4) && !st->zip) /* the name e-Gov takes */
        snprintf(name, sizeof(name), "%s", "SHFD0006.CSV");
    field_set(&st->path, name);
    st->path.changed = 0;
}

static void clear_out(struct export_screen *st)
{
    if (st->out)
        secmem_wipe(st->out, sizeof(*st->out) * OUT_LINES);
    st->nout = st->top = 0;
    st->out_secret = 0;
}

static void load_layout(struct export_screen *st)
{
    form_layout_free(st->layout);
    st->layout = NULL;
    st->layout_error[0] = '\0';
    st->copy_at = 0;
    clear_out(st);
    if (!st->nforms)
        return;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    const struct form_available *f = &st->forms[st->form_at];
    enum mnv_err err = form_layout_load(f->id, f->year, &st->layout, &diag);
    if (err != MNV_OK) {
        tui_error_text(st->layout_error, sizeof(st->layout_error), err, &diag);
        st->layout = NULL;
        return;
    }
    st->dest = st->layout->copies[0].destination;
    default_path(st);
}

/* The next form id (dir 1) or the one before (-1), at its newest year. */
static void step_form(struct export_screen *st, int dir)
{
    size_t n = st->nforms, at = st->form_at;
    const char *id = st->forms[at].id;
    for (size_t k = 0; k < n; k++) {
        at = (at + n + (size_t)(dir > 0 ? 1 : -1)) % n;
        if (strcmp(st->forms[at].id, id) != 0)
            break;
    }
    while (at + 1 < n && strcmp(st->forms[at + 1].id, st->forms[at].id) == 0)
        at++;
    st->form_at = at;
}

/* Another year of the same form. */
static void step_year(struct export_screen *st, int dir)
{
    size_t at = st->form_at;
    const char *id = st->forms[at].id;
    if (dir > 0 && at + 1 < st->nforms && strcmp(st->forms[at + 1].id, id) == 0)
        st->form_at = at + 1;
    else if (dir < 0 && at > 0 && strcmp(st->forms[at - 1].id, id) == 0)
        st->form_at = at - 1;
}

static void change_choice(struct export_screen *st, int dir)
{
    if (!st->nforms)
        return;
    switch (st->focus) {
    case EF_FORM:
    case EF_YEAR:
        if (st->focus == EF_FORM)
            step_form(st, dir);
        else
            step_year(st, dir);
        load_layout(st);
        return;
    case EF_COPY:
        if (st->layout && st->layout->ncopies > 1) {
            size_t n = st->layout->ncopies;
            st->copy_at = (st->copy_at + n + (size_t)(dir > 0 ? 1 : -1)) % n;
            st->dest = st->layout->copies[st->copy_at].destination;
        }
        break;
    case EF_DEST: {
        int d = (int)st->dest + dir; /* tax office … contractor: the filings of this screen */
        if (d < FORM_DEST_TAX_OFFICE)
            d = FORM_DEST_CONTRACTOR;
        if (d > FORM_DEST_CONTRACTOR)
            d = FORM_DEST_TAX_OFFICE;
        st->dest = (enum form_destination)d;
        break;
    }
    case EF_ZIP:
        st->zip = !st->zip;
        break;
    default:
        return;
    }
    clear_out(st);
    default_path(st);
}

/* ---- the result lines ------------------------------------------------------------------- */

static void out_add(struct export_screen *st, const char *fmt, ...) MNV_PRINTF(2, 3);
static void out_add(struct export_screen *st, const char *fmt, ...)
{
    if (st->nout == OUT_LINES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->out[st->nout++], sizeof(st->out[0]), fmt, ap);
    va_end(ap);
}

/* "spouse", "dependant (2) 見本 花子" … for a gap. */
static void gap_who(struct session *s, const struct export_gap *g, char *buf, size_t size)
{
    char name[PERSON_NAME_MAX + 1] = "";
    struct dependent d;
    if (g->person.kind == PERSON_DEPENDENT &&
        people_dependent_get(s, g->person.id, &d, NULL) == MNV_OK)
        textsafe_escape(name, sizeof(name), d.name);
    if (g->slot)
        snprintf(buf, size, "%s (%d) %s", _(export_role_label(g->role)), g->slot, name);
    else
        snprintf(buf, size, "%s%s%s", _(export_role_label(g->role)), name[0] ? " " : "", name);
}

static void out_gaps(struct export_screen *st, struct session *s, const struct export_report *r)
{
    if (!r->gaps_total)
        return;
    out_add(
        st,
        ngettext("%ld My Number cannot be used for this filing:",
                 "%ld My Numbers cannot be used for this filing:", (unsigned long)r->gaps_total),
        r->gaps_total);
    for (size_t i = 0; i < r->ngaps; i++) {
        const struct export_gap *g = &r->gaps[i];
        char who[300];
        gap_who(s, g, who, sizeof(who));
        out_add(st, r->fill ? _("  line %ld (%s), %s: %s") : _("  slip %ld (%s), %s: %s"), g->line,
                g->code, who, _(export_gap_reason_label(g->reason)));
    }
    if (r->gaps_total > (long)r->ngaps)
        out_add(st, _("  … and %ld more"), r->gaps_total - (long)r->ngaps);
}

static void out_faults(struct export_screen *st, const struct export_report *r)
{
    if (!r->faults_total)
        return;
    out_add(st,
            r->fill ? ngettext("%ld problem in the file:", "%ld problems in the file:",
                               (unsigned long)r->faults_total)
                    : ngettext("%ld value does not fit the filing:",
                               "%ld values do not fit the filing:", (unsigned long)r->faults_total),
            r->faults_total);
    for (size_t i = 0; i < r->nfaults; i++) {
        const struct form_fault *f = &r->faults[i];
        char where[120], ch[300] = "";
        if (f->cp >= 0x20 && f->cp != 0x7F) {
            char enc[5] = "";
            int n = utf8_encode(f->cp, enc);
            enc[n > 0 ? n : 0] = '\0';
            snprintf(ch, sizeof(ch), " (U+%04X %s)", (unsigned)f->cp, enc);
        } else if (f->rule[0]) { /* the layout's words for its rule, else the rule's name */
            char why[240] = "";
            if (st->layout)
                form_rule_why(st->layout, f->rule, why, sizeof(why));
            snprintf(ch, sizeof(ch), " (%s)", why[0] ? why : f->rule);
        }
        if (f->code[0])
            snprintf(where, sizeof(where), r->fill ? _("line %ld (%s)") : _("slip %ld (%s)"),
                     f->line, f->code);
        else
            snprintf(where, sizeof(where), r->fill ? _("line %ld") : _("slip %ld"), f->line);
        if (f->pos == 0)
            out_add(st, "  %s: %s", where, _(mnv_err_str(f->err)));
        else
            out_add(st, r->fill ? _("  %s, column %d %s: %s%s") : _("  %s, field %d %s: %s%s"),
                    where, f->pos, f->field, _(mnv_err_str(f->err)), ch);
    }
    if (r->faults_total > (long)r->nfaults)
        out_add(st, _("  … and %ld more"), r->faults_total - (long)r->nfaults);
}

static void out_summary(struct export_screen *st, const struct export_report *r, int written,
                        const char *path)
{
    const char *title = i18n_is_japanese() ? r->title_ja : r->title_en;
    char a[32], b[32];
    if (written)
        out_add(st, _("Wrote %s (copy %s)"), title, r->copy);
    else if (r->gaps_total)
        out_add(st, _("Checked %s (copy %s). Nothing was written yet."), title, r->copy);
    else
        out_add(st, _("Checked %s (copy %s): it can be written. Nothing was written yet."), title,
                r->copy);
    if (written)
        out_add(st, _("  file: %s"), path);
    if (r->fill)
        out_add(st, _("  rows: %s"), tui_thousands(a, sizeof(a), r->slips));
    else if (r->since[0])
        out_add(st, _("  records: %s (events from %s to %s)"),
                tui_thousands(a, sizeof(a), r->slips), r->since, r->until);
    else
        out_add(st, _("  slips: %s (of %s employees with figures of %d)"),
                tui_thousands(a, sizeof(a), r->slips), tui_thousands(b, sizeof(b), r->candidates),
                r->year);
    if (written)
        out_add(st, _("  My Numbers written: %ld; left out: %ld"), r->numbers, r->left_out);
    else
        out_add(st, _("  My Numbers to write: %ld; cannot be used: %ld"), r->numbers,
                r->gaps_total);
    if (written) {
        out_add(st, _("  SHA-256: %s"), r->sha256);
        out_add(st, _("  custody register: entry %lld (F4)"), (long long)r->custody_id);
    }
    if (r->passphrase[0]) {
        out_add(st, "%s",
                _("  zip passphrase (shown only now; give it separately from the file):"));
        out_add(st, "      %s", r->passphrase);
        st->out_secret = 1;
    }
}

/* ---- checking and writing --------------------------------------------------------------- */

static enum mnv_err run(struct app *app, struct export_screen *st, int dry, int skip,
                        struct export_report *rep, struct mnv_diag *diag)
{
    struct session *s = tui_session(app);
    const struct form_copy *c = &st->layout->copies[st->copy_at];
    const char *dest = form_destination_name(st->dest);
    memset(rep, 0, sizeof(*rep));
    if (st->fill.len) {
        /* an SHFD0006.CSV holds the records of every pension office form at once */
        const char *form = strncmp(st->layout->id, "shfd", 4) ? st->layout->id : "shfd";
        struct export_fill_request fr = {form, st->fill.buf, st->path.buf, NULL, dest,
                                         skip, dry,          st->zip,      0};
        return export_fill(s, &fr, rep, diag);
    }
    struct export_request req = {st->layout->id,
                                 st->layout->year,
                                 c->id,
                                 NULL,
                                 dest,
                                 st->path.buf,
                                 st->only[0] ? st->only : NULL,
                                 skip,
                                 dry,
                                 st->zip,
                                 st->since[0] ? st->since : NULL,
                                 NULL};
    return export_run(s, &req, rep, diag);
}

/* The outcome of a run as lines; 1 when it may be written (with skip_missing if gaps). */
static int show(struct app *app, struct export_screen *st, enum mnv_err err,
                const struct export_report *rep, const struct mnv_diag *diag, int dry)
{
    clear_out(st);
    struct session *s = tui_session(app);
    if (err == MNV_OK) {
        out_summary(st, rep, !dry, st->path.buf);
        if (rep->gaps_total && dry)
            out_add(st, "%s", "");
        if (dry)
            out_gaps(st, s, rep);
        return 1;
    }
    if (err == MNV_ERR_EXPORT_GAPS) {
        out_summary(st, rep, 0, NULL);
        out_gaps(st, s, rep);
        out_add(st, "%s",
                _("Nothing is written unless you confirm to leave these numbers out (F2)."));
        return 1;
    }
    if (err == MNV_ERR_EXPORT_FAULTS) {
        out_faults(st, rep);
        out_gaps(st, s, rep);
        out_add(st, "%s", _("Nothing was written. Correct these first."));
        return 0;
    }
    char text[600];
    tui_error_text(text, sizeof(text), err, diag);
    if (err == MNV_ERR_FORM_NO_LAYOUT)
        out_add(st, "%s: %s", text, diag->where);
    else
        out_add(st, "%s", text);
    return 0;
}

static enum tui_next check(struct app *app, struct export_screen *st)
{
    struct export_report rep;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = run(app, st, 1, 0, &rep, &diag);
    (void)show(app, st, err, &rep, &diag, 1);
    export_report_free(&rep);
    return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
}

static enum tui_next write_out(struct app *app, struct export_screen *st)
{
    struct export_report rep;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = run(app, st, 1, 0, &rep, &diag);
    int ok = show(app, st, err, &rep, &diag, 1);
    long gaps = rep.gaps_total, slips = rep.slips;
    export_report_free(&rep);
    if (!ok)
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    char q[400];
    if (gaps)
        snprintf(q, sizeof(q),
                 ngettext("Write the file leaving out %ld My Number?",
                          "Write the file leaving out %ld My Numbers?", (unsigned long)gaps),
                 gaps);
    else if (st->fill.len)
        snprintf(q, sizeof(q),
                 ngettext("Fill the numbers of %ld row into %s?",
                          "Fill the numbers of %ld rows into %s?", (unsigned long)slips),
                 slips, st->path.buf);
    else
        snprintf(q, sizeof(q),
                 ngettext("Write %ld slip to %s?", "Write %ld slips to %s?", (unsigned long)slips),
                 slips, st->path.buf);
    tui_redraw_now(app);
    if (!tui_confirm(app, q))
        return TUI_STAY;
    mnv_diag_clear(&diag);
    err = run(app, st, 0, gaps != 0, &rep, &diag);
    (void)show(app, st, err, &rep, &diag, 0);
    export_report_free(&rep);
    if (err == MNV_OK) {
        app->data_version++;
        tui_message(app, 0, _("Written; the custody register holds entry %lld."),
                    (long long)rep.custody_id);
        st->path_edited = 0;
    }
    return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
}

/* ---- drawing ---------------------------------------------------------------------------- */

static const char *export_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    const struct export_screen *st = stp;
    if (st->only[0])
        snprintf(right, rsize, _("%s, events from %s   F4: register"), st->only, st->since);
    else
        snprintf(right, rsize, "%s", _("F4: custody register"));
    return _("Export filings");
}

static void choice_text(const struct export_screen *st, int f, char *buf, size_t size)
{
    const struct form_layout *l = st->layout;
    int ja = i18n_is_japanese();
    buf[0] = '\0';
    if (f == EF_FORM && st->nforms)
        snprintf(buf, size, "%s  %s", st->forms[st->form_at].id,
                 l ? (ja ? l->title_ja : l->title_en) : "");
    else if (f == EF_YEAR && st->nforms) {
        int y = st->forms[st->form_at].year;
        if (ja && y >= 2019)
            snprintf(buf, size, "%d (令和%d年分)", y, y - 2018);
        else
            snprintf(buf, size, "%d", y);
    } else if (f == EF_COPY && l) {
        const struct form_copy *c = &l->copies[st->copy_at];
        snprintf(buf, size, "%s (%s) %s", ja ? c->title_ja : c->title_en, c->id,
                 c->numbers ? _("with My Numbers") : _("without any My Number"));
    } else if (f == EF_DEST)
        snprintf(buf, size, "%s", _(form_destination_label(st->dest)));
    else if (f == EF_ZIP)
        snprintf(buf, size, "[%s] %s", st->zip ? "x" : " ",
                 _("AES-256 zip; the passphrase is shown once"));
}

static void draw_fields(struct app *app, struct export_screen *st, WINDOW *w, int cols)
{
    static const char *labels[EF__COUNT] = {N_("Form"), N_("Year"), N_("Copy"),     N_("To"),
                                            N_("File"), N_("Zip"),  N_("Fill file")};
    for (int f = 0; f < EF__COUNT; f++) {
        int focused = st->focus == f;
        tui_put(w, f, 0, focused ? ">" : " ", 2, 1);
        tui_style_on(w, ST_HEADER);
        tui_put(w, f, 2, _(labels[f]), 13, 1);
        tui_style_off(w, ST_HEADER);
        if (f == EF_PATH || f == EF_FILL) {
            mvwaddch(w, f, 15, '[');
            field_draw(f == EF_PATH ? &st->path : &st->fill, w, f, 16, cols - 19, focused,
                       &app->cursor_y, &app->cursor_x);
            mvwaddch(w, f, cols - 3, ']');
            continue;
        }
        char text[400];
        choice_text(st, f, text, sizeof(text));
        if (focused)
            tui_style_on(w, ST_SELECTED);
        tui_put(w, f, 15, f == EF_ZIP ? text : "<", f == EF_ZIP ? cols - 17 : 2, 1);
        if (f != EF_ZIP) {
            tui_put(w, f, 17, text, cols - 21, 1);
            tui_put(w, f, cols - 4, ">", 2, 1);
        }
        if (focused)
            tui_style_off(w, ST_SELECTED);
    }
}

static void export_draw(struct app *app, void *stp, WINDOW *w)
{
    struct export_screen *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    app->cursor_y = -1;
    if (!st->nforms) {
        tui_put_wrapped(w, 1, 2, _("No form layout is installed (data/forms)."), cols - 4, 2);
        return;
    }
    draw_fields(app, st, w, cols);
    int y0 = EF__COUNT + 1, room = rows - y0 - 2;
    if (st->nout)
        tui_rule(w, EF__COUNT, cols, _("Result"), NULL);
    else
        tui_hline(w, EF__COUNT, 0, cols);
    if (st->layout_error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, y0, 2, st->layout_error, cols - 4, room);
        tui_style_off(w, ST_ERROR);
    } else if (!st->nout) {
        tui_style_on(w, ST_DIM);
        tui_put_wrapped(w, y0, 2,
                        _("Enter checks the filing without writing: the slips, the numbers that "
                          "would go out, and whatever is missing. F2 writes it after you confirm. "
                          "Fill file: a payroll system's file with the number columns empty, or "
                          "an SHFD0006.CSV another program wrote without the numbers (any "
                          "shfd form)."),
                        cols - 4, room);
        tui_style_off(w, ST_DIM);
    }
    if (st->top > st->nout - room)
        st->top = st->nout - room > 0 ? st->nout - room : 0;
    /* a long line (a problem's message) wraps rather than being cut */
    for (int y = y0, i = st->top; y < y0 + room && i < st->nout; i++)
        y += tui_put_wrapped(w, y, 1, st->out[i], cols - 2, y0 + room - y);
    char hint[300];
    snprintf(hint, sizeof(hint), "%s%s",
             _("↑↓ Tab: field  ←→ Space: change  Enter: check  F2: write"),
             st->nout > room ? _("  PgUp PgDn: scroll") : "");
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2, hint, cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* ---- keys ------------------------------------------------------------------------------- */

static enum tui_next export_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct export_screen *st = stp;
    int text = st->focus == EF_PATH || st->focus == EF_FILL;
    switch (ev->action) {
    case TA_UP:
    case TA_PREV_FIELD:
        st->focus = (st->focus + EF__COUNT - 1) % EF__COUNT;
        return TUI_STAY;
    case TA_DOWN:
    case TA_NEXT_FIELD:
        st->focus = (st->focus + 1) % EF__COUNT;
        return TUI_STAY;
    case TA_PAGE_UP:
        st->top = st->top > 10 ? st->top - 10 : 0;
        return TUI_STAY;
    case TA_PAGE_DOWN:
        st->top += 10;
        return TUI_STAY;
    case TA_OPEN:
        return st->layout ? check(app, st) : TUI_STAY;
    case TA_WRITE:
        if (!tui_may(app, ACT_NUMBER_EXPORT))
            return TUI_STAY;
        return st->layout ? write_out(app, st) : TUI_STAY;
    case TA_REGISTER:
        return scr_custody_push(app);
    case TA_PAYROLL_IMPORT:
        return scr_figures_push(app, st->nforms ? st->forms[st->form_at].year : 2025);
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        if (!text)
            return TUI_QUIT;
        break;
    case TA_TOGGLE:
        if (!text) {
            change_choice(st, 1);
            return TUI_STAY;
        }
        break;
    default:
        break;
    }
    if (!text) {
        if (ev->is_code && (ev->code == KEY_LEFT || ev->code == KEY_RIGHT))
            change_choice(st, ev->code == KEY_RIGHT ? 1 : -1);
        return TUI_STAY;
    }
    struct field *f = st->focus == EF_PATH ? &st->path : &st->fill;
    if (field_handle(f, ev) && f->changed) {
        f->changed = 0;
        if (f == &st->path)
            st->path_edited = 1;
        clear_out(st);
    }
    return TUI_STAY;
}

static void export_on_lock(struct app *app, void *stp)
{
    (void)app;
    struct export_screen *st = stp;
    if (st->out_secret)
        clear_out(st);
}

static void export_release(void *stp)
{
    struct export_screen *st = stp;
    clear_out(st);
    free(st->out);
    free(st->forms);
    form_layout_free(st->layout);
    field_release(&st->path);
    field_release(&st->fill);
    free(st);
}

static const struct screen_ops export_ops = {
    .name = "export",
    .keys = export_keys,
    .heading = export_heading,
    .draw = export_draw,
    .handle = export_handle,
    .on_lock = export_on_lock,
    .release = export_release,
};

/* A new screen's state, the newest year of the first form chosen; NULL (said) when short
 * of memory. */
static struct export_screen *export_new(struct app *app)
{
    struct export_screen *st = calloc(1, sizeof(*st));
    if (!st || !(st->out = calloc(OUT_LINES, sizeof(*st->out))) ||
        field_init(&st->path, 1024, 0) != 0 || field_init(&st->fill, 1024, 0) != 0) {
        if (st) {
            field_release(&st->path);
            free(st->out);
        }
        free(st);
        tui_message(app, 1, "%s", _(mnv_err_str(MNV_ERR_NOMEM)));
        return NULL;
    }
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    if (form_list(&st->forms, &st->nforms, &diag) != MNV_OK)
        st->nforms = 0;
    while (st->form_at + 1 < st->nforms &&
           strcmp(st->forms[st->form_at + 1].id, st->forms[0].id) == 0)
        st->form_at++;
    load_layout(st);
    return st;
}

/* The role's screen: the exports, or for auditors the register; 0 for neither. */
static int may_export(struct app *app, enum tui_next *other)
{
    int role = session_role(tui_session(app));
    *other = TUI_STAY;
    if (access_allowed(role, ACT_NUMBER_EXPORT))
        return 1;
    if (access_allowed(role, ACT_CUSTODY_READ))
        *other = scr_custody_push(app);
    return 0;
}

enum tui_next scr_export_push(struct app *app)
{
    enum tui_next other;
    struct export_screen *st = may_export(app, &other) ? export_new(app) : NULL;
    return st ? tui_push(app, &export_ops, st) : other;
}

enum tui_next scr_export_push_filing(struct app *app, const char *form, const char *day,
                                     const char *code)
{
    enum tui_next other;
    struct export_screen *st = may_export(app, &other) ? export_new(app) : NULL;
    if (!st)
        return other;
    int year = atoi(day);
    size_t at = st->nforms;
    for (size_t i = 0; i < st->nforms; i++) /* the year of the event, else the oldest */
        if (!strcmp(st->forms[i].id, form) && (at == st->nforms || st->forms[i].year <= year))
            at = i;
    if (at < st->nforms) {
        st->form_at = at;
        load_layout(st);
        snprintf(st->only, sizeof(st->only), "%s", code);
        snprintf(st->since, sizeof(st->since), "%s", day);
    }
    return tui_push(app, &export_ops, st);
}
