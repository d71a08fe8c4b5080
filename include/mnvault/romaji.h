/* romaji.h (base layer): a reading in kana and a name typed in romaji brought to one search
 * form, so that "sato", "satou" and "satoh" all find サトウ, and "shimizu" finds シミズ.
 *
 * The search form is a deliberately lossy spelling: Hepburn and kunrei spellings meet
 * (shi = si, chi = ti, tsu = tu, fu = hu, ji = zi, sha = sya, cho = tyo, ja = jya = zya),
 * long vowels are folded (ou, oo, oh before a consonant → o; aa, ii, uu, ee → one vowel;
 * ー dropped), nn → n, v → b, wo → o. It finds more than an exact spelling would, never
 * less. It is used only to search, never shown or stored.
 */
#ifndef MNVAULT_ROMAJI_H
#define MNVAULT_ROMAJI_H

#include <stddef.h>

#include "mnvault/attr.h"

/*
 * romaji_from_kana: the search form of a reading written in katakana or hiragana (spaces
 * and other characters are skipped; ASCII letters are kept, lower-cased). Writes at most
 * size - 1 bytes and a NUL; returns the length written.
 */
size_t romaji_from_kana(const char *kana, char *out, size_t size) MNV_NONNULL(1, 2);

/*
 * romaji_from_folded: the same from a reading already folded (textfold) into folded[0..flen)
 * of fewer than ROMAJI_FOLDED_MAX bytes (romaji_from_kana reads only that much of a longer
 * one); out must not overlap it. For the employee list, which folds every reading anyway.
 */
#define ROMAJI_FOLDED_MAX 256
size_t romaji_from_folded(const char *folded, size_t flen, char *out, size_t size)
    MNV_NONNULL(1, 3);

/*
 * romaji_query: the search form of what someone typed, when it looks like romaji (ASCII
 * letters, with ' or - between them); a spelling cut short while typing ("sh", "ch", "ts",
 * "j") is read as the start of its syllable. Returns the length written, or 0 (out = "")
 * when the text is not romaji. Typing one more letter never gives a form that finds a row
 * the shorter form did not find, except where the shorter form ends in a partial
 * spelling that changes (the caller compares the forms, not the typed text).
 */
size_t romaji_query(const char *typed, char *out, size_t size) MNV_NONNULL(1, 2);

#endif
