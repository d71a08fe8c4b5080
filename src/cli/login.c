/*
 * login.c: what the vault commands share (cli layer): the vault's folder, signing in with
 * the password (and code) from --password-fd or the terminal, and errors in words with
 * the exit status that goes with them.
 */
#include "cli.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "mnvault/i18n.h"
#include "mnvault/paths.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"

int cli_exit_for(enum mnv_err err)
{
    switch (err) {
    case MNV_OK:
        return CLI_OK;
    case MNV_ERR_USAGE:
    case MNV_ERR_IO:
    case MNV_ERR_SYSTEM:
    case MNV_ERR_NOMEM:
    case MNV_ERR_DB_NOMEM:
    case MNV_ERR_TOO_LONG:
    case MNV_ERR_DB_BUSY:
    case MNV_ERR_DB_OPEN:
        return CLI_USAGE;
    default:
        return CLI_BAD;
    }
}

int cli_fail(enum mnv_err err, const struct mnv_diag *diag)
{
    const char *msg = _(mnv_err_str(err));
    if (err == MNV_ERR_AUDIT_BROKEN && diag && diag->line > 0)
        cli_error(_("audit entry %ld: %s"), diag->line, msg);
    else if (diag && diag->item[0] && err == MNV_ERR_DENIED)
        cli_error("%s (%s)", msg, diag->item);
    else if (diag && diag->item[0])
        cli_error("%s: %s", diag->item, msg);
    else if (diag && diag->saved_errno && diag->where[0])
        cli_error("%s: %s (%s)", diag->where, msg, strerror(diag->saved_errno));
    else if (diag && err == MNV_ERR_DB && diag->detail[0])
        cli_error("%s (%s)", msg, diag->detail);
    else if (diag && diag->where[0] &&
             (err == MNV_ERR_KEYFILE_DAMAGED || err == MNV_ERR_DB_MISSING || err == MNV_ERR_DB_KEY))
        cli_error("%s: %s", diag->where, msg);
    else
        cli_error("%s", msg);
    return cli_exit_for(err);
}

void cli_keyfile_late(void)
{
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = session_keyfile_late(&d);
    if (err == MNV_OK)
        return;
    char why[512];
    cli_describe(why, sizeof(why), err, &d);
    cli_error(_("warning: the key file is behind the vault: it could not be written after a "
                "change was saved (%s). The next sign-in brings it up to date from the vault; "
                "check the disk and its free space now."),
              why);
}

int cli_data_dir(struct cli_ctx *ctx, char *buf, size_t size)
{
    if (cli_load_config(ctx) != CLI_OK)
        return CLI_USAGE;
    if (paths_vault_dir(ctx->data_dir, ctx->cfg.data_dir, buf, size) < 0) {
        cli_error(_("cannot tell where the vault is: use --data-dir DIR"));
        return CLI_USAGE;
    }
    return CLI_OK;
}

static void login_failed(enum mnv_err err, const struct login_info *info,
                         const struct mnv_diag *diag)
{
    const char *msg = _(mnv_err_str(err));
    if (err == MNV_ERR_LOCKED && info->wait_seconds > 0) {
        long min = (info->wait_seconds + 59) / 60;
        cli_error(ngettext("%s; try again in %ld minute, or ask a supervisor to unlock it",
                           "%s; try again in %ld minutes, or ask a supervisor to unlock it",
                           (unsigned long)min),
                  msg, min);
    } else if ((err == MNV_ERR_LOGIN_FAILED || err == MNV_ERR_TOTP_WRONG ||
                err == MNV_ERR_TOTP_REPLAY) &&
               info->attempts_left > 0) {
        cli_error(ngettext("%s (%d more failure locks the account)",
                           "%s (%d more failures lock the account)",
                           (unsigned long)info->attempts_left),
                  msg, info->attempts_left);
    } else {
        (void)cli_fail(err, diag);
    }
}

/* The TOTP step: one code from --password-fd, or up to three typed on the terminal. */
static enum mnv_err second_factor(struct cli_ctx *ctx, struct session *s, struct login_info *info,
                                  struct mnv_diag *diag)
{
    char *code = cli_secret_new();
    if (!code)
        return MNV_ERR_NOMEM;
    enum mnv_err err = MNV_ERR_TOTP_NEEDED;
    for (int tries = 0; tries < 3; tries++) {
        if (cli_read_secret(ctx, _("Confirmation code from the authenticator app: "), 1, code) <
            0) {
            err = MNV_ERR_TOTP_NEEDED;
            break;
        }
        mnv_diag_clear(diag);
        err = session_login_totp(s, code, info, diag);
        if (ctx->password_fd >= 0 || (err != MNV_ERR_TOTP_WRONG && err != MNV_ERR_TOTP_REPLAY))
            break;
        login_failed(err, info, diag);
    }
    secmem_free(code);
    return err;
}

int cli_login(struct cli_ctx *ctx, struct session **s, int allow_change, int *must_change,
              char *keep, long *keep_len)
{
    *s = NULL;
    if (must_change)
        *must_change = 0;
    char dir[PATH_MAX], name[64];
    int rc = cli_data_dir(ctx, dir, sizeof(dir));
    if (rc != CLI_OK)
        return rc;
    const char *user = ctx->user;
    if (!user) {
        if (ctx->password_fd >= 0 || cli_ask(_("User name: "), name, sizeof(name)) <= 0) {
            cli_error(_("name the user with --user NAME"));
            return CLI_USAGE;
        }
        user = name;
    }
    char *pw = cli_secret_new(), prompt[160];
    if (!pw)
        return cli_fail(MNV_ERR_NOMEM, NULL);
    snprintf(prompt, sizeof(prompt), _("Password for %s: "), user);
    long n = cli_read_secret(ctx, prompt, 0, pw);
    if (n < 0) {
        secmem_free(pw);
        return CLI_USAGE;
    }
    struct session_options o;
    struct login_info info;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    session_options_from_config(&o, &ctx->cfg);
    enum mnv_err err = session_login(dir, user, pw, (size_t)n, &o, s, &info, &diag);
    if (keep && keep_len) {
        memcpy(keep, pw, CLI_SECRET_MAX);
        *keep_len = n;
    }
    secmem_free(pw);
    if (err == MNV_ERR_TOTP_NEEDED)
        err = second_factor(ctx, *s, &info, &diag);
    if ((err == MNV_OK || err == MNV_ERR_MUST_CHANGE) && session_pending(*s)) {
        fprintf(stderr, "mnvault: %s\n",
                _("your account waits for a supervisor's approval: until then My Numbers can "
                  "be neither shown nor stored"));
        cli_approval_code(*s);
    }
    if (err == MNV_OK || err == MNV_ERR_MUST_CHANGE)
        (void)setup_demo_marks(*s); /* a demo vault: every PDF says so */
    if (err == MNV_ERR_MUST_CHANGE && allow_change) {
        *must_change = 1;
        return CLI_OK;
    }
    if (err == MNV_ERR_MUST_CHANGE)
        cli_error(_("the password of %s was set by an administrator and must be changed "
                    "first: run 'mnvault user passwd'"),
                  user);
    else if (err != MNV_OK)
        login_failed(err, &info, &diag);
    if (err != MNV_OK) {
        session_logout(*s);
        *s = NULL;
        return err == MNV_ERR_MUST_CHANGE ? CLI_BAD : cli_exit_for(err);
    }
    return CLI_OK;
}

void cli_approval_code(struct session *s)
{
    char code[KEYRING_CODE_SIZE];
    if (session_approval_code(s, code) == 0)
        fprintf(stderr,
                _("mnvault: tell the supervisor who approves you this code, in person or "
                  "by a way you trust: %s\n"),
                code);
}
