/*
 * cmd_restore.c: `mnvault restore FILE --data-dir DIR` brings a backup back into an empty
 * (or new) folder. The person restoring signs in against the key file inside the backup:
 * with --user NAME and that user's password at the time of the backup (a supervisor or
 * administrator), or with --recovery and the recovery share sheets on standard input.
 */
#include "cli.h"

#include <limits.h>
#include <string.h>

#include "mnvault/backup.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/shares.h"

static void restore_help(void)
{
    printf(_("Usage: mnvault restore FILE --data-dir DIR --user NAME\n"
             "       mnvault restore FILE --data-dir DIR --recovery < SHEETS\n"
             "Bring the backup FILE back as a vault in DIR, which must be empty or not exist\n"
             "yet (mnvault never restores over a vault).\n\n"
             "  --user NAME            a supervisor or administrator of the backed-up vault;\n"
             "                         the password is the one NAME had when the backup was\n"
             "                         made (typed, or from --password-fd N)\n"
             "  --recovery             open the backup with recovery share sheets read from\n"
             "                         standard input (a set that was valid when the backup\n"
             "                         was made)\n"
             "  --demo                 DIR is for a demo vault: a backup of a demo vault\n"
             "                         (mnvault demo) is restored only with --demo, and a\n"
             "                         backup of a real vault never with it\n\n"
             "The whole file is authenticated before the vault is used: a damaged, cut or\n"
             "altered backup, or a file that is not a backup, is refused and nothing is left in\n"
             "DIR. The restore is recorded in the restored vault's audit log. Anything done\n"
             "after the backup was made is not in it.\n\n"
             "Exit status: 0 restored, 1 refused (damaged file, wrong password or shares,\n"
             "folder not empty), 2 usage or input/output error.\n"));
}

static int parse(struct cli_ctx *ctx, int argc, char **argv, int *recovery, int *demo)
{
    const struct cli_opt opts[] = {
        {"recovery", NULL, recovery},
        {"demo", NULL, demo},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, restore_help);
    return rc == CLI_USAGE ? cli_usage_hint("restore") : rc;
}

static int report_error(enum mnv_err err, const struct mnv_diag *diag, const char *file,
                        const struct share *sh, int count)
{
    if (err == MNV_ERR_NOT_FOUND) {
        cli_error(_("%s: no such file"), file);
        return CLI_USAGE;
    }
    if (err == MNV_ERR_SHARES_FEW || err == MNV_ERR_SHARES_MIXED || err == MNV_ERR_SHARES_BAD) {
        cli_shares_error(err, sh, count);
        return CLI_BAD;
    }
    if (err == MNV_ERR_RESTORE_NOT_EMPTY) {
        cli_error("%s: %s", diag->where, _(mnv_err_str(err)));
        return CLI_BAD;
    }
    if (err <= MNV_ERR_BACKUP_FORMAT && err >= MNV_ERR_BACKUP_VERIFY) {
        cli_error("%s: %s", file, _(mnv_err_str(err)));
        return CLI_BAD;
    }
    return cli_fail(err, diag);
}

/* The login: a password, or shares from standard input. */
static int read_login(struct cli_ctx *ctx, int recovery, struct backup_login *login, char *pw,
                      struct share *sh)
{
    memset(login, 0, sizeof(*login));
    if (recovery) {
        int n = cli_read_shares(sh, SHARES_MAX * 2);
        if (n < 0)
            return CLI_BAD;
        login->shares = sh;
        login->share_count = n;
        return CLI_OK;
    }
    char prompt[200];
    snprintf(prompt, sizeof(prompt), _("Password of %s (as it was when the backup was made): "),
             ctx->user);
    long n = cli_read_secret(ctx, prompt, 0, pw);
    if (n < 0)
        return CLI_USAGE;
    login->user = ctx->user;
    login->password = pw;
    login->password_len = (size_t)n;
    return CLI_OK;
}

static int run(struct cli_ctx *ctx, const char *file, int recovery, int demo, const char *dir)
{
    struct backupfile_header h;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = backup_inspect(file, &h, &diag);
    if (err != MNV_OK)
        return report_error(err, &diag, file, NULL, 0);
    char when[32];
    fprintf(stderr, _("%s: a backup made %s; restoring into %s\n"), file,
            clock_format_local(when, sizeof(when), (time_t)h.created), dir);
    char *pw = cli_secret_new();
    struct share *sh = secmem_alloc(sizeof(struct share) * SHARES_MAX * 2);
    int rc = pw && sh ? CLI_OK : cli_fail(MNV_ERR_NOMEM, NULL);
    struct backup_login login;
    if (rc == CLI_OK)
        rc = read_login(ctx, recovery, &login, pw, sh);
    if (rc == CLI_OK) {
        struct session_options so;
        struct backup_restored out;
        session_options_from_config(&so, &ctx->cfg);
        err = demo ? backup_restore_demo(file, dir, &login, &so, &out, &diag)
                   : backup_restore(file, dir, &login, &so, &out, &diag);
        if (err != MNV_OK) {
            rc = report_error(err, &diag, file, sh, login.share_count);
        } else {
            printf(_("Restored into %s (vault.keys and vault.db).\n"
                     "The backup was made %s and holds the audit log up to entry %llu; anything\n"
                     "done after that is not in it. The restore was recorded in the audit log.\n"
                     "Check the vault with 'mnvault verify --data-dir %s'.\n"),
                   dir, when, (unsigned long long)out.manifest.audit_seq, dir);
        }
    }
    secmem_free(pw);
    secmem_free(sh);
    return rc;
}

int cmd_restore(struct cli_ctx *ctx, int argc, char **argv)
{
    int recovery = 0, demo = 0;
    int rc = parse(ctx, argc, argv, &recovery, &demo);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if (optind + 1 != argc) {
        cli_error(optind >= argc ? _("name the backup file to restore")
                                 : _("restore takes one backup file"));
        return cli_usage_hint("restore");
    }
    if (recovery == (ctx->user != NULL)) {
        cli_error(_("give either --user NAME or --recovery"));
        return cli_usage_hint("restore");
    }
    char dir[PATH_MAX];
    rc = cli_data_dir(ctx, dir, sizeof(dir));
    if (rc != CLI_OK)
        return rc;
    return run(ctx, argv[optind], recovery, demo, dir);
}
