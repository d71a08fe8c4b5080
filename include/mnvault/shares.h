/*
 * shares.h: Shamir k-of-n sharing of a 32-byte secret, printed as share sheets (base layer).
 *
 * Built on libgfshare (GF(256)). Each share is printed as text a supervisor can keep on
 * paper and type back: a header naming the vault, the share number, n and k, then the share
 * bytes in groups of base32 with a check character per group (so a mistyped group is named)
 * and a checksum line over the whole share. Combining needs k shares with the same set id;
 * the secret carries its own 16-byte BLAKE2b tag, so wrong or too few shares are refused
 * instead of yielding a wrong secret.
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
    uint8_t index;       /* 1..255, the x coordinate */
    uint8_t n, k;        /* how many were made, how many are needed */
    uint8_t set_id[8];   /* identifies one split, so shares of two splits never mix */
    uint8_t data[SHARES_SECRET_LEN + 16]; /* share of secret || tag */
};

/*
 * shares_split: split secret into n shares (2 <= k <= n <= SHARES_MAX), filling out[0..n).
 * out holds secret material: wipe it after printing. Returns MNV_OK, MNV_ERR_RANGE or
 * MNV_ERR_CRYPTO.
 */
MNV_MUST_CHECK enum mnv_err shares_split(const unsigned char secret[SHARES_SECRET_LEN], int n,
                                         int k, struct share *out) MNV_NONNULL(1, 5);

/*
 * shares_combine: rebuild the secret from count shares. Returns MNV_OK;
 * MNV_ERR_SHARES_FEW (fewer than k distinct shares), MNV_ERR_SHARES_MIXED (different sets),
 * or MNV_ERR_SHARES_BAD (the rebuilt secret fails its tag: a wrong share). secret is wiped
 * on failure.
 */
MNV_MUST_CHECK enum mnv_err shares_combine(const struct share *shares, int count,
                                           unsigned char secret[SHARES_SECRET_LEN])
    MNV_NONNULL(1, 3);

/*
 * shares_format: the printable sheet for one share into out (plain ASCII lines, ending in a
 * newline; label is a short free text such as the organisation's name, may be NULL).
 * Returns 0, or -1 if out is too small (2048 bytes is enough). Wipe out after use.
 */
MNV_MUST_CHECK int shares_format(const struct share *s, const char *label, char *out,
                                 size_t size) MNV_NONNULL(1, 3);

/*
 * shares_parse: read one share from text as printed by shares_format() (headers and blank
 * lines may be omitted or reordered; case and spacing are forgiven). Returns MNV_OK or
 * MNV_ERR_SHARES_TYPO with diag->line / diag->column naming the first group whose check
 * character fails, or MNV_ERR_SHARES_FORMAT when it is not a share at all.
 */
MNV_MUST_CHECK enum mnv_err shares_parse(const char *text, size_t len, struct share *out,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 3);

#endif
