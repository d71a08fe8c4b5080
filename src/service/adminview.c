/* adminview.c: administration in words (adminview.h), shared by the screens and commands. */
#include "mnvault/adminview.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/backup.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/keyroles.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"

const char *adminview_user_state(struct session *s, const struct user_rec *u, int64_t locked_until,
                                 char *buf, size_t size)
{
    enum keyroles_account a = keyroles_account_state(s, u->name);
    if (u->disabled)
        return _("disabled");
    if (a == KEYROLES_NO_SLOT)
        return _("no password: reset it");
    if (locked_until) {
        char when[20];
        snprintf(buf, size, _("locked until %s"),
                 clock_format_local(when, sizeof(when), (time_t)locked_until));
        return buf;
    }
    if (a == KEYROLES_PENDING)
        return u->must_change ? _("new; waits for approval") : _("waits for approval");
    if (u->must_change)
        return _("must change password");
    return _("active");
}

enum adminview_waiting adminview_user_waiting(struct session *s, const struct user_rec *u)
{
    if (u->disabled || keyroles_account_state(s, u->name) != KEYROLES_PENDING)
        return ADMINVIEW_NOT_WAITING;
    return u->must_change ? ADMINVIEW_WAITS_PASSWORD : ADMINVIEW_WAITS_APPROVAL;
}

const char *adminview_check_word(enum adminview_check state)
{
    return state == ADMINVIEW_OK ? _("ok") : state == ADMINVIEW_DAMAGED ? _("DAMAGED") : "-";
}

static enum adminview_check ok_or(int ok)
{
    return ok ? ADMINVIEW_OK : ADMINVIEW_DAMAGED;
}

static void log_line(const struct vault_check *r, adminview_line_fn fn, void *ud)
{
    char extra[400];
    if (r->log.bad_seq)
        snprintf(extra, sizeof(extra), _("entry %llu does not fit: %s"),
                 (unsigned long long)r->log.bad_seq, _(r->log.problem));
    else if (!r->log_ok && r->log.problem == NULL)
        snprintf(extra, sizeof(extra), _("does not reach entry %llu recorded in the key file"),
                 (unsigned long long)r->log.anchor_seq);
    else
        snprintf(extra, sizeof(extra), _("%llu entries"), (unsigned long long)r->log.entries);
    fn(ud, ok_or(r->log_ok), _("audit log"), extra);
}

/* A kind of sealed value: checked (ok), a row that does not open, or not checked. */
static void sealed_line(const struct vault_check *r, adminview_line_fn fn, void *ud,
                        const char *what, int ok, long checked, long long bad, int is_record)
{
    char extra[200];
    if (r->numbers_skipped) {
        /* Sealed values open only with the number key, which this role does not hold. */
        fn(ud, ADMINVIEW_SKIPPED, what,
           _("not checked: only a clerk or supervisor holds their key"));
        return;
    }
    if (ok)
        snprintf(extra, sizeof(extra), _("%ld checked"), checked);
    else if (is_record)
        snprintf(extra, sizeof(extra), _("record %lld does not open"), bad);
    else
        snprintf(extra, sizeof(extra), _("row %lld does not open"), bad);
    fn(ud, ok_or(ok), what, extra);
}

void adminview_vault_check(const struct vault_check *r, adminview_line_fn fn, void *ud)
{
    char extra[400] = "";
    fn(ud, ok_or(r->keyfile_ok), _("key file"), "");
    if (!r->db_ok)
        snprintf(extra, sizeof(extra), _("%ld problems, the first: %s"), r->db.problems,
                 r->db.first);
    fn(ud, ok_or(r->db_ok), _("database pages and structure"), extra);
    log_line(r, fn, ud);
    sealed_line(r, fn, ud, _("stored numbers"), r->numbers_ok, r->numbers_checked,
                (long long)r->bad_number, 1);
    sealed_line(r, fn, ud, _("year-end figures"), r->payroll_ok, r->payroll_checked,
                (long long)r->bad_payroll, 0);
    sealed_line(r, fn, ud, _("insurance facts"), r->insurance_ok, r->insurance_checked,
                (long long)r->bad_insurance, 0);
}

char *adminview_size(char *buf, size_t size, uint64_t n)
{
    if (n >= 10u * 1024 * 1024)
        snprintf(buf, size, "%llu MiB", (unsigned long long)(n / (1024 * 1024)));
    else if (n >= 10u * 1024)
        snprintf(buf, size, "%llu KiB", (unsigned long long)(n / 1024));
    else
        snprintf(buf, size, "%llu B", (unsigned long long)n);
    return buf;
}

const char *adminview_backup_state(const struct backup_rec *r, char *buf, size_t size)
{
    if (!r->deleted_at)
        return r->managed ? _("kept (managed)") : _("kept");
    char gone[32];
    clock_format_local(gone, sizeof(gone), (time_t)r->deleted_at);
    snprintf(buf, size, _("deleted %s (%s)"), gone,
             strcmp(r->deleted_why, "missing") == 0 ? _("file already missing")
                                                    : _("old generation"));
    return buf;
}

char *adminview_backup_verdict(const struct backup_check *r, const char *path, char *buf,
                               size_t size)
{
    char when[32];
    clock_format_local(when, sizeof(when), (time_t)r->header.created);
    int n = snprintf(buf, size,
                     _("%s: an intact backup of this vault, made %s by mnvault %s, holding the "
                       "audit log up to entry %llu."),
                     path, when, r->manifest.program, (unsigned long long)r->manifest.audit_seq);
    if (n < 0 || (size_t)n >= size)
        return buf;
    if (r->registered)
        snprintf(buf + n, size - (size_t)n, _("\nThe register knows it as backup #%lld (%s)."),
                 (long long)r->rec.id, r->rec.path);
    else
        snprintf(buf + n, size - (size_t)n,
                 _("\nThe register does not know this file: it was not written by this vault "
                   "as it is now (for example, it was made before a restore)."));
    return buf;
}

struct each_ctx {
    adminview_setting_fn fn;
    void *ud;
};

static void each_key(void *ud, const char *section, const char *name, const char *value,
                     int is_default)
{
    struct each_ctx *x = ud;
    char key[96];
    snprintf(key, sizeof(key), "[%s] %s", section, name);
    x->fn(x->ud, key, value[0] ? value : _("(empty)"), is_default ? _("default") : _("set"));
}

enum mnv_err adminview_settings(struct session *s, const struct mnv_config *cfg,
                                adminview_setting_fn fn, void *ud, struct mnv_diag *diag)
{
    struct each_ctx x = {fn, ud};
    config_each(cfg, each_key, &x);
    if (!s)
        return MNV_OK;
    char zone[CLOCK_ZONE_MAX + 1];
    enum mnv_err err = setup_get_timezone(s, zone, sizeof(zone));
    if (err != MNV_OK)
        return err;
    fn(ud, _("organisation's time zone"), zone, _("in the vault"));
    if (!access_allowed(session_role(s), ACT_AUDIT_READ))
        return MNV_OK;
    struct auditseal_status st;
    const char *problem;
    err = auditor_seal_status(s, &st, &problem, diag);
    if (err != MNV_OK)
        return err;
    char text[160];
    if (st.started)
        snprintf(text, sizeof(text), _("sealed from entry %" PRIu64), st.start);
    else
        snprintf(text, sizeof(text), "%s", _("not sealed"));
    fn(ud, _("audit log sealing"), text, _("in the vault"));
    return MNV_OK;
}
