/*
 * taxtool: test-only helper for the tax filings' tests, demo and benchmark (payroll
 * figures, exports), built with the test hooks and never installed.
 *
 *   taxtool payroll-csv SEED FROM COUNT YEAR
 *                   prints the demo people's year-end figures as a payroll CSV file
 *                   (payroll_demo_csv) on standard output
 *   taxtool payroll-import DIR USER SEED COUNT YEAR
 *                   (the password on the first line of standard input) imports those
 *                   figures for demo people [0, COUNT) without a file; prints the counts
 *   taxtool delete-employee DIR USER CODE
 *                   (the password on standard input) deletes that employee with everything
 *                   that goes with them (people_employee_delete)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/payroll.h"
#include "mnvault/people.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"

static struct session *login(const char *dir, const char *user)
{
    char *pw = secmem_alloc(300);
    if (!pw || !fgets(pw, 300, stdin)) {
        fprintf(stderr, "taxtool: no password on standard input\n");
        exit(2);
    }
    pw[strcspn(pw, "\r\n")] = '\0';
    struct session_options opts;
    memset(&opts, 0, sizeof(opts));
    vault_options_default(&opts.vault);
    opts.vault.syslog = 0;
    struct session *s;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = session_login(dir, user, pw, strlen(pw), &opts, &s, NULL, &d);
    secmem_free(pw);
    if (err != MNV_OK) {
        fprintf(stderr, "taxtool: login: %s\n", mnv_err_name(err));
        exit(1);
    }
    return s;
}

static int payroll_csv(char **argv)
{
    char *text;
    size_t len;
    enum mnv_err err = payroll_demo_csv(strtoull(argv[0], NULL, 10), atol(argv[1]), atol(argv[2]),
                                        atoi(argv[3]), &text, &len);
    if (err != MNV_OK)
        return 1;
    int ok = fwrite(text, 1, len, stdout) == len;
    free(text);
    return ok ? 0 : 1;
}

static int payroll_import(char **argv)
{
    struct session *s = login(argv[0], argv[1]);
    char *text;
    size_t len;
    struct payroll_report rep;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err =
        payroll_demo_csv(strtoull(argv[2], NULL, 10), 0, atol(argv[3]), atoi(argv[4]), &text, &len);
    if (err == MNV_OK)
        err = payroll_import_text(s, text, len, atoi(argv[4]), 0, &rep, &d);
    if (err == MNV_OK)
        printf("employees=%ld dependents=%ld\n", rep.employees, rep.dependents);
    else
        fprintf(stderr, "taxtool: import: %s (line %ld: %s)\n", mnv_err_name(err),
                rep.nproblems ? rep.problems[0].line : d.line,
                rep.nproblems ? mnv_err_name(rep.problems[0].err) : d.item);
    payroll_report_free(&rep);
    free(text);
    session_logout(s);
    return err == MNV_OK ? 0 : 1;
}

static int delete_employee(char **argv)
{
    struct session *s = login(argv[0], argv[1]);
    struct person_list l;
    enum mnv_err err = people_list(s, &l, NULL);
    int64_t id = 0;
    for (size_t i = 0; err == MNV_OK && i < l.count; i++)
        if (strcmp(l.rows[i].code, argv[2]) == 0)
            id = l.rows[i].id;
    if (err == MNV_OK)
        persondb_list_free(&l);
    if (err == MNV_OK)
        err = id ? people_employee_delete(s, id, NULL) : MNV_ERR_PERSON_NOT_FOUND;
    printf("%s\n", mnv_err_name(err));
    session_logout(s);
    return err == MNV_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (secmem_init() != MNV_OK)
        return 2;
    if (argc == 6 && strcmp(argv[1], "payroll-csv") == 0)
        return payroll_csv(argv + 2);
    if (argc == 7 && strcmp(argv[1], "payroll-import") == 0)
        return payroll_import(argv + 2);
    if (argc == 5 && strcmp(argv[1], "delete-employee") == 0)
        return delete_employee(argv + 2);
    fprintf(stderr, "usage: see the comment at the top of tests/tools/taxtool.c\n");
    return 2;
}
