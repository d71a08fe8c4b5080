/*
 * cmd_recovery.c: `mnvault recovery split` prints the recovery share sheets (supervisors);
 * `mnvault recovery restore --user NAME` reads k sheets and sets a new password for NAME.
 * The sheets are secret: they go, with --out, to one file per share (mode 0600, written
 * atomically, never over an existing sheet) or to standard output when it is a pipe (for a
 * printer), never to the terminal; the program keeps no other copy. Replacing a set that
 * exists is asked first (or said with --replace).
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/fileio.h"
#include "mnvault/i18n.h"
#include "mnvault/recovery.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/shares.h"

#define SHEET_SIZE 2048

static void recovery_help(void)
{
    printf(_("Usage: mnvault recovery split --shares N --threshold K [--out DIR] [--replace]\n"
             "       mnvault recovery restore --user NAME\n"
             "Recovery shares let k supervisors together give a user a new password when it is\n"
             "forgotten, without any password.\n\n"
             "  split                  make a new recovery key and print it as N share sheets,\n"
             "                         any K of which rebuild it (2 <= K <= N <= 16; 3 of 5 is\n"
             "                         usual). Supervisors only. The sheets go to files with\n"
             "                         --out DIR (one per share, mode 0600; a folder that\n"
             "                         holds sheets already is refused, nothing is\n"
             "                         overwritten), or to standard output separated by form\n"
             "                         feeds when it is a pipe (to a printer) — never to the\n"
             "                         terminal, whose scrollback would keep them. Hand each\n"
             "                         sheet to a different supervisor.\n"
             "  --replace              when the vault has recovery shares already, a split\n"
             "                         makes every sheet of that set useless: on a terminal\n"
             "                         mnvault asks first; elsewhere say --replace.\n"
             "  restore --user NAME    read K share sheets from standard input, then ask for\n"
             "                         NAME's new password twice (or read it once from\n"
             "                         --password-fd N). NAME must change it at the next login.\n"
             "                         From a file or pipe the sheets may simply follow each\n"
             "                         other; on a terminal they are typed one after another\n"
             "                         without echo, and a mistyped group is named by its line\n"
             "                         and column.\n\n"
             "Exit status: 0 done, 1 refused (wrong or too few shares, password not accepted),\n"
             "2 usage or input/output error.\n"));
}

struct rec_opts {
    int n, k, replace;
    const char *out;
};

static int parse_count(const char *arg, int *v)
{
    char *end;
    errno = 0;
    long x = strtol(arg, &end, 10);
    if (errno || *end || end == arg || x < 1 || x > 255)
        return -1;
    *v = (int)x;
    return 0;
}

static int parse(struct cli_ctx *ctx, int argc, char **argv, struct rec_opts *o)
{
    const char *shares = NULL, *threshold = NULL;
    const struct cli_opt opts[] = {
        {"shares", &shares, NULL}, {"threshold", &threshold, NULL},
        {"out", &o->out, NULL},    {"replace", NULL, &o->replace},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, recovery_help);
    if (rc != CLI_OK)
        return rc < 0 ? rc : cli_usage_hint("recovery");
    const char *bad = shares && parse_count(shares, &o->n) < 0         ? "--shares"
                      : threshold && parse_count(threshold, &o->k) < 0 ? "--threshold"
                                                                       : NULL;
    if (bad) {
        cli_error(_("%s needs a whole number"), bad);
        return cli_usage_hint("recovery");
    }
    return CLI_OK;
}

/* Write all of p to standard output with write(2): no copy of a sheet in a stdio buffer. */
static int write_out(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Write every sheet: to stdout with form feeds between them, or one file each in dir. */
static int print_sheets(const struct share *sh, int n, const char *label, const char *dir)
{
    char *text = secmem_alloc(SHEET_SIZE);
    if (!text)
        return cli_fail(MNV_ERR_NOMEM, NULL);
    int rc = CLI_OK;
    for (int i = 0; i < n && rc == CLI_OK; i++) {
        if (shares_format(&sh[i], label, text, SHEET_SIZE) != 0) {
            rc = cli_fail(MNV_ERR_NOMEM, NULL);
            break;
        }
        if (!dir) {
            if ((i > 0 && write_out("\f", 1) != 0) || write_out(text, strlen(text)) != 0)
                rc = CLI_USAGE;
            continue;
        }
        char path[PATH_MAX], set[17];
        snprintf(set, sizeof(set), "%02x%02x%02x%02x%02x%02x%02x%02x", sh[i].set_id[0],
                 sh[i].set_id[1], sh[i].set_id[2], sh[i].set_id[3], sh[i].set_id[4],
                 sh[i].set_id[5], sh[i].set_id[6], sh[i].set_id[7]);
        snprintf(path, sizeof(path), "%s/share-%s-%d-of-%d.txt", dir, set, sh[i].index, n);
        struct mnv_diag diag;
        mnv_diag_clear(&diag);
        enum mnv_err err = fileio_write_atomic(path, text, strlen(text), 0600, &diag);
        if (err != MNV_OK)
            rc = cli_fail(err, &diag);
        else
            fprintf(stderr, _("Wrote %s\n"), path);
    }
    secmem_free(text);
    if (rc != CLI_OK)
        cli_error(_("the sheets could not all be written; the new recovery key is already in "
                    "place, so run 'mnvault recovery split' again"));
    return rc;
}

/* A share sheet already in dir (by its file name), or "": never written over. */
static int sheets_in(const char *dir, char *found, size_t size)
{
    DIR *d = opendir(dir);
    found[0] = '\0';
    if (!d)
        return errno == ENOENT ? 0 : -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && !found[0])
        if (strncmp(e->d_name, "share-", 6) == 0 && strstr(e->d_name, ".txt"))
            snprintf(found, size, "%s", e->d_name);
    closedir(d);
    return 0;
}

/* Where the sheets go: a folder without sheets, or a pipe; never the terminal. */
static int check_destination(const struct rec_opts *o)
{
    char found[256];
    if (!o->out && isatty(STDOUT_FILENO)) {
        cli_error(_("the sheets would stay on the terminal and in its scrollback: write them "
                    "to files with --out DIR, or pipe them to a printer (… | lp)"));
        return CLI_USAGE;
    }
    if (o->out && sheets_in(o->out, found, sizeof(found)) == 0 && found[0]) {
        cli_error(_("%s holds share sheets already (%s); they are never written over: move "
                    "them away or choose an empty folder"),
                  o->out, found);
        return CLI_BAD;
    }
    return CLI_OK;
}

/* A split replaces the vault's recovery set: asked on a terminal, else --replace. */
static int confirm_replace(struct cli_ctx *ctx, const struct rec_opts *o)
{
    char dir[PATH_MAX], answer[16];
    int rc = cli_data_dir(ctx, dir, sizeof(dir));
    if (rc != CLI_OK || o->replace || recovery_check_vault(dir, NULL, NULL) != MNV_OK)
        return rc;
    fprintf(stderr, _("This vault has recovery shares already. A new split makes every sheet "
                      "of that set useless: they no longer open the vault.\n"));
    long n = isatty(STDIN_FILENO) ? cli_ask(_("Replace them? [y/N] "), answer, sizeof(answer)) : -1;
    if (n > 0 && (answer[0] == 'y' || answer[0] == 'Y'))
        return CLI_OK;
    cli_error(n < 0 ? _("nothing was changed; to replace the recovery shares without being "
                        "asked, give --replace")
                    : _("nothing was changed"));
    return CLI_BAD;
}

static int do_split(struct cli_ctx *ctx, const struct rec_opts *o)
{
    if (!o->n || !o->k) {
        cli_error(_("give --shares N and --threshold K"));
        return cli_usage_hint("recovery");
    }
    if (o->k < 2 || o->n < o->k || o->n > SHARES_MAX) {
        cli_error(_("--threshold K and --shares N need 2 <= K <= N <= %d"), SHARES_MAX);
        return CLI_USAGE;
    }
    int rc = check_destination(o);
    if (rc == CLI_OK)
        rc = confirm_replace(ctx, o);
    if (rc != CLI_OK)
        return rc;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    if (o->out && fileio_mkdir_private(o->out, &diag) != MNV_OK)
        return cli_fail(MNV_ERR_IO, &diag);
    struct session *s;
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    struct share *sh = secmem_alloc(sizeof(struct share) * SHARES_MAX);
    if (!sh) {
        session_logout(s);
        return cli_fail(MNV_ERR_NOMEM, NULL);
    }
    enum mnv_err err = recovery_split(s, o->n, o->k, sh, &diag);
    if (err == MNV_OK) {
        fprintf(stderr,
                _("New recovery set %02X%02X %02X%02X %02X%02X %02X%02X: %d shares, %d needed. "
                  "Shares of earlier sets no longer open this vault.\n"),
                sh[0].set_id[0], sh[0].set_id[1], sh[0].set_id[2], sh[0].set_id[3], sh[0].set_id[4],
                sh[0].set_id[5], sh[0].set_id[6], sh[0].set_id[7], o->n, o->k);
        rc = print_sheets(sh, o->n, session_org(s), o->out);
    } else {
        rc = cli_fail(err, &diag);
    }
    secmem_free(sh);
    session_logout(s);
    return rc;
}

static int retryable(enum mnv_err err)
{
    return err == MNV_ERR_PW_SHORT || err == MNV_ERR_PW_LONG || err == MNV_ERR_PW_COMMON ||
           err == MNV_ERR_PW_DICTIONARY || err == MNV_ERR_PW_USERNAME || err == MNV_ERR_ENCODING;
}

/* Ask for the new password until the policy accepts it (three tries on a terminal). */
static int new_password(struct cli_ctx *ctx, struct recovery *r, const char *user)
{
    char *pw = cli_secret_new();
    if (!pw)
        return cli_fail(MNV_ERR_NOMEM, NULL);
    int rc = CLI_BAD;
    for (int tries = 0; tries < 3; tries++) {
        long n = cli_read_new_password(ctx, user, pw);
        if (n < 0) {
            rc = CLI_USAGE;
            break;
        }
        struct mnv_diag diag;
        mnv_diag_clear(&diag);
        enum mnv_err err = recovery_set_password(r, user, pw, (size_t)n, &diag);
        secmem_wipe(pw, CLI_SECRET_MAX);
        if (err == MNV_OK) {
            rc = CLI_OK;
            break;
        }
        if (err == MNV_ERR_PW_SHORT && diag.detail[0]) {
            cli_error(_("%s (at least %s characters)"), _(mnv_err_str(err)), diag.detail);
            rc = CLI_BAD;
        } else {
            rc = cli_fail(err, &diag);
        }
        if (ctx->password_fd >= 0 || !retryable(err))
            break;
    }
    secmem_free(pw);
    return rc;
}

static int do_restore(struct cli_ctx *ctx)
{
    if (!ctx->user) {
        cli_error(_("name the user who gets a new password with --user NAME"));
        return cli_usage_hint("recovery");
    }
    char dir[PATH_MAX];
    int rc = cli_data_dir(ctx, dir, sizeof(dir));
    if (rc != CLI_OK)
        return rc;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = recovery_check_vault(dir, ctx->user, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    struct share *sh = secmem_alloc(sizeof(struct share) * SHARES_MAX * 2);
    if (!sh)
        return cli_fail(MNV_ERR_NOMEM, NULL);
    int count = cli_read_shares(sh, SHARES_MAX * 2);
    struct recovery *r = NULL;
    struct session_options so;
    session_options_from_config(&so, &ctx->cfg);
    err = count > 0 ? recovery_open(dir, sh, count, &so, &r, &diag) : MNV_OK;
    int has_totp = 0;
    if (count > 0 && err == MNV_OK)
        err = recovery_check_user(r, ctx->user, &has_totp, &diag);
    if (count <= 0) {
        rc = CLI_BAD;
    } else if (err == MNV_ERR_SHARES_FEW || err == MNV_ERR_SHARES_MIXED ||
               err == MNV_ERR_SHARES_BAD) {
        cli_shares_error(err, sh, count);
        rc = CLI_BAD;
    } else if (err != MNV_OK) {
        rc = cli_fail(err, &diag);
    }
    secmem_free(sh);
    if (rc == CLI_OK) {
        fprintf(stderr, _("The recovery shares open the vault (set %s).\n"), recovery_set_hex(r));
        rc = new_password(ctx, r, ctx->user);
    }
    if (rc == CLI_OK)
        printf(_("%s has a new password, set with recovery shares; the lockout was cleared.\n"
                 "%s must choose another password at the next login. The recovery was\n"
                 "recorded in the audit log.\n"),
               ctx->user, ctx->user);
    recovery_close(r);
    return rc;
}

int cmd_recovery(struct cli_ctx *ctx, int argc, char **argv)
{
    struct rec_opts o = {0};
    int rc = parse(ctx, argc, argv, &o);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if (optind >= argc) {
        cli_error(_("name what to do: split or restore"));
        return cli_usage_hint("recovery");
    }
    const char *what = argv[optind];
    if (optind + 1 < argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind + 1]);
        return cli_usage_hint("recovery");
    }
    if (strcmp(what, "split") == 0)
        return do_split(ctx, &o);
    if (strcmp(what, "restore") == 0) {
        if (o.n || o.k || o.out || o.replace) {
            cli_error(_("restore takes no --shares, --threshold, --out or --replace"));
            return cli_usage_hint("recovery");
        }
        return do_restore(ctx);
    }
    cli_error(_("unknown recovery command '%s'"), what);
    return cli_usage_hint("recovery");
}
