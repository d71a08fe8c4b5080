#include "mnvault/alloc.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/secmem.h"

/* No object may be larger than PTRDIFF_MAX bytes (pointer differences must fit). */
#define BYTES_MAX ((size_t)PTRDIFF_MAX)

void *alloc_grow(void *items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap && items)
        return items;
    if (elem == 0)
        return NULL;
    size_t max = BYTES_MAX / elem, n = *cap >= 16 ? *cap : 16;
    if (need > max)
        return NULL;
    while (n < need)
        n = n > max / 2 ? max : n * 2;
    void *p = realloc(items, n * elem);
    if (!p)
        return NULL;
    *cap = n;
    return p;
}

void *alloc_grow_wiped(void *items, size_t *cap, size_t used, size_t need, size_t elem)
{
    if (need <= *cap && items)
        return items;
    size_t grown = *cap;
    void *p = alloc_grow(NULL, &grown, need, elem);
    if (!p)
        return NULL;
    if (items) {
        memcpy(p, items, used * elem); /* used <= *cap: no overflow */
        secmem_wipe(items, *cap * elem);
        free(items);
    }
    *cap = grown;
    return p;
}

void *alloc_array(size_t n, size_t elem)
{
    if (elem && n > BYTES_MAX / elem)
        return NULL;
    return calloc(n ? n : 1, elem ? elem : 1);
}
