/*
 * cmd_employee.h: what the files of `mnvault employee` share (cli layer, private to
 * src/cli): the options of every verb, and the words and error messages of its output.
 */
#ifndef MNVAULT_CMD_EMPLOYEE_H
#define MNVAULT_CMD_EMPLOYEE_H

#include "cli.h"
#include "mnvault/person.h"

/* The options of every verb; NULL / 0 when not given. */
struct employee_opts {
    const char *dependent, *on, *reason, *status;
    const char *code, *name, *kana, *birth, *sex, *hire, *postal, *address;
    int retired, undo;
};

/* The diag->item a service names, and the option a person typed it with. */
struct employee_optname {
    const char *item, *option;
};

/*
 * employee_fail: print err as "mnvault: --option: message" when diag->item is one of names
 * (NULL-terminated; may be NULL), "no such employee …" for a person not found, else as
 * cli_fail(). Returns the exit status.
 */
int employee_fail(enum mnv_err err, const struct mnv_diag *diag,
                  const struct employee_optname *names);

/* employee_date_arg: a date as people write it into out ("YYYY-MM-DD"); -1 after saying why. */
int employee_date_arg(const char *opt, const char *text, char out[11]);

/* employee_status_word: registered / missing / refused / deleted, translated. */
const char *employee_status_word(enum number_status st);

#endif
