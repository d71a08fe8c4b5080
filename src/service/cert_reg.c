/*
 * cert_reg.c: the register of certificates as people use it: the list, the files written
 * from it, whether a file is this vault's and in its chain, the vault's public key, and
 * contractors' certificates of return recorded against the custody register.
 */
#include "mnvault/cert.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/access.h"
#include "mnvault/audit.h"
#include "mnvault/caldate.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/custody.h"
#include "mnvault/custodydb.h"
#include "mnvault/fileio.h"
#include "mnvault/numtext.h"
#include "mnvault/session.h"
#include "mnvault/svcread.h"
#include "mnvault/vcrypto.h"

#include "cert_priv.h"

/* Auditors read the register as well as those who see persons. */
static enum access_action reader(struct session *s)
{
    return access_allowed(session_role(s), ACT_PERSON_VIEW) ? ACT_PERSON_VIEW : ACT_AUDIT_READ;
}

struct list_args {
    struct cert_rec **out;
    size_t *count;
};

static enum mnv_err list_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct list_args *a = ud;
    return certdb_list(v, a->out, a->count, diag);
}

enum mnv_err cert_list(struct session *s, struct cert_rec **out, size_t *count,
                       struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    struct list_args a = {out, count};
    return svcread_run(s, reader(s), list_body, &a, diag);
}

/* The public key: derived by those who hold the number key, else as the first execution
 * recorded it (auditors and administrators do not hold the number key). */
static enum mnv_err key_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    (void)diag;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    if (!vault_subkey(v, VAULT_SUB_CERT)) {
        enum mnv_err err = vault_meta_get(v, CERT_META_KEY, ud, 2 * sizeof(pk) + 1);
        return err == MNV_OK && strlen(ud) == 2 * sizeof(pk) ? MNV_OK : MNV_ERR_NUMBER_KEY;
    }
    enum mnv_err err = cert_keypair(v, pk, NULL);
    if (err == MNV_OK)
        vcrypto_hex(ud, pk, sizeof(pk));
    return err;
}

enum mnv_err cert_public_key(struct session *s, char hex[65], struct mnv_diag *diag)
{
    hex[0] = '\0';
    return svcread_run(s, ACT_DASHBOARD, key_body, hex, diag);
}

struct check_args {
    const struct cert_check *c;
    struct cert_standing *out;
};

static enum mnv_err check_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct check_args *a = ud;
    char key[65];
    enum mnv_err err = key_body(v, key, diag);
    if (err != MNV_OK)
        return err;
    a->out->key_ok = strcmp(key, a->c->public_key) == 0;
    unsigned char h[CERT_SHA256_LEN];
    size_t got;
    struct cert_rec rec, prev;
    memset(&prev, 0, sizeof(prev));
    if (sodium_hex2bin(h, sizeof(h), a->c->sha256, 64, NULL, &got, NULL) != 0)
        return MNV_OK;
    err = certdb_find_hash(v, h, &rec, diag);
    if (err == MNV_ERR_NOT_FOUND)
        return MNV_OK;
    if (err != MNV_OK)
        return err;
    a->out->registered = 1;
    a->out->seq = rec.seq;
    /* Its link: the previous it names is the register's certificate before it. */
    char prev_hex[65] = "";
    if (rec.seq > 1) {
        struct cert_rec *all = NULL;
        size_t n = 0;
        err = certdb_list(v, &all, &n, diag);
        for (size_t i = 0; err == MNV_OK && i < n; i++)
            if (all[i].seq < rec.seq && (!prev.seq || all[i].seq > prev.seq))
                prev = all[i];
        free(all);
        if (err != MNV_OK)
            return err;
        vcrypto_hex(prev_hex, prev.sha256, CERT_SHA256_LEN);
    }
    a->out->chain_ok = strcmp(prev_hex, a->c->previous) == 0;
    return MNV_OK;
}

enum mnv_err cert_vault_check(struct session *s, const struct cert_check *c,
                              struct cert_standing *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    struct check_args a = {c, out};
    return svcread_run(s, reader(s), check_body, &a, diag);
}

struct proposal_args {
    int64_t proposal_id;
    struct cert_rec *rec;
    struct cert_check *chk;
    struct cert_standing *st;
};

static enum mnv_err proposal_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct proposal_args *a = ud;
    unsigned char *json = NULL;
    enum mnv_err err = certdb_get(v, NULL, a->proposal_id, a->rec, &json, NULL, diag);
    if (err == MNV_OK && cert_verify_data(json, a->rec->json_len, a->chk) == MNV_OK) {
        struct check_args c = {a->chk, a->st};
        err = check_body(v, &c, diag);
    }
    free(json);
    return err;
}

enum mnv_err cert_of_proposal(struct session *s, int64_t proposal_id, struct cert_rec *rec,
                              struct cert_check *chk, struct cert_standing *st,
                              struct mnv_diag *diag)
{
    memset(rec, 0, sizeof(*rec));
    memset(chk, 0, sizeof(*chk));
    memset(st, 0, sizeof(*st));
    struct proposal_args a = {proposal_id, rec, chk, st};
    return svcread_run(s, reader(s), proposal_body, &a, diag);
}

/* ---- files ------------------------------------------------------------------------------- */

/* Write data to path unless the file there already holds exactly it. */
static enum mnv_err write_if_changed(const char *path, const unsigned char *data, size_t len,
                                     long *written, struct mnv_diag *diag)
{
    unsigned char *old = NULL;
    size_t olen = 0;
    if (fileio_read_all(path, len + 1, &old, &olen, NULL) == MNV_OK && olen == len &&
        memcmp(old, data, len) == 0) {
        free(old);
        return MNV_OK;
    }
    free(old);
    enum mnv_err err = fileio_write_atomic(path, data, len, 0600, diag);
    if (err == MNV_OK)
        (*written)++;
    return err;
}

struct export_args {
    const char *id, *dir;
    long *written;
};

static enum mnv_err export_one(struct vault *v, const char *dir, const char *id, long *written,
                               struct mnv_diag *diag)
{
    struct cert_rec rec;
    unsigned char *json = NULL, *pdf = NULL;
    enum mnv_err err = certdb_get(v, id, 0, &rec, &json, &pdf, diag);
    char path[PATH_MAX];
    if (err == MNV_OK) {
        snprintf(path, sizeof(path), "%s/%s.json", dir, rec.id);
        err = write_if_changed(path, json, rec.json_len, written, diag);
    }
    if (err == MNV_OK && pdf) {
        snprintf(path, sizeof(path), "%s/%s.pdf", dir, rec.id);
        err = write_if_changed(path, pdf, rec.pdf_len, written, diag);
    }
    free(json);
    free(pdf);
    return err;
}

static enum mnv_err export_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct export_args *a = ud;
    enum mnv_err err = fileio_mkdir_private(a->dir, diag);
    if (err != MNV_OK || a->id)
        return err == MNV_OK ? export_one(v, a->dir, a->id, a->written, diag) : err;
    struct cert_rec *all = NULL;
    size_t n = 0;
    err = certdb_list(v, &all, &n, diag);
    for (size_t i = 0; err == MNV_OK && i < n; i++)
        err = export_one(v, a->dir, all[i].id, a->written, diag);
    free(all);
    return err;
}

/* Temporary files of a certificate write killed before its rename ("ID.json.tmp-…"), in
 * the vault's own certificates folder (which only mnvault writes). */
static void remove_stale_temps(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".json.tmp-") || strstr(e->d_name, ".pdf.tmp-"))
            unlinkat(dirfd(d), e->d_name, 0);
    closedir(d);
}

enum mnv_err cert_export(struct session *s, const char *id, const char *dir, long *written,
                         struct mnv_diag *diag)
{
    *written = 0;
    char folder[PATH_MAX];
    if (!dir) {
        snprintf(folder, sizeof(folder), "%s/%s", session_dir(s), CERT_FOLDER);
        dir = folder;
        remove_stale_temps(dir);
    }
    struct export_args a = {id, dir, written};
    return svcread_run(s, reader(s), export_body, &a, diag);
}

/* ---- contractors' certificates of return --------------------------------------------------- */

static enum mnv_err check_words(const char *text, size_t max)
{
    if (numtext_has_number(text, strlen(text), NUMTEXT_ANY_RUN))
        return MNV_ERR_REASON_NUMBER;
    return person_check_text(text, max, 1);
}

struct return_ctx {
    struct cert_return r;
    int destroyed;
};

/* The copy moves in the custody register and the contractor's certificate is recorded, in
 * one transaction under one audit entry. */
static enum mnv_err return_body(struct session *s, struct change *c, void *ud,
                                struct mnv_diag *diag)
{
    struct return_ctx *x = ud;
    struct vault *v = session_vault(s);
    struct custody_entry e;
    memset(&e, 0, sizeof(e));
    enum mnv_err err = custodydb_get(v, x->r.custody_id, &e, diag);
    if (err != MNV_OK)
        return err;
    /* A copy handed over was written in full; one still being written can only have been
     * destroyed. */
    if (!(e.state == CUSTODY_WRITTEN || (x->destroyed && e.state == CUSTODY_WRITING)))
        return MNV_ERR_CUSTODY_STATE;
    char note[CUSTODY_NOTE_MAX + 1];
    snprintf(note, sizeof(note), "%s %s", x->r.contractor, x->r.reference);
    err =
        custodydb_set_state(v, x->r.custody_id, x->destroyed ? CUSTODY_DESTROYED : CUSTODY_RETURNED,
                            session_user(s), note, diag);
    if (err == MNV_OK)
        err = certdb_return_insert(v, &x->r, diag);
    change_detail(c, "from=%s to=%s on=%s contractor=%s reference=%s", custody_state_name(e.state),
                  x->r.outcome, x->r.on, x->r.contractor, x->r.reference);
    return err;
}

enum mnv_err cert_record_return(struct session *s, int64_t custody_id, const char *contractor,
                                const char *reference, const char *outcome, const char *on,
                                const unsigned char *file_sha256, struct mnv_diag *diag)
{
    char subject[48];
    snprintf(subject, sizeof(subject), "custody:%lld", (long long)custody_id);
    enum mnv_err err = access_check(s, ACT_CUSTODY_MARK, subject, diag);
    struct return_ctx x;
    memset(&x, 0, sizeof(x));
    x.destroyed = strcmp(outcome, "destroyed") == 0;
    if (err == MNV_OK && !x.destroyed && strcmp(outcome, "returned") != 0) {
        mnv_diag_item(diag, "outcome");
        err = MNV_ERR_FIELD_CHOICE;
    }
    if (err == MNV_OK && (err = check_words(contractor, CERT_RETURN_TEXT_MAX)) != MNV_OK)
        mnv_diag_item(diag, "contractor");
    if (err == MNV_OK && (err = check_words(reference, CERT_RETURN_TEXT_MAX)) != MNV_OK)
        mnv_diag_item(diag, "reference");
    int32_t day;
    if (err == MNV_OK && (caldate_parse(on, &day) != 0 || day > clock_today())) {
        mnv_diag_item(diag, "on");
        err = MNV_ERR_FIELD_DATE;
    }
    if (err != MNV_OK)
        return err;
    x.r.custody_id = custody_id;
    snprintf(x.r.contractor, sizeof(x.r.contractor), "%s", contractor);
    snprintf(x.r.reference, sizeof(x.r.reference), "%s", reference);
    snprintf(x.r.outcome, sizeof(x.r.outcome), "%s", outcome);
    snprintf(x.r.on, sizeof(x.r.on), "%s", on);
    if (file_sha256) {
        memcpy(x.r.sha256, file_sha256, CERT_SHA256_LEN);
        x.r.has_file = 1;
    }
    snprintf(x.r.recorded_by, sizeof(x.r.recorded_by), "%s", session_user(s));
    x.r.recorded_at = (int64_t)clock_now();
    return change_run(s, "cert.return", subject, return_body, &x, diag);
}

struct returns_args {
    struct cert_return **out;
    size_t *count;
};

static enum mnv_err returns_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct returns_args *a = ud;
    return certdb_returns(v, a->out, a->count, diag);
}

enum mnv_err cert_returns(struct session *s, struct cert_return **out, size_t *count,
                          struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    struct returns_args a = {out, count};
    return svcread_run(s, ACT_CUSTODY_READ, returns_body, &a, diag);
}

/* ---- copies still holding deleted numbers ------------------------------------------------ */

static enum mnv_err outstanding_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct cert_outstanding *o = ud;
    struct cert_rec last;
    enum mnv_err err = certdb_last(v, &last, diag);
    if (err == MNV_ERR_NOT_FOUND)
        return MNV_OK; /* nothing was ever deleted */
    struct backup_rec *all = NULL;
    size_t n = 0;
    if (err == MNV_OK)
        err = backupdb_list(v, &all, &n, diag);
    if (err == MNV_OK && n && !(o->backups = calloc(n, sizeof(*o->backups))))
        err = MNV_ERR_NOMEM;
    /* Made before the newest deletion and not deleted since: it holds what was deleted. */
    for (size_t i = 0; err == MNV_OK && i < n; i++)
        if (!all[i].deleted_at && all[i].audit_seq < last.audit_seq)
            o->backups[o->nbackups++] = all[i];
    free(all);
    int64_t *ids = NULL;
    size_t k = 0;
    if (err == MNV_OK)
        err = certdb_outstanding_exports(v, &ids, &k, diag);
    if (err == MNV_OK && k && !(o->exports = calloc(k, sizeof(*o->exports))))
        err = MNV_ERR_NOMEM;
    for (size_t i = 0; err == MNV_OK && i < k; i++)
        err = custodydb_get(v, ids[i], &o->exports[o->nexports++], diag);
    free(ids);
    return err;
}

enum mnv_err cert_outstanding(struct session *s, struct cert_outstanding *out,
                              struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    enum mnv_err err = svcread_run(s, ACT_DASHBOARD, outstanding_body, out, diag);
    if (err != MNV_OK)
        cert_outstanding_free(out);
    return err;
}

void cert_outstanding_free(struct cert_outstanding *o)
{
    free(o->backups);
    free(o->exports);
    memset(o, 0, sizeof(*o));
}

struct destroyed_ctx {
    int64_t id;
    const char *note;
};

static enum mnv_err destroyed_body(struct session *s, struct change *c, void *ud,
                                   struct mnv_diag *diag)
{
    struct destroyed_ctx *x = ud;
    struct vault *v = session_vault(s);
    struct backup_rec *all = NULL;
    size_t n = 0;
    enum mnv_err err = backupdb_list(v, &all, &n, diag);
    const struct backup_rec *b = NULL;
    for (size_t i = 0; err == MNV_OK && i < n; i++)
        if (all[i].id == x->id)
            b = &all[i];
    if (err == MNV_OK && (!b || b->deleted_at))
        err = MNV_ERR_NOT_FOUND;
    if (err == MNV_OK) {
        char hex[2 * VCRYPTO_HASH_LEN + 1];
        change_detail(c, "why=destroyed managed=%d hash=%s%s%s", b->managed,
                      vcrypto_hex(hex, b->hash, VCRYPTO_HASH_LEN), x->note[0] ? " note=" : "",
                      x->note);
        err = backupdb_mark_deleted(v, x->id, (int64_t)clock_now(), session_user(s), "destroyed",
                                    diag);
    }
    free(all);
    return err;
}

enum mnv_err cert_backup_destroyed(struct session *s, int64_t backup_id, const char *note,
                                   struct mnv_diag *diag)
{
    char subject[48];
    snprintf(subject, sizeof(subject), "backup:%lld", (long long)backup_id);
    enum mnv_err err = access_check(s, ACT_BACKUP_MAKE, subject, diag);
    if (!note)
        note = "";
    if (err == MNV_OK && note[0] && (err = check_words(note, CERT_RETURN_TEXT_MAX)) != MNV_OK)
        mnv_diag_item(diag, "note");
    if (err != MNV_OK)
        return err;
    struct destroyed_ctx x = {backup_id, note};
    return change_run(s, "backup.destroyed", subject, destroyed_body, &x, diag);
}
