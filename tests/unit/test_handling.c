/*
 * The handling register (handling.h) from a vault the test knows: the vault's own row with
 * its purposes, handlers and numbers, the checklist's blocks with the vault's evidence and
 * the items left to the supervisor, who may make it, its audit entry, and the CSV and PDF
 * it writes (mode 0600, no number).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mnvault/handling.h"
#include "mnvault/people.h"
#include "svcfix.h"

static int group_setup(void **state)
{
    (void)state;
    if (svc_make() != 0)
        return -1;
    struct session *c = svc_login("clerk");
    if (!c)
        return -1;
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "E1");
    snprintf(e.name, sizeof(e.name), "見本 一郎");
    snprintf(e.kana, sizeof(e.kana), "ミホン");
    snprintf(e.birth_date, sizeof(e.birth_date), "1980-01-02");
    e.sex = SEX_MALE;
    snprintf(e.hire_date, sizeof(e.hire_date), "2010-04-01");
    enum mnv_err err = people_employee_add(c, &e, NULL);
    struct mynumber n;
    struct purpose_notice p = {"tax_withholding", "2020-01-04"};
    struct person_ref r = {PERSON_EMPLOYEE, e.id};
    if (err == MNV_OK)
        err = mynumber_parse(&n, MYNUMBER_INDIVIDUAL, "094482246340", 12, NULL);
    if (err == MNV_OK)
        err = people_number_store(c, &r, &n, &p, 1, NULL);
    session_logout(c);
    return err == MNV_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return svc_drop();
}

static void test_handling__register(void **state)
{
    (void)state;
    struct session *s = svc_login("sup");
    assert_non_null(s);
    struct handling_register r;
    assert_int_equal(handling_register_build(s, &r, NULL), MNV_OK);
    assert_int_equal(svc_last(s).action[0] != 0, 1);
    assert_string_equal(svc_last(s).action, "register.make");
    assert_true(r.nfiles >= 1);
    const struct handling_file *v = &r.files[0];
    assert_int_equal(v->kind, HANDLING_VAULT);
    assert_int_equal(v->numbers, 1);
    assert_int_equal(v->encrypted, 1);
    assert_string_equal(v->location, svc_dir);
    assert_non_null(strstr(v->handlers, "clerk"));
    assert_non_null(strstr(v->handlers, "sup"));
    assert_null(strstr(v->handlers, "aud"));
    assert_null(strstr(v->handlers, "admin"));
    assert_string_equal(v->created_by, "admin");
    /* every block of the guideline; technical items shown by the vault */
    const char *blocks = "ABCDEFG";
    for (const char *b = blocks; *b; b++) {
        int found = 0;
        for (size_t i = 0; i < r.nchecks; i++)
            found += r.checks[i].block[0] == *b;
        assert_true(found > 0);
    }
    int technical = 0, answered = 0;
    for (size_t i = 0; i < r.nchecks; i++) {
        if (r.checks[i].block[0] == 'F') {
            technical++;
            assert_int_equal(r.checks[i].by_vault, 1);
            assert_true(r.checks[i].evidence[0] != '\0');
        }
        answered += !r.checks[i].by_vault;
    }
    assert_int_equal(technical, 4);
    assert_true(answered >= 5);
    /* never verified: the logging item does not hold */
    for (size_t i = 0; i < r.nchecks; i++)
        if (strstr(r.checks[i].evidence, "last verified"))
            assert_int_equal(r.checks[i].holds, 0);

    char path[300];
    snprintf(path, sizeof(path), "%s/register.csv", svc_dir);
    assert_int_equal(handling_write(&r, path, NULL), MNV_OK);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    int rows = 0, number = 0;
    while (fgets(line, sizeof(line), f)) {
        rows++;
        number += strstr(line, "094482246340") != NULL;
    }
    fclose(f);
    assert_int_equal(number, 0);
    assert_int_equal((size_t)rows, 1 + r.nfiles + 2 + r.nchecks);
    snprintf(path, sizeof(path), "%s/register.pdf", svc_dir);
    assert_int_equal(handling_write(&r, path, NULL), MNV_OK);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_non_null(fgets(line, 6, f));
    assert_string_equal(line, "%PDF-");
    fclose(f);
    handling_register_free(&r);
    session_logout(s);
}

static void test_handling__roles(void **state)
{
    (void)state;
    struct handling_register r;
    const char *who[] = {"clerk", "admin"};
    for (size_t i = 0; i < 2; i++) {
        struct session *s = svc_login(who[i]);
        assert_non_null(s);
        assert_int_equal(handling_register_build(s, &r, NULL), MNV_ERR_DENIED);
        assert_string_equal(svc_last(s).result, "denied");
        session_logout(s);
    }
    struct session *a = svc_login("aud");
    assert_non_null(a);
    assert_int_equal(handling_register_build(a, &r, NULL), MNV_OK);
    handling_register_free(&r);
    session_logout(a);
}
