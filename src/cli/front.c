/*
 * front.c: the mnvault people run (cli layer). `mnvault scan` is run here, in a program
 * linked with what the scan needs (libc, libsodium, libzip, zlib, iniparser) and nothing of
 * the vault, the terminal screens or the printed forms, so that a scan starts as fast as a
 * grep; poppler is loaded by the scan itself, in a child, only when a PDF is met. Every other
 * command line is handed unchanged (execv) to the whole program, main.c, installed as
 * LIBEXECDIR/mnvault/mnvault-full (doc/architecture.md, "Two programs").
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/i18n.h"
#include "mnvault/paths.h"

/* The options every command takes that have a value (CLI_COMMON_LONGOPTS). */
static const char *const valued[] = {"--data-dir", "--user", "--password-fd", "--config"};

/* The value option arg is, written whole: 1 "--config", 2 "--config=FILE", 0 none. */
static int valued_option(const char *arg)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(valued); i++) {
        size_t n = strlen(valued[i]);
        if (strncmp(arg, valued[i], n) == 0 && (arg[n] == '\0' || arg[n] == '='))
            return arg[n] == '=' ? 2 : 1;
    }
    return 0;
}

/* Whether the command line is `mnvault [COMMON OPTIONS] scan ...`, the common options spelt
 * out whole. Anything else (help, an abbreviated option, another command) is the whole
 * program's to read, which runs scan too: a line misread here loses only speed. */
static int is_scan(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        int v = valued_option(argv[i]);
        if (v == 1)
            i++;
        else if (v == 0)
            return strcmp(argv[i], "scan") == 0;
    }
    return 0;
}

static const struct cli_command scan_only[] = {
    {"scan", cmd_scan, N_("look for My Numbers in files and folders before they are sent")},
};

static const struct cli_program program = {
    .commands = scan_only,
    .ncommands = MNV_ARRAY_LEN(scan_only),
};

int main(int argc, char **argv)
{
    if (argc > 0 && is_scan(argc, argv))
        return cli_main(argc, argv, &program);
    char path[PATH_MAX];
    int e = ENAMETOOLONG;
    if (paths_full_program(path, sizeof(path)) == 0) {
        execv(path, argv);
        e = errno;
    }
    i18n_init();
    cli_error(_("cannot run %s: %s"), path, strerror(e));
    return CLI_USAGE;
}
