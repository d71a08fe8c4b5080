/*
 * cmd_audit.c: `mnvault audit verify` recomputes the audit log's hash chain and checks it
 * against the head anchored in the key file; `mnvault audit list|show|export` read the log
 * through a filter (auditview.h: user, action, person, result, period) for auditors and
 * supervisors (time, user, role, action, subject, result, detail; never a number).
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "mnvault/auditor.h"
#include "mnvault/auditview.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"
#include "mnvault/textsafe.h"

static void audit_help(void)
{
    printf(_("Usage: mnvault audit verify [--seal-key] [--against CHECKPOINT]\n"
             "       mnvault audit list [FILTER…] [--limit N] [--before SEQ]\n"
             "       mnvault audit show SEQ\n"
             "       mnvault audit export --format csv [FILTER…] [--output FILE]\n"
             "       mnvault audit checkpoint [--output FILE]\n"
             "       mnvault audit seal-start\n"
             "       mnvault audit status\n"
             "Check, read, export or seal the audit log (auditors, supervisors; verify, list and\n"
             "checkpoint also administrators; seal-start auditors).\n\n"
             "  verify                 recompute the hash chain of every entry and check that\n"
             "                         it reaches the head recorded in the key file; names the\n"
             "                         first entry that does not fit; then the seals\n"
             "  --seal-key             also check every seal with the seal key shown when\n"
             "                         sealing started (asked for, or read from --password-fd)\n"
             "  --against CHECKPOINT   also check that the log still holds the entry of a\n"
             "                         checkpoint file unchanged\n"
             "  list                   the entries that match, newest first, one a line\n"
             "  show SEQ               one entry with its details (a reveal's purpose, reason)\n"
             "  export                 write the entries that match as CSV (UTF-8, RFC 4180):\n"
             "                         seq, time (UTC), user, role, action, subject, result,\n"
             "                         detail; oldest first\n"
             "  --format csv           the export format (the only one so far)\n"
             "  --output FILE          write to FILE (created with mode 0600) instead of\n"
             "                         standard output\n"
             "  checkpoint             write the newest entry and its seal as a checkpoint to\n"
             "                         keep away from this computer\n"
             "  seal-start             start sealing the log of a vault made before sealing\n"
             "                         existed; shows the seal key once\n"
             "  status                 the last verification of the chain, the seals and the\n"
             "                         last checkpoint, as the audit screen (F8) shows them\n"
             "  --limit N              list at most N entries (default 50)\n"
             "  --before SEQ           list entries older than SEQ (the next page)\n\n"
             "Filters (all must match; none: the whole log):\n"
             "  --by USER              entries of this user\n"
             "  --action ACTION        this action (reveal, export …), or every action under\n"
             "                         a prefix ending in '.' (disposal.)\n"
             "  --person CODE          entries about this employee and their dependants, and\n"
             "                         the exports that held any of them\n"
             "  --result RESULT        ok, denied, refused, failed or begun\n"
             "  --from DATE, --to DATE the period, both days included (2026-11-01, R8.11.1)\n\n"
             "Exit status: 0 the log is intact / listed / exported, 1 it is not intact or the\n"
             "action was refused, 2 usage or input/output error.\n"));
}

/* Print err for a filter: which field it is about. */
static int filter_fail(enum mnv_err err, struct mnv_diag *diag)
{
    if (diag->item[0] && (err == MNV_ERR_AUDIT_FILTER_DATE || err == MNV_ERR_PERSON_NOT_FOUND)) {
        cli_error("--%s: %s", diag->item, mnv_err_str(err));
        return CLI_USAGE;
    }
    return cli_fail(err, diag);
}

static int do_export(struct session *s, const struct auditview_filter *f, const char *output)
{
    struct auditview v;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    uint64_t rows = 0;
    enum mnv_err err = auditview_open(s, f, &v, &diag);
    if (err != MNV_OK)
        return filter_fail(err, &diag);
    if (output)
        err = auditview_export_file(&v, output, &rows, &diag);
    else if ((err = auditview_export_csv(&v, STDOUT_FILENO, &rows, &diag)) == MNV_OK &&
             fflush(stdout) != 0)
        err = MNV_ERR_IO;
    if (err == MNV_OK && output)
        fprintf(stderr, _("%llu entries written to %s\n"), (unsigned long long)rows, output);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

/* One entry on one line: seq, local time, user, action, subject, result, detail. */
static void list_line(struct session *s, const struct audit_entry *e)
{
    char when[32], subject[AUDIT_SUBJECT_MAX + 64];
    clock_format_local(when, sizeof(when), (time_t)e->time);
    auditview_subject(s, e->subject, subject, sizeof(subject));
    printf("%8llu  %s  ", (unsigned long long)e->seq, when);
    textsafe_fputs(e->user[0] ? e->user : "-", TEXTSAFE_KEEP_BACKSLASH, stdout);
    printf("  %s  ", auditview_action_label(e->action));
    textsafe_fputs(subject[0] ? subject : "-", TEXTSAFE_KEEP_BACKSLASH, stdout);
    printf("  %s", auditview_result_label(e->result));
    if (e->detail[0]) {
        fputs("  ", stdout);
        textsafe_fputs(e->detail, TEXTSAFE_KEEP_BACKSLASH, stdout);
    }
    putchar('\n');
}

static int do_list(struct session *s, const struct auditview_filter *f, long limit, uint64_t before)
{
    struct auditview v;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditview_open(s, f, &v, &diag);
    if (err != MNV_OK)
        return filter_fail(err, &diag);
    struct audit_entry page[64];
    long shown = 0;
    while (err == MNV_OK && shown < limit) {
        size_t n = 0, want = (size_t)(limit - shown < 64 ? limit - shown : 64);
        err = auditview_older(&v, before, want, page, &n, &diag);
        for (size_t i = 0; err == MNV_OK && i < n; i++)
            list_line(s, &page[i]);
        shown += (long)n;
        if (n < want)
            break;
        before = page[n - 1].seq;
    }
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    if (shown == 0)
        printf("%s\n", _("no entry matches"));
    return CLI_OK;
}

static int do_show(struct session *s, const char *which)
{
    char *end;
    unsigned long long seq = strtoull(which, &end, 10);
    if (!which[0] || *end || seq == 0) {
        cli_error(_("'%s' is not an entry's number"), which);
        return CLI_USAGE;
    }
    struct audit_entry e;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditview_get(s, seq, &e, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    char when[32], iso[32], subject[AUDIT_SUBJECT_MAX + 64];
    auditview_subject(s, e.subject, subject, sizeof(subject));
    printf(_("entry    %llu\n"), (unsigned long long)e.seq);
    printf(_("time     %s (%s)\n"), clock_format_local(when, sizeof(when), (time_t)e.time),
           clock_format_iso(iso, sizeof(iso), (time_t)e.time));
    printf(_("user     "));
    textsafe_fputs(e.user[0] ? e.user : "-", TEXTSAFE_KEEP_BACKSLASH, stdout);
    printf(" (%s)\n", e.role[0] ? e.role : "-");
    printf(_("action   %s (%s)\n"), auditview_action_label(e.action), e.action);
    printf(_("subject  "));
    textsafe_fputs(subject[0] ? subject : "-", TEXTSAFE_KEEP_BACKSLASH, stdout);
    printf(_("\nresult   %s\n"), auditview_result_label(e.result));
    size_t pos = 0;
    char key[64], val[AUDIT_DETAIL_MAX + 1], shown[AUDIT_DETAIL_MAX + 80];
    while (auditview_detail_next(e.detail, &pos, key, sizeof(key), val, sizeof(val))) {
        printf("  %-14s ", key[0] ? key : "-");
        textsafe_fputs(auditview_value(s, key, val, shown, sizeof(shown)), TEXTSAFE_KEEP_BACKSLASH,
                       stdout);
        putchar('\n');
    }
    return CLI_OK;
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

/* Options of cmd_audit(). */
struct audit_opts {
    const char *format, *output, *against;
    int seal_key;
    long limit;
    uint64_t before;
    struct auditview_filter f;
};

static void copy_opt(char *dst, size_t size, const char *arg)
{
    if (arg)
        snprintf(dst, size, "%s", arg);
}

/* A whole number above 0 from text (NULL: 0, left as it was); -1 when it is not one. */
static int whole_above_zero(const char *text, uint64_t *out)
{
    if (!text)
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (!*text || *end || *text == '-' || errno || v == 0 || v > LONG_MAX) {
        cli_error(_("'%s' is not a whole number above 0"), text);
        return -1;
    }
    *out = v;
    return 0;
}

/*
 * Reads argv's options into o. Returns CLI_OK, -1 after the help, or CLI_USAGE after saying
 * what was wrong.
 */
static int audit_options(struct cli_ctx *ctx, int argc, char **argv, struct audit_opts *o)
{
    const char *by = NULL, *action = NULL, *person = NULL, *result = NULL, *from = NULL;
    const char *to = NULL, *limit = NULL, *before = NULL;
    const struct cli_opt opts[] = {
        {"format", &o->format, NULL},
        {"output", &o->output, NULL},
        {"by", &by, NULL},
        {"action", &action, NULL},
        {"person", &person, NULL},
        {"result", &result, NULL},
        {"from", &from, NULL},
        {"to", &to, NULL},
        {"limit", &limit, NULL},
        {"before", &before, NULL},
        {"seal-key", NULL, &o->seal_key},
        {"against", &o->against, NULL},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, audit_help);
    if (rc != CLI_OK)
        return rc;
    copy_opt(o->f.user, sizeof(o->f.user), by);
    copy_opt(o->f.action, sizeof(o->f.action), action);
    copy_opt(o->f.person, sizeof(o->f.person), person);
    copy_opt(o->f.result, sizeof(o->f.result), result);
    copy_opt(o->f.from, sizeof(o->f.from), from);
    copy_opt(o->f.to, sizeof(o->f.to), to);
    uint64_t n = 0;
    if (whole_above_zero(limit, &n) < 0)
        return CLI_USAGE;
    o->limit = (long)n;
    return whole_above_zero(before, &o->before) < 0 ? CLI_USAGE : CLI_OK;
}

/* Does the subcommand fit the options given? */
static int usage_ok(const char *sub, int args_left, const struct audit_opts *o)
{
    if (!sub)
        return 0;
    int filtered = !auditview_filter_empty(&o->f), paged = o->limit || o->before;
    int sealing = o->seal_key || o->against;
    if (strcmp(sub, "verify") == 0)
        return !args_left && !o->format && !o->output && !filtered && !paged;
    if (strcmp(sub, "export") == 0)
        return !args_left && o->format && strcmp(o->format, "csv") == 0 && !paged && !sealing;
    if (strcmp(sub, "list") == 0)
        return !args_left && !o->format && !o->output && !sealing;
    if (strcmp(sub, "show") == 0)
        return args_left == 1 && !o->format && !o->output && !filtered && !paged && !sealing;
    if (strcmp(sub, "status") == 0)
        return !args_left && !o->format && !o->output && !filtered && !paged && !sealing;
    if (strcmp(sub, "checkpoint") == 0 || strcmp(sub, "seal-start") == 0)
        return !args_left && !o->format && !filtered && !paged && !sealing &&
               (strcmp(sub, "checkpoint") == 0 || !o->output);
    return 0;
}

int cmd_audit(struct cli_ctx *ctx, int argc, char **argv)
{
    struct audit_opts o = {0};
    auditview_filter_init(&o.f);
    int rc = audit_options(ctx, argc, argv, &o);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("audit");
    const char *sub = optind < argc ? argv[optind++] : NULL;
    if (!sub || !usage_ok(sub, argc - optind, &o)) {
        cli_error(_("use 'mnvault audit verify', 'audit list', 'audit show SEQ', "
                    "'audit export --format csv', 'audit checkpoint', 'audit seal-start' or "
                    "'audit status'"));
        return cli_usage_hint("audit");
    }
    struct session *s;
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    if (strcmp(sub, "export") == 0)
        rc = do_export(s, &o.f, o.output);
    else if (strcmp(sub, "list") == 0)
        rc = do_list(s, &o.f, o.limit ? o.limit : 50, o.before);
    else if (strcmp(sub, "show") == 0)
        rc = do_show(s, argv[optind]);
    else if (strcmp(sub, "checkpoint") == 0)
        rc = cli_audit_checkpoint(s, o.output);
    else if (strcmp(sub, "seal-start") == 0)
        rc = cli_audit_seal_start(s);
    else if (strcmp(sub, "status") == 0)
        rc = cli_audit_status(s);
    else
        rc = do_verify(ctx, s, o.seal_key, o.against);
    session_logout(s);
    return rc;
}
