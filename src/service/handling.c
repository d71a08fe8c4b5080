/* handling.c: the handling register's files and checklist, read from the vault (handling.h). */
#include "mnvault/handling.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/accounts.h"
#include "mnvault/alloc.h"
#include "mnvault/audit.h"
#include "mnvault/auditor.h"
#include "mnvault/auditview.h"
#include "mnvault/backup.h"
#include "mnvault/cert.h"
#include "mnvault/clock.h"
#include "mnvault/custody.h"
#include "mnvault/disposal.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/purposecat.h"
#include "mnvault/retention.h"
#include "mnvault/review.h"
#include "mnvault/role.h"
#include "mnvault/session.h"
#include "handling_priv.h"

struct build {
    struct session *s;
    struct handling_register *r;
    size_t cap;
    struct user_rec *users;
    size_t nusers;
    struct backup_rec *backups;
    size_t nbackups;
    struct custody_entry *copies;
    size_t ncopies;
    struct cert_rec *certs;
    size_t ncerts;
    struct disposal_proposal *props;
    size_t nprops;
    struct people_stats stats;
    struct retention_counts due;
    int have_due;
};

static const char *purpose_name(struct session *s, const char *code)
{
    const struct purpose_def *p = purpose_find(session_purposes(s), code);
    if (!p)
        return code;
    return i18n_is_japanese() ? p->short_ja : p->short_en;
}

static void day_of(int64_t t, char out[24])
{
    clock_format_local(out, 24, (time_t)t);
    out[10] = '\0';
}

static struct handling_file *new_file(struct build *b, enum handling_kind kind)
{
    struct handling_file *g = alloc_grow(b->r->files, &b->cap, b->r->nfiles + 1, sizeof(*g));
    if (!g)
        return NULL;
    b->r->files = g;
    struct handling_file *f = &g[b->r->nfiles++];
    memset(f, 0, sizeof(*f));
    f->kind = kind;
    f->persons = f->numbers = -1;
    return f;
}

/* "clerk, sup" — the active users who may handle numbers (clerks and supervisors). */
static void handlers_of(const struct build *b, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < b->nusers && len + 1 < size; i++) {
        const struct user_rec *u = &b->users[i];
        if (u->disabled || (u->role != ROLE_CLERK && u->role != ROLE_SUPERVISOR))
            continue;
        int k = snprintf(out + len, size - len, "%s%s (%s)", len ? ", " : "", u->name,
                         _(role_name(u->role)));
        if (k > 0)
            len += (size_t)k;
    }
}

static void all_purposes(struct session *s, char *out, size_t size)
{
    const struct purpose_catalog *c = session_purposes(s);
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < c->count && len + 1 < size; i++) {
        int k = snprintf(out + len, size - len, "%s%s", i ? "、" : "",
                         i18n_is_japanese() ? c->items[i].short_ja : c->items[i].short_en);
        if (k > 0)
            len += (size_t)k;
    }
}

static enum mnv_err add_vault(struct build *b)
{
    struct handling_file *f = new_file(b, HANDLING_VAULT);
    if (!f)
        return MNV_ERR_NOMEM;
    snprintf(f->name, sizeof(f->name), "%s", _("My Number vault (vault.db, vault.keys)"));
    snprintf(f->location, sizeof(f->location), "%s", session_dir(b->s));
    all_purposes(b->s, f->purposes, sizeof(f->purposes));
    handlers_of(b, f->handlers, sizeof(f->handlers));
    struct audit_entry first;
    if (auditview_get(b->s, 1, &first, NULL) == MNV_OK) {
        f->created_at = first.time;
        snprintf(f->created_by, sizeof(f->created_by), "%s", first.user);
    }
    f->numbers = b->stats.counts.numbers_registered;
    f->persons = b->stats.counts.numbers_registered;
    f->encrypted = 1;
    f->outstanding = 1;
    snprintf(f->state, sizeof(f->state), "%s", _("in use"));
    b->r->due_now = b->have_due ? b->due.due : -1;
    if (b->have_due)
        snprintf(f->retention, sizeof(f->retention),
                 _("kept while needed, then deleted (retention rules); due now %ld, on hold %ld"),
                 b->due.due, b->due.held);
    else
        snprintf(f->retention, sizeof(f->retention), "%s",
                 _("kept while needed, then deleted (retention rules)"));
    return MNV_OK;
}

static enum mnv_err add_backups(struct build *b)
{
    char when[24];
    for (size_t i = 0; i < b->nbackups; i++) {
        const struct backup_rec *k = &b->backups[i];
        struct handling_file *f = new_file(b, HANDLING_BACKUP);
        if (!f)
            return MNV_ERR_NOMEM;
        f->id = k->id;
        day_of(k->created_at, when);
        snprintf(f->name, sizeof(f->name), _("Backup of the vault, %s"), when);
        snprintf(f->location, sizeof(f->location), "%s", k->path);
        all_purposes(b->s, f->purposes, sizeof(f->purposes));
        snprintf(f->handlers, sizeof(f->handlers), "%s",
                 _("supervisors and administrators (restore only into an empty folder)"));
        f->created_at = k->created_at;
        snprintf(f->created_by, sizeof(f->created_by), "%s", k->made_by);
        f->encrypted = 1;
        f->outstanding = k->deleted_at == 0;
        if (k->deleted_at) {
            day_of(k->deleted_at, when);
            snprintf(f->state, sizeof(f->state), _("deleted %s (%s)"), when,
                     strcmp(k->deleted_why, "missing") == 0 ? _("file already gone")
                                                            : _("old generation"));
        } else {
            snprintf(f->state, sizeof(f->state), "%s", _("kept"));
        }
        snprintf(f->retention, sizeof(f->retention), "%s",
                 k->managed ? _("the newest generations are kept; older ones are deleted")
                            : _("kept until deleted by hand; numbers deleted since stay "
                                "unreadable (epoch keys)"));
    }
    return MNV_OK;
}

static enum mnv_err add_copies(struct build *b)
{
    char when[24];
    for (size_t i = b->ncopies; i-- > 0;) { /* the list is newest first */
        const struct custody_entry *c = &b->copies[i];
        struct handling_file *f = new_file(b, HANDLING_EXPORT);
        if (!f)
            return MNV_ERR_NOMEM;
        f->id = c->id;
        snprintf(f->name, sizeof(f->name), _("Export %lld: %s %d, copy %s, to %s"),
                 (long long)c->id, c->form, c->year, c->copy, c->destination);
        snprintf(f->location, sizeof(f->location), "%s", c->path);
        snprintf(f->purposes, sizeof(f->purposes), "%s", purpose_name(b->s, c->purpose));
        snprintf(f->handlers, sizeof(f->handlers), _("%s (wrote it); clerks and supervisors"),
                 c->created_by);
        f->created_at = c->created_at;
        snprintf(f->created_by, sizeof(f->created_by), "%s", c->created_by);
        f->persons = c->persons;
        f->numbers = c->numbers;
        f->encrypted = c->packed;
        f->outstanding = custody_outstanding_state(c->state) && c->numbers > 0;
        day_of(c->state_at, when);
        snprintf(f->state, sizeof(f->state), "%s %s (%s)", _(custody_state_label(c->state)), when,
                 c->state_by);
        snprintf(f->retention, sizeof(f->retention), "%s",
                 f->outstanding ? _("to be submitted, returned or destroyed, and marked so")
                                : _("no longer in the office's hands"));
    }
    return MNV_OK;
}

/* Certificates of deletion: kept in the vault for good (exported copies where `cert export`
 * wrote them); each names the persons whose numbers it deleted, never a number. */
static void executed_by(struct build *b, int64_t proposal, char *out, size_t size)
{
    for (size_t i = 0; i < b->nprops; i++)
        if (b->props[i].id == proposal)
            snprintf(out, size, "%s", b->props[i].executed_by);
}

static enum mnv_err add_certs(struct build *b)
{
    char when[24];
    if (b->ncerts && disposal_list(b->s, 0, &b->props, &b->nprops, NULL) != MNV_OK)
        b->nprops = 0;
    for (size_t i = 0; i < b->ncerts; i++) {
        const struct cert_rec *c = &b->certs[i];
        struct handling_file *f = new_file(b, HANDLING_CERT);
        if (!f)
            return MNV_ERR_NOMEM;
        f->id = c->seq;
        snprintf(f->name, sizeof(f->name), _("Certificate of deletion %s"), c->id);
        snprintf(f->location, sizeof(f->location),
                 _("%s (in the vault; copies: mnvault cert export)"), session_dir(b->s));
        snprintf(f->purposes, sizeof(f->purposes), "%s", _("record of deletion"));
        snprintf(f->handlers, sizeof(f->handlers), "%s",
                 _("supervisors (approve and execute deletions); auditors (read)"));
        f->created_at = c->issued_at;
        executed_by(b, c->proposal_id, f->created_by, sizeof(f->created_by));
        struct cert_rec rec;
        struct cert_check chk;
        struct cert_standing st;
        if (cert_of_proposal(b->s, c->proposal_id, &rec, &chk, &st, NULL) == MNV_OK)
            f->persons = chk.numbers;
        f->numbers = 0;
        f->encrypted = 1;
        f->outstanding = 0;
        day_of(c->issued_at, when);
        snprintf(f->state, sizeof(f->state),
                 _("issued %s; names the persons whose numbers it deleted, holds no number"), when);
        snprintf(f->retention, sizeof(f->retention), "%s",
                 _("kept for good (the record that the numbers were deleted)"));
    }
    return MNV_OK;
}

static enum mnv_err gather(struct build *b, struct mnv_diag *diag)
{
    struct session *s = b->s;
    enum mnv_err err = accounts_list(s, &b->users, NULL, &b->nusers, diag);
    if (err == MNV_OK)
        err = backup_list(s, &b->backups, &b->nbackups, diag);
    if (err == MNV_OK)
        err = custody_list(s, NULL, &b->copies, &b->ncopies, diag);
    if (err == MNV_OK)
        err = cert_list(s, &b->certs, &b->ncerts, diag);
    if (err == MNV_OK)
        err = people_stats(s, &b->stats, diag);
    if (err != MNV_OK)
        return err;
    struct retention_rules rules;
    if (retention_rules_load(NULL, session_purposes(s), &rules, NULL) == MNV_OK) {
        b->have_due = retention_counts(s, &rules, &b->due, NULL) == MNV_OK;
        retention_rules_free(&rules);
    }
    return MNV_OK;
}

enum mnv_err handling_register_build(struct session *s, struct handling_register *r,
                                     struct mnv_diag *diag)
{
    memset(r, 0, sizeof(*r));
    enum mnv_err err = access_check(s, ACT_AUDIT_READ, "", diag);
    if (err == MNV_OK)
        err = access_check(s, ACT_CUSTODY_READ, "", diag);
    if (err != MNV_OK)
        return err;
    struct build b = {.s = s, .r = r};
    snprintf(r->org, sizeof(r->org), "%s", session_org(s));
    r->made_at = (int64_t)clock_now();
    snprintf(r->made_by, sizeof(r->made_by), "%s", session_user(s));
    err = gather(&b, diag);
    if (err == MNV_OK)
        err = add_vault(&b);
    if (err == MNV_OK)
        err = add_backups(&b);
    if (err == MNV_OK)
        err = add_copies(&b);
    if (err == MNV_OK)
        err = add_certs(&b);
    if (err == MNV_OK)
        err = handling_checks(s, b.users, b.nusers, b.backups, b.nbackups, r, diag);
    if (err == MNV_OK) {
        char detail[96];
        snprintf(detail, sizeof(detail), "files=%zu", r->nfiles);
        err = audit_record(s, "register.make", "", "ok", detail, diag);
    }
    free(b.users);
    free(b.backups);
    free(b.copies);
    free(b.certs);
    free(b.props);
    if (err != MNV_OK)
        handling_register_free(r);
    return err;
}

void handling_register_free(struct handling_register *r)
{
    if (!r)
        return;
    free(r->files);
    memset(r, 0, sizeof(*r));
}
