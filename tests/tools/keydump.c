/*
 * keydump: every key a session of USER holds, for the memory tests (test build only, never
 * installed): "keydump DIR USER", the password on standard input. Prints one "name hex" line
 * a key: the root keys the slot opened (vk, nk, bk when held), the slot's private key (sk),
 * the database key SQLCipher is given (db), the subkeys derived from them (field, chain,
 * blind, cert when held) and every epoch key the number key opens (epoch-ID). A test then
 * looks for each, in every form, in the memory of a running process (tests/security/
 * lock-memory.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/keyring.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/testhook.h"
#include "mnvault/vault.h"
#include "mnvault/vcrypto.h"

static char *hex; /* secmem, 2 * VCRYPTO_KEY_LEN + 1 */

static void put(const char *name, const unsigned char *key)
{
    if (key)
        printf("%s %s\n", name, vcrypto_hex(hex, key, VCRYPTO_KEY_LEN));
}

static void put_roots(const struct keyring_keys *k, unsigned char *scratch)
{
    put("vk", k->vk);
    put("sk", k->sk);
    if (k->have & KEYRING_HAVE_NK)
        put("nk", k->nk);
    if (k->have & KEYRING_HAVE_BK)
        put("bk", k->bk);
    if (vcrypto_derive_root(scratch, VCRYPTO_ROOT_VK, VCRYPTO_VK_DB, k->vk) == MNV_OK)
        put("db", scratch);
}

static void put_subkeys(struct vault *v)
{
    static const struct {
        const char *name;
        enum vault_subkey_id id;
    } subs[] = {{"field", VAULT_SUB_FIELD},
                {"chain", VAULT_SUB_CHAIN},
                {"blind", VAULT_SUB_BLIND},
                {"cert", VAULT_SUB_CERT}};
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
        put(subs[i].name, vault_subkey(v, subs[i].id));
    const struct keyring *kr = vault_keyring(v);
    for (size_t i = 0; i < keyring_epoch_count(kr); i++) {
        uint32_t id = keyring_epoch_id_at(kr, i);
        const unsigned char *ek;
        char name[32];
        snprintf(name, sizeof(name), "epoch-%u", (unsigned)id);
        if (vault_epoch_key(v, id, &ek) == MNV_OK)
            put(name, ek);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3 || !testhook_enabled() || secmem_init() != MNV_OK) {
        fprintf(stderr, "usage: keydump DIR USER (test build), password on standard input\n");
        return 2;
    }
    char *pw = secmem_alloc(300);
    unsigned char *scratch = secmem_alloc(VCRYPTO_KEY_LEN);
    hex = secmem_alloc(2 * VCRYPTO_KEY_LEN + 1);
    if (!pw || !scratch || !hex || !fgets(pw, 300, stdin))
        return 2;
    pw[strcspn(pw, "\r\n")] = '\0';
    struct session_options o = {0};
    vault_options_default(&o.vault);
    struct session *s;
    enum mnv_err err = session_login(argv[1], argv[2], pw, strlen(pw), &o, &s, NULL, NULL);
    secmem_free(pw);
    if (err != MNV_OK) {
        fprintf(stderr, "keydump: sign-in: %s\n", mnv_err_name(err));
        return 1;
    }
    struct vault *v = session_vault(s);
    put_roots(vault_keys(v), scratch);
    put_subkeys(v);
    session_logout(s);
    secmem_free(scratch);
    secmem_free(hex);
    return 0;
}
