/*
 * keyring_up.c: turning a format-1 key file (one master key MK in every slot) into format 2
 * (doc/vault-format.md, "Upgrading a format-1 vault"). The service that drives an upgrade
 * is src/service/upgrade.c. Part of keyring.h.
 */
#include "keyring_int.h"

#include <string.h>

#include <sodium.h>

#include "mnvault/secmem.h"

static void mk_check(const unsigned char *mk, unsigned char out[VCRYPTO_HASH_LEN])
{
    crypto_generichash(out, VCRYPTO_HASH_LEN, mk, VCRYPTO_KEY_LEN,
                       (const unsigned char *)"mnvault-mk-check", 16);
}

/* VK sealed under MK's bridge subkey, for the format-1 slots still in the file. */
static enum mnv_err seal_bridge(struct keyring *kr, const struct keyring_keys *keys)
{
    enum mnv_err err = kr_mk_op(kr, keys->mk, VCRYPTO_SUB_BRIDGE, "mnvault-bridge", kr->vk_id,
                                keys->vk, kr->bridge_sealed, 1);
    mk_check(keys->mk, kr->mk_check);
    kr->legacy = 1;
    return err;
}

static void drop_names(struct keyring *kr, const char *const *drop, size_t n_drop)
{
    for (size_t i = 0; i < n_drop; i++)
        (void)keyring_slot_remove(kr, drop[i]);
}

/* The chain key stays MK's audit subkey (the old entries' hashes use it), now under VK. */
static enum mnv_err seal_chain_and_cert(struct keyring *kr, const struct keyring_keys *keys)
{
    unsigned char *k = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!k)
        return MNV_ERR_NOMEM;
    enum mnv_err err = vcrypto_derive(k, VCRYPTO_SUB_AUDIT, keys->mk);
    if (err == MNV_OK)
        err = kr_seal_key(kr, keys->vk, VCRYPTO_ROOT_VK, VCRYPTO_VK_SEAL, "mnvault-chain", k,
                          kr->chain_sealed);
    randombytes_buf(k, VCRYPTO_KEY_LEN);
    if (err == MNV_OK)
        err = kr_seal_key(kr, keys->nk, VCRYPTO_ROOT_NK, VCRYPTO_NK_CERT, "mnvault-cert", k,
                          kr->cert_sealed);
    if (err == MNV_OK)
        err = kr_seal_key(kr, keys->vk, VCRYPTO_ROOT_VK, VCRYPTO_VK_SEAL, "mnvault-mk", keys->mk,
                          kr->mk_sealed);
    secmem_free(k);
    return err;
}

enum mnv_err keyring_upgrade(struct keyring *kr, struct keyring_keys *keys, const char *const *drop,
                             size_t n_drop, uint32_t *new_epoch)
{
    *new_epoch = 0;
    if (kr->version != 1 || !(keys->have & KEYRING_HAVE_MK))
        return MNV_ERR_INVALID;
    randombytes_buf(keys->vk, VCRYPTO_KEY_LEN);
    randombytes_buf(keys->nk, VCRYPTO_KEY_LEN);
    randombytes_buf(keys->bk, VCRYPTO_KEY_LEN);
    keys->vk_id = keys->nk_id = keys->bk_id = 1;
    keys->have |= KEYRING_HAVE_VK | KEYRING_HAVE_NK | KEYRING_HAVE_BK;
    kr->version = 2;
    kr->vk_id = kr->nk_id = kr->bk_id = 1;
    kr->vk_next_id = 0;
    kr->flags = KEYRING_F_UPGRADING;
    drop_names(kr, drop, n_drop);
    enum mnv_err err = seal_bridge(kr, keys);
    if (err == MNV_OK)
        err = seal_chain_and_cert(kr, keys);
    if (err == MNV_OK)
        err = keyring_epoch_add(kr, keys, new_epoch);
    kr->dirty = 1;
    return err;
}

enum mnv_err keyring_upgrade_mk(const struct keyring *kr, struct keyring_keys *keys)
{
    if (!(kr->flags & KEYRING_F_UPGRADING) || !(keys->have & KEYRING_HAVE_VK))
        return MNV_ERR_INVALID;
    enum mnv_err err = kr_sealed_key(kr, keys->vk, VCRYPTO_ROOT_VK, VCRYPTO_VK_SEAL, "mnvault-mk",
                                     kr->mk_sealed, keys->mk);
    if (err == MNV_OK)
        keys->have |= KEYRING_HAVE_MK;
    return err;
}

void keyring_upgrade_finish(struct keyring *kr)
{
    size_t o = 0;
    for (size_t i = 0; i < kr->n_epochs; i++)
        if (kr->epochs[i].wrap == KR_WRAP_NK)
            kr->epochs[o++] = kr->epochs[i];
    sodium_memzero(&kr->epochs[o], (kr->n_epochs - o) * sizeof(kr->epochs[0]));
    kr->n_epochs = o;
    sodium_memzero(kr->mk_sealed, sizeof(kr->mk_sealed));
    kr->flags &= ~(uint32_t)KEYRING_F_UPGRADING;
    kr->dirty = 1;
}

size_t keyring_legacy_count(const struct keyring *kr)
{
    size_t n = 0;
    for (size_t i = 0; i < kr->n_slots; i++)
        n += kr->slots[i].kind == KEYRING_SLOT_LEGACY ||
             kr->slots[i].kind == KEYRING_SLOT_LEGACY_RECOVERY;
    return n;
}

void keyring_legacy_forget(struct keyring *kr)
{
    if (!kr->legacy && !keyring_legacy_count(kr))
        return;
    size_t o = 0;
    for (size_t i = 0; i < kr->n_slots; i++)
        if (kr->slots[i].kind != KEYRING_SLOT_LEGACY &&
            kr->slots[i].kind != KEYRING_SLOT_LEGACY_RECOVERY)
            kr->slots[o++] = kr->slots[i];
    sodium_memzero(&kr->slots[o], (kr->n_slots - o) * sizeof(kr->slots[0]));
    kr->n_slots = o;
    kr->legacy = 0;
    sodium_memzero(kr->mk_check, sizeof(kr->mk_check));
    sodium_memzero(kr->bridge_sealed, sizeof(kr->bridge_sealed));
    kr->dirty = 1;
}
