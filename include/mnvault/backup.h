/* backup.h (service layer): making, listing, checking and restoring backups.
 * doc/backup.md describes the procedure; backupfile.h the file format.
 *
 * A backup is one file holding vault.keys and vault.db together, encrypted and
 * authenticated under a key only this vault's master key gives. It is written to a
 * temporary file beside its final name (mode 0600, O_EXCL|O_NOFOLLOW), each byte read back
 * as it is written and compared with what was sealed, synced, its manifest opened again,
 * and only then renamed to its final name (never over an existing file), so the final name
 * never holds a partial or unchecked backup. Every
 * backup is recorded in the vault's backup register (backupdb.h) with its BLAKE2b-256
 * hash. Managed backups go to the backup folder under a generated name; after each new
 * one, the oldest managed backups beyond the configured number of generations are deleted
 * and the deletions recorded.
 *
 * A backup's stream is keyed from the backup key BK, which only the slots of roles that may
 * restore (supervisors, administrators) and the recovery slot hold (keyroles.h): a clerk's or an
 * auditor's password opens no backup. Its epoch keys sit in a block of their own that
 * disposal can wipe in place (backup_wipe_epochs()).
 *
 * Restoring needs no vault: it writes vault.keys and vault.db into an empty folder. The
 * person restoring proves they may, before anything is written: the password of a
 * supervisor or an administrator of the backed-up vault (which opens BK from the contained
 * key file), or k recovery shares that were valid when the backup was made. Any other
 * password gets the answer of a wrong one. The restore is audited in the restored vault.
 *
 * Roles: backup.make (supervisors, administrators) makes backups; backup.read
 * (supervisors, auditors, administrators) lists the register and checks files (auditors,
 * who hold no BK, by the hash the register recorded).
 */
#ifndef MNVAULT_BACKUP_H
#define MNVAULT_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/backupdb.h"
#include "mnvault/backupfile.h"
#include "mnvault/err.h"
#include "mnvault/shares.h"

struct session;
struct session_options;

#define BACKUP_SUFFIX ".mnvbak"

struct backup_options {
    const char *dir; /* the managed backup folder; NULL or "": <vault folder>/backups */
    int generations; /* managed backups kept (>= 1) */
};

/* What backup_make() did. */
struct backup_made {
    struct backup_rec rec; /* the register row of the new backup */
    size_t deleted;        /* old generations deleted */
    size_t missing;        /* old generations whose file was already gone */
    struct backupfile_manifest manifest;
};

/*
 * backup_make: back up the session's vault (backup.make) to file, or, when file is NULL, to
 * a new file in the managed folder (created with mode 0700 if missing), then apply the
 * generations. Audited "backup.make" (and "backup.delete" for each old generation).
 * Returns MNV_OK; MNV_ERR_DENIED; MNV_ERR_BACKUP_EXISTS (file exists); MNV_ERR_BACKUP_VERIFY
 * (the file did not read back: removed); MNV_ERR_IO with diag (the folder, disk full …);
 * or a database or key file error. When the backup was written but deleting an old
 * generation failed, returns MNV_OK with out->rec filled (the failure is audited).
 */
MNV_MUST_CHECK enum mnv_err backup_make(struct session *s, const char *file,
                                        const struct backup_options *o, struct backup_made *out,
                                        struct mnv_diag *diag) MNV_NONNULL(1, 3, 4);

/*
 * backup_list: the register, oldest first (backup.read), into a malloc'd array (*out, free
 * with free()) of *count rows.
 */
MNV_MUST_CHECK enum mnv_err backup_list(struct session *s, struct backup_rec **out, size_t *count,
                                        struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/* Result of backup_verify(). */
struct backup_check {
    struct backupfile_header header; /* keyfile pointers are NULL here */
    struct backupfile_manifest manifest;
    unsigned char hash[VCRYPTO_HASH_LEN];
    int registered;        /* the register has a row with this hash */
    int authenticated;     /* every byte was authenticated with BK (else: the hash only) */
    struct backup_rec rec; /* that row */
};

/*
 * backup_verify: read the whole backup at path; with BK (supervisors, administrators)
 * authenticate every byte, and look its hash up in the register (backup.read). Without BK
 * (auditors), and for backups made before the key upgrade, the hash alone is checked
 * against the register (MNV_ERR_BACKUP_UNCHECKED when it is not there). Audited
 * "backup.verify". Returns MNV_OK; MNV_ERR_BACKUP_FOREIGN (another vault's backup); the
 * backupfile_open() and backupfile_extract() errors; MNV_ERR_DENIED.
 */
MNV_MUST_CHECK enum mnv_err backup_verify(struct session *s, const char *path,
                                          struct backup_check *r, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * backup_inspect: the clear part of the backup at path, without any key (for showing what
 * is about to be restored; nothing in it is authenticated yet). Errors as backupfile_open().
 */
MNV_MUST_CHECK enum mnv_err backup_inspect(const char *path, struct backupfile_header *h,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* Who restores: a user with a password, or recovery shares (user NULL). */
struct backup_login {
    const char *user;     /* a supervisor or administrator of the backed-up vault */
    const char *password; /* not copied */
    size_t password_len;
    const struct share *shares; /* when user is NULL */
    int share_count;
};

/* What backup_restore() restored. */
struct backup_restored {
    struct backupfile_header header; /* keyfile pointers are NULL here */
    struct backupfile_manifest manifest;
    char actor[BACKUPDB_NAME_MAX + 1]; /* the user, or "recovery" */
};

/*
 * backup_restore: restore the backup at path into dir, which must be empty or missing
 * (it is then created with mode 0700; its parent must exist). Checks, in order: the file's clear
 * part, the login against the contained key file, the whole stream's authentication, then the
 * restored vault as a login would open it (pairing, audit chain and anchor) and every
 * database page; then the role (user logins). Audited "vault.restore" in the restored
 * vault. On any failure nothing is left in dir (a folder created here is removed).
 * Returns MNV_OK; MNV_ERR_RESTORE_NOT_EMPTY; the backupfile_open() errors;
 * MNV_ERR_BACKUP_LOGIN (wrong user or password, or a role that may not restore: the same
 * answer, given before anything is written); the recovery_unseal() errors;
 * MNV_ERR_BACKUP_DAMAGED / BACKUP_TRUNCATED; MNV_ERR_RESTORE_ROLE (the restored database
 * says otherwise than the key file: disabled, or another role); a vault_open() error;
 * MNV_ERR_IO with diag.
 */
MNV_MUST_CHECK enum mnv_err
backup_restore(const char *path, const char *dir, const struct backup_login *login,
               const struct session_options *o, struct backup_restored *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 4, 5);

/*
 * backup_restore_demo: backup_restore() into a folder for a demo vault (`mnvault restore
 * --demo`). A demo vault's backup (setup_is_demo()) is restored only this way, and a real
 * vault's backup never: MNV_ERR_RESTORE_DEMO / MNV_ERR_RESTORE_NOT_DEMO, nothing left in
 * the folder.
 */
MNV_MUST_CHECK enum mnv_err backup_restore_demo(const char *path, const char *dir,
                                                const struct backup_login *login,
                                                const struct session_options *o,
                                                struct backup_restored *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 4, 5);

/* What backup_wipe_epochs() did. */
struct backup_wiped {
    size_t files;   /* managed backups whose epoch block lost entries */
    size_t entries; /* epoch entries wiped in all */
    size_t skipped; /* managed backups it could not change (missing, format 1, damaged) */
};

/*
 * backup_wipe_epochs: for disposal, after an epoch rotation destroyed epoch keys in the key
 * file: in every managed backup the register lists (not deleted), wipe in place the epoch
 * keys the key file no longer holds (backupfile_wipe_epochs()), record each file's new hash
 * in the register, and audit "backup.epochs" for each file changed (and "failed" for each
 * skipped, which must then be destroyed by hand: a format-1 backup keeps its keys in its
 * key file copy). The numbers those backups held under the wiped epochs are then beyond
 * anyone's reach; everything else in them still restores. Copies the register does not
 * know cannot be reached. Role: epoch.rotate (supervisors). Returns MNV_OK (*out says
 * what), MNV_ERR_DENIED or a database error.
 */
MNV_MUST_CHECK enum mnv_err backup_wipe_epochs(struct session *s, struct backup_wiped *out,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 2);

#endif
