/*
 * cli.h: what the command-line front end's files share (cli layer, private to src/cli).
 *
 * Each subcommand lives in its own file src/cli/cmd_<name>.c and is listed in the table of
 * main.c. Exit statuses everywhere: 0 success, 1 the checked thing is bad or the action was
 * refused, 2 usage or I/O error.
 */
#ifndef MNVAULT_CLI_H
#define MNVAULT_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "mnvault/attr.h"
#include "mnvault/config.h"
#include "mnvault/err.h"

enum cli_exit { CLI_OK = 0, CLI_BAD = 1, CLI_USAGE = 2 };

/* Options every command takes; their long forms are listed by CLI_COMMON_LONGOPTS. */
enum cli_common_opt {
    CLI_OPT_DATA_DIR = 0x1000,
    CLI_OPT_USER,
    CLI_OPT_PASSWORD_FD,
    CLI_OPT_CONFIG,
};

#define CLI_COMMON_LONGOPTS                                                                        \
    {"data-dir", required_argument, NULL, CLI_OPT_DATA_DIR},                                       \
        {"user", required_argument, NULL, CLI_OPT_USER},                                           \
        {"password-fd", required_argument, NULL, CLI_OPT_PASSWORD_FD},                             \
        {"config", required_argument, NULL, CLI_OPT_CONFIG},                                       \
    {                                                                                              \
        "help", no_argument, NULL, 'h'                                                             \
    }

struct cli_ctx {
    struct mnv_config cfg;   /* loaded by cli_load_config() */
    const char *config_path; /* --config, or NULL */
    const char *data_dir;    /* --data-dir, or NULL */
    const char *user;        /* --user, or NULL */
    int password_fd;         /* --password-fd, or -1 */
    int config_loaded;
};

struct cli_command {
    const char *name;
    int (*run)(struct cli_ctx *ctx, int argc, char **argv);
    const char *summary; /* msgid, one line for mnvault --help */
};

/* A program: its command table and what it does around a command (entry.c). */
struct cli_program {
    const struct cli_command *commands;
    size_t ncommands;
    void (*help)(void);                     /* mnvault --help; NULL: not this program's */
    int (*no_command)(struct cli_ctx *ctx); /* no command given; NULL: a usage error */
    void (*after)(void);                    /* after any command; may be NULL */
};

/* cli_main: libsodium, the catalogue and language, the common options, then one command of
 * p's table; returns the exit status (main.c, front.c). */
int cli_main(int argc, char **argv, const struct cli_program *p);

/*
 * cli_common_option: handle one of the common options returned by getopt_long.
 * Returns 1 when handled, 0 when opt is not a common option, -1 after printing an error
 * about a bad value (the command then exits with CLI_USAGE).
 */
int cli_common_option(struct cli_ctx *ctx, int opt, const char *arg);

/* A command's own option: --name with a value (stored in *text) or without (*flag = 1). */
struct cli_opt {
    const char *name;
    const char **text; /* the value's place, for an option with a value; else NULL */
    int *flag;         /* for an option without a value; else NULL */
};

#define CLI_OPTS_MAX 24

/*
 * cli_parse_opts: read argv's options (getopt_long, permuting): the common ones
 * (cli_common_option), -h/--help (help() is called) and the command's own, opts (up to
 * CLI_OPTS_MAX, ended by {NULL}; NULL for none). Returns CLI_OK with optind at the first operand,
 * -1 after the help, or CLI_USAGE after saying what was wrong (an unknown option, a bad value).
 */
int cli_parse_opts(struct cli_ctx *ctx, int argc, char **argv, const struct cli_opt *opts,
                   void (*help)(void));

/*
 * cli_load_config: load the configuration files (once) and apply the language setting.
 * Prints warnings and errors itself. Returns CLI_OK or CLI_USAGE.
 */
int cli_load_config(struct cli_ctx *ctx);

/* cli_error: "mnvault: <message>\n" to stderr; the format is already translated. */
void cli_error(const char *fmt, ...) MNV_PRINTF(1, 2);

/*
 * cli_describe: a person's sentence for err and diag (translated), into buf. Used for
 * errors on stderr and for per-line reasons. Returns buf.
 */
char *cli_describe(char *buf, size_t size, enum mnv_err err, const struct mnv_diag *diag);

/* cli_parse_long: arg as a decimal whole number from min to max into *out; 0, or -1 for
 * anything else (empty, signs, spaces, other characters, out of range). */
MNV_MUST_CHECK int cli_parse_long(const char *arg, long min, long max, long *out);

/* cli_usage_hint: "Try 'mnvault CMD --help'." to stderr; returns CLI_USAGE. */
int cli_usage_hint(const char *cmd);

/*
 * cli_tty_noecho: when fd is a terminal, stop it echoing what is typed (for numbers and
 * passwords) until cli_tty_restore(); an interrupt restores it before the process ends.
 * Returns 1 when echo was turned off, 0 when fd is not a terminal.
 */
int cli_tty_noecho(int fd);
void cli_tty_restore(void);

/*
 * cli_read_line: read one line from f into buf (size bytes, secret-safe: the caller owns
 * and wipes buf). Strips the line end. Returns the length, -1 at end of input, -2 on a
 * read error, -3 when the line did not fit (the rest of it is read and discarded).
 */
long cli_read_line(FILE *f, char *buf, size_t size);

/* --- Vault commands (src/cli/secret.c, src/cli/login.c) ------------------------------- */

struct session;

#define CLI_SECRET_MAX 260 /* room for PWPOLICY_MAX_BYTES, the line end and the NUL */

/*
 * cli_secret_new: a secmem buffer of CLI_SECRET_MAX bytes for a password or code; NULL
 * when out of memory. Free with secmem_free().
 */
char *cli_secret_new(void);

/*
 * cli_read_fd_line: one line from fd, read byte by byte with read(2) so that no copy stays
 * in a stdio buffer; the line end is stripped. Returns its length, -1 at the end of input
 * before any byte, -2 on a read error, -3 when it did not fit (buf is then wiped).
 */
long cli_read_fd_line(int fd, char *buf, size_t size);

/*
 * cli_read_secret: read one line (a password, or with echo a TOTP code) into buf
 * (CLI_SECRET_MAX bytes, secmem): from --password-fd when given (one line per call, read
 * byte by byte so that nothing stays buffered), else from the terminal (/dev/tty) after
 * printing prompt, without echo unless echo is set. Returns the length, or -1 with a
 * message printed (end of input, no terminal, too long).
 */
long cli_read_secret(const struct cli_ctx *ctx, const char *prompt, int echo, char *buf);

/*
 * cli_read_new_password: a new password: one line from --password-fd, or typed twice on
 * the terminal (and refused when the two differ). Returns the length or -1 (printed).
 */
long cli_read_new_password(const struct cli_ctx *ctx, const char *who, char *buf);

/* cli_ask: a line of ordinary text typed on the terminal (echoed) into buf; -1 if none. */
long cli_ask(const char *prompt, char *buf, size_t size);

/* cli_data_dir: the vault folder: --data-dir, $MNVAULT_DATA_DIR, config, XDG default. */
int cli_data_dir(struct cli_ctx *ctx, char *buf, size_t size);

/*
 * cli_login: sign in as --user (asked on the terminal when missing) with the password
 * from --password-fd or the terminal, and the TOTP code when needed (the next line of the
 * password fd, or asked). With allow_change, a login that must change its password is
 * returned as it is (*must_change set); otherwise it is refused with advice. When keep is
 * not NULL (a cli_secret_new() buffer) the password typed is left in it and its length in
 * *keep_len, for commands that need it again. Prints every failure. Returns CLI_OK with
 * *s set, or the exit status.
 */
int cli_login(struct cli_ctx *ctx, struct session **s, int allow_change, int *must_change,
              char *keep, long *keep_len);

/*
 * cli_fail: print err (with diag and the login facts) as "mnvault: <message>" and return
 * the exit status for it: CLI_USAGE for I/O and usage errors, CLI_BAD for the rest.
 */
/*
 * cli_approval_code: when s waits for a supervisor's approval and its user chose their own
 * password, print (to standard error) the code the approving supervisor must type.
 */
void cli_approval_code(struct session *s);

int cli_fail(enum mnv_err err, const struct mnv_diag *diag);

/* cli_safe_output: from here on, everything written to stdout and stderr through stdio is
 * escaped as textsafe.h says (newline, tab and form feed kept): no control, bidirectional
 * control or byte that is not UTF-8 reaches the output, whichever place printed it. Not
 * for the terminal application (safeout.c). */
void cli_safe_output(void);

/* cli_keyfile_late: after a command, a warning when a change it saved left the key file behind
 * (session_keyfile_late()); the exit status stays the command's. */
void cli_keyfile_late(void);

/* What an import (people, payroll figures, insurance facts) reports, for cli_import_said. */
struct cli_import_outcome {
    long rows, problems_total;
    size_t nproblems;
    const char *encoding; /* csv_encoding_name() of the file read */
    const void *problems; /* the report's list of problems */
    void (*print_problem)(const void *problems, size_t i); /* one of them to stderr */
};

/*
 * cli_import_said: say what every import says alike — a refusal (each problem, how many
 * more, the count), a file or column error (the header's name escaped), a dry run that
 * found every row good. Returns the exit status; -1 when the rows were stored, and the
 * caller says what it stored.
 */
int cli_import_said(const struct cli_import_outcome *o, enum mnv_err err, int dry_run,
                    const struct mnv_diag *diag);

/* cli_exit_for: the exit status for an error (see cli_fail). */
int cli_exit_for(enum mnv_err err);

/* --- Recovery shares (src/cli/sharesin.c) ------------------------------------------- */

struct share;

/*
 * cli_read_shares: recovery share sheets from standard input into out[0..max) (secmem is
 * the caller's choice; wipe after use): from a pipe or file the whole input, cut into
 * sheets at Check lines, form feeds and title lines; from a terminal typed one after
 * another without echo until the set's threshold is reached. Returns how many were read,
 * or -1 after printing why (a mistyped group is named by its line and column).
 */
int cli_read_shares(struct share *out, int max);

/* cli_shares_error: print a shares or recovery error ("2 given, 3 needed" for too few). */
void cli_shares_error(enum mnv_err err, const struct share *shares, int count);

/* The subcommands. */
int cmd_check(struct cli_ctx *ctx, int argc, char **argv);
int cmd_config(struct cli_ctx *ctx, int argc, char **argv);
int cmd_init(struct cli_ctx *ctx, int argc, char **argv);
int cmd_user(struct cli_ctx *ctx, int argc, char **argv);
int cmd_audit(struct cli_ctx *ctx, int argc, char **argv);
int cmd_review(struct cli_ctx *ctx, int argc, char **argv);
int cmd_register(struct cli_ctx *ctx, int argc, char **argv);
int cmd_incident(struct cli_ctx *ctx, int argc, char **argv);
int cmd_verify(struct cli_ctx *ctx, int argc, char **argv);
int cmd_demo(struct cli_ctx *ctx, int argc, char **argv);
int cmd_tui(struct cli_ctx *ctx);
int cmd_recovery(struct cli_ctx *ctx, int argc, char **argv);
int cmd_backup(struct cli_ctx *ctx, int argc, char **argv);
int cmd_restore(struct cli_ctx *ctx, int argc, char **argv);
int cmd_scan(struct cli_ctx *ctx, int argc, char **argv);
int cmd_import(struct cli_ctx *ctx, int argc, char **argv);
int cmd_payroll(struct cli_ctx *ctx, int argc, char **argv);
int cmd_insurance(struct cli_ctx *ctx, int argc, char **argv);
int cmd_export(struct cli_ctx *ctx, int argc, char **argv);
/* The verbs of export (cmd_export_reg.c): the custody register. */
int cmd_export_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_export_mark(struct cli_ctx *ctx, int argc, char **argv);
int cmd_export_fill(struct cli_ctx *ctx, int argc, char **argv);
/* cli_export_help: `mnvault export --help`, for its verbs too (list, mark, fill). */
void cli_export_help(void);
/* cli_export_destination_bad: 1 after saying what --to takes, when dest is given and is none of
 * them; else 0. */
int cli_export_destination_bad(const char *dest);

/* cli_export_report: print an export's or a fill's outcome; returns the exit status. */
struct export_request;
struct export_report;
int cli_export_report(struct session *s, const struct export_request *req,
                      const struct export_report *r, enum mnv_err err, const struct mnv_diag *diag);
int cmd_retention(struct cli_ctx *ctx, int argc, char **argv);
int cmd_dispose(struct cli_ctx *ctx, int argc, char **argv);
int cmd_cert(struct cli_ctx *ctx, int argc, char **argv);
int cmd_employee(struct cli_ctx *ctx, int argc, char **argv);

/* cmd_audit_seal.c: the sealed audit log (doc/audit.md "Sealing"). */
void cli_print_seal_key(const char *key_text);
int cli_audit_seal_start(struct session *s);
int cli_audit_checkpoint(struct session *s, const char *output);
int cli_audit_status(struct session *s); /* the state lines of auditview_state_text() */
int cli_audit_seal_verify(struct cli_ctx *ctx, struct session *s, int ask_key, const char *against);

#endif
