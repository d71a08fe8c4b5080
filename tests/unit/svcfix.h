/*
 * svcfix.h: a vault with one user of each role, for service-level unit tests (header-only).
 * svc_make() creates it in a fresh temporary folder with the fast test KDF and a fixed
 * clock (Tuesday 2026-12-01 10:00 in Tokyo); svc_login() signs a user in (changing the
 * one-time password on first use); svc_drop() removes everything.
 *   admin / "purple elephants dance at noon"   (admin)
 *   sup   / "seven green lanterns over kyoto"   (supervisor)
 *   clerk / "quiet river stones in winter"      (clerk)
 *   aud   / "orange kites above the harbour"    (auditor)
 */
#ifndef MNVAULT_TESTS_SVCFIX_H
#define MNVAULT_TESTS_SVCFIX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mnvault/accounts.h"
#include "mnvault/audit.h"
#include "mnvault/auditor.h"
#include "mnvault/auditlog.h"
#include "mnvault/keyroles.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"

#define SVC_NOW "2026-12-01T01:00:00"

static char svc_dir[256];
static struct session_options svc_opts;

static const struct {
    const char *name, *pw;
    enum mnv_role role;
} svc_users[] = {
    {"admin", "purple elephants dance at noon", ROLE_ADMIN},
    {"sup", "seven green lanterns over kyoto", ROLE_SUPERVISOR},
    {"clerk", "quiet river stones in winter", ROLE_CLERK},
    {"aud", "orange kites above the harbour", ROLE_AUDITOR},
};

static const char *svc_pw(const char *name)
{
    for (size_t i = 0; i < sizeof(svc_users) / sizeof(svc_users[0]); i++)
        if (strcmp(svc_users[i].name, name) == 0)
            return svc_users[i].pw;
    return "no such user's password";
}

/* Sign in; a must-change session is completed with the fixture's own password. */
static struct session *svc_login(const char *name)
{
    struct session *s = NULL;
    const char *pw = svc_pw(name);
    enum mnv_err err = session_login(svc_dir, name, pw, strlen(pw), &svc_opts, &s, NULL, NULL);
    if (err == MNV_ERR_MUST_CHANGE)
        err = session_change_password(s, NULL, 0, pw, strlen(pw), NULL, NULL);
    if (err != MNV_OK) {
        fprintf(stderr, "svc_login %s: %s\n", name, mnv_err_name(err));
        session_logout(s);
        return NULL;
    }
    return s;
}

/*
 * svc_approve: sup completes name (a clerk or supervisor an administrator made, who has
 * signed in and chosen a password): the fixture plays the owner too and reads the code the
 * owner was shown.
 */
static enum mnv_err svc_approve(const char *name)
{
    struct session *sup = svc_login("sup");
    if (!sup)
        return MNV_ERR_LOGIN_FAILED;
    char code[KEYRING_CODE_SIZE];
    enum mnv_err err = keyroles_code(sup, name, code);
    if (err == MNV_OK)
        err = keyroles_approve(sup, name, code, NULL);
    session_logout(sup);
    return err;
}

static int svc_make(void)
{
    if (secmem_init() != MNV_OK)
        return -1;
    setenv("MNVAULT_TEST_FAST_KDF", "1", 1);
    setenv("MNVAULT_TEST_NOW", SVC_NOW, 1);
    setenv("MNVAULT_SHAREDIR", "data", 0);
    setenv("TZ", "Asia/Tokyo", 1);
    tzset();
    snprintf(svc_dir, sizeof(svc_dir), "/tmp/mnv-svc-XXXXXX");
    if (!mkdtemp(svc_dir))
        return -1;
    vault_options_default(&svc_opts.vault);
    svc_opts.vault.syslog = 0;
    svc_opts.vault.cache_mib = 8;
    struct setup_params p = {"テスト株式会社",
                             "東京都",
                             "7000012050002",
                             "admin",
                             svc_users[0].pw,
                             strlen(svc_users[0].pw),
                             "sup",
                             svc_users[1].pw,
                             strlen(svc_users[1].pw)};
    enum mnv_err err = setup_create_vault(svc_dir, &p, &svc_opts, NULL);
    if (err != MNV_OK) {
        fprintf(stderr, "svc_make: %s\n", mnv_err_name(err));
        return -1;
    }
    struct session *a = svc_login("admin");
    if (!a)
        return -1;
    for (size_t i = 2; i < sizeof(svc_users) / sizeof(svc_users[0]); i++) {
        struct account_spec spec;
        char otp[ACCOUNTS_OTP_SIZE];
        accounts_spec_init(&spec, svc_users[i].name, svc_users[i].role);
        if (accounts_add(a, &spec, svc_users[i].pw, strlen(svc_users[i].pw), otp, NULL) != MNV_OK) {
            session_logout(a);
            return -1;
        }
    }
    session_logout(a);
    for (size_t i = 2; i < sizeof(svc_users) / sizeof(svc_users[0]); i++) {
        struct session *s = svc_login(svc_users[i].name);
        if (!s)
            return -1;
        session_logout(s);
    }
    /* The clerk an administrator made waits for a supervisor to give it the number key. */
    return svc_approve("clerk") == MNV_OK ? 0 : -1;
}

static int svc_drop(void)
{
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", svc_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The newest audit entry, read straight from the store (no role check, no new entry). */
static struct audit_entry svc_last(struct session *s)
{
    struct audit_entry e;
    size_t n = 0;
    memset(&e, 0, sizeof(e));
    if (auditlog_recent(session_vault(s), 1, &e, &n, NULL) != MNV_OK || n != 1)
        memset(&e, 0, sizeof(e));
    return e;
}

#endif
