#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/i18n.h"
#include "mnvault/textsafe.h"

void cli_error(const char *fmt, ...)
{
    /* Names from people and files reach here through %s: whatever the caller did, no
     * control or bidirectional character reaches the terminal (text cli_describe()
     * escaped is left as it is: backslashes are kept). */
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    fputs("mnvault: ", stderr);
    textsafe_fputs(text, TEXTSAFE_KEEP_BACKSLASH, stderr);
    fputc('\n', stderr);
}

int cli_usage_hint(const char *cmd)
{
    if (cmd)
        fprintf(stderr, _("Try 'mnvault %s --help'.\n"), cmd);
    else
        fputs(_("Try 'mnvault --help'.\n"), stderr);
    return CLI_USAGE;
}

int cli_parse_long(const char *arg, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(arg, &end, 10);
    if (errno || *end || end == arg || v < min || v > max || arg[0] == '+' || arg[0] == ' ')
        return -1;
    *out = v;
    return 0;
}

static int parse_fd(const char *arg, int *fd)
{
    long v;
    if (cli_parse_long(arg, 0, INT_MAX, &v) < 0)
        return -1;
    *fd = (int)v;
    return 0;
}

int cli_common_option(struct cli_ctx *ctx, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_DATA_DIR:
        if (!arg || !*arg) {
            cli_error(_("--data-dir needs a folder name"));
            return -1;
        }
        ctx->data_dir = arg;
        return 1;
    case CLI_OPT_USER:
        if (!arg || !*arg) {
            cli_error(_("--user needs a user name"));
            return -1;
        }
        ctx->user = arg;
        return 1;
    case CLI_OPT_PASSWORD_FD:
        if (parse_fd(arg, &ctx->password_fd) < 0) {
            cli_error(_("--password-fd needs a file descriptor number, not \"%s\""), arg);
            return -1;
        }
        return 1;
    case CLI_OPT_CONFIG:
        ctx->config_path = arg;
        return 1;
    default:
        return 0;
    }
}

enum { CLI_OPT_OWN = 0x2000 }; /* getopt's value for opts[i]: CLI_OPT_OWN + i */

int cli_parse_opts(struct cli_ctx *ctx, int argc, char **argv, const struct cli_opt *opts,
                   void (*help)(void))
{
    static const struct option common[] = {CLI_COMMON_LONGOPTS};
    struct option longopts[MNV_ARRAY_LEN(common) + CLI_OPTS_MAX + 1];
    size_t nc = MNV_ARRAY_LEN(common), n = 0;
    memcpy(longopts, common, sizeof(common));
    for (; opts && opts[n].name && n < CLI_OPTS_MAX; n++)
        longopts[nc + n] =
            (struct option){opts[n].name, opts[n].text ? required_argument : no_argument, NULL,
                            CLI_OPT_OWN + (int)n};
    longopts[nc + n] = (struct option){NULL, 0, NULL, 0};
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        int r = cli_common_option(ctx, opt, optarg);
        if (r < 0)
            return CLI_USAGE;
        if (r > 0)
            continue;
        if (opt == 'h') {
            help();
            return -1;
        }
        if (opt < CLI_OPT_OWN || opt >= CLI_OPT_OWN + (int)n) {
            cli_error(_("unknown option '%s'"), argv[optind - 1]);
            return CLI_USAGE;
        }
        const struct cli_opt *o = &opts[opt - CLI_OPT_OWN];
        if (o->text)
            *o->text = optarg;
        else
            *o->flag = 1;
    }
    return CLI_OK;
}

char *cli_describe(char *buf, size_t size, enum mnv_err err, const struct mnv_diag *diag)
{
    const char *msg = _(mnv_err_str(err));
    char place[1100] = "";
    /* The diag's texts may come from a file or a person (a file name, a CSV header). */
    char where[sizeof(diag->where) * 2], item[sizeof(diag->item) * 2];
    char detail[sizeof(diag->detail) * 2];
    if (diag) {
        textsafe_escape(where, sizeof(where), diag->where);
        textsafe_escape(item, sizeof(item), diag->item);
        textsafe_escape(detail, sizeof(detail), diag->detail);
    }

    if (diag && diag->where[0] && diag->line > 0)
        snprintf(place, sizeof(place), _("%s, line %ld: "), where, diag->line);
    else if (diag && diag->where[0])
        snprintf(place, sizeof(place), "%s: ", where);

    if (!diag) {
        snprintf(buf, size, "%s", msg);
    } else if (err <= MNV_ERR_CONFIG_SYNTAX && err >= MNV_ERR_CONFIG_BOM && diag->item[0]) {
        /* "[section] key" reads the way the file is written. */
        char key[sizeof(item) + 4];
        const char *dot = strchr(item, '.');
        if (dot)
            snprintf(key, sizeof(key), "[%.*s] %s", (int)(dot - item), item, dot + 1);
        else
            snprintf(key, sizeof(key), "%s", item);
        if (diag->detail[0])
            snprintf(buf, size, _("%s%s: %s (allowed: %s)"), place, key, msg, detail);
        else
            snprintf(buf, size, "%s%s: %s", place, key, msg);
    } else if (diag->saved_errno) {
        snprintf(buf, size, "%s%s (%s)", place, msg, strerror(diag->saved_errno));
    } else {
        snprintf(buf, size, "%s%s", place, msg);
    }
    return buf;
}

static void config_warning(void *ud, enum mnv_err code, const struct mnv_diag *diag)
{
    (void)ud;
    char text[1200];
    fprintf(stderr, _("mnvault: warning: %s\n"), cli_describe(text, sizeof(text), code, diag));
}

int cli_load_config(struct cli_ctx *ctx)
{
    if (ctx->config_loaded)
        return CLI_OK;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = config_load(&ctx->cfg, ctx->config_path, config_warning, NULL, &diag);
    if (err != MNV_OK) {
        char text[1200];
        cli_error("%s", cli_describe(text, sizeof(text), err, &diag));
        return CLI_USAGE;
    }
    i18n_set_language(ctx->cfg.language);
    ctx->config_loaded = 1;
    return CLI_OK;
}
