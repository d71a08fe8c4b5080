/*
 * scr_collect_steps.c: the five steps of the collection wizard's view (scr_collect.c is
 * the screen around them): for each step what it draws and what Enter, Space and PgDn do
 * with the model (collectwiz.h) — the number typed twice, how it was collected, the
 * documents one check at a time, the purposes, the summary and store.
 */
#include "collect_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "phrases.h"
#include "mnvault/i18n.h"

static const char *L(const char *ja, const char *en)
{
    return i18n_is_japanese() ? ja : en;
}

void collectscr_say(struct collect_state *st, int error, const char *text)
{
    snprintf(st->msg, sizeof(st->msg), "%s", text);
    st->msg_error = error;
}

void collectscr_say_err(struct collect_state *st, enum mnv_err err, const struct mnv_diag *diag)
{
    char text[500];
    tui_error_text(text, sizeof(text), err, diag);
    collectscr_say(st, 1, text);
}

/* The list of the documents or purposes step starts at its top. */
void collectscr_list_reset(struct collect_state *st, size_t count, int rows)
{
    memset(&st->lv, 0, sizeof(st->lv));
    listview_fit(&st->lv, rows);
    listview_set_count(&st->lv, count);
    st->focus = 0;
}

/* After a step moved on: set up the new step's list and fields. */
static void entered(struct collect_state *st)
{
    if (st->w.step == COLLECTWIZ_DOCS) {
        collectscr_list_reset(st, st->w.ndocs, 10);
    } else if (st->w.step == COLLECTWIZ_PURPOSES) {
        collectscr_list_reset(st, st->w.npurposes, 8);
        if (!st->notified.len)
            field_set(&st->notified, st->w.req.verified_on);
    } else {
        st->focus = 0;
    }
}

/* ---- step 1: the number -------------------------------------------------------------------- */

static enum tui_next number_enter(struct collect_state *st)
{
    if (st->focus == 0) {
        st->focus = 1;
        return TUI_STAY;
    }
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = collectwiz_set_number(&st->w, st->num1.buf, st->num1.len, st->num2.buf,
                                             st->num2.len, &diag);
    field_clear(&st->num1);
    field_clear(&st->num2);
    if (err != MNV_OK) {
        mnv_diag_clear(&diag); /* a number's column or digit count is not worth showing */
        collectscr_say_err(st, err, &diag);
        st->focus = 0;
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    st->focus = M_ROUTE;
    collectscr_say(st, 0, _("The number is valid and not registered to anyone else."));
    return TUI_STAY;
}

static void draw_number(struct app *app, struct collect_state *st, WINDOW *w, int y)
{
    int cols = getmaxx(w);
    if (st->w.facts.status == NUMBER_REGISTERED) {
        tui_put_wrapped(w, y, 2,
                        _("This person already has a number. A different number replaces it; "
                          "the earlier verification stays in the history without the number."),
                        cols - 4, 2);
        y += 2;
    }
    const char *labels[2] = {_("My Number"), _("Again")};
    struct field *f[2] = {&st->num1, &st->num2};
    for (int i = 0; i < 2; i++) {
        tui_style_on(w, ST_HEADER);
        tui_put(w, y + 1 + i, 2, labels[i], 16, 1);
        tui_style_off(w, ST_HEADER);
        mvwaddch(w, y + 1 + i, 19, '[');
        field_draw(f[i], w, y + 1 + i, 20, 16, st->focus == i,
                   st->focus == i ? &app->cursor_y : NULL, st->focus == i ? &app->cursor_x : NULL);
        mvwaddch(w, y + 1 + i, 36, ']');
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, y + 4, 2, _("Type the 12 digits twice; they are never shown."), cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* ---- step 2: how it was collected -------------------------------------------------------- */

static const char *route_name(const struct collect_state *st)
{
    const struct id_route_def *r = collectwiz_route(&st->w);
    return r ? L(r->name_ja, r->name_en) : "-";
}

static const char *channel_word(enum id_channel c)
{
    switch (c) {
    case ID_CHANNEL_POST:
        return _("by post");
    case ID_CHANNEL_ONLINE:
        return _("online");
    default:
        return _("in person");
    }
}

static void draw_choice(WINDOW *w, int y, const char *label, const char *value, int focused,
                        int enabled)
{
    char text[300];
    tui_style_on(w, ST_HEADER);
    tui_put(w, y, 2, label, 24, 1);
    tui_style_off(w, ST_HEADER);
    snprintf(text, sizeof(text), "< %s >", value);
    tui_style_on(w, focused ? ST_SELECTED : enabled ? ST_NORMAL : ST_DIM);
    tui_put(w, y, 27, text, getmaxx(w) - 29, 1);
    tui_style_off(w, focused ? ST_SELECTED : enabled ? ST_NORMAL : ST_DIM);
}

static void draw_method(struct app *app, struct collect_state *st, WINDOW *w, int y)
{
    draw_choice(w, y, _("Collected"), route_name(st), st->focus == M_ROUTE, 1);
    draw_choice(w, y + 1, _("Channel"), channel_word(st->w.req.channel), st->focus == M_CHANNEL, 1);
    draw_choice(w, y + 2, _("Obviously not someone else"),
                st->w.req.known_in_person ? _("yes: no identity document") : _("no"),
                st->focus == M_KNOWN, collectwiz_known_allowed(&st->w));
    const char *labels[2] = {_("Checked by"), _("Checked on")};
    struct field *f[2] = {&st->verifier, &st->date};
    for (int i = 0; i < 2; i++) {
        int focused = st->focus == M_VERIFIER + i;
        tui_style_on(w, ST_HEADER);
        tui_put(w, y + 3 + i, 2, labels[i], 24, 1);
        tui_style_off(w, ST_HEADER);
        field_draw(f[i], w, y + 3 + i, 27, 30, focused, focused ? &app->cursor_y : NULL,
                   focused ? &app->cursor_x : NULL);
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, y + 6, 2, _("Tab/↑↓: move   Space: change a choice   Dates: 2025-04-01 or R7.4.1"),
            getmaxx(w) - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next method_enter(struct collect_state *st)
{
    if (st->focus < M_DATE) {
        st->focus++;
        if (st->focus == M_KNOWN && !collectwiz_known_allowed(&st->w))
            st->focus++;
        return TUI_STAY;
    }
    char iso[11];
    enum mnv_err err = collectwiz_set_method(&st->w, st->verifier.buf, st->date.buf, iso, NULL);
    if (err != MNV_OK) {
        collectscr_say_err(st, err, NULL);
        return TUI_STAY;
    }
    field_set(&st->date, iso);
    entered(st);
    st->msg[0] = '\0';
    return TUI_STAY;
}

static void method_toggle(struct collect_state *st)
{
    switch (st->focus) {
    case M_ROUTE:
        collectwiz_next_route(&st->w);
        break;
    case M_CHANNEL:
        collectwiz_next_channel(&st->w);
        break;
    case M_KNOWN:
        collectwiz_toggle_known(&st->w);
        break;
    default:
        break;
    }
}

/* ---- step 3: documents, one check at a time ---------------------------------------------- */

static const char *check_title(enum id_check c)
{
    switch (c) {
    case ID_CHECK_NUMBER:
        return _("Documents that prove the number (番号確認)");
    case ID_CHECK_IDENTITY:
        return _("Documents that prove who the person is (身元確認)");
    case ID_CHECK_AUTHORITY:
        return _("Proof of the agent's authority (代理権確認)");
    default:
        return _("Documents that prove who the agent is (代理人の身元確認)");
    }
}

static void toggle_doc(struct collect_state *st)
{
    if (st->w.ndocs == 0)
        return;
    enum mnv_err err = collectwiz_toggle_doc(&st->w, (size_t)st->lv.sel);
    if (err != MNV_OK) {
        collectscr_say_err(st, err, NULL);
        return;
    }
    const struct id_doc_def *d = collectwiz_doc(&st->w, (size_t)st->lv.sel);
    if (collectwiz_doc_chosen(&st->w, (size_t)st->lv.sel) && d->note_ja[0])
        collectscr_say(st, 0, L(d->note_ja, d->note_en));
}

/* The message for a check that is not yet proven. */
static void say_missing(struct collect_state *st, enum id_check c, const struct id_verdict *v)
{
    char text[600];
    snprintf(text, sizeof(text), "%s", _(mnv_err_str(idrules_missing_error(c))));
    int more = v->more_parts[c];
    if (more > 0 && (c == ID_CHECK_IDENTITY || c == ID_CHECK_AGENT_IDENTITY)) {
        size_t n = strlen(text);
        snprintf(text + n, sizeof(text) - n,
                 ngettext(" — still missing: %d document without a photo, or one photo ID",
                          " — still missing: %d documents without a photo, or one photo ID",
                          (unsigned long)more),
                 more);
    }
    collectscr_say(st, 1, text);
}

/* Keep the highlighted document's reference in the model. */
void collectscr_store_ref(struct collect_state *st)
{
    if (collectwiz_ref_allowed(&st->w, (size_t)st->lv.sel) &&
        collectwiz_set_doc_ref(&st->w, (size_t)st->lv.sel, st->docref.buf) != MNV_OK)
        collectscr_say_err(st, MNV_ERR_ID_REF, NULL);
}

void collectscr_load_ref(struct collect_state *st)
{
    const struct collect_doc *e = collectwiz_doc_chosen(&st->w, (size_t)st->lv.sel);
    field_clear(&st->docref);
    if (e)
        field_set(&st->docref, e->ref);
}

static enum tui_next docs_enter(struct collect_state *st)
{
    if (st->focus == 1) {
        collectscr_store_ref(st);
        field_clear(&st->docref);
        st->focus = 0;
    }
    struct id_verdict v;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum id_check c = collectwiz_check(&st->w);
    enum mnv_err err = collectwiz_docs_done(&st->w, &v, &diag);
    if (err == idrules_missing_error(c)) {
        say_missing(st, c, &v);
        return TUI_STAY;
    }
    if (err != MNV_OK) {
        collectscr_say_err(st, err, &diag);
        return TUI_STAY;
    }
    st->msg[0] = '\0';
    entered(st);
    return TUI_STAY;
}

static void draw_docs(struct app *app, struct collect_state *st, WINDOW *w, int y)
{
    int cols = getmaxx(w);
    tui_style_on(w, ST_HEADER);
    tui_put(w, y, 2, check_title(collectwiz_check(&st->w)), cols - 4, 0);
    tui_style_off(w, ST_HEADER);
    listview_fit(&st->lv, 9);
    for (int r = 0; r < 9 && st->lv.top + r < (long)st->w.ndocs; r++) {
        long i = st->lv.top + r;
        const struct id_doc_def *d = collectwiz_doc(&st->w, (size_t)i);
        const struct collect_doc *e = collectwiz_doc_chosen(&st->w, (size_t)i);
        char text[400];
        snprintf(text, sizeof(text), "%s [%s] %s%s%s", i == st->lv.sel ? ">" : " ", e ? "x" : " ",
                 L(d->name_ja, d->name_en), e && e->ref[0] ? "  …" : "", e ? e->ref : "");
        if (i == st->lv.sel && st->focus == 0)
            tui_style_on(w, ST_SELECTED);
        tui_put(w, y + 1 + r, 2, text, cols - 4, 1);
        if (i == st->lv.sel && st->focus == 0)
            tui_style_off(w, ST_SELECTED);
    }
    int fy = y + 11;
    tui_style_on(w, ST_HEADER);
    tui_put(w, fy, 2, _("Last characters of its own number (optional, at most 4)"), 50, 1);
    tui_style_off(w, ST_HEADER);
    mvwaddch(w, fy, 53, '[');
    field_draw(&st->docref, w, fy, 54, 6, st->focus == 1, st->focus == 1 ? &app->cursor_y : NULL,
               st->focus == 1 ? &app->cursor_x : NULL);
    mvwaddch(w, fy, 60, ']');
    tui_style_on(w, ST_DIM);
    tui_put(w, fy + 1, 2,
            _("↑↓: document  Space: select  Tab: its number's last characters  Enter: next"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* ---- step 4: purposes -------------------------------------------------------------------- */

static enum tui_next purposes_enter(struct collect_state *st)
{
    char iso[11];
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = collectwiz_set_purposes(&st->w, st->notified.buf, iso, &diag);
    if (!iso[0]) {
        collectscr_say_err(st, err, NULL); /* the day as typed could not be read */
        return TUI_STAY;
    }
    field_set(&st->notified, iso);
    if (err != MNV_OK) {
        collectscr_say_err(st, err, &diag);
        return TUI_STAY;
    }
    st->msg[0] = '\0';
    return TUI_STAY;
}

static void draw_purposes(struct app *app, struct collect_state *st, WINDOW *w, int y)
{
    int cols = getmaxx(w);
    tui_style_on(w, ST_HEADER);
    tui_put(w, y, 2, _("Purposes of use notified to the person"), cols - 4, 0);
    tui_style_off(w, ST_HEADER);
    long shown = st->w.npurposes < 10 ? (long)st->w.npurposes : 10;
    for (long i = 0; i < shown; i++) {
        char text[400];
        snprintf(text, sizeof(text), "%s [%s] %s", i == st->lv.sel ? ">" : " ",
                 st->w.chosen[(size_t)i] ? "x" : " ",
                 tui_purpose_name(app, collectwiz_purpose(&st->w, (size_t)i)->code));
        if (i == st->lv.sel && st->focus == 0)
            tui_style_on(w, ST_SELECTED);
        tui_put(w, y + 1 + (int)i, 2, text, cols - 4, 1);
        if (i == st->lv.sel && st->focus == 0)
            tui_style_off(w, ST_SELECTED);
    }
    int fy = y + 2 + (int)shown;
    tui_style_on(w, ST_HEADER);
    tui_put(w, fy, 2, _("Notified or stated on"), 16, 1);
    tui_style_off(w, ST_HEADER);
    field_draw(&st->notified, w, fy, 19, 14, st->focus == 1, st->focus == 1 ? &app->cursor_y : NULL,
               st->focus == 1 ? &app->cursor_x : NULL);
    tui_style_on(w, ST_DIM);
    tui_put(w, fy + 1, 2, _("↑↓: purpose   Space: select   Tab: the date   Enter: next"), cols - 4,
            0);
    tui_style_off(w, ST_DIM);
    /* A purpose's name is often wider than the list: the one under the cursor in full. */
    if (st->w.npurposes && st->lv.sel >= 0 && (size_t)st->lv.sel < st->w.npurposes)
        tui_put_wrapped(w, fy + 3, 2,
                        tui_purpose_name(app, collectwiz_purpose(&st->w, (size_t)st->lv.sel)->code),
                        cols - 4, 3);
}

/* ---- step 5: summary and store ------------------------------------------------------------- */

static const char *check_word(enum id_check c)
{
    switch (c) {
    case ID_CHECK_NUMBER:
        return _("number");
    case ID_CHECK_IDENTITY:
        return _("identity");
    case ID_CHECK_AUTHORITY:
        return _("authority");
    default:
        return _("agent");
    }
}

/* "number: My Number card; identity: …" for the documents and the exemption. */
static size_t documents_text(const struct collect_state *st, char *text, size_t size)
{
    const struct collect_request *req = &st->w.req;
    size_t o = 0;
    text[0] = '\0';
    if (req->known_in_person)
        o += (size_t)snprintf(text, size, "%s: %s",
                              check_word(idrules_route_waives(collectwiz_route(&st->w))),
                              _("obviously not someone else, no document"));
    for (size_t i = 0; i < req->ndocs && o < size; i++) {
        const struct id_doc_def *d = idrules_doc(st->w.rules, req->docs[i].doc);
        o += (size_t)snprintf(text + o, size - o, "%s%s: %s%s%s", o ? "; " : "",
                              check_word(req->docs[i].check),
                              d ? L(d->name_ja, d->name_en) : req->docs[i].doc,
                              req->docs[i].ref[0] ? " …" : "", req->docs[i].ref);
    }
    return o;
}

static void draw_summary(struct app *app, struct collect_state *st, WINDOW *w, int y)
{
    int cols = getmaxx(w);
    const struct collect_request *req = &st->w.req;
    char text[1200], masked[MYNUMBER_FORMAT_SIZE];
    struct {
        const char *label;
        const char *value;
    } lines[] = {
        {_("Person"), st->who},
        {_("My Number"),
         mynumber_format_masked(masked, MYNUMBER_INDIVIDUAL, MYNUMBER_MASK_NONE, NULL)},
        {_("Collected"), route_name(st)},
        {_("Channel"), channel_word(req->channel)},
        {_("Checked by"), req->verified_by},
        {_("Checked on"), req->verified_on},
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(lines); i++) {
        tui_style_on(w, ST_HEADER);
        tui_put(w, y + (int)i, 2, lines[i].label, 16, 1);
        tui_style_off(w, ST_HEADER);
        tui_put(w, y + (int)i, 19, lines[i].value, cols - 21, 0);
    }
    int yy = y + (int)MNV_ARRAY_LEN(lines);
    size_t o = documents_text(st, text, sizeof(text));
    tui_style_on(w, ST_HEADER);
    tui_put(w, yy, 2, _("Documents"), 16, 1);
    tui_style_off(w, ST_HEADER);
    yy += tui_put_wrapped(w, yy, 19, o ? text : "—", cols - 21, 3);
    o = 0;
    text[0] = '\0';
    for (size_t i = 0; i < req->npurposes && o < sizeof(text); i++)
        o += (size_t)snprintf(text + o, sizeof(text) - o, "%s%s", i ? "; " : "",
                              tui_purpose_name(app, req->purposes[i].code));
    tui_style_on(w, ST_HEADER);
    tui_put(w, yy, 2, _("Purposes"), 16, 1);
    tui_style_off(w, ST_HEADER);
    snprintf(text + o, sizeof(text) - o, " (%s)", st->notified.buf);
    yy += tui_put_wrapped(w, yy, 19, text, cols - 21, 3);
    tui_style_on(w, ST_DIM);
    tui_put(w, yy + 1, 2, _("Enter or F2: store   PgUp: back   Esc: leave without storing"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

enum tui_next collectscr_store(struct app *app, struct collect_state *st)
{
    struct collect_result res;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = collectwiz_store(&st->w, &res, &diag);
    if (err != MNV_OK) {
        if (st->w.step == COLLECTWIZ_NUMBER)
            st->focus = 0;
        collectscr_say_err(st, err, &diag);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    app->data_version++;
    tui_message(app, 0,
                res.recollected ? _("Stored: the new number replaced the earlier one, whose "
                                    "verification stays in the history.")
                                : _("Stored with the identity verification and the purposes."));
    return TUI_POP;
}

/* ---- what the keys do in each step --------------------------------------------------------- */

/* Draw the current step from row y. */
void collectscr_draw_step(struct app *app, struct collect_state *st, WINDOW *w, int y)
{
    switch (st->w.step) {
    case COLLECTWIZ_NUMBER:
        draw_number(app, st, w, y);
        break;
    case COLLECTWIZ_METHOD:
        draw_method(app, st, w, y);
        break;
    case COLLECTWIZ_DOCS:
        draw_docs(app, st, w, y);
        break;
    case COLLECTWIZ_PURPOSES:
        draw_purposes(app, st, w, y);
        break;
    default:
        draw_summary(app, st, w, y);
        break;
    }
}

enum tui_next collectscr_enter(struct app *app, struct collect_state *st)
{
    switch (st->w.step) {
    case COLLECTWIZ_NUMBER:
        return number_enter(st);
    case COLLECTWIZ_METHOD:
        return method_enter(st);
    case COLLECTWIZ_DOCS:
        return docs_enter(st);
    case COLLECTWIZ_PURPOSES:
        return purposes_enter(st);
    default:
        return collectscr_store(app, st);
    }
}

/* PgDn: the step is done as far as it is filled in, as Enter on its last field would say;
 * never past the summary (only F2 stores). */
enum tui_next collectscr_next_step(struct app *app, struct collect_state *st)
{
    switch (st->w.step) {
    case COLLECTWIZ_NUMBER:
        st->focus = 1;
        return number_enter(st);
    case COLLECTWIZ_METHOD:
        st->focus = M_DATE;
        return method_enter(st);
    case COLLECTWIZ_DOCS:
    case COLLECTWIZ_PURPOSES:
        return collectscr_enter(app, st);
    default:
        return TUI_STAY;
    }
}

void collectscr_toggle(struct collect_state *st)
{
    if (st->w.step == COLLECTWIZ_METHOD)
        method_toggle(st);
    else if (st->w.step == COLLECTWIZ_DOCS && st->focus == 0)
        toggle_doc(st);
    else if (st->w.step == COLLECTWIZ_PURPOSES && st->focus == 0)
        collectwiz_toggle_purpose(&st->w, (size_t)st->lv.sel);
}
