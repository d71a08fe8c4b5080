/* handling_checks.c: the checklist of safety measures with the vault's evidence (handling.h).
 * The items follow the guideline's 別添1 (blocks A-G); an item the vault cannot show is left
 * for the supervisor to answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/auditor.h"
#include "mnvault/auditview.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/review.h"
#include "mnvault/role.h"
#include "mnvault/session.h"
#include "handling_priv.h"

struct facts {
    long roles[ROLE_ADMIN + 1];
    long active, disabled, totp, windows, expiring;
    struct audit_last_check last;
    uint64_t entries;
    int64_t first_at;
    size_t unsigned_months, months;
    char last_signed[8];
    long copies, copies_out, copies_out_plain;
    long backups_kept;
    int64_t last_backup, last_backup_check;
    char last_backup_result[16];
    struct people_stats stats;
};

static struct handling_check *add(struct handling_register *r, const char *block, const char *item,
                                  int by_vault, int holds)
{
    if (r->nchecks >= HANDLING_CHECKS_MAX)
        return NULL;
    struct handling_check *c = &r->checks[r->nchecks++];
    memset(c, 0, sizeof(*c));
    c->block = block;
    c->item = item;
    c->by_vault = by_vault;
    c->holds = holds;
    return c;
}

static void day_of(int64_t t, char out[24])
{
    if (!t) {
        snprintf(out, 24, "%s", _("never"));
        return;
    }
    clock_format_local(out, 24, (time_t)t);
    out[10] = '\0';
}

/* The newest entry of action, into *e; 0 when there is none. */
static int newest(struct session *s, const char *action, struct audit_entry *e)
{
    struct auditview_filter f;
    struct auditview v;
    size_t n = 0;
    auditview_filter_init(&f);
    snprintf(f.action, sizeof(f.action), "%s", action);
    return auditview_open(s, &f, &v, NULL) == MNV_OK &&
           auditview_older(&v, 0, 1, e, &n, NULL) == MNV_OK && n == 1;
}

static void gather(struct session *s, const struct user_rec *users, size_t nusers,
                   const struct backup_rec *backups, size_t nbackups,
                   const struct handling_register *r, struct facts *f)
{
    memset(f, 0, sizeof(*f));
    for (size_t i = 0; i < nusers; i++) {
        const struct user_rec *u = &users[i];
        if (u->disabled) {
            f->disabled++;
            continue;
        }
        f->active++;
        if (u->role >= ROLE_CLERK && u->role <= ROLE_ADMIN)
            f->roles[u->role]++;
        f->totp += u->has_totp != 0;
        f->windows += !(u->win_days == USER_DAYS_ALL && u->win_start == 0 && u->win_end == 1440);
        f->expiring += u->valid_until[0] != '\0';
    }
    if (auditor_last_check(s, &f->last) != MNV_OK)
        memset(&f->last, 0, sizeof(f->last));
    struct auditview_filter none;
    struct auditview v;
    auditview_filter_init(&none);
    if (auditview_open(s, &none, &v, NULL) == MNV_OK)
        f->entries = v.head;
    struct audit_entry e;
    if (auditview_get(s, 1, &e, NULL) == MNV_OK)
        f->first_at = e.time;
    struct review_month *m;
    if (review_status(s, &m, &f->months, &f->unsigned_months, NULL) == MNV_OK) {
        for (size_t i = 0; i < f->months; i++)
            if (m[i].signed_)
                snprintf(f->last_signed, sizeof(f->last_signed), "%s", m[i].month);
        free(m);
    }
    for (size_t i = 0; i < r->nfiles; i++)
        if (r->files[i].kind == HANDLING_EXPORT) {
            f->copies++;
            f->copies_out += r->files[i].outstanding;
            f->copies_out_plain += r->files[i].outstanding && !r->files[i].encrypted;
        }
    for (size_t i = 0; i < nbackups; i++) {
        f->backups_kept += backups[i].deleted_at == 0;
        if (backups[i].created_at > f->last_backup)
            f->last_backup = backups[i].created_at;
    }
    if (newest(s, "backup.verify", &e)) {
        f->last_backup_check = e.time;
        snprintf(f->last_backup_result, sizeof(f->last_backup_result), "%.*s",
                 (int)sizeof(f->last_backup_result) - 1, e.result);
    }
    if (people_stats(s, &f->stats, NULL) != MNV_OK)
        memset(&f->stats, 0, sizeof(f->stats));
}

static void organisational(struct handling_register *r, const struct facts *f)
{
    struct handling_check *c;
    add(r, "A", _("A basic policy for handling specific personal information is set"), 0, 0);
    add(r, "B", _("Handling rules (acquire, use, store, provide, delete) are written down"), 0, 0);
    c = add(r, "C", _("A responsible person and the handlers and their roles are designated"), 1,
            f->roles[ROLE_SUPERVISOR] > 0 && f->roles[ROLE_CLERK] + f->roles[ROLE_SUPERVISOR] > 0);
    if (c)
        snprintf(c->evidence, sizeof(c->evidence),
                 _("accounts by role: supervisors %ld, clerks %ld, auditors %ld, administrators "
                   "%ld; only supervisors and clerks can read numbers"),
                 f->roles[ROLE_SUPERVISOR], f->roles[ROLE_CLERK], f->roles[ROLE_AUDITOR],
                 f->roles[ROLE_ADMIN]);
    char a[24], b[24];
    day_of(f->first_at, a);
    day_of(f->last.at, b);
    c = add(r, "C",
            _("Handling is recorded: use and output of files, deletion, logins (system logs)"), 1,
            f->last.at && strcmp(f->last.result, "ok") == 0);
    if (c)
        snprintf(c->evidence, sizeof(c->evidence),
                 _("the hash-chained audit log: %llu entries since %s, every reveal, export, "
                   "deletion and login; chain last verified %s: %s"),
                 (unsigned long long)f->entries, a, b,
                 !f->last.at                         ? _("never")
                 : strcmp(f->last.result, "ok") == 0 ? _("intact")
                                                     : _("FAILED"));
    c = add(r, "C", _("The handling status can be checked (this register, the custody register)"),
            1, 1);
    if (c)
        snprintf(c->evidence, sizeof(c->evidence),
                 _("this register, made from the vault; export copies recorded %ld, still in the "
                   "office's hands %ld"),
                 f->copies, f->copies_out);
    add(r, "C", _("There is a plan and a reporting line for a leak or loss"), 0, 0);
    c = add(r, "C", _("The handling is reviewed regularly (monthly review of the log)"), 1,
            f->unsigned_months == 0);
    if (c)
        snprintf(c->evidence, sizeof(c->evidence),
                 _("monthly reviews signed in the application: last signed %s; months not "
                   "signed %zu of %zu"),
                 f->last_signed[0] ? f->last_signed : _("none"), f->unsigned_months, f->months);
    add(r, "D", _("Handlers are supervised and trained"), 0, 0);
}

static void physical(struct handling_register *r, const struct facts *f)
{
    struct handling_check *c;
    add(r, "E", _("Areas where numbers are handled are controlled; screens are out of view"), 0, 0);
    add(r, "E", _("Devices, media and papers are protected against theft and loss"), 0, 0);
    c = add(r, "E", _("Files taken out are protected (encryption, sealed envelopes)"), 1,
            f->copies_out_plain == 0);
    if (c)
        snprintf(c->evidence, sizeof(c->evidence),
                 _("export copies still in the office's hands: %ld, of which not in an encrypted "
                   "zip: %ld (a filing written for a tax office or municipality as the form "
                   "requires)"),
                 f->copies_out, f->copies_out_plain);
    const struct handling_file *vault = r->nfiles ? &r->files[0] : NULL;
    c = add(r, "E", _("Numbers are deleted when no longer needed, and deletions are recorded"), 1,
            r->due_now == 0);
    if (c)
        snprintf(c->evidence, sizeof(c->evidence),
                 _("numbers registered %ld; deleted ones are recorded in the audit log with the "
                   "approval of a second supervisor; retention: %s"),
                 f->stats.counts.numbers_registered, vault ? vault->retention : "");
}

static void technical(struct handling_register *r, const struct facts *f)
{
    struct handling_check *c;
    c = add(r, "F", _("Access control: who may reach which data"), 1, 1);
    if (c)
        snprintf(c->evidence, sizeof(c->evidence),
                 _("every call checks the role; numbers are shown only to clerks and supervisors, "
                   "for a notified purpose and a reason; access windows on %ld accounts, an end "
                   "date on %ld"),
                 f->windows, f->expiring);
    c = add(r, "F", _("Each handler is identified and authenticated"), 1, 1);
    if (c)
        snprintf(c->evidence, sizeof(c->evidence),
                 _("personal accounts: %ld active, %ld disabled; passwords of at least 15 "
                   "characters (8 with TOTP), common ones refused; locked after %d failures; "
                   "TOTP set up on %ld accounts"),
                 f->active, f->disabled, SESSION_MAX_FAILURES, f->totp);
    char a[24];
    day_of(f->last.at, a);
    c = add(r, "F", _("Unauthorised access is prevented and detected (logs analysed)"), 1,
            f->last.at && strcmp(f->last.result, "ok") == 0 && f->unsigned_months == 0);
    if (c)
        snprintf(c->evidence, sizeof(c->evidence),
                 _("audit chain last verified %s (%s); failed logins and refusals in the "
                   "monthly review; months not signed: %zu"),
                 a, f->last.at ? f->last.result : _("never"), f->unsigned_months);
    char b[24], d[24];
    day_of(f->last_backup, b);
    day_of(f->last_backup_check, d);
    c = add(r, "F", _("Data is encrypted when stored, sent or carried out"), 1,
            f->backups_kept > 0 && f->copies_out_plain == 0);
    if (c)
        snprintf(c->evidence, sizeof(c->evidence),
                 _("vault: SQLCipher 4 (AES-256), each number under its own key; backups "
                   "encrypted: %ld kept, the last %s, last checked %s %s; exports in an "
                   "encrypted zip unless the form requires plain files"),
                 f->backups_kept, b, d, f->last_backup_result);
    add(r, "G", _("Where numbers are handled abroad, that country's rules are known"), 0, 0);
}

enum mnv_err handling_checks(struct session *s, const struct user_rec *users, size_t nusers,
                             const struct backup_rec *backups, size_t nbackups,
                             struct handling_register *r, struct mnv_diag *diag)
{
    (void)diag;
    struct facts f;
    gather(s, users, nusers, backups, nbackups, r, &f);
    r->nchecks = 0;
    organisational(r, &f);
    physical(r, &f);
    technical(r, &f);
    return MNV_OK;
}
