/*
 * cert_priv.h: what the files of the certificate service share (service layer, private to
 * src/service/cert*.c).
 */
#ifndef MNVAULT_CERT_PRIV_H
#define MNVAULT_CERT_PRIV_H

#include <sodium.h>

#include "mnvault/cert.h"
#include "mnvault/cjson.h"

/*
 * cert_keypair: the vault's certificate key: its public half into pk and, when sk is not
 * NULL, its secret half (crypto_sign_SECRETKEYBYTES, secmem: the caller wipes it).
 */
enum mnv_err cert_keypair(struct vault *v, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                          unsigned char *sk);

/* The meta key under which cert_issue() records the public key (hex), for those who cannot
 * derive it (no number key). */
#define CERT_META_KEY "cert.public_key"

/*
 * cert_pdf: the certificate for people, drawn from the certificate object c (the facts of
 * the JSON) and the signing key (hex): *out malloc'd (free with free()) of *len bytes.
 * Returns MNV_OK or an MNV_ERR_PDF_* error (diag->detail says which character or text).
 */
enum mnv_err cert_pdf(const struct cjson *c, const char *key, unsigned char **out, size_t *len,
                      struct mnv_diag *diag);

#endif
