/* utf8.h (base layer): small, strict UTF-8 helpers.
 */
#ifndef MNVAULT_UTF8_H
#define MNVAULT_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"

/*
 * utf8_decode: decode one code point from s[0..len) into *cp. Returns the number of bytes
 * used (1-4), or -1 for invalid UTF-8 (overlong forms, surrogates, truncated sequences and
 * values above U+10FFFF are all invalid) or len == 0.
 */
MNV_MUST_CHECK int utf8_decode(const char *s, size_t len, uint32_t *cp) MNV_NONNULL(3);

/* utf8_encode: write cp as UTF-8 into out (4 bytes room); returns the length, 0 if invalid. */
MNV_MUST_CHECK int utf8_encode(uint32_t cp, char out[4]) MNV_NONNULL(2);

/* utf8_valid: 1 when s[0..len) is entirely valid UTF-8. */
MNV_MUST_CHECK int utf8_valid(const char *s, size_t len);

#endif
