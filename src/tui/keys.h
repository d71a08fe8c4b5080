/* keys.h (tui layer, private to src/tui): the actions of the terminal application and the one table
 * that binds keys to them (keys.c). Screens handle actions, never raw keys, so help, the key
 * bar and tests all speak in actions.
 */
#ifndef MNVAULT_TUI_KEYS_H
#define MNVAULT_TUI_KEYS_H

#include <curses.h> /* keys are curses KEY_* codes or characters */
#include <stddef.h>
#include <wchar.h>

#include "mnvault/attr.h"
#include "mnvault/i18n.h"

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
    X(REDRAW, N_("Redraw"), N_("draw the whole screen again"))                                     \
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
    X(NEXT_STEP, N_("Next step"), N_("go on to the next step (as Enter on its last field)"))       \
    X(TOGGLE, N_("Select"), N_("select or unselect the item; change a choice"))                    \
    X(NOTIFY, N_("Notify purpose"), N_("record a purpose of use notified to the person later"))    \
    X(PAYROLL, N_("Figures"), N_("the employee's year-end figures for the slips"))                 \
    X(NEXT_YEAR, N_("Year"), N_("show another year"))                                              \
    X(RETENTION, N_("Retention"), N_("why and until when this person's number is kept"))           \
    X(HOLD, N_("Hold"), N_("keep a due number for a reason until a review date (supervisors)"))    \
    X(RELEASE, N_("Release"), N_("end the hold on this number (supervisors)"))                     \
    X(REFUSED, N_("Refused"), N_("record a refusal to give the My Number (提供拒否)"))             \
    X(LEFT, N_("Left 扶養"), N_("record the day a dependant left 扶養, or undo it"))               \
    X(SELECT_ALL, N_("All"), N_("choose every item, or none"))                                     \
    X(PROPOSE, N_("Propose"), N_("propose deleting the numbers chosen (a supervisor approves)"))   \
    X(APPROVE, N_("Approve"), N_("approve this proposal, for a reason (another supervisor)"))      \
    X(REJECT, N_("Reject"), N_("reject this proposal, for a reason"))                              \
    X(WITHDRAW, N_("Withdraw"), N_("take back your own proposal"))                                 \
    X(EXECUTE, N_("Delete now"),                                                                   \
      N_("delete the numbers of this approved proposal and issue the certificate of deletion"))    \
    X(CERTIFICATE, N_("Certificate"), N_("the certificate of deletion of this proposal"))          \
    X(WRITE_FILES, N_("Write files"), N_("write the certificate's JSON and PDF into a folder"))    \
    X(HIRE, N_("New"), N_("add a new employee (hiring)"))                                          \
    X(WRITE, N_("Write"), N_("write the filing after checking it (asks first)"))                   \
    X(REGISTER, N_("Register"), N_("the custody register of exported files"))                      \
    X(PAYROLL_IMPORT, N_("Figures"), N_("import the year-end figures from a payroll CSV file"))    \
    X(MARK, N_("Mark"), N_("mark the copy submitted, destroyed or returned"))                      \
    X(INSURANCE, N_("Insurance"),                                                                  \
      N_("the insurance facts of the person (健保・厚年, 雇用保険, 被扶養者)"))                    \
    X(FLOW, N_("Join/leave"),                                                                      \
      N_("guided steps: a new hire, a leaver, a dependant joining or leaving 扶養, and the "     \
         "filings due"))                                                                           \
    X(FILINGS, N_("Filings"), N_("the insurance filings due and their legal deadlines"))           \
    X(VERIFY, N_("Verify"), N_("recompute the audit log's hash chain now"))                        \
    X(AUDIT_EXPORT, N_("Export"), N_("write the entries of this filter to a CSV file"))            \
    X(REVIEW, N_("Review"), N_("the monthly review of the audit log"))                             \
    X(SIGN, N_("Sign"), N_("sign this month's review (supervisors; the month must be over)"))      \
    X(MONTH_PREV, N_("Earlier"), N_("the month before"))                                           \
    X(MONTH_NEXT, N_("Later"), N_("the month after"))                                              \
    X(USER_ADD, N_("Add"), N_("add a user (administrators); a one-time password is shown"))        \
    X(USER_DISABLE, N_("Disable"), N_("stop this user from logging in; their keys are replaced"))  \
    X(USER_ENABLE, N_("Enable"), N_("let this user log in again, with a one-time password"))       \
    X(USER_RESET, N_("Reset"), N_("give this user a new one-time password"))                       \
    X(USER_WINDOW, N_("Window"), N_("set the days, hours and last day this user may log in"))      \
    X(USER_UNLOCK, N_("Unlock"), N_("end this user's lockout after failed logins"))                \
    X(TOTP_REMOVE, N_("No TOTP"), N_("remove the authenticator app of this user"))                 \
    X(USER_ROLE, N_("Role"), N_("change this user's role (not your own)"))                         \
    X(TIMEZONE, N_("Zone"), N_("the organisation's time zone (access windows, dates)"))            \
    X(USER_APPROVE, N_("Approve"), N_("let this account use My Numbers, with its owner's code"))   \
    X(BACKUP_MAKE, N_("Back up"), N_("write a backup of the vault now (asks first)"))              \
    X(BACKUP_VERIFY, N_("Check"), N_("read a backup file through and check it"))                   \
    X(HANDLING, N_("Register"),                                                                    \
      N_("the handling register (特定個人情報ファイル管理簿) and checklist, as PDF or CSV"))       \
    X(INCIDENT_NEW, N_("Incident"), N_("record a lost or leaked file and see what it held"))       \
    X(INCIDENT_WRITE, N_("Write"), N_("write the incident's report as PDF or CSV"))

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

const char *tui_action_label(enum tui_action a); /* translated short label */
const char *tui_action_help(enum tui_action a);  /* translated description */
void tui_key_name(char *buf, size_t size, int key, int is_code);
struct tui_event tui_event_make(int is_code, int key, const struct keydef *screen_keys);
int tui_screen_has(const struct keydef *keys, enum tui_action a);
int tui_global_keys(const struct keydef **out); /* the keys every screen has */

#endif
