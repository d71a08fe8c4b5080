/*
 * scr_employees.c: the employee list. Every employee is loaded once into memory (a
 * compact row each, no My Number); typing filters by employee code, name or reading with
 * kana and width folded (やまだ, ヤマダ, ﾔﾏﾀﾞ and 山田 all find 山田 太郎); only the rows on the
 * screen are drawn, and only for them is the rest read (number status, identity check,
 * purposes: people_row_details). Lists show the number's status as a word, never digits.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "draw.h"
#include "emplist.h"
#include "field.h"
#include "keys.h"
#include "listview.h"
#include "phrases.h"
#include "mnvault/access.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/session.h"
#include "mnvault/testhook.h"

struct employees_state {
    struct emplist model;
    int loaded;
    int partial; /* model holds only the first screen; the whole list is being read */
    struct listview lv;
    struct field filter;
    int filtering; /* the filter field has the keyboard */
    char error[300];
    long long reopen_id;      /* keep the selection on this employee after a reload */
    long data_version;        /* app->data_version when the list was loaded */
    size_t ahead_row;         /* reading ahead (employees_tick): the next list row to look at */
    int ahead_failed;         /* the store failed while reading ahead: only drawn rows are read */
    int ahead_done;           /* reading ahead in list order has ended (its time recorded) */
    long long loaded_ms;      /* when the list was read (tui_now_ms) */
    long long search_from_us; /* when the filter's search began (now_us), until it ends */
    struct session *session;  /* whose page cache is held small while the list is open */
};

static const struct keydef employees_keys[] = {
    {KEY_F(3), 1, TA_FILTER},
    {'/', 0, TA_FILTER},
    {KEY_F(4), 1, TA_EDIT},
    {KEY_F(2), 1, TA_HIRE},
    {KEY_F(6), 1, TA_EXPORT},
    {KEY_F(7), 1, TA_DISPOSE},
    /* Letters are the filter's ("sato", "ryo"): the list's own commands are Ctrl keys. */
    {18, 0, TA_RETIRED}, /* Ctrl-R */
    {19, 0, TA_SORT},    /* Ctrl-S */
    {0, 0, TA_NONE},
};

static const char *sort_name(enum emplist_sort s)
{
    switch (s) {
    case EMPLIST_BY_KANA:
        return _("reading");
    case EMPLIST_BY_HIRE:
        return _("hire date");
    case EMPLIST_BY_CODE:
    default:
        return _("code");
    }
}

static enum mnv_err add_row(void *ud, const struct person_row *r)
{
    return emplist_add(ud, r, 0) == 0 ? MNV_OK : MNV_ERR_NOMEM;
}

static long long now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* Go on with the filter's search for up to us microseconds, or until want rows match (a
 * screenful, at a key: the rest is searched between keys, employees_tick). */
#define SEARCH_CHUNK 4096 /* rows looked at between two looks at the clock */
static void search_for(struct employees_state *st, long long us, size_t want)
{
    long long end = now_us() + us;
    while (emplist_searching(&st->model) && st->model.nmatch < want && now_us() < end)
        if (emplist_work(&st->model, SEARCH_CHUNK) != 0) {
            tui_error_text(st->error, sizeof(st->error), MNV_ERR_NOMEM, NULL);
            break;
        }
    if (!emplist_searching(&st->model) && st->search_from_us) {
        testhook_timing("search.done", now_us() - st->search_from_us);
        st->search_from_us = 0;
    }
    listview_set_count(&st->lv, (long)st->model.nmatch);
}

/* What a key search does at once: enough for the screen, at most KEY_SEARCH_US. */
#define KEY_SEARCH_US 1500
static void search_screen(struct employees_state *st)
{
    long rows = st->lv.rows > 0 ? st->lv.rows : LINES > 0 ? LINES : 24;
    st->search_from_us = now_us();
    search_for(st, KEY_SEARCH_US, (size_t)(st->lv.top + rows));
}

/* Read every employee's names (people_list_each: the model is built as the rows come; the
 * other columns are read for the rows shown, read_details and employees_tick). */
static int load(struct app *app, struct employees_state *st)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    st->data_version = app->data_version;
    int show_retired = st->loaded ? st->model.show_retired : 0;
    enum emplist_sort sort = st->loaded ? st->model.sort : EMPLIST_BY_CODE;
    if (st->loaded) /* first: the old rows and the new never both in memory */
        emplist_free(&st->model);
    st->loaded = 0;
    long long t0 = tui_now_ms();
    emplist_begin(&st->model);
    enum mnv_err err = people_list_each(tui_session(app), add_row, &st->model, &diag);
    long long t1 = tui_now_ms();
    st->model.show_retired = show_retired;
    st->model.sort = sort;
    if (err == MNV_OK && emplist_finish(&st->model) != 0)
        err = MNV_ERR_NOMEM;
    if (err != MNV_OK) {
        emplist_free(&st->model);
        tui_error_text(st->error, sizeof(st->error), err, err == MNV_ERR_NOMEM ? NULL : &diag);
        return -1;
    }
    st->loaded = 1;
    st->ahead_row = 0;
    st->ahead_failed = 0;
    st->ahead_done = 0;
    st->loaded_ms = tui_now_ms();
    testhook_timing("list.query", (t1 - t0) * 1000);
    testhook_timing("list.model", (tui_now_ms() - t1) * 1000);
    if (emplist_filter_start(&st->model, st->filter.buf) != 0)
        tui_error_text(st->error, sizeof(st->error), MNV_ERR_NOMEM, NULL);
    search_screen(st);
    return 0;
}

static const char *employees_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct employees_state *st = stp;
    static char title[160];
    char n[32], m[32];
    if (!st->loaded)
        return _("Employees");
    if (st->partial)
        return _("Employees (reading the list…)");
    tui_thousands(m, sizeof(m) - 4, (long)st->model.nmatch);
    if (emplist_searching(&st->model)) /* the count so far: the search goes on between keys */
        strcat(m, "…");
    if (st->model.show_retired)
        snprintf(title, sizeof(title), _("Employees (all %s, shown %s)"),
                 tui_thousands(n, sizeof(n), (long)st->model.count), m);
    else
        snprintf(title, sizeof(title), _("Employees (current %s, shown %s)"),
                 tui_thousands(n, sizeof(n), (long)st->model.current), m);
    if (st->filtering || st->filter.len)
        snprintf(right, rsize, _("Filter: %s%s"), st->filter.buf, st->filtering ? "_" : "");
    else
        snprintf(right, rsize, _("Sort: %s"), sort_name(st->model.sort));
    return title;
}

struct columns {
    int code, name, kana, hire, status, verified, purposes;
};

static int max_cells(const char *const *words, int n)
{
    int m = 0;
    for (int i = 0; i < n; i++)
        if (tui_text_cells(words[i]) > m)
            m = tui_text_cells(words[i]);
    return m;
}

static struct columns layout(int cols)
{
    /* The status column fits the longest status word of the language shown. */
    const char *status_words[] = {
        tui_number_status(NUMBER_REGISTERED), tui_number_status(NUMBER_MISSING),
        tui_number_status(NUMBER_REFUSED), tui_number_status(NUMBER_DISPOSED), _("Number")};
    const char *verified_words[] = {_("ID"), "○"};
    struct columns c = {9, 14, 18, 10, max_cells(status_words, 5), max_cells(verified_words, 2), 0};
    int spare = cols - (2 + c.code + 1 + c.name + 1 + c.kana + 1 + c.hire + 1 + c.status + 1 +
                        c.verified + 1);
    if (spare > 10) { /* wider terminals: names first, then the purposes */
        int extra = (spare - 10) / 3;
        c.name += extra;
        c.kana += extra;
        spare -= 2 * extra;
    }
    c.purposes = spare > 0 ? spare : 0;
    return c;
}

static void draw_row(struct app *app, WINDOW *w, int y, const struct person_row *r,
                     const struct columns *c, int selected)
{
    int x = 0, cols = getmaxx(w);
    if (selected)
        tui_style_on(w, ST_SELECTED);
    x += tui_put(w, y, x, selected ? ">" : " ", 1, 1);
    x += tui_put(w, y, x, " ", 1, 1);
    x += tui_put(w, y, x, r->code, c->code, 1);
    x += tui_put(w, y, x, " ", 1, 1);
    if (r->retired) { /* marked in words, not only by colour (NO_COLOR, monochrome) */
        char name[300];
        /* TRANSLATORS: before the name of a retired employee in the list; keep it short */
        snprintf(name, sizeof(name), "%s%s", _("(ret.) "), r->name);
        x += tui_put(w, y, x, name, c->name, 1);
    } else {
        x += tui_put(w, y, x, r->name, c->name, 1);
    }
    x += tui_put(w, y, x, " ", 1, 1);
    x += tui_put(w, y, x, r->kana, c->kana, 1);
    x += tui_put(w, y, x, " ", 1, 1);
    x += tui_put(w, y, x, r->hire_date, c->hire, 1);
    x += tui_put(w, y, x, " ", 1, 1);
    x += tui_put(w, y, x, tui_number_status(r->status), c->status, 1);
    x += tui_put(w, y, x, " ", 1, 1);
    /* ○ when identity was verified for the number now stored (collectdb.h). */
    x += tui_put(w, y, x, r->verified ? "○" : "-", c->verified, 1);
    x += tui_put(w, y, x, " ", 1, 1);
    /* Purposes as one mark each: 給 健 雇 (Japanese) or TW SI EI (English). */
    char marks[160] = "";
    size_t used = 0;
    const char *p = r->purposes;
    while (p && *p && used + 8 < sizeof(marks)) {
        const char *comma = strchr(p, ',');
        char code[40], mark[16];
        snprintf(code, sizeof(code), "%.*s", (int)(comma ? comma - p : (long)strlen(p)), p);
        tui_purpose_short(app, code, mark, sizeof(mark));
        used += (size_t)snprintf(marks + used, sizeof(marks) - used, "%s%s", used ? " " : "", mark);
        p = comma ? comma + 1 : NULL;
    }
    if (!marks[0])
        snprintf(marks, sizeof(marks), "-");
    tui_put(w, y, x, marks, cols - x, 1);
    if (selected)
        tui_style_off(w, ST_SELECTED);
}

/* Read the details of rows (list indexes), 32 to a query; returns how many were read (fewer
 * when the store failed: those rows stay without, asked again later). */
static size_t read_rows(struct app *app, struct employees_state *st, const unsigned *rows, size_t n)
{
    int64_t ids[32];
    struct person_detail det[32];
    for (size_t at = 0; at < n; at += 32) {
        size_t k = n - at < 32 ? n - at : 32;
        for (size_t i = 0; i < k; i++)
            ids[i] = st->model.id[rows[at + i]];
        if (people_row_details(tui_session(app), ids, k, det, NULL) != MNV_OK)
            return at;
        for (size_t i = 0; i < k; i++)
            if (emplist_set_detail(&st->model, rows[at + i], &det[i]) != 0)
                return at + i;
    }
    return n;
}

/* Read what the rows about to be drawn show beside the names, once per row (the list was
 * read by names only: a clerk sees a screenful of 100,000 rows). */
static void read_details(struct app *app, struct employees_state *st, int rows)
{
    unsigned want[256];
    size_t n = emplist_missing(&st->model, (size_t)st->lv.top,
                               (size_t)(rows > 256 ? 256
                                        : rows > 0 ? rows
                                                   : 0),
                               want);
    read_rows(app, st, want, n);
}

/* Between keys, a few milliseconds at a time: the details of the rows the clerk may see
 * next (the pages below and above the screen), then of the first AHEAD_ROWS_MAX rows in
 * list order, so that the keystrokes to come find them read. Keys are served between the
 * slices. At 100,000 employees every row is read ahead (about 3 s of one processor, spread
 * between keys); at 1,000,000 all of them would keep a processor busy for half a minute
 * for rows no one may look at, so beyond the cap a row is read when it comes near the screen
 * (a page above, two below) or is drawn. */
#define AHEAD_SLICE_US 3000
#define AHEAD_ROWS_MAX 100000

static size_t ahead_end(const struct employees_state *st)
{
    return st->model.count < AHEAD_ROWS_MAX ? st->model.count : AHEAD_ROWS_MAX;
}

static int employees_tick(struct app *app, void *stp, long long now_ms)
{
    (void)now_ms;
    struct employees_state *st = stp;
    if (!st->loaded || st->partial)
        return 0;
    if (emplist_searching(&st->model)) { /* the filter's search first */
        search_for(st, AHEAD_SLICE_US, SIZE_MAX);
        app->busy = 1; /* then reading ahead, or nothing */
        return 1;
    }
    if (st->ahead_failed)
        return 0;
    long long end = now_us() + AHEAD_SLICE_US;
    int dirty = 0;
    unsigned want[512];
    long page = st->lv.rows > 0 && st->lv.rows < 128 ? st->lv.rows : 128;
    long from = st->lv.top > page ? st->lv.top - page : 0;
    /* near the screen (a page above, two below): all of it at the first slice */
    size_t n =
        emplist_missing(&st->model, (size_t)from, (size_t)(st->lv.top + 3 * page - from), want);
    if (n > 0) {
        if (read_rows(app, st, want, n) < n)
            st->ahead_failed = 1;
        dirty = 1; /* a row on the screen may show more now */
    }
    while (!st->ahead_failed && now_us() < end && st->ahead_row < ahead_end(st)) {
        size_t k = emplist_unread(&st->model, &st->ahead_row, 32, want);
        if (k && read_rows(app, st, want, k) < k) {
            st->ahead_failed = 1;
            break;
        }
    }
    app->busy = st->ahead_row < ahead_end(st) && !st->ahead_failed;
    if (!app->busy && !st->ahead_done) {
        st->ahead_done = 1;
        testhook_timing("list.ahead", (tui_now_ms() - st->loaded_ms) * 1000);
    }
    return dirty;
}

static void employees_draw(struct app *app, void *stp, WINDOW *w)
{
    struct employees_state *st = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    if (!st->loaded) {
        tui_style_on(w, ST_ERROR);
        tui_put(w, 1, 2, st->error, cols - 4, 0);
        tui_style_off(w, ST_ERROR);
        return;
    }
    struct columns c = layout(cols);
    int x = 2;
    tui_style_on(w, ST_HEADER);
    x += tui_put(w, 0, x, _("Code"), c.code + 1, 1);
    x += tui_put(w, 0, x, _("Name"), c.name + 1, 1);
    x += tui_put(w, 0, x, _("Reading"), c.kana + 1, 1);
    x += tui_put(w, 0, x, _("Hired"), c.hire + 1, 1);
    x += tui_put(w, 0, x, _("Number"), c.status + 1, 1);
    x += tui_put(w, 0, x, _("ID"), c.verified + 1, 1);
    tui_put(w, 0, x, _("Purposes"), cols - x, 1);
    tui_style_off(w, ST_HEADER);
    listview_fit(&st->lv, rows - 1);
    read_details(app, st, rows - 1);
    for (int i = 0; i < rows - 1 && st->lv.top + i < (long)st->model.nmatch; i++) {
        long idx = st->lv.top + i;
        struct emplist_view shown;
        draw_row(app, w, 1 + i, emplist_shown(&st->model, (size_t)idx, &shown), &c,
                 idx == st->lv.sel);
    }
    if (st->model.nmatch == 0) {
        tui_style_on(w, ST_DIM);
        tui_put(w, 2, 4,
                emplist_searching(&st->model) ? _("Searching…")
                : st->filter.len              ? _("No employee matches the filter.")
                                              : _("No employees yet."),
                cols - 6, 0);
        tui_style_off(w, ST_DIM);
    }
    if (st->filtering)
        app->cursor_y = -1; /* the filter is shown on the rule above; no cursor in the list */
}

static void refilter(struct employees_state *st)
{
    if (emplist_filter_start(&st->model, st->filter.buf) != 0)
        tui_error_text(st->error, sizeof(st->error), MNV_ERR_NOMEM, NULL);
    st->lv.sel = 0;
    st->lv.top = 0;
    search_screen(st);
}

static long long selected_id(struct employees_state *st)
{
    if (!st->loaded || st->model.nmatch == 0)
        return 0;
    return (long long)emplist_id(&st->model, (size_t)st->lv.sel);
}

static enum tui_next filter_key(struct employees_state *st, const struct tui_event *ev)
{
    switch (ev->action) {
    case TA_BACK: /* Esc: clear the filter and give the keys back to the list */
        field_clear(&st->filter);
        st->filtering = 0;
        refilter(st);
        return TUI_STAY;
    case TA_OPEN:
    case TA_DOWN:
    case TA_NEXT_FIELD:
        st->filtering = 0;
        return TUI_STAY;
    default:
        break;
    }
    if (field_handle(&st->filter, ev)) {
        if (st->filter.changed) {
            st->filter.changed = 0;
            refilter(st);
        }
        return TUI_STAY;
    }
    if (ev->action == TA_QUIT)
        return TUI_QUIT;
    return TUI_STAY;
}

static enum tui_next employees_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct employees_state *st = stp;
    if (!st->loaded)
        return ev->action == TA_QUIT ? TUI_QUIT : ev->action == TA_BACK ? TUI_POP : TUI_STAY;
    if (st->filtering)
        return filter_key(st, ev);
    if (listview_handle(&st->lv, ev->action))
        return TUI_STAY;
    switch (ev->action) {
    case TA_FILTER:
        st->filtering = 1;
        return TUI_STAY;
    case TA_HIRE:
        if (!tui_may(app, ACT_PERSON_EDIT))
            return TUI_STAY;
        return scr_edit_employee_push(app, 0);
    case TA_EXPORT:
        return scr_export_push(app);
    case TA_DISPOSE:
        return scr_disposal_push(app);
    case TA_RETIRED:
        if (emplist_set_retired(&st->model, !st->model.show_retired) != 0)
            tui_error_text(st->error, sizeof(st->error), MNV_ERR_NOMEM, NULL);
        search_screen(st);
        tui_message(app, 0, "%s",
                    st->model.show_retired ? _("Showing retired employees too.")
                                           : _("Showing current employees."));
        return TUI_STAY;
    case TA_SORT:
        if (emplist_set_sort(&st->model, (st->model.sort + 1) % EMPLIST_SORTS) != 0)
            tui_error_text(st->error, sizeof(st->error), MNV_ERR_NOMEM, NULL);
        search_screen(st);
        return TUI_STAY;
    case TA_OPEN:
        if (selected_id(st))
            return scr_employee_push(app, selected_id(st));
        return TUI_STAY;
    case TA_EDIT:
        if (selected_id(st))
            return scr_edit_employee_push(app, selected_id(st));
        return TUI_STAY;
    case TA_BACK:
        if (st->filter.len) {
            field_clear(&st->filter);
            refilter(st);
            return TUI_STAY;
        }
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        /* A printable key that is not a command starts the filter with itself. */
        if (!ev->is_code && ev->ch > ' ' && ev->ch != 127) {
            st->filtering = 1;
            return filter_key(st, ev);
        }
        return TUI_STAY;
    }
}

static void employees_resume(struct app *app, void *stp)
{
    struct employees_state *st = stp;
    if (st->loaded && st->data_version == app->data_version)
        return; /* nothing was changed: 100,000 rows need not be read again */
    long long keep = selected_id(st);
    if (load(app, st) != 0)
        return;
    if (keep) /* the whole search, to find the row again */
        search_for(st, 1000000000, SIZE_MAX);
    for (size_t i = 0; keep && i < st->model.nmatch; i++)
        if (emplist_id(&st->model, i) == keep) {
            st->lv.sel = (long)i;
            listview_set_count(&st->lv, (long)st->model.nmatch);
            break;
        }
}

static void employees_release(void *stp)
{
    struct employees_state *st = stp;
    if (st->session)
        session_cache_limit(st->session, 0);
    if (st->loaded)
        emplist_free(&st->model);
    field_release(&st->filter);
    free(st);
}

static const struct screen_ops employees_ops = {
    .name = "employees",
    .keys = employees_keys,
    .heading = employees_heading,
    .draw = employees_draw,
    .handle = employees_handle,
    .tick = employees_tick,
    .resume = employees_resume,
    .release = employees_release,
};

/* The first screenful (people_list_first), shown at once while the whole list is read. */
#define LIST_CACHE_MIB 2
static int load_first(struct app *app, struct employees_state *st)
{
    struct person_list list;
    long rows = LINES > 0 ? LINES : 24;
    if (people_list_first(tui_session(app), rows, &list, NULL) != MNV_OK)
        return -1;
    if (emplist_init(&st->model, &list) != 0)
        return -1;
    st->loaded = st->partial = 1;
    listview_set_count(&st->lv, (long)st->model.nmatch);
    return 0;
}

enum tui_next scr_employees_push(struct app *app)
{
    struct employees_state *st = calloc(1, sizeof(*st));
    if (!st || field_init(&st->filter, 256, 0) != 0) {
        free(st);
        return tui_fail(app, MNV_ERR_NOMEM);
    }
    long long t0 = tui_now_ms();
    if (load_first(app, st) != 0) {
        load(app, st);
        return tui_push(app, &employees_ops, st);
    }
    enum tui_next next = tui_push(app, &employees_ops, st);
    if (next != TUI_PUSHED)
        return next;
    tui_redraw_now(app);
    testhook_timing("list.first", (tui_now_ms() - t0) * 1000);
    /* The list reads in order and keeps its rows: SQLite's cache of pages read before (the
     * dashboard's survey) gives its room to them. */
    st->session = tui_session(app);
    session_cache_limit(st->session, LIST_CACHE_MIB);
    if (load(app, st) == 0) /* the whole list: keys typed meanwhile wait in the terminal */
        st->partial = 0;
    testhook_timing("list.ready", (tui_now_ms() - t0) * 1000);
    listview_set_count(&st->lv, (long)st->model.nmatch);
    return next;
}
