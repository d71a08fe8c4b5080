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

#define TEMP_PREFIX ".mnvbak-"
#define TEMP_SUFFIX ".part"
#define SUBJECT_SIZE 48
#define VID_HEX (2 * KEYRING_ID_LEN + 1)

static enum mnv_err io_fail(struct mnv_diag *diag, const char *path, int e)
{
    mnv_diag_where(diag, "%s", path);
    mnv_diag_errno(diag, e);
    return MNV_ERR_IO;
}

/* "backup:<32 hex>", the audit subject of one backup file. */
static char *subject_of(char out[SUBJECT_SIZE], const unsigned char id[BACKUPFILE_ID_LEN])
{
    char hex[2 * BACKUPFILE_ID_LEN + 1];
    snprintf(out, SUBJECT_SIZE, "backup:%s", vcrypto_hex(hex, id, BACKUPFILE_ID_LEN));
    return out;
}

static void header_copy(struct backupfile_header *dst, const struct backupfile_header *src)
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
        return io_fail(diag, dir, errno);
    struct stat st;
    if (stat(out, &st) != 0)
        return io_fail(diag, dir, errno);
    if (!S_ISDIR(st.st_mode))
        return io_fail(diag, dir, ENOTDIR);
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
            return io_fail(diag, file, EISDIR);
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
            return io_fail(diag, t->dir, ENAMETOOLONG);
        enum mnv_err err = atomicfile_commit(&t->file, t->final, ATOMICFILE_NO_REPLACE, diag);
        if (err != MNV_ERR_EXISTS)
            return err;
    }
    mnv_diag_where(diag, "%s", t->final);
    return MNV_ERR_BACKUP_EXISTS;
}

/* ---- writing and checking ----------------------------------------------------------------- */

/* Read the written file back from disk, authenticate every byte of it, and hash it. */
static enum mnv_err check_written(const char *path, const struct backupfile_info *info,
                                  const unsigned char *mk, unsigned char hash[VCRYPTO_HASH_LEN])
{
    struct backupfile_reader *r;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = backupfile_open(path, &r, &d);
    if (err != MNV_OK)
        return MNV_ERR_BACKUP_VERIFY;
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN);
    struct backupfile_manifest m;
    const struct backupfile_header *h = backupfile_header(r);
    if (!key)
        err = MNV_ERR_NOMEM;
    else if (memcmp(h->backup_id, info->backup_id, BACKUPFILE_ID_LEN) != 0 ||
             h->db_size != info->db_size)
        err = MNV_ERR_BACKUP_VERIFY;
    if (err == MNV_OK)
        err = backupfile_key(mk, h->backup_id, key);
    if (err == MNV_OK)
        err = backupfile_extract(r, key, -1, &m, hash, &d);
    if (err == MNV_OK &&
        (m.audit_seq != info->manifest.audit_seq || backupfile_header(r)->created != info->created))
        err = MNV_ERR_BACKUP_VERIFY;
    secmem_free(key);
    backupfile_close(r);
    return err == MNV_OK || err == MNV_ERR_NOMEM ? err : MNV_ERR_BACKUP_VERIFY;
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
    err = backupfile_write(v, atomicfile_fd(&t->file), now, info, diag);
    if (err == MNV_ERR_IO && diag && !diag->where[0])
        mnv_diag_where(diag, "%s", atomicfile_temp(&t->file));
    if (err == MNV_OK)
        err = atomicfile_sync(&t->file, diag);
    return err;
}

/* Write, sync, check and place the file, holding the data folder's lock throughout. */
static enum mnv_err write_backup(struct session *s, struct target *t, int64_t now,
                                 struct backupfile_info *info, unsigned char hash[VCRYPTO_HASH_LEN],
                                 struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    struct keyring *kr = vault_keyring(v);
    char vid[VID_HEX];
    vcrypto_hex(vid, keyring_vault_id(kr), KEYRING_ID_LEN);
    enum mnv_err err = keyring_begin(kr, vault_mk(v), diag);
    if (err != MNV_OK)
        return err;
    err = write_temp(v, t, vid, now, info, diag);
    if (err == MNV_OK)
        err = check_written(atomicfile_temp(&t->file), info, vault_mk(v), hash);
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
    char subject[SUBJECT_SIZE];
    return change_run(s, "backup.make", subject_of(subject, rec->backup_id), register_body, rec,
                      diag);
}

/* Delete one old generation's file and mark its row (inside the open transaction). */
static enum mnv_err drop_generation(struct session *s, const struct backup_rec *r, int64_t now,
                                    struct backup_made *out, struct mnv_diag *diag)
{
    const char *why = "generations";
    if (unlink(r->path) != 0) {
        if (errno != ENOENT)
            return io_fail(diag, r->path, errno);
        why = "missing";
        out->missing++;
    } else {
        out->deleted++;
    }
    char subject[SUBJECT_SIZE], detail[64];
    snprintf(detail, sizeof(detail), "why=%s", why);
    struct vault *v = session_vault(s);
    enum mnv_err err = backupdb_mark_deleted(v, r->id, now, session_user(s), why, diag);
    if (err == MNV_OK)
        err =
            audit_append(s, "backup.delete", subject_of(subject, r->backup_id), "ok", detail, diag);
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
    unsigned char hash[VCRYPTO_HASH_LEN];
    if (!t)
        return MNV_ERR_NOMEM;
    int64_t now = (int64_t)clock_now();
    err = choose_target(s, file, o, t, diag);
    if (err == MNV_OK)
        err = write_backup(s, t, now, &info, hash, diag);
    if (err == MNV_OK) {
        struct backup_rec *rec = &out->rec;
        memcpy(rec->backup_id, info.backup_id, sizeof(rec->backup_id));
        rec->created_at = now;
        snprintf(rec->path, sizeof(rec->path), "%s", t->final);
        rec->size = info.size;
        memcpy(rec->hash, hash, sizeof(rec->hash));
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

static enum mnv_err verify_open(struct session *s, struct backupfile_reader *rd,
                                struct backup_check *r, struct mnv_diag *diag)
{
    struct vault *v = session_vault(s);
    const struct backupfile_header *h = backupfile_header(rd);
    header_copy(&r->header, h);
    if (memcmp(h->vault_id, keyring_vault_id(vault_keyring(v)), KEYRING_ID_LEN) != 0)
        return MNV_ERR_BACKUP_FOREIGN;
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!key)
        return MNV_ERR_NOMEM;
    enum mnv_err err = backupfile_key(vault_mk(v), h->backup_id, key);
    if (err == MNV_OK)
        err = backupfile_extract(rd, key, -1, &r->manifest, r->hash, diag);
    secmem_free(key);
    if (err == MNV_OK) {
        enum mnv_err e2 = backupdb_find_hash(v, r->hash, &r->rec, diag);
        if (e2 != MNV_OK && e2 != MNV_ERR_NOT_FOUND)
            return e2;
        r->registered = e2 == MNV_OK;
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
    char subject[SUBJECT_SIZE] = "";
    if (r->header.version)
        subject_of(subject, r->header.backup_id);
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
    header_copy(h, backupfile_header(rd));
    backupfile_close(rd);
    return MNV_OK;
}

/* ---- restore ------------------------------------------------------------------------------ */

struct restore {
    const char *dir;
    char keys[PATH_MAX], db[PATH_MAX], journal[PATH_MAX];
    int made_dir, wrote;
    unsigned char *mk; /* secmem */
    struct backupfile_reader *rd;
    struct keyring *kr;
};

static enum mnv_err restore_paths(struct restore *x, const char *dir)
{
    x->dir = dir;
    if (snprintf(x->keys, sizeof(x->keys), "%s/%s", dir, KEYRING_FILE) >= (int)sizeof(x->keys) ||
        snprintf(x->db, sizeof(x->db), "%s/%s", dir, VAULT_DB_FILE) >= (int)sizeof(x->db) ||
        snprintf(x->journal, sizeof(x->journal), "%s-journal", x->db) >= (int)sizeof(x->journal))
        return MNV_ERR_TOO_LONG;
    return MNV_OK;
}

/* The folder must be empty or missing (then it is made, and removed again on failure). */
static enum mnv_err prepare_dir(struct restore *x, struct mnv_diag *diag)
{
    struct stat st;
    if (stat(x->dir, &st) != 0) {
        if (errno != ENOENT)
            return io_fail(diag, x->dir, errno);
        /* Only the folder itself is made: a mistyped parent is an error, not a new tree. */
        if (mkdir(x->dir, 0700) != 0)
            return io_fail(diag, x->dir, errno);
        x->made_dir = 1;
        return MNV_OK;
    }
    if (!S_ISDIR(st.st_mode))
        return io_fail(diag, x->dir, ENOTDIR);
    DIR *d = opendir(x->dir);
    if (!d)
        return io_fail(diag, x->dir, errno);
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    if (!empty) {
        mnv_diag_where(diag, "%s", x->dir);
        return MNV_ERR_RESTORE_NOT_EMPTY;
    }
    return MNV_OK;
}

static void restore_undo(struct restore *x)
{
    if (x->wrote) {
        unlink(x->db);
        unlink(x->journal);
        unlink(x->keys);
        if (fileio_fsync_dir(x->keys) != MNV_OK) {
            /* nothing more can be done; the files are gone from the folder's listing */
        }
    }
    if (x->made_dir)
        rmdir(x->dir);
}

/* Open the master key with the login: a password slot, or the recovery slot. */
static enum mnv_err unlock(struct restore *x, const struct backup_login *login)
{
    if (!login->user) {
        enum mnv_err err = recovery_unseal(x->kr, login->shares, login->share_count, x->mk);
        return err == MNV_ERR_KEYFILE_ALTERED ? MNV_ERR_BACKUP_DAMAGED : err;
    }
    enum mnv_err err =
        keyring_slot_open(x->kr, login->user, login->password, login->password_len, x->mk);
    if (err == MNV_ERR_SLOT_WRONG)
        return MNV_ERR_BACKUP_LOGIN;
    if (err == MNV_OK && keyring_verify(x->kr, x->mk) != MNV_OK)
        return MNV_ERR_BACKUP_DAMAGED;
    return err;
}

/* The contained key file: parsed, and of the vault the prefix names. */
static enum mnv_err read_keyfile(struct restore *x, struct mnv_diag *diag)
{
    const struct backupfile_header *h = backupfile_header(x->rd);
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = keyring_parse(h->keyfile, h->keyfile_len, x->dir, &x->kr, &d);
    if (err == MNV_ERR_NOMEM || err == MNV_ERR_KEYFILE_VERSION)
        return err;
    if (err != MNV_OK || memcmp(keyring_vault_id(x->kr), h->vault_id, KEYRING_ID_LEN) != 0) {
        mnv_diag_detail(diag, "key file");
        return MNV_ERR_BACKUP_DAMAGED;
    }
    return MNV_OK;
}

/* vault.db to a temporary name, then vault.keys, then the rename. */
static enum mnv_err write_files(struct restore *x, struct backupfile_manifest *m,
                                struct mnv_diag *diag)
{
    const struct backupfile_header *h = backupfile_header(x->rd);
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!key)
        return MNV_ERR_NOMEM;
    enum mnv_err err = backupfile_key(x->mk, h->backup_id, key);
    struct atomicfile db;
    atomicfile_init(&db);
    if (err == MNV_OK)
        err = atomicfile_open(&db, x->db, 0600, diag);
    x->wrote = err == MNV_OK;
    if (err == MNV_OK)
        err = backupfile_extract(x->rd, key, atomicfile_fd(&db), m, NULL, diag);
    secmem_free(key);
    if (err == MNV_OK)
        err = atomicfile_sync(&db, diag);
    if (err == MNV_OK)
        err = fileio_write_atomic(x->keys, h->keyfile, h->keyfile_len, 0600, diag);
    if (err == MNV_OK)
        err = atomicfile_commit(&db, NULL, 0, diag);
    atomicfile_abort(&db); /* after a commit: nothing */
    return err;
}

/* Open what was written as a login would, check every page, check the role, audit. */
static enum mnv_err finish(struct restore *x, const struct backup_login *login,
                           const struct session_options *o, struct backup_restored *out,
                           struct mnv_diag *diag)
{
    struct keyring *kr = NULL;
    struct vault *v = NULL;
    struct user_rec u;
    struct vault_integrity integ;
    userdb_init(&u);
    enum mnv_err err = keyring_load(x->dir, &kr, diag);
    if (err == MNV_OK)
        err = vault_open(x->dir, kr, x->mk, &o->vault, &v, diag);
    if (err == MNV_OK)
        err = vault_check_integrity(v, &integ);
    if (err == MNV_OK && login->user) {
        err = userdb_get(v, login->user, &u, diag);
        if (err == MNV_ERR_USER_NOT_FOUND ||
            (err == MNV_OK && (u.disabled || (u.role != ROLE_SUPERVISOR && u.role != ROLE_ADMIN))))
            err = MNV_ERR_RESTORE_ROLE;
    }
    if (err == MNV_OK)
        err = vault_begin(v, diag);
    if (err == MNV_OK) {
        char subject[SUBJECT_SIZE], detail[128], made[32];
        clock_format_iso(made, sizeof(made), (time_t)out->header.created);
        snprintf(detail, sizeof(detail), "made=%s audit_seq=%llu", made,
                 (unsigned long long)out->manifest.audit_seq);
        struct audit_event ev = {0,
                                 out->actor,
                                 login->user ? role_name(u.role) : "",
                                 "vault.restore",
                                 subject_of(subject, out->header.backup_id),
                                 "ok",
                                 detail};
        err = auditlog_append(v, &ev, NULL, diag);
        if (err == MNV_OK)
            err = vault_commit(v, diag);
        else
            vault_rollback(v);
    }
    vault_close(v);
    keyring_free(kr);
    return err;
}

enum mnv_err backup_restore(const char *path, const char *dir, const struct backup_login *login,
                            const struct session_options *o, struct backup_restored *out,
                            struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    struct restore x;
    memset(&x, 0, sizeof(x));
    enum mnv_err err = restore_paths(&x, dir);
    if (err == MNV_OK)
        err = backupfile_open(path, &x.rd, diag);
    if (err == MNV_OK) {
        header_copy(&out->header, backupfile_header(x.rd));
        snprintf(out->actor, sizeof(out->actor), "%s", login->user ? login->user : "recovery");
        err = prepare_dir(&x, diag);
    }
    x.mk = secmem_alloc(VCRYPTO_KEY_LEN);
    if (err == MNV_OK && !x.mk)
        err = MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = read_keyfile(&x, diag);
    if (err == MNV_OK)
        err = unlock(&x, login);
    if (err == MNV_OK)
        err = write_files(&x, &out->manifest, diag);
    if (err == MNV_OK)
        err = finish(&x, login, o, out, diag);
    if (err != MNV_OK)
        restore_undo(&x);
    backupfile_close(x.rd);
    keyring_free(x.kr);
    secmem_free(x.mk);
    return err;
}
