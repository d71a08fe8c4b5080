/* pwpolicy.h (base layer): which passwords mnvault accepts, after NIST SP 800-63B.
 *
 * At least 15 characters, or 8 for a user with TOTP; up to 256 bytes accepted, never
 * truncated; no composition rules. Length counts characters (UTF-8 code points). Refused:
 *  - passwords that contain the user name (ignoring case; names of 3 or more characters);
 *  - common passwords: data/common-passwords.txt, a list GENERATED from patterns (keyboard
 *    walks, runs of letters and digits, password/admin variants, common English words,
 *    romanised Japanese words and names, HR-office words; not a breach list, about 6,500
 *    entries; src/build/gen-common-passwords.sh writes it). A password counts as on the
 *    list when, after folding full-width letters to ASCII, lower-casing and dropping spaces,
 *    it is an entry, or becomes one once the digits and symbols around it are removed or
 *    look-alikes are undone (@ 4 -> a, 0 -> o, 1 -> i or l, 3 -> e, 5 $ -> s, 7 -> t), or
 *    is an entry or a piece of up to 4 characters repeated, or is two entries joined;
 *  - what cracklib's FascistCheck refuses with the system dictionary (cracklib-runtime):
 *    dictionary words and their usual manglings (PW_DICTIONARY), and strings it finds too
 *    systematic or with too few different characters (PW_COMMON).
 * No Unicode normalisation is applied to what is stored: the bytes typed are the bytes
 * hashed, on setting and on checking alike (the folding above is only for the comparison).
 */
#ifndef MNVAULT_PWPOLICY_H
#define MNVAULT_PWPOLICY_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

#define PWPOLICY_MIN 15
#define PWPOLICY_MIN_TOTP 8
#define PWPOLICY_MAX_BYTES 256

/*
 * pwpolicy_check: is password[0..len) acceptable for user (may be NULL) with or without
 * TOTP? Returns MNV_OK or one of MNV_ERR_PW_SHORT (diag->detail = the minimum),
 * MNV_ERR_PW_LONG, MNV_ERR_PW_COMMON, MNV_ERR_PW_DICTIONARY, MNV_ERR_PW_USERNAME,
 * MNV_ERR_ENCODING (not UTF-8, or a NUL byte), MNV_ERR_PW_UNAVAILABLE (the list or the
 * cracklib dictionary is missing: refused rather than unchecked; diag->where = the missing
 * file) or MNV_ERR_NOMEM. The checks run in the order of that list, so the first rule
 * broken is the one reported. diag may be NULL. The password is never copied into diag; its
 * working copies are secmem, and cracklib's internal copies are overwritten before return.
 * Not thread-safe (cracklib keeps static buffers).
 */
MNV_MUST_CHECK enum mnv_err pwpolicy_check(const char *password, size_t len, const char *user,
                                           int has_totp, struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * pwpolicy_use_files: check against another common-password list (one entry a line, '#'
 * starts a comment) and/or another cracklib dictionary (the path without .pwd/.pwi);
 * NULL or "" restores the default (data/common-passwords.txt from paths_data_file(), and
 * cracklib's compiled-in dictionary). The paths are copied. For tests and administrators.
 */
void pwpolicy_use_files(const char *list, const char *dict);

#endif
