/*
 * cmd_audit_seal.c: the sealed audit log on the command line (doc/audit.md "Sealing"):
 * `mnvault audit verify` with --seal-key and --against, `audit checkpoint`, and
 * `audit seal-start` for a vault made before sealing existed.
 */
#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/auditor.h"
#include "mnvault/auditview.h"
#include "mnvault/clock.h"
#include "mnvault/fileio.h"
#include "mnvault/i18n.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/strbuf.h"

void cli_print_seal_key(const char *key_text)
{
    printf(_("Seal key of the audit log (shown only now). Write it down or print it, give it\n"
             "to the auditor and keep it away from this computer; with it, `mnvault audit\n"
             "verify --seal-key` shows whether any entry was changed or removed:\n"));
    printf("    %s\n", key_text);
}

int cli_audit_seal_start(struct session *s)
{
    char *text = secmem_alloc(AUDITSEAL_TEXT_MAX);
    if (!text)
        return cli_fail(MNV_ERR_NOMEM, NULL);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditor_seal_start(s, text, &diag);
    if (err == MNV_OK)
        cli_print_seal_key(text);
    secmem_free(text);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

int cli_audit_checkpoint(struct session *s, const char *output)
{
    struct audit_checkpoint cp;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditor_checkpoint(s, &cp, &diag);
    struct strbuf text = STRBUF_INIT;
    if (err == MNV_OK)
        err = auditor_checkpoint_format(&cp, &text);
    if (err == MNV_OK && output)
        err = fileio_write_atomic(output, text.buf, text.len, 0600, &diag);
    else if (err == MNV_OK &&
             (fwrite(text.buf, 1, text.len, stdout) != text.len || fflush(stdout) != 0))
        err = MNV_ERR_IO;
    strbuf_release(&text);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    if (output)
        printf(_("checkpoint of entry %" PRIu64 " written to %s; keep it away from this "
                 "computer\n"),
               cp.seq, output);
    return CLI_OK;
}

static int read_checkpoint(const char *path, struct audit_checkpoint *cp)
{
    unsigned char *data = NULL;
    size_t len = 0;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = fileio_read_all(path, 4096, &data, &len, &diag);
    if (err == MNV_OK)
        err = auditor_checkpoint_parse((const char *)data, cp);
    free(data);
    if (err == MNV_ERR_AUDIT_CHECKPOINT_FILE || err == MNV_ERR_TOO_LONG) {
        cli_error(_("%s: %s"), path, _(mnv_err_str(MNV_ERR_AUDIT_CHECKPOINT_FILE)));
        return CLI_BAD;
    }
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

static void print_seal(const struct auditor_seal_check *r)
{
    const struct auditseal_status *st = &r->status;
    if (!st->started) {
        printf(_("sealing: not started; an auditor starts it with 'mnvault audit seal-start'\n"));
        return;
    }
    if (r->shape_problem)
        printf(_("sealing: %s\n"), _(r->shape_problem));
    else
        printf(_("sealing: entries %" PRIu64 " to %" PRIu64 " are sealed\n"), st->start,
               st->next - 1);
    if (!r->key_checked)
        return;
    if (!r->seal.problem)
        printf(_("seals: %" PRIu64 " entries checked with the seal key; every seal holds and "
                 "the kept key is the one after the newest entry\n"),
               r->seal.checked);
    else if (r->seal.bad_seq)
        printf(_("seals: entry %" PRIu64 ": %s\n"), r->seal.bad_seq, _(r->seal.problem));
    else
        printf(_("seals: %s\n"), _(r->seal.problem));
}

int cli_audit_seal_verify(struct cli_ctx *ctx, struct session *s, int ask_key, const char *against)
{
    struct audit_checkpoint cp;
    memset(&cp, 0, sizeof(cp));
    if (against) {
        int rc = read_checkpoint(against, &cp);
        if (rc != CLI_OK)
            return rc;
    }
    char *key = NULL;
    if (ask_key) {
        key = cli_secret_new();
        if (!key || cli_read_secret(ctx, _("Seal key"), 0, key) < 0) {
            secmem_free(key);
            return key ? CLI_USAGE : cli_fail(MNV_ERR_NOMEM, NULL);
        }
    }
    struct auditor_seal_check r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditor_seal_check(s, key, against ? &cp : NULL, &r, &diag);
    secmem_free(key);
    if (err != MNV_OK && err != MNV_ERR_AUDIT_SEAL && err != MNV_ERR_AUDIT_CHECKPOINT)
        return cli_fail(err, &diag);
    print_seal(&r);
    if (r.checkpoint_checked) {
        char made[32];
        clock_format_local(made, sizeof(made), (time_t)cp.made);
        if (r.checkpoint_problem)
            printf(_("checkpoint of entry %" PRIu64 " (%s, %s): %s\n"), cp.seq, made, cp.by,
                   _(r.checkpoint_problem));
        else
            printf(_("checkpoint of entry %" PRIu64 " (%s, %s): the log still holds it "
                     "unchanged\n"),
                   cp.seq, made, cp.by);
    }
    return err == MNV_OK ? CLI_OK : CLI_BAD;
}

int cli_audit_status(struct session *s)
{
    struct auditview_state st;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditview_state(s, &st, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    int bad = 0;
    for (int i = AUDITVIEW_LINE_CHAIN; i <= AUDITVIEW_LINE_CHECKPOINT; i++) {
        char line[400];
        bad |= auditview_state_text(&st, i, line, sizeof(line)) == AUDITVIEW_BAD;
        printf("%s\n", line);
    }
    return bad ? CLI_BAD : CLI_OK;
}
