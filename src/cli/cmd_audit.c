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
    printf(
        _("Usage: mnvault audit verify\n"
          "       mnvault audit export --format csv [--output FILE]\n"
          "Check or export the audit log (auditors, supervisors; verify also administrators).\n\n"
          "  verify                 recompute the hash chain of every entry and check that\n"
          "                         it reaches the head recorded in the key file; names the\n"
          "                         first entry that does not fit\n"
          "  export                 write every entry as CSV (UTF-8, RFC 4180): seq, time\n"
          "                         (UTC), user, role, action, subject, result, detail\n"
          "  --format csv           the export format (the only one so far)\n"
          "  --output FILE          write to FILE (created with mode 0600) instead of\n"
          "                         standard output\n\n"
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

static int do_verify(struct session *s)
{
    struct auditlog_report r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditor_verify_log(s, &r, &diag);
    if (err == MNV_OK) {
        printf(_("audit log: %llu entries, the hash chain is intact and reaches the head "
                 "recorded in the key file (entry %llu)\n"),
               (unsigned long long)r.entries, (unsigned long long)r.anchor_seq);
        return CLI_OK;
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

int cmd_audit(struct cli_ctx *ctx, int argc, char **argv)
{
    enum { O_FORMAT = 1, O_OUTPUT };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"format", required_argument, NULL, O_FORMAT},
        {"output", required_argument, NULL, O_OUTPUT},
        {NULL, 0, NULL, 0},
    };
    const char *format = NULL, *output = NULL;
    int opt;
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
        } else {
            cli_error(_("unknown option '%s'"), argv[optind - 1]);
            return cli_usage_hint("audit");
        }
    }
    const char *sub = optind < argc ? argv[optind++] : NULL;
    int is_export = sub && strcmp(sub, "export") == 0;
    if (!sub || optind < argc || (!is_export && strcmp(sub, "verify") != 0) ||
        (is_export && (!format || strcmp(format, "csv") != 0)) ||
        (!is_export && (format || output))) {
        cli_error(_("use 'mnvault audit verify' or 'mnvault audit export --format csv'"));
        return cli_usage_hint("audit");
    }
    struct session *s;
    int rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    rc = is_export ? do_export(s, output) : do_verify(s);
    session_logout(s);
    return rc;
}
