/*
 * cmd_review.c: `mnvault review report|sign|status` — the monthly review of the audit log
 * (review.h): the report of a month or period, a supervisor's signature over the digest the
 * report printed, and which months are signed (exit 1 while one is not: for a reminder
 * from cron).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/review.h"
#include "mnvault/session.h"
#include "mnvault/strbuf.h"

static void review_help(void)
{
    printf(_("Usage: mnvault review report [--month YYYY-MM | --from DATE --to DATE]\n"
             "       mnvault review sign --month YYYY-MM --digest HEX [--note TEXT]\n"
             "       mnvault review status\n"
             "The monthly review of the audit log (auditors and supervisors read it, a\n"
             "supervisor signs it).\n\n"
             "  report         reveals per user and purpose, many reveals in a short time,\n"
             "                 access at night, exports, imports, refusals, failed logins and\n"
             "                 logins outside the access window; the default is last month;\n"
             "                 ends with the digest of its figures\n"
             "  sign           sign a month that is over, after reading its report: --digest\n"
             "                 is the digest the report printed (64 hex digits; a report that\n"
             "                 changed since is refused); recorded in the audit log\n"
             "  status         the months since the vault began, signed or not\n"
             "  --note TEXT    a remark kept with the signature (no My Number)\n\n"
             "Exit status: 0 done (status: every month signed), 1 refused (status: a month is\n"
             "not signed), 2 usage or input/output error.\n"));
}

static int print_report(struct session *s, const struct review_report *r)
{
    struct strbuf out = STRBUF_INIT;
    enum mnv_err err = review_text(s, r, &out);
    if (err == MNV_OK)
        fputs(strbuf_str(&out), stdout);
    strbuf_release(&out);
    return err == MNV_OK ? CLI_OK : cli_fail(err, NULL);
}

static int do_report(struct session *s, const char *month, const char *from, const char *to)
{
    struct review_report r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    char last[8];
    enum mnv_err err =
        from ? review_report_period(s, from, to, &r, &diag)
             : review_report_month(s, month ? month : review_last_month(last), &r, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    int rc = print_report(s, &r);
    review_report_free(&r);
    return rc;
}

static int do_sign(struct session *s, const char *month, const char *digest, const char *note)
{
    struct review_report r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = review_sign(s, month, digest, note ? note : "", &r, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(_("the review of %s is signed by %s (audit entry %llu)\n"), r.month, r.signed_by,
           (unsigned long long)r.signed_seq);
    review_report_free(&r);
    return CLI_OK;
}

static int do_status(struct session *s)
{
    struct review_month *m;
    size_t n, open;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = review_status(s, &m, &n, &open, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    for (size_t i = 0; i < n; i++) {
        char when[32];
        if (m[i].signed_)
            printf(_("%s  signed by %s on %s\n"), m[i].month, m[i].signed_by,
                   clock_format_local(when, sizeof(when), (time_t)m[i].signed_at));
        else
            printf(_("%s  not signed\n"), m[i].month);
    }
    if (n == 0)
        printf("%s\n", _("no month is over since the vault began"));
    free(m);
    return open ? CLI_BAD : CLI_OK;
}

int cmd_review(struct cli_ctx *ctx, int argc, char **argv)
{
    const char *opt_v[6] = {NULL};
    const struct cli_opt opts[] = {
        {"month", &opt_v[1], NULL},  {"from", &opt_v[2], NULL}, {"to", &opt_v[3], NULL},
        {"digest", &opt_v[4], NULL}, {"note", &opt_v[5], NULL}, {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, review_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("review");
    const char *sub = optind < argc ? argv[optind++] : "";
    const char *month = opt_v[1], *from = opt_v[2], *to = opt_v[3], *digest = opt_v[4],
               *note = opt_v[5];
    int ok =
        optind == argc &&
        ((strcmp(sub, "report") == 0 && !digest && !note && !from == !to && !(month && from)) ||
         (strcmp(sub, "sign") == 0 && month && digest && !from && !to) ||
         (strcmp(sub, "status") == 0 && !month && !from && !to && !digest && !note));
    if (!ok) {
        cli_error(_("use 'mnvault review report', 'review sign --month M --digest HEX' or "
                    "'review status'"));
        return cli_usage_hint("review");
    }
    struct session *s;
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    if (strcmp(sub, "report") == 0)
        rc = do_report(s, month, from, to);
    else if (strcmp(sub, "sign") == 0)
        rc = do_sign(s, month, digest, note);
    else
        rc = do_status(s);
    session_logout(s);
    return rc;
}
