/* secmem.h (base layer): memory for secrets.
 *
 * Keys, passwords and plaintext My Numbers live in secmem buffers: libsodium's guarded,
 * locked allocations, excluded from core dumps and wiped when freed. Sizes are rounded up
 * so that returned pointers are 16-byte aligned (sodium_malloc aligns to the page end).
 */
#ifndef MNVAULT_SECMEM_H
#define MNVAULT_SECMEM_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

/*
 * secmem_init: initialise libsodium and harden the process: no core dumps, not dumpable
 * (ptrace and /proc/<pid>/mem refused to other processes of the same user). Call once at
 * start-up before any secret is read. Returns MNV_OK or MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err secmem_init(void);

/*
 * secmem_alloc: n bytes of zeroed secret memory, or NULL when out of memory.
 * Release with secmem_free().
 */
MNV_MUST_CHECK void *secmem_alloc(size_t n);

/* secmem_free: wipe and release a secmem_alloc() buffer; NULL is allowed. */
void secmem_free(void *p);

/* secmem_wipe: zero n bytes in a way the compiler cannot remove. */
void secmem_wipe(void *p, size_t n);

/* secmem_equal: constant-time comparison of n bytes; 1 when equal, 0 otherwise. */
MNV_MUST_CHECK int secmem_equal(const void *a, const void *b, size_t n) MNV_NONNULL(1, 2);

#endif
