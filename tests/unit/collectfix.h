/*
 * collectfix.h: a throw-away vault with a signed-in supervisor, for the collection and
 * import unit tests (header-only, static helpers). cfx_make() creates the vault in a fresh
 * temporary folder with the shipped data files (MNVAULT_SHAREDIR defaults to ./data) and
 * signs in; cfx_employee() adds an employee; cfx_drop() removes everything.
 */
#ifndef MNVAULT_TESTS_COLLECTFIX_H
#define MNVAULT_TESTS_COLLECTFIX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/config.h"
#include "mnvault/people.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"

#define CFX_PW "correct horse battery staple"

static struct {
    char dir[256];
    struct session *s;
    struct session_options o;
} cfx;

static inline int cfx_make(void)
{
    memset(&cfx, 0, sizeof(cfx));
    if (secmem_init() != MNV_OK)
        return -1;
    setenv("MNVAULT_TEST_FAST_KDF", "1", 1);
    setenv("MNVAULT_TEST_NOW", "2026-11-27T10:00:00", 1);
    setenv("MNVAULT_SHAREDIR", "data", 0);
    snprintf(cfx.dir, sizeof(cfx.dir), "/tmp/mnv-collect-XXXXXX");
    if (!mkdtemp(cfx.dir))
        return -1;
    struct mnv_config cfg;
    config_defaults(&cfg);
    session_options_from_config(&cfx.o, &cfg);
    cfx.o.vault.syslog = 0;
    struct setup_params p = {"試験株式会社", "",           "7123456789012", "admin",       CFX_PW,
                             strlen(CFX_PW), "supervisor", CFX_PW,          strlen(CFX_PW)};
    if (setup_create_vault(cfx.dir, &p, &cfx.o, NULL) != MNV_OK)
        return -1;
    return session_login(cfx.dir, "supervisor", CFX_PW, strlen(CFX_PW), &cfx.o, &cfx.s, NULL,
                         NULL) == MNV_OK
               ? 0
               : -1;
}

static inline int64_t cfx_employee(const char *code, const char *name)
{
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "%s", code);
    snprintf(e.name, sizeof(e.name), "%s", name);
    snprintf(e.kana, sizeof(e.kana), "シケン タロウ");
    snprintf(e.birth_date, sizeof(e.birth_date), "1980-04-01");
    e.sex = SEX_MALE;
    snprintf(e.hire_date, sizeof(e.hire_date), "2010-04-01");
    return people_employee_add(cfx.s, &e, NULL) == MNV_OK ? e.id : -1;
}

static inline int64_t cfx_dependent(int64_t employee_id, const char *name,
                                    enum dependent_relation rel)
{
    struct dependent d;
    memset(&d, 0, sizeof(d));
    d.employee_id = employee_id;
    snprintf(d.name, sizeof(d.name), "%s", name);
    snprintf(d.kana, sizeof(d.kana), "シケン ハナコ");
    snprintf(d.birth_date, sizeof(d.birth_date), "1982-05-05");
    d.sex = SEX_FEMALE;
    d.relation = rel;
    return people_dependent_add(cfx.s, &d, NULL) == MNV_OK ? d.id : -1;
}

static inline int cfx_drop(void)
{
    session_logout(cfx.s);
    cfx.s = NULL;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", cfx.dir);
    return system(cmd) == 0 ? 0 : -1;
}

#endif
