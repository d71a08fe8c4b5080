/*
 * cmd_init.c: `mnvault init` creates a vault: the organisation, the first administrator and
 * the first supervisor. Interactive on a terminal; scriptable with flags and --password-fd
 * (two lines: the administrator's password, then the supervisor's). It never touches an
 * existing vault.
 */
#include "cli.h"

#include <limits.h>
#include <string.h>

#include "mnvault/i18n.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"

static void init_help(void)
{
    printf(_("Usage: mnvault init [--org NAME] [--address TEXT] [--corporate-number N]\n"
             "                    [--admin NAME] [--supervisor NAME]\n"
             "Create a new vault in the data folder (see --data-dir).\n\n"
             "  --org NAME             the organisation's name\n"
             "  --address TEXT         its address (may be empty)\n"
             "  --corporate-number N   its 13-digit corporate number (法人番号); the check\n"
             "                         digit is verified\n"
             "  --admin NAME           the first administrator (manages users and settings)\n"
             "  --supervisor NAME      the first supervisor (事務取扱責任者)\n"
             "  -h, --help             show this help\n\n"
             "What is not given is asked on the terminal. Passwords are typed twice on the\n"
             "terminal, or read from --password-fd N: the administrator's on the first line,\n"
             "the supervisor's on the second. Passwords need at least 15 characters; long\n"
             "phrases of several words are welcome. init never touches an existing vault.\n\n"
             "Exit status: 0 created, 1 refused (existing vault, invalid value), 2 usage or\n"
             "input/output error.\n"));
}

struct init_args {
    const char *org, *address, *corp, *admin, *supervisor;
    char buf[5][320];
};

/* Fill a value that was not given from the terminal. */
static int ask_missing(struct cli_ctx *ctx, const char **value, const char *prompt, char *buf,
                       size_t size, int may_be_empty)
{
    if (*value)
        return 0;
    char full[200];
    snprintf(full, sizeof(full), "%s: ", prompt);
    if (ctx->password_fd >= 0 || cli_ask(full, buf, size) < 0 || (!may_be_empty && !buf[0])) {
        cli_error(_("%s is needed"), prompt);
        return -1;
    }
    *value = buf;
    return 0;
}

static int parse_args(struct cli_ctx *ctx, int argc, char **argv, struct init_args *a)
{
    const struct cli_opt opts[] = {
        {"org", &a->org, NULL},
        {"address", &a->address, NULL},
        {"corporate-number", &a->corp, NULL},
        {"admin", &a->admin, NULL},
        {"supervisor", &a->supervisor, NULL},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, init_help);
    if (rc != CLI_OK)
        return rc < 0 ? rc : cli_usage_hint("init");
    if (optind < argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind]);
        return cli_usage_hint("init");
    }
    if (ask_missing(ctx, &a->org, _("Organisation name"), a->buf[0], sizeof(a->buf[0]), 0) ||
        ask_missing(ctx, &a->address, _("Address"), a->buf[1], sizeof(a->buf[1]), 1) ||
        ask_missing(ctx, &a->corp, _("Corporate number (13 digits)"), a->buf[2], sizeof(a->buf[2]),
                    0) ||
        ask_missing(ctx, &a->admin, _("Administrator's user name"), a->buf[3], sizeof(a->buf[3]),
                    0) ||
        ask_missing(ctx, &a->supervisor, _("Supervisor's user name"), a->buf[4], sizeof(a->buf[4]),
                    0))
        return CLI_USAGE;
    return CLI_OK;
}

int cmd_init(struct cli_ctx *ctx, int argc, char **argv)
{
    struct init_args a;
    memset(&a, 0, sizeof(a));
    int rc = parse_args(ctx, argc, argv, &a);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    char dir[PATH_MAX];
    rc = cli_data_dir(ctx, dir, sizeof(dir));
    if (rc != CLI_OK)
        return rc;
    char *pw1 = cli_secret_new(), *pw2 = cli_secret_new(), *seal = cli_secret_new();
    long n1 = -1, n2 = -1;
    if (pw1 && pw2 && seal) {
        n1 = cli_read_new_password(ctx, a.admin, pw1);
        if (n1 >= 0)
            n2 = cli_read_new_password(ctx, a.supervisor, pw2);
    }
    enum mnv_err err = MNV_ERR_USAGE;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    if (n1 >= 0 && n2 >= 0) {
        struct setup_params p = {a.org,      a.address,    a.corp, a.admin,   pw1,
                                 (size_t)n1, a.supervisor, pw2,    (size_t)n2};
        struct session_options o;
        session_options_from_config(&o, &ctx->cfg);
        err = setup_create_vault_sealed(dir, &p, &o, seal, &diag);
    }
    secmem_free(pw1);
    secmem_free(pw2);
    if (err != MNV_OK)
        secmem_free(seal);
    if (err == MNV_ERR_USAGE)
        return CLI_USAGE;
    if (err == MNV_ERR_VAULT_EXISTS) {
        cli_error(_("%s: %s"), dir, _(mnv_err_str(err)));
        return CLI_BAD;
    }
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(_("Created the vault of %s in %s.\n"), a.org, dir);
    printf(_("Users: %s (administrator), %s (supervisor).\n"), a.admin, a.supervisor);
    cli_print_seal_key(seal);
    secmem_free(seal);
    return CLI_OK;
}
