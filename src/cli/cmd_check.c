/*
 * cmd_check.c: `mnvault check` reads candidate numbers from standard input, one per line,
 * and says for each whether it is a valid individual (or, with --corporate, corporate)
 * number. Never from argv: the command line shows in `ps` and in shell history.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/i18n.h"
#include "mnvault/mynumber.h"
#include "mnvault/secmem.h"

#define CHECK_LINE_MAX 1024

static void check_help(void)
{
    printf(_("Usage: mnvault check [--corporate] < FILE\n"
             "Check My Numbers read from standard input, one per line.\n\n"
             "For each line it prints the line number, the masked number and either \"valid\"\n"
             "or the reason it is not: empty, too few or too many digits, a character that\n"
             "is not a digit, or a wrong check digit. Digits may be ASCII or full-width, with\n"
             "spaces or hyphens between groups. On a terminal, what you type is not shown.\n\n"
             "  --corporate   check 13-digit corporate numbers (法人番号) instead\n"
             "  -h, --help    show this help\n\n"
             "Exit status: 0 every line is valid, 1 some line is not, 2 usage or read error.\n"));
}

/* Asterisks in groups of four for n digits (n <= 16), so no digit of a bad entry shows. */
static void mask_shape(char *buf, size_t size, size_t n)
{
    size_t o = 0;
    if (n == 0) {
        snprintf(buf, size, "-");
        return;
    }
    if (n > 16)
        n = 16;
    for (size_t i = 0; i < n && o + 2 < size; i++) {
        if (i > 0 && (n - i) % 4 == 0)
            buf[o++] = ' ';
        buf[o++] = '*';
    }
    buf[o] = '\0';
}

/* Translated formats, looked up once: gettext per line would dominate the run time. They
 * are the catalogue's checked translations of literal formats (msgfmt --check compares the
 * conversions), so the non-literal format warning is switched off for this file. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
struct check_text {
    const char *valid;   /* "line %ld: %s  valid\n" */
    const char *invalid; /* "line %ld: %s  invalid: %s\n" */
};

/* One line: print its verdict; returns 1 when valid. */
static int check_one(const struct cli_ctx *ctx, const struct check_text *tx, long lineno,
                     const char *text, size_t len, enum mynumber_kind kind)
{
    struct mynumber num;
    struct mnv_diag diag;
    char masked[MYNUMBER_FORMAT_SIZE], reason[600];

    mnv_diag_clear(&diag);
    enum mnv_err err = mynumber_parse(&num, kind, text, len, &diag);
    if (err == MNV_OK) {
        mynumber_format_masked(masked, kind, ctx->cfg.mask, num.digits + num.len - 4);
        mynumber_clear(&num);
        printf(tx->valid, lineno, masked);
        return 1;
    }
    mask_shape(masked, sizeof(masked), mynumber_digit_count(text, len));
    const char *msg = _(mnv_err_str(err));
    switch (err) {
    case MNV_ERR_NUM_SHORT:
    case MNV_ERR_NUM_LONG:
    case MNV_ERR_CORP_SHORT:
    case MNV_ERR_CORP_LONG:
        snprintf(reason, sizeof(reason), _("%s (found %s)"), msg, diag.detail);
        break;
    case MNV_ERR_NUM_CHAR:
        if (diag.detail[0])
            snprintf(reason, sizeof(reason), _("%s: \"%s\" at character %ld"), msg, diag.detail,
                     diag.column);
        else
            snprintf(reason, sizeof(reason), _("%s: at character %ld"), msg, diag.column);
        break;
    default:
        snprintf(reason, sizeof(reason), "%s", msg);
        break;
    }
    printf(tx->invalid, lineno, masked, reason);
    return 0;
}

int cmd_check(struct cli_ctx *ctx, int argc, char **argv)
{
    int corporate = 0;
    const struct cli_opt opts[] = {{"corporate", NULL, &corporate}, {NULL, NULL, NULL}};
    int rc = cli_parse_opts(ctx, argc, argv, opts, check_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("check");
    enum mynumber_kind kind = corporate ? MYNUMBER_CORPORATE : MYNUMBER_INDIVIDUAL;
    if (optind < argc) {
        cli_error(_("numbers are read from standard input, never from the command line"));
        return cli_usage_hint("check");
    }
    rc = cli_load_config(ctx);
    if (rc != CLI_OK)
        return rc;

    char *line = secmem_alloc(CHECK_LINE_MAX);
    if (!line) {
        cli_error("%s", _(mnv_err_str(MNV_ERR_NOMEM)));
        return CLI_USAGE;
    }
    int hidden = cli_tty_noecho(STDIN_FILENO);
    if (hidden)
        fprintf(stderr, _("Type one number per line (not shown); Ctrl-D to finish.\n"));

    const struct check_text tx = {_("line %ld: %s  valid\n"), _("line %ld: %s  invalid: %s\n")};
    long lineno = 0, bad = 0;
    int read_error = 0;
    for (;;) {
        long n = cli_read_line(stdin, line, CHECK_LINE_MAX);
        if (n == -1)
            break;
        if (n == -2) {
            read_error = 1;
            break;
        }
        lineno++;
        if (n == -3) {
            printf(tx.invalid, lineno, "-", _(mnv_err_str(MNV_ERR_TOO_LONG)));
            bad++;
            continue;
        }
        const char *text = line;
        size_t len = (size_t)n;
        if (lineno == 1 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
            text += 3; /* a byte-order mark from a Windows editor */
            len -= 3;
        }
        if (!check_one(ctx, &tx, lineno, text, len, kind))
            bad++;
        secmem_wipe(line, (size_t)n + 1);
    }
    if (hidden)
        cli_tty_restore();
    secmem_free(line);
    if (read_error) {
        cli_error(_("cannot read standard input"));
        return CLI_USAGE;
    }
    return bad ? CLI_BAD : CLI_OK;
}
