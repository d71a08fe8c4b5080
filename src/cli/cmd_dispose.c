/*
 * cmd_dispose.c: `mnvault dispose --due` is the daily check for a cron job or systemd
 * timer: how many numbers are past their retention, held, or without a rule — counts
 * only, never a name — with exit status 1 when something needs disposal or review, an
 * audit entry and a syslog line.
 */
#include "cli.h"

#include <string.h>

#include "mnvault/caldate.h"
#include "mnvault/i18n.h"
#include "mnvault/retention.h"
#include "mnvault/session.h"

static void dispose_help(void)
{
    printf(_("Usage: mnvault dispose --due\n"
             "The daily check of numbers past their retention period, for a cron job or a\n"
             "systemd timer (samples: doc/retention.md, data/mnvault-due.*). Prints counts\n"
             "only, never a name; writes the same counts to the audit log and to syslog.\n\n"
             "  --due        count the numbers due for disposal, on hold, and without a\n"
             "               retention rule\n\n"
             "Exit status: 0 nothing is due, 1 numbers are due for disposal or have no rule\n"
             "(or the login was refused), 2 usage or input/output error.\n"));
}

static int do_due(struct session *s)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    struct retention_rules r;
    enum mnv_err err = retention_rules_load(NULL, session_purposes(s), &r, &diag);
    if (err == MNV_ERR_RETENTION_FILE) {
        cli_error("%s: %s: %s", diag.where, diag.item, _(mnv_err_str(err)));
        return CLI_BAD;
    }
    struct retention_counts c;
    if (err == MNV_OK)
        err = retention_due_report(s, &r, &c, &diag);
    retention_rules_free(&r);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    char day[CALDATE_ISO_SIZE];
    printf(_("due for disposal: %ld (employees %ld, dependants %ld)\n"), c.due, c.employees_due,
           c.dependants_due);
    if (c.due)
        printf(_("oldest due since: %s\n"), caldate_format(c.oldest_due, day));
    printf(_("on hold: %ld\n"), c.held);
    printf(_("without a retention rule: %ld\n"), c.no_rule);
    printf(_("becoming due this month: %ld\n"), c.next_months[0]);
    return c.due || c.no_rule ? CLI_BAD : CLI_OK;
}

int cmd_dispose(struct cli_ctx *ctx, int argc, char **argv)
{
    enum { O_DUE = 1 };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"due", no_argument, NULL, O_DUE},
        {NULL, 0, NULL, 0},
    };
    int due = 0, opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        int r = cli_common_option(ctx, opt, optarg);
        if (r < 0)
            return cli_usage_hint("dispose");
        if (r > 0)
            continue;
        if (opt == 'h') {
            dispose_help();
            return CLI_OK;
        } else if (opt == O_DUE) {
            due = 1;
        } else {
            cli_error(_("unknown option '%s'"), argv[optind - 1]);
            return cli_usage_hint("dispose");
        }
    }
    if (!due || optind < argc) {
        cli_error(_("use 'mnvault dispose --due'"));
        return cli_usage_hint("dispose");
    }
    struct session *s;
    int rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    rc = do_due(s);
    session_logout(s);
    return rc;
}
