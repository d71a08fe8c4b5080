/*
 * disposal_exec.c: executing an approved proposal — the deletion, the key rotation and the
 * certificate in one transaction — and the work after it (the old epoch key destroyed, the
 * database rewritten, the certificate files, the backups).
 */
#include "mnvault/disposal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/access.h"
#include "mnvault/alloc.h"
#include "mnvault/audit.h"
#include "mnvault/cert.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/collectdb.h"
#include "mnvault/custodydb.h"
#include "mnvault/keyring.h"
#include "mnvault/numberdb.h"
#include "mnvault/session.h"
#include "mnvault/vcrypto.h"

#include "disposal_priv.h"

/* ---- the transaction ----------------------------------------------------------------------- */

struct exec_ctx {
    const struct retention_rules *r;
    int64_t id;
    struct disposal_done *out;
    int stale;
    /* gathered inside the transaction */
    struct disposal_proposal p;
    struct disposal_row *rows;
    size_t n;
    struct backup_rec *backups, *outside;
    size_t nbackups, noutside;
    long managed;
    struct custody_entry *exports;
    size_t nexports;
};

/* The items of the proposal with whose they are (names for the certificate). */
static enum mnv_err load_rows(struct vault *v, struct exec_ctx *x, struct mnv_diag *diag)
{
    struct disposal_item *items = NULL;
    size_t n = 0;
    enum mnv_err err = disposaldb_items(v, x->id, &items, &n, diag);
    if (err == MNV_OK && n && !(x->rows = calloc(n, sizeof(*x->rows))))
        err = MNV_ERR_NOMEM;
    for (size_t i = 0; err == MNV_OK && i < n; i++) {
        x->rows[i].item = items[i];
        err = disposal_name_row(v, &x->rows[i], diag);
    }
    free(items);
    x->n = err == MNV_OK ? n : 0;
    return err;
}

/* Backups: those outside the managed folder stay outstanding; the managed ones are counted. */
static enum mnv_err load_backups(struct vault *v, struct exec_ctx *x, struct mnv_diag *diag)
{
    enum mnv_err err = backupdb_list(v, &x->backups, &x->nbackups, diag);
    if (err != MNV_OK)
        return err;
    if (x->nbackups && !(x->outside = calloc(x->nbackups, sizeof(*x->outside))))
        return MNV_ERR_NOMEM;
    for (size_t i = 0; i < x->nbackups; i++) {
        const struct backup_rec *b = &x->backups[i];
        if (b->deleted_at)
            continue;
        if (b->managed)
            x->managed++;
        else
            x->outside[x->noutside++] = *b;
    }
    return MNV_OK;
}

static int has_id(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* Exported copies still in the office's hands that held any of the numbers deleted. */
static enum mnv_err load_exports(struct vault *v, struct exec_ctx *x, struct mnv_diag *diag)
{
    int64_t *all = NULL;
    size_t nall = 0, cap = 0;
    enum mnv_err err = MNV_OK;
    for (size_t i = 0; err == MNV_OK && i < x->n; i++) {
        int64_t *ids = NULL;
        size_t k = 0;
        err = custodydb_outstanding(v, &x->rows[i].item.person, &ids, &k, diag);
        for (size_t j = 0; err == MNV_OK && j < k; j++) {
            if (has_id(all, nall, ids[j]))
                continue;
            int64_t *n = alloc_grow(all, &cap, nall + 1, sizeof(*n));
            if (!n) {
                err = MNV_ERR_NOMEM;
                break;
            }
            all = n;
            all[nall++] = ids[j];
        }
        free(ids);
    }
    if (err == MNV_OK && nall && !(x->exports = calloc(nall, sizeof(*x->exports))))
        err = MNV_ERR_NOMEM;
    for (size_t i = 0; err == MNV_OK && i < nall; i++)
        err = custodydb_get(v, all[i], &x->exports[x->nexports++], diag);
    free(all);
    return err;
}

static enum mnv_err delete_and_rewrap(struct vault *v, struct exec_ctx *x, struct mnv_diag *diag)
{
    enum mnv_err err = MNV_OK;
    /* The epoch key that wrapped them (for the certificate and the audit entry). */
    unsigned char wrapped[NUMBER_WRAPPED_LEN];
    uint32_t epoch = 0;
    struct person_ref owner;
    if (x->n &&
        numberdb_wrapped_key(v, x->rows[0].item.number_id, wrapped, &epoch, &owner, diag) == MNV_OK)
        x->out->epoch_from = epoch;
    for (size_t i = 0; err == MNV_OK && i < x->n; i++) {
        err = numberdb_dispose(v, x->rows[i].item.number_id, diag);
        if (err == MNV_OK)
            err = collectdb_forget_refs(v, x->rows[i].item.number_id, diag);
    }
    struct numberdb_rewrapped n = {0, 0, 0};
    if (err == MNV_OK) /* every kind of row sealed under the epoch keys (numberdb.h) */
        err = numberdb_rewrap_sealed(v, &n, diag);
    x->out->rewrapped = n.numbers + n.payroll + n.insurance;
    x->out->numbers = (long)x->n;
    return err;
}

static enum mnv_err exec_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    struct exec_ctx *x = ud;
    struct vault *v = session_vault(s);
    enum mnv_err err = disposaldb_get(v, x->id, &x->p, diag);
    if (err == MNV_OK && x->p.state != DISPOSAL_APPROVED)
        err = MNV_ERR_PROPOSAL_STATE;
    if (err != MNV_OK)
        return err;
    struct disposal_item *items = NULL;
    size_t n = 0;
    int64_t changed = 0;
    err = disposaldb_items(v, x->id, &items, &n, diag);
    if (err == MNV_OK)
        err = disposal_first_changed(v, x->r, items, n, &changed, diag);
    free(items);
    if (err == MNV_OK && changed) {
        /* Not as approved any more: marked stale, nothing deleted (the new epoch key begun
         * for it is completed all the same, so that the key file does not fill up). */
        c->action = "disposal.stale";
        change_detail(c, "number_record=%lld", (long long)changed);
        x->stale = 1;
        struct numberdb_rewrapped again;
        err = numberdb_rewrap_sealed(v, &again, diag);
        return err == MNV_OK
                   ? disposaldb_decide(v, x->id, DISPOSAL_APPROVED, DISPOSAL_STALE, session_user(s),
                                       (int64_t)clock_now(), c->detail, diag)
                   : err;
    }
    if (err == MNV_OK)
        err = load_rows(v, x, diag);
    if (err == MNV_OK)
        err = load_backups(v, x, diag);
    if (err == MNV_OK)
        err = load_exports(v, x, diag);
    if (err == MNV_OK)
        err = delete_and_rewrap(v, x, diag);
    struct cert_input in = {&x->p,
                            x->rows,
                            x->n,
                            x->r,
                            session_user(s),
                            (int64_t)clock_now(),
                            x->out->epoch_from,
                            x->out->epoch_to,
                            x->managed,
                            x->outside,
                            x->noutside,
                            x->exports,
                            x->nexports};
    if (err == MNV_OK)
        err = cert_issue(v, &in, &x->out->cert, diag);
    if (err == MNV_OK)
        err = disposaldb_decide(v, x->id, DISPOSAL_APPROVED, DISPOSAL_EXECUTED, session_user(s),
                                (int64_t)clock_now(), "", diag);
    char hex[2 * CERT_SHA256_LEN + 1];
    change_detail(c, "certificate=%s sha256=%s numbers=%ld epoch=%u>%u", x->out->cert.id,
                  vcrypto_hex(hex, x->out->cert.sha256, CERT_SHA256_LEN), (long)x->n,
                  x->out->epoch_from, x->out->epoch_to);
    return err;
}

static void exec_free(struct exec_ctx *x)
{
    free(x->rows);
    free(x->backups);
    free(x->outside);
    free(x->exports);
}

/* ---- after the commit ----------------------------------------------------------------------- */

/*
 * backup_make() places a managed backup's file, then registers it: a backup killed between
 * the two escapes the register. So the managed folder is read as well, and a file there
 * that the register does not hold, and that holds the vault as it was before the newest
 * deletion (its manifest's audit entry comes before the certificate's), is deleted too.
 * A file being made right now by another process is after the deletion: it is kept.
 */
struct orphans {
    char (*paths)[PATH_MAX];
    size_t n, cap;
};

static int registered_live(const struct backup_rec *all, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (!all[i].deleted_at && strcmp(all[i].path, path) == 0)
            return 1;
    return 0;
}

static enum mnv_err find_orphans(struct session *s, const char *dir, uint64_t since,
                                 const struct backup_rec *all, size_t n, struct orphans *o)
{
    char abs[PATH_MAX];
    DIR *d = realpath(dir, abs) ? opendir(abs) : NULL;
    if (!d)
        return MNV_OK; /* no managed folder: nothing in it */
    enum mnv_err err = MNV_OK;
    struct dirent *e;
    static const char ext[] = ".mnvbak";
    while (err == MNV_OK && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        char path[PATH_MAX];
        if (len <= sizeof(ext) - 1 || strcmp(e->d_name + len - (sizeof(ext) - 1), ext) != 0 ||
            snprintf(path, sizeof(path), "%s/%s", abs, e->d_name) >= (int)sizeof(path) ||
            registered_live(all, n, path))
            continue;
        struct backup_check chk;
        if (backup_verify(s, path, &chk, NULL) != MNV_OK ||
            (chk.registered && !chk.rec.deleted_at) || chk.manifest.audit_seq >= since)
            continue; /* another vault's, damaged, registered elsewhere, or after */
        void *grown = alloc_grow(o->paths, &o->cap, o->n + 1, sizeof(*o->paths));
        if (!grown) {
            err = MNV_ERR_NOMEM;
            break;
        }
        o->paths = grown;
        snprintf(o->paths[o->n++], PATH_MAX, "%s", path);
    }
    closedir(d);
    return err;
}

static enum mnv_err orphans_body(struct session *s, struct change *c, void *ud,
                                 struct mnv_diag *diag)
{
    (void)s;
    struct orphans *o = ud;
    for (size_t i = 0; i < o->n; i++)
        if (unlink(o->paths[i]) != 0 && errno != ENOENT) {
            mnv_diag_where(diag, "%s", o->paths[i]);
            mnv_diag_errno(diag, errno);
            return MNV_ERR_IO;
        }
    change_detail(c, "why=disposal unregistered=%zu", o->n);
    return MNV_OK;
}

static enum mnv_err sweep_orphans(struct session *s, const struct backup_options *bo,
                                  uint64_t since, const struct backup_rec *all, size_t n,
                                  struct disposal_done *out, struct mnv_diag *diag)
{
    char dir[PATH_MAX];
    if (bo->dir && bo->dir[0])
        snprintf(dir, sizeof(dir), "%s", bo->dir);
    else if (snprintf(dir, sizeof(dir), "%s/backups", session_dir(s)) >= (int)sizeof(dir))
        return MNV_ERR_TOO_LONG;
    struct orphans o = {NULL, 0, 0};
    enum mnv_err err = find_orphans(s, dir, since, all, n, &o);
    if (err == MNV_OK && o.n)
        err = change_run(s, "backup.delete", "", orphans_body, &o, diag);
    if (err == MNV_OK)
        out->backups_forgotten += o.n;
    free(o.paths);
    return err;
}

/* Delete the managed backups made before the newest certificate, once a newer one exists. */
struct forget_ctx {
    const struct backup_rec *old;
    size_t n;
    size_t *forgotten;
};

static enum mnv_err forget_body(struct session *s, struct change *c, void *ud,
                                struct mnv_diag *diag)
{
    struct forget_ctx *x = ud;
    struct vault *v = session_vault(s);
    enum mnv_err err = MNV_OK;
    for (size_t i = 0; err == MNV_OK && i < x->n; i++) {
        const struct backup_rec *b = &x->old[i];
        const char *why = "disposal";
        if (unlink(b->path) != 0 && errno != ENOENT) {
            mnv_diag_where(diag, "%s", b->path);
            mnv_diag_errno(diag, errno);
            return MNV_ERR_IO;
        }
        err = backupdb_mark_deleted(v, b->id, (int64_t)clock_now(), session_user(s), why, diag);
        (*x->forgotten)++;
    }
    change_detail(c, "why=disposal deleted=%zu", x->n);
    return err;
}

/*
 * A managed backup holds a deleted number when it was made before the deletion committed:
 * when its newest audit entry comes before the one that recorded the newest certificate.
 */
static enum mnv_err renew_backups(struct session *s, const struct backup_options *bo,
                                  uint64_t since, struct disposal_done *out, struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    struct backup_rec *all = NULL, *old = NULL;
    size_t n = 0, nold = 0;
    enum mnv_err err = vault_begin_read(v, diag);
    if (err == MNV_OK) {
        err = backupdb_list(v, &all, &n, diag);
        vault_rollback(v);
    }
    if (err == MNV_OK && n && !(old = calloc(n, sizeof(*old))))
        err = MNV_ERR_NOMEM;
    for (size_t i = 0; err == MNV_OK && i < n; i++)
        if (all[i].managed && !all[i].deleted_at && all[i].audit_seq < since)
            old[nold++] = all[i];
    if (err == MNV_OK)
        err = sweep_orphans(s, bo, since, all, n, out, diag);
    free(all);
    if (err == MNV_OK && nold) {
        struct backup_made made;
        err = backup_make(s, NULL, bo, &made, diag);
        out->backed_up = err == MNV_OK;
        struct forget_ctx x = {old, nold, &out->backups_forgotten};
        if (err == MNV_OK)
            err = change_run(s, "backup.delete", "", forget_body, &x, diag);
    }
    free(old);
    return err;
}

/* The audit entry of the newest certificate; 0 when there is none. */
static enum mnv_err last_cert(struct session *s, uint64_t *seq, struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    struct cert_rec rec;
    *seq = 0;
    enum mnv_err err = vault_begin_read(v, diag);
    if (err != MNV_OK)
        return err;
    err = certdb_last(v, &rec, diag);
    vault_rollback(v);
    if (err == MNV_OK)
        *seq = rec.audit_seq;
    return err == MNV_ERR_NOT_FOUND ? MNV_OK : err;
}

static enum mnv_err vacuumed_body(struct session *s, struct change *c, void *ud,
                                  struct mnv_diag *diag)
{
    const char *done = ud;
    change_detail(c, "after_entry=%s", done);
    return vault_meta_set(session_vault(s), "disposal.vacuumed", done, diag);
}

/* VACUUM once after each deletion (the meta key remembers the last it was done for). */
static enum mnv_err vacuum_if_owed(struct session *s, uint64_t since, struct disposal_done *out,
                                   struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    char done[32];
    if (vault_meta_get(v, "disposal.vacuumed", done, sizeof(done)) == MNV_OK &&
        strtoull(done, NULL, 10) >= since)
        return MNV_OK;
    enum mnv_err err = vault_exec(v, "VACUUM", diag);
    if (err != MNV_OK)
        return err;
    out->vacuumed = 1;
    snprintf(done, sizeof(done), "%llu", (unsigned long long)since);
    return change_run(s, "disposal.vacuum", "", vacuumed_body, done, diag);
}

static enum mnv_err finish_steps(struct session *s, const struct backup_options *bo,
                                 struct disposal_done *out, struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    size_t forgotten = 0;
    enum mnv_err err = numberdb_rotate_finish(v, &forgotten, diag);
    if (err == MNV_ERR_NUMBER_STATE)
        err = MNV_OK; /* rows under an older key remain (another rotation is under way) */
    out->epochs_destroyed += forgotten;
    uint64_t since = 0;
    if (err == MNV_OK)
        err = last_cert(s, &since, diag);
    if (err == MNV_OK && since)
        err = vacuum_if_owed(s, since, out, diag);
    long files = 0;
    if (err == MNV_OK && since)
        err = cert_export(s, NULL, NULL, &files, diag);
    out->files += files;
    if (err == MNV_OK && since)
        err = renew_backups(s, bo, since, out, diag);
    return err;
}

enum mnv_err disposal_finish(struct session *s, const struct backup_options *bo,
                             struct disposal_done *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    enum mnv_err err = access_check(s, ACT_DISPOSAL_APPROVE, "", diag);
    if (err == MNV_OK)
        err = finish_steps(s, bo, out, diag);
    out->after = err;
    return err;
}

enum mnv_err disposal_execute(struct session *s, const struct retention_rules *r, int64_t id,
                              const struct backup_options *bo, struct disposal_done *out,
                              struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    char subject[48];
    snprintf(subject, sizeof(subject), "proposal:%lld", (long long)id);
    enum mnv_err err = access_check(s, ACT_DISPOSAL_APPROVE, subject, diag);
    if (err != MNV_OK)
        return err;
    /* What an earlier execution left undone comes first: its epoch key must go before a
     * new rotation, and the key file holds only a few epoch keys. */
    struct disposal_done before;
    memset(&before, 0, sizeof(before));
    err = finish_steps(s, bo, &before, diag);
    struct vault *v = session_vault(s);
    struct keyring *kr = vault_keyring(v);
    out->epoch_from = keyring_epoch_current(kr);
    /* A new epoch key, unless one is already waiting: an execution killed before its
     * commit left it, and the records are still under the older keys (finish_steps could
     * not destroy them). Every data key not under it is rewrapped under it below. */
    if (err == MNV_OK && keyring_epoch_count(kr) > 1)
        out->epoch_to = out->epoch_from;
    else if (err == MNV_OK)
        err = numberdb_rotate_begin(v, 0, &out->epoch_to, diag);
    if (err != MNV_OK)
        return err;
    struct exec_ctx x;
    memset(&x, 0, sizeof(x));
    x.r = r;
    x.id = id;
    x.out = out;
    err = change_run(s, "disposal.execute", subject, exec_body, &x, diag);
    exec_free(&x);
    if (err == MNV_OK && x.stale)
        return MNV_ERR_PROPOSAL_STALE;
    if (err != MNV_OK)
        return err;
    /* Deleted and certified: what follows can fail without undoing that. */
    out->after = finish_steps(s, bo, out, diag);
    return MNV_OK;
}
