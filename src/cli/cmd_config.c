/*
 * cmd_config.c: `mnvault config sample` prints the fully commented sample configuration
 * (the same text as data/mnvault.ini), generated from the one table of keys.
 */
#include "cli.h"

#include <string.h>

#include "mnvault/i18n.h"

static void config_help(void)
{
    printf(_("Usage: mnvault config sample\n"
             "Print the commented sample configuration with every key and its default.\n"
             "Settings are read from /etc/mnvault/mnvault.ini, then\n"
             "$XDG_CONFIG_HOME/mnvault/mnvault.ini, then --config FILE.\n"));
}

int cmd_config(struct cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        int r = cli_common_option(ctx, opt, optarg);
        if (r < 0)
            return cli_usage_hint("config");
        if (r > 0)
            continue;
        if (opt == 'h') {
            config_help();
            return CLI_OK;
        }
        cli_error(_("unknown option '%s'"), argv[optind - 1]);
        return cli_usage_hint("config");
    }
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
