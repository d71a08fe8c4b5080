#include "mnvault/vcrypto.h"

#include <string.h>

#include <sodium.h>

#include "mnvault/secmem.h"
#include "mnvault/testhook.h"

/* Part of the file formats: changing it makes every existing vault unreadable. */
static const char kdf_context[crypto_kdf_CONTEXTBYTES] = {'m', 'n', 'v', 'a', 'u', 'l', 't', '1'};

enum mnv_err vcrypto_derive(unsigned char out[VCRYPTO_KEY_LEN], enum vcrypto_subkey id,
                            const unsigned char mk[VCRYPTO_KEY_LEN])
{
    if (crypto_kdf_derive_from_key(out, VCRYPTO_KEY_LEN, (uint64_t)id, kdf_context, mk) != 0)
        return MNV_ERR_CRYPTO;
    return MNV_OK;
}

/* Contexts of the format-2 roots; part of the file formats like the one above. */
static const char root_context[4][crypto_kdf_CONTEXTBYTES] = {
    {0},
    {'m', 'n', 'v', 'k', 'e', 'y', 'V', 'K'},
    {'m', 'n', 'v', 'k', 'e', 'y', 'N', 'K'},
    {'m', 'n', 'v', 'k', 'e', 'y', 'B', 'K'}};

enum mnv_err vcrypto_derive_root(unsigned char out[VCRYPTO_KEY_LEN], enum vcrypto_root root,
                                 uint64_t id, const unsigned char key[VCRYPTO_KEY_LEN])
{
    if (root < VCRYPTO_ROOT_VK || root > VCRYPTO_ROOT_BK ||
        crypto_kdf_derive_from_key(out, VCRYPTO_KEY_LEN, id, root_context[root], key) != 0)
        return MNV_ERR_CRYPTO;
    return MNV_OK;
}

void vcrypto_keypair(unsigned char pk[VCRYPTO_PK_LEN], unsigned char sk[VCRYPTO_KEY_LEN])
{
    crypto_box_keypair(pk, sk);
}

void vcrypto_keypair_seed(unsigned char pk[VCRYPTO_PK_LEN], unsigned char sk[VCRYPTO_KEY_LEN],
                          const unsigned char seed[VCRYPTO_KEY_LEN])
{
    crypto_box_seed_keypair(pk, sk, seed);
}

/* The key that seals an envelope: BLAKE2b-256 of the shared secret, both public keys. */
static int env_key(unsigned char out[VCRYPTO_KEY_LEN], const unsigned char *eph_pk,
                   const unsigned char *pk, const unsigned char *shared)
{
    static const char domain[] = "mnvault-envelope-1";
    crypto_generichash_state st;
    int rc = crypto_generichash_init(&st, shared, crypto_scalarmult_BYTES, VCRYPTO_KEY_LEN) ||
             crypto_generichash_update(&st, (const unsigned char *)domain, sizeof(domain)) ||
             crypto_generichash_update(&st, eph_pk, VCRYPTO_PK_LEN) ||
             crypto_generichash_update(&st, pk, VCRYPTO_PK_LEN) ||
             crypto_generichash_final(&st, out, VCRYPTO_KEY_LEN);
    sodium_memzero(&st, sizeof(st));
    return rc;
}

enum mnv_err vcrypto_env_seal(unsigned char out[VCRYPTO_ENV_LEN],
                              const unsigned char key[VCRYPTO_KEY_LEN], const unsigned char *ad,
                              size_t adlen, const unsigned char pk[VCRYPTO_PK_LEN])
{
    unsigned char *w = secmem_alloc(3 * VCRYPTO_KEY_LEN);
    if (!w)
        return MNV_ERR_NOMEM;
    unsigned char *eph_sk = w, *shared = w + VCRYPTO_KEY_LEN, *wk = w + 2 * VCRYPTO_KEY_LEN;
    crypto_box_keypair(out, eph_sk);
    enum mnv_err err = MNV_ERR_CRYPTO;
    if (crypto_scalarmult(shared, eph_sk, pk) == 0 && env_key(wk, out, pk, shared) == 0)
        err = vcrypto_seal(out + VCRYPTO_PK_LEN, key, VCRYPTO_KEY_LEN, ad, adlen, wk);
    secmem_free(w);
    return err;
}

enum mnv_err vcrypto_env_open(unsigned char key[VCRYPTO_KEY_LEN],
                              const unsigned char env[VCRYPTO_ENV_LEN], const unsigned char *ad,
                              size_t adlen, const unsigned char pk[VCRYPTO_PK_LEN],
                              const unsigned char sk[VCRYPTO_KEY_LEN])
{
    unsigned char *w = secmem_alloc(2 * VCRYPTO_KEY_LEN);
    if (!w)
        return MNV_ERR_NOMEM;
    unsigned char *shared = w, *wk = w + VCRYPTO_KEY_LEN;
    enum mnv_err err = MNV_ERR_SEAL_BROKEN;
    if (crypto_scalarmult(shared, sk, env) == 0 && env_key(wk, env, pk, shared) == 0)
        err = vcrypto_open(key, env + VCRYPTO_PK_LEN, VCRYPTO_ENV_LEN - VCRYPTO_PK_LEN, ad, adlen,
                           wk);
    secmem_free(w);
    return err == MNV_OK ? MNV_OK : MNV_ERR_SEAL_BROKEN;
}

void vcrypto_kdf_production(struct vcrypto_kdf *p, int strong)
{
    p->alg = crypto_pwhash_ALG_ARGON2ID13;
    p->opslimit = strong ? crypto_pwhash_OPSLIMIT_SENSITIVE : crypto_pwhash_OPSLIMIT_MODERATE;
    p->memlimit = strong ? crypto_pwhash_MEMLIMIT_SENSITIVE : crypto_pwhash_MEMLIMIT_MODERATE;
}

void vcrypto_kdf_default(struct vcrypto_kdf *p, int strong)
{
    vcrypto_kdf_production(p, strong);
    if (testhook_fast_kdf()) {
        /* The cheapest cost, one pass more for the stronger setting, so that a test can
         * see [vault] kdf_strength reach the key slot. */
        p->opslimit = crypto_pwhash_OPSLIMIT_MIN + (strong ? 1u : 0u);
        p->memlimit = crypto_pwhash_MEMLIMIT_MIN;
    }
}

int vcrypto_kdf_valid(const struct vcrypto_kdf *p)
{
    return p->alg == crypto_pwhash_ALG_ARGON2ID13 && p->opslimit >= crypto_pwhash_OPSLIMIT_MIN &&
           p->opslimit <= 64 && p->memlimit >= crypto_pwhash_MEMLIMIT_MIN &&
           p->memlimit <= (4ULL << 30);
}

enum mnv_err vcrypto_password_key(unsigned char out[VCRYPTO_KEY_LEN], const char *password,
                                  size_t len, const unsigned char salt[VCRYPTO_SALT_LEN],
                                  const struct vcrypto_kdf *p)
{
    if (!vcrypto_kdf_valid(p))
        return MNV_ERR_INVALID;
    if (crypto_pwhash(out, VCRYPTO_KEY_LEN, password, len, salt, p->opslimit, (size_t)p->memlimit,
                      (int)p->alg) != 0) {
        secmem_wipe(out, VCRYPTO_KEY_LEN);
        return MNV_ERR_NOMEM;
    }
    return MNV_OK;
}

enum mnv_err vcrypto_seal(unsigned char *out, const unsigned char *msg, size_t len,
                          const unsigned char *ad, size_t adlen,
                          const unsigned char key[VCRYPTO_KEY_LEN])
{
    unsigned long long clen = 0;
    randombytes_buf(out, VCRYPTO_NONCE_LEN);
    if (crypto_aead_xchacha20poly1305_ietf_encrypt(out + VCRYPTO_NONCE_LEN, &clen, msg, len, ad,
                                                   adlen, NULL, out, key) != 0)
        return MNV_ERR_CRYPTO;
    return MNV_OK;
}

enum mnv_err vcrypto_seal_nonce(unsigned char *out, const unsigned char nonce[VCRYPTO_NONCE_LEN],
                                const unsigned char *msg, size_t len, const unsigned char *ad,
                                size_t adlen, const unsigned char key[VCRYPTO_KEY_LEN])
{
    unsigned long long clen = 0;
    memmove(out, nonce, VCRYPTO_NONCE_LEN);
    if (crypto_aead_xchacha20poly1305_ietf_encrypt(out + VCRYPTO_NONCE_LEN, &clen, msg, len, ad,
                                                   adlen, NULL, out, key) != 0)
        return MNV_ERR_CRYPTO;
    return MNV_OK;
}

enum mnv_err vcrypto_open(unsigned char *out, const unsigned char *in, size_t inlen,
                          const unsigned char *ad, size_t adlen,
                          const unsigned char key[VCRYPTO_KEY_LEN])
{
    if (inlen < VCRYPTO_SEAL_OVERHEAD)
        return MNV_ERR_INVALID;
    unsigned long long mlen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, &mlen, NULL, in + VCRYPTO_NONCE_LEN,
                                                   inlen - VCRYPTO_NONCE_LEN, ad, adlen, in,
                                                   key) != 0) {
        secmem_wipe(out, inlen - VCRYPTO_SEAL_OVERHEAD);
        return MNV_ERR_SEAL_BROKEN;
    }
    return MNV_OK;
}

char *vcrypto_hex(char *out, const unsigned char *in, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
    return out;
}

void vcrypto_random_password(char out[30])
{
    /* 31 symbols: no 0/o, 1/l/i, so it can be read aloud and typed from paper. */
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
    size_t o = 0;
    for (int i = 0; i < 24; i++) {
        if (i > 0 && i % 4 == 0)
            out[o++] = '-';
        out[o++] = alphabet[randombytes_uniform((uint32_t)(sizeof(alphabet) - 1))];
    }
    out[o] = '\0';
}
