#include "mnvault/auditor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/audit.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/keyring.h"
#include "mnvault/numberdb.h"
#include "mnvault/insurancedb.h"
#include "mnvault/payrolldb.h"
#include "mnvault/session.h"
#include "mnvault/testhook.h"
#include "auditor_int.h"

struct result_ctx {
    const char *kind, *detail;
    int ok;
};

static enum mnv_err result_body(struct session *s, struct change *c, void *ud,
                                struct mnv_diag *diag)
{
    const struct result_ctx *x = ud;
    struct vault *v = session_vault(s);
    char at[32];
    snprintf(at, sizeof(at), "%lld", (long long)clock_now());
    enum mnv_err err = vault_meta_set(v, "last_verify_at", at, diag);
    if (err == MNV_OK)
        err = vault_meta_set(v, "last_verify_kind", x->kind, diag);
    if (err == MNV_OK)
        err = vault_meta_set(v, "last_verify_result", x->ok ? "ok" : "failed", diag);
    c->result = x->ok ? "ok" : "failed";
    change_detail(c, "%s", x->detail);
    return err;
}

/* Remember the last verification for the dashboard, and audit it, in one transaction. */
enum mnv_err auditor_store_result(struct session *s, const char *kind, int ok, const char *detail)
{
    struct result_ctx x = {kind, detail, ok};
    return change_run(s, strcmp(kind, "audit") == 0 ? "audit.verify" : "vault.verify", NULL,
                      result_body, &x, NULL);
}

static void report_detail(char *buf, size_t size, enum mnv_err err, const struct auditlog_report *r)
{
    if (err == MNV_ERR_AUDIT_BROKEN)
        snprintf(buf, size, "entries=%llu bad_seq=%llu", (unsigned long long)r->entries,
                 (unsigned long long)r->bad_seq);
    else if (err == MNV_ERR_AUDIT_ANCHOR)
        snprintf(buf, size, "entries=%llu anchor=%llu", (unsigned long long)r->entries,
                 (unsigned long long)r->anchor_seq);
    else
        snprintf(buf, size, "entries=%llu", (unsigned long long)r->entries);
}

enum mnv_err auditor_verify_log(struct session *s, struct auditlog_report *r, struct mnv_diag *diag)
{
    memset(r, 0, sizeof(*r));
    enum mnv_err err = access_check(s, ACT_AUDIT_VERIFY, "", diag);
    if (err != MNV_OK)
        return err;
    struct vault *v = session_vault(s);
    struct keyring *kr = vault_keyring(v);
    struct keyring_anchor a;
    /* The anchor as it is on disk now, not as this session last saw it. */
    err = keyring_begin(kr, vault_keys(v), diag);
    if (err != MNV_OK)
        return err;
    keyring_abort(kr);
    keyring_anchor_get(kr, &a);
    long long t0 = clock_monotonic_ms();
    err = auditlog_verify(v, &a, r, diag);
    testhook_timing("audit.walk", (clock_monotonic_ms() - t0) * 1000);
    if (err != MNV_OK && err != MNV_ERR_AUDIT_BROKEN && err != MNV_ERR_AUDIT_ANCHOR)
        return err;
    char detail[128];
    report_detail(detail, sizeof(detail), err, r);
    (void)auditor_store_result(s, "audit", err == MNV_OK, detail);
    return err;
}

static void first_fail(struct vault_check *r, enum mnv_err err)
{
    if (r->first == MNV_OK && err != MNV_OK)
        r->first = err;
}

/* What auditor_verify_vault() checks beside the database's own check (which runs in a
 * thread meanwhile): the chain, the numbers, the year-end figures, the insurance facts. */
struct rest_ctx {
    struct vault *v;
    struct vault_check *r;
    struct keyring_anchor a;
    enum mnv_err err[4]; /* in the order above */
};

static void check_rest(void *ud)
{
    struct rest_ctx *x = ud;
    struct vault_check *r = x->r;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    long long t0 = clock_monotonic_ms();
    x->err[0] = auditlog_verify(x->v, &x->a, &r->log, &d);
    testhook_timing("verify.log", (clock_monotonic_ms() - t0) * 1000);
    r->log_ok = x->err[0] == MNV_OK;
    /* Numbers open only with NK: a role without it checks everything else. */
    r->numbers_skipped = !vault_has_numbers(x->v);
    if (r->numbers_skipped) {
        r->numbers_ok = r->payroll_ok = r->insurance_ok = 1;
        return;
    }
    mnv_diag_clear(&d);
    t0 = clock_monotonic_ms();
    x->err[1] = numberdb_check_all(x->v, &r->numbers_checked, &d);
    testhook_timing("verify.numbers", (clock_monotonic_ms() - t0) * 1000);
    r->numbers_ok = x->err[1] == MNV_OK;
    if (x->err[1] != MNV_OK)
        r->bad_number = d.line;
    mnv_diag_clear(&d);
    x->err[2] = payrolldb_check_all(x->v, &r->payroll_checked, &d);
    r->payroll_ok = x->err[2] == MNV_OK;
    if (x->err[2] != MNV_OK)
        r->bad_payroll = d.line;
    mnv_diag_clear(&d);
    x->err[3] = insurancedb_check_all(x->v, &r->insurance_checked, &d);
    r->insurance_ok = x->err[3] == MNV_OK;
    if (x->err[3] != MNV_OK)
        r->bad_insurance = d.line;
}

enum mnv_err auditor_verify_vault(struct session *s, struct vault_check *r, struct mnv_diag *diag)
{
    memset(r, 0, sizeof(*r));
    enum mnv_err err = access_check(s, ACT_VAULT_VERIFY, "", diag);
    if (err != MNV_OK)
        return err;
    struct vault *v = session_vault(s);
    struct keyring *kr = vault_keyring(v);
    struct mnv_diag d;
    mnv_diag_clear(&d);

    /* The key file as it is on disk: checksum, structure, MAC. */
    enum mnv_err keyfile_err = keyring_begin(kr, vault_keys(v), &d);
    if (keyfile_err == MNV_OK)
        keyring_abort(kr);
    r->keyfile_ok = keyfile_err == MNV_OK;
    first_fail(r, keyfile_err);

    struct rest_ctx x = {v, r, {0}, {MNV_OK}};
    keyring_anchor_get(kr, &x.a);
    enum mnv_err db_err = vault_check_integrity_with(v, &r->db, check_rest, &x);
    r->db_ok = db_err == MNV_OK;
    first_fail(r, db_err);
    for (size_t i = 0; i < MNV_ARRAY_LEN(x.err); i++)
        first_fail(r, x.err[i]);

    /* A part that could not be checked (no memory, the disk failed) is not damage: say that
     * error, and record no verdict. */
    enum mnv_err parts[] = {keyfile_err, db_err, x.err[0], x.err[1], x.err[2], x.err[3]};
    for (size_t i = 0; i < MNV_ARRAY_LEN(parts); i++)
        if (parts[i] == MNV_ERR_NOMEM || parts[i] == MNV_ERR_IO)
            return parts[i];
    int ok = r->first == MNV_OK;
    char detail[240];
    snprintf(detail, sizeof(detail),
             "keyfile=%s db=%s log=%s numbers=%s checked=%ld payroll=%s insurance=%s",
             r->keyfile_ok ? "ok" : "bad", r->db_ok ? "ok" : "bad", r->log_ok ? "ok" : "bad",
             r->numbers_skipped ? "no_key" : (r->numbers_ok ? "ok" : "bad"), r->numbers_checked,
             r->numbers_skipped ? "no_key" : (r->payroll_ok ? "ok" : "bad"),
             r->numbers_skipped ? "no_key" : (r->insurance_ok ? "ok" : "bad"));
    (void)auditor_store_result(s, "vault", ok, detail);
    return ok ? MNV_OK : MNV_ERR_VERIFY_FAILED;
}

enum mnv_err auditor_each(struct session *s, uint64_t from, auditlog_fn fn, void *ud,
                          struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_AUDIT_EXPORT, "", diag);
    if (err == MNV_OK)
        err = audit_record(s, "audit.export", "", "ok", "", diag);
    if (err != MNV_OK)
        return err;
    return auditlog_each(session_vault(s), from, fn, ud, diag);
}

enum mnv_err auditor_recent(struct session *s, size_t n, struct audit_entry *out, size_t *count,
                            struct mnv_diag *diag)
{
    *count = 0;
    enum mnv_err err = access_check(s, ACT_AUDIT_READ, "", diag);
    if (err != MNV_OK)
        return err;
    return auditlog_recent(session_vault(s), n, out, count, diag);
}

enum mnv_err auditor_last_check(struct session *s, struct audit_last_check *out)
{
    memset(out, 0, sizeof(*out));
    enum mnv_err err = session_ready(s);
    if (err != MNV_OK)
        return err;
    struct vault *v = session_vault(s);
    char at[32];
    err = vault_meta_get(v, "last_verify_at", at, sizeof(at));
    if (err == MNV_ERR_NOT_FOUND)
        return MNV_OK;
    if (err != MNV_OK)
        return err;
    out->at = strtoll(at, NULL, 10);
    err = vault_meta_get(v, "last_verify_kind", out->kind, sizeof(out->kind));
    if (err == MNV_OK)
        err = vault_meta_get(v, "last_verify_result", out->result, sizeof(out->result));
    return err == MNV_ERR_NOT_FOUND ? MNV_OK : err;
}
