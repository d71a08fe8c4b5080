/*
 * disposaltool: test-only helper for the retention and disposal shell tests, built with the
 * test hooks and never installed. The first line of standard input is the password of
 * USER (as --password-fd would give it).
 *
 *   disposaltool retire DIR USER CODE DATE   set (or with DATE "-" clear) the retirement
 *                                            date of the employee with CODE
 * Prints the error's name and exits 1 on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/people.h"
#include "mnvault/retention.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"

static struct session_options opts;

static struct session *login(const char *dir, const char *user)
{
    char *pw = secmem_alloc(300);
    if (!pw || !fgets(pw, 300, stdin)) {
        fprintf(stderr, "disposaltool: no password on standard input\n");
        exit(2);
    }
    pw[strcspn(pw, "\r\n")] = '\0';
    struct session *s;
    enum mnv_err err = session_login(dir, user, pw, strlen(pw), &opts, &s, NULL, NULL);
    secmem_free(pw);
    if (err != MNV_OK) {
        fprintf(stderr, "disposaltool: login: %s\n", mnv_err_name(err));
        exit(1);
    }
    return s;
}

static int report(enum mnv_err err)
{
    if (err != MNV_OK)
        printf("%s\n", mnv_err_name(err));
    return err == MNV_OK ? 0 : 1;
}

static int cmd_retire(struct session *s, const char *code, const char *date)
{
    struct person_ref ref;
    struct employee e;
    unsigned changed;
    enum mnv_err err = retention_person(s, code, NULL, &ref, NULL);
    if (err == MNV_OK)
        err = people_employee_get(s, ref.id, &e, NULL);
    if (err == MNV_OK) {
        snprintf(e.retire_date, sizeof(e.retire_date), "%s", strcmp(date, "-") ? date : "");
        err = people_employee_update(s, &e, &changed, NULL);
    }
    return report(err);
}

int main(int argc, char **argv)
{
    if (secmem_init() != MNV_OK)
        return 2;
    vault_options_default(&opts.vault);
    if (argc < 4) {
        fprintf(stderr, "usage: see tests/tools/disposaltool.c\n");
        return 2;
    }
    struct session *s = login(argv[2], argv[3]);
    int rc = 2;
    if (strcmp(argv[1], "retire") == 0 && argc == 6)
        rc = cmd_retire(s, argv[4], argv[5]);
    session_logout(s);
    return rc;
}
