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
    int retired, undo, help;
};

enum employee_opt {
    EO_DEPENDENT = 0x3000,
    EO_ON,
    EO_REASON,
    EO_STATUS,
    EO_CODE,
    EO_NAME,
    EO_KANA,
    EO_BIRTH,
    EO_SEX,
    EO_HIRE,
    EO_POSTAL,
    EO_ADDRESS,
    EO_RETIRED,
    EO_UNDO,
};

#define EMPLOYEE_LONGOPTS                                                                          \
    {"dependent", required_argument, NULL, EO_DEPENDENT}, {"on", required_argument, NULL, EO_ON},  \
        {"reason", required_argument, NULL, EO_REASON},                                            \
        {"status", required_argument, NULL, EO_STATUS},                                            \
        {"code", required_argument, NULL, EO_CODE}, {"name", required_argument, NULL, EO_NAME},    \
        {"kana", required_argument, NULL, EO_KANA},                                                \
        {"birth-date", required_argument, NULL, EO_BIRTH},                                         \
        {"sex", required_argument, NULL, EO_SEX}, {"hire-date", required_argument, NULL, EO_HIRE}, \
        {"postal-code", required_argument, NULL, EO_POSTAL},                                       \
        {"address", required_argument, NULL, EO_ADDRESS},                                          \
        {"retired", no_argument, NULL, EO_RETIRED},                                                \
    {                                                                                              \
        "undo", no_argument, NULL, EO_UNDO                                                         \
    }

/* employee_option: store option opt (one of enum employee_opt); -1 when it is none of them. */
int employee_option(struct employee_opts *o, int opt, const char *arg);

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
