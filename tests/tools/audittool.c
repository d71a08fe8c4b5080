/*
 * audittool: test-only helper that fills a vault's audit log with synthetic entries for the
 * audit screen's benchmark and tests (tests/bench/audit.sh). The first line of standard
 * input is the password of USER. Entries go through auditlog_append() (the real chain:
 * hashes, escaping, the anchor), in transactions of 50,000.
 *
 *   audittool fill DIR USER N START STEP
 *       appends N entries, the first at Unix time START, each STEP seconds after the last;
 *       users clerk, clerk2, sup, aud, admin in turn; every 7th a reveal of employee:(i%500+1)
 *       with purpose=tax_withholding; every 499th denied; the rest logins, logouts, person
 *       updates and exports
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/auditlog.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/vault.h"

static struct session_options opts;

static struct session *login(const char *dir, const char *user)
{
    char *pw = secmem_alloc(300);
    if (!pw || !fgets(pw, 300, stdin)) {
        fprintf(stderr, "audittool: no password on standard input\n");
        exit(2);
    }
    pw[strcspn(pw, "\r\n")] = '\0';
    struct session *s;
    enum mnv_err err = session_login(dir, user, pw, strlen(pw), &opts, &s, NULL, NULL);
    secmem_free(pw);
    if (err != MNV_OK) {
        fprintf(stderr, "audittool: login: %s\n", mnv_err_name(err));
        exit(1);
    }
    return s;
}

static void make_event(long i, long long t, struct audit_event *ev, char *subject, char *detail)
{
    static const char *users[] = {"clerk", "clerk2", "sup", "aud", "admin"};
    static const char *roles[] = {"clerk", "clerk", "supervisor", "auditor", "admin"};
    static const char *actions[] = {"login", "person.update", "export", "logout"};
    int u = (int)(i % 5);
    memset(ev, 0, sizeof(*ev));
    ev->time = t;
    ev->user = users[u];
    ev->role = roles[u];
    ev->result = i % 499 == 0 ? "denied" : "ok";
    snprintf(subject, 48, "employee:%ld", i % 500 + 1);
    detail[0] = '\0';
    if (i % 7 == 0) {
        ev->action = "reveal";
        snprintf(detail, 128, "purpose=tax_withholding reason=bench %ld", i % 97);
    } else {
        ev->action = actions[i % 4];
        if (i % 4 == 0 || i % 4 == 3)
            snprintf(subject, 48, "%s", users[u]);
        if (i % 4 == 1)
            snprintf(detail, 128, "fields=address");
    }
    ev->subject = subject;
    ev->detail = detail;
}

static int fill(struct session *s, long n, long long start, long long step)
{
    struct vault *v = session_vault(s);
    char subject[48], detail[128];
    enum mnv_err err = MNV_OK;
    for (long i = 0; err == MNV_OK && i < n;) {
        err = vault_begin(v, NULL);
        for (long k = 0; err == MNV_OK && k < 50000 && i < n; k++, i++) {
            struct audit_event ev;
            make_event(i, start + i * step, &ev, subject, detail);
            err = auditlog_append(v, &ev, NULL, NULL);
        }
        err = err == MNV_OK ? vault_commit(v, NULL) : (vault_rollback(v), err);
    }
    if (err != MNV_OK)
        fprintf(stderr, "audittool: fill: %s\n", mnv_err_name(err));
    return err == MNV_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (secmem_init() != MNV_OK)
        return 2;
    vault_options_default(&opts.vault);
    opts.vault.syslog = 0;
    opts.kdf_strong = 0;
    if (argc != 7 || strcmp(argv[1], "fill") != 0) {
        fprintf(stderr, "usage: see tests/tools/audittool.c\n");
        return 2;
    }
    struct session *s = login(argv[2], argv[3]);
    int rc = fill(s, atol(argv[4]), atoll(argv[5]), atoll(argv[6]));
    session_logout(s);
    return rc;
}
