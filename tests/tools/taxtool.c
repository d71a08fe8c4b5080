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
 *   taxtool add-employee DIR USER CODE NAME KANA BIRTH ADDRESS
 *                   (the password on standard input) adds an employee without a number
 *   taxtool refuse DIR USER CODE
 *                   (the password on standard input) records that employee CODE declined to
 *                   give a number (people_number_refused, dated 2025-04-01)
 *   taxtool unzip FILE PASSPHRASE
 *                   prints the first entry of an encrypted zip (export --zip) on standard
 *                   output; exit 1 when the passphrase does not open it
 *   taxtool delete-employee DIR USER CODE
 *                   (the password on standard input) deletes that employee with everything
 *                   that goes with them (people_employee_delete)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

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

/* The id of the employee with this code, or 0. */
static int64_t employee_id(struct session *s, const char *code)
{
    struct person_list l;
    int64_t id = 0;
    if (people_list(s, &l, NULL) != MNV_OK)
        return 0;
    for (size_t i = 0; i < l.count; i++)
        if (strcmp(l.rows[i].code, code) == 0)
            id = l.rows[i].id;
    person_list_free(&l);
    return id;
}

static int add_employee(char **argv)
{
    struct session *s = login(argv[0], argv[1]);
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "%s", argv[2]);
    snprintf(e.name, sizeof(e.name), "%s", argv[3]);
    snprintf(e.kana, sizeof(e.kana), "%s", argv[4]);
    snprintf(e.birth_date, sizeof(e.birth_date), "%s", argv[5]);
    snprintf(e.address, sizeof(e.address), "%s", argv[6]);
    snprintf(e.hire_date, sizeof(e.hire_date), "2001-04-01");
    e.sex = SEX_MALE;
    enum mnv_err err = people_employee_add(s, &e, NULL);
    printf("%s\n", mnv_err_name(err));
    session_logout(s);
    return err == MNV_OK ? 0 : 1;
}

static int refuse(char **argv)
{
    struct session *s = login(argv[0], argv[1]);
    struct person_ref ref = {PERSON_EMPLOYEE, employee_id(s, argv[2])};
    enum mnv_err err =
        ref.id ? people_number_refused(s, &ref, "2025-04-01", "declined when asked", NULL)
               : MNV_ERR_PERSON_NOT_FOUND;
    printf("%s\n", mnv_err_name(err));
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
        person_list_free(&l);
    if (err == MNV_OK)
        err = id ? people_employee_delete(s, id, NULL) : MNV_ERR_PERSON_NOT_FOUND;
    printf("%s\n", mnv_err_name(err));
    session_logout(s);
    return err == MNV_OK ? 0 : 1;
}

static int unzip(char **argv)
{
    int ze;
    zip_t *z = zip_open(argv[0], ZIP_RDONLY, &ze);
    if (!z)
        return 2;
    zip_file_t *f = zip_fopen_index_encrypted(z, 0, 0, argv[1]);
    int rc = f ? 0 : 1;
    char buf[65536];
    zip_int64_t n;
    while (f && (n = zip_fread(f, buf, sizeof(buf))) > 0)
        if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
            rc = 2;
    if (f && n < 0)
        rc = 1;
    if (f)
        zip_fclose(f);
    zip_discard(z);
    return rc;
}

int main(int argc, char **argv)
{
    if (secmem_init() != MNV_OK)
        return 2;
    if (argc == 6 && strcmp(argv[1], "payroll-csv") == 0)
        return payroll_csv(argv + 2);
    if (argc == 7 && strcmp(argv[1], "payroll-import") == 0)
        return payroll_import(argv + 2);
    if (argc == 4 && strcmp(argv[1], "unzip") == 0)
        return unzip(argv + 2);
    if (argc == 9 && strcmp(argv[1], "add-employee") == 0)
        return add_employee(argv + 2);
    if (argc == 5 && strcmp(argv[1], "refuse") == 0)
        return refuse(argv + 2);
    if (argc == 5 && strcmp(argv[1], "delete-employee") == 0)
        return delete_employee(argv + 2);
    fprintf(stderr, "usage: see the comment at the top of tests/tools/taxtool.c\n");
    return 2;
}
