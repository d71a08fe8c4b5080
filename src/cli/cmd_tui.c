/*
 * cmd_tui.c: `mnvault` with no command opens the terminal application on the vault.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/i18n.h"
#include "mnvault/tui.h"

int cmd_tui(struct cli_ctx *ctx)
{
    char dir[PATH_MAX], keys[PATH_MAX + 16];
    int rc = cli_data_dir(ctx, dir, sizeof(dir));
    if (rc != CLI_OK)
        return rc;
    struct stat st;
    snprintf(keys, sizeof(keys), "%s/vault.keys", dir);
    if (stat(keys, &st) != 0) {
        cli_error(_("there is no vault in %s"), dir);
        fprintf(stderr, _("Create one with 'mnvault init', or a demo vault with 'mnvault demo "
                          "--data-dir DIR' (or 'make demo').\n"));
        return CLI_USAGE;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        cli_error(_("the terminal application needs a terminal; for scripts use the commands "
                    "listed by 'mnvault --help'"));
        return CLI_USAGE;
    }
    struct tui_options o = {dir, &ctx->cfg, ctx->user};
    return tui_run(&o);
}
