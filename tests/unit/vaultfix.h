/*
 * vaultfix.h: a throw-away vault for store-level unit tests (header-only, static helpers).
 * fix_make() creates dir/vault.db and dir/vault.keys with fresh root keys (fix.keys holds
 * VK, NK and BK, as a supervisor's login would), in a fresh temporary folder, and leaves
 * the vault open in fix.v; fix_reopen() closes and opens it
 * again as a new process would; fix_drop() removes everything.
 */
#ifndef MNVAULT_TESTS_VAULTFIX_H
#define MNVAULT_TESTS_VAULTFIX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "mnvault/keyring.h"
#include "mnvault/secmem.h"
#include "mnvault/vault.h"

struct vaultfix {
    char dir[256];
    struct keyring_keys *keys;
    struct keyring *kr;
    struct vault *v;
    struct vault_options opt;
};

static struct vaultfix fix;

static void fix_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", fix.dir, name);
}

static int fix_make(void)
{
    memset(&fix, 0, sizeof(fix));
    if (secmem_init() != MNV_OK)
        return -1;
    setenv("MNVAULT_TEST_FAST_KDF", "1", 1);
    snprintf(fix.dir, sizeof(fix.dir), "/tmp/mnv-vault-XXXXXX");
    if (!mkdtemp(fix.dir))
        return -1;
    fix.keys = keyring_keys_new();
    if (!fix.keys)
        return -1;
    vault_options_default(&fix.opt);
    fix.opt.syslog = 0;
    fix.opt.cache_mib = 8;
    char db[300];
    fix_path(db, sizeof(db), "vault.db");
    if (keyring_new(fix.dir, fix.keys, &fix.kr) != MNV_OK)
        return -1;
    if (vault_create(db, fix.kr, fix.keys, &fix.opt, &fix.v, NULL) != MNV_OK)
        return -1;
    if (keyring_create_file(fix.kr, fix.keys, 0, NULL) != MNV_OK)
        return -1;
    vault_close(fix.v);
    fix.v = NULL;
    return vault_open(fix.dir, fix.kr, fix.keys, &fix.opt, &fix.v, NULL) == MNV_OK ? 0 : -1;
}

static enum mnv_err fix_reopen(void)
{
    vault_close(fix.v);
    fix.v = NULL;
    keyring_free(fix.kr);
    fix.kr = NULL;
    enum mnv_err err = keyring_load(fix.dir, &fix.kr, NULL);
    if (err != MNV_OK)
        return err;
    return vault_open(fix.dir, fix.kr, fix.keys, &fix.opt, &fix.v, NULL);
}

static int fix_drop(void)
{
    vault_close(fix.v);
    keyring_free(fix.kr);
    keyring_keys_free(fix.keys);
    fix.v = NULL;
    fix.kr = NULL;
    fix.keys = NULL;
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fix.dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* fix_copy: cp dir/from dir/to (for rollback tests). */
static int fix_copy(const char *from, const char *to)
{
    char cmd[900];
    snprintf(cmd, sizeof(cmd), "cp -p '%s/%s' '%s/%s'", fix.dir, from, fix.dir, to);
    return system(cmd);
}

#endif
