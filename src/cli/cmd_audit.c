/*
 * cmd_audit.c: `mnvault audit verify` recomputes the audit log's hash chain and checks it
 * against the head anchored in the key file; `mnvault audit export --format csv` writes
 * the log for auditors (time, user, role, action, subject, result, detail; never a
 * number).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "mnvault/auditor.h"
#include "mnvault/clock.h"
#include "mnvault/fileio.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/session.h"
#include "mnvault/strbuf.h"
#include "mnvault/textsafe.h"

static void audit_help(void)
{
    printf(_("Usage: mnvault audit verify [--seal-key] [--against CHECKPOINT]\n"
             "       mnvault audit export --format csv [--output FILE]\n"
             "       mnvault audit checkpoint [--output FILE]\n"
             "       mnvault audit seal-start\n"
             "Check, export or seal the audit log (auditors, supervisors; verify and checkpoint\n"
             "also administrators; seal-start auditors).\n\n"
             "  verify                 recompute the hash chain of every entry and check that\n"
             "                         it reaches the head recorded in the key file; names the\n"
             "                         first entry that does not fit; then the seals\n"
             "  --seal-key             also check every seal with the seal key shown when\n"
             "                         sealing started (asked for, or read from --password-fd)\n"
             "  --against CHECKPOINT   also check that the log still holds the entry of a\n"
             "                         checkpoint file unchanged\n"
             "  export                 write every entry as CSV (UTF-8, RFC 4180): seq, time\n"
             "                         (UTC), user, role, action, subject, result, detail\n"
             "  --format csv           the export format (the only one so far)\n"
             "  checkpoint             write the newest entry and its seal as a checkpoint to\n"
             "                         keep away from this computer\n"
             "  --output FILE          write to FILE (created with mode 0600) instead of\n"
             "                         standard output\n"
             "  seal-start             start sealing the log of a vault made before sealing\n"
             "                         existed; shows the seal key once\n\n"
             "Exit status: 0 the log is intact / exported, 1 it is not intact or the action was\n"
             "refused, 2 usage or input/output error.\n"));
}

/* A growing text buffer for the CSV. */
struct csv {
    struct strbuf out; /* the whole export; an append that fails is seen at the end */
    struct session *s;
};

/* An audit subject as a person reads it: the employee code, never the internal id. */
static void subject_words(struct session *s, const char *subject, char *out, size_t size)
{
    struct people_subject_label l;
    enum mnv_err err = people_subject_describe(s, subject, &l, NULL);
    if (err == MNV_OK && l.dependent_no)
        snprintf(out, size, _("%s dependent %d"), l.code, l.dependent_no);
    else if (err == MNV_OK)
        snprintf(out, size, "%s", l.code);
    else if (err == MNV_ERR_INVALID)
        snprintf(out, size, "%s", subject);
    else
        snprintf(out, size, "%s", _("(deleted person)"));
}

static void put(struct csv *c, const char *s, size_t n)
{
    (void)strbuf_add(&c->out, s, n);
}

/* One quoted field; a leading = + - @ is neutralised so spreadsheets do not run it. Entries
 * are stored escaped; entries written before C1 and bidirectional controls were escaped at
 * write time are escaped here (backslashes, already doubled in storage, are kept). */
static void field(struct csv *c, const char *s, int last)
{
    put(c, "\"", 1);
    if (s[0] && strchr("=+-@", s[0]))
        put(c, "'", 1);
    size_t n = strlen(s), pos = 0;
    while (pos < n) {
        char piece[TEXTSAFE_PIECE_SIZE];
        size_t k = textsafe_piece(s, n, &pos, TEXTSAFE_KEEP_BACKSLASH, piece, NULL);
        put(c, piece, k);
        if (k == 1 && piece[0] == '"')
            put(c, "\"", 1);
    }
    put(c, last ? "\"\r\n" : "\",", last ? 3 : 2);
}

static int add_row(void *ud, const struct audit_entry *e)
{
    struct csv *c = ud;
    char seq[32], when[32];
    snprintf(seq, sizeof(seq), "%llu", (unsigned long long)e->seq);
    clock_format_iso(when, sizeof(when), (time_t)e->time);
    field(c, seq, 0);
    field(c, when, 0);
    field(c, e->user, 0);
    field(c, e->role, 0);
    field(c, e->action, 0);
    char subject[AUDIT_SUBJECT_MAX + 64];
    subject_words(c->s, e->subject, subject, sizeof(subject));
    field(c, subject, 0);
    field(c, e->result, 0);
    field(c, e->detail, 1);
    return strbuf_error(&c->out) != MNV_OK; /* out of memory: stop the walk */
}

static int do_export(struct session *s, const char *output)
{
    struct csv c = {STRBUF_INIT, s};
    static const char header[] = "seq,time,user,role,action,subject,result,detail\r\n";
    put(&c, header, sizeof(header) - 1);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditor_each(s, 1, add_row, &c, &diag);
    if (err == MNV_OK)
        err = strbuf_error(&c.out);
    if (err == MNV_OK && output)
        err = fileio_write_atomic(output, c.out.buf, c.out.len, 0600, &diag);
    else if (err == MNV_OK &&
             (fwrite(strbuf_str(&c.out), 1, c.out.len, stdout) != c.out.len || fflush(stdout) != 0))
        err = MNV_ERR_IO;
    strbuf_release(&c.out);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

static int do_verify(struct cli_ctx *ctx, struct session *s, int seal_key, const char *against)
{
    struct auditlog_report r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditor_verify_log(s, &r, &diag);
    if (err == MNV_OK) {
        printf(_("audit log: %llu entries, the hash chain is intact and reaches the head "
                 "recorded in the key file (entry %llu)\n"),
               (unsigned long long)r.entries, (unsigned long long)r.anchor_seq);
        return cli_audit_seal_verify(ctx, s, seal_key, against);
    }
    if (err == MNV_ERR_AUDIT_BROKEN) {
        printf(_("audit log: entry %llu does not fit: %s\n"), (unsigned long long)r.bad_seq,
               _(r.problem));
        return CLI_BAD;
    }
    if (err == MNV_ERR_AUDIT_ANCHOR) {
        printf(_("audit log: the chain holds for %llu entries but does not reach entry %llu "
                 "recorded in the key file: entries were removed from the end\n"),
               (unsigned long long)r.entries, (unsigned long long)r.anchor_seq);
        return CLI_BAD;
    }
    return cli_fail(err, &diag);
}

/* Which subcommand, and are the options right for it? */
enum audit_sub { SUB_NONE, SUB_VERIFY, SUB_EXPORT, SUB_CHECKPOINT, SUB_SEAL_START };

static enum audit_sub pick(const char *sub, const char *format, const char *output, int seal_key,
                           const char *against)
{
    static const char *const names[] = {"verify", "export", "checkpoint", "seal-start"};
    enum audit_sub k = SUB_NONE;
    for (size_t i = 0; sub && i < MNV_ARRAY_LEN(names); i++)
        if (strcmp(sub, names[i]) == 0)
            k = (enum audit_sub)(i + 1);
    int ok = k == SUB_VERIFY   ? !format && !output
             : k == SUB_EXPORT ? format && strcmp(format, "csv") == 0 && !seal_key && !against
             : k != SUB_NONE ? !format && !seal_key && !against && (k == SUB_CHECKPOINT || !output)
                             : 0;
    return ok ? k : SUB_NONE;
}

int cmd_audit(struct cli_ctx *ctx, int argc, char **argv)
{
    enum { O_FORMAT = 1, O_OUTPUT, O_SEAL_KEY, O_AGAINST };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"format", required_argument, NULL, O_FORMAT},
        {"output", required_argument, NULL, O_OUTPUT},
        {"seal-key", no_argument, NULL, O_SEAL_KEY},
        {"against", required_argument, NULL, O_AGAINST},
        {NULL, 0, NULL, 0},
    };
    const char *format = NULL, *output = NULL, *against = NULL;
    int opt, seal_key = 0;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        int r = cli_common_option(ctx, opt, optarg);
        if (r < 0)
            return cli_usage_hint("audit");
        if (r > 0)
            continue;
        if (opt == 'h') {
            audit_help();
            return CLI_OK;
        } else if (opt == O_FORMAT) {
            format = optarg;
        } else if (opt == O_OUTPUT) {
            output = optarg;
        } else if (opt == O_SEAL_KEY) {
            seal_key = 1;
        } else if (opt == O_AGAINST) {
            against = optarg;
        } else {
            cli_error(_("unknown option '%s'"), argv[optind - 1]);
            return cli_usage_hint("audit");
        }
    }
    const char *sub = optind < argc ? argv[optind++] : NULL;
    enum audit_sub k = optind < argc ? SUB_NONE : pick(sub, format, output, seal_key, against);
    if (k == SUB_NONE) {
        cli_error(_("use 'mnvault audit verify', 'mnvault audit export --format csv', "
                    "'mnvault audit checkpoint' or 'mnvault audit seal-start'"));
        return cli_usage_hint("audit");
    }
    struct session *s;
    int rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    if (k == SUB_EXPORT)
        rc = do_export(s, output);
    else if (k == SUB_CHECKPOINT)
        rc = cli_audit_checkpoint(s, output);
    else if (k == SUB_SEAL_START)
        rc = cli_audit_seal_start(s);
    else
        rc = do_verify(ctx, s, seal_key, against);
    session_logout(s);
    return rc;
}
