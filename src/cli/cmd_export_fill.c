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
    struct export_fill_request req;
    memset(&req, 0, sizeof(req));
    const struct cli_opt opts[] = {
        {"out", &req.out_path, NULL},
        {"to", &req.destination, NULL},
        {"purpose", &req.purpose, NULL},
        {"skip-missing", NULL, &req.skip_missing},
        {"dry-run", NULL, &req.dry_run},
        {"zip", NULL, &req.zip},
        {"skip-unmatched", NULL, &req.skip_unmatched},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, cli_export_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("export");
    if (cli_export_destination_bad(req.destination))
        return cli_usage_hint("export");
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
    rc = cli_load_config(ctx);
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
