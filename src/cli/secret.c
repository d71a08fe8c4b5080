/*
 * secret.c: reading passwords and codes for the vault commands (cli layer): from the file
 * descriptor named by --password-fd, or from the terminal without echo. Never from argv.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/i18n.h"
#include "mnvault/secmem.h"

char *cli_secret_new(void)
{
    return secmem_alloc(CLI_SECRET_MAX);
}

long cli_read_fd_line(int fd, char *buf, size_t size)
{
    size_t n = 0;
    int over = 0, any = 0;
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            secmem_wipe(buf, size);
            return -2;
        }
        if (r == 0) {
            if (!any)
                return -1;
            break;
        }
        any = 1;
        if (c == '\n')
            break;
        if (n + 1 < size)
            buf[n++] = c;
        else
            over = 1;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    if (over) {
        secmem_wipe(buf, size);
        return -3;
    }
    return (long)n;
}

static long from_terminal(const char *prompt, int echo, char *buf, size_t size)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return -4;
    if (write(fd, prompt, strlen(prompt)) < 0) {
        close(fd);
        return -2;
    }
    int quiet = !echo && cli_tty_noecho(fd);
    long n = cli_read_fd_line(fd, buf, size);
    if (quiet) {
        cli_tty_restore();
        if (write(fd, "\n", 1) < 0) {
            /* only the cosmetic line end was lost */
        }
    }
    close(fd);
    return n;
}

long cli_read_secret(const struct cli_ctx *ctx, const char *prompt, int echo, char *buf)
{
    long n = ctx->password_fd >= 0 ? cli_read_fd_line(ctx->password_fd, buf, CLI_SECRET_MAX)
                                   : from_terminal(prompt, echo, buf, CLI_SECRET_MAX);
    switch (n) {
    case -1:
        cli_error(_("no more input: a password or code was expected"));
        break;
    case -2:
        cli_error(_("cannot read the password: %s"), strerror(errno));
        break;
    case -3:
        cli_error(_("the password is too long (at most 256 bytes)"));
        break;
    case -4:
        cli_error(_("there is no terminal to ask for the password; use --password-fd N"));
        break;
    default:
        break;
    }
    return n < 0 ? -1 : n;
}

long cli_read_new_password(const struct cli_ctx *ctx, const char *who, char *buf)
{
    char prompt[200];
    snprintf(prompt, sizeof(prompt), _("New password for %s: "), who);
    long n = cli_read_secret(ctx, prompt, 0, buf);
    if (n < 0 || ctx->password_fd >= 0)
        return n;
    char *again = cli_secret_new();
    if (!again) {
        secmem_wipe(buf, CLI_SECRET_MAX);
        return -1;
    }
    snprintf(prompt, sizeof(prompt), "%s", _("The same password again: "));
    long m = cli_read_secret(ctx, prompt, 0, again);
    int same = m == n && secmem_equal(buf, again, (size_t)n);
    secmem_free(again);
    if (m < 0)
        return -1;
    if (!same) {
        secmem_wipe(buf, CLI_SECRET_MAX);
        cli_error("%s", _(mnv_err_str(MNV_ERR_PW_MISMATCH)));
        return -1;
    }
    return n;
}

long cli_ask(const char *prompt, char *buf, size_t size)
{
    long n = from_terminal(prompt, 1, buf, size);
    return n < 0 ? -1 : n;
}
