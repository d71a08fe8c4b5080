/* screens.h (tui layer, private to src/tui): the screens one screen opens from another. Each push
 * returns TUI_PUSHED, or TUI_STAY with a message when it could not open; a screen's own
 * words for another screen (the verification and retention lines) are here too.
 */
#ifndef MNVAULT_TUI_SCREENS_H
#define MNVAULT_TUI_SCREENS_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "mnvault/incident.h"

struct person_ref;
struct number_info;
struct retention_household;
struct retention_rules;

/* Screens. Each returns TUI_PUSHED or TUI_STAY (when out of memory, with a message). */
enum tui_next scr_login_push(struct app *app, const char *user);
enum tui_next scr_password_push(struct app *app, int forced);
enum tui_next scr_dashboard_open(struct app *app); /* replaces the top screen */
enum tui_next scr_employees_push(struct app *app);
enum tui_next scr_employee_push(struct app *app, long long employee_id);
enum tui_next scr_edit_employee_push(struct app *app, long long employee_id); /* 0: new */
enum tui_next scr_edit_dependent_push(struct app *app, long long employee_id,
                                      long long dependent_id);
/* scr_payroll.c: an employee's year-end figures (who: the name shown in the heading). */
enum tui_next scr_payroll_push(struct app *app, long long employee_id, const char *who);

/* scr_insurance.c: the insurance facts of a person (who: the name shown). prefixes: NULL
 * for every fact kept for the person, or a space-separated list of groups ("koyo.") and
 * keys to show only those; preset: values put into empty facts (not saved until F2). */
struct insurance_change;
enum tui_next scr_insurance_push(struct app *app, const struct person_ref *ref, const char *who,
                                 const char *prefixes, const struct insurance_change *preset,
                                 size_t npreset);

/* scr_collect.c: the collection wizard for a person (who: the name shown), the dialog for a
 * purpose notified later (info: the person's number record), and the detail screen's
 * verification line for a person ("" when there is nothing to say). */
enum tui_next scr_collect_push(struct app *app, const struct person_ref *ref, const char *who);
enum tui_next scr_notify_push(struct app *app, const struct person_ref *ref, const char *who,
                              const struct number_info *info);
void tui_verification_text(struct app *app, const struct person_ref *ref, char *buf, size_t size);

/* scr_mark.c: that the person refused to give the number (info: their number record), and
 * that the dependant d left the employee's 扶養 (or is one again). */
struct dependent;
enum tui_next scr_refused_push(struct app *app, const struct person_ref *ref, const char *who,
                               const struct number_info *info);
enum tui_next scr_left_push(struct app *app, const struct dependent *d);

/* scr_disposal.c: the Disposal screen (F7): the numbers due, to propose; the proposals.
 * scr_proposal.c: one proposal, with approve / reject / withdraw / execute. */
enum tui_next scr_disposal_push(struct app *app);

/* scr_audit.c: the audit log (F8) for roles that may read it; scr_review.c: the monthly
 * review of the log (a supervisor signs a month that is over); tui_review_text: the
 * dashboard's line about unsigned months ("" when nothing is due or the role may not read
 * the log). */
enum tui_next scr_audit_push(struct app *app);
/* scr_audit_entry.c: one entry of the log, seq, with its subject in words. */
enum tui_next scr_audit_entry_push(struct app *app, uint64_t seq, const char *subject);
enum tui_next scr_review_push(struct app *app);
void tui_review_text(struct app *app, char *buf, size_t size, int *due);
enum tui_next scr_proposal_push(struct app *app, long long id, const struct retention_rules *r);
/* scr_cert.c: the certificate of deletion of executed proposal proposal_id; done and after
 * (a sentence, or "") say what the execution just did, or are NULL when opened later. */
struct disposal_done;
enum tui_next scr_cert_push(struct app *app, long long proposal_id,
                            const struct disposal_done *done, const char *after);

/* scr_export.c: the Export screen (F6): form, year, copy, destination, file, zip, fill file;
 * check (the purpose gate's gaps, values that do not fit) and write. scr_custody.c: the
 * custody register of exported files, with marks (auditors reach it from F6 directly). */
enum tui_next scr_export_push(struct app *app);
/* The Export screen set for one filing of the checklist: form, the year of day, only the
 * employee code's events from day. */
enum tui_next scr_export_push_filing(struct app *app, const char *form, const char *day,
                                     const char *code);
enum tui_next scr_custody_push(struct app *app);
/* scr_figures.c: importing the year-end figures of a year from a payroll CSV file (F3 on
 * the Export screen; clerks and supervisors). */
enum tui_next scr_figures_push(struct app *app, int year);

/* scr_retention.c: why and until when the number of one person of an employee's household
 * is kept, with holds for supervisors; tui_retention_text: the one-line summary the detail
 * screen shows for a person ("" when the person has no registered number). */
enum tui_next scr_retention_push(struct app *app, long long employee_id,
                                 const struct person_ref *ref);
void tui_retention_text(const struct retention_household *h, const struct retention_rules *r,
                        const struct person_ref *ref, char *buf, size_t size);

/* The menu (F9, scr_menu.c) and the administration screens it opens, each for the roles
 * that may use it: users (scr_admin_users.c), the authenticator app of the signed-in user
 * (scr_admin_totp.c), the supervisor's approvals (scr_admin_queue.c: accounts waiting for
 * the number key, deletion proposals), backups (scr_admin_backup.c), the check of the vault
 * and the settings in effect (scr_admin_info.c). */
enum tui_next scr_menu_push(struct app *app);
enum tui_next scr_users_push(struct app *app);
enum tui_next scr_totp_push(struct app *app);
enum tui_next scr_approvals_push(struct app *app);
enum tui_next scr_backups_push(struct app *app);
/* scr_incident.c: the incidents (lost or leaked files) and recording one for a file of the
 * custody register (INCIDENT_EXPORT), the backup register (INCIDENT_BACKUP) or a device;
 * source 0 lets the person choose. */
enum tui_next scr_incidents_push(struct app *app);
enum tui_next scr_incident_new_push(struct app *app, enum incident_source source, int64_t id);
enum tui_next scr_vault_check_push(struct app *app);
enum tui_next scr_settings_push(struct app *app);

/* scr_flow.c: the guided steps of a new hire, a leaver or a dependant joining or leaving
 * 扶養 for the person ref of employee employee_id (who: the name shown), ending in the
 * checklist of the filings due; employee_id 0: the checklist of everyone (dashboard, F8). */
enum tui_next scr_flow_push(struct app *app, long long employee_id, const struct person_ref *ref,
                            const char *who);

#endif
