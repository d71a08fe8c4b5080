/* totp.h (base layer): time-based one-time passwords, RFC 6238.
 *
 * HMAC-SHA1 with a 30-second step and 6 digits, which is what authenticator apps expect;
 * secrets are 160 bits (20 bytes) from the CSPRNG, shown to people in base32 and as an
 * otpauth:// URI (for the QR code). Verification accepts the current step and one step
 * either side, and never a step at or before the last one accepted for the user (so a code
 * works once).
 */
#ifndef MNVAULT_TOTP_H
#define MNVAULT_TOTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

#define TOTP_SECRET_LEN 20  /* bytes of secret (160 bits) */
#define TOTP_BASE32_SIZE 33 /* 32 base32 characters + NUL for a 20-byte secret */
#define TOTP_STEP 30        /* seconds */
#define TOTP_DIGITS 6

enum totp_hash { TOTP_SHA1 = 0, TOTP_SHA256, TOTP_SHA512 };

/* totp_secret_new: fill secret with TOTP_SECRET_LEN bytes from libsodium's CSPRNG. */
void totp_secret_new(unsigned char secret[TOTP_SECRET_LEN]) MNV_NONNULL(1);

/*
 * totp_code: the code for Unix time t (>= 0) as a number (0 .. 10^digits - 1), with the
 * given hash and digits (6 to 8), step TOTP_STEP from time 0; -1 on bad arguments. Key of
 * any length but 0 (the RFC 6238 vectors use 20/32/64 bytes). Computed with liboath.
 */
MNV_MUST_CHECK long totp_code(const unsigned char *key, size_t keylen, time_t t,
                              enum totp_hash hash, int digits) MNV_NONNULL(1);

/*
 * totp_verify: check a typed 6-digit code (ASCII digits, spaces ignored) against the
 * SHA-1/30 s/6-digit code at now, now-30 s and now+30 s. *last_step is the last time step
 * accepted for this user (0 if none); a matching step <= *last_step is refused as replay.
 * On success *last_step is set to the matching step (the latest one, in the one-in-a-
 * million case that two match; the caller stores it) and MNV_OK is returned; otherwise
 * MNV_ERR_TOTP_WRONG (also for anything but 6 digits, or now < 0) or MNV_ERR_TOTP_REPLAY.
 * now must come from the system clock (clock.h), never from input. Constant time in the
 * code: all three candidates are computed and compared with sodium_memcmp.
 */
MNV_MUST_CHECK enum mnv_err totp_verify(const unsigned char secret[TOTP_SECRET_LEN],
                                        const char *typed, time_t now, uint64_t *last_step)
    MNV_NONNULL(1, 2, 4);

/*
 * totp_base32_encode: RFC 4648 base32 without padding into out, NUL-terminated; size
 * 8*ceil(len/5)+1 is always enough. Returns the number of characters written, or -1 (out
 * set to "" when size > 0) if out is too small.
 */
MNV_MUST_CHECK int totp_base32_encode(const unsigned char *in, size_t len, char *out, size_t size)
    MNV_NONNULL(1, 3);

/*
 * totp_base32_decode: base32 (case-insensitive; spaces, tabs, line breaks and '=' ignored)
 * into out; returns the byte count, or -1 on a bad character, if out is too small, or if
 * the text is not what an encoder writes (a length of 1, 3 or 6 characters modulo 8, or
 * non-zero unused bits in the last character). On -1, the bytes written are wiped.
 */
MNV_MUST_CHECK int totp_base32_decode(const char *in, unsigned char *out, size_t size)
    MNV_NONNULL(1, 2);

/*
 * totp_uri: "otpauth://totp/<issuer>:<account>?secret=<b32>&issuer=<issuer>&algorithm=SHA1
 * &digits=6&period=30" into out, issuer and account percent-encoded as UTF-8 bytes (RFC
 * 3986: all but A-Z a-z 0-9 - . _ ~). An empty issuer leaves out "<issuer>:" and the
 * issuer parameter. Returns 0, or -1 if out is too small (out is then wiped). The result
 * holds the secret: wipe it after use.
 */
MNV_MUST_CHECK int totp_uri(char *out, size_t size, const char *issuer, const char *account,
                            const unsigned char secret[TOTP_SECRET_LEN]) MNV_NONNULL(1, 3, 4, 5);

#endif
