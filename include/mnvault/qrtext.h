/* qrtext.h (base layer): a QR code drawn with text characters, for the TOTP enrolment screen and
 * `mnvault user totp` (draws nothing itself).
 *
 * Two module rows per text line with the characters "█", "▀", "▄" and " ", light modules
 * drawn as blocks so that the code reads dark-on-light on a dark terminal, with a quiet zone
 * of 4 modules (2 text lines / 4 columns). Built on libqrencode.
 */
#ifndef MNVAULT_QRTEXT_H
#define MNVAULT_QRTEXT_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

struct qrtext {
    int width;    /* columns of every line (terminal cells) */
    int height;   /* number of lines */
    char **lines; /* height UTF-8 strings, each width cells wide */
};

/*
 * qrtext_new: encode text (error correction level M) and lay it out: width is the symbol's
 * modules + 8, height (width + 1) / 2 (the lower half of the last line lies outside the
 * picture and is drawn light). An otpauth URI with an ASCII issuer and account (about 110
 * bytes) gives 41 modules: 49 columns by 25 lines, one line more than an 80x24 terminal; a
 * Japanese issuer, percent-encoded (about 300 bytes), needs 69 by 35. Returns MNV_OK,
 * MNV_ERR_INVALID (empty text), MNV_ERR_TOO_LONG or MNV_ERR_NOMEM (out then holds
 * nothing). The lines live in one secmem block (call secmem_init() first); free with
 * qrtext_free(). They encode the text, so treat them as secret when the text is.
 */
MNV_MUST_CHECK enum mnv_err qrtext_new(const char *text, struct qrtext *out) MNV_NONNULL(1, 2);

/*
 * qrtext_new_fit: qrtext_new() in at most max_w columns by max_h lines: the standard's
 * quiet zone and level M when they fit, else a quiet zone of 2 then 1 modules and level L
 * (phone readers take both; a terminal's dark surround is not a light border). Returns
 * MNV_ERR_TOO_LONG when even that does not fit; else as qrtext_new().
 */
MNV_MUST_CHECK enum mnv_err qrtext_new_fit(const char *text, int max_w, int max_h,
                                           struct qrtext *out) MNV_NONNULL(1, 4);

/* qrtext_free: wipe and free the lines and zero *q; q may be NULL or hold nothing. */
void qrtext_free(struct qrtext *q);

#endif
