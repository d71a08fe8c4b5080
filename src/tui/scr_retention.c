/*
 * scr_retention.c: from the employee detail screen (r), why and until when one person's
 * number is kept: the state, every kind of document that applies with the event that
 * ended its need, its period and legal basis, the one that decides first; a supervisor
 * places a hold on a due number (h: a reason and a review date) or releases it (u). Also
 * the one-line summary the detail screen shows for the chosen person.
 */
#include "screens.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "formdlg.h"
#include "field.h"
#include "keys.h"
#include "phrases.h"
#include "mnvault/access.h"
#include "mnvault/alloc.h"
#include "mnvault/caldate.h"
#include "mnvault/i18n.h"
#include "mnvault/retention.h"
#include "mnvault/session.h"
#include "mnvault/wareki.h"

struct text_line {
    char text[800];
    int indent;
    const char *mark; /* "*" or "-" before a kind of document; NULL */
    enum tui_style style;
};

struct keep_screen {
    long long employee_id;
    struct person_ref ref;
    struct retention_rules rules;
    struct retention_household h;
    int loaded;
    char error[400];
    struct text_line *lines;
    size_t nlines, cap;
    long top;
};

static const struct keydef keys_sup[] = {{'h', 0, TA_HOLD}, {'u', 0, TA_RELEASE}, {0, 0, TA_NONE}};
static const struct keydef keys_plain[] = {{0, 0, TA_NONE}};

static const char *doc_name(const struct retention_doc *d)
{
    return i18n_is_japanese() ? d->name_ja : d->name_en;
}

/* "2033-01-10 (令和15年1月10日)" in Japanese, the plain date in English. */
static const char *day_text(int32_t day, char *buf, size_t size)
{
    char iso[CALDATE_ISO_SIZE], era[48];
    caldate_format(day, iso);
    if (i18n_is_japanese() && wareki_format(era, sizeof(era), iso, 0))
        snprintf(buf, size, "%s (%s)", iso, era);
    else
        snprintf(buf, size, "%s", iso);
    return buf;
}

static const struct retention_person *person_of(const struct retention_household *h,
                                                const struct person_ref *ref)
{
    for (size_t i = 0; i < h->count; i++)
        if (h->people[i].subject.person.kind == ref->kind &&
            h->people[i].subject.person.id == ref->id)
            return &h->people[i];
    return NULL;
}

void tui_retention_text(const struct retention_household *h, const struct retention_rules *r,
                        const struct person_ref *ref, char *buf, size_t size)
{
    const struct retention_person *p = person_of(h, ref);
    char a[80];
    buf[0] = '\0';
    if (!p)
        return;
    const struct retention_verdict *v = &p->verdict;
    const char *doc = v->binding >= 0 ? doc_name(&r->docs[v->clocks[v->binding].doc]) : "";
    switch (v->state) {
    case RETENTION_NEEDED:
        snprintf(buf, size, "%s", _("needed: kept while in use"));
        break;
    case RETENTION_RUNNING:
        snprintf(buf, size, _("kept until %s: %s"), day_text(v->keep_until, a, sizeof(a)), doc);
        break;
    case RETENTION_DUE:
        snprintf(buf, size, _("DUE for disposal since %s"),
                 day_text(v->keep_until + 1, a, sizeof(a)));
        break;
    case RETENTION_HELD:
        snprintf(buf, size, _("on hold until %s"), day_text(v->hold_review, a, sizeof(a)));
        break;
    case RETENTION_NO_RULE:
        snprintf(buf, size, _("no retention rule for \"%s\""), v->unknown);
        break;
    }
}

/* ---- the explanation as lines ------------------------------------------------------------ */

static void add(struct keep_screen *st, int indent, enum tui_style style, const char *fmt, ...)
    MNV_PRINTF(4, 5);

static void add(struct keep_screen *st, int indent, enum tui_style style, const char *fmt, ...)
{
    struct text_line *n = alloc_grow(st->lines, &st->cap, st->nlines + 1, sizeof(*n));
    if (!n)
        return;
    st->lines = n;
    struct text_line *l = &st->lines[st->nlines++];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof(l->text), fmt, ap);
    va_end(ap);
    l->indent = indent;
    l->mark = NULL;
    l->style = style;
}

static void add_status(struct keep_screen *st, const struct retention_person *p)
{
    const struct retention_verdict *v = &p->verdict;
    char a[80], b[80];
    switch (v->state) {
    case RETENTION_NEEDED:
        add(st, 0, ST_NORMAL, "%s", _("Needed: kept while the need lasts."));
        break;
    case RETENTION_RUNNING:
        add(st, 0, ST_OK, _("Kept until %s; due for disposal from %s."),
            day_text(v->keep_until, a, sizeof(a)), day_text(v->keep_until + 1, b, sizeof(b)));
        break;
    case RETENTION_DUE:
        add(st, 0, ST_ERROR, _("DUE for disposal since %s (kept until %s)."),
            day_text(v->keep_until + 1, a, sizeof(a)), day_text(v->keep_until, b, sizeof(b)));
        break;
    case RETENTION_HELD:
        add(st, 0, ST_HEADER, _("On hold until %s (due since %s)."),
            day_text(v->hold_review, a, sizeof(a)), day_text(v->keep_until + 1, b, sizeof(b)));
        break;
    case RETENTION_NO_RULE:
        add(st, 0, ST_ERROR,
            _("No retention rule for \"%s\": ask the administrator to add it to retention.ini; "
              "the number is kept until then."),
            v->unknown);
        break;
    }
    if (v->nclocks == 0 && v->need_end != CALDATE_NONE)
        add(st, 0, ST_NORMAL, _("No purpose of use applies: kept only until %s."),
            day_text(v->need_end, a, sizeof(a)));
    if (p->has_hold)
        add(st, 0, ST_HEADER, _("Hold by %s until %s: %s"), p->hold.placed_by, p->hold.review_on,
            p->hold.reason);
}

static void add_clock(struct app *app, struct keep_screen *st, const struct retention_clock *c,
                      int binding)
{
    const struct retention_doc *d = &st->rules.docs[c->doc];
    const char *code = st->rules.codes[c->why_code].code;
    char a[80];
    add(st, 0, ST_HEADER, "%s", doc_name(d));
    st->lines[st->nlines - 1].mark = binding ? "*" : "-";
    if (c->why == REV_FILED)
        add(st, 4, ST_NORMAL, _("applies: a filing of this kind made on %s"),
            caldate_format(c->why_day, a));
    else
        add(st, 4, ST_NORMAL, _("applies: purpose \"%s\" notified on %s"),
            tui_purpose_short_name(app, code), caldate_format(c->why_day, a));
    if (c->end == REV__COUNT) {
        add(st, 4, ST_NORMAL, "%s", _("still needed: none of its ending events has happened"));
        return;
    }
    add(st, 4, ST_NORMAL, _("need ended: %s on %s"), _(retention_event_label(c->end)),
        caldate_format(c->end_day, a));
    if (c->last != c->end)
        add(st, 4, ST_NORMAL, _("last handled: %s on %s"), _(retention_event_label(c->last)),
            caldate_format(c->last_day, a));
    char period[300];
    add(st, 4, ST_NORMAL, "%s", retention_period_text(period, sizeof(period), d, c->first_day));
    add(st, 4, ST_NORMAL, _("kept until: %s"), day_text(c->keep_until, a, sizeof(a)));
    add(st, 4, ST_DIM, _("basis: %s"), i18n_is_japanese() ? d->basis_ja : d->basis_en);
}

static void build(struct app *app, struct keep_screen *st)
{
    st->nlines = 0;
    const struct retention_person *p = person_of(&st->h, &st->ref);
    if (!p) {
        add(st, 0, ST_NORMAL, "%s", _("No My Number is registered for this person."));
        return;
    }
    add_status(st, p);
    add(st, 0, ST_NORMAL, "%s", "");
    for (size_t k = 0; k < p->verdict.nclocks; k++)
        add_clock(app, st, &p->verdict.clocks[k], (int)k == p->verdict.binding);
}

static void load(struct app *app, struct keep_screen *st)
{
    struct session *s = tui_session(app);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    retention_household_free(&st->h);
    st->loaded = 0;
    enum mnv_err err = MNV_OK;
    if (!st->rules.docs)
        err = retention_rules_load(NULL, session_purposes(s), &st->rules, &diag);
    if (err == MNV_OK)
        err = retention_explain_id(s, &st->rules, st->employee_id, &st->h, &diag);
    if (err != MNV_OK) {
        tui_error_text(st->error, sizeof(st->error), err, &diag);
        return;
    }
    st->loaded = 1;
    build(app, st);
}

/*
 * One line with a hanging indent: "label: text" keeps its label on the left and wraps the
 * text beside it, so a long Japanese text (no spaces to break at) never leaves the label
 * alone on a line. Returns the lines used.
 */
static int draw_line(WINDOW *w, int y, int cols, int max, const struct text_line *l)
{
    if (!l->text[0])
        return 1;
    int x = 2 + l->indent, width = cols - 2 - x;
    const char *text = l->text;
    tui_style_on(w, l->style);
    const char *colon = l->indent ? strstr(text, ": ") : NULL;
    if (l->mark) {
        tui_put(w, y, x, l->mark, 1, 0);
        x += 2;
        width -= 2;
    } else if (colon && colon - text < 48) {
        char label[64];
        snprintf(label, sizeof(label), "%.*s", (int)(colon - text + 1), text);
        int used = tui_put(w, y, x, label, width, 0) + 1;
        x += used;
        width -= used;
        text = colon + 2;
    }
    int n = tui_put_wrapped(w, y, x, text, width, max);
    tui_style_off(w, l->style);
    return n;
}

static const char *retention_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct keep_screen *st = stp;
    static char title[300];
    char day[CALDATE_ISO_SIZE];
    if (!st->loaded)
        return _("Retention");
    const struct retention_person *p = person_of(&st->h, &st->ref);
    snprintf(title, sizeof(title), _("Retention: %s (%s)"), p ? p->name : st->h.employee.name,
             st->h.employee.code);
    snprintf(right, rsize, _("today %s"), caldate_format(st->h.today, day));
    return title;
}

static void retention_draw(struct app *app, void *stp, WINDOW *w)
{
    (void)app;
    struct keep_screen *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    if (!st->loaded) {
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, 1, 2, st->error, cols - 4, 3);
        tui_style_off(w, ST_ERROR);
        return;
    }
    int y = 1;
    for (size_t i = (size_t)st->top; i < st->nlines && y < rows - 2; i++)
        y += draw_line(w, y, cols, rows - 2 - y, &st->lines[i]);
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2,
            access_allowed(session_role(tui_session(app)), ACT_RETENTION_HOLD)
                ? _("↑↓: scroll   h: hold a due number   u: release the hold   Esc: back")
                : _("↑↓: scroll   Esc: back"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next open_hold(struct app *app, struct keep_screen *st);

static enum tui_next release(struct app *app, struct keep_screen *st)
{
    const struct retention_person *p = person_of(&st->h, &st->ref);
    if (!p || !p->has_hold) {
        tui_message(app, 1, "%s", _("No hold is in force for this number."));
        return TUI_STAY;
    }
    if (!tui_confirm(app, _("Release the hold? The number is due again if past its date.")))
        return TUI_STAY;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = retention_release(tui_session(app), &st->ref, &diag);
    if (err != MNV_OK) {
        char msg[300];
        tui_error_text(msg, sizeof(msg), err, &diag);
        tui_message(app, 1, "%s", msg);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    tui_message(app, 0, "%s", _("Hold released and recorded."));
    load(app, st);
    return TUI_STAY;
}

static enum tui_next retention_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct keep_screen *st = stp;
    switch (ev->action) {
    case TA_UP:
        if (st->top > 0)
            st->top--;
        return TUI_STAY;
    case TA_DOWN:
        if (st->top + 1 < (long)st->nlines)
            st->top++;
        return TUI_STAY;
    case TA_HOME:
        st->top = 0;
        return TUI_STAY;
    case TA_HOLD:
        return st->loaded ? open_hold(app, st) : TUI_STAY;
    case TA_RELEASE:
        return st->loaded ? release(app, st) : TUI_STAY;
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void retention_resume(struct app *app, void *stp)
{
    load(app, stp);
}

static void retention_release_state(void *stp)
{
    struct keep_screen *st = stp;
    retention_household_free(&st->h);
    retention_rules_free(&st->rules);
    free(st->lines);
    free(st);
}

#define RETENTION_OPS(var, keyset)                                                                 \
    static const struct screen_ops var = {                                                         \
        .name = "retention",                                                                       \
        .keys = keyset,                                                                            \
        .heading = retention_heading,                                                              \
        .draw = retention_draw,                                                                    \
        .handle = retention_handle,                                                                \
        .resume = retention_resume,                                                                \
        .release = retention_release_state,                                                        \
    }
RETENTION_OPS(ops_sup, keys_sup);
RETENTION_OPS(ops_plain, keys_plain);

enum tui_next scr_retention_push(struct app *app, long long employee_id,
                                 const struct person_ref *ref)
{
    struct keep_screen *st = tui_state_new(app, sizeof(*st));
    if (!st)
        return TUI_STAY;
    st->employee_id = employee_id;
    st->ref = *ref;
    load(app, st);
    int sup = access_allowed(session_role(tui_session(app)), ACT_RETENTION_HOLD);
    return tui_push(app, sup ? &ops_sup : &ops_plain, st);
}

/* ---- the hold dialog: a reason and a review date ------------------------------------------ */

static enum tui_next hold_place(struct app *app, struct formdlg *d, void *ud)
{
    struct keep_screen *st = ud;
    const char *reason = formdlg_text(d, 0);
    char iso[11];
    if (strspn(reason, " ") == strlen(reason))
        return formdlg_fail(app, d, 0, MNV_ERR_REASON_NEEDED, NULL);
    if (wareki_to_iso(formdlg_text(d, 1), iso) != 0)
        return formdlg_fail(app, d, 1, MNV_ERR_FIELD_DATE, NULL);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = retention_hold(tui_session(app), &st->rules, &st->ref, reason, iso, &diag);
    if (err != MNV_OK)
        return formdlg_fail(app, d, err == MNV_ERR_HOLD_REVIEW || err == MNV_ERR_FIELD_DATE ? 1 : 0,
                            err, &diag);
    app->data_version++;
    tui_message(app, 0, _("Held until %s and recorded."), iso);
    return TUI_POP;
}

static enum tui_next open_hold(struct app *app, struct keep_screen *st)
{
    const struct retention_person *p = person_of(&st->h, &st->ref);
    if (!tui_may(app, ACT_RETENTION_HOLD))
        return TUI_STAY;
    if (!p || (p->verdict.state != RETENTION_DUE && p->verdict.state != RETENTION_HELD))
        return tui_fail(app, MNV_ERR_NOT_DUE);
    char title[200];
    snprintf(title, sizeof(title), _("Hold the number of %s"), p->name);
    const struct formdlg_item items[] = {
        {.label = _("Reason"), .cap = RETENTION_REASON_MAX + 1},
        {.label = _("Review on"),
         .hint = _("YYYY-MM-DD or R9.5.1"),
         .cap = 40,
         .width = 14,
         .accept = field_accept_date},
    };
    const struct formdlg_spec spec = {
        .name = "retention-hold",
        .title = title,
        .intro = _("The number is past its retention period. A hold keeps it, for the reason "
                   "you record, until the review date (at most a year ahead); then it is due "
                   "again. The hold is recorded in the audit log."),
        .enter = _("Enter: place the hold"),
        .items = items,
        .n = 2,
        .submit = hold_place,
        .ud = st,
    };
    return formdlg_push(app, &spec);
}
