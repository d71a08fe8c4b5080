/* shares.h (base layer): Shamir k-of-n sharing of a 32-byte secret, printed as share sheets.
 *
 * Built on libgfshare (GF(256)). Each share is printed as text a supervisor can keep on
 * paper and type back: a header naming the vault, the share number, n and k, then the share
 * bytes in groups of base32 with a check character per group (so a mistyped group is named)
 * and a checksum line over the whole share. Combining needs k shares with the same set id;
 * the secret carries its own 16-byte BLAKE2b tag, so wrong or too few shares are refused
 * instead of yielding a wrong secret. The sheet format is described in
 * doc/recovery-shares.md. Call secmem_init() first (work buffers are secmem).
 */
#ifndef MNVAULT_SHARES_H
#define MNVAULT_SHARES_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

#define SHARES_SECRET_LEN 32
#define SHARES_MAX 16

struct share {
    uint8_t index;     /* 1..255, the x coordinate */
    uint8_t n, k;      /* how many were made, how many are needed */
    uint8_t set_id[8]; /* identifies one split, so shares of two splits never mix */
    uint8_t data[SHARES_SECRET_LEN + 16]; /* share of secret || tag */
};

/*
 * shares_split: split secret into n shares (2 <= k <= n <= SHARES_MAX), filling out[0..n)
 * with indices 1..n and a fresh random set id. out holds secret material: wipe it after
 * printing. Returns MNV_OK, MNV_ERR_RANGE, MNV_ERR_NOMEM or MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err shares_split(const unsigned char secret[SHARES_SECRET_LEN], int n,
                                         int k, struct share *out) MNV_NONNULL(1, 4);

/*
 * shares_combine: rebuild the secret from count shares (in any order; the same share given
 * twice counts once; every distinct share given is used). Returns MNV_OK;
 * MNV_ERR_SHARES_MIXED (different set ids; checked first), MNV_ERR_SHARES_FEW (fewer than k
 * distinct shares, or count < 1), MNV_ERR_SHARES_BAD (the rebuilt secret fails its tag: a
 * wrong share; also shares that disagree on n or k, an index of 0 or above n, or two
 * different shares with one index), MNV_ERR_NOMEM or MNV_ERR_CRYPTO. secret is wiped on
 * failure.
 */
MNV_MUST_CHECK enum mnv_err shares_combine(const struct share *shares, int count,
                                           unsigned char secret[SHARES_SECRET_LEN])
    MNV_NONNULL(1, 3);

/*
 * shares_format: the printable sheet for one share into out (plain ASCII lines, ending in a
 * newline; label is a short free text such as the organisation's name, may be NULL or "",
 * printed as UTF-8, cut to 64 bytes, control characters as spaces and bad bytes as '?').
 * Returns 0, or -1 if out is too small (then out is wiped; 2048 bytes is always enough).
 * Wipe out after use.
 */
MNV_MUST_CHECK int shares_format(const struct share *s, const char *label, char *out, size_t size)
    MNV_NONNULL(1, 3);

/*
 * shares_parse: read one share from text[0..len) as printed by shares_format(). Headers,
 * row numbers, blank lines and the Check line may be omitted, and lines of the form
 * "Word: ..." other than Check are ignored; case, spaces, tabs, dashes, CR and where the
 * lines break are forgiven, and the digits 0, 1, 8 are read as O, I, B. Returns MNV_OK;
 * MNV_ERR_SHARES_TYPO with diag->line / diag->column (1-based, in text) at the first group
 * whose check character fails, at a character outside the alphabet, at a group cut short
 * or extra, just after the last character when groups are missing, or at the Check line
 * when only the checksum disagrees; MNV_ERR_SHARES_FORMAT when it is not a share at all
 * (no share characters, no title line and no group passing its check, an unknown format
 * version, impossible n/k/index, or more than 64 KiB); MNV_ERR_NOMEM. On failure *out is
 * zeroed. diag may be NULL.
 */
MNV_MUST_CHECK enum mnv_err shares_parse(const char *text, size_t len, struct share *out,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 3);

#endif
