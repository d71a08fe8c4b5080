/*
 * cert.c: issuing a certificate of deletion (the JSON, its signature, the register) and
 * checking one. The PDF is cert_pdf.c; listing, exporting and contractors' returns are
 * cert_reg.c.
 */
#include "mnvault/cert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mnvault/cjson.h"
#include "mnvault/clock.h"
#include "mnvault/fileio.h"
#include "mnvault/i18n.h"
#include "mnvault/secmem.h"
#include "mnvault/strbuf.h"
#include "mnvault/vcrypto.h"

#include "cert_priv.h"

#ifndef MNV_VERSION
#define MNV_VERSION "0.1.0"
#endif

void cert_id_format(char out[CERT_ID_MAX + 1], const char *vault_id, long long serial)
{
    snprintf(out, CERT_ID_MAX + 1, "%.8s_%06lld", vault_id, serial);
}

static const char *iso_time(char buf[32], int64_t t)
{
    return clock_format_iso(buf, 32, (time_t)t);
}

/* ---- the signing key ----------------------------------------------------------------------- */

enum mnv_err cert_keypair(struct vault *v, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                          unsigned char *sk)
{
    const unsigned char *seed = vault_subkey(v, VAULT_SUB_CERT);
    if (!seed)
        return MNV_ERR_CRYPTO;
    unsigned char tmp[crypto_sign_SECRETKEYBYTES];
    unsigned char *out = sk ? sk : tmp;
    int rc = crypto_sign_seed_keypair(pk, out, seed);
    sodium_memzero(tmp, sizeof(tmp));
    return rc == 0 ? MNV_OK : MNV_ERR_CRYPTO;
}

/* ---- building --------------------------------------------------------------------------- */

static const char *relation_name(enum dependent_relation r)
{
    switch (r) {
    case REL_SPOUSE:
        return "spouse";
    case REL_CHILD:
        return "child";
    case REL_PARENT:
        return "parent";
    case REL_OTHER:
        return "other";
    default:
        return "";
    }
}

static struct cjson *person_json(const struct disposal_row *row)
{
    struct cjson *p = cjson_object();
    int dep = row->item.person.kind == PERSON_DEPENDENT;
    cjson_set_str(p, "employee_code", row->item.employee_code);
    cjson_set_str(p, "employee_name", row->employee_name);
    cjson_set_str(p, "name", row->name);
    cjson_set_str(p, "person", dep ? "dependant" : "employee");
    cjson_set_str(p, "relation", dep ? relation_name(row->relation) : "");
    cjson_set_str(p, "kept_until", row->item.keep_until);
    cjson_set_str(p, "document", row->item.doc);
    return p;
}

/* What was deleted by kind of document (the deciding one), with each kind's legal basis. */
static struct cjson *kinds_json(const struct cert_input *in)
{
    struct cjson *a = cjson_array();
    for (size_t d = 0; d < in->rules->ndocs; d++) {
        const struct retention_doc *doc = &in->rules->docs[d];
        long n = 0;
        for (size_t i = 0; i < in->nrows; i++)
            n += strcmp(in->rows[i].item.doc, doc->code) == 0;
        if (!n)
            continue;
        struct cjson *k = cjson_object();
        cjson_set_str(k, "document", doc->code);
        cjson_set_str(k, "name_ja", doc->name_ja);
        cjson_set_str(k, "name_en", doc->name_en);
        cjson_set_str(k, "basis_ja", doc->basis_ja);
        cjson_set_str(k, "basis_en", doc->basis_en);
        cjson_set_int(k, "numbers", n);
        cjson_add(a, k);
    }
    return a;
}

static struct cjson *outstanding_json(const struct cert_input *in)
{
    char t[32], hex[2 * VCRYPTO_HASH_LEN + 1];
    struct cjson *o = cjson_object(), *b = cjson_array(), *e = cjson_array();
    for (size_t i = 0; i < in->noutside; i++) {
        const struct backup_rec *r = &in->outside[i];
        struct cjson *x = cjson_object();
        cjson_set_str(x, "backup_id", vcrypto_hex(hex, r->backup_id, BACKUPFILE_ID_LEN));
        cjson_set_str(x, "made_at", iso_time(t, r->created_at));
        cjson_set_str(x, "path", r->path);
        cjson_set_str(x, "blake2b", vcrypto_hex(hex, r->hash, VCRYPTO_HASH_LEN));
        cjson_add(b, x);
    }
    for (size_t i = 0; i < in->nexports; i++) {
        const struct custody_entry *c = &in->exports[i];
        struct cjson *x = cjson_object();
        cjson_set_int(x, "custody_id", c->id);
        cjson_set_str(x, "form", c->form);
        cjson_set_int(x, "year", c->year);
        cjson_set_str(x, "destination", c->destination);
        cjson_set_str(x, "path", c->path);
        cjson_set_str(x, "state", custody_state_name(c->state));
        cjson_set_str(x, "written_at", iso_time(t, c->created_at));
        cjson_add(e, x);
    }
    cjson_set(o, "backups", b);
    cjson_set(o, "exports", e);
    return o;
}

static struct cjson *parties_json(const struct cert_input *in)
{
    const struct disposal_proposal *p = in->proposal;
    char t[32];
    struct cjson *o = cjson_object(), *x = cjson_object(), *y = cjson_object(), *z = cjson_object();
    cjson_set_int(x, "id", p->id);
    cjson_set_str(x, "by", p->proposed_by);
    cjson_set_str(x, "at", iso_time(t, p->proposed_at));
    cjson_set_str(x, "note", p->note);
    cjson_set_str(y, "by", p->decided_by);
    cjson_set_str(y, "at", iso_time(t, p->decided_at));
    cjson_set_str(y, "reason", p->reason);
    cjson_set_str(z, "by", in->executed_by);
    cjson_set_str(z, "at", iso_time(t, in->executed_at));
    cjson_set(o, "proposal", x);
    cjson_set(o, "approval", y);
    cjson_set(o, "execution", z);
    return o;
}

static struct cjson *method_json(const struct cert_input *in)
{
    struct cjson *m = cjson_object();
    cjson_set_str(m, "records",
                  "number, data key, blind index and purposes of each record deleted, and the "
                  "references of the documents that verified it (secure_delete on; the "
                  "database rewritten by VACUUM)");
    cjson_set_str(m, "keys",
                  "every other data key rewrapped under a new epoch key; the epoch "
                  "key that wrapped the deleted ones destroyed in the key file");
    cjson_set_int(m, "epoch_destroyed", in->epoch_from);
    cjson_set_int(m, "epoch_current", in->epoch_to);
    cjson_set_int(m, "managed_backups_made_before", in->managed_backups);
    cjson_set_str(m, "managed_backups",
                  "a new managed backup is made and the managed backups made before are "
                  "deleted; backups elsewhere are listed as outstanding");
    return m;
}

/* Meta values of the vault ("" when missing). */
static void meta(struct vault *v, const char *key, char *buf, size_t size)
{
    if (vault_meta_get(v, key, buf, size) != MNV_OK)
        buf[0] = '\0';
}

static struct cjson *build(struct vault *v, const struct cert_input *in, const char *id,
                           const struct cert_rec *prev, int has_prev)
{
    char buf[512], t[32], hex[2 * VCRYPTO_HASH_LEN + 1];
    struct cjson *c = cjson_object(), *org = cjson_object(), *del = cjson_object(),
                 *audit = cjson_object(), *sw = cjson_object(), *persons = cjson_array();
    cjson_set_str(c, "format", CERT_FORMAT);
    cjson_set_str(c, "id", id);
    meta(v, "vault_id", buf, sizeof(buf));
    cjson_set_str(c, "vault", buf);
    meta(v, "org_name", buf, sizeof(buf));
    cjson_set_str(org, "name", buf);
    meta(v, "org_corporate_number", buf, sizeof(buf));
    cjson_set_str(org, "corporate_number", buf);
    cjson_set(c, "organisation", org);
    cjson_set_str(c, "issued_at", iso_time(t, in->executed_at));
    cjson_set_str(c, "previous", has_prev ? vcrypto_hex(hex, prev->sha256, CERT_SHA256_LEN) : "");
    cjson_set(c, "parties", parties_json(in));
    long employees = 0;
    for (size_t i = 0; i < in->nrows; i++) {
        employees += in->rows[i].item.person.kind == PERSON_EMPLOYEE;
        cjson_add(persons, person_json(&in->rows[i]));
    }
    cjson_set_int(del, "numbers", (int64_t)in->nrows);
    cjson_set_int(del, "employees", employees);
    cjson_set_int(del, "dependants", (int64_t)in->nrows - employees);
    cjson_set(del, "kinds", kinds_json(in));
    cjson_set(c, "deleted", del);
    cjson_set(c, "persons", persons);
    cjson_set(c, "method", method_json(in));
    cjson_set(c, "outstanding", outstanding_json(in));
    uint64_t seq;
    unsigned char head[VCRYPTO_HASH_LEN];
    vault_audit_head(v, &seq, head);
    cjson_set_int(audit, "seq", (int64_t)seq);
    cjson_set_str(audit, "head", vcrypto_hex(hex, head, VCRYPTO_HASH_LEN));
    cjson_set(c, "audit_before", audit);
    cjson_set_str(sw, "mnvault", MNV_VERSION);
    cjson_set_str(sw, "sqlcipher", vault_cipher_version(v));
    cjson_set_str(sw, "libsodium", sodium_version_string());
    cjson_set(c, "software", sw);
    return c;
}

/* The whole signed file: the canonical certificate, its signature, a newline. */
static enum mnv_err sign(struct vault *v, struct cjson *certificate, char **file, size_t *len)
{
    char *data;
    size_t n;
    enum mnv_err err = cjson_write(certificate, &data, &n);
    if (err != MNV_OK)
        return err;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
    unsigned char *sk = secmem_alloc(crypto_sign_SECRETKEYBYTES);
    if (!sk)
        err = MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = cert_keypair(v, pk, sk);
    if (err == MNV_OK && crypto_sign_detached(sig, NULL, (const unsigned char *)data, n, sk) != 0)
        err = MNV_ERR_CRYPTO;
    secmem_free(sk);
    free(data);
    if (err != MNV_OK)
        return err;
    char hex[2 * crypto_sign_BYTES + 1];
    struct cjson *root = cjson_object(), *s = cjson_object();
    cjson_set_str(s, "algorithm", "Ed25519");
    cjson_set_str(s, "public_key", vcrypto_hex(hex, pk, sizeof(pk)));
    cjson_set_str(s, "value", vcrypto_hex(hex, sig, sizeof(sig)));
    if (cjson_set(root, "certificate", certificate) < 0 || cjson_set(root, "signature", s) < 0) {
        cjson_free(root);
        return MNV_ERR_NOMEM;
    }
    struct strbuf sb = STRBUF_INIT;
    err = cjson_write_to(root, &sb);
    /* The root owns the certificate now; take it back for the caller (the PDF). */
    cjson_detach(root, "certificate");
    cjson_free(root);
    if (err == MNV_OK && (strbuf_addc(&sb, '\n') != MNV_OK || !(*file = strbuf_detach(&sb, len))))
        err = MNV_ERR_NOMEM;
    strbuf_release(&sb);
    return err;
}

enum mnv_err cert_issue(struct vault *v, const struct cert_input *in, struct cert_rec *rec,
                        struct mnv_diag *diag)
{
    memset(rec, 0, sizeof(*rec));
    struct cert_rec prev;
    int64_t count;
    enum mnv_err err = certdb_last(v, &prev, diag);
    int has_prev = err == MNV_OK;
    if (err == MNV_ERR_NOT_FOUND)
        err = MNV_OK;
    if (err == MNV_OK)
        err = certdb_count(v, &count, diag);
    if (err != MNV_OK)
        return err;
    char vid[64];
    meta(v, "vault_id", vid, sizeof(vid));
    cert_id_format(rec->id, vid, (long long)count + 1);
    struct cjson *c = build(v, in, rec->id, &prev, has_prev);
    if (!c)
        return MNV_ERR_NOMEM;
    char *file = NULL;
    size_t flen = 0;
    unsigned char *pdf = NULL;
    size_t plen = 0;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    char key[2 * crypto_sign_PUBLICKEYBYTES + 1];
    err = sign(v, c, &file, &flen);
    if (err == MNV_OK)
        err = cert_keypair(v, pk, NULL);
    if (err == MNV_OK)
        err = cert_pdf(c, vcrypto_hex(key, pk, sizeof(pk)), &pdf, &plen, diag);
    cjson_free(c);
    rec->proposal_id = in->proposal->id;
    rec->issued_at = in->executed_at;
    rec->has_previous = has_prev;
    if (has_prev)
        memcpy(rec->previous, prev.sha256, CERT_SHA256_LEN);
    uint64_t seq;
    unsigned char head[VCRYPTO_HASH_LEN];
    vault_audit_head(v, &seq, head);
    rec->audit_seq = seq + 1; /* the caller's entry that follows */
    if (err == MNV_OK) {
        crypto_hash_sha256(rec->sha256, (const unsigned char *)file, flen);
        err = certdb_insert(v, rec, (const unsigned char *)file, flen, pdf, plen, diag);
    }
    if (err == MNV_OK) /* for those who cannot derive it (cert_public_key()) */
        err = vault_meta_set(v, CERT_META_KEY, key, diag);
    free(file);
    free(pdf);
    return err;
}

/* ---- checking ------------------------------------------------------------------------------ */

static int unhex(const char *hex, unsigned char *out, size_t n)
{
    if (!hex || strlen(hex) != 2 * n)
        return -1;
    size_t got;
    return sodium_hex2bin(out, n, hex, 2 * n, NULL, &got, NULL) == 0 && got == n ? 0 : -1;
}

static enum mnv_err bad(struct cert_check *r, const char *why)
{
    r->signature_ok = 0;
    r->problem = why;
    return MNV_ERR_CERT_BAD;
}

/* The facts shown for a certificate whose signature holds. */
static void facts(const struct cjson *c, struct cert_check *r)
{
    const char *s;
    if ((s = cjson_str(cjson_get(c, "id"))))
        snprintf(r->id, sizeof(r->id), "%s", s);
    if ((s = cjson_str(cjson_get(c, "previous"))))
        snprintf(r->previous, sizeof(r->previous), "%s", s);
    if ((s = cjson_str(cjson_get(c, "issued_at"))))
        snprintf(r->issued_at, sizeof(r->issued_at), "%s", s);
    r->numbers = (long)cjson_intval(cjson_get(cjson_get(c, "deleted"), "numbers"));
}

static enum mnv_err check_signature(const struct cjson *root, struct cert_check *r)
{
    const struct cjson *c = cjson_get(root, "certificate"), *s = cjson_get(root, "signature");
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
    if (cjson_type(c) != CJSON_OBJECT || cjson_type(s) != CJSON_OBJECT || cjson_count(root) != 2)
        return bad(r, N_("it is not a certificate of deletion"));
    const char *format = cjson_str(cjson_get(c, "format"));
    const char *alg = cjson_str(cjson_get(s, "algorithm"));
    if (!format || strcmp(format, CERT_FORMAT) != 0)
        return bad(r, N_("it is not a certificate of deletion of a format this version knows"));
    if (!alg || strcmp(alg, "Ed25519") != 0 || cjson_count(s) != 3 ||
        unhex(cjson_str(cjson_get(s, "public_key")), pk, sizeof(pk)) < 0 ||
        unhex(cjson_str(cjson_get(s, "value")), sig, sizeof(sig)) < 0)
        return bad(r, N_("its signature is missing or malformed"));
    snprintf(r->public_key, sizeof(r->public_key), "%s", cjson_str(cjson_get(s, "public_key")));
    char *data;
    size_t n;
    if (cjson_write(c, &data, &n) != MNV_OK)
        return MNV_ERR_NOMEM;
    int ok = crypto_sign_verify_detached(sig, (const unsigned char *)data, n, pk) == 0;
    free(data);
    if (!ok)
        return bad(r, N_("the signature does not match: the certificate was changed"));
    facts(c, r);
    r->signature_ok = 1;
    return MNV_OK;
}

enum mnv_err cert_verify_data(const unsigned char *data, size_t len, struct cert_check *r)
{
    memset(r, 0, sizeof(*r));
    unsigned char h[CERT_SHA256_LEN];
    crypto_hash_sha256(h, data, len);
    vcrypto_hex(r->sha256, h, sizeof(h));
    if (len < 2 || data[len - 1] != '\n')
        return bad(r, N_("it is not a certificate of deletion"));
    struct cjson *root;
    if (cjson_parse((const char *)data, len - 1, &root, NULL) != MNV_OK)
        return bad(r, N_("it is not a certificate of deletion"));
    /* Every byte counts: the file must be exactly the canonical form of what it says. */
    char *again;
    size_t n;
    enum mnv_err err = cjson_write(root, &again, &n);
    if (err == MNV_OK && (n != len - 1 || memcmp(again, data, n) != 0))
        err = bad(r, N_("the file was changed (it is not in the form mnvault writes)"));
    if (err == MNV_OK)
        free(again), again = NULL, err = check_signature(root, r);
    free(again);
    cjson_free(root);
    return err;
}

enum mnv_err cert_verify_file(const char *path, struct cert_check *r, struct mnv_diag *diag)
{
    memset(r, 0, sizeof(*r));
    unsigned char *data;
    size_t len;
    enum mnv_err err = fileio_read_all(path, CERT_MAX_FILE, &data, &len, diag);
    if (err == MNV_ERR_TOO_LONG) {
        mnv_diag_where(diag, "%s", path);
        return bad(r, N_("it is not a certificate of deletion"));
    }
    if (err != MNV_OK)
        return err;
    err = cert_verify_data(data, len, r);
    free(data);
    return err;
}
