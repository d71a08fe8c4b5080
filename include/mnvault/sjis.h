/* sjis.h (base layer): strict Shift_JIS for government filings.
 *
 * The NTA, eLTAX and the pension service read "Shift_JIS" as JIS X 0201 (ASCII and
 * half-width katakana, one byte) plus JIS X 0208 levels 1 and 2 (two bytes): rows 1-8
 * (symbols, kana, Greek, Cyrillic, box drawing) and 16-84 (kanji). Windows' CP932 extras
 * (NEC specials such as ① and ㈱, NEC and IBM extended kanji such as 髙 and 﨑) are not
 * JIS X 0208 and are refused, never replaced. Backslash and tilde are refused too: their
 * single bytes mean ¥ and ‾ in JIS X 0201. Where Unicode has two code points for one
 * JIS X 0208 character (〜 U+301C as glibc decodes 0x8160, ～ U+FF5E as CP932 does; − and
 * －; ‖ and ∥; ¢ £ ¬ and their full-width forms; ― and —) both are accepted, since they
 * are the same character of the standard.
 *
 * The table is built once from the system's iconv SHIFT_JIS decoder, restricted to the
 * JIS X 0208 rows above.
 */
#ifndef MNVAULT_SJIS_H
#define MNVAULT_SJIS_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

/*
 * sjis_init: build the table (once; later calls return at once). Not thread-safe on the
 * first call. Returns MNV_OK, or MNV_ERR_SYSTEM when iconv has no SHIFT_JIS decoder.
 */
MNV_MUST_CHECK enum mnv_err sjis_init(void);

/*
 * sjis_code: the Shift_JIS code of cp: 0x20-0x7E for ASCII (not \ or ~), 0xA1-0xDF for
 * half-width katakana, 0x8140-0xEAA4 for a JIS X 0208 character; -1 when cp has none (or
 * sjis_init() has not succeeded).
 */
int sjis_code(uint32_t cp);

/*
 * sjis_encode: the UTF-8 text in[0..len) as Shift_JIS into out (size bytes; 2*len always
 * suffices). Returns the bytes written; -1 when a character has no code (*bad = that code
 * point, *bad_at = its byte offset in in), the input is not UTF-8 (*bad = 0xFFFD), or
 * out is too small (*bad = 0). bad and bad_at may be NULL.
 */
MNV_MUST_CHECK long sjis_encode(const char *in, size_t len, unsigned char *out, size_t size,
                                uint32_t *bad, size_t *bad_at) MNV_NONNULL(3);

/* sjis_row: the JIS X 0208 row (1-94) of a two-byte code, 0 for a one-byte code. */
int sjis_row(int code);

#endif
