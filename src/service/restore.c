/*
 * restore.c: restoring a backup into an empty folder (backup.h, doc/backup.md). The person
 * restoring proves, before anything is written, that they may: their key slot in the key
 * file the backup holds must open BK (supervisors, administrators; or the recovery slot).
 * Any other password gives the same answer as a wrong one. A backup of format 1 (made
 * before the key upgrade, every slot holding MK) can only be checked after decryption, so
 * it is restored only by a supervisor, whose sign-in upgrades it at once.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mnvault/atomicfile.h"
#include "mnvault/auditlog.h"
#include "mnvault/clock.h"
#include "mnvault/fileio.h"
#include "mnvault/keyring.h"
#include "mnvault/recovery.h"
#include "mnvault/secmem.h"
#include "mnvault/setup.h"
#include "mnvault/session.h"
#include "mnvault/upgrade.h"
#include "mnvault/userdb.h"
#include "mnvault/vault.h"
#include "backup_int.h"

struct restore {
    const char *dir;
    char keys[PATH_MAX], db[PATH_MAX], journal[PATH_MAX];
    int made_dir, wrote;
    int demo;               /* restoring into a folder for a demo vault */
    struct keyring_keys *k; /* secmem */
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
            return backup_io_fail(diag, x->dir, errno);
        /* Only the folder itself is made: a mistyped parent is an error, not a new tree. */
        if (mkdir(x->dir, 0700) != 0)
            return backup_io_fail(diag, x->dir, errno);
        x->made_dir = 1;
        return MNV_OK;
    }
    if (!S_ISDIR(st.st_mode))
        return backup_io_fail(diag, x->dir, ENOTDIR);
    DIR *d = opendir(x->dir);
    if (!d)
        return backup_io_fail(diag, x->dir, errno);
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

/* The contained key file: parsed, and of the vault the prefix names. */
static enum mnv_err read_keyfile(struct restore *x, struct mnv_diag *diag)
{
    const struct backupfile_header *h = backupfile_header(x->rd);
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = keyring_parse(h->keyfile, h->keyfile_len, x->dir, &x->kr, &d);
    if (err == MNV_ERR_NOMEM || err == MNV_ERR_KEYFILE_VERSION)
        return err;
    if (err != MNV_OK || memcmp(keyring_vault_id(x->kr), h->vault_id, KEYRING_ID_LEN) != 0 ||
        (h->version >= 2) != (keyring_version(x->kr) >= 2)) {
        mnv_diag_detail(diag, "key file");
        return MNV_ERR_BACKUP_DAMAGED;
    }
    return MNV_OK;
}

/*
 * The login against the contained key file, before anything is written: a slot or the
 * recovery slot that opens BK (format 2). A password that opens a slot without BK gets the
 * answer of a wrong password.
 */
static enum mnv_err unlock(struct restore *x, const struct backup_login *login)
{
    enum mnv_err err;
    if (!login->user) {
        err = recovery_unseal(x->kr, login->shares, login->share_count, x->k);
        return err == MNV_ERR_KEYFILE_ALTERED ? MNV_ERR_BACKUP_DAMAGED : err;
    }
    err = keyring_slot_open(x->kr, login->user, login->password, login->password_len, x->k);
    if (err == MNV_ERR_SLOT_WRONG)
        return MNV_ERR_BACKUP_LOGIN;
    if (err == MNV_OK && keyring_version(x->kr) >= 2 &&
        (!(x->k->have & KEYRING_HAVE_BK) || x->k->bk_id != keyring_key_id(x->kr, KEYRING_KEY_BK)))
        return MNV_ERR_BACKUP_LOGIN; /* not a role that may restore: said like a wrong password */
    if (err == MNV_OK && keyring_verify(x->kr, x->k) != MNV_OK)
        return MNV_ERR_BACKUP_DAMAGED;
    return err;
}

/* The epoch block is not authenticated (disposal wipes entries in place): a restorer who
 * holds NK opens every live entry, so a changed one is refused here rather than found
 * when a number does not open. (An administrator's slot holds no NK: it cannot check.) */
static enum mnv_err check_epochs(struct restore *x, const struct backupfile_header *h)
{
    if (!(x->k->have & KEYRING_HAVE_NK))
        return MNV_OK;
    unsigned char *ek = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!ek)
        return MNV_ERR_NOMEM;
    enum mnv_err err = MNV_OK;
    for (size_t i = 0; i < h->n_epochs && err == MNV_OK; i++) {
        const unsigned char *e = h->epochs + i * KEYRING_EPOCH_ENTRY;
        uint32_t id =
            (uint32_t)e[0] | (uint32_t)e[1] << 8 | (uint32_t)e[2] << 16 | (uint32_t)e[3] << 24;
        if (id != KEYRING_EPOCH_WIPED && keyring_epoch_key(x->kr, id, x->k, ek) != MNV_OK)
            err = MNV_ERR_BACKUP_DAMAGED;
    }
    secmem_free(ek);
    return err;
}

/* The key file to write: format 1 as it was; format 2 with its epoch keys put back from the
 * epoch block (those a disposal wiped stay gone). */
static enum mnv_err keyfile_image(struct restore *x, unsigned char **img, size_t *len)
{
    const struct backupfile_header *h = backupfile_header(x->rd);
    if (h->version < 2) {
        *img = malloc(h->keyfile_len);
        if (!*img)
            return MNV_ERR_NOMEM;
        memcpy(*img, h->keyfile, h->keyfile_len);
        *len = h->keyfile_len;
        return MNV_OK;
    }
    enum mnv_err err = keyring_epoch_import(x->kr, h->epochs, h->n_epochs);
    if (err != MNV_OK)
        return MNV_ERR_BACKUP_DAMAGED;
    err = check_epochs(x, h);
    if (err != MNV_OK)
        return err;
    keyring_clear_flag(x->kr, KEYRING_F_BACKUP_COPY);
    return keyring_serialize(x->kr, x->k, KEYRING_IMAGE_FILE, img, len);
}

/* vault.db to a temporary file, then vault.keys, then the rename (atomicfile.h). */
static enum mnv_err write_files(struct restore *x, struct backupfile_manifest *m,
                                struct mnv_diag *diag)
{
    const struct backupfile_header *h = backupfile_header(x->rd);
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN), *img = NULL;
    size_t img_len = 0;
    if (!key)
        return MNV_ERR_NOMEM;
    enum mnv_err err =
        backupfile_key(h->version, h->version < 2 ? x->k->mk : x->k->bk, h->backup_id, key);
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
        err = keyfile_image(x, &img, &img_len);
    if (err == MNV_OK)
        err = fileio_write_atomic(x->keys, img, img_len, 0600, diag);
    free(img);
    if (err == MNV_OK)
        err = atomicfile_commit(&db, NULL, 0, diag);
    atomicfile_abort(&db); /* after a commit: nothing */
    return err;
}

static enum mnv_err audit_restore(struct vault *v, const struct backup_login *login,
                                  const struct user_rec *u, struct backup_restored *out,
                                  struct mnv_diag *diag)
{
    char subject[BACKUP_SUBJECT_SIZE], detail[128], made[32];
    clock_format_iso(made, sizeof(made), (time_t)out->header.created);
    snprintf(detail, sizeof(detail), "made=%s audit_seq=%llu", made,
             (unsigned long long)out->manifest.audit_seq);
    struct audit_event ev = {0,
                             out->actor,
                             login->user ? role_name(u->role) : "",
                             "vault.restore",
                             backup_subject_of(subject, out->header.backup_id),
                             "ok",
                             detail};
    return auditlog_record(v, &ev, diag);
}

/* Open what was written as a login would (a format-1 vault: upgraded, by its supervisor),
 * check every page and that the user's row agrees with the role, audit. */
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
    int v1 = err == MNV_OK && keyring_version(kr) == 1;
    if (err == MNV_OK && v1)
        err = login->user ? upgrade_vault(x->dir, kr, x->k, login->user, login->password,
                                          login->password_len, o, &v, diag)
                          : MNV_ERR_KEYFILE_UPGRADE;
    else if (err == MNV_OK)
        err = vault_open(x->dir, kr, x->k, &o->vault, &v, diag);
    if (err == MNV_ERR_KEYFILE_UPGRADE)
        err = MNV_ERR_BACKUP_LOGIN; /* format 1 by anyone but a supervisor */
    if (err == MNV_OK)
        err = vault_check_integrity(v, &integ);
    if (err == MNV_OK && login->user) {
        err = userdb_get(v, login->user, &u, diag);
        if (err == MNV_ERR_USER_NOT_FOUND ||
            (err == MNV_OK && (u.disabled || (u.role != ROLE_SUPERVISOR && u.role != ROLE_ADMIN))))
            err = MNV_ERR_RESTORE_ROLE;
    }
    if (err == MNV_OK && setup_vault_is_demo(v) != x->demo)
        err = x->demo ? MNV_ERR_RESTORE_NOT_DEMO : MNV_ERR_RESTORE_DEMO;
    if (err == MNV_OK)
        err = audit_restore(v, login, &u, out, diag);
    vault_close(v);
    keyring_free(kr);
    return err;
}

static enum mnv_err restore(const char *path, const char *dir, const struct backup_login *login,
                            const struct session_options *o, int demo, struct backup_restored *out,
                            struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    struct restore x;
    memset(&x, 0, sizeof(x));
    x.demo = demo;
    enum mnv_err err = restore_paths(&x, dir);
    if (err == MNV_OK)
        err = backupfile_open(path, &x.rd, diag);
    if (err == MNV_OK) {
        backup_header_copy(&out->header, backupfile_header(x.rd));
        snprintf(out->actor, sizeof(out->actor), "%s", login->user ? login->user : "recovery");
    }
    x.k = keyring_keys_new();
    if (err == MNV_OK && !x.k)
        err = MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = read_keyfile(&x, diag);
    if (err == MNV_OK)
        err = unlock(&x, login);
    /* Only now, with the person's right to restore established, is anything written. */
    if (err == MNV_OK)
        err = prepare_dir(&x, diag);
    if (err == MNV_OK)
        err = write_files(&x, &out->manifest, diag);
    if (err == MNV_OK)
        err = finish(&x, login, o, out, diag);
    if (err != MNV_OK)
        restore_undo(&x);
    backupfile_close(x.rd);
    keyring_free(x.kr);
    keyring_keys_free(x.k);
    return err;
}

enum mnv_err backup_restore(const char *path, const char *dir, const struct backup_login *login,
                            const struct session_options *o, struct backup_restored *out,
                            struct mnv_diag *diag)
{
    return restore(path, dir, login, o, 0, out, diag);
}

enum mnv_err backup_restore_demo(const char *path, const char *dir,
                                 const struct backup_login *login, const struct session_options *o,
                                 struct backup_restored *out, struct mnv_diag *diag)
{
    return restore(path, dir, login, o, 1, out, diag);
}
