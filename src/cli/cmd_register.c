/*
 * cmd_register.c: `mnvault register FILE.pdf|FILE.csv` — the handling register
 * (特定個人情報ファイル管理簿) made from the vault, with the checklist of safety measures
 * (handling.h). Supervisors and auditors.
 */
#include "cli.h"

#include <string.h>

#include "mnvault/handling.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"

static void register_help(void)
{
    printf(_("Usage: mnvault register FILE.pdf | FILE.csv\n"
             "Write the handling register of specific personal information files\n"
             "(特定個人情報ファイル管理簿) from the vault: the vault, every backup and every\n"
             "export copy that holds My Numbers, with purposes, handlers, place, encryption,\n"
             "state and retention; then the checklist of safety measures with what the vault\n"
             "shows for each, the rest to be answered and signed by the supervisor. A PDF or,\n"
             "for a name ending in .csv, CSV (UTF-8); written with mode 0600; never holds a\n"
             "number. Supervisors and auditors. Recorded in the audit log.\n\n"
             "Exit status: 0 written, 1 refused, 2 usage or input/output error.\n"));
}

int cmd_register(struct cli_ctx *ctx, int argc, char **argv)
{
    int rc = cli_parse_opts(ctx, argc, argv, NULL, register_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("register");
    if (optind + 1 != argc) {
        cli_error(_("name the file to write: mnvault register FILE.pdf"));
        return cli_usage_hint("register");
    }
    const char *path = argv[optind];
    struct session *s;
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    struct handling_register r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = handling_register_build(s, &r, &diag);
    if (err == MNV_OK) {
        err = handling_write(&r, path, &diag);
        if (err == MNV_OK)
            printf(_("handling register written to %s: %zu files, %zu measures\n"), path, r.nfiles,
                   r.nchecks);
        handling_register_free(&r);
    }
    session_logout(s);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}
