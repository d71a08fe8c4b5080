#include "cli.h"

#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "mnvault/secmem.h"

static struct termios saved;
static int saved_fd = -1;

static void restore_and_die(int sig)
{
    if (saved_fd >= 0)
        tcsetattr(saved_fd, TCSAFLUSH, &saved);
    signal(sig, SIG_DFL);
    raise(sig);
}

int cli_tty_noecho(int fd)
{
    if (!isatty(fd) || tcgetattr(fd, &saved) != 0)
        return 0;
    struct termios t = saved;
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    t.c_lflag |= ICANON;
    saved_fd = fd;
    signal(SIGINT, restore_and_die);
    signal(SIGTERM, restore_and_die);
    signal(SIGHUP, restore_and_die);
    signal(SIGQUIT, restore_and_die);
    if (tcsetattr(fd, TCSAFLUSH, &t) != 0) {
        saved_fd = -1;
        return 0;
    }
    return 1;
}

void cli_tty_restore(void)
{
    if (saved_fd < 0)
        return;
    tcsetattr(saved_fd, TCSAFLUSH, &saved);
    saved_fd = -1;
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
}

long cli_read_line(FILE *f, char *buf, size_t size)
{
    size_t n = 0;
    int c, overflow = 0;
    while ((c = getc_unlocked(f)) != EOF && c != '\n') {
        if (n + 1 < size)
            buf[n++] = (char)c;
        else
            overflow = 1;
    }
    if (c == EOF && ferror(f)) {
        secmem_wipe(buf, size);
        return -2;
    }
    if (c == EOF && n == 0 && !overflow)
        return -1;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    if (overflow) {
        secmem_wipe(buf, size);
        return -3;
    }
    return (long)n;
}
