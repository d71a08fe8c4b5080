/*
 * tui.h: what the terminal application's files share (tui layer, private to src/tui).
 *
 * The TUI is a stack of screens. Each screen is a small interface (draw, handle an event,
 * tick, lock, release). Keys become actions through one binding table (keys.c); screens
 * handle actions, so help, the key bar and tests all speak in actions. Only src/tui
 * includes curses. Drawing goes through draw.c, which measures East Asian widths and never
 * writes past a cell budget; every frame is drawn with wnoutrefresh + doupdate.
 */
#ifndef MNVAULT_TUI_PRIVATE_H
#define MNVAULT_TUI_PRIVATE_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "mnvault/attr.h"
#include "mnvault/config.h"

/* Minimum terminal size; below it the TUI shows only a request to enlarge the window. */
#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24

/* X(NAME, key-bar label, help description) — labels and descriptions are msgids. */
#define TUI_ACTION_LIST(X)                                                                         \
    X(NONE, "", "")                                                                                \
    X(HELP, N_("Help"), N_("show every key of this screen"))                                       \
    X(COLLECT, N_("Collect"), N_("collect a My Number for this person"))                           \
    X(FILTER, N_("Filter"), N_("type to filter the list"))                                         \
    X(EDIT, N_("Edit"), N_("edit this record"))                                                    \
    X(REVEAL, N_("Reveal"), N_("reveal the My Number for a stated purpose"))                       \
    X(EXPORT, N_("Export"), N_("export filings"))                                                  \
    X(DISPOSE, N_("Dispose"), N_("disposal of numbers past retention"))                            \
    X(AUDIT, N_("Audit"), N_("the audit log"))                                                     \
    X(MENU, N_("Menu"), N_("the main menu"))                                                       \
    X(QUIT, N_("Quit"), N_("quit mnvault (asks first when something is unsaved)"))                 \
    X(BACK, N_("Back"), N_("go back; cancel"))                                                     \
    X(OPEN, N_("Open"), N_("open the selected item"))                                              \
    X(LOCK, N_("Lock"), N_("lock the screen now"))                                                 \
    X(UP, N_("Up"), N_("move up"))                                                                 \
    X(DOWN, N_("Down"), N_("move down"))                                                           \
    X(PAGE_UP, N_("Page up"), N_("one page up"))                                                   \
    X(PAGE_DOWN, N_("Page down"), N_("one page down"))                                             \
    X(HOME, N_("First"), N_("go to the first item"))                                               \
    X(END, N_("Last"), N_("go to the last item"))                                                  \
    X(NEXT_FIELD, N_("Next"), N_("next field"))                                                    \
    X(PREV_FIELD, N_("Previous"), N_("previous field"))                                            \
    X(SAVE, N_("Save"), N_("save the changes"))                                                    \
    X(RETIRED, N_("Retired"), N_("show or hide retired employees"))                                \
    X(SORT, N_("Sort"), N_("change the sort order (code, reading, hire date)"))                    \
    X(EMPLOYEES, N_("Employees"), N_("the employee list"))                                         \
    X(CLEAR, N_("Clear"), N_("clear the filter"))                                                  \
    X(REFRESH, N_("Redraw"), N_("redraw the screen"))                                              \
    X(PASSWORD, N_("Password"), N_("change your own password"))                                    \
    X(DEPENDENT_ADD, N_("Add dependent"), N_("add a dependent to this employee"))                  \
    X(PREV_STEP, N_("Previous step"), N_("go back one step (nothing is stored until the end)"))    \
    X(TOGGLE, N_("Select"), N_("select or unselect the item; change a choice"))                    \
    X(NOTIFY, N_("Notify purpose"), N_("record a purpose of use notified to the person later"))    \
    X(PAYROLL, N_("Figures"), N_("the employee's year-end figures for the slips"))                 \
    X(NEXT_YEAR, N_("Year"), N_("show another year"))                                              \
    X(RETENTION, N_("Retention"), N_("why and until when this person's number is kept"))           \
    X(HOLD, N_("Hold"), N_("keep a due number for a reason until a review date (supervisors)"))    \
    X(RELEASE, N_("Release"), N_("end the hold on this number (supervisors)"))                     \
    X(SELECT_ALL, N_("All"), N_("choose every item, or none"))                                     \
    X(PROPOSE, N_("Propose"), N_("propose deleting the numbers chosen (a supervisor approves)"))   \
    X(APPROVE, N_("Approve"), N_("approve this proposal, for a reason (another supervisor)"))      \
    X(REJECT, N_("Reject"), N_("reject this proposal, for a reason"))                              \
    X(WITHDRAW, N_("Withdraw"), N_("take back your own proposal"))                                 \
    X(EXECUTE, N_("Delete now"),                                                                   \
      N_("delete the numbers of this approved proposal and issue the certificate of deletion"))    \
    X(CERTIFICATE, N_("Certificate"), N_("the certificate of deletion of this proposal"))          \
    X(WRITE_FILES, N_("Write files"), N_("write the certificate's JSON and PDF into a folder"))    \
    X(INSURANCE, N_("Insurance"),                                                                  \
      N_("the insurance facts of the person (健保・厚年, 雇用保険, 被扶養者)"))

enum tui_action {
#define TUI_ACTION_ENUM_(name, label, help) TA_##name,
    TUI_ACTION_LIST(TUI_ACTION_ENUM_)
#undef TUI_ACTION_ENUM_
        TA__COUNT
};

/* One key of a screen: how it is named in help, and the action it triggers. */
struct keydef {
    int key;     /* a curses KEY_* code or a character */
    int is_code; /* 1 when key is a KEY_* code */
    enum tui_action action;
};

/* What one key press became. */
struct tui_event {
    int is_code; /* 1: code is a KEY_* code; 0: ch is a character */
    int code;
    wchar_t ch;
    enum tui_action action; /* TA_NONE when the key means nothing on this screen */
};

struct app;

/* What a screen's handler asks the application to do next. */
enum tui_next { TUI_STAY = 0, TUI_POP, TUI_QUIT, TUI_LOCK, TUI_PUSHED };

struct screen_ops {
    const char *name; /* for tests and logs */
    /* The screen's own keys (function keys included), ended by {0, 0, TA_NONE}. Global
     * keys (F1/?, F10/q, Esc, Ctrl-L, arrows) need not be listed. */
    const struct keydef *keys;
    /* Heading drawn on the rule under the title bar (already translated); right may be
     * filled with text for the right end of the rule (e.g. the filter being typed). */
    const char *(*heading)(struct app *app, void *st, char *right, size_t rsize);
    void (*draw)(struct app *app, void *st, WINDOW *body);
    enum tui_next (*handle)(struct app *app, void *st, const struct tui_event *ev);
    /* Called about 5 times a second; return 1 when the screen must be redrawn. */
    int (*tick)(struct app *app, void *st, long long now_ms);
    /* Lock or exit is coming: wipe anything secret now (revealed numbers, passwords). */
    void (*on_lock)(struct app *app, void *st);
    /* 1 when leaving would lose unsaved changes (quit asks first). */
    int (*unsaved)(struct app *app, void *st);
    /* The screen is on top again after the one above it closed (reload data here). */
    void (*resume)(struct app *app, void *st);
    /* Wipe and free st. */
    void (*release)(void *st);
};

/* keys.c */
const char *tui_action_label(enum tui_action a); /* translated short label */
const char *tui_action_help(enum tui_action a);  /* translated description */
void tui_key_name(char *buf, size_t size, int key, int is_code);
struct tui_event tui_event_make(int is_code, int key, const struct keydef *screen_keys);
int tui_screen_has(const struct keydef *keys, enum tui_action a);
int tui_global_keys(const struct keydef **out); /* the keys every screen has */

/* draw.c: text measured in terminal cells (East Asian wide characters take two). */
int tui_text_cells(const char *utf8);
/* Draw utf8 at (y,x) in at most cells cells, padding with spaces to exactly `cells` when
 * pad is set; a cut is marked with "…". Returns the cells used. */
int tui_put(WINDOW *w, int y, int x, const char *utf8, int cells, int pad);
/* Like tui_put, right-aligned in the cells. */
int tui_put_right(WINDOW *w, int y, int x, const char *utf8, int cells);
void tui_hline(WINDOW *w, int y, int x, int cells);
/* Draw utf8 over up to max_lines lines of cells cells, breaking at spaces where it can;
 * returns the lines used. */
int tui_put_wrapped(WINDOW *w, int y, int x, const char *utf8, int cells, int max_lines);
/* A rule with a title: "─ title ───…" across width cells, optional right text. */
void tui_rule(WINDOW *w, int y, int width, const char *title, const char *right);
int tui_colors(void); /* 1 when colours are in use */
enum tui_style {
    ST_NORMAL,
    ST_TITLE,
    ST_SELECTED,
    ST_ERROR,
    ST_OK,
    ST_DIM,
    ST_FIELD,
    ST_HEADER,
    ST_REVEAL
};
void tui_style_on(WINDOW *w, enum tui_style s);
void tui_style_off(WINDOW *w, enum tui_style s);
void tui_colors_init(int want_color);

/* app.c */
struct tui_session_hooks;
struct app {
    const struct mnv_config *cfg;
    const char *org_name; /* shown on the title bar and the lock screen */
    char user_line[128];  /* "clerk (事務取扱担当者)"; "" before login */
    char lock_user[64];   /* the user name shown on the lock screen */
    int rows, cols;
    int locked;
    long long last_input_ms;
    char message[512];      /* one line at the bottom; "" when none */
    int cursor_y, cursor_x; /* where a focused field wants the cursor (body
                             * coordinates); -1 hides it. Screens set it in draw. */
    int message_is_error;
    long data_version; /* raised by every screen that changes stored data; lists
                        * reload only when it moved since they loaded */
    void *services;    /* the front end's link to the service layer */
    /* Verify a password to unlock; returns 0 (unlocked), or fills msg and returns -1. */
    int (*unlock)(struct app *app, const char *password, size_t len, char *msg, size_t msgsize);
    void (*on_locked)(struct app *app); /* e.g. audit the lock */
};
enum tui_next tui_push(struct app *app, const struct screen_ops *ops, void *st);
void tui_message(struct app *app, int is_error, const char *fmt, ...) MNV_PRINTF(3, 4);
void tui_clear_message(struct app *app);
int tui_run_loop(struct app *app);
int tui_confirm(struct app *app, const char *question); /* y/n dialog; 1 = yes */
long long tui_now_ms(void);

#endif

/* field.c: a one-line text input that measures East Asian widths. */
struct field {
    char *buf;                 /* UTF-8, NUL-terminated; secmem when secret */
    size_t cap;                /* bytes available in buf including the NUL */
    size_t len;                /* bytes used */
    size_t cursor;             /* byte offset of the cursor, on a character boundary */
    int secret;                /* kept in secmem and drawn as a fixed mask; wiped on release */
    int show;                  /* draw a secret field as typed anyway (confirmation codes) */
    int max_chars;             /* 0 = no limit beyond cap */
    int scroll;                /* first cell shown */
    int changed;               /* set on every edit; the owner clears it */
    int (*accept)(wchar_t ch); /* characters allowed; NULL = any printable */
};
MNV_MUST_CHECK int field_init(struct field *f, size_t cap, int secret);
void field_release(struct field *f);
void field_clear(struct field *f);
void field_set(struct field *f, const char *utf8);
/* Apply an editing key; returns 1 when the event was used (even if nothing changed). */
int field_handle(struct field *f, const struct tui_event *ev);
/* Draw in width cells at (y,x); when focused, leaves the cursor position in cy and cx. */
void field_draw(struct field *f, WINDOW *w, int y, int x, int width, int focused, int *cy, int *cx);
int field_accept_digits(wchar_t ch); /* digits and separators as numtext.h has them */
int field_accept_date(wchar_t ch);   /* digits and '-' '/' '.' and era letters */

/* listview.c: selection and scrolling over count rows of which `rows` are visible. */
struct listview {
    long count;
    long sel;
    long top;
    int rows;
};
void listview_set_count(struct listview *lv, long count);
/* Move for an action; returns 1 when the selection or scroll moved. */
int listview_handle(struct listview *lv, enum tui_action a);
void listview_fit(struct listview *lv, int rows);

/* ---- The application's screens and its link to the services (tui_main.c) ---- */

struct session;
struct purpose_catalog;

/* What the screens share beyond struct app: the signed-in session and its options. */
struct tui_link {
    const char *data_dir;
    struct session *session; /* NULL before login */
    const struct tui_options *opts;
};

static inline struct tui_link *tui_link(struct app *app)
{
    return (struct tui_link *)app->services;
}

/* tui_redraw_now: draw the current screen at once (before a slow call, e.g. Argon2id). */
void tui_redraw_now(struct app *app);

/* tui_replace_top: release the top screen and put ops/st in its place. The caller (that
 * top screen's handler) must not touch its own state afterwards. */
void tui_replace_top(struct app *app, const struct screen_ops *ops, void *st);

/* tui_thousands: n with thousands separators ("1,234") into buf. Returns buf. */
char *tui_thousands(char *buf, size_t size, long n);

/* tui_error_text: a person's sentence for err (translated), with diag's item if any. */
char *tui_error_text(char *buf, size_t size, int err, const void *diag);

/* Screens. Each returns TUI_PUSHED or TUI_STAY (when out of memory, with a message). */
enum tui_next scr_login_push(struct app *app, const char *user);
enum tui_next scr_password_push(struct app *app, int forced);
enum tui_next scr_dashboard_open(struct app *app); /* replaces the top screen */
enum tui_next scr_employees_push(struct app *app);
enum tui_next scr_employee_push(struct app *app, long long employee_id);
enum tui_next scr_edit_employee_push(struct app *app, long long employee_id);
enum tui_next scr_edit_dependent_push(struct app *app, long long employee_id,
                                      long long dependent_id);
/* scr_payroll.c: an employee's year-end figures (who: the name shown in the heading). */
enum tui_next scr_payroll_push(struct app *app, long long employee_id, const char *who);

/* scr_insurance.c: the insurance facts of a person (who: the name shown). prefixes: NULL
 * for every fact kept for the person, or a space-separated list of groups ("koyo.") and
 * keys to show only those; preset: values put into empty facts (not saved until F2). */
struct person_ref;
struct insurance_change;
enum tui_next scr_insurance_push(struct app *app, const struct person_ref *ref, const char *who,
                                 const char *prefixes, const struct insurance_change *preset,
                                 size_t npreset);

/* scr_collect.c: the collection wizard for a person (who: the name shown), the dialog for a
 * purpose notified later (info: the person's number record), and the detail screen's
 * verification line for a person ("" when there is nothing to say). */
struct person_ref;
struct number_info;
enum tui_next scr_collect_push(struct app *app, const struct person_ref *ref, const char *who);
enum tui_next scr_notify_push(struct app *app, const struct person_ref *ref, const char *who,
                              const struct number_info *info);
void tui_verification_text(struct app *app, const struct person_ref *ref, char *buf, size_t size);

/* scr_disposal.c: the Disposal screen (F7): the numbers due, to propose; the proposals.
 * scr_proposal.c: one proposal, with approve / reject / withdraw / execute. */
struct retention_rules;
enum tui_next scr_disposal_push(struct app *app);
enum tui_next scr_proposal_push(struct app *app, long long id, const struct retention_rules *r);
/* scr_cert.c: the certificate of deletion of executed proposal proposal_id; done and after
 * (a sentence, or "") say what the execution just did, or are NULL when opened later. */
struct disposal_done;
enum tui_next scr_cert_push(struct app *app, long long proposal_id,
                            const struct disposal_done *done, const char *after);

/* scr_retention.c: why and until when the number of one person of an employee's household
 * is kept, with holds for supervisors; tui_retention_text: the one-line summary the detail
 * screen shows for a person ("" when the person has no registered number). */
enum tui_next scr_retention_push(struct app *app, long long employee_id,
                                 const struct person_ref *ref);
struct retention_household;
struct retention_rules;
void tui_retention_text(const struct retention_household *h, const struct retention_rules *r,
                        const struct person_ref *ref, char *buf, size_t size);

/* Purpose names for screens: the person's language; short = one mark for lists. */
const char *tui_purpose_name(struct app *app, const char *code);
const char *tui_purpose_short_name(struct app *app, const char *code);
void tui_purpose_short(struct app *app, const char *code, char *buf, size_t size);
/* Status words for a number: 登録済み / 未登録 / 提供拒否 / 廃棄済み. */
const char *tui_number_status(int status);
/* Role names: 事務取扱担当者 … */
const char *tui_role_name(int role);

/* emplist.c: the employee list's model, without curses: every employee in memory, a
 * folded search key per row, three sort orders (built when first used), the current
 * filter's matches. A keystroke that extends the filter only narrows the last matches. */
#include "mnvault/person.h"

enum emplist_sort { EMPLIST_BY_CODE = 0, EMPLIST_BY_KANA, EMPLIST_BY_HIRE, EMPLIST_SORTS };

struct emplist {
    struct person_list list; /* owned */
    char *keys;              /* folded "code\x1fname\x1fkana" of each row, NUL-separated */
    uint32_t *key_at;        /* offset of each row's key in keys */
    unsigned *order[EMPLIST_SORTS];
    unsigned *match; /* row indexes in the current order passing the filter */
    size_t nmatch;
    enum emplist_sort sort;
    int show_retired;
    char query[256];         /* folded */
    size_t current, retired; /* counts over the whole list */
};

/* emplist_init: take ownership of list and build the keys; 0, or -1 out of memory (the
 * list is then freed). */
MNV_MUST_CHECK int emplist_init(struct emplist *m, struct person_list *list);
void emplist_free(struct emplist *m);
/* Each returns 0, or -1 when out of memory (the matches are then empty). */
MNV_MUST_CHECK int emplist_filter(struct emplist *m, const char *utf8_query);
MNV_MUST_CHECK int emplist_set_sort(struct emplist *m, enum emplist_sort sort);
MNV_MUST_CHECK int emplist_set_retired(struct emplist *m, int show);
static inline const struct person_row *emplist_row(const struct emplist *m, size_t i)
{
    return &m->list.rows[m->match[i]];
}
