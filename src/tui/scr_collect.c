/*
 * scr_collect.c: the collection wizard (F2 on the employee detail screen) for the employee
 * or one of the dependents.
 *
 * Steps: the number typed twice into secret fields (drawn masked), checked at once (the
 * reason when it is wrong; a number registered to another record is refused without saying
 * whose) → how it was collected (route, channel, the known-person exemption, who checked,
 * the day) → the documents, one check at a time, offering only documents the rules accept
 * for that check and channel (a combination that is not enough says what is missing) →
 * the purposes notified → a summary → store (one transaction: collect.h). PgUp goes back a
 * step; Esc leaves without storing anything. The number lives only in secmem and is wiped on
 * Esc, on lock (the wizard then starts again at the number) and on release. The dialog for a
 * purpose notified later and the detail screen's verification line are in scr_notify.c.
 */
#include "tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/clock.h"
#include "mnvault/collect.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/purpose.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/wareki.h"

enum step { S_NUMBER, S_METHOD, S_DOCS, S_PURPOSES, S_SUMMARY, S__COUNT };
enum method_field { M_ROUTE, M_CHANNEL, M_KNOWN, M_VERIFIER, M_DATE, M__COUNT };

#define MAX_LIST 40

struct collect_state {
    struct person_ref ref;
    char who[200];
    struct collect_person facts;
    const struct idrules *rules;
    enum step step;
    int focus;
    struct field num1, num2; /* secret */
    struct mynumber *num;    /* secmem; valid from S_METHOD on */
    int have_num;
    int routes[MAX_LIST], nroutes, route_i;
    struct field verifier, date;
    enum id_check checks[ID_CHECK__COUNT];
    int nchecks, check_i;
    int docs[MAX_LIST], ndocs; /* rule documents offered for the current check */
    struct listview lv;
    struct field docref;
    int purposes[MAX_LIST], npurposes;
    int chosen[MAX_LIST];
    struct field notified;
    struct collect_request req;
    char msg[600];
    int msg_error;
};

static const struct keydef collect_keys[] = {
    {KEY_F(2), 1, TA_SAVE},
    {KEY_PPAGE, 1, TA_PREV_STEP},
    {' ', 0, TA_TOGGLE},
    {0, 0, TA_NONE},
};

static const char *L(const char *ja, const char *en)
{
    return i18n_is_japanese() ? ja : en;
}

static void say(struct collect_state *st, int error, const char *text)
{
    snprintf(st->msg, sizeof(st->msg), "%s", text);
    st->msg_error = error;
}

static void say_err(struct collect_state *st, enum mnv_err err, const struct mnv_diag *diag)
{
    char text[500];
    tui_error_text(text, sizeof(text), err, diag);
    say(st, 1, text);
}

static void today(char out[11])
{
    char buf[32];
    clock_format_local(buf, sizeof(buf), clock_now());
    snprintf(out, 11, "%.10s", buf);
}

static void wipe_number(struct collect_state *st)
{
    field_clear(&st->num1);
    field_clear(&st->num2);
    if (st->num)
        mynumber_clear(st->num);
    st->have_num = 0;
}

static const struct id_route_def *cur_route(const struct collect_state *st)
{
    return st->nroutes ? &st->rules->routes[st->routes[st->route_i]] : NULL;
}

static int known_allowed(const struct collect_state *st)
{
    const struct id_route_def *r = cur_route(st);
    return r && r->known_in_person && (st->rules->known_channels & (1u << st->req.channel));
}

/* ---- step 1: the number -------------------------------------------------------------------- */

static enum tui_next number_enter(struct app *app, struct collect_state *st)
{
    if (st->focus == 0) {
        st->focus = 1;
        return TUI_STAY;
    }
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    struct mynumber *again = secmem_alloc(sizeof(*again));
    if (!again)
        return TUI_STAY;
    enum mnv_err err =
        mynumber_parse(st->num, MYNUMBER_INDIVIDUAL, st->num1.buf, st->num1.len, &diag);
    if (err == MNV_OK &&
        (mynumber_parse(again, MYNUMBER_INDIVIDUAL, st->num2.buf, st->num2.len, NULL) != MNV_OK ||
         !secmem_equal(again->digits, st->num->digits, sizeof(again->digits))))
        err = MNV_ERR_NUMBER_MISMATCH;
    mynumber_clear(again);
    secmem_free(again);
    if (err == MNV_OK)
        err = collect_check_number(tui_link(app)->session, &st->ref, st->num, NULL, &diag);
    if (err != MNV_OK) {
        mnv_diag_clear(&diag); /* a number's column or digit count is not worth showing */
        say_err(st, err, &diag);
        wipe_number(st);
        st->focus = 0;
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    field_clear(&st->num1);
    field_clear(&st->num2);
    st->have_num = 1;
    st->step = S_METHOD;
    st->focus = M_ROUTE;
    say(st, 0, _("The number is valid and not registered to anyone else."));
    return TUI_STAY;
}

static void draw_number(struct app *app, struct collect_state *st, WINDOW *w, int y)
{
    int cols = getmaxx(w);
    if (st->facts.status == NUMBER_REGISTERED) {
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
    const struct id_route_def *r = cur_route(st);
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

static void draw_choice(struct app *app, WINDOW *w, int y, const char *label, const char *value,
                        int focused, int enabled)
{
    (void)app;
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
    draw_choice(app, w, y, _("Collected"), route_name(st), st->focus == M_ROUTE, 1);
    draw_choice(app, w, y + 1, _("Channel"), channel_word(st->req.channel), st->focus == M_CHANNEL,
                1);
    draw_choice(app, w, y + 2, _("Obviously not someone else"),
                st->req.known_in_person ? _("yes: no identity document") : _("no"),
                st->focus == M_KNOWN, known_allowed(st));
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

/* Build the list of checks the route needs, in the order the wizard asks for them. */
static void plan_checks(struct collect_state *st)
{
    static const enum id_check order[] = {ID_CHECK_NUMBER, ID_CHECK_IDENTITY, ID_CHECK_AUTHORITY,
                                          ID_CHECK_AGENT_IDENTITY};
    const struct id_route_def *r = cur_route(st);
    st->nchecks = 0;
    for (size_t i = 0; r && i < MNV_ARRAY_LEN(order); i++)
        if (r->requires & (1u << order[i]))
            if (!(st->req.known_in_person && order[i] == idrules_route_waives(r)))
                st->checks[st->nchecks++] = order[i];
}

static void load_docs(struct collect_state *st);
static void setup_purposes(struct app *app, struct collect_state *st);

static enum tui_next method_enter(struct app *app, struct collect_state *st)
{
    char iso[11];
    if (st->focus < M_DATE) {
        st->focus++;
        if (st->focus == M_KNOWN && !known_allowed(st))
            st->focus++;
        return TUI_STAY;
    }
    enum mnv_err date_err = wareki_parse(st->date.buf, iso);
    if (date_err != MNV_OK) {
        say_err(st, date_err, NULL);
        return TUI_STAY;
    }
    field_set(&st->date, iso);
    snprintf(st->req.route, sizeof(st->req.route), "%s", cur_route(st)->code);
    snprintf(st->req.verified_by, sizeof(st->req.verified_by), "%s", st->verifier.buf);
    snprintf(st->req.verified_on, sizeof(st->req.verified_on), "%s", iso);
    st->req.ndocs = 0;
    /* Judge what is known so far: route, exemption, who and when (documents come next). */
    struct id_verdict v;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = collect_judge(st->rules, NULL, &st->req, st->facts.relation,
                                     st->facts.declarant_verified, &v, &diag);
    if (err == MNV_ERR_ID_ROUTE_PERSON || err == MNV_ERR_ID_DECLARANT ||
        err == MNV_ERR_ID_EXEMPTION || err == MNV_ERR_VERIFIER_NEEDED ||
        err == MNV_ERR_FIELD_DATE || err == MNV_ERR_FIELD_FUTURE || err == MNV_ERR_FIELD_CHARS ||
        err == MNV_ERR_FIELD_LONG) {
        say_err(st, err, NULL);
        return TUI_STAY;
    }
    setup_purposes(app, st);
    plan_checks(st);
    st->check_i = 0;
    st->step = st->nchecks ? S_DOCS : S_PURPOSES;
    if (st->step == S_DOCS)
        load_docs(st);
    st->msg[0] = '\0';
    return TUI_STAY;
}

static void method_toggle(struct collect_state *st)
{
    switch (st->focus) {
    case M_ROUTE:
        st->route_i = (st->route_i + 1) % (st->nroutes ? st->nroutes : 1);
        break;
    case M_CHANNEL:
        st->req.channel = (enum id_channel)((st->req.channel + 1) % ID_CHANNEL__COUNT);
        break;
    case M_KNOWN:
        if (known_allowed(st))
            st->req.known_in_person = !st->req.known_in_person;
        break;
    default:
        break;
    }
    if (!known_allowed(st))
        st->req.known_in_person = 0;
}

/* ---- step 3: documents, one check at a time ---------------------------------------------- */

static int doc_index(const struct collect_state *st, const char *code, enum id_check c)
{
    for (size_t i = 0; i < st->req.ndocs; i++)
        if (st->req.docs[i].check == c && strcmp(st->req.docs[i].doc, code) == 0)
            return (int)i;
    return -1;
}

static void load_docs(struct collect_state *st)
{
    enum id_check c = st->checks[st->check_i];
    st->ndocs = 0;
    for (size_t i = 0; i < st->rules->ndocs && st->ndocs < MAX_LIST; i++) {
        const struct id_doc_def *d = &st->rules->docs[i];
        if (!idrules_doc_fits(d, c) || !(d->channels & (1u << st->req.channel)))
            continue;
        if (d->usable_until[0] && strcmp(st->req.verified_on, d->usable_until) > 0)
            continue;
        st->docs[st->ndocs++] = (int)i;
    }
    memset(&st->lv, 0, sizeof(st->lv));
    listview_fit(&st->lv, 10);
    listview_set_count(&st->lv, st->ndocs);
    st->focus = 0;
}

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
    if (st->ndocs == 0)
        return;
    enum id_check c = st->checks[st->check_i];
    const struct id_doc_def *d = &st->rules->docs[st->docs[st->lv.sel]];
    int at = doc_index(st, d->code, c);
    if (at >= 0) {
        memmove(&st->req.docs[at], &st->req.docs[at + 1],
                (st->req.ndocs - (size_t)at - 1) * sizeof(st->req.docs[0]));
        st->req.ndocs--;
        return;
    }
    if (st->req.ndocs >= IDRULES_DOCS_MAX) {
        say_err(st, MNV_ERR_ID_DOC_COUNT, NULL);
        return;
    }
    struct collect_doc *nd = &st->req.docs[st->req.ndocs++];
    memset(nd, 0, sizeof(*nd));
    snprintf(nd->doc, sizeof(nd->doc), "%s", d->code);
    nd->check = c;
    if (d->note_ja[0])
        say(st, 0, L(d->note_ja, d->note_en));
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
    say(st, 1, text);
}

/* Keep the highlighted document's reference in the request. */
static void store_ref(struct collect_state *st)
{
    if (st->ndocs == 0)
        return;
    const struct id_doc_def *d = &st->rules->docs[st->docs[st->lv.sel]];
    int at = doc_index(st, d->code, st->checks[st->check_i]);
    if (at >= 0)
        snprintf(st->req.docs[at].ref, sizeof(st->req.docs[at].ref), "%s", st->docref.buf);
}

static void load_ref(struct collect_state *st)
{
    field_clear(&st->docref);
    if (st->ndocs == 0)
        return;
    const struct id_doc_def *d = &st->rules->docs[st->docs[st->lv.sel]];
    int at = doc_index(st, d->code, st->checks[st->check_i]);
    if (at >= 0)
        field_set(&st->docref, st->req.docs[at].ref);
}

static void enter_purposes(struct collect_state *st);

static enum tui_next docs_enter(struct collect_state *st)
{
    if (st->focus == 1) {
        store_ref(st);
        field_clear(&st->docref);
        st->focus = 0;
    }
    struct id_verdict v;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = collect_judge(st->rules, NULL, &st->req, st->facts.relation,
                                     st->facts.declarant_verified, &v, &diag);
    enum id_check c = st->checks[st->check_i];
    if (err != MNV_OK && err != idrules_missing_error(ID_CHECK_NUMBER) &&
        err != idrules_missing_error(ID_CHECK_IDENTITY) &&
        err != idrules_missing_error(ID_CHECK_AUTHORITY) &&
        err != idrules_missing_error(ID_CHECK_AGENT_IDENTITY) && err != MNV_ERR_PURPOSE_NEEDED) {
        say_err(st, err, &diag);
        return TUI_STAY;
    }
    if (!(v.satisfied & (1u << c))) {
        say_missing(st, c, &v);
        return TUI_STAY;
    }
    /* Skip checks that documents shown earlier already prove (a My Number card). */
    do
        st->check_i++;
    while (st->check_i < st->nchecks && (v.satisfied & (1u << st->checks[st->check_i])));
    st->msg[0] = '\0';
    if (st->check_i >= st->nchecks) {
        enter_purposes(st);
        return TUI_STAY;
    }
    load_docs(st);
    return TUI_STAY;
}

static void draw_docs(struct app *app, struct collect_state *st, WINDOW *w, int y)
{
    int cols = getmaxx(w);
    enum id_check c = st->checks[st->check_i];
    tui_style_on(w, ST_HEADER);
    tui_put(w, y, 2, check_title(c), cols - 4, 0);
    tui_style_off(w, ST_HEADER);
    listview_fit(&st->lv, 9);
    for (int r = 0; r < 9 && st->lv.top + r < st->ndocs; r++) {
        int i = (int)st->lv.top + r;
        const struct id_doc_def *d = &st->rules->docs[st->docs[i]];
        int at = doc_index(st, d->code, c);
        char text[400];
        snprintf(text, sizeof(text), "%s [%s] %s%s%s", i == st->lv.sel ? ">" : " ",
                 at >= 0 ? "x" : " ", L(d->name_ja, d->name_en),
                 at >= 0 && st->req.docs[at].ref[0] ? "  …" : "",
                 at >= 0 ? st->req.docs[at].ref : "");
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
            _("↑↓: document   Space: select   Tab: its number's last characters   Enter: next"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

/* ---- step 4: purposes -------------------------------------------------------------------- */

static void enter_purposes(struct collect_state *st)
{
    st->step = S_PURPOSES;
    st->focus = 0;
    memset(&st->lv, 0, sizeof(st->lv));
    listview_fit(&st->lv, 8);
    listview_set_count(&st->lv, st->npurposes);
    if (!st->notified.len)
        field_set(&st->notified, st->req.verified_on);
}

static void setup_purposes(struct app *app, struct collect_state *st)
{
    const struct purpose_catalog *cat = session_purposes(tui_link(app)->session);
    const struct id_route_def *r = cur_route(st);
    st->npurposes = 0;
    for (size_t i = 0; cat && i < cat->count && st->npurposes < MAX_LIST; i++)
        if (!r || idrules_route_allows_purpose(r, cat->items[i].code))
            st->purposes[st->npurposes++] = (int)i;
    memset(st->chosen, 0, sizeof(st->chosen));
}

static enum tui_next purposes_enter(struct app *app, struct collect_state *st)
{
    const struct purpose_catalog *cat = session_purposes(tui_link(app)->session);
    char iso[11];
    enum mnv_err date_err = wareki_parse(st->notified.buf, iso);
    if (date_err != MNV_OK) {
        say_err(st, date_err, NULL);
        return TUI_STAY;
    }
    field_set(&st->notified, iso);
    st->req.npurposes = 0;
    for (int i = 0; i < st->npurposes && st->req.npurposes < NUMBER_PURPOSES_MAX; i++) {
        if (!st->chosen[i])
            continue;
        struct collect_purpose *p = &st->req.purposes[st->req.npurposes++];
        snprintf(p->code, sizeof(p->code), "%s", cat->items[st->purposes[i]].code);
        snprintf(p->date, sizeof(p->date), "%s", iso);
    }
    struct id_verdict v;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = collect_judge(st->rules, cat, &st->req, st->facts.relation,
                                     st->facts.declarant_verified, &v, &diag);
    if (err != MNV_OK) {
        say_err(st, err, &diag);
        return TUI_STAY;
    }
    st->step = S_SUMMARY;
    st->msg[0] = '\0';
    return TUI_STAY;
}

static void draw_purposes(struct app *app, struct collect_state *st, WINDOW *w, int y)
{
    const struct purpose_catalog *cat = session_purposes(tui_link(app)->session);
    int cols = getmaxx(w);
    tui_style_on(w, ST_HEADER);
    tui_put(w, y, 2, _("Purposes of use notified to the person"), cols - 4, 0);
    tui_style_off(w, ST_HEADER);
    for (int i = 0; i < st->npurposes && i < 10; i++) {
        char text[400];
        snprintf(text, sizeof(text), "%s [%s] %s", i == st->lv.sel ? ">" : " ",
                 st->chosen[i] ? "x" : " ",
                 tui_purpose_name(app, cat->items[st->purposes[i]].code));
        if (i == st->lv.sel && st->focus == 0)
            tui_style_on(w, ST_SELECTED);
        tui_put(w, y + 1 + i, 2, text, cols - 4, 1);
        if (i == st->lv.sel && st->focus == 0)
            tui_style_off(w, ST_SELECTED);
    }
    int fy = y + 2 + (st->npurposes < 10 ? st->npurposes : 10);
    tui_style_on(w, ST_HEADER);
    tui_put(w, fy, 2, _("Notified or stated on"), 16, 1);
    tui_style_off(w, ST_HEADER);
    field_draw(&st->notified, w, fy, 19, 14, st->focus == 1, st->focus == 1 ? &app->cursor_y : NULL,
               st->focus == 1 ? &app->cursor_x : NULL);
    tui_style_on(w, ST_DIM);
    tui_put(w, fy + 1, 2, _("↑↓: purpose   Space: select   Tab: the date   Enter: next"), cols - 4,
            0);
    tui_style_off(w, ST_DIM);
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

static void draw_summary(struct app *app, struct collect_state *st, WINDOW *w, int y)
{
    int cols = getmaxx(w);
    char text[1200], masked[MYNUMBER_FORMAT_SIZE];
    struct {
        const char *label;
        const char *value;
    } lines[] = {
        {_("Person"), st->who},
        {_("My Number"),
         mynumber_format_masked(masked, MYNUMBER_INDIVIDUAL, MYNUMBER_MASK_NONE, NULL)},
        {_("Collected"), route_name(st)},
        {_("Channel"), channel_word(st->req.channel)},
        {_("Checked by"), st->req.verified_by},
        {_("Checked on"), st->req.verified_on},
    };
    for (size_t i = 0; i < MNV_ARRAY_LEN(lines); i++) {
        tui_style_on(w, ST_HEADER);
        tui_put(w, y + (int)i, 2, lines[i].label, 16, 1);
        tui_style_off(w, ST_HEADER);
        tui_put(w, y + (int)i, 19, lines[i].value, cols - 21, 0);
    }
    int yy = y + (int)MNV_ARRAY_LEN(lines);
    size_t o = 0;
    text[0] = '\0';
    if (st->req.known_in_person)
        o += (size_t)snprintf(text, sizeof(text), "%s",
                              check_word(idrules_route_waives(cur_route(st))));
    if (st->req.known_in_person && o < sizeof(text))
        o += (size_t)snprintf(text + o, sizeof(text) - o, ": %s",
                              _("obviously not someone else, no document"));
    for (size_t i = 0; i < st->req.ndocs && o < sizeof(text); i++) {
        const struct id_doc_def *d = idrules_doc(st->rules, st->req.docs[i].doc);
        o += (size_t)snprintf(text + o, sizeof(text) - o, "%s%s: %s%s%s", o ? "; " : "",
                              check_word(st->req.docs[i].check),
                              d ? L(d->name_ja, d->name_en) : st->req.docs[i].doc,
                              st->req.docs[i].ref[0] ? " …" : "", st->req.docs[i].ref);
    }
    tui_style_on(w, ST_HEADER);
    tui_put(w, yy, 2, _("Documents"), 16, 1);
    tui_style_off(w, ST_HEADER);
    yy += tui_put_wrapped(w, yy, 19, o ? text : "—", cols - 21, 3);
    o = 0;
    text[0] = '\0';
    for (size_t i = 0; i < st->req.npurposes && o < sizeof(text); i++)
        o += (size_t)snprintf(text + o, sizeof(text) - o, "%s%s", i ? "; " : "",
                              tui_purpose_name(app, st->req.purposes[i].code));
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

static enum tui_next store(struct app *app, struct collect_state *st)
{
    struct collect_result res;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    st->req.person = st->ref;
    st->req.number = st->num;
    enum mnv_err err = collect_store(tui_link(app)->session, &st->req, &res, &diag);
    st->req.number = NULL;
    if (err == MNV_ERR_NUMBER_DUPLICATE || err == MNV_ERR_NUMBER_SAME) {
        wipe_number(st);
        st->step = S_NUMBER;
        st->focus = 0;
    }
    if (err != MNV_OK) {
        say_err(st, err, &diag);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    wipe_number(st);
    app->data_version++;
    tui_message(app, 0,
                res.recollected ? _("Stored: the new number replaced the earlier one, whose "
                                    "verification stays in the history.")
                                : _("Stored with the identity verification and the purposes."));
    return TUI_POP;
}

/* ---- the screen --------------------------------------------------------------------------- */

static const char *collect_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct collect_state *st = stp;
    static char title[300];
    static const char *const names[S__COUNT] = {N_("Number"), N_("How"), N_("Documents"),
                                                N_("Purposes"), N_("Confirm")};
    snprintf(title, sizeof(title), _("Collect: %s"), st->who);
    size_t o = 0;
    for (int i = 0; i < S__COUNT && o < rsize; i++)
        o += (size_t)snprintf(right + o, rsize - o, "%s%s%d %s%s", i ? " › " : "",
                              i == (int)st->step ? "[" : "", i + 1, _(names[i]),
                              i == (int)st->step ? "]" : "");
    return title;
}

static void collect_draw(struct app *app, void *stp, WINDOW *w)
{
    struct collect_state *st = stp;
    int rows = getmaxy(w), cols = getmaxx(w);
    switch (st->step) {
    case S_NUMBER:
        draw_number(app, st, w, 1);
        break;
    case S_METHOD:
        draw_method(app, st, w, 1);
        break;
    case S_DOCS:
        draw_docs(app, st, w, 1);
        break;
    case S_PURPOSES:
        draw_purposes(app, st, w, 1);
        break;
    default:
        draw_summary(app, st, w, 1);
        break;
    }
    if (st->msg[0]) {
        char text[620];
        snprintf(text, sizeof(text), "%s%s", st->msg_error ? "! " : "", st->msg);
        tui_style_on(w, st->msg_error ? ST_ERROR : ST_OK);
        tui_put_wrapped(w, rows - 2, 2, text, cols - 4, 2);
        tui_style_off(w, st->msg_error ? ST_ERROR : ST_OK);
    }
}

static struct field *focused_field(struct collect_state *st)
{
    switch (st->step) {
    case S_NUMBER:
        return st->focus == 0 ? &st->num1 : &st->num2;
    case S_METHOD:
        return st->focus == M_VERIFIER ? &st->verifier : st->focus == M_DATE ? &st->date : NULL;
    case S_DOCS:
        return st->focus == 1 ? &st->docref : NULL;
    case S_PURPOSES:
        return st->focus == 1 ? &st->notified : NULL;
    default:
        return NULL;
    }
}

static int focus_count(const struct collect_state *st)
{
    switch (st->step) {
    case S_NUMBER:
        return 2;
    case S_METHOD:
        return M__COUNT;
    case S_DOCS:
    case S_PURPOSES:
        return 2;
    default:
        return 1;
    }
}

static void move_focus(struct collect_state *st, int delta)
{
    if (st->step == S_DOCS && st->focus == 1) {
        store_ref(st);
        field_clear(&st->docref);
    }
    int n = focus_count(st);
    st->focus = (st->focus + delta + n) % n;
    if (st->step == S_METHOD && st->focus == M_KNOWN && !known_allowed(st))
        st->focus = (st->focus + delta + n) % n;
    if (st->step == S_DOCS && st->focus == 1) {
        const struct id_doc_def *d = st->ndocs ? &st->rules->docs[st->docs[st->lv.sel]] : NULL;
        if (!d || !d->ref_allowed || doc_index(st, d->code, st->checks[st->check_i]) < 0) {
            st->focus = 0;
            say(st, 0, _("Select a document whose own number may be noted first."));
        } else {
            load_ref(st);
        }
    }
}

static void prev_step(struct collect_state *st)
{
    st->msg[0] = '\0';
    switch (st->step) {
    case S_METHOD:
        wipe_number(st);
        st->step = S_NUMBER;
        break;
    case S_DOCS:
        if (st->check_i > 0) {
            st->check_i--;
            load_docs(st);
            return;
        }
        st->step = S_METHOD;
        break;
    case S_PURPOSES:
        st->step = st->nchecks ? S_DOCS : S_METHOD;
        if (st->step == S_DOCS) {
            st->check_i = st->nchecks - 1;
            load_docs(st);
            return;
        }
        break;
    case S_SUMMARY:
        st->step = S_PURPOSES;
        break;
    default:
        break;
    }
    st->focus = 0;
}

static enum tui_next on_enter(struct app *app, struct collect_state *st)
{
    switch (st->step) {
    case S_NUMBER:
        return number_enter(app, st);
    case S_METHOD:
        return method_enter(app, st);
    case S_DOCS:
        return docs_enter(st);
    case S_PURPOSES:
        return purposes_enter(app, st);
    default:
        return store(app, st);
    }
}

static void on_toggle(struct app *app, struct collect_state *st)
{
    (void)app;
    if (st->step == S_METHOD)
        method_toggle(st);
    else if (st->step == S_DOCS && st->focus == 0)
        toggle_doc(st);
    else if (st->step == S_PURPOSES && st->focus == 0 && st->npurposes)
        st->chosen[st->lv.sel] = !st->chosen[st->lv.sel];
}

static int is_started(const struct collect_state *st)
{
    return st->step != S_NUMBER || st->num1.len || st->num2.len;
}

static enum tui_next collect_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct collect_state *st = stp;
    struct field *f = focused_field(st);
    st->msg[0] = '\0'; /* a message lasts until the next key */
    if (f && ev->action != TA_OPEN && ev->action != TA_NEXT_FIELD && ev->action != TA_PREV_FIELD &&
        ev->action != TA_BACK && ev->action != TA_SAVE && ev->action != TA_PREV_STEP &&
        ev->action != TA_UP && ev->action != TA_DOWN && field_handle(f, ev))
        return TUI_STAY;
    switch (ev->action) {
    case TA_BACK:
        if (is_started(st) &&
            !tui_confirm(app, _("Leave the collection? Nothing of it will be stored.")))
            return TUI_STAY;
        wipe_number(st);
        tui_message(app, 0, "%s", _("Collection cancelled; nothing was stored."));
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    case TA_NEXT_FIELD:
        move_focus(st, 1);
        return TUI_STAY;
    case TA_PREV_FIELD:
        move_focus(st, -1);
        return TUI_STAY;
    case TA_HOME:
    case TA_END:
    case TA_PAGE_DOWN:
        if ((st->step == S_DOCS || st->step == S_PURPOSES) && st->focus == 0)
            listview_handle(&st->lv, ev->action);
        return TUI_STAY;
    case TA_UP:
    case TA_DOWN:
        if ((st->step == S_DOCS || st->step == S_PURPOSES) && st->focus == 0)
            listview_handle(&st->lv, ev->action);
        else
            move_focus(st, ev->action == TA_DOWN ? 1 : -1);
        return TUI_STAY;
    case TA_TOGGLE:
        on_toggle(app, st);
        return TUI_STAY;
    case TA_PREV_STEP:
        prev_step(st);
        return TUI_STAY;
    case TA_SAVE:
        return st->step == S_SUMMARY ? store(app, st) : TUI_STAY;
    case TA_OPEN:
        return on_enter(app, st);
    default:
        return TUI_STAY;
    }
}

static void collect_on_lock(struct app *app, void *stp)
{
    (void)app;
    struct collect_state *st = stp;
    if (st->have_num || st->num1.len || st->num2.len) {
        wipe_number(st);
        st->step = S_NUMBER;
        st->focus = 0;
        say(st, 1, _("The screen was locked, so the number was wiped: type it again."));
    }
}

static int collect_unsaved(struct app *app, void *stp)
{
    (void)app;
    return is_started(stp);
}

static void collect_release(void *stp)
{
    struct collect_state *st = stp;
    field_release(&st->num1);
    field_release(&st->num2);
    field_release(&st->verifier);
    field_release(&st->date);
    field_release(&st->docref);
    field_release(&st->notified);
    if (st->num) {
        mynumber_clear(st->num);
        secmem_free(st->num);
    }
    secmem_wipe(st, sizeof(*st));
    free(st);
}

static const struct screen_ops collect_ops = {
    .name = "collect",
    .keys = collect_keys,
    .heading = collect_heading,
    .draw = collect_draw,
    .handle = collect_handle,
    .on_lock = collect_on_lock,
    .unsaved = collect_unsaved,
    .release = collect_release,
};

static int ref_accept(wchar_t ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static int init_fields(struct collect_state *st)
{
    if (field_init(&st->num1, 64, 1) || field_init(&st->num2, 64, 1) ||
        field_init(&st->verifier, COLLECT_VERIFIER_MAX + 1, 0) || field_init(&st->date, 40, 0) ||
        field_init(&st->docref, IDRULES_REF_MAX + 1, 0) || field_init(&st->notified, 40, 0))
        return -1;
    st->num1.accept = st->num2.accept = field_accept_digits;
    st->num1.max_chars = st->num2.max_chars = 20;
    st->date.accept = st->notified.accept = field_accept_date;
    st->docref.accept = ref_accept;
    st->docref.max_chars = IDRULES_REF_MAX;
    st->num = secmem_alloc(sizeof(*st->num));
    return st->num ? 0 : -1;
}

enum tui_next scr_collect_push(struct app *app, const struct person_ref *ref, const char *who)
{
    struct session *s = tui_link(app)->session;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    char text[400];
    const struct idrules *rules;
    enum mnv_err err = access_allowed(session_role(s), ACT_NUMBER_STORE) ? MNV_OK : MNV_ERR_DENIED;
    if (err == MNV_OK)
        err = collect_rules(&rules, &diag);
    struct collect_state *st = err == MNV_OK ? calloc(1, sizeof(*st)) : NULL;
    if (err == MNV_OK && !st)
        err = MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = collect_person_facts(s, ref, &st->facts, &diag);
    if (err == MNV_OK && init_fields(st) != 0)
        err = MNV_ERR_NOMEM;
    if (err != MNV_OK) {
        if (st)
            collect_release(st);
        tui_message(app, 1, "%s", tui_error_text(text, sizeof(text), err, &diag));
        return TUI_STAY;
    }
    st->rules = rules;
    st->ref = *ref;
    st->req.person = *ref;
    snprintf(st->who, sizeof(st->who), "%s", who);
    for (size_t i = 0; i < rules->nroutes && st->nroutes < MAX_LIST; i++)
        if (idrules_route_applies(&rules->routes[i], ref->kind, st->facts.relation))
            st->routes[st->nroutes++] = (int)i;
    const struct user_rec *u = session_user_rec(s);
    field_set(&st->verifier, u->display_name[0] ? u->display_name : u->name);
    char day[11];
    today(day);
    field_set(&st->date, day);
    st->req.channel = ID_CHANNEL_IN_PERSON;
    setup_purposes(app, st);
    return tui_push(app, &collect_ops, st);
}
