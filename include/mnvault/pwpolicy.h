/*
 * pwpolicy.h: which passwords mnvault accepts (base layer), after NIST SP 800-63B.
 *
 * At least 15 characters, or 8 for a user with TOTP; up to 256 bytes accepted, never
 * truncated; no composition rules. Refused: passwords on the common-password list (the
 * bundled data/common-passwords.txt, at least 3,000 entries) and dictionary words and their
 * simple variants (cracklib), and passwords that contain the user name. Length counts
 * characters (UTF-8 code points). No Unicode normalisation is applied: the bytes typed are
 * the bytes hashed, on setting and on checking alike.
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
 * MNV_ERR_ENCODING (not UTF-8). The password is never copied into diag.
 */
MNV_MUST_CHECK enum mnv_err pwpolicy_check(const char *password, size_t len, const char *user,
                                           int has_totp, struct mnv_diag *diag)
    MNV_NONNULL(1);

#endif
