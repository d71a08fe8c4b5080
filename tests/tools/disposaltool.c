/*
 * disposaltool: test-only helper for the retention and disposal shell tests, built with the
 * test hooks and never installed. The first line of standard input is the password of
 * USER (as --password-fd would give it).
 *
 *   disposaltool retire DIR USER CODE DATE   set (or with DATE "-" clear) the retirement
 *                                            date of the employee with CODE
 *   disposaltool retire-all DIR USER PREFIX DATE
 *                                            the same for every employee whose code
 *                                            begins with PREFIX; prints how many
 *   disposaltool custody DIR USER CODE PATH  register in the custody register an exported
 *                                            file PATH (state written, destination
 *                                            contractor) holding the numbers of the
 *                                            employee with CODE and their dependants, as
 *                                            an export would; prints its id
 *   disposaltool unwrap DIR USER ID EMPLOYEE_ID EPOCH HEX
 *                                            try to open the wrapped data key HEX of
 *                                            number record ID (of the employee with
 *                                            EMPLOYEE_ID) under epoch key EPOCH with
 *                                            the vault's key file as it is now (a replayed
 *                                            page of an old database): prints OK or the
 *                                            error's name (EPOCH_GONE, SEAL_BROKEN)
 * Prints the error's name and exits 1 on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mnvault/custodydb.h"
#include "mnvault/numberdb.h"
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

static int cmd_retire_all(struct session *s, const char *prefix, const char *date)
{
    struct person_list list;
    enum mnv_err err = people_list(s, &list, NULL);
    if (err != MNV_OK)
        return report(err);
    long n = 0;
    for (size_t i = 0; err == MNV_OK && i < list.count; i++) {
        if (strncmp(list.rows[i].code, prefix, strlen(prefix)) != 0)
            continue;
        struct employee e;
        unsigned changed;
        err = people_employee_get(s, list.rows[i].id, &e, NULL);
        snprintf(e.retire_date, sizeof(e.retire_date), "%s", date);
        if (err == MNV_OK)
            err = people_employee_update(s, &e, &changed, NULL);
        n++;
    }
    person_list_free(&list);
    if (err == MNV_OK)
        printf("%ld\n", n);
    return report(err);
}

static int cmd_custody(struct session *s, const char *code, const char *path)
{
    struct person_ref refs[16];
    size_t n = 0;
    struct dependent *deps = NULL;
    size_t ndeps = 0;
    enum mnv_err err = retention_person(s, code, NULL, &refs[n++], NULL);
    if (err == MNV_OK)
        err = people_dependents_of(s, refs[0].id, &deps, &ndeps, NULL);
    for (size_t i = 0; err == MNV_OK && i < ndeps && n < 16; i++)
        refs[n++] = (struct person_ref){PERSON_DEPENDENT, deps[i].id};
    free(deps);
    struct vault *v = session_vault(s);
    struct custody_entry e;
    memset(&e, 0, sizeof(e));
    snprintf(e.form, sizeof(e.form), "nta375");
    e.year = 2025;
    snprintf(e.copy, sizeof(e.copy), "tax");
    snprintf(e.purpose, sizeof(e.purpose), "tax_withholding");
    snprintf(e.destination, sizeof(e.destination), "contractor");
    snprintf(e.path, sizeof(e.path), "%s", path);
    e.slips = 1;
    e.persons = (long)n;
    e.numbers = (long)n;
    int64_t id = 0;
    static const unsigned char hash[32] = {1};
    if (err == MNV_OK)
        err = vault_begin(v, NULL);
    if (err == MNV_OK) {
        err = custodydb_insert(v, &e, session_user(s), refs, n, &id, NULL);
        if (err == MNV_OK)
            err = custodydb_written(v, id, hash, 100, NULL);
        if (err == MNV_OK)
            err = vault_commit(v, NULL);
        else
            vault_rollback(v);
    }
    if (err == MNV_OK)
        printf("%lld\n", (long long)id);
    return report(err);
}

static int cmd_unwrap(struct session *s, const char *id, const char *employee, const char *epoch,
                      const char *hex)
{
    unsigned char wrapped[NUMBER_WRAPPED_LEN];
    size_t got = 0;
    if (sodium_hex2bin(wrapped, sizeof(wrapped), hex, strlen(hex), NULL, &got, NULL) != 0 ||
        got != sizeof(wrapped)) {
        fprintf(stderr, "disposaltool: a wrapped key is %zu bytes in hex\n", sizeof(wrapped));
        return 2;
    }
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!key)
        return 2;
    struct person_ref owner = {PERSON_EMPLOYEE, strtoll(employee, NULL, 10)};
    enum mnv_err err = numberdb_unwrap_key(session_vault(s), strtoll(id, NULL, 10), &owner,
                                           (uint32_t)strtoul(epoch, NULL, 10), wrapped, key);
    secmem_free(key);
    printf("%s\n", err == MNV_OK ? "OK" : mnv_err_name(err));
    return err == MNV_OK ? 0 : 1;
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
    else if (strcmp(argv[1], "retire-all") == 0 && argc == 6)
        rc = cmd_retire_all(s, argv[4], argv[5]);
    else if (strcmp(argv[1], "custody") == 0 && argc == 6)
        rc = cmd_custody(s, argv[4], argv[5]);
    else if (strcmp(argv[1], "unwrap") == 0 && argc == 8)
        rc = cmd_unwrap(s, argv[4], argv[5], argv[6], argv[7]);
    session_logout(s);
    return rc;
}
