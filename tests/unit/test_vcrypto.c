/* Unit tests for key derivation and sealing, and the production Argon2id floor. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mnvault/secmem.h"
#include "mnvault/vcrypto.h"

static int group_setup(void **state)
{
    (void)state;
    return secmem_init() == MNV_OK ? 0 : -1;
}

static void test_vcrypto__production_floor_is_moderate(void **state)
{
    (void)state;
    struct vcrypto_kdf p;
    vcrypto_kdf_production(&p, 0);
    assert_int_equal(p.alg, crypto_pwhash_ALG_ARGON2ID13);
    assert_true(p.opslimit >= crypto_pwhash_OPSLIMIT_MODERATE);
    assert_true(p.memlimit >= crypto_pwhash_MEMLIMIT_MODERATE);
    assert_true(p.memlimit >= 256ULL << 20);
    assert_true(p.opslimit >= 3);
    vcrypto_kdf_production(&p, 1);
    assert_true(p.opslimit >= crypto_pwhash_OPSLIMIT_SENSITIVE);
    assert_true(p.memlimit >= crypto_pwhash_MEMLIMIT_SENSITIVE);
    assert_true(vcrypto_kdf_valid(&p));
}

static void test_vcrypto__fast_kdf_only_through_the_test_hook(void **state)
{
    (void)state;
    struct vcrypto_kdf p;
    unsetenv("MNVAULT_TEST_FAST_KDF");
    vcrypto_kdf_default(&p, 0);
    assert_true(p.memlimit >= crypto_pwhash_MEMLIMIT_MODERATE);
    setenv("MNVAULT_TEST_FAST_KDF", "1", 1);
    vcrypto_kdf_default(&p, 0);
    assert_int_equal(p.memlimit, crypto_pwhash_MEMLIMIT_MIN);
    unsetenv("MNVAULT_TEST_FAST_KDF");
}

static void test_vcrypto__kdf_limits(void **state)
{
    (void)state;
    struct vcrypto_kdf p = {crypto_pwhash_ALG_ARGON2ID13, 3, 1ULL << 40};
    assert_false(vcrypto_kdf_valid(&p));
    p.memlimit = 1 << 20;
    assert_true(vcrypto_kdf_valid(&p));
    p.alg = 1; /* Argon2i */
    assert_false(vcrypto_kdf_valid(&p));
    p.alg = crypto_pwhash_ALG_ARGON2ID13;
    p.opslimit = 0;
    assert_false(vcrypto_kdf_valid(&p));
    unsigned char key[32], salt[16] = {0};
    assert_int_equal(vcrypto_password_key(key, "pw", 2, salt, &p), MNV_ERR_INVALID);
}

static void test_vcrypto__derive_distinct_and_stable(void **state)
{
    (void)state;
    unsigned char mk[32], a[32], b[32], c[32];
    randombytes_buf(mk, sizeof(mk));
    assert_int_equal(vcrypto_derive(a, VCRYPTO_SUB_DB, mk), MNV_OK);
    assert_int_equal(vcrypto_derive(b, VCRYPTO_SUB_AUDIT, mk), MNV_OK);
    assert_int_equal(vcrypto_derive(c, VCRYPTO_SUB_DB, mk), MNV_OK);
    assert_memory_not_equal(a, b, 32);
    assert_memory_equal(a, c, 32);
}

static void test_vcrypto__seal_binds_associated_data(void **state)
{
    (void)state;
    unsigned char key[32], other[32], sealed[12 + VCRYPTO_SEAL_OVERHEAD], out[12];
    randombytes_buf(key, sizeof(key));
    randombytes_buf(other, sizeof(other));
    const unsigned char msg[12] = "123456789018";
    assert_int_equal(vcrypto_seal(sealed, msg, 12, (const unsigned char *)"row1", 4, key), MNV_OK);
    assert_int_equal(
        vcrypto_open(out, sealed, sizeof(sealed), (const unsigned char *)"row1", 4, key), MNV_OK);
    assert_memory_equal(out, msg, 12);
    assert_int_equal(
        vcrypto_open(out, sealed, sizeof(sealed), (const unsigned char *)"row2", 4, key),
        MNV_ERR_SEAL_BROKEN);
    assert_int_equal(
        vcrypto_open(out, sealed, sizeof(sealed), (const unsigned char *)"row1", 4, other),
        MNV_ERR_SEAL_BROKEN);
    sealed[30] ^= 1;
    assert_int_equal(
        vcrypto_open(out, sealed, sizeof(sealed), (const unsigned char *)"row1", 4, key),
        MNV_ERR_SEAL_BROKEN);
    assert_int_equal(vcrypto_open(out, sealed, 10, NULL, 0, key), MNV_ERR_INVALID);
}

/* 10,000 seals: no nonce repeats (random 192-bit nonces). */
static void test_vcrypto__nonces_do_not_repeat(void **state)
{
    (void)state;
    enum { N = 10000 };
    unsigned char key[32], msg[1] = {0};
    unsigned char(*nonces)[VCRYPTO_NONCE_LEN] = malloc(N * VCRYPTO_NONCE_LEN);
    unsigned char sealed[1 + VCRYPTO_SEAL_OVERHEAD];
    randombytes_buf(key, sizeof(key));
    for (int i = 0; i < N; i++) {
        assert_int_equal(vcrypto_seal(sealed, msg, 1, NULL, 0, key), MNV_OK);
        memcpy(nonces[i], sealed, VCRYPTO_NONCE_LEN);
    }
    /* Compare by their first 8 bytes after sorting would be faster; N is small. */
    for (int i = 0; i < N; i += 97)
        for (int j = i + 1; j < N; j++)
            assert_memory_not_equal(nonces[i], nonces[j], VCRYPTO_NONCE_LEN);
    free(nonces);
}

static void test_vcrypto__random_password_shape(void **state)
{
    (void)state;
    char a[30], b[30];
    vcrypto_random_password(a);
    vcrypto_random_password(b);
    assert_int_equal(strlen(a), 29);
    assert_int_equal(a[4], '-');
    assert_string_not_equal(a, b);
    for (int i = 0; a[i]; i++)
        assert_null(strchr("01lio", a[i]));
}

static void test_vcrypto__hex(void **state)
{
    (void)state;
    char out[7];
    const unsigned char in[3] = {0x00, 0xAB, 0xFF};
    assert_string_equal(vcrypto_hex(out, in, 3), "00abff");
}
