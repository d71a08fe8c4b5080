/*
 * cmd_verify.c: `mnvault verify` checks the whole vault: the key file, every page of
 * vault.db, the audit chain and its anchor, and every stored number. Exit 0 only when all
 * of them hold.
 */
#include "cli.h"

#include "mnvault/adminview.h"

#include <string.h>

#include "mnvault/auditor.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"

static void verify_help(void)
{
    printf(_("Usage: mnvault verify\n"
             "Check the whole vault (auditors, supervisors, administrators):\n"
             "  - the key file vault.keys: its checksum, its structure, and the MAC of its\n"
             "    protected part;\n"
             "  - every page of vault.db (SQLCipher's HMAC of each page), the database's\n"
             "    structure and its references;\n"
             "  - the audit log's hash chain, and that it reaches the head recorded in the\n"
             "    key file;\n"
             "  - that every stored My Number opens with its own key (none is shown).\n"
             "Damage that prevents logging in is reported as such.\n\n"
             "Exit status: 0 everything holds, 1 something does not (or the login failed),\n"
             "2 usage or input/output error.\n"));
}

static void line(void *ud, enum adminview_check state, const char *what, const char *detail)
{
    (void)ud;
    printf("%-8s %s%s%s\n", adminview_check_word(state), what, detail[0] ? ": " : "", detail);
}

int cmd_verify(struct cli_ctx *ctx, int argc, char **argv)
{
    int rc = cli_parse_opts(ctx, argc, argv, NULL, verify_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("verify");
    if (optind < argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind]);
        return cli_usage_hint("verify");
    }
    struct session *s;
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    struct vault_check r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditor_verify_vault(s, &r, &diag);
    session_logout(s);
    if (err != MNV_OK && err != MNV_ERR_VERIFY_FAILED)
        return cli_fail(err, &diag); /* refused, or the check could not run */
    adminview_vault_check(&r, line, NULL);
    if (err == MNV_OK) {
        printf(_("The vault is intact.\n"));
        return CLI_OK;
    }
    printf(_("The vault is damaged: restore it from a backup and keep the damaged copy for "
             "investigation.\n"));
    return err == MNV_ERR_VERIFY_FAILED ? CLI_BAD : cli_fail(err, &diag);
}
