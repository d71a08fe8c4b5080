/* textfold.h (base layer): fold Japanese and Latin text into one comparable form, so that a search
 * typed in any of the ways people type matches.
 *
 * Folded: hiragana to katakana; half-width katakana to full-width, joining a following
 * half-width voiced/semi-voiced mark (ﾀﾞ → ダ) and combining marks (タ + U+3099 → ダ);
 * full-width ASCII to ASCII; ASCII letters to lower case; half-width long vowel mark to
 * "ー". Removed: spaces (ASCII and full-width), tabs, and middle dots (・ ･), so that
 * "山田 太郎" and "山田太郎" match. Kanji and everything else are kept as they are.
 * Invalid UTF-8 bytes are dropped.
 */
#ifndef MNVAULT_TEXTFOLD_H
#define MNVAULT_TEXTFOLD_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"

/*
 * textfold: fold in[0..len) into out (NUL-terminated). The folded form is never longer
 * than the input, so size = len + 1 always suffices. Returns the folded length in bytes,
 * or the length it would have needed when out is too small (then out holds a truncated,
 * still valid prefix).
 */
size_t textfold(const char *in, size_t len, char *out, size_t size) MNV_NONNULL(3);

/*
 * textfold_kana_full: the full-width katakana for the half-width katakana c (U+FF66 ｦ to
 * U+FF9D ﾝ, including ｰ), else 0.
 */
uint32_t textfold_kana_full(uint32_t c);

/*
 * textfold_kana_mark: the full-width katakana k joined with a following voiced mark (ﾞ
 * U+FF9E, U+3099, ゛ U+309B) or semi-voiced mark (ﾟ U+FF9F, U+309A, ゜ U+309C): カ + ﾞ = ガ,
 * ハ + ﾟ = パ. Returns 0 when k takes no such mark or mark is not one.
 */
uint32_t textfold_kana_mark(uint32_t k, uint32_t mark);

#endif
