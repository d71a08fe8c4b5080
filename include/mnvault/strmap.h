/* strmap.h (base layer): a map from strings to numbers (open addressing, FNV-1a), for
 * finding again what was seen earlier in a file: the row that added an employee code, the
 * line of a person. Keys are copied; the struct is the caller's.
 */
#ifndef MNVAULT_STRMAP_H
#define MNVAULT_STRMAP_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

struct strmap {
    char **keys; /* private: cap slots, NULL when empty */
    long *vals;
    size_t cap;   /* a power of two, or 0 */
    size_t count; /* keys held */
};

#define STRMAP_INIT                                                                                \
    {                                                                                              \
        NULL, NULL, 0, 0                                                                           \
    }

/* strmap_get: the value of key, or -1 when the map does not hold it. */
long strmap_get(const struct strmap *m, const char *key) MNV_NONNULL(1, 2);

/*
 * strmap_put: key (copied) now maps to val, replacing an earlier value. Returns MNV_OK or
 * MNV_ERR_NOMEM (the map is then unchanged).
 */
MNV_MUST_CHECK enum mnv_err strmap_put(struct strmap *m, const char *key, long val)
    MNV_NONNULL(1, 2);

/* strmap_free: release the keys and slots; the map is empty (and reusable) afterwards. */
void strmap_free(struct strmap *m) MNV_NONNULL(1);

#endif
