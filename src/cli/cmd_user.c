/*
 * cmd_user.c: `mnvault user add|list|disable|enable|passwd|reset|unlock|window|totp|role|
 * approve`, the application's users for scripts. Each command signs in as --user first; the
 * services decide what that user's role may do.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/accounts.h"
#include "mnvault/adminview.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/keyroles.h"
#include "mnvault/qrtext.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"

static void user_help(void)
{
    printf(_("Usage: mnvault user COMMAND [NAME] [OPTIONS]\n"
             "Manage the users of the vault. Every command signs in as --user first.\n\n"
             "  add NAME --role ROLE   add a user (administrators); ROLE is clerk, supervisor,\n"
             "                         auditor or admin. Prints a one-time password that must\n"
             "                         be changed at the first login, unless\n"
             "                         --new-password-fd N gives the first password\n"
             "  list                   list the users, their roles and states\n"
             "  disable NAME           stop NAME from logging in (administrators); the keys\n"
             "                         NAME could open are replaced\n"
             "  enable NAME            let NAME log in again, with a new one-time password\n"
             "  passwd                 change your own password\n"
             "  reset NAME             give NAME a new one-time password (administrators)\n"
             "  role NAME --role ROLE  change NAME's role (administrators)\n"
             "  approve NAME --code CODE\n"
             "                         let a new or reset clerk or supervisor use My Numbers\n"
             "                         (supervisors: gives them the number key). CODE is the\n"
             "                         code NAME was shown after choosing their password\n"
             "  unlock NAME            end NAME's lockout after failed logins\n"
             "                         (supervisors and administrators)\n"
             "  window NAME            set when NAME may log in (administrators)\n"
             "  timezone [ZONE]        show, or set (administrators), the organisation's time\n"
             "                         zone, e.g. Asia/Tokyo: access windows and last valid\n"
             "                         days are read in it, whatever the computer's TZ says\n"
             "  totp                   set up an authenticator app for yourself\n"
             "  totp --remove [NAME]   remove it (yours, or NAME's as an administrator)\n\n"
             "Options of add and window:\n"
             "  --display-name TEXT    the person's name as shown (add only)\n"
             "  --days DAYS            weekdays, e.g. mon-fri, mon,wed,fri or all\n"
             "  --hours HH:MM-HH:MM    hours of the day, or all\n"
             "  --valid-until DATE     last day the account works (YYYY-MM-DD), or none\n\n"
             "Passwords are read from --password-fd N (one per line: yours, then a\n"
             "confirmation code if you use an authenticator app, then a new password) or\n"
             "typed on the terminal without echo.\n\n"
             "Exit status: 0 done, 1 refused, 2 usage or input/output error.\n"));
}

struct user_opts {
    const char *role, *display, *days, *hours, *until, *code;
    int new_pw_fd;
    int remove;
};

static int parse(struct cli_ctx *ctx, int argc, char **argv, struct user_opts *u)
{
    const char *new_fd = NULL;
    const struct cli_opt opts[] = {
        {"role", &u->role, NULL},
        {"display-name", &u->display, NULL},
        {"days", &u->days, NULL},
        {"hours", &u->hours, NULL},
        {"valid-until", &u->until, NULL},
        {"new-password-fd", &new_fd, NULL},
        {"remove", NULL, &u->remove},
        {"code", &u->code, NULL},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, user_help);
    if (rc != CLI_OK)
        return rc < 0 ? rc : cli_usage_hint("user");
    if (new_fd) {
        char *end;
        long fd = strtol(new_fd, &end, 10);
        if (*end || end == new_fd || fd < 0 || fd > 1024) {
            cli_error(_("--new-password-fd needs a file descriptor number"));
            return cli_usage_hint("user");
        }
        u->new_pw_fd = (int)fd;
    }
    return CLI_OK;
}

/* The window options over u's current window (or the defaults). */
static int window_opts(const struct user_opts *o, unsigned *days, int *start, int *end,
                       const char **until)
{
    if (o->days && accounts_parse_days(o->days, days) != MNV_OK) {
        cli_error(_("--days: %s"), _(mnv_err_str(MNV_ERR_WINDOW_FORMAT)));
        return -1;
    }
    if (o->hours && accounts_parse_hours(o->hours, start, end) != MNV_OK) {
        cli_error(_("--hours: %s"), _(mnv_err_str(MNV_ERR_WINDOW_FORMAT)));
        return -1;
    }
    if (o->until)
        *until = strcmp(o->until, "none") == 0 ? "" : o->until;
    return 0;
}

static void print_otp(const char *name, const char *otp)
{
    printf(_("One-time password for %s (hand it over in person; it must be changed at the "
             "first login):\n"),
           name);
    printf("%s\n", otp);
}

/* A clerk or supervisor an administrator made or reset waits for a supervisor. */
static void note_pending(struct session *s, const char *name)
{
    if (keyroles_account_state(s, name) == KEYROLES_PENDING)
        printf(_("A supervisor must approve %s before they can use My Numbers: once %s has chosen "
                 "a password, with the code %s is then shown (mnvault user approve %s --code "
                 "CODE).\n"),
               name, name, name, name);
}

static int do_add(struct session *s, const char *name, const struct user_opts *o)
{
    struct account_spec spec;
    enum mnv_role role = o->role ? role_parse(o->role) : ROLE_NONE;
    if (role == ROLE_NONE) {
        cli_error("%s", _(mnv_err_str(MNV_ERR_ROLE)));
        return CLI_USAGE;
    }
    accounts_spec_init(&spec, name, role);
    spec.display_name = o->display;
    if (window_opts(o, &spec.win_days, &spec.win_start, &spec.win_end, &spec.valid_until) < 0)
        return CLI_USAGE;
    char *pw = NULL, *otp = secmem_alloc(ACCOUNTS_OTP_SIZE);
    long n = 0;
    if (!otp)
        return cli_fail(MNV_ERR_NOMEM, NULL);
    if (o->new_pw_fd >= 0) {
        struct cli_ctx fdctx = {.password_fd = o->new_pw_fd};
        pw = cli_secret_new();
        n = pw ? cli_read_secret(&fdctx, "", 0, pw) : -1;
        if (n < 0) {
            secmem_free(pw);
            secmem_free(otp);
            return CLI_USAGE;
        }
    }
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = accounts_add(s, &spec, pw, (size_t)n, otp, &diag);
    secmem_free(pw);
    if (err == MNV_OK)
        note_pending(s, name);
    if (err == MNV_OK && otp[0])
        print_otp(name, otp);
    else if (err == MNV_OK)
        printf(_("Added %s; the password given must be changed at the first login.\n"), name);
    secmem_free(otp);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

static int do_list(struct session *s)
{
    struct user_rec *users;
    int64_t *locked;
    size_t n;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = accounts_list(s, &users, &locked, &n, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf("%-16s %-11s %-26s %-5s %-26s %s\n", _("NAME"), _("ROLE"), _("STATE"), _("TOTP"),
           _("WINDOW"), _("DISPLAY NAME"));
    for (size_t i = 0; i < n; i++) {
        char state[64], window[96];
        printf("%-16s %-11s %-26s %-5s %-26s %s\n", users[i].name, role_name(users[i].role),
               adminview_user_state(s, &users[i], locked[i], state, sizeof(state)),
               users[i].has_totp ? _("yes") : _("no"),
               accounts_format_window(window, sizeof(window), &users[i]), users[i].display_name);
    }
    free(users);
    free(locked);
    return CLI_OK;
}

static int do_passwd(struct cli_ctx *ctx, struct session *s, const char *old, long old_len,
                     int must_change)
{
    char *pw = cli_secret_new();
    if (!pw)
        return cli_fail(MNV_ERR_NOMEM, NULL);
    long n = cli_read_new_password(ctx, session_user(s), pw);
    if (n < 0) {
        secmem_free(pw);
        return CLI_USAGE;
    }
    struct login_info info;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err =
        session_change_password(s, must_change ? NULL : old, must_change ? 0 : (size_t)old_len, pw,
                                (size_t)n, &info, &diag);
    secmem_free(pw);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(_("The password of %s was changed.\n"), session_user(s));
    cli_approval_code(s);
    return CLI_OK;
}

static int do_reset(struct session *s, const char *name)
{
    char *otp = secmem_alloc(ACCOUNTS_OTP_SIZE);
    if (!otp)
        return cli_fail(MNV_ERR_NOMEM, NULL);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = accounts_reset_password(s, name, otp, &diag);
    if (err == MNV_OK)
        print_otp(name, otp);
    if (err == MNV_OK)
        note_pending(s, name);
    secmem_free(otp);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

/* Enabling gives a new one-time password: disabling removed the key slot. */
static int do_enable(struct session *s, const char *name)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = accounts_set_disabled(s, name, 0, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(_("%s is enabled.\n"), name);
    return do_reset(s, name);
}

static int do_approve(struct session *s, const char *name, const struct user_opts *o)
{
    if (!o->code) {
        cli_error(_("approve needs --code: the code %s was shown after choosing a password"), name);
        return CLI_USAGE;
    }
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = keyroles_approve(s, name, o->code, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(_("%s may now use My Numbers.\n"), name);
    return CLI_OK;
}

static int do_role(struct session *s, const char *name, const struct user_opts *o)
{
    enum mnv_role role = o->role ? role_parse(o->role) : ROLE_NONE;
    if (role == ROLE_NONE) {
        cli_error("%s", _(mnv_err_str(MNV_ERR_ROLE)));
        return CLI_USAGE;
    }
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = accounts_set_role(s, name, role, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(_("%s is now %s.\n"), name, role_name(role));
    note_pending(s, name);
    return CLI_OK;
}

static int do_window(struct session *s, const char *name, const struct user_opts *o)
{
    struct user_rec *users;
    size_t n;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = accounts_list(s, &users, NULL, &n, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    struct user_rec u;
    int found = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(users[i].name, name) == 0) {
            u = users[i];
            found = 1;
        }
    free(users);
    if (!found)
        return cli_fail(MNV_ERR_USER_NOT_FOUND, NULL);
    const char *until = u.valid_until;
    if (window_opts(o, &u.win_days, &u.win_start, &u.win_end, &until) < 0)
        return CLI_USAGE;
    err = accounts_set_window(s, name, u.win_days, u.win_start, u.win_end, until, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    char text[96];
    snprintf(u.valid_until, sizeof(u.valid_until), "%s", until);
    printf(_("%s may log in: %s\n"), name, accounts_format_window(text, sizeof(text), &u));
    return CLI_OK;
}

static void print_qr(const char *uri)
{
    struct qrtext q;
    if (!isatty(STDOUT_FILENO) || qrtext_new(uri, &q) != MNV_OK)
        return;
    for (int i = 0; i < q.height; i++)
        printf("%s\n", q.lines[i]);
    qrtext_free(&q);
}

static int do_totp(struct cli_ctx *ctx, struct session *s)
{
    unsigned char *secret = secmem_alloc(TOTP_SECRET_LEN);
    char *b32 = secmem_alloc(TOTP_BASE32_SIZE), *uri = secmem_alloc(512);
    char *code = cli_secret_new();
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = (secret && b32 && uri && code) ? MNV_OK : MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = accounts_totp_begin(s, secret, b32, uri, 512, &diag);
    if (err == MNV_OK) {
        printf(_("Scan this code with the authenticator app, or type the secret in it:\n"));
        print_qr(uri);
        printf(_("Secret (base32): %s\n"), b32);
        fflush(stdout);
        if (cli_read_secret(ctx, _("Code shown by the app: "), 1, code) < 0)
            err = MNV_ERR_USAGE;
    }
    if (err == MNV_OK)
        err = accounts_totp_confirm(s, secret, code, &diag);
    secmem_free(secret);
    secmem_free(b32);
    secmem_free(uri);
    secmem_free(code);
    if (err == MNV_ERR_USAGE)
        return CLI_USAGE;
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(_("The authenticator app is set up: from now on, logging in asks for its code.\n"));
    return CLI_OK;
}

/* Commands that act on a named user through one service call. The formats are the
 * catalogue's checked translations of literal formats (msgfmt --check). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int do_simple(struct session *s, const char *sub, const char *name)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err;
    const char *done;
    if (strcmp(sub, "disable") == 0) {
        err = accounts_set_disabled(s, name, 1, &diag);
        done = _("%s is disabled.\n");
    } else if (strcmp(sub, "unlock") == 0) {
        err = accounts_unlock(s, name, &diag);
        done = _("%s is unlocked.\n");
    } else {
        err = accounts_totp_remove(s, name, &diag);
        done = _("The authenticator app of %s is removed; a new password is needed at the "
                 "next login.\n");
    }
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(done, name);
    return CLI_OK;
}
#pragma GCC diagnostic pop

static int do_timezone(struct session *s, const char *zone)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    char now[CLOCK_ZONE_MAX + 1];
    enum mnv_err err =
        zone ? setup_set_timezone(s, zone, &diag) : setup_get_timezone(s, now, sizeof(now));
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    if (zone)
        printf(_("The organisation's time zone is now %s: access windows and last valid days "
                 "are read in it.\n"),
               zone);
    else
        printf(_("The organisation's time zone: %s\n"), now);
    return CLI_OK;
}

static const struct {
    const char *name;
    int wants_name; /* 1 required, 0 none, 2 optional, 3 an optional argument */
} subs[] = {{"add", 1},    {"list", 0},  {"disable", 1}, {"enable", 1},
            {"passwd", 0}, {"reset", 1}, {"unlock", 1},  {"window", 1},
            {"totp", 2},   {"role", 1},  {"approve", 1}, {"timezone", 3}};

static int run(struct cli_ctx *ctx, const char *sub, const char *name, const struct user_opts *o)
{
    struct session *s;
    int must_change = 0;
    int is_passwd = strcmp(sub, "passwd") == 0;
    char *old = is_passwd ? cli_secret_new() : NULL;
    long old_len = 0;
    int rc = cli_login(ctx, &s, is_passwd, &must_change, old, &old_len);
    if (rc != CLI_OK) {
        secmem_free(old);
        return rc;
    }
    if (strcmp(sub, "add") == 0)
        rc = do_add(s, name, o);
    else if (strcmp(sub, "list") == 0)
        rc = do_list(s);
    else if (is_passwd)
        rc = do_passwd(ctx, s, old, old_len, must_change);
    else if (strcmp(sub, "reset") == 0)
        rc = do_reset(s, name);
    else if (strcmp(sub, "enable") == 0)
        rc = do_enable(s, name);
    else if (strcmp(sub, "role") == 0)
        rc = do_role(s, name, o);
    else if (strcmp(sub, "window") == 0)
        rc = do_window(s, name, o);
    else if (strcmp(sub, "totp") == 0 && !o->remove)
        rc = do_totp(ctx, s);
    else if (strcmp(sub, "approve") == 0)
        rc = do_approve(s, name, o);
    else if (strcmp(sub, "timezone") == 0)
        rc = do_timezone(s, name);
    else
        rc = do_simple(s, sub, name ? name : session_user(s));
    secmem_free(old);
    session_logout(s);
    return rc;
}

int cmd_user(struct cli_ctx *ctx, int argc, char **argv)
{
    struct user_opts o = {.new_pw_fd = -1};
    int rc = parse(ctx, argc, argv, &o);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if (optind >= argc) {
        cli_error(_("name a user command: add, list, disable, enable, passwd, reset, unlock, "
                    "window, timezone, totp, role or approve"));
        return cli_usage_hint("user");
    }
    const char *sub = argv[optind++];
    int wants = -1;
    for (size_t i = 0; i < MNV_ARRAY_LEN(subs); i++)
        if (strcmp(subs[i].name, sub) == 0)
            wants = subs[i].wants_name;
    if (wants < 0) {
        cli_error(_("unknown user command '%s'"), sub);
        return cli_usage_hint("user");
    }
    const char *name = optind < argc ? argv[optind++] : NULL;
    if ((wants == 1 && !name) || (wants == 0 && name) || optind < argc ||
        (wants == 2 && name && !o.remove)) {
        cli_error(_("wrong arguments for 'mnvault user %s'"), sub);
        return cli_usage_hint("user");
    }
    return run(ctx, sub, name, &o);
}
