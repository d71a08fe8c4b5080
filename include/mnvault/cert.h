/* cert.h (service layer): certificates of deletion (削除証明書／削除記録) and contractors'
 * certificates of return.
 *
 * A certificate of deletion is issued inside the transaction of the deletion it certifies
 * (disposal_execute()) and kept byte for byte in the vault (certdb.h). For machines it is a
 * JSON file in one canonical form (cjson.h) signed with the vault's Ed25519 key:
 *
 *   {"certificate":{…},"signature":{"algorithm":"Ed25519","public_key":HEX,"value":HEX}}\n
 *
 * where the signature covers the canonical bytes of the "certificate" object alone — what
 * Python's json.dumps(c, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
 * writes — and the whole file must be in canonical form, so that no byte of it can change
 * unnoticed. The certificate names the organisation, the proposal, its proposer, approver
 * and executor with their times and reasons, what was deleted by kind of document and
 * count with the legal basis of each kind, every person by employee code and name, the
 * method (records deleted, data keys destroyed, the epoch key rotated), the copies still
 * outstanding (external backups, exported files in the custody register), the audit log's
 * head before the deletion, the software, and the SHA-256 of the previous certificate
 * (the chain). It holds no number and no hash of a number. For people it is also a PDF
 * (和暦, the same facts) drawn with pdfdoc.h. doc/disposal.md shows how to check a
 * certificate with openssl or PyNaCl, without mnvault.
 */
#ifndef MNVAULT_CERT_H
#define MNVAULT_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/backupdb.h"
#include "mnvault/certdb.h"
#include "mnvault/custodydb.h"
#include "mnvault/disposal.h"
#include "mnvault/err.h"

struct session;

#define CERT_FORMAT "mnvault-deletion-certificate/1"
#define CERT_FOLDER "certificates" /* inside the vault's folder */
#define CERT_MAX_FILE (64u << 20)

/* What a certificate of deletion certifies (gathered by disposal_execute()). */
struct cert_input {
    const struct disposal_proposal *proposal;
    const struct disposal_row *rows; /* the numbers deleted, with whose they were */
    size_t nrows;
    const struct retention_rules *rules;
    const char *executed_by;
    int64_t executed_at;
    uint32_t epoch_from, epoch_to;    /* the epoch key destroyed, and its successor */
    long managed_backups;             /* managed backups made before, whose epoch keys go */
    const struct backup_rec *outside; /* backups outside the managed folder, not deleted */
    size_t noutside;
    const struct custody_entry *exports; /* exported copies not yet submitted or destroyed */
    size_t nexports;
};

/*
 * cert_issue: inside the deletion's write transaction, build the certificate of in, sign it
 * with the vault's certificate key, draw its PDF, and register both (certdb.h) as the next
 * link of the chain; rec receives the register's record. The audit entry that anchors it
 * is the caller's (it names rec->id and the SHA-256). Returns MNV_OK, MNV_ERR_PDF_* (a name
 * the font cannot print: diag->detail), MNV_ERR_NOMEM or a database error.
 */
MNV_MUST_CHECK enum mnv_err cert_issue(struct vault *v, const struct cert_input *in,
                                       struct cert_rec *rec, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * cert_id_format: the id of a vault's serial-th certificate: the first 8 hex digits of the
 * vault's id, "_", the serial in 6 or more digits ("1a4f172c_000001"). The underscore is
 * no separator of a number (numtext.h), so a vault id that starts with 8 decimal digits
 * never joins the serial into 12 digits the audit writer would take for a My Number.
 */
void cert_id_format(char out[CERT_ID_MAX + 1], const char *vault_id, long long serial)
    MNV_NONNULL(1, 2);

/* What checking a certificate file found. */
struct cert_check {
    int signature_ok; /* canonical, well formed, and the signature holds */
    char id[CERT_ID_MAX + 1];
    char public_key[65]; /* hex */
    char sha256[65];     /* of the whole file (what the next certificate names) */
    char previous[65];   /* "" for the first of a vault */
    char issued_at[32];
    long numbers;
    const char *problem; /* a message id saying what is wrong; NULL when it holds */
};

/*
 * cert_verify_data: check the bytes of a certificate file on their own (no vault): one JSON
 * document in canonical form and a newline, of format CERT_FORMAT, whose Ed25519 signature
 * holds under the public key it names. Returns MNV_OK or MNV_ERR_CERT_BAD (r->problem).
 */
MNV_MUST_CHECK enum mnv_err cert_verify_data(const unsigned char *data, size_t len,
                                             struct cert_check *r) MNV_NONNULL(1, 3);

/* cert_verify_file: read path (at most CERT_MAX_FILE bytes) and cert_verify_data(). */
MNV_MUST_CHECK enum mnv_err cert_verify_file(const char *path, struct cert_check *r,
                                             struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* What the vault says about a checked certificate (cert_vault_check()). */
struct cert_standing {
    int key_ok;     /* signed with this vault's certificate key */
    int registered; /* the register holds exactly this file */
    int chain_ok;   /* its previous is the register's certificate before it */
    int64_t seq;    /* its place in the chain (0 when not registered) */
};

/*
 * cert_vault_check: with a session (role: audit.read or person.view): is c signed with this
 * vault's key, held by its register, and linked to its predecessor? Returns MNV_OK (out
 * says which hold), MNV_ERR_DENIED or a database error.
 */
MNV_MUST_CHECK enum mnv_err cert_vault_check(struct session *s, const struct cert_check *c,
                                             struct cert_standing *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * cert_of_proposal: the certificate issued for the executed proposal proposal_id, as the
 * register keeps it (*rec), what its bytes say on their own (*chk: cert_verify_data()) and
 * its standing in this vault (*st) — for screens (role: person.view or audit.read).
 * Returns MNV_OK, MNV_ERR_NOT_FOUND (no certificate for it), MNV_ERR_DENIED or a database
 * error.
 */
MNV_MUST_CHECK enum mnv_err cert_of_proposal(struct session *s, int64_t proposal_id,
                                             struct cert_rec *rec, struct cert_check *chk,
                                             struct cert_standing *st, struct mnv_diag *diag)
    MNV_NONNULL(1, 3, 4, 5);

/*
 * cert_list: the register, oldest first (role: person.view or audit.read); malloc'd (free
 * with free()).
 */
MNV_MUST_CHECK enum mnv_err cert_list(struct session *s, struct cert_rec **out, size_t *count,
                                      struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * cert_export: write the certificate id (or, with id NULL, every certificate) as
 * <dir>/<id>.json and <dir>/<id>.pdf (dir NULL: the vault's certificates folder), each
 * atomically with mode 0600, rewriting a file only when missing or different. *written
 * counts the files written. Returns MNV_OK, MNV_ERR_NOT_FOUND, MNV_ERR_IO, MNV_ERR_DENIED.
 */
MNV_MUST_CHECK enum mnv_err cert_export(struct session *s, const char *id, const char *dir,
                                        long *written, struct mnv_diag *diag) MNV_NONNULL(1, 4);

/* cert_public_key: the vault's certificate key as 64 hex digits into hex (role: dashboard). */
MNV_MUST_CHECK enum mnv_err cert_public_key(struct session *s, char hex[65], struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/*
 * cert_record_return: a contractor's certificate that the exported copy custody_id handed
 * to them was returned or destroyed (outcome "returned" or "destroyed", on a date, with
 * their certificate's reference; file_sha256 of a scan of it, or NULL): recorded against the
 * custody register and the copy marked accordingly, in one transaction (role:
 * custody.mark). Audited "cert.return" (from=STATE to=OUTCOME …). Only a copy written in
 * full (or, destroyed, one still being written) can come back. Returns MNV_OK,
 * MNV_ERR_NOT_FOUND (no such copy), MNV_ERR_CUSTODY_STATE, MNV_ERR_FIELD_* (texts of at
 * most CERT_RETURN_TEXT_MAX bytes; diag->item names which), MNV_ERR_FIELD_DATE (not a
 * date, or in the future), MNV_ERR_DENIED, or a database error.
 */
MNV_MUST_CHECK enum mnv_err cert_record_return(struct session *s, int64_t custody_id,
                                               const char *contractor, const char *reference,
                                               const char *outcome, const char *on,
                                               const unsigned char *file_sha256,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 3, 4, 5, 6);

/* cert_returns: the contractors' certificates recorded (role: custody.read). */
MNV_MUST_CHECK enum mnv_err cert_returns(struct session *s, struct cert_return **out, size_t *count,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * Copies outside the vault that still hold numbers deleted, named on each certificate and
 * on the dashboard until someone records that they are gone: backups made before the
 * newest deletion and not deleted since (managed ones are renewed by the execution; a
 * failure leaves them here), and exported files (custody register) being written or
 * written, neither submitted, destroyed nor returned, that held a number since deleted.
 */
struct cert_outstanding {
    struct backup_rec *backups;
    size_t nbackups;
    struct custody_entry *exports;
    size_t nexports;
};

/* cert_outstanding: as above (role: dashboard). Free with cert_outstanding_free(). */
MNV_MUST_CHECK enum mnv_err cert_outstanding(struct session *s, struct cert_outstanding *out,
                                             struct mnv_diag *diag) MNV_NONNULL(1, 2);
void cert_outstanding_free(struct cert_outstanding *o) MNV_NONNULL(1);

/*
 * cert_backup_destroyed: record that the backup of register row backup_id (one written to a
 * file of the user's choosing, say) was destroyed outside mnvault, with an optional note
 * (role: backup.make). Audited "backup.destroyed" with the file's hash. Returns MNV_OK,
 * MNV_ERR_NOT_FOUND (no such backup, or already deleted), MNV_ERR_FIELD_* (note),
 * MNV_ERR_DENIED or a database error. (Exported files: custody_mark(), or
 * cert_record_return() for a contractor's certificate.)
 */
MNV_MUST_CHECK enum mnv_err cert_backup_destroyed(struct session *s, int64_t backup_id,
                                                  const char *note, struct mnv_diag *diag)
    MNV_NONNULL(1);

#endif
