/* vcrypto.h (base layer): the vault's key derivation and sealing helpers.
 *
 * One place decides how keys are made and how small secrets are sealed, so the key file
 * (src/store/keyring.c) and the store modules cannot drift apart:
 *   - subkeys of the master key (MK) with crypto_kdf_derive_from_key, context "mnvault1",
 *     one numbered id per use (enum vcrypto_subkey; the ids are part of the file formats);
 *   - password keys with Argon2id (crypto_pwhash), whose cost is a struct vcrypto_kdf stored
 *     beside each key slot; production cost is at least libsodium's MODERATE class, and only
 *     the test build (testhook_fast_kdf()) may lower it;
 *   - sealing with XChaCha20-Poly1305 (IETF): out = nonce(24) || ciphertext || tag(16), the
 *     nonce random per call, associated data binding the sealed bytes to their place.
 * Every key handled here is 32 bytes; callers keep keys in secmem buffers.
 */
#ifndef MNVAULT_VCRYPTO_H
#define MNVAULT_VCRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

#define VCRYPTO_KEY_LEN 32
#define VCRYPTO_NONCE_LEN 24
#define VCRYPTO_TAG_LEN 16
#define VCRYPTO_SALT_LEN 16
#define VCRYPTO_HASH_LEN 32
/* Bytes a sealed message has beyond its plaintext: nonce and tag. */
#define VCRYPTO_SEAL_OVERHEAD (VCRYPTO_NONCE_LEN + VCRYPTO_TAG_LEN)

/*
 * Subkeys of the format-1 master key (MK), which every slot of a format-1 key file opened.
 * Kept to read and upgrade format-1 vaults (doc/vault-format.md, "Upgrading"). The numbers
 * are fixed forever: they are in the file formats.
 */
enum vcrypto_subkey {
    VCRYPTO_SUB_DB = 1,      /* SQLCipher raw key of vault.db */
    VCRYPTO_SUB_BLIND = 2,   /* keyed BLAKE2b blind index of numbers */
    VCRYPTO_SUB_AUDIT = 3,   /* keyed BLAKE2b of the audit chain */
    VCRYPTO_SUB_KEYFILE = 4, /* MAC of the protected part of vault.keys */
    VCRYPTO_SUB_SIGN = 5,    /* Ed25519 seed (certificates, checkpoints) */
    VCRYPTO_SUB_EPOCH = 6,   /* seals epoch keys inside vault.keys */
    VCRYPTO_SUB_FIELD = 7,   /* seals small per-user secrets in vault.db (TOTP secrets) */
    VCRYPTO_SUB_BACKUP = 8,  /* keys the backup files (doc/backup.md), one per file via BLAKE2b */
    VCRYPTO_SUB_BRIDGE = 9,  /* after an upgrade to format 2: seals VK for the format-1 slots */
};

/*
 * The roots of the key hierarchy of key file format 2 (doc/vault-format.md). Each is 32
 * random bytes and has its own KDF context, so no subkey of one root equals one of another:
 *   VK, the vault key: every active user's slot opens it (database access);
 *   NK, the number key: only the slots of roles that read numbers, and the recovery slot;
 *   BK, the backup key: only the slots of roles that may restore backups, and recovery.
 */
enum vcrypto_root {
    VCRYPTO_ROOT_VK = 1,
    VCRYPTO_ROOT_NK = 2,
    VCRYPTO_ROOT_BK = 3,
};

/* Subkeys of each root. Fixed forever: they are in the file formats. */
enum {
    VCRYPTO_VK_DB = 1,      /* SQLCipher raw key of vault.db */
    VCRYPTO_VK_KEYFILE = 2, /* MAC of the protected part of vault.keys */
    VCRYPTO_VK_FIELD = 3,   /* seals small per-user secrets in vault.db (TOTP secrets) */
    VCRYPTO_VK_SEAL = 4,    /* seals the audit chain key and the sealing state in vault.keys */
    VCRYPTO_NK_BLIND = 1,   /* keyed BLAKE2b blind index of numbers */
    VCRYPTO_NK_EPOCH = 2,   /* seals epoch keys inside vault.keys */
    VCRYPTO_NK_CERT = 3,    /* seals the certificate signing key inside vault.keys */
    VCRYPTO_BK_FILE = 1,    /* keys the backup files, one per file via BLAKE2b */
};

/*
 * vcrypto_derive_root: subkey id of the root key (root says which: VK, NK or BK) into out.
 * Returns MNV_OK or MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err vcrypto_derive_root(unsigned char out[VCRYPTO_KEY_LEN],
                                                enum vcrypto_root root, uint64_t id,
                                                const unsigned char key[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 4);

/*
 * Envelopes: a 32-byte key sealed to an X25519 public key, so that a key can be given to a
 * slot without its password (a supervisor completing an account, a rotation). An envelope
 * is an ephemeral public key, then the key sealed (XChaCha20-Poly1305, associated data as
 * given) under BLAKE2b-256 keyed with the X25519 shared secret over a domain string, the
 * ephemeral and the recipient's public key.
 */
#define VCRYPTO_PK_LEN 32
#define VCRYPTO_ENV_LEN (VCRYPTO_PK_LEN + VCRYPTO_KEY_LEN + VCRYPTO_SEAL_OVERHEAD)

/* vcrypto_keypair: a fresh X25519 key pair (sk: pass secmem). */
void vcrypto_keypair(unsigned char pk[VCRYPTO_PK_LEN], unsigned char sk[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 2);

/* vcrypto_keypair_seed: the X25519 key pair derived from a 32-byte secret seed. */
void vcrypto_keypair_seed(unsigned char pk[VCRYPTO_PK_LEN], unsigned char sk[VCRYPTO_KEY_LEN],
                          const unsigned char seed[VCRYPTO_KEY_LEN]) MNV_NONNULL(1, 2, 3);

/*
 * vcrypto_env_seal: seal key to the public key pk with associated data ad[0..adlen) into
 * out. Returns MNV_OK or MNV_ERR_CRYPTO (pk is not a usable public key).
 */
MNV_MUST_CHECK enum mnv_err
vcrypto_env_seal(unsigned char out[VCRYPTO_ENV_LEN], const unsigned char key[VCRYPTO_KEY_LEN],
                 const unsigned char *ad, size_t adlen, const unsigned char pk[VCRYPTO_PK_LEN])
    MNV_NONNULL(1, 2, 5);

/*
 * vcrypto_env_open: open an envelope made for the pair (pk, sk) into key (secmem).
 * Returns MNV_OK or MNV_ERR_SEAL_BROKEN (another recipient, other ad, or altered).
 */
MNV_MUST_CHECK enum mnv_err
vcrypto_env_open(unsigned char key[VCRYPTO_KEY_LEN], const unsigned char env[VCRYPTO_ENV_LEN],
                 const unsigned char *ad, size_t adlen, const unsigned char pk[VCRYPTO_PK_LEN],
                 const unsigned char sk[VCRYPTO_KEY_LEN]) MNV_NONNULL(1, 2, 5, 6);

/* Argon2id cost stored with each password slot. */
struct vcrypto_kdf {
    uint32_t alg;      /* crypto_pwhash_ALG_ARGON2ID13 */
    uint64_t opslimit; /* passes */
    uint64_t memlimit; /* bytes */
};

/*
 * vcrypto_derive: subkey id of mk into out (32 bytes). Returns MNV_OK or MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err vcrypto_derive(unsigned char out[VCRYPTO_KEY_LEN],
                                           enum vcrypto_subkey id,
                                           const unsigned char mk[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 3);

/*
 * vcrypto_kdf_production: the production cost: MODERATE (3 passes, 256 MiB), or SENSITIVE
 * (4 passes, 1 GiB) when strong is nonzero. Never depends on test hooks.
 */
void vcrypto_kdf_production(struct vcrypto_kdf *p, int strong) MNV_NONNULL(1);

/*
 * vcrypto_kdf_default: the cost for a new slot: the production cost, except in the test
 * build with MNVAULT_TEST_FAST_KDF=1, where it is the library's minimum.
 */
void vcrypto_kdf_default(struct vcrypto_kdf *p, int strong) MNV_NONNULL(1);

/*
 * vcrypto_kdf_valid: 1 when p is a cost this program accepts from a file (Argon2id, within
 * libsodium's limits, memory at most 4 GiB), else 0. A damaged file must not make us try
 * to allocate absurd amounts of memory.
 */
MNV_MUST_CHECK int vcrypto_kdf_valid(const struct vcrypto_kdf *p) MNV_NONNULL(1);

/*
 * vcrypto_password_key: Argon2id of password[0..len) with salt and cost p into out.
 * Returns MNV_OK, MNV_ERR_INVALID (cost not valid) or MNV_ERR_NOMEM (the library could not
 * get the memory the cost asks for).
 */
MNV_MUST_CHECK enum mnv_err
vcrypto_password_key(unsigned char out[VCRYPTO_KEY_LEN], const char *password, size_t len,
                     const unsigned char salt[VCRYPTO_SALT_LEN], const struct vcrypto_kdf *p)
    MNV_NONNULL(1, 2, 4, 5);

/*
 * vcrypto_seal: seal msg[0..len) under key with associated data ad[0..adlen) (ad may be
 * NULL when adlen is 0) into out, which has room for len + VCRYPTO_SEAL_OVERHEAD bytes.
 * Returns MNV_OK or MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err vcrypto_seal(unsigned char *out, const unsigned char *msg, size_t len,
                                         const unsigned char *ad, size_t adlen,
                                         const unsigned char key[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 6);

/*
 * vcrypto_seal_nonce: vcrypto_seal() with the nonce given by the caller (24 bytes that
 * must never repeat under the same key: random, from a CSPRNG). out as vcrypto_seal().
 */
MNV_MUST_CHECK enum mnv_err
vcrypto_seal_nonce(unsigned char *out, const unsigned char nonce[VCRYPTO_NONCE_LEN],
                   const unsigned char *msg, size_t len, const unsigned char *ad, size_t adlen,
                   const unsigned char key[VCRYPTO_KEY_LEN]) MNV_NONNULL(1, 2, 7);

/*
 * vcrypto_open: open in[0..inlen) sealed by vcrypto_seal() with the same ad and key into
 * out (inlen - VCRYPTO_SEAL_OVERHEAD bytes). Returns MNV_OK, or MNV_ERR_SEAL_BROKEN when
 * the bytes, the key or the associated data do not match (out is then wiped), or
 * MNV_ERR_INVALID when inlen is too short.
 */
MNV_MUST_CHECK enum mnv_err vcrypto_open(unsigned char *out, const unsigned char *in, size_t inlen,
                                         const unsigned char *ad, size_t adlen,
                                         const unsigned char key[VCRYPTO_KEY_LEN])
    MNV_NONNULL(1, 2, 6);

/*
 * vcrypto_hex: lower-case hex of in[0..len) into out (2*len+1 bytes). Returns out. When in
 * is a secret, out is one too.
 */
char *vcrypto_hex(char *out, const unsigned char *in, size_t len) MNV_NONNULL(1, 2);

/*
 * vcrypto_random_password: a one-time password of 24 characters from an alphabet without
 * look-alikes, in groups of four joined by '-' (29 characters + NUL) into out (secret;
 * at least 30 bytes). About 120 bits.
 */
void vcrypto_random_password(char out[30]) MNV_NONNULL(1);

#endif
