/*
 * cmd_config.c: `mnvault config sample` prints the fully commented sample configuration
 * (the same text as data/mnvault.ini), generated from the one table of keys; `config show`
 * the values in effect (adminview.h, as the settings screen of the F9 menu shows them).
 */
#include "cli.h"

#include <string.h>

#include "mnvault/adminview.h"
#include "mnvault/i18n.h"

static void config_help(void)
{
    printf(_("Usage: mnvault config sample\n"
             "       mnvault config show\n"
             "sample prints the commented sample configuration with every key and its\n"
             "default; show prints every key's value in effect, and whether it is the\n"
             "default or was set.\n"
             "Settings are read from /etc/mnvault/mnvault.ini, then\n"
             "$XDG_CONFIG_HOME/mnvault/mnvault.ini, then --config FILE.\n"));
}

static void show_line(void *ud, const char *name, const char *value, const char *note)
{
    (void)ud;
    printf("%-28s %-30s %s\n", name, value, note);
}

static int show(struct cli_ctx *ctx)
{
    if (cli_load_config(ctx) != CLI_OK)
        return CLI_USAGE;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = adminview_settings(NULL, &ctx->cfg, show_line, NULL, &diag);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

int cmd_config(struct cli_ctx *ctx, int argc, char **argv)
{
    int rc = cli_parse_opts(ctx, argc, argv, NULL, config_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("config");
    if (optind + 1 == argc && strcmp(argv[optind], "show") == 0)
        return show(ctx);
    if (optind + 1 != argc || strcmp(argv[optind], "sample") != 0) {
        config_help();
        return CLI_USAGE;
    }
    if (config_write_sample(stdout) != 0) {
        cli_error(_("cannot write to standard output"));
        return CLI_USAGE;
    }
    return CLI_OK;
}
