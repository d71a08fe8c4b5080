/*
 * entry.c: what both of mnvault's programs do first (cli layer): libsodium, the catalogue and
 * the configured language, the options every command takes, then one command of the program's
 * table (main.c: every command; front.c: scan).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "mnvault/i18n.h"
#include "mnvault/secmem.h"
#include "mnvault/testhook.h"

#ifndef MNV_VERSION
#define MNV_VERSION "0.1.0"
#endif

/*
 * The language the configuration asks for, set before anything is printed (help texts
 * are printed while the options are read, before a command loads its configuration). Read
 * quietly: a wrong file is reported when the command loads it.
 */
static void early_language(int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            path = argv[++i];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            path = argv[i] + 9;
    }
    struct mnv_config cfg;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    if (config_load(&cfg, path, NULL, NULL, &diag) == MNV_OK)
        i18n_set_language(cfg.language);
}

static const struct cli_command *find_command(const struct cli_program *p, const char *name)
{
    for (size_t i = 0; i < p->ncommands; i++)
        if (strcmp(p->commands[i].name, name) == 0)
            return &p->commands[i];
    return NULL;
}

int cli_main(int argc, char **argv, const struct cli_program *p)
{
    if (secmem_init() != MNV_OK) {
        fputs("mnvault: cannot initialise libsodium\n", stderr);
        return CLI_USAGE;
    }
    i18n_init();
    early_language(argc, argv);

    struct cli_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.password_fd = -1;

    enum { OPT_VERSION = 0x2000 };
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        int r = cli_common_option(&ctx, opt, optarg);
        if (r < 0)
            return cli_usage_hint(NULL);
        if (r > 0)
            continue;
        if (opt == 'h' && p->help) {
            p->help();
            return CLI_OK;
        }
        if (opt == OPT_VERSION) {
            printf("mnvault %s%s\n", MNV_VERSION, testhook_enabled() ? " (test build)" : "");
            return CLI_OK;
        }
        cli_error(_("unknown option '%s'"), argv[optind - 1]);
        return cli_usage_hint(NULL);
    }
    if (optind >= argc && p->no_command)
        return p->no_command(&ctx);
    const struct cli_command *cmd = optind < argc ? find_command(p, argv[optind]) : NULL;
    /* Every command's output through the escaping filter (safeout.c), but scan's: it escapes
     * every name it prints itself (textsafe; tests/security/names.sh reads its bytes) and
     * writes its lines in large blocks, which the filter would walk once more. */
    if (!cmd || strcmp(cmd->name, "scan") != 0)
        cli_safe_output();
    if (!cmd) {
        cli_error(_("unknown command '%s'"), optind < argc ? argv[optind] : "");
        return cli_usage_hint(NULL);
    }
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;
    optind = 0; /* glibc: restart getopt for the subcommand's own options */
    opterr = 0;
    int rc = cmd->run(&ctx, sub_argc, sub_argv);
    if (p->after)
        p->after();
    return rc;
}
