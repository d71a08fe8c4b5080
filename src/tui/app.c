/*
 * app.c: the terminal application's frame: screen stack, title bar, key bar, message line,
 * help, idle lock, resize, and leaving the terminal clean (nothing left on screen or in
 * the scrollback after lock or exit).
 */
#include "app.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "draw.h"
#include "field.h"
#include "keys.h"
#include "listview.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/testhook.h"

#define STACK_MAX 12
#define TICK_MS 200

struct frame {
    const struct screen_ops *ops;
    void *st;
};

static struct frame stack[STACK_MAX];
static int depth;
static WINDOW *body;
static volatile sig_atomic_t got_signal;

long long tui_now_ms(void)
{
    return clock_monotonic_ms();
}

static void on_signal(int sig)
{
    got_signal = sig;
}

void tui_message(struct app *app, int is_error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->message, sizeof(app->message), fmt, ap);
    va_end(ap);
    app->message_is_error = is_error;
}

void tui_clear_message(struct app *app)
{
    app->message[0] = '\0';
    app->message_is_error = 0;
}

enum tui_next tui_push(struct app *app, const struct screen_ops *ops, void *st)
{
    (void)app;
    if (depth >= STACK_MAX) {
        if (ops->release)
            ops->release(st);
        return TUI_STAY;
    }
    stack[depth].ops = ops;
    stack[depth].st = st;
    depth++;
    return TUI_PUSHED;
}

static void release_frame(struct app *app, struct frame *f)
{
    if (f->ops->on_lock)
        f->ops->on_lock(app, f->st); /* leaving wipes, like a lock */
    if (f->ops->release)
        f->ops->release(f->st);
    f->ops = NULL;
    f->st = NULL;
}

static void pop(struct app *app)
{
    if (depth == 0)
        return;
    depth--;
    release_frame(app, &stack[depth]);
    if (depth > 0 && stack[depth - 1].ops->resume)
        stack[depth - 1].ops->resume(app, stack[depth - 1].st);
}

void tui_replace_top(struct app *app, const struct screen_ops *ops, void *st)
{
    if (depth == 0) {
        tui_push(app, ops, st);
        return;
    }
    release_frame(app, &stack[depth - 1]);
    stack[depth - 1].ops = ops;
    stack[depth - 1].st = st;
}

static int body_rows(const struct app *app)
{
    return app->rows - 4;
}

static void make_body(struct app *app)
{
    if (body)
        delwin(body);
    body = NULL;
    if (app->rows >= TUI_MIN_ROWS && app->cols >= TUI_MIN_COLS)
        body = derwin(stdscr, body_rows(app), app->cols, 2, 0);
}

/* " mnvault │ org │ user (role) │ 10:42 │ Auto-lock 4:59": the clock and the countdown keep
 * their place at the right; a long organisation name is cut instead. */
static void draw_title(struct app *app)
{
    char left[512], right[128], clock_text[16], lock_text[64] = "";
    time_t now = clock_now();
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(clock_text, sizeof(clock_text), "%H:%M", &tm);
    int signed_in = app->user_line[0] && !app->locked;
    if (signed_in) {
        long long left_ms =
            (long long)app->cfg->idle_lock_seconds * 1000 - (tui_now_ms() - app->last_input_ms);
        long long secs = left_ms < 0 ? 0 : (left_ms + 999) / 1000;
        snprintf(lock_text, sizeof(lock_text), _("Auto-lock %lld:%02lld"), secs / 60, secs % 60);
        snprintf(left, sizeof(left), " mnvault │ %s │ %s", app->org_name, app->user_line);
        snprintf(right, sizeof(right), " │ %s%s%s │ %s ", clock_text, app->mark ? " │ " : "",
                 app->mark ? app->mark : "", lock_text);
    } else {
        snprintf(left, sizeof(left), " mnvault │ %s", app->org_name);
        snprintf(right, sizeof(right), " │ %s ", clock_text);
    }
    int rcells = tui_text_cells(right);
    if (signed_in && tui_text_cells(left) > app->cols - rcells) {
        /* Too long: the organisation's name gives way, the user and role stay. */
        char user_part[200];
        snprintf(user_part, sizeof(user_part), " │ %s", app->user_line);
        int budget = app->cols - rcells - tui_text_cells(" mnvault │ ") - tui_text_cells(user_part);
        tui_style_on(stdscr, ST_TITLE);
        int x = tui_put(stdscr, 0, 0, " mnvault │ ", app->cols, 0);
        x += tui_put(stdscr, 0, x, app->org_name, budget > 4 ? budget : 4, 0);
        snprintf(left, sizeof(left), "%s", user_part);
        tui_put(stdscr, 0, x, left, app->cols - rcells - x, 0);
        tui_put(stdscr, 0, app->cols - rcells, right, rcells, 1);
        tui_style_off(stdscr, ST_TITLE);
        return;
    }
    tui_style_on(stdscr, ST_TITLE);
    int used = tui_put(stdscr, 0, 0, left, app->cols - rcells, 0);
    for (int x = used; x < app->cols - rcells; x++)
        mvwaddch(stdscr, 0, x, ' ');
    tui_put(stdscr, 0, app->cols - rcells, right, rcells, 1);
    tui_style_off(stdscr, ST_TITLE);
}

/* The function-key row: the same ten places on every screen; a key that does nothing
 * here keeps its place and is dimmed. */
static const enum tui_action fkey_default[10] = {
    TA_HELP,   TA_COLLECT, TA_FILTER, TA_EDIT, TA_REVEAL,
    TA_EXPORT, TA_DISPOSE, TA_AUDIT,  TA_MENU, TA_QUIT,
};

static void draw_keybar(struct app *app, const struct keydef *keys)
{
    int y = app->rows - 1, x = 0;
    wmove(stdscr, y, 0);
    wclrtoeol(stdscr);
    for (int i = 0; i < 10 && x < app->cols; i++) {
        enum tui_action a = TA_NONE;
        for (int k = 0; keys && keys[k].action != TA_NONE; k++)
            if (keys[k].is_code && keys[k].key == KEY_F(i + 1))
                a = keys[k].action;
        int active = a != TA_NONE || i == 0 || i == 9;
        if (a == TA_NONE)
            a = fkey_default[i];
        char num[4];
        snprintf(num, sizeof(num), "%d", i + 1);
        if (x > 0)
            x += 1;
        x += tui_put(stdscr, y, x, num, app->cols - x, 0);
        tui_style_on(stdscr, active ? ST_TITLE : ST_DIM);
        x += tui_put(stdscr, y, x, tui_action_label(a), app->cols - x, 0);
        tui_style_off(stdscr, active ? ST_TITLE : ST_DIM);
    }
}

static void draw_message_line(struct app *app)
{
    int y = app->rows - 2;
    wmove(stdscr, y, 0);
    wclrtoeol(stdscr);
    if (app->message[0]) {
        char text[600];
        snprintf(text, sizeof(text), "%s%s", app->message_is_error ? "! " : "", app->message);
        tui_style_on(stdscr, app->message_is_error ? ST_ERROR : ST_NORMAL);
        tui_put(stdscr, y, 1, text, app->cols - 2, 0);
        tui_style_off(stdscr, app->message_is_error ? ST_ERROR : ST_NORMAL);
    } else {
        tui_hline(stdscr, y, 0, app->cols);
    }
}

static void draw_too_small(struct app *app)
{
    char text[200];
    erase();
    snprintf(text, sizeof(text), _("Please make the terminal at least %dx%d (now %dx%d)."),
             TUI_MIN_COLS, TUI_MIN_ROWS, app->cols, app->rows);
    int cells = tui_text_cells(text);
    int x = app->cols > cells ? (app->cols - cells) / 2 : 0;
    tui_put(stdscr, app->rows / 2, x, text, app->cols - x, 0);
    curs_set(0);
    wnoutrefresh(stdscr);
    doupdate();
}

static void draw_all(struct app *app);

void tui_redraw_now(struct app *app)
{
    if (depth > 0 && !app->locked)
        draw_all(app);
}

static void draw_all(struct app *app)
{
    if (!body) {
        draw_too_small(app);
        return;
    }
    struct frame *top = &stack[depth - 1];
    erase();
    draw_title(app);
    char right[256] = "";
    const char *heading =
        top->ops->heading ? top->ops->heading(app, top->st, right, sizeof(right)) : "";
    tui_rule(stdscr, 1, app->cols, heading, right);
    werase(body);
    app->cursor_y = app->cursor_x = -1;
    top->ops->draw(app, top->st, body);
    draw_message_line(app);
    draw_keybar(app, top->ops->keys);
    curs_set(app->cursor_y >= 0 ? 1 : 0);
    wnoutrefresh(stdscr);
    if (app->cursor_y >= 0) {
        wmove(body, app->cursor_y, app->cursor_x);
        wnoutrefresh(body);
    }
    doupdate();
}

/* ---- Help: every key of the screen below, one line each. ---- */

struct help_entry {
    char keys[48]; /* "F1, ?" */
    enum tui_action action;
};

struct help_state {
    struct listview lv;
    struct help_entry entries[48];
    int n;
};

static void help_add(struct help_state *h, int key, int is_code, enum tui_action a)
{
    if (a == TA_NONE)
        return;
    char name[32];
    tui_key_name(name, sizeof(name), key, is_code);
    /* One line per action; another key for it joins the first ("F1, ?"). */
    for (int i = 0; i < h->n; i++) {
        if (h->entries[i].action == a) {
            size_t used = strlen(h->entries[i].keys);
            snprintf(h->entries[i].keys + used, sizeof(h->entries[i].keys) - used, ", %s", name);
            return;
        }
    }
    if (h->n >= (int)(sizeof(h->entries) / sizeof(h->entries[0])))
        return;
    snprintf(h->entries[h->n].keys, sizeof(h->entries[0].keys), "%s", name);
    h->entries[h->n++].action = a;
}

static const char *help_heading(struct app *app, void *st, char *right, size_t rsize)
{
    (void)app;
    (void)st;
    snprintf(right, rsize, "%s", _("Esc: back"));
    return _("Keys of this screen");
}

static void help_draw(struct app *app, void *st, WINDOW *w)
{
    (void)app;
    struct help_state *h = st;
    int rows = getmaxy(w), cols = getmaxx(w);
    listview_fit(&h->lv, rows);
    for (int r = 0; r < rows && h->lv.top + r < h->n; r++) {
        const struct help_entry *e = &h->entries[h->lv.top + r];
        tui_style_on(w, ST_HEADER);
        tui_put(w, r, 2, e->keys, 18, 1);
        tui_style_off(w, ST_HEADER);
        tui_put(w, r, 22, tui_action_help(e->action), cols - 24, 0);
    }
}

static enum tui_next help_handle(struct app *app, void *st, const struct tui_event *ev)
{
    (void)app;
    struct help_state *h = st;
    if (listview_handle(&h->lv, ev->action))
        return TUI_STAY;
    if (ev->action == TA_QUIT || ev->action == TA_LOCK)
        return ev->action == TA_QUIT ? TUI_QUIT : TUI_LOCK;
    if (ev->action == TA_REDRAW)
        return TUI_STAY;
    return TUI_POP; /* any other key closes help */
}

static void help_release(void *st)
{
    free(st);
}

static const struct keydef help_keys[] = {{0, 0, TA_NONE}};
static const struct screen_ops help_ops = {
    .name = "help",
    .keys = help_keys,
    .heading = help_heading,
    .draw = help_draw,
    .handle = help_handle,
    .release = help_release,
};

static void push_help(struct app *app, const struct keydef *keys)
{
    struct help_state *h = calloc(1, sizeof(*h));
    if (!h)
        return;
    const struct keydef *global;
    tui_global_keys(&global);
    /* Function keys first, in order, then the screen's other keys, then the common ones. */
    for (int f = 1; f <= 12; f++) {
        int found = 0;
        for (int k = 0; keys && keys[k].action != TA_NONE; k++)
            if (keys[k].is_code && keys[k].key == KEY_F(f))
                help_add(h, keys[k].key, 1, keys[k].action), found = 1;
        for (int k = 0; !found && global[k].action != TA_NONE; k++)
            if (global[k].is_code && global[k].key == KEY_F(f))
                help_add(h, global[k].key, 1, global[k].action);
    }
    for (int k = 0; keys && keys[k].action != TA_NONE; k++)
        if (!(keys[k].is_code && keys[k].key >= KEY_F(1) && keys[k].key <= KEY_F(12)))
            help_add(h, keys[k].key, keys[k].is_code, keys[k].action);
    for (int k = 0; global[k].action != TA_NONE; k++) {
        const struct keydef *g = &global[k];
        int fkey = g->is_code && g->key >= KEY_F(1) && g->key <= KEY_F(12);
        int enter_twin = g->key == '\r' || (g->is_code && g->key == KEY_ENTER);
        /* Function keys came first; a key the screen binds itself means the screen's action. */
        if (!fkey && !enter_twin && tui_event_make(g->is_code, g->key, keys).action == g->action)
            help_add(h, g->key, g->is_code, g->action);
    }
    listview_set_count(&h->lv, h->n);
    tui_push(app, &help_ops, h);
}

/* ---- Lock screen ---- */

static struct field lock_field;

static void draw_lock(struct app *app)
{
    erase();
    int mid = app->rows / 2 - 3;
    char text[256];
    int cells = tui_text_cells(app->org_name);
    tui_put(stdscr, mid, (app->cols - cells) / 2, app->org_name, app->cols, 0);
    if (app->mark) {
        cells = tui_text_cells(app->mark);
        tui_put(stdscr, mid + 1, (app->cols - cells) / 2, app->mark, app->cols, 0);
    }
    snprintf(text, sizeof(text), _("Locked — %s"), app->lock_user);
    cells = tui_text_cells(text);
    tui_style_on(stdscr, ST_HEADER);
    tui_put(stdscr, mid + 2, (app->cols - cells) / 2, text, app->cols, 0);
    tui_style_off(stdscr, ST_HEADER);
    const char *label = _("Password");
    int lx = app->cols / 2 - 20;
    tui_put(stdscr, mid + 4, lx, label, 12, 1);
    int cy = -1, cx = -1;
    mvwaddch(stdscr, mid + 4, lx + 13, '[');
    field_draw(&lock_field, stdscr, mid + 4, lx + 14, 24, 1, &cy, &cx);
    mvwaddch(stdscr, mid + 4, lx + 38, ']');
    if (app->message[0]) {
        tui_style_on(stdscr, app->message_is_error ? ST_ERROR : ST_NORMAL);
        char msg[600];
        snprintf(msg, sizeof(msg), "%s%s", app->message_is_error ? "! " : "", app->message);
        cells = tui_text_cells(msg);
        tui_put(stdscr, mid + 6, cells < app->cols ? (app->cols - cells) / 2 : 0, msg, app->cols,
                0);
        tui_style_off(stdscr, app->message_is_error ? ST_ERROR : ST_NORMAL);
    }
    const char *hint = _("Enter: unlock   F10: quit");
    cells = tui_text_cells(hint);
    tui_put(stdscr, app->rows - 1, (app->cols - cells) / 2, hint, app->cols, 0);
    curs_set(1);
    wmove(stdscr, cy, cx);
    wnoutrefresh(stdscr);
    doupdate();
}

/* Wipe every secret the screens hold and clear the terminal so nothing stays visible. */
static void wipe_screens(struct app *app)
{
    for (int i = 0; i < depth; i++)
        if (stack[i].ops->on_lock)
            stack[i].ops->on_lock(app, stack[i].st);
    clearok(curscr, TRUE);
    erase();
    wnoutrefresh(stdscr);
    doupdate();
}

static void lock(struct app *app)
{
    if (app->locked)
        return;
    wipe_screens(app);
    app->locked = 1;
    tui_clear_message(app);
    field_clear(&lock_field);
    if (app->on_locked)
        app->on_locked(app);
}

/* Returns 1 when the application should quit. */
static int lock_key(struct app *app, const struct tui_event *ev)
{
    if (ev->action == TA_QUIT && (ev->is_code || lock_field.len == 0))
        return 1;
    if (ev->action == TA_REDRAW) {
        clearok(curscr, TRUE);
        return 0;
    }
    if (ev->action == TA_OPEN) {
        char msg[300] = "";
        if (app->unlock &&
            app->unlock(app, lock_field.buf, lock_field.len, msg, sizeof(msg)) == 0) {
            app->locked = 0;
            tui_clear_message(app);
            app->last_input_ms = tui_now_ms();
            clearok(curscr, TRUE);
        } else {
            tui_message(app, 1, "%s", msg[0] ? msg : _("The password is wrong."));
        }
        field_clear(&lock_field);
        return 0;
    }
    field_handle(&lock_field, ev);
    return 0;
}

/* ---- Confirmation ---- */

enum tui_next tui_fail(struct app *app, enum mnv_err err)
{
    tui_message(app, 1, "%s", _(mnv_err_str(err)));
    return TUI_STAY;
}

int tui_may(struct app *app, enum access_action act)
{
    struct session *s = tui_session(app);
    if (s && access_allowed(session_role(s), act))
        return 1;
    tui_fail(app, MNV_ERR_DENIED);
    return 0;
}

void *tui_state_new(struct app *app, size_t size)
{
    void *st = calloc(1, size);
    if (!st)
        tui_fail(app, MNV_ERR_NOMEM);
    return st;
}

void *tui_screen_new(struct app *app, enum access_action act, size_t size)
{
    return tui_may(app, act) ? tui_state_new(app, size) : NULL;
}

int tui_confirm(struct app *app, const char *question)
{
    char text[400];
    snprintf(text, sizeof(text), "%s  %s", question, _("(y/n)"));
    int cells = tui_text_cells(text) + 4;
    if (cells > app->cols - 2)
        cells = app->cols - 2;
    int y = app->rows / 2 - 2, x = (app->cols - cells) / 2;
    for (;;) {
        for (int r = 0; r < 3; r++) {
            tui_style_on(stdscr, ST_TITLE);
            tui_put(stdscr, y + r, x, r == 1 ? "" : "", cells, 1);
            tui_style_off(stdscr, ST_TITLE);
        }
        tui_style_on(stdscr, ST_TITLE);
        tui_put(stdscr, y + 1, x + 2, text, cells - 4, 0);
        tui_style_off(stdscr, ST_TITLE);
        curs_set(0);
        wnoutrefresh(stdscr);
        doupdate();
        wint_t ch;
        int r = get_wch(&ch);
        if (r == ERR) {
            if (tui_now_ms() - app->last_input_ms >= (long long)app->cfg->idle_lock_seconds * 1000)
                return 0;
            continue;
        }
        app->last_input_ms = tui_now_ms();
        if (r == OK && (ch == 'y' || ch == 'Y' || ch == L'ｙ'))
            return 1;
        if (r == OK && (ch == 'n' || ch == 'N' || ch == 27 || ch == L'ｎ'))
            return 0;
        if (r == KEY_CODE_YES && ch == KEY_RESIZE)
            return 0;
    }
}

/* ---- The loop ---- */

static int any_unsaved(struct app *app)
{
    for (int i = 0; i < depth; i++)
        if (stack[i].ops->unsaved && stack[i].ops->unsaved(app, stack[i].st))
            return 1;
    return 0;
}

static int want_quit(struct app *app)
{
    if (!any_unsaved(app))
        return 1;
    int yes = tui_confirm(app, _("There are unsaved changes. Quit anyway?"));
    clearok(curscr, TRUE);
    return yes;
}

static void resize(struct app *app)
{
    getmaxyx(stdscr, app->rows, app->cols);
    make_body(app);
    clearok(curscr, TRUE);
}

/* Returns 1 to quit. */
/* Why a function key dimmed on this screen does nothing here (the key bar keeps every key
 * in its place); NULL for a key that is not one of those. */
static const char *dimmed_why(const struct tui_event *ev)
{
    if (!ev->is_code || ev->action != TA_NONE)
        return NULL;
    switch (ev->code) {
    case KEY_F(2):
        return _("F2 collects a number from an employee's record: open the record first.");
    case KEY_F(3):
        return _("F3 filters a list; this screen has none.");
    case KEY_F(4):
        return _("F4 edits a record: open the record first.");
    case KEY_F(5):
        return _("F5 reveals a number for a notified purpose, from an employee's record.");
    case KEY_F(6):
        return _("F6 opens the exports from the dashboard, the list or a record.");
    case KEY_F(7):
        return _("F7 shows disposal from the dashboard, the list or a record.");
    case KEY_F(8):
        return _("F8 opens the audit log from the dashboard (auditors and supervisors).");
    case KEY_F(9):
        return _("F9 opens the menu from the dashboard; F1 lists every key of this screen.");
    default:
        return NULL;
    }
}

/* A change saved whose key file could not follow it (session_keyfile_late()): said once. */
static void say_keyfile_late(struct app *app)
{
    static int said;
    int late = session_keyfile_late(NULL) != MNV_OK;
    if (late && !said)
        tui_message(app, 1, "%s",
                    _("Saved, but the key file could not be updated: tell the administrator"));
    said = late;
}

static int dispatch(struct app *app, const struct tui_event *ev)
{
    struct frame *top = &stack[depth - 1];
    if (ev->action == TA_LOCK && app->user_line[0]) {
        lock(app);
        return 0;
    }
    if (ev->action == TA_REDRAW) {
        clearok(curscr, TRUE); /* the next update repaints every cell */
        return 0;
    }
    /* While a text field is being edited (the cursor is in it), ? is a character. */
    struct tui_event typed = *ev;
    if (ev->action == TA_HELP && !ev->is_code && app->cursor_y >= 0) {
        typed.action = TA_NONE;
        ev = &typed;
    }
    if (ev->action == TA_HELP && top->ops != &help_ops) {
        push_help(app, top->ops->keys);
        return 0;
    }
    tui_clear_message(app); /* a message lasts until the next key */
    enum tui_next next = top->ops->handle(app, top->st, ev);
    const char *why = next == TUI_STAY && !app->message[0] ? dimmed_why(ev) : NULL;
    if (why) /* the screen did nothing with a dimmed key, nor said why */
        tui_message(app, 1, "%s", why);
    switch (next) {
    case TUI_POP:
        pop(app);
        return depth == 0;
    case TUI_QUIT:
        return want_quit(app);
    case TUI_LOCK:
        lock(app);
        return 0;
    default:
        return 0;
    }
}

static int tick(struct app *app, long long now)
{
    int dirty = 0;
    app->busy = 0;
    if (!app->locked && app->user_line[0] &&
        now - app->last_input_ms >= (long long)app->cfg->idle_lock_seconds * 1000) {
        lock(app);
        return 1;
    }
    for (int i = 0; i < depth && !app->locked; i++)
        if (stack[i].ops->tick && stack[i].ops->tick(app, stack[i].st, now))
            dirty = 1;
    return dirty;
}

static long long usec_between(const struct timespec *a, const struct timespec *b)
{
    return (long long)(b->tv_sec - a->tv_sec) * 1000000 + (b->tv_nsec - a->tv_nsec) / 1000;
}

static FILE *saved_stderr_copy;
static int saved_stderr_fd = -1;

/* While curses owns the terminal, stderr goes to a private temporary file; it is shown
 * after the screen is restored (libraries must not draw over the screens). */
static void capture_stderr(void)
{
    saved_stderr_copy = tmpfile();
    if (!saved_stderr_copy)
        return;
    fflush(stderr);
    saved_stderr_fd = dup(STDERR_FILENO);
    dup2(fileno(saved_stderr_copy), STDERR_FILENO);
}

static void release_stderr(void)
{
    if (saved_stderr_fd < 0)
        return;
    fflush(stderr);
    dup2(saved_stderr_fd, STDERR_FILENO);
    close(saved_stderr_fd);
    saved_stderr_fd = -1;
    rewind(saved_stderr_copy);
    char buf[1024];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), saved_stderr_copy)) > 0)
        fwrite(buf, 1, n, stderr);
    fclose(saved_stderr_copy);
    saved_stderr_copy = NULL;
}

static void terminal_start(struct app *app)
{
    capture_stderr();
    initscr();
    raw(); /* Ctrl-C, Ctrl-Z and Ctrl-S reach us as keys: nothing suspends with a number shown */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    timeout(TICK_MS);
    tui_colors_init(app->cfg->color);
    resize(app);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    signal(SIGINT, on_signal);
}

static void terminal_end(struct app *app)
{
    wipe_screens(app);
    clear();
    refresh();
    endwin(); /* leaves the alternate screen: the shell's screen comes back as it was */
    release_stderr();
}

int tui_run_loop(struct app *app)
{
    if (depth == 0)
        return 0;
    if (field_init(&lock_field, 1024, 1) != 0)
        return -1;
    terminal_start(app);
    app->last_input_ms = tui_now_ms();
    int dirty = 1, quit = 0;
    long long last_title_sec = -1;
    while (!quit && depth > 0) {
        if (got_signal)
            break;
        if (dirty || app->locked) {
            if (app->locked)
                draw_lock(app);
            else
                draw_all(app);
            dirty = 0;
        }
        wint_t ch;
        int poll_only = app->busy && !app->locked;
        if (poll_only)
            timeout(0);
        int r = get_wch(&ch);
        if (poll_only)
            timeout(TICK_MS); /* other loops (dialogs) wait as before */
        long long now = tui_now_ms();
        if (r == ERR) {
            if (tick(app, now))
                dirty = 1;
            long long sec = now / 1000;
            if (sec != last_title_sec && body && !app->locked) {
                last_title_sec = sec; /* the clock and auto-lock countdown */
                draw_title(app);
                wnoutrefresh(stdscr);
                /* the terminal cursor goes back to the field being edited (an input method
                 * opens its candidate window there) */
                if (app->cursor_y >= 0) {
                    wmove(body, app->cursor_y, app->cursor_x);
                    wnoutrefresh(body);
                }
                doupdate();
            }
            continue;
        }
        if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
            resize(app);
            dirty = 1;
            continue;
        }
        app->last_input_ms = now;
        dirty = 1;
        if (r == OK && ch == 3) { /* Ctrl-C: quit, the same as F10 */
            quit = app->locked ? 1 : want_quit(app);
            continue;
        }
        struct tui_event ev = tui_event_make(r == KEY_CODE_YES, (int)ch,
                                             app->locked ? NULL : stack[depth - 1].ops->keys);
        if (app->locked) {
            quit = lock_key(app, &ev);
            continue;
        }
        struct timespec t0, t1, t2;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (!body) /* too small: only quit and lock work */
            quit = ev.action == TA_QUIT;
        else
            quit = dispatch(app, &ev);
        say_keyfile_late(app);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (!quit && !app->locked && depth > 0) {
            draw_all(app); /* drawn here, not at the loop's top, so it can be timed */
            dirty = 0;
            clock_gettime(CLOCK_MONOTONIC, &t2);
            testhook_timing("key", usec_between(&t0, &t1));
            testhook_timing("draw", usec_between(&t1, &t2));
        }
    }
    terminal_end(app);
    while (depth > 0)
        pop(app);
    field_release(&lock_field);
    return got_signal ? 128 + got_signal : 0;
}
