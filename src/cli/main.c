/*
 * main.c: the whole mnvault program: its commands and its help (cli layer). Installed as
 * LIBEXECDIR/mnvault/mnvault-full; the mnvault users run is front.c, which runs `scan` itself
 * and hands every other command line to this program unchanged.
 */
#include "cli.h"

#include <stdio.h>

#include "mnvault/i18n.h"

static const struct cli_command commands[] = {
    {"check", cmd_check, N_("check My Numbers read from standard input")},
    {"config", cmd_config, N_("print the commented sample configuration")},
    {"init", cmd_init, N_("create a new vault: organisation, first administrator and supervisor")},
    {"user", cmd_user, N_("add, list, disable, unlock users; change passwords; set up TOTP")},
    {"audit", cmd_audit, N_("verify the audit log's hash chain; list, show or export entries")},
    {"review", cmd_review, N_("the monthly review of the audit log: report, sign, status")},
    {"register", cmd_register, N_("write the handling register (特定個人情報ファイル管理簿)")},
    {"incident", cmd_incident,
     N_("a lost or leaked file: what it held, whether to report it, the report")},
    {"verify", cmd_verify, N_("check the whole vault: key file, every page, audit log, numbers")},
    {"demo", cmd_demo, N_("create a demo vault with synthetic employees and one user per role")},
    {"recovery", cmd_recovery, N_("print recovery share sheets, or set a password from them")},
    {"backup", cmd_backup, N_("write an encrypted backup; list the register; check a backup")},
    {"restore", cmd_restore, N_("bring a backup back into an empty folder")},
    {"scan", cmd_scan, N_("look for My Numbers in files and folders before they are sent")},
    {"employee", cmd_employee,
     N_("list and show employees; add one, record a refusal or a dependant leaving")},
    {"import", cmd_import, N_("collect My Numbers with identity verification from a CSV file")},
    {"payroll", cmd_payroll, N_("import and show each employee's year-end figures for the slips")},
    {"insurance", cmd_insurance,
     N_("the facts the health, pension and employment insurance filings need")},
    {"export", cmd_export, N_("write filings (源泉徴収票, 給与支払報告書); the register of files")},
    {"retention", cmd_retention, N_("explain how long each number is kept; hold a due number")},
    {"dispose", cmd_dispose, N_("propose, approve and execute deleting the numbers due")},
    {"cert", cmd_cert, N_("certificates of deletion: list, export, verify; contractors' returns")},
};

static void print_help(void)
{
    printf(_("Usage: mnvault [OPTIONS] COMMAND [ARGS]\n"
             "Manage employees' My Numbers from collection to certified deletion.\n\n"));
    printf(_("Commands:\n"));
    for (size_t i = 0; i < MNV_ARRAY_LEN(commands); i++)
        printf("  %-10s %s\n", commands[i].name, _(commands[i].summary));
    printf(_("\nOptions for every command:\n"
             "  --data-dir DIR     the vault's folder (else $MNVAULT_DATA_DIR, else\n"
             "                     $XDG_DATA_HOME/mnvault)\n"
             "  --user NAME        the user to act as\n"
             "  --password-fd N    read the password from file descriptor N (for scripts)\n"
             "  --config FILE      read this configuration file after the usual ones\n"
             "  -h, --help         show help (after a command: that command's help)\n"
             "  --version          show the version\n\n"
             "My Numbers are never taken from the command line: commands read them from\n"
             "standard input or the terminal. 'mnvault COMMAND --help' describes a command.\n"
             "Exit status: 0 success, 1 the checked thing is bad or the action was refused,\n"
             "2 usage or input/output error. The manual: man mnvault.\n"));
}

static const struct cli_program program = {
    .commands = commands,
    .ncommands = MNV_ARRAY_LEN(commands),
    .help = print_help,
    .no_command = cmd_tui, /* no command: the terminal application */
    .after = cli_keyfile_late,
};

int main(int argc, char **argv)
{
    return cli_main(argc, argv, &program);
}
