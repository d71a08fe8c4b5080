#include "mnvault/secmem.h"

#include <sodium.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

enum mnv_err secmem_init(void)
{
    /* libsodium's ChaCha20 generator (seeded from getrandom, rekeyed after every call,
     * reseeded after fork) instead of one getrandom system call per request: the vault
     * draws three random values for every number it stores. Must precede sodium_init(). */
    if (randombytes_set_implementation(&randombytes_internal_implementation) != 0)
        return MNV_ERR_CRYPTO;
    if (sodium_init() < 0)
        return MNV_ERR_CRYPTO;
    /* A core file or a debugger attached by another process of the same user would see
     * keys; both are refused for the life of the process. */
    struct rlimit none = {0, 0};
    (void)setrlimit(RLIMIT_CORE, &none);
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    return MNV_OK;
}

void *secmem_alloc(size_t n)
{
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX - 15)
        return NULL;
    size_t rounded = (n + 15) & ~(size_t)15;
    void *p = sodium_malloc(rounded);
    if (p)
        memset(p, 0, rounded);
    return p;
}

void secmem_free(void *p)
{
    if (p)
        sodium_free(p); /* wipes before unmapping */
}

void secmem_wipe(void *p, size_t n)
{
    if (p && n)
        sodium_memzero(p, n);
}

int secmem_equal(const void *a, const void *b, size_t n)
{
    return sodium_memcmp(a, b, n) == 0;
}
