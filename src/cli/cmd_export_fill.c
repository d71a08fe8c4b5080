/*
 * cmd_export_fill.c: `mnvault export fill FORM IN.csv --out OUT.csv`: the numbers filled
 * into a file that payroll software wrote with the number columns empty (export.h
 * export_fill, doc/export.md). One row that does not match refuses the whole file.
 */
#include "cli.h"

#include <string.h>

#include "mnvault/export.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"

int cmd_export_fill(struct cli_ctx *ctx, int argc, char **argv)
{
    enum { O_OUT = 1, O_TO, O_PURPOSE, O_SKIP, O_DRY, O_ZIP, O_UNMATCHED };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"out", required_argument, NULL, O_OUT},
        {"to", required_argument, NULL, O_TO},
        {"purpose", required_argument, NULL, O_PURPOSE},
        {"skip-missing", no_argument, NULL, O_SKIP},
        {"dry-run", no_argument, NULL, O_DRY},
        {"zip", no_argument, NULL, O_ZIP},
        {"skip-unmatched", no_argument, NULL, O_UNMATCHED},
        {NULL, 0, NULL, 0},
    };
    struct export_fill_request req;
    memset(&req, 0, sizeof(req));
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        int r = cli_common_option(ctx, opt, optarg);
        if (r < 0)
            return cli_usage_hint("export");
        if (r > 0)
            continue;
        switch (opt) {
        case O_OUT:
            req.out_path = optarg;
            break;
        case O_TO:
            if (!form_destination_parse(optarg)) {
                cli_error(_("--to takes tax_office, municipality, person or contractor"));
                return cli_usage_hint("export");
            }
            req.destination = optarg;
            break;
        case O_PURPOSE:
            req.purpose = optarg;
            break;
        case O_SKIP:
            req.skip_missing = 1;
            break;
        case O_DRY:
            req.dry_run = 1;
            break;
        case O_ZIP:
            req.zip = 1;
            break;
        case O_UNMATCHED:
            req.skip_unmatched = 1;
            break;
        default:
            cli_error(_("unknown option '%s'"), argv[optind - 1]);
            return cli_usage_hint("export");
        }
    }
    if (optind + 2 != argc || (!req.out_path && !req.dry_run)) {
        cli_error(_("say the form, the payroll system's file and --out: fill FORM IN.csv --out "
                    "OUT.csv"));
        return cli_usage_hint("export");
    }
    req.form = argv[optind];
    req.in_path = argv[optind + 1];
    if (req.skip_unmatched && strcmp(req.form, "shfd") != 0) {
        cli_error(_("--skip-unmatched is for an SHFD0006.CSV (fill shfd); a slip's row must "
                    "always match"));
        return cli_usage_hint("export");
    }
    int rc = cli_load_config(ctx);
    if (rc != CLI_OK)
        return rc;
    if (ctx->cfg.cache_mib < 64)
        ctx->cfg.cache_mib = 64;
    struct session *s;
    if ((rc = cli_login(ctx, &s, 0, NULL, NULL, NULL)) != CLI_OK)
        return rc;
    struct export_report r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = export_fill(s, &req, &r, &diag);
    struct export_request shown = {req.form,    r.year,       NULL, NULL,
                                   NULL,        req.out_path, NULL, req.skip_missing,
                                   req.dry_run, req.zip,      NULL, NULL};
    rc = cli_export_report(s, &shown, &r, err, &diag);
    export_report_free(&r);
    session_logout(s);
    return rc;
}
