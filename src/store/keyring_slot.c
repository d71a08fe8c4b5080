/*
 * keyring_slot.c: key slots: making them, giving and taking back root keys through
 * envelopes, opening them with a password or the recovery key. Part of keyring.h.
 */
#include "keyring_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mnvault/secmem.h"
#include "mnvault/utf8.h"

/* Password, one-time and legacy slots are the slots of a user: at most one per name. */
int kr_user_kind(uint8_t kind)
{
    return kind == KEYRING_SLOT_PASSWORD || kind == KEYRING_SLOT_ONE_TIME ||
           kind == KEYRING_SLOT_LEGACY;
}

int kr_name_ok(const char *name, size_t len)
{
    if (len == 0 || len > KEYRING_NAME_MAX || !utf8_valid(name, len))
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7F)
            return 0;
    return 1;
}

struct keyring_slot *kr_find_user(const struct keyring *kr, const char *name)
{
    for (size_t i = 0; i < kr->n_slots; i++)
        if (kr_user_kind(kr->slots[i].kind) && strcmp(kr->slots[i].name, name) == 0)
            return (struct keyring_slot *)&kr->slots[i];
    return NULL;
}

struct keyring_slot *kr_find_recovery(const struct keyring *kr)
{
    for (size_t i = 0; i < kr->n_slots; i++)
        if (kr->slots[i].kind == KEYRING_SLOT_RECOVERY ||
            kr->slots[i].kind == KEYRING_SLOT_LEGACY_RECOVERY)
            return (struct keyring_slot *)&kr->slots[i];
    return NULL;
}

size_t keyring_slot_count(const struct keyring *kr)
{
    return kr->n_slots;
}

const struct keyring_slot *keyring_slot_at(const struct keyring *kr, size_t i)
{
    return i < kr->n_slots ? &kr->slots[i] : NULL;
}

const struct keyring_slot *keyring_find_slot(const struct keyring *kr, const char *name)
{
    return kr_find_user(kr, name);
}

/* ---- approval codes ------------------------------------------------------------------------ */

static const char code_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

enum mnv_err keyring_slot_code(const struct keyring *kr, const char *name,
                               char out[KEYRING_CODE_SIZE])
{
    static const char tag[] = "mnvault-approval-1";
    out[0] = '\0';
    const struct keyring_slot *s = kr_find_user(kr, name);
    if (!s || (s->kind != KEYRING_SLOT_PASSWORD && s->kind != KEYRING_SLOT_ONE_TIME))
        return MNV_ERR_USER_NOT_FOUND;
    unsigned char h[10];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof(h));
    crypto_generichash_update(&st, (const unsigned char *)tag, sizeof(tag));
    crypto_generichash_update(&st, kr->vault_id, KEYRING_ID_LEN);
    crypto_generichash_update(&st, (const unsigned char *)s->name, strlen(s->name) + 1);
    crypto_generichash_update(&st, s->pub, VCRYPTO_PK_LEN);
    crypto_generichash_final(&st, h, sizeof(h));
    /* 80 bits, 5 at a time, most significant first. */
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        int bit = i * 5, byte = bit / 8, shift = bit % 8;
        unsigned v = ((unsigned)h[byte] << 8 | (byte + 1 < 10 ? h[byte + 1] : 0u)) >> (11 - shift);
        if (i && i % 4 == 0)
            out[o++] = '-';
        out[o++] = code_alphabet[v & 31u];
    }
    out[o] = '\0';
    return MNV_OK;
}

/* The next significant character of a code, upper case, read the lenient way; 0 at the end. */
static char code_next(const char **p)
{
    for (; **p; (*p)++) {
        char c = **p;
        if (c == '-' || c == ' ')
            continue;
        (*p)++;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        return c == 'O' ? '0' : (c == 'I' || c == 'L') ? '1' : c;
    }
    return 0;
}

int keyring_code_equal(const char *a, const char *b)
{
    for (;;) {
        char x = code_next(&a), y = code_next(&b);
        if (x != y)
            return 0;
        if (!x)
            return 1;
    }
}

int keyring_slot_same(const struct keyring *kr, const struct keyring_slot *slot)
{
    const struct keyring_slot *s =
        slot->kind == KEYRING_SLOT_RECOVERY || slot->kind == KEYRING_SLOT_LEGACY_RECOVERY
            ? kr_find_recovery(kr)
            : kr_find_user(kr, slot->name);
    return s && s->kind == slot->kind && memcmp(s->salt, slot->salt, sizeof(s->salt)) == 0 &&
           memcmp(s->sealed, slot->sealed, sizeof(s->sealed)) == 0 &&
           memcmp(s->pub, slot->pub, sizeof(s->pub)) == 0;
}

/* ---- associated data ------------------------------------------------------------------ */

#define AD_MAX (32 + KEYRING_ID_LEN + 1 + KEYRING_NAME_MAX + VCRYPTO_PK_LEN + 8)

/* A format-2 slot's sealed X25519 secret: bound to the vault, kind, name and public key. */
static size_t slot_ad(unsigned char *ad, const struct keyring *kr, const struct keyring_slot *s)
{
    static const char tag[] = "mnvault-slot-2";
    size_t n = sizeof(tag) - 1, nl = strlen(s->name);
    memcpy(ad, tag, n);
    memcpy(ad + n, kr->vault_id, KEYRING_ID_LEN);
    n += KEYRING_ID_LEN;
    ad[n++] = s->kind;
    memcpy(ad + n, s->name, nl);
    n += nl;
    memcpy(ad + n, s->pub, VCRYPTO_PK_LEN);
    return n + VCRYPTO_PK_LEN;
}

/* A format-1 slot (kind 1 password, 2 recovery, 3 one-time), as format 1 sealed MK. */
static size_t legacy_ad(unsigned char *ad, const struct keyring *kr, const struct keyring_slot *s)
{
    static const char tag[] = "mnvault-slot";
    size_t n = sizeof(tag) - 1, nl = strlen(s->name);
    memcpy(ad, tag, n);
    memcpy(ad + n, kr->vault_id, KEYRING_ID_LEN);
    n += KEYRING_ID_LEN;
    ad[n++] = s->kind == KEYRING_SLOT_LEGACY_RECOVERY
                  ? KEYRING_SLOT_RECOVERY
                  : (s->legacy_one_time ? KEYRING_SLOT_ONE_TIME : KEYRING_SLOT_PASSWORD);
    memcpy(ad + n, s->name, nl);
    return n + nl;
}

/* An envelope: bound to the vault, the slot's name and public key, the key and its id. */
static size_t env_ad(unsigned char *ad, const struct keyring *kr, const struct keyring_slot *s,
                     uint8_t key, uint32_t id)
{
    static const char tag[] = "mnvault-env-2";
    size_t n = sizeof(tag) - 1, nl = strlen(s->name);
    memcpy(ad, tag, n);
    memcpy(ad + n, kr->vault_id, KEYRING_ID_LEN);
    n += KEYRING_ID_LEN;
    memcpy(ad + n, s->name, nl);
    n += nl;
    ad[n++] = key;
    kr_put_u32(ad + n, id);
    n += 4;
    memcpy(ad + n, s->pub, VCRYPTO_PK_LEN);
    return n + VCRYPTO_PK_LEN;
}

/* ---- envelopes ---------------------------------------------------------------------------- */

enum mnv_err kr_env_put(const struct keyring *kr, struct keyring_slot *s, enum keyring_key key,
                        uint32_t id, const unsigned char value[VCRYPTO_KEY_LEN])
{
    size_t at = s->n_env;
    for (size_t i = 0; i < s->n_env; i++)
        if (s->env[i].key == key && s->env[i].id == id)
            at = i;
    if (at == KEYRING_SLOT_ENVS)
        return MNV_ERR_KEYFILE_FULL;
    unsigned char ad[AD_MAX];
    size_t adlen = env_ad(ad, kr, s, (uint8_t)key, id);
    enum mnv_err err = vcrypto_env_seal(s->env[at].box, value, ad, adlen, s->pub);
    if (err != MNV_OK)
        return err;
    s->env[at].key = (uint8_t)key;
    s->env[at].id = id;
    if (at == s->n_env)
        s->n_env++;
    return MNV_OK;
}

/* Drop the envelopes of the keys in mask (all ids, or only id when it is not 0). */
void kr_env_drop(struct keyring_slot *s, unsigned keys, uint32_t id_or_0)
{
    size_t o = 0;
    for (size_t i = 0; i < s->n_env; i++) {
        if ((s->env[i].key & keys) && (id_or_0 == 0 || s->env[i].id == id_or_0))
            continue;
        s->env[o++] = s->env[i];
    }
    sodium_memzero(&s->env[o], (s->n_env - o) * sizeof(s->env[0]));
    s->n_env = o;
}

unsigned keyring_slot_keys(const struct keyring *kr, const struct keyring_slot *slot)
{
    unsigned have = 0;
    for (size_t i = 0; i < slot->n_env; i++) {
        const struct keyring_env *e = &slot->env[i];
        if (e->id == keyring_key_id(kr, (enum keyring_key)e->key))
            have |= e->key;
    }
    return have;
}

/* The value and id of a root key that keys holds, or NULL. */
static const unsigned char *held(const struct keyring_keys *keys, enum keyring_key key,
                                 uint32_t *id)
{
    switch (key) {
    case KEYRING_KEY_VK:
        *id = keys->vk_id;
        return (keys->have & KEYRING_HAVE_VK) ? keys->vk : NULL;
    case KEYRING_KEY_NK:
        *id = keys->nk_id;
        return (keys->have & KEYRING_HAVE_NK) ? keys->nk : NULL;
    case KEYRING_KEY_BK:
        *id = keys->bk_id;
        return (keys->have & KEYRING_HAVE_BK) ? keys->bk : NULL;
    }
    return NULL;
}

/* Envelopes for every key of give, and the next VK too while a rotation is half way. */
static enum mnv_err give_keys(const struct keyring *kr, struct keyring_slot *s,
                              const struct keyring_keys *keys, unsigned give)
{
    static const enum keyring_key all[] = {KEYRING_KEY_VK, KEYRING_KEY_NK, KEYRING_KEY_BK};
    for (size_t i = 0; i < MNV_ARRAY_LEN(all); i++) {
        if (!(give & all[i]))
            continue;
        uint32_t id;
        const unsigned char *v = held(keys, all[i], &id);
        if (!v || id != keyring_key_id(kr, all[i]))
            return MNV_ERR_INVALID;
        enum mnv_err err = kr_env_put(kr, s, all[i], id, v);
        if (err != MNV_OK)
            return err;
    }
    if ((give & KEYRING_KEY_VK) && kr->vk_next_id) {
        if (!(keys->have & KEYRING_HAVE_VK_NEXT) || keys->vk_next_id != kr->vk_next_id)
            return MNV_ERR_INVALID;
        return kr_env_put(kr, s, KEYRING_KEY_VK, kr->vk_next_id, keys->vk_next);
    }
    return MNV_OK;
}

/* ---- making and changing slots ------------------------------------------------------------ */

enum mnv_err keyring_slot_make(const struct keyring *kr, enum keyring_slot_kind kind,
                               const char *name, const char *password, size_t len,
                               const struct vcrypto_kdf *kdf, const struct keyring_keys *keys,
                               unsigned give, struct keyring_slot *out, struct keyring_keys *self)
{
    memset(out, 0, sizeof(*out));
    size_t nl = strlen(name);
    if (nl > KEYRING_NAME_MAX)
        return MNV_ERR_TOO_LONG;
    if ((kind != KEYRING_SLOT_PASSWORD && kind != KEYRING_SLOT_ONE_TIME) || !kr_name_ok(name, nl) ||
        !vcrypto_kdf_valid(kdf) || !(give & KEYRING_KEY_VK))
        return MNV_ERR_INVALID;
    out->kind = (uint8_t)kind;
    memcpy(out->name, name, nl + 1);
    out->kdf = *kdf;
    randombytes_buf(out->salt, sizeof(out->salt));
    unsigned char *w = secmem_alloc(2 * VCRYPTO_KEY_LEN);
    if (!w)
        return MNV_ERR_NOMEM;
    unsigned char *sk = w, *pwkey = w + VCRYPTO_KEY_LEN;
    vcrypto_keypair(out->pub, sk);
    enum mnv_err err = vcrypto_password_key(pwkey, password, len, out->salt, kdf);
    if (err == MNV_OK) {
        unsigned char ad[AD_MAX];
        size_t adlen = slot_ad(ad, kr, out);
        err = vcrypto_seal(out->sealed, sk, VCRYPTO_KEY_LEN, ad, adlen, pwkey);
    }
    if (err == MNV_OK)
        err = give_keys(kr, out, keys, give);
    if (err == MNV_OK && self) {
        memcpy(self->sk, sk, VCRYPTO_KEY_LEN);
        memcpy(self->pub, out->pub, VCRYPTO_PK_LEN);
        self->kind = out->kind;
        self->have |= KEYRING_HAVE_SK;
    }
    secmem_free(w);
    if (err != MNV_OK)
        sodium_memzero(out, sizeof(*out));
    return err;
}

enum mnv_err keyring_slot_put(struct keyring *kr, const struct keyring_slot *slot)
{
    int recovery =
        slot->kind == KEYRING_SLOT_RECOVERY || slot->kind == KEYRING_SLOT_LEGACY_RECOVERY;
    struct keyring_slot *s = recovery ? kr_find_recovery(kr) : kr_find_user(kr, slot->name);
    if (!s) {
        if (kr->n_slots >= KEYRING_MAX_SLOTS)
            return MNV_ERR_KEYFILE_FULL;
        s = &kr->slots[kr->n_slots++];
    }
    *s = *slot;
    kr->dirty = 1;
    return MNV_OK;
}

int keyring_slot_remove(struct keyring *kr, const char *name)
{
    struct keyring_slot *s = kr_find_user(kr, name);
    if (!s)
        return 0;
    size_t i = (size_t)(s - kr->slots);
    memmove(&kr->slots[i], &kr->slots[i + 1], (kr->n_slots - i - 1) * sizeof(kr->slots[0]));
    kr->n_slots--;
    sodium_memzero(&kr->slots[kr->n_slots], sizeof(kr->slots[0]));
    kr->dirty = 1;
    return 1;
}

enum mnv_err keyring_slot_grant(struct keyring *kr, const char *name,
                                const struct keyring_keys *keys, unsigned give)
{
    struct keyring_slot *s = kr_find_user(kr, name);
    if (!s || s->kind == KEYRING_SLOT_LEGACY)
        return MNV_ERR_USER_NOT_FOUND;
    enum mnv_err err = give_keys(kr, s, keys, give & ~(unsigned)KEYRING_KEY_VK);
    if (err == MNV_OK)
        kr->dirty = 1;
    return err;
}

int keyring_slot_revoke(struct keyring *kr, const char *name, unsigned take)
{
    struct keyring_slot *s = kr_find_user(kr, name);
    if (!s)
        return 0;
    size_t before = s->n_env;
    kr_env_drop(s, take, 0);
    if (s->n_env != before)
        kr->dirty = 1;
    return s->n_env != before;
}

/* ---- opening ---------------------------------------------------------------------------- */

/* Open every envelope of s that keys' X25519 pair can, for the file's current key ids. */
static enum mnv_err open_envelopes(const struct keyring *kr, const struct keyring_slot *s,
                                   struct keyring_keys *keys)
{
    keys->have &=
        ~(unsigned)(KEYRING_HAVE_VK | KEYRING_HAVE_NK | KEYRING_HAVE_BK | KEYRING_HAVE_VK_NEXT);
    for (size_t i = 0; i < s->n_env; i++) {
        const struct keyring_env *e = &s->env[i];
        unsigned char *dst = NULL;
        unsigned bit = 0;
        if (e->key == KEYRING_KEY_VK && e->id == kr->vk_id) {
            dst = keys->vk, bit = KEYRING_HAVE_VK, keys->vk_id = e->id;
        } else if (e->key == KEYRING_KEY_VK && e->id == kr->vk_next_id) {
            dst = keys->vk_next, bit = KEYRING_HAVE_VK_NEXT, keys->vk_next_id = e->id;
        } else if (e->key == KEYRING_KEY_NK && e->id == kr->nk_id) {
            dst = keys->nk, bit = KEYRING_HAVE_NK, keys->nk_id = e->id;
        } else if (e->key == KEYRING_KEY_BK && e->id == kr->bk_id) {
            dst = keys->bk, bit = KEYRING_HAVE_BK, keys->bk_id = e->id;
        }
        if (!dst)
            continue;
        unsigned char ad[AD_MAX];
        size_t adlen = env_ad(ad, kr, s, e->key, e->id);
        enum mnv_err err = vcrypto_env_open(dst, e->box, ad, adlen, keys->pub, keys->sk);
        if (err == MNV_ERR_NOMEM)
            return err; /* not a wrong password: nothing may count against the user */
        if (err == MNV_OK)
            keys->have |= bit;
    }
    return (keys->have & (KEYRING_HAVE_VK | KEYRING_HAVE_VK_NEXT)) ? MNV_OK : MNV_ERR_SLOT_WRONG;
}

/* MK of a legacy slot opened: check it against the bridge and take VK through it. */
static enum mnv_err open_bridge(const struct keyring *kr, struct keyring_keys *keys)
{
    keys->have |= KEYRING_HAVE_MK;
    if (kr->version == 1)
        return MNV_OK; /* not upgraded yet: MK is all there is */
    if (!kr->legacy)
        return MNV_ERR_SLOT_WRONG;
    unsigned char check[VCRYPTO_HASH_LEN];
    crypto_generichash(check, sizeof(check), keys->mk, VCRYPTO_KEY_LEN,
                       (const unsigned char *)"mnvault-mk-check", 16);
    if (sodium_memcmp(check, kr->mk_check, sizeof(check)) != 0)
        return MNV_ERR_SLOT_WRONG;
    enum mnv_err err = kr_mk_op(kr, keys->mk, VCRYPTO_SUB_BRIDGE, "mnvault-bridge", kr->vk_id,
                                kr->bridge_sealed, keys->vk, 0);
    if (err != MNV_OK)
        return MNV_ERR_SLOT_WRONG;
    keys->vk_id = kr->vk_id;
    keys->have |= KEYRING_HAVE_VK;
    return MNV_OK;
}

/* Open slot s with its (password or recovery) key k into keys. */
static enum mnv_err open_with(const struct keyring *kr, const struct keyring_slot *s,
                              const unsigned char *k, struct keyring_keys *keys)
{
    unsigned char ad[AD_MAX];
    memset(keys, 0, sizeof(*keys));
    keys->kind = s->kind;
    snprintf(keys->name, sizeof(keys->name), "%s", s->name);
    if (s->kind == KEYRING_SLOT_LEGACY || s->kind == KEYRING_SLOT_LEGACY_RECOVERY) {
        size_t adlen = legacy_ad(ad, kr, s);
        if (vcrypto_open(keys->mk, s->sealed, sizeof(s->sealed), ad, adlen, k) != MNV_OK)
            return MNV_ERR_SLOT_WRONG;
        return open_bridge(kr, keys);
    }
    if (s->kind == KEYRING_SLOT_RECOVERY) {
        vcrypto_keypair_seed(keys->pub, keys->sk, k);
        if (sodium_memcmp(keys->pub, s->pub, VCRYPTO_PK_LEN) != 0)
            return MNV_ERR_SLOT_WRONG;
    } else {
        size_t adlen = slot_ad(ad, kr, s);
        if (vcrypto_open(keys->sk, s->sealed, sizeof(s->sealed), ad, adlen, k) != MNV_OK)
            return MNV_ERR_SLOT_WRONG;
        memcpy(keys->pub, s->pub, VCRYPTO_PK_LEN);
    }
    keys->have |= KEYRING_HAVE_SK;
    return open_envelopes(kr, s, keys);
}

/* A slot with the first user slot's cost (else the default), that nothing opens. */
static void dummy_slot(const struct keyring *kr, struct keyring_slot *d)
{
    memset(d, 0, sizeof(*d));
    d->kind = KEYRING_SLOT_PASSWORD;
    snprintf(d->name, sizeof(d->name), "%s", "?");
    vcrypto_kdf_default(&d->kdf, 0);
    for (size_t i = 0; i < kr->n_slots; i++)
        if (kr_user_kind(kr->slots[i].kind)) {
            d->kdf = kr->slots[i].kdf;
            break;
        }
    randombytes_buf(d->salt, sizeof(d->salt));
    randombytes_buf(d->sealed, sizeof(d->sealed));
}

enum mnv_err keyring_slot_open(const struct keyring *kr, const char *name, const char *password,
                               size_t len, struct keyring_keys *keys)
{
    const struct keyring_slot *s = kr_find_user(kr, name);
    struct keyring_slot dummy;
    if (!s) {
        dummy_slot(kr, &dummy);
        s = &dummy;
    }
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!key)
        return MNV_ERR_NOMEM;
    enum mnv_err err = vcrypto_password_key(key, password, len, s->salt, &s->kdf);
    if (err == MNV_OK)
        err = open_with(kr, s, key, keys);
    if (s == &dummy)
        err = MNV_ERR_SLOT_WRONG; /* the dummy holds random bytes: never opens */
    /* A new slot written before its commit (a crash in between): the caller checks, once
     * the vault is open, that it is the user's slot now (keyring_slot_opened()). */
    const struct keyring_slot *p = &kr->pending;
    if (err == MNV_ERR_SLOT_WRONG && kr->has_pending && strcmp(p->name, name) == 0 &&
        vcrypto_password_key(key, password, len, p->salt, &p->kdf) == MNV_OK)
        err = open_with(kr, p, key, keys);
    secmem_free(key);
    if (err != MNV_OK)
        sodium_memzero(keys, sizeof(*keys));
    return err;
}

const struct keyring_slot *keyring_slot_opened(const struct keyring *kr,
                                               const struct keyring_keys *keys)
{
    const struct keyring_slot *s = kr_find_user(kr, keys->name);
    if (s && (keys->have & KEYRING_HAVE_SK) && memcmp(s->pub, keys->pub, VCRYPTO_PK_LEN) == 0)
        return s;
    if (kr->has_pending && strcmp(kr->pending.name, keys->name) == 0 &&
        memcmp(kr->pending.pub, keys->pub, VCRYPTO_PK_LEN) == 0)
        return &kr->pending;
    return s; /* a legacy slot (no key pair) */
}

enum mnv_err keyring_keys_refresh(const struct keyring *kr, struct keyring_keys *keys)
{
    if (!(keys->have & KEYRING_HAVE_SK))
        return (keys->have & KEYRING_HAVE_MK) ? open_bridge(kr, keys) : MNV_ERR_SLOT_WRONG;
    const struct keyring_slot *s =
        keys->kind == KEYRING_SLOT_RECOVERY ? kr_find_recovery(kr) : kr_find_user(kr, keys->name);
    if (!s || s->kind != keys->kind || sodium_memcmp(s->pub, keys->pub, VCRYPTO_PK_LEN) != 0)
        return MNV_ERR_SLOT_WRONG;
    return open_envelopes(kr, s, keys);
}

/* ---- the recovery slot -------------------------------------------------------------------- */

int keyring_recovery_present(const struct keyring *kr)
{
    return kr_find_recovery(kr) != NULL;
}

enum mnv_err keyring_recovery_set(struct keyring *kr,
                                  const unsigned char recovery_key[VCRYPTO_KEY_LEN],
                                  const struct keyring_keys *keys)
{
    unsigned need = KEYRING_HAVE_VK | KEYRING_HAVE_NK | KEYRING_HAVE_BK;
    if ((keys->have & need) != need)
        return MNV_ERR_INVALID;
    struct keyring_slot s;
    memset(&s, 0, sizeof(s));
    s.kind = KEYRING_SLOT_RECOVERY;
    unsigned char *sk = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!sk)
        return MNV_ERR_NOMEM;
    vcrypto_keypair_seed(s.pub, sk, recovery_key);
    secmem_free(sk);
    enum mnv_err err = give_keys(kr, &s, keys, need);
    if (err == MNV_OK)
        err = keyring_slot_put(kr, &s);
    sodium_memzero(&s, sizeof(s));
    return err;
}

enum mnv_err keyring_recovery_open(const struct keyring *kr,
                                   const unsigned char recovery_key[VCRYPTO_KEY_LEN],
                                   struct keyring_keys *keys)
{
    const struct keyring_slot *s = kr_find_recovery(kr);
    if (!s)
        return MNV_ERR_NOT_FOUND;
    enum mnv_err err = open_with(kr, s, recovery_key, keys);
    if (err != MNV_OK)
        sodium_memzero(keys, sizeof(*keys));
    return err == MNV_ERR_NOMEM ? err : (err == MNV_OK ? MNV_OK : MNV_ERR_SLOT_WRONG);
}
