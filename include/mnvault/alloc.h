/* alloc.h (base layer): growing arrays without overflow. Every array that grows as rows,
 * lines or findings arrive grows through alloc_grow(), so the size arithmetic is checked in
 * one place and out of memory is an error the caller returns (MNV_ERR_NOMEM), never an exit.
 */
#ifndef MNVAULT_ALLOC_H
#define MNVAULT_ALLOC_H

#include <stddef.h>

#include "mnvault/attr.h"

/*
 * alloc_grow: make room for at least need elements of elem bytes in the array items (NULL
 * for none yet) whose room is *cap elements. Room grows by doubling, from 16 elements.
 * Returns the array, moved perhaps (the old pointer is then invalid); *cap is its new room.
 * Returns NULL when out of memory or when the size would pass PTRDIFF_MAX bytes (no such
 * array can exist; the allocator is not even asked): items and *cap are then
 * unchanged and still the caller's. New room is not initialised. Free with free().
 */
MNV_MUST_CHECK void *alloc_grow(void *items, size_t *cap, size_t need, size_t elem) MNV_NONNULL(2);

/*
 * alloc_grow_wiped: alloc_grow() for memory that holds secrets or a file's content: the first
 * used elements move to a new block and the old one (*cap elements) is wiped and freed, never
 * handed to realloc(), which could leave it unwiped. Returns items itself when it has room for
 * need already. NULL when out of memory or too large: items and *cap are then unchanged and
 * still the caller's. New room is not initialised. Free with free() after wiping (secmem.h).
 */
MNV_MUST_CHECK void *alloc_grow_wiped(void *items, size_t *cap, size_t used, size_t need,
                                      size_t elem) MNV_NONNULL(2);

/*
 * alloc_array: a zeroed array of n elements of elem bytes (calloc with the product checked
 * against PTRDIFF_MAX; n may be 0, giving a unique pointer to free). NULL when out of memory
 * or too large. Free with free().
 */
MNV_MUST_CHECK void *alloc_array(size_t n, size_t elem);

#endif
