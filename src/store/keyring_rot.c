/*
 * keyring_rot.c: the keys sealed inside the protected part (epoch keys under NK, the audit
 * chain key under VK, the certificate key under NK), and the rotations of the root keys,
 * which seal them again and give the new root key to every slot that held the old one.
 * Part of keyring.h.
 */
#include "keyring_int.h"

#include <string.h>

#include <sodium.h>

#include "mnvault/secmem.h"

/* ---- sealing under a subkey of a root ------------------------------------------------------ */

/* Associated data: a tag, the vault id and, for epoch keys, the id. */
static size_t sealed_ad(unsigned char ad[64], const struct keyring *kr, const char *tag,
                        uint32_t id)
{
    size_t n = strlen(tag);
    memcpy(ad, tag, n);
    memcpy(ad + n, kr->vault_id, KEYRING_ID_LEN);
    n += KEYRING_ID_LEN;
    kr_put_u32(ad + n, id);
    return n + 4;
}

static enum mnv_err sealed_op(const struct keyring *kr, const unsigned char key[VCRYPTO_KEY_LEN],
                              enum vcrypto_root root, uint64_t sub, const char *tag, uint32_t id,
                              const unsigned char *in, unsigned char *out, int seal)
{
    unsigned char *k = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!k)
        return MNV_ERR_NOMEM;
    unsigned char ad[64];
    size_t adlen = sealed_ad(ad, kr, tag, id);
    enum mnv_err err = vcrypto_derive_root(k, root, sub, key);
    if (err == MNV_OK)
        err = seal ? vcrypto_seal(out, in, VCRYPTO_KEY_LEN, ad, adlen, k)
                   : vcrypto_open(out, in, KEYRING_SEALED_KEY_LEN, ad, adlen, k);
    secmem_free(k);
    return err;
}

/* The same under a subkey of format 1's master key (its epoch keys, the upgrade's bridge). */
enum mnv_err kr_mk_op(const struct keyring *kr, const unsigned char mk[VCRYPTO_KEY_LEN],
                      enum vcrypto_subkey sub, const char *tag, uint32_t id,
                      const unsigned char *in, unsigned char *out, int seal)
{
    unsigned char *k = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!k)
        return MNV_ERR_NOMEM;
    unsigned char ad[64];
    size_t adlen = sealed_ad(ad, kr, tag, id);
    enum mnv_err err = vcrypto_derive(k, sub, mk);
    if (err == MNV_OK)
        err = seal ? vcrypto_seal(out, in, VCRYPTO_KEY_LEN, ad, adlen, k)
                   : vcrypto_open(out, in, KEYRING_SEALED_KEY_LEN, ad, adlen, k);
    secmem_free(k);
    return err;
}

enum mnv_err kr_sealed_key(const struct keyring *kr, const unsigned char key[VCRYPTO_KEY_LEN],
                           enum vcrypto_root root, uint64_t sub, const char *tag,
                           const unsigned char *sealed, unsigned char *out)
{
    return sealed_op(kr, key, root, sub, tag, 0, sealed, out, 0);
}

enum mnv_err kr_seal_key(const struct keyring *kr, const unsigned char key[VCRYPTO_KEY_LEN],
                         enum vcrypto_root root, uint64_t sub, const char *tag,
                         const unsigned char value[VCRYPTO_KEY_LEN], unsigned char *sealed)
{
    return sealed_op(kr, key, root, sub, tag, 0, value, sealed, 1);
}

/* ---- epochs ------------------------------------------------------------------------------ */

uint32_t keyring_epoch_current(const struct keyring *kr)
{
    return kr->n_epochs ? kr->epochs[kr->n_epochs - 1].id : 0;
}

size_t keyring_epoch_count(const struct keyring *kr)
{
    return kr->n_epochs;
}

uint32_t keyring_epoch_id_at(const struct keyring *kr, size_t i)
{
    return i < kr->n_epochs ? kr->epochs[i].id : 0;
}

/* Format-1 epoch keys: sealed under MK's epoch subkey, as format 1 did. */
static enum mnv_err legacy_epoch(const struct keyring *kr, const struct kr_epoch *e,
                                 const unsigned char *mk, unsigned char *key)
{
    return kr_mk_op(kr, mk, VCRYPTO_SUB_EPOCH, "mnvault-epoch", e->id, e->sealed, key, 0);
}

enum mnv_err keyring_epoch_key(const struct keyring *kr, uint32_t id,
                               const struct keyring_keys *keys, unsigned char key[VCRYPTO_KEY_LEN])
{
    const struct kr_epoch *e = NULL;
    for (size_t i = 0; i < kr->n_epochs; i++)
        if (kr->epochs[i].id == id)
            e = &kr->epochs[i];
    if (!e)
        return MNV_ERR_EPOCH_GONE;
    if (e->wrap == KR_WRAP_MK)
        return (keys->have & KEYRING_HAVE_MK) ? legacy_epoch(kr, e, keys->mk, key)
                                              : MNV_ERR_NUMBER_KEY;
    if (!(keys->have & KEYRING_HAVE_NK) || keys->nk_id != kr->nk_id)
        return MNV_ERR_NUMBER_KEY;
    return sealed_op(kr, keys->nk, VCRYPTO_ROOT_NK, VCRYPTO_NK_EPOCH, "mnvault-epoch-2", id,
                     e->sealed, key, 0);
}

enum mnv_err keyring_epoch_add(struct keyring *kr, const struct keyring_keys *keys, uint32_t *id)
{
    if (kr->n_epochs >= KEYRING_MAX_EPOCHS)
        return MNV_ERR_KEYFILE_FULL;
    if (!(keys->have & KEYRING_HAVE_NK) || keys->nk_id != kr->nk_id)
        return MNV_ERR_NUMBER_KEY;
    uint32_t nid = keyring_epoch_current(kr) + 1;
    unsigned char *ek = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!ek)
        return MNV_ERR_NOMEM;
    randombytes_buf(ek, VCRYPTO_KEY_LEN);
    struct kr_epoch *e = &kr->epochs[kr->n_epochs];
    enum mnv_err err = sealed_op(kr, keys->nk, VCRYPTO_ROOT_NK, VCRYPTO_NK_EPOCH, "mnvault-epoch-2",
                                 nid, ek, e->sealed, 1);
    secmem_free(ek);
    if (err != MNV_OK)
        return err;
    e->id = nid;
    e->wrap = KR_WRAP_NK;
    kr->n_epochs++;
    kr->dirty = 1;
    *id = nid;
    return MNV_OK;
}

size_t keyring_epoch_forget_old(struct keyring *kr)
{
    if (kr->n_epochs <= 1)
        return 0;
    size_t gone = kr->n_epochs - 1;
    kr->epochs[0] = kr->epochs[kr->n_epochs - 1];
    sodium_memzero(&kr->epochs[1], gone * sizeof(kr->epochs[0]));
    kr->n_epochs = 1;
    kr->dirty = 1;
    return gone;
}

size_t keyring_epoch_export(const struct keyring *kr, unsigned char *out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < kr->n_epochs && n < max; i++) {
        if (kr->epochs[i].wrap != KR_WRAP_NK)
            continue;
        unsigned char *p = out + n * KEYRING_EPOCH_ENTRY;
        kr_put_u32(p, kr->epochs[i].id);
        memcpy(p + 4, kr->epochs[i].sealed, KEYRING_SEALED_KEY_LEN);
        n++;
    }
    return n;
}

enum mnv_err keyring_epoch_import(struct keyring *kr, const unsigned char *in, size_t n)
{
    struct kr_epoch e[KEYRING_MAX_EPOCHS];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = in + i * KEYRING_EPOCH_ENTRY;
        uint32_t id =
            (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        if (id == KEYRING_EPOCH_WIPED)
            continue; /* wiped by a disposal */
        if (id == 0 || k == KEYRING_MAX_EPOCHS || (k > 0 && id <= e[k - 1].id))
            return MNV_ERR_KEYFILE_DAMAGED;
        e[k].id = id;
        e[k].wrap = KR_WRAP_NK;
        memcpy(e[k].sealed, p + 4, KEYRING_SEALED_KEY_LEN);
        k++;
    }
    memcpy(kr->epochs, e, k * sizeof(e[0]));
    kr->n_epochs = k;
    kr->dirty = 1;
    return MNV_OK;
}

/* ---- the chain and certificate keys --------------------------------------------------------- */

enum mnv_err keyring_chain_key(const struct keyring *kr, const struct keyring_keys *keys,
                               unsigned char key[VCRYPTO_KEY_LEN])
{
    if (kr->version == 1)
        return (keys->have & KEYRING_HAVE_MK) ? vcrypto_derive(key, VCRYPTO_SUB_AUDIT, keys->mk)
                                              : MNV_ERR_NUMBER_KEY;
    const unsigned char *vk = kr_mac_key_root(kr, keys);
    if (!vk)
        return MNV_ERR_NUMBER_KEY;
    if (kr_is_zero(kr->chain_sealed, sizeof(kr->chain_sealed)))
        return MNV_ERR_NOT_FOUND;
    return kr_sealed_key(kr, vk, VCRYPTO_ROOT_VK, VCRYPTO_VK_SEAL, "mnvault-chain",
                         kr->chain_sealed, key);
}

enum mnv_err keyring_cert_key(const struct keyring *kr, const struct keyring_keys *keys,
                              unsigned char key[VCRYPTO_KEY_LEN])
{
    if (!(keys->have & KEYRING_HAVE_NK) || keys->nk_id != kr->nk_id)
        return MNV_ERR_NUMBER_KEY;
    if (kr_is_zero(kr->cert_sealed, sizeof(kr->cert_sealed)))
        return MNV_ERR_NOT_FOUND;
    return kr_sealed_key(kr, keys->nk, VCRYPTO_ROOT_NK, VCRYPTO_NK_CERT, "mnvault-cert",
                         kr->cert_sealed, key);
}

/* ---- rotations ------------------------------------------------------------------------------ */

/* Give value (id) of key to every slot holding key's current id, and to the recovery slot. */
static enum mnv_err give_all(struct keyring *kr, enum keyring_key key, uint32_t old_id, uint32_t id,
                             const unsigned char value[VCRYPTO_KEY_LEN], int drop_old)
{
    for (size_t i = 0; i < kr->n_slots; i++) {
        struct keyring_slot *s = &kr->slots[i];
        int has = 0;
        for (size_t j = 0; j < s->n_env; j++)
            has |= s->env[j].key == key && s->env[j].id == old_id;
        if (!has)
            continue;
        if (drop_old)
            kr_env_drop(s, key, old_id);
        enum mnv_err err = kr_env_put(kr, s, key, id, value);
        if (err != MNV_OK)
            return err;
    }
    kr->dirty = 1;
    return MNV_OK;
}

/* Epoch keys and the certificate seed: opened with the old NK, sealed under the new. */
static enum mnv_err reseal_under_nk(struct keyring *kr, const struct keyring_keys *old,
                                    const unsigned char *new_nk)
{
    unsigned char *k = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!k)
        return MNV_ERR_NOMEM;
    enum mnv_err err = MNV_OK;
    for (size_t i = 0; i < kr->n_epochs && err == MNV_OK; i++) {
        if (kr->epochs[i].wrap != KR_WRAP_NK)
            continue;
        err = keyring_epoch_key(kr, kr->epochs[i].id, old, k);
        if (err == MNV_OK)
            err = sealed_op(kr, new_nk, VCRYPTO_ROOT_NK, VCRYPTO_NK_EPOCH, "mnvault-epoch-2",
                            kr->epochs[i].id, k, kr->epochs[i].sealed, 1);
    }
    if (err == MNV_OK && !kr_is_zero(kr->cert_sealed, sizeof(kr->cert_sealed))) {
        err = keyring_cert_key(kr, old, k);
        if (err == MNV_OK)
            err = kr_seal_key(kr, new_nk, VCRYPTO_ROOT_NK, VCRYPTO_NK_CERT, "mnvault-cert", k,
                              kr->cert_sealed);
    }
    secmem_free(k);
    return err;
}

enum mnv_err keyring_rotate_nk(struct keyring *kr, struct keyring_keys *keys)
{
    if (!(keys->have & KEYRING_HAVE_NK) || keys->nk_id != kr->nk_id)
        return MNV_ERR_INVALID;
    unsigned char *nk = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!nk)
        return MNV_ERR_NOMEM;
    randombytes_buf(nk, VCRYPTO_KEY_LEN);
    uint32_t old_id = kr->nk_id, id = old_id + 1;
    enum mnv_err err = reseal_under_nk(kr, keys, nk);
    if (err == MNV_OK)
        err = give_all(kr, KEYRING_KEY_NK, old_id, id, nk, 1);
    if (err == MNV_OK) {
        kr->nk_id = id;
        memcpy(keys->nk, nk, VCRYPTO_KEY_LEN);
        keys->nk_id = id;
        kr->flags &= ~(uint32_t)KEYRING_F_NK_ROTATION_DUE;
        kr->dirty = 1;
    }
    secmem_free(nk);
    return err;
}

enum mnv_err keyring_rotate_bk(struct keyring *kr, struct keyring_keys *keys)
{
    if (!(keys->have & KEYRING_HAVE_BK) || keys->bk_id != kr->bk_id)
        return MNV_ERR_INVALID;
    unsigned char *bk = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!bk)
        return MNV_ERR_NOMEM;
    randombytes_buf(bk, VCRYPTO_KEY_LEN);
    uint32_t old_id = kr->bk_id, id = old_id + 1;
    enum mnv_err err = give_all(kr, KEYRING_KEY_BK, old_id, id, bk, 1);
    if (err == MNV_OK) {
        kr->bk_id = id;
        memcpy(keys->bk, bk, VCRYPTO_KEY_LEN);
        keys->bk_id = id;
    }
    secmem_free(bk);
    return err;
}

enum mnv_err keyring_vk_begin(struct keyring *kr, struct keyring_keys *keys)
{
    if (!(keys->have & KEYRING_HAVE_VK) || keys->vk_id != kr->vk_id || kr->vk_next_id ||
        (kr->flags & KEYRING_F_UPGRADING))
        return MNV_ERR_INVALID;
    keyring_legacy_forget(kr); /* legacy slots would get the new VK through MK */
    randombytes_buf(keys->vk_next, VCRYPTO_KEY_LEN);
    uint32_t id = kr->vk_id + 1;
    enum mnv_err err = give_all(kr, KEYRING_KEY_VK, kr->vk_id, id, keys->vk_next, 0);
    if (err != MNV_OK)
        return err;
    kr->vk_next_id = id;
    keys->vk_next_id = id;
    keys->have |= KEYRING_HAVE_VK_NEXT;
    return MNV_OK;
}

int keyring_vk_pending(const struct keyring *kr)
{
    return kr->vk_next_id != 0;
}

enum mnv_err keyring_vk_finish(struct keyring *kr, struct keyring_keys *keys)
{
    if (!kr->vk_next_id || !(keys->have & KEYRING_HAVE_VK_NEXT) ||
        keys->vk_next_id != kr->vk_next_id)
        return MNV_ERR_INVALID;
    unsigned char *k = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!k)
        return MNV_ERR_NOMEM;
    enum mnv_err err = MNV_OK;
    int have_old = (keys->have & KEYRING_HAVE_VK) && keys->vk_id == kr->vk_id;
    if (have_old && !kr_is_zero(kr->chain_sealed, sizeof(kr->chain_sealed))) {
        err = keyring_chain_key(kr, keys, k);
        if (err == MNV_OK)
            err = kr_seal_key(kr, keys->vk_next, VCRYPTO_ROOT_VK, VCRYPTO_VK_SEAL, "mnvault-chain",
                              k, kr->chain_sealed);
    }
    secmem_free(k);
    if (err != MNV_OK)
        return err;
    for (size_t i = 0; i < kr->n_slots; i++)
        kr_env_drop(&kr->slots[i], KEYRING_KEY_VK, kr->vk_id);
    kr->vk_id = kr->vk_next_id;
    kr->vk_next_id = 0;
    memcpy(keys->vk, keys->vk_next, VCRYPTO_KEY_LEN);
    keys->vk_id = kr->vk_id;
    sodium_memzero(keys->vk_next, VCRYPTO_KEY_LEN);
    keys->vk_next_id = 0;
    keys->have = (keys->have | KEYRING_HAVE_VK) & ~(unsigned)KEYRING_HAVE_VK_NEXT;
    kr->dirty = 1;
    return MNV_OK;
}
