#include "mnvault/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "mnvault/access.h"
#include "mnvault/atomicfile.h"
#include "mnvault/audit.h"
#include "mnvault/auditlog.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/fileio.h"
#include "mnvault/keyring.h"
#include "mnvault/recovery.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/userdb.h"
#include "mnvault/vault.h"
#include "backup_int.h"

#define TEMP_PREFIX ".mnvbak-"
#define TEMP_SUFFIX ".part"
#define VID_HEX (2 * KEYRING_ID_LEN + 1)

enum mnv_err backup_io_fail(struct mnv_diag *diag, const char *path, int e)
{
    mnv_diag_where(diag, "%s", path);
    mnv_diag_errno(diag, e);
    return MNV_ERR_IO;
}

/* "backup:<32 hex>", the audit subject of one backup file. */
char *backup_subject_of(char out[BACKUP_SUBJECT_SIZE], const unsigned char id[BACKUPFILE_ID_LEN])
{
    char hex[2 * BACKUPFILE_ID_LEN + 1];
    snprintf(out, BACKUP_SUBJECT_SIZE, "backup:%s", vcrypto_hex(hex, id, BACKUPFILE_ID_LEN));
    return out;
}

void backup_header_copy(struct backupfile_header *dst, const struct backupfile_header *src)
{
    *dst = *src;
    dst->keyfile = NULL;
    dst->keyfile_len = 0;
}

/* ---- where the file goes ---------------------------------------------------------------- */

struct target {
    char dir[PATH_MAX];   /* absolute */
    char final[PATH_MAX]; /* absolute; for a managed backup chosen at rename time */
    struct atomicfile file;
    int managed;
};

static enum mnv_err absolute_dir(const char *dir, char out[PATH_MAX], struct mnv_diag *diag)
{
    if (!realpath(dir, out))
        return backup_io_fail(diag, dir, errno);
    struct stat st;
    if (stat(out, &st) != 0)
        return backup_io_fail(diag, dir, errno);
    if (!S_ISDIR(st.st_mode))
        return backup_io_fail(diag, dir, ENOTDIR);
    return MNV_OK;
}

static enum mnv_err choose_target(struct session *s, const char *file,
                                  const struct backup_options *o, struct target *t,
                                  struct mnv_diag *diag)
{
    memset(t, 0, sizeof(*t));
    atomicfile_init(&t->file);
    char buf[PATH_MAX];
    if (file) {
        snprintf(buf, sizeof(buf), "%s", file);
        char base[NAME_MAX + 1];
        snprintf(base, sizeof(base), "%s", basename(buf));
        snprintf(buf, sizeof(buf), "%s", file);
        if (!base[0] || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || file[0] == '\0' ||
            file[strlen(file) - 1] == '/')
            return backup_io_fail(diag, file, EISDIR);
        enum mnv_err err = absolute_dir(dirname(buf), t->dir, diag);
        if (err != MNV_OK)
            return err;
        if (snprintf(t->final, sizeof(t->final), "%s/%s", t->dir, base) >= (int)sizeof(t->final))
            return MNV_ERR_TOO_LONG;
        struct stat st;
        if (lstat(t->final, &st) == 0) {
            mnv_diag_where(diag, "%s", t->final);
            return MNV_ERR_BACKUP_EXISTS;
        }
        return MNV_OK;
    }
    t->managed = 1;
    if (o->dir && o->dir[0])
        snprintf(buf, sizeof(buf), "%s", o->dir);
    else if (snprintf(buf, sizeof(buf), "%s/backups", session_dir(s)) >= (int)sizeof(buf))
        return MNV_ERR_TOO_LONG;
    enum mnv_err err = fileio_mkdir_private(buf, diag);
    return err == MNV_OK ? absolute_dir(buf, t->dir, diag) : err;
}

/*
 * Managed name: mnvault-YYYYMMDDTHHMMSSZ-<8 hex of the vault id>-<8 hex of the backup
 * id>[-N].mnvbak. The backup id's part keeps a name from ever being used twice (a deleted
 * generation's name is never given to a later backup), so a path in the register names
 * one backup.
 */
static int managed_name(struct target *t, int64_t when, const char *vid, const char *bid,
                        int attempt)
{
    char stamp[32];
    time_t tt = (time_t)when;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0)
        snprintf(stamp, sizeof(stamp), "%lld", (long long)when);
    char extra[16] = "";
    if (attempt > 0)
        snprintf(extra, sizeof(extra), "-%d", attempt + 1);
    return snprintf(t->final, sizeof(t->final), "%s/mnvault-%s-%.8s-%.8s%s%s", t->dir, stamp, vid,
                    bid, extra, BACKUP_SUFFIX) >= (int)sizeof(t->final)
               ? -1
               : 0;
}

/* Temporary files of this vault left by a killed backup; safe to remove under the lock. */
static void remove_stale(const char *dir, const char *vid)
{
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "%s%s-", TEMP_PREFIX, vid);
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    size_t pl = strlen(prefix), sl = strlen(TEMP_SUFFIX);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > pl + sl && strncmp(e->d_name, prefix, pl) == 0 &&
            strcmp(e->d_name + n - sl, TEMP_SUFFIX) == 0)
            unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
}

static enum mnv_err place(struct target *t, const struct backupfile_info *info, const char *vid,
                          struct mnv_diag *diag)
{
    char bid[2 * BACKUPFILE_ID_LEN + 1];
    vcrypto_hex(bid, info->backup_id, BACKUPFILE_ID_LEN);
    for (int attempt = 0; attempt < (t->managed ? 100 : 1); attempt++) {
        if (t->managed && managed_name(t, info->created, vid, bid, attempt) < 0)
            return backup_io_fail(diag, t->dir, ENAMETOOLONG);
        enum mnv_err err = atomicfile_commit(&t->file, t->final, ATOMICFILE_NO_REPLACE, diag);
        if (err != MNV_ERR_EXISTS)
            return err;
    }
    mnv_diag_where(diag, "%s", t->final);
    return MNV_ERR_BACKUP_EXISTS;
}

/* ---- writing and checking ----------------------------------------------------------------- */

/*
 * The synced file opened again as a restore opens it, up to the first chunk: the clear part
 * parsed, the file key derived from BK opens the manifest (bound to the prefix and the key
 * file), and the length is the one the prefix gives. Every byte was already read back and
 * compared while it was written (backupfile_write()); doc/architecture.md, "What a backup
 * checks before it is placed", says why the chunks are not opened again.
 */
static enum mnv_err check_written(const char *path, const struct backupfile_info *info,
                                  const unsigned char *bk)
{
    struct backupfile_reader *r;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = backupfile_open(path, &r, &d);
    if (err != MNV_OK)
        return err == MNV_ERR_NOMEM ? err : MNV_ERR_BACKUP_VERIFY;
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN);
    struct backupfile_manifest m;
    const struct backupfile_header *h = backupfile_header(r);
    if (!key)
        err = MNV_ERR_NOMEM;
    else if (memcmp(h->backup_id, info->backup_id, BACKUPFILE_ID_LEN) != 0 ||
             h->db_size != info->db_size || h->created != info->created)
        err = MNV_ERR_BACKUP_VERIFY;
    if (err == MNV_OK)
        err = backupfile_key(h->version, bk, h->backup_id, key);
    if (err == MNV_OK)
        err = backupfile_check_head(r, key, &m, &d);
    if (err == MNV_OK &&
        (m.audit_seq != info->manifest.audit_seq ||
         memcmp(m.epochs_digest, info->manifest.epochs_digest, sizeof(m.epochs_digest)) != 0))
        err = MNV_ERR_BACKUP_VERIFY;
    secmem_free(key);
    backupfile_close(r);
    return err == MNV_OK || err == MNV_ERR_NOMEM ? err : MNV_ERR_BACKUP_VERIFY;
}

/* A second descriptor of the temporary file, for reading back what is written through the
 * first; the same file (device and inode), not whatever the name points to now. */
static enum mnv_err open_check(const struct atomicfile *f, int *check_fd, struct mnv_diag *diag)
{
    *check_fd = open(atomicfile_temp(f), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (*check_fd < 0)
        return backup_io_fail(diag, atomicfile_temp(f), errno);
    struct stat a, b;
    if (fstat(atomicfile_fd(f), &a) != 0 || fstat(*check_fd, &b) != 0)
        return backup_io_fail(diag, atomicfile_temp(f), errno);
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino ? MNV_OK : MNV_ERR_BACKUP_VERIFY;
}

static enum mnv_err write_temp(struct vault *v, struct target *t, const char *vid, int64_t now,
                               struct backupfile_info *info, struct mnv_diag *diag)
{
    remove_stale(t->dir, vid);
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "%s%s-", TEMP_PREFIX, vid);
    enum mnv_err err = atomicfile_open_in(&t->file, t->dir, prefix, TEMP_SUFFIX, 0600, diag);
    if (err != MNV_OK)
        return err;
    int check_fd = -1;
    err = open_check(&t->file, &check_fd, diag);
    if (err == MNV_OK)
        err = backupfile_write(v, atomicfile_fd(&t->file), check_fd, now, info, diag);
    if (check_fd >= 0)
        close(check_fd);
    if (err == MNV_ERR_IO && diag && !diag->where[0])
        mnv_diag_where(diag, "%s", atomicfile_temp(&t->file));
    if (err == MNV_OK)
        err = atomicfile_sync(&t->file, diag);
    return err;
}

/* Write, sync, check and place the file, holding the data folder's lock throughout. */
static enum mnv_err write_backup(struct session *s, struct target *t, int64_t now,
                                 struct backupfile_info *info, struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    struct keyring *kr = vault_keyring(v);
    char vid[VID_HEX];
    vcrypto_hex(vid, keyring_vault_id(kr), KEYRING_ID_LEN);
    enum mnv_err err = keyring_begin(kr, vault_keys(v), diag);
    if (err != MNV_OK)
        return err;
    err = write_temp(v, t, vid, now, info, diag);
    if (err == MNV_OK)
        err = check_written(atomicfile_temp(&t->file), info, vault_keys(v)->bk);
    if (err == MNV_OK)
        err = place(t, info, vid, diag);
    atomicfile_abort(&t->file); /* after place(): nothing left to remove */
    keyring_abort(kr);
    return err;
}

/* ---- register and generations ------------------------------------------------------------- */

static enum mnv_err register_body(struct session *s, struct change *c, void *ud,
                                  struct mnv_diag *diag)
{
    struct backup_rec *rec = ud;
    change_detail(c, "managed=%d size=%llu audit_seq=%llu", rec->managed,
                  (unsigned long long)rec->size, (unsigned long long)rec->audit_seq);
    return backupdb_insert(session_vault(s), rec, diag);
}

static enum mnv_err register_backup(struct session *s, struct backup_rec *rec,
                                    struct mnv_diag *diag)
{
    char subject[BACKUP_SUBJECT_SIZE];
    return change_run(s, "backup.make", backup_subject_of(subject, rec->backup_id), register_body,
                      rec, diag);
}

/* Delete one old generation's file and mark its row (inside the open transaction). */
static enum mnv_err drop_generation(struct session *s, const struct backup_rec *r, int64_t now,
                                    struct backup_made *out, struct mnv_diag *diag)
{
    const char *why = "generations";
    if (unlink(r->path) != 0) {
        if (errno != ENOENT)
            return backup_io_fail(diag, r->path, errno);
        why = "missing";
        out->missing++;
    } else {
        out->deleted++;
    }
    char subject[BACKUP_SUBJECT_SIZE], detail[64];
    snprintf(detail, sizeof(detail), "why=%s", why);
    struct vault *v = session_vault(s);
    enum mnv_err err = backupdb_mark_deleted(v, r->id, now, session_user(s), why, diag);
    if (err == MNV_OK)
        err = audit_append(s, "backup.delete", backup_subject_of(subject, r->backup_id), "ok",
                           detail, diag);
    return err;
}

struct prune_ctx {
    const struct backup_rec *recs;
    size_t n, excess;
    int64_t now;
    struct backup_made *out;
};

/* The oldest managed generations beyond the number kept, each with an entry of its own. */
static enum mnv_err prune_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    struct prune_ctx *x = ud;
    enum mnv_err err = MNV_OK;
    c->skip_entry = 1;
    for (size_t i = 0; i < x->n && x->excess > 0 && err == MNV_OK; i++) {
        if (!x->recs[i].managed || x->recs[i].deleted_at)
            continue;
        err = drop_generation(s, &x->recs[i], x->now, x->out, diag);
        x->excess--;
    }
    return err;
}

static enum mnv_err prune(struct session *s, int keep, int64_t now, struct backup_made *out,
                          struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    struct backup_rec *recs;
    size_t n, live = 0;
    enum mnv_err err = backupdb_list(v, &recs, &n, diag);
    if (err != MNV_OK)
        return err;
    for (size_t i = 0; i < n; i++)
        live += recs[i].managed && !recs[i].deleted_at;
    struct prune_ctx x = {recs, n, live > (size_t)keep ? live - (size_t)keep : 0, now, out};
    if (x.excess > 0) {
        err = change_run(s, "backup.delete", NULL, prune_body, &x, diag);
        if (err == MNV_OK && fileio_fsync_dir(out->rec.path) != MNV_OK)
            audit_note(s, "backup.delete", "", "failed", "fsync");
    }
    free(recs);
    return err;
}

enum mnv_err backup_make(struct session *s, const char *file, const struct backup_options *o,
                         struct backup_made *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    enum mnv_err err = access_check(s, ACT_BACKUP_MAKE, "", diag);
    if (err != MNV_OK)
        return err;
    struct target *t = calloc(1, sizeof(*t));
    struct backupfile_info info;
    if (!t)
        return MNV_ERR_NOMEM;
    int64_t now = (int64_t)clock_now();
    err = choose_target(s, file, o, t, diag);
    if (err == MNV_OK)
        err = write_backup(s, t, now, &info, diag);
    if (err == MNV_OK) {
        struct backup_rec *rec = &out->rec;
        memcpy(rec->backup_id, info.backup_id, sizeof(rec->backup_id));
        rec->created_at = now;
        snprintf(rec->path, sizeof(rec->path), "%s", t->final);
        rec->size = info.size;
        memcpy(rec->hash, info.hash, sizeof(rec->hash));
        rec->managed = t->managed;
        snprintf(rec->made_by, sizeof(rec->made_by), "%s", session_user(s));
        rec->audit_seq = info.manifest.audit_seq;
        out->manifest = info.manifest;
        err = register_backup(s, rec, diag);
        if (err != MNV_OK) /* a copy the register does not know would escape disposal */
            unlink(t->final);
    }
    if (err == MNV_OK && t->managed && o->generations > 0 &&
        prune(s, o->generations, now, out, diag) != MNV_OK)
        audit_note(s, "backup.delete", "", "failed", "");
    free(t);
    return err;
}

/* ---- list and verify ---------------------------------------------------------------------- */

enum mnv_err backup_list(struct session *s, struct backup_rec **out, size_t *count,
                         struct mnv_diag *diag)
{
    *out = NULL;
    *count = 0;
    enum mnv_err err = access_check(s, ACT_BACKUP_READ, "", diag);
    return err == MNV_OK ? backupdb_list(session_vault(s), out, count, diag) : err;
}

/*
 * With BK (supervisors, administrators): authenticate every byte. Without (auditors), or for
 * a backup made before the key upgrade (format 1, whose key is gone): hash the file and
 * look the hash up in the register, which recorded it when the backup was written.
 */
static enum mnv_err verify_open(struct session *s, struct backupfile_reader *rd,
                                struct backup_check *r, struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    const struct backupfile_header *h = backupfile_header(rd);
    backup_header_copy(&r->header, h);
    if (memcmp(h->vault_id, keyring_vault_id(vault_keyring(v)), KEYRING_ID_LEN) != 0)
        return MNV_ERR_BACKUP_FOREIGN;
    const struct keyring_keys *k = vault_keys(v);
    int full = h->version >= 2 && (k->have & KEYRING_HAVE_BK);
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!key)
        return MNV_ERR_NOMEM;
    enum mnv_err err = MNV_OK;
    if (full)
        err = backupfile_key(h->version, k->bk, h->backup_id, key);
    if (err == MNV_OK)
        err = full ? backupfile_extract(rd, key, -1, &r->manifest, r->hash, diag)
                   : backupfile_hash(rd, r->hash, diag);
    secmem_free(key);
    if (err == MNV_OK) {
        enum mnv_err e2 = backupdb_find_hash(v, r->hash, &r->rec, diag);
        if (e2 != MNV_OK && e2 != MNV_ERR_NOT_FOUND)
            return e2;
        r->registered = e2 == MNV_OK;
        r->authenticated = full;
        /* By hash alone: a file the register knows by its id but not by this hash was
         * changed after it was written; one it does not know at all cannot be judged. */
        struct backup_rec known;
        if (!full && !r->registered)
            err = backupdb_find_id(v, h->backup_id, &known, NULL) == MNV_OK
                      ? MNV_ERR_BACKUP_DAMAGED
                      : MNV_ERR_BACKUP_UNCHECKED;
    }
    return err;
}

enum mnv_err backup_verify(struct session *s, const char *path, struct backup_check *r,
                           struct mnv_diag *diag)
{
    memset(r, 0, sizeof(*r));
    enum mnv_err err = access_check(s, ACT_BACKUP_READ, "", diag);
    if (err != MNV_OK)
        return err;
    struct backupfile_reader *rd = NULL;
    err = backupfile_open(path, &rd, diag);
    if (err == MNV_OK)
        err = verify_open(s, rd, r, diag);
    backupfile_close(rd);
    char subject[BACKUP_SUBJECT_SIZE] = "";
    if (r->header.version)
        backup_subject_of(subject, r->header.backup_id);
    audit_note(s, "backup.verify", subject, err == MNV_OK ? "ok" : "failed",
               err == MNV_OK ? "" : mnv_err_name(err));
    return err;
}

enum mnv_err backup_inspect(const char *path, struct backupfile_header *h, struct mnv_diag *diag)
{
    memset(h, 0, sizeof(*h));
    struct backupfile_reader *rd;
    enum mnv_err err = backupfile_open(path, &rd, diag);
    if (err != MNV_OK)
        return err;
    backup_header_copy(h, backupfile_header(rd));
    backupfile_close(rd);
    return MNV_OK;
}
