/*
 * unlockbench: what unlocking a locked session costs since a locked session keeps no key
 * (issue 11 finding 9), beside what it cost before (test build only; tests/bench/unlock.sh).
 * "unlockbench DIR USER RUNS", the password on standard input. Signs in once, then RUNS
 * times each, in turn (ABBA): A = opening the user's key slot alone (Argon2id and the check
 * against the session's vault key: the whole of an unlock before), B = session_lock() and
 * session_unlock() (closing the database and wiping the keys, then the slot opened again
 * and the vault reopened with every check of a sign-in). Prints the median and the spread of
 * each in milliseconds and the ratio of the medians B/A.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mnvault/keyring.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/testhook.h"
#include "mnvault/vault.h"

#define RUNS_MAX 200

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double report(const char *what, double *t, int n)
{
    qsort(t, (size_t)n, sizeof(*t), cmp);
    double median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    printf("  %-58s median %8.1f ms  (%.1f to %.1f)\n", what, median, t[0], t[n - 1]);
    return median;
}

/* A: the slot opened alone, as the unlock did before. */
static int slot_alone(struct session *s, const char *user, const char *pw)
{
    struct keyring_keys *k = keyring_keys_new();
    int ok =
        k && keyring_slot_open(vault_keyring(session_vault(s)), user, pw, strlen(pw), k) == MNV_OK;
    keyring_keys_free(k);
    return ok ? 0 : -1;
}

/* B: lock, then unlock. */
static int lock_unlock(struct session *s, const char *pw)
{
    session_lock(s);
    struct login_info info;
    return session_unlock(s, pw, strlen(pw), &info, NULL) == MNV_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
    int runs = argc == 4 ? atoi(argv[3]) : 0;
    if (runs < 1 || runs > RUNS_MAX || !testhook_enabled() || secmem_init() != MNV_OK) {
        fprintf(stderr, "usage: unlockbench DIR USER RUNS (1-%d, test build)\n", RUNS_MAX);
        return 2;
    }
    char *pw = secmem_alloc(300);
    if (!pw || !fgets(pw, 300, stdin))
        return 2;
    pw[strcspn(pw, "\r\n")] = '\0';
    struct session_options o = {0};
    vault_options_default(&o.vault);
    struct session *s;
    if (session_login(argv[1], argv[2], pw, strlen(pw), &o, &s, NULL, NULL) != MNV_OK) {
        fprintf(stderr, "unlockbench: sign-in failed\n");
        return 1;
    }
    static double ta[RUNS_MAX], tb[RUNS_MAX];
    int err = 0;
    for (int i = 0; i < runs && !err; i++) {
        for (int j = 0; j < 2 && !err; j++) {
            double t0 = now_ms();
            int b = (i % 2) ^ j; /* A B, then B A */
            err = b ? lock_unlock(s, pw) : slot_alone(s, argv[2], pw);
            (b ? tb : ta)[i] = now_ms() - t0;
        }
    }
    session_logout(s);
    secmem_free(pw);
    if (err) {
        fprintf(stderr, "unlockbench: an unlock failed\n");
        return 1;
    }
    printf("unlock, %d runs each, interleaved:\n", runs);
    double a = report("A: the key slot alone (the unlock before finding 9)", ta, runs);
    double b = report("B: lock + unlock (database closed, keys wiped, reopened)", tb, runs);
    printf("  ratio B/A %.2f; the reopen adds %.1f ms\n", b / a, b - a);
    return 0;
}
