/*
 * scr_incident.c: incidents (F9, Incidents; i on the custody register and the backups
 * screen): a lost or leaked export copy, backup or device — the list of incidents recorded,
 * newest first, with whether each must be reported to the Commission; n records one (clerks
 * and supervisors: a dialog of the file, the event, the day it became known, whether its
 * key went with it and a note), after which the report is shown: what the file held,
 * whether to report and by when, the report's fields. Enter shows an incident's report, w
 * writes it as a PDF or CSV (incident.h, as `mnvault incident`). Nothing here holds a
 * number or a name.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw.h"
#include "formdlg.h"
#include "listscreen.h"
#include "phrases.h"
#include "textpage.h"
#include "mnvault/access.h"
#include "mnvault/caldate.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/incident.h"
#include "mnvault/session.h"
#include "mnvault/strbuf.h"

struct incidents_screen {
    struct incident_rec *recs; /* newest first */
    size_t n;
};

static const struct keydef keys_record[] = {
    {'n', 0, TA_INCIDENT_NEW}, {'w', 0, TA_INCIDENT_WRITE}, {0, 0, TA_NONE}};
static const struct keydef keys_read[] = {{'w', 0, TA_INCIDENT_WRITE}, {0, 0, TA_NONE}};

/* ---- the report as a page --------------------------------------------------------------- */

static enum tui_next show_report(struct app *app, const struct incident_rec *r, int replace)
{
    char title[80];
    snprintf(title, sizeof(title), _("Incident %lld"), (long long)r->id);
    struct textpage *t = textpage_new("incident-report", title, 0);
    struct strbuf text = STRBUF_INIT;
    if (!t || incident_text(r, &text) != MNV_OK) {
        strbuf_release(&text);
        textpage_free(t);
        return tui_fail(app, MNV_ERR_NOMEM);
    }
    char *buf = text.buf, *save = NULL;
    int fields = 0;
    for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        int field = line[0] == ' ';
        /* the first field is the verdict */
        enum tui_style st = !field                                    ? ST_HEADER
                            : fields++ == 0 && r->verdict.must_report ? ST_ERROR
                                                                      : ST_NORMAL;
        textpage_add(t, st, "%s", field ? line + 2 : line);
    }
    strbuf_release(&text);
    return replace ? textpage_replace(app, t) : textpage_push(app, t);
}

/* ---- recording -------------------------------------------------------------------------- */

struct new_ud {
    enum incident_source source;
};

static const char *source_words[4], *event_words[7], *yes_no[3], *as_event[4];

static void fill_words(void)
{
    source_words[0] = _("export copy");
    source_words[1] = _("backup");
    source_words[2] = _("device with the vault");
    source_words[3] = NULL;
    for (int e = INCIDENT_LOST; e <= INCIDENT_DAMAGED; e++)
        event_words[e - 1] = _(incident_event_label((enum incident_event)e));
    event_words[6] = NULL;
    yes_no[0] = _("no");
    yes_no[1] = _("yes");
    yes_no[2] = NULL;
    as_event[0] = _("as the event says");
    as_event[1] = _("yes");
    as_event[2] = _("no");
    as_event[3] = NULL;
}

/* A choice of as_event: -1 (the event decides), 1 or 0. */
static int tri(int choice)
{
    return choice == 0 ? -1 : choice == 1;
}

enum {
    F_SOURCE,
    F_ENTRY,
    F_EVENT,
    F_KNOWN,
    F_HAPPENED,
    F_MALICIOUS,
    F_PUBLIC,
    F_UNLAWFUL,
    F_KEY,
    F_NOTE,
    F_COUNT
};

static enum tui_next new_submit(struct app *app, struct formdlg *d, void *ud)
{
    (void)ud;
    struct incident_request q = {.malicious = -1, .public_view = -1};
    q.source = (enum incident_source)(formdlg_choice(d, F_SOURCE) + 1);
    if (q.source != INCIDENT_DEVICE) {
        char *end;
        q.source_id = strtoll(formdlg_text(d, F_ENTRY), &end, 10);
        if (*end || q.source_id <= 0) {
            formdlg_say(d, F_ENTRY,
                        _("Write the entry's number (the No. of the custody register or "
                          "of the backups)."));
            return TUI_STAY;
        }
    }
    q.event = (enum incident_event)(formdlg_choice(d, F_EVENT) + 1);
    q.known_on = formdlg_text(d, F_KNOWN);
    q.happened_on = formdlg_text(d, F_HAPPENED);
    q.malicious = tri(formdlg_choice(d, F_MALICIOUS));
    q.public_view = tri(formdlg_choice(d, F_PUBLIC));
    q.unlawful = formdlg_choice(d, F_UNLAWFUL);
    q.key_exposed = formdlg_choice(d, F_KEY);
    q.summary = formdlg_text(d, F_NOTE);
    struct incident_rec r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = incident_record(tui_session(app), &q, &r, &diag);
    if (err != MNV_OK) {
        int at = err == MNV_ERR_INCIDENT_DATE
                     ? (formdlg_text(d, F_HAPPENED)[0] ? F_HAPPENED : F_KNOWN)
                 : err == MNV_ERR_NOT_FOUND ? F_ENTRY
                 : (err == MNV_ERR_FIELD_NUMBER || err == MNV_ERR_FIELD_LONG ||
                    err == MNV_ERR_FIELD_CHARS)
                     ? F_NOTE
                     : -1;
        return formdlg_fail(app, d, at, err, &diag);
    }
    app->data_version++;
    tui_message(app, 0, _("Incident %lld recorded."), (long long)r.id);
    return show_report(app, &r, 1);
}

enum tui_next scr_incident_new_push(struct app *app, enum incident_source source, int64_t id)
{
    if (!tui_may(app, ACT_INCIDENT_RECORD))
        return TUI_STAY;
    fill_words();
    char entry[24] = "", today[CALDATE_ISO_SIZE];
    if (id > 0)
        snprintf(entry, sizeof(entry), "%lld", (long long)id);
    caldate_format(clock_today(), today);
    const struct formdlg_item items[] = {
        {.label = _("File"), .choices = source_words, .choice = source ? (int)source - 1 : 0},
        {.label = _("Entry No."), .hint = _("(not for a device)"), .cap = 20, .value = entry},
        {.label = _("What happened"), .choices = event_words},
        {.label = _("Became known"), .hint = _("YYYY-MM-DD"), .cap = 11, .value = today},
        {.label = _("Happened on"), .hint = _("YYYY-MM-DD; empty if not known"), .cap = 11},
        {.label = _("Unlawful purpose"),
         .choices = as_event,
         .hint = _("stolen, unauthorised access: yes")},
        {.label = _("Open to anyone"), .choices = as_event, .hint = _("made public: yes")},
        {.label = _("Against the Act"),
         .choices = yes_no,
         .hint = _("used or provided against the My Number Act")},
        {.label = _("Key went too"),
         .choices = yes_no,
         .hint = _("password, passphrase or key with it")},
        {.label = _("Note"), .hint = _("no My Number"), .cap = INCIDENT_TEXT_MAX + 1},
    };
    const struct formdlg_spec spec = {
        .name = "incident-new",
        .title = _("Record a lost or leaked file"),
        .intro = _("The vault says what the file held, whether the event must be reported to the "
                   "Personal Information Protection Commission, and fills in the report. "
                   "Recorded in the audit log."),
        .enter = _("Enter: record"),
        .items = items,
        .n = F_COUNT,
        .submit = new_submit,
    };
    return formdlg_push(app, &spec);
}

/* ---- writing the report ----------------------------------------------------------------- */

struct write_ud {
    struct incident_rec rec;
};

static enum tui_next write_submit(struct app *app, struct formdlg *d, void *ud)
{
    struct write_ud *x = ud;
    const char *path = formdlg_text(d, 0);
    if (!path[0])
        return TUI_STAY;
    if (access(path, F_OK) == 0 && !tui_confirm(app, _("A file of this name exists. Replace it?")))
        return TUI_STAY;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = incident_write(tui_session(app), &x->rec, path, &diag);
    if (err != MNV_OK)
        return formdlg_fail(app, d, 0, err, &diag);
    tui_message(app, 0, _("The report of incident %lld is written to %s"), (long long)x->rec.id,
                path);
    return TUI_POP;
}

static enum tui_next open_write(struct app *app, const struct incident_rec *r)
{
    struct write_ud *x = calloc(1, sizeof(*x));
    if (!x)
        return TUI_STAY;
    x->rec = *r;
    char name[1024];
    const char *home = getenv("HOME");
    snprintf(name, sizeof(name), "%s%smnvault-incident-%lld.pdf", home && home[0] ? home : "",
             home && home[0] ? "/" : "", (long long)r->id);
    const struct formdlg_item items[] = {{.label = _("File"), .cap = 1024, .value = name}};
    const struct formdlg_spec spec = {
        .name = "incident-write",
        .title = _("Write the incident report"),
        .intro = _("The report (the draft of the report to the Personal Information "
                   "Protection Commission) as a PDF, or CSV for a name ending in .csv; "
                   "readable only by you; it holds no My Number and no name; recorded in the "
                   "audit log."),
        .enter = _("Enter: write"),
        .items = items,
        .n = 1,
        .submit = write_submit,
        .ud = x,
        .ud_release = free,
    };
    return formdlg_push(app, &spec);
}

/* ---- the list --------------------------------------------------------------------------- */

static long load(struct app *app, void *model, char *err, size_t errsize)
{
    struct incidents_screen *st = model;
    free(st->recs);
    st->recs = NULL;
    st->n = 0;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err e = incident_list(tui_session(app), &st->recs, &st->n, &diag);
    if (e != MNV_OK) {
        tui_error_text(err, errsize, e, &diag);
        return -1;
    }
    return (long)st->n;
}

static const char *incidents_heading(struct app *app, void *model, char *right, size_t rsize)
{
    (void)app;
    struct incidents_screen *st = model;
    snprintf(right, rsize, _("%zu recorded"), st->n);
    return _("Incidents (lost or leaked files)");
}

static void draw_row(WINDOW *w, int y, const struct incident_rec *r, int sel, int cols)
{
    char id[16], numbers[16];
    snprintf(id, sizeof(id), "#%lld", (long long)r->id);
    snprintf(numbers, sizeof(numbers), "%ld", r->survey.numbers);
    int x = 0;
    enum tui_style st = sel ? ST_SELECTED : ST_NORMAL;
    tui_style_on(w, st);
    x += tui_put(w, y, x, sel ? ">" : " ", 1, 1);
    x += tui_put_col(w, y, x, id, 5);
    x += tui_put_col(w, y, x, r->known_on, 11);
    x += tui_put_col(w, y, x, _(incident_event_label(r->event)), 16);
    x += tui_put_right(w, y, x, numbers, 8);
    x += tui_put(w, y, x, "  ", 2, 1);
    x += tui_put_col(w, y, x, r->verdict.must_report ? _("REPORT") : _("no report"), 10);
    tui_put(w, y, x, r->survey.label, cols - x, 1);
    tui_style_off(w, st);
}

static void incidents_draw(struct app *app, void *model, const struct listview *lv, int first,
                           WINDOW *w)
{
    struct incidents_screen *st = model;
    int cols = getmaxx(w), rows = getmaxy(w), x = 1;
    tui_style_on(w, ST_HEADER);
    x += tui_put_col(w, 0, x, _("No."), 5);
    x += tui_put_col(w, 0, x, _("Known"), 11);
    x += tui_put_col(w, 0, x, _("Event"), 16);
    x += tui_put_right(w, 0, x, _("Numbers"), 8);
    x += tui_put(w, 0, x, "  ", 2, 1);
    x += tui_put_col(w, 0, x, _("Report"), 10);
    tui_put(w, 0, x, _("File"), cols - x, 1);
    tui_style_off(w, ST_HEADER);
    if (st->n == 0) {
        tui_style_on(w, ST_DIM);
        tui_put(w, 2, 4, _("No incident has been recorded."), cols - 8, 0);
        tui_style_off(w, ST_DIM);
    }
    for (long i = lv->top; i < (long)st->n && i < lv->top + lv->rows; i++)
        draw_row(w, first + (int)(i - lv->top), &st->recs[i], i == lv->sel, cols);
    if (st->n) {
        const struct incident_rec *r = &st->recs[lv->sel];
        char items[600];
        tui_put(w, rows - 3, 2, r->survey.where, cols - 4, 0);
        tui_style_on(w, ST_DIM);
        tui_put(w, rows - 2, 2, incident_items_text(r->survey.items, items, sizeof(items)),
                cols - 4, 0);
        tui_style_off(w, ST_DIM);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2,
            access_allowed(session_role(tui_session(app)), ACT_INCIDENT_RECORD)
                ? _("Enter: the report   n: record an incident   w: write the report   Esc: back")
                : _("Enter: the report   w: write the report   Esc: back"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next incidents_act(struct app *app, void *model, long sel,
                                   const struct tui_event *ev)
{
    struct incidents_screen *st = model;
    switch (ev->action) {
    case TA_INCIDENT_NEW:
        return scr_incident_new_push(app, 0, 0);
    case TA_OPEN:
        return sel >= 0 ? show_report(app, &st->recs[sel], 0) : TUI_STAY;
    case TA_INCIDENT_WRITE:
        return sel >= 0 ? open_write(app, &st->recs[sel]) : TUI_STAY;
    default:
        return TUI_STAY;
    }
}

static void incidents_release(void *model)
{
    struct incidents_screen *st = model;
    free(st->recs);
    free(st);
}

static const struct listscreen_def incidents_def = {
    .name = "incidents",
    .load = load,
    .heading = incidents_heading,
    .draw = incidents_draw,
    .act = incidents_act,
    .release = incidents_release,
    .first = 1,
    .below = 4,
};

enum tui_next scr_incidents_push(struct app *app)
{
    enum mnv_role role = session_role(tui_session(app));
    struct incidents_screen *st = tui_screen_new(app, ACT_CUSTODY_READ, sizeof(*st));
    if (!st)
        return TUI_STAY;
    return listscreen_push(app, &incidents_def,
                           access_allowed(role, ACT_INCIDENT_RECORD) ? keys_record : keys_read, st);
}
