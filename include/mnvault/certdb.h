/* certdb.h (store layer): the register of certificates of deletion and of contractors'
 * certificates of return, tables of vault.db (schema step 13).
 *
 * Each certificate of deletion is kept byte for byte (the signed JSON, and the PDF for
 * people) in the same transaction as the deletion it certifies, so that neither can exist
 * without the other; the files in the vault's certificates folder are copies written from
 * here. Certificates form a chain: each records the SHA-256 of the previous one's JSON.
 * Rows are never changed or deleted (triggers refuse it). Nothing here holds a number.
 */
#ifndef MNVAULT_CERTDB_H
#define MNVAULT_CERTDB_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/vault.h"

#define CERT_ID_MAX 40
#define CERT_SHA256_LEN 32

struct cert_rec {
    int64_t seq; /* 1, 2, 3 …: the chain's order */
    char id[CERT_ID_MAX + 1];
    int64_t proposal_id;
    int64_t issued_at;
    unsigned char sha256[CERT_SHA256_LEN];   /* of the JSON file's bytes */
    unsigned char previous[CERT_SHA256_LEN]; /* the previous certificate's; zeros for the first */
    int has_previous;
    uint64_t audit_seq; /* the audit entry that records it */
    size_t json_len, pdf_len;
};

/*
 * certdb_insert: register rec (seq and the lengths set here) with the JSON and the PDF
 * (pdf may be NULL), inside a write transaction. Returns MNV_OK, MNV_ERR_EXISTS or a
 * database error.
 */
MNV_MUST_CHECK enum mnv_err certdb_insert(struct vault *v, struct cert_rec *rec,
                                          const unsigned char *json, size_t json_len,
                                          const unsigned char *pdf, size_t pdf_len,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/* certdb_last: the newest certificate into *rec; MNV_ERR_NOT_FOUND when there is none. */
MNV_MUST_CHECK enum mnv_err certdb_last(struct vault *v, struct cert_rec *rec,
                                        struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* certdb_count: how many certificates the register holds. */
MNV_MUST_CHECK enum mnv_err certdb_count(struct vault *v, int64_t *n, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/*
 * certdb_list: every certificate, oldest first (malloc'd; free with free(); NULL when none).
 */
MNV_MUST_CHECK enum mnv_err certdb_list(struct vault *v, struct cert_rec **out, size_t *count,
                                        struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * certdb_get: the certificate with this id (or, when id is NULL, the one of proposal_id):
 * *rec and, when json/pdf are not NULL, malloc'd copies of its files (free with free();
 * *pdf NULL when there is none). MNV_ERR_NOT_FOUND when there is none.
 */
MNV_MUST_CHECK enum mnv_err certdb_get(struct vault *v, const char *id, int64_t proposal_id,
                                       struct cert_rec *rec, unsigned char **json,
                                       unsigned char **pdf, struct mnv_diag *diag)
    MNV_NONNULL(1, 4);

/* certdb_find_hash: the certificate whose JSON has this SHA-256; MNV_ERR_NOT_FOUND if none. */
MNV_MUST_CHECK enum mnv_err certdb_find_hash(struct vault *v,
                                             const unsigned char sha256[CERT_SHA256_LEN],
                                             struct cert_rec *rec, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * certdb_outstanding_exports: the exported copies (custody register) still in the office's
 * hands — being written or written, neither submitted, destroyed nor returned — that hold
 * a number since deleted, into a malloc'd array of custody ids (free with free()).
 */
MNV_MUST_CHECK enum mnv_err certdb_outstanding_exports(struct vault *v, int64_t **ids,
                                                       size_t *count, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

#define CERT_RETURN_TEXT_MAX 80 /* bytes of a contractor's name or their reference */

/* A contractor's certificate that a copy handed to them was returned or destroyed. */
struct cert_return {
    int64_t id;
    int64_t custody_id; /* the copy, in the custody register */
    char contractor[CERT_RETURN_TEXT_MAX +
                    1]; /* who (税理士, 社労士 …), as written on their certificate */
    char reference[CERT_RETURN_TEXT_MAX + 1]; /* their certificate's number or title */
    char outcome[16];                         /* "returned" or "destroyed" */
    char on[11];                              /* "YYYY-MM-DD": the day their certificate says */
    unsigned char sha256[CERT_SHA256_LEN];    /* of a scan of their certificate, when given */
    int has_file;
    char recorded_by[33];
    int64_t recorded_at;
};

/* certdb_return_insert: record r (id set here), inside a write transaction. */
MNV_MUST_CHECK enum mnv_err certdb_return_insert(struct vault *v, struct cert_return *r,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* certdb_returns: every record, oldest first (malloc'd; free with free()). */
MNV_MUST_CHECK enum mnv_err certdb_returns(struct vault *v, struct cert_return **out, size_t *count,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

#endif
